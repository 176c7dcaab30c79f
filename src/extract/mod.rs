//! Stage 1: bytes → lines of text with their origin.
//!
//! Every input format ends up as [`Line`]s. Tables whose grid is known (HTML, DOCX, ruled
//! PDF tables) come as markdown pipe rows, `| label | 0 |  | 3 |`, one entry per cell, blank
//! cells kept, so later stages read every format the same way.

pub mod pdf;
pub mod text;

use crate::diagnostic::Diagnostic;
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
}

/// Tells the format from the first bytes.
pub fn sniff(bytes: &[u8]) -> InputFormat {
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return InputFormat::Pdf;
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
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::Unsupported(
            "legacy binary Word/WPS document (.doc/.wps): save it as DOCX or PDF".into(),
        ));
    }
    let format = opts.format.unwrap_or_else(|| sniff(bytes));
    match format {
        InputFormat::Pdf => pdf::extract(bytes, opts),
        InputFormat::Docx => Err(Error::Unsupported("DOCX input is not supported yet".into())),
        InputFormat::Text | InputFormat::Markdown | InputFormat::Html => {
            text::extract(bytes, format, opts)
        }
    }
}
