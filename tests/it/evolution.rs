//! `check --against OLD` (CK007): one test per kind of catalogue change,
//! each checking the verdict and the counterexample key with both meanings;
//! two property tests, on random catalogues and on random edits of one:
//! every counterexample really renders under both catalogues with the
//! meanings reported, and every rendered key that changed meaning is
//! reported (no false negatives); and the CLI with a file and with a
//! `git:REV:PATH` in a temp repository.

use crate::common;

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::assert::Assert;
use cachekeys::__private::key_text;
use cachekeys::__private::keyspace::evolution::{MEANING_CHANGED, against};
use cachekeys::__private::report::{Format, Sources, format_report as render_report};
use cachekeys::catalogue::{self, Catalogue};
use cachekeys::diagnostic::{Diagnostic, Severity};
use common::cachekeys;
use predicates::prelude::*;
use proptest::prelude::*;

const BASE: &str = r#"prefix: shop
version: 1
keys:
  users.profile:
    pattern: "users:profile:{user_id}"
    params: { user_id: u64 }
    value: ProfileV1
  feeds.page:
    pattern: "feeds:{user_id}:{page}"
    params: { user_id: u64, page: u32 }
  users.by_email:
    pattern: "users:by-email:{email}"
    params: { email: { type: str, max_len: 60 } }
"#;

fn load(path: &str, source: &str) -> Catalogue {
    catalogue::parse(path, source).unwrap_or_err_panic(source)
}

trait OrPanic {
    fn unwrap_or_err_panic(self, source: &str) -> Catalogue;
}

impl OrPanic for Result<Catalogue, cachekeys::Error> {
    #[track_caller]
    fn unwrap_or_err_panic(self, source: &str) -> Catalogue {
        self.unwrap_or_else(|e| panic!("does not load:\n{e}\n{source}"))
    }
}

/// CK007 findings of `old` (as `old.yaml`) against `new` (as `keys.yaml`),
/// and the human report.
fn compare_with(old: &str, new: &str) -> (Vec<Diagnostic>, String) {
    let old = load("old.yaml", old);
    let new = load("keys.yaml", new);
    let diagnostics = against(&old, &new);
    let mut sources = Sources::default();
    sources.insert(old.path.clone(), old.source.clone());
    sources.insert(new.path.clone(), new.source.clone());
    let report = render_report(Format::Human, &diagnostics, &sources, false);
    (diagnostics, report)
}

/// An edit of `BASE`: the old or the new catalogue of a case.
type Edit = fn(&str) -> String;

/// `BASE` as it is.
fn unchanged(base: &str) -> String {
    base.to_owned()
}

/// A change of the catalogue that keeps every key's meaning.
struct Kept {
    /// The case's name, reported when it fails.
    name: &'static str,
    /// The new catalogue, made from `BASE` (the old one).
    new: Edit,
}

common::named_rows!(Kept);

/// A change that gives one key another meaning: all of the one CK007.
struct Changed {
    /// The case's name, reported when it fails.
    name: &'static str,
    old: Edit,
    new: Edit,
    /// The key, where the entry stands, and the fix.
    key: &'static Counterexample,
    /// The new meaning, the finding's label.
    now: &'static str,
    /// The old meaning, the related note in `old.yaml`.
    was: &'static str,
    /// The snapshot of the human report, where the case has one.
    snapshot: Option<&'static str>,
}

common::named_rows!(Changed);

/// What a CK007 says of its key, whatever the change of meaning.
struct Counterexample {
    message: &'static str,
    /// Line and column of the entry's pattern, the same in both catalogues.
    at: (usize, usize),
    help: &'static str,
}

/// `shop:1:users:profile:0`, of an entry that kept its name.
const PROFILE_0: Counterexample = Counterexample {
    message: "key `shop:1:users:profile:0` changes meaning without a version bump",
    at: (5, 14),
    help: "bump the version: `version: 2` on `users.profile` (or a higher top-level `version`), so servers on the old and the new catalogue never share a key",
};

