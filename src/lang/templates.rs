//! Key modules for other languages, rendered from templates.
//!
//! The Python and TypeScript modules are minijinja templates over the
//! [`View`](super::View) of the catalogue. minijinja is Jinja2's
//! syntax (which Django and Python users know) in a small, maintained
//! crate with no required dependencies, no unsafe, and errors that name
//! the template line. The built-in templates are compiled in from
//! `templates/`; `--template DIR` reads `DIR/python/keys.py.j2` or
//! `DIR/typescript/keys.ts.j2` instead.
//!
//! Escaping is done here, not in templates: the `py_str`, `ts_str`,
//! `py_doc` and `ts_doc` filters make string literals and doc text of any
//! catalogue text, so a template only joins pieces.

use std::fmt;
use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior};

use super::view::view;
use crate::catalogue::Catalogue;
use crate::diagnostic::{Diagnostic, Location, display_path, line_column};

/// A language rendered from a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Python 3.
    Python,
    /// TypeScript.
    TypeScript,
}

impl Language {
    /// The template's path under the templates directory.
    pub fn template_path(self) -> &'static str {
        match self {
            Language::Python => "python/keys.py.j2",
            Language::TypeScript => "typescript/keys.ts.j2",
        }
    }

    /// For messages: `Python`, `TypeScript`.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "Python",
            Language::TypeScript => "TypeScript",
        }
    }

    fn builtin(self) -> &'static str {
        match self {
            Language::Python => include_str!("../../templates/python/keys.py.j2"),
            Language::TypeScript => include_str!("../../templates/typescript/keys.ts.j2"),
        }
    }
}

/// Why a module could not be generated.
#[derive(Debug)]
pub enum TemplateError {
    /// The user's template could not be read.
    Read {
        /// The template.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The template has a syntax error or failed while rendering.
    Render {
        /// The template's path: the user's file, or `templates/...` for a
        /// built-in one.
        path: PathBuf,
        /// 1-based line and column, when the engine knows them.
        at: Option<(usize, usize)>,
        /// What the engine said.
        message: String,
    },
    /// Two names of the catalogue become one identifier in the language.
    NameClash {
        /// The language.
        language: Language,
        /// The identifier both become.
        identifier: String,
        /// The first name, described (`entry `a.b``).
        first: String,
        /// The second name, described.
        second: String,
        /// Where the second name is written.
        at: Box<Location>,
    },
}

impl TemplateError {
    /// The error as a diagnostic, with how to fix it.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let (location, help) = match self {
            TemplateError::Read { .. } => (
                Location::default(),
                "copy `templates/` of cachekeys into the directory given to --template, or drop --template to use the built-in templates",
            ),
            TemplateError::Render { path, at, .. } => {
                let (line, column) = at.unwrap_or((0, 0));
                (
                    Location {
                        path: path.clone(),
                        line,
                        column,
                        span: 0..0,
                    },
                    "fix the template; `cachekeys gen --lang json` prints the view it is rendered with",
                )
            }
            TemplateError::NameClash { at, .. } => {
                ((**at).clone(), "rename one of them in the catalogue")
            }
        };
        let message = match self {
            TemplateError::Render { message, .. } => message.clone(),
            other => other.to_string(),
        };
        Diagnostic::error(message, location).with_help(help)
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateError::Read { path, source } => write!(
                f,
                "cannot read the template `{}`: {source}",
                display_path(path)
            ),
            TemplateError::Render { path, at, message } => {
                let at = at.map_or_else(String::new, |(l, c)| format!(":{l}:{c}"));
                write!(f, "{}{at}: {message}", display_path(path))
            }
            TemplateError::NameClash {
                language,
                identifier,
                first,
                second,
                ..
            } => write!(
                f,
                "{first} and {second} both become `{identifier}` in the {} module",
                language.name()
            ),
        }
    }
}

impl std::error::Error for TemplateError {}

