//! Finding printed labels: a white-space-free view of the text and approximate search.
//!
//! Labels are matched on a "compact" char stream that drops white space, markdown pipes and
//! quotes, so a label wrapped over three lines or split into table cells still matches.
//! Approximate matching (edit distance, Sellers' algorithm) tolerates typos and missing
//! characters in proportion to the label's length; short labels must match exactly.

use crate::normalize::width;
use std::cell::{OnceCell, RefCell};

/// Characters left out of the compact stream.
/// ASCII digits are left out too: labels hold none, and a layout extractor may print a
/// row's values in the middle of its wrapped label.
fn skipped(c: char) -> bool {
    // past U+300F nothing is white space or one of the marks below: the ideographs of a
    // report's text are settled by one comparison
    if c > '\u{300F}' {
        return false;
    }
    c.is_whitespace()
        || c.is_ascii_digit()
        || matches!(
            c,
            '|' | '#' | '*' | '`' | '“' | '”' | '‘' | '’' | '"' | '\'' | '「' | '」' | '『' | '』'
        )
}

/// The text of a byte range without white space, each char with its byte offset.
#[derive(Debug, Clone, Default)]
pub struct Compact {
    /// The kept characters.
    pub chars: Vec<char>,
    /// Byte offset in the source text of each kept character.
    pub offsets: Vec<usize>,
    /// Byte offset one past the end of the range.
    pub end_offset: usize,
    /// ASCII digits left out before each kept character (a running count).
    digits: Vec<u32>,
    /// The compact indices by char: built on first search, so the many labels searched in
    /// one area visit only the places their pieces can start.
    by_char: OnceCell<CharIndex>,
}

impl Compact {
    /// Builds the compact stream of `text[range]`.
    pub fn new(text: &str, start: usize, end: usize) -> Compact {
        let mut c = Compact {
            end_offset: end,
            ..Compact::default()
        };
        if let Some(slice) = text.get(start..end) {
            // one reservation instead of a dozen doublings, each a copy (chars ≤ bytes;
            // report text is mostly three-byte ideographs)
            let guess = slice.len() / 2;
            c.chars.reserve(guess);
            c.offsets.reserve(guess);
            c.digits.reserve(guess);
            let mut digits = 0u32;
            for (i, ch) in slice.char_indices() {
                if !skipped(ch) {
                    c.chars.push(ch);
                    c.offsets.push(start + i);
                    c.digits.push(digits);
                } else if ch.is_ascii_digit() {
                    digits += 1;
                }
            }
        }
        c
    }

    /// The compact indices in `[from, to)` holding `c`, in order.
    fn positions(&self, c: char, from: usize, to: usize) -> impl Iterator<Item = usize> + '_ {
        let index = self.by_char.get_or_init(|| CharIndex::new(&self.chars));
        let in_bucket = index.bucket(c);
        let lo = in_bucket.partition_point(|&i| (i as usize) < from);
        let hi = in_bucket.partition_point(|&i| (i as usize) < to);
        in_bucket[lo..hi.max(lo)]
            .iter()
            .map(|&i| i as usize)
            .filter(move |&i| self.chars[i] == c)
    }

    /// How many ASCII digits were left out between compact chars `start` and `end - 1`.
    fn digits_within(&self, start: usize, end: usize) -> u32 {
        match (
            self.digits.get(start),
            end.checked_sub(1).and_then(|e| self.digits.get(e)),
        ) {
            (Some(a), Some(b)) => b.saturating_sub(*a),
            _ => 0,
        }
    }

    /// Byte offset in the source of compact index `i` (the end offset past the last char).
    pub fn byte(&self, i: usize) -> usize {
        self.offsets.get(i).copied().unwrap_or(self.end_offset)
    }

    /// Byte offset just past compact char `i - 1` (i.e. the end of a match ending before `i`).
    pub fn byte_end(&self, i: usize) -> usize {
        match i
            .checked_sub(1)
            .and_then(|j| self.offsets.get(j).map(|o| (j, *o)))
        {
            Some((j, o)) => o + self.chars.get(j).map_or(1, |c| c.len_utf8()),
            None => self.byte(0),
        }
    }
}

