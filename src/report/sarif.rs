//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning
//! (`github/codeql-action/upload-sarif`) and any other SARIF viewer.
//!
//! One run. `tool.driver.rules` is the whole rule registry, so a viewer can
//! show every rule's documentation; each finding with a code is a result
//! pointing at its rule by id and index. Diagnostics without a code are not
//! findings but notes about the run (a file that could not be read, a
//! catalogue that does not load, a usage error): they become
//! `invocations[0].toolExecutionNotifications`, as do the run's
//! notifications. An error among them (bad input stopped the run) sets
//! `executionSuccessful` to false, so a viewer does not take the empty
//! `results` for a clean tree.
//!
//! URIs are relative to the repository root and name it as their
//! `uriBaseId`, `%SRCROOT%`, which `originalUriBaseIds` resolves to a
//! `file://` URI: the same paths whatever directory the tool ran in.
//!
//! Regions are computed from each location's byte span and the file's
//! text: 1-based lines, 1-based columns counted in Unicode code points
//! (`columnKind: unicodeCodePoints`), the end column just past the last
//! character. Without the text, the stored line and column are used.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Log, Region, Report, Sources, base_dir, full_message, line_text, repo_path};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::rules::{self, Rule};

/// The `$schema` of every log.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A SARIF 2.1.0 log with one run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sarif;

impl Report for Sarif {
    fn format_log(&self, log: &Log<'_>) -> String {
        let mut text = serde_json::to_string_pretty(&self::log(log)).unwrap_or_default();
        text.push('\n');
        text
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The `uriBaseId` of every relative URI: the repository root.
pub const SRCROOT: &str = "%SRCROOT%";

fn notification(d: &Diagnostic, sources: &Sources) -> Value {
    let mut notification = json!({
        "level": level(d.severity),
        "message": { "text": full_message(d, true) },
    });
    if let Some(location) = location(&d.location, sources, None) {
        notification["locations"] = json!([location]);
    }
    notification
}

/// The whole log as a JSON value.
fn log(log: &Log<'_>) -> Value {
    let (diagnostics, sources) = (log.diagnostics, log.sources);
    // Every registered rule, then any code a diagnostic carries that the
    // registry does not know, so that every result has a rule index.
    let mut ids: Vec<&str> = rules::ALL.iter().map(|r| r.code).collect();
    let mut descriptors: Vec<Value> = rules::ALL.iter().map(descriptor).collect();
    for code in diagnostics.iter().filter_map(|d| d.code) {
        if !ids.contains(&code) {
            ids.push(code);
            descriptors.push(json!({ "id": code }));
        }
    }

    let mut occurrences: HashMap<String, usize> = HashMap::new();
    let mut results = Vec::new();
    let mut notifications: Vec<Value> = log
        .notifications
        .iter()
        .map(|n| notification(n, sources))
        .collect();
    for d in diagnostics {
        let Some(code) = d.code else {
            notifications.push(notification(d, sources));
            continue;
        };
        let mut result = json!({
            "ruleId": code,
            "ruleIndex": ids.iter().position(|id| *id == code),
            "level": level(d.severity),
            "message": { "text": full_message(d, false) },
        });
        let label = (!d.label.is_empty()).then_some(d.label.as_str());
        if let Some(primary) = location(&d.location, sources, label) {
            result["locations"] = json!([primary]);
            let hash = line_hash(code, &d.location, sources);
            let n = occurrences.entry(hash.clone()).or_default();
            *n += 1;
            result["partialFingerprints"] = json!({
                "primaryLocationLineHash": format!("{hash}:{n}"),
            });
        }
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let mut related = location(&r.location, sources, Some(&r.message))?;
                related["id"] = json!(i);
                Some(related)
            })
            .collect();
        if !related.is_empty() {
            result["relatedLocations"] = json!(related);
        }
        results.push(result);
    }

    let mut invocation = json!({ "executionSuccessful": !log.failed() });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = json!(notifications);
    }
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "cachekeys",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": information_uri(),
                "rules": descriptors,
            },
        },
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation],
        "results": results,
    });
    if let Some(base) = base_dir() {
        run["originalUriBaseIds"] = json!({ SRCROOT: { "uri": base_uri(base) } });
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    })
}

/// The `file://` URI of a directory, ending in `/` as SARIF requires of a
/// base.
fn base_uri(dir: &std::path::Path) -> String {
    let mut text = uri(&crate::diagnostic::display_path(dir), true);
    if !text.ends_with('/') {
        text.push('/');
    }
    text
}

/// The project's home: its repository when the manifest names one.
fn information_uri() -> &'static str {
    match env!("CARGO_PKG_REPOSITORY") {
        "" => concat!("https://crates.io/crates/", env!("CARGO_PKG_NAME")),
        repository => repository,
    }
}

