//! `cachekeys gen` and `cachekeys init`.

use std::path::{Path, PathBuf};

use super::{
    EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS, Reporter, Stream, load_catalogue, report, write,
};
use crate::Error;
use crate::diagnostic::display_path;
use crate::report::{Format, Log, Sources};

pub(crate) fn run(
    catalogue: Option<PathBuf>,
    out: Option<&Path>,
    check: bool,
    format: Format,
) -> u8 {
    // Without -o, stdout carries the module: diagnostics go to stderr.
    let reporter = Reporter {
        format,
        stream: if out.is_some() {
            Stream::Stdout
        } else {
            Stream::Stderr
        },
    };
    let catalogue = match load_catalogue(catalogue) {
        Ok(catalogue) => catalogue,
        Err(error) => return reporter.fail(&error),
    };
    let catalogue_path = catalogue.path.as_path();
    match crate::keyspace::ensure_safe(&catalogue) {
        Ok(warnings) if !warnings.is_empty() => {
            let file = crate::diagnostic::FileDiagnostics {
                path: catalogue.path.clone(),
                source: catalogue.source.clone(),
                diagnostics: warnings,
            };
            let written = if format == Format::Human {
                write(
                    Stream::Stderr,
                    &format!("{}\n", file.render(super::color()).trim_end()),
                )
            } else {
                let mut sources = Sources::default();
                sources.insert(file.path.clone(), file.source.clone());
                reporter.print(&Log {
                    diagnostics: &file.diagnostics,
                    sources: &sources,
                    notifications: &[],
                })
            };
            if let Err(code) = written {
                return code;
            }
        }
        Ok(_) => {}
        Err(error) => return reporter.fail(&error),
    }
    let code = crate::generate(&catalogue);
    let Some(out) = out else {
        return match write(Stream::Stdout, &code) {
            Ok(()) => EXIT_CLEAN,
            Err(code) => code,
        };
    };
    let fix = format!(
        "run `cachekeys gen -c {} -o {}` and commit the result",
        display_path(catalogue_path),
        display_path(out)
    );
    if check {
        return match std::fs::read(out) {
            Ok(old) if is_current(&old, &code) => EXIT_CLEAN,
            Ok(_) => {
                eprintln!(
                    "error: `{}` is stale: it differs from what `{}` generates\n  = help: {fix}",
                    display_path(out),
                    display_path(catalogue_path)
                );
                EXIT_FINDINGS
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!(
                    "error: `{}` does not exist\n  = help: {fix}",
                    display_path(out)
                );
                EXIT_FINDINGS
            }
            Err(source) => report(&Error::Read {
                path: out.to_owned(),
                source,
            }),
        };
    }
    match crate::write_if_changed(out, &code) {
        Ok(true) => {
            eprintln!(
                "cachekeys: wrote {} ({} keys)",
                display_path(out),
                catalogue.keys.len()
            );
            EXIT_CLEAN
        }
        Ok(false) => EXIT_CLEAN,
        Err(source) => report(&Error::Write {
            path: out.to_owned(),
            source,
        }),
    }
}

/// Whether checked-in code matches the generated code. Formatting-only
/// differences (say, after rustfmt) do not count, as in `sqlx prepare --check`.
fn is_current(old: &[u8], generated: &str) -> bool {
    if old == generated.as_bytes() {
        return true;
    }
    let Ok(old) = std::str::from_utf8(old) else {
        return false;
    };
    let tokens = |text: &str| {
        syn::parse_file(text).map(|file| quote::ToTokens::to_token_stream(&file).to_string())
    };
    match (tokens(old), tokens(generated)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

const STARTER: &str = include_str!("../../templates/keys.yaml");

pub(crate) fn init(out: &Path, force: bool) -> u8 {
    if out.exists() && !force {
        eprintln!(
            "error: `{}` already exists\n  = help: pass --force to overwrite it, or -o to write elsewhere",
            display_path(out)
        );
        return EXIT_BAD_INPUT;
    }
    match std::fs::write(out, STARTER) {
        Ok(()) => {
            eprintln!(
                "cachekeys: wrote {}; next: cachekeys gen -c {} -o src/keys.rs",
                display_path(out),
                display_path(out)
            );
            EXIT_CLEAN
        }
        Err(source) => report(&Error::Write {
            path: out.to_owned(),
            source,
        }),
    }
}
