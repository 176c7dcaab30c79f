//! Narrative checks: the figures sections 一, 四 and 五 state in words (`受理政府信息公开申请17件`)
//! compared with the table cells they restate.
//!
//! Saying nothing beats guessing: a sentence is skipped when it has words that change what
//! a number means (全区/全市 totals, 各部门, 备案, 同比/增长/下降, percentages, 约/余/以上,
//! another year), and a clause is read only when it holds exactly one number, directly
//! followed by a count unit (`件`, `起`; never `条`, which counts published items), and words
//! that name one figure of the template and nothing that narrows or widens it (channels,
//! applicant kinds, 其中-subsets of received applications, 纠错/维持 results).

use rust_decimal::Decimal;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::normalize::NormDoc;
use crate::report::Report;
use crate::source::Location;

/// Words that make a sentence's numbers something other than the table's figures.
const SCOPE_WORDS: &[&str] = &[
    "全区",
    "全市",
    "全县",
    "全省",
    "全镇",
    "全旗",
    "全州",
    "全系统",
    "各级",
    "各部门",
    "各单位",
    "各地",
    "所属",
    "下属",
    "系统内",
    "区直",
    "市直",
    "县直",
    "乡镇",
    "街道",
    "同比",
    "较去年",
    "较上年",
    "比上年",
    "比去年",
    "上年同期",
    "增长",
    "下降",
    "增加",
    "减少",
    "回落",
    "上升",
    "%",
    "百分",
    "占",
    "约",
    "以上",
    "以下",
    "左右",
    "累计",
    "历年",
    "备案",
    "平均",
    "日均",
];

/// [`SCOPE_WORDS`] searched in one pass over a sentence (most sentences with a digit are
/// looked at, and 46 substring searches each cost more than the rest of the sentence's
/// reading). A contiguous NFA: the DFA the crate picks by default took longer to build, in
/// a process that parses one file, than every search it then made.
static SCOPE: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(SCOPE_WORDS)
        .expect("a few dozen short words")
});

/// A figure a statement can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Figure {
    NewReceived,
    CarriedOver,
    Handled,
    CarriedForward,
    Granted,
    PartiallyGranted,
    Review,
    Litigation,
    Issued(Doc),
    Published(Doc),
    Fees,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Doc {
    Rules,
    Normative,
}

impl Figure {
    /// The cells whose sum the figure is, in the first template version that has them.
    fn keys(self) -> &'static [&'static [&'static str]] {
        match self {
            Figure::NewReceived => &[&["applications.new_received.total"]],
            Figure::CarriedOver => &[&["applications.carried_over.total"]],
            Figure::Handled => &[&["applications.total.total"]],
            Figure::CarriedForward => &[&["applications.carried_forward.total"]],
            Figure::Granted => &[&["applications.granted.total"]],
            Figure::PartiallyGranted => &[&["applications.partially_granted.total"]],
            Figure::Review => &[&["review_litigation.review.total"]],
            Figure::Litigation => &[&[
                "review_litigation.direct_suit.total",
                "review_litigation.post_review_suit.total",
            ]],
            Figure::Issued(Doc::Rules) => &[
                &["active_disclosure.rules.issued"],
                &["active_disclosure.rules.new_made"],
            ],
            Figure::Issued(Doc::Normative) => &[
                &["active_disclosure.normative_documents.issued"],
                &["active_disclosure.normative_documents.new_made"],
            ],
            Figure::Published(Doc::Rules) => &[&["active_disclosure.rules.new_published"]],
            Figure::Published(Doc::Normative) => {
                &[&["active_disclosure.normative_documents.new_published"]]
            }
            Figure::Fees => &[&["active_disclosure.fees.amount"]],
        }
    }

    /// In words, for messages.
    fn what(self) -> &'static str {
        match self {
            Figure::NewReceived => "table 三 本年新收 总计",
            Figure::CarriedOver => "table 三 上年结转 总计",
            Figure::Handled => "table 三 办理结果 总计",
            Figure::CarriedForward => "table 三 结转下年度继续办理 总计",
            Figure::Granted => "table 三 予以公开 总计",
            Figure::PartiallyGranted => "table 三 部分公开 总计",
            Figure::Review => "table 四 行政复议 总计",
            Figure::Litigation => "table 四 行政诉讼 总计 (未经复议直接起诉 + 复议后起诉)",
            Figure::Issued(Doc::Rules) => "table 二 规章 本年制发",
            Figure::Issued(Doc::Normative) => "table 二 行政规范性文件 本年制发",
            Figure::Published(Doc::Rules) => "table 二 规章 本年新公开",
            Figure::Published(Doc::Normative) => "table 二 规范性文件 本年新公开",
            Figure::Fees => "table 二 行政事业性收费 金额",
        }
    }

    /// Whether the unit after the number fits the figure.
    fn unit_fits(self, unit: &str) -> bool {
        match self {
            Figure::Fees => unit == "万元",
            _ => matches!(unit, "件" | "起" | "宗" | "个"),
        }
    }
}

