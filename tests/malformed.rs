//! Hostile and malformed inputs: every case must end with `Ok(report)` or a typed `Err`,
//! never a panic, a hang or an unbounded allocation, and each within `CASE_LIMIT` (also in
//! debug builds).
//!
//! The inputs are built here: damaged copies of the corpus PDFs (truncated, bytes flipped,
//! cross-reference table removed, `startxref` damaged, streams overwritten, a fake
//! `/Encrypt` in the trailer), empty and one-byte files, HTML forced through the PDF reader,
//! a 10,000-page PDF, a FlateDecode content stream that inflates to 1 GiB, 20 MB of digits
//! on one line and a text of 100,000 table-like rows.
//!
//! Each case runs on its own thread under a watchdog, so a hang fails the test (after
//! `HANG_LIMIT`) instead of blocking it. A counting global allocator records the largest
//! single allocation and the peak of live bytes of each case's thread. Panics caught
//! inside the library (the PDF reader wraps lopdf in `catch_unwind`) are counted and
//! printed, not failed: they surface as `Err(Damaged)`.
//!
//! Per-category timings and outcomes are printed on stderr (`cargo test --test malformed
//! -- --nocapture`).

use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Once, OnceLock};
use std::time::{Duration, Instant};

use lopdf::{dictionary, Dictionary, Document, Object, Stream};
use ogi_report::{Error, InputFormat, Options};

/// Bound for one case: a detector of hangs and quadratic blow-ups (those take minutes on
/// these sizes), not a speed target: speed is measured by `benches/pathological.rs`. Loose
/// enough for a debug build on a loaded 2-core machine.
const CASE_LIMIT: Duration = Duration::from_secs(10);
/// After this long a case is declared hung and abandoned.
const HANG_LIMIT: Duration = Duration::from_secs(20);

mod common;
use common::{pdf, zlib_fill};

thread_local! {
    static PANICS: Cell<usize> = const { Cell::new(0) };
}

fn install_panic_counter() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = PANICS.try_with(|p| p.set(p.get() + 1));
            default(info);
        }));
    });
}

// ---------------------------------------------------------------- running cases

#[derive(Debug)]
enum Outcome {
    Ok,
    Err(String),
    /// A panic that escaped the library.
    Panic(String),
    Hang,
}

#[derive(Debug)]
struct Run {
    outcome: Outcome,
    time: Duration,
    /// Panics raised (and caught) inside the library while parsing.
    caught_panics: usize,
    max_one_alloc: usize,
    peak_live: isize,
}

fn err_kind(e: &Error) -> String {
    match e {
        Error::Io { .. } => "Io".into(),
        Error::Empty => "Empty".into(),
        Error::Unsupported(_) => "Unsupported".into(),
        Error::Damaged { .. } => "Damaged".into(),
        Error::Encrypted => "Encrypted".into(),
        Error::NoTextLayer => "NoTextLayer".into(),
        Error::Limit(_) => "Limit".into(),
        Error::NotAReport => "NotAReport".into(),
        other => format!("{other:?}"),
    }
}

/// Parses `bytes` on a fresh thread under a watchdog.
fn run_case(bytes: Vec<u8>, opts: Options) -> Run {
    install_panic_counter();
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(move || {
            common::reset_counters();
            PANICS.with(|p| p.set(0));
            let t0 = Instant::now();
            let r = std::panic::catch_unwind(|| ogi_report::parse_bytes_with(&bytes, &opts));
            let time = t0.elapsed();
            let outcome = match r {
                Ok(Ok(_)) => Outcome::Ok,
                Ok(Err(e)) => Outcome::Err(err_kind(&e)),
                Err(p) => Outcome::Panic(
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default(),
                ),
            };
            let panics = PANICS.with(Cell::get);
            let escaped = usize::from(matches!(outcome, Outcome::Panic(_)));
            let _ = tx.send(Run {
                outcome,
                time,
                caught_panics: panics - escaped,
                max_one_alloc: common::counters().0,
                peak_live: common::counters().1,
            });
        })
        .expect("spawn");
    match rx.recv_timeout(HANG_LIMIT) {
        Ok(r) => r,
        Err(_) => Run {
            outcome: Outcome::Hang,
            time: start.elapsed(),
            caught_panics: 0,
            max_one_alloc: 0,
            peak_live: 0,
        },
    }
}