/// The first two catalogue names that become the same identifier at the
/// top level of the built-in module for `language`, if any.
fn name_clash(
    catalogue: &Catalogue,
    view: &super::View,
    language: Language,
) -> Option<TemplateError> {
    let fixed: &[&str] = match language {
        Language::Python => &["KEY_PREFIX", "VERSION", "SEPARATOR", "Key", "parse"],
        Language::TypeScript => &[
            "KEY_PREFIX",
            "VERSION",
            "SEPARATOR",
            "Key",
            "parse",
            "render",
        ],
    };
    // The type of a bounded `str` decoded from an over-long form.
    let text: &[&str] = if view.uses.over_long {
        &["Sha256Text"]
    } else {
        &[]
    };
    // The Redis Cluster slot of a key, beside `Key::slot()` in Rust.
    let slot: &[&str] = if view.uses.slot { &["slot"] } else { &[] };
    let mut names: Vec<(String, String, usize)> = fixed
        .iter()
        .chain(text)
        .chain(slot)
        .map(|n| ((*n).to_owned(), format!("the module's `{n}`"), usize::MAX))
        .collect();
    for e in &view.enums {
        let origin = format!("the enum of parameter `{}`", e.param);
        names.push((e.name.clone(), origin.clone(), usize::MAX));
        if language == Language::TypeScript {
            names.push((format!("{}Values", e.name), origin, usize::MAX));
        }
    }
    if !view.entities.is_empty() {
        names.push((
            "Invalidation".to_owned(),
            "the module's `Invalidation`".to_owned(),
            usize::MAX,
        ));
    }
    for e in &view.entities {
        let origin = format!("entity `{}`", e.name);
        let functions = match language {
            Language::Python => [&e.py_invalidate, &e.py_generation],
            Language::TypeScript => [&e.ts_invalidate, &e.ts_generation],
        };
        for function in functions {
            names.push((function.clone(), origin.clone(), usize::MAX));
        }
    }
    let django = catalogue.layout == crate::catalogue::Layout::Django;
    for (i, k) in view.keys.iter().enumerate() {
        let origin = format!("entry `{}`", k.name);
        let mut push = |name: String| names.push((name, origin.clone(), i));
        push(format!("{}_PATTERN", k.shouty));
        push(format!("{}_TTL", k.shouty));
        let policy = [
            (k.negative_ttl.is_some(), "NEGATIVE_TTL"),
            (k.ttl_jitter.is_some(), "TTL_JITTER_PERCENT"),
            (k.value.is_some(), "VALUE"),
            (k.group.is_some(), "GROUP"),
        ];
        for (_, suffix) in policy.into_iter().filter(|(has, _)| *has) {
            push(format!("{}_{suffix}", k.shouty));
        }
        if k.ttl_jitter.is_some() {
            push(match language {
                Language::Python => format!("{}_ttl", k.py_function),
                Language::TypeScript => format!("{}Ttl", k.ts_function),
            });
        }
        match language {
            Language::Python => {
                push(k.py_function.clone());
                push(format!("{}Key", k.camel));
                if django {
                    push(format!("{}_django", k.py_function));
                    push(format!("{}_VERSION", k.shouty));
                }
            }
            Language::TypeScript => push(k.ts_function.clone()),
        }
    }
    let mut seen: std::collections::HashMap<&str, (&str, usize)> = std::collections::HashMap::new();
    for (name, origin, entry) in &names {
        match seen.get(name.as_str()) {
            Some((first, _)) if first != origin => {
                let at = catalogue.keys.get(*entry).map_or_else(
                    || Location {
                        path: catalogue.path.clone(),
                        ..Location::default()
                    },
                    |k| k.location.clone(),
                );
                return Some(TemplateError::NameClash {
                    language,
                    identifier: name.clone(),
                    first: (*first).to_owned(),
                    second: origin.clone(),
                    at: Box::new(at),
                });
            }
            Some(_) => {}
            None => {
                seen.insert(name, (origin, *entry));
            }
        }
    }
    None
}

/// Renders the key module of `catalogue` in `language`, from the built-in
/// template or from `template_dir` when given.
pub fn generate(
    catalogue: &Catalogue,
    language: Language,
    template_dir: Option<&Path>,
) -> Result<String, TemplateError> {
    let (path, source) = match template_dir {
        Some(dir) => {
            let path = dir.join(language.template_path());
            match std::fs::read_to_string(&path) {
                Ok(text) => (path, text),
                Err(source) => return Err(TemplateError::Read { path, source }),
            }
        }
        None => (
            Path::new("templates").join(language.template_path()),
            language.builtin().to_owned(),
        ),
    };
    let error = |e: minijinja::Error| TemplateError::Render {
        path: path.clone(),
        at: e.line().map(|line| {
            // The column from the byte range of the error, when it has one.
            let column = e
                .range()
                .map_or(1, |range| line_column(&source, range.start).1);
            (line, column)
        }),
        message: match e.detail() {
            Some(detail) => format!("{}: {detail}", e.kind()),
            None => e.kind().to_string(),
        },
    };
    let mut env = environment();
    env.add_template_owned("keys", source.clone())
        .map_err(error)?;
    let template = env.get_template("keys").map_err(error)?;
    let view = view(catalogue);
    // A user's template names things its own way.
    if template_dir.is_none()
        && let Some(clash) = name_clash(catalogue, &view, language)
    {
        return Err(clash);
    }
    let mut text = template
        .render(minijinja::Value::from(minijinja::value::Serde(view)))
        .map_err(error)?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_filter("py_str", |s: String| quoted(&s, Quotes::Python));
    env.add_filter("ts_str", |s: String| quoted(&s, Quotes::TypeScript));
    env.add_filter("py_doc", |s: String| {
        s.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"")
    });
    env.add_filter("ts_doc", |s: String| s.replace("*/", "*\\/"));
    env
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quotes {
    Python,
    TypeScript,
}

/// A double-quoted string literal of `text`, valid in Python and in
/// TypeScript: backslash, quote and control characters escaped, the rest
/// (non-ASCII included) as it is.
fn quoted(text: &str, quotes: Quotes) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // `${` needs no escape in a plain string literal; line and
            // paragraph separators end a line in older JavaScript parsers.
            '\u{2028}' | '\u{2029}' if quotes == Quotes::TypeScript => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c if c.is_control() => {
                let n = u32::from(c);
                if n < 0x100 {
                    out.push_str(&format!("\\x{n:02x}"));
                } else {
                    out.push_str(&format!("\\u{n:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals() {
        assert_eq!(quoted("a\"b\\c", Quotes::Python), r#""a\"b\\c""#);
        assert_eq!(quoted("é\u{1}\n", Quotes::Python), "\"é\\x01\\n\"");
        assert_eq!(quoted("\u{2028}", Quotes::TypeScript), "\"\\u2028\"");
        assert_eq!(quoted("\u{2028}", Quotes::Python), "\"\u{2028}\"");
    }
}
