//! The two title-line patterns, matched by hand: `平潭综合实验区2021年度政府信息公开工作年度报告`
//! (body first) and `2024年上海市科委政府信息公开工作年度报告` (year first).
//!
//! They were the regexes
//! `([^\s0-9。,，:：|#*]{2,40}?)(\d{4})年度?(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度)?报告?`
//! and `(\d{4})年度?([^\s0-9。,，:：|#*]{2,40}?)(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度)?报告?`,
//! whose bounded repetition of a negated Unicode class took over a millisecond to compile
//! in every process: more than parsing a whole text report. These functions find the same
//! match (leftmost start, then the regex's preference order: shortest body, every optional
//! word taken when present) with the same groups; the tests compare them with the regexes.

use crate::script::is_decimal_digit;
use std::ops::Range;

/// A title match: byte ranges of the whole match, the body and the four-digit year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleMatch {
    /// The whole match.
    pub whole: Range<usize>,
    /// The body's name (`[^\s0-9。,，:：|#*]{2,40}?`).
    pub org: Range<usize>,
    /// The year (`\d{4}`).
    pub year: Range<usize>,
}

/// The most characters the body's name may have.
const ORG_MAX: usize = 40;

/// A character of the body's name: not white space, an ASCII digit or `。,，:：|#*`.
fn is_org_char(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_ascii_digit()
        || matches!(c, '。' | ',' | '，' | ':' | '：' | '|' | '#' | '*'))
}

/// `lit` at `i`: the end.
fn lit(s: &str, i: usize, lit: &str) -> Option<usize> {
    s[i..].starts_with(lit).then(|| i + lit.len())
}

/// `(?:lit)?` at `i`, taken when present.
fn opt(s: &str, i: usize, l: &str) -> usize {
    lit(s, i, l).unwrap_or(i)
}

/// `\d{4}` at `i`: the end.
fn four_digits(s: &str, i: usize) -> Option<usize> {
    let mut chars = s[i..].char_indices();
    for _ in 0..4 {
        let (_, c) = chars.next()?;
        if !is_decimal_digit(c) {
            return None;
        }
    }
    Some(chars.next().map_or(s.len(), |(j, _)| i + j))
}

/// `(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度)?报告?` at `i`: the end. Each optional word
/// is taken when present: leaving it out could never let the rest match (what follows it
/// starts differently), so the greedy reading is the regex's.
fn report_words(s: &str, i: usize) -> Option<usize> {
    let i = opt(s, i, "政府");
    let i = lit(s, i, "信息公开").or_else(|| lit(s, i, "政务公开"))?;
    let i = opt(s, i, "工作");
    let i = opt(s, i, "年度");
    let i = lit(s, i, "报")?;
    Some(opt(s, i, "告"))
}

/// The shortest run of 2–40 name characters from `start` after which `rest` matches:
/// `(end of the run, end of the match)`.
fn lazy_org(
    s: &str,
    start: usize,
    mut rest: impl FnMut(usize) -> Option<usize>,
) -> Option<(usize, usize)> {
    let mut n = 0usize;
    for (j, c) in s[start..].char_indices() {
        if n >= 2 {
            if let Some(end) = rest(start + j) {
                return Some((start + j, end));
            }
        }
        if n == ORG_MAX || !is_org_char(c) {
            return None;
        }
        n += 1;
    }
    // the run reaches the end of the text: `rest` needs at least a year or a word
    if n >= 2 {
        rest(s.len()).map(|end| (s.len(), end))
    } else {
        None
    }
}

/// Whether `s` holds what every title match does (`年`, then `公开` and `报` somewhere):
/// a quick test that spares most lines the scan.
fn may_hold_title(s: &str) -> bool {
    s.contains('年') && s.contains("公开") && s.contains('报')
}

/// The body-first title: `…(body)(year)年度?…报告?`.
pub fn org_first(s: &str) -> Option<TitleMatch> {
    if !may_hold_title(s) {
        return None;
    }
    // what follows the body at `p` (year, 年, the report words) does not depend on where
    // the body starts: read once per position, not once per start tried
    let mut after_body: Vec<Option<Option<(usize, usize)>>> = vec![None; s.len() + 1];
    s.char_indices()
        .filter(|&(_, c)| is_org_char(c))
        .find_map(|(a, _)| {
            let mut year = 0..0;
            let (org_end, end) = lazy_org(s, a, |p| {
                let read = after_body[p].get_or_insert_with(|| {
                    let d = four_digits(s, p)?;
                    let y = lit(s, d, "年")?;
                    Some((d, report_words(s, opt(s, y, "度"))?))
                });
                let (d, end) = (*read)?;
                year = p..d;
                Some(end)
            })?;
            Some(TitleMatch {
                whole: a..end,
                org: a..org_end,
                year,
            })
        })
}

