//! `lint`, rule by rule, on the fixture trees under `tests/fixtures/lint/`.
//!
//! Each tree holds positive and negative cases for one rule (or for
//! suppressions, the traps that must stay silent, generated files). Each
//! test lints one tree through the library, asserts the exact multiset of
//! `(code, file, line)` findings, so every positive is found and every
//! negative is silent, and snapshots the human report.
//!
//! Paths are relative to the crate root, which is the working directory
//! cargo gives integration tests; no test changes directory, so the paths
//! in reports and snapshots are the same on every machine.
//!
//! The `regressions/` trees hold false positives and false negatives found
//! while writing these tests, each with the test that keeps it fixed.

use std::path::{Path, PathBuf};

use cachekeys::__private::report::{Format, format_report as render};
use cachekeys::diagnostic::Diagnostic;
use cachekeys::lint::{Options, Outcome, lint};

use crate::common;

/// The fixture trees, relative to the crate root.
const FIXTURES: &str = "tests/fixtures/lint";

/// A finding as the tests compare it: code (`note` for a diagnostic without
/// one), path relative to the fixture tree, line.
type Finding = (String, String, usize);

/// The path of a fixture tree or file, relative to the crate root.
fn fixture(dir: &str) -> PathBuf {
    let path = Path::new(FIXTURES).join(dir);
    assert!(
        path.exists(),
        "{} does not exist: integration tests run in the crate root",
        path.display()
    );
    path
}

/// Lints a fixture with the catalogue `catalogue` (relative to the tree)
/// when given, on one thread.
fn run_with(dir: &str, catalogue: Option<&str>) -> Outcome {
    let path = fixture(dir);
    let catalogue = catalogue.map(|name| {
        let file = path.join(name);
        cachekeys::catalogue::load(&file)
            .unwrap_or_else(|e| panic!("{} does not load:\n{e}", file.display()))
    });
    lint(&Options {
        paths: vec![path],
        catalogue,
        threads: 1,
    })
}

/// Lints a fixture tree with its `keys.yaml` when it has one.
fn run(dir: &str) -> Outcome {
    let has_catalogue = fixture(dir).join("keys.yaml").is_file();
    run_with(dir, has_catalogue.then_some("keys.yaml"))
}

/// The findings of `outcome`, sorted, with paths relative to `dir`.
fn findings(dir: &str, diagnostics: &[Diagnostic]) -> Vec<Finding> {
    let base = fixture(dir);
    let mut found: Vec<Finding> = diagnostics
        .iter()
        .map(|d| {
            let path = d.location.path.strip_prefix(&base).unwrap_or_else(|_| {
                panic!(
                    "{} is outside {}",
                    d.location.path.display(),
                    base.display()
                )
            });
            (
                d.code.unwrap_or("note").to_owned(),
                path.to_string_lossy().replace('\\', "/"),
                d.location.line,
            )
        })
        .collect();
    found.sort();
    found
}

/// Asserts the exact multiset of findings of `dir`.
#[track_caller]
fn assert_findings(dir: &str, outcome: &Outcome, expected: &[(&str, &str, usize)]) {
    let mut expected: Vec<Finding> = expected
        .iter()
        .map(|&(code, path, line)| (code.to_owned(), path.to_owned(), line))
        .collect();
    expected.sort();
    let actual = findings(dir, &outcome.diagnostics);
    assert_eq!(actual, expected, "findings of {dir}:\n{}", human(outcome));
}

/// The human report, without colour.
fn human(outcome: &Outcome) -> String {
    render(Format::Human, &outcome.diagnostics, &outcome.sources, false)
}

#[test]
fn ck001_catalogue_keys_written_by_hand() {
    let outcome = run("ck001");
    assert_findings(
        "ck001",
        &outcome,
        &[
            // The bare pattern, the full key, the prefix alone, the version
            // alone.
            ("CK001", "src/profiles.rs", 5),
            ("CK001", "src/profiles.rs", 10),
            ("CK001", "src/profiles.rs", 15),
            ("CK001", "src/profiles.rs", 21),
            ("CK001", "src/renamed.rs", 4),
            // A `&str` value: the length rule reports too (the catalogue
            // targets memcached); one value cannot collide (no CK003).
            ("CK001", "src/users.rs", 5),
            ("CK005", "src/users.rs", 5),
        ],
    );
    let text = human(&outcome);
    // The generated function's full path, with the site's own arguments.
    assert!(
        text.contains("call the generated function instead: `keys::profiles::profile(user_id)`"),
        "{text}"
    );
    assert!(
        text.contains("`keys::users::session(session_id)`"),
        "{text}"
    );
    assert!(text.contains("`keys::feeds::home(locale, page)`"), "{text}");
    assert!(
        text.contains("`keys::profiles::profile(account.id)`"),
        "the site's own argument: {text}"
    );
    assert!(
        text.contains("tests/fixtures/lint/ck001/keys.yaml"),
        "{text}"
    );
    insta::assert_snapshot!("ck001", text);
}

