//! Parses one file and prints the process's peak resident set size (VmHWM from
//! /proc/self/status, Linux) before and after.
//!
//! `cargo run --release --example peak_memory -- corpus/2024-huaian-hongze-district/source.pdf`

fn status_kib(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn show(when: &str) -> Option<u64> {
    let hwm = status_kib("VmHWM:");
    let rss = status_kib("VmRSS:");
    let f = |v: Option<u64>| {
        v.map_or("n/a".to_owned(), |k| {
            format!("{:.1} MiB", k as f64 / 1024.0)
        })
    };
    println!(
        "{when:<28} peak RSS (VmHWM) {:>10}   current RSS {:>10}",
        f(hwm),
        f(rss)
    );
    hwm
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: peak_memory FILE");
        std::process::exit(2);
    };
    let before_read = show("start");
    let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let before = show("before parse");
    let t = std::time::Instant::now();
    let result = ogi_report::parse_path(&path);
    let elapsed = t.elapsed();
    let after = show("after parse");
    match &result {
        Ok(r) => println!(
            "{path}: {} bytes, {} in {:.1} ms, template {}, {} cells, {} diagnostics",
            len,
            r.metadata.format,
            elapsed.as_secs_f64() * 1e3,
            r.metadata.template,
            r.cells().len(),
            r.diagnostics.len()
        ),
        Err(e) => println!("{path}: error: {e}"),
    }
    drop(result);
    if let (Some(a), Some(b)) = (after, before) {
        println!(
            "peak RSS grew by {:.1} MiB while parsing ({:.1} MiB at start)",
            a.saturating_sub(b) as f64 / 1024.0,
            before_read.unwrap_or(0) as f64 / 1024.0
        );
    }
}
