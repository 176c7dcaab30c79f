//! Layout-mode text (`pdftotext -layout` and other monospaced renderings) as positions:
//! character column → x, line → y, one em per character.

use super::{VLine, Word};
use crate::extract::Line;

/// Whether the lines look like layout-mode text: several lines hold words set apart by runs
/// of three or more spaces (columns), as no prose or crawler export does.
pub(crate) fn looks_like_layout(lines: &[Line]) -> bool {
    lines
        .iter()
        .filter(|l| {
            let t = l.text.trim();
            // a third word is enough: no need to count them all
            t.contains("   ") && t.split_whitespace().nth(2).is_some()
        })
        .take(5)
        .count()
        >= 5
}

/// The words of one text line at `row`: maximal runs of non-space characters, x in chars.
pub(crate) fn vline(text: &str, row: usize) -> VLine {
    let mut words = Vec::new();
    // the open word: its first byte and column
    let mut open: Option<(usize, usize)> = None;
    let mut col = 0usize;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() || c == '\u{3000}' {
            if let Some((from, start)) = open.take() {
                words.push(word(&text[from..at], start, col, row));
            }
        } else if open.is_none() {
            open = Some((at, col));
        }
        col += 1;
    }
    if let Some((from, start)) = open {
        words.push(word(&text[from..], start, col, row));
    }
    VLine { words }
}

fn word(text: &str, start: usize, end: usize, row: usize) -> Word {
    let y = -(row as f32);
    Word {
        text: text.to_owned(),
        x0: start as f32,
        x1: end as f32,
        y0: y - 1.0,
        y1: y,
        size: 1.0,
    }
}

/// The text line a layout-text box starts on.
pub(crate) fn row_of(bbox: [f32; 4]) -> usize {
    (-bbox[3]).max(0.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_their_columns() {
        let l = vline("规章       0     0", 3);
        let w: Vec<(&str, f32)> = l.words.iter().map(|w| (w.text.as_str(), w.x0)).collect();
        assert_eq!(w, vec![("规章", 0.0), ("0", 9.0), ("0", 15.0)]);
        assert_eq!(row_of(l.bbox()), 3);
    }
}
