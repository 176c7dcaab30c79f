//! Which way up a page image is.
//!
//! Scans come sideways (a landscape table fed in portrait, a page photographed turned) and
//! now and then upside down. Reading such a page as it lies gives nothing but costs the
//! whole page's recognition, so a cheap look comes first: Chinese prose and table rows are
//! set in horizontal lines with clear leading between them, while the characters of a
//! line nearly touch, so on an upright page many pixel rows of the text's extent hold no
//! text ink and few pixel columns do. On a sideways page that is the other way round. Only
//! then, or when a page reads badly (upside down looks upright to this test), is the
//! engine's orientation detection asked, which costs about a second a page.

use super::deskew;
use super::raster::{ink_mask, otsu, Gray};

/// The resolution the engine's orientation detection is given at most: it is as quick at
/// 200 dpi as at 100 and several times surer (confidence ~10 rather than ~2).
pub(crate) const LOOK_DPI: f32 = 300.0;

/// `g` reduced to at most [`LOOK_DPI`] (a page scanned at `dpi`).
pub(crate) fn reduced(g: &Gray, dpi: f32) -> std::borrow::Cow<'_, Gray> {
    let f = LOOK_DPI / dpi.max(1.0);
    if f < 0.9 {
        std::borrow::Cow::Owned(g.scale(f))
    } else {
        std::borrow::Cow::Borrowed(g)
    }
}

/// The share of pixel rows, and of pixel columns, within the text's extent that hold no
/// text ink (rulings and underlines, runs over 0.3 inch, left out), on a page at `dpi`.
pub(crate) fn blank_shares(g: &Gray, dpi: f32) -> (f32, f32) {
    let (w, h) = (g.w, g.h);
    let t = otsu(g);
    let mut ink = ink_mask(g, t);
    let skew = deskew::estimate(&ink, w, h);
    if skew != 0.0 {
        // leaning lines fill the blank rows between them
        ink = ink_mask(&g.rotate(skew), t);
    }
    let long = ((dpi * 0.3) as usize).max(4);
    let mut text = ink.clone();
    drop_runs(&ink, &mut text, w, h, long, true);
    drop_runs(&ink, &mut text, w, h, long, false);
    let mut rows = vec![0u32; h];
    let mut cols = vec![0u32; w];
    for y in 0..h {
        for x in 0..w {
            if text[y * w + x] {
                rows[y] += 1;
                cols[x] += 1;
            }
        }
    }
    // a speck or two (JPEG noise, a seal's remnant) does not make a row inked
    let blank = |p: &[u32], across: usize| -> f32 {
        let noise = (across / 500) as u32;
        let inked = |v: &u32| *v > noise;
        let (Some(a), Some(b)) = (p.iter().position(inked), p.iter().rposition(inked)) else {
            return 0.0;
        };
        let span = &p[a..=b];
        span.iter().filter(|v| !inked(v)).count() as f32 / span.len() as f32
    };
    (blank(&rows, w), blank(&cols, h))
}

/// Clears from `out` the runs of `ink` longer than `long`, along rows (`horiz`) or
/// columns.
fn drop_runs(ink: &[bool], out: &mut [bool], w: usize, h: usize, long: usize, horiz: bool) {
    let (n, len) = if horiz { (h, w) } else { (w, h) };
    let at = |i: usize, j: usize| if horiz { i * w + j } else { j * w + i };
    for i in 0..n {
        let mut j = 0;
        while j < len {
            if !ink[at(i, j)] {
                j += 1;
                continue;
            }
            let start = j;
            while j < len && ink[at(i, j)] {
                j += 1;
            }
            if j - start > long {
                for k in start..j {
                    out[at(i, k)] = false;
                }
            }
        }
    }
}

/// Whether the text of a page at `dpi` runs down it rather than across: clearly more
/// blank columns than blank rows.
pub(crate) fn looks_sideways(g: &Gray, dpi: f32) -> bool {
    let (rows, cols) = blank_shares(g, dpi);
    cols > 0.08 && cols > 2.0 * rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of "text": lines of square dark characters with leading between them.
    fn prose() -> Gray {
        let mut g = Gray::white(600, 800);
        for line in 0..20 {
            let y0 = 60 + line * 32;
            for ch in 0..30 {
                // characters 14 px square, 2 px apart, ragged strokes
                let x0 = 50 + ch * 16;
                for y in y0..y0 + 14 {
                    for x in x0..x0 + 14 {
                        if (x + y + ch) % 3 != 0 {
                            g.px[y * 600 + x] = 0;
                        }
                    }
                }
            }
        }
        // a ruling across, which is no text
        for x in 40..560 {
            g.px[740 * 600 + x] = 0;
        }
        g
    }

    #[test]
    fn lines_of_text_tell_upright_from_sideways() {
        let g = prose();
        let (rows, cols) = blank_shares(&g, 100.0);
        assert!(rows > 0.4 && cols < 0.2, "{rows} {cols}");
        assert!(!looks_sideways(&g, 100.0));
        assert!(looks_sideways(&g.turn(1), 100.0));
        assert!(looks_sideways(&g.turn(3), 100.0));
        assert!(!looks_sideways(&g.turn(2), 100.0));
    }
}
