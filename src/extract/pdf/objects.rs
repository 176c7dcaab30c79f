//! Small helpers over lopdf objects that never panic.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex, OnceLock};

use super::fonts::Font;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::decode::decode;
use super::types::{PdfError, PdfLimits};

/// Follows references (bounded).
pub fn deref<'a>(doc: &'a Document, mut o: &'a Object) -> &'a Object {
    for _ in 0..16 {
        match o {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(t) => o = t,
                Err(_) => return &Object::Null,
            },
            _ => return o,
        }
    }
    &Object::Null
}

pub fn dict_get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key)
        .ok()
        .map(|o| deref(doc, o))
        .filter(|o| !matches!(o, Object::Null))
}

pub fn get_name(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    match dict_get(doc, d, key)? {
        Object::Name(n) => Some(n.clone()),
        _ => None,
    }
}

pub fn num(doc: &Document, o: &Object) -> Option<f32> {
    match deref(doc, o) {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

/// Object as a dictionary (a stream's dictionary too).
pub fn as_dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, o) {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub use super::decode::TooLarge;

/// A stream's data as stored (still encoded). The loader leaves the data of the streams
/// it parses in the file instead of copying it (a browser's PDF is mostly font programs
/// and content streams, hundreds of KiB of fresh pages otherwise): such a stream has no
/// `content` and, as lopdf marks a stream whose data it did not read, a `start_position`,
/// with its `/Length` a direct number. `file` is the buffer the document was loaded from
/// (from its `%PDF-` on).
pub fn raw_data<'a>(file: &'a [u8], s: &'a Stream) -> &'a [u8] {
    if !s.content.is_empty() {
        return &s.content;
    }
    match (s.start_position, s.dict.get(b"Length")) {
        (Some(start), Ok(Object::Integer(n))) => usize::try_from(*n)
            .ok()
            .and_then(|n| file.get(start..start.checked_add(n)?))
            .unwrap_or(&[]),
        _ => &[],
    }
}

/// Copies a stream's data left in `file` into the stream, as lopdf's parser gives it.
pub fn copy_in(s: &mut Stream, file: &[u8]) {
    if s.content.is_empty() {
        s.content = raw_data(file, s).to_vec();
    }
    s.start_position = None;
}

/// `o` with a stream's data left in `file` copied into it ([`copy_in`]).
#[cfg(test)]
pub fn in_memory(mut o: Object, file: &[u8]) -> Object {
    if let Object::Stream(s) = &mut o {
        copy_in(s, file);
    }
    o
}

/// Decoded data of a stream object, `Ok(None)` if it is not a stream or cannot be decoded,
/// `Err` past `max` bytes. Every filter of the chain is
/// decoded here with a bounded decoder (never through lopdf's unbounded one).
pub fn stream_data_checked(
    file: &[u8],
    o: &Object,
    max: usize,
) -> Result<Option<Vec<u8>>, TooLarge> {
    let Object::Stream(s) = o else {
        return Ok(None);
    };
    decode(&s.dict, raw_data(file, s), max)
}

/// The object a value points to, with the id of the last reference followed.
pub fn deref_id<'a>(doc: &'a Document, mut o: &'a Object) -> (Option<ObjectId>, &'a Object) {
    let mut id = None;
    for _ in 0..16 {
        match o {
            Object::Reference(r) => match doc.get_object(*r) {
                Ok(t) => {
                    id = Some(*r);
                    o = t;
                }
                Err(_) => return (None, &Object::Null),
            },
            _ => return (id, o),
        }
    }
    (None, &Object::Null)
}

/// What the interpreters reading one document share: what it may still spend (decoded
/// bytes left, the operators and glyphs run so far), so the document's limits hold however
/// its pages are spread over threads, and the fonts decoded so far, so each is decoded once.
#[derive(Debug)]
pub struct DocBudget {
    /// The fonts decoded so far by font dictionary (its address in the one document the
    /// threads read): each is decoded once, by the first thread to need it.
    pub fonts: Mutex<HashMap<usize, Arc<OnceLock<Arc<Font>>>>>,
    /// Decoded stream bytes left.
    bytes_left: AtomicUsize,
    /// Content operators counted so far (published in batches, see [`Tally`]).
    pub ops: AtomicUsize,
    /// Glyphs counted so far (published in batches, see [`Tally`]).
    pub glyphs: AtomicUsize,
}

impl DocBudget {
    /// A fresh budget for a document read under `limits`.
    pub fn new(limits: &PdfLimits) -> Arc<Self> {
        Arc::new(DocBudget {
            fonts: Mutex::new(HashMap::new()),
            bytes_left: AtomicUsize::new(
                limits
                    .max_decoded_per_document
                    .max(limits.max_decoded_stream),
            ),
            ops: AtomicUsize::new(0),
            glyphs: AtomicUsize::new(0),
        })
    }
}

/// One thread's count of something the whole document is limited in. Counting is local
/// and published to the shared total every [`Tally::BATCH`] (an atomic per operator would
/// bounce a cache line between the cores); `total` is then this thread's exact count plus
/// what the others had published. With one thread it is the exact document count.
#[derive(Debug, Default)]
pub struct Tally {
    /// The document's count as this thread knows it.
    pub total: usize,
    pending: usize,
}

impl Tally {
    /// Counted locally between publications.
    pub const BATCH: usize = 4096;

    /// Counts `n` more; publishes when the batch is full.
    #[inline]
    pub fn add(&mut self, n: usize, shared: &AtomicUsize) {
        self.total = self.total.saturating_add(n);
        self.pending = self.pending.saturating_add(n);
        if self.pending >= Self::BATCH {
            self.publish(shared);
        }
    }

    /// Publishes what was counted locally and learns the others' counts.
    pub fn publish(&mut self, shared: &AtomicUsize) {
        let before = shared.fetch_add(self.pending, Relaxed);
        self.total = before.saturating_add(self.pending);
        self.pending = 0;
    }
}

/// Decoded streams of one document: a cache by object id and a budget of decoded bytes
/// for the whole document, charged every time a content stream is used (so a huge stream
/// shared by every page, or a form drawn over and over, runs out of budget).
pub struct Streams<'a> {
    /// The file the document was loaded from, where its streams' data lies ([`raw_data`]).
    file: &'a [u8],
    max_stream: usize,
    budget: usize,
    shared: Arc<DocBudget>,
    /// Streams decoded once (cached when they come back), and the cached ones.
    seen: RefCell<HashSet<ObjectId>>,
    cache: RefCell<HashMap<ObjectId, Rc<Vec<u8>>>>,
    /// Bytes held in `cache` (at most `max_stream`).
    cached: Cell<usize>,
}

