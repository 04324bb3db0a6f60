//! Generated invalidation: per entity, every key to delete and every
//! generation counter to increment when it changes.
//!
//! An entry whose parameters are all the entity's has one key per entity,
//! so it is listed and deleted. An entry with parameters the entity does
//! not determine (`feeds:{user_id}:{page}`) has keys that cannot be listed;
//! its key carries the entity's generation counter instead (the loader
//! appended `{user_gen}`), and one `INCR` of the counter moves every such
//! key to a new name at once, leaving the old ones to expire or be evicted.
//! Nothing is generated for a catalogue without `entities`.

use super::keys::{Values, params, render_body};
use super::layout::{self, line};
use super::{ALLOW_UNUSED, Helpers, runtime_path, string_type};
use crate::catalogue::{Catalogue, Strategy};

/// The `Invalidation` type and the `invalidate` module.
pub(super) fn write(out: &mut String, catalogue: &Catalogue, helpers: &mut Helpers) {
    if catalogue.entities.is_empty() {
        return;
    }
    helpers.insert("Vec");
    let list = format!("{}::Vec<{}>", runtime_path(0), string_type(0, helpers));
    layout::docs(
        out,
        0,
        &[
            "What to do to the cache when an entity changes, from",
            "[`invalidate`]: delete the keys in `delete`, then increment the",
            "generation counters in `incr`.",
        ],
    );
    line(out, 0, ALLOW_UNUSED);
    line(
        out,
        0,
        "#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]",
    );
    line(out, 0, "pub struct Invalidation {");
    layout::docs(out, 4, &["Keys to delete (`DEL`, memcached `delete`)."]);
    line(out, 4, &format!("pub delete: {list},"));
    layout::docs(
        out,
        4,
        &[
            "Generation counters to increment (`INCR`, memcached `incr`):",
            "the keys that include them change name at once.",
        ],
    );
    line(out, 4, &format!("pub incr: {list},"));
    line(out, 0, "}");
    layout::docs(
        out,
        0,
        &["Invalidation per entity: which keys go when it changes, and how."],
    );
    line(out, 0, ALLOW_UNUSED);
    line(out, 0, "pub mod invalidate {");
    let string = string_type(1, helpers);
    for entity in &catalogue.entities {
        let generation_fn = format!("{}_generation", entity.name);
        let args: Vec<String> = entity.params.iter().map(|p| p.name.clone()).collect();
        let mut doc = vec![
            format!(
                "What to do to the cache when one `{}` changes: the keys to delete and the",
                entity.name
            ),
            "generation counters to increment. Per entry:".to_owned(),
            String::new(),
        ];
        let mut pushes = Vec::new();
        let mut generation = false;
        for key in &catalogue.keys {
            for dep in key.depends_on.iter().filter(|d| d.entity == entity.name) {
                let path = key.rust_path();
                match &dep.strategy {
                    Strategy::Delete => {
                        doc.push(format!(
                            "- [`{path}`](super::{path}): deleted. The `{}` parameters are all of its parameters, so its one key is known.",
                            entity.name
                        ));
                        let call_args: Vec<&str> =
                            key.params.iter().map(|p| p.name.as_str()).collect();
                        pushes.push(("delete", format!("super::{path}({})", call_args.join(", "))));
                    }
                    Strategy::Generation { param } => {
                        generation = true;
                        let others: Vec<String> = key
                            .params
                            .iter()
                            .enumerate()
                            .filter(|(i, p)| {
                                i != param && !entity.params.iter().any(|e| e.name == p.name)
                            })
                            .map(|(_, p)| format!("`{}`", p.name))
                            .collect();
                        doc.push(format!(
                            "- [`{path}`](super::{path}): generation counter. A `{}` does not determine {}, so its keys cannot be listed; they include the counter's value (`{}`, read from [`{generation_fn}`]), and incrementing the counter retires them all.",
                            entity.name,
                            others.join(", "),
                            key.params[*param].name
                        ));
                    }
                    Strategy::Unmapped(_) => {}
                }
            }
        }
        if generation {
            pushes.push(("incr", format!("{generation_fn}({})", args.join(", "))));
        }
        layout::docs(out, 4, &doc);
        line(out, 4, "#[must_use]");
        let entity_params = params(&catalogue.generation_entry(entity));
        layout::signature(
            out,
            4,
            &format!("pub fn {}", entity.name),
            &entity_params,
            " -> super::Invalidation {",
        );
        if pushes.is_empty() {
            line(out, 8, "super::Invalidation::default()");
        } else {
            line(
                out,
                8,
                "let mut invalidation = super::Invalidation::default();",
            );
            for (list, value) in &pushes {
                layout::call(
                    out,
                    8,
                    &format!("invalidation.{list}.push"),
                    std::slice::from_ref(value),
                    ";",
                );
            }
            line(out, 8, "invalidation");
        }
        line(out, 4, "}");

        let counter = catalogue.generation_entry(entity);
        let shape = catalogue.full_pattern(&counter);
        layout::docs(
            out,
            4,
            &[
                format!(
                    "The generation counter of one `{}`: `{shape}`.",
                    entity.name
                ),
                String::new(),
                "Read it (a missing counter is 0) and pass its value to the key functions"
                    .to_owned(),
                "that take it; increment it to invalidate them (memcached: `add` it as 0"
                    .to_owned(),
                "first, since its `incr` does not create keys).".to_owned(),
            ],
        );
        line(out, 4, "#[must_use]");
        layout::signature(
            out,
            4,
            &format!("pub fn {generation_fn}"),
            &entity_params,
            &format!(" -> {string} {{"),
        );
        line(out, 8, &format!("let mut key_ = {string}::new();"));
        render_body(
            out,
            8,
            catalogue,
            &counter,
            1,
            helpers,
            Values::Arguments,
            "&mut key_",
        );
        line(out, 8, "key_");
        line(out, 4, "}");
    }
    line(out, 0, "}");
}
