//! `--format json`: one object, `{"diagnostics": [...], "notifications":
//! [...], "summary": {...}}`. Lines and columns are 1-based; columns count
//! characters. An error about a whole file (a catalogue that cannot be
//! read) has `null` line and column; one about no file (a usage error) a
//! `null` path too.

use serde_json::{Value, json};

use super::{Log, Report, Sources, Summary};
use crate::diagnostic::{Diagnostic, Location, display_path};

fn position(location: &Location, sources: &Sources) -> (usize, usize) {
    if location.span.end > location.span.start
        && let Some(end) = sources.line_column(&location.path, location.span.end)
    {
        return end;
    }
    (location.line, location.column)
}

/// A 1-based number, or `null` for 0 (no line known).
fn number(n: usize) -> Value {
    if n == 0 { Value::Null } else { json!(n) }
}

/// A path, or `null` for none.
fn path(path: &std::path::Path) -> Value {
    if path.as_os_str().is_empty() {
        Value::Null
    } else {
        json!(display_path(path))
    }
}

pub fn diagnostic(d: &Diagnostic, sources: &Sources) -> Value {
    let (end_line, end_column) = position(&d.location, sources);
    let related: Vec<Value> = d
        .related
        .iter()
        .map(|r| {
            json!({
                "path": path(&r.location.path),
                "line": number(r.location.line),
                "column": number(r.location.column),
                "message": r.message,
            })
        })
        .collect();
    json!({
        "code": d.code,
        "severity": d.severity.as_str(),
        "message": d.message,
        "path": path(&d.location.path),
        "line": number(d.location.line),
        "column": number(d.location.column),
        "end_line": number(end_line),
        "end_column": number(end_column),
        "label": d.label,
        "help": d.help,
        "related": related,
    })
}

/// `--format json`: `{"diagnostics": [...], "notifications": [...],
/// "summary": {"errors", "warnings"}}`, each diagnostic with `code`,
/// `severity`, `message`, `path`, `line`, `column`, `end_line`,
/// `end_column`, `label`, `help` and `related`; each notification with
/// `severity`, `message` and `help`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Json;

impl Report for Json {
    fn render_log(&self, log: &Log<'_>) -> String {
        render_log(log)
    }
}

pub fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    render_log(&Log {
        diagnostics,
        sources,
        notifications: &[],
    })
}

fn render_log(log: &Log<'_>) -> String {
    let summary = Summary::of(log.diagnostics);
    let notifications: Vec<Value> = log
        .notifications
        .iter()
        .map(|n| {
            json!({
                "severity": n.severity.as_str(),
                "message": n.message,
                "help": n.help,
            })
        })
        .collect();
    let value = json!({
        "diagnostics": log.diagnostics.iter().map(|d| diagnostic(d, log.sources)).collect::<Vec<_>>(),
        "notifications": notifications,
        "summary": { "errors": summary.errors, "warnings": summary.warnings },
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
