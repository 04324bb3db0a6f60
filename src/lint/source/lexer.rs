//! Where items and functions are, without parsing: a small lexer that skips
//! strings, chars and comments and matches brackets. It cuts a candidate
//! file into the top-level items syn then parses one at a time (so one
//! item's syntax tree is alive, not the file's), finds the functions too
//! deep to parse, and finds the comments suppressions are read from.

use std::ops::Range;

/// What starts at a byte of Rust source, for the scans below.
enum Token {
    /// A comment, ending at this offset.
    Comment(usize),
    /// A string, char or lifetime, ending at this offset.
    Literal(usize),
    Code,
}

fn token_at(bytes: &[u8], i: usize) -> Token {
    match bytes[i] {
        b'/' if bytes.get(i + 1) == Some(&b'/') => {
            Token::Comment(memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n))
        }
        b'/' if bytes.get(i + 1) == Some(&b'*') => Token::Comment(skip_block_comment(bytes, i)),
        b'"' => Token::Literal(match raw_string_hashes(bytes, i) {
            Some(hashes) => skip_raw_string_body(bytes, i + 1, hashes),
            None => skip_string(bytes, i + 1),
        }),
        b'\'' => Token::Literal(skip_char_or_lifetime(bytes, i)),
        _ => Token::Code,
    }
}

/// The bytes the scan stops at: where strings, chars and comments start,
/// brackets, and `;`. Everything else is skipped in a tight loop.
static STOPS: [bool; 256] = {
    let mut table = [false; 256];
    let stops = *b"\"'/()[]{};";
    let mut i = 0;
    while i < stops.len() {
        table[stops[i] as usize] = true;
        i += 1;
    }
    table
};

/// What [`code_stops`] stops at.
enum Stop {
    /// A bracket, `;` or `=` that is code.
    Byte(u8),
    /// A string, char, lifetime or comment, skipped whole, or a `/` that
    /// divides.
    Skipped,
}

/// The bytes of `bytes` that `table` marks, in order, each with the offset
/// after it; strings, chars and comments are skipped whole, so a bracket
/// inside one is never a stop. The one scan under [`functions`] and
/// [`items`]: it looks at no other byte, which is what makes it fast.
fn code_stops<'a>(
    bytes: &'a [u8],
    table: &'a [bool; 256],
) -> impl Iterator<Item = (usize, Stop, usize)> + 'a {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !table[bytes[i] as usize] {
            i += 1;
        }
        let at = i;
        let (stop, next) = match *bytes.get(at)? {
            b @ (b'(' | b')' | b'[' | b']' | b'{' | b'}' | b';' | b'=') => (Stop::Byte(b), at + 1),
            _ => match token_at(bytes, at) {
                Token::Comment(end) | Token::Literal(end) => (Stop::Skipped, end),
                Token::Code => (Stop::Skipped, at + 1),
            },
        };
        i = next;
        Some((at, stop, next))
    })
}

/// The byte range of every function with a body, from its `fn` keyword to
/// its closing brace. Nested functions are listed too. `None` when the
/// brackets do not balance: the file does not parse, and only parsing all
/// of it can say where and why.
///
/// Built for speed, since it reads every byte of every candidate file: the
/// `fn` keywords are found first with a SIMD substring search, and the scan
/// itself stops only at [`STOPS`]; a keyword inside a skipped string or
/// comment is dropped.
pub fn functions(source: &str) -> Option<Vec<Range<usize>>> {
    let bytes = source.as_bytes();
    let mut keywords = memchr::memmem::find_iter(bytes, b"fn")
        .filter(|&at| is_keyword(bytes, at, 2))
        .peekable();
    let mut out = Vec::new();
    // Open braces: (position of the body's `fn`, if this brace opens one).
    let mut braces: Vec<Option<usize>> = Vec::new();
    // A `fn` keyword whose body brace has not been seen yet, with the
    // paren/bracket depth at which it was seen.
    let mut pending: Option<(usize, usize)> = None;
    let mut depth = 0usize;
    for (i, stop, next) in code_stops(bytes, &STOPS) {
        // The keywords before this byte are code.
        while let Some(&at) = keywords.peek()
            && at < i
        {
            keywords.next();
            // `fn(u8) -> u8` types inside a signature keep the outer `fn`.
            if pending.is_none_or(|(_, d)| d >= depth) {
                pending = Some((at, depth));
            }
        }
        match stop {
            Stop::Byte(b'(' | b'[') => depth += 1,
            Stop::Byte(b')' | b']') => depth = depth.checked_sub(1)?,
            Stop::Byte(b';') => {
                if pending.is_some_and(|(_, d)| d == depth) {
                    pending = None;
                }
            }
            Stop::Byte(b'{') => {
                let opens = pending.filter(|&(_, d)| d == depth).map(|(at, _)| at);
                if opens.is_some() {
                    pending = None;
                }
                braces.push(opens);
            }
            Stop::Byte(b'}') => {
                if let Some(start) = braces.pop()? {
                    out.push(start..i + 1);
                }
            }
            Stop::Byte(_) | Stop::Skipped => {}
        }
        // Keywords inside a skipped string or comment are not code.
        while keywords.next_if(|&at| at < next).is_some() {}
    }
    (braces.is_empty() && depth == 0).then_some(out)
}

