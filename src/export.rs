//! Flat exports: the CSV row of a report and the rows of its diagnostics.
//!
//! The CSV has one row per input: [`FIXED_COLUMNS`] and [`BATCH_COLUMNS`], then every canonical cell key of both
//! template versions in TEMPLATE.md order ([`crate::schema::all_cells`]). A cell that is
//! null, or not in the report's template, is empty.
//!
//! The long format ([`long_rows`], [`LONG_COLUMNS`]) has one row per cell, with its printed
//! text, a [`CellStatus`], its place in the input and the codes of the diagnostics naming it.

use serde::{Deserialize, Serialize};

use crate::report::{Cell, InputFormat, Metadata, Number, Report, Row, Tables, TemplateVersion};
use crate::schema;
use crate::{Diagnostic, Severity};

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
        .chain(BATCH_COLUMNS)
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
            row.extend(BATCH_COLUMNS.iter().map(|_| String::new()));
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
            row.extend(BATCH_COLUMNS.iter().map(|_| String::new()));
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
    diagnostic_rows(file, &report.diagnostics)
}

/// Whether a report has any warning or error.
pub fn has_problems(report: &Report) -> bool {
    report
        .diagnostics
        .iter()
        .any(|d| d.severity >= Severity::Warning)
}

/// Batch bookkeeping columns of the reports CSV, right after [`FIXED_COLUMNS`] and before
/// the cell keys.
pub const BATCH_COLUMNS: &[&str] = &["error_code", "sha256", "duplicate_of"];

/// Batch facts of one row of the reports CSV (the [`BATCH_COLUMNS`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowExtra {
    /// Why the file failed, as a stable code (`input.failed`, `input.crash`, `input.timeout`).
    pub error_code: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The file this one is a byte-identical copy of (parsed once, reported for both).
    pub duplicate_of: String,
}

/// Writes the [`RowExtra`] fields into a record made by [`csv_record`].
pub fn set_row_extra(record: &mut [String], extra: &RowExtra) {
    let at = FIXED_COLUMNS.len();
    for (i, v) in [&extra.error_code, &extra.sha256, &extra.duplicate_of]
        .into_iter()
        .enumerate()
    {
        if let Some(slot) = record.get_mut(at + i) {
            slot.clone_from(v);
        }
    }
}

/// What a cell of the long format holds, see [`LongRow::status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CellStatus {
    /// A value is printed (`value` holds it unless the text is not a number).
    Printed,
    /// The cell is printed empty.
    Blank,
    /// The cell holds a dash or a word for "none" (`-`, `—`, `/`, `无`).
    Dash,
    /// The cell was not found in the input, or could not be told apart from its
    /// neighbours (the `diagnostics` column says which).
    NotFound,
    /// The key belongs to the other template version.
    NotInTemplate,
    /// The file could not be read at all: its one row has no key.
    Failed,
}

impl CellStatus {
    /// The status as written in CSV (`printed`, `blank`, `dash`, `not-found`,
    /// `not-in-template`, `failed`).
    pub fn as_str(self) -> &'static str {
        match self {
            CellStatus::Printed => "printed",
            CellStatus::Blank => "blank",
            CellStatus::Dash => "dash",
            CellStatus::NotFound => "not-found",
            CellStatus::NotInTemplate => "not-in-template",
            CellStatus::Failed => "failed",
        }
    }
}

/// Whether printed cell text means "nothing" (`-`, `—`, `/`, `无`, …).
pub fn is_dash(raw: &str) -> bool {
    let t = raw.trim();
    !t.is_empty()
        && t.chars().all(|c| {
            matches!(
                c,
                '-' | '—'
                    | '–'
                    | '－'
                    | '‐'
                    | '―'
                    | '─'
                    | '/'
                    | '／'
                    | '\\'
                    | '无'
                    | '∕'
                    | ' '
                    | '　'
            )
        })
}

/// The header of the long (one row per cell) CSV.
pub const LONG_COLUMNS: &[&str] = &[
    "file",
    "organization",
    "year",
    "template",
    "table",
    "key",
    "row_label",
    "column_label",
    "printed_row_label",
    "value",
    "raw",
    "status",
    "page",
    "line",
    "box",
    "diagnostics",
];

