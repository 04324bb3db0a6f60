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

use super::items::{skip_blank, string_end};
use super::template::{Shape, Template, is_spaced, shape};

/// Name fragments and calls after which a key-like literal makes a file a
/// candidate. `ache` and `edis` stand for cache, Cache, memcache, redis
/// and Redis: fewer, rarer patterns keep the SIMD search fast.
const NAMES: &[&str] = &[
    "key", "Key", "KEY", "ache", "ACHE", "edis", "EDIS", "cmd(", "push_str",
];

/// How far after a trigger the literal may start.
const WINDOW: usize = 160;

/// How far after a spaced format string bound to a local a cache call is
/// looked for (its binding may reach the cache a few lines later).
const LOOKAHEAD: usize = 512;

/// How far a `concat!` is followed before it is left to the parser.
const CONCAT_WINDOW: usize = 4096;

/// What the prefilter makes of a trigger it keeps.
enum Keep {
    /// Parse the code around it.
    Parse,
    /// A string whose text alone could make a rule report it (see
    /// [`Candidate::template`]).
    Text(Template),
}

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
    /// `format!` and `format_args!` (0), `write!` and `writeln!` (1): the
    /// format string follows this many arguments.
    Format(usize),
    Concat,
    PushStr,
    /// `cmd(`: a redis command, whose arguments are keys.
    Command,
    /// A name that could hold a key or a cache.
    Name,
}

