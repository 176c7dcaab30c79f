//! The raster images drawn on a page, decoded to 8-bit gray or RGB (for OCR of scans).
//!
//! The interpreter only records each draw ([`ImageDraw`]: which image, and where); this
//! module decodes them. The stream's filter chain goes through the bounded decoders of
//! `decode.rs` (Flate, LZW, RunLength, ASCIIHex, ASCII85, with PNG/TIFF predictors), then the
//! image codec that may end it (DCTDecode, CCITTFaxDecode, JBIG2Decode; JPXDecode is noted,
//! not decoded), then the samples (1, 2, 4, 8 or 16 bits; the colour spaces of [`color`])
//! become bytes where 0 is black and 255 white.
//!
//! Nothing here panics on bad data or allocates past [`ImageLimits`]: an image's size is
//! checked before any buffer is made for it. Data that ends early keeps the complete rows
//! it has, the rest of the image white, with a note; an image that cannot be decoded at all
//! is left out, with a note. Soft masks (/SMask) are ignored.

mod codecs;
mod color;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::decode::{decode, decode_first, filters, TooLarge};
pub use super::interp::{ImageDraw, ImageSource};
use super::interp::{PageData, MAX_DRAWS_PER_PAGE, MAX_INLINE_BYTES_PER_PAGE};
use super::objects::{deref, dict_get, num, raw_data};
use super::types::ImageLimits;
use color::ColorSpace;

/// A raster image drawn on a page, decoded to 8-bit samples.
#[derive(Clone)]
pub struct PageImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// 1 (gray) or 3 (RGB) samples per pixel, row-major, top row first; 0 = black,
    /// 255 = white (/Decode and image-mask semantics applied so that this holds).
    pub channels: u8,
    /// `width × height × channels` bytes.
    pub pixels: Vec<u8>,
    /// Where the image's unit square lands in page space (the CTM at the draw, the space of
    /// the glyph boxes: y up). The top row of `pixels` is the square's edge y = 1.
    pub ctm: [f32; 6],
}

impl fmt::Debug for PageImage {
    // The pixels are megabytes: only their count is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("channels", &self.channels)
            .field("pixels", &self.pixels.len())
            .field("ctm", &self.ctm)
            .finish()
    }
}

/// Pixels per inch of an image as placed: (across its rows, along its columns); 0 for a
/// degenerate placement.
#[cfg_attr(not(feature = "unstable"), allow(dead_code))] // for the OCR stage
pub fn dpi_of(img: &PageImage) -> (f32, f32) {
    let [a, b, c, d, _, _] = img.ctm;
    let per_inch = |px: u32, pt: f32| {
        if pt > 0.0 && pt.is_finite() {
            px as f32 * 72.0 / pt
        } else {
            0.0
        }
    };
    (
        per_inch(img.width, (a * a + b * b).sqrt()),
        per_inch(img.height, (c * c + d * d).sqrt()),
    )
}

/// Decodes the images drawn on a page, in drawing order; and one note for each image that
/// could not be decoded (or only in part), saying why.
pub fn decode_draws(
    doc: &Document,
    file: &[u8],
    draws: &[ImageDraw],
    limits: &ImageLimits,
) -> (Vec<PageImage>, Vec<String>) {
    let mut images: Vec<PageImage> = Vec::new();
    let mut notes = Vec::new();
    let mut left = limits.max_bytes_per_page;
    // An XObject drawn again is decoded once (its index in `images`).
    let mut seen: HashMap<ObjectId, usize> = HashMap::new();
    for (n, draw) in draws.iter().enumerate() {
        let what = match draw.source {
            ImageSource::XObject((num, gen)) => format!("image {num} {gen} R (draw {})", n + 1),
            ImageSource::Inline { .. } => format!("inline image (draw {})", n + 1),
        };
        if let ImageSource::XObject(id) = draw.source {
            if let Some(img) = seen.get(&id).and_then(|&i| images.get(i)) {
                if img.pixels.len() > left {
                    notes.push(format!(
                        "{what}: over the page's {} bytes of images",
                        limits.max_bytes_per_page
                    ));
                    continue;
                }
                left -= img.pixels.len();
                let again = PageImage {
                    ctm: draw.ctm,
                    ..img.clone()
                };
                images.push(again);
                continue;
            }
        }
        // A decoder of another crate that panics on some input costs that image only.
        let r = catch_unwind(AssertUnwindSafe(|| {
            decode_one(doc, file, draw, limits, left)
        }));
        match r {
            Ok(Ok((img, note))) => {
                if let Some(note) = note {
                    notes.push(format!("{what}: {note}"));
                }
                left = left.saturating_sub(img.pixels.len());
                if let ImageSource::XObject(id) = draw.source {
                    seen.insert(id, images.len());
                }
                images.push(img);
            }
            Ok(Err(why)) => notes.push(format!("{what}: {why}")),
            Err(_) => notes.push(format!("{what}: the decoder failed on its data")),
        }
    }
    (images, notes)
}

