//! Diagnostics: one model for every problem cachekeys reports.
//!
//! A bad catalogue, an unsafe key and a hand-written key are all a
//! [`Diagnostic`]: a severity, an optional stable rule code, a message, and a
//! precise place in a file. Each output format renders the same value, so the
//! human text, JSON and CI annotations can never disagree about where a
//! problem is.
//!
//! Human text has one renderer, [`Diagnostic::to_snippet`]: a diagnostic
//! with a place in a file whose text is at hand is drawn by annotate-snippets
//! with its source lines; one without (a file that cannot be read, a usage
//! error, a stale output) gets the same header, its `-->` place and its
//! `= note:` and `= help:` lines. The CLI, the library's [`crate::Error`] and
//! the `cargo::warning=` lines of [`crate::compile`] all print through it.
//!
//! [`LineIndex`] is the one map between byte offsets and lines and columns.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something the tool could not look at (a file it cannot parse); never
    /// a finding, never fails a run.
    Note,
    /// A finding that does not make the key space unsafe (a key that may
    /// exceed a Redis limit); it fails `lint`, not `check` or `gen`.
    Warning,
    /// A finding that must be fixed.
    Error,
}

impl Severity {
    /// `note`, `warning` or `error`, as the reports spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A place in a source file: 1-based line and column (in characters), and
/// the byte range to underline.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file, as the user named it; empty for a problem about no file.
    pub path: PathBuf,
    /// 1-based; 0 for a problem about the whole file.
    pub line: usize,
    /// 1-based, in characters; 0 with `line`.
    pub column: usize,
    /// The bytes of the file the problem is about.
    pub span: Range<usize>,
}

/// A secondary place that explains the primary one ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// What is there, in a few words.
    pub message: String,
}

/// One problem, at one place, with an optional fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// A stable rule code such as `CK004`; `None` for plain input errors.
    pub code: Option<&'static str>,
    /// What is wrong, in one line.
    pub message: String,
    /// Where.
    pub location: Location,
    /// Text under the primary caret.
    pub label: String,
    /// Other places that explain this one.
    pub related: Vec<Related>,
    /// More about it, each shown as a `= note:` (a diff, say); the human
    /// text only.
    pub notes: Vec<String>,
    /// How to fix it, in one sentence.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `location`; the `with_*` methods add the rest.
    pub fn error(message: impl Into<String>, location: Location) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: None,
            message: message.into(),
            location,
            label: String::new(),
            related: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// With a rule code.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// With another severity than error.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// With the text under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// With how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// With a note, shown after the place.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// With another place that explains this one.
    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    /// The human text, rustc-style. `source` is the text of the
    /// diagnostic's file; without it, or without a line, there is no
    /// snippet: the header, the `-->` place, the notes and the help.
    pub fn to_snippet(&self, source: Option<&str>, color: bool) -> String {
        let lines = source.map(LineIndex::new);
        self.to_snippet_indexed(source.zip(lines.as_ref()), color)
    }

    /// [`Diagnostic::to_snippet`], with the file's line index built once for
    /// all its diagnostics: only the lines the snippet shows are handed to
    /// the renderer, so each diagnostic costs its own lines, not the file.
    pub fn to_snippet_indexed(&self, source: Option<(&str, &LineIndex)>, color: bool) -> String {
        match source {
            Some(source) if self.location.line > 0 => self.annotated(source, color),
            _ => self.header_only(),
        }
    }

    /// Without a snippet: `error[CODE]: MESSAGE`, then `  --> PLACE` when
    /// there is a file, each related place and note as `  = note: NOTE`
    /// (a note of several lines, a diff say, as it is), then
    /// `  = help: HELP`.
    fn header_only(&self) -> String {
        let mut text = self.severity.as_str().to_owned();
        if let Some(code) = self.code {
            text.push_str(&format!("[{code}]"));
        }
        text.push_str(": ");
        text.push_str(&self.message);
        if !self.location.path.as_os_str().is_empty() {
            text.push_str("\n  --> ");
            text.push_str(&display_path(&self.location.path));
            if self.location.line > 0 {
                text.push_str(&format!(
                    ":{}:{}",
                    self.location.line,
                    self.location.column.max(1)
                ));
            }
        }
        for related in &self.related {
            let at = &related.location;
            text.push_str(&format!(
                "\n  = note: {}:{}:{}: {}",
                display_path(&at.path),
                at.line.max(1),
                at.column.max(1),
                related.message
            ));
        }
        for note in &self.notes {
            // A note of several lines (a diff) is a block of its own.
            text.push_str(if note.trim_end().contains('\n') {
                "\n"
            } else {
                "\n  = note: "
            });
            text.push_str(note.trim_end());
        }
        if let Some(help) = &self.help {
            text.push_str("\n  = help: ");
            text.push_str(help);
        }
        text
    }

    /// With a snippet of the file, drawn by annotate-snippets.
    fn annotated(&self, (text, lines): (&str, &LineIndex), color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let mut title = level.primary_title(self.message.as_str());
        if let Some(code) = self.code {
            title = title.id(code);
        }
        let path = display_path(&self.location.path);
        let mut group = Group::with_title(title);
        let span = clamp(&self.location.span, text);
        let context: Vec<(Range<usize>, &str)> = self
            .related
            .iter()
            .filter(|r| r.location.path == self.location.path)
            .take(MAX_SNIPPET_RELATED)
            .map(|r| (clamp(&r.location.span, text), r.message.as_str()))
            .collect();
        // The whole lines from the first span to the last.
        let low = context
            .iter()
            .map(|(s, _)| s.start)
            .fold(span.start, usize::min);
        let high = context
            .iter()
            .map(|(s, _)| s.end)
            .fold(span.end, usize::max);
        let (first_line, _) = lines.line_column(text, low);
        let window = lines.line_range(text, first_line).map_or(0, |r| r.start)
            ..text[high..].find('\n').map_or(text.len(), |n| high + n);
        let shift = |s: &Range<usize>| s.start - window.start..s.end - window.start;
        let mut snippet = Snippet::source(&text[window.clone()])
            .line_start(first_line)
            .path(path.clone())
            .annotation(
                AnnotationKind::Primary
                    .span(shift(&span))
                    .label(self.label.as_str()),
            );
        for (span, message) in &context {
            snippet = snippet.annotation(AnnotationKind::Context.span(shift(span)).label(*message));
        }
        group = group.element(snippet);
        for note in &self.notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        let mut report = vec![group];
        // Related places in other files, and those of this file past the
        // snippet's share.
        let mut in_snippet = MAX_SNIPPET_RELATED;
        for related in &self.related {
            let here = related.location.path == self.location.path;
            if here && in_snippet > 0 {
                in_snippet -= 1;
            } else {
                let origin = annotate_snippets::Origin::path(display_path(&related.location.path))
                    .line(related.location.line.max(1))
                    .char_column(related.location.column.max(1));
                report.push(
                    Group::with_title(Level::NOTE.secondary_title(related.message.as_str()))
                        .element(origin),
                );
            }
        }
        if let Some(help) = &self.help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report)
    }
}

