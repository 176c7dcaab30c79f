//! Page layout: visual lines, ruled tables as rows of cells, page furniture.

// Grid code indexes parallel arrays (bands × cells, owners); index loops read clearer here.
#![allow(clippy::needless_range_loop)]

use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;

/// A row band: top, bottom, and the x intervals of its cells.
type Band = (f32, f32, Vec<(f32, f32)>);

use super::interp::{Seg, TextGlyph};
use super::types::PdfLine;
use crate::document::Origin;
use crate::layout::{borderless, cluster_means, VLine, Word};
use crate::script::{is_cjk, is_decorated_page_number, is_page_number};

/// Most cells of one ruled table laid out as rows.
const MAX_TABLE_CELLS: usize = 100_000;

/// Tolerance (pt) for merging ruling positions.
const POS_TOL: f32 = 2.0;

/// Removes text drawn twice at the same spot (fake bold): a glyph is dropped when a kept glyph
/// of the same text lies less than 1 pt from it on both axes. Glyphs are hashed by 2 pt grid
/// cell and text. Everything within 1 pt of a point lies in the 2 × 2 cells nearest it (the
/// point's cell and, on each axis, the neighbour on the side of the cell's half it is in), so
/// four lookups find every candidate, and the work is linear in the glyph count.
fn dedupe(mut glyphs: Vec<TextGlyph>) -> Vec<TextGlyph> {
    use std::hash::BuildHasher;
    const NONE: usize = usize::MAX;
    let text_hash = foldhash::fast::FixedState::default();
    // One word per (cell, text) key: its newest kept glyph and how many it holds; the others
    // are chained through `older`. A small table stays in cache (this runs on every page).
    // Two keys mixing to one word only share a chain, and every candidate is compared in full.
    let mut grid: HashMap<u64, (usize, usize)> = HashMap::with_capacity(glyphs.len());
    let mut older = vec![NONE; glyphs.len()];
    // which glyphs stay: most pages draw nothing twice, and then none is moved
    let mut keep = vec![true; glyphs.len()];
    // a cell and the neighbour nearer the point (halving is exact in floating point)
    let cells = |v: f32| {
        let h = v * 0.5;
        let c = h.floor();
        let near = if h - c < 0.5 { -1 } else { 1 };
        let c = c as i32;
        (c, c.saturating_add(near))
    };
    let key = |x: i32, y: i32, th: u64| {
        let xy = (u64::from(x as u32) << 32) | u64::from(y as u32);
        xy.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ th.rotate_left(29)
    };
    for (i, g) in glyphs.iter().enumerate() {
        if g.space {
            continue;
        }
        let th = text_hash.hash_one(&g.text);
        let (cx, nx) = cells(g.x0);
        let (cy, ny) = cells(g.y0);
        let dup = [(cx, cy), (nx, cy), (cx, ny), (nx, ny)]
            .iter()
            .any(|&(x, y)| {
                let mut k = grid.get(&key(x, y, th)).map_or(NONE, |&(newest, _)| newest);
                while let Some(o) = glyphs.get(k) {
                    if o.text == g.text && (o.x0 - g.x0).abs() < 1.0 && (o.y0 - g.y0).abs() < 1.0 {
                        return true;
                    }
                    k = older[k];
                }
                false
            });
        if dup {
            keep[i] = false;
        } else {
            // Saturated (far off-page) cells may collect many glyphs: keep chains short.
            let (newest, n) = grid.entry(key(cx, cy, th)).or_insert((NONE, 0));
            if *n < 4 {
                older[i] = *newest;
                *newest = i;
                *n += 1;
            }
        }
    }
    if keep.contains(&false) {
        let mut keep = keep.into_iter();
        glyphs.retain(|_| keep.next().unwrap_or(true));
    }
    glyphs
}

