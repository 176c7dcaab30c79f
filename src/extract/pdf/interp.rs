//! Content-stream interpreter: positioned glyphs and ruling segments in page space.

use compact_str::CompactString;
use foldhash::{HashMap, HashMapExt};
use std::sync::{Arc, OnceLock};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::fonts::Font;
use super::lexer::{level, InlineImage, Lexer, Op, Operand};
use super::objects::{as_dict, deref_id, dict_get, num, DocBudget, Streams, Tally};
use super::types::{PdfError, PdfLimits};

pub type Matrix = [f32; 6];
pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

pub fn mul(m1: &Matrix, m2: &Matrix) -> Matrix {
    [
        m1[0] * m2[0] + m1[1] * m2[2],
        m1[0] * m2[1] + m1[1] * m2[3],
        m1[2] * m2[0] + m1[3] * m2[2],
        m1[2] * m2[1] + m1[3] * m2[3],
        m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
        m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
    ]
}

pub fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

/// A glyph placed on the page (axis-aligned box in page space).
#[derive(Debug, Clone)]
pub struct TextGlyph {
    /// The glyph's text (usually one character; held inline up to 24 bytes).
    pub text: CompactString,
    /// Left edge.
    pub x0: f32,
    /// Bottom edge.
    pub y0: f32,
    /// Right edge.
    pub x1: f32,
    /// Top edge.
    pub y1: f32,
    /// Em size in page space.
    pub size: f32,
    /// A whitespace glyph (kept as a word-break hint, never printed itself).
    pub space: bool,
}

impl TextGlyph {
    /// The box's centre x.
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) * 0.5
    }
    /// The box's centre y.
    pub fn cy(&self) -> f32 {
        (self.y0 + self.y1) * 0.5
    }
}

/// An axis-aligned ruling segment: horizontal (y = pos, x in a..b) or vertical (x = pos, y in a..b).
#[derive(Debug, Clone, Copy)]
pub struct Seg {
    /// Horizontal (else vertical).
    pub horiz: bool,
    /// y of a horizontal segment, x of a vertical one.
    pub pos: f32,
    /// Where it starts along its axis.
    pub a: f32,
    /// Where it ends along its axis (≥ `a`).
    pub b: f32,
}

/// Where the samples of a drawn image are.
#[derive(Debug, Clone)]
pub enum ImageSource {
    /// An image XObject.
    XObject(ObjectId),
    /// An inline image: its dictionary with the abbreviated keys spelled out (`/W` →
    /// `/Width`, …; values as written, a colour space named in the resources replaced by
    /// its definition), and its data as written (still filtered).
    Inline {
        /// The image dictionary.
        dict: Dictionary,
        /// The data between `ID` and `EI`.
        data: Vec<u8>,
    },
}

/// One image drawn on the page.
#[derive(Debug, Clone)]
pub struct ImageDraw {
    /// The image.
    pub source: ImageSource,
    /// The CTM at the draw (forms it is drawn in included): where the image's unit square
    /// lands in page space.
    pub ctm: Matrix,
}

/// Most image draws recorded per page (a pattern of tiny images drawn over and over is no
/// scan).
pub const MAX_DRAWS_PER_PAGE: usize = 10_000;
/// Most inline image data kept per page, in bytes.
pub const MAX_INLINE_BYTES_PER_PAGE: usize = 4 * 1024 * 1024;

#[derive(Debug, Default)]
pub struct PageData {
    pub glyphs: Vec<TextGlyph>,
    pub segs: Vec<Seg>,
    pub images: usize,
    /// The images drawn, in drawing order (recorded only; decoded by `images`).
    pub draws: Vec<ImageDraw>,
    /// Draws not recorded: past [`MAX_DRAWS_PER_PAGE`], or inline data past
    /// [`MAX_INLINE_BYTES_PER_PAGE`].
    pub draws_dropped: usize,
    pub text_shows: usize,
    pub undecodable: usize,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Arc<Font>>,
    fs: f32,
    tc: f32,
    tw: f32,
    th: f32,
    tl: f32,
    rise: f32,
    stroke_white: bool,
    fill_white: bool,
}

