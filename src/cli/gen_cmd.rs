//! `cachekeys gen` and `cachekeys init`.

use std::path::{Path, PathBuf};

use super::{
    EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS, Reporter, Stream, load_catalogue, report, write,
};
use crate::diagnostic::display_path;
use crate::report::{Format, Log, Sources};

/// The languages `gen --lang` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Lang {
    Rust,
    Python,
    Typescript,
    /// The view templates are rendered with, as JSON.
    Json,
}

impl Lang {
    fn name(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::Python => "python",
            Lang::Typescript => "typescript",
            Lang::Json => "json",
        }
    }
}

pub(crate) fn run(
    catalogue: Option<PathBuf>,
    out: Option<&Path>,
    check: bool,
    format: Format,
    lang: Lang,
    template: Option<&Path>,
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
    let language = match lang {
        Lang::Python => Some(crate::lang::templates::Language::Python),
        Lang::Typescript => Some(crate::lang::templates::Language::TypeScript),
        Lang::Rust | Lang::Json => None,
    };
    let code = match (language, template) {
        (Some(language), _) => {
            match crate::lang::templates::render(&catalogue, language, template) {
                Ok(code) => code,
                Err(error) => return reporter.fail_with(&error.to_string(), EXIT_BAD_INPUT),
            }
        }
        (None, Some(_)) => {
            return reporter.fail_with(
                "error: --template applies to --lang python and --lang typescript\n  = help: the Rust module is built without templates; drop --template, or add --lang python",
                EXIT_BAD_INPUT,
            );
        }
        (None, None) if lang == Lang::Json => {
            let view = crate::lang::view(&catalogue);
            match serde_json::to_string_pretty(&view) {
                Ok(json) => json + "\n",
                Err(error) => {
                    return reporter.fail_with(
                        &format!("error: cannot serialise the view: {error}"),
                        EXIT_BAD_INPUT,
                    );
                }
            }
        }
        (None, None) => crate::generate(&catalogue),
    };
    let Some(out) = out else {
        return match write(Stream::Stdout, &code) {
            Ok(()) => EXIT_CLEAN,
            Err(code) => code,
        };
    };
    if check {
        let flags = match (lang, template) {
            (Lang::Rust, _) => String::new(),
            (_, None) => format!(" --lang {}", lang.name()),
            (_, Some(dir)) => format!(" --lang {} --template {}", lang.name(), display_path(dir)),
        };
        return check_fresh(&reporter, catalogue_path, out, &code, &flags);
    }
    match crate::output::write_output(out, code.as_bytes(), &[catalogue_path]) {
        Ok(true) => {
            eprintln!(
                "cachekeys: wrote {} ({} keys)",
                display_path(out),
                catalogue.keys.len()
            );
            EXIT_CLEAN
        }
        Ok(false) => EXIT_CLEAN,
        Err(error) => reporter.fail(&error),
    }
}

/// Lines of diff `gen --check` shows before it summarises the rest.
const DIFF_LINES: usize = 60;
/// How far past the generated length `gen --check` reads a stale file, so
/// an appended tail still shows in the diff; the read stays bounded.
const DIFF_SLACK: u64 = 64 * 1024;

/// `gen --check`: exit 0 when `out` holds exactly the generated bytes, else
/// 1 with a diff and the command that fixes it.
fn check_fresh(
    reporter: &Reporter,
    catalogue_path: &Path,
    out: &Path,
    code: &str,
    flags: &str,
) -> u8 {
    let fix = format!(
        "run `cachekeys gen{flags} -c {} -o {}` and commit the result",
        display_path(catalogue_path),
        display_path(out)
    );
    let output = match crate::output::Output::inspect(out, &[catalogue_path]) {
        Ok(output) => output,
        Err(error) => return reporter.fail(&error),
    };
    let limit = code.len() as u64 + DIFF_SLACK;
    let old = match output.read_existing(limit) {
        Ok(Some(old)) if old == code.as_bytes() => return EXIT_CLEAN,
        Ok(Some(old)) => old,
        Ok(None) => {
            let shown = display_path(out);
            return reporter.fail_with(
                &format!("error: `{shown}` does not exist\n  --> {shown}\n  = help: {fix}"),
                EXIT_FINDINGS,
            );
        }
        Err(error) => return reporter.fail(&error),
    };
    let shown = display_path(out);
    let compared = old.len();
    let old = String::from_utf8_lossy(&old);
    // Git's autocrlf rewrites line endings on checkout. A diff of that
    // would change every line and show nothing visible, so say it instead.
    let diff = if old.contains("\r\n") && old.replace("\r\n", "\n") == code {
        format!(
            "  = note: only the line endings differ: `{shown}` has CRLF, the generated module LF\n  = help: add `{shown} text eol=lf` to .gitattributes so git checks it out as written\n"
        )
    } else {
        let mut diff = super::diff::unified(
            &old,
            code,
            &shown,
            &format!("{shown} (generated from {})", display_path(catalogue_path)),
            DIFF_LINES,
        );
        if output
            .existing_len()
            .is_some_and(|len| len > compared as u64)
        {
            diff.push_str(&format!(
                "... (only the first {compared} bytes of `{shown}` were compared)\n"
            ));
        }
        if super::color() {
            super::diff::paint(&diff)
        } else {
            diff
        }
    };
    // The first line that differs, so annotations (`--format github`) and
    // SARIF results land where the diff starts.
    let first = old
        .lines()
        .zip(code.lines())
        .take_while(|(old, new)| old == new)
        .count()
        + 1;
    reporter.fail_with(
        &format!(
            "error: `{shown}` is stale: it differs from what `{}` generates\n  --> {shown}:{first}:1\n{diff}  = help: {fix}",
            display_path(catalogue_path)
        ),
        EXIT_FINDINGS,
    )
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
    match crate::output::write_output(out, STARTER.as_bytes(), &[]) {
        Ok(_) => {
            eprintln!(
                "cachekeys: wrote {}; next: cachekeys gen -c {} -o src/keys.rs",
                display_path(out),
                display_path(out)
            );
            EXIT_CLEAN
        }
        Err(error) => report(&error),
    }
}
