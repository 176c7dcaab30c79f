//! HTML (portal pages, Word-exported HTML, bare fragments) → text lines.

use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::common::{
    normalize_ws, Grid, LineSink, MarkupText, Picture, MAX_COLS, MAX_DEPTH, MAX_SPAN,
};

/// Convert an HTML page or fragment to text lines. Never fails.
pub fn html_to_text(bytes: &[u8]) -> MarkupText {
    let mut notes = Vec::new();
    let text = decode(bytes, &mut notes);
    // A page of very many tags has its inline formatting tags (`<span>`, `<font>`, …)
    // dropped before the tree builder: they carry no structure this reader uses.
    let strip_inline = text.bytes().filter(|&c| c == b'<').count() > MAX_TAGS;
    let text = match flatten_deep(&text, MAX_NESTING, strip_inline) {
        Some(flat) => {
            notes.push(format!(
                "HTML nested more than {MAX_NESTING} elements deep, with more than {MAX_TAGS} tags or \
                 {MAX_MISNESTED} misnested formatting tags: deeper (or inline formatting) tags \
                 were dropped, their text kept"
            ));
            flat
        }
        None => text,
    };
    let doc = Html::parse_document(&text);
    let mut lens = HashMap::new();
    let top = doc.tree.root();
    text_len(top, 0, &mut lens);
    let body = find_element(top, "body").unwrap_or(top);
    let root = find_content_root(body, &lens);

    let mut w = Walker {
        sink: LineSink::default(),
        tables: 0,
        cells_left: MAX_GRID_CELLS,
        grid_note: false,
        lens: &lens,
        root_len: len_of(&lens, root),
        pictures: Vec::new(),
    };
    if root.id() != body.id() {
        if let Some(title) = find_title(top, root, &lens) {
            w.sink.push_text(&title);
            w.sink.flush();
        }
    }
    w.walk(root, 0);
    w.sink.flush();
    if w.grid_note {
        notes.push(format!(
            "tables hold more than {MAX_GRID_CELLS} grid cells (after spans) in all: the rest were read as text"
        ));
    }
    let mut lines = w.sink.lines;
    let mut pictures = w.pictures;
    // the title line recovered from outside the root may duplicate the root's first line
    if lines.len() >= 2 && lines[0].table_pos.is_none() && lines[0].text == lines[1].text {
        lines.remove(0);
        for p in &mut pictures {
            p.line = p.line.saturating_sub(1);
        }
    }
    MarkupText {
        lines,
        notes,
        pictures,
    }
}

// ---------------------------------------------------------------- nesting bound

/// Deepest element nesting handed to the HTML tree builder (whose work grows with the
/// depth of the open-element stack: 100,000 nested `<div>`s take seconds).
pub const MAX_NESTING: usize = 512;

/// Tags in a page past which inline formatting tags are dropped before the tree builder.
pub const MAX_TAGS: usize = 200_000;

/// Misnested inline formatting (`<a><b>x</a>`, `<p><b>x</p>`) the tree builder reopens
/// and re-adopts, at a cost growing with how much is open: past this many end tags that
/// close formatting elements they did not open, inline formatting tags are dropped.
pub const MAX_MISNESTED: usize = 2_000;

/// Inline formatting: the reader walks through these without a line break.
fn is_inline_format(name: &str) -> bool {
    matches!(
        name,
        "span"
            | "font"
            | "b"
            | "i"
            | "u"
            | "em"
            | "strong"
            | "a"
            | "small"
            | "big"
            | "sub"
            | "sup"
            | "s"
            | "strike"
            | "ins"
            | "del"
            | "abbr"
            | "label"
            | "cite"
            | "code"
            | "kbd"
            | "mark"
            | "q"
            | "tt"
            | "var"
            | "nobr"
    )
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "basefont"
            | "frame"
    )
}

