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
    s.chars().map(fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_digits_and_brackets() {
        assert_eq!(fold("（一）１２３，４"), "(一)123,4");
        assert_eq!(fold("a\u{3000}b\u{a0}c"), "a b c");
    }
}
