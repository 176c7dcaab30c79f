//! Fonts: character codes → Unicode and glyph advances.

use compact_str::{CompactString, ToCompactString};
use foldhash::{HashMap, HashMapExt};
use std::sync::OnceLock;

use lopdf::{Dictionary, Document, Object};

use super::cmap::{split_codes, CMap, CodeRange};
use super::objects::{deref, dict_get, get_name, num, Streams};

/// How a Type0 font's codes map to Unicode when there is no ToUnicode entry.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Predef {
    Identity,
    Ucs2,
    Utf16,
    Gbk,
    Gb18030,
    Big5,
    /// Embedded CMap stream, or an unknown predefined name.
    Other,
}

// One per font, not per glyph: the size difference between variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Kind {
    Simple {
        enc: Vec<Option<CompactString>>,
        widths: Vec<Option<f32>>,
        default_width: f32,
    },
    Type0 {
        predef: Predef,
        codespace: Vec<CodeRange>,
        enc_cmap: Option<CMap>,
        widths: HashMap<u32, f32>,
        width_ranges: Vec<(u32, u32, f32)>,
        dw: f32,
        gid_uni: Option<HashMap<u16, CompactString>>,
        cid_to_gid: Option<Vec<u8>>,
        /// CIDs 1..=95 are ASCII 0x20..0x7E in all Adobe character collections.
        adobe_collection: bool,
    },
}

/// A loaded font.
#[derive(Debug)]
pub struct Font {
    kind: Kind,
    to_unicode: Option<CMap>,
    pub vertical: bool,
    /// Height of the em square in text space per unit font size (1.0 except odd Type 3 fonts).
    pub em: f32,
}

/// One decoded glyph: Unicode (None if undecodable), advance per unit font size,
/// whether word spacing applies (single-byte code 32).
#[derive(Debug, Clone)]
pub struct Glyph {
    pub text: Option<CompactString>,
    pub width: f32,
    pub is_space: bool,
}

impl Font {
    /// A font used when a name cannot be resolved: one byte per code, Latin-1.
    pub fn fallback() -> Font {
        Font {
            kind: Kind::Simple {
                enc: standard_encoding(),
                widths: vec![None; 256],
                default_width: 0.5,
            },
            to_unicode: None,
            vertical: false,
            em: 1.0,
        }
    }

