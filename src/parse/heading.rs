//! Section headings (`二、主动公开政府信息情况` and its printed variants) and the title line.

use regex_lite::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::title_match::{self, TitleMatch};
use crate::schema::SECTIONS;
use crate::script::is_cn_numeral;

/// A section heading found in the normalised text.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// Index into [`SECTIONS`].
    pub section: usize,
    /// Byte offset where the numbering starts.
    pub start: usize,
    /// Byte offset just past the matched title.
    pub end: usize,
}

impl Heading {
    /// The heading in `text` (the text it was found in), white space removed: numbering
    /// and title (made on demand: a text may hold thousands of candidates).
    #[cfg_attr(not(feature = "unstable"), allow(dead_code))] // used by tests of internals
    pub fn printed(&self, text: &str) -> String {
        text.get(self.start..self.end)
            .unwrap_or("")
            .split_whitespace()
            .collect()
    }
}

/// Numbering before a section title: `二、`, `2.`, `第二部分`; `（二）` is a sub-item and does
/// not count. Each item is `(where the heading starts, where its title starts)`, found left
/// to right without overlap.
///
/// A hand scanner standing in for the regex kept in the tests (a property test holds them
/// equal): compiling that regex cost more than the rest of a small
/// report's parse on a cold start, and the CLI starts cold for every file.
fn numberings(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(&lead) = bytes.get(from) {
        // most chars can start no numbering: passed over by their first byte
        if from > 0 && !may_start_numbering(lead) {
            from += utf8_len(lead);
            continue;
        }
        let Some(c) = text[from..].chars().next() else {
            break;
        };
        // an ideograph (lead byte E4–E7) starts one only as `第` or a numeral
        if from > 0 && (0xE4..=0xE7).contains(&lead) && c != '第' && !is_cn_numeral(c) {
            from += c.len_utf8();
            continue;
        }
        match numbering_at(text, from, c) {
            Some((start, end)) => {
                out.push((start, end));
                from = end;
            }
            None => from += c.len_utf8(),
        }
    }
    out
}

/// Whether a char whose UTF-8 starts with `lead` may start a numbering past the text's
/// start: `第`, a numeral (lead bytes E4, E5, E7) or a break before Arabic digits (white
/// space, `。；：】` and ASCII `;:>)]#*`; lead bytes C2, E1, E2, E3, EF beyond ASCII).
fn may_start_numbering(lead: u8) -> bool {
    matches!(
        lead,
        b'\t'..=b'\r'
            | b' '
            | b';'
            | b':'
            | b'>'
            | b')'
            | b']'
            | b'#'
            | b'*'
            | 0xC2
            | 0xE1..=0xE5
            | 0xE7
            | 0xEF
    )
}

