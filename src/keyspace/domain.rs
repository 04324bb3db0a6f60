//! The set of strings each parameter type can render to, as a [`Dfa`] and
//! as a length range. Every language is exact: percent-encoded text is
//! unreserved bytes and `%XX` escapes of reserved bytes whose decoded bytes
//! form valid UTF-8, as a `&str` always does. The one superset is
//! `encode: sha256`, modelled as every 64-digit hex string.
//!
//! A `str` with a `max_len` renders a value of at most `max_len` bytes as
//! usual and a longer one in its over-long form, `%sha256-` and 64 hex
//! digits (padded with `-` for `encode: none`; see `src/codegen/runtime.rs`).
//! Its language is exactly that: the text automaton times a counter of raw
//! bytes (an escape `%XX` counts one), so `max_len + 1` states per text
//! state, united with the over-long form. Its longest rendering is the
//! longer of the two forms, so `check` proves the bound for every value.
//!
//! The counter grows the automaton, and the product searches with it,
//! linearly in `max_len`, so `check` searches first with [`superset_dfa`],
//! which leaves the count out, and again exactly only when that finds a
//! key. Above [`MAX_COUNTED`] bytes the language forgets the bound (any
//! text, plus the over-long form): the other superset, so `check` may then
//! report a collision, or `--against` a key, that needs a value longer than
//! `max_len`, but never misses one.

use super::automaton::Dfa;
use crate::catalogue::{Encoding, IntType, Param, ParamType};
// Percent-encoding's kept bytes, by the generated code's own rule.
use crate::key_text::is_unreserved;
use crate::key_text::{OVER_LONG, bounded, over_long_len};

/// The language of a parameter's renderings.
pub fn dfa(param: &Param) -> Dfa {
    language(param, true)
}

/// [`dfa`] without the byte count of a bounded `str`: a superset, small
/// whatever the `max_len`, for a first search that is exact when it finds
/// nothing.
pub fn superset_dfa(param: &Param) -> Dfa {
    language(param, false)
}

/// Whether [`dfa`] counts bytes for `param`, so [`superset_dfa`] is larger.
pub fn counts_bytes(param: &Param) -> bool {
    bounded(param).is_some_and(|(max_len, _)| max_len <= MAX_COUNTED)
}

fn language(param: &Param, count: bool) -> Dfa {
    match &param.ty {
        ParamType::Int(int) => int_dfa(*int),
        ParamType::Bool => Dfa::words([&b"true"[..], b"false"]),
        ParamType::Uuid => uuid_dfa(),
        ParamType::Enum(values) => Dfa::words(values.iter().map(|v| v.as_bytes())),
        ParamType::Str(Encoding::Sha256) => fixed_hex(64, &[]),
        ParamType::Str(encoding) => match bounded(param) {
            Some((max_len, raw)) => bounded_dfa(max_len, raw, count),
            None => utf8_dfa(*encoding == Encoding::Percent),
        },
    }
}

/// The longest `max_len` whose language counts bytes; longer bounds get a
/// superset (see the module doc).
pub const MAX_COUNTED: usize = 4096;

/// The renderings of a `str` with `max_len`: its text of at most `max_len`
/// raw bytes (raw, or percent-encoded when not `raw`), or its over-long form.
fn bounded_dfa(max_len: usize, raw: bool, count: bool) -> Dfa {
    let text = utf8_dfa(!raw);
    if !count || max_len > MAX_COUNTED {
        // Raw text already takes any string, the over-long form included.
        return if raw {
            text
        } else {
            text.union(&over_long_dfa(max_len, raw))
        };
    }
    // A raw byte starts at every byte of raw text, and at an unreserved
    // byte or a `%` of percent-encoded text: on the decoder states' edges.
    let starts_byte = |state: u32| raw || (state as usize) < Utf8::ALL.len();
    counted(&text, max_len, starts_byte).union(&over_long_dfa(max_len, raw))
}

