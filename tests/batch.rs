//! Batches through the binary: a folder of every corpus input with a symlink loop, a
//! damaged PDF, a broken file, a crashing and a hanging input; Ctrl-C halfway and
//! `--resume`; pipes closed early; the one JSON shape; the long format.
//!
//! The crash and hang inputs use the debug-only fault injection of the worker
//! (`OGI_REPORT_TEST_FAULTS=1`, content starting with `OGI-REPORT-TEST-ABORT` /
//! `OGI-REPORT-TEST-HANG`, see `src/bin/ogi-report/worker.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_ogi-report")
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every file under `dir` (no links followed), sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let t = e.file_type().unwrap();
        if t.is_dir() {
            out.extend(files_under(&p));
        } else if t.is_file() {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for f in files_under(from) {
        let dest = to.join(f.strip_prefix(from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&f, &dest).unwrap();
    }
}

fn is_input(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ogi_report::inputs::EXTENSIONS.contains(&e))
}

/// Reads a CSV written by `--out`: it must start with a BOM; returns header and rows.
fn read_csv(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "{} has no BOM",
        path.display()
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            assert_eq!(rec.len(), header.len(), "ragged row in {}", path.display());
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

#[cfg(unix)]
#[test]
// the binary under test is built with the tests' profile: a release one has no faults
#[cfg_attr(
    not(debug_assertions),
    ignore = "the worker's fault injection exists in debug builds only"
)]
fn a_folder_of_everything_gives_one_row_per_input_everywhere() {
    let root = scratch("everything");
    copy_dir(&corpus(), &root.join("corpus"));
    let extra = root.join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    // a damaged PDF: a corpus PDF cut in half
    let pdf = std::fs::read(corpus().join("2024-huaian-hongze-district/source.pdf")).unwrap();
    std::fs::write(extra.join("damaged.pdf"), &pdf[..pdf.len() / 2]).unwrap();
    // a broken file: PDF magic, then noise
    std::fs::write(
        extra.join("broken.pdf"),
        b"%PDF-1.7\n\x00\xff\x13 not a pdf",
    )
    .unwrap();
    std::fs::write(extra.join("crash.txt"), b"OGI-REPORT-TEST-ABORT\n").unwrap();
    std::fs::write(extra.join("hang.txt"), b"OGI-REPORT-TEST-HANG\n").unwrap();
    // a copy of a corpus file (same bytes) and a link to one (the same file)
    let chanhe = corpus().join("2024-chanhe-justice-bureau/source.txt");
    std::fs::copy(&chanhe, extra.join("chanhe-copy.txt")).unwrap();
    std::os::unix::fs::symlink(
        root.join("corpus/2024-chanhe-justice-bureau/source.txt"),
        extra.join("chanhe-link.txt"),
    )
    .unwrap();
    // loops: a folder linking to itself and to its parent
    std::os::unix::fs::symlink(".", extra.join("self")).unwrap();
    std::os::unix::fs::symlink("..", extra.join("up")).unwrap();

    let inputs: Vec<String> = files_under(&root)
        .into_iter()
        .filter(|p| is_input(p))
        .map(|p| p.display().to_string())
        .collect();
    let skipped_json = files_under(&root)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .count();
    assert!(inputs.len() > 40, "{}", inputs.len());

    let out = scratch("everything-out");
    let started = Instant::now();
    let run = Command::new(bin())
        .env("OGI_REPORT_TEST_FAULTS", "1")
        .args(["parse", "--jobs", "2", "--timeout", "3", "--out"])
        .arg(&out)
        .arg(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(started.elapsed() < Duration::from_secs(120), "{stderr}");
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let summary = stderr.lines().last().unwrap();
    let parsed = inputs.len() - 4;
    assert!(
        summary.starts_with(&format!("{} files: {parsed} parsed", inputs.len()))
            && summary.contains(", 4 failed, 1 duplicates")
            && summary.contains(&format!(", {skipped_json} skipped")),
        "{summary}"
    );

    // reports.csv: one row per input, in input order
    let (_, reports) = read_csv(&out.join("reports.csv"));
    let files: Vec<String> = reports.iter().map(|r| r["file"].clone()).collect();
    assert_eq!(files, inputs);
    let by_file = |suffix: &str| {
        reports
            .iter()
            .find(|r| r["file"].ends_with(suffix))
            .unwrap_or_else(|| panic!("no row for {suffix}"))
    };
    assert_eq!(by_file("extra/crash.txt")["error_code"], "input.crash");
    assert_eq!(by_file("extra/hang.txt")["error_code"], "input.timeout");
    assert_eq!(by_file("extra/broken.pdf")["error_code"], "input.failed");
    assert_eq!(by_file("extra/damaged.pdf")["error_code"], "input.failed");
    let copy = by_file("extra/chanhe-copy.txt");
    assert!(copy["duplicate_of"].ends_with("corpus/2024-chanhe-justice-bureau/source.txt"));
    assert_eq!(copy["organization"], "瀍河回族区司法局");
    assert_eq!(copy["applications.new_received.total"], "0");
    assert_eq!(copy["sha256"].len(), 64);
    assert!(!files
        .iter()
        .any(|f| f.contains("chanhe-link") || f.contains("/self/") || f.contains("/up/")));

    // cells.csv: every input, a parsed one with one row per canonical key
    let (_, cells) = read_csv(&out.join("cells.csv"));
    let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &cells {
        *per_file.entry(c["file"].as_str()).or_default() += 1;
    }
    assert_eq!(
        per_file.keys().map(|s| s.to_string()).collect::<Vec<_>>(),
        {
            let mut s = inputs.clone();
            s.sort();
            s
        }
    );
    let keys = ogi_report::schema::all_cells().len();
    for (f, n) in &per_file {
        let failed = reports
            .iter()
            .any(|r| r["file"] == *f && !r["error"].is_empty());
        assert_eq!(*n, if failed { 1 } else { keys }, "{f}");
    }
    let statuses: BTreeSet<&str> = cells.iter().map(|c| c["status"].as_str()).collect();
    for s in ["printed", "blank", "not-found", "not-in-template", "failed"] {
        assert!(statuses.contains(s), "no {s} cell: {statuses:?}");
    }

    // diagnostics.csv: the passed-over files are named, failures have a row
    let (_, diags) = read_csv(&out.join("diagnostics.csv"));
    assert_eq!(
        diags
            .iter()
            .filter(|d| d["code"] == "skipped.unsupported")
            .count(),
        skipped_json
    );
    assert!(diags
        .iter()
        .any(|d| d["code"] == "input.crash" && d["file"].ends_with("extra/crash.txt")));
    assert!(diags
        .iter()
        .any(|d| d["code"] == "years.gap" && d["file"].contains("2021-fujian-pingtan-zone")));

    // reports.xlsx: the same rows; numbers are numbers; a flagged cell is highlighted
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(out.join("reports.xlsx")).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["reports".to_string(), "cells".into(), "diagnostics".into()]
    );
    let sheet = wb.worksheet_range("reports").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), inputs.len() + 1);
    let header: Vec<String> = rows[0].iter().map(|d| d.to_string()).collect();
    let col = |k: &str| header.iter().position(|h| h == k).unwrap();
    let chanhe_row = rows
        .iter()
        .find(|r| {
            r[0].to_string()
                .ends_with("2024-chanhe-justice-bureau/source.txt")
        })
        .unwrap();
    assert_eq!(chanhe_row[col("year")], Data::Float(2024.0));
    assert_eq!(
        chanhe_row[col("active_disclosure.normative_documents.in_force")],
        Data::Float(
            by_file("2024-chanhe-justice-bureau/source.txt")
                ["active_disclosure.normative_documents.in_force"]
                .parse()
                .unwrap()
        )
    );
    let cells_sheet = wb.worksheet_range("cells").unwrap();
    assert_eq!(cells_sheet.rows().count(), cells.len() + 1);
    let cells_files: BTreeSet<String> = cells_sheet
        .rows()
        .skip(1)
        .map(|r| r[0].to_string())
        .collect();
    assert_eq!(cells_files.len(), inputs.len());
    assert_eq!(
        wb.worksheet_range("diagnostics").unwrap().rows().count(),
        diags.len() + 1
    );

    // panel.csv: one row per body and year, the renderings of one report together
    let (ph, panel) = read_csv(&out.join("panel.csv"));
    assert_eq!(ph, ogi_report::export::panel_header());
    let chanhe_rows: Vec<_> = panel
        .iter()
        .filter(|r| r["organization"] == "瀍河回族区司法局" && r["year"] == "2024")
        .collect();
    assert_eq!(chanhe_rows.len(), 1);
    let members = chanhe_rows[0]["files"].split(';').count();
    assert!(members >= 2, "{:?}", chanhe_rows[0]["files"]);
    assert!(
        !chanhe_rows[0]["files"].contains("chanhe-copy"),
        "duplicates stay out"
    );
    assert_eq!(chanhe_rows[0]["applications.new_received.total"], "0");
    let keys: BTreeSet<(&str, &str)> = panel
        .iter()
        .map(|r| (r["organization"].as_str(), r["year"].as_str()))
        .collect();
    assert_eq!(keys.len(), panel.len());

    // --resume: nothing left to do, no row added
    let again = Command::new(bin())
        .args(["parse", "--resume", "--out"])
        .arg(&out)
        .arg(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("0 files: 0 parsed (0 with warnings), 0 failed, {skipped_json} skipped, {} already done", inputs.len())),
        "{stderr}"
    );
    assert_eq!(read_csv(&out.join("reports.csv")).1.len(), inputs.len());
}

