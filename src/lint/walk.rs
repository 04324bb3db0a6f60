//! The parallel walk: every `.rs` file under the given paths, honouring
//! `.gitignore` like ripgrep, read once, handed to a per-file function on
//! the worker threads. Nothing here aborts a run: a file that cannot be
//! read, decoded or parsed, and a symlink loop, become notes.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::WalkState;
use ignore::overrides::OverrideBuilder;

use super::Options;
use super::extract::{ParseError, Site};
use super::suppress::Suppressions;
use crate::diagnostic::{Diagnostic, Location, Severity, line_column};

/// Larger files are not source code a person wrote (generated tables,
/// fixtures): they are skipped with a note rather than parsed.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// What one file produced.
#[derive(Debug)]
pub struct FileResult {
    pub path: PathBuf,
    pub sites: Vec<Site>,
    pub suppressions: Suppressions,
}

/// What the walk produced.
#[derive(Debug, Default)]
pub struct Scanned {
    /// Files with sites or suppressions; others are dropped to save memory.
    pub files: Vec<FileResult>,
    /// Problems reading files, as notes.
    pub notes: Vec<Diagnostic>,
    /// How many Rust files were read.
    pub count: usize,
}

/// `// @generated` in the first five lines, as rustfmt and GitHub decide.
pub fn is_generated(source: &str) -> bool {
    source.lines().take(5).any(|l| l.contains("@generated"))
}

fn note(path: &Path, line: usize, column: usize, message: String) -> Diagnostic {
    Diagnostic::error(
        message,
        Location {
            path: path.to_owned(),
            line,
            column,
            span: 0..0,
        },
    )
    .with_severity(Severity::Note)
}

/// A path as the user would write it: `src/a.rs`, not `./src/a.rs`.
fn tidy(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_owned())
}

/// Walks `options.paths` and runs `per_file` on every Rust file.
pub fn scan<F>(options: &Options, exclude: &[String], per_file: F) -> Scanned
where
    F: Fn(&Path, &str) -> Result<(Vec<Site>, Suppressions), ParseError> + Sync,
{
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    let mut builder = ignore::WalkBuilder::new(&paths[0]);
    for path in &paths[1..] {
        builder.add(path);
    }
    let mut notes = Vec::new();
    if !exclude.is_empty() {
        // Globs are relative to the catalogue's directory, like a
        // .gitignore's are to its own.
        let root = options
            .catalogue
            .as_ref()
            .and_then(|c| c.path.parent())
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut overrides = OverrideBuilder::new(root);
        for glob in exclude {
            if let Err(e) = overrides.add(&format!("!{glob}")) {
                notes.push(note(
                    Path::new("keys.yaml"),
                    1,
                    1,
                    format!("bad exclude glob `{glob}`: {e}"),
                ));
            }
        }
        if let Ok(overrides) = overrides.build() {
            builder.overrides(overrides);
        }
    }
    builder
        .threads(options.threads)
        .follow_links(false)
        .require_git(false);
    let results = Mutex::new(Scanned {
        notes,
        ..Scanned::default()
    });
    builder.build_parallel().run(|| {
        let per_file = &per_file;
        let results = &results;
        Box::new(move |entry| {
            let outcome = match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    let explicit = entry.depth() == 0;
                    let rust = entry.path().extension().is_some_and(|e| e == "rs");
                    if is_file && (rust || explicit) {
                        Some(one_file(&tidy(entry.path()), per_file))
                    } else {
                        None
                    }
                }
                Err(error) => {
                    let path = error_path(&error).unwrap_or_else(|| PathBuf::from("."));
                    let message = format!("skipped: {error}");
                    Some(FileOutcome::Note(Box::new(note(
                        &tidy(&path),
                        1,
                        1,
                        message,
                    ))))
                }
            };
            if let Some(outcome) = outcome
                && let Ok(mut results) = results.lock()
            {
                results.count += 1;
                match outcome {
                    FileOutcome::Linted(file) => {
                        let suppressions = &file.suppressions;
                        if !file.sites.is_empty()
                            || !suppressions.entries.is_empty()
                            || !suppressions.invalid.is_empty()
                        {
                            results.files.push(file);
                        }
                    }
                    FileOutcome::Generated => {}
                    FileOutcome::Note(diagnostic) => results.notes.push(*diagnostic),
                }
            }
            WalkState::Continue
        })
    });
    let mut scanned = results.into_inner().unwrap_or_default();
    scanned.files.sort_by(|a, b| a.path.cmp(&b.path));
    scanned
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// What reading one file gave.
enum FileOutcome {
    Linted(FileResult),
    /// Generated code: not ours to lint.
    Generated,
    Note(Box<Diagnostic>),
}

/// Reads and lints one file.
fn one_file<F>(path: &Path, per_file: &F) -> FileOutcome
where
    F: Fn(&Path, &str) -> Result<(Vec<Site>, Suppressions), ParseError>,
{
    let skipped = |line, column, message: String| {
        FileOutcome::Note(Box::new(note(path, line, column, message)))
    };
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if size > MAX_FILE_BYTES {
        return skipped(
            1,
            1,
            format!(
                "skipped: the file is {} MiB, over the {} MiB a source file may have",
                size >> 20,
                MAX_FILE_BYTES >> 20
            ),
        );
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return skipped(1, 1, format!("skipped: cannot read the file: {e}")),
    };
    let source = match String::from_utf8(bytes) {
        Ok(source) => source,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.as_bytes()[..valid]);
            let (line, column) = line_column(&text, valid);
            return skipped(
                line,
                column,
                "skipped: the file is not valid UTF-8".to_owned(),
            );
        }
    };
    if is_generated(&source) {
        return FileOutcome::Generated;
    }
    let result = per_file(path, &source);
    // proc-macro2 keeps every parsed file's text for span lookups; drop it.
    proc_macro2::extra::invalidate_current_thread_spans();
    match result {
        Ok((sites, suppressions)) => FileOutcome::Linted(FileResult {
            path: path.to_owned(),
            sites,
            suppressions,
        }),
        Err(error) => skipped(
            error.line,
            error.column,
            format!("skipped: Rust syntax error: {}", error.message),
        ),
    }
}