/// The strings of `dfa` with at most `max` raw bytes, a raw byte starting
/// at each edge out of a state where `starts_byte` holds: the product with
/// a counter, over the pairs reachable from the start.
fn counted(dfa: &Dfa, max: usize, starts_byte: impl Fn(u32) -> bool) -> Dfa {
    // `ids[state * (max + 1) + count]`: the product state, once reached.
    let width = max + 1;
    let mut ids = vec![u32::MAX; dfa.states.len() * width];
    let mut out = Dfa::default();
    let mut queue = vec![(0u32, 0usize)];
    ids[0] = out.add_state(dfa.accepting[0]);
    // States are numbered in the order they are reached, so the queue
    // index is the product state's id.
    let mut next_in_queue = 0;
    while let Some(&(state, count)) = queue.get(next_in_queue) {
        let from = next_in_queue as u32;
        next_in_queue += 1;
        let next_count = count + usize::from(starts_byte(state));
        if next_count > max {
            continue;
        }
        for &(lo, hi, next) in &dfa.states[state as usize] {
            let slot = &mut ids[next as usize * width + next_count];
            if *slot == u32::MAX {
                *slot = out.add_state(dfa.accepting[next as usize]);
                queue.push((next, next_count));
            }
            out.edge(from, lo, hi, *slot);
        }
    }
    out
}

/// The shortest and longest rendering in bytes; `None` for unbounded.
pub fn length(param: &Param) -> (usize, Option<usize>) {
    match &param.ty {
        ParamType::Int(int) => (1, Some(int.max_len())),
        ParamType::Bool => (4, Some(5)),
        ParamType::Uuid => (36, Some(36)),
        ParamType::Enum(values) => (
            values.iter().map(String::len).min().unwrap_or(0),
            Some(values.iter().map(String::len).max().unwrap_or(0)),
        ),
        ParamType::Str(Encoding::Percent) => (
            0,
            bounded(param).map(|(n, raw)| (3 * n).max(over_long_len(n, raw))),
        ),
        ParamType::Str(Encoding::Sha256) => (64, Some(64)),
        ParamType::Str(Encoding::None) => (
            0,
            bounded(param).map(|(n, raw)| n.max(over_long_len(n, raw))),
        ),
    }
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Where a UTF-8 decoder is: between characters, or expecting
/// continuation bytes (some lead bytes restrict the first one).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Utf8 {
    Start,
    /// `n` more continuation bytes, each `0x80..=0xBF`.
    Cont(u8),
    /// One continuation byte in `lo..=hi`, then `then` more.
    First(u8, u8, u8),
}

impl Utf8 {
    const ALL: [Utf8; 8] = [
        Utf8::Start,
        Utf8::Cont(1),
        Utf8::Cont(2),
        Utf8::Cont(3),
        Utf8::First(0xA0, 0xBF, 1),
        Utf8::First(0x80, 0x9F, 1),
        Utf8::First(0x90, 0xBF, 2),
        Utf8::First(0x80, 0x8F, 2),
    ];

    /// The state after `byte`, if it is valid here (RFC 3629, table 3-7).
    fn next(self, byte: u8) -> Option<Utf8> {
        let after = |n: u8| if n == 0 { Utf8::Start } else { Utf8::Cont(n) };
        match self {
            Utf8::Start => match byte {
                0x00..=0x7F => Some(Utf8::Start),
                0xC2..=0xDF => Some(Utf8::Cont(1)),
                0xE0 => Some(Utf8::First(0xA0, 0xBF, 1)),
                0xE1..=0xEC | 0xEE..=0xEF => Some(Utf8::Cont(2)),
                0xED => Some(Utf8::First(0x80, 0x9F, 1)),
                0xF0 => Some(Utf8::First(0x90, 0xBF, 2)),
                0xF1..=0xF3 => Some(Utf8::Cont(3)),
                0xF4 => Some(Utf8::First(0x80, 0x8F, 2)),
                _ => None,
            },
            Utf8::Cont(n) => (0x80..=0xBF).contains(&byte).then(|| after(n - 1)),
            Utf8::First(lo, hi, then) => (lo..=hi).contains(&byte).then(|| after(then)),
        }
    }
}

