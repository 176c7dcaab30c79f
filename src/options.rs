//! Parsing options, limits against hostile input included.

use crate::report::InputFormat;

/// When pages are read by OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OcrMode {
    /// Never: a scan is [`crate::Error::NoTextLayer`].
    Never,
    /// Pages without a text layer (scans, image files), when an engine is installed; a
    /// scan without an engine is [`crate::Error::OcrUnavailable`], saying what to install.
    #[default]
    Auto,
    /// Every page that holds an image, even where it also has text (a text layer made by
    /// a poor OCR is then ignored).
    Always,
}

/// How to parse. `Options::default()` suits almost every use.
///
/// ```
/// let opts = ogi_report::Options::default().with_max_input_bytes(8 << 20);
/// assert_eq!(opts.max_input_bytes, 8 << 20);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// Force an input format instead of sniffing it from the bytes.
    pub format: Option<InputFormat>,
    /// Largest input accepted, in bytes (default 64 MiB).
    pub max_input_bytes: usize,
    /// Largest decoded text handled, in bytes (default 16 MiB); longer text is cut with a diagnostic.
    pub max_text_bytes: usize,
    /// Most PDF pages read (default 2,000).
    pub max_pages: usize,
    /// Largest decoded PDF stream, in bytes (default 64 MiB): guards against compression bombs.
    pub max_decoded_stream: usize,
    /// Most content-stream operators read per PDF page (default 2,000,000).
    pub max_ops_per_page: usize,
    /// Deepest nesting of PDF Form XObjects followed (default 8).
    pub max_xobject_depth: usize,
    /// Decoded PDF stream bytes per document (default 256 MiB, never less than
    /// `max_decoded_stream`): content streams and forms count each time they are drawn, so
    /// a huge stream shared by every page, or a form drawn over and over, hits it.
    pub max_decoded_per_document: usize,
    /// Most content-stream operators run in a whole PDF (default 3,000,000): every page and
    /// form counts, so a huge stream shared by many pages runs out of it.
    pub max_ops_per_document: usize,
    /// Most glyphs placed in a whole PDF (default 5,000,000), checked before a shown string
    /// is decoded.
    pub max_glyphs_per_document: usize,
    /// When pages are read by OCR (default [`OcrMode::Auto`]). Pictures in a web page
    /// (`<img>`: tables published as pictures) are read unless this is `Never`.
    pub ocr: OcrMode,
    /// The folder relative picture links of an HTML input resolve against (a page saved
    /// with its images: `page.html` beside `page_files/`). [`crate::parse_path`] sets it to
    /// the file's folder; files outside it are never read. `None`: only pictures embedded
    /// in the page (`data:` links) are read.
    pub picture_dir: Option<std::path::PathBuf>,
    /// Threads one PDF's pages are read on, at most (default 1: the caller's thread). The
    /// report is the same for any number; more helps a lone file on an idle machine, not a
    /// batch that already keeps every core busy with files.
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            format: None,
            max_input_bytes: 64 << 20,
            max_text_bytes: 16 << 20,
            max_pages: 2000,
            max_decoded_stream: 64 << 20,
            max_ops_per_page: 2_000_000,
            max_xobject_depth: 8,
            max_decoded_per_document: 256 << 20,
            max_ops_per_document: 3_000_000,
            max_glyphs_per_document: 5_000_000,
            ocr: OcrMode::Auto,
            picture_dir: None,
            threads: 1,
        }
    }
}

impl Options {
    /// Sets the folder relative picture links resolve against (see [`Options::picture_dir`]).
    #[must_use]
    pub fn with_picture_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.picture_dir = Some(dir.into());
        self
    }

    /// Sets the threads one PDF's pages are read on (see [`Options::threads`]).
    #[must_use]
    pub fn with_threads(mut self, n: usize) -> Self {
        self.threads = n.max(1);
        self
    }

    /// Forces the input format.
    #[must_use]
    pub fn with_format(mut self, format: InputFormat) -> Self {
        self.format = Some(format);
        self
    }

    /// Sets when pages are read by OCR.
    #[must_use]
    pub fn with_ocr(mut self, ocr: OcrMode) -> Self {
        self.ocr = ocr;
        self
    }

    /// Sets the largest input accepted.
    #[must_use]
    pub fn with_max_input_bytes(mut self, n: usize) -> Self {
        self.max_input_bytes = n;
        self
    }

    /// Sets the largest decoded text handled.
    #[must_use]
    pub fn with_max_text_bytes(mut self, n: usize) -> Self {
        self.max_text_bytes = n;
        self
    }

    /// Sets the most PDF pages read.
    #[must_use]
    pub fn with_max_pages(mut self, n: usize) -> Self {
        self.max_pages = n;
        self
    }

    /// Sets the most content-stream operators run in a whole PDF.
    #[must_use]
    pub fn with_max_ops_per_document(mut self, n: usize) -> Self {
        self.max_ops_per_document = n;
        self
    }

    /// Sets the most glyphs placed in a whole PDF.
    #[must_use]
    pub fn with_max_glyphs_per_document(mut self, n: usize) -> Self {
        self.max_glyphs_per_document = n;
        self
    }

    /// Sets the decoded PDF stream bytes allowed per document.
    #[must_use]
    pub fn with_max_decoded_per_document(mut self, n: usize) -> Self {
        self.max_decoded_per_document = n;
        self
    }
}
