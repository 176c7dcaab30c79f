//! Worker processes: the binary re-invoked as `ogi-report __worker` parses the files named
//! on its stdin, one JSON request per line, and answers one JSON line per file. A crash
//! (abort, stack overflow) or an overrun kills only that worker; the pool replaces it and
//! the file gets a row with `error` and the code `input.crash` or `input.timeout`.
//! A run with a single file parses it in this process instead (same answers, no start-up).
//!
//! Test-only fault injection: in debug builds, with `OGI_REPORT_TEST_FAULTS=1` in the
//! environment, a worker aborts on a file whose content starts with `OGI-REPORT-TEST-ABORT`
//! and never answers for one that starts with `OGI-REPORT-TEST-HANG`. Release builds
//! ignore both.

use ogi_report::export::{self, LongRow};
use ogi_report::Diagnostic;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Diagnostic-style code of a file the parser rejected.
pub const FAILED: &str = "input.failed";
/// Code of a file whose worker crashed.
pub const CRASH: &str = "input.crash";
/// Code of a file over its time budget.
pub const TIMEOUT: &str = "input.timeout";

/// One file to parse.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    /// Where to read it.
    pub path: PathBuf,
    /// Its name in the outputs.
    pub file: String,
    /// Whether the answer needs the report's JSON (JSON outputs, `reports.jsonl`).
    #[serde(default)]
    pub json: bool,
    /// Whether it needs the wide and long rows (CSV outputs, `--out`, checks across
    /// reports); without them `wide` and `long` are empty.
    #[serde(default = "yes")]
    pub rows: bool,
    /// Whether it wants the report's JSON as pretty text instead (a lone file's JSON on
    /// stdout: written as it is, with no `Value` built and printed again).
    #[serde(default)]
    pub pretty: bool,
}

fn yes() -> bool {
    true
}

/// A parsed file, in the forms the outputs need.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Parsed {
    /// The report's JSON (template key order); null unless the request asked for it.
    pub report: serde_json::Value,
    /// The report's JSON as pretty text, when the request asked for that (`report` is
    /// then null).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_pretty: Option<String>,
    /// The wide CSV record (batch columns empty).
    pub wide: Vec<String>,
    /// The long rows.
    pub long: Vec<LongRow>,
    /// The diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// The input format (`pdf`, `text`, …).
    pub format: String,
    /// The narrative sections' text, `(section key, text)`, for the year-over-year
    /// text-reuse check.
    #[serde(default)]
    pub sections: Vec<(String, String)>,
}

/// A worker's answer for one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Response {
    /// Parsed.
    Ok(Box<Parsed>),
    /// Not parsed: why, and a stable code.
    Err {
        /// The message.
        message: String,
        /// `input.failed`, `input.crash`, `input.timeout`.
        code: String,
    },
}

/// The environment variable by which `--ocr` reaches the parsing (in this process and in
/// workers): `never`, `auto` or `always`.
pub const OCR_ENV: &str = "OGI_REPORT_OCR";

/// Parsing options: the defaults, with `--ocr` as [`OCR_ENV`] says and a PDF's pages read
/// on up to `threads` threads.
fn options(threads: usize) -> ogi_report::Options {
    let ocr = match std::env::var(OCR_ENV).as_deref() {
        Ok("never") => ogi_report::OcrMode::Never,
        Ok("always") => ogi_report::OcrMode::Always,
        _ => ogi_report::OcrMode::Auto,
    };
    ogi_report::Options::default()
        .with_ocr(ocr)
        .with_threads(threads)
}

/// Parses one file into its [`Response`] (in this process), a PDF's pages on up to
/// `threads` threads (1 where files already keep the cores busy).
pub fn parse_file(req: &Request, threads: usize) -> Response {
    let file = req.file.as_str();
    match ogi_report::parse_path_with(&req.path, &options(threads)) {
        Ok(rep) => {
            // the report's JSON as the outputs want it: pretty text, a value, or neither
            let json = || -> serde_json::Result<(serde_json::Value, Option<String>)> {
                Ok(if req.pretty {
                    (serde_json::Value::Null, Some(pretty_json(&rep)?))
                } else if req.json {
                    (serde_json::to_value(&rep)?, None)
                } else {
                    (serde_json::Value::Null, None)
                })
            };
            let (report, report_pretty) = match json() {
                Ok(j) => j,
                Err(e) => {
                    return Response::Err {
                        message: e.to_string(),
                        code: FAILED.into(),
                    }
                }
            };
            let (wide, long) = if req.rows {
                (
                    export::csv_record(file, Ok(&rep)),
                    export::long_rows(file, &rep),
                )
            } else {
                Default::default()
            };
            Response::Ok(Box::new(Parsed {
                report,
                report_pretty,
                wide,
                long,
                diagnostics: rep.diagnostics.clone(),
                format: rep.metadata.format.to_string(),
                sections: [
                    ("overview", &rep.sections.overview),
                    ("problems", &rep.sections.problems),
                    ("other_matters", &rep.sections.other_matters),
                ]
                .into_iter()
                .filter_map(|(k, s)| Some((k.to_string(), s.as_ref()?.text.clone())))
                .collect(),
            }))
        }
        Err(e) => Response::Err {
            message: e.to_string(),
            code: FAILED.into(),
        },
    }
}