/// A cheap linear pass over the markup that tracks the open-element stack roughly as the
/// tree builder would (void elements, `/>`, the end tags implied by `<li>`, `<dt>`/`<dd>`,
/// `<tr>`/`<td>`/`<th>` and a block after `<p>`); start tags opened deeper than `limit`
/// are dropped with their end tags, their text kept; with `strip_inline`, inline formatting
/// tags are dropped too. `None` when nothing was dropped.
pub fn flatten_deep(text: &str, limit: usize, strip_inline: bool) -> Option<String> {
    let b = text.as_bytes();
    let n = b.len();
    let mut stack: Vec<String> = Vec::new();
    let mut dropped: HashMap<String, usize> = HashMap::new();
    let mut out: Option<String> = None;
    // Bytes before `copied` are already in `out` (when it exists).
    let mut copied = 0usize;
    let mut i = 0usize;
    let lower_name = |from: usize| -> (String, usize) {
        let mut j = from;
        while j < n
            && (b[j].is_ascii_alphanumeric() || b[j] == b':' || b[j] == b'-' || b[j] == b'_')
        {
            j += 1;
        }
        (text.get(from..j).unwrap_or("").to_ascii_lowercase(), j)
    };
    // End of a tag starting at `from`: after its `>` (quotes respected), and whether it
    // ends with `/>`.
    let tag_end = |from: usize| -> (usize, bool) {
        let mut j = from;
        let mut quote = 0u8;
        while j < n {
            let c = b[j];
            if quote != 0 {
                if c == quote {
                    quote = 0;
                }
            } else if c == b'"' || c == b'\'' {
                quote = c;
            } else if c == b'>' {
                return (j + 1, j > from && b[j - 1] == b'/');
            }
            j += 1;
        }
        (n, false)
    };
    let mut misnested = 0usize;
    let find_from = |from: usize, pat: &[u8]| -> usize {
        b.get(from..)
            .and_then(|r| {
                r.windows(pat.len())
                    .position(|w| w.eq_ignore_ascii_case(pat))
            })
            .map_or(n, |p| from + p)
    };
    while i < n {
        let Some(p) = b[i..].iter().position(|&c| c == b'<') else {
            break;
        };
        let lt = i + p;
        let next = b.get(lt + 1).copied().unwrap_or(0);
        if b.get(lt + 1..lt + 4) == Some(b"!--") {
            i = find_from(lt + 4, b"-->").saturating_add(3).min(n);
            continue;
        }
        if next == b'!' || next == b'?' {
            i = tag_end(lt + 1).0;
            continue;
        }
        let close = next == b'/';
        let name_at = if close { lt + 2 } else { lt + 1 };
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let (name, after_name) = lower_name(name_at);
        let (end, self_closing) = tag_end(after_name);
        let mut drop = false;
        if strip_inline && is_inline_format(&name) {
            drop = true;
        } else if close {
            if let Some(c) = dropped.get_mut(&name).filter(|c| **c > 0) {
                *c -= 1;
                drop = true;
            } else if let Some(k) = stack.iter().rev().take(64).position(|s| *s == name) {
                let keep = stack.len() - 1 - k;
                if stack
                    .get(keep + 1..)
                    .is_some_and(|above| above.iter().any(|s| is_inline_format(s)))
                {
                    misnested += 1;
                    if !strip_inline && misnested > MAX_MISNESTED {
                        return flatten_deep(text, limit, true);
                    }
                }
                stack.truncate(keep);
            }
        } else if !is_void(&name) && !self_closing {
            // End tags the tree builder would imply.
            let implied: &[&str] = match name.as_str() {
                "li" => &["li"],
                "dt" | "dd" => &["dt", "dd"],
                "tr" => &["tr"],
                "td" | "th" => &["td", "th"],
                _ => &[],
            };
            let stops: &[&str] = match name.as_str() {
                "li" => &["ul", "ol", "menu"],
                "dt" | "dd" => &["dl"],
                "tr" => &["table", "tbody", "thead", "tfoot"],
                "td" | "th" => &["tr", "table"],
                _ => &[],
            };
            if !implied.is_empty() {
                for k in (stack.len().saturating_sub(16)..stack.len()).rev() {
                    let s = stack[k].as_str();
                    if implied.contains(&s) {
                        stack.truncate(k);
                        break;
                    }
                    if stops.contains(&s) {
                        break;
                    }
                }
            }
            if is_block(&name) && stack.last().is_some_and(|s| s == "p") {
                stack.pop();
            }
            if stack.len() >= limit {
                drop = true;
                *dropped.entry(name.clone()).or_insert(0) += 1;
            } else {
                stack.push(name.clone());
            }
        }
        if drop {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(text.get(copied..lt).unwrap_or(""));
            copied = end;
        }
        i = end;
        // Raw text: no tags inside.
        if !close
            && !self_closing
            && matches!(
                name.as_str(),
                "script" | "style" | "textarea" | "title" | "xmp"
            )
        {
            let pat = format!("</{name}");
            i = find_from(end, pat.as_bytes());
        }
    }
    let mut o = out?;
    o.push_str(text.get(copied..).unwrap_or(""));
    Some(o)
}

