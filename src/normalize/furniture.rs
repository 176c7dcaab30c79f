//! Page furniture: page numbers, running headers of markup, markdown table separators.

use regex::Regex;
use std::sync::LazyLock;

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$",
    )
    .expect("static regex")
});

/// `4/5` alone on a line: page 4 of 5, written tight, the page not after the last.
static PAGE_OF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,4})/(\d{1,4})\s*$").expect("static regex"));

fn is_page_of(line: &str) -> bool {
    PAGE_OF.captures(line).is_some_and(|c| {
        let n = |i| {
            c.get(i)
                .and_then(|m| m.as_str().parse::<u32>().ok())
                .unwrap_or(0)
        };
        (1..=n(2)).contains(&n(1))
    })
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
    PAGE_NUMBER.is_match(line) || is_page_of(line) || MD_SEPARATOR.is_match(line)
}

/// Removes HTML comments and Word conditional comments leaked into text
/// (`<!--[if !supportLists]-->（三）<!--[endif]-->` → `（三）`).
pub fn strip_markup_comments(line: &str) -> std::borrow::Cow<'_, str> {
    if line.contains("--") || line.contains("<![") {
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

    #[test]
    fn word_comments_are_removed() {
        assert_eq!(
            strip_markup_comments("<!--[if !supportLists]-->(三)<!--[endif]-->主要"),
            "(三)主要"
        );
    }
}
