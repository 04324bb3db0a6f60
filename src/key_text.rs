//! Key text at run time, from a loaded [`Catalogue`]: building a key from
//! arguments, and decoding a key back into its entry and arguments.
//!
//! This is what tools use when they have a catalogue but no generated code
//! (`cachekeys explain-key`, say). It does not re-implement anything: the
//! helpers the generated code is built from, `src/codegen/runtime.rs`, are
//! included here as they are. So [`build`] writes exactly the bytes the
//! generated key function writes, and [`parse`] gives exactly the answer of
//! the generated `parse`.

use std::fmt;

use crate::catalogue::{Catalogue, Encoding, IntType, KeyEntry, Param, ParamType, Part};

/// The generated code's helpers; every one of them but the generated
/// decoder's dispatch is used below.
#[allow(dead_code, reason = "`longest_head` serves generated decoders only")]
mod runtime {
    include!("codegen/runtime.rs");
}

/// Whether percent-encoding keeps `byte`: the generated code's rule, for
/// `check`'s model of `str` values.
pub(crate) fn is_unreserved(byte: u8) -> bool {
    runtime::is_unreserved(byte)
}

/// The length of a bounded `str`'s over-long form, by the generated code's
/// own rule, for `check`'s proof and the generator's sizing.
pub(crate) fn over_long_len(max_len: usize, raw: bool) -> usize {
    runtime::over_long_len(max_len, raw)
}

/// A `str` parameter's `max_len`, and whether it is written raw
/// (`encode: none`), for those with a bound on what their key may hold:
/// a longer value is written in the over-long form of the runtime's
/// `push_bounded`. `encode: sha256` is fixed-length already.
pub(crate) fn bounded(param: &Param) -> Option<(usize, bool)> {
    let max_len = usize::try_from(param.max_len?).ok()?;
    match param.ty {
        ParamType::Str(Encoding::Percent) => Some((max_len, false)),
        ParamType::Str(Encoding::None) => Some((max_len, true)),
        _ => None,
    }
}

/// The marker that starts a bounded `str`'s over-long form.
pub(crate) const OVER_LONG: &str = runtime::OVER_LONG;

/// Undoes percent-encoding exactly as the generated `parse` does.
pub(crate) fn decode_percent(text: &str) -> Option<String> {
    runtime::decode_percent(text)
}

/// The Redis Cluster slot of `key` (0 to 16383): what `CLUSTER KEYSLOT`
/// answers and the generated `Key::slot` returns.
pub fn slot(key: &str) -> u16 {
    runtime::key_slot(key.as_bytes())
}

/// The expiry of one `key` entry's key spread by its `ttl_jitter` from
/// `seed`, as the generated `Key::ttl_jittered` computes it; its plain
/// `ttl` without `ttl_jitter`, `None` without `ttl`.
pub fn jittered_ttl(key: &KeyEntry, seed: u64) -> Option<std::time::Duration> {
    let ttl = key.ttl.as_ref()?;
    Some(match key.ttl_jitter {
        Some(percent) => runtime::jittered_ttl(ttl.seconds, u64::from(percent), seed),
        None => ttl.duration(),
    })
}

/// One argument of a key: to render, or as decoded.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Arg {
    /// The value of any integer parameter, `u8` to `i64`.
    Int(i128),
    /// A `bool` parameter.
    Bool(bool),
    /// A `uuid` parameter.
    Uuid(u128),
    /// An enum parameter, as the value is written in the catalogue.
    Enum(String),
    /// A `str` parameter: the text itself. Decoding gives it for
    /// `encode: percent` (decoded) and `encode: none`; rendering accepts it
    /// for every encoding, hashing it for `encode: sha256`.
    Str(String),
    /// What an `encode: sha256` parameter decodes to: its 64 lowercase hex
    /// digits, since a digest cannot be undone. Rendering writes it as it
    /// is, so rendering a decoded key gives the key back. A `str` with a
    /// `max_len` decodes to it too when its value was longer than that, and
    /// its key holds the over-long form (`%sha256-` and the digest).
    Digest(String),
}