// ---------------------------------------------------------------- decoding

fn decode(bytes: &[u8], notes: &mut Vec<String>) -> String {
    use encoding_rs::{Encoding, GB18030, GBK, UTF_8};
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (s, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            notes.push(format!("malformed {} byte sequences replaced", enc.name()));
        }
        return s.into_owned();
    }
    let utf8_ok = std::str::from_utf8(bytes).is_ok();
    let declared =
        sniff_charset(bytes).and_then(|l| Encoding::for_label(l.as_bytes()).map(|e| (l, e)));
    let enc = match declared {
        Some((label, enc)) => {
            // UTF-16 labels in a byte-oriented meta are bogus (HTML spec: treat as UTF-8).
            let enc = if enc.name().starts_with("UTF-16") {
                UTF_8
            } else {
                enc
            };
            let enc =
                if enc == GBK || enc == GB18030 || label.to_ascii_lowercase().contains("gb2312") {
                    GB18030
                } else {
                    enc
                };
            if enc == UTF_8 && !utf8_ok {
                let (_, _, gb_err) = GB18030.decode(bytes);
                if !gb_err {
                    notes.push(format!(
                        "declared charset {label} but bytes are not UTF-8: decoded as GB18030"
                    ));
                    GB18030
                } else {
                    UTF_8
                }
            } else if enc != UTF_8 && utf8_ok && !bytes.is_ascii() {
                notes.push(format!(
                    "declared charset {label} but bytes are valid UTF-8: decoded as UTF-8"
                ));
                UTF_8
            } else {
                enc
            }
        }
        None => {
            if utf8_ok {
                UTF_8
            } else {
                notes.push("encoding guessed as GBK (no charset declared)".to_string());
                GB18030
            }
        }
    };
    let (s, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        notes.push(format!("malformed {} byte sequences replaced", enc.name()));
    }
    s.into_owned()
}

/// Find a charset label in `<meta charset>`, `<meta http-equiv content="...charset=...">`
/// or an XML declaration, within the first 8 KiB.
fn sniff_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(8192)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut pos = 0;
    while let Some(i) = find(&lower[pos..], b"<meta").map(|i| i + pos) {
        let end = find(&lower[i..], b">")
            .map(|e| e + i)
            .unwrap_or(lower.len());
        if let Some(label) = charset_in(&lower[i..end]) {
            return Some(label);
        }
        pos = i + 5;
    }
    if lower.starts_with(b"<?xml") {
        let end = find(&lower, b"?>").unwrap_or(lower.len());
        let tag = &lower[..end];
        if let Some(j) = find(tag, b"encoding") {
            return label_after(&tag[j + 8..]);
        }
    }
    None
}

fn charset_in(tag: &[u8]) -> Option<String> {
    let j = find(tag, b"charset")?;
    label_after(&tag[j + 7..])
}

