//! Fuzzing that CI can afford, on stable Rust:
//! - every file of `tests/fuzz_regressions/` (minimised hostile inputs, committed) and, when
//!   present, of the cargo-fuzz corpora and artifacts (`fuzz/corpus/*/`, `fuzz/artifacts/*/`)
//!   goes through the library, sniffed and (for PDFs) forced to PDF;
//! - a bounded, deterministic mutation loop (structure-aware for PDF and HTML: numbers in
//!   `/Length`, `/Prev`, object references and `/Kids` changed or repeated, tags nested or
//!   repeated; plus bit flips, truncation and splicing) runs `OGI_FUZZ_ITERS` mutants per
//!   seed (default 12). A mutant that panics, hangs or runs over time is written to
//!   `target/fuzz-findings/` and fails the test: add it to `tests/fuzz_regressions/`.
//!
//! Each input runs on a fresh thread with the default spawned-thread stack.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ogi_report::{InputFormat, Options};

/// Each input must end within this (debug test profile).
const DEADLINE: Duration = Duration::from_secs(5);

fn files_in(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    v.sort();
    for p in v {
        if p.is_dir() {
            files_in(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

fn seeds() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for d in ["tests/fuzz_regressions", "fuzz/corpus", "fuzz/artifacts"] {
        files_in(&root.join(d), &mut out);
    }
    out
}

/// `None` when fine; a description of the failure otherwise. A PDF is also read with its
/// pages on three threads, which must give what one thread gives (report or error).
fn check(bytes: &[u8]) -> Option<String> {
    let mut runs = vec![Options::default()];
    if bytes.starts_with(b"%PDF") {
        let pdf = Options::default().with_format(InputFormat::Pdf);
        runs.push(pdf.clone());
        runs.push(pdf.with_threads(3));
    }
    let mut answers: Vec<Result<String, String>> = Vec::new();
    for opts in runs {
        let (tx, rx) = mpsc::channel();
        let b = bytes.to_vec();
        std::thread::Builder::new()
            .spawn(move || {
                let t = Instant::now();
                let r =
                    std::panic::catch_unwind(|| match ogi_report::parse_bytes_with(&b, &opts) {
                        Ok(rep) => Ok(serde_json::to_string(&rep).unwrap_or_default()),
                        Err(e) => Err(e.to_string()),
                    });
                let _ = tx.send((r, t.elapsed()));
            })
            .expect("spawn");
        match rx.recv_timeout(DEADLINE * 3) {
            Err(_) => return Some(format!("still running after {:?}", DEADLINE * 3)),
            Ok((Err(_), _)) => return Some("panicked".into()),
            Ok((Ok(_), t)) if t > DEADLINE => return Some(format!("took {t:?}")),
            Ok((Ok(answer), _)) => answers.push(answer),
        }
    }
    if let [_, one, three] = answers.as_slice() {
        if one != three {
            return Some("three page threads read it otherwise than one".into());
        }
    }
    None
}

#[test]
fn replay_fuzz_corpora_and_regressions() {
    let seeds = seeds();
    assert!(
        seeds.len() >= 10,
        "tests/fuzz_regressions/ holds the minimised hostile inputs: {seeds:?}"
    );
    let mut failures = Vec::new();
    for p in &seeds {
        let bytes = std::fs::read(p).expect("read");
        if let Some(why) = check(&bytes) {
            failures.push(format!("{}: {why}", p.display()));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Positions of the decimal numbers in `b`.
fn numbers(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            out.push((s, i));
        } else {
            i += 1;
        }
    }
    out
}

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = seed.to_vec();
    if b.is_empty() {
        return b;
    }
    let pdf = b.starts_with(b"%PDF");
    let html = b
        .windows(5)
        .take(4096)
        .any(|w| w.eq_ignore_ascii_case(b"<html"));
    match rng.below(if pdf || html { 6 } else { 3 }) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
        }
        1 => b.truncate(rng.below(b.len())),
        2 => {
            // splice: repeat a chunk
            let s = rng.below(b.len());
            let e = (s + 1 + rng.below(4096)).min(b.len());
            let chunk = b[s..e].to_vec();
            let at = rng.below(b.len());
            for _ in 0..1 + rng.below(16) {
                b.splice(at..at, chunk.iter().copied());
            }
        }
        _ if pdf => {
            // a number (object id, length, offset) replaced by another number of the file
            // (same width when possible, so offsets hold), or a reference repeated
            let nums = numbers(&b);
            if nums.len() < 2 {
                return b;
            }
            let (s, e) = nums[rng.below(nums.len())];
            if rng.below(2) == 0 {
                let (s2, e2) = nums[rng.below(nums.len())];
                let mut v = b[s2..e2].to_vec();
                v.truncate(e - s);
                while v.len() < e - s {
                    v.insert(0, b'0');
                }
                b[s..e].copy_from_slice(&v);
            } else {
                let r = format!(" {} 0 R", String::from_utf8_lossy(&b[s..e]));
                let at = e;
                for _ in 0..1 + rng.below(64) {
                    b.splice(at..at, r.bytes());
                }
            }
        }
        _ => {
            // HTML: open tags nested deep, or a tag repeated
            let tags: [&[u8]; 6] = [
                b"<div>",
                b"<ul><li>",
                b"<table><tr><td>",
                b"<b>",
                b"<span>",
                b"<td rowspan=999 colspan=999>",
            ];
            let t = tags[rng.below(tags.len())];
            let n = 1 + rng.below(3000);
            let at = rng.below(b.len());
            let ins: Vec<u8> = t.repeat(n);
            b.splice(at..at, ins);
        }
    }
    b
}

#[test]
fn bounded_mutation_loop() {
    let iters: usize = std::env::var("OGI_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = Vec::new();
    files_in(&root.join("tests/fuzz_regressions"), &mut seeds);
    let findings = root.join("target/fuzz-findings");
    let mut failures = Vec::new();
    for (k, p) in seeds.iter().enumerate() {
        let seed = std::fs::read(p).expect("read");
        let mut rng =
            Rng(0x9E37_79B9_7F4A_7C15 ^ (k as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
        for i in 0..iters {
            let m = mutate(&seed, &mut rng);
            if let Some(why) = check(&m) {
                let _ = std::fs::create_dir_all(&findings);
                let name = format!(
                    "{}-mutant-{i}",
                    p.file_name().and_then(|n| n.to_str()).unwrap_or("seed")
                );
                let _ = std::fs::write(findings.join(&name), &m);
                failures.push(format!("{name}: {why} (saved in target/fuzz-findings/)"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
