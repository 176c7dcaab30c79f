//! Paragraph properties from the PAPX pages ([MS-DOC] 2.9.175 PapxFkp): which paragraphs
//! are in a table, which mark ends a row, and the row's cell layout (sprmTDefTable).

use super::fib::{u16_at, u32_at};
use super::DocError;

/// The table-related properties of one paragraph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ParaProps {
    /// sprmPFInTable
    pub in_table: bool,
    /// sprmPFTtp: this paragraph is a row-end mark.
    pub row_end: bool,
    /// The row's cells, from sprmTDefTable (on the row-end mark).
    pub row: Option<RowDef>,
}

/// Cell boundaries and merge flags of one table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RowDef {
    /// `cells + 1` boundaries in twips, left to right.
    pub edges: Vec<i16>,
    /// Per cell: merged into the cell to its left (old-style horizontal merge).
    pub h_covered: Vec<bool>,
    /// Per cell: continues the vertically merged cell above.
    pub v_continued: Vec<bool>,
}

/// Properties by stream offset: sorted, non-overlapping `[start, end)` runs.
#[derive(Debug, Default)]
pub(crate) struct PropMap {
    runs: Vec<(u32, u32, ParaProps)>,
}

impl PropMap {
    /// Properties of the paragraph whose mark is at stream offset `fc`, if any page covers it.
    pub fn at(&self, fc: u32) -> Option<&ParaProps> {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        let r = self.runs.get(i.checked_sub(1)?)?;
        (fc < r.1).then_some(&r.2)
    }

    /// A map of the given runs (for tests).
    #[cfg(test)]
    pub fn from_runs(mut runs: Vec<(u32, u32, ParaProps)>) -> Self {
        runs.sort_by_key(|r| r.0);
        PropMap { runs }
    }
}

const FKP: usize = 512;

/// The 512-byte property pages (FKPs) a bin table (`plc`, at least 4 bytes) lists, in
/// order; `plc_name` (`PlcBtePapx`) and `page_name` (`PAPX`) name them in errors.
fn fkp_pages<'a>(
    word: &'a [u8],
    plc: &[u8],
    plc_name: &str,
    page_name: &str,
) -> Result<Vec<&'a [u8]>, DocError> {
    if !(plc.len() - 4).is_multiple_of(8) {
        return Err(DocError::Damaged(format!(
            "{plc_name} of {} bytes",
            plc.len()
        )));
    }
    let n = (plc.len() - 4) / 8;
    (0..n)
        .map(|k| {
            let pn = (u32_at(plc, (n + 1) * 4 + k * 4)? & 0x3F_FFFF) as usize;
            pn.checked_mul(FKP)
                .and_then(|o| word.get(o..o.checked_add(FKP)?))
                .ok_or_else(|| {
                    DocError::Damaged(format!("{page_name} page {pn} outside the stream"))
                })
        })
        .collect()
}

/// Reads every PAPX page listed in PlcBtePapx (`plc`, from the table stream); `data` is the
/// `Data` stream (empty when absent).
pub(crate) fn read(word: &[u8], plc: &[u8], data: &[u8]) -> Result<PropMap, DocError> {
    if plc.len() < 4 {
        return Ok(PropMap::default());
    }
    let mut runs = Vec::new();
    for page in fkp_pages(word, plc, "PlcBtePapx", "PAPX")? {
        read_page(page, data, &mut runs)?;
    }
    runs.sort_by_key(|r| r.0);
    Ok(PropMap { runs })
}

fn read_page(
    page: &[u8],
    data: &[u8],
    runs: &mut Vec<(u32, u32, ParaProps)>,
) -> Result<(), DocError> {
    let crun = usize::from(page[FKP - 1]);
    // rgfc (crun+1 offsets) then crun 13-byte BxPap entries must fit before the count byte.
    if (crun + 1) * 4 + crun * 13 > FKP - 1 {
        return Err(DocError::Damaged(format!("PAPX page with {crun} runs")));
    }
    for i in 0..crun {
        let start = u32_at(page, i * 4)?;
        let end = u32_at(page, (i + 1) * 4)?;
        let b_offset = usize::from(page[(crun + 1) * 4 + i * 13]) * 2;
        let props = if b_offset == 0 {
            ParaProps::default()
        } else {
            papx(page, b_offset, data)?
        };
        if start < end {
            runs.push((start, end, props));
        }
    }
    Ok(())
}

