//! Diagnostics: every doubt, template deviation and arithmetic break found while parsing.
//!
//! A [`Diagnostic`] never stops parsing; only unreadable input is an [`crate::Error`].
//! Codes are stable strings (`stage.what`), documented in the table on [`Code`].

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::source::Location;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A fact worth knowing that does not put any value in doubt (e.g. a split that was the only fit).
    Info,
    /// A value is missing, doubtful, or the printed numbers break the template's arithmetic.
    Warning,
    /// The report could only be read in part (e.g. a whole table is missing).
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Stable diagnostic codes.
///
/// | code | severity | example message |
/// |---|---|---|
/// | `input.encoding-guessed` | info | `text has no declared encoding; decoded as GB18030` |
/// | `input.pdf-text-fallback` | info | `PDF read through the plain text path; table geometry unavailable` |
/// | `input.undecodable-glyphs` | warning | `3 glyphs could not be mapped to Unicode` |
/// | `input.truncated` | error | `text cut at max_text_bytes = 16777216: the rest of the input was not read` |
/// | `template.pre-2019` | warning | `no national-template table found; reports before 2019 follow provincial formats` |
/// | `template.version-unknown` | warning | `could not tell the template version from the printed tables` |
/// | `template.mixed-version` | info | `v2021 tables with a single （六）其他处理 row (v2019 style)` |
/// | `template.section-missing` | warning | `section 六 (other_matters) not found` |
/// | `template.table-missing` | error | `table 三 (applications) not found` |
/// | `template.row-missing` | warning | `row applications.denied_inquiry not found` |
/// | `parse.cell-missing` | warning | `no value printed for applications.granted.total` |
/// | `parse.cell-count` | warning | `row applications.granted: 14 values for 7 columns; cells left null` |
/// | `parse.split-inferred` | info | `digits '640020470' split as 64/0/0/2/0/4/70: the only split that fits the table's arithmetic` |
/// | `parse.split-ambiguous` | warning | `digits '693665' can be split 3 ways (69/3/665, 6/93/665, …); cells left null` |
/// | `parse.unit-mismatch` | warning | `active_disclosure.procurement.amount printed in 元 ('75394432.52元') in a 万元 column; value kept as printed` |
/// | `parse.value-note` | info | `note after the number ignored: '22（其中修订16件）'` |
/// | `parse.value-invalid` | warning | `'12.5' is not a whole number in a count column` |
/// | `parse.row-out-of-order` | info | `row active_disclosure.rules printed after a later row` |
/// | `parse.multiple-reports` | warning | `section 六 goes on with another report ('平潭…2023年度政府信息公开工作年度报告') and its tables: only the first report is read` |
/// | `parse.metadata-missing` | warning | `report year not found (no title or heading names it)` |
/// | `check.sum-mismatch` | warning | `applications column total: new_received (70) + carried_over (0) = 70 but total (69) + carried_forward (1) = 70` |
/// | `check.sum-missing-value` | warning | `applications row granted: total is blank while the applicant columns sum to 272` |
/// | `years.carry-over-mismatch` | warning | `carried_over.total (3) differs from carried_forward.total (1) of the 2023 report (a.pdf)` |
/// | `years.in-force-mismatch` | warning | `normative_documents: 2023 in_force (40) + issued (6) − repealed (1) = 45 but in_force is 32` |
/// | `years.identical-tables` | warning | `every table cell equals the 2023 report's (a.pdf): copied tables?` |
/// | `years.gap` | info | `previous report of this body is 2021 (b.txt), not 2022: year-over-year identities not checked` |
/// | `years.org-paired` | info | `paired with the 2023 report of '洪泽区人民政府' (a.pdf) as one body: both names read '洪泽区政府' …` |
/// | `narrative.mismatch` | warning | `section 一 says 17 ('受理政府信息公开申请17件') but table 三 本年新收 总计 is 95: "…"` |
/// | `narrative.match` | info | `section 一 says 34 ('全年收到政府信息公开申请 34 件'), as table 三 本年新收 总计 (34): "…"` |
/// | `years.text-reused` | info | `section 五 (problems): 72% of the text repeats the 2023 report's (a.pdf)` (warning for section 五 from 60%) |
/// | `ocr.page` | info | `page 3 read by OCR (200 dpi, skew 0.7°, 126 cells)` |
/// | `ocr.low-confidence` | warning | `OCR of the cell on page 3 is unsure: read as "31" or "S"` |
/// | `ocr.page-unread` | error | `page 2 is an image and OCR failed on it: …` |
/// | `report.published-late` | info | `published 2025-02-25 (PDF CreationDate), after 31 January 2025, when reports on 2024 are due` |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Code {
    /// The input's text encoding was guessed.
    #[serde(rename = "input.encoding-guessed")]
    EncodingGuessed,
    /// A PDF was read as plain text, without table geometry.
    #[serde(rename = "input.pdf-text-fallback")]
    PdfTextFallback,
    /// Some PDF glyphs could not be mapped to Unicode.
    #[serde(rename = "input.undecodable-glyphs")]
    UndecodableGlyphs,
    /// The input's text is longer than `Options::max_text_bytes`: the rest was not read.
    #[serde(rename = "input.truncated")]
    InputTruncated,
    /// No national-template table: likely a pre-2019 provincial format.
    #[serde(rename = "template.pre-2019")]
    Pre2019,
    /// The template version could not be told.
    #[serde(rename = "template.version-unknown")]
    VersionUnknown,
    /// Tables of the two template versions are mixed.
    #[serde(rename = "template.mixed-version")]
    MixedVersion,
    /// One of the six sections was not found.
    #[serde(rename = "template.section-missing")]
    SectionMissing,
    /// A whole table was not found.
    #[serde(rename = "template.table-missing")]
    TableMissing,
    /// A table row was not found.
    #[serde(rename = "template.row-missing")]
    RowMissing,
    /// A cell holds no number (missing, blank or dashed).
    #[serde(rename = "parse.cell-missing")]
    CellMissing,
    /// A row printed more or fewer values than it has columns.
    #[serde(rename = "parse.cell-count")]
    CellCount,
    /// Digits run together were cut in the only way that fits.
    #[serde(rename = "parse.split-inferred")]
    SplitInferred,
    /// Digits run together can be cut in several ways.
    #[serde(rename = "parse.split-ambiguous")]
    SplitAmbiguous,
    /// A value printed in another unit than its column's.
    #[serde(rename = "parse.unit-mismatch")]
    UnitMismatch,
    /// A note printed after a value was ignored.
    #[serde(rename = "parse.value-note")]
    ValueNote,
    /// A value that its column cannot hold (a decimal count, a negative count).
    #[serde(rename = "parse.value-invalid")]
    ValueInvalid,
    /// A row printed out of template order.
    #[serde(rename = "parse.row-out-of-order")]
    RowOutOfOrder,
    /// A row whose label was not recognised (damaged print, OCR), taken from its place
    /// between the rows before and after it.
    #[serde(rename = "parse.row-by-position")]
    RowByPosition,
    /// The text after the first report holds another report's title and tables.
    #[serde(rename = "parse.multiple-reports")]
    MultipleReports,
    /// The reporting body, the report year or the title could not be found.
    #[serde(rename = "parse.metadata-missing")]
    MetadataMissing,
    /// The printed numbers break an arithmetic identity.
    #[serde(rename = "check.sum-mismatch")]
    SumMismatch,
    /// An identity breaks and blank cells are involved.
    #[serde(rename = "check.sum-missing-value")]
    SumMissingValue,
    /// This year's carry-over differs from last year's carry-forward (identity 5).
    #[serde(rename = "years.carry-over-mismatch")]
    CarryOverMismatch,
    /// Documents in force do not balance with last year's (identity 6).
    #[serde(rename = "years.in-force-mismatch")]
    InForceMismatch,
    /// Every table cell equals the previous year's.
    #[serde(rename = "years.identical-tables")]
    IdenticalTables,
    /// The previous report of the body is not from the year before.
    #[serde(rename = "years.gap")]
    YearGap,
    /// Two years of a body were paired although their names differ (a place prefix,
    /// brackets, 人民政府/政府).
    #[serde(rename = "years.org-paired")]
    OrgPaired,
    /// A figure stated in the narrative (sections 一, 四, 五) differs from the table's.
    #[serde(rename = "narrative.mismatch")]
    NarrativeMismatch,
    /// A figure stated in the narrative equals the table's.
    #[serde(rename = "narrative.match")]
    NarrativeMatch,
    /// A narrative section repeats much of the body's previous report.
    #[serde(rename = "years.text-reused")]
    TextReused,
    /// The report was published after 31 January of the following year.
    #[serde(rename = "report.published-late")]
    PublishedLate,
    /// A page was read by OCR (resolution, skew, cells found).
    #[serde(rename = "ocr.page")]
    OcrPage,
    /// An OCR'd cell's reading is unsure: the engines disagree or are not confident.
    #[serde(rename = "ocr.low-confidence")]
    OcrLowConfidence,
    /// A page image could not be read by OCR: its text and cells are missing.
    #[serde(rename = "ocr.page-unread")]
    OcrPageUnread,
}

