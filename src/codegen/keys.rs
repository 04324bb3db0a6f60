//! The items of one entry: its key function, the allocation-free `*_into`
//! form the function calls, and its `*_PATTERN` and `*_TTL` constants.
//!
//! `*_into` appends to a buffer the caller owns (`key_: &mut String`), as
//! redis-rs's `ToRedisArgs::write_redis_args(&self, out: &mut W)` writes
//! into the command buffer it is handed rather than returning one. A hot
//! path clears and reuses one `String` and never allocates once it is big
//! enough; the key is then one `&[u8]` for `RedisWrite::write_arg`, which
//! is the fast path (`write_arg_fmt` takes a `Display` and runs `fmt`). A
//! `Display` value would have cost the `fmt` machinery this crate's key
//! functions exist to avoid: a `Formatter` call per piece.
//!
//! The body is one `reserve`, sized at generation time for literal text
//! and fixed-width values and from their lengths for strings, then appends:
//! no `format!`.

use super::layout::{self, line};
use super::{Helpers, allow_many_arguments, allow_unused, runtime_path, string_type};
use crate::catalogue::names::{to_shouty, to_upper_camel};
use crate::catalogue::{Catalogue, Encoding, IntType, KeyEntry, Param, ParamType, Part};
use crate::key_text::{bounded, over_long_len};

/// The items of one key, in a module `depth` groups deep.
pub(super) fn write(
    out: &mut String,
    catalogue: &Catalogue,
    key: &KeyEntry,
    depth: usize,
    helpers: &mut Helpers,
) {
    let indent = 4 * depth;
    let function = key.function();
    let string = string_type(depth, helpers);
    let params = params(key);
    let names: Vec<String> = key.params.iter().map(|p| p.name.clone()).collect();

    let mut doc = Vec::new();
    if let Some(text) = &key.doc {
        doc.extend(text.lines().map(str::to_owned));
        doc.push(String::new());
    }
    doc.push(format!("Key: `{}`", doc_shape(catalogue, key)));
    doc.extend(encoding_notes(key));
    doc.push(String::new());
    doc.push(match &key.ttl {
        Some(ttl) => format!("TTL: {}.", ttl.describe()),
        None => "TTL: none.".to_owned(),
    });
    doc.push(String::new());
    doc.push(format!(
        "One allocation, of the key's size; [`{function}_into`] appends to a buffer instead."
    ));
    layout::docs(out, indent, &doc);
    line(out, indent, "#[must_use]");
    allow_many_arguments(out, indent, key.params.len());
    allow_unused(out, depth);
    layout::signature(
        out,
        indent,
        &format!("pub fn {function}"),
        &params,
        &format!(" -> {string} {{"),
    );
    line(out, indent + 4, &format!("let mut key_ = {string}::new();"));
    let mut args = vec!["&mut key_".to_owned()];
    args.extend(names);
    layout::call(out, indent + 4, &format!("{function}_into"), &args, ";");
    line(out, indent + 4, "key_");
    line(out, indent, "}");

    layout::docs(
        out,
        indent,
        &[
            format!("Appends the key of [`{function}`] to `key_`, with no allocation when `key_`"),
            "has room: clear and reuse one buffer on a hot path.".to_owned(),
        ],
    );
    allow_many_arguments(out, indent, key.params.len() + 1);
    allow_unused(out, depth);
    let mut into_params = vec![format!("key_: &mut {string}")];
    into_params.extend(params);
    layout::signature(
        out,
        indent,
        &format!("pub fn {function}_into"),
        &into_params,
        " {",
    );
    render_body(
        out,
        indent + 4,
        catalogue,
        key,
        depth,
        helpers,
        Values::Arguments,
        "key_",
    );
    line(out, indent, "}");

    let shouty = to_shouty(function);
    let shape = catalogue.full_pattern(key);
    layout::docs(
        out,
        indent,
        &[format!("The full key shape of [`{function}`]: `{shape}`.")],
    );
    allow_unused(out, depth);
    layout::assign(
        out,
        indent,
        &format!("pub const {shouty}_PATTERN: &str"),
        &format!("{shape:?}"),
    );
    layout::docs(
        out,
        indent,
        &[format!(
            "How long [`{function}`] entries live; `None` when they do not expire."
        )],
    );
    allow_unused(out, depth);
    let value = match &key.ttl {
        Some(ttl) => super::some(&super::duration(ttl.seconds)),
        None => super::NONE.to_owned(),
    };
    layout::generic_const(
        out,
        indent,
        &format!("{shouty}_TTL"),
        ("::core::option::Option", "::core::time::Duration"),
        &value,
    );
}

