//! Safe writes: what `gen -o`, `init -o` and `compile()` refuse to
//! replace, and how they replace what they may.
//!
//! Device nodes are made with `mknod` inside the test's temp dir, so that a
//! regression replaces a copy, never the machine's `/dev/null`. Where
//! `mknod` is not allowed (not root), the real `/dev` node is used: without
//! root it cannot be replaced anyway.

#![cfg(unix)]

use crate::common;

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::{cachekeys, project};
use predicates::prelude::*;

/// Against a hang (a FIFO read), not a speed goal.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// A character device with `/dev/NAME`'s numbers, made in `dir`; the real
/// `/dev/NAME` where `mknod` is not allowed.
fn device(dir: &Path, name: &str, major: u32, minor: u32) -> PathBuf {
    let path = dir.join(name);
    let made = std::process::Command::new("mknod")
        .arg(&path)
        .arg("c")
        .arg(major.to_string())
        .arg(minor.to_string())
        .status()
        .is_ok_and(|status| status.success());
    if made {
        path
    } else {
        Path::new("/dev").join(name)
    }
}

fn fifo(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    path
}

/// The module `gen` prints for the project in `dir`.
fn generated(dir: &Path) -> Vec<u8> {
    cachekeys(dir)
        .arg("gen")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone()
}

/// The names in `dir`, sorted: to see that no temp file is left behind.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn gen_refuses_a_device(name: &str, major: u32, minor: u32) {
    let dir = project();
    let node = device(dir.path(), name, major, minor);
    let shown = if node.starts_with(dir.path()) {
        name.to_owned()
    } else {
        node.display().to_string()
    };
    cachekeys(dir.path())
        .args(["gen", "-o", &shown])
        .timeout(HANG_GUARD)
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "error: refusing to write `{shown}`: it is a character device\n  --> {shown}\n  = help: name a regular file or a path that does not exist yet (`cachekeys gen` without `-o` prints to stdout)\n"
        ));
    assert!(fs::metadata(&node).unwrap().file_type().is_char_device());
}

#[test]
fn gen_out_refuses_dev_null() {
    gen_refuses_a_device("null", 1, 3);
}

#[test]
fn gen_out_refuses_dev_full() {
    gen_refuses_a_device("full", 1, 7);
}

#[test]
fn gen_out_refuses_dev_zero() {
    gen_refuses_a_device("zero", 1, 5);
}

#[test]
fn gen_out_refuses_a_fifo_without_hanging() {
    let dir = project();
    fifo(dir.path(), "keys.rs");
    cachekeys(dir.path())
        .args(["gen", "-o", "keys.rs"])
        .timeout(HANG_GUARD)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: refusing to write `keys.rs`: it is a FIFO (named pipe)",
        ));
    assert!(
        fs::metadata(dir.path().join("keys.rs"))
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn gen_out_refuses_a_directory() {
    let dir = project();
    fs::create_dir(dir.path().join("src")).unwrap();
    cachekeys(dir.path())
        .args(["gen", "-o", "src"])
        .assert()
        .code(2)
        .stderr(
            "error: refusing to write `src`: it is a directory\n  --> src\n  = help: name a file, such as `src/keys.rs`, not a directory\n",
        );
}

#[test]
fn gen_out_refuses_the_catalogue() {
    let dir = project();
    let before = fs::read(dir.path().join("keys.yaml")).unwrap();
    cachekeys(dir.path())
        .args(["gen", "-o", "keys.yaml"])
        .assert()
        .code(2)
        .stderr(
            "error: refusing to write `keys.yaml`: it is the catalogue being read\n  --> keys.yaml\n  = help: write the generated module to another file, such as `src/keys.rs`\n",
        );
    assert_eq!(fs::read(dir.path().join("keys.yaml")).unwrap(), before);
}

#[test]
fn gen_out_refuses_the_catalogue_by_another_name() {
    let dir = project();
    let before = fs::read(dir.path().join("keys.yaml")).unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    symlink("keys.yaml", dir.path().join("link.yaml")).unwrap();
    fs::hard_link(dir.path().join("keys.yaml"), dir.path().join("hard.yaml")).unwrap();
    for out in ["./sub/../keys.yaml", "hard.yaml"] {
        cachekeys(dir.path())
            .args(["gen", "-o", out])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "error: refusing to write `{out}`: it is the catalogue being read"
            )));
    }
    cachekeys(dir.path())
        .args(["gen", "-c", "link.yaml", "-o", "keys.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: refusing to write `keys.yaml`: it is the catalogue being read",
        ));
    cachekeys(dir.path())
        .args(["gen", "-o", "link.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: refusing to write `link.yaml`: its symlink target `keys.yaml` is the catalogue being read",
        ));
    assert_eq!(fs::read(dir.path().join("keys.yaml")).unwrap(), before);
}

#[test]
fn gen_check_refuses_the_catalogue() {
    let dir = project();
    cachekeys(dir.path())
        .args(["gen", "--check", "-o", "keys.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: refusing to write `keys.yaml`: it is the catalogue being read",
        ));
}

