//! The command-line front end: argument parsing and exit codes only. All
//! the work happens in the library.

mod check_cmd;
mod completions_cmd;
mod diff;
pub(crate) use cachekeys::__private::discover;
mod explain_cmd;
mod gen_cmd;
mod lint_cmd;
mod rules_cmd;
mod schema_cmd;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::{Parser, Subcommand, ValueEnum};

use cachekeys::__private::report::{Format, Log, error_diagnostics};
use cachekeys::Error;
use cachekeys::catalogue::{self, Catalogue};
use cachekeys::diagnostic::{Diagnostic, Location, Severity, Sources};

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
    /// When to colour diagnostics: `auto` colours a terminal unless
    /// NO_COLOR is set, or when CLICOLOR_FORCE is set.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value = "auto",
        global = true
    )]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour a terminal; NO_COLOR turns colour off, CLICOLOR_FORCE on.
    Auto,
    /// Always colour, whatever the environment says.
    Always,
    /// Never colour.
    Never,
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
        /// The catalogue; defaults to keys.yaml here or in the nearest parent, up to the repository root.
        #[arg(short, long, value_name = "FILE")]
        catalogue: Option<PathBuf>,
        /// Write the module to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Write nothing; exit 1 if FILE is missing or differs from what the catalogue generates.
        #[arg(long, requires = "out")]
        check: bool,
        /// Format of the diagnostics: on stdout with -o, on stderr when stdout carries the module.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
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
  CK007 key-meaning-changed       (--against) a key string means something else than in OLD
  CK008 ttl-over-30-days          a memcached TTL over 30 days (read as an absolute time)
  CK009 cross-slot-group          keys of one group can land in different Redis Cluster slots
  CK010 movable-hash-tag          a value can move, cut or empty a key's hash tag
  CK011 unmappable-dependency     a depends_on entity's parameters are not the entry's

Examples:
  cachekeys check                     check ./keys.yaml
  cachekeys check -c cache/keys.yaml --format json
  cachekeys check --against git:origin/main:keys.yaml   in CI: no key changes meaning without a version bump

