//! Arbitrary UTF-8 text through the text pipeline (normalize, parse, check).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = ogi_report::parse_str(text);
});
