//! The typed report: metadata, the six sections, the three tables and the diagnostics.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::{self, RowSpec, Versions};
use crate::source::Location;

/// The kind of input a report was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum InputFormat {
    /// Plain text (extractor output, crawler exports).
    Text,
    /// Markdown with pipe tables.
    Markdown,
    /// An HTML page or fragment.
    Html,
    /// A Word 2007+ document.
    Docx,
    /// A Word 97–2003 `.doc` or WPS Office `.wps` document (OLE2 compound file).
    Doc,
    /// A PDF file.
    Pdf,
    /// An image file (PNG, JPEG, TIFF): a scanned page or a table published as a picture,
    /// read by OCR.
    Image,
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputFormat::Text => "text",
            InputFormat::Markdown => "markdown",
            InputFormat::Html => "html",
            InputFormat::Docx => "docx",
            InputFormat::Doc => "doc",
            InputFormat::Pdf => "pdf",
            InputFormat::Image => "image",
        })
    }
}

/// Which national template the printed tables follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TemplateVersion {
    /// 国办公开办函〔2021〕30号: 本年制发件数… and three （六）其他处理 sub-rows.
    V2021,
    /// 国办公开办函〔2019〕60号: 本年新制作数量… and one （六）其他处理 row.
    V2019,
    /// Tables of both versions mixed, e.g. v2021 table 二 with a single （六）其他处理 row.
    Mixed,
    /// Not recognisable from the printed tables.
    Unknown,
}

impl fmt::Display for TemplateVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TemplateVersion::V2021 => "v2021",
            TemplateVersion::V2019 => "v2019",
            TemplateVersion::Mixed => "mixed",
            TemplateVersion::Unknown => "unknown",
        })
    }
}

/// A number as printed in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Number {
    /// A whole number (counts, 本年增/减).
    Int(i64),
    /// A decimal (万元 amounts).
    Decimal(Decimal),
}

impl Number {
    /// The value as a decimal, for arithmetic.
    pub fn as_decimal(self) -> Decimal {
        match self {
            Number::Int(i) => Decimal::from(i),
            Number::Decimal(d) => d,
        }
    }

    /// The value as `f64` (for comparison with JSON numbers).
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Decimal(d) => d.to_f64().unwrap_or(f64::NAN),
        }
    }
}

/// Sums decimals without overflow: `None` if the sum does not fit (a hostile input's
/// 28-digit cells), so callers skip the comparison instead of panicking.
pub fn checked_sum(values: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Decimal(d) => write!(f, "{d}"),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Number::Int(i) => s.serialize_i64(*i),
            // JSON has no decimal type. A decimal goes out as a number only when that number
            // reads back as the same value (the shortest f64 form prints the same digits,
            // true for every amount a report prints); otherwise as its exact digits in a
            // string, never rounded.
            Number::Decimal(d) => match d.to_f64().filter(|f| same_decimal(*f, d)) {
                Some(f) => s.serialize_f64(f),
                None => s.serialize_str(&d.to_string()),
            },
        }
    }
}

/// Whether `f` printed in its shortest form is the value `d`.
fn same_decimal(f: f64, d: &Decimal) -> bool {
    f.is_finite()
        && f.to_string()
            .parse::<Decimal>()
            .is_ok_and(|back| back == *d)
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Number, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer, a decimal number or a string of decimal digits")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                i64::try_from(v)
                    .map(Number::Int)
                    .map_err(|_| E::custom("integer out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                // the shortest form is the digits that were written
                v.to_string()
                    .parse::<Decimal>()
                    .map(Number::Decimal)
                    .map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
                v.parse::<Decimal>().map(Number::Decimal).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// One table cell.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cell {
    /// The number printed, or `None` for a blank, dashed or missing cell.
    pub value: Option<Number>,
    /// The text as printed (`"0"`, `""`, `"-"`, `"/"`, `"无"`, `"251000元"`); `None` when the
    /// cell was not found in the input at all, or could not be told apart from its neighbours.
    pub raw: Option<String>,
    /// Where it came from.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<Location>,
}

/// One row of a table: its printed label and its cells in template column order.
#[derive(Debug, Clone)]
pub struct Row {
    /// Canonical row key.
    pub key: &'static str,
    /// The label as printed, when the row was found.
    pub label: Option<String>,
    /// `(column key, cell)` in template order.
    pub cells: Vec<(&'static str, Cell)>,
}

impl Row {
    /// An empty row shaped after its spec, every cell missing.
    pub fn from_spec(spec: &RowSpec) -> Row {
        Row {
            key: spec.key,
            label: None,
            cells: spec
                .columns
                .iter()
                .map(|c| (c.key, Cell::default()))
                .collect(),
        }
    }

    /// The cell of a column.
    pub fn cell(&self, column: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|(k, _)| *k == column)
            .map(|(_, c)| c)
    }
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.cells.len() + 1))?;
        m.serialize_entry("label", &self.label)?;
        for (k, c) in &self.cells {
            m.serialize_entry(k, c)?;
        }
        m.end()
    }
}

