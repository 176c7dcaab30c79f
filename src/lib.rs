//! # ogi-report
//!
//! Turns Chinese Open Government Information annual reports (政府信息公开工作年度报告) into
//! exact, typed, checked data: the six sections' text, the three statistical tables as typed
//! cells under the canonical keys of the national template, and diagnostics for every
//! doubt, template deviation and arithmetic break.
//!
//! ## Which function for which job
//! - [`parse_path`]: a file on disk (PDF, HTML, text, markdown; format sniffed).
//! - [`parse_bytes`]: bytes from anywhere (a crawler, an archive).
//! - [`parse_str`]: text you already hold.
//! - `*_with` variants take [`Options`] (limits, forced format).
//!
//! ## The pipeline
//! readers → document model → normalize → parse → check:
//! 1. `extract`: one reader per input kind (PDF, HTML, DOCX, DOC/WPS, text, markdown, OCR'd
//!    images). Positioned readers (PDF, layout-mode text, OCR) hand words and rulings to the
//!    geometry layer (`layout`: visual lines, ruled and borderless tables). Every reader
//!    yields `extract::Line`s: a line of text, or a table row as its cells (text and each
//!    cell's own box or span, from the grids of `document`), never a row flattened into text.
//!    **A new input kind plugs in here**: a reader producing `Line`s (directly, or through
//!    `layout` from positioned words), chosen in `extract::read`.
//! 2. `normalize`: full/half-width and radical folding, page furniture, wrap repair; a
//!    row's cells folded one by one, each keeping its byte span in the normalised text.
//! 3. `parse`: nom recognisers for numbers, approximate label search, value slots read
//!    from a row's cells by index (free text only for prose and run-together crawler text),
//!    cutting run-together digits, choosing cuts by the template's arithmetic.
//! 4. `check`: template compliance and arithmetic identities.
//!
//! ## Example
//! ```
//! let text = "某某局2024年政府信息公开工作年度报告\n\
//!     二、主动公开政府信息情况\n规章 0 0 0\n行政规范性文件 2 0 25\n\
//!     三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3\n";
//! let report = ogi_report::parse_str(text)?;
//! assert_eq!(report.metadata.year, Some(2024));
//! assert_eq!(report.value("active_disclosure.normative_documents.in_force"), Some(ogi_report::Number::Int(25)));
//! assert_eq!(report.value("applications.new_received.total"), Some(ogi_report::Number::Int(3)));
//! // rows not printed are null, each named by a warning
//! assert!(report.diagnostics.iter().any(|d| d.cells.iter().any(|c| c == "applications.granted.total")));
//! # Ok::<(), ogi_report::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The public surface: the parse functions below, the report types, diagnostics, options and
// errors re-exported here, and four modules a user works with directly.
pub mod export;
pub mod inputs;
pub mod schema;
pub mod years;

mod diagnostic;
mod error;
mod options;
mod report;
mod source;

