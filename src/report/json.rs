//! `--format json`: one object, `{"diagnostics": [...], "notifications":
//! [...], "summary": {...}}`. Lines and columns are 1-based; columns count
//! characters. An error about a whole file (a catalogue that cannot be
//! read) has `null` line and column; one about no file (a usage error) a
//! `null` path too.
//!
//! The fields are those of [`DiagnosticView`], `NotificationView` and
//! `SummaryView`, serialised by serde. serde_json writes an object's fields
//! in the order they are declared, so they are declared in byte order
//! (`code` before `column`), the order the report has always had.

use serde::Serialize;

use super::{Log, Report, Sources, Summary};
use crate::diagnostic::{Diagnostic, Location, display_path};

/// The whole report.
#[derive(Serialize)]
struct LogView<'a> {
    diagnostics: Vec<DiagnosticView<'a>>,
    notifications: Vec<NotificationView<'a>>,
    summary: SummaryView,
}

/// One diagnostic, as `--format json` writes it.
#[derive(Serialize)]
pub struct DiagnosticView<'a> {
    code: Option<&'a str>,
    column: Option<usize>,
    /// Where the primary span ends; the start's line and column for an
    /// empty span.
    end_column: Option<usize>,
    end_line: Option<usize>,
    help: Option<&'a str>,
    label: &'a str,
    line: Option<usize>,
    message: &'a str,
    path: Option<String>,
    related: Vec<RelatedView<'a>>,
    severity: &'static str,
}

/// A related place of a diagnostic.
#[derive(Serialize)]
struct RelatedView<'a> {
    column: Option<usize>,
    line: Option<usize>,
    message: &'a str,
    path: Option<String>,
}

/// A note about the run itself.
#[derive(Serialize)]
struct NotificationView<'a> {
    help: Option<&'a str>,
    message: &'a str,
    severity: &'static str,
}

/// Counts by severity.
#[derive(Serialize)]
struct SummaryView {
    errors: usize,
    warnings: usize,
}

/// A 1-based number, or `None` (`null`) for 0: no line known.
fn number(n: usize) -> Option<usize> {
    (n != 0).then_some(n)
}

/// A path, or `None` (`null`) for none.
fn path(path: &std::path::Path) -> Option<String> {
    (!path.as_os_str().is_empty()).then(|| display_path(path))
}

impl<'a> DiagnosticView<'a> {
    /// The view of `d`; `sources` gives the end of its span.
    pub fn of(d: &'a Diagnostic, sources: &Sources) -> DiagnosticView<'a> {
        let (end_line, end_column) = end(&d.location, sources);
        DiagnosticView {
            code: d.code,
            column: number(d.location.column),
            end_column: number(end_column),
            end_line: number(end_line),
            help: d.help.as_deref(),
            label: &d.label,
            line: number(d.location.line),
            message: &d.message,
            path: path(&d.location.path),
            related: d
                .related
                .iter()
                .map(|r| RelatedView {
                    column: number(r.location.column),
                    line: number(r.location.line),
                    message: &r.message,
                    path: path(&r.location.path),
                })
                .collect(),
            severity: d.severity.as_str(),
        }
    }
}

/// Where a location's span ends, when its file's text is at hand and the
/// span is not empty; its start otherwise.
fn end(location: &Location, sources: &Sources) -> (usize, usize) {
    if location.span.end > location.span.start
        && let Some(end) = sources.line_column(&location.path, location.span.end)
    {
        return end;
    }
    (location.line, location.column)
}

/// `--format json`: `{"diagnostics": [...], "notifications": [...],
/// "summary": {"errors", "warnings"}}`, each diagnostic a
/// [`DiagnosticView`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Json;

impl Report for Json {
    fn format_log(&self, log: &Log<'_>) -> String {
        let summary = Summary::of(log.diagnostics);
        let view = LogView {
            diagnostics: log
                .diagnostics
                .iter()
                .map(|d| DiagnosticView::of(d, log.sources))
                .collect(),
            notifications: log
                .notifications
                .iter()
                .map(|n| NotificationView {
                    help: n.help.as_deref(),
                    message: &n.message,
                    severity: n.severity.as_str(),
                })
                .collect(),
            summary: SummaryView {
                errors: summary.errors,
                warnings: summary.warnings,
            },
        };
        let mut text = serde_json::to_string_pretty(&view).unwrap_or_default();
        text.push('\n');
        text
    }
}