/// For people: integers and booleans as written, UUIDs hyphenated, enum
/// values bare, strings quoted and escaped as Rust's `{:?}` does, digests as
/// `sha256:<hex>`.
impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Int(n) => write!(f, "{n}"),
            Arg::Bool(b) => write!(f, "{b}"),
            Arg::Uuid(id) => {
                let mut text = String::with_capacity(36);
                runtime::push_uuid(&mut text, *id);
                f.write_str(&text)
            }
            Arg::Enum(value) => f.write_str(value),
            Arg::Str(text) => write!(f, "{text:?}"),
            Arg::Digest(hex) => write!(f, "sha256:{hex}"),
        }
    }
}

/// One way a key decodes: which entry renders it, and with what.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Decoded {
    /// The index of the entry in [`Catalogue::keys`].
    pub entry: usize,
    /// The arguments, in the entry's parameter order (the generated
    /// function's argument order).
    pub args: Vec<Arg>,
}

impl Decoded {
    /// The entry that renders the key.
    pub fn key<'c>(&self, catalogue: &'c Catalogue) -> &'c KeyEntry {
        &catalogue.keys[self.entry]
    }
}

/// The key that `key`'s generated function returns for `args`, given in
/// parameter order. An `encode: sha256` parameter takes [`Arg::Str`] (the
/// text, hashed here) or [`Arg::Digest`] (written as it is).
///
/// # Panics
///
/// If `args` does not fit the entry: another count, another kind of value,
/// an integer out of its type's range, an enum value the entry does not
/// list, or a digest that is not 64 lowercase hex digits.
pub fn build(catalogue: &Catalogue, key: &KeyEntry, args: &[Arg]) -> String {
    assert_eq!(
        args.len(),
        key.params.len(),
        "`{}` takes {} arguments",
        key.name,
        key.params.len()
    );
    let mut out = String::new();
    for part in catalogue.full_parts(key) {
        match part {
            Part::Literal(text) => out.push_str(&text),
            Part::Param(i) => push_arg(&mut out, &key.params[i], &args[i]),
        }
    }
    out
}

fn push_arg(out: &mut String, param: &Param, arg: &Arg) {
    let name = &param.name;
    if let (Some((max_len, raw)), Arg::Str(text) | Arg::Digest(text)) = (bounded(param), arg) {
        let hole = if let Arg::Digest(hex) = arg {
            assert!(
                runtime::is_sha256(hex),
                "argument `{name}` is not a SHA-256 digest in lowercase hex: {hex:?}"
            );
            Err(text.as_str())
        } else {
            Ok(text.as_str())
        };
        runtime::push_hole(out, hole, max_len, raw);
        return;
    }
    match (&param.ty, arg) {
        (ParamType::Int(int), Arg::Int(n)) => {
            let (min, max) = int.range();
            assert!(
                (min..=max).contains(n),
                "argument `{name}` is {n}, outside the range of {}",
                int.name()
            );
            match (u64::try_from(*n), i64::try_from(*n)) {
                (Ok(n), _) => runtime::push_u64(out, n),
                (_, Ok(n)) => runtime::push_i64(out, n),
                _ => unreachable!("the range of every integer type fits u64 or i64"),
            }
        }
        (ParamType::Bool, Arg::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
        (ParamType::Uuid, Arg::Uuid(id)) => runtime::push_uuid(out, *id),
        (ParamType::Enum(values), Arg::Enum(value)) => {
            assert!(
                values.contains(value),
                "argument `{name}` is `{value}`, not one of {values:?}"
            );
            out.push_str(value);
        }
        (ParamType::Str(Encoding::Percent), Arg::Str(text)) => {
            out.reserve(runtime::encoded_len(text));
            runtime::push_encoded(out, text);
        }
        (ParamType::Str(Encoding::Sha256), Arg::Str(text)) => runtime::push_sha256(out, text),
        (ParamType::Str(Encoding::Sha256), Arg::Digest(hex)) => {
            assert!(
                runtime::is_sha256(hex),
                "argument `{name}` is not a SHA-256 digest in lowercase hex: {hex:?}"
            );
            out.push_str(hex);
        }
        (ParamType::Str(Encoding::None), Arg::Str(text)) => out.push_str(text),
        (ty, arg) => panic!(
            "argument `{name}` is a {}, which cannot take {arg:?}",
            ty.name()
        ),
    }
}

/// Every way `key` decodes: each entry, in catalogue order, whose key
/// function renders exactly `key`, with the arguments. Decoding is as strict
/// as the generated `parse`: canonical integers in range, lowercase UUIDs,
/// exact encodings. A catalogue that `cachekeys check` passes gives at most
/// one; an ambiguous one can give several, even from one entry (two
/// adjacent `encode: none` holes split a key many ways).
pub fn decode(catalogue: &Catalogue, key: &str) -> Vec<Decoded> {
    let mut decoded = Vec::new();
    for (entry, key_entry) in catalogue.keys.iter().enumerate() {
        let parts = catalogue.full_parts(key_entry);
        let shape = Shape::new(key_entry, &parts);
        let holes = shape.holes();
        let mut found = vec![""; holes.len()];
        runtime::match_each(key, shape.head, &holes, &mut found, &mut |values| {
            if let Some(args) = shape.args(values) {
                decoded.push(Decoded { entry, args });
            }
            false
        });
    }
    decoded
}

/// The first way `key` decodes, in catalogue order: the same answer as the
/// generated `parse`.
pub fn parse(catalogue: &Catalogue, key: &str) -> Option<Decoded> {
    catalogue
        .keys
        .iter()
        .enumerate()
        .find_map(|(entry, key_entry)| {
            let parts = catalogue.full_parts(key_entry);
            let shape = Shape::new(key_entry, &parts);
            let holes = shape.holes();
            let mut found = vec![""; holes.len()];
            runtime::match_key(key, shape.head, &holes, &mut found)
                .then(|| shape.args(&found))
                .flatten()
                .map(|args| Decoded { entry, args })
        })
}

/// An entry whose shape a key has, literal text and all, but whose
/// arguments do not all decode: what `explain-key` says about a key that no
/// entry produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearMiss {
    /// The index of the entry in [`Catalogue::keys`].
    pub entry: usize,
    /// The arguments that do not decode, in pattern order.
    pub failures: Vec<ArgFailure>,
}

