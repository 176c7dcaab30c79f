//! Reading a PDF's cross-reference tables and streams (and their `/Prev` chain) without
//! parsing any other object, for [`super::reach`].
//!
//! It follows lopdf's reading of the same structures step by step (the same chain of
//! `/Prev` and `/XRefStm`, the same merging, the same trailer), but accepts only their
//! ordinary forms: anything unusual gives `None`, and the caller loads the file the old way,
//! so an odd file reads exactly as before.

use std::collections::{BTreeMap, HashSet};

use lopdf::xref::{Xref, XrefEntry, XrefType};
use lopdf::{Dictionary, Document, Object, ObjectId, Reader};

use super::decode::{decode, filters};

/// Cross-reference sections followed at most (a chain longer than this is read the old way).
const MAX_SECTIONS: usize = 4096;

/// A lopdf reader over `buffer` that knows the objects in `xref` (lengths given by
/// reference are resolved through it while a stream is parsed).
pub fn reader(buffer: &[u8], xref: Xref) -> Reader<'_> {
    let mut document = Document::new();
    document.reference_table = xref;
    Reader {
        buffer,
        document,
        encryption_state: None,
        raw_objects: BTreeMap::new(),
        password: None,
        strict: false,
    }
}

/// The cross-reference entries and trailer of `buffer` (which starts at `%PDF-`), read as
/// lopdf's `Reader::read` reads them; `None` when anything is out of the ordinary.
pub fn read(buffer: &[u8], max: usize) -> Option<(Xref, Dictionary)> {
    if !buffer.starts_with(b"%PDF-") || !buffer.iter().any(|&c| c == b'\n' || c == b'\r') {
        return None;
    }
    let start = xref_start(buffer)?;
    let (mut xref, mut trailer) = section(buffer, start, max)?;
    let mut seen = HashSet::new();
    let mut prev = trailer.remove(b"Prev");
    while let Some(at) = prev.and_then(|o| o.as_i64().ok()) {
        if !seen.insert(at) {
            break;
        }
        if seen.len() > MAX_SECTIONS {
            return None;
        }
        let at = usize::try_from(at).ok().filter(|&a| a <= buffer.len())?;
        let (older, older_trailer) = section(buffer, at, max)?;
        xref.merge(older);
        // as lopdf: the newest trailer's hybrid stream, read with the first older section
        if let Some(s) = trailer.remove(b"XRefStm").and_then(|o| o.as_i64().ok()) {
            let s = usize::try_from(s).ok().filter(|&s| s <= buffer.len())?;
            xref.merge(section(buffer, s, max)?.0);
        }
        prev = older_trailer.get(b"Prev").cloned().ok();
    }
    xref.size = xref.max_id().checked_add(1)?;
    Some((xref, trailer))
}

fn is_space(c: u8) -> bool {
    b" \t\n\r\0\x0C".contains(&c)
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_space(c)) {
        i += 1;
    }
    i
}

/// An end of line at `i`: the position after it.
fn eol(b: &[u8], i: usize) -> Option<usize> {
    match (b.get(i), b.get(i + 1)) {
        (Some(b'\r'), Some(b'\n')) => Some(i + 2),
        (Some(b'\n' | b'\r'), _) => Some(i + 1),
        _ => None,
    }
}

