//! Tables without ruling lines, rebuilt from where their words sit.
//!
//! A table row is a line that ends in values (numbers or dashes) set apart from its label;
//! a table is a run of such lines, with the label lines wrapped above and below them, that no
//! line crosses into the value columns. Value columns come from the x-alignment of the values
//! of the fullest rows; a shorter row is placed by its values' x positions (a blank cell stays
//! a blank cell). Label columns (group labels set in narrow cells, row labels) come from the
//! gaps of lines holding several label words. A label wrapped over several lines is one unit:
//! it starts at a numbering (`一、`, `（三）`, `1.`) or on a row's own line, and belongs to the
//! row whose values lie within its lines. Where a row's values fit the columns in no single
//! way, the whole table is left to the text reader (which warns about what it cannot place).

use super::{bbox_of, cluster_means, header, VLine, Word};
use crate::document::{Grid, GridCell, Origin};
use crate::script::{is_cjk, is_decorated_page_number, is_page_number, numbering_len};
use std::ops::Range;

/// A table found: its grid and the lines it took.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// The rebuilt grid.
    pub grid: Grid,
    /// The lines of the input it replaces.
    pub lines: Range<usize>,
    /// Per label column, a label's tail the table starts with, before its first row: the
    /// end of the last row of the page before ([`stitch`]).
    pub carry: Vec<String>,
    /// How many of the grid's columns (from the left) hold labels.
    pub label_cols: usize,
    /// Whether the table starts at the page's top (page furniture aside).
    pub top: bool,
    /// Whether the table runs to the page's end (page furniture aside).
    pub bottom: bool,
    /// The centres of the value columns (x).
    pub value_xs: Vec<f32>,
    /// Whether a column header placed the value columns.
    pub headed: bool,
}

/// Most lines of one table rebuilt from positions (a report's table has a few hundred).
const MAX_TABLE_LINES: usize = 2_000;

/// Most lines looked back for a first row's label wrapped above its values.
const MAX_LOOKBACK: usize = 3;

/// Most lines looked back for a table's column header.
const MAX_HEADER_LINES: usize = 10;

