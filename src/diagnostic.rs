//! Diagnostics: one model for every problem cachekeys reports.
//!
//! A bad catalogue, an unsafe key and a hand-written key are all a
//! [`Diagnostic`]: a severity, an optional stable rule code, a message, and a
//! precise place in a file. Each output format renders the same value, so the
//! human text, JSON and CI annotations can never disagree about where a
//! problem is. Human output is rustc-style, rendered by annotate-snippets.

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
    Warning,
    Error,
}

impl Severity {
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
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub span: Range<usize>,
}

/// A secondary place that explains the primary one ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// One problem, at one place, with an optional fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable rule code such as `CK004`; `None` for plain input errors.
    pub code: Option<&'static str>,
    pub message: String,
    pub location: Location,
    /// Text under the primary caret.
    pub label: String,
    pub related: Vec<Related>,
    /// How to fix it, in one sentence.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, location: Location) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: None,
            message: message.into(),
            location,
            label: String::new(),
            related: Vec::new(),
            help: None,
        }
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    /// Renders rustc-style. `source` is the text of the diagnostic's file;
    /// without it only the header and the `-->` line are printed.
    pub fn render(&self, source: Option<&str>, color: bool) -> String {
        let lines = source.map(LineIndex::new);
        self.render_indexed(source.zip(lines.as_ref()), color)
    }

    /// [`Diagnostic::render`], with the file's line index built once for
    /// all its diagnostics: only the lines the snippet shows are handed to
    /// the renderer, so each diagnostic costs its own lines, not the file.
    pub fn render_indexed(&self, source: Option<(&str, &LineIndex)>, color: bool) -> String {
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
        match source {
            Some((text, lines)) if self.location.line > 0 => {
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
                    snippet = snippet
                        .annotation(AnnotationKind::Context.span(shift(span)).label(*message));
                }
                group = group.element(snippet);
            }
            _ => {
                let origin = annotate_snippets::Origin::path(path.clone())
                    .line(self.location.line.max(1))
                    .char_column(self.location.column.max(1));
                group = group.element(origin);
            }
        }
        let mut report = vec![group];
        // Related places in other files, and those of this file past the
        // snippet's share (or all of them, without the file's text).
        let mut in_snippet = if source.is_some() && self.location.line > 0 {
            MAX_SNIPPET_RELATED
        } else {
            0
        };
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
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        let text = text.into();
        let lines = LineIndex::new(&text);
        self.files.insert(path.into(), (text, lines));
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(|(text, _)| text.as_str())
    }

    /// A file's text with its line index.
    pub fn get_indexed(&self, path: &Path) -> Option<(&str, &LineIndex)> {
        self.files
            .get(path)
            .map(|(text, lines)| (text.as_str(), lines))
    }

    /// [`line_column`] of an offset in a file, if its text is here.
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
    pub path: PathBuf,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileDiagnostics {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Every diagnostic, rendered, separated by blank lines.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        let lines = LineIndex::new(&self.source);
        for (i, diagnostic) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&diagnostic.render_indexed(Some((&self.source, &lines)), color));
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for FileDiagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(false).trim_end())
    }
}

/// Line and column (1-based, column in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Where a byte range inside a YAML string value sits in the file. `node`
/// is the scalar's location; when the value is written verbatim (plain or
/// quoted without escapes) the range maps exactly, otherwise the whole
/// scalar is returned.
pub fn sub_location(source: &str, node: &Location, value: &str, range: Range<usize>) -> Location {
    LineIndex::new(source).sub_location(source, node, value, range)
}

/// Line starts of a text, for many offset-to-position lookups without
/// rescanning the text each time.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// [`sub_location`], with this index for the line and column.
    pub fn sub_location(
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
