//! Bounded stream filters: every decoder stops once its output passes a byte limit, so a
//! compression bomb (a filter chain, a predictor, LZW, an object stream) never allocates
//! more than about the limit.

use flate2::Decompress;
use std::io::{BufRead, Read};

use lopdf::{Dictionary, Object};

/// A decoded stream would exceed the limit.
#[derive(Debug)]
pub struct TooLarge;

/// Result of one decoding step: `Ok(None)` when the filter is not supported or the data is
/// unusable.
type Step = Result<Option<Vec<u8>>, TooLarge>;

/// Filter names of a stream dictionary, in decoding order.
pub fn filters(dict: &Dictionary) -> Vec<Vec<u8>> {
    match dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a
            .iter()
            .filter_map(|o| o.as_name().ok().map(|n| n.to_vec()))
            .collect(),
        _ => vec![],
    }
}

/// The /DecodeParms dictionary that goes with filter `i` (direct objects only).
fn params(dict: &Dictionary, i: usize) -> Option<&Dictionary> {
    match dict.get(b"DecodeParms").or_else(|_| dict.get(b"DP")) {
        Ok(Object::Dictionary(d)) if i == 0 => Some(d),
        Ok(Object::Array(a)) => match a.get(i) {
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        },
        _ => None,
    }
}

fn int_param(p: Option<&Dictionary>, key: &[u8], default: i64) -> i64 {
    p.and_then(|d| d.get(key).ok())
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(default)
}

/// Decodes `content` through the stream's filter chain; no buffer grows past `max` bytes.
pub fn decode(dict: &Dictionary, content: &[u8], max: usize) -> Step {
    decode_first(dict, content, max, usize::MAX)
}

/// Like [`decode`], through the first `n` filters of the chain only (an image's chain ends
/// with an image codec that is decoded elsewhere).
pub fn decode_first(dict: &Dictionary, content: &[u8], max: usize, n: usize) -> Step {
    let mut names = filters(dict);
    if names.len() > 16 {
        return Ok(None);
    }
    names.truncate(n);
    if names.is_empty() {
        if content.len() > max {
            return Err(TooLarge);
        }
        return Ok(Some(content.to_vec()));
    }
    let mut cur: Option<Vec<u8>> = None;
    for (i, name) in names.iter().enumerate() {
        let input: &[u8] = cur.as_deref().unwrap_or(content);
        let p = params(dict, i);
        let out = match name.as_slice() {
            b"FlateDecode" | b"Fl" => {
                let d = inflate(input, max)?;
                predict(d, p, max)?
            }
            b"LZWDecode" | b"LZW" => {
                let early = int_param(p, b"EarlyChange", 1) != 0;
                let d = lzw(input, early, max)?;
                predict(d, p, max)?
            }
            b"ASCIIHexDecode" | b"AHx" => ascii_hex(input, max)?,
            b"ASCII85Decode" | b"A85" => ascii85(input, max)?,
            b"RunLengthDecode" | b"RL" => run_length(input, max)?,
            b"Crypt" => {
                if input.len() > max {
                    return Err(TooLarge);
                }
                Some(input.to_vec())
            }
            // Image codecs (DCT, JPX, JBIG2, CCITT) hold no text.
            _ => None,
        };
        match out {
            Some(o) => cur = Some(o),
            None => return Ok(None),
        }
    }
    Ok(cur)
}

/// Reads at most `max + 1` bytes from `r` into `out`; a read error ends the data (a damaged
/// tail keeps what was decoded).
fn read_bounded<R: Read>(r: R, out: &mut Vec<u8>, max: usize) -> Result<(), TooLarge> {
    let mut limited = r.take((max as u64).saturating_add(1));
    let mut buf = [0u8; 16384];
    loop {
        match limited.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(buf.get(..n).unwrap_or(&[])),
            Err(_) => break,
        }
        if out.len() > max {
            return Err(TooLarge);
        }
    }
    if out.len() > max {
        return Err(TooLarge);
    }
    Ok(())
}

