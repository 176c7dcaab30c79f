//! Loading a document through lopdf without its unbounded decoders.
//!
//! [`load`] parses only the objects the extractor can reach ([`super::reach`]), and falls
//! back to lopdf's load of every object when that cannot stand for it; the guards below
//! hold for both.
//!
//! lopdf inflates object streams (`/Type /ObjStm`) and cross-reference streams while
//! loading, with no output limit. Two guards:
//! - before loading, the raw bytes are scanned for object and cross-reference streams
//!   (and any stream at a `startxref` / `/Prev` / `/XRefStm` offset) and each is decoded
//!   with the bounded decoder just to measure it: one over `max_decoded_stream` rejects the
//!   file, and so does a cross-reference stream whose entries take no bytes;
//! - while loading, a filter replaces each object stream's content by its bounded decoding,
//!   so lopdf's own decoder never runs on it.
//!
//! And one guard against lopdf's recursion: lopdf resolves an indirect stream `/Length`
//! while parsing the stream, recursively, and resolving an object inside an object stream
//! starts a fresh cycle check — so an object stream whose length lives inside itself, or a
//! long chain of streams whose lengths are the next stream, overflows the stack (an abort
//! that `catch_unwind` cannot stop). [`harden_lengths`] (in [`super::lengths`]) rewrites every indirect stream
//! length in a copy of the bytes, in place and at the same width (offsets unchanged), to
//! the integer it names (or, when that is not a plain integer object, the length measured
//! to `endstream`), so lopdf never resolves a reference while parsing a stream.

use std::borrow::Cow;
use std::cell::Cell;

use memchr::{memchr, memmem};

use lopdf::content::Content;
use lopdf::{Document, LoadOptions, Object, Stream};

use super::decode::{decode, filters, TooLarge};
use super::lengths::{data_start, harden_lengths, LengthFix};
use super::objects::copy_in;
use super::reach::{self, Fallback};
use super::types::PdfError;

thread_local! {
    static LOAD_MAX: Cell<usize> = const { Cell::new(usize::MAX) };
    static LOAD_OVER: Cell<bool> = const { Cell::new(false) };
}

fn too_large(max: usize) -> PdfError {
    PdfError::Limit(format!(
        "an object or cross-reference stream decodes to more than {max} bytes"
    ))
}

/// A loaded document and the bytes its streams' data lies in ([`raw_data`]): the file
/// from its `%PDF-` on.
///
/// [`raw_data`]: super::objects::raw_data
pub struct Loaded<'a> {
    /// The document.
    pub doc: Document,
    /// What the offsets of its streams count from.
    pub file: &'a [u8],
}

/// Loads `bytes`: the objects reachable from the trailer ([`reach`]), or when that cannot
/// stand for it, the whole file through lopdf ([`load_full`]); object streams decoded
/// under `max` bytes each, indirect stream lengths made direct first ([`harden_lengths`]).
pub fn load(bytes: &[u8], max: usize) -> Result<Loaded<'_>, lopdf::Error> {
    let (hardened, fixes) = harden_lengths(bytes);
    LOAD_OVER.with(|o| o.set(false));
    // offsets count from the header, as lopdf counts them
    let base = memmem::find(&hardened, b"%PDF-").unwrap_or(0);
    let from_header = hardened.get(base..).unwrap_or(&[]);
    let doc = match reach::load(from_header, max) {
        // a copy made to harden lengths is not kept for the document's life: the data of
        // the streams read is copied out of it
        Ok(doc) if matches!(hardened, Cow::Owned(_)) => {
            every_stream(doc, |s| copy_in(s, from_header))
        }
        Ok(doc) => doc,
        Err(Fallback::TooLarge) => {
            LOAD_OVER.with(|o| o.set(true));
            return Err(lopdf::Error::InvalidStream(
                "an object stream over the limit".into(),
            ));
        }
        Err(Fallback::Full) => detached(load_lopdf(&hardened, max)?),
    };
    let doc = with_fixes(doc, &hardened, fixes);
    Ok(Loaded {
        doc,
        file: bytes.get(base..).unwrap_or(&[]),
    })
}