    pub fn load(doc: &Document, dict: &Dictionary, streams: &Streams) -> Font {
        let subtype = get_name(doc, dict, b"Subtype").unwrap_or_default();
        let to_unicode = dict_get(doc, dict, b"ToUnicode")
            .and_then(|o| streams.data(o))
            .map(|d| CMap::parse(&d))
            .filter(|c| !c.is_empty_unicode());
        if subtype == b"Type0" {
            return Self::load_type0(doc, dict, to_unicode, streams);
        }
        let base = get_name(doc, dict, b"BaseFont").unwrap_or_default();
        let is_type3 = subtype == b"Type3";
        // Width scale: 1/1000 or Type 3 FontMatrix.
        let mut wscale = 0.001f32;
        let mut em = 1.0f32;
        if is_type3 {
            if let Some(Object::Array(fm)) = dict_get(doc, dict, b"FontMatrix") {
                let a = fm.first().and_then(|o| num(doc, o)).unwrap_or(0.001);
                let d = fm.get(3).and_then(|o| num(doc, o)).unwrap_or(0.001);
                if a.is_finite() && a != 0.0 {
                    wscale = a.abs();
                }
                em = type3_em(doc, dict, d);
            }
        }
        // Encoding.
        let mut enc = standard_encoding();
        let symbolic_builtin = is_type3;
        match dict_get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => enc = base_encoding(n).unwrap_or(enc),
            Some(Object::Dictionary(ed)) => {
                if let Some(n) = get_name(doc, ed, b"BaseEncoding") {
                    enc = base_encoding(&n).unwrap_or(enc);
                } else if symbolic_builtin {
                    enc = vec![None; 256];
                }
                if let Some(Object::Array(diffs)) = dict_get(doc, ed, b"Differences") {
                    let mut code: i64 = 0;
                    // the name before and its text (a browser's subsets repeat `/g0` for
                    // every code they leave unused)
                    let mut last: Option<(&[u8], Option<CompactString>)> = None;
                    for item in diffs {
                        match deref(doc, item) {
                            Object::Integer(i) => code = *i,
                            Object::Real(r) => code = *r as i64,
                            Object::Name(nm) => {
                                if (0..256).contains(&code) {
                                    let u = match &last {
                                        Some((n, u)) if *n == nm.as_slice() => u.clone(),
                                        _ => {
                                            let name = String::from_utf8_lossy(nm);
                                            let u = glyph_name_to_unicode(&name)
                                                .or_else(|| code_name_to_unicode(&name));
                                            last = Some((nm, u.clone()));
                                            u
                                        }
                                    };
                                    if let Some(slot) = enc.get_mut(code as usize) {
                                        *slot = u;
                                    }
                                }
                                code = code.saturating_add(1);
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {
                let b = String::from_utf8_lossy(&base);
                if b.contains("Symbol") || b.contains("Dingbats") {
                    enc = vec![None; 256];
                    for c in 0x20u32..0x7f {
                        enc[c as usize] = char::from_u32(c).map(|c| c.to_compact_string());
                    }
                }
            }
        }
        // Widths.
        let mut widths = vec![None; 256];
        let first = dict_get(doc, dict, b"FirstChar")
            .and_then(|o| num(doc, o))
            .unwrap_or(0.0);
        let first = if first.is_finite() && (0.0..256.0).contains(&first) {
            first as usize
        } else {
            0
        };
        let mut have_widths = false;
        if let Some(Object::Array(ws)) = dict_get(doc, dict, b"Widths") {
            for (i, w) in ws.iter().enumerate() {
                let code = first.saturating_add(i);
                if code >= 256 {
                    break;
                }
                if let Some(w) = num(doc, w) {
                    if w.is_finite() {
                        widths[code] = Some(w * wscale);
                        have_widths = true;
                    }
                }
            }
        }
        let mut default_width = 0.5f32;
        if let Some(fd) = dict_get(doc, dict, b"FontDescriptor").and_then(|o| o.as_dict().ok()) {
            if let Some(mw) = dict_get(doc, fd, b"MissingWidth").and_then(|o| num(doc, o)) {
                if mw.is_finite() && mw > 0.0 {
                    default_width = mw * wscale;
                }
            }
        }
        if !have_widths {
            let b = String::from_utf8_lossy(&base).to_ascii_lowercase();
            let table: Option<&[u16; 95]> = if b.contains("courier") {
                None
            } else if b.contains("times") {
                Some(&TIMES_WIDTHS)
            } else {
                Some(&HELVETICA_WIDTHS)
            };
            for c in 0x20usize..0x7f {
                widths[c] = Some(match table {
                    Some(t) => f32::from(t[c - 0x20]) / 1000.0,
                    None => 0.6,
                });
            }
        }
        Font {
            kind: Kind::Simple {
                enc,
                widths,
                default_width,
            },
            to_unicode,
            vertical: false,
            em,
        }
    }

    fn load_type0(
        doc: &Document,
        dict: &Dictionary,
        to_unicode: Option<CMap>,
        streams: &Streams,
    ) -> Font {
        let mut predef = Predef::Other;
        let mut codespace: Vec<CodeRange> = Vec::new();
        let mut enc_cmap = None;
        let mut vertical = false;
        match dict_get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                let name = String::from_utf8_lossy(n).to_string();
                vertical = name.ends_with("-V");
                let (p, cs) = predefined_cmap(&name);
                predef = p;
                codespace = cs;
            }
            Some(o @ Object::Stream(s)) => {
                if let Some(d) = streams.data(o) {
                    let cm = CMap::parse(&d);
                    vertical = cm.wmode == 1
                        || s.dict
                            .get(b"WMode")
                            .ok()
                            .and_then(|o| num(doc, o))
                            .map(|v| v == 1.0)
                            .unwrap_or(false);
                    codespace = cm.codespace.clone();
                    // An embedded CMap naming a predefined one (UseCMap) is treated by its name.
                    if let Ok(Object::Name(u)) = s.dict.get(b"UseCMap") {
                        let (p, cs) = predefined_cmap(&String::from_utf8_lossy(u));
                        predef = p;
                        if codespace.is_empty() {
                            codespace = cs;
                        }
                    }
                    enc_cmap = Some(cm);
                }
            }
            _ => {
                predef = Predef::Identity;
            }
        }
        if codespace.is_empty() {
            codespace = vec![CodeRange::new(&[0, 0], &[0xff, 0xff])];
        }
        let mut widths = HashMap::new();
        let mut width_ranges = Vec::new();
        let mut dw = 1.0f32;
        let mut gid_uni = None;
        let mut cid_to_gid = None;
        let mut adobe_collection = false;
        let desc = match dict_get(doc, dict, b"DescendantFonts") {
            Some(Object::Array(a)) => a
                .first()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok()),
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        if let Some(cf) = desc {
            if let Some(v) = dict_get(doc, cf, b"DW").and_then(|o| num(doc, o)) {
                if v.is_finite() {
                    dw = v / 1000.0;
                }
            }
            if let Some(Object::Array(w)) = dict_get(doc, cf, b"W") {
                parse_w(doc, w, &mut widths, &mut width_ranges);
            }
            if let Some(si) = dict_get(doc, cf, b"CIDSystemInfo").and_then(|o| o.as_dict().ok()) {
                let reg = dict_get(doc, si, b"Registry")
                    .and_then(|o| o.as_str().ok())
                    .unwrap_or(b"");
                let ord = dict_get(doc, si, b"Ordering")
                    .and_then(|o| o.as_str().ok())
                    .unwrap_or(b"");
                adobe_collection =
                    reg == b"Adobe" && matches!(ord, b"GB1" | b"CNS1" | b"Japan1" | b"Korea1");
            }
            let need_ttf =
                to_unicode.is_none() && matches!(predef, Predef::Identity | Predef::Other);
            if need_ttf {
                if let Some(fd) =
                    dict_get(doc, cf, b"FontDescriptor").and_then(|o| o.as_dict().ok())
                {
                    if let Some(data) =
                        dict_get(doc, fd, b"FontFile2").and_then(|o| streams.data(o))
                    {
                        gid_uni = truetype_gid_to_unicode(&data);
                    }
                }
                if let Some(o @ Object::Stream(_)) = dict_get(doc, cf, b"CIDToGIDMap") {
                    cid_to_gid = streams.data(o);
                }
            }
        }
        Font {
            kind: Kind::Type0 {
                predef,
                codespace,
                enc_cmap,
                widths,
                width_ranges,
                dw,
                gid_uni,
                cid_to_gid,
                adobe_collection,
            },
            to_unicode,
            vertical,
            em: 1.0,
        }
    }

    /// The most codes (so glyphs) `bytes` can decode to: cheap, no allocation.
    pub fn max_codes(&self, bytes: &[u8]) -> usize {
        match &self.kind {
            Kind::Simple { .. } => bytes.len(),
            Kind::Type0 { codespace, .. } => {
                let min = codespace
                    .iter()
                    .map(|r| r.lo.len())
                    .filter(|&l| l > 0)
                    .min()
                    .unwrap_or(2)
                    .clamp(1, 4);
                // A code is never shorter than the shortest range (a short tail is one code).
                bytes.len().div_ceil(min)
            }
        }
    }

    /// Decodes a shown string into glyphs.
    pub fn decode(&self, bytes: &[u8]) -> Vec<Glyph> {
        match &self.kind {
            Kind::Simple {
                enc,
                widths,
                default_width,
            } => bytes
                .iter()
                .map(|&b| {
                    let text = self
                        .to_unicode
                        .as_ref()
                        .and_then(|t| t.lookup(u32::from(b), 1))
                        .or_else(|| enc.get(b as usize).cloned().flatten());
                    let width = widths
                        .get(b as usize)
                        .copied()
                        .flatten()
                        .unwrap_or(*default_width);
                    Glyph {
                        text,
                        width,
                        is_space: b == 32,
                    }
                })
                .collect(),
            Kind::Type0 {
                predef,
                codespace,
                enc_cmap,
                widths,
                width_ranges,
                dw,
                gid_uni,
                cid_to_gid,
                adobe_collection,
            } => {
                let codes = split_codes(bytes, codespace, 2);
                let mut pos = 0usize;
                let mut out = Vec::with_capacity(codes.len());
                for (code, len) in codes {
                    let raw = bytes.get(pos..pos + len).unwrap_or(&[]);
                    pos += len;
                    let mut text = self.to_unicode.as_ref().and_then(|t| t.lookup(code, len));
                    // CID: known for Identity and embedded CMaps.
                    let cid: Option<u32> = match predef {
                        Predef::Identity => Some(code),
                        _ => enc_cmap.as_ref().and_then(|c| c.cid(code, len)),
                    };
                    if text.is_none() {
                        text = match predef {
                            Predef::Ucs2 => char::from_u32(code)
                                .filter(|_| len == 2 || len == 1)
                                .map(|c| c.to_compact_string()),
                            Predef::Utf16 => {
                                if len == 4 {
                                    let u = [(code >> 16) as u16, (code & 0xffff) as u16];
                                    CompactString::from_utf16(u).ok()
                                } else {
                                    char::from_u32(code).map(|c| c.to_compact_string())
                                }
                            }
                            Predef::Gbk => decode_mb(encoding_rs::GBK, raw),
                            Predef::Gb18030 => decode_mb(encoding_rs::GB18030, raw),
                            Predef::Big5 => decode_mb(encoding_rs::BIG5, raw),
                            Predef::Identity | Predef::Other => {
                                let gid = match (cid, cid_to_gid) {
                                    (Some(c), Some(map)) => {
                                        let i = (c as usize).saturating_mul(2);
                                        match (map.get(i), map.get(i + 1)) {
                                            (Some(a), Some(b)) => {
                                                Some(u16::from(*a) << 8 | u16::from(*b))
                                            }
                                            _ => None,
                                        }
                                    }
                                    (Some(c), None) => u16::try_from(c).ok(),
                                    _ => None,
                                };
                                match (gid, gid_uni) {
                                    (Some(g), Some(m)) => m.get(&g).cloned(),
                                    _ => None,
                                }
                            }
                        };
                    }
                    // Width by CID; without a CID, CJK gets DW and ASCII 500 (or the Adobe ASCII CID).
                    let ascii = text
                        .as_deref()
                        .and_then(|t| t.chars().next())
                        .filter(|c| (' '..='~').contains(c));
                    let cid = cid.or_else(|| {
                        if *adobe_collection {
                            ascii.map(|c| c as u32 - 0x1f)
                        } else {
                            None
                        }
                    });
                    let width = match cid {
                        Some(c) => widths
                            .get(&c)
                            .copied()
                            .or_else(|| {
                                width_ranges
                                    .iter()
                                    .find(|(lo, hi, _)| c >= *lo && c <= *hi)
                                    .map(|r| r.2)
                            })
                            .unwrap_or(
                                if ascii.is_some()
                                    && !matches!(predef, Predef::Identity | Predef::Other)
                                {
                                    0.5
                                } else {
                                    *dw
                                },
                            ),
                        None => {
                            if ascii.is_some() {
                                0.5
                            } else {
                                *dw
                            }
                        }
                    };
                    out.push(Glyph {
                        text,
                        width,
                        is_space: len == 1 && code == 32,
                    });
                }
                out
            }
        }
    }
}

fn decode_mb(enc: &'static encoding_rs::Encoding, raw: &[u8]) -> Option<CompactString> {
    if raw.len() == 1 && raw[0] < 0x80 {
        return Some(char::from(raw[0]).to_compact_string());
    }
    enc.decode_without_bom_handling_and_without_replacement(raw)
        .map(CompactString::from)
        .filter(|s| !s.is_empty())
}

fn parse_w(
    doc: &Document,
    w: &[Object],
    map: &mut HashMap<u32, f32>,
    ranges: &mut Vec<(u32, u32, f32)>,
) {
    let mut i = 0usize;
    let mut count = 0usize;
    while i < w.len() && count < 200_000 {
        let Some(c1) = num(doc, &w[i]).filter(|v| v.is_finite() && *v >= 0.0) else {
            i += 1;
            continue;
        };
        let c1 = c1 as u32;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate() {
                    if let Some(v) = num(doc, o) {
                        map.insert(c1.saturating_add(k as u32), v / 1000.0);
                        count += 1;
                    }
                }
                i += 2;
            }
            Some(o2) => {
                let c2 = num(doc, o2)
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .map(|v| v as u32);
                let wv = w.get(i + 2).and_then(|o| num(doc, o));
                if let (Some(c2), Some(wv)) = (c2, wv) {
                    if c2 >= c1 {
                        ranges.push((c1, c2, wv / 1000.0));
                        count += 1;
                    }
                }
                i += 3;
            }
            None => break,
        }
    }
}

