//! Stage 2: extracted lines → one normalised text with a map back to the input.
//!
//! Full-width forms are folded to ASCII ([`width`](crate::normalize::width)), page furniture
//! such as `- 4 -` is dropped ([`furniture`](crate::normalize::furniture)); wraps are repaired
//! for section text ([`wrap`](crate::normalize::wrap)). Label matching later ignores white
//! space, so wraps never hide a label.
//!
//! A table row's cells are folded one by one and joined by a tab
//! ([`CELL_BREAK`](crate::normalize::CELL_BREAK)), so that label search over the whole text
//! still sees them; each cell keeps its byte span
//! ([`NormLine::cells`](crate::normalize::NormLine::cells)), and the parser reads the cells
//! from those spans, never by splitting the text.

pub mod furniture;
pub mod width;
pub mod wrap;

use crate::extract::Line;
use crate::source::Location;

/// What stands between two cells of a row in the normalised text: white space, which
/// label search skips and which is never split on again.
pub const CELL_BREAK: char = '\t';

/// One cell of a table row in the normalised text.
#[derive(Debug, Clone)]
pub struct CellSpan {
    /// Byte offset of the cell's (trimmed) text in [`NormDoc::text`].
    pub start: usize,
    /// One past its last byte (`start` for a blank cell).
    pub end: usize,
    /// Where the cell itself came from, when the reader knew.
    pub origin: Option<Location>,
}

/// One line of the normalised text.
#[derive(Debug, Clone)]
pub struct NormLine {
    /// Byte offset of the line in [`NormDoc::text`].
    pub start: usize,
    /// One past its last byte (the `\n` is not included).
    pub end: usize,
    /// Where the line came from.
    pub origin: Location,
    /// For a table row: its cells in column order (empty for a line of text).
    pub cells: Vec<CellSpan>,
    /// The line as printed, before width folding (same number of chars as the folded
    /// line); `None` when folding changed no char, the printed line being the text's.
    pub printed: Option<String>,
}

/// The normalised text of a whole input.
#[derive(Debug, Clone, Default)]
pub struct NormDoc {
    /// All kept lines joined with `\n` (not changed once [`normalize`] made it: the
    /// column index below is built from it).
    pub text: String,
    /// The kept lines, in order.
    pub lines: Vec<NormLine>,
    /// Whether table rows come from a markdown conversion, whose converters pad rows with
    /// empty cells: a blank last cell there may be an artefact, not a printed blank.
    pub markdown: bool,
    /// Starts of the table rows, in order.
    pub row_starts: Vec<usize>,
    /// Chars before each [`CHAR_BLOCK`]-byte block of `text`, built on first use: a
    /// location's column is then found in constant time, not by counting the chars of a
    /// line that may be a whole report long (text pasted from a web page).
    chars_before_block: std::sync::OnceLock<Vec<u32>>,
}

/// Bytes per block of [`NormDoc::chars_before`]'s index.
const CHAR_BLOCK: usize = 256;

/// Whether a byte starts a char (is not a UTF-8 continuation byte).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

/// The chars of UTF-8 `bytes` (the bytes that start one), counted in byte lanes: a
/// location's column is counted this way for every cell of a report.
fn count_chars(bytes: &[u8]) -> usize {
    bytes
        .chunks(128)
        .map(|c| usize::from(c.iter().map(|&b| u8::from(starts_char(b))).sum::<u8>()))
        .sum()
}

impl NormLine {
    /// Whether the line is a table row.
    pub fn is_row(&self) -> bool {
        !self.cells.is_empty()
    }
}

impl NormDoc {
    /// Index of the line holding byte `pos`.
    pub fn line_index(&self, pos: usize) -> Option<usize> {
        if self.lines.is_empty() {
            return None;
        }
        let i = self.lines.partition_point(|l| l.start <= pos);
        Some(i.saturating_sub(1))
    }

    /// The text of `[start, end)` as printed (full-width forms kept), lines joined by `\n`.
    pub fn printed(&self, start: usize, end: usize) -> String {
        self.printed_as(start, end, false)
    }