/// The report as pretty JSON, exactly as its `serde_json::Value` prints: an `f32` (a box
/// coordinate) is written widened to `f64`, as the `Value` holds it.
fn pretty_json(rep: &ogi_report::Report) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(1 << 17);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, AsValuePrints::default());
    serde::Serialize::serialize(rep, &mut ser)?;
    // serde_json writes valid UTF-8 only
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// serde_json's pretty printer with `f32`s written as the `f64`s a `Value` makes of them.
#[derive(Default)]
struct AsValuePrints(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for AsValuePrints {
    fn write_f32<W: ?Sized + std::io::Write>(&mut self, w: &mut W, v: f32) -> std::io::Result<()> {
        self.0.write_f64(w, f64::from(v))
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Whether test-only fault injection is on (debug builds with `OGI_REPORT_TEST_FAULTS`).
fn faults_enabled() -> bool {
    cfg!(debug_assertions) && std::env::var_os("OGI_REPORT_TEST_FAULTS").is_some()
}

fn test_fault(path: &Path) {
    if !faults_enabled() {
        return;
    }
    let mut head = [0u8; 32];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    if head.starts_with(b"OGI-REPORT-TEST-ABORT") {
        std::process::abort();
    }
    if head.starts_with(b"OGI-REPORT-TEST-HANG") {
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }
}

/// `ogi-report __worker`: answer requests until stdin ends.
pub fn run() -> ExitCode {
    // Ctrl-C is the parent's to handle: it stops the batch and ends the workers.
    let _ = ctrlc::set_handler(|| {});
    // a worker outside the terminal's process group must not outlive a killed parent
    // (a file that hangs the parser would keep it running): exit once reparented
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(500));
            if std::os::unix::process::parent_id() != parent {
                std::process::exit(1);
            }
        });
    }
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let resp = match serde_json::from_str::<Request>(&line) {
            Ok(req) => {
                test_fault(&req.path);
                parse_file(&req, 1)
            }
            Err(e) => Response::Err {
                message: format!("bad worker request: {e}"),
                code: FAILED.into(),
            },
        };
        let Ok(text) = serde_json::to_string(&resp) else {
            break;
        };
        if writeln!(out, "{text}").and_then(|()| out.flush()).is_err() {
            break;
        }
    }
    ExitCode::SUCCESS
}

/// A running worker process.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

impl Worker {
    fn spawn() -> std::io::Result<Worker> {
        let exe = std::env::current_exe()?;
        let mut cmd = Command::new(exe);
        cmd.arg("__worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            // out of the terminal's process group: Ctrl-C reaches only the parent
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let mut child = cmd.spawn()?;
        let (Some(stdin), Some(stdout), Some(mut err)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other("worker pipes missing"));
        };
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let keep = Arc::clone(&stderr);
        // OGI_PROFILE: the worker's stage timings go on to our stderr.
        let profiling = std::env::var_os("OGI_PROFILE").is_some_and(|v| !v.is_empty() && v != "0");
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if profiling {
                    eprint!("{}", String::from_utf8_lossy(&buf[..n]));
                }
                if let Ok(mut s) = keep.lock() {
                    s.push_str(&String::from_utf8_lossy(&buf[..n]));
                    if s.len() > 8192 {
                        let cut = s.len() - 4096;
                        let cut = (cut..s.len()).find(|&i| s.is_char_boundary(i)).unwrap_or(0);
                        s.drain(..cut);
                    }
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            lines,
            stderr,
        })
    }

    fn end(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The last line the worker printed on stderr, for crash messages.
    fn last_words(&self) -> String {
        // give the stderr reader a moment to catch the last lines
        std::thread::sleep(Duration::from_millis(20));
        self.stderr
            .lock()
            .ok()
            .and_then(|s| {
                s.lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .map(str::to_owned)
            })
            .unwrap_or_default()
    }
}

