//! Key templates: a format string as literal text and holes, and the
//! judgement "does this look like a cache key?".
//!
//! Precision matters more than recall: a lint that cries wolf gets switched
//! off. So shape alone never makes a finding; it only says whether a string
//! *could* be a key. Addresses, URLs, paths, Rust paths, time formats and
//! prose are ruled out here, before any rule looks at them.

/// One piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Literal(String),
    /// A `{...}` hole: the argument name or index when written, e.g. `id`.
    Hole(HoleSpec),
}

/// What a hole says about its argument.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HoleSpec {
    /// `id` in `{id}` or `{id:?}`; `0` in `{0}`; empty for `{}`.
    pub name: String,
    /// The format spec after `:`, e.g. `02` or `?`.
    pub spec: String,
}

/// A format string, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub pieces: Vec<Piece>,
}

impl Template {
    /// Parses a `format!` string: `{{`/`}}` are literal braces, `{...}` a
    /// hole. Returns `None` for a malformed string (rustc rejects those).
    pub fn parse_format(text: &str) -> Option<Template> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let mut inner = String::new();
                    loop {
                        match chars.next()? {
                            '}' => break,
                            c => inner.push(c),
                        }
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    let (name, spec) = inner.split_once(':').unwrap_or((&inner, ""));
                    pieces.push(Piece::Hole(HoleSpec {
                        name: name.trim().to_owned(),
                        spec: spec.to_owned(),
                    }));
                }
                '}' => return None,
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        Some(Template { pieces })
    }

    /// A plain string: one literal.
    pub fn literal(text: &str) -> Template {
        Template {
            pieces: if text.is_empty() {
                Vec::new()
            } else {
                vec![Piece::Literal(text.to_owned())]
            },
        }
    }

    pub fn holes(&self) -> usize {
        self.pieces
            .iter()
            .filter(|p| matches!(p, Piece::Hole(_)))
            .count()
    }

    /// The literal text with every hole as `{}`: `{}`, `{id}` and `{0}` are
    /// the same hole, so equal keys written differently compare equal.
    pub fn normalized(&self) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(&text.replace('{', "{{").replace('}', "}}")),
                Piece::Hole(_) => out.push_str("{}"),
            }
        }
        out
    }

    /// All literal text, holes left out.
    pub fn literal_text(&self) -> String {
        self.pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Literal(t) => Some(t.as_str()),
                Piece::Hole(_) => None,
            })
            .collect()
    }

    /// The literal text before the first hole.
    pub fn lead(&self) -> &str {
        match self.pieces.first() {
            Some(Piece::Literal(t)) => t,
            _ => "",
        }
    }
}

/// The separator-like characters of hand-written keys, unless the catalogue
/// says otherwise (`lint: separators:`).
pub const DEFAULT_SEPARATORS: &[char] = &[':', '_', '/', '.', '|', '-', '#'];

/// Why a template is or is not key-like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A separator next to a namespace word or a hole, and nothing that
    /// says it is something else.
    Key,
    /// Contains whitespace or `=`: prose, a log line, SQL, `key=value`. A
    /// key only when it visibly reaches a cache (and then whitespace is a
    /// CK006 finding).
    Spaced,
    /// Not a key: an address, URL, path, time format, Rust path, or
    /// nothing key-like at all.
    NotKey,
}

/// Words that name a host or port: `localhost:{}` is an address, not a key.
const ADDRESS_WORDS: &[&str] = &["localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1"];

/// Argument names that make a hole part of an address or a path.
const ADDRESS_HOLES: &[&str] = &[
    "host", "port", "addr", "ip", "url", "uri", "endpoint", "domain", "path", "dir", "file", "base",
];

/// File extensions: `{}.json` is a file name.
const EXTENSIONS: &[&str] = &[
    "rs", "toml", "json", "yaml", "yml", "txt", "md", "html", "css", "js", "png", "jpg", "jpeg",
    "gif", "svg", "csv", "log", "lock", "pem", "key", "crt", "tar", "gz", "zip", "xml", "sql",
    "so", "dll", "exe", "wasm", "o", "a", "bin", "db", "sqlite", "proto", "py", "sh", "tmp",
];

/// Classifies a template's shape. `separators` are the characters that
/// count as key separators.
pub fn shape(template: &Template, separators: &[char]) -> Shape {
    let text = template.literal_text();
    let normalized = template.normalized();
    if text.is_empty() {
        return Shape::NotKey;
    }
    // Rust paths, URLs, absolute paths, strftime formats, addresses.
    if template
        .pieces
        .iter()
        .any(|p| matches!(p, Piece::Literal(t) if t.contains("::")))
        || normalized.contains("://")
        || normalized.starts_with('/')
        || normalized.starts_with("./")
        || normalized.starts_with("../")
        || text.starts_with("http")
        // Build-script directives.
        || text.starts_with("cargo:")
        // SCREAMING_CASE: environment variables and constant names.
        || text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        || text.starts_with("www.")
        || has_strftime(&text)
        || is_address(template)
        || is_file_name(template)
    {
        return Shape::NotKey;
    }
    if is_spaced(&text) {
        return Shape::Spaced;
    }
    let key_like = separator_next_to_word_or_hole(template, separators);
    if key_like { Shape::Key } else { Shape::NotKey }
}

/// Prose, log lines, SQL, `key=value` pairs and query strings: text with
/// whitespace, a control character or `=`.
pub fn is_spaced(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '=')
}

