//! The generated code itself: exact key strings for every parameter type,
//! percent-encoding and SHA-256 identical to Python's, injectivity, and the
//! checked-in generated files staying current.

use std::collections::HashMap;
use std::path::Path;

use proptest::prelude::*;

use crate::generated::{all_types, parse_200, shop};

fn regenerate(catalogue: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue =
        cachekeys::catalogue::load(root.join(catalogue)).unwrap_or_else(|e| panic!("{e}"));
    cachekeys::generate(&catalogue)
}

/// The checked-in modules this file includes must match the generator.
/// `CACHEKEYS_BLESS=1 cargo test --test it generated_code::` rewrites them.
#[test]
fn checked_in_modules_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (catalogue, generated) in [
        (
            "tests/fixtures/all_types.yaml",
            "tests/generated/all_types.rs",
        ),
        ("keys.yaml", "tests/generated/shop_keys.rs"),
        ("tests/fixtures/bounded.yaml", "tests/generated/bounded.rs"),
        (
            "tests/fixtures/parse_200.yaml",
            "tests/generated/parse_200.rs",
        ),
    ] {
        let fresh = regenerate(catalogue);
        let path = root.join(generated);
        if std::env::var_os("CACHEKEYS_BLESS").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        }
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            old == fresh,
            "{generated} is stale; run `CACHEKEYS_BLESS=1 cargo test --test it generated_code::`"
        );
    }
}

#[test]
fn snapshot_of_keys_yaml() {
    insta::assert_snapshot!("keys_yaml_module", regenerate("keys.yaml"));
}

#[test]
fn output_is_deterministic_and_include_safe() {
    let code = regenerate("keys.yaml");
    assert_eq!(code, regenerate("keys.yaml"));
    let first = code.lines().next().unwrap();
    assert!(first.contains("@generated"), "first line: {first}");
    // Inner attributes (`#![...]`) are refused by `include!`.
    assert!(
        !code.contains("#!"),
        "generated code has an inner attribute"
    );
    // core and alloc only: the one crate the code declares is `alloc`,
    // and it names no `std` path.
    let crates: Vec<&str> = code
        .lines()
        .filter(|l| l.contains("extern crate"))
        .map(str::trim)
        .collect();
    assert_eq!(crates, ["extern crate alloc;"]);
    assert!(!code.contains("std::"), "a std path:\n{code}");
    let imports = code.lines().map(str::trim_start).filter(|l| {
        l.starts_with("use ") || l.starts_with("pub use ") || l.starts_with("pub(super) use ")
    });
    for line in imports {
        assert!(
            line.contains("use self::alloc::"),
            "an import from elsewhere: {line}"
        );
    }
}

#[test]
fn the_runtime_module_holds_what_is_used_and_what_that_uses() {
    let generate = |source: &str| {
        let catalogue = cachekeys::catalogue::parse("keys.yaml", source).unwrap();
        cachekeys::generate(&catalogue)
    };
    let code = generate("keys:\n  a:\n    pattern: \"a:{id}\"\n    params: { id: u64 }\n");
    // `parse` needs the matcher, and the matcher its private step and type.
    for used in [
        "fn push_u64(",
        "fn match_key<",
        "fn match_each<",
        "fn match_holes<",
        "type Hole<",
        "fn is_uint(",
        "fn decode_u64(",
    ] {
        assert!(code.contains(used), "missing `{used}`:\n{code}");
    }
    for unused in [
        "fn push_i64(",
        "fn push_sha256(",
        "fn decode_percent(",
        "fn is_unreserved(",
        "fn decode_uuid(",
        "fn lower_hex(",
        "fn is_any(",
    ] {
        assert!(!code.contains(unused), "unused `{unused}` kept:\n{code}");
    }
    // Percent-decoding brings `is_unreserved` along.
    let code = generate("keys:\n  a:\n    pattern: \"a:{s}\"\n    params: { s: str }\n");
    assert!(code.contains("const fn is_unreserved("), "{code}");
    // Keys without parameters need only the key type and the dispatch of
    // `parse`: no rendering or matching helper.
    let code = generate("keys:\n  a:\n    pattern: \"a\"\n");
    assert!(
        code.contains("pub(super) use self::alloc::string::String;"),
        "{code}"
    );
    assert!(code.contains("fn longest_head("), "{code}");
    for unused in [
        "fn push_",
        "fn match_key<",
        "fn is_",
        "use self::alloc::vec::Vec;",
    ] {
        assert!(!code.contains(unused), "unused `{unused}` kept:\n{code}");
    }
    assert!(code.contains("if key == \"a\" {"), "{code}");
}

