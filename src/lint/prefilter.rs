//! A byte-level prefilter: which files could contain a finding at all.
//!
//! Parsing Rust is the expensive step, so a file is parsed only when a
//! cheap scan finds a string literal that could be a key (a separator next
//! to a word character or a `{}` hole) shortly after something that builds,
//! names or uses a key: a format macro or `concat!`, `push_str`, a name
//! containing `key` or `cache` that takes a value, or `cmd(`. After a cache
//! name, any literal with a hole counts, since a spaced key that reaches a
//! cache is itself a finding. Everything else is dropped unparsed. The
//! filter may let through files without findings, never the reverse for the
//! sites [`super::extract`] records (`tests/lint_prefilter.rs` checks it).
//!
//! The scan is two passes chosen for speed, since it reads every byte of
//! the tree: macros are found through their `!` (a rare byte, so `memchr`
//! skips most of a file), and names through a handful of patterns with
//! rare leading bytes, which aho-corasick's SIMD searcher handles well.

use aho_corasick::{AhoCorasick, MatchKind};

use super::template::{Shape, Template, shape};

/// Name fragments and calls after which a key-like literal makes a file a
/// candidate. `ache` and `edis` stand for cache, Cache, memcache, redis
/// and Redis: fewer, rarer patterns keep the SIMD search fast.
const NAMES: &[&str] = &[
    "key", "Key", "KEY", "ache", "ACHE", "edis", "EDIS", "cmd(", "push_str",
];

/// How far after a trigger the literal may start.
const WINDOW: usize = 160;

/// How far a `concat!` is followed before it is left to the parser.
const CONCAT_WINDOW: usize = 4096;

/// A place in a file where parsing could find a site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Where its trigger starts.
    pub at: usize,
    /// The template of the one string the candidate is about, when only
    /// its text could make a rule report it: a key-shaped format string,
    /// a `concat!`, a `push_str` literal. A function holding only such
    /// candidates, and no sign of a cache, can wait: see
    /// [`super::extract::Deferred`].
    pub template: Option<Template>,
}

/// What starts a candidate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Trigger {
    /// `format!`, `format_args!`, `write!`, `writeln!`: the first literal
    /// is the format string.
    Format,
    Concat,
    PushStr,
    /// `cmd(`: a redis command, whose arguments are keys.
    Command,
    /// A name that could hold a key or a cache.
    Name,
}

pub struct Prefilter {
    names: AhoCorasick,
    /// Cache receivers and cache methods (`.del(`), in any case.
    cache_calls: AhoCorasick,
    separators: Vec<u8>,
    separator_chars: Vec<char>,
}

impl Prefilter {
    /// A prefilter for keys whose parts are joined by `separators`.
    pub fn new(separators_in: &[char]) -> Prefilter {
        let names = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(NAMES)
            .expect("the name patterns are valid");
        let methods = super::extract::CACHE_METHODS
            .iter()
            .map(|m| format!(".{m}("));
        let cache_calls = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(
                super::extract::CACHE_RECEIVERS
                    .iter()
                    .map(|w| w.to_string())
                    .chain(methods),
            )
            .expect("the cache call patterns are valid");
        let separators = separators_in
            .iter()
            .filter_map(|&c| u8::try_from(c).ok().filter(u8::is_ascii))
            .collect();
        Prefilter {
            names,
            cache_calls,
            separators,
            separator_chars: separators_in.to_vec(),
        }
    }

    /// Whether the file needs parsing.
    pub fn is_candidate(&self, source: &[u8]) -> bool {
        !self.candidates(source).is_empty()
    }

