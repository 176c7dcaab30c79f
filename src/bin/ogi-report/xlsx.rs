//! `reports.xlsx`: the three CSVs of an `--out` folder as sheets `reports` (wide), `cells`
//! (long) and `diagnostics`; numbers as numbers; cells named by a warning (yellow) or an
//! error (red) highlighted.

use rust_xlsxwriter::{Color, Format, Workbook, Worksheet};
use std::collections::HashMap;
use std::path::Path;

/// Excel's row limit; longer sheets are cut with a note on stderr.
const MAX_ROWS: usize = 1_048_576;
/// Excel's limit on the text of one cell.
const MAX_TEXT: usize = 32_767;

/// A CSV read back: header and records.
type Table = (Vec<String>, Vec<Vec<String>>);

fn read(path: &Path) -> Result<Table, Box<dyn std::error::Error>> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_path(path)?;
    let header = r
        .headers()?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let Ok(rec) = rec else { continue };
        rows.push(rec.iter().map(str::to_string).collect());
    }
    Ok((header, rows))
}

fn text(s: &str) -> &str {
    if s.len() <= MAX_TEXT {
        return s;
    }
    let mut end = MAX_TEXT - 4;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Writes a sheet: `numeric(col)` says which columns hold numbers, `flag(row, col)` which
/// cells to highlight (1 warning, 2 error).
fn sheet(
    ws: &mut Worksheet,
    name: &str,
    header: &[String],
    rows: &[Vec<String>],
    numeric: impl Fn(usize) -> bool,
    flag: impl Fn(&[String], usize) -> u8,
) -> Result<(), Box<dyn std::error::Error>> {
    ws.set_name(name)?;
    let bold = Format::new().set_bold();
    let warn = Format::new().set_background_color(Color::RGB(0xFFEB9C));
    let err = Format::new().set_background_color(Color::RGB(0xFFC7CE));
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, text(h), &bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if rows.len() + 1 > MAX_ROWS {
        eprintln!(
            "note: reports.xlsx sheet {name} holds the first {} of {} rows (Excel's limit)",
            MAX_ROWS - 1,
            rows.len()
        );
    }
    for (r, row) in rows.iter().take(MAX_ROWS - 1).enumerate() {
        let r = (r + 1) as u32;
        for (c, v) in row.iter().enumerate().take(16_384) {
            let col = c as u16;
            let fmt = match flag(row, c) {
                2 => Some(&err),
                1 => Some(&warn),
                _ => None,
            };
            let num = if numeric(c) {
                v.parse::<f64>().ok().filter(|f| f.is_finite())
            } else {
                None
            };
            match (num, fmt) {
                (Some(n), Some(f)) => ws.write_number_with_format(r, col, n, f)?,
                (Some(n), None) => ws.write_number(r, col, n)?,
                (None, Some(f)) => ws.write_string_with_format(r, col, text(v), f)?,
                (None, None) if v.is_empty() => ws,
                (None, None) => ws.write_string(r, col, text(v))?,
            };
        }
    }
    Ok(())
}

/// Builds `dir/reports.xlsx` from `reports.csv`, `cells.csv` and `diagnostics.csv`.
pub fn write(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let (rh, rows) = read(&dir.join("reports.csv"))?;
    let (ch, cells) = read(&dir.join("cells.csv"))?;
    let (dh, diags) = read(&dir.join("diagnostics.csv"))?;
    // (file, key) → 1 warning, 2 error
    let mut flagged: HashMap<(String, String), u8> = HashMap::new();
    let col = |h: &[String], name: &str| h.iter().position(|x| x == name);
    let (df, ds, dc) = (col(&dh, "file"), col(&dh, "severity"), col(&dh, "cells"));
    if let (Some(df), Some(ds), Some(dc)) = (df, ds, dc) {
        for d in &diags {
            let level = match d.get(ds).map(String::as_str) {
                Some("error") => 2,
                Some("warning") => 1,
                _ => continue,
            };
            let file = d.get(df).cloned().unwrap_or_default();
            for key in d.get(dc).into_iter().flat_map(|c| c.split(';')) {
                if key.is_empty() {
                    continue;
                }
                let e = flagged.entry((file.clone(), key.to_string())).or_default();
                *e = (*e).max(level);
            }
        }
    }
    let mut wb = Workbook::new();
    let first_key =
        ogi_report::export::FIXED_COLUMNS.len() + ogi_report::export::BATCH_COLUMNS.len();
    let rnum: Vec<bool> = rh
        .iter()
        .enumerate()
        .map(|(i, h)| i >= first_key || h == "year" || h == "diagnostics")
        .collect();
    sheet(
        wb.add_worksheet(),
        "reports",
        &rh,
        &rows,
        |c| rnum.get(c).copied().unwrap_or(false),
        |row, c| {
            if c < first_key {
                return 0;
            }
            let (Some(f), Some(k)) = (row.first(), rh.get(c)) else {
                return 0;
            };
            flagged.get(&(f.clone(), k.clone())).copied().unwrap_or(0)
        },
    )?;
    let (cf, ck, cv) = (col(&ch, "file"), col(&ch, "key"), col(&ch, "value"));
    let cnum: Vec<bool> = ch
        .iter()
        .map(|h| matches!(h.as_str(), "year" | "value" | "page" | "line"))
        .collect();
    sheet(
        wb.add_worksheet(),
        "cells",
        &ch,
        &cells,
        |c| cnum.get(c).copied().unwrap_or(false),
        |row, c| {
            if Some(c) != cv {
                return 0;
            }
            let (Some(f), Some(k)) = (cf.and_then(|i| row.get(i)), ck.and_then(|i| row.get(i)))
            else {
                return 0;
            };
            flagged.get(&(f.clone(), k.clone())).copied().unwrap_or(0)
        },
    )?;
    sheet(
        wb.add_worksheet(),
        "diagnostics",
        &dh,
        &diags,
        |_| false,
        |row, c| {
            if Some(c) != ds {
                return 0;
            }
            match row.get(c).map(String::as_str) {
                Some("error") => 2,
                Some("warning") => 1,
                _ => 0,
            }
        },
    )?;
    wb.save(dir.join("reports.xlsx"))?;
    Ok(())
}
