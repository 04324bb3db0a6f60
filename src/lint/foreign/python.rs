//! String literals and comments of Python source, for [`super`].
//!
//! Light lexing, not parsing: enough to know where every string literal
//! and `#` comment is, what an f-string's holes are, and whether a plain
//! string is formatted right after (`"user:{}".format(uid)`,
//! `"user:%s" % uid`). A `#` inside a string is no comment, a quote inside
//! a comment starts no string, and an unterminated string ends at its line
//! (or the file) instead of swallowing the rest, so a broken file still
//! yields what is readable.

use super::{Literal, LiteralPiece, Scanned, args_after, skip_space};

/// The string prefixes Python accepts (any case): raw, bytes, format,
/// unicode, and their pairs.
fn prefix_flags(word: &str) -> Option<(bool, bool)> {
    let lower = word.to_ascii_lowercase();
    match lower.as_str() {
        "r" => Some((true, false)),
        "u" | "b" => Some((false, false)),
        "f" => Some((false, true)),
        "br" | "rb" => Some((true, false)),
        "fr" | "rf" => Some((true, true)),
        _ => None,
    }
}

/// Every string literal and comment of `source`.
pub fn scan(source: &str) -> Scanned {
    let bytes = source.as_bytes();
    let mut out = Scanned::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'#' => {
                let end = line_end(bytes, i);
                out.comments.push(i..end);
                i = end;
            }
            b'\'' | b'"' => {
                let (literal, end) = string(source, i, i, false, false);
                out.literals.push(literal);
                i = end;
            }
            _ if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                if i < bytes.len()
                    && matches!(bytes[i], b'\'' | b'"')
                    && let Some((raw, format)) = prefix_flags(&source[start..i])
                {
                    let (literal, end) = string(source, start, i, raw, format);
                    out.literals.push(literal);
                    i = end;
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |n| from + n)
}

/// The string whose prefix starts at `start` and whose opening quote is at
/// `quote_at`; returns it and the offset after it.
fn string(
    source: &str,
    start: usize,
    quote_at: usize,
    raw: bool,
    format: bool,
) -> (Literal, usize) {
    let bytes = source.as_bytes();
    let quote = bytes[quote_at];
    let triple = bytes.get(quote_at + 1) == Some(&quote) && bytes.get(quote_at + 2) == Some(&quote);
    let body_start = quote_at + if triple { 3 } else { 1 };
    let mut pieces: Vec<LiteralPiece> = Vec::new();
    let mut text = String::new();
    let mut i = body_start;
    let end;
    loop {
        let Some(&b) = bytes.get(i) else {
            end = bytes.len();
            break;
        };
        if b == quote
            && (!triple || (bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote)))
        {
            end = i + if triple { 3 } else { 1 };
            break;
        }
        if b == b'\n' && !triple {
            // Unterminated: the string ends with its line.
            end = i;
            break;
        }
        if b == b'\\' {
            let (decoded, next) = escape(source, i, raw);
            text.push_str(&decoded);
            i = next;
            continue;
        }
        if format && b == b'{' {
            if bytes.get(i + 1) == Some(&b'{') {
                text.push('{');
                i += 2;
                continue;
            }
            if !text.is_empty() {
                pieces.push(LiteralPiece::Text(std::mem::take(&mut text)));
            }
            let (expr, next) = replacement_field(source, i + 1);
            pieces.push(LiteralPiece::Hole(expr));
            i = next;
            continue;
        }
        if format && b == b'}' && bytes.get(i + 1) == Some(&b'}') {
            text.push('}');
            i += 2;
            continue;
        }
        let c = source[i..].chars().next().unwrap_or('\u{fffd}');
        text.push(c);
        i += c.len_utf8().max(1);
    }
    if !text.is_empty() {
        pieces.push(LiteralPiece::Text(text));
    }
    let mut literal = Literal {
        span: start..end,
        pieces,
        args: Vec::new(),
    };
    if !format {
        literal = formatted(source, literal, end);
    }
    (literal, end)
}

