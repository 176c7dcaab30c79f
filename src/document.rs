//! The one intermediate model between readers and the parser: table grids with their cells'
//! positions and where the grid came from.
//!
//! A reader that knows a table's grid (ruled PDF tables, HTML and DOCX cells, a borderless
//! table rebuilt from positions) hands it over as a `Grid`; `Grid::row_entries` gives a
//! row's cells by column, which travel as cells (`extract::Line::cells`) to the parser: no
//! row is ever flattened into text and split again.

/// How a grid was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // producers move to the grid one by one
pub(crate) enum Origin {
    /// Ruling lines drawn in a PDF.
    Ruled,
    /// Cells of HTML, DOCX or DOC markup.
    Markup,
    /// A markdown table.
    Markdown,
    /// A PDF table without rulings, rebuilt from the positions of its words.
    Borderless,
    /// A table in monospaced layout-mode text (`pdftotext -layout`), rebuilt from columns.
    LayoutText,
}

/// One cell of a grid.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GridCell {
    /// 0-based row.
    pub row: usize,
    /// 0-based column.
    pub col: usize,
    /// Rows the cell covers (at least 1).
    pub rowspan: usize,
    /// Columns the cell covers (at least 1).
    pub colspan: usize,
    /// The cell's text (empty for a blank cell).
    pub text: String,
    /// x0, y0, x1, y1 of the cell's words (PDF space, y up; text: column and line), when known.
    pub bbox: Option<[f32; 4]>,
}

/// A table grid: rows × columns of cells, each position covered by at most one cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grid {
    /// Where the grid came from.
    pub origin: Origin,
    /// Number of rows.
    pub rows: usize,
    /// Number of columns.
    pub cols: usize,
    /// The cells, row by row; positions covered by a span or left blank have no cell.
    pub cells: Vec<GridCell>,
    /// Box of each row (union of its cells' boxes).
    pub row_boxes: Vec<[f32; 4]>,
}

impl Grid {
    /// The cells of row `r` (cells are kept row by row, so this is a slice of them).
    pub fn row_cells(&self, r: usize) -> &[GridCell] {
        let from = self.cells.partition_point(|c| c.row < r);
        let to = self.cells.partition_point(|c| c.row <= r);
        &self.cells[from..to.max(from)]
    }

    /// Row `r` by column: each column's text and box, blank and covered positions empty
    /// (`""`, `None`). A printed `|` stays in its cell's text.
    pub fn row_entries(&self, r: usize) -> Vec<(String, Option<[f32; 4]>)> {
        let mut out = vec![(String::new(), None); self.cols];
        for c in self.row_cells(r) {
            if let Some(slot) = out.get_mut(c.col) {
                *slot = (c.text.clone(), c.bbox);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_entries_keep_blank_cells_in_place() {
        let cell = |row, col, text: &str| GridCell {
            row,
            col,
            rowspan: 1,
            colspan: 1,
            text: text.into(),
            bbox: None,
        };
        let g = Grid {
            origin: Origin::Borderless,
            rows: 2,
            cols: 4,
            cells: vec![
                cell(0, 0, "规章"),
                cell(0, 1, "0"),
                cell(0, 3, "2"),
                cell(1, 0, "a|b"),
            ],
            row_boxes: vec![[0.0; 4]; 2],
        };
        let texts = |r| -> Vec<String> { g.row_entries(r).into_iter().map(|e| e.0).collect() };
        assert_eq!(texts(0), vec!["规章", "0", "", "2"]);
        assert_eq!(texts(1), vec!["a|b", "", "", ""]);
    }
}
