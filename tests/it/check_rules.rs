//! `check`: each rule (CK003 separator-collision, CK004 ambiguous-keys,
//! CK005 key-too-long, CK006 forbidden-key-characters) on catalogues that
//! trigger it and on catalogues that are clean. Each finding checks its
//! code, severity, message, line and column, and snapshots the human report.
//!
//! At the end, a property test compares CK004 with brute force: random
//! small catalogues, many rendered keys each, and a renderer written here
//! from the documented rendering rules rather than taken from the crate.

use std::cell::Cell;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use cachekeys::__private::keyspace;
use cachekeys::__private::report::{Format, Sources, format_report as render};
use cachekeys::catalogue::{self, Catalogue};
use cachekeys::diagnostic::{Diagnostic, Severity};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::common;
use crate::common::Rng;

/// Parses `source` as `keys.yaml`; panics if it does not load.
#[track_caller]
fn parse(source: &str) -> Catalogue {
    catalogue::parse("keys.yaml", source)
        .unwrap_or_else(|err| panic!("the catalogue does not load:\n{err}\n{source}"))
}

/// Runs `check` and renders its findings as a human report, without colour.
fn check(source: &str) -> (Vec<Diagnostic>, String) {
    let catalogue = parse(source);
    let diagnostics = keyspace::check(&catalogue);
    let mut sources = Sources::default();
    sources.insert(catalogue.path.clone(), catalogue.source.clone());
    let rendered = render(Format::Human, &diagnostics, &sources, false);
    for d in &diagnostics {
        assert_eq!(d.location.path, Path::new("keys.yaml"));
    }
    (diagnostics, rendered)
}

/// Asserts that `check` finds nothing at all, and that the report is empty.
#[track_caller]
fn assert_clean(source: &str) {
    let (diagnostics, rendered) = check(source);
    assert!(
        diagnostics.is_empty(),
        "expected no diagnostics, got:\n{rendered}"
    );
    assert_eq!(rendered, "");
}

/// `check` on input with exactly one finding: the finding and the report.
#[track_caller]
fn only(source: &str) -> (Diagnostic, String) {
    let (mut diagnostics, rendered) = check(source);
    assert_eq!(diagnostics.len(), 1, "expected one diagnostic:\n{rendered}");
    (diagnostics.remove(0), rendered)
}

/// Checks the rule, the severity, the message and where it points.
#[track_caller]
fn assert_at(
    d: &Diagnostic,
    code: &str,
    severity: Severity,
    message: &str,
    line: usize,
    column: usize,
) {
    assert_eq!(d.code, Some(code), "wrong code for `{}`", d.message);
    assert_eq!(d.severity, severity, "wrong severity for `{}`", d.message);
    crate::common::assert_message_at(d, message, line, column);
}

#[track_caller]
fn assert_error(d: &Diagnostic, code: &str, message: &str, line: usize, column: usize) {
    assert_at(d, code, Severity::Error, message, line, column);
}

#[track_caller]
fn assert_help(d: &Diagnostic, expected: &str) {
    assert_eq!(d.help.as_deref(), Some(expected), "help of `{}`", d.message);
}

/// The one related note of a two-entry CK004: its text and position.
#[track_caller]
fn assert_related(d: &Diagnostic, message: &str, line: usize, column: usize) {
    assert_eq!(d.related.len(), 1, "related notes of `{}`", d.message);
    let related = &d.related[0];
    assert_eq!(related.message, message);
    assert_eq!(
        (related.location.line, related.location.column),
        (line, column)
    );
}

const CK003: &str = "CK003";
const CK004: &str = "CK004";
const CK005: &str = "CK005";
const CK006: &str = "CK006";

// ================================================================ tables

/// A catalogue on which `check` finds exactly one thing, and all of that
/// finding: rule, severity, message, position, label, related notes, help.
struct OneFinding {
    /// The case's name, reported when it fails.
    name: &'static str,
    /// The catalogue, as `keys.yaml`.
    source: &'static str,
    code: &'static str,
    severity: Severity,
    message: &'static str,
    /// Line and column the finding points at.
    at: (usize, usize),
    label: &'static str,
    /// Every related note: its text, line and column.
    related: &'static [(&'static str, usize, usize)],
    help: Option<&'static str>,
    /// The snapshot of the human report, where the case has one.
    snapshot: Option<&'static str>,
}

impl common::Case for OneFinding {
    fn name(&self) -> &str {
        self.name
    }
}

/// A catalogue on which `check` finds nothing.
struct Clean {
    /// The case's name, reported when it fails.
    name: &'static str,
    /// The catalogue, as `keys.yaml`.
    source: &'static str,
}

impl common::Case for Clean {
    fn name(&self) -> &str {
        self.name
    }
}

#[test]
fn each_catalogue_gives_exactly_its_finding() {
    common::each_case(ONE_FINDING, |case| {
        let (d, rendered) = only(case.source);
        let (line, column) = case.at;
        assert_at(&d, case.code, case.severity, case.message, line, column);
        assert_eq!(d.label, case.label, "label of `{}`", d.message);
        let related: Vec<(&str, usize, usize)> = d
            .related
            .iter()
            .map(|r| (r.message.as_str(), r.location.line, r.location.column))
            .collect();
        assert_eq!(related, case.related, "related notes of `{}`", d.message);
        assert_eq!(d.help.as_deref(), case.help, "help of `{}`", d.message);
        if let Some(snapshot) = case.snapshot {
            insta::assert_snapshot!(snapshot, rendered);
        }
    });
}

#[test]
fn each_clean_catalogue_gives_nothing() {
    common::each_case(CLEAN, |case| assert_clean(case.source));
}

/// The help of a CK004 between two families.
const CK004_FAMILIES_HELP: &str = "make the patterns differ in literal text that neither family's parameters can render, e.g. `users:id:{id}` and `users:name:{name}`";
/// The help of a CK004 within one pattern.
const CK004_ADJACENT_HELP: &str =
    "put literal text that no parameter can render between adjacent parameters, e.g. the separator";
/// The help of every CK006 on text that is written into the key.
const CK006_HELP: &str = "memcached keys may not contain whitespace or control characters; use `-`, `_` or the separator instead";

