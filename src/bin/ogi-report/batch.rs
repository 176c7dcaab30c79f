//! Batch parsing: walk the inputs, hash them (identical files are parsed once, files already
//! in a resumed `--out` folder are skipped), parse in worker processes, write the rows in
//! input order as files finish, and add the year-over-year checks at the end.

use indicatif::{ProgressBar, ProgressStyle};
use ogi_report::export::{self, LongRow, RowExtra};
use ogi_report::{years, Code, Diagnostic, InputFormat, Severity};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use crate::worker::{self, Job, Parsed, Request, Response};
use crate::{Format, UsageError};

/// The UTF-8 byte order mark that makes Excel read a CSV as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Set by Ctrl-C: stop taking files, keep the finished ones.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C handler (a second Ctrl-C exits at once).
pub fn on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
}

/// One input in output order.
#[derive(Debug, Clone)]
pub struct Input {
    /// Its name in the outputs (the path as found, `-` for stdin).
    pub file: String,
    /// Where to read it.
    pub path: PathBuf,
}

/// What the walk found: the inputs and the files passed over.
pub struct Inputs {
    /// Inputs in output order.
    pub inputs: Vec<Input>,
    /// Files passed over in folders, with the reason code.
    pub skipped: Vec<(String, &'static str)>,
    /// A temporary copy of stdin, removed on drop.
    stdin_copy: Option<PathBuf>,
}

impl Drop for Inputs {
    fn drop(&mut self) {
        if let Some(p) = &self.stdin_copy {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Every input under the given paths (`-` is stdin, read into a temporary file).
pub fn collect(paths: &[PathBuf]) -> Result<Inputs, Box<dyn std::error::Error>> {
    let max = ogi_report::Options::default().max_input_bytes as u64;
    let mut stdin_copy = None;
    let mut inputs = Vec::new();
    let mut skipped = Vec::new();
    let mut rest: Vec<&PathBuf> = Vec::new();
    let flush = |rest: &mut Vec<&PathBuf>, inputs: &mut Vec<Input>, skipped: &mut Vec<_>| {
        let found = ogi_report::inputs::walk(rest, ogi_report::inputs::EXTENSIONS, max);
        inputs.extend(found.files.into_iter().map(|p| Input {
            file: p.display().to_string(),
            path: p,
        }));
        skipped.extend(
            found
                .skipped
                .into_iter()
                .map(|(p, r)| (p.display().to_string(), r.code())),
        );
        rest.clear();
    };
    for p in paths {
        if p.as_os_str() == "-" {
            flush(&mut rest, &mut inputs, &mut skipped);
            if stdin_copy.is_some() {
                continue;
            }
            let tmp = std::env::temp_dir().join(format!("ogi-report-stdin-{}", std::process::id()));
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(max + 1)
                .read_to_end(&mut bytes)?;
            std::fs::write(&tmp, &bytes)?;
            inputs.push(Input {
                file: "-".into(),
                path: tmp.clone(),
            });
            stdin_copy = Some(tmp);
        } else {
            rest.push(p);
        }
    }
    flush(&mut rest, &mut inputs, &mut skipped);
    Ok(Inputs {
        inputs,
        skipped,
        stdin_copy,
    })
}

/// How an input ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Parsed (possibly as the copy of an earlier input).
    Parsed(Arc<Parsed>),
    /// Not parsed.
    Failed {
        /// Why.
        message: String,
        /// Stable code (`input.failed`, `input.crash`, `input.timeout`).
        code: String,
    },
}

/// One finished input.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its name in the outputs.
    pub file: String,
    /// Where it was read.
    pub path: PathBuf,
    /// SHA-256 of its bytes (empty if unreadable).
    pub sha256: String,
    /// The earlier input it is a byte-identical copy of.
    pub duplicate_of: Option<String>,
    /// Its outcome.
    pub outcome: Outcome,
}

impl Entry {
    fn parsed(&self) -> Option<&Parsed> {
        match &self.outcome {
            Outcome::Parsed(p) => Some(p),
            Outcome::Failed { .. } => None,
        }
    }

    /// The wide CSV record.
    pub fn wide(&self) -> Vec<String> {
        let (mut rec, code) = match &self.outcome {
            Outcome::Parsed(p) => {
                let mut r = p.wide.clone();
                if let Some(f) = r.first_mut() {
                    f.clone_from(&self.file);
                }
                (r, String::new())
            }
            Outcome::Failed { message, code } => {
                (export::csv_record(&self.file, Err(message)), code.clone())
            }
        };
        export::set_row_extra(
            &mut rec,
            &RowExtra {
                error_code: code,
                sha256: self.sha256.clone(),
                duplicate_of: self.duplicate_of.clone().unwrap_or_default(),
            },
        );
        rec
    }

