//! How `cachekeys check` scales with catalogue size: 500 to 5,000 keys.
//!
//! The synthetic catalogues look like a real service's: groups of related
//! families, every parameter type, and families whose literal prefixes
//! overlap (`items:{id}` and `items:{id}:meta`) so the pairwise collision
//! search has real work. Run: `cargo bench --bench check`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// A valid, collision-free catalogue with `n` keys.
pub fn catalogue(n: usize) -> String {
    let mut yaml = String::from("prefix: bench\nversion: 1\ntarget: memcached\nkeys:\n");
    for i in 0..n {
        let group = i / 10;
        let (pattern, params) = match i % 10 {
            0 => ("items:{id}", "{ id: u64 }"),
            1 => ("items:{id}:meta", "{ id: u64 }"),
            2 => ("by-name:{name}", "{ name: { type: str, max_len: 64 } }"),
            3 => ("session:{sid}", "{ sid: uuid }"),
            4 => ("flags:{uid}:{beta}", "{ uid: u32, beta: bool }"),
            5 => (
                "feed:{locale}:{page}",
                "{ locale: { type: enum, values: [en, fr, de, eu-west] }, page: u16 }",
            ),
            6 => ("delta:{d}", "{ d: i64 }"),
            7 => ("digest:{text}", "{ text: { type: str, encode: sha256 } }"),
            8 => ("pair:{a}:{b}", "{ a: i32, b: u8 }"),
            _ => ("static", "{}"),
        };
        yaml.push_str(&format!(
            "  g{group}.k{i}:\n    pattern: \"g{group}:k{i}:{pattern}\"\n    params: {params}\n    ttl: 5m\n"
        ));
    }
    yaml
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for n in [500, 1000, 2000, 5000] {
        let text = catalogue(n);
        let parsed = cachekeys::catalogue::parse("keys.yaml", text.clone())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            cachekeys::check(&parsed).is_empty(),
            "bench catalogue must be clean"
        );
        group.bench_with_input(BenchmarkId::new("rules", n), &parsed, |b, catalogue| {
            b.iter(|| black_box(cachekeys::check(black_box(catalogue))))
        });
        group.bench_with_input(BenchmarkId::new("load_and_rules", n), &text, |b, text| {
            b.iter(|| {
                let catalogue = cachekeys::catalogue::parse("keys.yaml", text.as_str()).unwrap();
                black_box(cachekeys::check(&catalogue))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
