//! The CI path a team gates on, scripted: a scratch crate commits the output
//! of `cachekeys gen -o src/keys.rs`, then `cargo fmt --check`,
//! `cachekeys gen --check` and `cargo clippy -- -W clippy::pedantic
//! -W clippy::nursery -D warnings` all pass, in that order. The crate is a
//! binary with private modules that uses one key function and leaves whole
//! generated modules unused, under `#![deny(warnings)]`: rustc's
//! `dead_code` must stay quiet too.
//!
//! The crate has no dependencies and cargo runs `--offline`; its target
//! directory is under cargo's `CARGO_TARGET_TMPDIR`, so reruns are
//! incremental. Without rustfmt or clippy the test is skipped, except under
//! CI (`CI=true`), where it fails: `.ci/run` installs both.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;

/// The cachekeys repository root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every catalogue the test crate generates a module from: (module, catalogue).
const CATALOGUES: [(&str, &str); 6] = [
    ("keys", "keys.yaml"),
    ("all_types", "tests/fixtures/all_types.yaml"),
    ("bounded", "tests/fixtures/bounded.yaml"),
    ("long_names", "tests/fixtures/long_names.yaml"),
    ("example", "examples/build-script/keys.yaml"),
    ("policy", "tests/fixtures/policy.yaml"),
];

fn report(what: &str, output: &Output) -> String {
    format!(
        "{what}: {}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

/// A cargo command in the scratch crate, isolated from the cargo running
/// this test.
fn cargo(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(args)
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ci-path-target"),
        )
        .env("CARGO_TERM_COLOR", "never")
        .env("NO_COLOR", "1")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS");
    command
}

/// Whether `cargo <tool> --version` runs; under CI a missing tool fails.
fn have(tool: &str) -> bool {
    let ok = Command::new(env!("CARGO"))
        .args([tool, "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "`cargo {tool}` is missing under CI; install it with `rustup component add {tool}`"
        );
        eprintln!("skipped: `cargo {tool}` is not installed");
    }
    ok
}

fn cachekeys(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("cachekeys")
        .unwrap()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn generated_files_pass_fmt_gen_check_and_pedantic_clippy_in_a_scratch_crate() {
    if !have("fmt") || !have("clippy") {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    std::fs::create_dir(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"scratch\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
    )
    .unwrap();
    // Sorted, as rustfmt orders `mod` items.
    let mut names: Vec<&str> = CATALOGUES.iter().map(|(module, _)| *module).collect();
    names.sort_unstable();
    let modules: String = names
        .iter()
        .map(|module| format!("mod {module};\n"))
        .collect();
    std::fs::write(
        dir.join("src/main.rs"),
        format!(
            "//! A binary that uses one key of one catalogue.\n\n#![deny(warnings)]\n\n{modules}\nfn main() {{\n    println!(\"{{}}\", keys::profiles::profile(42));\n}}\n"
        ),
    )
    .unwrap();

    let out = |module: &str| format!("src/{module}.rs");
    let path = |catalogue: &str| root().join(catalogue).to_str().unwrap().to_owned();
    for (module, catalogue) in CATALOGUES {
        let output = cachekeys(dir, &["gen", "-c", &path(catalogue), "-o", &out(module)]);
        assert!(output.status.success(), "{}", report("gen -o", &output));
    }

    let output = cargo(dir, &["fmt", "--check"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        report("cargo fmt --check", &output)
    );

    for (module, catalogue) in CATALOGUES {
        let output = cachekeys(
            dir,
            &["gen", "--check", "-c", &path(catalogue), "-o", &out(module)],
        );
        assert!(
            output.status.success(),
            "{}",
            report(&format!("gen --check of {catalogue}"), &output)
        );
    }

    let output = cargo(
        dir,
        &[
            "clippy",
            "--offline",
            "--",
            "-W",
            "clippy::pedantic",
            "-W",
            "clippy::nursery",
            "-D",
            "warnings",
        ],
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{}",
        report("cargo clippy", &output)
    );
    assert!(
        !stderr.contains("warning"),
        "{}",
        report("cargo clippy", &output)
    );

    // The crate runs, and prints the one key it uses.
    let output = cargo(dir, &["run", "--offline", "--quiet"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", report("cargo run", &output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "shop:1:profiles:profile:42\n"
    );
}