/// Groups glyphs into visual lines, top to bottom; each line sorted left to right.
fn group_lines(mut glyphs: Vec<TextGlyph>) -> Vec<Vec<TextGlyph>> {
    glyphs.sort_by(|a, b| b.cy().total_cmp(&a.cy()).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<(f32, f32, Vec<TextGlyph>)> = Vec::new(); // (cy avg, size, glyphs)
    for g in glyphs {
        let cy = g.cy();
        if let Some((lcy, lsize, list)) = lines.last_mut() {
            let tol = 0.45 * lsize.max(g.size);
            // two glyphs side by side on one line never cover the same x: a glyph over
            // another is on the line below (wrapped cell text beside a row's values)
            let stacked = !g.space
                && list.len() < 512
                && list
                    .iter()
                    .any(|o| !o.space && g.x0 < o.x1 - 0.2 * o.size && o.x0 < g.x1 - 0.2 * g.size);
            if (cy - *lcy).abs() <= tol && !stacked {
                let n = list.len() as f32;
                if !g.space {
                    *lcy = (*lcy * n + cy) / (n + 1.0);
                    *lsize = lsize.max(g.size);
                }
                list.push(g);
                continue;
            }
        }
        let size = g.size;
        lines.push((cy, size, vec![g]));
    }
    lines
        .into_iter()
        .map(|(_, _, mut l)| {
            l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            l
        })
        .filter(|l| l.iter().any(|g| !g.space))
        .collect()
}

/// The words of a visual line: glyphs joined until a space glyph or a gap of an eighth of
/// an em (table cells are often set as close as a fifth of an em).
fn words_of(line: &[TextGlyph]) -> VLine {
    let mut words: Vec<Word> = Vec::new();
    let mut open = false;
    for g in line {
        if g.space {
            open = false;
            continue;
        }
        match words.last_mut() {
            Some(w) if open && g.x0 - w.x1 <= 0.12 * w.size.max(g.size) => {
                w.text.push_str(&g.text);
                w.x1 = w.x1.max(g.x1);
                w.y0 = w.y0.min(g.y0);
                w.y1 = w.y1.max(g.y1);
                w.size = w.size.max(g.size);
            }
            _ => words.push(Word {
                text: g.text.as_str().to_owned(),
                x0: g.x0,
                y0: g.y0,
                x1: g.x1,
                y1: g.y1,
                size: g.size,
            }),
        }
        open = true;
    }
    VLine { words }
}

/// Joins one visual line. In cells, CJK glyphs are never separated.
fn join_line(line: &[TextGlyph], cell: bool) -> String {
    let mut s = String::new();
    let mut prev: Option<&TextGlyph> = None;
    let mut pending_space = false;
    for g in line {
        if g.space {
            if prev.is_some() {
                pending_space = true;
            }
            continue;
        }
        if let Some(p) = prev {
            let gap = g.x0 - p.x1;
            let em = (p.size + g.size) * 0.5;
            let pc = p.text.chars().last().unwrap_or(' ');
            let gc = g.text.chars().next().unwrap_or(' ');
            let both_cjk = is_cjk(pc) && is_cjk(gc);
            let space = if both_cjk {
                !cell && gap > 1.0 * em
            } else {
                gap > 0.3 * em || (pending_space && gap > 0.1 * em)
            };
            if space && !s.ends_with(' ') {
                s.push(' ');
            }
        }
        s.push_str(&g.text);
        prev = Some(g);
        pending_space = false;
    }
    s.trim().to_string()
}

fn bbox_of(glyphs: &[TextGlyph]) -> [f32; 4] {
    let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for g in glyphs.iter().filter(|g| !g.space) {
        b[0] = b[0].min(g.x0);
        b[1] = b[1].min(g.y0);
        b[2] = b[2].max(g.x1);
        b[3] = b[3].max(g.y1);
    }
    b
}

/// Merges collinear overlapping segments.
fn merge_segs(mut segs: Vec<Seg>) -> Vec<Seg> {
    segs.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let mut groups: Vec<Vec<Seg>> = Vec::new();
    for s in segs {
        match groups.last_mut() {
            Some(g) if (s.pos - g[0].pos).abs() <= 1.5 => g.push(s),
            _ => groups.push(vec![s]),
        }
    }
    let mut out = Vec::new();
    for mut g in groups {
        let pos = g.iter().map(|s| s.pos).sum::<f32>() / g.len() as f32;
        g.sort_by(|a, b| a.a.total_cmp(&b.a));
        let mut cur: Option<Seg> = None;
        for s in g {
            match cur.as_mut() {
                Some(c) if s.a <= c.b + POS_TOL => c.b = c.b.max(s.b),
                _ => {
                    if let Some(c) = cur.take() {
                        out.push(c);
                    }
                    cur = Some(Seg { pos, ..s });
                }
            }
        }
        if let Some(c) = cur {
            out.push(c);
        }
    }
    out
}

fn cluster(v: Vec<f32>) -> Vec<f32> {
    cluster_means(v.into_iter().map(|x| (x, POS_TOL)).collect())
}

struct Table {
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
    hs: Vec<Seg>,
    vs: Vec<Seg>,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn detect_tables(segs: &[Seg]) -> Vec<Table> {
    let hs = merge_segs(
        segs.iter()
            .filter(|s| s.horiz && s.b - s.a >= 2.0)
            .copied()
            .collect(),
    );
    let vs = merge_segs(
        segs.iter()
            .filter(|s| !s.horiz && s.b - s.a >= 2.0)
            .copied()
            .collect(),
    );
    if hs.len() < 2 || vs.len() < 2 || hs.len() * vs.len() > 4_000_000 {
        return Vec::new();
    }
    let nh = hs.len();
    let mut parent: Vec<usize> = (0..nh + vs.len()).collect();
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if v.pos >= h.a - POS_TOL
                && v.pos <= h.b + POS_TOL
                && h.pos >= v.a - POS_TOL
                && h.pos <= v.b + POS_TOL
            {
                let (a, b) = (find(&mut parent, i), find(&mut parent, nh + j));
                if a != b {
                    parent[a] = b;
                }
            }
        }
    }
    // Components in the order of their roots: a map's iteration order would make which of two
    // overlapping tables claims the glyphs first vary from run to run.
    let mut comps: BTreeMap<usize, (Vec<Seg>, Vec<Seg>)> = BTreeMap::new();
    for i in 0..nh {
        let r = find(&mut parent, i);
        comps.entry(r).or_default().0.push(hs[i]);
    }
    for j in 0..vs.len() {
        let r = find(&mut parent, nh + j);
        comps.entry(r).or_default().1.push(vs[j]);
    }
    let mut tables = Vec::new();
    for (h, v) in comps.into_values() {
        if h.len() < 2 || v.len() < 2 {
            continue;
        }
        let ys = cluster(h.iter().map(|s| s.pos).collect());
        let xs = cluster(v.iter().map(|s| s.pos).collect());
        if ys.len() < 2 || xs.len() < 2 || (ys.len() < 3 && xs.len() < 3) {
            continue;
        }
        let x0 = h
            .iter()
            .map(|s| s.a)
            .chain(v.iter().map(|s| s.pos))
            .fold(f32::MAX, f32::min);
        let x1 = h
            .iter()
            .map(|s| s.b)
            .chain(v.iter().map(|s| s.pos))
            .fold(f32::MIN, f32::max);
        let y0 = v
            .iter()
            .map(|s| s.a)
            .chain(h.iter().map(|s| s.pos))
            .fold(f32::MAX, f32::min);
        let y1 = v
            .iter()
            .map(|s| s.b)
            .chain(h.iter().map(|s| s.pos))
            .fold(f32::MIN, f32::max);
        if x1 - x0 < 10.0 || y1 - y0 < 5.0 {
            continue;
        }
        tables.push(Table {
            x0,
            x1,
            y0,
            y1,
            hs: h,
            vs: v,
        });
    }
    tables
}

