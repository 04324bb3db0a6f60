//! `cachekeys explain-key` on keys that have an entry's shape but do not
//! decode: the hint names the argument that failed and why. One test per
//! kind of failure, each with a snapshot of the whole message.

use crate::common;

use std::path::Path;

use common::cachekeys;

/// The stderr of `explain-key KEY` against the top-level `keys.yaml`,
/// which must exit 1 and print nothing on stdout.
fn failure(key: &str) -> String {
    let output = cachekeys(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["explain-key", key])
        .assert()
        .code(1)
        .stdout("")
        .get_output()
        .stderr
        .clone();
    String::from_utf8(output).unwrap()
}

#[track_caller]
fn assert_hint(stderr: &str, expected: &str) {
    assert!(
        stderr.contains(expected),
        "expected the hint to contain {expected:?}:\n{stderr}"
    );
}

#[test]
fn not_a_number() {
    let stderr = failure("shop:1:profiles:profile:abc");
    assert_hint(
        &stderr,
        "the closest entry is `profiles.profile` (`shop:1:profiles:profile:{user_id}`), but the rest is not what it renders: `user_id`: `abc` is not a u64",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_leading_zero() {
    let stderr = failure("shop:1:feeds:home:fr:03");
    assert_hint(
        &stderr,
        "`page`: `03` is not a u32 as the key function writes it, which is `3`",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn minus_zero() {
    let stderr = failure("shop:1:catalog:price:1:-0");
    assert_hint(
        &stderr,
        "`currency_delta`: `-0` is not an i16 as the key function writes it, which is `0`",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn out_of_range() {
    let stderr = failure("shop:1:catalog:price:1:32768");
    assert_hint(
        &stderr,
        "`currency_delta`: `32768` is out of the range of i16 (-32768 to 32767)",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn beyond_u64() {
    let stderr = failure("shop:1:profiles:profile:18446744073709551616");
    assert_hint(
        &stderr,
        "`user_id`: `18446744073709551616` is out of the range of u64 (0 to 18446744073709551615)",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn an_empty_value() {
    let stderr = failure("shop:1:profiles:profile:");
    assert_hint(&stderr, "`user_id`: an empty value is not a u64");
    insta::assert_snapshot!(stderr);
}

#[test]
fn an_uppercase_uuid() {
    let stderr = failure("shop:1:users:session:67E55044-10B1-426F-9247-BB680E5FE0C8");
    assert_hint(
        &stderr,
        "`session_id`: `67E55044-10B1-426F-9247-BB680E5FE0C8` is not a uuid as the key function writes it, in lowercase: `67e55044-10b1-426f-9247-bb680e5fe0c8`",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn not_a_uuid() {
    let stderr = failure("shop:1:users:session:abc");
    assert_hint(
        &stderr,
        "`session_id`: `abc` is not a uuid: the key function writes 8-4-4-4-12 lowercase hex digits",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn an_unknown_enum_value() {
    let stderr = failure("shop:1:profiles:avatar:1:huge");
    assert_hint(
        &stderr,
        "`size`: `huge` is not one of `small`, `medium`, `large`",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn not_a_bool_and_not_a_number_both_named() {
    let stderr = failure("shop:1:users:flags:x:yes");
    assert_hint(
        &stderr,
        "`user_id`: `x` is not a u64; `beta`: `yes` is not a bool: the key function writes `true` or `false`",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn lowercase_percent_escape() {
    let stderr = failure("shop:2:users:by-email:a%3ab");
    assert_hint(
        &stderr,
        "`email`: `a%3ab` is not percent-encoded as the key function writes it: it writes `%3a` in uppercase, `%3A`",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn an_escaped_unreserved_byte() {
    let stderr = failure("shop:2:users:by-email:%41");
    assert_hint(&stderr, "`%41` is `A`, which it writes as it is");
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_byte_that_must_be_escaped() {
    let stderr = failure("shop:2:users:by-email:a b");
    assert_hint(
        &stderr,
        "`email`: `a b` is not percent-encoded as the key function writes it: it writes ` ` as `%20`",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_truncated_escape() {
    let stderr = failure("shop:2:users:by-email:a%4");
    assert_hint(&stderr, "`%4` is not `%` and two hex digits");
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_key_with_a_suffix_keeps_the_general_hint() {
    // `health` has no parameters: nothing to name, so the hint stays general.
    let stderr = failure("shop:1:health:x");
    assert_hint(
        &stderr,
        "the closest entry is `health` (`shop:1:health`), but the rest is not what it renders: values must be written exactly",
    );
}

mod properties {
    use cachekeys::__private::key_text;
    use cachekeys::catalogue;
    use proptest::prelude::*;

    fn shop() -> catalogue::Catalogue {
        catalogue::load(concat!(env!("CARGO_MANIFEST_DIR"), "/keys.yaml")).unwrap()
    }

    proptest! {
        /// Any text after a real key's start: no panic, and a near miss is
        /// only ever claimed with a reason for each argument it names.
        #[test]
        fn near_miss_never_panics(
            head in prop::sample::select(vec![
                "shop:1:profiles:profile:", "shop:2:users:by-email:",
                "shop:1:users:flags:", "shop:1:catalog:price:", "shop:1:users:session:",
            ]),
            rest in "(\\PC|%|:|-|[0-9a-fA-F]){0,40}",
        ) {
            let catalogue = shop();
            let key = format!("{head}{rest}");
            if key_text::decode(&catalogue, &key).is_empty()
                && let Some(miss) = key_text::near_miss(&catalogue, &key)
            {
                prop_assert!(!miss.failures.is_empty());
                for failure in &miss.failures {
                    prop_assert!(failure.reason.contains(" is not ") || failure.reason.contains("out of the range"));
                }
            }
        }
    }
}
