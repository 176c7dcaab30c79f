//! The straightforward `find_all` and Sellers scan that the optimised ones in `labels.rs`
//! replaced, kept (test-only) as the reference their results must equal.

use super::{Compact, Hit, Pattern};

/// All non-overlapping best occurrences of `p` in `c.chars[from..to]` (reference).
pub fn find_all(c: &Compact, p: &Pattern, from: usize, to: usize) -> Vec<Hit> {
    let m = p.chars.len();
    let to = to.min(c.chars.len());
    if m == 0 || from >= to {
        return Vec::new();
    }
    let k = p.max_edits.min(m.saturating_sub(1));
    let piece_len = (m / (k + 1)).max(1);
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for j in 0..=k {
        let offset = j * piece_len;
        let Some(piece) = p.chars.get(offset..(offset + piece_len).min(m)) else {
            continue;
        };
        let Some(&first) = piece.first() else {
            continue;
        };
        let Some(last_start) = (to + 1).checked_sub(piece.len()) else {
            continue;
        };
        for q in c.positions(first, from, last_start) {
            if c.chars[q..q + piece.len()] == *piece {
                windows.push((q.saturating_sub(offset + k).max(from), (q + m + k).min(to)));
            }
        }
    }
    windows.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for w in windows {
        match merged.last_mut() {
            Some(last) if w.0 <= last.1 => last.1 = last.1.max(w.1),
            _ => merged.push(w),
        }
    }
    let mut raw: Vec<Hit> = Vec::new();
    for (ws, we) in merged {
        scan(c, p, ws, we, &mut raw);
    }
    raw.sort_by_key(|h| {
        (
            h.edits,
            c.digits_within(h.start, h.end),
            std::cmp::Reverse(h.end - h.start),
            h.start,
        )
    });
    let mut kept: std::collections::BTreeMap<usize, Hit> = std::collections::BTreeMap::new();
    for h in raw {
        let clash = kept
            .range(..h.end)
            .next_back()
            .is_some_and(|(_, k)| k.end > h.start);
        if !clash {
            kept.insert(h.start, h);
        }
    }
    kept.into_values().collect()
}

/// Sellers' scan with Ukkonen's cut-off (reference).
pub fn scan(c: &Compact, p: &Pattern, from: usize, to: usize, raw: &mut Vec<Hit>) {
    let m = p.chars.len();
    let k = p.max_edits;
    let mut cost: Vec<usize> = (0..=m).collect();
    let mut start: Vec<usize> = vec![from; m + 1];
    let mut last = k.min(m);
    for i in from..to {
        let t = c.chars[i];
        let rows = (last + 1).min(m);
        let (mut diag_cost, mut diag_start) = (cost[0], start[0]);
        cost[0] = 0;
        start[0] = i + 1;
        for j in 1..=rows {
            let (up_cost, up_start) = (cost[j], start[j]);
            let sub = diag_cost + usize::from(p.chars[j - 1] != t);
            let ins = up_cost + 1;
            let del = cost[j - 1] + 1;
            let (mut best, mut s) = (sub, diag_start);
            if ins < best {
                best = ins;
                s = up_start;
            }
            if del < best {
                best = del;
                s = start[j - 1];
            }
            cost[j] = best;
            start[j] = s;
            (diag_cost, diag_start) = (up_cost, up_start);
        }
        last = rows;
        while last > 0 && cost[last] > k {
            last -= 1;
        }
        if last == m {
            raw.push(Hit {
                start: start[m],
                end: i + 1,
                edits: cost[m],
            });
        }
    }
}
