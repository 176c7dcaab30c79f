//! OCR: scanned pages and pictures of tables → positioned words and rulings for the
//! geometry layer, with a doubt on every cell whose reading is not sure.
//!
//! A third producer beside the PDF text layer and layout-mode text: [`page::read_page`]
//! turns a page image into words, rulings and doubts in page space; the PDF reader's layout
//! (ruled grids, borderless tables, lines) takes them from there, so the tables of a scan
//! are rebuilt by the same code as those of a born-digital PDF. Steps: [`raster`] (gray,
//! red seals dropped), [`deskew`], [`rulings`], [`cells`] (regions the rulings enclose),
//! [`seal`] (red ink's remnants), [`orient`] (which way up), [`engine`] (Tesseract behind a trait), [`page`] (cell-by-cell reading, digits checked by
//! a second recogniser). Image files come in through [`image_file`].

pub(crate) mod cells;
pub(crate) mod deskew;
pub(crate) mod engine;
pub(crate) mod image_file;
pub(crate) mod orient;
pub(crate) mod page;
pub(crate) mod raster;
pub(crate) mod rulings;
pub(crate) mod seal;

pub(crate) use engine::{Engine, Tesseract};
pub(crate) use page::{read_page, PageRead, Placement};
