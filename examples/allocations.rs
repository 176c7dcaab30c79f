//! Counts the heap traffic of reading one file: allocations, bytes asked for and the peak of
//! live heap, for the whole parse and for the PDF reader's stages alone. Allocation counts
//! are what profiles show as malloc/free and as page faults of a fresh process.
//!
//! `cargo run --release --example allocations -- corpus/2024-huaian-hongze-district/source.pdf`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator with counters.
struct Counting;

static COUNT: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    COUNT.fetch_add(1, Relaxed);
    BYTES.fetch_add(n, Relaxed);
    let live = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call goes to `System` unchanged; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        grew(l.size());
        unsafe { System.alloc(l) }
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        grew(l.size());
        unsafe { System.alloc_zeroed(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_sub(l.size(), Relaxed);
        grew(new);
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and prints its allocations, bytes and peak live heap above what was live before.
fn measure<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let (c, b, live) = (COUNT.load(Relaxed), BYTES.load(Relaxed), LIVE.load(Relaxed));
    PEAK.store(live, Relaxed);
    let out = f();
    println!(
        "{what:<12} {:>8} allocations {:>10.1} KiB asked {:>8.1} KiB peak live",
        COUNT.load(Relaxed) - c,
        (BYTES.load(Relaxed) - b) as f64 / 1024.0,
        (PEAK.load(Relaxed) - live) as f64 / 1024.0
    );
    out
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: allocations FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).expect("read");
    println!("{path}: {} bytes", bytes.len());
    // once before measuring: lazily built tables (regexes, maps) are not the file's
    let _ = ogi_report::parse_bytes(&bytes);
    if bytes.starts_with(b"%PDF") {
        let limits = ogi_report::extract::pdf::PdfLimits::default();
        let _ = measure("pdf.extract", || {
            ogi_report::extract::pdf::extract(&bytes, &limits)
        });
    }
    let _ = measure("parse", || ogi_report::parse_bytes(&bytes));
}
