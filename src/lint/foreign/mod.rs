//! The other side of a shared cache: catalogue keys written by hand in
//! Python and TypeScript (CK001).
//!
//! A Rust service and the Python or TypeScript app beside it read and
//! write the same Redis or memcached, so a catalogue key is often rebuilt
//! by hand on the other side: `f"profiles:profile:{user_id}"`, or
//! `` `profiles:profile:${userId}` ``. When a catalogue is given, lint also
//! reads the `.py` and `.ts`/`.js` files under the linted paths and reports
//! every string literal, f-string, `str.format`/`%` string and template
//! literal whose text is a catalogue pattern, naming the function of the
//! generated module for that language (`cachekeys gen --lang python`).
//!
//! Only CK001: with no parse of those languages there is no flow, so
//! whether some other string is a key is not known, and nothing else is
//! claimed. The lexers ([`python`], [`typescript`]) find string literals
//! and comments only; suppression comments work as in Rust
//! (`# cachekeys: ignore[CK001] reason`).

pub mod python;
pub mod typescript;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::WalkState;

use super::suppress::Suppressions;
use super::template::{HoleSpec, Piece, Template};
use crate::catalogue::Catalogue;
use crate::diagnostic::{Diagnostic, LineIndex, Location};

/// A language lint reads for hand-written catalogue keys, besides Rust.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    Python,
    /// TypeScript and JavaScript, which share their literals.
    TypeScript,
}

impl Language {
    /// The language of a file, by its extension.
    pub fn of(path: &Path) -> Option<Language> {
        let extension = path.extension()?.to_str()?;
        match extension {
            "py" | "pyi" => Some(Language::Python),
            "ts" | "tsx" | "mts" | "cts" | "js" | "jsx" | "mjs" | "cjs" => {
                Some(Language::TypeScript)
            }
            _ => None,
        }
    }

    /// Every string literal and comment of `source`.
    pub fn scan(self, source: &str) -> Scanned {
        match self {
            Language::Python => python::scan(source),
            Language::TypeScript => typescript::scan(source),
        }
    }

    /// What starts a line comment.
    pub fn comment_leader(self) -> &'static str {
        match self {
            Language::Python => "#",
            Language::TypeScript => "//",
        }
    }

    /// The generated function for `key` as this language's module is
    /// called: `keys.profiles_profile`, `keys.profilesProfile`.
    fn function(self, key: &crate::catalogue::KeyEntry) -> String {
        match self {
            Language::Python => format!("keys.{}", crate::lang::view::python_function(key)),
            Language::TypeScript => format!("keys.{}", crate::lang::view::typescript_function(key)),
        }
    }

    fn flag(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::TypeScript => "typescript",
        }
    }
}

/// One piece of a string literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiteralPiece {
    Text(String),
    /// A hole, with the expression that fills it as written (empty for a
    /// positional `{}` or `%s`).
    Hole(String),
}

/// A string literal of another language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal {
    /// From its prefix or opening quote to after its closing quote.
    pub span: Range<usize>,
    pub pieces: Vec<LiteralPiece>,
    /// The arguments of a `.format(...)` or `% (...)` right after it.
    pub args: Vec<String>,
}

impl Literal {
    /// Its text with each hole as `{expr}`: for tests.
    #[cfg(test)]
    pub fn shown(&self) -> String {
        self.pieces
            .iter()
            .map(|p| match p {
                LiteralPiece::Text(t) => t.clone(),
                LiteralPiece::Hole(e) => format!("{{{e}}}"),
            })
            .collect()
    }

    /// As a key template, compared with the catalogue's like a Rust site's.
    pub fn template(&self) -> Template {
        Template {
            pieces: self
                .pieces
                .iter()
                .map(|p| match p {
                    LiteralPiece::Text(t) => Piece::Literal(t.clone()),
                    LiteralPiece::Hole(_) => Piece::Hole(HoleSpec::default()),
                })
                .collect(),
        }
    }

    /// What fills each hole, in order: an f-string's or template's own
    /// expression; for `.format(...)` and `% (...)`, the argument the
    /// field names (by position, index or keyword); else nothing known.
    pub fn values(&self) -> Vec<String> {
        let mut positional = self.args.iter();
        self.pieces
            .iter()
            .filter_map(|p| match p {
                LiteralPiece::Hole(e) if self.args.is_empty() => Some(e.clone()),
                LiteralPiece::Hole(e) if e.is_empty() => {
                    Some(positional.next().cloned().unwrap_or_default())
                }
                LiteralPiece::Hole(e) => Some(match e.parse::<usize>() {
                    Ok(n) => self.args.get(n).cloned().unwrap_or_default(),
                    Err(_) => self
                        .args
                        .iter()
                        .find_map(|a| {
                            let (name, value) = a.split_once('=')?;
                            (name.trim() == e).then(|| value.trim().to_owned())
                        })
                        .unwrap_or_else(|| e.clone()),
                }),
                LiteralPiece::Text(_) => None,
            })
            .collect()
    }
}

