//! CK006 forbidden-key-characters.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// Finds whitespace, control characters or DEL in key text: in the
    /// catalogue, in a pattern, the prefix or an enum value, or a `str`
    /// parameter with `encode: none` (`check`, an error under memcached);
    /// in hand-written code, in a key literal (`lint`, a warning) that
    /// goes to memcached: a memcached sink, or a sink of unknown kind under
    /// a catalogue that targets memcached. Other stores take any bytes.
    ///
    /// ## Why is this bad?
    /// memcached forbids them in keys. In its text protocol a space or a
    /// newline ends the key, so a value like `x\r\nflush_all` in a key is a
    /// command injection (CVE-2022-27924 was exactly this).
    ///
    /// ## Example
    /// ```rust,ignore
    /// cache.get(&format!("report {}", day))
    /// ```
    ///
    /// Use instead a separator such as `:`:
    /// ```rust,ignore
    /// cache.get(&format!("report:{}", day))
    /// ```
    pub const RULE = {
        code: "CK006",
        name: "forbidden-key-characters",
        severity: Severity::Warning,
        summary: "A key contains whitespace or control characters",
    };
}

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
