//! Per-stage throughput (bytes of input per second): extract, normalize, parse, and the full
//! `parse_bytes`, on real corpus files and on generated pathological inputs.
//!
//! `cargo bench --bench pipeline` (add `-- --quick` for a fast pass).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ogi_report::extract::{self, Extracted};
use ogi_report::{normalize, parse, InputFormat, Options};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

struct Input {
    name: &'static str,
    bytes: Vec<u8>,
    opts: Options,
}

/// A bundled corpus file (a missing one stops the bench: its figures would not compare).
fn corpus(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A 1 MB single line of report-like text (no line break at all).
fn one_megabyte_line() -> Vec<u8> {
    let unit =
        "某某局2024年政府信息公开工作年度报告 一、总体情况 本机关主动公开政府信息 12 条， 0 0 0 ";
    let mut s = String::with_capacity(1 << 20);
    while s.len() < 1 << 20 {
        s.push_str(unit);
    }
    s.into_bytes()
}

/// A table text with 10,000 value rows under the table 三 heading.
fn ten_thousand_rows() -> Vec<u8> {
    let mut s = String::from(
        "某某局2024年政府信息公开工作年度报告\n一、总体情况\n正文。\n三、收到和处理政府信息公开申请情况\n申请人情况\n自然人 法人或其他组织 总计\n",
    );
    let labels = [
        "一、本年新收政府信息公开申请数量",
        "（一）予以公开",
        "1.属于国家秘密",
        "2.重复申请",
        "（七）总计",
    ];
    for i in 0..10_000 {
        let l = labels[i % labels.len()];
        s.push_str(&format!(
            "{l} {} {} 0 0 {} 0 {}\n",
            i % 97,
            i % 13,
            i % 7,
            i % 97 + i % 13 + i % 7
        ));
    }
    s.into_bytes()
}

fn inputs() -> Vec<Input> {
    let mut v = Vec::new();
    let files: [(&str, &str); 4] = [
        (
            "hongze-source.pdf",
            "2024-huaian-hongze-district/source.pdf",
        ),
        (
            "chanhe-libreoffice.pdf",
            "2024-chanhe-justice-bureau/rendered-libreoffice.pdf",
        ),
        ("chanhe-source.txt", "2024-chanhe-justice-bureau/source.txt"),
        (
            "shanghai-source.html",
            "2019-shanghai-city-gov-office/source.html",
        ),
    ];
    for (name, rel) in files {
        v.push(Input {
            name,
            bytes: corpus(rel),
            opts: Options::default(),
        });
    }
    let text = Options::default().with_format(InputFormat::Text);
    v.push(Input {
        name: "1mb-single-line",
        bytes: one_megabyte_line(),
        opts: text.clone(),
    });
    v.push(Input {
        name: "10k-row-table",
        bytes: ten_thousand_rows(),
        opts: text,
    });
    v
}

fn stages(c: &mut Criterion) {
    let inputs = inputs();

    let mut g = c.benchmark_group("extract");
    for i in &inputs {
        g.throughput(Throughput::Bytes(i.bytes.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(i.name), i, |b, i| {
            b.iter(|| extract::extract(black_box(&i.bytes), &i.opts))
        });
    }
    g.finish();

    // later stages take the previous stage's output, prepared once; throughput is still
    // counted in bytes of the original input so the stages add up.
    let extracted: Vec<(&Input, Extracted)> = inputs
        .iter()
        .filter_map(|i| extract::extract(&i.bytes, &i.opts).ok().map(|e| (i, e)))
        .collect();

    let mut g = c.benchmark_group("normalize");
    for (i, e) in &extracted {
        let md = e.format == InputFormat::Markdown;
        g.throughput(Throughput::Bytes(i.bytes.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(i.name), e, |b, e| {
            b.iter(|| normalize::normalize(black_box(&e.lines), md))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("parse");
    for (i, e) in &extracted {
        let doc = normalize::normalize(&e.lines, e.format == InputFormat::Markdown);
        g.throughput(Throughput::Bytes(i.bytes.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(i.name), &doc, |b, doc| {
            b.iter(|| parse::parse(black_box(doc)))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("parse_bytes");
    for i in &inputs {
        g.throughput(Throughput::Bytes(i.bytes.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(i.name), i, |b, i| {
            b.iter(|| ogi_report::parse_bytes_with(black_box(&i.bytes), &i.opts))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500))
        .sample_size(20);
    targets = stages
}
criterion_main!(benches);
