//! Checks across years of one body (identities 5 and 6 of TEMPLATE.md), for batches.
//!
//! Reports are grouped by their normalised organisation name; each report is compared with
//! the body's report of the year before. Findings are returned, not applied, so a caller can
//! attach them to the later report (the CLI does).

use rust_decimal::Decimal;
use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::normalize::width;
use crate::report::Report;
use crate::schema;

/// The organisation name used to group reports: width-folded, without white space,
/// bracketed parts (`（管委会）`) and a leading province/city prefix kept as printed.
pub fn normalize_org(org: &str) -> String {
    let folded = width::fold(org);
    let mut out = String::new();
    let mut depth = 0usize;
    for c in folded.chars() {
        match c {
            '(' | '[' | '【' => depth += 1,
            ')' | ']' | '】' => depth = depth.saturating_sub(1),
            c if depth == 0 && !c.is_whitespace() => out.push(c),
            _ => {}
        }
    }
    out
}

/// One finding: the index (into the input slice) of the report it belongs to.
pub type Finding = (usize, Diagnostic);

fn value(r: &Report, key: &str) -> Option<Decimal> {
    r.value(key).map(|v| v.as_decimal())
}

/// Compares every report with its body's report of the year before.
/// `reports` pairs a name for messages (the file) with the report.
pub fn year_over_year(reports: &[(&str, &Report)]) -> Vec<Finding> {
    // body → year → the reports of that year (a batch may hold several copies of one report)
    let mut groups: BTreeMap<String, BTreeMap<i32, Vec<usize>>> = BTreeMap::new();
    for (i, (_, r)) in reports.iter().enumerate() {
        if let (Some(org), Some(y)) = (&r.metadata.organization, r.metadata.year) {
            groups
                .entry(normalize_org(org))
                .or_default()
                .entry(y)
                .or_default()
                .push(i);
        }
    }
    let mut out = Vec::new();
    for years in groups.values() {
        let ys: Vec<(&i32, &Vec<usize>)> = years.iter().collect();
        for w in ys.windows(2) {
            let ((&py, prevs), (&cy, curs)) = (w[0], w[1]);
            let Some(&pi) = prevs.first() else { continue };
            let (pname, prev) = reports[pi];
            for &ci in curs {
                let cur = reports[ci].1;
                if identical_tables(prev, cur) {
                    out.push((
                        ci,
                        Diagnostic::new(
                            Code::IdenticalTables,
                            Severity::Warning,
                            format!("every table cell equals the {py} report's ({pname}): tables copied from last year?"),
                        ),
                    ));
                }
                if cy != py + 1 {
                    out.push((
                        ci,
                        Diagnostic::new(
                            Code::YearGap,
                            Severity::Info,
                            format!("previous report of this body is {py} ({pname}), not {}: year-over-year identities not checked", cy - 1),
                        ),
                    ));
                    continue;
                }
                out.extend(
                    carry_over(prev, cur, pname, py)
                        .into_iter()
                        .map(|d| (ci, d)),
                );
                out.extend(in_force(prev, cur, pname, py).into_iter().map(|d| (ci, d)));
            }
        }
    }
    out
}

/// Identity 5: this year's `carried_over` = last year's `carried_forward`, every column.
fn carry_over(prev: &Report, cur: &Report, pname: &str, py: i32) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in schema::APPLICANT_COLUMNS {
        let this_key = format!("applications.carried_over.{}", c.key);
        let last_key = format!("applications.carried_forward.{}", c.key);
        let (Some(this_cell), Some(last_cell)) = (cur.cell(&this_key), prev.cell(&last_key)) else {
            continue;
        };
        if this_cell.raw.is_none() || last_cell.raw.is_none() {
            continue; // unread cells have their own diagnostics
        }
        let (a, b) = (
            value(cur, &this_key).unwrap_or_default(),
            value(prev, &last_key).unwrap_or_default(),
        );
        if a != b {
            out.push(
                Diagnostic::new(
                    Code::CarryOverMismatch,
                    Severity::Warning,
                    format!("carried_over.{} ({a}) differs from carried_forward.{} ({b}) of the {py} report ({pname})", c.key, c.key),
                )
                .with_cells([this_key]),
            );
        }
    }
    out
}

