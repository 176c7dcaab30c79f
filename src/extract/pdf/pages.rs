//! A PDF's pages before and while they are read: each page planned (box, transform,
//! resources, content streams, and a key telling pages that draw the same), then run and
//! laid out, on several threads when asked (each with its own interpreter; the document's
//! budget and fonts shared), for `extract` to put together in page order.

use foldhash::{HashSet, HashSetExt};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::interp::{Interp, Matrix, PageData, IDENTITY};
use super::layout::layout_page;
use super::objects::{as_dict, deref, deref_id, num, DocBudget};
use super::types::{PdfError, PdfLimits, PdfLine};
use crate::layout::borderless::Found;
use crate::profile;

/// An inheritable page attribute (walks /Parent, bounded).
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut d = page;
    for _ in 0..64 {
        if let Ok(o) = d.get(key) {
            let o = deref(doc, o);
            if !matches!(o, Object::Null) {
                return Some(o);
            }
        }
        d = as_dict(doc, d.get(b"Parent").ok()?)?;
    }
    None
}

/// A page box (`[x0 y0 x1 y1]`, corners in any order), normalised; `None` when it is not
/// four numbers or is under a point wide or high.
fn rect(doc: &Document, o: Option<&Object>) -> Option<[f32; 4]> {
    let Some(Object::Array(a)) = o else {
        return None;
    };
    if a.len() != 4 {
        return None;
    }
    let v: Vec<f32> = a.iter().map(|x| num(doc, x)).collect::<Option<Vec<_>>>()?;
    let r = [
        v[0].min(v[2]),
        v[1].min(v[3]),
        v[0].max(v[2]),
        v[1].max(v[3]),
    ];
    if r[2] - r[0] < 1.0 || r[3] - r[1] < 1.0 {
        return None;
    }
    Some(r)
}

/// What makes two pages draw the same: their content streams, resources, transform and box.
pub type PageKey = (Vec<ObjectId>, usize, [u32; 6], [u32; 4]);

/// A page before it is read: where it draws and with what.
pub struct Plan<'a> {
    /// 1-based page number.
    pub number: u32,
    /// The page's box after its rotation.
    pub page_box: [f32; 4],
    /// Page space to the rotated page.
    ctm: Matrix,
    resources: Option<&'a Dictionary>,
    /// Content streams in drawing order (object id when indirect).
    contents: Vec<(Option<ObjectId>, &'a Object)>,
    /// `None` when a content stream is direct (such a page is never reused).
    pub key: Option<PageKey>,
    /// An earlier page has the same key (its reading may be reused).
    pub repeat: bool,
}

/// The pages' boxes, transforms and content streams, in page order.
pub fn plan_pages<'a>(doc: &'a Document, pages: &[(u32, ObjectId)]) -> Vec<Plan<'a>> {
    let mut keys: HashSet<PageKey> = HashSet::new();
    let mut plans = Vec::with_capacity(pages.len());
    for &(number, id) in pages {
        let Ok(page) = doc.get_dictionary(id) else {
            continue;
        };
        let media =
            rect(doc, inherited(doc, page, b"MediaBox")).unwrap_or([0.0, 0.0, 612.0, 792.0]);
        let bx = rect(doc, inherited(doc, page, b"CropBox")).unwrap_or(media);
        let rotate = inherited(doc, page, b"Rotate")
            .and_then(|o| num(doc, o))
            .unwrap_or(0.0) as i64;
        let rotate = rotate.rem_euclid(360);
        let (w, h) = (bx[2] - bx[0], bx[3] - bx[1]);
        let (ctm, page_box): (Matrix, [f32; 4]) = match rotate {
            90 => ([0.0, -1.0, 1.0, 0.0, -bx[1], bx[2]], [0.0, 0.0, h, w]),
            180 => ([-1.0, 0.0, 0.0, -1.0, bx[2], bx[3]], [0.0, 0.0, w, h]),
            270 => ([0.0, 1.0, -1.0, 0.0, bx[3], -bx[0]], [0.0, 0.0, h, w]),
            _ => (IDENTITY, bx),
        };
        let resources = inherited(doc, page, b"Resources").and_then(|o| as_dict(doc, o));
        let mut contents: Vec<(Option<ObjectId>, &Object)> = Vec::new();
        match page.get(b"Contents").ok().map(|o| deref_id(doc, o)) {
            Some((_, Object::Array(a))) => {
                contents.extend(a.iter().take(100_000).map(|o| deref_id(doc, o)))
            }
            Some(so @ (_, Object::Stream(_))) => contents.push(so),
            _ => {}
        }
        let key: Option<PageKey> = contents
            .iter()
            .map(|(id, _)| *id)
            .collect::<Option<Vec<ObjectId>>>()
            .map(|ids| {
                (
                    ids,
                    resources.map_or(0, |r| r as *const Dictionary as usize),
                    ctm.map(f32::to_bits),
                    page_box.map(f32::to_bits),
                )
            });
        let repeat = key.as_ref().is_some_and(|k| !keys.insert(k.clone()));
        plans.push(Plan {
            number,
            page_box,
            ctm,
            resources,
            contents,
            key,
            repeat,
        });
    }
    plans
}