fn label_after(rest: &[u8]) -> Option<String> {
    let mut k = 0;
    while k < rest.len()
        && (rest[k] == b' ' || rest[k] == b'\t' || rest[k] == b'\n' || rest[k] == b'\r')
    {
        k += 1;
    }
    if rest.get(k) != Some(&b'=') {
        return None;
    }
    k += 1;
    while k < rest.len() && matches!(rest[k], b' ' | b'\t' | b'"' | b'\'' | b'\n' | b'\r') {
        k += 1;
    }
    let start = k;
    while k < rest.len()
        && (rest[k].is_ascii_alphanumeric() || matches!(rest[k], b'-' | b'_' | b':' | b'.'))
    {
        k += 1;
    }
    if k > start {
        std::str::from_utf8(&rest[start..k])
            .ok()
            .map(|s| s.to_string())
    } else {
        None
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------- element classes

/// Elements whose content is never text of the report.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "canvas"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "nav"
            | "xml"
            | "audio"
            | "video"
            | "map"
    ) || name == "o:p"
        || name.starts_with("v:")
        || name.starts_with("w:")
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "main"
            | "blockquote"
            | "pre"
            | "center"
            | "form"
            | "fieldset"
            | "address"
            | "figure"
            | "figcaption"
            | "hr"
            | "caption"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "body"
            | "html"
            | "legend"
            | "details"
            | "summary"
            | "menu"
            | "dir"
            | "listing"
            | "xmp"
            | "plaintext"
    )
}

/// Page furniture recognised by class/id (only dropped when small relative to the content).
fn is_furniture_name(e: &scraper::node::Element) -> bool {
    const PATTERNS: &[&str] = &[
        "nav",
        "breadcrumb",
        "crumb",
        "share",
        "footer",
        "bdshare",
        "fenxiang",
        "location",
        "position",
        "toolbar",
        "sidebar",
        "related",
        "comment",
        "copyright",
        "wzdh",
        "dqwz",
    ];
    names_match(e, PATTERNS)
}

/// Whether the element's class or id contains one of `patterns` (ASCII case-insensitive).
fn names_match(e: &scraper::node::Element, patterns: &[&str]) -> bool {
    let names = format!(
        "{} {}",
        e.attr("class").unwrap_or(""),
        e.attr("id").unwrap_or("")
    )
    .to_ascii_lowercase();
    patterns.iter().any(|p| names.contains(p))
}

fn is_content_name(e: &scraper::node::Element) -> bool {
    const PATTERNS: &[&str] = &[
        "content",
        "article",
        "trs_editor",
        "zoom",
        "detail",
        "zhengwen",
        "maintext",
        "main-text",
        "news_text",
        "wzcon",
    ];
    names_match(e, PATTERNS) && !is_furniture_name(e)
}

fn elem_name<'a>(n: &NodeRef<'a, Node>) -> Option<&'a str> {
    match n.value() {
        Node::Element(e) => Some(e.name()),
        _ => None,
    }
}

// ---------------------------------------------------------------- text lengths and the content root

/// Character count of visible text under `n` (memoised per node).
fn text_len(n: NodeRef<'_, Node>, depth: usize, lens: &mut HashMap<NodeId, usize>) -> usize {
    let l = match n.value() {
        Node::Text(t) => t.chars().filter(|c| !super::common::is_ws(*c)).count(),
        Node::Element(e) if is_skipped(e.name()) => 0,
        Node::Element(_) | Node::Document | Node::Fragment => {
            if depth > MAX_DEPTH {
                n.descendants()
                    .filter_map(|d| match d.value() {
                        Node::Text(t) => {
                            Some(t.chars().filter(|c| !super::common::is_ws(*c)).count())
                        }
                        _ => None,
                    })
                    .sum()
            } else {
                n.children().map(|c| text_len(c, depth + 1, lens)).sum()
            }
        }
        _ => 0,
    };
    lens.insert(n.id(), l);
    l
}

fn len_of(lens: &HashMap<NodeId, usize>, n: NodeRef<'_, Node>) -> usize {
    lens.get(&n.id()).copied().unwrap_or(0)
}