pub struct Interp<'a> {
    doc: &'a Document,
    limits: &'a PdfLimits,
    /// Fonts this interpreter has used (from the document's shared cache).
    fonts: HashMap<usize, Arc<Font>>,
    ops: usize,
    /// Operators and glyphs in the whole document (never reset), counted against `budget`.
    budget: Arc<DocBudget>,
    doc_ops: Tally,
    doc_glyphs: Tally,
    /// Form XObjects drawn on the current page (nested ones included).
    forms: usize,
    /// Forms being drawn (the current nesting), to skip a form that draws itself.
    form_stack: Vec<ObjectId>,
    /// Decoded streams and the document-wide decoding budget.
    pub streams: Streams<'a>,
    pub out: PageData,
    /// Inline image data kept on the current page, in bytes.
    inline_bytes: usize,
}

fn finite(m: &Matrix) -> bool {
    m.iter().all(|v| v.is_finite())
}

impl<'a> Interp<'a> {
    /// An interpreter for some of a document's pages, the document's limits counted in
    /// `budget` together with the other interpreters reading it.
    pub fn sharing(
        doc: &'a Document,
        file: &'a [u8],
        limits: &'a PdfLimits,
        budget: Arc<DocBudget>,
    ) -> Self {
        Interp {
            doc,
            limits,
            fonts: HashMap::new(),
            ops: 0,
            budget: budget.clone(),
            doc_ops: Tally::default(),
            doc_glyphs: Tally::default(),
            forms: 0,
            form_stack: Vec::new(),
            streams: Streams::new(file, limits, budget),
            out: PageData::default(),
            inline_bytes: 0,
        }
    }

    pub fn reset_page(&mut self) {
        self.doc_ops.publish(&self.budget.ops);
        self.doc_glyphs.publish(&self.budget.glyphs);
        self.ops = 0;
        self.forms = 0;
        self.form_stack.clear();
        self.out = PageData::default();
        self.inline_bytes = 0;
    }

    fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Arc<Font> {
        let doc = self.doc;
        let fd = resources
            .and_then(|r| dict_get(doc, r, b"Font"))
            .and_then(|o| as_dict(doc, o))
            .and_then(|fonts| dict_get(doc, fonts, name))
            .and_then(|o| as_dict(doc, o));
        // key 0: the fallback for a name that does not resolve
        let key = fd.map_or(0, |d| d as *const Dictionary as usize);
        if let Some(f) = self.fonts.get(&key) {
            return f.clone();
        }
        // the document's cell for this font, then decoded (or waited for) outside the lock
        let cell = match self.budget.fonts.lock() {
            Ok(mut m) => m.entry(key).or_default().clone(),
            Err(_) => Arc::new(OnceLock::new()),
        };
        let streams = &self.streams;
        let font = cell
            .get_or_init(|| {
                Arc::new(match fd {
                    Some(d) => Font::load(doc, d, streams),
                    None => Font::fallback(),
                })
            })
            .clone();
        self.fonts.insert(key, font.clone());
        font
    }

