//! Output formats. Every command that reports findings renders the same
//! [`Diagnostic`] values through one [`Report`] per format, so formats
//! never disagree about what was found or where.
//!
//! - [`Human`]: rustc-style snippets, for people (`human`).
//! - [`Concise`]: one line per finding, for grep and editors (`concise`).
//! - [`Json`]: one object with a `diagnostics` array (`json`).
//! - [`Sarif`]: SARIF 2.1.0 for GitHub code scanning (`sarif`).
//! - [`Github`]: GitHub Actions workflow commands, which annotate a pull
//!   request's diff (`github`).

mod concise;
mod github;
mod human;
pub mod json;
mod sarif;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use concise::Concise;
pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use sarif::Sarif;

use crate::Error;
pub use crate::diagnostic::Sources;
use crate::diagnostic::{Diagnostic, Location, Severity, display_path};
use crate::rules;

/// A way to print findings.
pub trait Report {
    /// The whole report for a run: its findings, the text of the files they
    /// point into, and the notes about the run itself.
    fn format_log(&self, log: &Log<'_>) -> String;

    /// The whole report for `diagnostics`; `sources` holds the text of the
    /// files they point into (a file missing from it degrades gracefully to
    /// the line and column stored in each [`Location`]).
    fn format_diagnostics(&self, diagnostics: &[Diagnostic], sources: &Sources) -> String {
        self.format_log(&Log {
            diagnostics,
            sources,
            notifications: &[],
        })
    }
}

/// What one run reports.
///
/// A diagnostic is about a place (a file, a line), or about the input as a
/// whole (a catalogue that cannot be read: an error without a code, which
/// stops the run). A notification is about the run itself and never fails
/// it: "no catalogue, so CK001 is off". Formats keep them apart so a
/// consumer counting findings never counts a notification: SARIF puts them
/// in `toolExecutionNotifications`, JSON in `notifications`, GitHub makes
/// them `::notice` commands, and the human and concise formats leave them
/// to the caller, which prints them on stderr.
#[derive(Clone, Copy, Debug)]
pub struct Log<'a> {
    /// The findings.
    pub diagnostics: &'a [Diagnostic],
    /// The text of the files they point into.
    pub sources: &'a Sources,
    /// Notes about the run itself.
    pub notifications: &'a [Diagnostic],
}

impl Log<'_> {
    /// Whether the run was stopped by bad input: an error without a rule
    /// code (a catalogue that does not load, a usage error) rather than a
    /// finding.
    pub fn failed(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.code.is_none() && d.severity == Severity::Error)
    }
}

/// How findings are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source snippets.
    Human,
    /// One line per finding: `path:line:col: CODE [severity] message`.
    Concise,
    /// One JSON object with a `diagnostics` array.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
}

impl Format {
    /// The [`Report`] for this format.
    pub fn report(self, color: bool) -> Box<dyn Report> {
        match self {
            Format::Human => Box::new(Human { color }),
            Format::Concise => Box::new(Concise),
            Format::Json => Box::new(Json),
            Format::Sarif => Box::new(Sarif),
            Format::Github => Box::new(Github),
        }
    }

    /// Whether the report goes to stderr, like a compiler's messages; every
    /// other format is data, printed on stdout for a pipe or a file.
    pub fn to_stderr(self) -> bool {
        self == Format::Human
    }
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// How many errors.
    pub errors: usize,
    /// How many warnings.
    pub warnings: usize,
}

impl Summary {
    /// The counts of `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Summary {
        let count = |severity| {
            diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .count()
        };
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
        }
    }
}

/// Renders diagnostics in `format`; `color` matters to `human` only.
/// Human output ends with a count line and is empty when there is nothing
/// to report.
pub fn format_report(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &Sources,
    color: bool,
) -> String {
    format
        .report(color)
        .format_diagnostics(diagnostics, sources)
}

/// An [`Error`] that stopped a run, as diagnostics every format renders
/// like findings: a catalogue's problems each at its line and column, a
/// file that cannot be read at its path. `sources` gets the text of the
/// file they point into when the error has it.
pub fn error_diagnostics(error: &Error, sources: &mut Sources) -> Vec<Diagnostic> {
    if let Some(file) = error.file() {
        sources.insert(file.path.clone(), file.source.clone());
    }
    error.to_diagnostics()
}

/// Findings per rule code, most frequent first (ties by code), one line
/// each, as for `--statistics`:
///
/// ```text
///    3  CK002  duplicate-key-format
///    1  CK003  separator-collision
/// ```
///
/// Diagnostics without a code (notes about files that could not be read)
/// are not findings and are not counted. Empty when nothing is counted.
pub fn statistics(diagnostics: &[Diagnostic]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for code in diagnostics.iter().filter_map(|d| d.code) {
        *counts.entry(code).or_default() += 1;
    }
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let count_width = rows
        .iter()
        .map(|(_, n)| n.to_string().len())
        .max()
        .unwrap_or(0)
        .max(4);
    let code_width = rows.iter().map(|(code, _)| code.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (code, count) in rows {
        let name = rules::find(code).map_or("", |rule| rule.name);
        let line = format!("{count:>count_width$}  {code:<code_width$}  {name}");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Where a location starts and ends in its file: 1-based lines, 1-based
/// columns counted in characters, the end exclusive (the column just past
/// the last character).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Region {
    pub start_line: usize,
    pub start_column: usize,
    /// `None` when the file's text is not at hand.
    pub end: Option<(usize, usize)>,
}

impl Region {
    /// From the byte span when the file's text is in `sources` and agrees
    /// with the stored line; otherwise the stored line and column alone.
    /// `None` for a location with no line (a whole file).
    pub fn of(location: &Location, sources: &Sources) -> Option<Region> {
        if location.line == 0 {
            return None;
        }
        if let Some(start) = sources.line_column(&location.path, location.span.start)
            && start.0 == location.line
        {
            let end = sources
                .line_column(&location.path, location.span.end.max(location.span.start))
                .unwrap_or(start);
            return Some(Region {
                start_line: start.0,
                start_column: start.1,
                end: Some(end),
            });
        }
        Some(Region {
            start_line: location.line,
            start_column: location.column.max(1),
            end: None,
        })
    }

    /// Whether the region covers at least one character.
    pub fn is_empty(&self) -> bool {
        self.end == Some((self.start_line, self.start_column))
    }
}

/// The text of line `line` (1-based) of the location's file, if known.
pub(crate) fn line_text<'a>(sources: &'a Sources, path: &Path, line: usize) -> Option<&'a str> {
    sources.line(path, line)
}

