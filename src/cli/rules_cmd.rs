//! `cachekeys rules`: every rule in a table, or one rule's documentation.

use super::{EXIT_BAD_INPUT, EXIT_CLEAN};
use cachekeys::__private::did_you_mean;
use cachekeys::__private::rules::{self, Rule};
use cachekeys::diagnostic::{Diagnostic, Location};

pub(crate) fn run(code_or_name: Option<&str>) -> u8 {
    let text = match code_or_name {
        None => list(&rules::ALL),
        Some(word) => match rules::find(word) {
            Some(rule) => explain(&rule),
            None => {
                eprintln!("{}", unknown(word).to_snippet(None, super::color()));
                return EXIT_BAD_INPUT;
            }
        },
    };
    match super::write(super::Stream::Stdout, &text) {
        Ok(()) => EXIT_CLEAN,
        Err(code) => code,
    }
}

/// One row per rule, columns aligned:
///
/// ```text
/// CODE   NAME                 SEVERITY  SUMMARY
/// CK003  separator-collision  warning   A value interpolated into a key ...
/// ```
fn list(all: &[Rule]) -> String {
    let header = ("CODE", "NAME", "SEVERITY", "SUMMARY");
    let rows: Vec<(&str, &str, &str, &str)> = std::iter::once(header)
        .chain(
            all.iter()
                .map(|r| (r.code, r.name, r.severity.as_str(), r.summary)),
        )
        .collect();
    let width =
        |column: fn(&(&str, &str, &str, &str)) -> usize| rows.iter().map(column).max().unwrap_or(0);
    let code = width(|r| r.0.len());
    let name = width(|r| r.1.len());
    let severity = width(|r| r.2.len());
    let mut out = String::new();
    for (c, n, s, summary) in rows {
        out.push_str(&format!(
            "{c:<code$}  {n:<name$}  {s:<severity$}  {summary}\n"
        ));
    }
    out
}

/// `CK003 separator-collision (warning)`, a blank line, then the docs as
/// Markdown.
fn explain(rule: &Rule) -> String {
    format!(
        "{} {} ({})\n\n{}\n",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        rule.docs()
    )
}

/// The error for a code or name no rule has, with the closest one.
fn unknown(word: &str) -> Diagnostic {
    let codes: Vec<&str> = rules::ALL.iter().map(|r| r.code).collect();
    let names: Vec<&str> = rules::ALL.iter().map(|r| r.name).collect();
    let suggestion = did_you_mean(&word.to_ascii_uppercase(), &codes)
        .or_else(|| did_you_mean(&word.to_ascii_lowercase(), &names))
        .and_then(rules::find);
    let help = match suggestion {
        Some(rule) => format!("did you mean `{}` ({})?", rule.code, rule.name),
        None => "run `cachekeys rules` to list every rule".to_owned(),
    };
    Diagnostic::error(format!("unknown rule `{word}`"), Location::default()).with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_rules_suggest_the_closest_code_or_name() {
        assert!(
            unknown("ck03")
                .to_snippet(None, false)
                .ends_with("did you mean `CK003` (separator-collision)?")
        );
        assert!(
            unknown("seperator-collision")
                .to_snippet(None, false)
                .ends_with("did you mean `CK003` (separator-collision)?")
        );
        assert!(
            unknown("nonsense")
                .to_snippet(None, false)
                .ends_with("run `cachekeys rules` to list every rule")
        );
    }
}
