//! Typed columns for pandas: the CLI's CSV records, column by column, with each column's
//! type decided here from the schema (which columns hold numbers) and the values (a count
//! column holding a printed `12.5` becomes a float column, never a rounded integer).

use ogi_report::schema::{self, ValueKind};
use pyo3::prelude::*;
use pyo3::types::PyList;

/// The values of one column; `None` is a missing value (pandas `<NA>`).
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Text (pandas `string`).
    Str(Vec<Option<String>>),
    /// Whole numbers (pandas `Int64`).
    Int(Vec<Option<i64>>),
    /// Decimals (pandas `Float64`).
    Float(Vec<Option<f64>>),
}

/// One named column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The CSV header of the column.
    pub name: String,
    /// Its values, one per row.
    pub values: Values,
}

impl Column {
    /// A text column: empty fields are missing.
    pub fn text(name: &str, fields: Vec<String>) -> Column {
        Column {
            name: name.to_string(),
            values: Values::Str(
                fields
                    .into_iter()
                    .map(|s| (!s.is_empty()).then_some(s))
                    .collect(),
            ),
        }
    }

    /// A column of numbers written as CSV fields: whole numbers if every field is one,
    /// else decimals; empty fields are missing. A field that is no number at all (not
    /// written by the library) keeps the whole column as text, so nothing is lost.
    pub fn numeric(name: &str, fields: Vec<String>) -> Column {
        let filled = || fields.iter().filter(|s| !s.is_empty());
        let values = if filled().all(|s| s.parse::<i64>().is_ok()) {
            Values::Int(fields.iter().map(|s| s.parse().ok()).collect())
        } else if filled().all(|s| s.parse::<f64>().is_ok_and(f64::is_finite)) {
            Values::Float(fields.iter().map(|s| s.parse().ok()).collect())
        } else {
            return Column::text(name, fields);
        };
        Column {
            name: name.to_string(),
            values,
        }
    }

    /// The pandas dtype of the column.
    pub fn dtype(&self) -> &'static str {
        match self.values {
            Values::Str(_) => "string",
            Values::Int(_) => "Int64",
            Values::Float(_) => "Float64",
        }
    }

    /// `(name, dtype, list of values)` for the Python wrapper.
    pub fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let dtype = self.dtype();
        let list = match self.values {
            Values::Str(v) => PyList::new(py, v)?,
            Values::Int(v) => PyList::new(py, v)?,
            Values::Float(v) => PyList::new(py, v)?,
        };
        Ok((self.name, dtype, list)
            .into_pyobject(py)?
            .into_any()
            .unbind())
    }
}

/// Splits records into columns named by `header`; `numeric(name)` says which hold numbers.
pub fn from_records(
    header: &[String],
    records: Vec<Vec<String>>,
    numeric: impl Fn(&str) -> bool,
) -> Vec<Column> {
    let mut fields: Vec<Vec<String>> = header
        .iter()
        .map(|_| Vec::with_capacity(records.len()))
        .collect();
    for rec in records {
        debug_assert_eq!(
            rec.len(),
            header.len(),
            "record and header differ in length"
        );
        let mut rec = rec.into_iter();
        for col in fields.iter_mut() {
            col.push(rec.next().unwrap_or_default());
        }
    }
    header
        .iter()
        .zip(fields)
        .map(|(name, f)| {
            if numeric(name) {
                Column::numeric(name, f)
            } else {
                Column::text(name, f)
            }
        })
        .collect()
}

/// Whether a column of the wide (one row per file) table holds numbers: `year`,
/// `diagnostics` and every canonical cell.
pub fn wide_numeric(cells: &[schema::CellSpec]) -> impl Fn(&str) -> bool + '_ {
    move |name| matches!(name, "year" | "diagnostics") || cells.iter().any(|c| c.key == name)
}

/// Whether a column of the long (one row per cell) table holds numbers.
pub fn long_numeric(name: &str) -> bool {
    matches!(name, "year" | "value" | "page" | "line")
}

/// The schema table: the columns of `ogi-report schema --format csv`.
pub fn schema() -> Vec<Column> {
    let cells = schema::all_cells();
    let col = |name: &str, f: &dyn Fn(&schema::CellSpec) -> String| {
        Column::text(name, cells.iter().map(f).collect())
    };
    vec![
        col("key", &|c| c.key.clone()),
        col("table", &|c| c.table.to_string()),
        col("row", &|c| c.row.to_string()),
        col("column", &|c| c.column.to_string()),
        col("row_label", &|c| c.row_label.to_string()),
        col("column_label", &|c| c.column_label.to_string()),
        col("kind", &|c| kind_name(c.kind).to_string()),
        col("template", &|c| c.template.to_string()),
    ]
}

/// The kind as the schema CSV and JSON write it.
fn kind_name(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Count => "count",
        ValueKind::Change => "change",
        ValueKind::Amount => "amount",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn whole_numbers_stay_integers_and_blanks_are_missing() {
        let c = Column::numeric("x", s(&["3", "", "-2"]));
        assert_eq!(c.values, Values::Int(vec![Some(3), None, Some(-2)]));
        assert_eq!(c.dtype(), "Int64");
    }

    #[test]
    fn one_decimal_makes_the_column_float() {
        let c = Column::numeric("x", s(&["3", "12.5", ""]));
        assert_eq!(c.values, Values::Float(vec![Some(3.0), Some(12.5), None]));
    }

    #[test]
    fn a_field_that_is_no_number_keeps_the_text() {
        let c = Column::numeric("x", s(&["3", "n/a"]));
        assert_eq!(
            c.values,
            Values::Str(vec![Some("3".into()), Some("n/a".into())])
        );
    }

    #[test]
    fn records_become_columns_in_header_order() {
        let header = s(&["file", "year"]);
        let cols = from_records(&header, vec![s(&["a", "2024"]), s(&["b", ""])], |n| {
            n == "year"
        });
        assert_eq!(
            cols[0].values,
            Values::Str(vec![Some("a".into()), Some("b".into())])
        );
        assert_eq!(cols[1].values, Values::Int(vec![Some(2024), None]));
    }

    #[test]
    fn schema_kinds_match_the_serde_names() {
        for c in schema::all_cells() {
            let serde = serde_json::to_value(c.kind).unwrap();
            assert_eq!(serde.as_str(), Some(kind_name(c.kind)));
        }
    }
}
