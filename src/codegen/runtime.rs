// Key-rendering and key-matching helpers, copied into every generated key
// module and included by `cachekeys::key_text`, so generated code and the
// library render and parse keys with the same code. Each generated function
// appends to one buffer, sized up front, with these, so no `format!`
// machinery runs. The generator keeps only the items a catalogue uses (and
// the items those use), so none is ever dead code. `pub(super)` makes them
// visible to the key modules, which all sit below the parent. core and
// alloc only (the module names `alloc` itself, so the generated code builds
// in `#![no_std]` crates and in crates that never name `alloc`), no unsafe.
//
// This file is not a module of the generator: the generator copies each
// item's text as it is written here, indented one level. So it stays in
// rustfmt's layout (a test checks the generated modules with `rustfmt
// --check`), items are separated by one empty line, and no item has an
// empty line inside.

extern crate alloc;

// The key type: `alloc`'s, so `std` is not needed.
pub(super) use self::alloc::string::String;

// The list type of `Invalidation`.
pub(super) use self::alloc::vec::Vec;

/// Appends `n` in canonical decimal. The digits go straight into the key,
/// two at a time from a table, in groups of four split off by divisions by
/// constants: no buffer to copy from and no UTF-8 check, which safe code
/// needs when it appends a buffer (`benches/keygen.rs`: the one-`u64` key
/// from 10.2 ns to 6.5 ns).
pub(super) fn push_u64(key: &mut String, n: u64) {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    // The two digits of `n`, below 100.
    fn pair(key: &mut String, n: u32) {
        let at = usize::try_from(n % 100).unwrap_or_default() * 2;
        key.push(char::from(PAIRS[at]));
        key.push(char::from(PAIRS[at + 1]));
    }
    // `n`, below 10,000, without leading zeros.
    fn head(key: &mut String, n: u32) {
        if n < 10 {
            key.push(char::from(b'0' + u8::try_from(n).unwrap_or_default()));
        } else if n < 100 {
            pair(key, n);
        } else if n < 1_000 {
            key.push(char::from(b'0' + u8::try_from(n / 100).unwrap_or_default()));
            pair(key, n % 100);
        } else {
            pair(key, n / 100);
            pair(key, n % 100);
        }
    }
    // `n`, below 10,000, as four digits.
    fn four(key: &mut String, n: u32) {
        pair(key, n / 100);
        pair(key, n % 100);
    }
    // `n`, below 10^8, as eight digits.
    fn eight(key: &mut String, n: u32) {
        four(key, n / 10_000);
        four(key, n % 10_000);
    }
    // Each group is below its divisor, so these never fall back to 0.
    let group = |n: u64| u32::try_from(n).unwrap_or_default();
    if n < 10_000 {
        head(key, group(n));
    } else if n < 100_000_000 {
        head(key, group(n / 10_000));
        four(key, group(n % 10_000));
    } else if n < 10_000_000_000_000_000 {
        let high = n / 100_000_000;
        if high < 10_000 {
            head(key, group(high));
        } else {
            head(key, group(high / 10_000));
            four(key, group(high % 10_000));
        }
        eight(key, group(n % 100_000_000));
    } else {
        // 17 to 20 digits: at most 1,844 before the last sixteen.
        let rest = n % 10_000_000_000_000_000;
        head(key, group(n / 10_000_000_000_000_000));
        eight(key, group(rest / 100_000_000));
        eight(key, group(rest % 100_000_000));
    }
}

/// Appends `n` in canonical decimal, with a leading `-` when negative.
pub(super) fn push_i64(key: &mut String, n: i64) {
    if n < 0 {
        key.push('-');
    }
    push_u64(key, n.unsigned_abs());
}