/// Lays a table's glyphs out as rows of cells; returns the rows and the glyphs it did not take.
fn table_rows(t: &Table, glyphs: Vec<TextGlyph>) -> (Vec<PdfLine>, Vec<TextGlyph>) {
    let mut ys = cluster(t.hs.iter().map(|s| s.pos).collect());
    // A table cut by a page break may lack its top or bottom rule: the verticals still
    // bound the band.
    if let (Some(&lo), Some(&hi)) = (ys.first(), ys.last()) {
        let vtop = t.vs.iter().map(|v| v.b).fold(f32::MIN, f32::max);
        let vbot = t.vs.iter().map(|v| v.a).fold(f32::MAX, f32::min);
        if vtop > hi + 3.0 {
            ys.push(vtop);
        }
        if vbot < lo - 3.0 {
            ys.insert(0, vbot);
        }
    }
    ys.reverse(); // top first
                  // Bands (top, bottom) with their cell intervals.
    let mut bands: Vec<Band> = Vec::new();
    for w in ys.windows(2) {
        let (top, bot) = (w[0], w[1]);
        let hgt = top - bot;
        if hgt < 3.0 {
            continue;
        }
        let mut xs: Vec<f32> =
            t.vs.iter()
                .filter(|v| (v.b.min(top) - v.a.max(bot)) >= 0.6 * hgt)
                .map(|v| v.pos)
                .collect();
        xs.push(t.x0);
        xs.push(t.x1);
        let xs = cluster(xs);
        let cells: Vec<(f32, f32)> = xs
            .windows(2)
            .map(|p| (p[0], p[1]))
            .filter(|(a, b)| b - a >= 2.0)
            .collect();
        if !cells.is_empty() {
            bands.push((top, bot, cells));
        }
    }
    // A grid this large is no table of a report (and would cost too much to lay out).
    let ncells = bands
        .iter()
        .map(|b| b.2.len())
        .fold(0usize, usize::saturating_add);
    if bands.is_empty() || ncells > MAX_TABLE_CELLS {
        return (Vec::new(), glyphs);
    }
    // Owner of each (band, cell): itself, or the cell above when no rule separates them.
    let mut hs_sorted = t.hs.clone();
    hs_sorted.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let covered = |y: f32, x: f32| {
        let from = hs_sorted.partition_point(|h| h.pos < y - POS_TOL);
        hs_sorted
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .take_while(|h| h.pos <= y + POS_TOL)
            .any(|h| x >= h.a - POS_TOL && x <= h.b + POS_TOL)
    };
    let mut owner: Vec<Vec<(usize, usize)>> = Vec::with_capacity(bands.len());
    for (i, (top, _, cells)) in bands.iter().enumerate() {
        let mut row = Vec::with_capacity(cells.len());
        for (j, &(a, b)) in cells.iter().enumerate() {
            let mut o = (i, j);
            if i > 0 && (bands[i - 1].1 - *top).abs() <= POS_TOL && !covered(*top, (a + b) * 0.5) {
                if let Some(k) = bands[i - 1]
                    .2
                    .iter()
                    .position(|&(pa, pb)| (pa - a).abs() <= POS_TOL && (pb - b).abs() <= POS_TOL)
                {
                    if let Some(r) = owner.get(i - 1) {
                        if let Some(&up) = r.get(k) {
                            o = up;
                        }
                    }
                }
            }
            row.push(o);
        }
        owner.push(row);
    }
    let mut cell_glyphs: HashMap<(usize, usize), Vec<TextGlyph>> = HashMap::new();
    let mut rest = Vec::new();
    // the cell that owns a glyph's centre, if any
    let owner_of = |g: &TextGlyph| -> Option<(usize, usize)> {
        let (cx, cy) = (g.cx(), g.cy());
        if !(cx >= t.x0 - 1.0 && cx <= t.x1 + 1.0 && cy >= t.y0 - 1.0 && cy <= t.y1 + 1.0) {
            return None;
        }
        // Bands run top to bottom without overlap, cells left to right.
        let i = bands.partition_point(|(_, bot, _)| cy <= *bot);
        let (_, _, cells) = bands
            .get(i)
            .filter(|(top, bot, _)| cy <= *top && cy > *bot)?;
        let j = cells.partition_point(|&(_, b)| cx >= b);
        cells.get(j).filter(|&&(a, b)| cx >= a && cx < b)?;
        owner.get(i)?.get(j).copied()
    };
    for g in glyphs {
        match owner_of(&g) {
            Some(o) => cell_glyphs.entry(o).or_default().push(g),
            None => rest.push(g),
        }
    }
    let mut rows = Vec::new();
    for (i, (top, bot, cells)) in bands.iter().enumerate() {
        let mut entries = Vec::with_capacity(cells.len());
        for (j, &(a, b)) in cells.iter().enumerate() {
            let own = owner[i][j] == (i, j);
            let text = if own {
                cell_glyphs
                    .remove(&(i, j))
                    .map(cell_text)
                    .unwrap_or_default()
            } else {
                String::new()
            };
            entries.push((text, own.then_some([a, *bot, b, *top])));
        }
        if entries.iter().all(|e| e.0.is_empty()) {
            continue;
        }
        let x0 = cells.first().map(|c| c.0).unwrap_or(t.x0);
        let x1 = cells.last().map(|c| c.1).unwrap_or(t.x1);
        rows.push(PdfLine::row(entries, [x0, *bot, x1, *top]));
    }
    (rows, rest)
}