/// Catalogues with one finding each, rule by rule.
const ONE_FINDING: &[OneFinding] = &[
    OneFinding {
        // Percent-encoded text keeps digits, so `name = "0"` renders `user:0`
        // just like `id = 0`.
        name: "ck004_u64_and_str_under_the_same_literal",
        source: r#"target: none
keys:
  by_id:
    pattern: "user:{id}"
    params: { id: u64 }
  by_name:
    pattern: "user:{name}"
    params: { name: str }
"#,
        code: CK004,
        severity: Severity::Error,
        message: "`by_id` and `by_name` can render the same key `user:0`",
        at: (7, 14),
        label: "`by_name` with name = \"0\"",
        related: &[("`by_id` with id = 0", 4, 14)],
        help: Some(CK004_FAMILIES_HELP),
        snapshot: Some("ck004_u64_vs_str"),
    },
    OneFinding {
        // `_` is unreserved in percent-encoding, so `client_{id}` with
        // `id = "logo_0"` is `client_logo_0`.
        name: "ck004_underscore_prefix_families",
        source: r#"target: none
keys:
  client:
    pattern: "client_{id}"
    params: { id: str }
  client_logo:
    pattern: "client_logo_{id}"
    params: { id: u64 }
"#,
        code: CK004,
        severity: Severity::Error,
        message: "`client` and `client_logo` can render the same key `client_logo_0`",
        at: (7, 14),
        label: "`client_logo` with id = 0",
        related: &[("`client` with id = \"logo_0\"", 4, 14)],
        help: Some(CK004_FAMILIES_HELP),
        snapshot: Some("ck004_client_vs_client_logo"),
    },
    OneFinding {
        name: "ck004_adjacent_integers_are_ambiguous",
        source: r#"keys:
  pair:
    pattern: "pair:{a}{b}"
    params: { a: u8, b: u8 }
"#,
        code: CK004,
        severity: Severity::Error,
        message: "`pair` is ambiguous: two different argument lists render the same key",
        at: (3, 14),
        // Both argument tuples are shown, and both really render `pair:110`.
        label: "`pair:110` is both (a = 11, b = 0) and (a = 1, b = 10)",
        related: &[],
        help: Some(CK004_ADJACENT_HELP),
        snapshot: Some("ck004_self_ambiguous_pair"),
    },
    OneFinding {
        // `x` + `yz` and `xy` + `z` are both `xyz`.
        name: "ck004_adjacent_enums_are_ambiguous",
        source: r#"keys:
  k:
    pattern: "k:{a}{b}"
    params:
      a: { type: enum, values: [x, xy] }
      b: { type: enum, values: [yz, z] }
"#,
        code: CK004,
        severity: Severity::Error,
        message: "`k` is ambiguous: two different argument lists render the same key",
        at: (3, 14),
        label: "`k:xyz` is both (a = xy, b = z) and (a = x, b = yz)",
        related: &[],
        help: Some(CK004_ADJACENT_HELP),
        snapshot: Some("ck004_self_ambiguous_enums"),
    },
    OneFinding {
        name: "ck004_two_identical_patterns",
        source: r#"keys:
  first:
    pattern: "x:{id}"
    params: { id: u64 }
  second:
    pattern: "x:{id}"
    params: { id: u64 }
"#,
        code: CK004,
        severity: Severity::Error,
        message: "`first` and `second` can render the same key `x:0`",
        at: (6, 14),
        label: "`second` with id = 0",
        related: &[("`first` with id = 0", 3, 14)],
        help: Some(CK004_FAMILIES_HELP),
        snapshot: Some("ck004_identical_patterns"),
    },
    OneFinding {
        name: "ck004_u8_bound_is_exact_255_collides",
        source: r#"keys:
  small:
    pattern: "a:{x}"
    params: { x: u8 }
  literal:
    pattern: "a:255"
"#,
        code: CK004,
        severity: Severity::Error,
        message: "`small` and `literal` can render the same key `a:255`",
        at: (6, 14),
        label: "`literal` with no arguments",
        related: &[("`small` with x = 255", 3, 14)],
        help: Some(CK004_FAMILIES_HELP),
        snapshot: Some("ck004_u8_vs_literal_255"),
    },
    OneFinding {
        // A percent-encoded `str` may be empty: `s = ""` renders `a:`.
        name: "ck004_empty_str_meets_a_literal",
        source: r#"target: none
keys:
  s:
    pattern: "a:{s}"
    params: { s: str }
  lit:
    pattern: "a:"
"#,
        code: CK004,
        severity: Severity::Error,
        message: "`s` and `lit` can render the same key `a:`",
        at: (7, 14),
        label: "`lit` with no arguments",
        related: &[("`s` with s = \"\"", 4, 14)],
        help: Some(CK004_FAMILIES_HELP),
        snapshot: Some("ck004_empty_str_vs_literal"),
    },
    OneFinding {
        // i8 renders `-1`, which is also `k:-` followed by the u8 `1`.
        name: "ck004_negative_integer_meets_a_dash_literal",
        source: r#"keys:
  k:
    pattern: "k:{a}"
    params: { a: i8 }
  l:
    pattern: "k:-{b}"
    params: { b: u8 }
"#,
        code: CK004,
        severity: Severity::Error,
        message: "`k` and `l` can render the same key `k:-1`",
        at: (6, 14),
        label: "`l` with b = 1",
        related: &[("`k` with a = -1", 3, 14)],
        help: Some(CK004_FAMILIES_HELP),
        snapshot: Some("ck004_i8_vs_dash_u8"),
    },
    OneFinding {
        // The per-key version is part of the key: `versioned` renders
        // `1:k:{id}`, which is exactly the unversioned `1:k:{id}`.
        name: "ck004_per_key_version_meets_a_literal_digit",
        source: r#"keys:
  versioned:
    pattern: "k:{id}"
    version: 1
    params: { id: u64 }
  literal:
    pattern: "1:k:{id}"
    params: { id: u64 }
"#,
        code: CK004,
        severity: Severity::Error,
        message: "`versioned` and `literal` can render the same key `1:k:0`",
        at: (7, 14),
        label: "`literal` with id = 0",
        related: &[("`versioned` with id = 0", 3, 14)],
        help: Some(CK004_FAMILIES_HELP),
        snapshot: Some("ck004_version_vs_literal"),
    },
    OneFinding {
        name: "ck003_dash_separator_with_a_signed_integer",
        source: r#"separator: "-"
keys:
  day:
    pattern: "stats-{day}"
    params: { day: i32 }
"#,
        code: CK003,
        severity: Severity::Error,
        message: "parameter `day` of `day` can contain the separator `-`",
        at: (5, 15),
        label: "renders values such as `-1`",
        related: &[],
        help: Some("choose a separator that `i32` values cannot contain, such as `:`"),
        snapshot: Some("ck003_dash_i32"),
    },
    OneFinding {
        name: "ck003_dash_separator_with_a_uuid",
        source: r#"separator: "-"
keys:
  session:
    pattern: "session-{id}"
    params: { id: uuid }
"#,
        code: CK003,
        severity: Severity::Error,
        message: "parameter `id` of `session` can contain the separator `-`",
        at: (5, 15),
        label: "renders values such as `00000000-0000-0000-0000-000000000000`",
        related: &[],
        help: Some("choose a separator that `uuid` values cannot contain, such as `:`"),
        snapshot: Some("ck003_dash_uuid"),
    },
    OneFinding {
        // Percent-encoding keeps `A-Z a-z 0-9 - . _ ~`, so `_` goes through.
        name: "ck003_underscore_separator_with_percent_text",
        source: r#"separator: "_"
keys:
  by_email:
    pattern: "email_{email}"
    params:
      email: { type: str, max_len: 50 }
"#,
        code: CK003,
        severity: Severity::Error,
        message: "parameter `email` of `by_email` can contain the separator `_`",
        at: (6, 7),
        label: "renders values such as `_`",
        related: &[],
        help: Some("choose a separator outside `A-Z a-z 0-9 - . _ ~ %`, such as `:`"),
        snapshot: Some("ck003_underscore_str"),
    },
    OneFinding {
        name: "ck003_enum_value_with_the_separator",
        source: r#"keys:
  region:
    pattern: "region:{zone}"
    params:
      zone: { type: enum, values: [eu, "us:east"] }
"#,
        code: CK003,
        severity: Severity::Error,
        message: "parameter `zone` of `region` can contain the separator `:`",
        at: (5, 7),
        label: "renders values such as `us:east`",
        related: &[],
        help: Some(
            "rename the enum values that contain `:`, or choose a separator none of them contain",
        ),
        snapshot: Some("ck003_enum_value"),
    },
    OneFinding {
        name: "ck003_raw_str",
        source: r#"target: none
keys:
  legacy:
    pattern: "legacy:{name}"
    params:
      name: { type: str, encode: none }
"#,
        code: CK003,
        severity: Severity::Error,
        message: "parameter `name` of `legacy` can contain the separator `:`",
        at: (6, 7),
        label: "renders values such as `:`",
        related: &[],
        help: Some("remove `encode: none`: percent-encoding keeps `:` out of values"),
        snapshot: Some("ck003_encode_none"),
    },
    OneFinding {
        // The fixed text is `shop:1:users:by-email:`: 5 + 2 + 15 = 22 bytes.
        // 250 - 22 = 228 bytes are left; percent-encoding takes up to 3 bytes
        // per raw byte, so max_len 76 fits exactly (22 + 3 * 76 = 250) and 77
        // does not (22 + 231 = 253).
        name: "ck005_memcached_str_without_max_len",
        source: r#"prefix: shop
version: 1
keys:
  users.by_email:
    pattern: "users:by-email:{email}"
    params:
      email: str
"#,
        code: CK005,
        severity: Severity::Error,
        message: "keys of `users.by_email` have no length limit, but memcached refuses keys over 250 bytes",
        at: (4, 3),
        label: "`email` is a `str` without `max_len`",
        related: &[],
        help: Some(
            "set `max_len: 76` on `email` (the most that fits), or use `encode: sha256` (a fixed 64 bytes)",
        ),
        snapshot: Some("ck005_memcached_no_max_len"),
    },
    OneFinding {
        // 22 fixed bytes + 3 * 100 = 322 > 250; the most that fits is still 76.
        name: "ck005_memcached_max_len_too_big",
        source: r#"prefix: shop
version: 1
keys:
  users.by_email:
    pattern: "users:by-email:{email}"
    params:
      email: { type: str, max_len: 100 }
"#,
        code: CK005,
        severity: Severity::Error,
        message: "keys of `users.by_email` can be 322 bytes long, over memcached's 250-byte limit",
        at: (4, 3),
        label: "the longest part is `{email}`, up to 300 bytes",
        related: &[],
        help: Some("lower `max_len` of `email` to at most 76, or use `encode: sha256`"),
        snapshot: Some("ck005_memcached_max_len_too_big"),
    },
    OneFinding {
        // `doc:` + 3 * 400 = 1204 > 1024; (1024 - 4) / 3 = 340 fits.
        name: "ck005_redis_is_a_warning",
        source: r#"target: redis
keys:
  doc:
    pattern: "doc:{body}"
    params:
      body: { type: str, max_len: 400 }
"#,
        code: CK005,
        severity: Severity::Warning,
        message: "keys of `doc` can be 1204 bytes long, over the 1 KiB Redis advises (long keys cost memory and lookups)",
        at: (3, 3),
        label: "the longest part is `{body}`, up to 1200 bytes",
        related: &[],
        help: Some("lower `max_len` of `body` to at most 340, or use `encode: sha256`"),
        snapshot: Some("ck005_redis_warning"),
    },
    OneFinding {
        // With an escape the value is not written verbatim, so the whole
        // scalar is underlined instead.
        name: "ck006_escaped_tab_points_at_the_whole_pattern",
        source: r#"keys:
  bad:
    pattern: "users:\t{id}"
    params: { id: u64 }
"#,
        code: CK006,
        severity: Severity::Error,
        message: "the pattern of `bad` contains '\\t'",
        at: (3, 14),
        label: "forbidden character",
        related: &[],
        help: Some(CK006_HELP),
        snapshot: None,
    },
    OneFinding {
        name: "ck006_enum_value_with_a_space",
        source: r#"keys:
  size:
    pattern: "size:{size}"
    params:
      size: { type: enum, values: [small, "extra large"] }
"#,
        code: CK006,
        severity: Severity::Error,
        message: "enum value \"extra large\" of parameter `size` contains whitespace or a control character",
        at: (5, 7),
        label: "renders \"extra large\"",
        related: &[],
        help: Some(CK006_HELP),
        snapshot: Some("ck006_enum_value_with_space"),
    },
];

