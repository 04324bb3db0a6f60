//! `cachekeys explain-key` on keys that have an entry's shape but do not
//! decode: the hint names the argument that failed and why. One case per
//! kind of failure in a table, each with a snapshot of the whole message.

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

/// A key that has an entry's shape but does not decode, and the hint that
/// must name why.
struct Failure {
    /// The case's name, reported when it fails, and its snapshot's name.
    name: &'static str,
    /// The key given to `explain-key`.
    key: &'static str,
    /// Text the hint must hold.
    hint: &'static str,
    /// Whether the whole message is snapshot, as `<name>.snap`.
    snapshot: bool,
}

common::named_rows!(Failure);

/// One case per kind of failure.
const FAILURES: &[Failure] = &[
    Failure {
        name: "not_a_number",
        key: "shop:1:profiles:profile:abc",
        hint: "the closest entry is `profiles.profile` (`shop:1:profiles:profile:{user_id}`), but the rest is not what it renders: `user_id`: `abc` is not a u64",
        snapshot: true,
    },
    Failure {
        name: "a_leading_zero",
        key: "shop:1:feeds:home:fr:03",
        hint: "`page`: `03` is not a u32 as the key function writes it, which is `3`",
        snapshot: true,
    },
    Failure {
        name: "minus_zero",
        key: "shop:1:catalog:price:1:-0",
        hint: "`currency_delta`: `-0` is not an i16 as the key function writes it, which is `0`",
        snapshot: true,
    },
    Failure {
        name: "out_of_range",
        key: "shop:1:catalog:price:1:32768",
        hint: "`currency_delta`: `32768` is out of the range of i16 (-32768 to 32767)",
        snapshot: true,
    },
    Failure {
        name: "beyond_u64",
        key: "shop:1:profiles:profile:18446744073709551616",
        hint: "`user_id`: `18446744073709551616` is out of the range of u64 (0 to 18446744073709551615)",
        snapshot: true,
    },
    Failure {
        name: "an_empty_value",
        key: "shop:1:profiles:profile:",
        hint: "`user_id`: an empty value is not a u64",
        snapshot: true,
    },
    Failure {
        name: "an_uppercase_uuid",
        key: "shop:1:users:session:67E55044-10B1-426F-9247-BB680E5FE0C8",
        hint: "`session_id`: `67E55044-10B1-426F-9247-BB680E5FE0C8` is not a uuid as the key function writes it, in lowercase: `67e55044-10b1-426f-9247-bb680e5fe0c8`",
        snapshot: true,
    },
    Failure {
        name: "not_a_uuid",
        key: "shop:1:users:session:abc",
        hint: "`session_id`: `abc` is not a uuid: the key function writes 8-4-4-4-12 lowercase hex digits",
        snapshot: true,
    },
    Failure {
        name: "an_unknown_enum_value",
        key: "shop:1:profiles:avatar:1:huge",
        hint: "`size`: `huge` is not one of `small`, `medium`, `large`",
        snapshot: true,
    },
    Failure {
        name: "not_a_bool_and_not_a_number_both_named",
        key: "shop:1:users:flags:x:yes",
        hint: "`user_id`: `x` is not a u64; `beta`: `yes` is not a bool: the key function writes `true` or `false`",
        snapshot: true,
    },
    Failure {
        name: "lowercase_percent_escape",
        key: "shop:2:users:by-email:a%3ab",
        hint: "`email`: `a%3ab` is not percent-encoded as the key function writes it: it writes `%3a` in uppercase, `%3A`",
        snapshot: true,
    },
    Failure {
        name: "an_escaped_unreserved_byte",
        key: "shop:2:users:by-email:%41",
        hint: "`%41` is `A`, which it writes as it is",
        snapshot: true,
    },
    Failure {
        name: "a_byte_that_must_be_escaped",
        key: "shop:2:users:by-email:a b",
        hint: "`email`: `a b` is not percent-encoded as the key function writes it: it writes ` ` as `%20`",
        snapshot: true,
    },
    Failure {
        name: "a_truncated_escape",
        key: "shop:2:users:by-email:a%4",
        hint: "`%4` is not `%` and two hex digits",
        snapshot: true,
    },
    Failure {
        // `health` has no parameters: nothing to name, so the hint stays general.
        name: "a_key_with_a_suffix_keeps_the_general_hint",
        key: "shop:1:health:x",
        hint: "the closest entry is `health` (`shop:1:health`), but the rest is not what it renders: values must be written exactly",
        snapshot: false,
    },
];

#[test]
fn each_failure_names_the_argument_and_why() {
    common::each_case(FAILURES, |case| {
        let stderr = failure(case.key);
        assert!(
            stderr.contains(case.hint),
            "expected the hint to contain {:?}:\n{stderr}",
            case.hint
        );
        if case.snapshot {
            insta::assert_snapshot!(case.name, stderr);
        }
    });
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
