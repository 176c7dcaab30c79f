//! Public types of the PDF text extractor.

use super::images::PageImage;

/// Limits against hostile input; Default gives sane values.
#[derive(Debug, Clone)]
pub struct PdfLimits {
    /// Most pages read.
    pub max_pages: usize,
    /// Largest decoded stream, in bytes: decompression stops past it.
    pub max_decoded_stream: usize,
    /// Most content operators read per page.
    pub max_ops_per_page: usize,
    /// Deepest Form XObject nesting followed.
    pub max_xobject_depth: usize,
    /// Decoded stream bytes per document, counted every time a content stream or form is
    /// run (a stream shared by many pages counts once per page); at least
    /// `max_decoded_stream`.
    pub max_decoded_per_document: usize,
    /// Most Form XObjects drawn per page (nested ones included).
    pub max_xobjects_per_page: usize,
    /// Most glyphs placed per page.
    pub max_glyphs_per_page: usize,
    /// Most content operators run in the whole document (forms and every page counted).
    pub max_ops_per_document: usize,
    /// Most glyphs placed in the whole document. A shown string is counted against what is
    /// left *before* it is decoded.
    pub max_glyphs_per_document: usize,
    /// Whether the images of pages without visible text are decoded (into
    /// [`PdfPage::images`], for OCR); a document without any text then gives its pages
    /// instead of [`PdfError::NoText`].
    pub decode_images: bool,
    /// Limits on that decoding.
    pub images: ImageLimits,
    /// Threads the pages are read on, at most (1: all in the caller's thread). The output
    /// is the same for any number: pages are read apart and put together in order, and
    /// the document's limits are counted across the threads.
    pub threads: usize,
}

/// Limits on decoding the images drawn on a page; past one, an image is skipped with a note.
#[derive(Debug, Clone)]
pub struct ImageLimits {
    /// Most pixels (width × height) of one image, checked before anything is allocated.
    pub max_pixels: u64,
    /// Most bytes of decoded pixels per page, all its images together.
    pub max_bytes_per_page: usize,
}

impl Default for ImageLimits {
    fn default() -> Self {
        ImageLimits {
            max_pixels: 80_000_000,
            max_bytes_per_page: 400 * 1024 * 1024,
        }
    }
}

impl Default for PdfLimits {
    fn default() -> Self {
        PdfLimits {
            max_pages: 2000,
            max_decoded_stream: 64 * 1024 * 1024,
            max_ops_per_page: 2_000_000,
            max_xobject_depth: 8,
            max_decoded_per_document: 256 * 1024 * 1024,
            max_xobjects_per_page: 10_000,
            max_glyphs_per_page: 500_000,
            max_ops_per_document: 3_000_000,
            max_glyphs_per_document: 5_000_000,
            decode_images: false,
            images: ImageLimits::default(),
            threads: 1,
        }
    }
}

/// Why a PDF could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// Not a PDF, or damaged beyond repair.
    #[error("not a PDF or damaged beyond repair: {0}")]
    Malformed(String),
    /// Encrypted with a non-empty user password.
    #[error("encrypted PDF needs a password")]
    Encrypted,
    /// Pages without any text (a scan).
    #[error("no text layer: the PDF holds only images (scanned?)")]
    NoText,
    /// A limit of [`PdfLimits`] was hit.
    #[error("limit exceeded: {0}")]
    Limit(String),
}

/// The text of a whole document.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    /// The pages read, in order.
    pub pages: Vec<PdfPage>,
    /// Glyphs that could not be mapped to Unicode (emitted as U+FFFD).
    pub undecodable_glyphs: usize,
}

/// One page.
#[derive(Debug, Clone, Default)]
#[cfg_attr(not(feature = "unstable"), allow(dead_code))] // the size is read by tests of internals
pub struct PdfPage {
    /// 1-based page number.
    pub number: u32,
    /// Page width in PDF units.
    pub width: f32,
    /// Page height in PDF units.
    pub height: f32,
    /// Lines in reading order.
    pub lines: Vec<PdfLine>,
    /// The images drawn on the page, decoded: only with [`PdfLimits::decode_images`] and
    /// only on a page without visible glyphs (a scanned page).
    pub images: Vec<PageImage>,
    /// Why images of such a page were not decoded (or only in part), one note each.
    pub image_notes: Vec<String>,
}

/// One output line in reading order: a visual line of ordinary text, or, when
/// `is_table_row`, one table row with its cells.
#[derive(Debug, Clone, Default)]
pub struct PdfLine {
    /// The text (for a table row its cells joined by tabs: read `cells` instead).
    pub text: String,
    /// x0, y0, x1, y1 in PDF user space (y grows upwards).
    pub bbox: [f32; 4],
    /// Whether this line is a table row from the ruling-line grid.
    pub is_table_row: bool,
    /// For a row of a table rebuilt without rulings: (table on its page, row in the grid).
    pub grid_row: Option<(usize, usize)>,
    /// For a table row: the text of each cell in column order (blank and covered
    /// positions empty).
    pub cells: Vec<String>,
    /// For a table row: the box of each cell in `cells`' order (`None` for a position no
    /// cell covers), so that each cell is located by its own box, not its row's.
    pub cell_boxes: Vec<Option<[f32; 4]>>,
}

impl PdfLine {
    /// A table row of `entries` (each column's text and box) within `bbox`.
    pub fn row(entries: Vec<(String, Option<[f32; 4]>)>, bbox: [f32; 4]) -> PdfLine {
        let (cells, cell_boxes): (Vec<String>, Vec<Option<[f32; 4]>>) = entries.into_iter().unzip();
        PdfLine {
            text: cells.join("\t"),
            bbox,
            is_table_row: true,
            grid_row: None,
            cells,
            cell_boxes,
        }
    }

    /// Sets a table row's cells, keeping `text` in step.
    pub fn set_cells(&mut self, cells: Vec<String>) {
        self.text = cells.join("\t");
        self.cells = cells;
    }

    /// The line for people and tests: a table row as `| a | b |` (never read back).
    #[cfg_attr(not(feature = "unstable"), allow(dead_code))] // used by tests of internals
    pub fn shown(&self) -> String {
        if !self.is_table_row {
            return self.text.clone();
        }
        format!("| {} |", self.cells.join(" | "))
    }
}
