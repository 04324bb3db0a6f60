//! CK009 and CK010: Redis Cluster hash tags, proven stable.
//!
//! Redis Cluster hashes a key's text between the first `{` and the first
//! `}` after it (its hash tag), or the whole key when there is no such text,
//! and refuses multi-key commands across slots with `CROSSSLOT`. A catalogue
//! marks a tag with literal braces in the pattern, `cart:{{{user_id}}}:items`
//! rendering `cart:{42}:items`, and states with `group:` which keys are used
//! together.
//!
//! A tag is decided by literal text, except where a value can bring a brace
//! of its own: a parameter before the tag that can render `{` moves it, one
//! inside that can render `}` cuts it short (CK010). Each parameter's
//! language is exact ([`super::domain`]), so "can render" is exact too;
//! percent-encoded strings never render braces. With stable tags, keys of a
//! group share a slot for the same arguments exactly when their tags are
//! the same text and parameters (CK009), and the counterexample is two keys
//! with their slots, computed as Redis does.

use std::collections::BTreeMap;

use super::domain;
use crate::catalogue::{Catalogue, Encoding, KeyEntry, Param, ParamType, Part, Target};
use crate::diagnostic::Diagnostic;
use crate::key_text::{self, Arg};

/// CK009: keys of one group can land in different slots.
pub const CROSS_SLOT_GROUP: &str = crate::rules::ck009_cross_slot_group::RULE.code;
/// CK010: a value can move, cut or empty a key's hash tag.
pub const MOVABLE_HASH_TAG: &str = crate::rules::ck010_movable_hash_tag::RULE.code;

/// One piece of a hash tag's text.
#[derive(Clone, Debug, PartialEq, Eq)]
enum TagPiece {
    Literal(String),
    Param(String, ParamType),
}

/// Whether hash tags matter for `key`: it is in a group, or the target is
/// Redis and its literal text has a `{`. (Braces mean nothing to memcached.)
fn clustered(catalogue: &Catalogue, key: &KeyEntry) -> bool {
    key.group.is_some()
        || (catalogue.target == Target::Redis
            && catalogue
                .full_parts(key)
                .iter()
                .any(|p| matches!(p, Part::Literal(t) if t.contains('{'))))
}

/// Whether the generated code has `Key::slot`: every key of a Redis
/// catalogue (a Redis Cluster client needs the slot of untagged keys too),
/// and any catalogue with a group.
pub fn uses_cluster(catalogue: &Catalogue) -> bool {
    catalogue.target == Target::Redis || catalogue.keys.iter().any(|k| clustered(catalogue, k))
}

/// CK010 for every entry, then CK009 for every group.
pub fn check(catalogue: &Catalogue, out: &mut Vec<Diagnostic>) {
    let tags: Vec<Option<Vec<TagPiece>>> = catalogue
        .keys
        .iter()
        .map(|k| {
            clustered(catalogue, k)
                .then(|| tag(catalogue, k, out))
                .flatten()
        })
        .collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, key) in catalogue.keys.iter().enumerate() {
        if let Some(group) = &key.group {
            groups.entry(group).or_default().push(i);
        }
    }
    for (group, members) in groups {
        let reference = members
            .iter()
            .copied()
            .find(|&i| tags[i].is_some())
            .unwrap_or(members[0]);
        for &i in &members {
            if i == reference || (tags[i].is_some() && tags[i] == tags[reference]) {
                continue;
            }
            out.push(cross_slot(
                catalogue,
                group,
                &catalogue.keys[reference],
                &catalogue.keys[i],
                tags[i].is_some(),
            ));
        }
    }
}

/// The key's hash tag, if its literal text has one; reports what a value
/// can do to it (CK010).
fn tag(catalogue: &Catalogue, key: &KeyEntry, out: &mut Vec<Diagnostic>) -> Option<Vec<TagPiece>> {
    let parts = catalogue.full_parts(key);
    let mut before: Vec<&Param> = Vec::new();
    let mut inside: Option<Vec<TagPiece>> = None;
    let mut closed = false;
    for part in &parts {
        match (part, inside.as_mut()) {
            (Part::Param(i), None) => before.push(&key.params[*i]),
            (Part::Param(i), Some(pieces)) => {
                let p = &key.params[*i];
                pieces.push(TagPiece::Param(p.name.clone(), p.ty.clone()));
            }
            (Part::Literal(text), None) => {
                if let Some(open) = text.find('{') {
                    let rest = &text[open + 1..];
                    match rest.find('}') {
                        Some(close) => {
                            inside = Some(vec![TagPiece::Literal(rest[..close].to_owned())]);
                            closed = true;
                            break;
                        }
                        None => inside = Some(vec![TagPiece::Literal(rest.to_owned())]),
                    }
                }
            }
            (Part::Literal(text), Some(pieces)) => {
                if let Some(close) = text.find('}') {
                    pieces.push(TagPiece::Literal(text[..close].to_owned()));
                    closed = true;
                    break;
                }
                pieces.push(TagPiece::Literal(text.clone()));
            }
        }
    }
    let pieces = inside.filter(|_| closed)?;
    for param in before {
        if let Some(example) = domain::dfa(param).find_containing(b"{") {
            out.push(movable(
                key,
                param,
                &example,
                "before the hash tag: a value with `{` moves the tag",
            ));
        }
    }
    let mut empty = true;
    for piece in &pieces {
        match piece {
            TagPiece::Literal(text) => empty &= text.is_empty(),
            TagPiece::Param(name, _) => {
                let Some(param) = key.params.iter().find(|p| &p.name == name) else {
                    continue;
                };
                empty &= domain::length(param).0 == 0;
                if let Some(example) = domain::dfa(param).find_containing(b"}") {
                    out.push(movable(
                        key,
                        param,
                        &example,
                        "inside the hash tag: a value with `}` cuts the tag short",
                    ));
                }
            }
        }
    }
    if empty {
        out.push(
            Diagnostic::error(
                format!("the hash tag of `{}` can be empty, and then Redis hashes the whole key", key.name),
                key.pattern_location.clone(),
            )
            .with_code(MOVABLE_HASH_TAG)
            .with_label("`{}` can be rendered here")
            .with_help("put literal text, or a parameter that is never empty (an integer, a uuid, an enum), in the tag, e.g. `cart:{{{user_id}}}:items`"),
        );
    }
    Some(merge(pieces))
}