/// A printed value: a number (`12`, `1,234`, `5949.088667`, `-3`) or a dash-like blank mark.
fn is_value(w: &str) -> bool {
    if matches!(w, "-" | "—" | "–" | "－" | "/" | "——" | "--") {
        return true;
    }
    let t = w.strip_prefix(['-', '+']).unwrap_or(w);
    t.starts_with(|c: char| c.is_ascii_digit())
        && t.ends_with(|c: char| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && t.matches('.').count() <= 1
}

/// A page number spread over three words: `- 3 -`.
fn is_spread_page_number(words: &[Word]) -> bool {
    let dash = |w: &Word| matches!(w.text.as_str(), "-" | "—" | "–" | "－");
    matches!(words, [a, n, b] if dash(a) && dash(b) && n.text.chars().all(|c| c.is_ascii_digit()))
}

/// How many trailing words of a line are values set apart from its label (0 if none).
fn trailing_values(line: &VLine) -> usize {
    let w = &line.words;
    if is_spread_page_number(w) {
        return 0;
    }
    let k = w.iter().rev().take_while(|w| is_value(&w.text)).count();
    if k == 0 || k == w.len() {
        return k;
    }
    let (last_label, first_value) = (&w[w.len() - k - 1], &w[w.len() - k]);
    let em = last_label.size.max(first_value.size);
    if first_value.x0 - last_label.x1 >= 0.15 * em {
        k
    } else {
        0
    }
}

/// A label item start: a numbering, or a bracket opening a Chinese numeral (`（三`).
fn starts_item(s: &str) -> bool {
    if numbering_len(s).is_some() {
        return true;
    }
    let mut c = s.chars();
    matches!(c.next(), Some('（' | '('))
        && c.next()
            .is_some_and(|n| "一二三四五六七八九十".contains(crate::script::fold_radical(n)))
}

fn join_text(a: &mut String, b: &str) {
    if let (Some(x), Some(y)) = (a.chars().last(), b.chars().next()) {
        if !(is_cjk(x) || is_cjk(y)) {
            a.push(' ');
        }
    }
    a.push_str(b);
}

struct Block {
    lines: Range<usize>,
    /// The lines above it that may hold its column header.
    header: Range<usize>,
    /// Nothing but page furniture before / after the block on its page.
    top: bool,
    bottom: bool,
    /// Values per line (0 for label-only lines), parallel to `lines`.
    values: Vec<usize>,
}

/// Whether every word of `line` lies left of the value area.
fn label_only(line: &VLine, value_left: f32) -> bool {
    left_of(&line.words, value_left) && !line.words.iter().any(|w| is_value(&w.text))
}

/// Whether every word ends left of the value area.
fn left_of(words: &[Word], value_left: f32) -> bool {
    words.iter().all(|w| w.x1 <= value_left - 0.05 * w.size)
}

/// Vertical distance between two lines, in ems of the larger.
fn gap_ems(a: &VLine, b: &VLine) -> f32 {
    (a.cy() - b.cy()).abs() / a.em().max(b.em())
}

/// Most ems between two consecutive lines of one table.
const MAX_LINE_GAP: f32 = 3.2;

/// Whether a line is page furniture (a page number in any of its shapes).
fn is_furniture(line: &VLine) -> bool {
    let t: String = line.words.iter().map(|w| w.text.as_str()).collect();
    is_page_number(&t) || is_decorated_page_number(&t)
}

/// Whether a label line may be wrapped text of a table's label next to it: it lies left of
/// the values and does not end a sentence or introduce a list.
fn label_continues(line: &VLine, value_left: f32) -> bool {
    label_only(line, value_left)
        && !line
            .words
            .last()
            .is_some_and(|w| w.text.ends_with(['。', '：', ':']))
}

/// Where page furniture ends at the top of `lines` and where it starts at their end:
/// `lines[..s]` is all furniture iff `s <= top`, `lines[e..]` iff `e >= bottom`.
fn furniture_bounds(lines: &[VLine]) -> (usize, usize) {
    let top = lines.iter().position(|l| !is_furniture(l));
    let bottom = lines.iter().rposition(|l| !is_furniture(l));
    (top.unwrap_or(lines.len()), bottom.map_or(0, |b| b + 1))
}

fn blocks(lines: &[VLine], origin: Origin) -> Vec<Block> {
    // layout-mode text shifts a line's columns by a character or two: a row's label may end
    // that far into the value edge of the rows above
    let slack = if origin == Origin::LayoutText {
        2.0
    } else {
        0.0
    };
    let ks: Vec<usize> = lines.iter().map(trailing_values).collect();
    let mut out: Vec<Block> = Vec::new();
    // found on the first block (furniture is a few lines, told by text: once per page)
    let mut furniture = None;
    let mut i = 0;
    while i < lines.len() {
        if ks[i] == 0 {
            i += 1;
            continue;
        }
        let (furniture_top, furniture_bottom) =
            *furniture.get_or_insert_with(|| furniture_bounds(lines));
        let first_values = &lines[i].words[lines[i].words.len() - ks[i]..];
        // the first row's own value edge: layout text shifts later rows left or right, and
        // a label wrapped above the first row only has to clear that row's values
        let first_left = first_values.iter().map(|w| w.x0).fold(f32::MAX, f32::min);
        let mut value_left = first_left;
        let mut end = i + 1;
        let mut last_value = i;
        while end < lines.len() && gap_ems(&lines[end - 1], &lines[end]) <= MAX_LINE_GAP {
            let l = &lines[end];
            let k = ks[end];
            if k > 0 {
                let n = l.words.len() - k;
                let labels_fit = left_of(&l.words[..n], value_left + slack * l.em());
                let vl = l.words[n..].iter().map(|w| w.x0).fold(f32::MAX, f32::min);
                if !labels_fit || vl < value_left - 4.0 * l.em() {
                    break;
                }
                value_left = value_left.min(vl);
                last_value = end;
            } else if !label_only(l, value_left + slack * l.em()) {
                break;
            }
            end += 1;
        }
        // label lines after the last row are kept only while they are close to it — or all
        // of them when they run to the page's end: a label broken by the page
        // (a sentence's end is prose after the table, not a label)
        let end = (last_value + 1..end)
            .find(|j| !label_continues(&lines[*j], value_left + slack * lines[*j].em()))
            .unwrap_or(end);
        let to_page_end = end >= furniture_bottom;
        let end = if to_page_end {
            end
        } else {
            end.min(last_value + 1 + MAX_LOOKBACK)
        };
        let taken = out.last().map_or(0, |b| b.lines.end);
        let mut start = i;
        while start > taken
            && label_continues(&lines[start - 1], first_left)
            && gap_ems(&lines[start - 1], &lines[start]) <= MAX_LINE_GAP
        {
            start -= 1;
        }
        // a label wrapped above the first row takes a few lines; more only when they run
        // from the page's top (the tail of a row the page break cut)
        if i - start > MAX_LOOKBACK && start > furniture_top {
            start = i - MAX_LOOKBACK;
        }
        let values: Vec<usize> = (start..end).map(|j| ks[j]).collect();
        // the header: close lines above, back to a sentence's end or the table before
        let mut top = start;
        while top > taken
            && start - top < MAX_HEADER_LINES
            && gap_ems(&lines[top - 1], &lines[top]) <= MAX_LINE_GAP
            && !lines[top - 1]
                .words
                .last()
                .is_some_and(|w| w.text.ends_with(['。', '：', ':']))
        {
            top -= 1;
        }
        // a run of thousands of lines is left to the text reader (label assignment is
        // quadratic in the table's lines); one line of values only with a header ([`build`])
        let rows = values.iter().filter(|k| **k > 0).count();
        if rows >= 1 && values.len() <= MAX_TABLE_LINES {
            out.push(Block {
                header: top..start,
                top: start <= furniture_top,
                bottom: end >= furniture_bottom,
                lines: start..end,
                values,
            });
        }
        i = end.max(i + 1);
    }
    out
}

/// Value columns (x centres): the medians of the fullest rows' values, plus a column for
/// values of other rows that sit far from all of those (a column left blank in every full
/// row, as reports that print zeros as blanks do).
fn anchors(lines: &[VLine], block: &Block, origin: Origin) -> Option<Vec<f32>> {
    let rows: Vec<&[Word]> = block
        .lines
        .clone()
        .zip(&block.values)
        .map(|(j, k)| &lines[j].words[lines[j].words.len() - k..])
        .collect();
    let kmax = rows.iter().map(|r| r.len()).max()?;
    let full: Vec<&&[Word]> = rows.iter().filter(|r| r.len() == kmax).collect();
    let mut xs: Vec<f32> = (0..kmax)
        .map(|c| {
            let mut v: Vec<f32> = full.iter().map(|ws| ws[c].cx()).collect();
            v.sort_by(f32::total_cmp);
            v[v.len() / 2]
        })
        .collect();
    // layout-mode text shifts columns by a few characters from line to line: only exact
    // positions tell a blank column from such a shift
    if kmax < 2 || origin == Origin::LayoutText {
        return Some(xs);
    }
    let spacing = min_spacing(&xs);
    let mut extra: Vec<f32> = rows
        .iter()
        .flat_map(|r| r.iter().map(Word::cx))
        .filter(|x| xs.iter().all(|a| (x - a).abs() > 0.45 * spacing))
        .collect();
    extra.sort_by(f32::total_cmp);
    let mut groups: Vec<Vec<f32>> = Vec::new();
    for x in extra {
        match groups.last_mut() {
            Some(g) if x - g[g.len() - 1] <= 0.3 * spacing => g.push(x),
            _ => groups.push(vec![x]),
        }
    }
    xs.extend(groups.iter().map(|g| g[g.len() / 2]));
    xs.sort_by(f32::total_cmp);
    Some(xs)
}

/// The value columns re-anchored on the block's header ([`header::refine`]): the leaf
/// columns of the header words right of every label of the block.
fn header_columns(lines: &[VLine], block: &Block, xs: &[f32]) -> Option<Vec<f32>> {
    if block.header.is_empty() {
        return None;
    }
    let labels = block
        .lines
        .clone()
        .zip(&block.values)
        .flat_map(|(j, k)| lines[j].words[..lines[j].words.len() - k].iter());
    let label_right = labels.map(|w| w.x1).fold(f32::MIN, f32::max);
    let words: Vec<&Word> = lines[block.header.clone()]
        .iter()
        .flat_map(|l| l.words.iter())
        .filter(|w| w.cx() > label_right)
        .collect();
    // the header's body size (a title above it may be set larger)
    let mut sizes: Vec<f32> = words.iter().map(|w| w.size).collect();
    sizes.sort_by(f32::total_cmp);
    let em = *sizes.get(sizes.len() / 2)?;
    header::refine(xs, &header::leaf_columns(&words), em)
}

fn min_spacing(xs: &[f32]) -> f32 {
    xs.windows(2).map(|p| p[1] - p[0]).fold(f32::MAX, f32::min)
}

/// Places `words` (a row's values, left to right) in the columns `xs`: each word to the
/// nearest column, in order, within half the narrowest spacing. `None` if they do not fit.
fn place(words: &[Word], xs: &[f32]) -> Option<Vec<usize>> {
    if words.len() == xs.len() {
        return Some((0..xs.len()).collect());
    }
    let spacing = xs.windows(2).map(|p| p[1] - p[0]).fold(f32::MAX, f32::min);
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let (col, d) = xs
            .iter()
            .enumerate()
            .map(|(c, x)| (c, (w.cx() - x).abs()))
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        let tol = if xs.len() > 1 {
            0.4 * spacing
        } else {
            f32::MAX
        };
        if d > tol || out.last().is_some_and(|p| *p >= col) {
            return None;
        }
        out.push(col);
    }
    Some(out)
}

