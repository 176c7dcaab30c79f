//! Parser for CMap streams (ToUnicode and embedded encoding CMaps).

use compact_str::{CompactString, ToCompactString};
use foldhash::HashMap;
use smallvec::SmallVec;

/// A codespace range: per-byte bounds of `n` bytes.
#[derive(Debug, Clone)]
pub struct CodeRange {
    pub lo: Vec<u8>,
    pub hi: Vec<u8>,
}

impl CodeRange {
    pub fn new(lo: &[u8], hi: &[u8]) -> Self {
        CodeRange {
            lo: lo.to_vec(),
            hi: hi.to_vec(),
        }
    }
    fn matches(&self, bytes: &[u8]) -> bool {
        bytes.len() == self.lo.len()
            && bytes.len() == self.hi.len()
            && bytes
                .iter()
                .zip(self.lo.iter().zip(self.hi.iter()))
                .all(|(b, (l, h))| b >= l && b <= h)
    }
}

/// Splits a byte string into character codes following codespace ranges.
/// Returns (code, byte length). With no ranges, `default_len` bytes are used.
pub fn split_codes(bytes: &[u8], ranges: &[CodeRange], default_len: usize) -> Vec<(u32, usize)> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0usize;
    let default_len = default_len.clamp(1, 4);
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let mut len = 0usize;
        if !ranges.is_empty() {
            for n in 1..=4usize {
                if n > rest.len() {
                    break;
                }
                let cand = &rest[..n];
                if ranges.iter().any(|r| r.matches(cand)) {
                    len = n;
                    break;
                }
            }
            if len == 0 {
                // Not in any range: consume the shortest range length.
                len = ranges
                    .iter()
                    .map(|r| r.lo.len())
                    .filter(|&l| l > 0)
                    .min()
                    .unwrap_or(default_len);
            }
        } else {
            len = default_len;
        }
        let len = len.clamp(1, rest.len().max(1)).min(rest.len());
        let mut code: u32 = 0;
        for b in &rest[..len] {
            code = (code << 8) | u32::from(*b);
        }
        out.push((code, len));
        pos += len;
    }
    out
}

#[derive(Debug, Clone)]
enum BfDst {
    /// UTF-16 code units of the first destination; incremented over the range.
    Start(Vec<u16>),
    List(Vec<CompactString>),
}

/// A parsed CMap: codespace, code→Unicode (bf*) and code→CID (cid*) mappings.
#[derive(Debug, Clone, Default)]
pub struct CMap {
    pub codespace: Vec<CodeRange>,
    bf: HashMap<(u8, u32), CompactString>,
    bf_ranges: Vec<(u8, u32, u32, BfDst)>,
    cid: HashMap<(u8, u32), u32>,
    cid_ranges: Vec<(u8, u32, u32, u32)>,
    pub wmode: u8,
}

/// A string's bytes: codes and destinations are a few bytes, held inline (a ToUnicode CMap is
/// thousands of them, parsed for every font).
type Bytes = SmallVec<[u8; 16]>;

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Hex(Bytes),
    Str(Bytes),
    Num(i64),
    Name(&'a [u8]),
    Kw(&'a [u8]),
    ArrOpen,
    ArrClose,
    Other,
}

fn tokenize(data: &[u8]) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let mut i = 0usize;
    let n = data.len();
    while i < n {
        let c = data[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' | 0x0c | 0 => i += 1,
            b'%' => {
                while i < n && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' => {
                if i + 1 < n && data[i + 1] == b'<' {
                    toks.push(Tok::Other);
                    i += 2;
                    continue;
                }
                i += 1;
                // pairs of hex digits, other bytes skipped; an odd last digit is its high nibble
                let mut bytes = Bytes::new();
                let mut high: Option<u8> = None;
                while i < n && data[i] != b'>' {
                    let d = data[i];
                    if d.is_ascii_hexdigit() {
                        match high.take() {
                            Some(h) => bytes.push((h << 4) | hexval(d)),
                            None => high = Some(hexval(d)),
                        }
                    }
                    i += 1;
                }
                i += 1;
                if let Some(h) = high {
                    bytes.push(h << 4);
                }
                toks.push(Tok::Hex(bytes));
            }
            b'>' => {
                i += 1;
                if i < n && data[i] == b'>' {
                    i += 1;
                }
                toks.push(Tok::Other);
            }
            b'(' => {
                i += 1;
                let mut depth = 1usize;
                let mut s = Bytes::new();
                while i < n {
                    let d = data[i];
                    if d == b'\\' {
                        i += 1;
                        if i < n {
                            let e = data[i];
                            match e {
                                b'n' => s.push(b'\n'),
                                b'r' => s.push(b'\r'),
                                b't' => s.push(b'\t'),
                                b'b' => s.push(8),
                                b'f' => s.push(12),
                                b'0'..=b'7' => {
                                    let mut v: u32 = 0;
                                    let mut k = 0;
                                    while k < 3 && i < n && (b'0'..=b'7').contains(&data[i]) {
                                        v = v * 8 + u32::from(data[i] - b'0');
                                        i += 1;
                                        k += 1;
                                    }
                                    s.push((v & 0xff) as u8);
                                    continue;
                                }
                                b'\r' | b'\n' => {}
                                other => s.push(other),
                            }
                        }
                        i += 1;
                        continue;
                    }
                    if d == b'(' {
                        depth += 1;
                    } else if d == b')' {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    s.push(d);
                    i += 1;
                }
                toks.push(Tok::Str(s));
            }
            b'[' => {
                toks.push(Tok::ArrOpen);
                i += 1;
            }
            b']' => {
                toks.push(Tok::ArrClose);
                i += 1;
            }
            b'{' | b'}' | b')' => {
                toks.push(Tok::Other);
                i += 1;
            }
            b'/' => {
                i += 1;
                let st = i;
                while i < n && !is_delim(data[i]) {
                    i += 1;
                }
                toks.push(Tok::Name(&data[st..i]));
            }
            _ => {
                let st = i;
                while i < n && !is_delim(data[i]) {
                    i += 1;
                }
                if i == st {
                    i += 1;
                    toks.push(Tok::Other);
                    continue;
                }
                let w = &data[st..i];
                if let Some(v) = std::str::from_utf8(w)
                    .ok()
                    .and_then(|s| s.parse::<i64>().ok())
                {
                    toks.push(Tok::Num(v));
                } else {
                    toks.push(Tok::Kw(w));
                }
            }
        }
    }
    toks
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t'
            | b'\r'
            | b'\n'
            | 0x0c
            | 0
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'/'
            | b'%'
    )
}