const KEPT: &[Kept] = &[
    Kept {
        name: "an_unchanged_catalogue_is_clean",
        new: unchanged,
    },
    Kept {
        // The per-key version separates the renders.
        name: "a_per_key_version_bump_makes_a_changed_pattern_safe",
        new: |base| {
            base.replace(
                "    pattern: \"feeds:{user_id}:{page}\"\n",
                "    pattern: \"feeds:{page}:{user_id}\"\n    version: 2\n",
            )
        },
    },
    Kept {
        // And so does the top-level one.
        name: "a_top_level_version_bump_makes_a_changed_pattern_safe",
        new: |base| {
            base.replace("version: 1", "version: 2")
                .replace("feeds:{user_id}:{page}", "feeds:{page}:{user_id}")
        },
    },
    Kept {
        // Every key both render decodes to the same number.
        name: "a_wider_integer_type_keeps_the_meaning",
        new: |base| base.replace("page: u32", "page: u64"),
    },
    Kept {
        name: "a_removed_key_is_fine",
        new: |base| {
            let new = base.replace(
                "  users.by_email:\n    pattern: \"users:by-email:{email}\"\n    params: { email: { type: str, max_len: 60 } }\n",
                "",
            );
            assert!(!new.contains("by_email"), "the entry is still there");
            new
        },
    },
    Kept {
        name: "a_disjoint_new_key_is_fine",
        new: |base| {
            format!(
                "{base}  users.avatar:\n    pattern: \"users:avatar:{{user_id}}\"\n    params: {{ user_id: u64 }}\n"
            )
        },
    },
];

const CHANGED: &[Changed] = &[
    Changed {
        // A key whose two readings give the parameters different values.
        name: "a_pattern_changed_without_a_bump_is_reported_with_both_meanings",
        old: unchanged,
        new: |base| base.replace("feeds:{user_id}:{page}", "feeds:{page}:{user_id}"),
        key: &Counterexample {
            message: "key `shop:1:feeds:8:5` changes meaning without a version bump",
            at: (9, 14),
            help: "bump the version: `version: 2` on `feeds.page` (or a higher top-level `version`), so servers on the old and the new catalogue never share a key",
        },
        now: "now `feeds.page` with page = 8, user_id = 5",
        was: "was `feeds.page` with user_id = 8, page = 5",
        snapshot: Some("pattern_changed"),
    },
    Changed {
        name: "a_param_type_changed_from_u64_to_str_is_reported",
        old: unchanged,
        new: |base| {
            base.replace(
                "params: { user_id: u64 }\n    value",
                "params: { user_id: { type: str, max_len: 20 } }\n    value",
            )
        },
        key: &PROFILE_0,
        now: "now `users.profile` (value `ProfileV1`) with user_id = \"0\"",
        was: "was `users.profile` (value `ProfileV1`) with user_id = 0",
        snapshot: None,
    },
    Changed {
        name: "a_changed_value_type_is_reported",
        old: unchanged,
        new: |base| base.replace("value: ProfileV1", "value: ProfileV2"),
        key: &PROFILE_0,
        now: "now `users.profile` (value `ProfileV2`) with user_id = 0",
        was: "was `users.profile` (value `ProfileV1`) with user_id = 0",
        snapshot: None,
    },
    Changed {
        // Adding a value where there was none changes it too.
        name: "a_value_type_added_where_there_was_none_is_reported",
        old: |base| base.replace("    value: ProfileV1\n", ""),
        new: unchanged,
        key: &PROFILE_0,
        now: "now `users.profile` (value `ProfileV1`) with user_id = 0",
        was: "was `users.profile` with user_id = 0",
        snapshot: None,
    },
    Changed {
        name: "a_renamed_entry_that_reuses_a_removed_entrys_strings_is_reported",
        old: unchanged,
        new: |base| base.replace("  users.profile:", "  accounts.profile:"),
        key: &Counterexample {
            help: "give `accounts.profile` a version the old `users.profile` never rendered, e.g. `version: 2`, so it cannot read values the old entry wrote",
            ..PROFILE_0
        },
        now: "now `accounts.profile` (value `ProfileV1`) with user_id = 0",
        was: "was `users.profile` (value `ProfileV1`) with user_id = 0",
        snapshot: Some("renamed_entry"),
    },
    Changed {
        // Both read `abc` alike; only text with `%` tells them apart.
        name: "percent_encoding_dropped_is_reported_on_a_key_with_an_escape",
        old: unchanged,
        new: |base| {
            base.replace(
                "email: { type: str, max_len: 60 }",
                "email: { type: str, max_len: 60, encode: none }",
            )
        },
        key: &Counterexample {
            message: "key `shop:1:users:by-email:%00` changes meaning without a version bump",
            at: (12, 14),
            help: "bump the version: `version: 2` on `users.by_email` (or a higher top-level `version`), so servers on the old and the new catalogue never share a key",
        },
        now: "now `users.by_email` with email = \"%00\"",
        was: "was `users.by_email` with email = \"\\0\"",
        snapshot: None,
    },
];

