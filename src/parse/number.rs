//! nom recognisers for numbers as printed in table cells.
//!
//! Accepts (on width-folded text) `0`, `1,234`, `24252.311082`, `-3` (本年增/减), `+2`, a unit
//! glued after (`251000元`, `0.5万元`, `3件`) and leaves whatever follows to the caller.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1, take_while_m_n};
use nom::character::complete::{char as ch, one_of, space0};
use nom::combinator::{opt, recognize};
use nom::multi::many0_count;
use nom::sequence::{pair, preceded};
use nom::{IResult, Parser};
use rust_decimal::Decimal;
use std::str::FromStr;

use crate::report::Number;

/// Units seen inside amount and count cells.
#[cfg_attr(not(feature = "unstable"), allow(dead_code))] // used by tests of internals
pub const UNITS: &[&str] = &[
    "万元", "元", "件", "个", "条", "项", "次", "人", "家", "份", "宗",
];

/// A number recognised at the start of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Printed<'a> {
    /// The value.
    pub value: Number,
    /// The number's own text (sign, digits, separators, decimals), without the unit.
    pub digits: &'a str,
    /// A unit glued after it, if any.
    pub unit: Option<&'a str>,
    /// Bytes consumed (number and unit).
    pub len: usize,
}

fn digits(i: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_ascii_digit()).parse(i)
}

fn grouped(i: &str) -> IResult<&str, &str> {
    // 1,234,567 — a comma only when exactly three digits follow it
    recognize(pair(
        take_while_m_n(1, 3, |c: char| c.is_ascii_digit()),
        many0_count(pair(
            ch(','),
            take_while_m_n(3, 3, |c: char| c.is_ascii_digit()),
        )),
    ))
    .parse(i)
}

fn number_text(i: &str) -> IResult<&str, &str> {
    recognize((
        opt(one_of("+-")),
        alt((grouped_exact, digits)),
        opt(pair(ch('.'), digits)),
    ))
    .parse(i)
}

/// A grouped number only when at least one comma group is present and no digit follows.
fn grouped_exact(i: &str) -> IResult<&str, &str> {
    let (rest, g) = grouped(i)?;
    if g.contains(',') && !rest.starts_with(|c: char| c.is_ascii_digit()) {
        Ok((rest, g))
    } else {
        Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Digit,
        )))
    }
}

/// A unit glued after a number (spaces allowed between). Tried after every number read,
/// so it is decided by the first char after the spaces before nom tries the alternatives.
fn unit(i: &str) -> IResult<&str, &str> {
    let first = i.trim_start_matches([' ', '\t']).chars().next();
    if !first.is_some_and(|c| UNIT_FIRSTS.contains(&c)) {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Tag,
        )));
    }
    preceded(
        space0,
        alt((
            tag("万元"),
            tag("元"),
            tag("件"),
            tag("个"),
            tag("条"),
            tag("项"),
            tag("次"),
            tag("人"),
            tag("家"),
            tag("份"),
            tag("宗"),
        )),
    )
    .parse(i)
}

/// The first chars of [`UNITS`] (checked by a test).
const UNIT_FIRSTS: [char; 11] = [
    '万', '元', '件', '个', '条', '项', '次', '人', '家', '份', '宗',
];

/// Turns a number's text into a value: whole numbers to `Int`, others to `Decimal`.
/// `None` when it overflows.
pub fn value_of(text: &str) -> Option<Number> {
    let kept = |c: &char| *c != ',' && *c != '+';
    if !text.contains('.') {
        // whole numbers (nearly every cell) summed from the digits, no string built
        return int_of(text).map(Number::Int);
    }
    let clean: String = text.chars().filter(kept).collect();
    Decimal::from_str(&clean).ok().map(Number::Decimal)
}

