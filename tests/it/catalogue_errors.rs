//! Every way a catalogue can be wrong: each case checks the message, the
//! line and column it points at, and snapshots the full rendered text.

use std::path::Path;

use cachekeys::Error;
use cachekeys::catalogue;
use cachekeys::diagnostic::{Diagnostic, display_path};

use crate::common;

/// Parses `source` as `keys.yaml` and returns the rendered error and its
/// diagnostics; panics if the catalogue is valid or the error is of another
/// kind.
fn invalid(source: &str) -> (String, Vec<Diagnostic>) {
    let err = match catalogue::parse("keys.yaml", source) {
        Ok(_) => panic!("expected an error for:\n{source}"),
        Err(err) => err,
    };
    let rendered = err.to_snippets(false);
    match err {
        Error::Invalid(file) => {
            assert!(!file.diagnostics.is_empty(), "no diagnostics:\n{rendered}");
            for d in &file.diagnostics {
                assert_eq!(d.location.path, Path::new("keys.yaml"));
            }
            (rendered, file.diagnostics)
        }
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
}

/// Like [`invalid`], for input with exactly one problem.
#[track_caller]
fn only(source: &str) -> (String, Diagnostic) {
    let (rendered, mut diagnostics) = invalid(source);
    assert_eq!(diagnostics.len(), 1, "expected one diagnostic:\n{rendered}");
    (rendered, diagnostics.remove(0))
}

/// Checks the message and where the diagnostic points.
#[track_caller]
fn assert_at(d: &Diagnostic, message: &str, line: usize, column: usize) {
    crate::common::assert_message_at(d, message, line, column);
}

#[track_caller]
fn assert_help(d: &Diagnostic, expected: &str) {
    let help = d.help.as_deref().unwrap_or_default();
    assert!(
        help.contains(expected),
        "help of `{}` is {help:?}, expected it to contain {expected:?}",
        d.message
    );
}

/// The rendered text of a file-based error, with the temporary path and the
/// OS's wording replaced so the snapshot is the same on every machine.
fn redacted(err: &Error, path: &Path) -> String {
    let mut text = err.to_snippets(false);
    if let Error::Read { source, .. } = err {
        text = text.replace(&source.to_string(), "<os error>");
    }
    text.replace(&display_path(path), "<tmp>/keys.yaml")
}

/// A catalogue with exactly one problem, and what its diagnostic says.
struct Invalid {
    /// The case's name, reported when it fails.
    name: &'static str,
    /// The catalogue, as `keys.yaml`.
    source: &'static str,
    message: &'static str,
    /// Line and column the diagnostic points at.
    at: (usize, usize),
    /// Text the help must contain, where the case checks it.
    help: Option<&'static str>,
    /// The snapshot of the rendered error, where the case has one.
    snapshot: Option<&'static str>,
}

impl common::Case for Invalid {
    fn name(&self) -> &str {
        self.name
    }
}

/// Catalogues with one problem each: the diagnostic's message, position,
/// help and rendered text.
const INVALID: &[Invalid] = &[
    Invalid {
        name: "unknown_top_level_field",
        source: r#"prefix: shop
keys:
  users.profile:
    pattern: "users:{id}"
    params: { id: u64 }
paterns: "x"
"#,
        message: "unknown field `paterns` in the catalogue",
        at: (6, 1),
        help: Some("the catalogue takes `prefix`, `separator`, `version`, `target`, `keys`"),
        snapshot: Some("unknown_top_level_field"),
    },
    Invalid {
        name: "unknown_top_level_field_did_you_mean",
        source: r#"prefx: shop
keys:
  users.profile:
    pattern: "users:{id}"
    params: { id: u64 }
"#,
        message: "unknown field `prefx` in the catalogue",
        at: (1, 1),
        help: Some("did you mean `prefix`?"),
        snapshot: Some("unknown_top_level_field_did_you_mean"),
    },
    Invalid {
        // The cause only: the misspelt field is read as the `pattern` it was
        // meant to be, so "has no `pattern`" does not follow it.
        name: "unknown_field_in_key_entry",
        source: r#"keys:
  users.profile:
    paterns: "users:{id}"
    params: { id: u64 }
"#,
        message: "unknown field `paterns` in key `users.profile`",
        at: (3, 5),
        help: Some("did you mean `pattern`?"),
        snapshot: Some("unknown_field_in_key_entry"),
    },
    Invalid {
        name: "misspelt_type_in_long_form_param",
        source: r#"keys:
  users.profile:
    pattern: "users:{id}"
    params:
      id: { tpye: u64 }
"#,
        message: "unknown field `tpye` in parameter `id` of key `users.profile`",
        at: (5, 13),
        help: Some("did you mean `type`?"),
        snapshot: Some("misspelt_type_in_long_form_param"),
    },
    Invalid {
        name: "unknown_field_in_long_form_param",
        source: r#"keys:
  search.results:
    pattern: "search:{query}"
    params:
      query: { type: str, max_lne: 100 }
"#,
        message: "unknown field `max_lne` in parameter `query` of key `search.results`",
        at: (5, 27),
        help: Some("did you mean `max_len`?"),
        snapshot: Some("unknown_field_in_long_form_param"),
    },
    Invalid {
        name: "placeholder_not_declared",
        source: r#"keys:
  users.profile:
    pattern: "users:{id}:{lang}"
    params: { id: u64 }
"#,
        message: "placeholder `{lang}` is not declared in `params`",
        at: (3, 26),
        help: Some("declare it under `params:`, e.g. `lang: u64`"),
        snapshot: Some("placeholder_not_declared"),
    },
    Invalid {
        name: "param_not_used",
        source: r#"keys:
  users.profile:
    pattern: "users:{id}"
    params:
      id: u64
      lang: str
"#,
        message: "parameter `lang` is declared but not used in the pattern",
        at: (6, 7),
        help: Some("add `{lang}` to the pattern, or remove the parameter"),
        snapshot: Some("param_not_used"),
    },
    Invalid {
        name: "unknown_type_suggests_u64",
        source: r#"keys:
  users.profile:
    pattern: "users:{id}"
    params: { id: u46 }
"#,
        message: "unknown type `u46` for parameter `id`",
        at: (4, 19),
        help: Some("did you mean `u64`?"),
        snapshot: Some("unknown_type"),
    },
    Invalid {
        name: "enum_with_no_values",
        source: r#"keys:
  pages.home:
    pattern: "home:{lang}"
    params:
      lang: { type: enum, values: [] }
"#,
        message: "enum parameter `lang` has no values",
        at: (5, 35),
        help: Some("list at least one value"),
        snapshot: Some("enum_with_no_values"),
    },
    Invalid {
        name: "enum_without_values_field",
        source: r#"keys:
  pages.home:
    pattern: "home:{lang}"
    params:
      lang: { type: enum }
"#,
        message: "enum parameter `lang` has no `values`",
        at: (5, 21),
        help: Some("lang: { type: enum, values: [a, b] }"),
        snapshot: Some("enum_without_values_field"),
    },
    Invalid {
        name: "max_len_on_non_str_param",
        source: r#"keys:
  users.profile:
    pattern: "users:{id}"
    params:
      id: { type: u64, max_len: 20 }
"#,
        message: "`max_len` only applies to `type: str`",
        at: (5, 24),
        help: Some("remove `max_len`"),
        snapshot: Some("max_len_on_non_str"),
    },
    Invalid {
        name: "values_on_non_enum_param",
        source: r#"keys:
  pages.home:
    pattern: "home:{lang}"
    params:
      lang: { type: str, values: [en, fr] }
"#,
        message: "`values` only applies to `type: enum`",
        at: (5, 26),
        help: Some("remove `values`, or set `type: enum`"),
        snapshot: Some("values_on_non_enum"),
    },
    Invalid {
        name: "empty_pattern",
        source: r#"keys:
  users.all:
    pattern: ""
"#,
        message: "the pattern is empty",
        at: (3, 14),
        help: Some("write the key's literal text"),
        snapshot: Some("empty_pattern"),
    },
    Invalid {
        name: "key_name_not_snake_case",
        source: r#"keys:
  Profiles.profile:
    pattern: "profile:{id}"
    params: { id: u64 }
"#,
        message: "`Profiles` in key name `Profiles.profile` is not snake_case (`a-z`, `0-9` and single `_`, starting with a letter)",
        at: (2, 3),
        help: Some("rename the key, for example to `profiles.profile`"),
        snapshot: Some("key_name_not_snake_case"),
    },
    Invalid {
        name: "keyword_as_key_segment",
        source: r#"keys:
  type.x:
    pattern: "type:{id}"
    params: { id: u64 }
"#,
        message: "`type` is a Rust keyword and cannot be part of a key name",
        at: (2, 3),
        help: Some("rename the key, for example to `type_name.x`"),
        snapshot: Some("keyword_as_key_segment"),
    },
    Invalid {
        name: "keyword_as_param_name",
        source: r#"keys:
  funcs.by_name:
    pattern: "fn:{fn}"
    params: { fn: u64 }
"#,
        message: "`fn` is a Rust keyword and cannot be a parameter name",
        at: (4, 15),
        help: Some("rename it, for example to `fn_name`"),
        snapshot: Some("keyword_as_param_name"),
    },
    Invalid {
        name: "top_level_key_named_parse",
        source: r#"keys:
  parse:
    pattern: "parse:{id}"
    params: { id: u64 }
  jobs.parse:
    pattern: "jobs:parse:{id}"
    params: { id: u64 }
"#,
        message: "the top-level key name `parse` is reserved for the generated decoder; put it in a group",
        at: (2, 3),
        help: Some("rename the key, for example to `misc.parse`"),
        snapshot: Some("top_level_key_named_parse"),
    },
    Invalid {
        name: "top_level_enum_parameter_named_key",
        source: r#"keys:
  lookup:
    pattern: "lookup:{key}"
    params:
      key: { type: enum, values: [a, b] }
  groups.lookup:
    pattern: "g:{key}"
    params:
      key: { type: enum, values: [a, b] }
"#,
        message: "enum parameter `key` of the top-level key `lookup` would generate the enum `Key`, which is reserved for the generated decoder",
        at: (5, 7),
        help: Some("for example to `key_kind`, or put the key in a group"),
        snapshot: Some("top_level_enum_parameter_named_key"),
    },
    Invalid {
        name: "bad_ttl",
        source: r#"keys:
  users.profile:
    pattern: "users:{id}"
    params: { id: u64 }
    ttl: 5x
"#,
        message: "invalid ttl `5x`",
        at: (5, 10),
        help: Some("`30s`, `5m`, `1h` or `7d`"),
        snapshot: Some("bad_ttl"),
    },
    Invalid {
        name: "several_bad_segments_get_one_diagnostic_with_a_whole_fix",
        source: r#"keys:
  A-B.Foo:
    pattern: "x"
"#,
        message: "`A-B` in key name `A-B.Foo` is not snake_case (`a-z`, `0-9` and single `_`, starting with a letter)",
        at: (2, 3),
        help: Some("rename the key, for example to `a_b.foo`"),
        snapshot: Some("several_bad_segments"),
    },
    Invalid {
        name: "placeholder_with_spaces",
        source: r#"keys:
  users.profile:
    pattern: "users:{ id }"
    params: { id: u64 }
"#,
        message: "`{ id }` is not a valid placeholder",
        at: (3, 21),
        help: Some("write `{id}` without spaces"),
        snapshot: Some("placeholder_with_spaces"),
    },
    Invalid {
        name: "params_dedented_to_the_left_margin",
        source: r#"keys:
  users.profile:
    pattern: "users:{id}"
params:
  id: u64
"#,
        message: "`params:` is at column 1, the column of the catalogue's own fields, not under `users.profile:`",
        at: (4, 1),
        help: Some("to column 5"),
        snapshot: Some("params_dedented_to_the_left_margin"),
    },
    Invalid {
        name: "every_field_dedented_to_the_column_of_key_names",
        source: r#"keys:
  users.profile:
  pattern: "users:{id}"
  params:
    id: u64
"#,
        message: "`pattern:` and `params:` are at column 3, the column of key names, not under `users.profile:`",
        at: (3, 3),
        help: Some("to column 5, so they belong to `users.profile`"),
        snapshot: Some("every_field_dedented_to_the_column_of_key_names"),
    },
    Invalid {
        name: "parameters_at_the_column_of_params",
        source: r#"keys:
  users.profile:
    pattern: "users:{id}:{lang}"
    params:
    id: u64
    lang: { type: enum, values: [en, fr] }
    doc: The profile.
"#,
        message: "`id:` and `lang:` of `users.profile` are at column 5, the column of `params:`, not under it",
        at: (5, 5),
        help: Some("indent the parameters under `params:` to column 7"),
        snapshot: Some("parameters_at_the_column_of_params"),
    },
    Invalid {
        name: "entries_at_the_left_margin_under_keys",
        source: r#"keys:
users.profile:
  pattern: "users:{id}"
  params:
    id: u64
"#,
        message: "`users.profile:` is at column 1, the column of the catalogue's own fields, not under `keys:`",
        at: (2, 1),
        help: Some("to column 3"),
        snapshot: Some("entries_at_the_left_margin_under_keys"),
    },
    Invalid {
        // Not also "the catalogue has no `keys:` section".
        name: "misspelt_keys_section_is_the_only_error",
        source: r#"prefix: shop
key:
  health:
    pattern: health
"#,
        message: "unknown field `key` in the catalogue",
        at: (2, 1),
        help: Some("did you mean `keys`?"),
        snapshot: Some("misspelt_keys_section_is_the_only_error"),
    },
    Invalid {
        name: "unknown_encoding_raw_suggests_none",
        source: r#"keys:
  legacy.value:
    pattern: "legacy:{value}"
    params:
      value: { type: str, encode: raw }
    allow: [CK003]
"#,
        message: "unknown encoding `raw`",
        at: (5, 35),
        help: Some("did you mean `none`?"),
        snapshot: Some("unknown_encoding_raw"),
    },
];

#[test]
fn each_invalid_catalogue_gives_its_one_diagnostic() {
    common::each_case(INVALID, |case| {
        let (rendered, d) = only(case.source);
        let (line, column) = case.at;
        assert_at(&d, case.message, line, column);
        if let Some(help) = case.help {
            assert_help(&d, help);
        }
        if let Some(snapshot) = case.snapshot {
            insta::assert_snapshot!(snapshot, rendered);
        }
    });
}

// ---------------------------------------------------------------- YAML level

#[test]
fn malformed_yaml() {
    let (rendered, d) = only(
        r#"keys:
  users.profile:
    pattern: "users:{id}"
    params: { id: u64 ]
"#,
    );
    // serde-saphyr points at the bracket that was opened, not the one that
    // closed it.
    assert_eq!(
        d.message,
        "invalid YAML: mismatched bracket '{' closed by ']'"
    );
    assert_eq!((d.location.line, d.location.column), (4, 13), "{rendered}");
    assert_help(&d, "fix the YAML syntax here");
    insta::assert_snapshot!("malformed_yaml", rendered);
}

#[test]
fn duplicate_mapping_key() {
    let (rendered, d) = only(
        r#"keys:
  profiles.profile:
    pattern: "profile:{id}"
    params: { id: u64 }
  profiles.profile:
    pattern: "profile:v2:{id}"
    params: { id: u64 }
"#,
    );
    // At the second definition, with the first one shown too.
    assert_at(&d, "`profiles.profile` is defined twice in `keys`", 5, 3);
    assert_eq!(d.label, "defined again here");
    assert_eq!(d.related.len(), 1, "{rendered}");
    assert_eq!(d.related[0].message, "first defined here");
    let first = &d.related[0].location;
    assert_eq!((first.line, first.column), (2, 3));
    assert_help(
        &d,
        "remove one of the two `profiles.profile:`, or rename the second",
    );
    insta::assert_snapshot!("duplicate_mapping_key", rendered);
}

#[test]
fn duplicate_field_in_an_entry() {
    let (rendered, d) = only(
        r#"keys:
  users.profile:
    pattern: "users:{id}"
    params: { id: u64 }
    pattern: "users:v2:{id}"
"#,
    );
    assert_at(&d, "`pattern` is defined twice in `users.profile`", 5, 5);
    let first = &d.related[0].location;
    assert_eq!((first.line, first.column), (3, 5));
    insta::assert_snapshot!("duplicate_field_in_an_entry", rendered);
}

#[test]
fn duplicate_parameter_in_a_flow_mapping() {
    let (rendered, d) = only(
        r#"keys:
  users.profile:
    pattern: "users:{id}"
    params: { id: u64, id: u32 }
"#,
    );
    assert_at(&d, "`id` is defined twice in `params`", 4, 24);
    let first = &d.related[0].location;
    assert_eq!((first.line, first.column), (4, 15));
    insta::assert_snapshot!("duplicate_parameter_in_a_flow_mapping", rendered);
}

#[test]
fn every_repeat_of_a_key_is_reported_and_the_rest_still_checked() {
    let (rendered, diagnostics) = invalid(
        r#"prefix: a
prefix: b
keys:
  health:
    pattern: "health:{id}"
"#,
    );
    assert_eq!(diagnostics.len(), 2, "{rendered}");
    assert_at(
        &diagnostics[0],
        "`prefix` is defined twice in the catalogue",
        2,
        1,
    );
    assert_at(
        &diagnostics[1],
        "placeholder `{id}` is not declared in `params`",
        5,
        22,
    );
}

#[test]
fn alias_bomb_is_refused() {
    // Billion laughs: 12 levels of 9 aliases each expand to 9^12 strings.
    let mut source = String::from("a0: &a0 [lol]\n");
    for level in 1..=12 {
        let prev = level - 1;
        let refs = vec![format!("*a{prev}"); 9].join(", ");
        source.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    source.push_str("keys: *a12\n");
    let (rendered, diagnostics) = invalid(&source);
    assert_eq!(diagnostics.len(), 1, "{rendered}");
    let d = &diagnostics[0];
    assert!(d.message.starts_with("invalid YAML: "), "{}", d.message);
    // serde-saphyr words it as the replay limit it hit, with the number.
    assert!(
        d.message.contains("too large or too complex") && d.message.contains("100000"),
        "message should name the expansion limit: {}",
        d.message
    );
    assert_eq!(d.label, "expansion limit reached here");
    assert_help(d, "alias bomb");
    insta::assert_snapshot!("alias_bomb", rendered);
}

// ---------------------------------------------------------- unknown fields

#[test]
fn misspelt_pattern_is_still_checked() {
    let (rendered, diagnostics) = invalid(
        r#"keys:
  users.profile:
    patern: "users:{id}:{lang}"
    params: { id: u64 }
"#,
    );
    assert_eq!(diagnostics.len(), 2, "{rendered}");
    assert_at(
        &diagnostics[0],
        "unknown field `patern` in key `users.profile`",
        3,
        5,
    );
    assert_help(&diagnostics[0], "did you mean `pattern`?");
    assert_at(
        &diagnostics[1],
        "placeholder `{lang}` is not declared in `params`",
        3,
        25,
    );
    insta::assert_snapshot!("misspelt_pattern_is_still_checked", rendered);
}

#[test]
fn unknown_field_that_is_no_misspelling_leaves_the_pattern_missing() {
    let (rendered, diagnostics) = invalid(
        r#"keys:
  users.profile:
    format: "users:{id}"
    params: { id: u64 }
"#,
    );
    let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "key `users.profile` has no `pattern`",
            "unknown field `format` in key `users.profile`"
        ],
        "{rendered}"
    );
}

