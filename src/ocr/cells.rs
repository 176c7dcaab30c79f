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
        let (cw, ch) = (x1 - x0, y1 - y0);
        if edge || cw < min_side || ch < min_side || area * 4 > w * h {
            continue;
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
        let ink_box = pts.iter().fold(None, |b: Option<[usize; 4]>, &p| {
            let (x, y) = (p % w, p / w);
            Some(match b {
                None => [x, y, x + 1, y + 1],
                Some(b) => [b[0].min(x), b[1].min(y), b[2].max(x + 1), b[3].max(y + 1)],
            })
        });
        cells.push(Cell {
            region: [x0, y0, x1, y1],
            ink: ink_box,
            ink_px: pts.len(),
        });
    }
    cells.sort_by_key(|c| (c.region[1], c.region[0]));
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

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