/// Boundaries between label columns: the gaps of lines with several label words, and the
/// left edges of columns whose words never share a line ([`edge_boundaries`]). A gap is a
/// boundary only where words of at least two lines start right of it: a label printed with
/// its letters spread (`三 、本 年 度办`) or broken by the extractor (`…只计这一情 形，不`)
/// has gaps that no other line shares.
fn label_boundaries(lines: &[VLine], block: &Block) -> Vec<f32> {
    let mut gaps: Vec<(f32, f32, f32)> = Vec::new(); // (gap middle, right word's x0, em)
    let mut rows: Vec<&[Word]> = Vec::new();
    for (j, k) in block.lines.clone().zip(&block.values) {
        let w = &lines[j].words;
        let labels = &w[..w.len() - k];
        for p in labels.windows(2) {
            if p[1].x0 - p[0].x1 >= 0.4 * p[0].size {
                gaps.push(((p[0].x1 + p[1].x0) * 0.5, p[1].x0, p[0].size));
            }
        }
        rows.push(labels);
    }
    gaps.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut groups: Vec<Vec<(f32, f32, f32)>> = Vec::new();
    for g in gaps {
        match groups.last_mut() {
            Some(v) if g.0 - v.iter().map(|x| x.0).sum::<f32>() / v.len() as f32 <= 1.5 * g.2 => {
                v.push(g)
            }
            _ => groups.push(vec![g]),
        }
    }
    let mut mids: Vec<(f32, f32)> = groups
        .into_iter()
        .filter(|v| {
            let starts = |r: &&&[Word]| {
                r.iter()
                    .any(|w| v.iter().any(|g| (w.x0 - g.1).abs() <= w.size))
            };
            rows.iter().filter(starts).count() >= 2
        })
        .flat_map(|v| v.into_iter().map(|(m, _, em)| (m, em)))
        .collect();
    let words: Vec<&Word> = rows.iter().flat_map(|r| r.iter()).collect();
    mids.extend(edge_boundaries(&words));
    cluster_means(mids.into_iter().map(|(m, em)| (m, 1.5 * em)).collect())
}

/// Boundaries between label columns told by left edges alone: a group label set in a narrow
/// cell on lines of its own (`（六` / `）其` / `他处` / `理`, the row label wrapped on the lines
/// between) leaves no gap on any line. Two clusters of left edges at least 1.5 em apart are two
/// columns when at least two words of the left one, and more than cross it, end before the
/// right one starts (a row label spanning both columns crosses). `(boundary, em)` pairs.
fn edge_boundaries(words: &[&Word]) -> Vec<(f32, f32)> {
    let em = words.iter().map(|w| w.size).fold(0.0, f32::max).max(0.1);
    let lefts = cluster_means(words.iter().map(|w| (w.x0, 0.5 * em)).collect());
    let mut out = Vec::new();
    for p in lefts.windows(2) {
        let (l1, l2) = (p[0], p[1]);
        if l2 - l1 < 1.5 * em {
            continue;
        }
        let in_l1 = |w: &&&Word| (w.x0 - l1).abs() <= 0.5 * em;
        let narrow: Vec<f32> = words
            .iter()
            .filter(in_l1)
            .filter(|w| w.x1 <= l2 - 0.2 * em)
            .map(|w| w.x1)
            .collect();
        let crossing = words.iter().filter(in_l1).count() - narrow.len();
        let starts_l2 = words
            .iter()
            .filter(|w| (w.x0 - l2).abs() <= 0.5 * em)
            .count();
        if narrow.len() >= 2 && narrow.len() > crossing && starts_l2 >= 2 {
            let right = narrow.iter().copied().fold(f32::MIN, f32::max);
            out.push(((right + l2) * 0.5, em));
        }
    }
    out
}

/// A label wrapped over lines of one column: its text and words.
struct Unit<'a> {
    first: usize,
    last: usize,
    text: String,
    words: Vec<&'a Word>,
    numbered: bool,
}

/// Rebuilds the tables among `lines` (one page, top to bottom).
pub(crate) fn find(lines: &[VLine], origin: Origin) -> Vec<Found> {
    blocks(lines, origin)
        .into_iter()
        .filter_map(|b| build(lines, &b, origin))
        .collect()
}