// -------------------------------------------------------------- parameters

/// An unknown type name in a parameter, and the type suggested for it.
struct UnknownType {
    /// The case's name, reported when it fails.
    name: &'static str,
    /// The type as written.
    written: &'static str,
    suggestion: &'static str,
    snapshot: &'static str,
}

impl common::Case for UnknownType {
    fn name(&self) -> &str {
        self.name
    }
}

const UNKNOWN_TYPES: &[UnknownType] = &[
    UnknownType {
        name: "unknown_type_string_suggests_str",
        written: "string",
        suggestion: "str",
        snapshot: "unknown_type_string",
    },
    UnknownType {
        name: "unknown_type_usize_suggests_u64",
        written: "usize",
        suggestion: "u64",
        snapshot: "unknown_type_usize",
    },
    UnknownType {
        name: "unknown_type_int_suggests_u64",
        written: "int",
        suggestion: "u64",
        snapshot: "unknown_type_int",
    },
    UnknownType {
        name: "unknown_type_uuid4_suggests_uuid",
        written: "uuid4",
        suggestion: "uuid",
        snapshot: "unknown_type_uuid4",
    },
    UnknownType {
        name: "unknown_type_in_another_case_suggests_the_type",
        written: "U64",
        suggestion: "u64",
        snapshot: "unknown_type_upper_case",
    },
];

