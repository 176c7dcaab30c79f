//! Indirect stream lengths made direct before lopdf parses the file ([`harden_lengths`];
//! why, in [`super::load`]'s module comment).
//!
//! The file is read with a few byte scanners, each the reading of a regex that the tests
//! keep as its definition (`LENGTH`, `KEYWORDS`, `INT_OBJ`, `OBJ` there): the scanners
//! give the same matches without building a regex in every process that loads a PDF.

use std::borrow::Cow;
use std::collections::HashMap;

use memchr::memmem;

/// A stream whose indirect length could not be written as a number in place: lopdf reads
/// it empty and its data is set after loading.
#[derive(Debug, Clone, PartialEq)]
pub struct LengthFix {
    /// The stream's object id.
    pub id: (u32, u16),
    /// Where its data starts in the file.
    pub start: usize,
    /// Its length measured to `endstream`.
    pub len: usize,
}

/// Rewrites each indirect `/Length n g R` of a stream dictionary to a direct length of the
/// same width. Returns the bytes (borrowed when nothing changed) and the streams whose
/// length did not fit.
pub fn harden_lengths(bytes: &[u8]) -> (Cow<'_, [u8]>, Vec<LengthFix>) {
    let refs = length_refs(bytes);
    if refs.is_empty() {
        return (Cow::Borrowed(bytes), Vec::new());
    }
    let Keywords {
        streams,
        endobjs,
        endstreams,
    } = keywords(bytes);
    let ints = int_objects(bytes);
    let next = |v: &[usize], at: usize| v.get(v.partition_point(|&p| p < at)).copied();
    let mut out = bytes.to_vec();
    let mut fixes = Vec::new();
    for LengthRef {
        start: rs,
        end: re,
        id: (n, g),
    } in refs
    {
        // In a stream dictionary: a `stream` keyword follows before any `endobj`.
        let Some(kw) = next(&streams, re) else {
            continue;
        };
        if kw - re > 64 * 1024 || next(&endobjs, re).is_some_and(|e| e < kw) {
            continue;
        }
        let ds = data_start(bytes, kw);
        let measured = next(&endstreams, ds).map(|e| {
            let mut e = e;
            if e > ds && bytes.get(e - 1) == Some(&b'\n') {
                e -= 1;
            }
            if e > ds && bytes.get(e - 1) == Some(&b'\r') {
                e -= 1;
            }
            e - ds
        });
        let value = ints
            .get(&(n, g))
            .copied()
            .filter(|v| ds.checked_add(*v).is_some_and(|end| end <= bytes.len()))
            .or(measured)
            .unwrap_or(0);
        let width = re - rs;
        let digits = value.to_string();
        let text = if digits.len() <= width {
            digits
        } else {
            // Not a number lopdf could resolve: `null`, and the data set after loading.
            let id = last_object_id(&bytes[rs.saturating_sub(4096)..rs]);
            if let (Some(id), Some(len)) = (id, measured) {
                fixes.push(LengthFix { id, start: ds, len });
            }
            "null".to_string()
        };
        if let Some(slot) = out.get_mut(rs..re) {
            slot.fill(b' ');
            if let Some(head) = slot.get_mut(..text.len()) {
                head.copy_from_slice(text.as_bytes());
            }
        }
    }
    (Cow::Owned(out), fixes)
}

/// Where the data of a stream starts, its `stream` keyword at `kw`: after the keyword and
/// its end of line (CR LF or LF; a lone CR taken too, as lenient readers do).
pub fn data_start(bytes: &[u8], kw: usize) -> usize {
    let mut ds = kw + b"stream".len();
    if bytes.get(ds) == Some(&b'\r') {
        ds += 1;
    }
    if bytes.get(ds) == Some(&b'\n') {
        ds += 1;
    }
    ds
}

