//! The `cachekeys` binary: a thin shell over the library.

fn main() -> std::process::ExitCode {
    cachekeys::cli::main()
}
