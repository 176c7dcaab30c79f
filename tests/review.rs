//! `ogi-report review --html`: the page's structure (without a browser) and, with
//! headless Chromium, the DOM as a browser builds it (the script's elements included).

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_ogi-report")
}

fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(rel)
}

/// Reviews three reports (one PDF with a narrative disagreement) into a page.
fn review_page(name: &str) -> (PathBuf, String) {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let run = Command::new(bin())
        .args(["review", "--jobs", "1", "--html"])
        .arg(&out)
        .arg(corpus("2024-huaian-hongze-district/source.pdf"))
        .arg(corpus("2023-fujian-pingtan-zone/source.txt"))
        .arg(corpus("2025-fujian-pingtan-zone/source.txt"))
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    (out, html)
}

#[test]
fn the_page_is_self_contained_and_marks_reports_and_cells() {
    let (_, html) = review_page("review-static.html");
    assert_eq!(html.matches("<section class=\"report\"").count(), 3);
    assert_eq!(html.matches(" data-file=\"").count(), 3);
    // every cell of table 三 of the v2021 Hongze report, and its narrative disagreement
    assert!(html.contains("data-key=\"applications.new_received.total\""));
    assert!(html.contains("class=\"quote mismatch\" data-code=\"narrative.mismatch\""));
    assert!(html.contains("<svg"), "a picture of the PDF's table cells");
    // nothing fetched from anywhere
    for needle in ["http://", "https://", "<link", "src=\""] {
        let outside = html
            .match_indices(needle)
            .filter(|(i, _)| !html[..*i].ends_with("xmlns=\""))
            .count();
        assert_eq!(outside, 0, "{needle} in the page");
    }
}

#[test]
#[ignore = "needs chromium: run by .ci/run"]
fn the_page_renders_in_chromium() {
    let (out, _) = review_page("review-chromium.html");
    let run = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", out.display()))
        .output()
        .expect("chromium must be installed to run this test");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let dom = String::from_utf8_lossy(&run.stdout);
    assert_eq!(dom.matches("data-file=\"").count(), 3, "{dom:.2000}");
    // the script ran: it marks the body and adds a flagged-cell count to every report
    assert!(dom.contains("data-ready=\"1\""), "{dom:.2000}");
    assert_eq!(dom.matches("class=\"flag-count\"").count(), 3);
    assert!(dom.contains("id=\"diag-panel\""));
    // the flagged cell of the Hongze disagreement carries its diagnostic
    let at = dom
        .find("data-key=\"applications.new_received.total\"")
        .expect("the cell is drawn");
    let cell = &dom[at..at + dom[at..].find("</td>").unwrap()];
    assert!(cell.contains("narrative.mismatch"), "{cell}");
}

#[test]
fn check_shows_a_pdfs_printed_row_and_page_and_a_total() {
    let pdf = corpus("2024-huaian-hongze-district/source.pdf");
    let run = Command::new(bin())
        .args(["check", "--color", "never"])
        .arg(&pdf)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(1), "{out}");
    assert!(out.contains("warning[narrative.mismatch]"), "{out}");
    // the row as printed on its page, the cell concerned marked, no extracted-text line
    assert!(
        out.contains("| p.3 本年新收政府信息公开申请数量: 95 0 0 0 0 0 [95]"),
        "{out}"
    );
    assert!(!out.contains(", line "), "{out}");
    assert!(!out.contains('\x1b'), "{out}");
    let last = out.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("total: 1 files, 1 read, 0 failed; 0 errors, 1 warnings, "),
        "{last}"
    );
    let run = Command::new(bin())
        .args(["check", "--color", "always"])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&run.stdout).contains("\x1b[1;33mwarning\x1b[0m"));
}
