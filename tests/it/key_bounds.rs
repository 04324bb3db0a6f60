//! Keys that always fit: a `str` value longer than its `max_len` is written
//! as `%sha256-` and its SHA-256 (padded with `-` past the bound for
//! `encode: none`), so every key stays within the length `check` proves,
//! distinct values still give distinct keys, and `parse` decodes the form
//! to `Text::Sha256`, never to a wrong value.

use std::path::Path;

use cachekeys::catalogue::Catalogue;
use proptest::prelude::*;

use crate::generated::{all_types, bounded};

use bounded::{Key, Text, parse};

fn catalogue() -> Catalogue {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bounded.yaml");
    cachekeys::catalogue::load(path).unwrap_or_else(|e| panic!("{e}"))
}

/// The SHA-256 of `value` in lowercase hex, by the `encode: sha256` key of
/// `all_types` (checked against Python's hashlib in `generated_code`).
fn sha256(value: &str) -> String {
    let key = all_types::text::digest(value, 0);
    key["t:3:digest:".len()..key.len() - ":0".len()].to_owned()
}

/// The longest key of each entry, as `check` proves it.
fn proven_bounds() -> Vec<(String, usize)> {
    let catalogue = catalogue();
    catalogue
        .keys
        .iter()
        .map(|key| {
            let bound = cachekeys::__private::keyspace::max_key_len(&catalogue, key)
                .unwrap_or_else(|| panic!("`{}` has no bound", key.name));
            (key.name.clone(), bound)
        })
        .collect()
}

fn bound_of(name: &str) -> usize {
    proven_bounds()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, bound)| bound)
        .unwrap()
}

#[test]
fn values_within_max_len_are_written_as_before() {
    assert_eq!(bounded::small("0123456789"), "b:small:0123456789");
    assert_eq!(bounded::small("a b:c"), "b:small:a%20b%3Ac");
    assert_eq!(bounded::raw_small("a b:c"), "b:raw-small:a b:c");
    assert_eq!(
        bounded::raw_large(&"x".repeat(100)),
        format!("b:raw-large:{}", "x".repeat(100))
    );
}

#[test]
fn a_value_over_max_len_is_written_as_its_marked_digest() {
    let value = "01234567890";
    assert_eq!(
        bounded::small(value),
        format!("b:small:%sha256-{}", sha256(value))
    );
    // A value of reserved bytes is measured before encoding: 4 bytes fit.
    assert_eq!(bounded::small("🦀🦀"), "b:small:%F0%9F%A6%80%F0%9F%A6%80");
    let long = "é".repeat(150);
    assert_eq!(
        bounded::large(&long, 7),
        format!("b:large:%sha256-{}:7", sha256(&long))
    );
    // `encode: none` with a small bound: the form is longer than the bound.
    assert_eq!(
        bounded::raw_small("123456789"),
        format!("b:raw-small:%sha256-{}", sha256("123456789"))
    );
    // With a bound past the form's 72 bytes, the form is padded to one
    // byte over the bound, so no value within the bound can equal it.
    let value = "y".repeat(101);
    let key = bounded::raw_large(&value);
    let form = &key["b:raw-large:".len()..];
    assert_eq!(form.len(), 101);
    assert_eq!(
        form,
        format!("%sha256-{}{}", sha256(&value), "-".repeat(101 - 72))
    );
}

#[test]
fn parse_decodes_the_form_to_a_digest_and_renders_it_back() {
    let value = "a".repeat(300);
    let key = bounded::large(&value, 1);
    let parsed = parse(&key).expect("parses");
    assert_eq!(
        parsed,
        Key::Large {
            name: Text::Sha256(sha256(&value)),
            page: 1
        }
    );
    assert_eq!(parsed.render(), key);
    let key = bounded::raw_large(&"z".repeat(10_000));
    let parsed = parse(&key).expect("parses");
    assert_eq!(
        parsed,
        Key::RawLarge {
            code: Text::Sha256(sha256(&"z".repeat(10_000)))
        }
    );
    assert_eq!(parsed.render(), key);
    // A value within the bound decodes to itself, even one that looks like
    // the form: percent-encoding writes its `%` as `%25`, and for
    // `encode: none` the form is longer than any value within the bound.
    let lookalike = format!("%sha256-{}", sha256("x"));
    let key = all_types::text::search(&lookalike, 2);
    assert!(key.starts_with("t:3:search:%25sha256-"), "{key}");
    assert_eq!(
        all_types::parse(&key),
        Some(all_types::Key::TextSearch {
            query: all_types::Text::Value(lookalike.clone()),
            page: 2
        })
    );
    let key = bounded::raw_large(&lookalike);
    assert_eq!(
        parse(&key),
        Some(Key::RawLarge {
            code: Text::Value(lookalike)
        })
    );
}

