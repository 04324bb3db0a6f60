//! The search budget: what `check` reports when a search runs out, and
//! that the pathological entries finish in a bounded number of steps.

use super::automaton::Budget;
use super::check_within;
use crate::catalogue::{Catalogue, parse};
use crate::diagnostic::{Diagnostic, Severity};

fn catalogue(keys: &str) -> Catalogue {
    let yaml = format!("prefix: bench\nversion: 1\ntarget: redis\nkeys:\n{keys}");
    parse("keys.yaml", yaml).unwrap_or_else(|e| panic!("{e}"))
}

/// An entry `name` whose pattern `{a}x{b}` is unambiguous (`x` is no
/// digit) but needs a search: its two `u64`s share a segment.
fn two_numbers(name: &str) -> String {
    format!("  {name}:\n    pattern: \"{name}:{{a}}x{{b}}\"\n    params: {{ a: u64, b: u64 }}\n")
}

fn only(diagnostics: Vec<Diagnostic>) -> Diagnostic {
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    diagnostics
        .into_iter()
        .next()
        .unwrap_or_else(|| unreachable!())
}

/// 500 raw `str`s side by side: ambiguous, found in a handful of steps
/// (the search stops at the first diverged accepting pair it reaches).
#[test]
fn five_hundred_adjacent_raw_strs_are_ambiguous_within_a_few_steps() {
    let pattern: String = (0..500).map(|i| format!("{{p{i}}}")).collect();
    let params: Vec<String> = (0..500)
        .map(|i| format!("p{i}: {{ type: str, encode: none }}"))
        .collect();
    let wide = catalogue(&format!(
        "  wide:\n    pattern: \"x:{pattern}\"\n    params: {{ {} }}\n",
        params.join(", ")
    ));
    let mut budget = Budget::default();
    let before = budget.left();
    let found = check_within(&wide, &mut budget);
    let ambiguous: Vec<&Diagnostic> = found.iter().filter(|d| d.code == Some("CK004")).collect();
    assert_eq!(ambiguous.len(), 1, "{found:#?}");
    assert_eq!(
        ambiguous[0].message,
        "`wide` is ambiguous: two different argument lists render the same key"
    );
    let steps = before - budget.left();
    assert!(steps < 10_000, "{steps} steps");
}

/// Parameters one to a segment need no search at all, however many.
#[test]
fn parameters_between_separators_are_proven_without_a_search() {
    let pattern: Vec<String> = (0..2000).map(|i| format!("{{p{i}}}")).collect();
    let params: Vec<String> = (0..2000).map(|i| format!("p{i}: u64")).collect();
    let long = catalogue(&format!(
        "  long:\n    pattern: \"x:{}\"\n    params: {{ {} }}\n",
        pattern.join(":"),
        params.join(", ")
    ));
    let mut budget = Budget::default();
    let before = budget.left();
    let found = check_within(&long, &mut budget);
    assert!(found.iter().all(|d| d.code != Some("CK004")), "{found:#?}");
    assert_eq!(budget.left(), before);
}

#[test]
fn an_entry_whose_search_runs_out_is_refused_not_passed() {
    let entry = catalogue(&two_numbers("pair"));
    let d = only(check_within(&entry, &mut Budget::new(1000, 5)));
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.code, Some("CK004"));
    assert_eq!(
        d.message,
        "`pair` was not proven unambiguous: the search gave up after 5 steps"
    );
    assert_eq!(d.label, "too many ways to split a key among 2 parameters");
    assert_eq!(
        d.help.as_deref(),
        Some(
            "put literal text that no parameter can render between adjacent parameters (e.g. the separator) and at the start of each pattern, or split the catalogue"
        )
    );
    assert_eq!((d.location.line, d.location.column), (6, 14));
    // With room to search, the same entry is proven.
    assert!(check_within(&entry, &mut Budget::default()).is_empty());
}

#[test]
fn two_entries_whose_search_runs_out_are_refused_not_passed() {
    let pair = catalogue(
        "  a:\n    pattern: \"u:{id}\"\n    params: { id: u64 }\n  b:\n    pattern: \"u:{flag}\"\n    params: { flag: bool }\n",
    );
    let d = only(check_within(&pair, &mut Budget::new(1000, 3)));
    assert_eq!(d.code, Some("CK004"));
    assert_eq!(
        d.message,
        "`a` and `b` were not proven to render different keys: the search gave up after 3 steps"
    );
    assert_eq!((d.location.line, d.location.column), (9, 14));
    assert_eq!(d.related.len(), 1);
    assert_eq!(d.related[0].message, "`a`");
    assert!(check_within(&pair, &mut Budget::default()).is_empty());
}

/// Once the whole budget is spent, the searches left are counted in one
/// diagnostic at the first entry not searched.
#[test]
fn a_spent_budget_leaves_one_diagnostic_for_the_searches_not_done() {
    let keys: String = ["p1", "p2", "p3", "p4"].map(two_numbers).concat();
    let found = check_within(&catalogue(&keys), &mut Budget::new(5, 5));
    let messages: Vec<(&str, usize)> = found
        .iter()
        .map(|d| (d.message.as_str(), d.location.line))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "`p1` was not proven unambiguous: the search gave up after 5 steps",
                6
            ),
            (
                "the catalogue was not proven safe: 3 more searches for ambiguous or colliding keys did not fit in `check`'s budget",
                9
            ),
        ]
    );
    assert_eq!(found[1].label, "from here on, entries were not searched");
}
