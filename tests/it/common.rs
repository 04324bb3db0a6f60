//! Helpers shared by the test modules: the CLI under test, a scratch
//! project, and tables of cases.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

/// The `cachekeys` binary, run in `dir`, without colours.
pub fn cachekeys(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("cachekeys").unwrap();
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// A temp dir holding a copy of the top-level `keys.yaml`.
pub fn project() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys.yaml");
    std::fs::copy(keys, dir.path().join("keys.yaml")).unwrap();
    dir
}

/// A row of a table-driven test: a case with a name to report it by.
pub trait Case {
    /// What a failing row is called in the test's output.
    fn name(&self) -> &str;
}

/// Runs `check` on every case of a table, and fails naming each case that
/// failed. Every case runs even after one fails, so one run shows them all;
/// each failure's own message is printed above the case's name.
#[track_caller]
pub fn each_case<C: Case>(cases: &[C], check: impl Fn(&C)) {
    let failed: Vec<&str> = cases
        .iter()
        .filter(|case| {
            let outcome = catch_unwind(AssertUnwindSafe(|| check(case)));
            if outcome.is_err() {
                eprintln!("^ case `{}` failed", case.name());
            }
            outcome.is_err()
        })
        .map(Case::name)
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} cases failed: {}",
        failed.len(),
        cases.len(),
        failed.join(", ")
    );
}
