//! `export::long_rows`: the status of every cell, and the diagnostics naming it.

use ogi_report::export::{self, CellStatus};

const REPORT: &str = "某某局2024年政府信息公开工作年度报告
二、主动公开政府信息情况
规章 0 0 0
行政规范性文件 2 0 25
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3
";

#[test]
fn statuses_follow_the_printed_text() {
    let r = ogi_report::parse_str(REPORT).unwrap();
    let rows = export::long_rows("a.txt", &r);
    assert_eq!(rows.len(), ogi_report::schema::all_cells().len());
    let get = |k: &str| rows.iter().find(|x| x.key == k).unwrap();
    let n = get("active_disclosure.normative_documents.in_force");
    assert_eq!(
        (n.status, n.value.as_deref(), n.raw.as_deref()),
        (CellStatus::Printed, Some("25"), Some("25"))
    );
    assert_eq!(n.row_label, "行政规范性文件");
    assert_eq!(n.column_label, "现行有效件数");
    assert_eq!(n.file, "a.txt");
    assert_eq!(n.organization, "某某局");
    assert_eq!(n.year, Some(2024));
    assert_eq!(
        get("active_disclosure.rules.new_made").status,
        CellStatus::NotInTemplate
    );
    let missing = get("applications.granted.total");
    assert_eq!(missing.status, CellStatus::NotFound);
    assert!(
        !missing.diagnostics.is_empty(),
        "the diagnostic naming it is listed"
    );
    for code in &missing.diagnostics {
        assert!(r.diagnostics.iter().any(|d| d.code.as_str() == code
            && d.cells.iter().any(|c| c == "applications.granted.total")));
    }
    assert_eq!(n.record().len(), export::LONG_COLUMNS.len());
}

#[test]
fn dashes_and_blanks() {
    for s in ["-", "—", "——", "/", "／", "无", " - "] {
        assert!(export::is_dash(s), "{s}");
    }
    for s in ["", "0", "无0", "1-2", "暂无数据"] {
        assert!(!export::is_dash(s), "{s}");
    }
}

#[test]
fn rows_rebuild_a_report_for_batch_checks() {
    let r = ogi_report::parse_str(REPORT).unwrap();
    let rows = export::long_rows("a.txt", &r);
    let back = export::report_from_long_rows(&rows, ogi_report::InputFormat::Text);
    assert_eq!(back.metadata.organization, r.metadata.organization);
    assert_eq!(back.metadata.year, r.metadata.year);
    assert_eq!(back.metadata.template, r.metadata.template);
    let a: Vec<_> = r
        .cells()
        .into_iter()
        .map(|(k, c)| (k, c.value, c.raw.clone()))
        .collect();
    let mut b: Vec<_> = back
        .cells()
        .into_iter()
        .map(|(k, c)| (k, c.value, c.raw.clone()))
        .collect();
    let mut a_sorted = a.clone();
    a_sorted.sort_by(|x, y| x.0.cmp(&y.0));
    b.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(a_sorted, b);
}