/// The parameters of a key function, `name: Type`.
pub(super) fn params(key: &KeyEntry) -> Vec<String> {
    key.params
        .iter()
        .map(|p| format!("{}: {}", p.name, arg_type(p)))
        .collect()
}

/// The Rust type of a parameter in the generated signature.
pub(super) fn arg_type(param: &Param) -> String {
    match &param.ty {
        ParamType::Int(int) => int.name().to_owned(),
        ParamType::Bool => "bool".to_owned(),
        ParamType::Uuid => "u128".to_owned(),
        ParamType::Enum(_) => to_upper_camel(&param.name),
        ParamType::Str(_) => "&str".to_owned(),
    }
}

/// The key shape for docs: `{name}` holes, and `{sha256(name)}` for an
/// `encode: sha256` parameter, since the key holds only the digest.
pub(super) fn doc_shape(catalogue: &Catalogue, key: &KeyEntry) -> String {
    let mut out = String::new();
    for part in catalogue.full_parts(key) {
        match part {
            Part::Literal(text) => out.push_str(&text.replace('{', "{{").replace('}', "}}")),
            Part::Param(i) => {
                let param = &key.params[i];
                match param.ty {
                    ParamType::Str(Encoding::Sha256) => {
                        out.push_str(&format!("{{sha256({})}}", param.name));
                    }
                    _ => out.push_str(&format!("{{{}}}", param.name)),
                }
            }
        }
    }
    out
}

/// Doc lines on what a key holds for `str` parameters that are not written
/// as they are.
fn encoding_notes(key: &KeyEntry) -> Vec<String> {
    let mut notes = Vec::new();
    for param in &key.params {
        let name = &param.name;
        match (&param.ty, bounded(param)) {
            (ParamType::Str(Encoding::Sha256), _) => notes.push(format!(
                "`{name}` is written as its SHA-256, 64 lowercase hex digits."
            )),
            (_, Some((max_len, raw))) => {
                let written = if raw { "as it is" } else { "percent-encoded" };
                let padded = if raw {
                    ", padded with `-` past the bound"
                } else {
                    ""
                };
                notes.push(format!(
                    "`{name}` is written {written} up to {max_len} bytes; a longer value"
                ));
                notes.push(format!(
                    "as `%sha256-` and its SHA-256 in hex{padded}, so the key stays within its bound."
                ));
            }
            _ => {}
        }
    }
    if !notes.is_empty() {
        notes.insert(0, String::new());
    }
    notes
}

/// Where [`render_body`] takes parameter values from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Values {
    /// The key function's own arguments, of the types [`arg_type`] gives.
    Arguments,
    /// The fields of a `Key` variant, passed to its render helper: scalars
    /// by value, strings by reference; `encode: sha256` fields already hold
    /// the digest, and bounded `str` fields are `&Text`.
    Fields,
}