/// The file cut into its top-level items, in order: each range runs from
/// the end of the one before (so it holds the item's comments and
/// attributes) to just after the item's closing `;` or `}`; the last also
/// holds any text after the last item. Their concatenation is the file.
/// `None` when the brackets do not balance.
///
/// An item ends at a `;` outside brackets, or at a `}` that closes its
/// outermost bracket, with a `;` right after it included, unless an `=`
/// outside brackets came first: `const`, `static` and `type` items end at
/// their `;` (`const X: T = if a { b } else { c };`). A cut too late only
/// puts two items in one piece; where a cut is wrong, the pieces do not
/// parse and the caller parses the whole file instead.
///
/// Parsing item by item bounds the memory a syntax tree takes to the
/// biggest item rather than the file: a 2.5 MB file of tables takes
/// 300 MB as one tree.
pub fn items(source: &str) -> Option<Vec<Range<usize>>> {
    // [`STOPS`] and `=`.
    static ITEM_STOPS: [bool; 256] = {
        let mut table = STOPS;
        table[b'=' as usize] = true;
        table
    };
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    // An `=` outside brackets: the item ends at a `;`.
    let mut assigns = false;
    for (i, stop, _) in code_stops(bytes, &ITEM_STOPS) {
        // A `;` already taken with the `}` before it.
        let (Stop::Byte(b), false) = (stop, i < start) else {
            continue;
        };
        let end = match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                None
            }
            b')' | b']' => {
                depth = depth.checked_sub(1)?;
                None
            }
            b'=' => {
                assigns |= depth == 0 && bytes.get(i + 1) != Some(&b'>');
                None
            }
            b'}' => {
                depth = depth.checked_sub(1)?;
                (depth == 0 && !assigns).then(|| {
                    let rest = next_code(bytes, i + 1);
                    if bytes.get(rest) == Some(&b';') {
                        rest + 1
                    } else {
                        i + 1
                    }
                })
            }
            b';' => (depth == 0).then_some(i + 1),
            _ => None,
        };
        if let Some(end) = end {
            out.push(start..end);
            start = end;
            assigns = false;
        }
    }
    if depth != 0 {
        return None;
    }
    match out.last_mut() {
        Some(last) => last.end = bytes.len(),
        None => out.push(0..bytes.len()),
    }
    Some(out)
}

/// Whether an item of [`items`] is a `use` declaration: its first word
/// past comments, attributes and visibility is `use`.
pub fn is_use_item(text: &str) -> bool {
    let bytes = text.as_bytes();
    item_head(bytes).is_some_and(|at| word_at(bytes, at) == b"use")
}

/// Whether an item of [`items`] holds nothing lint reads, so that syn need
/// not parse it: one `use`, `macro_rules!`, `extern` block, `extern
/// crate`, or a `const`, `static`, `type`, `enum` or `union` with no
/// string, no macro and no parenthesis (so no call) in it, and, for a
/// `const` or `static`, a declared type that names no type. Sites are
/// strings and macros, and flow comes from calls, functions, struct
/// fields and store-typed constants, none of which these hold. Bindings and tables of constants
/// are a fifth of what candidate files hold.
///
/// A piece that holds more than one item (see [`items`]) is never inert.
pub fn is_inert_item(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(at) = item_head(bytes) else {
        return false;
    };
    let word = word_at(bytes, at);
    let after = next_code(bytes, at + word.len());
    // A macro in an attribute (`#[doc = include_str!(..)]`) is read, but
    // not the rules of a `macro_rules!`; past the attributes, strings and
    // parentheses count too (`#[repr(u8)]` is no call).
    if holds_any(&bytes[..at], b"!", false) {
        return false;
    }
    // What ends the item: `;`, or the `}` that closes its body.
    let close = match word {
        b"macro_rules" => {
            let first_bracket =
                code_stops(&bytes[at..], &STOPS).find_map(|(_, stop, _)| match stop {
                    Stop::Byte(b) => Some(b),
                    Stop::Skipped => None,
                });
            if first_bracket == Some(b'{') {
                b'}'
            } else {
                b';'
            }
        }
        _ if holds_any(&bytes[at..], b"!", false) => return false,
        b"use" => b';',
        // `extern "C" { .. }`, `extern { .. }`, `extern crate x;`, but not
        // `extern "C" fn f() { .. }`.
        b"extern" => {
            let abi_end = if bytes.get(after) == Some(&b'"') {
                match token_at(bytes, after) {
                    Token::Literal(end) => next_code(bytes, end),
                    _ => return false,
                }
            } else {
                after
            };
            if bytes.get(abi_end) == Some(&b'{') {
                b'}'
            } else if word_at(bytes, abi_end) == b"crate" {
                b';'
            } else {
                return false;
            }
        }
        // A store client declared as a constant is typed for the second
        // pass whatever its value, so the type must name no type (no
        // capitalised word: `u32`, `[u64; 256]`, `&[u8]`).
        b"const" | b"static"
            if !matches!(
                word_at(bytes, after),
                b"fn" | b"unsafe" | b"async" | b"extern"
            ) && !holds_any(&bytes[at..], b"(", true)
                && !names_a_type(declared_type(bytes, after)) =>
        {
            b';'
        }
        b"type" if !holds_any(&bytes[at..], b"(", true) => b';',
        b"enum" | b"union" if !holds_any(&bytes[at..], b"(", true) => b'}',
        _ => return false,
    };
    // The piece must be this one item: `items` cuts after an `=` only at
    // a `;`, so `enum E<T = u8> { A } struct S { .. };` is one piece, and
    // it gives the uncut rest of a file to its last piece.
    ends_at_first(&bytes[at..], close)
}

