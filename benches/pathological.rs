//! The hostile inputs of issue 16 at two sizes each (the second twice the first), through
//! the whole `parse_bytes_with`: the time per input byte should stay flat (linear growth).
//!
//! `cargo bench --bench pathological` (add `-- --quick` for a fast pass).

use std::hint::black_box;
use std::io::Write;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use lopdf::{dictionary, Document, Object, Stream};
use ogi_report::{InputFormat, Options};

/// An HTML table 三 row whose value cell holds `n` bytes of text.
fn single_cell(n: usize) -> Vec<u8> {
    let cell = "1 ".repeat(n / 2);
    format!(
        "<html><body><p>某某局2024年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>\
         <table><tr><td>一、本年新收政府信息公开申请数量</td><td>{cell}</td><td>1</td></tr></table></body></html>"
    )
    .into_bytes()
}

/// `n` nested `<div>`s around a paragraph.
fn nesting(n: usize) -> Vec<u8> {
    format!(
        "<html><body>{}<p>深处 42</p></body></html>",
        "<div>".repeat(n)
    )
    .into_bytes()
}

/// Report text of `n` bytes without a line break.
fn one_line(n: usize) -> Vec<u8> {
    let unit = "二、主动公开政府信息情况 规章 0 0 0 行政规范性文件 2 0 25 ";
    format!(
        "某某局2024年政府信息公开工作年度报告 {}",
        unit.repeat(n / unit.len())
    )
    .into_bytes()
}

/// Eight pages sharing one content stream of `ops` operators.
fn shared_operators(ops: usize) -> Vec<u8> {
    let mut content = b"BT /F1 12 Tf 72 720 Td (Hello 123) Tj ET\n".to_vec();
    for _ in 0..ops {
        content.extend_from_slice(b"n\n");
    }
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&content).expect("zlib");
    let stream = Stream::new(
        dictionary! { "Filter" => "FlateDecode" },
        enc.finish().expect("zlib"),
    );
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let res = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let cid = doc.add_object(stream);
    let kids: Vec<Object> = (0..8)
        .map(|_| {
            Object::Reference(doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => cid, "Resources" => res,
            }))
        })
        .collect();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => 8,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let cat = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", cat);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

fn pathological(c: &mut Criterion) {
    type Make = fn(usize) -> Vec<u8>;
    let cases: [(&str, Make, [usize; 2], InputFormat); 4] = [
        (
            "single_cell_bytes",
            single_cell,
            [512 << 10, 1 << 20],
            InputFormat::Html,
        ),
        (
            "html_nesting",
            nesting,
            [50_000, 100_000],
            InputFormat::Html,
        ),
        (
            "one_line_bytes",
            one_line,
            [1 << 20, 2 << 20],
            InputFormat::Text,
        ),
        (
            "shared_operators",
            shared_operators,
            [1_000_000, 2_000_000],
            InputFormat::Pdf,
        ),
    ];
    for (name, make, sizes, format) in cases {
        let mut g = c.benchmark_group(name);
        let opts = Options::default().with_format(format);
        for n in sizes {
            let bytes = make(n);
            // Throughput in the size parameter: flat elements/s means linear time.
            g.throughput(Throughput::Elements(n as u64));
            g.bench_with_input(BenchmarkId::from_parameter(n), &bytes, |b, bytes| {
                b.iter(|| ogi_report::parse_bytes_with(black_box(bytes), &opts))
            });
        }
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_millis(300))
        .sample_size(10);
    targets = pathological
}
criterion_main!(benches);
