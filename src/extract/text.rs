//! Text inputs: decoding (UTF-8, UTF-16 with BOM, GB18030/GBK) and line splitting.

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::error::Result;
use crate::options::Options;
use crate::report::InputFormat;
use crate::source::{Location, Span};
use std::ops::Range;

use super::{Extracted, Line, LineCell};
use crate::document::Origin;
use crate::layout;

/// Decodes bytes to text, saying when the encoding was a guess.
pub fn decode(bytes: &[u8]) -> (String, Option<Diagnostic>) {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), None);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), None),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            let msg = if had_errors {
                "text is neither UTF-8 nor clean GB18030; decoded as GB18030 with replacement characters"
            } else {
                "text is not UTF-8; decoded as GB18030 (GBK)"
            };
            (
                text.into_owned(),
                Some(Diagnostic::new(Code::EncodingGuessed, Severity::Info, msg)),
            )
        }
    }
}

/// Whether text looks like markdown (pipe tables with a separator row, or `#` headings).
pub fn looks_like_markdown(text: &str) -> bool {
    // every mark starts with `|` or `## `: text without either (most) needs no line scan
    if !text.contains('|') && !text.contains("## ") {
        return false;
    }
    text.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with("|---") || t.starts_with("| ---") || t.starts_with("## ")
    })
}

/// Where a cell of a layout-text grid was printed: its first line, and the span and column
/// of its characters there (x in the grid is a char column, y the negated line index).
/// `cols` caches each line's char starts ([`CharStarts`]).
fn source_of(lines: &[Line], cols: &mut CharStarts, b: [f32; 4]) -> Option<Location> {
    let row = crate::layout::text::row_of(b);
    let line = lines.get(row)?;
    let (x0, x1) = (b[0].max(0.0) as usize, b[2].max(0.0) as usize);
    let start = line.origin.span?.start;
    let starts = cols.of(lines, row);
    // a column past the line's end is its end
    let byte = |col: usize| starts.get(col).copied().unwrap_or(line.text.len());
    Some(Location {
        span: Some(Span {
            start: start + byte(x0),
            end: start + byte(x1),
        }),
        column: u32::try_from(x0 + 1).ok(),
        ..line.origin.clone()
    })
}

/// Per line, the byte offset of each char, built on first use: the cells of a table row
/// look up several columns of one line (walking the chars for each would be quadratic).
struct CharStarts(Vec<Option<Vec<usize>>>);

impl CharStarts {
    fn new(lines: usize) -> CharStarts {
        CharStarts(vec![None; lines])
    }

    /// The char starts of `lines[row]` (`row` in range).
    fn of(&mut self, lines: &[Line], row: usize) -> &[usize] {
        self.0[row].get_or_insert_with(|| lines[row].text.char_indices().map(|(i, _)| i).collect())
    }
}

/// Splits decoded text into lines with their 1-based numbers and byte spans.
pub fn lines_of(text: &str) -> Vec<Line> {
    let mut out = Vec::with_capacity(text.matches('\n').count() + 1);
    let mut start = 0usize;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let body = raw.trim_end_matches(['\n', '\r']);
        out.push(Line {
            text: body.to_owned(),
            origin: Location {
                line: u32::try_from(i + 1).ok(),
                span: Some(Span {
                    start,
                    end: start + body.len(),
                }),
                ..Location::default()
            },
            cells: Vec::new(),
        });
        start += raw.len();
    }
    out
}

/// Extracts lines from a text, markdown (or, until the HTML reader lands, HTML) input.
pub fn extract(bytes: &[u8], format: InputFormat, opts: &Options) -> Result<Extracted> {
    let (mut text, diag) = decode(bytes);
    let diagnostics: Vec<Diagnostic> = diag.into_iter().collect();
    // cut here already, before the line and layout work (the one cut of every reader,
    // `super::cap_text`, then finds the text at its limit and says so)
    if text.len() > opts.max_text_bytes {
        let mut cut = opts.max_text_bytes + 1;
        while !text.is_char_boundary(cut) {
            cut += 1;
        }
        text.truncate(cut);
    }
    let format = if format == InputFormat::Text && looks_like_markdown(&text) {
        InputFormat::Markdown
    } else {
        format
    };
    let mut lines = lines_of(&text);
    if format == InputFormat::Text && layout::text::looks_like_layout(&lines) {
        lines = layout_tables(lines);
    } else {
        lines = pipe_tables(lines);
    }
    Ok(Extracted {
        format,
        lines,
        diagnostics,
        doubts: Vec::new(),
    })
}