/// zlib inflate, bounded; raw deflate when the zlib header is missing or damaged.
fn inflate(input: &[u8], max: usize) -> Result<Vec<u8>, TooLarge> {
    // one zlib and one raw decompressor per thread, reset for each stream (a fresh one
    // allocates about 47 KiB of state, and a page holds dozens of streams)
    let (mut zlib, mut raw) = DECOMPRESSORS
        .take()
        .unwrap_or_else(|| (Decompress::new(true), Decompress::new(false)));
    let mut out = Vec::new();
    let run = |d: &mut Decompress, zlib_header: bool, data: &[u8], out: &mut Vec<u8>| {
        d.reset(zlib_header);
        read_bounded(Inflater::new(d, data), out, max)
    };
    let mut result = run(&mut zlib, true, input, &mut out);
    if result.is_ok() && out.is_empty() && !input.is_empty() {
        result = run(&mut raw, false, input, &mut out);
        if result.is_ok() && out.is_empty() {
            if let Some(rest) = input.get(2..) {
                result = run(&mut raw, false, rest, &mut out);
            }
        }
    }
    DECOMPRESSORS.set(Some((zlib, raw)));
    result.map(|()| out)
}

thread_local! {
    /// [`inflate`]'s decompressors (zlib, raw deflate), kept between streams.
    static DECOMPRESSORS: std::cell::Cell<Option<(Decompress, Decompress)>> =
        const { std::cell::Cell::new(None) };
}

/// A stream read as `flate2::bufread`'s decoders read one (`flate2::zio::read`, step for
/// step), with a decompressor that outlives it.
struct Inflater<'a, 'd> {
    d: &'d mut Decompress,
    input: Windows<'a>,
}

impl<'a, 'd> Inflater<'a, 'd> {
    fn new(d: &'d mut Decompress, data: &'a [u8]) -> Self {
        Inflater {
            d,
            input: Windows::new(data),
        }
    }
}

impl Read for Inflater<'_, '_> {
    fn read(&mut self, dst: &mut [u8]) -> std::io::Result<usize> {
        use flate2::{FlushDecompress, Status};
        use std::io::{Error, ErrorKind};
        loop {
            let input = self.input.fill_buf()?;
            let eof = input.is_empty();
            let (before_out, before_in) = (self.d.total_out(), self.d.total_in());
            let flush = if eof {
                FlushDecompress::Finish
            } else {
                FlushDecompress::None
            };
            let ret = self.d.decompress(input, dst, flush);
            let read = usize::try_from(self.d.total_out() - before_out).unwrap_or(usize::MAX);
            let consumed = usize::try_from(self.d.total_in() - before_in).unwrap_or(usize::MAX);
            self.input.consume(consumed);
            match ret {
                Ok(Status::Ok | Status::BufError) if read == 0 && !dst.is_empty() => {
                    if eof {
                        return Err(Error::new(
                            ErrorKind::UnexpectedEof,
                            "incomplete deflate stream",
                        ));
                    }
                }
                Ok(_) => return Ok(read),
                Err(_) => {
                    return Err(Error::new(
                        ErrorKind::InvalidInput,
                        "corrupt deflate stream",
                    ))
                }
            }
        }
    }
}

/// A byte slice handed to a decoder as `flate2::read`'s decoders hand their input on: in the
/// windows a 32 KiB buffer would hold, the next one only once the last is used up, so a
/// damaged stream stops at the same byte. It borrows the windows instead of copying each
/// into a zeroed buffer of its own (32 KiB per stream, and a page holds dozens of streams).
struct Windows<'a> {
    data: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Windows<'a> {
    /// flate2's buffer for its `read` decoders.
    const SIZE: usize = 32 * 1024;

    fn new(data: &'a [u8]) -> Self {
        Windows {
            data,
            pos: 0,
            end: 0,
        }
    }
}

impl Read for Windows<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let window = self.fill_buf()?;
            let n = window.len().min(out.len());
            out[..n].copy_from_slice(&window[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Windows<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pos >= self.end {
            self.end = self.data.len().min(self.pos.saturating_add(Self::SIZE));
        }
        Ok(self.data.get(self.pos..self.end).unwrap_or(&[]))
    }

    fn consume(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.end);
    }
}

