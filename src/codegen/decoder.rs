//! The decoder at the root of the generated module: `Key`, one variant per
//! entry holding the arguments of its key function, with `name` and
//! `render`; `Text`, the field type of a bounded `str`; and `parse`, from a
//! key string back to a `Key`.
//!
//! `parse` dispatches on the literal head of each entry (its text up to the
//! first hole), as one would by hand: a binary search over the sorted heads
//! finds the longest one the key starts with, a `match` jumps to the
//! entries of that head, and only those are tried, then those of shorter
//! heads the key also starts with. So decoding costs about the same for
//! the first entry of a catalogue as for its last, or for a key of none.

use std::collections::BTreeMap;

use super::keys::{Values, arg_type, doc_shape, render_body};
use super::layout::{self, CALL_WIDTH, MAX_WIDTH, STRUCT_WIDTH, fits, line, pad};
use super::{
    ALLOW_UNUSED, Helpers, NONE, RUNTIME_MODULE, allow_arm_per_entry, allow_many_arguments,
    string_type,
};
use crate::catalogue::names::to_upper_camel;
use crate::catalogue::{Catalogue, Encoding, IntType, KeyEntry, Param, ParamType, Part};
use crate::key_text::bounded;

/// `Text`, the type of a `Key` field for a `str` parameter with a
/// `max_len`: what the key holds is the value, or the digest of a longer one.
pub(super) fn text_type(out: &mut String, helpers: &mut Helpers) {
    let string = string_type(0, helpers);
    let result = format!("::core::result::Result<{string}, {string}>");
    out.push_str(&format!(
        "/// A `str` argument with a `max_len`, as [`parse`] decodes it. A value
/// longer than its `max_len` is written in a key as `%sha256-` and its
/// SHA-256, so the key holds only the digest of it.
{ALLOW_UNUSED}
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Text {{
    /// The value, at most `max_len` bytes.
    Value({string}),
    /// The SHA-256 of a value longer than `max_len` bytes, as 64
    /// lowercase hex digits. [`Key::render`] writes it as it is.
    Sha256({string}),
}}
{ALLOW_UNUSED}
impl Text {{
    /// The value as `Ok`, or the digest as `Err`, for rendering.
    fn as_hole(&self) -> ::core::result::Result<&str, &str> {{
        match self {{
            Self::Value(value) => ::core::result::Result::Ok(value),
            Self::Sha256(digest) => ::core::result::Result::Err(digest),
        }}
    }}
    /// The inverse of `as_hole`, for decoding.
"
    ));
    layout::signature(
        out,
        4,
        "fn from_hole",
        &[format!("hole: {result}")],
        " -> Self {",
    );
    out.push_str(
        "        match hole {
            ::core::result::Result::Ok(value) => Self::Value(value),
            ::core::result::Result::Err(digest) => Self::Sha256(digest),
        }
    }
}
",
    );
}

/// `Key`, its `impl`, and `parse`.
pub(super) fn write(out: &mut String, catalogue: &Catalogue, helpers: &mut Helpers) {
    let string = string_type(0, helpers);
    layout::docs(
        out,
        0,
        &[
            "A key of this catalogue, decoded by [`parse`]: one variant per",
            "entry, holding the arguments its key function was called with.",
        ],
    );
    out.push_str(
        "#[allow(
    clippy::enum_variant_names,
    clippy::large_enum_variant,
    reason = \"variants are named after the catalogue's entries, and hold their arguments\"
)]
",
    );
    line(out, 0, ALLOW_UNUSED);
    line(out, 0, "#[derive(Clone, Debug, PartialEq, Eq, Hash)]");
    if catalogue.keys.is_empty() {
        line(out, 0, "pub enum Key {}");
    } else {
        line(out, 0, "pub enum Key {");
        for key in &catalogue.keys {
            variant(out, catalogue, key, helpers);
        }
        line(out, 0, "}");
    }

    line(out, 0, ALLOW_UNUSED);
    line(out, 0, "impl Key {");
    layout::docs(
        out,
        4,
        &["The entry's name in the catalogue, such as `users.profile`."],
    );
    line(out, 4, "#[must_use]");
    allow_arm_per_entry(out, false);
    line(out, 4, "pub const fn name(&self) -> &'static str {");
    if catalogue.keys.is_empty() {
        line(out, 8, "match *self {}");
    } else {
        line(out, 8, "match self {");
        for key in &catalogue.keys {
            layout::arm(out, 12, &pattern(key), &format!("{:?}", key.name));
        }
        line(out, 8, "}");
    }
    line(out, 4, "}");
    layout::docs(
        out,
        4,
        &[
            "The key string: what the entry's key function returns for these",
            "arguments, and exactly the text [`parse`] decoded this value from.",
            "An `encode: sha256` field already holds the digest, which is",
            "written as it is rather than hashed again.",
        ],
    );
    line(out, 4, "#[must_use]");
    allow_arm_per_entry(out, false);
    line(out, 4, &format!("pub fn render(&self) -> {string} {{"));
    let mut render_helpers = String::new();
    if catalogue.keys.is_empty() {
        line(out, 8, "match *self {}");
    } else {
        line(out, 8, "match self {");
        for key in &catalogue.keys {
            render_arm(out, &mut render_helpers, catalogue, key, helpers);
        }
        line(out, 8, "}");
    }
    line(out, 4, "}");
    out.push_str(&render_helpers);
    line(out, 0, "}");
    parse(out, catalogue, helpers);
}

