//! `ogi-report check`: diagnostics rendered like a compiler's. For a text input the source
//! line with the span marked (display width aware for CJK text); for a PDF, web page or
//! Word file the printed rows the diagnostic concerns, label and values as read, with the
//! page; coloured on a terminal; a total at the end.

use ogi_report::export::{CellStatus, LongRow};
use ogi_report::{Diagnostic, Severity};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::batch;
use crate::worker::Parsed;

/// `--color`: when to colour the output.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// ANSI styles, empty when colour is off.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn severity(self, sev: Severity) -> String {
        let code = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.wrap(code, &sev.to_string())
    }
    fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn flag(self, s: &str) -> String {
        if self.0 {
            self.wrap("1;4;31", s)
        } else {
            format!("[{s}]")
        }
    }
}

/// Display width of a char: 2 for East Asian wide characters, else 1.
fn width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF |
        0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 |
        0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide {
        2
    } else {
        1
    }
}

fn text_width(s: &str) -> usize {
    s.chars().map(width).sum()
}

/// The source lines of a text input, for snippets.
fn source_lines(path: &std::path::Path) -> Option<Vec<String>> {
    let bytes = std::fs::read(path).ok()?;
    if ogi_report::sniff_format(&bytes) != ogi_report::InputFormat::Text {
        return None;
    }
    let text = ogi_report::decode_text(&bytes);
    Some(text.lines().map(str::to_owned).collect())
}

/// The printed rows a diagnostic concerns: label as printed (or the template's) and every
/// value as read, the diagnostic's cells marked; at most three rows.
fn printed_rows(d: &Diagnostic, long: &[LongRow], paint: Paint) -> Vec<String> {
    let mut rows: Vec<&str> = Vec::new();
    for k in &d.cells {
        let Some(i) = k.rfind('.') else { continue };
        let row = &k[..i];
        if !rows.contains(&row) {
            rows.push(row);
        }
    }
    let mut out = Vec::new();
    for row in rows.iter().take(3) {
        let prefix = format!("{row}.");
        let cells: Vec<&LongRow> = long
            .iter()
            .filter(|r| r.key.starts_with(&prefix) && r.status != CellStatus::NotInTemplate)
            .collect();
        let Some(first) = cells.first() else { continue };
        let label = if first.printed_row_label.is_empty() {
            format!("{} (not printed)", first.row_label)
        } else {
            first.printed_row_label.clone()
        };
        // marking every cell of a row says nothing: mark only when some are not concerned
        let mark = !cells.iter().all(|c| d.cells.contains(&c.key));
        let values: Vec<String> = cells
            .iter()
            .map(|c| {
                let shown = match (&c.raw, c.status) {
                    (_, CellStatus::NotFound) => "?".to_string(),
                    (Some(r), _) if r.is_empty() => "□".to_string(),
                    (Some(r), _) => r.clone(),
                    (None, _) => "?".to_string(),
                };
                if mark && d.cells.contains(&c.key) {
                    paint.flag(&shown)
                } else {
                    shown
                }
            })
            .collect();
        let page = cells
            .iter()
            .find_map(|c| c.page)
            .map(|p| paint.dim(&format!("p.{p} ")))
            .unwrap_or_default();
        out.push(format!("{page}{label}: {}", values.join(" ")));
    }
    if rows.len() > 3 {
        out.push(format!("… {} more rows", rows.len() - 3));
    }
    out
}

