//! OCR of scanned pages and pictures of tables (`tests/scans/<report>/scanned-*`, scans of
//! the corpus reports of the same name: their `expected.json` is in `corpus/<report>/`).
//!
//! The tests that read scans need Tesseract with its Chinese model (`apt-get install
//! tesseract-ocr tesseract-ocr-chi-sim`, done by `.ci/run`), so they are `#[ignore]`d in a
//! plain `cargo test` and run by `.ci/run` with `--ignored`. They hold the OCR path to the
//! library's promise: every number given is the number printed, or carries a warning naming
//! its cell; and the cells these pages print are read.

use ogi_report::{Code, InputFormat, OcrMode, Options, Report, Severity};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[path = "common/expected.rs"]
mod expected;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The scans (kept out of `corpus/`, whose README command runs with the Rust toolchain only).
fn scans_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scans")
}

/// The expected cells of the report a scan is of.
fn expected_of(scan: &Path) -> serde_json::Map<String, Value> {
    let report = scan.parent().unwrap().file_name().unwrap();
    expected::load(&corpus().join(report))
}

/// Every scan (page pictures and image-only PDFs).
fn scans() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for d in std::fs::read_dir(scans_dir()).unwrap() {
        let d = d.unwrap().path();
        if !d.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&d).unwrap() {
            let f = f.unwrap().path();
            if f.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("scanned-")
            {
                v.push(f);
            }
        }
    }
    v.sort();
    v
}

fn parse(path: &Path) -> Report {
    ogi_report::parse_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Cells given a number that is not the printed one, with no warning naming them.
fn silent_wrong(report: &Report, exp: &serde_json::Map<String, Value>) -> Vec<String> {
    let flagged = |key: &str| {
        report
            .diagnostics
            .iter()
            .any(|d| d.severity >= Severity::Warning && d.cells.iter().any(|c| c == key))
    };
    let mut out = Vec::new();
    for (key, cell) in report.cells() {
        let Some(v) = cell.value else { continue };
        let want = exp.get(&key).and_then(Value::as_f64);
        if want.is_none_or(|w| (v.as_f64() - w).abs() > 1e-9) && !flagged(&key) {
            out.push(format!("{key}: read {v}, printed {want:?}"));
        }
    }
    out
}

/// The keys of a table-三 row's cells, in template column order (自然人 … 总计).
fn applicant_keys(row: &str) -> Vec<String> {
    ogi_report::schema::APPLICANT_COLUMNS
        .iter()
        .map(|c| format!("{row}.{}", c.key))
        .collect()
}

/// The values of the cells `keys` in the report.
fn values(report: &Report, keys: &[&str]) -> Vec<Option<f64>> {
    keys.iter()
        .map(|k| report.value(k).map(|n| n.as_f64()))
        .collect()
}

#[test]
#[ignore = "needs tesseract-ocr and tesseract-ocr-chi-sim (installed by .ci/run)"]
fn every_number_read_from_a_scan_is_the_printed_one_or_flagged() {
    let files = scans();
    assert!(files.len() >= 4, "scans in corpus/: {files:?}");
    for f in files {
        let report = parse(&f);
        let exp = expected_of(&f);
        let pages = report
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::OcrPage)
            .count();
        assert!(pages >= 1, "{}: no page read by OCR", f.display());
        let silent = silent_wrong(&report, &exp);
        assert!(silent.is_empty(), "{}: {silent:#?}", f.display());
        let given = report
            .cells()
            .iter()
            .filter(|(_, c)| c.value.is_some())
            .count();
        assert!(given >= 15, "{}: only {given} cells read", f.display());
    }
}

/// The table-三 rows `scanned-200-p3.jpg` prints (down to （四）1.), checked against the
/// report's expected cells: each right, or (a digit the seal's ink ate) null with a
/// warning naming the cell. Returns the wrong cells and how many were left unread.
fn read_rows_of_hongze_p3(report: &Report) -> (Vec<String>, usize) {
    let exp = expected_of(&scans_dir().join("2024-huaian-hongze-district/scanned-200-p3.jpg"));
    let rows = [
        "applications.new_received",
        "applications.carried_over",
        "applications.granted",
        "applications.partially_granted",
        "applications.denied_state_secret",
        "applications.denied_law_prohibited",
        "applications.denied_security_stability",
        "applications.denied_third_party",
        "applications.denied_internal_affairs",
        "applications.denied_process_info",
        "applications.denied_enforcement_file",
        "applications.denied_inquiry",
        "applications.unable_not_held",
    ];
    let (mut wrong, mut unread) = (Vec::new(), 0);
    for r in rows {
        for key in applicant_keys(r) {
            let want = exp[&key].as_f64();
            let got = report.value(&key).map(|n| n.as_f64());
            let warned = report
                .diagnostics
                .iter()
                .any(|d| d.code == Code::OcrLowConfidence && d.cells.contains(&key));
            if got.is_none() && warned {
                unread += 1;
            } else if got != want {
                wrong.push(format!("{key}: {got:?}, printed {want:?}"));
            }
        }
    }
    (wrong, unread)
}