#[test]
fn the_three_examples_from_the_issue() {
    use shop::feeds::Locale;
    assert_eq!(shop::profiles::profile(42), "shop:1:profiles:profile:42");
    assert_eq!(
        shop::users::by_email("A:b c@x"),
        "shop:2:users:by-email:A%3Ab%20c%40x"
    );
    assert_eq!(shop::feeds::home(Locale::Fr, 3), "shop:1:feeds:home:fr:3");
}

#[test]
fn integers_render_in_canonical_decimal() {
    use all_types::ints::{signed, unsigned};
    assert_eq!(unsigned(0, 0, 0, 0), "t:3:u:0:0:0:0");
    assert_eq!(unsigned(7, 10, 99, 100), "t:3:u:7:10:99:100");
    assert_eq!(
        unsigned(u8::MAX, u16::MAX, u32::MAX, u64::MAX),
        "t:3:u:255:65535:4294967295:18446744073709551615"
    );
    assert_eq!(signed(0, -1, 1, -10), "t:3:i:0:-1:1:-10");
    assert_eq!(
        signed(i8::MIN, i16::MIN, i32::MIN, i64::MIN),
        "t:3:i:-128:-32768:-2147483648:-9223372036854775808"
    );
    assert_eq!(
        signed(i8::MAX, i16::MAX, i32::MAX, i64::MAX),
        "t:3:i:127:32767:2147483647:9223372036854775807"
    );
}

/// `Display` writes what the key holds, `FromStr` inverts it, and a text
/// of no value is a typed error that names the parameter and its values.
#[test]
fn enums_display_and_parse_from_their_key_text() {
    use shop::feeds::{Locale, Region};
    assert_eq!(Locale::Fr.to_string(), "fr");
    assert_eq!(format!("{}", Region::EuWest), "eu-west");
    for region in Region::ALL {
        assert_eq!(region.to_string().parse::<Region>(), Ok(region));
    }
    let error = "FR".parse::<Locale>().unwrap_err();
    assert_eq!(
        error,
        shop::UnknownValue {
            param: "locale",
            expected: &["en", "fr", "de"],
        }
    );
    assert_eq!(
        error.to_string(),
        "not a value of `locale`; expected one of `en`, `fr`, `de`"
    );
    let error: &dyn std::error::Error = &error;
    assert!(error.source().is_none());
}

/// Each `*_into` appends exactly the key its allocating function returns,
/// after what the buffer holds, and a cleared buffer is reused without
/// growing.
#[test]
fn into_forms_append_the_same_key_to_a_reused_buffer() {
    use shop::feeds::Locale;
    let mut buf = String::from("GET ");
    shop::profiles::profile_into(&mut buf, 42);
    assert_eq!(buf, format!("GET {}", shop::profiles::profile(42)));
    type Append<'a> = &'a dyn Fn(&mut String);
    let cases: [(String, Append); 5] = [
        (shop::health(), &|b| shop::health_into(b)),
        (shop::feeds::home(Locale::De, 7), &|b| {
            shop::feeds::home_into(b, Locale::De, 7);
        }),
        (shop::users::by_email("A:b c@x"), &|b| {
            shop::users::by_email_into(b, "A:b c@x");
        }),
        (shop::users::session(u128::MAX), &|b| {
            shop::users::session_into(b, u128::MAX);
        }),
        (all_types::ints::signed(i8::MIN, -1, 0, i64::MAX), &|b| {
            all_types::ints::signed_into(b, i8::MIN, -1, 0, i64::MAX)
        }),
    ];
    let mut buf = String::with_capacity(256);
    let capacity = buf.capacity();
    for (expected, into) in cases {
        buf.clear();
        into(&mut buf);
        assert_eq!(buf, expected);
        assert_eq!(buf.capacity(), capacity, "the buffer grew for {expected}");
    }
}

