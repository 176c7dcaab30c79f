use std::collections::HashMap;
use std::io::Write;

use ogi_report::extract::markup::{
    docx_to_text, html_to_text, is_legacy_office, MarkupError, MarkupText,
};

fn rows(t: &MarkupText, table: usize) -> Vec<String> {
    t.lines
        .iter()
        .filter(|l| l.table_pos.map(|p| p.0) == Some(table))
        .map(|l| l.shown())
        .collect()
}
fn prose(t: &MarkupText) -> Vec<String> {
    t.lines
        .iter()
        .filter(|l| l.table_pos.is_none())
        .map(|l| l.shown())
        .collect()
}
/// Split a pipe row into its cells (trimmed).
fn cells(row: &str) -> Vec<String> {
    let inner = row
        .trim()
        .strip_prefix('|')
        .and_then(|r| r.strip_suffix('|'))
        .expect("pipe row");
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

#[test]
fn rowspan_colspan_expand_into_full_grid() {
    let html = r#"<table border=1>
      <tr><td rowspan="2" colspan="2">项目</td><td colspan="2">申请人</td><td rowspan=2>总计</td></tr>
      <tr><td>自然人</td><td>法人</td></tr>
      <tr><td rowspan="3">三、本年度办理结果</td><td>（一）予以公开</td><td>5</td><td>&nbsp;</td><td>5</td></tr>
      <tr><td>（二）部分公开</td><td>1</td><td>2</td><td>3</td></tr>
      <tr><td>（三）不予公开</td><td></td><td>0</td><td>0</td></tr>
    </table>"#;
    let t = html_to_text(html.as_bytes());
    assert_eq!(
        rows(&t, 0),
        vec![
            "| 项目 | 申请人 | 总计 |",
            "|  | 自然人 | 法人 |  |",
            "| 三、本年度办理结果 | （一）予以公开 | 5 |  | 5 |",
            "|  | （二）部分公开 | 1 | 2 | 3 |",
            "|  | （三）不予公开 |  | 0 | 0 |",
        ]
    );
    assert_eq!(t.lines[2].table_pos, Some((0, 2)));
}

#[test]
fn blank_cells_are_kept_and_br_joins_cjk() {
    let html = "<p>二、主动公开政府信息情况</p><table><tr><td>信息内容</td><td>本年新<br />制作数量</td><td>Total<br>count</td></tr>\
                <tr><td>规章</td><td>&nbsp;</td><td> <p>&nbsp;</p> </td></tr><tr><td>规范性文件</td><td></td><td>7</td></tr></table>";
    let t = html_to_text(html.as_bytes());
    assert_eq!(prose(&t), vec!["二、主动公开政府信息情况"]);
    assert_eq!(
        rows(&t, 0),
        vec![
            "| 信息内容 | 本年新制作数量 | Total count |",
            "| 规章 |  |  |",
            "| 规范性文件 |  | 7 |"
        ]
    );
}

#[test]
fn gbk_page_without_charset_is_guessed() {
    let src =
        "<html><body><div class=\"content\"><p>一、总体情况</p><p>本机关政府信息公开工作。</p>\
               <table><tr><td>行政许可</td><td>12</td></tr></table></div></body></html>";
    let (bytes, _, bad) = encoding_rs::GBK.encode(src);
    assert!(!bad);
    assert!(std::str::from_utf8(&bytes).is_err());
    let t = html_to_text(&bytes);
    assert_eq!(prose(&t), vec!["一、总体情况", "本机关政府信息公开工作。"]);
    assert_eq!(rows(&t, 0), vec!["| 行政许可 | 12 |"]);
    assert!(
        t.notes.iter().any(|n| n.contains("guessed")),
        "{:?}",
        t.notes
    );
}

#[test]
fn gb2312_meta_declaration_is_honoured() {
    let src = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>\
               <body><p>政府信息公开工作年度报告</p></body></html>";
    let (bytes, _, _) = encoding_rs::GBK.encode(src);
    let t = html_to_text(&bytes);
    assert_eq!(prose(&t), vec!["政府信息公开工作年度报告"]);
    assert!(t.notes.is_empty(), "{:?}", t.notes);
    let utf8 = "<meta charset=\"utf-8\"><p>予以公开</p>";
    assert_eq!(prose(&html_to_text(utf8.as_bytes())), vec!["予以公开"]);
}

#[test]
fn portal_page_keeps_content_and_drops_furniture() {
    let html = r#"<!DOCTYPE html><html><head><title>2020年某区政府信息公开工作年度报告_某区人民政府</title>
      <script>var x = "<p>不要</p>";</script><style>p{color:red}</style></head><body>
      <div class="nav"><a href="/">首页</a><a href="/xxgk">政府信息公开</a><a>新闻中心</a></div>
      <div class="breadcrumb">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>
      <h1 class="title">2020年某区政府信息公开工作年度报告</h1>
      <div id="zoom" class="TRS_Editor"><p>一、总体情况</p><p>2020年，某区人民政府认真贯彻落实《中华人民共和国政府信息公开条例》，
         全面推进政府信息公开工作，主动公开政府信息1234条，办理政府信息公开申请56件。</p>
         <table><tr><td>规章</td><td>0</td><td>0</td><td>3</td></tr></table>
         <div class="share">分享到：微信 微博</div></div>
      <div class="footer">版权所有：某区人民政府 备案号 12345</div><script>alert(1)</script></body></html>"#;
    let t = html_to_text(html.as_bytes());
    let p = prose(&t);
    assert_eq!(p[0], "2020年某区政府信息公开工作年度报告");
    assert_eq!(p[1], "一、总体情况");
    assert!(
        p[2].starts_with(
            "2020年，某区人民政府认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进"
        ),
        "{}",
        p[2]
    );
    assert_eq!(rows(&t, 0), vec!["| 规章 | 0 | 0 | 3 |"]);
    let all = t.joined();
    for junk in [
        "首页",
        "当前位置",
        "分享到",
        "版权所有",
        "alert",
        "不要",
        "color",
    ] {
        assert!(!all.contains(junk), "{junk} leaked:\n{all}");
    }
}

#[test]
fn report_table_inside_layout_table() {
    let html = r#"<table width="100%"><tr><td>
        <p>四、政府信息公开行政复议、行政诉讼情况</p>
        <table border="1"><tr><td colspan="2">行政复议</td><td>行政诉讼</td></tr>
          <tr><td>结果维持</td><td>总计</td><td>总计</td></tr>
          <tr><td>1</td><td>1</td><td>&nbsp;</td></tr></table>
        <p>五、存在的主要问题及改进情况</p></td>
        <td>发布机构：某市人民政府办公室</td></tr></table>"#;
    let t = html_to_text(html.as_bytes());
    let lines: Vec<String> = t.lines.iter().map(|l| l.shown()).collect();
    assert_eq!(
        lines,
        vec![
            "四、政府信息公开行政复议、行政诉讼情况",
            "| 行政复议 | 行政诉讼 |",
            "| 结果维持 | 总计 | 总计 |",
            "| 1 | 1 |  |",
            "五、存在的主要问题及改进情况",
            "发布机构：某市人民政府办公室",
        ]
    );
    assert_eq!(t.lines[1].table_pos, Some((0, 0)));
    assert_eq!(t.lines[3].table_pos, Some((0, 2)));
}

#[test]
fn word_exported_html() {
    let html = r#"<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<style>p.MsoNormal{mso-style-parent:"";}</style></head><body lang=ZH-CN style='tab-interval:21.0pt'>
<div class=WordSection1>
<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'><span style='font-family:仿宋_GB2312'>一、总体
情况<o:p></o:p></span></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span>（三）<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]><span>政府信息管理</span></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><!--[if !supportLists]--><span>（四）</span><!--[endif]--><span>平台建设</span></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<table class=MsoNormalTable border=1 cellspacing=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>
 <tr style='mso-yfti-irow:0'><td width=100 rowspan=2 style='mso-border-alt:solid windowtext .5pt'><p class=MsoNormal align=center><span>信息内容<o:p></o:p></span></p></td>
  <td colspan=2><p class=MsoNormal><span>本年新<br>制作数量</span></p></td></tr>
 <tr><td><p class=MsoNormal><span lang=EN-US>A<o:p></o:p></span></p></td><td><p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p></td></tr>
 <tr><td><p class=MsoNormal><span>规章</span></p></td><td><p class=MsoNormal><span lang=EN-US>3<o:p></o:p></span></p></td><td><p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p></td></tr>
</table></div></body></html>"#;
    let t = html_to_text(html.as_bytes());
    assert_eq!(
        prose(&t),
        vec!["一、总体情况", "（三）政府信息管理", "（四）平台建设"]
    );
    assert_eq!(
        rows(&t, 0),
        vec![
            "| 信息内容 | 本年新制作数量 |",
            "|  | A |  |",
            "| 规章 | 3 |  |"
        ]
    );
}

