//! Smoke tests on bundled corpus PDFs (a missing file fails the test).

use std::path::PathBuf;

use ogi_report::extract::pdf::{extract, PdfLimits, PdfText};

fn load(rel: &str) -> PdfText {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(rel);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    extract(&bytes, &PdfLimits::default()).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn lines(t: &PdfText) -> Vec<(String, bool)> {
    t.pages
        .iter()
        .flat_map(|p| p.lines.iter().map(|l| (l.shown(), l.is_table_row)))
        .collect()
}

fn cells(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

fn numeric_tail(row: &str) -> usize {
    cells(row)
        .iter()
        .rev()
        .take_while(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit()))
        .count()
}

/// Table 三's rows: the table rows from 一、本年新收… on while they end in 7 numeric cells.
fn table3_rows(ls: &[(String, bool)]) -> Vec<&String> {
    let start = ls
        .iter()
        .position(|(l, _)| l.contains("本年新收政府信息公开申请数量"))
        .expect("table 三");
    ls[start..]
        .iter()
        .filter(|(_, r)| *r)
        .map(|(l, _)| l)
        .take_while(|l| numeric_tail(l) == 7)
        .collect()
}

#[test]
fn hongze_source() {
    let t = load("2024-huaian-hongze-district/source.pdf");
    assert_eq!(t.undecodable_glyphs, 0);
    let ls = lines(&t);
    assert!(
        ls.iter()
            .any(|(l, row)| *row && l.contains("行政许可") && l.contains("9487")),
        "行政许可 9487"
    );
    // Table 三: 23 rows (single （六）其他处理 row) ending in 7 numeric cells.
    let rows = table3_rows(&ls);
    assert_eq!(rows.len(), 23, "{rows:#?}");
    assert!(
        rows[0].starts_with("| 一、本年新收政府信息公开申请数量 | 95 | 0 | 0 | 0 | 0 | 0 | 95 |")
    );
    assert!(!ls.iter().any(|(l, _)| l == "-1-" || l == "- 1 -"));
}

#[test]
fn chanhe_cid() {
    let t = load("2024-chanhe-justice-bureau/rendered-cid.pdf");
    let ls = lines(&t);
    assert!(ls.iter().any(|(l, _)| l.contains("行政规范性文件")));
    let rows = table3_rows(&ls);
    assert_eq!(rows.len(), 25, "{rows:#?}");
}

#[test]
fn shanghai_print_keeps_blank_cells() {
    let t = load("2019-shanghai-city-gov-office/source-print.pdf");
    let ls = lines(&t);
    let row = ls
        .iter()
        .find(|(l, r)| *r && l.contains("本年新收政府信息公开申请数量"))
        .expect("row");
    assert_eq!(
        cells(&row.0),
        vec![
            "一、本年新收政府信息公开申请数量",
            "821",
            "35",
            "",
            "",
            "2",
            "1",
            "859"
        ]
    );
}

#[test]
fn whole_corpus_extracts() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut read = 0;
    for d in std::fs::read_dir(&dir).expect("bundled corpus").flatten() {
        for name in [
            "rendered-libreoffice.pdf",
            "rendered-chromium.pdf",
            "rendered-cairo.pdf",
            "rendered-cid.pdf",
            "source.pdf",
            "source-print.pdf",
        ] {
            let p = d.path().join(name);
            let Ok(bytes) = std::fs::read(&p) else {
                continue;
            };
            let t = extract(&bytes, &PdfLimits::default())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert_eq!(t.undecodable_glyphs, 0, "{}", p.display());
            let ls = lines(&t);
            let rows: Vec<&String> = ls.iter().filter(|(_, r)| *r).map(|(l, _)| l).collect();
            let s = rows
                .iter()
                .position(|l| l.contains("本年新收政府信息公开申请数量"))
                .unwrap_or_else(|| panic!("{}", p.display()));
            let e = rows
                .iter()
                .position(|l| l.contains("结转下年度继续办理"))
                .unwrap_or_else(|| panic!("{}", p.display()));
            let table = &rows[s..=e];
            assert!(
                table.len() == 23 || table.len() == 25,
                "{}: {table:#?}",
                p.display()
            );
            for r in table {
                let c = cells(r);
                assert!(c.len() >= 8, "{}: {r}", p.display());
                let tail = &c[c.len() - 7..];
                assert!(
                    tail.iter()
                        .all(|v| v.is_empty() || v.chars().all(|ch| ch.is_ascii_digit())),
                    "{}: {r}",
                    p.display()
                );
            }
            read += 1;
        }
    }
    // every bundled folder has at least its source; most have renderings too
    assert!(read >= 20, "only {read} corpus PDFs read");
}

#[test]
fn mutated_corpus_never_panics() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/2024-huaian-hongze-district/source.pdf");
    let orig = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let panics = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = panics.clone();
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |_| {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }));
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..60 {
        let mut b = orig.clone();
        for _ in 0..8 {
            let i = (next() as usize) % b.len();
            b[i] = next() as u8;
        }
        let cut = b.len() - (next() as usize % 2000);
        let _ = extract(&b[..cut], &PdfLimits::default());
    }
    std::panic::set_hook(prev);
    assert_eq!(
        panics.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "a panic was caught inside extract"
    );
}

/// The same bytes give the same report every time. Hash maps here are seeded anew for each
/// map, so a result that followed a map's order (which of two overlapping ruled tables takes
/// the glyphs first, in this cairo redraw) came out different from parse to parse.
#[test]
fn repeated_parses_agree() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/2024-huaian-hongze-district/rendered-cairo.pdf");
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let json = || {
        let report = ogi_report::parse_bytes(&bytes).expect("parses");
        serde_json::to_string(&report).expect("serialises")
    };
    let first = json();
    for _ in 0..7 {
        assert_eq!(json(), first);
    }
}