fn predefined_cmap(name: &str) -> (Predef, Vec<CodeRange>) {
    let two = || vec![CodeRange::new(&[0, 0], &[0xff, 0xff])];
    let one_two = |lo2: [u8; 2], hi2: [u8; 2]| {
        vec![CodeRange::new(&[0], &[0x80]), CodeRange::new(&lo2, &hi2)]
    };
    if name.starts_with("Identity") {
        (Predef::Identity, two())
    } else if name.contains("UCS2") {
        (Predef::Ucs2, two())
    } else if name.contains("UTF16") {
        (
            Predef::Utf16,
            vec![
                CodeRange::new(&[0, 0], &[0xd7, 0xff]),
                CodeRange::new(&[0xe0, 0], &[0xff, 0xff]),
                CodeRange::new(&[0xd8, 0, 0xdc, 0], &[0xdb, 0xff, 0xdf, 0xff]),
            ],
        )
    } else if name.starts_with("GBK2K") || name.starts_with("GB18030") {
        let mut v = one_two([0x81, 0x40], [0xfe, 0xfe]);
        v.push(CodeRange::new(
            &[0x81, 0x30, 0x81, 0x30],
            &[0xfe, 0x39, 0xfe, 0x39],
        ));
        (Predef::Gb18030, v)
    } else if name.starts_with("GBK") || name.starts_with("GBKp") {
        (Predef::Gbk, one_two([0x81, 0x40], [0xfe, 0xfe]))
    } else if name.starts_with("GB-EUC")
        || name.starts_with("GBpc-EUC")
        || name.starts_with("GBT-EUC")
    {
        (Predef::Gbk, one_two([0xa1, 0xa1], [0xfe, 0xfe]))
    } else if name.starts_with("ETen-B5")
        || name.starts_with("B5pc")
        || name.starts_with("HKscs-B5")
        || name.starts_with("ETenms-B5")
    {
        (Predef::Big5, one_two([0x81, 0x40], [0xfe, 0xfe]))
    } else {
        (Predef::Other, two())
    }
}

