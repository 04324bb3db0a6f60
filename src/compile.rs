//! The gen pipeline, and its build-script front end shaped like
//! prost-build.
//!
//! Generating is four steps: load the catalogue, prove it safe, generate,
//! write. [`SafeCatalogue`] holds the first two and the last, so
//! [`compile`] and `cachekeys gen` share them and their one warning
//! policy: errors stop generation, warnings are shown and never do. Only
//! the generator between them differs (Rust here, any language in `gen`),
//! and how the warnings are shown: `cargo::warning=` lines here, the chosen
//! report format in `gen`, both from the same rendering.
//!
//! [`crate::generate`] is the pure core; the write is the safe one
//! [`crate::__private::write_if_changed`] does.

use std::path::{Path, PathBuf};

use crate::catalogue::{self, Catalogue};
use crate::diagnostic::FileDiagnostics;
use crate::error::Error;

/// Generates `$OUT_DIR/cachekeys.rs` from a catalogue and tells cargo to
/// rerun when the catalogue changes: [`Config::compile`] with the defaults.
///
/// # Examples
///
/// ```no_run
/// // build.rs: `no_run`, since only cargo sets OUT_DIR for a build script.
/// fn main() -> Result<(), cachekeys::Error> {
///     cachekeys::compile("keys.yaml")?;
///     Ok(())
/// }
/// ```
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
    /// The defaults: write `cachekeys.rs` into cargo's `OUT_DIR` and print
    /// `cargo::rerun-if-changed` for the catalogue.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = cachekeys::Config::new();
    /// config.file_name("keys.rs");
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Where to write; defaults to the `OUT_DIR` cargo gives build scripts.
    ///
    /// # Examples
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let catalogue = dir.path().join("keys.yaml");
    /// # std::fs::write(&catalogue, "keys:\n  a:\n    pattern: \"a:{id}\"\n    params: { id: u64 }\n")?;
    /// let generated = dir.path().join("generated");
    /// std::fs::create_dir(&generated)?;
    /// cachekeys::Config::new()
    ///     .out_dir(&generated)
    ///     .emit_rerun_if_changed(false)
    ///     .compile(&catalogue)?;
    /// assert!(generated.join("cachekeys.rs").is_file());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The generated file's name; defaults to `cachekeys.rs`.
    ///
    /// # Examples
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let catalogue = dir.path().join("keys.yaml");
    /// # std::fs::write(&catalogue, "keys:\n  a:\n    pattern: \"a:{id}\"\n    params: { id: u64 }\n")?;
    /// let path = cachekeys::Config::new()
    ///     .out_dir(dir.path())
    ///     .file_name("cache_keys.rs")
    ///     .emit_rerun_if_changed(false)
    ///     .compile(&catalogue)?;
    /// assert_eq!(path, dir.path().join("cache_keys.rs"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn file_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.file_name = name.into();
        self
    }

    /// Whether to print `cargo::rerun-if-changed=<catalogue>` (default on).
    /// Note that once a build script prints any rerun directive, cargo stops
    /// rerunning it for other changes in the package.
    ///
    /// # Examples
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let catalogue = dir.path().join("keys.yaml");
    /// # std::fs::write(&catalogue, "keys:\n  a:\n    pattern: \"a:{id}\"\n    params: { id: u64 }\n")?;
    /// // This build script prints its own rerun directives.
    /// println!("cargo::rerun-if-changed=build.rs");
    /// println!("cargo::rerun-if-changed={}", catalogue.display());
    /// cachekeys::Config::new()
    ///     .out_dir(dir.path())
    ///     .emit_rerun_if_changed(false)
    ///     .compile(&catalogue)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn emit_rerun_if_changed(&mut self, emit: bool) -> &mut Self {
        self.emit_rerun_if_changed = emit;
        self
    }

    /// Loads the catalogue, proves it safe, generates the module and writes
    /// it if its content changed. Returns the path of the generated file.
    /// `check`'s warnings become `cargo::warning=` lines; its errors are
    /// [`Error::Unsafe`].
    ///
    /// # Examples
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let catalogue = dir.path().join("keys.yaml");
    /// # std::fs::write(&catalogue, "keys:\n  a:\n    pattern: \"a:{id}\"\n    params: { id: u64 }\n")?;
    /// let path = cachekeys::Config::new()
    ///     .out_dir(dir.path())
    ///     .compile(&catalogue)?;
    /// assert_eq!(path, dir.path().join("cachekeys.rs"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
        let safe = SafeCatalogue::load(catalogue)?;
        for line in cargo_warnings(&safe.warnings) {
            println!("{line}");
        }
        let path = out_dir.join(&self.file_name);
        safe.write(&path, &crate::generate(&safe.catalogue))?;
        Ok(path)
    }
}

