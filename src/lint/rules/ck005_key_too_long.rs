//! CK005 key-too-long.

pub use crate::rules::ck005_key_too_long::RULE;

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
