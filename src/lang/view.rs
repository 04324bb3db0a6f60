//! The view of a catalogue that language templates render: one
//! serialisable description of every key, the single source of truth for
//! the Python and TypeScript output (and anything a user's own templates
//! make).
//!
//! Templates only join pieces: the view carries each key's full pattern as
//! literal text and holes, the literal before the first hole (`head`) and
//! the literal after each hole (`then`), so that rendering and parsing in
//! any language follow the Rust runtime step by step. How a value becomes
//! text is named by its `kind` and `encoding`; each language's runtime
//! section implements those few encodings once. Names that a language
//! cannot use as they are (keywords) come already escaped, per language.
//!
//! `cachekeys gen --lang json` prints this view, which is also the
//! documentation of its fields for template authors.

use serde::Serialize;

use crate::catalogue::names::{to_shouty, to_upper_camel};
use crate::catalogue::{
    Catalogue, Encoding, KeyEntry, Param, ParamType, Part, Strategy, Ttl, pattern,
};
use crate::key_text::{OVER_LONG, bounded, over_long_len};

/// The whole catalogue, as templates see it.
#[derive(Clone, Debug, Serialize)]
pub struct View {
    /// `cachekeys 0.1.0`: what the `@generated` header names.
    pub generator: String,
    /// The catalogue's file name, for the header.
    pub source: String,
    /// `prefix:`, if set.
    pub prefix: Option<String>,
    /// `separator:`.
    pub separator: String,
    /// The catalogue-wide version; under `layout: django`, Django's
    /// `VERSION` (1 when not set).
    pub version: Option<u64>,
    /// `memcached`, `redis` or `none`.
    pub target: &'static str,
    /// `plain` or `django`.
    pub layout: &'static str,
    /// `%sha256-`: the marker that starts the over-long form of a bounded
    /// `str` (see [`ParamView::over_long_len`]).
    pub over_long: &'static str,
    /// Entries in catalogue order: the order `parse` tries them in.
    pub keys: Vec<KeyView>,
    /// Every enum type, in order of first use.
    pub enums: Vec<EnumView>,
    /// Invalidation, per entity of `entities:`, as the Rust `invalidate`
    /// module: empty without `entities`.
    pub entities: Vec<EntityView>,
    /// Which encodings and kinds some parameter uses, so a template emits
    /// only the helpers (and imports) in use.
    pub uses: Uses,
}

/// Which value kinds the catalogue uses.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Uses {
    /// Some integer parameter.
    pub int: bool,
    /// Some integer parameter is 64 bits wide (JavaScript needs `bigint`).
    pub int64: bool,
    /// Some `bool` parameter.
    pub bool: bool,
    /// Some `uuid` parameter.
    pub uuid: bool,
    #[serde(rename = "enum")]
    /// Some enum parameter.
    pub enums: bool,
    /// Some `str` with `encode: percent`.
    pub percent: bool,
    /// Some `str` with `encode: sha256`.
    pub sha256: bool,
    /// Some `str` with `encode: none`.
    pub none: bool,
    /// Some `str` has a `max_len`, so may be written in its over-long form
    /// (which hashes, like `sha256`).
    pub over_long: bool,
    /// Some key has a hole, so `parse` needs the matcher.
    pub holes: bool,
    /// Some key has a `ttl` and a `ttl_jitter`, so the module needs the
    /// jittered-TTL helper (splitmix64, as the Rust runtime).
    pub jitter: bool,
    /// The Rust module has `Key::slot()` (a Redis target, or a hash tag or
    /// `group` somewhere), so the module has `slot(key)` too.
    pub slot: bool,
}