/// `Key::ttl` is the entry's `*_TTL` constant, for every entry.
#[test]
fn key_ttl_is_the_entry_ttl_constant() {
    use shop::feeds::Locale;
    use shop::profiles::Size;
    let cases = [
        (shop::profiles::profile(1), shop::profiles::PROFILE_TTL),
        (
            shop::profiles::avatar(1, Size::Small),
            shop::profiles::AVATAR_TTL,
        ),
        (shop::users::by_email("a"), shop::users::BY_EMAIL_TTL),
        (shop::users::session(1), shop::users::SESSION_TTL),
        (shop::users::flags(1, true), shop::users::FLAGS_TTL),
        (shop::feeds::home(Locale::En, 1), shop::feeds::HOME_TTL),
        (shop::catalog::price(1, -1), shop::catalog::PRICE_TTL),
        (shop::health(), shop::HEALTH_TTL),
    ];
    assert!(shop::catalog::PRICE_TTL.is_none());
    for (key, ttl) in cases {
        let parsed = shop::parse(&key).unwrap_or_else(|| panic!("{key} does not parse"));
        assert_eq!(parsed.ttl(), ttl, "{key}");
    }
}

/// `parse` dispatches on literal heads: in a 200-entry catalogue every
/// entry's key decodes to that entry, heads that are prefixes of others
/// fall back to the shorter head, and a key of no entry is `None`.
#[test]
fn parse_finds_every_entry_of_a_large_catalogue() {
    for i in 0..200 {
        let key = match i % 10 {
            0 => format!("bench:1:g{}:k{i}:items:7", i / 10),
            1 => format!("bench:1:g{}:k{i}:items:7:meta", i / 10),
            9 => format!("bench:1:g{}:k{i}:static", i / 10),
            _ => continue,
        };
        let parsed = parse_200::parse(&key).unwrap_or_else(|| panic!("{key} does not parse"));
        assert_eq!(parsed.name(), format!("g{}.k{i}", i / 10));
        assert_eq!(parsed.render(), key);
    }
    for miss in [
        "",
        "bench:1:",
        "bench:1:g0:k0:items:",
        "bench:1:g0:k9:statics",
        "zzz",
    ] {
        assert_eq!(parse_200::parse(miss), None, "{miss:?}");
    }
}

