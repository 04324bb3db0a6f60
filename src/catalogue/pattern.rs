//! Key patterns: literal text with `{param}` holes.
//!
//! `{{` and `}}` stand for literal braces, as in `format!`. Errors carry the
//! byte range inside the pattern text so the loader can point at the exact
//! character in the YAML file.

use std::ops::Range;

use super::Param;

/// One piece of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Text written as it is.
    Literal(String),
    /// Index into the key's `params`.
    Param(usize),
}

/// A parsed pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written in the catalogue.
    pub text: String,
    /// Literals and holes, in order.
    pub parts: Vec<Part>,
}

/// A placeholder found while parsing, before it is resolved to a param.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text written as it is.
    Literal(String),
    /// A `{name}` hole.
    Hole {
        /// The name between the braces.
        name: String,
        /// The bytes of the hole, braces included, in the pattern.
        span: Range<usize>,
    },
}

/// A syntax error with the byte range (inside the pattern) to point at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    /// What is wrong.
    pub message: String,
    /// Text under the caret.
    pub label: String,
    /// How to fix it.
    pub help: String,
    /// The bytes of the pattern to point at.
    pub span: Range<usize>,
}

/// Splits a pattern into literals and holes, reporting every syntax error.
pub fn parse(text: &str) -> Result<Vec<Piece>, Vec<PatternError>> {
    let mut pieces = Vec::new();
    let mut errors = Vec::new();
    let mut literal = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().is_some_and(|&(_, n)| n == '{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().is_some_and(|&(_, n)| n == '}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let rest = &text[i + 1..];
                let Some(len) = rest
                    .find(['}', '{'])
                    .filter(|&n| rest.as_bytes()[n] == b'}')
                else {
                    errors.push(PatternError {
                        message: "unclosed `{` in pattern".into(),
                        label: "this `{` is never closed".into(),
                        help:
                            "close the placeholder as `{name}`, or write `{{` for a literal brace"
                                .into(),
                        span: i..i + 1,
                    });
                    literal.push('{');
                    continue;
                };
                let name = &rest[..len];
                let span = i..i + len + 2;
                for _ in 0..name.chars().count() + 1 {
                    chars.next();
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Hole {
                    name: name.to_owned(),
                    span,
                });
            }
            '}' => errors.push(PatternError {
                message: "unmatched `}` in pattern".into(),
                label: "no `{` opens this".into(),
                help: "write `}}` for a literal brace".into(),
                span: i..i + 1,
            }),
            _ => literal.push(c),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    if errors.is_empty() {
        Ok(pieces)
    } else {
        Err(errors)
    }
}

/// Joins adjacent literals and drops empty ones.
pub fn merge_literals(parts: Vec<Part>) -> Vec<Part> {
    let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
    for part in parts {
        match (merged.last_mut(), part) {
            (_, Part::Literal(text)) if text.is_empty() => {}
            (Some(Part::Literal(prev)), Part::Literal(text)) => prev.push_str(&text),
            (_, part) => merged.push(part),
        }
    }
    merged
}

/// Renders parts back to pattern syntax: `shop:1:users:{id}`, with literal
/// braces doubled.
pub fn display(parts: &[Part], params: &[Param]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Literal(text) => out.push_str(&text.replace('{', "{{").replace('}', "}}")),
            Part::Param(i) => {
                out.push('{');
                out.push_str(&params[*i].name);
                out.push('}');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hole(name: &str, span: Range<usize>) -> Piece {
        Piece::Hole {
            name: name.into(),
            span,
        }
    }

    #[test]
    fn literals_and_holes() {
        assert_eq!(
            parse("a:{x}:b{{c}}").unwrap(),
            vec![
                Piece::Literal("a:".into()),
                hole("x", 2..5),
                Piece::Literal(":b{c}".into())
            ]
        );
        assert_eq!(
            parse("{x}{y}").unwrap(),
            vec![hole("x", 0..3), hole("y", 3..6)]
        );
    }

    #[test]
    fn errors_point_at_the_brace() {
        let errs = parse("a:{x").unwrap_err();
        assert_eq!(errs[0].span, 2..3);
        let errs = parse("a}b").unwrap_err();
        assert_eq!(errs[0].span, 1..2);
        let errs = parse("{a{b}").unwrap_err();
        assert_eq!(errs[0].span, 0..1);
        // Both problems in one pass.
        assert_eq!(parse("}{").unwrap_err().len(), 2);
    }

    #[test]
    fn non_ascii_is_kept() {
        assert_eq!(
            parse("é:{x}").unwrap(),
            vec![Piece::Literal("é:".into()), hole("x", 3..6)]
        );
    }
}
