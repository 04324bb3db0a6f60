//! Reading `keys.yaml` into a [`Catalogue`], reporting every problem.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_saphyr::MessageFormatter;

use super::names::{did_you_mean, is_keyword, is_snake_case, to_snake_case, to_upper_camel};
use super::pattern::{self, Piece};
use super::yaml::{Node, Pos, Value};
use super::{
    Allowed, Catalogue, Dependency, Encoding, Entity, IntType, KeyEntry, Layout, LintSettings,
    Param, ParamType, Part, Pattern, Strategy, Target, Ttl,
};
use crate::diagnostic::{Diagnostic, FileDiagnostics, LineIndex, Location, line_column};
use crate::error::Error;

mod repair;

const TOP_FIELDS: &[&str] = &[
    "prefix",
    "separator",
    "version",
    "target",
    "keys",
    "lint",
    "entities",
    "layout",
];
const LINT_FIELDS: &[&str] = &["ignore", "exclude", "separators", "sinks"];
/// Every rule code `lint.ignore` may name: the registry's.
pub const RULE_CODES: [&str; crate::rules::ALL.len()] = crate::rules::CODES;
const KEY_FIELDS: &[&str] = &[
    "pattern",
    "params",
    "doc",
    "ttl",
    "version",
    "allow",
    "value",
    "negative_ttl",
    "ttl_jitter",
    "group",
    "depends_on",
];
/// The `check` rules one entry may accept with `allow:`. CK004 is not one:
/// colliding keys leak values between entries whatever the owner intends.
const ALLOWABLE: [&str; 3] = ["CK003", "CK005", "CK006"];
const PARAM_FIELDS: &[&str] = &["type", "max_len", "values", "encode"];

/// Reads and validates a catalogue file.
pub fn load(path: impl AsRef<Path>) -> Result<Catalogue, Error> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let source = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..valid]);
        let (line, column) = line_column(&text, valid);
        Error::NotUtf8 {
            path: path.to_owned(),
            line,
            column,
        }
    })?;
    parse(path, source)
}

/// Validates catalogue text; `path` is only used in messages.
pub fn parse(path: impl AsRef<Path>, source: impl Into<String>) -> Result<Catalogue, Error> {
    let path = path.as_ref().to_owned();
    let source = source.into();
    let mut loader = Loader {
        path: &path,
        src: &source,
        lines: LineIndex::new(&source),
        diagnostics: Vec::new(),
    };
    let catalogue = match read_yaml(&source) {
        Ok(mut root) => {
            loader.repair(&mut root);
            loader.catalogue(&root)
        }
        Err(diagnostic) => {
            loader.diagnostics.push(diagnostic(&path));
            None
        }
    };
    loader
        .diagnostics
        .sort_by_key(|d| (d.location.line, d.location.column));
    match catalogue {
        Some(model) if loader.diagnostics.is_empty() => Ok(Catalogue {
            path,
            source,
            ..model
        }),
        _ => Err(Error::Invalid(Box::new(FileDiagnostics {
            diagnostics: loader.diagnostics,
            path,
            source,
        }))),
    }
}

type LateDiagnostic = Box<dyn FnOnce(&Path) -> Diagnostic>;

/// Parses YAML with limits suited to a catalogue. An alias bomb hits the
/// replay limit long before it can use much memory.
fn read_yaml(source: &str) -> Result<Node, LateDiagnostic> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        // Repeated keys reach the loader, which reports both definitions.
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
        },
    };
    if source.trim().is_empty() {
        return Err(Box::new(|path: &Path| {
            Diagnostic::error(
                "the catalogue is empty",
                Location {
                    path: path.to_owned(),
                    line: 1,
                    column: 1,
                    span: 0..0,
                },
            )
            .with_label("expected a mapping with a `keys:` section")
            .with_help("start from `cachekeys init`, or add `keys:` with one entry")
        }));
    }
    serde_saphyr::from_str_with_options::<Node>(source, options).map_err(|err| {
        let inner = err.without_snippet();
        let message = serde_saphyr::UserMessageFormatter
            .format_message(inner)
            .into_owned();
        let location = err.location().unwrap_or(serde_saphyr::Location::UNKNOWN);
        let (line, column) = (location.line() as usize, location.column() as usize);
        let start = location
            .span()
            .byte_offset()
            .map(|o| o as usize)
            .filter(|&o| o <= source.len())
            .unwrap_or_else(|| LineIndex::new(source).offset(source, line, column));
        let (help, label) = yaml_help(&message);
        let lower = message.to_ascii_lowercase();
        let structural = ["block", "mapping values", "indent", "expected key"]
            .iter()
            .any(|m| lower.contains(m));
        let help = structural
            .then(|| indentation_help(source, start))
            .flatten()
            .unwrap_or_else(|| help.to_owned());
        let len = location.span().byte_len().map_or(1, |l| l as usize).max(1);
        let line_end = source[start.min(source.len())..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let end = (start + len).min(line_end.max(start + 1)).min(source.len());
        Box::new(move |path: &Path| {
            Diagnostic::error(
                format!("invalid YAML: {message}"),
                Location {
                    path: path.to_owned(),
                    line: line.max(1),
                    column: column.max(1),
                    span: start..end,
                },
            )
            .with_label(label)
            .with_help(help)
        }) as LateDiagnostic
    })
}

/// For a syntax error on a line indented unlike the line above it, the
/// usual cause: YAML reads structure from columns alone.
fn indentation_help(source: &str, offset: usize) -> Option<String> {
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let meaningful = |line: &&str| {
        let text = line.trim();
        !text.is_empty() && !text.starts_with('#')
    };
    let offset = offset.min(source.len());
    if !source.is_char_boundary(offset) {
        return None;
    }
    let lines = LineIndex::new(source);
    let (number, _) = lines.line_column(source, offset);
    let line_start = lines.line_range(source, number).map_or(0, |r| r.start);
    let line = source[line_start..].lines().next().unwrap_or("");
    let above = source[..line_start].lines().rev().find(meaningful)?;
    let (here, there) = (indent(line) + 1, indent(above) + 1);
    // Only a line that starts a mapping entry (`name:`) where the parser
    // choked can be misindented in this way.
    let first = line.trim_start();
    let name = first.split(':').next().filter(|_| first.contains(':'))?;
    if here == there || !meaningful(&line) {
        return None;
    }
    let direction = if here > there { "deeper" } else { "shallower" };
    Some(format!(
        "check the indentation: `{name}:` starts at column {here}, {direction} than the line above (column {there}); the entries of one mapping start in the same column, and a nested mapping starts right of its parent's name"
    ))
}

fn yaml_help(message: &str) -> (&'static str, &'static str) {
    let lower = message.to_ascii_lowercase();
    if lower.contains("budget") || lower.contains("alias") || lower.contains("replay") {
        (
            "the file expands to too many nodes (an alias bomb?); write the entries out without nested aliases",
            "expansion limit reached here",
        )
    } else {
        (
            "fix the YAML syntax here; a catalogue is a mapping with a `keys:` section",
            "here",
        )
    }
}

