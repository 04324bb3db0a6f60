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
//! module only adds reading, writing and cargo directives.

use std::io::{self, Write};
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
        write_if_changed(&path, &code).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }
}

/// Writes `contents` to `path` unless the file already holds exactly that,
/// so an unchanged catalogue triggers no rebuild. The write goes to a
/// temporary file in the same directory and is renamed into place, so a
/// reader never sees half a file. Returns whether it wrote.
pub fn write_if_changed(path: &Path, contents: &str) -> io::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(false);
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut file| {
            file.write_all(contents.as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map(|()| true)
}
