// Key-rendering helpers, copied into every generated key module. Each
// generated function makes one allocation sized for its key, then appends to
// it with these, so no `format!` machinery runs. The generator keeps only
// the helpers a catalogue uses, so none is ever dead code. `pub(super)`
// makes them visible to the key modules, which all sit below the parent.

/// Appends `n` in canonical decimal.
pub(super) fn push_u64(key: &mut String, mut n: u64) {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut buf = [0u8; 20];
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
    for &digit in &buf[i..] {
        key.push(char::from(digit));
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
    for i in 0..32 {
        if i == 8 || i == 12 || i == 16 || i == 20 {
            key.push('-');
        }
        let nibble = (id >> (124 - 4 * i)) & 0xf;
        key.push(char::from(HEX[nibble as usize]));
    }
}

/// Whether percent-encoding keeps `byte` as it is: `A-Z a-z 0-9 - . _ ~`.
pub(super) const fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// The length of `value` once percent-encoded.
pub(super) fn encoded_len(value: &str) -> usize {
    value
        .bytes()
        .map(|b| if is_unreserved(b) { 1 } else { 3 })
        .sum()
}

/// Appends `value` percent-encoded: every byte outside `A-Z a-z 0-9 - . _ ~`
/// becomes `%XX` (uppercase hex), the same bytes as Python's
/// `urllib.parse.quote(value, safe="")`.
pub(super) fn push_encoded(key: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut run = 0;
    for (i, &byte) in value.as_bytes().iter().enumerate() {
        if !is_unreserved(byte) {
            // Runs of unreserved bytes are ASCII, so their ends are char boundaries.
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
