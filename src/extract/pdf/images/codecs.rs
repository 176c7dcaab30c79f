//! The image codecs that end a filter chain: JPEG (zune-jpeg), CCITT fax (hayro-ccitt) and
//! JBIG2 (hayro-jbig2). Each checks the image's size against the pixel limit before it
//! allocates, and returns samples as the PDF filter defines them.

use lopdf::{Dictionary, Document, Object};
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace as ZColor;
use zune_core::options::DecoderOptions;

use super::super::objects::dict_get;

/// A decoded JPEG: 8-bit samples, `components` per pixel (1 gray, 3 RGB, 4 CMYK as stored:
/// Adobe's inverted CMYK stays inverted, as PDF wants it; the image's /Decode undoes it).
pub struct Jpeg {
    pub width: u32,
    pub height: u32,
    pub components: usize,
    pub data: Vec<u8>,
}

/// Decodes a DCTDecode stream. YCbCr becomes RGB and YCCK becomes CMYK (the colour
/// transforms of the JPEG itself); CMYK is not converted here.
pub fn jpeg(data: &[u8], max_pixels: u64) -> Result<Jpeg, String> {
    let opts = DecoderOptions::default()
        .set_strict_mode(false)
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX));
    let mut d = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(data), opts);
    d.decode_headers().map_err(|e| format!("JPEG: {e}"))?;
    let (w, h) = d.dimensions().ok_or("JPEG without a size")?;
    let (width, height) = (
        u32::try_from(w).map_err(|_| "JPEG too wide")?,
        u32::try_from(h).map_err(|_| "JPEG too tall")?,
    );
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(format!(
            "JPEG of {width}×{height} pixels, more than {max_pixels}"
        ));
    }
    let input = d.input_colorspace().ok_or("JPEG without a colour space")?;
    let (out, components) = match input {
        ZColor::Luma | ZColor::LumaA => (ZColor::Luma, 1),
        ZColor::CMYK => (ZColor::CMYK, 4),
        // Kept as YCCK (zune-jpeg's YCCK → RGB assumes inverted ink); made CMYK below.
        ZColor::YCCK => (ZColor::YCCK, 4),
        _ => (ZColor::RGB, 3),
    };
    let mut d = zune_jpeg::JpegDecoder::new_with_options(
        ZCursor::new(data),
        opts.jpeg_set_out_colorspace(out),
    );
    let mut pixels = d.decode().map_err(|e| format!("JPEG: {e}"))?;
    if input == ZColor::YCCK {
        for px in pixels.chunks_exact_mut(4) {
            let (y, cb, cr) = (
                f32::from(px[0]),
                f32::from(px[1]) - 128.0,
                f32::from(px[2]) - 128.0,
            );
            let r = y + 1.402 * cr;
            let g = y - 0.344_136 * cb - 0.714_136 * cr;
            let b = y + 1.772 * cb;
            px[0] = 255 - r.round().clamp(0.0, 255.0) as u8;
            px[1] = 255 - g.round().clamp(0.0, 255.0) as u8;
            px[2] = 255 - b.round().clamp(0.0, 255.0) as u8;
        }
    }
    let expected = (w * h).saturating_mul(components);
    if pixels.len() < expected {
        // zune-jpeg fills what it could not decode; a short buffer would be a bug there.
        pixels.resize(expected, 0);
    }
    pixels.truncate(expected);
    Ok(Jpeg {
        width,
        height,
        components,
        data: pixels,
    })
}

/// 1-bit rows (each `width.div_ceil(8)` bytes) for `height` rows, every bit `white` until a
/// decoder writes it, and how many rows the decoder gave.
struct Bits {
    data: Vec<u8>,
    row_bytes: usize,
    width: u32,
    height: u32,
    rows: u32,
    /// The bit value written for black.
    black: bool,
}

impl Bits {
    fn new(width: u32, height: u32, black: bool) -> Bits {
        let row_bytes = (width as usize).div_ceil(8);
        let white = if black { 0x00 } else { 0xFF };
        Bits {
            data: vec![white; row_bytes * height as usize],
            row_bytes,
            width,
            height,
            rows: 0,
            black,
        }
    }

    /// Sets pixels x0..x1 of the current row to black.
    fn black_span(&mut self, x0: u32, x1: u32) {
        let (x0, x1) = (x0.min(self.width) as usize, x1.min(self.width) as usize);
        if x0 >= x1 || self.rows >= self.height {
            return;
        }
        let start = self.rows as usize * self.row_bytes;
        let Some(row) = self.data.get_mut(start..start + self.row_bytes) else {
            return;
        };
        let black = self.black;
        let set = |b: &mut u8, mask: u8| {
            if black {
                *b |= mask
            } else {
                *b &= !mask
            }
        };
        let (first, last) = (x0 / 8, (x1 - 1) / 8);
        let head = 0xFFu8 >> (x0 % 8);
        let tail = 0xFFu8 << (7 - (x1 - 1) % 8);
        if first == last {
            if let Some(b) = row.get_mut(first) {
                set(b, head & tail);
            }
            return;
        }
        if let Some(b) = row.get_mut(first) {
            set(b, head);
        }
        if let Some(mid) = row.get_mut(first + 1..last) {
            mid.fill(if black { 0xFF } else { 0x00 });
        }
        if let Some(b) = row.get_mut(last) {
            set(b, tail);
        }
    }
}

