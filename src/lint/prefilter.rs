//! A byte-level prefilter: which files could contain a finding at all.
//!
//! Parsing Rust is the expensive step, so a file is parsed only when a
//! cheap scan finds a string literal that could be a key (a separator
//! between word characters or a `{}` hole) right after something that
//! builds or names a key: a format macro, `push_str`, or an identifier
//! containing `key` or `cache`. Everything else is dropped unparsed. The
//! filter may let through files without findings, never the reverse for
//! the sites [`super::extract`] records.

use aho_corasick::{AhoCorasick, MatchKind};

/// Patterns after which a key-like literal makes a file a candidate.
const TRIGGERS: &[&str] = &[
    "format!",
    "format_args!",
    "write!",
    "writeln!",
    "concat!",
    "push_str",
    "key",
    "Key",
    "KEY",
    "cache",
    "Cache",
    "CACHE",
];

/// How far after a trigger the literal may start.
const WINDOW: usize = 160;

pub struct Prefilter {
    triggers: AhoCorasick,
}

impl Default for Prefilter {
    fn default() -> Self {
        Self::new()
    }
}

impl Prefilter {
    pub fn new() -> Prefilter {
        let triggers = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(TRIGGERS)
            .expect("the trigger patterns are valid");
        Prefilter { triggers }
    }

    /// Whether the file needs parsing.
    pub fn is_candidate(&self, source: &[u8]) -> bool {
        self.triggers.find_iter(source).any(|m| {
            let after = &source[m.end()..(m.end() + WINDOW).min(source.len())];
            // Up to the end of the statement.
            let after = match memchr_any(after, b';') {
                Some(end) => &after[..end],
                None => after,
            };
            // After `cache`, a spaced key that reaches a cache call is a
            // CK006 finding, so any interpolating literal counts.
            let cache = TRIGGERS[m.pattern().as_usize()].eq_ignore_ascii_case("cache");
            literals(after).any(|lit| looks_like_key(lit) || (cache && lit.contains(&b'{')))
        })
    }
}

fn memchr_any(haystack: &[u8], needle: u8) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

/// The contents of the `"..."` literals in a snippet (escapes left as is).
fn literals(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        let open = rest.iter().position(|&b| b == b'"')?;
        let body = &rest[open + 1..];
        let mut i = 0;
        while i < body.len() {
            match body[i] {
                b'\\' => i += 2,
                b'"' => break,
                _ => i += 1,
            }
        }
        let end = i.min(body.len());
        let literal = &body[..end];
        rest = body.get(end + 1..).unwrap_or(&[]);
        Some(literal)
    })
}

/// A separator next to a word character or brace and not next to a space
/// (`user:`, `:{`, `a_b`, but not `error: {}`). Rust paths (`::`) do not
/// count.
fn looks_like_key(literal: &[u8]) -> bool {
    let word =
        |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'{' || b == b'}');
    let blank =
        |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_whitespace() || b == b':' || b == b'\\');
    literal.iter().enumerate().any(|(i, &b)| {
        if !matches!(b, b':' | b'_' | b'/' | b'.' | b'|' | b'-' | b'#') {
            return false;
        }
        let (before, after) = (
            i.checked_sub(1).and_then(|j| literal.get(j)),
            literal.get(i + 1),
        );
        (word(before) || word(after)) && !blank(before) && !blank(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates() {
        let p = Prefilter::new();
        assert!(p.is_candidate(br#"let k = format!("user:{}", id);"#));
        assert!(p.is_candidate(br#"const CACHE_KEY: &str = "users:all";"#));
        assert!(p.is_candidate(br#"key.push_str("user:");"#));
        assert!(!p.is_candidate(br#"println!("user:{}", id); let x = 1;"#));
        assert!(!p.is_candidate(br#"let s = format!("{}: {}", a, b);"#));
        assert!(!p.is_candidate(br#"use std::collections::HashMap; fn main() {}"#));
        assert!(!p.is_candidate(br#"let k = format!("hello {}", name);"#));
        assert!(p.is_candidate(br#"cache.get(&format!("report {}", day))"#));
    }
}
