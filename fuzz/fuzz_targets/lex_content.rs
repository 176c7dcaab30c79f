//! Arbitrary bytes through the content-stream lexer alone (seed with decoded page streams).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ogi_report::extract::pdf::stages;

fuzz_target!(|data: &[u8]| {
    // Never panics, always ends; at most one operator per input byte.
    assert!(stages::lex(data) <= data.len().saturating_mul(2) + 1);
});
