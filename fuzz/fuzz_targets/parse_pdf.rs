//! Arbitrary bytes forced through the PDF reader (seed with the corpus PDFs, see README.md).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ogi_report::{InputFormat, Options};

fuzz_target!(|data: &[u8]| {
    let opts = Options::default().with_format(InputFormat::Pdf);
    let _ = ogi_report::parse_bytes_with(data, &opts);
});