#[test]
#[ignore = "needs tesseract-ocr and tesseract-ocr-chi-sim (installed by .ci/run)"]
fn a_table_page_photographed_at_200_dpi_is_read_cell_by_cell() {
    let f = scans_dir().join("2024-huaian-hongze-district/scanned-200-p3.jpg");
    let report = parse(&f);
    assert_eq!(report.metadata.format, InputFormat::Image);
    let (wrong, unread) = read_rows_of_hongze_p3(&report);
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(unread <= 3, "{unread} of 91 cells unread");
    assert_eq!(
        values(
            &report,
            &[
                "active_disclosure.punishment.decisions",
                "active_disclosure.fees.amount"
            ]
        ),
        vec![Some(2776.0), Some(7545.0)]
    );
}

#[test]
#[ignore = "needs tesseract-ocr and tesseract-ocr-chi-sim (installed by .ci/run)"]
fn a_page_scanned_sideways_or_upside_down_is_turned_and_read() {
    let f = scans_dir().join("2024-huaian-hongze-district/scanned-200-p3.jpg");
    let upright = image::open(&f).unwrap();
    let turns = [
        (
            "quarter-left",
            upright.rotate270(),
            "sideways: turned 90° clockwise",
        ),
        (
            "quarter-right",
            upright.rotate90(),
            "sideways: turned 270° clockwise",
        ),
        ("half", upright.rotate180(), "upside down: turned"),
    ];
    for (name, turned, said) in turns {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("turned-{name}.jpg"));
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
            .encode_image(&turned)
            .unwrap();
        drop(out);
        let report = parse(&path);
        let page = report
            .diagnostics
            .iter()
            .find(|d| d.code == Code::OcrPage)
            .unwrap_or_else(|| panic!("{name}: no page read"));
        assert!(page.message.contains(said), "{name}: {}", page.message);
        let (wrong, unread) = read_rows_of_hongze_p3(&report);
        assert!(wrong.is_empty(), "{name}: {wrong:#?}");
        assert!(unread <= 3, "{name}: {unread} of 91 cells unread");
    }
}

#[test]
#[ignore = "needs tesseract-ocr and tesseract-ocr-chi-sim (installed by .ci/run)"]
fn a_sealed_page_keeps_the_numbers_under_the_seal_or_flags_them() {
    // the seal covers the 社会公益组织 … 法律服务机构 columns of the first rows
    let f = scans_dir().join("2021-fujian-pingtan-zone/scanned-200-p4.jpg");
    let report = parse(&f);
    let keys = applicant_keys("applications.new_received");
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    assert_eq!(
        values(&report, &keys),
        [64.0, 0.0, 0.0, 2.0, 0.0, 4.0, 70.0]
            .iter()
            .map(|v| Some(*v))
            .collect::<Vec<_>>()
    );
    let exp = expected_of(&f);
    assert!(silent_wrong(&report, &exp).is_empty());
}

#[test]
#[ignore = "needs tesseract-ocr and tesseract-ocr-chi-sim (installed by .ci/run)"]
fn an_image_only_pdf_is_read_page_by_page() {
    let f = scans_dir().join("2024-huaian-hongze-district/scanned-150.pdf");
    let report = parse(&f);
    assert_eq!(report.metadata.format, InputFormat::Pdf);
    let pages = report
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::OcrPage)
        .count();
    assert!(pages >= 4, "{pages} pages OCR'd");
    assert_eq!(report.metadata.year, Some(2024));
    assert_eq!(
        values(&report, &["applications.new_received.total"]),
        vec![Some(95.0)]
    );
}

#[test]
fn with_ocr_off_a_scan_is_an_error_saying_so() {
    let f = scans_dir().join("2024-huaian-hongze-district/scanned-150-p3.jpg");
    let err =
        ogi_report::parse_path_with(&f, &Options::default().with_ocr(OcrMode::Never)).unwrap_err();
    assert_eq!(err.kind(), ogi_report::ErrorKind::NoTextLayer, "{err}");
    let f = scans_dir().join("2024-huaian-hongze-district/scanned-150.pdf");
    let err =
        ogi_report::parse_path_with(&f, &Options::default().with_ocr(OcrMode::Never)).unwrap_err();
    assert_eq!(err.kind(), ogi_report::ErrorKind::NoTextLayer, "{err}");
}

