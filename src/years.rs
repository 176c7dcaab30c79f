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

/// The characters that end a place name (`淮安市`, `洪泽区`, `江苏省`, `沭阳县`).
const PLACE_ENDS: &[char] = &['省', '市', '区', '县', '旗', '州', '盟'];

/// The length in chars of the place name a name starts with (`洪泽区…` → 3), if any: two
/// to seven characters up to the first place ending.
fn leading_place(name: &str) -> Option<usize> {
    let chars: Vec<char> = name.chars().take(9).collect();
    let mut i = chars.iter().take(7).position(|c| PLACE_ENDS.contains(c))?;
    if i == 0 {
        return None;
    }
    // `广州市`, `苏州市`: the ending runs on
    while chars.get(i + 1).is_some_and(|c| PLACE_ENDS.contains(c)) {
        i += 1;
    }
    Some(i + 1)
}

/// A body's identity across years, see [`org_identity`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgIdentity {
    /// The name that pairs years: [`normalize_org`], `人民政府` → `政府`, and the leading
    /// place names dropped while what follows still starts with a place
    /// (`淮安市洪泽区人民政府` → `洪泽区政府`).
    pub key: String,
    /// The place names dropped (`淮安市`), empty if none.
    pub dropped: String,
    /// [`normalize_org`] with `人民政府` → `政府` and nothing dropped.
    pub full: String,
}

/// The identity of a reporting body. A leading place name is dropped only when the rest
/// still names a place of its own, so `某市财政局` and `某县财政局` stay apart while
/// `淮安市洪泽区人民政府` and `洪泽区人民政府` meet.
pub fn org_identity(org: &str) -> OrgIdentity {
    let full = normalize_org(org).replace("人民政府", "政府");
    let mut rest = full.as_str();
    while let Some(n) = leading_place(rest) {
        let after: &str = &rest[rest.char_indices().nth(n).map_or(rest.len(), |(i, _)| i)..];
        if leading_place(after).is_none() {
            break;
        }
        rest = after;
    }
    OrgIdentity {
        key: rest.to_string(),
        dropped: full[..full.len() - rest.len()].to_string(),
        full: full.clone(),
    }
}

