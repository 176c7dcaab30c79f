//! Stage 1: bytes → lines of text with their origin.
//!
//! Every input format ends up as [`Line`](crate::extract::Line)s: a line of text, or a table
//! row whose grid the reader knew (HTML, DOCX, DOC cells, markdown pipe rows, ruled or
//! borderless PDF tables, layout-text columns, OCR'd grids) as its
//! [`Line::cells`](crate::extract::Line::cells), one per column, blank cells kept, each with
//! its own place. This is where a new input kind plugs in: a reader that
//! yields `Line`s; normalising, parsing and checking are the same for every kind.

pub mod markup;
pub mod pdf;
mod pictures;
mod scan;
pub mod text;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::options::Options;
use crate::report::InputFormat;
use crate::source::Location;

/// One line of extracted text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    /// The text, without its line break.
    pub text: String,
    /// Where it came from.
    pub origin: Location,
    /// For a table row: its cells in column order (blank positions as empty cells); empty
    /// for a line of text. The parser reads a row's cells by index from here, never by
    /// splitting `text`.
    pub cells: Vec<LineCell>,
}

/// One cell of a table row as a reader hands it on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineCell {
    /// The cell's text as printed (a `|` in it is just a character).
    pub text: String,
    /// Where the cell itself was printed (its box or span), when the reader knew; else
    /// the row's origin stands for it.
    pub origin: Option<Location>,
}

impl Line {
    /// A table row of `cells`; its `text` is the cells joined by tabs, for what looks at
    /// lines as text (limits, debugging).
    pub fn row(cells: Vec<LineCell>, origin: Location) -> Line {
        let text = cells
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\t");
        Line {
            text,
            origin,
            cells,
        }
    }

    /// Whether the line is a table row.
    pub fn is_row(&self) -> bool {
        !self.cells.is_empty()
    }
}

/// What extraction produced.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The detected (or forced) format.
    pub format: InputFormat,
    /// Lines in reading order.
    pub lines: Vec<Line>,
    /// Doubts met while extracting (guessed encodings, undecodable glyphs).
    pub diagnostics: Vec<Diagnostic>,
    /// Regions read with doubt (OCR'd cells): every table cell later read inside one gets
    /// a warning.
    pub doubts: Vec<Doubt>,
}

/// A region of the input whose reading is unsure.
#[derive(Debug, Clone, PartialEq)]
pub struct Doubt {
    /// Where: page and box.
    pub location: Location,
    /// Confidence of the reading kept, 0 to 1.
    pub conf: f32,
    /// What was read and why it is doubted.
    pub why: String,
}

/// Tells the format from the first bytes.
pub fn sniff(bytes: &[u8]) -> InputFormat {
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return InputFormat::Pdf;
    }
    if crate::ocr::image_file::is_image(head) {
        return InputFormat::Image;
    }
    if markup::is_ole2(head) {
        return InputFormat::Doc;
    }
    if head.starts_with(b"PK\x03\x04") {
        return InputFormat::Docx;
    }
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let trimmed = trim_start(&lower);
    let html_marks: [&[u8]; 8] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
        b"<div",
        b"<p",
        b"<table",
    ];
    if html_marks.iter().any(|m| trimmed.starts_with(m)) || find(&lower, b"<html").is_some() {
        return InputFormat::Html;
    }
    InputFormat::Text
}

fn trim_start(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(b);
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Extracts lines from any supported input.
pub fn extract(bytes: &[u8], opts: &Options) -> Result<Extracted> {
    if bytes.len() > opts.max_input_bytes {
        return Err(Error::Limit(format!(
            "input is {} bytes, more than max_input_bytes = {}",
            bytes.len(),
            opts.max_input_bytes
        )));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty);
    }
    let mut ex = read(bytes, opts)?;
    cap_text(&mut ex, opts.max_text_bytes);
    Ok(ex)
}

