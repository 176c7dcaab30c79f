//! A PDF of A4 pages built in code: the page tree, catalog and saving that synthetic-PDF
//! tests share (no allocator hooks, unlike `common/mod.rs`).

use lopdf::{dictionary, Document, Object, Stream};

/// Saves `doc` with one A4 page per `(content stream, resources)` pair: resources may be a
/// dictionary or a reference to one shared by pages.
pub fn a4_pdf(mut doc: Document, pages: Vec<(Vec<u8>, Object)>) -> Vec<u8> {
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for (content, resources) in pages {
        let cid = doc.add_object(Stream::new(dictionary! {}, content));
        let pid = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => cid,
            "Resources" => resources,
        });
        kids.push(Object::Reference(pid));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}
