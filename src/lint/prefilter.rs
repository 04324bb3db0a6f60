//! A byte-level prefilter: which files could contain a finding at all.
//!
//! Parsing Rust is the expensive step, so a file is parsed only when a
//! cheap scan finds a string literal that could be a key (a separator next
//! to a word character or a `{}` hole) shortly after something that builds,
//! names or uses a key: a format macro, `push_str`, an identifier
//! containing `key` or `cache`, or a cache call such as `.del(`. After a
//! cache word or call, any literal with a hole counts, since a spaced key
//! that reaches a cache is itself a finding. Everything else is dropped
//! unparsed. The filter may let through files without findings, never the
//! reverse for the sites [`super::extract`] records.

use aho_corasick::{AhoCorasick, MatchKind};

/// Patterns after which a key-like literal makes a file a candidate.
const BUILDERS: &[&str] = &[
    "format!",
    "format_args!",
    "write!",
    "writeln!",
    "concat!",
    "push_str",
    "key",
    "Key",
    "KEY",
];

/// Patterns after which any literal with a hole makes a file a candidate.
const CACHE_USES: &[&str] = &[
    "cache",
    "Cache",
    "CACHE",
    "redis",
    "Redis",
    "memcache",
    "Memcache",
    "cmd(",
    ".del(",
    ".set_ex(",
    ".setex(",
    ".set_nx(",
    ".expire(",
    ".invalidate(",
    ".get_with(",
    ".incr(",
    ".decr(",
    ".hget(",
    ".hset(",
    ".mget(",
    ".unlink(",
    ".touch(",
];

/// The format macros, whose first literal is the format string.
const FORMATS: &[&str] = &["format!", "format_args!", "write!", "writeln!"];

/// Every trigger, in pattern order.
static ALL_TRIGGERS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| BUILDERS.iter().chain(CACHE_USES).copied().collect());

/// How far after a trigger the literal may start.
const WINDOW: usize = 160;

pub struct Prefilter {
    triggers: AhoCorasick,
    separators: Vec<u8>,
    separator_chars: Vec<char>,
}

impl Prefilter {
    /// A prefilter for keys whose parts are joined by `separators`.
    pub fn new(separators_in: &[char]) -> Prefilter {
        let triggers = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(BUILDERS.iter().chain(CACHE_USES))
            .expect("the trigger patterns are valid");
        let separators = separators_in
            .iter()
            .filter_map(|&c| u8::try_from(c).ok().filter(u8::is_ascii))
            .collect();
        Prefilter {
            triggers,
            separators,
            separator_chars: separators_in.to_vec(),
        }
    }

    /// Whether the file needs parsing.
    pub fn is_candidate(&self, source: &[u8]) -> bool {
        !self.candidates(source).is_empty()
    }

    /// Where the candidates are: the offset of each trigger followed by a
    /// literal that could be a key.
    pub fn candidates(&self, source: &[u8]) -> Vec<usize> {
        self.triggers
            .find_iter(source)
            .filter(|m| {
                let pattern = m.pattern().as_usize();
                let trigger = ALL_TRIGGERS[pattern];
                let after = &source[m.end()..(m.end() + WINDOW).min(source.len())];
                // Up to the end of the statement.
                let after = match after.iter().position(|&b| b == b';') {
                    Some(end) => &after[..end],
                    None => after,
                };
                let cache_use = pattern >= BUILDERS.len();
                let format = FORMATS.contains(&trigger);
                let mut found = literals(after);
                if format {
                    // A format macro's string is the first literal: judge
                    // it as the rules will.
                    return found
                        .next()
                        .is_some_and(|lit| self.format_could_be_key(lit));
                }
                found.any(|lit| self.looks_like_key(lit) || (cache_use && lit.contains(&b'{')))
                    // `key` and `cache` count only as part of a name that
                    // could hold a key (`user_key`, `cache`), not
                    // `keyboard`, `api_key` or text inside a string. Checked
                    // last: it is the costly test.
                    && (!trigger.bytes().all(|b| b.is_ascii_alphabetic())
                        || self.names_a_key(source, m.start(), m.end()))
            })
            .map(|m| m.start())
            .collect()
    }

    /// Whether the identifier around `start..end` could name a key.
    fn names_a_key(&self, source: &[u8], start: usize, end: usize) -> bool {
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
            return false;
        }
        std::str::from_utf8(&source[s..e]).is_ok_and(|name| {
            let lower = name.to_ascii_lowercase();
            super::extract::is_key_name(name)
                || ["cache", "redis", "memcache"]
                    .iter()
                    .any(|w| lower.contains(w))
        })
    }

    /// A format string the rules could report: key-shaped. (A spaced one
    /// is a key only where it reaches a cache, and a cache word or call
    /// next to it makes the file a candidate on its own.)
    fn format_could_be_key(&self, literal: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(literal) else {
            return true;
        };
        if text.contains('\\') {
            return true;
        }
        let Some(template) = super::template::Template::parse_format(text) else {
            return false;
        };
        match super::template::shape(&template, &self.separator_chars) {
            super::template::Shape::Key => true,
            super::template::Shape::Spaced | super::template::Shape::NotKey => false,
        }
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
    fn custom_separators() {
        let plus = Prefilter::new(&['+']);
        assert!(plus.is_candidate(br#"let k = format!("user+{}", id);"#));
        assert!(!plus.is_candidate(br#"let k = format!("a b {}", id);"#));
    }
}
