//! Finding report files: the files given, and folders walked for known endings.
//!
//! The walk follows symbolic links but visits every real directory once (a link back up
//! the tree, `self -> .` or `up -> ..`, adds nothing) and lists every real file once (a
//! link to a file already found is not a second input). Files it passes over in folders
//! are returned with the reason ([`Found::skipped`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// File name endings of the formats this crate reads.
pub const EXTENSIONS: &[&str] = &[
    "pdf", "txt", "md", "markdown", "html", "htm", "shtml", "docx", "doc", "wps", "png", "jpg",
    "jpeg", "tif", "tiff",
];

/// Why the walk passed over a file in a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// Its ending is not one of the extensions asked for.
    Unsupported,
    /// It is larger than the size limit.
    TooBig,
    /// Its metadata or its folder could not be read (permissions, a dangling link).
    Unreadable,
}

impl SkipReason {
    /// Stable code (`skipped.unsupported`, `skipped.too-big`, `skipped.unreadable`).
    pub fn code(self) -> &'static str {
        match self {
            SkipReason::Unsupported => "skipped.unsupported",
            SkipReason::TooBig => "skipped.too-big",
            SkipReason::Unreadable => "skipped.unreadable",
        }
    }
}

/// What a walk found: the inputs in order, and the files passed over.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Inputs: files given (as given, even if missing) and files found in folders, each
    /// folder's entries in sorted order.
    pub files: Vec<PathBuf>,
    /// Files in folders that are not inputs, with the reason.
    pub skipped: Vec<(PathBuf, SkipReason)>,
}

/// Every input under `paths`: files as given, folders walked recursively for files whose
/// ending is in `extensions` (case-insensitive), each folder's entries in sorted order.
///
/// ```
/// let files = ogi_report::inputs::find(&["corpus"], &["pdf"]);
/// assert!(files.iter().all(|f| f.extension().is_some_and(|e| e == "pdf")));
/// ```
pub fn find(paths: &[impl AsRef<Path>], extensions: &[&str]) -> Vec<PathBuf> {
    walk(paths, extensions, u64::MAX).files
}

/// Like [`find`], and also returns the files passed over in folders: other endings, files
/// over `max_bytes`, unreadable entries.
pub fn walk(paths: &[impl AsRef<Path>], extensions: &[&str], max_bytes: u64) -> Found {
    let mut w = Walk {
        extensions,
        max_bytes,
        dirs: HashSet::new(),
        files: HashSet::new(),
        found: Found::default(),
    };
    for p in paths {
        let p = p.as_ref();
        if p.is_dir() {
            w.dir(p);
        } else {
            if let Ok(real) = std::fs::canonicalize(p) {
                w.files.insert(real);
            }
            w.found.files.push(p.to_owned());
        }
    }
    w.found
}

struct Walk<'a> {
    extensions: &'a [&'a str],
    max_bytes: u64,
    dirs: HashSet<PathBuf>,
    files: HashSet<PathBuf>,
    found: Found,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path) {
        let Ok(real) = std::fs::canonicalize(dir) else {
            self.found
                .skipped
                .push((dir.to_owned(), SkipReason::Unreadable));
            return;
        };
        if !self.dirs.insert(real) {
            return; // seen through another link
        }
        let Ok(rd) = std::fs::read_dir(dir) else {
            self.found
                .skipped
                .push((dir.to_owned(), SkipReason::Unreadable));
            return;
        };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            // follows links; a dangling link has no metadata
            let Ok(meta) = std::fs::metadata(&p) else {
                self.found.skipped.push((p, SkipReason::Unreadable));
                continue;
            };
            if meta.is_dir() {
                self.dir(&p);
                continue;
            }
            let known = p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| self.extensions.iter().any(|x| x.eq_ignore_ascii_case(e)));
            let Ok(real) = std::fs::canonicalize(&p) else {
                self.found.skipped.push((p, SkipReason::Unreadable));
                continue;
            };
            if !self.files.insert(real) {
                continue; // the same file through a link
            }
            if !known {
                self.found.skipped.push((p, SkipReason::Unsupported));
            } else if meta.len() > self.max_bytes {
                self.found.skipped.push((p, SkipReason::TooBig));
            } else {
                self.found.files.push(p);
            }
        }
    }
}
