//! The command-line front end: argument parsing and exit codes only. All
//! the work happens in the library.

mod gen_cmd;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::Error;

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
        } => gen_cmd::run(&catalogue, out.as_deref(), check),
        Command::Init { out, force } => gen_cmd::init(&out, force),
    };
    ExitCode::from(code)
}

/// Whether stderr wants ANSI colours.
pub(crate) fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

pub(crate) fn report(error: &Error) -> u8 {
    eprintln!("{}", error.render(color()));
    EXIT_BAD_INPUT
}
