//! Entry point: PDF bytes → positioned lines per page.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use lopdf::ObjectId;

use super::images::page_images;
use super::interp::{Interp, Seg, TextGlyph};
use super::layout::layout_page;
use super::load;
use super::objects::DocBudget;
use super::pages::{plan_pages, read_ahead, read_page, PageKey};
use super::types::{PdfError, PdfLimits, PdfLine, PdfPage, PdfText};
use crate::layout::borderless::{self, Found};
use crate::profile;
use crate::script::is_cjk;

/// Extracts positioned text lines (and tables as rows of cells) from a PDF.
pub fn extract(bytes: &[u8], limits: &PdfLimits) -> Result<PdfText, PdfError> {
    extract_inner_caught(bytes, limits, None)
}

/// Reads the pages of a PDF that have no text layer from their images (OCR).
pub trait ScanReader {
    /// Whether every page holding an image is read so, its text layer ignored (else only
    /// pages without visible text).
    fn every_image_page(&self) -> bool;
    /// Whether pages can be read now (the engine is there); asked before a page's images
    /// are decoded, so none are decoded for nothing.
    fn ready(&mut self) -> bool;
    /// The glyphs and rulings found on page `number` (box `page_box`) in its decoded
    /// `images` (given, so their pixels are freed once read), and the page's box as read
    /// (turned, for a page scanned sideways); `notes` say which images could not be
    /// decoded. `None`: nothing read.
    fn read(
        &mut self,
        number: u32,
        page_box: [f32; 4],
        images: Vec<super::images::PageImage>,
        notes: &[String],
    ) -> Option<(Vec<TextGlyph>, Vec<Seg>, [f32; 4])>;
}

/// [`extract`], with the pages without a text layer handed to `scans` as images, one page
/// at a time (so a long scan never holds more than one page's pixels), and laid out from
/// the glyphs and rulings it returns like any other page.
pub fn extract_scanned(
    bytes: &[u8],
    limits: &PdfLimits,
    scans: &mut dyn ScanReader,
) -> Result<PdfText, PdfError> {
    let mut limits = limits.clone();
    limits.decode_images = true;
    extract_inner_caught(bytes, &limits, Some(scans))
}

fn extract_inner_caught(
    bytes: &[u8],
    limits: &PdfLimits,
    scans: Option<&mut dyn ScanReader>,
) -> Result<PdfText, PdfError> {
    let run = std::panic::AssertUnwindSafe(|| extract_inner(bytes, limits, scans));
    match std::panic::catch_unwind(run) {
        Ok(r) => r,
        Err(_) => Err(PdfError::Malformed(
            "the PDF reader failed on this file".into(),
        )),
    }
}

