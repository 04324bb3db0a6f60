//! CK010 movable-hash-tag.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// Finds a `{hash tag}` that a value can move, cut short or empty: a
    /// parameter before the tag that can render `{`, one inside it that can
    /// render `}` (an `encode: none` string or an enum value with braces),
    /// or a tag that can be empty. Percent-encoded strings never render
    /// braces.
    ///
    /// ## Why is this bad?
    /// Redis hashes the text between the first `{` and the first `}` after
    /// it, or the whole key when that text is empty. A value that brings its
    /// own brace moves the key to another slot, so a group's multi-key
    /// command fails with `CROSSSLOT` for that value only, in production.
    ///
    /// ## Example
    /// ```yaml
    /// cart.items: { pattern: "cart:{{{name}}}:items", params: { name: { type: str, encode: none } } }
    /// ```
    ///
    /// Use instead a percent-encoded (default) or fixed-alphabet parameter:
    /// ```yaml
    /// cart.items: { pattern: "cart:{{{name}}}:items", params: { name: str } }
    /// ```
    pub const RULE = {
        code: "CK010",
        name: "movable-hash-tag",
        severity: Severity::Error,
        summary: "A value can move, cut or empty a key's Redis Cluster hash tag",
    };
}