/// Compact indices grouped by a hash of their char (a counting sort: two passes, no
/// comparison, no allocation a char), in order within each group. A group may hold a few
/// chars that share a hash; the caller checks the char.
#[derive(Debug, Clone, Default)]
struct CharIndex {
    /// `bits` of the hash: `1 << bits` groups.
    bits: u32,
    /// Where each group starts in `indices`, and one past the last group's end.
    starts: Vec<u32>,
    indices: Vec<u32>,
}

impl CharIndex {
    fn new(chars: &[char]) -> CharIndex {
        // about two chars a group, between 64 and 16k groups
        let groups = (chars.len() / 2).next_power_of_two().clamp(64, 1 << 14);
        let bits = groups.trailing_zeros();
        let mut starts = vec![0u32; groups + 1];
        for &c in chars {
            starts[group(c, bits) + 1] += 1;
        }
        for g in 0..groups {
            starts[g + 1] += starts[g];
        }
        let mut next = starts.clone();
        let mut indices = vec![0u32; chars.len()];
        for (i, &c) in chars.iter().enumerate() {
            let slot = &mut next[group(c, bits)];
            // the decoded text is limited far below 2^32 chars
            indices[*slot as usize] = i as u32;
            *slot += 1;
        }
        CharIndex {
            bits,
            starts,
            indices,
        }
    }

    /// The indices in `c`'s group, in order.
    fn bucket(&self, c: char) -> &[u32] {
        if self.starts.is_empty() {
            return &[];
        }
        let g = group(c, self.bits);
        &self.indices[self.starts[g] as usize..self.starts[g + 1] as usize]
    }
}

/// The group of `c` among `1 << bits` (Fibonacci hashing).
fn group(c: char, bits: u32) -> usize {
    (u32::from(c).wrapping_mul(0x9E37_79B1) >> (32 - bits)) as usize
}

/// A label pattern prepared for matching.
#[derive(Debug, Clone)]
pub struct Pattern {
    chars: Vec<char>,
    /// Most edits tolerated.
    pub max_edits: usize,
}

impl Pattern {
    /// Prepares `label`: folds width, drops skipped chars, and sets the tolerance:
    /// none up to 4 chars, 1 up to 8, then a quarter of the length.
    pub fn new(label: &str) -> Pattern {
        let chars: Vec<char> = width::fold(label)
            .chars()
            .filter(|c| !skipped(*c))
            .collect();
        let n = chars.len();
        let max_edits = match n {
            0..=4 => 0,
            5..=8 => 1,
            _ => n / 4,
        };
        Pattern { chars, max_edits }
    }
}

/// The prepared pattern of a template row's label or alias, prepared once per process
/// for all of them (every table search asks for each); any other text is prepared anew.
pub fn row_pattern(label: &'static str) -> std::borrow::Cow<'static, Pattern> {
    static ROWS: std::sync::LazyLock<std::collections::HashMap<&'static str, Pattern>> =
        std::sync::LazyLock::new(|| {
            crate::schema::TABLES
                .iter()
                .flat_map(|t| t.rows)
                .flat_map(|r| std::iter::once(&r.label).chain(r.aliases))
                .map(|&l| (l, Pattern::new(l)))
                .collect()
        });
    match ROWS.get(label) {
        Some(p) => std::borrow::Cow::Borrowed(p),
        None => std::borrow::Cow::Owned(Pattern::new(label)),
    }
}

/// One approximate occurrence: compact indices `[start, end)` and the edit distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// First compact index.
    pub start: usize,
    /// One past the last compact index.
    pub end: usize,
    /// Edits needed.
    pub edits: usize,
}

