//! `cachekeys explain-key`: decoded keys on stdout, exit codes, and the
//! hints for keys that match no entry.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `cachekeys explain-key` run from the repository root, so the default
/// catalogue is the top-level `keys.yaml`.
fn explain_key() -> Command {
    let mut cmd = Command::cargo_bin("cachekeys").unwrap();
    cmd.current_dir(root())
        .env("NO_COLOR", "1")
        .arg("explain-key");
    cmd
}

/// A temporary directory holding `keys.yaml` with `source`.
fn catalogue(source: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keys.yaml"), source).unwrap();
    dir
}

#[test]
fn explains_the_example_key_from_keys_yaml() {
    explain_key()
        .arg("shop:2:users:by-email:A%3Ab%20c%40x")
        .assert()
        .code(0)
        .stdout(
            "shop:2:users:by-email:A%3Ab%20c%40x\n\
             \x20 entry:  users.by_email  (keys::users::by_email)\n\
             \x20 email:  \"A:b c@x\"\n\
             \x20 ttl:    30m (1800 s)\n\
             \x20 doc:    The user id that owns an email address.\n",
        )
        .stderr("");
}

#[test]
fn explains_every_key_given_with_aligned_labels() {
    explain_key()
        .args([
            "shop:1:profiles:avatar:18446744073709551615:large",
            "shop:1:users:session:67e55044-10b1-426f-9247-bb680e5fe0c8",
            "shop:1:catalog:price:7:-32768",
            "shop:1:users:flags:0:false",
            "shop:1:health",
        ])
        .assert()
        .code(0)
        .stdout(
            "shop:1:profiles:avatar:18446744073709551615:large\n\
             \x20 entry:    profiles.avatar  (keys::profiles::avatar)\n\
             \x20 user_id:  18446744073709551615\n\
             \x20 size:     large\n\
             \x20 ttl:      7d (604800 s)\n\
             \x20 doc:      Rendered avatar URLs of one user, per size.\n\
             \n\
             shop:1:users:session:67e55044-10b1-426f-9247-bb680e5fe0c8\n\
             \x20 entry:       users.session  (keys::users::session)\n\
             \x20 session_id:  67e55044-10b1-426f-9247-bb680e5fe0c8\n\
             \x20 ttl:         86400 s\n\
             \x20 doc:         A login session.\n\
             \n\
             shop:1:catalog:price:7:-32768\n\
             \x20 entry:           catalog.price  (keys::catalog::price)\n\
             \x20 product_id:      7\n\
             \x20 currency_delta:  -32768\n\
             \x20 ttl:             none\n\
             \x20 doc:             A price adjustment by product and signed currency offset.\n\
             \n\
             shop:1:users:flags:0:false\n\
             \x20 entry:    users.flags  (keys::users::flags)\n\
             \x20 user_id:  0\n\
             \x20 beta:     false\n\
             \x20 ttl:      5m (300 s)\n\
             \x20 doc:      Feature flags resolved for one user, with or without beta features.\n\
             \n\
             shop:1:health\n\
             \x20 entry:  health  (keys::health)\n\
             \x20 ttl:    30 s\n\
             \x20 doc:    The health-check probe value.\n",
        )
        .stderr("");
}

#[test]
fn a_key_no_entry_produces_exits_1_with_a_hint() {
    explain_key()
        .args(["shop:1:health", "shop:1:feeds:home:fr:03"])
        .assert()
        .code(1)
        // The keys that decode are still explained.
        .stdout(predicate::str::starts_with("shop:1:health\n  entry:  health"))
        .stderr(predicate::str::contains(
            "error: no entry of keys.yaml produces this key\n  --> shop:1:feeds:home:fr:03\n",
        ))
        .stderr(predicate::str::contains(
            "= help: the closest entry is `feeds.home` (`shop:1:feeds:home:{locale}:{page}`), but the rest is not what it renders",
        ));
}

#[test]
fn non_canonical_spellings_are_not_decoded() {
    for key in [
        // Lowercase hex in a percent escape, and an escaped unreserved byte.
        "shop:2:users:by-email:a%3ab",
        "shop:2:users:by-email:%41",
        // A leading zero, a plus sign, minus zero, out of range.
        "shop:1:profiles:profile:042",
        "shop:1:profiles:profile:+42",
        "shop:1:catalog:price:1:-0",
        "shop:1:catalog:price:1:32768",
        "shop:1:profiles:profile:18446744073709551616",
        // An uppercase UUID, an unknown enum value, a truncated key, a suffix.
        "shop:1:users:session:67E55044-10B1-426F-9247-BB680E5FE0C8",
        "shop:1:profiles:avatar:1:huge",
        "shop:1:profiles:profile:",
        "shop:1:health:x",
    ] {
        explain_key()
            .arg(key)
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "error: no entry of keys.yaml produces this key\n  --> {key}\n  = help: "
            )));
    }
}

