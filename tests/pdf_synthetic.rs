//! Small PDFs built in code, one feature each.

use lopdf::{dictionary, Dictionary, Document, Object, Stream};
use ogi_report::extract::pdf::{extract, PdfError, PdfLimits, PdfText};

#[path = "common/a4_pdf.rs"]
mod a4_pdf;

/// Builds a PDF whose pages (A4) have the given content streams and share the resources
/// returned by `setup`.
fn make_pdf(contents: &[&[u8]], setup: impl FnOnce(&mut Document) -> Dictionary) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let resources = setup(&mut doc);
    let res_id = doc.add_object(resources);
    let pages = contents
        .iter()
        .map(|c| (c.to_vec(), Object::Reference(res_id)))
        .collect();
    a4_pdf::a4_pdf(doc, pages)
}

fn helvetica() -> Dictionary {
    dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" }
}

/// STSong-Light in UniGB-UCS2-H, not embedded, no ToUnicode (as reportlab writes it).
fn stsong_ucs2(doc: &mut Document) -> Object {
    let desc = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 2 },
        "DW" => 1000,
        // CIDs 17..26 are the digits in Adobe-GB1: give them 462.
        "W" => vec![17.into(), 26.into(), 462.into()],
    });
    let f = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light",
        "Encoding" => "UniGB-UCS2-H", "DescendantFonts" => vec![desc.into()],
    });
    f.into()
}

fn resources_with(fonts: Dictionary) -> Dictionary {
    dictionary! { "Font" => fonts }
}

fn ucs2_hex(s: &str) -> String {
    let mut h = String::from("<");
    for u in s.encode_utf16() {
        h.push_str(&format!("{u:04X}"));
    }
    h.push('>');
    h
}

fn all_lines(t: &PdfText) -> Vec<String> {
    t.pages
        .iter()
        .flat_map(|p| p.lines.iter().map(|l| l.shown()))
        .collect()
}

fn run(pdf: &[u8]) -> PdfText {
    extract(pdf, &PdfLimits::default()).expect("extract")
}

#[test]
fn tounicode_bfchar_bfrange_identity_h() {
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <884C> <0002> <653F> endbfchar
2 beginbfrange <0003> <0004> [<8BB8> <53EF>] <0010> <0019> <0030> endbfrange
endcmap end end";
    let pdf = make_pdf(
        &[b"BT /F1 12 Tf 72 700 Td <0001000200030004> Tj 60 0 Td <0019001400180017> Tj ET"],
        |doc| {
            let tu = doc.add_object(Stream::new(dictionary! {}, cmap.to_vec()));
            let desc = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "SimSun",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            "DW" => 1000, "W" => vec![16.into(), 25.into(), 500.into()],
        });
            let f = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![desc.into()], "ToUnicode" => tu,
        });
            resources_with(dictionary! { "F1" => f })
        },
    );
    let t = run(&pdf);
    assert_eq!(all_lines(&t), vec!["行政许可 9487"]);
    assert_eq!(t.undecodable_glyphs, 0);
}

#[test]
fn unigb_ucs2_without_tounicode_and_digit_per_operator() {
    // Each digit its own Tj, moved by its width (462/1000 * 12): one number.
    let content = format!(
        "BT /F1 12 Tf 72 700 Td {} Tj ET BT /F1 12 Tf 200 700 Td (9) Tj 5.544 0 Td (4) Tj 5.544 0 Td (8) Tj 5.544 0 Td (7) Tj ET \
         BT /F1 12 Tf 72 650 Td {} Tj 40 0 Td (0) Tj 40 0 Td (0) Tj 40 0 Td (0) Tj ET",
        ucs2_hex("行政许可"),
        ucs2_hex("规章"),
    );
    // The digits above are 1-byte strings in a 2-byte font: write them as UCS-2 instead.
    let content = content
        .replace("(9)", &ucs2_hex("9"))
        .replace("(4)", &ucs2_hex("4"))
        .replace("(8)", &ucs2_hex("8"))
        .replace("(7)", &ucs2_hex("7"))
        .replace("(0)", &ucs2_hex("0"));
    let pdf = make_pdf(&[content.as_bytes()], |doc| {
        let f = stsong_ucs2(doc);
        resources_with(dictionary! { "F1" => f })
    });
    let t = run(&pdf);
    assert_eq!(all_lines(&t), vec!["行政许可 9487", "规章 0 0 0"]);
    assert_eq!(t.undecodable_glyphs, 0);
}

