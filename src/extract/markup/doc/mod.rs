//! Legacy Word 97–2003 `.doc` and WPS Office `.wps` files → text lines.
//!
//! Both are OLE2 compound files with a `WordDocument` stream. The compound file is read with
//! the `cfb` crate after checks of our own (sizes against the file); the Word binary —
//! FIB, piece table, paragraph properties — by the submodules. Tables come out as the same
//! rows of cells as DOCX.

mod fib;
mod layout;
mod pieces;
mod props;

use std::io::{Cursor, Read};

use super::common::MarkupText;

/// Why a `.doc`/`.wps` could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// An OLE2 compound file without a `WordDocument` stream (e.g. an Excel `.xls`).
    #[error("OLE2 compound file without a WordDocument stream (not a Word/WPS document)")]
    NotWord,
    /// The document is password-protected or obfuscated.
    #[error("encrypted Word document")]
    Encrypted,
    /// The compound file or the Word structures in it are broken.
    #[error("{0}")]
    Damaged(String),
}

/// The OLE2 compound-file signature.
const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Does `bytes` start with the OLE2 compound-file signature (a `.doc`, `.wps`, `.xls`...)?
pub fn is_ole2(bytes: &[u8]) -> bool {
    bytes.starts_with(&OLE2_MAGIC)
}

/// Converts a `.doc`/`.wps` file to text lines; at most `max_text_bytes` of text is built.
pub fn doc_to_text(bytes: &[u8], max_text_bytes: usize) -> Result<MarkupText, DocError> {
    if !is_ole2(bytes) {
        return Err(DocError::Damaged("no OLE2 signature".into()));
    }
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| DocError::Damaged(format!("compound file: {e}")))?;
    if !cf.is_stream("/WordDocument") {
        return Err(DocError::NotWord);
    }
    let word = read_stream(&mut cf, "/WordDocument", bytes.len())?;
    let fib = fib::read(&word)?;
    let table_name = if fib.table_1 { "/1Table" } else { "/0Table" };
    if !cf.is_stream(table_name) {
        return Err(DocError::Damaged(format!("no {} stream", &table_name[1..])));
    }
    let table = read_stream(&mut cf, table_name, bytes.len())?;
    let clx = fib::slice(&table, fib.clx, "piece table")?;
    let pieces = pieces::read_clx(clx)?;
    // Character properties only remove deleted/hidden text: unreadable pages remove nothing.
    let unprinted = fib::slice(&table, fib.bte_chpx, "PlcBteChpx")
        .and_then(|plc| props::unprinted(&word, plc))
        .unwrap_or_default();
    let chars = pieces::main_text(&word, &pieces, fib.ccp_text, max_text_bytes, &unprinted)?;
    // The Data stream matters only for paragraph properties too big for their page.
    let data = if cf.is_stream("/Data") {
        read_stream(&mut cf, "/Data", bytes.len()).unwrap_or_default()
    } else {
        Vec::new()
    };
    // Unreadable paragraph properties leave prose readable; table marks then fail in layout.
    let props = fib::slice(&table, fib.bte_papx, "PlcBtePapx")
        .and_then(|plc| props::read(&word, plc, &data))
        .unwrap_or_default();
    let lines = layout::lines(&chars, &props)?;
    Ok(MarkupText {
        lines,
        notes: Vec::new(),
        pictures: Vec::new(),
    })
}

/// A whole stream, refused when it claims more bytes than the file holds (a hostile size
/// field must not turn into a huge allocation).
fn read_stream(
    cf: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
    file_len: usize,
) -> Result<Vec<u8>, DocError> {
    let mut s = cf
        .open_stream(name)
        .map_err(|e| DocError::Damaged(format!("stream {name}: {e}")))?;
    let len = s.len();
    if len > file_len as u64 {
        return Err(DocError::Damaged(format!(
            "stream {name} claims {len} bytes in a {file_len}-byte file"
        )));
    }
    // grown as read, so a short chain behind a large size never allocates the size
    let mut out = Vec::with_capacity((len as usize).min(1 << 20));
    s.by_ref()
        .take(len)
        .read_to_end(&mut out)
        .map_err(|e| DocError::Damaged(format!("stream {name}: {e}")))?;
    if (out.len() as u64) < len {
        return Err(DocError::Damaged(format!(
            "stream {name} is {} bytes, {len} declared",
            out.len()
        )));
    }
    Ok(out)
}