#[cfg(unix)]
#[test]
fn ctrl_c_keeps_the_finished_rows_and_resume_finishes() {
    let root = scratch("interrupt");
    let dir = root.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let sources: Vec<PathBuf> = files_under(&corpus())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    let mut n = 0;
    for round in 0..4 {
        for s in &sources {
            n += 1;
            // different bytes in every copy, so none is a duplicate
            let mut bytes = std::fs::read(s).unwrap();
            bytes.extend_from_slice(format!("\n% copy {round}-{n}\n").as_bytes());
            std::fs::write(dir.join(format!("f{n:04}.pdf")), bytes).unwrap();
        }
    }
    let out = root.join("out");
    let mut child = Command::new(bin())
        .args(["parse", "--jobs", "2", "--out"])
        .arg(&out)
        .arg(&dir)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // wait for some finished rows, then Ctrl-C
    let reports = out.join("reports.csv");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let rows = std::fs::read_to_string(&reports)
            .map(|s| s.lines().count())
            .unwrap_or(0);
        if rows > 6 {
            break;
        }
        assert!(Instant::now() < deadline, "no rows written");
        std::thread::sleep(Duration::from_millis(50));
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let mut stderr = String::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        stderr.push_str(&line.unwrap());
        stderr.push('\n');
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("interrupted: "))
        .unwrap_or_else(|| panic!("{stderr}"));
    let finished: usize = line["interrupted: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        line.contains(&format!(" of {n} files finished; stopped at ")),
        "{line}"
    );
    assert!(finished >= 6 && finished < n, "{line}");
    let (_, rows) = read_csv(&reports);
    assert_eq!(rows.len(), finished);
    assert!(rows
        .iter()
        .all(|r| r["error"].is_empty() && !r["template"].is_empty()));
    let (_, cells) = read_csv(&out.join("cells.csv"));
    assert_eq!(
        cells.len(),
        finished * ogi_report::schema::all_cells().len()
    );

    let resumed = Command::new(bin())
        .args(["parse", "--jobs", "2", "--resume", "--out"])
        .arg(&out)
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert_eq!(resumed.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("{finished} already done")),
        "{stderr}"
    );
    let (_, rows) = read_csv(&reports);
    let files: BTreeSet<&str> = rows.iter().map(|r| r["file"].as_str()).collect();
    assert_eq!((rows.len(), files.len()), (n, n));
}