#[test]
fn gbk_euc_h_without_tounicode() {
    let (bytes, _, _) = encoding_rs::GBK.encode("行政规范性文件 2024");
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    let content = format!("BT /F1 12 Tf 72 700 Td <{hex}> Tj ET");
    let pdf = make_pdf(&[content.as_bytes()], |doc| {
        let desc = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "SimSun",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 2 },
            "DW" => 1000,
        });
        let f = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun", "Encoding" => "GBK-EUC-H",
            "DescendantFonts" => vec![desc.into()],
        });
        resources_with(dictionary! { "F1" => f })
    });
    let t = run(&pdf);
    assert_eq!(all_lines(&t), vec!["行政规范性文件 2024"]);
}

/// A TrueType font program holding only a `cmap` table (format 4).
fn tiny_truetype(map: &[(u16, u16)]) -> Vec<u8> {
    let mut sub = Vec::new();
    let seg_count = map.len() as u16 + 1;
    let mut ends = Vec::new();
    let mut starts = Vec::new();
    let mut deltas = Vec::new();
    for &(code, gid) in map {
        ends.push(code);
        starts.push(code);
        deltas.push(gid.wrapping_sub(code));
    }
    ends.push(0xffff);
    starts.push(0xffff);
    deltas.push(1);
    let len = 16 + 8 * seg_count as usize;
    for v in [4u16, len as u16, 0, seg_count * 2, 0, 0, 0] {
        sub.extend_from_slice(&v.to_be_bytes());
    }
    for v in &ends {
        sub.extend_from_slice(&v.to_be_bytes());
    }
    sub.extend_from_slice(&0u16.to_be_bytes());
    for v in starts.iter().chain(deltas.iter()) {
        sub.extend_from_slice(&v.to_be_bytes());
    }
    for _ in 0..seg_count {
        sub.extend_from_slice(&0u16.to_be_bytes());
    }
    let mut cmap = Vec::new();
    for v in [0u16, 1, 3, 1] {
        cmap.extend_from_slice(&v.to_be_bytes());
    }
    cmap.extend_from_slice(&12u32.to_be_bytes());
    cmap.extend_from_slice(&sub);
    let mut font = Vec::new();
    font.extend_from_slice(&0x00010000u32.to_be_bytes());
    for v in [1u16, 16, 0, 0] {
        font.extend_from_slice(&v.to_be_bytes());
    }
    font.extend_from_slice(b"cmap");
    font.extend_from_slice(&0u32.to_be_bytes());
    font.extend_from_slice(&28u32.to_be_bytes());
    font.extend_from_slice(&(cmap.len() as u32).to_be_bytes());
    font.extend_from_slice(&cmap);
    font
}

#[test]
fn identity_h_without_tounicode() {
    // No ToUnicode, glyph ids recovered through the embedded TrueType cmap; gid 9 is unknown.
    let pdf = make_pdf(&[b"BT /F1 12 Tf 72 700 Td <000500060009> Tj ET"], |doc| {
        let ff = doc.add_object(Stream::new(
            dictionary! {},
            tiny_truetype(&[(0x884C, 5), (0x653F, 6)]),
        ));
        let fd = doc.add_object(
            dictionary! { "Type" => "FontDescriptor", "FontName" => "X", "FontFile2" => ff },
        );
        let desc = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "X",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            "FontDescriptor" => fd, "CIDToGIDMap" => "Identity",
        });
        let f = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "X", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![desc.into()],
        });
        resources_with(dictionary! { "F1" => f })
    });
    let t = run(&pdf);
    assert_eq!(all_lines(&t), vec!["行政\u{FFFD}"]);
    assert_eq!(t.undecodable_glyphs, 1);
}

#[test]
fn simple_font_with_differences() {
    let pdf = make_pdf(&[b"BT /F1 12 Tf 72 700 Td (ABCD) Tj ET"], |doc| {
        let enc = doc.add_object(dictionary! {
            "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![65.into(), "uni4E2D".into(), "zero".into(), "one".into()],
        });
        let f = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Foo", "Encoding" => enc,
            "FirstChar" => 65, "Widths" => vec![1000.into(), 500.into(), 500.into(), 500.into()],
        });
        resources_with(dictionary! { "F1" => f })
    });
    assert_eq!(all_lines(&run(&pdf)), vec!["中01D"]);
}

