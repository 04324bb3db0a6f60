//! String literals and comments of TypeScript and JavaScript source, for
//! [`super`].
//!
//! Light lexing: `'...'` and `"..."` strings, template literals with their
//! `${...}` holes (which nest: a template inside a hole is lexed too),
//! `//` and `/* */` comments, and regular expression literals, which are
//! skipped so that a quote or a `//` inside `/"[^"]*"/` starts nothing. A
//! `/` is a regular expression where an expression may start (after an
//! operator, an opening bracket, a comma, or a keyword such as `return`),
//! and a division after a value, as the language's own grammar decides.

use super::{Literal, LiteralPiece, Scanned};

/// Keywords after which a `/` starts a regular expression.
const EXPRESSION_KEYWORDS: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
];

/// Every string literal, template literal and comment of `source`.
pub fn scan(source: &str) -> Scanned {
    let mut out = Scanned::default();
    let mut lexer = Lexer {
        source,
        bytes: source.as_bytes(),
        out: &mut out,
        nesting: 0,
    };
    let end = lexer.tokens(0, false);
    debug_assert!(end <= source.len());
    out
}

/// How deep templates may nest inside holes before the rest of a hole is
/// taken as text: the lexer recurses once per level, and no input may
/// overflow the stack.
const MAX_NESTING: usize = 64;

struct Lexer<'a, 'o> {
    source: &'a str,
    bytes: &'a [u8],
    out: &'o mut Scanned,
    /// Templates open around the current position.
    nesting: usize,
}

impl Lexer<'_, '_> {
    /// Lexes from `from` to the end, or, `in_hole`, to the `}` that closes
    /// a template hole (returning the offset after it).
    fn tokens(&mut self, from: usize, in_hole: bool) -> usize {
        let bytes = self.bytes;
        let mut i = from;
        let mut depth = 0usize;
        // Whether a `/` here would start a regular expression.
        let mut regex_ok = true;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                    self.out.comments.push(i..end);
                    i = end;
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    let end = find(bytes, i + 2, b"*/").map_or(bytes.len(), |n| n + 2);
                    self.out.comments.push(i..end);
                    i = end;
                }
                b'/' if regex_ok => {
                    i = regex_end(bytes, i + 1);
                    regex_ok = false;
                }
                b'\'' | b'"' => {
                    let (literal, end) = self.quoted(i);
                    self.out.literals.push(literal);
                    i = end;
                    regex_ok = false;
                }
                b'`' => {
                    let (literal, end) = self.template(i);
                    self.out.literals.push(literal);
                    i = end;
                    regex_ok = false;
                }
                b'{' | b'(' | b'[' => {
                    depth += 1;
                    i += 1;
                    regex_ok = true;
                }
                b'}' if in_hole && depth == 0 => return i + 1,
                b'}' | b')' | b']' => {
                    depth = depth.saturating_sub(1);
                    i += 1;
                    // `)` ends a value (`(a) / b`); `}` usually ends a block.
                    regex_ok = b == b'}';
                }
                _ if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80 => {
                    let start = i;
                    while bytes.get(i).is_some_and(|&c| {
                        c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
                    }) {
                        i += 1;
                    }
                    regex_ok = EXPRESSION_KEYWORDS.contains(&&self.source[start..i]);
                }
                _ if b.is_ascii_whitespace() => i += 1,
                _ => {
                    i += 1;
                    regex_ok = true;
                }
            }
        }
        bytes.len()
    }

    /// A `'...'` or `"..."` string at `at`; it cannot span lines.
    fn quoted(&self, at: usize) -> (Literal, usize) {
        let bytes = self.bytes;
        let quote = bytes[at];
        let mut text = String::new();
        let mut i = at + 1;
        let end = loop {
            let Some(&b) = bytes.get(i) else {
                break bytes.len();
            };
            if b == quote {
                break i + 1;
            }
            if b == b'\n' {
                break i;
            }
            if b == b'\\' {
                let (decoded, next) = escape(self.source, i);
                text.push_str(&decoded);
                i = next;
                continue;
            }
            let c = self.source[i..].chars().next().unwrap_or('\u{fffd}');
            text.push(c);
            i += c.len_utf8();
        };
        let pieces = if text.is_empty() {
            Vec::new()
        } else {
            vec![LiteralPiece::Text(text)]
        };
        (
            Literal {
                span: at..end,
                pieces,
                args: Vec::new(),
            },
            end,
        )
    }

    /// A template literal at `at`, with its holes; templates inside holes
    /// are literals of their own.
    fn template(&mut self, at: usize) -> (Literal, usize) {
        let bytes = self.bytes;
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut i = at + 1;
        let end = loop {
            let Some(&b) = bytes.get(i) else {
                break bytes.len();
            };
            match b {
                b'`' => break i + 1,
                b'\\' => {
                    let (decoded, next) = escape(self.source, i);
                    text.push_str(&decoded);
                    i = next;
                }
                b'$' if bytes.get(i + 1) == Some(&b'{') && self.nesting < MAX_NESTING => {
                    if !text.is_empty() {
                        pieces.push(LiteralPiece::Text(std::mem::take(&mut text)));
                    }
                    self.nesting += 1;
                    let close = self.tokens(i + 2, true);
                    self.nesting -= 1;
                    let expr = self.source[i + 2..close.saturating_sub(1).max(i + 2)].trim();
                    pieces.push(LiteralPiece::Hole(expr.to_owned()));
                    i = close;
                }
                _ => {
                    let c = self.source[i..].chars().next().unwrap_or('\u{fffd}');
                    text.push(c);
                    i += c.len_utf8();
                }
            }
        };
        if !text.is_empty() {
            pieces.push(LiteralPiece::Text(text));
        }
        (
            Literal {
                span: at..end,
                pieces,
                args: Vec::new(),
            },
            end,
        )
    }
}

