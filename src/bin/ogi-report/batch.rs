//! Batch parsing: walk the inputs, parse in parallel (each file on its own time budget),
//! add the year-over-year checks, write the outputs in input order.

use indicatif::{ProgressBar, ProgressStyle};
use ogi_report::{export, years, Report};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use crate::Format;

/// One input's outcome: its report or why there is none.
pub type Outcome = (String, Result<Report, String>);

/// Every input file under the given paths (see [`ogi_report::inputs::find`]).
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    ogi_report::inputs::find(paths, ogi_report::inputs::EXTENSIONS)
}

/// Parses one file; with a budget, on a thread of its own so that an overrun only costs
/// that file (the thread is left to finish in the background).
fn parse_one(path: &Path, budget: Option<Duration>) -> Result<Report, String> {
    let Some(budget) = budget else {
        return ogi_report::parse_path(path).map_err(|e| e.to_string());
    };
    let (tx, rx) = mpsc::channel();
    let owned = path.to_owned();
    std::thread::spawn(move || {
        let _ = tx.send(ogi_report::parse_path(&owned).map_err(|e| e.to_string()));
    });
    match rx.recv_timeout(budget) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "time budget of {:.1} s exceeded",
            budget.as_secs_f64()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("parser stopped unexpectedly".to_string()),
    }
}

/// Parses every input in parallel, with a progress bar on a terminal, then attaches the
/// year-over-year findings to the later report of each pair.
pub fn parse_all(files: &[PathBuf], jobs: Option<usize>, budget: Option<Duration>) -> Vec<Outcome> {
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
                let r = parse_one(f, budget);
                bar.inc(1);
                (f.display().to_string(), r)
            })
            .collect::<Vec<_>>()
    };
    let mut results =
        match jobs.and_then(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build().ok()) {
            Some(pool) => pool.install(work),
            None => work(),
        };
    bar.finish_and_clear();
    add_year_over_year(&mut results);
    results
}

fn add_year_over_year(results: &mut [Outcome]) {
    let ok: Vec<usize> = (0..results.len())
        .filter(|&i| results[i].1.is_ok())
        .collect();
    let findings = {
        let pairs: Vec<(&str, &Report)> = ok
            .iter()
            .filter_map(|&i| {
                results[i]
                    .1
                    .as_ref()
                    .ok()
                    .map(|r| (results[i].0.as_str(), r))
            })
            .collect();
        years::year_over_year(&pairs)
    };
    for (k, d) in findings {
        if let Some(Ok(r)) = ok.get(k).map(|&i| &mut results[i].1) {
            r.diagnostics.push(d);
        }
    }
}

/// `ogi-report parse`.
pub fn parse(
    paths: &[PathBuf],
    format: Format,
    out: Option<&Path>,
    jobs: Option<usize>,
    budget: Option<Duration>,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let files = collect(paths);
    if files.is_empty() {
        return Err("no input files found".into());
    }
    let results = parse_all(&files, jobs, budget);
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

fn jsonl_line(file: &str, r: &Result<Report, String>) -> serde_json::Value {
    match r {
        Ok(rep) => serde_json::json!({ "file": file, "report": rep }),
        Err(e) => serde_json::json!({ "file": file, "error": e }),
    }
}

fn write_stdout(results: &[Outcome], format: Format) -> Result<(), Box<dyn std::error::Error>> {
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Json if results.len() == 1 => {
            if let Some((_, Ok(rep))) = results.first() {
                writeln!(w, "{}", serde_json::to_string_pretty(rep)?)?;
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
                c.write_record(export::csv_record(f, r.as_ref().map_err(String::as_str)))?;
            }
            c.flush()?;
            return Ok(());
        }
    }
    w.flush()?;
    Ok(())
}

fn write_dir(dir: &Path, results: &[Outcome]) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let mut reports = csv::Writer::from_path(dir.join("reports.csv"))?;
    reports.write_record(export::csv_header())?;
    let mut diags = csv::Writer::from_path(dir.join("diagnostics.csv"))?;
    diags.write_record(export::DIAGNOSTIC_COLUMNS)?;
    let mut jsonl = std::io::BufWriter::new(std::fs::File::create(dir.join("reports.jsonl"))?);
    for (f, r) in results {
        reports.write_record(export::csv_record(f, r.as_ref().map_err(String::as_str)))?;
        writeln!(jsonl, "{}", serde_json::to_string(&jsonl_line(f, r))?)?;
        match r {
            Ok(rep) => {
                for rec in export::diagnostic_records(f, rep) {
                    diags.write_record(rec)?;
                }
            }
            Err(e) => {
                diags.write_record([f.as_str(), "input.failed", "error", "", e.as_str(), ""])?
            }
        }
    }
    reports.flush()?;
    diags.flush()?;
    jsonl.flush()?;
    Ok(())
}

/// The summary on stderr: counts and the most frequent diagnostic codes.
fn summary(results: &[Outcome]) {
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
