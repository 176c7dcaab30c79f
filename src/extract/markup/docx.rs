//! DOCX (Office Open XML) → text lines: paragraphs and tables of `word/document.xml`.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

pub use super::common::MarkupError;
use super::common::{normalize_ws, Grid, LineSink, MarkupText, MAX_COLS, MAX_DEPTH, MAX_SPAN};

/// Largest decompressed `word/document.xml` we accept.
pub const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;

/// OLE2 compound file (legacy .doc / .wps / .xls): magic `D0 CF 11 E0`.
pub fn is_legacy_office(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// Convert a DOCX file to text lines.
pub fn docx_to_text(bytes: &[u8]) -> Result<MarkupText, MarkupError> {
    if is_legacy_office(bytes) {
        return Err(MarkupError::LegacyBinary);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| MarkupError::BadDocx(format!("not a zip archive: {e}")))?;
    let path = main_part_path(&mut zip);
    let xml = read_entry(&mut zip, &path, MAX_DOCUMENT_XML)?;
    let root = parse_xml(&xml)?;
    let mut w = Walker::default();
    w.walk(&root, 0);
    w.sink.flush();
    Ok(MarkupText {
        lines: w.sink.lines,
        notes: Vec::new(),
        pictures: Vec::new(),
    })
}

fn main_part_path(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> String {
    const DEFAULT: &str = "word/document.xml";
    if zip.by_name(DEFAULT).is_ok() {
        return DEFAULT.to_string();
    }
    // follow the package relationship of type .../officeDocument
    let Ok(rels) = read_entry(zip, "_rels/.rels", 1 << 20) else {
        return DEFAULT.to_string();
    };
    let rels = String::from_utf8_lossy(&rels);
    for rel in rels.split("<Relationship").skip(1) {
        if !rel.contains("/officeDocument\"") && !rel.contains("/officeDocument'") {
            continue;
        }
        if let Some(i) = rel.find("Target=") {
            let rest = &rel[i + 7..];
            let q = rest.chars().next().unwrap_or('"');
            let rest = rest.get(1..).unwrap_or("");
            if let Some(end) = rest.find(q) {
                return rest[..end].trim_start_matches('/').to_string();
            }
        }
    }
    DEFAULT.to_string()
}

fn read_entry(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, MarkupError> {
    let file = zip
        .by_name(name)
        .map_err(|_| MarkupError::BadDocx(format!("no {name} in the archive")))?;
    if file.size() > limit {
        return Err(MarkupError::Limit(format!(
            "{name} decompresses to {} bytes (max {limit})",
            file.size()
        )));
    }
    let mut out = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| MarkupError::BadDocx(format!("cannot decompress {name}: {e}")))?;
    if out.len() as u64 > limit {
        return Err(MarkupError::Limit(format!(
            "{name} decompresses to more than {limit} bytes"
        )));
    }
    Ok(out)
}

// ---------------------------------------------------------------- a minimal element tree

#[derive(Debug, Default)]
struct XEl {
    /// local name (namespace prefix dropped): p, r, t, tbl, tr, tc, gridSpan, ...
    name: String,
    /// the `w:val` attribute, where present
    val: Option<String>,
    children: Vec<XNode>,
}

#[derive(Debug)]
enum XNode {
    El(XEl),
    Text(String),
}

impl XEl {
    fn elements(&self) -> impl Iterator<Item = &XEl> {
        self.children.iter().filter_map(|c| match c {
            XNode::El(e) => Some(e),
            XNode::Text(_) => None,
        })
    }
    fn child(&self, name: &str) -> Option<&XEl> {
        self.elements().find(|e| e.name == name)
    }
    /// Any descendant element named `name` (iterative).
    fn has_descendant(&self, name: &str) -> bool {
        let mut stack: Vec<&XEl> = self.elements().collect();
        while let Some(e) = stack.pop() {
            if e.name == name {
                return true;
            }
            stack.extend(e.elements());
        }
        false
    }
}

fn local(name: &[u8]) -> String {
    let l = match name.iter().rposition(|b| *b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    };
    String::from_utf8_lossy(l).into_owned()
}

fn start_el(e: &quick_xml::events::BytesStart<'_>) -> XEl {
    let name = local(e.name().as_ref());
    let mut val = None;
    for a in e.attributes().flatten() {
        if a.key.local_name().as_ref() == b"val" {
            val = Some(String::from_utf8_lossy(&a.value).into_owned());
        }
    }
    XEl {
        name,
        val,
        children: Vec::new(),
    }
}

/// Elements whose character data is document text.
fn keeps_text(name: &str) -> bool {
    name == "t"
}

fn parse_xml(xml: &[u8]) -> Result<XEl, MarkupError> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut stack: Vec<XEl> = vec![XEl {
        name: "#root".into(),
        ..Default::default()
    }];
    let mut overflow = 0usize; // elements ignored beyond MAX_DEPTH
    let mut buf = Vec::new();
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|e| {
            MarkupError::BadDocx(format!(
                "XML error at byte {}: {e}",
                reader.buffer_position()
            ))
        })?;
        match ev {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH || overflow > 0 {
                    overflow += 1;
                } else {
                    stack.push(start_el(&e));
                }
            }
            Event::Empty(e) if stack.len() <= MAX_DEPTH && overflow == 0 => {
                let el = start_el(&e);
                if let Some(top) = stack.last_mut() {
                    top.children.push(XNode::El(el));
                }
            }
            Event::End(_) => {
                if overflow > 0 {
                    overflow -= 1;
                } else if stack.len() > 1 {
                    if let Some(el) = stack.pop() {
                        if let Some(top) = stack.last_mut() {
                            top.children.push(XNode::El(el));
                        }
                    }
                }
            }
            Event::Text(t) => push_text(&mut stack, &String::from_utf8_lossy(&t)),
            Event::CData(t) => push_text(&mut stack, &String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match r.as_ref() {
                        b"amp" => "&".into(),
                        b"lt" => "<".into(),
                        b"gt" => ">".into(),
                        b"quot" => "\"".into(),
                        b"apos" => "'".into(),
                        _ => String::new(),
                    },
                };
                push_text(&mut stack, &s);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    // close unclosed elements (truncated XML)
    while stack.len() > 1 {
        if let Some(el) = stack.pop() {
            if let Some(top) = stack.last_mut() {
                top.children.push(XNode::El(el));
            }
        }
    }
    stack
        .pop()
        .ok_or_else(|| MarkupError::BadDocx("empty XML".into()))
}

