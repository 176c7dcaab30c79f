//! One page image → positioned words, rulings and doubts, in page space.
//!
//! Geometry first: level the page, find its rulings and the cells they enclose, erase the
//! rulings (generic OCR reads them as `|`, `一` and `l`). Characters second: the text
//! outside cells is read as a page; the cells are read **cell by cell**, each cropped to its
//! ink and stacked in a montage so one engine call reads them all; a cell that holds no
//! Chinese is read again by a digits-only recogniser on a binarised crop. Where the two
//! readings differ, or the engine is unsure, the cell carries a doubt that becomes an
//! `ocr.low-confidence` warning on the table cell read there.

use super::cells::{self, Cell};
use super::deskew;
use super::engine::{Engine, Script, Word};
use super::raster::{histogram, ink_mask, otsu, Gray, PageRaster};
use super::rulings::{self, RuleSizes};
use super::seal;
use crate::script::{is_cjk, is_ideograph};

/// Where a page image lands: page x = `x0 + px · sx`, page y = `y_top − py · sy` (PDF user
/// space, y upwards) for pixel (px, py) of the upright image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Placement {
    /// Page x of the image's left edge.
    pub x0: f32,
    /// Page y of the image's top edge.
    pub y_top: f32,
    /// Points per pixel across.
    pub sx: f32,
    /// Points per pixel down.
    pub sy: f32,
}

impl Placement {
    /// Pixel box (y down) → page box (y up).
    pub fn to_page(self, b: [f32; 4]) -> [f32; 4] {
        [
            self.x0 + b[0] * self.sx,
            self.y_top - b[3] * self.sy,
            self.x0 + b[2] * self.sx,
            self.y_top - b[1] * self.sy,
        ]
    }

    /// Pixels per inch of the image.
    pub fn dpi(&self) -> f32 {
        72.0 / self.sx.abs().max(1e-6)
    }
}

/// A word read, in page space.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageWord {
    /// The text.
    pub text: String,
    /// x0, y0, x1, y1 (y up).
    pub bbox: [f32; 4],
    /// Em size in points.
    pub size: f32,
    /// Confidence, 0 to 1.
    pub conf: f32,
}

/// A ruling in page space: horizontal at y = `pos` from x = `a` to `b`, or vertical at
/// x = `pos` from y = `a` to `b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PageRule {
    /// Horizontal (else vertical).
    pub horiz: bool,
    /// Position across the line.
    pub pos: f32,
    /// Start along it.
    pub a: f32,
    /// End along it.
    pub b: f32,
}

/// A region whose reading is in doubt.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Doubt {
    /// Page box of the cell.
    pub bbox: [f32; 4],
    /// Confidence of the reading kept, 0 to 1.
    pub conf: f32,
    /// What was read and why it is doubted.
    pub why: String,
}

/// What OCR made of one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PageRead {
    /// Words, cells' words included.
    pub words: Vec<PageWord>,
    /// Rulings found.
    pub rules: Vec<PageRule>,
    /// Doubtful cells.
    pub doubts: Vec<Doubt>,
    /// Skew corrected, degrees.
    pub skew: f32,
    /// Cells found in the grid.
    pub cells: usize,
}