/// `Self::Variant { .. }`, or `Self::Variant` for an entry without
/// parameters.
pub(super) fn pattern(key: &KeyEntry) -> String {
    if key.params.is_empty() {
        format!("Self::{}", key.variant())
    } else {
        format!("Self::{} {{ .. }}", key.variant())
    }
}

/// Whether an entry's `Key::render` writes some field as it is rather than
/// as its key function would: a digest, or a bounded `Text`.
fn holds_digests(key: &KeyEntry) -> (bool, bool) {
    let hashed = key
        .params
        .iter()
        .any(|p| p.ty == ParamType::Str(Encoding::Sha256));
    let has_text = key.params.iter().any(|p| bounded(p).is_some());
    (hashed, has_text)
}

/// One variant of `Key`, with its docs and fields.
fn variant(out: &mut String, catalogue: &Catalogue, key: &KeyEntry, helpers: &mut Helpers) {
    let mut doc = vec![format!("`{}`: `{}`.", key.name, doc_shape(catalogue, key))];
    if let Some(text) = &key.doc {
        doc.push(String::new());
        doc.extend(text.lines().map(str::to_owned));
    }
    doc.push(String::new());
    doc.push(format!("Rendered by [`{}`].", key.rust_path()));
    let (hashed, has_text) = holds_digests(key);
    if hashed {
        doc.push("Its `encode: sha256` fields hold digests, not arguments.".to_owned());
    }
    if has_text {
        doc.push(
            "Its [`Text`] fields hold a digest for a value longer than its `max_len`.".to_owned(),
        );
    }
    layout::docs(out, 4, &doc);
    let name = key.variant();
    if key.params.is_empty() {
        line(out, 4, &format!("{name},"));
        return;
    }
    line(out, 4, &format!("{name} {{"));
    for param in &key.params {
        layout::docs(out, 8, &field_doc(param));
        line(
            out,
            8,
            &format!("{}: {},", param.name, field_type(key, param, helpers)),
        );
    }
    line(out, 4, "},");
}

/// The type of a `Key` field: what `parse` can recover of the argument.
fn field_type(key: &KeyEntry, param: &Param, helpers: &mut Helpers) -> String {
    match &param.ty {
        ParamType::Enum(_) => field_path(key, param),
        ParamType::Str(_) if bounded(param).is_some() => "Text".to_owned(),
        ParamType::Str(_) => string_type(0, helpers),
        _ => arg_type(param),
    }
}

/// `feeds::Locale`: an enum parameter's type, from the root.
fn field_path(key: &KeyEntry, param: &Param) -> String {
    let mut path: Vec<String> = key.groups().iter().map(|g| (*g).to_owned()).collect();
    path.push(to_upper_camel(&param.name));
    path.join("::")
}

/// The doc lines of a `Key` field.
fn field_doc(param: &Param) -> Vec<String> {
    let name = &param.name;
    if let Some((max_len, _)) = bounded(param) {
        return vec![format!(
            "The `{name}` argument (decoded), or the digest the key holds when it \
             was longer than {max_len} bytes."
        )];
    }
    match &param.ty {
        ParamType::Str(Encoding::Percent) => {
            vec![format!("The `{name}` argument, percent-decoded.")]
        }
        ParamType::Str(Encoding::None) => vec![format!(
            "The `{name}` argument, as written in the key (`encode: none`)."
        )],
        ParamType::Str(Encoding::Sha256) => vec![
            format!("The lowercase hex SHA-256 of the `{name}` argument (64 characters),"),
            "not the argument itself: a key holds only the digest. [`parse`] returns".to_owned(),
            "it and [`Key::render`] writes it back as it is.".to_owned(),
        ],
        _ => vec![format!("The `{name}` argument.")],
    }
}