#[test]
fn an_image_is_told_from_its_bytes() {
    let f = scans_dir().join("2024-huaian-hongze-district/scanned-150-p3.jpg");
    let bytes = std::fs::read(f).unwrap();
    assert_eq!(ogi_report::sniff_format(&bytes), InputFormat::Image);
}

#[test]
fn without_the_engine_the_error_says_what_to_install() {
    let f = scans_dir().join("2024-huaian-hongze-district/scanned-150-p3.jpg");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ogi-report"))
        .args(["parse", "--format", "csv"])
        .arg(&f)
        .env("OGI_REPORT_TESSERACT", "/nonexistent/tesseract")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("apt-get install tesseract-ocr tesseract-ocr-chi-sim"),
        "{stderr}"
    );
    // the batch still has its row for the file, with the error
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.contains("tesseract"), "{stdout}");
}

/// A web page saved with its images (`page.html` + `page_files/`) whose table 三 is a
/// picture (here the photographed table page), with an icon and a picture left on the web.
fn saved_page_with_a_table_picture(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ogi-ocr-page-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("page_files")).unwrap();
    std::fs::copy(
        scans_dir().join("2021-fujian-pingtan-zone/scanned-200-p4.jpg"),
        dir.join("page_files/表格.jpg"),
    )
    .unwrap();
    let html = r#"<html><head><meta charset="utf-8"><title>平潭综合实验区2021年度政府信息公开工作年度报告</title></head>
<body><div class="main"><h1>平潭综合实验区2021年度政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>2021年，我区认真贯彻落实政府信息公开条例。</p>
<p>二、主动公开政府信息情况</p><p>见下表。</p>
<p>三、收到和处理政府信息公开申请情况</p>
<p><img src="./page_files/%E8%A1%A8%E6%A0%BC.jpg" width="600"><img src="https://www.example.gov.cn/t.png"></p>
<p>四、政府信息公开行政复议、行政诉讼情况</p><p>见下表。</p>
<p>五、存在的主要问题及改进情况</p><p>无。</p>
<p>六、其他需要报告的事项</p><p>无。</p></div></body></html>"#;
    let page = dir.join("page.html");
    std::fs::write(&page, html).unwrap();
    page
}

#[test]
#[ignore = "needs tesseract-ocr and tesseract-ocr-chi-sim (installed by .ci/run)"]
fn a_table_published_as_a_picture_in_a_saved_page_is_read_by_ocr() {
    let page = saved_page_with_a_table_picture("read");
    let report = parse(&page);
    assert_eq!(report.metadata.format, InputFormat::Html);
    let exp = expected::load(&corpus().join("2021-fujian-pingtan-zone"));
    let silent = silent_wrong(&report, &exp);
    assert!(silent.is_empty(), "{silent:#?}");
    // the picture's table 三 rows, read cell by cell, located in picture 1
    let new = applicant_keys("applications.new_received");
    let keys: Vec<&str> = new.iter().map(String::as_str).collect();
    assert_eq!(
        values(&report, &keys),
        [64.0, 0.0, 0.0, 2.0, 0.0, 4.0, 70.0].map(Some).to_vec()
    );
    let cell = report.cell("applications.new_received.total").unwrap();
    assert_eq!(cell.location.as_ref().and_then(|l| l.page), Some(1));
    let given = report
        .cells()
        .iter()
        .filter(|(k, c)| k.starts_with("applications.") && c.value.is_some())
        .count();
    assert!(given >= 30, "only {given} cells of table 三 read");
    let said = |code: Code, what: &str| {
        report
            .diagnostics
            .iter()
            .any(|d| d.code == code && d.message.contains(what))
    };
    assert!(said(Code::OcrPage, "picture 1 (./page_files/"));
    assert!(said(Code::OcrPageUnread, "on the web, not fetched"));
    std::fs::remove_dir_all(page.parent().unwrap()).unwrap();
}

#[test]
fn with_ocr_off_a_pages_pictures_are_named_not_read() {
    let page = saved_page_with_a_table_picture("off");
    let opts = Options::default().with_ocr(OcrMode::Never);
    let report = ogi_report::parse_path_with(&page, &opts).unwrap();
    assert!(report.value("applications.new_received.total").is_none());
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code == Code::OcrPageUnread
                && d.message == "1 picture(s) not read: OCR is off")
    );
    // read from bytes there is no folder to find the picture in
    let bytes = std::fs::read(&page).unwrap();
    let report = ogi_report::parse_bytes_with(&bytes, &opts).unwrap();
    assert!(report
        .diagnostics
        .iter()
        .any(|d| d.code == Code::OcrPageUnread && d.message.contains("no folder to look in")));
    std::fs::remove_dir_all(page.parent().unwrap()).unwrap();
}