    /// Runs a content stream with the given resources and initial CTM.
    pub fn run(
        &mut self,
        data: &[u8],
        resources: Option<&'a Dictionary>,
        ctm: Matrix,
        depth: usize,
    ) -> Result<(), PdfError> {
        let mut gs = GState {
            ctm,
            font: None,
            fs: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
            stroke_white: false,
            fill_white: false,
        };
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        // Path under construction: page-space points of all subpaths in one reused buffer,
        // and each subpath's first point with its "closed" flag.
        let mut path = Path::default();
        // Operators one at a time from the lexer; `buf` holds a decoded string or name.
        let mut lexer = Lexer::new(data);
        let mut buf: Vec<u8> = Vec::new();
        while let Some(op) = lexer.next_op() {
            self.ops += 1;
            if self.ops > self.limits.max_ops_per_page {
                return Err(PdfError::Limit(format!(
                    "more than {} content operators on a page",
                    self.limits.max_ops_per_page
                )));
            }
            self.doc_ops.add(1, &self.budget.ops);
            if self.doc_ops.total > self.limits.max_ops_per_document {
                return Err(PdfError::Limit(format!(
                    "more than {} content operators in the document",
                    self.limits.max_ops_per_document
                )));
            }
            let o = &op;
            match op.operator {
                b"q" if stack.len() < 4096 => {
                    stack.push(gs.clone());
                }
                b"Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                b"cm" => {
                    let m = [o.num(0), o.num(1), o.num(2), o.num(3), o.num(4), o.num(5)];
                    let n = mul(&m, &gs.ctm);
                    if finite(&n) {
                        gs.ctm = n;
                    }
                }
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"ET" => {}
                b"Tf" => {
                    if let Some(n) = o.name(0, &mut buf) {
                        gs.font = Some(self.font(resources, n));
                    }
                    gs.fs = o.num(1);
                }
                b"Tc" => gs.tc = o.num(0),
                b"Tw" => gs.tw = o.num(0),
                b"Tz" => gs.th = o.num(0) / 100.0,
                b"TL" => gs.tl = o.num(0),
                b"Ts" => gs.rise = o.num(0),
                b"Td" | b"TD" => {
                    let (tx, ty) = (o.num(0), o.num(1));
                    if op.operator == b"TD" {
                        gs.tl = -ty;
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &tlm);
                    tm = tlm;
                }
                b"Tm" => {
                    let m = [o.num(0), o.num(1), o.num(2), o.num(3), o.num(4), o.num(5)];
                    if finite(&m) {
                        tlm = m;
                        tm = m;
                    }
                }
                b"T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op.operator == b"\"" {
                        gs.tw = o.num(0);
                        gs.tc = o.num(1);
                    }
                    if op.operator != b"Tj" {
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                        tm = tlm;
                    }
                    let last = o.len().checked_sub(1).and_then(|i| o.get(i));
                    if let Some(s @ Operand::Str(..)) = last {
                        if let Some(s) = o.bytes(s, &mut buf) {
                            self.show(&gs, &mut tm, s)?;
                        }
                    }
                }
                b"TJ" => {
                    for it in o.array(0) {
                        match it {
                            Operand::Str(..) => {
                                if let Some(s) = o.bytes(it, &mut buf) {
                                    self.show(&gs, &mut tm, s)?;
                                }
                            }
                            Operand::Int(_) | Operand::Real(_) => {
                                let v = it.num().unwrap_or(0.0);
                                let vertical =
                                    gs.font.as_ref().map(|f| f.vertical).unwrap_or(false);
                                let d = -v / 1000.0 * gs.fs;
                                let t = if vertical {
                                    [1.0, 0.0, 0.0, 1.0, 0.0, d]
                                } else {
                                    [1.0, 0.0, 0.0, 1.0, d * gs.th, 0.0]
                                };
                                tm = mul(&t, &tm);
                            }
                            _ => {}
                        }
                    }
                }
                // Colours (white lines/fills are not rulings).
                b"G" | b"RG" | b"K" | b"SC" | b"SCN" => {
                    gs.stroke_white = is_white(o, op.operator == b"K")
                }
                b"g" | b"rg" | b"k" | b"sc" | b"scn" => {
                    gs.fill_white = is_white(o, op.operator == b"k")
                }
                // Paths.
                b"m" => {
                    let p = apply(&gs.ctm, o.num(0), o.num(1));
                    path.subs.push((path.pts.len(), false));
                    path.pts.push(p);
                }
                b"l" | b"c" | b"v" | b"y" => {
                    let k = o.len();
                    if k >= 2 {
                        let p = apply(&gs.ctm, o.num(k - 2), o.num(k - 1));
                        match path.subs.last() {
                            Some(&(start, _)) if path.pts.len() - start < 100_000 => {
                                path.pts.push(p)
                            }
                            Some(_) => {}
                            None => {
                                path.subs.push((path.pts.len(), false));
                                path.pts.push(p);
                            }
                        }
                    }
                }
                b"h" => {
                    if let Some(last) = path.subs.last_mut() {
                        last.1 = true;
                    }
                }
                b"re" => {
                    let (x, y, w, h) = (o.num(0), o.num(1), o.num(2), o.num(3));
                    path.subs.push((path.pts.len(), true));
                    path.pts.extend([
                        apply(&gs.ctm, x, y),
                        apply(&gs.ctm, x + w, y),
                        apply(&gs.ctm, x + w, y + h),
                        apply(&gs.ctm, x, y + h),
                    ]);
                }
                b"S" | b"s" | b"B" | b"B*" | b"b" | b"b*" | b"f" | b"F" | b"f*" | b"n" => {
                    let stroke = matches!(op.operator, b"S" | b"s" | b"B" | b"B*" | b"b" | b"b*");
                    let fill = matches!(
                        op.operator,
                        b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*"
                    );
                    let close = matches!(op.operator, b"s" | b"b" | b"b*");
                    if path.subs.len() < 200_000 && self.out.segs.len() < 500_000 {
                        for (pts, closed) in path.subpaths() {
                            if stroke && !gs.stroke_white {
                                stroke_segments(pts, closed || close, &mut self.out.segs);
                            }
                            if fill && !gs.fill_white {
                                fill_segment(pts, &mut self.out.segs);
                            }
                        }
                    }
                    path.pts.clear();
                    path.subs.clear();
                }
                b"Do" => {
                    if let Some(n) = o.name(0, &mut buf) {
                        self.do_xobject(resources, n, &gs.ctm, depth)?;
                    }
                }
                b"BI" => {
                    self.out.images += 1;
                    if let Some(img) = op.image {
                        self.inline_image(o, img, resources, &gs.ctm);
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn do_xobject(
        &mut self,
        resources: Option<&'a Dictionary>,
        name: &[u8],
        ctm: &Matrix,
        depth: usize,
    ) -> Result<(), PdfError> {
        let doc = self.doc;
        let Some((id, xo)) = resources
            .and_then(|r| dict_get(doc, r, b"XObject"))
            .and_then(|o| as_dict(doc, o))
            .and_then(|x| x.get(name).ok())
            .map(|o| deref_id(doc, o))
        else {
            return Ok(());
        };
        let Object::Stream(s) = xo else { return Ok(()) };
        let subtype = s
            .dict
            .get(b"Subtype")
            .ok()
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        if subtype == b"Image" {
            self.out.images += 1;
            match id {
                Some(id) if self.out.draws.len() < MAX_DRAWS_PER_PAGE => {
                    self.out.draws.push(ImageDraw {
                        source: ImageSource::XObject(id),
                        ctm: *ctm,
                    })
                }
                _ => self.out.draws_dropped += 1,
            }
            return Ok(());
        }
        if subtype != b"Form" || depth >= self.limits.max_xobject_depth {
            return Ok(());
        }
        // A form drawing itself (directly or through others) is drawn once.
        if let Some(id) = id {
            if self.form_stack.contains(&id) {
                return Ok(());
            }
        }
        self.forms = self.forms.saturating_add(1);
        if self.forms > self.limits.max_xobjects_per_page {
            return Err(PdfError::Limit(format!(
                "more than {} form XObjects drawn on a page",
                self.limits.max_xobjects_per_page
            )));
        }
        let Some(data) = self.streams.content(id, xo)? else {
            return Ok(());
        };
        let mut m = IDENTITY;
        if let Some(Object::Array(a)) = dict_get(doc, &s.dict, b"Matrix") {
            if a.len() == 6 {
                let v: Vec<f32> = a.iter().map(|o| num(doc, o).unwrap_or(0.0)).collect();
                m = [v[0], v[1], v[2], v[3], v[4], v[5]];
            }
        }
        let ctm2 = mul(&m, ctm);
        if !finite(&ctm2) {
            return Ok(());
        }
        let res = dict_get(doc, &s.dict, b"Resources")
            .and_then(|o| as_dict(doc, o))
            .or(resources);
        if let Some(id) = id {
            self.form_stack.push(id);
        }
        let r = self.run(&data, res, ctm2, depth + 1);
        if id.is_some() {
            self.form_stack.pop();
        }
        r
    }

    /// Records an inline image: its dictionary as lopdf objects, its data copied (within
    /// the per-page cap).
    fn inline_image(
        &mut self,
        op: &Op<'_>,
        img: InlineImage<'_>,
        resources: Option<&Dictionary>,
        ctm: &Matrix,
    ) {
        let kept = self.inline_bytes.saturating_add(img.data.len());
        if self.out.draws.len() >= MAX_DRAWS_PER_PAGE || kept > MAX_INLINE_BYTES_PER_PAGE {
            self.out.draws_dropped += 1;
            return;
        }
        self.inline_bytes = kept;
        let mut dict = Dictionary::new();
        let mut buf = Vec::new();
        let mut it = level(img.dict);
        while let Some((_, k)) = it.next() {
            let Some((at, v)) = it.next() else { break };
            let Some(key) = op
                .bytes(k, &mut buf)
                .filter(|_| matches!(k, Operand::Name(_)))
            else {
                continue;
            };
            let key = inline_key(key).to_vec();
            let value = operand_object(op, img.dict, at, v, 0);
            dict.set(key, value);
        }
        // A colour space may be named in the resources (only inline images may do that).
        if let Ok(Object::Name(n)) = dict.get(b"ColorSpace") {
            let device = matches!(
                n.as_slice(),
                b"G" | b"RGB" | b"CMYK" | b"I" | b"DeviceGray" | b"DeviceRGB" | b"DeviceCMYK"
            );
            let doc = self.doc;
            let named = (!device)
                .then(|| resources.and_then(|r| dict_get(doc, r, b"ColorSpace")))
                .flatten()
                .and_then(|o| as_dict(doc, o))
                .and_then(|cs| cs.get(n).ok())
                .cloned();
            if let Some(cs) = named {
                dict.set("ColorSpace", cs);
            }
        }
        self.out.draws.push(ImageDraw {
            source: ImageSource::Inline {
                dict,
                data: img.data.to_vec(),
            },
            ctm: *ctm,
        });
    }

    fn show(&mut self, gs: &GState, tm: &mut Matrix, bytes: &[u8]) -> Result<(), PdfError> {
        self.out.text_shows += 1;
        let Some(font) = gs.font.clone() else {
            return Ok(());
        };
        // Counted before decoding: a string of millions of codes is refused, not allocated.
        let codes = font.max_codes(bytes);
        if self.out.glyphs.len().saturating_add(codes) > self.limits.max_glyphs_per_page {
            return Err(PdfError::Limit(format!(
                "more than {} glyphs on a page",
                self.limits.max_glyphs_per_page
            )));
        }
        if self.doc_glyphs.total.saturating_add(codes) > self.limits.max_glyphs_per_document {
            return Err(PdfError::Limit(format!(
                "more than {} glyphs in the document",
                self.limits.max_glyphs_per_document
            )));
        }
        self.doc_glyphs.add(codes, &self.budget.glyphs);
        let fs = gs.fs;
        let th = gs.th;
        for g in font.decode(bytes) {
            let trm = mul(&[fs * th, 0.0, 0.0, fs, 0.0, gs.rise], &mul(tm, &gs.ctm));
            let em = font.em;
            // Glyph box in glyph (em) units.
            let (bx0, by0, bx1, by1) = if font.vertical {
                (-0.5 * g.width.max(0.5), -em, 0.5 * g.width.max(0.5), 0.0)
            } else {
                (0.0, -0.12 * em, g.width, 0.88 * em)
            };
            let corners = [
                apply(&trm, bx0, by0),
                apply(&trm, bx1, by0),
                apply(&trm, bx0, by1),
                apply(&trm, bx1, by1),
            ];
            let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
            for (x, y) in corners {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x);
                y1 = y1.max(y);
            }
            let (ux, uy) = (trm[2] * em, trm[3] * em);
            let size = (ux * ux + uy * uy).sqrt();
            let text = match g.text {
                Some(t) => t,
                None => {
                    self.out.undecodable += 1;
                    CompactString::const_new("\u{FFFD}")
                }
            };
            let space = text.chars().all(|c| c.is_whitespace() || c == '\0');
            if x0.is_finite()
                && y0.is_finite()
                && x1.is_finite()
                && y1.is_finite()
                && size.is_finite()
                && size > 0.0
            {
                if self.out.glyphs.len() >= self.limits.max_glyphs_per_page {
                    return Err(PdfError::Limit(format!(
                        "more than {} glyphs on a page",
                        self.limits.max_glyphs_per_page
                    )));
                }
                self.out.glyphs.push(TextGlyph {
                    text,
                    x0,
                    y0,
                    x1,
                    y1,
                    size,
                    space,
                });
            }
            // Advance.
            let spacing = gs.tc + if g.is_space { gs.tw } else { 0.0 };
            let t = if font.vertical {
                [1.0, 0.0, 0.0, 1.0, 0.0, -fs + spacing]
            } else {
                [1.0, 0.0, 0.0, 1.0, (g.width * fs + spacing) * th, 0.0]
            };
            let n = mul(&t, tm);
            if finite(&n) {
                *tm = n;
            }
        }
        Ok(())
    }
}

/// The full key for an inline image's abbreviated one.
fn inline_key(k: &[u8]) -> &[u8] {
    match k {
        b"BPC" => b"BitsPerComponent",
        b"CS" => b"ColorSpace",
        b"D" => b"Decode",
        b"DP" => b"DecodeParms",
        b"F" => b"Filter",
        b"H" => b"Height",
        b"IM" => b"ImageMask",
        b"I" => b"Interpolate",
        b"W" => b"Width",
        b"L" => b"Length",
        other => other,
    }
}

/// An operand of an inline image dictionary as a lopdf object (`at` is its index in `ops`).
fn operand_object(op: &Op<'_>, ops: &[Operand], at: usize, o: &Operand, depth: usize) -> Object {
    let mut buf = Vec::new();
    match *o {
        Operand::Int(v) => Object::Integer(v),
        Operand::Real(v) => Object::Real(v),
        Operand::Bool(b) => Object::Boolean(b),
        Operand::Null | Operand::Close => Object::Null,
        Operand::Name(_) => Object::Name(op.bytes(o, &mut buf).unwrap_or(&[]).to_vec()),
        Operand::Str(..) => Object::String(
            op.bytes(o, &mut buf).unwrap_or(&[]).to_vec(),
            lopdf::StringFormat::Literal,
        ),
        Operand::Open { dict, inner } => {
            let inside = ops
                .get(at + 1..(at + 1).saturating_add(inner as usize))
                .filter(|_| depth < 16)
                .unwrap_or(&[]);
            let base = at + 1;
            let items = level(inside).map(|(i, v)| (base + i, v));
            if dict {
                let mut d = Dictionary::new();
                let mut items = items;
                while let (Some((_, k)), Some((i, v))) = (items.next(), items.next()) {
                    if let (Operand::Name(_), Some(k)) = (k, op.bytes(k, &mut buf)) {
                        let k = k.to_vec();
                        d.set(k, operand_object(op, ops, i, v, depth + 1));
                    }
                }
                Object::Dictionary(d)
            } else {
                Object::Array(
                    items
                        .map(|(i, v)| operand_object(op, ops, i, v, depth + 1))
                        .collect(),
                )
            }
        }
    }
}

/// Whether a colour operand list is (near) white: gray/RGB all ≥ 0.95, CMYK all ≤ 0.05.
fn is_white(o: &Op<'_>, _cmyk_op: bool) -> bool {
    let mut v = [0.0f32; 4];
    let mut n = 0usize;
    for x in o.top() {
        if let Operand::Int(_) | Operand::Real(_) = x {
            if let Some(slot) = v.get_mut(n) {
                *slot = x.num().unwrap_or(0.0);
            }
            n += 1;
        }
    }
    match n {
        1 => v[0] >= 0.95,
        3 => v[..3].iter().all(|c| *c >= 0.95),
        4 => v.iter().all(|c| *c <= 0.05),
        _ => false,
    }
}

/// A path under construction (buffers kept across paths, so painting allocates nothing).
#[derive(Default)]
struct Path {
    pts: Vec<(f32, f32)>,
    /// Where each subpath starts in `pts`, and whether it was closed.
    subs: Vec<(usize, bool)>,
}

impl Path {
    fn subpaths(&self) -> impl Iterator<Item = (&[(f32, f32)], bool)> + '_ {
        self.subs.iter().enumerate().map(|(i, &(start, closed))| {
            let end = self.subs.get(i + 1).map_or(self.pts.len(), |s| s.0);
            (self.pts.get(start..end).unwrap_or(&[]), closed)
        })
    }
}

const AXIS_TOL: f32 = 0.8;

fn stroke_segments(pts: &[(f32, f32)], closed: bool, out: &mut Vec<Seg>) {
    let n = pts.len();
    if n < 2 {
        return;
    }
    let count = if closed { n } else { n - 1 };
    for i in 0..count {
        let (p, q) = (pts[i], pts[(i + 1) % n]);
        push_line(p, q, out);
    }
}

fn push_line(p: (f32, f32), q: (f32, f32), out: &mut Vec<Seg>) {
    let (dx, dy) = ((q.0 - p.0).abs(), (q.1 - p.1).abs());
    if dy <= AXIS_TOL && dx > AXIS_TOL {
        out.push(Seg {
            horiz: true,
            pos: (p.1 + q.1) * 0.5,
            a: p.0.min(q.0),
            b: p.0.max(q.0),
        });
    } else if dx <= AXIS_TOL && dy > AXIS_TOL {
        out.push(Seg {
            horiz: false,
            pos: (p.0 + q.0) * 0.5,
            a: p.1.min(q.1),
            b: p.1.max(q.1),
        });
    }
}

fn fill_segment(pts: &[(f32, f32)], out: &mut Vec<Seg>) {
    if pts.len() < 2 {
        return;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in pts {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let (w, h) = (x1 - x0, y1 - y0);
    if !(w.is_finite() && h.is_finite()) {
        return;
    }
    if h <= 2.5 && w > 2.0 && w > 2.0 * h {
        out.push(Seg {
            horiz: true,
            pos: (y0 + y1) * 0.5,
            a: x0,
            b: x1,
        });
    } else if w <= 2.5 && h > 2.0 && h > 2.0 * w {
        out.push(Seg {
            horiz: false,
            pos: (x0 + x1) * 0.5,
            a: y0,
            b: y1,
        });
    }
}
