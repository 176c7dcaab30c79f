//! Character recognition engines behind one small trait, and Tesseract through its
//! command line.
//!
//! The command line, not a C binding: the default build then needs only the Rust
//! toolchain, the engine is found at run time (`OGI_REPORT_TESSERACT` or `tesseract` on
//! `PATH`), and a crash or hang in it cannot take the parser down. Each call reads one
//! image holding many cells (a montage), so the process start is paid a few times per page.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::raster::Gray;

/// What an image holds, so the engine can narrow what it looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    /// Chinese text with digits and punctuation.
    Chinese,
    /// Numbers only: digits and `. - /`.
    Digits,
}

/// One recognised word, in the pixels of the image read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    /// The text.
    pub text: String,
    /// x0, y0, x1, y1 (y downwards).
    pub bbox: [f32; 4],
    /// Confidence, 0 to 1.
    pub conf: f32,
    /// Which line of the image it was read on (words of one line share it).
    pub line: u32,
}

/// A recogniser of words in an image.
pub(crate) trait Engine: Send + Sync {
    /// Words read in `img`, which holds text of the given script laid out in lines.
    fn read(&self, img: &Gray, script: Script) -> Result<Vec<Word>, String>;

    /// Which way up `img` (a whole page, about 100 dpi) is: the clockwise quarter turns
    /// that set it upright, with the engine's confidence; `None` where it cannot tell.
    fn orientation(&self, _img: &Gray) -> Option<(u8, f32)> {
        None
    }
}

/// Tesseract 4/5 run as a process, with its LSTM models `chi_sim` and `eng`.
#[derive(Debug, Clone)]
pub(crate) struct Tesseract {
    program: String,
    /// Longest a single call may take.
    timeout: Duration,
}

/// What to install when the engine is missing, for the error message.
pub(crate) const INSTALL_HINT: &str = "OCR needs the Tesseract engine with its Chinese model: \
     `apt-get install tesseract-ocr tesseract-ocr-chi-sim` (Debian, Ubuntu), \
     `dnf install tesseract tesseract-langpack-chi_sim` (Fedora), \
     `brew install tesseract tesseract-lang` (macOS); or set OGI_REPORT_TESSERACT to the \
     tesseract program";

impl Tesseract {
    /// The engine if it runs and has the `chi_sim` and `eng` models; else why not.
    pub fn find() -> Result<Tesseract, String> {
        static FOUND: OnceLock<Result<Tesseract, String>> = OnceLock::new();
        FOUND
            .get_or_init(|| {
                let program =
                    std::env::var("OGI_REPORT_TESSERACT").unwrap_or_else(|_| "tesseract".into());
                let out = Command::new(&program)
                    .arg("--list-langs")
                    .stdin(Stdio::null())
                    .stderr(Stdio::piped())
                    .output()
                    .map_err(|e| format!("{INSTALL_HINT} ({program}: {e})"))?;
                let listed = String::from_utf8_lossy(&out.stdout).into_owned()
                    + &String::from_utf8_lossy(&out.stderr);
                let has = |l: &str| listed.lines().any(|x| x.trim() == l);
                if !has("chi_sim") || !has("eng") {
                    return Err(format!(
                        "{INSTALL_HINT} ({program} lacks the chi_sim or eng model)"
                    ));
                }
                Ok(Tesseract {
                    program,
                    timeout: Duration::from_secs(300),
                })
            })
            .clone()
    }

    fn args(script: Script) -> Vec<&'static str> {
        match script {
            // psm 6: one block of lines, which is what the montages and the masked page are
            Script::Chinese => vec!["-l", "chi_sim", "--psm", "6"],
            Script::Digits => vec![
                "-l",
                "eng",
                "--psm",
                "6",
                "-c",
                "tessedit_char_whitelist=0123456789.-/",
            ],
        }
    }
}

impl Engine for Tesseract {
    fn read(&self, img: &Gray, script: Script) -> Result<Vec<Word>, String> {
        let mut args = Self::args(script);
        args.push("tsv");
        Ok(parse_tsv(&self.run(&args, img)?))
    }

    fn orientation(&self, img: &Gray) -> Option<(u8, f32)> {
        // psm 0: orientation and script detection only (the `osd` model)
        parse_osd(&self.run(&["--psm", "0"], img).ok()?)
    }
}

