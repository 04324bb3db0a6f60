//! What a value interpolated into a key can be, worked out from its
//! declared type and its origin, as a bound: which bytes can occur and how
//! long it can get.
//!
//! The rules make claims from this and only from this. CK003 says "this
//! value can contain `:`" only when the value's alphabet holds `:` (a `u64`,
//! a `Uuid` or `hex::encode(..)` cannot); CK005 says "this key can exceed
//! 250 bytes" only when a value's length is unbounded or the bounds add up
//! past the limit. A value the code says nothing about is [`Family::Unknown`]
//! and no claim is made about it: a lint that guesses gets switched off.

use syn::{Expr, ExprLit, Lit};

/// A set of bytes and a length range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    /// Bit `b` is set when byte `b` can occur.
    alphabet: [u64; 4],
    pub min_len: usize,
    /// `None`: no limit.
    pub max_len: Option<usize>,
}

impl Bound {
    /// Any bytes, any length.
    pub const ANY: Bound = Bound {
        alphabet: [u64::MAX; 4],
        min_len: 0,
        max_len: None,
    };

    /// Exactly the bytes of `chars`, between `min_len` and `max_len` long.
    pub fn of(chars: &str, min_len: usize, max_len: Option<usize>) -> Bound {
        let mut bound = Bound {
            alphabet: [0; 4],
            min_len,
            max_len,
        };
        bound.add(chars);
        bound
    }

    fn add(&mut self, chars: &str) {
        for b in chars.bytes() {
            self.alphabet[usize::from(b / 64)] |= 1 << (b % 64);
        }
    }

    fn has_byte(&self, b: u8) -> bool {
        self.alphabet[usize::from(b / 64)] & (1 << (b % 64)) != 0
    }

    /// Whether `c` can occur in the value.
    pub fn can_hold(&self, c: char) -> bool {
        let mut buf = [0; 4];
        c.encode_utf8(&mut buf).bytes().all(|b| self.has_byte(b))
    }

    /// Whether every character of `text` can occur.
    pub fn can_spell(&self, text: &str) -> bool {
        text.chars().all(|c| self.can_hold(c)) && self.max_len.is_none_or(|m| text.len() <= m)
    }

    /// Whether some byte can occur in both.
    pub fn overlaps(&self, other: &Bound) -> bool {
        self.alphabet
            .iter()
            .zip(other.alphabet)
            .any(|(a, b)| a & b != 0)
    }

    fn without(mut self, range: std::ops::RangeInclusive<u8>) -> Bound {
        for b in range {
            self.alphabet[usize::from(b / 64)] &= !(1 << (b % 64));
        }
        self
    }
}

const DIGITS: &str = "0123456789";
const LOWER_HEX: &str = "0123456789abcdef";
const UPPER_HEX: &str = "0123456789ABCDEF";
const ALNUM: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// What kind of value it is, for messages and for the catalogue type a
/// `keys.yaml` entry would give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Nothing is known: no claim is made.
    Unknown,
    /// Free text: `&str`, `String`, `Cow<str>`, `impl Display`, a path.
    Text,
    /// A string literal: one fixed value, so it cannot make two keys
    /// collide.
    Literal,
    /// An integer, with its catalogue type (`u64`, `i32`).
    Integer(&'static str),
    Bool,
    Uuid,
    Ulid,
    /// An IP address that can be IPv6, whose `::` lets one address end
    /// where another continues (`1::2` and `1::2:3`).
    Address,
    /// Text with a fixed grammar that cannot take a separator and more at
    /// its end, nor lose a part at its start: a date or time, an IPv4 or
    /// socket address, a `char`.
    Rigid,
    /// Hex digits, e.g. a digest.
    Hex,
    Base64,
    /// Percent-encoded text: `A-Za-z0-9-._~` and `%XX`.
    Percent,
}

/// What is known about one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub family: Family,
    pub bound: Bound,
    /// Why, for labels: "`name` is a `&str` parameter", "a `Uuid`".
    pub why: String,
}