fn build(lines: &[VLine], block: &Block, origin: Origin) -> Option<Found> {
    let xs = anchors(lines, block, origin)?;
    // a column blank in every row shows in the header only
    let from_header = header_columns(lines, block, &xs);
    let rows = block.values.iter().filter(|k| **k > 0).count();
    // one line of values alone is no table unless its header places them: the text reader
    // reads it as well
    if rows < 2 && from_header.is_none() {
        return None;
    }
    let headed = from_header.is_some();
    let xs = from_header.unwrap_or(xs);
    let kmax = xs.len();
    // the value words of block line `i`
    let values_of = |i: usize| {
        let w = &lines[block.lines.start + i].words;
        &w[w.len() - block.values[i]..]
    };
    // value columns of every row line, or give the table up
    let mut placed: Vec<Option<Vec<usize>>> = Vec::with_capacity(block.values.len());
    for (i, k) in block.values.iter().enumerate() {
        placed.push(if *k == 0 {
            None
        } else {
            Some(place(values_of(i), &xs)?)
        });
    }
    let bounds = label_boundaries(lines, block);
    let ncols = if lines[block.lines.clone()]
        .iter()
        .zip(&block.values)
        .any(|(l, k)| l.words.len() > *k)
    {
        bounds.len() + 1
    } else {
        0
    };
    let value_lines: Vec<usize> = (0..block.values.len())
        .filter(|i| block.values[*i] > 0)
        .collect();
    // distances between lines by their positions (text lines: blank lines count)
    let cy = |i: usize| -lines[block.lines.start + i].cy();
    let units = label_units(lines, block, &bounds, ncols, &value_lines);
    // rows: every value line, and every numbered label unit with no values of its own
    let mut row_at: Vec<usize> = value_lines.clone(); // block-relative line of each row
    let mut carry = vec![String::new(); ncols];
    let mut labels: Vec<Vec<(String, Vec<&Word>)>> =
        vec![vec![(String::new(), Vec::new()); ncols]; value_lines.len()];
    let item_starts: Vec<(usize, usize)> = units
        .iter()
        .enumerate()
        .flat_map(|(c, us)| us.iter().filter(|u| u.numbered).map(move |u| (c, u.first)))
        .collect();
    for (c, col_units) in units.into_iter().enumerate() {
        for u in col_units {
            let mut inside = (0..value_lines.len())
                .filter(|r| (u.first..=u.last).contains(&value_lines[*r]))
                .peekable();
            let centre = (cy(u.first) + cy(u.last)) * 0.5;
            let dist = |r: &usize| (cy(value_lines[*r]) - centre).abs();
            let row = if inside.peek().is_none() {
                if !u.numbered && value_lines.first().is_some_and(|v| u.last < *v) {
                    // the tail of a label broken by the page: it belongs to the row above
                    carry[c].push_str(&u.text);
                    continue;
                }
                // a label set wholly above its values: the next row, unless a label of its
                // own starts before it
                let next = (0..value_lines.len()).find(|r| value_lines[*r] > u.last);
                // (an item further left claims it only from a line before the values: a
                // group label starts on its first row's line, a blank row spanning the
                // columns — `（六）其他处理` — on a line of its own)
                let claimed = next.is_some_and(|r| {
                    let v = value_lines[r];
                    item_starts
                        .iter()
                        .any(|(sc, f)| *f > u.last && (*f < v || (*sc >= c && *f == v)))
                });
                if let (true, Some(r), false) = (u.numbered, next, claimed) {
                    r
                } else if u.numbered || value_lines.is_empty() {
                    // a label with no values: a row printed blank
                    row_at.push(u.first);
                    labels.push(vec![(String::new(), Vec::new()); ncols]);
                    row_at.len() - 1
                } else {
                    (0..value_lines.len()).min_by(|a, b| dist(a).total_cmp(&dist(b)))?
                }
            } else {
                inside.min_by(|a, b| dist(a).total_cmp(&dist(b)))?
            };
            let slot = &mut labels[row][c];
            join_text(&mut slot.0, &u.text);
            slot.1.extend(u.words);
        }
    }
    let mut order: Vec<usize> = (0..row_at.len()).collect();
    order.sort_by_key(|r| (row_at[*r], *r));
    let mut cells = Vec::new();
    let mut row_boxes = Vec::with_capacity(order.len());
    let mut words: Vec<&Word> = Vec::new();
    for (gr, r) in order.iter().enumerate() {
        words.clear();
        // labels set right, next to the values: a row's label is the cell before its values
        // (a row label spanning the group columns leaves those, not its own, empty)
        let row_labels = &mut labels[*r];
        let filled = row_labels.iter().filter(|(t, _)| !t.is_empty()).count();
        let first = ncols - filled;
        let filled = row_labels.iter_mut().filter(|(t, _)| !t.is_empty());
        for (i, (text, ws)) in filled.enumerate() {
            cells.push(GridCell {
                row: gr,
                col: first + i,
                rowspan: 1,
                colspan: 1,
                // each row is built once: its label texts are moved, not copied
                text: std::mem::take(text),
                bbox: Some(bbox_of(ws.iter().copied())),
            });
            words.append(ws);
        }
        if let Some((l, Some(cols))) = value_lines.get(*r).map(|l| (*l, &placed[*l])) {
            for (c, w) in cols.iter().zip(values_of(l)) {
                cells.push(GridCell {
                    row: gr,
                    col: ncols + c,
                    rowspan: 1,
                    colspan: 1,
                    text: w.text.clone(),
                    bbox: Some(bbox_of(std::iter::once(w))),
                });
                words.push(w);
            }
        }
        row_boxes.push(bbox_of(words.iter().copied()));
    }
    Some(Found {
        grid: Grid {
            origin,
            rows: order.len(),
            cols: ncols + kmax,
            cells,
            row_boxes,
        },
        lines: block.lines.clone(),
        carry,
        label_cols: ncols,
        top: block.top,
        bottom: block.bottom,
        value_xs: xs,
        headed,
    })
}

