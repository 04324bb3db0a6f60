//! Output formats. Every command that reports findings renders the same
//! [`Diagnostic`] values through one of these, so formats never disagree.

pub mod json;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Severity};

/// How findings are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source snippets.
    Human,
    /// One JSON object with a `diagnostics` array.
    Json,
}

/// The text of every file a diagnostic may point into.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: HashMap<PathBuf, String>,
}

impl Sources {
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.files.insert(path.into(), text.into());
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Summary {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Summary {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Renders diagnostics in `format`. Human output ends with a count line
/// and is empty when there is nothing to report.
pub fn render(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &Sources,
    color: bool,
) -> String {
    match format {
        Format::Json => json::render(diagnostics, sources),
        Format::Human => {
            let mut out = String::new();
            for diagnostic in diagnostics {
                out.push_str(&diagnostic.render(sources.get(&diagnostic.location.path), color));
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
}
