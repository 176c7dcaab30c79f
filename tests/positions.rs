//! Inputs whose tables are known only by positions or whose glyphs are odd code points:
//! radicals printed for ideographs, wrapped headers, borderless and layout-mode tables.

use ogi_report::{parse_str, Number};

/// A v2021 report's section 二 and 四, as Chromium/Skia producers print it: the glyphs of
/// `行`, `二`, `无` come out as Kangxi radicals (`⾏`, `⼆`, `⽆`).
const RADICALS: &str = "某某局2023年政府信息公开⼯作年度报告
⼀、总体情况
⼆、主动公开政府信息情况
信息内容 本年制发件数 本年废⽌件数 现⾏有效件数
规章 0 0 0
⾏政规范性⽂件 77 132 470
信息内容 本年处理决定数量
⾏政许可 2629
⾏政处罚 1330
⾏政强制 54
信息内容 本年收费⾦额（单位：万元）
⾏政事业性收费 5949.088667
四、政府信息公开⾏政复议、⾏政诉讼情况
⾏政复议 ⾏政诉讼
未经复议直接起诉 复议后起诉
结果维结果纠其他结尚未审 总
结果维结果纠其他结尚未审 总 结果维结果纠其他结尚未审 总
持 正 果 结 计
持 正 果 结 计 持 正 果 结 计
1 1 0 0 2 4 0 0 1 5 1 0 1 0 2
五、存在的主要问题及改进情况
";

fn int(r: &ogi_report::Report, key: &str) -> Option<i64> {
    match r.value(key) {
        Some(Number::Int(i)) => Some(i),
        _ => None,
    }
}

#[test]
fn radicals_read_as_the_ideographs_they_stand_for() {
    let r = parse_str(RADICALS).unwrap();
    assert_eq!(int(&r, "active_disclosure.licensing.decisions"), Some(2629));
    assert_eq!(
        int(&r, "active_disclosure.punishment.decisions"),
        Some(1330)
    );
    assert_eq!(int(&r, "active_disclosure.coercion.decisions"), Some(54));
    assert_eq!(
        int(&r, "active_disclosure.normative_documents.in_force"),
        Some(470)
    );
    let s = r
        .sections
        .active_disclosure
        .as_ref()
        .expect("section 二 found");
    assert_eq!(s.heading, "二、主动公开政府信息情况");
    let s = r
        .sections
        .review_litigation
        .as_ref()
        .expect("section 四 found");
    assert!(s.heading.contains("行政复议"), "{}", s.heading);
    assert_eq!(r.metadata.year, Some(2023));
    assert_eq!(
        r.metadata.title.as_deref().map(|t| t.contains("工作")),
        Some(true)
    );
}

#[test]
fn review_values_after_a_header_wrapped_apart() {
    let r = parse_str(RADICALS).unwrap();
    assert_eq!(int(&r, "review_litigation.review.upheld"), Some(1));
    assert_eq!(int(&r, "review_litigation.review.total"), Some(2));
    assert_eq!(int(&r, "review_litigation.direct_suit.upheld"), Some(4));
    assert_eq!(int(&r, "review_litigation.direct_suit.total"), Some(5));
    assert_eq!(int(&r, "review_litigation.post_review_suit.other"), Some(1));
    assert_eq!(int(&r, "review_litigation.post_review_suit.total"), Some(2));
}

#[test]
fn a_report_without_title_says_its_body_and_year_are_missing() {
    let text = "一、总体情况\n本机关依法公开政府信息。\n二、主动公开政府信息情况\n规章 0 0 0\n三、收到和处理政府信息公开申请情况\n";
    let r = parse_str(text).unwrap();
    assert_eq!(r.metadata.year, None);
    let missing: Vec<String> = r
        .diagnostics
        .iter()
        .filter(|d| d.code.to_string() == "parse.metadata-missing")
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(missing.len(), 3, "{missing:?}");
    assert!(missing[1].starts_with("report year"));
    // a report with its title names none
    let r = parse_str(RADICALS).unwrap();
    assert!(!r
        .diagnostics
        .iter()
        .any(|d| d.code.to_string() == "parse.metadata-missing"));
}
