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
    #[error("PDF has no text layer (scanned images only); run OCR first")]
    NoTextLayer,
    /// A limit of [`crate::Options`] was hit.
    #[error("limit exceeded: {0}")]
    Limit(String),
    /// Readable text that holds nothing of an OGI annual report.
    #[error("not an OGI annual report: no report section or table found")]
    NotAReport,
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
