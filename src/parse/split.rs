//! Fitting value tokens to a row's columns, splitting digits that ran together.
//!
//! A crawler that flattens a table prints `行政规范性文件693665` for three cells. Every way to
//! cut such a run into cells is enumerated (no leading zeros, signs only in 本年增/减
//! columns, decimals only in amount columns); the caller then keeps the cuts that satisfy
//! the template's arithmetic. Nothing is guessed here.

use super::number::value_of;
use super::values::{Slot, Token};
use crate::report::Number;
use crate::schema::ValueKind;
use compact_str::{format_compact, CompactString};

/// One cell's reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// The value, `None` for blank or dash.
    pub value: Option<Number>,
    /// The printed text of this cell.
    pub raw: CompactString,
    /// Byte offset in the normalised text.
    pub pos: usize,
    /// Whether this cell came from cutting a run of digits.
    pub from_split: bool,
    /// A unit printed with the value.
    pub unit: Option<CompactString>,
    /// A bracketed note printed after the value.
    pub note: Option<CompactString>,
    /// Whether the slot may not be a real cell (see [`Token::uncertain`]).
    pub uncertain: bool,
}

/// The readings of one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Fit {
    /// The row's cells, one reading for each. `splits` lists every reading when digits had
    /// to be cut (one entry when the cut is unique; more when it is ambiguous).
    Readings(Vec<Vec<Piece>>),
    /// The tokens cannot fill the columns: `found` slots for `expected` columns.
    Count {
        /// Value slots read.
        found: usize,
        /// Columns expected.
        expected: usize,
    },
    /// Too many possible cuts to enumerate.
    TooMany,
}

/// Longest text of one cut-out cell (sign, 12 digits, point, decimals).
const MAX_PIECE: usize = 24;

/// Most readings enumerated for one row.
pub const MAX_READINGS: usize = 5000;

/// Most enumeration steps for one row.
const ROW_STEPS: usize = 200_000;

/// Most enumeration steps for one document: a small file of many long digit runs must not
/// take seconds. [`parse`](super::parse) resets it per document.
pub const DOCUMENT_STEPS: usize = 250_000;

