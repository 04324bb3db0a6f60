//! CK001 catalogue-key-by-hand.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// Finds a hand-written key format whose shape matches an entry of the
    /// catalogue, with or without the catalogue's prefix and version.
    ///
    /// ## Why is this bad?
    /// The catalogue exists so that each key format is written once. A copy
    /// written by hand drifts: the catalogue's version is bumped, its
    /// separator or encoding changes, and the copy keeps writing the old
    /// key, so two parts of the service read different entries for the same
    /// data, or one of them reads stale data forever.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let key = format!("profiles:profile:{}", user_id);
    /// ```
    ///
    /// Use instead the generated function for `profiles.profile`:
    /// ```rust,ignore
    /// let key = keys::profiles::profile(user_id);
    /// ```
    pub const RULE = {
        code: "CK001",
        name: "catalogue-key-by-hand",
        severity: Severity::Error,
        summary: "A hand-written key format duplicates a catalogue entry",
    };
}
