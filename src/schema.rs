//! The national template as data: sections, tables, rows, columns, printed labels and
//! canonical keys (see `TEMPLATE.md`). Parsing, checks, JSON and CSV all read this one table.

use serde::Serialize;

/// Which template a row or column belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versions {
    /// Both v2021 and v2019.
    Both,
    /// Only the 2021 template (国办公开办函〔2021〕30号).
    V2021,
    /// Only the 2019 template (国办公开办函〔2019〕60号).
    V2019,
}

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A non-negative whole number.
    Count,
    /// A whole number that may be negative (本年增/减).
    Change,
    /// A decimal amount in 万元.
    Amount,
}

/// A column of a table.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    /// Canonical key, e.g. `natural_person`.
    pub key: &'static str,
    /// Label as printed in the template.
    pub label: &'static str,
    /// What the cells hold.
    pub kind: ValueKind,
}

/// A row of a table.
#[derive(Debug, Clone, Copy)]
pub struct RowSpec {
    /// Canonical key, e.g. `new_received`.
    pub key: &'static str,
    /// Label as printed in the template (without its numbering).
    pub label: &'static str,
    /// Other printed forms seen in real reports, matched like the label.
    pub aliases: &'static [&'static str],
    /// The columns of this row.
    pub columns: &'static [ColumnSpec],
    /// Which template versions have this row.
    pub versions: Versions,
}

/// The canonical key of the cell in `row` and `column` of `table`:
/// `applications.new_received.total`. The one place a key is spelled.
pub(crate) fn cell_key(table: &str, row: &str, column: &str) -> String {
    format!("{table}.{row}.{column}")
}

impl RowSpec {
    /// The canonical key of this row's cell in `column` of `table`:
    /// `applications.new_received.total`.
    pub fn cell_key(&self, table: &str, column: &str) -> String {
        cell_key(table, self.key, column)
    }

    /// The canonical keys of this row's cells in `table`, in column order.
    pub fn cell_keys(&self, table: &str) -> Vec<String> {
        self.columns
            .iter()
            .map(|c| self.cell_key(table, c.key))
            .collect()
    }
}

/// A section of the report.
#[derive(Debug, Clone, Copy)]
pub struct SectionSpec {
    /// Canonical key, e.g. `overview`.
    pub key: &'static str,
    /// Chinese numeral of the section.
    pub numeral: &'static str,
    /// Heading as printed in the template.
    pub heading: &'static str,
}

/// The six sections in template order.
pub const SECTIONS: [SectionSpec; 6] = [
    SectionSpec {
        key: "overview",
        numeral: "一",
        heading: "总体情况",
    },
    SectionSpec {
        key: "active_disclosure",
        numeral: "二",
        heading: "主动公开政府信息情况",
    },
    SectionSpec {
        key: "applications",
        numeral: "三",
        heading: "收到和处理政府信息公开申请情况",
    },
    SectionSpec {
        key: "review_litigation",
        numeral: "四",
        heading: "政府信息公开行政复议、行政诉讼情况",
    },
    SectionSpec {
        key: "problems",
        numeral: "五",
        heading: "存在的主要问题及改进情况",
    },
    SectionSpec {
        key: "other_matters",
        numeral: "六",
        heading: "其他需要报告的事项",
    },
];

const fn col(key: &'static str, label: &'static str, kind: ValueKind) -> ColumnSpec {
    ColumnSpec { key, label, kind }
}

use ValueKind::{Amount, Change, Count};

const AD21_DOCS: &[ColumnSpec] = &[
    col("issued", "本年制发件数", Count),
    col("repealed", "本年废止件数", Count),
    col("in_force", "现行有效件数", Count),
];
const AD21_DECISIONS: &[ColumnSpec] = &[col("decisions", "本年处理决定数量", Count)];
const AD21_FEES: &[ColumnSpec] = &[col("amount", "本年收费金额（单位：万元）", Amount)];
const AD19_DOCS: &[ColumnSpec] = &[
    col("new_made", "本年新制作数量", Count),
    col("new_published", "本年新公开数量", Count),
    col("total_published", "对外公开总数量", Count),
];
const AD19_ITEMS: &[ColumnSpec] = &[
    col("prev_count", "上一年项目数量", Count),
    col("change", "本年增/减", Change),
    col("decisions", "处理决定数量", Count),
];
const AD19_FEES: &[ColumnSpec] = &[
    col("prev_count", "上一年项目数量", Count),
    col("change", "本年增/减", Change),
];
const AD19_PROCUREMENT: &[ColumnSpec] = &[
    col("projects", "采购项目数量", Count),
    col("amount", "采购总金额", Amount),
];