/// Cuts the text of any reader at `max_text_bytes` (on a char boundary), with an error
/// diagnostic: the one rule for every input kind.
fn cap_text(ex: &mut Extracted, max: usize) {
    let mut total = 0usize;
    for (i, line) in ex.lines.iter_mut().enumerate() {
        let len = line.text.len() + 1;
        if total + len <= max + 1 {
            total += len;
            continue;
        }
        let mut cut = max.saturating_sub(total);
        while !line.text.is_char_boundary(cut) {
            cut -= 1;
        }
        line.text.truncate(cut);
        // a table row is cut as a whole: half a row would read as a row of fewer cells
        let keep = if line.is_row() { i } else { i + 1 };
        ex.lines.truncate(keep);
        ex.diagnostics.push(Diagnostic::new(
            Code::InputTruncated,
            Severity::Error,
            format!("text cut at max_text_bytes = {max}: the rest of the input was not read"),
        ));
        return;
    }
}

/// The reader for the input's kind.
fn read(bytes: &[u8], opts: &Options) -> Result<Extracted> {
    // An OLE2 file is read as Word whatever format was asked for: its content says what it is.
    if markup::is_legacy_office(bytes) {
        return from_doc(bytes, opts);
    }
    let format = opts.format.unwrap_or_else(|| sniff(bytes));
    match format {
        InputFormat::Doc => from_doc(bytes, opts),
        InputFormat::Pdf => from_pdf(bytes, opts),
        InputFormat::Html => {
            let mut m = markup::html_to_text(bytes);
            let pictures = std::mem::take(&mut m.pictures);
            let mut ex = from_markup(m, InputFormat::Html);
            pictures::splice(&mut ex, &pictures, opts);
            Ok(ex)
        }
        InputFormat::Docx => markup::docx_to_text(bytes)
            .map(|m| from_markup(m, InputFormat::Docx))
            .map_err(|e| match e {
                markup::MarkupError::LegacyBinary => Error::Unsupported(e.to_string()),
                markup::MarkupError::Limit(m) => Error::Limit(m),
                markup::MarkupError::BadDocx(m) => Error::Damaged {
                    format: "docx",
                    reason: m,
                },
            }),
        InputFormat::Text | InputFormat::Markdown => text::extract(bytes, format, opts),
        InputFormat::Image => from_image(bytes, opts),
    }
}

/// Lines of a `.doc`/`.wps` (OLE2 Word binary) document.
fn from_doc(bytes: &[u8], opts: &Options) -> Result<Extracted> {
    markup::doc_to_text(bytes, opts.max_text_bytes)
        .map(|m| from_markup(m, InputFormat::Doc))
        .map_err(|e| match e {
            markup::DocError::NotWord => Error::Unsupported(e.to_string()),
            markup::DocError::Encrypted => Error::Encrypted,
            markup::DocError::Damaged(m) => Error::Damaged {
                format: "doc",
                reason: m,
            },
        })
}

/// Lines of an HTML, DOCX or DOC document; a table row's origin is its (table, row) in the grid.
fn from_markup(m: markup::MarkupText, format: InputFormat) -> Extracted {
    let lines = m
        .lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let origin = Location {
                line: u32::try_from(i + 1).ok(),
                table_row: l.table_pos,
                ..Location::default()
            };
            if l.table_pos.is_none() {
                return Line {
                    text: l.text,
                    origin,
                    cells: Vec::new(),
                };
            }
            let cells = l
                .cells
                .into_iter()
                .map(|text| LineCell { text, origin: None })
                .collect();
            Line::row(cells, origin)
        })
        .collect();
    let diagnostics = m
        .notes
        .into_iter()
        .map(|n| Diagnostic::new(Code::EncodingGuessed, Severity::Info, n))
        .collect();
    Extracted {
        format,
        lines,
        diagnostics,
        doubts: Vec::new(),
    }
}

