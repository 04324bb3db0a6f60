//! CK011, and the generation counters' own keys.
//!
//! `depends_on: [user]` maps the entity's identifying parameters onto the
//! entry's by name and type ([`crate::catalogue::Strategy`]); where they do
//! not map, the generated invalidation could not tell which keys belong to
//! the entity, so `check` refuses it. A generation counter is a key too, so
//! it must not collide with any entry (CK004).

use super::automaton::Budget;
use super::{AMBIGUOUS_KEYS, Unsearched, coarse_key_nfa, shared_key, undecided_collision};
use crate::catalogue::{Catalogue, Strategy};
use crate::diagnostic::Diagnostic;

/// CK011: a dependency whose parameters cannot be mapped.
pub const UNMAPPABLE_DEPENDENCY: &str = crate::rules::ck011_unmappable_dependency::RULE.code;

pub(crate) fn check(
    catalogue: &Catalogue,
    budget: &mut Budget,
    unsearched: &mut Unsearched,
    out: &mut Vec<Diagnostic>,
) {
    for key in &catalogue.keys {
        for dep in &key.depends_on {
            let Strategy::Unmapped(reason) = &dep.strategy else {
                continue;
            };
            if reason.is_empty() {
                // An unknown entity: the loader reported it.
                continue;
            }
            let Some(entity) = catalogue.entities.iter().find(|e| e.name == dep.entity) else {
                continue;
            };
            let wanted: Vec<String> = entity
                .params
                .iter()
                .map(|p| format!("`{}: {}`", p.name, p.ty.name()))
                .collect();
            out.push(
                Diagnostic::error(
                    format!(
                        "`{}` depends on `{}`, but {reason}",
                        key.name, dep.entity
                    ),
                    dep.location.clone(),
                )
                .with_code(UNMAPPABLE_DEPENDENCY)
                .with_label("the entity's parameters do not map onto this key's")
                .with_related(entity.location.clone(), format!("`{}` is identified by {}", entity.name, wanted.join(", ")))
                .with_help(format!(
                    "give `{}` the parameter{} {} (same name and type), or remove `{}` from `depends_on`",
                    key.name,
                    if wanted.len() == 1 { "" } else { "s" },
                    wanted.join(", "),
                    dep.entity
                )),
            );
        }
    }
    for entity in &catalogue.entities {
        let uses_generation = catalogue.keys.iter().any(|k| {
            k.depends_on.iter().any(|d| {
                d.entity == entity.name && matches!(d.strategy, Strategy::Generation { .. })
            })
        });
        if !uses_generation {
            continue;
        }
        let counter = catalogue.generation_entry(entity);
        let counter_nfa = coarse_key_nfa(catalogue, &counter);
        for key in &catalogue.keys {
            if budget.left() == 0 {
                unsearched.note(key);
                continue;
            }
            let key_nfa = coarse_key_nfa(catalogue, key);
            let found = shared_key(catalogue, (&counter, &counter_nfa), (key, &key_nfa), budget);
            let witness = match found {
                Ok(Some(witness)) => witness,
                Ok(None) => continue,
                Err(gave_up) => {
                    out.push(undecided_collision(&counter, key, gave_up));
                    continue;
                }
            };
            {
                let rendered = String::from_utf8_lossy(&witness.key);
                out.push(
                    Diagnostic::error(
                        format!(
                            "the generation counter of `{}` and `{}` can render the same key `{rendered}`",
                            entity.name, key.name
                        ),
                        key.pattern_location.clone(),
                    )
                    .with_code(AMBIGUOUS_KEYS)
                    .with_label(format!("renders `{rendered}`"))
                    .with_related(entity.location.clone(), format!("counter keys look like `{}`", catalogue.full_pattern(&counter)))
                    .with_help("start the pattern with something other than `gen` and the separator"),
                );
            }
        }
    }
}