/// Reads one upright page image placed on the page by `at`.
pub(crate) fn read_page(
    img: &PageRaster,
    at: Placement,
    engine: &dyn Engine,
) -> Result<PageRead, String> {
    let dpi = at.dpi();
    let dbg = page_debug_dir();
    let dbg = dbg.as_deref();
    let t = otsu(&img.unsealed);
    let (skew, lev) = deskew::level(&img.unsealed, t);
    let (w, h) = (lev.w, lev.h);
    // thin rulings scan light grey, well above the threshold that suits text: lines are
    // looked for at a level nearer the paper (only long thin runs qualify, so little
    // else gets in)
    let t_line = near_paper(&lev, t);
    // a seal's ink hides the rulings under it in the unsealed grey; as seen, the line
    // shows there still (dark under red), so pieces of a line are joined across the seal
    let seen = img.seen.rotate(skew);
    let t_seen = otsu(&seen);
    let t_seen_paper = near_paper(&seen, t_seen);
    // each page-sized buffer lives only as long as it is needed: a 200 dpi page is about
    // 4 MB a buffer, and a dozen of them would be most of a scan's memory
    let rules = {
        let cover = ink_mask(&seen, t_seen_paper);
        rulings::find(
            &ink_mask(&lev, t_line),
            Some(&cover),
            w,
            h,
            RuleSizes::for_dpi(dpi),
        )
    };
    let rmask = rulings::mask(&rules, w, h);
    // what dropping red left of a seal is no ink of the cells
    let mut lev_clean = lev.clone();
    seal::erase_remnants(&mut lev_clean, &lev, &seen, t_line, px(0.015, dpi));
    let found = cells::find(&rmask, &ink_mask(&lev_clean, t), w, h, px(0.08, dpi));
    if let Some(dir) = dbg {
        // the rulings found (black) and the cells (their boxes in grey)
        let mut dbg = Gray::white(w, h);
        for (p, &m) in dbg.px.iter_mut().zip(&rmask) {
            if m {
                *p = 0;
            }
        }
        for c in &found {
            let [x0, y0, x1, y1] = c.region;
            for x in x0..x1 {
                dbg.px[(y0 + 3).min(h - 1) * w + x] = 160;
                dbg.px[y1.saturating_sub(4) * w + x] = 160;
            }
            for y in y0..y1 {
                dbg.px[y * w + (x0 + 3).min(w - 1)] = 160;
                dbg.px[y * w + x1.saturating_sub(4)] = 160;
            }
        }
        let _ = std::fs::write(dir.join("cells.png"), dbg.to_png());
        let listing: String = rules.iter().map(|r| format!("{r:?}\n")).collect();
        let _ = std::fs::write(dir.join("rules.txt"), listing);
    }
    // the rulings erased, so that no engine reads them as characters, and the paper made
    // white: a grey page (scanner white point, JPEG haze) makes the engine misread lines
    let erase = |g: &Gray, t_paper: u8| {
        let mut g = g.clear_above(t_paper);
        for (p, &m) in g.px.iter_mut().zip(&rmask) {
            if m {
                *p = 255;
            }
        }
        g
    };
    let clean = erase(&lev_clean, t_line);
    drop(lev_clean);
    let mut out = PageRead {
        skew,
        cells: found.len(),
        rules: rules
            .iter()
            .map(|r| {
                let (a, b) = (r.a as f32, r.b as f32);
                if r.horiz {
                    let bb = at.to_page([a, r.pos, b, r.pos]);
                    PageRule {
                        horiz: true,
                        pos: bb[1],
                        a: bb[0],
                        b: bb[2],
                    }
                } else {
                    let bb = at.to_page([r.pos, a, r.pos, b]);
                    PageRule {
                        horiz: false,
                        pos: bb[0],
                        a: bb[1],
                        b: bb[3],
                    }
                }
            })
            .collect(),
        ..PageRead::default()
    };

    // page text: everything outside the cells, as seen (red print included)
    let mut rest = erase(&seen, t_seen_paper);
    for c in &found {
        let [x0, y0, x1, y1] = c.region;
        for y in y0..y1 {
            rest.px[y * w + x0..y * w + x1].fill(255);
        }
    }
    drop(rmask);
    if rest.px.iter().any(|&v| v <= t_seen) {
        if let Some(dir) = dbg {
            let _ = std::fs::write(dir.join("page-text.png"), rest.to_png());
        }
        let mut words = engine.read(&rest, Script::Chinese)?;
        level_lines(&mut words);
        let em = median(words.iter().map(|w| w.bbox[3] - w.bbox[1])).max(dpi * 0.08);
        for wd in words {
            out.words.push(PageWord {
                size: em * at.sy,
                bbox: at.to_page(wd.bbox),
                text: wd.text,
                conf: wd.conf,
            });
        }
    }
    drop(rest);

    // cells: one montage for the Chinese reading, one for the digits of the cells without
    // Chinese
    let min_side = px(0.03, dpi);
    let inked: Vec<&Cell> = found
        .iter()
        .filter(|c| {
            c.ink_px >= 6
                && c.ink
                    .is_some_and(|b| (b[2] - b[0]).max(b[3] - b[1]) >= min_side)
        })
        .collect();
    if inked.is_empty() {
        return Ok(out);
    }
    let pad = crop_pad(dpi);
    let crops: Vec<[usize; 4]> = inked
        .iter()
        .map(|c| {
            let (r, i) = (c.region, c.ink.unwrap_or(c.region));
            [
                i[0].saturating_sub(pad).max(r[0]),
                i[1].saturating_sub(pad).max(r[1]),
                (i[2] + pad).min(r[2]),
                (i[3] + pad).min(r[3]),
            ]
        })
        .collect();
    let chinese = read_montage(
        &clean,
        &crops,
        dpi,
        1.0,
        engine,
        Script::Chinese,
        dbg.map(|d| (d, "cells")),
    )?;
    let numeric: Vec<usize> = (0..inked.len())
        .filter(|&k| may_be_number(&chinese[k]))
        .collect();
    let digit_crops: Vec<[usize; 4]> = numeric.iter().map(|&k| crops[k]).collect();
    let digits = if digit_crops.is_empty() {
        Vec::new()
    } else {
        read_montage(
            &clean,
            &digit_crops,
            dpi,
            1.0,
            engine,
            Script::Digits,
            dbg.map(|d| (d, "cells")),
        )?
    };
    let mut digits = digits;
    // a cell neither reading makes a number of (a digit half hidden by a seal) is read
    // once more on its own, enlarged twice
    for (j, &k) in numeric.iter().enumerate() {
        let read = |ws: &[Word]| ws.iter().map(|w| w.text.as_str()).collect::<String>();
        let (d, c) = (read(&digits[j]), read(&chinese[k]));
        if number_like(&d) || number_like(&c) {
            continue;
        }
        let again = read_montage(&clean, &[crops[k]], dpi, 2.0, engine, Script::Digits, None)?;
        if let Some(ws) = again.into_iter().next() {
            if number_like(&read(&ws)) {
                digits[j] = ws;
            }
        }
    }
    // a check reading of every number, binarised and larger: the first two see the same
    // pixels alike, so a 5 for a blurred 8 needs another view to come to light
    let check = if digit_crops.is_empty() {
        Vec::new()
    } else {
        read_montage(
            &clean.clear_above(t),
            &digit_crops,
            dpi,
            4.0 / 3.0,
            engine,
            Script::Digits,
            dbg.map(|d| (d, "check")),
        )?
    };
    let mut digit_of = vec![None; inked.len()];
    let mut check_of = vec![None; inked.len()];
    for (j, &k) in numeric.iter().enumerate() {
        digit_of[k] = digits.get(j);
        check_of[k] = check.get(j);
    }
    let mut decisions = String::new();
    for (k, cell) in inked.iter().enumerate() {
        let region = cell.region.map(|v| v as f32);
        let bbox = at.to_page(region);
        let check = check_of[k].map(Vec::as_slice);
        let under_seal = cell.ink.is_some_and(|b| seal::crosses(&lev, &seen, b, pad));
        let (kept, mut doubt) = choose(
            &chinese[k],
            digit_of[k].map(Vec::as_slice),
            check,
            under_seal,
        );
        if doubt.is_none() {
            doubt = disputed(kept, check);
        }
        let is_number = number_like(&kept.iter().map(|w| w.text.as_str()).collect::<String>());
        if doubt.is_none() && is_number && under_seal {
            doubt = Some((
                0.5,
                "a seal's ink crosses the number: strokes under it may be lost".into(),
            ));
        }
        if dbg.is_some() {
            let texts = |ws: &[Word]| {
                ws.iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            decisions.push_str(&format!(
                "{:?}\tC={:?}\tD={:?}\tB={:?}\tkept={:?}\t{:?}\n",
                cell.region,
                texts(&chinese[k]),
                digit_of[k].map(|d| texts(d)),
                check.map(texts),
                texts(kept),
                doubt
            ));
        }
        if let Some((conf, why)) = doubt {
            out.doubts.push(Doubt { bbox, conf, why });
        }
        let numeric_only = !kept.iter().any(|w| w.text.chars().any(is_cjk));
        if numeric_only {
            // numbers stay where they were read: a cell the rulings did not close off
            // (a line washed out under a seal) may hold two columns' numbers
            let hmax = kept
                .iter()
                .map(|w| w.bbox[3] - w.bbox[1])
                .fold(0.0f32, f32::max);
            // digits stand about 0.7 em tall
            let em = (hmax / 0.7).max(dpi * 0.06);
            for wd in kept {
                out.words.push(PageWord {
                    size: em * at.sy,
                    bbox: at.to_page(wd.bbox),
                    text: wd.text.clone(),
                    conf: wd.conf,
                });
            }
        } else if let Some(ink) = cell.ink {
            // a label, wrapped over lines in its cell: one line in reading order, so the
            // layout cannot interleave the characters of its lines
            let text = join_words(kept);
            let ink = ink.map(|v| v as f32);
            let em = (ink[3] - ink[1]).min(dpi * 0.3).max(dpi * 0.06);
            let mid = (ink[1] + ink[3]) / 2.0;
            out.words.push(PageWord {
                size: em * at.sy,
                bbox: at.to_page([ink[0], mid - em / 2.0, ink[2], mid + em / 2.0]),
                text,
                conf: kept.iter().map(|w| w.conf).fold(1.0, f32::min),
            });
        }
    }
    if let Some(dir) = dbg {
        let _ = std::fs::write(dir.join("cells.txt"), decisions);
    }
    Ok(out)
}

/// `OGI_OCR_DEBUG=DIR`: where to leave the pictures and readings of a page, for looking at
/// misreadings.
fn debug_dir() -> Option<std::path::PathBuf> {
    std::env::var_os("OGI_OCR_DEBUG").map(Into::into)
}

/// The debug folder of the next page read: `DIR/page-N`, numbered in the order pages are
/// read in this process, so the pages of a long scan do not overwrite each other.
fn page_debug_dir() -> Option<std::path::PathBuf> {
    static PAGES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);
    let dir = debug_dir()?;
    let n = PAGES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = dir.join(format!("page-{n}"));
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir)
}

