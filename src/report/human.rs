//! `--format human`: rustc-style diagnostics with source snippets, rendered
//! by annotate-snippets, then a count line.

use super::{Log, Report, Summary, plural};

/// rustc-style output. Related sites in the same file are annotated in the
/// snippet; sites in other files follow as notes. Ends with
/// `found N errors and M warnings`; empty when there is nothing to report.
/// Notifications are left to the caller (see [`Log`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Human {
    /// ANSI colours.
    pub color: bool,
}

impl Report for Human {
    fn format_log(&self, log: &Log<'_>) -> String {
        let (diagnostics, sources) = (log.diagnostics, log.sources);
        let mut out = String::new();
        for diagnostic in diagnostics {
            out.push_str(
                &diagnostic
                    .to_snippet_indexed(sources.get_indexed(&diagnostic.location.path), self.color),
            );
            out.push_str("\n\n");
        }
        let summary = Summary::of(diagnostics);
        if !diagnostics.is_empty() {
            out.push_str(&format!(
                "found {} and {}\n",
                plural(summary.errors, "error"),
                plural(summary.warnings, "warning")
            ));
        }
        out
    }
}