#[test]
fn a_key_unlike_any_entry_gets_an_example_shape() {
    explain_key()
        .arg("sessions:abc")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "= help: every key of this catalogue starts with `shop:`",
        ));
    explain_key()
        .arg("shop:9:x")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "= help: no entry's keys start like this one; they look like `shop:1:profiles:profile:{user_id}`",
        ));
    explain_key()
        .arg("shop:1:profile:42")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "= help: the closest entry is `profiles.profile`, whose keys look like `shop:1:profiles:profile:{user_id}`",
        ));
}

#[test]
fn digests_and_raw_values_are_labelled() {
    let dir = catalogue(
        "keys:\n\
         \x20 search.results:\n\
         \x20   pattern: \"search:{query}:{raw}\"\n\
         \x20   params:\n\
         \x20     query: { type: str, encode: sha256 }\n\
         \x20     raw: { type: str, encode: none }\n",
    );
    // SHA-256 of "abc".
    let digest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    explain_key()
        .current_dir(dir.path())
        .arg(format!("search:{digest}:a b\"c"))
        .assert()
        .code(0)
        .stdout(format!(
            "search:{digest}:a b\"c\n\
             \x20 entry:  search.results  (keys::search::results)\n\
             \x20 query:  sha256:{digest}  (a digest: the value itself is not in the key)\n\
             \x20 raw:    \"a b\\\"c\"\n\
             \x20 ttl:    none\n"
        ));
}

#[test]
fn an_ambiguous_key_lists_every_decoding_and_warns() {
    let dir = catalogue(
        "keys:\n\
         \x20 a.by_id:\n\
         \x20   pattern: \"x:{id}\"\n\
         \x20   params: { id: u64 }\n\
         \x20 a.by_name:\n\
         \x20   pattern: \"x:{name}\"\n\
         \x20   params: { name: str }\n",
    );
    explain_key()
        .current_dir(dir.path())
        .arg("x:42")
        .assert()
        .code(0)
        .stdout(
            "x:42\n\
             \x20 entry:  a.by_id  (keys::a::by_id)\n\
             \x20 id:     42\n\
             \x20 ttl:    none\n\
             \n\
             \x20 entry:  a.by_name  (keys::a::by_name)\n\
             \x20 name:   \"42\"\n\
             \x20 ttl:    none\n",
        )
        .stderr(predicate::str::contains(
            "warning: `x:42` decodes 2 ways (`a.by_id`, `a.by_name`): the catalogue is ambiguous",
        ));
}

#[test]
fn a_multi_line_doc_stays_aligned() {
    let dir = catalogue(
        "keys:\n\
         \x20 health:\n\
         \x20   pattern: \"health\"\n\
         \x20   doc: |\n\
         \x20     First line.\n\
         \x20     Second line.\n",
    );
    explain_key()
        .current_dir(dir.path())
        .arg("health")
        .assert()
        .code(0)
        .stdout(
            "health\n\
             \x20 entry:  health  (keys::health)\n\
             \x20 ttl:    none\n\
             \x20 doc:    First line.\n\
             \x20         Second line.\n",
        );
}

#[test]
fn a_bad_catalogue_exits_2() {
    let dir = catalogue("keys:\n  a:\n    pattern: \"a:{id}\"\n");
    explain_key()
        .current_dir(dir.path())
        .arg("a:1")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "error: placeholder `{id}` is not declared in `params`",
        ));
    explain_key()
        .args(["-c", "no/such/keys.yaml", "a:1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read catalogue `no/such/keys.yaml`",
        ));
}

#[test]
fn usage_errors_exit_2() {
    // No key.
    explain_key()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("<KEY>..."));
    explain_key().args(["--frobnicate", "x"]).assert().code(2);
}

#[test]
fn the_catalogue_can_be_given_with_c() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("keys.yaml"), dir.path().join("cache.yaml")).unwrap();
    explain_key()
        .args(["-c"])
        .arg(dir.path().join("cache.yaml"))
        .arg("shop:1:profiles:profile:42")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("  user_id:  42\n"));
    explain_key()
        .current_dir(dir.path())
        .args(["--catalogue", "cache.yaml", "nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error: no entry of cache.yaml produces this key",
        ));
}

#[test]
fn help_shows_examples_and_exit_codes() {
    explain_key()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "cachekeys explain-key shop:1:profiles:profile:42",
        ))
        .stdout(predicate::str::contains(
            "Exits 1 when some key matches no entry.",
        ));
    Command::cargo_bin("cachekeys")
        .unwrap()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("explain-key"));
}
