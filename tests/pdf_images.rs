//! Images drawn on image-only pages, decoded for OCR: one synthetic PDF per filter and
//! colour space, built here with its encoded data.

use std::io::Write;

use lopdf::{dictionary, Dictionary, Document, Object, Stream};
use ogi_report::extract::pdf::{dpi_of, extract, PageImage, PdfError, PdfLimits, PdfPage};

#[path = "common/a4_pdf.rs"]
mod a4_pdf;

/// A PDF of A4 pages; `build` adds the objects and gives each page's content and resources.
fn make_pdf(build: impl FnOnce(&mut Document) -> Vec<(Vec<u8>, Dictionary)>) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages = build(&mut doc);
    let pages = pages
        .into_iter()
        .map(|(content, resources)| (content, Object::Dictionary(resources)))
        .collect();
    a4_pdf::a4_pdf(doc, pages)
}

/// One page drawing image XObject `dict` + `data` as /Im0 with `cm`.
fn one_image(dict: Dictionary, data: Vec<u8>, cm: &str) -> Vec<u8> {
    let cm = cm.to_string();
    make_pdf(move |doc| {
        let mut dict = dict;
        dict.set("Type", "XObject");
        dict.set("Subtype", "Image");
        let im = doc.add_object(Stream::new(dict, data));
        let content = format!("q {cm} cm /Im0 Do Q").into_bytes();
        vec![(
            content,
            dictionary! { "XObject" => dictionary! { "Im0" => im } },
        )]
    })
}

fn images_limits() -> PdfLimits {
    PdfLimits {
        decode_images: true,
        ..PdfLimits::default()
    }
}

/// The only page of an image PDF.
fn page(pdf: &[u8]) -> PdfPage {
    let mut t = extract(pdf, &images_limits()).expect("extract");
    assert_eq!(t.pages.len(), 1);
    t.pages.remove(0)
}

/// The only image of the only page.
fn image(pdf: &[u8]) -> PageImage {
    let p = page(pdf);
    assert!(p.lines.is_empty());
    assert_eq!(p.images.len(), 1, "notes: {:?}", p.image_notes);
    p.images.into_iter().next().expect("image")
}

fn flate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("deflate");
    e.finish().expect("deflate")
}

fn jpeg(pixels: &[u8], w: u32, h: u32, color: image::ExtendedColorType) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
        .encode(pixels, w, h, color)
        .expect("jpeg");
    out
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

fn close(a: u8, b: u8, tol: u8) -> bool {
    a.abs_diff(b) <= tol
}

/// A 16×16 CMYK JPEG of pure red ink (C 0, M 100 %, Y 100 %, K 0) as Pillow writes it:
/// an Adobe APP14 marker and inverted samples.
const CMYK_RED_JPEG: &[&str] = &[
    "ffd8ffee000e41646f626500640000000000ffdb00430002010101010102010101020202020204030202020205040403",
    "04060506060605060606070908060709070606080b08090a0a0a0a0a06080b0c0b0a0c090a0a0affc000140800100010",
    "044311004d11005911004b1100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc4",
    "00b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c115",
    "52d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a63646566",
    "6768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2",
    "c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda000e0443004d005900",
    "4b00003f00fdfcafe7febf9ffafdfca28a28a28a28a28a28afffd9",
];