/// One argument of a [`NearMiss`] that does not decode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgFailure {
    /// The index of the parameter in the entry's `params`.
    pub param: usize,
    /// The text in the key where the argument is.
    pub text: String,
    /// Why it is not a value of the parameter, for people: `` `abc` is not
    /// a u64 ``.
    pub reason: String,
}

/// Splits of one entry tried before giving up: a key with many `encode:
/// none`-like splits must not make the explanation slow.
const NEAR_MISS_SPLITS: usize = 1_000;

/// For a key that [`decode`] finds no entry for: the entry whose literal
/// text the key follows, with the fewest arguments that fail to decode, and
/// why each fails. `None` when no entry's literals fit the key.
pub fn near_miss(catalogue: &Catalogue, key: &str) -> Option<NearMiss> {
    let mut best: Option<NearMiss> = None;
    for (entry, key_entry) in catalogue.keys.iter().enumerate() {
        let parts = catalogue.full_parts(key_entry);
        let shape = Shape::new(key_entry, &parts);
        // Holes that take anything: only the literals decide the split.
        let any: Vec<runtime::Hole<'_>> = shape
            .holes
            .iter()
            .map(|(_, _, then)| (&runtime::is_any as &dyn Fn(&str) -> bool, *then))
            .collect();
        let mut found = vec![""; any.len()];
        let mut splits = 0;
        runtime::match_each(key, shape.head, &any, &mut found, &mut |values| {
            splits += 1;
            let failures = shape.failures(values);
            let better = best
                .as_ref()
                .is_none_or(|b| failures.len() < b.failures.len());
            if better && !failures.is_empty() {
                best = Some(NearMiss { entry, failures });
            }
            splits >= NEAR_MISS_SPLITS
        });
    }
    best
}

