//! The rule registry: every stable code cachekeys reports, one file per
//! rule, in the library proper (no `cli` feature), so that the catalogue
//! (`lint.ignore`), `check` (keyspace), `lint` and the reports all read
//! codes from here. Each rule's doc comment (What it does / Why is this
//! bad? / Example) is captured as text by [`declare_rule!`], so the same
//! words feed `cachekeys rules CODE`, the README and SARIF help. What a
//! rule checks lives with the command that checks it: `lint::rules` for
//! the sites of a Rust tree, `keyspace` for a catalogue.

pub mod ck001_catalogue_key_by_hand;
pub mod ck002_duplicate_key_format;
pub mod ck003_separator_collision;
pub mod ck004_ambiguous_keys;
pub mod ck005_key_too_long;
pub mod ck006_forbidden_key_characters;
pub mod ck007_key_meaning_changed;
pub mod ck008_ttl_over_30_days;
pub mod ck009_cross_slot_group;
pub mod ck010_movable_hash_tag;
pub mod ck011_unmappable_dependency;
pub mod ck100_unused_suppression;
pub mod ck101_invalid_suppression;

use crate::diagnostic::Severity;

/// A rule's identity and documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, e.g. `CK003`.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `separator-collision`.
    pub name: &'static str,
    /// The severity of its findings in `lint`.
    pub severity: Severity,
    /// One line, for listings and SARIF `shortDescription`.
    pub summary: &'static str,
    /// The doc comment, as written (each line with its leading space).
    raw_docs: &'static str,
}

impl Rule {
    /// The documentation as Markdown, leading doc-comment spaces removed.
    pub fn docs(&self) -> String {
        let mut text: String = self
            .raw_docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n");
        text.truncate(text.trim_end().len());
        text
    }
}

/// Declares a rule constant and keeps its doc comment as text.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub const $konst:ident = {
            code: $code:literal,
            name: $name:literal,
            severity: $severity:expr,
            summary: $summary:literal $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub const $konst: $crate::rules::Rule = $crate::rules::Rule {
            code: $code,
            name: $name,
            severity: $severity,
            summary: $summary,
            raw_docs: concat!($($doc, "\n"),*),
        };
    };
}
pub(crate) use declare_rule;

/// Every rule, in code order.
pub const ALL: [Rule; 13] = [
    ck001_catalogue_key_by_hand::RULE,
    ck002_duplicate_key_format::RULE,
    ck003_separator_collision::RULE,
    ck004_ambiguous_keys::RULE,
    ck005_key_too_long::RULE,
    ck006_forbidden_key_characters::RULE,
    ck007_key_meaning_changed::RULE,
    ck008_ttl_over_30_days::RULE,
    ck009_cross_slot_group::RULE,
    ck010_movable_hash_tag::RULE,
    ck011_unmappable_dependency::RULE,
    ck100_unused_suppression::RULE,
    ck101_invalid_suppression::RULE,
];

/// Every rule's code, in code order.
pub const CODES: [&str; ALL.len()] = {
    let mut codes = [""; ALL.len()];
    let mut i = 0;
    while i < ALL.len() {
        codes[i] = ALL[i].code;
        i += 1;
    }
    codes
};

/// The rule with this code (case-insensitive) or kebab-case name.
pub fn find(code_or_name: &str) -> Option<Rule> {
    ALL.iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented_in_three_sections() {
        for rule in ALL {
            let docs = rule.docs();
            for section in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(
                    docs.contains(section),
                    "{} lacks {section}:\n{docs}",
                    rule.code
                );
            }
            assert!(!docs.starts_with(' '));
        }
        let codes: Vec<_> = ALL.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "codes are unique and in order");
        assert_eq!(codes, CODES);
        assert_eq!(find("ck003").map(|r| r.name), Some("separator-collision"));
        assert_eq!(find("ambiguous-keys").map(|r| r.code), Some("CK004"));
    }
}
