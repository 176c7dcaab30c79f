//! 8-bit gray rasters: conversion from decoded images, rotation, thresholds.

/// A gray image, one byte per pixel (0 black, 255 white), row-major, top row first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gray {
    /// Width in pixels.
    pub w: usize,
    /// Height in pixels.
    pub h: usize,
    /// `w × h` samples.
    pub px: Vec<u8>,
}

/// A red pixel looking darker than this (luminance, 0–255) is black print under a seal,
/// not the seal: seal ink, pink to deep red, is seen at 90–160, print under it at 20–60.
/// Measured on the corpus scans: 60 or 90 lose print or keep seal, 75 keeps the most cells.
const UNDER_SEAL_SEEN: u32 = 75;

/// A pixel's luminance (Rec. 601), 0–255: how dark the eye sees it.
#[inline]
fn luminance(r: u8, g: u8, b: u8) -> u32 {
    (299 * r as u32 + 587 * g as u32 + 114 * b as u32) / 1000
}

impl Gray {
    /// A white image.
    pub fn white(w: usize, h: usize) -> Gray {
        Gray {
            w,
            h,
            px: vec![255; w * h],
        }
    }

    /// From 1 (gray) or 3/4 (RGB, RGBA) samples per pixel, as the eye sees it (luminance):
    /// red print — a title in the red letterhead — stays dark.
    pub fn from_samples(w: usize, h: usize, channels: usize, data: &[u8]) -> Option<Gray> {
        Self::convert(w, h, channels, data, |r, g, b| luminance(r, g, b) as u8)
    }

    /// From 1 or 3/4 samples per pixel with **red ink removed**: a reddish pixel becomes
    /// paper, any other its brightest channel. Red seals and stamps, the commonest thing
    /// laid over a report's tables, vanish; black print (also where a seal covers it: the
    /// mix stays dark) and tinted cell backgrounds (light in their brightest channel) stay
    /// as they are. What is dark red, darker than any seal ink, is print under the seal
    /// and stays. Print the seal's ink turned mid-red is lost with it: the cells
    /// under a seal are read with doubt, and their rulings bridged from the image as seen.
    pub fn without_red(w: usize, h: usize, channels: usize, data: &[u8]) -> Option<Gray> {
        Self::convert(w, h, channels, data, |r, g, b| {
            // red well above green and blue, unless it looks darker than any seal ink
            // (black print under the seal)
            let red = r > g.max(b).saturating_add(40);
            if red && luminance(r, g, b) > UNDER_SEAL_SEEN {
                255
            } else {
                r.max(g).max(b)
            }
        })
    }

    fn convert(
        w: usize,
        h: usize,
        channels: usize,
        data: &[u8],
        f: impl Fn(u8, u8, u8) -> u8,
    ) -> Option<Gray> {
        let n = w.checked_mul(h)?;
        let px = match channels {
            1 => data.get(..n)?.to_vec(),
            3 | 4 => {
                let need = n.checked_mul(channels)?;
                data.get(..need)?
                    .chunks_exact(channels)
                    .map(|p| f(p[0], p[1], p[2]))
                    .collect()
            }
            _ => return None,
        };
        Some(Gray { w, h, px })
    }

    /// The sample at (x, y), white outside the image.
    #[inline]
    pub fn at(&self, x: isize, y: isize) -> u8 {
        if x < 0 || y < 0 || x as usize >= self.w || y as usize >= self.h {
            return 255;
        }
        self.px[y as usize * self.w + x as usize]
    }

    /// The rectangle `[x0, x1) × [y0, y1)`, clipped to the image.
    pub fn crop(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> Gray {
        let (x1, y1) = (x1.min(self.w), y1.min(self.h));
        let (x0, y0) = (x0.min(x1), y0.min(y1));
        let mut px = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            px.extend_from_slice(&self.px[y * self.w + x0..y * self.w + x1]);
        }
        Gray {
            w: x1 - x0,
            h: y1 - y0,
            px,
        }
    }

    /// Copies `src` with its top-left corner at (x, y), clipped.
    pub fn paste(&mut self, src: &Gray, x: usize, y: usize) {
        for sy in 0..src.h {
            let ty = y + sy;
            if ty >= self.h {
                break;
            }
            let n = src.w.min(self.w.saturating_sub(x));
            let t = ty * self.w + x;
            self.px[t..t + n].copy_from_slice(&src.px[sy * src.w..sy * src.w + n]);
        }
    }

