//! Ruling lines of a levelled page image: long, thin runs of ink.
//!
//! A ruling is a run of ink along a row (or column) far longer than any stroke of a glyph,
//! a few pixels thick, with paper on both sides. Runs on neighbouring rows join into one
//! line; collinear pieces broken by noise, JPEG blocks or a seal's ink are bridged.

/// A ruling in pixel coordinates: horizontal at row `pos` from `a` to `b`, or vertical at
/// column `pos` from `a` to `b` (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rule {
    /// Horizontal (else vertical).
    pub horiz: bool,
    /// Centre row (horizontal) or column (vertical).
    pub pos: f32,
    /// Start along the line.
    pub a: usize,
    /// End along the line (exclusive).
    pub b: usize,
    /// Thickness in pixels.
    pub thick: usize,
}

/// Sizes in pixels, from the image's resolution.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuleSizes {
    /// Shortest horizontal line.
    pub min_h: usize,
    /// Shortest vertical line.
    pub min_v: usize,
    /// Thickest line (thicker ink is a filled area or a bold glyph).
    pub max_thick: usize,
    /// Largest gap bridged inside a run of one row.
    pub run_gap: usize,
    /// Largest gap bridged between collinear pieces.
    pub bridge: usize,
}

impl RuleSizes {
    /// How far a line may stop short of another and still meet it.
    fn meet_tol(&self) -> f32 {
        self.run_gap as f32 * 3.0 + 2.0
    }

    /// Sizes for an image of `dpi` pixels per inch.
    pub fn for_dpi(dpi: f32) -> RuleSizes {
        let px = |inch: f32| (inch * dpi).round().max(1.0) as usize;
        RuleSizes {
            min_h: px(0.45),
            min_v: px(0.26),
            max_thick: px(0.05).max(3),
            run_gap: px(0.012).max(2),
            bridge: px(0.12),
        }
    }
}