/// Markdown pipe tables (`| a | 0 |  | 3 |`) read into rows of cells, each cell with its
/// own span; separator rows (`|---|:---:|`) dropped. The one place a `|` is split on: in
/// markdown it is the syntax of a cell break (`\|` a printed bar).
fn pipe_tables(lines: Vec<Line>) -> Vec<Line> {
    lines
        .into_iter()
        .filter_map(|l| {
            let lead = l.text.len() - l.text.trim_start().len();
            if !l.text[lead..].starts_with('|') {
                return Some(l);
            }
            let cells = pipe_cells(&l.text, lead + 1);
            if cells.iter().all(|(t, _)| is_separator_cell(t)) {
                return None;
            }
            let base = l.origin.span.map(|s| s.start);
            let cells = cells
                .into_iter()
                .map(|(text, at)| LineCell {
                    origin: base.map(|b| Location {
                        span: Some(Span {
                            start: b + at.start,
                            end: b + at.end,
                        }),
                        column: u32::try_from(l.text[..at.start].chars().count() + 1).ok(),
                        ..l.origin.clone()
                    }),
                    text,
                })
                .collect();
            Some(Line::row(cells, l.origin))
        })
        .collect()
}

/// The cells of a pipe row whose first `|` ends before byte `from`: each cell's text
/// (trimmed, `\\|` unescaped) and the source bytes it was printed in; text after the
/// closing `|` is a cell only when not blank.
fn pipe_cells(row: &str, from: usize) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut span: Option<Range<usize>> = None;
    let mut chars = row[from..].char_indices().peekable();
    let finish = |cell: &mut String, span: &mut Option<Range<usize>>, out: &mut Vec<_>, at| {
        out.push((cell.trim().to_string(), span.take().unwrap_or(at..at)));
        cell.clear();
    };
    while let Some((i, c)) = chars.next() {
        let at = from + i;
        let mut end = at + c.len_utf8();
        match c {
            '|' => {
                finish(&mut cell, &mut span, &mut out, at);
                continue;
            }
            '\\' if chars.peek().is_some_and(|(_, n)| *n == '|') => {
                chars.next();
                end += 1;
                cell.push('|');
            }
            _ => cell.push(c),
        }
        if !c.is_whitespace() {
            span = Some(span.map_or(at, |s| s.start)..end);
        }
    }
    if !cell.trim().is_empty() {
        finish(&mut cell, &mut span, &mut out, row.len());
    }
    out
}

/// Whether a cell is a markdown separator (`---`, `:---:`).
fn is_separator_cell(t: &str) -> bool {
    let t = t.trim().trim_start_matches(':').trim_end_matches(':');
    t.len() >= 3 && t.chars().all(|c| c == '-')
}

/// Layout-mode text with its tables rebuilt from columns: each table's lines are replaced
/// by its grid's rows. Pages (form feeds start them) are rebuilt one by one, then a table
/// broken by a page is stitched.
fn layout_tables(lines: Vec<Line>) -> Vec<Line> {
    let mut pages = Vec::new();
    let mut start = 0;
    for i in 1..=lines.len() {
        if i == lines.len() || lines[i].text.contains('\u{c}') {
            pages.push(start..i);
            start = i;
        }
    }
    // every table with the source lines it replaces
    let mut tables = Vec::new();
    let mut spans = Vec::new();
    let mut table_pages = Vec::new();
    for (pi, p) in pages.iter().enumerate() {
        let page = &lines[p.clone()];
        let kept: Vec<usize> = (0..page.len())
            .filter(|i| !page[*i].text.trim().is_empty())
            .collect();
        // (a form feed is whitespace to `vline`, as the space it stands for)
        let vlines: Vec<_> = kept
            .iter()
            .map(|&i| layout::text::vline(&page[i].text, p.start + i))
            .collect();
        for f in layout::borderless::find(&vlines, Origin::LayoutText) {
            spans.push((
                p.start + kept[f.lines.start],
                p.start + kept[f.lines.end - 1],
            ));
            tables.push(f);
            table_pages.push(pi);
        }
    }
    layout::borderless::stitch(&mut tables, &table_pages);
    // every table's rows, made while all source lines are at hand (a row's origin is a
    // line of its own); then the other lines are moved, not copied, around them
    let mut cols = CharStarts::new(lines.len());
    let rows: Vec<Vec<Line>> = tables
        .into_iter()
        .map(|f| table_rows(f, &lines, &mut cols))
        .collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut next = rows.into_iter().zip(spans).peekable();
    let mut skip_to = 0;
    for (i, line) in lines.into_iter().enumerate() {
        if i < skip_to {
            continue;
        }
        match next.peek() {
            Some((_, (first, _))) if *first == i => {
                if let Some((table, (_, last))) = next.next() {
                    out.extend(table);
                    skip_to = last + 1;
                }
            }
            _ => out.push(line),
        }
    }
    out
}