/// The label units of each of the `ncols` label columns (split at `bounds`), top to bottom:
/// a unit runs on over the lines below it until an item starts or, on a line of values,
/// once it has had values of its own (`value_lines`: the block lines holding values).
fn label_units<'a>(
    lines: &'a [VLine],
    block: &Block,
    bounds: &[f32],
    ncols: usize,
    value_lines: &[usize],
) -> Vec<Vec<Unit<'a>>> {
    let col_of = |w: &Word| bounds.iter().filter(|b| **b < w.x0 + 0.1 * w.size).count();
    let mut units: Vec<Vec<Unit>> = (0..ncols).map(|_| Vec::new()).collect();
    if ncols == 0 {
        return units;
    }
    // buffers reused over the lines: each label word's column, the fragment being read
    let mut word_cols: Vec<usize> = Vec::new();
    let mut frag: Vec<&Word> = Vec::new();
    for (i, (j, k)) in block.lines.clone().zip(&block.values).enumerate() {
        let w = &lines[j].words;
        let labels = &w[..w.len() - k];
        word_cols.clear();
        word_cols.extend(labels.iter().map(col_of));
        for (c, col_units) in units.iter_mut().enumerate() {
            let in_col = labels.iter().zip(&word_cols).filter(|(_, wc)| **wc == c);
            // a new item can start mid-line (`请 2.申请人…`): its words start a fragment
            for (w, _) in in_col {
                if !frag.is_empty() && starts_item(&w.text) {
                    add_fragment(col_units, &mut frag, i, *k > 0, value_lines);
                }
                frag.push(w);
            }
            if !frag.is_empty() {
                add_fragment(col_units, &mut frag, i, *k > 0, value_lines);
            }
        }
    }
    units
}

/// Adds the words `frag` of block line `i` (emptied) to a column's units: as a new unit when
/// they start an item, or hold values after the last unit had some; else to the last unit.
fn add_fragment<'a>(
    col_units: &mut Vec<Unit<'a>>,
    frag: &mut Vec<&'a Word>,
    i: usize,
    on_value: bool,
    value_lines: &[usize],
) {
    let mut text = String::new();
    for w in frag.iter() {
        join_text(&mut text, &w.text);
    }
    let numbered = starts_item(&text);
    let new = match col_units.last() {
        None => true,
        Some(u) => {
            let had_value = value_lines.iter().any(|v| *v >= u.first && *v < i);
            // a line without values continues the label above it
            numbered || (on_value && had_value)
        }
    };
    if new {
        col_units.push(Unit {
            first: i,
            last: i,
            numbered,
            text,
            words: std::mem::take(frag),
        });
    } else if let Some(u) = col_units.last_mut() {
        u.last = i;
        join_text(&mut u.text, &text);
        u.words.append(frag);
    }
}

/// A row of a rebuilt table as it goes on to the parser.
#[derive(Debug, Clone, PartialEq)]
pub enum RowLine {
    /// A table row: each column's text and box (blank positions empty).
    Cells(Vec<(String, Option<[f32; 4]>)>),
    /// A row with a label but no values, as plain text (see [`Found::row_line`]).
    Text(String),
}

impl Found {
    /// Row `r` as the parser reads it: its cells, or — for a row with a label but no values,
    /// which positions cannot tell from a row whose values were lost — the label as plain
    /// text, so that its cells are reported missing rather than printed blank.
    pub fn row_line(&self, r: usize) -> RowLine {
        let row = self.grid.row_cells(r);
        if row.iter().any(|c| c.col >= self.label_cols) {
            return RowLine::Cells(self.grid.row_entries(r));
        }
        let mut cells: Vec<&GridCell> = row.iter().collect();
        cells.sort_by_key(|c| c.col);
        let text: Vec<&str> = cells.iter().map(|c| c.text.as_str()).collect();
        RowLine::Text(text.join(" "))
    }

    /// Every row as [`Found::row_line`] gives it, with its box; the cell texts are moved
    /// out of the grid rather than copied.
    pub fn into_row_lines(self) -> impl Iterator<Item = (RowLine, [f32; 4])> {
        let label_cols = self.label_cols;
        let mut grid = self.grid;
        (0..grid.rows).map(move |r| {
            let bbox = grid.row_boxes.get(r).copied().unwrap_or_default();
            (take_row_line(&mut grid, label_cols, r), bbox)
        })
    }

    /// Row `r` for people and tests: a table row as `| a | b |`, a label-only row as text.
    #[cfg(test)]
    pub fn shown(&self, r: usize) -> String {
        match self.row_line(r) {
            RowLine::Cells(c) => {
                let t: Vec<String> = c.into_iter().map(|e| e.0).collect();
                format!("| {} |", t.join(" | "))
            }
            RowLine::Text(t) => t,
        }
    }
}

/// Row `r` of `grid` as [`Found::row_line`] reads it, a table row's texts taken out of
/// the grid (each row is read once).
fn take_row_line(grid: &mut Grid, label_cols: usize, r: usize) -> RowLine {
    // the cells of row `r`, as `Grid::row_cells` finds them
    let from = grid.cells.partition_point(|c| c.row < r);
    let to = grid.cells.partition_point(|c| c.row <= r).max(from);
    let row = &mut grid.cells[from..to];
    if row.iter().any(|c| c.col >= label_cols) {
        // as `Grid::row_entries`: blank positions empty, a later cell in one column wins
        let mut out = vec![(String::new(), None); grid.cols];
        for c in row {
            if let Some(slot) = out.get_mut(c.col) {
                *slot = (std::mem::take(&mut c.text), c.bbox);
            }
        }
        return RowLine::Cells(out);
    }
    let mut cells: Vec<&GridCell> = row.iter().collect();
    cells.sort_by_key(|c| c.col);
    let text: Vec<&str> = cells.iter().map(|c| c.text.as_str()).collect();
    RowLine::Text(text.join(" "))
}

/// Stitches tables broken by a page: the label tail a table starts with is appended to the
/// last row of the table before it, when that table ends its page and this one starts the
/// next (`pages`: each table's page index).
pub(crate) fn stitch(tables: &mut [Found], pages: &[usize]) {
    for i in 1..tables.len().min(pages.len()) {
        let (before, after) = tables.split_at_mut(i);
        let (prev, cur) = (&mut before[i - 1], &mut after[0]);
        if prev.bottom && cur.top && pages[i] == pages[i - 1] + 1 {
            align_columns(prev, cur);
            stitch_pair(prev, cur);
        }
    }
}