/// The year-first title: `(year)年度?(body)…报告?`. `度` is taken into `年度` first; only
/// when no body follows that way is it read as the body's first character.
pub fn year_first(s: &str) -> Option<TitleMatch> {
    if !may_hold_title(s) {
        return None;
    }
    s.char_indices().find_map(|(a, _)| {
        let d = four_digits(s, a)?;
        let y = lit(s, d, "年")?;
        [lit(s, y, "度"), Some(y)]
            .into_iter()
            .flatten()
            .find_map(|start| {
                let (org_end, end) = lazy_org(s, start, |p| report_words(s, p))?;
                Some(TitleMatch {
                    whole: a..end,
                    org: start..org_end,
                    year: a..d,
                })
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    /// The regexes these functions replace, as they were.
    fn regexes() -> (Regex, Regex) {
        (
            Regex::new(r"([^\s0-9。,，:：|#*]{2,40}?)(\d{4})年度?(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度)?报告?").unwrap(),
            Regex::new(r"(\d{4})年度?([^\s0-9。,，:：|#*]{2,40}?)(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度)?报告?").unwrap(),
        )
    }

    fn by_regex(re: &Regex, s: &str, org: usize, year: usize) -> Option<TitleMatch> {
        let c = re.captures(s)?;
        let r = |i: usize| c.get(i).map(|m| m.range()).unwrap_or(0..0);
        Some(TitleMatch {
            whole: r(0),
            org: r(org),
            year: r(year),
        })
    }

    #[test]
    fn reads_both_orders() {
        let s = "标题:平潭综合实验区2021年度政府信息公开工作年度报告";
        let m = org_first(s).unwrap();
        assert_eq!(&s[m.org], "平潭综合实验区");
        assert_eq!(&s[m.year], "2021");
        assert_eq!(&s[m.whole], &s["标题:".len()..]);
        let s = "正文2024年上海市科委政府信息公开工作年度报告";
        let m = year_first(s).unwrap();
        assert_eq!((&s[m.org], &s[m.year]), ("上海市科委", "2024"));
        // `度` read as the body's first character when nothing follows 年度 otherwise
        let s = "2024年度局信息公开报";
        let m = year_first(s).unwrap();
        assert_eq!(&s[m.org], "度局");
        let s = "2024年度上海信息公开报";
        assert_eq!(&s[year_first(s).unwrap().org], "上海");
        assert_eq!(year_first("2024年上海政府信息公开"), None); // no 报
    }

    #[test]
    fn same_matches_as_the_regexes_on_hand_picked_texts() {
        let (of, yf) = regexes();
        for s in [
            "瀍河回族区司法局2024年政府信息公开工作年度报告",
            "2024年度信息公开报",
            "2024年度局信息公开报",
            "2024年度政府信息公开工作年度报告",
            "一二2024年度年度政务公开报告告",
            "某某局２０２４年政府信息公开报告",
            "某某局٢٠٢٤年政府信息公开报告",
            "一2024年政府信息公开报告",
            "数据12345年政务公开报",
            "长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长2020年信息公开报告",
            "2020年长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长信息公开报告",
            "",
            "年",
        ] {
            assert_eq!(org_first(s), by_regex(&of, s, 1, 2), "{s}");
            assert_eq!(year_first(s), by_regex(&yf, s, 2, 1), "{s}");
        }
    }

    /// Texts made of the pieces the patterns care about, so that matches are common.
    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "年",
            "度",
            "政府",
            "信息公开",
            "政务公开",
            "政务",
            "工作",
            "报",
            "告",
            "2024",
            "20",
            "1",
            "２０２３",
            "٣",
            "。",
            ",",
            "：",
            "|",
            "#",
            " ",
            "\n",
            "局",
            "区",
            "a",
            "政",
            "长长长长长长长长长长",
        ]);
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn same_matches_as_the_regexes(s in pieces()) {
            let (of, yf) = regexes();
            prop_assert_eq!(org_first(&s), by_regex(&of, &s, 1, 2));
            prop_assert_eq!(year_first(&s), by_regex(&yf, &s, 2, 1));
        }
    }
}