/// How many related places in the diagnostic's own file its snippet shows;
/// the others are listed after it, as places in other files are. The
/// renderer's time grows with the square of a snippet's annotations, and a
/// format written in thousands of places would take seconds to render.
const MAX_SNIPPET_RELATED: usize = 32;

/// A path as users typed it, with `/` on every platform so snapshots agree.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// annotate-snippets wants a span on char boundaries inside the text.
fn clamp(span: &Range<usize>, text: &str) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The text of every file a diagnostic may point into, for rendering, each
/// with its line index, so that a report costs time linear in its
/// diagnostics and files, however many diagnostics a file has.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: std::collections::HashMap<PathBuf, (String, LineIndex)>,
}

impl Sources {
    /// Adds (or replaces) the text of the file at `path`.
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        let text = text.into();
        let lines = LineIndex::new(&text);
        self.files.insert(path.into(), (text, lines));
    }

    /// The text of the file at `path`, if it is here.
    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(|(text, _)| text.as_str())
    }

    /// A file's text with its line index.
    pub fn get_indexed(&self, path: &Path) -> Option<(&str, &LineIndex)> {
        self.files
            .get(path)
            .map(|(text, lines)| (text.as_str(), lines))
    }

    /// [`LineIndex::line_column`] of an offset in a file, if its text is here.
    pub fn line_column(&self, path: &Path, offset: usize) -> Option<(usize, usize)> {
        let (text, lines) = self.get_indexed(path)?;
        Some(lines.line_column(text, offset))
    }

    /// The text of line `line` (1-based) of a file, without its line end.
    pub fn line(&self, path: &Path, line: usize) -> Option<&str> {
        let (text, lines) = self.get_indexed(path)?;
        let text = &text[lines.line_range(text, line)?];
        Some(text.strip_suffix('\r').unwrap_or(text))
    }
}

/// Diagnostics about one file, with its text, so they can be rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDiagnostics {
    /// The file.
    pub path: PathBuf,
    /// Its text.
    pub source: String,
    /// What is wrong in it, in the order of the file.
    pub diagnostics: Vec<Diagnostic>,
}