impl Known {
    pub fn unknown() -> Known {
        Known {
            family: Family::Unknown,
            bound: Bound::ANY,
            why: String::new(),
        }
    }

    fn new(family: Family, bound: Bound, why: impl Into<String>) -> Known {
        Known {
            family,
            bound,
            why: why.into(),
        }
    }

    /// Free text.
    pub fn text(why: impl Into<String>) -> Known {
        Known::new(Family::Text, Bound::ANY, why)
    }

    /// Whether anything is known.
    pub fn is_known(&self) -> bool {
        self.family != Family::Unknown
    }

    /// Whether this value can hold `separator` where it would make two
    /// keys collide: inside or at its end, not only in a fixed place. A
    /// literal never varies; an integer holds `-` only as its sign; a value
    /// of fixed length (a hyphenated `Uuid`, a SHA-256 in hex) or of a
    /// fixed grammar (`2024-01-01 10:00:00 UTC`, `10.0.0.1`) cannot grow to
    /// take a neighbour's text.
    pub fn can_hold_separator(&self, separator: char) -> bool {
        !matches!(
            self.family,
            Family::Unknown | Family::Literal | Family::Integer(_) | Family::Rigid
        ) && Some(self.bound.min_len) != self.bound.max_len
            && self.bound.can_hold(separator)
    }

    /// Whether the value has no length limit the code shows.
    pub fn is_unbounded(&self) -> bool {
        matches!(self.family, Family::Text | Family::Percent | Family::Base64)
            && self.bound.max_len.is_none()
    }

    /// The catalogue parameter type for this value in a `keys.yaml` entry.
    pub fn catalogue_type(&self) -> &'static str {
        match self.family {
            Family::Integer(ty) => ty,
            Family::Bool => "bool",
            Family::Uuid => "uuid",
            _ => "str",
        }
    }

    /// The value as a format spec renders it: `{:x}` is hex whatever the
    /// value, `{:?}` of text adds quotes and escapes, a width pads.
    pub fn with_spec(self, spec: &str) -> Known {
        if spec.is_empty() {
            return self;
        }
        let (fill, rest) = fill_of(spec);
        let kind = rest.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '$');
        let alternate = rest.contains('#');
        let radix = match kind.chars().last() {
            Some('x') => Some(LOWER_HEX),
            Some('X') => Some(UPPER_HEX),
            Some('o') => Some("01234567"),
            Some('b') => Some("01"),
            _ => None,
        };
        let mut known = match radix {
            Some(digits) => {
                // An integer in binary is at most 128 digits; a digest's
                // length is not known.
                let max_len = matches!(self.family, Family::Integer(_)).then_some(130);
                let mut bound = Bound::of(digits, 1, max_len);
                if alternate {
                    bound.add("0xob");
                }
                Known::new(
                    Family::Hex,
                    bound,
                    format!("`{{:{spec}}}` renders only digits"),
                )
            }
            None if kind.ends_with('?') => match self.family {
                Family::Text | Family::Literal | Family::Unknown => {
                    let mut known = self;
                    known.bound.add("\"\\");
                    known
                }
                _ => self,
            },
            None => self,
        };
        // A width pads with the fill character: a space unless given
        // (`{:08}` pads with `0`, a digit).
        let width: String = rest
            .trim_start_matches(['+', '-', '#'])
            .chars()
            .skip_while(|&c| c == '0')
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(width) = width.parse::<usize>() {
            let zero = rest.trim_start_matches(['+', '-', '#']).starts_with('0');
            match fill {
                Some(fill) => known.bound.add(fill.encode_utf8(&mut [0; 4])),
                None if !zero => known.bound.add(" "),
                None => known.bound.add("0"),
            }
            known.bound.min_len = known.bound.min_len.max(width);
            known.bound.max_len = known.bound.max_len.map(|m| m.max(width));
        }
        known
    }
}

/// `*>8` -> (`*`, `8`): a fill character is followed by an alignment.
fn fill_of(spec: &str) -> (Option<char>, &str) {
    let mut chars = spec.chars();
    match (chars.next(), chars.next()) {
        (Some(fill), Some('<' | '^' | '>')) => (Some(fill), &spec[fill.len_utf8() + 1..]),
        (Some('<' | '^' | '>'), _) => (None, &spec[1..]),
        _ => (None, spec),
    }
}