/// All non-overlapping best occurrences of `p` in `c.chars[from..to]`.
///
/// A match with at most `k` edits contains one of the pattern's `k + 1` pieces unchanged
/// (pigeonhole), so the edit-distance scan only runs in windows around exact occurrences of
/// those pieces: near-linear on long texts.
pub fn find_all(c: &Compact, p: &Pattern, from: usize, to: usize) -> Vec<Hit> {
    let to = to.min(c.chars.len());
    if p.chars.is_empty() || from >= to {
        return Vec::new();
    }
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => find_with(c, p, from, to, &mut s),
        // only if a search ever ran inside another on this thread
        Err(_) => find_with(c, p, from, to, &mut Scratch::default()),
    })
}

thread_local! {
    /// Buffers reused by every search on the thread: a report runs dozens of them.
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// Working buffers of one search, kept between searches so they need no allocation.
#[derive(Debug, Default)]
struct Scratch {
    /// Compact index ranges around exact piece occurrences.
    windows: Vec<(usize, usize)>,
    /// The scan's column of cells (see [`cell`]), one a pattern row.
    column: Vec<Row>,
    /// Candidate matches, each packed with its rank (see [`Ranked`]).
    raw: Vec<Ranked>,
    /// The chosen matches, in order.
    kept: Vec<Hit>,
}

/// `find_all` on a non-empty pattern and range, with `s` for its buffers.
fn find_with(c: &Compact, p: &Pattern, from: usize, to: usize, s: &mut Scratch) -> Vec<Hit> {
    piece_windows(c, p, from, to, &mut s.windows);
    s.windows.sort_unstable();
    s.raw.clear();
    let mut windows = s.windows.iter().copied();
    if let Some(mut run) = windows.next() {
        // touching or overlapping windows are scanned as one, as if merged beforehand
        for w in windows {
            if w.0 <= run.1 {
                run.1 = run.1.max(w.1);
            } else {
                scan_into(c, p, run, &mut s.column, &mut s.raw);
                run = w;
            }
        }
        scan_into(c, p, run, &mut s.column, &mut s.raw);
    }
    // ranks are distinct (no two candidates share an end), so no stable sort is needed
    s.raw.sort_unstable();
    select(&s.raw, &mut s.kept);
    s.kept.clone()
}

/// The windows `[start, end)` (clipped to `[from, to)`) around each exact occurrence of
/// one of the pattern's pieces, in which any match within tolerance must lie.
fn piece_windows(c: &Compact, p: &Pattern, from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let m = p.chars.len();
    let k = p.max_edits.min(m - 1);
    let piece_len = (m / (k + 1)).max(1);
    for (j, piece) in p.chars.chunks_exact(piece_len).take(k + 1).enumerate() {
        let offset = j * piece_len;
        let Some(last_start) = (to + 1).checked_sub(piece_len) else {
            continue;
        };
        for q in c.positions(piece[0], from, last_start) {
            if c.chars[q + 1..q + piece_len] == piece[1..] {
                out.push((q.saturating_sub(offset + k).max(from), (q + m + k).min(to)));
            }
        }
    }
}

/// Scans window `[ws, we)` and ranks each match found for [`select`].
fn scan_into(
    c: &Compact,
    p: &Pattern,
    (ws, we): (usize, usize),
    column: &mut Vec<Row>,
    raw: &mut Vec<Ranked>,
) {
    scan(
        &c.chars[..we],
        &p.chars,
        p.max_edits,
        ws,
        column,
        |end, best| {
            let hit = Hit {
                start: cell_start(best),
                end,
                edits: cell_cost(best),
            };
            raw.push(Ranked::new(hit, c.digits_within(hit.start, hit.end)));
        },
    );
}

/// A candidate match packed so that plain integer order is the order of preference:
/// the fewest edits, then the fewest digits crossed (a label missing its last bracket must
/// not reach over its row's values to the next row's opening one), then the longest, then
/// the first. Each field takes 32 bits: compact indices stay far below 2^32.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Ranked(u128);

impl Ranked {
    fn new(h: Hit, digits: u32) -> Ranked {
        let len = u32::MAX - (h.end - h.start) as u32;
        Ranked(
            (h.edits as u128) << 96
                | u128::from(digits) << 64
                | u128::from(len) << 32
                | h.start as u128,
        )
    }

    fn hit(self) -> Hit {
        let start = (self.0 as u32) as usize;
        let len = (u32::MAX - (self.0 >> 32) as u32) as usize;
        Hit {
            start,
            end: start + len,
            edits: (self.0 >> 96) as usize,
        }
    }
}

/// Greedily keeps, in order of preference, each candidate overlapping none kept before;
/// `kept` ends sorted by start.
fn select(ranked: &[Ranked], kept: &mut Vec<Hit>) {
    kept.clear();
    for h in ranked.iter().map(|r| r.hit()) {
        // kept hits never overlap, so only the last one starting before `h.end` can
        let i = kept.partition_point(|k| k.start < h.end);
        if i == 0 || kept[i - 1].end <= h.start {
            kept.insert(i, h);
        }
    }
}

/// One edit in a [`cell`]'s cost.
const EDIT: u64 = 1 << 34;
/// Tie-break tags, between the cost and the start: on equal costs a substitution (tag 0)
/// beats an insertion, which beats a deletion, whatever their starts.
const INSERTION: u64 = 1 << 32;
const DELETION: u64 = 2 << 32;
/// The start bits of a [`cell`].
const START: u64 = (1 << 32) - 1;

/// A cell of the Sellers table packed in one word: the cost in the high bits, the start
/// of the best match in the low 32 (compact indices stay far below 2^32), so that adding
/// [`EDIT`] adds one edit and keeps the start.
fn cell(cost: usize, start: usize) -> u64 {
    ((cost as u64) * EDIT) | start as u64
}

fn cell_cost(c: u64) -> usize {
    (c / EDIT) as usize
}

fn cell_start(c: u64) -> usize {
    (c & START) as usize
}

/// One row of the scan's column: its cell and the pattern char it ends with.
#[derive(Debug, Clone, Copy)]
struct Row {
    cell: u64,
    pat: char,
}

/// Sellers' scan of `text[from..]`: every end position where `pat` matches within `k`
/// edits, with the packed cost and start of the best match ending there, passed to `found`.
///
/// Ukkonen's cut-off: a cell's cost never falls along a diagonal, so below the last row
/// within tolerance plus one nothing can come back within it and those rows are not
/// computed. They keep an older cost above the tolerance, which can never win (or tie)
/// against a cost within it: every cost and start within tolerance is the full table's.
fn scan(
    text: &[char],
    pat: &[char],
    k: usize,
    from: usize,
    column: &mut Vec<Row>,
    mut found: impl FnMut(usize, u64),
) {
    let m = pat.len();
    if m == 0 {
        return;
    }
    // rows 1..=m, updated in place; row 0 before char `i` is always `cell(0, i)`
    column.clear();
    column.extend((1..=m).zip(pat).map(|(j, &pat)| Row {
        cell: cell(j, from),
        pat,
    }));
    // a cell is within tolerance when at most this
    let within = cell(k, 0) | START;
    // the last row whose cost is within tolerance
    let mut last = k.min(m);
    for (i, &t) in (from..).zip(&text[from..]) {
        // row `last + 1` costs more than `k`, so every row `j <= last` costs at least
        // `k - (last - j)`: a match can only still end in the window if the chars left
        // cover the rows below `last` without a deletion
        if i + m > text.len() + last {
            return;
        }
        let rows = (last + 1).min(m);
        column_step(&mut column[..rows], t, cell(0, i), cell(0, i + 1));
        last = rows;
        while last > 0 && column[last - 1].cell > within {
            last -= 1;
        }
        if last == m {
            found(i + 1, column[m - 1].cell);
        }
    }
}

/// Computes the next column in place for text char `t`: `diag` and `left` are the old and
/// new cells of row 0.
fn column_step(rows: &mut [Row], t: char, mut diag: u64, mut left: u64) {
    for row in rows {
        let up = row.cell;
        let sub = if row.pat == t { diag } else { diag + EDIT };
        let ins = up + EDIT + INSERTION; // text char not in the pattern
        let del = left + EDIT + DELETION; // pattern char missing from the text
        let best = sub.min(ins).min(del) & !(INSERTION | DELETION);
        row.cell = best;
        left = best;
        diag = up;
    }
}

#[cfg(test)]
#[path = "labels_ref.rs"]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hits(text: &str, label: &str) -> Vec<(String, usize)> {
        let text = &width::fold(text);
        let c = Compact::new(text, 0, text.len());
        let p = Pattern::new(label);
        find_all(&c, &p, 0, c.chars.len())
            .into_iter()
            .map(|h| (c.chars[h.start..h.end].iter().collect(), h.edits))
            .collect()
    }

    #[test]
    fn matches_across_wraps_and_typos() {
        assert_eq!(
            hits("（三）不\n予公开", "（三）不予公开"),
            vec![("(三)不予公开".to_string(), 0)]
        );
        assert_eq!(
            hits("2.其他法律行政止公开 0", "其他法律行政法规禁止公开"),
            vec![("其他法律行政止公开".to_string(), 3)]
        );
        assert!(hits("其他法律行政公开", "其他法律行政法规禁止公开").is_empty());
    }

    #[test]
    fn skipped_chars_are_the_white_space_digits_and_marks() {
        let slow = |c: char| {
            c.is_whitespace()
                || c.is_ascii_digit()
                || matches!(
                    c,
                    '|' | '#'
                        | '*'
                        | '`'
                        | '“'
                        | '”'
                        | '‘'
                        | '’'
                        | '"'
                        | '\''
                        | '「'
                        | '」'
                        | '『'
                        | '』'
                )
        };
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            assert_eq!(skipped(c), slow(c), "{c:?}");
        }
    }

    #[test]
    fn short_labels_match_exactly() {
        assert_eq!(hits("规章 0 0 0 规范", "规章").len(), 1);
        assert!(hits("规范 0", "规章").is_empty());
    }

    #[test]
    fn a_label_missing_its_closing_bracket_stops_before_the_values() {
        // substituting the next row's `(` for the lost `)` costs as much as leaving it out
        let text =
            "(二)部分公开(区分处理的，只计这一情形，不计其他情形 | 9 | 0 | 9 |\n| (三)不予公开";
        assert_eq!(
            hits(text, "部分公开（区分处理的，只计这一情形，不计其他情形）"),
            vec![(
                "部分公开(区分处理的,只计这一情形,不计其他情形".to_string(),
                1
            )]
        );
    }

    /// The full Sellers table, as `scan` computed it before the cut-off.
    fn scan_full(c: &Compact, p: &Pattern, from: usize, to: usize, raw: &mut Vec<Hit>) {
        let m = p.chars.len();
        let mut cost: Vec<usize> = (0..=m).collect();
        let mut start: Vec<usize> = vec![from; m + 1];
        let mut new_cost = vec![0usize; m + 1];
        let mut new_start = vec![0usize; m + 1];
        for i in from..to {
            let t = c.chars[i];
            new_cost[0] = 0;
            new_start[0] = i + 1;
            for j in 1..=m {
                let sub = cost[j - 1] + usize::from(p.chars[j - 1] != t);
                let ins = cost[j] + 1; // text char not in the pattern
                let del = new_cost[j - 1] + 1; // pattern char missing from the text
                let (mut best, mut s) = (sub, start[j - 1]);
                if ins < best {
                    best = ins;
                    s = start[j];
                }
                if del < best {
                    best = del;
                    s = new_start[j - 1];
                }
                new_cost[j] = best;
                new_start[j] = s;
            }
            std::mem::swap(&mut cost, &mut new_cost);
            std::mem::swap(&mut start, &mut new_start);
            if cost[m] <= p.max_edits {
                raw.push(Hit {
                    start: start[m],
                    end: i + 1,
                    edits: cost[m],
                });
            }
        }
    }

    /// Chars of labels plus a few others: a small alphabet, so that near matches abound.
    const ALPHABET: [char; 10] = ['公', '开', '申', '请', '政', '府', '(', ')', '一', '不'];
    /// What text holds besides labels: the alphabet and chars the compact view drops or
    /// counts (digits decide ties between candidates).
    const NOISE: [char; 15] = [
        '公', '开', '申', '请', '政', '府', '(', ')', '一', '不', '0', '7', ' ', '\n', '|',
    ];

    /// `label` with each of `edits` applied: (where, deletion/insertion/substitution, char).
    fn edited(label: &[char], edits: &[(usize, u8, char)]) -> Vec<char> {
        let mut v = label.to_vec();
        for &(at, op, ch) in edits {
            let i = at % (v.len() + 1);
            match op {
                0 if i < v.len() => {
                    v.remove(i);
                }
                1 => v.insert(i, ch),
                _ if i < v.len() => v[i] = ch,
                _ => {}
            }
        }
        v
    }

    /// The template's row labels and aliases, for realistic patterns.
    fn row_labels() -> Vec<&'static str> {
        crate::schema::TABLES
            .iter()
            .flat_map(|t| t.rows)
            .flat_map(|r| std::iter::once(&r.label).chain(r.aliases))
            .copied()
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn find_all_matches_the_reference(
            random_label in proptest::collection::vec(proptest::sample::select(&ALPHABET[..]), 1..=20),
            row in proptest::option::weighted(0.3, proptest::sample::select(row_labels())),
            parts in proptest::collection::vec((
                proptest::collection::vec(proptest::sample::select(&NOISE[..]), 0..8),
                proptest::collection::vec(
                    (any::<usize>(), 0u8..3, proptest::sample::select(&ALPHABET[..])),
                    0..5,
                ),
            ), 0..7),
            ranges in proptest::collection::vec((0usize..160, 0usize..170), 1..4),
        ) {
            let label: Vec<char> = match row {
                Some(r) => Pattern::new(r).chars,
                None => random_label,
            };
            let mut text = String::new();
            for (noise, edits) in &parts {
                text.extend(noise);
                text.extend(edited(&label, edits));
            }
            let label: String = label.into_iter().collect();
            let c = Compact::new(&text, 0, text.len());
            let p = Pattern::new(&label);
            // the whole range first, then random ones (`to` may pass the end or `from`)
            for (from, to) in std::iter::once((0, c.chars.len())).chain(ranges) {
                prop_assert_eq!(
                    find_all(&c, &p, from, to),
                    reference::find_all(&c, &p, from, to),
                    "{} in {:?} [{}, {})", label, text, from, to
                );
            }
        }
    }

    #[test]
    fn the_cut_off_scan_is_the_full_table() {
        // a small alphabet so that near matches abound
        let mut seed = 0x2545_f491_u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let alphabet = ['公', '开', '申', '请', '(', ')', '一', '不'];
        for _ in 0..2000 {
            let text: String = (0..next(60)).map(|_| alphabet[next(8) as usize]).collect();
            let label: String = (0..1 + next(16))
                .map(|_| alphabet[next(8) as usize])
                .collect();
            let c = Compact::new(&text, 0, text.len());
            let p = Pattern::new(&label);
            let (mut fast, mut full) = (Vec::new(), Vec::new());
            scan(
                &c.chars,
                &p.chars,
                p.max_edits,
                0,
                &mut Vec::new(),
                |end, best| {
                    fast.push(Hit {
                        start: cell_start(best),
                        end,
                        edits: cell_cost(best),
                    });
                },
            );
            scan_full(&c, &p, 0, c.chars.len(), &mut full);
            assert_eq!(fast, full, "{label} in {text}");
        }
    }
}