/// Why `text` is not a value `param` renders, for people.
fn why_not(param: &Param, text: &str) -> String {
    let shown = if text.is_empty() {
        "an empty value".to_owned()
    } else {
        format!("`{text}`")
    };
    let a = |ty: &str| if ty.starts_with('i') { "an" } else { "a" };
    match &param.ty {
        ParamType::Int(int) => {
            let ty = int.name();
            let loose = text.strip_prefix('+').unwrap_or(text);
            match loose.parse::<i128>() {
                Ok(n) if !(int.range().0..=int.range().1).contains(&n) => {
                    let (min, max) = int.range();
                    format!("{shown} is out of the range of {ty} ({min} to {max})")
                }
                Ok(n) => format!(
                    "{shown} is not {} {ty} as the key function writes it, which is `{n}`",
                    a(ty)
                ),
                Err(_)
                    if loose.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                        && !loose.is_empty() =>
                {
                    let (min, max) = int.range();
                    format!("{shown} is out of the range of {ty} ({min} to {max})")
                }
                Err(_) => format!("{shown} is not {} {ty}", a(ty)),
            }
        }
        ParamType::Bool => {
            format!("{shown} is not a bool: the key function writes `true` or `false`")
        }
        ParamType::Uuid => match runtime::decode_uuid(&text.to_ascii_lowercase()) {
            Some(_) => format!(
                "{shown} is not a uuid as the key function writes it, in lowercase: `{}`",
                text.to_ascii_lowercase()
            ),
            None => format!(
                "{shown} is not a uuid: the key function writes 8-4-4-4-12 lowercase hex digits"
            ),
        },
        ParamType::Enum(values) => {
            let list: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            format!("{shown} is not one of {}", list.join(", "))
        }
        ParamType::Str(Encoding::Percent) => format!(
            "{shown} is not percent-encoded as the key function writes it: {}",
            percent_problem(text)
        ),
        ParamType::Str(Encoding::Sha256) => format!(
            "{shown} is not a sha256 digest: the key function writes 64 lowercase hex digits{}",
            if text.len() == 64 {
                String::new()
            } else {
                format!(", not {}", text.len())
            }
        ),
        // Any text is a raw value; never called for it.
        ParamType::Str(Encoding::None) => format!("{shown} is not a raw string"),
    }
}

/// The first thing in `text` that the percent-encoding of the key
/// functions never writes.
fn percent_problem(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let escape = text.get(i..i + 3).unwrap_or(&text[i..]);
            let digits = escape
                .get(1..)
                .filter(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_hexdigit()));
            let Some(value) = digits.and_then(|d| u8::from_str_radix(d, 16).ok()) else {
                return format!("`{escape}` is not `%` and two hex digits");
            };
            if runtime::is_unreserved(value) {
                return format!(
                    "`{escape}` is `{}`, which it writes as it is",
                    char::from(value)
                );
            }
            if escape.bytes().any(|b| b.is_ascii_lowercase()) {
                return format!(
                    "it writes `{escape}` in uppercase, `{}`",
                    escape.to_ascii_uppercase()
                );
            }
            i += 3;
        } else if runtime::is_unreserved(byte) {
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            let mut escaped = String::new();
            runtime::push_encoded(&mut escaped, c.encode_utf8(&mut [0; 4]));
            return format!("it writes `{c}` as `{escaped}`");
        }
    }
    "the escapes do not decode to UTF-8 text".to_owned()
}

/// A check on one hole's text, as in the generated `parse`.
type Accepts<'c> = Box<dyn Fn(&str) -> bool + 'c>;

/// An entry's full key as the matcher wants it: the leading literal, then
/// each hole with what it accepts and the literal after it.
struct Shape<'c> {
    key: &'c KeyEntry,
    head: &'c str,
    /// Per hole, in pattern order: the parameter index, the check, and
    /// the literal that follows.
    holes: Vec<(usize, Accepts<'c>, &'c str)>,
}

impl<'c> Shape<'c> {
    fn new(key: &'c KeyEntry, parts: &'c [Part]) -> Shape<'c> {
        let (head, rest) = match parts.split_first() {
            Some((Part::Literal(head), rest)) => (head.as_str(), rest),
            _ => ("", parts),
        };
        let holes = rest
            .iter()
            .enumerate()
            .filter_map(|(i, part)| {
                let Part::Param(p) = part else { return None };
                let then = match rest.get(i + 1) {
                    Some(Part::Literal(text)) => text.as_str(),
                    _ => "",
                };
                Some((*p, accepts(&key.params[*p]), then))
            })
            .collect();
        Shape { key, head, holes }
    }

    fn holes(&self) -> Vec<runtime::Hole<'_>> {
        self.holes
            .iter()
            .map(|(_, accepts, then)| (accepts.as_ref() as &dyn Fn(&str) -> bool, *then))
            .collect()
    }

    /// The holes whose text is not a value of their parameter.
    fn failures(&self, values: &[&str]) -> Vec<ArgFailure> {
        self.holes
            .iter()
            .zip(values)
            .filter(|((p, accepts, _), text)| {
                !accepts(text) || arg(&self.key.params[*p], text).is_none()
            })
            .map(|((p, _, _), text)| ArgFailure {
                param: *p,
                text: (*text).to_owned(),
                reason: why_not(&self.key.params[*p], text),
            })
            .collect()
    }

    /// The arguments, in parameter order, from the holes' texts.
    fn args(&self, values: &[&str]) -> Option<Vec<Arg>> {
        let mut args = vec![None; self.key.params.len()];
        for ((p, _, _), text) in self.holes.iter().zip(values) {
            args[*p] = Some(arg(&self.key.params[*p], text)?);
        }
        args.into_iter().collect()
    }
}

