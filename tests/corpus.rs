//! Corpus regression test: every source in `corpus/*/` against its hand-checked `expected.json`.
//!
//! A cell passes when it equals the expected value, or when it is null and a warning names
//! it (the parser said it could not tell). A wrong number, or a null without a warning,
//! fails. Every arithmetic break listed in `meta.json` must show up as a warning, and a
//! report whose `meta.json` lists none must get no arithmetic warning.

use ogi_report::{Report, Severity};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The inputs of a corpus folder this test covers: text and markdown sources (and, as readers
/// land, the other formats listed in `covered_formats`).
fn inputs(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name.starts_with("source") || name.starts_with("rendered"))
                && p.extension()
                    .is_some_and(|e| exts.contains(&e.to_string_lossy().as_ref()))
        })
        .collect();
    v.sort();
    v
}

struct Outcome {
    right: usize,
    null_warned: usize,
    failures: Vec<String>,
}

fn compare(report: &Report, expected: &serde_json::Map<String, Value>) -> Outcome {
    let mut o = Outcome {
        right: 0,
        null_warned: 0,
        failures: Vec::new(),
    };
    let warned = |key: &str| {
        report
            .diagnostics
            .iter()
            .any(|d| d.severity >= Severity::Warning && d.cells.iter().any(|c| c == key))
    };
    for (key, want) in expected {
        let got = report.cell(key);
        let got_v = got.and_then(|c| c.value).map(|n| n.as_f64());
        let want_v = want.as_f64();
        match (got_v, want_v) {
            (Some(g), Some(w)) if (g - w).abs() < 1e-9 => o.right += 1,
            (None, None) if got.is_some() => o.right += 1,
            (None, _) if warned(key) => o.null_warned += 1,
            _ => o.failures.push(format!(
                "{key}: expected {want}, got {} (raw {:?}){}",
                got_v.map_or("null".to_string(), |g| g.to_string()),
                got.and_then(|c| c.raw.clone()),
                if got.is_none() {
                    " [key absent from report]"
                } else {
                    ""
                }
            )),
        }
    }
    o
}

fn check_arith(report: &Report, meta: &Value) -> Vec<String> {
    let mut fails = Vec::new();
    let breaks: Vec<String> = meta["arith_breaks"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|b| b.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    // the corpus computes breaks skipping any row or column with a key it left out
    let left_out: Vec<&str> = meta["keys_left_out"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let arith: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| {
            d.code.is_arithmetic() && !d.cells.iter().any(|c| left_out.contains(&c.as_str()))
        })
        .collect();
    if breaks.is_empty() {
        for d in &arith {
            fails.push(format!("unexpected arithmetic warning: {d}"));
        }
    }
    for b in &breaks {
        // "T3 row granted: ..." / "T3 col total: ..." name the row or column involved
        let mut words = b.split_whitespace();
        let (_t, kind, name) = (
            words.next(),
            words.next().unwrap_or(""),
            words.next().unwrap_or("").trim_end_matches(':'),
        );
        let found = arith.iter().any(|d| {
            d.cells.iter().any(|c| match kind {
                "row" => c.split('.').nth(1) == Some(name),
                _ => c.split('.').nth(2) == Some(name),
            })
        });
        if !found {
            fails.push(format!("arithmetic break not reported: {b}"));
        }
    }
    fails
}

fn run(exts: &[&str]) -> (usize, usize, usize, Vec<String>) {
    let mut total_right = 0;
    let mut total_null = 0;
    let mut files = 0;
    let mut failures = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap())
                .unwrap();
        let meta: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
        let expected = expected.as_object().unwrap();
        for input in inputs(&dir, exts) {
            files += 1;
            let name = format!(
                "{}/{}",
                dir.file_name().unwrap().to_string_lossy(),
                input.file_name().unwrap().to_string_lossy()
            );
            let report = match ogi_report::parse_path(&input) {
                Ok(r) => r,
                Err(e) => {
                    failures.push(format!("{name}: error {e}"));
                    continue;
                }
            };
            let o = compare(&report, expected);
            total_right += o.right;
            total_null += o.null_warned;
            eprintln!(
                "{name}: {} right, {} null with a warning, {} wrong",
                o.right,
                o.null_warned,
                o.failures.len()
            );
            for f in o.failures {
                failures.push(format!("{name}: {f}"));
            }
            for f in check_arith(&report, &meta) {
                failures.push(format!("{name}: {f}"));
            }
        }
    }
    (files, total_right, total_null, failures)
}

/// Runs the corpus for some inputs and fails with every differing cell listed.
fn assert_corpus(exts: &[&str], min_files: usize) {
    let (files, right, nulls, failures) = run(exts);
    eprintln!(
        "{files} files: {right} cells right, {nulls} null with a warning, {} failures",
        failures.len()
    );
    assert!(
        files >= min_files,
        "corpus inputs {exts:?} missing: {files} found"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn text_and_markdown_sources_match_expected() {
    assert_corpus(&["txt", "md"], 10);
}

#[test]
fn html_sources_match_expected() {
    assert_corpus(&["html", "docx"], 1);
}

#[test]
fn pdf_sources_and_renderings_match_expected() {
    assert_corpus(&["pdf"], 35);
}