impl hayro_ccitt::Decoder for Bits {
    fn push_row(&mut self, changes: &[u32]) {
        if self.rows >= self.height {
            return;
        }
        for pair in changes.chunks(2) {
            let x0 = pair[0];
            let x1 = pair.get(1).copied().unwrap_or(self.width);
            self.black_span(x0, x1);
        }
        self.rows += 1;
    }
}

/// Decodes a CCITTFaxDecode stream to 1-bit rows as the filter defines them (0 is black
/// unless /BlackIs1), and the number of rows decoded (the rest are white).
pub fn ccitt(
    doc: &Document,
    data: &[u8],
    parms: Option<&Dictionary>,
    width: u32,
    height: u32,
) -> Result<(Vec<u8>, u32), String> {
    let int = |k: &[u8], d: i64| {
        parms
            .and_then(|p| dict_get(doc, p, k))
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(d)
    };
    let flag = |k: &[u8], d: bool| match parms.and_then(|p| dict_get(doc, p, k)) {
        Some(Object::Boolean(b)) => *b,
        _ => d,
    };
    let k = int(b"K", 0);
    let columns = u32::try_from(int(b"Columns", 1728))
        .ok()
        .filter(|c| (1..=1 << 20).contains(c))
        .ok_or("CCITT /Columns out of range")?;
    let rows = u32::try_from(int(b"Rows", 0)).unwrap_or(0);
    let settings = hayro_ccitt::DecodeSettings {
        columns,
        rows: if rows > 0 { rows.min(height) } else { height },
        end_of_block: flag(b"EndOfBlock", true),
        end_of_line: flag(b"EndOfLine", false),
        rows_are_byte_aligned: flag(b"EncodedByteAlign", false),
        encoding: match k {
            k if k < 0 => hayro_ccitt::EncodingMode::Group4,
            0 => hayro_ccitt::EncodingMode::Group3_1D,
            _ => hayro_ccitt::EncodingMode::Group3_2D,
        },
        strict: false,
    };
    let mut bits = Bits::new(width, height, flag(b"BlackIs1", false));
    let mut ctx = hayro_ccitt::DecoderContext::new(settings);
    let r = hayro_ccitt::decode(data, &mut bits, &mut ctx);
    if bits.rows == 0 {
        return Err(match r {
            Err(e) => format!("CCITT: {e}"),
            Ok(_) => "CCITT: no rows decoded".into(),
        });
    }
    Ok((bits.data, bits.rows))
}

/// JBIG2 rows: pixels pushed one by one or in byte chunks.
struct Jbig2Rows {
    bits: Bits,
    x: u32,
}

impl hayro_jbig2::Decoder for Jbig2Rows {
    fn push_pixel(&mut self, black: bool) {
        if black {
            self.bits.black_span(self.x, self.x.saturating_add(1));
        }
        self.x = self.x.saturating_add(1);
    }

    fn push_pixel_chunk(&mut self, black: bool, chunk_count: u32) {
        let n = chunk_count.saturating_mul(8);
        if black {
            self.bits.black_span(self.x, self.x.saturating_add(n));
        }
        self.x = self.x.saturating_add(n);
    }

    fn next_line(&mut self) {
        self.x = 0;
        self.bits.rows = self.bits.rows.saturating_add(1);
    }
}

/// Decodes a JBIG2Decode stream (embedded organisation, with its /JBIG2Globals data) to
/// 1-bit rows where 0 is black, as the PDF filter defines them; and the rows decoded.
pub fn jbig2(
    data: &[u8],
    globals: Option<&[u8]>,
    width: u32,
    height: u32,
    max_pixels: u64,
) -> Result<(Vec<u8>, u32), String> {
    let settings = hayro_jbig2::DecodeSettings::default();
    let globals = match globals {
        Some(g) => Some(
            hayro_jbig2::Globals::new(g, &settings).map_err(|e| format!("JBIG2 globals: {e}"))?,
        ),
        None => None,
    };
    let page = hayro_jbig2::Page::new_embedded(data, globals.as_ref(), &settings)
        .map_err(|e| format!("JBIG2: {e}"))?;
    let (pw, ph) = (page.width(), page.height());
    if u64::from(pw) * u64::from(ph) > max_pixels {
        return Err(format!(
            "JBIG2 page of {pw}×{ph} pixels, more than {max_pixels}"
        ));
    }
    // JBIG2 writes 1 for black; the PDF filter's output has 0 for black.
    let mut rows = Jbig2Rows {
        bits: Bits::new(width, height, false),
        x: 0,
    };
    page.decode(&mut rows).map_err(|e| format!("JBIG2: {e}"))?;
    let decoded = rows.bits.rows.min(height);
    Ok((rows.bits.data, decoded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn black_spans_set_the_right_bits() {
        let mut b = Bits::new(20, 1, false);
        b.black_span(3, 13);
        assert_eq!(b.data, [0b1110_0000, 0b0000_0111, 0xFF]);
        let mut b = Bits::new(8, 1, true);
        b.black_span(2, 4);
        assert_eq!(b.data, [0b0011_0000]);
        b.black_span(7, 99);
        assert_eq!(b.data, [0b0011_0001]);
    }
}
