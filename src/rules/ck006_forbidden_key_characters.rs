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