    /// The long rows.
    pub fn long(&self) -> Vec<LongRow> {
        match &self.outcome {
            Outcome::Parsed(p) => p
                .long
                .iter()
                .map(|r| LongRow {
                    file: self.file.clone(),
                    ..r.clone()
                })
                .collect(),
            Outcome::Failed { code, .. } => vec![export::failed_long_row(&self.file, code)],
        }
    }

    /// The diagnostics CSV records.
    pub fn diagnostic_rows(&self) -> Vec<Vec<String>> {
        match &self.outcome {
            Outcome::Parsed(p) => export::diagnostic_rows(&self.file, &p.diagnostics),
            Outcome::Failed { message, code } => vec![vec![
                self.file.clone(),
                code.clone(),
                "error".into(),
                String::new(),
                message.clone(),
                String::new(),
            ]],
        }
    }

    /// The JSON element: `{"file", "report"}` or `{"file", "error", "error_code"}`, with
    /// `duplicate_of` for a copy (borrowed: the report is written, not copied).
    pub fn json(&self) -> EntryJson<'_> {
        let (report, error, error_code) = match &self.outcome {
            Outcome::Parsed(p) => (Some(&p.report), None, None),
            Outcome::Failed { message, code } => {
                (None, Some(message.as_str()), Some(code.as_str()))
            }
        };
        EntryJson {
            file: &self.file,
            duplicate_of: self.duplicate_of.as_deref(),
            report,
            error,
            error_code,
        }
    }
}

/// An [`Entry`] as its JSON element.
#[derive(serde::Serialize)]
pub struct EntryJson<'a> {
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_of: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<&'a str>,
}

/// Settings of one batch.
pub struct Settings {
    /// Worker processes.
    pub jobs: usize,
    /// Per-file time budget.
    pub budget: Option<Duration>,
    /// Hashes of the files to skip (already in a resumed `--out` folder).
    pub done: HashSet<String>,
    /// Whether the outputs need each report's JSON.
    pub json: bool,
    /// Whether they need its wide and long rows (CSV outputs, `--out`, and the batch
    /// checks, which compare reports).
    pub rows: bool,
    /// Whether a lone file's report goes to stdout as pretty JSON (then made as text).
    pub pretty: bool,
}

/// Counts for the summary.
#[derive(Default)]
pub struct Tally {
    /// Inputs with an outcome.
    pub finished: usize,
    /// Inputs skipped because a resumed `--out` folder holds them.
    pub resumed: usize,
    /// Inputs not finished when Ctrl-C came.
    pub unfinished: Vec<String>,
}

/// The row of an input that could not be read (hashed).
fn unreadable(input: &Input, message: &str) -> Entry {
    Entry {
        file: input.file.clone(),
        path: input.path.clone(),
        sha256: String::new(),
        duplicate_of: None,
        outcome: Outcome::Failed {
            message: message.to_owned(),
            code: worker::FAILED.into(),
        },
    }
}

