//! Skew estimation: the rotation that makes text lines and rulings horizontal.
//!
//! Scanned pages sit up to a few degrees off. The estimate maximises the variance of the
//! ink's horizontal projection profile: rows of text and ruling lines give sharp peaks when
//! they are level and smear when they are not. Coarse steps on a reduced image, then fine
//! steps around the best.

use super::raster::Gray;

/// Largest skew looked for, in degrees.
const MAX_DEG: f32 = 4.0;

/// The angle (degrees) to pass to [`Gray::rotate`] to level the page.
pub(crate) fn estimate(ink: &[bool], w: usize, h: usize) -> f32 {
    // ink pixels on a grid of every `step`-th pixel, centred
    let step = (w.max(h) / 800).max(1);
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let mut pts: Vec<(f32, f32)> = Vec::new();
    for y in (0..h).step_by(step) {
        for x in (0..w).step_by(step) {
            if ink[y * w + x] {
                pts.push((x as f32 - cx, y as f32 - cy));
            }
        }
    }
    if pts.len() < 50 {
        return 0.0;
    }
    let bin = step as f32;
    let score = |deg: f32| -> f64 {
        let (s, c) = deg.to_radians().sin_cos();
        let n = (h as f32 * 1.2 / bin) as usize + 8;
        let mut hist = vec![0u32; n];
        let off = n as f32 / 2.0;
        for &(x, y) in &pts {
            // where the pixel lands after rotating by `deg` (forward map of Gray::rotate)
            let yy = -s * x + c * y;
            let k = (yy / bin + off) as isize;
            if k >= 0 && (k as usize) < n {
                hist[k as usize] += 1;
            }
        }
        hist.iter().map(|&v| (v as f64) * (v as f64)).sum()
    };
    let best_in = |lo: f32, hi: f32, d: f32| -> f32 {
        let mut best = (f64::MIN, 0.0f32);
        let mut a = lo;
        while a <= hi + 1e-6 {
            let v = score(a);
            if v > best.0 {
                best = (v, a);
            }
            a += d;
        }
        best.1
    };
    let coarse = best_in(-MAX_DEG, MAX_DEG, 0.2);
    let fine = best_in(coarse - 0.2, coarse + 0.2, 0.02);
    if fine.abs() < 0.02 {
        0.0
    } else {
        fine
    }
}

/// Levels a page: the estimated angle and the rotated image.
pub(crate) fn level(g: &Gray, threshold: u8) -> (f32, Gray) {
    let ink = super::raster::ink_mask(g, threshold);
    let a = estimate(&ink, g.w, g.h);
    (a, g.rotate(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_with_lines() -> Gray {
        let mut g = Gray::white(400, 400);
        for y in [50usize, 120, 190, 260, 330] {
            for x in 40..360 {
                for t in 0..2 {
                    g.px[(y + t) * 400 + x] = 0;
                }
            }
        }
        g
    }

    #[test]
    fn a_rotated_page_is_levelled_back() {
        let g = page_with_lines();
        for skew in [-2.0f32, -0.7, 0.0, 1.3, 3.0] {
            let r = g.rotate(skew);
            let ink = super::super::raster::ink_mask(&r, 128);
            let a = estimate(&ink, r.w, r.h);
            assert!((a + skew).abs() < 0.1, "skew {skew}: estimated {a}");
        }
    }
}