/// A key's parameters: those that are valid, and the names of those that
/// are not (already reported).
#[derive(Default)]
struct Params {
    valid: Vec<Param>,
    failed: Vec<String>,
}

struct Loader<'a> {
    path: &'a Path,
    src: &'a str,
    lines: LineIndex,
    diagnostics: Vec<Diagnostic>,
}

impl Loader<'_> {
    /// The line and column are derived from the byte offset, so they agree
    /// with the caret annotate-snippets draws (a BOM or tab cannot skew them).
    fn location(&self, pos: Pos) -> Location {
        let (line, column) = if pos.start == 0 && pos.line > 1 {
            (pos.line, pos.column.max(1))
        } else {
            self.lines.line_column(self.src, pos.start)
        };
        Location {
            path: self.path.to_owned(),
            line,
            column,
            span: pos.start..pos.end.max(pos.start),
        }
    }

    fn error(
        &mut self,
        pos: Pos,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        let diagnostic = Diagnostic::error(message, self.location(pos)).with_label(label);
        self.diagnostics.push(diagnostic);
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn expected(&mut self, node: &Node, what: &str, field: &str) {
        let found = node.value.kind();
        self.error(
            node.pos,
            format!("`{field}` must be {what}"),
            format!("found {found}"),
        );
    }

    /// The text of a scalar. A plain scalar that YAML typed as a number or a
    /// boolean (`1`, `true`) is taken as written, so enum values and prefixes
    /// can be digits.
    fn text(&mut self, node: &Node, field: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(_) | Value::Float(_) | Value::Bool => Some(
                self.src
                    .get(node.pos.start..node.pos.end)
                    .unwrap_or("")
                    .to_owned(),
            ),
            _ => {
                self.expected(node, "a string", field);
                None
            }
        }
    }

    fn unsigned(&mut self, node: &Node, field: &str) -> Option<u64> {
        match node.value {
            Value::Int(n) => match u64::try_from(n) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.error(
                        node.pos,
                        format!("`{field}` must be a non-negative integer"),
                        if n < 0 { "negative" } else { "too large" },
                    );
                    None
                }
            },
            Value::Float(f) if f.fract() == 0.0 => {
                let raw = self.src.get(node.pos.start..node.pos.end).unwrap_or("");
                let label = if raw.trim_start_matches(['+', '-']).starts_with('0') {
                    "write it without leading zeros"
                } else if f < 0.0 {
                    "negative"
                } else {
                    "too large: the maximum is 18446744073709551615"
                };
                self.error(
                    node.pos,
                    format!("`{field}` must be a non-negative integer"),
                    label,
                );
                None
            }
            _ => {
                self.expected(node, "a non-negative integer", field);
                None
            }
        }
    }

    /// The entries of a mapping whose keys are field names; unknown fields
    /// are reported with a suggestion. A misspelling of a field the mapping
    /// lacks (`patern:` without `pattern:`) is then read as that field: the
    /// cause is reported once, and not again as its consequence ("has no
    /// `pattern`"), while the rest of the entry is still checked.
    fn fields<'n>(
        &mut self,
        node: &'n Node,
        allowed: &[&'static str],
        what: &str,
    ) -> Option<BTreeMap<&'n str, (&'n Node, &'n Node)>> {
        let Value::Map(entries) = &node.value else {
            let found = node.value.kind();
            self.error(
                node.pos,
                format!("{what} must be a mapping"),
                format!("found {found}"),
            );
            return None;
        };
        let mut fields = BTreeMap::new();
        let mut misspelt = Vec::new();
        for (key, value) in entries {
            let Value::Str(name) = &key.value else {
                self.error(
                    key.pos,
                    format!("field names in {what} must be strings"),
                    "not a string",
                );
                continue;
            };
            if allowed.contains(&name.as_str()) {
                fields.insert(name.as_str(), (key, value));
            } else {
                let list = allowed
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let suggestion = did_you_mean(name, allowed);
                let help = match suggestion {
                    Some(s) => format!("did you mean `{s}`? {what} takes {list}"),
                    None => format!("{what} takes {list}"),
                };
                if let Some(field) = suggestion {
                    misspelt.push((field, (key, value)));
                }
                self.error(
                    key.pos,
                    format!("unknown field `{name}` in {what}"),
                    "unknown field",
                )
                .help = Some(help);
            }
        }
        for (field, entry) in misspelt {
            fields.entry(field).or_insert(entry);
        }
        Some(fields)
    }

    fn catalogue(&mut self, root: &Node) -> Option<Catalogue> {
        if let Value::Null = root.value {
            self.error(
                root.pos,
                "the catalogue is empty",
                "expected a mapping with a `keys:` section",
            )
            .help = Some("start from `cachekeys init`, or add `keys:` with one entry".into());
            return None;
        }
        let fields = self.fields(root, TOP_FIELDS, "the catalogue")?;
        let prefix = fields.get("prefix").and_then(|(_, v)| {
            let text = self.text(v, "prefix")?;
            if text.is_empty() {
                self.error(v.pos, "`prefix` must not be empty", "empty")
                    .help = Some("remove `prefix:` for keys without a prefix".into());
                return None;
            }
            Some((text, self.location(v.pos)))
        });
        let (prefix, prefix_location) = prefix.unzip();
        let separator = match fields.get("separator") {
            Some((_, v)) => self.separator(v).unwrap_or_default(),
            None => ":".to_owned(),
        };
        let version = fields
            .get("version")
            .and_then(|(_, v)| self.unsigned(v, "version"));
        let target = match fields.get("target") {
            Some((_, v)) => self.target(v),
            None => Target::Memcached,
        };
        let layout = match fields.get("layout") {
            Some((_, v)) => self.layout(v),
            None => Layout::Plain,
        };
        let lint = match fields.get("lint") {
            Some((_, v)) => self.lint(v),
            None => LintSettings::default(),
        };
        let entities = match fields.get("entities") {
            Some((_, v)) => self.entities(v),
            None => Vec::new(),
        };
        let keys = match fields.get("keys") {
            Some((_, v)) => self.keys(v),
            None => {
                self.error(root.pos, "the catalogue has no `keys:` section", "expected `keys:` in this mapping")
                    .help = Some("add `keys:` with one entry per key, e.g. `users.profile: { pattern: \"users:profile:{id}\", params: { id: u64 } }`".into());
                Vec::new()
            }
        };
        let keys = self.resolve_dependencies(keys, &entities, &separator);
        Some(Catalogue {
            path: PathBuf::new(),
            source: String::new(),
            prefix,
            prefix_location,
            separator,
            version,
            target,
            layout,
            keys,
            lint,
            entities,
        })
    }

    /// The `lint:` section: settings for `cachekeys lint`.
    fn lint(&mut self, node: &Node) -> LintSettings {
        let mut settings = LintSettings::default();
        let Some(fields) = self.fields(node, LINT_FIELDS, "`lint`") else {
            return settings;
        };
        let strings = |this: &mut Self, field: &str| -> Vec<(String, Pos)> {
            let Some((_, list)) = fields.get(field) else {
                return Vec::new();
            };
            let Value::Seq(items) = &list.value else {
                this.expected(list, "a list", &format!("lint.{field}"));
                return Vec::new();
            };
            items
                .iter()
                .filter_map(|item| this.text(item, field).map(|t| (t, item.pos)))
                .collect()
        };
        for (code, pos) in strings(self, "ignore") {
            if RULE_CODES.contains(&code.as_str()) {
                settings.ignore.push(code);
            } else {
                let help = match did_you_mean(&code, &RULE_CODES) {
                    Some(s) => format!("did you mean `{s}`? run `cachekeys rules` for the list"),
                    None => "run `cachekeys rules` for the list of codes".to_owned(),
                };
                self.error(pos, format!("unknown rule code `{code}`"), "unknown code")
                    .help = Some(help);
            }
        }
        settings.exclude = strings(self, "exclude")
            .into_iter()
            .map(|(g, _)| g)
            .collect();
        for (separator, pos) in strings(self, "separators") {
            let mut chars = separator.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_alphanumeric() && !c.is_whitespace() => {
                    settings.separators.push(c)
                }
                _ => {
                    self.error(
                        pos,
                        format!("`{separator}` is not a separator character"),
                        "one punctuation character expected",
                    )
                    .help =
                        Some("list single characters, e.g. `separators: [\":\", \"|\"]`".into());
                }
            }
        }
        for (sink, pos) in strings(self, "sinks") {
            let valid = !sink.is_empty()
                && sink.split("::").all(|segment| {
                    let mut chars = segment.chars();
                    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                        && chars.all(|c| c.is_alphanumeric() || c == '_')
                });
            if valid {
                settings.sinks.push(sink);
            } else {
                self.error(
                    pos,
                    format!("`{sink}` is not a path to a function or method"),
                    "a Rust path expected",
                )
                .help = Some(
                    "write the function or method whose first argument is a key, e.g. `sinks: [\"crate::store::put\", \"Storage::get\"]`".into(),
                );
            }
        }
        settings
    }

    fn separator(&mut self, node: &Node) -> Option<String> {
        let text = self.text(node, "separator")?;
        let count = text.chars().count();
        let bad = text
            .chars()
            .find(|c| c.is_alphanumeric() || c.is_whitespace() || c.is_control());
        let problem = if count == 0 || count > 4 {
            Some(format!("is {count} characters long"))
        } else {
            bad.map(|c| format!("contains {c:?}, which values can contain"))
        };
        if let Some(problem) = problem {
            self.error(
                node.pos,
                "`separator` must be 1 to 4 characters, none of them alphanumeric or whitespace",
                problem,
            )
            .help = Some("use punctuation such as `:` (the default), `|` or `/`".into());
            return None;
        }
        Some(text)
    }

    fn target(&mut self, node: &Node) -> Target {
        let Some(text) = self.text(node, "target") else {
            return Target::Memcached;
        };
        match text.as_str() {
            "memcached" => Target::Memcached,
            "redis" => Target::Redis,
            "none" => Target::None,
            other => {
                let help = match did_you_mean(other, &Target::NAMES) {
                    Some(s) => format!(
                        "did you mean `{s}`? `target` is one of `memcached`, `redis` or `none`"
                    ),
                    None => "`target` is one of `memcached`, `redis` or `none`".into(),
                };
                self.error(
                    node.pos,
                    format!("unknown target `{other}`"),
                    "unknown target",
                )
                .help = Some(help);
                Target::Memcached
            }
        }
    }

    fn layout(&mut self, node: &Node) -> Layout {
        let Some(text) = self.text(node, "layout") else {
            return Layout::Plain;
        };
        match text.as_str() {
            "plain" => Layout::Plain,
            "django" => Layout::Django,
            other => {
                let help = match did_you_mean(other, &Layout::NAMES) {
                    Some(s) => format!("did you mean `{s}`? `layout` is `plain` or `django`"),
                    None => "`layout` is `plain` (the default) or `django` (Django's `KEY_PREFIX:VERSION:key`)".into(),
                };
                self.error(
                    node.pos,
                    format!("unknown layout `{other}`"),
                    "unknown layout",
                )
                .help = Some(help);
                Layout::Plain
            }
        }
    }

    fn keys(&mut self, node: &Node) -> Vec<KeyEntry> {
        let Value::Map(entries) = &node.value else {
            self.expected(node, "a mapping from key names to entries", "keys");
            return Vec::new();
        };
        let mut keys = Vec::new();
        for (name_node, entry) in entries {
            let Some(name) = self.text(name_node, "a key name") else {
                continue;
            };
            let name_ok = self.key_name(&name, name_node);
            if let Some(key) = self.entry(name, name_node, entry)
                && name_ok
            {
                keys.push(key);
            }
        }
        self.check_enums(&keys);
        self.check_decoder_names(&keys);
        keys
    }

    /// Checks every segment of a dotted key name; one diagnostic per name,
    /// pointing at the first bad segment, suggesting a name fixed throughout.
    fn key_name(&mut self, name: &str, node: &Node) -> bool {
        let segments: Vec<&str> = name.split('.').collect();
        let fixes: Vec<Option<String>> = segments.iter().map(|s| suggested_name(s)).collect();
        let Some(bad) = fixes.iter().position(Option::is_some) else {
            return true;
        };
        let fixed: Vec<String> = segments
            .iter()
            .zip(&fixes)
            .filter(|(s, _)| !s.is_empty())
            .map(|(s, f)| f.clone().unwrap_or_else(|| (*s).to_owned()))
            .collect();
        let start: usize = segments[..bad].iter().map(|s| s.len() + 1).sum();
        let location = self.inner_location(node, name, start..start + segments[bad].len());
        let segment = segments[bad];
        let message = if segment.is_empty() {
            format!("key name `{name}` has an empty segment")
        } else if is_keyword(segment) {
            format!("`{segment}` is a Rust keyword and cannot be part of a key name")
        } else {
            format!(
                "`{segment}` in key name `{name}` is not snake_case (`a-z`, `0-9` and single `_`, starting with a letter)"
            )
        };
        self.diagnostics.push(
            Diagnostic::error(message, location)
                .with_label(if segment.is_empty() {
                    "empty segment"
                } else {
                    "invalid segment"
                })
                .with_help(format!(
                    "rename the key, for example to `{}`",
                    fixed.join(".")
                )),
        );
        false
    }

    /// Checks a parameter name.
    fn param_name(&mut self, name: &str, pos: Pos) -> bool {
        let Some(fixed) = suggested_name(name) else {
            return true;
        };
        let message = if is_keyword(name) {
            format!("`{name}` is a Rust keyword and cannot be a parameter name")
        } else {
            format!(
                "`{name}` is not a valid parameter name: use snake_case (`a-z`, `0-9` and single `_`, starting with a letter)"
            )
        };
        self.error(
            pos,
            message,
            if is_keyword(name) {
                "Rust keyword"
            } else {
                "not snake_case"
            },
        )
        .help = Some(format!("rename it, for example to `{fixed}`"));
        false
    }

    fn entry(&mut self, name: String, name_node: &Node, node: &Node) -> Option<KeyEntry> {
        let what = format!("key `{name}`");
        let fields = self.fields(node, KEY_FIELDS, &what)?;
        let doc = fields.get("doc").and_then(|(_, v)| self.text(v, "doc"));
        let ttl = fields.get("ttl").and_then(|(_, v)| self.ttl(v));
        let version = fields
            .get("version")
            .and_then(|(_, v)| self.unsigned(v, "version"));
        let allow = fields
            .get("allow")
            .map(|(_, v)| self.allow(v))
            .unwrap_or_default();
        let value = fields.get("value").and_then(|(_, v)| self.text(v, "value"));
        let ttl_location = fields.get("ttl").map(|(_, v)| self.location(v.pos));
        let negative_ttl = fields
            .get("negative_ttl")
            .and_then(|(_, v)| self.named_ttl(v, "negative_ttl"));
        let negative_ttl_location = fields
            .get("negative_ttl")
            .map(|(_, v)| self.location(v.pos));
        let ttl_jitter = fields
            .get("ttl_jitter")
            .and_then(|(_, v)| self.ttl_jitter(v, ttl.is_some()));
        let group = fields
            .get("group")
            .and_then(|(_, v)| Some((self.group(v)?, self.location(v.pos))));
        let (group, group_location) = group.unzip();
        let depends_on = fields
            .get("depends_on")
            .map(|(_, v)| self.depends_on(v))
            .unwrap_or_default();
        let params = match fields.get("params") {
            Some((
                _,
                Node {
                    value: Value::Null, ..
                },
            ))
            | None => Params::default(),
            Some((_, v)) => self.params(v, &what),
        };
        let Some((_, pattern_node)) = fields.get("pattern") else {
            self.error(
                name_node.pos,
                format!("{what} has no `pattern`"),
                "missing `pattern:`",
            )
            .help = Some(format!(
                "add a pattern such as `pattern: \"{}:{{id}}\"`",
                name.replace('.', ":")
            ));
            return None;
        };
        let text = self.text(pattern_node, "pattern")?;
        let pattern = self.pattern(&text, pattern_node, &params)?;
        if !params.failed.is_empty() {
            return None;
        }
        let params = params.valid;
        Some(KeyEntry {
            location: self.location(name_node.pos),
            pattern_location: self.location(pattern_node.pos),
            name,
            pattern,
            params,
            doc,
            ttl,
            version,
            allow,
            value,
            ttl_location,
            negative_ttl,
            negative_ttl_location,
            ttl_jitter,
            group,
            group_location,
            depends_on,
        })
    }

    /// `allow: [CK003, CK006]`: findings the owner accepts for one entry.
    fn allow(&mut self, node: &Node) -> Vec<Allowed> {
        let Value::Seq(items) = &node.value else {
            self.expected(node, "a list of rule codes", "allow");
            return Vec::new();
        };
        let mut allowed = Vec::new();
        for item in items {
            let Some(code) = self.text(item, "a rule code") else {
                continue;
            };
            match ALLOWABLE.iter().find(|c| **c == code) {
                Some(code) => allowed.push(Allowed {
                    code,
                    location: self.location(item.pos),
                }),
                None if code == "CK004" => {
                    self.error(item.pos, "CK004 cannot be allowed", "not allowable")
                        .help = Some(
                        "keys that collide read each other's values; change the patterns instead"
                            .into(),
                    );
                }
                None => {
                    let list = ALLOWABLE.join(", ");
                    let help = match did_you_mean(&code, &ALLOWABLE) {
                        Some(s) => format!("did you mean `{s}`? `allow` takes {list}"),
                        None => format!("`allow` takes {list}"),
                    };
                    self.error(
                        item.pos,
                        format!("unknown rule code `{code}`"),
                        "unknown code",
                    )
                    .help = Some(help);
                }
            }
        }
        allowed
    }

    /// Where a byte range inside a string scalar's value is in the file, when
    /// the value is written verbatim (no escapes); otherwise the whole node.
    fn inner_location(&self, node: &Node, value: &str, range: std::ops::Range<usize>) -> Location {
        self.lines
            .sub_location(self.src, &self.location(node.pos), value, range)
    }

    /// Parses a pattern against the parameters that were valid; holes named
    /// after parameters that failed are not reported again.
    fn pattern(&mut self, text: &str, node: &Node, declared: &Params) -> Option<Pattern> {
        let params = &declared.valid;
        if text.is_empty() {
            self.error(node.pos, "the pattern is empty", "empty pattern")
                .help = Some(
                "write the key's literal text and `{param}` holes, e.g. `users:profile:{id}`"
                    .into(),
            );
            return None;
        }
        let pieces = match pattern::parse(text) {
            Ok(pieces) => pieces,
            Err(errors) => {
                for e in errors {
                    let location = self.inner_location(node, text, e.span);
                    self.diagnostics.push(
                        Diagnostic::error(e.message, location)
                            .with_label(e.label)
                            .with_help(e.help),
                    );
                }
                return None;
            }
        };
        let mut parts = Vec::new();
        let mut used = vec![false; params.len()];
        // By name, the first declaration winning: a wide pattern looks each
        // of its holes up without a scan of every parameter.
        let position: HashMap<&str, usize> = params
            .iter()
            .enumerate()
            .rev()
            .map(|(i, p)| (p.name.as_str(), i))
            .collect();
        let mut ok = true;
        for piece in pieces {
            match piece {
                Piece::Literal(text) => parts.push(Part::Literal(text)),
                Piece::Hole { name, span } => {
                    let location = self.inner_location(node, text, span);
                    if (!name.is_empty() && !is_snake_case(name.trim())) || name.trim() != name {
                        ok = false;
                        let trimmed = name.trim();
                        if let Some(&i) = position.get(trimmed) {
                            used[i] = true;
                        }
                        let help = if trimmed.is_empty() || !is_snake_case(trimmed) {
                            "placeholders are `{name}` with a snake_case parameter name; write `{{` and `}}` for literal braces".to_owned()
                        } else {
                            format!("write `{{{trimmed}}}` without spaces")
                        };
                        self.diagnostics.push(
                            Diagnostic::error(
                                format!("`{{{name}}}` is not a valid placeholder"),
                                location,
                            )
                            .with_label("invalid placeholder")
                            .with_help(help),
                        );
                        continue;
                    }
                    match position.get(name.as_str()).copied() {
                        None if declared.failed.contains(&name) => ok = false,
                        Some(i) if used[i] => {
                            ok = false;
                            self.diagnostics.push(
                                Diagnostic::error(
                                    format!(
                                        "placeholder `{{{name}}}` appears twice in the pattern"
                                    ),
                                    location,
                                )
                                .with_label("second use")
                                .with_help(format!(
                                    "give the second value its own parameter, e.g. `{{{name}_2}}`"
                                )),
                            );
                        }
                        Some(i) => {
                            used[i] = true;
                            parts.push(Part::Param(i));
                        }
                        None => {
                            ok = false;
                            let help = if name.is_empty() {
                                "name the placeholder, e.g. `{id}`, or write `{{}}` for literal braces".to_owned()
                            } else {
                                format!(
                                    "declare it under `params:`, e.g. `{name}: u64`, or write `{{{{{name}}}}}` for literal braces"
                                )
                            };
                            let message = if name.is_empty() {
                                "empty placeholder `{}` in pattern".to_owned()
                            } else {
                                format!("placeholder `{{{name}}}` is not declared in `params`")
                            };
                            self.diagnostics.push(
                                Diagnostic::error(message, location)
                                    .with_label("undeclared")
                                    .with_help(help),
                            );
                        }
                    }
                }
            }
        }
        for (param, used) in params.iter().zip(&used) {
            if !used {
                ok = false;
                let name = &param.name;
                self.diagnostics.push(
                    Diagnostic::error(
                        format!("parameter `{name}` is declared but not used in the pattern"),
                        param.location.clone(),
                    )
                    .with_label("unused parameter")
                    .with_help(format!(
                        "add `{{{name}}}` to the pattern, or remove the parameter"
                    )),
                );
            }
        }
        ok.then(|| Pattern {
            text: text.to_owned(),
            parts: pattern::merge_literals(parts),
        })
    }

    fn params(&mut self, node: &Node, what: &str) -> Params {
        let mut params = Params::default();
        let Value::Map(entries) = &node.value else {
            self.expected(node, "a mapping from parameter names to types", "params");
            params.failed.push(String::new());
            return params;
        };
        for (name_node, spec) in entries {
            let Some(name) = self.text(name_node, "a parameter name") else {
                params.failed.push(String::new());
                continue;
            };
            let name_ok = self.param_name(&name, name_node.pos);
            match self.param_type(spec, &name, what) {
                Some((ty, max_len)) if name_ok => params.valid.push(Param {
                    location: self.location(name_node.pos),
                    name,
                    ty,
                    max_len,
                }),
                _ => params.failed.push(name),
            }
        }
        params
    }

    fn param_type(
        &mut self,
        node: &Node,
        name: &str,
        what: &str,
    ) -> Option<(ParamType, Option<u64>)> {
        let (type_node, fields) = match &node.value {
            Value::Map(_) => {
                let fields =
                    self.fields(node, PARAM_FIELDS, &format!("parameter `{name}` of {what}"))?;
                let Some((_, type_node)) = fields.get("type") else {
                    self.error(
                        node.pos,
                        format!("parameter `{name}` has no `type`"),
                        "missing `type:`",
                    )
                    .help = Some(format!("add a type: one of {}", type_list()));
                    return None;
                };
                (*type_node, fields)
            }
            _ => (node, BTreeMap::new()),
        };
        let type_name = self.text(type_node, "type")?;
        let ty = match type_name.as_str() {
            "bool" => ParamType::Bool,
            "uuid" => ParamType::Uuid,
            "str" => ParamType::Str(match fields.get("encode") {
                Some((_, node)) => self.encoding(node)?,
                None => Encoding::Percent,
            }),
            "enum" => {
                let Some((_, values)) = fields.get("values") else {
                    self.error(
                        type_node.pos,
                        format!("enum parameter `{name}` has no `values`"),
                        "needs `values:`",
                    )
                    .help = Some(format!(
                        "use the long form: `{name}: {{ type: enum, values: [a, b] }}`"
                    ));
                    return None;
                };
                ParamType::Enum(self.enum_values(values, name)?)
            }
            other => match IntType::ALL.iter().find(|t| t.name() == other) {
                Some(int) => ParamType::Int(*int),
                None => {
                    let help = match type_for(other) {
                        Some(s) => format!("did you mean `{s}`? types are {}", type_list()),
                        None => format!("types are {}", type_list()),
                    };
                    self.error(
                        type_node.pos,
                        format!("unknown type `{other}` for parameter `{name}`"),
                        "unknown type",
                    )
                    .help = Some(help);
                    return None;
                }
            },
        };
        let mut ok = true;
        if let Some((key, _)) = fields.get("encode")
            && !matches!(ty, ParamType::Str(_))
        {
            ok = false;
            self.error(
                key.pos,
                "`encode` only applies to `type: str`",
                "not a string parameter",
            )
            .help = Some("remove `encode`; other types render in a fixed alphabet".into());
        }
        if let Some((key, _)) = fields.get("values")
            && !matches!(ty, ParamType::Enum(_))
        {
            ok = false;
            self.error(
                key.pos,
                "`values` only applies to `type: enum`",
                "not an enum",
            )
            .help = Some("remove `values`, or set `type: enum`".into());
        }
        let max_len = match fields.get("max_len") {
            Some((key, value)) => {
                if !matches!(ty, ParamType::Str(_)) {
                    ok = false;
                    self.error(
                        key.pos,
                        "`max_len` only applies to `type: str`",
                        "not a string parameter",
                    )
                    .help = Some("remove `max_len`; other types have a fixed length".into());
                }
                match self.unsigned(value, "max_len") {
                    Some(0) => {
                        self.error(value.pos, "`max_len` must be at least 1", "zero");
                        None
                    }
                    n => n,
                }
            }
            None => None,
        };
        ok.then_some((ty, max_len))
    }

    fn encoding(&mut self, node: &Node) -> Option<Encoding> {
        let text = self.text(node, "encode")?;
        match Encoding::NAMES.iter().position(|n| *n == text) {
            Some(i) => Some(Encoding::ALL[i]),
            None => {
                let meant = match text.to_ascii_lowercase().as_str() {
                    "raw" | "plain" | "verbatim" | "identity" => Some("none"),
                    "hash" | "sha-256" | "sha2" | "digest" => Some("sha256"),
                    "url" | "urlencode" | "percent-encode" | "escape" => Some("percent"),
                    _ => None,
                };
                let help = match meant.or_else(|| did_you_mean(&text, &Encoding::NAMES)) {
                    Some(s) => format!(
                        "did you mean `{s}`? `encode` is one of `percent` (the default), `sha256` or `none`"
                    ),
                    None => "`encode` is one of `percent` (the default), `sha256` or `none`".into(),
                };
                self.error(
                    node.pos,
                    format!("unknown encoding `{text}`"),
                    "unknown encoding",
                )
                .help = Some(help);
                None
            }
        }
    }

    fn enum_values(&mut self, node: &Node, name: &str) -> Option<Vec<String>> {
        let Value::Seq(items) = &node.value else {
            self.expected(node, "a list of values", "values");
            return None;
        };
        if items.is_empty() {
            self.error(
                node.pos,
                format!("enum parameter `{name}` has no values"),
                "empty list",
            )
            .help = Some("list at least one value, e.g. `values: [en, fr]`".into());
            return None;
        }
        let mut values: Vec<String> = Vec::new();
        let mut variants: HashMap<String, (String, Pos)> = HashMap::new();
        let mut ok = true;
        for item in items {
            let Some(value) = self.text(item, "an enum value") else {
                ok = false;
                continue;
            };
            let variant = variant_name(&value);
            if let Some((first, first_pos)) = variants.get(&variant) {
                ok = false;
                let first_location = self.location(*first_pos);
                let (message, help) = if *first == value {
                    (
                        format!("duplicate enum value `{value}`"),
                        "remove the duplicate".to_owned(),
                    )
                } else {
                    (
                        format!(
                            "enum values `{first}` and `{value}` both become the Rust variant `{variant}`"
                        ),
                        "rename one of the values".to_owned(),
                    )
                };
                self.error(item.pos, message, "duplicate").help = Some(help);
                self.diagnostics
                    .last_mut()
                    .expect("just pushed")
                    .related
                    .push(crate::diagnostic::Related {
                        location: first_location,
                        message: "first listed here".into(),
                    });
                continue;
            }
            if variant.is_empty() {
                ok = false;
                self.error(
                    item.pos,
                    format!("enum value `{value}` has no letters or digits to name a Rust variant"),
                    "no variant name",
                )
                .help = Some("use values made of letters, digits, `-` or `_`".into());
                continue;
            }
            variants.insert(variant, (value.clone(), item.pos));
            values.push(value);
        }
        ok.then_some(values)
    }

    fn ttl(&mut self, node: &Node) -> Option<Ttl> {
        let help =
            "write seconds as an integer, or a number with a unit: `30s`, `5m`, `1h` or `7d`";
        let text = match &node.value {
            Value::Int(_) | Value::Str(_) => self.text(node, "ttl")?,
            _ => {
                self.expected(node, "a duration", "ttl");
                self.diagnostics.last_mut().expect("just pushed").help = Some(help.into());
                return None;
            }
        };
        let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
            Some(i) => text.split_at(i),
            None => (text.as_str(), "s"),
        };
        let scale = match unit {
            "s" => Some(1),
            "m" => Some(60),
            "h" => Some(3600),
            "d" => Some(86_400),
            _ => None,
        };
        let seconds = scale
            .zip(digits.parse::<u64>().ok())
            .and_then(|(s, n)| n.checked_mul(s));
        match seconds {
            Some(0) => {
                self.error(node.pos, "`ttl` must be positive", "zero").help =
                    Some("remove `ttl` for a key without an expiry".into());
                None
            }
            Some(seconds) => Some(Ttl { seconds, text }),
            None if text.is_empty() => {
                self.error(node.pos, "`ttl` is empty", "empty").help = Some(help.into());
                None
            }
            None => {
                self.error(node.pos, format!("invalid ttl `{text}`"), "not a duration")
                    .help = Some(help.into());
                None
            }
        }
    }

    /// Keys in one group share a generated enum per parameter name, so the
    /// same name must list the same values everywhere in the group.
    fn check_enums(&mut self, keys: &[KeyEntry]) {
        let mut seen: HashMap<(Vec<&str>, String), (&KeyEntry, &Param)> = HashMap::new();
        for key in keys {
            for param in &key.params {
                let ParamType::Enum(values) = &param.ty else {
                    continue;
                };
                let type_name = to_upper_camel(&param.name);
                let slot = (key.groups(), type_name.clone());
                match seen.get(&slot) {
                    Some((other_key, other)) if other.ty != param.ty => {
                        let ParamType::Enum(other_values) = &other.ty else {
                            continue;
                        };
                        let group = if slot.0.is_empty() {
                            "the top level".to_owned()
                        } else {
                            format!("group `{}`", slot.0.join("."))
                        };
                        let message = if other.name == param.name {
                            format!(
                                "parameter `{}` of `{}` and of `{}` both generate the enum `{type_name}` in {group}, with different values",
                                param.name, other_key.name, key.name
                            )
                        } else {
                            format!(
                                "parameters `{}` of `{}` and `{}` of `{}` both generate the enum `{type_name}` in {group}",
                                other.name, other_key.name, param.name, key.name
                            )
                        };
                        let related = other.location.clone();
                        self.diagnostics.push(
                            Diagnostic::error(message, param.location.clone())
                                .with_label(format!("values [{}]", values.join(", ")))
                                .with_related(related, format!("values [{}]", other_values.join(", ")))
                                .with_help(format!("rename one parameter, e.g. `{}_{}`, or list the same values in both", key.function(), param.name)),
                        );
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(slot, (key, param));
                    }
                }
            }
        }
    }
}

