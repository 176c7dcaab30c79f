//! When a report was published, where its input says so: a PDF's `/CreationDate` (a file
//! is published no earlier than it was made), a portal page's `发布时间`/`发布日期` or its
//! publication `<meta>`. Reports are due by 31 January of the following year.
//!
//! Each date is defined by a regex (the `PDF`, `META` and `TEXT` patterns below), but read
//! by a hand scanner that gives the regex's answer: building a Unicode regex costs more
//! than parsing a small report. Where the scanner cannot tell what the regex would say
//! (a non-ASCII digit, or a letter that folds to ASCII under Unicode case rules), it asks
//! the regex, so the answer never depends on which one read it.

use regex::bytes::Regex;
use std::sync::OnceLock;

use crate::report::InputFormat;

/// `/CreationDate (D:YYYYMMDD` in a PDF's Info dictionary.
const PDF: &str = r"/CreationDate\s*\(D:(\d{4})(\d{2})(\d{2})";
/// A portal page's publication `<meta>`.
const META: &str = r#"(?i)<meta\s+name="(?:pubdate|publishdate|firstpublishedtime)"\s+content="(\d{4})-(\d{1,2})-(\d{1,2})"#;
/// A portal page's `发布时间：2025-01-20` (or `2025年1月20日`).
const TEXT: &str =
    r"(?:发布时间|发布日期)\s*[:：]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})";

/// The publication date as `YYYY-MM-DD` and what said so, when the input tells.
pub fn publication_date(bytes: &[u8], format: InputFormat) -> Option<(String, &'static str)> {
    static PDF_RE: OnceLock<Regex> = OnceLock::new();
    static META_RE: OnceLock<Regex> = OnceLock::new();
    static TEXT_RE: OnceLock<Regex> = OnceLock::new();
    match format {
        InputFormat::Pdf => {
            let at = memchr::memmem::find_iter(bytes, b"/CreationDate");
            first_date(bytes, at, pdf_date, (&PDF_RE, PDF)).map(|d| (d, "PDF CreationDate"))
        }
        InputFormat::Html => {
            let at = memchr::memchr_iter(b'<', bytes);
            if let Some(d) = first_date(bytes, at, meta_date, (&META_RE, META)) {
                return Some((d, "page <meta> publication date"));
            }
            let at = memchr::memmem::find_iter(bytes, "发布".as_bytes());
            first_date(bytes, at, text_date, (&TEXT_RE, TEXT)).map(|d| (d, "page 发布时间"))
        }
        _ => None,
    }
}

/// Year, month and day as a pattern reads them at one position.
type Ymd = (u32, u32, u32);

/// The date the pattern's regex finds first: the scanner tried at each candidate start
/// (every start of a regex match is among them, in order), the regex itself once the
/// scanner is unsure. As with the regex, the first match decides, plausible or not.
fn first_date(
    bytes: &[u8],
    starts: impl Iterator<Item = usize>,
    scan: fn(&mut Cursor) -> Step<Ymd>,
    regex: (&OnceLock<Regex>, &str),
) -> Option<String> {
    for at in starts {
        match scan(&mut Cursor { bytes, at }) {
            Ok((y, m, d)) => return checked(y, m, d),
            Err(Miss::No) => {}
            Err(Miss::Unsure) => {
                let re = regex
                    .0
                    .get_or_init(|| Regex::new(regex.1).expect("valid regex"));
                return date(re, bytes);
            }
        }
    }
    None
}

fn pdf_date(c: &mut Cursor) -> Step<Ymd> {
    c.literal("/CreationDate")?;
    c.spaces(0)?;
    c.literal("(D:")?;
    Ok((c.digits(4, 4)?, c.digits(2, 2)?, c.digits(2, 2)?))
}

fn meta_date(c: &mut Cursor) -> Step<Ymd> {
    c.folded("<meta")?;
    c.spaces(1)?;
    c.folded("name=\"")?;
    c.one_of(
        &["pubdate\"", "publishdate\"", "firstpublishedtime\""],
        true,
    )?;
    c.spaces(1)?;
    c.folded("content=\"")?;
    let y = c.digits(4, 4)?;
    c.literal("-")?;
    let m = c.digits(1, 2)?;
    c.literal("-")?;
    Ok((y, m, c.digits(1, 2)?))
}

fn text_date(c: &mut Cursor) -> Step<Ymd> {
    c.one_of(&["发布时间", "发布日期"], false)?;
    c.spaces(0)?;
    let _ = c.one_of(&[":", "："], false);
    c.spaces(0)?;
    let y = c.digits(4, 4)?;
    c.spaces(0)?;
    c.one_of(&["-", "年", "/", "."], false)?;
    c.spaces(0)?;
    let m = c.digits(1, 2)?;
    c.spaces(0)?;
    c.one_of(&["-", "月", "/", "."], false)?;
    c.spaces(0)?;
    Ok((y, m, c.digits(1, 2)?))
}

