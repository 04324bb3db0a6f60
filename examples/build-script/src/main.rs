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
    // An enum from its text in a key, as a query string would give it.
    let sorts = ["price-asc", "price-desc", "newest"]
        .map(|text| text.parse::<Sort>().expect("a sort of the catalogue"));
    assert_eq!(sorts, Sort::ALL);
    lines.extend(sorts.map(|sort| keys::catalog::listing(sort, 3)));
    // A hot path appends keys to one reused buffer: no allocation.
    let mut reused = String::with_capacity(64);
    for id in [42, u64::MAX] {
        reused.clear();
        keys::users::profile_into(&mut reused, id);
        assert_eq!(reused, keys::users::profile(id));
    }
    for line in lines {
        // Every key decodes back to the entry and arguments that made it.
        let key = keys::parse(&line).expect("every generated key parses");
        assert_eq!(key.render(), line, "`{}` renders its key back", key.name());
        println!("{line}");
    }
}