impl Loader<'_> {
    /// The root of the generated module holds the decoder: `enum Key`, with
    /// one variant per entry named by its whole name in UpperCamelCase, and
    /// `fn parse`. Entries that would collide with either are errors.
    fn check_decoder_names(&mut self, keys: &[KeyEntry]) {
        let all: HashSet<String> = keys.iter().map(KeyEntry::variant).collect();
        let mut variants: HashMap<String, &KeyEntry> = HashMap::new();
        for key in keys {
            if key.name == "parse" {
                self.diagnostics.push(
                    Diagnostic::error(
                        "the top-level key name `parse` is reserved for the generated decoder; put it in a group",
                        key.location.clone(),
                    )
                    .with_label("reserved at the top level")
                    .with_help("rename the key, for example to `misc.parse`"),
                );
            }
            if key.groups().is_empty() {
                for param in &key.params {
                    // `Text` is the decoder's type of a bounded `str` field,
                    // `UnknownValue` the error of the enums' `FromStr`.
                    let type_name = to_upper_camel(&param.name);
                    if matches!(param.ty, ParamType::Enum(_))
                        && matches!(type_name.as_str(), "Key" | "Text" | "UnknownValue")
                    {
                        self.diagnostics.push(
                            Diagnostic::error(
                                format!(
                                    "enum parameter `{}` of the top-level key `{}` would generate the enum `{type_name}`, which is reserved for the generated decoder",
                                    param.name, key.name
                                ),
                                param.location.clone(),
                            )
                            .with_label(format!("would generate `enum {type_name}`"))
                            .with_help(format!(
                                "rename the parameter, for example to `{}_kind`, or put the key in a group",
                                param.name
                            )),
                        );
                    }
                }
            }
            let variant = key.variant();
            let Some(first) = variants.get(&variant) else {
                variants.insert(variant, key);
                continue;
            };
            let suggestion = (2..)
                .map(|n| format!("{}_{n}", key.name))
                .find(|name| !all.contains(&to_upper_camel(name)))
                .expect("an unused name exists");
            let message = format!(
                "keys `{}` and `{}` would map to the same Rust item `Key::{variant}`",
                first.name, key.name
            );
            let related = first.location.clone();
            self.diagnostics.push(
                Diagnostic::error(message, key.location.clone())
                    .with_label(format!("also `Key::{variant}`"))
                    .with_related(related, "first key")
                    .with_help(format!(
                        "the generated `Key` enum names each entry by its whole name in UpperCamelCase; rename one of the keys, for example to `{suggestion}`"
                    )),
            );
        }
    }
}