/// Joins adjacent literals and drops empty ones, so equal tags compare equal.
fn merge(pieces: Vec<TagPiece>) -> Vec<TagPiece> {
    let mut merged: Vec<TagPiece> = Vec::new();
    for piece in pieces {
        match (merged.last_mut(), piece) {
            (_, TagPiece::Literal(text)) if text.is_empty() => {}
            (Some(TagPiece::Literal(prev)), TagPiece::Literal(text)) => prev.push_str(&text),
            (_, piece) => merged.push(piece),
        }
    }
    merged
}

fn movable(key: &KeyEntry, param: &Param, example: &[u8], where_: &str) -> Diagnostic {
    let example = String::from_utf8_lossy(example);
    let help = match &param.ty {
        ParamType::Str(Encoding::None) => {
            "remove `encode: none`: percent-encoding keeps braces out of values".to_owned()
        }
        ParamType::Enum(_) => "rename the enum values that contain braces".to_owned(),
        _ => "use a type whose values cannot contain braces".to_owned(),
    };
    Diagnostic::error(
        format!(
            "parameter `{}` of `{}` can render a brace {where_}",
            param.name, key.name
        ),
        param.location.clone(),
    )
    .with_code(MOVABLE_HASH_TAG)
    .with_label(format!("renders values such as `{example}`"))
    .with_help(help)
}

/// A value of `param` for the `n`th try; one name gets one value in every
/// member, as a multi-key command passes the same ids.
fn sample(param: &Param, n: usize) -> Arg {
    match &param.ty {
        ParamType::Int(_) => Arg::Int((n % 100) as i128),
        ParamType::Bool => Arg::Bool(n % 2 == 1),
        ParamType::Uuid => Arg::Uuid(n as u128),
        ParamType::Enum(values) => Arg::Enum(values[n % values.len()].clone()),
        ParamType::Str(_) => Arg::Str(format!("v{n}")),
    }
}

fn cross_slot(
    catalogue: &Catalogue,
    group: &str,
    first: &KeyEntry,
    other: &KeyEntry,
    tagged: bool,
) -> Diagnostic {
    // Two keys, one argument per name, in different slots.
    let example = (1..200).find_map(|n| {
        let value = |p: &Param| sample(p, n + p.name.len() * 7);
        let a: Vec<Arg> = first.params.iter().map(value).collect();
        let b: Vec<Arg> = other.params.iter().map(value).collect();
        let (ka, kb) = (
            key_text::build(catalogue, first, &a),
            key_text::build(catalogue, other, &b),
        );
        let (sa, sb) = (key_text::slot(&ka), key_text::slot(&kb));
        (sa != sb).then_some((ka, sa, kb, sb))
    });
    let why = if tagged {
        format!("its hash tag is not the tag of `{}`", first.name)
    } else {
        "it has no hash tag, so Redis hashes the whole key".to_owned()
    };
    let mut diagnostic = Diagnostic::error(
        format!(
            "`{}` and `{}` are in group `{group}` but can land in different Redis Cluster slots: {why}",
            first.name, other.name
        ),
        other
            .group_location
            .clone()
            .unwrap_or_else(|| other.location.clone()),
    )
    .with_code(CROSS_SLOT_GROUP)
    .with_help(format!(
        "give every key of `{group}` the same hash tag, made of the same parameters, e.g. `{{{{{{{}}}}}}}` in each pattern",
        first
            .params
            .first()
            .map_or("user_id", |p| p.name.as_str())
    ));
    if let Some(location) = &first.group_location {
        diagnostic = diagnostic.with_related(
            location.clone(),
            format!("`{}` is in the group here", first.name),
        );
    }
    match example {
        Some((ka, sa, kb, sb)) => diagnostic.with_label(format!(
            "`{kb}` is in slot {sb}, while `{ka}` is in slot {sa}: a multi-key command on both fails with CROSSSLOT"
        )),
        None => diagnostic.with_label(why),
    }
}
