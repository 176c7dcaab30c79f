//! Finding report files: the files given, and folders walked for known endings.

use std::path::{Path, PathBuf};

/// File name endings of the formats this crate reads.
pub const EXTENSIONS: &[&str] = &[
    "pdf", "txt", "md", "markdown", "html", "htm", "shtml", "docx", "doc", "wps",
];

/// Every input under `paths`: files as given, folders walked recursively for files whose
/// ending is in `extensions` (case-insensitive), each folder's entries in sorted order.
///
/// ```
/// let files = ogi_report::inputs::find(&["corpus"], &["pdf"]);
/// assert!(files.iter().all(|f| f.extension().is_some_and(|e| e == "pdf")));
/// ```
pub fn find(paths: &[impl AsRef<Path>], extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        let p = p.as_ref();
        if p.is_dir() {
            walk(p, extensions, &mut out);
        } else {
            out.push(p.to_owned());
        }
    }
    out
}

fn walk(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, extensions, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
        {
            out.push(p);
        }
    }
}