#[test]
fn each_kept_meaning_is_clean() {
    common::each_case(KEPT, |case| {
        let (diagnostics, report) = compare_with(BASE, &(case.new)(BASE));
        assert!(diagnostics.is_empty(), "{report}");
    });
}

#[test]
fn each_changed_meaning_is_reported_with_both_meanings() {
    common::each_case(CHANGED, |case| {
        let (mut diagnostics, report) = compare_with(&(case.old)(BASE), &(case.new)(BASE));
        assert_eq!(diagnostics.len(), 1, "expected one finding:\n{report}");
        let d = diagnostics.remove(0);
        assert_eq!(d.code, Some(MEANING_CHANGED));
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.message, case.key.message);
        assert_eq!(d.label, case.now);
        assert_eq!(d.location.path.to_str(), Some("keys.yaml"));
        assert_eq!((d.location.line, d.location.column), case.key.at);
        assert_eq!(d.related.len(), 1, "{report}");
        let was = &d.related[0];
        assert_eq!(was.message, case.was);
        assert_eq!(was.location.path.to_str(), Some("old.yaml"));
        assert_eq!((was.location.line, was.location.column), case.key.at);
        assert_eq!(d.help.as_deref(), Some(case.key.help));
        if let Some(snapshot) = case.snapshot {
            insta::assert_snapshot!(snapshot, report);
        }
    });
}

/// A moved parameter whose first counterexample reads alike (`k:11` is
/// `a = 1` under both `k:1{a}` and `k:{a}1`): the search passes over it to
/// a key that reads differently (found by the property below).
#[test]
fn a_moved_parameter_is_shown_with_a_key_that_reads_differently() {
    let catalogue = |pattern: &str| {
        format!(
            "target: none\nkeys:\n  e.one:\n    pattern: \"{pattern}\"\n    params: {{ a: u8 }}\n"
        )
    };
    let (diagnostics, report) = compare_with(&catalogue("k:1{a}"), &catalogue("k:{a}1"));
    assert_eq!(diagnostics.len(), 1, "{report}");
    let d = &diagnostics[0];
    assert_eq!(
        d.message,
        "key `k:161` changes meaning without a version bump"
    );
    assert_eq!(d.label, "now `e.one` with a = 16");
    assert_eq!(d.related[0].message, "was `e.one` with a = 61");
}

// ---------------------------------------------------------------------------
// Property: every counterexample renders under both catalogues, with the
// meanings reported.

fn param_type() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "u8",
        "i16",
        "u64",
        "bool",
        "{ type: str, max_len: 4 }",
        "{ type: str, max_len: 4, encode: none }",
        "{ type: enum, values: [a, b1, \"7\"] }",
    ])
}

/// One entry's fields: name, head, first type, optional (separator,
/// second type), tail, value, version.
type Fields = (
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
    &'static str,
    Option<&'static str>,
    Option<u8>,
);

fn fields() -> impl Strategy<Value = Fields> {
    (
        prop::sample::select(vec!["e.one", "e.two", "f.one"]),
        prop::sample::select(vec!["k:", "k:1", "k", ""]),
        param_type(),
        prop::option::of((prop::sample::select(vec![":", "-", ""]), param_type())),
        prop::sample::select(vec!["", ":x", "1"]),
        prop::option::of(prop::sample::select(vec!["V1", "V2"])),
        prop::option::of(1u8..3),
    )
}