/// A statistical table: its rows in template order.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Rows present in the detected template version, in template order.
    pub rows: Vec<Row>,
}

impl Table {
    /// The row with this key.
    pub fn row(&self, key: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.key == key)
    }

    /// Mutable access to the row with this key.
    pub fn row_mut(&mut self, key: &str) -> Option<&mut Row> {
        self.rows.iter_mut().find(|r| r.key == key)
    }

    /// Builds an empty table holding the rows of `specs` that belong to `version`.
    pub fn for_version(specs: &[RowSpec], keep: impl Fn(Versions) -> bool) -> Table {
        Table {
            rows: specs
                .iter()
                .filter(|s| keep(s.versions))
                .map(Row::from_spec)
                .collect(),
        }
    }
}

impl Serialize for Table {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.rows.len()))?;
        for r in &self.rows {
            m.serialize_entry(r.key, r)?;
        }
        m.end()
    }
}

/// The three statistical tables.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Tables {
    /// Table 二: 主动公开政府信息情况.
    #[serde(deserialize_with = "de_active_disclosure")]
    pub active_disclosure: Table,
    /// Table 三: 收到和处理政府信息公开申请情况.
    #[serde(deserialize_with = "de_applications")]
    pub applications: Table,
    /// Table 四: 政府信息公开行政复议、行政诉讼情况 (one group per row).
    #[serde(deserialize_with = "de_review_litigation")]
    pub review_litigation: Table,
}

fn de_active_disclosure<'de, D: Deserializer<'de>>(d: D) -> Result<Table, D::Error> {
    table_from_map(d, schema::ACTIVE_DISCLOSURE)
}

fn de_applications<'de, D: Deserializer<'de>>(d: D) -> Result<Table, D::Error> {
    table_from_map(d, schema::APPLICATIONS)
}

fn de_review_litigation<'de, D: Deserializer<'de>>(d: D) -> Result<Table, D::Error> {
    table_from_map(d, schema::REVIEW_LITIGATION)
}

/// A value in a serialised row: its printed label or one of its cells.
#[derive(Deserialize)]
#[serde(untagged)]
enum RowEntry {
    Label(Option<String>),
    Cell(Cell),
}

/// A table read back from its serialised form: rows and columns are matched to the schema
/// (so keys stay `&'static str`), rows come out in template order, and a key the schema
/// does not know is an error rather than dropped.
fn table_from_map<'de, D: Deserializer<'de>>(
    d: D,
    specs: &'static [RowSpec],
) -> Result<Table, D::Error> {
    let mut rows: BTreeMap<String, BTreeMap<String, RowEntry>> = BTreeMap::deserialize(d)?;
    let mut table = Table::default();
    for spec in specs {
        // a key can name rows of both template versions with different columns: the spec
        // whose columns hold every serialised column is the one
        let fits = rows.get(spec.key).is_some_and(|entries| {
            entries
                .keys()
                .all(|k| k == "label" || spec.columns.iter().any(|c| c.key == k))
        });
        if !fits {
            continue;
        }
        let Some(mut entries) = rows.remove(spec.key) else {
            continue;
        };
        let mut row = Row::from_spec(spec);
        if let Some(RowEntry::Label(l)) = entries.remove("label") {
            row.label = l;
        }
        for (k, cell) in &mut row.cells {
            match entries.remove(*k) {
                Some(RowEntry::Cell(c)) => *cell = c,
                Some(RowEntry::Label(_)) => {
                    return Err(de::Error::custom(format!("{}.{k}: not a cell", spec.key)))
                }
                None => {}
            }
        }
        table.rows.push(row);
    }
    match rows.keys().next() {
        Some(k) => Err(de::Error::custom(format!(
            "unknown row {k}, or a column its template row does not have"
        ))),
        None => Ok(table),
    }
}