/// Runs the binary with stdout on a pipe that is closed after the first line.
fn first_line_then_close(args: &[&str]) -> (Option<i32>, String, String) {
    let mut child = Command::new(bin())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    {
        let mut r = BufReader::new(child.stdout.take().unwrap());
        r.read_line(&mut first).unwrap();
    } // the read end closes here
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        first,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn closed_pipes_end_quietly() {
    let c = corpus();
    let c = c.to_str().unwrap();
    // the outputs are far larger than a pipe's buffer
    for args in [
        vec!["check", c],
        vec!["parse", c],
        vec!["parse", "--format", "long", c],
    ] {
        let (code, first, stderr) = first_line_then_close(&args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(!first.is_empty(), "{args:?}");
        assert!(
            !stderr.contains("panicked") && !stderr.to_lowercase().contains("broken pipe"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn json_is_always_an_array_of_elements_with_file() {
    let chanhe = corpus().join("2024-chanhe-justice-bureau/source.txt");
    let one = Command::new(bin())
        .arg("parse")
        .arg(&chanhe)
        .output()
        .unwrap();
    assert_eq!(one.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 1);
    assert_eq!(arr[0]["file"], chanhe.display().to_string());
    assert_eq!(
        arr[0]["report"]["metadata"]["organization"],
        "瀍河回族区司法局"
    );

    let root = scratch("json-shape");
    let bad = root.join("bad.txt");
    std::fs::write(&bad, b"hello").unwrap();
    let failed = Command::new(bin()).arg("parse").arg(&bad).output().unwrap();
    assert_eq!(failed.status.code(), Some(3), "nothing could be read");
    let v: serde_json::Value = serde_json::from_slice(&failed.stdout).unwrap();
    assert_eq!(v[0]["file"], bad.display().to_string());
    assert_eq!(v[0]["error_code"], "input.failed");
    assert!(v[0]["error"].as_str().is_some_and(|e| !e.is_empty()));

    let both = Command::new(bin())
        .arg("parse")
        .arg(&chanhe)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(1), "some inputs failed");
    let v: serde_json::Value = serde_json::from_slice(&both.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(2));

    // JSONL: keys in template order, like the JSON
    let jsonl = Command::new(bin())
        .args(["parse", "--format", "jsonl"])
        .arg(&chanhe)
        .output()
        .unwrap();
    let text = String::from_utf8(jsonl.stdout).unwrap();
    let at = |k: &str| text.find(&format!("\"{k}\":")).unwrap();
    assert!(at("file") < at("report"));
    assert!(at("metadata") < at("sections") && at("sections") < at("tables"));
    assert!(at("tables") < at("diagnostics"));
    assert!(at("organization") < at("year") && at("year") < at("title"));
    assert!(at("rules") < at("normative_documents") && at("new_received") < at("carried_over"));
}

#[test]
fn stdin_out_checks_and_exit_codes() {
    let chanhe = corpus().join("2024-chanhe-justice-bureau/source.txt");
    let mut child = Command::new(bin())
        .args(["parse", "--format", "csv", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&std::fs::read(&chanhe).unwrap()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        !out.stdout.starts_with(b"\xEF\xBB\xBF"),
        "no BOM without --bom"
    );
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let h = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    assert_eq!(&row[0], "-");
    let org = h.iter().position(|x| x == "organization").unwrap();
    assert_eq!(&row[org], "瀍河回族区司法局");

    let bom = Command::new(bin())
        .args(["parse", "--format", "csv", "--bom"])
        .arg(&chanhe)
        .output()
        .unwrap();
    assert!(bom.stdout.starts_with(b"\xEF\xBB\xBFfile,"));

    // --out naming a file: a usage error naming it, before any parsing
    let root = scratch("out-check");
    let file = root.join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let run = Command::new(bin())
        .args(["parse", "--out"])
        .arg(&file)
        .arg(corpus())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&file.display().to_string()) && stderr.contains("not a directory"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("files:"),
        "parsed before failing: {stderr}"
    );

    // an empty folder: nothing could be read
    let empty = root.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let run = Command::new(bin())
        .arg("parse")
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(3));
    let run = Command::new(bin())
        .args(["parse", "--resume"])
        .arg(&chanhe)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));

    let help = Command::new(bin())
        .args(["parse", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for line in [
        "0    every input parsed",
        "1    some inputs failed",
        "2    usage error",
        "3    nothing could be read",
    ] {
        assert!(help.contains(line), "{help}");
    }
}

#[test]
fn long_format_has_a_row_per_cell_with_status_and_place() {
    let chanhe = corpus().join("2024-chanhe-justice-bureau/source.txt");
    let run = Command::new(bin())
        .args(["parse", "--format", "long"])
        .arg(&chanhe)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let mut r = csv::Reader::from_reader(run.stdout.as_slice());
    let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(h, ogi_report::export::LONG_COLUMNS);
    let rows: Vec<BTreeMap<String, String>> = r
        .records()
        .map(|x| {
            h.iter()
                .cloned()
                .zip(x.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), ogi_report::schema::all_cells().len());
    let report = ogi_report::parse_path(&chanhe).unwrap();
    for row in &rows {
        let cell = report.cell(&row["key"]);
        match cell {
            None => assert_eq!(row["status"], "not-in-template", "{row:?}"),
            Some(c) => {
                assert_eq!(
                    row["value"],
                    c.value.map(|v| v.to_string()).unwrap_or_default()
                );
                assert_eq!(row["raw"], c.raw.clone().unwrap_or_default());
                assert_eq!(
                    row["line"],
                    c.location
                        .as_ref()
                        .and_then(|l| l.line)
                        .map(|l| l.to_string())
                        .unwrap_or_default()
                );
                if c.value.is_some() {
                    assert_eq!(row["status"], "printed");
                }
            }
        }
    }
    let granted = rows
        .iter()
        .find(|r| r["key"] == "applications.granted.natural_person")
        .unwrap();
    assert_eq!(granted["row_label"], "予以公开");
    assert_eq!(granted["column_label"], "自然人");
    assert_eq!(granted["organization"], "瀍河回族区司法局");
    assert!(!granted["line"].is_empty());
}

/// The `--out` folder loaded by pandas and openpyxl (`tests/python/check_out.py`).
#[test]
#[ignore = "needs a Python with pandas and openpyxl: OGI_REPORT_PYTHON=/path/to/python cargo test --test batch -- --ignored"]
fn pandas_and_openpyxl_load_the_out_folder() {
    let python = std::env::var("OGI_REPORT_PYTHON").expect("set OGI_REPORT_PYTHON");
    let root = scratch("pandas");
    copy_dir(&corpus(), &root.join("corpus"));
    std::fs::write(root.join("broken.pdf"), b"%PDF-1.7\n\x00 not a pdf").unwrap();
    let out = scratch("pandas-out");
    let run = Command::new(bin())
        .args(["parse", "--out"])
        .arg(&out)
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let check = Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/check_out.py"))
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8_lossy(&check.stdout).starts_with("ok: "));
}
