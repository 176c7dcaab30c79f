//! The OCR reader: page images (image files, and later scanned PDF pages) → positioned
//! glyphs and rulings → the PDF reader's layout → lines, with a [`Doubt`] per unsure cell.

use super::pdf::{self, PositionedPage, ScanReader, Seg, TextGlyph};
use super::Doubt;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::ocr::{self, orient, Engine, PageRead, Placement};
use crate::source::Location;
use compact_str::CompactString;

/// One page image to read, with where it lies on its page.
pub(crate) struct PageImage<'a> {
    /// 1-based page number.
    pub number: u32,
    /// The page box (x0, y0, x1, y1) in points.
    pub page_box: [f32; 4],
    /// The upright image.
    pub raster: &'a ocr::raster::PageRaster,
    /// Where it lands on the page.
    pub at: Placement,
    /// Said in the page's `ocr.page` diagnostic (how its resolution was found).
    pub note: Option<String>,
    /// What to call it in messages when not `page N` (a picture of a web page).
    pub name: Option<String>,
}

impl PageImage<'_> {
    fn name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("page {}", self.number))
    }
}

/// What OCR of a set of pages gave.
#[derive(Default)]
pub(crate) struct Scanned {
    /// Pages for the layout.
    pub pages: Vec<PositionedPage>,
    /// Unsure cells.
    pub doubts: Vec<Doubt>,
    /// One per page read (or failed).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every page image; a page the engine fails on is left empty with an error
/// diagnostic, so the rest of the document is still read.
pub(crate) fn read_pages(images: &[PageImage<'_>], engine: &dyn Engine) -> Scanned {
    let mut out = Scanned::default();
    for img in images {
        let page = out.read(img, engine);
        out.pages.push(page);
    }
    out
}

impl Scanned {
    /// Reads one page image, keeping its doubts and diagnostics.
    fn read(&mut self, img: &PageImage<'_>, engine: &dyn Engine) -> PositionedPage {
        match read_upright(img, engine) {
            Ok(Upright {
                read,
                quarters,
                page_box,
            }) => {
                let turned = match quarters {
                    0 => String::new(),
                    2 => ", upside down: turned".to_string(),
                    q => format!(", sideways: turned {}° clockwise", u32::from(q) * 90),
                };
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::OcrPage,
                        Severity::Info,
                        format!(
                            "{} read by OCR ({:.0} dpi{}{turned}, skew {:.2}°, {} cells)",
                            img.name(),
                            img.at.dpi(),
                            img.note.as_deref().unwrap_or_default(),
                            read.skew,
                            read.cells
                        ),
                    )
                    .at(Some(Location {
                        page: Some(img.number),
                        ..Location::default()
                    })),
                );
                self.doubts.extend(read.doubts.iter().map(|d| Doubt {
                    location: Location {
                        page: Some(img.number),
                        bbox: Some(d.bbox),
                        ..Location::default()
                    },
                    conf: d.conf,
                    why: d.why.clone(),
                }));
                positioned(img.number, page_box, read)
            }
            Err(e) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::OcrPageUnread,
                        Severity::Error,
                        format!("{} is an image and OCR failed on it: {e}", img.name()),
                    )
                    .at(Some(Location {
                        page: Some(img.number),
                        ..Location::default()
                    })),
                );
                PositionedPage {
                    number: img.number,
                    page_box: img.page_box,
                    ..PositionedPage::default()
                }
            }
        }
    }
}

/// A page read the way up its text runs.
struct Upright {
    read: PageRead,
    /// Quarter turns clockwise the image was given.
    quarters: u8,
    /// The page's box as turned (boxes of what was read are in it).
    page_box: [f32; 4],
}

/// The engine's orientation answers below this confidence are not acted on.
const MIN_ORIENTATION_CONF: f32 = 2.0;

/// A read whose words' mean confidence is below this (with enough words to judge) may be
/// of a page the wrong way up: upright pages read at 0.6–0.8, turned ones at 0.0–0.3.
const POOR_READ: f32 = 0.5;

/// Below this, a page the engine cannot tell the orientation of is read upside down too.
const DREADFUL_READ: f32 = 0.35;

