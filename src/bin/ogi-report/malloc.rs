//! glibc's allocator, tuned for a run that reads a few files and ends.
//!
//! By default glibc hands every block above 128 KiB to `mmap` and gives the top of the heap
//! back to the system once 128 KiB of it is free. A report's buffers (the file, decoded
//! streams, page glyphs, the text, the JSON) are that size and come and go page by page,
//! so a run paid a fresh page fault for every page of every such buffer, again after each
//! free (half a millisecond of a ten-millisecond run). Here freed memory is kept for reuse
//! up to a bound: blocks below 2 MiB come from the heap, which is trimmed only past 64
//! MiB free, and grows 4 MiB at a time. A worker that parses many files holds at most
//! what its largest file needed plus that bound. Larger blocks (a scanned page's pixels,
//! about 4 MB each at 200 dpi) still go to `mmap` and back at once: kept in the heap, the
//! pages of a scan fragment it and the process's peak grew by a fifth, varying run to run.

/// Sets the allocator's thresholds (glibc on Linux; elsewhere nothing to do).
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        // <malloc.h>
        const M_TRIM_THRESHOLD: i32 = -1;
        const M_TOP_PAD: i32 = -2;
        const M_MMAP_THRESHOLD: i32 = -3;
        // SAFETY: mallopt only sets allocator parameters; called first thing in main,
        // before any other thread exists. A refused value (return 0) leaves the default.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 2 << 20);
            mallopt(M_TRIM_THRESHOLD, 64 << 20);
            mallopt(M_TOP_PAD, 4 << 20);
        }
    }
}