/// Catalogues that are clean, rule by rule: each one close to a finding.
const CLEAN: &[Clean] = &[
    Clean {
        // Clean only because of the exact bound: `256` is three digits like a u8,
        // but 256 > u8::MAX, so no `x` renders it.
        name: "ck004_u8_bound_is_exact_256_is_clean",
        source: r#"keys:
  small:
    pattern: "a:{x}"
    params: { x: u8 }
  literal:
    pattern: "a:256"
"#,
    },
    Clean {
        // `user:{id}` renders `user:` and then digits only; every key of
        // `by_name` has `n` right after `user:`, which no u64 starts with.
        name: "ck004_clean_literal_text_no_parameter_renders",
        source: r#"keys:
  by_id:
    pattern: "user:{id}"
    params: { id: u64 }
  by_name:
    pattern: "user:name:{name}"
    params: { name: { type: str, max_len: 20 } }
"#,
    },
    Clean {
        // `x` can't start a u64 (canonical decimal is digits only), so
        // `user:x{n}` and `user:{id}` part at the sixth byte.
        name: "ck004_clean_letter_after_the_shared_literal",
        source: r#"keys:
  by_id:
    pattern: "user:{id}"
    params: { id: u64 }
  by_x:
    pattern: "user:x{n}"
    params: { n: u64 }
"#,
    },
    Clean {
        // Not ambiguous although both parts can render hex and `-`: the uuid is
        // always the last 36 bytes, so the split is forced.
        name: "ck004_clean_str_followed_by_uuid",
        source: r#"target: none
keys:
  k:
    pattern: "k:{a}{b}"
    params: { a: str, b: uuid }
"#,
    },
    Clean {
        // `1:k:{id}` and `2:k:{id}`: the version (catalogue default vs per-key
        // override) differs in the first byte.
        name: "ck004_clean_same_pattern_different_versions",
        source: r#"version: 1
keys:
  old:
    pattern: "k:{id}"
    params: { id: u64 }
  new:
    pattern: "k:{id}"
    version: 2
    params: { id: u64 }
"#,
    },
    Clean {
        // `true`/`false` followed by `rue`/`t`: the keys are `truet`,
        // `truerue`, `falset` and `falserue`. Neither bool is a prefix of the
        // other, so where the bool ends (and the enum starts) is forced.
        name: "ck004_clean_bool_next_to_an_enum",
        source: r#"keys:
  b:
    pattern: "b:{x}{y}"
    params:
      x: bool
      y: { type: enum, values: [rue, t] }
"#,
    },
    Clean {
        // `:` is reserved (percent-encoded as `%3A`) and appears in no integer,
        // bool, uuid, sha256 hex or listed enum value. Split over two keys so
        // neither goes over memcached's 250 bytes.
        name: "ck003_clean_colon_separator_with_every_type",
        source: r#"keys:
  ints:
    pattern: "i:{a}:{b}:{c}:{d}:{e}:{f}:{g}:{h}"
    params: { a: u8, b: u16, c: u32, d: u64, e: i8, f: i16, g: i32, h: i64 }
  others:
    pattern: "o:{flag}:{id}:{kind}:{text}:{digest}"
    params:
      flag: bool
      id: uuid
      kind: { type: enum, values: [a-b, c_d, e.f] }
      text: { type: str, max_len: 20 }
      digest: { type: str, encode: sha256 }
"#,
    },
    Clean {
        // `|` is reserved: a `str` renders it as `%7C`.
        name: "ck003_clean_pipe_separator_with_percent_text",
        source: r#"separator: "|"
prefix: app
keys:
  by_name:
    pattern: "name|{name}"
    params:
      name: { type: str, max_len: 30 }
"#,
    },
    Clean {
        name: "ck005_clean_target_none_has_no_limit",
        source: r#"target: none
keys:
  doc:
    pattern: "doc:{body}"
    params:
      body: { type: str, max_len: 100000 }
  doc2:
    pattern: "doc2:{body}"
    params:
      body: str
"#,
    },
    Clean {
        // No max_len, or one far over the limit: sha256 always renders 64 hex
        // digits, so `doc:` + 64 = 68 bytes.
        name: "ck005_clean_sha256_is_a_fixed_64_bytes",
        source: r#"keys:
  doc:
    pattern: "doc:{body}"
    params:
      body: { type: str, encode: sha256 }
  big:
    pattern: "big:{body}"
    params:
      body: { type: str, encode: sha256, max_len: 100000 }
"#,
    },
    Clean {
        // Whitespace in the pattern and in an enum value: no store limits apply
        // with `target: none`.
        name: "ck006_clean_target_none",
        source: r#"target: none
keys:
  bad:
    pattern: "users: {id}"
    params: { id: u64 }
  size:
    pattern: "size:{size}"
    params:
      size: { type: enum, values: [small, "extra large"] }
"#,
    },
    Clean {
        // `%FF` alone is not the encoding of any `&str` (a lone 0xFF byte is not
        // UTF-8), so no `s` renders `a:%FF`. check reports it, with the
        // witness `s = "\u{FFFD}"`, which renders `a:%EF%BF%BD`.
        name: "ck004_percent_escape_no_str_renders",
        source: r#"target: none
keys:
  s:
    pattern: "a:{s}"
    params: { s: str }
  lit:
    pattern: "a:%FF"
"#,
    },
];

