//! CK005 key-too-long.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// In the catalogue (`check`): computes the longest key each entry can
    /// render and compares it with the target store's limit: memcached's
    /// 250 bytes (an error) or the 1 KiB Redis advises (a warning). It names
    /// the parameter that drives the length and the `max_len` that fits.
    ///
    /// In hand-written keys (`lint`, a warning, memcached target): finds a
    /// key literal over 250 bytes, or a key that interpolates an unbounded
    /// string.
    ///
    /// ## Why is this bad?
    /// memcached refuses keys over 250 bytes. Most clients turn that into a
    /// cache miss, so the code keeps working while the cache silently stops
    /// caching exactly the entries with long arguments.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let key = format!("search:{}", query); // query: &str from a user
    /// ```
    ///
    /// Use instead a catalogue entry with `max_len`, or `encode: sha256`,
    /// which renders any text in 64 bytes:
    /// ```yaml
    /// search.results:
    ///   pattern: "search:{query}"
    ///   params:
    ///     query: { type: str, encode: sha256 }
    /// ```
    pub const RULE = {
        code: "CK005",
        name: "key-too-long",
        severity: Severity::Warning,
        summary: "A key can exceed the store's length limit",
    };
}

/// memcached's key limit in bytes.
const LIMIT: usize = 250;

/// Reports hand-written keys over 250 bytes, or of unbounded length, when
/// the target is memcached.
pub fn check(context: &crate::lint::Context, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    use crate::lint::extract::ValueKind;
    if !context.memcached() {
        return;
    }
    for (i, site) in context.sites.iter().enumerate() {
        if !context.is_key(i) {
            continue;
        }
        // Integers and encoded values take at least one byte each.
        let shortest = site.template.literal_text().len()
            + site
                .values
                .iter()
                .filter(|v| matches!(v.kind, ValueKind::Integer | ValueKind::Encoded))
                .count();
        let unbounded = site
            .values
            .iter()
            .find(|v| matches!(v.kind, ValueKind::Text(_)));
        let (message, label, help) = match unbounded {
            _ if shortest > LIMIT => (
                format!(
                    "this key is at least {shortest} bytes, over memcached's {LIMIT}-byte limit"
                ),
                "too long for memcached".to_owned(),
                "shorten the key's literal text, or hash the long part (SHA-256 hex is 64 bytes)",
            ),
            Some(value) => (
                format!(
                    "`{}` is unbounded text, so this key can exceed memcached's {LIMIT}-byte limit",
                    value.expr
                ),
                "unbounded length".to_owned(),
                "bound the value, hash it (SHA-256 hex is 64 bytes), or use a catalogue key with `max_len` or `encode: sha256`",
            ),
            None => continue,
        };
        out.push(
            crate::lint::finding(RULE, site, message)
                .with_label(label)
                .with_help(help),
        );
    }
}
