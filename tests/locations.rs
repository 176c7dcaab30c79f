//! Where cells come from, checked on every corpus input: a span lies inside the decoded
//! input on char boundaries, a line number inside its text, a box is well formed and on the
//! page's scale, and the cells of one table-grid row carry their own boxes, not the row's.

use ogi_report::{parse_path, InputFormat, Report};
use std::path::{Path, PathBuf};

fn corpus_inputs() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for dir in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e != "json") {
                v.push(f);
            }
        }
    }
    v.sort();
    v
}

/// Problems with the locations of one report's cells.
fn location_faults(path: &Path, report: &Report) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let text_input = matches!(
        report.metadata.format,
        InputFormat::Text | InputFormat::Markdown
    );
    let text = ogi_report::decode_text(&bytes);
    let n_lines = text.lines().count() as u32;
    let mut faults = Vec::new();
    for (key, cell) in report.cells() {
        let Some(loc) = &cell.location else {
            if cell.raw.is_some() {
                faults.push(format!("{key}: read but without a location"));
            }
            continue;
        };
        if let Some(s) = loc.span {
            if !text_input {
                faults.push(format!("{key}: a byte span on a non-text input"));
            } else if s.start > s.end
                || s.end > text.len()
                || !text.is_char_boundary(s.start)
                || !text.is_char_boundary(s.end)
            {
                faults.push(format!(
                    "{key}: span {s:?} outside the text or off a char boundary"
                ));
            } else if let Some(raw) = cell.raw.as_deref().filter(|r| !r.is_empty()) {
                // the span holds what was read (folded to half width, so compare digits)
                let digits = |s: &str| -> String {
                    s.chars()
                        .filter_map(|c| {
                            let c = if ('０'..='９').contains(&c) {
                                char::from_u32(c as u32 - '０' as u32 + '0' as u32)?
                            } else {
                                c
                            };
                            c.is_ascii_digit().then_some(c)
                        })
                        .collect()
                };
                let printed = digits(&text[s.start..s.end]);
                if !printed.contains(&digits(raw)) {
                    faults.push(format!(
                        "{key}: span holds '{}', cell reads '{raw}'",
                        &text[s.start..s.end]
                    ));
                }
            }
        }
        if text_input {
            if let Some(l) = loc.line {
                if l == 0 || l > n_lines {
                    faults.push(format!("{key}: line {l} outside the {n_lines}-line text"));
                }
            }
        }
        if let Some([x0, y0, x1, y1]) = loc.bbox {
            let ok = [x0, y0, x1, y1]
                .iter()
                .all(|v| v.is_finite() && (-1.0..=14_400.0).contains(v))
                && x0 <= x1
                && y0 <= y1;
            if !ok {
                faults.push(format!("{key}: box {:?} not a box on a page", loc.bbox));
            }
            if loc.page.is_none() {
                faults.push(format!("{key}: a box without its page"));
            }
        }
    }
    // cells of one row read from a table grid (they carry their cell index): each its own
    // box. Values read from a line of running text still carry their line's box.
    for table in ["active_disclosure", "applications", "review_litigation"] {
        let t = report.tables.get(table).unwrap();
        for row in &t.rows {
            let boxes: Vec<[f32; 4]> = row
                .cells
                .iter()
                .filter(|(_, c)| c.value.is_some())
                .filter_map(|(_, c)| c.location.as_ref().filter(|l| l.cell.is_some())?.bbox)
                .collect();
            let distinct = boxes
                .iter()
                .enumerate()
                .all(|(i, b)| boxes[..i].iter().all(|o| o != b));
            if boxes.len() >= 2 && !distinct {
                faults.push(format!("{table}.{}: cells share a box", row.key));
            }
        }
    }
    faults
}

#[test]
fn cell_locations_hold_on_every_corpus_input() {
    let mut read = 0;
    let mut faults = Vec::new();
    for path in corpus_inputs() {
        let Ok(report) = parse_path(&path) else {
            continue;
        };
        read += 1;
        for f in location_faults(&path, &report) {
            faults.push(format!("{}: {f}", path.display()));
        }
    }
    assert!(read >= 60, "only {read} corpus inputs parsed");
    assert!(
        faults.is_empty(),
        "{} location faults:\n{}",
        faults.len(),
        faults[..faults.len().min(40)].join("\n")
    );
}
