//! Facts about Chinese script shared by every stage: character classes, the radical code
//! points some producers print instead of ideographs, numbering shapes, page-number shapes.

/// CJK ideographs, radicals, CJK punctuation, kana, full-width forms: characters between
/// which white space is a wrap or layout artefact.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF      // radicals supplement, Kangxi radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation
        | 0x3040..=0x30FF    // kana
        | 0x3100..=0x31FF    // bopomofo, strokes
        | 0x3200..=0x4DBF    // enclosed, compatibility, extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // compatibility forms
        | 0xFF00..=0xFFEF    // full-width and half-width forms
        | 0x20000..=0x3FFFF) // extensions B and later
}

/// A CJK ideograph (unified, extension A, compatibility): a character of a word, not a
/// radical, mark or punctuation.
pub(crate) fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Like [`is_cjk`], plus the curly quotes, ellipsis and dash set inside CJK text.
pub(crate) fn is_cjk_or_cjk_punct(c: char) -> bool {
    is_cjk(c) || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—')
}

/// The unified ideographs of the Kangxi radicals U+2F00–U+2FD5 (their NFKC forms), in order.
const KANGXI: &str = "一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日曰月木欠止歹殳毋比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見角言谷豆豕豸貝赤走足身車辛辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠";

/// CJK radicals supplement (U+2E80–U+2EFF) forms that stand for a whole character, with the
/// unified ideograph they look like (Unicode's EquivalentUnifiedIdeograph data). NFKC maps
/// only two of them; Skia and macOS producers print the others for simplified characters.
const SUPPLEMENT: &[(char, char)] = &[
    ('⺄', '乙'),
    ('⺁', '厂'),
    ('⺊', '卜'),
    ('⺒', '巳'),
    ('⺓', '幺'),
    ('⺗', '心'),
    ('⺜', '日'),
    ('⺝', '月'),
    ('⺟', '母'),
    ('⺠', '民'),
    ('⺧', '牛'),
    ('⺩', '王'),
    ('⺬', '示'),
    ('⺶', '羊'),
    ('⺽', '臼'),
    ('⻁', '虎'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻈', '讠'),
    ('⻉', '贝'),
    ('⻋', '车'),
    ('⻐', '钅'),
    ('⻑', '長'),
    ('⻒', '镸'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻗', '雨'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻟', '飠'),
    ('⻠', '饣'),
    ('⻢', '马'),
    ('⻣', '骨'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻧', '卤'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻪', '黾'),
    ('⻫', '斉'),
    ('⻬', '齐'),
    ('⻭', '歯'),
    ('⻮', '齿'),
    ('⻯', '竜'),
    ('⻰', '龙'),
    ('⻱', '龜'),
    ('⻲', '亀'),
    ('⻳', '龟'),
    ('⺰', '纟'),
    ('⺋', '㔾'),
    ('⺙', '攵'),
    ('⺡', '氵'),
    ('⺅', '亻'),
    ('⺘', '扌'),
    ('⺮', '竹'),
    ('⺾', '艹'),
    ('⻊', '𧾷'),
    ('⻌', '辶'),
    ('⻖', '阝'),
];

/// Folds a radical code point to the unified ideograph it was meant as (`⾏` → `行`,
/// `⻅` → `见`); every other character is returned unchanged.
pub(crate) fn fold_radical(c: char) -> char {
    match c as u32 {
        0x2F00..=0x2FD5 => KANGXI.chars().nth(c as usize - 0x2F00).unwrap_or(c),
        0x2E80..=0x2EFF => SUPPLEMENT
            .iter()
            .find(|(r, _)| *r == c)
            .map_or(c, |(_, u)| *u),
        _ => c,
    }
}

/// `s` with every radical code point folded by [`fold_radical`] (borrowed when it holds
/// none, as nearly every text does).
pub(crate) fn fold_radicals(s: &str) -> std::borrow::Cow<'_, str> {
    if !may_hold_radical(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().map(fold_radical).collect())
}

