//! Narrative checks on real reports: figures planted in the text of corpus reports are
//! caught, and the untouched corpus raises no `narrative.mismatch` but the real one (the
//! 2024 Hongze district report says 17 applications where its table 三 says 95).

use ogi_report::{Code, Options, Report};
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn mismatches(r: &Report) -> Vec<&ogi_report::Diagnostic> {
    r.diagnostics
        .iter()
        .filter(|d| d.code == Code::NarrativeMismatch)
        .collect()
}

/// Parses a corpus source with one string of its narrative replaced.
fn planted(file: &str, from: &str, to: &str) -> Report {
    let path = corpus().join(file);
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from} in {file}");
    let edited = text.replace(from, to);
    let mut opts = Options::default();
    if file.ends_with(".md") {
        opts = opts.with_format(ogi_report::InputFormat::Markdown);
    }
    ogi_report::parse_bytes_with(edited.as_bytes(), &opts).unwrap()
}

#[test]
fn planted_disagreements_are_caught() {
    for (file, from, to, cell, table) in [
        (
            "2022-pingtan-admin-approval-bureau/source.txt",
            "共收到政府信息公开申请4件",
            "共收到政府信息公开申请7件",
            "applications.new_received.total",
            "4",
        ),
        (
            "2023-fujian-pingtan-zone/source.txt",
            "行政复议案件2件",
            "行政复议案件5件",
            "review_litigation.review.total",
            "2",
        ),
        (
            "2023-fujian-pingtan-zone/source.txt",
            "行政诉讼案件7件",
            "行政诉讼案件3件",
            "review_litigation.direct_suit.total",
            "7",
        ),
        (
            "2024-shanghai-science-commission/source.md",
            "全年收到政府信息公开申请 34 件",
            "全年收到政府信息公开申请 43 件",
            "applications.new_received.total",
            "34",
        ),
        (
            "2019-shanghai-city-gov-office/source.html",
            "信息公开类行政复议7件",
            "信息公开类行政复议8件",
            "review_litigation.review.total",
            "7",
        ),
    ] {
        let r = planted(file, from, to);
        let found = mismatches(&r);
        assert_eq!(found.len(), 1, "{file}: {found:#?}");
        let d = found[0];
        assert!(d.cells.iter().any(|c| c == cell), "{file}: {d:?}");
        assert!(d.message.contains(&format!("is {table}")), "{d:?}");
        assert!(
            d.message.contains(to.trim()),
            "the sentence is quoted: {d:?}"
        );
        assert!(d.location.is_some(), "{d:?}");
        // the untouched text agrees with the same cell
        let path = corpus().join(file);
        let r = ogi_report::parse_path(&path).unwrap();
        assert!(
            r.diagnostics
                .iter()
                .any(|d| d.code == Code::NarrativeMatch && d.cells.iter().any(|c| c == cell)),
            "{file}: {:#?}",
            r.diagnostics
        );
    }
}

#[test]
fn the_corpus_raises_no_false_alarm() {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(corpus()).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ["txt", "md", "html", "pdf", "doc"].contains(&ext) {
                files.push(f);
            }
        }
    }
    files.sort();
    assert!(files.len() > 50, "{}", files.len());
    let mut caught = 0;
    for f in &files {
        let Ok(r) = ogi_report::parse_path(f) else {
            continue;
        };
        for d in mismatches(&r) {
            // the one real disagreement of the corpus
            let real = f.to_string_lossy().contains("2024-huaian-hongze-district")
                && d.cells == ["applications.new_received.total"]
                && d.message.contains("17")
                && d.message.contains("is 95");
            assert!(real, "false alarm in {}: {d:?}", f.display());
            caught += 1;
        }
    }
    assert!(
        caught >= 2,
        "the Hongze disagreement is caught in its PDF and layout text"
    );
}