/// Inverts a TrueType `cmap` table (formats 4 and 12) into glyph id → Unicode.
pub fn truetype_gid_to_unicode(data: &[u8]) -> Option<HashMap<u16, CompactString>> {
    let u16_at =
        |o: usize| -> Option<u16> { Some(u16::from_be_bytes([*data.get(o)?, *data.get(o + 1)?])) };
    let u32_at = |o: usize| -> Option<u32> {
        Some(u32::from_be_bytes([
            *data.get(o)?,
            *data.get(o + 1)?,
            *data.get(o + 2)?,
            *data.get(o + 3)?,
        ]))
    };
    let num_tables = u16_at(4)? as usize;
    let mut cmap_off = None;
    for i in 0..num_tables.min(512) {
        let rec = 12 + 16 * i;
        if data.get(rec..rec + 4)? == b"cmap" {
            cmap_off = Some(u32_at(rec + 8)? as usize);
            break;
        }
    }
    let base = cmap_off?;
    let n = u16_at(base + 2)? as usize;
    // Pick the best subtable.
    let mut best: Option<(u8, usize)> = None;
    for i in 0..n.min(256) {
        let r = base + 4 + 8 * i;
        let pid = u16_at(r)?;
        let eid = u16_at(r + 2)?;
        let off = base.checked_add(u32_at(r + 4)? as usize)?;
        let fmt = u16_at(off).unwrap_or(0);
        let prio = match (pid, eid, fmt) {
            (3, 10, 12) => 5,
            (0, _, 12) => 4,
            (3, 1, 4) => 3,
            (0, _, 4) => 2,
            (3, 0, 4) => 1,
            _ => 0,
        };
        if prio > 0 && best.map(|b| prio > b.0).unwrap_or(true) {
            best = Some((prio, off));
        }
    }
    let (prio, off) = best?;
    let symbol = prio == 1;
    let mut map: HashMap<u16, CompactString> = HashMap::new();
    let mut add = |code: u32, gid: u32| {
        if gid == 0 || gid > 0xffff {
            return;
        }
        let code = if symbol && (0xf000..=0xf0ff).contains(&code) {
            code - 0xf000
        } else {
            code
        };
        if let Some(c) = char::from_u32(code) {
            map.entry(gid as u16)
                .or_insert_with(|| c.to_compact_string());
        }
    };
    let fmt = u16_at(off)?;
    if fmt == 4 {
        let segx2 = u16_at(off + 6)? as usize;
        let seg = segx2 / 2;
        let ends = off + 14;
        let starts = ends + segx2 + 2;
        let deltas = starts + segx2;
        let ro = deltas + segx2;
        for s in 0..seg {
            let end = u16_at(ends + 2 * s)? as u32;
            let start = u16_at(starts + 2 * s)? as u32;
            let delta = u16_at(deltas + 2 * s)?;
            let rof = u16_at(ro + 2 * s)? as usize;
            if start > end {
                continue;
            }
            for c in start..=end {
                if c == 0xffff {
                    break;
                }
                let gid = if rof == 0 {
                    (c as u16).wrapping_add(delta) as u32
                } else {
                    let addr = ro + 2 * s + rof + 2 * (c - start) as usize;
                    match u16_at(addr) {
                        Some(0) | None => 0,
                        Some(g) => g.wrapping_add(delta) as u32,
                    }
                };
                add(c, gid);
            }
        }
    } else if fmt == 12 {
        let ngroups = u32_at(off + 12)? as usize;
        let mut total = 0usize;
        for g in 0..ngroups.min(100_000) {
            let r = off + 16 + 12 * g;
            let (s, e, sg) = (u32_at(r)?, u32_at(r + 4)?, u32_at(r + 8)?);
            if e < s {
                continue;
            }
            for c in s..=e {
                total += 1;
                if total > 300_000 {
                    break;
                }
                add(c, sg.saturating_add(c - s));
            }
        }
    }
    if map.is_empty() {
        None
    } else {
        Some(map)
    }
}

