//! A file that holds several reports (`pdfunite` of two bodies' PDFs, a crawler page with
//! two years): the parser reads the first; the rest ends up in the last section's text.
//! [`second_report`] notices another report title followed by the table 三 heading there.

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::report::Report;

/// The end of every report title.
const TITLE_END: &str = "政府信息公开工作年度报告";
/// The heading of table 三, which a second report prints after its title.
const TABLE_HEADING: &str = "收到和处理政府信息公开申请情况";

/// A `parse.multiple-reports` warning when a section's text holds another report's title
/// followed by the table 三 heading.
pub(crate) fn second_report(report: &Report) -> Option<Diagnostic> {
    let s = &report.sections;
    let sections = [
        ("五", &s.problems),
        ("六", &s.other_matters),
        ("四", &s.review_litigation),
    ];
    for (numeral, sec) in sections {
        let Some(sec) = sec else { continue };
        let text = &sec.text;
        // linear in the text: one search for the last table heading, one pass over titles
        let Some(last_heading) = text.rfind(TABLE_HEADING) else {
            continue;
        };
        let mut from = 0;
        while let Some(at) = text[from..].find(TITLE_END).map(|i| i + from) {
            let end = at + TITLE_END.len();
            from = end;
            if end > last_heading {
                break;
            }
            // the title: back to the line or sentence start, at most 40 chars
            let mut window = at.saturating_sub(160);
            while !text.is_char_boundary(window) {
                window += 1;
            }
            let head: String = {
                let before: Vec<char> = text[window..at].chars().collect();
                let start = before
                    .iter()
                    .rposition(|c| {
                        matches!(c, '\n' | '。' | '；' | '：' | '！' | '？' | ' ' | '　')
                    })
                    .map_or(0, |i| i + 1)
                    .max(before.len().saturating_sub(40));
                before[start..].iter().collect()
            };
            // a title names a year: "…2023年…" right before the ending
            if !head.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            return Some(
                Diagnostic::new(
                    Code::MultipleReports,
                    Severity::Warning,
                    format!(
                        "section {numeral} goes on with another report ('{head}{TITLE_END}') and its tables: only the first report is read"
                    ),
                )
                .at(sec.location.clone()),
            );
        }
    }
    None
}