// ================================================================ CK004

#[test]
fn ck004_raw_str_swallows_the_rest_of_another_pattern() {
    // `encode: none` lets `x` be `0:b`, which is what `a:{y}:b` renders for
    // `y = 0`. The raw `:` is also a separator collision (CK003).
    let (diagnostics, rendered) = check(
        r#"target: none
keys:
  a:
    pattern: "a:{x}"
    params: { x: { type: str, encode: none } }
  b:
    pattern: "a:{y}:b"
    params: { y: u8 }
"#,
    );
    assert_eq!(diagnostics.len(), 2, "{rendered}");
    assert_error(
        &diagnostics[0],
        CK003,
        "parameter `x` of `a` can contain the separator `:`",
        5,
        15,
    );
    let d = &diagnostics[1];
    assert_error(
        d,
        CK004,
        "`a` and `b` can render the same key `a:0:b`",
        7,
        14,
    );
    assert_eq!(d.label, "`b` with y = 0");
    assert_related(d, "`a` with x = \"0:b\"", 4, 14);
    insta::assert_snapshot!("ck004_raw_str_vs_longer_pattern", rendered);
}

/// A `str` with `max_len: 2` renders at most two bytes, or its 72-byte
/// over-long form: `abc` is out of its reach, `ab` is not.
#[test]
fn ck004_a_bounded_str_reaches_only_max_len_bytes() {
    let catalogue = |value: &str| {
        format!(
            r#"keys:
  by_name:
    pattern: "a:{{s}}"
    params: {{ s: {{ type: str, max_len: 2 }} }}
  by_kind:
    pattern: "a:{{e}}"
    params: {{ e: {{ type: enum, values: [{value}] }} }}
"#
        )
    };
    assert_clean(&catalogue("abc"));
    let (d, _) = only(&catalogue("ab"));
    assert_eq!(d.code, Some(CK004), "{}", d.message);
    assert!(d.message.contains("`a:ab`"), "{}", d.message);
}

#[test]
fn ck004_uuid_and_sha256_meet_percent_text() {
    // uuid and sha256 renderings are lowercase hex and `-`, all of which
    // percent-encoding keeps, so a `str` can render either. uuid (36 bytes)
    // and sha256 (64 bytes) never meet each other.
    let (diagnostics, rendered) = check(
        r#"target: none
keys:
  s:
    pattern: "k:{id}"
    params: { id: uuid }
  t:
    pattern: "k:{t}"
    params: { t: { type: str, encode: sha256 } }
  u:
    pattern: "k:{x}"
    params: { x: str }
"#,
    );
    assert_eq!(diagnostics.len(), 2, "{rendered}");
    let zero_uuid = "00000000-0000-0000-0000-000000000000";
    assert_error(
        &diagnostics[0],
        CK004,
        &format!("`s` and `u` can render the same key `k:{zero_uuid}`"),
        10,
        14,
    );
    assert_related(
        &diagnostics[0],
        "`s` with id = 0x00000000000000000000000000000000",
        4,
        14,
    );
    let zeros = "0".repeat(64);
    assert_error(
        &diagnostics[1],
        CK004,
        &format!("`t` and `u` can render the same key `k:{zeros}`"),
        10,
        14,
    );
    insta::assert_snapshot!("ck004_uuid_sha256_vs_str", rendered);
}

