//! What lint takes for a key, on fixtures of every pattern of issue 8:
//! keys built inside calls, every shape and form, every store of the
//! table, builders and wrappers across files, constants. In the fixtures,
//! a line ending `// key` holds a key site and no other line does, so each
//! fixture checks both what is found and what is not.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cachekeys::__private::lint::key_sites;
use cachekeys::lint::Options;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lint/detect")
        .join(name)
}

/// `(file, line)` of every line marked `// key` under `dir`.
fn marked(dir: &Path) -> BTreeSet<(String, usize)> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                for (i, line) in text.lines().enumerate() {
                    if line.trim_end().ends_with("// key") {
                        out.insert((name.clone(), i + 1));
                    }
                }
            }
        }
    }
    out
}

fn check(name: &str) {
    let dir = fixture(name);
    let expected = marked(&dir);
    assert!(!expected.is_empty(), "{name}: no `// key` line");
    let catalogue = dir.join("keys.yaml");
    let catalogue = catalogue
        .exists()
        .then(|| cachekeys::catalogue::load(&catalogue).expect("the catalogue loads"));
    let found: BTreeSet<(String, usize)> = key_sites(&Options {
        paths: vec![dir.join("src")],
        catalogue,
        threads: 1,
    })
    .into_iter()
    .map(|s| {
        (
            s.location
                .path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned(),
            s.location.line,
        )
    })
    .collect();
    let missed: Vec<_> = expected.difference(&found).collect();
    let wrong: Vec<_> = found.difference(&expected).collect();
    assert!(
        missed.is_empty() && wrong.is_empty(),
        "{name}: keys missed {missed:?}, taken for keys wrongly {wrong:?}"
    );
}

#[test]
fn keys_built_inside_calls() {
    check("wrappers");
}

#[test]
fn every_shape_that_reaches_a_store() {
    check("shapes");
}

#[test]
fn keys_not_built_with_format() {
    check("forms");
}

#[test]
fn names_are_not_evidence() {
    check("names");
}

#[test]
fn every_store_of_the_table() {
    check("stores");
}

#[test]
fn builders_and_wrappers_across_files() {
    check("cross_file");
}

#[test]
fn constants_and_their_operands() {
    check("constants");
}

#[test]
fn in_house_sinks_from_the_catalogue() {
    check("declared_sinks");
}

#[test]
fn a_sink_that_is_not_a_path_is_an_error_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.yaml");
    std::fs::write(
        &path,
        "keys:\n  a.b:\n    pattern: \"a:{id}\"\n    params: { id: u64 }\nlint:\n  sinks: [\"store.put\"]\n",
    )
    .unwrap();
    let error = cachekeys::catalogue::load(&path).unwrap_err();
    let text = format!("{error:?}");
    assert!(
        text.contains("`store.put` is not a path to a function or method"),
        "{text}"
    );
    assert!(text.contains("line: 6"), "{text}");
}