const fn row(
    key: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
    columns: &'static [ColumnSpec],
    versions: Versions,
) -> RowSpec {
    RowSpec {
        key,
        label,
        aliases,
        columns,
        versions,
    }
}

/// Table 二 (`active_disclosure`), rows of both versions in TEMPLATE.md order (v2021 first).
pub const ACTIVE_DISCLOSURE: &[RowSpec] = &[
    row("rules", "规章", &[], AD21_DOCS, Versions::V2021),
    row(
        "normative_documents",
        "行政规范性文件",
        &["规范性文件"],
        AD21_DOCS,
        Versions::V2021,
    ),
    row(
        "licensing",
        "行政许可",
        &[],
        AD21_DECISIONS,
        Versions::V2021,
    ),
    row(
        "punishment",
        "行政处罚",
        &[],
        AD21_DECISIONS,
        Versions::V2021,
    ),
    row("coercion", "行政强制", &[], AD21_DECISIONS, Versions::V2021),
    row("fees", "行政事业性收费", &[], AD21_FEES, Versions::V2021),
    row("rules", "规章", &[], AD19_DOCS, Versions::V2019),
    row(
        "normative_documents",
        "规范性文件",
        &[],
        AD19_DOCS,
        Versions::V2019,
    ),
    row("licensing", "行政许可", &[], AD19_ITEMS, Versions::V2019),
    row(
        "other_services",
        "其他对外管理服务事项",
        &[],
        AD19_ITEMS,
        Versions::V2019,
    ),
    row("punishment", "行政处罚", &[], AD19_ITEMS, Versions::V2019),
    row("coercion", "行政强制", &[], AD19_ITEMS, Versions::V2019),
    row("fees", "行政事业性收费", &[], AD19_FEES, Versions::V2019),
    row(
        "procurement",
        "政府集中采购",
        &[],
        AD19_PROCUREMENT,
        Versions::V2019,
    ),
];

/// The seven applicant columns of table 三.
pub const APPLICANT_COLUMNS: &[ColumnSpec] = &[
    col("natural_person", "自然人", Count),
    col("commercial", "商业企业", Count),
    col("research", "科研机构", Count),
    col("social_welfare", "社会公益组织", Count),
    col("legal_service", "法律服务机构", Count),
    col("other_org", "其他", Count),
    col("total", "总计", Count),
];

const fn app(
    key: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
    versions: Versions,
) -> RowSpec {
    RowSpec {
        key,
        label,
        aliases,
        columns: APPLICANT_COLUMNS,
        versions,
    }
}

/// Table 三 (`applications`), rows of both versions in template order.
pub const APPLICATIONS: &[RowSpec] = &[
    app(
        "new_received",
        "本年新收政府信息公开申请数量",
        &[],
        Versions::Both,
    ),
    app(
        "carried_over",
        "上年结转政府信息公开申请数量",
        &[],
        Versions::Both,
    ),
    app("granted", "予以公开", &[], Versions::Both),
    app(
        "partially_granted",
        "部分公开（区分处理的，只计这一情形，不计其他情形）",
        &["部分公开"],
        Versions::Both,
    ),
    app("denied_state_secret", "属于国家秘密", &[], Versions::Both),
    app(
        "denied_law_prohibited",
        "其他法律行政法规禁止公开",
        &[],
        Versions::Both,
    ),
    app(
        "denied_security_stability",
        "危及“三安全一稳定”",
        &["危及三安全一稳定"],
        Versions::Both,
    ),
    app(
        "denied_third_party",
        "保护第三方合法权益",
        &[],
        Versions::Both,
    ),
    app(
        "denied_internal_affairs",
        "属于三类内部事务信息",
        &[],
        Versions::Both,
    ),
    app(
        "denied_process_info",
        "属于四类过程性信息",
        &[],
        Versions::Both,
    ),
    app(
        "denied_enforcement_file",
        "属于行政执法案卷",
        &[],
        Versions::Both,
    ),
    app("denied_inquiry", "属于行政查询事项", &[], Versions::Both),
    app(
        "unable_not_held",
        "本机关不掌握相关政府信息",
        &[],
        Versions::Both,
    ),
    app(
        "unable_needs_creation",
        "没有现成信息需要另行制作",
        &[],
        Versions::Both,
    ),
    app(
        "unable_unclear",
        "补正后申请内容仍不明确",
        &[],
        Versions::Both,
    ),
    app(
        "rejected_petition",
        "信访举报投诉类申请",
        &[],
        Versions::Both,
    ),
    app("rejected_repeated", "重复申请", &[], Versions::Both),
    app(
        "rejected_publication",
        "要求提供公开出版物",
        &[],
        Versions::Both,
    ),
    app(
        "rejected_excessive",
        "无正当理由大量反复申请",
        &[],
        Versions::Both,
    ),
    app(
        "rejected_reconfirm",
        "要求行政机关确认或重新出具已获取信息",
        &[],
        Versions::Both,
    ),
    app(
        "other_no_correction",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        &["逾期不补正"],
        Versions::V2021,
    ),
    app(
        "other_unpaid_fee",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        &["逾期未按收费通知要求缴纳费用"],
        Versions::V2021,
    ),
    app("other_misc", "其他", &[], Versions::V2021),
    app("other_handling", "其他处理", &[], Versions::V2019),
    app("total", "总计", &[], Versions::Both),
    app("carried_forward", "结转下年度继续办理", &[], Versions::Both),
];