// ================================================================ CK003

/// Whether a bounded `str` can render the separator depends on its
/// `max_len`: one byte never holds `::`, two do, and the first answer must
/// not stand for the second parameter of the same type.
#[test]
fn ck003_depends_on_max_len() {
    let (diagnostics, rendered) = check(
        r#"separator: "::"
keys:
  short:
    pattern: "short::{a}"
    params: { a: { type: str, encode: none, max_len: 1 } }
  long:
    pattern: "long::{b}"
    params: { b: { type: str, encode: none, max_len: 2 } }
"#,
    );
    let ck003: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.code == Some(CK003))
        .collect();
    assert_eq!(ck003.len(), 1, "{rendered}");
    assert_error(
        ck003[0],
        CK003,
        "parameter `b` of `long` can contain the separator `::`",
        8,
        15,
    );
    assert_eq!(ck003[0].label, "renders values such as `::`");
}

// ================================================================ CK005

#[test]
fn ck005_memcached_boundary_is_250_bytes() {
    let source = |max_len: u32| {
        format!(
            "prefix: shop\nversion: 1\nkeys:\n  users.by_email:\n    pattern: \"users:by-email:{{email}}\"\n    params:\n      email: {{ type: str, max_len: {max_len} }}\n"
        )
    };
    // 22 + 3 * 76 = 250: allowed.
    assert_clean(&source(76));
    // 22 + 3 * 77 = 253: one byte group too many.
    let (d, _) = only(&source(77));
    assert_error(
        &d,
        CK005,
        "keys of `users.by_email` can be 253 bytes long, over memcached's 250-byte limit",
        4,
        3,
    );
}

#[test]
fn ck005_literal_only_key() {
    let pattern = "x".repeat(260);
    let (d, rendered) = only(&format!("keys:\n  long:\n    pattern: \"{pattern}\"\n"));
    assert_error(
        &d,
        CK005,
        "keys of `long` are 260 bytes long, over memcached's 250-byte limit",
        2,
        3,
    );
    assert_eq!(d.label, "literal text only");
    insta::assert_snapshot!("ck005_literal_only", rendered);
}

// ================================================================ CK006

#[test]
fn ck006_space_in_the_pattern() {
    let (d, rendered) = only(
        r#"keys:
  bad:
    pattern: "users: {id}"
    params: { id: u64 }
"#,
    );
    // Column 21 is the space: `    pattern: "users:` is 20 characters.
    assert_error(&d, CK006, "the pattern of `bad` contains ' '", 3, 21);
    assert_eq!(d.location.span.len(), 1);
    assert_eq!(d.label, "forbidden character");
    assert_help(&d, CK006_HELP);
    insta::assert_snapshot!("ck006_space_in_pattern", rendered);
}

#[test]
fn ck006_tab_in_the_pattern() {
    // A real tab character inside the quoted scalar (not the `\t` escape),
    // so the caret can point at it.
    let source = "keys:\n  bad:\n    pattern: \"users:\t{id}\"\n    params: { id: u64 }\n";
    let (d, rendered) = only(source);
    assert_error(&d, CK006, "the pattern of `bad` contains '\\t'", 3, 21);
    let tab = source.find('\t').unwrap();
    assert_eq!(d.location.span, tab..tab + 1);
    insta::assert_snapshot!("ck006_tab_in_pattern", rendered);
}

#[test]
fn ck006_raw_str_under_memcached() {
    // `encode: none` is both CK003 (raw `:`) and CK006 (raw whitespace), at
    // the same place; same-place findings are ordered by code.
    let (diagnostics, rendered) = check(
        r#"keys:
  legacy:
    pattern: "legacy:{name}"
    params:
      name: { type: str, encode: none, max_len: 40 }
"#,
    );
    assert_eq!(diagnostics.len(), 2, "{rendered}");
    assert_error(
        &diagnostics[0],
        CK003,
        "parameter `name` of `legacy` can contain the separator `:`",
        5,
        7,
    );
    let d = &diagnostics[1];
    assert_error(
        d,
        CK006,
        "parameter `name` of `legacy` has `encode: none`, so its values can put whitespace and control characters in the key",
        5,
        7,
    );
    assert_eq!(d.label, "raw text");
    assert_help(
        d,
        "remove `encode: none` (percent-encoding is the default) or use `encode: sha256`",
    );
    insta::assert_snapshot!("ck006_encode_none_memcached", rendered);
}

// ============================================= known problems (see report)

#[test]
fn ck006_whitespace_in_the_prefix() {
    // Every key of this catalogue is `my app:k:...`: memcached refuses them.
    let (diagnostics, rendered) = check(
        r#"prefix: "my app"
keys:
  k:
    pattern: "k:{id}"
    params: { id: u64 }
"#,
    );
    assert!(
        diagnostics.iter().any(|d| d.code == Some(CK006)),
        "expected CK006 for the space in the prefix:\n{rendered}"
    );
}

#[test]
fn ck005_help_never_suggests_max_len_zero() {
    // Two unbounded strs: the first help offers all the room to `a`
    // (`max_len: 82`); once that is set, the help for `b` says `max_len: 0`.
    // A literal already over the limit gets `max_len: 0` straight away.
    let long = "x".repeat(260);
    for source in [
        "keys:\n  k:\n    pattern: \"k:{a}:{b}\"\n    params: { a: { type: str, max_len: 82 }, b: str }\n".to_owned(),
        format!("keys:\n  long:\n    pattern: \"{long}{{s}}\"\n    params: {{ s: str }}\n"),
    ] {
        let (d, _) = only(&source);
        let help = d.help.unwrap_or_default();
        assert!(!help.contains("max_len: 0"), "{help}");
    }
}

// ============================================================= keys.yaml

#[test]
fn top_level_keys_yaml_is_clean() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys.yaml");
    let catalogue = catalogue::load(&path).unwrap_or_else(|err| panic!("{err}"));
    let diagnostics = keyspace::check(&catalogue);
    let mut sources = Sources::default();
    sources.insert(catalogue.path.clone(), catalogue.source.clone());
    let rendered = render(Format::Human, &diagnostics, &sources, false);
    assert!(diagnostics.is_empty(), "{rendered}");
}