/// The YAML of one entry.
fn entry_text(f: &Fields) -> String {
    let (name, head, a, b, tail, value, version) = *f;
    let mut pattern = format!("{head}{{a}}");
    let mut params = format!("a: {a}");
    if let Some((sep, b)) = b {
        pattern.push_str(&format!("{sep}{{b}}"));
        params.push_str(&format!(", b: {b}"));
    }
    pattern.push_str(tail);
    let mut text = format!("  {name}:\n    pattern: \"{pattern}\"\n    params: {{ {params} }}\n");
    if let Some(value) = value {
        text.push_str(&format!("    value: {value}\n"));
    }
    if let Some(version) = version {
        text.push_str(&format!("    version: {version}\n"));
    }
    text
}

fn catalogue_of(entries: &[Fields]) -> String {
    let mut seen = std::collections::BTreeSet::new();
    let mut text = "target: none\nkeys:\n".to_owned();
    for e in entries {
        if seen.insert(e.0) {
            text.push_str(&entry_text(e));
        }
    }
    text
}

fn catalogue_text() -> impl Strategy<Value = String> {
    prop::collection::vec(fields(), 1..3).prop_map(|entries| catalogue_of(&entries))
}

/// An old catalogue and a new one made from it by changing each field of
/// each entry with probability 1/8: the changes a real diff makes.
fn catalogue_pair() -> impl Strategy<Value = (String, String)> {
    prop::collection::vec(
        (fields(), fields(), any::<u8>(), any::<u8>(), any::<u8>()),
        1..3,
    )
    .prop_map(|entries| {
        let old: Vec<Fields> = entries.iter().map(|e| e.0).collect();
        let new: Vec<Fields> = entries
            .iter()
            .map(|(a, b, x, y, z)| {
                let m = x & y & z;
                let pick = |bit: u8| m & (1 << bit) != 0;
                (
                    if pick(0) { b.0 } else { a.0 },
                    if pick(1) { b.1 } else { a.1 },
                    if pick(2) { b.2 } else { a.2 },
                    if pick(3) { b.3 } else { a.3 },
                    if pick(4) { b.4 } else { a.4 },
                    if pick(5) { b.5 } else { a.5 },
                    if pick(6) { b.6 } else { a.6 },
                )
            })
            .collect();
        (catalogue_of(&old), catalogue_of(&new))
    })
}

/// The text between the first pair of backticks.
fn quoted(text: &str) -> &str {
    text.split('`').nth(1).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn every_counterexample_renders_under_both_catalogues(old in catalogue_text(), new in catalogue_text(), (old2, new2) in catalogue_pair(), pick in any::<bool>()) {
        let (old, new) = if pick { (old, new) } else { (old2, new2) };
        let Ok(old_c) = catalogue::parse("old.yaml", old.as_str()) else { return Ok(()) };
        let Ok(new_c) = catalogue::parse("keys.yaml", new.as_str()) else { return Ok(()) };
        for d in against(&old_c, &new_c) {
            let key = quoted(&d.message);
            let now = quoted(&d.label);
            let was = quoted(&d.related[0].message);
            let old_names: Vec<&str> = key_text::decode(&old_c, key).iter().map(|x| x.key(&old_c).name.as_str()).collect();
            let new_names: Vec<&str> = key_text::decode(&new_c, key).iter().map(|x| x.key(&new_c).name.as_str()).collect();
            prop_assert!(old_names.contains(&was), "{key} does not decode as {was} in\n{old}\n(decodes as {old_names:?})");
            prop_assert!(new_names.contains(&now), "{key} does not decode as {now} in\n{new}\n(decodes as {new_names:?})");
            // The meanings really differ: another entry, another value type,
            // or other arguments (by name) decoded from the key.
            let old_entry = old_c.keys.iter().position(|k| k.name == was).unwrap();
            let new_entry = new_c.keys.iter().position(|k| k.name == now).unwrap();
            let args = |c: &Catalogue, entry: usize| -> Vec<std::collections::BTreeMap<String, key_text::Arg>> {
                key_text::decode(c, key)
                    .into_iter()
                    .filter(|x| x.entry == entry)
                    .map(|x| c.keys[entry].params.iter().map(|p| p.name.clone()).zip(x.args).collect())
                    .collect()
            };
            // A key one catalogue alone reads two ways is CK004's finding;
            // the runs BFS picked may be any two of them.
            if key_text::decode(&old_c, key).len() > 1 || key_text::decode(&new_c, key).len() > 1 {
                continue;
            }
            let same = was == now
                && old_c.keys[old_entry].value == new_c.keys[new_entry].value
                && args(&old_c, old_entry) == args(&new_c, new_entry);
            prop_assert!(!same, "{key} means the same in\n{old}\nand\n{new}");
        }
    }
}

