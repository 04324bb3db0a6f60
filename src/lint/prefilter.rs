//! The trigger search: which files could hold a key site or a store at all.
//!
//! Parsing Rust is the expensive step, so a file is parsed only when a
//! byte search finds something a key could be built with or sent through:
//! a format macro or `concat!`, `push_str`, a string literal turned into a
//! `String`, a string `const`, a store crate or type (`redis`,
//! `LruCache`, `Cache`, `sled`, ...), a redis `cmd(`, or an
//! in-house sink from the catalogue. Nothing here judges whether a string
//! is a key: that is decided on the syntax tree, by where values go
//! ([`super::flow`]).
//!
//! The search is two passes chosen for speed, since it reads every byte of
//! the tree: macros are found through their `!` (a rare byte, so `memchr`
//! skips most of a file), and names through aho-corasick's SIMD searcher.

use aho_corasick::{AhoCorasick, MatchKind};

use super::source::lexer::next_token;

/// Names and text after which a file is worth parsing.
#[rustfmt::skip]
const TRIGGERS: &[&str] = &[
    "push_str", "cmd(", "edis", "EDIS", "Cache", "moka", "lru", "Lru",
    "sled", "rocksdb", "emcache", "opendal", "object_store", "aws_sdk_s3", "fred", "Operator",
    "\".to_string()", "\".to_owned()", "\".into()", "String::from(\"", "\" +", "+ \"",
    // String constants: `&str = "`, `&'static str = r#"`, `&[u8] = b"`.
    "str = \"", "str = r", "] = b\"",
    // aws-sdk-s3 keys written as literals, wherever the client is declared.
    ".key(\"", ".prefix(\"",
];

/// A place in a file where parsing could find a site or a store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Where its trigger starts.
    pub at: usize,
    /// Unused: every item of a candidate file is parsed (kept for callers).
    pub template: Option<super::template::Template>,
}

/// The trigger search: whether a file has anything a key could be built with or sent through.
pub struct Prefilter {
    names: AhoCorasick,
}

impl Prefilter {
    /// A trigger search (the separators no longer matter: shapes are not
    /// judged here).
    pub fn new(_separators: &[char]) -> Prefilter {
        Prefilter::with_sinks(&[])
    }

    /// A trigger search that also finds the catalogue's in-house sinks
    /// (`lint: sinks:`), by their last path segment.
    pub fn with_sinks(sinks: &[String]) -> Prefilter {
        let extra = sinks
            .iter()
            .filter_map(|s| s.rsplit("::").next())
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        let names = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(TRIGGERS.iter().map(|t| t.to_string()).chain(extra))
            .expect("the trigger patterns are valid");
        Prefilter { names }
    }

    /// Kept for callers: catalogue formats are found like any other site.
    pub fn with_formats(self, _formats: impl IntoIterator<Item = String>) -> Prefilter {
        self
    }

    /// Whether the file needs parsing.
    pub fn is_candidate(&self, source: &[u8]) -> bool {
        let mut bangs = memchr::memchr_iter(b'!', source);
        bangs.any(|bang| macro_before(source, bang).is_some()) || self.names.is_match(source)
    }

    /// Where the triggers are, in order.
    pub fn candidates(&self, source: &[u8]) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = memchr::memchr_iter(b'!', source)
            .filter_map(|bang| macro_before(source, bang))
            .map(|at| Candidate { at, template: None })
            .collect();
        out.extend(self.names.find_iter(source).map(|m| Candidate {
            at: m.start(),
            template: None,
        }));
        out.sort_by_key(|c| c.at);
        out.dedup_by_key(|c| c.at);
        out
    }
}

/// Where the name of the format macro or `concat!` whose `!` is at `bang`
/// starts.
fn macro_before(source: &[u8], bang: usize) -> Option<usize> {
    // `format!(`, and the rarer `format! (` and `format !(`.
    let opens = next_token(source, bang + 1);
    if !matches!(opens.first(), Some(b'(' | b'[' | b'{')) {
        return None;
    }
    let name_end = source[..bang].trim_ascii_end().len();
    let start = name_end
        - source[..name_end]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
    matches!(
        &source[start..name_end],
        b"format" | b"format_args" | b"write" | b"writeln" | b"concat"
    )
    .then_some(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::template::DEFAULT_SEPARATORS;

    #[test]
    fn triggers() {
        let p = Prefilter::new(DEFAULT_SEPARATORS);
        assert!(p.is_candidate(br#"let k = format!("{}{}", a, b);"#));
        assert!(p.is_candidate(br#"let k = format! ("x");"#));
        assert!(p.is_candidate(br#"conn.del(name + ".lock")"#));
        assert!(p.is_candidate(br#"use lru::LruCache;"#));
        assert!(p.is_candidate(br#"redis::cmd("GET").arg(&k)"#));
        assert!(!p.is_candidate(br#"println!("user:{}", id); let x = 1;"#));
        assert!(!p.is_candidate(br#"use std::collections::HashMap; fn main() {}"#));
        let sinks = Prefilter::with_sinks(&["crate::store::stash".into()]);
        assert!(sinks.is_candidate(br#"fn f() { stash(k) }"#));
        assert!(!p.is_candidate(br#"fn f() { stash(k) }"#));
    }
}
