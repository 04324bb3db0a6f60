//! `parse` of a 200-entry catalogue (`tests/fixtures/parse_200.yaml`, 20
//! groups of every parameter type): how long decoding one key takes, for a
//! key of the first entry, of a middle one, of the last one, for a key no
//! entry renders, and for one key of every entry in turn.
//!
//! A decoder that tries every entry in catalogue order pays for the entries
//! before the match (and for all of them on a miss); one that dispatches on
//! the literal head pays about the same for every key.
//!
//! Run: `cargo bench --bench parse`. The module is the checked-in
//! `tests/generated/parse_200.rs`; `CACHEKEYS_BLESS=1 cargo test --test
//! generated_code` refreshes it.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

#[allow(dead_code)]
mod keys {
    include!("../tests/generated/parse_200.rs");
}

/// A key of entry `i` of the catalogue, by the shape of `i % 10` (see the
/// fixture).
fn key_of(i: usize) -> String {
    let head = format!("bench:1:g{}:k{i}:", i / 10);
    let tail = match i % 10 {
        0 => "items:1234567".to_owned(),
        1 => "items:1234567:meta".to_owned(),
        2 => "by-name:alice%40example.com".to_owned(),
        3 => "session:67e55044-10b1-426f-9247-bb680e5fe0c8".to_owned(),
        4 => "flags:42:true".to_owned(),
        5 => "feed:eu-west:3".to_owned(),
        6 => "delta:-99".to_owned(),
        7 => format!("digest:{}", "ab".repeat(32)),
        8 => "pair:-7:255".to_owned(),
        _ => "static".to_owned(),
    };
    format!("{head}{tail}")
}

fn parse(c: &mut Criterion) {
    let all: Vec<String> = (0..200).map(key_of).collect();
    for key in &all {
        let parsed = keys::parse(key).unwrap_or_else(|| panic!("{key} does not parse"));
        assert_eq!(&parsed.render(), key);
    }
    let miss = "bench:1:g19:k199:statik";
    assert!(keys::parse(miss).is_none());

    let mut group = c.benchmark_group("parse_200");
    for (case, key) in [
        ("first", all[0].as_str()),
        ("middle", all[105].as_str()),
        ("last", all[198].as_str()),
        ("miss", miss),
    ] {
        group.bench_function(case, |b| b.iter(|| black_box(keys::parse(black_box(key)))));
    }
    group.bench_function("every_entry", |b| {
        b.iter(|| {
            for key in &all {
                black_box(keys::parse(black_box(key)));
            }
        });
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = parse
}
criterion_main!(benches);