/// The declared type of a `const` or `static` whose name (or `mut`)
/// starts at `name`: from the `:` after the name to the `=`.
fn declared_type(bytes: &[u8], name: usize) -> &[u8] {
    let rest = &bytes[name..];
    let colon = memchr::memchr(b':', rest).map_or(rest.len(), |c| c + 1);
    let eq = memchr::memchr(b'=', &rest[colon..]).map_or(rest.len(), |e| colon + e);
    &rest[colon..eq]
}

/// Whether `ty` holds a capitalised word, the name of a type that could
/// be a store's (`Cache`, `redis::Client`, `Self`); comments count too,
/// which only errs towards parsing.
fn names_a_type(ty: &[u8]) -> bool {
    ty.iter()
        .enumerate()
        .any(|(i, b)| b.is_ascii_uppercase() && (i == 0 || !is_ident(ty[i - 1])))
}

/// Whether `bytes` end (past a `;` after a `}`, spaces and comments) at
/// their first `close`, `;` or `}`, outside brackets.
fn ends_at_first(bytes: &[u8], close: u8) -> bool {
    end_of_first(bytes, close).is_some_and(|end| {
        let rest = next_code(bytes, end);
        let rest = match bytes.get(rest) {
            Some(b';') if close == b'}' => next_code(bytes, rest + 1),
            _ => rest,
        };
        rest >= bytes.len()
    })
}

/// The offset just after the first `close` of `bytes` outside brackets: a
/// `;` at depth 0, or the bracket that closes the first one opened.
fn end_of_first(bytes: &[u8], close: u8) -> Option<usize> {
    let mut depth = 0usize;
    code_stops(bytes, &STOPS).find_map(|(_, stop, next)| match stop {
        Stop::Byte(b'(' | b'[' | b'{') => {
            depth += 1;
            None
        }
        Stop::Byte(b @ (b')' | b']' | b'}')) => {
            depth = depth.saturating_sub(1);
            (b == close && depth == 0).then_some(next)
        }
        Stop::Byte(b';') => (close == b';' && depth == 0).then_some(next),
        _ => None,
    })
}

/// Whether code of `bytes` (past comments, chars and lifetimes) holds one
/// of `needles`, or, when `strings`, a string literal.
fn holds_any(bytes: &[u8], needles: &[u8], strings: bool) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if needles.contains(&b) {
            return true;
        }
        i = match b {
            b'"' if strings => return true,
            b'/' | b'"' | b'\'' => match token_at(bytes, i) {
                Token::Comment(end) | Token::Literal(end) => end.max(i + 1),
                Token::Code => i + 1,
            },
            _ => i + 1,
        };
    }
    false
}

/// The identifier (or keyword) that starts at `at`, empty if none does.
fn word_at(bytes: &[u8], at: usize) -> &[u8] {
    let rest = bytes.get(at..).unwrap_or_default();
    let len = rest.iter().take_while(|&&b| is_ident(b)).count();
    &rest[..len]
}

/// Where an item's first word past comments, attributes, visibility and
/// `unsafe` starts; `None` when an attribute does not close.
fn item_head(bytes: &[u8]) -> Option<usize> {
    let mut i = next_code(bytes, 0);
    loop {
        i = i.min(bytes.len());
        if bytes.get(i) == Some(&b'#') {
            // `#[..]` or `#![..]`: skip to the bracket that closes it.
            let open = memchr_from(bytes, b'[', i)?;
            i = next_code(bytes, open + end_of_first(&bytes[open..], b']')?);
        } else if bytes[i..].starts_with(b"pub") && is_keyword(bytes, i, 3) {
            i = next_code(bytes, i + 3);
            if bytes.get(i) == Some(&b'(') {
                let close = memchr_from(bytes, b')', i)?;
                i = next_code(bytes, close + 1);
            }
        } else if bytes[i..].starts_with(b"unsafe") && is_keyword(bytes, i, 6) {
            i = next_code(bytes, i + 6);
        } else {
            return Some(i);
        }
    }
}

