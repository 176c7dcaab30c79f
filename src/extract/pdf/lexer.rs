//! Content-stream lexer: bytes in, one operator at a time out, its operands borrowed.
//!
//! Replaces lopdf's `Content::decode` on the hot path (that one builds a `Vec<Object>` per
//! operator and a `Vec<u8>` per string, name and number's text). Here the operands of the
//! current operator live in one reused vector; strings and names are spans of the stream,
//! decoded only when the interpreter asks for one ([`Op::bytes`]), into a buffer the caller
//! reuses; numbers are read straight from the bytes. Arrays and dictionaries are flattened:
//! an [`Operand::Open`] marker holds how many operands it encloses, so a level is walked by
//! skipping whole containers ([`level`]).
//!
//! The grammar is lopdf's (same numbers, names, strings and operator runs, so a well-formed
//! stream gives the same operators), but bad input is skipped rather than ending the
//! stream: a stray delimiter or a token that is not a number is dropped and lexing goes
//! on. Nothing here allocates per token, loops without consuming input, or grows without a
//! bound: operands per operator and nesting depth are capped.

use memchr::{memchr, memchr3, memmem};

/// Most operands kept for one operator; past it the operator's operands are dropped.
pub const MAX_OPERANDS: usize = 1 << 18;
/// Deepest array/dictionary nesting kept (deeper brackets are ignored).
const MAX_DEPTH: usize = 64;

/// A byte range of the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn of(data: &[u8], span: Span) -> &[u8] {
        data.get(span.start as usize..span.end as usize)
            .unwrap_or(&[])
    }
}

/// How a string operand is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrKind {
    /// `(...)` without a backslash: the bytes are the string.
    Plain,
    /// `(...)` with escapes to decode.
    Escaped,
    /// `<...>`: hex digits to decode.
    Hex,
}

/// One operand. Strings and names are spans of the stream (inside the delimiters).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand {
    /// An integer.
    Int(i64),
    /// A real number.
    Real(f32),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A name, without its `/` (`#xx` escapes not yet decoded).
    Name(Span),
    /// A string, without its delimiters.
    Str(Span, StrKind),
    /// `[` or `<<`, enclosing the next `inner` operands (up to its [`Operand::Close`]).
    Open { dict: bool, inner: u32 },
    /// `]` or `>>`.
    Close,
}

impl Operand {
    /// The value of a number operand.
    pub fn num(&self) -> Option<f32> {
        match *self {
            Operand::Int(v) => Some(v as f32),
            Operand::Real(v) if v.is_finite() => Some(v),
            _ => None,
        }
    }
}

/// The operands of one level (top level of `ops`, or the inside of a container), each
/// container yielded as its `Open` marker with its contents skipped.
pub fn level(ops: &[Operand]) -> impl Iterator<Item = (usize, &Operand)> + '_ {
    let mut i = 0usize;
    std::iter::from_fn(move || {
        let o = ops.get(i)?;
        let at = i;
        i = match o {
            Operand::Open { inner, .. } => i.saturating_add(*inner as usize).saturating_add(2),
            _ => i + 1,
        };
        Some((at, o))
    })
}

/// One operator with its operands.
#[derive(Debug)]
pub struct Op<'l> {
    /// The operator's name (`Tj`, `cm`, `BI` for a whole inline image, …).
    pub operator: &'l [u8],
    /// All operands, containers flattened (see the module comment).
    pub operands: &'l [Operand],
    /// Whether any operand is an array or dictionary (top-level indexing then walks).
    nested: bool,
    data: &'l [u8],
    /// For `BI`: the inline image (its operands stay empty, as for lopdf).
    pub image: Option<InlineImage<'l>>,
}

/// An inline image (`BI … ID … EI`) as lexed.
#[derive(Debug, Clone, Copy)]
pub struct InlineImage<'l> {
    /// The dictionary's keys and values, flattened like operands (read them with
    /// [`level`] and [`Op::bytes`]).
    pub dict: &'l [Operand],
    /// The image data between `ID` and `EI`.
    pub data: &'l [u8],
}

