//! Types and helpers shared by the HTML and DOCX extractors.

/// Errors of the markup extractors (HTML never fails).
#[derive(Debug, thiserror::Error)]
pub enum MarkupError {
    /// A DOCX whose zip or XML cannot be read.
    #[error("damaged DOCX: {0}")]
    BadDocx(String),
    /// A legacy binary Word/WPS file.
    #[error("legacy binary Word/WPS file (.doc/.wps): convert it to DOCX or PDF")]
    LegacyBinary,
    /// A size limit was hit.
    #[error("limit exceeded: {0}")]
    Limit(String),
}

/// The text of one document: lines in reading order plus notes about how it was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkupText {
    /// Lines in reading order.
    pub lines: Vec<MarkupLine>,
    /// e.g. "encoding guessed as GBK (no charset declared)"
    pub notes: Vec<String>,
    /// Pictures in the text (`<img>`), in reading order: a table published as a picture is
    /// read by OCR and its lines go in at the picture's place.
    pub pictures: Vec<Picture>,
}

/// A picture referred to by the markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Where its lines go: before line `line` of [`MarkupText::lines`].
    pub line: usize,
    /// The reference as written (`page_files/t1.png`, `data:image/png;base64,…`).
    pub src: String,
}

/// One output line: a paragraph, or a table row with its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupLine {
    /// The line's text (for a table row its cells joined by tabs; read the cells instead).
    pub text: String,
    /// For table rows: `Some((table_index, row_index))`, 0-based in document order.
    pub table_pos: Option<(usize, usize)>,
    /// For table rows: the cells left to right, a cell spanning columns once.
    pub cells: Vec<String>,
}

impl MarkupLine {
    /// The line for people and tests: a table row as `| c1 | c2 |` (never read back).
    #[cfg_attr(not(feature = "unstable"), allow(dead_code))] // used by tests of internals
    pub fn shown(&self) -> String {
        if self.table_pos.is_none() {
            return self.text.clone();
        }
        format!("| {} |", self.cells.join(" | "))
    }
}

impl MarkupText {
    /// The lines' text joined with '\n' (handy for debugging and tests).
    #[cfg_attr(not(feature = "unstable"), allow(dead_code))] // used by tests of internals
    pub fn joined(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            s.push_str(&l.text);
            s.push('\n');
        }
        s
    }
}

/// Widest table grid we build (columns); wider spans are clamped.
pub(crate) const MAX_COLS: usize = 256;
/// Largest span a single cell may claim (columns or rows).
pub(crate) const MAX_SPAN: usize = 256;
/// Nesting depth beyond which structure is ignored and text is taken flat.
pub(crate) const MAX_DEPTH: usize = 256;

use crate::script::is_cjk_or_cjk_punct as is_cjk;

/// Whitespace as HTML/Word text sees it, plus NBSP and ideographic space.
pub(crate) fn is_ws(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' || c == '\u{200b}' || c == '\u{feff}'
}

/// Collapse whitespace runs to one space, drop whitespace between two CJK characters,
/// trim; zero-width and control characters vanish.
pub fn normalize_ws(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_ws = false;
    let mut last: Option<char> = None;
    for c in raw.chars() {
        if is_ws(c) || c.is_control() {
            if c == '\u{200b}' || c == '\u{feff}' {
                continue;
            }
            pending_ws = true;
            continue;
        }
        if pending_ws {
            if let Some(p) = last {
                if !(is_cjk(p) && is_cjk(c)) {
                    out.push(' ');
                }
            }
            pending_ws = false;
        }
        out.push(c);
        last = Some(c);
    }
    out
}

/// A table as a full grid of cell texts (spans already expanded): `None` marks a position
/// covered by a cell spanning columns, left out of the row's cells so that a value cell
/// with `colspan=2` stays one value.
#[derive(Debug, Default, Clone)]
pub(crate) struct Grid {
    pub rows: Vec<Vec<Option<String>>>,
}

impl Grid {
    pub fn width(&self) -> usize {
        self.rows.iter().map(|r| r.len()).max().unwrap_or(0)
    }

    /// Pad every row to the full width.
    pub fn square(&mut self) {
        let w = self.width();
        for r in &mut self.rows {
            r.resize(w, Some(String::new()));
        }
    }

    /// Heuristic: does this look like a data table (as opposed to a layout table)?
    /// Called only for tables without nested tables.
    pub fn is_data(&self) -> bool {
        let cells = || self.rows.iter().flatten().flatten();
        let longest = cells().map(|c| c.chars().count()).max().unwrap_or(0);
        let n_nonempty = cells().filter(|c| !c.is_empty()).count();
        if n_nonempty == 0 {
            return false;
        }
        if cells().any(|c| looks_numeric(c)) {
            return true;
        }
        // A blank statistical table (all values left empty) still has a grid of short labels.
        self.rows.len() >= 2 && self.width() >= 3 && longest <= 120
    }

    /// Hands the rows of table `index` on as lines of cells (covered positions left out,
    /// so that a value cell with `colspan=2` stays one value).
    pub fn emit(&self, index: usize, out: &mut Vec<MarkupLine>) {
        for (ri, row) in self.rows.iter().enumerate() {
            let cells: Vec<String> = row.iter().flatten().cloned().collect();
            out.push(MarkupLine {
                text: cells.join("\t"),
                table_pos: Some((index, ri)),
                cells,
            });
        }
    }
}

/// A short cell that is a number, possibly with sign, separators or a unit (`251000元`, `-3`, `12.5%`).
pub(crate) fn looks_numeric(c: &str) -> bool {
    let t = c.trim();
    if t.is_empty() || t.chars().count() > 24 {
        return false;
    }
    let mut digits = 0;
    let mut other = 0;
    for ch in t.chars() {
        if ch.is_ascii_digit() || ('０'..='９').contains(&ch) {
            digits += 1;
        } else if !matches!(ch, ',' | '，' | '.' | '-' | '+' | '－' | '%' | '％' | ' ') {
            other += 1;
        }
    }
    digits > 0 && other <= 3
}

/// Collects prose lines: text is appended to a buffer, `flush` ends the current line.
#[derive(Default)]
pub(crate) struct LineSink {
    pub buf: String,
    pub lines: Vec<MarkupLine>,
}

impl LineSink {
    pub fn push_text(&mut self, t: &str) {
        self.buf.push_str(t);
    }
    pub fn flush(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let line = normalize_ws(&self.buf);
        self.buf.clear();
        if !line.is_empty() {
            self.lines.push(MarkupLine {
                text: line,
                table_pos: None,
                cells: Vec::new(),
            });
        }
    }
}