/// Whether a table 三 row is a handling result (三、本年度办理结果), i.e. one of the rows
/// whose sum is the `total` row (identity 3).
pub fn is_result_row(key: &str) -> bool {
    !matches!(
        key,
        "new_received" | "carried_over" | "total" | "carried_forward"
    )
}

/// The five columns of each group of table 四.
pub const REVIEW_COLUMNS: &[ColumnSpec] = &[
    col("upheld", "结果维持", Count),
    col("corrected", "结果纠正", Count),
    col("other", "其他结果", Count),
    col("pending", "尚未审结", Count),
    col("total", "总计", Count),
];

/// Table 四 (`review_litigation`): one row of three groups; each group is a "row" here.
pub const REVIEW_LITIGATION: &[RowSpec] = &[
    row("review", "行政复议", &[], REVIEW_COLUMNS, Versions::Both),
    row(
        "direct_suit",
        "未经复议直接起诉",
        &[],
        REVIEW_COLUMNS,
        Versions::Both,
    ),
    row(
        "post_review_suit",
        "复议后起诉",
        &[],
        REVIEW_COLUMNS,
        Versions::Both,
    ),
];

/// A table of the template.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// Canonical key of the table (= the key of its section).
    pub key: &'static str,
    /// The section numeral the table belongs to.
    pub numeral: &'static str,
    /// Rows of both versions.
    pub rows: &'static [RowSpec],
    /// Whether template identities tie its cells together (table 二 has none: nothing but the
    /// printed text can confirm a reading of it).
    pub has_identities: bool,
}

/// The three tables in template order.
pub const TABLES: [TableSpec; 3] = [
    TableSpec {
        key: "active_disclosure",
        numeral: "二",
        has_identities: false,
        rows: ACTIVE_DISCLOSURE,
    },
    TableSpec {
        key: "applications",
        numeral: "三",
        has_identities: true,
        rows: APPLICATIONS,
    },
    TableSpec {
        key: "review_litigation",
        numeral: "四",
        has_identities: true,
        rows: REVIEW_LITIGATION,
    },
];

/// One canonical cell of the template.
#[derive(Debug, Clone, Serialize)]
pub struct CellSpec {
    /// Dotted canonical key, e.g. `applications.new_received.total`.
    pub key: String,
    /// Table key.
    pub table: &'static str,
    /// Row key.
    pub row: &'static str,
    /// Column key.
    pub column: &'static str,
    /// Chinese row label as in the template.
    pub row_label: &'static str,
    /// Chinese column label as in the template.
    pub column_label: &'static str,
    /// What the cell holds.
    pub kind: ValueKind,
    /// `both`, `v2021` or `v2019`.
    pub template: &'static str,
}

/// Every canonical cell key of both template versions, in TEMPLATE.md order, without duplicates.
pub fn all_cells() -> Vec<CellSpec> {
    let mut out: Vec<CellSpec> = Vec::new();
    for t in TABLES {
        for r in t.rows {
            for c in r.columns {
                let key = r.cell_key(t.key, c.key);
                if out.iter().any(|s| s.key == key) {
                    continue;
                }
                out.push(CellSpec {
                    key,
                    table: t.key,
                    row: r.key,
                    column: c.key,
                    row_label: r.label,
                    column_label: c.label,
                    kind: c.kind,
                    template: match r.versions {
                        Versions::Both => "both",
                        Versions::V2021 => "v2021",
                        Versions::V2019 => "v2019",
                    },
                });
            }
        }
    }
    out
}

