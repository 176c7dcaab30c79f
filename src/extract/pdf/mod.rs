//! Positioned text and ruled-table extraction from Chinese government PDFs, built on lopdf.
//!
//! [`extract`] returns, per page, the lines in reading order. Ordinary text is one line per
//! visual line (a space where glyphs are more than ~0.3 em apart, none between adjacent CJK
//! glyphs); a grid of ruling lines becomes one `is_table_row` line per row with its
//! `cells` (each with its own box), blank cells kept. Page numbers near the page edges and fake-bold doubles are
//! dropped.
//!
//! The module only uses `super::` paths so that it can live as `src/extract/pdf/` (with
//! this file as `mod.rs`) in a larger crate; it needs `lopdf`, `encoding_rs`, `thiserror`
//! and `flate2` (already a dependency of lopdf).

mod cmap;
mod decode;
mod extract;
mod fonts;
mod images;
mod interp;
mod layout;
mod lengths;
mod lexer;
mod load;
mod objects;
mod objparse;
mod pages;
mod reach;
#[doc(hidden)]
#[cfg(feature = "unstable")]
pub mod stages;
mod types;
mod xref;

pub use extract::{extract, extract_scanned, lay_out, PositionedPage, ScanReader};
#[cfg_attr(not(feature = "unstable"), allow(unused_imports))]
pub use images::{decode_draws, dpi_of, ImageDraw, ImageSource, PageImage};
pub use interp::{Seg, TextGlyph};
pub use pages::PAGE_THREAD;
#[cfg_attr(not(feature = "unstable"), allow(unused_imports))]
pub use types::ImageLimits;
#[cfg_attr(not(feature = "unstable"), allow(unused_imports))]
pub use types::{PdfError, PdfLimits, PdfLine, PdfPage, PdfText};
