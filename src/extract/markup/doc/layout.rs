//! Characters + paragraph properties → prose lines and table grids, rendered through the
//! same [`Grid`] code as DOCX and HTML.

use super::super::common::{normalize_ws, Grid, LineSink, MarkupLine, MAX_COLS};
use super::pieces::Ch;
use super::props::{PropMap, RowDef};
use super::DocError;

/// One paragraph: its text (line and page breaks kept) and how it ended.
struct Para {
    text: String,
    /// Ended by 0x07 (a cell or row mark) rather than 0x0D.
    cell_mark: bool,
    /// Stream offset of the mark, for the property lookup.
    fc: u32,
}

fn paragraphs(chars: &[Ch]) -> Vec<Para> {
    let mut out = Vec::new();
    let mut text = String::new();
    for ch in chars {
        match ch.c {
            '\r' | '\u{7}' => out.push(Para {
                text: std::mem::take(&mut text),
                cell_mark: ch.c == '\u{7}',
                fc: ch.fc,
            }),
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        out.push(Para {
            text,
            cell_mark: false,
            fc: u32::MAX,
        });
    }
    out
}

/// A table row as read: cell paragraphs and the layout from its row-end mark.
struct Row {
    cells: Vec<Vec<String>>,
    def: Option<RowDef>,
}

#[derive(Default)]
struct Builder {
    sink: LineSink,
    tables: usize,
    rows: Vec<Row>,
    cells: Vec<Vec<String>>,
    cell: Vec<String>,
}

/// Lays the document out as lines. A cell mark whose paragraph properties are unknown is an
/// error: an empty last cell and a row end look alike, and guessing could shift values.
pub(crate) fn lines(chars: &[Ch], props: &PropMap) -> Result<Vec<MarkupLine>, DocError> {
    let mut b = Builder::default();
    for p in paragraphs(chars) {
        let pp = props.at(p.fc);
        let in_table = p.cell_mark || pp.is_some_and(|x| x.in_table);
        if !in_table {
            b.end_table();
            b.prose(&p.text);
            continue;
        }
        if !p.cell_mark {
            b.cell.push(p.text);
            continue;
        }
        let Some(pp) = pp else {
            return Err(DocError::Damaged(format!(
                "no paragraph properties for the table mark at byte {}: rows cannot be told from cells",
                p.fc
            )));
        };
        if pp.row_end {
            let cells = std::mem::take(&mut b.cells);
            b.cell.clear();
            b.rows.push(Row {
                cells,
                def: pp.row.clone(),
            });
        } else {
            b.cell.push(p.text);
            let cell = std::mem::take(&mut b.cell);
            if b.cells.len() < MAX_COLS {
                b.cells.push(cell);
            }
        }
    }
    b.end_table();
    b.sink.flush();
    Ok(b.sink.lines)
}

impl Builder {
    fn prose(&mut self, text: &str) {
        // Line breaks (0x0B) and page/section breaks (0x0C) end a line, as `w:br` does in DOCX.
        for part in text.split(['\u{b}', '\u{c}']) {
            self.sink.push_text(part);
            self.sink.flush();
        }
    }

    fn end_table(&mut self) {
        // A row left open (cells without a row-end mark) still counts.
        if !self.cell.is_empty() {
            let cell = std::mem::take(&mut self.cell);
            self.cells.push(cell);
        }
        if !self.cells.is_empty() {
            let cells = std::mem::take(&mut self.cells);
            self.rows.push(Row { cells, def: None });
        }
        if self.rows.is_empty() {
            return;
        }
        self.sink.flush();
        let rows = std::mem::take(&mut self.rows);
        let mut grid = grid(&rows);
        grid.square();
        if grid.is_data() {
            grid.emit(self.tables, &mut self.sink.lines);
            self.tables += 1;
            return;
        }
        // a layout table: its paragraphs become prose
        for row in rows {
            for cell in row.cells {
                for p in cell {
                    self.prose(&p);
                }
            }
        }
    }
}

fn cell_text(paras: &[String]) -> String {
    normalize_ws(&paras.join(" "))
}

/// The table as a grid over every cell boundary of its rows: a cell wider than one grid
/// column is followed by covered (`None`) positions (like `w:gridSpan`), a row starting right of
/// the table's left edge gets empty leading positions (like `w:gridBefore`), and a cell that
/// continues a vertical merge is empty (like `w:vMerge`).
fn grid(rows: &[Row]) -> Grid {
    let mut edges: Vec<i16> = rows
        .iter()
        .filter_map(|r| usable(r))
        .flat_map(|d| d.edges.iter().copied())
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let col = |x: i16| edges.partition_point(|&e| e < x);
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut row: Vec<Option<String>> = Vec::new();
        let Some(def) = usable(r) else {
            row.extend(r.cells.iter().map(|c| Some(cell_text(c))));
            out.push(row);
            continue;
        };
        row.resize(col(def.edges[0]).min(MAX_COLS), Some(String::new()));
        for (k, c) in r.cells.iter().enumerate() {
            if row.len() >= MAX_COLS {
                break;
            }
            let span = col(def.edges[k + 1])
                .saturating_sub(col(def.edges[k]))
                .max(1);
            let span = span.min(MAX_COLS - row.len());
            if def.h_covered[k] {
                row.extend(std::iter::repeat_n(None, span));
                continue;
            }
            row.push(Some(if def.v_continued[k] {
                String::new()
            } else {
                cell_text(c)
            }));
            row.extend(std::iter::repeat_n(None, span - 1));
        }
        out.push(row);
    }
    Grid { rows: out }
}

