//! HTML, DOCX and legacy DOC/WPS → text lines. Tables come out as rows of cells, one entry per
//! cell as drawn (positions covered by a colspan are left out, so values never shift;
//! positions covered by a rowspan are empty), prose as one line per paragraph.

pub mod common;
pub mod doc;
pub mod docx;
pub mod html;

#[cfg_attr(not(feature = "unstable"), allow(unused_imports))]
pub use common::{MarkupError, MarkupLine, MarkupText, Picture};
pub use doc::{doc_to_text, is_ole2, DocError};
pub use docx::{docx_to_text, is_legacy_office};
pub use html::html_to_text;