/// The offset of the first byte at or after `i` that is neither
/// whitespace nor inside a comment.
fn next_code(bytes: &[u8], mut i: usize) -> usize {
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match bytes.get(i).map(|_| token_at(bytes, i)) {
            Some(Token::Comment(end)) => i = end,
            _ => return i,
        }
    }
}

/// For each offset of `points`, the innermost of `ranges` holding it, if
/// any. `ranges` nest or are disjoint, as [`functions`] are. One sweep over
/// both sorted: linear in their number, where looking through every range
/// for every point was quadratic in a file of many small functions.
#[cfg(test)]
pub fn innermost<'r>(
    ranges: &'r [Range<usize>],
    points: &[usize],
) -> Vec<Option<&'r Range<usize>>> {
    let mut by_start: Vec<&Range<usize>> = ranges.iter().collect();
    // Outer before inner when two start together.
    by_start.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by_key(|&i| points[i]);
    let mut out = vec![None; points.len()];
    // The ranges started so far; those that ended are dropped from the top
    // as they are met, and one under a live range never shadows it.
    let mut open: Vec<&Range<usize>> = Vec::new();
    let mut next = by_start.iter().peekable();
    for i in order {
        let at = points[i];
        while let Some(range) = next.next_if(|r| r.start <= at) {
            open.push(range);
        }
        while open.last().is_some_and(|r| r.end <= at) {
            open.pop();
        }
        out[i] = open.last().copied();
    }
    out
}

/// Whether the `len` bytes at `at` are a whole word, not part of an
/// identifier (nor a raw identifier such as `r#fn`).
fn is_keyword(bytes: &[u8], at: usize, len: usize) -> bool {
    let before = &bytes[..at];
    !before.last().is_some_and(|&b| is_ident(b))
        && !before.ends_with(b"r#")
        && !bytes.get(at + len).is_some_and(|&b| is_ident(b))
}

/// For the `"` at `quote` that opens a raw string (`r"`, `r#"`, `br#"`,
/// `cr"`), how many `#` it has; `None` for any other string.
fn raw_string_hashes(bytes: &[u8], quote: usize) -> Option<usize> {
    let hashes = bytes[..quote]
        .iter()
        .rev()
        .take_while(|&&b| b == b'#')
        .count();
    let r = quote.checked_sub(hashes + 1)?;
    if bytes[r] != b'r' {
        return None;
    }
    let prefix = if r > 0 && matches!(bytes[r - 1], b'b' | b'c') {
        r - 1
    } else {
        r
    };
    (prefix == 0 || !is_ident(bytes[prefix - 1])).then_some(hashes)
}

/// From just after a raw string's opening `"` to just after its end.
fn skip_raw_string_body(bytes: &[u8], mut i: usize, hashes: usize) -> usize {
    while let Some(n) = memchr::memchr(b'"', &bytes[i..]) {
        let quote = i + n;
        let end = quote + 1 + hashes;
        if bytes
            .get(quote + 1..end)
            .is_some_and(|h| h.iter().all(|&b| b == b'#'))
        {
            return end;
        }
        i = quote + 1;
    }
    bytes.len()
}

/// `text` with its comments blanked out (same length, same offsets), for
/// word searches that must see only code and strings.
#[cfg(test)]
pub fn without_comments(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"//").is_none() && memchr::memmem::find(bytes, b"/*").is_none()
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    for comment in comments(text) {
        out[comment].fill(b' ');
    }
    // Only whole comments became spaces, so the text is still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_owned()))
}

/// The comments of a text, in order, as byte ranges: a `//` comment up to
/// its newline, a `/* */` comment with the comments nested in it. Strings
/// and chars are skipped as code is, so `"// text"` and a `//` line inside
/// a multi-line or raw string are no comments.
pub fn comments(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        // Only these bytes can start a comment or a literal.
        while let Some(n) = memchr::memchr3(b'/', b'"', b'\'', &bytes[i..]) {
            let at = i + n;
            match token_at(bytes, at) {
                Token::Comment(end) => {
                    i = end;
                    return Some(at..end);
                }
                Token::Literal(end) => i = end,
                Token::Code => i = at + 1,
            }
        }
        i = bytes.len();
        None
    })
}