/// The snake_case name of a variant's render helper: `TextDigest` ->
/// `render_text_digest`. Variants are distinct UpperCamelCase names, so
/// these are too.
fn render_helper(variant: &str) -> String {
    let mut out = String::from("render");
    for c in variant.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// One arm of `Key::render`: the variant's fields passed to the function
/// that renders them. An entry whose fields hold digests gets a helper
/// (written to `helpers_text`) that writes them as they are.
fn render_arm(
    out: &mut String,
    helpers_text: &mut String,
    catalogue: &Catalogue,
    key: &KeyEntry,
    helpers: &mut Helpers,
) {
    let variant = key.variant();
    let fields: Vec<String> = key.params.iter().map(|p| p.name.clone()).collect();
    // Fields are references: copy scalars out; strings coerce.
    let args: Vec<String> = key
        .params
        .iter()
        .map(|p| match p.ty {
            ParamType::Str(_) => p.name.clone(),
            _ => format!("*{}", p.name),
        })
        .collect();
    let (hashed, has_text) = holds_digests(key);
    let call = if hashed || has_text {
        // A digest is written as it is rather than hashed again: a helper
        // renders the fields, by the key function's recipe.
        let helper = render_helper(&variant);
        let string = string_type(0, helpers);
        let params: Vec<String> = key
            .params
            .iter()
            .map(|p| {
                let ty = match &p.ty {
                    ParamType::Str(_) if bounded(p).is_some() => "&Text".to_owned(),
                    ParamType::Enum(_) => field_path(key, p),
                    _ => arg_type(p),
                };
                format!("{}: {ty}", p.name)
            })
            .collect();
        layout::docs(
            helpers_text,
            4,
            &[format!("The key of [`Key::{variant}`].")],
        );
        allow_many_arguments(helpers_text, 4, params.len());
        layout::signature(
            helpers_text,
            4,
            &format!("fn {helper}"),
            &params,
            &format!(" -> {string} {{"),
        );
        line(helpers_text, 8, &format!("let mut key_ = {string}::new();"));
        render_body(
            helpers_text,
            8,
            catalogue,
            key,
            0,
            helpers,
            Values::Fields,
            "&mut key_",
        );
        line(helpers_text, 8, "key_");
        line(helpers_text, 4, "}");
        format!("Self::{helper}")
    } else {
        key.rust_path()
    };
    arm_call(out, 12, &variant, &fields, &call, &args);
}

/// `Self::Variant { fields } => call(args),` laid out as rustfmt does.
fn arm_call(
    out: &mut String,
    indent: usize,
    variant: &str,
    fields: &[String],
    call: &str,
    args: &[String],
) {
    let call_line = format!("{call}({})", args.join(", "));
    let call_fits = |room: usize| fits(args, CALL_WIDTH, room) && call_line.len() <= room;
    let lead = if fields.is_empty() {
        format!("{}Self::{variant} => ", pad(indent))
    } else {
        let pattern = format!(
            "{}Self::{variant} {{ {} }} => ",
            pad(indent),
            fields.join(", ")
        );
        if fits(fields, STRUCT_WIDTH, MAX_WIDTH) && pattern.len() < MAX_WIDTH {
            pattern
        } else {
            line(out, indent, &format!("Self::{variant} {{"));
            for field in fields {
                line(out, indent + 4, &format!("{field},"));
            }
            format!("{}}} => ", pad(indent))
        }
    };
    if call_fits(MAX_WIDTH - lead.len() - 1) {
        out.push_str(&format!("{lead}{call_line},\n"));
    } else if call_fits(MAX_WIDTH - indent - 4) {
        out.push_str(&format!("{lead}{{\n"));
        line(out, indent + 4, &call_line);
        line(out, indent, "}");
    } else if lead.len() + call.len() < MAX_WIDTH {
        out.push_str(&format!("{lead}{call}(\n"));
        layout::items(out, indent + 4, args);
        line(out, indent, "),");
    } else {
        // Not even the call's opening fits after the pattern: a block.
        out.push_str(&format!("{lead}{{\n"));
        line(out, indent + 4, &format!("{call}("));
        layout::items(out, indent + 8, args);
        line(out, indent + 4, ")");
        line(out, indent, "}");
    }
}

/// What a hole accepts in `parse`: exactly the canonical renderings of the
/// parameter's values. A helper, or a closure over one.
fn hole_check(key: &KeyEntry, param: &Param, helpers: &mut Helpers) -> String {
    if let Some((max_len, raw)) = bounded(param) {
        helpers.insert("is_bounded");
        return format!("&|s: &str| {RUNTIME_MODULE}::is_bounded(s, {max_len}, {raw})");
    }
    let helper: &'static str = match &param.ty {
        ParamType::Int(int) => match int {
            IntType::U8 => "is_u8",
            IntType::U16 => "is_u16",
            IntType::U32 => "is_u32",
            IntType::U64 => "is_u64",
            IntType::I8 => "is_i8",
            IntType::I16 => "is_i16",
            IntType::I32 => "is_i32",
            IntType::I64 => "is_i64",
        },
        ParamType::Bool => "is_bool",
        ParamType::Uuid => "is_uuid",
        ParamType::Enum(_) => return format!("&{}::is_key_text", field_path(key, param)),
        ParamType::Str(Encoding::Percent) => "is_percent",
        ParamType::Str(Encoding::Sha256) => "is_sha256",
        ParamType::Str(Encoding::None) => "is_any",
    };
    helpers.insert(helper);
    format!("&{RUNTIME_MODULE}::{helper}")
}

