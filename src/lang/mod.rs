//! Key modules in other languages than Rust: Python and TypeScript.
//!
//! [`view()`] builds one serialisable description of the catalogue, the
//! single source of truth for every language; [`templates`] renders it
//! through the templates of `templates/` (or the user's own). The Rust
//! module stays with [`crate::codegen`], built as tokens.

#[cfg(feature = "cli")]
pub mod templates;
pub mod view;

pub use view::{View, view};
