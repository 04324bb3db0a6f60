//! `cachekeys lint`: hand-written cache keys in a Rust tree.

use std::path::PathBuf;

use super::{
    EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS, Reporter, Stream, about, discover,
    no_catalogue_note, write,
};
use cachekeys::__private::report::{Format, Log, statistics};
use cachekeys::catalogue;
use cachekeys::lint::{self, Options};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The catalogue; defaults to keys.yaml here or in the nearest parent, up to the repository root.
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
    let reporter = Reporter::new(args.format);
    // Without `-c`, the catalogue is discovered as cargo finds Cargo.toml;
    // without one, the tree is still linted (CK002 to CK006), with a note.
    let mut notifications = Vec::new();
    let catalogue = match discover::resolve(args.catalogue.clone()) {
        Some(path) => match catalogue::load(path) {
            Ok(catalogue) => Some(catalogue),
            Err(error) => return reporter.fail(&error),
        },
        None => {
            notifications.push(no_catalogue_note());
            None
        }
    };
    for path in &args.paths {
        if !path.exists() {
            let shown = cachekeys::diagnostic::display_path(path);
            return reporter.fail_with(
                about(
                    path,
                    format!("`{shown}` does not exist"),
                    "pass files or directories to lint, or nothing for the current directory"
                        .to_owned(),
                ),
                EXIT_BAD_INPUT,
            );
        }
    }
    let outcome = lint::lint(&Options {
        paths: args.paths,
        catalogue,
        threads: args.threads,
    });
    let written = if args.statistics {
        // Statistics are data, like every format but the human one.
        reporter
            .notes(&notifications)
            .and_then(|()| write(Stream::Stdout, &statistics(&outcome.diagnostics)))
    } else {
        reporter.print(&Log {
            diagnostics: &outcome.diagnostics,
            sources: &outcome.sources,
            notifications: &notifications,
        })
    };
    if let Err(code) = written {
        return code;
    }
    if lint::fails(&outcome.diagnostics) && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
