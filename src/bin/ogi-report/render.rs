//! `ogi-report check`: diagnostics rendered like a compiler's, with the source line and
//! the span marked (display width aware for CJK text).

use ogi_report::{Diagnostic, Report, Severity};
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
    if ogi_report::extract::sniff(&bytes) != ogi_report::InputFormat::Text {
        return None;
    }
    let (text, _) = ogi_report::extract::text::decode(&bytes);
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
pub fn check(paths: &[PathBuf], all: bool) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let files = batch::collect(paths);
    if files.is_empty() {
        return Err("no input files found".into());
    }
    let results = batch::parse_all(&files, None, None);
    let mut problems = 0usize;
    for ((file, r), path) in results.iter().zip(&files) {
        match r {
            Ok(rep) => problems += print_report(file, rep, path, all),
            Err(e) => {
                problems += 1;
                println!("error: {file}: {e}\n");
            }
        }
    }
    Ok(if problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report(file: &str, rep: &Report, path: &std::path::Path, all: bool) -> usize {
    let lines = source_lines(path);
    let mut n = 0;
    for d in &rep.diagnostics {
        if d.severity >= Severity::Warning {
            n += 1;
        } else if !all {
            continue;
        }
        println!("{}", render(file, d, lines.as_deref()));
    }
    println!("{file}: {n} warning(s) or error(s)\n");
    n
}