/// A separator with a namespace word (two or more ASCII letters) on one
/// side, and a word or a hole on the other: `user:`, `:{}`, `logo_{}`.
fn separator_next_to_word_or_hole(template: &Template, separators: &[char]) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Side {
        Word,
        Hole,
        Other,
    }
    // Flatten to tokens: each literal char, with holes as a marker.
    let mut tokens: Vec<Option<char>> = Vec::new();
    for piece in &template.pieces {
        match piece {
            Piece::Literal(text) => tokens.extend(text.chars().map(Some)),
            Piece::Hole(_) => tokens.push(None),
        }
    }
    let word_len = |range: &mut dyn Iterator<Item = &Option<char>>| {
        range
            .take_while(|t| t.is_some_and(|c| c.is_ascii_alphabetic()))
            .count()
    };
    let side = |before: bool, i: usize| -> Side {
        let neighbour = if before {
            i.checked_sub(1).and_then(|j| tokens.get(j))
        } else {
            tokens.get(i + 1)
        };
        match neighbour {
            Some(None) => Side::Hole,
            Some(Some(c)) if c.is_ascii_alphabetic() => {
                let len = if before {
                    word_len(&mut tokens[..i].iter().rev())
                } else {
                    word_len(&mut tokens[i + 1..].iter())
                };
                if len >= 2 { Side::Word } else { Side::Other }
            }
            _ => Side::Other,
        }
    };
    tokens.iter().enumerate().any(|(i, t)| match t {
        Some(c) if separators.contains(c) => {
            let (before, after) = (side(true, i), side(false, i));
            (before == Side::Word && after != Side::Other)
                || (after == Side::Word && before != Side::Other)
        }
        _ => false,
    })
}

/// `%Y-%m-%d`, `%H:%M:%S`.
fn has_strftime(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .windows(2)
        .any(|w| w[0] == b'%' && b"YmdHMSyjbBaAeIpfzZTDFR".contains(&w[1]))
}

/// `localhost:{}`, `{}:{port}`, `{host}:{}`, `cache-{}.internal:11211`.
fn is_address(template: &Template) -> bool {
    let normalized = template.normalized();
    if ADDRESS_WORDS.iter().any(|w| normalized.contains(w)) {
        return true;
    }
    // A `:` followed by a port number ending the text.
    let port = template.pieces.iter().any(|piece| match piece {
        Piece::Literal(text) => text.rsplit_once(':').is_some_and(|(_, port)| {
            !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
        }),
        Piece::Hole(_) => false,
    });
    if port && matches!(template.pieces.last(), Some(Piece::Literal(_))) {
        return true;
    }
    template.pieces.iter().any(|piece| match piece {
        Piece::Hole(h) => {
            let name = h.name.to_ascii_lowercase();
            ADDRESS_HOLES
                .iter()
                .any(|w| name == *w || name.ends_with(&format!("_{w}")))
        }
        Piece::Literal(_) => false,
    })
}

/// `{}.json`, `report-{}.csv`.
fn is_file_name(template: &Template) -> bool {
    let normalized = template.normalized();
    normalized
        .rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(format: &str) -> Shape {
        shape(&Template::parse_format(format).unwrap(), DEFAULT_SEPARATORS)
    }

    #[test]
    fn keys() {
        for key in [
            "user:{}:profile",
            "user:{id}",
            "client_{}",
            "client_logo_{}",
            "sessions/{}",
            "feed|{}|{}",
            "v2:user:{}",
            "users:all",
        ] {
            assert_eq!(shape_of(key), Shape::Key, "{key}");
        }
    }

    #[test]
    fn not_keys() {
        for text in [
            "{}:{}",
            "localhost:{}",
            "{host}:{port}",
            "{}:{port}",
            "127.0.0.1:{}",
            "https://example.com/{}",
            "/api/v1/users/{}",
            "{}::{}",
            "std::io::{}",
            "%Y-%m-%d",
            "{:02}:{:02}:{:02}",
            "{}.json",
            "report-{}.csv",
            "v{}.{}.{}",
            "{}",
            "",
            "{}-{}",
            "cache-{}.internal:11211",
            "cargo:rustc-link-lib={}",
            "CARGO_FEATURE_{}",
            "{base}/users/{}",
        ] {
            assert_eq!(shape_of(text), Shape::NotKey, "{text}");
        }
    }

    #[test]
    fn prose_is_spaced() {
        assert_eq!(shape_of("failed to read user:{}"), Shape::Spaced);
        assert_eq!(shape_of("error: {}"), Shape::Spaced);
        assert_eq!(shape_of("SELECT * FROM users WHERE id = {}"), Shape::Spaced);
        assert_eq!(shape_of("a={}&b={}"), Shape::Spaced);
    }

    #[test]
    fn normalisation() {
        let a = Template::parse_format("user:{}:profile").unwrap();
        let b = Template::parse_format("user:{id}:profile").unwrap();
        let c = Template::parse_format("user:{0:?}:profile").unwrap();
        assert_eq!(a.normalized(), b.normalized());
        assert_eq!(a.normalized(), c.normalized());
        assert_eq!(
            Template::parse_format("{{x}}:{}").unwrap().normalized(),
            "{{x}}:{}"
        );
        assert_eq!(Template::parse_format("a}b"), None);
        assert_eq!(a.lead(), "user:");
    }
}