/// The renderings of any `&str`: raw, or percent-encoded (unreserved bytes
/// as they are, every other byte as `%XX` in uppercase hex). Its first
/// states are the decoder's, in [`Utf8::ALL`] order, where a byte starts.
fn utf8_dfa(percent: bool) -> Dfa {
    let mut dfa = Dfa::default();
    let ids: Vec<u32> = Utf8::ALL
        .iter()
        .map(|&s| dfa.add_state(s == Utf8::Start))
        .collect();
    let id = |state: Utf8| ids[Utf8::ALL.iter().position(|&s| s == state).unwrap_or(0)];
    for &from in &Utf8::ALL {
        let source = id(from);
        if !percent {
            for (lo, hi) in ranges(|b| from.next(b).is_some()) {
                // Bytes of one range lead to the same state: ranges split
                // where the next state changes.
                let mut start = lo;
                for b in lo..=hi {
                    if b == hi || from.next(b + 1) != from.next(start) {
                        if let Some(to) = from.next(start) {
                            dfa.edge(source, start, b, id(to));
                        }
                        start = b.wrapping_add(1);
                    }
                }
            }
            continue;
        }
        if from == Utf8::Start {
            for (lo, hi) in ranges(is_unreserved) {
                dfa.edge(source, lo, hi, source);
            }
        }
        let escape = dfa.add_state(false);
        dfa.edge(source, b'%', b'%', escape);
        for (high, &h) in HEX_UPPER.iter().enumerate() {
            let mut after_high = None;
            for (low, &l) in HEX_UPPER.iter().enumerate() {
                let byte = (high * 16 + low) as u8;
                if is_unreserved(byte) {
                    continue;
                }
                if let Some(to) = from.next(byte) {
                    let state = *after_high.get_or_insert_with(|| {
                        let state = dfa.add_state(false);
                        dfa.edge(escape, h, h, state);
                        state
                    });
                    dfa.edge(state, l, l, id(to));
                }
            }
        }
    }
    dfa
}

/// The byte ranges where `keep` holds.
fn ranges(keep: impl Fn(u8) -> bool) -> Vec<(u8, u8)> {
    let mut out: Vec<(u8, u8)> = Vec::new();
    for b in 0..=255u8 {
        if keep(b) {
            match out.last_mut() {
                Some((_, hi)) if *hi as u16 + 1 == b as u16 => *hi = b,
                _ => out.push((b, b)),
            }
        }
    }
    out
}

/// `len` lowercase hex digits, with `-` at the given positions.
fn fixed_hex(len: usize, dashes: &[usize]) -> Dfa {
    let mut dfa = Dfa::default();
    let mut state = dfa.add_state(false);
    for i in 0..len {
        let next = dfa.add_state(i + 1 == len);
        if dashes.contains(&i) {
            dfa.edge(state, b'-', b'-', next);
        } else {
            dfa.edge(state, b'0', b'9', next);
            dfa.edge(state, b'a', b'f', next);
        }
        state = next;
    }
    dfa
}

/// The over-long form of a `str` with `max_len`, as rendered: the marker,
/// 64 lowercase hex digits, then `-` up to [`over_long_len`].
fn over_long_dfa(max_len: usize, raw: bool) -> Dfa {
    let marker = OVER_LONG.as_bytes();
    let digits_end = marker.len() + 64;
    let len = over_long_len(max_len, raw);
    let mut dfa = Dfa::default();
    let mut state = dfa.add_state(false);
    for i in 0..len {
        let next = dfa.add_state(i + 1 == len);
        match marker.get(i) {
            Some(&b) => dfa.edge(state, b, b, next),
            None if i < digits_end => {
                dfa.edge(state, b'0', b'9', next);
                dfa.edge(state, b'a', b'f', next);
            }
            None => dfa.edge(state, b'-', b'-', next),
        }
        state = next;
    }
    dfa
}