#[test]
fn jpeg_gray_and_rgb_with_placement_and_dpi() {
    // 400 × 200 px placed at 144 × 72 pt: 200 dpi. Left half black, right half white.
    let (w, h) = (400u32, 200u32);
    let gray: Vec<u8> = (0..w * h)
        .map(|i| if i % w < w / 2 { 0 } else { 255 })
        .collect();
    let dict = dictionary! {
        "Width" => w as i64, "Height" => h as i64, "BitsPerComponent" => 8,
        "ColorSpace" => "DeviceGray", "Filter" => "DCTDecode",
    };
    let pdf = one_image(
        dict,
        jpeg(&gray, w, h, image::ExtendedColorType::L8),
        "144 0 0 72 100 500",
    );
    let img = image(&pdf);
    assert_eq!((img.width, img.height, img.channels), (w, h, 1));
    assert_eq!(img.ctm, [144.0, 0.0, 0.0, 72.0, 100.0, 500.0]);
    let (dx, dy) = dpi_of(&img);
    assert!((dx - 200.0).abs() < 0.01 && (dy - 200.0).abs() < 0.01);
    assert!(close(img.pixels[10], 0, 4) && close(img.pixels[390], 255, 4));
    assert!(close(
        img.pixels[(h as usize - 1) * w as usize + 390],
        255,
        4
    ));

    // RGB: a red square, 150 dpi on a rotated placement (90°).
    let (w, h) = (32u32, 16u32);
    let rgb: Vec<u8> = (0..w * h).flat_map(|_| [255u8, 0, 0]).collect();
    let dict = dictionary! {
        "Width" => w as i64, "Height" => h as i64, "BitsPerComponent" => 8,
        "ColorSpace" => "DeviceRGB", "Filter" => "DCTDecode",
    };
    let pdf = one_image(
        dict,
        jpeg(&rgb, w, h, image::ExtendedColorType::Rgb8),
        "0 15.36 -7.68 0 300 300",
    );
    let img = image(&pdf);
    assert_eq!((img.width, img.height, img.channels), (w, h, 3));
    let (dx, dy) = dpi_of(&img);
    assert!(
        (dx - 150.0).abs() < 0.01 && (dy - 150.0).abs() < 0.01,
        "{dx} {dy}"
    );
    let px = &img.pixels[3 * 40..3 * 41];
    assert!(
        close(px[0], 255, 6) && close(px[1], 0, 6) && close(px[2], 0, 6),
        "{px:?}"
    );
}

#[test]
fn cmyk_jpeg_with_an_inverting_decode_array() {
    let data = hex(&CMYK_RED_JPEG.concat());
    let dict = dictionary! {
        "Width" => 16, "Height" => 16, "BitsPerComponent" => 8,
        "ColorSpace" => "DeviceCMYK", "Filter" => "DCTDecode",
        "Decode" => vec![1.into(), 0.into(), 1.into(), 0.into(), 1.into(), 0.into(), 1.into(), 0.into()],
    };
    let img = image(&one_image(dict, data, "16 0 0 16 0 0"));
    assert_eq!((img.width, img.height, img.channels), (16, 16, 3));
    let px = &img.pixels[3 * 17..3 * 18];
    assert!(
        close(px[0], 255, 4) && close(px[1], 0, 4) && close(px[2], 0, 4),
        "{px:?}"
    );
}

/// PNG "Up" and "Paeth" rows (filter types 2 and 4), as a PNG predictor expects them.
fn png_rows(raw: &[u8], row_len: usize, bpp: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let zero = vec![0u8; row_len];
    for (y, row) in raw.chunks(row_len).enumerate() {
        let prev = if y == 0 {
            &zero[..]
        } else {
            &raw[(y - 1) * row_len..y * row_len]
        };
        let kind = if y % 2 == 0 { 2u8 } else { 4 };
        out.push(kind);
        for i in 0..row_len {
            let (a, b) = (if i >= bpp { row[i - bpp] } else { 0 }, prev[i]);
            let c = if i >= bpp { prev[i - bpp] } else { 0 };
            let pred = if kind == 2 {
                b
            } else {
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
            };
            out.push(row[i].wrapping_sub(pred));
        }
    }
    out
}

