//! Choosing among cuts of run-together digits with the template's arithmetic (identities 1–4
//! of TEMPLATE.md). A cut survives only if the printed numbers then add up; a cell keeps a
//! value only when every surviving cut gives it the same one.

use super::split::Piece;
use super::table::{
    filter_readings, keep_readings, no_cut_fits, retain_readings, sums_to, RowRead,
};
use crate::report::Number;

/// Most combinations of ambiguous rows tried jointly.
const MAX_COMBINATIONS: usize = 200_000;

fn values(r: &[Piece]) -> Vec<Option<Number>> {
    r.iter().map(|p| p.value).collect()
}

/// Table 三: each row's total column is the sum of the six applicant columns (identity 2),
/// then the column identities 1 and 3 across the rows whose cut is still open.
pub fn applications(reads: &mut [RowRead]) {
    for r in reads.iter_mut() {
        if !filter_readings(&mut r.readings, |v| v.len() == 7 && sums_to(&v[..6], v[6]))
            && r.problem.is_none()
        {
            r.problem = Some(no_cut_fits(r.spec.key));
        }
    }
    let open: Vec<usize> = (0..reads.len())
        .filter(|&i| reads[i].readings.len() > 1)
        .collect();
    if open.is_empty() {
        return;
    }
    let mut combos: usize = 1;
    for &i in &open {
        combos = combos.saturating_mul(reads[i].readings.len());
    }
    if combos > MAX_COMBINATIONS {
        return;
    }
    let idx = |key: &str| reads.iter().position(|r| r.spec.key == key);
    let (Some(nr), Some(co), Some(tot), Some(cf)) = (
        idx("new_received"),
        idx("carried_over"),
        idx("total"),
        idx("carried_forward"),
    ) else {
        return;
    };
    let results: Vec<usize> = (0..reads.len())
        .filter(|&i| crate::schema::is_result_row(reads[i].spec.key))
        .collect();
    let complete = |i: usize| !reads[i].readings.is_empty();
    let id1 = [nr, co, tot, cf].iter().all(|&i| complete(i));
    let id3 = complete(tot) && results.iter().all(|&i| complete(i));
    if !id1 && !id3 {
        return;
    }
    // odometer over the open rows
    let mut choice = vec![0usize; open.len()];
    let mut used: Vec<Vec<bool>> = open
        .iter()
        .map(|&i| vec![false; reads[i].readings.len()])
        .collect();
    let mut any = false;
    loop {
        let pick = |i: usize| -> Vec<Option<Number>> {
            let k = open.iter().position(|&o| o == i).map_or(0, |p| choice[p]);
            reads[i]
                .readings
                .get(k)
                .map(|r| values(r))
                .unwrap_or_default()
        };
        let ok = (0..7).all(|c| {
            let v = |i: usize| pick(i).get(c).copied().flatten();
            let ok1 = !id1 || {
                let lhs = [v(nr), v(co)];
                sums_to(&lhs, add(v(tot), v(cf)))
            };
            let ok3 = !id3 || {
                let parts: Vec<Option<Number>> = results.iter().map(|&i| v(i)).collect();
                sums_to(&parts, v(tot))
            };
            ok1 && ok3
        });
        if ok {
            any = true;
            for (p, &k) in choice.iter().enumerate() {
                used[p][k] = true;
            }
        }
        // next combination
        let mut p = 0;
        loop {
            if p == open.len() {
                if any {
                    for (p, &i) in open.iter().enumerate() {
                        keep_readings(&mut reads[i].readings, &used[p]);
                    }
                }
                return;
            }
            choice[p] += 1;
            if choice[p] < reads[open[p]].readings.len() {
                break;
            }
            choice[p] = 0;
            p += 1;
        }
    }
}

fn add(a: Option<Number>, b: Option<Number>) -> Option<Number> {
    let z = rust_decimal::Decimal::ZERO;
    a.map_or(z, Number::as_decimal)
        .checked_add(b.map_or(z, Number::as_decimal))
        .map(Number::Decimal)
}

/// Table 四 read as one run of 15 cells: each group of five ends with its total (identity 4).
/// Returns `false` when no reading survives.
pub fn review_groups(readings: &mut Vec<Vec<Piece>>) -> bool {
    retain_readings(readings, |v| {
        v.len() == 15 && (0..3).all(|g| sums_to(&v[g * 5..g * 5 + 4], v[g * 5 + 4]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::split::{fit, Cut, Fit};
    use crate::parse::values::free_tokens;
    use crate::schema::{ValueKind, APPLICATIONS};
    use std::rc::Rc;

    #[test]
    fn row_sum_picks_the_only_cut() {
        let (toks, _) = free_tokens("640020470", 0, 0);
        let Fit::Readings(readings) = fit(&toks, &[ValueKind::Count; 7], Cut::Any) else {
            panic!()
        };
        let mut reads = vec![RowRead {
            spec: &APPLICATIONS[0],
            label: None,
            readings: Rc::new(readings),
            problem: None,
        }];
        applications(&mut reads);
        assert_eq!(reads[0].readings.len(), 1);
        let v: Vec<&str> = reads[0].readings[0]
            .iter()
            .map(|p| p.raw.as_str())
            .collect();
        assert_eq!(v, ["64", "0", "0", "2", "0", "4", "70"]);
    }

    #[test]
    fn review_groups_cut() {
        let (toks, _) = free_tokens("10203120001200000", 0, 0);
        let Fit::Readings(mut readings) = fit(&toks, &[ValueKind::Count; 15], Cut::Any) else {
            panic!()
        };
        review_groups(&mut readings);
        assert_eq!(readings.len(), 1);
        let v: Vec<&str> = readings[0].iter().map(|p| p.raw.as_str()).collect();
        assert_eq!(v.join("/"), "1/0/2/0/3/12/0/0/0/12/0/0/0/0/0");
    }
}
