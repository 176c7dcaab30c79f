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
        InputFormat::Pdf => (
            PDF.get_or_init(|| {
                Regex::new(r"/CreationDate\s*\(D:(\d{4})(\d{2})(\d{2})").expect("valid regex")
            }),
            "PDF CreationDate",
        ),
        InputFormat::Html => {
            let meta = META.get_or_init(|| {
                Regex::new(r#"(?i)<meta\s+name="(?:pubdate|publishdate|firstpublishedtime)"\s+content="(\d{4})-(\d{1,2})-(\d{1,2})"#)
                    .expect("valid regex")
            });
            if let Some(d) = date(meta, bytes) {
                return Some((d, "page <meta> publication date"));
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

fn date(re: &Regex, bytes: &[u8]) -> Option<String> {
    let c = re.captures(bytes)?;
    let num =
        |i: usize| -> Option<u32> { std::str::from_utf8(c.get(i)?.as_bytes()).ok()?.parse().ok() };
    let (y, m, d) = (num(1)?, num(2)?, num(3)?);
    ((1..=12).contains(&m) && (1..=31).contains(&d) && (1990..=2200).contains(&y))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
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
        assert!(is_late(2024, "2025-02-01"));
        assert!(!is_late(2024, "2025-01-31"));
    }
}
