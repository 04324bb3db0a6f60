//! CK100 unused-suppression.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// Finds a `// cachekeys: ignore[...]` or `file-ignore[...]` comment that
    /// suppresses nothing.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real finding on that line. Like
    /// ruff's RUF100, removing it keeps suppressions honest.
    ///
    /// ## Example
    /// ```rust,ignore
    /// // cachekeys: ignore[CK002] written once now
    /// let key = keys::users::profile(id);
    /// ```
    ///
    /// Use instead: delete the comment.
    pub const RULE = {
        code: "CK100",
        name: "unused-suppression",
        severity: Severity::Warning,
        summary: "A suppression comment suppresses nothing",
    };
}
