//! Pictures in a web page (`<img>`): a table published as a picture is read by OCR, and
//! its lines take the picture's place among the page's lines.
//!
//! A picture is read from the page itself (`data:` links) or from a file beside it (a page
//! saved with its images, `page.html` + `page_files/…`), never from the web and never from
//! outside [`Options::picture_dir`]. Each picture is numbered in reading order; its lines
//! carry that number as their page, so the OCR's doubts reach the cells read from it.

use std::path::{Path, PathBuf};

use base64::Engine as _;

use super::markup::Picture;
use super::{pdf, scan, Extracted, Line};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::ocr::{self, image_file};
use crate::options::{OcrMode, Options};
use crate::source::Location;

/// Pictures smaller than this on either side are icons, bullets or logos, not tables.
const MIN_SIDE: usize = 120;
/// Nor is a picture of fewer pixels than this (a 300 × 200 table is the least readable).
const MIN_PIXELS: usize = 60_000;

/// Reads the pictures of a markup input and puts their lines in at their places.
pub(crate) fn splice(ex: &mut Extracted, pictures: &[Picture], opts: &Options) {
    if pictures.is_empty() {
        return;
    }
    let mut unread: Vec<String> = Vec::new();
    let mut readable = Vec::new();
    for (k, p) in pictures.iter().enumerate() {
        match load(&p.src, opts) {
            Loaded::Bytes(b) => readable.push((k, p, b)),
            Loaded::Skip => {}
            Loaded::Not(why) => unread.push(format!("{} ({why})", short(&p.src))),
        }
    }
    if !unread.is_empty() {
        ex.diagnostics.push(Diagnostic::new(
            Code::OcrPageUnread,
            Severity::Info,
            format!(
                "{} picture(s) not read: {}; a table published as a picture is read when the page is saved with its images",
                unread.len(),
                unread.join("; ")
            ),
        ));
    }
    if readable.is_empty() {
        return;
    }
    if opts.ocr == OcrMode::Never {
        ex.diagnostics.push(Diagnostic::new(
            Code::OcrPageUnread,
            Severity::Info,
            format!("{} picture(s) not read: OCR is off", readable.len()),
        ));
        return;
    }
    let engine = match ocr::Tesseract::find() {
        Ok(e) => e,
        Err(why) => {
            ex.diagnostics.push(Diagnostic::new(
                Code::OcrPageUnread,
                Severity::Warning,
                format!(
                    "{} picture(s) not read (a table published as a picture is lost): {why}",
                    readable.len()
                ),
            ));
            return;
        }
    };
    // read in order, put in from the last so earlier places stay where they are
    let mut inserts: Vec<(usize, Vec<Line>)> = Vec::new();
    for (k, p, bytes) in readable {
        let number = u32::try_from(k + 1).unwrap_or(u32::MAX);
        if let Some(lines) = read(number, p, &bytes, &engine, ex) {
            inserts.push((p.line.min(ex.lines.len()), lines));
        }
    }
    for (at, lines) in inserts.into_iter().rev() {
        ex.lines.splice(at..at, lines);
    }
}

/// OCR of one picture → its lines (page = the picture's number), its doubts and
/// diagnostics into `ex`; `None` for a picture too small to hold a table.
fn read(
    number: u32,
    p: &Picture,
    bytes: &[u8],
    engine: &dyn ocr::Engine,
    ex: &mut Extracted,
) -> Option<Vec<Line>> {
    let pages = match image_file::decode(bytes) {
        Ok(pages) => pages,
        Err(e) => {
            ex.diagnostics.push(unread(
                number,
                format!(
                    "picture {number} ({}) could not be decoded: {e}",
                    short(&p.src)
                ),
            ));
            return None;
        }
    };
    // a picture is one page; a multi-page TIFF gives its first
    let page = pages.into_iter().next()?;
    let (w, h) = (page.raster.seen.w, page.raster.seen.h);
    if w.min(h) < MIN_SIDE || w * h < MIN_PIXELS {
        return None;
    }
    let pt = 72.0 / page.dpi;
    let page_box = [0.0, 0.0, w as f32 * pt, h as f32 * pt];
    let image = scan::PageImage {
        number,
        page_box,
        raster: &page.raster,
        at: ocr::Placement {
            x0: 0.0,
            y_top: page_box[3],
            sx: pt,
            sy: pt,
        },
        note: page
            .dpi_guessed
            .then(|| " assumed: the picture gives no resolution".to_string()),
        name: Some(format!("picture {number} ({})", short(&p.src))),
    };
    let scanned = scan::read_pages(std::slice::from_ref(&image), engine);
    ex.diagnostics.extend(scanned.diagnostics);
    ex.doubts.extend(scanned.doubts);
    let text = pdf::lay_out(scanned.pages);
    Some(super::lines_of(text))
}

fn unread(number: u32, message: String) -> Diagnostic {
    Diagnostic::new(Code::OcrPageUnread, Severity::Warning, message).at(Some(Location {
        page: Some(number),
        ..Location::default()
    }))
}

