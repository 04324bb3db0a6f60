//! CK005 key-too-long.

pub use crate::rules::ck005_key_too_long::RULE;

/// Reports keys that can exceed their store's length limit, once per
/// site, naming every unbounded value.
pub fn check(context: &crate::lint::Context, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    for (i, site) in context.sites.iter().enumerate() {
        if context.in_test(i) || !context.is_key(i) {
            continue;
        }
        let Some(limits) = context.limits(i) else {
            continue;
        };
        let Some(limit) = limits.max_len else {
            continue;
        };
        let store = limits.store;
        let literal = site.template.literal_text().len();
        let shortest = literal
            + site
                .values
                .iter()
                .map(|v| v.known.bound.min_len)
                .sum::<usize>();
        let unbounded: Vec<String> = site
            .values
            .iter()
            .filter(|v| v.known.is_unbounded())
            .map(|v| format!("`{}`", v.expr))
            .collect();
        // The longest key, when every value's length is known.
        let longest = site
            .values
            .iter()
            .map(|v| v.known.bound.max_len.filter(|_| v.known.is_known()))
            .sum::<Option<usize>>()
            .map(|n| n + literal);
        let (message, label, help) = if shortest > limit {
            (
                format!("this key is at least {shortest} bytes, over {store}'s {limit}-byte limit"),
                format!("too long for {store}"),
                "shorten the key's literal text, or hash the long part (SHA-256 hex is 64 bytes)",
            )
        } else if limits.unbounded_overflows && !unbounded.is_empty() {
            let subject = match unbounded.as_slice() {
                [init @ .., last] if !init.is_empty() => format!("{} and {last}", init.join(", ")),
                _ => unbounded.join(""),
            };
            let verb = if unbounded.len() == 1 { "is" } else { "are" };
            (
                format!(
                    "{subject} {verb} unbounded text, so this key can exceed {store}'s {limit}-byte limit"
                ),
                "unbounded length".to_owned(),
                "bound the value, hash it (SHA-256 hex is 64 bytes), or use a catalogue key with `max_len` or `encode: sha256`",
            )
        } else if let Some(longest) = longest.filter(|&n| n > limit) {
            (
                format!("this key can be {longest} bytes, over {store}'s {limit}-byte limit"),
                format!("up to {longest} bytes"),
                "shorten the key's literal text, or hash the long values (SHA-256 hex is 64 bytes)",
            )
        } else {
            continue;
        };
        out.push(
            crate::lint::finding(RULE, site, message)
                .with_label(label)
                .with_help(help),
        );
    }
}
