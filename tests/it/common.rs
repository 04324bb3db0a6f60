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

/// Implements [`Case`] for row types whose `name: &'static str` field is
/// the case's name: `common::named_rows!(Refused, Accepted);`.
macro_rules! named_rows {
    ($($row:ty),+ $(,)?) => {
        $(impl $crate::common::Case for $row {
            fn name(&self) -> &str {
                self.name
            }
        })+
    };
}
pub(crate) use named_rows;

/// xorshift64*: a small deterministic generator for sampled tests, seeded
/// with a fixed value, so a failure reproduces.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n`: the high bits, which are the generator's best.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 32) % n as u64) as usize
    }
}

/// Checks a diagnostic's message and where it points.
#[track_caller]
pub fn assert_message_at(
    d: &cachekeys::diagnostic::Diagnostic,
    message: &str,
    line: usize,
    column: usize,
) {
    assert_eq!(d.message, message);
    assert_eq!(
        (d.location.line, d.location.column),
        (line, column),
        "wrong position for `{}`",
        d.message
    );
}