impl<'l> Op<'l> {
    /// The `i`-th top-level operand.
    pub fn get(&self, i: usize) -> Option<&'l Operand> {
        if self.nested {
            level(self.operands).nth(i).map(|(_, o)| o)
        } else {
            self.operands.get(i)
        }
    }

    /// How many top-level operands.
    pub fn len(&self) -> usize {
        if self.nested {
            level(self.operands).count()
        } else {
            self.operands.len()
        }
    }

    /// The `i`-th top-level operand as a number, 0 when it is not one (as lopdf-based code
    /// read it).
    pub fn num(&self, i: usize) -> f32 {
        self.get(i).and_then(Operand::num).unwrap_or(0.0)
    }

    /// The top-level operands.
    pub fn top(&self) -> impl Iterator<Item = &'l Operand> + 'l {
        level(self.operands).map(|(_, o)| o)
    }

    /// The items of the top-level array at `i` (none when it is not an array).
    pub fn array(&self, i: usize) -> impl Iterator<Item = &'l Operand> + 'l {
        let ops = self.operands;
        let inner = if self.nested {
            level(ops).nth(i).and_then(|(at, o)| match o {
                Operand::Open { dict: false, inner } => ops.get(at + 1..at + 1 + *inner as usize),
                _ => None,
            })
        } else {
            None
        };
        level(inner.unwrap_or(&[])).map(|(_, o)| o)
    }

    /// The bytes of a string or name operand, decoded (`buf` holds them when they need
    /// decoding); `None` for other operands.
    pub fn bytes<'b>(&self, o: &Operand, buf: &'b mut Vec<u8>) -> Option<&'b [u8]>
    where
        'l: 'b,
    {
        let data: &'b [u8] = self.data;
        match *o {
            Operand::Name(s) => {
                let raw = Span::of(data, s);
                if memchr(b'#', raw).is_none() {
                    return Some(raw);
                }
                buf.clear();
                decode_name(raw, buf);
                Some(buf)
            }
            Operand::Str(s, StrKind::Plain) => Some(Span::of(data, s)),
            Operand::Str(s, StrKind::Escaped) => {
                buf.clear();
                decode_literal(Span::of(data, s), buf);
                Some(buf)
            }
            Operand::Str(s, StrKind::Hex) => {
                buf.clear();
                decode_hex(Span::of(data, s), buf);
                Some(buf)
            }
            _ => None,
        }
    }

    /// The `i`-th top-level operand as a name.
    pub fn name<'b>(&self, i: usize, buf: &'b mut Vec<u8>) -> Option<&'b [u8]>
    where
        'l: 'b,
    {
        match self.get(i)? {
            o @ Operand::Name(_) => self.bytes(o, buf),
            _ => None,
        }
    }
}

fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0C')
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(c: u8) -> bool {
    !is_white(c) && !is_delim(c)
}