/// `doc` with `f` applied to each of its streams.
fn every_stream(mut doc: Document, mut f: impl FnMut(&mut Stream)) -> Document {
    for o in doc.objects.values_mut() {
        if let Object::Stream(s) = o {
            f(s);
        }
    }
    doc
}

/// A document lopdf loaded whole, as it read it: every stream's data (what lopdf could
/// read) is in memory, and none points into a file any more ([`raw_data`] reads none).
///
/// [`raw_data`]: super::objects::raw_data
fn detached(doc: Document) -> Document {
    every_stream(doc, |s| s.start_position = None)
}

/// [`load`] through lopdf's loader of every object (what [`load`] falls back to), for the
/// benches and the test that the two agree.
#[cfg(any(test, feature = "unstable"))]
pub fn load_full(bytes: &[u8], max: usize) -> Result<Document, lopdf::Error> {
    let (hardened, fixes) = harden_lengths(bytes);
    LOAD_OVER.with(|o| o.set(false));
    let doc = detached(load_lopdf(&hardened, max)?);
    Ok(with_fixes(doc, &hardened, fixes))
}

fn load_lopdf(hardened: &[u8], max: usize) -> Result<Document, lopdf::Error> {
    LOAD_MAX.with(|m| m.set(max));
    let r = Document::load_mem_with_options(hardened, LoadOptions::with_filter(filter));
    LOAD_MAX.with(|m| m.set(usize::MAX));
    r
}

/// Sets the data of the streams whose length [`harden_lengths`] could not write.
fn with_fixes(mut doc: Document, hardened: &[u8], fixes: Vec<LengthFix>) -> Document {
    for fix in fixes {
        if let Some(Object::Stream(s)) = doc.objects.get_mut(&fix.id) {
            if s.content.is_empty() {
                if let Some(d) = hardened.get(fix.start..fix.start.saturating_add(fix.len)) {
                    s.set_content(d.to_vec());
                }
            }
        }
    }
    doc
}

/// Whether the last [`load`] on this thread dropped an object stream over the limit.
pub fn load_hit_limit() -> bool {
    LOAD_OVER.with(|o| o.replace(false))
}

fn filter(id: (u32, u16), obj: &mut Object) -> Option<((u32, u16), Object)> {
    if let Object::Stream(s) = obj {
        if s.dict.has_type(b"ObjStm") && !filters(&s.dict).is_empty() {
            let max = LOAD_MAX.with(Cell::get);
            match decode(&s.dict, &s.content, max) {
                Ok(d) => {
                    s.dict.remove(b"Filter");
                    s.dict.remove(b"DecodeParms");
                    s.set_content(d.unwrap_or_default());
                }
                Err(TooLarge) => {
                    LOAD_OVER.with(|o| o.set(true));
                    return None;
                }
            }
        }
        // lopdf keeps `obj` itself here; the returned copy is only used for objects inside
        // object streams, which are never streams.
        return Some((id, Object::Null));
    }
    Some((id, obj.clone()))
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memmem::find(hay.get(from..)?, needle).and_then(|p| p.checked_add(from))
}

/// Numbers following `key` anywhere in the file (`startxref 123`, `/Prev 456`).
fn numbers_after(bytes: &[u8], key: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    for p in memmem::find_iter(bytes, key) {
        let at = p + key.len();
        let rest = bytes.get(at..).unwrap_or(&[]);
        let digits: Vec<u8> = rest
            .iter()
            .skip_while(|c| c.is_ascii_whitespace())
            .take_while(|c| c.is_ascii_digit())
            .copied()
            .collect();
        if let Some(n) = std::str::from_utf8(&digits)
            .ok()
            .and_then(|s| s.parse::<usize>().ok())
        {
            out.push(n);
        }
        if out.len() > 10_000 {
            break;
        }
    }
    out
}