// ================================================ CK004 against brute force

/// Literal pieces of generated patterns.
const LITERALS: [&str; 6] = ["a", ":", "_", "-", "a:", "b"];
/// Enum values are drawn from these. `-` has no letter to name a Rust
/// variant and `a` / `a:` share the variant `A`, so catalogues using those
/// fail to load and are skipped.
const ENUM_VALUES: [&str; 4] = ["a", "a:", "b", "-"];
const SEPARATORS: [&str; 3] = [":", "-", "_"];
/// Argument tuples rendered per entry.
const RENDERS: usize = 300;

#[derive(Clone, Debug, PartialEq)]
enum Ty {
    U8,
    I8,
    Bool,
    Enum(Vec<&'static str>),
    Percent,
    Raw,
    Uuid,
}

#[derive(Clone, Debug)]
enum Piece {
    Lit(&'static str),
    Param(Ty),
}

#[derive(Clone, Debug)]
struct EntrySpec {
    version: Option<u64>,
    pieces: Vec<Piece>,
    /// Declare the parameters in reverse pattern order.
    reversed: bool,
}

#[derive(Clone, Debug)]
struct Spec {
    separator: &'static str,
    prefix: Option<&'static str>,
    version: Option<u64>,
    entries: Vec<EntrySpec>,
    seed: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Value {
    Int(i64),
    Bool(bool),
    Uuid(u128),
    Text(String),
}

fn ty() -> impl Strategy<Value = Ty> {
    prop_oneof![
        Just(Ty::U8),
        Just(Ty::I8),
        Just(Ty::Bool),
        proptest::sample::subsequence(ENUM_VALUES.to_vec(), 1..=2).prop_map(Ty::Enum),
        Just(Ty::Percent),
        Just(Ty::Raw),
        Just(Ty::Uuid),
    ]
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        3 => proptest::sample::select(LITERALS.to_vec()).prop_map(Piece::Lit),
        2 => ty().prop_map(Piece::Param),
    ]
}

fn entry() -> impl Strategy<Value = EntrySpec> {
    let version = prop_oneof![3 => Just(None), 1 => Just(Some(1)), 1 => Just(Some(2))];
    (
        version,
        proptest::collection::vec(piece(), 1..=4),
        any::<bool>(),
    )
        .prop_map(|(version, pieces, reversed)| EntrySpec {
            version,
            pieces,
            reversed,
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        proptest::sample::select(SEPARATORS.to_vec()),
        prop_oneof![Just(None), Just(Some("a")), Just(Some("p"))],
        prop_oneof![Just(None), Just(Some(1))],
        proptest::collection::vec(entry(), 2..=4),
        any::<u64>(),
    )
        .prop_map(|(separator, prefix, version, entries, seed)| Spec {
            separator,
            prefix,
            version,
            entries,
            seed,
        })
}

fn yaml_quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn param_name(entry: usize, index: usize) -> String {
    format!("p{entry}_{index}")
}

/// The parameters of an entry, in pattern order.
fn params(entry: &EntrySpec) -> Vec<&Ty> {
    entry
        .pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Param(ty) => Some(ty),
            Piece::Lit(_) => None,
        })
        .collect()
}

/// The catalogue text of a spec; entries are `k0`, `k1`, ...
fn yaml(spec: &Spec) -> String {
    let mut out = format!("target: none\nseparator: {}\n", yaml_quote(spec.separator));
    if let Some(prefix) = spec.prefix {
        out.push_str(&format!("prefix: {}\n", yaml_quote(prefix)));
    }
    if let Some(version) = spec.version {
        out.push_str(&format!("version: {version}\n"));
    }
    out.push_str("keys:\n");
    for (e, entry) in spec.entries.iter().enumerate() {
        let mut pattern = String::new();
        let mut index = 0;
        for piece in &entry.pieces {
            match piece {
                Piece::Lit(text) => pattern.push_str(text),
                Piece::Param(_) => {
                    pattern.push_str(&format!("{{{}}}", param_name(e, index)));
                    index += 1;
                }
            }
        }
        out.push_str(&format!("  k{e}:\n    pattern: {}\n", yaml_quote(&pattern)));
        if let Some(version) = entry.version {
            out.push_str(&format!("    version: {version}\n"));
        }
        let mut declared: Vec<(usize, &Ty)> = params(entry).into_iter().enumerate().collect();
        if entry.reversed {
            declared.reverse();
        }
        if !declared.is_empty() {
            out.push_str("    params:\n");
        }
        for (i, ty) in declared {
            let spec = match ty {
                Ty::U8 => "u8".to_owned(),
                Ty::I8 => "i8".to_owned(),
                Ty::Bool => "bool".to_owned(),
                Ty::Uuid => "uuid".to_owned(),
                Ty::Percent => "{ type: str, encode: percent }".to_owned(),
                Ty::Raw => "{ type: str, encode: none }".to_owned(),
                Ty::Enum(values) => {
                    let values: Vec<String> = values.iter().map(|v| yaml_quote(v)).collect();
                    format!("{{ type: enum, values: [{}] }}", values.join(", "))
                }
            };
            out.push_str(&format!("      {}: {spec}\n", param_name(e, i)));
        }
    }
    out
}

/// Every byte outside `A-Z a-z 0-9 - . _ ~` as `%XX`, uppercase.
fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A value as the documentation says it renders.
fn render_value(ty: &Ty, value: &Value) -> String {
    match (ty, value) {
        (Ty::U8 | Ty::I8, Value::Int(n)) => n.to_string(),
        (Ty::Bool, Value::Bool(b)) => b.to_string(),
        (Ty::Uuid, Value::Uuid(id)) => {
            let hex = format!("{id:032x}");
            format!(
                "{}-{}-{}-{}-{}",
                &hex[..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..]
            )
        }
        (Ty::Enum(_), Value::Text(v)) => v.clone(),
        (Ty::Percent, Value::Text(v)) => percent_encode(v),
        (Ty::Raw, Value::Text(v)) => v.clone(),
        _ => panic!("{value:?} is not a {ty:?}"),
    }
}

/// The key text before the pattern: prefix and version, each followed by
/// the separator.
fn head(spec: &Spec, entry: &EntrySpec) -> String {
    let mut out = String::new();
    if let Some(prefix) = spec.prefix {
        out.push_str(prefix);
        out.push_str(spec.separator);
    }
    if let Some(version) = entry.version.or(spec.version) {
        out.push_str(&version.to_string());
        out.push_str(spec.separator);
    }
    out
}

/// The full key of one entry for arguments in pattern order.
fn render_key(spec: &Spec, entry: &EntrySpec, args: &[Value]) -> String {
    let mut out = head(spec, entry);
    let mut args = args.iter();
    for piece in &entry.pieces {
        match piece {
            Piece::Lit(text) => out.push_str(text),
            Piece::Param(ty) => out.push_str(&render_value(ty, args.next().expect("arity"))),
        }
    }
    out
}

/// Texts for `str` values: everything of up to two characters over the
/// pattern alphabet and digits, plus texts that other types render.
fn str_candidates() -> Vec<Value> {
    let alphabet = ['a', 'b', ':', '_', '-', '0', '1'];
    let mut texts = vec![String::new()];
    for x in alphabet {
        texts.push(x.to_string());
        for y in alphabet {
            texts.push(format!("{x}{y}"));
        }
    }
    for special in [
        "10",
        "11",
        "127",
        "128",
        "-128",
        "255",
        "true",
        "false",
        "a:b",
        "a_b",
        "a-b",
        "a:a:",
        "b:a",
        "_a_",
        "-a-",
        "%",
        "%3A",
        " ",
        "é",
        "00000000-0000-0000-0000-000000000000",
        "00000000-0000-0000-0000-000000000001",
    ] {
        texts.push(special.to_owned());
    }
    texts.into_iter().map(Value::Text).collect()
}

/// Values to try for a type, biased toward edges and short renderings.
fn candidates(ty: &Ty) -> Vec<Value> {
    match ty {
        Ty::U8 => [
            0, 1, 2, 9, 10, 11, 12, 21, 100, 110, 111, 127, 128, 200, 255,
        ]
        .into_iter()
        .map(Value::Int)
        .collect(),
        Ty::I8 => [-128, -12, -11, -10, -2, -1, 0, 1, 2, 10, 11, 12, 100, 127]
            .into_iter()
            .map(Value::Int)
            .collect(),
        Ty::Bool => vec![Value::Bool(false), Value::Bool(true)],
        Ty::Uuid => [0, 1, 0xa, u128::MAX, 1 << 127]
            .into_iter()
            .map(Value::Uuid)
            .collect(),
        Ty::Enum(values) => values
            .iter()
            .map(|v| Value::Text((*v).to_owned()))
            .collect(),
        Ty::Percent | Ty::Raw => str_candidates(),
    }
}

/// Up to [`RENDERS`] argument tuples: all of them when there are few
/// enough, otherwise a random sample.
fn tuples(entry: &EntrySpec, rng: &mut Rng) -> Vec<Vec<Value>> {
    let sets: Vec<Vec<Value>> = params(entry).into_iter().map(candidates).collect();
    let total = sets
        .iter()
        .try_fold(1usize, |acc, s| acc.checked_mul(s.len()))
        .unwrap_or(usize::MAX);
    if total <= RENDERS {
        let mut out = vec![Vec::new()];
        for set in &sets {
            out = out
                .into_iter()
                .flat_map(|prefix| {
                    set.iter().map(move |v| {
                        let mut t = prefix.clone();
                        t.push(v.clone());
                        t
                    })
                })
                .collect();
        }
        out
    } else {
        (0..RENDERS)
            .map(|_| {
                sets.iter()
                    .map(|set| set[rng.below(set.len())].clone())
                    .collect()
            })
            .collect()
    }
}

/// Reads a rendered value back, if `text` is exactly how some value of `ty`
/// renders: parsed loosely, then confirmed by rendering it again.
fn parse_value(ty: &Ty, text: &str) -> Option<Value> {
    let value = match ty {
        Ty::U8 => Value::Int(text.parse::<u8>().ok()?.into()),
        Ty::I8 => Value::Int(text.parse::<i8>().ok()?.into()),
        Ty::Bool => Value::Bool(text.parse().ok()?),
        Ty::Uuid => {
            let hex = text.replace('-', "");
            if hex.len() != 32 {
                return None;
            }
            Value::Uuid(u128::from_str_radix(&hex, 16).ok()?)
        }
        Ty::Enum(values) => Value::Text((*values.iter().find(|v| **v == text)?).to_owned()),
        Ty::Raw => Value::Text(text.to_owned()),
        Ty::Percent => {
            let bytes = text.as_bytes();
            let mut raw = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' {
                    let hex = text.get(i + 1..i + 3)?;
                    raw.push(u8::from_str_radix(hex, 16).ok()?);
                    i += 3;
                } else {
                    raw.push(bytes[i]);
                    i += 1;
                }
            }
            Value::Text(String::from_utf8(raw).ok()?)
        }
    };
    (render_value(ty, &value) == text).then_some(value)
}

