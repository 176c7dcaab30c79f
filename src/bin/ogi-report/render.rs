//! `ogi-report check`: diagnostics rendered like a compiler's, with the source line and
//! the span marked (display width aware for CJK text).

use ogi_report::{Diagnostic, Severity};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::batch;

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

fn render(file: &str, d: &Diagnostic, lines: Option<&[String]>) -> String {
    let mut s = format!("{}[{}]: {}\n", d.severity, d.code, d.message);
    let loc = d.location.as_ref();
    let line_no = loc.and_then(|l| l.line);
    s.push_str(&format!(
        "  --> {file}{}\n",
        loc.map(|l| format!(" ({l})")).unwrap_or_default()
    ));
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
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let found = batch::collect(paths)?;
    if found.inputs.is_empty() {
        batch::summary(&[], &found.skipped, &batch::Tally::default(), None);
        eprintln!("error: no input files found");
        return Ok(ExitCode::from(3));
    }
    let settings = batch::Settings {
        jobs: batch::jobs(jobs),
        budget: None,
        done: Default::default(),
        json: false,
    };
    let mut entries = Vec::new();
    let tally = batch::run(&found.inputs, &settings, |e| {
        entries.push(e.clone());
        Ok(())
    })?;
    let findings = batch::year_over_year(&entries);
    batch::attach(&mut entries, findings);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut problems = 0usize;
    let mut parsed = 0usize;
    for e in &entries {
        match &e.outcome {
            batch::Outcome::Parsed(p) => {
                parsed += 1;
                problems += print_report(&mut out, &e.file, &p.diagnostics, &e.path, all)?;
            }
            batch::Outcome::Failed { message, code } => {
                problems += 1;
                writeln!(out, "error[{code}]: {}: {message}\n", e.file)?;
            }
        }
    }
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
    diagnostics: &[Diagnostic],
    path: &std::path::Path,
    all: bool,
) -> std::io::Result<usize> {
    let lines = source_lines(path);
    let mut n = 0;
    for d in diagnostics {
        if d.severity >= Severity::Warning {
            n += 1;
        } else if !all {
            continue;
        }
        writeln!(out, "{}", render(file, d, lines.as_deref()))?;
    }
    writeln!(out, "{file}: {n} warning(s) or error(s)\n")?;
    Ok(n)
}
