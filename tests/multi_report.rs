//! A file holding two reports gets a `parse.multiple-reports` warning; single reports don't.

use ogi_report::Code;
use std::path::Path;

fn corpus(p: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(p)
}

#[test]
fn two_reports_in_one_text_are_noticed() {
    let a = std::fs::read_to_string(corpus("2024-chanhe-justice-bureau/source.txt")).unwrap();
    let b = std::fs::read_to_string(corpus("2023-fujian-pingtan-zone/source.txt")).unwrap();
    let r = ogi_report::parse_str(&format!("{a}\n{b}")).unwrap();
    assert_eq!(r.metadata.organization.as_deref(), Some("瀍河回族区司法局"));
    let d: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MultipleReports)
        .collect();
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert!(
        d[0].message
            .contains("平潭综合实验区2023年度政府信息公开工作年度报告"),
        "{}",
        d[0].message
    );
    assert_eq!(d[0].severity, ogi_report::Severity::Warning);
}

#[test]
fn no_corpus_report_is_taken_for_two() {
    let files = ogi_report::inputs::find(&[corpus("")], ogi_report::inputs::EXTENSIONS);
    assert!(files.len() > 40);
    for f in files {
        let r = ogi_report::parse_path(&f).unwrap();
        assert!(
            !r.diagnostics
                .iter()
                .any(|d| d.code == Code::MultipleReports),
            "{}",
            f.display()
        );
    }
}

#[test]
fn many_titles_stay_linear() {
    let a = std::fs::read_to_string(corpus("2024-chanhe-justice-bureau/source.txt")).unwrap();
    let noise = "某局政府信息公开工作年度报告。".repeat(100_000);
    let text = format!("{a}\n{noise}\n三、收到和处理政府信息公开申请情况\n");
    let t = std::time::Instant::now();
    let r = ogi_report::parse_str(&text).unwrap();
    assert!(
        t.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        t.elapsed()
    );
    // titles without a year are not taken for a second report
    assert!(!r
        .diagnostics
        .iter()
        .any(|d| d.code == Code::MultipleReports));
}
