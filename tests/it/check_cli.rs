//! `cachekeys check`: exit codes, where the report goes, and the JSON shape.

use crate::common;

use common::{cachekeys, project};

use std::path::Path;

use cachekeys::__private::keyspace;
use cachekeys::__private::report::{Format, Sources, format_report as render};
use cachekeys::catalogue;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

/// A temp dir whose `keys.yaml` is `source`.
fn with_catalogue(source: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keys.yaml"), source).unwrap();
    dir
}

/// What the library renders for `source` read as `keys.yaml`.
fn library_report(source: &str) -> String {
    let catalogue = catalogue::parse("keys.yaml", source).unwrap();
    let diagnostics = keyspace::check(&catalogue);
    let mut sources = Sources::default();
    sources.insert(catalogue.path.clone(), catalogue.source.clone());
    render(Format::Human, &diagnostics, &sources, false)
}

/// Two families that both render `user:0`: one CK004 error.
const COLLIDING: &str = r#"keys:
  users.by_id:
    pattern: "user:{id}"
    params: { id: u64 }
  users.by_name:
    pattern: "user:{name}"
    params: { name: { type: str, max_len: 32 } }
"#;

/// A Redis key of at least 1100 bytes: one CK005 warning and nothing else.
fn long_redis_key() -> String {
    let long = "x".repeat(1100);
    format!(
        "target: redis\nkeys:\n  big:\n    pattern: \"{long}:{{id}}\"\n    params: {{ id: u64 }}\n"
    )
}

#[test]
fn check_on_the_shop_catalogue_is_silent() {
    let dir = project();
    cachekeys(dir.path())
        .arg("check")
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
}

#[test]
fn check_reports_errors_on_stderr_and_exits_1() {
    let dir = with_catalogue(COLLIDING);
    let expected = library_report(COLLIDING);
    assert!(expected.contains("error[CK004]"), "{expected}");
    cachekeys(dir.path())
        .arg("check")
        .assert()
        .code(1)
        .stdout("")
        .stderr(expected)
        .stderr(predicate::str::contains(
            "`users.by_id` and `users.by_name` can render the same key `user:0`",
        ))
        .stderr(predicate::str::ends_with("found 1 error and 0 warnings\n"));
}

#[test]
fn check_reads_the_catalogue_given_with_c() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("cache")).unwrap();
    std::fs::write(dir.path().join("cache/keys.yaml"), COLLIDING).unwrap();
    cachekeys(dir.path())
        .args(["check", "-c", "cache/keys.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--> cache/keys.yaml:6:14"));
}

#[test]
fn check_with_warnings_only_exits_0_and_prints_them() {
    let source = long_redis_key();
    let dir = with_catalogue(&source);
    cachekeys(dir.path())
        .arg("check")
        .assert()
        .code(0)
        .stdout("")
        .stderr(library_report(&source))
        .stderr(predicate::str::contains("warning[CK005]"))
        .stderr(predicate::str::ends_with("found 0 errors and 1 warning\n"));
}

#[test]
fn check_on_invalid_yaml_exits_2() {
    let dir = with_catalogue(
        "keys:\n  users.profile:\n    pattern: \"users:{id}\"\n    params: { id: u64 ]\n",
    );
    cachekeys(dir.path())
        .arg("check")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("invalid YAML"))
        .stderr(predicate::str::contains("keys.yaml:4:"));
}

#[test]
fn check_on_an_invalid_catalogue_exits_2() {
    // Valid YAML, invalid catalogue: the loader's error, not a check finding.
    let dir = with_catalogue("keys:\n  users.profile:\n    pattern: \"users:{id}\"\n");
    cachekeys(dir.path())
        .arg("check")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "placeholder `{id}` is not declared in `params`",
        ));
}

