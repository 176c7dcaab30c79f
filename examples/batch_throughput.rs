//! Parses every corpus file (all formats) N times single-threaded, then again spread over
//! threads with `std::thread::scope`, and prints files/s and the speedup.
//!
//! `cargo run --release --example batch_throughput [N] [THREADS] [CORPUS_DIR]`

use ogi_report::{InputFormat, Options};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Job {
    bytes: Vec<u8>,
    opts: Options,
}

/// Parses one file; true when a report came out.
fn run(j: &Job) -> bool {
    ogi_report::parse_bytes_with(&j.bytes, &j.opts).is_ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let threads: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .max(2)
    });
    let root = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"));

    let mut paths = Vec::new();
    paths.extend(ogi_report::inputs::find(
        &[&root],
        ogi_report::inputs::EXTENSIONS,
    ));
    // bytes are read once, up front: the timing is parsing, not disk
    let jobs: Vec<Job> = paths
        .iter()
        .map(|p| {
            let md = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
            Job {
                bytes: std::fs::read(p).expect("read"),
                opts: if md {
                    Options::default().with_format(InputFormat::Markdown)
                } else {
                    Options::default()
                },
            }
        })
        .collect();
    let bytes: usize = jobs.iter().map(|j| j.bytes.len()).sum();
    let total = jobs.len() * n;
    println!(
        "{} files ({:.1} MiB) under {}, {} rounds = {} parses",
        jobs.len(),
        bytes as f64 / (1 << 20) as f64,
        root.display(),
        n,
        total
    );

    // warm-up (lazy regexes, page cache)
    let ok = jobs.iter().filter(|j| run(j)).count();
    println!("warm-up: {ok}/{} parsed", jobs.len());

    let t = Instant::now();
    for _ in 0..n {
        for j in &jobs {
            std::hint::black_box(run(j));
        }
    }
    let single = t.elapsed();

    let next = AtomicUsize::new(0);
    let t = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                std::hint::black_box(run(&jobs[i % jobs.len()]));
            });
        }
    });
    let multi = t.elapsed();

    let rate = |d: std::time::Duration| total as f64 / d.as_secs_f64();
    let mbs = |d: std::time::Duration| (bytes * n) as f64 / 1e6 / d.as_secs_f64();
    println!(
        "single-threaded: {:>8.1} ms  {:>8.1} files/s  {:>6.2} MB/s",
        single.as_secs_f64() * 1e3,
        rate(single),
        mbs(single)
    );
    println!(
        "{threads} threads:       {:>8.1} ms  {:>8.1} files/s  {:>6.2} MB/s",
        multi.as_secs_f64() * 1e3,
        rate(multi),
        mbs(multi)
    );
    println!(
        "speedup: {:.2}x on {threads} threads ({} cores available)",
        single.as_secs_f64() / multi.as_secs_f64(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
}
