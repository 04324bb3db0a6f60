//! CK006 forbidden-key-characters.

pub use crate::rules::ck006_forbidden_key_characters::RULE;

/// Reports whitespace or control characters in the literal text of a key.
pub fn check(context: &crate::lint::Context, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    for (i, site) in context.sites.iter().enumerate() {
        if !context.is_key(i) || !context.limits(i).is_some_and(|l| l.forbids_whitespace) {
            continue;
        }
        let text = site.template.literal_text();
        let Some(bad) = text.chars().find(|c| c.is_whitespace() || c.is_control()) else {
            continue;
        };
        out.push(
            crate::lint::finding(RULE, site, format!("this cache key contains {bad:?}"))
                .with_label("whitespace or control character in a key")
                .with_help("memcached refuses keys with whitespace or control characters, and in its text protocol they split commands; use `:` or `-`"),
        );
    }
}
