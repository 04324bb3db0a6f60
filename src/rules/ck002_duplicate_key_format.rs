//! CK002 duplicate-key-format.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// Finds the same key-like format written in two or more places, once
    /// placeholders are normalised (`{}`, `{id}` and `{0}` are the same
    /// hole). It reports each group once, with every site as a related
    /// location.
    ///
    /// ## Why is this bad?
    /// A key format written twice is a key format that will drift: one copy
    /// gets a new version or field and the other does not, and the code that
    /// writes the cache and the code that reads or invalidates it stop
    /// agreeing. Put the format in one function, or in the catalogue.
    ///
    /// ## Example
    /// ```rust,ignore
    /// // src/profile.rs
    /// cache.set(&format!("user:{}:profile", id), &profile)?;
    /// // src/admin.rs
    /// cache.del(&format!("user:{id}:profile"))?;
    /// ```
    ///
    /// Use instead one function both call:
    /// ```rust,ignore
    /// cache.set(&keys::users::profile(id), &profile)?;
    /// cache.del(&keys::users::profile(id))?;
    /// ```
    pub const RULE = {
        code: "CK002",
        name: "duplicate-key-format",
        severity: Severity::Warning,
        summary: "The same key format is written in several places",
    };
}
