//! Image colour spaces, reduced to what OCR needs: 8-bit gray or RGB where 0 is black.
//!
//! Samples go through two steps. A per-component table maps each sample (after /Decode) to
//! a byte: for a device or tint component the value in [0, 1] times 255, for L* the value
//! in [0, 100] scaled to 0..255, for an Indexed image the palette index. A row of those
//! bytes is then converted to output pixels ([`ColorSpace::convert_row`]).

use lopdf::{Document, Object};

use super::super::decode::decode;
use super::super::objects::{deref, dict_get, num, raw_data};

/// Largest Indexed lookup stream read, in bytes (256 entries of up to 32 components).
const MAX_LOOKUP: usize = 256 * 32;

/// A colour space as far as decoding to gray/RGB goes.
#[derive(Debug, Clone, PartialEq)]
pub enum ColorSpace {
    /// DeviceGray, CalGray, ICCBased with 1 component (and image masks).
    Gray,
    /// DeviceRGB, CalRGB, ICCBased with 3 components.
    Rgb,
    /// DeviceCMYK, ICCBased with 4 components: to RGB naively, (1 − c)(1 − k).
    Cmyk,
    /// CIE L*a*b*: gray by L* alone (an approximation).
    Lab,
    /// A palette already converted to output pixels (`channels` bytes per entry).
    Indexed {
        hival: u8,
        channels: u8,
        palette: Vec<u8>,
    },
    /// Separation (n = 1) or DeviceN: gray by the ink laid down, ∏(1 − tint) (the tint
    /// transform is not run: an approximation). `none`: the colourant is /None, nothing
    /// shows.
    Tint { n: usize, none: bool },
}

impl ColorSpace {
    /// The colour space of an image's /ColorSpace value.
    pub fn parse(doc: &Document, file: &[u8], o: &Object) -> Result<ColorSpace, String> {
        parse(doc, file, o, 0)
    }

    /// The device space with `n` components (a JPEG without /ColorSpace).
    pub fn by_components(n: usize) -> Option<ColorSpace> {
        match n {
            1 => Some(ColorSpace::Gray),
            3 => Some(ColorSpace::Rgb),
            4 => Some(ColorSpace::Cmyk),
            _ => None,
        }
    }

    /// Components per sample.
    pub fn components(&self) -> usize {
        match self {
            ColorSpace::Gray | ColorSpace::Indexed { .. } => 1,
            ColorSpace::Rgb | ColorSpace::Lab => 3,
            ColorSpace::Cmyk => 4,
            ColorSpace::Tint { n, .. } => *n,
        }
    }

    /// Bytes per output pixel: 1 (gray) or 3 (RGB).
    pub fn channels(&self) -> u8 {
        match self {
            ColorSpace::Gray | ColorSpace::Lab | ColorSpace::Tint { .. } => 1,
            ColorSpace::Rgb | ColorSpace::Cmyk => 3,
            ColorSpace::Indexed { channels, .. } => *channels,
        }
    }

    /// Per-component tables from a sample value to the component byte (see the module
    /// comment). 16-bit samples are looked up by their high byte. `decode` is the image's
    /// /Decode array (ignored unless it has two numbers per component).
    pub fn luts(&self, bpc: u32, decode: Option<&[f32]>) -> Vec<[u8; 256]> {
        let n = self.components();
        let bits = bpc.min(8);
        let maxv = ((1u32 << bits) - 1) as f32;
        let decode = decode.filter(|d| d.len() == 2 * n);
        (0..n)
            .map(|i| {
                let (lo, hi) = match decode {
                    Some(d) => (d[2 * i], d[2 * i + 1]),
                    None => match self {
                        ColorSpace::Indexed { .. } => (0.0, maxv),
                        ColorSpace::Lab if i == 0 => (0.0, 100.0),
                        _ => (0.0, 1.0),
                    },
                };
                let mut lut = [0u8; 256];
                for (s, slot) in lut.iter_mut().enumerate().take(maxv as usize + 1) {
                    let v = lo + (s as f32) * (hi - lo) / maxv;
                    let b = match self {
                        ColorSpace::Indexed { hival, .. } => {
                            v.round().clamp(0.0, f32::from(*hival))
                        }
                        ColorSpace::Lab if i == 0 => (v / 100.0 * 255.0).round().clamp(0.0, 255.0),
                        _ => (v * 255.0).round().clamp(0.0, 255.0),
                    };
                    *slot = b as u8;
                }
                lut
            })
            .collect()
    }

