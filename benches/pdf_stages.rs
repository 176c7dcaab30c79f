//! The PDF reader stage by stage on real corpus PDFs (one per producer): prescan, object
//! loading (the reachable objects, beside lopdf's load of every object), content-stream
//! lexing (this crate's lexer beside lopdf's `Content::decode`, which it replaced), the
//! whole PDF extraction (inflate, interpret, layout) and the full
//! `parse_bytes`. Throughput is in bytes of the input stage.
//!
//! `cargo bench --bench pdf_stages` (add `-- --quick` for a fast pass).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ogi_report::extract::pdf::{self, stages, PdfLimits};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

const FILES: [(&str, &str); 5] = [
    ("wps", "2024-huaian-hongze-district/source.pdf"),
    (
        "libreoffice",
        "2024-chanhe-justice-bureau/rendered-libreoffice.pdf",
    ),
    (
        "chromium",
        "2024-chanhe-justice-bureau/rendered-chromium.pdf",
    ),
    ("cid", "2024-chanhe-justice-bureau/rendered-cid.pdf"),
    ("print", "2019-shanghai-city-gov-office/source-print.pdf"),
];

fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    FILES
        .iter()
        .map(|(name, rel)| {
            let p = root.join(rel);
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (*name, bytes)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    let limits = PdfLimits::default();
    let mut g = c.benchmark_group("pdf.prescan");
    for (name, bytes) in &inputs {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), bytes, |b, d| {
            b.iter(|| stages::prescan(black_box(d)))
        });
    }
    g.finish();
    // the objects reachable from the trailer, and beside it every object through lopdf
    // (what the reader did before, and falls back to)
    for (group, load) in [
        ("pdf.load", stages::load as fn(&[u8]) -> usize),
        ("pdf.load_full", stages::load_full),
    ] {
        let mut g = c.benchmark_group(group);
        for (name, bytes) in &inputs {
            g.throughput(Throughput::Bytes(bytes.len() as u64));
            g.bench_with_input(BenchmarkId::from_parameter(name), bytes, |b, d| {
                b.iter(|| load(black_box(d)))
            });
        }
        g.finish();
    }
    let contents: Vec<(&str, Vec<u8>)> = inputs
        .iter()
        .map(|(name, bytes)| (*name, stages::page_contents(bytes).concat()))
        .collect();
    for (group, lex) in [
        ("pdf.lex", stages::lex as fn(&[u8]) -> usize),
        ("pdf.lex_lopdf", stages::lex_lopdf),
    ] {
        let mut g = c.benchmark_group(group);
        for (name, data) in &contents {
            g.throughput(Throughput::Bytes(data.len() as u64));
            g.bench_with_input(BenchmarkId::from_parameter(name), data, |b, d| {
                b.iter(|| lex(black_box(d)))
            });
        }
        g.finish();
    }
    let mut g = c.benchmark_group("pdf.extract");
    for (name, bytes) in &inputs {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), bytes, |b, d| {
            b.iter(|| pdf::extract(black_box(d), &limits))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("pdf.parse_bytes");
    for (name, bytes) in &inputs {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), bytes, |b, d| {
            b.iter(|| ogi_report::parse_bytes(black_box(d)))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(300))
        .sample_size(20);
    targets = bench
}
criterion_main!(benches);