/// The statements that append one key to `sink` (a `&mut String`, or a
/// `String` local when `sink` is `&mut key_`), in a module `depth` groups
/// deep: one `reserve`, then appends. Literal text and fixed-width values
/// are sized at generation time; strings reserve their worst case from
/// their length.
#[allow(
    clippy::too_many_arguments,
    reason = "the body's place, its key, and where its values come from"
)]
pub(super) fn render_body(
    out: &mut String,
    indent: usize,
    catalogue: &Catalogue,
    key: &KeyEntry,
    depth: usize,
    helpers: &mut Helpers,
    source: Values,
    sink: &str,
) {
    let runtime = runtime_path(depth);
    let buffer = sink.trim_start_matches("&mut ");
    let mut fixed = 0usize;
    let mut measured = Vec::new();
    let mut pushes: Vec<(String, Vec<String>)> = Vec::new();
    let mut push = |callee: String, args: Vec<String>| pushes.push((callee, args));
    for part in &catalogue.full_parts(key) {
        let param = match part {
            Part::Literal(text) => {
                fixed += text.len();
                let mut chars = text.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => push(format!("{buffer}.push"), vec![format!("{c:?}")]),
                    _ => push(format!("{buffer}.push_str"), vec![format!("{text:?}")]),
                }
                continue;
            }
            Part::Param(i) => &key.params[*i],
        };
        let name = param.name.clone();
        if let Some((max_len, raw)) = bounded(param) {
            let limit = max_len.to_string();
            match source {
                Values::Arguments => {
                    helpers.insert("push_bounded");
                    // The value's rendering, at most the bound's worth; an
                    // over-long form may be longer than that.
                    let per_byte = if raw { 1 } else { 3 };
                    fixed += over_long_len(max_len, raw).saturating_sub(per_byte * max_len);
                    measured.push(if raw {
                        format!("{name}.len().min({limit})")
                    } else {
                        format!("3 * {name}.len().min({limit})")
                    });
                    push(
                        format!("{runtime}::push_bounded"),
                        vec![sink.to_owned(), name, limit, raw.to_string()],
                    );
                }
                // The field is a `Text`: a value, or the digest of one.
                Values::Fields => {
                    helpers.insert("push_hole");
                    push(
                        format!("{runtime}::push_hole"),
                        vec![
                            sink.to_owned(),
                            format!("{name}.as_hole()"),
                            limit,
                            raw.to_string(),
                        ],
                    );
                }
            }
            continue;
        }
        match &param.ty {
            ParamType::Int(int) => {
                fixed += int.max_len();
                let (helper, value) = match int {
                    IntType::U64 => ("push_u64", name),
                    IntType::U8 | IntType::U16 | IntType::U32 => {
                        ("push_u64", format!("u64::from({name})"))
                    }
                    IntType::I64 => ("push_i64", name),
                    IntType::I8 | IntType::I16 | IntType::I32 => {
                        ("push_i64", format!("i64::from({name})"))
                    }
                };
                helpers.insert(helper);
                push(format!("{runtime}::{helper}"), vec![sink.to_owned(), value]);
            }
            ParamType::Bool => {
                fixed += 5;
                push(
                    format!("{buffer}.push_str"),
                    vec![format!("if {name} {{ \"true\" }} else {{ \"false\" }}")],
                );
            }
            ParamType::Uuid => {
                fixed += 36;
                helpers.insert("push_uuid");
                push(format!("{runtime}::push_uuid"), vec![sink.to_owned(), name]);
            }
            ParamType::Enum(values) => {
                fixed += values.iter().map(String::len).max().unwrap_or(0);
                push(
                    format!("{buffer}.push_str"),
                    vec![format!("{name}.as_str()")],
                );
            }
            ParamType::Str(Encoding::Percent) => {
                helpers.insert("push_encoded");
                // At most three bytes per input byte: an upper bound costs
                // no second pass over the value.
                measured.push(format!("3 * {name}.len()"));
                push(
                    format!("{runtime}::push_encoded"),
                    vec![sink.to_owned(), name],
                );
            }
            ParamType::Str(Encoding::Sha256) => {
                fixed += 64;
                match source {
                    Values::Arguments => {
                        helpers.insert("push_sha256");
                        push(
                            format!("{runtime}::push_sha256"),
                            vec![sink.to_owned(), name],
                        );
                    }
                    // The field is the digest already.
                    Values::Fields => push(format!("{buffer}.push_str"), vec![name]),
                }
            }
            ParamType::Str(Encoding::None) => {
                measured.push(format!("{name}.len()"));
                push(format!("{buffer}.push_str"), vec![name]);
            }
        }
    }
    let mut size = vec![fixed.to_string()];
    size.extend(measured);
    layout::sum_call(out, indent, &format!("{buffer}.reserve"), &size, ";");
    for (callee, args) in pushes {
        layout::call(out, indent, &callee, &args, ";");
    }
}
