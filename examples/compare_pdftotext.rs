//! Times `ogi_report::parse_bytes` (bytes → checked Report) on every corpus PDF against
//! `pdftotext -layout FILE -` (poppler), when that binary is on PATH. Median of 5 runs each.
//!
//! `cargo run --release --example compare_pdftotext [CORPUS_DIR]`

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 5;

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

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"));
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

    println!(
        "{:<62} {:>8} {:>10} {:>12} {:>7}  result",
        "file", "KiB", "ogi ms", "pdftotext ms", "ratio"
    );
    let (mut tot_ogi, mut tot_pop, mut tot_bytes) = (Duration::ZERO, Duration::ZERO, 0usize);
    let (mut ok, mut failed) = (0usize, 0usize);
    for f in &files {
        let bytes = std::fs::read(f).expect("read");
        tot_bytes += bytes.len();
        let mut result = String::new();
        let ogi = median(
            (0..RUNS)
                .map(|_| {
                    let t = Instant::now();
                    let r = ogi_report::parse_bytes(&bytes);
                    let d = t.elapsed();
                    result = match &r {
                        Ok(rep) => format!(
                            "ok {} ({} diag)",
                            rep.metadata.template,
                            rep.problem_count()
                        ),
                        Err(e) => format!("error: {e}"),
                    };
                    d
                })
                .collect(),
        );
        if result.starts_with("ok") {
            ok += 1;
        } else {
            failed += 1;
        }
        tot_ogi += ogi;
        let pop = poppler.then(|| {
            median(
                (0..RUNS)
                    .map(|_| {
                        let t = Instant::now();
                        let out = Command::new("pdftotext")
                            .arg("-layout")
                            .arg(f)
                            .arg("-")
                            .stderr(Stdio::null())
                            .output()
                            .expect("run pdftotext");
                        let d = t.elapsed();
                        std::hint::black_box(out.stdout.len());
                        d
                    })
                    .collect(),
            )
        });
        if let Some(p) = pop {
            tot_pop += p;
        }
        let name = f.strip_prefix(&root).unwrap_or(f).display().to_string();
        println!(
            "{:<62} {:>8.1} {:>10.2} {:>12} {:>7}  {}",
            name,
            bytes.len() as f64 / 1024.0,
            ms(ogi),
            pop.map(|p| format!("{:.2}", ms(p)))
                .unwrap_or_else(|| "-".into()),
            pop.map(|p| format!("{:.2}", ms(ogi) / ms(p)))
                .unwrap_or_else(|| "-".into()),
            result
        );
    }
    println!();
    println!(
        "total: {} PDFs, {:.1} MiB; ogi-report parse_bytes {:.1} ms ({:.2} MB/s, {} ok, {} failed)",
        files.len(),
        tot_bytes as f64 / (1 << 20) as f64,
        ms(tot_ogi),
        tot_bytes as f64 / 1e6 / tot_ogi.as_secs_f64(),
        ok,
        failed
    );
    if poppler {
        println!(
            "       pdftotext -layout {:.1} ms ({:.2} MB/s, process start included); ogi/pdftotext = {:.2}",
            ms(tot_pop),
            tot_bytes as f64 / 1e6 / tot_pop.as_secs_f64(),
            ms(tot_ogi) / ms(tot_pop)
        );
    }
}