/// The grouping key of every report: its identity's key, unless reports in the batch
/// drop different places for it (`南京市鼓楼区…` and `福州市鼓楼区…`: two bodies), in
/// which case the undropped name.
fn grouping_keys(ids: &[Option<OrgIdentity>]) -> Vec<Option<String>> {
    let mut dropped: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for id in ids.iter().flatten() {
        let set = dropped.entry(id.key.as_str()).or_default();
        if !id.dropped.is_empty() {
            set.insert(id.dropped.as_str());
        }
    }
    ids.iter()
        .map(|id| {
            let id = id.as_ref()?;
            Some(
                if dropped.get(id.key.as_str()).is_some_and(|s| s.len() > 1) {
                    id.full.clone()
                } else {
                    id.key.clone()
                },
            )
        })
        .collect()
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
    let ids: Vec<Option<OrgIdentity>> = reports
        .iter()
        .map(|(_, r)| r.metadata.organization.as_deref().map(org_identity))
        .collect();
    for (i, ((_, r), key)) in reports.iter().zip(grouping_keys(&ids)).enumerate() {
        if let (Some(key), Some(y)) = (key, r.metadata.year) {
            groups.entry(key).or_default().entry(y).or_default().push(i);
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
                if let (Some(p), Some(c)) = (&ids[pi], &ids[ci]) {
                    if p.full != c.full {
                        out.push((
                            ci,
                            Diagnostic::new(
                                Code::OrgPaired,
                                Severity::Info,
                                format!(
                                    "paired with the {py} report of '{}' ({pname}) as one body: both names read '{}' without place prefixes, brackets and 人民政府/政府",
                                    prev.metadata.organization.as_deref().unwrap_or_default(),
                                    c.key
                                ),
                            ),
                        ));
                    }
                }
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
                out.extend(
                    text_reuse(prev, cur, pname, py)
                        .into_iter()
                        .map(|d| (ci, d)),
                );
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

/// The sections whose text is the body's own words (the others hold the tables).
const NARRATIVE_SECTIONS: [(&str, &str); 3] = [
    ("overview", "一"),
    ("problems", "五"),
    ("other_matters", "六"),
];

/// Shingle length in characters: long enough that shared set phrases of the genre
/// (`以习近平新时代中国特色社会主义思想为指导`) count only where whole passages repeat.
const SHINGLE: usize = 8;

/// The character shingles of a text: CJK and letters only (digits, punctuation and white
/// space dropped, so a copied sentence with this year's numbers still counts as copied).
fn shingles(text: &str) -> std::collections::HashSet<String> {
    let chars: Vec<char> = width::fold(text)
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    chars.windows(SHINGLE).map(|w| w.iter().collect()).collect()
}

/// The share of `cur`'s shingles also in `prev`, `None` for a text too short to judge.
pub fn reuse_share(prev: &str, cur: &str) -> Option<f64> {
    let (a, b) = (shingles(prev), shingles(cur));
    if b.len() < 30 || a.is_empty() {
        return None;
    }
    Some(b.intersection(&a).count() as f64 / b.len() as f64)
}

/// `years.text-reused`: per narrative section, the share repeated from last year's report
/// (info from 30%; a warning when section 五's problems and plans are mostly copied).
fn text_reuse(prev: &Report, cur: &Report, pname: &str, py: i32) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let text = |r: &Report, key: &str| -> Option<String> {
        let s = match key {
            "overview" => r.sections.overview.as_ref(),
            "problems" => r.sections.problems.as_ref(),
            _ => r.sections.other_matters.as_ref(),
        }?;
        Some(s.text.clone())
    };
    for (key, numeral) in NARRATIVE_SECTIONS {
        let (Some(a), Some(b)) = (text(prev, key), text(cur, key)) else {
            continue;
        };
        let Some(share) = reuse_share(&a, &b) else {
            continue;
        };
        if share < 0.3 {
            continue;
        }
        let pct = (share * 100.0).round();
        let severity = if key == "problems" && share >= 0.6 {
            Severity::Warning
        } else {
            Severity::Info
        };
        let tail = if severity == Severity::Warning {
            ": problems and plans copied from last year?"
        } else {
            ""
        };
        out.push(Diagnostic::new(
            Code::TextReused,
            severity,
            format!("section {numeral} ({key}): {pct}% of the text repeats the {py} report's ({pname}){tail}"),
        ));
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

    fn with_problems(mut r: Report, text: &str) -> Report {
        r.sections.problems = Some(crate::report::Section {
            heading: "五、存在的主要问题及改进情况".into(),
            text: text.into(),
            location: None,
        });
        r
    }

    #[test]
    fn copied_problems_are_found_despite_new_numbers() {
        let last = "一是政务公开工作人员业务能力有待提升，二是政策解读形式较为单一，三是依申请公开答复规范性不足。下一步，我们将加强培训，丰富解读形式，规范答复文书，全年组织培训3次。";
        let copied = last.replace("3次", "5次");
        let fresh = "本年度信息发布的及时性仍需加强，基层公开目录更新滞后。明年将建立月度巡检制度，完善考核办法，推动栏目内容常态更新，提高群众满意度和获得感。";
        assert!(reuse_share(last, &copied).unwrap() > 0.9);
        assert!(reuse_share(last, fresh).unwrap() < 0.1);
        let a = with_problems(report(2023, "0 0 0 0 0 0 0", "1 0 0 0 0 0 1", "10"), last);
        let b = with_problems(
            report(2024, "1 0 0 0 0 0 1", "0 0 0 0 0 0 0", "11"),
            &copied,
        );
        let f = year_over_year(&[("a", &a), ("b", &b)]);
        let d = f
            .iter()
            .find(|(_, d)| d.code == Code::TextReused)
            .map(|(_, d)| d)
            .unwrap_or_else(|| panic!("{f:?}"));
        assert_eq!(d.severity, Severity::Warning, "{d:?}");
        assert!(
            d.message.contains("section 五") && d.message.contains('%'),
            "{d:?}"
        );
        let c = with_problems(report(2024, "1 0 0 0 0 0 1", "0 0 0 0 0 0 0", "11"), fresh);
        let f = year_over_year(&[("a", &a), ("c", &c)]);
        assert!(!f.iter().any(|(_, d)| d.code == Code::TextReused), "{f:?}");
    }

    fn named(org: &str, year: i32, carried_over: &str, carried_forward: &str) -> Report {
        let mut r = report(year, carried_over, carried_forward, "10");
        r.metadata.organization = Some(org.to_string());
        r
    }

    #[test]
    fn identity_drops_place_prefixes_only_before_another_place() {
        assert_eq!(org_identity("淮安市洪泽区人民政府").key, "洪泽区政府");
        assert_eq!(org_identity("江苏省淮安市洪泽区人民政府").key, "洪泽区政府");
        assert_eq!(org_identity("洪泽区人民政府").key, "洪泽区政府");
        assert_eq!(org_identity("淮安市人民政府").key, "淮安市政府");
        assert_eq!(org_identity("广州市天河区人民政府").key, "天河区政府");
        assert_eq!(org_identity("某市财政局").key, "某市财政局");
        assert_eq!(
            org_identity("淮安市市场监督管理局").key,
            "淮安市市场监督管理局"
        );
        assert_eq!(org_identity("ＸＸ区 人民政府（办公室）").key, "XX区政府");
    }

    #[test]
    fn years_pair_by_identity_and_say_so() {
        let a = named("洪泽区人民政府", 2023, "0 0 0 0 0 0 0", "1 0 0 0 0 0 1");
        let b = named(
            "淮安市洪泽区人民政府",
            2024,
            "2 0 0 0 0 0 2",
            "0 0 0 0 0 0 0",
        );
        let f = year_over_year(&[("a", &a), ("b", &b)]);
        let codes: Vec<Code> = f.iter().map(|(_, d)| d.code).collect();
        assert!(codes.contains(&Code::OrgPaired), "{f:?}");
        assert!(codes.contains(&Code::CarryOverMismatch), "{f:?}");
        // the same name: paired without a note
        let c = named("洪泽区人民政府", 2024, "1 0 0 0 0 0 1", "0 0 0 0 0 0 0");
        let f = year_over_year(&[("a", &a), ("c", &c)]);
        assert!(
            !f.iter()
                .any(|(_, d)| matches!(d.code, Code::OrgPaired | Code::CarryOverMismatch)),
            "{f:?}"
        );
    }

    #[test]
    fn different_bodies_are_not_merged() {
        let a = named("某市财政局", 2023, "0 0 0 0 0 0 0", "1 0 0 0 0 0 1");
        let b = named("某县财政局", 2024, "2 0 0 0 0 0 2", "0 0 0 0 0 0 0");
        assert!(year_over_year(&[("a", &a), ("b", &b)]).is_empty());
        // two 鼓楼区 of two cities: the batch drops two different places, so no pairing
        let c = named(
            "南京市鼓楼区人民政府",
            2023,
            "0 0 0 0 0 0 0",
            "1 0 0 0 0 0 1",
        );
        let d = named(
            "福州市鼓楼区人民政府",
            2024,
            "2 0 0 0 0 0 2",
            "0 0 0 0 0 0 0",
        );
        assert!(year_over_year(&[("c", &c), ("d", &d)]).is_empty());
        let e = named("鼓楼区人民政府", 2024, "2 0 0 0 0 0 2", "0 0 0 0 0 0 0");
        assert!(year_over_year(&[("c", &c), ("d", &d), ("e", &e)]).is_empty());
    }
}
