//! Hostile inputs, round two (issue 16): what mutation fuzzing found. Each test builds the
//! minimised input, runs it on a fresh thread with the *default* spawned-thread stack
//! (2 MiB: a library user's worker thread, not a big test stack) under a watchdog and the
//! counting allocator, and asserts a result or a typed error within `DEADLINE` and under
//! `PEAK_LIMIT` bytes live.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use lopdf::dictionary;
use ogi_report::{Error, InputFormat, Options};

mod common;

/// Each case must end within this (debug test profile, 2 shared cores): a detector of hangs
/// and quadratic blow-ups, not a speed target (that is `benches/pathological.rs`).
const DEADLINE: Duration = Duration::from_secs(10);
/// Peak of live bytes allowed for one case.
const PEAK_LIMIT: isize = 256 << 20;

#[derive(Debug)]
struct Run {
    result: std::result::Result<String, String>,
    time: Duration,
    peak_live: isize,
}

fn describe(r: &ogi_report::Result<ogi_report::Report>) -> String {
    match r {
        Ok(rep) => format!("Ok({} diagnostics)", rep.diagnostics.len()),
        Err(Error::Limit(m)) => format!("Limit({m})"),
        Err(e) => format!("Err({e:?})"),
    }
}

/// Parses `bytes` on a fresh default-stack thread; panics on a hang, a panic, over time or
/// over memory; returns the outcome.
fn bounded(
    what: &str,
    bytes: Vec<u8>,
    opts: Options,
) -> (ogi_report::Result<ogi_report::Report>, Run) {
    let (tx, rx) = mpsc::channel();
    let len = bytes.len();
    std::thread::Builder::new()
        .spawn(move || {
            common::reset_counters();
            let t = Instant::now();
            let r = std::panic::catch_unwind(|| ogi_report::parse_bytes_with(&bytes, &opts));
            let time = t.elapsed();
            let peak_live = common::counters().1;
            let _ = tx.send((r, time, peak_live));
        })
        .expect("spawn");
    let Ok((r, time, peak_live)) = rx.recv_timeout(DEADLINE * 3) else {
        panic!(
            "{what} ({len} bytes): still running after {:?}",
            DEADLINE * 3
        );
    };
    let r = match r {
        Ok(r) => r,
        Err(p) => panic!(
            "{what}: panicked: {}",
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        ),
    };
    let run = Run {
        result: Ok(describe(&r)),
        time,
        peak_live,
    };
    eprintln!(
        "{what} ({len} bytes): {:?} in {:.2?}, peak live {} MiB",
        run.result,
        run.time,
        run.peak_live >> 20
    );
    assert!(time < DEADLINE, "{what}: took {time:?}");
    assert!(
        peak_live < PEAK_LIMIT,
        "{what}: peak live {} MiB",
        peak_live >> 20
    );
    (r, run)
}

// ---------------------------------------------------------------- raw PDF building

const HELLO: &[u8] = b"BT /F1 12 Tf 72 720 Td (Hello 123) Tj ET\n";

fn stream_body(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut v = format!("<< {dict} >>\nstream\n").into_bytes();
    v.extend_from_slice(data);
    v.extend_from_slice(b"\nendstream");
    v
}

/// One object of a hand-written PDF.
enum Obj {
    /// A top-level object with this body.
    Body(Vec<u8>),
    /// An object stored in the object stream that is object `container`.
    InStream { container: u32, index: u16 },
}

