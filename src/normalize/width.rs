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
pub fn fold_into(s: &str, out: &mut String) -> bool {
    // ASCII but the tab folds to itself: copied whole (most lines of a crawler's text)
    if s.bytes().all(|b| b.is_ascii() && b != b'\t') {
        out.push_str(s);
        return false;
    }
    out.reserve(s.len());
    let mut changed = false;
    for c in s.chars() {
        let f = fold_char(c);
        changed |= f != c;
        out.push(f);
    }
    changed
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
    fn fold_into_says_whether_anything_changed() {
        for (s, changed) in [("abc 12", false), ("年报", false), ("a\tb", true), ("１", true), ("⾏", true), ("", false)] {
            let mut out = String::from(">");
            assert_eq!(fold_into(s, &mut out), changed, "{s:?}");
            assert_eq!(out, format!(">{}", s.chars().map(fold_char).collect::<String>()));
        }
    }
}