pub struct Prefilter {
    names: AhoCorasick,
    /// The catalogue's formats (see [`super::catalogue_formats`]): a
    /// string with one of these is kept whatever its shape (CK001).
    formats: std::collections::HashSet<String>,
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
            formats: Default::default(),
            cache_calls,
            separators,
            separator_chars: separators_in.to_vec(),
        }
    }

    /// Keeps strings whose normalised template is one of `formats`, the
    /// catalogue's (see [`super::catalogue_formats`]), whatever their shape.
    pub fn with_formats(mut self, formats: impl IntoIterator<Item = String>) -> Prefilter {
        self.formats = formats.into_iter().collect();
        self
    }

    /// Whether the file needs parsing.
    pub fn is_candidate(&self, source: &[u8]) -> bool {
        !self.candidates(source).is_empty()
    }

    /// Where the candidates are, in order of their triggers.
    pub fn candidates(&self, source: &[u8]) -> Vec<Candidate> {
        let candidate = |at: usize, keep: Keep| Candidate {
            at,
            template: match keep {
                Keep::Parse => None,
                Keep::Text(template) => Some(template),
            },
        };
        let mut out: Vec<Candidate> = memchr::memchr_iter(b'!', source)
            .filter_map(|bang| {
                let (start, trigger) = macro_before(source, bang)?;
                self.judge(source, trigger, start, bang + 1)
                    .map(|keep| candidate(start, keep))
            })
            .collect();
        out.extend(self.names.find_iter(source).filter_map(|m| {
            let trigger = match NAMES[m.pattern().as_usize()] {
                "cmd(" => Trigger::Command,
                "push_str" => Trigger::PushStr,
                _ => Trigger::Name,
            };
            self.judge(source, trigger, m.start(), m.end())
                .map(|keep| candidate(m.start(), keep))
        }));
        out.sort_by_key(|c| c.at);
        out.dedup_by_key(|c| c.at);
        out
    }

    /// Whether the trigger at `start..end` is followed, within its
    /// statement, by a literal that could be a key (`None`: drop it).
    fn judge(&self, source: &[u8], trigger: Trigger, start: usize, end: usize) -> Option<Keep> {
        // `key` and `cache` count only as part of a name that could hold a
        // key (`user_key`, `cache`), not `keyboard`, `api_key` or text
        // inside a string, and only where the name takes a value or a call
        // (`key = `, `key: `, `cache.get(`, `fn user_key(`), not where it is
        // passed along. Tested first: most matches fail it, cheaply.
        if trigger == Trigger::Name && !self.names_a_key_or_cache(source, start, end) {
            return None;
        }
        let after = statement_after(&source[end..(end + WINDOW).min(source.len())]);
        let mut found = literals(after);
        match trigger {
            Trigger::Format(skip) => {
                let statement = statement_before(source, start);
                let following = &source[end..(end + LOOKAHEAD).min(source.len())];
                self.judge_format(format_argument(after, skip)?, statement, following)
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
                        let Some(close) = string_end(&arg[1..]) else {
                            return Some(Keep::Parse);
                        };
                        let Some(text) = literal_value(&arg[1..1 + close]) else {
                            return Some(Keep::Parse);
                        };
                        let template = Template::literal(&text);
                        (self.looks_like_key(text.as_bytes())
                            || self.is_catalogue_format(&template))
                        .then_some(Keep::Text(template))
                    }
                    // A raw string is left to the parser.
                    b'r' => Some(Keep::Parse),
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
                    .then_some(Keep::Parse)
            }
            // A hole counts too: spaced text bound to a key can still reach
            // a cache through the binding (CK006).
            Trigger::Name => found
                .any(|lit| self.looks_like_key(lit) || lit.contains(&b'{'))
                .then_some(Keep::Parse),
        }
    }

    /// Whether the identifier around `start..end` names a key or a cache,
    /// in a place where it could hold a key or reach a cache.
    fn names_a_key_or_cache(&self, source: &[u8], start: usize, end: usize) -> bool {
        let s = ident_start(source, start);
        let e = end
            + source[end..]
                .iter()
                .take_while(|b| is_ascii_ident(b))
                .count();
        if (s > 0 && source[s - 1] == b'"') || source.get(e) == Some(&b'"') {
            return false;
        }
        let next = super::items::next_token(source, e);
        // A CamelCase name is a type: only a path through it (`Redis::`)
        // can reach a cache.
        let is_type =
            source[s].is_ascii_uppercase() && source[s..e].iter().any(u8::is_ascii_lowercase);
        // Where the name is decides what it must be to count. Checked
        // before the name itself: most matches fail here, cheaply.
        enum Place {
            /// `let key = `, `key: `, `const KEY: `, `Foo { key: `,
            /// `key @ ..`, or a key function, `fn user_key(`: a key or
            /// cache name.
            Value,
            /// `cache.get(`, `(&cache).get(`, `cache?.get(`, `caches[i].get(`,
            /// `redis::cmd(`: a cache name, with a cache call after it.
            Receiver,
            /// `cache_get(`, a cache function, or `self.cache().get(`.
            Call,
        }
        let place = match next {
            [b'=', b'=' | b'>', ..] => return false,
            [b':', b':', _, ..] => Place::Receiver,
            [b'=' | b':' | b'@', ..] if !is_type => Place::Value,
            [b'(' | b'<', ..] if super::items::is_fn_name(source, s) => Place::Value,
            [b'(', ..] if !is_type => Place::Call,
            [b'.' | b')' | b'?' | b'[', ..] if !is_type => Place::Receiver,
            _ => return false,
        };
        let Ok(name) = std::str::from_utf8(&source[s..e]) else {
            return false;
        };
        let cache = super::extract::names_a_cache(name);
        let calls_cache = || {
            cache && calls_cache_method(statement_after(&source[e..(e + WINDOW).min(source.len())]))
        };
        match place {
            Place::Value => cache || super::extract::is_key_name(name),
            Place::Receiver => calls_cache(),
            Place::Call => super::extract::is_cache_function(name) || calls_cache(),
        }
    }

    /// A format string (`arg` starts at its opening quote, or the `r` of a
    /// raw string) the rules could report: key-shaped or the catalogue's
    /// (text alone), or spaced and passed straight to a cache
    /// (`mc.get(&format!(`, `conn.del(format!(`). A cache name after it
    /// makes the file a candidate on its own.
    fn judge_format(&self, arg: &[u8], statement: &[u8], following: &[u8]) -> Option<Keep> {
        let body = match arg.strip_prefix(b"\"") {
            Some(body) => body,
            // A raw string is left to the parser.
            None => return Some(Keep::Parse),
        };
        // Cheap tests first: most format strings are prose for a log or an
        // error, which only a cache call makes a key: in the same statement,
        // or in the next lines when the string is bound to a local.
        let reaches_cache = || {
            self.cache_calls.is_match(statement)
                || (is_let_binding(statement) && self.cache_calls.is_match(following))
        };
        let Some(close) = string_end(body) else {
            // Longer than the window: left to the parser unless what is
            // seen of it is already prose.
            let seen = String::from_utf8_lossy(body);
            let prose = is_spaced(&seen) && self.formats.is_empty() && !reaches_cache();
            return (!prose).then_some(Keep::Parse);
        };
        let Some(text) = literal_value(&body[..close]) else {
            return Some(Keep::Parse);
        };
        if self.formats.is_empty()
            && !(self.separator_next_to_word(text.as_bytes())
                || (is_spaced(&text) && reaches_cache()))
        {
            return None;
        }
        let template = Template::parse_format(&text)?;
        if self.is_catalogue_format(&template) {
            return Some(Keep::Text(template));
        }
        match shape(&template, &self.separator_chars) {
            Shape::Key => Some(Keep::Text(template)),
            Shape::Spaced => reaches_cache().then_some(Keep::Parse),
            Shape::NotKey => None,
        }
    }

    fn is_catalogue_format(&self, template: &Template) -> bool {
        !self.formats.is_empty() && self.formats.contains(&template.normalized())
    }

    /// Whether `concat!(...)` (`args` starts after the `!`) makes a string
    /// the rules could report: only literals, joined into key-shaped or
    /// spaced text, or the catalogue's. Anything this does not follow is
    /// left to the parser.
    fn judge_concat(&self, args: &[u8]) -> Option<Keep> {
        // The window may end inside a character: keep what is whole.
        let args = match std::str::from_utf8(args) {
            Ok(args) => args,
            Err(e) => std::str::from_utf8(&args[..e.valid_up_to()]).unwrap_or_default(),
        };
        // Comments between the arguments are skipped (spaces are ASCII).
        fn blank(rest: &str) -> &str {
            &rest[rest.len() - skip_blank(rest.as_bytes()).len()..]
        }
        let Some(mut rest) = blank(args).strip_prefix(['(', '[', '{']) else {
            return Some(Keep::Parse);
        };
        let mut text = String::new();
        loop {
            rest = blank(rest);
            if let Some(body) = rest.strip_prefix('"') {
                let Some(end) = string_end(body.as_bytes()) else {
                    return Some(Keep::Parse);
                };
                let Some(value) = unescape(&body[..end]) else {
                    return Some(Keep::Parse);
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
                    Some(b'\'' | b'r' | b'b') => return Some(Keep::Parse),
                    // A macro, a constant, `$x`: not a literal, so no site.
                    Some(_) => return None,
                    None => {}
                }
                text.push_str(token);
                rest = &rest[end..];
            }
            rest = blank(rest);
            match rest.as_bytes().first() {
                Some(b',') => rest = &rest[1..],
                Some(b')' | b']' | b'}') => break,
                _ => return Some(Keep::Parse),
            }
            if blank(rest).starts_with([')', ']', '}']) {
                break;
            }
        }
        let template = Template::literal(&text);
        if self.is_catalogue_format(&template) {
            return Some(Keep::Text(template));
        }
        if !(self.separator_next_to_word(text.as_bytes()) || is_spaced(&text)) {
            return None;
        }
        (shape(&template, &self.separator_chars) != Shape::NotKey).then_some(Keep::Text(template))
    }

    /// Whether some separator is not ASCII (`·`): byte tests cannot see
    /// those, so they leave such strings to the full test.
    fn has_wide_separators(&self) -> bool {
        self.separators.len() < self.separator_chars.len()
    }

    /// A separator next to a letter, digit or brace: what a key shape
    /// needs at least (a namespace word or a `{}` hole beside a separator).
    fn separator_next_to_word(&self, text: &[u8]) -> bool {
        self.has_wide_separators()
            || text.iter().enumerate().any(|(i, b)| {
                self.separators.contains(b)
                    && (word(i.checked_sub(1).and_then(|j| text.get(j))) || word(text.get(i + 1)))
            })
    }

    /// A separator next to a word character or brace and not next to a
    /// space (`user:`, `:{`, `a_b`, but not `error: {}`). Rust paths (`::`)
    /// do not count.
    fn looks_like_key(&self, literal: &[u8]) -> bool {
        let blank =
            |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_whitespace() || b == b':' || b == b'\\');
        if self.has_wide_separators() && !literal.is_ascii() {
            return true;
        }
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