/// A backslash escape at `at`: its text and the offset after it. In a raw
/// string the backslash stays, but still keeps the next character from
/// closing the string.
fn escape(source: &str, at: usize, raw: bool) -> (String, usize) {
    let rest = &source[at + 1..];
    let Some(next) = rest.chars().next() else {
        return ("\\".to_owned(), at + 1);
    };
    let after = at + 1 + next.len_utf8();
    if raw {
        return (format!("\\{next}"), after);
    }
    let simple = match next {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '0' => Some('\0'),
        '\\' | '\'' | '"' => Some(next),
        '\n' => return (String::new(), after),
        _ => None,
    };
    if let Some(c) = simple {
        return (c.to_string(), after);
    }
    let digits = match next {
        'x' => 2,
        'u' => 4,
        'U' => 8,
        _ => 0,
    };
    if digits > 0
        && let Some(hex) = rest.get(1..1 + digits)
        && let Ok(code) = u32::from_str_radix(hex, 16)
        && let Some(c) = char::from_u32(code)
    {
        return (c.to_string(), after + digits);
    }
    (format!("\\{next}"), after)
}

/// The expression of an f-string replacement field that starts at `from`
/// (just after its `{`), and the offset after its closing `}`. Brackets
/// and strings nest; the expression ends at the first `!` conversion, `:`
/// format spec or `=` self-documenting marker at the top level.
fn replacement_field(source: &str, from: usize) -> (String, usize) {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = from;
    let mut expr_end = None;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b'}' if depth == 0 => {
                let expr = &source[from..expr_end.unwrap_or(i)];
                return (expr.trim().to_owned(), i + 1);
            }
            b'}' => depth -= 1,
            b'\'' | b'"' => {
                let (_, end) = string(source, i, i, false, false);
                i = end;
                continue;
            }
            b'!' if depth == 0 && bytes.get(i + 1) != Some(&b'=') && expr_end.is_none() => {
                expr_end = Some(i);
            }
            b':' if depth == 0 && expr_end.is_none() => expr_end = Some(i),
            b'=' if depth == 0
                && expr_end.is_none()
                && !matches!(bytes.get(i + 1), Some(b'='))
                && !matches!(
                    bytes.get(i.wrapping_sub(1)),
                    Some(b'=' | b'!' | b'<' | b'>')
                ) =>
            {
                expr_end = Some(i);
            }
            _ => {}
        }
        i += 1;
    }
    (source[from..].trim().to_owned(), bytes.len())
}

/// A plain string as a format: formatted right after it, `.format(...)`
/// makes its `{}` fields holes and `% ...` its `%s` conversions, with the
/// call's arguments. A string with such fields and no call is a format
/// kept for later (`CACHE_KEY = "incident:triggers:%s"`, used as
/// `CACHE_KEY % id`): its fields are holes too. Only catalogue patterns
/// are ever matched, so this cannot make a finding of a string that is
/// no key.
fn formatted(source: &str, literal: Literal, end: usize) -> Literal {
    let bytes = source.as_bytes();
    let next = skip_space(bytes, end);
    let text: String = literal
        .pieces
        .iter()
        .map(|p| match p {
            LiteralPiece::Text(t) => t.as_str(),
            LiteralPiece::Hole(_) => "",
        })
        .collect();
    if source[next..].starts_with(".format(") {
        let Some(pieces) = brace_fields(&text) else {
            return literal;
        };
        let args = args_after(source, next + ".format(".len());
        return Literal {
            pieces,
            args,
            ..literal
        };
    }
    if bytes.get(next) == Some(&b'%') && bytes.get(next + 1) != Some(&b'=') {
        let Some(pieces) = percent_fields(&text) else {
            return literal;
        };
        let after = skip_space(bytes, next + 1);
        let args = if bytes.get(after) == Some(&b'(') {
            args_after(source, after + 1)
        } else {
            Vec::new()
        };
        return Literal {
            pieces,
            args,
            ..literal
        };
    }
    match percent_fields(&text).or_else(|| brace_fields(&text)) {
        Some(pieces) => Literal { pieces, ..literal },
        None => literal,
    }
}

