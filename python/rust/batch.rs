//! `read_reports` in Rust: the same batch as `ogi-report parse --format csv|long`, in this
//! process on a rayon pool. Inputs come from the library's walker, byte-identical files
//! are parsed once (the copy's row names the first in `duplicate_of`), a panic fails only
//! its file (`input.crash`), and the year-over-year checks run over the batch at the end
//! and are attached to the later report, as the CLI does on stdout.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ogi_report::export::{self, RowExtra};
use ogi_report::{inputs, schema, years, Options, Report};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::columns::{self, Column};

/// Code of a file the parser rejected (as the CLI's `error_code`).
const FAILED: &str = "input.failed";
/// Code of a file the parser panicked on.
const CRASH: &str = "input.crash";

/// How one input ended.
enum Outcome {
    Parsed(Arc<Report>),
    Failed { message: String, code: &'static str },
}

/// One input in output order.
struct Entry {
    file: String,
    sha256: String,
    duplicate_of: Option<String>,
    outcome: Outcome,
}

fn sha256(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn parse_one(path: &Path) -> Outcome {
    match catch_unwind(AssertUnwindSafe(|| ogi_report::parse_path(path))) {
        Ok(Ok(report)) => Outcome::Parsed(Arc::new(report)),
        Ok(Err(e)) => Outcome::Failed {
            message: e.to_string(),
            code: FAILED,
        },
        Err(payload) => Outcome::Failed {
            message: format!(
                "parser panicked: {}",
                crate::panic_message(payload.as_ref())
            ),
            code: CRASH,
        },
    }
}

/// What [`read`] returns.
pub struct Batch {
    /// The wide or long table.
    pub columns: Vec<Column>,
    /// Files the walk passed over, as `(path, reason code)`.
    pub skipped: crate::Skipped,
}

/// Parses every input under `paths` on `jobs` threads (default: all cores) into the wide
/// (`long = false`) or long columns, and lists the files the walk passed over.
pub fn read(
    paths: &[PathBuf],
    jobs: Option<usize>,
    long: bool,
) -> Result<Batch, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()?;
    let max = Options::default().max_input_bytes as u64;
    let found = inputs::walk(paths, inputs::EXTENSIONS, max);
    let skipped = found
        .skipped
        .iter()
        .map(|(p, r)| (p.display().to_string(), r.code().to_string()))
        .collect();
    let columns = pool.install(|| {
        let entries = parse_all(&found.files);
        if long {
            long_columns(&entries)
        } else {
            wide_columns(&entries)
        }
    });
    Ok(Batch { columns, skipped })
}

/// Hashes and parses the files (each distinct content once), then adds the
/// year-over-year findings.
fn parse_all(files: &[PathBuf]) -> Vec<Entry> {
    let hashes: Vec<Result<String, String>> = files
        .par_iter()
        .map(|p| sha256(p).map_err(|e| format!("{}: {e}", p.display())))
        .collect();
    // the first input with each hash is parsed; later ones copy its outcome
    let mut first: std::collections::HashMap<&str, usize> = Default::default();
    let source: Vec<Option<usize>> = hashes
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = h.as_deref().ok()?;
            Some(*first.entry(h).or_insert(i))
        })
        .collect();
    let mut parsed: Vec<Option<Outcome>> = files
        .par_iter()
        .zip(&source)
        .enumerate()
        .map(|(i, (p, src))| (*src == Some(i)).then(|| parse_one(p)))
        .collect();
    let mut entries: Vec<Entry> = Vec::with_capacity(files.len());
    for (i, (p, h)) in files.iter().zip(&hashes).enumerate() {
        let (outcome, duplicate_of) = match (h, source[i], parsed[i].take()) {
            (Ok(_), _, Some(outcome)) => (outcome, None),
            (Ok(_), Some(src), None) => {
                let outcome = match &entries[src].outcome {
                    Outcome::Parsed(r) => Outcome::Parsed(Arc::clone(r)),
                    Outcome::Failed { message, code } => Outcome::Failed {
                        message: message.clone(),
                        code,
                    },
                };
                (outcome, Some(entries[src].file.clone()))
            }
            (Err(message), _, _) => (
                Outcome::Failed {
                    message: message.clone(),
                    code: FAILED,
                },
                None,
            ),
            (Ok(_), None, None) => unreachable!("every readable file has a source"),
        };
        entries.push(Entry {
            file: p.display().to_string(),
            sha256: h.clone().unwrap_or_default(),
            duplicate_of,
            outcome,
        });
    }
    attach_years(&mut entries);
    entries
}

/// Runs the year-over-year checks over the parsed inputs that are not copies and adds
/// each finding to its report (so its row counts it and its long rows name its code).
fn attach_years(entries: &mut [Entry]) {
    let kept: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].duplicate_of.is_none())
        .filter(|&i| matches!(entries[i].outcome, Outcome::Parsed(_)))
        .collect();
    let findings = {
        let pairs: Vec<(&str, &Report)> = kept
            .iter()
            .filter_map(|&i| match &entries[i].outcome {
                Outcome::Parsed(r) => Some((entries[i].file.as_str(), r.as_ref())),
                Outcome::Failed { .. } => None,
            })
            .collect();
        years::year_over_year(&pairs)
    };
    for (k, d) in findings {
        let Some(&i) = kept.get(k) else { continue };
        if let Outcome::Parsed(r) = &mut entries[i].outcome {
            // a copy sharing this report keeps it as parsed, as in the CLI
            Arc::make_mut(r).diagnostics.push(d);
        }
    }
}

/// The wide table: `export::csv_header` columns, `export::csv_record` rows.
fn wide_columns(entries: &[Entry]) -> Vec<Column> {
    let records: Vec<Vec<String>> = entries
        .par_iter()
        .map(|e| {
            let (result, error_code) = match &e.outcome {
                Outcome::Parsed(r) => (Ok(r.as_ref()), ""),
                Outcome::Failed { message, code } => (Err(message.as_str()), *code),
            };
            let mut rec = export::csv_record(&e.file, result);
            export::set_row_extra(
                &mut rec,
                &RowExtra {
                    error_code: error_code.to_string(),
                    sha256: e.sha256.clone(),
                    duplicate_of: e.duplicate_of.clone().unwrap_or_default(),
                },
            );
            rec
        })
        .collect();
    let cells = schema::all_cells();
    columns::from_records(
        &export::csv_header(),
        records,
        columns::wide_numeric(&cells),
    )
}

/// The long table: `export::LONG_COLUMNS`, `export::long_rows` rows (one `failed` row for
/// a file that could not be read). `raw` keeps "not found" (missing) apart from "printed
/// empty" (`""`), which the CSV cannot.
fn long_columns(entries: &[Entry]) -> Vec<Column> {
    let rows: Vec<export::LongRow> = entries
        .par_iter()
        .flat_map_iter(|e| match &e.outcome {
            Outcome::Parsed(r) => export::long_rows(&e.file, r),
            Outcome::Failed { code, .. } => vec![export::failed_long_row(&e.file, code)],
        })
        .collect();
    let raw: Vec<Option<String>> = rows.iter().map(|r| r.raw.clone()).collect();
    let header: Vec<String> = export::LONG_COLUMNS.iter().map(|s| s.to_string()).collect();
    let records = rows.iter().map(export::LongRow::record).collect();
    let mut cols = columns::from_records(&header, records, columns::long_numeric);
    if let Some(c) = cols.iter_mut().find(|c| c.name == "raw") {
        c.values = columns::Values::Str(raw);
    }
    cols
}
