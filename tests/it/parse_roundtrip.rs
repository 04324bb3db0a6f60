//! The generated `parse` and `Key`, and the library's `key_text`:
//! parsing inverts rendering for every parameter type, parsing is canonical
//! (a key parses only if rendering gives it back byte for byte), and the
//! library renders and decodes exactly as the generated code does.

use std::path::Path;
use std::sync::OnceLock;

use cachekeys::__private::key_text::{self, Arg, Decoded};
use cachekeys::catalogue::Catalogue;
use proptest::prelude::*;

use crate::generated::all_types;

use all_types::{Key, Text, parse};

/// The catalogue `all_types` was generated from.
fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/all_types.yaml");
        cachekeys::catalogue::load(path).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// Text biased towards what encoders and matchers get wrong: separators,
/// `%`, hex digits, unreserved marks, and any Unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a:%~ _.-]{0,8}",
        "[0-9A-Fa-f%:]{0,8}",
        "(t:3:)?[a-z]{0,4}(:[0-9]{0,3})?",
    ]
}

fn digest() -> impl Strategy<Value = String> {
    "[0-9a-f]{64}"
}

/// What a `query` field (`max_len: 100`) can hold: a value within the
/// bound, or the digest of a longer one.
fn bounded_text() -> impl Strategy<Value = Text> {
    prop_oneof![
        text()
            .prop_filter("within max_len", |t| t.len() <= 100)
            .prop_map(Text::Value),
        digest().prop_map(Text::Sha256),
    ]
}

/// Any `Key` of `all_types`, with extreme and small values well represented.
fn key() -> impl Strategy<Value = Key> {
    use all_types::regions::Region;
    use all_types::std::{Option as Opt, String as Str};
    prop_oneof![
        (any::<u8>(), any::<u16>(), any::<u32>(), any::<u64>())
            .prop_map(|(a, b, c, d)| Key::IntsUnsigned { a, b, c, d }),
        (0u8..3, 0u16..3, 0u32..3, 0u64..3).prop_map(|(a, b, c, d)| Key::IntsUnsigned {
            a,
            b,
            c,
            d
        }),
        (any::<i8>(), any::<i16>(), any::<i32>(), any::<i64>())
            .prop_map(|(a, b, c, d)| Key::IntsSigned { a, b, c, d }),
        (-2i8..2, -2i16..2, -2i32..2, -2i64..2).prop_map(|(a, b, c, d)| Key::IntsSigned {
            a,
            b,
            c,
            d
        }),
        Just(Key::IntsSigned {
            a: i8::MIN,
            b: i16::MIN,
            c: i32::MIN,
            d: i64::MIN
        }),
        any::<bool>().prop_map(|on| Key::FlagsFlag { on }),
        any::<u128>().prop_map(|id| Key::IdsSession { id }),
        prop_oneof![Just(0u128), Just(u128::MAX), 0u128..16].prop_map(|id| Key::IdsSession { id }),
        (bounded_text(), any::<u16>()).prop_map(|(query, page)| Key::TextSearch { query, page }),
        text().prop_map(|name| Key::TextBraces { name }),
        (digest(), any::<u16>()).prop_map(|(token, page)| Key::TextDigest { token, page }),
        text().prop_map(|value| Key::TextRaw { value }),
        proptest::sample::select(Region::ALL.to_vec())
            .prop_map(|region| Key::RegionsByRegion { region }),
        Just(Key::Unversioned),
        (
            any::<u64>(),
            proptest::sample::select(Str::ALL.to_vec()),
            proptest::sample::select(Opt::ALL.to_vec()),
        )
            .prop_map(|(key, string, option)| Key::StdShadowing {
                key,
                string,
                option
            }),
    ]
}

/// The library's arguments for a `Key`, in parameter order.
fn args(key: &Key) -> Vec<Arg> {
    let int = |n: i128| Arg::Int(n);
    match key {
        Key::IntsUnsigned { a, b, c, d } => vec![
            int((*a).into()),
            int((*b).into()),
            int((*c).into()),
            int((*d).into()),
        ],
        Key::IntsSigned { a, b, c, d } => vec![
            int((*a).into()),
            int((*b).into()),
            int((*c).into()),
            int((*d).into()),
        ],
        Key::FlagsFlag { on } => vec![Arg::Bool(*on)],
        Key::IdsSession { id } => vec![Arg::Uuid(*id)],
        Key::TextSearch { query, page } => vec![
            match query {
                Text::Value(value) => Arg::Str(value.clone()),
                Text::Sha256(digest) => Arg::Digest(digest.clone()),
            },
            int((*page).into()),
        ],
        Key::TextBraces { name } => vec![Arg::Str(name.clone())],
        Key::TextDigest { token, page } => vec![Arg::Digest(token.clone()), int((*page).into())],
        Key::TextRaw { value } => vec![Arg::Str(value.clone())],
        Key::RegionsByRegion { region } => vec![Arg::Enum(region.as_str().to_owned())],
        Key::Unversioned => vec![],
        Key::StdShadowing {
            key,
            string,
            option,
        } => vec![
            int((*key).into()),
            Arg::Enum(string.as_str().to_owned()),
            Arg::Enum(option.as_str().to_owned()),
        ],
    }
}

