//! Legacy Word `.doc` / WPS `.wps` files: the corpus renderings against `expected.json`, the
//! same bytes under a `.wps` name, and hostile compound files built from a real one.

mod common;
#[path = "common/expected.rs"]
mod expected;

use ogi_report::{Error, InputFormat, Report};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The corpus folders that carry a `rendered.doc` (all three must be there).
const FOLDERS: &[&str] = &[
    "2019-shanghai-city-gov-office",
    "2021-fujian-pingtan-zone",
    "2024-huaian-hongze-district",
];

fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name)
}

fn doc_bytes(name: &str) -> Vec<u8> {
    let p = folder(name).join("rendered.doc");
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn values(r: &Report) -> Vec<(String, Option<f64>)> {
    r.cells()
        .into_iter()
        .map(|(k, c)| (k, c.value.map(|n| n.as_f64())))
        .collect()
}

#[test]
fn corpus_docs_match_expected() {
    for name in FOLDERS {
        let report = ogi_report::parse_path(folder(name).join("rendered.doc"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(report.metadata.format, InputFormat::Doc, "{name}");
        let want = expected::load(&folder(name));
        let o = expected::compare(&report, &want, &serde_json::Map::new());
        assert!(
            o.failures.is_empty(),
            "{name}: {} wrong:\n{}",
            o.failures.len(),
            o.failures.join("\n")
        );
        // every cell is read: none had to be left null
        assert_eq!(o.right, want.len(), "{name}");
        assert!(o.right > 100, "{name}: only {} cells", o.right);
    }
}

#[test]
fn doc_cells_are_the_html_cells() {
    let name = "2019-shanghai-city-gov-office";
    let doc = ogi_report::parse_path(folder(name).join("rendered.doc")).unwrap();
    let html = ogi_report::parse_path(folder(name).join("source.html")).unwrap();
    assert_eq!(values(&doc), values(&html));
    // a known value from table 三 (申请人 自然人, 本年新收)
    assert_eq!(
        doc.value("applications.new_received.natural_person")
            .map(|n| n.as_f64()),
        Some(821.0)
    );
}

#[test]
fn same_bytes_named_wps_give_the_same_report() {
    let dir = std::env::temp_dir().join(format!("ogi-doc-wps-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in FOLDERS {
        let bytes = doc_bytes(name);
        let wps = dir.join(format!("{name}.wps"));
        std::fs::write(&wps, &bytes).unwrap();
        let a = ogi_report::parse_path(folder(name).join("rendered.doc")).unwrap();
        let b = ogi_report::parse_path(&wps).unwrap();
        let c = ogi_report::parse_bytes(&bytes).unwrap();
        assert_eq!(values(&a), values(&b), "{name}");
        assert_eq!(values(&a), values(&c), "{name}");
        assert_eq!(b.metadata.format, InputFormat::Doc);
    }
    // a folder walk picks up .wps files
    let found = ogi_report::inputs::find(&[&dir], ogi_report::inputs::EXTENSIONS);
    assert_eq!(found.len(), FOLDERS.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------- hostile compound files

const SECTOR: usize = 512;

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().unwrap())
}

fn put_u32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_le_bytes());
}

/// File offset of the directory entry named `name` (found by its UTF-16 name).
fn dir_entry(b: &[u8], name: &str) -> usize {
    let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let at = b
        .windows(utf16.len())
        .position(|w| w == utf16.as_slice())
        .expect("directory entry");
    assert_eq!(at % 128, 0, "directory entries are 128-byte aligned");
    at
}

/// File offset of FAT entry `sid` (FAT sectors from the header's DIFAT).
fn fat_entry(b: &[u8], sid: u32) -> usize {
    let per = SECTOR / 4;
    let fat_sector = u32_at(b, 0x4C + 4 * (sid as usize / per));
    (fat_sector as usize + 1) * SECTOR + 4 * (sid as usize % per)
}

/// Asserts the parse is an error of the kind `ok` accepts, quickly and with bounded memory.
fn assert_rejected(case: &str, bytes: &[u8], ok: impl Fn(&Error) -> bool) {
    common::reset_counters();
    let t = Instant::now();
    let r = ogi_report::parse_bytes(bytes);
    let took = t.elapsed();
    let (max_one, _peak) = common::counters();
    match r {
        Err(e) if ok(&e) => {}
        other => panic!("{case}: unexpected result {:?}", other.map(|_| "a report")),
    }
    // a hang detector, not a speed target
    assert!(took < Duration::from_secs(5), "{case}: took {took:?}");
    assert!(
        max_one < 16 * bytes.len().max(1 << 20),
        "{case}: allocated {max_one} bytes at once"
    );
}

fn damaged(e: &Error) -> bool {
    matches!(e, Error::Damaged { format: "doc", .. })
}

#[test]
fn fat_loops_are_damaged() {
    let orig = doc_bytes(FOLDERS[0]);
    let entry = dir_entry(&orig, "WordDocument");
    let start = u32_at(&orig, entry + 0x74);
    let second = u32_at(&orig, fat_entry(&orig, start));
    let third = u32_at(&orig, fat_entry(&orig, second));
    // back to the chain's first sector
    let mut b = orig.clone();
    put_u32(&mut b, fat_entry(&orig, second), start);
    assert_rejected("loop to start", &b, damaged);
    // a later sector pointing back into the middle of the chain
    let mut b = orig.clone();
    put_u32(&mut b, fat_entry(&orig, third), second);
    assert_rejected("loop inside", &b, damaged);
    // a sector pointing to itself
    let mut b = orig.clone();
    put_u32(&mut b, fat_entry(&orig, second), second);
    assert_rejected("self loop", &b, damaged);
}

#[test]
fn sectors_past_the_end_are_damaged() {
    let orig = doc_bytes(FOLDERS[0]);
    let entry = dir_entry(&orig, "WordDocument");
    let start = u32_at(&orig, entry + 0x74);
    // the stream starts beyond the file
    let mut b = orig.clone();
    put_u32(&mut b, entry + 0x74, 0x00FF_FFF0);
    assert_rejected("start past EOF", &b, damaged);
    // a FAT entry in the middle of the chain points beyond the file
    let mut b = orig.clone();
    put_u32(&mut b, fat_entry(&orig, start), 0x00FF_FFF0);
    assert_rejected("FAT past EOF", &b, damaged);
    // the header claims a FAT sector beyond the file
    let mut b = orig;
    put_u32(&mut b, 0x4C, 0x00FF_FFF0);
    assert_rejected("DIFAT past EOF", &b, damaged);
}

#[test]
fn huge_stream_sizes_are_damaged() {
    let orig = doc_bytes(FOLDERS[0]);
    for name in ["WordDocument", "1Table"] {
        for size in [0x8000_0000u32, 0xFFFF_FFF0] {
            let mut b = orig.clone();
            let entry = dir_entry(&b, name);
            put_u32(&mut b, entry + 0x78, size);
            assert_rejected(&format!("{name} of {size} bytes"), &b, damaged);
        }
    }
}

#[test]
fn truncated_files_are_damaged() {
    let orig = doc_bytes(FOLDERS[0]);
    for cut in [
        8,
        100,
        SECTOR,
        SECTOR + 1,
        orig.len() / 3,
        orig.len() / 2,
        orig.len() - 1000,
    ] {
        assert_rejected(&format!("cut at {cut}"), &orig[..cut], damaged);
    }
}

/// Rewrites bytes of a stream inside the compound file.
fn patch_stream(orig: &[u8], stream: &str, at: u64, with: &[u8]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::open(std::io::Cursor::new(orig.to_vec())).unwrap();
    {
        let mut s = cf.open_stream(stream).unwrap();
        s.seek(SeekFrom::Start(at)).unwrap();
        s.write_all(with).unwrap();
        s.flush().unwrap();
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

fn read_stream(orig: &[u8], stream: &str) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::open(std::io::Cursor::new(orig)).unwrap();
    let mut out = Vec::new();
    cf.open_stream(stream)
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn encrypted_flags_give_encrypted() {
    let orig = doc_bytes(FOLDERS[0]);
    let word = read_stream(&orig, "/WordDocument");
    let flags = u16::from_le_bytes([word[0x0A], word[0x0B]]);
    for bit in [0x0100u16, 0x8000 | 0x0100] {
        let b = patch_stream(&orig, "/WordDocument", 0x0A, &(flags | bit).to_le_bytes());
        assert_rejected(&format!("flags {bit:#x}"), &b, |e| {
            matches!(e, Error::Encrypted)
        });
    }
    // the patch itself leaves a readable file
    let b = patch_stream(&orig, "/WordDocument", 0x0A, &flags.to_le_bytes());
    assert!(ogi_report::parse_bytes(&b).is_ok());
}

/// Offset in the table stream of the first PCD's 32-bit fc, and of the CP array.
fn piece_table(orig: &[u8]) -> (String, usize, usize) {
    let word = read_stream(orig, "/WordDocument");
    let table = if u16::from_le_bytes([word[0x0A], word[0x0B]]) & 0x0200 != 0 {
        "/1Table"
    } else {
        "/0Table"
    };
    let fc_clx = u32_at(&word, 0x1A2) as usize;
    let t = read_stream(orig, table);
    let mut i = fc_clx;
    while t[i] == 1 {
        i += 3 + u16::from_le_bytes([t[i + 1], t[i + 2]]) as usize;
    }
    assert_eq!(t[i], 2);
    let lcb = u32_at(&t, i + 1) as usize;
    let plc = i + 5;
    let n = (lcb - 4) / 12;
    (table.to_string(), plc + (n + 1) * 4 + 2, plc)
}

#[test]
fn pieces_past_the_stream_are_damaged() {
    let orig = doc_bytes(FOLDERS[0]);
    let (table, fc_at, cps) = piece_table(&orig);
    let t = read_stream(&orig, &table);
    // first piece's text far beyond the WordDocument stream (compression bit kept)
    let fc = u32_at(&t, fc_at);
    let b = patch_stream(
        &orig,
        &table,
        fc_at as u64,
        &((fc & 0x4000_0000) | 0x3FF0_0000).to_le_bytes(),
    );
    assert_rejected("piece fc past stream", &b, damaged);
    // first piece and the main text (ccpText, FIB offset 0x4C) claiming two billion characters
    let b = patch_stream(&orig, &table, cps as u64 + 4, &0x7FFF_FFFFu32.to_le_bytes());
    let b = patch_stream(&b, "/WordDocument", 0x4C, &0x7FFF_FFF0u32.to_le_bytes());
    assert_rejected("piece of 2G characters", &b, |e| {
        damaged(e) || matches!(e, Error::Limit(_))
    });
    // the CLX itself placed beyond the table stream
    let b = patch_stream(&orig, "/WordDocument", 0x1A2, &0x7FFF_0000u32.to_le_bytes());
    assert_rejected("CLX past stream", &b, damaged);
    // a CLX length of 2 GB
    let b = patch_stream(&orig, "/WordDocument", 0x1A6, &0x8000_0000u32.to_le_bytes());
    assert_rejected("CLX of 2 GB", &b, damaged);
}

#[test]
fn an_ole2_file_without_word_is_unsupported() {
    let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    cf.create_stream("/Workbook")
        .unwrap()
        .write_all(&[0u8; 5000])
        .unwrap();
    cf.flush().unwrap();
    let bytes = cf.into_inner().into_inner();
    assert!(matches!(
        ogi_report::parse_bytes(&bytes),
        Err(Error::Unsupported(_))
    ));
}

#[test]
fn mutated_docs_never_panic() {
    let orig = doc_bytes(FOLDERS[1]);
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let t = Instant::now();
    for _ in 0..200 {
        let mut b = orig.clone();
        for _ in 0..6 {
            let i = (next() as usize) % b.len();
            b[i] = next() as u8;
        }
        // a panic fails the test; any Ok or typed Err is fine
        let _ = ogi_report::parse_bytes(&b);
    }
    assert!(t.elapsed() < Duration::from_secs(60));
}
