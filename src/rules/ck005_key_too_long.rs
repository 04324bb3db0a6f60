//! CK005 key-too-long.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// In the catalogue (`check`): computes the longest key each entry can
    /// render and compares it with the target store's limit: memcached's
    /// 250 bytes (an error) or the 1 KiB Redis advises (a warning). It names
    /// the parameter that drives the length and the `max_len` that fits.
    ///
    /// In hand-written keys (`lint`, a warning): finds a key that can be
    /// longer than the store it goes to accepts: memcached's 250 bytes when
    /// the sink is memcached (or unknown, under a catalogue that targets
    /// memcached), an object store's 1,024 bytes (S3, GCS, Azure Blob).
    /// Redis, embedded and in-memory keys have no limit a key reaches. The
    /// length is the literal text plus each value's longest rendering (a
    /// `Uuid` is 36 bytes, a `u64` 20), or unbounded when a value is free
    /// text. Test code is not reported.
    ///
    /// ## Why is this bad?
    /// memcached refuses keys over 250 bytes. Most clients turn that into a
    /// cache miss, so the code keeps working while the cache silently stops
    /// caching exactly the entries with long arguments.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let key = format!("search:{}", query); // query: &str from a user
    /// ```
    ///
    /// Use instead a catalogue entry with `max_len`, or `encode: sha256`,
    /// which renders any text in 64 bytes:
    /// ```yaml
    /// search.results:
    ///   pattern: "search:{query}"
    ///   params:
    ///     query: { type: str, encode: sha256 }
    /// ```
    pub const RULE = {
        code: "CK005",
        name: "key-too-long",
        severity: Severity::Warning,
        summary: "A key can exceed the store's length limit",
    };
}