/// Reads a page image the way up its text runs. A page whose text runs down it is turned
/// as the engine's orientation detection says (or each way in turn); one that reads poorly
/// is turned as the detection says, or upside down if it reads dreadfully and the
/// detection cannot tell. Of the readings made, the most confident is kept.
fn read_upright(img: &PageImage<'_>, engine: &dyn Engine) -> Result<Upright, String> {
    let dpi = img.at.dpi();
    let sideways = orient::looks_sideways(&img.raster.seen, dpi);
    let mut osd = None;
    let mut ask = || {
        *osd.get_or_insert_with(|| {
            engine
                .orientation(&orient::reduced(&img.raster.seen, dpi))
                .filter(|&(_, conf)| conf >= MIN_ORIENTATION_CONF)
                .map(|(q, _)| q % 4)
        })
    };
    let first = if sideways { ask().unwrap_or(1) } else { 0 };
    let mut best = read_turned(img, first, engine)?;
    let mut best_q = quality(&best.read);
    let Some(q0) = best_q.filter(|&q| q < POOR_READ) else {
        return Ok(best);
    };
    let mut others: Vec<u8> = match ask() {
        Some(q) => vec![q],
        None if sideways => vec![1, 3],
        None if q0 < DREADFUL_READ => vec![2],
        None => Vec::new(),
    };
    others.retain(|&q| q != first);
    for q in others {
        let other = read_turned(img, q, engine)?;
        let other_q = quality(&other.read);
        if other_q > best_q {
            (best, best_q) = (other, other_q);
        }
        if best_q.is_some_and(|q| q >= POOR_READ) {
            break;
        }
    }
    Ok(best)
}

/// The mean confidence of the characters read; `None` for too few to judge by.
fn quality(read: &PageRead) -> Option<f32> {
    let (mut n, mut sum) = (0usize, 0.0f32);
    for w in &read.words {
        let c = w.text.chars().count();
        n += c;
        sum += w.conf * c as f32;
    }
    (n >= 20).then(|| sum / n as f32)
}

/// Reads the page image turned clockwise by `quarters` quarter turns, the page box with it.
fn read_turned(img: &PageImage<'_>, quarters: u8, engine: &dyn Engine) -> Result<Upright, String> {
    if quarters.is_multiple_of(4) {
        let read = ocr::read_page(img.raster, img.at, engine)?;
        return Ok(Upright {
            read,
            quarters: 0,
            page_box: img.page_box,
        });
    }
    let raster = img.raster.turn(quarters);
    let (page_box, at) = turn_page(
        img.page_box,
        img.at,
        img.raster.seen.w,
        img.raster.seen.h,
        quarters,
    );
    let read = ocr::read_page(&raster, at, engine)?;
    Ok(Upright {
        read,
        quarters: quarters % 4,
        page_box,
    })
}

/// A page box turned clockwise by `quarters` quarter turns (from 0, 0), and where an image
/// of `w × h` pixels placed by `at` lands on it once turned the same way.
fn turn_page(
    page_box: [f32; 4],
    at: Placement,
    w: usize,
    h: usize,
    quarters: u8,
) -> ([f32; 4], Placement) {
    let (mut pw, mut ph) = (page_box[2] - page_box[0], page_box[3] - page_box[1]);
    // the image's corners relative to the page's lower left
    let mut a = (at.x0 - page_box[0], at.y_top - page_box[1]);
    let mut b = (a.0 + at.sx * w as f32, a.1 - at.sy * h as f32);
    for _ in 0..quarters % 4 {
        // clockwise: the left edge becomes the top, x' = y, y' = width - x
        let cw = |p: (f32, f32)| (p.1, pw - p.0);
        (a, b) = (cw(a), cw(b));
        (pw, ph) = (ph, pw);
    }
    let (ow, oh) = if quarters % 2 == 1 { (h, w) } else { (w, h) };
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    let at = Placement {
        x0,
        y_top: y1,
        sx: (x1 - x0) / ow as f32,
        sy: (y1 - y0) / oh as f32,
    };
    ([0.0, 0.0, pw, ph], at)
}

/// The OCR reader of a PDF's scanned pages: each page's largest image, read as it lies.
/// The engine is looked for when the first such page comes, so a PDF with a text layer
/// costs no engine probe.
pub(crate) struct PdfScans {
    /// OCR every page holding an image, not only those without text.
    pub every: bool,
    /// What was read: doubts and diagnostics (the pages go back to the PDF reader).
    pub scanned: Scanned,
}

impl ScanReader for PdfScans {
    fn every_image_page(&self) -> bool {
        self.every
    }

    fn ready(&mut self) -> bool {
        ocr::Tesseract::find().is_ok()
    }

