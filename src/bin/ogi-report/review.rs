//! `ogi-report review PATHS --html FILE`: one self-contained page for a batch (no network:
//! CSS, script and pictures inline). A summary table of every report, then per report the
//! three tables drawn as the template with each cell's value (flagged cells marked, their
//! diagnostics on hover and click), the narrative checks' quotes, the year-over-year
//! findings and deltas, and for positioned inputs (PDF) a picture of the table cells as
//! placed on the page, flagged cells boxed. Every report element has `data-file`, every
//! cell `data-key`.

use ogi_report::export::{CellStatus, LongRow};
use ogi_report::{schema, Code, Diagnostic, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::batch::{self, Entry, Outcome};
use crate::worker::Parsed;

/// Escapes text for HTML element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #bbb;padding:2px 6px;font-size:13px}
th{background:#f2f2f2;text-align:left;font-weight:normal}
td.v{text-align:right;min-width:2.5em}
td.blank{color:#999}
td.missing{background:#eee;color:#999}
td.flag-warning{background:#fff3b0;cursor:pointer}
td.flag-error{background:#ffc9c9;cursor:pointer}
td.flag-info{background:#e3f2fd}
.summary td.bad{color:#b00}
section.report{border-top:2px solid #555;margin-top:2em;padding-top:.5em}
.diags li.warning{color:#8a6d00}.diags li.error{color:#b00}.diags li.info{color:#456}
.panel{position:fixed;right:1em;bottom:1em;max-width:40em;background:#fff;border:1px solid #888;padding:.6em;box-shadow:0 2px 8px #0003;font-size:13px;display:none}
.quote{background:#f7f7f7;border-left:3px solid #999;padding:.2em .6em;margin:.3em 0}
.quote.mismatch{border-color:#d00}
svg text{font-size:9px}
"#;

const SCRIPT: &str = r#"
(function(){
  var panel=document.createElement('div');panel.className='panel';panel.id='diag-panel';
  document.body.appendChild(panel);
  document.querySelectorAll('td[data-diags]').forEach(function(td){
    td.addEventListener('click',function(){
      panel.textContent='';
      var h=document.createElement('b');h.textContent=td.getAttribute('data-key');panel.appendChild(h);
      td.getAttribute('data-diags').split('\n').forEach(function(m){
        var p=document.createElement('div');p.className='panel-line';p.textContent=m;panel.appendChild(p);
      });
      panel.style.display='block';
    });
  });
  document.querySelectorAll('section.report').forEach(function(s){
    var n=s.querySelectorAll('td[data-diags]').length;
    var b=document.createElement('span');b.className='flag-count';
    b.textContent=' — '+n+' flagged cells';
    var h=s.querySelector('h2');if(h){h.appendChild(b);}
  });
  document.body.setAttribute('data-ready','1');
})();
"#;

/// The diagnostics naming each cell.
fn by_cell(diags: &[Diagnostic]) -> BTreeMap<&str, Vec<&Diagnostic>> {
    let mut m: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diags {
        for c in &d.cells {
            m.entry(c.as_str()).or_default().push(d);
        }
    }
    m
}

fn cell_class(status: CellStatus, worst: Option<Severity>) -> &'static str {
    match worst {
        Some(Severity::Error) => "v flag-error",
        Some(Severity::Warning) => "v flag-warning",
        Some(Severity::Info) => "v flag-info",
        None => match status {
            CellStatus::NotFound => "v missing",
            CellStatus::Blank | CellStatus::Dash => "v blank",
            _ => "v",
        },
    }
}

fn shown(r: &LongRow) -> String {
    match (&r.value, &r.raw) {
        (Some(v), _) => v.clone(),
        (None, Some(raw)) if raw.is_empty() => "□".into(),
        (None, Some(raw)) => raw.clone(),
        (None, None) => "?".into(),
    }
}

/// The three tables drawn as the template: one row per template row, one cell per column.
fn tables(html: &mut String, p: &Parsed, prev: Option<&Parsed>) {
    let cells: BTreeMap<&str, &LongRow> = p.long.iter().map(|r| (r.key.as_str(), r)).collect();
    let prev_cells: BTreeMap<&str, &LongRow> = prev
        .map(|q| q.long.iter().map(|r| (r.key.as_str(), r)).collect())
        .unwrap_or_default();
    let flagged = by_cell(&p.diagnostics);
    for t in schema::TABLES {
        let mut body = String::new();
        let mut header: Option<Vec<&str>> = None;
        for spec in t.rows {
            let keys = spec.cell_keys(t.key);
            let present: Vec<&LongRow> = keys
                .iter()
                .filter_map(|k| cells.get(k.as_str()).copied())
                .filter(|r| r.status != CellStatus::NotInTemplate)
                .collect();
            if present.len() != keys.len() {
                continue; // the other template version's row (or a duplicate key)
            }
            let cols: Vec<&str> = spec.columns.iter().map(|c| c.label).collect();
            if header.as_ref() != Some(&cols) {
                let _ = write!(body, "<tr><th></th>");
                for c in &cols {
                    let _ = write!(body, "<th>{}</th>", esc(c));
                }
                body.push_str("</tr>");
                header = Some(cols);
            }
            let _ = write!(body, "<tr><th>{}</th>", esc(spec.label));
            for r in present {
                let ds = flagged.get(r.key.as_str());
                let worst = ds.and_then(|ds| ds.iter().map(|d| d.severity).max());
                let _ = write!(
                    body,
                    "<td class=\"{}\" data-key=\"{}\"",
                    cell_class(r.status, worst),
                    esc(&r.key)
                );
                if let Some(ds) = ds {
                    let msgs: Vec<String> = ds
                        .iter()
                        .map(|d| format!("{}[{}]: {}", d.severity, d.code, d.message))
                        .collect();
                    let joined = msgs.join("\n");
                    let _ = write!(
                        body,
                        " title=\"{}\" data-diags=\"{}\"",
                        esc(&joined),
                        esc(&joined)
                    );
                }
                let mut text = esc(&shown(r));
                if let (Some(v), Some(q)) = (
                    r.value.as_deref().and_then(|v| v.parse::<f64>().ok()),
                    prev_cells
                        .get(r.key.as_str())
                        .and_then(|q| q.value.as_deref())
                        .and_then(|v| v.parse::<f64>().ok()),
                ) {
                    if (v - q).abs() > f64::EPSILON && r.key.ends_with(".total") {
                        let _ = write!(
                            text,
                            " <small title=\"change from last year\">({:+})</small>",
                            v - q
                        );
                    }
                }
                let _ = write!(body, ">{text}</td>");
            }
            body.push_str("</tr>");
        }
        if !body.is_empty() {
            let _ = write!(
                html,
                "<h3>表{} ({})</h3><table class=\"template\" data-table=\"{}\">{body}</table>",
                t.numeral, t.key, t.key
            );
        }
    }
}

/// The table cells as placed on their PDF pages: an SVG per page from the cells' boxes,
/// flagged cells outlined in red.
fn picture(html: &mut String, p: &Parsed) {
    let flagged = by_cell(&p.diagnostics);
    let mut pages: BTreeMap<u32, Vec<(&LongRow, [f32; 4])>> = BTreeMap::new();
    for r in &p.long {
        if let (Some(pg), Some(b)) = (r.page, r.bbox) {
            if b.iter().all(|v| v.is_finite()) {
                pages.entry(pg).or_default().push((r, b));
            }
        }
    }
    for (page, mut cells) in pages {
        // cells that share one box (a row read as a line) get equal slices of it, in order
        let mut i = 0;
        while i < cells.len() {
            let b = cells[i].1;
            let n = cells[i..].iter().take_while(|c| c.1 == b).count();
            if n > 1 {
                let w = (b[2] - b[0]) / n as f32;
                for (k, c) in cells[i..i + n].iter_mut().enumerate() {
                    c.1 = [b[0] + w * k as f32, b[1], b[0] + w * (k as f32 + 1.0), b[3]];
                }
            }
            i += n;
        }
        let x0 = cells.iter().map(|c| c.1[0]).fold(f32::MAX, f32::min);
        let y0 = cells.iter().map(|c| c.1[1]).fold(f32::MAX, f32::min);
        let x1 = cells.iter().map(|c| c.1[2]).fold(f32::MIN, f32::max);
        let y1 = cells.iter().map(|c| c.1[3]).fold(f32::MIN, f32::max);
        let (w, h) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
        let scale = 700.0 / w;
        let _ = write!(
            html,
            "<figure class=\"page-picture\" data-page=\"{page}\"><figcaption>page {page}: table cells as placed (flagged cells boxed in red)</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0}\" height=\"{:.0}\" viewBox=\"0 0 {:.0} {:.0}\">",
            w * scale + 10.0,
            h * scale + 10.0,
            w * scale + 10.0,
            h * scale + 10.0
        );
        for (r, b) in cells {
            // PDF y grows upwards; SVG y downwards
            let (x, y) = ((b[0] - x0) * scale + 5.0, (y1 - b[3]) * scale + 5.0);
            let (cw, ch) = (
                ((b[2] - b[0]) * scale).max(2.0),
                ((b[3] - b[1]) * scale).max(2.0),
            );
            let bad = flagged
                .get(r.key.as_str())
                .is_some_and(|ds| ds.iter().any(|d| d.severity >= Severity::Warning));
            let (stroke, sw) = if bad { ("#d00", 2.0) } else { ("#999", 0.5) };
            let _ = write!(
                html,
                "<g data-key=\"{}\"><title>{}</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cw:.1}\" height=\"{ch:.1}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{sw}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
                esc(&r.key),
                esc(&r.key),
                x + 1.0,
                y + ch - 2.0,
                esc(&shown(r))
            );
        }
        html.push_str("</svg></figure>");
    }
}

fn counts(diags: &[Diagnostic]) -> [usize; 3] {
    let mut n = [0; 3];
    for d in diags {
        n[d.severity as usize] += 1;
    }
    n
}

fn failed_checks(diags: &[Diagnostic]) -> String {
    let mut codes: Vec<&str> = diags
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| d.code.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes.join(", ")
}

/// The page for a batch of entries.
pub fn page(entries: &[Entry]) -> String {
    let mut html = String::from("<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>ogi-report review</title><style>");
    html.push_str(STYLE);
    html.push_str("</style></head><body><h1>ogi-report review</h1>");
    // the previous year's entry of each body, for deltas
    let ident = |p: &Parsed| -> Option<(String, i32)> {
        let first = p.long.first()?;
        let org = first.organization.as_str();
        let year = first.year?;
        (!org.is_empty()).then(|| (ogi_report::years::org_identity(org).key, year))
    };
    let mut by_body: BTreeMap<(String, i32), usize> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if let Outcome::Parsed(p) = &e.outcome {
            if let Some(k) = ident(p) {
                by_body.entry(k).or_insert(i);
            }
        }
    }
    html.push_str("<table class=\"summary\"><tr><th>file</th><th>body</th><th>year</th><th>template</th><th>errors</th><th>warnings</th><th>info</th><th>checks failed</th></tr>");
    for e in entries {
        let _ = write!(html, "<tr data-summary=\"{}\">", esc(&e.file));
        match &e.outcome {
            Outcome::Parsed(p) => {
                let first = p.long.first();
                let n = counts(&p.diagnostics);
                let _ = write!(
                    html,
                    "<td><a href=\"#r{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td>",
                    esc(&e.sha256),
                    esc(&e.file),
                    esc(first.map_or("", |r| r.organization.as_str())),
                    first.and_then(|r| r.year).map(|y| y.to_string()).unwrap_or_default(),
                    esc(first.map_or("", |r| r.template.as_str())),
                    if n[2] > 0 { "bad" } else { "" },
                    n[2],
                    if n[1] > 0 { "bad" } else { "" },
                    n[1],
                    n[0],
                    esc(&failed_checks(&p.diagnostics))
                );
            }
            Outcome::Failed { message, code } => {
                let _ = write!(
                    html,
                    "<td>{}</td><td colspan=\"6\" class=\"bad\">{}: {}</td><td>{}</td>",
                    esc(&e.file),
                    esc(code),
                    esc(message),
                    esc(code)
                );
            }
        }
        html.push_str("</tr>");
    }
    html.push_str("</table>");
    for e in entries {
        let Outcome::Parsed(p) = &e.outcome else {
            continue;
        };
        let first = p.long.first();
        let _ = write!(
            html,
            "<section class=\"report\" id=\"r{}\" data-file=\"{}\"><h2>{} {} <small>{}</small></h2>",
            esc(&e.sha256),
            esc(&e.file),
            esc(first.map_or("", |r| r.organization.as_str())),
            first.and_then(|r| r.year).map(|y| y.to_string()).unwrap_or_default(),
            esc(&e.file)
        );
        if let Some(d) = &e.duplicate_of {
            let _ = write!(html, "<p>byte-identical copy of {}</p>", esc(d));
        }
        let prev = ident(p)
            .and_then(|(k, y)| by_body.get(&(k, y - 1)))
            .and_then(|&i| match &entries[i].outcome {
                Outcome::Parsed(q) => Some(q.as_ref()),
                Outcome::Failed { .. } => None,
            });
        if prev.is_some() {
            html.push_str(
                "<p>(±n): change of a total from the body's report of the year before</p>",
            );
        }
        tables(&mut html, p, prev);
        let narrative: Vec<&Diagnostic> = p
            .diagnostics
            .iter()
            .filter(|d| matches!(d.code, Code::NarrativeMatch | Code::NarrativeMismatch))
            .collect();
        if !narrative.is_empty() {
            html.push_str("<h3>narrative vs tables</h3>");
            for d in narrative {
                let class = if d.code == Code::NarrativeMismatch {
                    "quote mismatch"
                } else {
                    "quote"
                };
                let _ = write!(
                    html,
                    "<div class=\"{class}\" data-code=\"{}\">{}</div>",
                    d.code,
                    esc(&d.message)
                );
            }
        }
        let yoy: Vec<&Diagnostic> = p
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str().starts_with("years."))
            .collect();
        if !yoy.is_empty() {
            html.push_str("<h3>year over year</h3><ul class=\"diags\">");
            for d in yoy {
                let _ = write!(
                    html,
                    "<li class=\"{}\">{}[{}]: {}</li>",
                    d.severity,
                    d.severity,
                    d.code,
                    esc(&d.message)
                );
            }
            html.push_str("</ul>");
        }
        if p.format == "pdf" {
            picture(&mut html, p);
        }
        html.push_str("<h3>diagnostics</h3><ul class=\"diags\">");
        for d in &p.diagnostics {
            let _ = write!(
                html,
                "<li class=\"{}\" data-code=\"{}\">{}[{}]: {}{}</li>",
                d.severity,
                d.code,
                d.severity,
                d.code,
                esc(&d.message),
                d.location
                    .as_ref()
                    .map(|l| format!(" <small>({})</small>", esc(&l.to_string())))
                    .unwrap_or_default()
            );
        }
        html.push_str("</ul></section>");
    }
    html.push_str("<script>");
    html.push_str(SCRIPT);
    html.push_str("</script></body></html>");
    html
}

/// `ogi-report review`.
pub fn review(
    paths: &[PathBuf],
    out: &Path,
    jobs: Option<usize>,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let found = batch::collect(paths)?;
    if found.inputs.is_empty() {
        eprintln!("error: no input files found");
        return Ok(ExitCode::from(3));
    }
    let (entries, tally) = batch::run_all(&found.inputs, jobs)?;
    std::fs::write(out, page(&entries))?;
    let parsed = entries
        .iter()
        .filter(|e| matches!(e.outcome, Outcome::Parsed(_)))
        .count();
    eprintln!(
        "{}: {} reports ({parsed} read, {} failed)",
        out.display(),
        entries.len(),
        entries.len() - parsed
    );
    if !tally.unfinished.is_empty() {
        return Ok(ExitCode::from(130));
    }
    Ok(if parsed == 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}
