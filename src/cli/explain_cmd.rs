//! `cachekeys explain-key`: which entry renders a key, and with what.

use std::path::PathBuf;

use serde_json::json;

use super::{EXIT_CLEAN, EXIT_FINDINGS, Reporter, Stream, load_catalogue, write};
use cachekeys::__private::key_text::{self, Arg, Decoded};
use cachekeys::__private::report::{Format, Log};
use cachekeys::catalogue::{Catalogue, Part};
use cachekeys::diagnostic::{Diagnostic, Location, Severity, Sources, display_path};

pub(crate) fn run(catalogue: Option<PathBuf>, keys: &[String], format: Format, slot: bool) -> u8 {
    let reporter = Reporter::new(format);
    let catalogue = match load_catalogue(catalogue) {
        Ok(catalogue) => catalogue,
        Err(error) => return reporter.fail(&error),
    };
    let file = display_path(&catalogue.path);
    let human = format == Format::Human;
    let mut code = EXIT_CLEAN;
    let mut first = true;
    // For the machine formats: the problems, and (JSON) the decodings.
    let mut problems = Vec::new();
    let mut decodings = Vec::new();
    let counters = generation_counters(&catalogue);
    for key in keys {
        let mut decoded = key_text::decode(&catalogue, key);
        let mut source = &catalogue;
        if decoded.is_empty() {
            decoded = key_text::decode(&counters, key);
            source = &counters;
        }
        if decoded.is_empty() {
            code = EXIT_FINDINGS;
            let help = no_match_help(&catalogue, key);
            if human {
                // The key is what the problem is about: it takes the place
                // a file would.
                let place = Location {
                    path: key.into(),
                    ..Location::default()
                };
                let problem =
                    Diagnostic::error(format!("no entry of {file} produces this key"), place)
                        .with_help(help);
                eprintln!("{}", problem.to_snippet(None, super::color()));
            } else {
                problems.push(
                    Diagnostic::error(
                        format!("no entry of {file} produces the key `{key}`"),
                        Location::default(),
                    )
                    .with_help(help),
                );
            }
            continue;
        }
        if !human {
            decodings.push(json!({
                "key": key,
                "decodings": decoded.iter().map(|d| decoding_json(source, d)).collect::<Vec<_>>(),
            }));
        } else if let Err(code) = write(
            Stream::Stdout,
            &explanation(
                source,
                key,
                &decoded,
                first,
                slot.then(|| key_text::slot(key)),
            ),
        ) {
            return code;
        }
        first = false;
        if decoded.len() > 1 {
            let names: Vec<String> = decoded
                .iter()
                .map(|d| format!("`{}`", d.key(source).name))
                .collect();
            let message = format!(
                "`{key}` decodes {} ways ({}): the catalogue is ambiguous",
                decoded.len(),
                names.join(", ")
            );
            let help = format!("run `cachekeys check -c {file}` to see which keys collide");
            if human {
                let _ = write(
                    Stream::Stderr,
                    &format!("warning: {message}\n  = help: {help}\n"),
                );
            } else {
                problems.push(
                    Diagnostic::error(message, Location::default())
                        .with_severity(Severity::Warning)
                        .with_help(help),
                );
            }
        }
    }
    if !human {
        let sources = Sources::default();
        let log = Log {
            diagnostics: &problems,
            sources: &sources,
            notifications: &[],
        };
        let written = if format == Format::Json {
            let mut value: serde_json::Value =
                serde_json::from_str(&format.report(false).format_log(&log)).unwrap_or_default();
            value["keys"] = json!(decodings);
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            write(Stream::Stdout, &text)
        } else {
            reporter.print(&log)
        };
        if let Err(code) = written {
            return code;
        }
    }
    code
}

/// The entities' generation counters as a catalogue of their own, named
/// by the generated function that renders them, so `explain-key` decodes
/// the counter keys seen in a store too.
fn generation_counters(catalogue: &Catalogue) -> Catalogue {
    let mut counters = catalogue.clone();
    counters.keys = catalogue
        .entities
        .iter()
        .map(|entity| {
            let mut entry = catalogue.generation_entry(entity);
            entry.name = format!("invalidate.{}_generation", entity.name);
            entry.doc = Some(format!(
                "The generation counter of one `{}`: keys that depend on it include its value.",
                entity.name
            ));
            entry
        })
        .collect();
    counters
}

/// The human text for a key and its decodings, after a blank line unless
/// it is the first.
fn explanation(
    catalogue: &Catalogue,
    key: &str,
    decoded: &[Decoded],
    first: bool,
    slot: Option<u16>,
) -> String {
    let mut text = String::new();
    if !first {
        text.push('\n');
    }
    text.push_str(key);
    text.push('\n');
    for (i, decoded) in decoded.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        explain(&mut text, catalogue, decoded, slot);
    }
    text
}

