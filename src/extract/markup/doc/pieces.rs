//! The piece table (CLX, [MS-DOC] 2.9.38) and the main document's characters.
//!
//! Each piece maps a run of character positions to bytes of the `WordDocument` stream,
//! either 8-bit "compressed" text or UTF-16LE. Fields are reduced to their shown result here.

use super::fib::{u16_at, u32_at};
use super::props::Unprinted;
use super::DocError;

/// One run of text: characters `[cp, cp_end)` stored at byte `fc` (8-bit when `compressed`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Piece {
    pub cp: u32,
    pub cp_end: u32,
    pub fc: u32,
    pub compressed: bool,
}

/// The pieces of a CLX, in character order.
pub(crate) fn read_clx(clx: &[u8]) -> Result<Vec<Piece>, DocError> {
    let mut i = 0usize;
    // Prc entries (property modifiers of pieces) come first: skip them.
    while clx.get(i) == Some(&0x01) {
        let cb = usize::from(u16_at(clx, i + 1)?);
        i = i + 3 + cb;
    }
    if clx.get(i) != Some(&0x02) {
        return Err(DocError::Damaged(
            "piece table (Pcdt) not found in the CLX".into(),
        ));
    }
    let lcb = u32_at(clx, i + 1)? as usize;
    let plc = clx
        .get(i + 5..)
        .and_then(|r| r.get(..lcb))
        .ok_or_else(|| DocError::Damaged("piece table longer than the CLX".into()))?;
    // PlcPcd: n+1 CPs (4 bytes) then n PCDs (8 bytes).
    if plc.len() < 4 || (plc.len() - 4) % 12 != 0 {
        return Err(DocError::Damaged(format!(
            "piece table of {} bytes",
            plc.len()
        )));
    }
    let n = (plc.len() - 4) / 12;
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let cp = u32_at(plc, k * 4)?;
        let cp_end = u32_at(plc, (k + 1) * 4)?;
        if cp_end < cp {
            return Err(DocError::Damaged(format!(
                "piece {k} ends before it starts"
            )));
        }
        let raw = u32_at(plc, (n + 1) * 4 + k * 8 + 2)?;
        let compressed = raw & 0x4000_0000 != 0;
        let fc = raw & 0x3FFF_FFFF;
        out.push(Piece {
            cp,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(out)
}

/// A character of the main text with the stream offset it was read from (paragraph
/// properties are looked up by that offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ch {
    pub c: char,
    pub fc: u32,
}

/// Compressed (8-bit) text is Latin-1 except for these bytes ([MS-DOC] 2.4.1).
fn compressed_char(b: u8) -> char {
    let u = match b {
        0x82 => 0x201A,
        0x83 => 0x0192,
        0x84 => 0x201E,
        0x85 => 0x2026,
        0x86 => 0x2020,
        0x87 => 0x2021,
        0x88 => 0x02C6,
        0x89 => 0x2030,
        0x8A => 0x0160,
        0x8B => 0x2039,
        0x8C => 0x0152,
        0x91 => 0x2018,
        0x92 => 0x2019,
        0x93 => 0x201C,
        0x94 => 0x201D,
        0x95 => 0x2022,
        0x96 => 0x2013,
        0x97 => 0x2014,
        0x98 => 0x02DC,
        0x99 => 0x2122,
        0x9A => 0x0161,
        0x9B => 0x203A,
        0x9C => 0x0153,
        0x9F => 0x0178,
        _ => u32::from(b),
    };
    char::from_u32(u).unwrap_or('\u{FFFD}')
}

/// The characters `[0, ccp)` of the document, fields reduced to their results, objects,
/// optional hyphens and `unprinted` (deleted, hidden) text dropped. Reading stops after
/// `max_chars + 1` characters: the caller cuts the text at its limit and says so.
pub(crate) fn main_text(
    word: &[u8],
    pieces: &[Piece],
    ccp: u32,
    max_chars: usize,
    unprinted: &Unprinted,
) -> Result<Vec<Ch>, DocError> {
    let mut out = Vec::new();
    // One entry per open field: false while in its code, true once in its result.
    let mut fields: Vec<bool> = Vec::new();
    let mut seen = 0usize;
    let mut prev_end = 0u32;
    for p in pieces {
        if p.cp >= ccp {
            break;
        }
        // Overlapping pieces would let a small file claim endless text.
        if p.cp < prev_end {
            return Err(DocError::Damaged("pieces overlap".into()));
        }
        prev_end = p.cp_end;
        let n = (p.cp_end.min(ccp) - p.cp) as usize;
        seen = seen.saturating_add(n);
        let width = if p.compressed { 1 } else { 2 };
        let start = p.fc as usize;
        let mut bytes = n
            .checked_mul(width)
            .and_then(|len| start.checked_add(len))
            .and_then(|end| word.get(start..end))
            .ok_or_else(|| {
                DocError::Damaged(format!(
                    "text piece at byte {start} ({n} characters) runs past the {}-byte stream",
                    word.len()
                ))
            })?;
        let over = seen > max_chars;
        if over {
            // keep one character past the limit, so the cut downstream is seen
            let allowed = (max_chars + 1).saturating_sub(seen - n).min(n);
            bytes = &bytes[..allowed * width];
        }
        if p.compressed {
            for (i, &b) in bytes.iter().enumerate() {
                let fc = p.fc + i as u32;
                push_char(
                    &mut out,
                    &mut fields,
                    Ch {
                        c: compressed_char(b),
                        fc,
                    },
                );
            }
            if over {
                break;
            }
            continue;
        }
        let units = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]));
        // one item per character (a surrogate pair is two units): keep the offset alongside
        let mut fc = p.fc;
        for r in char::decode_utf16(units) {
            let (c, n) = match r {
                Ok(c) => (c, c.len_utf16() as u32),
                Err(_) => ('\u{FFFD}', 1),
            };
            if !unprinted.contains(fc) || is_mark(c) {
                push_char(&mut out, &mut fields, Ch { c, fc });
            }
            fc += 2 * n;
        }
        if over {
            break;
        }
    }
    Ok(out)
}

