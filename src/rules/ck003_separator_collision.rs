//! CK003 separator-collision.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// In the catalogue (`check`, an error): finds a parameter whose rendered
    /// value can contain the separator, such as a signed integer under `-`,
    /// a uuid under `-`, a `str` under one of `- . _ ~` (which
    /// percent-encoding keeps), an enum value, or `encode: none`.
    ///
    /// In hand-written keys (`lint`, a warning): finds a key format that
    /// interpolates a value which can contain a separator next to it: a
    /// function parameter typed `&str`, `String` or `Cow<str>`, or the
    /// `.to_string()` of something that is not an integer. Integers, UUIDs
    /// and values that are visibly encoded are fine.
    ///
    /// ## Why is this bad?
    /// When a value can contain the separator, two different argument lists
    /// can produce the same key: with `user:{name}:{field}`, the name
    /// `a:b` and field `c` give the same key as name `a` and field `b:c`.
    /// That is one user reading another user's cached data.
    ///
    /// ## Example
    /// ```rust,ignore
    /// fn profile_key(name: &str) -> String {
    ///     format!("user:{}:profile", name)
    /// }
    /// ```
    ///
    /// Use instead a catalogue entry with a `str` parameter, which is
    /// percent-encoded so `:` can never appear in the value:
    /// ```rust,ignore
    /// keys::users::profile(name)
    /// ```
    pub const RULE = {
        code: "CK003",
        name: "separator-collision",
        severity: Severity::Warning,
        summary: "A value interpolated into a key can contain the separator",
    };
}
