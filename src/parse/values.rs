//! Reading the values that follow a row label: numbers, blanks, dashes.
//!
//! Two shapes of input: table rows, whose cells the reader handed on one by one, where a
//! blank cell is a value slot, and free text (extractor or crawler output), where white
//! space separates values, digits of neighbouring cells may run together, and the values
//! end where ordinary text resumes.

use super::number;
use crate::script::is_ideograph;
// A value's texts are a few bytes: kept inline, not one heap string each (tokens are read
// for every label occurrence looked at).
use compact_str::CompactString;

/// What a value slot holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// A number as printed: its text (sign, digits, separators, decimals) and unit.
    Number {
        /// The number's text.
        digits: CompactString,
        /// A unit printed with it (`元`, `万元`, `件`).
        unit: Option<CompactString>,
        /// A bracketed note printed after it.
        note: Option<CompactString>,
    },
    /// An empty cell.
    Blank,
    /// A dash or other "nothing" mark: `-`, `—`, `/`, `无`, `空`.
    Mark(CompactString),
}

/// One value slot with its place in the normalised text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it holds.
    pub slot: Slot,
    /// The text as printed.
    pub raw: CompactString,
    /// Byte offset in the normalised text.
    pub pos: usize,
    /// Whether this token is a run of characters from free text that may hold several
    /// cells run together (`693665`, `1-10`).
    pub splittable: bool,
    /// Whether the slot may not be a real cell (a blank last cell of a markdown row).
    pub uncertain: bool,
}

/// Marks that stand for "nothing" in a cell.
const MARKS: [&str; 14] = [
    "-", "--", "—", "——", "–", "/", "\\", "无", "空", "—-", "－", "/ ", "×", "x",
];

/// Whether a cell's text is one of [`MARKS`].
fn is_mark(s: &str) -> bool {
    MARKS.contains(&s)
}

/// The first chars of the marks [`is_mark`] accepts (a test derives them again).
const MARK_FIRSTS: [char; 10] = ['-', '—', '–', '/', '\\', '无', '空', '－', '×', 'x'];

/// Characters after a number that make it part of a sentence, not a cell.
fn narrative_after(c: char) -> bool {
    matches!(
        c,
        '年' | '月'
            | '日'
            | '号'
            | '时'
            | '批'
            | '余'
            | '多'
            | '%'
            | '％'
            | '倍'
            | '岁'
            | '期'
            | '届'
            | '季'
            | '页'
            | '亿'
            | '万'
    )
}

/// Reads table cells as value slots: each cell's byte offset in the normalised text and
/// its text, in column order. Text cells before the values are more of the row's labels
/// and skipped; a text cell after them ends the row. With `padded` (a markdown row whose
/// last cell is among these), a blank last cell is marked uncertain: converters pad rows.
pub fn cell_tokens(cells: &[(usize, &str)], padded: bool) -> Vec<Token> {
    let mut out = Vec::new();
    let last = cells.len().saturating_sub(1);
    for (i, &(at, cell)) in cells.iter().enumerate() {
        let t = cell.trim();
        let at = at + (cell.len() - cell.trim_start().len());
        let slot = if t.is_empty() {
            Slot::Blank
        } else if is_mark(t) {
            Slot::Mark(t.into())
        } else if let Some((p, note)) = number::cell(t) {
            Slot::Number {
                digits: p.digits.into(),
                unit: p.unit.map(CompactString::from),
                note: note.map(CompactString::from),
            }
        } else if out.is_empty() {
            // a text cell before the values: more of the row's labels
            continue;
        } else {
            // text after the values: the row is over
            break;
        };
        let uncertain = padded && i == last && slot == Slot::Blank;
        out.push(Token {
            slot,
            raw: t.into(),
            pos: at,
            splittable: false,
            uncertain,
        });
    }
    out
}

/// Whether free text at `s` starts with a list marker such as `2.` or `3、` before a label.
pub fn list_marker_len(s: &str) -> Option<usize> {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = &s[digits..];
    let mut cs = rest.chars();
    let sep = cs.next()?;
    if !matches!(sep, '.' | '、' | ',') {
        return None;
    }
    let after = cs.next()?;
    if is_ideograph(after) || after == '(' {
        Some(digits + sep.len_utf8())
    } else {
        None
    }
}