#[test]
fn bare_fragment_and_garbage_do_not_panic() {
    for input in [
        &b""[..],
        b"\xff\xfe\x00",
        b"<table><tr><td rowspan=99999 colspan=99999>1</td></tr><tr><td colspan=-3>2</td></tr></table>",
        b"<td>1</td></tr></table><table>",
        b"<<<>>>&&&;<!--",
    ] {
        let _ = html_to_text(input);
    }
    let deep = "<div>".repeat(5000) + "深" + &"</div>".repeat(5000);
    let t = html_to_text(deep.as_bytes());
    assert_eq!(prose(&t), vec!["深"]);
    let t = html_to_text("纯文本<br>第二行".as_bytes());
    assert_eq!(prose(&t), vec!["纯文本", "第二行"]);
}

// ---------------------------------------------------------------- DOCX

fn make_docx(body: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

fn p(text: &str) -> String {
    format!("<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}
fn tc(props: &str, text: &str) -> String {
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"1000\"/>{props}</w:tcPr>{}</w:tc>",
        p(text)
    )
}

#[test]
fn docx_paragraphs_and_grid_span_vmerge() {
    let body = [
        p("三、收到和处理政府信息公开申请情况"),
        "<w:p><w:r><w:t>第一行</w:t></w:r><w:r><w:br/><w:t>第二</w:t><w:tab/><w:t>行 &amp; 尾</w:t></w:r><w:del><w:r><w:delText>删掉</w:delText></w:r></w:del></w:p>".to_string(),
        "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid>".to_string(),
        format!("<w:tr>{}{}{}</w:tr>", tc("<w:gridSpan w:val=\"2\"/><w:vMerge w:val=\"restart\"/>", ""), tc("<w:gridSpan w:val=\"2\"/>", "申请人情况"), tc("<w:vMerge w:val=\"restart\"/>", "总计")),
        format!("<w:tr>{}{}{}{}</w:tr>", tc("<w:gridSpan w:val=\"2\"/><w:vMerge/>", ""), tc("", "自然人"), tc("", "商业企业"), tc("<w:vMerge/>", "")),
        format!("<w:tr>{}{}{}{}{}</w:tr>", tc("<w:vMerge w:val=\"restart\"/>", "三、本年度办理结果"), tc("", "（一）予以公开"), tc("", "5"), tc("", ""), tc("", "5")),
        format!("<w:tr>{}{}{}{}{}</w:tr>", tc("<w:vMerge w:val=\"continue\"/>", "三、本年度办理结果"), tc("", "（二）部分公开"), tc("", "1"), tc("", "2"), tc("", "3")),
        "</w:tbl>".to_string(),
        p("四、结束"),
    ]
    .concat();
    let t = docx_to_text(&make_docx(&body)).expect("docx");
    assert_eq!(
        prose(&t),
        vec![
            "三、收到和处理政府信息公开申请情况",
            "第一行",
            "第二行 & 尾",
            "四、结束"
        ]
    );
    assert_eq!(
        rows(&t, 0),
        vec![
            "|  | 申请人情况 | 总计 |",
            "|  | 自然人 | 商业企业 |  |",
            "| 三、本年度办理结果 | （一）予以公开 | 5 |  | 5 |",
            "|  | （二）部分公开 | 1 | 2 | 3 |",
        ]
    );
}

#[test]
fn docx_nested_table_and_multiparagraph_cell() {
    let inner = format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        tc("", "行政复议"),
        tc("", "总计"),
        tc("", "结果维持"),
        tc("", "7")
    );
    let outer = format!(
        "<w:tbl><w:tr><w:tc><w:tcPr/>{}{}{}</w:tc></w:tr></w:tbl>",
        p("四、复议诉讼"),
        inner,
        "<w:p><w:r><w:t>本年新</w:t></w:r></w:p><w:p><w:r><w:t>制作数量</w:t></w:r></w:p>"
    );
    let t = docx_to_text(&make_docx(&outer)).expect("docx");
    let lines: Vec<String> = t.lines.iter().map(|l| l.shown()).collect();
    assert_eq!(
        lines,
        vec![
            "四、复议诉讼",
            "| 行政复议 | 总计 |",
            "| 结果维持 | 7 |",
            "本年新",
            "制作数量"
        ]
    );
    // inside a data-table cell, paragraphs join like <br> in HTML
    let tbl = format!("<w:tbl><w:tr>{}<w:tc><w:p><w:r><w:t>本年新</w:t></w:r></w:p><w:p><w:r><w:t>制作数量</w:t></w:r></w:p></w:tc></w:tr><w:tr>{}{}</w:tr></w:tbl>", tc("", "信息内容"), tc("", "规章"), tc("", "3"));
    let t = docx_to_text(&make_docx(&tbl)).expect("docx");
    assert_eq!(
        rows(&t, 0),
        vec!["| 信息内容 | 本年新制作数量 |", "| 规章 | 3 |"]
    );
}

#[test]
fn docx_errors() {
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(1024, 0);
    assert!(is_legacy_office(&ole));
    assert!(!is_legacy_office(b"PK\x03\x04"));
    assert!(matches!(docx_to_text(&ole), Err(MarkupError::LegacyBinary)));
    assert!(matches!(
        docx_to_text(b"not a zip"),
        Err(MarkupError::BadDocx(_))
    ));
    // a zip without word/document.xml
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"hi").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert!(matches!(docx_to_text(&bytes), Err(MarkupError::BadDocx(_))));
    // truncated archive
    let good = make_docx(&p("你好"));
    assert!(docx_to_text(&good[..good.len() / 2]).is_err());
    // broken XML
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(b"<w:document><w:body><w:p><w:t>a</w:t></w:p></w:body></w:document><<")
        .unwrap();
    let _ = docx_to_text(&zip.finish().unwrap().into_inner()); // must not panic
}