/// One cell of one report in the long format (`cells.csv`, `parse --format long`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LongRow {
    /// The input file.
    pub file: String,
    /// The reporting body, empty if unknown.
    pub organization: String,
    /// The report year.
    pub year: Option<i32>,
    /// The detected template version (`v2021`, `v2019`, `mixed`, `unknown`).
    pub template: String,
    /// Table key (`applications`).
    pub table: String,
    /// Dotted canonical cell key (`applications.granted.total`); empty for a failed file.
    pub key: String,
    /// The row's Chinese label in the template.
    pub row_label: String,
    /// The column's Chinese label in the template.
    pub column_label: String,
    /// The row label as printed in the report, when the row was found.
    pub printed_row_label: String,
    /// The number, as text (`12`, `3.5`), when one was read.
    pub value: Option<String>,
    /// The cell text as printed, when the cell was found.
    pub raw: Option<String>,
    /// What the cell holds.
    pub status: CellStatus,
    /// 1-based PDF page.
    pub page: Option<u32>,
    /// 1-based line of the extracted text.
    pub line: Option<u32>,
    /// PDF box `[x0, y0, x1, y1]`.
    pub bbox: Option<[f32; 4]>,
    /// Codes of the diagnostics naming this cell, in report order, without repeats.
    pub diagnostics: Vec<String>,
}

impl LongRow {
    /// The CSV record in [`LONG_COLUMNS`] order.
    pub fn record(&self) -> Vec<String> {
        vec![
            self.file.clone(),
            self.organization.clone(),
            self.year.map(|y| y.to_string()).unwrap_or_default(),
            self.template.clone(),
            self.table.clone(),
            self.key.clone(),
            self.row_label.clone(),
            self.column_label.clone(),
            self.printed_row_label.clone(),
            self.value.clone().unwrap_or_default(),
            self.raw.clone().unwrap_or_default(),
            self.status.as_str().to_string(),
            self.page.map(|p| p.to_string()).unwrap_or_default(),
            self.line.map(|l| l.to_string()).unwrap_or_default(),
            self.bbox
                .map(|b| format!("{},{},{},{}", b[0], b[1], b[2], b[3]))
                .unwrap_or_default(),
            self.diagnostics.join(";"),
        ]
    }
}