fn render(
    file: &str,
    d: &Diagnostic,
    lines: Option<&[String]>,
    parsed: &Parsed,
    paint: Paint,
) -> String {
    let mut s = format!(
        "{}{}: {}\n",
        paint.severity(d.severity),
        paint.bold(&format!("[{}]", d.code)),
        d.message
    );
    let loc = d.location.as_ref();
    // a PDF's or Word file's extracted lines are never seen by the reader: the page only
    let positioned = lines.is_none();
    let shown_loc = match loc {
        Some(l) if positioned => l.page.map(|p| format!("page {p}")),
        Some(l) => Some(l.to_string()).filter(|t| !t.is_empty()),
        None => None,
    };
    let line_no = loc.and_then(|l| l.line);
    s.push_str(&format!(
        "  {} {file}{}\n",
        paint.dim("-->"),
        shown_loc.map(|l| format!(" ({l})")).unwrap_or_default()
    ));
    if positioned {
        let rows = printed_rows(d, &parsed.long, paint);
        if !rows.is_empty() {
            s.push_str("   |\n");
            for r in rows {
                s.push_str(&format!("   | {r}\n"));
            }
        }
    }
    if let (Some(n), Some(lines)) = (line_no, lines) {
        if let Some(text) = (n as usize).checked_sub(1).and_then(|i| lines.get(i)) {
            // a window of the line around the column, the column marked
            let chars: Vec<char> = text.chars().collect();
            let col = loc
                .and_then(|l| l.column)
                .map_or(0, |c| (c as usize).saturating_sub(1))
                .min(chars.len());
            let from = col.saturating_sub(20);
            let to = (col + 40).min(chars.len());
            let shown: String = chars[from..to].iter().collect();
            let pad: String = chars[from..col].iter().collect();
            let mark = chars[col..to]
                .iter()
                .take_while(|c| !c.is_whitespace())
                .take(20)
                .map(|c| width(*c))
                .sum::<usize>()
                .max(1);
            let gutter = n.to_string().len();
            let ellipsis = if from > 0 { "…" } else { "" };
            s.push_str(&format!("{:gutter$} |\n{n} | {ellipsis}{shown}\n", ""));
            s.push_str(&format!(
                "{:gutter$} | {}{}{}\n",
                "",
                " ".repeat(text_width(ellipsis)),
                " ".repeat(text_width(&pad)),
                "^".repeat(mark)
            ));
        }
    }
    if !d.cells.is_empty() {
        let shown: Vec<&str> = d.cells.iter().take(8).map(String::as_str).collect();
        s.push_str(&format!(
            "  = cells: {}{}\n",
            shown.join(", "),
            if d.cells.len() > 8 { ", …" } else { "" }
        ));
    }
    s
}

/// `ogi-report check`.
pub fn check(
    paths: &[PathBuf],
    all: bool,
    jobs: Option<usize>,
    color: ColorChoice,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let paint = Paint(color.enabled());
    let found = batch::collect(paths)?;
    if found.inputs.is_empty() {
        batch::summary(&[], &found.skipped, &batch::Tally::default(), None);
        eprintln!("error: no input files found");
        return Ok(ExitCode::from(3));
    }
    let (entries, tally) = batch::run_all(&found.inputs, jobs)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut problems = 0usize;
    let mut parsed = 0usize;
    let mut counts = [0usize; 3]; // info, warning, error
    let mut failed = 0usize;
    for e in &entries {
        match &e.outcome {
            batch::Outcome::Parsed(p) => {
                parsed += 1;
                for d in &p.diagnostics {
                    counts[d.severity as usize] += 1;
                }
                problems += print_report(&mut out, &e.file, p, &e.path, all, paint)?;
            }
            batch::Outcome::Failed { message, code } => {
                problems += 1;
                failed += 1;
                writeln!(
                    out,
                    "{}{}: {}: {message}\n",
                    paint.severity(Severity::Error),
                    paint.bold(&format!("[{code}]")),
                    e.file
                )?;
            }
        }
    }
    writeln!(
        out,
        "{}",
        paint.bold(&format!(
            "total: {} files, {parsed} read, {failed} failed; {} errors, {} warnings, {} info",
            entries.len(),
            counts[2],
            counts[1],
            counts[0]
        ))
    )?;
    out.flush()?;
    if !tally.unfinished.is_empty() {
        eprintln!(
            "interrupted: {} of {} files checked; stopped at {}",
            tally.finished,
            tally.finished + tally.unfinished.len(),
            tally.unfinished[0]
        );
        return Ok(ExitCode::from(130));
    }
    Ok(if parsed == 0 {
        ExitCode::from(3)
    } else if problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report(
    out: &mut impl Write,
    file: &str,
    parsed: &Parsed,
    path: &std::path::Path,
    all: bool,
    paint: Paint,
) -> std::io::Result<usize> {
    let lines = source_lines(path);
    let mut n = 0;
    for d in &parsed.diagnostics {
        if d.severity >= Severity::Warning {
            n += 1;
        } else if !all {
            continue;
        }
        writeln!(out, "{}", render(file, d, lines.as_deref(), parsed, paint))?;
    }
    writeln!(out, "{file}: {n} warning(s) or error(s)\n")?;
    Ok(n)
}