/// Grid lines for a table: rows at `ys` (top first), columns at `xs`, plus the cell texts.
fn grid(xs: &[f32], ys: &[f32]) -> String {
    let mut s = String::from("0.5 w\n");
    for y in ys {
        s += &format!("{} {} m {} {} l S\n", xs[0], y, xs[xs.len() - 1], y);
    }
    for x in xs {
        s += &format!("{} {} m {} {} l S\n", x, ys[0], x, ys[ys.len() - 1]);
    }
    s
}

fn text_at(x: f32, y: f32, s: &str) -> String {
    format!("BT /F1 10 Tf {x} {y} Td {} Tj ET\n", ucs2_hex(s))
}

fn cjk_res(doc: &mut Document) -> Dictionary {
    let f = stsong_ucs2(doc);
    resources_with(dictionary! { "F1" => f, "F2" => helvetica() })
}

#[test]
fn ruled_table_with_blank_cell() {
    let xs = [72.0, 200.0, 300.0, 400.0];
    let ys = [700.0, 680.0, 660.0];
    let mut c = text_at(72.0, 720.0, "二、主动公开政府信息情况");
    c += &grid(&xs, &ys);
    c += &text_at(75.0, 686.0, "信息内容");
    c += &text_at(205.0, 686.0, "本年制发件数");
    c += &text_at(305.0, 686.0, "现行有效件数");
    c += &text_at(75.0, 666.0, "规章");
    // blank cell in column 2
    c += &text_at(305.0, 666.0, "5");
    c += &text_at(72.0, 600.0, "正文");
    let pdf = make_pdf(&[c.as_bytes()], cjk_res);
    let t = run(&pdf);
    let lines = &t.pages[0].lines;
    let texts: Vec<String> = lines.iter().map(|l| l.shown()).collect();
    assert_eq!(
        texts,
        vec![
            "二、主动公开政府信息情况",
            "| 信息内容 | 本年制发件数 | 现行有效件数 |",
            "| 规章 |  | 5 |",
            "正文"
        ]
    );
    assert!(lines[1].is_table_row && lines[2].is_table_row && !lines[0].is_table_row);
}

/// A `|` printed in a ruled cell stays in that cell as printed: no cell shifts, no rewrite.
#[test]
fn a_printed_bar_stays_in_its_cell() {
    let xs = [72.0, 200.0, 300.0, 400.0];
    let ys = [700.0, 680.0];
    let mut c = grid(&xs, &ys);
    c += &text_at(75.0, 686.0, "规章|注");
    c += &text_at(305.0, 686.0, "5");
    let t = run(&make_pdf(&[c.as_bytes()], cjk_res));
    let row = &t.pages[0].lines[0];
    assert!(row.is_table_row);
    assert_eq!(row.cells, ["规章|注", "", "5"]);
}

#[test]
fn table_split_across_two_pages_and_wrapped_label() {
    let xs = [72.0, 300.0, 400.0];
    let mut p1 = grid(&xs, &[700.0, 680.0, 620.0]);
    p1 += &text_at(75.0, 686.0, "项目");
    p1 += &text_at(305.0, 686.0, "自然人");
    // Label wrapped over three lines inside one cell.
    p1 += &text_at(75.0, 666.0, "一、本年新收");
    p1 += &text_at(75.0, 648.0, "政府信息公开");
    p1 += &text_at(75.0, 630.0, "申请数量");
    p1 += &text_at(305.0, 648.0, "95");
    p1 += "BT /F2 10 Tf 290 40 Td (- 1 -) Tj ET\n";
    let mut p2 = grid(&xs, &[780.0, 760.0]);
    p2 += &text_at(75.0, 766.0, "二、上年结转");
    p2 += &text_at(305.0, 766.0, "3");
    p2 += "BT /F2 10 Tf 290 40 Td (- 2 -) Tj ET\n";
    let pdf = make_pdf(&[p1.as_bytes(), p2.as_bytes()], cjk_res);
    let t = run(&pdf);
    let p1: Vec<String> = t.pages[0].lines.iter().map(|l| l.shown()).collect();
    let p2: Vec<String> = t.pages[1].lines.iter().map(|l| l.shown()).collect();
    assert_eq!(
        p1,
        vec![
            "| 项目 | 自然人 |",
            "| 一、本年新收政府信息公开申请数量 | 95 |"
        ]
    );
    assert_eq!(p2, vec!["| 二、上年结转 | 3 |"]);
    assert!(t.pages[1].lines[0].is_table_row);
}