/// Paragraph, cell and field marks: kept even when deleted or hidden, so that tables and
/// fields hold together.
fn is_mark(c: char) -> bool {
    matches!(c, '\r' | '\u{7}' | '\u{13}' | '\u{14}' | '\u{15}')
}

/// Field marks, special characters and hidden field codes.
fn push_char(out: &mut Vec<Ch>, fields: &mut Vec<bool>, ch: Ch) {
    const MAX_FIELD_DEPTH: usize = 64;
    match ch.c {
        '\u{13}' => {
            if fields.len() < MAX_FIELD_DEPTH {
                fields.push(false);
            }
        }
        '\u{14}' => {
            if let Some(top) = fields.last_mut() {
                *top = true;
            }
        }
        '\u{15}' => {
            fields.pop();
        }
        // Paragraph and cell marks are kept even inside a field code, so tables hold together.
        '\r' | '\u{7}' => out.push(ch),
        _ if fields.iter().any(|shown| !shown) => {}
        // objects, pictures, footnote and annotation references; optional hyphen
        '\u{1}' | '\u{2}' | '\u{5}' | '\u{8}' | '\u{1f}' => {}
        '\u{1e}' => out.push(Ch { c: '-', fc: ch.fc }),
        '\u{9}' | '\u{a0}' => out.push(Ch { c: ' ', fc: ch.fc }),
        _ => out.push(ch),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(chars: &[Ch]) -> String {
        chars.iter().map(|c| c.c).collect()
    }

    #[test]
    fn fields_keep_their_result_and_8bit_text_maps_specials() {
        // compressed piece: "a" FIELD{ code \x14 "r" } 0x93 "x" 0x94, optional hyphen dropped
        let word = b"a\x13PAGE \x13inner\x14no\x15\x14r\x15\x93x\x94\x1f\x1e\r".to_vec();
        let p = Piece {
            cp: 0,
            cp_end: word.len() as u32,
            fc: 0,
            compressed: true,
        };
        let chars = main_text(&word, &[p], p.cp_end, 1000, &Unprinted::default()).unwrap();
        assert_eq!(text(&chars), "ar\u{201c}x\u{201d}-\r");
        // offsets follow the bytes, for the property lookup
        assert_eq!(chars.last().map(|c| c.fc), Some(word.len() as u32 - 1));
    }

    #[test]
    fn utf16_pieces_and_bounds() {
        let none = Unprinted::default();
        let s = "表格\u{7}";
        let word: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let p = Piece {
            cp: 0,
            cp_end: 3,
            fc: 0,
            compressed: false,
        };
        assert_eq!(text(&main_text(&word, &[p], 3, 1000, &none).unwrap()), s);
        // only the main text (ccp) is read
        assert_eq!(
            text(&main_text(&word, &[p], 2, 1000, &none).unwrap()),
            "表格"
        );
        // a piece running past the stream, and one over the character limit
        let long = Piece { cp_end: 4, ..p };
        assert!(matches!(
            main_text(&word, &[long], 4, 1000, &none),
            Err(DocError::Damaged(_))
        ));
        assert_eq!(
            text(&main_text(&word, &[p], 3, 1, &none).unwrap())
                .chars()
                .count(),
            2
        );
        // overlapping pieces
        assert!(matches!(
            main_text(&word, &[p, p], 3, 1000, &none),
            Err(DocError::Damaged(_))
        ));
    }
}
