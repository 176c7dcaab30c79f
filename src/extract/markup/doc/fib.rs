//! The File Information Block at the start of the `WordDocument` stream ([MS-DOC] 2.5.1):
//! only the fields needed to find the text, the piece table and the paragraph properties.

use super::DocError;

/// Little-endian reads that fail as "damaged" instead of panicking.
pub(crate) fn u16_at(b: &[u8], off: usize) -> Result<u16, DocError> {
    b.get(off..off.saturating_add(2))
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| DocError::Damaged(format!("read of 2 bytes at {off} past the end")))
}

/// See [`u16_at`].
pub(crate) fn u32_at(b: &[u8], off: usize) -> Result<u32, DocError> {
    b.get(off..off.saturating_add(4))
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| DocError::Damaged(format!("read of 4 bytes at {off} past the end")))
}

/// What the reader needs from the FIB.
#[derive(Debug, Clone)]
pub(crate) struct Fib {
    /// `1Table` (true) or `0Table` holds the piece table.
    pub table_1: bool,
    /// Characters of the main document (footnotes, headers... follow and are not read).
    pub ccp_text: u32,
    /// The CLX (piece table) in the table stream.
    pub clx: (u32, u32),
    /// PlcBtePapx (paragraph property pages) in the table stream.
    pub bte_papx: (u32, u32),
    /// PlcBteChpx (character property pages) in the table stream.
    pub bte_chpx: (u32, u32),
}

const W_IDENT: u16 = 0xA5EC;
const F_ENCRYPTED: u16 = 0x0100;
const F_WHICH_TBL_STM: u16 = 0x0200;
const F_OBFUSCATED: u16 = 0x8000;
/// Indexes of (fc, lcb) pairs in FibRgFcLcb97.
const IDX_BTE_CHPX: usize = 12;
const IDX_BTE_PAPX: usize = 13;
const IDX_CLX: usize = 33;

/// Reads the FIB from the start of `word` (the `WordDocument` stream).
pub(crate) fn read(word: &[u8]) -> Result<Fib, DocError> {
    if u16_at(word, 0)? != W_IDENT {
        return Err(DocError::Damaged(
            "WordDocument stream without a FIB".into(),
        ));
    }
    let flags = u16_at(word, 0x0A)?;
    if flags & (F_ENCRYPTED | F_OBFUSCATED) != 0 {
        return Err(DocError::Encrypted);
    }
    // FibBase is 32 bytes; then csw + fibRgW, cslw + fibRgLw, cbRgFcLcb + fibRgFcLcbBlob.
    let csw = usize::from(u16_at(word, 32)?);
    let lw = 34 + csw * 2;
    let cslw = usize::from(u16_at(word, lw)?);
    let rg_lw = lw + 2;
    if cslw < 4 {
        return Err(DocError::Damaged(format!("FIB has only {cslw} longs")));
    }
    let ccp_text = u32_at(word, rg_lw + 3 * 4)?;
    let fc = rg_lw + cslw * 4;
    let cb_fc_lcb = usize::from(u16_at(word, fc)?);
    let rg_fc = fc + 2;
    let pair = |i: usize| -> Result<(u32, u32), DocError> {
        if i >= cb_fc_lcb {
            return Ok((0, 0));
        }
        Ok((
            u32_at(word, rg_fc + i * 8)?,
            u32_at(word, rg_fc + i * 8 + 4)?,
        ))
    };
    Ok(Fib {
        table_1: flags & F_WHICH_TBL_STM != 0,
        ccp_text,
        clx: pair(IDX_CLX)?,
        bte_papx: pair(IDX_BTE_PAPX)?,
        bte_chpx: pair(IDX_BTE_CHPX)?,
    })
}

/// The bytes `(fc, lcb)` of `stream`, or a "damaged" error naming `what`.
pub(crate) fn slice<'a>(
    stream: &'a [u8],
    (fc, lcb): (u32, u32),
    what: &str,
) -> Result<&'a [u8], DocError> {
    let start = fc as usize;
    start
        .checked_add(lcb as usize)
        .and_then(|end| stream.get(start..end))
        .ok_or_else(|| {
            DocError::Damaged(format!(
                "{what} at {fc}+{lcb} lies outside its {}-byte stream",
                stream.len()
            ))
        })
}