/// Lines of a PDF: positioned glyphs → lines, tables → rows of cells, page by page.
fn from_pdf(bytes: &[u8], opts: &Options) -> Result<Extracted> {
    let limits = pdf::PdfLimits {
        max_pages: opts.max_pages,
        max_decoded_stream: opts.max_decoded_stream,
        max_ops_per_page: opts.max_ops_per_page,
        max_xobject_depth: opts.max_xobject_depth,
        max_decoded_per_document: opts.max_decoded_per_document,
        max_ops_per_document: opts.max_ops_per_document,
        max_glyphs_per_document: opts.max_glyphs_per_document,
        threads: opts.threads,
        ..pdf::PdfLimits::default()
    };
    // scanned pages go to OCR as they come (only when an engine is there: without one a
    // scan is the error saying what to install)
    let mut scans = (opts.ocr != crate::options::OcrMode::Never).then(|| scan::PdfScans {
        every: opts.ocr == crate::options::OcrMode::Always,
        scanned: scan::Scanned::default(),
    });
    let read = match scans.as_mut() {
        Some(s) => pdf::extract_scanned(bytes, &limits, s),
        None => pdf::extract(bytes, &limits),
    };
    let text = read.map_err(|e| match e {
        pdf::PdfError::Malformed(m) => Error::Damaged {
            format: "pdf",
            reason: m,
        },
        pdf::PdfError::Encrypted => Error::Encrypted,
        pdf::PdfError::NoText => match (&scans, crate::ocr::Tesseract::find()) {
            (Some(_), Err(why)) => Error::OcrUnavailable(why),
            _ => Error::NoTextLayer,
        },
        pdf::PdfError::Limit(m) => Error::Limit(m),
    })?;
    let (mut diagnostics, doubts) = match scans {
        Some(s) => (s.scanned.diagnostics, s.scanned.doubts),
        None => (Vec::new(), Vec::new()),
    };
    if text.undecodable_glyphs > 0 {
        diagnostics.push(Diagnostic::new(
            Code::UndecodableGlyphs,
            Severity::Warning,
            format!(
                "{} glyphs could not be mapped to Unicode (shown as U+FFFD)",
                text.undecodable_glyphs
            ),
        ));
    }
    let lines = lines_of(text);
    Ok(Extracted {
        format: InputFormat::Pdf,
        lines,
        diagnostics,
        doubts,
    })
}

/// The lines of positioned pages, each with its page, line number and box, and a table
/// row's cells with their own boxes.
fn lines_of(text: pdf::PdfText) -> Vec<Line> {
    let mut lines = Vec::new();
    for page in text.pages {
        for (i, l) in page.lines.into_iter().enumerate() {
            let at = |bbox| Location {
                page: Some(page.number),
                line: u32::try_from(i + 1).ok(),
                bbox,
                ..Location::default()
            };
            if !l.is_table_row {
                lines.push(Line {
                    text: l.text,
                    origin: at(Some(l.bbox)),
                    cells: Vec::new(),
                });
                continue;
            }
            let cells = l
                .cells
                .into_iter()
                .enumerate()
                .map(|(k, text)| LineCell {
                    text,
                    origin: l.cell_boxes.get(k).copied().flatten().map(|b| at(Some(b))),
                })
                .collect();
            let origin = at(Some(l.bbox));
            // the row's text is the reader's, already joined
            lines.push(Line {
                text: l.text,
                origin,
                cells,
            });
        }
    }
    lines
}

/// An image file (PNG, JPEG, TIFF) read by OCR, page by page.
fn from_image(bytes: &[u8], opts: &Options) -> Result<Extracted> {
    use crate::options::OcrMode;
    if opts.ocr == OcrMode::Never {
        return Err(Error::NoTextLayer);
    }
    let engine = crate::ocr::Tesseract::find().map_err(Error::OcrUnavailable)?;
    let pages = crate::ocr::image_file::decode(bytes).map_err(|reason| Error::Damaged {
        format: "image",
        reason,
    })?;
    let images: Vec<scan::PageImage<'_>> = pages
        .iter()
        .zip(1u32..)
        .map(|(p, number)| {
            let pt = 72.0 / p.dpi;
            let (w, h) = (p.raster.seen.w, p.raster.seen.h);
            let page_box = [0.0, 0.0, w as f32 * pt, h as f32 * pt];
            scan::PageImage {
                number,
                page_box,
                raster: &p.raster,
                at: crate::ocr::Placement {
                    x0: 0.0,
                    y_top: page_box[3],
                    sx: pt,
                    sy: pt,
                },
                note: p
                    .dpi_guessed
                    .then(|| " assumed: the image gives no resolution".to_string()),
                name: None,
            }
        })
        .collect();
    let scanned = scan::read_pages(&images, &engine);
    let text = pdf::lay_out(scanned.pages);
    Ok(Extracted {
        format: InputFormat::Image,
        lines: lines_of(text),
        diagnostics: scanned.diagnostics,
        doubts: scanned.doubts,
    })
}