/// Words of one line given the line's vertical extent (the median of its words'): the
/// engine's box for a single character can reach into the next line.
fn level_lines(words: &mut [Word]) {
    let mut i = 0;
    while i < words.len() {
        let j = i + words[i..]
            .iter()
            .take_while(|w| w.line == words[i].line)
            .count();
        let y0 = median(words[i..j].iter().map(|w| w.bbox[1]));
        let y1 = median(words[i..j].iter().map(|w| w.bbox[3]));
        for w in &mut words[i..j] {
            w.bbox[1] = y0;
            w.bbox[3] = y1;
        }
        i = j;
    }
}

/// Words in reading order as one text: a space only between two non-CJK words.
fn join_words(words: &[Word]) -> String {
    let mut s = String::new();
    for w in words {
        if let (Some(a), Some(b)) = (s.chars().last(), w.text.chars().next()) {
            if !is_cjk(a) && !is_cjk(b) && !a.is_ascii_punctuation() && !b.is_ascii_punctuation() {
                s.push(' ');
            }
        }
        s.push_str(&w.text);
    }
    s
}

/// A level between ink threshold `t` and the paper: faint rulings and stroke edges are
/// darker than it, paper texture and haze lighter.
fn near_paper(g: &Gray, t: u8) -> u8 {
    let paper = paper_level(g);
    paper
        .saturating_sub((paper.saturating_sub(t) as f32 * 0.4) as u8)
        .max(t)
}

