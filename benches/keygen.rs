//! Generated key functions against the hand-written `format!` that produces
//! the same key. Each case is one criterion group with two functions,
//! `cachekeys` and `format`; `benches/ratios.sh` turns the results into a
//! table of speedups.
//!
//! With `KEYGEN_SCRATCH=1` (`ratios.sh --scratch`) the bench also measures
//! alternative rendering helpers (`mod scratch`) against the generated ones.

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

/// Alternative helpers for `templates/runtime.rs`, measured against the
/// current ones. Each function renders the same key as a generated function,
/// with the same single allocation, and differs only in the helper it uses.
mod scratch {
    // ---- integers -------------------------------------------------------

    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";

    /// The digits of `n` at the end of `buf`; returns where they start.
    fn digits(buf: &mut [u8; 20], mut n: u64) -> usize {
        let mut i = buf.len();
        while n >= 100 {
            let pair = (n % 100) as usize * 2;
            n /= 100;
            i -= 2;
            buf[i] = PAIRS[pair];
            buf[i + 1] = PAIRS[pair + 1];
        }
        if n >= 10 {
            let pair = n as usize * 2;
            i -= 2;
            buf[i] = PAIRS[pair];
            buf[i + 1] = PAIRS[pair + 1];
        } else {
            i -= 1;
            buf[i] = b'0' + n as u8;
        }
        i
    }

    /// `push_u64` with one `push_str` of the digits (checked `from_utf8`).
    pub fn push_u64_str(key: &mut String, n: u64) {
        let mut buf = [0u8; 20];
        let i = digits(&mut buf, n);
        if let Ok(text) = std::str::from_utf8(&buf[i..]) {
            key.push_str(text);
        }
    }

    /// `push_u64` with `extend` over the digits (one reserve, then pushes).
    pub fn push_u64_extend(key: &mut String, n: u64) {
        let mut buf = [0u8; 20];
        let i = digits(&mut buf, n);
        key.extend(buf[i..].iter().map(|&d| char::from(d)));
    }

    pub fn push_i64_str(key: &mut String, n: i64) {
        if n < 0 {
            key.push('-');
        }
        push_u64_str(key, n.unsigned_abs());
    }

    pub fn flags_str(user_id: u64, beta: bool) -> String {
        let mut key = String::with_capacity(45);
        key.push_str("shop:1:users:flags:");
        push_u64_str(&mut key, user_id);
        key.push(':');
        key.push_str(if beta { "true" } else { "false" });
        key
    }

    pub fn flags_extend(user_id: u64, beta: bool) -> String {
        let mut key = String::with_capacity(45);
        key.push_str("shop:1:users:flags:");
        push_u64_extend(&mut key, user_id);
        key.push(':');
        key.push_str(if beta { "true" } else { "false" });
        key
    }

    /// The floor for `flags`: the allocation and the literal text only.
    pub fn flags_alloc_only(_user_id: u64, beta: bool) -> String {
        let mut key = String::with_capacity(45);
        key.push_str("shop:1:users:flags:");
        key.push_str(if beta { "true" } else { "false" });
        key
    }

    pub fn profile_str(user_id: u64) -> String {
        let mut key = String::with_capacity(44);
        key.push_str("shop:1:profiles:profile:");
        push_u64_str(&mut key, user_id);
        key
    }

    pub fn signed_str(a: i8, b: i16, c: i32, d: i64) -> String {
        let mut key = String::with_capacity(50);
        key.push_str("t:3:i:");
        push_i64_str(&mut key, i64::from(a));
        key.push(':');
        push_i64_str(&mut key, i64::from(b));
        key.push(':');
        push_i64_str(&mut key, i64::from(c));
        key.push(':');
        push_i64_str(&mut key, d);
        key
    }

    /// The current `push_u64`, unchanged but for `#[inline]`.
    #[inline]
    pub fn push_u64_inline(key: &mut String, n: u64) {
        let mut buf = [0u8; 20];
        let i = digits(&mut buf, n);
        for &digit in &buf[i..] {
            key.push(char::from(digit));
        }
    }

    pub fn flags_inline(user_id: u64, beta: bool) -> String {
        let mut key = String::with_capacity(45);
        key.push_str("shop:1:users:flags:");
        push_u64_inline(&mut key, user_id);
        key.push(':');
        key.push_str(if beta { "true" } else { "false" });
        key
    }

