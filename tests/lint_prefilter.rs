//! The prefilter, function-level parsing and deferred functions are only
//! speed: linting a file through them must keep every site a rule can use.
//! For each Rust file of the lint fixtures and of this crate, the sites
//! found by parsing the whole file are compared with those found the fast
//! way (with every deferred function parsed, as the second pass would when
//! its format matters), and a deferred function must hold no evidence.
//!
//! Set `CACHEKEYS_PREFILTER_CORPUS=DIR` to run the same comparison over a
//! larger tree, e.g. the benchmark corpus (minutes, so not in CI), and
//! `CACHEKEYS_PREFILTER_CATALOGUE=FILE` to do it with a catalogue.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use cachekeys::lint::catalogue_formats;
use cachekeys::lint::extract::{
    Around, Evidence, Site, extract, extract_around, extract_functions,
};
use cachekeys::lint::prefilter::Prefilter;
use cachekeys::lint::template::{DEFAULT_SEPARATORS, Shape, shape};

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

/// A site some rule can act on without a catalogue: a key shape with
/// evidence or a hole (a CK002 group member), or spaced text that reaches
/// a cache.
fn matters(site: &Site) -> bool {
    match shape(&site.template, DEFAULT_SEPARATORS) {
        Shape::Key => site.is_key() || site.template.holes() > 0,
        Shape::Spaced => site.flows_into_cache(),
        Shape::NotKey => false,
    }
}

/// The one documented gap: a literal key with no placeholder, seen only
/// because it is passed to a call whose receiver is not named like a cache
/// (`conn.del("users:all")`). Finding those would mean searching every
/// method call, which costs a third of the scan.
fn documented_gap(site: &Site) -> bool {
    site.template.holes() == 0
        && site.evidence.iter().all(|e| match e {
            Evidence::CacheCall(call) => {
                let call = call.to_ascii_lowercase();
                !["cache", "redis", "memcache"]
                    .iter()
                    .any(|w| call.contains(w))
            }
            _ => false,
        })
}

/// How many sites that matter were checked, how many functions were
/// deferred, and the sites the fast path loses, as readable lines.
/// With a catalogue, a site whose format is one of its keys' matters too
/// (CK001), whatever its shape.
fn lost_sites(files: &[PathBuf], catalogue: Option<&Path>) -> (usize, usize, Vec<String>) {
    let formats: HashSet<String> = catalogue
        .map(|path| {
            let catalogue = cachekeys::catalogue::load(path).expect("the catalogue loads");
            catalogue_formats(&catalogue).into_keys().collect()
        })
        .unwrap_or_default();
    let prefilter = Prefilter::new(DEFAULT_SEPARATORS).with_formats(formats.iter().cloned());
    let matters = |site: &Site| matters(site) || formats.contains(&site.template.normalized());
    let mut checked = 0;
    let mut deferred_functions = 0;
    let mut lost = Vec::new();
    for path in files {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        let full = extract(path, &source);
        proc_macro2::extra::invalidate_current_thread_spans();
        let Ok(full) = full else {
            continue;
        };
        let candidates = prefilter.candidates(source.as_bytes());
        let around = if candidates.is_empty() {
            Around::default()
        } else {
            extract_around(path, &source, &candidates).unwrap_or_default()
        };
        // A deferred function must hold no evidence, and every site in it
        // that matters must have its format among the deferred templates:
        // that is what lets `lint` leave it unparsed.
        let mut fast = around.sites;
        deferred_functions += around.deferred.len();
        for deferred in &around.deferred {
            let sites = extract_functions(path, &source, std::slice::from_ref(&deferred.range));
            for site in sites.iter().filter(|&s| matters(s)) {
                let recorded = deferred
                    .templates
                    .iter()
                    .any(|t| t.normalized() == site.template.normalized());
                if !site.evidence.is_empty() || !recorded {
                    lost.push(format!(
                        "{}:{}:{}: deferred wrongly: {:?} {:?}",
                        path.display(),
                        site.location.line,
                        site.location.column,
                        site.template.normalized(),
                        site.evidence
                    ));
                }
            }
            fast.extend(sites);
        }
        proc_macro2::extra::invalidate_current_thread_spans();
        for site in full.iter().filter(|&s| matters(s) && !documented_gap(s)) {
            checked += 1;
            let kept = fast.iter().any(|f| {
                f.location.span == site.location.span
                    && f.template == site.template
                    && f.evidence == site.evidence
                    && f.values == site.values
            });
            if !kept {
                lost.push(format!(
                    "{}:{}:{}: {:?} {:?}",
                    path.display(),
                    site.location.line,
                    site.location.column,
                    site.template.normalized(),
                    site.evidence
                ));
            }
        }
    }
    (checked, deferred_functions, lost)
}

#[test]
fn the_fast_path_keeps_every_site_of_the_fixtures_and_this_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("tests/fixtures/lint"), &mut files);
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("templates"), &mut files);
    files.sort();
    let (checked, deferred, lost) = lost_sites(&files, None);
    assert!(
        checked > 50,
        "only {checked} sites checked: is the fixture tree there?"
    );
    assert!(
        deferred > 5,
        "only {deferred} functions deferred: the deferral is not exercised"
    );
    assert!(
        lost.is_empty(),
        "sites lost by the fast path:\n{}",
        lost.join("\n")
    );
}

/// The same with the CK001 fixture's catalogue, plus a key whose format
/// (`{}:{}`) is no key shape at all, written by hand where nothing else
/// would make the function a candidate.
#[test]
fn the_fast_path_keeps_every_catalogue_format() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("keys.yaml");
    let yaml = std::fs::read_to_string("tests/fixtures/lint/ck001/keys.yaml").unwrap();
    let extra =
        "\n  pairs.pair:\n    pattern: \"{tenant}:{id}\"\n    params: { tenant: u32, id: u64 }\n";
    std::fs::write(&catalogue, format!("{}{extra}", yaml.trim_end())).unwrap();
    let code = dir.path().join("pairs.rs");
    std::fs::write(
        &code,
        "pub fn pair(tenant: u32, id: u64) -> String {\n    format!(\"{}:{}\", tenant, id)\n}\n",
    )
    .unwrap();
    let mut files = vec![code];
    rust_files(Path::new("tests/fixtures/lint/ck001"), &mut files);
    let (checked, _, lost) = lost_sites(&files, Some(&catalogue));
    assert!(checked > 3, "only {checked} sites checked");
    assert!(
        lost.is_empty(),
        "sites lost by the fast path:\n{}",
        lost.join("\n")
    );
}

#[test]
fn the_fast_path_keeps_every_site_of_a_corpus() {
    let Some(corpus) = std::env::var_os("CACHEKEYS_PREFILTER_CORPUS") else {
        return;
    };
    let mut files = Vec::new();
    rust_files(Path::new(&corpus), &mut files);
    files.sort();
    let catalogue = std::env::var_os("CACHEKEYS_PREFILTER_CATALOGUE");
    let (checked, deferred, lost) = lost_sites(&files, catalogue.as_deref().map(Path::new));
    eprintln!(
        "{} files, {checked} sites checked, {deferred} functions deferred, {} lost",
        files.len(),
        lost.len()
    );
    assert!(
        lost.is_empty(),
        "sites lost by the fast path:\n{}",
        lost.join("\n")
    );
}
