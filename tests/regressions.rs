//! Regression tests for hostile inputs found by review and fuzzing (see `fuzz/`).
//!
//! Each test names the input and the defect. A test here fails until the library is fixed;
//! none is ignored on purpose. Each case runs on its own thread under a watchdog (a hang
//! fails after `DEADLINE` instead of blocking the suite) and a counting global allocator
//! records the largest single allocation and peak live bytes of that thread.

use std::io::Write;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use lopdf::{dictionary, Object, Stream};
use ogi_report::{Error, InputFormat, Options};

// ---------------------------------------------------------------- harness

mod common;
use common::{pdf, zlib_fill};

/// A case gets this long (debug build) before it counts as hung.
const DEADLINE: Duration = Duration::from_secs(10);
/// With the default 64 MiB `max_decoded_stream`, a decoder may hold a 128 MiB buffer;
/// nothing needs more than this at once.
const MAX_ONE_ALLOC: usize = 200 << 20;

#[derive(Debug)]
struct Run {
    result: Result<std::result::Result<String, String>, String>,
    time: Duration,
    max_one_alloc: usize,
    peak_live: isize,
}

fn describe(r: &ogi_report::Result<ogi_report::Report>) -> std::result::Result<String, String> {
    match r {
        Ok(rep) => Ok(format!("report ({} diagnostics)", rep.diagnostics.len())),
        Err(e) => Err(match e {
            Error::Limit(_) => format!("Limit: {e}"),
            Error::Damaged { .. } => format!("Damaged: {e}"),
            _ => format!("{e:?}"),
        }),
    }
}

/// Parses on a fresh thread; `Err` in `result` is a panic message; `None` is a hang.
fn run(bytes: Vec<u8>, opts: Options) -> Option<Run> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(move || {
            common::reset_counters();
            let t = Instant::now();
            let r = std::panic::catch_unwind(|| ogi_report::parse_bytes_with(&bytes, &opts));
            let time = t.elapsed();
            let result = match r {
                Ok(r) => Ok(describe(&r)),
                Err(p) => Err(p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()),
            };
            let _ = tx.send(Run {
                result,
                time,
                max_one_alloc: common::counters().0,
                peak_live: common::counters().1,
            });
        })
        .expect("spawn");
    rx.recv_timeout(DEADLINE).ok()
}

/// Asserts: no panic, no hang, done within `DEADLINE`, no allocation over `MAX_ONE_ALLOC`.
fn assert_bounded(what: &str, bytes: Vec<u8>, opts: Options) -> Run {
    let len = bytes.len();
    let Some(r) = run(bytes, opts) else {
        panic!("{what} ({len} bytes): still running after {DEADLINE:?} (hang)");
    };
    eprintln!(
        "{what} ({len} bytes): {:?} in {:.2?}, largest allocation {} MiB, peak live {} MiB",
        r.result,
        r.time,
        r.max_one_alloc >> 20,
        r.peak_live >> 20
    );
    if let Err(p) = &r.result {
        panic!("{what}: panicked: {p}");
    }
    assert!(
        r.max_one_alloc <= MAX_ONE_ALLOC,
        "{what}: allocated {} MiB at once (limit max_decoded_stream = 64 MiB not applied)",
        r.max_one_alloc >> 20
    );
    r
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

const HELLO: &[u8] = b"BT /F1 12 Tf 72 720 Td (1) Tj ET\n";

// ---------------------------------------------------------------- decompression limits

/// Content stream `/Filter [/FlateDecode /FlateDecode]` (zlib of zlib of 256 MiB of zeros,
/// ~1 kB on disk). Any filter chain other than a lone FlateDecode goes through lopdf's
/// `Stream::decompressed_content`, which has no output limit; `stream_data_checked`
/// (src/extract/pdf/objects.rs, the "Other filters" branch) checks the size only after the
/// whole stream is in memory.
#[test]
fn double_flate_content_stream_bomb_is_bounded() {
    let inner = zlib_fill(HELLO, 0, 256 << 20);
    let outer = zlib(&inner);
    let content = Stream::new(
        dictionary! { "Filter" => vec![Object::from("FlateDecode"), Object::from("FlateDecode")] },
        outer,
    );
    assert_bounded(
        "double FlateDecode bomb",
        pdf(1, content, |_| dictionary! {}),
        Options::default(),
    );
}

/// Content stream `/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 1 >>`
/// inflating to 256 MiB: the predictor case is sent to lopdf (same unbounded path as above).
#[test]
fn flate_with_predictor_content_stream_bomb_is_bounded() {
    let content = Stream::new(
        dictionary! {
            "Filter" => "FlateDecode",
            "DecodeParms" => dictionary! { "Predictor" => 12, "Columns" => 1 },
        },
        zlib_fill(b"", 0, 256 << 20),
    );
    assert_bounded(
        "FlateDecode+Predictor bomb",
        pdf(1, content, |_| dictionary! {}),
        Options::default(),
    );
}

/// A PDF written by hand: `objects[i]` is the body of object `i + 1`; classic xref table.
fn raw_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream_obj(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut v = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    v.extend_from_slice(data);
    v.extend_from_slice(b"\nendstream");
    v
}

/// A `/Type /ObjStm` stream (object 6, listed in the xref table but referenced by nothing)
/// inflating to 256 MiB of zeros: lopdf's `Document::load_mem` (reader.rs
/// `load_objects_raw` → `ObjectStream::new` → `Stream::decompress`) inflates every object
/// stream at load time without a limit, before `max_decoded_stream` is ever consulted
/// (src/extract/pdf/extract.rs `extract_inner`, the `Document::load_mem` call).
/// Fix: before `load_mem`, scan for `/Type /ObjStm` streams and inflate each under
/// `max_decoded_stream` (reject the file with `Error::Limit` if one exceeds it), or load
/// through lopdf's filtered loader and decode object streams lazily.
#[test]
fn object_stream_bomb_is_bounded() {
    let bytes = raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        stream_obj("", HELLO),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
        stream_obj(
            "/Type /ObjStm /N 1 /First 5 /Filter /FlateDecode",
            &zlib_fill(b"99 0 ", 0, 256 << 20),
        ),
    ]);
    assert_bounded("ObjStm bomb", bytes, Options::default());
}