/// Integer types: the catalogue type each is written as and its longest
/// decimal rendering.
const INTEGERS: &[(&str, &str, usize)] = &[
    ("u8", "u8", 3),
    ("u16", "u16", 5),
    ("u32", "u32", 10),
    ("u64", "u64", 20),
    ("usize", "u64", 20),
    ("u128", "str", 39),
    ("i8", "i8", 4),
    ("i16", "i16", 6),
    ("i32", "i32", 11),
    ("i64", "i64", 20),
    ("isize", "i64", 20),
    ("i128", "str", 40),
    ("NonZeroU32", "u32", 10),
    ("NonZeroU64", "u64", 20),
    ("NonZeroUsize", "u64", 20),
];

/// The integer type `name`, if it is one.
fn integer(name: &str, why: impl Into<String>) -> Option<Known> {
    let &(rust, catalogue, len) = INTEGERS.iter().find(|(n, _, _)| *n == name)?;
    let digits = if rust.starts_with('i') {
        "-0123456789"
    } else {
        DIGITS
    };
    Some(Known::new(
        Family::Integer(catalogue),
        Bound::of(digits, 1, Some(len)),
        why,
    ))
}

/// What a value of the named type (the last path segment, e.g. `Uuid`,
/// `String`) renders as with `Display`; `None` for a type this knows
/// nothing about.
fn of_type_name(name: &str, holds_str: bool, shown: &str) -> Option<Known> {
    let what = || format!("a `{shown}`");
    if let Some(known) = integer(name, what()) {
        return Some(known);
    }
    let time = |chars: &str, max: usize| {
        Known::new(
            Family::Rigid,
            Bound::of(&format!("{DIGITS}{chars}"), 1, Some(max)),
            what(),
        )
    };
    Some(match name {
        "str" | "String" | "SmolStr" | "CompactString" | "ArcStr" | "EcoString" | "Path"
        | "PathBuf" | "OsStr" | "OsString" => Known::text(what()),
        "Cow" | "Box" | "Rc" | "Arc" if holds_str => Known::text(what()),
        "char" => Known::new(
            Family::Rigid,
            Bound {
                min_len: 1,
                max_len: Some(4),
                ..Bound::ANY
            },
            what(),
        ),
        "bool" => Known::new(Family::Bool, Bound::of("truefals", 4, Some(5)), what()),
        "Uuid" => Known::new(
            Family::Uuid,
            Bound::of(&format!("{LOWER_HEX}-"), 36, Some(36)),
            what(),
        ),
        // Crockford base32, upper case.
        "Ulid" => Known::new(
            Family::Ulid,
            Bound::of(ALNUM, 26, Some(26)).without(b'a'..=b'z'),
            what(),
        ),
        "Ipv4Addr" => Known::new(Family::Rigid, Bound::of("0123456789.", 7, Some(15)), what()),
        "Ipv6Addr" => Known::new(
            Family::Address,
            Bound::of(&format!("{LOWER_HEX}:."), 2, Some(45)),
            what(),
        ),
        "IpAddr" => Known::new(
            Family::Address,
            Bound::of(&format!("{LOWER_HEX}:."), 2, Some(45)),
            what(),
        ),
        "SocketAddrV4" => Known::new(
            Family::Rigid,
            Bound::of("0123456789.:", 9, Some(21)),
            what(),
        ),
        "SocketAddr" | "SocketAddrV6" => Known::new(
            Family::Rigid,
            Bound::of(&format!("{LOWER_HEX}:.[]%"), 4, Some(58)),
            what(),
        ),
        "NaiveDate" | "Date" => time("-+", 20),
        "NaiveTime" | "Time" => time(":.", 18),
        "NaiveDateTime" | "PrimitiveDateTime" => time("-+:. T", 40),
        // `2024-01-01 00:00:00 UTC`; a chrono-tz zone is a name such as
        // `America/New_York`.
        "DateTime" | "OffsetDateTime" | "Zoned" | "Timestamp" => Known::new(
            Family::Rigid,
            Bound::of(&format!("{ALNUM}-+:. /_"), 1, Some(64)),
            what(),
        ),
        _ => return None,
    })
}

