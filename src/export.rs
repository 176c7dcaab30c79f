//! Flat exports: the CSV row of a report and the rows of its diagnostics.
//!
//! The CSV has one row per input: [`FIXED_COLUMNS`], then every canonical cell key of both
//! template versions in TEMPLATE.md order ([`crate::schema::all_cells`]). A cell that is
//! null, or not in the report's template, is empty.

use crate::report::Report;
use crate::schema;
use crate::Severity;

/// The columns before the cell keys.
pub const FIXED_COLUMNS: &[&str] = &[
    "file",
    "format",
    "template",
    "organization",
    "year",
    "diagnostics",
    "error",
];

/// The header of the reports CSV.
pub fn csv_header() -> Vec<String> {
    FIXED_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .chain(schema::all_cells().into_iter().map(|c| c.key))
        .collect()
}

/// The CSV record of one input: its report, or the message of the error that stopped it.
pub fn csv_record(file: &str, result: Result<&Report, &str>) -> Vec<String> {
    let cells = schema::all_cells();
    match result {
        Ok(r) => {
            let mut row = vec![
                file.to_string(),
                r.metadata.format.to_string(),
                r.metadata.template.to_string(),
                r.metadata.organization.clone().unwrap_or_default(),
                r.metadata.year.map(|y| y.to_string()).unwrap_or_default(),
                r.problem_count().to_string(),
                String::new(),
            ];
            row.extend(
                cells
                    .iter()
                    .map(|c| r.value(&c.key).map(|v| v.to_string()).unwrap_or_default()),
            );
            row
        }
        Err(e) => {
            let mut row = vec![
                file.to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                e.to_string(),
            ];
            row.extend(cells.iter().map(|_| String::new()));
            row
        }
    }
}

/// The header of the diagnostics CSV.
pub const DIAGNOSTIC_COLUMNS: &[&str] =
    &["file", "code", "severity", "cells", "message", "location"];

/// One CSV record per diagnostic of a report.
pub fn diagnostic_records(file: &str, report: &Report) -> Vec<Vec<String>> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            vec![
                file.to_string(),
                d.code.to_string(),
                d.severity.to_string(),
                d.cells.join(";"),
                d.message.clone(),
                d.location
                    .as_ref()
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect()
}

/// Whether a report has any warning or error.
pub fn has_problems(report: &Report) -> bool {
    report
        .diagnostics
        .iter()
        .any(|d| d.severity >= Severity::Warning)
}
