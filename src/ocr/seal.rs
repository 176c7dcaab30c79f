//! Seals: red ink stamped over the page, found by comparing the page as seen (luminance)
//! with the page once red is dropped.
//!
//! Dropping red leaves the seal's edges behind (anti-aliased and JPEG-blurred pixels are
//! not red enough), and a recogniser reads those specks as characters (`们` for the
//! ghost of `政务公开专用章` above a `0`). A speck lies wholly inside the seal; a digit
//! or a ruling the seal crosses reaches out of it, and stays.

use super::raster::Gray;

/// How much darker a pixel is as seen than without red for it to be seal ink.
const RED_DROP: i32 = 80;

/// Whether pixel `i` is seal ink: dark as seen, light once red is dropped.
fn is_red(unsealed: &Gray, seen: &Gray, i: usize) -> bool {
    unsealed.px[i] as i32 - seen.px[i] as i32 > RED_DROP
}

/// Whether a seal's ink lies over the box `b` (grown by `pad`): more than 2% of it red.
pub(crate) fn crosses(unsealed: &Gray, seen: &Gray, b: [usize; 4], pad: usize) -> bool {
    let (x0, y0) = (b[0].saturating_sub(pad), b[1].saturating_sub(pad));
    let (x1, y1) = ((b[2] + pad).min(seen.w), (b[3] + pad).min(seen.h));
    let mut red = 0usize;
    for y in y0..y1 {
        for x in x0..x1 {
            red += usize::from(is_red(unsealed, seen, y * seen.w + x));
        }
    }
    red * 50 > (x1 - x0) * (y1 - y0)
}

/// Turns to paper every connected piece of ink of `img` (darker than `t`) that lies wholly
/// within `reach` pixels of the seal's ink: what dropping red left of the seal.
/// `unsealed` and `seen` are the same page with red dropped and as seen, same size as `img`.
pub(crate) fn erase_remnants(img: &mut Gray, unsealed: &Gray, seen: &Gray, t: u8, reach: usize) {
    let (w, h) = (img.w, img.h);
    if unsealed.w != w || seen.w != w || unsealed.h != h || seen.h != h {
        return;
    }
    let red: Vec<bool> = (0..w * h).map(|i| is_red(unsealed, seen, i)).collect();
    if !red.iter().any(|&r| r) {
        return;
    }
    // near the seal: within `reach` of red (a square neighbourhood, rows then columns)
    let mut rows = vec![false; w * h];
    for y in 0..h {
        spread(w, reach, |x| red[y * w + x], |x| rows[y * w + x] = true);
    }
    // page-sized flags: each goes once the next is made
    drop(red);
    let mut near = vec![false; w * h];
    for x in 0..w {
        spread(h, reach, |y| rows[y * w + x], |y| near[y * w + x] = true);
    }
    drop(rows);
    // pieces of ink that start near the seal, followed out (8-connected)
    let mut seen_px = vec![false; w * h];
    let mut piece: Vec<usize> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for start in 0..w * h {
        if seen_px[start] || !near[start] || img.px[start] >= t {
            continue;
        }
        piece.clear();
        seen_px[start] = true;
        stack.push(start);
        let mut inside = true;
        while let Some(p) = stack.pop() {
            piece.push(p);
            inside &= near[p];
            let (x, y) = (p % w, p / w);
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let q = ny as usize * w + nx as usize;
                    if !seen_px[q] && img.px[q] < t {
                        seen_px[q] = true;
                        stack.push(q);
                    }
                }
            }
        }
        if inside {
            for &p in &piece {
                img.px[p] = 255;
            }
        }
    }
}

/// Marks every position of a line of `len` within `reach` of one where `on` holds.
fn spread(len: usize, reach: usize, on: impl Fn(usize) -> bool, mut mark: impl FnMut(usize)) {
    let mut last: Option<usize> = None;
    for i in 0..len {
        if on(i) {
            last = Some(i);
        }
        if last.is_some_and(|l| i - l <= reach) {
            mark(i);
        }
    }
    let mut next: Option<usize> = None;
    for i in (0..len).rev() {
        if on(i) {
            next = Some(i);
        }
        if next.is_some_and(|n| n - i <= reach) {
            mark(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specks_inside_a_seal_go_and_a_digit_it_crosses_stays() {
        let (w, h) = (60usize, 40usize);
        let mut seen = Gray::white(w, h);
        let mut unsealed = Gray::white(w, h);
        // the seal: a red bar, x 10..30, y 5..35 (dark as seen, paper without red)
        for y in 5..35 {
            for x in 10..30 {
                seen.px[y * w + x] = 90;
            }
        }
        // a speck the red drop left, inside the seal
        unsealed.px[20 * w + 20] = 40;
        unsealed.px[20 * w + 21] = 40;
        // a stroke from inside the seal out to x 45 (a digit it crosses)
        for x in 25..45 {
            unsealed.px[10 * w + x] = 30;
            seen.px[10 * w + x] = 30;
        }
        let mut img = unsealed.clone();
        erase_remnants(&mut img, &unsealed, &seen, 128, 2);
        assert_eq!(img.px[20 * w + 20], 255, "speck erased");
        assert_eq!(img.px[10 * w + 26], 30, "stroke kept inside the seal");
        assert_eq!(img.px[10 * w + 40], 30, "stroke kept outside");
        assert!(crosses(&unsealed, &seen, [12, 12, 18, 18], 0));
        assert!(!crosses(&unsealed, &seen, [40, 12, 58, 38], 0));
    }
}