/// `check`'s warnings as `cargo::warning=` directives, one per line of
/// their rustc-style text (cargo shows each as a `warning:` line of the
/// build).
fn cargo_warnings(warnings: &FileDiagnostics) -> Vec<String> {
    if warnings.diagnostics.is_empty() {
        return Vec::new();
    }
    let text = warnings.to_snippets(false);
    text.trim_end()
        .lines()
        .map(|line| format!("cargo::warning={line}"))
        .collect()
}

/// A catalogue loaded and proven safe by `check`: what every generator
/// starts from.
#[derive(Clone, Debug)]
pub struct SafeCatalogue {
    /// The catalogue.
    pub catalogue: Catalogue,
    /// What `check` warns about (a key that may exceed a Redis limit, ...),
    /// with the catalogue's text, to be shown; they never stop generation.
    pub warnings: FileDiagnostics,
}

impl SafeCatalogue {
    /// Loads the catalogue at `path` and proves it safe: [`Error::Invalid`]
    /// when it does not load, [`Error::Unsafe`] when `check` finds errors.
    pub fn load(path: &Path) -> Result<SafeCatalogue, Error> {
        SafeCatalogue::prove(catalogue::load(path)?)
    }

    /// [`SafeCatalogue::load`] for a catalogue already loaded.
    pub fn prove(catalogue: Catalogue) -> Result<SafeCatalogue, Error> {
        let diagnostics = crate::keyspace::ensure_safe(&catalogue)?;
        let warnings = FileDiagnostics {
            path: catalogue.path.clone(),
            source: catalogue.source.clone(),
            diagnostics,
        };
        Ok(SafeCatalogue {
            catalogue,
            warnings,
        })
    }

    /// Writes `code` generated from the catalogue to `out` unless `out`
    /// holds it already, refusing to overwrite the catalogue itself.
    /// Returns whether it wrote.
    pub fn write(&self, out: &Path, code: &str) -> Result<bool, Error> {
        crate::output::write_output(out, code.as_bytes(), &[&self.catalogue.path])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Location, Severity};

    #[test]
    fn warnings_become_one_cargo_directive_per_line_of_their_text() {
        let source = "keys:\n  a:\n    pattern: \"a:{id}\"\n";
        let at = Location {
            path: "keys.yaml".into(),
            line: 3,
            column: 14,
            span: 24..32,
        };
        let warnings = FileDiagnostics {
            path: "keys.yaml".into(),
            source: source.into(),
            diagnostics: vec![
                Diagnostic::error("a key can be long", at)
                    .with_code("CK005")
                    .with_severity(Severity::Warning)
                    .with_help("set max_len"),
            ],
        };
        let lines = cargo_warnings(&warnings);
        assert_eq!(
            lines.first().map(String::as_str),
            Some("cargo::warning=warning[CK005]: a key can be long")
        );
        assert!(lines.iter().all(|l| l.starts_with("cargo::warning=")));
        assert!(
            lines.iter().any(|l| l.ends_with("--> keys.yaml:3:14")),
            "{lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l.ends_with("help: set max_len")),
            "{lines:#?}"
        );
        let none = FileDiagnostics {
            diagnostics: Vec::new(),
            ..warnings
        };
        assert!(cargo_warnings(&none).is_empty());
    }
}