    pub fn profile_inline(user_id: u64) -> String {
        let mut key = String::with_capacity(44);
        key.push_str("shop:1:profiles:profile:");
        push_u64_inline(&mut key, user_id);
        key
    }

    /// The current `push_u64`, but each digit masked to 7 bits: the compiler
    /// then knows it is ASCII, and `String::push` skips its UTF-8 encoding
    /// branch (one byte store plus the capacity check).
    pub fn push_u64_ascii(key: &mut String, n: u64) {
        let mut buf = [0u8; 20];
        let i = digits(&mut buf, n);
        for &digit in &buf[i..] {
            key.push(char::from(digit & 0x7f));
        }
    }

    pub fn push_i64_ascii(key: &mut String, n: i64) {
        if n < 0 {
            key.push('-');
        }
        push_u64_ascii(key, n.unsigned_abs());
    }

    pub fn flags_ascii(user_id: u64, beta: bool) -> String {
        let mut key = String::with_capacity(45);
        key.push_str("shop:1:users:flags:");
        push_u64_ascii(&mut key, user_id);
        key.push(':');
        key.push_str(if beta { "true" } else { "false" });
        key
    }

    pub fn profile_ascii(user_id: u64) -> String {
        let mut key = String::with_capacity(44);
        key.push_str("shop:1:profiles:profile:");
        push_u64_ascii(&mut key, user_id);
        key
    }

    pub fn signed_ascii(a: i8, b: i16, c: i32, d: i64) -> String {
        let mut key = String::with_capacity(50);
        key.push_str("t:3:i:");
        push_i64_ascii(&mut key, i64::from(a));
        key.push(':');
        push_i64_ascii(&mut key, i64::from(b));
        key.push(':');
        push_i64_ascii(&mut key, i64::from(c));
        key.push(':');
        push_i64_ascii(&mut key, d);
        key
    }

    /// The whole key rendered into a stack buffer of the generator's fixed
    /// maximum length, then copied into an exact-size `String` at the end:
    /// no capacity check per byte.
    pub struct KeyBuf<const N: usize> {
        bytes: [u8; N],
        len: usize,
    }

    impl<const N: usize> KeyBuf<N> {
        pub fn new(prefix: &str) -> Self {
            let mut buf = Self {
                bytes: [0; N],
                len: 0,
            };
            buf.put_str(prefix);
            buf
        }

        pub fn put_str(&mut self, text: &str) {
            let end = self.len + text.len();
            self.bytes[self.len..end].copy_from_slice(text.as_bytes());
            self.len = end;
        }

        /// Digits written in place, right to left from the counted end.
        pub fn put_u64(&mut self, mut n: u64) {
            let count = n.checked_ilog10().map_or(1, |log| log as usize + 1);
            let mut i = self.len + count;
            self.len = i;
            while n >= 100 {
                let pair = (n % 100) as usize * 2;
                n /= 100;
                i -= 2;
                self.bytes[i] = PAIRS[pair];
                self.bytes[i + 1] = PAIRS[pair + 1];
            }
            if n >= 10 {
                let pair = n as usize * 2;
                self.bytes[i - 2] = PAIRS[pair];
                self.bytes[i - 1] = PAIRS[pair + 1];
            } else {
                self.bytes[i - 1] = b'0' + n as u8;
            }
        }

        pub fn put_i64(&mut self, n: i64) {
            if n < 0 {
                self.put_str("-");
            }
            self.put_u64(n.unsigned_abs());
        }

        pub fn put_uuid(&mut self, id: u128) {
            const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
            let out = &mut self.bytes[self.len..self.len + 36];
            for at in [8, 13, 18, 23] {
                out[at] = b'-';
            }
            for (&at, byte) in AT.iter().zip(id.to_be_bytes()) {
                out[at] = HEX_LOWER[usize::from(byte >> 4)];
                out[at + 1] = HEX_LOWER[usize::from(byte & 0xf)];
            }
            self.len += 36;
        }

        pub fn finish(&self) -> String {
            String::from(std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default())
        }
    }

    pub fn flags_keybuf(user_id: u64, beta: bool) -> String {
        let mut key = KeyBuf::<45>::new("shop:1:users:flags:");
        key.put_u64(user_id);
        key.put_str(":");
        key.put_str(if beta { "true" } else { "false" });
        key.finish()
    }