/// The words of a function's code (identifiers and numbers, outside
/// strings, chars and comments), each as `(start, end, level_start)`:
/// `level_start` is where the innermost expression around the word may
/// begin, just after the last `;` or opening bracket before it at the same
/// bracket depth. The receiver of a method call lies between it and the
/// call's `.`, whatever strings or nested brackets the receiver holds.
#[cfg(test)]
pub fn code_words(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut levels = vec![0];
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let at = i;
            match bytes[at] {
                b'(' | b'[' | b'{' => levels.push(at + 1),
                b')' | b']' | b'}' => {
                    if levels.len() > 1 {
                        levels.pop();
                    }
                }
                b';' => {
                    if let Some(level) = levels.last_mut() {
                        *level = at + 1;
                    }
                }
                b if is_ident(b) => {
                    while i < bytes.len() && is_ident(bytes[i]) {
                        i += 1;
                    }
                    return Some((at, i, levels.last().copied().unwrap_or(0)));
                }
                _ => {
                    if let Token::Comment(end) | Token::Literal(end) = token_at(bytes, at) {
                        i = end;
                        continue;
                    }
                }
            }
            i = at + 1;
        }
        None
    })
}

/// `bytes` from its first byte that is neither whitespace nor inside a
/// comment.
#[cfg(test)]
pub fn skip_blank(mut bytes: &[u8]) -> &[u8] {
    loop {
        bytes = bytes.trim_ascii_start();
        match bytes.first().map(|_| token_at(bytes, 0)) {
            Some(Token::Comment(end)) => bytes = &bytes[end..],
            _ => return bytes,
        }
    }
}

/// The text after `end`, from its next non-whitespace byte.
pub fn next_token(bytes: &[u8], end: usize) -> &[u8] {
    let rest = &bytes[end.min(bytes.len())..];
    let skip = rest
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    &rest[skip..]
}

/// The `const` or `static` item around `at`, from its keyword to its `;`,
/// when the statement holding `at` is one (`None` for anything else).
#[cfg(test)]
pub fn const_item(source: &str, at: usize) -> Option<Range<usize>> {
    let bytes = source.as_bytes();
    // The statement starts after the last `;` or brace of code before `at`
    // (not one in a comment or string, such as `// keys; one per user`).
    let mut start = 0;
    let mut i = 0;
    while i < at.min(bytes.len()) {
        i = match token_at(bytes, i) {
            Token::Comment(end) | Token::Literal(end) => end,
            Token::Code => {
                if matches!(bytes[i], b';' | b'{' | b'}') {
                    start = i + 1;
                }
                i + 1
            }
        };
    }
    let start = start.min(at);
    let statement = &source[start..at];
    // The keyword, after attributes, comments and visibility only.
    let (offset, _) = ["const ", "static "]
        .iter()
        .filter_map(|k| statement.find(k).map(|i| (i, k)))
        .min_by_key(|(i, _)| *i)?;
    let allowed = statement[..offset].lines().all(|line| {
        let line = line.trim();
        line.is_empty()
            || line.starts_with("#[")
            || line.starts_with("//")
            || line.starts_with("pub")
    });
    if !allowed {
        return None;
    }
    let begin = start + offset;
    let end = begin + skip_to_semicolon(&bytes[begin..])?;
    Some(begin..end + 1)
}

/// The offset of the first `;` outside strings, chars and comments.
#[cfg(test)]
fn skip_to_semicolon(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < bytes.len() {
        i = match token_at(bytes, i) {
            Token::Comment(end) | Token::Literal(end) => end,
            Token::Code if bytes[i] == b';' => return Some(i),
            Token::Code => i + 1,
        };
    }
    None
}

/// An upper bound on how deep parsing `text` recurses, in units of one
/// token or one bracket: every open bracket counts, plus, at each bracket
/// level, the tokens since the last `,`, `;` or `=>` there. Operator and
/// method chains (`a + b + ..`, `!!..x`, `x.f().g()..`) nest the syntax
/// tree as deep as they are long, so they count too; lists and statements
/// are flat, so their separators reset the count, and so do a word or an
/// attribute after a block (`match` arms, statements after an `if`, the
/// next item), except `else` and `as`.
/// syn's parser, its visitor and the tree's drop all recurse that deep, so
/// text above a limit must not reach them (see [`too_deep`]).
#[cfg(test)]
pub fn nesting(text: &str) -> usize {
    scan_nesting(text, usize::MAX).unwrap_or(usize::MAX)
}

/// Where `text` first nests deeper than [`MAX_NESTING`], if it does.
pub fn too_deep(text: &str) -> Option<usize> {
    scan_nesting(text, MAX_NESTING).err()
}