fn standard_encoding() -> Vec<Option<CompactString>> {
    let mut v = vec![None; 256];
    for c in 0x20u32..0x7f {
        v[c as usize] = char::from_u32(c).map(|c| c.to_compact_string());
    }
    v[0x27] = Some("\u{2019}".into());
    v[0x60] = Some("\u{2018}".into());
    v
}

const MAC_HIGH: &str = "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u{a0}ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\u{f8ff}ÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ";

fn base_encoding(name: &[u8]) -> Option<Vec<Option<CompactString>>> {
    match name {
        b"WinAnsiEncoding" => {
            let mut v = vec![None; 256];
            for b in 0x20u16..0x100 {
                let byte = [b as u8];
                let (s, _, bad) = encoding_rs::WINDOWS_1252.decode(&byte);
                if !bad && b != 0x7f {
                    v[b as usize] = Some(CompactString::from(s));
                }
            }
            Some(v)
        }
        b"MacRomanEncoding" => {
            let mut v = vec![None; 256];
            for c in 0x20u32..0x7f {
                v[c as usize] = char::from_u32(c).map(|c| c.to_compact_string());
            }
            for (i, ch) in MAC_HIGH.chars().enumerate() {
                if let Some(slot) = v.get_mut(0x80 + i) {
                    *slot = Some(ch.to_compact_string());
                }
            }
            Some(v)
        }
        b"StandardEncoding" | b"PDFDocEncoding" | b"MacExpertEncoding" => Some(standard_encoding()),
        _ => None,
    }
}

