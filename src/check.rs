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
    /// Table, row and column keys (the cell's key is made only for a message).
    table: &'a str,
    row: &'a str,
    col: &'a str,
    /// Whether messages name the term by its row's label, else by its column's.
    by_row: bool,
    cell: Option<&'a Cell>,
}

impl Term<'_> {
    /// The label shown in messages (`本年新收`, `自然人`, `予以公开`): looked up only for
    /// a message (most identities hold).
    fn label(&self) -> &'static str {
        if self.by_row {
            row_label(self.table, self.row)
        } else {
            column_label(self.table, self.col)
        }
    }
    /// The cell's key, `table.row.col`.
    fn key(&self) -> String {
        schema::cell_key(self.table, self.row, self.col)
    }
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

/// A term labelled by its row (`by_row`) or by its column.
fn term<'a>(table: &'a Table, tkey: &'a str, row: &'a str, col: &'a str, by_row: bool) -> Term<'a> {
    Term {
        table: tkey,
        row,
        col,
        by_row,
        cell: table.row(row).and_then(|r| r.cell(col)),
    }
}

/// Checks `lhs = rhs` and reports a break. Skipped when a term could not be read
/// (its own diagnostic already says so) or when every term is blank.
///
/// The message names the terms by their Chinese labels, shows only the non-zero ones and
/// the difference: `本年新收 3 + 上年结转 1 ≠ 总计 5 (差 1)`.
/// `what` names the identity; it is made only for a message (most identities hold).
fn identity(what: impl Fn() -> String, lhs: &[Term], rhs: &[Term], out: &mut Vec<Diagnostic>) {
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
                format!(
                    "{}: not checked, its cells sum beyond the range of exact arithmetic",
                    what()
                ),
            )
            .with_cells(all.iter().map(|t| t.key())),
        );
        return;
    };
    if l == r {
        return;
    }
    let show = |ts: &[Term]| {
        let shown: Vec<String> = ts
            .iter()
            .filter(|t| t.value() != Decimal::ZERO)
            .map(|t| format!("{} {}", t.label(), t.printed()))
            .collect();
        if shown.is_empty() {
            "0".to_string()
        } else {
            shown.join(" + ")
        }
    };
    let blanks: Vec<&str> = all
        .iter()
        .filter(|t| t.blank())
        .map(|t| t.label())
        .collect();
    let (code, extra) = if blanks.is_empty() {
        (Code::SumMismatch, String::new())
    } else {
        (
            Code::SumMissingValue,
            format!("; blank cells counted as 0: {}", blanks.join(", ")),
        )
    };
    let diff = (l - r).abs();
    // point at the printed total (the right-hand side), else at any term that was found
    let location = rhs
        .iter()
        .chain(lhs)
        .find_map(|t| t.cell.and_then(|c| c.location.clone()));
    out.push(
        Diagnostic::new(
            code,
            Severity::Warning,
            format!(
                "{}: {} ≠ {} (差 {diff}){extra}",
                what(),
                show(lhs),
                show(rhs)
            ),
        )
        .at(location)
        .with_cells(all.iter().map(|t| t.key())),
    );
}

/// A row's template label shortened for messages: without its bracketed note and the
/// `政府信息公开申请数量` every table 三 header row repeats (`本年新收`, `部分公开`).
pub fn short_row_label(label: &str) -> &str {
    let label = label.split('（').next().unwrap_or(label);
    label.strip_suffix("政府信息公开申请数量").unwrap_or(label)
}

fn row_label(table: &str, row: &str) -> &'static str {
    schema::TABLES
        .iter()
        .find(|t| t.key == table)
        .and_then(|t| t.rows.iter().find(|r| r.key == row))
        .map_or("", |r| short_row_label(r.label))
}