/// The deepest [`nesting`] of `text`, or the offset where it first goes
/// over `limit`.
fn scan_nesting(text: &str, limit: usize) -> Result<usize, usize> {
    let bytes = text.as_bytes();
    // The units of the current segment at each open bracket, outermost
    // first, and their sum plus the number of open brackets.
    let mut segments = vec![0usize];
    let mut total = 0usize;
    let mut deepest = 0;
    let mut after_brace = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let follows_brace = std::mem::take(&mut after_brace);
        let mut next = i + 1;
        let mut reset = false;
        let mut units = 1;
        match b {
            b'(' | b'[' | b'{' => {
                segments.push(0);
                // The group is a token of the level around it.
                units = 2;
            }
            b')' | b']' | b'}' => {
                units = 0;
                // The group stays a token of the level around it.
                if segments.len() > 1 {
                    total -= segments.pop().unwrap_or(0) + 1;
                }
                after_brace = b == b'}';
            }
            b',' | b';' => {
                reset = true;
                units = 0;
            }
            b'=' if bytes.get(i + 1) == Some(&b'>') => {
                reset = true;
                units = 0;
                next = i + 2;
            }
            _ => match token_at(bytes, i) {
                Token::Comment(end) => {
                    after_brace = follows_brace;
                    units = 0;
                    next = end;
                }
                Token::Literal(end) => next = end,
                Token::Code if is_ident(b) => {
                    next = bytes[i..]
                        .iter()
                        .position(|&b| !is_ident(b))
                        .map_or(bytes.len(), |n| i + n);
                    reset = follows_brace && !matches!(&bytes[i..next], b"else" | b"as");
                }
                // An attribute after a block starts the next item.
                Token::Code => reset = follows_brace && b == b'#',
            },
        }
        // The segment the token belongs to: for an open bracket, the one
        // around the level it just opened.
        let at = segments.len() - if units == 2 { 2 } else { 1 };
        if reset {
            total -= segments[at];
            segments[at] = 0;
        }
        // An open bracket's second unit is the level it opens.
        segments[at] += units.min(1);
        total += units;
        if total > limit {
            return Err(i);
        }
        deepest = deepest.max(total);
        i = next;
    }
    Ok(deepest)
}

/// The deepest [`nesting`] a function or item may have to be parsed. Real
/// code stays far below it (the deepest of 70,000 functions in popular
/// crates is 395, the 99.9th percentile 127); above it, parsing could
/// overflow a thread's stack, since syn recurses as deep. At the worst
/// measured cost, about 5 KiB of stack per unit in a debug build (nested
/// generic types), this needs 5 MiB.
pub const MAX_NESTING: usize = 1000;

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn memchr_from(bytes: &[u8], needle: u8, from: usize) -> Option<usize> {
    memchr::memchr(needle, bytes.get(from..)?).map(|p| from + p)
}

