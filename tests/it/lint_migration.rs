//! A migration on real code (issue 8): the Redis key families of
//! ChirpStack, written as a catalogue, and the functions of ChirpStack
//! that build those keys by hand (excerpts, MIT). Every hand-written site
//! of a catalogued family must be reported as CK001 naming the right
//! generated function; `expected.txt` lists them (60 sites, 26 families).

use std::collections::BTreeSet;
use std::path::Path;

use cachekeys::lint::{Options, lint};

const DIR: &str = "tests/fixtures/lint/migration/chirpstack";

#[test]
fn every_hand_written_chirpstack_key_is_reported_with_its_generated_function() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
    let catalogue =
        cachekeys::catalogue::load(root.join("keys.yaml")).expect("the catalogue loads");
    let outcome = lint(&Options {
        paths: vec![root.join("src")],
        catalogue: Some(catalogue),
        threads: 1,
    });
    let src = root.join("src");
    let found: BTreeSet<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == Some("CK001"))
        .map(|d| {
            let help = d.help.as_deref().unwrap_or_default();
            let function = help
                .split('`')
                .nth(1)
                .and_then(|call| call.split('(').next())
                .unwrap_or_default();
            let path = d
                .location
                .path
                .strip_prefix(&src)
                .unwrap_or(&d.location.path);
            format!("{}:{} {function}", path.display(), d.location.line)
        })
        .collect();
    let expected: BTreeSet<String> = std::fs::read_to_string(root.join("expected.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_owned)
        .collect();
    assert_eq!(expected.len(), 60, "expected.txt lists the 60 sites");
    let missed: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "CK001 missed {missed:?}, reported wrongly {extra:?}"
    );
}
