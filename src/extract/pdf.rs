//! PDF inputs, first path: pdf-extract's plain text, contained so that its panics on
//! unusual fonts become errors.

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::options::Options;
use crate::report::InputFormat;

use super::{text, Extracted};

/// Extracts the text of a PDF as lines.
pub fn extract(bytes: &[u8], opts: &Options) -> Result<Extracted> {
    let owned = bytes.to_vec();
    // pdf-extract panics (todo!/unimplemented!) on predefined CMaps and damaged files; the
    // panic is contained here and becomes an error.
    let result = std::panic::catch_unwind(move || pdf_extract::extract_text_from_mem(&owned));
    let text = match result {
        Ok(Ok(t)) => t,
        Ok(Err(e)) => {
            let msg = e.to_string();
            if msg.to_lowercase().contains("encrypt") {
                return Err(Error::Encrypted);
            }
            return Err(Error::Damaged {
                format: "pdf",
                reason: msg,
            });
        }
        Err(_) => {
            return Err(Error::Damaged {
                format: "pdf",
                reason: "the PDF text extractor failed on this file's fonts or structure".into(),
            })
        }
    };
    if text.trim().is_empty() {
        return Err(Error::NoTextLayer);
    }
    let mut ex = text::extract(text.as_bytes(), InputFormat::Text, opts)?;
    ex.format = InputFormat::Pdf;
    for l in &mut ex.lines {
        l.origin.span = None;
    }
    ex.diagnostics.push(Diagnostic::new(
        Code::PdfTextFallback,
        Severity::Info,
        "PDF read through the plain text path; table geometry unavailable",
    ));
    Ok(ex)
}
