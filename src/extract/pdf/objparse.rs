//! Parsing one indirect object (`n g obj … endobj`) in its ordinary forms, to the same
//! lopdf `Object` lopdf's own parser gives, at a fraction of its cost (that one is built
//! from nom combinators and allocates per token; a browser's PDF spends most of its load
//! time there, in the number arrays of its fonts). A stream's data is not copied: it is
//! read where it lies in the file ([`super::objects::raw_data`]).
//!
//! Only what is plainly written is taken: comments, string escapes, a stream length given
//! by reference, deep nesting, a `#` that does not start an escape, a token run into the
//! next, numbers out of range — anything where the two parsers could part — give `None`,
//! and the caller parses the object with lopdf.

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

/// Deepest array/dictionary nesting taken (lopdf allows 100).
const MAX_DEPTH: usize = 64;
/// Deepest parenthesis nesting in a string taken (lopdf allows 100).
const MAX_PARENS: usize = 64;

/// Byte classes, looked up once per byte: 0 regular, 1 white space, 2 delimiter.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let spaces = b" \t\n\r\0\x0C";
    let mut i = 0;
    while i < spaces.len() {
        t[spaces[i] as usize] = 1;
        i += 1;
    }
    let delimiters = b"()<>[]{}/%";
    let mut i = 0;
    while i < delimiters.len() {
        t[delimiters[i] as usize] = 2;
        i += 1;
    }
    t
};

fn is_space(c: u8) -> bool {
    CLASS[c as usize] == 1
}

fn is_regular(c: u8) -> bool {
    CLASS[c as usize] == 0
}

