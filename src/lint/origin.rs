//! Where a site's code lives: which program, and whether it is test code.
//!
//! Two programs that happen to share a key format do not share keys, so
//! CK002 groups sites per program: the workspace a crate belongs to (its
//! members share stores, as docs.rs's builder and web server share one
//! bucket), or the crate alone. Test code copies production keys to check
//! them; a copy is not a second writer, so rules treat it apart (see
//! `rules/`). Files under `tests/`, `benches/` and `examples/` are test
//! code, and so are `tests.rs` and `*_test.rs` modules; `#[test]`
//! functions and `#[cfg(test)]` items are marked during extraction.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::extract::Site;

/// Per site: its program and whether its file is test code.
#[derive(Clone, Debug, Default)]
pub struct Origins {
    /// An id per program (workspace or crate); equal ids, same program.
    pub program: Vec<usize>,
    /// Whether the site's file is test code by its path.
    pub in_test: Vec<bool>,
}

impl Origins {
    /// The origins of `sites`, found from the `Cargo.toml` files between
    /// each site and the linted path that holds it (`roots`; the current
    /// directory when empty). Nothing above a root is read.
    pub fn of(sites: &[Site], roots: &[PathBuf]) -> Origins {
        let roots: Vec<PathBuf> = if roots.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            roots
                .iter()
                .map(|r| {
                    if r.is_file() {
                        r.parent().map(Path::to_owned).unwrap_or_default()
                    } else {
                        r.clone()
                    }
                })
                .collect()
        };
        let mut finder = Finder::default();
        let mut ids: HashMap<PathBuf, usize> = HashMap::new();
        let mut origins = Origins::default();
        for site in sites {
            let path = &site.location.path;
            let root = roots
                .iter()
                .filter(|r| path.starts_with(r))
                .max_by_key(|r| r.components().count())
                .cloned()
                .unwrap_or_default();
            let program = finder.program(path, &root);
            let next = ids.len();
            origins.program.push(*ids.entry(program).or_insert(next));
            origins
                .in_test
                .push(is_test_path(path.strip_prefix(&root).unwrap_or(path)));
        }
        origins
    }
}

/// Whether a path (relative to the linted root) is test code: under a
/// `tests`, `benches` or `examples` directory, or a `tests.rs`,
/// `*_test.rs` or `*_tests.rs` module.
pub fn is_test_path(path: &Path) -> bool {
    let mut components = path.components().peekable();
    while let Some(component) = components.next() {
        let name = component.as_os_str().to_string_lossy();
        if components.peek().is_some() {
            if matches!(name.as_ref(), "tests" | "benches" | "examples") {
                return true;
            }
        } else {
            let stem = name.strip_suffix(".rs").unwrap_or(&name);
            return matches!(stem, "tests" | "test")
                || stem.ends_with("_test")
                || stem.ends_with("_tests");
        }
    }
    false
}

/// Finds programs, reading each directory's `Cargo.toml` once.
#[derive(Default)]
struct Finder {
    /// Directory -> whether it has a `Cargo.toml`, and whether that one
    /// declares a workspace.
    manifests: HashMap<PathBuf, Option<bool>>,
}

impl Finder {
    fn manifest(&mut self, dir: &Path) -> Option<bool> {
        *self.manifests.entry(dir.to_owned()).or_insert_with(|| {
            let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
            Some(text.lines().any(|l| l.trim() == "[workspace]"))
        })
    }

    /// The program of `path`: the workspace around its crate, else its
    /// crate, else `root`.
    fn program(&mut self, path: &Path, root: &Path) -> PathBuf {
        let within = |dir: &Path| dir.starts_with(root);
        let mut crate_dir = None;
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| within(d)) {
            if let Some(workspace) = self.manifest(d) {
                if workspace {
                    return d.to_owned();
                }
                crate_dir.get_or_insert_with(|| d.to_owned());
            }
            dir = d.parent();
        }
        crate_dir.unwrap_or_else(|| root.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths() {
        for path in [
            "tests/api.rs",
            "crates/a/tests/api.rs",
            "benches/b.rs",
            "examples/demo/src/main.rs",
            "src/cache/tests.rs",
            "src/cache/multilevel_test.rs",
        ] {
            assert!(is_test_path(Path::new(path)), "{path}");
        }
        for path in ["src/lib.rs", "src/tests_util.rs", "src/latest.rs"] {
            assert!(!is_test_path(Path::new(path)), "{path}");
        }
    }
}