impl Tesseract {
    /// Runs the engine on `img` with `args`, its standard output as text.
    fn run(&self, args: &[&str], img: &Gray) -> Result<String, String> {
        let mut child = Command::new(&self.program)
            .args(["stdin", "stdout"])
            .args(args)
            // one core per call: parallelism belongs to the caller (pages, files)
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.program))?;
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        let mut stdout = child.stdout.take().ok_or("no stdout")?;
        // the image goes as binary PGM straight from its pixels: no encoded copy of a
        // page-sized picture is made (and none of the time PNG took)
        let header = format!("P5\n{} {}\n255\n", img.w, img.h);
        let (status, out) = std::thread::scope(|scope| {
            let writer = scope.spawn(move || {
                let _ = stdin
                    .write_all(header.as_bytes())
                    .and_then(|()| stdin.write_all(&img.px));
            });
            let reader = scope.spawn(move || {
                let mut s = Vec::new();
                let _ = stdout.read_to_end(&mut s);
                s
            });
            let start = Instant::now();
            let status = loop {
                match child.try_wait() {
                    Ok(Some(st)) => break st,
                    Ok(None) if start.elapsed() > self.timeout => {
                        // killed, the engine's pipes close and both threads end
                        let _ = child.kill();
                        let _ = child.wait();
                        return Err(format!(
                            "tesseract took more than {} s",
                            self.timeout.as_secs()
                        ));
                    }
                    Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                    Err(e) => {
                        let _ = child.kill();
                        let _ = child.wait();
                        return Err(e.to_string());
                    }
                }
            };
            let _ = writer.join();
            let out = reader.join().map_err(|_| "reader failed")?;
            Ok((status, out))
        })?;
        if !status.success() {
            return Err(format!("tesseract failed ({status})"));
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

/// The turn Tesseract's orientation report (`Rotate: 90`, `Orientation confidence: 9.3`)
/// asks for: quarter turns clockwise, and the confidence.
pub(crate) fn parse_osd(out: &str) -> Option<(u8, f32)> {
    let field = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse::<f32>().ok())
    };
    let rotate = field("Rotate:")?;
    let conf = field("Orientation confidence:")?;
    let quarters = (rotate / 90.0).round();
    ((0.0..4.0).contains(&quarters) && (rotate - quarters * 90.0).abs() < 1.0)
        .then_some((quarters as u8, conf))
}

/// Words of Tesseract's TSV output (level 5 rows with text).
pub(crate) fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut lines: Vec<(String, String, String, String)> = Vec::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let text = f[11].trim();
        if text.is_empty() {
            continue;
        }
        let n = |i: usize| f[i].trim().parse::<f32>().unwrap_or(0.0);
        let (l, t, w, h) = (n(6), n(7), n(8), n(9));
        let id = (f[1].into(), f[2].into(), f[3].into(), f[4].into());
        if lines.last() != Some(&id) {
            lines.push(id);
        }
        out.push(Word {
            text: text.to_string(),
            bbox: [l, t, l + w, t + h],
            conf: (n(10) / 100.0).clamp(0.0, 1.0),
            line: lines.len() as u32 - 1,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_orientation_report_gives_the_turn_to_make() {
        let out = "Page number: 0\nOrientation in degrees: 270\nRotate: 90\n\
                   Orientation confidence: 9.29\nScript: Han\nScript confidence: 0.94\n";
        assert_eq!(parse_osd(out), Some((1, 9.29)));
        assert_eq!(
            parse_osd("Rotate: 180\nOrientation confidence: 2.5\n"),
            Some((2, 2.5))
        );
        assert_eq!(parse_osd("Rotate: 45\nOrientation confidence: 2.5\n"), None);
        assert_eq!(parse_osd("Too few characters. Skipping this page\n"), None);
    }

    #[test]
    fn tsv_words_with_boxes_and_confidence() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t100\t50\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96.5\t2776\n\
                   5\t1\t1\t1\t1\t2\t50\t20\t8\t12\t40\t \n";
        let w = parse_tsv(tsv);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].text, "2776");
        assert_eq!(w[0].bbox, [10.0, 20.0, 40.0, 32.0]);
        assert!((w[0].conf - 0.965).abs() < 1e-6);
    }
}