/// PapxInFkp at `off`: a size byte (or 0 and a second size byte), istd, then sprms.
fn papx(page: &[u8], off: usize, data: &[u8]) -> Result<ParaProps, DocError> {
    let cb = usize::from(*page.get(off).unwrap_or(&0));
    let (start, len) = if cb == 0 {
        (off + 2, usize::from(*page.get(off + 1).unwrap_or(&0)) * 2)
    } else {
        (off + 1, cb * 2 - 1)
    };
    let grp = page
        .get(start..start + len)
        .ok_or_else(|| DocError::Damaged("PAPX runs past its page".into()))?;
    let grp = grp.get(2..).unwrap_or(&[]);
    // A PAPX too big for its page is in the Data stream, named by sprmPHugePapx.
    if let (Some(&[0x46, 0x66]), Ok(at)) = (grp.get(..2), u32_at(grp, 2)) {
        let at = at as usize;
        let huge = u16_at(data, at)
            .ok()
            .and_then(|cb| data.get(at + 2..at + 2 + usize::from(cb)))
            .ok_or_else(|| {
                DocError::Damaged(format!("huge PAPX at {at} outside the Data stream"))
            })?;
        return Ok(sprms(huge));
    }
    Ok(sprms(grp))
}

const SPRM_P_F_IN_TABLE: u16 = 0x2416;
const SPRM_P_F_TTP: u16 = 0x2417;
const SPRM_P_ITAP: u16 = 0x6649;
const SPRM_T_DEF_TABLE: u16 = 0xD608;
const SPRM_P_CHG_TABS: u16 = 0xC615;

/// The table properties in a grpprl.
fn sprms(grp: &[u8]) -> ParaProps {
    let mut p = ParaProps::default();
    each_sprm(grp, |sprm, arg| match sprm {
        SPRM_P_F_IN_TABLE => p.in_table = arg[0] != 0,
        SPRM_P_F_TTP => p.row_end = arg[0] != 0,
        SPRM_P_ITAP => p.in_table |= u32_at(arg, 0).is_ok_and(|v| v > 0),
        SPRM_T_DEF_TABLE => p.row = arg.get(2..).and_then(row_def),
        _ => {}
    });
    p
}

/// Calls `f` with each sprm and its operand (never empty); stops quietly at a malformed one.
fn each_sprm(grp: &[u8], mut f: impl FnMut(u16, &[u8])) {
    let mut i = 0usize;
    while i + 2 <= grp.len() {
        let Ok(sprm) = u16_at(grp, i) else { break };
        let op = i + 2;
        let len = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => match sprm {
                // TDefTableOperand: a 16-bit size counting itself as 1 byte.
                SPRM_T_DEF_TABLE => match u16_at(grp, op) {
                    Ok(cb) => (usize::from(cb) + 1).max(2),
                    Err(_) => break,
                },
                // an escaped size (255) needs the tab lists decoded: give up on this grpprl
                SPRM_P_CHG_TABS if grp.get(op) == Some(&255) => break,
                _ => match grp.get(op) {
                    Some(&cb) => usize::from(cb) + 1,
                    None => break,
                },
            },
        };
        let Some(arg) = grp.get(op..op + len) else {
            break;
        };
        f(sprm, arg);
        i = op + len;
    }
}

/// Stream offsets of characters not printed: deleted revisions (sprmCFRMarkDel) and hidden
/// text (sprmCFVanish), from the CHPX pages listed in PlcBteChpx ([MS-DOC] 2.9.44 ChpxFkp).
#[derive(Debug, Default)]
pub(crate) struct Unprinted {
    runs: Vec<(u32, u32)>,
}

impl Unprinted {
    /// Is the character at stream offset `fc` left out of the printed text?
    pub fn contains(&self, fc: u32) -> bool {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        i.checked_sub(1)
            .and_then(|k| self.runs.get(k))
            .is_some_and(|r| fc < r.1)
    }
}

const SPRM_C_F_R_MARK_DEL: u16 = 0x0800;
const SPRM_C_F_VANISH: u16 = 0x083C;