/// A byte of an ASCII identifier. The names and macros the prefilter
/// looks for are ASCII; a non-ASCII byte ends them.
fn is_ascii_ident(b: &u8) -> bool {
    b.is_ascii_alphanumeric() || *b == b'_'
}

/// Where the ASCII identifier that ends at `end` starts.
fn ident_start(source: &[u8], end: usize) -> usize {
    end - source[..end]
        .iter()
        .rev()
        .take_while(|b| is_ascii_ident(b))
        .count()
}

/// A letter, digit or brace: what stands beside a key's separator.
fn word(b: Option<&u8>) -> bool {
    b.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'{' || b == b'}')
}

/// The format macro or `concat!` whose `!` is at `bang`: where its name
/// starts, and which it is.
fn macro_before(source: &[u8], bang: usize) -> Option<(usize, Trigger)> {
    // `format!(`, and the rarer `format! (` and `format !(`.
    let opens = super::items::next_token(source, bang + 1);
    if !matches!(opens.first(), Some(b'(' | b'[' | b'{')) {
        return None;
    }
    let name_end = source[..bang].trim_ascii_end().len();
    let start = ident_start(source, name_end);
    let trigger = match &source[start..name_end] {
        b"format" | b"format_args" => Trigger::Format(0),
        b"write" | b"writeln" => Trigger::Format(1),
        b"concat" => Trigger::Concat,
        _ => return None,
    };
    Some((start, trigger))
}