/// Re-places the value cells of `cur`, a table continued at the top of a page without its
/// header, into the value columns of `prev`, the table the page before ends with: a page
/// whose zeros are printed blank shows only the columns that hold numbers, so its own
/// columns are fewer. Only when `prev` has more columns and every value cell of `cur` lies
/// within 0.4 column spacing of one of them, no two cells of a row in one; returns whether
/// `cur` changed.
pub(crate) fn align_columns(prev: &Found, cur: &mut Found) -> bool {
    let xs = &prev.value_xs;
    if cur.headed || xs.len() <= cur.value_xs.len() || xs.len() < 2 {
        return false;
    }
    let spacing = xs.windows(2).map(|p| p[1] - p[0]).fold(f32::MAX, f32::min);
    let lc = cur.label_cols;
    let mut cols = Vec::with_capacity(cur.grid.cells.len());
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for c in &cur.grid.cells {
        if c.col < lc {
            cols.push(c.col);
            continue;
        }
        let Some(b) = c.bbox else { return false };
        let cx = (b[0] + b[2]) * 0.5;
        let Some((k, d)) = xs
            .iter()
            .enumerate()
            .map(|(k, x)| (k, (cx - x).abs()))
            .min_by(|a, b| a.1.total_cmp(&b.1))
        else {
            return false;
        };
        if d > 0.4 * spacing || taken.contains(&(c.row, k)) {
            return false;
        }
        taken.push((c.row, k));
        cols.push(lc + k);
    }
    for (c, col) in cur.grid.cells.iter_mut().zip(cols) {
        c.col = col;
    }
    cur.grid.cols = lc + xs.len();
    cur.value_xs = xs.clone();
    true
}

/// Appends `cur`'s label tail to the last row of `prev` (its rightmost label cell); returns
/// that row when something was appended.
pub(crate) fn stitch_pair(prev: &mut Found, cur: &mut Found) -> Option<usize> {
    let tail: String = std::mem::take(&mut cur.carry).concat();
    if tail.is_empty() {
        return None;
    }
    let label_cols = prev.label_cols;
    let last = prev.grid.rows.checked_sub(1)?;
    let cell = prev
        .grid
        .cells
        .iter_mut()
        .filter(|x| x.row == last && x.col < label_cols)
        .max_by_key(|x| x.col);
    match cell {
        Some(cell) => join_text(&mut cell.text, &tail),
        None if label_cols > 0 => prev.grid.cells.push(GridCell {
            row: last,
            col: label_cols - 1,
            rowspan: 1,
            colspan: 1,
            text: tail,
            bbox: None,
        }),
        None => return None,
    }
    Some(last)
}