/// The generated modules build in a `#![no_std]` crate with `alloc`,
/// warning-free: a real cargo build of a scratch crate.
#[test]
fn generated_code_builds_in_a_no_std_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"no-std-keys\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
    )
    .unwrap();
    let mut lib = String::from("//! Keys in a no_std crate.\n#![no_std]\nextern crate alloc;\n");
    for (name, catalogue) in [
        ("shop", "keys.yaml"),
        ("all_types", "tests/fixtures/all_types.yaml"),
        ("bounded", "tests/fixtures/bounded.yaml"),
        ("long_names", "tests/fixtures/long_names.yaml"),
        ("policy", "tests/fixtures/policy.yaml"),
    ] {
        std::fs::write(src.join(format!("{name}.rs")), regenerate(catalogue)).unwrap();
        lib.push_str(&format!(
            "/// Keys of `{catalogue}`.\npub mod {name} {{\n    include!(\"{name}.rs\");\n}}\n"
        ));
    }
    // Uses from no_std code: a key into a buffer, `parse`, and an enum
    // from its text.
    lib.push_str(
        "/// A key, decoded again.\n\
         #[must_use]\n\
         pub fn round_trip(id: u64) -> bool {\n    \
             let mut key = alloc::string::String::new();\n    \
             shop::profiles::profile_into(&mut key, id);\n    \
             let locale: Result<shop::feeds::Locale, _> = \"fr\".parse();\n    \
             shop::parse(&key).is_some() && locale.is_ok()\n\
         }\n",
    );
    std::fs::write(src.join("lib.rs"), lib).unwrap();
    let output = std::process::Command::new(env!("CARGO"))
        .args(["build", "--offline", "--quiet"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", root.join("target/no-std-keys"))
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the no_std crate does not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn bool_uuid_enum_and_literal_braces() {
    use all_types::regions::Region;
    assert_eq!(all_types::flags::flag(true), "t:3:flag:true");
    assert_eq!(all_types::flags::flag(false), "t:3:flag:false");
    assert_eq!(
        all_types::ids::session(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8),
        "t:3:session:67e55044-10b1-426f-9247-bb680e5fe0c8"
    );
    assert_eq!(
        all_types::ids::session(0),
        "t:3:session:00000000-0000-0000-0000-000000000000"
    );
    assert_eq!(
        all_types::ids::session(u128::MAX),
        "t:3:session:ffffffff-ffff-ffff-ffff-ffffffffffff"
    );
    assert_eq!(
        all_types::regions::by_region(Region::EuWest),
        "t:3:region:eu-west"
    );
    assert_eq!(
        all_types::regions::by_region(Region::V2ndZone),
        "t:3:region:2nd-zone"
    );
    assert_eq!(Region::ALL.len(), 3);
    assert_eq!(all_types::text::braces("x y"), "t:3:{literal}:x%20y");
    assert_eq!(all_types::text::search("", 0), "t:3:search::0");
    assert_eq!(all_types::unversioned(), "t:0:plain");
    // A group named `std`, a parameter named `key` and enums named `String`
    // and `Option` shadow nothing the generated code relies on.
    assert_eq!(
        all_types::std::shadowing(5, all_types::std::String::B, all_types::std::Option::X),
        "t:3:edge:5:b:x"
    );
}

#[test]
fn constants_describe_each_key() {
    assert_eq!(
        shop::profiles::PROFILE_PATTERN,
        "shop:1:profiles:profile:{user_id}"
    );
    assert_eq!(
        shop::profiles::PROFILE_TTL,
        Some(std::time::Duration::from_secs(3600))
    );
    assert_eq!(shop::catalog::PRICE_TTL, None);
    assert_eq!(all_types::text::BRACES_PATTERN, "t:3:{{literal}}:{name}");
    assert_eq!(
        all_types::ids::SESSION_TTL,
        Some(std::time::Duration::from_secs(900))
    );
}

#[test]
fn each_key_is_one_allocation_sized_up_front() {
    // The capacity is computed up front and never grows: a percent-encoded
    // value reserves its worst case, three bytes per input byte.
    let value = "ä ö ü ß with spaces and: colons";
    let key = shop::users::by_email(value);
    assert!(key.capacity() >= key.len());
    assert_eq!(
        key.capacity(),
        "shop:2:users:by-email:".len() + 3 * value.len()
    );
    let key = all_types::ints::signed(i8::MIN, i16::MIN, i32::MIN, i64::MIN);
    assert_eq!(
        key.capacity(),
        key.len(),
        "worst-case integers fill the buffer"
    );
}

/// Inputs chosen to break naive encoders: separators, whitespace, control
/// bytes, `%` itself, the unreserved marks, and multi-byte UTF-8.
const TRICKY: &[&str] = &[
    "",
    "plain",
    "A:b c@x",
    "100%",
    "%41",
    "-._~",
    "a/b?c=d&e#f",
    "line\r\nset evil 0 0 1\r\nx",
    "nul\0byte",
    "tab\tdel\u{7f}",
    "braces {x} [y] (z)",
    "+plus,comma;semi'quote\"dq",
    "é",
    "日本語",
    "emoji 🦀",
    "\u{feff}bom",
    "all ascii: !\"#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~",
];

fn python_quote(values: &[String]) -> Option<Vec<String>> {
    let script = "import sys, urllib.parse\n\
        for line in sys.stdin.read().split('\\n')[:-1]:\n\
        \x20   s = bytes.fromhex(line).decode('utf-8')\n\
        \x20   print(urllib.parse.quote(s, safe=''))\n";
    python(script, values)
}

/// Runs a python3 `script` that reads one hex-encoded value per line and
/// prints one result per line; `None` when python3 is not installed.
fn python(script: &str, values: &[String]) -> Option<Vec<String>> {
    let input: String = values
        .iter()
        .map(|v| v.bytes().map(|b| format!("{b:02x}")).collect::<String>() + "\n")
        .collect();
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    use std::io::Write;
    let mut stdin = child.stdin.take()?;
    // Feed stdin from a thread: a large input must not deadlock against a
    // full stdout pipe.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    assert!(output.status.success(), "python3 failed");
    Some(
        String::from_utf8(output.stdout)
            .ok()?
            .lines()
            .map(str::to_owned)
            .collect(),
    )
}

fn encoded(value: &str) -> String {
    all_types::text::braces(value)
        .strip_prefix("t:3:{literal}:")
        .unwrap()
        .to_owned()
}

#[test]
fn percent_encoding_matches_python_urllib_quote() {
    let mut values: Vec<String> = TRICKY.iter().map(|s| (*s).to_owned()).collect();
    // Every single Unicode scalar up to U+07FF, one per value.
    values.extend((0u32..0x800).filter_map(char::from_u32).map(String::from));
    assert_matches_python(&values, python_quote, encoded);
}

/// `ours` gives what `python` (one python3 process for all the values)
/// gives, on every value. Outside CI, a missing python3 skips the test.
fn assert_matches_python(
    values: &[String],
    python: fn(&[String]) -> Option<Vec<String>>,
    ours: fn(&str) -> String,
) {
    let Some(expected) = python(values) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 is required under CI"
        );
        eprintln!("skipped: python3 is not installed");
        return;
    };
    assert_eq!(expected.len(), values.len());
    for (value, expected) in values.iter().zip(&expected) {
        assert_eq!(&ours(value), expected, "{value:?}");
    }
}

