//! Table cells of a page image: the regions the rulings enclose.
//!
//! Every pixel that is not a ruling belongs to a connected region; a region enclosed by
//! rulings and not touching the image edge is a cell, however many rows or columns it
//! spans (merged label cells come out whole). What lies in no cell — headings, prose — is
//! read as page text.

/// One enclosed region.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    /// Box of the region: x0, y0, x1, y1 (pixels, exclusive ends).
    pub region: [usize; 4],
    /// Box of the ink inside, when there is any.
    pub ink: Option<[usize; 4]>,
    /// Ink pixels inside.
    pub ink_px: usize,
}

/// Regions of `w × h` not covered by `rules_mask`, enclosed (not touching the image edge),
/// larger than `min_side` on both sides and smaller than a quarter of the image.
pub(crate) fn find(
    rules_mask: &[bool],
    ink: &[bool],
    w: usize,
    h: usize,
    min_side: usize,
) -> Vec<Cell> {
    // a region is only ever asked whether it was reached, so one flag a pixel (not a label)
    // and u32 pixel indices: the page's background region is most of a page's pixels
    if w.checked_mul(h).is_none_or(|n| n > u32::MAX as usize) {
        return Vec::new();
    }
    let mut reached = vec![false; w * h];
    let mut cells = Vec::new();
    // filled a row's run at a time: the stack holds seeds of runs, not pixels (a pixel
    // stack for the background region would be millions long)
    let mut seeds: Vec<u32> = Vec::new();
    for start in 0..w * h {
        if rules_mask[start] || reached[start] {
            continue;
        }
        seeds.push(start as u32);
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        let mut area = 0usize;
        let mut edge = false;
        // a region touching the page's edge is no cell: its ink is not kept
        let mut inked: Vec<u32> = Vec::new();
        let open = |q: usize, reached: &[bool]| !rules_mask[q] && !reached[q];
        while let Some(p) = seeds.pop() {
            let p = p as usize;
            if !open(p, &reached) {
                continue;
            }
            let (row, y) = (p - p % w, p / w);
            let (mut l, mut r) = (p, p + 1);
            while l > row && open(l - 1, &reached) {
                l -= 1;
            }
            while r < row + w && open(r, &reached) {
                r += 1;
            }
            reached[l..r].fill(true);
            area += r - l;
            x0 = x0.min(l - row);
            x1 = x1.max(r - row);
            y0 = y0.min(y);
            y1 = y1.max(y + 1);
            if l == row || r == row + w || y == 0 || y + 1 == h {
                edge = true;
                inked = Vec::new();
            }
            if !edge {
                inked.extend((l..r).filter(|&q| ink[q]).map(|q| q as u32));
            }
            // one seed for each run of open pixels above and below the run
            for other in [(y > 0).then(|| l - w), (y + 1 < h).then(|| l + w)] {
                let Some(a) = other else { continue };
                let mut q = a;
                while q < a + (r - l) {
                    if open(q, &reached) && (q == a || !open(q - 1, &reached)) {
                        seeds.push(q as u32);
                    }
                    q += 1;
                }
            }
        }
        cells.extend(cell_of([x0, y0, x1, y1], area, edge, inked, w, h, min_side));
    }
    cells.sort_by_key(|c| (c.region[1], c.region[0]));
    cells
}

