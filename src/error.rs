//! The error type: only for input from which no report can be produced.

use std::path::PathBuf;

/// Why no [`crate::Report`] could be produced. Problems inside a readable report are
/// [`crate::Diagnostic`]s instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path given.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The input holds no bytes (or only white space).
    #[error("empty input")]
    Empty,
    /// A format this crate does not read, e.g. an OLE2 file that is not a Word document.
    #[error("unsupported format: {0}")]
    Unsupported(String),
    /// A PDF, DOCX or DOC damaged beyond what can be read.
    #[error("damaged {format} file: {reason}")]
    Damaged {
        /// `pdf`, `docx` or `doc`.
        format: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// An encrypted PDF whose user password is not empty, or an encrypted Word document.
    #[error("encrypted document: a password is needed to read it")]
    Encrypted,
    /// A PDF with pages but no text layer (a scan); OCR it first.
    #[error("no text layer (scanned images only) and OCR is off")]
    NoTextLayer,
    /// The input needs OCR (a scan or a picture) and no OCR engine could be run; the
    /// message says what to install.
    #[error("{0}")]
    OcrUnavailable(String),
    /// A limit of [`crate::Options`] was hit.
    #[error("limit exceeded: {0}")]
    Limit(String),
    /// Readable text that holds nothing of an OGI annual report.
    #[error("not an OGI annual report: no report section or table found")]
    NotAReport,
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of [`Error`] it is, without its details: for matching and for naming the error
/// in a dataset row or a binding's exception class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::Io`].
    Io,
    /// [`Error::Empty`].
    Empty,
    /// [`Error::Unsupported`].
    Unsupported,
    /// [`Error::Damaged`].
    Damaged,
    /// [`Error::Encrypted`].
    Encrypted,
    /// [`Error::NoTextLayer`].
    NoTextLayer,
    /// [`Error::OcrUnavailable`].
    OcrUnavailable,
    /// [`Error::Limit`].
    Limit,
    /// [`Error::NotAReport`].
    NotAReport,
}

impl ErrorKind {
    /// A stable name: `io`, `empty`, `unsupported`, `damaged`, `encrypted`, `no-text-layer`,
    /// `ocr-unavailable`, `limit`, `not-a-report`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Empty => "empty",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Damaged => "damaged",
            ErrorKind::Encrypted => "encrypted",
            ErrorKind::NoTextLayer => "no-text-layer",
            ErrorKind::OcrUnavailable => "ocr-unavailable",
            ErrorKind::Limit => "limit",
            ErrorKind::NotAReport => "not-a-report",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Empty => ErrorKind::Empty,
            Error::Unsupported(_) => ErrorKind::Unsupported,
            Error::Damaged { .. } => ErrorKind::Damaged,
            Error::Encrypted => ErrorKind::Encrypted,
            Error::NoTextLayer => ErrorKind::NoTextLayer,
            Error::OcrUnavailable(_) => ErrorKind::OcrUnavailable,
            Error::Limit(_) => ErrorKind::Limit,
            Error::NotAReport => ErrorKind::NotAReport,
        }
    }
}