    fn read(
        &mut self,
        number: u32,
        page_box: [f32; 4],
        mut images: Vec<pdf::PageImage>,
        notes: &[String],
    ) -> Option<(Vec<TextGlyph>, Vec<Seg>, [f32; 4])> {
        let at = Location {
            page: Some(number),
            ..Location::default()
        };
        for n in notes {
            self.scanned.diagnostics.push(
                Diagnostic::new(
                    Code::OcrPageUnread,
                    Severity::Warning,
                    format!("page {number}: an image could not be decoded: {n}"),
                )
                .at(Some(at.clone())),
            );
        }
        // the page is the image that covers most of it (a scan is one image a page)
        let area = |i: &pdf::PageImage| {
            let [a, b, c, d, _, _] = i.ctm;
            (a * d - b * c).abs()
        };
        let k = (0..images.len()).max_by(|&x, &y| area(&images[x]).total_cmp(&area(&images[y])))?;
        let img = images.swap_remove(k);
        drop(images);
        let upright = upright(&img);
        // the decoded samples are not needed once the page raster is made from them
        drop(img);
        let Some((raster, place)) = upright else {
            self.scanned.diagnostics.push(
                Diagnostic::new(
                    Code::OcrPageUnread,
                    Severity::Error,
                    format!("page {number}: its image is rotated or skewed on the page; not read"),
                )
                .at(Some(at)),
            );
            return None;
        };
        let engine = ocr::Tesseract::find().ok()?;
        let page = self.scanned.read(
            &PageImage {
                number,
                page_box,
                raster: &raster,
                at: place,
                note: None,
                name: None,
            },
            &engine,
        );
        Some((page.glyphs, page.segs, page.page_box))
    }
}

/// The image's pixels as they appear on the page (flipped or turned by quarter turns, as
/// its matrix draws it, a page's `/Rotate` included) with where they land; `None` for one
/// drawn at another angle.
fn upright(img: &pdf::PageImage) -> Option<(ocr::raster::PageRaster, Placement)> {
    let [a, b, c, d, e, f] = img.ctm;
    let (w, h) = (img.width as usize, img.height as usize);
    let ch = img.channels as usize;
    let straight = b.abs() <= 1e-3 * a.abs().max(1.0) && c.abs() <= 1e-3 * d.abs().max(1.0);
    let turned = a.abs() <= 1e-3 * b.abs().max(1.0) && d.abs() <= 1e-3 * c.abs().max(1.0);
    if w == 0 || h == 0 || !(straight || turned) || (a * d - b * c).abs() < 1e-6 {
        return None;
    }
    // the unit square's corners on the page: the picture's extent there
    let xs = [e, a + e, c + e, a + c + e];
    let ys = [f, b + f, d + f, b + d + f];
    let (x0, x1) = (fold(&xs, f32::min), fold(&xs, f32::max));
    let (y0, y1) = (fold(&ys, f32::min), fold(&ys, f32::max));
    // as it appears: a quarter turn swaps which side of the picture runs across the page
    let (ow, oh) = if straight { (w, h) } else { (h, w) };
    let place = Placement {
        x0,
        y_top: y1,
        sx: (x1 - x0) / ow as f32,
        sy: (y1 - y0) / oh as f32,
    };
    if straight && a > 0.0 && d > 0.0 {
        // the common case: the pixels are already upright (rows from the top down)
        let raster = ocr::raster::PageRaster::from_samples(w, h, ch, &img.pixels)?;
        return Some((raster, place));
    }
    // each pixel as it appears, fetched from the picture through the inverse of the matrix
    // (pixel rows run from the unit square's top, v = 1, down)
    let det = a * d - b * c;
    let mut px = vec![0u8; ow.checked_mul(oh)?.checked_mul(ch)?];
    for oy in 0..oh {
        let y = y1 - (oy as f32 + 0.5) * place.sy - f;
        for ox in 0..ow {
            let x = x0 + (ox as f32 + 0.5) * place.sx - e;
            let u = (d * x - c * y) / det;
            let v = (a * y - b * x) / det;
            let i = ((u * w as f32) as usize).min(w - 1);
            let j = (((1.0 - v) * h as f32) as usize).min(h - 1);
            let from = (j * w + i) * ch;
            let to = (oy * ow + ox) * ch;
            px[to..to + ch].copy_from_slice(img.pixels.get(from..from + ch)?);
        }
    }
    let raster = ocr::raster::PageRaster::from_samples(ow, oh, ch, &px)?;
    Some((raster, place))
}

fn fold(v: &[f32; 4], by: fn(f32, f32) -> f32) -> f32 {
    v[1..].iter().copied().fold(v[0], by)
}

