//! Generated cache policy and Redis Cluster items, behind their catalogue
//! fields: a catalogue without `value`, `negative_ttl`, `ttl_jitter`, hash
//! tags or `group` gets only `Key::ttl`.
//!
//! - per key: `*_VALUE`, `*_NEGATIVE_TTL`, `*_TTL_JITTER_PERCENT` and a
//!   `*_ttl(seed)` function that spreads expiries;
//! - on `Key`: `ttl`, and `negative_ttl`, `ttl_jittered`, `value_type`,
//!   and `slot` and `group` for Redis Cluster when an entry uses them.

use super::decoder::pattern;
use super::layout::{self, line};
use super::{
    ALLOW_UNUSED, Helpers, NONE, allow_arm_per_entry, allow_unused, duration, grouped_digits,
    runtime_path, some,
};
use crate::catalogue::names::to_shouty;
use crate::catalogue::{Catalogue, KeyEntry, Ttl};

const DURATION: &str = "::core::time::Duration";

/// The policy items of one key, beside its function.
pub(super) fn key_items(out: &mut String, key: &KeyEntry, depth: usize, helpers: &mut Helpers) {
    let indent = 4 * depth;
    let function = key.function();
    let shouty = to_shouty(function);
    if let Some(value) = &key.value {
        layout::docs(
            out,
            indent,
            &[format!(
                "The type of the value cached under [`{function}`] keys (`value:` in the catalogue): changing it needs a version bump."
            )],
        );
        allow_unused(out, depth);
        layout::assign(
            out,
            indent,
            &format!("pub const {shouty}_VALUE: &str"),
            &format!("{value:?}"),
        );
    }
    if let Some(negative) = &key.negative_ttl {
        layout::docs(
            out,
            indent,
            &[
                format!(
                "How long a miss is cached under a [`{function}`] key: {}.",
                negative.describe()
            ),
            String::new(),
            "Store a \"does not exist\" marker for that long, so repeated misses do not reach the source of truth.".to_owned(),
            ],
        );
        allow_unused(out, depth);
        layout::assign(
            out,
            indent,
            &format!("pub const {shouty}_NEGATIVE_TTL: {DURATION}"),
            &duration(negative.seconds),
        );
    }
    if let (Some(percent), Some(ttl)) = (key.ttl_jitter, &key.ttl) {
        helpers.insert("jittered_ttl");
        layout::docs(
            out,
            indent,
            &[format!(
                "How much of the TTL of [`{function}`] keys expiries are spread over, in percent."
            )],
        );
        allow_unused(out, depth);
        line(
            out,
            indent,
            &format!("pub const {shouty}_TTL_JITTER_PERCENT: u8 = {percent};"),
        );
        layout::docs(
            out,
            indent,
            &[
                format!(
                    "The expiry of one [`{function}`] key: its TTL ({}) less up to {percent}%.",
                    ttl.describe()
                ),
                String::new(),
                "The cut is chosen deterministically from `seed` (pass the key's id, say), so keys written"
                    .to_owned(),
                "together do not all expire together (the thundering herd). Never below one second."
                    .to_owned(),
            ],
        );
        line(out, indent, "#[must_use]");
        allow_unused(out, depth);
        layout::signature(
            out,
            indent,
            &format!("pub fn {function}_ttl"),
            &["seed: u64".to_owned()],
            &format!(" -> {DURATION} {{"),
        );
        layout::call(
            out,
            indent + 4,
            &format!("{}::jittered_ttl", runtime_path(depth)),
            &[
                grouped_digits(ttl.seconds),
                percent.to_string(),
                "seed".to_owned(),
            ],
            "",
        );
        line(out, indent, "}");
    }
}

/// `Some(duration)` or `None`.
fn some_duration(ttl: Option<&Ttl>) -> String {
    ttl.map_or_else(|| NONE.to_owned(), |ttl| some(&duration(ttl.seconds)))
}