#[test]
fn flate_with_png_predictor_rgb_exact() {
    let (w, h) = (5usize, 4usize);
    let raw: Vec<u8> = (0..w * h * 3).map(|i| (i * 37 % 251) as u8).collect();
    let data = flate(&png_rows(&raw, w * 3, 3));
    let dict = dictionary! {
        "Width" => w as i64, "Height" => h as i64, "BitsPerComponent" => 8,
        "ColorSpace" => "DeviceRGB", "Filter" => "FlateDecode",
        "DecodeParms" => dictionary! { "Predictor" => 15, "Colors" => 3, "BitsPerComponent" => 8, "Columns" => w as i64 },
    };
    let img = image(&one_image(dict, data, "50 0 0 40 0 0"));
    assert_eq!((img.channels, img.pixels.len()), (3, raw.len()));
    assert_eq!(img.pixels, raw);
}

#[test]
fn lzw_ascii85_ascii_hex_and_run_length_chains() {
    let (w, h) = (6usize, 3usize);
    let raw: Vec<u8> = (0..w * h).map(|i| (i * 13) as u8).collect();
    // LZW (early change, as PDF's default) under ASCII85.
    let lzw = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
        .encode(&raw)
        .expect("lzw");
    let dict = dictionary! {
        "Width" => w as i64, "Height" => h as i64, "BitsPerComponent" => 8,
        "ColorSpace" => "DeviceGray",
        "Filter" => vec!["ASCII85Decode".into(), "LZWDecode".into()],
    };
    let img = image(&one_image(dict, ascii85(&lzw), "6 0 0 3 0 0"));
    assert_eq!(img.pixels, raw);
    // Run length (one literal run, one repeat) under ASCIIHex.
    let mut rl = vec![(w * h - 4 - 1) as u8];
    rl.extend_from_slice(&raw[..w * h - 4]);
    rl.extend_from_slice(&[(257 - 4) as u8, 7, 128]);
    let mut expect = raw[..w * h - 4].to_vec();
    expect.extend_from_slice(&[7; 4]);
    let hexed: String = rl.iter().map(|b| format!("{b:02x}")).collect::<String>() + ">";
    let dict = dictionary! {
        "Width" => w as i64, "Height" => h as i64, "BitsPerComponent" => 8,
        "ColorSpace" => "DeviceGray",
        "Filter" => vec!["ASCIIHexDecode".into(), "RunLengthDecode".into()],
    };
    let img = image(&one_image(dict, hexed.into_bytes(), "6 0 0 3 0 0"));
    assert_eq!(img.pixels, expect);
}

fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(4) {
        let mut b = [0u8; 4];
        b[..chunk.len()].copy_from_slice(chunk);
        let mut v = u32::from_be_bytes(b);
        let mut d = [0u8; 5];
        for slot in d.iter_mut().rev() {
            *slot = (v % 85) as u8 + b'!';
            v /= 85;
        }
        out.extend_from_slice(&d[..chunk.len() + 1]);
    }
    out.extend_from_slice(b"~>");
    out
}

/// Rows of a 1-bit test pattern: true = black.
fn pattern(w: usize, h: usize) -> Vec<Vec<bool>> {
    (0..h)
        .map(|y| (0..w).map(|x| (x / 3 + y) % 4 == 0 || x == y).collect())
        .collect()
}

fn g4(rows: &[Vec<bool>]) -> Vec<u8> {
    use fax::{encoder::Encoder, Color, VecWriter};
    let w = rows[0].len() as u32;
    let mut e = Encoder::new(VecWriter::new());
    for r in rows {
        let pels = r
            .iter()
            .map(|&b| if b { Color::Black } else { Color::White });
        e.encode_line(pels, w).expect("encode");
    }
    e.finish().expect("finish").finish()
}

fn assert_bilevel(img: &PageImage, rows: &[Vec<bool>]) {
    assert_eq!(img.channels, 1);
    let w = img.width as usize;
    for (y, r) in rows.iter().enumerate() {
        for (x, &black) in r.iter().enumerate() {
            let want = if black { 0 } else { 255 };
            assert_eq!(img.pixels[y * w + x], want, "pixel {x},{y}");
        }
    }
}

