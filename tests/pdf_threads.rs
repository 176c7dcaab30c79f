//! A PDF's pages read on several threads give the very report one thread gives: pages are
//! read apart and put together in page order (`Options::threads`).

use std::path::{Path, PathBuf};

use ogi_report::{OcrMode, Options};

fn corpus_pdfs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("the bundled corpus")
        .flatten()
        .filter(|d| d.path().is_dir())
        .flat_map(|d| {
            std::fs::read_dir(d.path())
                .expect("a corpus folder")
                .flatten()
        })
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    pdfs
}

#[test]
fn reports_are_the_same_on_one_thread_and_on_several() {
    let pdfs = corpus_pdfs();
    assert!(pdfs.len() >= 30, "{} PDFs in corpus/", pdfs.len());
    let one = Options::default().with_ocr(OcrMode::Never);
    let three = one.clone().with_threads(3);
    let mut compared = 0;
    for p in &pdfs {
        let a = ogi_report::parse_path_with(p, &one);
        let b = ogi_report::parse_path_with(p, &three);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                let (ja, jb) = (
                    serde_json::to_string(&a).expect("json"),
                    serde_json::to_string(&b).expect("json"),
                );
                assert_eq!(ja, jb, "{}", p.display());
                let numbers = a.cells().iter().filter(|(_, c)| c.value.is_some()).count();
                assert!(numbers > 50, "{}: {numbers} cells read", p.display());
                compared += 1;
            }
            (a, b) => assert_eq!(
                a.map(|_| ()).map_err(|e| e.to_string()),
                b.map(|_| ()).map_err(|e| e.to_string()),
                "{}",
                p.display()
            ),
        }
    }
    // the text-layer PDFs all parse (the scans are not bundled as PDFs here)
    assert_eq!(compared, pdfs.len());
}
