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
//! - [`catalogue`]: the model, YAML loading and validation.
//! - [`codegen`]: the pure generator, [`generate`].
//! - [`compile`] and [`Config`]: the build-script front end.
//! - [`write_if_changed`]: the safe write `compile`, `gen -o` and `init -o`
//!   share (regular files or new paths only, symlinks followed).
//! - [`diagnostic`]: the one diagnostic model every report renders.
//! - [`lang`]: Python and TypeScript key modules, from templates.
//! - [`render`]: rendering and decoding keys at run time, with the very
//!   helpers the generated code uses.
//! - [`rules`]: the registry of every rule code and its documentation.

pub mod catalogue;
pub mod codegen;
mod compile;
pub mod diagnostic;
mod error;
pub mod render;
pub mod rules;

pub use codegen::generate;
pub use compile::{Config, compile};
pub use error::Error;
mod output;
pub use output::{Refusal, write_if_changed};

#[cfg(feature = "cli")]
pub mod cli;
pub mod keyspace;
pub mod lang;
#[cfg(feature = "cli")]
pub mod lint;
#[cfg(feature = "cli")]
pub mod report;