#[test]
fn ccitt_group4_and_black_is_1() {
    let (w, h) = (37usize, 20usize);
    let rows = pattern(w, h);
    let data = g4(&rows);
    let dict = |extra: Dictionary, decode: bool| {
        let mut parms = dictionary! { "K" => -1, "Columns" => w as i64, "Rows" => h as i64 };
        for (k, v) in extra.iter() {
            parms.set(k.clone(), v.clone());
        }
        let mut d = dictionary! {
            "Width" => w as i64, "Height" => h as i64, "BitsPerComponent" => 1,
            "ColorSpace" => "DeviceGray", "Filter" => "CCITTFaxDecode", "DecodeParms" => parms,
        };
        if decode {
            d.set("Decode", vec![1.into(), 0.into()]);
        }
        d
    };
    let img = image(&one_image(
        dict(dictionary! {}, false),
        data.clone(),
        "37 0 0 20 0 0",
    ));
    assert_eq!((img.width, img.height), (w as u32, h as u32));
    assert_bilevel(&img, &rows);
    // BlackIs1 makes the filter write 1 for black; with /Decode [1 0] it shows black again.
    let img = image(&one_image(
        dict(dictionary! { "BlackIs1" => true }, true),
        data,
        "37 0 0 20 0 0",
    ));
    assert_bilevel(&img, &rows);
}

/// A JBIG2 stream (embedded organisation): a page information segment and one immediate
/// generic region coded with MMR (G4 with 1 = black).
fn jbig2(rows: &[Vec<bool>]) -> Vec<u8> {
    let (w, h) = (rows[0].len() as u32, rows.len() as u32);
    let segment = |number: u32, kind: u8, data: &[u8]| {
        let mut s = number.to_be_bytes().to_vec();
        s.extend_from_slice(&[kind, 0, 1]);
        s.extend_from_slice(&(data.len() as u32).to_be_bytes());
        s.extend_from_slice(data);
        s
    };
    let mut info = Vec::new();
    for v in [w, h, 0, 0] {
        info.extend_from_slice(&v.to_be_bytes());
    }
    info.extend_from_slice(&[0, 0, 0]);
    let mut region = Vec::new();
    for v in [w, h, 0, 0] {
        region.extend_from_slice(&v.to_be_bytes());
    }
    region.extend_from_slice(&[0, 1]);
    region.extend_from_slice(&g4(rows));
    let mut out = segment(0, 48, &info);
    out.extend_from_slice(&segment(1, 38, &region));
    out
}

#[test]
fn jbig2_generic_region() {
    let (w, h) = (24usize, 10usize);
    let rows = pattern(w, h);
    let dict = dictionary! {
        "Width" => w as i64, "Height" => h as i64, "BitsPerComponent" => 1,
        "ColorSpace" => "DeviceGray", "Filter" => "JBIG2Decode",
    };
    let img = image(&one_image(dict, jbig2(&rows), "24 0 0 10 0 0"));
    assert_bilevel(&img, &rows);
}

#[test]
fn inline_image_mask_paints_black_and_decode_inverts() {
    // 8 × 2 stencil: row 0 = 0x0F, row 1 = 0xF0; sample 0 paints (black).
    let pdf = make_pdf(|_| {
        vec![(
            b"q 8 0 0 2 10 10 cm BI /W 8 /H 2 /IM true /F /AHx ID 0FF0> EI Q               q 8 0 0 2 30 10 cm BI /W 8 /H 2 /IM true /D [1 0] /F /AHx ID 0FF0> EI Q"
                .to_vec(),
            dictionary! {},
        )]
    });
    let p = page(&pdf);
    assert_eq!(p.images.len(), 2, "{:?}", p.image_notes);
    let row0 = [0, 0, 0, 0, 255, 255, 255, 255];
    let row1 = [255, 255, 255, 255, 0, 0, 0, 0];
    assert_eq!(p.images[0].pixels, [row0, row1].concat());
    assert_eq!(p.images[1].pixels, [row1, row0].concat());
    assert_eq!(p.images[1].ctm, [8.0, 0.0, 0.0, 2.0, 30.0, 10.0]);
}

