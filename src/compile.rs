//! The build-script entry points, shaped like prost-build.
//!
//! ```no_run
//! // In build.rs:
//! if let Err(error) = cachekeys::compile("keys.yaml") {
//!     eprintln!("{error}");
//!     std::process::exit(1);
//! }
//! ```
//!
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/cachekeys.rs"));`.
//! [`Config`] covers the rest. [`crate::generate`] is the pure core; this
//! module only adds reading, writing and cargo directives; the write is
//! the same safe one `gen -o` does ([`crate::write_if_changed`]).

use std::path::{Path, PathBuf};

use crate::catalogue;
use crate::error::Error;

/// Generates `$OUT_DIR/cachekeys.rs` from a catalogue and tells cargo to
/// rerun when the catalogue changes.
pub fn compile(catalogue: impl AsRef<Path>) -> Result<PathBuf, Error> {
    Config::new().compile(catalogue)
}

/// Options for [`compile`], set with `&mut self` setters.
#[derive(Clone, Debug)]
pub struct Config {
    out_dir: Option<PathBuf>,
    file_name: String,
    emit_rerun_if_changed: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            out_dir: None,
            file_name: "cachekeys.rs".to_owned(),
            emit_rerun_if_changed: true,
        }
    }
}

impl Config {
    pub fn new() -> Self {
        Self::default()
    }

    /// Where to write; defaults to the `OUT_DIR` cargo gives build scripts.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The generated file's name; defaults to `cachekeys.rs`.
    pub fn file_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.file_name = name.into();
        self
    }

    /// Whether to print `cargo::rerun-if-changed=<catalogue>` (default on).
    /// Note that once a build script prints any rerun directive, cargo stops
    /// rerunning it for other changes in the package.
    pub fn emit_rerun_if_changed(&mut self, emit: bool) -> &mut Self {
        self.emit_rerun_if_changed = emit;
        self
    }

    /// Loads the catalogue, generates the module and writes it if its
    /// content changed. Returns the path of the generated file.
    pub fn compile(&self, catalogue: impl AsRef<Path>) -> Result<PathBuf, Error> {
        let catalogue = catalogue.as_ref();
        if self.emit_rerun_if_changed {
            println!("cargo::rerun-if-changed={}", catalogue.display());
        }
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(Error::NoOutDir)?,
        };
        let catalogue_path = catalogue;
        let catalogue = catalogue::load(catalogue)?;
        for warning in crate::keyspace::ensure_safe(&catalogue)? {
            let at = &warning.location;
            println!(
                "cargo::warning={} ({}:{}:{})",
                warning.message,
                crate::diagnostic::display_path(&at.path),
                at.line,
                at.column
            );
        }
        let code = crate::generate(&catalogue);
        let path = out_dir.join(&self.file_name);
        crate::output::write_output(&path, code.as_bytes(), &[catalogue_path])?;
        Ok(path)
    }
}
