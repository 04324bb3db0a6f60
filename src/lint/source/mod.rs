//! Reading Rust source: one lexer for all of lint.
//!
//! [`lexer`] is the crate's own small lexer (promoted from `items.rs`)
//! rather than `ra_ap_rustc_lexer`: lint only needs to skip strings, chars
//! and comments and to match brackets, at memchr speed, over every byte of
//! a candidate file, and `ra_ap_rustc_lexer` would add a large,
//! fast-moving dependency (new major versions weekly) for token kinds lint
//! never looks at. Everything past the trigger search that needs structure
//! (items, expressions, where values go) is read by syn in
//! [`super::extract`].

pub mod lexer;