/// The paper's grey: the median sample (most of a page is paper).
fn paper_level(g: &Gray) -> u8 {
    let hist = histogram(g);
    let half = g.px.len() as u64 / 2;
    let mut seen = 0;
    for (v, &n) in hist.iter().enumerate() {
        seen += n;
        if seen > half {
            return v as u8;
        }
    }
    255
}

/// The paper kept around a cell's ink when it is cut out for the recognisers.
fn crop_pad(dpi: f32) -> usize {
    px(0.03, dpi)
}

/// The median height of the print in crops padded by [`crop_pad`]; print of 10.5 pt
/// (digits 7.4 pt tall) where there are no crops.
fn print_height(crops: &[[usize; 4]], dpi: f32) -> f32 {
    let pad = 2 * crop_pad(dpi);
    let mut h: Vec<usize> = crops
        .iter()
        .map(|c| (c[3] - c[1]).saturating_sub(pad))
        .collect();
    h.sort_unstable();
    match h.get(h.len() / 2) {
        Some(&m) if m > 0 => m as f32,
        _ => dpi * 7.4 / 72.0,
    }
}

/// Pixels in `inch` at `dpi`.
fn px(inch: f32, dpi: f32) -> usize {
    (inch * dpi).round().max(1.0) as usize
}

fn median(v: impl Iterator<Item = f32>) -> f32 {
    let mut v: Vec<f32> = v.collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

/// How tall the digits recogniser reads digits best, in pixels (a good 30: smaller print is
/// misread, and much larger print, a 300-dpi scan of large type, is read as nothing).
const DIGIT_PX: f32 = 30.0;

/// Reads the crops of `img` stacked one under another, digits scaled `zoom` times past
/// their best reading height; returns each crop's words in the page image's pixels.
fn read_montage(
    img: &Gray,
    crops: &[[usize; 4]],
    dpi: f32,
    zoom: f32,
    engine: &dyn Engine,
    script: Script,
    dbg: Option<(&std::path::Path, &str)>,
) -> Result<Vec<Vec<Word>>, String> {
    // digits are brought to the height the engine reads best (the boxes it gives scaled
    // back), from the print's own height: the resolution alone misjudges large type
    let f = match script {
        Script::Digits => (zoom * DIGIT_PX / print_height(crops, dpi)).clamp(0.5, 4.0),
        Script::Chinese => 1.0,
    };
    let gap = px(0.12, dpi);
    let margin = px(0.1, dpi);
    let width = crops.iter().map(|c| c[2] - c[0]).max().unwrap_or(0) + 2 * margin;
    let height: usize = crops.iter().map(|c| c[3] - c[1] + gap).sum::<usize>() + 2 * margin;
    let mut m = Gray::white(width, height);
    let mut tops = Vec::with_capacity(crops.len());
    let mut y = margin;
    for c in crops {
        m.paste(&img.crop(c[0], c[1], c[2], c[3]), margin, y);
        tops.push(y);
        y += c[3] - c[1] + gap;
    }
    let scaled = (f - 1.0).abs() > 0.01;
    let mut words = if scaled {
        engine.read(&m.scale(f), script)?
    } else {
        engine.read(&m, script)?
    };
    if scaled {
        for w in &mut words {
            for v in &mut w.bbox {
                *v /= f;
            }
        }
    }
    if let Some((dir, tag)) = dbg {
        let stem = dir.join(format!("montage-{tag}-{script:?}-{}", crops.len()));
        let _ = std::fs::write(stem.with_extension("png"), m.to_png());
        let listing: String = words
            .iter()
            .map(|w| format!("{:?} {:.0} {:?}\n", w.bbox, w.conf * 100.0, w.text))
            .collect();
        let _ = std::fs::write(stem.with_extension("txt"), listing);
    }
    let mut out: Vec<Vec<Word>> = vec![Vec::new(); crops.len()];
    for wd in words {
        let cy = (wd.bbox[1] + wd.bbox[3]) / 2.0;
        // the crop whose band (with half the gap either side) holds the word's centre
        let k = tops.partition_point(|&t| (t as f32) - (gap as f32) / 2.0 <= cy);
        let Some(k) = k.checked_sub(1) else { continue };
        let c = crops[k];
        let (dx, dy) = (c[0] as f32 - margin as f32, c[1] as f32 - tops[k] as f32);
        out[k].push(Word {
            bbox: [
                wd.bbox[0] + dx,
                wd.bbox[1] + dy,
                wd.bbox[2] + dx,
                wd.bbox[3] + dy,
            ],
            ..wd
        });
    }
    Ok(out)
}

/// Confidence below which a number read is doubted.
const SURE: f32 = 0.75;

/// Whether a cell's Chinese reading may stand for a number, so the digits recogniser reads
/// it too: no ideograph in it, or a single one among digits and marks. The Chinese model
/// reads a lone digit as a look-alike ideograph (`1` → `工`, `0` → `口`), and a seal's star
/// over a `0` as punctuation; a label has more than one ideograph, a "none" mark (`无`)
/// is kept as such.
fn may_be_number(chinese: &[Word]) -> bool {
    let text: String = chinese.iter().map(|w| w.text.as_str()).collect();
    let ideographs = text.chars().filter(|&c| is_ideograph(c)).count();
    ideographs == 0 || (ideographs == 1 && !matches!(text.as_str(), "无" | "空"))
}

/// The words kept for a cell from its Chinese reading and (for cells that may hold a
/// number) its digits reading, and the doubt if any: `(confidence, why)`. `check`, a third
/// reading of the digits, confirms a number the Chinese model read as something else;
/// `sealed`: a seal's ink crosses the cell's ink.
fn choose<'a>(
    chinese: &'a [Word],
    digits: Option<&'a [Word]>,
    check: Option<&'a [Word]>,
    sealed: bool,
) -> (&'a [Word], Option<(f32, String)>) {
    let joined = |ws: &[Word]| ws.iter().map(|w| w.text.as_str()).collect::<String>();
    let conf = |ws: &[Word]| ws.iter().map(|w| w.conf).fold(1.0f32, f32::min);
    let Some(digits) = digits else {
        return (chinese, None);
    };
    let (c, d) = (joined(chinese), joined(digits));
    if c.chars().any(is_ideograph) && !number_like(&d) {
        // a one-character label (or mark) the digits recogniser makes no number of; but
        // under a seal, or read unsure, it is as likely the remains of a hidden digit
        let cc = conf(chinese);
        if sealed || cc < SURE {
            return (
                &[],
                Some((cc.min(0.5), format!("ink read as {c:?}, no number"))),
            );
        }
        return (chinese, None);
    }
    let (cc, dc) = (conf(chinese), conf(digits));
    let (nc, nd) = (number_like(&c), number_like(&d));
    let dash = |s: &str| !s.is_empty() && s.chars().all(|ch| "-—–/－".contains(ch));
    if c.is_empty() && d.is_empty() {
        return (
            chinese,
            Some((
                0.0,
                "ink in the cell, but no character was recognised".into(),
            )),
        );
    }
    if !nc && !nd {
        // a dash stays (a blank cell's mark); other ink that makes no number is left out,
        // so the cell is null, with the doubt
        if dash(&c) {
            return (chinese, None);
        }
        if dash(&d) {
            return (digits, None);
        }
        // the binarised reading may still make a number (a seal's edge clung to a `0`)
        if let Some(ch) = check.filter(|ch| number_like(&joined(ch))) {
            let k = joined(ch);
            return (
                ch,
                Some((
                    conf(ch).min(0.5),
                    format!("read as {k:?} only when binarised ({c:?} / {d:?} otherwise)"),
                )),
            );
        }
        return (
            &[],
            Some((0.0, format!("ink read as {c:?} / {d:?}, no number"))),
        );
    }
    if c == d {
        let best = cc.max(dc);
        let doubt = (best < SURE).then(|| (best, format!("read as {d:?} with low confidence")));
        return (digits, doubt);
    }
    match (nc, nd) {
        // a number beats a reading that is none (`]` for a 1 half hidden by a seal)
        (false, true) => {
            let confirmed = check.is_some_and(|ch| joined(ch) == d) && dc >= SURE;
            let doubt = if c.is_empty() {
                (dc < 0.9).then(|| (dc, format!("read as {d:?} by the digits recogniser only")))
            } else if confirmed {
                None
            } else {
                Some((dc.min(0.6), format!("read as {d:?} (or {c:?})")))
            };
            (digits, doubt)
        }
        (true, false) => (
            chinese,
            Some((
                cc.min(0.5),
                format!("read as {c:?}, which the digits recogniser did not confirm"),
            )),
        ),
        _ => {
            let (kept, other, k) = if dc >= cc {
                (digits, &c, dc)
            } else {
                (chinese, &d, cc)
            };
            let shown = joined(kept);
            (
                kept,
                Some((k.min(0.5), format!("read as {shown:?} or {other:?}"))),
            )
        }
    }
}