fn hexval(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

fn code_of(b: &[u8]) -> Option<(u8, u32)> {
    if b.is_empty() || b.len() > 4 {
        return None;
    }
    let mut v: u32 = 0;
    for x in b {
        v = (v << 8) | u32::from(*x);
    }
    Some((b.len() as u8, v))
}

fn bytes_of<'a>(t: &'a Tok<'_>) -> Option<&'a [u8]> {
    match t {
        Tok::Hex(b) | Tok::Str(b) => Some(b),
        _ => None,
    }
}

fn utf16be(b: &[u8]) -> Vec<u16> {
    b.chunks(2)
        .map(|p| {
            if p.len() == 2 {
                u16::from(p[0]) << 8 | u16::from(p[1])
            } else {
                u16::from(p[0])
            }
        })
        .collect()
}

/// Decodes a ToUnicode destination (UTF-16BE, possibly with surrogate pairs).
pub fn dst_string(b: &[u8]) -> CompactString {
    if b.len() == 1 {
        return char::from(b[0]).to_compact_string();
    }
    CompactString::from_utf16_lossy(utf16be(b))
}

/// Upper bound on entries kept from one CMap, against hostile input.
const MAX_ENTRIES: usize = 400_000;

impl CMap {
    pub fn parse(data: &[u8]) -> CMap {
        let toks = tokenize(data);
        let mut cm = CMap::default();
        let mut i = 0usize;
        let mut entries = 0usize;
        while i < toks.len() {
            match &toks[i] {
                Tok::Name(n) if *n == b"WMode" => {
                    if let Some(Tok::Num(v)) = toks.get(i + 1) {
                        cm.wmode = if *v == 1 { 1 } else { 0 };
                    }
                    i += 1;
                }
                Tok::Kw(k) if *k == b"begincodespacerange" => {
                    i += 1;
                    while i + 1 < toks.len() {
                        match (bytes_of(&toks[i]), bytes_of(&toks[i + 1])) {
                            (Some(a), Some(b))
                                if a.len() == b.len() && !a.is_empty() && a.len() <= 4 =>
                            {
                                cm.codespace.push(CodeRange::new(a, b));
                                i += 2;
                            }
                            _ => break,
                        }
                    }
                }
                Tok::Kw(k) if *k == b"beginbfchar" => {
                    i += 1;
                    while i + 1 < toks.len() && entries < MAX_ENTRIES {
                        let (Some(src), Some(dst)) = (bytes_of(&toks[i]), &toks.get(i + 1)) else {
                            break;
                        };
                        let s = match dst {
                            Tok::Hex(d) | Tok::Str(d) => dst_string(d),
                            Tok::Name(nm) => {
                                super::fonts::glyph_name_to_unicode(&String::from_utf8_lossy(nm))
                                    .unwrap_or_default()
                            }
                            _ => break,
                        };
                        if let Some(key) = code_of(src) {
                            cm.bf.insert(key, s);
                            entries += 1;
                        }
                        i += 2;
                    }
                }
                Tok::Kw(k) if *k == b"beginbfrange" => {
                    i += 1;
                    while i + 2 < toks.len() && entries < MAX_ENTRIES {
                        let (Some(lo), Some(hi)) = (bytes_of(&toks[i]), bytes_of(&toks[i + 1]))
                        else {
                            break;
                        };
                        let (Some((len, lo)), Some((_, hi))) = (code_of(lo), code_of(hi)) else {
                            i += 3;
                            continue;
                        };
                        match &toks[i + 2] {
                            Tok::Hex(d) | Tok::Str(d) => {
                                if hi >= lo {
                                    cm.bf_ranges.push((len, lo, hi, BfDst::Start(utf16be(d))));
                                    entries += 1;
                                }
                                i += 3;
                            }
                            Tok::ArrOpen => {
                                let mut j = i + 3;
                                let mut list = Vec::new();
                                while j < toks.len() {
                                    match &toks[j] {
                                        Tok::ArrClose => break,
                                        Tok::Hex(d) | Tok::Str(d) => list.push(dst_string(d)),
                                        _ => list.push(CompactString::default()),
                                    }
                                    j += 1;
                                }
                                if hi >= lo {
                                    entries += list.len();
                                    cm.bf_ranges.push((len, lo, hi, BfDst::List(list)));
                                }
                                i = j + 1;
                            }
                            _ => break,
                        }
                    }
                }
                Tok::Kw(k) if *k == b"begincidchar" => {
                    i += 1;
                    while i + 1 < toks.len() && entries < MAX_ENTRIES {
                        let (Some(src), Some(Tok::Num(cid))) =
                            (bytes_of(&toks[i]), toks.get(i + 1))
                        else {
                            break;
                        };
                        if let (Some(key), Ok(cid)) = (code_of(src), u32::try_from(*cid)) {
                            cm.cid.insert(key, cid);
                            entries += 1;
                        }
                        i += 2;
                    }
                }
                Tok::Kw(k) if *k == b"begincidrange" => {
                    i += 1;
                    while i + 2 < toks.len() && entries < MAX_ENTRIES {
                        let (Some(lo), Some(hi), Some(Tok::Num(cid))) =
                            (bytes_of(&toks[i]), bytes_of(&toks[i + 1]), toks.get(i + 2))
                        else {
                            break;
                        };
                        if let (Some((len, lo)), Some((_, hi)), Ok(cid)) =
                            (code_of(lo), code_of(hi), u32::try_from(*cid))
                        {
                            if hi >= lo {
                                cm.cid_ranges.push((len, lo, hi, cid));
                                entries += 1;
                            }
                        }
                        i += 3;
                    }
                }
                _ => i += 1,
            }
        }
        cm
    }

    pub fn is_empty_unicode(&self) -> bool {
        self.bf.is_empty() && self.bf_ranges.is_empty()
    }

    /// Unicode for a code of `len` bytes.
    pub fn lookup(&self, code: u32, len: usize) -> Option<CompactString> {
        let len8 = len as u8;
        if let Some(s) = self.bf.get(&(len8, code)) {
            return Some(s.clone());
        }
        for (l, lo, hi, dst) in &self.bf_ranges {
            if *l == len8 && code >= *lo && code <= *hi {
                let off = code - *lo;
                return match dst {
                    BfDst::Start(units) => {
                        let mut u = units.clone();
                        if let Some(last) = u.last_mut() {
                            *last = last.wrapping_add((off & 0xffff) as u16);
                        }
                        Some(CompactString::from_utf16_lossy(&u))
                    }
                    BfDst::List(list) => list.get(off as usize).cloned(),
                };
            }
        }
        // Some producers write 1-byte source codes in a 2-byte font or vice versa.
        None
    }

    /// CID for a code of `len` bytes (embedded encoding CMaps).
    pub fn cid(&self, code: u32, len: usize) -> Option<u32> {
        let len8 = len as u8;
        if let Some(c) = self.cid.get(&(len8, code)) {
            return Some(*c);
        }
        for (l, lo, hi, start) in &self.cid_ranges {
            if *l == len8 && code >= *lo && code <= *hi {
                return start.checked_add(code - lo);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_bfrange_surrogates() {
        let data = b"/CIDInit /ProcSet findresource begin 1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <4E2D> <0002> <D840DC00> endbfchar
2 beginbfrange <0010> <0012> <0030> <0020> <0021> [<6587> <5B57>] endbfrange end";
        let cm = CMap::parse(data);
        assert_eq!(cm.lookup(1, 2).as_deref(), Some("中"));
        assert_eq!(cm.lookup(2, 2).as_deref(), Some("\u{20000}"));
        assert_eq!(cm.lookup(0x11, 2).as_deref(), Some("1"));
        assert_eq!(cm.lookup(0x21, 2).as_deref(), Some("字"));
        assert_eq!(cm.lookup(0x30, 2), None);
        let codes = split_codes(&[0, 1, 0, 2], &cm.codespace, 2);
        assert_eq!(codes, vec![(1, 2), (2, 2)]);
    }

    #[test]
    fn mixed_codespace() {
        let r = vec![
            CodeRange::new(&[0x00], &[0x80]),
            CodeRange::new(&[0x81, 0x40], &[0xfe, 0xfe]),
        ];
        let codes = split_codes(&[0x41, 0xd6, 0xd0, 0x31], &r, 2);
        assert_eq!(codes, vec![(0x41, 1), (0xd6d0, 2), (0x31, 1)]);
    }
}