/// What a value of type `ty` can be. References, `Option` and `Box` are
/// seen through; `impl AsRef<str>`, `impl Display` and the like are text.
pub fn of_type(ty: &syn::Type) -> Known {
    let shown = || tidy_type(&quote::ToTokens::to_token_stream(ty).to_string());
    let inner = |ty: &syn::Type| -> Known {
        let mut known = of_type(ty);
        if known.is_known() {
            known.why = format!("a `{}`", shown());
        }
        known
    };
    match ty {
        syn::Type::Reference(r) => inner(&r.elem),
        syn::Type::Paren(p) => of_type(&p.elem),
        syn::Type::Group(g) => of_type(&g.elem),
        syn::Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return Known::unknown();
            };
            let ident = last.ident.to_string();
            let arguments =
                tidy_type(&quote::ToTokens::to_token_stream(&last.arguments).to_string());
            let holds_str = arguments.contains("str") || arguments.contains("String");
            of_type_name(&ident, holds_str, &shown()).unwrap_or_else(Known::unknown)
        }
        syn::Type::ImplTrait(t) => {
            let bounds = quote::ToTokens::to_token_stream(&t.bounds).to_string();
            if ["AsRef", "Into", "Display", "ToString", "Borrow"]
                .iter()
                .any(|b| bounds.contains(b))
            {
                Known::text(format!("a `{}`", shown()))
            } else {
                Known::unknown()
            }
        }
        _ => Known::unknown(),
    }
}

/// What a parameter named `name` of type `ty` can be, with the reason
/// worded for a label: "`name` is a `&str` parameter".
pub fn of_param(name: &str, ty: &syn::Type) -> Known {
    let mut known = of_type(ty);
    if known.is_known() {
        let shown = tidy_type(&quote::ToTokens::to_token_stream(ty).to_string());
        known.why = format!("`{name}` is a `{shown}` parameter");
    }
    known
}

/// `& 'a str` -> `&'a str`: token spacing as a person writes types.
pub fn tidy_type(tokens: &str) -> String {
    tokens
        .replace("& '", "&'")
        .replace("& ", "&")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace("' _", "'_")
}

/// Methods that give back their receiver's text unchanged.
const SAME: &[&str] = &[
    "to_string",
    "to_owned",
    "as_str",
    "as_ref",
    "borrow",
    "clone",
    "into",
    "as_deref",
    "unwrap",
    "expect",
    "display",
    "to_smolstr",
    "as_path",
];

/// The hex length of a digest named in `name` (`sha256` -> 64), if it
/// names one.
fn digest_len(name: &str) -> Option<Option<usize>> {
    let lower = name.to_ascii_lowercase();
    let lengths = [
        ("sha512", Some(128)),
        ("sha384", Some(96)),
        ("sha256", Some(64)),
        ("sha224", Some(56)),
        ("sha1", Some(40)),
        ("md5", Some(32)),
        ("blake3", Some(64)),
        ("blake2", None),
        ("sha", None),
        ("digest", None),
        ("hash", None),
        ("hex", None),
    ];
    // Whole words of the name (`sha256_hex`, `Sha256::digest`), so that
    // `shadow_name` or `hashtag` is no digest.
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    lengths
        .iter()
        .find(|(w, _)| words.contains(w))
        .map(|&(_, len)| len)
}

fn hex(len: Option<usize>, why: impl Into<String>) -> Known {
    let mut bound = Bound::of(LOWER_HEX, 1, len);
    // Whether a helper renders upper case is not visible: allow both.
    bound.add(UPPER_HEX);
    Known::new(Family::Hex, bound, why)
}

