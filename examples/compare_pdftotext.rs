//! Times every corpus PDF three ways, side by side: `ogi_report::parse_bytes` in this
//! process (bytes → checked Report), the release CLI's whole process (`ogi-report parse
//! FILE`, when built beside this example) and `pdftotext -layout FILE -` (poppler, when on
//! PATH). Median of `RUNS` (default 15; per-file ratios near a target want 31 or more on a
//! noisy machine) interleaved runs each; the ratio is CLI/pdftotext.
//!
//! `cargo build --release --features cli && cargo run --release --example compare_pdftotext [CORPUS_DIR]`
//! (`OGI_CLI=PATH` times another build of the CLI).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 15;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn have_pdftotext() -> bool {
    Command::new("pdftotext")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// The CLI to time: `OGI_CLI` when set (another build, such as the static one the README
/// describes), else the release CLI beside this example (`target/release/ogi-report`), when
/// built.
fn cli_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("OGI_CLI") {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("ogi-report");
    bin.is_file().then_some(bin)
}

/// One process run to completion, output discarded: its wall time.
fn time_process(cmd: &mut Command) -> Duration {
    let t = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run");
    std::hint::black_box(status);
    t.elapsed()
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"));
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(RUNS);
    let mut files = Vec::new();
    files.extend(ogi_report::inputs::find(&[&root], &["pdf"]));
    if files.is_empty() {
        eprintln!("no PDF under {}", root.display());
        std::process::exit(1);
    }
    let poppler = have_pdftotext();
    if !poppler {
        eprintln!("pdftotext not found on PATH; timing ogi-report only");
    }
    let cli = cli_binary();
    if cli.is_none() {
        eprintln!("no release CLI beside this example (cargo build --release --features cli): in-process times only");
    }

    println!(
        "{:<62} {:>8} {:>8} {:>8} {:>10} {:>6}  result",
        "file", "KiB", "lib ms", "cli ms", "pdftotext", "ratio"
    );
    let mut tot = [Duration::ZERO; 3];
    let (mut tot_bytes, mut ok, mut failed) = (0usize, 0usize, 0usize);
    for f in &files {
        let bytes = std::fs::read(f).expect("read");
        tot_bytes += bytes.len();
        let mut result = String::new();
        // the three timed side by side, round after round, so drift on the machine
        // touches them alike
        let mut times: [Vec<Duration>; 3] = Default::default();
        for _ in 0..runs {
            let t = Instant::now();
            let r = ogi_report::parse_bytes(&bytes);
            times[0].push(t.elapsed());
            result = match &r {
                Ok(rep) => format!(
                    "ok {} ({} diag)",
                    rep.metadata.template,
                    rep.problem_count()
                ),
                Err(e) => format!("error: {e}"),
            };
            if let Some(bin) = &cli {
                times[1].push(time_process(Command::new(bin).arg("parse").arg(f)));
            }
            if poppler {
                times[2].push(time_process(
                    Command::new("pdftotext").arg("-layout").arg(f).arg("-"),
                ));
            }
        }
        if result.starts_with("ok") {
            ok += 1;
        } else {
            failed += 1;
        }
        let med: Vec<Option<Duration>> = times
            .into_iter()
            .map(|v| (!v.is_empty()).then(|| median(v)))
            .collect();
        for (t, m) in tot.iter_mut().zip(&med) {
            *t += m.unwrap_or_default();
        }
        let show = |d: Option<Duration>| d.map_or("-".to_owned(), |d| format!("{:.2}", ms(d)));
        let ratio = match (med[1], med[2]) {
            (Some(c), Some(p)) => format!("{:.2}", ms(c) / ms(p)),
            _ => "-".into(),
        };
        let name = f.strip_prefix(&root).unwrap_or(f).display().to_string();
        println!(
            "{:<62} {:>8.1} {:>8} {:>8} {:>10} {:>6}  {}",
            name,
            bytes.len() as f64 / 1024.0,
            show(med[0]),
            show(med[1]),
            show(med[2]),
            ratio,
            result
        );
    }
    println!();
    println!(
        "total: {} PDFs, {:.1} MiB; ogi_report::parse_bytes {:.1} ms ({:.2} MB/s, {} ok, {} failed)",
        files.len(),
        tot_bytes as f64 / (1 << 20) as f64,
        ms(tot[0]),
        tot_bytes as f64 / 1e6 / tot[0].as_secs_f64(),
        ok,
        failed
    );
    if cli.is_some() {
        println!(
            "       ogi-report parse FILE (whole process) {:.1} ms",
            ms(tot[1])
        );
    }
    if poppler {
        println!(
            "       pdftotext -layout {:.1} ms ({:.2} MB/s, process start included); cli/pdftotext = {:.2}",
            ms(tot[2]),
            tot_bytes as f64 / 1e6 / tot[2].as_secs_f64(),
            ms(tot[1]) / ms(tot[2])
        );
    }
}
