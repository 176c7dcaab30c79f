//! Stage 4: template compliance and arithmetic (identities 1–4 of TEMPLATE.md).
//!
//! Reads the report, never changes a value. Blank cells count as 0 in a sum, as in the
//! template's own instructions; a row or column whose cells are all missing is skipped.

use rust_decimal::Decimal;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::report::{checked_sum, Cell, Report, Table};
use crate::schema;

/// One term of an identity.
struct Term<'a> {
    key: String,
    cell: Option<&'a Cell>,
}

impl Term<'_> {
    fn value(&self) -> Decimal {
        self.cell
            .and_then(|c| c.value)
            .map_or(Decimal::ZERO, |v| v.as_decimal())
    }
    fn printed(&self) -> String {
        match self.cell {
            Some(Cell { value: Some(v), .. }) => v.to_string(),
            Some(Cell { raw: Some(r), .. }) if !r.is_empty() => format!("'{r}'"),
            _ => "blank".to_string(),
        }
    }
    /// Whether the cell is missing: not found, or left null because it could not be read.
    fn unknown(&self) -> bool {
        self.cell.is_none_or(|c| c.raw.is_none())
    }
    /// Whether the cell was found and printed blank or with a dash.
    fn blank(&self) -> bool {
        self.cell
            .is_some_and(|c| c.value.is_none() && c.raw.is_some())
    }
}

fn term<'a>(table: &'a Table, tkey: &str, row: &str, col: &str) -> Term<'a> {
    Term {
        key: format!("{tkey}.{row}.{col}"),
        cell: table.row(row).and_then(|r| r.cell(col)),
    }
}

/// Checks `lhs = rhs` and reports a break. Skipped when a term could not be read
/// (its own diagnostic already says so) or when every term is blank.
fn identity(what: &str, lhs: &[Term], rhs: &[Term], out: &mut Vec<Diagnostic>) {
    let all: Vec<&Term> = lhs.iter().chain(rhs).collect();
    if all.iter().any(|t| t.unknown()) || all.iter().all(|t| t.blank()) {
        return;
    }
    let (Some(l), Some(r)) = (
        checked_sum(lhs.iter().map(Term::value)),
        checked_sum(rhs.iter().map(Term::value)),
    ) else {
        // a sum beyond Decimal's range (28-digit cells): no count is that large, and the
        // identity cannot be checked; say so rather than pass it quietly
        out.push(
            Diagnostic::new(
                Code::ValueInvalid,
                Severity::Warning,
                format!("{what}: not checked, its cells sum beyond the range of exact arithmetic"),
            )
            .with_cells(all.iter().map(|t| t.key.clone())),
        );
        return;
    };
    if l == r {
        return;
    }
    let show = |ts: &[Term]| {
        ts.iter()
            .map(|t| format!("{} ({})", short(&t.key), t.printed()))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let blanks: Vec<&str> = all
        .iter()
        .filter(|t| t.blank())
        .map(|t| short(&t.key))
        .collect();
    let (code, extra) = if blanks.is_empty() {
        (Code::SumMismatch, String::new())
    } else {
        (
            Code::SumMissingValue,
            format!("; blank cells counted as 0: {}", blanks.join(", ")),
        )
    };
    out.push(
        Diagnostic::new(
            code,
            Severity::Warning,
            format!("{what}: {} = {l} but {} = {r}{extra}", show(lhs), show(rhs)),
        )
        .with_cells(all.iter().map(|t| t.key.clone())),
    );
}

/// The last two parts of a dotted key (`granted.total`), for compact messages.
fn short(key: &str) -> &str {
    match key.find('.') {
        Some(i) => &key[i + 1..],
        None => key,
    }
}

/// Table 三's columns: the six applicant columns, then `total`.
fn columns() -> impl Iterator<Item = &'static str> {
    schema::APPLICANT_COLUMNS.iter().map(|c| c.key)
}

/// The six applicant columns (every column but `total`).
fn applicants() -> impl Iterator<Item = &'static str> {
    columns().filter(|c| *c != "total")
}

/// Runs every check and appends the diagnostics to the report.
pub fn check(report: &mut Report) {
    let mut out = Vec::new();
    let apps = &report.tables.applications;
    let t = "applications";
    // identity 1, per column
    for c in columns() {
        identity(
            &format!("table 三 column {c}: new_received + carried_over vs total + carried_forward"),
            &[
                term(apps, t, "new_received", c),
                term(apps, t, "carried_over", c),
            ],
            &[
                term(apps, t, "total", c),
                term(apps, t, "carried_forward", c),
            ],
            &mut out,
        );
    }
    // identity 2, per row
    for row in &apps.rows {
        let parts: Vec<Term> = applicants().map(|c| term(apps, t, row.key, c)).collect();
        identity(
            &format!(
                "table 三 row {}: sum of applicant columns vs total",
                row.key
            ),
            &parts,
            &[term(apps, t, row.key, "total")],
            &mut out,
        );
    }
    // identity 3, per column
    for c in columns() {
        let parts: Vec<Term> = apps
            .rows
            .iter()
            .filter(|r| schema::is_result_row(r.key))
            .map(|r| term(apps, t, r.key, c))
            .collect();
        identity(
            &format!("table 三 column {c}: sum of result rows vs total row"),
            &parts,
            &[term(apps, t, "total", c)],
            &mut out,
        );
    }
    // identity 4, per group
    let rl = &report.tables.review_litigation;
    for g in ["review", "direct_suit", "post_review_suit"] {
        let parts: Vec<Term> = ["upheld", "corrected", "other", "pending"]
            .iter()
            .map(|c| term(rl, "review_litigation", g, c))
            .collect();
        identity(
            &format!("table 四 {g}: upheld + corrected + other + pending vs total"),
            &parts,
            &[term(rl, "review_litigation", g, "total")],
            &mut out,
        );
    }
    report.diagnostics.extend(out);
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums_beyond_decimal_range_do_not_panic() {
        let big = "79228162514264337593543950.335";
        let row = format!("{big} {big} {big} {big} {big} {big} {big}");
        let text = format!("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 {row}\n（七）总计 {row}\n四、结转下年度继续办理 {row}\n");
        let r = crate::parse_str(&text).unwrap();
        assert!(r.value("applications.new_received.total").is_some());
    }
}