#[cfg(test)]
#[path = "borderless_reference.rs"]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::text::vline;

    fn tables(text: &str, origin: Origin) -> Vec<Found> {
        let lines: Vec<VLine> = text.lines().enumerate().map(|(i, l)| vline(l, i)).collect();
        find(&lines, origin)
    }

    fn rows(text: &str) -> Vec<String> {
        let found = tables(text, Origin::Borderless);
        found
            .iter()
            .flat_map(|f| (0..f.grid.rows).map(|r| f.shown(r)))
            .collect()
    }

    #[test]
    fn wrapped_labels_join_their_row_and_blank_cells_stay_in_place() {
        let t = "\
一、本年新收政府信息公
                  821   35      7      2      1    866
开申请数量
二、上年结转政府信息公
                  18                                18
开申请数量";
        assert_eq!(
            rows(t),
            vec![
                "| 一、本年新收政府信息公开申请数量 | 821 | 35 | 7 | 2 | 1 | 866 |",
                "| 二、上年结转政府信息公开申请数量 | 18 |  |  |  |  | 18 |",
            ]
        );
    }

    #[test]
    fn group_labels_keep_their_own_column_and_a_row_without_values_is_text() {
        let t = "\
（三）    1.属于国家秘密             0     0
不予     2.其他法律行政法规禁止公开       1     1
公开     3.危及“三安全一稳定”
       4.保护第三方合法权益          2     2";
        let r = rows(t);
        // a group label set over several rows is shared out over them; row labels and
        // values stay together
        assert_eq!(r[0], "| （三） | 1.属于国家秘密 | 0 | 0 |");
        assert_eq!(r[1], "| 不予公开 | 2.其他法律行政法规禁止公开 | 1 | 1 |");
        // no values: positions cannot tell blank from lost, the parser reports it missing
        assert_eq!(r[2], "3.危及“三安全一稳定”");
        assert_eq!(r[3], "|  | 4.保护第三方合法权益 | 2 | 2 |");
    }

    #[test]
    fn thousands_of_value_lines_are_left_to_the_text_reader() {
        let t: String = (0..MAX_TABLE_LINES + 1)
            .map(|i| format!("行{i}      {i}      {i}\n"))
            .collect();
        assert!(rows(&t).is_empty());
        let t: String = (0..10)
            .map(|i| format!("行{i}      {i}      {i}\n"))
            .collect();
        assert_eq!(rows(&t).len(), 10);
    }

    #[test]
    fn page_numbers_and_prose_are_no_table() {
        assert!(rows("- 3 -\n本机关共收到申请 12 件，办结 12 件。").is_empty());
    }

    /// A row with its label at column `indent` and values every 4 columns from column 20.
    fn at(indent: usize, label: &str, values: &[&str]) -> String {
        let mut l = format!("{}{label}", " ".repeat(indent));
        for (i, v) in values.iter().enumerate() {
            let col = 20 + 4 * i;
            let n = col.saturating_sub(l.chars().count()).max(1);
            l.push_str(&" ".repeat(n));
            l.push_str(v);
        }
        l
    }

    #[test]
    fn a_row_broken_by_the_page_gets_its_whole_label() {
        // page 1 ends with a row whose label runs on for eight lines, four of them on page 2
        let p1 = [
            at(4, "1.属于国家秘密", &["0", "0"]),
            at(4, "2.申请人逾期", &["0", "0"]),
            at(4, "未按收费通", &[]),
            at(4, "知要求缴纳", &[]),
            at(4, "费用、行政", &[]),
            at(4, "机关不再处", &[]),
        ]
        .join("\n");
        let p2 = [
            at(4, "理其政府信", &[]),
            at(4, "息公开申请", &[]),
            at(4, "不再处理其", &[]),
            at(4, "政府信息公", &[]),
            at(4, "3.其他", &["1", "1"]),
            at(4, "（七）总计", &["4", "4"]),
        ]
        .join("\n");
        let mut t = tables(&p1, Origin::Borderless);
        t.extend(tables(&p2, Origin::Borderless));
        assert_eq!(t.len(), 2);
        assert!(t[0].bottom && t[1].top);
        assert_eq!(
            t[1].carry.concat(),
            "理其政府信息公开申请不再处理其政府信息公"
        );
        stitch(&mut t, &[0, 1]);
        assert_eq!(
            t[0].shown(1),
            "| 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请不再处理其政府信息公 | 0 | 0 |"
        );
        assert_eq!(t[1].shown(0), "| 3.其他 | 1 | 1 |");
    }

    #[test]
    fn a_continued_page_without_its_header_takes_the_columns_of_the_page_before() {
        // page 2 prints zeros blank: only the first and last columns hold numbers there
        let p1 = [
            at(0, "1.规章", &["1", "2", "3"]),
            at(0, "2.规范性文件", &["4", "5", "6"]),
        ]
        .join("\n");
        let sparse = |label: &str, a: &str, c: &str| {
            let mut l = format!("{label:<20}{a}");
            l.push_str(&" ".repeat(28 - l.chars().count()));
            l.push_str(c);
            l
        };
        let p2 = [sparse("3.其他", "7", "9"), sparse("4.总计", "8", "10")].join("\n");
        let mut t = tables(&p1, Origin::Borderless);
        t.extend(tables(&p2, Origin::Borderless));
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].value_xs.len(), t[1].value_xs.len()), (3, 2));
        assert_eq!(t[1].shown(0), "| 3.其他 | 7 | 9 |");
        stitch(&mut t, &[0, 1]);
        assert_eq!(t[1].shown(0), "| 3.其他 | 7 |  | 9 |");
        assert_eq!(t[1].shown(1), "| 4.总计 | 8 |  | 10 |");
        // not across a page between them
        let mut t = tables(&p1, Origin::Borderless);
        t.extend(tables(&p2, Origin::Borderless));
        stitch(&mut t, &[0, 2]);
        assert_eq!(t[1].shown(0), "| 3.其他 | 7 | 9 |");
    }

    #[test]
    fn tables_not_on_consecutive_page_edges_are_not_stitched() {
        let p1 = [
            at(0, "规章", &["0", "0"]),
            at(0, "规范性文件", &["1", "1"]),
            "本机关全年未收到政府信息公开申请。".to_string(),
        ]
        .join("\n");
        let p2 = [
            at(0, "理其政府信", &[]),
            at(0, "3.其他", &["1", "1"]),
            at(0, "（七）总计", &["4", "4"]),
        ]
        .join("\n");
        let mut t = tables(&p1, Origin::Borderless);
        t.extend(tables(&p2, Origin::Borderless));
        assert!(!t[0].bottom && t[1].top);
        stitch(&mut t, &[0, 1]);
        assert_eq!(t[0].shown(1), "| 规范性文件 | 1 | 1 |");
        // a page between them
        let mut t = tables(
            &p1.replace("本机关全年未收到政府信息公开申请。", ""),
            Origin::Borderless,
        );
        t.extend(tables(&p2, Origin::Borderless));
        assert!(t[0].bottom);
        stitch(&mut t, &[0, 2]);
        assert_eq!(t[0].shown(1), "| 规范性文件 | 1 | 1 |");
    }

    #[test]
    fn layout_text_rows_shifted_by_a_character_stay_in_the_table() {
        // pdftotext moves a row's values a character left of the rows above; the label lines
        // after it reach past that edge
        let t = "\
     8.属于行政
               0   0   0
     查询事项
     1.本机关不
     掌握相关政 7    0   7
     府信息
     2.没有现成
     信息需要另 0    0   0
     行制作";
        let r: Vec<String> = tables(t, Origin::LayoutText)
            .iter()
            .flat_map(|f| (0..f.grid.rows).map(|r| f.shown(r)))
            .collect();
        assert_eq!(
            r,
            vec![
                "| 8.属于行政查询事项 | 0 | 0 | 0 |",
                "| 1.本机关不掌握相关政府信息 | 7 | 0 | 7 |",
                "| 2.没有现成信息需要另行制作 | 0 | 0 | 0 |",
            ]
        );
    }

    #[test]
    fn a_group_label_on_lines_of_its_own_is_its_own_column() {
        // （六）其他处理 set in a narrow cell: its lines fall between the row label's lines,
        // no line holds both
        let t = [
            at(5, "1.申请人无正", &[]),
            at(5, "政机关不再", &["9", "9"]),
            at(5, "信息公开申", &[]),
            at(0, "（六", &[]),
            at(5, "请", &[]),
            at(0, "）其", &[]),
            at(5, "2.申请人逾期", &[]),
            at(0, "他处", &[]),
            at(5, "费用、行政", &["7", "7"]),
            at(0, "理", &[]),
            at(5, "3.其他", &["1", "1"]),
            at(0, "（七）总计", &["4", "4"]),
        ]
        .join("\n");
        assert_eq!(
            rows(&t),
            vec![
                "|  | 1.申请人无正政机关不再信息公开申请 | 9 | 9 |",
                "| （六）其他处理 | 2.申请人逾期费用、行政 | 7 | 7 |",
                "|  | 3.其他 | 1 | 1 |",
                "|  | （七）总计 | 4 | 4 |",
            ]
        );
        // one column with a hanging indent is still one column
        let t = [
            at(0, "（二）部分公开（区分", &["3", "3"]),
            at(3, "处理的）", &[]),
            at(0, "（三）不予公开", &["1", "1"]),
        ]
        .join("\n");
        assert_eq!(
            rows(&t),
            vec![
                "| （二）部分公开（区分处理的） | 3 | 3 |",
                "| （三）不予公开 | 1 | 1 |"
            ]
        );
    }

    #[test]
    fn gaps_of_one_line_only_are_no_label_columns() {
        // a group label printed with its letters spread, a label the extractor broke
        let t = [
            at(0, "一、本年新收申请数量", &["95", "95"]),
            at(0, "三 、本 年 度办", &[]),
            at(10, "（一）予以 公开", &["50", "50"]),
            at(10, "（二）部分公开", &["9", "9"]),
        ]
        .join("\n");
        assert_eq!(
            rows(&t),
            vec![
                "| 一、本年新收申请数量 | 95 | 95 |",
                "三、本年度办",
                "| （一）予以公开 | 50 | 50 |",
                "| （二）部分公开 | 9 | 9 |",
            ]
        );
    }

    #[test]
    fn a_column_blank_in_every_row_is_found_in_the_header() {
        // zeros printed as blanks: no row has a value under 科研
        let t = [
            at(8, "申请人情况汇总表头", &[]),
            at(0, "", &["自然人", "商业", "科研", "总计"]),
            at(0, "一、本年新收", &["821", "35", "", "856"]),
            at(0, "二、上年结转", &["18", "", "", "18"]),
        ]
        .join("\n");
        assert_eq!(
            rows(&t),
            vec![
                "| 一、本年新收 | 821 | 35 |  | 856 |",
                "| 二、上年结转 | 18 |  |  | 18 |"
            ]
        );
        // one line of values is a table when its header places them
        let t = [
            format!("{}行政复议诉讼情况", " ".repeat(20)),
            at(0, "", &["维持", "纠正", "其他", "总计"]),
            at(0, "", &["5", "", "", "5"]),
        ]
        .join("\n");
        assert_eq!(rows(&t), vec!["| 5 |  |  | 5 |"]);
        // a value between two header columns: no guess, the text reader has it
        let t = [
            at(0, "", &["维持", "纠正", "其他", "总计"]),
            format!("{}12{}5", " ".repeat(22), " ".repeat(8)),
        ]
        .join("\n");
        assert!(rows(&t).is_empty());
    }

    #[test]
    fn a_label_does_not_reach_over_a_blank_row_to_the_values_below() {
        let t = [
            at(10, "4.无正当理由", &["0", "0"]),
            at(10, "5.要求确认", &[]),
            at(10, "已获取信息", &[]),
            at(0, "（六）其他处理", &[]),
            at(0, "（七）总计", &["7", "7"]),
            at(0, "（八）合计", &["7", "7"]),
        ]
        .join("\n");
        assert_eq!(
            rows(&t),
            vec![
                "|  | 4.无正当理由 | 0 | 0 |",
                "5.要求确认已获取信息",
                "（六）其他处理",
                "|  | （七）总计 | 7 | 7 |",
                "|  | （八）合计 | 7 | 7 |",
            ]
        );
    }

    /// Label pieces: numberings, wrapped CJK text, sentence ends, header words.
    const LABELS: &[&str] = &[
        "一、本年新收",
        "（三）",
        "不予",
        "1.属于国家秘密",
        "2.其他",
        "公开",
        "（六",
        "）其",
        "开申请数量",
        "本机关共收到申请。",
        "情况如下：",
        "自然人",
        "商业企业",
        "总计",
        "第3页",
        "- 3 -",
        "a",
        "12件",
        "（七）总计",
        "3.",
        "处理的）",
    ];

    /// Value pieces: numbers and blank marks.
    const VALUES: &[&str] = &["0", "12", "1,234", "-", "—", "3.5", "856", "/", "--"];

    /// A line of a random page: indent, label pieces, gap between them, (value, gap) pairs.
    type LineSpec = (u8, u8, u8, u8, Vec<(u8, u8)>);

    /// A random page of layout text: per line an indent, up to two label pieces and values.
    fn page_text(spec: &[LineSpec]) -> String {
        let mut out = String::new();
        for (indent, a, b, gap, values) in spec {
            let mut l = " ".repeat(*indent as usize % 12);
            if *a as usize % (LABELS.len() + 4) < LABELS.len() {
                l.push_str(LABELS[*a as usize % (LABELS.len() + 4)]);
                if (*b as usize).is_multiple_of(3) {
                    l.push_str(&" ".repeat(1 + *gap as usize % 5));
                    l.push_str(LABELS[*b as usize % LABELS.len()]);
                }
            }
            for (v, sp) in values {
                l.push_str(&" ".repeat(1 + *sp as usize % 7));
                l.push_str(VALUES[*v as usize % VALUES.len()]);
            }
            out.push_str(&l);
            out.push('\n');
        }
        out
    }

    /// The lines of `text` as words; with `scale`, as a PDF would place them (fractional
    /// positions, a word's size its em, shifted a little each).
    fn page_lines(text: &str, scale: Option<(f32, &[u8])>) -> Vec<VLine> {
        let mut n = 0usize;
        let mut lines: Vec<VLine> = text.lines().enumerate().map(|(i, l)| vline(l, i)).collect();
        if let Some((s, jitter)) = scale {
            for w in lines.iter_mut().flat_map(|l| l.words.iter_mut()) {
                let j = jitter
                    .get(n % jitter.len().max(1))
                    .map_or(0.0, |j| *j as f32 / 400.0);
                n += 1;
                w.x0 = (w.x0 + j) * s;
                w.x1 = (w.x1 + j) * s;
                w.y0 *= 1.2 * s;
                w.y1 *= 1.2 * s;
                w.size = s;
            }
        }
        lines
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn find_finds_what_the_reference_finds(
            pages in proptest::collection::vec(
                proptest::collection::vec(
                    (0u8..255, 0u8..255, 0u8..255, 0u8..255,
                     proptest::collection::vec((0u8..255, 0u8..255), 0..5)),
                    0..24),
                1..4),
            scale in proptest::option::of(1.0f32..14.0),
            jitter in proptest::collection::vec(0u8..255, 0..8),
        ) {
            for origin in [Origin::LayoutText, Origin::Borderless] {
                let mut got = Vec::new();
                let mut want = Vec::new();
                let mut table_pages = Vec::new();
                for (pi, spec) in pages.iter().enumerate() {
                    let text = page_text(spec);
                    let lines = page_lines(&text, scale.map(|s| (s, jitter.as_slice())));
                    let (a, b) = (find(&lines, origin), reference::find(&lines, origin));
                    table_pages.extend(a.iter().map(|_| pi));
                    proptest::prop_assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", text);
                    got.extend(a);
                    want.extend(b);
                }
                stitch(&mut got, &table_pages);
                stitch(&mut want, &table_pages);
                for (g, w) in got.into_iter().zip(want) {
                    let rows: Vec<(RowLine, [f32; 4])> = (0..w.grid.rows)
                        .map(|r| (w.row_line(r), w.grid.row_boxes.get(r).copied().unwrap_or_default()))
                        .collect();
                    let moved: Vec<(RowLine, [f32; 4])> = g.into_row_lines().collect();
                    proptest::prop_assert_eq!(moved, rows);
                }
            }
        }
    }
}
