//! CK007 key-meaning-changed.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// With `cachekeys check --against OLD`, finds a key string that both the
    /// old and the new catalogue can render but that means something else in
    /// each: another entry, other arguments decoded from it, or another
    /// `value:` type. The search is exact (a product of the two entries'
    /// automata) and the finding shows the key with both meanings.
    ///
    /// ## Why is this bad?
    /// During a rolling deploy old and new servers share the cache. Old
    /// servers keep writing the key with the old meaning and new servers read
    /// it with the new one: a profile served as another type, a user id read
    /// as a user name. Removing a key or adding one with a disjoint key space
    /// is safe; changing one in place is not, unless its version changes.
    ///
    /// ## Example
    /// ```yaml
    /// # main: users.profile: { pattern: "users:{id}", params: { id: u64 } }
    /// users.profile:
    ///   pattern: "users:{id}"
    ///   params: { id: str }
    /// ```
    ///
    /// Use instead a version bump, so the two renders differ:
    /// ```yaml
    /// users.profile:
    ///   pattern: "users:{id}"
    ///   version: 2
    ///   params: { id: str }
    /// ```
    pub const RULE = {
        code: "CK007",
        name: "key-meaning-changed",
        severity: Severity::Error,
        summary: "A key string means something else than in the old catalogue, without a version bump",
    };
}