/// Whether `s` may hold a char of U+2E80..=U+2FFF (the radical blocks and a little
/// more): UTF-8 lead byte E2 followed by BA..=BF.
fn may_hold_radical(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(0xE2, b).any(|i| matches!(b.get(i + 1), Some(0xBA..=0xBF)))
}

/// A Chinese numeral as numberings print them (`一` … `十`).
pub(crate) fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// The length in bytes of a row or item numbering at the start of `s`: `一、`, `（一）`,
/// `(一)`, `1.`, `1．`, `1、`, `（1）`; `None` when `s` does not start with one.
pub(crate) fn numbering_len(s: &str) -> Option<usize> {
    const NUMERALS: &str = "一二三四五六七八九十";
    // radicals printed for numerals (`⼀`, `⼆`: Chromium) count as the numerals
    let mut it = s
        .char_indices()
        .map(|(i, c)| (i, fold_radical(c)))
        .peekable();
    let (_, first) = *it.peek()?;
    let open = matches!(first, '（' | '(');
    if open {
        it.next();
    }
    let mut n = 0;
    let mut kind_cn = false;
    while let Some(&(_, c)) = it.peek() {
        if c.is_ascii_digit() && !kind_cn && n < 3 {
            n += 1;
        } else if NUMERALS.contains(c) && (n == 0 || kind_cn) && n < 3 {
            kind_cn = true;
            n += 1;
        } else {
            break;
        }
        it.next();
    }
    if n == 0 {
        return None;
    }
    let (i, c) = it.next()?;
    let ok = if open {
        matches!(c, '）' | ')')
    } else if kind_cn {
        matches!(c, '、' | '.' | '．')
    } else {
        matches!(c, '.' | '．' | '、')
    };
    ok.then(|| i + c.len_utf8())
}

/// A page number alone: `- 4 -`, `-4-`, `第4页`, `第 4 页 共 5 页`, `4/5`, `Page 4`, `4`.
pub(crate) fn is_page_number(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let dashes: &[char] = &['-', '－', '—', '–', '~', '·', '•', '‐', '―'];
    let t = t.trim_matches(dashes);
    if t.is_empty() {
        return false;
    }
    let digits = |x: &str| !x.is_empty() && x.len() <= 5 && x.chars().all(|c| c.is_ascii_digit());
    if digits(t) {
        return true;
    }
    if let Some((a, b)) = t.split_once('/') {
        return digits(a) && digits(b);
    }
    if let Some(r) = t.strip_prefix('第') {
        if let Some((n, tail)) = r.split_once('页') {
            if !digits(n) {
                return false;
            }
            if tail.is_empty() {
                return true;
            }
            let tail = tail.trim_start_matches(['，', ',']);
            if let Some(m) = tail.strip_prefix('共') {
                return m.strip_suffix('页').map(digits).unwrap_or(false);
            }
        }
        return false;
    }
    if let Some(r) = t.strip_prefix("Page").or_else(|| t.strip_prefix("page")) {
        let r = r.split("of").next().unwrap_or(r);
        return digits(r);
    }
    false
}

/// Whether the page number is decorated (`- 4 -`, `第4页`, `4/5`), not a bare number that
/// could as well be a table value.
pub(crate) fn is_decorated_page_number(s: &str) -> bool {
    let t = s.trim();
    is_page_number(t) && !t.chars().all(|c| c.is_ascii_digit())
}