/// Names such as `G41` (hex code) or `C65` (decimal code) that some producers use for plain codes.
fn code_name_to_unicode(name: &str) -> Option<CompactString> {
    let b = name.as_bytes();
    let code = if b.len() == 3
        && (b[0] == b'G' || b[0] == b'g')
        && b[1].is_ascii_hexdigit()
        && b[2].is_ascii_hexdigit()
    {
        u32::from_str_radix(&name[1..], 16).ok()?
    } else if (b.len() == 3 || b.len() == 4)
        && (b[0] == b'C' || b[0] == b'c')
        && b[1..].iter().all(u8::is_ascii_digit)
    {
        name[1..].parse::<u32>().ok()?
    } else {
        return None;
    };
    if (0x20..0x7f).contains(&code) {
        char::from_u32(code).map(|c| c.to_compact_string())
    } else {
        None
    }
}

const GLYPH_NAMES: &[(&str, char)] = &[
    ("space", ' '),
    ("exclam", '!'),
    ("quotedbl", '"'),
    ("numbersign", '#'),
    ("dollar", '$'),
    ("percent", '%'),
    ("ampersand", '&'),
    ("quotesingle", '\''),
    ("quoteright", '\u{2019}'),
    ("parenleft", '('),
    ("parenright", ')'),
    ("asterisk", '*'),
    ("plus", '+'),
    ("comma", ','),
    ("hyphen", '-'),
    ("period", '.'),
    ("slash", '/'),
    ("zero", '0'),
    ("one", '1'),
    ("two", '2'),
    ("three", '3'),
    ("four", '4'),
    ("five", '5'),
    ("six", '6'),
    ("seven", '7'),
    ("eight", '8'),
    ("nine", '9'),
    ("colon", ':'),
    ("semicolon", ';'),
    ("less", '<'),
    ("equal", '='),
    ("greater", '>'),
    ("question", '?'),
    ("at", '@'),
    ("bracketleft", '['),
    ("backslash", '\\'),
    ("bracketright", ']'),
    ("asciicircum", '^'),
    ("underscore", '_'),
    ("grave", '`'),
    ("quoteleft", '\u{2018}'),
    ("braceleft", '{'),
    ("bar", '|'),
    ("braceright", '}'),
    ("asciitilde", '~'),
    ("bullet", '•'),
    ("endash", '–'),
    ("emdash", '—'),
    ("quotedblleft", '“'),
    ("quotedblright", '”'),
    ("quotesinglbase", '‚'),
    ("quotedblbase", '„'),
    ("ellipsis", '…'),
    ("periodcentered", '·'),
    ("degree", '°'),
    ("multiply", '×'),
    ("divide", '÷'),
    ("plusminus", '±'),
    ("section", '§'),
    ("paragraph", '¶'),
    ("copyright", '©'),
    ("registered", '®'),
    ("trademark", '™'),
    ("Euro", '€'),
    ("sterling", '£'),
    ("yen", '¥'),
    ("cent", '¢'),
    ("dagger", '†'),
    ("daggerdbl", '‡'),
    ("perthousand", '‰'),
    ("fi", 'ﬁ'),
    ("fl", 'ﬂ'),
    ("minus", '−'),
    ("nbspace", '\u{a0}'),
    ("nonbreakingspace", '\u{a0}'),
    ("exclamdown", '¡'),
    ("questiondown", '¿'),
    ("guillemotleft", '«'),
    ("guillemotright", '»'),
    ("guilsinglleft", '‹'),
    ("guilsinglright", '›'),
    ("florin", 'ƒ'),
    ("ordfeminine", 'ª'),
    ("ordmasculine", 'º'),
    ("mu", 'µ'),
    ("onehalf", '½'),
    ("onequarter", '¼'),
    ("threequarters", '¾'),
    ("twosuperior", '²'),
    ("threesuperior", '³'),
    ("onesuperior", '¹'),
    ("logicalnot", '¬'),
    ("brokenbar", '¦'),
    ("dieresis", '¨'),
    ("acute", '´'),
    ("cedilla", '¸'),
    ("macron", '¯'),
    ("circumflex", 'ˆ'),
    ("tilde", '˜'),
    ("caron", 'ˇ'),
    ("breve", '˘'),
    ("dotaccent", '˙'),
    ("ring", '˚'),
    ("hungarumlaut", '˝'),
    ("ogonek", '˛'),
    ("dotlessi", 'ı'),
    ("softhyphen", '\u{ad}'),
    ("sfthyphen", '\u{ad}'),
    ("middot", '·'),
    ("figuredash", '‒'),
    ("uni3000", '\u{3000}'),
];