fn base64(path: &str, why: impl Into<String>) -> Known {
    let url = path.contains("URL_SAFE") || path.contains("url");
    let mut bound = Bound::of(ALNUM, 0, None);
    bound.add(if url { "-_" } else { "+/" });
    if !path.contains("NO_PAD") {
        bound.add("=");
    }
    Known::new(Family::Base64, bound, why)
}

fn percent(why: impl Into<String>) -> Known {
    Known::new(
        Family::Percent,
        Bound::of(&format!("{ALNUM}-._~%"), 0, None),
        why,
    )
}

/// What an encoding function named by `path` (`hex::encode`,
/// `base64::engine::general_purpose::STANDARD.encode`, `sha256_hex`)
/// renders, if its name says.
fn encoder(path: &str) -> Option<Known> {
    let lower = path.to_ascii_lowercase();
    let why = format!("`{path}` encodes it");
    if lower.contains("base64") || path.contains("STANDARD") || path.contains("URL_SAFE") {
        return Some(base64(path, why));
    }
    if lower.contains("urlencod")
        || lower.contains("percent_encode")
        || lower.contains("encode_uri")
    {
        return Some(percent(why));
    }
    if lower.contains("hex::encode") || lower == "encode_hex" {
        return Some(hex(None, why));
    }
    digest_len(&lower).map(|len| hex(len, format!("`{path}` is a digest in hex")))
}

/// What the expression `expr` can be. `lookup` knows the parameters and
/// locals in scope.
pub fn of_expr(expr: &Expr, lookup: &dyn Fn(&str) -> Option<Known>) -> Known {
    match expr {
        Expr::Reference(r) => of_expr(&r.expr, lookup),
        Expr::Paren(p) => of_expr(&p.expr, lookup),
        Expr::Group(g) => of_expr(&g.expr, lookup),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => of_expr(&u.expr, lookup),
        Expr::Lit(ExprLit { lit, .. }) => match lit {
            Lit::Int(int) => {
                let text = int.base10_digits();
                Known::new(
                    Family::Literal,
                    Bound::of(text, text.len(), Some(text.len())),
                    "an integer literal",
                )
            }
            Lit::Str(s) => {
                let text = s.value();
                Known::new(
                    Family::Literal,
                    Bound::of(&text, text.len(), Some(text.len())),
                    format!("the literal {text:?}"),
                )
            }
            Lit::Bool(_) => Known::new(
                Family::Literal,
                Bound::of("truefals", 4, Some(5)),
                "a literal",
            ),
            _ => Known::unknown(),
        },
        Expr::Cast(cast) => {
            let ty = tidy_type(&quote::ToTokens::to_token_stream(&cast.ty).to_string());
            integer(&ty, format!("an `{ty}`")).unwrap_or_else(Known::unknown)
        }
        Expr::Path(p) if p.path.segments.len() == 1 && p.qself.is_none() => {
            let name = p.path.segments[0].ident.to_string();
            lookup(&name).unwrap_or_else(Known::unknown)
        }
        Expr::MethodCall(call) => {
            let method = call.method.to_string();
            let receiver = || of_expr(&call.receiver, lookup);
            if SAME.contains(&method.as_str()) {
                return receiver();
            }
            match method.as_str() {
                "len" | "count" | "capacity" => {
                    return integer("usize", format!("`.{method}()` is a `usize`"))
                        .unwrap_or_else(Known::unknown);
                }
                "as_u64" | "as_secs" | "timestamp_nanos" => {
                    return integer("u64", format!("`.{method}()` is an integer"))
                        .unwrap_or_else(Known::unknown);
                }
                "as_u128" | "as_millis" | "as_micros" | "as_nanos" => {
                    return integer("u128", format!("`.{method}()` is an integer"))
                        .unwrap_or_else(Known::unknown);
                }
                "timestamp" | "timestamp_millis" | "timestamp_micros" | "unix_timestamp" => {
                    return integer("i64", format!("`.{method}()` is an integer"))
                        .unwrap_or_else(Known::unknown);
                }
                "year" => {
                    return integer("i32", "`.year()` is an integer")
                        .unwrap_or_else(Known::unknown);
                }
                "month" | "day" | "hour" | "minute" | "second" | "ordinal" => {
                    return integer("u32", format!("`.{method}()` is an integer"))
                        .unwrap_or_else(Known::unknown);
                }
                "hyphenated" => {
                    return Known::new(
                        Family::Uuid,
                        Bound::of(&format!("{LOWER_HEX}-"), 36, Some(36)),
                        "a hyphenated `Uuid`",
                    );
                }
                "simple" => return hex(Some(32), "a simple `Uuid` is 32 hex digits"),
                "to_rfc3339" => {
                    return Known::new(
                        Family::Rigid,
                        Bound::of(&format!("{DIGITS}-+:.TZ"), 20, Some(35)),
                        "an RFC 3339 time",
                    );
                }
                "to_lowercase" | "to_ascii_lowercase" => {
                    let mut known = receiver();
                    if known.bound.max_len.is_some() || !known.bound.has_byte(0x80) {
                        known.bound = known.bound.without(b'A'..=b'Z');
                    }
                    return known;
                }
                "to_uppercase" | "to_ascii_uppercase" => {
                    let mut known = receiver();
                    if known.bound.max_len.is_some() || !known.bound.has_byte(0x80) {
                        known.bound = known.bound.without(b'a'..=b'z');
                    }
                    return known;
                }
                _ => {}
            }
            // `hasher.finalize()` would be a guess; names that say how they
            // encode (`STANDARD.encode(x)`, `digest.to_hex()`) are not.
            if method == "encode" || method.contains("hex") || method.contains("base64") {
                let path = format!("{}.{method}", text_of(&call.receiver));
                if let Some(known) = encoder(&path) {
                    return known;
                }
                if method.contains("hex") {
                    return hex(None, format!("`.{method}()` is hex"));
                }
            }
            Known::unknown()
        }
        Expr::Call(call) => {
            let Expr::Path(p) = &*call.func else {
                return Known::unknown();
            };
            let path = tidy_type(&quote::ToTokens::to_token_stream(&p.path).to_string());
            match path.rsplit("::").next().unwrap_or("") {
                _ if path.ends_with("Uuid::new_v4") || path.ends_with("Uuid::now_v7") => {
                    return Known::new(
                        Family::Uuid,
                        Bound::of(&format!("{LOWER_HEX}-"), 36, Some(36)),
                        format!("`{path}()` is a `Uuid`"),
                    );
                }
                _ if path.ends_with("Ulid::new") => {
                    return of_type_name("Ulid", false, "Ulid").unwrap_or_else(Known::unknown);
                }
                _ => {}
            }
            encoder(&path).unwrap_or_else(Known::unknown)
        }
        Expr::Macro(m) if m.mac.path.is_ident("format") => Known::text("a `format!` string"),
        _ => Known::unknown(),
    }
}