fn has_any(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.contains(w))
}

/// Which figure a clause states, from its words alone.
fn classify(clause: &str) -> Option<Figure> {
    // results, channels, applicant kinds and the like narrow any figure
    const NARROWING: &[&str] = &[
        "网上",
        "网络",
        "在线",
        "当面",
        "信函",
        "邮寄",
        "传真",
        "邮件",
        "现场",
        "电话",
        "涉及",
        "自然人",
        "企业",
        "法人",
        "组织",
        "咨询",
        "转办",
        "转交",
        "依职权",
    ];
    let apps = clause.contains("申请");
    if has_any(
        clause,
        &["上年结转", "上年度结转", "上一年度结转", "结转上年"],
    ) {
        return Some(Figure::CarriedOver);
    }
    if has_any(
        clause,
        &[
            "结转下年",
            "结转至下",
            "结转到下",
            "结转下一年",
            "转下一年",
            "转入下一年",
            "顺延到下",
            "顺延至下",
            "结转至20",
        ],
    ) {
        return Some(Figure::CarriedForward);
    }
    if has_any(clause, NARROWING) {
        return None;
    }
    if clause.contains("行政复议") && !clause.contains("诉讼") {
        const RESULTS: &[&str] = &[
            "纠错",
            "纠正",
            "维持",
            "败诉",
            "审结",
            "撤销",
            "违法",
            "驳回",
            "被申请",
            "申请人",
        ];
        return (!has_any(clause, RESULTS)).then_some(Figure::Review);
    }
    if clause.contains("行政诉讼") && !clause.contains("复议") {
        const RESULTS: &[&str] = &[
            "纠错", "纠正", "维持", "败诉", "审结", "撤销", "违法", "驳回", "起诉", "应诉", "出庭",
            "一审", "二审",
        ];
        return (!has_any(clause, RESULTS)).then_some(Figure::Litigation);
    }
    if has_any(clause, &["复议", "诉讼"]) {
        return None;
    }
    if clause.contains("部分公开") {
        return (!has_any(clause, &["予以公开", "不予", "同意公开"]))
            .then_some(Figure::PartiallyGranted);
    }
    if has_any(clause, &["予以公开", "同意公开"]) {
        return (!has_any(clause, &["不予", "及", "和", "或"])).then_some(Figure::Granted);
    }
    if has_any(
        clause,
        &[
            "不予",
            "无法提供",
            "不予处理",
            "其他处理",
            "未办结",
            "正在办理",
        ],
    ) {
        return None;
    }
    if has_any(clause, &["办结", "办理完结", "完成办理"]) {
        return Some(Figure::Handled);
    }
    if apps
        && has_any(clause, &["新收", "收到", "受理", "接收", "接到", "共收"])
        && !clause.contains("其中")
    {
        return Some(Figure::NewReceived);
    }
    if clause.contains("行政事业性收费") && !clause.contains("项目") {
        return Some(Figure::Fees);
    }
    None
}

/// A document figure (`制发规章3件`): which documents, and whether the verb issues or
/// publishes them. `verb` is the verb carried from an earlier clause of a list.
fn classify_doc(clause: &str, verb: Option<bool>) -> Option<(Doc, Option<bool>)> {
    const NOT: &[&str] = &[
        "部门",
        "现行有效",
        "废止",
        "清理",
        "修改",
        "修订",
        "审查",
        "解读",
        "征求",
        "草案",
        "库",
        "宣传",
        "学习",
        "培训",
        "备案",
        "政策",
    ];
    let rules = clause.contains("规章");
    let normative = clause.contains("规范性文件");
    if rules == normative || has_any(clause, NOT) {
        return None;
    }
    let own = if has_any(clause, &["制发", "印发", "出台", "制定"]) {
        Some(true)
    } else if has_any(clause, &["公开", "发布", "公布"]) {
        Some(false)
    } else {
        None
    };
    let doc = if rules { Doc::Rules } else { Doc::Normative };
    Some((doc, own.or(verb)))
}