#[test]
fn indexed_images_rgb_and_gray_palettes() {
    // 2 bits per index, 5 wide (rows padded to 2 bytes), 2 rows.
    let palette = vec![0u8, 0, 0, 255, 0, 0, 0, 255, 0, 255, 255, 255];
    let idx = [[0u8, 1, 2, 3, 1], [3, 3, 2, 1, 0]];
    let pack = |r: &[u8; 5]| {
        let mut v: u16 = 0;
        for (i, &x) in r.iter().enumerate() {
            v |= u16::from(x) << (14 - 2 * i);
        }
        v.to_be_bytes()
    };
    let data = [pack(&idx[0]), pack(&idx[1])].concat();
    let dict = dictionary! {
        "Width" => 5, "Height" => 2, "BitsPerComponent" => 2,
        "ColorSpace" => vec!["Indexed".into(), "DeviceRGB".into(), 3.into(), Object::String(palette.clone(), lopdf::StringFormat::Hexadecimal)],
    };
    let img = image(&one_image(dict, data.clone(), "5 0 0 2 0 0"));
    assert_eq!(img.channels, 3);
    let want: Vec<u8> = idx
        .iter()
        .flatten()
        .flat_map(|&i| palette[3 * i as usize..3 * i as usize + 3].to_vec())
        .collect();
    assert_eq!(img.pixels, want);
    // A gray palette (as a stream) gives one channel.
    let pdf = make_pdf(|doc| {
        let lookup = doc.add_object(Stream::new(dictionary! {}, vec![0, 85, 170, 255]));
        let im = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 5, "Height" => 2,
                "BitsPerComponent" => 2,
                "ColorSpace" => vec!["Indexed".into(), "DeviceGray".into(), 3.into(), lookup.into()],
            },
            data,
        ));
        vec![(
            b"/Im0 Do".to_vec(),
            dictionary! { "XObject" => dictionary! { "Im0" => im } },
        )]
    });
    let img = image(&pdf);
    assert_eq!(img.channels, 1);
    assert_eq!(img.pixels, [0, 85, 170, 255, 85, 255, 255, 170, 85, 0]);
}

/// Colour space, bits per component, data, /Decode, expected channels and pixels.
type Case = (Object, i64, Vec<u8>, Option<Vec<f32>>, u8, Vec<u8>);

#[test]
fn colour_spaces_and_bit_depths() {
    let cases: Vec<Case> = vec![
        // CMYK: white, cyan, black.
        (
            "DeviceCMYK".into(),
            8,
            vec![0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 255],
            None,
            3,
            vec![255, 255, 255, 0, 255, 255, 0, 0, 0],
        ),
        // 16-bit gray.
        (
            "DeviceGray".into(),
            16,
            vec![0, 0, 0x80, 0x00, 0xFF, 0xFF],
            None,
            1,
            vec![0, 128, 255],
        ),
        // 4-bit gray with an inverting Decode: 0 → white, 15 → black.
        (
            "DeviceGray".into(),
            4,
            vec![0x0F, 0x70],
            Some(vec![1.0, 0.0]),
            1,
            vec![255, 0, 136],
        ),
        // Separation: tint 0 is white, 1 black.
        (
            vec![
                "Separation".into(),
                "Spot".into(),
                "DeviceGray".into(),
                dictionary! { "FunctionType" => 2 }.into(),
            ]
            .into(),
            8,
            vec![0, 255, 128],
            None,
            1,
            vec![255, 0, 127],
        ),
        // CalRGB.
        (
            vec![
                "CalRGB".into(),
                dictionary! { "WhitePoint" => vec![0.95.into(), 1.into(), 1.09.into()] }.into(),
            ]
            .into(),
            8,
            vec![1, 2, 3, 4, 5, 6, 7, 8, 9],
            None,
            3,
            vec![1, 2, 3, 4, 5, 6, 7, 8, 9],
        ),
    ];
    for (cs, bpc, data, decode, channels, want) in cases {
        let mut dict = dictionary! {
            "Width" => 3, "Height" => 1, "BitsPerComponent" => bpc, "ColorSpace" => cs.clone(),
        };
        if let Some(d) = decode {
            dict.set(
                "Decode",
                d.into_iter().map(Object::Real).collect::<Vec<_>>(),
            );
        }
        let img = image(&one_image(dict, data, "3 0 0 1 0 0"));
        assert_eq!((img.channels, &img.pixels), (channels, &want), "{cs:?}");
    }
    // ICCBased by /N (the profile itself is not read).
    let pdf = make_pdf(|doc| {
        let icc = doc.add_object(Stream::new(
            dictionary! { "N" => 1 },
            b"not a profile".to_vec(),
        ));
        let im = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 1,
                "BitsPerComponent" => 8, "ColorSpace" => vec!["ICCBased".into(), icc.into()],
            },
            vec![10, 200],
        ));
        vec![(
            b"/Im0 Do".to_vec(),
            dictionary! { "XObject" => dictionary! { "Im0" => im } },
        )]
    });
    assert_eq!(image(&pdf).pixels, [10, 200]);
}