#[test]
fn fake_bold_and_page_furniture_dropped() {
    let mut c = String::new();
    c += &text_at(72.0, 800.0, "第 1 页 共 2 页");
    c += &text_at(72.0, 700.0, "总体情况");
    c += &text_at(72.3, 700.2, "总体情况");
    c += "BT /F2 10 Tf 72 680 Td (Hello world) Tj ET\n";
    c += "BT /F2 10 Tf 290 30 Td (4/5) Tj ET\n";
    let pdf = make_pdf(&[c.as_bytes()], cjk_res);
    assert_eq!(all_lines(&run(&pdf)), vec!["总体情况", "Hello world"]);
}

#[test]
fn form_xobject_text_is_followed() {
    let pdf = make_pdf(&[b"q 1 0 0 1 100 100 cm /Fm1 Do Q"], |doc| {
        let f = stsong_ucs2(doc);
        let fonts = dictionary! { "F1" => f };
        let form_res = dictionary! { "Font" => fonts.clone() };
        let form = doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 500.into(), 500.into()], "Resources" => form_res },
            format!("BT /F1 12 Tf 0 0 Td {} Tj ET", ucs2_hex("表单")).into_bytes(),
        ));
        dictionary! { "Font" => fonts, "XObject" => dictionary! { "Fm1" => form } }
    });
    let t = run(&pdf);
    assert_eq!(all_lines(&t), vec!["表单"]);
    let l = &t.pages[0].lines[0];
    assert!((l.bbox[0] - 100.0).abs() < 0.5 && l.bbox[1] < 100.0 && l.bbox[3] > 100.0);
}

#[test]
fn image_only_page_is_no_text() {
    let pdf = make_pdf(&[b"q 500 0 0 700 40 70 cm /Im1 Do Q"], |doc| {
        let img = doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
            vec![0, 255, 255, 0],
        ));
        dictionary! { "XObject" => dictionary! { "Im1" => img } }
    });
    assert!(matches!(
        extract(&pdf, &PdfLimits::default()),
        Err(PdfError::NoText)
    ));
}

#[test]
fn garbage_and_limits() {
    assert!(matches!(
        extract(b"hello", &PdfLimits::default()),
        Err(PdfError::Malformed(_))
    ));
    assert!(extract(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        &PdfLimits::default()
    )
    .is_err());
    let pdf = make_pdf(
        &[
            b"BT /F1 10 Tf 72 700 Td (a) Tj ET",
            b"BT /F1 10 Tf 72 700 Td (b) Tj ET",
        ],
        |_| resources_with(dictionary! { "F1" => helvetica() }),
    );
    let limits = PdfLimits {
        max_pages: 1,
        ..PdfLimits::default()
    };
    assert!(matches!(extract(&pdf, &limits), Err(PdfError::Limit(_))));
    let limits = PdfLimits {
        max_ops_per_page: 3,
        ..PdfLimits::default()
    };
    assert!(matches!(extract(&pdf, &limits), Err(PdfError::Limit(_))));
    // Truncated files never panic.
    for cut in (0..pdf.len()).step_by(37) {
        let _ = extract(&pdf[..cut], &PdfLimits::default());
    }
}

#[test]
fn row_broken_by_page_break_is_joined() {
    let xs = [72.0, 300.0, 400.0];
    let mut p1 = grid(&xs, &[700.0, 680.0, 60.0]);
    p1 += &text_at(75.0, 686.0, "1.属于国家秘密");
    p1 += &text_at(305.0, 686.0, "0");
    p1 += &text_at(75.0, 66.0, "3.危及“三");
    p1 += &text_at(305.0, 66.0, "1");
    let mut p2 = grid(&xs, &[780.0, 760.0, 740.0]);
    p2 += &text_at(75.0, 766.0, "安全一稳定”");
    p2 += &text_at(75.0, 746.0, "4.保护第三方合法权益");
    let pdf = make_pdf(&[p1.as_bytes(), p2.as_bytes()], cjk_res);
    let t = run(&pdf);
    let p1: Vec<String> = t.pages[0].lines.iter().map(|l| l.shown()).collect();
    let p2: Vec<String> = t.pages[1].lines.iter().map(|l| l.shown()).collect();
    assert_eq!(
        p1,
        vec!["| 1.属于国家秘密 | 0 |", "| 3.危及“三安全一稳定” | 1 |"]
    );
    // A new numbered row with blank values stays a row of its own.
    assert_eq!(p2, vec!["| 4.保护第三方合法权益 |  |"]);
}

