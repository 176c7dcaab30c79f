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

/// Saved JSON reads back into the same `Report`: every corpus input, serialised, parsed
/// with serde and serialised again, gives the same text.
#[test]
fn report_json_reads_back() {
    let mut n = 0;
    for dir in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "json") {
                continue;
            }
            let Ok(report) = ogi_report::parse_path(&f) else {
                continue;
            };
            let json = serde_json::to_string(&report).unwrap();
            let back: ogi_report::Report =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            assert_eq!(
                serde_json::to_string(&back).unwrap(),
                json,
                "{}",
                f.display()
            );
            assert_eq!(back.cells().len(), report.cells().len());
            n += 1;
        }
    }
    assert!(n >= 40, "only {n} corpus inputs read back");
}

/// A decimal reaches JSON as a number only when that number reads back as the same value;
/// more digits than an f64 holds go out as an exact string, and both read back.
#[test]
fn decimals_keep_every_digit() {
    use ogi_report::Number;
    let exact: Number = serde_json::from_str("12.35").unwrap();
    assert_eq!(serde_json::to_string(&exact).unwrap(), "12.35");
    let long = Number::Decimal("1234567890123456789.123".parse().unwrap());
    let json = serde_json::to_string(&long).unwrap();
    assert_eq!(json, "\"1234567890123456789.123\"");
    assert_eq!(serde_json::from_str::<Number>(&json).unwrap(), long);
    assert_eq!(serde_json::from_str::<Number>("7").unwrap(), Number::Int(7));
    assert!(serde_json::from_str::<Number>("\"12,5\"").is_err());
}

/// A table key the schema does not know is an error, not silently dropped.
#[test]
fn unknown_table_keys_are_errors() {
    let report = ogi_report::parse_str(
        "某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3\n",
    )
    .unwrap();
    let mut v: Value = serde_json::to_value(&report).unwrap();
    v["tables"]["applications"]["no_such_row"] = serde_json::json!({"label": null});
    let err = serde_json::from_value::<ogi_report::Report>(v).unwrap_err();
    assert!(err.to_string().contains("unknown row no_such_row"), "{err}");
}
