//! The trigger search is only speed: a file it skips must hold nothing
//! lint could use. For each Rust file of the lint fixtures and of this
//! crate, the file is parsed whole; when it holds a site that reaches a
//! store, a key-shaped format with a hole (a CK002 group member), or
//! anything another file's flow could need (a function, a store field, a
//! string constant), the trigger search must have kept it.
//!
//! Set `CACHEKEYS_PREFILTER_CORPUS=DIR` to run the same check over a
//! larger tree, e.g. the benchmark corpus (minutes, so not in CI).

use std::path::{Path, PathBuf};

use cachekeys::__private::lint::extract::{Site, extract, extract_file};
use cachekeys::__private::lint::prefilter::Prefilter;
use cachekeys::__private::lint::stores::DeclaredSinks;
use cachekeys::__private::lint::template::{DEFAULT_SEPARATORS, Shape, shape};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            rust_files(&path, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A site some rule can act on: one that reaches a store or has other
/// evidence, or a key shape with a hole (a CK002 group member).
fn matters(site: &Site) -> bool {
    site.is_key()
        || (shape(&site.template, DEFAULT_SEPARATORS) == Shape::Key && site.template.holes() > 0)
}

/// How many files held something that matters, and the skipped ones
/// that did, as readable lines.
fn lost_files(files: &[PathBuf]) -> (usize, Vec<String>) {
    let prefilter = Prefilter::new(DEFAULT_SEPARATORS);
    let mut checked = 0;
    let mut lost = Vec::new();
    for path in files {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        let sites = extract(path, &source);
        let whole = extract_file(path, &source, &DeclaredSinks::default());
        proc_macro2::extra::invalidate_current_thread_spans();
        let (Ok(sites), Ok(whole)) = (sites, whole) else {
            continue;
        };
        let facts = &whole.facts;
        let site = sites.iter().find(|s| matters(s));
        let needed = site.is_some()
            || facts
                .fields
                .iter()
                .any(|(_, t)| matches!(t, cachekeys::__private::lint::flow::TypeRef::Store(_)))
            || !facts.consts.is_empty()
            || facts
                .edges
                .iter()
                .any(|(_, d)| matches!(d, cachekeys::__private::lint::flow::Dest::Sink(..)));
        if !needed {
            continue;
        }
        checked += 1;
        if !prefilter.is_candidate(source.as_bytes()) {
            lost.push(format!(
                "{}: skipped, but holds {}",
                path.display(),
                site.map_or("a store or a constant".to_owned(), |s| format!(
                    "{:?} at line {}",
                    s.template.normalized(),
                    s.location.line
                ))
            ));
        }
    }
    (checked, lost)
}

#[test]
fn the_trigger_search_keeps_every_file_that_matters_in_the_fixtures_and_this_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("tests/fixtures/lint"), &mut files);
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let (checked, lost) = lost_files(&files);
    assert!(
        checked > 30,
        "only {checked} files checked: is the fixture tree there?"
    );
    assert!(
        lost.is_empty(),
        "files the trigger search lost:\n{}",
        lost.join("\n")
    );
}

#[test]
fn the_trigger_search_skips_files_without_strings_or_stores() {
    let prefilter = Prefilter::new(DEFAULT_SEPARATORS);
    assert!(!prefilter.is_candidate(b"fn add(a: u32, b: u32) -> u32 { a + b }\n"));
    assert!(!prefilter.is_candidate(b"fn log(x: u32) { println!(\"x {}\", x); }\n"));
    assert!(prefilter.is_candidate(b"fn k(x: u32) -> String { format!(\"{}\", x) }\n"));
}

#[test]
fn the_trigger_search_keeps_every_file_that_matters_in_a_corpus() {
    let Some(corpus) = std::env::var_os("CACHEKEYS_PREFILTER_CORPUS") else {
        return;
    };
    let mut files = Vec::new();
    rust_files(Path::new(&corpus), &mut files);
    files.sort();
    let (checked, lost) = lost_files(&files);
    eprintln!(
        "{} files, {checked} that matter, {} lost",
        files.len(),
        lost.len()
    );
    assert!(
        lost.is_empty(),
        "files the trigger search lost:\n{}",
        lost.join("\n")
    );
}