impl Code {
    /// Every code, in the order of the documentation table.
    pub const ALL: &'static [Code] = &[
        Code::EncodingGuessed,
        Code::PdfTextFallback,
        Code::UndecodableGlyphs,
        Code::InputTruncated,
        Code::Pre2019,
        Code::VersionUnknown,
        Code::MixedVersion,
        Code::SectionMissing,
        Code::TableMissing,
        Code::RowMissing,
        Code::CellMissing,
        Code::CellCount,
        Code::SplitInferred,
        Code::SplitAmbiguous,
        Code::UnitMismatch,
        Code::ValueNote,
        Code::ValueInvalid,
        Code::RowOutOfOrder,
        Code::RowByPosition,
        Code::MultipleReports,
        Code::MetadataMissing,
        Code::SumMismatch,
        Code::SumMissingValue,
        Code::CarryOverMismatch,
        Code::InForceMismatch,
        Code::IdenticalTables,
        Code::YearGap,
        Code::OrgPaired,
        Code::NarrativeMismatch,
        Code::NarrativeMatch,
        Code::TextReused,
        Code::PublishedLate,
        Code::OcrPage,
        Code::OcrLowConfidence,
        Code::OcrPageUnread,
    ];

    /// The stable string form, e.g. `check.sum-mismatch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::EncodingGuessed => "input.encoding-guessed",
            Code::PdfTextFallback => "input.pdf-text-fallback",
            Code::UndecodableGlyphs => "input.undecodable-glyphs",
            Code::InputTruncated => "input.truncated",
            Code::Pre2019 => "template.pre-2019",
            Code::VersionUnknown => "template.version-unknown",
            Code::MixedVersion => "template.mixed-version",
            Code::SectionMissing => "template.section-missing",
            Code::TableMissing => "template.table-missing",
            Code::RowMissing => "template.row-missing",
            Code::CellMissing => "parse.cell-missing",
            Code::CellCount => "parse.cell-count",
            Code::SplitInferred => "parse.split-inferred",
            Code::SplitAmbiguous => "parse.split-ambiguous",
            Code::UnitMismatch => "parse.unit-mismatch",
            Code::ValueNote => "parse.value-note",
            Code::ValueInvalid => "parse.value-invalid",
            Code::RowOutOfOrder => "parse.row-out-of-order",
            Code::RowByPosition => "parse.row-by-position",
            Code::MultipleReports => "parse.multiple-reports",
            Code::MetadataMissing => "parse.metadata-missing",
            Code::SumMismatch => "check.sum-mismatch",
            Code::SumMissingValue => "check.sum-missing-value",
            Code::CarryOverMismatch => "years.carry-over-mismatch",
            Code::InForceMismatch => "years.in-force-mismatch",
            Code::IdenticalTables => "years.identical-tables",
            Code::YearGap => "years.gap",
            Code::OrgPaired => "years.org-paired",
            Code::NarrativeMismatch => "narrative.mismatch",
            Code::NarrativeMatch => "narrative.match",
            Code::TextReused => "years.text-reused",
            Code::PublishedLate => "report.published-late",
            Code::OcrPage => "ocr.page",
            Code::OcrLowConfidence => "ocr.low-confidence",
            Code::OcrPageUnread => "ocr.page-unread",
        }
    }

    /// Whether this code reports an arithmetic identity break.
    pub fn is_arithmetic(self) -> bool {
        matches!(
            self,
            Code::SumMismatch
                | Code::SumMissingValue
                | Code::CarryOverMismatch
                | Code::InForceMismatch
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding about a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable code, see [`Code`].
    pub code: Code,
    /// How serious it is.
    pub severity: Severity,
    /// Lowercase message with the facts (row, column, printed values, expected sum).
    pub message: String,
    /// Where in the input, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Canonical dotted keys of the cells this diagnostic concerns.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub cells: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with no location and no cells.
    pub fn new(code: Code, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            location: None,
            cells: Vec::new(),
        }
    }

    /// Sets the location.
    #[must_use]
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// Sets the cells concerned.
    #[must_use]
    pub fn with_cells<I, S>(mut self, cells: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.cells = cells.into_iter().map(Into::into).collect();
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)?;
        if let Some(loc) = &self.location {
            write!(f, " ({loc})")?;
        }
        Ok(())
    }
}