impl Tables {
    /// The table with this canonical key.
    pub fn get(&self, key: &str) -> Option<&Table> {
        match key {
            "active_disclosure" => Some(&self.active_disclosure),
            "applications" => Some(&self.applications),
            "review_litigation" => Some(&self.review_litigation),
            _ => None,
        }
    }

    /// Mutable access to the table with this canonical key.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Table> {
        match key {
            "active_disclosure" => Some(&mut self.active_disclosure),
            "applications" => Some(&mut self.applications),
            "review_litigation" => Some(&mut self.review_litigation),
            _ => None,
        }
    }
}

/// One of the six sections.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    /// The heading as printed, e.g. `二、主动公开政府信息情况`.
    pub heading: String,
    /// The section's text with wraps repaired (tables included as printed).
    pub text: String,
    /// Where the heading is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// The six sections, `None` where a section was not found.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Sections {
    /// 一、总体情况.
    pub overview: Option<Section>,
    /// 二、主动公开政府信息情况.
    pub active_disclosure: Option<Section>,
    /// 三、收到和处理政府信息公开申请情况.
    pub applications: Option<Section>,
    /// 四、政府信息公开行政复议、行政诉讼情况.
    pub review_litigation: Option<Section>,
    /// 五、存在的主要问题及改进情况.
    pub problems: Option<Section>,
    /// 六、其他需要报告的事项.
    pub other_matters: Option<Section>,
}

impl Sections {
    /// Mutable slot of the section with this key.
    pub fn slot_mut(&mut self, key: &str) -> Option<&mut Option<Section>> {
        match key {
            "overview" => Some(&mut self.overview),
            "active_disclosure" => Some(&mut self.active_disclosure),
            "applications" => Some(&mut self.applications),
            "review_litigation" => Some(&mut self.review_litigation),
            "problems" => Some(&mut self.problems),
            "other_matters" => Some(&mut self.other_matters),
            _ => None,
        }
    }
}

/// Facts about the report as a whole.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Metadata {
    /// The reporting body, from the title (`瀍河回族区司法局2024年…` → `瀍河回族区司法局`).
    pub organization: Option<String>,
    /// The report year, from the title.
    pub year: Option<i32>,
    /// The title as printed.
    pub title: Option<String>,
    /// The template version detected from the printed tables.
    pub template: TemplateVersion,
    /// In words, what the tables print when it is not plainly one version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_detail: Option<String>,
    /// The input format.
    pub format: InputFormat,
    /// When the report was published (`YYYY-MM-DD`), where the input says: a PDF's
    /// creation date, a portal page's 发布时间.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
}

/// A parsed report. Always produced for readable input; problems are in `diagnostics`.
/// Serialises to the JSON the CLI prints, and reads back from it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// Title, body, year, template.
    pub metadata: Metadata,
    /// The six sections.
    pub sections: Sections,
    /// The three tables, typed cells under canonical keys.
    pub tables: Tables,
    /// Everything doubtful, missing or inconsistent.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Every cell present in the detected template version as `(dotted key, cell)`, in template order.
    pub fn cells(&self) -> Vec<(String, &Cell)> {
        let mut out = Vec::new();
        for t in schema::TABLES {
            if let Some(table) = self.tables.get(t.key) {
                for r in &table.rows {
                    for (c, cell) in &r.cells {
                        out.push((schema::cell_key(t.key, r.key, c), cell));
                    }
                }
            }
        }
        out
    }

    /// The cell at a dotted canonical key such as `applications.new_received.total`.
    pub fn cell(&self, key: &str) -> Option<&Cell> {
        let mut it = key.splitn(3, '.');
        let (t, r, c) = (it.next()?, it.next()?, it.next()?);
        self.tables.get(t)?.row(r)?.cell(c)
    }

    /// The value at a dotted canonical key, `None` if blank, missing or not in this template.
    pub fn value(&self, key: &str) -> Option<Number> {
        self.cell(key)?.value
    }

    /// Number of diagnostics at warning or error severity.
    pub fn problem_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
            .count()
    }
}
