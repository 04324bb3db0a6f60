//! Mistakes in the shape of the YAML tree, found and undone before the
//! catalogue is read from it.
//!
//! A duplicate key or a line indented one level too little is one mistake,
//! but read as it stands it turns into several errors that all describe its
//! consequences ("key `params` has no `pattern`", "placeholder `{id}` is not
//! declared"). So these passes report the mistake itself, at both places
//! that matter, then rewrite the tree as the author meant it: the reader
//! that follows sees one definition of each key and every field under its
//! entry, and reports only the problems that remain.

use std::collections::HashMap;

use super::{KEY_FIELDS, Loader, TOP_FIELDS};
use crate::catalogue::yaml::{Node, Pos, Value};
use crate::diagnostic::Diagnostic;

impl Loader<'_> {
    /// Runs every repair on the root of the file.
    pub(super) fn repair(&mut self, root: &mut Node) {
        self.remove_duplicates(root, "the catalogue");
        self.reattach_catalogue_level_entries(root);
        self.reattach_catalogue_level_fields(root);
        if let Value::Map(entries) = &mut root.value
            && let Some((_, keys)) = entries
                .iter_mut()
                .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == "keys"))
        {
            self.reattach_key_level_fields(keys);
            if let Value::Map(keys) = &mut keys.value {
                for (name, entry) in keys {
                    let name = self.key_text(name).unwrap_or_default();
                    self.reattach_dedented_params(&name, entry);
                }
            }
        }
    }

    /// A mapping key as the loader reads it: a plain `1` and a quoted `"1"`
    /// are the same name.
    fn key_text(&self, node: &Node) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(_) | Value::Float(_) | Value::Bool => self
                .src
                .get(node.pos.start..node.pos.end)
                .map(str::to_owned),
            _ => None,
        }
    }

    /// YAML allows a key once per mapping; serde-saphyr hands repeats to
    /// us so that both definitions can be shown. The first one is kept.
    fn remove_duplicates(&mut self, node: &mut Node, within: &str) {
        match &mut node.value {
            Value::Map(entries) => {
                let mut seen: HashMap<String, Pos> = HashMap::new();
                let mut kept = Vec::with_capacity(entries.len());
                for (key, value) in std::mem::take(entries) {
                    if let Some(name) = self.key_text(&key) {
                        if let Some(first) = seen.get(&name) {
                            let first = self.location(*first);
                            self.diagnostics.push(
                                Diagnostic::error(
                                    format!("`{name}` is defined twice in {within}"),
                                    self.location(key.pos),
                                )
                                .with_label("defined again here")
                                .with_related(first, "first defined here")
                                .with_help(format!(
                                    "a name may appear once in a mapping; remove one of the two `{name}:`, or rename the second"
                                )),
                            );
                            continue;
                        }
                        seen.insert(name, key.pos);
                    }
                    kept.push((key, value));
                }
                for (key, value) in &mut kept {
                    let within = match self.key_text(key) {
                        Some(name) => format!("`{name}`"),
                        None => within.to_owned(),
                    };
                    self.remove_duplicates(value, &within);
                }
                *entries = kept;
            }
            Value::Seq(items) => {
                for item in items {
                    self.remove_duplicates(item, within);
                }
            }
            _ => {}
        }
    }

    /// Entries written at the left margin, under an empty `keys:`:
    ///
    /// ```yaml
    /// keys:
    /// users.profile:
    ///   pattern: "users:{id}"
    /// ```
    fn reattach_catalogue_level_entries(&mut self, root: &mut Node) {
        let Value::Map(entries) = &mut root.value else {
            return;
        };
        let Some(keys_at) = position_of(entries, "keys") else {
            return;
        };
        let mut moved = Vec::new();
        while let Some((key, value)) = entries.get(keys_at + 1) {
            match self.key_text(key) {
                Some(name) if !TOP_FIELDS.contains(&name.as_str()) && holds_entry(value) => {
                    moved.push(entries.remove(keys_at + 1));
                }
                _ => break,
            }
        }
        let Some((first, _)) = moved.first() else {
            return;
        };
        let (keys_key, keys) = &mut entries[keys_at];
        let keys_location = self.location(keys_key.pos);
        let here = self.location(first.pos);
        let names = self.name_list(moved.iter().map(|(k, _)| k));
        let (is, them) = if moved.len() == 1 {
            ("is", "it")
        } else {
            ("are", "them")
        };
        self.diagnostics.push(
            Diagnostic::error(
                format!(
                    "{names} {is} at column {}, the column of the catalogue's own fields, not under `keys:`",
                    here.column
                ),
                here,
            )
            .with_label("an entry of `keys`?")
            .with_related(keys_location.clone(), "`keys:` has nothing under it")
            .with_help(format!(
                "indent {names}, with the lines under {them}, by two spaces to column {}, so {} an entry under `keys:`",
                keys_location.column + 2,
                if moved.len() == 1 { "it is" } else { "each is" }
            )),
        );
        if let Value::Null = keys.value {
            keys.value = Value::Map(Vec::new());
        }
        if let Value::Map(keys) = &mut keys.value {
            keys.extend(moved);
        }
    }

    /// An entry's field written at the left margin, after `keys:`:
    ///
    /// ```yaml
    /// keys:
    ///   users.profile:
    ///     pattern: "users:{id}"
    /// params:
    ///   id: u64
    /// ```
    fn reattach_catalogue_level_fields(&mut self, root: &mut Node) {
        let Value::Map(entries) = &mut root.value else {
            return;
        };
        let Some(keys_at) = position_of(entries, "keys") else {
            return;
        };
        let mut moved = Vec::new();
        while let Some((key, _)) = entries.get(keys_at + 1) {
            match self.key_text(key) {
                // `version:` is a catalogue field too: it, and what follows
                // it, cannot be told apart from a catalogue field.
                Some(name)
                    if KEY_FIELDS.contains(&name.as_str())
                        && !TOP_FIELDS.contains(&name.as_str()) =>
                {
                    moved.push(entries.remove(keys_at + 1));
                }
                _ => break,
            }
        }
        if moved.is_empty() {
            return;
        }
        let Value::Map(keys) = &mut entries[keys_at].1.value else {
            return;
        };
        let Some((owner, entry)) = keys.last_mut() else {
            return;
        };
        self.report_misplaced_fields(
            &moved,
            owner,
            entry,
            "the column of the catalogue's own fields",
        );
        for (field, value) in moved {
            attach(entry, field, value);
        }
    }

    /// An entry's field written at the column of key names:
    ///
    /// ```yaml
    /// keys:
    ///   users.profile:
    ///     pattern: "users:{id}"
    ///   params:
    ///     id: u64
    /// ```
    ///
    /// A key may be named `params`, so only a `params:` (or other field
    /// name) that does not hold an entry of its own counts.
    fn reattach_key_level_fields(&mut self, keys: &mut Node) {
        let Value::Map(entries) = &mut keys.value else {
            return;
        };
        let mut kept: Vec<(Node, Node)> = Vec::with_capacity(entries.len());
        // Runs of misplaced fields, by the index in `kept` of their entry.
        let mut runs: Vec<(usize, Vec<(Node, Node)>)> = Vec::new();
        for (key, value) in std::mem::take(entries) {
            let misplaced = self
                .key_text(&key)
                .is_some_and(|name| KEY_FIELDS.contains(&name.as_str()))
                && !holds_entry(&value);
            if !misplaced || kept.is_empty() {
                kept.push((key, value));
                continue;
            }
            let owner = kept.len() - 1;
            match runs.last_mut() {
                Some((o, run)) if *o == owner => run.push((key, value)),
                _ => runs.push((owner, vec![(key, value)])),
            }
        }
        for (owner, run) in runs {
            let (owner_key, entry) = &mut kept[owner];
            self.report_misplaced_fields(&run, owner_key, entry, "the column of key names");
            for (field, value) in run {
                attach(entry, field, value);
            }
        }
        *entries = kept;
    }

    /// `` `a:`, `b:` `` for diagnostics.
    fn name_list<'n>(&self, keys: impl Iterator<Item = &'n Node>) -> String {
        let mut names: Vec<String> = keys
            .map(|k| format!("`{}:`", self.key_text(k).unwrap_or_default()))
            .collect();
        match names.pop() {
            Some(last) if !names.is_empty() => format!("{} and {last}", names.join(", ")),
            Some(last) => last,
            None => String::new(),
        }
    }

    /// One diagnostic for a run of fields that belong to the entry `owner`.
    fn report_misplaced_fields(
        &mut self,
        run: &[(Node, Node)],
        owner: &Node,
        entry: &Node,
        column_of: &str,
    ) {
        let Some((first, _)) = run.first() else {
            return;
        };
        let owner_name = self.key_text(owner).unwrap_or_default();
        let here = self.location(first.pos);
        let owner_location = self.location(owner.pos);
        // Where the entry's own fields are, or two columns in.
        let (column, sibling) = match &entry.value {
            Value::Map(fields)
                if fields
                    .first()
                    .is_some_and(|(k, _)| self.location(k.pos).column > owner_location.column) =>
            {
                let first_field = &fields[0].0;
                (
                    self.location(first_field.pos).column,
                    self.key_text(first_field)
                        .map(|s| format!(", like `{s}:`"))
                        .unwrap_or_default(),
                )
            }
            _ => (owner_location.column + 2, String::new()),
        };
        let names = self.name_list(run.iter().map(|(k, _)| k));
        let (is, them, belong) = if run.len() == 1 {
            ("is", "it", "it belongs")
        } else {
            ("are", "them", "they belong")
        };
        self.diagnostics.push(
            Diagnostic::error(
                format!(
                    "{names} {is} at column {}, {column_of}, not under `{owner_name}:`",
                    here.column
                ),
                here,
            )
            .with_label(format!("a field of `{owner_name}`?"))
            .with_related(owner_location, "the entry above")
            .with_help(format!(
                "indent {names}, with the lines under {them}, to column {column}{sibling}, so {belong} to `{owner_name}`"
            )),
        );
    }

    /// Parameters written at the column of `params:` itself:
    ///
    /// ```yaml
    ///   users.profile:
    ///     pattern: "users:{id}"
    ///     params:
    ///     id: u64
    /// ```
    fn reattach_dedented_params(&mut self, owner: &str, entry: &mut Node) {
        let Value::Map(fields) = &mut entry.value else {
            return;
        };
        let Some(at) = fields.iter().position(|(k, v)| {
            matches!(&k.value, Value::Str(s) if s == "params") && matches!(v.value, Value::Null)
        }) else {
            return;
        };
        let mut params = Vec::new();
        while let Some((key, _)) = fields.get(at + 1) {
            match self.key_text(key) {
                Some(name) if !KEY_FIELDS.contains(&name.as_str()) => {
                    params.push(fields.remove(at + 1));
                }
                _ => break,
            }
        }
        let Some((first, _)) = params.first() else {
            return;
        };
        let here = self.location(first.pos);
        let params_key = &fields[at].0;
        let params_location = self.location(params_key.pos);
        let column = params_location.column + 2;
        let count = params.len();
        let what = self.name_list(params.iter().map(|(k, _)| k));
        self.diagnostics.push(
            Diagnostic::error(
                format!(
                    "{what} of `{owner}` {} at column {}, the column of `params:`, not under it",
                    if count == 1 { "is" } else { "are" },
                    here.column
                ),
                here,
            )
            .with_label("a parameter?")
            .with_related(params_location, "`params:` has nothing under it")
            .with_help(format!(
                "indent the parameters under `params:` to column {column}"
            )),
        );
        let params_value = &mut fields[at].1;
        params_value.value = Value::Map(params);
    }
}

/// Where the field `name` is in a mapping's entries.
fn position_of(entries: &[(Node, Node)], name: &str) -> Option<usize> {
    entries
        .iter()
        .position(|(k, _)| matches!(&k.value, Value::Str(s) if s == name))
}

/// Whether a value under `keys:` is a catalogue entry in its own right.
fn holds_entry(value: &Node) -> bool {
    match &value.value {
        Value::Map(fields) => fields
            .iter()
            .any(|(k, _)| matches!(&k.value, Value::Str(s) if s == "pattern")),
        _ => false,
    }
}

/// Adds `field: value` to an entry, unless the entry already has that
/// field (then the misplaced one is only reported).
fn attach(entry: &mut Node, field: Node, value: Node) {
    if let Value::Null = entry.value {
        entry.value = Value::Map(Vec::new());
    }
    if let Value::Map(fields) = &mut entry.value {
        let taken = fields.iter().any(
            |(k, _)| matches!((&k.value, &field.value), (Value::Str(a), Value::Str(b)) if a == b),
        );
        if !taken {
            fields.push((field, value));
        }
    }
}
