//! Public types of the PDF text extractor.

/// Limits against hostile input; Default gives sane values.
#[derive(Debug, Clone)]
pub struct PdfLimits {
    pub max_pages: usize,
    pub max_decoded_stream: usize,
    pub max_ops_per_page: usize,
    pub max_xobject_depth: usize,
}

impl Default for PdfLimits {
    fn default() -> Self {
        PdfLimits {
            max_pages: 2000,
            max_decoded_stream: 64 * 1024 * 1024,
            max_ops_per_page: 2_000_000,
            max_xobject_depth: 8,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("not a PDF or damaged beyond repair: {0}")]
    Malformed(String),
    #[error("encrypted PDF needs a password")]
    Encrypted,
    #[error("no text layer: the PDF holds only images (scanned?)")]
    NoText,
    #[error("limit exceeded: {0}")]
    Limit(String),
}

/// The text of a whole document.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    pub pages: Vec<PdfPage>,
    /// Glyphs that could not be mapped to Unicode (emitted as U+FFFD).
    pub undecodable_glyphs: usize,
}

/// One page.
#[derive(Debug, Clone, Default)]
pub struct PdfPage {
    /// 1-based page number.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub lines: Vec<PdfLine>,
}

/// One output line in reading order. `text` is a visual line of ordinary text, or, when
/// `is_table_row`, one table row in markdown pipe form `| a | b |  | d |`.
#[derive(Debug, Clone, Default)]
pub struct PdfLine {
    pub text: String,
    /// x0, y0, x1, y1 in PDF user space (y grows upwards).
    pub bbox: [f32; 4],
    pub is_table_row: bool,
}