fn skip_block_comment(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// From just after an opening `"` to just after the closing one.
fn skip_string(bytes: &[u8], i: usize) -> usize {
    string_end(&bytes[i.min(bytes.len())..]).map_or(bytes.len(), |end| i + end + 1)
}

/// The offset of the `"` that closes a string whose body starts `body`
/// (escapes skipped), if it closes.
pub fn string_end(body: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(at) = memchr::memchr2(b'\\', b'"', body.get(i..)?) {
        i += at;
        if body[i] == b'"' {
            return Some(i);
        }
        i += 2;
    }
    None
}

/// A char literal (`'a'`, `'\n'`, `'\u{1F980}'`, `'"'`) or a lifetime
/// (`'a`, `'static`).
fn skip_char_or_lifetime(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i + 1) {
        // `'\n'`, `'\''`, `'\u{1F980}'`: the escaped char may be a quote.
        Some(b'\\') => memchr_from(bytes, b'\'', i + 3).map_or(bytes.len(), |e| e + 1),
        Some(_) => {
            // One char (maybe multi-byte), then a quote: a char literal.
            let start = i + 1;
            let width = std::str::from_utf8(&bytes[start..(start + 4).min(bytes.len())])
                .ok()
                .or_else(|| {
                    (1..4)
                        .rev()
                        .find_map(|n| std::str::from_utf8(bytes.get(start..start + n)?).ok())
                })
                .and_then(|s| s.chars().next())
                .map_or(1, char::len_utf8);
            if bytes.get(start + width) == Some(&b'\'') {
                start + width + 1
            } else {
                i + 1
            }
        }
        None => bytes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts of `ranges` of `source`.
    fn texts(source: &str, ranges: Option<Vec<Range<usize>>>) -> Vec<&str> {
        ranges.unwrap().into_iter().map(|r| &source[r]).collect()
    }

    fn bodies(source: &str) -> Vec<&str> {
        texts(source, functions(source))
    }

    fn items_of(source: &str) -> Vec<&str> {
        texts(source, items(source))
    }

    #[test]
    fn cuts_files_into_items() {
        let src = "#![allow(x)]\nuse a::{b, c};\n/// doc }\n#[derive(D)]\nstruct S { a: [u8; 2] }\nconst T: S = S { a: [0; 2] };\nconst U: u8 = if A { 1 } else { 2 };\ntype V = W<{ N }>;\nfn f() { let s = \"};\"; }\nm! { x }\nn!(y);\n// tail\n";
        let cut = items_of(src);
        assert_eq!(
            cut,
            [
                "#![allow(x)]\nuse a::{b, c};",
                "\n/// doc }\n#[derive(D)]\nstruct S { a: [u8; 2] }",
                "\nconst T: S = S { a: [0; 2] };",
                "\nconst U: u8 = if A { 1 } else { 2 };",
                "\ntype V = W<{ N }>;",
                "\nfn f() { let s = \"};\"; }",
                "\nm! { x }",
                "\nn!(y);\n// tail\n",
            ]
        );
        assert_eq!(cut.concat(), src);
        assert_eq!(items_of(""), [""]);
        assert_eq!(items_of("// only a comment"), ["// only a comment"]);
        assert!(items("fn f() { ").is_none());
        assert!(is_use_item(
            "\n/// x\n#[cfg(a)]\n#[doc = \"]\"]\npub(crate) use a::b;"
        ));
        assert!(is_use_item("use a;"));
        assert!(!is_use_item("\n// use a;\nfn used() {}"));
        assert!(!is_use_item("pub fn user() {}"));
        assert!(!is_use_item("#[x"));
        assert!(items("fn f() } {").is_none());
    }

    #[test]
    fn inert_items_hold_no_string_macro_or_call() {
        for inert in [
            "use a::{b, c};",
            "/// x\n#[cfg(a)]\npub(crate) use a::b;",
            "macro_rules! m { ($x:expr) => { format!(\"k:{}\", $x) }; }",
            "extern \"C\" { pub fn f(x: u8) -> u8; static S: u8; }",
            "unsafe extern \"C\" { fn f(s: *const u8); }",
            "extern crate alloc;",
            "pub const A: u32 = 0x10 << B; // call() \"x\"",
            "static T: [u8; 3] = [1, 2, 3];",
            "static mut N: ::std::os::raw::c_uint = 7;",
            "pub type V = W<{ N }>;",
            "#[repr(u8)]\nenum E { A = 1, B, /* C(u8) */ }",
            "union U { a: u32, b: f32 }",
            "const U: u8 = if A { 1 } else { 2 };",
        ] {
            assert!(is_inert_item(inert), "{inert}");
        }
        for live in [
            "fn f() {}",
            "const fn f() -> u8 { 1 }",
            "pub const unsafe fn f() {}",
            "const K: &str = \"user:{}\";",
            "const K: &[u8] = b\"user\";",
            "static C: Lazy<Cache> = Lazy::new(Cache::default);",
            "const K: &str = concat!(\"a\", \"b\");",
            "extern \"C\" fn f() {}",
            "extern \"C\" { m!(); }",
            "enum E { A(u8) }",
            // A store declared as a constant, whatever its value.
            "static CACHE: moka::sync::Cache<u8, u8> = Cache::DEFAULT;",
            "const S: Point = Point { x: 1, y: 'a' };",
            "type F = fn(u8) -> u8;",
            "struct S { cache: Cache }",
            "impl S {}",
            "m! { x }",
            // Two items in one piece: never inert.
            "enum E { A } struct S { cache: Cache }",
            "enum E<T = u8> { A } struct S { cache: Cache } const X: u8 = 1;",
            "type A = u8; struct S { cache: Cache }",
            // The rest of a file that `items` could not cut.
            "use a::b;\ntrait T<X = u8> { fn f(&self) {} }",
            "#[x",
            "#[doc = section!(\"h2\")]\nmacro_rules! m { () => {} }",
        ] {
            assert!(!is_inert_item(live), "{live}");
        }
    }

    #[test]
    fn finds_functions_and_methods() {
        let src = "use x;\nconst A: &str = \"fn {\";\nfn a(x: u8) -> u8 { if x > 0 { 1 } else { 2 } }\nimpl S {\n    pub async fn b<'a>(&'a self) { let c = '{'; /* } */ // }\n let s = r#\"}\"#; }\n}\ntrait T { fn c(&self); fn d(&self) {} }\n";
        assert_eq!(
            bodies(src),
            [
                "fn a(x: u8) -> u8 { if x > 0 { 1 } else { 2 } }",
                "fn b<'a>(&'a self) { let c = '{'; /* } */ // }\n let s = r#\"}\"#; }",
                "fn d(&self) {}",
            ]
        );
    }

    #[test]
    fn const_items() {
        let src = "use x;\n#[doc = \"k\"]\npub const CACHE_KEY: &str = \"users;all\";\nstruct S { key: u8 }\n";
        let at = src.find("CACHE_KEY").unwrap();
        let range = const_item(src, at).unwrap();
        assert_eq!(&src[range], "const CACHE_KEY: &str = \"users;all\";");
        assert_eq!(const_item(src, src.find("key:").unwrap()), None);
        // A `;` in a comment before the item is no statement end.
        let src = "// Cache keys; one per user.\npub const USER_KEY: &str = \"users:all\";\n";
        let range = const_item(src, src.find("USER_KEY").unwrap()).unwrap();
        assert_eq!(&src[range], "const USER_KEY: &str = \"users:all\";");
    }

    #[test]
    fn escaped_quote_chars() {
        // `'\''` ends at its third quote: the `"` in `'"'` opens no string.
        let src = "fn a(q: char) { if let '\\''|'\"' = q {} }\nfn b() {}\n";
        assert_eq!(bodies(src).len(), 2);
        let words: Vec<&str> = code_words(src).map(|(s, e, _)| &src[s..e]).collect();
        assert!(words.contains(&"b"), "{words:?}");
    }

    #[test]
    fn blanks_skipped() {
        assert_eq!(skip_blank(b"  // a\n /* b */ \"x\""), b"\"x\"");
        assert_eq!(skip_blank(b"/"), b"/");
    }

    #[test]
    fn comments_blanked() {
        let src = "let a = \"http://x\"; // cache\n/* redis /* nested */ */ b('/', r#\"//\"#)";
        let out = without_comments(src);
        assert_eq!(out.len(), src.len());
        assert!(!out.contains("cache") && !out.contains("redis") && !out.contains("nested"));
        assert!(out.starts_with("let a = \"http://x\";"));
        assert!(out.ends_with("\n                         b('/', r#\"//\"#)"));
        assert!(matches!(
            without_comments("a / b"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    fn arms_free_text() -> String {
        "fn f() { a(1, 2); }".to_owned()
    }

    #[test]
    fn nesting_counts_brackets_and_chains_not_lists() {
        assert_eq!(nesting("fn f() { a(1, 2); }"), 9);
        let braces = format!("fn f() {{ {}{} }}", "{".repeat(500), "}".repeat(500));
        assert!(nesting(&braces) > MAX_NESTING, "{}", nesting(&braces));
        let chain = format!("fn f() {{ let x = {}; }}", ["a"; 600].join(" + "));
        assert!(nesting(&chain) > MAX_NESTING, "{}", nesting(&chain));
        let nots = format!("fn f() {{ let x = {}a; }}", "!".repeat(1200));
        assert!(nesting(&nots) > MAX_NESTING);
        let at = too_deep(&nots).unwrap();
        assert_eq!(&nots[at - 1..at + 1], "!!", "stops where it goes over");
        assert_eq!(too_deep(&arms_free_text()), None);
        // Lists, statements and match arms are flat.
        let list = format!("fn f() {{ let x = [{}]; }}", ["a"; 5000].join(", "));
        assert!(nesting(&list) < 15, "{}", nesting(&list));
        let statements = "let a = b.c();\n".repeat(2000);
        assert!(nesting(&format!("fn f() {{ {statements} }}")) < 20);
        let arms: String = (0..2000).map(|i| format!("A{i} => {{ x }}\n")).collect();
        let arms = format!("fn f() {{ match x {{ {arms} }} }}");
        assert!(nesting(&arms) < 20, "{}", nesting(&arms));
        let items = "#[test]\nfn t() { a(); }\n".repeat(2000);
        assert!(nesting(&items) < 20, "{}", nesting(&items));
        // Brackets in strings and comments are text.
        assert_eq!(nesting("f(\"(((\", '(') // ((("), nesting("f(a, b)"));
    }

    #[test]
    fn innermost_ranges() {
        let src = "fn a() { fn b() {} x }\nfn c() { y }\n";
        let ranges = functions(src).unwrap();
        let at = |s: &str| src.find(s).unwrap();
        let points = [at("y"), 0, at("x"), at("{}") + 1, src.len() - 1, at("fn b")];
        let found: Vec<Option<&str>> = innermost(&ranges, &points)
            .into_iter()
            .map(|r| r.map(|r| &src[r.start..r.start + 4]))
            .collect();
        assert_eq!(
            found,
            [
                Some("fn c"),
                Some("fn a"),
                Some("fn a"),
                Some("fn b"),
                None,
                Some("fn b")
            ]
        );
    }

    #[test]
    fn unbalanced_files_are_left_to_the_parser() {
        assert_eq!(functions("fn a() {"), None);
        assert_eq!(functions("fn g( {}"), None);
        assert_eq!(functions("}"), None);
    }

    #[test]
    fn nested_functions_and_fn_types() {
        let src = "fn outer(f: fn(u8) -> u8) { fn inner() {} let g: fn() = inner; }";
        assert_eq!(
            bodies(src),
            [
                "fn inner() {}",
                "fn outer(f: fn(u8) -> u8) { fn inner() {} let g: fn() = inner; }"
            ]
        );
    }
}
