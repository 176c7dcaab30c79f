//! When a report was published, where its input says so: a PDF's `/CreationDate` (a file
//! is published no earlier than it was made), a portal page's `发布时间`/`发布日期` or its
//! publication `<meta>`. Reports are due by 31 January of the following year.

use regex::bytes::Regex;
use std::sync::OnceLock;

use crate::report::InputFormat;

/// The publication date as `YYYY-MM-DD` and what said so, when the input tells.
pub fn publication_date(bytes: &[u8], format: InputFormat) -> Option<(String, &'static str)> {
    static PDF: OnceLock<Regex> = OnceLock::new();
    static HTML: OnceLock<Regex> = OnceLock::new();
    static META: OnceLock<Regex> = OnceLock::new();
    let (re, what) = match format {
        InputFormat::Pdf => {
            if let Some(found) = creation_date_ascii(bytes) {
                return found.map(|d| (d, "PDF CreationDate"));
            }
            (
                PDF.get_or_init(|| {
                    Regex::new(r"/CreationDate\s*\(D:(\d{4})(\d{2})(\d{2})").expect("valid regex")
                }),
                "PDF CreationDate",
            )
        }
        InputFormat::Html => {
            let meta = META.get_or_init(|| {
                Regex::new(r#"(?i)<meta\s+name="(?:pubdate|publishdate|firstpublishedtime)"\s+content="(\d{4})-(\d{1,2})-(\d{1,2})"#)
                    .expect("valid regex")
            });
            if let Some(d) = date(meta, bytes) {
                return Some((d, "page <meta> publication date"));
            }
            // the regex is built only for a page that names either word
            let finder = |w: &str| memchr::memmem::find(bytes, w.as_bytes()).is_some();
            if !finder("发布时间") && !finder("发布日期") {
                return None;
            }
            (
                HTML.get_or_init(|| {
                    Regex::new(r"(?:发布时间|发布日期)\s*[:：]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
                        .expect("valid regex")
                }),
                "page 发布时间",
            )
        }
        _ => return None,
    };
    date(re, bytes).map(|d| (d, what))
}

/// The `/CreationDate` regex's answer read without building it, when ASCII decides:
/// `Some(answer)` at the first `/CreationDate` followed by ASCII white space, `(D:` and
/// eight ASCII digits, or `Some(None)` when no occurrence can match; `None` when an
/// occurrence stops at a non-ASCII byte (Unicode white space or digits, which the regex
/// accepts), so the caller asks the regex.
fn creation_date_ascii(bytes: &[u8]) -> Option<Option<String>> {
    const KEY: &[u8] = b"/CreationDate";
    for at in memchr::memmem::find_iter(bytes, KEY) {
        let mut i = at + KEY.len();
        // regex `\s` in ASCII: tab, line feed, vertical tab, form feed, carriage return, space
        while bytes
            .get(i)
            .is_some_and(|&b| matches!(b, b'\t'..=b'\r' | b' '))
        {
            i += 1;
        }
        let want = b"(D:";
        let mut ok = true;
        for (k, &w) in want.iter().enumerate() {
            match bytes.get(i + k) {
                Some(&b) if b == w => {}
                Some(&b) if !b.is_ascii() => return None,
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        i += want.len();
        let mut digits = [0u8; 8];
        for (k, d) in digits.iter_mut().enumerate() {
            match bytes.get(i + k) {
                Some(&b) if b.is_ascii_digit() => *d = b - b'0',
                Some(&b) if !b.is_ascii() => return None,
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        let n = |r: std::ops::Range<usize>| digits[r].iter().fold(0u32, |a, &d| a * 10 + d as u32);
        return Some(checked(n(0..4), n(4..6), n(6..8)));
    }
    Some(None)
}

/// `YYYY-MM-DD` when the parts make a plausible publication date.
fn checked(y: u32, m: u32, d: u32) -> Option<String> {
    ((1..=12).contains(&m) && (1..=31).contains(&d) && (1990..=2200).contains(&y))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn date(re: &Regex, bytes: &[u8]) -> Option<String> {
    let c = re.captures(bytes)?;
    let num =
        |i: usize| -> Option<u32> { std::str::from_utf8(c.get(i)?.as_bytes()).ok()?.parse().ok() };
    checked(num(1)?, num(2)?, num(3)?)
}

/// Whether a report of `year` published on `published` (`YYYY-MM-DD`) came after
/// 31 January of the following year.
pub fn is_late(year: i32, published: &str) -> bool {
    published > format!("{:04}-01-31", year + 1).as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_pdf_info_and_portal_pages() {
        let pdf = b"%PDF-1.4\n1 0 obj << /CreationDate (D:20250225101115+08'00') >> endobj";
        assert_eq!(
            publication_date(pdf, InputFormat::Pdf),
            Some(("2025-02-25".into(), "PDF CreationDate"))
        );
        let html = "<html><div>发布时间：2025-01-20 09:00</div></html>";
        assert_eq!(
            publication_date(html.as_bytes(), InputFormat::Html).map(|d| d.0),
            Some("2025-01-20".into())
        );
        let meta = r#"<meta name="PubDate" content="2024-3-5 10:00">"#;
        assert_eq!(
            publication_date(meta.as_bytes(), InputFormat::Html).map(|d| d.0),
            Some("2024-03-05".into())
        );
        assert_eq!(publication_date(b"no date", InputFormat::Pdf), None);
        // the first occurrence that matches, as the regex reads it
        let two = b"/CreationDate (D:2x) /CreationDate\n(D:20240131)";
        assert_eq!(
            publication_date(two, InputFormat::Pdf).map(|d| d.0),
            Some("2024-01-31".into())
        );
        // Unicode white space before `(D:` is the regex's to read (U+3000 here)
        let wide = "/CreationDate\u{3000}(D:20230405)".as_bytes();
        assert_eq!(creation_date_ascii(wide), None);
        assert_eq!(
            publication_date(wide, InputFormat::Pdf).map(|d| d.0),
            Some("2023-04-05".into())
        );
        assert_eq!(
            publication_date(b"/CreationDate(D:20231305)", InputFormat::Pdf),
            None
        );
        assert!(is_late(2024, "2025-02-01"));
        assert!(!is_late(2024, "2025-01-31"));
    }
}