/// [`assert_matches_python`] for proptest; nothing is checked without
/// python3 (the table test above fails for that under CI).
fn prop_matches_python(
    values: &[String],
    python: fn(&[String]) -> Option<Vec<String>>,
    ours: fn(&str) -> String,
) -> Result<(), TestCaseError> {
    if let Some(expected) = python(values) {
        prop_assert_eq!(expected.len(), values.len());
        for (value, expected) in values.iter().zip(&expected) {
            prop_assert_eq!(&ours(value), expected);
        }
    }
    Ok(())
}

proptest! {
    // Few cases of many values each: one python3 process per case.
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn percent_encoding_matches_python_on_random_text(values in proptest::collection::vec(any::<String>(), 400)) {
        prop_matches_python(&values, python_quote, encoded)?;
    }
}

#[test]
fn encode_none_writes_the_value_as_it_is() {
    assert_eq!(all_types::text::raw("a b:c%41"), "t:3:raw:a b:c%41");
    assert_eq!(all_types::text::raw(""), "t:3:raw:");
    let key = all_types::text::raw("日本語 and more");
    assert_eq!(key, "t:3:raw:日本語 and more");
    assert_eq!(key.capacity(), key.len(), "raw keys are sized exactly");
}

/// The digest part of a `text.digest` key.
fn sha256(value: &str) -> String {
    all_types::text::digest(value, 0)
        .strip_prefix("t:3:digest:")
        .and_then(|rest| rest.strip_suffix(":0"))
        .unwrap()
        .to_owned()
}

