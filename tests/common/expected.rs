//! Comparing a report with a corpus folder's `expected.json`: a cell passes when it equals
//! the expected value, or when it is null and a warning names its key.
#![allow(dead_code)]

use ogi_report::{Report, Severity};
use serde_json::Value;
use std::path::Path;

/// The `expected.json` of a corpus folder, as key → value (number or null).
pub fn load(dir: &Path) -> serde_json::Map<String, Value> {
    let p = dir.join("expected.json");
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    match serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display())) {
        Value::Object(m) => m,
        _ => panic!("{}: not an object", p.display()),
    }
}

/// How a report fared against the expected cells.
pub struct Outcome {
    /// Cells equal to the expected value.
    pub right: usize,
    /// Cells left null with a warning naming them.
    pub null_warned: usize,
    /// Every other cell, described.
    pub failures: Vec<String>,
}

/// Every expected cell checked against the report.
pub fn compare(report: &Report, expected: &serde_json::Map<String, Value>) -> Outcome {
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
        match (got_v, want.as_f64()) {
            (Some(g), Some(w)) if (g - w).abs() < 1e-9 => o.right += 1,
            (None, None) if got.is_some() => o.right += 1,
            (None, _) if warned(key) => o.null_warned += 1,
            _ => o.failures.push(format!(
                "{key}: expected {want}, got {} (raw {:?})",
                got_v.map_or("null".to_string(), |g| g.to_string()),
                got.and_then(|c| c.raw.clone()),
            )),
        }
    }
    o
}
