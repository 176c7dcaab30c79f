//! Stage 3: the normalised text → sections and typed tables.
//!
//! Recognisers: [`number`](crate::parse::number) (nom, cell values),
//! [`labels`](crate::parse::labels) (approximate label search),
//! [`heading`](crate::parse::heading) (section headings, title),
//! [`values`](crate::parse::values) (value slots after a label),
//! [`split`](crate::parse::split) (cutting run-together digits),
//! [`solve`](crate::parse::solve) (choosing cuts by arithmetic),
//! [`table`](crate::parse::table) (rows and cells).

mod area;
pub mod heading;
pub mod labels;
pub mod number;
pub mod solve;
pub mod split;
pub mod table;
mod title_match;
pub mod values;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::normalize::{wrap, NormDoc};
use crate::report::{Section, Sections, Table, Tables, TemplateVersion};
use crate::schema::{self, RowSpec, Versions, SECTIONS};
use split::Cut;
use std::rc::Rc;
use table::{Area, RowRead, TableText};

/// What parsing found, before checks.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Title as printed.
    pub title: Option<String>,
    /// Reporting body.
    pub organization: Option<String>,
    /// Report year.
    pub year: Option<i32>,
    /// Template version of the tables.
    pub template: TemplateVersion,
    /// Words on a mixed template.
    pub template_detail: Option<String>,
    /// The sections.
    pub sections: Sections,
    /// The tables.
    pub tables: Tables,
    /// Whether anything of a report (a section heading or a table row) was found.
    pub looks_like_report: bool,
    /// Diagnostics of this stage.
    pub diagnostics: Vec<Diagnostic>,
}

const V2021_MARKERS: &[&str] = &[
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年收费金额",
];
const V2019_MARKERS: &[&str] = &[
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "其他对外管理服务事项",
    "政府集中采购",
    "采购总金额",
];

fn count_markers(compact: &str, markers: &[&str]) -> usize {
    markers.iter().filter(|m| compact.contains(*m)).count()
}

