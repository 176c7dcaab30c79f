//! Small helpers over lopdf objects that never panic.

use std::io::Read;

use lopdf::{Dictionary, Document, Object};

/// Follows references (bounded).
pub fn deref<'a>(doc: &'a Document, mut o: &'a Object) -> &'a Object {
    for _ in 0..16 {
        match o {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(t) => o = t,
                Err(_) => return &Object::Null,
            },
            _ => return o,
        }
    }
    &Object::Null
}

pub fn dict_get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key)
        .ok()
        .map(|o| deref(doc, o))
        .filter(|o| !matches!(o, Object::Null))
}

pub fn get_name(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    match dict_get(doc, d, key)? {
        Object::Name(n) => Some(n.clone()),
        _ => None,
    }
}

pub fn num(doc: &Document, o: &Object) -> Option<f32> {
    match deref(doc, o) {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

/// Object as a dictionary (a stream's dictionary too).
pub fn as_dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, o) {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

#[derive(Debug)]
pub struct TooLarge;

/// Decoded data of a stream object, None if it is not a stream or cannot be decoded.
pub fn stream_data(o: &Object, max: usize) -> Option<Vec<u8>> {
    stream_data_checked(o, max).ok().flatten()
}

/// Like [`stream_data`] but tells a size-limit breach apart.
pub fn stream_data_checked(o: &Object, max: usize) -> Result<Option<Vec<u8>>, TooLarge> {
    let Object::Stream(s) = o else {
        return Ok(None);
    };
    let filters: Vec<Vec<u8>> = match s.dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a
            .iter()
            .filter_map(|o| o.as_name().ok().map(|n| n.to_vec()))
            .collect(),
        _ => vec![],
    };
    if filters.is_empty() {
        if s.content.len() > max {
            return Err(TooLarge);
        }
        return Ok(Some(s.content.clone()));
    }
    let has_params = match s.dict.get(b"DecodeParms") {
        Ok(Object::Dictionary(d)) => d.get(b"Predictor").is_ok(),
        Ok(Object::Array(a)) => {
            !a.is_empty() && a.iter().any(|x| matches!(x, Object::Dictionary(_)))
        }
        _ => false,
    };
    if filters.len() == 1 && (filters[0] == b"FlateDecode" || filters[0] == b"Fl") && !has_params {
        let mut out = Vec::new();
        let dec = flate2::read::ZlibDecoder::new(s.content.as_slice());
        let mut limited = dec.take(max as u64 + 1);
        let mut buf = [0u8; 16384];
        loop {
            match limited.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                // Damaged tail: keep what was decoded.
                Err(_) => break,
            }
        }
        if out.len() > max {
            return Err(TooLarge);
        }
        if out.is_empty() && !s.content.is_empty() {
            // Maybe raw deflate without zlib header.
            let dec = flate2::read::DeflateDecoder::new(s.content.as_slice());
            let mut limited = dec.take(max as u64 + 1);
            let _ = limited.read_to_end(&mut out);
            if out.len() > max {
                return Err(TooLarge);
            }
        }
        return Ok(Some(out));
    }
    // Other filters: lopdf (no streaming limit, check afterwards).
    if s.content.len() > max {
        return Err(TooLarge);
    }
    match s.decompressed_content() {
        Ok(d) if d.len() > max => Err(TooLarge),
        Ok(d) => Ok(Some(d)),
        Err(_) => Ok(None),
    }
}