/// One category of cases: collects outcomes, times and failures.
struct Category {
    name: &'static str,
    start: Instant,
    cases: usize,
    outcomes: BTreeMap<String, usize>,
    slowest: (Duration, String),
    caught_panics: Vec<String>,
    failures: Vec<String>,
}

impl Category {
    fn new(name: &'static str) -> Self {
        Category {
            name,
            start: Instant::now(),
            cases: 0,
            outcomes: BTreeMap::new(),
            slowest: (Duration::ZERO, String::new()),
            caught_panics: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// Runs one case; returns its run for case-specific checks.
    fn case(&mut self, label: impl Into<String>, bytes: Vec<u8>, opts: &Options) -> Run {
        let label = label.into();
        let run = run_case(bytes, opts.clone());
        self.cases += 1;
        let key = match &run.outcome {
            Outcome::Ok => "Ok".to_string(),
            Outcome::Err(k) => format!("Err({k})"),
            Outcome::Panic(_) => "PANIC".to_string(),
            Outcome::Hang => "HANG".to_string(),
        };
        *self.outcomes.entry(key).or_default() += 1;
        if run.time > self.slowest.0 {
            self.slowest = (run.time, label.clone());
        }
        if run.caught_panics > 0 {
            self.caught_panics.push(label.clone());
        }
        match &run.outcome {
            Outcome::Panic(m) => self.failures.push(format!("{label}: panicked: {m}")),
            Outcome::Hang => self
                .failures
                .push(format!("{label}: no result after {HANG_LIMIT:?} (hang)")),
            _ if run.time >= CASE_LIMIT => self.failures.push(format!(
                "{label}: took {:?} (limit {CASE_LIMIT:?})",
                run.time
            )),
            _ => {}
        }
        run
    }

    fn fail(&mut self, msg: String) {
        self.failures.push(msg);
    }

    fn finish(self) {
        eprintln!(
            "[malformed] {}: {} cases in {:.2?}, slowest {:.2?} ({}), outcomes {:?}",
            self.name,
            self.cases,
            self.start.elapsed(),
            self.slowest.0,
            self.slowest.1,
            self.outcomes
        );
        if !self.caught_panics.is_empty() {
            eprintln!(
                "[malformed] {}: {} cases panicked inside the library (caught, returned as errors): {:?}",
                self.name,
                self.caught_panics.len(),
                self.caught_panics
            );
        }
        assert!(
            self.failures.is_empty(),
            "{}: {} failing cases:\n{}",
            self.name,
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

// ---------------------------------------------------------------- inputs

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Every corpus PDF, sorted, with its bytes.
fn corpus_pdfs() -> &'static [(String, Vec<u8>)] {
    static PDFS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    PDFS.get_or_init(|| {
        let mut out = Vec::new();
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
            .expect("corpus dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for d in dirs {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
                .expect("report dir")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
                .collect();
            files.sort();
            for f in files {
                let name = format!(
                    "{}/{}",
                    d.file_name().unwrap().to_string_lossy(),
                    f.file_name().unwrap().to_string_lossy()
                );
                out.push((name, std::fs::read(&f).expect("read pdf")));
            }
        }
        assert!(!out.is_empty(), "no corpus PDFs found");
        out
    })
}

/// The big chromium renderings (~0.9 MB, many font streams) are the slowest to parse in
/// debug builds (~0.15 s each): they get a quarter of the mutants of a kind.
fn is_big(bytes: &[u8]) -> bool {
    bytes.len() > 500_000
}

/// Which corpus PDFs get mutated, and how many mutants of a kind each gets.
fn selection(full: usize) -> Vec<(&'static str, &'static [u8], usize)> {
    let mut out = Vec::new();
    for (name, bytes) in corpus_pdfs() {
        if is_big(bytes) {
            out.push((name.as_str(), bytes.as_slice(), (full / 4).max(1)));
        } else {
            out.push((name.as_str(), bytes.as_slice(), full));
        }
    }
    out
}

/// Deterministic pseudo-random numbers (SplitMix64).
struct Rng(u64);

impl Rng {
    fn new(seed: &str) -> Self {
        // FNV-1a of the seed text.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in seed.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        Rng(h)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn pdf_opts() -> Options {
    Options::default().with_format(InputFormat::Pdf)
}

// ---------------------------------------------------------------- corpus mutations

#[test]
fn corpus_pdfs_truncated() {
    let mut cat = Category::new("truncated PDFs");
    // Cheap (most end in Err(Damaged) at load): 16 cut points for every PDF, big ones too.
    for (name, bytes, _) in selection(16) {
        let n = 16;
        let mut rng = Rng::new(name);
        for k in 0..n {
            // Evenly spread cut points, jittered, plus the very start and very end.
            let cut = match k {
                0 => 1 + rng.below(64),
                1 => bytes.len() - 1 - rng.below(64),
                _ => {
                    let base = bytes.len() * k / n;
                    (base + rng.below(bytes.len() / n)).min(bytes.len() - 1)
                }
            };
            cat.case(
                format!("{name} cut at {cut}"),
                bytes[..cut].to_vec(),
                &Options::default(),
            );
        }
    }
    cat.finish();
}

#[test]
fn corpus_pdfs_bytes_flipped() {
    let mut cat = Category::new("bytes-flipped PDFs");
    for (name, bytes, n) in selection(16) {
        let mut rng = Rng::new(&format!("flip {name}"));
        let mut all = bytes.to_vec();
        for _ in 0..n {
            let pos = rng.below(bytes.len());
            let mask = (rng.next() as u8) | 1;
            let mut one = bytes.to_vec();
            one[pos] ^= mask;
            all[pos] ^= mask;
            cat.case(
                format!("{name} byte {pos} ^ {mask:#04x}"),
                one,
                &Options::default(),
            );
        }
        cat.case(
            format!("{name} all {n} flips at once"),
            all,
            &Options::default(),
        );
    }
    cat.finish();
}

#[test]
fn corpus_pdfs_xref_damaged() {
    let mut cat = Category::new("xref/startxref damaged PDFs");
    for (name, bytes, _) in selection(16) {
        let sx = rfind(bytes, b"startxref");
        // The classic table: from its `xref` keyword (not the one in `startxref`) to `trailer`.
        let table = find_all(bytes, b"xref")
            .into_iter()
            .rev()
            .find(|&i| i == 0 || bytes[i - 1] == b'\n' || bytes[i - 1] == b'\r');
        if let Some(t) = table {
            let end = rfind(bytes, b"trailer")
                .filter(|&e| e > t)
                .unwrap_or(bytes.len());
            let mut v = bytes[..t].to_vec();
            v.extend_from_slice(&bytes[end..]);
            cat.case(format!("{name} xref table removed"), v, &Options::default());
            // Keyword only.
            let mut v = bytes.to_vec();
            v[t..t + 4].copy_from_slice(b"xxxx");
            cat.case(
                format!("{name} xref keyword removed"),
                v,
                &Options::default(),
            );
        }
        // Cross-reference stream (the hongze source): its type renamed.
        for (i, pat) in [b"/XRef".as_slice(), b"/Type /XRef".as_slice()]
            .iter()
            .enumerate()
        {
            if let Some(p) = rfind(bytes, pat) {
                let mut v = bytes.to_vec();
                let last = p + pat.len() - 1;
                v[last] = b'X';
                cat.case(
                    format!("{name} xref stream type damaged ({i})"),
                    v,
                    &Options::default(),
                );
            }
        }
        if let Some(s) = sx {
            let num_start = s + b"startxref".len();
            let rest_end = bytes[num_start..]
                .iter()
                .position(|b| *b == b'%')
                .map_or(bytes.len(), |p| num_start + p);
            for (what, repl) in [
                ("0", b"\n0\n".as_slice()),
                ("past end", b"\n99999999\n".as_slice()),
                ("overflowing", b"\n999999999999999999999999999\n".as_slice()),
                ("negative", b"\n-17\n".as_slice()),
                ("not a number", b"\nabc\n".as_slice()),
                ("off by 7", b"".as_slice()),
            ] {
                let mut v = bytes[..num_start].to_vec();
                if what == "off by 7" {
                    let old: String = String::from_utf8_lossy(&bytes[num_start..rest_end])
                        .trim()
                        .to_string();
                    let n: i64 = old.parse().unwrap_or(0);
                    v.extend_from_slice(format!("\n{}\n", n + 7).as_bytes());
                } else {
                    v.extend_from_slice(repl);
                }
                v.extend_from_slice(&bytes[rest_end..]);
                cat.case(format!("{name} startxref {what}"), v, &Options::default());
            }
            // Everything from startxref on cut away; and the whole tail after the table.
            cat.case(
                format!("{name} startxref removed"),
                bytes[..s].to_vec(),
                &Options::default(),
            );
        }
    }
    cat.finish();
}

/// (start, end) of the data of every `stream … endstream`.
fn stream_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let ends = find_all(bytes, b"endstream");
    let mut e_idx = 0;
    let mut i = 0;
    while let Some(off) = bytes[i..].windows(6).position(|w| w == b"stream") {
        let kw = i + off;
        i = kw + 6;
        if kw >= 3 && &bytes[kw - 3..kw] == b"end" {
            continue;
        }
        let mut start = kw + 6;
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        while e_idx < ends.len() && ends[e_idx] < start {
            e_idx += 1;
        }
        let Some(&end) = ends.get(e_idx) else { break };
        out.push((start, end));
        i = end + 9;
    }
    out
}

#[test]
fn corpus_pdfs_streams_corrupted() {
    let mut cat = Category::new("stream-corrupted PDFs");
    for (name, bytes, n) in selection(4) {
        let spans = stream_spans(bytes);
        if spans.is_empty() {
            cat.fail(format!("{name}: no streams found (test bug)"));
            continue;
        }
        let mut rng = Rng::new(&format!("streams {name}"));
        let variants: &[&str] = &[
            "all streams random",
            "zlib headers zeroed",
            "second half of every stream random",
            "every third stream random",
        ];
        for (vi, what) in variants.iter().enumerate().take(n.max(2)) {
            let mut v = bytes.to_vec();
            for (si, &(s, e)) in spans.iter().enumerate() {
                match vi {
                    0 => v[s..e].iter_mut().for_each(|b| *b = rng.next() as u8),
                    1 => v[s..e].iter_mut().take(2).for_each(|b| *b = 0),
                    2 => {
                        let mid = s + (e - s) / 2;
                        v[mid..e].iter_mut().for_each(|b| *b = rng.next() as u8)
                    }
                    _ => {
                        if si % 3 == 0 {
                            v[s..e].iter_mut().for_each(|b| *b = rng.next() as u8)
                        }
                    }
                }
            }
            cat.case(format!("{name} {what}"), v, &Options::default());
        }
    }
    cat.finish();
}

#[test]
fn corpus_pdfs_fake_encrypt() {
    let mut cat = Category::new("fake /Encrypt PDFs");
    let hex32 = "<".to_string() + &"41".repeat(32) + ">";
    let dicts = [
        format!("/Encrypt << /Filter /Standard /V 1 /R 2 /O {hex32} /U {hex32} /P -4 >> /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] "),
        format!("/Encrypt << /Filter /Standard /V 5 /R 6 /Length 256 /O {hex32} /U {hex32} /OE {hex32} /UE {hex32} /Perms <0011223344556677> /P -4 /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF >> "),
        "/Encrypt 99999 0 R ".to_string(),
        "/Encrypt << /Filter /Unknown >> ".to_string(),
    ];
    for (name, bytes, n) in selection(4) {
        // Inserted as text right after `trailer <<` (or into the xref stream dictionary):
        // offsets after it shift, as in a hand-edited file.
        let at = rfind(bytes, b"trailer")
            .and_then(|t| {
                bytes[t..]
                    .windows(2)
                    .position(|w| w == b"<<")
                    .map(|p| t + p + 2)
            })
            .or_else(|| rfind(bytes, b"/XRef").map(|p| p + 5));
        let Some(at) = at else {
            cat.fail(format!("{name}: no trailer found (test bug)"));
            continue;
        };
        for (i, d) in dicts.iter().enumerate().take(n.max(2)) {
            let mut v = bytes[..at].to_vec();
            v.push(b' ');
            v.extend_from_slice(d.as_bytes());
            v.extend_from_slice(&bytes[at..]);
            cat.case(
                format!("{name} /Encrypt text variant {i}"),
                v,
                &Options::default(),
            );
        }
    }
    // A clean rewrite (offsets right) with an /Encrypt object in the trailer.
    for (name, bytes, _) in selection(1)
        .into_iter()
        .filter(|(_, b, _)| !is_big(b))
        .take(6)
    {
        let Ok(mut doc) = Document::load_mem(bytes) else {
            cat.fail(format!("{name}: lopdf cannot load the original (test bug)"));
            continue;
        };
        let enc = doc.add_object(dictionary! {
            "Filter" => "Standard", "V" => 2, "R" => 3, "Length" => 128, "P" => -44,
            "O" => Object::String(vec![0x41; 32], lopdf::StringFormat::Hexadecimal),
            "U" => Object::String(vec![0x42; 32], lopdf::StringFormat::Hexadecimal),
        });
        doc.trailer.set("Encrypt", enc);
        doc.trailer.set(
            "ID",
            vec![
                Object::String(vec![1; 16], lopdf::StringFormat::Hexadecimal),
                Object::String(vec![1; 16], lopdf::StringFormat::Hexadecimal),
            ],
        );
        let mut v = Vec::new();
        if doc.save_to(&mut v).is_err() {
            cat.fail(format!("{name}: lopdf cannot save (test bug)"));
            continue;
        }
        let run = cat.case(
            format!("{name} rewritten with /Encrypt"),
            v,
            &Options::default(),
        );
        if matches!(run.outcome, Outcome::Ok) {
            cat.fail(format!(
                "{name} rewritten with /Encrypt (wrong O/U entries): parsed as if not encrypted"
            ));
        }
    }
    cat.finish();
}

// ---------------------------------------------------------------- tiny and mistyped inputs

#[test]
fn empty_and_one_byte_inputs() {
    let mut cat = Category::new("zero/one-byte inputs");
    let formats = [
        None,
        Some(InputFormat::Pdf),
        Some(InputFormat::Html),
        Some(InputFormat::Docx),
        Some(InputFormat::Text),
        Some(InputFormat::Markdown),
    ];
    let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
    for b in [
        0u8, b' ', b'\n', b'%', b'<', b'|', b'0', b'P', 0x7f, 0x80, 0xd0, 0xef, 0xfe, 0xff,
    ] {
        inputs.push(vec![b]);
    }
    inputs.push(b"%PDF-".to_vec());
    inputs.push(b"%PDF-1.7\n%%EOF".to_vec());
    inputs.push(b"PK\x03\x04".to_vec());
    inputs.push(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec());
    inputs.push(b"\xef\xbb\xbf".to_vec());
    inputs.push(b"\xff\xfe".to_vec());
    for input in &inputs {
        for f in formats {
            let opts = match f {
                Some(f) => Options::default().with_format(f),
                None => Options::default(),
            };
            let run = cat.case(format!("{input:?} as {f:?}"), input.clone(), &opts);
            if matches!(run.outcome, Outcome::Ok) {
                // Allowed, but suspicious: a report from a few bytes.
                eprintln!("[malformed] note: {input:?} as {f:?} parsed as a report");
            }
            if input.is_empty() && !matches!(&run.outcome, Outcome::Err(k) if k == "Empty") {
                cat.fail(format!(
                    "empty input as {f:?}: {:?}, expected Err(Empty)",
                    run.outcome
                ));
            }
        }
    }
    cat.finish();
}

#[test]
fn html_saved_as_pdf() {
    let mut cat = Category::new("HTML forced through the PDF reader");
    let html = std::fs::read(corpus_dir().join("2019-shanghai-city-gov-office/source.html"))
        .expect("source.html");
    let run = cat.case("source.html as Pdf", html.clone(), &pdf_opts());
    if matches!(run.outcome, Outcome::Ok) {
        cat.fail("HTML parsed as a PDF".into());
    }
    // An HTML page whose head mentions %PDF- (sniffed as PDF without forcing).
    let mut v = b"<!-- %PDF-1.4 -->\n".to_vec();
    v.extend_from_slice(&html);
    cat.case("HTML with %PDF- in a comment", v, &Options::default());
    // A PDF forced through the HTML, DOCX and text readers.
    let (_, pdf) = corpus_pdfs()
        .iter()
        .find(|(n, _)| n.ends_with("rendered-cid.pdf"))
        .expect("a cid pdf");
    for f in [InputFormat::Html, InputFormat::Docx, InputFormat::Text] {
        cat.case(
            format!("cid PDF as {f:?}"),
            pdf.clone(),
            &Options::default().with_format(f),
        );
    }
    cat.finish();
}

// ---------------------------------------------------------------- built PDFs

#[test]
fn ten_thousand_pages() {
    let mut cat = Category::new("10,000-page PDF");
    let t = Instant::now();
    let content = Stream::new(dictionary! {}, b"BT /F1 12 Tf 72 720 Td (1) Tj ET".to_vec());
    let pdf = pdf(10_000, content, |_| Dictionary::new());
    eprintln!(
        "[malformed] 10,000-page PDF: {} bytes, built in {:.2?}",
        pdf.len(),
        t.elapsed()
    );
    let run = cat.case("10,000 pages", pdf, &Options::default());
    if !matches!(&run.outcome, Outcome::Ok | Outcome::Err(_))
        || matches!(&run.outcome, Outcome::Err(k) if k != "Limit" && k != "NotAReport")
    {
        cat.fail(format!(
            "10,000 pages: {:?}, expected Err(Limit)",
            run.outcome
        ));
    }
    eprintln!(
        "[malformed] 10,000 pages: peak live {} MiB, largest allocation {} MiB",
        run.peak_live >> 20,
        run.max_one_alloc >> 20
    );
    cat.finish();
}

fn gigabyte_bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let t = Instant::now();
        let z = zlib_fill(b"BT /F1 12 Tf 72 720 Td (1) Tj ET\n%", 0, 1 << 30);
        eprintln!(
            "[malformed] 1 GiB of zeros deflated to {} bytes in {:.2?}",
            z.len(),
            t.elapsed()
        );
        z
    })
}

#[test]
fn flate_bomb_content_stream() {
    let mut cat = Category::new("FlateDecode bomb (1 GiB) as content stream");
    let z = gigabyte_bomb().to_vec();
    let content =
        Stream::new(dictionary! { "Filter" => "FlateDecode" }, z.clone()).with_compression(false);
    let bomb_pdf = pdf(1, content, |_| Dictionary::new());
    let run = cat.case("1 GiB content stream", bomb_pdf, &Options::default());
    eprintln!(
        "[malformed] flate bomb: {:?}, peak live {} MiB, largest allocation {} MiB",
        run.outcome,
        run.peak_live >> 20,
        run.max_one_alloc >> 20
    );
    // 64 MiB default limit: a Vec of at most 128 MiB capacity is fine; a gigabyte is not.
    if run.max_one_alloc > 256 << 20 || run.peak_live > 512 << 20 {
        cat.fail(format!(
            "1 GiB content stream: allocated {} MiB at once, {} MiB live",
            run.max_one_alloc >> 20,
            run.peak_live >> 20
        ));
    }
    // The same bomb as the `/Fl` abbreviation and in a one-element filter array.
    for (what, filter) in [
        ("/Fl", Object::Name(b"Fl".to_vec())),
        (
            "[/FlateDecode]",
            Object::Array(vec![Object::Name(b"FlateDecode".to_vec())]),
        ),
    ] {
        let content =
            Stream::new(dictionary! { "Filter" => filter }, z.clone()).with_compression(false);
        let run = cat.case(
            format!("1 GiB content stream, filter {what}"),
            pdf(1, content, |_| Dictionary::new()),
            &Options::default(),
        );
        if run.max_one_alloc > 256 << 20 || run.peak_live > 512 << 20 {
            cat.fail(format!(
                "1 GiB content stream, filter {what}: allocated {} MiB at once, {} MiB live",
                run.max_one_alloc >> 20,
                run.peak_live >> 20
            ));
        }
    }
    cat.finish();
}

// ---------------------------------------------------------------- big texts

#[test]
fn twenty_megabytes_of_digits_on_one_line() {
    let mut cat = Category::new("20 MB of digits on one line");
    let mut rng = Rng::new("digits");
    let digits: Vec<u8> = (0..20_000_000)
        .map(|_| b'0' + (rng.next() % 10) as u8)
        .collect();
    cat.case("digits as sniffed", digits.clone(), &Options::default());
    // Behind a report heading and a table label, so the number and cut code sees them.
    let mut v = "某某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量"
        .as_bytes()
        .to_vec();
    v.extend_from_slice(&digits);
    cat.case("digits after a table label", v, &Options::default());
    cat.finish();
}

#[test]
fn hundred_thousand_table_rows() {
    let mut cat = Category::new("100,000 table-like rows");
    let mut text = String::from(
        "某某局2024年政府信息公开工作年度报告\n二、主动公开政府信息情况\n\
         三、收到和处理政府信息公开申请情况\n",
    );
    let labels = [
        "一、本年新收政府信息公开申请数量",
        "（一）予以公开",
        "行政规范性文件",
        "| 规章 | 0 | 0 | 0 |",
        "1.不予公开",
    ];
    let mut rng = Rng::new("rows");
    for i in 0..100_000 {
        let l = labels[i % labels.len()];
        let a = rng.below(1000);
        let b = rng.below(1000);
        text.push_str(&format!("{l} {a} {b} 0 1 2 3 {}\n", a + b + 6));
    }
    cat.case("plain rows", text.clone().into_bytes(), &Options::default());
    let pipes: String = text
        .lines()
        .map(|l| format!("| {} |\n", l.split(' ').collect::<Vec<_>>().join(" | ")))
        .collect();
    cat.case("pipe rows", pipes.into_bytes(), &Options::default());
    cat.finish();
}

// ---------------------------------------------------------------- cross-references

/// `needle` replaced by `with` once (same length or not), or `None` when absent.
fn replaced(hay: &[u8], needle: &[u8], with: &[u8]) -> Option<Vec<u8>> {
    let p = hay.windows(needle.len()).position(|w| w == needle)?;
    let mut v = hay[..p].to_vec();
    v.extend_from_slice(with);
    v.extend_from_slice(&hay[p + needle.len()..]);
    Some(v)
}

/// The number after the last `startxref`.
fn startxref(bytes: &[u8]) -> usize {
    let s = rfind(bytes, b"startxref").expect("startxref") + 9;
    let digits: String = bytes[s..]
        .iter()
        .skip_while(|c| c.is_ascii_whitespace())
        .take_while(|c| c.is_ascii_digit())
        .map(|&c| c as char)
        .collect();
    digits.parse().expect("offset")
}

/// Cross-reference streams, `/Prev` chains and object streams made hostile, read by the
/// loader of reachable objects (and by the full load it falls back to): a stream whose
/// fields take no bytes for 10^12 entries, an /Index past its data, a /Prev naming its own
/// section, an object stream listed as stored inside itself, object stream counts and
/// offsets past the data, 5,000 chained table sections. The first is refused (lopdf would
/// read entries from no bytes for ever); a /Prev loop reads as the file without it.
#[test]
fn cross_references_and_object_streams_hostile() {
    let mut cat = Category::new("hostile cross-references and object streams");
    let content = Stream::new(dictionary! {}, b"BT /F1 12 Tf 72 720 Td (1) Tj ET".to_vec());
    let classic = pdf(3, content, |_| Dictionary::new());
    let mut doc = Document::load_mem(&classic).expect("load");
    let mut modern = Vec::new();
    doc.save_modern(&mut modern).expect("save");
    assert!(rfind(&modern, b"/ObjStm").is_some() && rfind(&modern, b"/XRef").is_some());
    let opts = Options::default();
    let base = cat.case("object streams, unchanged", modern.clone(), &opts);
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    let w = rfind(&modern, b"/W[").expect("/W");
    let w_end = w + modern[w..].iter().position(|&c| c == b']').expect("]") + 1;
    let index = rfind(&modern, b"/Index[").expect("/Index");
    let index_end = index + modern[index..].iter().position(|&c| c == b']').expect("]") + 1;
    let with_index = |idx: &[u8], widths: Option<&[u8]>| {
        let mut v = modern.clone();
        // the later of the two spans first, so the earlier's offsets hold
        let (a, b) = ((w, w_end), (index, index_end));
        let (first, second) = if a.0 < b.0 { (a, b) } else { (b, a) };
        let repl = |span: (usize, usize)| {
            if span == b {
                idx.to_vec()
            } else {
                widths.map_or(modern[w..w_end].to_vec(), <[u8]>::to_vec)
            }
        };
        v.splice(second.0..second.1, repl(second));
        v.splice(first.0..first.1, repl(first));
        v
    };
    cases.push((
        "zero-width fields, 10^12 entries".into(),
        with_index(b"/Index[0 999999999999]", Some(b"/W[0 0 0]")),
    ));
    cases.push((
        "/Index past the data".into(),
        with_index(b"/Index[0 99999999]", None),
    ));
    let at = startxref(&modern);
    let mut own = modern.clone();
    own.splice(w..w, format!("/Prev {at}").bytes());
    cases.push(("/Prev naming its own section".into(), own));
    // the object stream's own row in the cross-reference data: type 2, inside itself
    let objstm = rfind(&modern, b"/Type/ObjStm")
        .or_else(|| rfind(&modern, b"/ObjStm"))
        .expect("objstm");
    let header = modern[..objstm]
        .windows(3)
        .rposition(|x| x == b"obj")
        .expect("obj");
    let id: u32 = String::from_utf8_lossy(&modern[..header])
        .rsplit('\n')
        .next()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .and_then(|n| n.parse().ok())
        .expect("id");
    let text = String::from_utf8_lossy(&modern[w..w_end]).to_string();
    let widths: Vec<usize> = text
        .trim_start_matches("/W[")
        .trim_end_matches(']')
        .split_whitespace()
        .map(|n| n.parse().expect("width"))
        .collect();
    let row: usize = widths.iter().sum();
    let first: usize = rfind(&modern, b"/Index[")
        .map(|i| {
            String::from_utf8_lossy(&modern[i + 7..i + 20])
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        })
        .unwrap_or(0);
    let data = rfind(&modern, b"stream\n").expect("stream") + 7;
    let mut inside = modern.clone();
    let r = data + (id as usize - first) * row;
    inside[r] = 2;
    for (k, b) in (id as u64)
        .to_be_bytes()
        .iter()
        .rev()
        .take(widths[1])
        .enumerate()
    {
        inside[r + widths[0] + widths[1] - 1 - k] = *b;
    }
    cases.push(("object stream stored inside itself".into(), inside));
    for (what, from, to) in [
        (
            "object stream /N huge",
            &b"/N "[..],
            &b"/N 999999999 /M "[..],
        ),
        (
            "object stream /First past its data",
            b"/First ",
            b"/First 99999999 /M ",
        ),
    ] {
        if let Some(v) = replaced(&modern, from, to) {
            cases.push((what.into(), v));
        }
    }
    // 5,000 empty table sections chained by /Prev after the classic file's own
    let mut chain = classic.clone();
    let root = {
        let r = rfind(&classic, b"/Root").expect("/Root") + 5;
        String::from_utf8_lossy(&classic[r..r + 12])
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut prev = startxref(&classic);
    let size = doc.max_id + 1;
    for _ in 0..5000 {
        let here = chain.len();
        chain.extend_from_slice(
            format!("xref\n0 1\n0000000000 65535 f \ntrailer\n<</Size {size}/Root {root} R/Prev {prev}>>\n")
                .as_bytes(),
        );
        prev = here;
    }
    chain.extend_from_slice(format!("startxref\n{prev}\n%%EOF\n").as_bytes());
    cases.push(("5,000 chained table sections".into(), chain));
    for (label, bytes) in cases {
        let run = cat.case(label.clone(), bytes, &opts);
        if label.starts_with("zero-width")
            && !matches!(&run.outcome, Outcome::Err(k) if k == "Damaged")
        {
            cat.fail(format!("{label}: {:?}, expected Err(Damaged)", run.outcome));
        }
        if label.starts_with("/Prev naming")
            && format!("{:?}", run.outcome) != format!("{:?}", base.outcome)
        {
            cat.fail(format!(
                "{label}: {:?}, unchanged {:?}",
                run.outcome, base.outcome
            ));
        }
    }
    cat.finish();
}