/// Reads the character-property pages listed in `plc` for deleted and hidden runs.
pub(crate) fn unprinted(word: &[u8], plc: &[u8]) -> Result<Unprinted, DocError> {
    if plc.len() < 4 {
        return Ok(Unprinted::default());
    }
    let mut runs = Vec::new();
    for page in fkp_pages(word, plc, "PlcBteChpx", "CHPX")? {
        let crun = usize::from(page[FKP - 1]);
        if (crun + 1) * 4 + crun > FKP - 1 {
            return Err(DocError::Damaged(format!("CHPX page with {crun} runs")));
        }
        for i in 0..crun {
            let (start, end) = (u32_at(page, i * 4)?, u32_at(page, (i + 1) * 4)?);
            let off = usize::from(page[(crun + 1) * 4 + i]) * 2;
            if off == 0 || start >= end {
                continue;
            }
            let cb = usize::from(page[off]);
            let grp = page.get(off + 1..off + 1 + cb).unwrap_or(&[]);
            let mut gone = false;
            each_sprm(grp, |sprm, arg| {
                if matches!(sprm, SPRM_C_F_R_MARK_DEL | SPRM_C_F_VANISH) {
                    // 1 = on; 0x81 = the opposite of the style's value (off in any style we meet)
                    gone |= matches!(arg[0], 1 | 0x81);
                }
            });
            if gone {
                runs.push((start, end));
            }
        }
    }
    runs.sort_unstable();
    Ok(Unprinted { runs })
}

/// TDefTableOperand after its size: itcMac, itcMac+1 boundaries, up to itcMac TC80s.
fn row_def(b: &[u8]) -> Option<RowDef> {
    let n = usize::from(*b.first()?);
    if n == 0 || n > super::super::common::MAX_COLS {
        return None;
    }
    let mut edges = Vec::with_capacity(n + 1);
    for k in 0..=n {
        let v = u16_at(b, 1 + k * 2).ok()?;
        edges.push(v as i16);
    }
    if edges.windows(2).any(|w| w[1] < w[0]) {
        return None;
    }
    let tcs = 1 + (n + 1) * 2;
    let mut h_covered = vec![false; n];
    let mut v_continued = vec![false; n];
    for k in 0..n {
        // TC80s may be left out at the end; those cells are plain.
        let Ok(grf) = u16_at(b, tcs + k * 20) else {
            break;
        };
        h_covered[k] = grf & 0x0002 != 0;
        v_continued[k] = grf & 0x0020 != 0 && grf & 0x0040 == 0;
    }
    Some(RowDef {
        edges,
        h_covered,
        v_continued,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CHPX page with runs `[0,10)` plain, `[10,20)` deleted, `[20,30)` hidden off.
    fn chpx_page() -> Vec<u8> {
        let mut page = vec![0u8; FKP];
        for (i, fc) in [0u32, 10, 20, 30].iter().enumerate() {
            page[i * 4..i * 4 + 4].copy_from_slice(&fc.to_le_bytes());
        }
        page[FKP - 1] = 3;
        // rgb: run 0 has no CHPX; runs 1 and 2 point at words 100 and 110
        page[16..19].copy_from_slice(&[0, 100, 110]);
        page[200..204].copy_from_slice(&[3, 0x00, 0x08, 1]); // sprmCFRMarkDel on
        page[220..224].copy_from_slice(&[3, 0x3C, 0x08, 0]); // sprmCFVanish off
        page
    }

    #[test]
    fn deleted_runs_are_unprinted() {
        let word = chpx_page();
        let mut plc = Vec::new();
        for v in [0u32, 30, 0] {
            plc.extend_from_slice(&v.to_le_bytes());
        }
        let u = unprinted(&word, &plc).unwrap();
        assert!(!u.contains(9));
        assert!(u.contains(10) && u.contains(19));
        assert!(!u.contains(20) && !u.contains(29));
        // a page number beyond the stream is damage, not a panic
        plc[8] = 9;
        assert!(matches!(unprinted(&word, &plc), Err(DocError::Damaged(_))));
    }

    #[test]
    fn short_tdef_operands_do_not_panic() {
        // sprmTDefTable with cb = 0 (a 1-byte operand), then sprmPFInTable
        let p = sprms(&[0x08, 0xD6, 0x00, 0x00, 0x16, 0x24, 0x01]);
        assert_eq!(p.row, None);
        assert!(p.in_table);
    }
}
