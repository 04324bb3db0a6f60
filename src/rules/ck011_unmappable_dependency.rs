//! CK011 unmappable-dependency.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// Finds a `depends_on` entity whose identifying parameters the entry
    /// does not have, by name and type: `depends_on: [user]` with
    /// `entities: { user: { user_id: u64 } }` on an entry without a `u64`
    /// parameter `user_id`.
    ///
    /// ## Why is this bad?
    /// The generated invalidation for the entity could not tell which of
    /// the entry's keys belong to the entity that changed, so they would
    /// never be invalidated: the stale-read bug that hand-kept lists have.
    ///
    /// ## Example
    /// ```yaml
    /// entities: { user: { user_id: u64 } }
    /// keys:
    ///   users.avatar: { pattern: "avatars:{id}", params: { id: u64 }, depends_on: [user] }
    /// ```
    ///
    /// Use instead the entity's parameter name:
    /// ```yaml
    ///   users.avatar: { pattern: "avatars:{user_id}", params: { user_id: u64 }, depends_on: [user] }
    /// ```
    pub const RULE = {
        code: "CK011",
        name: "unmappable-dependency",
        severity: Severity::Error,
        summary: "A depends_on entity whose parameters the entry does not have",
    };
}
