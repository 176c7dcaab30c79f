//! Loading only the objects the extractor can reach.
//!
//! lopdf's `Document::load` parses every object of a file; most of a browser's PDF is its
//! structure tree (hundreds of `/StructElem`) and Type 3 glyph procedures, which the
//! extractor never reads. Here the cross-reference is read first ([`super::xref`]), then
//! the objects reachable from the trailer are parsed one by one ([`objparse`], or lopdf's
//! own object parser for what that one leaves), through every key but those the extractor never looks up ([`UNREAD`]). The
//! result is a lopdf `Document` with those objects, the same objects the full load gives.
//!
//! Whenever the two could differ (an encrypted file, a reachable object that does not
//! parse where the cross-reference puts it, an object the cross-reference does not list in
//! a file with object streams), [`load`] gives `None` and the file is loaded in full.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use lopdf::xref::XrefEntry;
use lopdf::{Document, Object, ObjectId, ObjectStream, Stream};

use super::decode::{decode, filters, TooLarge};
use super::objparse;
use super::xref;

/// Dictionary keys whose values the extractor never reads: what only they lead to is left
/// unparsed. (Structure tree, annotations, outlines, metadata, graphics states, patterns
/// and shadings, Type 3 glyph procedures, document-level dictionaries.)
const UNREAD: &[&[u8]] = &[
    b"AA",
    b"AcroForm",
    b"Annots",
    b"CharProcs",
    b"Collection",
    b"Dests",
    b"ExtGState",
    b"Group",
    b"Info",
    b"Legal",
    b"Metadata",
    b"Names",
    b"OCProperties",
    b"OpenAction",
    b"Outlines",
    b"OutputIntents",
    b"PageLabels",
    b"ParentTree",
    b"Pattern",
    b"Perms",
    b"PieceInfo",
    b"Properties",
    b"Shading",
    b"SMask",
    b"StructTreeRoot",
    b"Threads",
    b"Thumb",
    b"ViewerPreferences",
];

/// Resource categories whose keys are names given by content streams (a font may be named
/// `/Info`): every entry of their dictionaries is followed.
const NAMED: &[&[u8]] = &[b"Font", b"XObject", b"ColorSpace"];

/// Why a load gave up: the file is to be loaded in full, or an object stream was over the
/// decoding limit.
pub enum Fallback {
    /// Load it the old way.
    Full,
    /// An object stream decodes to more than the limit.
    TooLarge,
}

/// The objects of `buffer` (from its `%PDF-` on) reachable from the trailer, as a
/// document; object streams decoded under `max` bytes each.
pub fn load(buffer: &[u8], max: usize) -> Result<Document, Fallback> {
    let (table, trailer) = xref::read(buffer, max).ok_or(Fallback::Full)?;
    if trailer.get(b"Encrypt").is_ok() {
        return Err(Fallback::Full);
    }
    let has_containers = table.entries.values().any(XrefEntry::is_compressed);
    let reader = xref::reader(buffer, table);
    let table = &reader.document.reference_table;
    let mut objects: BTreeMap<ObjectId, Object> = BTreeMap::new();
    let mut containers: HashMap<u32, BTreeMap<ObjectId, Object>> = HashMap::new();
    // objects parsed, with whether their references were all followed (as named resources)
    let mut seen: HashMap<ObjectId, bool> = HashMap::new();
    let mut todo: Vec<(ObjectId, bool)> = Vec::new();
    push_refs(&Object::Dictionary(trailer.clone()), false, &mut todo);
    while let Some((id, named)) = todo.pop() {
        match seen.get(&id) {
            Some(&all) if all || !named => continue,
            Some(_) => {
                // reached again as named resources: what its unread keys lead to, too
                seen.insert(id, true);
                if let Some(o) = objects.get(&id) {
                    push_refs(o, true, &mut todo);
                }
                continue;
            }
            None => {
                seen.insert(id, named);
            }
        }
        let object = match table.get(id.0) {
            Some(XrefEntry::Normal { offset, generation }) if *generation == id.1 => {
                match objparse::parse(buffer, *offset as usize, id) {
                    Some(o) => o,
                    None => reader
                        .get_object(id, &mut std::collections::HashSet::new())
                        .map_err(|_| Fallback::Full)?,
                }
            }
            // as in the full load: another generation is not this object
            Some(XrefEntry::Normal { .. }) => continue,
            Some(XrefEntry::Compressed { container, .. }) => {
                let c = *container;
                let objs = match containers.entry(c) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(unpack(&reader, c, max)?)
                    }
                };
                match objs.remove(&id) {
                    Some(o) => o,
                    None => return Err(Fallback::Full),
                }
            }
            // the full load could have found it in some object stream
            None if has_containers => return Err(Fallback::Full),
            _ => continue,
        };
        push_refs(&object, named, &mut todo);
        objects.insert(id, object);
    }
    fill_unsized_streams(buffer, &mut objects);
    let mut doc = reader.document;
    doc.max_id = doc.reference_table.size.saturating_sub(1);
    doc.trailer = trailer;
    doc.objects = objects;
    if let Some(v) = version(buffer) {
        doc.version = v;
    }
    Ok(doc)
}

