//! cachekeys: every cache key format in one catalogue.
//!
//! A YAML catalogue (`keys.yaml`) lists each key family once: its pattern,
//! its typed parameters, its TTL. From it cachekeys generates one Rust
//! function per key, proves that no two keys can collide, and finds keys
//! still written by hand.
//!
//! The library is what build scripts use; with `default-features = false`
//! it compiles without the CLI's argument parser and directory walker.
//!
//! # In a build script
//!
//! ```
//! # let dir = tempfile::tempdir()?;
//! # let catalogue = dir.path().join("keys.yaml");
//! # std::fs::write(&catalogue, "keys:\n  users.profile:\n    pattern: \"users:{id}:profile\"\n    params: { id: u64 }\n")?;
//! # let out_dir = dir.path();
//! // build.rs; `out_dir` defaults to cargo's OUT_DIR.
//! let generated = cachekeys::Config::new()
//!     .out_dir(out_dir)
//!     .compile(&catalogue)?;
//! assert!(generated.ends_with("cachekeys.rs"));
//! assert!(std::fs::read_to_string(&generated)?.contains("pub fn profile("));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/cachekeys.rs"));`.
//!
//! # The API
//!
//! - [`compile`], [`Config`]: the build-script front end, shaped like
//!   prost-build; [`generate`] is its pure core.
//! - [`catalogue`]: the model, YAML loading and validation.
//! - [`check`]: the proof that no two keys of a catalogue can collide.
//! - [`lint`] (feature `cli`): hand-written keys in a Rust tree.
//! - [`diagnostic`]: the one model every problem is reported in, and its
//!   rustc-style rendering; [`Error`] is what stops a run.
//!
//! Everything else (the report formats, the run-time decoder, the language
//! templates) serves the `cachekeys` binary and is not part of the API.

#![warn(missing_docs)]

pub mod catalogue;
mod codegen;
mod compile;
pub mod diagnostic;
#[cfg(feature = "cli")]
mod discover;
mod error;
mod key_text;
mod keyspace;
#[cfg(feature = "cli")]
mod lang;
#[cfg(feature = "cli")]
pub mod lint;
mod output;
#[cfg(feature = "cli")]
mod report;
mod rules;

pub use codegen::generate;
pub use compile::{Config, compile};
pub use error::Error;
pub use keyspace::check;
pub use output::Refusal;

/// What the `cachekeys` binary and the integration tests need beyond the
/// API: not covered by semver, and hidden from the documentation.
#[doc(hidden)]
pub mod __private {
    pub use crate::catalogue::names::did_you_mean;
    pub use crate::compile::SafeCatalogue;
    pub use crate::output::{Output, write_if_changed};

    /// Where the catalogue and the repository root are.
    #[cfg(feature = "cli")]
    pub mod discover {
        pub use crate::discover::*;
    }

    /// Keys at run time from a loaded catalogue.
    pub mod key_text {
        pub use crate::key_text::*;
    }
    /// The key-space proofs behind [`crate::check`].
    pub mod keyspace {
        pub use crate::keyspace::{check, max_key_len};
        /// `check --against`.
        pub mod evolution {
            pub use crate::keyspace::evolution::{
                AgainstError, MEANING_CHANGED, against, load_against,
            };
        }
        /// Redis Cluster slots.
        pub mod slot {
            pub use crate::keyspace::slot::uses_cluster;
        }
    }
    /// The registry of rule codes.
    pub mod rules {
        pub use crate::rules::{ALL, Rule, find};
    }
    /// Python and TypeScript modules.
    #[cfg(feature = "cli")]
    pub mod lang {
        pub use crate::lang::templates::{Language, generate};
        pub use crate::lang::view;
    }
    /// The output formats.
    #[cfg(feature = "cli")]
    pub mod report {
        pub use crate::report::*;
    }
    /// The lint pipeline's stages, for tests of each.
    #[cfg(feature = "cli")]
    pub mod lint {
        /// The sites lint takes for keys, in path and source order.
        pub fn key_sites(options: &crate::lint::Options) -> Vec<extract::Site> {
            crate::lint::key_sites(options)
        }
        /// The byte-level trigger search.
        pub mod prefilter {
            pub use crate::lint::prefilter::Prefilter;
        }
        /// Sites and sinks read from a file.
        pub mod extract {
            pub use crate::lint::extract::{Site, extract, extract_file};
        }
        /// Where values flow across the tree.
        pub mod flow {
            pub use crate::lint::flow::{Dest, TypeRef};
        }
        /// The store types receivers are typed by.
        pub mod stores {
            pub use crate::lint::stores::DeclaredSinks;
        }
        /// The shape of a key's text.
        pub mod template {
            pub use crate::lint::template::{DEFAULT_SEPARATORS, Shape, shape};
        }
    }
}