/// A PDF whose objects are `objs[i]` = object `i + 1`, with a cross-reference *stream*
/// (so objects can live in object streams); `prev` adds a `/Prev` to the trailer.
fn xref_stream_pdf(objs: &[Obj], prev: Option<&str>) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut rows = vec![[0u8, 0, 0, 0, 0, 0xff, 0xff].to_vec()];
    for (i, o) in objs.iter().enumerate() {
        match o {
            Obj::Body(b) => {
                let off = out.len() as u32;
                out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
                out.extend_from_slice(b);
                out.extend_from_slice(b"\nendobj\n");
                let mut r = vec![1u8];
                r.extend_from_slice(&off.to_be_bytes());
                r.extend_from_slice(&[0, 0]);
                rows.push(r);
            }
            Obj::InStream { container, index } => {
                let mut r = vec![2u8];
                r.extend_from_slice(&container.to_be_bytes());
                r.extend_from_slice(&index.to_be_bytes());
                rows.push(r);
            }
        }
    }
    let id = objs.len() + 1;
    let xref_at = out.len();
    let mut own = vec![1u8];
    own.extend_from_slice(&(xref_at as u32).to_be_bytes());
    own.extend_from_slice(&[0, 0]);
    rows.push(own);
    let data: Vec<u8> = rows.concat();
    out.extend_from_slice(
        format!(
            "{id} 0 obj\n<< /Type /XRef /Size {} /W [1 4 2] /Root 1 0 R /Length {}{} >>\nstream\n",
            id + 1,
            data.len(),
            prev.map(|p| format!(" /Prev {p}")).unwrap_or_default()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&data);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    out
}