#[test]
fn docx_decompression_limit() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..65 {
        zip.write_all(&chunk).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 1 << 20);
    assert!(matches!(docx_to_text(&bytes), Err(MarkupError::Limit(_))));
}

// ---------------------------------------------------------------- the Shanghai corpus file

/// expected.json is a flat object of `"key": number|null`; read it without a JSON crate.
fn read_expected(s: &str) -> HashMap<String, Option<f64>> {
    let mut m = HashMap::new();
    for line in s.lines() {
        let line = line.trim().trim_end_matches(',');
        let Some((k, v)) = line.split_once("\":") else {
            continue;
        };
        let k = k.trim().trim_start_matches('"').to_string();
        let v = v.trim();
        m.insert(k, if v == "null" { None } else { v.parse().ok() });
    }
    m
}

fn num(cell: &str) -> Option<f64> {
    let c = cell.trim().trim_end_matches('元');
    if c.is_empty() {
        None
    } else {
        Some(
            c.parse()
                .unwrap_or_else(|_| panic!("not a number: {cell:?}")),
        )
    }
}

#[test]
fn shanghai_2019_corpus_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/2019-shanghai-city-gov-office");
    let bytes = std::fs::read(dir.join("source.html")).expect("bundled corpus source.html");
    let expected =
        read_expected(&std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"));
    let t = html_to_text(&bytes);
    assert!(t.notes.is_empty(), "{:?}", t.notes);
    let p = prose(&t);
    assert_eq!(p[0], "2019年上海市人民政府办公厅政府信息公开工作年度报告");
    for h in [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "六、其他需要报告的事项",
    ] {
        assert!(p.iter().any(|l| l == h), "heading {h} missing");
    }
    let mut got: HashMap<String, Option<f64>> = HashMap::new();

    // table 二: label then the non-empty value cells in order (its colspans are misaligned)
    let t2 = rows(&t, 0);
    let t2_keys: &[(&str, &str, &[&str])] = &[
        (
            "规章",
            "rules",
            &["new_made", "new_published", "total_published"],
        ),
        (
            "规范性文件",
            "normative_documents",
            &["new_made", "new_published", "total_published"],
        ),
        (
            "行政许可",
            "licensing",
            &["prev_count", "change", "decisions"],
        ),
        (
            "其他对外管理服务事项",
            "other_services",
            &["prev_count", "change", "decisions"],
        ),
        (
            "行政处罚",
            "punishment",
            &["prev_count", "change", "decisions"],
        ),
        (
            "行政强制",
            "coercion",
            &["prev_count", "change", "decisions"],
        ),
        ("行政事业性收费", "fees", &["prev_count", "change"]),
        ("政府集中采购", "procurement", &["projects", "amount"]),
    ];
    for (label, key, cols) in t2_keys {
        let row = t2
            .iter()
            .map(|r| cells(r))
            .find(|c| c[0] == *label)
            .unwrap_or_else(|| panic!("{label}"));
        let vals: Vec<&String> = row[1..].iter().filter(|c| !c.is_empty()).collect();
        assert_eq!(vals.len(), cols.len(), "{label}: {row:?}");
        for (col, v) in cols.iter().zip(vals) {
            got.insert(format!("active_disclosure.{key}.{col}"), num(v));
        }
    }

    // table 三: three label positions (the header's colspan=3), then exactly 7 values
    let t3 = rows(&t, 1);
    let granted = t3
        .iter()
        .map(|r| cells(r))
        .find(|c| c[1] == "（一）予以公开")
        .expect("予以公开 row");
    // colspan-covered positions are left out: label cells, then exactly 7 values
    assert_eq!(granted.len(), 9, "{granted:?}");
    assert_eq!(granted[2..], ["258", "12", "", "", "1", "1", ""]);
    let t3_keys = [
        ("本年新收", "new_received"),
        ("上年结转", "carried_over"),
        ("予以公开", "granted"),
        ("部分公开", "partially_granted"),
        ("国家秘密", "denied_state_secret"),
        ("禁止公开", "denied_law_prohibited"),
        ("三安全一稳定", "denied_security_stability"),
        ("第三方", "denied_third_party"),
        ("内部事务", "denied_internal_affairs"),
        ("过程性", "denied_process_info"),
        ("执法案卷", "denied_enforcement_file"),
        ("查询事项", "denied_inquiry"),
        ("不掌握", "unable_not_held"),
        ("另行制作", "unable_needs_creation"),
        ("仍不明确", "unable_unclear"),
        ("信访", "rejected_petition"),
        ("重复申请", "rejected_repeated"),
        ("出版物", "rejected_publication"),
        ("大量反复", "rejected_excessive"),
        ("重新出具", "rejected_reconfirm"),
        ("其他处理", "other_handling"),
        ("（七）总计", "total"),
        ("结转下年度", "carried_forward"),
    ];
    let t3_cols = [
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_service",
        "other_org",
        "total",
    ];
    let mut seen = 0;
    for r in &t3 {
        let c = cells(r);
        if c.len() < 8 {
            continue; // header rows
        }
        let label = c[..c.len() - 7].concat();
        let Some((_, key)) = t3_keys.iter().find(|(l, _)| label.contains(l)) else {
            continue;
        };
        seen += 1;
        for (col, v) in t3_cols.iter().zip(&c[c.len() - 7..]) {
            got.insert(format!("applications.{key}.{col}"), num(v));
        }
    }
    assert_eq!(seen, 23);

    // table 四: one value row of 15 cells
    let t4 = rows(&t, 2);
    let vals = cells(t4.last().expect("table 四"));
    assert_eq!(vals.len(), 15);
    let mut i = 0;
    for g in ["review", "direct_suit", "post_review_suit"] {
        for col in ["upheld", "corrected", "other", "pending", "total"] {
            got.insert(format!("review_litigation.{g}.{col}"), num(&vals[i]));
            i += 1;
        }
    }
    assert_eq!(rows(&t, 3).len(), 0, "only three tables");

    let mut diffs = Vec::new();
    for (k, v) in &expected {
        if got.get(k) != Some(v) {
            diffs.push(format!("{k}: expected {v:?}, got {:?}", got.get(k)));
        }
    }
    diffs.sort();
    assert!(
        diffs.is_empty(),
        "{} of {} differ:\n{}",
        diffs.len(),
        expected.len(),
        diffs.join("\n")
    );
    assert_eq!(got.len(), expected.len());
}

