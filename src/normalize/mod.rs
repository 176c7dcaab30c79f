//! Stage 2: extracted lines → one normalised text with a map back to the input.
//!
//! Full-width forms are folded to ASCII ([`width`]), page furniture such as `- 4 -` and
//! markdown separator rows is dropped ([`furniture`]); wraps are repaired for section text
//! ([`wrap`]). Label matching later ignores white space, so wraps never hide a label.

pub mod furniture;
pub mod width;
pub mod wrap;

use crate::extract::Line;
use crate::source::Location;

/// One line of the normalised text.
#[derive(Debug, Clone)]
pub struct NormLine {
    /// Byte offset of the line in [`NormDoc::text`].
    pub start: usize,
    /// One past its last byte (the `\n` is not included).
    pub end: usize,
    /// Where the line came from.
    pub origin: Location,
    /// Whether the line is a markdown pipe row (`| a | b |`).
    pub pipe: bool,
    /// Where each pipe cell came from, when the reader knew (see `extract::Line`).
    pub cell_origins: Vec<Option<Location>>,
    /// The line as printed, before width folding (same number of chars as the folded line).
    pub printed: String,
}

/// The normalised text of a whole input.
#[derive(Debug, Clone, Default)]
pub struct NormDoc {
    /// All kept lines joined with `\n`.
    pub text: String,
    /// The kept lines, in order.
    pub lines: Vec<NormLine>,
    /// Whether pipe rows come from a markdown conversion, whose converters pad rows with
    /// empty cells: a blank last cell there may be an artefact, not a printed blank.
    pub markdown: bool,
    /// Starts of the pipe rows, in order.
    pub pipe_starts: Vec<usize>,
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

    /// The origin of the line holding byte `pos`.
    /// The text of `[start, end)` as printed (full-width forms kept), lines joined by `\n`.
    pub fn printed(&self, start: usize, end: usize) -> String {
        let mut out = String::new();
        let first = self.line_index(start).unwrap_or(0);
        for l in self.lines.iter().skip(first).take_while(|l| l.start < end) {
            let (a, b) = (start.max(l.start), end.min(l.end));
            if a > b {
                continue;
            }
            let skip = self.text.get(l.start..a).map_or(0, |t| t.chars().count());
            let take = self.text.get(a..b).map_or(0, |t| t.chars().count());
            if l.start > start {
                out.push('\n'); // the break before this line lies inside the range
            }
            out.extend(l.printed.chars().skip(skip).take(take));
        }
        out
    }

    /// Start of the first pipe row starting at or after byte `pos`.
    pub fn next_pipe_line(&self, pos: usize) -> Option<usize> {
        let i = self.pipe_starts.partition_point(|s| *s < pos);
        self.pipe_starts.get(i).copied()
    }

    /// In a pipe row, the location also names the cell holding `pos`.
    pub fn location_at(&self, pos: usize) -> Option<crate::source::Location> {
        let line = self.line_index(pos).and_then(|i| self.lines.get(i))?;
        let mut loc = line.origin.clone();
        // folding keeps every char, so the char column is the input's
        let before = self.text.get(line.start..pos.min(line.end)).unwrap_or("");
        loc.column = u32::try_from(before.chars().count() + 1).ok();
        if line.pipe {
            loc.cell = before.matches('|').count().checked_sub(1);
            // a cell whose own place is known is located there, not by its row
            if let Some(Some(own)) = loc.cell.and_then(|c| line.cell_origins.get(c)) {
                loc = Location {
                    cell: loc.cell,
                    ..own.clone()
                };
            }
        }
        Some(loc)
    }
}

/// Normalises extracted lines.
pub fn normalize(lines: &[Line], markdown: bool) -> NormDoc {
    let mut doc = NormDoc {
        markdown,
        ..NormDoc::default()
    };
    for line in lines {
        let printed = furniture::strip_markup_comments(&line.text);
        let folded = width::fold(&printed);
        if furniture::is_furniture(&folded) {
            continue;
        }
        if !doc.text.is_empty() {
            doc.text.push('\n');
        }
        let start = doc.text.len();
        doc.text.push_str(&folded);
        let pipe = folded.trim_start().starts_with('|');
        if pipe {
            doc.pipe_starts.push(start);
        }
        doc.lines.push(NormLine {
            start,
            end: doc.text.len(),
            origin: line.origin.clone(),
            pipe,
            cell_origins: line.cell_origins.clone(),
            printed: printed.into_owned(),
        });
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::lines_of;

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