/// Digits at `i` as a number of type `T`, and the position after them.
fn uint<T: std::str::FromStr>(b: &[u8], i: usize) -> Option<(T, usize)> {
    let n = b
        .get(i..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n == 0 {
        return None;
    }
    let v = std::str::from_utf8(b.get(i..i + n)?).ok()?.parse().ok()?;
    Some((v, i + n))
}

/// The offset after `startxref` near the end of the file (the `%%EOF` in its last 512
/// bytes, `startxref` within 25 bytes before it, as lopdf looks for them).
fn xref_start(b: &[u8]) -> Option<usize> {
    let tail = b.len().saturating_sub(512);
    let eof = tail + memchr::memmem::rfind(b.get(tail..)?, b"%%EOF")?;
    if eof <= 25 {
        return None;
    }
    let from = eof - 25;
    let at = from + memchr::memmem::rfind(b.get(from..eof)?, b"startxref")?;
    // `startxref` [" "] EOL spaces* digits spaces* EOL `%%EOF` (a strict subset of lopdf's)
    let mut i = at + 9;
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    i = eol(b, i)?;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let (n, mut i) = uint::<u64>(b, i)?;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i = eol(b, i)?;
    if !b.get(i..)?.starts_with(b"%%EOF") {
        return None;
    }
    usize::try_from(n).ok().filter(|&n| n <= b.len())
}

/// The cross-reference section at `at`: a table with its trailer, or a stream.
fn section(b: &[u8], at: usize, max: usize) -> Option<(Xref, Dictionary)> {
    if b.get(at..)?.starts_with(b"xref") {
        table(b, at)
    } else {
        stream(b, at, max)
    }
}

/// `xref` sections of `offset generation n|f` lines, then `trailer` and its dictionary.
fn table(b: &[u8], at: usize) -> Option<(Xref, Dictionary)> {
    let mut i = at + 4;
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    i = eol(b, i)?;
    let mut xref = Xref::new(0, XrefType::CrossReferenceTable);
    let mut sections = 0;
    // sections: `first count` then entries, as many as are there (lopdf ignores count)
    while let Some((first, j)) = uint::<u32>(b, i) {
        let j = b.get(j).filter(|&&c| c == b' ').map(|_| j + 1)?;
        let (_count, mut j) = uint::<u32>(b, j)?;
        if b.get(j) == Some(&b' ') {
            j += 1;
        }
        i = eol(b, j)?;
        sections += 1;
        let mut k = 0u32;
        while let Some((offset, generation, kind, end)) = entry(b, i) {
            if kind == b'n' {
                if let Ok(generation) = u16::try_from(generation) {
                    xref.insert(
                        first.checked_add(k)?,
                        XrefEntry::Normal { offset, generation },
                    );
                }
            }
            k = k.checked_add(1)?;
            i = end;
        }
    }
    if sections == 0 {
        return None;
    }
    i = skip_spaces(b, i);
    if !b.get(i..)?.starts_with(b"trailer") {
        return None;
    }
    let trailer = trailer_dict(b, skip_spaces(b, i + 7))?;
    xref.size = u32::try_from(trailer.get(b"Size").ok()?.as_i64().ok()?).ok()?;
    Some((xref, trailer))
}

/// A table line `offset generation n|f` and its end of line at `i`: offset, generation,
/// kind and the position after it.
fn entry(b: &[u8], i: usize) -> Option<(u32, u32, u8, usize)> {
    let (offset, j) = uint::<u32>(b, i)?;
    if b.get(j) != Some(&b' ') {
        return None;
    }
    let (generation, j) = uint::<u32>(b, j + 1)?;
    if b.get(j) != Some(&b' ') {
        return None;
    }
    let kind = *b.get(j + 1).filter(|&&c| c == b'n' || c == b'f')?;
    match b.get(j + 2..j + 4)? {
        b" \r" | b" \n" | b"\r\n" => Some((offset, generation, kind, j + 4)),
        _ => None,
    }
}

/// The dictionary at `at` (a trailer's), parsed by lopdf as the body of an object.
fn trailer_dict(b: &[u8], at: usize) -> Option<Dictionary> {
    let rest = b.get(at..)?;
    if !rest.starts_with(b"<<") {
        return None;
    }
    // to `startxref` (a trailer's end) or 64 KiB, as the body of an object `0 0 obj`
    let end = memchr::memmem::find(rest, b"startxref")
        .unwrap_or(rest.len())
        .min(64 * 1024);
    let mut text = b"0 0 obj\n".to_vec();
    text.extend_from_slice(rest.get(..end)?);
    text.extend_from_slice(b"\nendobj\n");
    match parse_at(&text, 0, &Xref::new(0, XrefType::CrossReferenceTable))? {
        (_, Object::Dictionary(d)) => Some(d),
        _ => None,
    }
}

/// The object `n g obj … endobj` at `at`, parsed by lopdf (with `xref` for lengths given by
/// reference). `None` when there is no object header there or it does not parse.
pub fn parse_at(b: &[u8], at: usize, xref: &Xref) -> Option<(ObjectId, Object)> {
    let i = skip_spaces(b, at);
    let (n, i) = uint::<u32>(b, i)?;
    let j = skip_spaces(b, i);
    if j == i {
        return None;
    }
    let (g, i) = uint::<u16>(b, j)?;
    let j = skip_spaces(b, i);
    if j == i || !b.get(j..)?.starts_with(b"obj") {
        return None;
    }
    let mut table = xref.clone();
    table.insert(
        n,
        XrefEntry::Normal {
            offset: u32::try_from(at).ok()?,
            generation: g,
        },
    );
    let r = reader(b, table);
    let o = r.get_object((n, g), &mut HashSet::new()).ok()?;
    Some(((n, g), o))
}

/// A cross-reference stream at `at`: its entries, and its dictionary as the trailer.
fn stream(b: &[u8], at: usize, max: usize) -> Option<(Xref, Dictionary)> {
    let (_, Object::Stream(s)) = parse_at(b, at, &Xref::new(0, XrefType::CrossReferenceStream))?
    else {
        return None;
    };
    // lopdf reads these filters only (another makes its load fail)
    let lopdf_reads =
        |f: &Vec<u8>| matches!(&f[..], b"FlateDecode" | b"LZWDecode" | b"ASCII85Decode");
    let names = match s.dict.get(b"Filter") {
        Ok(Object::Array(a)) => a.iter().all(|f| f.as_name().is_ok()),
        _ => true,
    };
    if !names || !filters(&s.dict).iter().all(lopdf_reads) {
        return None;
    }
    let data = match decode(&s.dict, &s.content, max) {
        Ok(Some(d)) => d,
        _ => return None,
    };
    let mut dict = s.dict;
    // as lopdf's decompression leaves it
    dict.remove(b"DecodeParms");
    dict.remove(b"Filter");
    let ints = |o: &Object| -> Option<Vec<i64>> {
        o.as_array().ok()?.iter().map(|n| n.as_i64().ok()).collect()
    };
    let size = dict.get(b"Size").ok()?.as_i64().ok()?;
    let index = match dict.get(b"Index") {
        Ok(o) => ints(o)?,
        Err(_) => vec![0, size],
    };
    let w = ints(dict.get(b"W").ok()?)?;
    // (all widths 0 would read entries from no bytes, for as long as /Index says)
    if w.len() < 3 || w.iter().take(3).any(|&x| !(0..=8).contains(&x)) || w[..3] == [0, 0, 0] {
        return None;
    }
    let w: [usize; 3] = [w[0] as usize, w[1] as usize, w[2] as usize];
    let mut xref = Xref::new(u32::try_from(size).ok()?, XrefType::CrossReferenceStream);
    let mut pos = 0usize;
    // a field of `n` bytes, big-endian, kept to its low 32 bits as lopdf keeps it
    let mut field = |n: usize| -> Option<u32> {
        let bytes = data.get(pos..pos.checked_add(n)?)?;
        pos += n;
        Some(bytes.iter().fold(0u32, |v, &c| (v << 8) | u32::from(c)))
    };
    for pair in index.chunks_exact(2) {
        let (first, count) = (pair[0], pair[1]);
        for j in 0..count.max(0) {
            let kind = if w[0] > 0 { field(w[0])? } else { 1 };
            let id = u32::try_from(first.checked_add(j)?).ok()?;
            match kind {
                0 => {
                    field(w[1])?;
                    field(w[2])?;
                }
                1 => {
                    let offset = field(w[1])?;
                    let generation = if w[2] > 0 { field(w[2])? } else { 0 } as u16;
                    xref.insert(id, XrefEntry::Normal { offset, generation });
                }
                2 => {
                    let container = field(w[1])?;
                    let index = field(w[2])? as u16;
                    xref.insert(id, XrefEntry::Compressed { container, index });
                }
                _ => {}
            }
        }
    }
    dict.remove(b"Length");
    dict.remove(b"W");
    dict.remove(b"Index");
    Some((xref, dict))
}
