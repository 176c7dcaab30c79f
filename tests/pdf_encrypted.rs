//! Encrypted PDFs: an empty user password is opened; any other is a clear error.

use lopdf::{Document, EncryptionState, EncryptionVersion, Object, Permissions};
use std::path::Path;

fn encrypted(user_password: &str) -> Vec<u8> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/2024-chanhe-justice-bureau/rendered-cid.pdf");
    let mut doc = Document::load(src).unwrap();
    if doc.trailer.get(b"ID").is_err() {
        let id = Object::String(
            b"0123456789abcdef".to_vec(),
            lopdf::StringFormat::Hexadecimal,
        );
        doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    }
    let version = EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner-secret",
        user_password,
        key_length: 128,
        permissions: Permissions::all(),
    };
    let state = EncryptionState::try_from(version).unwrap();
    doc.encrypt(&state).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn empty_user_password_is_opened() {
    let bytes = encrypted("");
    assert!(
        bytes.windows(8).any(|w| w == b"/Encrypt"),
        "the test PDF is not encrypted"
    );
    let report = ogi_report::parse_bytes(&bytes).expect("an empty user password must open");
    assert_eq!(report.metadata.year, Some(2024));
    assert_eq!(
        report.value("applications.new_received.total"),
        Some(ogi_report::Number::Int(0))
    );
    assert!(
        report
            .cell("active_disclosure.rules.issued")
            .and_then(|c| c.raw.as_deref())
            == Some("0")
    );
}

#[test]
fn other_passwords_give_a_specific_error() {
    let bytes = encrypted("reader-secret");
    match ogi_report::parse_bytes(&bytes) {
        Err(ogi_report::Error::Encrypted) => {}
        other => panic!("expected Error::Encrypted, got {other:?}"),
    }
}
