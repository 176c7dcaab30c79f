//! Value columns from a table's header, for tables whose rows never fill every column (a
//! report that prints zeros as blanks leaves a column empty in every row, and the values
//! alone then show fewer columns than the table has).
//!
//! A header's leaf columns are the narrowest header texts: a word lying over one column
//! only. A word over two or more of them (`法人或其他组织`, `行政诉讼`, or leaf texts the
//! producer set so close that they read as one word) spans them and is not a leaf.

use super::Word;

/// The leaf columns of header words, as `(x0, x1)` intervals left to right: words taken
/// narrowest first, each joining the one column it overlaps or starting a new one; a word
/// overlapping two columns spans them and is left out.
pub(crate) fn leaf_columns(words: &[&Word]) -> Vec<(f32, f32)> {
    let mut ws: Vec<&Word> = words.to_vec();
    ws.sort_by(|a, b| (a.x1 - a.x0).total_cmp(&(b.x1 - b.x0)));
    let mut cols: Vec<(f32, f32)> = Vec::new();
    for w in ws {
        // overlap by more than a fifth of an em: touching boxes are neighbours
        let slack = 0.2 * w.size;
        let over: Vec<usize> = (0..cols.len())
            .filter(|c| w.x0 < cols[*c].1 - slack && cols[*c].0 < w.x1 - slack)
            .collect();
        match over.as_slice() {
            [] => cols.push((w.x0, w.x1)),
            [c] => {
                let col = &mut cols[*c];
                *col = (col.0.min(w.x0), col.1.max(w.x1));
            }
            _ => {}
        }
    }
    cols.sort_by(|a, b| a.0.total_cmp(&b.0));
    // a column grown well over its neighbour is no leaf structure to trust (a title centred
    // over the header may widen the column under it a little)
    let em = words.iter().map(|w| w.size).fold(0.0, f32::max);
    if cols.windows(2).any(|p| p[1].0 < p[0].1 - 0.3 * em) {
        return Vec::new();
    }
    cols
}

/// Value columns re-anchored on the header's leaves when the values show fewer columns than
/// the header: each value column (`anchors`, x centres, ascending) must lie over exactly one
/// leaf, clearly nearer it than any other, and in order; the leaves no value uses keep their
/// own centre. `None` when the header shows no more columns or any value column is unclear.
pub(crate) fn refine(anchors: &[f32], leaves: &[(f32, f32)], em: f32) -> Option<Vec<f32>> {
    // a leaf wholly left of every value heads the label column (`信息内容`)
    let first = anchors.first()?;
    let from = leaves.partition_point(|l| l.1 < first - em);
    let leaves = &leaves[from..];
    if leaves.len() <= anchors.len() {
        return None;
    }
    let dist = |x: f32, l: &(f32, f32)| (l.0 - x).max(x - l.1).max(0.0);
    let mut xs: Vec<f32> = leaves.iter().map(|l| (l.0 + l.1) * 0.5).collect();
    let mut last: Option<usize> = None;
    for &a in anchors {
        let mut d: Vec<(usize, f32)> = leaves.iter().map(|l| dist(a, l)).enumerate().collect();
        d.sort_by(|p, q| p.1.total_cmp(&q.1));
        let (best, d1) = d[0];
        let d2 = d.get(1).map_or(f32::MAX, |p| p.1);
        if d1 > em || d2 - d1 < 0.5 * em || last.is_some_and(|l| l >= best) {
            return None;
        }
        xs[best] = a;
        last = Some(best);
    }
    Some(xs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, x0: f32, x1: f32) -> Word {
        Word {
            text: text.into(),
            x0,
            x1,
            y0: 0.0,
            y1: 10.0,
            size: 10.0,
        }
    }

    #[test]
    fn spanning_words_are_no_leaves() {
        // 法人或其他组织 over four sub-columns; two leaf texts set as one word
        let words = [
            w("自然人", 0.0, 30.0),
            w("法人或其他组织", 40.0, 150.0),
            w("商业企业", 40.0, 70.0),
            w("科研机构社会公益", 75.0, 150.0),
            w("构", 85.0, 95.0),
            w("组织", 120.0, 140.0),
            w("总计", 160.0, 180.0),
        ];
        let refs: Vec<&Word> = words.iter().collect();
        assert_eq!(
            leaf_columns(&refs),
            vec![
                (0.0, 30.0),
                (40.0, 70.0),
                (85.0, 95.0),
                (120.0, 140.0),
                (160.0, 180.0)
            ]
        );
    }

    #[test]
    fn value_columns_take_the_leaf_they_lie_over() {
        let leaves = [
            (0.0, 30.0),
            (40.0, 70.0),
            (85.0, 95.0),
            (120.0, 140.0),
            (160.0, 180.0),
        ];
        // values under 自然人, 组织 and 总计 only
        assert_eq!(
            refine(&[12.0, 128.0, 170.0], &leaves, 10.0),
            Some(vec![12.0, 55.0, 90.0, 128.0, 170.0])
        );
        // a value between two leaves is no column to guess
        assert_eq!(refine(&[12.0, 108.0, 170.0], &leaves, 10.0), None);
        // as many columns as leaves: nothing to refine
        assert_eq!(refine(&[1.0, 2.0, 3.0, 4.0, 5.0], &leaves, 10.0), None);
        // the label column's header is no value column
        assert_eq!(refine(&[55.0, 90.0], &leaves[..3], 10.0), None);
    }
}