/// The index of a `Key`'s entry in the catalogue.
fn entry(key: &Key) -> usize {
    catalogue()
        .keys
        .iter()
        .position(|k| k.name == key.name())
        .unwrap_or_else(|| panic!("no entry `{}`", key.name()))
}

/// A rendered key with a few random edits: the strings that are nearly keys,
/// where a lax parser would accept what no key function renders.
fn near_key() -> impl Strategy<Value = String> {
    let edit = (
        any::<proptest::sample::Index>(),
        0u8..3,
        proptest::sample::select(
            "0123456789abcdefABCDEF%:-+_.~ é"
                .chars()
                .collect::<Vec<_>>(),
        ),
    );
    (key(), proptest::collection::vec(edit, 1..4)).prop_map(|(key, edits)| {
        let mut chars: Vec<char> = key.render().chars().collect();
        for (at, op, c) in edits {
            let i = at.index(chars.len() + 1);
            match op {
                0 => chars.insert(i, c),
                1 if i < chars.len() => {
                    chars.remove(i);
                }
                _ if i < chars.len() => chars[i] = c,
                _ => chars.push(c),
            }
        }
        chars.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// `parse(render(k)) == k` for every parameter type.
    #[test]
    fn parse_inverts_render(key in key()) {
        let text = key.render();
        prop_assert_eq!(parse(&text), Some(key.clone()), "key text {:?}", text);
    }

    /// Whatever parses renders back to exactly the same text.
    #[test]
    fn parse_is_canonical(text in near_key()) {
        if let Some(key) = parse(&text) {
            prop_assert_eq!(key.render(), text);
        }
    }

    #[test]
    fn parse_is_canonical_on_arbitrary_text(text in prop_oneof![any::<String>(), "t:3:[a-z{}]{0,8}:[0-9a-f%:-]{0,12}"]) {
        if let Some(key) = parse(&text) {
            prop_assert_eq!(key.render(), text);
        }
    }

    /// The library renders what the generated functions render, and decodes
    /// it back to the same entry and arguments, uniquely.
    #[test]
    fn library_render_and_decode_match_the_generated_code(key in key()) {
        let catalogue = catalogue();
        let index = entry(&key);
        let args = args(&key);
        let text = key_text::build(catalogue, &catalogue.keys[index], &args);
        prop_assert_eq!(&text, &key.render());
        let decoded = Decoded { entry: index, args };
        prop_assert_eq!(key_text::decode(catalogue, &text), vec![decoded.clone()]);
        prop_assert_eq!(key_text::parse(catalogue, &text), Some(decoded));
    }

    /// On strings that are nearly keys, the library parses exactly what
    /// the generated `parse` parses.
    #[test]
    fn library_parse_agrees_with_generated_parse(text in near_key()) {
        let library = key_text::parse(catalogue(), &text);
        let generated = parse(&text);
        prop_assert_eq!(
            library.as_ref().map(|d| d.key(catalogue()).name.as_str()),
            generated.as_ref().map(Key::name)
        );
        if let (Some(library), Some(generated)) = (library, generated) {
            prop_assert_eq!(library.args, args(&generated));
        }
    }

    /// With the text itself, `encode: sha256` hashes in the library as in
    /// the generated function, and a key holds only the digest.
    #[test]
    fn sha256_arguments_render_alike_and_decode_to_the_digest(token in text(), page in any::<u16>()) {
        let catalogue = catalogue();
        let index = catalogue.keys.iter().position(|k| k.name == "text.digest").unwrap();
        let text = all_types::text::digest(&token, page);
        let rendered = key_text::build(
            catalogue,
            &catalogue.keys[index],
            &[Arg::Str(token), Arg::Int(page.into())],
        );
        prop_assert_eq!(&rendered, &text);
        let Some(Key::TextDigest { token: digest, page: parsed }) = parse(&text) else {
            panic!("{text} does not parse as text.digest");
        };
        prop_assert_eq!(parsed, page);
        prop_assert_eq!(Some(digest.as_str()), text.strip_prefix("t:3:digest:").and_then(|r| r.split(':').next()));
        prop_assert_eq!(
            key_text::decode(catalogue, &text),
            vec![Decoded { entry: index, args: vec![Arg::Digest(digest), Arg::Int(page.into())] }]
        );
    }
}

// ----------------------------------------------------------- examples

#[test]
fn every_parameter_type_parses() {
    use all_types::regions::Region;
    assert_eq!(
        parse("t:3:u:255:65535:4294967295:18446744073709551615"),
        Some(Key::IntsUnsigned {
            a: u8::MAX,
            b: u16::MAX,
            c: u32::MAX,
            d: u64::MAX
        })
    );
    assert_eq!(
        parse("t:3:i:-128:-32768:-2147483648:-9223372036854775808"),
        Some(Key::IntsSigned {
            a: i8::MIN,
            b: i16::MIN,
            c: i32::MIN,
            d: i64::MIN
        })
    );
    assert_eq!(parse("t:3:flag:false"), Some(Key::FlagsFlag { on: false }));
    assert_eq!(
        parse("t:3:session:67e55044-10b1-426f-9247-bb680e5fe0c8"),
        Some(Key::IdsSession {
            id: 0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8
        })
    );
    assert_eq!(
        parse("t:3:search:a%3Ab%20c%C3%A9:0"),
        Some(Key::TextSearch {
            query: Text::Value("a:b cé".into()),
            page: 0
        })
    );
    assert_eq!(
        parse("t:3:search::7"),
        Some(Key::TextSearch {
            query: Text::Value(String::new()),
            page: 7
        })
    );
    assert_eq!(
        parse("t:3:{literal}:x"),
        Some(Key::TextBraces { name: "x".into() })
    );
    assert_eq!(
        parse("t:3:raw:any text: %zz {}"),
        Some(Key::TextRaw {
            value: "any text: %zz {}".into()
        })
    );
    assert_eq!(
        parse("t:3:region:2nd-zone"),
        Some(Key::RegionsByRegion {
            region: Region::V2ndZone
        })
    );
    assert_eq!(parse("t:0:plain"), Some(Key::Unversioned));
    assert_eq!(
        parse("t:3:edge:0:a:x"),
        Some(Key::StdShadowing {
            key: 0,
            string: all_types::std::String::A,
            option: all_types::std::Option::X,
        })
    );
}

#[test]
fn names_and_rendering_of_keys() {
    let key = parse("t:3:flag:true").unwrap();
    assert_eq!(key.name(), "flags.flag");
    assert_eq!(key.render(), all_types::flags::flag(true));
    assert_eq!(Key::Unversioned.name(), "unversioned");
    assert_eq!(Key::Unversioned.render(), "t:0:plain");
}

#[test]
fn a_sha256_variant_holds_and_renders_the_digest() {
    let key = all_types::text::digest("secret text", 9);
    let parsed = parse(&key).unwrap();
    let Key::TextDigest { token, page } = &parsed else {
        panic!("{parsed:?}");
    };
    assert_eq!(token.len(), 64);
    assert_eq!(*page, 9);
    assert_eq!(key, format!("t:3:digest:{token}:9"));
    // `render` writes the digest back rather than hashing it again.
    assert_eq!(parsed.render(), key);
}

// ------------------------------------------------ canonical rejections

#[track_caller]
fn rejected(text: &str) {
    assert_eq!(parse(text), None, "{text:?} must not parse");
    assert_eq!(
        key_text::decode(catalogue(), text),
        vec![],
        "{text:?} must not decode"
    );
}

#[test]
fn leading_zeros_signs_and_minus_zero_are_rejected() {
    rejected("t:3:u:01:0:0:0");
    rejected("t:3:u:00:0:0:0");
    rejected("t:3:u:+1:0:0:0");
    rejected("t:3:u:-0:0:0:0");
    rejected("t:3:u:-1:0:0:0");
    rejected("t:3:i:-0:0:0:0");
    rejected("t:3:i:0:+1:0:0");
    rejected("t:3:i:0:-01:0:0");
    rejected("t:3:i:0:0:0:--1");
    rejected("t:3:i:0:0:0: 1");
    rejected("t:3:u::0:0:0");
    // The same keys written canonically parse.
    assert!(parse("t:3:u:1:0:0:0").is_some());
    assert!(parse("t:3:i:0:-1:0:0").is_some());
}

#[test]
fn out_of_range_integers_are_rejected() {
    rejected("t:3:u:256:0:0:0");
    rejected("t:3:u:0:65536:0:0");
    rejected("t:3:u:0:0:4294967296:0");
    rejected("t:3:u:0:0:0:18446744073709551616");
    rejected("t:3:u:0:0:0:99999999999999999999999");
    rejected("t:3:i:-129:0:0:0");
    rejected("t:3:i:128:0:0:0");
    rejected("t:3:i:0:0:0:9223372036854775808");
    rejected("t:3:i:0:0:0:-9223372036854775809");
}

#[test]
fn non_canonical_percent_encoding_is_rejected() {
    // Lowercase hex.
    rejected("t:3:{literal}:%3a");
    rejected("t:3:{literal}:%c3%a9");
    // An unreserved byte escaped: `A`, `-`, `~`.
    rejected("t:3:{literal}:%41");
    rejected("t:3:{literal}:%2D");
    rejected("t:3:{literal}:%7E");
    // A reserved byte not escaped.
    rejected("t:3:{literal}:a b");
    rejected("t:3:{literal}:a:b");
    rejected("t:3:{literal}:é");
    // Truncated escapes.
    rejected("t:3:{literal}:%");
    rejected("t:3:{literal}:%3");
    rejected("t:3:{literal}:%G0");
    // Invalid UTF-8 once decoded.
    rejected("t:3:{literal}:%FF");
    rejected("t:3:{literal}:%C3");
    rejected("t:3:{literal}:%C3%28");
    rejected("t:3:{literal}:%ED%A0%80");
    // The canonical spellings parse.
    assert_eq!(
        parse("t:3:{literal}:%3A%C3%A9-._~"),
        Some(Key::TextBraces {
            name: ":é-._~".into()
        })
    );
}

#[test]
fn uppercase_or_misshapen_uuids_are_rejected() {
    rejected("t:3:session:67E55044-10B1-426F-9247-BB680E5FE0C8");
    rejected("t:3:session:67e55044-10b1-426f-9247-bb680e5fe0C8");
    rejected("t:3:session:67e5504410b1426f9247bb680e5fe0c8");
    rejected("t:3:session:{67e55044-10b1-426f-9247-bb680e5fe0c8}");
    rejected("t:3:session:67e55044-10b1-426f-9247-bb680e5fe0c");
    rejected("t:3:session:67e55044-10b1-426f-9247-bb680e5fe0c8a");
    rejected("t:3:session:67e5504-410b1-426f-9247-bb680e5fe0c8");
    rejected("t:3:session:g7e55044-10b1-426f-9247-bb680e5fe0c8");
}

#[test]
fn bools_enums_and_digests_must_be_exact() {
    rejected("t:3:flag:True");
    rejected("t:3:flag:1");
    rejected("t:3:flag:");
    rejected("t:3:region:EU-WEST");
    rejected("t:3:region:eu_west");
    rejected("t:3:region:eu-west ");
    let digest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assert!(parse(&format!("t:3:digest:{digest}:1")).is_some());
    rejected(&format!("t:3:digest:{}:1", digest.to_uppercase()));
    rejected(&format!("t:3:digest:{}:1", &digest[1..]));
    rejected(&format!("t:3:digest:{digest}0:1"));
    rejected(&format!("t:3:digest:{}g:1", &digest[1..]));
    rejected("t:3:digest:abc:1");
}

#[test]
fn truncated_keys_and_extra_text_are_rejected() {
    rejected("");
    rejected("t");
    rejected("t:3:u:1:2:3");
    rejected("t:3:u:1:2:3:");
    rejected("t:3:u:1:2:3:4:");
    rejected("t:3:u:1:2:3:4:5");
    rejected("t:3:flag:true:");
    rejected("t:3:flag:truex");
    rejected("t:3:flagtrue");
    rejected("t:0:plain:");
    rejected("t:0:plai");
    rejected(" t:0:plain");
    rejected("t:3:plain");
    rejected("t:3:search:q");
    rejected("t:3:search:q:");
    rejected("t:3:edge:1:a:x:y");
    rejected("t:3:session:67e55044-10b1-426f-9247-bb680e5fe0c8:");
}

// ------------------------------------------------ ambiguous catalogues

fn parsed(source: &str) -> Catalogue {
    cachekeys::catalogue::parse("keys.yaml", source).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn decode_lists_every_entry_and_split_of_an_ambiguous_catalogue() {
    let catalogue = parsed(
        "keys:\n\
         \x20 a.by_id:\n\
         \x20   pattern: \"x:{id}\"\n\
         \x20   params: { id: u64 }\n\
         \x20 a.by_name:\n\
         \x20   pattern: \"x:{name}\"\n\
         \x20   params: { name: str }\n\
         \x20 a.pair:\n\
         \x20   pattern: \"x:{left}{right}\"\n\
         \x20   params:\n\
         \x20     left: { type: str, encode: none }\n\
         \x20     right: { type: str, encode: none }\n",
    );
    let decoded = key_text::decode(&catalogue, "x:42");
    let found: Vec<(usize, Vec<Arg>)> = decoded.into_iter().map(|d| (d.entry, d.args)).collect();
    let s = |t: &str| Arg::Str(t.to_owned());
    assert_eq!(
        found,
        vec![
            (0, vec![Arg::Int(42)]),
            (1, vec![s("42")]),
            (2, vec![s(""), s("42")]),
            (2, vec![s("4"), s("2")]),
            (2, vec![s("42"), s("")]),
        ]
    );
    // `parse` is the first: catalogue order, shorter values first, as the
    // generated `parse`.
    assert_eq!(
        key_text::parse(&catalogue, "x:42"),
        Some(Decoded {
            entry: 0,
            args: vec![Arg::Int(42)]
        })
    );
    assert_eq!(
        key_text::parse(&catalogue, "x:abc"),
        Some(Decoded {
            entry: 1,
            args: vec![s("abc")]
        })
    );
    // Every decoding renders back to the key.
    for d in key_text::decode(&catalogue, "x:42") {
        assert_eq!(
            key_text::build(&catalogue, d.key(&catalogue), &d.args),
            "x:42"
        );
    }
}

#[test]
fn matching_backtracks_over_holes_without_separators() {
    // `{a}-{b}`: the first `-` may belong to a negative `a`.
    let catalogue = parsed(
        "keys:\n\
         \x20 k:\n\
         \x20   pattern: \"{a}-{b}\"\n\
         \x20   params: { a: i32, b: u8 }\n",
    );
    assert_eq!(
        key_text::decode(&catalogue, "-5-7"),
        vec![Decoded {
            entry: 0,
            args: vec![Arg::Int(-5), Arg::Int(7)]
        }]
    );
    assert_eq!(key_text::decode(&catalogue, "-5--7"), vec![]);
    assert_eq!(key_text::decode(&catalogue, "5-300"), vec![]);
}

// ------------------------------------------------------ library render

#[test]
fn arguments_display_for_people() {
    assert_eq!(Arg::Int(-3).to_string(), "-3");
    assert_eq!(Arg::Bool(true).to_string(), "true");
    assert_eq!(
        Arg::Uuid(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8).to_string(),
        "67e55044-10b1-426f-9247-bb680e5fe0c8"
    );
    assert_eq!(Arg::Enum("eu-west".into()).to_string(), "eu-west");
    assert_eq!(Arg::Str("a \"b\"\n".into()).to_string(), r#""a \"b\"\n""#);
    assert_eq!(Arg::Digest("ab".into()).to_string(), "sha256:ab");
}

#[test]
#[should_panic(expected = "argument `a` is 256, outside the range of u8")]
fn render_refuses_an_out_of_range_integer() {
    let catalogue = catalogue();
    let entry = &catalogue.keys[0];
    assert_eq!(entry.name, "ints.unsigned");
    key_text::build(
        catalogue,
        entry,
        &[Arg::Int(256), Arg::Int(0), Arg::Int(0), Arg::Int(0)],
    );
}

#[test]
#[should_panic(expected = "`flags.flag` takes 1 arguments")]
fn render_refuses_the_wrong_number_of_arguments() {
    let catalogue = catalogue();
    key_text::build(catalogue, &catalogue.keys[2], &[]);
}

#[test]
#[should_panic(expected = "argument `on` is a bool, which cannot take Str(\"true\")")]
fn render_refuses_the_wrong_kind_of_argument() {
    let catalogue = catalogue();
    key_text::build(catalogue, &catalogue.keys[2], &[Arg::Str("true".into())]);
}

#[test]
fn generated_code_for_an_empty_catalogue_is_valid() {
    let code = cachekeys::generate(&parsed("keys: {}\n"));
    assert!(code.contains("pub enum Key {}"), "{code}");
    syn::parse_file(&code).expect("generated code parses");
}