fn extract_inner(
    bytes: &[u8],
    limits: &PdfLimits,
    mut scans: Option<&mut dyn ScanReader>,
) -> Result<PdfText, PdfError> {
    let head = bytes
        .get(..bytes.len().min(1024 * 1024 + 4))
        .unwrap_or(bytes);
    if memchr::memmem::find(head, b"%PDF-").is_none() {
        return Err(PdfError::Malformed("no %PDF- header".into()));
    }
    let total = limits
        .max_decoded_per_document
        .max(limits.max_decoded_stream);
    profile::time("pdf.prescan", || {
        load::prescan(bytes, limits.max_decoded_stream, total)
    })?;
    let loaded = profile::time("pdf.load", || load::load(bytes, limits.max_decoded_stream));
    if load::load_hit_limit() {
        return Err(load::limit_error(limits.max_decoded_stream));
    }
    let load::Loaded { mut doc, file } = match loaded {
        Ok(d) => d,
        Err(lopdf::Error::InvalidPassword) | Err(lopdf::Error::Decryption(_)) => {
            return Err(PdfError::Encrypted)
        }
        Err(e) => return Err(PdfError::Malformed(e.to_string())),
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(PdfError::Encrypted);
    }
    // A page tree whose /Kids list a page twice (or the tree itself) yields the same page
    // object again: each page object is read once.
    let mut seen_pages = HashSet::new();
    let pages: Vec<(u32, ObjectId)> = doc
        .page_iter()
        .take(limits.max_pages.saturating_add(1).saturating_mul(4))
        .filter(|id| seen_pages.insert(*id))
        .zip(1u32..)
        .map(|(id, n)| (n, id))
        .collect();
    if pages.len() > limits.max_pages {
        return Err(PdfError::Limit(format!(
            "{} pages, more than {}",
            pages.len(),
            limits.max_pages
        )));
    }
    if pages.is_empty() {
        return Err(PdfError::Malformed("no pages".into()));
    }
    let doc = &doc;
    let plans = plan_pages(doc, &pages);
    let budget = DocBudget::new(limits);
    let every = scans.as_ref().is_some_and(|s| s.every_image_page());
    // Pages read ahead on helper threads (each page drawing something new), put together
    // below in page order exactly as if read there.
    let mut ahead = read_ahead(doc, file, limits, &budget, &plans, every);
    let mut interp = Interp::sharing(doc, file, limits, budget);
    let mut out = PdfText::default();
    let mut visible = 0usize;
    let mut borderless: Vec<Vec<Found>> = Vec::new();
    // Pages drawing the same content streams with the same resources, box and rotation give
    // the same lines: such a page is interpreted once and its lines reused.
    type PageLines = (Vec<super::types::PdfLine>, Vec<Found>, usize, usize);
    let mut done: HashMap<PageKey, PageLines> = HashMap::new();
    // only a page that a later one repeats is kept (its lines cloned) for reuse
    let repeated: HashSet<&PageKey> = plans
        .iter()
        .filter(|p| p.repeat)
        .filter_map(|p| p.key.as_ref())
        .collect();
    for (i, plan) in plans.iter().enumerate() {
        let number = plan.number;
        if let Some((lines, tables, undecodable, seen)) =
            plan.key.as_ref().and_then(|k| done.get(k))
        {
            out.undecodable_glyphs += undecodable;
            visible += seen;
            borderless.push(tables.clone());
            out.pages.push(PdfPage {
                number,
                width: plan.page_box[2] - plan.page_box[0],
                height: plan.page_box[3] - plan.page_box[1],
                lines: lines.clone(),
                ..PdfPage::default()
            });
            continue;
        }
        let read = match ahead.get_mut(i).and_then(Option::take) {
            Some(r) => r?,
            None => read_page(&mut interp, plan, limits, every)?,
        };
        let mut pd = read.drawn;
        let mut page_box = plan.page_box;
        out.undecodable_glyphs += pd.undecodable;
        let mut seen = read.seen;
        // The images of a page without visible glyphs (or of every page drawing one, when
        // the scan reader says so), decoded when asked for. Such a page is not cached
        // below, so a page drawing the same is decoded again.
        let wants_images = read.laid.is_none() && scans.as_deref_mut().is_none_or(|s| s.ready());
        let (mut images, mut image_notes) = if wants_images {
            profile::time("pdf.images", || page_images(doc, file, &pd, &limits.images))
        } else {
            Default::default()
        };
        if let (true, Some(reader)) = (wants_images, scans.as_deref_mut()) {
            // read now and the pixels dropped: only this page's are ever held
            if let Some((glyphs, segs, read_box)) =
                reader.read(number, page_box, std::mem::take(&mut images), &image_notes)
            {
                pd.glyphs = glyphs;
                pd.segs = segs;
                page_box = read_box;
                seen = pd.glyphs.len();
            }
            images = Vec::new();
            image_notes = Vec::new();
        }
        visible += seen;
        let (lines, tables) = match read.laid {
            Some(laid) => laid,
            None => profile::time("pdf.layout", || layout_page(pd.glyphs, &pd.segs, page_box)),
        };
        if let Some(k) = plan
            .key
            .as_ref()
            .filter(|k| !wants_images && repeated.contains(k))
        {
            done.insert(
                k.clone(),
                (lines.clone(), tables.clone(), pd.undecodable, seen),
            );
        }
        borderless.push(tables);
        out.pages.push(PdfPage {
            number,
            width: page_box[2] - page_box[0],
            height: page_box[3] - page_box[1],
            lines,
            images,
            image_notes,
        });
    }
    // with `decode_images` a document without text gives its pages (and images)
    if visible == 0 && (scans.is_some() || !limits.decode_images) {
        return Err(PdfError::NoText);
    }
    stitch_borderless(&mut out, &mut borderless);
    join_rows_split_by_page_break(&mut out);
    Ok(out)
}

/// A page from another producer of positioned text (OCR): glyphs and rulings in page space.
#[derive(Debug, Clone, Default)]
pub struct PositionedPage {
    /// 1-based page number.
    pub number: u32,
    /// x0, y0, x1, y1 of the page.
    pub page_box: [f32; 4],
    /// Glyphs, one per character.
    pub glyphs: Vec<TextGlyph>,
    /// Ruling segments.
    pub segs: Vec<Seg>,
}

/// Lines of pages given as positioned glyphs and rulings: the same layout (ruled grids,
/// borderless tables, visual lines), stitching of tables across page breaks and page
/// furniture as a PDF's own text layer gets.
pub fn lay_out(pages: Vec<PositionedPage>) -> PdfText {
    let mut out = PdfText::default();
    let mut borderless = Vec::with_capacity(pages.len());
    for p in pages {
        let (lines, tables) = layout_page(p.glyphs, &p.segs, p.page_box);
        borderless.push(tables);
        out.pages.push(PdfPage {
            number: p.number,
            width: p.page_box[2] - p.page_box[0],
            height: p.page_box[3] - p.page_box[1],
            lines,
            ..PdfPage::default()
        });
    }
    stitch_borderless(&mut out, &mut borderless);
    join_rows_split_by_page_break(&mut out);
    out
}