fn sha256(path: &Path) -> std::io::Result<String> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn progress(n: usize) -> ProgressBar {
    if std::io::stderr().is_terminal() && n > 1 {
        let b = ProgressBar::new(n as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {eta} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    }
}

/// Parses every input on `jobs` workers and attaches the year-over-year findings: the whole
/// batch in memory, for the commands that look at every report at once (`check`, `review`).
pub fn run_all(
    inputs: &[Input],
    jobs: Option<usize>,
) -> Result<(Vec<Entry>, Tally), Box<dyn std::error::Error>> {
    let settings = Settings {
        jobs: self::jobs(jobs),
        budget: None,
        done: Default::default(),
        json: false,
        rows: true,
        pretty: false,
    };
    let mut entries = Vec::new();
    let tally = run(inputs, &settings, |e| {
        entries.push(e.clone());
        Ok(())
    })?;
    let findings = year_over_year(&entries);
    attach(&mut entries, findings);
    Ok((entries, tally))
}

/// Parses every input, calling `emit` for each finished input in input order as soon as
/// every earlier input is finished (after Ctrl-C: every finished input, in order).
pub fn run(
    inputs: &[Input],
    settings: &Settings,
    mut emit: impl FnMut(&Entry) -> Result<(), Box<dyn std::error::Error>>,
) -> Result<Tally, Box<dyn std::error::Error>> {
    let hash = |i: &Input| sha256(&i.path).map_err(|e| format!("{}: {e}", i.path.display()));
    // The hashes decide what to parse when there is something to compare them with (other
    // inputs, a resumed folder); otherwise (`ogi-report parse file.pdf`) the input is
    // hashed while it parses.
    let early = inputs.len() > 1 || !settings.done.is_empty();
    let early_hashes: Vec<Result<String, String>> = if early {
        inputs.par_iter().map(hash).collect()
    } else {
        Vec::new()
    };
    let mut tally = Tally::default();
    // slot i: an input to report, or None for one a resumed folder holds
    let mut order: Vec<usize> = Vec::new();
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut dup_of: HashMap<usize, usize> = HashMap::new();
    let mut ready: BTreeMap<usize, Entry> = BTreeMap::new();
    let mut jobs = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let job = |input: &Input| Job {
            index: i,
            request: Request {
                path: input.path.clone(),
                file: input.file.clone(),
                json: settings.json,
                rows: settings.rows || inputs.len() > 1,
                // no batch finding is ever added to a lone report's JSON
                pretty: settings.pretty && inputs.len() == 1,
            },
        };
        let Some(h) = early_hashes.get(i) else {
            jobs.push(job(input));
            order.push(i);
            continue;
        };
        match h {
            Ok(h) if settings.done.contains(h) => {
                tally.resumed += 1;
                continue;
            }
            Ok(h) => {
                if let Some(&j) = first.get(h.as_str()) {
                    dup_of.insert(i, j);
                } else {
                    first.insert(h, i);
                    jobs.push(job(input));
                }
            }
            Err(e) => {
                ready.insert(i, unreadable(input, e));
            }
        }
        order.push(i);
    }
    let bar = progress(order.len());
    let (tx, rx) = mpsc::channel::<(usize, Response)>();
    let (n, budget) = (settings.jobs, settings.budget);
    let mut outcomes: HashMap<usize, Outcome> = HashMap::new();
    let mut next = 0usize; // position in `order`
    let mut failure: Option<Box<dyn std::error::Error>> = None;
    std::thread::scope(|s| {
        s.spawn(move || worker::run_pool(jobs, n, budget, &STOP, tx));
        let hashes = if early {
            early_hashes
        } else {
            let late: Vec<_> = inputs.iter().map(hash).collect();
            // unreadable: the read error is the row, as when hashed first
            for (i, h) in late.iter().enumerate() {
                if let Err(e) = h {
                    ready.insert(i, unreadable(&inputs[i], e));
                }
            }
            late
        };
        let entry_for = |i: usize, outcomes: &HashMap<usize, Outcome>| -> Option<Entry> {
            let src = dup_of.get(&i).copied().unwrap_or(i);
            let outcome = outcomes.get(&src)?.clone();
            Some(Entry {
                file: inputs[i].file.clone(),
                path: inputs[i].path.clone(),
                sha256: hashes[i].clone().unwrap_or_default(),
                duplicate_of: dup_of.get(&i).map(|&j| inputs[j].file.clone()),
                outcome,
            })
        };
        let mut drain = |outcomes: &HashMap<usize, Outcome>,
                         ready: &mut BTreeMap<usize, Entry>,
                         next: &mut usize,
                         failure: &mut Option<Box<dyn std::error::Error>>| {
            while let Some(&i) = order.get(*next) {
                let Some(e) = ready.remove(&i).or_else(|| entry_for(i, outcomes)) else {
                    break;
                };
                *next += 1;
                bar.inc(1);
                if failure.is_none() {
                    if let Err(err) = emit(&e) {
                        *failure = Some(err);
                        STOP.store(true, Ordering::SeqCst);
                    }
                }
            }
        };
        drain(&outcomes, &mut ready, &mut next, &mut failure);
        for (i, resp) in rx {
            let outcome = match resp {
                Response::Ok(p) => Outcome::Parsed(Arc::new(*p)),
                Response::Err { message, code } => Outcome::Failed { message, code },
            };
            outcomes.insert(i, outcome);
            drain(&outcomes, &mut ready, &mut next, &mut failure);
        }
        // stopped: the finished inputs after the first unfinished one, in order
        let rest: Vec<usize> = order[next..].to_vec();
        for i in rest {
            match ready.remove(&i).or_else(|| entry_for(i, &outcomes)) {
                Some(e) => {
                    if failure.is_none() {
                        if let Err(err) = emit(&e) {
                            failure = Some(err);
                        }
                    }
                }
                None => tally.unfinished.push(inputs[i].file.clone()),
            }
        }
    });
    bar.finish_and_clear();
    if let Some(e) = failure {
        return Err(e);
    }
    tally.finished = order.len() - tally.unfinished.len();
    Ok(tally)
}