#[test]
fn gen_check_refuses_a_fifo_without_hanging() {
    let dir = project();
    fifo(dir.path(), "keys.rs");
    cachekeys(dir.path())
        .args(["gen", "--check", "-o", "keys.rs"])
        .timeout(HANG_GUARD)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: refusing to write `keys.rs`: it is a FIFO (named pipe)",
        ));
}

#[test]
fn gen_check_on_a_directory_names_the_output_not_the_catalogue() {
    let dir = project();
    fs::create_dir(dir.path().join("keys.rs")).unwrap();
    cachekeys(dir.path())
        .args(["gen", "--check", "-o", "keys.rs"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("catalogue `keys.rs`").not())
        .stderr(predicate::str::contains(
            "error: refusing to write `keys.rs`: it is a directory",
        ));
}

/// `/proc/self/mem` is a regular file whose first byte cannot be read
/// (EIO): a read error on the output, whoever runs the test.
#[cfg(target_os = "linux")]
#[test]
fn a_read_error_on_the_output_is_reported_as_one() {
    let dir = project();
    for args in [
        ["gen", "-o", "/proc/self/mem"].as_slice(),
        ["gen", "--check", "-o", "/proc/self/mem"].as_slice(),
    ] {
        cachekeys(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "error: cannot read the existing `/proc/self/mem` to compare it with the new content: ",
            ))
            .stderr(predicate::str::contains("catalogue").not());
    }
}

#[test]
fn gen_out_writes_through_a_symlink_and_keeps_the_link() {
    let dir = project();
    fs::create_dir(dir.path().join("real")).unwrap();
    fs::write(dir.path().join("real/keys.rs"), "// stale\n").unwrap();
    symlink("real/keys.rs", dir.path().join("keys.rs")).unwrap();
    cachekeys(dir.path())
        .args(["gen", "-o", "keys.rs"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("wrote keys.rs"));
    let link = dir.path().join("keys.rs");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("real/keys.rs"));
    assert_eq!(
        fs::read(dir.path().join("real/keys.rs")).unwrap(),
        generated(dir.path())
    );
    assert_eq!(names(&dir.path().join("real")), ["keys.rs"]);
}

#[test]
fn gen_out_creates_the_target_of_a_dangling_symlink() {
    let dir = project();
    fs::create_dir(dir.path().join("real")).unwrap();
    symlink("real/keys.rs", dir.path().join("keys.rs")).unwrap();
    cachekeys(dir.path())
        .args(["gen", "-o", "keys.rs"])
        .assert()
        .code(0);
    assert!(
        fs::symlink_metadata(dir.path().join("keys.rs"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read(dir.path().join("real/keys.rs")).unwrap(),
        generated(dir.path())
    );
}

#[test]
fn gen_out_keeps_the_files_permissions() {
    let dir = project();
    let out = dir.path().join("keys.rs");
    fs::write(&out, "// stale\n").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).unwrap();
    cachekeys(dir.path())
        .args(["gen", "-o", "keys.rs"])
        .assert()
        .code(0);
    assert_eq!(fs::read(&out).unwrap(), generated(dir.path()));
    assert_eq!(
        fs::metadata(&out).unwrap().permissions().mode() & 0o7777,
        0o640
    );
}

#[test]
fn gen_out_replaces_a_huge_sparse_file() {
    let dir = project();
    let out = dir.path().join("keys.rs");
    let file = fs::File::create(&out).unwrap();
    file.set_len(1 << 30).unwrap();
    drop(file);
    cachekeys(dir.path())
        .args(["gen", "-o", "keys.rs"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("wrote keys.rs"));
    assert_eq!(fs::read(&out).unwrap(), generated(dir.path()));
    assert_eq!(names(dir.path()), ["keys.rs", "keys.yaml"]);
}

#[test]
fn gen_check_on_a_huge_sparse_file_is_stale_and_says_what_it_compared() {
    let dir = project();
    let file = fs::File::create(dir.path().join("keys.rs")).unwrap();
    file.set_len(1 << 30).unwrap();
    drop(file);
    cachekeys(dir.path())
        .args(["gen", "--check", "-o", "keys.rs"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`keys.rs` is stale"))
        .stderr(predicate::str::contains("bytes of `keys.rs` were compared"));
}

/// The old temp name was `.NAME.PID.tmp`, opened with `File::create`: a
/// symlink planted there redirected the write. Run in this process, so
/// the PID is known.
#[test]
fn a_symlink_planted_at_a_predictable_temp_name_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    fs::write(&victim, "precious").unwrap();
    let planted = dir
        .path()
        .join(format!(".keys.rs.{}.tmp", std::process::id()));
    symlink(&victim, &planted).unwrap();
    let out = dir.path().join("keys.rs");
    assert!(cachekeys::__private::write_if_changed(&out, "fn main() {}\n").unwrap());
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert!(!fs::symlink_metadata(&out).unwrap().file_type().is_symlink());
    assert_eq!(fs::read_to_string(&out).unwrap(), "fn main() {}\n");
    assert_eq!(
        names(dir.path()),
        [
            planted.file_name().unwrap().to_str().unwrap(),
            "keys.rs",
            "victim"
        ]
    );
}

#[test]
fn gen_to_a_full_stdout_exits_2() {
    let dir = project();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("cachekeys"))
        .arg("gen")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: cannot write the output: No space left on device"),
        "{stderr}"
    );
}

#[test]
fn init_out_refuses_a_device() {
    let dir = tempfile::tempdir().unwrap();
    let node = device(dir.path(), "null", 1, 3);
    cachekeys(dir.path())
        .args(["init", "--force", "-o"])
        .arg(&node)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it is a character device"));
    assert!(fs::metadata(&node).unwrap().file_type().is_char_device());
}

#[test]
fn init_out_refuses_a_fifo_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    fifo(dir.path(), "keys.yaml");
    cachekeys(dir.path())
        .args(["init", "--force"])
        .timeout(HANG_GUARD)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: refusing to write `keys.yaml`: it is a FIFO (named pipe)",
        ));
}

