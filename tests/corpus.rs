//! Corpus regression test: every source in `corpus/*/` against its hand-checked `expected.json`.
//!
//! A cell passes when it equals the expected value. A cell left null with a warning naming it
//! passes only when the input's entry in the folder's `allowed-misses.json` lists it, with
//! the reason; any other miss fails, and so does a listed cell that is now right (shrink the
//! list). A wrong number fails always. `OGI_BLESS=1 cargo test --test corpus --
//! --test-threads=1` rewrites the lists from what the parser
//! does now. Every arithmetic break listed in `meta.json` must show up as a warning, a report
//! whose `meta.json` lists none must get no arithmetic warning, and the report's year and
//! template must be `meta.json`'s. Cell accuracy is printed per input kind.

use ogi_report::Report;
use serde_json::Value;
use std::path::{Path, PathBuf};

#[path = "common/expected.rs"]
mod expected;

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

/// `missed`: cells left null with a warning; a break on a row or column holding one of them
/// cannot be computed from what was read, and is not asked for.
fn check_arith(
    report: &Report,
    meta: &Value,
    missed: &serde_json::Map<String, Value>,
) -> Vec<String> {
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
        let unreadable = missed.keys().any(|c| match kind {
            "row" => c.split('.').nth(1) == Some(name),
            _ => c.split('.').nth(2) == Some(name),
        });
        if !found && !unreadable {
            fails.push(format!("arithmetic break not reported: {b}"));
        }
    }
    fails
}

/// The kind of a corpus input, for the accuracy table: its name without the folder.
fn kind(input: &Path) -> String {
    input.file_name().unwrap().to_string_lossy().to_string()
}

fn run(exts: &[&str]) -> (usize, usize, usize, Vec<String>) {
    let mut total_right = 0;
    let mut total_null = 0;
    let mut files = 0;
    let mut failures = Vec::new();
    let bless = std::env::var_os("OGI_BLESS").is_some();
    let mut per_kind: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let want = expected::load(&dir);
        let meta: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
        let allowed_path = dir.join("allowed-misses.json");
        let mut allowed: serde_json::Map<String, Value> = std::fs::read_to_string(&allowed_path)
            .ok()
            .map(|t| serde_json::from_str(&t).expect("allowed-misses.json is JSON"))
            .unwrap_or_default();
        let mut blessed = false;
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
            let empty = serde_json::Map::new();
            let allowed_here = allowed
                .get(&kind(&input))
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            let mut o =
                expected::compare(&report, &want, if bless { &empty } else { allowed_here });
            if bless {
                o.failures.retain(|f| !f.contains("allowed-misses.json"));
                if o.misses.is_empty() {
                    allowed.remove(&kind(&input));
                } else {
                    allowed.insert(kind(&input), Value::Object(o.misses.clone()));
                }
                blessed = true;
            }
            let k = per_kind.entry(kind(&input)).or_default();
            k.0 += o.right;
            k.1 += want.len();
            if meta["year"].as_i64() != report.metadata.year.map(i64::from) {
                failures.push(format!(
                    "{name}: year {:?}, meta.json says {}",
                    report.metadata.year, meta["year"]
                ));
            }
            let template = report.metadata.template.to_string();
            let meta_template = meta["template"].as_str().unwrap_or_default();
            // a v2021 report printing the v2019 single (六) row is `mixed`, with an info
            if template != meta_template && !(template == "mixed" && meta_template == "v2021") {
                failures.push(format!(
                    "{name}: template {template}, meta.json says {meta_template}"
                ));
            }
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
            for f in check_arith(&report, &meta, &o.misses) {
                failures.push(format!("{name}: {f}"));
            }
        }
        if blessed {
            if allowed.is_empty() {
                let _ = std::fs::remove_file(&allowed_path);
            } else {
                let text = serde_json::to_string_pretty(&Value::Object(allowed)).unwrap();
                std::fs::write(&allowed_path, text + "\n").unwrap();
            }
        }
    }
    eprintln!("cell accuracy per input kind:");
    for (k, (right, all)) in &per_kind {
        eprintln!(
            "  {k:40} {right:5}/{all:5} = {:.4}",
            *right as f64 / (*all).max(1) as f64
        );
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
