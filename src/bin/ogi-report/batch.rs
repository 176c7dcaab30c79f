//! Batch parsing: walk the inputs, parse in parallel, write the outputs in input order.

use indicatif::{ProgressBar, ProgressStyle};
use ogi_report::{export, Report};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::Format;

/// File name endings read when walking folders.
const EXTENSIONS: &[&str] = &[
    "pdf", "txt", "md", "markdown", "html", "htm", "shtml", "docx",
];

/// Every input file under the given paths: files as given, folders walked recursively
/// (only files with a known ending), in sorted order.
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(p);
        }
    }
}

/// Parses every input in parallel, with a progress bar on a terminal.
pub fn parse_all(
    files: &[PathBuf],
    jobs: Option<usize>,
) -> Vec<(String, Result<Report, ogi_report::Error>)> {
    let bar = if std::io::stderr().is_terminal() && files.len() > 1 {
        let b = ProgressBar::new(files.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {eta} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let work = || {
        files
            .par_iter()
            .map(|f| {
                let r = ogi_report::parse_path(f);
                bar.inc(1);
                (f.display().to_string(), r)
            })
            .collect::<Vec<_>>()
    };
    let results =
        match jobs.and_then(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build().ok()) {
            Some(pool) => pool.install(work),
            None => work(),
        };
    bar.finish_and_clear();
    results
}

/// `ogi-report parse`.
pub fn parse(
    paths: &[PathBuf],
    format: Format,
    out: Option<&Path>,
    jobs: Option<usize>,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let files = collect(paths);
    if files.is_empty() {
        return Err("no input files found".into());
    }
    let results = parse_all(&files, jobs);
    match out {
        Some(dir) => write_dir(dir, &results)?,
        None => write_stdout(&results, format)?,
    }
    summary(&results);
    let failed = results.iter().any(|(_, r)| r.is_err());
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn jsonl_line(file: &str, r: &Result<Report, ogi_report::Error>) -> serde_json::Value {
    match r {
        Ok(rep) => serde_json::json!({ "file": file, "report": rep }),
        Err(e) => serde_json::json!({ "file": file, "error": e.to_string() }),
    }
}

fn write_stdout(
    results: &[(String, Result<Report, ogi_report::Error>)],
    format: Format,
) -> Result<(), Box<dyn std::error::Error>> {
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Json if results.len() == 1 => {
            if let Some((file, r)) = results.first() {
                match r {
                    Ok(rep) => writeln!(w, "{}", serde_json::to_string_pretty(rep)?)?,
                    Err(e) => eprintln!("error: {file}: {e}"),
                }
            }
        }
        Format::Json => {
            let all: Vec<serde_json::Value> =
                results.iter().map(|(f, r)| jsonl_line(f, r)).collect();
            writeln!(w, "{}", serde_json::to_string_pretty(&all)?)?;
        }
        Format::Jsonl => {
            for (f, r) in results {
                writeln!(w, "{}", serde_json::to_string(&jsonl_line(f, r))?)?;
            }
        }
        Format::Csv => {
            let mut c = csv::Writer::from_writer(w);
            c.write_record(export::csv_header())?;
            for (f, r) in results {
                c.write_record(export::csv_record(f, r.as_ref()))?;
            }
            c.flush()?;
            return Ok(());
        }
    }
    w.flush()?;
    Ok(())
}

fn write_dir(
    dir: &Path,
    results: &[(String, Result<Report, ogi_report::Error>)],
) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let mut reports = csv::Writer::from_path(dir.join("reports.csv"))?;
    reports.write_record(export::csv_header())?;
    let mut diags = csv::Writer::from_path(dir.join("diagnostics.csv"))?;
    diags.write_record(export::DIAGNOSTIC_COLUMNS)?;
    let mut jsonl = std::io::BufWriter::new(std::fs::File::create(dir.join("reports.jsonl"))?);
    for (f, r) in results {
        reports.write_record(export::csv_record(f, r.as_ref()))?;
        writeln!(jsonl, "{}", serde_json::to_string(&jsonl_line(f, r))?)?;
        match r {
            Ok(rep) => {
                for rec in export::diagnostic_records(f, rep) {
                    diags.write_record(rec)?;
                }
            }
            Err(e) => {
                diags.write_record([f.as_str(), "input.failed", "error", "", &e.to_string(), ""])?
            }
        }
    }
    reports.flush()?;
    diags.flush()?;
    jsonl.flush()?;
    Ok(())
}

/// The summary on stderr: counts and the most frequent diagnostic codes.
fn summary(results: &[(String, Result<Report, ogi_report::Error>)]) {
    let parsed = results.iter().filter(|(_, r)| r.is_ok()).count();
    let warned = results
        .iter()
        .filter(|(_, r)| r.as_ref().is_ok_and(export::has_problems))
        .count();
    let failed = results.len() - parsed;
    for (f, r) in results {
        if let Err(e) = r {
            eprintln!("error: {f}: {e}");
        }
    }
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    for (_, r) in results {
        if let Ok(rep) = r {
            for d in rep
                .diagnostics
                .iter()
                .filter(|d| d.severity >= ogi_report::Severity::Warning)
            {
                *codes.entry(d.code.to_string()).or_default() += 1;
            }
        }
    }
    let mut top: Vec<(String, usize)> = codes.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let top: Vec<String> = top
        .iter()
        .take(5)
        .map(|(c, n)| format!("{c} ×{n}"))
        .collect();
    eprintln!(
        "{} files: {parsed} parsed ({warned} with warnings), {failed} failed{}",
        results.len(),
        if top.is_empty() {
            String::new()
        } else {
            format!("; most frequent: {}", top.join(", "))
        }
    );
}