/// One entry of the catalogue.
#[derive(Clone, Debug, Serialize)]
pub struct KeyView {
    /// The dotted name: `profiles.profile`.
    pub name: String,
    /// The groups: `["profiles"]`.
    pub groups: Vec<String>,
    /// The last segment: `profile`.
    pub function: String,
    /// Function name in Python: `profiles_profile`.
    pub py_function: String,
    /// Function name in TypeScript: `profilesProfile`.
    pub ts_function: String,
    /// UpperCamelCase of the whole name: `ProfilesProfile`.
    pub camel: String,
    /// SHOUTY_CASE of the whole name, for constants: `PROFILES_PROFILE`.
    pub shouty: String,
    /// The doc text, one item per line; empty when there is none.
    pub doc: Vec<String>,
    /// The full key shape with `{name}` holes: `shop:1:profiles:profile:{user_id}`.
    pub pattern: String,
    /// The pattern as written in the catalogue, without prefix or version.
    pub bare_pattern: String,
    /// `ttl:`.
    pub ttl: Option<TtlView>,
    /// `negative_ttl`: how long a miss is cached.
    pub negative_ttl: Option<TtlView>,
    /// `ttl_jitter`, in percent; only with a `ttl` (as the Rust
    /// `*_TTL_JITTER_PERCENT` and `*_ttl(seed)`).
    pub ttl_jitter: Option<u8>,
    /// `value`: the type name of the cached value.
    pub value: Option<String>,
    /// `group`: the Redis Cluster group the key is used with.
    pub group: Option<String>,
    /// The version this key renders with, if any.
    pub version: Option<u64>,
    /// The full key as pieces: literals (prefix and version merged in) and holes.
    pub parts: Vec<PartView>,
    /// The pattern alone as pieces: what Django's cache API takes as `key`.
    pub bare_parts: Vec<PartView>,
    /// The literal the full key starts with (may be empty).
    pub head: String,
    /// The holes after `head`, in key order, each with the literal that
    /// follows it up to the next hole or the end (may be empty).
    pub holes: Vec<HoleView>,
    /// Parameters in declaration order: the argument order.
    pub params: Vec<ParamView>,
}

/// An entity: what to delete and which generation counter to increment
/// when one changes.
#[derive(Clone, Debug, Serialize)]
pub struct EntityView {
    /// As in the catalogue: `user`.
    pub name: String,
    /// The invalidation function in Python and TypeScript:
    /// `invalidate_user`, `invalidateUser`.
    pub py_invalidate: String,
    /// The TypeScript one.
    pub ts_invalidate: String,
    /// The generation counter's key function: `user_generation`,
    /// `userGeneration`.
    pub py_generation: String,
    /// The TypeScript one.
    pub ts_generation: String,
    /// The generation counter's key, as a key of its own (named
    /// `gen.<entity>`); its params are the entity's identifying params, in
    /// order, so they are also the arguments of the invalidation function.
    pub generation: KeyView,
    /// Indices into [`View::keys`] of the entries whose one key per entity
    /// is deleted: their params are all the entity's, matched by name.
    pub delete: Vec<usize>,
    /// Indices into [`View::keys`] of the entries that take the counter's
    /// value instead, because the entity does not determine all their
    /// params; incrementing the counter retires their keys.
    pub generation_keys: Vec<usize>,
}

/// A time-to-live.
#[derive(Clone, Debug, Serialize)]
pub struct TtlView {
    /// The duration in seconds.
    pub seconds: u64,
    /// As written: `1h`.
    pub text: String,
    /// For docs: `1h (3600 s)`.
    pub describe: String,
}

/// A piece of a key.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum PartView {
    /// Text written as it is.
    Literal {
        /// The text.
        text: String,
    },
    /// A parameter's value.
    Hole {
        /// Index into the key's `params`.
        param: usize,
        /// The parameter's name.
        name: String,
    },
}

/// A hole, for decoding.
#[derive(Clone, Debug, Serialize)]
pub struct HoleView {
    /// Index into the key's `params`.
    pub param: usize,
    /// The literal after the hole.
    pub then: String,
}

