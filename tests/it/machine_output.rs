//! What every command does with its output streams: `--format` on `gen` and
//! `explain-key`, a stdout that cannot be written (a full disk, a closed
//! pipe), and `--color` against NO_COLOR and CLICOLOR_FORCE.

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::cachekeys;
use serde_json::Value;
use tempfile::TempDir;

/// A repository (it has `.git`) holding `files` (path, content).
fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// The crate's own catalogue.
fn shop() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("keys.yaml")).unwrap()
}

/// A catalogue with one error: `u46` at line 4, column 19.
const BROKEN: &str =
    "keys:\n  users.profile:\n    pattern: \"users:{id}\"\n    params: { id: u46 }\n";

/// A key with a space, which `lint` reports (CK006, a warning).
const SPACED_KEY: &str = "pub fn report(cache: &Cache, day: u32) {
    cache.get(&format!(\"report {}\", day));
}
";

/// The binary, without the colour settings of the environment the tests
/// run in.
fn bare(dir: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("cachekeys"));
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    cmd
}

/// The binary as a std `Command` (whose stdout can be any file), without
/// colours.
fn plain(dir: &Path) -> Command {
    let mut cmd = bare(dir);
    cmd.env("NO_COLOR", "1");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

// --- --format on gen and explain-key --------------------------------------------

#[test]
fn gen_reports_a_broken_catalogue_in_json_on_stderr_when_stdout_carries_the_module() {
    let dir = tree(&[("keys.yaml", BROKEN)]);
    let output = cachekeys(dir.path())
        .args(["gen", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stdout), "");
    let stderr = text(&output.stderr);
    // The JSON report, then the human rendering.
    let end = stderr
        .find("\n}\n")
        .map(|i| i + 3)
        .unwrap_or_else(|| panic!("{stderr}"));
    let report: Value = serde_json::from_str(&stderr[..end]).unwrap();
    assert_eq!(report["diagnostics"][0]["line"], 4);
    assert_eq!(
        report["diagnostics"][0]["message"],
        "unknown type `u46` for parameter `id`"
    );
}

#[test]
fn gen_with_out_reports_in_the_format_on_stdout() {
    let dir = tree(&[("keys.yaml", BROKEN)]);
    let output = cachekeys(dir.path())
        .args(["gen", "-o", "keys.rs", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with(
            "::error file=keys.yaml,line=4,col=19,endLine=4,endColumn=22::unknown type `u46`"
        ),
        "{stdout}"
    );
    assert!(!dir.path().join("keys.rs").exists());
}

#[test]
fn gen_reports_an_unsafe_catalogue_as_findings() {
    let colliding = "keys:\n  a:\n    pattern: \"user:{id}\"\n    params: { id: u64 }\n  b:\n    pattern: \"user:{name}\"\n    params: { name: { type: str, max_len: 8 } }\n";
    let dir = tree(&[("keys.yaml", colliding)]);
    let output = cachekeys(dir.path())
        .args(["gen", "-o", "keys.rs", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "CK004");
    assert_eq!(report["diagnostics"][0]["path"], "keys.yaml");
}

#[test]
fn gen_check_reports_a_stale_file_in_the_format_at_the_first_changed_line() {
    let dir = tree(&[("keys.yaml", &shop())]);
    cachekeys(dir.path())
        .args(["gen", "-o", "keys.rs"])
        .assert()
        .success();
    let path = dir.path().join("keys.rs");
    let fresh = std::fs::read_to_string(&path).unwrap();
    let lines = fresh.lines().count();
    std::fs::write(&path, format!("{fresh}// edited by hand\n")).unwrap();
    for (format, expected) in [
        (
            "github",
            format!(
                "::error file=keys.rs,line={},col=1::`keys.rs` is stale",
                lines + 1
            ),
        ),
        ("json", "\"message\": \"`keys.rs` is stale".to_owned()),
    ] {
        let output = cachekeys(dir.path())
            .args(["gen", "--check", "-o", "keys.rs", "--format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}");
        let stdout = text(&output.stdout);
        assert!(stdout.contains(&expected), "{format}: {stdout}");
    }
    let output = cachekeys(dir.path())
        .args(["gen", "--check", "-o", "keys.rs", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["line"], lines + 1);
    assert_eq!(
        report["diagnostics"][0]["help"],
        "run `cachekeys gen -c keys.yaml -o keys.rs` and commit the result"
    );
}

#[test]
fn gen_check_reports_a_missing_file_in_the_format() {
    let dir = tree(&[("keys.yaml", &shop())]);
    let output = cachekeys(dir.path())
        .args(["gen", "--check", "-o", "keys.rs", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stdout).starts_with("::error file=keys.rs::`keys.rs` does not exist"),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn gen_finds_the_catalogue_in_a_parent_directory() {
    let dir = tree(&[("keys.yaml", &shop()), ("src/.keep", "")]);
    let output = cachekeys(&dir.path().join("src"))
        .arg("gen")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("pub fn profile(user_id: u64)"));
}

#[test]
fn explain_key_json_has_the_decodings_and_the_problems() {
    let dir = tree(&[("keys.yaml", &shop())]);
    let output = cachekeys(dir.path())
        .args([
            "explain-key",
            "--format",
            "json",
            "shop:2:users:by-email:A%3Ab%20c%40x",
            "nope:1",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stderr), "");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    insta::assert_snapshot!(serde_json::to_string_pretty(&report).unwrap());
    let decoding = &report["keys"][0]["decodings"][0];
    assert_eq!(decoding["entry"], "users.by_email");
    assert_eq!(decoding["args"]["email"], "A:b c@x");
    assert_eq!(decoding["ttl_seconds"], 1800);
    let problem = &report["diagnostics"][0];
    assert_eq!(problem["severity"], "error");
    assert_eq!(
        problem["message"],
        "no entry of keys.yaml produces the key `nope:1`"
    );
}

#[test]
fn explain_key_github_reports_a_key_no_entry_produces() {
    let dir = tree(&[("keys.yaml", &shop())]);
    let output = cachekeys(dir.path())
        .args(["explain-key", "--format", "github", "nope:1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with("::error::no entry of keys.yaml produces the key `nope:1`%0Ahelp: "),
        "{stdout}"
    );
}

#[test]
fn explain_key_reports_a_broken_catalogue_in_json() {
    let dir = tree(&[("keys.yaml", BROKEN)]);
    let output = cachekeys(dir.path())
        .args(["explain-key", "--format", "json", "users:1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["line"], 4);
}

// --- a stdout that cannot be written ---------------------------------------------

/// Runs the binary in `dir` with stdout on `/dev/full`; returns the exit
/// code and stderr.
#[cfg(target_os = "linux")]
fn to_dev_full(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = plain(dir)
        .args(args)
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    (output.status.code(), text(&output.stderr))
}

const DISK_FULL: &str = "error: cannot write the output: No space left on device (os error 28)\n  = help: check that the disk is not full and that the output file or pipe is writable\n";

#[test]
#[cfg(target_os = "linux")]
fn a_full_disk_exits_2_with_a_message() {
    let dir = tree(&[("keys.yaml", &shop()), ("src/a.rs", SPACED_KEY)]);
    for args in [
        &["lint", "--format", "json"][..],
        &["lint", "--format", "concise"],
        &["lint", "--statistics"],
        &["check", "--format", "sarif"],
        &["gen"],
        &["explain-key", "shop:1:profiles:profile:42"],
        &["rules"],
    ] {
        let (code, stderr) = to_dev_full(dir.path(), args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr, DISK_FULL, "{args:?}");
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_full_disk_while_reporting_a_failure_exits_2_too() {
    let dir = tree(&[("keys.yaml", BROKEN)]);
    let (code, stderr) = to_dev_full(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code, Some(2));
    assert!(stderr.starts_with(DISK_FULL), "{stderr}");
}

/// Runs the binary in `dir` with stdout on a pipe whose reading end is
/// closed before it starts: every write fails with EPIPE.
#[cfg(unix)]
fn to_closed_pipe(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = plain(dir)
        .args(args)
        .stdout(Stdio::from(writer))
        .output()
        .unwrap();
    (output.status.code(), text(&output.stderr))
}

#[test]
#[cfg(unix)]
fn a_closed_pipe_is_quiet_and_keeps_the_exit_code() {
    let dir = tree(&[("keys.yaml", &shop()), ("src/a.rs", SPACED_KEY)]);
    // Exit 1 for the finding, as if the report had been read; no message,
    // no panic.
    for args in [
        &["lint", "--format", "json"][..],
        &["lint", "--format", "concise"],
        &["lint", "--format", "sarif"],
    ] {
        assert_eq!(
            to_closed_pipe(dir.path(), args),
            (Some(1), String::new()),
            "{args:?}"
        );
    }
    for args in [
        &["check", "--format", "json"][..],
        &["gen"],
        &["explain-key", "shop:1:profiles:profile:42"],
    ] {
        assert_eq!(
            to_closed_pipe(dir.path(), args),
            (Some(0), String::new()),
            "{args:?}"
        );
    }
}

// --- --color ----------------------------------------------------------------------

/// `lint` on a tree with one finding, human format, in the given
/// environment; whether stderr holds ANSI escapes.
fn coloured(args: &[&str], env: &[(&str, &str)]) -> bool {
    let dir = tree(&[("keys.yaml", &shop()), ("src/a.rs", SPACED_KEY)]);
    let mut cmd = bare(dir.path());
    cmd.arg("lint").args(args);
    for (key, value) in env {
        cmd.env(key, value);
    }
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("warning[CK006]") || stderr.contains("CK006"),
        "{stderr}"
    );
    stderr.contains('\u{1b}')
}

#[test]
fn color_auto_is_off_when_stderr_is_not_a_terminal() {
    assert!(!coloured(&[], &[]));
    assert!(!coloured(&["--color", "auto"], &[]));
}

#[test]
fn clicolor_force_turns_colour_on() {
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    // `0` and empty do not force.
    assert!(!coloured(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(!coloured(&[], &[("CLICOLOR_FORCE", "")]));
}

#[test]
fn no_color_wins_over_clicolor_force() {
    assert!(!coloured(
        &[],
        &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]
    ));
}

#[test]
fn color_always_wins_over_no_color() {
    assert!(coloured(&["--color", "always"], &[("NO_COLOR", "1")]));
    // A global flag: before the subcommand too.
    let dir = tree(&[("keys.yaml", &shop()), ("src/a.rs", SPACED_KEY)]);
    let output = bare(dir.path())
        .args(["--color=always", "lint"])
        .output()
        .unwrap();
    assert!(text(&output.stderr).contains('\u{1b}'));
}

#[test]
fn color_never_wins_over_clicolor_force() {
    assert!(!coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
}

#[test]
fn color_reaches_check_and_gen_diagnostics() {
    let dir = tree(&[("keys.yaml", BROKEN)]);
    for command in ["check", "gen"] {
        let output = bare(dir.path())
            .args([command, "--color", "always"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = text(&output.stderr);
        assert!(stderr.contains('\u{1b}'), "{command}: {stderr}");
        let output = bare(dir.path()).arg(command).output().unwrap();
        assert!(!text(&output.stderr).contains('\u{1b}'), "{command}");
    }
}

#[test]
fn a_bad_color_value_is_a_usage_error() {
    let dir = tree(&[]);
    let output = bare(dir.path())
        .args(["lint", "--color", "sometimes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("invalid value 'sometimes' for '--color <WHEN>'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[possible values: auto, always, never]"),
        "{stderr}"
    );
}