/// The numbers of a clause that can be counts: digit runs not part of a date, an ordinal,
/// a range or a percentage, each with the unit printed right after it.
fn counts(clause: &str) -> Vec<(Decimal, String, usize)> {
    // most clauses hold no digit at all
    if !clause.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = clause.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].1.is_ascii_digit() || chars[i].1 == '.') {
            i += 1;
        }
        let digits: String = chars[start..i].iter().map(|c| c.1).collect();
        let mut j = i;
        while j < chars.len() && chars[j].1 == ' ' {
            j += 1;
        }
        let next: String = chars[j..].iter().take(2).map(|c| c.1).collect();
        let prev = start.checked_sub(1).map(|p| chars[p].1);
        let date = next.starts_with([
            '年', '月', '日', '号', '时', '期', '%', '-', '~', '至', '到', '余', '多', '.',
        ]);
        if date || matches!(prev, Some('第' | '-' | '~' | '至' | '到')) {
            // a year, a date, an ordinal: not a count, but still a number in the clause
            out.push((Decimal::MIN, String::new(), chars[start].0));
            continue;
        }
        let unit = if next.starts_with("万元") {
            "万元".to_string()
        } else {
            next.chars().next().map(String::from).unwrap_or_default()
        };
        match digits.parse::<Decimal>() {
            Ok(v) => out.push((v, unit, chars[start].0)),
            Err(_) => out.push((Decimal::MIN, String::new(), chars[start].0)),
        }
    }
    out
}

/// Years a sentence names (`2024年`).
fn years(sentence: &str) -> Vec<i32> {
    let chars: Vec<char> = sentence.chars().collect();
    let mut out = Vec::new();
    for w in chars.windows(5) {
        if w[..4].iter().all(char::is_ascii_digit) && w[4] == '年' {
            let y: String = w[..4].iter().collect();
            if let Ok(y) = y.parse() {
                out.push(y);
            }
        }
    }
    out
}

/// One figure read from the narrative.
struct Statement<'a> {
    figure: Figure,
    value: Decimal,
    clause: &'a str,
    sentence: &'a str,
}

/// Sentences read per section: a narrative has a few hundred; more is a table or
/// hostile input, whose work stays bounded.
const MAX_SENTENCES: usize = 5_000;

/// The statements of one section's text.
fn statements(text: &str, year: Option<i32>) -> Vec<Statement<'_>> {
    let mut out = Vec::new();
    for sentence in text
        .split(['。', ';', '；', '!', '?', '！', '？', '\n'])
        .take(MAX_SENTENCES)
    {
        let sentence = sentence.trim();
        // a statement is a sentence, not a table row or a page of digits
        if sentence.is_empty()
            || sentence.len() > 1_500
            || !sentence.bytes().any(|b| b.is_ascii_digit())
            || sentence.contains('|')
            || SCOPE.is_match(sentence)
        {
            continue;
        }
        // another year's figures (a comparison, a plan) are not this report's
        if years(sentence)
            .iter()
            .any(|y| year.is_none_or(|r| *y != r && *y != r + 1))
        {
            continue;
        }
        let clauses: Vec<&str> = sentence
            .split([',', '，', '、', ':', '：', '(', ')', '（', '）'])
            .collect();
        let mut doc_verb: Option<bool> = None;
        for (ci, clause) in clauses.iter().enumerate() {
            let nums = counts(clause);
            let real: Vec<&(Decimal, String, usize)> =
                nums.iter().filter(|n| n.0 != Decimal::MIN).collect();
            if real.len() != 1 {
                doc_verb = None;
                continue;
            }
            let (value, unit, _) = real[0];
            // `行政复议、行政诉讼申请3件`: one number for a list of figures
            let shared = ci
                .checked_sub(1)
                .and_then(|p| clauses.get(p))
                .is_some_and(|p| counts(p).is_empty() && classify(p).is_some());
            let figure = match classify_doc(clause, doc_verb) {
                Some((doc, Some(true))) => {
                    doc_verb = Some(true);
                    Some(Figure::Issued(doc))
                }
                Some((doc, Some(false))) => {
                    doc_verb = Some(false);
                    Some(Figure::Published(doc))
                }
                Some((_, None)) => None,
                None => {
                    doc_verb = None;
                    classify(clause)
                }
            };
            let Some(figure) = figure else { continue };
            if shared || !figure.unit_fits(unit) {
                continue;
            }
            out.push(Statement {
                figure,
                value: *value,
                clause,
                sentence,
            });
        }
    }
    out
}

/// The table's value for a figure: the sum of its cells, `None` when a cell is not in
/// this template, blank or unread.
fn table_value(report: &Report, figure: Figure) -> Option<(Vec<String>, Decimal)> {
    let keys = figure
        .keys()
        .iter()
        .find(|ks| ks.iter().all(|k| report.cell(k).is_some()))?;
    let mut sum = Decimal::ZERO;
    for k in keys.iter() {
        sum = sum.checked_add(report.value(k)?.as_decimal())?;
    }
    Some((keys.iter().map(|k| k.to_string()).collect(), sum))
}

