//! CK008 ttl-over-30-days.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// Under `target: memcached`, finds a `ttl` or `negative_ttl` longer
    /// than 30 days (2,592,000 seconds).
    ///
    /// ## Why is this bad?
    /// memcached reads an expiry over 30 days as an absolute Unix time, so
    /// `ttl: 31d` means 2,678,400 seconds after 1 January 1970: long past.
    /// The item expires at once and every read misses, silently.
    ///
    /// ## Example
    /// ```yaml
    /// reports.monthly: { pattern: "reports:{month}", params: { month: u32 }, ttl: 31d }
    /// ```
    ///
    /// Use instead at most 30 days, or no `ttl` (cache forever and invalidate):
    /// ```yaml
    /// reports.monthly: { pattern: "reports:{month}", params: { month: u32 }, ttl: 30d }
    /// ```
    pub const RULE = {
        code: "CK008",
        name: "ttl-over-30-days",
        severity: Severity::Error,
        summary: "A memcached TTL over 30 days, which memcached reads as an absolute time",
    };
}