/// The cell a filled region makes, with the ink inside it: `None` for a region touching
/// the image edge, narrower or lower than `min_side`, or over a quarter of the image.
fn cell_of(
    region: [usize; 4],
    area: usize,
    edge: bool,
    inked: Vec<u32>,
    w: usize,
    h: usize,
    min_side: usize,
) -> Option<Cell> {
    let [x0, y0, x1, y1] = region;
    if edge || x1 - x0 < min_side || y1 - y0 < min_side || area * 4 > w * h {
        return None;
    }
    // ink touching the region's border is what is left of a ruling, not a glyph
    let inner = |p: &usize| {
        let (x, y) = (p % w, p / w);
        x > x0 + 1 && x + 2 < x1 && y > y0 + 1 && y + 2 < y1
    };
    let pts: Vec<usize> = inked
        .into_iter()
        .map(|p| p as usize)
        .filter(inner)
        .collect();
    let ink = pts.iter().fold(None, |b: Option<[usize; 4]>, &p| {
        let (x, y) = (p % w, p / w);
        Some(match b {
            None => [x, y, x + 1, y + 1],
            Some(b) => [b[0].min(x), b[1].min(y), b[2].max(x + 1), b[3].max(y + 1)],
        })
    });
    Some(Cell {
        region,
        ink,
        ink_px: pts.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fill as first written, a pixel at a time: the reference the run fill must match
    /// (what a filled region makes is `cell_of` for both).
    fn find_by_pixels(
        rules_mask: &[bool],
        ink: &[bool],
        w: usize,
        h: usize,
        min_side: usize,
    ) -> Vec<Cell> {
        let mut reached = vec![false; w * h];
        let mut cells = Vec::new();
        let mut stack: Vec<u32> = Vec::new();
        for start in 0..w * h {
            if rules_mask[start] || reached[start] {
                continue;
            }
            reached[start] = true;
            stack.push(start as u32);
            let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
            let mut area = 0usize;
            let mut edge = false;
            let mut inked: Vec<u32> = Vec::new();
            while let Some(p) = stack.pop() {
                let p = p as usize;
                let (x, y) = (p % w, p / w);
                area += 1;
                x0 = x0.min(x);
                x1 = x1.max(x + 1);
                y0 = y0.min(y);
                y1 = y1.max(y + 1);
                if x == 0 || y == 0 || x + 1 == w || y + 1 == h {
                    edge = true;
                }
                if ink[p] {
                    inked.push(p as u32);
                }
                let mut push = |q: usize| {
                    if !rules_mask[q] && !reached[q] {
                        reached[q] = true;
                        stack.push(q as u32);
                    }
                };
                if x > 0 {
                    push(p - 1);
                }
                if x + 1 < w {
                    push(p + 1);
                }
                if y > 0 {
                    push(p - w);
                }
                if y + 1 < h {
                    push(p + w);
                }
            }
            cells.extend(cell_of([x0, y0, x1, y1], area, edge, inked, w, h, min_side));
        }
        cells.sort_by_key(|c| (c.region[1], c.region[0]));
        cells
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Random rulings (a grid with gaps, and noise) and ink: the run fill finds the
        /// same cells, boxes and ink counts as the pixel fill.
        #[test]
        fn the_run_fill_finds_what_the_pixel_fill_finds(
            w in 3usize..60,
            h in 3usize..60,
            step in 3usize..12,
            noise in proptest::collection::vec(0usize..3600, 0..80),
            inks in proptest::collection::vec(0usize..3600, 0..200),
            min_side in 0usize..6,
        ) {
            let mut m = vec![false; w * h];
            for y in 0..h {
                for x in 0..w {
                    m[y * w + x] = (y % step == 1 || x % (step + 1) == 2) && (x + y) % 17 != 0;
                }
            }
            for n in noise {
                let i = n % (w * h);
                m[i] = !m[i];
            }
            let mut ink = vec![false; w * h];
            for i in inks {
                ink[i % (w * h)] = true;
            }
            proptest::prop_assert_eq!(
                find(&m, &ink, w, h, min_side),
                find_by_pixels(&m, &ink, w, h, min_side)
            );
        }
    }

    #[test]
    fn a_two_by_two_grid_gives_four_cells_with_their_ink() {
        let (w, h) = (100usize, 80usize);
        let mut m = vec![false; w * h];
        for y in 0..h {
            for x in 0..w {
                let on_h = [10, 40, 70].contains(&y) && (10..=90).contains(&x);
                let on_v = [10, 50, 90].contains(&x) && (10..=70).contains(&y);
                m[y * w + x] = on_h || on_v;
            }
        }
        let mut ink = vec![false; w * h];
        for y in 20..26 {
            for x in 60..64 {
                ink[y * w + x] = true;
            }
        }
        let cells = find(&m, &ink, w, h, 5);
        assert_eq!(cells.len(), 4, "{cells:?}");
        let inked: Vec<&Cell> = cells.iter().filter(|c| c.ink_px > 0).collect();
        assert_eq!(inked.len(), 1);
        assert_eq!(inked[0].ink, Some([60, 20, 64, 26]));
        assert_eq!(inked[0].region, [51, 11, 90, 40]);
    }
}
