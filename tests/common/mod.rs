//! Shared by the hostile-input suites: a global allocator that counts, per thread, the
//! largest single allocation and the peak of live bytes, so a case can assert bounded memory.

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