    /// Where the candidates are, in order of their triggers.
    pub fn candidates(&self, source: &[u8]) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = memchr::memchr_iter(b'!', source)
            .filter_map(|bang| {
                let (start, trigger) = macro_before(source, bang)?;
                self.judge(source, trigger, start, bang + 1)
                    .map(|template| Candidate {
                        at: start,
                        template,
                    })
            })
            .collect();
        out.extend(self.names.find_iter(source).filter_map(|m| {
            let trigger = match NAMES[m.pattern().as_usize()] {
                "cmd(" => Trigger::Command,
                "push_str" => Trigger::PushStr,
                _ => Trigger::Name,
            };
            self.judge(source, trigger, m.start(), m.end())
                .map(|template| Candidate {
                    at: m.start(),
                    template,
                })
        }));
        out.sort_by_key(|c| c.at);
        out.dedup_by_key(|c| c.at);
        out
    }

    /// Whether the trigger at `start..end` is followed, within its
    /// statement, by a literal that could be a key: `None` when not,
    /// `Some(Some(template))` when that literal's text is all that matters
    /// (see [`Candidate::template`]), `Some(None)` for anything else that
    /// needs parsing.
    fn judge(
        &self,
        source: &[u8],
        trigger: Trigger,
        start: usize,
        end: usize,
    ) -> Option<Option<Template>> {
        // `key` and `cache` count only as part of a name that could hold a
        // key (`user_key`, `cache`), not `keyboard`, `api_key` or text
        // inside a string, and only where the name takes a value or a call
        // (`key = `, `key: `, `cache.get(`, `fn user_key(`), not where it is
        // passed along. Tested first: most matches fail it, cheaply.
        let cache = match trigger {
            Trigger::Name => self.name_role(source, start, end)?,
            Trigger::Command => true,
            _ => false,
        };
        let after = statement_after(&source[end..(end + WINDOW).min(source.len())]);
        let mut found = literals(after);
        match trigger {
            Trigger::Format => {
                // The format string is the first literal: judge it as the
                // rules will (a raw string is left to them).
                let open = after.iter().position(|&b| b == b'"')?;
                let statement = statement_before(source, start);
                // A raw string is left to the parser, and so is one longer
                // than the window unless what is seen of it is already prose.
                if open > 0 && matches!(after[open - 1], b'r' | b'#') {
                    return Some(None);
                }
                if string_end(&after[open + 1..]).is_none() {
                    let seen = String::from_utf8_lossy(&after[open + 1..]);
                    let prose = is_spaced(&seen) && !self.cache_calls.is_match(statement);
                    return (!prose).then_some(None);
                }
                self.judge_format(found.next()?, statement)
            }
            // Its arguments hold no `;`, and may run over many lines.
            Trigger::Concat => {
                self.judge_concat(&source[end..(end + CONCAT_WINDOW).min(source.len())])
            }
            // Only a literal argument is a site: `s.push_str("user:")`.
            Trigger::PushStr => {
                let arg = after
                    .trim_ascii_start()
                    .strip_prefix(b"(")?
                    .trim_ascii_start();
                match arg.first()? {
                    b'"' => {
                        // A literal longer than the window is left to the parser.
                        let Some(end) = string_end(&arg[1..]) else {
                            return Some(None);
                        };
                        let literal = &arg[1..1 + end];
                        if !self.looks_like_key(literal) {
                            return None;
                        }
                        let text = std::str::from_utf8(literal).ok();
                        let value = text.and_then(|t| {
                            if t.contains('\\') {
                                unescape(t)
                            } else {
                                Some(t.to_owned())
                            }
                        });
                        Some(value.map(|v| Template::literal(&v)))
                    }
                    // A raw string is left to the parser.
                    b'r' => Some(None),
                    _ => None,
                }
            }
            // `cmd("GET")`: a command that takes a key, then the key.
            Trigger::Command => {
                let command = found.next()?;
                let known = super::extract::KEY_COMMANDS
                    .iter()
                    .any(|c| c.as_bytes().eq_ignore_ascii_case(command));
                (known && found.any(|lit| self.looks_like_key(lit) || lit.contains(&b'{')))
                    .then_some(None)
            }
            Trigger::Name => found
                .any(|lit| self.looks_like_key(lit) || (cache && lit.contains(&b'{')))
                .then_some(None),
        }
    }

    /// What the identifier around `start..end` is, where it could hold a
    /// key or reach a cache: `Some(true)` for a cache name, `Some(false)`
    /// for a key name, `None` for neither.
    fn name_role(&self, source: &[u8], start: usize, end: usize) -> Option<bool> {
        let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let mut s = start;
        while s > 0 && ident(source[s - 1]) {
            s -= 1;
        }
        let mut e = end;
        while e < source.len() && ident(source[e]) {
            e += 1;
        }
        if (s > 0 && source[s - 1] == b'"') || source.get(e) == Some(&b'"') {
            return None;
        }
        let next = super::items::next_token(source, e);
        // A CamelCase name is a type: only a path through it (`Redis::`)
        // can reach a cache.
        let is_type =
            source[s].is_ascii_uppercase() && source[s..e].iter().any(u8::is_ascii_lowercase);
        // Where the name is decides what it must be to count. Checked
        // before the name itself: most matches fail here, cheaply.
        enum Place {
            /// `let key = `, `key: `, `const KEY: `, `Foo { key: `, or a
            /// key function, `fn user_key(`: a key or cache name.
            Value,
            /// `cache.get(`, `(&cache).get(`, `cache?.get(`, `redis::cmd(`:
            /// a cache name, with a cache call after it.
            Receiver,
            /// `cache_get(`: a cache function.
            Call,
        }
        let place = match next {
            [b'=', b'=' | b'>', ..] => None,
            [b':', b':', _, ..] => Some(Place::Receiver),
            [b'=' | b':', ..] if !is_type => Some(Place::Value),
            [b'(' | b'<', ..] if super::items::is_fn_name(source, s) => Some(Place::Value),
            [b'(', ..] if !is_type => Some(Place::Call),
            [b'.' | b')' | b'?', ..] if !is_type => Some(Place::Receiver),
            _ => None,
        }?;
        let name = std::str::from_utf8(&source[s..e]).ok()?;
        let cache = super::extract::names_a_cache(name);
        let counts = match place {
            Place::Value => cache || super::extract::is_key_name(name),
            Place::Receiver => {
                let after = statement_after(&source[e..(e + WINDOW).min(source.len())]);
                cache && calls_cache_method(after)
            }
            Place::Call => super::extract::is_cache_function(name),
        };
        counts.then_some(cache)
    }

    /// A format string the rules could report: key-shaped (with its
    /// template), or spaced and passed straight to a cache
    /// (`mc.get(&format!(`, `conn.del(format!(`). A cache name after it
    /// makes the file a candidate on its own. See [`Self::judge`].
    fn judge_format(&self, literal: &[u8], statement: &[u8]) -> Option<Option<Template>> {
        let Ok(text) = std::str::from_utf8(literal) else {
            return Some(None);
        };
        let unescaped;
        let text = if text.contains('\\') {
            let Some(value) = unescape(text) else {
                return Some(None);
            };
            unescaped = value;
            &unescaped
        } else {
            text
        };
        // Cheap tests first: most format strings are prose for a log or an
        // error, which only a cache call in the same statement makes a key.
        let spaced = is_spaced(text);
        if !(self.separator_next_to_word(text.as_bytes())
            || (spaced && self.cache_calls.is_match(statement)))
        {
            return None;
        }
        let template = Template::parse_format(text)?;
        match shape(&template, &self.separator_chars) {
            Shape::Key => Some(Some(template)),
            Shape::Spaced => self.cache_calls.is_match(statement).then_some(None),
            Shape::NotKey => None,
        }
    }

    /// Whether `concat!(...)` (`args` starts after the `!`) makes a string
    /// the rules could report: only literals, joined into key-shaped or
    /// spaced text (with its template). Anything this does not follow is
    /// left to the parser. See [`Self::judge`].
    fn judge_concat(&self, args: &[u8]) -> Option<Option<Template>> {
        let Ok(args) = std::str::from_utf8(args) else {
            return Some(None);
        };
        let Some(mut rest) = args.trim_start().strip_prefix(['(', '[', '{']) else {
            return Some(None);
        };
        let mut text = String::new();
        loop {
            rest = rest.trim_start();
            if let Some(body) = rest.strip_prefix('"') {
                let Some(end) = string_end(body.as_bytes()) else {
                    return Some(None);
                };
                let Some(value) = unescape(&body[..end]) else {
                    return Some(None);
                };
                text.push_str(&value);
                rest = &body[end + 1..];
            } else {
                let end = rest
                    .find(|c: char| {
                        c == ',' || c == ')' || c == ']' || c == '}' || c.is_whitespace()
                    })
                    .unwrap_or(rest.len());
                let token = &rest[..end];
                match token.as_bytes().first() {
                    // A number, `true` or `false` joins as written.
                    Some(b'0'..=b'9' | b'-') => {}
                    _ if token == "true" || token == "false" => {}
                    // A char, raw or byte string: not followed here.
                    Some(b'\'' | b'r' | b'b') => return Some(None),
                    // A macro, a constant, `$x`: not a literal, so no site.
                    Some(_) => return None,
                    None => {}
                }
                text.push_str(token);
                rest = &rest[end..];
            }
            rest = rest.trim_start();
            match rest.as_bytes().first() {
                Some(b',') => rest = &rest[1..],
                Some(b')' | b']' | b'}') => break,
                _ => return Some(None),
            }
            if rest.trim_start().starts_with([')', ']', '}']) {
                break;
            }
        }
        if !(self.separator_next_to_word(text.as_bytes()) || is_spaced(&text)) {
            return None;
        }
        let template = Template::literal(&text);
        (shape(&template, &self.separator_chars) != Shape::NotKey).then_some(Some(template))
    }

    /// A separator next to a letter, digit or brace: what a key shape
    /// needs at least (a namespace word or a `{}` hole beside a separator).
    fn separator_next_to_word(&self, text: &[u8]) -> bool {
        let word = |b: Option<&u8>| {
            b.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'{' || b == b'}')
        };
        // Non-ASCII separators are rare: leave them to the full test.
        self.separators.len() < self.separator_chars.len()
            || text.iter().enumerate().any(|(i, b)| {
                self.separators.contains(b)
                    && (word(i.checked_sub(1).and_then(|j| text.get(j))) || word(text.get(i + 1)))
            })
    }

    /// A separator next to a word character or brace and not next to a
    /// space (`user:`, `:{`, `a_b`, but not `error: {}`). Rust paths (`::`)
    /// do not count.
    fn looks_like_key(&self, literal: &[u8]) -> bool {
        let word = |b: Option<&u8>| {
            b.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'{' || b == b'}')
        };
        let blank =
            |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_whitespace() || b == b':' || b == b'\\');
        literal.iter().enumerate().any(|(i, b)| {
            if !self.separators.contains(b) {
                return false;
            }
            let before = i.checked_sub(1).and_then(|j| literal.get(j));
            let after = literal.get(i + 1);
            (word(before) || word(after)) && !blank(before) && !blank(after)
        })
    }
}

