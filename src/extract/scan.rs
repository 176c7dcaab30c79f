//! The OCR reader: page images (image files, and later scanned PDF pages) → positioned
//! glyphs and rulings → the PDF reader's layout → lines, with a [`Doubt`] per unsure cell.

use super::pdf::{PositionedPage, Seg, TextGlyph};
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
        match ocr::read_page(img.raster, img.at, engine) {
            Ok(read) => {
                out.diagnostics.push(
                    Diagnostic::new(
                        Code::OcrPage,
                        Severity::Info,
                        format!(
                            "page {} read by OCR ({:.0} dpi{}, skew {:.2}°, {} cells)",
                            img.number,
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
                out.doubts.extend(read.doubts.iter().map(|d| Doubt {
                    location: Location {
                        page: Some(img.number),
                        bbox: Some(d.bbox),
                        ..Location::default()
                    },
                    conf: d.conf,
                    why: d.why.clone(),
                }));
                out.pages.push(positioned(img.number, img.page_box, read));
            }
            Err(e) => {
                out.diagnostics.push(
                    Diagnostic::new(
                        Code::OcrPageUnread,
                        Severity::Error,
                        format!("page {} is an image and OCR failed on it: {e}", img.number),
                    )
                    .at(Some(Location {
                        page: Some(img.number),
                        ..Location::default()
                    })),
                );
                out.pages.push(PositionedPage {
                    number: img.number,
                    page_box: img.page_box,
                    ..PositionedPage::default()
                });
            }
        }
    }
    out
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