/// `str.format` fields: `{{`/`}}` are braces, `{...}` a hole. `None` when
/// there is no field or the text is no valid format string.
fn brace_fields(text: &str) -> Option<Vec<LiteralPiece>> {
    let template = crate::lint::template::Template::parse_format(text)?;
    if template.holes() == 0 {
        return None;
    }
    Some(
        template
            .pieces
            .into_iter()
            .map(|p| match p {
                crate::lint::template::Piece::Literal(t) => LiteralPiece::Text(t),
                crate::lint::template::Piece::Hole(h) => LiteralPiece::Hole(h.name),
            })
            .collect(),
    )
}

/// printf-style conversions: `%%` is a percent sign; `%s`, `%d`, `%(name)s`,
/// `%-5.2f` are holes. `None` when there is none.
fn percent_fields(text: &str) -> Option<Vec<LiteralPiece>> {
    const CONVERSIONS: &[u8] = b"diouxXeEfFgGcrsa";
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    let mut last = 0;
    let mut holes = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        literal.push_str(&text[last..i]);
        if bytes.get(i + 1) == Some(&b'%') {
            literal.push('%');
            i += 2;
            last = i;
            continue;
        }
        let mut j = i + 1;
        let mut name = String::new();
        if bytes.get(j) == Some(&b'(') {
            let close = text[j..].find(')')? + j;
            name = text[j + 1..close].to_owned();
            j = close + 1;
        }
        while j < bytes.len() && b"#0-+*.0123456789hlL".contains(&bytes[j]) {
            j += 1;
        }
        if !bytes.get(j).is_some_and(|c| CONVERSIONS.contains(c)) {
            return None;
        }
        if !literal.is_empty() {
            pieces.push(LiteralPiece::Text(std::mem::take(&mut literal)));
        }
        pieces.push(LiteralPiece::Hole(name));
        holes += 1;
        i = j + 1;
        last = i;
    }
    literal.push_str(&text[last..]);
    if !literal.is_empty() {
        pieces.push(LiteralPiece::Text(literal));
    }
    (holes > 0).then_some(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(source: &str) -> Vec<String> {
        scan(source).literals.iter().map(Literal::shown).collect()
    }

    #[test]
    fn plain_prefixed_and_triple_strings() {
        assert_eq!(
            shown(
                r#"a = 'x:1'; b = "y"; c = r'\d:'; d = b"k:"; e = """m
l"""; f = '''q'''"#
            ),
            ["x:1", "y", "\\d:", "k:", "m\nl", "q"]
        );
    }

    #[test]
    fn f_strings_have_holes() {
        assert_eq!(
            shown(r#"k = f"user:{user.id}:{ {'a': 1}['a'] }:{x!r}:{y:>5}:{{lit}}:{z=}""#),
            ["user:{user.id}:{{'a': 1}['a']}:{x}:{y}:{lit}:{z}"]
        );
    }

    #[test]
    fn format_and_percent_make_holes() {
        let scanned = scan(r#"a = "user:{}:p".format(uid, 2); b = "s:%s:%(n)d%%" % (x, y)"#);
        let shown: Vec<_> = scanned.literals.iter().map(Literal::shown).collect();
        assert_eq!(shown, ["user:{}:p", "s:{}:{n}%"]);
        assert_eq!(scanned.literals[0].args, ["uid", "2"]);
        assert_eq!(scanned.literals[1].args, ["x", "y"]);
    }

    #[test]
    fn a_format_kept_for_later_has_holes() {
        assert_eq!(
            shown(r#"A = "incident:triggers:%s"; B = "user:{}:{name}"; C = "100% sure""#),
            ["incident:triggers:{}", "user:{}:{name}", "100% sure"]
        );
    }

    #[test]
    fn comments_and_strings_do_not_mix() {
        let scanned = scan("s = '# not a comment' # a 'comment'\nt = \"x\"\n");
        assert_eq!(scanned.comments.len(), 1);
        let shown: Vec<_> = scanned.literals.iter().map(Literal::shown).collect();
        assert_eq!(shown, ["# not a comment", "x"]);
    }

    #[test]
    fn unterminated_string_ends_at_its_line() {
        assert_eq!(shown("a = 'open\nb = 'k:1'\n"), ["open", "k:1"]);
    }

    #[test]
    fn identifiers_are_no_prefixes() {
        assert_eq!(shown("print('a'); xf'b'"), ["a", "b"]);
    }
}