/// PDF white space: NUL, tab, line feed, form feed, carriage return, space.
fn is_space(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

/// The end of the run of white space from `at`.
fn skip_spaces(bytes: &[u8], at: usize) -> usize {
    at + bytes[at.min(bytes.len())..]
        .iter()
        .take_while(|&&b| is_space(b))
        .count()
}

/// The end of the run of white space from `at`, when it has at least one byte.
fn spaces(bytes: &[u8], at: usize) -> Option<usize> {
    let end = skip_spaces(bytes, at);
    (end > at).then_some(end)
}

/// A number of 1 to `max` ASCII digits from `at` and where it ends; none when the digit
/// run there is longer (what follows a number in these patterns is never a digit, so
/// no shorter reading of the run could match).
fn number(bytes: &[u8], at: usize, max: usize) -> Option<(u64, usize)> {
    let run = bytes[at.min(bytes.len())..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if run == 0 || run > max {
        return None;
    }
    let value = bytes[at..at + run]
        .iter()
        .fold(0u64, |v, &d| v * 10 + u64::from(d - b'0'));
    Some((value, at + run))
}

/// The ASCII digits that end at `end`, at most `max` of them (the leftmost start a regex
/// finds inside a longer run), as a number and where they start.
fn number_before(bytes: &[u8], end: usize, max: usize) -> Option<(u64, usize)> {
    let run = bytes[..end]
        .iter()
        .rev()
        .take(max)
        .take_while(|b| b.is_ascii_digit())
        .count();
    (run > 0).then(|| number(bytes, end - run, max).map(|(v, _)| (v, end - run)))?
}

/// The white space that ends at `end`, when at least one byte, and where it starts.
fn spaces_before(bytes: &[u8], end: usize) -> Option<usize> {
    let n = bytes[..end]
        .iter()
        .rev()
        .take_while(|&&b| is_space(b))
        .count();
    (n > 0).then_some(end - n)
}

/// `/Length n g R`: the span of `n g R` and the id it names.
#[derive(Debug, PartialEq)]
struct LengthRef {
    start: usize,
    end: usize,
    id: (u32, u16),
}

/// Every `/Length n g R` (regex `LENGTH`), with `n` and `g` in range.
fn length_refs(bytes: &[u8]) -> Vec<LengthRef> {
    const KEY: &[u8] = b"/Length";
    let read = |at: usize| -> Option<LengthRef> {
        let start = skip_spaces(bytes, at + KEY.len());
        let (n, i) = number(bytes, start, 10)?;
        let (g, i) = number(bytes, spaces(bytes, i)?, 5)?;
        let i = spaces(bytes, i)?;
        (bytes.get(i) == Some(&b'R')).then_some(())?;
        let id = (u32::try_from(n).ok()?, u16::try_from(g).ok()?);
        Some(LengthRef {
            start,
            end: i + 1,
            id,
        })
    };
    memmem::find_iter(bytes, KEY).filter_map(read).collect()
}

/// Where each keyword starts, each list sorted.
#[derive(Debug, Default, PartialEq)]
struct Keywords {
    streams: Vec<usize>,
    endobjs: Vec<usize>,
    endstreams: Vec<usize>,
}

/// The keywords as regex `KEYWORDS` finds them: a `stream` after `end` is an `endstream`
/// (no keyword ends in `e` or `en`, so that `end` is never part of an earlier one).
fn keywords(bytes: &[u8]) -> Keywords {
    let mut k = Keywords::default();
    for at in memmem::find_iter(bytes, b"stream") {
        match at.checked_sub(3) {
            Some(e) if &bytes[e..at] == b"end" => k.endstreams.push(e),
            _ => k.streams.push(at),
        }
    }
    k.endobjs = memmem::find_iter(bytes, b"endobj").collect();
    k
}

/// The `n g` of an object header `n g obj` whose `obj` starts at `obj` (regex `OBJ`
/// ending there).
fn header_before(bytes: &[u8], obj: usize) -> Option<(u64, u64)> {
    let g_end = spaces_before(bytes, obj)?;
    let (g, g_start) = number_before(bytes, g_end, 6)?;
    if g_end - g_start > 5 {
        return None;
    }
    let (n, _) = number_before(bytes, spaces_before(bytes, g_start)?, 10)?;
    Some((n, g))
}

/// Plain integer objects `n g obj 123 endobj` (regex `INT_OBJ`); the last definition wins.
fn int_objects(bytes: &[u8]) -> HashMap<(u32, u16), usize> {
    let mut ints = HashMap::new();
    for obj in memmem::find_iter(bytes, b"obj") {
        let Some((n, g)) = header_before(bytes, obj) else {
            continue;
        };
        let Some((v, i)) = number(bytes, skip_spaces(bytes, obj + 3), 12) else {
            continue;
        };
        let i = skip_spaces(bytes, i);
        if !bytes[i..].starts_with(b"endobj") {
            continue;
        }
        if let (Ok(n), Ok(g), Ok(v)) = (u32::try_from(n), u16::try_from(g), usize::try_from(v)) {
            ints.insert((n, g), v);
        }
    }
    ints
}

/// The id of the last object header `n g obj` in `bytes` (regex `OBJ`), when in range.
fn last_object_id(bytes: &[u8]) -> Option<(u32, u16)> {
    let obj = memmem::rfind_iter(bytes, b"obj").find_map(|at| header_before(bytes, at))?;
    Some((u32::try_from(obj.0).ok()?, u16::try_from(obj.1).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::bytes::Regex;

    /// The regexes the scanners read as.
    const LENGTH: &str =
        r"(?-u)/Length[\x00\t\n\x0c\r ]*(\d{1,10})[\x00\t\n\x0c\r ]+(\d{1,5})[\x00\t\n\x0c\r ]+R";
    const KEYWORDS: &str = r"(?-u)endstream|endobj|stream";
    const INT_OBJ: &str = r"(?-u)(\d{1,10})[\x00\t\n\x0c\r ]+(\d{1,5})[\x00\t\n\x0c\r ]+obj[\x00\t\n\x0c\r ]*(\d{1,12})[\x00\t\n\x0c\r ]*endobj";
    const OBJ: &str = r"(?-u)(\d{1,10})[\x00\t\n\x0c\r ]+(\d{1,5})[\x00\t\n\x0c\r ]+obj";

    fn num<T: std::str::FromStr>(c: &regex::bytes::Captures, i: usize) -> Option<T> {
        std::str::from_utf8(c.get(i)?.as_bytes()).ok()?.parse().ok()
    }

    fn by_regex(bytes: &[u8]) -> (Vec<LengthRef>, Keywords, HashMap<(u32, u16), usize>) {
        let refs = Regex::new(LENGTH)
            .unwrap()
            .captures_iter(bytes)
            .filter_map(|c| {
                Some(LengthRef {
                    start: c.get(1)?.start(),
                    end: c.get(0)?.end(),
                    id: (num(&c, 1)?, num(&c, 2)?),
                })
            })
            .collect();
        let mut k = Keywords::default();
        for m in Regex::new(KEYWORDS).unwrap().find_iter(bytes) {
            match m.as_bytes() {
                b"stream" => k.streams.push(m.start()),
                b"endobj" => k.endobjs.push(m.start()),
                _ => k.endstreams.push(m.start()),
            }
        }
        let mut ints = HashMap::new();
        for c in Regex::new(INT_OBJ).unwrap().captures_iter(bytes) {
            let (n, g, v) = (
                num::<usize>(&c, 1),
                num::<usize>(&c, 2),
                num::<usize>(&c, 3),
            );
            if let (Some(n), Some(g), Some(v)) = (n, g, v) {
                if let (Ok(n), Ok(g)) = (u32::try_from(n), u16::try_from(g)) {
                    ints.insert((n, g), v);
                }
            }
        }
        (refs, k, ints)
    }

    fn last_by_regex(bytes: &[u8]) -> Option<(u32, u16)> {
        let c = Regex::new(OBJ).unwrap().captures_iter(bytes).last()?;
        Some((
            u32::try_from(num::<u64>(&c, 1)?).ok()?,
            u16::try_from(num::<u64>(&c, 2)?).ok()?,
        ))
    }

    /// Numbers, spaces and words: a test input is a run of (number, space, word) triples,
    /// so headers, references and their near misses come often.
    const NUMBERS: &[&str] = &[
        "",
        "0",
        "1",
        "7",
        "12",
        "65535",
        "65536",
        "123456",
        "4294967295",
        "4294967296",
        "12345678901",
        "999999999999",
        "1000000000000",
        "000001",
        "00000000007",
    ];
    const SPACES: &[&str] = &["", " ", "\n", "\r\n", "\0", "\x0c", "  "];
    const WORDS: &[&str] = &[
        "",
        "",
        "",
        "/Length",
        "/Length1",
        "R",
        "obj",
        "endobj",
        "stream",
        "endstream",
        "end",
        "en",
        "e",
        "x",
        "<<",
        ">>",
        "%",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]
        #[test]
        fn scanners_find_what_the_regexes_find(
            parts in proptest::collection::vec((
                proptest::sample::select(NUMBERS),
                proptest::sample::select(SPACES),
                proptest::sample::select(WORDS),
            ), 0..24),
        ) {
            let text: String = parts.iter().map(|(n, s, w)| format!("{n}{s}{w}")).collect();
            let bytes = text.into_bytes();
            let (refs, k, ints) = by_regex(&bytes);
            proptest::prop_assert_eq!(length_refs(&bytes), refs);
            proptest::prop_assert_eq!(keywords(&bytes), k);
            proptest::prop_assert_eq!(int_objects(&bytes), ints);
            proptest::prop_assert_eq!(last_object_id(&bytes), last_by_regex(&bytes));
        }
    }

    #[test]
    fn indirect_lengths_become_direct_at_the_same_offsets() {
        let pdf = b"1 0 obj << /Length 2 0 R >> stream\nabcd\nendstream endobj \
                    2 0 obj 4 endobj 3 0 obj << /Length 9 0 R >> stream\r\nxy\r\nendstream endobj";
        let (out, fixes) = harden_lengths(pdf);
        let out = std::str::from_utf8(&out).unwrap();
        assert_eq!(out.len(), pdf.len());
        // the integer object's value, and the length measured to `endstream` for the
        // reference to no object
        assert!(
            out.starts_with("1 0 obj << /Length 4     >> stream"),
            "{out}"
        );
        assert!(out.contains("3 0 obj << /Length 2     >> stream"), "{out}");
        assert!(fixes.is_empty());
        // a length too wide for the reference's place is written `null` and fixed later
        let wide = format!(
            "5 0 obj << /Length 6 0 R >> stream\n{}\nendstream endobj 6 0 obj 123456 endobj",
            "z".repeat(123_456)
        );
        let (out, fixes) = harden_lengths(wide.as_bytes());
        assert!(out.starts_with(b"5 0 obj << /Length null  >> stream"));
        assert_eq!(
            fixes,
            [LengthFix {
                id: (5, 0),
                start: 35,
                len: 123_456
            }]
        );
        let direct = b"1 0 obj << /Length 4 >> stream\nabcd\nendstream endobj";
        assert!(matches!(harden_lengths(direct).0, Cow::Borrowed(_)));
    }
}
