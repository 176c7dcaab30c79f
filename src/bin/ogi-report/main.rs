//! `ogi-report`: parse OGI annual reports from files and folders into JSON, JSONL or CSV,
//! check them, and list the canonical cell keys.

mod batch;
mod malloc;
mod out;
mod render;
mod review;
mod worker;
mod xlsx;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// The exit statuses, as documented in `--help` and the README.
const EXIT_CODES: &str = "Exit status:
  0    every input parsed (check: and no warning or error)
  1    some inputs failed, or (check) some warning or error was found
  2    usage error (bad option, --out is not a folder, --resume without --out)
  3    nothing could be read (no input files, or every input failed)
  130  interrupted by Ctrl-C (finished rows are kept)
A closed stdout (`ogi-report check DIR | head -1`) ends the run quietly with status 0.";

/// A mistake in the command line: exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

#[derive(Parser)]
#[command(
    name = "ogi-report",
    version,
    about = "Turn Chinese OGI annual reports (政府信息公开工作年度报告) into checked data",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse files and folders (recursively; `-` is stdin) into JSON, JSONL or CSV on
    /// stdout, or into a folder.
    #[command(after_help = EXIT_CODES)]
    Parse {
        /// Output format on stdout (ignored with --out): json (an array, one element per
        /// input), jsonl, csv (one row per input), long (CSV, one row per cell).
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write reports.csv, cells.csv, diagnostics.csv and reports.jsonl into this folder,
        /// row by row as files finish, then panel.csv and reports.xlsx.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Skip inputs already in the --out folder (same SHA-256) and append the rest.
        #[arg(long)]
        resume: bool,
        /// Start CSV on stdout with a UTF-8 byte order mark (for Excel).
        #[arg(long)]
        bom: bool,
        /// Worker processes (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Per-file time budget in seconds; a file over it is stopped and fails alone.
        #[arg(long)]
        timeout: Option<f64>,
        /// When pages are read by OCR (Tesseract): never, auto (pages without a text
        /// layer and image files), always (every page holding an image).
        #[arg(long, value_enum, default_value_t = Ocr::Auto)]
        ocr: Ocr,
        /// Files or folders, `-` for stdin.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print diagnostics like a compiler; exit status 1 if any warning or error was found.
    #[command(after_help = EXIT_CODES)]
    Check {
        /// Also print info diagnostics.
        #[arg(long)]
        all: bool,
        /// Worker processes (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Colour the output: auto (on a terminal, unless NO_COLOR is set), always, never.
        #[arg(long, value_enum, default_value_t = render::ColorChoice::Auto)]
        color: render::ColorChoice,
        /// When pages are read by OCR: never, auto, always (as for `parse`).
        #[arg(long, value_enum, default_value_t = Ocr::Auto)]
        ocr: Ocr,
        /// Files or folders, `-` for stdin.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write one self-contained HTML page reviewing a batch: a summary of every report,
    /// its tables with flagged cells, narrative checks, year-over-year findings.
    Review {
        /// The HTML file to write.
        #[arg(long)]
        html: PathBuf,
        /// When pages are read by OCR: never, auto, always (as for `parse`).
        #[arg(long, value_enum, default_value_t = Ocr::Auto)]
        ocr: Ocr,
        /// Worker processes (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Internal: parse the files named on stdin, one JSON answer per line.
    #[command(name = "__worker", hide = true)]
    Worker,
    /// Print the canonical cell keys with their Chinese labels, or (--correspondence) the
    /// v2019 ↔ v2021 key correspondence.
    Schema {
        /// Output format.
        #[arg(long, value_enum, default_value_t = SchemaFormat::Csv)]
        format: SchemaFormat,
        /// List the v2019 ↔ v2021 correspondence (`v2019,v2021,relation`; `same`, `sum`
        /// of the `;`-joined v2021 keys, or `similar`) instead of the keys.
        #[arg(long)]
        correspondence: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Json,
    Jsonl,
    Csv,
    Long,
}

/// `--ocr`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Ocr {
    Never,
    Auto,
    Always,
}

impl Ocr {
    /// Hands the choice to this process's parsing and to the worker processes it starts
    /// (they inherit the environment).
    fn set(self) {
        let name = match self {
            Ocr::Never => "never",
            Ocr::Auto => "auto",
            Ocr::Always => "always",
        };
        std::env::set_var(worker::OCR_ENV, name);
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SchemaFormat {
    Csv,
    Json,
}

/// Whether an error is a write to a closed pipe (`| head`): a normal end.
fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(e) = cur {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::BrokenPipe {
                return true;
            }
        }
        if let Some(c) = e.downcast_ref::<csv::Error>() {
            if let csv::ErrorKind::Io(io) = c.kind() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return true;
                }
            }
        }
        if let Some(j) = e.downcast_ref::<serde_json::Error>() {
            if j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) {
                return true;
            }
        }
        cur = e.source();
    }
    false
}

fn main() -> ExitCode {
    malloc::tune();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse {
            format,
            out,
            resume,
            bom,
            jobs,
            timeout,
            ocr,
            paths,
        } => {
            ocr.set();
            batch::on_interrupt();
            let budget = timeout
                .filter(|t| t.is_finite() && *t > 0.0)
                .map(std::time::Duration::from_secs_f64);
            batch::parse(
                &paths,
                &batch::ParseArgs {
                    format,
                    out: out.as_deref(),
                    jobs,
                    budget,
                    bom,
                    resume,
                },
            )
        }
        Command::Check {
            all,
            jobs,
            color,
            ocr,
            paths,
        } => {
            ocr.set();
            batch::on_interrupt();
            render::check(&paths, all, jobs, color)
        }
        Command::Schema {
            format,
            correspondence,
        } if correspondence => schema_correspondence(format),
        Command::Schema { format, .. } => schema(format),
        Command::Review {
            html,
            jobs,
            ocr,
            paths,
        } => {
            ocr.set();
            batch::on_interrupt();
            review::review(&paths, &html, jobs)
        }
        Command::Worker => return worker::run(),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(e.as_ref()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if e.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn schema_correspondence(format: SchemaFormat) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let pairs = ogi_report::schema::correspondence();
    match format {
        SchemaFormat::Json => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &pairs)?;
            writeln!(out)?;
        }
        SchemaFormat::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            w.write_record(["v2019", "v2021", "relation"])?;
            for p in pairs {
                let relation = serde_json::to_value(p.relation)?
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                w.write_record([p.v2019, p.v2021.join(";"), relation])?;
            }
            w.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn schema(format: SchemaFormat) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let cells = ogi_report::schema::all_cells();
    match format {
        SchemaFormat::Json => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &cells)?;
            writeln!(out)?;
        }
        SchemaFormat::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            w.write_record([
                "key",
                "table",
                "row",
                "column",
                "row_label",
                "column_label",
                "kind",
                "template",
            ])?;
            for c in cells {
                let kind = serde_json::to_value(c.kind)?
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                w.write_record([
                    c.key.as_str(),
                    c.table,
                    c.row,
                    c.column,
                    c.row_label,
                    c.column_label,
                    &kind,
                    c.template,
                ])?;
            }
            w.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