/// A batch job: its position in the output order and the request.
pub struct Job {
    /// Position in the output order.
    pub index: usize,
    /// What to parse.
    pub request: Request,
}

/// Runs `jobs` on `n` worker processes (a single job in this process, see
/// [`in_process`]), sending `(index, response)` as files finish.
/// Stops taking jobs when `stop` is set (in-flight files are abandoned, not reported).
pub fn run_pool(
    jobs: Vec<Job>,
    n: usize,
    budget: Option<Duration>,
    stop: &AtomicBool,
    tx: Sender<(usize, Response)>,
) {
    // one file (the common `ogi-report parse file.pdf`): no worker to start
    if let [job] = jobs.as_slice() {
        if !faults_enabled() {
            // its PDF pages on the cores the batch would have used (a few: past that,
            // threads' start and memory outweigh what a report's pages leave to share)
            let threads = n.clamp(1, MAX_PAGE_THREADS);
            if let Some(resp) = in_process(&job.request, threads, budget, stop) {
                let _ = tx.send((job.index, resp));
            }
            return;
        }
    }
    let queue = Mutex::new(std::collections::VecDeque::from(jobs));
    std::thread::scope(|s| {
        for _ in 0..n.max(1) {
            let tx = tx.clone();
            let queue = &queue;
            s.spawn(move || {
                let mut worker: Option<Worker> = None;
                loop {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Some(job) = queue.lock().ok().and_then(|mut q| q.pop_front()) else {
                        break;
                    };
                    let Some(resp) = one(&mut worker, &job.request, budget, stop) else {
                        break; // stopped
                    };
                    if tx.send((job.index, resp)).is_err() {
                        break;
                    }
                }
                if let Some(w) = worker {
                    drop(w.stdin);
                    let mut child = w.child;
                    // an idle worker ends when its stdin closes; a busy one is killed
                    if stop.load(Ordering::SeqCst) {
                        let _ = child.kill();
                    }
                    let _ = child.wait();
                }
            });
        }
    });
}

