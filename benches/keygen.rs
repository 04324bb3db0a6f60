//! Generated key functions against the hand-written `format!` that produces
//! the same key. Each case is one criterion group with two functions,
//! `cachekeys` and `format`; `benches/ratios.sh` turns the results into a
//! table of speedups.
//!
//! The design choices these numbers drove (a lookup table for unreserved
//! bytes, escapes from a constant table, uuid digits built on the stack,
//! worst-case capacity for percent-encoded text) are in templates/runtime.rs.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

// The modules hold every key of their catalogue; the bench calls only some.
#[allow(dead_code)]
mod all_types {
    include!("../tests/generated/all_types.rs");
}
#[allow(dead_code)]
mod shop {
    include!("../tests/generated/shop_keys.rs");
}

use shop::feeds::Locale;
use shop::profiles::Size;

/// The percent-encoder a hand-written key typically uses: every byte outside
/// `A-Z a-z 0-9 - . _ ~` becomes `%XX`, the same output as the generated code.
fn encode(value: &str) -> String {
    let mut s = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            s.push(char::from(b));
        } else {
            write!(s, "%{b:02X}").expect("writing to a String cannot fail");
        }
    }
    s
}

/// The hand-written `uuid::Uuid::hyphenated` equivalent for a `u128`.
fn format_session(id: u128) -> String {
    format!(
        "shop:1:users:session:{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        (id >> 96) as u32,
        (id >> 80) as u16,
        (id >> 64) as u16,
        (id >> 48) as u16,
        id & 0xffff_ffff_ffff,
    )
}

/// Benchmarks `generated` against `hand_written` in a group named `case`,
/// after checking once that both produce the same key for `input`.
fn compare<I: Copy>(
    c: &mut Criterion,
    case: &str,
    input: I,
    generated: impl Fn(I) -> String,
    hand_written: impl Fn(I) -> String,
) {
    let expected = generated(input);
    assert_eq!(expected, hand_written(input), "case {case}: keys differ");
    let mut group = c.benchmark_group(case);
    group.bench_function("cachekeys", |b| {
        b.iter(|| black_box(generated(black_box(input))));
    });
    group.bench_function("format", |b| {
        b.iter(|| black_box(hand_written(black_box(input))));
    });
    group.finish();
}

const SHORT_EMAIL: &str = "alice.smith+news@example.com";
// 61 bytes: spaces, punctuation and multi-byte UTF-8.
const LONG_EMAIL: &str = "Zoë Müller-Lüdenscheid <zoë.müller+news@straße.example>";

fn keygen(c: &mut Criterion) {
    compare(c, "u64_profile", 42u64, shop::profiles::profile, |id| {
        format!("shop:1:profiles:profile:{id}")
    });
    compare(
        c,
        "enum_u32_home",
        (Locale::Fr, 3u32),
        |(locale, page)| shop::feeds::home(locale, page),
        |(locale, page)| format!("shop:1:feeds:home:{}:{}", locale.as_str(), page),
    );
    compare(
        c,
        "4ints_signed",
        (-100i8, 31_000i16, -1_234_567i32, 9_007_199_254_740_993i64),
        |(a, b, c, d)| all_types::ints::signed(a, b, c, d),
        |(a, b, c, d)| format!("t:3:i:{a}:{b}:{c}:{d}"),
    );
    compare(
        c,
        "u64_bool_flags",
        (1_234_567u64, true),
        |(id, beta)| shop::users::flags(id, beta),
        |(id, beta)| format!("shop:1:users:flags:{id}:{beta}"),
    );
    compare(
        c,
        "uuid_session",
        0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8u128,
        shop::users::session,
        format_session,
    );
    compare(
        c,
        "str_email_short",
        SHORT_EMAIL,
        shop::users::by_email,
        |email| format!("shop:2:users:by-email:{}", encode(email)),
    );
    compare(
        c,
        "str_email_long",
        LONG_EMAIL,
        shop::users::by_email,
        |email| format!("shop:2:users:by-email:{}", encode(email)),
    );
    compare(
        c,
        "u64_enum_avatar",
        (42u64, Size::Large),
        |(id, size)| shop::profiles::avatar(id, size),
        |(id, size)| format!("shop:1:profiles:avatar:{}:{}", id, size.as_str()),
    );
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
    targets = keygen
}
criterion_main!(benches);
