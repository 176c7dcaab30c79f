//! The OCR reader: page images (image files, and later scanned PDF pages) → positioned
//! glyphs and rulings → the PDF reader's layout → lines, with a [`Doubt`] per unsure cell.

use super::pdf::{self, PositionedPage, ScanReader, Seg, TextGlyph};
use super::Doubt;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::ocr::{self, Engine, PageRead, Placement};
use crate::source::Location;

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
        match ocr::read_page(img.raster, img.at, engine) {
            Ok(read) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::OcrPage,
                        Severity::Info,
                        format!(
                            "{} read by OCR ({:.0} dpi{}, skew {:.2}°, {} cells)",
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
                positioned(img.number, img.page_box, read)
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
        images: &[pdf::PageImage],
        notes: &[String],
    ) -> Option<(Vec<TextGlyph>, Vec<Seg>)> {
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
        let img = images.iter().max_by(|x, y| area(x).total_cmp(&area(y)))?;
        let Some((raster, place)) = upright(img) else {
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
        Some((page.glyphs, page.segs))
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
                text: c.to_string(),
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
    fn a_picture_is_taken_as_it_appears_on_the_page() {
        // upright: as stored
        let (r, at) = upright(&picture([3.0, 0.0, 0.0, 2.0, 5.0, 7.0])).unwrap();
        assert_eq!((r.seen.w, r.seen.h, r.seen.px.clone()), (3, 2, vec![10, 20, 30, 40, 50, 60]));
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