/// The year-over-year findings over the parsed, non-duplicate entries: `(entry index,
/// diagnostic)`.
pub fn year_over_year(entries: &[Entry]) -> Vec<(usize, Diagnostic)> {
    let kept: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].duplicate_of.is_none() && entries[i].parsed().is_some())
        .collect();
    // a finding compares two reports of one body
    if kept.len() < 2 {
        return Vec::new();
    }
    let reports: Vec<ogi_report::Report> = kept
        .iter()
        .filter_map(|&i| {
            let p = entries[i].parsed()?;
            let mut r = export::report_from_long_rows(&p.long, input_format(&p.format));
            for (key, text) in &p.sections {
                if let Some(slot) = r.sections.slot_mut(key) {
                    *slot = Some(ogi_report::Section {
                        heading: String::new(),
                        text: text.clone(),
                        location: None,
                    });
                }
            }
            Some(r)
        })
        .collect();
    let pairs: Vec<(&str, &ogi_report::Report)> = kept
        .iter()
        .zip(&reports)
        .map(|(&i, r)| (entries[i].file.as_str(), r))
        .collect();
    years::year_over_year(&pairs)
        .into_iter()
        .filter_map(|(k, d)| kept.get(k).map(|&i| (i, d)))
        .collect()
}

/// The panel rows (see [`export::panel_rows`]) of the parsed, non-duplicate entries.
pub fn panel(entries: &[Entry]) -> Vec<Vec<String>> {
    let kept: Vec<(&str, ogi_report::Report, usize)> = entries
        .iter()
        .filter(|e| e.duplicate_of.is_none())
        .filter_map(|e| {
            let p = e.parsed()?;
            let problems = p
                .diagnostics
                .iter()
                .filter(|d| d.severity >= Severity::Warning)
                .count();
            Some((
                e.file.as_str(),
                export::report_from_long_rows(&p.long, input_format(&p.format)),
                problems,
            ))
        })
        .collect();
    let refs: Vec<(&str, &ogi_report::Report, usize)> =
        kept.iter().map(|(f, r, n)| (*f, r, *n)).collect();
    export::panel_rows(&refs)
}

fn input_format(s: &str) -> InputFormat {
    match s {
        "pdf" => InputFormat::Pdf,
        "html" => InputFormat::Html,
        "docx" => InputFormat::Docx,
        "markdown" => InputFormat::Markdown,
        "doc" => InputFormat::Doc,
        "image" => InputFormat::Image,
        _ => InputFormat::Text,
    }
}

/// Adds batch findings to the entries they concern (report JSON, counts, long rows).
pub fn attach(entries: &mut [Entry], findings: Vec<(usize, Diagnostic)>) {
    let count_col = export::FIXED_COLUMNS
        .iter()
        .position(|c| *c == "diagnostics");
    for (i, d) in findings {
        let Some(e) = entries.get_mut(i) else {
            continue;
        };
        let Outcome::Parsed(p) = &mut e.outcome else {
            continue;
        };
        let p = Arc::make_mut(p);
        if let Some(arr) = p
            .report
            .get_mut("diagnostics")
            .and_then(|v| v.as_array_mut())
        {
            if let Ok(v) = serde_json::to_value(&d) {
                arr.push(v);
            }
        }
        if d.severity >= Severity::Warning {
            if let Some(slot) = count_col.and_then(|c| p.wide.get_mut(c)) {
                let n: usize = slot.parse().unwrap_or(0);
                *slot = (n + 1).to_string();
            }
        }
        for row in p.long.iter_mut().filter(|r| d.cells.contains(&r.key)) {
            let code = d.code.to_string();
            if !row.diagnostics.contains(&code) {
                row.diagnostics.push(code);
            }
        }
        p.diagnostics.push(d);
    }
}