/// Decodes `#xx` escapes of names and drops indirect references (`12 0 R` → `null`) so the
/// dictionary text parses as content-stream operands.
fn normalize_dict(text: &[u8]) -> Vec<u8> {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while let Some(&c) = text.get(i) {
        if c == b'#' {
            if let (Some(a), Some(b)) = (
                text.get(i + 1).copied().and_then(hex),
                text.get(i + 2).copied().and_then(hex),
            ) {
                let v = (a << 4) | b;
                if v.is_ascii_alphanumeric() {
                    out.push(v);
                    i += 3;
                    continue;
                }
            }
        }
        if c == b'R'
            && !text
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'_')
        {
            // Remove the "n g" before it.
            let mut j = out.len();
            let mut nums = 0;
            while nums < 2 {
                while j > 0 && out.get(j - 1).is_some_and(|c| c.is_ascii_whitespace()) {
                    j -= 1;
                }
                let end = j;
                while j > 0 && out.get(j - 1).is_some_and(|c| c.is_ascii_digit()) {
                    j -= 1;
                }
                if j == end {
                    break;
                }
                nums += 1;
            }
            if nums == 2 {
                out.truncate(j);
                out.extend_from_slice(b" null");
                i += 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Scans the raw file for object streams, cross-reference streams and streams at
/// cross-reference offsets, and measures each with the bounded decoder.
pub fn prescan(bytes: &[u8], max: usize, total: usize) -> Result<(), PdfError> {
    let base = find(bytes, b"%PDF-", 0).unwrap_or(0);
    let mut targets: Vec<usize> = Vec::new();
    for key in [&b"startxref"[..], b"/Prev", b"/XRefStm"] {
        targets.extend(
            numbers_after(bytes, key)
                .into_iter()
                .filter_map(|n| n.checked_add(base)),
        );
    }
    // Raw bytes read and bytes decoded, in all.
    let mut measured = 0usize;
    let mut decoded = 0usize;
    for p in memmem::find_iter(bytes, b"stream") {
        if p >= 3 && bytes.get(p - 3..p) == Some(b"end") {
            continue;
        }
        // The dictionary before the keyword: back to its matching `<<`.
        let before = bytes.get(..p).unwrap_or(&[]);
        let end = before
            .iter()
            .rposition(|c| !c.is_ascii_whitespace())
            .unwrap_or(0);
        if end < 1 || before.get(end - 1..=end) != Some(b">>") {
            continue;
        }
        let lo = end.saturating_sub(64 * 1024);
        let mut depth = 0i32;
        let mut k = end + 1;
        let mut start = None;
        while k >= lo + 2 {
            match before.get(k - 2..k) {
                Some(b">>") => {
                    depth += 1;
                    k -= 2;
                }
                Some(b"<<") => {
                    depth -= 1;
                    k -= 2;
                    if depth == 0 {
                        start = Some(k);
                        break;
                    }
                }
                _ => k -= 1,
            }
        }
        let Some(start) = start else { continue };
        let dict_text = before.get(start..=end).unwrap_or(&[]);
        let at_xref = targets.iter().any(|&t| t <= start && start - t < 64);
        // Most streams are neither: told from the raw text when no `#` escape can hide a
        // type name, before the dictionary is normalised and parsed.
        let kind =
            |t: &[u8]| memmem::find(t, b"ObjStm").is_some() || memmem::find(t, b"XRef").is_some();
        if !at_xref && memchr(b'#', dict_text).is_none() && !kind(dict_text) {
            continue;
        }
        let norm = normalize_dict(dict_text);
        if !kind(&norm) && !at_xref {
            continue;
        }
        let mut text = norm;
        text.extend_from_slice(b" x");
        let Ok(content) = Content::decode(&text) else {
            continue;
        };
        let Some(Object::Dictionary(dict)) = content
            .operations
            .first()
            .and_then(|op| op.operands.first())
        else {
            continue;
        };
        if empty_rows(dict) {
            return Err(PdfError::Malformed(
                "a cross-reference stream whose entries take no bytes".into(),
            ));
        }
        if filters(dict).is_empty() {
            continue;
        }
        // Data: after the end of line; to the later of /Length and `endstream`.
        let ds = data_start(bytes, p);
        let by_len = dict
            .get(b"Length")
            .ok()
            .and_then(|o| o.as_i64().ok())
            .and_then(|l| usize::try_from(l).ok())
            .and_then(|l| ds.checked_add(l))
            .unwrap_or(0);
        let by_end = find(bytes, b"endstream", ds).unwrap_or(bytes.len());
        let de = by_len.max(by_end).min(bytes.len());
        let data = bytes.get(ds..de).unwrap_or(&[]);
        measured = measured.saturating_add(data.len());
        if measured > bytes.len().saturating_mul(2) {
            return Err(PdfError::Limit(
                "object or cross-reference streams overlap too much".into(),
            ));
        }
        match decode(dict, data, max) {
            Err(TooLarge) => return Err(too_large(max)),
            Ok(d) => {
                decoded = decoded.saturating_add(d.map(|d| d.len()).unwrap_or(0));
                if decoded > total {
                    return Err(PdfError::Limit(format!(
                        "object and cross-reference streams decode to more than {total} bytes"
                    )));
                }
            }
        }
    }
    Ok(())
}

/// A cross-reference stream whose fields all have width 0 (`/W [0 0 0]`) and some entries:
/// lopdf reads as many entries from no bytes as its /Index asks (10^12 is a hang).
fn empty_rows(dict: &lopdf::Dictionary) -> bool {
    let ints = |k: &[u8]| -> Option<Vec<i64>> {
        dict.get(k)
            .ok()?
            .as_array()
            .ok()?
            .iter()
            .map(|o| o.as_i64().ok())
            .collect()
    };
    let Some(w) = ints(b"W") else {
        return false;
    };
    if w.len() < 3 || w.iter().take(3).any(|&x| x != 0) {
        return false;
    }
    match ints(b"Index") {
        Some(index) => index.chunks_exact(2).any(|p| p[1] > 0),
        None => dict
            .get(b"Size")
            .ok()
            .and_then(|o| o.as_i64().ok())
            .is_some_and(|n| n > 0),
    }
}

/// The error for a load whose filter dropped an oversized object stream.
pub fn limit_error(max: usize) -> PdfError {
    too_large(max)
}

#[cfg(test)]
mod tests {
    use lopdf::{dictionary, Document, Object, Stream};

    use super::super::types::PdfLimits;

    /// A PDF saved with object streams and a cross-reference stream loads through the
    /// bounded path with its text intact; with a tiny limit it is refused.
    #[test]
    fn object_streams_load_through_the_filter() {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let content = doc.add_object(Stream::new(
            dictionary! {},
            b"BT /F1 12 Tf 72 720 Td (Hello objstm) Tj ET".to_vec(),
        ));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_modern(&mut bytes).expect("save");
        assert!(bytes.windows(6).any(|w| w == b"ObjStm"));
        let text = super::super::extract(&bytes, &PdfLimits::default()).expect("extract");
        let all: Vec<&str> = text
            .pages
            .iter()
            .flat_map(|p| p.lines.iter().map(|l| l.text.as_str()))
            .collect();
        assert_eq!(all, ["Hello objstm"]);
        let tiny = PdfLimits {
            max_decoded_stream: 16,
            ..PdfLimits::default()
        };
        assert!(matches!(
            super::super::extract(&bytes, &tiny),
            Err(super::super::PdfError::Limit(_))
        ));
    }
}
