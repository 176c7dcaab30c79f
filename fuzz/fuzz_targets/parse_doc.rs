//! Bytes behind an OLE2 signature, read as a Word `.doc`/`.wps`: every input must give
//! Ok(report) or a typed Err, quickly and within the limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

const OLE2: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fuzz_target!(|data: &[u8]| {
    // Seeds are real .doc files; inputs without the signature get it, so the compound-file
    // and Word readers are reached rather than the text path.
    if data.starts_with(&OLE2) {
        let _ = ogi_report::parse_bytes(data);
    } else {
        let mut b = OLE2.to_vec();
        b.extend_from_slice(data);
        let _ = ogi_report::parse_bytes(&b);
    }
});