/// The long rows of one report: one per canonical key of both template versions, in
/// TEMPLATE.md order ([`crate::schema::all_cells`]), keys of the other version marked
/// `not-in-template`.
pub fn long_rows(file: &str, report: &Report) -> Vec<LongRow> {
    let mut named: std::collections::HashMap<&str, Vec<String>> = Default::default();
    for d in &report.diagnostics {
        for c in &d.cells {
            let codes = named.entry(c.as_str()).or_default();
            let code = d.code.to_string();
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
    }
    let m = &report.metadata;
    schema::all_cells()
        .into_iter()
        .map(|spec| {
            let cell = report.cell(&spec.key);
            let printed_row_label = report
                .tables
                .get(spec.table)
                .and_then(|t| t.row(spec.row))
                .and_then(|r| r.label.clone())
                .unwrap_or_default();
            let status = match cell {
                None => CellStatus::NotInTemplate,
                Some(c) => match c.raw.as_deref() {
                    None => CellStatus::NotFound,
                    Some(r) if r.trim().is_empty() => CellStatus::Blank,
                    Some(r) if is_dash(r) => CellStatus::Dash,
                    Some(_) => CellStatus::Printed,
                },
            };
            let loc = cell.and_then(|c| c.location.as_ref());
            LongRow {
                file: file.to_string(),
                organization: m.organization.clone().unwrap_or_default(),
                year: m.year,
                template: m.template.to_string(),
                table: spec.table.to_string(),
                row_label: spec.row_label.to_string(),
                column_label: spec.column_label.to_string(),
                printed_row_label,
                value: cell.and_then(|c| c.value).map(|v| v.to_string()),
                raw: cell.and_then(|c| c.raw.clone()),
                status,
                page: loc.and_then(|l| l.page),
                line: loc.and_then(|l| l.line),
                bbox: loc.and_then(|l| l.bbox),
                diagnostics: named.remove(spec.key.as_str()).unwrap_or_default(),
                key: spec.key,
            }
        })
        .collect()
}

/// The one long row of a file that could not be read: status `failed`, the reason code
/// in `diagnostics`.
pub fn failed_long_row(file: &str, code: &str) -> LongRow {
    LongRow {
        file: file.to_string(),
        organization: String::new(),
        year: None,
        template: String::new(),
        table: String::new(),
        key: String::new(),
        row_label: String::new(),
        column_label: String::new(),
        printed_row_label: String::new(),
        value: None,
        raw: None,
        status: CellStatus::Failed,
        page: None,
        line: None,
        bbox: None,
        diagnostics: vec![code.to_string()],
    }
}

/// One CSV record per diagnostic, in [`DIAGNOSTIC_COLUMNS`] order.
pub fn diagnostic_rows(file: &str, diagnostics: &[Diagnostic]) -> Vec<Vec<String>> {
    diagnostics
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

/// Rebuilds a report holding only what its long rows carry (metadata, cell values and
/// printed text), for checks across a batch ([`crate::years::year_over_year`]) on results
/// that crossed a process boundary as rows. Sections, labels and diagnostics are empty.
pub fn report_from_long_rows(rows: &[LongRow], format: InputFormat) -> Report {
    let first = rows.first();
    let template = match first.map(|r| r.template.as_str()) {
        Some("v2021") => TemplateVersion::V2021,
        Some("v2019") => TemplateVersion::V2019,
        Some("mixed") => TemplateVersion::Mixed,
        _ => TemplateVersion::Unknown,
    };
    let mut tables = Tables::default();
    let specs = schema::all_cells();
    for (row, spec) in rows.iter().zip(&specs) {
        if row.key != spec.key || row.status == CellStatus::NotInTemplate {
            continue;
        }
        let Some(table) = tables.get_mut(spec.table) else {
            continue;
        };
        if table.row(spec.row).is_none() {
            table.rows.push(Row {
                key: spec.row,
                label: None,
                cells: Vec::new(),
            });
        }
        let value = row.value.as_deref().and_then(|v| {
            v.parse::<i64>()
                .ok()
                .map(Number::Int)
                .or_else(|| v.parse::<rust_decimal::Decimal>().ok().map(Number::Decimal))
        });
        if let Some(r) = table.row_mut(spec.row) {
            r.cells.push((
                spec.column,
                Cell {
                    value,
                    raw: row.raw.clone(),
                    location: None,
                },
            ));
        }
    }
    Report {
        metadata: Metadata {
            organization: first
                .map(|r| r.organization.clone())
                .filter(|o| !o.is_empty()),
            year: first.and_then(|r| r.year),
            title: None,
            template,
            template_detail: None,
            format,
            published: None,
        },
        sections: Default::default(),
        tables,
        diagnostics: Vec::new(),
    }
}

/// The columns of the panel before the value keys.
pub const PANEL_FIXED_COLUMNS: &[&str] = &["organization", "year", "template", "file", "files"];

/// The value columns of the panel: every v2019 key of [`schema::correspondence`] that is
/// `same` or `sum` (the v2021 value of a `sum` is the sum of its cells).
pub fn panel_keys() -> Vec<String> {
    schema::correspondence()
        .into_iter()
        .filter(|c| c.relation != schema::Relation::Similar)
        .map(|c| c.v2019)
        .collect()
}

/// The header of the panel CSV.
pub fn panel_header() -> Vec<String> {
    PANEL_FIXED_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .chain(panel_keys())
        .collect()
}

/// The panel: one row per body (by [`crate::years::normalize_org`]) and year, with the
/// keys both template versions share ([`panel_keys`]), sorted by body and year. Several
/// reports of one body and year (renderings of one report, copies) give one row: the
/// first of those with the fewest warnings (`problems`), its file in `file`, all of them
/// (`;`-joined) in `files`. Reports without a body or a year are left out.
pub fn panel_rows(reports: &[(&str, &Report, usize)]) -> Vec<Vec<String>> {
    use std::collections::BTreeMap;
    let mut groups: BTreeMap<(String, i32), Vec<usize>> = BTreeMap::new();
    for (i, (_, r, _)) in reports.iter().enumerate() {
        if let (Some(org), Some(y)) = (&r.metadata.organization, r.metadata.year) {
            groups
                .entry((crate::years::normalize_org(org), y))
                .or_default()
                .push(i);
        }
    }
    let pairs: Vec<schema::Correspondence> = schema::correspondence()
        .into_iter()
        .filter(|c| c.relation != schema::Relation::Similar)
        .collect();
    let mut out = Vec::new();
    for ((_, year), members) in groups {
        let Some(&best) = members.iter().min_by_key(|&&i| reports[i].2) else {
            continue;
        };
        let (file, r, _) = reports[best];
        let mut row = vec![
            r.metadata.organization.clone().unwrap_or_default(),
            year.to_string(),
            r.metadata.template.to_string(),
            file.to_string(),
            members
                .iter()
                .map(|&i| reports[i].0)
                .collect::<Vec<_>>()
                .join(";"),
        ];
        for p in &pairs {
            let v = match p.relation {
                schema::Relation::Sum if r.cell(&p.v2019).is_none() => {
                    let parts: Option<Vec<Number>> = p.v2021.iter().map(|k| r.value(k)).collect();
                    parts
                        .and_then(|ps| {
                            crate::report::checked_sum(ps.into_iter().map(Number::as_decimal))
                        })
                        .map(|d| d.to_string())
                }
                _ => r.value(&p.v2019).map(|v| v.to_string()),
            };
            row.push(v.unwrap_or_default());
        }
        out.push(row);
    }
    out
}