impl FileDiagnostics {
    /// Whether any of them is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Every diagnostic's [`Diagnostic::to_snippet`], separated by blank
    /// lines.
    pub fn to_snippets(&self, color: bool) -> String {
        let mut out = String::new();
        let lines = LineIndex::new(&self.source);
        for (i, diagnostic) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&diagnostic.to_snippet_indexed(Some((&self.source, &lines)), color));
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for FileDiagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.to_snippets(false).trim_end())
    }
}

/// Line and column (1-based, column in characters) of a byte offset, for a
/// single lookup; [`LineIndex`] for many in one text.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_column(text, offset)
}

/// Where a byte range inside a YAML string value sits in the file. `node`
/// is the scalar's location; when the value is written verbatim (plain or
/// quoted without escapes) the range maps exactly, otherwise the whole
/// scalar is returned.
pub(crate) fn sub_location(
    source: &str,
    node: &Location,
    value: &str,
    range: Range<usize>,
) -> Location {
    LineIndex::new(source).sub_location(source, node, value, range)
}

/// Line starts of a text, for many offset-to-position lookups without
/// rescanning the text each time.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// `sub_location`, with this index for the line and column.
    pub(crate) fn sub_location(
        &self,
        source: &str,
        node: &Location,
        value: &str,
        range: Range<usize>,
    ) -> Location {
        let raw = source.get(node.span.clone()).unwrap_or("");
        let quote = usize::from(raw.starts_with('"') || raw.starts_with('\''));
        let start = node.span.start + quote;
        if source.get(start..start + value.len()) == Some(value) && range.end <= value.len() {
            let begin = start + range.start;
            let (line, column) = self.line_column(source, begin);
            Location {
                path: node.path.clone(),
                line,
                column,
                span: begin..start + range.end,
            }
        } else {
            node.clone()
        }
    }

    /// The byte range of line `line` (1-based) of `text`, the text this
    /// index was built from, without its `\n`.
    pub fn line_range(&self, text: &str, line: usize) -> Option<Range<usize>> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map_or(text.len(), |next| next - 1);
        Some(start..end.max(start))
    }

    /// The byte offset of a 1-based `line` and `column` (in characters) of
    /// `text`, the text this index was built from: the inverse of
    /// [`LineIndex::line_column`]. Past the last line, the end of the text.
    pub fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(start) = self.starts.get(line.max(1) - 1) else {
            return text.len();
        };
        let rest = &text[*start..];
        start
            + rest
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(rest.len(), |(i, _)| i)
    }

    /// 1-based line and column (in characters) of a byte offset in `text`,
    /// the text this index was built from.
    pub fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_index_maps_offsets_to_positions_and_back() {
        let text = "ab\n\u{e9} x\n\nlast";
        let lines = LineIndex::new(text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let (line, column) = lines.line_column(text, offset);
            assert_eq!(lines.offset(text, line, column), offset, "{line}:{column}");
            assert_eq!(line_column(text, offset), (line, column));
        }
        // `é` is two bytes and one column: ` x` starts at column 2.
        assert_eq!(lines.line_column(text, 5), (2, 2));
        assert_eq!(lines.offset(text, 9, 1), text.len(), "past the last line");
        assert_eq!(lines.line_range(text, 3), Some(8..8));
    }

    #[test]
    fn without_a_snippet_the_header_names_the_place_then_notes_then_help() {
        let at = Location {
            path: "out.rs".into(),
            line: 2,
            column: 3,
            span: 0..0,
        };
        let one_line = Diagnostic::error("stale", at.clone())
            .with_note("only the line endings differ")
            .with_help("regenerate");
        assert_eq!(
            one_line.to_snippet(None, false),
            "error: stale\n  --> out.rs:2:3\n  = note: only the line endings differ\n  = help: regenerate"
        );
        let diff = Diagnostic::error("stale", at)
            .with_code("CK000")
            .with_note("--- a\n+++ b\n")
            .with_help("regenerate");
        assert_eq!(
            diff.to_snippet(None, false),
            "error[CK000]: stale\n  --> out.rs:2:3\n--- a\n+++ b\n  = help: regenerate"
        );
        let nowhere = Diagnostic::error("bad usage", Location::default())
            .with_severity(Severity::Note)
            .with_help("see --help");
        assert_eq!(
            nowhere.to_snippet(Some("text"), false),
            "note: bad usage\n  = help: see --help",
            "a diagnostic without a line has no snippet, even with the text"
        );
    }
}
