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
            Some(text) if self.location.line > 0 => {
                let span = clamp(&self.location.span, text);
                let mut snippet = Snippet::source(text).path(path.clone()).annotation(
                    AnnotationKind::Primary
                        .span(span)
                        .label(self.label.as_str()),
                );
                for related in &self.related {
                    if related.location.path == self.location.path {
                        let span = clamp(&related.location.span, text);
                        snippet = snippet.annotation(
                            AnnotationKind::Context
                                .span(span)
                                .label(related.message.as_str()),
                        );
                    }
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
        for related in &self.related {
            if related.location.path != self.location.path {
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

/// The text of every file a diagnostic may point into, for rendering.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: std::collections::HashMap<PathBuf, String>,
}

impl Sources {
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.files.insert(path.into(), text.into());
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(String::as_str)
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
        for (i, diagnostic) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&diagnostic.render(Some(&self.source), color));
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