fn column_label(table: &str, col: &str) -> &'static str {
    let cols = if table == "review_litigation" {
        schema::REVIEW_COLUMNS
    } else {
        schema::APPLICANT_COLUMNS
    };
    cols.iter().find(|c| c.key == col).map_or("", |c| c.label)
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
            || format!("table 三 column {} ({c})", column_label(t, c)),
            &[
                term(apps, t, "new_received", c, true),
                term(apps, t, "carried_over", c, true),
            ],
            &[
                term(apps, t, "total", c, true),
                term(apps, t, "carried_forward", c, true),
            ],
            &mut out,
        );
    }
    // identity 2, per row
    for row in &apps.rows {
        let parts: Vec<Term> = applicants()
            .map(|c| term(apps, t, row.key, c, false))
            .collect();
        identity(
            || format!("table 三 row {} ({})", row_label(t, row.key), row.key),
            &parts,
            &[term(apps, t, row.key, "total", false)],
            &mut out,
        );
    }
    // identity 3, per column
    for c in columns() {
        let parts: Vec<Term> = apps
            .rows
            .iter()
            .filter(|r| schema::is_result_row(r.key))
            .map(|r| term(apps, t, r.key, c, true))
            .collect();
        identity(
            || {
                format!(
                    "table 三 column {} ({c}), results vs total",
                    column_label(t, c)
                )
            },
            &parts,
            &[term(apps, t, "total", c, true)],
            &mut out,
        );
    }
    // identity 4, per group
    let rl = &report.tables.review_litigation;
    for g in ["review", "direct_suit", "post_review_suit"] {
        let parts: Vec<Term> = ["upheld", "corrected", "other", "pending"]
            .iter()
            .map(|c| term(rl, "review_litigation", g, c, false))
            .collect();
        identity(
            || format!("table 四 {} ({g})", row_label("review_litigation", g)),
            &parts,
            &[term(rl, "review_litigation", g, "total", false)],
            &mut out,
        );
    }
    report.diagnostics.extend(out);
    locate_table_diagnostics(report);
}

/// Gives every table diagnostic a location: the first of its cells that was found, else
/// (a row not found, a row whose values could not be read) the row printed before it in
/// its table, else the table's section heading.
fn locate_table_diagnostics(report: &mut Report) {
    let Report {
        tables,
        sections,
        diagnostics,
        ..
    } = report;
    for d in diagnostics.iter_mut().filter(|d| d.location.is_none()) {
        let Some(first) = d.cells.first() else {
            continue;
        };
        let mut parts = first.splitn(3, '.');
        let (Some(tkey), Some(rkey)) = (parts.next(), parts.next()) else {
            continue;
        };
        let Some(table) = tables.get(tkey) else {
            continue;
        };
        let row_location =
            |r: &crate::report::Row| r.cells.iter().find_map(|(_, c)| c.location.clone());
        let own = d.cells.iter().find_map(|k| {
            let mut p = k.splitn(3, '.');
            let (_, r, c) = (p.next()?, p.next()?, p.next()?);
            table.row(r)?.cell(c)?.location.clone()
        });
        let before = table
            .rows
            .iter()
            .position(|r| r.key == rkey)
            .and_then(|i| table.rows[..i].iter().rev().find_map(row_location));
        let heading = match tkey {
            "active_disclosure" => sections.active_disclosure.as_ref(),
            "applications" => sections.applications.as_ref(),
            "review_litigation" => sections.review_litigation.as_ref(),
            _ => None,
        }
        .and_then(|s| s.location.clone());
        d.location = own.or(before).or(heading);
    }
}

#[cfg(test)]
mod tests {
    use crate::Code;

    #[test]
    fn sum_messages_name_labels_nonzero_terms_and_the_difference() {
        let text = "某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n\
            一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3\n二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1\n\
            （一）予以公开 5 0 0 0 0 0 5\n（七）总计 5 0 0 0 0 0 5\n四、结转下年度继续办理 0 0 0 0 0 0 0\n";
        let r = crate::parse_str(text).unwrap();
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.code == Code::SumMismatch && d.message.contains("(total)"))
            .unwrap_or_else(|| panic!("{:#?}", r.diagnostics));
        assert!(
            d.message
                .ends_with("本年新收 3 + 上年结转 1 ≠ 总计 5 (差 1)"),
            "{}",
            d.message
        );
        assert!(d.location.is_some(), "{d:?}");
        // every table diagnostic has a location, the missing rows' too
        let missing: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| {
                d.cells.iter().any(|c| c.starts_with("applications")) && d.location.is_none()
            })
            .collect();
        assert!(missing.is_empty(), "{missing:#?}");
        assert!(r.diagnostics.iter().any(|d| d.code == Code::RowMissing));
    }

    #[test]
    fn sums_beyond_decimal_range_do_not_panic() {
        let big = "79228162514264337593543950.335";
        let row = format!("{big} {big} {big} {big} {big} {big} {big}");
        let text = format!("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 {row}\n（七）总计 {row}\n四、结转下年度继续办理 {row}\n");
        let r = crate::parse_str(&text).unwrap();
        assert!(r.value("applications.new_received.total").is_some());
    }
}
