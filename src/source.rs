//! Where a piece of a report came from.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A place in the input. Every field is optional because inputs differ: text has lines,
/// PDFs have pages and boxes, HTML/DOCX tables have row and column.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Location {
    /// 1-based page number (PDF and image inputs; for a table read from a picture in a web
    /// page, the picture's number in reading order, its box in points at the picture's resolution).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// 1-based line number in the extracted text of the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based character column in that line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Byte span `[start, end)` in the decoded input text (text inputs only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// Bounding box `[x0, y0, x1, y1]` in PDF user space (PDF inputs with geometry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f32; 4]>,
    /// 0-based `(table, row)` of a table in HTML/DOCX inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_row: Option<(usize, usize)>,
    /// 0-based index of the cell in its table row, as drawn (a merged cell counts once);
    /// set for inputs whose table grid is known (HTML, DOCX, ruled PDF tables, markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<usize>,
}

/// A byte range `[start, end)` on char boundaries of a decoded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(p) = self.page {
            parts.push(format!("page {p}"));
        }
        if let Some(l) = self.line {
            match self.column {
                Some(c) => parts.push(format!("line {l}, column {c}")),
                None => parts.push(format!("line {l}")),
            }
        }
        if let Some((t, r)) = self.table_row {
            parts.push(format!("table {} row {}", t + 1, r + 1));
        }
        if let Some(c) = self.cell {
            parts.push(format!("cell {}", c + 1));
        }
        if parts.is_empty() {
            if let Some(s) = self.span {
                parts.push(format!("bytes {}..{}", s.start, s.end));
            }
        }
        f.write_str(&parts.join(", "))
    }
}
