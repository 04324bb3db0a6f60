//! The library's error type.
//!
//! Every variant carries the file it is about, and [`Error`]'s `Display` is
//! exactly what the CLI prints, so a build script that fails shows the same
//! rustc-style diagnostic a developer would see from `cachekeys gen`.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::diagnostic::{FileDiagnostics, display_path};

#[derive(Debug)]
pub enum Error {
    /// The catalogue could not be read (missing, unreadable, a directory).
    Read { path: PathBuf, source: io::Error },
    /// The catalogue is not UTF-8; the first bad byte is at `line`:`column`.
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    /// The catalogue was read but is invalid; every problem is listed.
    Invalid(Box<FileDiagnostics>),
    /// The catalogue is valid but `check` found errors (colliding keys, a
    /// separator values can contain, ...), so no code is generated from it.
    Unsafe(Box<FileDiagnostics>),
    /// The generated file could not be written.
    Write { path: PathBuf, source: io::Error },
    /// `compile` was called outside a build script with no output directory.
    NoOutDir,
    /// The output path is not something to replace: a directory, a device,
    /// a FIFO, or the catalogue itself. `target` is `path` with symlinks
    /// followed.
    RefusedOutput {
        path: PathBuf,
        target: PathBuf,
        reason: crate::output::Refusal,
    },
    /// The existing output file could not be read to compare it with the
    /// new content.
    ReadOutput { path: PathBuf, source: io::Error },
}

impl Error {
    /// Renders like `Display`, with ANSI colours when `color` is set.
    pub fn render(&self, color: bool) -> String {
        match self {
            Error::Invalid(diagnostics) | Error::Unsafe(diagnostics) => {
                diagnostics.render(color).trim_end().to_owned()
            }
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Read { path, source } => {
                let path = display_path(path);
                write!(f, "error: cannot read catalogue `{path}`: {source}\n  --> {path}")?;
                let help = if source.kind() == io::ErrorKind::NotFound {
                    "create it with `cachekeys init`, or pass the catalogue with `-c FILE`"
                } else {
                    "check that the path is a readable file"
                };
                write!(f, "\n  = help: {help}")
            }
            Error::NotUtf8 { path, line, column } => {
                let path = display_path(path);
                write!(
                    f,
                    "error: catalogue `{path}` is not valid UTF-8\n  --> {path}:{line}:{column}\n  = help: save the file as UTF-8"
                )
            }
            Error::Invalid(diagnostics) | Error::Unsafe(diagnostics) => {
                fmt::Display::fmt(diagnostics, f)
            }
            Error::Write { path, source } => {
                let path = display_path(path);
                write!(
                    f,
                    "error: cannot write `{path}`: {source}\n  --> {path}\n  = help: check that the directory exists and is writable"
                )
            }
            Error::NoOutDir => f.write_str(
                "error: OUT_DIR is not set, so there is nowhere to write the generated keys\n  = help: call `cachekeys::compile` from a build script, or set `Config::out_dir`",
            ),
            Error::RefusedOutput {
                path,
                target,
                reason,
            } => {
                let shown = display_path(path);
                let what = if target == path {
                    "it".to_owned()
                } else {
                    format!("its symlink target `{}`", display_path(target))
                };
                write!(
                    f,
                    "error: refusing to write `{shown}`: {what} is {}\n  --> {shown}\n  = help: ",
                    reason.noun()
                )?;
                f.write_str(match reason {
                    crate::output::Refusal::Catalogue => {
                        "write the generated module to another file, such as `src/keys.rs`"
                    }
                    crate::output::Refusal::Directory => {
                        "name a file, such as `src/keys.rs`, not a directory"
                    }
                    _ => {
                        "name a regular file or a path that does not exist yet (`cachekeys gen` without `-o` prints to stdout)"
                    }
                })
            }
            Error::ReadOutput { path, source } => {
                let path = display_path(path);
                write!(
                    f,
                    "error: cannot read the existing `{path}` to compare it with the new content: {source}\n  --> {path}\n  = help: make it readable, or remove it and run again"
                )
            }
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
