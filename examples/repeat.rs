//! Runs one stage on one file over and over, for `perf record` (a profile of a short run is
//! mostly start-up; this one is the stage).
//!
//! `cargo run --release --example repeat -- STAGE FILE [N]`, STAGE one of `load`, `load_full`
//! (every object, through lopdf), `extract`,
//! `parse` (bytes → checked Report).

use ogi_report::extract::pdf::{self, stages, PdfLimits};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(stage), Some(file)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: repeat load|load_full|extract|parse FILE [N]");
        std::process::exit(2);
    };
    let n: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(200);
    let bytes = std::fs::read(file).expect("read");
    let limits = PdfLimits::default();
    let t = Instant::now();
    for _ in 0..n {
        match stage.as_str() {
            "load" => {
                black_box(stages::load(black_box(&bytes)));
            }
            "load_full" => {
                black_box(stages::load_full(black_box(&bytes)));
            }
            "extract" => {
                let _ = black_box(pdf::extract(black_box(&bytes), &limits));
            }
            "parse" => {
                let _ = black_box(ogi_report::parse_bytes(black_box(&bytes)));
            }
            other => {
                eprintln!("unknown stage {other}");
                std::process::exit(2);
            }
        }
    }
    let each = t.elapsed().as_secs_f64() * 1e3 / n as f64;
    eprintln!("{stage}: {each:.3} ms per run ({n} runs)");
}
