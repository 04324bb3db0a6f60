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

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::{Values, arg_type, render_body, root_path, runtime_path};
use crate::catalogue::{Catalogue, Strategy};

/// The `Invalidation` type and the `invalidate` module.
pub(super) fn items(catalogue: &Catalogue, helpers: &mut BTreeSet<&'static str>) -> TokenStream {
    if catalogue.entities.is_empty() {
        return TokenStream::new();
    }
    let runtime = runtime_path(1);
    let mut functions = Vec::new();
    for entity in &catalogue.entities {
        let name = Ident::new(&entity.name, Span::call_site());
        let generation_fn = Ident::new(&format!("{}_generation", entity.name), Span::call_site());
        let args: Vec<TokenStream> = entity
            .params
            .iter()
            .map(|p| {
                let ident = Ident::new(&p.name, Span::call_site());
                let ty = arg_type(p);
                quote! { #ident: #ty }
            })
            .collect();
        let arg_names: Vec<Ident> = entity
            .params
            .iter()
            .map(|p| Ident::new(&p.name, Span::call_site()))
            .collect();
        let mut doc = vec![format!(
            " What to do to the cache when one `{}` changes: the keys to delete and the",
            entity.name
        )];
        doc.push(" generation counters to increment. Per entry:".to_owned());
        doc.push(String::new());
        let mut deletes = Vec::new();
        let mut generation = false;
        for key in &catalogue.keys {
            for dep in key.depends_on.iter().filter(|d| d.entity == entity.name) {
                let path = key.rust_path();
                match &dep.strategy {
                    Strategy::Delete => {
                        doc.push(format!(
                            " - [`{path}`](super::{path}): deleted. The `{}` parameters are all of its parameters, so its one key is known.",
                            entity.name
                        ));
                        let function = root_path(key.name.split('.'));
                        let call_args = key.params.iter().map(|p| {
                            let ident = Ident::new(&p.name, Span::call_site());
                            quote! { #ident }
                        });
                        deletes.push(quote! { super::#function(#(#call_args),*) });
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
                            " - [`{path}`](super::{path}): generation counter. A `{}` does not determine {}, so its keys cannot be listed; they include the counter's value (`{}`, read from [`{generation_fn}`]), and incrementing the counter retires them all.",
                            entity.name,
                            others.join(", "),
                            key.params[*param].name
                        ));
                    }
                    Strategy::Unmapped(_) => {}
                }
            }
        }
        let incr = if generation {
            quote! { ::std::vec![#generation_fn(#(#arg_names),*)] }
        } else {
            quote! { ::std::vec::Vec::new() }
        };
        let counter = catalogue.generation_entry(entity);
        let shape = catalogue.full_pattern(&counter);
        let body = render_body(catalogue, &counter, &runtime, helpers, Values::Arguments);
        let generation_doc = [
            format!(
                " The generation counter of one `{}`: `{shape}`.",
                entity.name
            ),
            String::new(),
            " Read it (a missing counter is 0) and pass its value to the key functions".to_owned(),
            " that take it; increment it to invalidate them (memcached: `add` it as 0".to_owned(),
            " first, since its `incr` does not create keys).".to_owned(),
        ];
        functions.push(quote! {
            #(#[doc = #doc])*
            #[must_use]
            pub fn #name(#(#args),*) -> super::Invalidation {
                super::Invalidation {
                    delete: ::std::vec![#(#deletes),*],
                    incr: #incr,
                }
            }
            #(#[doc = #generation_doc])*
            #[must_use]
            pub fn #generation_fn(#(#args),*) -> ::std::string::String #body
        });
    }
    let unused = super::allow_unused();
    quote! {
        /// What to do to the cache when an entity changes, from
        /// [`invalidate`]: delete the keys in `delete`, then increment the
        /// generation counters in `incr`.
        #unused
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Invalidation {
            /// Keys to delete (`DEL`, memcached `delete`).
            pub delete: ::std::vec::Vec<::std::string::String>,
            /// Generation counters to increment (`INCR`, memcached `incr`):
            /// the keys that include them change name at once.
            pub incr: ::std::vec::Vec<::std::string::String>,
        }
        /// Invalidation per entity: which keys go when it changes, and how.
        #unused
        pub mod invalidate { #(#functions)* }
    }
}