/// What a picture link gave.
enum Loaded {
    /// The picture's bytes.
    Bytes(Vec<u8>),
    /// Not a picture this reader reads (a link to something else, an empty link).
    Skip,
    /// A picture that could not be had, and why.
    Not(&'static str),
}

fn load(src: &str, opts: &Options) -> Loaded {
    if let Some(data) = src.strip_prefix("data:") {
        return from_data(data, opts.max_input_bytes);
    }
    let lower = src.to_ascii_lowercase();
    if lower.starts_with("//") || lower.contains("://") {
        return Loaded::Not("on the web, not fetched");
    }
    if lower.starts_with("javascript:") || lower.starts_with('#') {
        return Loaded::Skip;
    }
    let Some(dir) = &opts.picture_dir else {
        return Loaded::Not("a file link, and no folder to look in");
    };
    let Some(path) = resolve(dir, src) else {
        return Loaded::Not("no such file in the page's folder");
    };
    match std::fs::metadata(&path) {
        Ok(m) if m.len() > opts.max_input_bytes as u64 => {
            Loaded::Not("larger than max_input_bytes")
        }
        Ok(m) if m.is_file() => match std::fs::read(&path) {
            Ok(b) if image_file::is_image(&b) => Loaded::Bytes(b),
            Ok(_) => Loaded::Skip,
            Err(_) => Loaded::Not("unreadable"),
        },
        _ => Loaded::Not("file missing"),
    }
}

/// A `data:` link's bytes (`image/…;base64,…`).
fn from_data(data: &str, max: usize) -> Loaded {
    let Some((head, body)) = data.split_once(',') else {
        return Loaded::Skip;
    };
    if !head.starts_with("image/") || !head.ends_with(";base64") {
        return Loaded::Skip;
    }
    if body.len() / 4 * 3 > max {
        return Loaded::Not("larger than max_input_bytes");
    }
    let clean: Vec<u8> = body.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    match base64::engine::general_purpose::STANDARD.decode(&clean) {
        Ok(b) if image_file::is_image(&b) => Loaded::Bytes(b),
        Ok(_) => Loaded::Skip,
        Err(_) => Loaded::Not("bad base64"),
    }
}

/// The file a relative link names, when it lies inside `dir` (links are percent-encoded
/// and may carry a query or fragment).
fn resolve(dir: &Path, src: &str) -> Option<PathBuf> {
    let src = src.split(['?', '#']).next()?;
    let decoded = percent_decode(src)?;
    let rel = decoded.replace('\\', "/");
    if rel.starts_with('/') {
        return None;
    }
    let base = dir.canonicalize().ok()?;
    let path = base
        .join(rel.trim_start_matches("./"))
        .canonicalize()
        .ok()?;
    path.starts_with(&base).then_some(path)
}

/// `%E8%A1%A8.png` → `表.png`; `None` for an encoding that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// A link short enough for a message (a `data:` link's payload left out).
fn short(src: &str) -> String {
    if src.starts_with("data:") {
        return src.split(',').next().unwrap_or("data:").to_string() + ",…";
    }
    let n = src.chars().count();
    if n <= 80 {
        src.to_string()
    } else {
        let tail: String = src.chars().skip(n - 60).collect();
        format!("…{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_only_inside_the_folder() {
        let dir = std::env::temp_dir().join(format!("ogi-pictures-{}", std::process::id()));
        let files = dir.join("page_files");
        std::fs::create_dir_all(&files).unwrap();
        std::fs::write(files.join("表 1.png"), b"x").unwrap();
        let got = resolve(&dir, "./page_files/%E8%A1%A8%201.png?v=2").unwrap();
        assert!(got.ends_with("page_files/表 1.png"), "{got:?}");
        assert!(resolve(&dir, "page_files\\表 1.png").is_some());
        assert_eq!(resolve(&dir, "../page_files/表 1.png"), None);
        assert_eq!(resolve(&dir, "/etc/hostname"), None);
        assert_eq!(resolve(&dir, "page_files/missing.png"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn web_links_are_not_fetched_and_data_links_are_decoded() {
        let opts = Options::default();
        assert!(matches!(
            load("https://example.org/t.png", &opts),
            Loaded::Not(_)
        ));
        assert!(matches!(
            load("//cdn.example.org/t.png", &opts),
            Loaded::Not(_)
        ));
        // a 1×1 PNG
        let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==";
        match load(&format!("data:image/png;base64,{png}"), &opts) {
            Loaded::Bytes(b) => assert!(b.starts_with(b"\x89PNG")),
            _ => panic!("data link not decoded"),
        }
        assert!(matches!(
            load("data:text/plain;base64,aGk=", &opts),
            Loaded::Skip
        ));
        assert!(matches!(
            load("data:image/png;base64,@@@", &opts),
            Loaded::Not("bad base64")
        ));
    }

    #[test]
    fn messages_keep_links_short() {
        assert_eq!(
            short("data:image/png;base64,AAAA"),
            "data:image/png;base64,…"
        );
        let long = format!("page_files/{}.png", "a".repeat(100));
        assert!(short(&long).chars().count() <= 61);
    }
}