    /// Converts one row of component bytes (`components()` per pixel) to output pixels
    /// (`channels()` per pixel).
    pub fn convert_row(&self, comps: &[u8], out: &mut [u8]) {
        match self {
            ColorSpace::Gray | ColorSpace::Rgb => {
                let n = out.len().min(comps.len());
                out[..n].copy_from_slice(&comps[..n]);
            }
            ColorSpace::Cmyk => {
                for (px, o) in comps.chunks_exact(4).zip(out.chunks_exact_mut(3)) {
                    let k = 255 - px[3];
                    o[0] = mul(255 - px[0], k);
                    o[1] = mul(255 - px[1], k);
                    o[2] = mul(255 - px[2], k);
                }
            }
            ColorSpace::Lab => {
                for (px, o) in comps.chunks_exact(3).zip(out.iter_mut()) {
                    *o = px[0];
                }
            }
            ColorSpace::Indexed {
                channels, palette, ..
            } => {
                let ch = usize::from(*channels);
                for (&i, o) in comps.iter().zip(out.chunks_exact_mut(ch)) {
                    let at = usize::from(i) * ch;
                    if let Some(p) = palette.get(at..at + ch) {
                        o.copy_from_slice(p);
                    }
                }
            }
            ColorSpace::Tint { n, none } => {
                if *none || *n == 0 {
                    out.fill(255);
                    return;
                }
                for (px, o) in comps.chunks_exact(*n).zip(out.iter_mut()) {
                    *o = px.iter().fold(255u8, |acc, &t| mul(acc, 255 - t));
                }
            }
        }
    }
}

/// a × b / 255, rounded.
fn mul(a: u8, b: u8) -> u8 {
    let t = u32::from(a) * u32::from(b) + 128;
    ((t + (t >> 8)) >> 8) as u8
}

fn parse(doc: &Document, file: &[u8], o: &Object, depth: usize) -> Result<ColorSpace, String> {
    if depth > 4 {
        return Err("colour space nested too deeply".into());
    }
    match deref(doc, o) {
        Object::Name(n) => by_name(n),
        Object::Array(a) => {
            let family = match a.first().map(|f| deref(doc, f)) {
                Some(Object::Name(n)) => n.as_slice(),
                _ => return Err("colour space array without a family name".into()),
            };
            match family {
                b"CalGray" => Ok(ColorSpace::Gray),
                b"CalRGB" => Ok(ColorSpace::Rgb),
                b"Lab" => Ok(ColorSpace::Lab),
                b"ICCBased" => {
                    let d = match a.get(1).map(|s| deref(doc, s)) {
                        Some(Object::Stream(s)) => &s.dict,
                        _ => return Err("ICCBased without a profile stream".into()),
                    };
                    let n = dict_get(doc, d, b"N").and_then(|o| o.as_i64().ok());
                    match n.and_then(|n| ColorSpace::by_components(usize::try_from(n).ok()?)) {
                        Some(cs) => Ok(cs),
                        None => match dict_get(doc, d, b"Alternate") {
                            Some(alt) => parse(doc, file, alt, depth + 1),
                            None => Err(format!("ICCBased with /N {n:?}")),
                        },
                    }
                }
                b"Indexed" | b"I" => indexed(doc, file, a, depth),
                b"Separation" => {
                    let none = matches!(a.get(1).map(|o| deref(doc, o)), Some(Object::Name(n)) if n == b"None");
                    Ok(ColorSpace::Tint { n: 1, none })
                }
                b"DeviceN" => {
                    let names = match a.get(1).map(|o| deref(doc, o)) {
                        Some(Object::Array(names)) => names,
                        _ => return Err("DeviceN without colourant names".into()),
                    };
                    if names.is_empty() || names.len() > 32 {
                        return Err(format!("DeviceN with {} colourants", names.len()));
                    }
                    let none = names
                        .iter()
                        .all(|o| matches!(deref(doc, o), Object::Name(n) if n == b"None"));
                    Ok(ColorSpace::Tint {
                        n: names.len(),
                        none,
                    })
                }
                // `[/DeviceRGB]` and the like.
                other if a.len() == 1 => by_name(other),
                other => Err(format!(
                    "colour space /{} not supported",
                    String::from_utf8_lossy(other)
                )),
            }
        }
        _ => Err("colour space is neither a name nor an array".into()),
    }
}