#[test]
fn sha256_matches_the_fips_180_4_test_vectors() {
    assert_eq!(
        sha256(""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        sha256("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    // 448 bits: the padding no longer fits the block.
    assert_eq!(
        sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
    // 896 bits: two full blocks of message.
    assert_eq!(
        sha256(
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        ),
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    );
    assert_eq!(
        sha256(&"a".repeat(1_000_000)),
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    );
}

#[test]
fn digest_keys_are_fixed_length_and_sized_exactly() {
    let key = all_types::text::digest(&"long text ".repeat(1000), 65535);
    assert_eq!(key.len(), "t:3:digest:".len() + 64 + ":65535".len());
    assert_eq!(
        key.capacity(),
        key.len(),
        "worst-case digest keys fill the buffer"
    );
    assert_eq!(all_types::text::DIGEST_PATTERN, "t:3:digest:{token}:{page}");
}

/// `hashlib.sha256` of each value, from one python3 process.
fn python_sha256(values: &[String]) -> Option<Vec<String>> {
    let script = "import sys, hashlib\n\
        for line in sys.stdin.read().split('\\n')[:-1]:\n\
        \x20   print(hashlib.sha256(bytes.fromhex(line)).hexdigest())\n";
    python(script, values)
}

#[test]
fn sha256_matches_python_hashlib_around_every_padding_boundary() {
    // Every length up to three blocks, so each padding case is met, and
    // multi-byte text.
    let mut values: Vec<String> = (0..=200).map(|n| "x".repeat(n)).collect();
    values.extend(TRICKY.iter().map(|s| (*s).to_owned()));
    values.extend((0..=130).map(|n| "é".repeat(n)));
    assert_matches_python(&values, python_sha256, sha256);
}

proptest! {
    // Few cases of many values each: one python3 process per case.
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn sha256_matches_python_on_random_text(values in proptest::collection::vec(any::<String>(), 400)) {
        prop_matches_python(&values, python_sha256, sha256)?;
    }

    #[test]
    fn sha256_matches_python_on_long_random_bytes(values in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..3000), 20)) {
        let values: Vec<String> = values
            .into_iter()
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .collect();
        prop_matches_python(&values, python_sha256, sha256)?;
    }
}

proptest! {
    #[test]
    fn encoded_keys_hold_no_whitespace_control_or_separator(value in any::<String>()) {
        let key = encoded(&value);
        prop_assert!(key.bytes().all(|b| b.is_ascii_graphic()));
        prop_assert!(!key.contains(':'));
    }
}

/// One call of any key function of `all_types`, so the property covers
/// collisions across functions as well as within one.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Call {
    Unsigned(u8, u16, u32, u64),
    Signed(i8, i16, i32, i64),
    Flag(bool),
    Session(u128),
    Search(String, u16),
    Braces(String),
    Digest(String, u16),
    Raw(String),
    Region(usize),
    Plain,
}

impl Call {
    fn render(&self) -> String {
        use all_types::*;
        match self {
            Call::Unsigned(a, b, c, d) => ints::unsigned(*a, *b, *c, *d),
            Call::Signed(a, b, c, d) => ints::signed(*a, *b, *c, *d),
            Call::Flag(on) => flags::flag(*on),
            Call::Session(id) => ids::session(*id),
            Call::Search(q, p) => text::search(q, *p),
            Call::Braces(n) => text::braces(n),
            Call::Digest(t, p) => text::digest(t, *p),
            Call::Raw(v) => text::raw(v),
            Call::Region(i) => regions::by_region(regions::Region::ALL[*i]),
            Call::Plain => unversioned(),
        }
    }
}

fn text() -> impl Strategy<Value = String> {
    // Bias towards separators and escapes, where collisions would hide.
    prop_oneof![any::<String>(), "[a:%~ _.-]{0,6}", "[0-9A-F%]{0,6}",]
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        (any::<u8>(), any::<u16>(), any::<u32>(), any::<u64>())
            .prop_map(|(a, b, c, d)| Call::Unsigned(a, b, c, d)),
        (0u8..3, 0u16..3, 0u32..3, 0u64..3).prop_map(|(a, b, c, d)| Call::Unsigned(a, b, c, d)),
        (any::<i8>(), any::<i16>(), any::<i32>(), any::<i64>())
            .prop_map(|(a, b, c, d)| Call::Signed(a, b, c, d)),
        (-2i8..2, -2i16..2, -2i32..2, -2i64..2).prop_map(|(a, b, c, d)| Call::Signed(a, b, c, d)),
        any::<bool>().prop_map(Call::Flag),
        any::<u128>().prop_map(Call::Session),
        (0u128..4).prop_map(Call::Session),
        (text(), any::<u16>()).prop_map(|(q, p)| Call::Search(q, p)),
        (text(), 0u16..3).prop_map(|(q, p)| Call::Search(q, p)),
        text().prop_map(Call::Braces),
        (text(), 0u16..3).prop_map(|(t, p)| Call::Digest(t, p)),
        text().prop_map(Call::Raw),
        (0usize..3).prop_map(Call::Region),
        Just(Call::Plain),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Distinct arguments (to the same or different functions) always give
    /// distinct keys.
    #[test]
    fn distinct_calls_give_distinct_keys(calls in proptest::collection::vec(call(), 2..64)) {
        let mut seen: HashMap<String, Call> = HashMap::new();
        for call in calls {
            let key = call.render();
            if let Some(previous) = seen.get(&key) {
                prop_assert_eq!(previous, &call, "two calls share the key {}", key);
            }
            seen.insert(key, call);
        }
    }
}

/// Whether `rustfmt` runs; under CI a missing rustfmt fails.
fn have_rustfmt() -> bool {
    let ok = std::process::Command::new("rustfmt")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "rustfmt is missing under CI; install it with `rustup component add rustfmt`"
        );
        eprintln!("skipped: rustfmt is not installed");
    }
    ok
}