    /// Like [`NormDoc::printed`], but a table row wholly inside the range shown as a
    /// markdown row, `| a |  | 3 |`: section text for people, never read back.
    pub fn shown(&self, start: usize, end: usize) -> String {
        self.printed_as(start, end, true)
    }

    fn printed_as(&self, start: usize, end: usize, rows_shown: bool) -> String {
        let mut out = String::new();
        let first = self.line_index(start).unwrap_or(0);
        for l in self.lines.iter().skip(first).take_while(|l| l.start < end) {
            let (a, b) = (start.max(l.start), end.min(l.end));
            if a > b {
                continue;
            }
            if rows_shown && l.is_row() && a == l.start && b == l.end {
                if l.start > start {
                    out.push('\n');
                }
                let cells: Vec<&str> = self.printed_line(l).split(CELL_BREAK).collect();
                out.push_str(&format!("| {} |", cells.join(" | ")));
                continue;
            }
            if l.start > start {
                out.push('\n'); // the break before this line lies inside the range
            }
            match (&l.printed, self.text.get(l.start..a), self.text.get(a..b)) {
                // nothing folded on this line: its printed text is the text itself
                (None, Some(_), Some(t)) => out.push_str(t),
                (_, before, inside) => {
                    let skip = before.map_or(0, |t| t.chars().count());
                    let take = inside.map_or(0, |t| t.chars().count());
                    out.extend(self.printed_line(l).chars().skip(skip).take(take));
                }
            }
        }
        out
    }

    /// Line `l` as printed, before width folding.
    fn printed_line<'a>(&'a self, l: &'a NormLine) -> &'a str {
        l.printed
            .as_deref()
            .unwrap_or_else(|| self.text.get(l.start..l.end).unwrap_or(""))
    }

    /// Start of the first table row starting at or after byte `pos`.
    pub fn next_row_line(&self, pos: usize) -> Option<usize> {
        let i = self.row_starts.partition_point(|s| *s < pos);
        self.row_starts.get(i).copied()
    }

    /// The number of chars in `text[..pos]` (`pos` a char boundary, else the chars
    /// starting before it).
    pub fn chars_before(&self, pos: usize) -> usize {
        let bytes = self.text.as_bytes();
        let pos = pos.min(bytes.len());
        let index = self.chars_before_block.get_or_init(|| {
            // entry k: chars in text[..k * CHAR_BLOCK], k up to and with the end's block
            let mut index = Vec::with_capacity(bytes.len() / CHAR_BLOCK + 1);
            let mut n = 0u32;
            for b in bytes.chunks(CHAR_BLOCK) {
                index.push(n);
                n += count_chars(b) as u32;
            }
            index.push(n);
            index
        });
        let block = pos / CHAR_BLOCK;
        let base = index.get(block).map_or(0, |&n| n as usize);
        let tail = bytes.get(block * CHAR_BLOCK..pos).unwrap_or(&[]);
        base + count_chars(tail)
    }

    /// In a table row, the location also names the cell holding `pos`.
    pub fn location_at(&self, pos: usize) -> Option<crate::source::Location> {
        let line = self.line_index(pos).and_then(|i| self.lines.get(i))?;
        let cell = line.is_row().then(|| {
            line.cells
                .partition_point(|c| c.start <= pos)
                .saturating_sub(1)
        });
        // a cell whose own place is known is located there, not by its row
        if let Some(own) = cell.and_then(|k| line.cells.get(k)?.origin.as_ref()) {
            return Some(Location {
                cell,
                ..own.clone()
            });
        }
        let mut loc = line.origin.clone();
        // folding keeps every char, so the char column is the input's
        let at = pos.clamp(line.start, line.end);
        let col = if !self.text.is_char_boundary(at) {
            0
        } else if at - line.start <= CHAR_BLOCK {
            count_chars(&self.text.as_bytes()[line.start..at])
        } else {
            self.chars_before(at) - self.chars_before(line.start)
        };
        loc.column = u32::try_from(col + 1).ok();
        if cell.is_some() {
            loc.cell = cell;
        }
        Some(loc)
    }
}

