//! Issue #11's catalogue fields: the generated policy, cluster and
//! invalidation code (snapshot, checked-in copy, behaviour), and the
//! `check` rules CK008 (memcached TTL over 30 days), CK009 (cross-slot
//! group), CK010 (movable hash tag), CK011 (unmappable dependency), each
//! with its message, plus the loader's errors for the new fields.

use crate::common;

use std::path::Path;
use std::time::Duration;

use cachekeys::__private::key_text;
use cachekeys::__private::keyspace;
use cachekeys::__private::report::{Format, Sources, format_report as render_report};
use cachekeys::catalogue::{self, Catalogue, Strategy};
use cachekeys::diagnostic::{Diagnostic, Severity};
use predicates::prelude::*;

use crate::generated::policy as policy_keys;

use policy_keys::Key;

fn fixture() -> Catalogue {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    catalogue::load(root.join("tests/fixtures/policy.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

/// `CACHEKEYS_BLESS=1 cargo test --test it policy::` rewrites the module.
#[test]
fn checked_in_module_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fresh = cachekeys::generate(&fixture());
    let path = root.join("tests/generated/policy_keys.rs");
    if std::env::var_os("CACHEKEYS_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        old == fresh,
        "stale; run `CACHEKEYS_BLESS=1 cargo test --test it policy::`"
    );
}

#[test]
fn snapshot_of_the_generated_policy_and_invalidation_code() {
    let fixture = fixture();
    assert!(keyspace::check(&fixture).is_empty());
    insta::assert_snapshot!("policy_module", cachekeys::generate(&fixture));
}

#[test]
fn every_key_of_a_redis_catalogue_has_a_slot() {
    // No tag and no group: a cluster client still needs each key's slot.
    let code = cachekeys::generate(
        &catalogue::parse(
            "keys.yaml",
            "target: redis\nkeys:\n  a.b: { pattern: \"a:{id}\", params: { id: u64 } }\n",
        )
        .unwrap(),
    );
    assert!(
        code.contains("pub const fn slot(&self) -> u16")
            || code.contains("pub fn slot(&self) -> u16"),
        "{code}"
    );
}

#[test]
fn a_catalogue_without_the_new_fields_generates_no_new_items() {
    let code = cachekeys::generate(
        &catalogue::parse(
            "keys.yaml",
            "keys:\n  a.b: { pattern: \"a:{id}\", params: { id: u64 }, ttl: 1h }\n",
        )
        .unwrap(),
    );
    // `Key::ttl` is there for every catalogue; nothing else of the policy.
    assert!(code.contains("pub const fn ttl(&self)"), "{code}");
    for item in [
        "fn slot",
        "negative_ttl",
        "Invalidation",
        "jittered",
        "_VALUE",
    ] {
        assert!(!code.contains(item), "{item} in:\n{code}");
    }
}

#[test]
fn policy_constants_and_accessors() {
    assert_eq!(policy_keys::users::PROFILE_VALUE, "ProfileV1");
    assert_eq!(
        policy_keys::users::PROFILE_NEGATIVE_TTL,
        Duration::from_secs(30)
    );
    assert_eq!(policy_keys::users::PROFILE_TTL_JITTER_PERCENT, 10);
    let profile = Key::UsersProfile { user_id: 7 };
    assert_eq!(profile.ttl(), Some(Duration::from_secs(3600)));
    assert_eq!(profile.negative_ttl(), Some(Duration::from_secs(30)));
    assert_eq!(profile.value_type(), Some("ProfileV1"));
    let feed = Key::FeedsPage {
        user_id: 7,
        page: 1,
        user_gen: 0,
    };
    assert_eq!(feed.negative_ttl(), None);
    assert_eq!(feed.value_type(), None);
    // No jitter: the plain TTL whatever the seed.
    assert_eq!(feed.ttl_jittered(99), Some(Duration::from_secs(600)));
}

#[test]
fn jitter_is_deterministic_spread_and_bounded() {
    let fixture = fixture();
    let entry = &fixture.keys[0];
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..2000u64 {
        let ttl = policy_keys::users::profile_ttl(seed);
        assert_eq!(ttl, policy_keys::users::profile_ttl(seed), "deterministic");
        assert!(
            ttl >= Duration::from_secs(3240) && ttl <= Duration::from_secs(3600),
            "{ttl:?}"
        );
        assert_eq!(
            Key::UsersProfile { user_id: 1 }.ttl_jittered(seed),
            Some(ttl)
        );
        assert_eq!(
            key_text::jittered_ttl(entry, seed),
            Some(ttl),
            "library and generated code agree"
        );
        seen.insert(ttl);
    }
    // Spread over the whole window, not a few values.
    assert!(seen.len() > 300, "{} distinct expiries", seen.len());
    assert!(seen.first() < Some(&Duration::from_secs(3260)));
    assert!(seen.last() > Some(&Duration::from_secs(3580)));
}

#[test]
fn slots_match_redis_for_known_keys() {
    // The CRC16-XMODEM check value, and slots from the Redis documentation.
    assert_eq!(key_text::slot("123456789"), 0x31C3);
    assert_eq!(key_text::slot("foo"), 12182);
    assert_eq!(
        key_text::slot("{user1000}.following"),
        key_text::slot("user1000")
    );
    assert_eq!(key_text::slot("foo{}{bar}"), key_text::slot("foo{}{bar}"));
    assert_ne!(
        key_text::slot("foo{}{bar}"),
        key_text::slot("bar"),
        "an empty first tag hashes the whole key"
    );
    assert_eq!(key_text::slot("foo{{bar}}zap"), key_text::slot("{bar"));
    let items = Key::CartItems { user_id: 42 }.render();
    assert!(items.contains("{42}"), "{items}");
    assert_eq!(Key::CartItems { user_id: 42 }.slot(), key_text::slot("42"));
    assert_eq!(
        Key::CartTotal {
            user_id: 42,
            currency: policy_keys::cart::Currency::Eur
        }
        .slot(),
        key_text::slot("42")
    );
    assert_eq!(Key::CartItems { user_id: 1 }.group(), Some("checkout"));
    assert_eq!(Key::UsersProfile { user_id: 1 }.group(), None);
}

#[test]
fn invalidation_lists_deleted_keys_and_generation_counters() {
    let user = policy_keys::invalidate::user(42);
    assert_eq!(
        user.delete,
        vec![
            policy_keys::users::profile(42),
            policy_keys::cart::items(42)
        ],
        "one key each: users.profile and cart.items are deleted; feeds.page carries the generation"
    );
    assert_eq!(user.incr, vec!["shop:1:gen:user:42".to_owned()]);
    assert_eq!(
        policy_keys::invalidate::user_generation(42),
        "shop:1:gen:user:42"
    );
    assert_eq!(policy_keys::feeds::page(42, 3, 5), "shop:1:feeds:42:3:5");
    let shop = policy_keys::invalidate::shop(9);
    assert!(shop.delete.is_empty());
    assert_eq!(shop.incr, vec!["shop:1:gen:shop:9".to_owned()]);
    let fixture = fixture();
    let strategies: Vec<(&str, &Strategy)> = fixture
        .keys
        .iter()
        .flat_map(|k| {
            k.depends_on
                .iter()
                .map(move |d| (k.name.as_str(), &d.strategy))
        })
        .collect();
    assert!(matches!(strategies[0], ("users.profile", Strategy::Delete)));
    assert!(matches!(
        strategies[1],
        ("feeds.page", Strategy::Generation { param: 2 })
    ));
    assert!(matches!(strategies[2], ("cart.items", Strategy::Delete)));
}

// ---------------------------------------------------------------------------
// check rules

fn check(source: &str) -> (Vec<Diagnostic>, String) {
    let catalogue = catalogue::parse("keys.yaml", source)
        .unwrap_or_else(|e| panic!("does not load:\n{e}\n{source}"));
    let diagnostics = keyspace::check(&catalogue);
    let mut sources = Sources::default();
    sources.insert(catalogue.path.clone(), catalogue.source.clone());
    let report = render_report(Format::Human, &diagnostics, &sources, false);
    (diagnostics, report)
}

#[track_caller]
fn only(source: &str, code: &str) -> (Diagnostic, String) {
    let (mut diagnostics, report) = check(source);
    assert_eq!(diagnostics.len(), 1, "expected one finding:\n{report}");
    let d = diagnostics.remove(0);
    assert_eq!(d.code, Some(code), "{report}");
    assert_eq!(d.severity, Severity::Error);
    (d, report)
}

#[track_caller]
fn load_error(source: &str) -> String {
    match catalogue::parse("keys.yaml", source) {
        Ok(_) => panic!("loads:\n{source}"),
        Err(e) => e.to_snippets(false),
    }
}

#[test]
fn ck008_a_memcached_ttl_over_30_days() {
    let (d, report) = only(
        "keys:\n  reports.monthly:\n    pattern: \"reports:{month}\"\n    params: { month: u32 }\n    ttl: 31d\n",
        "CK008",
    );
    assert_eq!(
        d.message,
        "`ttl` of `reports.monthly` is 31d (2678400 s), over the 30 days memcached takes as a relative expiry"
    );
    assert_eq!((d.location.line, d.location.column), (5, 10));
    insta::assert_snapshot!("ck008", report);
}

#[test]
fn ck008_a_memcached_negative_ttl_over_30_days() {
    let (d, _) = only(
        "keys:\n  a.b:\n    pattern: \"a:{id}\"\n    params: { id: u32 }\n    negative_ttl: 2592001\n",
        "CK008",
    );
    assert_eq!(
        d.message,
        "`negative_ttl` of `a.b` is 2592001 s, over the 30 days memcached takes as a relative expiry"
    );
}

#[test]
fn ck008_thirty_days_exactly_and_redis_are_fine() {
    let (d, r) = check("keys:\n  a.b: { pattern: \"a:{id}\", params: { id: u32 }, ttl: 30d }\n");
    assert!(d.is_empty(), "{r}");
    let (d, r) = check(
        "target: redis\nkeys:\n  a.b: { pattern: \"a:{id}\", params: { id: u32 }, ttl: 365d }\n",
    );
    assert!(d.is_empty(), "{r}");
}

#[test]
fn ck009_a_group_member_without_a_hash_tag() {
    let (d, report) = only(
        "target: redis\nkeys:\n  cart.items:\n    pattern: \"cart:{{{user_id}}}:items\"\n    params: { user_id: u64 }\n    group: checkout\n  cart.total:\n    pattern: \"cart:{user_id}:total\"\n    params: { user_id: u64 }\n    group: checkout\n",
        "CK009",
    );
    assert_eq!(
        d.message,
        "`cart.items` and `cart.total` are in group `checkout` but can land in different Redis Cluster slots: it has no hash tag, so Redis hashes the whole key"
    );
    assert_eq!((d.location.line, d.location.column), (10, 12));
    // The label's two keys really are in the slots it names.
    let keys: Vec<&str> = d.label.split('`').skip(1).step_by(2).collect();
    let slots: Vec<u16> = d
        .label
        .split("slot ")
        .skip(1)
        .map(|s| {
            s.split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(
        slots,
        vec![key_text::slot(keys[0]), key_text::slot(keys[1])],
        "{}",
        d.label
    );
    assert_ne!(slots[0], slots[1]);
    insta::assert_snapshot!("ck009", report);
}

#[test]
fn ck009_group_members_with_different_tags() {
    let (d, _) = only(
        "target: redis\nkeys:\n  cart.items:\n    pattern: \"cart:{{{user_id}}}:items\"\n    params: { user_id: u64 }\n    group: checkout\n  cart.total:\n    pattern: \"cart:{{u{user_id}}}:total\"\n    params: { user_id: u64 }\n    group: checkout\n",
        "CK009",
    );
    assert!(
        d.message
            .ends_with("its hash tag is not the tag of `cart.items`"),
        "{}",
        d.message
    );
}

#[test]
fn ck009_a_group_with_one_tag_is_clean() {
    let (d, r) = check(
        "target: redis\nkeys:\n  cart.items:\n    pattern: \"cart:{{{user_id}}}:items\"\n    params: { user_id: u64 }\n    group: checkout\n  cart.total:\n    pattern: \"total:{{{user_id}}}\"\n    params: { user_id: u64 }\n    group: checkout\n",
    );
    assert!(d.is_empty(), "{r}");
}

#[test]
fn ck010_an_unencoded_string_inside_the_tag() {
    let (all, report) = check(
        "target: redis\nkeys:\n  cart.items:\n    pattern: \"cart:{{{name}}}:items\"\n    params: { name: { type: str, encode: none, max_len: 20 } }\n",
    );
    // `encode: none` also lets in the separator (CK003) and the empty tag.
    let codes: Vec<_> = all.iter().map(|d| d.code.unwrap()).collect();
    assert_eq!(codes, ["CK010", "CK003", "CK010"], "{report}");
    let d = all[2].clone();
    assert_eq!(
        d.message,
        "parameter `name` of `cart.items` can render a brace inside the hash tag: a value with `}` cuts the tag short"
    );
    assert_eq!(d.label, "renders values such as `}`");
    insta::assert_snapshot!("ck010", report);
}

#[test]
fn ck010_an_enum_value_with_a_brace_before_the_tag() {
    let (d, _) = only(
        "target: redis\nkeys:\n  cart.items:\n    pattern: \"{kind}:{{{user_id}}}\"\n    params: { kind: { type: enum, values: [a, \"b{\"] }, user_id: u64 }\n",
        "CK010",
    );
    assert_eq!(
        d.message,
        "parameter `kind` of `cart.items` can render a brace before the hash tag: a value with `{` moves the tag"
    );
}

#[test]
fn ck010_a_tag_that_can_be_empty() {
    let (d, _) = only(
        "target: redis\nkeys:\n  cart.items:\n    pattern: \"cart:{{{name}}}:items\"\n    params: { name: { type: str, max_len: 10 } }\n",
        "CK010",
    );
    assert_eq!(
        d.message,
        "the hash tag of `cart.items` can be empty, and then Redis hashes the whole key"
    );
}

#[test]
fn ck011_a_dependency_without_the_entitys_parameter() {
    let (d, report) = only(
        "entities:\n  user: { user_id: u64 }\nkeys:\n  users.avatar:\n    pattern: \"avatars:{id}\"\n    params: { id: u64 }\n    depends_on: [user]\n",
        "CK011",
    );
    assert_eq!(
        d.message,
        "`users.avatar` depends on `user`, but it has no parameter `user_id`, which identifies a user"
    );
    assert_eq!((d.location.line, d.location.column), (7, 18));
    insta::assert_snapshot!("ck011", report);
}

#[test]
fn ck011_a_dependency_whose_parameter_has_another_type() {
    let (d, _) = only(
        "entities:\n  user: { user_id: u64 }\nkeys:\n  users.avatar:\n    pattern: \"avatars:{user_id}\"\n    params: { user_id: u32 }\n    depends_on: [user]\n",
        "CK011",
    );
    assert_eq!(
        d.message,
        "`users.avatar` depends on `user`, but its parameter `user_id` is a `u32`, but the entity's is a `u64`"
    );
}

#[test]
fn a_generation_counter_that_collides_with_a_key_is_ck004() {
    let (d, _) = only(
        "entities:\n  user: { user_id: u64 }\nkeys:\n  feeds.page:\n    pattern: \"feeds:{user_id}:{page}\"\n    params: { user_id: u64, page: u32 }\n    depends_on: [user]\n  misc.other:\n    pattern: \"gen:user:{n}\"\n    params: { n: u64 }\n",
        "CK004",
    );
    assert_eq!(
        d.message,
        "the generation counter of `user` and `misc.other` can render the same key `gen:user:0`"
    );
}

#[test]
fn an_unknown_entity_is_a_load_error() {
    let text = load_error(
        "entities:\n  user: { user_id: u64 }\nkeys:\n  a.b:\n    pattern: \"a:{user_id}\"\n    params: { user_id: u64 }\n    depends_on: [usr]\n",
    );
    assert!(
        text.contains("error: `a.b` depends on the unknown entity `usr`"),
        "{text}"
    );
    assert!(
        text.contains("help: did you mean `user`? declare it under `entities:`"),
        "{text}"
    );
    assert!(text.contains("keys.yaml:7:18"), "{text}");
}

#[test]
fn ttl_jitter_out_of_range_is_a_load_error() {
    let text = load_error("keys:\n  a.b: { pattern: \"a\", ttl: 1h, ttl_jitter: 150 }\n");
    assert!(
        text.contains("error: `ttl_jitter` must be a percentage from 1 to 99"),
        "{text}"
    );
}

#[test]
fn ttl_jitter_without_ttl_is_a_load_error() {
    let text = load_error("keys:\n  a.b: { pattern: \"a\", ttl_jitter: 10 }\n");
    assert!(
        text.contains("error: `ttl_jitter` needs a `ttl` to spread"),
        "{text}"
    );
    assert!(
        text.contains("help: add `ttl:`, or remove `ttl_jitter`"),
        "{text}"
    );
}

#[test]
fn an_invalid_negative_ttl_names_its_field() {
    let text = load_error("keys:\n  a.b: { pattern: \"a\", negative_ttl: 5 weeks }\n");
    assert!(
        text.contains("error: invalid negative_ttl `5 weeks`"),
        "{text}"
    );
}

#[test]
fn an_enum_entity_parameter_is_a_load_error() {
    let text = load_error(
        "entities:\n  user: { kind: { type: enum, values: [a] } }\nkeys:\n  a.b: { pattern: \"a\" }\n",
    );
    assert!(
        text.contains("error: parameter `kind` of entity `user` is an enum"),
        "{text}"
    );
}

#[test]
fn a_group_name_that_is_not_snake_case_is_a_load_error() {
    let text = load_error("keys:\n  a.b: { pattern: \"a\", group: Check-Out }\n");
    assert!(
        text.contains("error: group name `Check-Out` is not snake_case"),
        "{text}"
    );
}

#[test]
fn a_group_named_invalidate_is_reserved_with_entities() {
    let text = load_error(
        "entities:\n  user: { user_id: u64 }\nkeys:\n  invalidate.all: { pattern: \"a\" }\n",
    );
    assert!(
        text.contains("error: `invalidate.all` would be in the generated module `invalidate`"),
        "{text}"
    );
}

#[test]
fn explain_key_slot_prints_the_cluster_slot() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let key = policy_keys::cart::items(42);
    let slot = Key::CartItems { user_id: 42 }.slot();
    common::cachekeys(root)
        .args(["explain-key", "--slot", "-c", "tests/fixtures/policy.yaml", &key])
        .assert()
        .code(0)
        .stdout(format!(
            "{key}\n  entry:    cart.items  (keys::cart::items)\n  user_id:  42\n  ttl:      none\n  slot:     {slot}\n"
        ));
    // Without `--slot`, no slot line.
    common::cachekeys(root)
        .args(["explain-key", "-c", "tests/fixtures/policy.yaml", &key])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("slot").not());
}

#[test]
fn the_readme_example_catalogue_checks_clean() {
    let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
    let section = &readme[readme.find("## Keys that evolve").unwrap()..];
    let start = section.find("```yaml\n").unwrap() + 8;
    let yaml = &section[start..start + section[start..].find("```").unwrap()];
    let (diagnostics, report) = check(yaml);
    assert!(diagnostics.is_empty(), "{report}");
    let code = cachekeys::generate(&catalogue::parse("keys.yaml", yaml).unwrap());
    for item in [
        "pub fn slot",
        "pub mod invalidate",
        "PROFILE_NEGATIVE_TTL",
        "pub fn profile_ttl",
    ] {
        assert!(code.contains(item), "{item}");
    }
}

#[test]
fn a_sibling_named_like_the_jitter_function_is_a_load_error() {
    let text = load_error(
        "keys:\n  a.b: { pattern: \"a\", ttl: 1h, ttl_jitter: 5 }\n  a.b_ttl: { pattern: \"b\" }\n",
    );
    assert!(
        text.contains("error: `a.b` and `a.b_ttl` would both generate `b_ttl`"),
        "{text}"
    );
    assert!(text.contains("help: rename `a.b_ttl`"), "{text}");
}

#[test]
fn a_sibling_named_like_the_negative_ttl_constant_is_a_load_error() {
    let text = load_error(
        "keys:\n  a.b: { pattern: \"a\", negative_ttl: 5s }\n  a.b_negative: { pattern: \"b\", ttl: 1h }\n",
    );
    assert!(
        text.contains("error: `a.b` and `a.b_negative` would both generate `B_NEGATIVE_TTL`"),
        "{text}"
    );
}

#[test]
fn depends_on_that_is_not_a_list_is_a_load_error() {
    let text = load_error(
        "entities:\n  user: { user_id: u64 }\nkeys:\n  a.b: { pattern: \"a:{user_id}\", params: { user_id: u64 }, depends_on: user }\n",
    );
    assert!(
        text.contains("error: `depends_on` must be a list of entity names"),
        "{text}"
    );
    assert!(text.contains("keys.yaml:4:72"), "{text}");
}

#[test]
fn entities_that_are_not_a_mapping_are_a_load_error() {
    let text = load_error("entities: [user]\nkeys:\n  a.b: { pattern: \"a\" }\n");
    assert!(
        text.contains("error: `entities` must be a mapping from entity names to their parameters"),
        "{text}"
    );
}

#[test]
fn an_entity_without_parameters_is_a_load_error() {
    let text = load_error("entities:\n  user: {}\nkeys:\n  a.b: { pattern: \"a\" }\n");
    assert!(
        text.contains("error: entity `user` has no parameters"),
        "{text}"
    );
    assert!(
        text.contains("help: list what identifies one user, e.g. `user: { user_id: u64 }`"),
        "{text}"
    );
}

#[test]
fn a_value_that_is_not_a_string_is_a_load_error() {
    let text = load_error("keys:\n  a.b: { pattern: \"a\", value: [x] }\n");
    assert!(text.contains("error: `value` must be a string"), "{text}");
}

#[test]
fn explain_key_decodes_generation_counters() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let key = policy_keys::invalidate::user_generation(42);
    common::cachekeys(root)
        .args(["explain-key", "-c", "tests/fixtures/policy.yaml", &key])
        .assert()
        .code(0)
        .stdout(format!(
            "{key}\n  entry:    invalidate.user_generation  (keys::invalidate::user_generation)\n  user_id:  42\n  ttl:      none\n  doc:      The generation counter of one `user`: keys that depend on it include its value.\n"
        ));
}
