//! Dumps one report as pretty JSON: `cargo run --example dump_json -- corpus/2024-chanhe-justice-bureau/source.txt`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_json PATH");
        std::process::exit(2);
    };
    match ogi_report::parse_path(&path) {
        Ok(report) => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        },
        Err(e) => {
            eprintln!("error: {path}: {e}");
            std::process::exit(1);
        }
    }
}