// Pipeline stages. Public only with the `unstable` feature (for this crate's own benches and
// tests of internals): their types change as the pipeline grows.
macro_rules! stage {
    ($($(#[$m:meta])* $name:ident;)*) => {$(
        $(#[$m])*
        #[cfg(feature = "unstable")]
        pub mod $name;
        $(#[$m])*
        #[cfg(not(feature = "unstable"))]
        pub(crate) mod $name;
    )*};
}
stage! {
    /// Stage 4: template compliance and arithmetic identities.
    check;
    /// The document model: table grids with each cell's box or span.
    document;
    /// Stage 1: one reader per input kind.
    extract;
    /// The geometry layer: positioned words, visual lines, borderless tables.
    layout;
    /// Stage 2: width and radical folding, page furniture, wrap repair.
    normalize;
    /// Stage 3: template recognition.
    parse;
    /// Script facts: CJK classes, radicals, numbering and page-number shapes.
    script;
}
mod multi;
mod narrative;
mod ocr;
mod profile;
mod published;

pub use diagnostic::{Code, Diagnostic, Severity};
pub use error::{Error, ErrorKind, Result};
pub use options::{OcrMode, Options};
/// The name of the helper threads that read a PDF's pages when [`Options::threads`] is
/// above 1 (a panic on one fails the document like one on the caller's thread does; a
/// program that silences its parsing thread's panic messages silences these too).
pub const PDF_PAGE_THREAD: &str = extract::pdf::PAGE_THREAD;
pub use report::{
    Cell, InputFormat, Metadata, Number, Report, Row, Section, Sections, Table, Tables,
    TemplateVersion,
};
pub use source::{Location, Span};

use std::path::Path;

/// Parses a report file (format sniffed from its bytes).
pub fn parse_path(path: impl AsRef<Path>) -> Result<Report> {
    parse_path_with(path, &Options::default())
}

/// Parses a report file with options.
pub fn parse_path_with(path: impl AsRef<Path>, opts: &Options) -> Result<Report> {
    let path = path.as_ref();
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    if meta.len() > opts.max_input_bytes as u64 {
        return Err(Error::Limit(format!(
            "{} is {} bytes, more than max_input_bytes = {}",
            path.display(),
            meta.len(),
            opts.max_input_bytes
        )));
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut opts = opts.clone();
    if opts.picture_dir.is_none() {
        opts.picture_dir = path.parent().map(|d| {
            if d.as_os_str().is_empty() {
                Path::new(".").to_owned()
            } else {
                d.to_owned()
            }
        });
    }
    if opts.format.is_none() {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if matches!(ext.as_deref(), Some("md" | "markdown"))
            && extract::sniff(&bytes) == InputFormat::Text
        {
            opts.format = Some(InputFormat::Markdown);
        }
    }
    parse_bytes_with(&bytes, &opts)
}

/// Parses a report from bytes (PDF, HTML, text; UTF-8, UTF-16 or GB18030/GBK).
pub fn parse_bytes(bytes: &[u8]) -> Result<Report> {
    parse_bytes_with(bytes, &Options::default())
}

/// Parses a report from bytes with options.
pub fn parse_bytes_with(bytes: &[u8], opts: &Options) -> Result<Report> {
    let r = parse_stages(bytes, opts);
    profile::report(bytes.len());
    r
}

fn parse_stages(bytes: &[u8], opts: &Options) -> Result<Report> {
    let extracted = profile::time("extract", || extract::extract(bytes, opts))?;
    let published = published::publication_date(bytes, extracted.format);
    let doc = profile::time("normalize", || {
        normalize::normalize(&extracted.lines, extracted.format == InputFormat::Markdown)
    });
    let parsed = profile::time("parse", || parse::parse(&doc));
    if !parsed.looks_like_report {
        return Err(Error::NotAReport);
    }
    let mut diagnostics = extracted.diagnostics;
    let doubts = extracted.doubts;
    let ocr_read = diagnostics.iter().any(|d| d.code == Code::OcrPage);
    diagnostics.extend(parsed.diagnostics.into_iter().map(|mut d| {
        // On a scan a cell read as blank may hold print too faint or too damaged to see:
        // not a fact, a doubt.
        if ocr_read && d.code == Code::CellMissing && d.severity < Severity::Warning {
            d.severity = Severity::Warning;
            d.message
                .push_str(" (read by OCR: faint or damaged print would look the same)");
        }
        d
    }));
    // a dataset row without its body or year cannot be joined to anything: say so
    for (missing, what) in [
        (parsed.organization.is_none(), "reporting body"),
        (parsed.year.is_none(), "report year"),
        (parsed.title.is_none(), "report title"),
    ] {
        if missing {
            diagnostics.push(Diagnostic::new(
                Code::MetadataMissing,
                Severity::Warning,
                format!("{what} not found (no title or heading names it)"),
            ));
        }
    }
    let mut report = Report {
        metadata: Metadata {
            organization: parsed.organization,
            year: parsed.year,
            title: parsed.title,
            template: parsed.template,
            template_detail: parsed.template_detail,
            format: extracted.format,
            published: published.as_ref().map(|p| p.0.clone()),
        },
        sections: parsed.sections,
        tables: parsed.tables,
        diagnostics,
    };
    let doubted = doubted_cells(&report, &doubts);
    report.diagnostics.extend(doubted);
    profile::time("check", || {
        profile::time("check: arithmetic", || check::check(&mut report));
        let narrative = profile::time("check: narrative", || narrative::check(&report, &doc));
        report.diagnostics.extend(narrative);
        if let (Some((date, what)), Some(year)) = (&published, report.metadata.year) {
            if published::is_late(year, date) {
                report.diagnostics.push(Diagnostic::new(
                    Code::PublishedLate,
                    Severity::Info,
                    format!("published {date} ({what}), after 31 January {}, when reports on {year} are due", year + 1),
                ));
            }
        }
        report.diagnostics.extend(multi::second_report(&report));
    });
    Ok(report)
}

/// A warning for every table cell read inside a region the reader was unsure of (an OCR'd
/// cell whose engines disagree or are not confident), naming the cell.
fn doubted_cells(report: &Report, doubts: &[extract::Doubt]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if doubts.is_empty() {
        return out;
    }
    for (key, cell) in report.cells() {
        let Some(loc) = &cell.location else { continue };
        let (Some(page), Some(b)) = (loc.page, loc.bbox) else {
            continue;
        };
        let (cx, cy) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
        let hit = doubts.iter().find(|d| {
            d.location.page == Some(page)
                && d.location
                    .bbox
                    .is_some_and(|r| r[0] <= cx && cx <= r[2] && r[1] <= cy && cy <= r[3])
        });
        if let Some(d) = hit {
            out.push(
                Diagnostic::new(
                    Code::OcrLowConfidence,
                    Severity::Warning,
                    format!(
                        "OCR of this cell on page {page} is unsure ({:.0}%): {}",
                        d.conf * 100.0,
                        d.why
                    ),
                )
                .at(Some(loc.clone()))
                .with_cells([key]),
            );
        }
    }
    out
}

/// The input format told from the first bytes (what `parse_bytes` reads the input as when
/// [`Options::format`] is not set).
pub fn sniff_format(bytes: &[u8]) -> InputFormat {
    extract::sniff(bytes)
}

/// Text bytes decoded as `parse_bytes` decodes them: a BOM's encoding, else UTF-8, else
/// GB18030 (GBK), so that a line number in a [`Location`] points into this text.
pub fn decode_text(bytes: &[u8]) -> String {
    extract::text::decode(bytes).0
}

/// Parses report text.
pub fn parse_str(text: &str) -> Result<Report> {
    parse_bytes_with(
        text.as_bytes(),
        &Options::default().with_format(InputFormat::Text),
    )
}