/// Words → one glyph per character (a word's box shared evenly: the engine gives word
/// boxes; the layout only needs each character inside its cell); rulings → segments.
fn positioned(number: u32, page_box: [f32; 4], read: PageRead) -> PositionedPage {
    let mut glyphs = Vec::new();
    for w in read.words {
        let chars: Vec<char> = w.text.chars().collect();
        let n = chars.len().max(1) as f32;
        let step = (w.bbox[2] - w.bbox[0]) / n;
        for (i, c) in chars.into_iter().enumerate() {
            let x0 = w.bbox[0] + step * i as f32;
            glyphs.push(TextGlyph {
                text: CompactString::from(&*c.encode_utf8(&mut [0; 4])),
                x0,
                y0: w.bbox[1],
                x1: x0 + step,
                y1: w.bbox[3],
                size: w.size,
                space: false,
            });
        }
    }
    let segs = read
        .rules
        .iter()
        .map(|r| Seg {
            horiz: r.horiz,
            pos: r.pos,
            a: r.a.min(r.b),
            b: r.a.max(r.b),
        })
        .collect();
    PositionedPage {
        number,
        page_box,
        glyphs,
        segs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3 × 2 gray picture (rows 10 20 30 / 40 50 60) drawn by `ctm`.
    fn picture(ctm: [f32; 6]) -> pdf::PageImage {
        pdf::PageImage {
            width: 3,
            height: 2,
            channels: 1,
            pixels: vec![10, 20, 30, 40, 50, 60],
            ctm,
        }
    }

    #[test]
    fn a_page_turned_carries_its_picture_with_it() {
        // a 4 × 2 pixel picture at 2 pt a pixel, its top left at (10, 50) on a 100 × 200 page
        let at = Placement {
            x0: 10.0,
            y_top: 50.0,
            sx: 2.0,
            sy: 2.0,
        };
        let (w, h) = (4usize, 2usize);
        // a pixel's centre on the page
        let centre = |at: Placement, x: usize, y: usize| {
            let b = at.to_page([x as f32, y as f32, x as f32 + 1.0, y as f32 + 1.0]);
            ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0)
        };
        for q in 0..4u8 {
            let (bx, turned) = turn_page([0.0, 0.0, 100.0, 200.0], at, w, h, q);
            let size = if q % 2 == 1 {
                (200.0, 100.0)
            } else {
                (100.0, 200.0)
            };
            assert_eq!((bx[2], bx[3]), size, "turn {q}");
            // each pixel lands where the point it covered lands when the page turns
            let (tw, th) = if q % 2 == 1 { (h, w) } else { (w, h) };
            for y in 0..h {
                for x in 0..w {
                    // where Gray::turn puts pixel (x, y)
                    let (mut px, mut py, mut cw, mut ch) = (x, y, w, h);
                    for _ in 0..q {
                        (px, py, cw, ch) = (ch - 1 - py, px, ch, cw);
                    }
                    assert_eq!((cw, ch), (tw, th));
                    // and the page point turned clockwise q times
                    let (mut u, mut v) = centre(at, x, y);
                    let mut width = 100.0;
                    let mut height = 200.0;
                    for _ in 0..q {
                        (u, v) = (v, width - u);
                        (width, height) = (height, width);
                    }
                    let _ = height;
                    let got = centre(turned, px, py);
                    assert!(
                        (got.0 - u).abs() < 1e-3 && (got.1 - v).abs() < 1e-3,
                        "turn {q}: {got:?} vs {:?}",
                        (u, v)
                    );
                }
            }
        }
    }

    #[test]
    fn a_picture_is_taken_as_it_appears_on_the_page() {
        // upright: as stored
        let (r, at) = upright(&picture([3.0, 0.0, 0.0, 2.0, 5.0, 7.0])).unwrap();
        assert_eq!(
            (r.seen.w, r.seen.h, r.seen.px.clone()),
            (3, 2, vec![10, 20, 30, 40, 50, 60])
        );
        assert_eq!((at.x0, at.y_top, at.sx, at.sy), (5.0, 9.0, 1.0, 1.0));
        // a quarter turn clockwise (what /Rotate 90 makes of an unturned page): the top
        // row becomes the right column
        let (r, at) = upright(&picture([0.0, -3.0, 2.0, 0.0, 0.0, 3.0])).unwrap();
        assert_eq!((r.seen.w, r.seen.h), (2, 3));
        assert_eq!(r.seen.px, vec![40, 10, 50, 20, 60, 30]);
        assert_eq!((at.x0, at.y_top, at.sx, at.sy), (0.0, 3.0, 1.0, 1.0));
        // and anticlockwise: the top row becomes the left column, read upwards
        let (r, _) = upright(&picture([0.0, 3.0, -2.0, 0.0, 2.0, 0.0])).unwrap();
        assert_eq!(r.seen.px, vec![30, 60, 20, 50, 10, 40]);
        // mirrored across: each row reversed
        let (r, _) = upright(&picture([-3.0, 0.0, 0.0, 2.0, 3.0, 0.0])).unwrap();
        assert_eq!(r.seen.px, vec![30, 20, 10, 60, 50, 40]);
        // drawn at another angle: not read
        assert!(upright(&picture([2.0, 1.0, -1.0, 2.0, 0.0, 0.0])).is_none());
    }
}
