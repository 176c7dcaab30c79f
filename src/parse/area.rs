//! One table's stretch of the normalised text, with what has been read in it kept.
//!
//! A table is read once per template version it may follow (v2021, v2019), and most rows
//! are in both: their labels, what follows each label occurrence and the values after a
//! chosen label are the same text read the same way. [`TableText`] keeps each such
//! reading the first time it is made, so the second version reads only what differs.

use super::labels::{find_all, row_pattern, Compact, Hit};
use super::split::{Cut, Piece};
use crate::diagnostic::Diagnostic;
use crate::schema::RowSpec;
use foldhash::HashMap;
use std::cell::RefCell;
use std::hash::Hash;
use std::rc::Rc;

/// A byte range of the normalised text that holds one table.
#[derive(Debug, Clone, Copy)]
pub struct Area {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Whether values follow a label occurrence.
#[derive(Debug, Clone, Copy)]
pub struct Follows {
    /// Some value slot (a number, blank or mark).
    pub values: bool,
    /// Some number.
    pub numbers: bool,
}

/// What was read for a row at one place: its label as printed and the readings of its
/// values, or why there is none (see `table::readings_of`).
#[derive(Debug)]
pub struct Readings {
    /// The label as printed.
    pub label: String,
    /// The possible readings (shared with the rows read from them, for each template version).
    pub readings: Rc<Vec<Vec<Piece>>>,
    /// Why there is no reading.
    pub problem: Option<Diagnostic>,
}

/// Where a row's values were read: the label's bytes and the limit of its values.
type RowAt = (usize, usize, usize);

/// One table's area, its white-space-free view and the readings made in it so far.
#[derive(Debug)]
pub struct TableText {
    /// The bytes of the table.
    pub area: Area,
    /// The area without white space, for label search.
    pub view: Compact,
    /// Every occurrence of each row label (by the label's text).
    hits: RefCell<HashMap<&'static str, Rc<[Hit]>>>,
    /// What follows each label occurrence (by its compact span).
    follows: RefCell<HashMap<(usize, usize), Follows>>,
    /// A row's readings at one place, as a row of one spec (by the spec's address) cut one
    /// way.
    readings: RefCell<HashMap<(RowAt, usize, Cut), Rc<Readings>>>,
}

/// The value kept in `memo` under `key`, made by `make` the first time.
fn memo<K: Eq + Hash, V: Clone>(
    memo: &RefCell<HashMap<K, V>>,
    key: K,
    make: impl FnOnce() -> V,
) -> V {
    if let Some(v) = memo.borrow().get(&key) {
        return v.clone();
    }
    // made outside the borrow: `make` may read this table again
    let v = make();
    memo.borrow_mut().insert(key, v.clone());
    v
}

impl TableText {
    /// The table in `text[area]`.
    pub fn new(text: &str, area: Area) -> TableText {
        TableText {
            area,
            view: Compact::new(text, area.start, area.end),
            hits: RefCell::default(),
            follows: RefCell::default(),
            readings: RefCell::default(),
        }
    }

    /// Every occurrence of row label `label` in the area.
    pub fn hits(&self, label: &'static str) -> Rc<[Hit]> {
        memo(&self.hits, label, || {
            let n = self.view.chars.len();
            find_all(&self.view, &row_pattern(label), 0, n).into()
        })
    }

    /// What follows the label occurrence `hit`, made by `read` the first time.
    pub fn follows(&self, hit: &Hit, read: impl FnOnce() -> Follows) -> Follows {
        memo(&self.follows, (hit.start, hit.end), read)
    }

    /// The readings of the values at `at` (the label's bytes and the values' limit) as a
    /// row of `spec` cut by `cut`, made by `read` the first time.
    pub fn readings(
        &self,
        at: RowAt,
        spec: &'static RowSpec,
        cut: Cut,
        read: impl FnOnce() -> Readings,
    ) -> Rc<Readings> {
        // a spec is one static item: its address names it
        let key = (at, std::ptr::from_ref(spec) as usize, cut);
        memo(&self.readings, key, || Rc::new(read()))
    }
}
