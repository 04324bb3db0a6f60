//! The library's error type.
//!
//! Every variant carries the file it is about. `Display` is one line, for
//! logs and `?`; [`Error::to_diagnostics`] gives the full story as
//! [`Diagnostic`]s (every problem of an invalid catalogue at its line, a
//! help for each), and [`Error::to_snippets`] renders them as the CLI prints
//! them, so a build script that fails can show the same rustc-style text a
//! developer would see from `cachekeys gen`.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, FileDiagnostics, Location, display_path};
use crate::output::Refusal;

/// Why loading, checking or writing a catalogue's module failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The catalogue could not be read (missing, unreadable, a directory).
    Read {
        /// The catalogue.
        path: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
    /// The catalogue is not UTF-8; the first bad byte is at `line`:`column`.
    NotUtf8 {
        /// The catalogue.
        path: PathBuf,
        /// 1-based.
        line: usize,
        /// 1-based, in characters.
        column: usize,
    },
    /// The catalogue was read but is invalid; every problem is listed.
    Invalid(Box<FileDiagnostics>),
    /// The catalogue is valid but `check` found errors (colliding keys, a
    /// separator values can contain, ...), so no code is generated from it.
    Unsafe(Box<FileDiagnostics>),
    /// The generated file could not be written.
    Write {
        /// The output file.
        path: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
    /// `compile` was called outside a build script with no output directory.
    NoOutDir,
    /// The output path is not something to replace: a directory, a device,
    /// a FIFO, or the catalogue itself. `target` is `path` with symlinks
    /// followed.
    RefusedOutput {
        /// The output path as given.
        path: PathBuf,
        /// `path` with symlinks followed.
        target: PathBuf,
        /// What is there.
        reason: Refusal,
    },
    /// The existing output file could not be read to compare it with the
    /// new content.
    ReadOutput {
        /// The output file.
        path: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
}

impl Error {
    /// The error as diagnostics: each problem of an invalid or unsafe
    /// catalogue, or one diagnostic with a help for the other errors.
    pub fn to_diagnostics(&self) -> Vec<Diagnostic> {
        let at = |path: &Path| Location {
            path: path.to_owned(),
            ..Location::default()
        };
        let diagnostic = match self {
            Error::Invalid(file) | Error::Unsafe(file) => return file.diagnostics.clone(),
            Error::Read { path, source } => Diagnostic::error(self.to_string(), at(path))
                .with_help(if source.kind() == io::ErrorKind::NotFound {
                    "create it with `cachekeys init`, or pass the catalogue with `-c FILE`"
                } else {
                    "check that the path is a readable file"
                }),
            Error::NotUtf8 { path, line, column } => Diagnostic::error(
                format!("catalogue `{}` is not valid UTF-8", display_path(path)),
                Location {
                    line: *line,
                    column: *column,
                    ..at(path)
                },
            )
            .with_help("save the file as UTF-8"),
            Error::Write { path, .. } => Diagnostic::error(self.to_string(), at(path))
                .with_help("check that the directory exists and is writable"),
            Error::NoOutDir => Diagnostic::error(self.to_string(), Location::default())
                .with_help(
                    "call `cachekeys::compile` from a build script, or set `Config::out_dir`",
                ),
            Error::RefusedOutput { path, reason, .. } => {
                Diagnostic::error(self.to_string(), at(path)).with_help(match reason {
                    Refusal::Catalogue => {
                        "write the generated module to another file, such as `src/keys.rs`"
                    }
                    Refusal::Directory => "name a file, such as `src/keys.rs`, not a directory",
                    _ => {
                        "name a regular file or a path that does not exist yet (`cachekeys gen` without `-o` prints to stdout)"
                    }
                })
            }
            Error::ReadOutput { path, .. } => Diagnostic::error(self.to_string(), at(path))
                .with_help("make it readable, or remove it and run again"),
        };
        vec![diagnostic]
    }

    /// The file [`Error::to_diagnostics`] point into, with its text, when
    /// the error holds it (an invalid or unsafe catalogue).
    pub fn file(&self) -> Option<&FileDiagnostics> {
        match self {
            Error::Invalid(file) | Error::Unsafe(file) => Some(file),
            _ => None,
        }
    }

    /// The human text of [`Error::to_diagnostics`], rustc-style, with ANSI
    /// colours when `color` is set: what `cachekeys` prints.
    pub fn to_snippets(&self, color: bool) -> String {
        let file = match self.file() {
            Some(file) => file.to_snippets(color),
            None => {
                let mut text = String::new();
                for diagnostic in self.to_diagnostics() {
                    text.push_str(&diagnostic.to_snippet(None, color));
                    text.push('\n');
                }
                text
            }
        };
        file.trim_end().to_owned()
    }
}

/// One line; [`Error::to_snippets`] for the whole story.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Read { path, source } => {
                write!(
                    f,
                    "cannot read catalogue `{}`: {source}",
                    display_path(path)
                )
            }
            Error::NotUtf8 { path, line, column } => write!(
                f,
                "catalogue `{}` is not valid UTF-8 at line {line}, column {column}",
                display_path(path)
            ),
            Error::Invalid(file) | Error::Unsafe(file) => {
                let errors = || {
                    file.diagnostics
                        .iter()
                        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
                };
                let Some(first) = errors().next() else {
                    return write!(f, "catalogue `{}` is invalid", display_path(&file.path));
                };
                let at = &first.location;
                write!(
                    f,
                    "{}:{}:{}: {}",
                    display_path(&at.path),
                    at.line,
                    at.column,
                    first.message
                )?;
                match errors().count() - 1 {
                    0 => Ok(()),
                    1 => f.write_str(" (and 1 more error)"),
                    more => write!(f, " (and {more} more errors)"),
                }
            }
            Error::Write { path, source } => {
                write!(f, "cannot write `{}`: {source}", display_path(path))
            }
            Error::NoOutDir => {
                f.write_str("OUT_DIR is not set, so there is nowhere to write the generated keys")
            }
            Error::RefusedOutput {
                path,
                target,
                reason,
            } => {
                let what = if target == path {
                    "it".to_owned()
                } else {
                    format!("its symlink target `{}`", display_path(target))
                };
                write!(
                    f,
                    "refusing to write `{}`: {what} is {}",
                    display_path(path),
                    reason.noun()
                )
            }
            Error::ReadOutput { path, source } => write!(
                f,
                "cannot read the existing `{}` to compare it with the new content: {source}",
                display_path(path)
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Read { source, .. }
            | Error::Write { source, .. }
            | Error::ReadOutput { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn at(line: usize) -> Location {
        Location {
            path: "keys.yaml".into(),
            line,
            column: 5,
            span: 0..0,
        }
    }

    #[test]
    fn display_is_one_line_and_the_snippets_tell_the_rest() {
        let invalid = Error::Invalid(Box::new(FileDiagnostics {
            path: "keys.yaml".into(),
            source: "a\nb\nc\n".into(),
            diagnostics: vec![
                Diagnostic::error("first", at(2)).with_help("fix it"),
                Diagnostic::error("a warning", at(1)).with_severity(Severity::Warning),
                Diagnostic::error("second", at(3)),
            ],
        }));
        let refused = Error::RefusedOutput {
            path: "link.rs".into(),
            target: "real.rs".into(),
            reason: Refusal::Fifo,
        };
        let errors = [
            (invalid, "keys.yaml:2:5: first (and 1 more error)"),
            (
                Error::NotUtf8 {
                    path: "keys.yaml".into(),
                    line: 2,
                    column: 6,
                },
                "catalogue `keys.yaml` is not valid UTF-8 at line 2, column 6",
            ),
            (
                Error::NoOutDir,
                "OUT_DIR is not set, so there is nowhere to write the generated keys",
            ),
            (
                refused,
                "refusing to write `link.rs`: its symlink target `real.rs` is a FIFO (named pipe)",
            ),
        ];
        for (error, line) in &errors {
            assert_eq!(error.to_string(), *line);
            let snippets = error.to_snippets(false);
            assert!(snippets.lines().count() > 1, "{snippets}");
            assert!(snippets.contains("help: "), "{snippets}");
        }
        let not_utf8 = &errors[1].0;
        assert_eq!(
            not_utf8.to_snippets(false),
            "error: catalogue `keys.yaml` is not valid UTF-8\n  --> keys.yaml:2:6\n  = help: save the file as UTF-8"
        );
        assert_eq!(errors[0].0.to_diagnostics().len(), 3);
    }
}