fn uuid_dfa() -> Dfa {
    fixed_hex(36, &[8, 13, 18, 23])
}

/// Canonical decimal of the integer type: exactly the strings `to_string`
/// produces for some value.
fn int_dfa(int: IntType) -> Dfa {
    let (min, max) = int.range();
    let mut dfa = Dfa::default();
    let start = dfa.add_state(false);
    decimal_up_to(&mut dfa, start, max.unsigned_abs(), true);
    if min < 0 {
        let negative = dfa.add_state(false);
        dfa.edge(start, b'-', b'-', negative);
        decimal_up_to(&mut dfa, negative, min.unsigned_abs(), false);
    }
    dfa
}

/// Adds, from `from`, the canonical decimals of `1..=bound` (and `0` when
/// `zero`): no leading zeros, and no more than `bound`.
fn decimal_up_to(dfa: &mut Dfa, from: u32, bound: u128, zero: bool) {
    let digits: Vec<u8> = bound.to_string().into_bytes();
    let len = digits.len();
    if zero {
        let z = dfa.add_state(true);
        dfa.edge(from, b'0', b'0', z);
    }
    // After i digits: `tight` = equal to the bound's first i digits,
    // `loose` = already smaller (any digits may follow, up to len),
    // `over` = already larger at this length (only shorter numbers remain).
    let mut tight = Vec::with_capacity(len + 1);
    let mut loose = Vec::with_capacity(len + 1);
    let mut over = Vec::with_capacity(len + 1);
    for i in 0..=len {
        tight.push(dfa.add_state(i >= 1));
        loose.push(dfa.add_state(i >= 1));
        over.push(dfa.add_state(i >= 1 && i < len));
    }
    // The first digit is 1-9.
    let first = digits[0];
    if first > b'1' {
        dfa.edge(from, b'1', first - 1, loose[1]);
    }
    dfa.edge(from, first, first, tight[1]);
    if first < b'9' {
        dfa.edge(from, first + 1, b'9', over[1]);
    }
    for i in 1..len {
        let d = digits[i];
        if d > b'0' {
            dfa.edge(tight[i], b'0', d - 1, loose[i + 1]);
        }
        dfa.edge(tight[i], d, d, tight[i + 1]);
        if d < b'9' {
            dfa.edge(tight[i], d + 1, b'9', over[i + 1]);
        }
        dfa.edge(loose[i], b'0', b'9', loose[i + 1]);
        if i + 1 < len {
            dfa.edge(over[i], b'0', b'9', over[i + 1]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(int: IntType) -> Dfa {
        int_dfa(int)
    }

    #[test]
    fn integers_are_exact() {
        let u8_dfa = int(IntType::U8);
        for n in 0..=1000u32 {
            assert_eq!(u8_dfa.accepts(n.to_string().as_bytes()), n <= 255, "{n}");
        }
        for bad in ["", "00", "01", "-1", "+1", "2555"] {
            assert!(!u8_dfa.accepts(bad.as_bytes()), "{bad}");
        }
        let i8_dfa = int(IntType::I8);
        for n in -1000i32..=1000 {
            assert_eq!(
                i8_dfa.accepts(n.to_string().as_bytes()),
                (-128..=127).contains(&n),
                "{n}"
            );
        }
        assert!(!i8_dfa.accepts(b"-0") && !i8_dfa.accepts(b"-"));
        let u64_dfa = int(IntType::U64);
        assert!(u64_dfa.accepts(u64::MAX.to_string().as_bytes()));
        assert!(!u64_dfa.accepts(b"18446744073709551616"));
        assert!(!u64_dfa.accepts(b"99999999999999999999"));
        assert!(u64_dfa.accepts(b"9999999999999999999"));
        let i64_dfa = int(IntType::I64);
        assert!(i64_dfa.accepts(i64::MIN.to_string().as_bytes()));
        assert!(!i64_dfa.accepts(b"-9223372036854775809"));
    }

    #[test]
    fn percent_encoding_language() {
        let dfa = utf8_dfa(true);
        for ok in [
            "",
            "abc",
            "A%3Ab%20c%40x",
            "%E2%82%AC",
            "-._~",
            "%F0%9F%A6%80",
        ] {
            assert!(dfa.accepts(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "a:b",
            "%41",
            "%3a",
            "%",
            "%3",
            "a b",
            "%FF",
            "%C3",
            "%C3a",
            "%ED%A0%80",
            "%C0%80",
        ] {
            assert!(!dfa.accepts(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn raw_text_is_exactly_utf8() {
        let dfa = utf8_dfa(false);
        for ok in ["", "a b:c", "é", "日本", "🦀", "\0"] {
            assert!(dfa.accepts(ok.as_bytes()), "{ok:?}");
        }
        for bad in [
            &[0xFFu8][..],
            &[0xC3],
            &[0xED, 0xA0, 0x80],
            &[0xF4, 0x90, 0x80, 0x80],
        ] {
            assert!(!dfa.accepts(bad), "{bad:?}");
        }
    }

    /// Every char's percent-encoding is in the language; checked against
    /// the runtime encoder's rule.
    #[test]
    fn every_char_encodes_into_the_language() {
        let dfa = utf8_dfa(true);
        for c in (0u32..0x11_0000).step_by(97).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let encoded: String = c
                .encode_utf8(&mut buf)
                .bytes()
                .map(|b| {
                    if is_unreserved(b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            assert!(dfa.accepts(encoded.as_bytes()), "{c:?} -> {encoded}");
        }
    }

    fn str_param(encoding: Encoding, max_len: Option<u64>) -> Param {
        Param {
            name: "v".into(),
            location: crate::diagnostic::Location::default(),
            ty: ParamType::Str(encoding),
            max_len,
        }
    }

    /// A bounded percent-encoded `str` also renders its over-long form, and
    /// nothing else new: the form is exact, and no encoding produces it.
    #[test]
    fn a_bounded_str_includes_the_over_long_form() {
        let digest = "0123456789abcdef".repeat(4);
        let bounded = dfa(&str_param(Encoding::Percent, Some(10)));
        let unbounded = dfa(&str_param(Encoding::Percent, None));
        let form = format!("%sha256-{digest}");
        assert!(bounded.accepts(form.as_bytes()));
        assert!(!unbounded.accepts(form.as_bytes()));
        for bad in [
            format!("%sha256-{}", &digest[..63]),
            format!("%sha256-{digest}0"),
            format!("%sha256-{}", digest.to_uppercase()),
            format!("a%sha256-{digest}"),
            "%sha256".to_owned(),
        ] {
            assert!(!bounded.accepts(bad.as_bytes()), "{bad}");
        }
        for ok in ["", "abc", "A%3Ab", "%E2%82%AC"] {
            assert!(bounded.accepts(ok.as_bytes()), "{ok}");
        }
    }

    /// A bounded `str` renders at most `max_len` raw bytes or its over-long
    /// form, and its language is exactly that: `max_len + 1` bytes written
    /// out are refused, however they are encoded.
    #[test]
    fn a_bounded_str_takes_exactly_max_len_bytes_or_the_over_long_form() {
        let digest = "0123456789abcdef".repeat(4);
        let percent = dfa(&str_param(Encoding::Percent, Some(4)));
        for ok in ["", "abcd", "%3A%3A%3A%3A", "a%E2%82%AC", "%F0%9F%A6%80"] {
            assert!(percent.accepts(ok.as_bytes()), "{ok}");
        }
        let form = format!("%sha256-{digest}");
        assert!(percent.accepts(form.as_bytes()));
        for bad in [
            "abcde",
            "%3Aabcd",
            "ab%E2%82%AC",
            "a%F0%9F%A6%80",
            &form[..71],
        ] {
            assert!(!percent.accepts(bad.as_bytes()), "{bad}");
        }
        let raw = dfa(&str_param(Encoding::None, Some(4)));
        for ok in ["", "1:k:", "a\u{20ac}", "\u{1f980}", &form] {
            assert!(raw.accepts(ok.as_bytes()), "{ok}");
        }
        for bad in ["1:k:0", "ab\u{20ac}", "%sha256-", &format!("{form}-")] {
            assert!(!raw.accepts(bad.as_bytes()), "{bad}");
        }
        // Each length up to the bound, and not one more.
        for n in 0..=80 {
            let text = "x".repeat(n);
            assert_eq!(raw.accepts(text.as_bytes()), n <= 4, "{n}");
            assert_eq!(percent.accepts(text.as_bytes()), n <= 4, "{n}");
        }
        // From 72 bytes, the raw form is padded to `max_len + 1`.
        let raw = dfa(&str_param(Encoding::None, Some(75)));
        let padded = format!("{form}----");
        assert!(raw.accepts(padded.as_bytes()));
        assert!(raw.accepts("x".repeat(75).as_bytes()));
        // An unpadded form is then a value of 72 bytes, written out.
        assert!(raw.accepts(form.as_bytes()));
        for bad in [&format!("{padded}-"), &"x".repeat(76)] {
            assert!(!raw.accepts(bad.as_bytes()), "{bad}");
        }
    }

    /// Above [`MAX_COUNTED`] the language keeps the text and the over-long
    /// form but forgets the bound.
    #[test]
    fn a_huge_bound_is_a_superset() {
        let max_len = MAX_COUNTED as u64 + 1;
        let long = "x".repeat(MAX_COUNTED + 10);
        let form = format!("%sha256-{}", "ab".repeat(32));
        for encoding in [Encoding::Percent, Encoding::None] {
            let dfa = dfa(&str_param(encoding, Some(max_len)));
            assert!(dfa.accepts(long.as_bytes()), "{encoding:?}");
            assert!(dfa.accepts(b"abc"), "{encoding:?}");
        }
        let percent = dfa(&str_param(Encoding::Percent, Some(max_len)));
        assert!(percent.accepts(form.as_bytes()));
        assert!(!percent.accepts(b"a:b"));
        let huge = dfa(&str_param(Encoding::None, Some(u64::from(u32::MAX))));
        assert!(huge.states.len() < 100, "{}", huge.states.len());
    }

    #[test]
    fn the_longest_rendering_counts_the_over_long_form() {
        let len = |encoding, max_len| length(&str_param(encoding, max_len)).1;
        assert_eq!(len(Encoding::Percent, Some(10)), Some(72));
        assert_eq!(len(Encoding::Percent, Some(24)), Some(72));
        assert_eq!(len(Encoding::Percent, Some(25)), Some(75));
        assert_eq!(len(Encoding::None, Some(8)), Some(72));
        assert_eq!(len(Encoding::None, Some(71)), Some(72));
        assert_eq!(len(Encoding::None, Some(72)), Some(73));
        assert_eq!(len(Encoding::None, Some(100)), Some(101));
        assert_eq!(len(Encoding::Percent, None), None);
        assert_eq!(len(Encoding::Sha256, Some(10)), Some(64));
    }

    #[test]
    fn uuid_language() {
        let dfa = uuid_dfa();
        assert!(dfa.accepts(b"67e55044-10b1-426f-9247-bb680e5fe0c8"));
        assert!(!dfa.accepts(b"67E55044-10b1-426f-9247-bb680e5fe0c8"));
        assert!(!dfa.accepts(b"67e5504410b1426f9247bb680e5fe0c8"));
    }
}