fn cell_text(glyphs: Vec<TextGlyph>) -> String {
    let mut out = String::new();
    for line in group_lines(glyphs) {
        let s = join_line(&line, true);
        if s.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (out.chars().last(), s.chars().next()) {
            if !is_cjk(a) && !is_cjk(b) && a != '-' && a != '/' {
                out.push(' ');
            }
        }
        out.push_str(&s);
    }
    out
}

/// Lays out one page: its lines in reading order, and the tables rebuilt without rulings
/// (their rows are among the lines, marked with `grid_row`).
pub fn layout_page(
    glyphs: Vec<TextGlyph>,
    segs: &[Seg],
    page_box: [f32; 4],
) -> (Vec<PdfLine>, Vec<borderless::Found>) {
    let mut glyphs = dedupe(glyphs);
    let mut out: Vec<PdfLine> = Vec::new();
    for t in detect_tables(segs) {
        let (rows, rest) = table_rows(&t, glyphs);
        glyphs = rest;
        out.extend(rows);
    }
    let h = page_box[3] - page_box[1];
    let margin = 0.12 * h.abs();
    let lines = group_lines(glyphs);
    let last = lines.len().saturating_sub(1);
    // tables without rulings, rebuilt from the positions of their words
    let vlines: Vec<VLine> = lines.iter().map(|l| words_of(l)).collect();
    let mut taken = vec![false; lines.len()];
    let tables = borderless::find(&vlines, Origin::Borderless);
    for (t, f) in tables.iter().enumerate() {
        for x in &mut taken[f.lines.clone()] {
            *x = true;
        }
        for r in 0..f.grid.rows {
            let bbox = f.grid.row_boxes.get(r).copied().unwrap_or_default();
            let mut line = match f.row_line(r) {
                borderless::RowLine::Cells(entries) => PdfLine::row(entries, bbox),
                borderless::RowLine::Text(text) => PdfLine {
                    text,
                    bbox,
                    ..PdfLine::default()
                },
            };
            line.grid_row = Some((t, r));
            out.push(line);
        }
    }
    for (i, line) in lines.into_iter().enumerate() {
        if taken[i] {
            continue;
        }
        let text = join_line(&line, false);
        if text.is_empty() {
            continue;
        }
        let bbox = bbox_of(&line);
        let cy = (bbox[1] + bbox[3]) * 0.5;
        let near_edge = cy < page_box[1] + margin || cy > page_box[3] - margin;
        // A bare number is a page number only as the page's first or last line: elsewhere
        // near the edge it may be a table value of a row broken by the page.
        let outermost = i == 0 || i == last;
        if near_edge && (is_decorated_page_number(&text) || (outermost && is_page_number(&text))) {
            continue;
        }
        out.push(PdfLine {
            text,
            bbox,
            ..PdfLine::default()
        });
    }
    out.sort_by(|a, b| {
        let ka = if a.is_table_row {
            a.bbox[3]
        } else {
            (a.bbox[1] + a.bbox[3]) * 0.5 + 0.01
        };
        let kb = if b.is_table_row {
            b.bbox[3]
        } else {
            (b.bbox[1] + b.bbox[3]) * 0.5 + 0.01
        };
        kb.total_cmp(&ka).then(a.bbox[0].total_cmp(&b.bbox[0]))
    });
    (out, tables)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn glyph(text: &str, x0: f32, y0: f32) -> TextGlyph {
        TextGlyph {
            text: text.into(),
            x0,
            y0,
            x1: x0 + 5.0,
            y1: y0 + 5.0,
            size: 5.0,
            space: false,
        }
    }

    /// The definition: a glyph goes when an earlier kept glyph of its text is less than 1 pt
    /// away on both axes.
    fn dedupe_reference(glyphs: Vec<TextGlyph>) -> Vec<TextGlyph> {
        let mut kept: Vec<TextGlyph> = Vec::new();
        for g in glyphs {
            let dup = !g.space
                && kept.iter().any(|k| {
                    !k.space
                        && k.text == g.text
                        && (k.x0 - g.x0).abs() < 1.0
                        && (k.y0 - g.y0).abs() < 1.0
                });
            if !dup {
                kept.push(g);
            }
        }
        kept
    }

    #[test]
    fn dedupe_drops_a_redrawn_glyph_across_cell_edges() {
        // 1.9 and 2.1 lie in different 2 pt cells, 0.2 pt apart
        let out = dedupe(vec![
            glyph("字", 1.9, 3.9),
            glyph("字", 2.1, 4.1),
            glyph("字", 3.1, 4.1),
        ]);
        let xs: Vec<f32> = out.iter().map(|g| g.x0).collect();
        assert_eq!(xs, [1.9, 3.1]);
    }

    proptest! {
        #[test]
        fn dedupe_matches_its_definition(
            gs in proptest::collection::vec((0..2usize, 0..40i32, 0..40i32), 0..120)
        ) {
            // quarter-point positions land on and beside every cell edge
            let glyphs: Vec<TextGlyph> = gs
                .iter()
                .map(|&(t, x, y)| glyph(["一", "二"][t], x as f32 * 0.25, y as f32 * 0.25 - 3.0))
                .collect();
            let got: Vec<(f32, f32)> = dedupe(glyphs.clone()).iter().map(|g| (g.x0, g.y0)).collect();
            let want: Vec<(f32, f32)> =
                dedupe_reference(glyphs).iter().map(|g| (g.x0, g.y0)).collect();
            prop_assert_eq!(got, want);
        }
    }
}
