//! Image files (PNG, JPEG, TIFF with any number of pages; GIF, BMP and WebP as pictures in web pages) → gray page rasters with their
//! resolution.

use std::io::Cursor;

use super::raster::{Gray, PageRaster};

/// A decoded page and its pixels per inch.
#[derive(Debug, Clone)]
pub(crate) struct ImagePage {
    /// The page.
    pub raster: PageRaster,
    /// Pixels per inch (from the file, else guessed from an A4 page's width).
    pub dpi: f32,
    /// Whether the resolution was guessed.
    pub dpi_guessed: bool,
}

/// Largest image accepted, in pixels (a 600-dpi A3 page is 70 million).
pub(crate) const MAX_PIXELS: u64 = 100_000_000;
/// Most pages read from one TIFF.
pub(crate) const MAX_PAGES: usize = 500;

/// Whether the bytes start like an image file this module reads.
pub(crate) fn is_image(b: &[u8]) -> bool {
    b.starts_with(b"\x89PNG\r\n\x1a\n")
        || b.starts_with(&[0xFF, 0xD8, 0xFF])
        || b.starts_with(b"II*\0")
        || b.starts_with(b"MM\0*")
        || b.starts_with(b"GIF87a")
        || b.starts_with(b"GIF89a")
        || (b.starts_with(b"BM")
            && b.get(14..18).is_some_and(|h| {
                // the DIB header's size: one of the header versions there are
                let n = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
                matches!(n, 12 | 40 | 52 | 56 | 64 | 108 | 124)
            }))
        || (b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP"))
}

/// The pages of an image file.
pub(crate) fn decode(bytes: &[u8]) -> Result<Vec<ImagePage>, String> {
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return decode_tiff(bytes);
    }
    let format = image::guess_format(bytes).map_err(|e| e.to_string())?;
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| e.to_string())?;
    let rgb = img.to_rgb8();
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    let gray = PageRaster::from_samples(w, h, 3, rgb.as_raw()).ok_or("bad image size")?;
    let found = if bytes.starts_with(b"\x89PNG") {
        png_dpi(bytes)
    } else {
        jpeg_dpi(bytes)
    };
    Ok(vec![page(gray, found)])
}

fn page(raster: PageRaster, found: Option<f32>) -> ImagePage {
    match found.filter(|d| (50.0..=2400.0).contains(d)) {
        Some(dpi) => ImagePage {
            raster,
            dpi,
            dpi_guessed: false,
        },
        // an A4 page, portrait or landscape: the shorter side is 8.27 in
        None => {
            let (w, h) = (raster.seen.w, raster.seen.h);
            let dpi = (w.min(h) as f32 / 8.27).clamp(50.0, 1200.0);
            ImagePage {
                raster,
                dpi,
                dpi_guessed: true,
            }
        }
    }
}

/// JFIF APP0 density (units 1 = per inch, 2 = per cm).
fn jpeg_dpi(b: &[u8]) -> Option<f32> {
    let i = memchr::memmem::find(b.get(..4096)?, b"JFIF\0")?;
    let d = b.get(i + 5..i + 12)?;
    let unit = d[2];
    let x = u16::from_be_bytes([d[3], d[4]]) as f32;
    match unit {
        1 => Some(x),
        2 => Some(x * 2.54),
        _ => None,
    }
}

/// PNG pHYs chunk (unit 1 = per metre).
fn png_dpi(b: &[u8]) -> Option<f32> {
    let i = memchr::memmem::find(b.get(..(1 << 20).min(b.len()))?, b"pHYs")?;
    let d = b.get(i + 4..i + 13)?;
    let x = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) as f32;
    (d[8] == 1).then_some(x * 0.0254)
}

fn decode_tiff(bytes: &[u8]) -> Result<Vec<ImagePage>, String> {
    use tiff::decoder::{Decoder, DecodingResult, Limits};
    use tiff::tags::Tag;
    let mut limits = Limits::default();
    limits.decoding_buffer_size = (MAX_PIXELS * 2) as usize;
    let mut dec = Decoder::new(Cursor::new(bytes))
        .map_err(|e| e.to_string())?
        .with_limits(limits);
    let mut pages = Vec::new();
    loop {
        let (w, h) = dec.dimensions().map_err(|e| e.to_string())?;
        if (w as u64) * (h as u64) > MAX_PIXELS {
            return Err(format!("a {w}×{h} page is larger than {MAX_PIXELS} pixels"));
        }
        let dpi = dec.get_tag_f32(Tag::XResolution).ok().map(|x| {
            match dec.get_tag_u32(Tag::ResolutionUnit).ok() {
                Some(3) => x * 2.54,
                _ => x,
            }
        });
        let colour = dec.colortype().map_err(|e| e.to_string())?;
        let data = dec.read_image().map_err(|e| e.to_string())?;
        let samples: Vec<u8> = match data {
            DecodingResult::U8(v) => v,
            DecodingResult::U16(v) => v.into_iter().map(|s| (s >> 8) as u8).collect(),
            _ => return Err("unsupported TIFF sample type".into()),
        };
        let (w, h) = (w as usize, h as usize);
        let gray = match colour {
            tiff::ColorType::Gray(1) => {
                // packed bits, rows padded to bytes; 0 is white unless WhiteIsZero says so
                let row = w.div_ceil(8);
                let white_is_zero = dec.get_tag_u32(Tag::PhotometricInterpretation).ok() == Some(0);
                let mut px = Vec::with_capacity(w * h);
                for y in 0..h {
                    for x in 0..w {
                        let bit = samples
                            .get(y * row + x / 8)
                            .map_or(0, |b| (b >> (7 - x % 8)) & 1);
                        let black = (bit == 1) == white_is_zero;
                        px.push(if black { 0 } else { 255 });
                    }
                }
                PageRaster::from_gray(Gray { w, h, px })
            }
            tiff::ColorType::Gray(_) => {
                PageRaster::from_samples(w, h, 1, &samples).ok_or("short TIFF")?
            }
            tiff::ColorType::RGB(_) => {
                PageRaster::from_samples(w, h, 3, &samples).ok_or("short TIFF")?
            }
            tiff::ColorType::RGBA(_) => {
                PageRaster::from_samples(w, h, 4, &samples).ok_or("short TIFF")?
            }
            other => return Err(format!("unsupported TIFF colour type {other:?}")),
        };
        pages.push(page(gray, dpi));
        if pages.len() >= MAX_PAGES || !dec.more_images() {
            break;
        }
        dec.next_image().map_err(|e| e.to_string())?;
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_with_density_is_read_with_its_dpi() {
        let img =
            image::GrayImage::from_fn(40, 30, |x, _| image::Luma([if x < 20 { 0 } else { 255 }]));
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert!(is_image(&png));
        let pages = decode(&png).unwrap();
        assert_eq!(pages.len(), 1);
        let g = &pages[0].raster.seen;
        assert_eq!((g.w, g.h), (40, 30));
        assert_eq!(g.px[0], 0);
        assert_eq!(g.px[39], 255);
        // no pHYs chunk: guessed from an A4 width
        assert!(pages[0].dpi_guessed);
    }

    #[test]
    fn garbage_after_an_image_signature_is_an_error_not_a_panic() {
        assert!(decode(b"\x89PNG\r\n\x1a\nnot really").is_err());
        assert!(decode(&[0xFF, 0xD8, 0xFF, 0, 1, 2]).is_err());
        assert!(decode(b"II*\0\x08\0\0\0garbage").is_err());
    }
}
