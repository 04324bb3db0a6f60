//! The integration tests, as one test crate with a module per area.
//!
//! One crate links the library once: thirty test binaries each linking the
//! whole library was much of CI's build time (ripgrep keeps its tests the
//! same way). Each module keeps the `//!` doc of the file it was; fixtures
//! stay beside this folder (`tests/fixtures`, `tests/generated`,
//! `tests/languages`, `tests/schemas`), and snapshots live in
//! `tests/it/snapshots`, named `it__<module>__<name>.snap`.
//!
//! Run one area with `cargo test --test it <module>::`, e.g.
//! `cargo test --test it check_rules::`.

mod common;
mod generated;
mod servers;

mod catalogue_errors;
mod check_cli;
mod check_rules;
mod ci_path;
mod cli;
mod evolution;
mod example_build_script;
mod explain_key;
mod explain_key_failures;
mod gen_write;
mod generated_code;
mod integrations;
mod invalidation;
mod key_bounds;
mod languages;
mod lint_cli;
mod lint_detect;
mod lint_foreign;
mod lint_migration;
mod lint_prefilter;
mod lint_robustness;
mod lint_rules;
mod lint_suppressions;
mod machine_output;
mod memcached;
mod parse_roundtrip;
mod policy;
mod redis_cluster;
mod render_many_sites;
mod report_formats;
mod rules_cmd;