fn find_element<'a>(n: NodeRef<'a, Node>, name: &str) -> Option<NodeRef<'a, Node>> {
    n.descendants().find(|d| elem_name(d) == Some(name))
}

fn find_content_root<'a>(
    body: NodeRef<'a, Node>,
    lens: &HashMap<NodeId, usize>,
) -> NodeRef<'a, Node> {
    let total = len_of(lens, body);
    if total == 0 {
        return body;
    }
    // 1. elements named like a content container holding at least half of the text
    let cands: Vec<NodeRef<'a, Node>> = body
        .descendants()
        .filter(|d| match d.value() {
            Node::Element(e) => {
                is_content_name(e) && !is_skipped(e.name()) && len_of(lens, *d) * 2 >= total
            }
            _ => false,
        })
        .collect();
    if let Some(max) = cands.iter().map(|c| len_of(lens, *c)).max() {
        // the tightest one that still holds (almost) all of the biggest one's text
        if let Some(best) = cands
            .iter()
            .filter(|c| len_of(lens, **c) * 100 >= max * 95)
            .min_by_key(|c| len_of(lens, **c))
        {
            return *best;
        }
    }
    // 2. descend while one child holds most of the text
    let mut cur = body;
    for _ in 0..MAX_DEPTH {
        let l = len_of(lens, cur);
        let best = cur
            .children()
            .filter(|c| matches!(c.value(), Node::Element(_)))
            .max_by_key(|c| len_of(lens, *c));
        match best {
            Some(b) if len_of(lens, b) * 10 >= l * 8 && l > 0 => {
                let name = elem_name(&b).unwrap_or("");
                if matches!(
                    name,
                    "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th"
                ) && !is_layout_table_part(b, lens)
                {
                    break;
                }
                cur = b;
            }
            _ => break,
        }
    }
    cur
}

/// For a table part, is the enclosing table a layout table (nested table or a long prose cell)?
fn is_layout_table_part(n: NodeRef<'_, Node>, lens: &HashMap<NodeId, usize>) -> bool {
    let table = if elem_name(&n) == Some("table") {
        Some(n)
    } else {
        n.ancestors().find(|a| elem_name(a) == Some("table"))
    };
    let Some(t) = table else { return true };
    t.descendants().skip(1).any(|d| match elem_name(&d) {
        Some("table") => true,
        Some("td") | Some("th") => len_of(lens, d) > 200,
        _ => false,
    })
}

/// A report title outside the chosen content root (h1..h3, or an element named *title*,
/// or the page <title>), containing 报告.
fn find_title(
    top: NodeRef<'_, Node>,
    root: NodeRef<'_, Node>,
    lens: &HashMap<NodeId, usize>,
) -> Option<String> {
    let root_id = root.id();
    let mut page_title = None;
    for d in top.descendants() {
        let Node::Element(e) = d.value() else {
            continue;
        };
        let name = e.name();
        if name == "title" && page_title.is_none() {
            page_title = Some(normalize_ws(
                &d.descendants()
                    .filter_map(|x| x.value().as_text().map(|t| t.to_string()))
                    .collect::<String>(),
            ));
            continue;
        }
        if d.id() == root_id {
            break; // only look before the content
        }
        if d.ancestors().any(|a| a.id() == root_id) {
            continue;
        }
        let cls = format!(
            "{} {}",
            e.attr("class").unwrap_or(""),
            e.attr("id").unwrap_or("")
        )
        .to_ascii_lowercase();
        let heading =
            matches!(name, "h1" | "h2" | "h3") || cls.contains("title") || cls.contains("biaoti");
        let l = len_of(lens, d);
        if heading && l > 0 && l <= 120 {
            let t = collect_cell_text(d, 0);
            if t.contains("报告") {
                return Some(t);
            }
        }
    }
    page_title.filter(|t| t.contains("报告"))
}

// ---------------------------------------------------------------- the walk

/// Pictures noted in one page (beyond it, `<img>`s are ignored).
pub const MAX_PICTURES: usize = 200;

