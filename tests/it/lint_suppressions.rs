//! Suppression comments through the binary: only real comments suppress
//! (the lexer decides, so a `//` line inside a string is text), and a
//! CK002 group is suppressed site by site.

use crate::common;

use common::cachekeys;

use std::path::Path;

use tempfile::TempDir;

/// A temp dir holding `files` (path, content).
fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// Runs `cachekeys lint --format concise ARGS` in `dir`: (exit code, stdout).
fn lint(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = cachekeys(dir)
        .args(["lint", "--format", "concise"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        output.status.code().expect("exited"),
        String::from_utf8(output.stdout).unwrap(),
    )
}

// --- comments, not text ------------------------------------------------------

#[test]
fn a_marker_inside_a_multi_line_string_hides_no_finding() {
    let source = "pub fn report(cache: &memcache::Client, day: u32) {
    let help = \"usage:
// cachekeys: ignore[CK006] this line is text
\"; cache.get(&format!(\"report {}\", day));
}
";
    let dir = tree(&[("src/a.rs", source)]);
    let (code, stdout) = lint(dir.path(), &[]);
    assert_eq!(
        stdout,
        "src/a.rs:4:23: CK006 [warning] this cache key contains ' '\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_marker_inside_a_raw_string_or_nested_block_comment_is_no_suppression() {
    let source = "pub const HELP: &str = r#\"
// cachekeys: ignore[CK002] an example in the help text, \"quoted\"
\"#;
/* outer /* inner */
// cachekeys: ignore[CK003] still inside the outer comment
*/
pub fn f() {}
";
    let dir = tree(&[("src/a.rs", source)]);
    let (code, stdout) = lint(dir.path(), &[]);
    assert_eq!(stdout, "", "no CK100 for text that is no comment");
    assert_eq!(code, 0);
}

/// The crate's own `--help` text shows a suppression comment inside a
/// multi-line string; it used to make `lint src/` fail with CK100.
#[test]
fn the_crate_lints_its_own_source_without_stale_suppressions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_, stdout) = lint(root, &["src"]);
    assert!(!stdout.contains("CK100"), "{stdout}");
    assert!(!stdout.contains("CK101"), "{stdout}");
}

// --- CK002, site by site -------------------------------------------------------

const PROFILE: &str = "pub fn load(cache: &Cache, id: u64) {
    cache.get(&format!(\"user:{}:profile\", id));
}
";

const ADMIN: &str = "pub fn evict(cache: &Cache, id: u64) {
    cache.del(&format!(\"user:{id}:profile\"));
}
";

/// `source` with a suppression of CK002 above its key line.
fn suppressed(source: &str) -> String {
    source.replacen(
        "{\n",
        "{\n    // cachekeys: ignore[CK002] migrating to the catalogue\n",
        1,
    )
}

#[test]
fn an_unsuppressed_group_is_reported_once() {
    let dir = tree(&[("src/a.rs", PROFILE), ("src/b.rs", ADMIN)]);
    let (code, stdout) = lint(dir.path(), &[]);
    assert_eq!(
        stdout,
        "src/a.rs:2:24: CK002 [warning] the key format `user:{}:profile` is written in 2 places\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn suppressing_the_first_site_keeps_the_finding() {
    let dir = tree(&[("src/a.rs", &suppressed(PROFILE)), ("src/b.rs", ADMIN)]);
    let (code, stdout) = lint(dir.path(), &[]);
    assert_eq!(
        stdout,
        "src/a.rs:3:24: CK002 [warning] the key format `user:{}:profile` is written in 2 places\n",
        "src/b.rs is not suppressed, and the suppression in src/a.rs is used"
    );
    assert_eq!(code, 1);
}

#[test]
fn suppressing_another_site_keeps_the_finding_and_is_used() {
    let dir = tree(&[("src/a.rs", PROFILE), ("src/b.rs", &suppressed(ADMIN))]);
    let (code, stdout) = lint(dir.path(), &[]);
    assert_eq!(
        stdout,
        "src/a.rs:2:24: CK002 [warning] the key format `user:{}:profile` is written in 2 places\n",
        "no CK100 for the suppression in src/b.rs"
    );
    assert_eq!(code, 1);
}

#[test]
fn suppressing_every_site_hides_the_finding() {
    let dir = tree(&[
        ("src/a.rs", &suppressed(PROFILE)),
        ("src/b.rs", &suppressed(ADMIN)),
    ]);
    let (code, stdout) = lint(dir.path(), &[]);
    assert_eq!(stdout, "");
    assert_eq!(code, 0);
}

#[test]
fn a_file_ignore_counts_for_every_site_in_its_file() {
    let both = format!("// cachekeys: file-ignore[CK002]\n{PROFILE}{ADMIN}");
    let dir = tree(&[("src/a.rs", &both)]);
    let (code, stdout) = lint(dir.path(), &[]);
    assert_eq!(stdout, "");
    assert_eq!(code, 0);
}
