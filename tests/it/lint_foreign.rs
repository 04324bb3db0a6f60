//! Catalogue keys written by hand in Python and TypeScript (issue 12, item
//! 6): with a catalogue, lint reads `.py` and `.ts`/`.js` files too and
//! reports CK001 where a string literal, f-string, `str.format`/`%`
//! string or template literal is a catalogue pattern, naming the function
//! of the generated module for that language.
//!
//! The fixture is `tests/fixtures/lint/foreign/`: a Django app (`app/`),
//! an edge service in TypeScript and JavaScript (`web/`) and a script.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cachekeys::lint::{Options, lint};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/foreign")
}

fn run(paths: Vec<PathBuf>, with_catalogue: bool) -> cachekeys::lint::Outcome {
    let catalogue = with_catalogue.then(|| {
        cachekeys::catalogue::load(root().join("keys.yaml")).expect("the catalogue loads")
    });
    lint(&Options {
        paths,
        catalogue,
        threads: 1,
    })
}

/// `path:line CODE help-call` of every finding, paths relative to the
/// fixture.
fn found(outcome: &cachekeys::lint::Outcome) -> BTreeSet<String> {
    let root = root();
    outcome
        .diagnostics
        .iter()
        .filter(|d| d.location.path.starts_with(&root))
        .map(|d| {
            let call = d
                .help
                .as_deref()
                .and_then(|h| h.split('`').nth(1))
                .unwrap_or_default();
            let path = d.location.path.strip_prefix(&root).unwrap();
            format!(
                "{}:{} {} {call}",
                path.display(),
                d.location.line,
                d.code.unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn every_hand_written_catalogue_key_in_python_and_typescript_is_ck001() {
    let outcome = run(vec![root()], true);
    let expected: BTreeSet<String> = [
        // f-string, full key with prefix and version, .format, %, no params
        "app/views.py:8 CK001 keys.profiles_profile(user_id)",
        "app/views.py:13 CK001 keys.users_by_email(email.lower())",
        "app/views.py:18 CK001 keys.feeds_home(locale, page)",
        "app/views.py:19 CK001 keys.feeds_home(locale, page)",
        "app/views.py:25 CK001 keys.stats_global()",
        // a %-format kept in a constant: the values are not known here
        "app/models.py:4 CK001 keys.feeds_home(locale, page)",
        // the unused suppression
        "app/suppressed.py:10 CK100 ",
        "scripts/warm.py:6 CK001 keys.feeds_home('en', 1)",
        "web/cache.ts:7 CK001 keys.profilesProfile(userId)",
        "web/cache.ts:12 CK001 keys.usersByEmail(email.replace(re, \"\"))",
        "web/cache.ts:15 CK001 keys.statsGlobal()",
        "web/legacy.js:3 CK001 keys.feedsHome(locale, page)",
        "web/Banner.tsx:4 CK001 keys.profilesProfile(userId)",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    let found = found(&outcome);
    let missed: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "missed {missed:?}, reported wrongly {extra:?}"
    );
    assert_eq!(
        outcome.files, 8,
        "the 8 Python, TypeScript and JavaScript files"
    );
}

#[test]
fn the_finding_names_the_catalogue_entry_and_the_language_module() {
    let outcome = run(vec![root().join("app/views.py")], true);
    let first = outcome
        .diagnostics
        .iter()
        .find(|d| d.code == Some("CK001"))
        .expect("a CK001 finding");
    assert_eq!(
        first.message,
        "`profiles:profile:{}` is the catalogue key `profiles.profile`, written by hand"
    );
    assert_eq!((first.location.line, first.location.column), (8, 22));
    assert_eq!(
        first.help.as_deref(),
        Some(
            "call the generated function instead: `keys.profiles_profile(user_id)`, from `cachekeys gen --lang python`"
        )
    );
    assert_eq!(first.related.len(), 1, "the catalogue's definition");
    assert!(first.related[0].location.path.ends_with("keys.yaml"));
}

#[test]
fn an_explicit_python_file_is_read_as_python_not_rust() {
    let outcome = run(vec![root().join("app/safe.py")], true);
    assert!(
        outcome.diagnostics.is_empty(),
        "no finding and no 'skipped: not Rust' note: {:?}",
        outcome.diagnostics
    );
    assert_eq!(outcome.files, 1);
}

#[test]
fn without_a_catalogue_other_languages_are_not_read() {
    let outcome = run(vec![root()], false);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    assert_eq!(
        outcome.files, 0,
        "no .rs file in the fixture, and no other language read"
    );
}

#[test]
fn a_python_suppression_comment_hides_the_finding_and_an_unused_one_is_ck100() {
    let outcome = run(vec![root().join("app/suppressed.py")], true);
    let codes: Vec<_> = outcome
        .diagnostics
        .iter()
        .map(|d| (d.code, d.location.line))
        .collect();
    assert_eq!(codes, [(Some("CK100"), 10)]);
}

#[test]
fn a_malformed_python_suppression_says_how_to_write_it_with_a_hash() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.py"),
        "k = f\"profiles:profile:{uid}\"  # cachekeys: disable\n",
    )
    .unwrap();
    let outcome = run(vec![dir.path().to_owned()], true);
    let invalid = outcome
        .diagnostics
        .iter()
        .find(|d| d.code == Some("CK101"))
        .expect("CK101");
    assert_eq!(invalid.message, "malformed suppression comment");
    assert_eq!(
        invalid.help.as_deref(),
        Some("write `# cachekeys: ignore[CODE] reason` or `# cachekeys: file-ignore[CODE]`")
    );
}

#[test]
fn the_human_report_points_at_the_python_line() {
    let output = common::cachekeys(&root())
        .args(["lint", "-c", "keys.yaml", "app/views.py"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_binary_or_broken_file_is_a_note_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.py"), b"k = '\xff'\n").unwrap();
    std::fs::write(dir.path().join("open.ts"), "const k = `profiles:profile:${").unwrap();
    let outcome = run(vec![dir.path().to_owned()], true);
    let notes: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code.is_none())
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(notes, ["skipped: the file is not valid UTF-8"]);
}