/// The format macro or `concat!` whose `!` is at `bang`: where its name
/// starts, and which it is.
fn macro_before(source: &[u8], bang: usize) -> Option<(usize, Trigger)> {
    if !matches!(source.get(bang + 1), Some(b'(' | b'[' | b'{')) {
        return None;
    }
    let ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let len = source[..bang].iter().rev().take_while(|b| ident(b)).count();
    let start = bang - len;
    let trigger = match &source[start..bang] {
        b"format" | b"format_args" | b"write" | b"writeln" => Trigger::Format,
        b"concat" => Trigger::Concat,
        _ => return None,
    };
    Some((start, trigger))
}

/// Whether `text` calls a cache method (`.get(`, `.del::<`) or a redis
/// `cmd(`, as the extractor's cache calls need.
fn calls_cache_method(text: &[u8]) -> bool {
    use super::extract::{CACHE_METHODS, MAYBE_CACHE_METHODS};
    super::items::identifiers(text).any(|(start, end)| {
        let next = super::items::next_token(text, end);
        (next.starts_with(b"(") || next.starts_with(b"::"))
            && std::str::from_utf8(&text[start..end]).is_ok_and(|w| {
                w == "cmd" || CACHE_METHODS.contains(&w) || MAYBE_CACHE_METHODS.contains(&w)
            })
    })
}