/// The typed value of a hole that `hole_check` accepted. Decoding cannot
/// fail then; the `?`s only satisfy the types.
fn hole_value(key: &KeyEntry, param: &Param, text: &str, helpers: &mut Helpers) -> String {
    let runtime = RUNTIME_MODULE;
    if let Some((max_len, raw)) = bounded(param) {
        helpers.insert("decode_bounded");
        return format!("Text::from_hole({runtime}::decode_bounded({text}, {max_len}, {raw})?)");
    }
    match &param.ty {
        ParamType::Int(int) => {
            let decode = match int {
                IntType::U8 => "decode_u8",
                IntType::U16 => "decode_u16",
                IntType::U32 => "decode_u32",
                IntType::U64 => "decode_u64",
                IntType::I8 => "decode_i8",
                IntType::I16 => "decode_i16",
                IntType::I32 => "decode_i32",
                IntType::I64 => "decode_i64",
            };
            helpers.insert(decode);
            format!("{runtime}::{decode}({text})?")
        }
        ParamType::Bool => format!("{text} == \"true\""),
        ParamType::Uuid => {
            helpers.insert("decode_uuid");
            format!("{runtime}::decode_uuid({text})?")
        }
        ParamType::Enum(_) => format!("{}::from_key_text({text})?", field_path(key, param)),
        ParamType::Str(Encoding::Percent) => {
            helpers.insert("decode_percent");
            format!("{runtime}::decode_percent({text})?")
        }
        ParamType::Str(Encoding::Sha256 | Encoding::None) => {
            format!("{}::from({text})", string_type(0, helpers))
        }
    }
}

/// An entry of `parse` under its head: the entry, and its parts after the
/// head.
type Entry<'a> = (&'a KeyEntry, Vec<Part>);

