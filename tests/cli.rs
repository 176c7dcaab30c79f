//! The command line over a folder tree: the whole corpus plus an unreadable file, a
//! zero-byte file and a non-report PDF.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_ogi-report")
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// A one-page PDF whose only text is "Hello world".
fn hello_pdf() -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
    );
    let content = doc.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 12 Tf 72 720 Td (Hello world) Tj ET".to_vec(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn parse_out_writes_three_files_and_counts_failures() {
    let root = scratch("batch");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    copy_dir(&corpus, &root.join("corpus"));
    std::fs::write(
        root.join("unreadable.pdf"),
        b"%PDF-1.4\n\x00\x01 this is not a pdf body",
    )
    .unwrap();
    std::fs::write(root.join("empty.txt"), b"").unwrap();
    std::fs::write(root.join("hello.pdf"), hello_pdf()).unwrap();
    let inputs = {
        let mut n = 0;
        fn count(d: &Path, n: &mut usize) {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    count(&p, n);
                } else if matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("pdf" | "txt" | "md" | "html" | "docx" | "doc" | "wps")
                ) {
                    *n += 1;
                }
            }
        }
        count(&root, &mut n);
        n
    };
    let out = root.join("out");
    let run = Command::new(bin())
        .args(["parse", "--out"])
        .arg(&out)
        .arg(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        run.status.code(),
        Some(1),
        "exit status must say some inputs failed\n{stderr}"
    );
    let summary = stderr.lines().last().unwrap_or_default().to_string();
    assert!(
        summary.starts_with(&format!("{inputs} files: {} parsed", inputs - 3))
            && summary.contains(", 3 failed"),
        "summary: {summary}"
    );
    for name in ["reports.csv", "reports.jsonl", "diagnostics.csv"] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let mut csv = csv::Reader::from_path(out.join("reports.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    let err_col = header.iter().position(|h| h == "error").unwrap();
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), inputs);
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| !r[err_col].is_empty())
        .map(|r| r.get(0).unwrap())
        .collect();
    assert_eq!(failed.len(), 3, "{failed:?}");
    assert!(
        failed.iter().any(|f| f.ends_with("hello.pdf"))
            && failed.iter().any(|f| f.ends_with("empty.txt"))
    );
    let jsonl = std::fs::read_to_string(out.join("reports.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count(), inputs);
    // the Pingtan zone reports of several years meet in the year-over-year checks
    let diags = std::fs::read_to_string(out.join("diagnostics.csv")).unwrap();
    assert!(
        diags
            .lines()
            .any(|l| l.contains("2021-fujian-pingtan-zone") && l.contains("years.gap")),
        "no year-over-year finding"
    );
}

#[test]
fn csv_to_stdout_has_the_documented_columns() {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/2024-chanhe-justice-bureau/source.txt");
    let run = Command::new(bin())
        .args(["parse", "--format", "csv"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(run.status.success());
    let mut r = csv::Reader::from_reader(run.stdout.as_slice());
    let h = r.headers().unwrap().clone();
    assert_eq!(
        &h.iter().take(7).collect::<Vec<_>>(),
        &[
            "file",
            "format",
            "template",
            "organization",
            "year",
            "diagnostics",
            "error"
        ]
    );
    let row = r.records().next().unwrap().unwrap();
    let col = |k: &str| h.iter().position(|x| x == k).unwrap();
    assert_eq!(&row[col("organization")], "瀍河回族区司法局");
    assert_eq!(&row[col("year")], "2024");
    assert_eq!(&row[col("template")], "v2021");
    assert_eq!(&row[col("applications.new_received.total")], "0");
    assert_eq!(
        &row[col("active_disclosure.rules.new_made")],
        "",
        "v2019 keys are empty for a v2021 report"
    );
}

#[test]
fn check_exit_status_gates_on_warnings() {
    let clean =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/2024-chanhe-justice-bureau/source.txt");
    let run = Command::new(bin())
        .arg("check")
        .arg(&clean)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
    let broken = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/2019-shanghai-city-gov-office/source.html");
    let run = Command::new(bin())
        .arg("check")
        .arg(&broken)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(1));
    assert!(out.contains("warning[check.sum-missing-value]"), "{out}");
}

#[test]
fn schema_lists_every_key_with_labels() {
    let run = Command::new(bin())
        .args(["schema", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&run.stdout);
    assert_eq!(
        text.lines().count(),
        1 + ogi_report::schema::all_cells().len()
    );
    assert!(text.contains("applications.granted.natural_person,applications,granted,natural_person,予以公开,自然人,count,both"));
}

#[test]
fn schema_lists_the_template_correspondence() {
    let run = Command::new(bin())
        .args(["schema", "--correspondence"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let text = String::from_utf8_lossy(&run.stdout);
    assert_eq!(text.lines().next(), Some("v2019,v2021,relation"));
    assert!(text.contains("\napplications.granted.total,applications.granted.total,same\n"));
    assert!(text.contains("\napplications.other_handling.total,applications.other_no_correction.total;applications.other_unpaid_fee.total;applications.other_misc.total,sum\n"));
    assert!(text
        .contains("\nactive_disclosure.rules.new_made,active_disclosure.rules.issued,similar\n"));
    assert_eq!(
        text.lines().count(),
        1 + ogi_report::schema::correspondence().len()
    );
}

/// A lone file's JSON (printed straight from the report) is byte for byte what the same
/// report prints as one entry of a batch (through a JSON value): box coordinates
/// included.
#[test]
fn a_lone_files_json_is_what_a_batch_prints_for_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let pdf = root.join("2024-huaian-hongze-district/source.pdf");
    let txt = root.join("2024-chanhe-justice-bureau/source.txt");
    let run = |args: &[&Path]| {
        let out = Command::new(bin())
            .arg("parse")
            .args(args)
            .output()
            .expect("run");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let lone = run(&[&pdf]);
    let batch: Vec<serde_json::Value> = serde_json::from_str(&run(&[&pdf, &txt])).expect("json");
    assert_eq!(batch.len(), 2);
    let as_batch = serde_json::to_string_pretty(&batch[..1]).expect("json") + "\n";
    assert!(lone.contains("\"bbox\""), "the report has boxes");
    assert!(lone.len() > 20_000, "{} bytes", lone.len());
    assert_eq!(lone, as_batch);
}
