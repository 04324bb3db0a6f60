//! Suppression comments: `// cachekeys: ignore[CK002] reason` on the line
//! of a finding or the line above, and `// cachekeys: file-ignore[CK003]`
//! for a whole file. A suppression that names an unknown code, is
//! malformed, or suppresses nothing is itself reported (CK101, CK100), so
//! suppressions cannot silently rot.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::source::lexer;
use crate::catalogue::names::did_you_mean;
use crate::diagnostic::{Diagnostic, LineIndex, Location};
use crate::rules::{
    self, ck002_duplicate_key_format, ck100_unused_suppression, ck101_invalid_suppression,
};

const MARKER: &str = "cachekeys:";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// This line and the next.
    Line(usize),
    File,
}

/// One code of one suppression comment.
#[derive(Clone, Debug)]
pub struct Suppression {
    pub code: &'static str,
    pub scope: Scope,
    pub location: Location,
    pub used: bool,
}

/// The suppressions of one file, and the problems with its comments.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    pub entries: Vec<Suppression>,
    pub invalid: Vec<Diagnostic>,
}

impl Suppressions {
    /// Reads the suppression comments of a Rust file. Cheap when there are
    /// none.
    pub fn parse(path: &Path, source: &str) -> Suppressions {
        if !source.contains(MARKER) {
            return Suppressions::default();
        }
        // The lexer's comments: a marker inside a string (even a `//` line
        // of a multi-line or raw string) or a block comment is no comment.
        // Doc comments document; only plain `//` comments suppress.
        let comments = lexer::comments(source).filter_map(|comment| {
            let body = source[comment.clone()].strip_prefix("//")?;
            (!body.starts_with(['/', '!'])).then_some((comment.start, body))
        });
        Suppressions::from_comments(path, source, "//", comments)
    }

    /// Reads suppression comments, given as each comment's offset and its
    /// text after the `leader` (`//` in Rust and TypeScript, `#` in Python).
    pub fn from_comments<'s>(
        path: &Path,
        source: &str,
        leader: &str,
        comments: impl IntoIterator<Item = (usize, &'s str)>,
    ) -> Suppressions {
        let mut out = Suppressions::default();
        if !source.contains(MARKER) {
            return out;
        }
        let lines = LineIndex::new(source);
        for (at, body) in comments {
            let Some(rest) = body.trim_start().strip_prefix(MARKER) else {
                continue;
            };
            let text = &source[at..at + leader.len() + body.len()];
            let (line, column) = lines.line_column(source, at);
            let location = Location {
                path: path.to_owned(),
                line,
                column,
                span: at..at + text.trim_end().len(),
            };
            let rest = rest.trim_start();
            let (scope, list) = if let Some(list) = rest.strip_prefix("ignore[") {
                (Scope::Line(line), list)
            } else if let Some(list) = rest.strip_prefix("file-ignore[") {
                (Scope::File, list)
            } else {
                out.invalid.push(invalid(
                    location,
                    "malformed suppression comment".to_owned(),
                    format!(
                        "write `{leader} cachekeys: ignore[CODE] reason` or `{leader} cachekeys: file-ignore[CODE]`"
                    ),
                ));
                continue;
            };
            let Some((codes, _reason)) = list.split_once(']') else {
                out.invalid.push(invalid(
                    location,
                    "unclosed `[` in suppression comment".to_owned(),
                    "close the list of codes with `]`".to_owned(),
                ));
                continue;
            };
            for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                match rules::find(code) {
                    Some(rule) => out.entries.push(Suppression {
                        code: rule.code,
                        scope,
                        location: location.clone(),
                        used: false,
                    }),
                    None => {
                        let codes: Vec<&str> = rules::ALL.iter().map(|r| r.code).collect();
                        let help = match did_you_mean(code, &codes) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "run `cachekeys rules` for the list of codes".to_owned(),
                        };
                        out.invalid.push(invalid(
                            location.clone(),
                            format!("unknown rule code `{code}` in suppression comment"),
                            help,
                        ));
                    }
                }
            }
        }
        out
    }

    /// Whether `diagnostic` is suppressed here; marks the suppression used.
    #[cfg(test)]
    pub fn suppresses(&mut self, diagnostic: &Diagnostic) -> bool {
        diagnostic
            .code
            .is_some_and(|code| self.suppresses_at(code, diagnostic.location.line))
    }

    /// Whether a finding of `code` on `line` is suppressed here; marks every
    /// suppression that applies used.
    fn suppresses_at(&mut self, code: &str, line: usize) -> bool {
        let mut hit = false;
        for entry in &mut self.entries {
            let applies = match entry.scope {
                Scope::File => true,
                Scope::Line(l) => l == line || l + 1 == line,
            };
            if applies && entry.code == code {
                entry.used = true;
                hit = true;
            }
        }
        hit
    }

    /// CK100 for every code that suppressed nothing, and CK101 for invalid
    /// comments.
    pub fn finish(self) -> Vec<Diagnostic> {
        let mut out = self.invalid;
        for entry in self.entries.into_iter().filter(|e| !e.used) {
            let rule = ck100_unused_suppression::RULE;
            out.push(
                Diagnostic::error(
                    format!("suppression of {} suppresses nothing", entry.code),
                    entry.location,
                )
                .with_code(rule.code)
                .with_severity(rule.severity)
                .with_label("unused suppression")
                .with_help("remove it, so a future finding is not hidden"),
            );
        }
        out
    }
}