#[test]
fn image_in_nested_form_has_the_combined_ctm() {
    let pdf = make_pdf(|doc| {
        let im = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
                "BitsPerComponent" => 8, "ColorSpace" => "DeviceGray",
            },
            vec![0, 50, 100, 150],
        ));
        let form = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
                "Matrix" => vec![2.into(), 0.into(), 0.into(), 2.into(), 10.into(), 10.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => im } },
            },
            b"q 50 0 0 25 0 0 cm /Im0 Do Q".to_vec(),
        ));
        vec![(
            b"q 1 0 0 1 100 100 cm /Fm0 Do Q".to_vec(),
            dictionary! { "XObject" => dictionary! { "Fm0" => form } },
        )]
    });
    let img = image(&pdf);
    assert_eq!(img.ctm, [100.0, 0.0, 0.0, 50.0, 110.0, 110.0]);
    assert_eq!(img.pixels, [0, 50, 100, 150]);
}

#[test]
fn only_pages_without_text_get_images_and_no_text_stays_an_error_by_default() {
    let pdf = make_pdf(|doc| {
        let im = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 1,
                "BitsPerComponent" => 8, "ColorSpace" => "DeviceGray",
            },
            vec![0, 255],
        ));
        let font =
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
        let res = dictionary! { "XObject" => dictionary! { "Im0" => im }, "Font" => dictionary! { "F1" => font } };
        vec![
            (
                b"/Im0 Do BT /F1 12 Tf 72 700 Td (Hello) Tj ET".to_vec(),
                res.clone(),
            ),
            (b"/Im0 Do".to_vec(), res.clone()),
            (b"/Im0 Do".to_vec(), res),
        ]
    });
    let t = extract(&pdf, &images_limits()).expect("extract");
    let counts: Vec<usize> = t.pages.iter().map(|p| p.images.len()).collect();
    assert_eq!(counts, [0, 1, 1]);
    assert_eq!(t.pages[0].lines.len(), 1);
    // Without decode_images: no images anywhere.
    let t = extract(&pdf, &PdfLimits::default()).expect("extract");
    assert!(t.pages.iter().all(|p| p.images.is_empty()));
    // An image-only document is still NoText unless images are asked for.
    let scan = one_image(
        dictionary! { "Width" => 1, "Height" => 1, "BitsPerComponent" => 8, "ColorSpace" => "DeviceGray" },
        vec![0],
        "1 0 0 1 0 0",
    );
    assert!(matches!(
        extract(&scan, &PdfLimits::default()),
        Err(PdfError::NoText)
    ));
    assert_eq!(page(&scan).images.len(), 1);
}

