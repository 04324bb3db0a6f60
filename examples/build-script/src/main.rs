//! A service that gets its cache keys from `keys.yaml`.
//!
//! `build.rs` calls `cachekeys::compile("keys.yaml")`, which writes
//! `$OUT_DIR/cachekeys.rs`; [`keys`] includes it. The crate denies
//! `missing_docs` and all warnings, so any warning in the generated code
//! fails the build.

#![deny(missing_docs, warnings)]

/// Cache keys generated from `keys.yaml`.
pub mod keys {
    include!(concat!(env!("OUT_DIR"), "/cachekeys.rs"));
}

use keys::catalog::Sort;

/// Prints one key per line, checking that each parses back.
fn main() {
    let session = 0x67E5_5044_10B1_426F_9247_BB68_0E5F_E0C8;
    let mut lines = vec![
        keys::users::profile(42),
        keys::users::profile(u64::MAX),
        keys::users::by_email("Ada.Lovelace+shop@example.com"),
        keys::users::flags(42, true),
        keys::users::flags(7, false),
        keys::sessions::session(session),
        keys::catalog::search("a b:c/100%"),
        keys::catalog::search("café"),
        keys::health(),
    ];
    lines.extend(Sort::ALL.map(|sort| keys::catalog::listing(sort, 3)));
    for line in lines {
        // Every key decodes back to the entry and arguments that made it.
        let key = keys::parse(&line).expect("every generated key parses");
        assert_eq!(key.render(), line, "`{}` renders its key back", key.name());
        println!("{line}");
    }
}