fn is_op_char(c: u8) -> bool {
    c.is_ascii_alphabetic() || matches!(c, b'*' | b'\'' | b'"')
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes `#xx` escapes of a name (a `#` not followed by two hex digits is kept).
pub fn decode_name(raw: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while let Some(&c) = raw.get(i) {
        if c == b'#' {
            if let (Some(a), Some(b)) = (
                raw.get(i + 1).copied().and_then(hex_val),
                raw.get(i + 2).copied().and_then(hex_val),
            ) {
                out.push((a << 4) | b);
                i += 3;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
}

/// Decodes the escapes of a literal string's inside: `\n \r \t \b \f`, octal `\ddd` (high
/// bits dropped), a backslash before an end of line (both dropped), any other escaped byte
/// as itself. Ends of lines are kept as written.
pub fn decode_literal(raw: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < raw.len() {
        let Some(k) = memchr(b'\\', raw.get(i..).unwrap_or(&[])) else {
            out.extend_from_slice(raw.get(i..).unwrap_or(&[]));
            return;
        };
        out.extend_from_slice(raw.get(i..i + k).unwrap_or(&[]));
        i += k + 1;
        let Some(&c) = raw.get(i) else { return };
        i += 1;
        match c {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(b'\x08'),
            b'f' => out.push(b'\x0C'),
            b'\r' => {
                if raw.get(i) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => {}
            b'0'..=b'7' => {
                let mut v = u16::from(c - b'0');
                for _ in 0..2 {
                    match raw.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u16::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(v as u8);
            }
            _ => out.push(c),
        }
    }
}

/// Decodes a hex string's inside (white space and other non-hex bytes skipped; an odd
/// last digit is the high nibble of a last byte).
pub fn decode_hex(raw: &[u8], out: &mut Vec<u8>) {
    let mut high: Option<u8> = None;
    for &c in raw {
        let Some(v) = hex_val(c) else { continue };
        match high.take() {
            Some(h) => out.push((h << 4) | v),
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
}

/// Reads the digits from `i` on into the mantissa `m` while it fits (`exact` turns false
/// when it no longer does); returns where the digits end.
fn digits(s: &[u8], mut i: usize, m: &mut u64, exact: &mut bool) -> usize {
    while let Some(&c @ b'0'..=b'9') = s.get(i) {
        match m
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(c - b'0')))
        {
            Some(v) => *m = v,
            None => *exact = false,
        }
        i += 1;
    }
    i
}

/// Reads a number at the start of `s` with lopdf's grammar (`[+-]? (d+ '.' d* | '.' d+)`
/// real, `[+-]? d+` integer). Returns it and the bytes used; `None` when `s` does not start
/// with a number.
fn number(s: &[u8]) -> Option<(Operand, usize)> {
    let mut i = 0;
    let neg = match s.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    // Mantissa while it fits (digits past 2^53 only matter for the slow path).
    let mut m: u64 = 0;
    let mut exact = true;
    let int_start = i;
    i = digits(s, i, &mut m, &mut exact);
    let int_digits = i - int_start;
    if s.get(i) != Some(&b'.') {
        if int_digits == 0 {
            return None;
        }
        let v = if exact { i64::try_from(m).ok() } else { None };
        let v = match v {
            Some(v) if neg => Operand::Int(-v),
            Some(v) => Operand::Int(v),
            // Too long for an integer: kept as a real rather than dropped.
            None => Operand::Real(slow_real(s.get(..i).unwrap_or(&[]))),
        };
        return Some((v, i));
    }
    i += 1;
    let frac_start = i;
    i = digits(s, i, &mut m, &mut exact);
    let frac_digits = i - frac_start;
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    // m and 10^k exact in f32 (m < 2^24, k ≤ 10): one correctly rounded division, the
    // value `str::parse::<f32>` gives.
    let v = if exact && m < (1 << 24) && frac_digits <= 10 {
        let v = m as f32 / POW10[frac_digits];
        if neg {
            -v
        } else {
            v
        }
    } else {
        slow_real(s.get(..i).unwrap_or(&[]))
    };
    Some((Operand::Real(v), i))
}

const POW10: [f32; 11] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

fn slow_real(s: &[u8]) -> f32 {
    let s = std::str::from_utf8(s).unwrap_or("0");
    // `parse` wants no leading '+' before '.', and "1." / ".5" forms: normalise.
    let s = s.strip_prefix('+').unwrap_or(s);
    s.parse::<f32>().unwrap_or(0.0)
}

/// The lexer over one content stream.
pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    operands: Vec<Operand>,
    /// Indices in `operands` of the open containers.
    opens: Vec<usize>,
    /// Brackets opened past [`MAX_DEPTH`] (their closes are ignored too).
    too_deep: usize,
    /// Operands dropped for the current operator (over [`MAX_OPERANDS`]).
    dropped: bool,
    nested: bool,
    /// The stream ended inside a string or an inline image.
    truncated: bool,
}

impl<'a> Lexer<'a> {
    /// A lexer over `data` (only its first 4 GiB are read).
    pub fn new(data: &'a [u8]) -> Self {
        let data = data.get(..data.len().min(u32::MAX as usize)).unwrap_or(&[]);
        Lexer {
            data,
            pos: 0,
            operands: Vec::new(),
            opens: Vec::new(),
            too_deep: 0,
            dropped: false,
            nested: false,
            truncated: false,
        }
    }

    /// Whether the stream ended inside a string or inline image (the rest was not read).
    #[cfg(test)]
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    fn push(&mut self, o: Operand) {
        if self.operands.len() >= MAX_OPERANDS {
            self.dropped = true;
            return;
        }
        self.operands.push(o);
    }

    fn open(&mut self, dict: bool) {
        if self.opens.len() >= MAX_DEPTH || self.dropped {
            self.too_deep += 1;
            return;
        }
        self.nested = true;
        self.opens.push(self.operands.len());
        self.push(Operand::Open { dict, inner: 0 });
    }

    fn close(&mut self) {
        if self.too_deep > 0 {
            self.too_deep -= 1;
            return;
        }
        let Some(at) = self.opens.pop() else { return };
        let inner = self.operands.len().saturating_sub(at + 1);
        if let Some(Operand::Open { inner: n, .. }) = self.operands.get_mut(at) {
            *n = inner as u32;
        }
        // Never dropped: the slot count above stays right (operands past the cap are).
        self.operands.push(Operand::Close);
    }

    /// Starts the next operator: containers left open are closed, operands cleared.
    fn finish_operands(&mut self) {
        while !self.opens.is_empty() {
            self.close();
        }
        self.too_deep = 0;
        if self.dropped {
            self.operands.clear();
        }
    }

    fn reset(&mut self) {
        self.operands.clear();
        self.opens.clear();
        self.too_deep = 0;
        self.dropped = false;
        self.nested = false;
    }

    /// The next operator, `None` at the end of the stream.
    pub fn next_op(&mut self) -> Option<Op<'_>> {
        self.reset();
        let (start, end) = self.next_word()?;
        let data = self.data;
        let word = data.get(start..end).unwrap_or(&[]);
        if word == b"BI" {
            let (ds, de) = self.skip_inline_image()?;
            // The dictionary's operands are kept for the image, not as the operator's.
            self.finish_operands();
            let image = InlineImage {
                dict: &self.operands,
                data: data.get(ds..de).unwrap_or(&[]),
            };
            return Some(Op {
                operator: word,
                operands: &[],
                nested: false,
                data,
                image: Some(image),
            });
        }
        self.finish_operands();
        Some(Op {
            operator: word,
            operands: &self.operands,
            nested: self.nested,
            data,
            image: None,
        })
    }

    /// Lexes operands (into `self.operands`) up to the next operator word and returns its
    /// byte range; `None` at the end of the data.
    fn next_word(&mut self) -> Option<(usize, usize)> {
        let data = self.data;
        loop {
            let c = *data.get(self.pos)?;
            match c {
                c if is_white(c) => self.pos += 1,
                b'%' => {
                    let rest = data.get(self.pos..).unwrap_or(&[]);
                    self.pos += memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
                }
                b'/' => {
                    let start = self.pos + 1;
                    let mut end = start;
                    while data.get(end).is_some_and(|&c| is_regular(c)) {
                        end += 1;
                    }
                    self.pos = end;
                    let s = self.span(start, end);
                    self.push(Operand::Name(s));
                }
                b'(' => {
                    let start = self.pos + 1;
                    let mut i = start;
                    let mut depth = 1usize;
                    let mut escaped = false;
                    loop {
                        let Some(k) = memchr3(b'(', b')', b'\\', data.get(i..).unwrap_or(&[]))
                        else {
                            return self.truncate();
                        };
                        i += k;
                        match data.get(i) {
                            Some(b'\\') => {
                                escaped = true;
                                i += 2;
                            }
                            Some(b'(') => {
                                depth += 1;
                                i += 1;
                            }
                            _ => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                                i += 1;
                            }
                        }
                    }
                    self.pos = i + 1;
                    let kind = if escaped {
                        StrKind::Escaped
                    } else {
                        StrKind::Plain
                    };
                    let s = self.span(start, i);
                    self.push(Operand::Str(s, kind));
                }
                b'<' if data.get(self.pos + 1) == Some(&b'<') => {
                    self.pos += 2;
                    self.open(true);
                }
                b'>' if data.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    self.close();
                }
                b'<' => {
                    let start = self.pos + 1;
                    let Some(k) = memchr(b'>', data.get(start..).unwrap_or(&[])) else {
                        return self.truncate();
                    };
                    self.pos = start + k + 1;
                    let s = self.span(start, start + k);
                    self.push(Operand::Str(s, StrKind::Hex));
                }
                b'[' => {
                    self.pos += 1;
                    self.open(false);
                }
                b']' => {
                    self.pos += 1;
                    self.close();
                }
                // Stray delimiters: skipped.
                b')' | b'>' | b'{' | b'}' => self.pos += 1,
                b'0'..=b'9' | b'+' | b'-' | b'.' => {
                    let rest = data.get(self.pos..).unwrap_or(&[]);
                    match number(rest) {
                        Some((o, n)) => {
                            self.pos += n;
                            self.push(o);
                        }
                        // Not a number: the whole token is dropped.
                        None => self.skip_token(),
                    }
                }
                c if is_op_char(c) => {
                    let start = self.pos;
                    let mut end = start;
                    while data.get(end).is_some_and(|&c| is_op_char(c)) {
                        end += 1;
                    }
                    let word = data.get(start..end).unwrap_or(&[]);
                    let keyword = [
                        (&b"null"[..], Operand::Null),
                        (b"true", Operand::Bool(true)),
                        (b"false", Operand::Bool(false)),
                    ]
                    .into_iter()
                    .find(|(k, _)| word.starts_with(k));
                    if let Some((k, o)) = keyword {
                        self.pos = start + k.len();
                        self.push(o);
                        continue;
                    }
                    self.pos = end;
                    return Some((start, end));
                }
                // Any other byte (binary garbage, a token starting with a digit-less
                // regular byte): the token is skipped.
                _ => self.skip_token(),
            }
        }
    }

    /// Skips the current byte and the rest of its token.
    fn skip_token(&mut self) {
        self.pos += 1;
        while self.data.get(self.pos).is_some_and(|&c| is_regular(c)) {
            self.pos += 1;
        }
    }

    /// The stream ends inside a token: nothing more is read.
    fn truncate<T>(&mut self) -> Option<T> {
        self.truncated = true;
        self.pos = self.data.len();
        None
    }

    /// After `BI`: the image dictionary up to `ID`, then the data, skipped by its length
    /// when it is unfiltered with a known colour space and an `EI` follows there, else up to
    /// the first `EI` between white space. Returns the data's byte range.
    fn skip_inline_image(&mut self) -> Option<(usize, usize)> {
        let data = self.data;
        loop {
            let (s, e) = match self.next_word() {
                Some(w) => w,
                None => return self.truncate(),
            };
            if data.get(s..e) == Some(b"ID") {
                break;
            }
        }
        let mut ds = self.pos;
        if data.get(ds).is_some_and(|&c| is_white(c)) {
            ds += 1;
        }
        // (end of the data, end of `EI`)
        let by_length = self
            .image_length()
            .and_then(|n| ds.checked_add(n))
            .and_then(|de| {
                let mut e = de;
                while data.get(e).is_some_and(|&c| is_white(c)) {
                    e += 1;
                }
                (data.get(e..e + 2) == Some(b"EI") && ends_token(data, e + 2))
                    .then_some((de, e + 2))
            });
        let end = by_length.or_else(|| {
            let rest = data.get(ds..)?;
            memmem::find_iter(rest, b"EI")
                .map(|k| ds + k)
                .find(|&p| {
                    p > 0
                        && data.get(p - 1).is_some_and(|&c| is_white(c))
                        && ends_token(data, p + 2)
                })
                .map(|p| ((p - 1).max(ds), p + 2))
        });
        match end {
            Some((de, end)) => {
                self.pos = end;
                Some((ds, de))
            }
            None => self.truncate(),
        }
    }

    /// Bytes of an inline image's data from its dictionary (in `self.operands`): `None`
    /// when filtered or its colour space is not a device one.
    fn image_length(&self) -> Option<usize> {
        let data = self.data;
        let get = |keys: [&[u8]; 2]| -> Option<&Operand> {
            let mut it = level(&self.operands);
            while let Some((_, k)) = it.next() {
                let v = it.next().map(|(_, v)| v);
                if let Operand::Name(s) = k {
                    if keys.contains(&Span::of(data, *s)) {
                        return v;
                    }
                }
            }
            None
        };
        let int = |keys| match get(keys) {
            Some(Operand::Int(v)) => usize::try_from(*v).ok(),
            _ => None,
        };
        if get([b"F", b"Filter"]).is_some() {
            return None;
        }
        let (w, h, bpc) = (
            int([b"W", b"Width"])?,
            int([b"H", b"Height"])?,
            int([b"BPC", b"BitsPerComponent"])?,
        );
        let mask = matches!(get([b"IM", b"ImageMask"]), Some(Operand::Bool(true)));
        let colours = if mask {
            1
        } else {
            match get([b"CS", b"ColorSpace"]) {
                Some(Operand::Name(s)) => match Span::of(data, *s) {
                    b"DeviceGray" | b"G" | b"Gray" => 1,
                    b"DeviceRGB" | b"RGB" => 3,
                    b"DeviceCMYK" | b"CMYK" => 4,
                    _ => return None,
                },
                _ => return None,
            }
        };
        let bits = w.checked_mul(colours)?.checked_mul(bpc)?;
        h.checked_mul(bits.div_ceil(8))
    }
}

/// Whether a token ends at `i` (white space, a delimiter or the end of the data).
fn ends_token(data: &[u8], i: usize) -> bool {
    data.get(i).is_none_or(|&c| !is_regular(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::{Content, Operation};
    use lopdf::{Object, StringFormat};
    use proptest::prelude::*;

    /// A comparable form of an operand: numbers by value (lopdf writes a whole real as an
    /// integer), strings and names by their decoded bytes.
    #[derive(Debug, PartialEq)]
    enum V {
        Num(f64),
        Bool(bool),
        Null,
        Name(Vec<u8>),
        Str(Vec<u8>),
        Array(Vec<V>),
        Dict(Vec<(Vec<u8>, V)>),
    }

    fn from_lopdf(o: &Object) -> V {
        match o {
            Object::Integer(i) => V::Num(*i as f64),
            Object::Real(r) => V::Num(f64::from(*r)),
            Object::Boolean(b) => V::Bool(*b),
            Object::Null => V::Null,
            Object::Name(n) => V::Name(n.clone()),
            Object::String(s, _) => V::Str(s.clone()),
            Object::Array(a) => V::Array(a.iter().map(from_lopdf).collect()),
            Object::Dictionary(d) => {
                V::Dict(d.iter().map(|(k, v)| (k.clone(), from_lopdf(v))).collect())
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    fn from_ours(op: &Op<'_>, ops: &[Operand]) -> Vec<V> {
        let mut out = Vec::new();
        for (at, o) in level(ops) {
            let mut buf = Vec::new();
            out.push(match o {
                Operand::Int(i) => V::Num(*i as f64),
                Operand::Real(r) => V::Num(f64::from(*r)),
                Operand::Bool(b) => V::Bool(*b),
                Operand::Null => V::Null,
                Operand::Name(_) => V::Name(op.bytes(o, &mut buf).unwrap().to_vec()),
                Operand::Str(..) => V::Str(op.bytes(o, &mut buf).unwrap().to_vec()),
                Operand::Open { dict, inner } => {
                    let items = from_ours(op, &ops[at + 1..at + 1 + *inner as usize]);
                    if *dict {
                        let mut d = Vec::new();
                        let mut it = items.into_iter();
                        while let (Some(V::Name(k)), Some(v)) = (it.next(), it.next()) {
                            d.push((k, v));
                        }
                        V::Dict(d)
                    } else {
                        V::Array(items)
                    }
                }
                Operand::Close => panic!("close at top level"),
            });
        }
        out
    }

    fn ours(data: &[u8]) -> Vec<(String, Vec<V>)> {
        let mut lx = Lexer::new(data);
        let mut out = Vec::new();
        while let Some(op) = lx.next_op() {
            let name = String::from_utf8_lossy(op.operator).into_owned();
            out.push((name, from_ours(&op, op.operands)));
        }
        out
    }

    fn lopdf(data: &[u8]) -> Vec<(String, Vec<V>)> {
        let c = Content::decode(data).expect("lopdf decodes");
        c.operations
            .iter()
            .map(|op| {
                let operands = if op.operator == "BI" {
                    Vec::new()
                } else {
                    op.operands.iter().map(from_lopdf).collect()
                };
                (op.operator.clone(), operands)
            })
            .collect()
    }

    fn sort_dicts(ops: &mut [(String, Vec<V>)]) {
        fn sort(v: &mut V) {
            match v {
                V::Array(a) => a.iter_mut().for_each(sort),
                V::Dict(d) => {
                    d.iter_mut().for_each(|(_, v)| sort(v));
                    d.sort_by(|a, b| a.0.cmp(&b.0));
                }
                _ => {}
            }
        }
        for (_, vs) in ops {
            vs.iter_mut().for_each(sort);
        }
    }

    fn same_as_lopdf(data: &[u8]) {
        let (mut a, mut b) = (ours(data), lopdf(data));
        sort_dicts(&mut a);
        sort_dicts(&mut b);
        assert_eq!(a, b, "on {:?}", String::from_utf8_lossy(data));
    }

    #[test]
    fn well_formed_streams_lex_as_lopdf_decodes_them() {
        same_as_lopdf(
            b"BT /F1 12 Tf 1 0 0 1 72.5 700 Tm (a\\(b c\\\\) Tj [(x) -250 <4142> 3] TJ ET\n\
              % comment with ) and BT\nq << /MCID 3 /A [1 2] /N << /X (y) >> >> BDC 0 0 m \
              5 5 l S EMC Q\nBI /W 2 /H 1 /BPC 8 /CS /G ID \x01\x02 EI\n",
        );
        same_as_lopdf(b".5 -.5 1. +3 -0 0.000001 123456789 3.40282 -17.25 cm");
        same_as_lopdf(b"/A#20B /#41#42 /a_b Do (x\\101\\7y\\\nz\\q\\n) Tj <4 1 4> Tj <> Tj");
        same_as_lopdf(b"((nested (twice)) ) Tj [[1 2] [(a)]] TJ T* ' \" true false null d0");
        same_as_lopdf(b"1 2 3Td 4 5 6re12 Tc/F2 9Tf(x)Tj");
        same_as_lopdf(b"(line\r\nbreak\rkept) Tj (\\\r\ncontinued) Tj");
    }

    #[test]
    fn numbers_read_like_str_parse() {
        for s in [
            "0.1",
            "595.2756",
            "-0.0",
            "1.",
            ".5",
            "+3",
            "0.3333333",
            "16777215.5",
            "1.17549435",
            "99999999999",
            "0.000000000001",
            "12345678901234567890",
        ] {
            let (o, n) = number(s.as_bytes()).unwrap();
            assert_eq!(n, s.len());
            let t = s.trim_start_matches('+');
            match o {
                Operand::Int(i) => assert_eq!(Ok(i), t.parse::<i64>(), "{s}"),
                Operand::Real(r) => {
                    assert_eq!(r.to_bits(), t.parse::<f32>().unwrap().to_bits(), "{s}")
                }
                _ => panic!("{s}"),
            }
        }
        assert!(number(b"-").is_none());
        assert!(number(b"+.x").is_none());
        assert_eq!(number(b"1.2.3").map(|(_, n)| n), Some(3));
    }

    #[test]
    fn garbage_is_skipped_not_fatal() {
        let ops = ours(b"1 0 0 1 0 0 cm ) } { >x -- - +. \x80\xff junk9 (a) Tj");
        let names: Vec<&str> = ops.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["cm", "x", "junk", "Tj"]);
        // An operator run ends at a digit (lopdf's rule): `junk9` is `junk` then 9.
        assert_eq!(ops[3].1, [V::Num(9.0), V::Str(b"a".to_vec())]);
    }

    #[test]
    fn truncated_streams_end_cleanly() {
        for data in [
            &b"(a) Tj (unterminated Tj"[..],
            b"(a) Tj <41",
            b"(a) Tj BI /W 1 ID xx",
        ] {
            let mut lx = Lexer::new(data);
            assert_eq!(
                lx.next_op().map(|o| o.operator.to_vec()),
                Some(b"Tj".to_vec())
            );
            assert!(lx.next_op().is_none());
            assert!(lx.truncated());
        }
    }

    #[test]
    fn inline_image_data_is_skipped_by_length_then_by_ei() {
        // Unfiltered: the data holds " EI " but its length says where it ends.
        let ops = ours(b"BI /W 4 /H 1 /BPC 8 /CS /G ID  EI  EI (after) Tj");
        let names: Vec<&str> = ops.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["BI", "Tj"]);
        // Filtered: up to the first EI between white space.
        let ops = ours(b"q BI /W 4 /H 1 /BPC 8 /CS /RGB /F /AHx ID 00ffEIx\nEI Q (z) Tj");
        let names: Vec<&str> = ops.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["q", "BI", "Q", "Tj"]);
    }

    #[test]
    fn inline_image_dict_and_data_are_kept() {
        let data = b"BI /W 4 /H 1 /BPC 8 /CS /G /D [1 0] ID  EI  EI BI /F /AHx ID 00ff\nEI";
        let mut lx = Lexer::new(data);
        let op = lx.next_op().expect("BI");
        assert!(op.operands.is_empty());
        let img = op.image.expect("image");
        assert_eq!(img.data, b" EI ");
        let keys: Vec<V> = from_ours(&op, img.dict);
        assert_eq!(keys.len(), 10);
        assert_eq!(keys[9], V::Array(vec![V::Num(1.0), V::Num(0.0)]));
        let op = lx.next_op().expect("BI");
        assert_eq!(op.image.map(|i| i.data), Some(&b"00ff"[..]));
    }

    #[test]
    fn operands_and_nesting_are_bounded() {
        let mut data = Vec::new();
        for _ in 0..MAX_OPERANDS + 10 {
            data.extend_from_slice(b"1 ");
        }
        data.extend_from_slice(b"Tc 2 Tw");
        let mut lx = Lexer::new(&data);
        let op = lx.next_op().unwrap();
        assert_eq!((op.operator, op.operands.len()), (&b"Tc"[..], 0));
        let op = lx.next_op().unwrap();
        assert_eq!((op.operator, op.num(0)), (&b"Tw"[..], 2.0));
        let deep = [
            vec![b'['; 10_000],
            b"(x)".to_vec(),
            vec![b']'; 10_000],
            b" TJ".to_vec(),
        ]
        .concat();
        let mut lx = Lexer::new(&deep);
        let op = lx.next_op().unwrap();
        assert_eq!(op.operator, b"TJ");
        assert!(op.operands.len() <= 2 * MAX_DEPTH + 1);
        assert!(lx.next_op().is_none());
    }

    fn operand() -> impl Strategy<Value = Object> {
        let leaf = prop_oneof![
            any::<i32>().prop_map(|i| Object::Integer(i.into())),
            (-1_000_000i32..1_000_000, 0u32..4)
                .prop_map(|(m, k)| Object::Real(m as f32 / 10f32.powi(k as i32))),
            any::<bool>().prop_map(Object::Boolean),
            Just(Object::Null),
            proptest::collection::vec(1u8..=255, 0..8).prop_map(Object::Name),
            (proptest::collection::vec(any::<u8>(), 0..12), any::<bool>()).prop_map(|(s, hex)| {
                let f = if hex {
                    StringFormat::Hexadecimal
                } else {
                    StringFormat::Literal
                };
                Object::String(s, f)
            }),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            proptest::collection::vec(inner, 0..6).prop_map(Object::Array)
        })
    }

    fn operation() -> impl Strategy<Value = Operation> {
        let names = prop_oneof![
            Just("Tj"),
            Just("TJ"),
            Just("cm"),
            Just("re"),
            Just("T*"),
            Just("'"),
            Just("\""),
            Just("BDC"),
        ];
        (names, proptest::collection::vec(operand(), 0..6))
            .prop_map(|(n, ops)| Operation::new(n, ops))
    }

    proptest! {
        #[test]
        fn lexing_what_lopdf_writes_gives_the_operations_back(
            ops in proptest::collection::vec(operation(), 0..12)
        ) {
            let data = Content { operations: ops.clone() }.encode().expect("encode");
            let got = ours(&data);
            let want: Vec<(String, Vec<V>)> = ops
                .iter()
                .map(|op| (op.operator.clone(), op.operands.iter().map(from_lopdf).collect()))
                .collect();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn random_bytes_never_panic_or_loop(data in proptest::collection::vec(any::<u8>(), 0..512)) {
            let mut lx = Lexer::new(&data);
            let mut n = 0;
            while let Some(op) = lx.next_op() {
                let mut buf = Vec::new();
                for o in op.operands {
                    let _ = op.bytes(o, &mut buf);
                }
                let _ = (op.len(), op.num(0), op.array(0).count());
                n += 1;
                prop_assert!(n <= data.len());
            }
        }
    }
}