/// A backslash escape at `at`: its text and the offset after it.
fn escape(source: &str, at: usize) -> (String, usize) {
    let rest = &source[at + 1..];
    let Some(next) = rest.chars().next() else {
        return (String::new(), at + 1);
    };
    let after = at + 1 + next.len_utf8();
    let c = match next {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '0' => '\0',
        '\n' => return (String::new(), after),
        'x' => {
            return match rest.get(1..3).and_then(|h| u32::from_str_radix(h, 16).ok()) {
                Some(code) => (
                    char::from_u32(code).unwrap_or('\u{fffd}').to_string(),
                    after + 2,
                ),
                None => (next.to_string(), after),
            };
        }
        'u' if rest.get(1..2) == Some("{") => {
            let close = rest.find('}').unwrap_or(rest.len());
            let code = rest
                .get(2..close)
                .and_then(|h| u32::from_str_radix(h, 16).ok());
            return match code.and_then(char::from_u32) {
                Some(c) => (c.to_string(), at + 1 + close + 1),
                None => (next.to_string(), after),
            };
        }
        'u' => {
            return match rest.get(1..5).and_then(|h| u32::from_str_radix(h, 16).ok()) {
                Some(code) => (
                    char::from_u32(code).unwrap_or('\u{fffd}').to_string(),
                    after + 4,
                ),
                None => (next.to_string(), after),
            };
        }
        other => other,
    };
    (c.to_string(), after)
}

/// The offset after a regular expression literal whose body starts at
/// `from`: an unescaped `/` outside a `[...]` class closes it, then its
/// flags. A line end ends it too (a regex cannot span lines).
fn regex_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut in_class = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
                    i += 1;
                }
                return i;
            }
            b'\n' => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|n| from + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(source: &str) -> Vec<String> {
        scan(source).literals.iter().map(Literal::shown).collect()
    }

    #[test]
    fn strings_and_templates() {
        assert_eq!(
            shown(r#"const a = 'x:1', b = "y\"z", c = `user:${user.id}:${ {a: 1}.a }:p`;"#),
            ["x:1", "y\"z", "user:{user.id}:{{a: 1}.a}:p"]
        );
    }

    #[test]
    fn nested_templates_are_literals_of_their_own() {
        assert_eq!(
            shown("const k = `a:${`b:${id}`}`;"),
            ["b:{id}", "a:{`b:${id}`}"]
        );
    }

    #[test]
    fn regex_literals_and_division() {
        assert_eq!(
            shown(
                "const r = /\"[^\"]*\"\\//g; const d = (a) / 2 / 'q:1'.length; x = y / z; s = 'k:2';"
            ),
            ["q:1", "k:2"]
        );
        assert_eq!(shown("if (/'/.test(s)) { t = 'a:b' }"), ["a:b"]);
        assert_eq!(shown("return /x'/.source + 'c:d'"), ["c:d"]);
    }

    #[test]
    fn comments_hold_no_strings() {
        let scanned =
            scan("// it's 'x'\n/* \"y\" */ const s = 'z:1'; // cachekeys: ignore[CK001]\n");
        assert_eq!(scanned.comments.len(), 3);
        let shown: Vec<_> = scanned.literals.iter().map(Literal::shown).collect();
        assert_eq!(shown, ["z:1"]);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let source = "`${".repeat(100_000);
        // On the test thread's small stack: unbounded recursion would abort.
        let scanned = scan(&source);
        assert!(!scanned.literals.is_empty());
        assert!(scanned.literals.iter().all(|l| l.span.end <= source.len()));
    }

    #[test]
    fn unterminated_quote_ends_at_its_line() {
        assert_eq!(shown("a = 'open\nb = \"k:1\"\n"), ["open", "k:1"]);
    }
}