/// One parameter.
#[derive(Clone, Debug, Serialize)]
pub struct ParamView {
    /// As in the catalogue; the field name of decoded keys.
    pub name: String,
    /// The argument's name in Python (keywords get a trailing `_`).
    pub py_name: String,
    /// The argument's name in TypeScript (reserved words get a trailing `_`).
    pub ts_name: String,
    /// `int`, `bool`, `uuid`, `enum` or `str`.
    pub kind: &'static str,
    /// The catalogue type: `u64`, `i16`, `bool`, `uuid`, `enum`, `str`.
    #[serde(rename = "type")]
    pub ty: &'static str,
    /// For `str`: `percent`, `sha256` or `none`.
    pub encoding: Option<&'static str>,
    /// For integers: the range, in decimal (it may not fit a double).
    pub min: Option<String>,
    /// For integers: the largest value.
    pub max: Option<String>,
    /// For integers: whether negative values exist.
    pub signed: bool,
    /// For integers: 8 to 64.
    pub bits: Option<u32>,
    /// For enums: the type's name in [`View::enums`].
    pub enum_type: Option<String>,
    /// For enums: the values, in catalogue order.
    pub values: Vec<String>,
    /// For `str`: the declared longest raw value in bytes.
    pub max_len: Option<u64>,
    /// For a `str` with `max_len` and `encode: percent` or `none`: the
    /// length of the over-long form that a value longer than `max_len`
    /// bytes (of UTF-8) is written as: [`View::over_long`], the value's
    /// SHA-256 in lowercase hex, then `-` up to this length. `None` for
    /// every other parameter, which is written as its encoding says.
    pub over_long_len: Option<usize>,
}

/// An enum type: the values of one enum parameter of a group.
#[derive(Clone, Debug, Serialize)]
pub struct EnumView {
    /// The type name: the groups and the parameter in UpperCamelCase,
    /// `ProfilesSize`, so equal parameter names of other groups never clash.
    pub name: String,
    /// The parameter it is for.
    pub param: String,
    /// The values, in catalogue order.
    pub values: Vec<EnumValueView>,
}

/// One enum value.
#[derive(Clone, Debug, Serialize)]
pub struct EnumValueView {
    /// The text in keys: `eu-west`.
    pub value: String,
    /// UpperCamelCase: `EuWest`, as the Rust variant.
    pub camel: String,
    /// SHOUTY_CASE: `EU_WEST`, as a Python enum member.
    pub shouty: String,
}

/// Python's keywords (Rust's are refused by the catalogue already), and
/// names the module uses: builtins in annotations, `render` of decoded keys.
const PYTHON_RESERVED: &[&str] = &[
    "and", "assert", "class", "def", "del", "elif", "except", "finally", "from", "global",
    "import", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "with", "key", "str",
    "int", "bool", "uuid", "enum", "render",
];

/// JavaScript's reserved words (strict mode), and names the module uses.
const TYPESCRIPT_RESERVED: &[&str] = &[
    "case",
    "catch",
    "class",
    "debugger",
    "default",
    "delete",
    "export",
    "extends",
    "function",
    "implements",
    "import",
    "instanceof",
    "interface",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "switch",
    "this",
    "throw",
    "var",
    "void",
    "with",
    "arguments",
    "eval",
    "key",
];

