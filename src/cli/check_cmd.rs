//! `cachekeys check`: the key space of a catalogue, proven safe or not.

use std::path::Path;

use super::{EXIT_CLEAN, EXIT_FINDINGS, color, report};
use crate::catalogue;
use crate::diagnostic::Severity;
use crate::keyspace;
use crate::report::{Format, Sources, render};

pub(crate) fn run(catalogue_path: &Path, format: Format, against: Option<&str>) -> u8 {
    let catalogue = match catalogue::load(catalogue_path) {
        Ok(catalogue) => catalogue,
        Err(error) => return report(&error),
    };
    let mut diagnostics = keyspace::check(&catalogue);
    let mut sources = Sources::default();
    sources.insert(catalogue.path.clone(), catalogue.source.clone());
    if let Some(spec) = against {
        let old = match keyspace::evolution::load_against(spec, color()) {
            Ok(old) => old,
            Err(message) => {
                eprintln!("{message}");
                return super::EXIT_BAD_INPUT;
            }
        };
        diagnostics.extend(keyspace::evolution::against(&old, &catalogue));
        sources.insert(old.path.clone(), old.source.clone());
    }
    let text = render(format, &diagnostics, &sources, color());
    if format.to_stderr() {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