/// Where a format macro's string starts in `args` (from just after the
/// `!`): after `skip` arguments (`write!`'s writer). `None` when that
/// argument is not a string literal (no site); `Some` of the rest of
/// `args` from the literal's quote (or raw `r`). When the arguments cannot
/// be followed within the window, the empty slice, which
/// [`Prefilter::judge_format`] leaves to the parser.
fn format_argument(args: &[u8], skip: usize) -> Option<&[u8]> {
    let rest = skip_blank(args);
    let rest = rest
        .strip_prefix(b"(")
        .or_else(|| rest.strip_prefix(b"["))
        .or_else(|| rest.strip_prefix(b"{"))?;
    let mut depth = 0usize;
    let mut commas = 0;
    let mut i = 0;
    while commas < skip {
        match rest.get(i) {
            None => return Some(&[]),
            Some(b'"') => match string_end(&rest[i + 1..]) {
                Some(close) => i += close + 2,
                None => return Some(&[]),
            },
            // A char, lifetime or comment in the writer: not followed here.
            Some(b'\'' | b'/') => return Some(&[]),
            Some(b'(' | b'[' | b'{') => {
                depth += 1;
                i += 1;
            }
            Some(b')' | b']' | b'}') => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            Some(b',') if depth == 0 => {
                commas += 1;
                i += 1;
            }
            Some(_) => i += 1,
        }
    }
    let arg = skip_blank(&rest[i..]);
    match arg.first() {
        None | Some(b'/') => Some(&[]),
        Some(b'"' | b'r') => Some(arg),
        Some(_) => None,
    }
}

/// The value of a plain string literal's body (escapes decoded); `None`
/// when not UTF-8 or an escape is unknown.
fn literal_value(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    if text.contains('\\') {
        unescape(text)
    } else {
        Some(text.to_owned())
    }
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

/// Whether a statement so far binds a local: `let k = `, `let mut k: T =`.
fn is_let_binding(statement: &[u8]) -> bool {
    let statement = statement.trim_ascii();
    statement.starts_with(b"let") && statement.ends_with(b"=")
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
    fn receivers_and_writers() {
        let p = Prefilter::new(DEFAULT_SEPARATORS);
        for source in [
            br#"self.cache().get("users:all");"#.as_slice(),
            br#"self.redis_pool().del("users:all");"#,
            br#"self.caches[i].get("users:all");"#,
            br#"format! ("user:{}", id)"#,
            br#"format !("user:{}", id)"#,
        ] {
            assert!(
                p.is_candidate(source),
                "{}",
                String::from_utf8_lossy(source)
            );
        }
        // The format string of `write!` comes after the writer.
        let found =
            p.candidates(br#"write!(out.lock().expect("poisoned, see a:b"), "user:{}", name)"#);
        assert_eq!(found[0].template, Template::parse_format("user:{}"));
        assert!(!p.is_candidate(br#"write!(f, "{}: {}", a, b)"#));
    }

    #[test]
    fn comments_in_macro_arguments() {
        let p = Prefilter::new(DEFAULT_SEPARATORS);
        let template = |source: &[u8]| p.candidates(source).first().map(|c| c.template.clone());
        let user = Some(Template::parse_format("user:{}"));
        assert_eq!(
            template(b"format!(\n // namespace\n \"user:{}\", id)"),
            user
        );
        assert_eq!(template(br#"format!(/* user */ "user:{}", id)"#), user);
        assert_eq!(
            template(
                br#"write!( // out, then "x"
            out, "user:{}", id)"#
            ),
            Some(None)
        );
        assert_eq!(
            template(br#"concat!(/* c */ "users:", "all")"#),
            Some(Some(Template::literal("users:all")))
        );
        assert!(p.is_candidate(br#"let user_key @ _ = "users:all";"#));
        // Spaced text reaching a cache through a local a line later.
        assert!(p.is_candidate(b"let k = format!(\"user {}\", id);\n    self.cache.get(&k);"));
        assert!(!p.is_candidate(b"let k = format!(\"user {}\", id);\n    log(&k);"));
    }

    #[test]
    fn wide_separators_and_catalogue_formats() {
        let dot = Prefilter::new(&['·']);
        assert!(dot.is_candidate("let user_key = \"users·all\";".as_bytes()));
        assert!(dot.is_candidate("self.cache.get(\"users·all\")".as_bytes()));
        // `{}:{}` is no key shape, but a catalogue key written that way is.
        let plain = Prefilter::new(DEFAULT_SEPARATORS);
        let source = br#"let k = format!("{}:{}", tenant, id);"#;
        assert!(!plain.is_candidate(source));
        let with = Prefilter::new(DEFAULT_SEPARATORS).with_formats(["{}:{}".to_owned()]);
        assert_eq!(
            with.candidates(source)[0].template,
            Template::parse_format("{}:{}")
        );
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