fn escape(name: &str, reserved: &[&str]) -> String {
    if reserved.contains(&name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// `profiles.by_email` -> `profilesByEmail`.
fn lower_camel(name: &str) -> String {
    let camel = to_upper_camel(name);
    let mut chars = camel.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => camel,
    }
}

/// `EuWest` -> `EU_WEST`, `V2x` -> `V2X`.
fn camel_to_shouty(camel: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in camel.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// The enum type name of an enum parameter of `key`.
fn enum_type(key: &KeyEntry, param: &Param) -> String {
    let mut path: Vec<&str> = key.groups();
    path.push(&param.name);
    to_upper_camel(&path.join("_"))
}

fn ttl_view(ttl: &Ttl) -> TtlView {
    TtlView {
        seconds: ttl.seconds,
        text: ttl.text.clone(),
        describe: ttl.describe(),
    }
}

fn parts_view(parts: &[Part], params: &[Param]) -> Vec<PartView> {
    parts
        .iter()
        .map(|part| match part {
            Part::Literal(text) => PartView::Literal { text: text.clone() },
            Part::Param(i) => PartView::Hole {
                param: *i,
                name: params[*i].name.clone(),
            },
        })
        .collect()
}

fn param_view(key: &KeyEntry, param: &Param, uses: &mut Uses) -> ParamView {
    let mut view = ParamView {
        name: param.name.clone(),
        py_name: escape(&param.name, PYTHON_RESERVED),
        ts_name: escape(&param.name, TYPESCRIPT_RESERVED),
        kind: "",
        ty: param.ty.name(),
        encoding: None,
        min: None,
        max: None,
        signed: false,
        bits: None,
        enum_type: None,
        values: Vec::new(),
        max_len: param.max_len,
        over_long_len: bounded(param).map(|(max_len, raw)| over_long_len(max_len, raw)),
    };
    uses.over_long |= view.over_long_len.is_some();
    match &param.ty {
        ParamType::Int(int) => {
            let (min, max) = int.range();
            view.kind = "int";
            view.min = Some(min.to_string());
            view.max = Some(max.to_string());
            view.signed = int.signed();
            let bits = int.name()[1..].parse().unwrap_or(64);
            view.bits = Some(bits);
            uses.int = true;
            uses.int64 |= bits == 64;
        }
        ParamType::Bool => {
            view.kind = "bool";
            uses.bool = true;
        }
        ParamType::Uuid => {
            view.kind = "uuid";
            uses.uuid = true;
        }
        ParamType::Enum(values) => {
            view.kind = "enum";
            view.enum_type = Some(enum_type(key, param));
            view.values = values.clone();
            uses.enums = true;
        }
        ParamType::Str(encoding) => {
            view.kind = "str";
            view.encoding = Some(encoding.name());
            match encoding {
                Encoding::Percent => uses.percent = true,
                Encoding::Sha256 => uses.sha256 = true,
                Encoding::None => uses.none = true,
            }
        }
    }
    view
}

/// The view of one entry (or of an entity's generation counter).
fn key_view(
    catalogue: &Catalogue,
    key: &KeyEntry,
    uses: &mut Uses,
    enums: &mut Vec<EnumView>,
) -> KeyView {
    let params: Vec<ParamView> = key
        .params
        .iter()
        .map(|p| param_view(key, p, uses))
        .collect();
    for (param, view) in key.params.iter().zip(&params) {
        let Some(name) = &view.enum_type else {
            continue;
        };
        if enums.iter().any(|e| &e.name == name) {
            continue;
        }
        enums.push(EnumView {
            name: name.clone(),
            param: param.name.clone(),
            values: view
                .values
                .iter()
                .map(|value| {
                    let camel = crate::catalogue::variant_name(value);
                    EnumValueView {
                        value: value.clone(),
                        shouty: camel_to_shouty(&camel),
                        camel,
                    }
                })
                .collect(),
        });
    }
    let full = catalogue.full_parts(key);
    let (head, rest) = match full.split_first() {
        Some((Part::Literal(head), rest)) => (head.clone(), rest),
        _ => (String::new(), full.as_slice()),
    };
    let holes: Vec<HoleView> = rest
        .iter()
        .enumerate()
        .filter_map(|(i, part)| {
            let Part::Param(p) = part else { return None };
            let then = match rest.get(i + 1) {
                Some(Part::Literal(text)) => text.clone(),
                _ => String::new(),
            };
            Some(HoleView { param: *p, then })
        })
        .collect();
    uses.holes |= !holes.is_empty();
    uses.jitter |= key.ttl.is_some() && key.ttl_jitter.is_some();
    let bare = pattern::merge_literals(key.pattern.parts.clone());
    KeyView {
        name: key.name.clone(),
        groups: key.groups().into_iter().map(str::to_owned).collect(),
        function: key.function().to_owned(),
        py_function: python_function(key),
        ts_function: typescript_function(key),
        camel: key.variant(),
        shouty: to_shouty(&key.name.replace('.', "_")),
        doc: key
            .doc
            .as_deref()
            .map(|d| d.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        pattern: catalogue.full_pattern(key),
        bare_pattern: pattern::display(&bare, &key.params),
        ttl: key.ttl.as_ref().map(ttl_view),
        negative_ttl: key.negative_ttl.as_ref().map(ttl_view),
        ttl_jitter: key.ttl.as_ref().and(key.ttl_jitter),
        value: key.value.clone(),
        group: key.group.clone(),
        version: catalogue.version_of(key),
        parts: parts_view(&full, &key.params),
        bare_parts: parts_view(&bare, &key.params),
        head,
        holes,
        params,
    }
}

/// The name of `key`'s function in the generated Python module:
/// `profiles.by_email` -> `profiles_by_email`.
pub fn python_function(key: &KeyEntry) -> String {
    escape(&key.name.replace('.', "_"), PYTHON_RESERVED)
}

/// The name of `key`'s function in the generated TypeScript module:
/// `profiles.by_email` -> `profilesByEmail`.
pub fn typescript_function(key: &KeyEntry) -> String {
    escape(&lower_camel(&key.name), TYPESCRIPT_RESERVED)
}

/// Builds the view of a catalogue. Pure.
pub fn view(catalogue: &Catalogue) -> View {
    let mut uses = Uses::default();
    let mut enums: Vec<EnumView> = Vec::new();
    let mut keys = Vec::new();
    for key in &catalogue.keys {
        keys.push(key_view(catalogue, key, &mut uses, &mut enums));
    }
    let entities = catalogue
        .entities
        .iter()
        .map(|entity| {
            let counter = catalogue.generation_entry(entity);
            let strategies = |wanted: fn(&Strategy) -> bool| -> Vec<usize> {
                catalogue
                    .keys
                    .iter()
                    .enumerate()
                    .filter(|(_, k)| {
                        k.depends_on
                            .iter()
                            .any(|d| d.entity == entity.name && wanted(&d.strategy))
                    })
                    .map(|(i, _)| i)
                    .collect()
            };
            let delete = strategies(|s| *s == Strategy::Delete);
            let generation_keys = strategies(|s| matches!(s, Strategy::Generation { .. }));
            EntityView {
                name: entity.name.clone(),
                py_invalidate: format!("invalidate_{}", entity.name),
                ts_invalidate: lower_camel(&format!("invalidate_{}", entity.name)),
                py_generation: format!("{}_generation", entity.name),
                ts_generation: lower_camel(&format!("{}_generation", entity.name)),
                generation: key_view(catalogue, &counter, &mut uses, &mut enums),
                delete,
                generation_keys,
            }
        })
        .collect();
    uses.slot = crate::keyspace::slot::uses_cluster(catalogue);
    let version = match catalogue.layout {
        crate::catalogue::Layout::Plain => catalogue.version,
        crate::catalogue::Layout::Django => Some(catalogue.version.unwrap_or(1)),
    };
    View {
        generator: format!("cachekeys {}", env!("CARGO_PKG_VERSION")),
        source: catalogue.path.file_name().map_or_else(
            || "the catalogue".into(),
            |n| n.to_string_lossy().into_owned(),
        ),
        prefix: catalogue.prefix.clone(),
        separator: catalogue.separator.clone(),
        version,
        target: catalogue.target.as_str(),
        layout: catalogue.layout.as_str(),
        over_long: OVER_LONG,
        keys,
        enums,
        entities,
        uses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(lower_camel("profiles.by_email"), "profilesByEmail");
        assert_eq!(camel_to_shouty("EuWest"), "EU_WEST");
        assert_eq!(camel_to_shouty("V2x"), "V2X");
        assert_eq!(escape("from", PYTHON_RESERVED), "from_");
        assert_eq!(escape("user_id", PYTHON_RESERVED), "user_id");
        assert_eq!(escape("new", TYPESCRIPT_RESERVED), "new_");
    }
}
