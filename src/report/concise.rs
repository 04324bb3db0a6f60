//! `--format concise`: one line per finding, ruff-style, for grep and for
//! editors that jump to `path:line:col`.

use super::{Log, Report};
use crate::diagnostic::display_path;

/// `path:line:col: CODE [severity] message`, one line per diagnostic. A
/// diagnostic without a code (a note about a file that could not be read)
/// has its severity instead: `path:line:col: note message`. Line breaks in
/// a message become spaces, so every finding stays on one line. An error
/// about no file (a usage error) starts `cachekeys: error`. Notifications
/// are left to the caller (see [`Log`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Concise;

impl Report for Concise {
    fn format_log(&self, log: &Log<'_>) -> String {
        let mut out = String::new();
        for d in log.diagnostics {
            let location = &d.location;
            if location.path.as_os_str().is_empty() {
                out.push_str("cachekeys");
            } else {
                out.push_str(&display_path(&location.path));
            }
            if location.line > 0 {
                out.push_str(&format!(":{}:{}", location.line, location.column.max(1)));
            }
            out.push_str(": ");
            match d.code {
                Some(code) => out.push_str(&format!("{code} [{}] ", d.severity.as_str())),
                None => {
                    out.push_str(d.severity.as_str());
                    out.push(' ');
                }
            }
            let message: Vec<&str> = d
                .message
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .collect();
            out.push_str(&message.join(" "));
            out.push('\n');
        }
        out
    }
}
