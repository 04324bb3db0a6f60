//! `cachekeys gen` and `cachekeys init`.

use std::io::Write;
use std::path::Path;

use super::{EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS, report};
use crate::Error;
use crate::catalogue;
use crate::diagnostic::display_path;

pub(crate) fn run(catalogue_path: &Path, out: Option<&Path>, check: bool) -> u8 {
    let catalogue = match catalogue::load(catalogue_path) {
        Ok(catalogue) => catalogue,
        Err(error) => return report(&error),
    };
    match crate::keyspace::ensure_safe(&catalogue) {
        Ok(warnings) if !warnings.is_empty() => {
            let file = crate::diagnostic::FileDiagnostics {
                path: catalogue.path.clone(),
                source: catalogue.source.clone(),
                diagnostics: warnings,
            };
            eprintln!("{}", file.render(super::color()).trim_end());
        }
        Ok(_) => {}
        Err(error) => {
            eprintln!("{}", error.render(super::color()));
            return EXIT_FINDINGS;
        }
    }
    let code = crate::generate(&catalogue);
    let Some(out) = out else {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error worth reporting.
        let _ = stdout
            .write_all(code.as_bytes())
            .and_then(|()| stdout.flush());
        return EXIT_CLEAN;
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