/// The directory CI tools resolve paths against: the repository root
/// (the nearest directory above the current one holding `.git`), or the
/// current directory outside a repository. Absolute, computed once.
pub(crate) fn base_dir() -> Option<&'static Path> {
    static BASE: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let cwd = std::env::current_dir().ok()?;
        Some(crate::discover::repository_root(&cwd).unwrap_or(cwd))
    })
    .as_deref()
}

/// A path as CI tools want it: relative to the repository root
/// ([`base_dir`]) with `/` separators and no `.` or `..` parts. The flag
/// tells whether the path stayed absolute (outside the repository).
pub(crate) fn repo_path(path: &Path) -> (String, bool) {
    let relative = std::env::current_dir()
        .ok()
        .zip(base_dir())
        .and_then(|(cwd, base)| {
            let full = normalize(&cwd.join(path));
            full.strip_prefix(base)
                .map(Path::to_path_buf)
                .ok()
                .or_else(|| {
                    // The path may be spelled through a symlink the base is not.
                    let canonical = full.canonicalize().ok()?;
                    let base = base.canonicalize().ok()?;
                    canonical.strip_prefix(base).map(Path::to_path_buf).ok()
                })
        });
    match relative {
        Some(relative) => (display_path(&relative), false),
        None => (display_path(&normalize(path)), path.is_absolute()),
    }
}

/// `path` without `.` parts, and with each `..` cancelling the part before
/// it, as far as the text goes (no file system access).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Every diagnostic's message as one piece of text: the message, then each
/// related site in another place as `path:line:col: message`, then `help:`.
/// For formats with no room for related sites or help of their own.
pub(crate) fn full_message(d: &Diagnostic, with_related: bool) -> String {
    let mut text = d.message.clone();
    if with_related {
        for related in &d.related {
            let (path, _) = repo_path(&related.location.path);
            text.push_str(&format!(
                "\n{path}:{}:{}: {}",
                related.location.line, related.location.column, related.message
            ));
        }
    }
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(path: &str, line: usize, column: usize, span: std::ops::Range<usize>) -> Location {
        Location {
            path: path.into(),
            line,
            column,
            span,
        }
    }

    #[test]
    fn regions_count_characters_and_fall_back_to_the_stored_position() {
        let mut sources = Sources::default();
        sources.insert("a.rs", "ab\n// é ü\nlet k = 1;\n");
        // `ü` is at byte 9 of the file, after the two-byte `é`: column 6.
        let region = Region::of(&at("a.rs", 2, 6, 9..11), &sources).unwrap();
        assert_eq!((region.start_line, region.start_column), (2, 6));
        assert_eq!(region.end, Some((2, 7)));
        // No text: the stored position, no end.
        let region = Region::of(&at("b.rs", 4, 2, 0..3), &sources).unwrap();
        assert_eq!(
            (region.start_line, region.start_column, region.end),
            (4, 2, None)
        );
        // A span that disagrees with the stored line is not trusted.
        let region = Region::of(&at("a.rs", 3, 1, 0..0), &sources).unwrap();
        assert_eq!((region.start_line, region.end), (3, None));
        assert_eq!(Region::of(&at("a.rs", 0, 0, 0..0), &sources), None);
        assert_eq!(line_text(&sources, Path::new("a.rs"), 2), Some("// é ü"));
    }

    #[test]
    fn repo_paths_are_relative_with_forward_slashes() {
        assert_eq!(
            repo_path(Path::new("./src/a.rs")),
            ("src/a.rs".into(), false)
        );
        assert_eq!(repo_path(Path::new("././a.rs")), ("a.rs".into(), false));
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(repo_path(&cwd.join("src/x.rs")), ("src/x.rs".into(), false));
        #[cfg(unix)]
        if cwd != Path::new("/") {
            let (text, absolute) = repo_path(Path::new("/zz-not-here/y.rs"));
            assert!(absolute, "{text}");
            assert_eq!(text, "/zz-not-here/y.rs");
        }
    }

    #[test]
    fn statistics_sort_by_count_then_code() {
        let d = |code| Diagnostic::error("m", Location::default()).with_code(code);
        let diagnostics = vec![d("CK003"), d("CK002"), d("CK002"), d("CK001"), d("CK002")];
        assert_eq!(
            statistics(&diagnostics),
            "   3  CK002  duplicate-key-format\n   1  CK001  catalogue-key-by-hand\n   1  CK003  separator-collision\n"
        );
        assert_eq!(statistics(&[]), "");
    }
}