#[test]
fn init_out_writes_through_a_symlink_and_keeps_permissions() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("real.yaml"), "old: 1\n").unwrap();
    fs::set_permissions(
        dir.path().join("real.yaml"),
        fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    symlink("real.yaml", dir.path().join("keys.yaml")).unwrap();
    cachekeys(dir.path())
        .args(["init", "--force"])
        .assert()
        .code(0);
    assert!(
        fs::symlink_metadata(dir.path().join("keys.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let real = dir.path().join("real.yaml");
    assert!(
        fs::read_to_string(&real)
            .unwrap()
            .starts_with("# The cache key catalogue")
    );
    assert_eq!(
        fs::metadata(&real).unwrap().permissions().mode() & 0o7777,
        0o640
    );
}

#[test]
fn compile_refuses_to_overwrite_the_catalogue() {
    let dir = project();
    let catalogue = dir.path().join("keys.yaml");
    let before = fs::read(&catalogue).unwrap();
    let error = cachekeys::Config::new()
        .out_dir(dir.path())
        .file_name("keys.yaml")
        .emit_rerun_if_changed(false)
        .compile(&catalogue)
        .unwrap_err();
    assert!(
        error
            .to_snippets(false)
            .starts_with("error: refusing to write `"),
        "{error}"
    );
    assert!(
        error
            .to_snippets(false)
            .contains("keys.yaml`: it is the catalogue being read"),
        "{error}"
    );
    assert_eq!(fs::read(&catalogue).unwrap(), before);
}

#[test]
fn compile_refuses_a_fifo_and_keeps_permissions_through_a_symlink() {
    let dir = project();
    let catalogue = dir.path().join("keys.yaml");
    let out = tempfile::tempdir().unwrap();
    fifo(out.path(), "cachekeys.rs");
    let error = cachekeys::Config::new()
        .out_dir(out.path())
        .emit_rerun_if_changed(false)
        .compile(&catalogue)
        .unwrap_err();
    assert!(
        error
            .to_snippets(false)
            .contains("it is a FIFO (named pipe)"),
        "{error}"
    );

    fs::remove_file(out.path().join("cachekeys.rs")).unwrap();
    fs::write(out.path().join("real.rs"), "// stale\n").unwrap();
    fs::set_permissions(
        out.path().join("real.rs"),
        fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    symlink("real.rs", out.path().join("cachekeys.rs")).unwrap();
    cachekeys::Config::new()
        .out_dir(out.path())
        .emit_rerun_if_changed(false)
        .compile(&catalogue)
        .unwrap();
    assert!(
        fs::symlink_metadata(out.path().join("cachekeys.rs"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let real = out.path().join("real.rs");
    assert_eq!(fs::read(&real).unwrap(), generated(dir.path()));
    assert_eq!(
        fs::metadata(&real).unwrap().permissions().mode() & 0o7777,
        0o640
    );
}

#[test]
fn a_new_file_gets_the_usual_permissions_not_the_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("usual"), "").unwrap();
    let usual = fs::metadata(dir.path().join("usual"))
        .unwrap()
        .permissions()
        .mode();
    let out = dir.path().join("keys.rs");
    assert!(cachekeys::__private::write_if_changed(&out, "a\n").unwrap());
    assert_eq!(fs::metadata(&out).unwrap().permissions().mode(), usual);
}

#[test]
fn write_if_changed_writes_only_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("keys.rs");
    assert!(cachekeys::__private::write_if_changed(&out, "a\n").unwrap());
    assert!(!cachekeys::__private::write_if_changed(&out, "a\n").unwrap());
    // A prefix of the old content, and the old content plus more, are changes.
    assert!(cachekeys::__private::write_if_changed(&out, "a").unwrap());
    assert!(cachekeys::__private::write_if_changed(&out, "a\nb\n").unwrap());
    assert_eq!(fs::read_to_string(&out).unwrap(), "a\nb\n");
    assert_eq!(names(dir.path()), ["keys.rs"]);
}