/// The summary on stderr: counts, the files passed over, the most frequent codes.
pub fn summary(
    entries: &[Entry],
    skipped: &[(String, &'static str)],
    tally: &Tally,
    out: Option<&Path>,
) {
    let parsed = entries.iter().filter(|e| e.parsed().is_some()).count();
    let warned = entries
        .iter()
        .filter_map(Entry::parsed)
        .filter(|p| {
            p.diagnostics
                .iter()
                .any(|d| d.severity >= Severity::Warning)
        })
        .count();
    let dups = entries.iter().filter(|e| e.duplicate_of.is_some()).count();
    let failed = entries.len() - parsed;
    for e in entries {
        if let Outcome::Failed { message, code } = &e.outcome {
            eprintln!("error[{code}]: {}: {message}", e.file);
        }
    }
    if !skipped.is_empty() {
        let mut by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (f, code) in skipped {
            by.entry(code).or_default().push(f);
        }
        for (code, files) in by {
            let shown: Vec<&str> = files.iter().take(5).copied().collect();
            eprintln!(
                "{code}: {} file(s) passed over: {}{}",
                files.len(),
                shown.join(", "),
                if files.len() > 5 { ", …" } else { "" }
            );
        }
    }
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    for p in entries
        .iter()
        .filter(|e| e.duplicate_of.is_none())
        .filter_map(Entry::parsed)
    {
        for d in p
            .diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
        {
            *codes.entry(d.code.to_string()).or_default() += 1;
        }
    }
    let mut top: Vec<(String, usize)> = codes.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let top: Vec<String> = top
        .iter()
        .take(5)
        .map(|(c, n)| format!("{c} ×{n}"))
        .collect();
    if !tally.unfinished.is_empty() {
        eprintln!(
            "interrupted: {} of {} files finished; stopped at {}{}",
            tally.finished,
            tally.finished + tally.unfinished.len(),
            tally.unfinished[0],
            match out {
                Some(o) => format!("; rerun with --resume --out {} to go on", o.display()),
                None => String::new(),
            }
        );
    }
    let mut extra = String::new();
    if dups > 0 {
        extra.push_str(&format!(", {dups} duplicates"));
    }
    if !skipped.is_empty() {
        extra.push_str(&format!(", {} skipped", skipped.len()));
    }
    if tally.resumed > 0 {
        extra.push_str(&format!(", {} already done", tally.resumed));
    }
    // every page OCR read (or failed on) has one ocr.page / ocr.page-unread diagnostic
    let ocr_pages: usize = entries
        .iter()
        .filter_map(Entry::parsed)
        .flat_map(|p| &p.diagnostics)
        .filter(|d| matches!(d.code, Code::OcrPage | Code::OcrPageUnread))
        .count();
    if ocr_pages > 0 {
        extra.push_str(&format!(", {ocr_pages} pages read by OCR"));
    }
    // formatted first: stderr is unbuffered, and a line written in pieces costs a system
    // call per piece (and may interleave with another process's)
    let line = format!(
        "{} files: {parsed} parsed ({warned} with warnings), {failed} failed{extra}{}\n",
        entries.len(),
        if top.is_empty() {
            String::new()
        } else {
            format!("; most frequent: {}", top.join(", "))
        }
    );
    eprint!("{line}");
}

/// The exit status of a batch: 130 interrupted, 3 nothing read, 1 some failed, else 0.
pub fn status(entries: &[Entry], tally: &Tally) -> ExitCode {
    let parsed = entries.iter().filter(|e| e.parsed().is_some()).count();
    if !tally.unfinished.is_empty() {
        ExitCode::from(130)
    } else if entries.is_empty() && tally.resumed == 0 || !entries.is_empty() && parsed == 0 {
        ExitCode::from(3)
    } else if parsed < entries.len() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Options of `ogi-report parse`.
pub struct ParseArgs<'a> {
    /// Stdout format.
    pub format: Format,
    /// Output folder.
    pub out: Option<&'a Path>,
    /// Worker processes.
    pub jobs: Option<usize>,
    /// Per-file time budget.
    pub budget: Option<Duration>,
    /// BOM on stdout CSV.
    pub bom: bool,
    /// Skip files already in `out`.
    pub resume: bool,
}

/// Number of workers: `--jobs` or the cores.
pub fn jobs(n: Option<usize>) -> usize {
    n.filter(|&n| n > 0).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    })
}