fn catalog_pages_page(contents: &str) -> Vec<Obj> {
    vec![
        Obj::Body(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()),
        Obj::Body(b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>".to_vec()),
        Obj::Body(
            format!(
                "<< /Type /Page /Parent 2 0 R /Contents {contents} \
                 /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 \
                 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >> >> >>"
            )
            .into_bytes(),
        ),
    ]
}

/// An object stream's data holding `objects` (bodies) as objects `first_id..`.
fn objstm_data(first_id: u32, objects: &[&str]) -> (String, Vec<u8>) {
    let mut header = String::new();
    let mut body = String::new();
    for (i, o) in objects.iter().enumerate() {
        header.push_str(&format!("{} {} ", first_id + i as u32, body.len()));
        body.push_str(o);
        body.push(' ');
    }
    let first = header.len();
    (
        format!("/Type /ObjStm /N {} /First {first}", objects.len()),
        format!("{header}{body}").into_bytes(),
    )
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn startxref(pdf: &[u8]) -> usize {
    let p = pdf
        .windows(10)
        .rposition(|w| w == b"startxref\n")
        .expect("startxref");
    let digits: String = pdf[p + 10..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .map(|&c| c as char)
        .collect();
    digits.parse().expect("offset")
}

fn pdf_outcome_is_typed(r: &ogi_report::Result<ogi_report::Report>) {
    assert!(
        matches!(
            r,
            Ok(_)
                | Err(Error::Damaged { .. }
                    | Error::Limit(_)
                    | Error::NotAReport
                    | Error::NoTextLayer)
        ),
        "{r:?}"
    );
}

/// The lines a PDF's text extraction gives.
fn pdf_text(bytes: &[u8]) -> Vec<String> {
    match ogi_report::extract::extract(bytes, &pdf_opts()) {
        Ok(x) => x.lines.into_iter().map(|l| l.text).collect(),
        Err(e) => vec![format!("{e:?}")],
    }
}

fn pdf_opts() -> Options {
    Options::default().with_format(InputFormat::Pdf)
}

// ---------------------------------------------------------------- 1. reference cycles in lopdf

/// Object stream 4 whose `/Length` is object 5, stored inside object stream 4 itself:
/// lopdf resolves the length by loading the container, whose length is object 5 … until
/// the stack overflows (the process aborts). The content stream 6 uses the same length.
#[test]
fn object_stream_whose_length_lives_inside_itself() {
    let (dict, data) = objstm_data(5, &["42"]);
    let mut objs = catalog_pages_page("6 0 R");
    objs.push(Obj::Body(stream_body(
        &format!("{dict} /Length 5 0 R"),
        &data,
    )));
    objs.push(Obj::InStream {
        container: 4,
        index: 0,
    });
    objs.push(Obj::Body(stream_body("/Length 5 0 R", HELLO)));
    let bytes = xref_stream_pdf(&objs, None);
    let (r, _) = bounded("ObjStm /Length inside itself", bytes.clone(), pdf_opts());
    assert!(matches!(r, Err(Error::NotAReport)), "{r:?}");
    // The content stream, whose length lives in the broken object stream, is still read.
    assert_eq!(pdf_text(&bytes), ["Hello 123"]);
}

/// Two object streams whose lengths live in each other.
#[test]
fn object_streams_whose_lengths_live_in_each_other() {
    let (d4, data4) = objstm_data(6, &["7"]);
    let (d5, data5) = objstm_data(7, &["8"]);
    let mut objs = catalog_pages_page("8 0 R");
    // 4: ObjStm holding 6; its length is 7 (in 5). 5: ObjStm holding 7; its length is 6 (in 4).
    objs.push(Obj::Body(stream_body(
        &format!("{d4} /Length 7 0 R"),
        &data4,
    )));
    objs.push(Obj::Body(stream_body(
        &format!("{d5} /Length 6 0 R"),
        &data5,
    )));
    objs.push(Obj::InStream {
        container: 4,
        index: 0,
    });
    objs.push(Obj::InStream {
        container: 5,
        index: 0,
    });
    objs.push(Obj::Body(stream_body(
        &format!("/Length {}", HELLO.len()),
        HELLO,
    )));
    let bytes = xref_stream_pdf(&objs, None);
    let (r, _) = bounded("ObjStm lengths in each other", bytes.clone(), pdf_opts());
    assert!(matches!(r, Err(Error::NotAReport)), "{r:?}");
    assert_eq!(pdf_text(&bytes), ["Hello 123"]);
}

/// 20,000 streams, each one's `/Length` the next stream (not a cycle, a chain): lopdf
/// recurses once per link.
#[test]
fn chain_of_stream_lengths_is_not_recursed() {
    let n = 20_000u32;
    let mut objs = catalog_pages_page("4 0 R");
    for i in 0..n {
        let next = 4 + i + 1;
        objs.push(Obj::Body(stream_body(
            &format!("/Length {next} 0 R"),
            HELLO,
        )));
    }
    objs.push(Obj::Body(format!("{}", HELLO.len()).into_bytes()));
    let bytes = xref_stream_pdf(&objs, None);
    let (r, _) = bounded("20,000-link /Length chain", bytes.clone(), pdf_opts());
    assert!(matches!(r, Err(Error::NotAReport)), "{r:?}");
    assert_eq!(pdf_text(&bytes), ["Hello 123"]);
}

/// An indirect `/Length` pointing at a plain integer object (what many producers write)
/// still reads the stream: the text comes through.
#[test]
fn indirect_length_to_an_integer_still_reads() {
    let mut objs = catalog_pages_page("4 0 R");
    objs.push(Obj::Body(stream_body("/Length 5 0 R", HELLO)));
    objs.push(Obj::Body(format!("{}", HELLO.len()).into_bytes()));
    let bytes = xref_stream_pdf(&objs, None);
    let lines = ogi_report::extract::extract(&bytes, &pdf_opts()).expect("extract");
    let text: Vec<String> = lines.lines.iter().map(|l| l.text.clone()).collect();
    assert_eq!(text, ["Hello 123"]);
}

/// The cross-reference stream's `/Prev` points at itself, and a second file's `/Prev`
/// chain loops between two sections.
#[test]
fn prev_chains_that_loop() {
    let mut objs = catalog_pages_page("4 0 R");
    objs.push(Obj::Body(stream_body(
        &format!("/Length {}", HELLO.len()),
        HELLO,
    )));
    // The xref stream starts where it would without /Prev (it is the last object).
    let probe = xref_stream_pdf(&objs, None);
    let at = startxref(&probe);
    let self_prev = xref_stream_pdf(&objs, Some(&at.to_string()));
    assert_eq!(startxref(&self_prev), at);
    let (r, _) = bounded("/Prev to itself", self_prev.clone(), pdf_opts());
    pdf_outcome_is_typed(&r);
    assert_eq!(pdf_text(&self_prev), ["Hello 123"]);
    // A classic xref section whose trailer's /Prev is the xref stream, whose /Prev is the
    // classic section: appended as an incremental update.
    let mut two = xref_stream_pdf(&objs, Some("0000000000"));
    let stm = startxref(&two);
    let classic = two.len();
    two.extend_from_slice(
        format!("xref\n0 0\ntrailer\n<< /Size 7 /Root 1 0 R /Prev {stm} >>\nstartxref\n{classic}\n%%EOF\n")
            .as_bytes(),
    );
    let text = format!("/Prev {classic:010}");
    let p = find(&two, b"/Prev 0000000000").expect("placeholder");
    two[p..p + text.len()].copy_from_slice(text.as_bytes());
    let (r, _) = bounded("/Prev loop of two sections", two, pdf_opts());
    pdf_outcome_is_typed(&r);
}

/// An indirect length too wide to write in place (`5 0 R` for a 120,000-byte stream):
/// lopdf reads the stream empty and its data is set after loading.
#[test]
fn indirect_length_wider_than_its_reference_still_reads() {
    let mut data = HELLO.to_vec();
    data.resize(120_000, b' ');
    let mut objs = catalog_pages_page("4 0 R");
    objs.push(Obj::Body(stream_body("/Length 5 0 R", &data)));
    objs.push(Obj::Body(format!("{}", data.len()).into_bytes()));
    assert_eq!(pdf_text(&xref_stream_pdf(&objs, None)), ["Hello 123"]);
}

// ---------------------------------------------------------------- 2. page trees, budgets per document

/// `/Kids` lists the page twice and the page tree itself: each page object is read once.
#[test]
fn page_tree_listing_itself_and_a_child_twice_reads_each_page_once() {
    let mut objs = catalog_pages_page("4 0 R");
    objs[1] = Obj::Body(
        b"<< /Type /Pages /Kids [3 0 R 3 0 R 2 0 R 3 0 R] /Count 4 /MediaBox [0 0 595 842] >>"
            .to_vec(),
    );
    // A page heavy enough that reading it many times shows: 200,000 operators.
    let mut content = HELLO.to_vec();
    for _ in 0..200_000 {
        content.extend_from_slice(b"n\n");
    }
    objs.push(Obj::Body(stream_body(
        &format!("/Length {}", content.len()),
        &content,
    )));
    let bytes = xref_stream_pdf(&objs, None);
    let (r, _) = bounded("/Kids listing itself", bytes.clone(), pdf_opts());
    assert!(matches!(r, Err(Error::NotAReport)), "{r:?}");
    assert_eq!(pdf_text(&bytes), ["Hello 123"]);
}

fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn ops_stream(ops: usize) -> lopdf::Stream {
    let mut content = HELLO.to_vec();
    for _ in 0..ops {
        content.extend_from_slice(b"n\n");
    }
    lopdf::Stream::new(dictionary! { "Filter" => "FlateDecode" }, zlib(&content))
}

/// One content stream of 1,000,000 operators shared by 8 pages: 8,000,000 operators if
/// each page ran it, over the document's default budget. The shared stream is
/// interpreted once and its lines reused for the other pages (the 2,000,000-operator
/// version is in `benches/pathological.rs`).
#[test]
fn million_operators_shared_by_eight_pages_run_once() {
    let bytes = common::pdf(8, ops_stream(999_000), |_| dictionary! {});
    let (r, _) = bounded("1M operators × 8 pages", bytes.clone(), pdf_opts());
    assert!(matches!(r, Err(Error::NotAReport)), "{r:?}");
    assert_eq!(pdf_text(&bytes), vec!["Hello 123"; 8]);
}

/// Eight pages drawing the Helvetica `F1`, each with its own content stream (so no page
/// is read as a repeat of another).
fn eight_pages_each_with_its_own(stream: impl Fn() -> lopdf::Stream) -> Vec<u8> {
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let res = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for _ in 0..8 {
        let c = doc.add_object(stream());
        let p = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => c, "Resources" => res,
        });
        kids.push(lopdf::Object::Reference(p));
    }
    doc.objects.insert(
        pages_id,
        lopdf::Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => 8,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let cat = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", cat);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");
    bytes
}

/// Eight pages, each with its own stream of 150,000 operators: the document budget
/// (here 500,000) stops the fourth page, whatever the per-page limit.
#[test]
fn operators_are_budgeted_per_document() {
    let bytes = eight_pages_each_with_its_own(|| ops_stream(150_000));
    // the budget is the document's however many threads read its pages
    for threads in [1, 4] {
        let (r, _) = bounded(
            "8 pages × 150k operators",
            bytes.clone(),
            pdf_opts()
                .with_max_ops_per_document(500_000)
                .with_threads(threads),
        );
        assert!(
            matches!(&r, Err(Error::Limit(m)) if m.contains("operators in the document")),
            "{threads} threads: {r:?}"
        );
        // and counted exactly: 1,200,000 operators fit a budget of 1,250,000
        let (r, _) = bounded(
            "8 pages × 150k operators",
            bytes.clone(),
            pdf_opts()
                .with_max_ops_per_document(1_250_000)
                .with_threads(threads),
        );
        assert!(
            !matches!(&r, Err(Error::Limit(_))),
            "{threads} threads: {r:?}"
        );
    }
}

/// Glyphs are budgeted per document too: 8 pages of 100,000 glyphs each, distinct
/// streams, against a budget of 500,000.
#[test]
fn glyphs_are_budgeted_per_document() {
    let mut content = b"BT /F1 1 Tf 0 Tz 72 720 Td (".to_vec();
    content.resize(content.len() + 100_000, b'8');
    content.extend_from_slice(b") Tj ET\n");
    let bytes = eight_pages_each_with_its_own(|| {
        lopdf::Stream::new(dictionary! { "Filter" => "FlateDecode" }, zlib(&content))
    });
    for threads in [1, 4] {
        let (r, _) = bounded(
            "8 pages × 100k glyphs",
            bytes.clone(),
            pdf_opts()
                .with_max_glyphs_per_document(500_000)
                .with_threads(threads),
        );
        assert!(
            matches!(&r, Err(Error::Limit(m)) if m.contains("glyphs in the document")),
            "{threads} threads: {r:?}"
        );
    }
}

// ---------------------------------------------------------------- 3. glyph budget before allocating

/// One `Tj` of 20,000,000 glyphs: refused before 20 million glyphs are decoded.
#[test]
fn one_tj_of_twenty_million_glyphs_is_refused_before_decoding() {
    let mut content = b"BT /F1 12 Tf 72 720 Td (".to_vec();
    content.resize(content.len() + 20_000_000, b'7');
    content.extend_from_slice(b") Tj ET\n");
    let stream = lopdf::Stream::new(dictionary! { "Filter" => "FlateDecode" }, zlib(&content));
    let bytes = common::pdf(1, stream, |_| dictionary! {});
    let (r, _) = bounded("one Tj of 20M glyphs", bytes, pdf_opts());
    assert!(
        matches!(&r, Err(Error::Limit(m)) if m.contains("glyphs")),
        "{r:?}"
    );
}

// ---------------------------------------------------------------- 4. HTML

fn html_opts() -> Options {
    Options::default().with_format(InputFormat::Html)
}

/// The text lines HTML extraction gives.
fn html_text(html: &str) -> Vec<String> {
    match ogi_report::extract::extract(html.as_bytes(), &html_opts()) {
        Ok(x) => x.lines.into_iter().map(|l| l.text).collect(),
        Err(e) => vec![format!("{e:?}")],
    }
}

/// 100,000 nested `<div>`s around one paragraph, never closed: html5ever's tree builder
/// must not see that depth. The text survives.
#[test]
fn html_nested_hundred_thousand_divs() {
    let html = format!(
        "<html><body>{}<p>深处的文字 42</p></body></html>",
        "<div>".repeat(100_000)
    );
    let (r, _) = bounded("100k nested <div>", html.clone().into_bytes(), html_opts());
    assert!(matches!(r, Err(Error::NotAReport)), "{r:?}");
    assert_eq!(html_text(&html), ["深处的文字 42"]);
}

/// 30,000 nested `<ul><li>` pairs, closed properly at the end.
#[test]
fn html_nested_lists_thirty_thousand_deep() {
    let html = format!(
        "<html><body>{}项目 7{}</body></html>",
        "<ul><li>".repeat(30_000),
        "</li></ul>".repeat(30_000)
    );
    let (r, _) = bounded(
        "30k nested <ul><li>",
        html.clone().into_bytes(),
        html_opts(),
    );
    assert!(matches!(r, Err(Error::NotAReport)), "{r:?}");
    assert_eq!(html_text(&html), ["项目 7"]);
}

/// A flat list of 5,000 `<li>` never closed (legal HTML) is not deep: every item stays its
/// own line.
#[test]
fn html_unclosed_list_items_are_not_nesting() {
    let items: String = (0..5000).map(|i| format!("<li>第{i}项")).collect();
    let html = format!("<html><body><ul>{items}</ul></body></html>");
    let lines = html_text(&html);
    assert_eq!(lines.len(), 5000);
    assert_eq!(lines[0], "第0项");
    assert_eq!(lines[4999], "第4999项");
}

/// A 17 MB page on one line: 1,000,000 inline `<span>`s.
#[test]
fn html_seventeen_megabytes_on_one_line() {
    let mut html = String::from("<html><body><p>");
    while html.len() < 17_000_000 {
        html.push_str("<span>公开</span> 1 ");
    }
    html.push_str("</p></body></html>");
    let (r, _) = bounded("17 MB one-line HTML", html.into_bytes(), html_opts());
    assert!(
        matches!(r, Err(Error::NotAReport | Error::Limit(_))),
        "{r:?}"
    );
}

/// 20,000 table rows, each cell `rowspan=256 colspan=256`: the grid is budgeted per
/// document (rows × columns after spans).
#[test]
fn html_table_span_bomb() {
    let mut html = String::from("<html><body><table>");
    for i in 0..20_000 {
        html.push_str(&format!(
            "<tr><td rowspan=256 colspan=256>{i}</td><td colspan=256>1</td></tr>"
        ));
    }
    html.push_str("</table></body></html>");
    let (r, _) = bounded("20k rows of 256×256 spans", html.into_bytes(), html_opts());
    assert!(
        matches!(r, Err(Error::NotAReport | Error::Limit(_))),
        "{r:?}"
    );
}

/// Ten tables of 1,000 rows × 200 columns (two cells of `colspan=100`): 2,000,000 grid
/// positions in all, twice the page's budget; the tables past it are read as text.
#[test]
fn html_many_big_tables_share_one_cell_budget() {
    let row = "<tr><td colspan=100>9</td><td colspan=100>8</td></tr>".repeat(1000);
    let html = format!(
        "<html><body>{}</body></html>",
        format!("<table>{row}</table>").repeat(10)
    );
    let (r, _) = bounded(
        "10 tables × 200,000 cells",
        html.clone().into_bytes(),
        html_opts(),
    );
    assert!(
        matches!(r, Err(Error::NotAReport | Error::Limit(_))),
        "{r:?}"
    );
    let m = ogi_report::extract::markup::html_to_text(html.as_bytes());
    let grid_rows = m.lines.iter().filter(|l| l.table_pos.is_some()).count();
    // Five tables fit in 1,000,000 positions; the other five come as prose lines.
    assert_eq!(grid_rows, 5000);
    assert!(
        m.notes.iter().any(|n| n.contains("grid cells")),
        "{:?}",
        m.notes
    );
}

// ---------------------------------------------------------------- 5. parse linearity

fn text_opts() -> Options {
    Options::default().with_format(InputFormat::Text)
}

/// Report text with no line breaks (a crawler export), 4 MB: heading search is linear
/// (it was quadratic: every candidate compared with every heading found).
#[test]
fn report_on_one_line_of_four_megabytes() {
    let unit = "二、主动公开政府信息情况 规章 0 0 0 行政规范性文件 2 0 25 ";
    let text = format!(
        "某某局2024年政府信息公开工作年度报告 {}",
        unit.repeat(4_000_000 / unit.len())
    );
    let (r, run) = bounded("4 MB report on one line", text.into_bytes(), text_opts());
    let rep = r.expect("a report");
    assert_eq!(rep.metadata.year, Some(2024));
    assert!(run.time < DEADLINE, "{:?}", run.time);
}

/// Table 三's 22 rows, each followed by 64 run-together digits (a 2.4 KB file): digit
/// cutting has one budget per document and says when it runs out.
#[test]
fn run_together_digits_have_a_document_budget() {
    let digits: String = (0..64).map(|i| char::from(b'1' + (i % 9) as u8)).collect();
    let rows: String = ogi_report::schema::APPLICATIONS
        .iter()
        .take(22)
        .map(|s| format!("{} {digits}\n", s.label))
        .collect();
    let text =
        format!("某某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n{rows}");
    let (r, _) = bounded("22 rows of 64 digits", text.into_bytes(), text_opts());
    let rep = r.expect("a report");
    assert!(
        rep.diagnostics
            .iter()
            .any(|d| d.message.contains("budget") && d.severity == ogi_report::Severity::Warning),
        "{:?}",
        rep.diagnostics
    );
    // Nothing was guessed: the rows are null.
    assert_eq!(rep.value("applications.new_received.total"), None);
}

// ---------------------------------------------------------------- seeds for tests/fuzz_replay.rs

/// Writes small versions of the inputs above to `tests/fuzz_regressions/` (run with
/// `cargo test --test hostile -- --ignored write_fuzz_regression_seeds`); the files are
/// committed and replayed, mutated, by `tests/fuzz_replay.rs`.
#[test]
#[ignore]
fn write_fuzz_regression_seeds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    std::fs::create_dir_all(&dir).unwrap();
    let put = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    // 1. reference cycles
    let (dict, data) = objstm_data(5, &["42"]);
    let mut objs = catalog_pages_page("6 0 R");
    objs.push(Obj::Body(stream_body(
        &format!("{dict} /Length 5 0 R"),
        &data,
    )));
    objs.push(Obj::InStream {
        container: 4,
        index: 0,
    });
    objs.push(Obj::Body(stream_body("/Length 5 0 R", HELLO)));
    put(
        "objstm-length-inside-itself.pdf",
        &xref_stream_pdf(&objs, None),
    );
    let mut objs = catalog_pages_page("4 0 R");
    for i in 0..1200u32 {
        objs.push(Obj::Body(stream_body(
            &format!("/Length {} 0 R", 5 + i),
            b"n",
        )));
    }
    objs.push(Obj::Body(b"1".to_vec()));
    put("length-chain-1200.pdf", &xref_stream_pdf(&objs, None));
    let mut objs = catalog_pages_page("4 0 R");
    objs.push(Obj::Body(stream_body(
        &format!("/Length {}", HELLO.len()),
        HELLO,
    )));
    let at = startxref(&xref_stream_pdf(&objs, None));
    put(
        "prev-to-itself.pdf",
        &xref_stream_pdf(&objs, Some(&at.to_string())),
    );
    // 2. page tree
    let mut objs = catalog_pages_page("4 0 R");
    objs[1] = Obj::Body(
        b"<< /Type /Pages /Kids [3 0 R 3 0 R 2 0 R 3 0 R] /Count 4 /MediaBox [0 0 595 842] >>"
            .to_vec(),
    );
    objs.push(Obj::Body(stream_body(
        &format!("/Length {}", HELLO.len()),
        HELLO,
    )));
    put("kids-list-themselves.pdf", &xref_stream_pdf(&objs, None));
    // 3. one long Tj (compressed: 2,000,000 glyphs in a few kB)
    let mut content = b"BT /F1 12 Tf 72 720 Td (".to_vec();
    content.resize(content.len() + 2_000_000, b'7');
    content.extend_from_slice(b") Tj ET\n");
    let stream = lopdf::Stream::new(dictionary! { "Filter" => "FlateDecode" }, zlib(&content));
    put("long-tj.pdf", &common::pdf(1, stream, |_| dictionary! {}));
    // 4. HTML
    put(
        "nested-divs-6000.html",
        format!(
            "<html><body>{}<p>深处的文字 42</p></body></html>",
            "<div>".repeat(6000)
        )
        .as_bytes(),
    );
    put(
        "nested-lists-3000.html",
        format!(
            "<html><body>{}项目 7{}</body></html>",
            "<ul><li>".repeat(3000),
            "</li></ul>".repeat(3000)
        )
        .as_bytes(),
    );
    let mut html = String::from("<html><body><table>");
    for i in 0..300 {
        html.push_str(&format!(
            "<tr><td rowspan=256 colspan=256>{i}</td><td colspan=256>1</td></tr>"
        ));
    }
    html.push_str("</table></body></html>");
    put("span-bomb-300-rows.html", html.as_bytes());
    // 5. text
    let digits: String = (0..64).map(|i| char::from(b'1' + (i % 9) as u8)).collect();
    let rows: String = ogi_report::schema::APPLICATIONS
        .iter()
        .take(22)
        .map(|s| format!("{} {digits}\n", s.label))
        .collect();
    put(
        "digits-64-in-22-rows.txt",
        format!("某某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n{rows}")
            .as_bytes(),
    );
    put(
        "label-chars-on-one-line.txt",
        format!(
            "某某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n{} 1 2 3\n",
            "予以公开".repeat(2000)
        )
        .as_bytes(),
    );
    let unit = "二、主动公开政府信息情况 规章 0 0 0 行政规范性文件 2 0 25 ";
    put(
        "report-on-one-line.txt",
        format!("某某局2024年政府信息公开工作年度报告 {}", unit.repeat(500)).as_bytes(),
    );
}

