//! `cachekeys lint`: hand-written cache keys in a Rust tree.

use std::path::{Path, PathBuf};

use super::{EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS, color, report};
use crate::catalogue;
use crate::lint::{self, Options};
use crate::report::{Format, statistics};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The catalogue; defaults to ./keys.yaml when it exists.
    #[arg(short, long, value_name = "FILE")]
    catalogue: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    exit_zero: bool,
    /// Worker threads (0: one per core).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    threads: usize,
    /// Files and directories to lint.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
}

pub(crate) fn run(args: Args) -> u8 {
    // `-c` defaults to ./keys.yaml when it exists; without a catalogue the
    // tree is still linted (CK002 to CK006).
    let catalogue_path = args.catalogue.clone().or_else(|| {
        Path::new("keys.yaml")
            .is_file()
            .then(|| PathBuf::from("keys.yaml"))
    });
    let catalogue = match catalogue_path.map(catalogue::load).transpose() {
        Ok(catalogue) => catalogue,
        Err(error) => return report(&error),
    };
    for path in &args.paths {
        if !path.exists() {
            eprintln!(
                "error: `{}` does not exist\n  = help: pass files or directories to lint, or nothing for the current directory",
                crate::diagnostic::display_path(path)
            );
            return EXIT_BAD_INPUT;
        }
    }
    let outcome = lint::lint(&Options {
        paths: args.paths,
        catalogue,
        threads: args.threads,
    });
    let text = if args.statistics {
        statistics(&outcome.diagnostics)
    } else {
        args.format
            .report(color() && args.format.to_stderr())
            .render(&outcome.diagnostics, &outcome.sources)
    };
    // Statistics are data, like every format but the human one.
    if args.format.to_stderr() && !args.statistics {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    if lint::fails(&outcome.diagnostics) && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