/// The lines a table found in layout text goes on as: its rows, each with the origin of the
/// line it starts on and its cells with their own.
fn table_rows(f: layout::borderless::Found, lines: &[Line], cols: &mut CharStarts) -> Vec<Line> {
    f.into_row_lines()
        .map(|(row, bbox)| {
            let at = layout::text::row_of(bbox).min(lines.len() - 1);
            let origin = lines[at].origin.clone();
            match row {
                layout::borderless::RowLine::Cells(entries) => {
                    let cells = entries
                        .into_iter()
                        .map(|(text, b)| LineCell {
                            text,
                            origin: b.and_then(|b| source_of(lines, cols, b)),
                        })
                        .collect();
                    Line::row(cells, origin)
                }
                layout::borderless::RowLine::Text(text) => Line {
                    text,
                    origin,
                    cells: Vec::new(),
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout-table reader as first written (every line cloned, each cell's columns
    /// found by walking its line's chars): [`layout_tables`] must give the same lines.
    fn layout_tables_reference(lines: Vec<Line>) -> Vec<Line> {
        let source_of = |lines: &[Line], b: [f32; 4]| -> Option<Location> {
            let line = lines.get(crate::layout::text::row_of(b))?;
            let (x0, x1) = (b[0].max(0.0) as usize, b[2].max(0.0) as usize);
            let byte = |col: usize| {
                line.text
                    .char_indices()
                    .nth(col)
                    .map_or(line.text.len(), |(i, _)| i)
            };
            let start = line.origin.span?.start;
            Some(Location {
                span: Some(Span {
                    start: start + byte(x0),
                    end: start + byte(x1),
                }),
                column: u32::try_from(x0 + 1).ok(),
                ..line.origin.clone()
            })
        };
        let mut pages = Vec::new();
        let mut start = 0;
        for i in 1..=lines.len() {
            if i == lines.len() || lines[i].text.contains('\u{c}') {
                pages.push(start..i);
                start = i;
            }
        }
        let mut tables = Vec::new();
        let mut spans = Vec::new();
        let mut table_pages = Vec::new();
        for (pi, p) in pages.iter().enumerate() {
            let page = &lines[p.clone()];
            let kept: Vec<usize> = (0..page.len())
                .filter(|i| !page[*i].text.trim().is_empty())
                .collect();
            let vlines: Vec<_> = kept
                .iter()
                .map(|&i| layout::text::vline(&page[i].text.replace('\u{c}', " "), p.start + i))
                .collect();
            for f in layout::borderless::find(&vlines, Origin::LayoutText) {
                spans.push((
                    p.start + kept[f.lines.start],
                    p.start + kept[f.lines.end - 1],
                ));
                tables.push(f);
                table_pages.push(pi);
            }
        }
        layout::borderless::stitch(&mut tables, &table_pages);
        let mut out = Vec::with_capacity(lines.len());
        let mut i = 0;
        let mut next = tables.iter().zip(&spans).peekable();
        while i < lines.len() {
            match next.peek() {
                Some((_, (first, last))) if *first == i => {
                    let last = *last;
                    if let Some((f, _)) = next.next() {
                        for r in 0..f.grid.rows {
                            let bbox = f.grid.row_boxes.get(r).copied().unwrap_or_default();
                            let row = layout::text::row_of(bbox).min(lines.len() - 1);
                            let origin = lines[row].origin.clone();
                            out.push(match f.row_line(r) {
                                layout::borderless::RowLine::Cells(entries) => {
                                    let cells = entries
                                        .into_iter()
                                        .map(|(text, b)| LineCell {
                                            text,
                                            origin: b.and_then(|b| source_of(&lines, b)),
                                        })
                                        .collect();
                                    Line::row(cells, origin)
                                }
                                layout::borderless::RowLine::Text(text) => Line {
                                    text,
                                    origin,
                                    cells: Vec::new(),
                                },
                            });
                        }
                    }
                    i = last + 1;
                }
                _ => {
                    out.push(lines[i].clone());
                    i += 1;
                }
            }
        }
        out
    }

    #[test]
    fn layout_tables_read_the_corpus_as_the_reference() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let Ok(bytes) = std::fs::read(entry.path().join("rendered-layout.txt")) else {
                continue;
            };
            let (text, _) = decode(&bytes);
            // wide characters before the columns: cells past a line's multi-byte chars
            let text = text.replacen(' ', "\u{3000}é", 3);
            for text in [text.clone(), text.replace('\u{c}', "")] {
                let lines = lines_of(&text);
                assert_eq!(layout_tables(lines.clone()), layout_tables_reference(lines));
            }
            seen += 1;
        }
        assert!(seen > 0, "no layout text in {dir}");
    }
}