/// `parse`: the sorted heads, the dispatch, and per head the matchers of
/// its entries in catalogue order.
fn parse(out: &mut String, catalogue: &Catalogue, helpers: &mut Helpers) {
    layout::docs(
        out,
        0,
        &[
            "Decodes a key back to the entry whose key function renders it,",
            "with the arguments, or `None` if no entry renders exactly `key`.",
            "",
            "Decoding is canonical: integers must be in range and written as",
            "the key functions write them (no `+`, leading zero or `-0`), UUIDs",
            "in lowercase, strings encoded exactly as their encoding does",
            "(`%3A`, never `%3a`, and no `%41` for `A`). So",
            "`parse(&k.render()) == Some(k)`, and whenever `parse(s)` is",
            "`Some(k)`, `k.render() == s`. Only the entries whose literal head",
            "`key` starts with are tried, longest head first; in a catalogue",
            "`cachekeys check` passes, at most one entry matches.",
        ],
    );
    line(out, 0, "#[must_use]");
    layout::attribute(
        out,
        0,
        "allow",
        &[
            "clippy::too_many_lines",
            "clippy::collapsible_if",
            "clippy::collapsible_match",
            "reason = \"one matcher per catalogue entry, in the arm of its literal head\"",
        ],
    );
    line(out, 0, ALLOW_UNUSED);
    line(
        out,
        0,
        "pub fn parse(key: &str) -> ::core::option::Option<Key> {",
    );
    if catalogue.keys.is_empty() {
        line(out, 4, "let _ = key;");
        line(out, 4, NONE);
        line(out, 0, "}");
        return;
    }
    // Each entry's head and holes; the heads sorted, `""` first.
    let mut by_head: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    by_head.insert(String::new(), Vec::new());
    for key in &catalogue.keys {
        let mut parts = catalogue.full_parts(key);
        let head = match parts.first() {
            Some(Part::Literal(head)) => head.clone(),
            _ => String::new(),
        };
        if !head.is_empty() {
            parts.remove(0);
        }
        by_head.entry(head).or_default().push((key, parts));
    }
    let heads: Vec<&str> = by_head.keys().map(String::as_str).collect();
    let shorter: Vec<String> = shorter_heads(&heads).iter().map(usize::to_string).collect();
    let quoted: Vec<String> = heads.iter().map(|h| format!("{h:?}")).collect();
    line(
        out,
        4,
        "// The entries' literal heads (their text up to the first hole), sorted;",
    );
    line(
        out,
        4,
        "// and for each, the longest other head it starts with.",
    );
    let count = heads.len();
    layout::array(
        out,
        4,
        &format!("const HEADS: [&str; {count}] = "),
        &quoted,
        ";",
    );
    layout::array(
        out,
        4,
        &format!("const SHORTER: [usize; {count}] = "),
        &shorter,
        ";",
    );
    let width = catalogue
        .keys
        .iter()
        .map(|k| k.params.len())
        .max()
        .unwrap_or(0);
    if width > 0 {
        line(out, 4, &format!("let mut found = [\"\"; {width}];"));
    }
    helpers.insert("longest_head");
    line(
        out,
        4,
        &format!("let mut at = {RUNTIME_MODULE}::longest_head(key, &HEADS, &SHORTER);"),
    );
    line(out, 4, "loop {");
    let arms: Vec<(usize, &Vec<Entry>)> = by_head
        .values()
        .enumerate()
        .filter(|(_, entries)| !entries.is_empty())
        .collect();
    let single = arms.len() == 1;
    if !single {
        line(out, 8, "match at {");
    }
    for (index, entries) in &arms {
        let indent = if single {
            line(out, 8, &format!("if at == {index} {{"));
            12
        } else {
            line(out, 12, &format!("{index} => {{"));
            16
        };
        for (key, holes) in entries.iter() {
            matcher(out, indent, key, heads[*index], holes, helpers);
        }
        line(out, indent - 4, "}");
    }
    if !single {
        line(out, 12, "_ => {}");
        line(out, 8, "}");
    }
    line(out, 8, "if at == 0 {");
    line(out, 12, &format!("return {NONE};"));
    line(out, 8, "}");
    line(out, 8, "at = SHORTER[at];");
    line(out, 4, "}");
    line(out, 0, "}");
}

/// For each of the sorted `heads` (`heads[0]` empty), the index of the
/// longest other head it starts with: what the generated `parse` walks
/// after the longest head a key starts with.
///
/// Sorted, the heads a head starts with come before it, and are on the
/// stack of the heads that are prefixes of one another: linear time.
pub(super) fn shorter_heads(heads: &[&str]) -> Vec<usize> {
    let mut chain: Vec<usize> = Vec::new();
    let mut shorter = Vec::with_capacity(heads.len());
    for (i, head) in heads.iter().enumerate() {
        while chain.last().is_some_and(|&j| !head.starts_with(heads[j])) {
            chain.pop();
        }
        shorter.push(chain.last().copied().unwrap_or(0));
        chain.push(i);
    }
    shorter
}