// ---------------------------------------------------------------- work limits

/// 2,000 pages (the default `max_pages`) sharing one FlateDecode content stream of 48 MiB
/// of spaces (48 kB on disk): each stream is under `max_decoded_stream`, but every page
/// inflates and tokenises the same stream again: 96 GB of work from a 300 kB file.
/// No per-document budget exists (src/extract/pdf/extract.rs, the page loop of
/// `extract_inner`). Fix: a total decoded-bytes budget per document (e.g.
/// 4 × max_decoded_stream), and/or cache decoded content by object id.
#[test]
fn shared_huge_content_stream_on_every_page_is_bounded() {
    let content = Stream::new(
        dictionary! { "Filter" => "FlateDecode" },
        zlib_fill(HELLO, b' ', 48 << 20),
    );
    assert_bounded(
        "2,000 pages × 48 MiB shared content",
        pdf(2000, content, |_| dictionary! {}),
        Options::default(),
    );
}

/// A Form XObject `/X` that draws itself four times, followed by 1 MiB of spaces: the
/// depth limit (8) bounds the depth, not the fan-out, so 4^0 + … + 4^7 = 21,845 nested runs,
/// each re-inflating and re-tokenising the 1 MiB form (21 GB of work). Only 87,380 operators
/// run in all, far below `max_ops_per_page`. (src/extract/pdf/interp.rs `do_xobject`.)
/// Fix: skip a form already on the current XObject stack (recursion), cache decoded form
/// content by object id, and count decoded bytes against a per-page budget.
#[test]
fn self_referencing_form_xobject_fan_out_is_bounded() {
    let bytes = pdf(1, Stream::new(dictionary! {}, b"/X Do\n".to_vec()), |doc| {
        let xid = doc.new_object_id();
        let form = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Filter" => "FlateDecode",
                "Resources" => dictionary! { "XObject" => dictionary! { "X" => xid } },
            },
            zlib_fill(
                b"BT /F1 12 Tf 72 720 Td (1) Tj ET\n/X Do /X Do /X Do /X Do\n",
                b' ',
                1 << 20,
            ),
        )
        .with_compression(false);
        doc.objects.insert(xid, Object::Stream(form));
        dictionary! { "XObject" => dictionary! { "X" => xid } }
    });
    assert_bounded("self-referencing form XObject", bytes, Options::default());
}