/// The row's layout, when it describes exactly the cells read.
fn usable(r: &Row) -> Option<&RowDef> {
    r.def
        .as_ref()
        .filter(|d| d.edges.len() == r.cells.len() + 1)
}

#[cfg(test)]
mod tests {
    use super::super::props::ParaProps;
    use super::*;

    fn chars(s: &str) -> Vec<Ch> {
        s.chars()
            .enumerate()
            .map(|(i, c)| Ch { c, fc: i as u32 })
            .collect()
    }

    fn texts(s: &str) -> Vec<String> {
        lines(&chars(s), &PropMap::default())
            .unwrap()
            .into_iter()
            .map(|l| l.shown())
            .collect()
    }

    #[test]
    fn without_property_pages_tables_are_refused_and_prose_is_read() {
        let doc = "标题\r名称\u{7}数量\u{7}\u{7}";
        assert!(matches!(
            lines(&chars(doc), &PropMap::default()),
            Err(DocError::Damaged(_))
        ));
        assert_eq!(
            texts("结尾\u{b}下一行\r后文"),
            vec!["结尾", "下一行", "后文"]
        );
    }

    /// Lines of `doc` where every character is in a table and those at `row_ends` end rows.
    fn table_texts(doc: &str, row_ends: &[u32]) -> Vec<String> {
        let runs = (0..doc.chars().count() as u32)
            .map(|i| {
                let p = ParaProps {
                    in_table: true,
                    row_end: row_ends.contains(&i),
                    row: None,
                };
                (i, i + 1, p)
            })
            .collect();
        lines(&chars(doc), &PropMap::from_runs(runs))
            .unwrap()
            .into_iter()
            .map(|l| l.shown())
            .collect()
    }

    #[test]
    fn cell_paragraphs_join_and_layout_tables_become_prose() {
        // a one-row table of long prose is a layout table
        let long = "很长的说明文字".repeat(30);
        let doc = format!("{long}\r第二段\u{7}\u{7}");
        let n = doc.chars().count() as u32;
        assert_eq!(table_texts(&doc, &[n - 1]), vec![long, "第二段".into()]);
        // a cell's paragraphs join; a row-end mark is told from an empty last cell
        let doc = "信息\r内容\u{7}1\u{7}\u{7}\u{7}规章\u{7}2\u{7}\u{7}\u{7}";
        assert_eq!(
            table_texts(doc, &[9, 16]),
            vec!["| 信息内容 | 1 |  |", "| 规章 | 2 |  |"]
        );
    }

    fn row(cells: &[&str], edges: &[i16], v_continued: &[bool]) -> Row {
        Row {
            cells: cells.iter().map(|c| vec![c.to_string()]).collect(),
            def: Some(RowDef {
                edges: edges.to_vec(),
                h_covered: vec![false; cells.len()],
                v_continued: v_continued.to_vec(),
            }),
        }
    }

    #[test]
    fn wide_cells_cover_grid_columns_and_merges_are_empty() {
        let rows = [
            row(&["a", "b", "c"], &[0, 100, 200, 300], &[false; 3]),
            // one cell over two grid columns, like gridSpan=2
            row(&["wide", "3"], &[0, 200, 300], &[false; 2]),
            // starts one column in (gridBefore) and continues a vertical merge
            row(&["x", "4"], &[100, 200, 300], &[true, false]),
        ];
        let mut g = grid(&rows);
        g.square();
        let mut out = Vec::new();
        g.emit(0, &mut out);
        let got: Vec<String> = out.iter().map(|l| l.shown()).collect();
        assert_eq!(got, vec!["| a | b | c |", "| wide | 3 |", "|  |  | 4 |"]);
    }
}
