//! The command-line front end: argument parsing and exit codes only. All
//! the work happens in the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::Error;
use crate::catalogue;
use crate::diagnostic::display_path;

/// Exit code: nothing to report.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings, or stale output under `--check`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: bad input or usage.
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "cachekeys",
    version,
    about = "One catalogue for every cache key: typed key functions, static collision checks, and a lint for hand-written keys.",
    after_help = "Exit codes: 0 clean, 1 findings (or stale output under --check), 2 bad input or usage."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate the Rust key module from the catalogue.
    #[command(after_help = "Examples:
  cachekeys gen                          print the module for ./keys.yaml
  cachekeys gen -o src/keys.rs           write it (only when its content changes)
  cachekeys gen --check -o src/keys.rs   in CI: exit 1 if src/keys.rs is stale

In build.rs, use the library instead: cachekeys::compile(\"keys.yaml\").")]
    Gen {
        /// The catalogue to read.
        #[arg(short, long, value_name = "FILE", default_value = "keys.yaml")]
        catalogue: PathBuf,
        /// Write the module to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Write nothing; exit 1 if FILE is missing or differs from what the catalogue generates.
        #[arg(long, requires = "out")]
        check: bool,
    },
    /// Write a starter catalogue.
    #[command(after_help = "Examples:
  cachekeys init              create ./keys.yaml
  cachekeys init -o cache/keys.yaml")]
    Init {
        /// Where to write the catalogue.
        #[arg(short, long, value_name = "FILE", default_value = "keys.yaml")]
        out: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Gen {
            catalogue,
            out,
            check,
        } => gen_command(&catalogue, out.as_deref(), check),
        Command::Init { out, force } => init(&out, force),
    };
    ExitCode::from(code)
}

/// Whether stderr wants ANSI colours.
fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

fn report(error: &Error) -> u8 {
    eprintln!("{}", error.render(color()));
    EXIT_BAD_INPUT
}

fn gen_command(catalogue_path: &Path, out: Option<&Path>, check: bool) -> u8 {
    let catalogue = match catalogue::load(catalogue_path) {
        Ok(catalogue) => catalogue,
        Err(error) => return report(&error),
    };
    let code = crate::generate(&catalogue);
    let Some(out) = out else {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error worth reporting.
        let _ = stdout.write_all(code.as_bytes()).and_then(|()| stdout.flush());
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
                eprintln!("error: `{}` does not exist\n  = help: {fix}", display_path(out));
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

const STARTER: &str = include_str!("../templates/keys.yaml");

fn init(out: &Path, force: bool) -> u8 {
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
