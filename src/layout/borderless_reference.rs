//! The table finder as first written, kept for tests: [`super::find`] reworked it for speed
//! (furniture found once per page, words borrowed rather than cloned) and must find exactly
//! the same tables.

use super::{
    anchors, gap_ems, header_columns, is_furniture, join_text, label_boundaries, label_continues,
    label_only, left_of, place, starts_item, trailing_values, Block, Found, MAX_HEADER_LINES,
    MAX_LINE_GAP, MAX_LOOKBACK, MAX_TABLE_LINES,
};
use crate::document::{Grid, GridCell, Origin};
use crate::layout::{bbox_of, VLine, Word};

/// Rebuilds the tables among `lines` (one page, top to bottom).
pub(super) fn find(lines: &[VLine], origin: Origin) -> Vec<Found> {
    blocks(lines, origin)
        .into_iter()
        .filter_map(|b| build(lines, &b, origin))
        .collect()
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
    let mut i = 0;
    while i < lines.len() {
        if ks[i] == 0 {
            i += 1;
            continue;
        }
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
        let to_page_end = lines[end..].iter().all(is_furniture);
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
        if i - start > MAX_LOOKBACK && !lines[..start].iter().all(is_furniture) {
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
                top: lines[..start].iter().all(is_furniture),
                bottom: lines[end..].iter().all(is_furniture),
                lines: start..end,
                values,
            });
        }
        i = end.max(i + 1);
    }
    out
}

struct Unit {
    first: usize,
    last: usize,
    text: String,
    words: Vec<Word>,
    numbered: bool,
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
    // value cells of every row line, or give the table up
    let mut placed: Vec<Option<Vec<(usize, Word)>>> = Vec::new();
    for (j, k) in block.lines.clone().zip(&block.values) {
        if *k == 0 {
            placed.push(None);
            continue;
        }
        let w = &lines[j].words;
        let vals = &w[w.len() - k..];
        let cols = place(vals, &xs)?;
        placed.push(Some(cols.into_iter().zip(vals.iter().cloned()).collect()));
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
    let col_of = |w: &Word| bounds.iter().filter(|b| **b < w.x0 + 0.1 * w.size).count();
    let value_lines: Vec<usize> = (0..block.values.len())
        .filter(|i| block.values[*i] > 0)
        .collect();
    // distances between lines by their positions (text lines: blank lines count)
    let cy = |i: usize| -lines[block.lines.start + i].cy();
    // label units per column
    let mut units: Vec<Vec<Unit>> = (0..ncols).map(|_| Vec::new()).collect();
    for (i, (j, k)) in block.lines.clone().zip(&block.values).enumerate() {
        let w = &lines[j].words;
        let labels = &w[..w.len() - k];
        for (c, col_units) in units.iter_mut().enumerate() {
            let in_col: Vec<&Word> = labels.iter().filter(|w| col_of(w) == c).collect();
            // a new item can start mid-line (`请 2.申请人…`): its words start a fragment
            let mut frags: Vec<Vec<&Word>> = Vec::new();
            for w in in_col {
                match frags.last_mut() {
                    Some(f) if !starts_item(&w.text) => f.push(w),
                    _ => frags.push(vec![w]),
                }
            }
            for ws in frags {
                let mut text = String::new();
                for w in &ws {
                    join_text(&mut text, &w.text);
                }
                let on_value = *k > 0;
                let new = match col_units.last() {
                    None => true,
                    Some(u) => {
                        let had_value = value_lines.iter().any(|v| *v >= u.first && *v < i);
                        // a line without values continues the label above it
                        starts_item(&text) || (on_value && had_value)
                    }
                };
                if new {
                    col_units.push(Unit {
                        first: i,
                        last: i,
                        numbered: starts_item(&text),
                        text,
                        words: ws.into_iter().cloned().collect(),
                    });
                } else if let Some(u) = col_units.last_mut() {
                    u.last = i;
                    join_text(&mut u.text, &text);
                    u.words.extend(ws.into_iter().cloned());
                }
            }
        }
    }
    // rows: every value line, and every numbered label unit with no values of its own
    let mut row_at: Vec<usize> = value_lines.clone(); // block-relative line of each row
    let mut carry = vec![String::new(); ncols];
    let mut labels: Vec<Vec<(String, Vec<Word>)>> =
        vec![vec![(String::new(), Vec::new()); ncols]; value_lines.len()];
    let item_starts: Vec<(usize, usize)> = units
        .iter()
        .enumerate()
        .flat_map(|(c, us)| us.iter().filter(|u| u.numbered).map(move |u| (c, u.first)))
        .collect();
    for (c, col_units) in units.into_iter().enumerate() {
        for u in col_units {
            let inside: Vec<usize> = (0..value_lines.len())
                .filter(|r| (u.first..=u.last).contains(&value_lines[*r]))
                .collect();
            let centre = (cy(u.first) + cy(u.last)) * 0.5;
            let dist = |r: &usize| (cy(value_lines[*r]) - centre).abs();
            let row = if inside.is_empty() {
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
                *inside.iter().min_by(|a, b| dist(a).total_cmp(&dist(b)))?
            };
            let slot = &mut labels[row][c];
            join_text(&mut slot.0, &u.text);
            slot.1.extend(u.words);
        }
    }
    let mut order: Vec<usize> = (0..row_at.len()).collect();
    order.sort_by_key(|r| (row_at[*r], *r));
    let mut cells = Vec::new();
    let mut row_boxes = Vec::new();
    for (gr, r) in order.iter().enumerate() {
        let mut words: Vec<&Word> = Vec::new();
        // labels set right, next to the values: a row's label is the cell before its values
        // (a row label spanning the group columns leaves those, not its own, empty)
        let filled: Vec<&(String, Vec<Word>)> =
            labels[*r].iter().filter(|(t, _)| !t.is_empty()).collect();
        let first = ncols - filled.len();
        for (i, (text, ws)) in filled.into_iter().enumerate() {
            cells.push(GridCell {
                row: gr,
                col: first + i,
                rowspan: 1,
                colspan: 1,
                text: text.clone(),
                bbox: Some(bbox_of(ws.iter())),
            });
            words.extend(ws.iter());
        }
        if let Some(Some(vals)) = value_lines.get(*r).and_then(|l| placed.get(*l)) {
            for (c, w) in vals {
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
        row_boxes.push(bbox_of(words.into_iter()));
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