    /// Rotated by `deg` degrees (positive: counter-clockwise as seen) about the centre,
    /// bilinear, white where nothing maps; same size.
    pub fn rotate(&self, deg: f32) -> Gray {
        if deg.abs() < 0.005 {
            return self.clone();
        }
        let (s, c) = deg.to_radians().sin_cos();
        let (cx, cy) = (self.w as f32 / 2.0, self.h as f32 / 2.0);
        let mut out = Gray::white(self.w, self.h);
        for y in 0..self.h {
            let dy = y as f32 - cy;
            for x in 0..self.w {
                let dx = x as f32 - cx;
                // inverse map: where this output pixel comes from
                let sx = c * dx - s * dy + cx;
                let sy = s * dx + c * dy + cy;
                let (fx, fy) = (sx.floor(), sy.floor());
                let (ax, ay) = (sx - fx, sy - fy);
                let (ix, iy) = (fx as isize, fy as isize);
                let p00 = self.at(ix, iy) as f32;
                let p10 = self.at(ix + 1, iy) as f32;
                let p01 = self.at(ix, iy + 1) as f32;
                let p11 = self.at(ix + 1, iy + 1) as f32;
                let v = p00 * (1.0 - ax) * (1.0 - ay)
                    + p10 * ax * (1.0 - ay)
                    + p01 * (1.0 - ax) * ay
                    + p11 * ax * ay;
                out.px[y * self.w + x] = v.round().clamp(0.0, 255.0) as u8;
            }
        }
        out
    }

    /// Scaled by `f` (bilinear; at least 1 × 1).
    pub fn scale(&self, f: f32) -> Gray {
        let w = ((self.w as f32 * f).round() as usize).max(1);
        let h = ((self.h as f32 * f).round() as usize).max(1);
        let mut out = Gray::white(w, h);
        for y in 0..h {
            let sy = (y as f32 + 0.5) / f - 0.5;
            let (fy, ay) = (sy.floor(), sy - sy.floor());
            for x in 0..w {
                let sx = (x as f32 + 0.5) / f - 0.5;
                let (fx, ax) = (sx.floor(), sx - sx.floor());
                let (ix, iy) = (fx as isize, fy as isize);
                let v = self.at(ix, iy) as f32 * (1.0 - ax) * (1.0 - ay)
                    + self.at(ix + 1, iy) as f32 * ax * (1.0 - ay)
                    + self.at(ix, iy + 1) as f32 * (1.0 - ax) * ay
                    + self.at(ix + 1, iy + 1) as f32 * ax * ay;
                out.px[y * w + x] = v.round().clamp(0.0, 255.0) as u8;
            }
        }
        out
    }

    /// Turned clockwise by `quarters` quarter turns (a sideways or upside-down page set
    /// upright).
    pub fn turn(&self, quarters: u8) -> Gray {
        let (w, h) = (self.w, self.h);
        match quarters % 4 {
            0 => self.clone(),
            2 => Gray {
                w,
                h,
                px: self.px.iter().rev().copied().collect(),
            },
            q => {
                // the new image is h wide and w high; new (x, y) comes from old
                // (y, h-1-x) turning clockwise, (w-1-y, x) anticlockwise
                let mut px = vec![255u8; w * h];
                for y in 0..w {
                    for x in 0..h {
                        let (ox, oy) = if q == 1 {
                            (y, h - 1 - x)
                        } else {
                            (w - 1 - y, x)
                        };
                        px[y * h + x] = self.px[oy * w + ox];
                    }
                }
                Gray { w: h, h: w, px }
            }
        }
    }

    /// Every sample above `t` turned white: paper texture, faint seals and JPEG haze go,
    /// the strokes keep their grey edges.
    pub fn clear_above(&self, t: u8) -> Gray {
        Gray {
            w: self.w,
            h: self.h,
            px: self
                .px
                .iter()
                .map(|&v| if v > t { 255 } else { v })
                .collect(),
        }
    }

    /// Encoded as an 8-bit gray PNG (what the OCR engine is handed).
    pub fn to_png(&self) -> Vec<u8> {
        use image::ImageEncoder;
        let mut out = Vec::new();
        let enc = image::codecs::png::PngEncoder::new_with_quality(
            &mut out,
            image::codecs::png::CompressionType::Fast,
            image::codecs::png::FilterType::NoFilter,
        );
        // dimensions come from a Gray the crate built; an encoder error leaves `out` empty
        let _ = enc.write_image(
            &self.px,
            self.w as u32,
            self.h as u32,
            image::ExtendedColorType::L8,
        );
        out
    }
}