/// A borderless table a page starts with may begin with the tail of the last row of the page
/// before: it is added to that row's label, and the row printed again.
fn stitch_borderless(text: &mut PdfText, tables: &mut [Vec<Found>]) {
    for i in 1..tables.len().min(text.pages.len()) {
        let (before, after) = tables.split_at_mut(i);
        let Some(last_prev) = before[i - 1].len().checked_sub(1) else {
            continue;
        };
        let (Some(prev), Some(cur)) = (before[i - 1].last_mut(), after[0].first_mut()) else {
            continue;
        };
        // only when nothing but the page break lies between the two tables
        let starts = text.pages[i].lines.first().map(|l| l.grid_row);
        let ends = text.pages[i - 1].lines.last().and_then(|l| l.grid_row);
        if starts != Some(Some((0, 0))) || ends.map(|(t, _)| t) != Some(last_prev) {
            continue;
        }
        if borderless::align_columns(prev, cur) {
            for l in &mut text.pages[i].lines {
                let row = match l.grid_row {
                    Some((0, r)) => cur.row_line(r),
                    _ => continue,
                };
                if let borderless::RowLine::Cells(entries) = row {
                    let bbox = l.bbox;
                    let grid_row = l.grid_row;
                    *l = PdfLine::row(entries, bbox);
                    l.grid_row = grid_row;
                }
            }
        }
        let Some(row) = borderless::stitch_pair(prev, cur) else {
            continue;
        };
        let line = text.pages[i - 1]
            .lines
            .iter_mut()
            .find(|l| l.grid_row == Some((last_prev, row)));
        if let (Some(l), borderless::RowLine::Cells(entries)) = (line, prev.row_line(row)) {
            l.set_cells(entries.into_iter().map(|e| e.0).collect());
        }
    }
}

/// Starts like a new row label: `1.`, `2、`, `（三）`, `(3)`, `四、`.
fn starts_numbered(s: &str) -> bool {
    let mut it = s.chars();
    match it.next() {
        Some('（') | Some('(') => {
            let inner: String = it.take_while(|c| *c != '）' && *c != ')').collect();
            !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        }
        Some(c) if c.is_ascii_digit() => matches!(
            it.find(|c| !c.is_ascii_digit()),
            Some('.') | Some('、') | Some('．')
        ),
        Some(c) if "一二三四五六七八九十".contains(c) => matches!(it.next(), Some('、')),
        _ => false,
    }
}

fn is_number(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == ',')
}

fn append_cell(p: &mut String, c: &str) {
    if let (Some(a), Some(b)) = (p.chars().last(), c.chars().next()) {
        if !is_cjk(a) && !is_cjk(b) {
            p.push(' ');
        }
    }
    p.push_str(c);
}

/// A table row broken by a page break (its label's tail on the next page, its numbers above)
/// is joined back into the row on the previous page. A rowspan label's tail goes to the row
/// above that holds the label's head.
fn join_rows_split_by_page_break(text: &mut PdfText) {
    for i in 1..text.pages.len() {
        let (left, right) = text.pages.split_at_mut(i);
        let (Some(prev_page), Some(cur_page)) = (left.last_mut(), right.first_mut()) else {
            continue;
        };
        let (Some(prev), Some(cur)) = (prev_page.lines.last(), cur_page.lines.first()) else {
            continue;
        };
        if !prev.is_table_row || !cur.is_table_row {
            continue;
        }
        // the same table on both pages: the same edges, give or take a scan's shift between
        // pages (a born-digital page repeats them to the point)
        let tol = (0.025 * (prev.bbox[2] - prev.bbox[0])).max(3.0);
        if (prev.bbox[0] - cur.bbox[0]).abs() > tol || (prev.bbox[2] - cur.bbox[2]).abs() > tol {
            continue;
        }
        let trimmed =
            |l: &PdfLine| -> Vec<String> { l.cells.iter().map(|c| c.trim().to_string()).collect() };
        let (pc, cc) = (trimmed(prev), trimmed(cur));
        if pc.len() != cc.len() {
            continue;
        }
        let mut ok = true;
        let mut continued_empty = false;
        for (p, c) in pc.iter().zip(cc.iter()) {
            if !c.is_empty() && (is_number(c) || starts_numbered(c)) {
                ok = false;
            }
            if c.is_empty() && !p.is_empty() && is_number(p) {
                continued_empty = true;
            }
        }
        if !ok || !continued_empty || cc.iter().all(|c| c.is_empty()) {
            continue;
        }
        // Rows of this table on the previous page, bottom first.
        let n = prev_page.lines.len();
        let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
        for k in (0..n).rev() {
            let l = &prev_page.lines[k];
            if !l.is_table_row {
                break;
            }
            let c = trimmed(l);
            if c.len() != cc.len() {
                break;
            }
            rows.push((k, c));
        }
        for (j, c) in cc.iter().enumerate() {
            if c.is_empty() {
                continue;
            }
            let target = rows
                .iter()
                .position(|(_, r)| r.get(j).map(|v| !v.is_empty()).unwrap_or(false))
                .unwrap_or(0);
            if let Some((_, r)) = rows.get_mut(target) {
                if let Some(cell) = r.get_mut(j) {
                    append_cell(cell, c);
                }
            }
        }
        for (k, r) in rows {
            if let Some(l) = prev_page.lines.get_mut(k) {
                l.set_cells(r);
            }
        }
        cur_page.lines.remove(0);
    }
}