#[test]
fn truncated_and_garbage_streams_give_notes() {
    // Flate cut in half: the whole rows it holds, the rest white, and a note.
    let (w, h) = (64usize, 100usize);
    let raw: Vec<u8> = (0..w * h).map(|i| (i * 7 % 200) as u8).collect();
    let z = flate(&raw);
    let gray = |filter: &str| {
        dictionary! {
            "Width" => w as i64, "Height" => h as i64, "BitsPerComponent" => 8,
            "ColorSpace" => "DeviceGray", "Filter" => filter,
        }
    };
    let p = page(&one_image(
        gray("FlateDecode"),
        z[..z.len() / 2].to_vec(),
        "64 0 0 100 0 0",
    ));
    assert_eq!(p.images.len(), 1);
    assert!(
        p.image_notes[0].contains("data ends after"),
        "{:?}",
        p.image_notes
    );
    let img = &p.images[0];
    assert_eq!(&img.pixels[..w], &raw[..w]);
    assert_eq!(img.pixels[w * h - 1], 255);
    // Garbage for each codec: a note, never a panic.
    for (filter, want) in [
        ("DCTDecode", "JPEG"),
        ("JBIG2Decode", "JBIG2"),
        ("JPXDecode", "not decoded"),
        ("FlateDecode", "less than one row"),
    ] {
        let p = page(&one_image(
            gray(filter),
            b"garbage!".to_vec(),
            "64 0 0 100 0 0",
        ));
        assert!(p.images.is_empty(), "{filter}");
        assert!(
            p.image_notes.len() == 1 && p.image_notes[0].contains(want),
            "{filter}: {:?}",
            p.image_notes
        );
    }
    // Damaged data of each codec, cut and flipped at many places: no panic.
    let rows = pattern(40, 30);
    let jpg = jpeg(&raw, w as u32, h as u32, image::ExtendedColorType::L8);
    let streams = [
        ("CCITTFaxDecode", g4(&rows)),
        ("JBIG2Decode", jbig2(&rows)),
        ("DCTDecode", jpg),
        ("FlateDecode", z),
    ];
    for (filter, data) in streams {
        let mut dict = gray(filter);
        dict.set("DecodeParms", dictionary! { "K" => -1, "Columns" => 40 });
        for k in 0..24usize {
            let mut d = data.clone();
            let at = k * 7919 % d.len();
            if k % 2 == 0 {
                d.truncate(at);
            } else {
                d[at] ^= 0x5A;
                let at2 = (at * 31 + 5) % d.len();
                d[at2] = d[at2].wrapping_add(99);
            }
            let pdf = one_image(dict.clone(), d, "40 0 0 30 0 0");
            let p = page(&pdf);
            assert!(p.images.len() + p.image_notes.len() >= 1, "{filter} {k}");
        }
    }
}