#[test]
fn ck002_duplicate_key_formats() {
    let outcome = run("ck002");
    assert_findings(
        "ck002",
        &outcome,
        &[
            // `user:{}:profile` three times, `sessions/{}` twice: reported
            // once each, at the first site in path order.
            ("CK002", "src/admin.rs", 5),
            ("CK002", "src/admin.rs", 9),
        ],
    );
    let related: Vec<Vec<(String, usize)>> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            d.related
                .iter()
                .map(|r| {
                    let path = r.location.path.strip_prefix(fixture("ck002")).unwrap();
                    (path.to_string_lossy().into_owned(), r.location.line)
                })
                .collect()
        })
        .collect();
    assert_eq!(
        related,
        [
            vec![
                ("src/jobs.rs".to_owned(), 5),
                ("src/profile.rs".to_owned(), 5)
            ],
            vec![("src/jobs.rs".to_owned(), 6)],
        ]
    );
    insta::assert_snapshot!("ck002", human(&outcome));
}

#[test]
fn ck002_is_the_same_whatever_the_thread_count() {
    let one = run("ck002");
    let many = lint(&Options {
        paths: vec![fixture("ck002")],
        catalogue: None,
        threads: 4,
    });
    assert_eq!(one.diagnostics, many.diagnostics);
}

#[test]
fn ck003_free_text_next_to_a_separator() {
    let outcome = run("ck003");
    assert_findings(
        "ck003",
        &outcome,
        &[
            ("CK003", "src/lib.rs", 8),
            ("CK003", "src/lib.rs", 12),
            ("CK003", "src/lib.rs", 16),
            ("CK003", "src/lib.rs", 20),
            ("CK003", "src/lib.rs", 26),
            // Free text on both sides of an integer.
            ("CK003", "src/lib.rs", 32),
        ],
    );
    let message = |line: usize| {
        outcome
            .diagnostics
            .iter()
            .find(|d| d.location.line == line)
            .map(|d| d.message.clone())
            .unwrap()
    };
    assert_eq!(
        message(26),
        "`name.to_string()` and `field` can each contain `:`, the separator between them in `doc:{}:{}`, so two different argument lists give the same key"
    );
    assert_eq!(
        message(32),
        "`locale` and `position` can each contain `-`, the separator between them in `feed-{}-{}-{}`, so two different argument lists give the same key"
    );
    insta::assert_snapshot!("ck003", human(&outcome));
}

#[test]
fn ck004_families_that_can_build_the_same_key() {
    let outcome = run("ck004");
    // The ids are `&str`; each key has one value, so no CK003.
    assert_findings(
        "ck004",
        &outcome,
        &[
            ("CK004", "src/clients.rs", 9),
            // `item-{}` spells `logo`.
            ("CK004", "src/several.rs", 6),
            ("CK004", "src/several.rs", 7),
        ],
    );
    // One finding for `item-logo-{}`, naming both shorter families.
    let several = &outcome.diagnostics[2];
    assert_eq!(
        several.message,
        "`item-{}`, `item-logo{}` and `item-logo-{}` can build the same key"
    );
    assert_eq!(several.related.len(), 2);
    let ck004 = &outcome.diagnostics[0];
    assert_eq!(ck004.related.len(), 1);
    assert_eq!(ck004.related[0].location.line, 5, "the short family's site");
    insta::assert_snapshot!("ck004", human(&outcome));
}

