//! Where the project is: the catalogue a command reads when `-c` is not
//! given, and the repository root that CI paths are relative to.
//!
//! As cargo finds `Cargo.toml`, the catalogue is looked for in the current
//! directory and then in each parent, so `lint` run from `crates/api/src`
//! still checks hand-written keys against the repository's `keys.yaml`.
//! The search stops at the repository root (a directory holding `.git`, a
//! directory in a clone, a file in a worktree or submodule): a catalogue
//! above the repository belongs to some other project.

use std::path::{Path, PathBuf};

/// The file name looked for.
pub const CATALOGUE: &str = "keys.yaml";

/// The nearest of `start` and its parents that holds `.git`.
pub fn repository_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The catalogue for a run in `cwd` (absolute): `keys.yaml` in `cwd` or the
/// nearest parent up to the repository root. The path is relative to `cwd`
/// (`keys.yaml`, `../../keys.yaml`), as a user would type it, so messages
/// show it that way.
pub fn catalogue(cwd: &Path) -> Option<PathBuf> {
    let mut relative = PathBuf::new();
    for dir in cwd.ancestors() {
        if dir.join(CATALOGUE).is_file() {
            return Some(relative.join(CATALOGUE));
        }
        if dir.join(".git").exists() {
            return None;
        }
        relative.push("..");
    }
    None
}

/// The catalogue to read: the one given with `-c`, or the one discovered
/// from the current directory. `None` when there is none to discover.
pub fn resolve(given: Option<PathBuf>) -> Option<PathBuf> {
    given.or_else(|| catalogue(&std::env::current_dir().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_catalogue_up_to_the_repository_root() {
        let root = tempfile::tempdir().unwrap();
        let repo = root.path().join("repo");
        let deep = repo.join("crates/api/src");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        // Above the repository: never found.
        std::fs::write(root.path().join(CATALOGUE), "").unwrap();
        assert_eq!(catalogue(&deep), None);
        assert_eq!(repository_root(&deep), Some(repo.clone()));

        std::fs::write(repo.join(CATALOGUE), "").unwrap();
        assert_eq!(catalogue(&deep), Some(PathBuf::from("../../../keys.yaml")));
        assert_eq!(catalogue(&repo), Some(PathBuf::from("keys.yaml")));
        // The nearest one wins.
        std::fs::write(repo.join("crates/api").join(CATALOGUE), "").unwrap();
        assert_eq!(catalogue(&deep), Some(PathBuf::from("../keys.yaml")));
        // A directory named keys.yaml is not a catalogue.
        std::fs::create_dir(deep.join(CATALOGUE)).unwrap();
        assert_eq!(catalogue(&deep), Some(PathBuf::from("../keys.yaml")));
    }
}