/// Why a pattern did not match at a position.
#[derive(Debug)]
enum Miss {
    /// The regex does not match here either.
    No,
    /// The regex might: it reads Unicode digits and case folds the scanner does not.
    Unsure,
}

type Step<T> = Result<T, Miss>;

/// A read position in the input; each step consumes what it matched.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    /// The character at the position and its length in bytes (none for invalid UTF-8,
    /// which no class of the patterns matches).
    fn char(&self) -> Option<(char, usize)> {
        let rest = self.bytes.get(self.at..)?;
        let head = &rest[..rest.len().min(4)];
        let valid = match std::str::from_utf8(head) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        };
        valid.chars().next().map(|c| (c, c.len_utf8()))
    }

    fn literal(&mut self, s: &str) -> Step<()> {
        if self.bytes[self.at..].starts_with(s.as_bytes()) {
            self.at += s.len();
            Ok(())
        } else {
            Err(Miss::No)
        }
    }

    /// An ASCII word under `(?i)`: besides ASCII case, Unicode folds `s` to LONG S (and
    /// `k` to KELVIN SIGN, but no pattern has a `k`), which only the regex reads.
    fn folded(&mut self, word: &str) -> Step<()> {
        for w in word.bytes() {
            match self.bytes.get(self.at) {
                Some(b) if b.eq_ignore_ascii_case(&w) => self.at += 1,
                _ => {
                    let long_s = w == b's' && self.char().is_some_and(|(c, _)| c == '\u{17F}');
                    return Err(if long_s { Miss::Unsure } else { Miss::No });
                }
            }
        }
        Ok(())
    }

    /// The first of `words` that follows (case folded when `folded`).
    fn one_of(&mut self, words: &[&str], folded: bool) -> Step<()> {
        let mut unsure = false;
        for w in words {
            let at = self.at;
            let read = if folded {
                self.folded(w)
            } else {
                self.literal(w)
            };
            match read {
                Ok(()) => return Ok(()),
                Err(miss) => {
                    unsure |= matches!(miss, Miss::Unsure);
                    self.at = at;
                }
            }
        }
        Err(if unsure { Miss::Unsure } else { Miss::No })
    }

    /// Regex `\s*` (`min` 0) or `\s+` (`min` 1): Unicode White_Space, which is what
    /// `char::is_whitespace` tests.
    fn spaces(&mut self, min: usize) -> Step<()> {
        let mut n = 0;
        while let Some((_, len)) = self.char().filter(|(c, _)| c.is_whitespace()) {
            self.at += len;
            n += 1;
        }
        if n >= min {
            Ok(())
        } else {
            Err(Miss::No)
        }
    }

    /// Regex `\d{min,max}`, greedy, as a number. The patterns never need a shorter run
    /// than the greedy one: what follows a run is never a digit.
    fn digits(&mut self, min: usize, max: usize) -> Step<u32> {
        let mut value = 0;
        let mut n = 0;
        while n < max {
            match self.bytes.get(self.at) {
                Some(b) if b.is_ascii_digit() => {
                    value = value * 10 + u32::from(b - b'0');
                    self.at += 1;
                    n += 1;
                }
                // a digit of another script: the regex reads it, our caller cannot
                Some(b) if !b.is_ascii() && self.char().is_some_and(|(c, _)| c.is_numeric()) => {
                    return Err(Miss::Unsure);
                }
                _ => break,
            }
        }
        if n >= min {
            Ok(value)
        } else {
            Err(Miss::No)
        }
    }
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
        assert_eq!(
            publication_date(wide, InputFormat::Pdf).map(|d| d.0),
            Some("2023-04-05".into())
        );
        assert_eq!(
            publication_date(b"/CreationDate(D:20231305)", InputFormat::Pdf),
            None
        );
        // digits of another script are the regex's to read, and it finds them unparsable
        let full = "发布时间：２０２５-01-20".as_bytes();
        assert_eq!(publication_date(full, InputFormat::Html), None);
        let long_s = r#"<meta name="publiſhdate" content="2024-03-05">"#;
        assert_eq!(
            publication_date(long_s.as_bytes(), InputFormat::Html).map(|d| d.0),
            Some("2024-03-05".into())
        );
        assert!(is_late(2024, "2025-02-01"));
        assert!(!is_late(2024, "2025-01-31"));
    }

    /// The regex's answer, which the scanners must give.
    fn by_regex(bytes: &[u8], format: InputFormat) -> Option<String> {
        let first = |p: &str| date(&Regex::new(p).unwrap(), bytes);
        match format {
            InputFormat::Pdf => first(PDF),
            _ => first(META).or_else(|| first(TEXT)),
        }
    }

    /// Pieces of the three patterns and what breaks them: ASCII and Unicode white space,
    /// other scripts' digits, letters that fold to ASCII, stray bytes.
    const PIECES: &[&str] = &[
        "/CreationDate",
        "(D:",
        "<meta",
        "<META",
        "<Meta",
        "name=\"",
        "NAME=\"",
        "pubdate",
        "PubDate",
        "publishdate",
        "publiſhdate",
        "firstpublishedtime",
        "\"",
        "content=\"",
        "发布时间",
        "发布日期",
        "发布",
        "：",
        ":",
        "-",
        "年",
        "月",
        "日",
        "/",
        ".",
        " ",
        "\t",
        "\u{3000}",
        "\u{a0}",
        "\u{85}",
        "0",
        "1",
        "2",
        "9",
        "2024",
        "12",
        "31",
        "13",
        "２",
        "٣",
        "②",
        "x",
        "K",
        "\u{212A}",
        "\u{ff}",
        "<",
    ];

    /// One position of a pattern: what fits there, and what breaks it.
    type Slot = (&'static [&'static str], &'static [&'static str]);
    const WS0: Slot = (&["", " ", "\n\t", "\u{3000}", "\u{a0}"], &["x", "\u{85}x"]);
    const WS1: Slot = (&[" ", "\n ", "\u{3000}", "\u{85}"], &["", "x"]);
    const YEAR: Slot = (
        &["2024", "2025"],
        &["202", "20245", "２０２４", "1989", "٣024"],
    );
    const MONTH: Slot = (&["1", "05", "12"], &["", "13", "٣", "②", "123"]);
    const DAY: Slot = (&["5", "20", "31"], &["", "32", "٣", "0"]);
    /// The three patterns, position by position.
    const PATTERNS: &[&[Slot]] = &[
        &[
            (&["/CreationDate"], &["/CreationDat", "/creationdate"]),
            WS0,
            (&["(D:"], &["(D", "( D:"]),
            YEAR,
            (&["01", "12"], &["1", "13", "٣1"]),
            (&["05", "31"], &["5", "32", "②"]),
        ],
        &[
            (&["<meta", "<META", "<Meta"], &["<meat", "<me ta"]),
            WS1,
            (&["name=\"", "NAME=\""], &["name='", "name = \""]),
            (
                &[
                    "pubdate\"",
                    "PubDate\"",
                    "publishdate\"",
                    "firstpublishedtime\"",
                    "publiſhdate\"",
                ],
                &["pubdate", "publish\"", "\u{212A}\""],
            ),
            WS1,
            (&["content=\"", "CONTENT=\""], &["content=", "contents=\""]),
            YEAR,
            (&["-"], &["/", "年"]),
            MONTH,
            (&["-"], &["", "月"]),
            DAY,
        ],
        &[
            (&["发布时间", "发布日期"], &["发布", "发布时"]),
            WS0,
            (&["", "：", ":"], &["::", "；"]),
            WS0,
            YEAR,
            WS0,
            (&["-", "年", "/", "."], &["", "x", "--"]),
            WS0,
            MONTH,
            WS0,
            (&["-", "月", "/", "."], &["", "日"]),
            WS0,
            DAY,
        ],
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn scanners_answer_as_the_regexes(
            noise in proptest::collection::vec(proptest::sample::select(PIECES), 0..24),
            candidates in proptest::collection::vec(
                (0..PATTERNS.len(), proptest::collection::vec(0usize..64, 16)), 0..3),
            bad in proptest::option::of(0usize..64),
        ) {
            // a candidate fills each position with a fitting choice three times in four
            let mut text = String::new();
            for (k, (pattern, picks)) in candidates.iter().enumerate() {
                text.push_str(noise.get(k).copied().unwrap_or(""));
                for ((fits, breaks), &pick) in PATTERNS[*pattern].iter().zip(picks) {
                    let choices = if pick % 4 < 3 { fits } else { breaks };
                    text.push_str(choices[(pick / 4) % choices.len()]);
                }
            }
            text.push_str(&noise.concat());
            let mut bytes = text.into_bytes();
            if let Some(i) = bad.filter(|&i| i < bytes.len()) {
                bytes[i] = 0xff; // invalid UTF-8 somewhere
            }
            for format in [InputFormat::Pdf, InputFormat::Html] {
                proptest::prop_assert_eq!(
                    publication_date(&bytes, format).map(|d| d.0),
                    by_regex(&bytes, format),
                    "{:?} {:?}", format, String::from_utf8_lossy(&bytes)
                );
            }
        }
    }
}
