//! The build-script example in `examples/build-script` is a real, standalone
//! crate that depends on cachekeys with `default-features = false`. These
//! tests build it with cargo: its keys are exactly right, the generated code
//! is warning- and clippy-clean under `#![deny(missing_docs, warnings)]`, the
//! CLI's dependencies (and all of syn) are not compiled, and a broken
//! catalogue fails the build with the rendered diagnostic.
//!
//! Every run uses `target/example-build-script` as its target directory, so
//! nothing is written under `examples/` and repeated runs are incremental.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The cachekeys repository root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example_dir() -> PathBuf {
    root().join("examples").join("build-script")
}

fn example_manifest() -> PathBuf {
    example_dir().join("Cargo.toml")
}

/// A cargo command run from the root with the example's target directory.
fn cargo(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(args)
        .current_dir(root())
        .env(
            "CARGO_TARGET_DIR",
            root().join("target").join("example-build-script"),
        )
        .env("CARGO_TERM_COLOR", "never");
    command
}

fn run(mut command: Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"))
}

/// Describes a finished command for assertion messages.
fn report(output: &Output) -> String {
    format!(
        "status: {}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

#[test]
fn example_prints_the_catalogue_keys() {
    let manifest = example_manifest();
    let output = run(cargo(&[
        "run",
        "--quiet",
        "--manifest-path",
        manifest.to_str().expect("UTF-8 path"),
    ]));
    assert!(
        output.status.success(),
        "the example failed\n{}",
        report(&output)
    );
    let stdout = String::from_utf8(output.stdout.clone()).expect("UTF-8 output");
    let expected = [
        // prefix, version, pattern.
        "myshop:1:users:profile:42",
        "myshop:1:users:profile:18446744073709551615",
        // A per-key version; `+` and `@` are percent-encoded, `.` is not.
        "myshop:2:users:by-email:Ada.Lovelace%2Bshop%40example.com",
        "myshop:1:users:flags:42:true",
        "myshop:1:users:flags:7:false",
        // Lowercase, hyphenated 8-4-4-4-12.
        "myshop:1:sessions:67e55044-10b1-426f-9247-bb680e5fe0c8",
        // Space, separator, slash and `%` itself, as uppercase `%XX`.
        "myshop:1:catalog:search:a%20b%3Ac%2F100%25",
        // Non-ASCII text is encoded byte by byte (UTF-8 `é` is C3 A9).
        "myshop:1:catalog:search:caf%C3%A9",
        "myshop:1:health",
        // Every enum value, in catalogue order.
        "myshop:1:catalog:listing:price-asc:3",
        "myshop:1:catalog:listing:price-desc:3",
        "myshop:1:catalog:listing:newest:3",
    ];
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        expected,
        "unexpected keys\n{}",
        report(&output)
    );
}

#[test]
fn example_is_clippy_clean() {
    let manifest = example_manifest();
    let output = run(cargo(&[
        "clippy",
        "--quiet",
        "--manifest-path",
        manifest.to_str().expect("UTF-8 path"),
        "--",
        "-D",
        "warnings",
    ]));
    assert!(
        output.status.success(),
        "clippy found problems in the example or its generated keys\n{}",
        report(&output)
    );
}

#[test]
fn build_script_users_do_not_compile_the_cli() {
    let manifest = example_manifest();
    // `-e build` alone stops at cachekeys itself (its own dependencies are
    // normal edges), so include normal edges to see what it pulls in.
    let output = run(cargo(&[
        "tree",
        "--manifest-path",
        manifest.to_str().expect("UTF-8 path"),
        "-e",
        "normal,build",
        "--target",
        "all",
        "--prefix",
        "none",
    ]));
    assert!(
        output.status.success(),
        "cargo tree failed\n{}",
        report(&output)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let crates: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(
        crates.contains(&"cachekeys"),
        "cachekeys is not a build dependency\n{}",
        report(&output)
    );
    // Proof that the tree reaches past cachekeys, so the absences below mean
    // something.
    assert!(
        crates.contains(&"syn"),
        "the tree does not show cachekeys' own dependencies\n{}",
        report(&output)
    );
    let cli: Vec<&&str> = crates
        .iter()
        .filter(|name| name.starts_with("clap") || **name == "ignore")
        .collect();
    assert!(
        cli.is_empty(),
        "build-script users compile CLI crates {cli:?}\n{}",
        report(&output)
    );
    // The generator writes its text: no pretty-printer, and syn (which
    // serde's derive needs) without `full`, the parser of all of Rust.
    assert!(
        !crates.contains(&"prettyplease"),
        "build-script users compile prettyplease\n{}",
        report(&output)
    );
    let output = run(cargo(&[
        "tree",
        "--manifest-path",
        manifest.to_str().expect("UTF-8 path"),
        "-e",
        "features",
        "--target",
        "all",
        "-i",
        "syn",
    ]));
    assert!(
        output.status.success(),
        "cargo tree failed\n{}",
        report(&output)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("syn feature \"derive\""), "{stdout}");
    assert!(
        !stdout.contains("syn feature \"full\""),
        "build-script users compile all of syn\n{stdout}"
    );
}

#[test]
fn broken_catalogue_fails_the_build_with_the_diagnostic() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let copy = dir.path();
    std::fs::create_dir(copy.join("src")).expect("create src");
    for file in ["build.rs", "Cargo.lock", "src/main.rs"] {
        std::fs::copy(example_dir().join(file), copy.join(file))
            .unwrap_or_else(|e| panic!("cannot copy {file}: {e}"));
    }

    // Out of the repository, the relative path dependency must be absolute.
    // A TOML literal string takes the path as is, backslashes included.
    let root = root().to_str().expect("UTF-8 root path");
    assert!(!root.contains('\''), "root path {root:?} has a quote");
    let manifest =
        std::fs::read_to_string(example_manifest()).expect("read the example's Cargo.toml");
    let relative = r#"path = "../..""#;
    assert!(
        manifest.contains(relative),
        "the example's Cargo.toml no longer has {relative}"
    );
    let manifest = manifest.replace(relative, &format!("path = '{root}'"));
    std::fs::write(copy.join("Cargo.toml"), manifest).expect("write Cargo.toml");

    std::fs::write(
        copy.join("keys.yaml"),
        "prefix: myshop\n\
         version: 1\n\
         keys:\n\
         \x20 users.profile:\n\
         \x20   pattern: \"users:profile:{user_id}:{locale}\"\n\
         \x20   params:\n\
         \x20     user_id: u64\n",
    )
    .expect("write keys.yaml");

    let manifest = copy.join("Cargo.toml");
    let output = run(cargo(&[
        "build",
        "--manifest-path",
        manifest.to_str().expect("UTF-8 path"),
    ]));
    assert!(
        !output.status.success(),
        "a catalogue with an undeclared placeholder built\n{}",
        report(&output)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "failed to run custom build command for `shop-keys-example",
        "error: placeholder `{locale}` is not declared in `params`",
        "--> keys.yaml:5:",
        "users:profile:{user_id}:{locale}",
        "help: declare it under `params:`",
    ] {
        assert!(
            stderr.contains(expected),
            "the build's stderr lacks {expected:?}\n{}",
            report(&output)
        );
    }
}
