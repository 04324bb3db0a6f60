//! `cachekeys lint`: hand-written cache keys in a Rust tree.

use std::path::{Path, PathBuf};

use super::{EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS, color, report};
use crate::catalogue;
use crate::lint::{self, Options};
use crate::report::{Format, statistics};

pub(crate) struct Args {
    pub catalogue: Option<PathBuf>,
    pub format: Format,
    pub statistics: bool,
    pub exit_zero: bool,
    pub threads: usize,
    pub paths: Vec<PathBuf>,
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
    if args.format.to_stderr() {
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