/// `Key` methods: `ttl`, and those for the policy and cluster fields some
/// entry uses.
pub(super) fn key_methods(out: &mut String, catalogue: &Catalogue, helpers: &mut Helpers) {
    let keys = &catalogue.keys;
    layout::docs(
        out,
        0,
        &["Cache policy and placement, from the catalogue's policy fields."],
    );
    line(out, 0, ALLOW_UNUSED);
    line(out, 0, "impl Key {");
    method(
        out,
        &["The entry's TTL; `None` when its keys do not expire."],
        "pub const fn ttl(&self)",
        &format!("::core::option::Option<{DURATION}>"),
        keys,
        |k| some_duration(k.ttl.as_ref()),
    );
    if keys.iter().any(|k| k.negative_ttl.is_some()) {
        method(
            out,
            &[
                "How long a miss is cached under this key (`negative_ttl`);",
                "`None` when the entry does not cache misses.",
            ],
            "pub const fn negative_ttl(&self)",
            &format!("::core::option::Option<{DURATION}>"),
            keys,
            |k| some_duration(k.negative_ttl.as_ref()),
        );
    }
    if keys.iter().any(|k| k.ttl_jitter.is_some()) {
        helpers.insert("jittered_ttl");
        method(
            out,
            &[
                "The entry's TTL spread by its `ttl_jitter` from `seed`",
                "(deterministic: the same seed gives the same expiry); the",
                "plain TTL for entries without `ttl_jitter`.",
            ],
            "pub fn ttl_jittered(&self, seed: u64)",
            &format!("::core::option::Option<{DURATION}>"),
            keys,
            |k| match (&k.ttl, k.ttl_jitter) {
                (Some(ttl), Some(percent)) => some(&format!(
                    "{}::jittered_ttl({}, {percent}, seed)",
                    runtime_path(0),
                    grouped_digits(ttl.seconds)
                )),
                (ttl, _) => some_duration(ttl.as_ref()),
            },
        );
    }
    if keys.iter().any(|k| k.value.is_some()) {
        method(
            out,
            &["The type of the value cached under this key (`value:`)."],
            "pub const fn value_type(&self)",
            "::core::option::Option<&'static str>",
            keys,
            |k| {
                k.value
                    .as_ref()
                    .map_or_else(|| NONE.to_owned(), |v| some(&format!("{v:?}")))
            },
        );
    }
    if crate::keyspace::slot::uses_cluster(catalogue) {
        helpers.insert("key_slot");
        layout::docs(
            out,
            4,
            &[
                "The key's Redis Cluster slot, 0 to 16383: CRC16-XMODEM of its",
                "hash tag (or of the whole key without one) modulo 16384, as",
                "`CLUSTER KEYSLOT` computes it.",
            ],
        );
        line(out, 4, "#[must_use]");
        line(out, 4, "pub fn slot(&self) -> u16 {");
        line(
            out,
            8,
            &format!("{}::key_slot(self.render().as_bytes())", runtime_path(0)),
        );
        line(out, 4, "}");
        method(
            out,
            &[
                "The entry's `group`: keys of one group share a slot for the",
                "same arguments (`cachekeys check` proves it), so one",
                "multi-key command can take them all.",
            ],
            "pub const fn group(&self)",
            "::core::option::Option<&'static str>",
            keys,
            |k| {
                k.group
                    .as_ref()
                    .map_or_else(|| NONE.to_owned(), |g| some(&format!("{g:?}")))
            },
        );
    }
    line(out, 0, "}");
}

/// A `Key` method that is one `match` with an arm per entry.
fn method(
    out: &mut String,
    doc: &[&str],
    head: &str,
    output: &str,
    keys: &[KeyEntry],
    arm: impl Fn(&KeyEntry) -> String,
) {
    layout::docs(out, 4, doc);
    line(out, 4, "#[must_use]");
    allow_arm_per_entry(out, true);
    line(out, 4, &format!("{head} -> {output} {{"));
    if keys.is_empty() {
        line(out, 8, "match *self {}");
    } else {
        line(out, 8, "match self {");
        for key in keys {
            layout::arm(out, 12, &pattern(key), &arm(key));
        }
        line(out, 8, "}");
    }
    line(out, 4, "}");
}
