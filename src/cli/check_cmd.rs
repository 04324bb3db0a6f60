//! `cachekeys check`: the key space of a catalogue, proven safe or not.

use std::path::PathBuf;

use super::{EXIT_CLEAN, EXIT_FINDINGS, Reporter, load_catalogue};
use crate::diagnostic::Severity;
use crate::keyspace;
use crate::report::{Format, Log, Sources};

pub(crate) fn run(catalogue: Option<PathBuf>, format: Format) -> u8 {
    let reporter = Reporter::new(format);
    let catalogue = match load_catalogue(catalogue) {
        Ok(catalogue) => catalogue,
        Err(error) => return reporter.fail(&error),
    };
    let diagnostics = keyspace::check(&catalogue);
    let mut sources = Sources::default();
    sources.insert(catalogue.path.clone(), catalogue.source.clone());
    if let Err(code) = reporter.print(&Log {
        diagnostics: &diagnostics,
        sources: &sources,
        notifications: &[],
    }) {
        return code;
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