/// A page's content, run: what it drew and, unless its images may be wanted (no visible
/// text, or every image page read by OCR), its lines already laid out.
pub struct PageRead {
    pub drawn: PageData,
    /// Visible (non-space) glyphs drawn.
    pub seen: usize,
    /// Its lines and borderless tables, unless its images may be wanted.
    pub laid: Option<(Vec<PdfLine>, Vec<Found>)>,
}

/// Inflates and runs one page's content; lays it out when its text layer is what it gives.
pub fn read_page<'a>(
    interp: &mut Interp<'a>,
    plan: &Plan<'a>,
    limits: &PdfLimits,
    every: bool,
) -> Result<PageRead, PdfError> {
    let mut data = Vec::new();
    for &(id, so) in &plan.contents {
        if let Some(d) = profile::time("pdf.inflate", || interp.streams.content(id, so))? {
            if data.len().saturating_add(d.len()) > limits.max_decoded_stream {
                return Err(PdfError::Limit(format!(
                    "page {} content is larger than {} bytes",
                    plan.number, limits.max_decoded_stream
                )));
            }
            data.extend_from_slice(&d);
            data.push(b'\n');
        }
    }
    interp.reset_page();
    profile::time("pdf.interpret", || {
        interp.run(&data, plan.resources, plan.ctm, 0)
    })?;
    let mut drawn = std::mem::take(&mut interp.out);
    let seen = drawn.glyphs.iter().filter(|g| !g.space).count();
    let images_wanted = limits.decode_images && (seen == 0 || every && !drawn.draws.is_empty());
    let laid = (!images_wanted).then(|| {
        let glyphs = std::mem::take(&mut drawn.glyphs);
        profile::time("pdf.layout", || {
            layout_page(glyphs, &drawn.segs, plan.page_box)
        })
    });
    Ok(PageRead { drawn, seen, laid })
}

/// Reads the pages that draw something new on `limits.threads` threads (the caller's one
/// of them), each with its own interpreter and the document's `budget` shared; `None` for
/// a page left to the caller (a repeat, or not reached after a page failed). Nothing is
/// read ahead with one thread or one page.
pub fn read_ahead<'a>(
    doc: &'a Document,
    file: &'a [u8],
    limits: &'a PdfLimits,
    budget: &Arc<DocBudget>,
    plans: &[Plan<'a>],
    every: bool,
) -> Vec<Option<Result<PageRead, PdfError>>> {
    let jobs: Vec<usize> = (0..plans.len()).filter(|&i| !plans[i].repeat).collect();
    let threads = limits.threads.min(jobs.len());
    if threads <= 1 {
        return Vec::new();
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let work = || {
        let mut interp = Interp::sharing(doc, file, limits, budget.clone());
        let mut got = Vec::new();
        while !failed.load(Relaxed) {
            let Some(&i) = jobs.get(next.fetch_add(1, Relaxed)) else {
                break;
            };
            let r = read_page(&mut interp, &plans[i], limits, every);
            if r.is_err() {
                failed.store(true, Relaxed);
            }
            got.push((i, r));
        }
        got
    };
    let mut ahead: Vec<Option<Result<PageRead, PdfError>>> = Vec::new();
    ahead.resize_with(plans.len(), || None);
    std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| {
                let work = &work;
                std::thread::Builder::new()
                    .name(PAGE_THREAD.into())
                    .stack_size(16 << 20)
                    .spawn_scoped(s, move || (work(), profile::take()))
                    .ok()
            })
            .collect();
        for (i, r) in work() {
            ahead[i] = Some(r);
        }
        for h in helpers {
            // a helper's panic is the caller's (caught around the whole reading)
            let (got, stages) = h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            profile::merge(stages);
            for (i, r) in got {
                ahead[i] = Some(r);
            }
        }
    });
    ahead
}

/// The name of the threads that read a PDF's pages ahead (a panic in one is reported as
/// the document's failure, like one in the caller's thread).
pub const PAGE_THREAD: &str = "ogi-pdf-pages";
