//! The machine-readable output is an interface: the CSV columns and the JSON shape must not
//! change by accident. On an intended change, rerun with `OGI_UPDATE_SNAPSHOTS=1` and
//! commit the updated files under `tests/snapshots/` (and the README's description).

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("OGI_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name} changed; if intended, run with OGI_UPDATE_SNAPSHOTS=1 and update the README.\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

/// Every path in a JSON value with the type found there; arrays collapse to `[]`.
fn shape(v: &Value, path: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                shape(x, &format!("{path}.{k}"), out);
            }
        }
        Value::Array(a) => {
            for x in a {
                shape(x, &format!("{path}[]"), out);
            }
        }
        Value::Null => {
            out.insert(format!("{path}: null"));
        }
        Value::Bool(_) => {
            out.insert(format!("{path}: bool"));
        }
        Value::Number(_) => {
            out.insert(format!("{path}: number"));
        }
        Value::String(_) => {
            out.insert(format!("{path}: string"));
        }
    }
}

#[test]
fn csv_columns_are_stable() {
    snapshot(
        "csv_header.txt",
        &(ogi_report::export::csv_header().join("\n") + "\n"),
    );
    snapshot(
        "diagnostics_columns.txt",
        &(ogi_report::export::DIAGNOSTIC_COLUMNS.join("\n") + "\n"),
    );
    snapshot(
        "long_columns.txt",
        &(ogi_report::export::LONG_COLUMNS.join("\n") + "\n"),
    );
}

#[test]
fn json_shape_is_stable() {
    let mut out = BTreeSet::new();
    for f in [
        "corpus/2024-chanhe-justice-bureau/source.txt",
        "corpus/2019-shanghai-city-gov-office/source.html",
        "corpus/2024-huaian-hongze-district/source.pdf",
    ] {
        let r = ogi_report::parse_path(Path::new(env!("CARGO_MANIFEST_DIR")).join(f)).unwrap();
        // cell paths differ by template; keep one row per table and the cell fields
        let v = serde_json::to_value(&r).unwrap();
        shape(&v, "", &mut out);
    }
    // collapse the table cells to their field names: `.tables.<table>.<row>.<col>.<field>`
    let collapsed: BTreeSet<String> = out
        .into_iter()
        .map(|p| {
            let parts: Vec<&str> = p.split('.').collect();
            if parts.len() >= 6 && parts[1] == "tables" {
                format!(".tables.<table>.<row>.<column>.{}", parts[5..].join("."))
            } else if parts.len() >= 5 && parts[1] == "tables" {
                format!(".tables.<table>.<row>.{}", parts[4..].join("."))
            } else if parts.len() >= 3 && parts[1] == "sections" {
                format!(
                    ".sections.<section>{}",
                    if parts.len() > 3 {
                        format!(".{}", parts[3..].join("."))
                    } else {
                        format!(": {}", p.rsplit(": ").next().unwrap_or(""))
                    }
                )
            } else {
                p
            }
        })
        .collect();
    snapshot(
        "report_shape.txt",
        &(collapsed.into_iter().collect::<Vec<_>>().join("\n") + "\n"),
    );
}