/// The rules whose finding is a group of sites, its location and its
/// related locations, each written on purpose: a group is suppressed site
/// by site.
const GROUP_RULES: [&str; 1] = [ck002_duplicate_key_format::RULE.code];

/// Drops the findings that suppression comments suppress, then adds each
/// file's CK100 and CK101. A finding is suppressed by a comment on its
/// line or the line above in its file, or the file's `file-ignore`. A
/// CK002 finding is suppressed only when every one of its sites is: it
/// stays while any site is not, and a suppression on any site is used.
pub fn apply(
    findings: &mut Vec<Diagnostic>,
    files: impl IntoIterator<Item = (PathBuf, Suppressions)>,
) {
    let mut by_path: HashMap<PathBuf, Suppressions> = files.into_iter().collect();
    let mut suppressed = |code: &str, location: &Location| {
        by_path
            .get_mut(&location.path)
            .is_some_and(|s| s.suppresses_at(code, location.line))
    };
    findings.retain(|d| {
        let Some(code) = d.code else {
            return true;
        };
        if !GROUP_RULES.contains(&code) {
            return !suppressed(code, &d.location);
        }
        // Every site is looked at, so that each suppression is marked used.
        let mut open = false;
        for site in std::iter::once(&d.location).chain(d.related.iter().map(|r| &r.location)) {
            open |= !suppressed(code, site);
        }
        open
    });
    let mut paths: Vec<PathBuf> = by_path.keys().cloned().collect();
    paths.sort();
    for path in paths {
        if let Some(suppressions) = by_path.remove(&path) {
            findings.extend(suppressions.finish());
        }
    }
}

fn invalid(location: Location, message: String, help: String) -> Diagnostic {
    let rule = ck101_invalid_suppression::RULE;
    Diagnostic::error(message, location)
        .with_code(rule.code)
        .with_severity(rule.severity)
        .with_label("invalid suppression")
        .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn finding(code: &'static str, line: usize) -> Diagnostic {
        Diagnostic::error(
            "x",
            Location {
                path: "a.rs".into(),
                line,
                column: 1,
                span: 0..0,
            },
        )
        .with_code(code)
        .with_severity(Severity::Warning)
    }

    #[test]
    fn line_and_file_suppressions() {
        let src = "// cachekeys: file-ignore[CK003]\nlet a = 1; // cachekeys: ignore[CK002, CK004] shared\nlet b = 2;\n";
        let mut s = Suppressions::parse(Path::new("a.rs"), src);
        assert!(s.invalid.is_empty());
        assert!(s.suppresses(&finding("CK003", 9)));
        assert!(s.suppresses(&finding("CK002", 2)));
        assert!(s.suppresses(&finding("CK002", 3)), "the line below");
        assert!(!s.suppresses(&finding("CK002", 4)));
        assert!(!s.suppresses(&finding("CK001", 2)));
        let left = s.finish();
        assert_eq!(left.len(), 1, "CK004 suppressed nothing: {left:?}");
        assert_eq!(left[0].code, Some("CK100"));
        assert_eq!(left[0].location.line, 2);
    }

    #[test]
    fn comments_not_strings_or_docs() {
        let src = "let u = \"https://x/\"; // cachekeys: ignore[CK006]\nlet s = \"// cachekeys: ignore[CK002] x\";\n//! cachekeys: the crate\n/// cachekeys: ignore[CK001]\nlet c = '\"'; // cachekeys: ignore[CK003]\n";
        let s = Suppressions::parse(Path::new("a.rs"), src);
        assert!(s.invalid.is_empty(), "{:?}", s.invalid);
        let codes: Vec<_> = s.entries.iter().map(|e| (e.code, e.scope)).collect();
        assert_eq!(
            codes,
            [("CK006", Scope::Line(1)), ("CK003", Scope::Line(5))]
        );
    }

    /// Text that only looks like a suppression: a `//` line inside a
    /// multi-line string, a raw string, a byte string, and a nested block
    /// comment that a `*/` in the middle does not close.
    #[test]
    fn markers_in_strings_and_block_comments_are_no_suppressions() {
        let src = concat!(
            "let help = \"first line\n",
            "// cachekeys: ignore[CK002] in a string\n",
            "\";\n",
            "let raw = r#\"\n",
            "// cachekeys: ignore[CK003] in a raw string \" still inside\n",
            "\"#;\n",
            "let bytes = b\"\n// cachekeys: ignore[CK004]\n\";\n",
            "/* outer /* inner */\n",
            "// cachekeys: ignore[CK005] in a nested block comment\n",
            "*/\n",
            "let k = 1; // cachekeys: ignore[CK006] real\n",
        );
        let s = Suppressions::parse(Path::new("a.rs"), src);
        assert!(s.invalid.is_empty(), "{:?}", s.invalid);
        let codes: Vec<_> = s.entries.iter().map(|e| (e.code, e.scope)).collect();
        assert_eq!(codes, [("CK006", Scope::Line(13))]);
        assert_eq!(s.entries[0].location.column, 12);
    }

    #[test]
    fn invalid_suppressions() {
        let src = "// cachekeys: ignore[CK02]\n// cachekeys: disable\n// cachekeys: ignore[CK001\n";
        let s = Suppressions::parse(Path::new("a.rs"), src);
        let messages: Vec<_> = s.invalid.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown rule code `CK02` in suppression comment",
                "malformed suppression comment",
                "unclosed `[` in suppression comment"
            ]
        );
        assert!(s.invalid[0].help.as_deref().unwrap().contains("CK002"));
        assert!(s.invalid.iter().all(|d| d.code == Some("CK101")));
    }
}
