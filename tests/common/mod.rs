//! Shared by the hostile-input suites: a global allocator that counts, per thread, the
//! largest single allocation and the peak of live bytes, so a case can assert bounded memory;
//! and builders of hostile PDFs. Each suite uses part of it.
#![allow(dead_code)]

use lopdf::{dictionary, Dictionary, Document, Object, Stream};
use std::io::Write;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub struct Counting;

thread_local! {
    /// Bytes currently allocated by this thread.
    pub static LIVE: Cell<isize> = const { Cell::new(0) };
    /// Highest value `LIVE` reached.
    pub static PEAK_LIVE: Cell<isize> = const { Cell::new(0) };
    /// Largest single allocation.
    pub static MAX_ONE: Cell<usize> = const { Cell::new(0) };
}

/// Starts counting afresh for this thread.
pub fn reset_counters() {
    LIVE.with(|l| l.set(0));
    PEAK_LIVE.with(|p| p.set(0));
    MAX_ONE.with(|m| m.set(0));
}

/// This thread's largest single allocation and peak of live bytes since `reset_counters`.
pub fn counters() -> (usize, isize) {
    (MAX_ONE.with(Cell::get), PEAK_LIVE.with(Cell::get))
}

fn note_alloc(size: usize) {
    let _ = MAX_ONE.try_with(|m| {
        if size > m.get() {
            m.set(size)
        }
    });
    let _ = LIVE.try_with(|l| {
        let v = l.get() + size as isize;
        l.set(v);
        let _ = PEAK_LIVE.try_with(|p| {
            if v > p.get() {
                p.set(v)
            }
        });
    });
}

fn note_free(size: usize) {
    let _ = LIVE.try_with(|l| l.set(l.get() - size as isize));
}

// SAFETY: forwards every call to `System` unchanged; only counts sizes in thread-locals
// (const-initialised, so touching them never allocates).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_alloc(layout.size());
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_alloc(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note_free(layout.size());
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_free(layout.size());
        note_alloc(new_size);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// zlib of `prefix` then `total` bytes of `fill`, compressed incrementally (never holds them).
pub fn zlib_fill(prefix: &[u8], fill: u8, total: usize) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(prefix).unwrap();
    let chunk = vec![fill; 1 << 20];
    let mut left = total;
    while left > 0 {
        let n = left.min(chunk.len());
        enc.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    enc.finish().unwrap()
}

/// A PDF of `pages` pages sharing one content stream and one Helvetica font; `extra` adds
/// objects and returns entries merged into the shared resources.
pub fn pdf(
    pages: usize,
    content: Stream,
    extra: impl FnOnce(&mut Document) -> Dictionary,
) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let mut res = dictionary! { "Font" => dictionary! { "F1" => font } };
    for (k, v) in extra(&mut doc) {
        res.set(k, v);
    }
    let res = doc.add_object(res);
    let cid = doc.add_object(content.with_compression(false));
    let mut kids = Vec::with_capacity(pages);
    for _ in 0..pages {
        let pid = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => cid, "Resources" => res,
        });
        kids.push(Object::Reference(pid));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => pages as i64,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}
