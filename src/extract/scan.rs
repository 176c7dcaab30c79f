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

/// The image's pixels upright with where they land, for an image drawn axis-aligned (flipped
/// or not); `None` for one drawn rotated.
fn upright(img: &pdf::PageImage) -> Option<(ocr::raster::PageRaster, Placement)> {
    let [a, b, c, d, e, f] = img.ctm;
    let (w, h) = (img.width as usize, img.height as usize);
    if w == 0 || h == 0 || b.abs() > 1e-3 * a.abs().max(1.0) || c.abs() > 1e-3 * d.abs().max(1.0)
    {
        return None;
    }
    let ch = img.channels as usize;
    // pixel rows run from the unit square's top (v = 1) down; a negative scale flips (only
    // then are the pixels copied)
    let mut px = std::borrow::Cow::Borrowed(img.pixels.as_slice());
    if a < 0.0 {
        let px = px.to_mut();
        for row in px.chunks_exact_mut(w * ch) {
            for x in 0..w / 2 {
                for k in 0..ch {
                    row.swap(x * ch + k, (w - 1 - x) * ch + k);
                }
            }
        }
    }
    if d < 0.0 {
        let px = px.to_mut();
        let stride = w * ch;
        for y in 0..h / 2 {
            let (top, bottom) = px.split_at_mut((h - 1 - y) * stride);
            top[y * stride..(y + 1) * stride].swap_with_slice(&mut bottom[..stride]);
        }
    }
    let raster = ocr::raster::PageRaster::from_samples(w, h, ch, &px)?;
    let place = Placement {
        x0: e + a.min(0.0),
        y_top: f + d.max(0.0),
        sx: a.abs() / w as f32,
        sy: d.abs() / h as f32,
    };
    Some((raster, place))
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