#[test]
fn suppressions() {
    let outcome = run("suppression");
    assert_findings(
        "suppression",
        &outcome,
        &[
            // Unknown code, malformed, unclosed: CK101, and the findings
            // they meant to suppress stay.
            ("CK006", "src/invalid.rs", 5),
            ("CK101", "src/invalid.rs", 5),
            ("CK101", "src/invalid.rs", 6),
            ("CK006", "src/invalid.rs", 7),
            ("CK101", "src/invalid.rs", 8),
            ("CK006", "src/invalid.rs", 9),
            // Lines 5, 7, 8 and 10 are suppressed; CK002 on line 9 is not
            // used; the comment on line 14 is two lines above its target;
            // line 17 suppresses the wrong rule.
            ("CK100", "src/lines.rs", 9),
            ("CK100", "src/lines.rs", 14),
            ("CK006", "src/lines.rs", 16),
            ("CK006", "src/lines.rs", 17),
            ("CK100", "src/lines.rs", 17),
            ("CK100", "src/stale.rs", 4),
            // file-ignore: CK003 and CK005 of line 6 suppressed, CK004
            // unused, CK006 still reported.
            ("CK100", "src/whole_file.rs", 2),
            ("CK006", "src/whole_file.rs", 10),
        ],
    );
    let unknown = outcome
        .diagnostics
        .iter()
        .find(|d| d.code == Some("CK101"))
        .unwrap();
    assert_eq!(
        unknown.message,
        "unknown rule code `CK06` in suppression comment"
    );
    assert_eq!(unknown.help.as_deref(), Some("did you mean `CK006`?"));
    insta::assert_snapshot!("suppression", human(&outcome));
}

#[test]
fn traps_are_silent() {
    let outcome = run("traps");
    assert_findings("traps", &outcome, &[]);
    assert_eq!(human(&outcome), "");
    // Every trap file was read: none was skipped with a note.
    let files = std::fs::read_dir(fixture("traps/src")).unwrap().count();
    assert_eq!(outcome.files, files);
}

#[test]
fn an_explicit_file_is_linted_alone() {
    let catalogue = cachekeys::catalogue::load(fixture("ck006/keys.yaml")).unwrap();
    let outcome = lint(&Options {
        paths: vec![fixture("ck006/src/reports.rs")],
        catalogue: Some(catalogue),
        threads: 1,
    });
    let lines: Vec<_> = outcome
        .diagnostics
        .iter()
        .map(|d| (d.code, d.location.line))
        .collect();
    assert_eq!(
        lines,
        [
            (Some("CK006"), 5),
            (Some("CK006"), 10),
            (Some("CK006"), 15),
            (Some("CK006"), 19),
        ]
    );
    assert_eq!(outcome.files, 1);
}