    pub fn profile_keybuf(user_id: u64) -> String {
        let mut key = KeyBuf::<44>::new("shop:1:profiles:profile:");
        key.put_u64(user_id);
        key.finish()
    }

    pub fn signed_keybuf(a: i8, b: i16, c: i32, d: i64) -> String {
        let mut key = KeyBuf::<50>::new("t:3:i:");
        key.put_i64(i64::from(a));
        key.put_str(":");
        key.put_i64(i64::from(b));
        key.put_str(":");
        key.put_i64(i64::from(c));
        key.put_str(":");
        key.put_i64(d);
        key.finish()
    }

    pub fn session_keybuf(session_id: u128) -> String {
        let mut key = KeyBuf::<57>::new("shop:1:users:session:");
        key.put_uuid(session_id);
        key.finish()
    }

    // ---- uuid -----------------------------------------------------------

    const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

    /// `push_uuid` into a stack buffer, then one `push_str`.
    pub fn push_uuid_buf(key: &mut String, id: u128) {
        // Where the two hex digits of each byte go in `8-4-4-4-12`.
        const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
        let mut buf = [b'-'; 36];
        for (&at, byte) in AT.iter().zip(id.to_be_bytes()) {
            buf[at] = HEX_LOWER[usize::from(byte >> 4)];
            buf[at + 1] = HEX_LOWER[usize::from(byte & 0xf)];
        }
        if let Ok(text) = std::str::from_utf8(&buf) {
            key.push_str(text);
        }
    }

    /// `push_uuid` as five `{:0Nx}`-like groups, each through a buffer.
    pub fn push_uuid_groups(key: &mut String, id: u128) {
        for (shift, digits) in [(96, 8), (80, 4), (64, 4), (48, 4), (0, 12)] {
            if shift != 96 {
                key.push('-');
            }
            let mut buf = [0u8; 12];
            let group = id >> shift;
            for (i, slot) in buf[..digits].iter_mut().enumerate() {
                let nibble = (group >> (4 * (digits - 1 - i))) & 0xf;
                *slot = HEX_LOWER[nibble as usize];
            }
            if let Ok(text) = std::str::from_utf8(&buf[..digits]) {
                key.push_str(text);
            }
        }
    }

    /// The current `push_uuid`, but each hex digit masked to 7 bits (see
    /// `push_u64_ascii`).
    pub fn push_uuid_ascii(key: &mut String, id: u128) {
        for i in 0..32 {
            if i == 8 || i == 12 || i == 16 || i == 20 {
                key.push('-');
            }
            let nibble = (id >> (124 - 4 * i)) & 0xf;
            key.push(char::from(HEX_LOWER[nibble as usize] & 0x7f));
        }
    }

    pub fn session_ascii(session_id: u128) -> String {
        let mut key = String::with_capacity(57);
        key.push_str("shop:1:users:session:");
        push_uuid_ascii(&mut key, session_id);
        key
    }

    pub fn session_buf(session_id: u128) -> String {
        let mut key = String::with_capacity(57);
        key.push_str("shop:1:users:session:");
        push_uuid_buf(&mut key, session_id);
        key
    }

    pub fn session_groups(session_id: u128) -> String {
        let mut key = String::with_capacity(57);
        key.push_str("shop:1:users:session:");
        push_uuid_groups(&mut key, session_id);
        key
    }

    pub fn session_alloc_only(_session_id: u128) -> String {
        let mut key = String::with_capacity(57);
        key.push_str("shop:1:users:session:");
        key
    }

    // ---- percent-encoding -------------------------------------------------

    const fn is_unreserved(byte: u8) -> bool {
        byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
    }

