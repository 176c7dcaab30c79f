//! Full-width and space folding.

/// Folds one character: full-width ASCII forms (`１２３（）：`) to ASCII, every kind of
/// space (ideographic, no-break, zero-width) to a plain space, a radical code point printed
/// for an ideograph (`⾏`, `⻅`: Chromium, Skia, macOS producers) to the ideograph.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2000}'..='\u{200B}' | '\u{FEFF}' | '\t' => ' ',
        '\u{2212}' => '-',
        _ => crate::script::fold_radical(c),
    }
}

/// Folds every character of `s` with [`fold_char`]; the result has as many chars as `s`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Appends `s` folded with [`fold_char`] to `out`; whether any char changed.
///
/// Only chars whose UTF-8 starts with one of a few bytes can fold (`may_fold`); the
/// runs between them are copied whole.
pub fn fold_into(s: &str, out: &mut String) -> bool {
    let bytes = s.as_bytes();
    let mut changed = false;
    // start of the run not yet copied
    let mut run = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // a continuation byte is never one of these: `i` is at a char's start
        if !may_fold(b) {
            i += 1;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let f = fold_char(c);
        if f != c {
            out.push_str(&s[run..i]);
            out.push(f);
            changed = true;
            run = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.push_str(&s[run..]);
    changed
}

/// Whether a char whose UTF-8 starts with `lead` may be changed by [`fold_char`]: the
/// tab, U+00A0 (C2), U+2000–U+2FFF (E2: spaces, minus, radicals), U+3000 (E3) and
/// U+FEFF–U+FFFF (EF: full-width forms).
fn may_fold(lead: u8) -> bool {
    matches!(lead, b'\t' | 0xC2 | 0xE2 | 0xE3 | 0xEF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_digits_and_brackets() {
        assert_eq!(fold("（一）１２３，４"), "(一)123,4");
        assert_eq!(fold("a\u{3000}b\u{a0}c"), "a b c");
    }

    #[test]
    fn every_char_that_folds_is_looked_at() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if fold_char(c) != c {
                let mut buf = [0; 4];
                assert!(may_fold(c.encode_utf8(&mut buf).as_bytes()[0]), "{c:?}");
            }
        }
    }

    #[test]
    fn fold_into_says_whether_anything_changed() {
        for (s, changed) in [
            ("abc 12", false),
            ("年报", false),
            ("a\tb", true),
            ("１", true),
            ("⾏", true),
            ("", false),
            ("年１月\u{3000}", true),
            ("。「」", false),
        ] {
            let mut out = String::from(">");
            assert_eq!(fold_into(s, &mut out), changed, "{s:?}");
            assert_eq!(
                out,
                format!(">{}", s.chars().map(fold_char).collect::<String>())
            );
        }
    }
}