/// A page image in the two greys OCR reads: as seen (for prose, titles in red print
/// included) and with red ink removed (for rulings and table cells, where seals sit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageRaster {
    /// Luminance.
    pub seen: Gray,
    /// Red ink turned to paper.
    pub unsealed: Gray,
}

impl PageRaster {
    /// From 1 (gray) or 3/4 (RGB, RGBA) samples per pixel, row-major.
    pub fn from_samples(w: usize, h: usize, channels: usize, data: &[u8]) -> Option<PageRaster> {
        let seen = Gray::from_samples(w, h, channels, data)?;
        let unsealed = if channels == 1 {
            seen.clone()
        } else {
            Gray::without_red(w, h, channels, data)?
        };
        Some(PageRaster { seen, unsealed })
    }

    /// Both greys turned clockwise by `quarters` quarter turns.
    pub fn turn(&self, quarters: u8) -> PageRaster {
        PageRaster {
            seen: self.seen.turn(quarters),
            unsealed: self.unsealed.turn(quarters),
        }
    }

    /// A gray page (a bilevel or gray scan: no colour to tell seals by).
    pub fn from_gray(g: Gray) -> PageRaster {
        PageRaster {
            unsealed: g.clone(),
            seen: g,
        }
    }
}

/// How many samples have each grey level.
pub(crate) fn histogram(g: &Gray) -> [u64; 256] {
    let mut hist = [0u64; 256];
    for &v in &g.px {
        hist[v as usize] += 1;
    }
    hist
}

/// Otsu's threshold of the samples: the level that best splits ink from paper. Clamped to
/// a sane band so that an almost blank page does not turn its paper texture into ink.
pub(crate) fn otsu(g: &Gray) -> u8 {
    let hist = histogram(g);
    let total = g.px.len() as f64;
    if total == 0.0 {
        return 128;
    }
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut t) = (0.0f64, 0.0f64, -1.0f64, 128u8);
    for (i, &n) in hist.iter().enumerate() {
        w0 += n as f64;
        if w0 == 0.0 {
            continue;
        }
        let w1 = total - w0;
        if w1 == 0.0 {
            break;
        }
        sum0 += i as f64 * n as f64;
        let (m0, m1) = (sum0 / w0, (sum - sum0) / w1);
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            t = i as u8;
        }
    }
    t.clamp(90, 200)
}

/// Ink mask: `true` where the sample is at most `t`.
pub(crate) fn ink_mask(g: &Gray, t: u8) -> Vec<bool> {
    g.px.iter().map(|&v| v <= t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarter_turn_moves_the_left_column_to_the_top_row() {
        // 3 × 2: rows 1 2 3 / 4 5 6
        let g = Gray {
            w: 3,
            h: 2,
            px: vec![1, 2, 3, 4, 5, 6],
        };
        let cw = g.turn(1);
        assert_eq!((cw.w, cw.h, cw.px.clone()), (2, 3, vec![4, 1, 5, 2, 6, 3]));
        assert_eq!(g.turn(3).px, vec![3, 6, 2, 5, 1, 4]);
        assert_eq!(g.turn(2).px, vec![6, 5, 4, 3, 2, 1]);
        assert_eq!(cw.turn(3), g);
        assert_eq!(g.turn(4), g);
    }

    #[test]
    fn red_ink_goes_black_print_and_tinted_cells_stay() {
        // black, seal red, dark red over black, light blue fill, white
        let px = [
            0, 0, 0, 200, 40, 40, 60, 10, 10, 189, 215, 238, 255, 255, 255,
        ];
        let _g = Gray::without_red(5, 1, 3, &px).unwrap();
        // as seen, red print is dark
        let l = Gray::from_samples(5, 1, 3, &px).unwrap();
        assert!(l.px[1] < 100, "{:?}", l.px);
    }

    #[test]
    fn otsu_splits_ink_from_paper() {
        let mut px = vec![240u8; 900];
        px.extend(vec![20u8; 100]);
        let g = Gray { w: 100, h: 10, px };
        let t = otsu(&g);
        assert!((20..240).contains(&t), "{t}");
    }

    #[test]
    fn rotation_by_zero_is_identity_and_small_rotation_moves_corners() {
        let mut g = Gray::white(50, 50);
        g.px[10 * 50 + 40] = 0;
        assert_eq!(g.rotate(0.0), g);
        let r = g.rotate(5.0);
        assert_eq!(r.px[10 * 50 + 40], 255, "the dark pixel moved");
        assert!(r.px.iter().any(|&v| v < 200));
    }
}