fn push_text(stack: &mut [XEl], s: &str) {
    if let Some(top) = stack.last_mut() {
        if keeps_text(&top.name) && !s.is_empty() {
            match top.children.last_mut() {
                Some(XNode::Text(t)) => t.push_str(s),
                _ => top.children.push(XNode::Text(s.to_string())),
            }
        }
    }
}

// ---------------------------------------------------------------- the walk

/// Elements with no document text (properties, deleted text, field codes, the
/// fallback copy of alternate content, comments' anchors).
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "pPr"
            | "rPr"
            | "tblPr"
            | "tblGrid"
            | "trPr"
            | "tcPr"
            | "sectPr"
            | "del"
            | "delText"
            | "instrText"
            | "Fallback"
            | "commentReference"
            | "footnoteReference"
            | "endnoteReference"
            | "bookmarkStart"
            | "bookmarkEnd"
            | "proofErr"
            | "lastRenderedPageBreak"
            | "sdtPr"
            | "sdtEndPr"
            | "moveFrom"
            | "drawing"
            | "pict"
            | "object"
    )
}

#[derive(Default)]
struct Walker {
    sink: LineSink,
    tables: usize,
}

impl Walker {
    fn walk(&mut self, el: &XEl, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for c in &el.children {
            match c {
                XNode::Text(t) => self.sink.push_text(t),
                XNode::El(e) => self.element(e, depth + 1),
            }
        }
    }