/// The `1.7` of `%PDF-1.7`.
fn version(buffer: &[u8]) -> Option<String> {
    let v = buffer.get(5..)?;
    let n = v
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b'.')
        .count();
    String::from_utf8(v.get(..n)?.to_vec()).ok()
}

/// The references in `o` onto `todo`, except under [`UNREAD`] keys when `o` is not a
/// dictionary of named resources (`named`); each with whether it is one.
fn push_refs(o: &Object, named: bool, todo: &mut Vec<(ObjectId, bool)>) {
    let mut stack: Vec<(&Object, bool)> = vec![(o, named)];
    while let Some((o, named)) = stack.pop() {
        let dict = match o {
            Object::Reference(id) => {
                todo.push((*id, named));
                continue;
            }
            Object::Array(a) => {
                stack.extend(a.iter().map(|v| (v, false)));
                continue;
            }
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        for (k, v) in dict.iter() {
            if named || !UNREAD.contains(&k.as_slice()) {
                stack.push((v, !named && NAMED.contains(&k.as_slice())));
            }
        }
    }
}

/// The objects of object stream `c` that the cross-reference places in it (as the full
/// load keeps them), its data decoded under `max` bytes.
fn unpack(
    reader: &lopdf::Reader<'_>,
    c: u32,
    max: usize,
) -> Result<BTreeMap<ObjectId, Object>, Fallback> {
    let table = &reader.document.reference_table;
    let id = match table.get(c) {
        Some(XrefEntry::Normal { generation, .. }) => (c, *generation),
        _ => return Err(Fallback::Full),
    };
    let Ok(Object::Stream(mut s)) = reader.get_object(id, &mut std::collections::HashSet::new())
    else {
        return Err(Fallback::Full);
    };
    if !s.dict.has_type(b"ObjStm") {
        return Err(Fallback::Full);
    }
    if !filters(&s.dict).is_empty() {
        match decode(&s.dict, &s.content, max) {
            Ok(d) => {
                s.dict.remove(b"Filter");
                s.dict.remove(b"DecodeParms");
                s.set_content(d.unwrap_or_default());
            }
            Err(TooLarge) => return Err(Fallback::TooLarge),
        }
    }
    let objs = ObjectStream::new(&mut s)
        .map_err(|_| Fallback::Full)?
        .objects;
    Ok(objs
        .into_iter()
        .filter(|((n, _), _)| match table.get(*n) {
            Some(XrefEntry::Compressed { container, .. }) => *container == c,
            _ => true,
        })
        .collect())
}

/// Streams read without their data (a length lopdf could not resolve while parsing) get
/// their `/Length` as resolved now, as the full load does after loading; their data stays
/// in the file.
fn fill_unsized_streams(buffer: &[u8], objects: &mut BTreeMap<ObjectId, Object>) {
    // a direct length is one lopdf resolved (or `objparse` read): only references are left
    let unsized_streams: Vec<(ObjectId, usize, ObjectId)> = objects
        .iter()
        .filter_map(|(id, o)| match o {
            Object::Stream(Stream {
                dict,
                content,
                start_position: Some(start),
                ..
            }) if content.is_empty() => match dict.get(b"Length").ok()? {
                Object::Reference(r) => Some((*id, *start, *r)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    for (id, start, length) in unsized_streams {
        let Some(len) = objects
            .get(&length)
            .and_then(|o| o.as_i64().ok())
            .and_then(|l| usize::try_from(l).ok())
        else {
            continue;
        };
        if start.checked_add(len).is_none_or(|end| end > buffer.len()) {
            continue;
        }
        // the data stays in the file (see `objects::raw_data`), its length now direct
        if let Some(Object::Stream(s)) = objects.get_mut(&id) {
            s.dict.set("Length", len as i64);
        }
    }
}

#[cfg(test)]
mod tests {
    use lopdf::xref::XrefType;
    use lopdf::{dictionary, Document, Object, Stream};

    use super::super::load;
    use super::super::objects::in_memory;
    use super::{load as reach, Fallback};

    fn full(bytes: &[u8]) -> Document {
        load::load_full(bytes, usize::MAX).expect("full load")
    }

    /// Every corpus PDF loads without falling back, and each object it holds is the one
    /// the full load holds.
    #[test]
    fn corpus_pdfs_load_the_same_objects_as_the_full_load() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut n = 0;
        for dir in std::fs::read_dir(&root).expect("corpus").flatten() {
            let Ok(files) = std::fs::read_dir(dir.path()) else {
                continue;
            };
            for f in files.flatten() {
                let p = f.path();
                if p.extension().is_none_or(|e| e != "pdf") {
                    continue;
                }
                let bytes = std::fs::read(&p).expect("read");
                let Ok(doc) = reach(&bytes, usize::MAX) else {
                    panic!("{} fell back to the full load", p.display());
                };
                let all = full(&bytes);
                assert!(doc.objects.len() <= all.objects.len());
                for (id, o) in &doc.objects {
                    let o = in_memory(o.clone(), &bytes);
                    assert_eq!(all.objects.get(id), Some(&o), "{} {id:?}", p.display());
                }
                assert_eq!(doc.trailer, all.trailer, "{}", p.display());
                assert_eq!(
                    doc.page_iter().collect::<Vec<_>>(),
                    all.page_iter().collect::<Vec<_>>()
                );
                n += 1;
            }
        }
        assert!(n > 0);
    }

    fn saved(mut doc: Document, modern: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        if modern {
            doc.save_modern(&mut bytes).expect("save");
        } else {
            doc.reference_table.cross_reference_type = XrefType::CrossReferenceTable;
            doc.save_to(&mut bytes).expect("save");
        }
        bytes
    }

    /// A one-page document: a font named `/Info` (an unread key elsewhere) and a structure
    /// tree and annotation the reader never uses.
    fn sample() -> (Document, (u32, u16), (u32, u16)) {
        let mut doc = Document::with_version("1.5");
        // ASCII, so that the saved file can be edited as text
        doc.binary_mark = Vec::new();
        let pages_id = doc.new_object_id();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let content = doc.add_object(Stream::new(dictionary! {}, b"BT /Info 12 Tf ET".to_vec()));
        let annot = doc.add_object(dictionary! { "Type" => "Annot", "Subtype" => "Link" });
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "Annots" => vec![annot.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "Info" => font } },
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let tree = doc.add_object(dictionary! { "Type" => "StructTreeRoot" });
        let catalog = doc.add_object(dictionary! {
            "Type" => "Catalog", "Pages" => pages_id, "StructTreeRoot" => tree,
        });
        doc.trailer.set("Root", catalog);
        (doc, font, annot)
    }

    /// Named resources are followed whatever their names; unread keys are not.
    #[test]
    fn named_resources_are_followed_and_unread_keys_are_not() {
        for modern in [false, true] {
            let (doc, font, annot) = sample();
            let bytes = saved(doc, modern);
            let Ok(doc) = reach(&bytes, usize::MAX) else {
                panic!("fell back (object streams: {modern})");
            };
            assert!(doc.objects.contains_key(&font));
            assert!(!doc.objects.contains_key(&annot));
            assert_eq!(doc.page_iter().count(), 1);
        }
    }

    /// Files the cross-reference reader does not take as ordinary load in full: a broken
    /// offset, a cross-reference stream with zero-width fields and a huge /Index, a /Prev
    /// loop, a `startxref` past the end, garbage.
    #[test]
    fn unusual_cross_references_fall_back() {
        let (doc, _, _) = sample();
        let bytes = saved(doc, false);
        let text = String::from_utf8(bytes).expect("ASCII");
        assert!(reach(text.as_bytes(), usize::MAX).is_ok());
        let fell_back = |b: &[u8]| matches!(reach(b, usize::MAX), Err(Fallback::Full));
        // every offset off by one: the objects do not parse where the table puts them
        let shifted = text.replacen("%PDF-1.5", "%PDF-1.5 ", 1);
        assert!(fell_back(shifted.as_bytes()));
        assert!(fell_back(b"%PDF-1.4\nstartxref\n999999\n%%EOF"));
        assert!(fell_back(b"%PDF-1.4\n"));
        assert!(fell_back(b"garbage"));
        // a /Prev naming the table itself: read once
        let start = text.rfind("startxref").expect("startxref");
        let at: String = text[start + 9..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let looped = text.replacen("trailer\n<<", &format!("trailer\n<</Prev {at} "), 1);
        assert_ne!(looped, text);
        let doc = reach(looped.as_bytes(), usize::MAX).ok().expect("loads");
        assert_eq!(doc.page_iter().count(), 1);
        // a cross-reference stream whose fields take no bytes
        let xs = b"%PDF-1.5\n1 0 obj\n<</Type/XRef/Size 5/W[0 0 0]/Index[0 999999999999]/Length 0>>\nstream\n\nendstream\nendobj\nstartxref\n9\n%%EOF\n";
        assert!(fell_back(xs));
    }
}