/// A whole number's value with `,` and `+` ignored, as `i64::from_str` reads the text
/// without them: `None` on overflow, a stray sign or no digit.
fn int_of(text: &str) -> Option<i64> {
    let mut neg = false;
    let mut any = false;
    let mut v: i64 = 0;
    for b in text.bytes().filter(|b| *b != b',' && *b != b'+') {
        match b {
            // one sign, before the digits
            b'-' if !neg && !any => neg = true,
            b'0'..=b'9' => {
                any = true;
                let d = i64::from(b - b'0');
                // accumulated negative: i64::MIN has no positive twin
                v = v.checked_mul(10)?.checked_sub(d)?;
            }
            _ => return None,
        }
    }
    if !any {
        return None;
    }
    if neg {
        Some(v)
    } else {
        v.checked_neg()
    }
}

/// Recognises a number (and an optional glued unit) at the start of `s`.
pub fn number(s: &str) -> Option<Printed<'_>> {
    let (rest, text) = number_text(s).ok()?;
    let value = value_of(text)?;
    let (rest2, u) = match unit(rest) {
        Ok((r, u)) => (r, Some(u)),
        Err(_) => (rest, None),
    };
    Some(Printed {
        value,
        digits: text,
        unit: u,
        len: s.len() - rest2.len(),
    })
}

/// Parses a whole cell's text: a number with optional unit and optional trailing note in
/// brackets (`22（其中修订16件）`). Returns the number and the note, if any.
pub fn cell(s: &str) -> Option<(Printed<'_>, Option<&str>)> {
    let t = s.trim();
    let p = number(t)?;
    let rest = t[p.len..].trim();
    if rest.is_empty() {
        return Some((p, None));
    }
    if rest.starts_with(['(', '（', '[', '【']) {
        return Some((p, Some(rest)));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_printed_forms() {
        let n = |s: &'static str| number(s).map(|p| (p.value.to_string(), p.unit, p.len));
        assert_eq!(n("0"), Some(("0".into(), None, 1)));
        assert_eq!(n("1,234 件"), Some(("1234".into(), Some("件"), 9)));
        assert_eq!(n("24252.311082"), Some(("24252.311082".into(), None, 12)));
        assert_eq!(n("-3"), Some(("-3".into(), None, 2)));
        assert_eq!(n("251000元"), Some(("251000".into(), Some("元"), 9)));
        assert_eq!(n("0.5万元"), Some(("0.5".into(), Some("万元"), 9)));
        assert_eq!(n("12,34"), Some(("12".into(), None, 2)));
        assert_eq!(n("abc"), None);
        assert_eq!(n("99999999999999999999"), None);
    }

    #[test]
    fn unit_firsts_are_the_units_first_chars() {
        let mut firsts: Vec<char> = UNITS.iter().filter_map(|u| u.chars().next()).collect();
        firsts.dedup();
        assert_eq!(firsts, UNIT_FIRSTS);
    }

    /// What `value_of` read before it summed digits itself: the cleaned text through
    /// the standard parsers.
    fn value_by_str(text: &str) -> Option<Number> {
        let clean: String = text.chars().filter(|c| *c != ',' && *c != '+').collect();
        if clean.contains('.') {
            Decimal::from_str(&clean).ok().map(Number::Decimal)
        } else {
            clean.parse::<i64>().ok().map(Number::Int)
        }
    }

    #[test]
    fn whole_numbers_at_the_edges() {
        for t in [
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "-",
            "+",
            "",
            "--1",
            "1-2",
            "+-3",
            "-+3",
            "1,2,3",
            "00",
        ] {
            assert_eq!(value_of(t), value_by_str(t), "{t:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn value_of_reads_as_the_standard_parsers(t in "[-+,.0-9]{0,24}|[0-9]{15,21}") {
            proptest::prop_assert_eq!(value_of(&t), value_by_str(&t));
        }
    }

    #[test]
    fn cell_with_note() {
        let (p, note) = cell("22（其中修订16件）").unwrap();
        assert_eq!(p.value, Number::Int(22));
        assert_eq!(note, Some("（其中修订16件）"));
        assert!(cell("22 abc").is_none());
    }
}
