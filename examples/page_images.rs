//! Prints the images decoded from the pages without text of each PDF given: size, channels,
//! placement dpi, notes, and the time taken (debugging aid for the OCR stage).
//!
//! `cargo run --release --example page_images -- FILE.pdf...`; with `OGI_DUMP_IMAGES=DIR`
//! each image is also written there as `NAME-pPAGE-I.png`.
use std::time::Instant;

use ogi_report::extract::pdf::{dpi_of, extract, PdfLimits};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let limits = PdfLimits {
        decode_images: true,
        ..PdfLimits::default()
    };
    let dump = std::env::var_os("OGI_DUMP_IMAGES").map(std::path::PathBuf::from);
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        let t = Instant::now();
        let text = extract(&bytes, &limits)?;
        let took = t.elapsed();
        // The same read without decoding (NoText for a scan): what decoding itself costs.
        let t = Instant::now();
        let _ = extract(&bytes, &PdfLimits::default());
        let decoding = took.saturating_sub(t.elapsed());
        let n = text.pages.len().max(1) as u32;
        println!(
            "{path}: {} pages in {took:.2?}, decoding images {:.2?} a page",
            text.pages.len(),
            decoding / n
        );
        for p in &text.pages {
            for (i, img) in p.images.iter().enumerate() {
                let (dx, dy) = dpi_of(img);
                if let Some(dir) = &dump {
                    let stem = std::path::Path::new(&path)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let color = if img.channels == 1 {
                        image::ExtendedColorType::L8
                    } else {
                        image::ExtendedColorType::Rgb8
                    };
                    let out = dir.join(format!("{stem}-p{}-{i}.png", p.number));
                    image::save_buffer(&out, &img.pixels, img.width, img.height, color)?;
                }
                println!(
                    "  page {}: {}×{}×{} at {dx:.1}×{dy:.1} dpi",
                    p.number, img.width, img.height, img.channels
                );
            }
            for n in &p.image_notes {
                println!("  page {}: note: {n}", p.number);
            }
        }
    }
    Ok(())
}