/// The doubt a check reading raises over a number kept: another number where it read one.
fn disputed(kept: &[Word], check: Option<&[Word]>) -> Option<(f32, String)> {
    let joined = |ws: &[Word]| ws.iter().map(|w| w.text.as_str()).collect::<String>();
    let (k, c) = (joined(kept), joined(check?));
    (number_like(&k) && number_like(&c) && k != c)
        .then(|| (0.5, format!("read as {k:?}, and as {c:?} when binarised")))
}

/// Digits with at most the separators a printed number has.
fn number_like(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_digit() || ".,-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_scaled_from_the_height_of_their_print_not_the_resolution() {
        // padded crops at 300 dpi: 2 × 9 px of padding around 45 px of print (large type)
        let crops = [[0, 0, 40, 63], [0, 100, 40, 162], [0, 200, 40, 264]];
        assert_eq!(print_height(&crops, 300.0), 45.0);
        // no crops: 10.5-pt print
        assert!((print_height(&[], 200.0) - 20.6).abs() < 0.1);
    }

    fn w(t: &str, conf: f32) -> Word {
        Word {
            text: t.into(),
            bbox: [0.0, 0.0, 10.0, 10.0],
            conf,
            line: 0,
        }
    }

    #[test]
    fn agreeing_readings_are_kept_without_doubt() {
        let (c, d) = (vec![w("95", 0.9)], vec![w("95", 0.96)]);
        let (kept, doubt) = choose(&c, Some(&d), None, false);
        assert_eq!(kept[0].text, "95");
        assert!(doubt.is_none());
    }

    #[test]
    fn disagreeing_readings_are_doubted() {
        let (c, d) = (vec![w("S", 0.26)], vec![w("31", 0.72)]);
        let (kept, doubt) = choose(&c, Some(&d), None, false);
        assert_eq!(kept[0].text, "31");
        let (_, why) = doubt.unwrap();
        assert!(why.contains("\"31\" (or \"S\")"), "{why}");
    }

    #[test]
    fn a_number_beats_a_reading_that_is_no_number() {
        let (c, d) = (vec![w("]", 0.9)], vec![w("1", 0.5)]);
        let (kept, doubt) = choose(&c, Some(&d), None, false);
        assert_eq!(kept[0].text, "1");
        assert!(doubt.is_some(), "still doubted");
    }

    #[test]
    fn a_check_reading_of_another_number_raises_a_doubt() {
        let kept = vec![w("54", 0.95)];
        assert!(disputed(&kept, Some(&[w("84", 0.9)])).is_some());
        assert!(disputed(&kept, Some(&[w("54", 0.9)])).is_none());
        // a check that makes no number says nothing
        assert!(disputed(&kept, Some(&[])).is_none());
    }

    #[test]
    fn a_digit_read_as_an_ideograph_is_read_as_digits() {
        assert!(may_be_number(&[w("工", 0.8)]));
        assert!(may_be_number(&[w("(《", 0.4)]));
        assert!(!may_be_number(&[w("其他", 0.9)]));
        assert!(!may_be_number(&[w("无", 0.9)]));
        let (c, d) = (vec![w("工", 0.8)], vec![w("1", 0.95)]);
        // confirmed by the check reading: no doubt
        let (one, seven) = ([w("1", 0.9)], [w("7", 0.9)]);
        let (kept, doubt) = choose(&c, Some(&d), Some(&one), false);
        assert_eq!(kept[0].text, "1");
        assert!(doubt.is_none());
        // not confirmed: kept, doubted
        let (kept, doubt) = choose(&c, Some(&d), Some(&seven), false);
        assert_eq!(kept[0].text, "1");
        assert!(doubt.is_some());
        // a one-character label the digits make nothing of stays as read
        let label = [w("否", 0.9)];
        let (kept, doubt) = choose(&label, Some(&[]), None, false);
        assert_eq!(kept[0].text, "否");
        assert!(doubt.is_none());
        // the same under a seal: the remains of a hidden digit, so blank and doubted
        let (kept, doubt) = choose(&label, Some(&[]), None, true);
        assert!(kept.is_empty());
        assert!(doubt.is_some());
    }

    #[test]
    fn chinese_cells_keep_their_reading() {
        let c = vec![w("行政", 0.96), w("处罚", 0.9)];
        let (kept, doubt) = choose(&c, None, None, false);
        assert_eq!(kept.len(), 2);
        assert!(doubt.is_none());
    }

    #[test]
    fn ink_that_is_no_number_leaves_the_cell_blank_with_a_doubt() {
        let (c, d) = (vec![w("U", 0.9)], vec![]);
        let (kept, doubt) = choose(&c, Some(&d), None, false);
        assert!(kept.is_empty());
        assert!(doubt.is_some());
        let (c, d) = (vec![w("—", 0.9)], vec![]);
        let (kept, doubt) = choose(&c, Some(&d), None, false);
        assert_eq!(kept[0].text, "—");
        assert!(doubt.is_none());
    }

    #[test]
    fn a_number_only_the_binarised_reading_makes_is_kept_with_a_doubt() {
        let (c, d, b) = (vec![w("0)", 0.6)], vec![], vec![w("0", 0.8)]);
        let (kept, doubt) = choose(&c, Some(&d), Some(&b), false);
        assert_eq!(kept[0].text, "0");
        assert!(doubt.unwrap().1.contains("only when binarised"));
    }

    #[test]
    fn unread_ink_is_doubted() {
        let (kept, doubt) = choose(&[], Some(&[]), None, false);
        assert!(kept.is_empty());
        assert!(doubt.is_some());
    }

    #[test]
    fn placement_maps_pixels_to_page_points() {
        let at = Placement {
            x0: 0.0,
            y_top: 842.0,
            sx: 72.0 / 200.0,
            sy: 72.0 / 200.0,
        };
        assert!((at.dpi() - 200.0).abs() < 1e-3);
        let b = at.to_page([200.0, 200.0, 400.0, 300.0]);
        assert_eq!(b, [72.0, 842.0 - 108.0, 144.0, 842.0 - 72.0]);
    }
}
