//! Generated cache policy and Redis Cluster items, behind their catalogue
//! fields: a catalogue without `value`, `negative_ttl`, `ttl_jitter`, hash
//! tags or `group` generates exactly what it did before.
//!
//! - per key: `*_VALUE`, `*_NEGATIVE_TTL`, `*_TTL_JITTER_PERCENT` and a
//!   `*_ttl(seed)` function that spreads expiries;
//! - on `Key`: `ttl`, `negative_ttl`, `ttl_jittered`, `value_type`, and
//!   `slot` and `group` for Redis Cluster.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use super::runtime_path;
use crate::catalogue::names::to_shouty;
use crate::catalogue::{Catalogue, KeyEntry, Ttl};

fn duration(ttl: &Ttl) -> TokenStream {
    super::duration_tokens(ttl.seconds)
}

/// The policy items of one key, beside its function.
pub(super) fn key_items(
    key: &KeyEntry,
    depth: usize,
    helpers: &mut BTreeSet<&'static str>,
) -> TokenStream {
    let function = key.function();
    let shouty = to_shouty(function);
    let mut items = Vec::new();
    // Inside a group the module's own `allow` covers the items.
    let unused = (depth == 0).then(super::allow_unused);
    if let Some(value) = &key.value {
        let name = format_ident!("{shouty}_VALUE");
        let doc = format!(
            " The type of the value cached under [`{function}`] keys (`value:` in the catalogue): changing it needs a version bump."
        );
        items.push(quote! { #[doc = #doc] #unused pub const #name: &str = #value; });
    }
    if let Some(negative) = &key.negative_ttl {
        let name = format_ident!("{shouty}_NEGATIVE_TTL");
        let doc = format!(
            " How long a miss is cached under a [`{function}`] key ({}): store a \"does not exist\" marker for that long, so repeated misses do not reach the source of truth.",
            negative.describe()
        );
        let value = duration(negative);
        items.push(
            quote! { #[doc = #doc] #unused pub const #name: ::std::time::Duration = #value; },
        );
    }
    if let (Some(percent), Some(ttl)) = (key.ttl_jitter, &key.ttl) {
        helpers.insert("jittered_ttl");
        let runtime = runtime_path(depth);
        let name = format_ident!("{shouty}_TTL_JITTER_PERCENT");
        let function_name = Ident::new(&format!("{function}_ttl"), Span::call_site());
        let percent_lit = Literal::u8_unsuffixed(percent);
        let seconds = Literal::u64_unsuffixed(ttl.seconds);
        let doc = format!(
            " How much of the TTL of [`{function}`] keys expiries are spread over, in percent."
        );
        let fn_doc = [
            format!(
                " The expiry of one [`{function}`] key: its TTL ({}) shortened by up to {percent}%,",
                ttl.describe()
            ),
            " chosen deterministically from `seed` (pass the key's id, say), so keys written"
                .to_owned(),
            " together do not all expire together (the thundering herd). Never below one second."
                .to_owned(),
        ];
        items.push(quote! {
            #[doc = #doc]
            #unused
            pub const #name: u8 = #percent_lit;
            #(#[doc = #fn_doc])*
            #[must_use]
            #unused
            pub fn #function_name(seed: u64) -> ::std::time::Duration {
                #runtime::jittered_ttl(#seconds, #percent_lit, seed)
            }
        });
    }
    quote! { #(#items)* }
}

/// `Key` methods for the policy and cluster fields some entry uses.
pub(super) fn key_methods(
    catalogue: &Catalogue,
    helpers: &mut BTreeSet<&'static str>,
) -> TokenStream {
    let keys = &catalogue.keys;
    let variant = |k: &KeyEntry| Ident::new(&k.variant(), Span::call_site());
    let mut methods = Vec::new();
    let some_duration = |ttl: Option<&Ttl>| match ttl {
        Some(ttl) => {
            let d = duration(ttl);
            quote! { ::std::option::Option::Some(#d) }
        }
        None => quote! { ::std::option::Option::None },
    };
    let any_negative = keys.iter().any(|k| k.negative_ttl.is_some());
    let any_jitter = keys.iter().any(|k| k.ttl_jitter.is_some());
    if any_negative || any_jitter {
        let arms = keys.iter().map(|k| {
            let v = variant(k);
            let ttl = some_duration(k.ttl.as_ref());
            quote! { Self::#v { .. } => #ttl, }
        });
        methods.push(quote! {
            /// The entry's TTL; `None` when its keys do not expire.
            #[must_use]
            #[allow(clippy::match_same_arms, reason = "one arm per catalogue entry")]
            pub const fn ttl(&self) -> ::std::option::Option<::std::time::Duration> {
                match self { #(#arms)* }
            }
        });
    }
    if any_negative {
        let arms = keys.iter().map(|k| {
            let v = variant(k);
            let ttl = some_duration(k.negative_ttl.as_ref());
            quote! { Self::#v { .. } => #ttl, }
        });
        methods.push(quote! {
            /// How long a miss is cached under this key (`negative_ttl`);
            /// `None` when the entry does not cache misses.
            #[must_use]
            #[allow(clippy::match_same_arms, reason = "one arm per catalogue entry")]
            pub const fn negative_ttl(&self) -> ::std::option::Option<::std::time::Duration> {
                match self { #(#arms)* }
            }
        });
    }
    if any_jitter {
        helpers.insert("jittered_ttl");
        let arms = keys.iter().map(|k| {
            let v = variant(k);
            let body = match (&k.ttl, k.ttl_jitter) {
                (Some(ttl), Some(percent)) => {
                    let seconds = Literal::u64_unsuffixed(ttl.seconds);
                    let percent = Literal::u8_unsuffixed(percent);
                    quote! { ::std::option::Option::Some(__cachekeys::jittered_ttl(#seconds, #percent, seed)) }
                }
                (ttl, _) => some_duration(ttl.as_ref()),
            };
            quote! { Self::#v { .. } => #body, }
        });
        methods.push(quote! {
            /// The entry's TTL spread by its `ttl_jitter` from `seed`
            /// (deterministic: the same seed gives the same expiry); the
            /// plain TTL for entries without `ttl_jitter`.
            #[must_use]
            #[allow(clippy::match_same_arms, reason = "one arm per catalogue entry")]
            pub fn ttl_jittered(&self, seed: u64) -> ::std::option::Option<::std::time::Duration> {
                match self { #(#arms)* }
            }
        });
    }
    if keys.iter().any(|k| k.value.is_some()) {
        let arms = keys.iter().map(|k| {
            let v = variant(k);
            let value = match &k.value {
                Some(value) => quote! { ::std::option::Option::Some(#value) },
                None => quote! { ::std::option::Option::None },
            };
            quote! { Self::#v { .. } => #value, }
        });
        methods.push(quote! {
            /// The type of the value cached under this key (`value:`).
            #[must_use]
            #[allow(clippy::match_same_arms, reason = "one arm per catalogue entry")]
            pub const fn value_type(&self) -> ::std::option::Option<&'static str> {
                match self { #(#arms)* }
            }
        });
    }
    if crate::keyspace::slot::uses_cluster(catalogue) {
        helpers.insert("key_slot");
        methods.push(quote! {
            /// The key's Redis Cluster slot, 0 to 16383: CRC16-XMODEM of its
            /// hash tag (or of the whole key without one) modulo 16384, as
            /// `CLUSTER KEYSLOT` computes it.
            #[must_use]
            pub fn slot(&self) -> u16 {
                __cachekeys::key_slot(self.render().as_bytes())
            }
        });
        let arms = keys.iter().map(|k| {
            let v = variant(k);
            let group = match &k.group {
                Some(group) => quote! { ::std::option::Option::Some(#group) },
                None => quote! { ::std::option::Option::None },
            };
            quote! { Self::#v { .. } => #group, }
        });
        methods.push(quote! {
            /// The entry's `group`: keys of one group share a slot for the
            /// same arguments (`cachekeys check` proves it), so one
            /// multi-key command can take them all.
            #[must_use]
            #[allow(clippy::match_same_arms, reason = "one arm per catalogue entry")]
            pub const fn group(&self) -> ::std::option::Option<&'static str> {
                match self { #(#arms)* }
            }
        });
    }
    if methods.is_empty() {
        return TokenStream::new();
    }
    let unused = super::allow_unused();
    quote! {
        /// Cache policy and placement, from the catalogue's policy fields.
        #unused
        impl Key { #(#methods)* }
    }
}