/// One line of 40,000 chars of a row label repeated (`予以公开予以公开…`): every occurrence
/// is a candidate; reading what follows each must not rescan the line (it took 46 s).
#[test]
fn line_of_forty_thousand_label_chars() {
    let text = format!(
        "某某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n{} 1 2 3\n",
        "予以公开".repeat(10_000)
    );
    let (r, run) = bounded(
        "40k chars of labels on a line",
        text.into_bytes(),
        text_opts(),
    );
    assert!(r.is_ok(), "{r:?}");
    assert!(run.time < DEADLINE, "{:?}", run.time);
}

/// A pipe row of 40,000 chars: `| 予以公开 | 1 |` repeated; each label occurrence read the
/// rest of the row.
#[test]
fn pipe_row_of_forty_thousand_chars() {
    let text = format!(
        "某某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n| {} |\n",
        "予以公开 | 1 | ".repeat(40_000 / 12)
    );
    let (r, run) = bounded(
        "40k-char pipe row",
        text.into_bytes(),
        Options::default().with_format(InputFormat::Markdown),
    );
    assert!(r.is_ok(), "{r:?}");
    assert!(run.time < DEADLINE, "{:?}", run.time);
}

/// 50,000 misnested `<a><b>x</a>` (150,000 tags, under the tag count that drops inline
/// tags): each `</a>` leaves a `<b>` the tree builder reopens, so its open-element stack
/// grows to 50,000 without a deep-looking tag stream.
#[test]
fn html_misnested_formatting_fifty_thousand() {
    let html = format!("<html><body>{}</body></html>", "<a><b>x</a>".repeat(50_000));
    let (r, _) = bounded("50k misnested <a><b>", html.into_bytes(), html_opts());
    assert!(matches!(r, Err(Error::NotAReport)), "{r:?}");
    let m = ogi_report::extract::markup::html_to_text(b"<p><a><b>x</a>y</p>");
    assert_eq!(
        m.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
        ["xy"]
    );
}
