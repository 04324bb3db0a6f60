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
    /// In hand-written keys (`lint`, a warning): finds a key format with two
    /// values that can both contain a separator written between them, so
    /// that two argument lists give the same key. What a value can contain
    /// comes from its type and origin: free text (`&str`, `String`,
    /// `Cow<str>`, `impl Display`) holds anything, base64 `/` and `+`, an
    /// IPv6 address `:`. Integers (a sign is always first), `bool`, hex
    /// digests (`hex::encode`, `{:x}`, a `sha256` helper), UUIDs and ULIDs
    /// (fixed length) cannot make two keys collide, and a value nothing is
    /// known about is not reported. A key with one value cannot
    /// collide with itself (two families sharing a prefix are CK004's). One
    /// finding per key names every such value; test code is not reported.
    ///
    /// ## Why is this bad?
    /// When a value can contain the separator, two different argument lists
    /// can produce the same key: with `user:{name}:{field}`, the name
    /// `a:b` and field `c` give the same key as name `a` and field `b:c`.
    /// That is one user reading another user's cached data.
    ///
    /// ## Example
    /// ```rust,ignore
    /// fn field_key(name: &str, field: &str) -> String {
    ///     format!("user:{}:{}", name, field)
    /// }
    /// ```
    ///
    /// Use instead a catalogue entry with `str` parameters, which are
    /// percent-encoded so `:` can never appear in a value:
    /// ```rust,ignore
    /// keys::users::field(name, field)
    /// ```
    pub const RULE = {
        code: "CK003",
        name: "separator-collision",
        severity: Severity::Warning,
        summary: "A value interpolated into a key can contain the separator",
    };
}
