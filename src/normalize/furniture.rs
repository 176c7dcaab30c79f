//! Page furniture: page numbers, running headers of markup, markdown table separators.

use regex::Regex;
use std::sync::LazyLock;

/// A cursor over a line for the page-number shapes below (hand matchers: the regexes they
/// stand for cost more to compile, once per process, than a small report takes to parse).
struct Cursor<'a> {
    rest: &'a str,
}

impl Cursor<'_> {
    /// `\s*`.
    fn spaces(&mut self) {
        self.rest = self.rest.trim_start();
    }

    /// A literal.
    fn lit(&mut self, l: &str) -> bool {
        match self.rest.strip_prefix(l) {
            Some(r) => {
                self.rest = r;
                true
            }
            None => false,
        }
    }

    /// One of `cs`.
    fn one_of(&mut self, cs: &[char]) -> bool {
        match self.rest.strip_prefix(cs) {
            Some(r) => {
                self.rest = r;
                true
            }
            None => false,
        }
    }

    /// `\d{1,4}` (Unicode digits, as the regex read them) not followed by a fifth digit:
    /// in every shape below a digit run is followed by something else, so a longer run
    /// never matches.
    fn number(&mut self) -> bool {
        let n = self
            .rest
            .chars()
            .take_while(|&c| crate::script::is_decimal_digit(c))
            .count();
        if !(1..=4).contains(&n) {
            return false;
        }
        let len: usize = self.rest.chars().take(n).map(char::len_utf8).sum();
        self.rest = &self.rest[len..];
        true
    }

    fn done(&self) -> bool {
        self.rest.is_empty()
    }
}

/// A page number alone on its line, as the regex
/// `^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$`
/// read it: `- 4 -`, `第 4 页`, `第4页, 共5页`, `page 4 of 5`.
fn is_page_number(line: &str) -> bool {
    let core = line.trim();
    let dashes = ['-', '—', '–'];
    let mut c = Cursor { rest: core };
    if c.one_of(&dashes) {
        c.spaces();
        if !c.number() {
            return false;
        }
        c.spaces();
        return c.one_of(&dashes) && c.done();
    }
    if c.lit("第") {
        c.spaces();
        if !(c.number() && {
            c.spaces();
            c.lit("页")
        }) {
            return false;
        }
        if c.done() {
            return true;
        }
        c.spaces();
        c.one_of(&[',', '/']);
        c.spaces();
        if !c.lit("共") {
            return false;
        }
        c.spaces();
        if !c.number() {
            return false;
        }
        c.spaces();
        return c.lit("页") && c.done();
    }
    if c.lit("page") {
        c.spaces();
        if !c.number() {
            return false;
        }
        if c.done() {
            return true;
        }
        c.spaces();
        if !c.lit("of") {
            return false;
        }
        c.spaces();
        return c.number() && c.done();
    }
    false
}

/// `4/5` alone on a line: page 4 of 5, written tight, the page not after the last
/// (`^\s*(\d{1,4})/(\d{1,4})\s*$`; a non-ASCII digit never read as a number there, so
/// ASCII digits decide the same).
fn is_page_of(line: &str) -> bool {
    let Some((a, b)) = line.trim().split_once('/') else {
        return false;
    };
    let n = |x: &str| {
        ((1..=4).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse::<u32>().ok())
            .flatten()
    };
    matches!((n(a), n(b)), (Some(p), Some(of)) if (1..=of).contains(&p))
}

static MD_SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$").expect("static regex")
});

static MARKUP_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--.*?-->|<!\[(?:if|endif)[^\]]*\]>|-->").expect("static regex")
});

/// Whether a (folded) line is page furniture to drop: a page number alone on its line
/// (`- 4 -`, `第4页`, `第 4 页 共 5 页`, `4/5`) or a markdown table separator row.
pub fn is_furniture(line: &str) -> bool {
    // the separator regex is built only for a line that could be one (`---`)
    is_page_number(line)
        || is_page_of(line)
        || memchr::memchr(b'-', line.as_bytes()).is_some()
            && line.contains("---")
            && MD_SEPARATOR.is_match(line)
}

/// Removes HTML comments and Word conditional comments leaked into text
/// (`<!--[if !supportLists]-->（三）<!--[endif]-->` → `（三）`).
pub fn strip_markup_comments(line: &str) -> std::borrow::Cow<'_, str> {
    // most lines hold neither `-` nor `<`: one byte scan rules both searches out
    if memchr::memchr2(b'-', b'<', line.as_bytes()).is_some()
        && (line.contains("--") || line.contains("<!["))
    {
        MARKUP_COMMENT.replace_all(line, "")
    } else {
        std::borrow::Cow::Borrowed(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_furniture_but_lone_values_are_not() {
        for s in ["- 4-", "-4-", " — 12 — ", "第4页", "第 4 页 共 5 页", "3/5"] {
            assert!(is_furniture(s), "{s}");
        }
        for s in [
            "0",
            "12",
            "- 4 5",
            "第二十条第(一)项",
            "行政许可 0",
            "0 / 0",
            "12 / 30",
            "5/3",
            "0/0",
        ] {
            assert!(!is_furniture(s), "{s}");
        }
        assert!(is_furniture("|---|---|---|"));
        assert!(is_furniture("| --- | :---: |"));
    }

    /// The regexes the page-number matchers replace, as they were.
    fn old_regexes() -> (Regex, Regex) {
        (
            Regex::new(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$").unwrap(),
            Regex::new(r"^\s*(\d{1,4})/(\d{1,4})\s*$").unwrap(),
        )
    }

    fn old_page_of(re: &Regex, line: &str) -> bool {
        re.captures(line).is_some_and(|c| {
            let n = |i| {
                c.get(i)
                    .and_then(|m| m.as_str().parse::<u32>().ok())
                    .unwrap_or(0)
            };
            (1..=n(2)).contains(&n(1))
        })
    }

    #[test]
    fn page_number_matchers_agree_with_the_regexes() {
        let (num, of) = old_regexes();
        for s in [
            "- 4 -",
            "—12—",
            "–1234–",
            "-12345-",
            "- ٤ -",
            "第４页",
            "第 4 页 ,共 5 页",
            "第4页/共5页",
            "第4页共5页",
            "第4页 共 页",
            "第4页，共5页",
            "page 3",
            "page3of4",
            "Page 3",
            "page 3 of",
            " page 12 of 30 ",
            "4/5",
            "5/4",
            "0/3",
            "12345/9",
            "٣/٤",
            "4 /5",
            "\u{3000}- 4 -\u{3000}",
            "",
        ] {
            assert_eq!(is_page_number(s), num.is_match(s), "{s:?}");
            assert_eq!(is_page_of(s), old_page_of(&of, s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn page_number_matchers_agree_on_generated_lines(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "-", "—", "–", " ", "\u{3000}", "第", "页", "共", ",", "/", "，", "page", "of",
                "1", "12", "٣", "４", "0", "a", "p",
            ]), 0..12)
        ) {
            let s = parts.concat();
            let (num, of) = old_regexes();
            proptest::prop_assert_eq!(is_page_number(&s), num.is_match(&s), "{:?}", s);
            proptest::prop_assert_eq!(is_page_of(&s), old_page_of(&of, &s), "{:?}", s);
        }
    }

    #[test]
    fn word_comments_are_removed() {
        assert_eq!(
            strip_markup_comments("<!--[if !supportLists]-->(三)<!--[endif]-->主要"),
            "(三)主要"
        );
    }
}
