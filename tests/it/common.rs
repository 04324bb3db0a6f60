//! Helpers shared by the test modules: the CLI under test, a scratch
//! project.

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