/// A valid snake_case, non-keyword replacement for `name`, or `None` when
/// `name` is fine as it is.
fn suggested_name(name: &str) -> Option<String> {
    if is_keyword(name) {
        return Some(format!("{name}_name"));
    }
    if is_snake_case(name) {
        return None;
    }
    let mut snake = to_snake_case(name);
    if is_keyword(&snake) {
        snake.push_str("_name");
    }
    Some(snake)
}

/// The catalogue type meant by an unknown type name: the spellings other
/// languages and Rust itself use (`string`, `usize`, `int`, `uuid4`), then
/// near misses (`u46`).
fn type_for(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let meant = match lower.trim_start_matches('&') {
        "string" | "text" | "varchar" | "char" | "chars" | "slug" => Some("str"),
        "usize" | "u128" | "uint" | "unsigned" | "int" | "integer" | "long" | "number" | "id" => {
            Some("u64")
        }
        "isize" | "i128" | "signed" | "sint" => Some("i64"),
        "uuid4" | "uuidv4" | "uuid_v4" | "uuid7" | "uuidv7" | "guid" => Some("uuid"),
        "boolean" => Some("bool"),
        "enumeration" | "choice" => Some("enum"),
        other if ParamType::NAMES.contains(&other) => {
            ParamType::NAMES.iter().copied().find(|t| *t == other)
        }
        _ => None,
    };
    meant.or_else(|| did_you_mean(name, &ParamType::NAMES))
}