/// An expression as compact text, for paths in messages.
fn text_of(expr: &Expr) -> String {
    tidy_type(&quote::ToTokens::to_token_stream(expr).to_string()).replace(" . ", ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(code: &str, params: &[(&str, &str)]) -> Known {
        let params: Vec<(String, syn::Type)> = params
            .iter()
            .map(|(n, t)| (n.to_string(), syn::parse_str(t).unwrap()))
            .collect();
        let expr: Expr = syn::parse_str(code).unwrap();
        of_expr(&expr, &|name| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(n, t)| of_param(n, t))
        })
    }

    #[test]
    fn separators_that_values_cannot_hold() {
        for (code, params) in [
            ("id", &[("id", "u64")][..]),
            ("id", &[("id", "&Uuid")]),
            ("id.to_string()", &[("id", "uuid::Uuid")]),
            ("hex::encode(digest)", &[]),
            ("flag", &[("flag", "bool")]),
            ("ip", &[("ip", "std::net::Ipv4Addr")]),
            ("name.len()", &[]),
            ("id.simple()", &[]),
            ("sha256_hex(&body)", &[]),
            (
                "base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(x)",
                &[],
            ),
            ("day", &[("day", "chrono::NaiveDate")]),
            ("ulid", &[("ulid", "Ulid")]),
        ] {
            let known = known(code, params);
            assert!(known.is_known(), "{code}");
            assert!(!known.can_hold_separator(':'), "{code}: {known:?}");
        }
    }

    #[test]
    fn separators_that_values_can_hold() {
        for (code, params, separator) in [
            ("name", &[("name", "&str")][..], ':'),
            ("name.as_str()", &[("name", "String")], ':'),
            ("base64::encode(x)", &[], '/'),
            ("STANDARD.encode(x)", &[], '+'),
            ("urlencoding::encode(x)", &[], '_'),
            ("ip", &[("ip", "IpAddr")], ':'),
            ("name.to_lowercase()", &[("name", "&str")], ':'),
        ] {
            let known = known(code, params);
            assert!(known.can_hold_separator(separator), "{code}: {known:?}");
        }
        // Nothing known, nothing claimed; a literal never varies; a sign
        // is always first; a hyphenated Uuid is always 36 bytes.
        assert!(!known("id", &[("id", "i64")]).can_hold_separator('-'));
        assert!(!known("id", &[("id", "Uuid")]).can_hold_separator('-'));
        // Fixed grammars: a time, an IPv4 address, a char.
        assert!(!known("at", &[("at", "DateTime<Utc>")]).can_hold_separator(':'));
        assert!(!known("ip", &[("ip", "Ipv4Addr")]).can_hold_separator('.'));
        assert!(!known("c", &[("c", "char")]).can_hold_separator(':'));
        assert!(!known("user.name", &[]).can_hold_separator(':'));
        assert!(!known("\"a:b\"", &[]).can_hold_separator(':'));
    }

    #[test]
    fn digest_names_are_whole_words() {
        assert_eq!(digest_len("sha256_hex"), Some(Some(64)));
        assert_eq!(digest_len("Sha256::digest"), Some(Some(64)));
        assert_eq!(digest_len("calculate_hash"), Some(None));
        assert_eq!(digest_len("shadow_name"), None);
        assert_eq!(digest_len("hashtag"), None);
    }

    #[test]
    fn bounds() {
        let uuid = known("id.to_string()", &[("id", "Uuid")]);
        assert_eq!(uuid.bound.max_len, Some(36));
        assert_eq!(known("n", &[("n", "u32")]).bound.max_len, Some(10));
        assert_eq!(known("name", &[("name", "&str")]).bound.max_len, None);
        assert!(known("name", &[("name", "&str")]).is_unbounded());
        assert!(!known("x.y", &[]).is_unbounded());
        assert_eq!(known("sha256(x)", &[]).bound.max_len, Some(64));
        assert_eq!(
            known("name.to_lowercase()", &[("name", "Uuid")]).bound,
            Bound::of(&format!("{LOWER_HEX}-"), 36, Some(36))
        );
    }

    #[test]
    fn format_specs() {
        let hex = Known::unknown().with_spec("x");
        assert!(hex.is_known());
        assert!(!hex.can_hold_separator(':'));
        assert!(hex.bound.can_spell("deadbeef"));
        let padded = known("n", &[("n", "u64")]).with_spec("08");
        assert!(!padded.bound.can_hold(' '));
        let spaced = known("n", &[("n", "u64")]).with_spec("8");
        assert!(spaced.bound.can_hold(' '));
        let filled = known("n", &[("n", "u64")]).with_spec("_>8");
        assert!(filled.bound.can_hold('_'));
        let debug = known("s", &[("s", "&str")]).with_spec("?");
        assert!(debug.bound.can_hold('"'));
    }

    #[test]
    fn catalogue_types() {
        assert_eq!(known("n", &[("n", "u32")]).catalogue_type(), "u32");
        assert_eq!(known("n", &[("n", "usize")]).catalogue_type(), "u64");
        assert_eq!(known("id", &[("id", "Uuid")]).catalogue_type(), "uuid");
        assert_eq!(known("b", &[("b", "bool")]).catalogue_type(), "bool");
        assert_eq!(known("s", &[("s", "&str")]).catalogue_type(), "str");
    }
}
