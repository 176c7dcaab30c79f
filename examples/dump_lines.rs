//! Prints the lines the reader extracted from a file (debugging aid).
//!
//! `cargo run --example dump_lines -- FILE`
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: dump_lines FILE")?;
    let bytes = std::fs::read(&path)?;
    let ex = ogi_report::extract::extract(&bytes, &ogi_report::Options::default())?;
    for l in &ex.lines {
        println!("{:?}\t{}", l.origin.page, l.text);
    }
    Ok(())
}