/// `after` up to the end of its statement: the first `;` outside a
/// string.
fn statement_after(after: &[u8]) -> &[u8] {
    let mut i = 0;
    while let Some(at) = memchr::memchr2(b';', b'"', &after[i..]) {
        i += at;
        if after[i] == b';' {
            return &after[..i];
        }
        match string_end(&after[i + 1..]) {
            Some(end) => i += end + 2,
            None => break,
        }
    }
    after
}

/// What [`super::template::shape`] calls spaced: whitespace, a control
/// character or `=`.
fn is_spaced(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '=')
}

/// The statement before `at`, back to the last `;` or brace (at most a
/// few lines).
fn statement_before(source: &[u8], at: usize) -> &[u8] {
    let from = at.saturating_sub(WINDOW);
    let start = source[from..at]
        .iter()
        .rposition(|&b| matches!(b, b';' | b'{' | b'}'))
        .map_or(from, |i| from + i + 1);
    &source[start..at]
}

/// The value of a string literal's body, as the compiler reads its
/// escapes; `None` for an escape this does not know.
fn unescape(body: &str) -> Option<String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            c @ ('\\' | '"' | '\'') => out.push(c),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(char::from(u8::from_str_radix(&hex, 16).ok()?));
            }
            'u' => {
                let rest = chars.as_str().strip_prefix('{')?;
                let close = rest.find('}')?;
                let code = u32::from_str_radix(&rest[..close].replace('_', ""), 16).ok()?;
                out.push(char::from_u32(code)?);
                chars = rest[close + 1..].chars();
            }
            // A line continuation: the newline and the next line's indent go.
            '\n' => {
                let rest = chars.as_str().trim_start();
                chars = rest.chars();
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The contents of the `"..."` literals in a snippet (escapes left as is).
fn literals(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        let open = rest.iter().position(|&b| b == b'"')?;
        let body = &rest[open + 1..];
        let end = string_end(body).unwrap_or(body.len());
        let literal = &body[..end];
        rest = body.get(end + 1..).unwrap_or(&[]);
        Some(literal)
    })
}

