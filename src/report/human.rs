//! `--format human`: rustc-style diagnostics with source snippets, rendered
//! by annotate-snippets, then a count line.

use super::{Report, Sources, Summary, plural};
use crate::diagnostic::Diagnostic;

/// rustc-style output. Related sites in the same file are annotated in the
/// snippet; sites in other files follow as notes. Ends with
/// `found N errors and M warnings`; empty when there is nothing to report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Human {
    /// ANSI colours.
    pub color: bool,
}

impl Report for Human {
    fn render(&self, diagnostics: &[Diagnostic], sources: &Sources) -> String {
        let mut out = String::new();
        for diagnostic in diagnostics {
            out.push_str(
                &diagnostic
                    .render_indexed(sources.get_indexed(&diagnostic.location.path), self.color),
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