/// One decoding for `--format json`: the entry, its function, each
/// argument by name (integers and booleans as JSON values, strings
/// decoded, UUIDs hyphenated, digests as `sha256:<hex>`), the TTL in
/// seconds and the doc.
fn decoding_json(catalogue: &Catalogue, decoded: &Decoded) -> serde_json::Value {
    let key = decoded.key(catalogue);
    let mut args = serde_json::Map::new();
    for (param, arg) in key.params.iter().zip(&decoded.args) {
        let value = match arg {
            Arg::Int(n) => i64::try_from(*n)
                .map(|n| json!(n))
                .or_else(|_| u64::try_from(*n).map(|n| json!(n)))
                .unwrap_or_else(|_| json!(n.to_string())),
            Arg::Bool(b) => json!(b),
            Arg::Str(text) => json!(text),
            other => json!(other.to_string()),
        };
        args.insert(param.name.clone(), value);
    }
    json!({
        "entry": key.name,
        "function": format!("keys::{}", key.rust_path()),
        "args": args,
        "ttl_seconds": key.ttl.as_ref().map(|t| t.seconds),
        "doc": key.doc.as_deref().map(str::trim_end),
    })
}

/// The lines for one decoding, labels aligned:
///
/// ```text
///   entry:  users.by_email  (keys::users::by_email)
///   email:  "A:b c@x"
///   ttl:    30m (1800 s)
///   doc:    The user id that owns an email address.
/// ```
fn explain(text: &mut String, catalogue: &Catalogue, decoded: &Decoded, slot: Option<u16>) {
    let key = decoded.key(catalogue);
    let mut lines = vec![(
        "entry".to_owned(),
        format!("{}  (keys::{})", key.name, key.rust_path()),
    )];
    for (param, arg) in key.params.iter().zip(&decoded.args) {
        let value = match arg {
            Arg::Digest(_) => format!("{arg}  (a digest: the value itself is not in the key)"),
            _ => arg.to_string(),
        };
        lines.push((param.name.clone(), value));
    }
    let ttl = key
        .ttl
        .as_ref()
        .map_or_else(|| "none".to_owned(), |t| t.describe());
    lines.push(("ttl".to_owned(), ttl));
    if let Some(slot) = slot {
        lines.push(("slot".to_owned(), slot.to_string()));
    }
    if let Some(doc) = &key.doc {
        lines.push(("doc".to_owned(), doc.trim_end().to_owned()));
    }
    let width = lines
        .iter()
        .map(|(label, _)| label.len())
        .max()
        .unwrap_or(0)
        + 3;
    for (label, value) in lines {
        let mut rows = value.lines();
        let head = format!("{label}:");
        text.push_str(&format!("  {head:width$}{}\n", rows.next().unwrap_or("")));
        for row in rows {
            text.push_str(&format!("  {:width$}{row}\n", ""));
        }
    }
}

/// What to look at when a key matches nothing: the entry whose literal
/// start the key shares most of, beyond what every entry shares.
fn no_match_help(catalogue: &Catalogue, key: &str) -> String {
    let heads: Vec<String> = catalogue
        .keys
        .iter()
        .map(
            |entry| match catalogue.full_parts(entry).into_iter().next() {
                Some(Part::Literal(head)) => head,
                _ => String::new(),
            },
        )
        .collect();
    // The start all entries share, such as `shop:`, says nothing about
    // which entry was meant.
    let common = match heads.split_first() {
        Some((first, rest)) if !rest.is_empty() => rest
            .iter()
            .fold(first.len(), |n, head| n.min(shared_len(first, head))),
        _ => 0,
    };
    // An entry whose literal text the key has: say which argument fails.
    if let Some(miss) = key_text::near_miss(catalogue, key) {
        let entry = &catalogue.keys[miss.entry];
        let reasons: Vec<String> = miss
            .failures
            .iter()
            .map(|f| format!("`{}`: {}", entry.params[f.param].name, f.reason))
            .collect();
        return format!(
            "the closest entry is `{}` (`{}`), but the rest is not what it renders: {}",
            entry.name,
            catalogue.full_pattern(entry),
            reasons.join("; ")
        );
    }
    let closest = catalogue
        .keys
        .iter()
        .zip(&heads)
        .map(|(entry, head)| (entry, head, shared_len(key, head)))
        // The first of equals, in catalogue order.
        .rev()
        .max_by_key(|(_, _, shared)| *shared)
        .filter(|(_, _, shared)| *shared > common);
    let Some((entry, head, shared)) = closest else {
        let start = heads.first().map_or("", |head| &head[..common]);
        return match catalogue.keys.first() {
            None => "the catalogue has no entries".to_owned(),
            Some(_) if !key.starts_with(start) => {
                format!("every key of this catalogue starts with `{start}`")
            }
            Some(entry) => format!(
                "no entry's keys start like this one; they look like `{}`",
                catalogue.full_pattern(entry)
            ),
        };
    };
    let shape = catalogue.full_pattern(entry);
    if shared == head.len() {
        format!(
            "the closest entry is `{}` (`{shape}`), but the rest is not what it renders: values must be written exactly as its function writes them (canonical integers, lowercase UUIDs, uppercase `%XX`)",
            entry.name
        )
    } else {
        format!(
            "the closest entry is `{}`, whose keys look like `{shape}`",
            entry.name
        )
    }
}

/// The length in bytes of the longest common prefix of `a` and `b`.
fn shared_len(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
}
