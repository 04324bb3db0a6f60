//! The lint rules that read the sites of a Rust tree: one file per rule,
//! each with the rule's `check`. Their codes and documentation are the
//! registry's ([`crate::rules`]); CK100 and CK101 are reported by
//! `suppress`, not here.

use crate::diagnostic::Diagnostic;
use crate::lint::Context;
use crate::rules::Rule;

/// A rule's check: reads every site and pushes its findings.
pub type Check = fn(&Context<'_>, &mut Vec<Diagnostic>);

/// Declares each rule module and lists its check, so that a rule file is
/// added in one place.
macro_rules! site_rules {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// Each rule that reads sites, with its check.
        pub const CHECKS: &[(Rule, Check)] = &[$(($module::RULE, $module::check)),*];
    };
}

site_rules!(
    ck001_catalogue_key_by_hand,
    ck002_duplicate_key_format,
    ck003_separator_collision,
    ck004_ambiguous_keys,
    ck005_key_too_long,
    ck006_forbidden_key_characters,
);

/// Runs every rule of the registry that has a check, in code order.
pub fn check_all(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for rule in crate::rules::ALL {
        if let Some((_, check)) = CHECKS.iter().find(|(r, _)| r.code == rule.code) {
            check(context, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code of the registry is reported by something: a check here,
    /// the catalogue's own checks (`keyspace`, which `lint` runs too), or
    /// the suppression comments.
    #[test]
    fn every_registry_rule_is_reported() {
        let elsewhere = [
            crate::keyspace::evolution::MEANING_CHANGED,
            crate::keyspace::policy::TTL_OVER_30_DAYS,
            crate::keyspace::slot::CROSS_SLOT_GROUP,
            crate::keyspace::slot::MOVABLE_HASH_TAG,
            crate::keyspace::invalidation::UNMAPPABLE_DEPENDENCY,
            crate::rules::ck100_unused_suppression::RULE.code,
            crate::rules::ck101_invalid_suppression::RULE.code,
        ];
        for rule in crate::rules::ALL {
            let checked = CHECKS.iter().filter(|(r, _)| *r == rule).count();
            assert_eq!(
                checked + usize::from(elsewhere.contains(&rule.code)),
                1,
                "{}",
                rule.code
            );
        }
    }
}