impl<'a> Streams<'a> {
    /// The streams of a document loaded from `file`, read under `limits`, charged to
    /// `shared`.
    pub fn new(file: &'a [u8], limits: &PdfLimits, shared: Arc<DocBudget>) -> Self {
        let budget = limits
            .max_decoded_per_document
            .max(limits.max_decoded_stream);
        Streams {
            file,
            max_stream: limits.max_decoded_stream,
            budget,
            shared,
            seen: RefCell::new(HashSet::new()),
            cache: RefCell::new(HashMap::new()),
            cached: Cell::new(0),
        }
    }

    fn over_budget(&self) -> PdfError {
        PdfError::Limit(format!(
            "the document's streams decode to more than {} bytes in all",
            self.budget
        ))
    }

    fn charge(&self, n: usize) -> Result<(), PdfError> {
        let left = &self.shared.bytes_left;
        match left.fetch_update(Relaxed, Relaxed, |l| Some(l.saturating_sub(n))) {
            Ok(l) if l >= n => Ok(()),
            _ => Err(self.over_budget()),
        }
    }

    fn decode_once(&self, o: &Object) -> Result<Option<Vec<u8>>, PdfError> {
        let max = self.max_stream.min(self.shared.bytes_left.load(Relaxed));
        match stream_data_checked(self.file, o, max) {
            Ok(d) => Ok(d),
            Err(TooLarge) if max < self.max_stream => Err(self.over_budget()),
            Err(TooLarge) => Err(PdfError::Limit(format!(
                "a stream decodes to more than {} bytes",
                self.max_stream
            ))),
        }
    }

    /// Decoded content of a stream (`id` is its object id when it has one), charged
    /// against the document budget on every call. A stream used a second time is cached
    /// (up to `max_decoded_stream` bytes in all), so shared content is inflated once.
    pub fn content(
        &self,
        id: Option<ObjectId>,
        o: &Object,
    ) -> Result<Option<Rc<Vec<u8>>>, PdfError> {
        if let Some(id) = id {
            let hit = self.cache.borrow().get(&id).cloned();
            if let Some(d) = hit {
                self.charge(d.len())?;
                return Ok(Some(d));
            }
        }
        let Some(d) = self.decode_once(o)? else {
            return Ok(None);
        };
        self.charge(d.len())?;
        let d = Rc::new(d);
        if let Some(id) = id {
            let again = !self.seen.borrow_mut().insert(id);
            let room = self.max_stream.saturating_sub(self.cached.get());
            if again && d.len() <= room {
                self.cached.set(self.cached.get().saturating_add(d.len()));
                self.cache.borrow_mut().insert(id, d.clone());
            }
        }
        Ok(Some(d))
    }

    /// Decoded data of a resource stream (font file, CMap), charged once; None when it
    /// cannot be decoded or the budget is spent.
    pub fn data(&self, o: &Object) -> Option<Vec<u8>> {
        let d = self.decode_once(o).ok().flatten()?;
        self.charge(d.len()).ok()?;
        Some(d)
    }
}
