//! Wrap repair for prose: joins lines that an extractor broke inside a paragraph.

use crate::script::is_cjk_or_cjk_punct as is_cjk;

/// Characters that end a paragraph line when they end it.
fn ends_paragraph(line: &str) -> bool {
    let t = line.trim_end();
    matches!(
        t.chars().last(),
        Some('。' | '：' | ':' | '！' | '？' | '；' | '!' | '?' | ';' | '|' | ')' | '）')
    )
}

/// Joins wrapped lines into paragraphs: a line not ending in sentence punctuation runs on
/// into the next non-blank line; blank lines inside such a paragraph are dropped. Joins
/// take no space between CJK characters and one space between other text. A heading-like
/// next line (starting with `一、`, `(二)`, `1.`) starts a new paragraph.
pub fn repair(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open = false; // the last paragraph line runs on
    let mut pending_blank = false;
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            pending_blank = true;
            continue;
        }
        let joins = open && !starts_item(t);
        if out.is_empty() {
        } else if joins {
            let last = out.chars().last().unwrap_or(' ');
            let first = t.chars().next().unwrap_or(' ');
            if !(is_cjk(last) || is_cjk(first)) {
                out.push(' ');
            }
        } else {
            out.push('\n');
            if pending_blank {
                out.push('\n');
            }
        }
        out.push_str(t);
        open = !ends_paragraph(t);
        pending_blank = false;
    }
    out
}

/// Whether a line starts a list item or heading.
fn starts_item(t: &str) -> bool {
    let mut cs = t.chars();
    let a = cs.next().unwrap_or(' ');
    let b = cs.next().unwrap_or(' ');
    let numerals = "一二三四五六七八九十";
    (numerals.contains(a) && (b == '、' || b == '是'))
        || ((a == '(' || a == '（') && numerals.contains(b))
        || (a.is_ascii_digit() && (b == '.' || b == '、'))
        || a == '|'
        || a == '#'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_mid_word_wraps_and_blank_lines_inside_paragraphs() {
        let t = "区司法局认真贯彻落实\n\n政务公开工作相关文件要求。\n二、主动公开";
        assert_eq!(
            repair(t),
            "区司法局认真贯彻落实政务公开工作相关文件要求。\n二、主动公开"
        );
    }

    #[test]
    fn keeps_items_apart() {
        let t = "(一)主动公开:\n2024年公开 1条\n(二)依申请";
        assert_eq!(repair(t), "(一)主动公开:\n2024年公开 1条\n(二)依申请");
    }
}