/// A non-embedded CID font with the given predefined CMap and no ToUnicode.
fn predefined_font(
    cmap: &'static str,
    ordering: &'static str,
) -> impl FnOnce(&mut Document) -> Dictionary {
    move |doc| {
        let desc = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "Ming",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal(ordering), "Supplement" => 0 },
            "DW" => 1000,
        });
        let f = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Ming", "Encoding" => cmap,
            "DescendantFonts" => vec![desc.into()],
        });
        resources_with(dictionary! { "F1" => f })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[test]
fn other_predefined_cmaps() {
    let cases: Vec<(&'static str, &'static str, Vec<u8>, &str)> = vec![
        (
            "UniGB-UTF16-H",
            "GB1",
            "中\u{20000}A"
                .encode_utf16()
                .flat_map(|u| u.to_be_bytes())
                .collect(),
            "中\u{20000}A",
        ),
        (
            "GBK2K-H",
            "GB1",
            encoding_rs::GB18030.encode("政€1").0.into_owned(),
            "政€1",
        ),
        (
            "GB-EUC-H",
            "GB1",
            encoding_rs::GBK.encode("公开").0.into_owned(),
            "公开",
        ),
        (
            "ETen-B5-H",
            "CNS1",
            encoding_rs::BIG5.encode("政府12").0.into_owned(),
            "政府12",
        ),
        (
            "UniCNS-UCS2-H",
            "CNS1",
            "資訊"
                .encode_utf16()
                .flat_map(|u| u.to_be_bytes())
                .collect(),
            "資訊",
        ),
        (
            "UniJIS-UCS2-H",
            "Japan1",
            "情報"
                .encode_utf16()
                .flat_map(|u| u.to_be_bytes())
                .collect(),
            "情報",
        ),
        (
            "UniKS-UCS2-H",
            "Korea1",
            "정보"
                .encode_utf16()
                .flat_map(|u| u.to_be_bytes())
                .collect(),
            "정보",
        ),
    ];
    for (cmap, ord, bytes, want) in cases {
        let content = format!("BT /F1 12 Tf 72 700 Td <{}> Tj ET", hex(&bytes));
        let pdf = make_pdf(&[content.as_bytes()], predefined_font(cmap, ord));
        let t = run(&pdf);
        assert_eq!(all_lines(&t), vec![want.to_string()], "{cmap}");
        assert_eq!(t.undecodable_glyphs, 0, "{cmap}");
    }
}

#[test]
fn tj_offsets_text_state_and_vertical_font() {
    // TJ with a large negative offset separates numbers; Tz/Tc do not break glyph joins.
    let c = format!(
        "BT /F1 12 Tf 100 Tz 0 Tc 72 700 Td [{} -3000 {}] TJ ET BT /F2 12 Tf 72 600 Td (Line) Tj T* 14 TL (x) ' ET",
        ucs2_hex("12"),
        ucs2_hex("34")
    );
    let pdf = make_pdf(&[c.as_bytes()], cjk_res);
    let t = run(&pdf);
    assert_eq!(all_lines(&t), vec!["12 34", "Line", "x"]);
    // Identity-V style vertical text: each glyph below the previous one.
    let c = format!("BT /F1 12 Tf 300 700 Td {} Tj ET", ucs2_hex("结果"));
    let pdf = make_pdf(&[c.as_bytes()], |doc| {
        let desc = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 2 },
        });
        let f = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light", "Encoding" => "UniGB-UCS2-V",
            "DescendantFonts" => vec![desc.into()],
        });
        resources_with(dictionary! { "F1" => f })
    });
    let t = run(&pdf);
    assert_eq!(all_lines(&t), vec!["结", "果"]);
    assert!(t.pages[0].lines[1].bbox[3] < t.pages[0].lines[0].bbox[1] + 1.0);
}
