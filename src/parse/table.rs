//! Reading the template tables: rows found by their labels, values fitted to columns,
//! runs of digits cut where the template's arithmetic allows only one cut.

pub use super::area::{Area, TableText};
use super::area::{Follows, Readings};
use super::labels::{find_all, Hit, Pattern};
use super::split::{fit, Cut, Fit, Piece};
use super::values::{cell_tokens, free_tokens, Slot, Token};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::normalize::{NormDoc, NormLine};
use crate::report::{checked_sum, Cell, Number, Row, Table};
use crate::schema::{self, RowSpec, ValueKind};
use crate::script::is_cn_numeral;
use std::rc::Rc;

/// Most label-tail ideographs skipped before a row's first value.
const MAX_LEAD: usize = 6;

/// What was read for one row, before arithmetic picks among cuts.
#[derive(Debug, Clone)]
pub struct RowRead {
    /// The row's spec.
    pub spec: &'static RowSpec,
    /// The label as printed and its byte offset, when found.
    pub label: Option<(String, usize)>,
    /// The possible readings (empty when none could be made), shared with the table's memo
    /// until a filter drops one.
    pub readings: Rc<Vec<Vec<Piece>>>,
    /// Why there is no reading, when there is none.
    pub problem: Option<Diagnostic>,
}

/// What follows the label occurrence `hit` in the table: read only when the choice of a
/// row's occurrence looks at it (most rows take their first occurrence, and reading every
/// one's values dominated), once for every template version tried.
fn follows(doc: &NormDoc, table: &TableText, hit: &Hit) -> Follows {
    table.follows(hit, || {
        let compact = &table.view;
        let (from, to) = (compact.byte(hit.start), compact.byte_end(hit.end));
        let mut tokens = values_inside(doc, from, to);
        // A candidate's values only decide whether it is followed by values:
        // a look of CANDIDATE_LOOK bytes keeps a long line of many label
        // occurrences linear (each one read the rest of the line).
        let look = char_floor(&doc.text, to.saturating_add(CANDIDATE_LOOK));
        tokens.extend(tokens_after(doc, to, table.area.end.min(look)));
        Follows {
            values: !tokens.is_empty(),
            numbers: has_numbers(&tokens),
        }
    })
}