Exits 1 when there are errors; warnings alone exit 0.")]
    Check {
        /// The catalogue; defaults to keys.yaml here or in the nearest parent, up to the repository root.
        #[arg(short, long, value_name = "FILE")]
        catalogue: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Also prove that no key string changes meaning from OLD (a file, or
        /// `git:REV:PATH` read with `git show`) without a version bump.
        #[arg(long, value_name = "OLD")]
        against: Option<String>,
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
  cachekeys lint                          lint . with the nearest keys.yaml, if any
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
  cachekeys explain-key --slot 'shop:1:cart:{42}:items'   with its Redis Cluster slot

For each key: the entry, its generated function, every argument decoded
(strings percent-decoded and quoted), the TTL and the doc. Decoding is exact:
a key decodes only if its entry's function renders exactly that text.

Exits 1 when some key matches no entry.")]
    ExplainKey {
        /// The catalogue; defaults to keys.yaml here or in the nearest parent, up to the repository root.
        #[arg(short, long, value_name = "FILE")]
        catalogue: Option<PathBuf>,
        /// Output format: the decodings and problems as one JSON object, or the problems alone in the other machine formats.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// The keys to explain.
        #[arg(value_name = "KEY", required = true)]
        keys: Vec<String>,
        /// Also print each key's Redis Cluster slot (what `CLUSTER KEYSLOT` answers).
        #[arg(long)]
        slot: bool,
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
    /// Print a shell completion script.
    #[command(after_help = "Examples:
  cachekeys completions bash > ~/.local/share/bash-completion/completions/cachekeys
  cachekeys completions zsh > ~/.zfunc/_cachekeys
  cachekeys completions fish > ~/.config/fish/completions/cachekeys.fish")]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the JSON Schema of keys.yaml, for editors and CI validators.
    #[command(after_help = "Examples:
  cachekeys schema > keys.schema.json

Then put `# yaml-language-server: $schema=keys.schema.json` on the first line
of keys.yaml for completion and validation in editors.")]
    Schema,
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let _ = COLOR.set(use_color(
        cli.color,
        std::env::var_os("NO_COLOR"),
        std::env::var_os("CLICOLOR_FORCE"),
        std::io::stderr().is_terminal(),
    ));
    let code = match cli.command {
        Command::Gen {
            catalogue,
            out,
            check,
            format,
            lang,
            template,
        } => gen_cmd::run(
            catalogue,
            out.as_deref(),
            check,
            format,
            lang,
            template.as_deref(),
        ),
        Command::Init { out, force } => gen_cmd::init(&out, force),
        Command::ExplainKey {
            catalogue,
            keys,
            format,
            slot,
        } => explain_cmd::run(catalogue, &keys, format, slot),
        Command::Check {
            catalogue,
            format,
            against,
        } => check_cmd::run(catalogue, format, against.as_deref()),
        Command::Rules { rule } => rules_cmd::run(rule.as_deref()),
        Command::Lint(args) => lint_cmd::run(args),
        Command::Completions { shell } => completions_cmd::run(shell),
        Command::Schema => schema_cmd::run(),
    };
    ExitCode::from(code)
}

static COLOR: OnceLock<bool> = OnceLock::new();

/// Whether stderr gets ANSI colours, as `--color` and the environment
/// decided.
pub(crate) fn color() -> bool {
    *COLOR.get_or_init(|| {
        use_color(
            ColorChoice::Auto,
            std::env::var_os("NO_COLOR"),
            std::env::var_os("CLICOLOR_FORCE"),
            std::io::stderr().is_terminal(),
        )
    })
}

/// `--color` against the environment: the flag's `always` and `never`
/// win; under `auto`, a non-empty NO_COLOR turns colour off
/// (no-color.org), a CLICOLOR_FORCE other than empty or `0` turns it on
/// even off a terminal (bixense.com/clicolors), and otherwise a terminal
/// gets colour.
pub(crate) fn use_color(
    choice: ColorChoice,
    no_color: Option<OsString>,
    clicolor_force: Option<OsString>,
    terminal: bool,
) -> bool {
    let set = |value: &Option<OsString>| value.as_ref().is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set(&no_color) => false,
        ColorChoice::Auto if set(&clicolor_force) && clicolor_force != Some("0".into()) => true,
        ColorChoice::Auto => terminal,
    }
}

/// Where a report goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

/// Writes `text` to `stream`. A reader that went away (a closed pipe, as
/// in `| head`) is not an error: like ripgrep, the run ends quietly with
/// the exit code its findings give. Any other failure (a full disk) is
/// `Err` with the exit code, after a message on stderr, so a truncated
/// report never passes for a whole one.
pub(crate) fn write(stream: Stream, text: &str) -> Result<(), u8> {
    let result = match stream {
        Stream::Stdout => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|()| out.flush())
        }
        Stream::Stderr => {
            let mut out = std::io::stderr().lock();
            out.write_all(text.as_bytes()).and_then(|()| out.flush())
        }
    };
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            if stream == Stream::Stdout {
                // Nothing to be done if stderr fails too.
                let diagnostic = Diagnostic::error(
                    format!("cannot write the output: {e}"),
                    Location::default(),
                )
                .with_help(
                    "check that the disk is not full and that the output file or pipe is writable",
                );
                let _ = writeln!(std::io::stderr(), "{}", diagnostic.to_snippet(None, false));
            }
            Err(EXIT_BAD_INPUT)
        }
    }
}

/// Prints a command's diagnostics in the format asked for: `human` on
/// stderr, like a compiler's messages; every other format is data, on the
/// report stream (stdout, unless stdout carries something else, such as
/// the module `gen` prints). Failures are reported the same way, so a
/// SARIF upload or a JSON consumer never gets an empty file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reporter {
    pub format: Format,
    pub stream: Stream,
}

impl Reporter {
    pub fn new(format: Format) -> Reporter {
        Reporter {
            format,
            stream: Stream::Stdout,
        }
    }