/// The catalogue a fixture tree is linted with.
#[derive(Clone, Copy)]
enum WithCatalogue {
    /// The tree's `keys.yaml` when it has one.
    OfTheTree,
    /// No catalogue, even where the tree has one.
    Without,
    /// This file, relative to the tree.
    File(&'static str),
}

/// A fixture tree and the exact findings lint reports in it.
struct Tree {
    /// The case's name, reported when it fails.
    name: &'static str,
    /// The tree, relative to [`FIXTURES`].
    dir: &'static str,
    catalogue: WithCatalogue,
    /// Every finding, as `(code, path relative to the tree, line)`.
    findings: &'static [(&'static str, &'static str, usize)],
    /// The snapshot of the human report, where the tree has one.
    snapshot: Option<&'static str>,
}

impl common::Case for Tree {
    fn name(&self) -> &str {
        self.name
    }
}

/// Trees whose findings, exactly, are the whole claim. The regressions
/// (`regressions/`) are known bugs, fixed: each case asserts the correct
/// behaviour.
const TREES: &[Tree] = &[
    Tree {
        // Without a catalogue nothing says the key goes to memcached: no
        // length claim; one value cannot collide with itself; and no
        // CK001. The profile format written twice is a duplicate.
        name: "ck001_needs_a_catalogue",
        dir: "ck001",
        catalogue: WithCatalogue::Without,
        findings: &[("CK002", "src/profiles.rs", 5)],
        snapshot: None,
    },
    Tree {
        name: "ck005_keys_over_memcached_limit",
        dir: "ck005",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[("CK005", "src/search.rs", 5), ("CK005", "src/search.rs", 9)],
        snapshot: Some("ck005"),
    },
    Tree {
        name: "ck005_is_not_reported_under_redis",
        dir: "ck005",
        catalogue: WithCatalogue::File("redis.yaml"),
        findings: &[],
        snapshot: None,
    },
    Tree {
        name: "ck006_whitespace_and_control_characters",
        dir: "ck006",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[
            ("CK006", "src/reports.rs", 5),
            ("CK006", "src/reports.rs", 10),
            ("CK006", "src/reports.rs", 15),
            ("CK006", "src/reports.rs", 19),
        ],
        snapshot: Some("ck006"),
    },
    Tree {
        // keys.rs has findings under its `@generated` header; late_marker.rs
        // has the marker on line 6, too late.
        name: "generated_files_are_skipped",
        dir: "generated",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[("CK006", "src/late_marker.rs", 9)],
        snapshot: Some("generated"),
    },
    Tree {
        name: "suppression_after_a_url_string",
        dir: "regressions/suppression_after_url",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[],
        snapshot: None,
    },
    Tree {
        name: "suppression_marker_in_a_string",
        dir: "regressions/suppression_marker_in_string",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[],
        snapshot: None,
    },
    Tree {
        name: "doc_comment_prose_is_not_a_suppression",
        dir: "regressions/doc_comment_prose",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[],
        snapshot: None,
    },
    Tree {
        name: "str_parameters_with_lifetimes_are_text",
        dir: "regressions/lifetime_str_param",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[("CK003", "src/lib.rs", 4), ("CK003", "src/lib.rs", 8)],
        snapshot: None,
    },
    Tree {
        name: "as_ref_of_an_as_ref_str_parameter_is_text",
        dir: "regressions/as_ref_str",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[("CK003", "src/lib.rs", 4)],
        snapshot: None,
    },
    Tree {
        name: "host_and_port_addresses_are_not_keys",
        dir: "regressions/host_address",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[],
        snapshot: None,
    },
    Tree {
        name: "a_url_written_twice_is_not_a_key",
        dir: "regressions/url_written_twice",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[],
        snapshot: None,
    },
    Tree {
        name: "set_on_a_once_lock_is_not_a_cache_call",
        dir: "regressions/set_on_any_receiver",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[],
        snapshot: None,
    },
    Tree {
        name: "prefilter_keeps_cache_calls_without_the_word_cache",
        dir: "regressions/prefilter_no_trigger",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[("CK003", "src/lib.rs", 4)],
        snapshot: None,
    },
    Tree {
        name: "odd_receivers_still_reach_a_cache",
        dir: "regressions/odd_receivers",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[("CK003", "src/lib.rs", 6), ("CK003", "src/lib.rs", 10)],
        snapshot: None,
    },
    Tree {
        name: "spaced_keys_reach_a_cache_through_a_binding",
        dir: "regressions/spaced_through_binding",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[("CK006", "src/lib.rs", 5)],
        snapshot: None,
    },
    Tree {
        name: "prefilter_honours_custom_separators",
        dir: "regressions/custom_separator",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[("CK003", "src/lib.rs", 4), ("CK005", "src/lib.rs", 4)],
        snapshot: None,
    },
    Tree {
        name: "keys_returned_indirectly_from_key_functions",
        dir: "regressions/returned_indirectly",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[
            ("CK003", "src/lib.rs", 4),
            // A member named `anonymous` shares the anonymous key.
            ("CK004", "src/lib.rs", 9),
            ("CK003", "src/lib.rs", 11),
        ],
        snapshot: None,
    },
    Tree {
        name: "padded_numbers_in_cache_keys",
        dir: "regressions/padded_number",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[
            ("CK006", "src/lib.rs", 4),
            // `{:08}` of a `u64` holds no `:`: `name` alone cannot collide.
            ("CK005", "src/lib.rs", 8),
        ],
        snapshot: None,
    },
    Tree {
        name: "a_250_byte_literal_with_a_hole_is_too_long",
        dir: "regressions/literal_250_with_hole",
        catalogue: WithCatalogue::OfTheTree,
        findings: &[("CK005", "src/lib.rs", 5)],
        snapshot: None,
    },
];

#[test]
fn each_tree_gives_exactly_its_findings() {
    common::each_case(TREES, |tree| {
        let outcome = match tree.catalogue {
            WithCatalogue::OfTheTree => run(tree.dir),
            WithCatalogue::Without => run_with(tree.dir, None),
            WithCatalogue::File(file) => run_with(tree.dir, Some(file)),
        };
        assert_findings(tree.dir, &outcome, tree.findings);
        if let Some(snapshot) = tree.snapshot {
            insta::assert_snapshot!(snapshot, human(&outcome));
        }
    });
}

// Known bugs: each test asserts the correct behaviour.

#[test]
fn labels_print_parameter_types_as_written() {
    let outcome = run("ck003");
    let labels: Vec<&str> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == Some("CK003"))
        .map(|d| d.label.as_str())
        .collect();
    assert!(
        labels.iter().any(|l| l.contains("`Cow<'_, str>`")),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l.contains("`impl std::fmt::Display`")),
        "{labels:?}"
    );
}