/// Runs of `true` along one line of `len` samples read by `get`, gaps up to `gap` bridged:
/// `(start, end)` with `end - start >= min`.
fn runs(len: usize, get: impl Fn(usize) -> bool, gap: usize, min: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < len {
        if !get(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        let mut j = i + 1;
        while j < len {
            if get(j) {
                end = j + 1;
                j += 1;
            } else if j - end < gap {
                j += 1;
            } else {
                break;
            }
        }
        if end - start >= min {
            out.push((start, end));
        }
        i = j.max(end);
    }
    out
}

/// All rulings of an ink mask `w × h`. `cover`, when given, is a second ink mask in which
/// what hid a line in the first still shows (a seal's red over a grey ruling): a longer
/// gap between collinear pieces is bridged where `cover` has ink all along it.
pub(crate) fn find(
    ink: &[bool],
    cover: Option<&[bool]>,
    w: usize,
    h: usize,
    sz: RuleSizes,
) -> Vec<Rule> {
    let mut out = lines(ink, cover, w, h, sz, true);
    let verticals = lines(ink, cover, w, h, sz, false);
    // A table's vertical rulings meet its horizontal ones; a stroke of a large glyph (a
    // title's 丨) stands alone, and erasing it would cut the glyph.
    let tol = sz.meet_tol();
    let meets = |v: &Rule| {
        out.iter().any(|h| {
            h.a as f32 - tol <= v.pos
                && v.pos <= h.b as f32 + tol
                && v.a as f32 - tol <= h.pos
                && h.pos <= v.b as f32 + tol
        })
    };
    let mut kept: Vec<Rule> = verticals.into_iter().filter(|v| meets(v)).collect();
    // lines broken where a seal or a faint stretch hides them, restored cell side by cell
    // side: verticals between the horizontals they cross, then horizontals between the
    // (restored) verticals
    let evidence = |x: usize, y: usize| ink[y * w + x] || cover.is_some_and(|c| c[y * w + x]);
    complete(&mut kept, &out, &evidence, w, h, sz);
    complete(&mut out, &kept, &evidence, w, h, sz);
    // a short piece that leaves a line of the other direction at one end and stops in the
    // open at the other is no ruling of a grid: strokes of a glyph (`一` beside `安全`)
    // fused with the cell's border
    let short = 2 * sz.min_h;
    let dangling = |r: &Rule, others: &[Rule]| {
        let at = |end: usize| {
            others.iter().any(|o| {
                (o.pos - end as f32).abs() <= tol
                    && o.a as f32 - tol <= r.pos
                    && r.pos <= o.b as f32 + tol
            })
        };
        r.b - r.a < short && at(r.a) != at(r.b.saturating_sub(1))
    };
    let horizontals: Vec<Rule> = out
        .iter()
        .filter(|r| !dangling(r, &kept))
        .copied()
        .collect();
    let verticals: Vec<Rule> = kept
        .iter()
        .filter(|r| !dangling(r, &horizontals))
        .copied()
        .collect();
    let mut out = horizontals;
    out.extend(verticals);
    out
}

/// Completes the lines of `lines` (all of one direction) across the cells that the lines of
/// `across` (the other direction) mark out along them. For each line and each stretch
/// between two consecutive crossing lines, a missing part is restored where `evidence`
/// shows ink (a ruling's grey, or a seal's red over it) along at least 90% of it with no
/// gap of paper longer than a glyph's stroke gap: a line hidden under a seal, or one
/// whose pieces were each too short to count. A merged cell has no such ink along the
/// missing part (text leaves paper between its lines), so it stays merged.
fn complete(
    lines: &mut Vec<Rule>,
    across: &[Rule],
    evidence: &impl Fn(usize, usize) -> bool,
    w: usize,
    h: usize,
    sz: RuleSizes,
) {
    let Some(horiz) = lines.first().map(|r| r.horiz) else {
        return;
    };
    let (n_along, n_across) = if horiz { (w, h) } else { (h, w) };
    let tol = sz.meet_tol();
    let max_paper = (sz.run_gap * 2).max(3);
    let mut added: Vec<Rule> = Vec::new();
    // the pieces of each line, grouped by position
    let mut sorted: Vec<&Rule> = lines.iter().collect();
    sorted.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let mut groups: Vec<Vec<&Rule>> = Vec::new();
    for r in sorted {
        match groups.last_mut() {
            Some(g) if (r.pos - g[0].pos).abs() <= 2.5 => g.push(r),
            _ => groups.push(vec![r]),
        }
    }
    for g in &groups {
        let len: f32 = g.iter().map(|r| (r.b - r.a) as f32).sum();
        let pos = g.iter().map(|r| r.pos * (r.b - r.a) as f32).sum::<f32>() / len.max(1.0);
        let thick = g.iter().map(|r| r.thick).max().unwrap_or(1);
        let k = pos.round() as usize;
        if k >= n_across {
            continue;
        }
        // where the crossing lines cut this one
        let mut cuts: Vec<usize> = across
            .iter()
            .filter(|c| c.a as f32 - tol <= pos && pos <= c.b as f32 + tol)
            .map(|c| c.pos.round() as usize)
            .filter(|&c| c < n_along)
            .collect();
        cuts.sort_unstable();
        cuts.dedup_by(|a, b| a.abs_diff(*b) <= 3);
        let mut pieces: Vec<(usize, usize)> = g.iter().map(|r| (r.a, r.b)).collect();
        let bands: Vec<(usize, usize)> = cuts.windows(2).map(|p| (p[0], p[1])).collect();
        // down the line and back up, so a restored part lets the next one continue it
        for (s0, s1) in bands.iter().copied().chain(bands.iter().rev().copied()) {
            // only a line that reaches into the stretch is continued across it: under a
            // seal any column looks inked, and a line of another table may share the x
            let reach = tol as usize;
            if !pieces
                .iter()
                .any(|&(a, b)| b + reach >= s0 && a <= s1 + reach)
            {
                continue;
            }
            // the parts of [s0, s1) no piece covers
            let mut missing: Vec<(usize, usize)> = vec![(s0, s1)];
            for &(a, b) in &pieces {
                let (ra, rb) = (a.saturating_sub(2), b + 2);
                missing = missing
                    .into_iter()
                    .flat_map(|(m0, m1)| {
                        let mut parts = Vec::with_capacity(2);
                        if m0 < ra.min(m1) {
                            parts.push((m0, ra.min(m1)));
                        }
                        if rb.max(m0) < m1 {
                            parts.push((rb.max(m0), m1));
                        }
                        parts
                    })
                    .collect();
            }
            for (m0, m1) in missing {
                if m1 - m0 <= 2 {
                    continue;
                }
                let (mut inked, mut paper, mut worst) = (0usize, 0usize, 0usize);
                for i in m0..m1 {
                    let hit = (k.saturating_sub(2)..=(k + 2).min(n_across - 1)).any(|kk| {
                        let (x, y) = if horiz { (i, kk) } else { (kk, i) };
                        evidence(x, y)
                    });
                    if hit {
                        inked += 1;
                        paper = 0;
                    } else {
                        paper += 1;
                        worst = worst.max(paper);
                    }
                }
                if inked * 10 >= (m1 - m0) * 9 && worst <= max_paper {
                    pieces.push((m0, m1));
                    added.push(Rule {
                        horiz,
                        pos,
                        a: m0,
                        b: m1,
                        thick,
                    });
                }
            }
        }
    }
    if added.is_empty() {
        return;
    }
    lines.extend(added);
    // the restored parts join the pieces they fill in between
    bridge(lines, 3, 3, |_, _, _| false);
}

fn lines(
    ink: &[bool],
    cover: Option<&[bool]>,
    w: usize,
    h: usize,
    sz: RuleSizes,
    horiz: bool,
) -> Vec<Rule> {
    // `across` indexes rows for horizontal lines, columns for vertical ones
    let (n_across, n_along) = if horiz { (h, w) } else { (w, h) };
    let at = |across: usize, along: usize| -> bool {
        if horiz {
            ink[across * w + along]
        } else {
            ink[along * w + across]
        }
    };
    let min = if horiz { sz.min_h } else { sz.min_v };
    // open pieces: (first across, last across, a, b)
    let mut open: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut done: Vec<(usize, usize, usize, usize)> = Vec::new();
    for k in 0..n_across {
        let rs = runs(n_along, |i| at(k, i), sz.run_gap, min);
        let mut next: Vec<(usize, usize, usize, usize)> = Vec::new();
        let mut used = vec![false; rs.len()];
        for p in open.drain(..) {
            // a run on this row overlapping the piece continues it
            let hit = rs.iter().enumerate().find(|(j, r)| {
                !used[*j] && r.0.max(p.2) < r.1.min(p.3) && {
                    let ov = r.1.min(p.3) - r.0.max(p.2);
                    ov * 2 >= (r.1 - r.0).min(p.3 - p.2)
                }
            });
            match hit {
                Some((j, r)) => {
                    used[j] = true;
                    next.push((p.0, k, p.2.min(r.0), p.3.max(r.1)));
                }
                None => done.push(p),
            }
        }
        for (j, r) in rs.iter().enumerate() {
            if !used[j] {
                next.push((k, k, r.0, r.1));
            }
        }
        open = next;
    }
    done.extend(open);
    let mut rules: Vec<Rule> = done
        .into_iter()
        .filter(|p| p.1 - p.0 < sz.max_thick)
        .filter(|p| paper_on_both_sides(&at, n_across, *p))
        .map(|(k0, k1, a, b)| Rule {
            horiz,
            pos: (k0 + k1) as f32 / 2.0,
            a,
            b,
            thick: k1 - k0 + 1,
        })
        .collect();
    let covered = |r: &Rule, from: usize, to: usize| -> bool {
        let Some(cover) = cover else { return false };
        let k = r.pos.round() as usize;
        let mut hit = 0;
        for i in from..to {
            let inked = (k.saturating_sub(1)..=k + 1).any(|kk| {
                let (x, y) = if horiz { (i, kk) } else { (kk, i) };
                x < w && y < h && cover[y * w + x]
            });
            hit += usize::from(inked);
        }
        to > from && hit * 10 >= (to - from) * 9
    };
    bridge(&mut rules, sz.bridge, sz.bridge * 16, covered);
    rules
}

/// A ruling has paper just beyond its edges along most of its length; a glyph's stroke
/// (or a row of bold text fused into one run) has ink there.
fn paper_on_both_sides(
    at: &impl Fn(usize, usize) -> bool,
    n_across: usize,
    (k0, k1, a, b): (usize, usize, usize, usize),
) -> bool {
    let before = k0.checked_sub(3);
    let after = (k1 + 3 < n_across).then_some(k1 + 3);
    let (mut inked, mut n) = (0usize, 0usize);
    for i in (a..b).step_by(2) {
        for k in [before, after].into_iter().flatten() {
            n += 1;
            if at(k, i) {
                inked += 1;
            }
        }
    }
    n == 0 || inked * 10 < n * 3
}

/// Joins collinear pieces (same row or column within 2 px) whose gap is at most `gap`, or
/// at most `long` where `covered(piece, gap start, gap end)` says something hides the line.
fn bridge(
    rules: &mut Vec<Rule>,
    gap: usize,
    long: usize,
    covered: impl Fn(&Rule, usize, usize) -> bool,
) {
    rules.sort_by(|x, y| x.pos.total_cmp(&y.pos).then(x.a.cmp(&y.a)));
    let mut out: Vec<Rule> = Vec::with_capacity(rules.len());
    for r in rules.drain(..) {
        // the nearest earlier piece on the same line
        let prev = out
            .iter_mut()
            .rev()
            .take_while(|p| r.pos - p.pos <= 2.5)
            .find(|p| {
                (p.pos - r.pos).abs() <= 2.5
                    && ((r.a <= p.b + gap && p.a <= r.b + gap)
                        || (r.a > p.b && r.a <= p.b + long && covered(p, p.b, r.a)))
            });
        match prev {
            Some(p) => {
                let (pl, rl) = ((p.b - p.a) as f32, (r.b - r.a) as f32);
                p.pos = (p.pos * pl + r.pos * rl) / (pl + rl);
                p.a = p.a.min(r.a);
                p.b = p.b.max(r.b);
                p.thick = p.thick.max(r.thick);
            }
            None => out.push(r),
        }
    }
    *rules = out;
}

/// Marks every ruling (with a pixel of margin) in a mask `w × h`, for erasing them before
/// the characters are read.
pub(crate) fn mask(rules: &[Rule], w: usize, h: usize) -> Vec<bool> {
    let mut m = vec![false; w * h];
    for r in rules {
        let half = r.thick as f32 / 2.0 + 1.5;
        let k0 = (r.pos - half).floor().max(0.0) as usize;
        let k1 = (r.pos + half).ceil() as usize;
        for k in k0..=k1 {
            for i in r.a.saturating_sub(1)..(r.b + 1) {
                let (x, y) = if r.horiz { (i, k) } else { (k, i) };
                if x < w && y < h {
                    m[y * w + x] = true;
                }
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_gives_its_lines_and_text_gives_none() {
        let (w, h) = (300usize, 200usize);
        let mut ink = vec![false; w * h];
        for y in [20usize, 100, 180] {
            for x in 20..280 {
                ink[y * w + x] = true;
                ink[(y + 1) * w + x] = true;
            }
        }
        for x in [20usize, 150, 279] {
            for y in 20..182 {
                ink[y * w + x] = true;
            }
        }
        // a gap in one line (a seal's ink washed it out)
        for x in 60..66 {
            ink[100 * w + x] = false;
            ink[101 * w + x] = false;
        }
        // a "glyph": a small filled box inside a cell
        for y in 40..60 {
            for x in 40..58 {
                ink[y * w + x] = true;
            }
        }
        let rules = find(&ink, None, w, h, sizes());
        let hs: Vec<&Rule> = rules.iter().filter(|r| r.horiz).collect();
        let vs: Vec<&Rule> = rules.iter().filter(|r| !r.horiz).collect();
        assert_eq!(hs.len(), 3, "{hs:?}");
        assert_eq!(vs.len(), 3, "{vs:?}");
        assert!(hs.iter().all(|r| r.a <= 21 && r.b >= 279), "{hs:?}");
        assert!((hs[1].pos - 100.5).abs() < 0.6);
    }

    fn grid(w: usize, h: usize, ys: &[usize], xs: &[usize]) -> Vec<bool> {
        let mut ink = vec![false; w * h];
        for &y in ys {
            for x in xs[0]..=xs[xs.len() - 1] {
                ink[y * w + x] = true;
            }
        }
        for &x in xs {
            for y in ys[0]..=ys[ys.len() - 1] {
                ink[y * w + x] = true;
            }
        }
        ink
    }

    fn sizes() -> RuleSizes {
        RuleSizes {
            min_h: 40,
            min_v: 30,
            max_thick: 6,
            run_gap: 2,
            bridge: 10,
        }
    }

    #[test]
    fn a_line_hidden_by_a_seal_is_restored_between_its_crossings() {
        let (w, h) = (300usize, 260usize);
        let (ys, xs) = ([20usize, 120, 240], [20usize, 100, 200, 280]);
        let mut ink = grid(w, h, &ys, &xs);
        // the seal: the vertical at x=200 gone from y=60 to the bottom, the seal's ink
        // there as seen
        let mut cover = ink.clone();
        for y in 60..=240 {
            ink[y * w + 200] = false;
            for x in 196..205 {
                cover[y * w + x] = true;
            }
        }
        let rules = find(&ink, Some(&cover), w, h, sizes());
        let v: Vec<&Rule> = rules
            .iter()
            .filter(|r| !r.horiz && (r.pos - 200.0).abs() < 2.0)
            .collect();
        assert_eq!(v.len(), 1, "{v:?}");
        assert!(v[0].a <= 21 && v[0].b >= 239, "{v:?}");
        // without the seal's evidence the line stays broken
        let rules = find(&ink, None, w, h, sizes());
        assert!(rules
            .iter()
            .filter(|r| !r.horiz && (r.pos - 200.0).abs() < 2.0)
            .all(|r| r.b < 100));
    }

    #[test]
    fn a_seal_does_not_carry_a_line_of_another_table_into_this_one() {
        let (w, h) = (300usize, 300usize);
        // upper table: columns at 20, 100, 280; lower table: 20, 200, 280
        let mut ink = grid(w, h, &[20, 100], &[20, 100, 280]);
        let lower = grid(w, h, &[180, 280], &[20, 200, 280]);
        for (a, b) in ink.iter_mut().zip(&lower) {
            *a |= *b;
        }
        // a seal over the upper table around x=200
        let mut cover = ink.clone();
        for y in 15..105 {
            for x in 190..210 {
                cover[y * w + x] = true;
            }
        }
        let rules = find(&ink, Some(&cover), w, h, sizes());
        assert!(
            rules
                .iter()
                .filter(|r| !r.horiz && (r.pos - 200.0).abs() < 3.0)
                .all(|r| r.a >= 170),
            "{rules:?}"
        );
    }

    #[test]
    fn a_stroke_fused_with_a_border_is_no_ruling() {
        let (w, h) = (300usize, 260usize);
        let (ys, xs) = ([20usize, 120, 240], [20usize, 150, 280]);
        let mut ink = grid(w, h, &ys, &xs);
        // `一` beside the border at x=150, run into it
        for x in 150..200 {
            ink[70 * w + x] = true;
        }
        let rules = find(&ink, None, w, h, sizes());
        assert!(
            rules
                .iter()
                .all(|r| !(r.horiz && (r.pos - 70.0).abs() < 2.0)),
            "{rules:?}"
        );
        assert_eq!(rules.iter().filter(|r| r.horiz).count(), 3);
    }

    #[test]
    fn runs_bridge_small_gaps_only() {
        let v = [1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1];
        let r = runs(v.len(), |i| v[i] == 1, 2, 2);
        assert_eq!(r, vec![(0, 5), (8, 11)]);
    }
}
