//! `cachekeys check`: the key space of a catalogue, proven safe or not.

use std::path::PathBuf;

use super::{EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS, Reporter, load_catalogue};
use cachekeys::__private::keyspace::{self, evolution::AgainstError};
use cachekeys::__private::report::{Format, Log, Sources};
use cachekeys::diagnostic::Severity;

pub(crate) fn run(catalogue: Option<PathBuf>, format: Format, against: Option<&str>) -> u8 {
    let reporter = Reporter::new(format);
    let catalogue = match load_catalogue(catalogue) {
        Ok(catalogue) => catalogue,
        Err(error) => return reporter.fail(&error),
    };
    let mut diagnostics = keyspace::check(&catalogue);
    let mut sources = Sources::default();
    sources.insert(catalogue.path.clone(), catalogue.source.clone());
    if let Some(spec) = against {
        let old = match keyspace::evolution::load_against(spec) {
            Ok(old) => old,
            Err(AgainstError::Load(error)) => return reporter.fail(&error),
            Err(AgainstError::Git(diagnostic)) => {
                return reporter.fail_with(*diagnostic, EXIT_BAD_INPUT);
            }
        };
        diagnostics.extend(keyspace::evolution::against(&old, &catalogue));
        sources.insert(old.path.clone(), old.source.clone());
    }
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
