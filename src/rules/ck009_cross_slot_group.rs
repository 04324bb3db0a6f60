//! CK009 cross-slot-group.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// Finds keys of one `group:` that can land in different Redis Cluster
    /// slots for the same arguments: a member without a `{hash tag}`, or
    /// members whose tags are built from different text or parameters.
    /// The finding shows two keys and their slots.
    ///
    /// ## Why is this bad?
    /// A group states that its keys are used together in multi-key commands
    /// (`MGET`, `MULTI`, Lua scripts). Redis Cluster refuses those with
    /// `CROSSSLOT` unless every key hashes to one slot, which only a shared
    /// hash tag guarantees.
    ///
    /// ## Example
    /// ```yaml
    /// cart.items: { pattern: "cart:{{{user_id}}}:items", params: { user_id: u64 }, group: checkout }
    /// cart.total: { pattern: "cart:{user_id}:total", params: { user_id: u64 }, group: checkout }
    /// ```
    ///
    /// Use instead the same tag in every member:
    /// ```yaml
    /// cart.total: { pattern: "cart:{{{user_id}}}:total", params: { user_id: u64 }, group: checkout }
    /// ```
    pub const RULE = {
        code: "CK009",
        name: "cross-slot-group",
        severity: Severity::Error,
        summary: "Keys of one group can land in different Redis Cluster slots",
    };
}