thread_local! {
    /// Steps left for the document being parsed on this thread, and whether it ran out.
    static STEPS_LEFT: std::cell::Cell<usize> = const { std::cell::Cell::new(DOCUMENT_STEPS) };
    static STEPS_OUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Starts a document: the full [`DOCUMENT_STEPS`] budget for cutting digits.
pub fn reset_document_budget() {
    STEPS_LEFT.with(|s| s.set(DOCUMENT_STEPS));
    STEPS_OUT.with(|s| s.set(false));
}

/// Whether the document's budget for cutting digits ran out (some row was left uncut).
pub fn document_budget_ran_out() -> bool {
    STEPS_OUT.with(std::cell::Cell::get)
}

fn piece_of(t: &Token) -> Piece {
    match &t.slot {
        Slot::Number { digits, unit, note } => Piece {
            value: value_of(digits),
            raw: t.raw.clone(),
            pos: t.pos,
            from_split: false,
            unit: unit.clone(),
            note: note.clone(),
            uncertain: t.uncertain,
        },
        Slot::Blank | Slot::Mark(_) => Piece {
            value: None,
            raw: t.raw.clone(),
            pos: t.pos,
            from_split: false,
            unit: None,
            note: None,
            uncertain: t.uncertain,
        },
    }
}

/// Whether `s` can be one cell of kind `kind` when cut out of a run.
fn valid_piece(s: &str, kind: ValueKind) -> bool {
    if s == "-" {
        return true; // a dash: an empty cell
    }
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    if neg && kind != ValueKind::Change {
        return false;
    }
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() || int.len() > 12 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if int.len() > 1 && int.starts_with('0') {
        return false;
    }
    if neg && int == "0" && frac.is_none() {
        return false;
    }
    match frac {
        None => true,
        Some(f) => {
            kind == ValueKind::Amount && !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

/// When cutting runs of digits into several cells is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cut {
    /// Only when the row's values are one unbroken run (a crawler glued every cell together).
    /// For rows without arithmetic to confirm a cut: separate numbers with a cell missing
    /// between them must not be cut to make up the count.
    SingleRun,
    /// Any token may be cut; the caller keeps only cuts its arithmetic confirms.
    Any,
}

/// Fits tokens to columns of the given kinds.
pub fn fit(tokens: &[Token], kinds: &[ValueKind], cut: Cut) -> Fit {
    let n = kinds.len();
    let mut toks: &[Token] = tokens;
    if toks.len() > n {
        // Blank slots beyond the columns: at the end they are padding (markdown converters),
        // at the start they are label columns of a grid (an empty sub-label cell). When
        // both ends could absorb them, the cells cannot be placed.
        let excess = toks.len() - n;
        let lead = toks.iter().take_while(|t| t.slot == Slot::Blank).count();
        let trail = toks
            .iter()
            .rev()
            .take_while(|t| t.slot == Slot::Blank || t.uncertain)
            .count();
        if excess <= trail && excess > lead {
            toks = &toks[..n];
        } else if excess <= lead && excess > trail {
            toks = &toks[excess..];
        }
    }
    if toks.len() == n {
        return Fit::Readings(vec![toks.iter().map(piece_of).collect()]);
    }
    let can_grow: usize = toks.iter().map(most_cells).sum();
    // a run longer than the columns left could ever hold cannot be cut into them
    let too_long = toks
        .iter()
        .any(|t| t.splittable && t.raw.len() > MAX_PIECE * n);
    let allowed = match cut {
        Cut::SingleRun => toks.len() == 1,
        Cut::Any => true,
    };
    if toks.len() > n || can_grow < n || too_long || !allowed {
        return Fit::Count {
            found: toks.len(),
            expected: n,
        };
    }
    let mut out = Vec::new();
    let mut cur = Vec::with_capacity(n);
    let left = STEPS_LEFT.with(std::cell::Cell::get);
    let start = ROW_STEPS.min(left);
    let mut budget = start;
    let done = enumerate(toks, kinds, &mut cur, &mut out, &mut budget);
    STEPS_LEFT.with(|s| s.set(left - (start - budget)));
    if !done {
        if budget == 0 && start < ROW_STEPS {
            STEPS_OUT.with(|s| s.set(true));
        }
        return Fit::TooMany;
    }
    if out.is_empty() {
        return Fit::Count {
            found: toks.len(),
            expected: n,
        };
    }
    Fit::Readings(out)
}

/// Depth-first enumeration of cuts; `false` when the budget ran out.
fn enumerate(
    toks: &[Token],
    kinds: &[ValueKind],
    cur: &mut Vec<Piece>,
    out: &mut Vec<Vec<Piece>>,
    budget: &mut usize,
) -> bool {
    if *budget == 0 || out.len() >= MAX_READINGS {
        return false;
    }
    *budget -= 1;
    let col = cur.len();
    let Some(t) = toks.first() else {
        if col == kinds.len() {
            out.push(cur.clone());
        }
        return true;
    };
    let left_cols = kinds.len().saturating_sub(col);
    // each remaining token needs at least one column
    if left_cols < toks.len() {
        return true;
    }
    if !t.splittable {
        cur.push(piece_of(t));
        let ok = enumerate(&toks[1..], kinds, cur, out, budget);
        cur.pop();
        return ok;
    }
    let (digits, unit) = match &t.slot {
        Slot::Number { digits, unit, .. } => (digits.as_str(), unit.clone()),
        _ => (t.raw.as_str(), None),
    };
    let max_cells = left_cols - (toks.len() - 1);
    let later = toks[1..].iter().map(most_cells).sum();
    cut(
        digits,
        0,
        t,
        unit.as_deref(),
        kinds,
        col,
        max_cells,
        later,
        cur,
        &mut |cur, budget| enumerate(&toks[1..], kinds, cur, out, budget),
        budget,
    )
}

/// An upper bound on the cells one token can fill: one per char of a run that may be cut
/// (its digits, and any unit printed with them), one for any other token.
fn most_cells(t: &Token) -> usize {
    if t.splittable {
        t.raw.chars().count()
    } else {
        1
    }
}

/// Cuts `run[from..]` into pieces for columns starting at `col`, at most `max_cells` pieces,
/// calling `then` for each complete cut. `later` bounds the cells the tokens after this run
/// can fill: a cut that leaves more columns than the rest could ever fill is not followed
/// (it could never complete a reading, and a 17-digit run cut for 15 columns would
/// otherwise walk thousands of such dead ends).
#[allow(clippy::too_many_arguments)]
fn cut(
    run: &str,
    from: usize,
    t: &Token,
    unit: Option<&str>,
    kinds: &[ValueKind],
    col: usize,
    max_cells: usize,
    later: usize,
    cur: &mut Vec<Piece>,
    then: &mut dyn FnMut(&mut Vec<Piece>, &mut usize) -> bool,
    budget: &mut usize,
) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some(&kind) = kinds.get(col) else {
        return true;
    };
    let rest = &run[from..];
    // a cell holds at most MAX_PIECE chars, so only the first few cut points can work
    let ends = rest
        .char_indices()
        .take(MAX_PIECE)
        .map(|(i, c)| i + c.len_utf8());
    for end in ends {
        let piece = &rest[..end];
        let is_last = from + end == run.len();
        if !is_last && max_cells <= 1 {
            continue;
        }
        // columns left after this piece against the most the rest could fill
        if kinds.len() - (col + 1) > run.len() - (from + end) + later {
            continue;
        }
        if !valid_piece(piece, kind) {
            continue;
        }
        let raw = if is_last {
            format_compact!("{piece}{}", unit.unwrap_or(""))
        } else {
            CompactString::from(piece)
        };
        cur.push(Piece {
            value: if piece == "-" { None } else { value_of(piece) },
            raw,
            pos: t.pos + from,
            from_split: true,
            unit: if is_last {
                unit.map(CompactString::from)
            } else {
                None
            },
            note: None,
            uncertain: false,
        });
        let ok = if is_last {
            then(cur, budget)
        } else {
            cut(
                run,
                from + end,
                t,
                unit,
                kinds,
                col + 1,
                max_cells - 1,
                later,
                cur,
                then,
                budget,
            )
        };
        cur.pop();
        if !ok {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::values::free_tokens;
    use ValueKind::{Amount, Change, Count};

    fn readings(text: &str, kinds: &[ValueKind]) -> Vec<String> {
        let (toks, _) = free_tokens(text, 0, 0);
        match fit(&toks, kinds, Cut::Any) {
            Fit::Readings(r) => r
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|p| p.value.map_or("-".to_string(), |v| v.to_string()))
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .collect(),
            other => vec![format!("{other:?}")],
        }
    }

    #[test]
    fn unique_and_ambiguous_cuts() {
        assert_eq!(readings("000", &[Count; 3]), vec!["0/0/0"]);
        let mut r = readings("2025", &[Count; 3]);
        r.sort();
        assert_eq!(r, vec!["2/0/25", "20/2/5"]);
        assert_eq!(readings("0 0 0 0 0 00", &[Count; 7]), vec!["0/0/0/0/0/0/0"]);
        let r = readings("1-10", &[Count, Change, Count]);
        assert!(r.contains(&"1/-1/0".to_string()) && r.contains(&"1/-/10".to_string()));
        let r = readings("1973601627.4元", &[Count, Amount]);
        assert!(r.contains(&"197/3601627.4".to_string()));
        assert!(r.len() > 1);
    }

    #[test]
    fn counts_that_cannot_fit() {
        assert_eq!(
            readings("1 2", &[Count; 3]),
            vec![format!(
                "{:?}",
                Fit::Count {
                    found: 2,
                    expected: 3
                }
            )]
        );
        assert_eq!(
            readings("1 2 3 4", &[Count; 3]),
            vec![format!(
                "{:?}",
                Fit::Count {
                    found: 4,
                    expected: 3
                }
            )]
        );
    }

    /// Every cut by definition: each splittable token cut into valid pieces in every way, no
    /// pruning and no budget, in the same depth-first order as `fit`.
    fn all_cuts(toks: &[Token], kinds: &[ValueKind], cur: &mut Vec<String>, out: &mut Vec<String>) {
        let col = cur.len();
        let Some(t) = toks.first() else {
            if col == kinds.len() {
                out.push(cur.join("/"));
            }
            return;
        };
        if !t.splittable {
            cur.push(t.raw.to_string());
            all_cuts(&toks[1..], kinds, cur, out);
            cur.pop();
            return;
        }
        let digits = match &t.slot {
            Slot::Number { digits, .. } => digits.to_string(),
            _ => t.raw.to_string(),
        };
        fn rec(
            run: &str,
            from: usize,
            toks: &[Token],
            kinds: &[ValueKind],
            cur: &mut Vec<String>,
            out: &mut Vec<String>,
        ) {
            let Some(&kind) = kinds.get(cur.len()) else {
                return;
            };
            for (i, c) in run[from..].char_indices() {
                let end = from + i + c.len_utf8();
                let piece = &run[from..end];
                if !valid_piece(piece, kind) {
                    continue;
                }
                cur.push(piece.to_string());
                if end == run.len() {
                    all_cuts(&toks[1..], kinds, cur, out);
                } else {
                    rec(run, end, toks, kinds, cur, out);
                }
                cur.pop();
            }
        }
        rec(&digits, 0, toks, kinds, cur, out);
    }

    proptest::proptest! {
        /// Pruning dead ends changes nothing: `fit` finds exactly the cuts the definition
        /// gives, in the same order.
        #[test]
        fn fit_finds_every_cut(
            words in proptest::collection::vec("[0-9]{1,9}|-|[0-9]\\.[0-9]", 1..4),
            n in 1usize..9,
            change in 0usize..9,
        ) {
            let text = words.join(" ");
            let mut kinds = vec![Count; n];
            if change < n {
                kinds[change] = Change;
            }
            let (toks, _) = free_tokens(&text, 0, 0);
            reset_document_budget();
            let got: Vec<String> = match fit(&toks, &kinds, Cut::Any) {
                Fit::Readings(r) => r
                    .iter()
                    .map(|row| row.iter().map(|p| p.raw.to_string()).collect::<Vec<_>>().join("/"))
                    .collect(),
                _ => Vec::new(),
            };
            let mut want = Vec::new();
            if toks.len() == n {
                want.push(toks.iter().map(|t| t.raw.to_string()).collect::<Vec<_>>().join("/"));
            } else if toks.len() < n {
                all_cuts(&toks, &kinds, &mut Vec::new(), &mut want);
            }
            proptest::prop_assert_eq!(got, want, "{}", text);
        }
    }

    #[test]
    fn a_long_run_for_many_columns_takes_few_steps() {
        // 17 digits for 15 columns: every cut keeps at most two digits over one per cell
        let (toks, _) = free_tokens("25380363300630003", 0, 0);
        reset_document_budget();
        let Fit::Readings(r) = fit(&toks, &[Count; 15], Cut::Any) else {
            panic!("no readings")
        };
        assert!(r.iter().any(|row| {
            let v: Vec<&str> = row.iter().map(|p| p.raw.as_str()).collect();
            v.join("/") == "25/3/8/0/36/3/3/0/0/6/3/0/0/0/3"
        }));
        let used = DOCUMENT_STEPS - STEPS_LEFT.with(std::cell::Cell::get);
        assert!(used < 2_000, "{used} steps");
    }
}