/// Grid positions (rows × columns after rowspan/colspan) of all the tables of one page.
pub const MAX_GRID_CELLS: usize = 1_000_000;

struct Walker<'l> {
    sink: LineSink,
    tables: usize,
    /// What is left of [`MAX_GRID_CELLS`].
    cells_left: usize,
    /// Whether a table was read as text for want of grid cells.
    grid_note: bool,
    lens: &'l HashMap<NodeId, usize>,
    root_len: usize,
    /// `<img>`s met, with the line their OCR'd lines go before.
    pictures: Vec<Picture>,
}

impl Walker<'_> {
    fn walk(&mut self, n: NodeRef<'_, Node>, depth: usize) {
        match n.value() {
            Node::Text(t) => self.sink.push_text(t),
            Node::Document | Node::Fragment => {
                for c in n.children() {
                    self.walk(c, depth + 1);
                }
            }
            Node::Element(e) => {
                let name = e.name();
                if is_skipped(name) {
                    return;
                }
                if is_furniture_name(e) {
                    let l = len_of(self.lens, n);
                    if l * 10 < self.root_len
                        && !n.descendants().any(|d| elem_name(&d) == Some("table"))
                    {
                        return;
                    }
                }
                if depth > MAX_DEPTH {
                    self.sink.push_text(&collect_cell_text(n, depth));
                    return;
                }
                match name {
                    "br" => self.sink.flush(),
                    "img" => self.picture(e),
                    "table" => self.table(n, depth),
                    _ if is_block(name) => {
                        self.sink.flush();
                        for c in n.children() {
                            self.walk(c, depth + 1);
                        }
                        self.sink.flush();
                    }
                    _ => {
                        for c in n.children() {
                            self.walk(c, depth + 1);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Notes where a picture stands. Lazy-loading pages keep the real address in a `data-`
    /// attribute and a placeholder in `src`.
    fn picture(&mut self, e: &scraper::node::Element) {
        let src = ["data-src", "data-original", "_src", "src"]
            .iter()
            .filter_map(|a| e.attr(a))
            .map(str::trim)
            .find(|s| !s.is_empty());
        let Some(src) = src else { return };
        if self.pictures.len() >= MAX_PICTURES {
            return;
        }
        // an inline picture (an icon in a sentence) does not break the paragraph: its lines
        // go after it
        let pending = !normalize_ws(&self.sink.buf).is_empty();
        self.pictures.push(Picture {
            line: self.sink.lines.len() + usize::from(pending),
            src: src.to_string(),
        });
    }

    fn table(&mut self, t: NodeRef<'_, Node>, depth: usize) {
        self.sink.flush();
        let nested = t
            .descendants()
            .skip(1)
            .any(|d| elem_name(&d) == Some("table"));
        if !nested {
            let Some((mut grid, caption)) = build_grid(t, depth, self.cells_left) else {
                self.grid_note = true;
                self.cells_left = 0;
                for c in t.children() {
                    self.walk(c, depth + 1);
                }
                self.sink.flush();
                return;
            };
            grid.square();
            self.cells_left = self
                .cells_left
                .saturating_sub(grid.rows.len().saturating_mul(grid.width()));
            if grid.is_data() {
                if let Some(c) = caption {
                    self.sink.push_text(&c);
                    self.sink.flush();
                }
                grid.emit(self.tables, &mut self.sink.lines);
                self.tables += 1;
                return;
            }
        }
        // layout table: flatten, each cell becomes prose; inner tables are handled by the walk
        for c in t.children() {
            self.walk(c, depth + 1);
        }
        self.sink.flush();
    }
}

/// The rows (`tr`) of a table, not those of nested tables.
fn table_rows<'a>(t: NodeRef<'a, Node>) -> Vec<NodeRef<'a, Node>> {
    let mut rows = Vec::new();
    for c in t.children() {
        match elem_name(&c) {
            Some("tr") => rows.push(c),
            Some("thead") | Some("tbody") | Some("tfoot") => {
                rows.extend(c.children().filter(|r| elem_name(r) == Some("tr")));
            }
            _ => {}
        }
    }
    rows
}

fn span_attr(e: &scraper::node::Element, name: &str) -> Option<usize> {
    let v = e.attr(name)?.trim();
    let digits: String = v
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .take(6)
        .collect();
    digits.parse().ok()
}

/// Expand rowspan/colspan into a full grid. A spanned cell's text sits in its top-left
/// position; the other covered positions are empty. `None` when the grid, squared, would
/// hold more than `max_cells` positions.
fn build_grid(
    t: NodeRef<'_, Node>,
    depth: usize,
    max_cells: usize,
) -> Option<(Grid, Option<String>)> {
    let caption = t
        .children()
        .find(|c| elem_name(c) == Some("caption"))
        .map(|c| collect_cell_text(c, depth))
        .filter(|s| !s.is_empty());
    let rows = table_rows(t);
    let nrows = rows.len();
    // `None`: not yet filled; `Some(None)`: covered by a colspan
    let mut grid: Vec<Vec<Option<Option<String>>>> = vec![Vec::new(); nrows];
    let mut budget: usize = 4_000_000; // positions written, guards against span bombs
    let mut width = 0usize;
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0usize;
        for cell in row.children() {
            let Node::Element(e) = cell.value() else {
                continue;
            };
            if !matches!(e.name(), "td" | "th") {
                continue;
            }
            while grid[r].get(c).is_some_and(|x| x.is_some()) {
                c += 1;
            }
            if c >= MAX_COLS {
                break;
            }
            let text = collect_cell_text(cell, depth + 1);
            let cs = span_attr(e, "colspan")
                .unwrap_or(1)
                .clamp(1, MAX_SPAN)
                .min(MAX_COLS - c);
            let rs = match span_attr(e, "rowspan") {
                Some(0) => nrows - r,
                Some(n) => n,
                None => 1,
            }
            .clamp(1, MAX_SPAN)
            .min(nrows - r);
            let (cs, rs) = if cs * rs > budget { (1, 1) } else { (cs, rs) };
            budget = budget.saturating_sub(cs * rs);
            width = width.max(c + cs);
            if nrows.saturating_mul(width) > max_cells {
                return None;
            }
            for dr in 0..rs {
                let line = &mut grid[r + dr];
                if line.len() < c + cs {
                    line.resize(c + cs, None);
                }
                for dc in 0..cs {
                    if line[c + dc].is_none() {
                        line[c + dc] = Some(match (dr, dc) {
                            (0, 0) => Some(text.clone()),
                            (_, 0) => Some(String::new()),
                            _ => None, // covered by the colspan
                        });
                    }
                }
            }
            c += cs;
        }
    }
    let rows = grid
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|c| c.unwrap_or(Some(String::new())))
                .collect()
        })
        .collect();
    Some((Grid { rows }, caption))
}

/// A cell's (or any element's) text on one line: `<br>`, blocks and whitespace collapse to
/// nothing between CJK characters and to one space elsewhere.
fn collect_cell_text(n: NodeRef<'_, Node>, _depth: usize) -> String {
    let mut raw = String::new();
    // iterative walk: edges give open/close events
    let mut skip_until: Option<NodeId> = None;
    for edge in n.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(x) => {
                if skip_until.is_some() {
                    continue;
                }
                match x.value() {
                    Node::Text(t) => raw.push_str(t),
                    Node::Element(e) => {
                        if is_skipped(e.name()) {
                            skip_until = Some(x.id());
                        } else if e.name() == "br" || is_block(e.name()) {
                            raw.push(' ');
                        }
                    }
                    _ => {}
                }
            }
            ego_tree::iter::Edge::Close(x) => {
                if skip_until == Some(x.id()) {
                    skip_until = None;
                } else if skip_until.is_none() {
                    if let Some(name) = elem_name(&x) {
                        if is_block(name) {
                            raw.push(' ');
                        }
                    }
                }
            }
        }
    }
    normalize_ws(&raw)
}