/// Which texts a hole accepts: exactly the renderings of the parameter's
/// values, the same checks the generated `parse` makes.
fn accepts(param: &Param) -> Accepts<'_> {
    if let Some((max_len, raw)) = bounded(param) {
        return Box::new(move |s| runtime::is_bounded(s, max_len, raw));
    }
    match &param.ty {
        ParamType::Int(int) => {
            let check: fn(&str) -> bool = match int {
                IntType::U8 => runtime::is_u8,
                IntType::U16 => runtime::is_u16,
                IntType::U32 => runtime::is_u32,
                IntType::U64 => runtime::is_u64,
                IntType::I8 => runtime::is_i8,
                IntType::I16 => runtime::is_i16,
                IntType::I32 => runtime::is_i32,
                IntType::I64 => runtime::is_i64,
            };
            Box::new(check)
        }
        ParamType::Bool => Box::new(runtime::is_bool),
        ParamType::Uuid => Box::new(runtime::is_uuid),
        ParamType::Enum(values) => Box::new(move |s| values.iter().any(|v| v == s)),
        ParamType::Str(Encoding::Percent) => Box::new(runtime::is_percent),
        ParamType::Str(Encoding::Sha256) => Box::new(runtime::is_sha256),
        ParamType::Str(Encoding::None) => Box::new(runtime::is_any),
    }
}

/// The value of a hole's text that [`accepts`] took.
fn arg(param: &Param, text: &str) -> Option<Arg> {
    if let Some((max_len, raw)) = bounded(param) {
        return Some(match runtime::decode_bounded(text, max_len, raw)? {
            Ok(value) => Arg::Str(value),
            Err(digest) => Arg::Digest(digest),
        });
    }
    Some(match &param.ty {
        ParamType::Int(int) => Arg::Int(match int {
            IntType::U8 => runtime::decode_u8(text)?.into(),
            IntType::U16 => runtime::decode_u16(text)?.into(),
            IntType::U32 => runtime::decode_u32(text)?.into(),
            IntType::U64 => runtime::decode_u64(text)?.into(),
            IntType::I8 => runtime::decode_i8(text)?.into(),
            IntType::I16 => runtime::decode_i16(text)?.into(),
            IntType::I32 => runtime::decode_i32(text)?.into(),
            IntType::I64 => runtime::decode_i64(text)?.into(),
        }),
        ParamType::Bool => Arg::Bool(text == "true"),
        ParamType::Uuid => Arg::Uuid(runtime::decode_uuid(text)?),
        ParamType::Enum(_) => Arg::Enum(text.to_owned()),
        ParamType::Str(Encoding::Percent) => Arg::Str(runtime::decode_percent(text)?),
        ParamType::Str(Encoding::Sha256) => Arg::Digest(text.to_owned()),
        ParamType::Str(Encoding::None) => Arg::Str(text.to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::runtime::{push_i64, push_u64};

    /// Every length of number, both sides of every group boundary, and a
    /// spread of others: the digits are written in groups of four, so an
    /// off-by-one drops or pads a zero only at some lengths.
    #[test]
    fn integers_are_written_as_std_writes_them() {
        let mut values: Vec<u64> = vec![0, u64::MAX, u64::MAX - 1];
        let mut power = 1u64;
        while let Some(next) = power.checked_mul(10) {
            values.extend([power - 1, power, power + 1, next - 1]);
            power = next;
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(x >> (x % 64));
        }
        for n in values {
            let mut key = String::from("k:");
            push_u64(&mut key, n);
            assert_eq!(key, format!("k:{n}"));
            let signed = n as i64;
            let mut key = String::new();
            push_i64(&mut key, signed);
            assert_eq!(key, signed.to_string());
        }
    }
}