fn specs(rows: &'static [RowSpec], keep: impl Fn(Versions) -> bool) -> Vec<&'static RowSpec> {
    rows.iter().filter(|r| keep(r.versions)).collect()
}

fn rows_with_values(reads: &[RowRead]) -> usize {
    reads.iter().filter(|r| !r.readings.is_empty()).count()
}

/// Parses a normalised document.
pub fn parse(doc: &NormDoc) -> Parsed {
    let text = &doc.text;
    let mut diags = Vec::new();
    split::reset_document_budget();
    let stage = crate::profile::span("parse: headings");
    let (title, organization, year) = heading::title(text);

    drop(stage);
    let stage = crate::profile::span("parse: sections");
    // sections
    let heads = heading::find_sections(text);
    let mut sections = Sections::default();
    let starts: Vec<usize> = heads.iter().flatten().map(|h| h.start).collect();
    for (i, h) in heads.iter().enumerate() {
        let spec = &SECTIONS[i];
        match h {
            Some(h) => {
                let end = starts
                    .iter()
                    .copied()
                    .find(|s| *s > h.start)
                    .unwrap_or(text.len());
                // section text as printed (full-width punctuation kept)
                let printed = doc.shown(h.end, end);
                // radicals printed for ideographs (`⾏`) are a producer's artefact
                let printed = crate::script::fold_radicals(&printed);
                let heading = crate::script::fold_radicals(
                    &doc.printed(h.start, h.end)
                        .split_whitespace()
                        .collect::<String>(),
                )
                .into_owned();
                // an extractor may print the heading twice (page header and body)
                let body = printed.trim_start();
                let body = body.strip_prefix(heading.as_str()).unwrap_or(body);
                if let Some(slot) = sections.slot_mut(spec.key) {
                    *slot = Some(Section {
                        text: wrap::repair(body),
                        heading,
                        location: doc.location_at(h.start),
                    });
                }
            }
            None => diags.push(Diagnostic::new(
                Code::SectionMissing,
                Severity::Warning,
                format!(
                    "section {} ({}, {}) not found",
                    spec.numeral, spec.key, spec.heading
                ),
            )),
        }
    }

    drop(stage);
    let stage = crate::profile::span("parse: table 二");
    // table areas: from a section's heading to the next heading found
    let next_start = |after: usize| {
        starts
            .iter()
            .copied()
            .find(|s| *s > after)
            .unwrap_or(text.len())
    };
    let area_of = |i: usize, fallback_start: usize| -> Area {
        match &heads[i] {
            Some(h) => Area {
                start: h.end,
                end: next_start(h.start),
            },
            None => Area {
                start: fallback_start,
                end: text.len(),
            },
        }
    };
    let t2_area = bounded(text, area_of(1, heads[0].as_ref().map_or(0, |h| h.end)));
    let t3_area = bounded(text, area_of(2, heads[1].as_ref().map_or(0, |h| h.end)));
    let t4_area = bounded(text, area_of(3, heads[2].as_ref().map_or(0, |h| h.end)));

    // table 二, version from its header words
    // without white space (copied a word at a time): a marker may be wrapped
    let t2_compact: String = text[t2_area.start..t2_area.end]
        .split_whitespace()
        .collect();
    let m21 = count_markers(&t2_compact, V2021_MARKERS);
    let m19 = count_markers(&t2_compact, V2019_MARKERS);
    // each table's area seen without white space, once for all the searches in it
    let t2 = TableText::new(text, t2_area);
    let (r21, d21) = table::read_rows(
        doc,
        &t2,
        "active_disclosure",
        &specs(schema::ACTIVE_DISCLOSURE, |v| v != Versions::V2019),
        Cut::SingleRun,
    );
    let (r19, d19) = table::read_rows(
        doc,
        &t2,
        "active_disclosure",
        &specs(schema::ACTIVE_DISCLOSURE, |v| v != Versions::V2021),
        Cut::SingleRun,
    );
    let t2_version = if m21 > m19 {
        Some(TemplateVersion::V2021)
    } else if m19 > m21 {
        Some(TemplateVersion::V2019)
    } else if rows_with_values(&r21) + rows_with_values(&r19) == 0 {
        None
    } else if rows_with_values(&r19) > rows_with_values(&r21) {
        Some(TemplateVersion::V2019)
    } else {
        if rows_with_values(&r19) == rows_with_values(&r21) {
            // the columns of the two versions differ: a wrong choice files every value under
            // another key, so a tie is said, not settled quietly
            diags.push(Diagnostic::new(
                Code::VersionUnknown,
                Severity::Warning,
                format!(
                    "table 二 fits both template versions equally (header words: v2021 {m21}, v2019 {m19}; rows read alike); read as v2021"
                ),
            ));
        }
        Some(TemplateVersion::V2021)
    };
    let (t2_reads, t2_diags) = if t2_version == Some(TemplateVersion::V2019) {
        (r19, d19)
    } else {
        (r21, d21)
    };
    diags.extend(t2_diags);

    drop(stage);
    let stage = crate::profile::span("parse: table 三");
    // table 三: three （六） sub-rows (v2021) or one (v2019)
    let t3 = TableText::new(text, t3_area);
    let (mut a21, e21) = table::read_rows(
        doc,
        &t3,
        "applications",
        &specs(schema::APPLICATIONS, |v| v != Versions::V2019),
        Cut::Any,
    );
    let (mut a19, e19) = table::read_rows(
        doc,
        &t3,
        "applications",
        &specs(schema::APPLICATIONS, |v| v != Versions::V2021),
        Cut::Any,
    );
    let has = |reads: &[RowRead], key: &str| {
        reads
            .iter()
            .any(|r| r.spec.key == key && r.label.is_some() && !r.readings.is_empty())
    };
    let sub_rows = has(&a21, "other_no_correction") || has(&a21, "other_unpaid_fee");
    let single = has(&a19, "other_handling");
    let t3_version = match (sub_rows, single) {
        (true, _) => Some(TemplateVersion::V2021),
        (false, true) => Some(TemplateVersion::V2019),
        _ if rows_with_values(&a21) == 0 => None,
        _ => Some(if t2_version == Some(TemplateVersion::V2019) {
            TemplateVersion::V2019
        } else {
            TemplateVersion::V2021
        }),
    };
    if !sub_rows && !single && t3_version.is_some() {
        // the form of （六）其他处理 was not read: the version came from table 二 (or by
        // default), so the cells of the other form are in doubt as much as the ones chosen
        let other = |v: Versions| {
            if t3_version == Some(TemplateVersion::V2019) {
                v == Versions::V2021
            } else {
                v == Versions::V2019
            }
        };
        let cells: Vec<String> = specs(schema::APPLICATIONS, other)
            .iter()
            .flat_map(|r| r.cell_keys("applications"))
            .collect();
        diags.push(
            Diagnostic::new(
                Code::RowMissing,
                Severity::Warning,
                "table 三's （六）其他处理 was read neither as one row (v2019) nor as three \
                 sub-rows (v2021); the rows of the form not chosen are null as well",
            )
            .with_cells(cells),
        );
    }
    let (t3_reads, t3_diags) = if t3_version == Some(TemplateVersion::V2019) {
        solve::applications(&mut a19);
        (a19, e19)
    } else {
        solve::applications(&mut a21);
        (a21, e21)
    };
    diags.extend(t3_diags);

    drop(stage);
    let stage = crate::profile::span("parse: table 四");
    // table 四: one labelled row per group when printed that way, else one run of 15 values
    let t4 = TableText::new(text, t4_area);
    let (t4_reads, t4_found) = match review_by_rows(doc, &t4) {
        Some(reads) => (reads, true),
        None => review_as_run(doc, &t4, heads[3].is_some()),
    };

    // template version
    let (template, template_detail) = match (t2_version, t3_version) {
        (Some(a), Some(b)) if a == b => (a, None),
        (Some(TemplateVersion::V2021), Some(TemplateVersion::V2019)) => (
            TemplateVersion::Mixed,
            Some(
                "v2021 table 二 with a single （六）其他处理 row in table 三 (v2019 style)"
                    .to_string(),
            ),
        ),
        (Some(TemplateVersion::V2019), Some(TemplateVersion::V2021)) => (
            TemplateVersion::Mixed,
            Some(
                "v2019 table 二 with three （六）其他处理 sub-rows in table 三 (v2021 style)"
                    .to_string(),
            ),
        ),
        (Some(a), None) | (None, Some(a)) => (a, None),
        _ => (TemplateVersion::Unknown, None),
    };
    if let Some(d) = &template_detail {
        diags.push(Diagnostic::new(
            Code::MixedVersion,
            Severity::Info,
            d.clone(),
        ));
    }

    drop(stage);
    let stage = crate::profile::span("parse: cells");
    let mut tables = Tables::default();
    let found2 = rows_with_values(&t2_reads) > 0;
    let found3 = rows_with_values(&t3_reads) > 0;
    let found4 = t4_found;
    tables.active_disclosure = build_or_missing(
        doc,
        "active_disclosure",
        "二",
        &t2_reads,
        found2,
        &mut diags,
    );
    tables.applications =
        build_or_missing(doc, "applications", "三", &t3_reads, found3, &mut diags);
    tables.review_litigation = build_or_missing(
        doc,
        "review_litigation",
        "四",
        &t4_reads,
        found4,
        &mut diags,
    );

    drop(stage);
    let any_table = found2 || found3 || found4;
    if !any_table {
        let pre = year.is_some_and(|y| y < 2019);
        diags.push(Diagnostic::new(
            if pre {
                Code::Pre2019
            } else {
                Code::VersionUnknown
            },
            Severity::Warning,
            if pre {
                "no national-template table found; reports before 2019 follow provincial formats"
                    .to_string()
            } else {
                "could not tell the template version: no template table found".to_string()
            },
        ));
    }
    if split::document_budget_ran_out() {
        diags.push(Diagnostic::new(
            Code::SplitAmbiguous,
            Severity::Warning,
            format!(
                "cutting run-together digits used up its budget of {} steps for the document: \
                 the rows still to cut were left null",
                split::DOCUMENT_STEPS
            ),
        ));
    }
    let looks_like_report = any_table
        || heads.iter().flatten().count() >= 2
        || (title.is_some() && heads.iter().any(Option::is_some));
    Parsed {
        title,
        organization,
        year,
        template,
        template_detail,
        sections,
        tables,
        looks_like_report,
        diagnostics: diags,
    }
}

/// Most bytes of text a table is looked for in, from its section heading on. Real tables
/// take a few KiB; the bound keeps label search linear on hostile or huge inputs.
pub const MAX_TABLE_AREA: usize = 256 * 1024;

fn bounded(text: &str, a: Area) -> Area {
    let mut end = a
        .end
        .min(a.start.saturating_add(MAX_TABLE_AREA))
        .min(text.len());
    while end > a.start && !text.is_char_boundary(end) {
        end -= 1;
    }
    Area {
        start: a.start.min(end),
        end,
    }
}

fn build_or_missing(
    doc: &NormDoc,
    key: &str,
    numeral: &str,
    reads: &[RowRead],
    found: bool,
    diags: &mut Vec<Diagnostic>,
) -> Table {
    if found {
        return table::build(doc, key, reads, diags);
    }
    let table = Table {
        rows: reads
            .iter()
            .map(|r| crate::report::Row::from_spec(r.spec))
            .collect(),
    };
    // every version's rows: with the table absent, what decided the version may be a guess
    let rows = schema::TABLES
        .iter()
        .find(|t| t.key == key)
        .map_or(&[][..], |t| t.rows);
    let cells: Vec<String> = rows.iter().flat_map(|r| r.cell_keys(key)).collect();
    diags.push(
        Diagnostic::new(
            Code::TableMissing,
            Severity::Error,
            format!("table {numeral} ({key}) not found; all its cells are null"),
        )
        .with_cells(cells),
    );
    table
}

/// Table 四 printed as three labelled rows (行政复议 / 未经复议直接起诉 / 复议后起诉), each
/// with its five values. `None` unless all three rows read that way.
fn review_by_rows(doc: &NormDoc, t4: &TableText) -> Option<Vec<RowRead>> {
    let specs: Vec<&'static RowSpec> = schema::REVIEW_LITIGATION.iter().collect();
    let (mut reads, _) = table::read_rows(doc, t4, "review_litigation", &specs, Cut::Any);
    let numbered = |r: &RowRead| {
        r.label.is_some()
            && !r.readings.is_empty()
            && r.readings
                .iter()
                .all(|x| x.iter().any(|p| p.value.is_some()))
    };
    if !reads.iter().all(numbered) {
        return None;
    }
    for r in &mut reads {
        if !table::filter_readings(&mut r.readings, |v| {
            v.len() == 5 && table::sums_to(&v[..4], v[4])
        }) && r.problem.is_none()
        {
            r.problem = Some(table::no_cut_fits(r.spec.key));
        }
    }
    Some(reads)
}

/// Table 四 as one run of 15 values after its header, cut into the three groups.
fn review_as_run(doc: &NormDoc, t4: &TableText, anchored: bool) -> (Vec<RowRead>, bool) {
    let tokens = table::review_tokens(doc, t4, anchored);
    let kinds = [schema::ValueKind::Count; 15];
    let (mut readings, mut problem) =
        table::readings_of(&tokens, &kinds, "review_litigation", Cut::Any);
    if !solve::review_groups(&mut readings) && problem.is_none() {
        problem = Some(table::no_cut_fits("review_litigation"));
    }
    let found = !tokens.is_empty();
    let label_pos = tokens.first().map_or(t4.area.start, |t| t.pos);
    let reads = schema::REVIEW_LITIGATION
        .iter()
        .enumerate()
        .map(|(g, spec)| {
            let mut group: Vec<Vec<split::Piece>> = Vec::new();
            for r in &readings {
                let slice = r
                    .get(g * 5..g * 5 + 5)
                    .map(<[split::Piece]>::to_vec)
                    .unwrap_or_default();
                if !group.contains(&slice) {
                    group.push(slice);
                }
            }
            RowRead {
                spec,
                label: found.then(|| (spec.label.to_string(), label_pos)),
                readings: Rc::new(group),
                problem: if g == 0 {
                    problem.clone().map(|d| d.at(doc.location_at(label_pos)))
                } else {
                    None
                },
            }
        })
        .collect();
    (reads, found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::lines_of;
    use crate::normalize::normalize;

    fn parsed(text: &str) -> Parsed {
        parse(&normalize(&lines_of(text), false))
    }

    fn v(p: &Parsed, t: &str, r: &str, c: &str) -> Option<String> {
        p.tables
            .get(t)?
            .row(r)?
            .cell(c)?
            .value
            .map(|n| n.to_string())
    }

    #[test]
    fn review_table_printed_as_three_rows() {
        let p = parsed("四、政府信息公开行政复议、行政诉讼情况\n| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n| 行政复议 | 3 | 1 | 0 | 0 | 4 |\n| 未经复议直接起诉 | 2 | 0 | 0 | 1 | 3 |\n| 复议后起诉 | 0 | 0 | 0 | 0 | 0 |\n五、存在的主要问题及改进情况\n");
        assert_eq!(
            v(&p, "review_litigation", "review", "total").as_deref(),
            Some("4")
        );
        assert_eq!(
            v(&p, "review_litigation", "direct_suit", "pending").as_deref(),
            Some("1")
        );
        assert_eq!(
            v(&p, "review_litigation", "post_review_suit", "upheld").as_deref(),
            Some("0")
        );
    }

    #[test]
    fn review_table_as_one_run_after_its_header() {
        let p = parsed("四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计\n1 0 2 0 3 12 0 0 0 12 0 0 0 0 0\n五、存在的主要问题及改进情况\n");
        assert_eq!(
            v(&p, "review_litigation", "review", "total").as_deref(),
            Some("3")
        );
        assert_eq!(
            v(&p, "review_litigation", "direct_suit", "upheld").as_deref(),
            Some("12")
        );
    }
}