/// The matcher of one entry in `parse`: the key is `head`, then each hole's
/// value followed by its literal; then the fields from the values.
fn matcher(
    out: &mut String,
    indent: usize,
    key: &KeyEntry,
    head: &str,
    holes: &[Part],
    helpers: &mut Helpers,
) {
    let variant = key.variant();
    let some = "::core::option::Option::Some";
    if key.params.is_empty() {
        let test = format!("{}if key == {head:?} {{", pad(indent));
        if test.len() <= MAX_WIDTH {
            out.push_str(&test);
            out.push('\n');
        } else {
            line(out, indent, "if key");
            line(out, indent + 4, &format!("== {head:?}"));
            line(out, indent, "{");
        }
        let ret = format!("return {some}(Key::{variant});");
        // rustfmt breaks this `return` at 100 columns already, not past
        // them (checked with rustfmt 1.95: 99 stays, 100 breaks).
        if indent + 4 + ret.len() < MAX_WIDTH {
            line(out, indent + 4, &ret);
        } else {
            line(out, indent + 4, &format!("return {some}("));
            line(out, indent + 8, &format!("Key::{variant},"));
            line(out, indent + 4, ");");
        }
        line(out, indent, "}");
        return;
    }
    let mut checks = Vec::new();
    let mut values = Vec::new();
    for (i, part) in holes.iter().enumerate() {
        let Part::Param(p) = part else { continue };
        let param = &key.params[*p];
        let then = match holes.get(i + 1) {
            Some(Part::Literal(text)) => text.clone(),
            _ => String::new(),
        };
        checks.push((hole_check(key, param, helpers), then));
        let value = hole_value(key, param, &format!("found[{}]", values.len()), helpers);
        values.push(format!("{}: {value}", param.name));
    }
    helpers.insert("match_key");
    let head = format!("{head:?}");
    let tuples: Vec<String> = checks
        .iter()
        .map(|(check, then)| format!("({check}, {then:?})"))
        .collect();
    let array = format!("&[{}]", tuples.join(", "));
    let args = [
        "key".to_owned(),
        head.clone(),
        array.clone(),
        "&mut found".to_owned(),
    ];
    let lead = format!("{RUNTIME_MODULE}::match_key");
    let condition = format!("{}if {lead}({})", pad(indent), args.join(", "));
    if fits(&args, CALL_WIDTH, MAX_WIDTH) && condition.len() + 2 <= MAX_WIDTH {
        out.push_str(&condition);
        out.push_str(" {\n");
    } else if fits(&args, CALL_WIDTH, MAX_WIDTH) && condition.len() <= MAX_WIDTH {
        // The condition fits, its brace does not: rustfmt puts it below.
        out.push_str(&condition);
        out.push('\n');
        line(out, indent, "{");
    } else {
        line(out, indent, &format!("if {lead}("));
        line(out, indent + 4, "key,");
        line(out, indent + 4, &format!("{head},"));
        // A lone tuple may take the whole line, as a lone argument may; its
        // own two items, like several, at most 60 columns.
        let one_line = match checks.as_slice() {
            [(check, then)] => {
                fits(&[check.clone(), format!("{then:?}")], CALL_WIDTH, MAX_WIDTH)
                    && indent + 4 + array.len() < MAX_WIDTH
            }
            _ => fits(&tuples, CALL_WIDTH, MAX_WIDTH - indent - 7),
        };
        if one_line {
            line(out, indent + 4, &format!("{array},"));
        } else if let [(check, then)] = checks.as_slice() {
            // A lone tuple too wide for one line overflows the array.
            line(out, indent + 4, "&[(");
            line(out, indent + 8, &format!("{check},"));
            line(out, indent + 8, &format!("{then:?},"));
            line(out, indent + 4, ")],");
        } else {
            line(out, indent + 4, "&[");
            for (check, then) in &checks {
                let parts = [check.clone(), format!("{then:?}")];
                layout::list(out, indent + 8, "", ("(", "),"), &parts, CALL_WIDTH);
            }
            line(out, indent + 4, "],");
        }
        line(out, indent + 4, "&mut found,");
        line(out, indent, ") {");
    }
    let open = format!("return {some}(Key::{variant}");
    if indent + 4 + open.len() + 5 <= MAX_WIDTH {
        layout::struct_literal(out, indent + 4, &open, &values, ");");
    } else {
        // A variant name too long to open the literal on the `return` line.
        line(out, indent + 4, &format!("return {some}("));
        line(out, indent + 8, &format!("Key::{variant} {{"));
        for value in &values {
            layout::struct_field(out, indent + 12, value);
        }
        line(out, indent + 8, "},");
        line(out, indent + 4, ");");
    }
    line(out, indent, "}");
}