#[test]
fn each_unknown_type_suggests_the_closest_type() {
    common::each_case(UNKNOWN_TYPES, |case| {
        let written = case.written;
        let source = format!(
            "keys:\n  users.profile:\n    pattern: \"users:{{id}}\"\n    params: {{ id: {written} }}\n"
        );
        let (rendered, d) = only(&source);
        assert_at(
            &d,
            &format!("unknown type `{written}` for parameter `id`"),
            4,
            19,
        );
        assert_help(&d, &format!("did you mean `{}`?", case.suggestion));
        insta::assert_snapshot!(case.snapshot, rendered);
    });
}

#[test]
fn enum_with_duplicate_values() {
    let (rendered, d) = only(
        r#"keys:
  pages.home:
    pattern: "home:{lang}"
    params:
      lang: { type: enum, values: [en, fr, en] }
"#,
    );
    assert_at(&d, "duplicate enum value `en`", 5, 44);
    assert_help(&d, "remove the duplicate");
    assert_eq!(d.related.len(), 1);
    assert_eq!(
        (d.related[0].location.line, d.related[0].location.column),
        (5, 36)
    );
    insta::assert_snapshot!("enum_with_duplicate_values", rendered);
}

#[test]
fn enum_values_with_the_same_variant() {
    let (rendered, d) = only(
        r#"keys:
  regions.by_region:
    pattern: "region:{region}"
    params:
      region: { type: enum, values: [eu-west, eu_west] }
"#,
    );
    assert_at(
        &d,
        "enum values `eu-west` and `eu_west` both become the Rust variant `EuWest`",
        5,
        47,
    );
    assert_help(&d, "rename one of the values");
    assert_eq!(
        (d.related[0].location.line, d.related[0].location.column),
        (5, 38)
    );
    insta::assert_snapshot!("enum_values_same_variant", rendered);
}