#[test]
fn parse_refuses_what_no_value_renders() {
    let digest = sha256("x");
    for key in [
        // Over the bound, written out: the key function hashes such values.
        "b:small:01234567890".to_owned(),
        format!("b:raw-small:{}", "1".repeat(9)),
        // Misshapen forms.
        format!("b:small:%sha256-{}", &digest[..63]),
        format!("b:small:%sha256-{}", digest.to_uppercase()),
        format!("b:small:%sha256-{digest}-"),
        format!("b:small:%SHA256-{digest}"),
        // `encode: none` past 72 bytes: the form must be padded exactly.
        format!("b:raw-large:%sha256-{digest}{}", "-".repeat(30)),
        format!("b:raw-large:%sha256-{digest}{}x", "-".repeat(28)),
    ] {
        assert_eq!(parse(&key), None, "{key}");
        let decoded = cachekeys::__private::key_text::parse(&catalogue(), &key);
        assert_eq!(decoded, None, "the library decodes {key}");
    }
}

#[test]
fn check_counts_the_form_in_its_bound() {
    let bounds = proven_bounds();
    // prefix `b:` and the literal, then the longer of the value's longest
    // rendering and its 72-byte form.
    assert_eq!(
        bounds,
        [
            ("small".to_owned(), "b:small:".len() + 72),
            (
                "large".to_owned(),
                "b:large:".len() + 3 * 70 + ":65535".len()
            ),
            ("raw_small".to_owned(), "b:raw-small:".len() + 72),
            ("raw_large".to_owned(), "b:raw-large:".len() + 101),
        ]
    );
    // A bound that only values within `max_len` keep is not a proof: with
    // room for 3 × 1 bytes but not for the form, the key is too long.
    let source = format!(
        "target: memcached\nkeys:\n  k:\n    pattern: \"{}:{{v}}\"\n    params:\n      v: {{ type: str, max_len: 1 }}\n",
        "p".repeat(200)
    );
    let catalogue = cachekeys::catalogue::parse("keys.yaml", &source).unwrap();
    let codes: Vec<_> = cachekeys::check(&catalogue)
        .iter()
        .filter_map(|d| d.code)
        .collect();
    assert_eq!(codes, ["CK005"], "{source}");
    // And it does not suggest a `max_len` that cannot fit.
    let help = cachekeys::check(&catalogue)[0]
        .help
        .clone()
        .unwrap_or_default();
    assert!(!help.contains("max_len"), "{help}");
    assert!(help.contains("sha256"), "{help}");
}

#[test]
fn the_library_renders_and_decodes_as_the_generated_code() {
    let catalogue = catalogue();
    let large = &catalogue.keys[1];
    for value in ["short".to_owned(), "é".repeat(36), "a".repeat(10_000)] {
        let key = bounded::large(&value, 9);
        let args = [
            cachekeys::__private::key_text::Arg::Str(value.clone()),
            cachekeys::__private::key_text::Arg::Int(9),
        ];
        assert_eq!(
            cachekeys::__private::key_text::build(&catalogue, large, &args),
            key
        );
        let decoded = cachekeys::__private::key_text::parse(&catalogue, &key).expect("decodes");
        let expected = if value.len() > 70 {
            cachekeys::__private::key_text::Arg::Digest(sha256(&value))
        } else {
            cachekeys::__private::key_text::Arg::Str(value.clone())
        };
        assert_eq!(decoded.args[0], expected);
        assert_eq!(
            cachekeys::__private::key_text::build(&catalogue, large, &decoded.args),
            key
        );
    }
}

/// Values around and far past each bound, any Unicode.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z%: ]{0,12}",
        "[a-z%: é🦀]{60,120}",
        (1usize..400).prop_map(|n| "é".repeat(n)),
    ]
}

proptest! {
    #[test]
    fn every_key_is_within_the_proven_bound_and_parses_back(value in value(), page: u16) {
        for (name, key) in [
            ("small", bounded::small(&value)),
            ("large", bounded::large(&value, page)),
            ("raw_small", bounded::raw_small(&value)),
            ("raw_large", bounded::raw_large(&value)),
        ] {
            prop_assert!(key.len() <= bound_of(name), "{name}: {} bytes: {key}", key.len());
            let parsed = parse(&key);
            prop_assert!(parsed.is_some(), "{name}: {key}");
            prop_assert_eq!(parsed.unwrap().render(), key);
        }
    }

    #[test]
    fn distinct_values_give_distinct_keys(a in value(), b in value()) {
        prop_assume!(a != b);
        prop_assert_ne!(bounded::small(&a), bounded::small(&b));
        prop_assert_ne!(bounded::large(&a, 0), bounded::large(&b, 0));
        prop_assert_ne!(bounded::raw_small(&a), bounded::raw_small(&b));
        prop_assert_ne!(bounded::raw_large(&a), bounded::raw_large(&b));
    }

    #[test]
    fn distinct_over_long_values_give_distinct_keys(
        a in "[a-c]{71,90}",
        b in "[a-c]{71,90}",
    ) {
        prop_assume!(a != b);
        let (ka, kb) = (bounded::large(&a, 0), bounded::large(&b, 0));
        prop_assert!(ka.starts_with("b:large:%sha256-"), "{ka}");
        prop_assert_ne!(ka, kb);
        prop_assert_ne!(bounded::raw_large(&format!("{a}{a}")), bounded::raw_large(&format!("{b}{b}")));
    }
}
