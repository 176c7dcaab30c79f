//! The `--out` folder: `reports.csv`, `cells.csv`, `diagnostics.csv` and `reports.jsonl`
//! written row by row as inputs finish (each CSV starts with a UTF-8 BOM), then
//! `reports.xlsx` built from the three CSVs and `panel.csv` (one row per body and year, the
//! keys both template versions share) at the end.
//!
//! With `--resume`, the files are appended to, and inputs whose SHA-256 is already in
//! `reports.csv` are skipped. Year-over-year findings (`years.*`) are appended to
//! `diagnostics.csv` at the end of the batch; the rows already written are not rewritten.

use csv::Writer;
use ogi_report::export;
use ogi_report::Diagnostic;
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::batch::{Entry, BOM};
use crate::UsageError;

/// The open output files of a batch.
pub struct OutDir {
    dir: PathBuf,
    reports: Writer<File>,
    cells: Writer<File>,
    diags: Writer<File>,
    jsonl: BufWriter<File>,
    /// SHA-256 of the inputs already in the folder (with `--resume`).
    pub done: HashSet<String>,
}

/// Opens a CSV for appending (resume) or afresh; a new file gets the BOM and the header.
fn open_csv(path: &Path, append: bool, header: &[String]) -> std::io::Result<Writer<File>> {
    let fresh = !append || std::fs::metadata(path).map_or(true, |m| m.len() == 0);
    let mut f = if fresh {
        File::create(path)?
    } else {
        OpenOptions::new().append(true).open(path)?
    };
    if fresh {
        f.write_all(BOM)?;
    }
    let mut w = Writer::from_writer(f);
    if fresh {
        w.write_record(header)?;
        w.flush()?;
    }
    Ok(w)
}

/// The SHA-256 column of an existing `reports.csv`.
fn done_hashes(path: &Path) -> Result<HashSet<String>, Box<dyn std::error::Error>> {
    let mut done = HashSet::new();
    if !path.exists() {
        return Ok(done);
    }
    let mut r = csv::Reader::from_path(path)?;
    let col = r
        .headers()?
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == "sha256")
        .ok_or_else(|| {
            UsageError(format!(
                "--resume: {} has no sha256 column (written by an older version?)",
                path.display()
            ))
        })?;
    for rec in r.records() {
        // a row cut short by a kill is ignored: that file is parsed again
        let Ok(rec) = rec else { continue };
        if let Some(h) = rec.get(col).filter(|h| h.len() == 64) {
            done.insert(h.to_string());
        }
    }
    Ok(done)
}

fn strings(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

impl OutDir {
    /// Opens (or, with `resume`, reopens) the output files, and records the files the
    /// walk passed over in `diagnostics.csv`.
    pub fn open(
        dir: &Path,
        resume: bool,
        skipped: &[(String, &'static str)],
    ) -> Result<OutDir, Box<dyn std::error::Error>> {
        let done = if resume {
            done_hashes(&dir.join("reports.csv"))?
        } else {
            HashSet::new()
        };
        let reports = open_csv(&dir.join("reports.csv"), resume, &export::csv_header())?;
        let cells = open_csv(
            &dir.join("cells.csv"),
            resume,
            &strings(export::LONG_COLUMNS),
        )?;
        let mut diags = open_csv(
            &dir.join("diagnostics.csv"),
            resume,
            &strings(export::DIAGNOSTIC_COLUMNS),
        )?;
        let jsonl_path = dir.join("reports.jsonl");
        let jsonl = if resume {
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(jsonl_path)?
        } else {
            File::create(jsonl_path)?
        };
        for (file, code) in skipped {
            diags.write_record([
                file.as_str(),
                code,
                "info",
                "",
                "passed over by the folder walk",
                "",
            ])?;
        }
        diags.flush()?;
        Ok(OutDir {
            dir: dir.to_owned(),
            reports,
            cells,
            diags,
            jsonl: BufWriter::new(jsonl),
            done,
        })
    }

    /// Writes one finished input to every file and flushes them.
    pub fn write(&mut self, e: &Entry) -> Result<(), Box<dyn std::error::Error>> {
        self.reports.write_record(e.wide())?;
        for r in e.long() {
            self.cells.write_record(r.record())?;
        }
        for r in e.diagnostic_rows() {
            self.diags.write_record(r)?;
        }
        serde_json::to_writer(&mut self.jsonl, &e.json())?;
        writeln!(self.jsonl)?;
        self.reports.flush()?;
        self.cells.flush()?;
        self.diags.flush()?;
        self.jsonl.flush()?;
        Ok(())
    }

    /// Appends a batch finding (year over year) to `diagnostics.csv`.
    pub fn year_diagnostic(
        &mut self,
        file: &str,
        d: &Diagnostic,
    ) -> Result<(), Box<dyn std::error::Error>> {
        for r in export::diagnostic_rows(file, std::slice::from_ref(d)) {
            self.diags.write_record(r)?;
        }
        Ok(())
    }

    /// Writes `panel.csv` afresh (one row per body and year of this run's reports).
    pub fn panel(&mut self, rows: &[Vec<String>]) -> Result<(), Box<dyn std::error::Error>> {
        let mut w = open_csv(&self.dir.join("panel.csv"), false, &export::panel_header())?;
        for r in rows {
            w.write_record(r)?;
        }
        w.flush()?;
        Ok(())
    }

    /// Flushes the CSVs and builds `reports.xlsx` from them.
    pub fn finish(&mut self) -> Result<(), Box<dyn std::error::Error>> {
        self.reports.flush()?;
        self.cells.flush()?;
        self.diags.flush()?;
        self.jsonl.flush()?;
        crate::xlsx::write(&self.dir)
    }
}