#[test]
fn colliding_enum_params_in_one_group() {
    let (rendered, d) = only(
        r#"keys:
  feeds.latest:
    pattern: "feed:{kind}"
    params:
      kind: { type: enum, values: [news, blog] }
  feeds.top:
    pattern: "top:{kind}"
    params:
      kind: { type: enum, values: [daily, weekly] }
"#,
    );
    assert_at(
        &d,
        "parameter `kind` of `feeds.latest` and of `feeds.top` both generate the enum `Kind` in group `feeds`, with different values",
        9,
        7,
    );
    assert_help(&d, "rename one parameter, e.g. `top_kind`");
    assert_eq!(
        (d.related[0].location.line, d.related[0].location.column),
        (5, 7)
    );
    insta::assert_snapshot!("colliding_enum_params", rendered);
}

// ---------------------------------------------------------------- patterns

#[test]
fn unbalanced_open_brace() {
    let (rendered, d) = only(
        r#"keys:
  users.profile:
    pattern: "users:{id"
    params: { id: u64 }
"#,
    );
    // Column of the `{`, not of the start of the string.
    assert_at(&d, "unclosed `{` in pattern", 3, 21);
    assert_eq!(d.location.span.len(), 1);
    assert_help(&d, "write `{{` for a literal brace");
    insta::assert_snapshot!("unbalanced_open_brace", rendered);
}