/// Arguments for every parameter of `key`, the `n`th combination of a few
/// values per type, chosen to hit separators, `%`, digits and enum values.
fn sample_args(key: &cachekeys::catalogue::KeyEntry, n: usize) -> Vec<key_text::Arg> {
    use cachekeys::catalogue::ParamType;
    const TEXTS: [&str; 8] = ["", "a", "%", "%3A", "a:b", "7", "b1", "1:x"];
    key.params
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let k = n / 8usize.pow(i as u32);
            match &p.ty {
                ParamType::Int(int) => {
                    let (min, _) = int.range();
                    key_text::Arg::Int(if min < 0 && k % 3 == 2 {
                        -1
                    } else {
                        (k % 8) as i128
                    })
                }
                ParamType::Bool => key_text::Arg::Bool(k % 2 == 1),
                ParamType::Uuid => key_text::Arg::Uuid(k as u128),
                ParamType::Enum(values) => key_text::Arg::Enum(values[k % values.len()].clone()),
                ParamType::Str(_) => key_text::Arg::Str(TEXTS[k % TEXTS.len()].to_owned()),
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// No false negatives: whenever a key rendered by the new catalogue
    /// decodes under the old one with another meaning, CK007 reports that
    /// pair of entries.
    #[test]
    fn every_key_whose_meaning_changed_is_reported((old, new) in catalogue_pair()) {
        let Ok(old_c) = catalogue::parse("old.yaml", old.as_str()) else { return Ok(()) };
        let Ok(new_c) = catalogue::parse("keys.yaml", new.as_str()) else { return Ok(()) };
        let reported: Vec<(String, String)> = against(&old_c, &new_c)
            .iter()
            .map(|d| (quoted(&d.related[0].message).to_owned(), quoted(&d.label).to_owned()))
            .collect();
        for new_entry in &new_c.keys {
            for n in 0..64 {
                let args = sample_args(new_entry, n);
                let key = key_text::build(&new_c, new_entry, &args);
                let named = |entry: &cachekeys::catalogue::KeyEntry, args: &[key_text::Arg]| {
                    let mut named: Vec<(String, key_text::Arg)> =
                        entry.params.iter().map(|p| p.name.clone()).zip(args.iter().cloned()).collect();
                    named.sort_by(|a, b| a.0.cmp(&b.0));
                    named
                };
                // A key that one catalogue alone reads two ways is CK004's
                // finding, not this rule's.
                let new_meanings = key_text::decode(&new_c, &key);
                let old_meanings = key_text::decode(&old_c, &key);
                if new_meanings.len() != 1 || old_meanings.len() > 1 {
                    continue;
                }
                let new_meaning = &new_meanings[0];
                for old_meaning in old_meanings {
                    let old_entry = old_meaning.key(&old_c);
                    let same = old_entry.name == new_entry.name
                        && old_entry.value == new_entry.value
                        && named(old_entry, &old_meaning.args) == named(new_entry, &new_meaning.args);
                    if !same {
                        prop_assert!(
                            reported.contains(&(old_entry.name.clone(), new_entry.name.clone())),
                            "`{key}` changed meaning ({} -> {}) but was not reported\nold:\n{old}\nnew:\n{new}",
                            old_entry.name, new_entry.name
                        );
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The CLI

#[test]
fn cli_against_a_file_reports_ck007_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.yaml"), BASE).unwrap();
    let new = BASE.replace("value: ProfileV1", "value: ProfileV2");
    std::fs::write(dir.path().join("keys.yaml"), &new).unwrap();
    check_against(
        dir.path(),
        "old.yaml",
        1,
        &[
            "error[CK007]: key `shop:1:users:profile:0` changes meaning without a version bump",
            "note: was `users.profile` (value `ProfileV1`) with user_id = 0\n --> old.yaml:5:14",
        ],
    );
    std::fs::write(dir.path().join("keys.yaml"), BASE).unwrap();
    check_against(dir.path(), "old.yaml", 0, &[]).stderr("");
}

/// `check --against AGAINST` in `dir`: its exit code, and lines its
/// stderr must hold.
#[track_caller]
fn check_against(dir: &Path, against: &str, code: i32, stderr: &[&str]) -> Assert {
    let mut assert = cachekeys(dir)
        .args(["check", "--against", against])
        .assert()
        .code(code);
    for line in stderr {
        assert = assert.stderr(predicate::str::contains(*line));
    }
    assert
}

fn git(dir: &Path, args: &[&str]) {
    let status = Process::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn cli_against_a_git_revision_reads_the_catalogue_with_git_show() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    std::fs::write(dir.path().join("keys.yaml"), BASE).unwrap();
    git(dir.path(), &["add", "keys.yaml"]);
    git(dir.path(), &["commit", "-q", "-m", "keys"]);
    let changed = BASE.replace("feeds:{user_id}:{page}", "feeds:{page}:{user_id}");
    std::fs::write(dir.path().join("keys.yaml"), &changed).unwrap();
    check_against(
        dir.path(),
        "git:main:keys.yaml",
        1,
        &[
            "error[CK007]: key `shop:1:feeds:8:5` changes meaning without a version bump",
            " --> git:main:keys.yaml:9:14",
        ],
    );
    // HEAD~0 is the same as the committed file once the change is committed.
    git(dir.path(), &["commit", "-q", "-am", "swap"]);
    check_against(dir.path(), "git:HEAD:keys.yaml", 0, &[]).stderr("");
}

/// A `--against` that names no catalogue: exit 2, and a message that says
/// what is wrong and how to fix it.
struct BadAgainst {
    /// The case's name, reported when it fails.
    name: &'static str,
    against: &'static str,
    /// Whether the project is a git repository (with no commit).
    in_git: bool,
    /// Lines of stderr, each in full except where git words them.
    stderr: &'static [&'static str],
}

common::named_rows!(BadAgainst);

const BAD_AGAINST: &[BadAgainst] = &[
    BadAgainst {
        name: "cli_against_a_missing_file_exits_2",
        against: "gone.yaml",
        in_git: false,
        stderr: &[
            "error: cannot read catalogue `gone.yaml`: ",
            "\n  --> gone.yaml\n  = help: create it with `cachekeys init`, or pass the catalogue with `-c FILE`\n",
        ],
    },
    BadAgainst {
        name: "cli_against_an_unknown_revision_exits_2_and_says_how_to_fix_it",
        against: "git:nope:keys.yaml",
        in_git: true,
        stderr: &[
            "error: `git show nope:keys.yaml` failed",
            "\n  --> git:nope:keys.yaml\n  = help: run from inside the repository, fetch the revision (`git fetch origin`), and give the path from the repository root or as `./PATH`\n",
        ],
    },
    BadAgainst {
        name: "cli_against_a_malformed_git_spec_exits_2",
        against: "git:main",
        in_git: false,
        stderr: &[
            "error: `--against git:main` is not of the form `git:REV:PATH`\n  = help: name a revision and a path in it, e.g. `--against git:origin/main:keys.yaml`\n",
        ],
    },
];

#[test]
fn each_bad_against_exits_2_and_says_how_to_fix_it() {
    common::each_case(BAD_AGAINST, |case| {
        let dir = tempfile::tempdir().unwrap();
        if case.in_git {
            git(dir.path(), &["init", "-q", "-b", "main"]);
        }
        std::fs::write(dir.path().join("keys.yaml"), BASE).unwrap();
        check_against(dir.path(), case.against, 2, case.stderr);
    });
}