// Claims that hold: value knowledge, store-aware limits, test code,
// programs, one finding per site, messages that say what to do.

#[test]
fn value_knowledge_finds_values_that_can_hold_the_separator() {
    let dir = "values";
    let outcome = run(dir);
    assert_findings(
        dir,
        &outcome,
        &[
            // Free text, standard base64 under `/`, an IP address under
            // `:` (with text, and two IPv6 addresses), `{:?}` of text,
            // lower-cased text.
            ("CK003", "src/found.rs", 5),
            ("CK003", "src/found.rs", 12),
            ("CK003", "src/found.rs", 17),
            ("CK003", "src/found.rs", 22),
            ("CK003", "src/found.rs", 26),
            ("CK003", "src/found.rs", 31),
            // Nothing in not_found.rs: integers, bool, Uuid (as a value,
            // a reference, its text, new_v4(), simple(), lower-cased),
            // Ulid, Ipv4Addr (under `:` and `.`), NaiveDate, a chrono
            // DateTime, hex::encode, `{:x}`, a sha256 helper, URL-safe
            // base64 under `:`, and an unknown field.
        ],
    );
    let labels: Vec<&str> = outcome
        .diagnostics
        .iter()
        .map(|d| d.label.as_str())
        .collect();
    assert!(
        labels.contains(&"`peer` is a `std::net::IpAddr` parameter; `zone` is a `&str` parameter"),
        "{labels:?}"
    );
    assert!(
        labels.iter().any(|l| l.contains("encodes it")),
        "the base64 engine is named: {labels:?}"
    );
}

#[test]
fn store_aware_limits_without_a_catalogue() {
    let dir = "stores";
    let outcome = run_with(dir, None);
    assert_findings(
        dir,
        &outcome,
        &[
            // memcached: unbounded, spaced.
            ("CK005", "src/lib.rs", 5),
            ("CK006", "src/lib.rs", 6),
            // An object store (line 19): 1,024 bytes, and a value of
            // unknown length is no evidence there; spaces are allowed.
            // 269 bytes: fine for the object store (line 27), not for
            // memcached.
            ("CK005", "src/lib.rs", 35),
            // Two unbounded values: one CK005 names both.
            ("CK003", "src/lib.rs", 48),
            ("CK005", "src/lib.rs", 48),
            // Bounded values whose bounds add up past 250 (the Uuid's
            // text on line 71 fits).
            ("CK005", "src/lib.rs", 68),
            // Redis (typed and `cmd("GET")`), sled, moka, unknown sinks:
            // nothing; a Uuid's text into memcached is bounded (line 43).
        ],
    );
    let message = |line: usize| {
        outcome
            .diagnostics
            .iter()
            .find(|d| d.location.line == line && d.code == Some("CK005"))
            .map(|d| d.message.clone())
            .unwrap()
    };
    assert_eq!(
        message(35),
        "this key is at least 269 bytes, over memcached's 250-byte limit"
    );
    assert_eq!(
        message(48),
        "`org` and `query` are unbounded text, so this key can exceed memcached's 250-byte limit"
    );
    assert_eq!(
        message(68),
        "this key can be 261 bytes, over memcached's 250-byte limit"
    );
    insta::assert_snapshot!("stores", human(&outcome));
}

#[test]
fn unknown_sinks_follow_a_memcached_catalogue() {
    let dir = "stores";
    let outcome = run(dir);
    let unknown: Vec<(&str, usize)> = outcome
        .diagnostics
        .iter()
        .filter(|d| (61..=64).contains(&d.location.line))
        .map(|d| (d.code.unwrap(), d.location.line))
        .collect();
    assert_eq!(unknown, [("CK005", 62), ("CK006", 63)]);
    // Known sinks keep their own rules: nothing more than without one.
    let without = run_with(dir, None);
    assert_eq!(outcome.diagnostics.len(), without.diagnostics.len() + 2);
}

#[test]
fn unknown_sinks_under_redis_have_no_limits() {
    let dir = "stores";
    let outcome = run_with(dir, Some("redis.yaml"));
    let without = run_with(dir, None);
    assert_eq!(
        findings(dir, &outcome.diagnostics),
        findings(dir, &without.diagnostics)
    );
}

