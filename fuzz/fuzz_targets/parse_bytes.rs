//! Arbitrary bytes, format sniffed: every input must give Ok(report) or a typed Err.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ogi_report::parse_bytes(data);
});
