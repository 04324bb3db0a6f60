//! `cachekeys lint` and `cachekeys rules` through the binary: every output
//! format, exit codes, catalogue discovery, the catalogue's `lint:`
//! settings and suppression comments.
//!
//! Commands run inside a fixture tree under `tests/fixtures/lint/` (which
//! has no `keys.yaml` unless the test wants one) or inside a temp dir, so
//! the crate's own `keys.yaml` is never picked up by accident.

use crate::common;

use common::cachekeys;

use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

/// A copy of a fixture tree under `tests/fixtures/lint/`, in a repository
/// of its own: run in place, `lint` would find this crate's `keys.yaml`
/// above it, and give paths relative to this crate's root.
fn fixture(name: &str) -> TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lint")
        .join(name);
    let dir = repository();
    copy_tree(&from, dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// An empty temp dir that is the root of a repository (it has `.git`), so
/// catalogue discovery never looks above it.
fn repository() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

/// What a run without a catalogue says on stderr in the human and concise
/// formats.
const NO_CATALOGUE: &str = "note: no catalogue: no keys.yaml here or in a parent directory up to the repository root, so CK001 (catalogue-key-by-hand) is off
  = help: pass the catalogue with `-c FILE`, or create one with `cachekeys init`
";

/// A temp dir holding `files` (path, content), in a repository of its own.
fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = repository();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// Runs `cachekeys lint ARGS` in `dir`; returns (exit code, stdout, stderr).
fn lint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = cachekeys(dir).arg("lint").args(args).output().unwrap();
    (
        output.status.code().expect("exited"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The codes of a concise report, with path and line: `src/a.rs:3 CK003`.
fn concise_codes(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|line| {
            let mut parts = line.splitn(4, ':');
            let (path, line_no, _column, rest) = (
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
            );
            let code = rest.split_whitespace().next().unwrap();
            format!("{path}:{line_no} {code}")
        })
        .collect()
}

const TEXT_KEY: &str = "pub fn profile_key(name: &str, section: &str) -> String {
    format!(\"user:{}:{}\", name, section)
}
";

// The sink is memcached by its type: without a catalogue, CK006 applies
// only to keys that visibly go to memcached.
const SPACED_KEY: &str = "pub fn report(cache: &memcache::Client, day: u32) {
    cache.get(&format!(\"report {}\", day));
}
";

const CATALOGUE: &str = "keys:
  profiles.profile:
    pattern: \"profiles:profile:{user_id}\"
    params:
      user_id: u64
";

const BY_HAND: &str = "pub fn load(cache: &Cache, user_id: u64) {
    cache.get(&format!(\"profiles:profile:{}\", user_id));
}
";

// --- formats ----------------------------------------------------------------

#[test]
fn human_goes_to_stderr_with_snippets_and_a_count() {
    let (code, stdout, stderr) = lint(fixture("ck006").path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert!(
        stderr
            .starts_with("warning[CK006]: this cache key contains ' '\n --> src/reports.rs:5:24\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("5 |     cache.get(&format!(\"report {}\", day))"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("found 0 errors and 4 warnings\n"),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}'), "NO_COLOR: no ANSI escapes");
}

#[test]
fn concise_is_one_line_per_finding_on_stdout() {
    let (code, stdout, stderr) = lint(fixture("ck006").path(), &["--format", "concise"]);
    assert_eq!(code, 1);
    // ck006's keys.yaml targets memcached: no note about a missing catalogue.
    assert_eq!(stderr, "");
    assert_eq!(
        stdout,
        "src/reports.rs:5:24: CK006 [warning] this cache key contains ' '\n\
         src/reports.rs:10:23: CK006 [warning] this cache key contains ' '\n\
         src/reports.rs:15:24: CK006 [warning] this cache key contains '\\t'\n\
         src/reports.rs:19:21: CK006 [warning] this cache key contains '\\r'\n"
    );
}

#[test]
fn json_has_every_field_and_related_sites() {
    let (code, stdout, stderr) = lint(fixture("ck002").path(), &["--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "");
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let diagnostics = log["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 2);
    for d in diagnostics {
        assert_eq!(d["code"], "CK002");
        assert_eq!(d["severity"], "warning");
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .starts_with("the key format `")
        );
        assert_eq!(d["path"], "src/admin.rs");
        assert!(d["line"].as_u64().unwrap() >= 1);
        assert!(d["column"].as_u64().unwrap() >= 1);
        let related = d["related"].as_array().unwrap();
        assert!(!related.is_empty());
        for r in related {
            assert!(r["path"].as_str().unwrap().starts_with("src/"), "{r}");
            assert!(r["line"].as_u64().unwrap() >= 1, "{r}");
            assert!(r["column"].as_u64().unwrap() >= 1, "{r}");
        }
    }
    let first = &diagnostics[0];
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(5), Some(24))
    );
    assert_eq!(
        first["related"],
        serde_json::json!([
            { "path": "src/jobs.rs", "line": 5, "column": 27, "message": "also written here" },
            { "path": "src/profile.rs", "line": 5, "column": 24, "message": "also written here" },
        ])
    );
    assert_eq!(
        log["summary"],
        serde_json::json!({ "errors": 0, "warnings": 2 })
    );
}

fn sarif_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn sarif_has_rules_results_and_fingerprints() {
    let (code, stdout, stderr) = lint(fixture("ck003").path(), &["--format", "sarif"]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "");
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "CK001", "CK002", "CK003", "CK004", "CK005", "CK006", "CK007", "CK008", "CK009",
            "CK010", "CK011", "CK100", "CK101"
        ]
    );
    let results = run["results"].as_array().unwrap();
    // One CK003 per key; no CK005, since no key visibly goes to memcached.
    assert_eq!(results.len(), 6);
    let mut fingerprints = Vec::new();
    for result in results {
        let rule = result["ruleId"].as_str().unwrap();
        assert!(rule == "CK003" || rule == "CK005", "{result}");
        assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize], rule);
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "src/lib.rs");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 7);
        let fingerprint = result["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        fingerprints.push(fingerprint.to_owned());
    }
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), results.len(), "fingerprints are unique");
}

#[test]
fn github_annotations_are_one_command_per_finding() {
    let dir = fixture("ck001");
    let (code, stdout, stderr) = lint(dir.path(), &["--format", "github"]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "");
    let lines: Vec<&str> = stdout.lines().collect();
    // users.rs has one value: CK005 (memcached target), no CK003.
    assert_eq!(lines.len(), 7, "{stdout}");
    for line in &lines {
        assert!(
            line.starts_with("::warning ") || line.starts_with("::error "),
            "{line}"
        );
    }
    assert!(
        lines[0].starts_with(
            "::error file=src/profiles.rs,line=5,col=24,endLine=5,endColumn=45,title=CK001 (catalogue-key-by-hand)::`profiles:profile:{}` is the catalogue key `profiles.profile`, written by hand%0Akeys.yaml:8:14: `profiles.profile` is defined here%0Ahelp: "
        ),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::warning ")).count(),
        1,
        "CK005 is a warning"
    );
}

#[test]
fn statistics_count_findings_per_rule() {
    let (code, stdout, stderr) = lint(fixture("ck003").path(), &["--statistics"]);
    assert_eq!(code, 1);
    let table = "   6  CK003  separator-collision\n";
    assert_eq!((stdout.as_str(), stderr.as_str()), (table, NO_CATALOGUE));
    let (_, stdout, _) = lint(
        fixture("ck003").path(),
        &["--statistics", "--format", "concise"],
    );
    assert_eq!(stdout, table);
}

// --- exit codes -------------------------------------------------------------

#[test]
fn a_clean_tree_exits_0_silently() {
    let (code, stdout, stderr) = lint(fixture("traps").path(), &[]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (0, "", NO_CATALOGUE)
    );
    let (code, stdout, _) = lint(fixture("traps").path(), &["--format", "concise"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    // The note is a notice on the workflow run, not on a file.
    let (code, stdout, stderr) = lint(fixture("traps").path(), &["--format", "github"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "::notice::no catalogue: no keys.yaml here or in a parent directory up to the repository root, so CK001 (catalogue-key-by-hand) is off%0Ahelp: pass the catalogue with `-c FILE`, or create one with `cachekeys init`\n"
    );
    let (code, stdout, _) = lint(fixture("traps").path(), &["--format", "json"]);
    assert_eq!(code, 0);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(log["diagnostics"], serde_json::json!([]));
}

#[test]
fn warnings_alone_exit_1_and_exit_zero_exits_0() {
    let dir = tree(&[("src/a.rs", SPACED_KEY)]);
    let (code, _, stderr) = lint(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("found 0 errors and 1 warning"), "{stderr}");
    let (code, _, stderr) = lint(dir.path(), &["--exit-zero"]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("warning[CK006]"),
        "still reported: {stderr}"
    );
}

#[test]
fn a_stale_suppression_alone_exits_1() {
    let (code, stdout, _) = lint(
        fixture("suppression").path(),
        &["--format", "concise", "src/stale.rs"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "src/stale.rs:4:5: CK100 [warning] suppression of CK002 suppresses nothing\n"
    );
}

#[test]
fn a_bad_catalogue_exits_2() {
    let dir = tree(&[
        (
            "keys.yaml",
            "keys:\n  profiles.profile:\n    pattern: \"p:{id}\"\n    params: { id: u46 }\n",
        ),
        ("src/a.rs", SPACED_KEY),
    ]);
    let (code, stdout, stderr) = lint(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("unknown type `u46`"), "{stderr}");
    let (code, _, stderr) = lint(dir.path(), &["-c", "missing.yaml"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_missing_path_exits_2() {
    let dir = tree(&[("src/a.rs", SPACED_KEY)]);
    let (code, stdout, stderr) = lint(dir.path(), &["src", "nowhere"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("`nowhere` does not exist"), "{stderr}");
}

#[test]
fn an_unknown_format_exits_2() {
    let dir = tree(&[("src/a.rs", SPACED_KEY)]);
    let (code, stdout, stderr) = lint(dir.path(), &["--format", "bogus"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("bogus"), "{stderr}");
}

#[test]
fn notes_alone_exit_0() {
    let dir = tree(&[("src/a.rs", "fn main() {}\n")]);
    std::fs::write(
        dir.path().join("src/bad.rs"),
        b"fn f() { let k = \"\xff\"; }\n",
    )
    .unwrap();
    let (code, stdout, stderr) = lint(dir.path(), &["--format", "concise"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "src/bad.rs:1:19: note skipped: the file is not valid UTF-8\n"
    );
}

// --- catalogue ----------------------------------------------------------------

#[test]
fn the_catalogue_is_keys_yaml_by_default() {
    let dir = tree(&[("keys.yaml", CATALOGUE), ("src/a.rs", BY_HAND)]);
    let (code, stdout, _) = lint(dir.path(), &["--format", "concise"]);
    assert_eq!(code, 1);
    assert_eq!(concise_codes(&stdout), ["src/a.rs:2 CK001"]);
}

#[test]
fn the_catalogue_can_be_named_with_c() {
    let dir = tree(&[("cache/keys.yaml", CATALOGUE), ("src/a.rs", BY_HAND)]);
    let (code, stdout, _) = lint(dir.path(), &["--format", "concise"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "no ./keys.yaml: no CK001");
    for flag in ["-c", "--catalogue"] {
        let (code, stdout, _) = lint(
            dir.path(),
            &[flag, "cache/keys.yaml", "--format", "concise"],
        );
        assert_eq!(code, 1);
        assert_eq!(concise_codes(&stdout), ["src/a.rs:2 CK001"], "{flag}");
    }
}

#[test]
fn without_a_catalogue_ck002_to_ck006_still_run() {
    let dir = tree(&[
        ("src/a.rs", BY_HAND),
        ("src/b.rs", TEXT_KEY),
        ("src/c.rs", SPACED_KEY),
    ]);
    let (code, stdout, _) = lint(dir.path(), &["--format", "concise"]);
    assert_eq!(code, 1);
    assert_eq!(
        concise_codes(&stdout),
        // b's key goes to no visible store: no length claim.
        ["src/b.rs:2 CK003", "src/c.rs:2 CK006"]
    );
}

#[test]
fn the_catalogue_check_findings_are_reported_too() {
    let catalogue = "keys:
  clients.client:
    pattern: \"client_{id}\"
    params: { id: { type: str, max_len: 64 } }
  clients.logo:
    pattern: \"client_logo_{id}\"
    params: { id: u64 }
";
    let dir = tree(&[("keys.yaml", catalogue), ("src/a.rs", "fn main() {}\n")]);
    let (code, stdout, _) = lint(dir.path(), &["--format", "concise"]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("keys.yaml:6:14: CK004 [error] "),
        "{stdout}"
    );
}

#[test]
fn lint_ignore_drops_a_rule() {
    let catalogue = format!("{CATALOGUE}lint:\n  ignore: [CK003]\n");
    let dir = tree(&[("keys.yaml", &catalogue), ("src/b.rs", TEXT_KEY)]);
    let (code, stdout, _) = lint(dir.path(), &["--format", "concise"]);
    assert_eq!(code, 1);
    assert_eq!(concise_codes(&stdout), ["src/b.rs:2 CK005"]);
    let catalogue = format!("{CATALOGUE}lint:\n  ignore: [CK003, CK005]\n");
    std::fs::write(dir.path().join("keys.yaml"), catalogue).unwrap();
    let (code, stdout, _) = lint(dir.path(), &["--format", "concise"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn lint_exclude_skips_a_directory() {
    let catalogue = format!("{CATALOGUE}lint:\n  exclude: [\"legacy/**\"]\n");
    let dir = tree(&[
        ("keys.yaml", &catalogue),
        ("src/a.rs", SPACED_KEY),
        ("legacy/old.rs", SPACED_KEY),
        ("legacy/deeper/older.rs", TEXT_KEY),
    ]);
    let (code, stdout, _) = lint(dir.path(), &["--format", "concise"]);
    assert_eq!(code, 1);
    assert_eq!(concise_codes(&stdout), ["src/a.rs:2 CK006"]);
}

#[test]
fn lint_exclude_is_relative_to_the_catalogue() {
    let catalogue = format!("{CATALOGUE}lint:\n  exclude: [\"legacy/**\"]\n");
    let dir = tree(&[
        ("project/keys.yaml", &catalogue),
        ("project/src/a.rs", SPACED_KEY),
        ("project/legacy/old.rs", SPACED_KEY),
    ]);
    let (code, stdout, _) = lint(
        dir.path(),
        &["-c", "project/keys.yaml", "--format", "concise", "project"],
    );
    assert_eq!(code, 1);
    assert_eq!(concise_codes(&stdout), ["project/src/a.rs:2 CK006"]);
}

#[test]
fn lint_exclude_applies_from_a_subdirectory() {
    // The catalogue is discovered two levels up; its globs stay relative to
    // its own directory, whatever directory lint runs in.
    let catalogue = format!("{CATALOGUE}lint:\n  exclude: [\"crates/api/legacy/**\"]\n");
    let dir = tree(&[
        ("keys.yaml", &catalogue),
        ("crates/api/src/a.rs", SPACED_KEY),
        ("crates/api/legacy/old.rs", SPACED_KEY),
    ]);
    let (code, stdout, stderr) = lint(&dir.path().join("crates/api"), &["--format", "concise"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(concise_codes(&stdout), ["src/a.rs:2 CK006"]);
}

#[test]
fn lint_separators_replace_the_default_ones() {
    let source = "pub fn feed_key(name: &str, page: &str) -> String {
    format!(\"feed|{}|{}\", name, page)
}

pub fn user_key(name: &str, field: &str) -> String {
    format!(\"user:{}:{}\", name, field)
}
";
    let dir = tree(&[("src/a.rs", source)]);
    let (_, stdout, _) = lint(dir.path(), &["--format", "concise"]);
    assert_eq!(
        concise_codes(&stdout),
        ["src/a.rs:2 CK003", "src/a.rs:6 CK003"],
        "by default both are keys (and no store is known: no CK005)"
    );
    let catalogue = format!("{CATALOGUE}lint:\n  separators: [\"|\"]\n");
    std::fs::write(dir.path().join("keys.yaml"), catalogue).unwrap();
    let (code, stdout, _) = lint(dir.path(), &["--format", "concise"]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("src/a.rs:2:13: CK003 [warning] `name` and `page` can each contain `|`"),
        "{stdout}"
    );
    assert_eq!(
        concise_codes(&stdout),
        ["src/a.rs:2 CK003", "src/a.rs:2 CK005"],
        "with `|` alone, `user:{{}}` is not a key"
    );
}

// --- suppressions -------------------------------------------------------------

#[test]
fn suppressions_on_the_line_above_and_for_the_file() {
    let lines = "pub fn report(cache: &memcache::Client, day: u32) {
    cache.get(&format!(\"report {}\", day)); // cachekeys: ignore[CK006] legacy
    // cachekeys: ignore[CK006] shared with the PHP service
    cache.get(&format!(\"daily {}\", day));
    cache.get(&format!(\"weekly {}\", day)); // cachekeys: ignore[CK06] typo
    // cachekeys: ignore[CK004] nothing here
    cache.get(&format!(\"monthly {}\", day));
}
";
    let whole = format!("// cachekeys: file-ignore[CK003]\n{TEXT_KEY}");
    let dir = tree(&[("src/lines.rs", lines), ("src/whole.rs", &whole)]);
    let (code, stdout, _) = lint(dir.path(), &["--format", "concise"]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "src/lines.rs:5:24: CK006 [warning] this cache key contains ' '\n\
         src/lines.rs:5:44: CK101 [warning] unknown rule code `CK06` in suppression comment\n\
         src/lines.rs:6:5: CK100 [warning] suppression of CK004 suppresses nothing\n\
         src/lines.rs:7:24: CK006 [warning] this cache key contains ' '\n"
    );
    // Only CK100 and CK101 left: still a failure.
    std::fs::write(
        dir.path().join("src/lines.rs"),
        "// cachekeys: ignore[CK002]\n",
    )
    .unwrap();
    let (code, stdout, _) = lint(dir.path(), &["--format", "concise"]);
    assert_eq!(code, 1);
    assert_eq!(concise_codes(&stdout), ["src/lines.rs:1 CK100"]);
}

// --- rules ----------------------------------------------------------------------

#[test]
fn rules_lists_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let output = cachekeys(dir.path()).arg("rules").assert().code(0);
    let stdout = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 14, "{stdout}");
    assert!(lines[0].starts_with("CODE   NAME"), "{stdout}");
    for (line, code) in lines[1..].iter().zip([
        "CK001", "CK002", "CK003", "CK004", "CK005", "CK006", "CK007", "CK008", "CK009", "CK010",
        "CK011", "CK100", "CK101",
    ]) {
        assert!(line.starts_with(code), "{line}");
    }
    assert!(
        stdout.contains(
            "CK003  separator-collision       warning   A value interpolated into a key can contain the separator\n"
        ),
        "{stdout}"
    );
}

#[test]
fn rules_explains_one_rule_by_code_or_name() {
    let dir = tempfile::tempdir().unwrap();
    for word in ["CK003", "ck003", "separator-collision"] {
        cachekeys(dir.path())
            .args(["rules", word])
            .assert()
            .code(0)
            .stdout(predicate::str::starts_with(
                "CK003 separator-collision (warning)\n\n## What it does\n",
            ))
            .stdout(predicate::str::contains("## Why is this bad?"))
            .stdout(predicate::str::contains("## Example"));
    }
    cachekeys(dir.path())
        .args(["rules", "CK03"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "did you mean `CK003` (separator-collision)?",
        ));
}

// --- failures in every format -----------------------------------------------

/// A catalogue with one error: `u46` at line 4, column 19.
const BROKEN_CATALOGUE: &str =
    "keys:\n  profiles.profile:\n    pattern: \"p:{id}\"\n    params: { id: u46 }\n";

/// A tree whose catalogue does not load.
fn broken() -> TempDir {
    tree(&[("keys.yaml", BROKEN_CATALOGUE), ("src/a.rs", SPACED_KEY)])
}

/// The SARIF log's parts that vary from machine to machine replaced: the
/// repository root, the version, and the rules (checked elsewhere).
fn stable_sarif(stdout: &str) -> Value {
    let mut log: Value = serde_json::from_str(stdout).unwrap();
    let run = &mut log["runs"][0];
    run["tool"]["driver"]["version"] = "[version]".into();
    run["tool"]["driver"]["rules"] = "[rules]".into();
    run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///[root]/".into();
    log
}

#[test]
fn a_broken_catalogue_is_reported_in_json_on_stdout() {
    let (code, stdout, stderr) = lint(broken().path(), &["--format", "json"]);
    assert_eq!(code, 2);
    let log: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout:?}"));
    let d = &log["diagnostics"][0];
    assert_eq!(
        (&d["path"], &d["line"], &d["column"], &d["severity"]),
        (&"keys.yaml".into(), &4.into(), &19.into(), &"error".into())
    );
    assert_eq!(d["message"], "unknown type `u46` for parameter `id`");
    assert_eq!(log["summary"]["errors"], 1);
    // The human rendering still goes to stderr, for the log.
    assert!(stderr.contains(" --> keys.yaml:4:19"), "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn a_broken_catalogue_is_reported_in_sarif_on_stdout() {
    let (code, stdout, _) = lint(broken().path(), &["--format", "sarif"]);
    assert_eq!(code, 2);
    let log: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout:?}"));
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert!(
        note["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("unknown type `u46` for parameter `id`\nhelp: did you mean `u64`?"),
        "{note}"
    );
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    insta::assert_snapshot!(serde_json::to_string_pretty(&stable_sarif(&stdout)).unwrap());
}

#[test]
fn a_broken_catalogue_is_an_annotation_on_its_line() {
    let (code, stdout, _) = lint(broken().path(), &["--format", "github"]);
    assert_eq!(code, 2);
    assert!(
        stdout.starts_with(
            "::error file=keys.yaml,line=4,col=19,endLine=4,endColumn=22::unknown type `u46` for parameter `id`%0Ahelp: did you mean `u64`?"
        ),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn a_broken_catalogue_is_one_concise_line() {
    let (code, stdout, _) = lint(broken().path(), &["--format", "concise"]);
    assert_eq!(code, 2);
    assert_eq!(
        stdout,
        "keys.yaml:4:19: error unknown type `u46` for parameter `id`\n"
    );
}

#[test]
fn a_missing_catalogue_is_reported_in_json_and_sarif() {
    let dir = tree(&[("src/a.rs", SPACED_KEY)]);
    let (code, stdout, stderr) = lint(dir.path(), &["-c", "missing.yaml", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read catalogue `missing.yaml`"),
        "{stderr}"
    );
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let d = &log["diagnostics"][0];
    assert_eq!(d["path"], "missing.yaml");
    // A whole file: no line, no column.
    assert_eq!((&d["line"], &d["column"]), (&Value::Null, &Value::Null));
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read catalogue `missing.yaml`: "),
        "{d}"
    );
    assert_eq!(
        d["help"],
        "create it with `cachekeys init`, or pass the catalogue with `-c FILE`"
    );

    let (code, stdout, _) = lint(dir.path(), &["-c", "missing.yaml", "--format", "sarif"]);
    assert_eq!(code, 2);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(sarif_validator().iter_errors(&log).count(), 0);
    let note = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(
        note["locations"][0]["physicalLocation"],
        serde_json::json!({ "artifactLocation": { "uri": "missing.yaml", "uriBaseId": "%SRCROOT%" } })
    );
}

#[test]
fn a_missing_path_is_reported_in_json() {
    let dir = tree(&[("src/a.rs", SPACED_KEY)]);
    let (code, stdout, stderr) = lint(dir.path(), &["--format", "json", "nowhere"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`nowhere` does not exist"), "{stderr}");
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let d = &log["diagnostics"][0];
    assert_eq!(d["message"], "`nowhere` does not exist");
    assert_eq!(d["path"], "nowhere");
    assert_eq!(
        d["help"],
        "pass files or directories to lint, or nothing for the current directory"
    );
}

#[test]
fn a_usage_error_is_reported_in_the_format_asked_for() {
    let dir = tree(&[("src/a.rs", SPACED_KEY)]);
    let (code, stdout, stderr) = lint(dir.path(), &["--format", "json", "--bogus"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unexpected argument '--bogus'"), "{stderr}");
    let log: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout:?}"));
    let d = &log["diagnostics"][0];
    assert_eq!(d["message"], "unexpected argument '--bogus' found");
    assert_eq!((&d["path"], &d["line"]), (&Value::Null, &Value::Null));
    assert_eq!(d["severity"], "error");

    // Before the format, and as `--format=`: clap stops at the bad flag,
    // the format is still found.
    let (code, stdout, _) = lint(dir.path(), &["--bogus", "--format=sarif"]);
    assert_eq!(code, 2);
    let log: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout:?}"));
    assert_eq!(sarif_validator().iter_errors(&log).count(), 0);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .lines()
            .next(),
        Some("unexpected argument '--bogus' found")
    );

    let (code, stdout, _) = lint(dir.path(), &["--format", "github", "-j", "many"]);
    assert_eq!(code, 2);
    assert!(
        stdout.starts_with("::error::invalid value 'many' for '--threads <N>'"),
        "{stdout}"
    );
}

// --- discovery ----------------------------------------------------------------

#[test]
fn the_catalogue_is_found_in_a_parent_directory() {
    let dir = tree(&[("keys.yaml", CATALOGUE), ("crates/api/src/a.rs", BY_HAND)]);
    let (code, stdout, stderr) = lint(&dir.path().join("crates/api"), &["--format", "concise"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(concise_codes(&stdout), ["src/a.rs:2 CK001"]);
    // Messages name it as a path from where the run is.
    let (_, _, stderr) = lint(&dir.path().join("crates/api"), &[]);
    assert!(stderr.contains("../../keys.yaml:3:14"), "{stderr}");
}

#[test]
fn discovery_stops_at_the_repository_root() {
    let dir = tree(&[("keys.yaml", CATALOGUE), ("repo/src/a.rs", BY_HAND)]);
    std::fs::create_dir(dir.path().join("repo/.git")).unwrap();
    let (code, stdout, stderr) = lint(&dir.path().join("repo"), &["--format", "concise"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, ""),
        "the catalogue above is not this repository's"
    );
    assert_eq!(stderr, NO_CATALOGUE);
    // A `.git` file (a worktree, a submodule) marks a root too.
    std::fs::remove_dir(dir.path().join("repo/.git")).unwrap();
    std::fs::write(dir.path().join("repo/.git"), "gitdir: elsewhere\n").unwrap();
    let (code, _, stderr) = lint(&dir.path().join("repo"), &["--format", "concise"]);
    assert_eq!((code, stderr.as_str()), (0, NO_CATALOGUE));
}

#[test]
fn without_a_catalogue_every_format_says_ck001_is_off() {
    let dir = tree(&[("src/a.rs", SPACED_KEY)]);
    let (_, _, stderr) = lint(dir.path(), &[]);
    assert!(stderr.starts_with(NO_CATALOGUE), "{stderr}");

    let (code, stdout, stderr) = lint(dir.path(), &["--format", "json"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let notes = log["notifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{log}");
    assert_eq!(notes[0]["severity"], "note");
    assert!(
        notes[0]["message"]
            .as_str()
            .unwrap()
            .ends_with("so CK001 (catalogue-key-by-hand) is off"),
        "{log}"
    );
    // Not a finding: the findings are what they were.
    assert_eq!(log["diagnostics"].as_array().unwrap().len(), 1);

    let (_, stdout, _) = lint(dir.path(), &["--format", "sarif"]);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(sarif_validator().iter_errors(&log).count(), 0);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "note");
    assert!(
        note["message"]["text"].as_str().unwrap().contains("CK001"),
        "{note}"
    );
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 1);

    // With a catalogue, no note.
    std::fs::write(dir.path().join("keys.yaml"), CATALOGUE).unwrap();
    let (_, stdout, stderr) = lint(dir.path(), &["--format", "json"]);
    assert_eq!(stderr, "");
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(log["notifications"], serde_json::json!([]));
}

#[test]
fn sarif_and_github_paths_are_relative_to_the_repository_root() {
    let dir = tree(&[("keys.yaml", CATALOGUE), ("crates/api/src/a.rs", BY_HAND)]);
    let api = dir.path().join("crates/api");
    let (code, stdout, _) = lint(&api, &["--format", "sarif"]);
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(sarif_validator().iter_errors(&log).count(), 0);
    let run = &log["runs"][0];
    let root = dir.path().canonicalize().unwrap();
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(base, format!("file://{}/", root.display()));
    let result = &run["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({ "uri": "crates/api/src/a.rs", "uriBaseId": "%SRCROOT%" })
    );
    // The related site in the catalogue, above the current directory.
    assert_eq!(
        result["relatedLocations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({ "uri": "keys.yaml", "uriBaseId": "%SRCROOT%" })
    );

    let (_, stdout, _) = lint(&api, &["--format", "github"]);
    assert!(
        stdout.starts_with("::error file=crates/api/src/a.rs,line=2,"),
        "{stdout}"
    );

    // A broken catalogue from the subdirectory: the same root-relative URI.
    std::fs::write(dir.path().join("keys.yaml"), BROKEN_CATALOGUE).unwrap();
    let (code, stdout, _) = lint(&api, &["--format", "sarif"]);
    assert_eq!(code, 2);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let note = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(
        note["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({ "uri": "keys.yaml", "uriBaseId": "%SRCROOT%" })
    );
}
