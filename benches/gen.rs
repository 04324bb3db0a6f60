//! What `cachekeys gen` costs on big catalogues, stage by stage: loading
//! the YAML, proving it safe (`check`), and generating the module
//! (`generate`, the code generator alone), at 500 to 10,000 keys, plus the
//! one-entry pathological case of [`support::adjacent`].
//!
//! Run: `cargo bench --bench gen` (one stage: `cargo bench --bench gen --
//! generate/5000`). Peak memory needs a process of its own per run:
//! `bash benches/big_catalogues.sh` times the release binary's `check` and
//! `gen` under `/usr/bin/time` on the same catalogues, which this bench
//! writes out when `CACHEKEYS_WRITE_CATALOGUES` names a directory.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion};

mod support;
use support::{adjacent, catalogue, clean_catalogue};

/// Catalogue sizes, in keys.
const SIZES: [usize; 5] = [500, 1000, 2000, 5000, 10_000];

/// Parameters of the pathological entry.
const ADJACENT: usize = 500;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("gen");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for n in SIZES {
        let (text, parsed) = clean_catalogue(n);
        group.bench_with_input(BenchmarkId::new("load", n), &text, |b, text| {
            b.iter(|| cachekeys::catalogue::parse("keys.yaml", black_box(text.as_str())))
        });
        group.bench_with_input(BenchmarkId::new("check", n), &parsed, |b, catalogue| {
            b.iter(|| cachekeys::check(black_box(catalogue)))
        });
        group.bench_with_input(BenchmarkId::new("generate", n), &parsed, |b, catalogue| {
            b.iter(|| cachekeys::generate(black_box(catalogue)))
        });
    }
    let wide = cachekeys::catalogue::parse("keys.yaml", adjacent(ADJACENT))
        .unwrap_or_else(|e| panic!("{e}"));
    group.bench_with_input(
        BenchmarkId::new("check_adjacent_params", ADJACENT),
        &wide,
        |b, catalogue| b.iter(|| cachekeys::check(black_box(catalogue))),
    );
    group.finish();
}

/// Writes `keys-<n>.yaml` for each size and `adjacent-<n>.yaml` into `dir`.
fn write_catalogues(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for n in SIZES {
        std::fs::write(dir.join(format!("keys-{n}.yaml")), catalogue(n))?;
    }
    std::fs::write(
        dir.join(format!("adjacent-{ADJACENT}.yaml")),
        adjacent(ADJACENT),
    )
}

fn main() {
    if let Some(dir) = std::env::var_os("CACHEKEYS_WRITE_CATALOGUES") {
        if let Err(e) = write_catalogues(Path::new(&dir)) {
            eprintln!("cannot write the catalogues: {e}");
            std::process::exit(2);
        }
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion);
    criterion.final_summary();
}
