//! CK004 ambiguous-keys.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// In the catalogue (`check`, an error): proves that no two entries, and
    /// no two argument lists of one entry, can render the same key. The
    /// decision is exact (automata, not heuristics) and the diagnostic shows
    /// one colliding key with both argument lists.
    ///
    /// In hand-written keys (`lint`, a warning): finds two key families in
    /// one tree where one literal prefix is a prefix of another and the
    /// shorter family's value can spell the gap (from what its type says it
    /// can be; a value nothing is known about is not reported). Test code
    /// is no family. Each longer family is reported once, naming every
    /// shorter family it collides with.
    ///
    /// ## Why is this bad?
    /// Two families that can render the same key read and overwrite each
    /// other's entries. With `client_{id}` and `client_logo_{id}`, the
    /// client whose id is `logo_foo` shares a key with client `foo`'s logo.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let client = format!("client_{}", client_id);
    /// let logo = format!("client_logo_{}", client_id);
    /// ```
    ///
    /// Use instead families that differ in literal text no value can
    /// render, such as `client:{id}` and `client-logo:{id}`, with values
    /// that cannot contain `:`.
    pub const RULE = {
        code: "CK004",
        name: "ambiguous-keys",
        severity: Severity::Warning,
        summary: "Two key families can render the same key",
    };
}