/// [`GLYPH_NAMES`] by name (the first entry of a name), built once: a font's /Differences
/// look up every glyph, most of them (`g12`, `cid345`) in vain.
fn glyph_index() -> &'static HashMap<&'static str, char> {
    static INDEX: OnceLock<HashMap<&'static str, char>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = HashMap::with_capacity(GLYPH_NAMES.len());
        for &(n, c) in GLYPH_NAMES {
            m.entry(n).or_insert(c);
        }
        m
    })
}

/// Unicode for a glyph name: standard names, `uniXXXX…`, `uXXXX[XX]`, single letters/digits.
pub fn glyph_name_to_unicode(name: &str) -> Option<CompactString> {
    let name = name.split('.').next().unwrap_or(name);
    if name.is_empty() {
        return None;
    }
    if name.len() == 1 {
        let c = name.chars().next()?;
        if c.is_ascii_alphanumeric() {
            return Some(c.to_compact_string());
        }
    }
    if let Some(c) = glyph_index().get(name) {
        return Some(c.to_compact_string());
    }
    if let Some(hex) = name.strip_prefix("uni") {
        if !hex.is_empty() && hex.len() % 4 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let units: Vec<u16> = hex
                .as_bytes()
                .chunks(4)
                .filter_map(|c| {
                    std::str::from_utf8(c)
                        .ok()
                        .and_then(|s| u16::from_str_radix(s, 16).ok())
                })
                .collect();
            return CompactString::from_utf16(&units).ok();
        }
    }
    if let Some(hex) = name.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map(|c| c.to_compact_string());
        }
    }
    None
}