/// A decimal digit as a regex's Unicode `\d` means it (general category Nd: ASCII, full-width,
/// Arabic-Indic, Devanagari, …), for hand matchers that must accept what the regexes they
/// replace accepted. The table is read from regex-syntax's Unicode data once, on the first
/// non-ASCII character asked about (parsing `\d` is microseconds; compiling it into an
/// automaton, as a regex does, is not).
pub(crate) fn is_decimal_digit(c: char) -> bool {
    use std::sync::LazyLock;
    static ND: LazyLock<Vec<(char, char)>> = LazyLock::new(|| {
        use regex_syntax::hir::{Class, HirKind};
        match regex_syntax::parse(r"\d").map(|h| h.into_kind()) {
            Ok(HirKind::Class(Class::Unicode(cls))) => {
                cls.ranges().iter().map(|r| (r.start(), r.end())).collect()
            }
            // regex-syntax always has the Perl classes compiled in (its default features)
            _ => vec![('0', '9')],
        }
    });
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    // the CJK blocks (punctuation, kana, ideographs) hold no digit: most chars asked
    // about, settled without the table (a test holds this against it)
    if ('\u{3000}'..='\u{9FFF}').contains(&c) {
        return false;
    }
    let nd = &*ND;
    let i = nd.partition_point(|&(_, end)| end < c);
    nd.get(i).is_some_and(|&(start, _)| start <= c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_decimal_digit_in_the_cjk_blocks() {
        let nd = regex_syntax::parse(r"\d").expect("\\d parses");
        let regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(cls)) = nd.kind()
        else {
            panic!("\\d is a Unicode class");
        };
        for r in cls.ranges() {
            assert!(r.end() < '\u{3000}' || r.start() > '\u{9FFF}', "{r:?}");
        }
        assert!(is_decimal_digit('٣') && is_decimal_digit('７') && !is_decimal_digit('三'));
    }

    #[test]
    fn radicals_fold_to_ideographs() {
        let printed = "⼆、主动公开政府信息情况 ⾏政许可 ⽆法提供 ⺠⽣ ⻅ ⻓期";
        let folded = fold_radicals(printed);
        assert_eq!(
            folded,
            "二、主动公开政府信息情况 行政许可 无法提供 民生 见 长期"
        );
        assert_eq!(fold_radicals(&folded), folded);
        // the byte test rules out only what holds no radical: the block edges
        for c in [
            '\u{2E7F}', '\u{2E80}', '\u{2FD5}', '\u{2FD6}', '\u{3000}', '⺠',
        ] {
            let s = c.to_string();
            let folded: String = s.chars().map(fold_radical).collect();
            assert_eq!(fold_radicals(&s), folded);
            assert!(may_hold_radical(&s) || folded == s);
        }
        assert_eq!(KANGXI.chars().count(), 0x2FD6 - 0x2F00);
    }

    #[test]
    fn numberings() {
        assert_eq!(numbering_len("一、本年新收"), Some("一、".len()));
        assert_eq!(numbering_len("（三）不予公开"), Some("（三）".len()));
        assert_eq!(numbering_len("(六)其他"), Some("(六)".len()));
        assert_eq!(numbering_len("1.属于国家秘密"), Some(2));
        assert_eq!(numbering_len("12、重复"), Some("12、".len()));
        assert_eq!(numbering_len("（区分处理的"), None);
        assert_eq!(numbering_len("2024年"), None);
        assert_eq!(numbering_len("十一、其他"), Some("十一、".len()));
        assert_eq!(numbering_len("（⼀）予以公开"), Some("（⼀）".len()));
    }

    #[test]
    fn decimal_digits_are_unicode_nd() {
        for c in ['0', '9', '０', '９', '٣', '७'] {
            assert!(is_decimal_digit(c), "{c}");
        }
        for c in ['a', '/', '一', '²', 'Ⅳ', '①', ':'] {
            assert!(!is_decimal_digit(c), "{c}");
        }
    }

    #[test]
    fn page_numbers() {
        for s in [
            "- 4 -",
            "-4-",
            "第4页",
            "第 4 页 共 5 页",
            "4/5",
            "— 12 —",
            "7",
        ] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["第四章", "2024年", "4/5 items", "行政许可 9487"] {
            assert!(!is_page_number(s), "{s}");
        }
        assert!(is_decorated_page_number("- 4 -"));
        assert!(!is_decorated_page_number("4"));
    }
}
