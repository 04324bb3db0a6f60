//! The `cachekeys` binary: a thin shell over the library.
//!
//! [`cli`] parses the arguments and maps results to exit codes. Each
//! command is one module, `cli/<command>_cmd.rs`, over the library code
//! that does the work:
//!
//! | command       | shell                 | work                                   |
//! |---------------|-----------------------|----------------------------------------|
//! | `gen`, `init` | `cli/gen_cmd.rs`      | `compile.rs` (the pipeline), `codegen/`, `lang/` |
//! | `check`       | `cli/check_cmd.rs`    | `keyspace/`                            |
//! | `lint`        | `cli/lint_cmd.rs`     | `lint/`                                |
//! | `explain-key` | `cli/explain_cmd.rs`  | `key_text.rs`                          |
//! | `rules`       | `cli/rules_cmd.rs`    | `rules/`                               |
//! | `schema`      | `cli/schema_cmd.rs`   | `schemas/keys.schema.json`             |
//! | `completions` | `cli/completions_cmd.rs` | clap_complete                       |
//!
//! Every report goes through `report/` (one file per `--format`), and every
//! human message through `diagnostic.rs`.

mod cli;

// Lint parses every candidate item with syn, whose token trees and syntax
// trees are many small allocations: a third of a run went to glibc's malloc
// and free (perf, on the bench corpus), and mimalloc halves that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