/// How a v2019 key relates to v2021 keys, see [`correspondence`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The same key, printed with the same meaning in both versions.
    Same,
    /// The v2019 cell equals the sum of the v2021 cells.
    Sum,
    /// Close but not equal meanings (本年新制作数量 vs 本年制发件数): compare with care.
    Similar,
}

/// One v2019 ↔ v2021 correspondence.
#[derive(Debug, Clone, Serialize)]
pub struct Correspondence {
    /// The v2019 key.
    pub v2019: String,
    /// The v2021 key(s): one for `same`/`similar`, the summed ones for `sum`.
    pub v2021: Vec<String>,
    /// How they relate.
    pub relation: Relation,
}

/// The v2019 ↔ v2021 key correspondence: every key both versions print with the same
/// meaning (tables 三 and 四, the 处理决定数量 of table 二), v2019 （六）其他处理 as the sum of
/// the three v2021 sub-rows, and v2019 本年新制作数量 next to v2021 本年制发件数 (similar).
pub fn correspondence() -> Vec<Correspondence> {
    let mut in19: Vec<String> = Vec::new();
    let mut in21: Vec<String> = Vec::new();
    for t in TABLES {
        for r in t.rows {
            for c in r.columns {
                let key = r.cell_key(t.key, c.key);
                if matches!(r.versions, Versions::Both | Versions::V2019) {
                    in19.push(key.clone());
                }
                if matches!(r.versions, Versions::Both | Versions::V2021) {
                    in21.push(key);
                }
            }
        }
    }
    let mut out: Vec<Correspondence> = Vec::new();
    for k in &in19 {
        if in21.contains(k) && !out.iter().any(|c| &c.v2019 == k) {
            out.push(Correspondence {
                v2019: k.clone(),
                v2021: vec![k.clone()],
                relation: Relation::Same,
            });
        }
    }
    for c in APPLICANT_COLUMNS {
        out.push(Correspondence {
            v2019: format!("applications.other_handling.{}", c.key),
            v2021: ["other_no_correction", "other_unpaid_fee", "other_misc"]
                .iter()
                .map(|r| format!("applications.{r}.{}", c.key))
                .collect(),
            relation: Relation::Sum,
        });
    }
    for row in ["rules", "normative_documents"] {
        out.push(Correspondence {
            v2019: format!("active_disclosure.{row}.new_made"),
            v2021: vec![format!("active_disclosure.{row}.issued")],
            relation: Relation::Similar,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_key_counts_match_the_template() {
        let cells = all_cells();
        // table 二: v2021 3+3+1+1+1+1 = 10; v2019 3+3+3+3+3+3+2+2 = 23 minus the keys shared
        // with v2021 (licensing.decisions, punishment.decisions, coercion.decisions, licensing etc.) = 19
        assert_eq!(
            cells
                .iter()
                .filter(|c| c.table == "active_disclosure")
                .count(),
            29
        );
        // table 三: 26 distinct rows x 7
        assert_eq!(
            cells.iter().filter(|c| c.table == "applications").count(),
            26 * 7
        );
        assert_eq!(
            cells
                .iter()
                .filter(|c| c.table == "review_litigation")
                .count(),
            15
        );
        assert!(cells
            .iter()
            .any(|c| c.key == "review_litigation.post_review_suit.pending"));
    }

    #[test]
    fn correspondence_pairs_real_keys() {
        let keys: Vec<String> = all_cells().into_iter().map(|c| c.key).collect();
        let pairs = correspondence();
        for p in &pairs {
            assert!(keys.contains(&p.v2019), "{}", p.v2019);
            assert!(p.v2021.iter().all(|k| keys.contains(k)), "{:?}", p.v2021);
        }
        let same = pairs
            .iter()
            .filter(|p| p.relation == Relation::Same)
            .count();
        // tables 三 (26 rows minus other_handling and the three v2021 sub-rows = 22) and 四,
        // and the three 处理决定数量 of table 二
        assert_eq!(same, 22 * 7 + 15 + 3);
        assert!(pairs
            .iter()
            .any(|p| p.v2019 == "active_disclosure.licensing.decisions"
                && p.relation == Relation::Same));
        assert!(pairs
            .iter()
            .any(|p| p.v2019 == "applications.other_handling.total" && p.v2021.len() == 3));
    }
}