/// The offset of the `"` that closes a string whose body starts `body`.
fn string_end(body: &[u8]) -> Option<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::template::DEFAULT_SEPARATORS;

    #[test]
    fn candidates() {
        let p = Prefilter::new(DEFAULT_SEPARATORS);
        assert!(p.is_candidate(br#"let k = format!("user:{}", id);"#));
        assert!(p.is_candidate(br#"const CACHE_KEY: &str = "users:all";"#));
        assert!(p.is_candidate(br#"key.push_str("user:");"#));
        assert!(p.is_candidate(br#"cache.get(&format!("report {}", day))"#));
        assert!(p.is_candidate(br#"conn.del(format!("report {}", day))"#));
        assert!(!p.is_candidate(br#"println!("user:{}", id); let x = 1;"#));
        assert!(!p.is_candidate(br#"let s = format!("{}: {}", a, b);"#));
        assert!(!p.is_candidate(br#"use std::collections::HashMap; fn main() {}"#));
        assert!(!p.is_candidate(br#"let k = format!("hello {}", name);"#));
    }

    #[test]
    fn escapes() {
        assert_eq!(
            unescape(r"a\n\t\\\x41\u{1F600}\u{4_1}").as_deref(),
            Some("a\n\t\\A\u{1F600}A")
        );
        assert_eq!(unescape("a\\\n    b").as_deref(), Some("ab"));
        assert_eq!(unescape(r"\q"), None);
        let p = Prefilter::new(DEFAULT_SEPARATORS);
        assert!(!p.is_candidate(br#"write!(f, "\n    ")?;"#));
        assert!(!p.is_candidate(br#"let k = format!("user:{}\n", id);"#));
        assert!(p.is_candidate(br#"write!(f, "{};fill-opacity:{};", a, b)"#));
        // Longer than the window: left to the parser unless already prose.
        let long = format!("let s = format!(\"{}:{{}}\", x);", "ab_".repeat(60));
        assert_eq!(p.candidates(long.as_bytes())[0].template, None);
        let prose = format!("let s = format!(\"{}:{{}}\", x);", "a b ".repeat(50));
        assert!(!p.is_candidate(prose.as_bytes()));
        assert!(p.is_candidate(br#"conn.del(format!("report {}", day))"#));
        assert!(p.is_candidate(br#"redis_conn.hgetall("my_hash")"#));
        // A literal key passed to a receiver not named like a cache is not
        // followed (documented in the README).
        assert!(!p.is_candidate(br#"conn.hgetall("my_hash")"#));
        assert!(p.is_candidate(br#"mc.get(&format!("user:{}\r\nflush_all", id));"#));
        assert!(p.is_candidate(br#"let k = format!("user\x3a{}", id);"#));
        assert!(p.is_candidate(br#"let k = format!(r"a\b:{}", id);"#));
    }

    #[test]
    fn concat() {
        let p = Prefilter::new(DEFAULT_SEPARATORS);
        assert!(p.is_candidate(br#"concat!("users", ":", "all")"#));
        assert!(p.is_candidate(br#"concat!("user", ":", "all_", 42)"#));
        assert!(p.is_candidate(br#"concat!["user:", "\x61ll",]"#));
        assert!(p.is_candidate(br#"concat!('u', "ser:all")"#));
        assert!(!p.is_candidate(br#"concat!(env!("OUT_DIR"), "/private.rs")"#));
        assert!(!p.is_candidate(br#"concat!("ld", $acquire, "xp {prev_lo}")"#));
        assert!(!p.is_candidate(br#"concat!("https://docs.rs/", "x")"#));
    }

    #[test]
    fn push_str() {
        let p = Prefilter::new(DEFAULT_SEPARATORS);
        let at = |source: &[u8]| p.candidates(source);
        assert_eq!(
            at(br#"key.push_str("user:");"#),
            [Candidate {
                at: 4,
                template: Some(Template::literal("user:"))
            }]
        );
        assert_eq!(at(br#"s.push_str( r"a:b" );"#)[0].template, None);
        assert!(at(br#"s.push_str(&name); x("a:b");"#).is_empty());
        assert!(at(br#"s.push_str("hello world");"#).is_empty());
    }

    #[test]
    fn names_that_hold_keys() {
        let p = Prefilter::new(DEFAULT_SEPARATORS);
        assert!(p.is_candidate(br#"let user_key = "users:all";"#));
        assert!(p.is_candidate(br#"Foo { cache_key: "users:all" }"#));
        assert!(p.is_candidate(br#"fn user_key() -> &'static str { "users:all" }"#));
        assert!(p.is_candidate(br#"self.cache.get("users:all")"#));
        assert!(p.is_candidate(br#"redis::cmd("GET").arg("users:all")"#));
        assert!(p.is_candidate(br#"lock(&cache).get("users:all")"#));
        // Passed along, compared, a type, or a method of something else.
        assert!(!p.is_candidate(br#"map.insert(key, "users:all");"#));
        assert!(!p.is_candidate(br#"if key == "users:all" {}"#));
        assert!(!p.is_candidate(br#"let k: MeshPipelineKey = "users:all".parse()?;"#));
        assert!(!p.is_candidate(br#"map.contains_key("users:all");"#));
        assert!(!p.is_candidate(br#"key.starts_with("users:all");"#));
        // A cache name counts as a receiver only with a cache call after it.
        assert!(p.is_candidate(br#"self.cache.lock().unwrap().get("users:all")"#));
        assert!(!p.is_candidate(br#"pipeline_cache.queue_pipeline(Desc { label: "a_b" })"#));
        assert!(!p.is_candidate(br#"enter_dir(&cache_config), "a_b")"#));
        assert!(p.is_candidate(br#"cache_get("users:all")"#));
        assert!(!p.is_candidate(br#"cache_dir("users:all")"#));
        // `cmd(` is redis's only with a command that takes a key.
        assert!(p.is_candidate(br#"cmd("SET").arg("users:all")"#));
        assert!(!p.is_candidate(br#"cmd("lib.exe").arg("a_b")"#));
    }

    #[test]
    fn custom_separators() {
        let plus = Prefilter::new(&['+']);
        assert!(plus.is_candidate(br#"let k = format!("user+{}", id);"#));
        assert!(!plus.is_candidate(br#"let k = format!("a b {}", id);"#));
    }
}