    /// Prints a run's report. Notifications are printed on stderr as notes
    /// in the formats that have no place for them.
    pub fn print(&self, log: &Log<'_>) -> Result<(), u8> {
        if matches!(self.format, Format::Human | Format::Concise) {
            self.notes(log.notifications)?;
        }
        let text = self
            .format
            .report(color() && self.format == Format::Human)
            .format_log(log);
        write(self.stream_for_format(), &text)
    }

    /// Prints notifications on stderr, one `note:` each.
    pub fn notes(&self, notifications: &[Diagnostic]) -> Result<(), u8> {
        let mut text = String::new();
        for n in notifications {
            text.push_str(&n.to_snippet(None, color()));
            text.push('\n');
        }
        write(Stream::Stderr, &text)
    }

    fn stream_for_format(&self) -> Stream {
        if self.format == Format::Human {
            Stream::Stderr
        } else {
            self.stream
        }
    }

    /// Reports an error that stopped the run and returns the exit code:
    /// 2 for bad input, 1 for a catalogue `check` finds unsafe. The human
    /// rendering always goes to stderr, so a log shows why the run stopped
    /// even when the report went to a file.
    pub fn fail(&self, error: &Error) -> u8 {
        let code = match error {
            Error::Unsafe(_) => EXIT_FINDINGS,
            _ => EXIT_BAD_INPUT,
        };
        if self.format != Format::Human {
            let mut sources = Sources::default();
            let diagnostics = error_diagnostics(error, &mut sources);
            if let Err(code) = self.print(&Log {
                diagnostics: &diagnostics,
                sources: &sources,
                notifications: &[],
            }) {
                return code;
            }
        }
        let _ = write(Stream::Stderr, &format!("{}\n", error.to_snippets(color())));
        code
    }

    /// [`Reporter::fail`] for a problem the CLI itself finds (no source
    /// snippet); returns `code`.
    pub fn fail_with(&self, diagnostic: Diagnostic, code: u8) -> u8 {
        if self.format != Format::Human
            && let Err(code) = self.print(&Log {
                diagnostics: std::slice::from_ref(&diagnostic),
                sources: &Sources::default(),
                notifications: &[],
            })
        {
            return code;
        }
        let text = diagnostic.to_snippet(None, color());
        let _ = write(Stream::Stderr, &format!("{text}\n"));
        code
    }
}

/// A problem about `path` as a whole (no line), with how to fix it.
pub(crate) fn about(path: &std::path::Path, message: String, help: String) -> Diagnostic {
    let location = Location {
        path: path.to_owned(),
        ..Location::default()
    };
    Diagnostic::error(message, location).with_help(help)
}

/// Prints an error rustc-style on stderr; exit 2.
pub(crate) fn report(error: &Error) -> u8 {
    let _ = write(Stream::Stderr, &format!("{}\n", error.to_snippets(color())));
    EXIT_BAD_INPUT
}

/// Loads the catalogue given with `-c`, or the one discovered from the
/// current directory (see [`discover`]).
pub(crate) fn load_catalogue(given: Option<PathBuf>) -> Result<Catalogue, Error> {
    match discover::resolve(given) {
        Some(path) => catalogue::load(path),
        None => Err(Error::Read {
            path: PathBuf::from(discover::CATALOGUE),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not found here or in a parent directory up to the repository root",
            ),
        }),
    }
}

/// The note for a run without a catalogue.
pub(crate) fn no_catalogue_note() -> Diagnostic {
    Diagnostic::error(
        "no catalogue: no keys.yaml here or in a parent directory up to the repository root, so CK001 (catalogue-key-by-hand) is off",
        Location::default(),
    )
    .with_severity(Severity::Note)
    .with_help("pass the catalogue with `-c FILE`, or create one with `cachekeys init`")
}

