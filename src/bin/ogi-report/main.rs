//! `ogi-report`: parse OGI annual reports from files and folders into JSON, JSONL or CSV,
//! check them, and list the canonical cell keys.

mod batch;
mod render;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ogi-report",
    version,
    about = "Turn Chinese OGI annual reports (政府信息公开工作年度报告) into checked data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse files and folders (recursively) into JSON, JSONL or CSV on stdout, or into a folder.
    Parse {
        /// Output format on stdout (ignored with --out).
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write reports.csv, reports.jsonl and diagnostics.csv into this folder.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Per-file time budget in seconds; a file over it fails alone.
        #[arg(long)]
        timeout: Option<f64>,
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print diagnostics like a compiler; exit status 1 if any warning or error was found.
    Check {
        /// Also print info diagnostics.
        #[arg(long)]
        all: bool,
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print the canonical cell keys with their Chinese labels.
    Schema {
        /// Output format.
        #[arg(long, value_enum, default_value_t = SchemaFormat::Csv)]
        format: SchemaFormat,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Json,
    Jsonl,
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SchemaFormat {
    Csv,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse {
            format,
            out,
            jobs,
            timeout,
            paths,
        } => {
            let budget = timeout
                .filter(|t| t.is_finite() && *t > 0.0)
                .map(std::time::Duration::from_secs_f64);
            batch::parse(&paths, format, out.as_deref(), jobs, budget)
        }
        Command::Check { all, paths } => render::check(&paths, all),
        Command::Schema { format } => schema(format),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn schema(format: SchemaFormat) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let cells = ogi_report::schema::all_cells();
    match format {
        SchemaFormat::Json => println!("{}", serde_json::to_string_pretty(&cells)?),
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
