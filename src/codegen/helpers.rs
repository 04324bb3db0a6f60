//! The private `__cachekeys` module at the root of the generated code: the
//! items of `runtime.rs` the generated code uses, and every item those
//! mention, so private helpers come along with their callers and nothing
//! unused is copied (a generated module is warning-free).
//!
//! `runtime.rs` is the rendering and matching code itself, kept as a Rust
//! file in rustfmt's layout so that it is read, linted and tested as code:
//! `cachekeys::key_text` includes it as a module, and this copies it as text,
//! item by item (items are separated by one empty line), indented one level.

use std::collections::BTreeSet;

use super::layout::line;
use super::{Helpers, RUNTIME_MODULE};

/// The runtime items, as text.
const RUNTIME: &str = include_str!("runtime.rs");

/// One item of `runtime.rs`: its name, its text, and the identifiers its
/// code (not its comments or strings) mentions.
struct Piece {
    name: &'static str,
    text: &'static str,
    mentions: BTreeSet<&'static str>,
}

/// The items of `runtime.rs`, in order; the header comment is none.
fn pieces() -> Vec<Piece> {
    RUNTIME
        .split("\n\n")
        .filter_map(|text| {
            let text = text.trim_matches('\n');
            let name = item_name(text)?;
            Some(Piece {
                name,
                text,
                mentions: identifiers(text),
            })
        })
        .collect()
}

/// The name an item declares: `push_u64` of `pub(super) fn push_u64(`,
/// `alloc` of `extern crate alloc;`, `String` of `use ...::String;`.
fn item_name(text: &str) -> Option<&str> {
    let code = text
        .lines()
        .find(|l| !l.starts_with("//") && !l.starts_with("#["))?;
    let code = code.strip_prefix("pub(super) ").unwrap_or(code);
    if let Some(path) = code.strip_prefix("use ") {
        return path.trim_end_matches(';').rsplit("::").next();
    }
    let rest = ["extern crate ", "const fn ", "fn ", "const ", "type "]
        .iter()
        .find_map(|keyword| code.strip_prefix(keyword))?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The identifiers in Rust code, outside comments and string and character
/// literals.
fn identifiers(code: &str) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i += code[i..].find('\n').unwrap_or(code.len() - i);
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            // A character literal (`'a'`, `'\\'`), not a lifetime.
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 3,
            b'\'' if bytes.get(i + 1) == Some(&b'\\') => {
                i += 2 + code[i + 2..].find('\'').map_or(0, |n| n + 1);
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                found.insert(&code[start..i]);
            }
            c if c.is_ascii_digit() => {
                // A number with its suffix or hex digits, not an identifier.
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    found
}

/// Writes the helper module with the items in `used` and what they mention;
/// nothing when nothing is used.
pub(super) fn module(out: &mut String, used: &Helpers) {
    if used.is_empty() {
        return;
    }
    let pieces = pieces();
    let mut keep: BTreeSet<&str> = used.iter().copied().collect();
    let mut queue: Vec<&str> = keep.iter().copied().collect();
    while let Some(name) = queue.pop() {
        let Some(piece) = pieces.iter().find(|p| p.name == name) else {
            continue;
        };
        for &ident in &piece.mentions {
            if ident != name && pieces.iter().any(|p| p.name == ident) && keep.insert(ident) {
                queue.push(ident);
            }
        }
    }
    line(
        out,
        0,
        "/// Rendering and parsing helpers shared by the key functions.",
    );
    line(out, 0, &format!("mod {RUNTIME_MODULE} {{"));
    let mut first = true;
    for piece in pieces.iter().filter(|p| keep.contains(p.name)) {
        if !first {
            out.push('\n');
        }
        first = false;
        for text in piece.text.lines() {
            line(out, 4, text);
        }
    }
    line(out, 0, "}");
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The runtime as the generated code has it.
    mod runtime {
        #![allow(dead_code)]
        include!("runtime.rs");
    }

    /// Each piece after the header declares one named item, and every
    /// helper the generator asks for by name is one of them.
    #[test]
    fn every_runtime_piece_is_one_named_item() {
        let header = RUNTIME.split("\n\n").next().unwrap_or_default();
        assert!(header.lines().all(|l| l.starts_with("//")), "{header}");
        let count = RUNTIME.split("\n\n").count();
        let pieces = pieces();
        assert_eq!(pieces.len(), count - 1, "a piece without a name");
        for name in [
            "alloc",
            "String",
            "Vec",
            "push_u64",
            "match_key",
            "Hole",
            "OVER_LONG",
        ] {
            assert!(pieces.iter().any(|p| p.name == name), "no item `{name}`");
        }
    }

    #[test]
    fn identifiers_skip_comments_strings_and_char_literals() {
        let found =
            identifiers("// one two\nfn f(x: u8) -> &'a str { g('h', \"i j\", '\\n', 0x1f) }");
        let expected: BTreeSet<&str> = ["fn", "f", "x", "u8", "a", "str", "g"].into();
        assert_eq!(found, expected);
    }

    proptest! {
        /// `longest_head` and the `shorter` chain from it visit exactly the
        /// heads a key starts with, longest first: the generated `parse`
        /// tries every entry that could match, and no other.
        #[test]
        fn the_head_dispatch_visits_every_head_the_key_starts_with(
            set in prop::collection::btree_set("[ab:]{1,4}", 0..10),
            key in "[ab:]{0,6}",
        ) {
            let heads: Vec<&str> = std::iter::once("").chain(set.iter().map(String::as_str)).collect();
            let shorter = super::super::decoder::shorter_heads(&heads);
            let mut at = runtime::longest_head(&key, &heads, &shorter);
            let mut visited = vec![at];
            while at != 0 {
                at = shorter[at];
                visited.push(at);
            }
            let mut expected: Vec<usize> = (0..heads.len()).filter(|&i| key.starts_with(heads[i])).collect();
            expected.sort_by_key(|&i| std::cmp::Reverse(heads[i].len()));
            prop_assert_eq!(visited, expected);
        }
    }
}