#[test]
fn utf8_bom_and_mislabelled_charset() {
    let mut b = vec![0xEF, 0xBB, 0xBF];
    b.extend_from_slice("<p>总体情况</p>".as_bytes());
    assert_eq!(prose(&html_to_text(&b)), vec!["总体情况"]);
    // declared UTF-8 but actually GBK bytes
    let (gbk, _, _) =
        encoding_rs::GBK.encode("<meta charset=\"utf-8\"><p>收到和处理政府信息公开申请情况</p>");
    let t = html_to_text(&gbk);
    assert_eq!(prose(&t), vec!["收到和处理政府信息公开申请情况"]);
    assert!(!t.notes.is_empty());
}

#[test]
fn truncated_and_mangled_inputs_do_not_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/2019-shanghai-city-gov-office");
    let bytes = std::fs::read(dir.join("source.html")).expect("bundled corpus source.html");
    for cut in (0..bytes.len()).step_by(997) {
        let _ = html_to_text(&bytes[..cut]); // cuts through UTF-8 sequences and tags
    }
    let docx = make_docx(
        &[
            p("一、总体情况"),
            format!(
                "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
                tc("<w:gridSpan w:val=\"999999\"/>", "1"),
                tc("<w:vMerge/>", "2")
            ),
        ]
        .concat(),
    );
    assert!(docx_to_text(&docx).is_ok());
    for cut in (0..docx.len()).step_by(37) {
        let _ = docx_to_text(&docx[..cut]);
    }
    let mut flipped = docx.clone();
    for i in (30..flipped.len()).step_by(53) {
        flipped[i] ^= 0x5a;
        let _ = docx_to_text(&flipped);
    }
}