#[test]
fn unbalanced_close_brace() {
    let (rendered, d) = only(
        r#"keys:
  users.profile:
    pattern: "users:id}:{id}"
    params: { id: u64 }
"#,
    );
    assert_at(&d, "unmatched `}` in pattern", 3, 23);
    assert_eq!(d.location.span.len(), 1);
    assert_help(&d, "write `}}` for a literal brace");
    insta::assert_snapshot!("unbalanced_close_brace", rendered);
}

// -------------------------------------------------------------- separators

const SEPARATOR_MESSAGE: &str =
    "`separator` must be 1 to 4 characters, none of them alphanumeric or whitespace";

/// A catalogue whose only problem is its separator, written as `separator`.
fn with_separator(separator: &str) -> String {
    format!(
        "separator: {separator}\nkeys:\n  users.profile:\n    pattern: \"users:{{id}}\"\n    params: {{ id: u64 }}\n"
    )
}

#[test]
fn separator_too_long() {
    let (rendered, d) = only(&with_separator(r#"":::::""#));
    assert_at(&d, SEPARATOR_MESSAGE, 1, 12);
    assert_eq!(d.label, "is 5 characters long");
    assert_help(&d, "use punctuation such as `:`");
    insta::assert_snapshot!("separator_too_long", rendered);
}

#[test]
fn separator_alphanumeric() {
    let (rendered, d) = only(&with_separator(r#""a""#));
    assert_at(&d, SEPARATOR_MESSAGE, 1, 12);
    assert!(d.label.contains("'a'"), "{}", d.label);
    insta::assert_snapshot!("separator_alphanumeric", rendered);
}

#[test]
fn separator_whitespace() {
    let (rendered, d) = only(&with_separator(r#"" ""#));
    assert_at(&d, SEPARATOR_MESSAGE, 1, 12);
    assert!(d.label.contains("' '"), "{}", d.label);
    insta::assert_snapshot!("separator_whitespace", rendered);
}

#[test]
fn separator_empty() {
    let (rendered, d) = only(&with_separator(r#""""#));
    assert_at(&d, SEPARATOR_MESSAGE, 1, 12);
    assert_eq!(d.label, "is 0 characters long");
    insta::assert_snapshot!("separator_empty", rendered);
}

// ------------------------------------------------------------------- names

#[test]
fn keys_with_the_same_key_variant() {
    let (rendered, d) = only(
        r#"keys:
  a.b_c:
    pattern: "x:{id}"
    params: { id: u64 }
  a_b.c:
    pattern: "y:{id}"
    params: { id: u64 }
"#,
    );
    assert_at(
        &d,
        "keys `a.b_c` and `a_b.c` would map to the same Rust item `Key::ABC`",
        5,
        3,
    );
    assert_eq!(d.label, "also `Key::ABC`");
    assert_eq!(
        (d.related[0].location.line, d.related[0].location.column),
        (2, 3)
    );
    assert_help(&d, "rename one of the keys, for example to `a_b.c_2`");
    insta::assert_snapshot!("keys_with_the_same_key_variant", rendered);
}

#[test]
fn the_rename_suggestion_is_itself_free() {
    let (_, diagnostics) = invalid(
        "keys:\n  a.b_c:\n    pattern: \"x\"\n  a_b.c:\n    pattern: \"y\"\n  a.b.c_2:\n    pattern: \"z\"\n",
    );
    assert_eq!(diagnostics.len(), 1);
    assert_help(&diagnostics[0], "for example to `a_b.c_3`");
}

// ------------------------------------------------------------ other fields

#[test]
fn negative_version() {
    let (rendered, d) = only(
        r#"version: -1
keys:
  users.profile:
    pattern: "users:{id}"
    params: { id: u64 }
"#,
    );
    assert_at(&d, "`version` must be a non-negative integer", 1, 10);
    assert_eq!(d.label, "negative");
    insta::assert_snapshot!("negative_version", rendered);
}

#[test]
fn negative_key_version() {
    let (rendered, d) = only(
        r#"keys:
  users.profile:
    pattern: "users:{id}"
    params: { id: u64 }
    version: -1
"#,
    );
    assert_at(&d, "`version` must be a non-negative integer", 5, 14);
    assert_eq!(d.label, "negative");
    insta::assert_snapshot!("negative_key_version", rendered);
}

// ------------------------------------------------------------ whole file

#[test]
fn empty_file() {
    let (rendered, d) = only("");
    assert_at(&d, "the catalogue is empty", 1, 1);
    assert_help(&d, "cachekeys init");
    insta::assert_snapshot!("empty_file", rendered);
}

#[test]
fn whitespace_only_file() {
    let (rendered, d) = only("\n  \n");
    assert_at(&d, "the catalogue is empty", 1, 1);
    insta::assert_snapshot!("whitespace_only_file", rendered);
}

#[test]
fn file_without_keys() {
    let (rendered, d) = only("prefix: shop\nversion: 1\n");
    assert_at(&d, "the catalogue has no `keys:` section", 1, 1);
    assert_help(&d, "add `keys:` with one entry per key");
    insta::assert_snapshot!("file_without_keys", rendered);
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let (rendered, diagnostics) = invalid(
        r#"separator: "a"
version: -1
keys:
  Users.profile:
    pattern: "users:{id}"
    params: { id: u46 }
  users.search:
    pattern: "search:{query}:{page}"
    params: { query: str }
    ttl: 5x
  pages.home:
    pattern: "home:{lang"
    params:
      lang: { type: enum, values: [] }
paterns: {}
"#,
    );
    let found: Vec<(usize, &str)> = diagnostics
        .iter()
        .map(|d| (d.location.line, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (1, SEPARATOR_MESSAGE),
            (2, "`version` must be a non-negative integer"),
            (
                4,
                "`Users` in key name `Users.profile` is not snake_case (`a-z`, `0-9` and single `_`, starting with a letter)"
            ),
            (6, "unknown type `u46` for parameter `id`"),
            (8, "placeholder `{page}` is not declared in `params`"),
            (10, "invalid ttl `5x`"),
            (12, "unclosed `{` in pattern"),
            (14, "enum parameter `lang` has no values"),
            (15, "unknown field `paterns` in the catalogue"),
        ]
    );
    let positions: Vec<(usize, usize)> = diagnostics
        .iter()
        .map(|d| (d.location.line, d.location.column))
        .collect();
    let mut sorted = positions.clone();
    sorted.sort();
    assert_eq!(positions, sorted);
    insta::assert_snapshot!("every_problem_in_one_run", rendered);
}

// ------------------------------------------------------------ file access

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.yaml");
    let err = catalogue::load(&path).unwrap_err();
    let Error::Read {
        path: reported,
        source,
    } = &err
    else {
        panic!("expected Error::Read, got {err:?}");
    };
    assert_eq!(reported, &path);
    assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
    let text = err.to_snippets(false);
    assert!(text.contains("cannot read catalogue"), "{text}");
    assert!(text.contains(&display_path(&path)), "{text}");
    assert!(text.contains("cachekeys init"), "{text}");
    insta::assert_snapshot!("missing_file", redacted(&err, &path));
}

#[test]
fn directory_instead_of_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.yaml");
    std::fs::create_dir(&path).unwrap();
    let err = catalogue::load(&path).unwrap_err();
    let Error::Read { path: reported, .. } = &err else {
        panic!("expected Error::Read, got {err:?}");
    };
    assert_eq!(reported, &path);
    let text = err.to_snippets(false);
    assert!(text.contains("cannot read catalogue"), "{text}");
    assert!(text.contains(&display_path(&path)), "{text}");
    assert!(
        text.contains("check that the path is a readable file"),
        "{text}"
    );
    insta::assert_snapshot!("directory_instead_of_file", redacted(&err, &path));
}

#[test]
fn file_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.yaml");
    std::fs::write(&path, b"keys:\n  caf\xFF.x:\n    pattern: \"x\"\n").unwrap();
    let err = catalogue::load(&path).unwrap_err();
    let Error::NotUtf8 {
        path: reported,
        line,
        column,
    } = &err
    else {
        panic!("expected Error::NotUtf8, got {err:?}");
    };
    assert_eq!(reported, &path);
    assert_eq!((*line, *column), (2, 6));
    let text = err.to_snippets(false);
    assert!(text.contains("is not valid UTF-8"), "{text}");
    assert!(
        text.contains(&format!("{}:2:6", display_path(&path))),
        "{text}"
    );
    insta::assert_snapshot!("file_not_utf8", redacted(&err, &path));
}

// ------------------------------------------------- follow-ups from review

#[test]
fn the_caret_points_at_the_bad_segment() {
    let (rendered, d) = only(
        r#"keys:
  users.self:
    pattern: "x"
"#,
    );
    assert_at(
        &d,
        "`self` is a Rust keyword and cannot be part of a key name",
        2,
        9,
    );
    assert_eq!(d.location.span.len(), 4);
    assert_help(&d, "`users.self_name`");
    insta::assert_snapshot!("bad_segment_caret", rendered);
}

#[test]
fn empty_key_name_segment() {
    let (_, d) = only("keys:\n  a..b:\n    pattern: \"x\"\n");
    assert_at(&d, "key name `a..b` has an empty segment", 2, 5);
    assert_help(&d, "`a.b`");
}

#[test]
fn comment_only_file_is_empty() {
    let (_, d) = only("# just a comment\n");
    assert_eq!(d.message, "the catalogue is empty");
}

#[test]
fn version_too_large_or_with_leading_zeros() {
    let (_, d) = only("version: 99999999999999999999999\nkeys: {}\n");
    assert_at(&d, "`version` must be a non-negative integer", 1, 10);
    assert!(d.label.contains("too large"), "{}", d.label);
    let (_, d) = only("version: 007\nkeys: {}\n");
    assert!(d.label.contains("leading zeros"), "{}", d.label);
}

#[test]
fn empty_ttl() {
    let (_, d) = only("keys:\n  a:\n    pattern: \"a\"\n    ttl: \"\"\n");
    assert_at(&d, "`ttl` is empty", 4, 10);
}

#[test]
fn a_bom_does_not_skew_positions() {
    let (rendered, d) = only("\u{feff}keys:\n  a:\n    patern: \"a\"\n    pattern: \"a\"\n");
    assert_at(&d, "unknown field `patern` in key `a`", 3, 5);
    assert!(rendered.contains("keys.yaml:3:5"), "{rendered}");
}

#[test]
fn enum_value_self_becomes_a_valid_variant() {
    let catalogue = catalogue::parse(
        "keys.yaml",
        "keys:\n  a:\n    pattern: \"a:{who}\"\n    params:\n      who: { type: enum, values: [self, other] }\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let code = cachekeys::generate(&catalogue);
    assert!(code.contains("SelfValue"), "{code}");
    syn::parse_file(&code).expect("generated code parses");
}

// ------------------------------------------------------------- lint: section

#[test]
fn lint_ignore_with_an_unknown_code() {
    let (rendered, d) = only("lint:\n  ignore: [CK02]\nkeys: {}\n");
    assert_at(&d, "unknown rule code `CK02`", 2, 12);
    assert_help(&d, "did you mean `CK002`?");
    insta::assert_snapshot!("lint_ignore_unknown_code", rendered);
}

#[test]
fn lint_separator_must_be_one_punctuation_character() {
    let (_, d) = only("lint:\n  separators: [\"::\"]\nkeys: {}\n");
    assert_at(&d, "`::` is not a separator character", 2, 16);
    let (_, d) = only("lint:\n  separators: [a]\nkeys: {}\n");
    assert_at(&d, "`a` is not a separator character", 2, 16);
}

#[test]
fn lint_section_unknown_field() {
    let (_, d) = only("lint:\n  exclud: [\"legacy/**\"]\nkeys: {}\n");
    assert_at(&d, "unknown field `exclud` in `lint`", 2, 3);
    assert_help(&d, "did you mean `exclude`?");
}

#[test]
fn lint_section_must_be_a_mapping() {
    let (_, d) = only("lint: [CK001]\nkeys: {}\n");
    assert_at(&d, "`lint` must be a mapping", 1, 7);
}

#[test]
fn lint_settings_are_read() {
    let catalogue = catalogue::parse(
        "keys.yaml",
        "lint:\n  ignore: [CK005, CK002]\n  exclude: [\"legacy/**\"]\n  separators: [\":\", \"|\"]\nkeys: {}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(catalogue.lint.ignore, ["CK005", "CK002"]);
    assert_eq!(catalogue.lint.exclude, ["legacy/**"]);
    assert_eq!(catalogue.lint.separators, [':', '|']);
}

// ------------------------------------------------------------ indentation

#[test]
fn params_dedented_to_the_column_of_key_names() {
    let (rendered, d) = only(
        r#"keys:
  users.profile:
    pattern: "users:{id}"
  params:
    id: u64
"#,
    );
    assert_at(
        &d,
        "`params:` is at column 3, the column of key names, not under `users.profile:`",
        4,
        3,
    );
    assert_eq!(d.label, "a field of `users.profile`?");
    assert_help(
        &d,
        "indent `params:`, with the lines under it, to column 5, like `pattern:`",
    );
    let owner = &d.related[0].location;
    assert_eq!((owner.line, owner.column), (2, 3));
    insta::assert_snapshot!("params_dedented_to_the_column_of_key_names", rendered);
}

#[test]
fn field_indented_deeper_than_its_siblings() {
    let (rendered, d) = only(
        r#"keys:
  users.profile:
    pattern: "users:{id}"
      params:
        id: u64
"#,
    );
    assert!(d.message.starts_with("invalid YAML: "), "{rendered}");
    assert_eq!((d.location.line, d.location.column), (4, 7), "{rendered}");
    assert_help(
        &d,
        "check the indentation: `params:` starts at column 7, deeper than the line above (column 5)",
    );
    insta::assert_snapshot!("field_indented_deeper_than_its_siblings", rendered);
}

#[test]
fn a_key_named_like_a_field_is_still_a_key() {
    let catalogue = cachekeys::catalogue::parse(
        "keys.yaml",
        r#"keys:
  users.profile:
    pattern: "users:{id}"
    params: { id: u64 }
  params:
    pattern: "params"
  doc:
    pattern: "doc"
"#,
    )
    .unwrap();
    let names: Vec<&str> = catalogue.keys.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["users.profile", "params", "doc"]);
}

#[test]
fn parameter_shallower_than_the_one_above() {
    let (rendered, d) = only(
        r#"keys:
  users.profile:
    pattern: "users:{id}:{name}"
    params:
        id: u64
      name: str
"#,
    );
    assert!(d.message.starts_with("invalid YAML: "), "{rendered}");
    assert_eq!((d.location.line, d.location.column), (6, 7), "{rendered}");
    assert_help(
        &d,
        "check the indentation: `name:` starts at column 7, shallower than the line above (column 9)",
    );
    insta::assert_snapshot!("parameter_shallower_than_the_one_above", rendered);
}

mod mangled_indentation {
    use proptest::prelude::*;

    const SHOP: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/keys.yaml"));

    proptest! {
        /// Lines moved left or right, or repeated, as hands do: the loader
        /// never panics, and every diagnostic points inside the file.
        #[test]
        fn never_panics_and_points_inside_the_file(
            edits in prop::collection::vec((0usize..80, -4i32..=4, any::<bool>()), 1..4),
        ) {
            let mut lines: Vec<String> = SHOP.lines().map(str::to_owned).collect();
            for (line, shift, repeat) in edits {
                let i = line % lines.len();
                if repeat {
                    let copy = lines[i].clone();
                    lines.insert(i + 1, copy);
                    continue;
                }
                let text = lines[i].trim_start().to_owned();
                let indent = lines[i].len() - text.len();
                let indent = usize::try_from((indent as i32 + shift).max(0)).unwrap();
                lines[i] = format!("{}{text}", " ".repeat(indent));
            }
            let source = lines.join("\n") + "\n";
            if let Err(cachekeys::Error::Invalid(file)) =
                cachekeys::catalogue::parse("keys.yaml", source.as_str())
            {
                let line_count = source.lines().count() + 1;
                for d in &file.diagnostics {
                    prop_assert!(d.location.line >= 1 && d.location.line <= line_count, "{d:?}");
                    prop_assert!(d.location.column >= 1, "{d:?}");
                    prop_assert!(d.location.span.end <= source.len(), "{d:?}");
                    for related in &d.related {
                        prop_assert!(related.location.span.end <= source.len(), "{d:?}");
                    }
                }
                let _ = file.to_snippets(false);
            }
        }
    }
}
