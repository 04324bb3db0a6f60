//! Compiles `keys.yaml` into `$OUT_DIR/cachekeys.rs`.

fn main() {
    if let Err(error) = cachekeys::compile("keys.yaml") {
        // The error renders as a rustc-style diagnostic pointing into
        // keys.yaml; cargo shows a failing build script's stderr.
        eprintln!("{}", error.to_snippets(false));
        std::process::exit(1);
    }
}