#[test]
fn test_code_copies_production_keys() {
    let dir = "test_copies";
    let outcome = run(dir);
    assert_findings(
        dir,
        &outcome,
        &[
            // `profile:{}` twice in production; the test copies are
            // related sites. `avatar:{}` once in production plus a test
            // copy is a duplicate too (the copy must change with it);
            // `shared:{}` in two tests is not. `client_{}` and
            // `client_logo_{}` are copied by a test as well.
            ("CK002", "src/lib.rs", 4),
            ("CK002", "src/lib.rs", 13),
            ("CK002", "src/lib.rs", 17),
            ("CK002", "src/lib.rs", 21),
            // One CK004 for the production families; the test copies of
            // both families add none.
            ("CK004", "src/lib.rs", 21),
            // No CK003 or CK005 in test code: the `#[tokio::test]`
            // function, the helper in `#[cfg(test)]`, the bench.
        ],
    );
    let ck002 = &outcome.diagnostics[0];
    assert_eq!(
        ck002.message,
        "the key format `profile:{}` is written in 2 places (and 3 test copies)"
    );
    let related: Vec<(String, usize, &str)> = ck002
        .related
        .iter()
        .map(|r| {
            let path = r.location.path.strip_prefix(fixture(dir)).unwrap();
            (
                path.to_string_lossy().into_owned(),
                r.location.line,
                r.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        related,
        [
            ("src/lib.rs".to_owned(), 8, "also written here"),
            (
                "examples/demo.rs".to_owned(),
                4,
                "a test copy, which must change with it"
            ),
            (
                "src/lib.rs".to_owned(),
                35,
                "a test copy, which must change with it"
            ),
            (
                "tests/it.rs".to_owned(),
                15,
                "a test copy, which must change with it"
            ),
        ]
    );
    assert_eq!(outcome.diagnostics[1].related.len(), 1);
    insta::assert_snapshot!("test_copies", human(&outcome));
}

#[test]
fn ck002_groups_per_program() {
    let dir = "programs";
    let outcome = run(dir);
    // billing and mailer are two programs that both use `job:{}`; api and
    // worker are one workspace and share `task:{}`.
    assert_findings(dir, &outcome, &[("CK002", "shop/api/src/main.rs", 4)]);
    assert_eq!(outcome.diagnostics[0].related.len(), 1);
}

#[test]
fn keys_yaml_entries_are_ready_to_paste() {
    // Every CK002 and CK003 entry, pasted into a catalogue, loads, and
    // lint then reports each of those sites as the catalogue key by hand.
    let dir = "ck003";
    let outcome = run(dir);
    let mut catalogue = String::from("keys:\n");
    let mut sites = Vec::new();
    for d in outcome
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code, Some("CK002" | "CK003")))
    {
        let help = d.help.as_deref().unwrap();
        let (_, entry) = help.split_once(":\n").unwrap();
        assert!(entry.starts_with("  "), "{help}");
        catalogue.push_str(entry);
        catalogue.push('\n');
        sites.push(d.location.line);
    }
    assert_eq!(sites.len(), 6);
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("keys.yaml");
    std::fs::write(&file, &catalogue).unwrap();
    let loaded = cachekeys::catalogue::load(&file)
        .unwrap_or_else(|e| panic!("the entries do not load:\n{catalogue}\n{e}"));
    // And `check` finds no separator or ambiguity problem in them (it may
    // ask for a `max_len` on free text: how long is the user's call).
    let problems: Vec<String> = cachekeys::check(&loaded)
        .into_iter()
        .filter(|d| matches!(d.code, Some("CK003" | "CK004")))
        .map(|d| d.message)
        .collect();
    assert_eq!(problems, Vec::<String>::new(), "{catalogue}");
    let outcome = lint(&Options {
        paths: vec![fixture(dir)],
        catalogue: Some(loaded),
        threads: 1,
    });
    let ck001: Vec<usize> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == Some("CK001"))
        .map(|d| d.location.line)
        .collect();
    assert_eq!(ck001, sites, "{}", human(&outcome));
}

#[test]
fn ck002_prints_a_catalogue_entry_with_typed_params() {
    let outcome = run("ck002");
    let help = outcome.diagnostics[0].help.as_deref().unwrap();
    assert_eq!(
        help,
        "build this key in one function, or add it to the catalogue and call the generated function:\n  user.profile:\n    pattern: \"user:{id}:profile\"\n    params:\n      id: u64"
    );
}