fn quote(sentence: &str) -> String {
    let chars: Vec<char> = sentence.chars().collect();
    if chars.len() <= 120 {
        sentence.to_string()
    } else {
        format!("{}…", chars[..120].iter().collect::<String>())
    }
}

/// Where a clause is in the input: found in the normalised text, else the section heading.
fn locate(doc: &NormDoc, clause: &str, fallback: Option<&Location>) -> Option<Location> {
    let needle = clause.trim();
    doc.text
        .find(needle)
        .filter(|_| !needle.is_empty())
        .and_then(|p| doc.location_at(p))
        .or_else(|| fallback.cloned())
}

/// Compares the figures stated in sections 一, 四 and 五 with the tables.
pub fn check(report: &Report, doc: &NormDoc) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: Vec<(Figure, Decimal)> = Vec::new();
    let sections = [
        ("一", &report.sections.overview),
        ("四", &report.sections.review_litigation),
        ("五", &report.sections.problems),
    ];
    for (numeral, section) in sections {
        let Some(section) = section else { continue };
        for s in statements(&section.text, report.metadata.year) {
            if seen.contains(&(s.figure, s.value)) {
                continue;
            }
            let Some((cells, table)) = table_value(report, s.figure) else {
                continue;
            };
            seen.push((s.figure, s.value));
            let location = locate(doc, s.clause, section.location.as_ref());
            let said = format!("section {numeral} says {} ('{}')", s.value, s.clause.trim());
            let d = if s.value == table {
                Diagnostic::new(
                    Code::NarrativeMatch,
                    Severity::Info,
                    format!(
                        "{said}, as {} ({table}): \"{}\"",
                        s.figure.what(),
                        quote(s.sentence)
                    ),
                )
            } else {
                Diagnostic::new(
                    Code::NarrativeMismatch,
                    Severity::Warning,
                    format!(
                        "{said} but {} is {table}: \"{}\"",
                        s.figure.what(),
                        quote(s.sentence)
                    ),
                )
            };
            out.push(d.at(location).with_cells(cells));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(text: &str) -> Vec<(Figure, i64)> {
        statements(text, Some(2024))
            .iter()
            .map(|s| (s.figure, s.value.try_into().unwrap()))
            .collect()
    }

    #[test]
    fn statements_give_figures() {
        assert_eq!(
            figures("2024年,区政府办代表区政府受理政府信息公开申请17件,均已在法定期限内予以答复。"),
            [(Figure::NewReceived, 17)]
        );
        assert_eq!(
            figures("全年收到政府信息公开申请 34 件,上年结转政府信息公开申请 2 件,所有申请均已按要求办理完成。"),
            [(Figure::NewReceived, 34), (Figure::CarriedOver, 2)]
        );
        assert_eq!(
            figures("因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。"),
            [(Figure::Review, 2), (Figure::Litigation, 7)]
        );
        assert_eq!(
            figures("共办结148件,结转至2025年6件。"),
            [(Figure::Handled, 148), (Figure::CarriedForward, 6)]
        );
        assert_eq!(
            figures("主动公开规章13件,行政规范性文件60件。"),
            [
                (Figure::Published(Doc::Rules), 13),
                (Figure::Published(Doc::Normative), 60)
            ]
        );
    }

    proptest::proptest! {
        /// The one-pass search finds a scope word exactly when one of the word-by-word
        /// searches does.
        #[test]
        fn scope_search_finds_what_each_word_does(parts in proptest::collection::vec(
            proptest::sample::select(vec!["全", "区", "全区", "同", "比", "同比", "%", "申请", "17", "件", "占", "以", "上", "日均", "年"]),
            0..12,
        )) {
            let s: String = parts.concat();
            proptest::prop_assert_eq!(SCOPE.is_match(&s), has_any(&s, SCOPE_WORDS), "{}", s);
        }
    }

    #[test]
    fn scope_words_ranges_and_other_units_say_nothing() {
        for text in [
            "全区共收到政府信息公开申请154件。",
            "受理政府信息公开申请859件,同比下降12.3%。",
            "备案审查规范性文件5件,办理行政复议案件134件。",
            "其中网上申请10件。",
            "收到政府信息公开申请10-20件。",
            "受理政府信息公开申请100余件。",
            "主动公开政府信息2428条。",
            "2023年受理政府信息公开申请30件。",
            "收到行政复议、行政诉讼申请3件。",
            "予以公开及部分公开258件。",
            "刊登政府规章、规范性文件等112件。",
            "未发生因政府信息公开被行政复议纠错1件。",
        ] {
            assert!(figures(text).is_empty(), "{text}: {:?}", figures(text));
        }
    }
}
