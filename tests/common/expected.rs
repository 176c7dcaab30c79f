//! Comparing a report with a corpus folder's `expected.json`: a cell passes when it equals
//! the expected value; a cell left null with a warning naming its key passes only when the
//! caller's `allowed` map lists it (the corpus' `allowed-misses.json`).
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
    /// Cells left null with a warning, with the first such warning's code and message.
    pub misses: serde_json::Map<String, Value>,
}

/// Every expected cell checked against the report; `allowed` lists the cells that may be
/// left null with a warning (key → reason), and a listed cell that is right fails too.
pub fn compare(
    report: &Report,
    expected: &serde_json::Map<String, Value>,
    allowed: &serde_json::Map<String, Value>,
) -> Outcome {
    let mut o = Outcome {
        right: 0,
        null_warned: 0,
        failures: Vec::new(),
        misses: serde_json::Map::new(),
    };
    let warning = |key: &str| {
        report
            .diagnostics
            .iter()
            .find(|d| d.severity >= Severity::Warning && d.cells.iter().any(|c| c == key))
    };
    for (key, want) in expected {
        let got = report.cell(key);
        let got_v = got.and_then(|c| c.value).map(|n| n.as_f64());
        let want_v = want.as_f64();
        let right = match (got_v, want_v) {
            (Some(g), Some(w)) => (g - w).abs() < 1e-9,
            (None, None) => got.is_some(),
            _ => false,
        };
        if right && allowed.contains_key(key) {
            o.failures.push(format!(
                "{key}: now right; remove it from allowed-misses.json"
            ));
        }
        match (got_v, want_v) {
            _ if right => o.right += 1,
            (None, _) if warning(key).is_some() => {
                let d = warning(key).map(|d| format!("{}: {}", d.code, d.message));
                o.misses
                    .insert(key.clone(), Value::from(d.unwrap_or_default()));
                o.null_warned += 1;
                if !allowed.contains_key(key) {
                    o.failures.push(format!(
                        "{key}: null with a warning, not in allowed-misses.json ({})",
                        o.misses[key]
                    ));
                }
            }
            _ => o.failures.push(format!(
                "{key}: expected {want}, got {} (raw {:?}){}",
                got_v.map_or("null".to_string(), |g| g.to_string()),
                got.and_then(|c| c.raw.clone()),
                if got.is_none() {
                    " [key absent from report]"
                } else {
                    ""
                }
            )),
        }
    }
    o
}
