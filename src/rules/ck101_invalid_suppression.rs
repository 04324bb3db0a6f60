//! CK101 invalid-suppression.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// Finds a suppression comment that names an unknown rule code, or is
    /// not of the form `// cachekeys: ignore[CODE, ...] reason` or
    /// `// cachekeys: file-ignore[CODE, ...]`.
    ///
    /// ## Why is this bad?
    /// A misspelt suppression suppresses nothing while looking like it
    /// does, so the finding it was meant for comes back, or worse, the
    /// reader believes a problem was reviewed when it was not.
    ///
    /// ## Example
    /// ```rust,ignore
    /// // cachekeys: ignore[CK02] shared with the PHP service
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// // cachekeys: ignore[CK002] shared with the PHP service
    /// ```
    pub const RULE = {
        code: "CK101",
        name: "invalid-suppression",
        severity: Severity::Warning,
        summary: "A suppression comment is malformed or names an unknown rule",
    };
}
