//! The geometry layer shared by every positioned producer: words with boxes, visual lines,
//! and the tables rebuilt from where words sit.
//!
//! Producers: the PDF reader (glyphs → words) and the layout-mode text adapter
//! (`text`: character column → x, line → y); an OCR engine would be a third. Consumers:
//! `borderless` (tables without rulings). Coordinates are PDF-like: x grows to the right,
//! y grows upwards; a text line `i` sits at y = −i.

pub(crate) mod borderless;
pub(crate) mod header;
pub(crate) mod text;

/// A word: text without inner gaps, with its box.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    /// The text as printed.
    pub text: String,
    /// Left edge.
    pub x0: f32,
    /// Bottom edge.
    pub y0: f32,
    /// Right edge.
    pub x1: f32,
    /// Top edge.
    pub y1: f32,
    /// Em size (font size in PDF units; 1 for monospaced text).
    pub size: f32,
}

impl Word {
    /// Horizontal centre.
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) * 0.5
    }
}

/// A visual line: words left to right on one baseline.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct VLine {
    /// The words, left to right.
    pub words: Vec<Word>,
}

impl VLine {
    /// x0, y0, x1, y1 of all words.
    pub fn bbox(&self) -> [f32; 4] {
        bbox_of(self.words.iter())
    }

    /// Vertical centre.
    pub fn cy(&self) -> f32 {
        let b = self.bbox();
        (b[1] + b[3]) * 0.5
    }

    /// The largest em size on the line.
    pub fn em(&self) -> f32 {
        self.words
            .iter()
            .map(|w| w.size)
            .fold(0.0, f32::max)
            .max(0.1)
    }
}

/// Union of word boxes.
pub(crate) fn bbox_of<'a>(words: impl Iterator<Item = &'a Word>) -> [f32; 4] {
    let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for w in words {
        b[0] = b[0].min(w.x0);
        b[1] = b[1].min(w.y0);
        b[2] = b[2].max(w.x1);
        b[3] = b[3].max(w.y1);
    }
    if b[0] > b[2] {
        return [0.0; 4];
    }
    b
}

/// Positions grouped while each lies within its tolerance of the mean of the group before it
/// (`(position, tolerance)` pairs, in any order): the groups' means, ascending. Ruling lines
/// and column gaps are both clustered this way.
pub(crate) fn cluster_means(mut v: Vec<(f32, f32)>) -> Vec<f32> {
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f32, usize)> = Vec::new();
    for (x, tol) in v {
        match out.last_mut() {
            Some((sum, n)) if x - *sum / *n as f32 <= tol => {
                *sum += x;
                *n += 1;
            }
            _ => out.push((x, 1)),
        }
    }
    out.into_iter().map(|(sum, n)| sum / n as f32).collect()
}
