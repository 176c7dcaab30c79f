//! Input dispatch: encodings and formats reach the same report.

use ogi_report::{Code, InputFormat, Number};
use std::io::Write;
use std::path::Path;

fn chanhe() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/2024-chanhe-justice-bureau/source.txt"),
    )
    .unwrap()
}

fn values(r: &ogi_report::Report) -> Vec<(String, Option<String>)> {
    r.cells()
        .into_iter()
        .map(|(k, c)| (k, c.value.map(|v| v.to_string())))
        .collect()
}

#[test]
fn gbk_text_without_declaration_reads_like_utf8() {
    let text = chanhe();
    let (gbk, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    let a = ogi_report::parse_bytes(text.as_bytes()).unwrap();
    let b = ogi_report::parse_bytes(&gbk).unwrap();
    assert_eq!(values(&a), values(&b));
    assert_eq!(b.metadata.organization.as_deref(), Some("瀍河回族区司法局"));
    assert!(b
        .diagnostics
        .iter()
        .any(|d| d.code == Code::EncodingGuessed));
    assert!(!a
        .diagnostics
        .iter()
        .any(|d| d.code == Code::EncodingGuessed));
}

#[test]
fn utf16_with_bom_reads_like_utf8() {
    let text = chanhe();
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let a = ogi_report::parse_str(&text).unwrap();
    let b = ogi_report::parse_bytes(&bytes).unwrap();
    assert_eq!(values(&a), values(&b));
}

#[test]
fn legacy_word_and_empty_inputs_are_typed_errors() {
    // an OLE2 signature with nothing behind it: a damaged Word file
    let doc = [0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
    assert!(matches!(
        ogi_report::parse_bytes(&doc),
        Err(ogi_report::Error::Damaged { format: "doc", .. })
    ));
    assert!(matches!(
        ogi_report::parse_bytes(b""),
        Err(ogi_report::Error::Empty)
    ));
    assert!(matches!(
        ogi_report::parse_bytes(b"   \n"),
        Err(ogi_report::Error::Empty)
    ));
    assert!(matches!(
        ogi_report::parse_str("hello world, nothing to see"),
        Err(ogi_report::Error::NotAReport)
    ));
}

/// A DOCX whose paragraphs are the given lines; lines starting with `|` become table rows.
fn docx(lines: &[&str]) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut body = String::new();
    let mut in_table = false;
    for l in lines {
        if let Some(row) = l.strip_prefix('|') {
            if !in_table {
                body.push_str("<w:tbl>");
                in_table = true;
            }
            body.push_str("<w:tr>");
            for cell in row.trim_end_matches('|').split('|') {
                body.push_str(&format!(
                    "<w:tc><w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:tc>",
                    esc(cell.trim())
                ));
            }
            body.push_str("</w:tr>");
        } else {
            if in_table {
                body.push_str("</w:tbl>");
                in_table = false;
            }
            body.push_str(&format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", esc(l)));
        }
    }
    if in_table {
        body.push_str("</w:tbl>");
    }
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opt = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", opt).unwrap();
        z.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).unwrap();
        z.start_file("word/document.xml", opt).unwrap();
        z.write_all(xml.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn docx_report_end_to_end() {
    let bytes = docx(&[
        "某某区司法局2024年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "|信息内容|本年制发件数|本年废止件数|现行有效件数|",
        "|规章|0|0|0|",
        "|行政规范性文件|3||27|",
        "三、收到和处理政府信息公开申请情况",
        "|一、本年新收政府信息公开申请数量|12|1|0|0|0|0|13|",
        "四、政府信息公开行政复议、行政诉讼情况",
        "|1|0|0|0|1|0|0|0|0|0|0|0|0|0|0|",
        "五、存在的主要问题及改进情况",
    ]);
    let r = ogi_report::parse_bytes(&bytes).unwrap();
    assert_eq!(r.metadata.format, InputFormat::Docx);
    assert_eq!(
        r.value("active_disclosure.normative_documents.issued"),
        Some(Number::Int(3))
    );
    // a blank cell stays blank and in its column
    let repealed = r
        .cell("active_disclosure.normative_documents.repealed")
        .unwrap();
    assert_eq!((repealed.value, repealed.raw.as_deref()), (None, Some("")));
    assert_eq!(
        r.value("active_disclosure.normative_documents.in_force"),
        Some(Number::Int(27))
    );
    assert_eq!(
        r.value("applications.new_received.total"),
        Some(Number::Int(13))
    );
    assert_eq!(
        r.value("review_litigation.review.total"),
        Some(Number::Int(1))
    );
    let loc = r
        .cell("applications.new_received.commercial")
        .unwrap()
        .location
        .clone()
        .unwrap();
    assert_eq!((loc.table_row, loc.cell), (Some((1, 0)), Some(2)));
}

/// A `|` printed inside a table cell is only a character: the cells after it keep their
/// columns and the cell's text keeps the bar (HTML, and markdown where `\|` prints one).
#[test]
fn a_printed_bar_inside_a_cell_neither_shifts_cells_nor_is_rewritten() {
    let html = "<html><body><p>某某区司法局2024年政府信息公开工作年度报告</p>\
        <p>二、主动公开政府信息情况</p><table>\
        <tr><td>信息内容</td><td>本年制发件数|件</td><td>本年废止件数</td><td>现行有效件数</td></tr>\
        <tr><td>规章|（含修订）</td><td>1</td><td></td><td>2</td></tr>\
        <tr><td>行政规范性文件</td><td>3</td><td>0</td><td>27</td></tr></table>\
        <p>三、收到和处理政府信息公开申请情况</p></body></html>";
    let cells = ogi_report::extract::markup::html_to_text(html.as_bytes())
        .lines
        .into_iter()
        .find(|l| l.cells.first().is_some_and(|c| c.starts_with("规章")))
        .unwrap()
        .cells;
    assert_eq!(cells, ["规章|（含修订）", "1", "", "2"]);
    let md = "某某区司法局2024年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n\
        | 信息内容 | 本年制发件数\\|件 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n\
        | 规章\\|（含修订） | 1 |  | 2 |\n| 行政规范性文件 | 3 | 0 | 27 |\n\n\
        ## 三、收到和处理政府信息公开申请情况\n";
    for (bytes, format) in [
        (html.as_bytes(), InputFormat::Html),
        (md.as_bytes(), InputFormat::Markdown),
    ] {
        let r = ogi_report::parse_bytes(bytes).unwrap();
        assert_eq!(r.metadata.format, format);
        let v = |k: &str| r.value(&format!("active_disclosure.{k}"));
        assert_eq!(v("rules.issued"), Some(Number::Int(1)), "{format:?}");
        let blank = r.cell("active_disclosure.rules.repealed").unwrap();
        assert_eq!((blank.value, blank.raw.as_deref()), (None, Some("")));
        assert_eq!(v("rules.in_force"), Some(Number::Int(2)), "{format:?}");
        assert_eq!(v("normative_documents.issued"), Some(Number::Int(3)));
        assert_eq!(v("normative_documents.repealed"), Some(Number::Int(0)));
        assert_eq!(v("normative_documents.in_force"), Some(Number::Int(27)));
    }
}