fn type_list() -> String {
    ParamType::NAMES
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Rust variant for an enum value: `eu-west` -> `EuWest`, `2x` -> `V2x`.
pub(crate) fn variant_name(value: &str) -> String {
    let camel = to_upper_camel(value);
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else if camel == "Self" {
        // The one keyword in UpperCamelCase.
        "SelfValue".to_owned()
    } else {
        camel
    }
}

/// The JSON Schema (`schemas/keys.schema.json`, printed by `cachekeys
/// schema`) is written by hand; these tests keep it listing exactly the
/// fields and names this loader accepts, so a field added here fails them
/// until the schema has it too.
#[cfg(all(test, feature = "cli"))]
mod schema_tests {
    use serde_json::Value;

    use super::*;

    fn schema() -> Value {
        serde_json::from_str(include_str!("../../schemas/keys.schema.json")).unwrap()
    }

    fn keys_of(object: &Value) -> Vec<String> {
        let mut keys: Vec<String> = object.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    }

    fn strings(list: &Value) -> Vec<String> {
        let mut items: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        items.sort();
        items
    }

    fn sorted(list: &[&str]) -> Vec<String> {
        let mut items: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
        items.sort();
        items
    }

    #[test]
    fn schema_lists_every_field_the_loader_takes() {
        let schema = schema();
        let defs = &schema["$defs"];
        assert_eq!(keys_of(&schema["properties"]), sorted(TOP_FIELDS));
        assert_eq!(
            keys_of(&schema["properties"]["lint"]["properties"]),
            sorted(LINT_FIELDS)
        );
        assert_eq!(keys_of(&defs["entry"]["properties"]), sorted(KEY_FIELDS));
        assert_eq!(
            keys_of(&defs["param_long"]["properties"]),
            sorted(PARAM_FIELDS)
        );
        // Every object the loader reads field by field rejects unknown ones.
        for object in [
            &schema,
            &schema["properties"]["lint"],
            &defs["entry"],
            &defs["param_long"],
        ] {
            assert_eq!(object["additionalProperties"], false);
        }
    }

    #[test]
    fn schema_lists_every_name_the_loader_takes() {
        let schema = schema();
        let defs = &schema["$defs"];
        assert_eq!(
            strings(&defs["param_long"]["properties"]["type"]["enum"]),
            sorted(&ParamType::NAMES)
        );
        let short: Vec<&str> = ParamType::NAMES
            .iter()
            .copied()
            .filter(|t| *t != "enum")
            .collect();
        assert_eq!(strings(&defs["param"]["then"]["enum"]), sorted(&short));
        assert_eq!(
            strings(&defs["param_long"]["properties"]["encode"]["enum"]),
            sorted(&Encoding::NAMES)
        );
        assert_eq!(
            strings(&schema["properties"]["target"]["enum"]),
            sorted(&Target::NAMES)
        );
        assert_eq!(
            strings(&schema["properties"]["lint"]["properties"]["ignore"]["items"]["enum"]),
            sorted(&RULE_CODES)
        );
        assert_eq!(
            strings(&defs["entry"]["properties"]["allow"]["items"]["enum"]),
            sorted(&ALLOWABLE)
        );
        assert_eq!(
            strings(&defs["entry"]["properties"]["params"]["propertyNames"]["not"]["enum"]),
            sorted(super::super::names::KEYWORDS)
        );
    }
}

/// The policy, cluster and invalidation fields of issue #11.
impl Loader<'_> {
    /// A duration field other than `ttl`, read by the same rules.
    fn named_ttl(&mut self, node: &Node, field: &str) -> Option<Ttl> {
        let before = self.diagnostics.len();
        let ttl = self.ttl(node);
        for d in &mut self.diagnostics[before..] {
            d.message = d
                .message
                .replace("`ttl`", &format!("`{field}`"))
                .replace("invalid ttl", &format!("invalid {field}"));
            if let Some(help) = &mut d.help {
                *help = help.replace(
                    "remove `ttl` for a key without an expiry",
                    &format!("remove `{field}` not to cache misses"),
                );
            }
        }
        ttl
    }

    /// `ttl_jitter: 10`: a percentage from 1 to 99, only beside a `ttl`.
    fn ttl_jitter(&mut self, node: &Node, has_ttl: bool) -> Option<u8> {
        let percent = self.unsigned(node, "ttl_jitter")?;
        if !(1..=99).contains(&percent) {
            self.error(
                node.pos,
                "`ttl_jitter` must be a percentage from 1 to 99",
                format!("{percent}"),
            )
            .help = Some(
                "write the share of `ttl` to spread expiries over, e.g. `ttl_jitter: 10`".into(),
            );
            return None;
        }
        if !has_ttl {
            self.error(
                node.pos,
                "`ttl_jitter` needs a `ttl` to spread",
                "no `ttl` on this key",
            )
            .help = Some("add `ttl:`, or remove `ttl_jitter`".into());
            return None;
        }
        u8::try_from(percent).ok()
    }

    /// `group: checkout`: a snake_case name.
    fn group(&mut self, node: &Node) -> Option<String> {
        let name = self.text(node, "group")?;
        if is_snake_case(&name) {
            return Some(name);
        }
        let fixed = to_snake_case(&name);
        self.error(
            node.pos,
            format!("group name `{name}` is not snake_case"),
            "not snake_case",
        )
        .help = Some(format!("rename it, for example to `{fixed}`"));
        None
    }

    /// `depends_on: [user]`: entity names, resolved once every entry is read.
    fn depends_on(&mut self, node: &Node) -> Vec<Dependency> {
        let Value::Seq(items) = &node.value else {
            self.expected(node, "a list of entity names", "depends_on");
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| {
                Some(Dependency {
                    entity: self.text(item, "an entity name")?,
                    location: self.location(item.pos),
                    strategy: Strategy::Unmapped(String::new()),
                })
            })
            .collect()
    }

    /// `entities: { user: { user_id: u64 } }`.
    fn entities(&mut self, node: &Node) -> Vec<Entity> {
        let Value::Map(entries) = &node.value else {
            self.expected(
                node,
                "a mapping from entity names to their parameters",
                "entities",
            );
            return Vec::new();
        };
        let mut entities = Vec::new();
        for (name_node, spec) in entries {
            let Some(name) = self.text(name_node, "an entity name") else {
                continue;
            };
            if !self.param_name(&name, name_node.pos) {
                continue;
            }
            let what = format!("entity `{name}`");
            let params = self.params(spec, &what);
            if !params.failed.is_empty() {
                continue;
            }
            if let Some(p) = params
                .valid
                .iter()
                .find(|p| matches!(p.ty, ParamType::Enum(_)))
            {
                self.diagnostics.push(
                    Diagnostic::error(
                        format!("parameter `{}` of {what} is an enum", p.name),
                        p.location.clone(),
                    )
                    .with_label("enum parameter")
                    .with_help("identify entities by integers, `bool`, `uuid` or `str`"),
                );
                continue;
            }
            if params.valid.is_empty() {
                self.error(
                    spec.pos,
                    format!("{what} has no parameters"),
                    "no parameters",
                )
                .help = Some(format!(
                    "list what identifies one {name}, e.g. `{name}: {{ {name}_id: u64 }}`"
                ));
                continue;
            }
            entities.push(Entity {
                location: self.location(name_node.pos),
                name,
                params: params.valid,
            });
        }
        entities
    }

    /// Decides each dependency's strategy: an unknown entity is an input
    /// error; parameters that do not map are left to `check` (CK011). A
    /// generation dependency appends the counter's value to the key.
    fn resolve_dependencies(
        &mut self,
        mut keys: Vec<KeyEntry>,
        entities: &[Entity],
        separator: &str,
    ) -> Vec<KeyEntry> {
        let names: Vec<&str> = entities.iter().map(|e| e.name.as_str()).collect();
        for key in &keys {
            if !entities.is_empty() && key.name.split('.').next() == Some("invalidate") {
                self.diagnostics.push(
                    Diagnostic::error(
                        format!("`{}` would be in the generated module `invalidate`, which holds the entities' invalidation", key.name),
                        key.location.clone(),
                    )
                    .with_label("reserved when `entities:` is set")
                    .with_help("rename the group, e.g. `invalidations`"),
                );
            }
        }
        self.check_policy_names(&keys);
        for key in &mut keys {
            let mut deps = std::mem::take(&mut key.depends_on);
            for dep in &mut deps {
                let Some(entity) = entities.iter().find(|e| e.name == dep.entity) else {
                    let help = match did_you_mean(&dep.entity, &names) {
                        Some(s) => format!("did you mean `{s}`? declare it under `entities:`"),
                        None if names.is_empty() => format!(
                            "declare it under `entities:`, e.g. `entities: {{ {0}: {{ {0}_id: u64 }} }}`",
                            dep.entity
                        ),
                        None => format!(
                            "declare it under `entities:`; declared: {}",
                            names
                                .iter()
                                .map(|n| format!("`{n}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    self.diagnostics.push(
                        Diagnostic::error(
                            format!(
                                "`{}` depends on the unknown entity `{}`",
                                key.name, dep.entity
                            ),
                            dep.location.clone(),
                        )
                        .with_label("unknown entity")
                        .with_help(help),
                    );
                    continue;
                };
                dep.strategy = strategy(key, entity);
                if matches!(dep.strategy, Strategy::Generation { .. }) {
                    let name = format!("{}_gen", entity.name);
                    if key.params.iter().any(|p| p.name == name) {
                        dep.strategy = Strategy::Unmapped(format!(
                            "it already has a parameter `{name}`, the name of the generation counter's value"
                        ));
                        continue;
                    }
                    let index = key.params.len();
                    key.params.push(Param {
                        name,
                        location: dep.location.clone(),
                        ty: ParamType::Int(IntType::U64),
                        max_len: None,
                    });
                    let mut parts = std::mem::take(&mut key.pattern.parts);
                    parts.push(Part::Literal(separator.to_owned()));
                    parts.push(Part::Param(index));
                    key.pattern.parts = pattern::merge_literals(parts);
                    dep.strategy = Strategy::Generation { param: index };
                }
            }
            key.depends_on = deps;
        }
        keys
    }
}

impl Loader<'_> {
    /// Every key generates `<key>_into` beside its function, `ttl_jitter`
    /// `<key>_ttl(seed)` and `negative_ttl` the constant
    /// `<KEY>_NEGATIVE_TTL`: a sibling key named `<key>_into`, `<key>_ttl`
    /// or `<key>_negative` would generate the same item.
    fn check_policy_names(&mut self, keys: &[KeyEntry]) {
        for key in keys {
            let clashes = [
                (true, "_into", "every key generates the function"),
                (
                    key.ttl_jitter.is_some(),
                    "_ttl",
                    "`ttl_jitter` generates the function",
                ),
                (
                    key.negative_ttl.is_some(),
                    "_negative",
                    "`negative_ttl` generates the constant of",
                ),
            ];
            for (used, suffix, what) in clashes {
                let name = format!("{}{suffix}", key.name);
                let Some(other) = keys.iter().find(|k| used && k.name == name) else {
                    continue;
                };
                let item = if suffix == "_negative" {
                    format!(
                        "`{}_NEGATIVE_TTL`",
                        crate::catalogue::names::to_shouty(key.function())
                    )
                } else {
                    format!("`{}{suffix}`", key.function())
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        format!(
                            "`{}` and `{}` would both generate {item}",
                            key.name, other.name
                        ),
                        other.location.clone(),
                    )
                    .with_label(format!("also generates {item}"))
                    .with_related(key.location.clone(), format!("{what} {item}"))
                    .with_help(format!("rename `{}`", other.name)),
                );
            }
        }
    }
}

/// How `key`'s keys go when `entity` changes (a generation's parameter index
/// is filled in by the caller).
fn strategy(key: &KeyEntry, entity: &Entity) -> Strategy {
    for param in &entity.params {
        match key.params.iter().find(|p| p.name == param.name) {
            None => {
                return Strategy::Unmapped(format!(
                    "it has no parameter `{}`, which identifies a {}",
                    param.name, entity.name
                ));
            }
            Some(p) if p.ty != param.ty => {
                return Strategy::Unmapped(format!(
                    "its parameter `{}` is a `{}`, but the entity's is a `{}`",
                    param.name,
                    p.ty.name(),
                    param.ty.name()
                ));
            }
            Some(_) => {}
        }
    }
    if key.params.len() == entity.params.len() {
        Strategy::Delete
    } else {
        Strategy::Generation { param: 0 }
    }
}