#[test]
fn limits_give_notes_without_allocating() {
    // 10¹⁰ pixels declared: refused from the dictionary, nothing allocated.
    let dict = dictionary! {
        "Width" => 100_000, "Height" => 100_000, "BitsPerComponent" => 8,
        "ColorSpace" => "DeviceGray", "Filter" => "FlateDecode",
    };
    let p = page(&one_image(dict, flate(&[0; 1000]), "100 0 0 100 0 0"));
    assert!(p.images.is_empty());
    assert!(
        p.image_notes[0].contains("more than 80000000"),
        "{:?}",
        p.image_notes
    );
    // A JPEG larger than its dictionary says is checked on its own size too.
    let big = jpeg(
        &vec![128; 3000 * 3000],
        3000,
        3000,
        image::ExtendedColorType::L8,
    );
    let dict = dictionary! {
        "Width" => 10, "Height" => 10, "BitsPerComponent" => 8,
        "ColorSpace" => "DeviceGray", "Filter" => "DCTDecode",
    };
    let limits = PdfLimits {
        images: ogi_report::extract::pdf::ImageLimits {
            max_pixels: 1_000_000,
            ..Default::default()
        },
        ..images_limits()
    };
    let t = extract(&one_image(dict, big, "10 0 0 10 0 0"), &limits).expect("extract");
    assert!(t.pages[0].images.is_empty());
    assert!(
        t.pages[0].image_notes[0].contains("JPEG of 3000×3000"),
        "{:?}",
        t.pages[0].image_notes
    );
    // The page's byte budget: the second image is left out.
    let pdf = make_pdf(|doc| {
        let im = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 100, "Height" => 100,
                "BitsPerComponent" => 8, "ColorSpace" => "DeviceGray",
            },
            vec![9; 10_000],
        ));
        let im2 = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 100, "Height" => 100,
                "BitsPerComponent" => 8, "ColorSpace" => "DeviceGray",
            },
            vec![9; 10_000],
        ));
        vec![(
            b"/Im0 Do /Im1 Do /Im0 Do".to_vec(),
            dictionary! { "XObject" => dictionary! { "Im0" => im, "Im1" => im2 } },
        )]
    });
    let limits = PdfLimits {
        images: ogi_report::extract::pdf::ImageLimits {
            max_bytes_per_page: 25_000,
            ..Default::default()
        },
        ..images_limits()
    };
    let t = extract(&pdf, &limits).expect("extract");
    assert_eq!(t.pages[0].images.len(), 2);
    assert_eq!(
        t.pages[0].image_notes.len(),
        1,
        "{:?}",
        t.pages[0].image_notes
    );
    assert!(t.pages[0].image_notes[0].contains("draw 3"));
}

#[test]
fn inline_image_with_a_named_colour_space_and_flate() {
    let z = flate(&[10, 20, 30, 40, 50, 60]);
    let mut content = b"q 2 0 0 1 0 0 cm BI /W 2 /H 1 /BPC 8 /CS /Cs1 /F /Fl /L ".to_vec();
    content.extend_from_slice(format!("{} ID ", z.len()).as_bytes());
    content.extend_from_slice(&z);
    content.extend_from_slice(b"\nEI Q");
    let pdf = make_pdf(move |_| {
        vec![(
            content,
            dictionary! { "ColorSpace" => dictionary! { "Cs1" => "DeviceRGB" } },
        )]
    });
    let img = image(&pdf);
    assert_eq!(
        (img.channels, img.pixels.as_slice()),
        (3, &[10u8, 20, 30, 40, 50, 60][..])
    );
}

#[test]
fn corpus_scan_gives_one_150_dpi_image_per_page() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scans/2024-huaian-hongze-district");
    let pdf = std::fs::read(dir.join("scanned-150.pdf")).expect("corpus scan");
    let t = extract(&pdf, &images_limits()).expect("extract");
    assert_eq!(t.pages.len(), 5);
    for p in &t.pages {
        assert!(
            p.lines.is_empty() && p.image_notes.is_empty(),
            "{:?}",
            p.image_notes
        );
        assert_eq!(p.images.len(), 1, "page {}", p.number);
        let img = &p.images[0];
        let (dx, dy) = dpi_of(img);
        assert!(
            (dx - 150.0).abs() < 0.5 && (dy - 150.0).abs() < 0.5,
            "page {}: {dx} {dy}",
            p.number
        );
        assert_eq!(img.channels, 3);
    }
    // Page 3 is the picture next to the PDF, as another decoder reads it.
    let jpg = image::load_from_memory(&std::fs::read(dir.join("scanned-150-p3.jpg")).expect("jpg"))
        .expect("decode")
        .to_rgb8();
    let img = &t.pages[2].images[0];
    assert_eq!((img.width, img.height), jpg.dimensions());
    let diff: u64 = img
        .pixels
        .iter()
        .zip(jpg.as_raw())
        .map(|(a, b)| u64::from(a.abs_diff(*b)))
        .sum();
    let mean = diff as f64 / img.pixels.len() as f64;
    assert!(mean < 1.0, "mean difference {mean}");
}
