//! The PDF reader's stages one by one, for the per-stage benchmark (`benches/pdf_stages.rs`)
//! and profiling; not a stable API.

use lopdf::content::Content;
use lopdf::Object;

use super::interp::Interp;
use super::lexer::Lexer;
use super::load;
use super::objects::{deref_id, DocBudget};
use super::types::PdfLimits;

/// The prescan of object and cross-reference streams; whether it passed.
pub fn prescan(bytes: &[u8]) -> bool {
    let l = PdfLimits::default();
    load::prescan(bytes, l.max_decoded_stream, l.max_decoded_per_document).is_ok()
}

/// Loads the object model (the objects the reader can reach); the number of objects (0
/// when it fails).
pub fn load(bytes: &[u8]) -> usize {
    load::load(bytes, PdfLimits::default().max_decoded_stream).map_or(0, |l| l.doc.objects.len())
}

/// Loads every object through lopdf (what [`load()`] falls back to); the number of objects.
pub fn load_full(bytes: &[u8]) -> usize {
    load::load_full(bytes, PdfLimits::default().max_decoded_stream).map_or(0, |d| d.objects.len())
}

/// The decoded content streams of each page, joined per page as the reader joins them.
pub fn page_contents(bytes: &[u8]) -> Vec<Vec<u8>> {
    let limits = PdfLimits::default();
    let Ok(load::Loaded { doc, file }) = load::load(bytes, limits.max_decoded_stream) else {
        return Vec::new();
    };
    let interp = Interp::sharing(&doc, file, &limits, DocBudget::new(&limits));
    let mut pages = Vec::new();
    for id in doc.page_iter() {
        let Ok(page) = doc.get_dictionary(id) else {
            continue;
        };
        let mut streams = Vec::new();
        match page.get(b"Contents").ok().map(|o| deref_id(&doc, o)) {
            Some((_, Object::Array(a))) => streams.extend(a.iter().map(|o| deref_id(&doc, o))),
            Some(so @ (_, Object::Stream(_))) => streams.push(so),
            _ => {}
        }
        let mut data = Vec::new();
        for (id, so) in streams {
            if let Ok(Some(d)) = interp.streams.content(id, so) {
                data.extend_from_slice(&d);
                data.push(b'\n');
            }
        }
        pages.push(data);
    }
    pages
}

/// Lexes a content stream with this crate's lexer; operators and operands seen.
pub fn lex(data: &[u8]) -> usize {
    let mut lexer = Lexer::new(data);
    let mut n = 0;
    while let Some(op) = lexer.next_op() {
        n += 1 + op.operands.len();
    }
    n
}

/// Tokenises a content stream with lopdf's `Content::decode` (the tokeniser this crate
/// used before its own lexer), for comparison; operators and operands seen.
pub fn lex_lopdf(data: &[u8]) -> usize {
    Content::decode(data).map_or(0, |c| {
        c.operations.iter().map(|o| 1 + o.operands.len()).sum()
    })
}