/// The generated code of every test catalogue, and the checked-in modules,
/// are fixed points of rustfmt (edition 2024, default settings): a file
/// written by `gen -o` passes `cargo fmt --check` as it is.
#[test]
fn generated_code_is_a_rustfmt_fixed_point() {
    if !have_rustfmt() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for catalogue in [
        "keys.yaml",
        "templates/keys.yaml",
        "examples/build-script/keys.yaml",
        "tests/fixtures/all_types.yaml",
        "tests/fixtures/bounded.yaml",
        "tests/fixtures/long_names.yaml",
    ] {
        let path = dir.path().join(catalogue.replace('/', "_") + ".rs");
        std::fs::write(&path, regenerate(catalogue)).unwrap();
        files.push(path);
    }
    for entry in std::fs::read_dir(root.join("tests/generated")).unwrap() {
        files.push(entry.unwrap().path());
    }
    // Every runtime helper, as the generator copies it: indented one level
    // inside the helper module.
    let runtime = std::fs::read_to_string(root.join("src/codegen/runtime.rs")).unwrap();
    let indented: Vec<String> = runtime
        .lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("    {line}")
            }
        })
        .collect();
    let path = dir.path().join("runtime.rs");
    std::fs::write(
        &path,
        format!("mod helpers {{\n{}\n}}\n", indented.join("\n")),
    )
    .unwrap();
    files.push(path);
    // Small catalogues.
    for (name, source) in [
        ("empty", "keys: {}\n"),
        ("no_params", "keys:\n  a:\n    pattern: \"a\"\n"),
    ] {
        let catalogue = cachekeys::catalogue::parse("keys.yaml", source).unwrap();
        let path = dir.path().join(format!("{name}.rs"));
        std::fs::write(&path, cachekeys::generate(&catalogue)).unwrap();
        files.push(path);
    }
    let output = std::process::Command::new("rustfmt")
        .args(["--edition", "2024", "--check", "--color", "never"])
        .args(&files)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "rustfmt would change the generated code:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A catalogue of random shape: names of one to three words, nested groups,
