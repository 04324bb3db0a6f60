//! The checked-in generated modules of `tests/generated/`, compiled once
//! for every test module that uses them. Each holds every key of its
//! catalogue; a test calls only some.

#[allow(dead_code)]
pub mod all_types {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/generated/all_types.rs"
    ));
}

#[allow(dead_code)]
pub mod shop {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/generated/shop_keys.rs"
    ));
}

#[allow(dead_code)]
pub mod parse_200 {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/generated/parse_200.rs"
    ));
}

#[allow(dead_code)]
pub mod policy {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/generated/policy_keys.rs"
    ));
}

#[allow(dead_code)]
pub mod bounded {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/generated/bounded.rs"
    ));
}