/// Every argument tuple (up to `limit`) for which `entry` renders `key`.
fn decodings(spec: &Spec, entry: &EntrySpec, key: &str, limit: usize) -> Vec<Vec<Value>> {
    fn go(
        pieces: &[Piece],
        rest: &str,
        args: &mut Vec<Value>,
        out: &mut Vec<Vec<Value>>,
        limit: usize,
    ) {
        if out.len() >= limit {
            return;
        }
        let Some((first, others)) = pieces.split_first() else {
            if rest.is_empty() {
                out.push(args.clone());
            }
            return;
        };
        match first {
            Piece::Lit(text) => {
                if let Some(rest) = rest.strip_prefix(text) {
                    go(others, rest, args, out, limit);
                }
            }
            Piece::Param(ty) => {
                for end in (0..=rest.len()).filter(|&e| rest.is_char_boundary(e)) {
                    if let Some(value) = parse_value(ty, &rest[..end]) {
                        args.push(value);
                        go(others, &rest[end..], args, out, limit);
                        args.pop();
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    if let Some(rest) = key.strip_prefix(&head(spec, entry)) {
        go(&entry.pieces, rest, &mut Vec::new(), &mut out, limit);
    }
    for args in &out {
        assert_eq!(render_key(spec, entry, args), key);
    }
    out
}

/// `k2` -> 2.
fn entry_index(name: &str) -> usize {
    name.strip_prefix('k')
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected key name {name:?}"))
}

/// The text between the first backtick after `after` and the next one.
fn backticked<'a>(text: &'a str, after: &str) -> &'a str {
    let start = text.find(after).map_or(0, |i| i + after.len());
    let rest = &text[start..];
    let open = rest.find('`').expect("opening backtick") + 1;
    let len = rest[open..].find('`').expect("closing backtick");
    &rest[open..open + len]
}

/// One CK004 finding: the entries involved, and the key it shows.
fn finding(d: &Diagnostic) -> (usize, usize, String) {
    if d.message
        .ends_with("is ambiguous: two different argument lists render the same key")
    {
        let i = entry_index(backticked(&d.message, ""));
        // The label is "`<key>` is both (...) and (...)"; the key itself
        // contains no backtick in these catalogues.
        let key = d
            .label
            .strip_prefix('`')
            .expect("label")
            .split("` is both (")
            .next();
        (i, i, key.expect("key in label").to_owned())
    } else {
        let first = entry_index(backticked(&d.message, ""));
        let second = entry_index(backticked(&d.message, " and "));
        let key = backticked(&d.message, " the same key ").to_owned();
        (first.min(second), first.max(second), key)
    }
}

/// The shape of an entry with `{name}` holes, built from the spec.
fn expected_shape(spec: &Spec, e: usize, entry: &EntrySpec) -> String {
    let mut out = head(spec, entry);
    let mut index = 0;
    for piece in &entry.pieces {
        match piece {
            Piece::Lit(text) => out.push_str(text),
            Piece::Param(_) => {
                out.push_str(&format!("{{{}}}", param_name(e, index)));
                index += 1;
            }
        }
    }
    out
}

#[derive(Default)]
struct Stats {
    loaded: Cell<usize>,
    /// Catalogues where brute force found two arguments with one key.
    collided: Cell<usize>,
    /// CK004 findings whose key was confirmed by decoding.
    witnesses: Cell<usize>,
}

fn bump(cell: &Cell<usize>) {
    cell.set(cell.get() + 1);
}

fn sound_and_witnessed(spec: &Spec, stats: &Stats) -> Result<(), TestCaseError> {
    let source = yaml(spec);
    let Ok(catalogue) = catalogue::parse("keys.yaml", source.as_str()) else {
        return Ok(());
    };
    bump(&stats.loaded);
    prop_assert_eq!(catalogue.keys.len(), spec.entries.len());
    for (e, (key, entry)) in catalogue.keys.iter().zip(&spec.entries).enumerate() {
        prop_assert_eq!(
            catalogue.full_pattern(key),
            expected_shape(spec, e, entry),
            "full_pattern of k{}",
            e
        );
    }
    let diagnostics = keyspace::check(&catalogue);
    let mut reported = BTreeSet::new();
    for d in diagnostics.iter().filter(|d| d.code == Some(CK004)) {
        let (i, j, key) = finding(d);
        reported.insert((i, j));
        // Completeness of the witness: the key shown really is rendered by
        // both entries (two different tuples when it is one entry).
        let left = decodings(spec, &spec.entries[i], &key, 4);
        let right = decodings(spec, &spec.entries[j], &key, 4);
        prop_assert!(
            !left.is_empty() && !right.is_empty(),
            "`{}`: k{} renders it {:?}, k{} renders it {:?}\n{:?}\n{}",
            key,
            i,
            left,
            j,
            right,
            d,
            source
        );
        if i == j {
            prop_assert!(
                left.len() >= 2,
                "k{} renders `{}` only as {:?}\n{}",
                i,
                key,
                left,
                source
            );
        }
        bump(&stats.witnesses);
    }
    // Soundness: two different (entry, arguments) with one key must have
    // been reported for that pair of entries.
    let mut rng = Rng(spec.seed | 1);
    let mut seen: HashMap<String, (usize, Vec<Value>)> = HashMap::new();
    let mut collided = false;
    for (e, entry) in spec.entries.iter().enumerate() {
        for args in tuples(entry, &mut rng) {
            let key = render_key(spec, entry, &args);
            match seen.get(&key) {
                Some((other, other_args)) if (*other, other_args) != (e, &args) => {
                    collided = true;
                    let pair = ((*other).min(e), (*other).max(e));
                    prop_assert!(
                        reported.contains(&pair),
                        "`{}` is k{} with {:?} and k{} with {:?}, but check reports {:?}\n{}",
                        key,
                        other,
                        other_args,
                        e,
                        args,
                        diagnostics,
                        source
                    );
                }
                Some(_) => {}
                None => {
                    seen.insert(key, (e, args));
                }
            }
        }
    }
    if collided {
        bump(&stats.collided);
    }
    Ok(())
}

#[test]
fn ck004_agrees_with_brute_force() {
    let config = Config {
        failure_persistence: None,
        ..Config::with_cases(128)
    };
    let mut runner = TestRunner::new(config);
    let stats = Stats::default();
    if let Err(err) = runner.run(&spec(), |spec| sound_and_witnessed(&spec, &stats)) {
        panic!("{err}");
    }
    // The test has teeth only if catalogues load and collisions happen.
    assert!(
        stats.loaded.get() >= 16,
        "only {} loaded",
        stats.loaded.get()
    );
    assert!(
        stats.collided.get() >= 4,
        "only {} collided",
        stats.collided.get()
    );
    assert!(
        stats.witnesses.get() >= 4,
        "only {} witnesses",
        stats.witnesses.get()
    );
}

// ------------------------------------------------------------ allow: [...]

const LEGACY: &str = r#"keys:
  legacy.raw:
    pattern: "raw:{value}"
    params: { value: { type: str, encode: none, max_len: 100 } }
    allow: [CK003, CK006]
"#;

#[test]
fn allow_accepts_findings_for_one_entry() {
    let (diagnostics, rendered) = check(LEGACY);
    assert!(diagnostics.is_empty(), "{rendered}");
    // Without `allow`, the same entry has both findings.
    let (diagnostics, _) = check(&LEGACY.replace("    allow: [CK003, CK006]\n", ""));
    let codes: Vec<_> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Some("CK003"), Some("CK006")]);
}

#[test]
fn an_allow_that_accepts_nothing_is_a_warning() {
    let (diagnostics, rendered) = check(&LEGACY.replace("[CK003, CK006]", "[CK003, CK006, CK005]"));
    assert_eq!(diagnostics.len(), 1, "{rendered}");
    let d = &diagnostics[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.message,
        "`allow: [CK005]` on `legacy.raw` accepts nothing"
    );
    assert_eq!((d.location.line, d.location.column), (5, 27));
    insta::assert_snapshot!("allow_unused", rendered);
}

#[test]
fn ck004_cannot_be_allowed() {
    let err = cachekeys::catalogue::parse("keys.yaml", LEGACY.replace("CK006]", "CK004]"))
        .expect_err("CK004 is not allowable");
    let text = err.to_snippets(false);
    assert!(text.contains("error: CK004 cannot be allowed"), "{text}");
    assert!(text.contains("keys.yaml:5:20"), "{text}");
    assert!(text.contains("change the patterns instead"), "{text}");
}

#[test]
fn allow_with_an_unknown_code() {
    let err = cachekeys::catalogue::parse("keys.yaml", LEGACY.replace("CK006]", "CK06]"))
        .expect_err("unknown code");
    let text = err.to_snippets(false);
    assert!(text.contains("error: unknown rule code `CK06`"), "{text}");
    assert!(text.contains("did you mean `CK006`?"), "{text}");
}
