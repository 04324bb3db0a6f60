//! The command-line front end: argument parsing and exit codes only. All
//! the work happens in the library.

mod check_cmd;
mod diff;
mod explain_cmd;
mod gen_cmd;
mod lint_cmd;
mod rules_cmd;

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
    /// Generate the key module (Rust, Python or TypeScript) from the catalogue.
    #[command(after_help = "Examples:
  cachekeys gen                          print the module for ./keys.yaml
  cachekeys gen -o src/keys.rs           write it (only when its content changes)
  cachekeys gen --check -o src/keys.rs   in CI: exit 1 if src/keys.rs is stale
  cachekeys gen --lang python -o app/cache_keys.py
  cachekeys gen --lang typescript -o web/src/cacheKeys.ts

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
        /// The language of the module; `json` prints the view that templates render.
        #[arg(long, value_enum, default_value = "rust")]
        lang: gen_cmd::Lang,
        /// Render from DIR/python/keys.py.j2 or DIR/typescript/keys.ts.j2 instead of the built-in templates.
        #[arg(long, value_name = "DIR")]
        template: Option<PathBuf>,
    },
    /// Prove the catalogue's key space safe: no collisions, no separator in
    /// values, no key over the store's limits.
    #[command(after_help = "Rules:
  CK003 separator-collision       a parameter can render the separator
  CK004 ambiguous-keys            two argument lists (of one or two entries) render the same key
  CK005 key-too-long              a key can exceed the target store's limit
  CK006 forbidden-key-characters  whitespace or control characters in a key

Examples:
  cachekeys check                     check ./keys.yaml
  cachekeys check -c cache/keys.yaml --format json

Exits 1 when there are errors; warnings alone exit 0.")]
    Check {
        /// The catalogue to read.
        #[arg(short, long, value_name = "FILE", default_value = "keys.yaml")]
        catalogue: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: crate::report::Format,
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
    /// Find cache keys written by hand in a Rust tree.
    #[command(
        after_help = "Rules: run `cachekeys rules`; one rule's documentation: `cachekeys rules CK003`.

Suppress a finding with `// cachekeys: ignore[CK002] reason` on its line or
the line above, or a whole file with `// cachekeys: file-ignore[CK003]`.
The catalogue's `lint:` section takes `ignore: [codes]`, `exclude: [globs]`
and `separators: [chars]`.

Examples:
  cachekeys lint                          lint . with ./keys.yaml if present
  cachekeys lint src/ crates/api/src
  cachekeys lint --format sarif > cachekeys.sarif
  cachekeys lint --format github          annotations in a GitHub Actions job

Every finding fails the run (exit 1), warnings included; --exit-zero reports
without failing."
    )]
    Lint(lint_cmd::Args),
    /// Decode keys: which entry renders each one, and with what arguments.
    #[command(after_help = "Examples:
  cachekeys explain-key shop:1:profiles:profile:42
  cachekeys explain-key -c cache/keys.yaml 'shop:2:users:by-email:A%3Ab%20c%40x'
  redis-cli --scan --pattern 'shop:*' | xargs cachekeys explain-key

For each key: the entry, its generated function, every argument decoded
(strings percent-decoded and quoted), the TTL and the doc. Decoding is exact:
a key decodes only if its entry's function renders exactly that text.

Exits 1 when some key matches no entry.")]
    ExplainKey {
        /// The catalogue to read.
        #[arg(short, long, value_name = "FILE", default_value = "keys.yaml")]
        catalogue: PathBuf,
        /// The keys to explain.
        #[arg(value_name = "KEY", required = true)]
        keys: Vec<String>,
    },
    /// List every rule, or print one rule's documentation.
    #[command(after_help = "Examples:
  cachekeys rules                       every rule: code, name, severity in lint, summary
  cachekeys rules CK003                 one rule's documentation, as Markdown
  cachekeys rules separator-collision   the same rule, by name")]
    Rules {
        /// A rule's code (`CK003`) or kebab-case name (`separator-collision`).
        #[arg(value_name = "CODE")]
        rule: Option<String>,
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
            lang,
            template,
        } => gen_cmd::run(&catalogue, out.as_deref(), check, lang, template.as_deref()),
        Command::Init { out, force } => gen_cmd::init(&out, force),
        Command::ExplainKey { catalogue, keys } => explain_cmd::run(&catalogue, &keys),
        Command::Check { catalogue, format } => check_cmd::run(&catalogue, format),
        Command::Rules { rule } => rules_cmd::run(rule.as_deref()),
        Command::Lint(args) => lint_cmd::run(args),
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
