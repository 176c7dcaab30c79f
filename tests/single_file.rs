//! A run with one input parses it in the CLI's own process (no worker): the same rows,
//! codes and exit statuses as a batch, including the per-file time budget.

use std::path::PathBuf;
use std::process::Command;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_ogi-report")
}

fn corpus_pdf() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/2019-shanghai-city-gov-office/source-print.pdf")
}

#[test]
fn single_file_over_its_budget_gets_a_timeout_row() {
    // a microsecond: no multi-page PDF parses in that
    let run = Command::new(bin())
        .args(["parse", "--format", "csv", "--timeout", "0.000001"])
        .arg(corpus_pdf())
        .output()
        .unwrap();
    let stdout = String::from_utf8(run.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(3), "{stderr}");
    assert!(stdout.contains("input.timeout"), "{stdout}");
    assert!(stderr.contains("time budget of 0.0 s exceeded"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn single_file_matches_the_same_file_in_a_batch() {
    // the file twice by two paths is a batch (two inputs, a duplicate): its row must carry
    // the same cells as the single-file run's
    let single = Command::new(bin())
        .args(["parse", "--format", "long"])
        .arg(corpus_pdf())
        .output()
        .unwrap();
    assert_eq!(single.status.code(), Some(0));
    let pdf = corpus_pdf();
    let batch = Command::new(bin())
        .args(["parse", "--format", "long", "--jobs", "1"])
        .arg(&pdf)
        .arg(pdf.parent().unwrap().join("source.html"))
        .output()
        .unwrap();
    assert_eq!(batch.status.code(), Some(0));
    let single = String::from_utf8(single.stdout).unwrap();
    let batch = String::from_utf8(batch.stdout).unwrap();
    let file = pdf.display().to_string();
    let rows = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains(&file))
            .map(str::to_owned)
            .collect()
    };
    assert!(rows(&single).len() > 100, "{single}");
    assert_eq!(rows(&single), rows(&batch));
}