fn by_name(n: &[u8]) -> Result<ColorSpace, String> {
    match n {
        b"DeviceGray" | b"G" | b"CalGray" => Ok(ColorSpace::Gray),
        b"DeviceRGB" | b"RGB" | b"CalRGB" => Ok(ColorSpace::Rgb),
        b"DeviceCMYK" | b"CMYK" => Ok(ColorSpace::Cmyk),
        other => Err(format!(
            "colour space /{} not supported",
            String::from_utf8_lossy(other)
        )),
    }
}

/// `[/Indexed base hival lookup]`: the palette converted to output pixels now; a gray
/// palette gives gray output.
fn indexed(doc: &Document, file: &[u8], a: &[Object], depth: usize) -> Result<ColorSpace, String> {
    let base = parse(
        doc,
        file,
        a.get(1).ok_or("Indexed without a base colour space")?,
        depth + 1,
    )?;
    if matches!(base, ColorSpace::Indexed { .. }) {
        return Err("Indexed over Indexed".into());
    }
    let hival = a
        .get(2)
        .and_then(|o| num(doc, o))
        .ok_or("Indexed without hival")?
        .clamp(0.0, 255.0) as u8;
    let lookup: Vec<u8> = match a.get(3).map(|o| deref(doc, o)) {
        Some(Object::String(s, _)) => s.clone(),
        Some(Object::Stream(s)) => decode(&s.dict, raw_data(file, s), MAX_LOOKUP)
            .ok()
            .flatten()
            .ok_or("Indexed lookup stream not decodable")?,
        _ => return Err("Indexed without a lookup table".into()),
    };
    let n = base.components();
    let ch = usize::from(base.channels());
    let entries = usize::from(hival) + 1;
    // The lookup bytes are component values as the base's tables make them (0..255 for
    // [0, 1]): through an identity table, straight to the base's conversion.
    let mut comps = vec![0u8; entries * n];
    let have = comps.len().min(lookup.len());
    comps[..have].copy_from_slice(&lookup[..have]);
    let mut palette = vec![0u8; entries * ch];
    base.convert_row(&comps, &mut palette);
    if ch == 3
        && palette
            .chunks_exact(3)
            .all(|p| p[0] == p[1] && p[1] == p[2])
    {
        palette = palette.chunks_exact(3).map(|p| p[0]).collect();
        return Ok(ColorSpace::Indexed {
            hival,
            channels: 1,
            palette,
        });
    }
    Ok(ColorSpace::Indexed {
        hival,
        channels: ch as u8,
        palette,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmyk_and_tint_conversions() {
        let mut out = [0u8; 6];
        ColorSpace::Cmyk.convert_row(&[0, 0, 0, 0, 255, 0, 0, 0], &mut out);
        assert_eq!(out, [255, 255, 255, 0, 255, 255]);
        let mut g = [0u8; 2];
        ColorSpace::Tint { n: 1, none: false }.convert_row(&[0, 255], &mut g);
        assert_eq!(g, [255, 0]);
    }

    #[test]
    fn decode_arrays_and_bit_depths() {
        let l = ColorSpace::Gray.luts(1, Some(&[1.0, 0.0]));
        assert_eq!((l[0][0], l[0][1]), (255, 0));
        let l = ColorSpace::Gray.luts(4, None);
        assert_eq!((l[0][0], l[0][15]), (0, 255));
        let idx = ColorSpace::Indexed {
            hival: 3,
            channels: 1,
            palette: vec![0; 4],
        };
        let l = idx.luts(8, None);
        assert_eq!((l[0][2], l[0][200]), (2, 3));
    }
}