/// A usage error from clap. Help and version go out as clap prints them.
/// Otherwise clap's message goes to stderr and, when `--format` asks for a
/// machine format, the error is also reported in it on stdout: the
/// arguments are scanned for `--format` without clap, since clap stopped
/// before reading them all.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let shown = matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    let format = requested_format(std::env::args_os()).filter(|f| *f != Format::Human);
    if let (false, Some(format)) = (shown, format) {
        let diagnostics = [usage_diagnostic(&error.render().to_string())];
        if let Err(code) = Reporter::new(format).print(&Log {
            diagnostics: &diagnostics,
            sources: &Sources::default(),
            notifications: &[],
        }) {
            return ExitCode::from(code);
        }
    }
    let _ = error.print();
    // clap's codes: 0 for help and version, 2 for a usage error.
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(EXIT_BAD_INPUT))
}

/// The last valid `--format VALUE` or `--format=VALUE` before `--`.
fn requested_format(args: impl IntoIterator<Item = OsString>) -> Option<Format> {
    let mut args = args
        .into_iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned());
    let mut format = None;
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--" => break,
            "--format" => args.next(),
            other => other.strip_prefix("--format=").map(str::to_owned),
        };
        if let Some(parsed) = value.and_then(|v| Format::from_str(&v, false).ok()) {
            format = Some(parsed);
        }
    }
    format
}

/// clap's rendered error as a diagnostic about no file: its first line is
/// the message; its tip and usage lines are the help.
fn usage_diagnostic(text: &str) -> Diagnostic {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid arguments");
    let message = first.strip_prefix("error: ").unwrap_or(first);
    let help: Vec<&str> = lines
        .filter(|l| l.starts_with("tip: ") || l.starts_with("Usage: "))
        .collect();
    let help = if help.is_empty() {
        "run `cachekeys help` for the usage".to_owned()
    } else {
        help.join("; ")
    };
    Diagnostic::error(message, cachekeys::diagnostic::Location::default()).with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_follows_the_flag_then_no_color_then_clicolor_force() {
        let yes = || Some(OsString::from("1"));
        let empty = || Some(OsString::new());
        let zero = || Some(OsString::from("0"));
        use ColorChoice::{Always, Auto, Never};
        // The flag wins over the environment.
        assert!(use_color(Always, yes(), None, false));
        assert!(!use_color(Never, None, yes(), true));
        // auto: NO_COLOR beats CLICOLOR_FORCE and the terminal.
        assert!(!use_color(Auto, yes(), yes(), true));
        assert!(use_color(Auto, None, yes(), false));
        assert!(!use_color(Auto, None, zero(), false));
        assert!(!use_color(Auto, None, empty(), false));
        // An empty NO_COLOR is unset.
        assert!(use_color(Auto, empty(), None, true));
        assert!(!use_color(Auto, None, None, false));
    }

    #[test]
    fn the_format_is_found_without_clap() {
        let args = |list: &[&str]| {
            requested_format(
                std::iter::once("cachekeys")
                    .chain(list.iter().copied())
                    .map(OsString::from),
            )
        };
        assert_eq!(
            args(&["lint", "--format", "sarif", "--bogus"]),
            Some(Format::Sarif)
        );
        assert_eq!(
            args(&["lint", "--bogus", "--format=json"]),
            Some(Format::Json)
        );
        assert_eq!(
            args(&["lint", "--format", "json", "--format", "github"]),
            Some(Format::Github)
        );
        assert_eq!(args(&["lint", "--format", "nope"]), None);
        assert_eq!(args(&["lint", "--", "--format", "json"]), None);
        assert_eq!(args(&["lint", "--format"]), None);
    }

    #[test]
    fn clap_errors_become_diagnostics() {
        let d = usage_diagnostic(
            "error: unexpected argument '--bogus' found\n\n  tip: to pass '--bogus' as a value, use '-- --bogus'\n\nUsage: cachekeys lint [OPTIONS] [PATH]...\n\nFor more information, try '--help'.\n",
        );
        assert_eq!(d.message, "unexpected argument '--bogus' found");
        assert_eq!(
            d.help.as_deref(),
            Some(
                "tip: to pass '--bogus' as a value, use '-- --bogus'; Usage: cachekeys lint [OPTIONS] [PATH]..."
            )
        );
        assert_eq!(d.severity, Severity::Error);
        assert!(d.location.path.as_os_str().is_empty());
    }
}