/// Sanity check of the harness: the 1 GiB plain FlateDecode bomb is bounded today.
#[test]
fn plain_flate_bomb_is_bounded() {
    let content = Stream::new(
        dictionary! { "Filter" => "FlateDecode" },
        zlib_fill(HELLO, 0, 256 << 20),
    );
    let r = assert_bounded(
        "plain FlateDecode bomb",
        pdf(1, content, |_| dictionary! {}),
        Options::default(),
    );
    assert!(r.time < DEADLINE);
    let _ = InputFormat::Pdf;
}

/// One `Tj` of 1,000,000 glyphs, all at the same spot (`0 Tz`: zero advance), cycling through
/// 20,992 distinct characters (Identity-H font whose ToUnicode maps codes 0000–51FF to
/// U+4E00–U+9FFF). Fake-bold removal (`dedupe` in src/extract/pdf/layout.rs) compares each
/// glyph with every kept glyph of the same 1 pt grid cell and its neighbours: the cell
/// keeps one glyph per distinct text, so this is ~10^10 string comparisons.
/// Fix: key the grid by (cell, text) (a HashMap<(i32, i32, String), …>) or cap the
/// glyphs kept per cell.
#[test]
fn glyphs_stacked_on_one_spot_are_bounded() {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def\n\
         1 begincodespacerange <0000> <FFFF> endcodespacerange\n82 beginbfrange\n",
    );
    for hi in 0..82u32 {
        cmap.push_str(&format!(
            "<{hi:02X}00> <{hi:02X}FF> <{:04X}>\n",
            0x4E00 + hi * 256
        ));
    }
    cmap.push_str("endbfrange endcmap end end\n");
    let mut content = String::from("BT /F2 12 Tf 0 Tz 72 720 Td <");
    // ROBUST_GLYPHS=25000 (2.7 s debug), 50000 (5.6 s), 100000 (8.9 s): linear in glyphs × distinct texts.
    let n: u32 = std::env::var("ROBUST_GLYPHS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    for i in 0..n {
        content.push_str(&format!("{:04X}", i % 20_992));
    }
    content.push_str("> Tj ET\n");
    let content = Stream::new(
        dictionary! { "Filter" => "FlateDecode" },
        zlib(content.as_bytes()),
    );
    let bytes = pdf(1, content, |doc| {
        let tu = doc.add_object(
            Stream::new(
                dictionary! { "Filter" => "FlateDecode" },
                zlib(cmap.as_bytes()),
            )
            .with_compression(false),
        );
        let desc = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Stacked",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"), "Supplement" => 0,
            },
            "DW" => 1000,
        });
        let f2 = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Stacked",
            "Encoding" => "Identity-H", "DescendantFonts" => vec![desc.into()], "ToUnicode" => tu,
        });
        dictionary! { "Font" => dictionary! { "F2" => f2 } }
    });
    assert_bounded("1,000,000 glyphs on one spot", bytes, Options::default());
}

/// A row label damaged past recognition (as OCR leaves `3.危及“三安全--稳证，`) in a ruled
/// table: the row is taken from its place between the rows found before and after it,
/// with a warning naming its cells, instead of leaving the row null.
#[test]
fn a_row_with_a_damaged_label_is_taken_from_its_place_and_warned() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/2025-suqian-shuyang-county/source.md");
    let text = std::fs::read_to_string(path).unwrap();
    let label = "| 3. 危及“三安全一稳定” |";
    assert!(text.contains(label));
    let damaged = text.replace(label, "| 3.危及“三安全--稳证， |");
    let report = ogi_report::parse_str(&damaged).unwrap();
    let key = "applications.denied_security_stability";
    let value = |col: &str| report.value(&format!("{key}.{col}")).map(|n| n.as_f64());
    assert_eq!(value("natural_person"), Some(2.0));
    assert_eq!(value("commercial"), Some(0.0));
    assert_eq!(value("total"), Some(2.0));
    let warned = report.diagnostics.iter().find(|d| {
        d.code == ogi_report::Code::RowByPosition
            && d.severity == ogi_report::Severity::Warning
            && d.cells.contains(&format!("{key}.natural_person"))
    });
    assert!(warned.is_some(), "{:#?}", report.diagnostics);
    // the undamaged report needs no such placement
    let clean = ogi_report::parse_str(&text).unwrap();
    assert!(clean
        .diagnostics
        .iter()
        .all(|d| d.code != ogi_report::Code::RowByPosition));
}