/// ASCII digits as a number of type `T`; `None` past its range (as `str::parse` says).
fn uint<T: TryFrom<u64>>(digits: &[u8]) -> Option<T> {
    let mut v: u64 = 0;
    for &d in digits {
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    T::try_from(v).ok()
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    /// The items of the arrays open now, innermost last: an array is moved out of it at its
    /// `]` into a `Vec` of its exact size, instead of growing one by doubling (a font's
    /// `/Widths` or `/Differences` holds hundreds).
    items: Vec<Object>,
}

/// Most array items whose room [`ITEMS`] keeps between objects.
const MAX_KEPT_ITEMS: usize = 4096;

thread_local! {
    /// [`Parser::items`]' buffer, kept between objects (a document has thousands).
    static ITEMS: std::cell::Cell<Vec<Object>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The object `id` at `offset` of `buffer`, or `None` (see the module comment).
pub fn parse(buffer: &[u8], offset: usize, id: ObjectId) -> Option<Object> {
    let mut p = Parser {
        b: buffer,
        i: offset,
        items: ITEMS.take(),
    };
    let o = p.indirect(id);
    // what an object that failed half way left is dropped; the buffer's capacity stays, up
    // to a bound (a hostile array of millions is not held on to after its document)
    p.items.clear();
    if p.items.capacity() > MAX_KEPT_ITEMS {
        p.items = Vec::new();
    }
    ITEMS.set(p.items);
    o
}

impl<'a> Parser<'a> {
    /// `id 0 obj` and its object (a stream with its data).
    fn indirect(&mut self, id: ObjectId) -> Option<Object> {
        self.spaces()?;
        let n: u32 = uint(self.digits()?)?;
        if !self.spaces1()? {
            return None;
        }
        let g: u16 = uint(self.digits()?)?;
        if !self.spaces1()? || (n, g) != id {
            return None;
        }
        if !self.rest().starts_with(b"obj") {
            return None;
        }
        self.i += 3;
        self.spaces()?;
        let o = self.object(0)?;
        let Object::Dictionary(dict) = o else {
            return Some(o);
        };
        // a stream: `stream`, spaces or tabs, an end of line, /Length bytes, `endstream`
        self.spaces()?;
        if !self.rest().starts_with(b"stream") {
            return Some(Object::Dictionary(dict));
        }
        self.i += 6;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        self.eol()?;
        let len = match dict.get(b"Length").ok()? {
            Object::Integer(n) => usize::try_from(*n).ok()?,
            _ => return None,
        };
        let start = self.i;
        self.b.get(start..start.checked_add(len)?)?;
        self.i += len;
        let _ = self.eol();
        if !self.rest().starts_with(b"endstream") {
            return None;
        }
        // the data is left where it lies (see `objects::raw_data`), as lopdf leaves a
        // stream whose length it could not resolve
        Some(Object::Stream(Stream::with_position(dict, start)))
    }

    fn rest(&self) -> &'a [u8] {
        self.b.get(self.i..).unwrap_or(&[])
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Skips white space; `None` at a comment (not taken).
    fn spaces(&mut self) -> Option<()> {
        while let Some(c) = self.peek() {
            if is_space(c) {
                self.i += 1;
            } else if c == b'%' {
                return None;
            } else {
                break;
            }
        }
        Some(())
    }

    /// [`Self::spaces`], and whether there were any.
    fn spaces1(&mut self) -> Option<bool> {
        let at = self.i;
        self.spaces()?;
        Some(self.i > at)
    }

    fn eol(&mut self) -> Option<()> {
        match (self.peek(), self.b.get(self.i + 1)) {
            (Some(b'\r'), Some(b'\n')) => self.i += 2,
            (Some(b'\n' | b'\r'), _) => self.i += 1,
            _ => return None,
        }
        Some(())
    }

    /// A run of ASCII digits (at least one).
    fn digits(&mut self) -> Option<&'a [u8]> {
        let s = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if self.i == s {
            return None;
        }
        self.b.get(s..self.i)
    }

    /// The token must end here: at white space, a delimiter or the end.
    fn ends(&self) -> Option<()> {
        match self.peek() {
            Some(c) if is_regular(c) => None,
            _ => Some(()),
        }
    }

    /// One object and the white space after it.
    fn object(&mut self, depth: usize) -> Option<Object> {
        if depth > MAX_DEPTH {
            return None;
        }
        let c = self.peek()?;
        let o = match c {
            b'/' => Object::Name(self.name()?),
            b'(' => Object::String(self.literal()?, StringFormat::Literal),
            b'<' if self.b.get(self.i + 1) == Some(&b'<') => {
                self.i += 2;
                self.spaces()?;
                let mut d = Dictionary::new();
                loop {
                    match self.peek()? {
                        b'>' => {
                            if self.b.get(self.i + 1) != Some(&b'>') {
                                return None;
                            }
                            self.i += 2;
                            break;
                        }
                        b'/' => {
                            let k = self.name()?;
                            self.spaces()?;
                            let v = self.object(depth + 1)?;
                            d.set(k, v);
                        }
                        _ => return None,
                    }
                }
                Object::Dictionary(d)
            }
            b'<' => Object::String(self.hex()?, StringFormat::Hexadecimal),
            b'[' => {
                self.i += 1;
                self.spaces()?;
                let start = self.items.len();
                while self.peek()? != b']' {
                    let o = self.object(depth + 1)?;
                    self.items.push(o);
                }
                self.i += 1;
                Object::Array(self.items.drain(start..).collect())
            }
            b't' | b'f' | b'n' => {
                let r = self.rest();
                let (o, n) = if r.starts_with(b"true") {
                    (Object::Boolean(true), 4)
                } else if r.starts_with(b"false") {
                    (Object::Boolean(false), 5)
                } else if r.starts_with(b"null") {
                    (Object::Null, 4)
                } else {
                    return None;
                };
                self.i += n;
                self.ends()?;
                o
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number()?,
            _ => return None,
        };
        self.spaces()?;
        Some(o)
    }

    /// A number, or a reference `n g R` (tried first, as lopdf does).
    fn number(&mut self) -> Option<Object> {
        let s = self.i;
        if let Some(r) = self.reference() {
            return Some(r);
        }
        self.i = s;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.i += 1;
        }
        let int_digits = self.digits().map_or(0, <[u8]>::len);
        let real = self.peek() == Some(b'.');
        if real {
            self.i += 1;
            let frac = self.digits().map_or(0, <[u8]>::len);
            if int_digits == 0 && frac == 0 {
                return None;
            }
        } else if int_digits == 0 {
            return None;
        }
        self.ends()?;
        let text = self.b.get(s..self.i)?;
        if real {
            Some(Object::Real(std::str::from_utf8(text).ok()?.parse().ok()?))
        } else {
            // an optional sign and digits: read as `str::parse::<i64>` reads them
            let (neg, digits) = match text.split_first() {
                Some((b'-', d)) => (true, d),
                Some((b'+', d)) => (false, d),
                _ => (false, text),
            };
            let mag: u64 = uint(digits)?;
            let v = if neg {
                0i64.checked_sub_unsigned(mag)?
            } else {
                i64::try_from(mag).ok()?
            };
            Some(Object::Integer(v))
        }
    }

    fn reference(&mut self) -> Option<Object> {
        let n: u32 = uint(self.digits()?)?;
        self.spaces()?;
        let g: u16 = uint(self.digits()?)?;
        self.spaces()?;
        if self.peek() != Some(b'R') {
            return None;
        }
        self.i += 1;
        self.ends()?;
        Some(Object::Reference((n, g)))
    }

    fn name(&mut self) -> Option<Vec<u8>> {
        self.i += 1;
        // most names have no `#` escape: their bytes as written, in one allocation
        let rest = self.rest();
        let len = rest
            .iter()
            .position(|&c| !is_regular(c))
            .unwrap_or(rest.len());
        if !rest[..len].contains(&b'#') {
            self.i += len;
            return Some(rest[..len].to_vec());
        }
        let mut out = Vec::with_capacity(len);
        while let Some(c) = self.peek() {
            if c == b'#' {
                let h = self.b.get(self.i + 1..self.i + 3)?;
                let v = u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()?;
                if !h.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                out.push(v);
                self.i += 3;
            } else if is_regular(c) {
                out.push(c);
                self.i += 1;
            } else {
                break;
            }
        }
        Some(out)
    }

    /// `( … )` with balanced parentheses and no backslash: its bytes as written.
    fn literal(&mut self) -> Option<Vec<u8>> {
        let s = self.i + 1;
        let mut depth = 0usize;
        let mut j = s;
        loop {
            match *self.b.get(j)? {
                b'\\' => return None,
                b'(' => {
                    depth += 1;
                    if depth > MAX_PARENS {
                        return None;
                    }
                }
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                _ => {}
            }
            j += 1;
        }
        self.i = j + 1;
        Some(self.b.get(s..j)?.to_vec())
    }

    /// `< … >`: hex digits and white space, an odd last digit padded with 0.
    fn hex(&mut self) -> Option<Vec<u8>> {
        self.i += 1;
        let mut out = Vec::new();
        let mut half = false;
        loop {
            let c = self.peek()?;
            self.i += 1;
            let v = match c {
                b'>' => break,
                c if is_space(c) => continue,
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return None,
            };
            if half {
                if let Some(last) = out.last_mut() {
                    *last |= v;
                }
            } else {
                out.push(v << 4);
            }
            half = !half;
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use lopdf::xref::{Xref, XrefEntry, XrefType};

    use super::super::objects::in_memory;
    use super::super::xref::reader;
    use super::parse;

    /// Our parse of the object at 0, a stream's data read from where it lies.
    fn ours(text: &[u8]) -> Option<lopdf::Object> {
        parse(text, 0, (1, 0)).map(|o| in_memory(o, text))
    }

    /// lopdf's parse of the object at 0.
    fn lopdf(text: &[u8]) -> Option<lopdf::Object> {
        let mut table = Xref::new(0, XrefType::CrossReferenceTable);
        table.insert(
            1,
            XrefEntry::Normal {
                offset: 0,
                generation: 0,
            },
        );
        reader(text, table)
            .get_object((1, 0), &mut HashSet::new())
            .ok()
    }

    /// Objects taken parse as lopdf parses them; the others are left to it.
    #[test]
    fn objects_parse_as_lopdf_parses_them_or_are_left_to_it() {
        let taken: &[&[u8]] = &[
            b"1 0 obj\n<</Type/Font/Widths[500 250.5 -.5 +3 1. 0]/W[1 [2 3] 4 5 6]/F 12 0 R>>\nendobj",
            b"1 0 obj <</A#20B (x(y)z) /C <4 1 4> /D <> /E true /F false /G null /H []>> endobj",
            b"1 0 obj\r\n[1 0 R 2 0R 3 4 5 R 6 7]\r\nendobj",
            b"1 0 obj\n<</Length 5>>stream\nabcde\nendstream\nendobj",
            b"1 0 obj\n<</Length 5/Filter/FlateDecode>> stream \r\nabcde\r\nendstream\nendobj",
            b"1 0 obj 42 endobj",
            b"1 0 obj (line\r\nbreak\rkept) endobj",
            b"1 0 obj <</K<</K<</K[/a/b]>>>>>> endobj",
        ];
        for t in taken {
            let ours = ours(t);
            assert!(ours.is_some(), "{}", String::from_utf8_lossy(t));
            assert_eq!(ours, lopdf(t), "{}", String::from_utf8_lossy(t));
        }
        let left: &[&[u8]] = &[
            b"1 0 obj (a\\)b) endobj",
            b"1 0 obj <</A 1 % note\n>> endobj",
            b"1 0 obj <</Length 2 0 R>>stream\nab\nendstream endobj",
            b"1 0 obj <</Length 9>>stream\nab\nendstream endobj",
            b"1 0 obj [1 2 3abc] endobj",
            b"1 0 obj /A#zz endobj",
            b"1 0 obj 99999999999999999999 endobj",
            b"2 0 obj 1 endobj",
            b"1 0 obj [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] endobj",
            b"1 0 obj <</A (unterminated",
        ];
        for t in left {
            assert_eq!(ours(t), None, "{}", String::from_utf8_lossy(t));
        }
    }

    /// A stream's data is not copied: it is read from the file where it lies.
    #[test]
    fn stream_data_stays_in_the_file() {
        let t = b"1 0 obj\n<</Length 5>>stream\nabcde\nendstream\nendobj";
        let Some(lopdf::Object::Stream(s)) = parse(t, 0, (1, 0)) else {
            panic!("not a stream");
        };
        assert!(s.content.is_empty());
        assert_eq!(super::super::objects::raw_data(t, &s), b"abcde");
        assert_eq!(super::super::objects::raw_data(&t[..30], &s), b"");
    }

    /// Arrays nest through the shared item buffer, also after an array left half read.
    #[test]
    fn nested_arrays_after_a_failed_one() {
        assert_eq!(ours(b"1 0 obj [1 [2 3 4abc] endobj"), None);
        let t = b"1 0 obj [[5 6] [7 [8 [] 9]] <</A [10]>> 11] endobj";
        let ours = ours(t);
        assert!(ours.is_some());
        assert_eq!(ours, lopdf(t));
    }

    proptest::proptest! {
        /// Numbers and names of every form (signs, leading zeros, out of range, escapes)
        /// read as lopdf reads them, or left to it.
        #[test]
        fn numbers_and_names_as_lopdf_reads_them(toks in proptest::collection::vec(
            proptest::string::string_regex(
                "[+-]?[0-9]{0,21}(\\.[0-9]{0,4})?|/[A-Za-z#0-9]{0,6}|[0-9]{1,11} [0-9]{1,6} R"
            ).unwrap(),
            0..12,
        )) {
            let text = format!("1 0 obj [{}] endobj", toks.join(" "));
            if let Some(o) = ours(text.as_bytes()) {
                proptest::prop_assert_eq!(Some(o), lopdf(text.as_bytes()), "{}", text);
            }
        }
    }

    /// Every one-byte change of some objects (each position, a set of telling bytes):
    /// what is taken is what lopdf gives.
    #[test]
    fn damaged_objects_are_lopdfs_or_left_to_it() {
        let samples: &[&[u8]] = &[
            b"1 0 obj\n<</Type/Font/W[1 [2 3.5] 4 5 6]/F 12 0 R/N/A#41 /S(a(b)c)/H<0a1>>>\nendobj",
            b"1 0 obj\n<</Length 4>>stream\r\nabcd\r\nendstream\nendobj",
            b"1 0 obj [true false null -1 +.5 7 0 R] endobj",
        ];
        let bytes: &[u8] = b" \n\r/#()<>[]%\\0159.-+Raefnt";
        let mut n = 0;
        for t in samples {
            for i in 0..t.len() {
                for &c in bytes {
                    let mut v = t.to_vec();
                    v[i] = c;
                    if let Some(o) = ours(&v) {
                        assert_eq!(Some(o), lopdf(&v), "{}", String::from_utf8_lossy(&v));
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 100);
    }
}