/// Normalises extracted lines.
pub fn normalize(lines: &[Line], markdown: bool) -> NormDoc {
    // sized once: folding keeps a line's length but for the few chars it narrows
    let bytes: usize = lines
        .iter()
        .map(|l| {
            1 + l
                .text
                .len()
                .max(l.cells.iter().map(|c| c.text.len() + 1).sum())
        })
        .sum();
    let mut doc = NormDoc {
        markdown,
        text: String::with_capacity(bytes),
        lines: Vec::with_capacity(lines.len()),
        ..NormDoc::default()
    };
    for line in lines {
        if line.is_row() {
            push_row(&mut doc, line);
            continue;
        }
        let printed = furniture::strip_markup_comments(&line.text);
        // folded straight into the text, taken back out when it is furniture
        let before = doc.text.len();
        if !doc.text.is_empty() {
            doc.text.push('\n');
        }
        let start = doc.text.len();
        let changed = width::fold_into(&printed, &mut doc.text);
        if furniture::is_furniture(&doc.text[start..]) {
            doc.text.truncate(before);
            continue;
        }
        doc.lines.push(NormLine {
            start,
            end: doc.text.len(),
            origin: line.origin.clone(),
            cells: Vec::new(),
            printed: changed.then(|| printed.into_owned()),
        });
    }
    doc
}

/// Appends a table row: each cell folded on its own, cells joined by [`CELL_BREAK`].
fn push_row(doc: &mut NormDoc, line: &Line) {
    if !doc.text.is_empty() {
        doc.text.push('\n');
    }
    let start = doc.text.len();
    // the printed row is kept apart only when folding changed a char
    let mut printed: Option<String> = None;
    let mut cells = Vec::with_capacity(line.cells.len());
    for (k, c) in line.cells.iter().enumerate() {
        if k > 0 {
            doc.text.push(CELL_BREAK);
            if let Some(p) = &mut printed {
                p.push(CELL_BREAK);
            }
        }
        let raw = furniture::strip_markup_comments(&c.text);
        let text = raw.trim_matches(|ch: char| ch.is_whitespace() || ch.is_control());
        let at = doc.text.len();
        for ch in text.chars() {
            // a cell is one run of text: its own breaks are spaces here
            let ch = if ch.is_control() { ' ' } else { ch };
            let folded = width::fold_char(ch);
            if folded != ch && printed.is_none() {
                // everything so far printed as it reads folded
                printed = Some(doc.text[start..].to_owned());
            }
            doc.text.push(folded);
            if let Some(p) = &mut printed {
                p.push(ch);
            }
        }
        cells.push(CellSpan {
            start: at,
            end: doc.text.len(),
            origin: c.origin.clone(),
        });
    }
    doc.row_starts.push(start);
    doc.lines.push(NormLine {
        start,
        end: doc.text.len(),
        origin: line.origin.clone(),
        cells,
        printed,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::lines_of;
    use proptest::prelude::*;

    proptest! {
        /// The block index counts what counting the chars does, at every char boundary
        /// (texts of mixed widths, across block edges).
        #[test]
        fn chars_before_counts_the_chars(parts in prop::collection::vec(
            prop::sample::select(vec!["a", "12", "年", "（一）", "\n", "\t", "𠀀", "ａ", " "]),
            0..400,
        )) {
            let text: String = parts.concat();
            let doc = NormDoc { text: text.clone(), ..NormDoc::default() };
            for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
                prop_assert_eq!(doc.chars_before(i), text[..i].chars().count());
            }
        }
    }

    #[test]
    fn printed_text_keeps_full_width_forms() {
        let doc = normalize(
            &lines_of("一、总体情况\n\n要求，围绕（一）１２\n- 3 -\n尾"),
            false,
        );
        let at = doc.text.find("围绕").unwrap();
        assert_eq!(doc.printed(at, doc.text.len()), "围绕（一）１２\n尾");
        assert_eq!(
            doc.printed(0, doc.text.len()),
            "一、总体情况\n\n要求，围绕（一）１２\n尾"
        );
    }
}
