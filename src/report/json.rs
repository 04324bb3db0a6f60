//! `--format json`: one object, `{"diagnostics": [...], "summary": {...}}`.
//! Lines and columns are 1-based; columns count characters.

use serde_json::{Value, json};

use super::{Report, Sources, Summary};
use crate::diagnostic::{Diagnostic, Location, display_path};

fn position(location: &Location, sources: &Sources) -> (usize, usize) {
    if location.span.end > location.span.start
        && let Some(end) = sources.line_column(&location.path, location.span.end)
    {
        return end;
    }
    (location.line, location.column)
}

pub fn diagnostic(d: &Diagnostic, sources: &Sources) -> Value {
    let (end_line, end_column) = position(&d.location, sources);
    let related: Vec<Value> = d
        .related
        .iter()
        .map(|r| {
            json!({
                "path": display_path(&r.location.path),
                "line": r.location.line,
                "column": r.location.column,
                "message": r.message,
            })
        })
        .collect();
    json!({
        "code": d.code,
        "severity": d.severity.as_str(),
        "message": d.message,
        "path": display_path(&d.location.path),
        "line": d.location.line,
        "column": d.location.column,
        "end_line": end_line,
        "end_column": end_column,
        "label": d.label,
        "help": d.help,
        "related": related,
    })
}

/// `--format json`: `{"diagnostics": [...], "summary": {"errors", "warnings"}}`,
/// each diagnostic with `code`, `severity`, `message`, `path`, `line`,
/// `column`, `end_line`, `end_column`, `label`, `help` and `related`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Json;

impl Report for Json {
    fn render(&self, diagnostics: &[Diagnostic], sources: &Sources) -> String {
        render(diagnostics, sources)
    }
}

pub fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let summary = Summary::of(diagnostics);
    let value = json!({
        "diagnostics": diagnostics.iter().map(|d| diagnostic(d, sources)).collect::<Vec<_>>(),
        "summary": { "errors": summary.errors, "warnings": summary.warnings },
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