    fn element(&mut self, e: &XEl, depth: usize) {
        match e.name.as_str() {
            n if is_skipped(n) => {}
            "p" | "tc" | "tr" | "txbxContent" => {
                self.sink.flush();
                self.walk(e, depth);
                self.sink.flush();
            }
            "tab" | "ptab" => self.sink.push_text(" "),
            "br" | "cr" => self.sink.flush(),
            "noBreakHyphen" => self.sink.push_text("-"),
            "tbl" => self.table(e, depth),
            _ => self.walk(e, depth),
        }
    }

    fn table(&mut self, t: &XEl, depth: usize) {
        self.sink.flush();
        if !t.has_descendant("tbl") {
            let mut grid = build_grid(t);
            grid.square();
            if grid.is_data() {
                grid.emit(self.tables, &mut self.sink.lines);
                self.tables += 1;
                return;
            }
        }
        // layout table: cells become prose, inner tables are handled by the walk
        self.walk(t, depth);
        self.sink.flush();
    }
}

/// Children named `name`, looking through content-control / custom-XML wrappers.
fn through_wrappers<'a>(el: &'a XEl, name: &str, out: &mut Vec<&'a XEl>, depth: usize) {
    for c in el.elements() {
        if c.name == name {
            out.push(c);
        } else if depth < 8
            && matches!(
                c.name.as_str(),
                "sdt" | "sdtContent" | "customXml" | "ins" | "moveTo"
            )
        {
            through_wrappers(c, name, out, depth + 1);
        }
    }
}

fn span_val(e: Option<&XEl>) -> usize {
    e.and_then(|e| e.val.as_deref())
        .and_then(|v| {
            v.trim()
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .take(6)
                .collect::<String>()
                .parse::<usize>()
                .ok()
        })
        .unwrap_or(1)
        .clamp(1, MAX_SPAN)
}

/// Grid of a table without nested tables: `w:gridSpan` → colspan (text in the first
/// position, the rest empty); `w:vMerge` continuation cells → empty.
fn build_grid(t: &XEl) -> Grid {
    let mut rows_el = Vec::new();
    through_wrappers(t, "tr", &mut rows_el, 0);
    let mut rows = Vec::with_capacity(rows_el.len());
    for tr in rows_el {
        let mut row: Vec<Option<String>> = Vec::new();
        let tr_pr = tr.child("trPr");
        if let Some(pr) = tr_pr {
            if pr.child("gridBefore").is_some() {
                let n = span_val(pr.child("gridBefore"));
                row.resize(n.min(MAX_COLS), Some(String::new()));
            }
        }
        let mut cells = Vec::new();
        through_wrappers(tr, "tc", &mut cells, 0);
        for tc in cells {
            if row.len() >= MAX_COLS {
                break;
            }
            let pr = tc.child("tcPr");
            let span = span_val(pr.and_then(|p| p.child("gridSpan"))).min(MAX_COLS - row.len());
            let continued = pr
                .and_then(|p| p.child("vMerge"))
                .is_some_and(|v| v.val.as_deref() != Some("restart"));
            let text = if continued {
                String::new()
            } else {
                cell_text(tc)
            };
            row.push(Some(text));
            // positions covered by the span
            row.extend(std::iter::repeat_n(None, span.saturating_sub(1)));
        }
        rows.push(row);
    }
    Grid { rows }
}

/// A cell's text on one line (paragraphs, breaks and tabs become whitespace, collapsed).
fn cell_text(tc: &XEl) -> String {
    let mut raw = String::new();
    let mut stack: Vec<&XNode> = tc.children.iter().rev().collect();
    // iterative pre-order walk; paragraph ends are marked by pushing a space before each p
    while let Some(n) = stack.pop() {
        match n {
            XNode::Text(t) => raw.push_str(t),
            XNode::El(e) => match e.name.as_str() {
                n if is_skipped(n) => {}
                "tab" | "ptab" | "br" | "cr" => raw.push(' '),
                "noBreakHyphen" => raw.push('-'),
                name => {
                    if name == "p" {
                        raw.push(' ');
                    }
                    stack.extend(e.children.iter().rev());
                }
            },
        }
    }
    normalize_ws(&raw)
}