/// The images of a page as the interpreter recorded them, with a note for draws it did
/// not record.
pub(super) fn page_images(
    doc: &Document,
    file: &[u8],
    pd: &PageData,
    limits: &ImageLimits,
) -> (Vec<PageImage>, Vec<String>) {
    let (images, mut notes) = decode_draws(doc, file, &pd.draws, limits);
    if pd.draws_dropped > 0 {
        notes.push(format!(
            "{} image draws not recorded (more than {MAX_DRAWS_PER_PAGE} draws, or more than \
             {MAX_INLINE_BYTES_PER_PAGE} bytes of inline images, on the page)",
            pd.draws_dropped
        ));
    }
    (images, notes)
}

/// The image codec a filter name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Codec {
    Dct,
    Ccitt,
    Jbig2,
    Jpx,
}

fn codec(name: &[u8]) -> Option<Codec> {
    match name {
        b"DCTDecode" | b"DCT" => Some(Codec::Dct),
        b"CCITTFaxDecode" | b"CCF" => Some(Codec::Ccitt),
        b"JBIG2Decode" => Some(Codec::Jbig2),
        b"JPXDecode" => Some(Codec::Jpx),
        _ => None,
    }
}

/// The /DecodeParms dictionary of filter `i` (references followed).
fn parms<'a>(doc: &'a Document, dict: &'a Dictionary, i: usize) -> Option<&'a Dictionary> {
    let p = dict_get(doc, dict, b"DecodeParms").or_else(|| dict_get(doc, dict, b"DP"))?;
    let p = match p {
        Object::Array(a) => deref(doc, a.get(i)?),
        other if i == 0 => other,
        _ => return None,
    };
    match p {
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

/// One image decoded, with a note when only in part; or why it was not.
type Decoded = Result<(PageImage, Option<String>), String>;

fn decode_one(
    doc: &Document,
    file: &[u8],
    draw: &ImageDraw,
    limits: &ImageLimits,
    left: usize,
) -> Decoded {
    let (dict, data): (&Dictionary, &[u8]) = match &draw.source {
        ImageSource::XObject(id) => match doc.get_object(*id) {
            Ok(Object::Stream(s)) => (&s.dict, raw_data(file, s)),
            _ => return Err("not an image stream".into()),
        },
        ImageSource::Inline { dict, data } => (dict, data),
    };
    let int = |k: &[u8]| dict_get(doc, dict, k).and_then(|o| o.as_i64().ok());
    let size = |k: &[u8]| {
        int(k)
            .and_then(|v| u32::try_from(v).ok())
            .filter(|v| *v > 0)
    };
    let (Some(w), Some(h)) = (size(b"Width"), size(b"Height")) else {
        return Err("no valid /Width and /Height".into());
    };
    let pixels = u64::from(w) * u64::from(h);
    if pixels > limits.max_pixels {
        return Err(format!(
            "{w}×{h} pixels, more than {} (not decoded)",
            limits.max_pixels
        ));
    }
    let mask = matches!(
        dict_get(doc, dict, b"ImageMask"),
        Some(Object::Boolean(true))
    );
    let names = filters(dict);
    let (pre, codec) = match names.iter().position(|n| codec(n).is_some()) {
        Some(i) if i + 1 == names.len() => (i, codec(&names[i])),
        Some(_) => return Err("an image codec is not the last filter".into()),
        None => (names.len(), None),
    };
    if codec == Some(Codec::Jpx) {
        return Err("JPXDecode (JPEG 2000): not decoded".into());
    }
    let bpc = if mask {
        1
    } else {
        match int(b"BitsPerComponent") {
            Some(b) => u32::try_from(b).unwrap_or(0),
            None if matches!(codec, Some(Codec::Ccitt | Codec::Jbig2)) => 1,
            None => 8,
        }
    };
    if !matches!(bpc, 1 | 2 | 4 | 8 | 16) {
        return Err(format!("{bpc} bits per component"));
    }
    let cs = if mask {
        Some(ColorSpace::Gray)
    } else {
        match dict_get(doc, dict, b"ColorSpace") {
            Some(o) => Some(ColorSpace::parse(doc, file, o)?),
            None if codec.is_some() => None,
            None => return Err("no /ColorSpace".into()),
        }
    };
    // Bytes of samples the image holds: the decoded chain may be a little longer (padding)
    // but never much (a bomb is refused at twice the size).
    let comps = cs.as_ref().map_or(3, ColorSpace::components) as u64;
    let row_bytes = (u64::from(w) * comps * u64::from(bpc)).div_ceil(8);
    let expected = row_bytes.saturating_mul(u64::from(h));
    let bound =
        usize::try_from(expected.saturating_mul(2).saturating_add(1 << 20)).unwrap_or(usize::MAX);
    let stage: Cow<[u8]> = if pre == 0 {
        Cow::Borrowed(data)
    } else {
        match decode_first(dict, data, bound, pre) {
            Ok(Some(d)) => Cow::Owned(d),
            Ok(None) => {
                let chain: Vec<String> = names
                    .iter()
                    .take(pre)
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .collect();
                return Err(format!(
                    "filters {} not supported or data unusable",
                    chain.join(", ")
                ));
            }
            Err(TooLarge) => return Err(format!("data decodes to more than {bound} bytes")),
        }
    };
    let decode_arr: Option<Vec<f32>> = match dict_get(doc, dict, b"Decode") {
        Some(Object::Array(a)) => a.iter().map(|o| num(doc, o)).collect(),
        _ => None,
    };
    let mut note = None;
    let (w, h, samples, bpc, cs, rows) = match codec {
        None => {
            let cs = cs.ok_or("no /ColorSpace")?;
            (w, h, stage, bpc, cs, h)
        }
        Some(Codec::Dct) => {
            let j = codecs::jpeg(&stage, limits.max_pixels)?;
            if (j.width, j.height) != (w, h) {
                note = Some(format!(
                    "JPEG is {}×{}, the image dictionary says {w}×{h}: the JPEG's size is used",
                    j.width, j.height
                ));
            }
            let cs = match cs {
                Some(c) if c.components() == j.components => c,
                _ => ColorSpace::by_components(j.components)
                    .ok_or("JPEG with an unusual number of components")?,
            };
            (j.width, j.height, Cow::Owned(j.data), 8, cs, j.height)
        }
        Some(Codec::Ccitt) => {
            let (bits, rows) = codecs::ccitt(doc, &stage, parms(doc, dict, pre), w, h)?;
            (w, h, Cow::Owned(bits), 1, one_component(cs), rows)
        }
        Some(Codec::Jbig2) => {
            let globals = parms(doc, dict, pre)
                .and_then(|p| dict_get(doc, p, b"JBIG2Globals"))
                .map(|g| match g {
                    Object::Stream(s) => decode(&s.dict, raw_data(file, s), bound)
                        .ok()
                        .flatten()
                        .ok_or("JBIG2Globals not decodable"),
                    _ => Err("JBIG2Globals is not a stream"),
                })
                .transpose()?;
            let (bits, rows) = codecs::jbig2(&stage, globals.as_deref(), w, h, limits.max_pixels)?;
            (w, h, Cow::Owned(bits), 1, one_component(cs), rows)
        }
        Some(Codec::Jpx) => return Err("JPXDecode (JPEG 2000): not decoded".into()),
    };
    let channels = cs.channels();
    let out_len = u64::from(w) * u64::from(h) * u64::from(channels);
    if out_len > left as u64 {
        return Err(format!(
            "{out_len} bytes of pixels, more than the {left} left of the page's budget"
        ));
    }
    let (pixels, full) = to_pixels(&samples, w, h, bpc, &cs, decode_arr.as_deref())?;
    let full = full.min(rows);
    if full < h {
        let n = format!("data ends after {full} of {h} rows (the rest is white)");
        note = Some(match note {
            Some(prev) => format!("{prev}; {n}"),
            None => n,
        });
    }
    Ok((
        PageImage {
            width: w,
            height: h,
            channels,
            pixels,
            ctm: draw.ctm,
        },
        note,
    ))
}

/// The colour space of a 1-bit codec's output: the image's own if it has one component,
/// else gray.
fn one_component(cs: Option<ColorSpace>) -> ColorSpace {
    cs.filter(|c| c.components() == 1)
        .unwrap_or(ColorSpace::Gray)
}

/// Samples (rows padded to whole bytes) → output pixels; and how many complete rows the
/// samples held (missing rows are white).
fn to_pixels(
    samples: &[u8],
    w: u32,
    h: u32,
    bpc: u32,
    cs: &ColorSpace,
    decode: Option<&[f32]>,
) -> Result<(Vec<u8>, u32), String> {
    let n = cs.components();
    let ch = usize::from(cs.channels());
    let (w, hu) = (w as usize, h as usize);
    let per_row = w * n;
    let row_bytes = (per_row * bpc as usize).div_ceil(8);
    if row_bytes == 0 {
        return Err("empty rows".into());
    }
    let full = (samples.len() / row_bytes).min(hu);
    if full == 0 {
        return Err(format!(
            "{} bytes of data, less than one row ({row_bytes} bytes)",
            samples.len()
        ));
    }
    let mut out = vec![255u8; w * hu * ch];
    let luts = cs.luts(bpc, decode);
    let identity = bpc == 8
        && matches!(cs, ColorSpace::Gray | ColorSpace::Rgb)
        && luts
            .iter()
            .all(|l| l.iter().enumerate().all(|(i, &v)| v as usize == i));
    let mut comps = vec![0u8; per_row];
    for (y, row) in samples.chunks_exact(row_bytes).take(full).enumerate() {
        let dst = &mut out[y * w * ch..(y + 1) * w * ch];
        if identity {
            dst.copy_from_slice(&row[..per_row]);
            continue;
        }
        unpack(row, bpc, &mut comps);
        for px in comps.chunks_exact_mut(n) {
            for (v, lut) in px.iter_mut().zip(&luts) {
                *v = lut[usize::from(*v)];
            }
        }
        cs.convert_row(&comps, dst);
    }
    Ok((out, full as u32))
}

/// One row's samples, one byte each (16-bit samples by their high byte).
fn unpack(row: &[u8], bpc: u32, out: &mut [u8]) {
    match bpc {
        8 => {
            let n = out.len().min(row.len());
            out[..n].copy_from_slice(&row[..n]);
        }
        16 => {
            for (o, pair) in out.iter_mut().zip(row.chunks_exact(2)) {
                *o = pair[0];
            }
        }
        _ => {
            let per = (8 / bpc) as usize;
            let mask = ((1u32 << bpc) - 1) as u8;
            for (chunk, &b) in out.chunks_mut(per).zip(row) {
                for (k, o) in chunk.iter_mut().enumerate() {
                    let shift = 8 - bpc as usize * (k + 1);
                    *o = (b >> shift) & mask;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpack_bit_depths() {
        let mut o = [0u8; 10];
        unpack(&[0b1010_0000, 0b1100_0000], 1, &mut o);
        assert_eq!(o, [1, 0, 1, 0, 0, 0, 0, 0, 1, 1]);
        let mut o = [0u8; 3];
        unpack(&[0b1101_0011], 2, &mut o);
        assert_eq!(o, [3, 1, 0]);
        let mut o = [0u8; 2];
        unpack(&[0xAB, 0xCD, 0xEF, 0x01], 16, &mut o);
        assert_eq!(o, [0xAB, 0xEF]);
    }

    #[test]
    fn short_data_keeps_whole_rows_and_pads_white() {
        let (px, full) =
            to_pixels(&[0, 0, 0, 10], 3, 3, 8, &ColorSpace::Gray, None).expect("pixels");
        assert_eq!(full, 1);
        assert_eq!(px, [0, 0, 0, 255, 255, 255, 255, 255, 255]);
        assert!(to_pixels(&[0, 0], 3, 3, 8, &ColorSpace::Gray, None).is_err());
    }

    #[test]
    fn dpi_from_the_placement() {
        let img = PageImage {
            width: 1654,
            height: 2339,
            channels: 1,
            pixels: Vec::new(),
            ctm: [595.44, 0.0, 0.0, 842.04, 0.0, 0.0],
        };
        let (x, y) = dpi_of(&img);
        assert!(
            (x - 200.0).abs() < 0.1 && (y - 200.0).abs() < 0.1,
            "{x} {y}"
        );
    }
}
