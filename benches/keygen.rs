//! Generated key functions against the hand-written `format!` that produces
//! the same key. Each case is one criterion group with four functions: the
//! allocating `cachekeys` and `format`, and the same two appending to one
//! reused buffer, `cachekeys_into` (the generated `*_into`) and
//! `write_into` (`write!`). `benches/ratios.sh` turns the results into a
//! table of speedups.
//!
//! The design choices these numbers drove (a lookup table for unreserved
//! bytes, escapes from a constant table, integer and uuid digits built on
//! the stack and appended at once, worst-case capacity for percent-encoded
//! text) are in src/codegen/runtime.rs.

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

/// One case: the generated key function and its `*_into` form, and the
/// hand-written `format!` and `write!` that produce the same key.
struct Case<I, G, GI, H, HI> {
    name: &'static str,
    input: I,
    generated: G,
    generated_into: GI,
    hand_written: H,
    hand_written_into: HI,
}

/// Benchmarks a case in a group named after it, after checking once that
/// all four produce the same key. The `*_into` forms append to one buffer,
/// cleared and reused across iterations: the hot path they exist for.
fn compare<I, G, GI, H, HI>(c: &mut Criterion, case: Case<I, G, GI, H, HI>)
where
    I: Copy,
    G: Fn(I) -> String,
    GI: Fn(&mut String, I),
    H: Fn(I) -> String,
    HI: Fn(&mut String, I) -> std::fmt::Result,
{
    let Case {
        name,
        input,
        generated,
        generated_into,
        hand_written,
        hand_written_into,
    } = case;
    let expected = generated(input);
    assert_eq!(expected, hand_written(input), "case {name}: keys differ");
    let mut buf = String::new();
    generated_into(&mut buf, input);
    assert_eq!(buf, expected, "case {name}: the `*_into` key differs");
    buf.clear();
    hand_written_into(&mut buf, input).expect("writing to a String cannot fail");
    assert_eq!(buf, expected, "case {name}: the `write!` key differs");

    let mut group = c.benchmark_group(name);
    group.bench_function("cachekeys", |b| {
        b.iter(|| black_box(generated(black_box(input))));
    });
    group.bench_function("cachekeys_into", |b| {
        let mut buf = String::with_capacity(256);
        b.iter(|| {
            buf.clear();
            generated_into(&mut buf, black_box(input));
            black_box(buf.as_str());
        });
    });
    group.bench_function("format", |b| {
        b.iter(|| black_box(hand_written(black_box(input))));
    });
    group.bench_function("write_into", |b| {
        let mut buf = String::with_capacity(256);
        b.iter(|| {
            buf.clear();
            let _ = hand_written_into(&mut buf, black_box(input));
            black_box(buf.as_str());
        });
    });
    group.finish();
}

const SHORT_EMAIL: &str = "alice.smith+news@example.com";
// 61 bytes: spaces, punctuation and multi-byte UTF-8.
const LONG_EMAIL: &str = "Zoë Müller-Lüdenscheid <zoë.müller+news@straße.example>";

/// The hand-written `uuid::Uuid::hyphenated` equivalent for a `u128`,
/// written into a buffer.
fn write_session(buf: &mut String, id: u128) -> std::fmt::Result {
    write!(
        buf,
        "shop:1:users:session:{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        (id >> 96) as u32,
        (id >> 80) as u16,
        (id >> 64) as u16,
        (id >> 48) as u16,
        id & 0xffff_ffff_ffff,
    )
}

fn keygen(c: &mut Criterion) {
    compare(
        c,
        Case {
            name: "u64_profile",
            input: 42u64,
            generated: shop::profiles::profile,
            generated_into: shop::profiles::profile_into,
            hand_written: |id| format!("shop:1:profiles:profile:{id}"),
            hand_written_into: |buf: &mut String, id| write!(buf, "shop:1:profiles:profile:{id}"),
        },
    );
    compare(
        c,
        Case {
            name: "enum_u32_home",
            input: (Locale::Fr, 3u32),
            generated: |(locale, page)| shop::feeds::home(locale, page),
            generated_into: |buf: &mut String, (locale, page)| {
                shop::feeds::home_into(buf, locale, page)
            },
            hand_written: |(locale, page): (Locale, u32)| {
                format!("shop:1:feeds:home:{}:{}", locale.as_str(), page)
            },
            hand_written_into: |buf: &mut String, (locale, page): (Locale, u32)| {
                write!(buf, "shop:1:feeds:home:{}:{}", locale.as_str(), page)
            },
        },
    );
    compare(
        c,
        Case {
            name: "4ints_signed",
            input: (-100i8, 31_000i16, -1_234_567i32, 9_007_199_254_740_993i64),
            generated: |(a, b, c, d)| all_types::ints::signed(a, b, c, d),
            generated_into: |buf: &mut String, (a, b, c, d)| {
                all_types::ints::signed_into(buf, a, b, c, d)
            },
            hand_written: |(a, b, c, d)| format!("t:3:i:{a}:{b}:{c}:{d}"),
            hand_written_into: |buf: &mut String, (a, b, c, d): (i8, i16, i32, i64)| {
                write!(buf, "t:3:i:{a}:{b}:{c}:{d}")
            },
        },
    );
    compare(
        c,
        Case {
            name: "u64_bool_flags",
            input: (1_234_567u64, true),
            generated: |(id, beta)| shop::users::flags(id, beta),
            generated_into: |buf: &mut String, (id, beta)| shop::users::flags_into(buf, id, beta),
            hand_written: |(id, beta)| format!("shop:1:users:flags:{id}:{beta}"),
            hand_written_into: |buf: &mut String, (id, beta): (u64, bool)| {
                write!(buf, "shop:1:users:flags:{id}:{beta}")
            },
        },
    );
    compare(
        c,
        Case {
            name: "uuid_session",
            input: 0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8u128,
            generated: shop::users::session,
            generated_into: shop::users::session_into,
            hand_written: |id| {
                let mut buf = String::new();
                let _ = write_session(&mut buf, id);
                buf
            },
            hand_written_into: write_session,
        },
    );
    for (name, email) in [
        ("str_email_short", SHORT_EMAIL),
        ("str_email_long", LONG_EMAIL),
    ] {
        compare(
            c,
            Case {
                name,
                input: email,
                generated: shop::users::by_email,
                generated_into: shop::users::by_email_into,
                hand_written: |email| format!("shop:2:users:by-email:{}", encode(email)),
                hand_written_into: |buf: &mut String, email: &str| {
                    write!(buf, "shop:2:users:by-email:{}", encode(email))
                },
            },
        );
    }
    compare(
        c,
        Case {
            name: "u64_enum_avatar",
            input: (42u64, Size::Large),
            generated: |(id, size)| shop::profiles::avatar(id, size),
            generated_into: |buf: &mut String, (id, size)| {
                shop::profiles::avatar_into(buf, id, size)
            },
            hand_written: |(id, size): (u64, Size)| {
                format!("shop:1:profiles:avatar:{}:{}", id, size.as_str())
            },
            hand_written_into: |buf: &mut String, (id, size): (u64, Size)| {
                write!(buf, "shop:1:profiles:avatar:{}:{}", id, size.as_str())
            },
        },
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