/// A Type 3 font's em height in text space per unit font size.
///
/// Glyph space has no fixed units in Type 3: cairo draws in a 1-unit em with `FontMatrix`
/// `d` = -1, Skia and TeX in 1000 units with `d` = 0.001. Either way the font size set by `Tf`
/// is meant to be the em, so the height is 1 unless the `FontBBox` mapped through `d` says the
/// glyphs are far from that size (a producer that puts the size in the matrix). Heights within a
/// factor of two stay 1: Skia's boxes are tight around each subset's glyphs and differ by a few
/// percent from font to font, and glyphs of one line must keep one height.
fn type3_em(doc: &Document, dict: &Dictionary, d: f32) -> f32 {
    let height = match dict_get(doc, dict, b"FontBBox") {
        Some(Object::Array(b)) if b.len() == 4 => {
            let y0 = num(doc, &b[1]).unwrap_or(0.0);
            let y1 = num(doc, &b[3]).unwrap_or(0.0);
            (y1 - y0).abs() * d.abs()
        }
        _ => 0.0,
    };
    if height.is_finite() && !(0.5..=2.0).contains(&height) && height > 0.0 {
        height.clamp(0.05, 20.0)
    } else {
        1.0
    }
}

const HELVETICA_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

const TIMES_WIDTHS: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
    556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
    722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
    278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(glyph_name_to_unicode("uni4E2D").as_deref(), Some("中"));
        assert_eq!(glyph_name_to_unicode("zero").as_deref(), Some("0"));
        assert_eq!(
            glyph_name_to_unicode("u20000").as_deref(),
            Some("\u{20000}")
        );
        assert_eq!(code_name_to_unicode("G41").as_deref(), Some("A"));
        assert_eq!(MAC_HIGH.chars().count(), 128);
    }
}
