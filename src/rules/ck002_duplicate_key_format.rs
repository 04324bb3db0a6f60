//! CK002 duplicate-key-format.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// Finds the same key-like format written in two or more places of one
    /// program, once placeholders are normalised (`{}`, `{id}` and `{0}`
    /// are the same hole). A program is a Cargo workspace, or a crate
    /// outside one: two programs that happen to use one format do not
    /// share keys. Test code (`#[test]`, `#[cfg(test)]`, `tests/`,
    /// `benches/`, `examples/`) is no place of its own: a test that copies
    /// a production key is listed with the finding, since it must change
    /// with it, and two tests that share a format are no duplicate. Each
    /// group is reported once, with every site as a related location and
    /// a `keys.yaml` entry to paste.
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