/// Appends `id` as a lowercase hyphenated UUID: 8-4-4-4-12 hex digits.
pub(super) fn push_uuid(key: &mut String, id: u128) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Where each of the 16 bytes' two digits go, around the hyphens.
    const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
    let mut text = *b"00000000-0000-0000-0000-000000000000";
    for (byte, at) in id.to_be_bytes().into_iter().zip(AT) {
        text[at] = HEX[usize::from(byte >> 4)];
        text[at + 1] = HEX[usize::from(byte & 0xf)];
    }
    if let Ok(text) = ::core::str::from_utf8(&text) {
        key.push_str(text);
    }
}

/// Whether percent-encoding keeps `byte` as it is: `A-Z a-z 0-9 - . _ ~`.
pub(super) const fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// [`is_unreserved`] as a table: one load per byte instead of five
/// data-dependent branches.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte: u8 = 0;
    loop {
        table[byte as usize] = is_unreserved(byte);
        if byte == u8::MAX {
            break table;
        }
        byte += 1;
    }
};

/// The length of `value` once percent-encoded.
pub(super) fn encoded_len(value: &str) -> usize {
    let escaped = value
        .bytes()
        .filter(|&b| !UNRESERVED[usize::from(b)])
        .count();
    value.len() + 2 * escaped
}

/// `%00%01…%FF`: every escape, three bytes each, so an escape is one
/// `push_str` of a slice.
const ESCAPES: &str = {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    const BYTES: [u8; 768] = {
        let mut bytes = [0u8; 768];
        let mut i = 0;
        while i < 256 {
            bytes[3 * i] = b'%';
            bytes[3 * i + 1] = HEX[i >> 4];
            bytes[3 * i + 2] = HEX[i & 0xf];
            i += 1;
        }
        bytes
    };
    match ::core::str::from_utf8(&BYTES) {
        Ok(text) => text,
        Err(_) => panic!("escapes are ASCII"),
    }
};

