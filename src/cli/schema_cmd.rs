//! `cachekeys schema`: the JSON Schema of `keys.yaml`, so editors
//! (yaml-language-server) complete and validate catalogues as they are
//! typed. The schema is a file in the repository, `schemas/keys.schema.json`,
//! written by hand; tests check it against the loader in both directions.

use std::io::Write;

use super::{EXIT_BAD_INPUT, EXIT_CLEAN};

/// The schema, draft 2020-12.
pub(crate) const SCHEMA: &str = include_str!("../../schemas/keys.schema.json");

pub(crate) fn run() -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(SCHEMA.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => EXIT_CLEAN,
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(e) => {
            eprintln!("error: cannot write the schema: {e}");
            EXIT_BAD_INPUT
        }
    }
}