/// Undoes a PNG (≥ 10) or TIFF (2) predictor. The output is never longer than the input.
fn predict(data: Vec<u8>, p: Option<&Dictionary>, max: usize) -> Step {
    let predictor = int_param(p, b"Predictor", 1);
    if predictor <= 1 {
        return Ok(Some(data));
    }
    let colors = int_param(p, b"Colors", 1);
    let bpc = int_param(p, b"BitsPerComponent", 8);
    let columns = int_param(p, b"Columns", 1);
    if !(1..=32).contains(&colors)
        || !matches!(bpc, 1 | 2 | 4 | 8 | 16)
        || !(1..=(1 << 24)).contains(&columns)
    {
        return Ok(None);
    }
    // All three are small positive numbers now.
    let (colors, bpc, columns) = (colors as usize, bpc as usize, columns as usize);
    let Some(bits_per_pixel) = colors.checked_mul(bpc) else {
        return Ok(None);
    };
    let bpp = bits_per_pixel.div_ceil(8).max(1);
    let Some(row_len) = bits_per_pixel
        .checked_mul(columns)
        .map(|b| b.div_ceil(8))
        .filter(|r| *r > 0 && *r <= max)
    else {
        return Ok(None);
    };
    if predictor == 2 {
        if bpc != 8 {
            return Ok(Some(data));
        }
        let mut data = data;
        for row in data.chunks_mut(row_len) {
            for i in bpp..row.len() {
                let left = row.get(i - bpp).copied().unwrap_or(0);
                if let Some(b) = row.get_mut(i) {
                    *b = b.wrapping_add(left);
                }
            }
        }
        return Ok(Some(data));
    }
    if predictor < 10 {
        return Ok(Some(data));
    }
    let mut out: Vec<u8> = Vec::with_capacity(data.len().min(max));
    let mut prev = vec![0u8; row_len];
    let mut row = vec![0u8; row_len];
    for chunk in data.chunks(row_len + 1) {
        let Some((&ft, raw)) = chunk.split_first() else {
            break;
        };
        let n = raw.len();
        for i in 0..n {
            let x = raw.get(i).copied().unwrap_or(0);
            let a = if i >= bpp {
                row.get(i - bpp).copied().unwrap_or(0)
            } else {
                0
            };
            let b = prev.get(i).copied().unwrap_or(0);
            let c = if i >= bpp {
                prev.get(i - bpp).copied().unwrap_or(0)
            } else {
                0
            };
            let v = match ft {
                1 => x.wrapping_add(a),
                2 => x.wrapping_add(b),
                3 => x.wrapping_add(((a as u16 + b as u16) / 2) as u8),
                4 => x.wrapping_add(paeth(a, b, c)),
                _ => x,
            };
            if let Some(r) = row.get_mut(i) {
                *r = v;
            }
        }
        let done = row.get(..n).unwrap_or(&[]);
        if out.len().saturating_add(done.len()) > max {
            return Err(TooLarge);
        }
        out.extend_from_slice(done);
        std::mem::swap(&mut prev, &mut row);
    }
    Ok(Some(out))
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = a as i16 + b as i16 - c as i16;
    let (pa, pb, pc) = (
        (p - a as i16).abs(),
        (p - b as i16).abs(),
        (p - c as i16).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// LZW (PDF flavour: MSB first, 9–12 bit codes, 256 = clear, 257 = end), bounded.
fn lzw(input: &[u8], early: bool, max: usize) -> Result<Vec<u8>, TooLarge> {
    // Table entries: (prefix code or u16::MAX, last byte).
    let mut table: Vec<(u16, u8)> = Vec::with_capacity(4096);
    let reset = |t: &mut Vec<(u16, u8)>| {
        t.clear();
        for b in 0..=255u8 {
            t.push((u16::MAX, b));
        }
        t.push((u16::MAX, 0)); // 256 clear
        t.push((u16::MAX, 0)); // 257 end
    };
    reset(&mut table);
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut nbits: u32 = 0;
    let mut prev: Option<u16> = None;
    let mut scratch: Vec<u8> = Vec::with_capacity(4096);
    let mut it = input.iter();
    loop {
        let e = usize::from(early);
        let width: u32 = match table.len() + e {
            0..=511 => 9,
            512..=1023 => 10,
            1024..=2047 => 11,
            _ => 12,
        };
        while nbits < width {
            let Some(&b) = it.next() else {
                return Ok(out);
            };
            acc = (acc << 8) | u32::from(b);
            nbits += 8;
        }
        let code = ((acc >> (nbits - width)) & ((1 << width) - 1)) as u16;
        nbits -= width;
        acc &= (1u32 << nbits) - 1;
        if code == 256 {
            reset(&mut table);
            prev = None;
            continue;
        }
        if code == 257 {
            return Ok(out);
        }
        let ci = usize::from(code);
        // Expand `code` (or prev + first byte of prev for the KwKwK case) into scratch.
        scratch.clear();
        let known = ci < table.len();
        let start = if known {
            Some(code)
        } else if ci == table.len() {
            prev
        } else {
            None
        };
        let Some(start) = start else {
            return Ok(out);
        };
        let mut c = start;
        for _ in 0..4097 {
            let Some(&(p, b)) = table.get(usize::from(c)) else {
                break;
            };
            scratch.push(b);
            if p == u16::MAX {
                break;
            }
            c = p;
        }
        scratch.reverse();
        let first = scratch.first().copied().unwrap_or(0);
        if !known {
            scratch.push(first);
        }
        if let Some(p) = prev {
            if table.len() < 4096 {
                table.push((p, first));
            }
        }
        if out.len().saturating_add(scratch.len()) > max {
            return Err(TooLarge);
        }
        out.extend_from_slice(&scratch);
        prev = Some(code);
    }
}

fn ascii_hex(input: &[u8], max: usize) -> Step {
    let mut out = Vec::with_capacity((input.len() / 2).min(max));
    let mut hi: Option<u8> = None;
    for &c in input {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            b'>' => break,
            c if c.is_ascii_whitespace() || c == 0 => continue,
            _ => return Ok(None),
        };
        match hi.take() {
            None => hi = Some(v),
            Some(h) => out.push((h << 4) | v),
        }
    }
    if let Some(h) = hi {
        out.push(h << 4);
    }
    if out.len() > max {
        return Err(TooLarge);
    }
    Ok(Some(out))
}

fn ascii85(input: &[u8], max: usize) -> Step {
    let mut out: Vec<u8> = Vec::new();
    let mut group = [0u8; 5];
    let mut n = 0usize;
    let body = input.strip_prefix(b"<~").unwrap_or(input);
    for &c in body {
        match c {
            b'~' => break,
            b'z' if n == 0 => out.extend_from_slice(&[0, 0, 0, 0]),
            b'!'..=b'u' => {
                if let Some(g) = group.get_mut(n) {
                    *g = c - b'!';
                }
                n += 1;
                if n == 5 {
                    let Some(v) = group85(&group) else {
                        return Ok(None);
                    };
                    out.extend_from_slice(&v.to_be_bytes());
                    n = 0;
                }
            }
            c if c.is_ascii_whitespace() || c == 0 => continue,
            _ => return Ok(None),
        }
        if out.len() > max {
            return Err(TooLarge);
        }
    }
    if n > 1 {
        let mut g = [84u8; 5];
        for (d, s) in g.iter_mut().zip(group.iter()).take(n) {
            *d = *s;
        }
        if let Some(v) = group85(&g) {
            out.extend_from_slice(v.to_be_bytes().get(..n - 1).unwrap_or(&[]));
        }
    }
    if out.len() > max {
        return Err(TooLarge);
    }
    Ok(Some(out))
}

fn group85(g: &[u8; 5]) -> Option<u32> {
    g.iter().try_fold(0u32, |acc, &d| {
        acc.checked_mul(85)?.checked_add(u32::from(d))
    })
}

fn run_length(input: &[u8], max: usize) -> Step {
    let mut out = Vec::new();
    let mut i = 0usize;
    while let Some(&len) = input.get(i) {
        i += 1;
        match len {
            128 => break,
            0..=127 => {
                let n = usize::from(len) + 1;
                let end = i.saturating_add(n).min(input.len());
                out.extend_from_slice(input.get(i..end).unwrap_or(&[]));
                i = end;
            }
            _ => {
                let Some(&b) = input.get(i) else { break };
                i += 1;
                let n = 257 - usize::from(len);
                out.resize(out.len().saturating_add(n), b);
            }
        }
        if out.len() > max {
            return Err(TooLarge);
        }
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `inflate` as it was, through `flate2::read`'s own buffer: the reference for `Windows`.
    fn inflate_reference(input: &[u8], max: usize) -> Result<Vec<u8>, TooLarge> {
        let mut out = Vec::new();
        read_bounded(flate2::read::ZlibDecoder::new(input), &mut out, max)?;
        if out.is_empty() && !input.is_empty() {
            read_bounded(flate2::read::DeflateDecoder::new(input), &mut out, max)?;
            if out.is_empty() {
                if let Some(rest) = input.get(2..) {
                    read_bounded(flate2::read::DeflateDecoder::new(rest), &mut out, max)?;
                }
            }
        }
        Ok(out)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Streams longer than a window, whole, cut short or with bytes overwritten, and raw
        /// deflate without its header, decode to the very bytes the buffered decoders gave.
        #[test]
        fn inflate_reads_as_flate2s_buffered_decoders(
            seed in any::<u64>(),
            len in 0usize..150_000,
            text_like in any::<bool>(),
            raw in any::<bool>(),
            damage in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
            cut in proptest::option::of(any::<prop::sample::Index>()),
            max in prop_oneof![Just(usize::MAX / 2), 1usize..200_000],
        ) {
            use std::io::Write;
            // incompressible bytes make a compressed stream of several windows
            let mut x = seed | 1;
            let data: Vec<u8> = (0..len)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    if text_like { b"0123 abc\n"[(x % 9) as usize] } else { (x >> 24) as u8 ^ i as u8 }
                })
                .collect();
            let mut z: Vec<u8> = if raw {
                let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(&data).unwrap();
                e.finish().unwrap()
            } else {
                let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(&data).unwrap();
                e.finish().unwrap()
            };
            for (at, b) in &damage {
                if !z.is_empty() {
                    let i = at.index(z.len());
                    z[i] = *b;
                }
            }
            if let Some(c) = cut {
                let n = c.index(z.len() + 1);
                z.truncate(n);
            }
            prop_assert_eq!(inflate(&z, max).ok(), inflate_reference(&z, max).ok());
        }
    }

    #[test]
    fn lzw_spec_example() {
        // PDF 32000 7.4.4.2 example: 45 45 45 45 45 65 45 45 45 66.
        let enc = [0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01];
        let out = lzw(&enc, true, 1000).unwrap_or_default();
        assert_eq!(out, [45, 45, 45, 45, 45, 65, 45, 45, 45, 66]);
    }

    #[test]
    fn ascii85_and_hex() {
        assert_eq!(
            ascii85(b"87cURD]i,\"Ebo80~>", 100)
                .ok()
                .flatten()
                .unwrap_or_default(),
            b"Hello World!"
        );
        assert_eq!(
            ascii_hex(b"48 65 6c6C6f7>", 100)
                .ok()
                .flatten()
                .unwrap_or_default(),
            b"Hellop"
        );
        assert_eq!(
            run_length(&[2, b'a', b'b', b'c', 254, b'x', 128], 100)
                .ok()
                .flatten()
                .unwrap_or_default(),
            b"abcxxx"
        );
    }

    #[test]
    fn png_up_predictor() {
        let mut d = Dictionary::new();
        d.set("Predictor", 12);
        d.set("Columns", 2);
        let data = vec![2, 1, 2, 2, 1, 1];
        let out = predict(data, Some(&d), 100)
            .ok()
            .flatten()
            .unwrap_or_default();
        assert_eq!(out, [1, 2, 2, 3]);
    }
}