/// Where a numbering (`(三)`, `四、`, `2.`) that ends `s` (but for white space) starts.
/// Stands in for the regex kept in the tests (compiling it cost a cold start more than
/// the scan it did).
fn numbering_at_end(s: &str) -> Option<usize> {
    let t = s.trim_end_matches(char::is_whitespace);
    let mut back = t.char_indices().rev();
    let (last_at, last) = back.next()?;
    // the start of the run of 1–2 numerals ending just before `end`
    let numerals_before = |end: usize| {
        let run: Vec<usize> = t[..end]
            .char_indices()
            .rev()
            .take(2)
            .take_while(|&(_, c)| is_cn_numeral(c))
            .map(|(i, _)| i)
            .collect();
        run.last().copied()
    };
    match last {
        ')' => {
            let start = numerals_before(last_at)?;
            t[..start].ends_with('(').then(|| start - 1)
        }
        '.' | '、' => {
            let (prev_at, prev) = back.next()?;
            if prev.is_ascii_digit() {
                Some(prev_at)
            } else if last == '、' {
                numerals_before(last_at)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Moves `limit` back over the numbering (`2.`, `(三)`, `四、`) of the label that starts
/// there, so `00000002.重复申请` leaves `0000000` to the row before.
fn strip_numbering(text: &str, from: usize, limit: usize) -> usize {
    match text.get(from..limit).and_then(numbering_at_end) {
        Some(start) => from + start,
        None => limit,
    }
}

/// The cells of table row `line` from index `from` on that start before byte `stop` (a
/// blank last cell at the row's end too), as value slots; a cell cut by `stop` is read up
/// to it.
fn row_tokens(doc: &NormDoc, line: &NormLine, from: usize, stop: usize) -> Vec<Token> {
    let cells: Vec<(usize, &str)> = line
        .cells
        .get(from..)
        .unwrap_or(&[])
        .iter()
        .take_while(|c| c.start < stop || (c.start == c.end && c.start == line.end))
        .map(|c| {
            (
                c.start,
                doc.text.get(c.start..c.end.min(stop)).unwrap_or(""),
            )
        })
        .collect();
    let padded = doc.markdown && from + cells.len() == line.cells.len();
    cell_tokens(&cells, padded)
}

/// Reads the values after a label ending at byte `end` (exclusive) up to `limit`.
fn tokens_after(doc: &NormDoc, end: usize, limit: usize) -> Vec<Token> {
    let text = &doc.text;
    let limit = limit.min(text.len());
    if end >= limit {
        return Vec::new();
    }
    let in_row = doc
        .line_index(end)
        .and_then(|i| doc.lines.get(i))
        .filter(|l| l.is_row() && end < l.end);
    if let Some(line) = in_row {
        // the label's cell holds `end`: the values are in the cells after it
        let from = line.cells.partition_point(|c| c.start < end);
        return row_tokens(doc, line, from, line.end.min(limit));
    }
    // free text stops where a table row begins: those cells belong to their own label
    let limit = doc
        .next_row_line(end)
        .filter(|s| *s < limit)
        .unwrap_or(limit);
    free_tokens(&text[end..limit], end, MAX_LEAD).0
}

/// Values printed inside a label's span: a layout extractor puts a row's numbers on the
/// middle line of a label wrapped over three lines (`1.本机关不掌 / 握相关政府  22 0 … / 信息`).
/// Only white-space-separated words that are wholly a value count.
fn values_inside(doc: &NormDoc, from: usize, to: usize) -> Vec<Token> {
    let in_row = doc
        .line_index(from)
        .and_then(|i| doc.lines.get(i))
        .is_some_and(NormLine::is_row);
    let Some(span) = doc.text.get(from..to).filter(|_| !in_row) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for word in span.split_whitespace() {
        // `word` is a slice of `span`: its offset is where it starts
        let at = word.as_ptr() as usize - span.as_ptr() as usize;
        if !word.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '—' || c == '/') {
            continue;
        }
        let (toks, stop) = free_tokens(word, from + at, 0);
        // the whole word must be values (not `1.属于` or `2024年`)
        if stop == from + at + word.len() && !toks.is_empty() {
            out.extend(toks);
        }
    }
    out
}

fn has_numbers(tokens: &[Token]) -> bool {
    tokens.iter().any(|t| matches!(t.slot, Slot::Number { .. }))
}

/// Bytes after a label occurrence read to tell whether values follow it.
const CANDIDATE_LOOK: usize = 4096;

/// The largest char boundary of `text` at or before `i`.
fn char_floor(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Finds each row's label in the table and reads the values after it.
pub fn read_rows(
    doc: &NormDoc,
    table_text: &TableText,
    table: &str,
    specs: &[&'static RowSpec],
    cut: Cut,
) -> (Vec<RowRead>, Vec<Diagnostic>) {
    let (area, compact) = (table_text.area, &table_text.view);
    let mut diags = Vec::new();
    // every candidate occurrence of every row's label
    let cands: Vec<Vec<Hit>> = specs
        .iter()
        .map(|spec| {
            let mut hits: Vec<Hit> = Vec::new();
            for p in std::iter::once(&spec.label).chain(spec.aliases.iter()) {
                for &h in table_text.hits(p).iter() {
                    // keep hits sorted and apart: an alias adds only where the label did not match
                    let i = hits.partition_point(|k| k.start < h.start);
                    let clash = hits.get(i).is_some_and(|k| k.start < h.end)
                        || i.checked_sub(1)
                            .and_then(|j| hits.get(j))
                            .is_some_and(|k| k.end > h.start);
                    if !clash {
                        hits.insert(i, h);
                    }
                }
            }
            hits
        })
        .collect();
    // choose one occurrence per row: followed by values, after the previous row if possible
    let mut chosen: Vec<Option<Hit>> = vec![None; specs.len()];
    let mut after = 0usize;
    let taken = |chosen: &[Option<Hit>], h: &Hit| {
        chosen
            .iter()
            .flatten()
            .any(|k| !(h.end <= k.start || h.start >= k.end))
    };
    for (i, cs) in cands.iter().enumerate() {
        let free = |c: &&Hit| !taken(&chosen, c);
        let follows = |c: &Hit| follows(doc, table_text, c);
        let pick = cs
            .iter()
            .filter(free)
            .find(|c| c.start >= after && follows(c).numbers)
            .or_else(|| {
                cs.iter()
                    .filter(free)
                    .find(|c| c.start >= after && follows(c).values)
            })
            .or_else(|| cs.iter().filter(free).find(|c| follows(c).numbers))
            .or_else(|| cs.iter().filter(free).find(|c| c.start >= after));
        if let Some(c) = pick {
            if c.start < after && follows(c).numbers {
                diags.push(
                    Diagnostic::new(
                        Code::RowOutOfOrder,
                        Severity::Info,
                        format!(
                            "row {} printed before an earlier row of the template",
                            specs[i].key
                        ),
                    )
                    .at(doc.location_at(compact.byte(c.start))),
                );
            } else {
                after = c.end;
            }
            chosen[i] = Some(*c);
        }
    }
    // each row's values run to the next chosen label
    let mut starts: Vec<usize> = chosen
        .iter()
        .flatten()
        .map(|h| compact.byte(h.start))
        .collect();
    starts.sort_unstable();
    let mut reads: Vec<RowRead> = specs
        .iter()
        .zip(&chosen)
        .map(|(spec, hit)| {
            let Some(hit) = hit else {
                return RowRead {
                    spec,
                    label: None,
                    readings: Rc::default(),
                    problem: None,
                };
            };
            let lstart = compact.byte(hit.start);
            let lend = compact.byte_end(hit.end);
            let limit = starts
                .iter()
                .copied()
                .find(|s| *s > lstart)
                .unwrap_or(area.end);
            let limit = strip_numbering(&doc.text, lend, limit);
            let at = (lstart, lend, limit);
            let read = table_text.readings(at, spec, cut, || {
                let mut tokens = values_inside(doc, lstart, lend);
                tokens.extend(tokens_after(doc, lend, limit));
                let kinds: Vec<ValueKind> = spec.columns.iter().map(|c| c.kind).collect();
                let (readings, problem) = readings_of(&tokens, &kinds, spec.key, cut);
                // the label as printed, without the values a layout put inside it
                let label: String = doc
                    .printed(lstart, lend)
                    .chars()
                    .filter(|c| {
                        !c.is_whitespace()
                            && !crate::normalize::width::fold_char(*c).is_ascii_digit()
                    })
                    .collect();
                Readings {
                    label,
                    readings: Rc::new(readings),
                    problem: problem.map(|d| d.at(doc.location_at(lstart))),
                }
            });
            RowRead {
                spec,
                label: Some((read.label.clone(), lstart)),
                readings: read.readings.clone(),
                problem: read.problem.clone(),
            }
        })
        .collect();
    let starts: Vec<Option<usize>> = chosen
        .iter()
        .map(|h| h.map(|h| compact.byte(h.start)))
        .collect();
    place_by_position(doc, table, &starts, &mut reads, cut, &mut diags);
    (reads, diags)
}

/// The last text cell of a table row before its first number, and its index: the row's
/// label, however damaged.
fn label_cell(doc: &NormDoc, line: &NormLine) -> Option<(String, usize)> {
    let mut label = None;
    for (k, c) in line.cells.iter().enumerate() {
        let t = doc.text.get(c.start..c.end).unwrap_or("").trim();
        if t.is_empty() {
            continue;
        }
        if super::number::cell(t).is_some() {
            break;
        }
        label = Some((t.to_string(), k));
    }
    label
}

/// Rows whose label was not recognised (print or OCR damaged it: `3.危及“三安全--稳证，`)
/// are taken from their place in a ruled table: between the nearest rows before and after
/// them that were found, the table rows with values that hold no found label, when there
/// are exactly as many as rows missing there. Each such row is warned about, naming its
/// cells, and the arithmetic still checks its values.
fn place_by_position(
    doc: &NormDoc,
    table: &str,
    starts: &[Option<usize>],
    reads: &mut [RowRead],
    cut: Cut,
    diags: &mut Vec<Diagnostic>,
) {
    let mut i = 0;
    while i < reads.len() {
        if starts[i].is_some() {
            i += 1;
            continue;
        }
        let gap_start = i;
        while i < reads.len() && starts[i].is_none() {
            i += 1;
        }
        let (Some(before), Some(after)) = (
            gap_start.checked_sub(1).and_then(|j| starts[j]),
            starts.get(i).copied().flatten(),
        ) else {
            continue;
        };
        let (Some(lb), Some(la)) = (doc.line_index(before), doc.line_index(after)) else {
            continue;
        };
        if lb >= la {
            continue;
        }
        let found_on = |l: &crate::normalize::NormLine| {
            starts.iter().flatten().any(|&s| l.start <= s && s <= l.end)
        };
        let lines: Vec<(usize, String, Vec<Token>)> = (lb + 1..la)
            .filter_map(|k| {
                let l = doc.lines.get(k)?;
                if !l.is_row() || found_on(l) {
                    return None;
                }
                let (label, k) = label_cell(doc, l)?;
                let toks = row_tokens(doc, l, k + 1, l.end);
                has_numbers(&toks).then_some((l.start, label, toks))
            })
            .collect();
        if lines.len() != i - gap_start {
            continue;
        }
        let prev_key = reads[gap_start - 1].spec.key;
        let next_key = reads[i].spec.key;
        for (read, (start, printed, toks)) in reads[gap_start..i].iter_mut().zip(lines) {
            let kinds: Vec<ValueKind> = read.spec.columns.iter().map(|c| c.kind).collect();
            let (readings, problem) = readings_of(&toks, &kinds, read.spec.key, cut);
            let cells = read.spec.cell_keys(table);
            diags.push(
                Diagnostic::new(
                    Code::RowByPosition,
                    Severity::Warning,
                    format!(
                        "row {}: label printed as {printed:?} not recognised; taken from its \
                         place among the rows with values between {prev_key} and {next_key}",
                        read.spec.key
                    ),
                )
                .at(doc.location_at(start))
                .with_cells(cells),
            );
            read.label = Some((printed, start));
            read.readings = Rc::new(readings);
            read.problem = problem.map(|d| d.at(doc.location_at(start)));
        }
    }
}

/// Every reading of tokens as a row of `kinds`, or the problem.
pub fn readings_of(
    tokens: &[Token],
    kinds: &[ValueKind],
    row: &str,
    cut: Cut,
) -> (Vec<Vec<Piece>>, Option<Diagnostic>) {
    match fit(tokens, kinds, cut) {
        Fit::Readings(r) => (r, None),
        Fit::Count { found, expected } => (
            Vec::new(),
            Some(Diagnostic::new(
                Code::CellCount,
                Severity::Warning,
                if found == 0 {
                    format!("row {row}: no values printed after its label; cells left null")
                } else {
                    format!("row {row}: {found} values for {expected} columns ({}); cells left null", preview(tokens))
                },
            )),
        ),
        Fit::TooMany => (
            Vec::new(),
            Some(Diagnostic::new(
                Code::SplitAmbiguous,
                Severity::Warning,
                format!("row {row}: digits '{}' can be cut into cells in too many ways; cells left null", preview(tokens)),
            )),
        ),
    }
}

fn preview(tokens: &[Token]) -> String {
    let s: Vec<&str> = tokens
        .iter()
        .map(|t| {
            if t.raw.is_empty() {
                "□"
            } else {
                t.raw.as_str()
            }
        })
        .collect();
    s.join(" ")
}

/// Sum check used to choose among cuts: `sum(parts) == total`, blank as 0.
pub fn sums_to(parts: &[Option<Number>], total: Option<Number>) -> bool {
    let sum = checked_sum(parts.iter().flatten().map(|n| n.as_decimal()));
    sum.is_some() && sum == Some(total.map_or(rust_decimal::Decimal::ZERO, Number::as_decimal))
}

/// Keeps the readings that satisfy `ok`. A reading made by cutting run-together digits is
/// believed only when the arithmetic confirms it; a reading of the cells as printed (no cut)
/// stays either way, its breaks being the check stage's to report. Returns `false` when
/// there were readings and none survived.
pub fn retain_readings(
    readings: &mut Vec<Vec<Piece>>,
    ok: impl Fn(&[Option<Number>]) -> bool,
) -> bool {
    if readings.is_empty() {
        return true;
    }
    readings.retain(|r| believed(r, &ok));
    !readings.is_empty()
}

/// [`retain_readings`] on a row's shared list (see [`keep_readings`]).
pub fn filter_readings(
    readings: &mut Rc<Vec<Vec<Piece>>>,
    ok: impl Fn(&[Option<Number>]) -> bool,
) -> bool {
    if readings.is_empty() {
        return true;
    }
    let keep: Vec<bool> = readings.iter().map(|r| believed(r, &ok)).collect();
    keep_readings(readings, &keep);
    !readings.is_empty()
}

/// Drops the readings whose place in `keep` is false. The list is shared with the table's
/// memo (for each template version tried) and is copied out of it only when one goes.
pub fn keep_readings(readings: &mut Rc<Vec<Vec<Piece>>>, keep: &[bool]) {
    if !keep.contains(&false) {
        return;
    }
    let mut keep = keep.iter();
    Rc::make_mut(readings).retain(|_| keep.next().copied().unwrap_or(true));
}

/// Whether a reading stands: printed as it is, or cut and confirmed by `ok`.
fn believed(reading: &[Piece], ok: &impl Fn(&[Option<Number>]) -> bool) -> bool {
    !reading.iter().any(|p| p.from_split)
        || ok(&reading.iter().map(|p| p.value).collect::<Vec<_>>())
}

/// The warning for a row whose digits could be cut into cells only against the arithmetic.
pub fn no_cut_fits(row: &str) -> Diagnostic {
    Diagnostic::new(
        Code::SplitAmbiguous,
        Severity::Warning,
        format!("row {row}: the values are not cleanly separated and no way to cut them into cells adds up; cells left null"),
    )
}

fn describe(r: &[Piece]) -> String {
    r.iter()
        .map(|p| {
            if p.raw.is_empty() {
                "□"
            } else {
                p.raw.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Turns the final readings of a row into cells and diagnostics.
pub fn settle(
    doc: &NormDoc,
    table_key: &str,
    read: &RowRead,
    row: &mut Row,
    diags: &mut Vec<Diagnostic>,
) {
    let key_of = |col: &str| read.spec.cell_key(table_key, col);
    // the row's cell keys, made only for a diagnostic
    let all_keys = || read.spec.cell_keys(table_key);
    row.label = read.label.as_ref().map(|(p, _)| p.clone());
    let label_loc = read
        .label
        .as_ref()
        .and_then(|(_, pos)| doc.location_at(*pos));
    if read.label.is_none() {
        diags.push(
            Diagnostic::new(
                Code::RowMissing,
                Severity::Warning,
                format!(
                    "row {}.{} ({}) not found; its cells are null",
                    table_key, read.spec.key, read.spec.label
                ),
            )
            .with_cells(all_keys()),
        );
        return;
    }
    if let Some(p) = &read.problem {
        diags.push(p.clone().with_cells(all_keys()));
        return;
    }
    let Some(first) = read.readings.first() else {
        // no reading and no recorded reason: still never a silent null
        diags.push(
            Diagnostic::new(
                Code::CellCount,
                Severity::Warning,
                format!(
                    "row {}: values could not be read; cells left null",
                    read.spec.key
                ),
            )
            .at(label_loc)
            .with_cells(all_keys()),
        );
        return;
    };
    let unique = read.readings.len() == 1;
    let mut undetermined = Vec::new();
    let mut unsure = Vec::new();
    for (ci, (col, cell)) in row.cells.iter_mut().enumerate() {
        let Some(p) = first.get(ci) else { continue };
        let agreed = read.readings.iter().all(|r| {
            r.get(ci)
                .is_some_and(|q| q.raw == p.raw && q.value == p.value)
        });
        if !agreed {
            undetermined.push(key_of(col));
            *cell = Cell {
                value: None,
                raw: None,
                location: label_loc.clone(),
            };
            continue;
        }
        if p.uncertain {
            unsure.push(key_of(col));
            *cell = Cell {
                value: None,
                raw: None,
                location: doc.location_at(p.pos),
            };
            continue;
        }
        *cell = Cell {
            value: p.value,
            raw: Some(p.raw.to_string()),
            location: doc.location_at(p.pos),
        };
        let spec_kind = read.spec.columns.get(ci).map(|c| c.kind);
        check_piece(p, spec_kind, || key_of(col), doc, diags);
    }
    if !unsure.is_empty() {
        diags.push(
            Diagnostic::new(
                Code::CellMissing,
                Severity::Warning,
                format!("row {}: the last cell is empty in a markdown row, which converters also pad with; cell left unread", read.spec.key),
            )
            .at(label_loc.clone())
            .with_cells(unsure.clone()),
        );
    }
    let blanks: Vec<String> = row
        .cells
        .iter()
        .filter(|(c, cell)| {
            // a key is made only when there is a list to look it up in
            cell.value.is_none()
                && cell.raw.is_some()
                && (undetermined.is_empty() || !undetermined.contains(&key_of(c)))
                && (unsure.is_empty() || !unsure.contains(&key_of(c)))
        })
        .map(|(c, _)| key_of(c))
        .collect();
    if !blanks.is_empty() {
        diags.push(
            Diagnostic::new(
                Code::CellMissing,
                Severity::Info,
                format!(
                    "row {}: {} cell(s) printed blank or as a dash; left null",
                    read.spec.key,
                    blanks.len()
                ),
            )
            .at(label_loc.clone())
            .with_cells(blanks),
        );
    }
    let split_keys: Vec<String> = first
        .iter()
        .zip(read.spec.columns)
        .filter(|(p, _)| p.from_split)
        .map(|(_, c)| key_of(c.key))
        .filter(|k| !undetermined.contains(k))
        .collect();
    if !undetermined.is_empty() {
        let shown: Vec<String> = read.readings.iter().take(4).map(|r| describe(r)).collect();
        diags.push(
            Diagnostic::new(
                Code::SplitAmbiguous,
                Severity::Warning,
                format!(
                    "row {}: digits run together and can be cut {} ways that fit the columns and the arithmetic ({}{}); cells left null",
                    read.spec.key,
                    read.readings.len(),
                    shown.join(", "),
                    if read.readings.len() > 4 { ", …" } else { "" }
                ),
            )
            .at(label_loc.clone())
            .with_cells(undetermined),
        );
    }
    let confirmed = schema::TABLES
        .iter()
        .any(|t| t.key == table_key && t.has_identities);
    if !split_keys.is_empty() {
        // Without identities a cut is only the one that fits the column count: a guess the
        // user must check, so it is a warning.
        let severity = if confirmed {
            Severity::Info
        } else {
            Severity::Warning
        };
        let msg = if unique && confirmed {
            format!(
                "row {}: digits cut as {}: the only cut that fits the columns and the arithmetic",
                read.spec.key,
                describe(first)
            )
        } else if unique {
            format!(
                "row {}: digits run together, cut as {}: the only cut that fits the columns; no arithmetic in this table confirms it, check against the source",
                read.spec.key,
                describe(first)
            )
        } else {
            format!(
                "row {}: these cells read the same in every cut that fits",
                read.spec.key
            )
        };
        diags.push(
            Diagnostic::new(Code::SplitInferred, severity, msg)
                .at(label_loc)
                .with_cells(split_keys),
        );
    }
}

/// Diagnostics about one cell's printed form: units, notes, invalid values.
fn check_piece(
    p: &Piece,
    kind: Option<ValueKind>,
    key: impl Fn() -> String,
    doc: &NormDoc,
    diags: &mut Vec<Diagnostic>,
) {
    // located only for a diagnostic: most cells have none
    let loc = || doc.location_at(p.pos);
    if let (Some(u), Some(ValueKind::Amount)) = (&p.unit, kind) {
        if u != "万元" {
            let key = key();
            diags.push(
                Diagnostic::new(
                    Code::UnitMismatch,
                    Severity::Warning,
                    format!(
                        "{key} printed in {u} ('{}') in a 万元 column; value kept as printed",
                        p.raw
                    ),
                )
                .at(loc())
                .with_cells([key]),
            );
        }
    }
    if let Some(note) = &p.note {
        let key = key();
        diags.push(
            Diagnostic::new(
                Code::ValueNote,
                Severity::Info,
                format!("{key}: note after the number ignored: '{note}'"),
            )
            .at(loc())
            .with_cells([key]),
        );
    }
    match (p.value, kind) {
        (Some(Number::Decimal(_)), Some(ValueKind::Count | ValueKind::Change)) => diags.push({
            let key = key();
            Diagnostic::new(
                Code::ValueInvalid,
                Severity::Warning,
                format!(
                    "{key}: '{}' is not a whole number in a count column; kept as printed",
                    p.raw
                ),
            )
            .at(loc())
            .with_cells([key])
        }),
        (Some(Number::Int(i)), Some(ValueKind::Count)) if i < 0 => diags.push({
            let key = key();
            Diagnostic::new(
                Code::ValueInvalid,
                Severity::Warning,
                format!(
                    "{key}: negative '{}' in a count column; kept as printed",
                    p.raw
                ),
            )
            .at(loc())
            .with_cells([key])
        }),
        _ => {}
    }
}

/// Builds a table of the given rows from their reads.
pub fn build(
    doc: &NormDoc,
    table_key: &str,
    reads: &[RowRead],
    diags: &mut Vec<Diagnostic>,
) -> Table {
    let mut table = Table {
        rows: reads.iter().map(|r| Row::from_spec(r.spec)).collect(),
    };
    for (read, row) in reads.iter().zip(table.rows.iter_mut()) {
        settle(doc, table_key, read, row, diags);
    }
    table
}

/// Words of table 四's header; its values follow the last of them.
const REVIEW_HEADER: &[&str] = &["总计", "审结", "结果", "维持", "纠正", "起诉", "复议"];

/// Reads table 四's single row of 15 values from its area: explicit table rows of values
/// when there are any, else the values after the header's last word.
pub fn review_tokens(doc: &NormDoc, table: &TableText, anchored: bool) -> Vec<Token> {
    let text = &doc.text;
    let (area, compact) = (table.area, &table.view);
    let header_end = REVIEW_HEADER
        .iter()
        .flat_map(|w| find_all(compact, &Pattern::new(w), 0, compact.chars.len()))
        .map(|h| compact.byte_end(h.end))
        .max();
    // without its section heading, the table is only believed after its header words
    let from = match (anchored, header_end) {
        (true, _) => area.start,
        (false, Some(e)) => e,
        (false, None) => return Vec::new(),
    };
    let mut lines: Vec<Vec<Token>> = Vec::new();
    for l in doc
        .lines
        .iter()
        .filter(|l| l.is_row() && l.start >= from && l.end <= area.end)
    {
        let toks = row_tokens(doc, l, 0, l.end);
        if toks.len() == l.cells.len() && has_numbers(&toks) {
            lines.push(toks);
        }
    }
    if !lines.is_empty() {
        let total: usize = lines.iter().map(Vec::len).sum();
        if total != 15 {
            if let Some(last) = lines.iter().rev().find(|l| l.len() == 15) {
                return last.clone();
            }
        }
        return lines.concat();
    }
    let from = header_end.unwrap_or(area.start);
    let toks = free_tokens(&text[from..area.end], from, MAX_LEAD).0;
    if !toks.is_empty() {
        return toks;
    }
    // A header whose words are wrapped apart (`结果维` / `持`) is not found as words: the
    // values start on the first line that holds nothing but numbers.
    let numeric_line = doc
        .lines
        .iter()
        .filter(|l| l.start >= from && l.end <= area.end)
        .find(|l| {
            let words: Vec<&str> = text[l.start..l.end].split_whitespace().collect();
            words.len() >= 5
                && words.iter().all(|w| {
                    w.chars()
                        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
                })
        });
    match numeric_line {
        Some(l) => free_tokens(&text[l.start..area.end], l.start, MAX_LEAD).0,
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    /// The regex [`numbering_at_end`] stands in for.
    fn numbering_at_end_by_regex(s: &str) -> Option<usize> {
        static RE: LazyLock<regex::Regex> = LazyLock::new(|| {
            regex::Regex::new(
                r"(?:\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}、|[0-9][.、])\s*$",
            )
            .expect("static regex")
        });
        RE.find(s).map(|m| m.start())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn numbering_at_end_matches_the_regex(parts in proptest::collection::vec(proptest::sample::select(vec![
            "(", ")", "（", "一", "二", "十", "、", ".", "1", "0", "９", " ", "\n", "\u{3000}", "a", "申请",
        ]), 0..10)) {
            let s: String = parts.concat();
            prop_assert_eq!(numbering_at_end(&s), numbering_at_end_by_regex(&s), "{:?}", s);
        }
    }

    #[test]
    fn numberings_at_the_end() {
        assert_eq!(numbering_at_end("000(三)"), Some(3));
        assert_eq!(numbering_at_end("0一二三、 "), Some(1 + 3));
        assert_eq!(numbering_at_end("00000002."), Some(7));
        assert_eq!(numbering_at_end("(三)x"), None);
        assert_eq!(numbering_at_end("三."), None);
    }

    #[test]
    fn a_rows_label_is_its_last_text_cell_before_the_numbers() {
        use crate::extract::{Line, LineCell};
        let row = |cells: &[&str]| {
            let cells = cells
                .iter()
                .map(|t| LineCell {
                    text: t.to_string(),
                    origin: None,
                })
                .collect();
            Line::row(cells, Default::default())
        };
        let doc = crate::normalize::normalize(
            &[
                row(&["", "", "3.危及“三安全--稳证，", "0", "1"]),
                row(&["0", "1"]),
            ],
            false,
        );
        let (label, k) = label_cell(&doc, &doc.lines[0]).unwrap();
        // the label as normalised (full-width comma folded)
        assert_eq!((label.as_str(), k), ("3.危及“三安全--稳证,", 2));
        let toks = row_tokens(&doc, &doc.lines[0], k + 1, doc.lines[0].end);
        assert_eq!(
            toks.iter().map(|t| t.raw.as_str()).collect::<Vec<_>>(),
            ["0", "1"]
        );
        assert!(label_cell(&doc, &doc.lines[1]).is_none());
    }
}