    /// `UNRESERVED[b]`: whether percent-encoding keeps byte `b`.
    const UNRESERVED: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = is_unreserved(b as u8);
            b += 1;
        }
        table
    };

    /// `%00%01…%FF`: the escape of byte `b` is `ESCAPES[3 * b..3 * b + 3]`.
    const ESCAPES: &str = {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        const BYTES: [u8; 768] = {
            let mut bytes = [0u8; 768];
            let mut b = 0;
            while b < 256 {
                bytes[3 * b] = b'%';
                bytes[3 * b + 1] = HEX[b >> 4];
                bytes[3 * b + 2] = HEX[b & 0xf];
                b += 1;
            }
            bytes
        };
        match std::str::from_utf8(&BYTES) {
            Ok(text) => text,
            Err(_) => panic!("escapes are ASCII"),
        }
    };

    /// The current `encoded_len`, unchanged but for `#[inline]`.
    #[inline]
    pub fn encoded_len_inline(value: &str) -> usize {
        value
            .bytes()
            .map(|b| if is_unreserved(b) { 1 } else { 3 })
            .sum()
    }

    /// The current helpers with `#[inline]` on `encoded_len`.
    pub fn by_email_inline(email: &str) -> String {
        let mut key = String::with_capacity(22 + encoded_len_inline(email));
        key.push_str("shop:2:users:by-email:");
        push_encoded(&mut key, email);
        key
    }

    /// `encoded_len` counting escapes: `len + 2 * escapes`, same predicate.
    pub fn encoded_len_count(value: &str) -> usize {
        value.len() + 2 * value.bytes().filter(|&b| !is_unreserved(b)).count()
    }

    /// Exact capacity through `encoded_len_count`, current `push_encoded`.
    pub fn by_email_count(email: &str) -> String {
        let mut key = String::with_capacity(22 + encoded_len_count(email));
        key.push_str("shop:2:users:by-email:");
        push_encoded(&mut key, email);
        key
    }

    /// `encoded_len` through the table.
    pub fn encoded_len_table(value: &str) -> usize {
        value.len()
            + 2 * value
                .bytes()
                .filter(|&b| !UNRESERVED[usize::from(b)])
                .count()
    }

    /// The current `push_encoded`, unchanged (for the capacity variants).
    pub fn push_encoded(key: &mut String, value: &str) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut run = 0;
        for (i, &byte) in value.as_bytes().iter().enumerate() {
            if !is_unreserved(byte) {
                if let Some(text) = value.get(run..i) {
                    key.push_str(text);
                }
                key.push('%');
                key.push(char::from(HEX[usize::from(byte >> 4)]));
                key.push(char::from(HEX[usize::from(byte & 0xf)]));
                run = i + 1;
            }
        }
        if let Some(text) = value.get(run..) {
            key.push_str(text);
        }
    }

    /// `push_encoded` with the table test and `%XX` as one `push_str`.
    pub fn push_encoded_table(key: &mut String, value: &str) {
        let mut run = 0;
        for (i, &byte) in value.as_bytes().iter().enumerate() {
            if !UNRESERVED[usize::from(byte)] {
                if let Some(text) = value.get(run..i) {
                    key.push_str(text);
                }
                let at = 3 * usize::from(byte);
                key.push_str(&ESCAPES[at..at + 3]);
                run = i + 1;
            }
        }
        if let Some(text) = value.get(run..) {
            key.push_str(text);
        }
    }

    /// Current helpers, but capacity `22 + 3 * len` instead of `encoded_len`.
    pub fn by_email_overalloc(email: &str) -> String {
        let mut key = String::with_capacity(22 + 3 * email.len());
        key.push_str("shop:2:users:by-email:");
        push_encoded(&mut key, email);
        key
    }

    /// Table-driven `encoded_len` and `push_encoded`.
    pub fn by_email_table(email: &str) -> String {
        let mut key = String::with_capacity(22 + encoded_len_table(email));
        key.push_str("shop:2:users:by-email:");
        push_encoded_table(&mut key, email);
        key
    }

    /// Table-driven `push_encoded`, capacity `22 + 3 * len`.
    pub fn by_email_table_overalloc(email: &str) -> String {
        let mut key = String::with_capacity(22 + 3 * email.len());
        key.push_str("shop:2:users:by-email:");
        push_encoded_table(&mut key, email);
        key
    }

    pub fn by_email_alloc_only(email: &str) -> String {
        let mut key = String::with_capacity(22 + email.len());
        key.push_str("shop:2:users:by-email:");
        key
    }
}

type KeyFn<I> = fn(I) -> String;