#[test]
fn check_on_a_missing_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    cachekeys(dir.path())
        .args(["check", "-c", "missing.yaml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("missing.yaml"));
    // The default, ./keys.yaml, is missing too.
    cachekeys(dir.path())
        .arg("check")
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn check_with_an_unknown_format_exits_2() {
    let dir = project();
    cachekeys(dir.path())
        .args(["check", "--format", "bogus"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("bogus"));
}

/// Runs `check --format json`, expects `code`, an empty stderr and JSON on
/// stdout, and returns it.
fn json_report(dir: &Path, args: &[&str], code: i32) -> Value {
    let output = cachekeys(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .assert()
        .code(code)
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("not JSON ({err}):\n{text}"))
}

/// The fields every diagnostic has, with their JSON types.
fn assert_diagnostic_shape(d: &Value) {
    for field in ["code", "severity", "message", "path"] {
        assert!(d[field].is_string(), "`{field}` in {d}");
    }
    for field in ["line", "column"] {
        assert!(
            d[field].as_u64().is_some_and(|n| n >= 1),
            "`{field}` in {d}"
        );
    }
    assert!(
        matches!(d["severity"].as_str(), Some("error" | "warning")),
        "{d}"
    );
    let related = d["related"].as_array().unwrap_or_else(|| panic!("{d}"));
    for r in related {
        assert!(r["path"].is_string() && r["message"].is_string(), "{r}");
        assert!(
            r["line"].as_u64().is_some() && r["column"].as_u64().is_some(),
            "{r}"
        );
    }
}

#[test]
fn check_json_on_a_clean_catalogue() {
    let dir = project();
    let report = json_report(dir.path(), &[], 0);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
}

#[test]
fn check_json_lists_errors_and_warnings() {
    // One CK004 error (with the other family as related) and one CK005
    // warning, read from a subdirectory so `path` is checked too.
    let long = "x".repeat(1100);
    let source = format!(
        "target: redis\nkeys:\n  users.by_id:\n    pattern: \"user:{{id}}\"\n    params: {{ id: u64 }}\n  users.by_name:\n    pattern: \"user:{{name}}\"\n    params: {{ name: {{ type: str, max_len: 32 }} }}\n  big:\n    pattern: \"{long}:{{id}}\"\n    params: {{ id: u64 }}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("cache")).unwrap();
    std::fs::write(dir.path().join("cache/keys.yaml"), source).unwrap();
    let report = json_report(dir.path(), &["-c", "cache/keys.yaml"], 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 2, "{report:#}");
    for d in diagnostics {
        assert_diagnostic_shape(d);
        assert_eq!(d["path"], "cache/keys.yaml");
    }

    let collision = &diagnostics[0];
    assert_eq!(collision["code"], "CK004");
    assert_eq!(collision["severity"], "error");
    assert_eq!(
        collision["message"],
        "`users.by_id` and `users.by_name` can render the same key `user:0`"
    );
    assert_eq!(
        (&collision["line"], &collision["column"]),
        (&7.into(), &14.into())
    );
    assert_eq!(
        collision["related"],
        serde_json::json!([{
            "path": "cache/keys.yaml",
            "line": 4,
            "column": 14,
            "message": "`users.by_id` with id = 0",
        }])
    );

    let long_key = &diagnostics[1];
    assert_eq!(long_key["code"], "CK005");
    assert_eq!(long_key["severity"], "warning");
    assert_eq!(
        (&long_key["line"], &long_key["column"]),
        (&9.into(), &3.into())
    );
    assert_eq!(long_key["related"], serde_json::json!([]));

    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["summary"]["warnings"], 1);
}

#[test]
fn check_json_with_warnings_only_exits_0() {
    let dir = with_catalogue(&long_redis_key());
    let report = json_report(dir.path(), &[], 0);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{report:#}");
    assert_diagnostic_shape(&diagnostics[0]);
    assert_eq!(diagnostics[0]["severity"], "warning");
    assert_eq!(diagnostics[0]["path"], "keys.yaml");
}

// --- failures in every format, discovery --------------------------------------

/// A catalogue with one error: `u46` at line 4, column 19.
const BROKEN: &str =
    "keys:\n  users.profile:\n    pattern: \"users:{id}\"\n    params: { id: u46 }\n";

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = cachekeys(dir).arg("check").args(args).output().unwrap();
    (
        output.status.code().expect("exited"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn check_json_on_a_broken_catalogue_prints_the_error_as_a_diagnostic() {
    let dir = with_catalogue(BROKEN);
    let (code, stdout, stderr) = run(dir.path(), &["--format", "json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown type `u46`"), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout:?}"));
    let d = &report["diagnostics"][0];
    assert_eq!(
        (&d["path"], &d["line"], &d["column"], &d["end_column"]),
        (&"keys.yaml".into(), &4.into(), &19.into(), &22.into())
    );
    assert_eq!(d["code"], Value::Null);
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "unknown type `u46` for parameter `id`");
    assert_eq!(report["summary"]["errors"], 1);
}

#[test]
fn check_json_on_invalid_yaml_points_at_the_line() {
    let dir = with_catalogue(
        "keys:\n  users.profile:\n    pattern: \"users:{id}\"\n    params: { id: u64 ]\n",
    );
    let (code, stdout, _) = run(dir.path(), &["--format", "json"]);
    assert_eq!(code, 2);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let d = &report["diagnostics"][0];
    assert_eq!(d["line"], 4, "{d}");
    assert!(
        d["message"].as_str().unwrap().contains("invalid YAML"),
        "{d}"
    );
}

#[test]
fn check_json_on_a_missing_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let (code, stdout, _) = run(dir.path(), &["--format", "json"]);
    assert_eq!(code, 2);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let d = &report["diagnostics"][0];
    assert_eq!(d["path"], "keys.yaml");
    assert_eq!(
        d["message"],
        "cannot read catalogue `keys.yaml`: not found here or in a parent directory up to the repository root"
    );
    assert_eq!(
        d["help"],
        "create it with `cachekeys init`, or pass the catalogue with `-c FILE`"
    );
}

#[test]
fn check_sarif_and_github_on_a_broken_catalogue() {
    let dir = with_catalogue(BROKEN);
    let (code, stdout, _) = run(dir.path(), &["--format", "github"]);
    assert_eq!(code, 2);
    assert!(
        stdout.starts_with(
            "::error file=keys.yaml,line=4,col=19,endLine=4,endColumn=22::unknown type `u46`"
        ),
        "{stdout}"
    );
    let (code, stdout, _) = run(dir.path(), &["--format", "sarif"]);
    assert_eq!(code, 2);
    let log: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout:?}"));
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    let region = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]
        ["physicalLocation"]["region"];
    assert_eq!(
        (&region["startLine"], &region["startColumn"]),
        (&4.into(), &19.into())
    );
}

#[test]
fn check_finds_the_catalogue_in_a_parent_directory() {
    let dir = with_catalogue(COLLIDING);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let sub = dir.path().join("src/deep");
    std::fs::create_dir_all(&sub).unwrap();
    cachekeys(&sub)
        .arg("check")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--> ../../keys.yaml:6:14"));
    // Not above the repository root.
    let inner = dir.path().join("inner");
    std::fs::create_dir_all(inner.join(".git")).unwrap();
    cachekeys(&inner)
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read catalogue `keys.yaml`",
        ));
}