/// Parses one request on the thread's worker, replacing a dead one; `None` if stopped.
fn one(
    slot: &mut Option<Worker>,
    req: &Request,
    budget: Option<Duration>,
    stop: &AtomicBool,
) -> Option<Response> {
    let Ok(line) = serde_json::to_string(req) else {
        return Some(parse_file(req, 1));
    };
    // a worker that died between files is replaced once
    let mut sent = false;
    for _ in 0..2 {
        if slot.is_none() {
            match Worker::spawn() {
                Ok(w) => *slot = Some(w),
                // no worker can be started: parse here, without isolation
                Err(_) => return Some(parse_file(req, 1)),
            }
        }
        let w = slot.as_mut()?;
        if writeln!(w.stdin, "{line}")
            .and_then(|()| w.stdin.flush())
            .is_ok()
        {
            sent = true;
            break;
        }
        if let Some(w) = slot.take() {
            w.end();
        }
    }
    if !sent {
        return Some(Response::Err {
            message: "could not start a worker process".into(),
            code: CRASH.into(),
        });
    }
    let started = Instant::now();
    loop {
        let w = slot.as_mut()?;
        match w.lines.recv_timeout(Duration::from_millis(100)) {
            Ok(text) => {
                return Some(
                    serde_json::from_str(&text).unwrap_or_else(|e| Response::Err {
                        message: format!("unreadable worker answer: {e}"),
                        code: CRASH.into(),
                    }),
                );
            }
            Err(RecvTimeoutError::Timeout) => {
                if stop.load(Ordering::SeqCst) {
                    if let Some(w) = slot.take() {
                        w.end();
                    }
                    return None;
                }
                if let Some(b) = budget {
                    if started.elapsed() >= b {
                        if let Some(w) = slot.take() {
                            w.end();
                        }
                        return Some(over_budget(b));
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                let mut w = slot.take()?;
                let status = w.child.wait().map(|s| s.to_string()).unwrap_or_default();
                let words = w.last_words();
                w.end();
                return Some(Response::Err {
                    message: format!(
                        "worker process crashed ({status}){}",
                        if words.is_empty() {
                            String::new()
                        } else {
                            format!(": {words}")
                        }
                    ),
                    code: CRASH.into(),
                });
            }
        }
    }
}

/// Most threads a lone file's PDF pages are read on.
const MAX_PAGE_THREADS: usize = 8;

/// Name of the in-process parsing thread (its panics are reported as rows, not printed).
const PARSE_THREAD: &str = "ogi-parse";

/// Parses one request in this process, on its own thread, without a worker's start-up
/// cost; `None` if stopped. The answer matches the worker path's: over the budget the file
/// gets the same `input.timeout` row (the parse is abandoned, and ends with the process), a
/// panic an `input.crash` row. The library is built not to abort or overflow its stack
/// (bounded recursion; the thread gets a generous stack), so one file needs no isolation
/// from a parent it would otherwise share nothing with.
fn in_process(
    req: &Request,
    threads: usize,
    budget: Option<Duration>,
    stop: &AtomicBool,
) -> Option<Response> {
    quiet_parse_panics();
    let (tx, rx) = mpsc::channel();
    let owned = req.clone();
    let spawned = std::thread::Builder::new()
        .name(PARSE_THREAD.into())
        .stack_size(64 << 20)
        .spawn(move || {
            let resp =
                std::panic::catch_unwind(|| parse_file(&owned, threads)).unwrap_or_else(|p| {
                    Response::Err {
                        message: format!("parser panicked: {}", panic_text(p.as_ref())),
                        code: CRASH.into(),
                    }
                });
            let _ = tx.send(resp);
        });
    if spawned.is_err() {
        return Some(parse_file(req, threads));
    }
    let started = Instant::now();
    loop {
        // wake for Ctrl-C every 100 ms, and at the budget's end
        let mut wait = Duration::from_millis(100);
        if let Some(b) = budget {
            wait = wait.min(b.saturating_sub(started.elapsed()));
        }
        match rx.recv_timeout(wait) {
            // no JSON round trip needed to match a worker's answer: serde_json reads
            // floats back exactly (its `float_roundtrip` feature), so a worker's line
            // holds the very numbers this answer does
            Ok(resp) => return Some(resp),
            Err(RecvTimeoutError::Timeout) => {
                if stop.load(Ordering::SeqCst) {
                    return None;
                }
                if let Some(b) = budget {
                    if started.elapsed() >= b {
                        return Some(over_budget(b));
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Some(Response::Err {
                    message: "parser thread ended without an answer".into(),
                    code: CRASH.into(),
                })
            }
        }
    }
}

/// A panic's message.
fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Keeps the default panic message off stderr for the parsing thread and the threads
/// reading its PDF's pages (the panic becomes the file's row, as a worker's stderr does);
/// other threads' panics print as usual.
fn quiet_parse_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let me = std::thread::current();
            if !matches!(me.name(), Some(PARSE_THREAD | ogi_report::PDF_PAGE_THREAD)) {
                default(info);
            }
        }));
    });
}

/// The row of an input stopped at its time budget (the same from a worker and in-process).
fn over_budget(b: Duration) -> Response {
    Response::Err {
        message: format!(
            "time budget of {:.1} s exceeded; worker stopped",
            b.as_secs_f64()
        ),
        code: TIMEOUT.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The in-process answer skips the JSON round trip a worker's answer makes: it is only
    /// the same answer if every number reads back as written, to the last bit.
    #[test]
    fn numbers_survive_a_workers_json_line() {
        let mut x = 0.1f64;
        let mut floats = Vec::new();
        for i in 0..2000 {
            x = (x * 1.618_033_988_749_895 + i as f64 * 1e-7).fract() * 10f64.powi(i % 40 - 20);
            floats.push(x);
            floats.push(x as f32 as f64);
        }
        floats.extend([
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            2.225_073_858_507_201e-308,
        ]);
        let report = serde_json::to_value(&floats).unwrap();
        let resp = Response::Ok(Box::new(Parsed {
            report,
            report_pretty: None,
            wide: vec![],
            long: vec![],
            diagnostics: vec![],
            format: "pdf".into(),
            sections: vec![],
        }));
        let line = serde_json::to_string(&resp).unwrap();
        let back: Response = serde_json::from_str(&line).unwrap();
        let Response::Ok(p) = back else {
            panic!("not ok")
        };
        let read: Vec<f64> = serde_json::from_value(p.report).unwrap();
        assert_eq!(read.len(), floats.len());
        for (a, b) in floats.iter().zip(&read) {
            assert_eq!(a.to_bits(), b.to_bits(), "{a:e}");
        }
    }
}