/// Benchmarks the variants of one case in a group named `variant_<case>`,
/// after checking that each renders the same key as the first (`current`);
/// `*_floor` variants only allocate and are exempt.
fn compare_variants<I: Copy>(
    c: &mut Criterion,
    case: &str,
    input: I,
    variants: &[(&str, KeyFn<I>)],
) {
    let expected = variants[0].1(input);
    for (name, f) in variants {
        if !name.ends_with("_floor") {
            assert_eq!(expected, f(input), "{case}/{name}: keys differ");
        }
    }
    let mut group = c.benchmark_group(format!("variant_{case}"));
    for &(name, f) in variants {
        group.bench_function(name, |b| b.iter(|| black_box(f(black_box(input)))));
    }
    group.finish();
}

/// Scratch measurements for `templates/runtime.rs`: `variant_<case>` holds
/// the generated function (`current`) and the same key built with other
/// helpers; `ratios.sh --scratch` sets each against the `format!` time of
/// `<case>`. They run only when `KEYGEN_SCRATCH` is set.
fn variants(c: &mut Criterion) {
    if std::env::var_os("KEYGEN_SCRATCH").is_none() {
        return;
    }
    compare_variants(
        c,
        "u64_profile",
        42,
        &[
            ("current", shop::profiles::profile),
            ("current_inline", scratch::profile_inline),
            ("push_ascii_masked", scratch::profile_ascii),
            ("push_str_from_utf8", scratch::profile_str),
            ("stack_keybuf", scratch::profile_keybuf),
        ],
    );
    compare_variants(
        c,
        "u64_bool_flags",
        (1_234_567u64, true),
        &[
            ("current", |(id, beta)| shop::users::flags(id, beta)),
            ("push_ascii_masked", |(id, beta)| {
                scratch::flags_ascii(id, beta)
            }),
            ("current_inline", |(id, beta)| {
                scratch::flags_inline(id, beta)
            }),
            ("push_str_from_utf8", |(id, beta)| {
                scratch::flags_str(id, beta)
            }),
            ("extend_chars", |(id, beta)| scratch::flags_extend(id, beta)),
            ("stack_keybuf", |(id, beta)| scratch::flags_keybuf(id, beta)),
            ("alloc_only_floor", |(id, beta)| {
                scratch::flags_alloc_only(id, beta)
            }),
        ],
    );
    compare_variants(
        c,
        "4ints_signed",
        (-100i8, 31_000i16, -1_234_567i32, 9_007_199_254_740_993i64),
        &[
            ("current", |(a, b, c, d)| {
                all_types::ints::signed(a, b, c, d)
            }),
            ("push_str_from_utf8", |(a, b, c, d)| {
                scratch::signed_str(a, b, c, d)
            }),
            ("push_ascii_masked", |(a, b, c, d)| {
                scratch::signed_ascii(a, b, c, d)
            }),
            ("stack_keybuf", |(a, b, c, d)| {
                scratch::signed_keybuf(a, b, c, d)
            }),
        ],
    );
    compare_variants(
        c,
        "uuid_session",
        0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8u128,
        &[
            ("current", shop::users::session),
            ("buffer_push_str", scratch::session_buf),
            ("push_ascii_masked", scratch::session_ascii),
            ("groups_push_str", scratch::session_groups),
            ("stack_keybuf", scratch::session_keybuf),
            ("alloc_only_floor", scratch::session_alloc_only),
        ],
    );
    let by_email: [(&str, KeyFn<&'static str>); 8] = [
        ("current", shop::users::by_email),
        ("current_inline", scratch::by_email_inline),
        ("len_by_count", scratch::by_email_count),
        ("overalloc_3x", scratch::by_email_overalloc),
        ("table", scratch::by_email_table),
        ("table_overalloc_3x", scratch::by_email_table_overalloc),
        ("alloc_only_floor", scratch::by_email_alloc_only),
        ("format_capacity_floor", |email| {
            let mut key = String::with_capacity(22 + 3 * email.len());
            key.push_str("shop:2:users:by-email:");
            key
        }),
    ];
    compare_variants(c, "str_email_short", SHORT_EMAIL, &by_email);
    compare_variants(c, "str_email_long", LONG_EMAIL, &by_email);
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

/// The scratch variants answer a design question, not a regression one:
/// shorter runs keep the whole bench under two minutes.
fn scratch_config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
        .sample_size(50)
        .nresamples(20_000)
}

criterion_group! {
    name = benches;
    config = config();
    targets = keygen
}
criterion_group! {
    name = scratch_benches;
    config = scratch_config();
    targets = variants
}
criterion_main!(benches, scratch_benches);