/// What a lexer found in one file.
#[derive(Debug, Default)]
pub struct Scanned {
    pub literals: Vec<Literal>,
    /// Every comment, from its leader to its end.
    pub comments: Vec<Range<usize>>,
}

/// The offset of the first non-whitespace byte at or after `from`.
pub(crate) fn skip_space(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// The arguments of a call whose `(` is just before `from`, split at
/// top-level commas, as written. Brackets and quotes nest; stops at the
/// closing `)` or after 64 arguments.
pub(crate) fn args_after(source: &str, from: usize) -> Vec<String> {
    let bytes = source.as_bytes();
    let mut args = Vec::new();
    let mut depth = 0usize;
    let mut start = from;
    let mut i = from;
    let mut quote = None;
    while let Some(&b) = bytes.get(i) {
        if let Some(q) = quote {
            if b == b'\\' {
                i += 1;
            } else if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'\'' | b'"' | b'`' => quote = Some(b),
            b'(' | b'[' | b'{' => depth += 1,
            b')' if depth == 0 => {
                let last = source[start..i].trim();
                if !last.is_empty() {
                    args.push(last.to_owned());
                }
                return args;
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                args.push(source[start..i].trim().to_owned());
                start = i + 1;
                if args.len() >= 64 {
                    return args;
                }
            }
            _ => {}
        }
        i += 1;
    }
    args
}

/// What reading the other languages gave.
#[derive(Debug, Default)]
pub struct Found {
    /// CK001 findings, before suppressions.
    pub findings: Vec<Diagnostic>,
    /// Each file's suppression comments.
    pub suppressions: Vec<(PathBuf, Suppressions)>,
    /// Files that could not be read, as notes.
    pub notes: Vec<Diagnostic>,
    /// How many files were read.
    pub files: usize,
}

/// Reads every Python and TypeScript file under the linted paths (with the
/// walk's rules: `.gitignore`, `lint: exclude:`) and reports catalogue keys
/// written there by hand. `formats` are [`super::catalogue_formats`].
pub fn lint(
    options: &super::Options,
    exclude: &[String],
    catalogue: &Catalogue,
    formats: &HashMap<String, usize>,
) -> Found {
    let (builder, _) = super::walk::walker(options, exclude);
    let found = Mutex::new(Found::default());
    builder.build_parallel().run(|| {
        let found = &found;
        Box::new(move |entry| {
            // The Rust walk reports the entries that cannot be walked.
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            let Some(language) = Language::of(entry.path()).filter(|_| is_file) else {
                return WalkState::Continue;
            };
            let path = super::walk::tidy(entry.path());
            let result = match super::walk::read_source(&path) {
                Ok(source) if super::walk::is_generated(&source) => None,
                Ok(source) => Some(Ok(one_file(&path, &source, language, catalogue, formats))),
                Err(note) => Some(Err(note)),
            };
            if let Ok(mut found) = found.lock() {
                found.files += 1;
                match result {
                    Some(Ok((findings, suppressions))) => {
                        found.findings.extend(findings);
                        if !suppressions.entries.is_empty() || !suppressions.invalid.is_empty() {
                            found.suppressions.push((path, suppressions));
                        }
                    }
                    Some(Err(note)) => found.notes.push(*note),
                    None => {}
                }
            }
            WalkState::Continue
        })
    });
    found.into_inner().unwrap_or_default()
}

/// The CK001 findings and suppressions of one file.
fn one_file(
    path: &Path,
    source: &str,
    language: Language,
    catalogue: &Catalogue,
    formats: &HashMap<String, usize>,
) -> (Vec<Diagnostic>, Suppressions) {
    let scanned = language.scan(source);
    let lines = LineIndex::new(source);
    let leader = language.comment_leader();
    let suppressions = Suppressions::from_comments(
        path,
        source,
        leader,
        scanned.comments.iter().filter_map(|c| {
            let body = source[c.clone()].strip_prefix(leader)?;
            // `///` TypeScript directives and `#!` shebangs are no comments
            // of ours.
            (!body.starts_with(['/', '!'])).then_some((c.start, body))
        }),
    );
    let mut findings = Vec::new();
    for literal in &scanned.literals {
        let template = literal.template();
        // A plain string is a catalogue key only when it has the
        // catalogue's separator: `"config"` is a word, not a key.
        if template.holes() == 0 && !template.literal_text().contains(&catalogue.separator) {
            continue;
        }
        let Some(&entry) = formats.get(&template.normalized()) else {
            continue;
        };
        let key = &catalogue.keys[entry];
        let (line, column) = lines.line_column(source, literal.span.start);
        let location = Location {
            path: path.to_owned(),
            line,
            column,
            span: literal.span.clone(),
        };
        let values = literal.values();
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        let args = super::rules::ck001_catalogue_key_by_hand::call_arguments(key, &values);
        let help = format!(
            "call the generated function instead: `{}({})`, from `cachekeys gen --lang {}`",
            language.function(key),
            args.join(", "),
            language.flag()
        );
        findings.push(super::rules::ck001_catalogue_key_by_hand::finding(
            key,
            location,
            &template.normalized(),
            help,
        ));
    }
    (findings, suppressions)
}