/// A `reportingDescriptor` for a rule: its summary as the short
/// description, its "What it does" as the full one, and all its docs as
/// help, in plain text and Markdown.
fn descriptor(rule: &Rule) -> Value {
    let docs = rule.docs();
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": section(&docs, "What it does").unwrap_or(rule.summary) },
        "help": {
            "text": docs,
            // The docs are doctests: `rust,ignore` fences render as Rust.
            "markdown": docs.replace("```rust,ignore", "```rust"),
        },
        "defaultConfiguration": { "level": level(rule.severity) },
    })
}

/// The body of a `## title` section of Markdown docs.
fn section<'a>(docs: &'a str, title: &str) -> Option<&'a str> {
    let heading = format!("## {title}\n");
    let start = docs.find(&heading)? + heading.len();
    let body = &docs[start..];
    let end = body.find("\n## ").unwrap_or(body.len());
    Some(body[..end].trim())
}

/// A `location` with a `physicalLocation`; `None` for a location with no
/// file.
fn location(location: &Location, sources: &Sources, message: Option<&str>) -> Option<Value> {
    if location.path.as_os_str().is_empty() {
        return None;
    }
    let (path, absolute) = repo_path(&location.path);
    let mut artifact = json!({ "uri": uri(&path, absolute) });
    if !absolute && base_dir().is_some() {
        artifact["uriBaseId"] = json!(SRCROOT);
    }
    let mut physical = json!({ "artifactLocation": artifact });
    if let Some(region) = Region::of(location, sources) {
        let mut value = json!({
            "startLine": region.start_line,
            "startColumn": region.start_column,
        });
        // An empty span has no end: the start alone marks the place.
        if let Some((line, column)) = region.end.filter(|_| !region.is_empty()) {
            value["endLine"] = json!(line);
            value["endColumn"] = json!(column);
        }
        physical["region"] = value;
    }
    let mut value = json!({ "physicalLocation": physical });
    if let Some(message) = message {
        value["message"] = json!({ "text": message });
    }
    Some(value)
}

/// A URI reference for a path: relative paths stay relative (GitHub
/// resolves them against the checkout), absolute ones become `file://`
/// URIs. Anything but unreserved characters, sub-delimiters, `@` and `/`
/// is percent-encoded (`:` too in a relative path, where it would read as
/// a scheme).
fn uri(path: &str, absolute: bool) -> String {
    let mut out = String::new();
    if absolute {
        out.push_str("file://");
        if !path.starts_with('/') {
            out.push('/');
        }
    }
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&byte)
            || (absolute && byte == b':');
        if keep {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// FNV-1a, 64 bits: a stable hash, unlike std's `DefaultHasher`, whose
/// algorithm may change between Rust releases.
fn fnv1a64(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A separator, so ("ab", "c") and ("a", "bc") differ.
            hash ^= 0xff;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        for &byte in *part {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The part of `primaryLocationLineHash` before the `:N` occurrence count:
/// the rule, the primary line's trimmed text and the file. It survives
/// edits elsewhere in the file, so GitHub keeps tracking the same alert
/// when lines move.
fn line_hash(code: &str, location: &Location, sources: &Sources) -> String {
    let line = Region::of(location, sources)
        .and_then(|region| line_text(sources, &location.path, region.start_line))
        .unwrap_or("")
        .trim();
    let (path, _) = repo_path(&location.path);
    format!(
        "{:016x}",
        fnv1a64(&[code.as_bytes(), line.as_bytes(), path.as_bytes()])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_reference_values() {
        // From the FNV reference test suite.
        assert_eq!(fnv1a64(&[b""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(&[b"foobar"]), 0x8594_4171_f739_67e8);
        assert_ne!(fnv1a64(&[b"ab", b"c"]), fnv1a64(&[b"a", b"bc"]));
    }

    #[test]
    fn uris_are_percent_encoded_references() {
        assert_eq!(uri("src/a b.rs", false), "src/a%20b.rs");
        assert_eq!(uri("src/ü.rs", false), "src/%C3%BC.rs");
        assert_eq!(uri("a:b/c%.rs", false), "a%3Ab/c%25.rs");
        assert_eq!(uri("/abs/x.rs", true), "file:///abs/x.rs");
        assert_eq!(uri("C:/x/y.rs", true), "file:///C:/x/y.rs");
    }

    #[test]
    fn sections_of_rule_docs() {
        let docs = "## What it does\nFinds it.\n\n## Why is this bad?\nIt is.";
        assert_eq!(section(docs, "What it does"), Some("Finds it."));
        assert_eq!(section(docs, "Why is this bad?"), Some("It is."));
        assert_eq!(section(docs, "Example"), None);
    }
}