/// every parameter type, long and short prefixes and literals, so the
/// generated layout meets long lines, long sums and long argument lists.
fn random_catalogue() -> impl Strategy<Value = String> {
    const WORDS: [&str; 12] = [
        "a",
        "id",
        "user",
        "account",
        "quarterly",
        "revenue",
        "region",
        "x",
        "session",
        "q",
        "page",
        "customer",
    ];
    const TYPES: [&str; 16] = [
        "u8",
        "u16",
        "u32",
        "u64",
        "i8",
        "i16",
        "i32",
        "i64",
        "bool",
        "uuid",
        "{ type: enum, values: [en, north-america, europe-middle-east-africa, y2] }",
        "str",
        "{ type: str, max_len: 10 }",
        "{ type: str, encode: sha256 }",
        "{ type: str, encode: none }",
        "{ type: str, encode: none, max_len: 200 }",
    ];
    let name = |words: usize| {
        prop::collection::vec(prop::sample::select(&WORDS[..]), 1..=words).prop_map(|w| w.join("_"))
    };
    let param = (name(2), prop::sample::select(&TYPES[..]));
    let key = (
        prop::collection::vec(name(2), 0..=2),
        name(2),
        prop::sample::select(vec![
            "k",
            "a-very-long-literal-segment-for-the-pattern-of-this-key",
        ]),
        prop::collection::vec(param, 0..=9),
        prop::sample::select(vec!["10s", "90s", "10m", "7d"]),
    );
    (
        prop::sample::select(vec![
            "",
            "prefix: p\n",
            "prefix: a-rather-long-service-prefix-for-layout-tests\n",
        ]),
        prop::collection::vec(key, 1..=5),
    )
        .prop_map(|(prefix, keys)| {
            let mut yaml = format!("{prefix}target: none\nkeys:\n");
            let mut names = std::collections::HashSet::new();
            for (groups, name, literal, params, ttl) in keys {
                let full = groups
                    .iter()
                    .chain([&name])
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(".");
                if name == "parse" || !names.insert(full.clone()) {
                    continue;
                }
                let mut seen = std::collections::HashSet::new();
                let params: Vec<_> = params
                    .into_iter()
                    .filter(|(p, _)| p != "key" && p != "text" && seen.insert(p.clone()))
                    .collect();
                let holes: String = params.iter().map(|(p, _)| format!(":{{{p}}}")).collect();
                yaml.push_str(&format!(
                    "  {full}:\n    pattern: \"{literal}{holes}\"\n    ttl: {ttl}\n"
                ));
                if !params.is_empty() {
                    yaml.push_str("    params:\n");
                    for (p, ty) in &params {
                        yaml.push_str(&format!("      {p}: {ty}\n"));
                    }
                }
            }
            yaml
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]

    /// The layout holds beyond the test catalogues: the code generated for
    /// random catalogues is a rustfmt fixed point too. One rustfmt run
    /// checks a batch.
    #[test]
    fn generated_code_of_random_catalogues_is_a_rustfmt_fixed_point(
        sources in prop::collection::vec(random_catalogue(), 24),
    ) {
        if !have_rustfmt() {
            return Ok(());
        }
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for (i, source) in sources.iter().enumerate() {
            // Names may collide in the generated code (two keys with one
            // variant); the loader refuses those, and they are skipped.
            let Ok(catalogue) = cachekeys::catalogue::parse("keys.yaml", source) else {
                continue;
            };
            let path = dir.path().join(format!("c{i}.rs"));
            std::fs::write(&path, cachekeys::generate(&catalogue)).unwrap();
            files.push(path);
        }
        prop_assume!(!files.is_empty());
        let output = std::process::Command::new("rustfmt")
            .args(["--edition", "2024", "--check", "--color", "never"])
            .args(&files)
            .output()
            .unwrap();
        prop_assert!(
            output.status.success(),
            "rustfmt would change the generated code:\n{}\ncatalogues (c0.rs, c1.rs, ...):\n{}",
            String::from_utf8_lossy(&output.stdout),
            sources.join("---\n")
        );
    }
}

/// The docs say what a key holds: a digest for `encode: sha256`, and what
/// a `str` over its `max_len` becomes.
#[test]
fn docs_show_what_the_key_holds_for_encoded_params() {
    let code = regenerate("tests/fixtures/all_types.yaml");
    assert!(
        code.contains("/// Key: `t:3:digest:{sha256(token)}:{page}`"),
        "{code}"
    );
    assert!(
        code.contains("/// `token` is written as its SHA-256, 64 lowercase hex digits."),
        "{code}"
    );
    assert!(
        code.contains("/// `query` is written percent-encoded up to 100 bytes; a longer value\n"),
        "{code}"
    );
    // The pattern constant keeps the catalogue's own shape.
    assert!(
        code.contains("pub const DIGEST_PATTERN: &str = \"t:3:digest:{token}:{page}\";"),
        "{code}"
    );
}

/// TTLs in the largest unit that divides them, with grouped digits: what
/// clippy's `duration_suboptimal_units` and `unreadable_literal` ask.
#[test]
fn ttls_use_the_largest_exact_unit() {
    let code = regenerate("keys.yaml");
    for expected in [
        "Duration::from_secs(30)",
        "Duration::from_mins(30)",
        "Duration::from_hours(1)",
        "Duration::from_hours(168)",
        "Duration::from_hours(24)",
    ] {
        assert!(code.contains(expected), "missing {expected}:\n{code}");
    }
    let catalogue = cachekeys::catalogue::parse(
        "keys.yaml",
        "keys:\n  a:\n    pattern: \"a\"\n    ttl: 123457\n  b:\n    pattern: \"b\"\n    ttl: 90s\n",
    )
    .unwrap();
    let code = cachekeys::generate(&catalogue);
    assert!(code.contains("Duration::from_secs(123_457)"), "{code}");
    assert!(code.contains("Duration::from_secs(90)"), "{code}");
}