/// `ogi-report parse`.
pub fn parse(paths: &[PathBuf], args: &ParseArgs) -> Result<ExitCode, Box<dyn std::error::Error>> {
    if args.resume && args.out.is_none() {
        return Err(UsageError("--resume needs --out".into()).into());
    }
    if let Some(dir) = args.out {
        if dir.exists() && !dir.is_dir() {
            return Err(UsageError(format!(
                "--out {}: exists and is not a directory",
                dir.display()
            ))
            .into());
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| UsageError(format!("--out {}: {e}", dir.display())))?;
    }
    let found = collect(paths)?;
    let mut out = match args.out {
        Some(dir) => Some(crate::out::OutDir::open(dir, args.resume, &found.skipped)?),
        None => None,
    };
    let settings = Settings {
        jobs: jobs(args.jobs),
        budget: args.budget,
        done: out.as_ref().map(|o| o.done.clone()).unwrap_or_default(),
        json: out.is_some() || matches!(args.format, Format::Json | Format::Jsonl),
        rows: out.is_some() || matches!(args.format, Format::Csv | Format::Long),
        pretty: out.is_none() && args.format == Format::Json,
    };
    if found.inputs.is_empty() {
        summary(&[], &found.skipped, &Tally::default(), args.out);
        eprintln!("error: no input files found");
        return Ok(ExitCode::from(3));
    }
    let mut entries: Vec<Entry> = Vec::new();
    let tally = run(&found.inputs, &settings, |e| {
        if let Some(o) = out.as_mut() {
            o.write(e)?;
        }
        let mut e = e.clone();
        if out.is_some() {
            // keep what the batch checks and the summary need
            if let Outcome::Parsed(p) = &mut e.outcome {
                let p = Arc::make_mut(p);
                p.report = serde_json::Value::Null;
                p.wide = Vec::new();
            }
        }
        entries.push(e);
        Ok(())
    })?;
    let findings = year_over_year(&entries);
    match out.as_mut() {
        Some(o) => {
            for (i, d) in &findings {
                o.year_diagnostic(&entries[*i].file, d)?;
            }
            attach(&mut entries, findings);
            o.panel(&panel(&entries))?;
            o.finish()?;
        }
        None => {
            attach(&mut entries, findings);
            write_stdout(&entries, args.format, args.bom)?;
        }
    }
    summary(&entries, &found.skipped, &tally, args.out);
    let status = status(&entries, &tally);
    // The process ends with this command: the reports' memory goes back to the system at
    // once, where freeing their many small pieces one by one would add to every run.
    std::mem::forget(entries);
    Ok(status)
}

/// `[{"file": …, "report": …}]` as `serde_json`'s pretty printer writes it, from the
/// report already printed pretty at the top level: nested two levels down, each of its
/// line breaks is followed by four more spaces (a JSON string never holds a raw line
/// break, so every one is the printer's).
fn write_lone_pretty(
    w: &mut impl Write,
    file: &str,
    report: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    w.write_all(b"[\n  {\n    \"file\": ")?;
    serde_json::to_writer(&mut *w, file)?;
    w.write_all(b",\n    \"report\": ")?;
    let mut lines = report.split('\n');
    if let Some(first) = lines.next() {
        w.write_all(first.as_bytes())?;
    }
    for line in lines {
        w.write_all(b"\n    ")?;
        w.write_all(line.as_bytes())?;
    }
    w.write_all(b"\n  }\n]\n")?;
    Ok(())
}

fn write_stdout(
    entries: &[Entry],
    format: Format,
    bom: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let stdout = std::io::stdout();
    // a report's JSON is some 100 KiB: written in one or two system calls, not dozens
    let mut w = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    match format {
        Format::Json => match entries {
            [e] if e.duplicate_of.is_none()
                && e.parsed().is_some_and(|p| p.report_pretty.is_some()) =>
            {
                let text = e
                    .parsed()
                    .and_then(|p| p.report_pretty.as_deref())
                    .unwrap_or("null");
                write_lone_pretty(&mut w, &e.file, text)?;
            }
            _ => {
                let all: Vec<EntryJson> = entries.iter().map(Entry::json).collect();
                serde_json::to_writer_pretty(&mut w, &all)?;
                writeln!(w)?;
            }
        },
        Format::Jsonl => {
            for e in entries {
                serde_json::to_writer(&mut w, &e.json())?;
                writeln!(w)?;
            }
        }
        Format::Csv | Format::Long => {
            if bom {
                w.write_all(BOM)?;
            }
            let mut c = csv::Writer::from_writer(w);
            if format == Format::Csv {
                c.write_record(export::csv_header())?;
                for e in entries {
                    c.write_record(e.wide())?;
                }
            } else {
                c.write_record(export::LONG_COLUMNS)?;
                for e in entries {
                    for r in e.long() {
                        c.write_record(r.record())?;
                    }
                }
            }
            c.flush()?;
            return Ok(());
        }
    }
    w.flush()?;
    Ok(())
}
