//! How `cachekeys check` scales with catalogue size: 500 to 5,000 keys, on
//! the synthetic catalogues of [`support`]. Run: `cargo bench --bench check`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

mod support;
use support::clean_catalogue;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for n in [500, 1000, 2000, 5000] {
        let (text, parsed) = clean_catalogue(n);
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
