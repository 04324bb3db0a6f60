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

/// `{t}:e{i}:{id}` for `i` in `0..n`: a raw `str` first, so every entry
/// can render every other's literal text and every pair is a candidate.
fn raw_heads(n: usize, id: &str) -> Catalogue {
    let keys: String = (0..n)
        .map(|i| {
            format!(
                "  g.k{i}:\n    pattern: \"{{t}}:e{i}:{{id}}\"\n    params: {{ t: {{ type: str, encode: none }}, id: {id} }}\n"
            )
        })
        .collect();
    catalogue(&keys)
}

/// More candidate pairs than any budget could search: refused at once, in
/// one diagnostic, instead of held in memory pair by pair (10,000 such
/// entries took over a minute and 2.6 GB).
#[test]
fn a_catalogue_with_too_many_candidate_pairs_is_refused_in_one_diagnostic() {
    let found = check_within(&raw_heads(1500, "u64"), &mut Budget::default());
    let too_many: Vec<&Diagnostic> = found.iter().filter(|d| d.code == Some("CK004")).collect();
    assert_eq!(too_many.len(), 1, "{too_many:#?}");
    assert_eq!(
        too_many[0].message,
        "the catalogue was not proven safe: more than 1000000 pairs of entries could render the same key, too many to search"
    );
    assert_eq!(too_many[0].label, "the pairs went over the limit here");
    assert_eq!(too_many[0].severity, Severity::Error);
    // Fewer entries: every pair is searched as before.
    let found = check_within(&raw_heads(20, "u64"), &mut Budget::default());
    assert!(
        found
            .iter()
            .all(|d| !d.message.contains("too many to search"))
    );
}

/// `check --against`: a pair whose search runs out is refused as unproven.
#[test]
fn a_pair_of_old_and_new_entries_whose_search_runs_out_is_refused() {
    let old = raw_heads(1, "u64");
    let new = raw_heads(1, "str");
    let d = only(super::evolution::against_within(
        &old,
        &new,
        &mut Budget::new(1000, 3),
    ));
    assert_eq!(d.code, Some("CK007"));
    assert_eq!(
        d.message,
        "`g.k0` was not proven to keep the meaning of `g.k0` in the old catalogue: the search gave up after 3 steps"
    );
    assert_eq!(d.severity, Severity::Error);
    // With the default budget the same pair is decided: it changes meaning.
    let d = only(super::evolution::against(&old, &new));
    assert_eq!(
        d.message,
        "key `bench:1::e0:0` changes meaning without a version bump"
    );
}

/// `check --against`: once the budget is spent, the pairs left are refused
/// in one diagnostic, and no more are looked at (10,000 entries whose
/// every pair is a candidate took over two minutes before).
#[test]
fn a_spent_budget_leaves_one_diagnostic_for_the_pairs_not_searched() {
    let old = raw_heads(30, "u64");
    let new = raw_heads(30, "str");
    let found = super::evolution::against_within(&old, &new, &mut Budget::new(40, 40));
    let last = found.last().expect("diagnostics");
    assert!(
        last.message.starts_with(
            "the change was not proven safe: `check --against` ran out of budget after searching "
        ),
        "{}",
        last.message
    );
    assert_eq!(
        last.label,
        "from here on, pairs of old and new entries were not searched"
    );
    assert_eq!(
        found
            .iter()
            .filter(|d| d.message.contains("ran out of budget"))
            .count(),
        1
    );
}