/// Appends `value` percent-encoded: every byte outside `A-Z a-z 0-9 - . _ ~`
/// becomes `%XX` (uppercase hex), the same bytes as Python's
/// `urllib.parse.quote(value, safe="")`.
pub(super) fn push_encoded(key: &mut String, value: &str) {
    let mut run = 0;
    for (i, &byte) in value.as_bytes().iter().enumerate() {
        if !UNRESERVED[usize::from(byte)] {
            // Runs of unreserved bytes are ASCII, so their ends are char boundaries.
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

/// Appends the SHA-256 (FIPS 180-4) of `value`'s UTF-8 bytes as 64
/// lowercase hex digits, the same text as Python's
/// `hashlib.sha256(value.encode()).hexdigest()`.
pub(super) fn push_sha256(key: &mut String, value: &str) {
    // The round constants and initial hash value of FIPS 180-4, 4.2.2 and 5.3.3.
    #[rustfmt::skip]
    const K: [u32; 64] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
        0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe,
        0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f,
        0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
        0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc,
        0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
        0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116,
        0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
        0xc671_78f2,
    ];
    #[rustfmt::skip]
    const H0: [u32; 8] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab,
        0x5be0_cd19,
    ];
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut state = H0;
    // Padding: the last partial block, a 1 bit, zeros, and the length in
    // bits as a big-endian u64, filling one or two 64-byte blocks.
    let bytes = value.as_bytes();
    let (body, rest) = bytes.split_at(bytes.len() - bytes.len() % 64);
    let mut tail = [0u8; 128];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let tail_len = if rest.len() < 56 { 64 } else { 128 };
    let bits = u64::try_from(bytes.len())
        .unwrap_or(u64::MAX)
        .wrapping_mul(8);
    tail[tail_len - 8..tail_len].copy_from_slice(&bits.to_be_bytes());
    for block in body
        .chunks_exact(64)
        .chain(tail[..tail_len].chunks_exact(64))
    {
        // The message schedule, then the 64 rounds over the working
        // variables `a` to `h` of FIPS 180-4, 6.2.2.
        let mut schedule = [0u32; 64];
        for (word, chunk) in schedule.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        for at in 16..64 {
            let (back15, back2) = (schedule[at - 15], schedule[at - 2]);
            let sigma0 = back15.rotate_right(7) ^ back15.rotate_right(18) ^ (back15 >> 3);
            let sigma1 = back2.rotate_right(17) ^ back2.rotate_right(19) ^ (back2 >> 10);
            schedule[at] = schedule[at - 16]
                .wrapping_add(sigma0)
                .wrapping_add(schedule[at - 7])
                .wrapping_add(sigma1);
        }
        let mut working = state;
        for (constant, word) in K.iter().zip(schedule) {
            let [va, vb, vc, vd, ve, vf, vg, vh] = working;
            let sum1 = ve.rotate_right(6) ^ ve.rotate_right(11) ^ ve.rotate_right(25);
            let choice = (ve & vf) ^ (!ve & vg);
            let temp1 = vh
                .wrapping_add(sum1)
                .wrapping_add(choice)
                .wrapping_add(*constant)
                .wrapping_add(word);
            let sum0 = va.rotate_right(2) ^ va.rotate_right(13) ^ va.rotate_right(22);
            let majority = (va & vb) ^ (va & vc) ^ (vb & vc);
            let temp2 = sum0.wrapping_add(majority);
            working = [
                temp1.wrapping_add(temp2),
                va,
                vb,
                vc,
                vd.wrapping_add(temp1),
                ve,
                vf,
                vg,
            ];
        }
        for (word, add) in state.iter_mut().zip(working) {
            *word = word.wrapping_add(add);
        }
    }
    for byte in state.iter().flat_map(|word| word.to_be_bytes()) {
        key.push(char::from(HEX[usize::from(byte >> 4)]));
        key.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
}

/// What a `str` value longer than its `max_len` is written as: this marker,
/// then the SHA-256 of the value in lowercase hex. No value within its
/// bound renders to it: percent-encoding writes `%` only before two
/// uppercase hex digits, and for `encode: none` the form is longer than
/// `max_len` bytes (see [`over_long_len`]). So keys stay injective, and
/// within the length `cachekeys check` proves.
pub(super) const OVER_LONG: &str = "%sha256-";

/// The length of the over-long form of a `str` with `max_len`: the marker
/// and 64 hex digits, and for `encode: none` (`raw`) at least `max_len + 1`
/// bytes, padded with `-`, so that its length alone tells it apart.
pub(super) const fn over_long_len(max_len: usize, raw: bool) -> usize {
    let digest = OVER_LONG.len() + 64;
    if raw && max_len >= digest {
        max_len + 1
    } else {
        digest
    }
}

/// Appends a `str` value with a `max_len`: percent-encoded (or as it is,
/// when `raw`) if it is at most `max_len` bytes, else its over-long form.
pub(super) fn push_bounded(key: &mut String, value: &str, max_len: usize, raw: bool) {
    if value.len() <= max_len {
        if raw {
            key.push_str(value);
        } else {
            push_encoded(key, value);
        }
        return;
    }
    let start = key.len();
    key.push_str(OVER_LONG);
    push_sha256(key, value);
    pad_over_long(key, start, max_len, raw);
}

/// Appends a bounded `str` as `parse` decoded it: `Ok` with the value, or
/// `Err` with the digest of an over-long value, written as it is.
pub(super) fn push_hole(key: &mut String, hole: Result<&str, &str>, max_len: usize, raw: bool) {
    match hole {
        Ok(value) => push_bounded(key, value, max_len, raw),
        Err(digest) => {
            let start = key.len();
            key.push_str(OVER_LONG);
            key.push_str(digest);
            pad_over_long(key, start, max_len, raw);
        }
    }
}

/// Pads the over-long form that starts at `start` to [`over_long_len`].
fn pad_over_long(key: &mut String, start: usize, max_len: usize, raw: bool) {
    while key.len() - start < over_long_len(max_len, raw) {
        key.push('-');
    }
}

/// The digest in `text` if it is an over-long form as [`push_bounded`]
/// writes it.
pub(super) fn over_long_digest(text: &str, max_len: usize, raw: bool) -> Option<&str> {
    if text.len() != over_long_len(max_len, raw) {
        return None;
    }
    let rest = text.strip_prefix(OVER_LONG)?;
    let (digest, padding) = rest.split_at_checked(64)?;
    let padded = padding.bytes().all(|byte| byte == b'-');
    (is_sha256(digest) && padded).then_some(digest)
}

/// Whether `text` is what [`push_bounded`] writes for some value.
pub(super) fn is_bounded(text: &str, max_len: usize, raw: bool) -> bool {
    decode_bounded(text, max_len, raw).is_some()
}

/// Undoes [`push_bounded`]: `Ok` with the value, or `Err` with the digest
/// of an over-long value. Refuses a value over `max_len` written out,
/// which [`push_bounded`] never does.
pub(super) fn decode_bounded(
    text: &str,
    max_len: usize,
    raw: bool,
) -> Option<Result<String, String>> {
    if let Some(digest) = over_long_digest(text, max_len, raw) {
        return Some(Err(String::from(digest)));
    }
    let value = if raw {
        String::from(text)
    } else {
        decode_percent(text)?
    };
    (value.len() <= max_len).then_some(Ok(value))
}

/// One hole of a key's shape: which values it accepts, and the literal text
/// that follows it (empty when another hole or the end follows).
pub(super) type Hole<'a> = (&'a dyn Fn(&str) -> bool, &'a str);

/// Finds the values of a key's holes, for `parse`: the key must be `head`,
/// then for each hole a value it accepts followed by the hole's literal.
/// Fills `found` with the first split (shorter values first) and returns
/// whether there is one. Each hole accepts exactly the canonical renderings
/// of its type, so a key matches only if the key function can render it.
pub(super) fn match_key<'k>(
    key: &'k str,
    head: &str,
    holes: &[Hole<'_>],
    found: &mut [&'k str],
) -> bool {
    match_each(key, head, holes, found, &mut |_| true)
}

/// Where `parse` starts: the index in `heads` of the longest head `key`
/// starts with. `heads` are the entries' literal heads, sorted, with
/// `heads[0]` empty; `shorter[i]` is the longest other head `heads[i]`
/// starts with. Every head that is a prefix of `key` sorts between it and
/// `key`, so it is the last head not above `key` or on that head's
/// `shorter` chain: a binary search and a short walk, not one test per
/// entry.
pub(super) fn longest_head(key: &str, heads: &[&str], shorter: &[usize]) -> usize {
    let mut at = heads.partition_point(|head| *head <= key).saturating_sub(1);
    while at > 0 && !heads.get(at).is_some_and(|head| key.starts_with(head)) {
        at = shorter.get(at).copied().unwrap_or(0);
    }
    at
}

/// Like `match_key`, calling `each` with every split in turn until it
/// returns `true`; returns whether it did. A catalogue that `check` passes
/// has at most one split per key; an ambiguous one (say, two adjacent
/// `encode: none` holes) can have many.
pub(super) fn match_each<'k>(
    key: &'k str,
    head: &str,
    holes: &[Hole<'_>],
    found: &mut [&'k str],
    each: &mut dyn FnMut(&[&'k str]) -> bool,
) -> bool {
    key.strip_prefix(head)
        .is_some_and(|rest| match_holes(rest, holes, 0, found, each))
}

/// The backtracking step of `match_each`: hole `n` starts at `rest`.
fn match_holes<'k>(
    rest: &'k str,
    holes: &[Hole<'_>],
    n: usize,
    found: &mut [&'k str],
    each: &mut dyn FnMut(&[&'k str]) -> bool,
) -> bool {
    let Some(((accepts, then), more)) = holes.split_first() else {
        return rest.is_empty() && each(&found[..n]);
    };
    for end in (0..=rest.len()).filter(|&end| rest.is_char_boundary(end)) {
        let (value, after) = rest.split_at(end);
        // The literal that follows, and the end of the key after the last
        // hole, are cheap to check; only then is the value looked at.
        let Some(after) = after.strip_prefix(*then) else {
            continue;
        };
        if more.is_empty() && !after.is_empty() {
            continue;
        }
        if accepts(value) {
            let Some(slot) = found.get_mut(n) else {
                return false;
            };
            *slot = value;
            if match_holes(after, more, n + 1, found, each) {
                return true;
            }
        }
    }
    false
}

/// Decodes canonical decimal: no sign, no leading zero, no overflow.
pub(super) fn decode_u64(text: &str) -> Option<u64> {
    if text.is_empty() || (text.len() > 1 && text.starts_with('0')) {
        return None;
    }
    text.bytes().try_fold(0u64, |n, digit| {
        if digit.is_ascii_digit() {
            n.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
        } else {
            None
        }
    })
}

/// Decodes canonical signed decimal: an optional `-` (never `-0`), then
/// canonical digits.
pub(super) fn decode_i64(text: &str) -> Option<i64> {
    match text.strip_prefix('-') {
        Some(digits) => match decode_u64(digits)? {
            0 => None,
            n => 0i64.checked_sub_unsigned(n),
        },
        None => i64::try_from(decode_u64(text)?).ok(),
    }
}

/// Decodes a canonical `u8`.
pub(super) fn decode_u8(text: &str) -> Option<u8> {
    u8::try_from(decode_u64(text)?).ok()
}

/// Decodes a canonical `u16`.
pub(super) fn decode_u16(text: &str) -> Option<u16> {
    u16::try_from(decode_u64(text)?).ok()
}

/// Decodes a canonical `u32`.
pub(super) fn decode_u32(text: &str) -> Option<u32> {
    u32::try_from(decode_u64(text)?).ok()
}

/// Decodes a canonical `i8`.
pub(super) fn decode_i8(text: &str) -> Option<i8> {
    i8::try_from(decode_i64(text)?).ok()
}

/// Decodes a canonical `i16`.
pub(super) fn decode_i16(text: &str) -> Option<i16> {
    i16::try_from(decode_i64(text)?).ok()
}

/// Decodes a canonical `i32`.
pub(super) fn decode_i32(text: &str) -> Option<i32> {
    i32::try_from(decode_i64(text)?).ok()
}

/// Whether `text` is a canonical unsigned integer no larger than `max`.
pub(super) fn is_uint(text: &str, max: u64) -> bool {
    decode_u64(text).is_some_and(|n| n <= max)
}

/// Whether `text` is a canonical signed integer in `min..=max`.
pub(super) fn is_int(text: &str, min: i64, max: i64) -> bool {
    decode_i64(text).is_some_and(|n| (min..=max).contains(&n))
}

/// Whether `text` is a canonical `u8`.
pub(super) fn is_u8(text: &str) -> bool {
    is_uint(text, u64::from(u8::MAX))
}

/// Whether `text` is a canonical `u16`.
pub(super) fn is_u16(text: &str) -> bool {
    is_uint(text, u64::from(u16::MAX))
}

/// Whether `text` is a canonical `u32`.
pub(super) fn is_u32(text: &str) -> bool {
    is_uint(text, u64::from(u32::MAX))
}

/// Whether `text` is a canonical `u64`.
pub(super) fn is_u64(text: &str) -> bool {
    is_uint(text, u64::MAX)
}

/// Whether `text` is a canonical `i8`.
pub(super) fn is_i8(text: &str) -> bool {
    is_int(text, i64::from(i8::MIN), i64::from(i8::MAX))
}

/// Whether `text` is a canonical `i16`.
pub(super) fn is_i16(text: &str) -> bool {
    is_int(text, i64::from(i16::MIN), i64::from(i16::MAX))
}

/// Whether `text` is a canonical `i32`.
pub(super) fn is_i32(text: &str) -> bool {
    is_int(text, i64::from(i32::MIN), i64::from(i32::MAX))
}

/// Whether `text` is a canonical `i64`.
pub(super) fn is_i64(text: &str) -> bool {
    is_int(text, i64::MIN, i64::MAX)
}

/// Whether `text` is `true` or `false`.
pub(super) fn is_bool(text: &str) -> bool {
    text == "true" || text == "false"
}

/// Whether `text` is a UUID as `push_uuid` renders it.
pub(super) fn is_uuid(text: &str) -> bool {
    decode_uuid(text).is_some()
}

/// Whether `text` is a percent-encoding as `push_encoded` renders it.
pub(super) fn is_percent(text: &str) -> bool {
    decode_percent(text).is_some()
}

/// Whether `text` is a digest as `push_sha256` renders it.
pub(super) fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| lower_hex(b).is_some())
}

/// Accepts any text: an `encode: none` value is written as it is.
pub(super) const fn is_any(_text: &str) -> bool {
    true
}

/// The value of a lowercase hex digit.
const fn lower_hex(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

/// Decodes a lowercase hyphenated 8-4-4-4-12 UUID.
pub(super) fn decode_uuid(text: &str) -> Option<u128> {
    if text.len() != 36 {
        return None;
    }
    let mut id = 0u128;
    for (i, byte) in text.bytes().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if byte != b'-' {
                return None;
            }
        } else {
            id = id << 4 | u128::from(lower_hex(byte)?);
        }
    }
    Some(id)
}

/// Undoes `push_encoded`, accepting only its exact output: unreserved
/// bytes as they are, every other byte as `%XX` in uppercase hex, and valid
/// UTF-8 once decoded. So `%3a`, `%41` (an unreserved `A`) and a bare `:`
/// are all refused.
pub(super) fn decode_percent(text: &str) -> Option<String> {
    let upper_hex = |digit: u8| match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    };
    let mut bytes = text.bytes();
    let mut out = Vec::with_capacity(text.len());
    while let Some(byte) = bytes.next() {
        if byte == b'%' {
            let high = upper_hex(bytes.next()?)?;
            let low = upper_hex(bytes.next()?)?;
            let decoded = high << 4 | low;
            if is_unreserved(decoded) {
                return None;
            }
            out.push(decoded);
        } else if is_unreserved(byte) {
            out.push(byte);
        } else {
            return None;
        }
    }
    String::from_utf8(out).ok()
}

/// `ttl_secs` shortened by a deterministic share of up to `percent` of it,
/// picked from `seed` (splitmix64), never below one second: keys written
/// together, with different seeds, do not expire together.
pub(super) fn jittered_ttl(ttl_secs: u64, percent: u64, seed: u64) -> ::core::time::Duration {
    let spread =
        u64::try_from(u128::from(ttl_secs) * u128::from(percent) / 100).unwrap_or(u64::MAX);
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let cut = z % spread.saturating_add(1);
    ::core::time::Duration::from_secs(ttl_secs.saturating_sub(cut).max(1))
}

/// The Redis Cluster slot of a key: CRC16-XMODEM of its hash tag (the text
/// between the first `{` and the first `}` after it, when not empty) or of
/// the whole key, modulo 16384, exactly as Redis's `keyHashSlot`.
pub(super) fn key_slot(key: &[u8]) -> u16 {
    let tagged = key.iter().position(|&b| b == b'{').and_then(|open| {
        let rest = &key[open + 1..];
        let close = rest.iter().position(|&b| b == b'}')?;
        (close > 0).then(|| &rest[..close])
    });
    let mut crc: u16 = 0;
    for &byte in tagged.unwrap_or(key) {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc & 0x3FFF
}