/// The length of the UTF-8 sequence starting with `lead` (1 for a stray byte).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Past a run of spaces and tabs from `i`.
fn skip_blanks(text: &str, i: usize) -> usize {
    i + text.as_bytes()[i..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

/// Past one to `max` chars satisfying `pred` from `i` (greedy; a longer run fails at the
/// next step, as nothing that follows a run can be part of it).
fn run_of(text: &str, i: usize, max: usize, pred: impl Fn(char) -> bool) -> Option<usize> {
    let len: usize = text[i..]
        .chars()
        .take(max)
        .take_while(|&c| pred(c))
        .map(char::len_utf8)
        .sum();
    (len > 0).then_some(i + len)
}

/// Past `c` at `i` when the char there is one of `set`.
fn one_of(text: &str, i: usize, set: &[char]) -> Option<usize> {
    let c = text[i..].chars().next().filter(|c| set.contains(c))?;
    Some(i + c.len_utf8())
}

/// The numbering starting at `p` (whose char is `c`): `(heading start, title start)`.
fn numbering_at(text: &str, p: usize, c: char) -> Option<(usize, usize)> {
    const STOPS: [char; 3] = ['、', '.', '．'];
    if c == '第' {
        // 第二部分 / 第二章, then an optional stop
        let i = run_of(text, p + c.len_utf8(), 2, is_cn_numeral)?;
        let i = if text[i..].starts_with("部分") {
            i + "部分".len()
        } else if text[i..].starts_with('章') {
            i + '章'.len_utf8()
        } else {
            return None;
        };
        let i = skip_blanks(text, i);
        let i = one_of(text, i, &[STOPS[0], STOPS[1], STOPS[2], ':', '：']).unwrap_or(i);
        return Some((p, skip_blanks(text, i)));
    }
    // 二、 / 2.: the number, blanks, a stop, blanks
    let tail = |i: usize, digits: bool| -> Option<usize> {
        let i = if digits {
            run_of(text, i, 2, crate::script::is_decimal_digit)?
        } else {
            run_of(text, i, 2, is_cn_numeral)?
        };
        let i = one_of(text, skip_blanks(text, i), &STOPS)?;
        Some(skip_blanks(text, i))
    };
    if is_cn_numeral(c) {
        return Some((p, tail(p, false)?));
    }
    // an Arabic number only at the start of the text or after a break (white space,
    // sentence end, a closing bracket, markup), which is not part of the heading
    let digits_after = |i: usize| {
        let at = skip_blanks(text, i);
        tail(at, true).map(|end| (at, end))
    };
    if p == 0 {
        if let Some(m) = digits_after(0) {
            return Some(m);
        }
    }
    let breaks = c.is_whitespace()
        || matches!(
            c,
            '。' | ';' | '；' | ':' | '：' | '>' | ')' | ']' | '】' | '#' | '*'
        );
    if breaks {
        return digits_after(p + c.len_utf8());
    }
    None
}

/// Title patterns per section, matched on the white-space-free text after the numbering.
/// `regex-lite`: these are literals and options on at most 40 chars, and its compile
/// takes microseconds where the full engine's took a tenth of a millisecond each.
static TITLES: LazyLock<[Regex; 6]> = LazyLock::new(|| {
    [
        r"^(?:政府信息公开(?:工作)?)?(?:的)?总体情况",
        r"^主动公开政府信息(?:的)?情况|^主动公开(?:政府)?信息$|^主动公开情况",
        r"^收到和处理政府信息公开申请(?:的)?情况|^收到和处理政府信息公开申请|^依申请公开(?:政府信息)?(?:的)?情况",
        r"^(?:因)?(?:政府信息公开)?(?:申请)?(?:被申请)?行政复议[、,，和及与]*(?:提起)?行政诉讼(?:的)?(?:情况)?|^政府信息公开行政复议|^被申请行政复议",
        r"^(?:政府信息公开)?(?:工作)?存在的?(?:主要)?问题(?:及|和)?(?:其)?(?:改进|整改)?(?:情况|措施|计划)?|^主要问题(?:及|和)改进(?:情况|措施)?",
        r"^其他需要?报告的事项|^其他事项",
    ]
    .map(|p| Regex::new(p).expect("static regex"))
});

/// The chars each title pattern can start with (sorted): the first chars of the literal
/// prefixes of [`TITLES`] (each is anchored at the start), so a pattern is tried only on
/// a text starting with one of its own; most heading candidates are table rows and
/// sentences, which start with none. Written out (deriving them from the patterns took a
/// regex parse per process); a test derives them again from [`TITLES`].
const TITLE_FIRSTS: [&[char]; 6] = [
    &['总', '政', '的'],
    &['主'],
    &['依', '收'],
    &['因', '政', '申', '行', '被'],
    &['主', '存', '工', '政'],
    &['其'],
];

/// Whether some title pattern can start with `c` (one of [`TITLE_FIRSTS`]).
fn can_start_title(c: char) -> bool {
    TITLE_FIRSTS.iter().any(|f| f.contains(&c))
}

/// Words every match of each of [`TITLES`] holds (one of them): a text holding none is
/// not tried (most candidates that pass [`TITLE_FIRSTS`] are sentences such as
/// `政府信息公开工作…`). A property test checks them on texts generated from the patterns.
const TITLE_NEEDS: [&[&str]; 6] = [
    &["总体情况"],
    &["主动公开"],
    &["收到和处理", "依申请公开"],
    &["行政复议"],
    &["问题"],
    &["其他"],
];

/// Most compact texts whose title matches [`candidates`] keeps (a bound on its memory).
const MAX_MATCHED: usize = 4096;

/// Where each section's title pattern ends its match at the start of `compact` (a
/// heading's text without white space), for the patterns that match.
fn title_ends(compact: &str) -> [Option<usize>; 6] {
    let mut out = [None; 6];
    let Some(first) = compact.chars().next() else {
        return out;
    };
    for (s, re) in TITLES.iter().enumerate() {
        if TITLE_FIRSTS[s].binary_search(&first).is_ok()
            && TITLE_NEEDS[s].iter().any(|w| compact.contains(w))
        {
            out[s] = re.find(compact).map(|m| m.end());
        }
    }
    out
}

/// Every heading candidate in `text`, in text order.
pub fn candidates(text: &str) -> Vec<Heading> {
    // (where the heading starts, where its title starts, whether it is numbered)
    let mut starts: Vec<(usize, usize, bool)> = Vec::new();
    for (start, after) in numberings(text) {
        starts.push((start, after, true));
    }
    // an unnumbered heading: a short line holding just the title (`## 主动公开政府信息情况`)
    let mut line_start = 0usize;
    for line in text.split_inclusive('\n') {
        let lead = line.len()
            - line
                .trim_start_matches(|c: char| c.is_whitespace() || c == '#' || c == '*')
                .len();
        if line.trim().chars().nth(24).is_none() {
            starts.push((line_start + lead, line_start + lead, false));
        }
        line_start += line.len();
    }
    let mut out: Vec<Heading> = Vec::new();
    // The headings found so far by start (the furthest end per start) and the longest one,
    // so "does a heading found already cover `start`" looks only at the few starting
    // within that length before it (linear in the text, not in text × headings).
    let mut found: BTreeMap<usize, usize> = BTreeMap::new();
    let mut longest = 0usize;
    // the next few dozen characters without white space, with a map back to bytes (one
    // buffer for every candidate)
    let mut compact = String::new();
    let mut ends = Vec::new();
    // what the title patterns match in each compact text seen: a text that repeats a line
    // (a running header, a pasted block) is matched once
    let mut matched: foldhash::HashMap<String, [Option<usize>; 6]> = Default::default();
    for (start, after, numbered) in starts {
        compact.clear();
        ends.clear();
        for (i, c) in text[after..].char_indices() {
            // Bounded: a long run of white space never makes a title.
            if i > 4096 {
                break;
            }
            // `ends` holds one entry per char of `compact`
            if c == '\n' && (!numbered || ends.len() >= 24) {
                break;
            }
            if c.is_whitespace() || c == '#' || c == '*' {
                continue;
            }
            // most candidates are table rows and sentences: their first char already
            // rules every title out, and the rest is not read
            if compact.is_empty() && !can_start_title(c) {
                break;
            }
            compact.push(c);
            ends.push(after + i + c.len_utf8());
            if ends.len() >= 40 {
                break;
            }
        }
        if compact.is_empty() {
            continue;
        }
        let title_ends = match matched.get(compact.as_str()) {
            Some(m) => *m,
            None => {
                let m = title_ends(&compact);
                if matched.len() < MAX_MATCHED {
                    matched.insert(compact.clone(), m);
                }
                m
            }
        };
        for (s, t_end) in title_ends.iter().enumerate() {
            let Some(t_end) = *t_end else { continue };
            // an unnumbered title must be (nearly) the whole line
            if !numbered && compact[t_end..].chars().count() > 4 {
                continue;
            }
            let nchars = compact[..t_end].chars().count();
            let end = ends.get(nchars.saturating_sub(1)).copied().unwrap_or(after);
            if found
                .range(start.saturating_sub(longest)..=start)
                .any(|(_, &e)| start < e)
            {
                break;
            }
            let e = found.entry(start).or_insert(end);
            *e = (*e).max(end);
            longest = longest.max(end.saturating_sub(start));
            out.push(Heading {
                section: s,
                start,
                end,
            });
            break;
        }
    }
    out.sort_by_key(|h| h.start);
    out
}

/// Picks one heading per section, in template order: the first candidate after the
/// previous section's heading. Sections not found are `None`.
pub fn find_sections(text: &str) -> [Option<Heading>; 6] {
    let cands = candidates(text);
    let mut chosen: [Option<Heading>; 6] = Default::default();
    let mut after = 0usize;
    for (s, slot) in chosen.iter_mut().enumerate().take(SECTIONS.len()) {
        if let Some(h) = cands.iter().find(|h| h.section == s && h.start >= after) {
            after = h.end;
            *slot = Some(h.clone());
        }
    }
    chosen
}

/// The report's title, organisation and year, read from the first lines.
pub fn title(text: &str) -> (Option<String>, Option<String>, Option<i32>) {
    // the head of the document without white space, so a title wrapped mid-word is whole
    let head: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(600)
        .collect();
    let clean_org = |s: &str| -> Option<String> {
        let s = s.rsplit([':', '：', '。']).next().unwrap_or(s);
        let s = s.trim_start_matches(|c: char| !crate::script::is_ideograph(c));
        (s.chars().count() >= 2).then(|| s.to_owned())
    };
    let year_ok = |y: i32| (2000..=2100).contains(&y);
    let year_of = |m: &TitleMatch| {
        head[m.year.clone()]
            .parse::<i32>()
            .ok()
            .filter(|y| year_ok(*y))
    };
    if let Some(m) = title_match::org_first(&head) {
        let year = year_of(&m);
        let org = clean_org(&head[m.org.clone()]);
        if org.is_some() && year.is_some() {
            let t = &head[m.whole];
            let t = t.rsplit([':', '：', '。']).next().unwrap_or(t).to_owned();
            return (Some(t), org, year);
        }
    }
    if let Some(m) = title_match::year_first(&head) {
        let year = year_of(&m);
        let org = clean_org(&head[m.org]);
        return (Some(head[m.whole].to_owned()), org, year);
    }
    (None, None, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The regex [`numberings`] stands in for.
    static NUMBERING: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?:第([一二三四五六七八九十]{1,2})(?:部分|章)[ \t]*[、.．:：]?|(?:([一二三四五六七八九十]{1,2})|(?:^|[\s。;；:：>)\]】#*])[ \t]*(\d{1,2}))[ \t]*[、.．])[ \t]*").expect("static regex")
    });

    fn numberings_by_regex(text: &str) -> Vec<(usize, usize)> {
        NUMBERING
            .captures_iter(text)
            .filter_map(|m| {
                let whole = m.get(0)?;
                let start = match m.get(1) {
                    Some(_) => whole.start(),
                    None => m.get(2).or_else(|| m.get(3))?.start(),
                };
                Some((start, whole.end()))
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn numberings_match_the_regex(parts in proptest::collection::vec(proptest::sample::select(vec![
            "第", "一", "二", "十", "部分", "部", "章", " ", "\t", "\n", "\u{3000}", "、", ".", "．",
            ":", "：", "。", ";", "；", ">", ")", "]", "】", "#", "*", "(", "1", "2", "0", "９", "٣",
            "a", "政", "总体情况", "12", "123", "\u{a0}", "\u{85}", "\u{1680}", "\u{2003}",
            "\u{2029}", "七", "八", "九",
        ]), 0..24)) {
            let text: String = parts.concat();
            prop_assert_eq!(numberings(&text), numberings_by_regex(&text), "{:?}", text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Every text a title pattern matches holds one of its needed words.
        #[test]
        fn title_matches_hold_their_needed_words(
            (s, text) in (0..6usize).prop_flat_map(|s| {
                let pattern = TITLES[s].as_str().replace(['^', '$'], "");
                (Just(s), proptest::string::string_regex(&pattern).expect("a generator"))
            })
        ) {
            prop_assert!(TITLES[s].is_match(&text), "{:?}", text);
            prop_assert!(TITLE_NEEDS[s].iter().any(|w| text.contains(w)), "{}: {:?}", s, text);
        }
    }

    #[test]
    fn every_char_that_may_start_a_numbering_is_looked_at() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let starts = c == '第'
                || is_cn_numeral(c)
                || c.is_whitespace()
                || matches!(
                    c,
                    '。' | ';' | '；' | ':' | '：' | '>' | ')' | ']' | '】' | '#' | '*'
                );
            let mut buf = [0; 4];
            let lead = c.encode_utf8(&mut buf).as_bytes()[0];
            assert!(!starts || may_start_numbering(lead), "{c:?}");
            assert_eq!(utf8_len(lead), c.len_utf8());
        }
    }

    #[test]
    fn numbering_forms() {
        let t = "一、总体 第二部分：主动 第十章 x 3. 收到。4、复议 (五)问题 12、x 123、y";
        let found: Vec<&str> = numberings(t).iter().map(|&(s, e)| t[s..e].trim()).collect();
        assert_eq!(found, ["一、", "第二部分：", "第十章", "3.", "4、", "12、"]);
        assert_eq!(numberings(t), numberings_by_regex(t));
    }

    /// The first chars of the literal prefixes of each of [`TITLES`], derived from the
    /// patterns, sorted: `None` when a prefix is not literal (no such filter could be made).
    fn title_firsts_of_the_patterns() -> Option<Vec<Vec<char>>> {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        let mut all = Vec::new();
        for re in TITLES.iter() {
            let hir = regex_syntax::Parser::new().parse(re.as_str()).ok()?;
            let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
            let mut firsts = Vec::new();
            for lit in seq.literals()? {
                // a literal may be cut inside a char: only its first char's bytes are read
                let bytes = lit.as_bytes();
                let len = bytes.first().map_or(0, |b| match b.leading_ones() {
                    0 => 1,
                    n => n as usize,
                });
                let first = std::str::from_utf8(bytes.get(..len)?)
                    .ok()?
                    .chars()
                    .next()?;
                firsts.push(first);
            }
            firsts.sort_unstable();
            firsts.dedup();
            all.push(firsts);
        }
        Some(all)
    }

    #[test]
    fn titles_start_with_the_chars_of_their_prefixes() {
        let derived = title_firsts_of_the_patterns().expect("the title prefixes are literal");
        let written: Vec<Vec<char>> = TITLE_FIRSTS.iter().map(|f| f.to_vec()).collect();
        assert_eq!(
            derived, written,
            "TITLE_FIRSTS are the patterns' first chars, sorted"
        );
        let may_start = |c: char| TITLE_FIRSTS.iter().any(|f| f.binary_search(&c).is_ok());
        assert!(!may_start('自'), "a table row's label");
        assert!(may_start('总'));
    }

    #[test]
    fn finds_inline_and_wrapped_headings() {
        let t = "前言。一、总体情况2021年，我区……。二、主动公开政府信息情况 第二十条 三、收到和处理政府信息公开申请情况 四、政府信息公开行政复议、行政\n诉讼情况 五、存在的主要问题及改进情况 六、其他需要报告的事项 无";
        let s = find_sections(t);
        assert!(s.iter().all(Option::is_some), "{s:?}");
        assert_eq!(
            s[3].as_ref().map(|h| h.printed(t)).as_deref(),
            Some("四、政府信息公开行政复议、行政诉讼情况")
        );
        assert_eq!(
            s[4].as_ref().map(|h| h.printed(t)).as_deref(),
            Some("五、存在的主要问题及改进情况")
        );
    }

    #[test]
    fn unnumbered_and_chapter_headings() {
        let t = "前言\n## 总体情况\n正文\n第二部分 主动公开政府信息情况\n规章 0 0 0\n主动公开政府信息情况如下表所示，全年共公开。";
        let s = find_sections(t);
        assert_eq!(
            s[0].as_ref().map(|h| h.printed(t)).as_deref(),
            Some("总体情况")
        );
        assert_eq!(
            s[1].as_ref().map(|h| h.printed(t)).as_deref(),
            Some("第二部分主动公开政府信息情况")
        );
    }

    #[test]
    fn sub_items_are_not_sections() {
        let s = find_sections("(一)主动公开政府信息情况\n规章");
        assert!(s[1].is_none());
    }

    #[test]
    fn reads_title() {
        let (_, org, year) = title("\n瀍河回族区司法局2024年政府信息公开工作年度报\n告\n");
        assert_eq!(org.as_deref(), Some("瀍河回族区司法局"));
        assert_eq!(year, Some(2024));
        let (_, org, year) = title("标题: 平潭综合实验区2021年度政府信息公开工作年度报告\n");
        assert_eq!((org.as_deref(), year), (Some("平潭综合实验区"), Some(2021)));
        let (_, org, year) = title("正文\n2024 年上海市科委政府信息公开工作\n年度报告");
        assert_eq!((org.as_deref(), year), (Some("上海市科委"), Some(2024)));
    }
}
