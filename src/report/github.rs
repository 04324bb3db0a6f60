//! `--format github`: GitHub Actions workflow commands. Printed in a
//! workflow step, each becomes an annotation on the pull request's diff:
//!
//! ```text
//! ::error file=src/a.rs,line=3,col=5,endLine=3,endColumn=20,title=CK002 (duplicate-key-format)::message
//! ```

use super::{Log, Region, Report, Sources, full_message, repo_path};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules;

/// One workflow command per diagnostic: `::error`, `::warning` or
/// `::notice`. The message carries related sites (`path:line:col: why`)
/// and the help on lines of their own, since an annotation has no other
/// place for them. Notifications come first, as commands without a file
/// (`::notice::no catalogue...`), which show on the workflow run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Github;

impl Report for Github {
    fn format_log(&self, log: &Log<'_>) -> String {
        let mut out = String::new();
        for d in log.notifications.iter().chain(log.diagnostics) {
            out.push_str(&command(d, log.sources));
            out.push('\n');
        }
        out
    }
}

fn command(d: &Diagnostic, sources: &Sources) -> String {
    let name = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut properties: Vec<(&str, String)> = Vec::new();
    if !d.location.path.as_os_str().is_empty() {
        properties.push(("file", repo_path(&d.location.path).0));
    }
    if let Some(region) = Region::of(&d.location, sources) {
        properties.push(("line", region.start_line.to_string()));
        match region.end {
            // Columns only on one line: GitHub ignores them across lines.
            Some((line, column)) if line == region.start_line && !region.is_empty() => {
                properties.push(("col", region.start_column.to_string()));
                properties.push(("endLine", line.to_string()));
                properties.push(("endColumn", column.to_string()));
            }
            Some((line, _)) if line > region.start_line => {
                properties.push(("endLine", line.to_string()));
            }
            _ => properties.push(("col", region.start_column.to_string())),
        }
    }
    if let Some(code) = d.code {
        let title = match rules::find(code) {
            Some(rule) => format!("{code} ({})", rule.name),
            None => code.to_owned(),
        };
        properties.push(("title", title));
    }
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    let mut line = format!("::{name}");
    if !properties.is_empty() {
        line.push(' ');
        line.push_str(&properties.join(","));
    }
    line.push_str("::");
    line.push_str(&escape_data(&full_message(d, true)));
    line
}

/// A command's message: `%`, CR and LF percent-encoded, as the Actions
/// runner decodes them.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: like data, plus `:` and `,`, which end a value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\nd"), "50%25 a%3Ab%2Cc%0Ad");
        // `%` first, so the escapes themselves are not escaped again.
        assert_eq!(escape_property("%3A"), "%253A");
    }
}