/// Reads value tokens from free text, stopping at ordinary text once values have begun.
/// Text before the first value (a label's tail) is skipped, up to `max_lead` ideographs.
/// Returns the tokens and the byte offset where reading stopped.
pub fn free_tokens(text: &str, base: usize, max_lead: usize) -> (Vec<Token>, usize) {
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0usize;
    let mut lead = 0usize;
    let bytes_len = text.len();
    while i < bytes_len {
        let rest = &text[i..];
        let Some(c) = rest.chars().next() else { break };
        // a `|` in free text is crawler or markdown residue between values
        if c.is_whitespace() || c == '|' {
            i += c.len_utf8();
            continue;
        }
        if let Some(n) = list_marker_len(rest) {
            if !out.is_empty() {
                return (out, base + i);
            }
            i += n;
            continue;
        }
        if c.is_ascii_digit()
            || ((c == '-' || c == '+') && rest[1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            // a run of digits, signs, separators: maybe several cells run together
            let run_len = rest
                .char_indices()
                .take_while(|(j, ch)| {
                    ch.is_ascii_digit()
                        || ((*ch == '.' || *ch == ',' || *ch == '-')
                            && rest[j + 1..].starts_with(|d: char| d.is_ascii_digit()))
                        || ((*ch == '-' || *ch == '+') && *j == 0)
                })
                .map(|(j, ch)| j + ch.len_utf8())
                .last()
                .unwrap_or(1);
            let run = &rest[..run_len];
            let mut consumed = run_len;
            let mut unit = None;
            if let Some(p) = number::number(rest) {
                if p.len >= run_len {
                    if let Some(u) = p.unit {
                        unit = Some(CompactString::from(u));
                        consumed = p.len;
                    }
                }
            }
            if unit.is_none() && rest[run_len..].chars().next().is_some_and(narrative_after) {
                // "2024年": a sentence, not a cell
                return (out, base + i);
            }
            let mut note = None;
            let tail = &rest[consumed..];
            let open_len = tail
                .chars()
                .next()
                .filter(|c| matches!(c, '(' | '[' | '【'))
                .map_or(0, char::len_utf8);
            if open_len > 0 {
                if let Some(close) = tail.find([')', ']', '】']).filter(|c| *c >= open_len) {
                    let inner = &tail[open_len..close];
                    // "(其中修订16件)" is a note; "(二)" is the next row's numbering
                    if !inner.chars().all(|c| "一二三四五六七八九十".contains(c)) {
                        note = Some(
                            tail[..close + tail[close..].chars().next().map_or(1, char::len_utf8)]
                                .into(),
                        );
                        consumed += note.as_ref().map_or(0, CompactString::len);
                    }
                }
            }
            let splittable = note.is_none() && run.chars().count() > 1;
            out.push(Token {
                slot: Slot::Number {
                    digits: run.into(),
                    unit,
                    note,
                },
                raw: rest[..consumed].trim_end().into(),
                pos: base + i,
                splittable,
                uncertain: false,
            });
            i += consumed;
            continue;
        }
        // a lone mark between separators (marks are short: looking past 8 chars would make
        // a long word quadratic, one scan per char); only a mark's first char starts one
        let mark = MARK_FIRSTS.contains(&c).then(|| {
            let len = rest
                .char_indices()
                .take_while(|(_, ch)| !ch.is_whitespace() && *ch != '|')
                .take(8)
                .map(|(j, ch)| j + ch.len_utf8())
                .last()
                .unwrap_or(c.len_utf8());
            &rest[..len]
        });
        if let Some(word) = mark.filter(|w| is_mark(w)) {
            out.push(Token {
                slot: Slot::Mark(word.into()),
                raw: word.into(),
                pos: base + i,
                splittable: false,
                uncertain: false,
            });
            i += word.len();
            continue;
        }
        // ordinary text
        if !out.is_empty() {
            return (out, base + i);
        }
        if is_ideograph(c) {
            lead += 1;
            if lead > max_lead {
                return (out, base + i);
            }
        } else if matches!(c, '。' | ',' | ';' | ':' | '，' | '；' | '：' | '、') {
            return (out, base + i);
        }
        i += c.len_utf8();
    }
    (out, base + bytes_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raws(t: &[Token]) -> Vec<&str> {
        t.iter().map(|t| t.raw.as_str()).collect()
    }

    #[test]
    fn marks_start_with_their_first_chars() {
        let mut firsts: Vec<char> = MARKS.iter().filter_map(|m| m.chars().next()).collect();
        firsts.sort_unstable();
        firsts.dedup();
        let mut written = MARK_FIRSTS.to_vec();
        written.sort_unstable();
        assert_eq!(firsts, written);
    }

    #[test]
    fn cells_keep_blanks() {
        let t = cell_tokens(&[(0, "272"), (4, ""), (5, "-"), (7, "3"), (9, "")], true);
        assert_eq!(raws(&t), vec!["272", "", "-", "3", ""]);
        assert_eq!(t[1].slot, Slot::Blank);
        assert_eq!(t[3].pos, 7);
        assert!(!t[1].uncertain && t[4].uncertain);
        // a printed `|` is a cell's text, not a cell break
        let t = cell_tokens(&[(0, "1|2"), (4, "3")], false);
        assert_eq!(raws(&t), vec!["3"]);
    }

    #[test]
    fn free_text_runs_and_stops() {
        let (t, _) = free_tokens("0 0 0 0 0 0\n0\n\n(三)不\n予公开", 0, 6);
        assert_eq!(t.len(), 7);
        let (t, _) = free_tokens("640020470二、上年", 0, 6);
        assert_eq!(raws(&t), vec!["640020470"]);
        assert!(t[0].splittable);
        let (t, _) = free_tokens("1000001(四)无法提供", 0, 6);
        assert_eq!(raws(&t), vec!["1000001"]);
        let (t, _) = free_tokens("1973601627.4元", 0, 6);
        assert_eq!(raws(&t), vec!["1973601627.4元"]);
        assert!(t[0].splittable);
        let (t, _) = free_tokens("2.重复申请", 0, 6);
        assert!(t.is_empty());
        let (t, _) = free_tokens("制度。2021年，我局", 0, 6);
        assert!(t.is_empty());
        let (t, _) = free_tokens("396 +2 -3 181", 0, 6);
        assert_eq!(raws(&t), vec!["396", "+2", "-3", "181"]);
        let (t, _) = free_tokens("5【注】 1", 0, 6);
        assert_eq!(raws(&t), vec!["5【注】", "1"]);
        let (t, _) = free_tokens("22(其中修订16件) 3", 0, 6);
        assert_eq!(raws(&t), vec!["22(其中修订16件)", "3"]);
    }
}