/// Identity 6 (v2021 table 二): last `in_force` + `issued` − `repealed` = `in_force`.
fn in_force(prev: &Report, cur: &Report, pname: &str, py: i32) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for row in ["rules", "normative_documents"] {
        let k = |c: &str| format!("active_disclosure.{row}.{c}");
        let (Some(last), Some(issued), Some(repealed), Some(now)) = (
            value(prev, &k("in_force")),
            value(cur, &k("issued")),
            value(cur, &k("repealed")),
            value(cur, &k("in_force")),
        ) else {
            continue;
        };
        let Some(expected) = last
            .checked_add(issued)
            .and_then(|x| x.checked_sub(repealed))
        else {
            continue;
        };
        if expected != now {
            out.push(
                Diagnostic::new(
                    Code::InForceMismatch,
                    Severity::Warning,
                    format!("{row}: {py} in_force ({last}) + issued ({issued}) − repealed ({repealed}) = {expected} but in_force is {now} (last year: {pname})"),
                )
                .with_cells([k("issued"), k("repealed"), k("in_force")]),
            );
        }
    }
    out
}

/// Whether two reports print the same values in every cell and have some non-zero value.
fn identical_tables(a: &Report, b: &Report) -> bool {
    let (ca, cb) = (a.cells(), b.cells());
    if ca.len() != cb.len() || ca.is_empty() {
        return false;
    }
    let mut nonzero = false;
    for ((ka, x), (kb, y)) in ca.iter().zip(&cb) {
        if ka != kb || x.value != y.value {
            return false;
        }
        nonzero |= x.value.is_some_and(|v| v.as_decimal() != Decimal::ZERO);
    }
    nonzero
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(year: i32, carried_over: &str, carried_forward: &str, in_force: &str) -> Report {
        let text = format!(
            "某某局{year}年政府信息公开工作年度报告\n二、主动公开政府信息情况\n本年制发件数 本年废止件数 现行有效件数\n规章 0 0 0\n行政规范性文件 2 1 {in_force}\n\
             三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n二、上年结转政府信息公开申请数量 {carried_over}\n\
             四、结转下年度继续办理 {carried_forward}\n"
        );
        crate::parse_str(&text).unwrap()
    }

    #[test]
    fn carry_over_and_in_force_across_adjacent_years() {
        let a = report(2023, "0 0 0 0 0 0 0", "1 0 0 0 0 0 1", "10");
        let b = report(2024, "2 0 0 0 0 0 2", "0 0 0 0 0 0 0", "11");
        let f = year_over_year(&[("a", &a), ("b", &b)]);
        let codes: Vec<Code> = f.iter().map(|(_, d)| d.code).collect();
        assert!(f.iter().all(|(i, _)| *i == 1));
        assert_eq!(
            codes
                .iter()
                .filter(|c| **c == Code::CarryOverMismatch)
                .count(),
            2,
            "{f:?}"
        );
        assert!(!codes.contains(&Code::InForceMismatch), "{f:?}"); // 10 + 2 - 1 = 11
        let c = report(2024, "1 0 0 0 0 0 1", "0 0 0 0 0 0 0", "12");
        let f = year_over_year(&[("a", &a), ("c", &c)]);
        assert!(f.iter().any(|(_, d)| d.code == Code::InForceMismatch));
        assert!(!f.iter().any(|(_, d)| d.code == Code::CarryOverMismatch));
    }

    #[test]
    fn gaps_and_copies() {
        let a = report(2021, "0 0 0 0 0 0 0", "1 0 0 0 0 0 1", "10");
        let b = report(2023, "0 0 0 0 0 0 0", "1 0 0 0 0 0 1", "10");
        let f = year_over_year(&[("a", &a), ("b", &b)]);
        let codes: Vec<Code> = f.iter().map(|(_, d)| d.code).collect();
        assert!(
            codes.contains(&Code::YearGap) && codes.contains(&Code::IdenticalTables),
            "{codes:?}"
        );
        assert_eq!(normalize_org("平潭综合实验区（管委会）"), "平潭综合实验区");
    }
}
