//! Python and TypeScript key modules: snapshots of the output, the strict
//! type checkers on it, and proof that they render and parse byte for byte
//! as the Rust side does, run on the real interpreters.
//!
//! Vectors come from the library's own rendering (`key_text`,
//! which includes the very helpers the generated Rust code uses): every
//! entry of every test catalogue with boundary, random and adversarial
//! arguments, and the decoding of those keys and of mutated ones. The
//! drivers in `tests/languages/` run them through the generated modules.
//! The Django tests configure a real Django in-process, with the locmem
//! cache and then with pymemcache against a real memcached on 127.0.0.1.
//!
//! A missing python3, node, mypy, Django, pymemcache, tsc or memcached
//! skips a test locally and fails it under CI (`CI` set): `.ci/run`
//! installs them all.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cachekeys::__private::key_text::{Arg, Decoded};
use cachekeys::__private::lang::{Language, generate as render};
use cachekeys::catalogue::{Catalogue, Encoding, ParamType, Strategy};
use serde_json::{Value, json};

use crate::common::Rng;
use crate::servers;

/// The catalogues every cross-language test runs on.
const CATALOGUES: [&str; 8] = [
    "keys.yaml",
    "tests/fixtures/policy.yaml",
    "tests/fixtures/all_types.yaml",
    "tests/fixtures/languages/adversarial.yaml",
    "tests/fixtures/languages/bare.yaml",
    "tests/fixtures/languages/bounded_raw.yaml",
    "tests/fixtures/languages/django.yaml",
    "tests/fixtures/languages/django_prefixed.yaml",
];

/// The catalogues with `layout: django`.
const DJANGO_CATALOGUES: [&str; 2] = [
    "tests/fixtures/languages/django.yaml",
    "tests/fixtures/languages/django_prefixed.yaml",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn load(path: &str) -> Catalogue {
    cachekeys::catalogue::load(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn module(path: &str, language: Language) -> String {
    render(&load(path), language, None).unwrap_or_else(|e| panic!("{path}: {e}"))
}

// ---------------------------------------------------------------------------
// Tools: found, or skipped locally and failed under CI.

fn under_ci() -> bool {
    std::env::var_os("CI").is_some()
}

/// Whether the tool is there; if not, panics under CI and skips otherwise.
fn require(what: &str, found: bool, install: &str) -> bool {
    if found {
        return true;
    }
    assert!(
        !under_ci(),
        "{what} is missing and CI is set: {install} (.ci/run does)"
    );
    eprintln!("skipped: {what} is missing; {install}");
    false
}

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn python_with(modules: &[&str]) -> bool {
    let imports = format!("import {}", modules.join(", "));
    require(
        &format!("python3 with {}", modules.join(", ")),
        runs("python3", &["-c", &imports]),
        &format!("pip install {}", modules.join(" ")),
    )
}

/// Where `.ci/run` installs typescript and @types/node.
fn node_tools() -> PathBuf {
    std::env::var_os("CACHEKEYS_NODE_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/node-tools"))
}

fn tsc() -> Option<PathBuf> {
    let tools = node_tools();
    let tsc = tools.join("node_modules/.bin/tsc");
    let found = runs("node", &["--version"])
        && tsc.is_file()
        && tools.join("node_modules/@types/node").is_dir();
    require(
        "node with typescript and @types/node",
        found,
        &format!(
            "npm install --prefix {} typescript @types/node",
            tools.display()
        ),
    )
    .then_some(tsc)
}

fn run(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

// ---------------------------------------------------------------------------
// Vectors from the Rust side.

/// Strings that break hand-built keys or naive encoders: separators, `%`,
/// braces, the characters `encodeURIComponent` keeps, whitespace, control
/// bytes, non-ASCII in one to four UTF-8 bytes.
const STRINGS: [&str; 34] = [
    "",
    "a",
    "plain-text_1.2~",
    ":",
    "::",
    "a:b",
    "-",
    "a-1",
    "x-1-2",
    "%",
    "%41",
    "%3a",
    "100%",
    "!'()*",
    "a b",
    "+",
    "/?#[]@&=$,;",
    "\"\\",
    "{x}",
    "{{",
    "\r\n",
    "\0",
    "\u{7f}",
    "\u{1}\u{1b}[31m",
    "é",
    "e\u{301}",
    "日本語",
    "🦀",
    "👩\u{200d}👧",
    "\u{a0}\u{2028}\u{feff}",
    "\u{ffff}",
    "\u{10ffff}",
    "λ::7",
    "q\"b\\é::7::p::",
];

/// Candidate values of one parameter: boundaries, random ones and, for
/// strings, the adversarial list and values of exactly `max_len` bytes.
fn candidates(ty: &ParamType, max_len: Option<u64>, rng: &mut Rng) -> Vec<Arg> {
    match ty {
        ParamType::Int(int) => {
            let (min, max) = int.range();
            let mut values = vec![min, max, 0, 1, min + 1, max - 1];
            if min < 0 {
                values.extend([-1, -10, 10]);
            }
            for _ in 0..3 {
                let span = (max - min) as u128 + 1;
                let r = (u128::from(rng.next()) << 64 | u128::from(rng.next())) % span;
                values.push(min + r as i128);
            }
            values.sort_unstable();
            values.dedup();
            values.into_iter().map(Arg::Int).collect()
        }
        ParamType::Bool => vec![Arg::Bool(false), Arg::Bool(true)],
        ParamType::Uuid => vec![
            Arg::Uuid(0),
            Arg::Uuid(u128::MAX),
            Arg::Uuid(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
            Arg::Uuid(u128::from(rng.next()) << 64 | u128::from(rng.next())),
        ],
        ParamType::Enum(values) => values.iter().cloned().map(Arg::Enum).collect(),
        ParamType::Str(encoding) => {
            // Every value, whatever the bound: one past `max_len` is written
            // in its over-long form, which the other languages must match.
            let mut values: Vec<String> = STRINGS.iter().map(|s| (*s).to_owned()).collect();
            // Random mixes of the adversarial pieces.
            for _ in 0..6 {
                let mut s = String::new();
                for _ in 0..rng.below(5) {
                    s.push_str(STRINGS[rng.below(STRINGS.len())]);
                }
                values.push(s);
            }
            match max_len {
                Some(n) => values.extend(around_the_bound(n as usize)),
                None if *encoding == Encoding::Sha256 => {
                    values.push("a".repeat(10 * 1024));
                    values.push("🦀".repeat(1000));
                    // Block boundaries of SHA-256 padding.
                    for len in [55, 56, 63, 64, 65] {
                        values.push("x".repeat(len));
                    }
                }
                None => values.push("é:%".repeat(200)),
            }
            values.into_iter().map(Arg::Str).collect()
        }
    }
}

/// Values of a `str` with a `max_len` of `n` bytes on both sides of it:
/// the longest it takes as they are (and their longest encodings, every
/// byte escaped), and longer ones, written in the over-long form: one byte
/// more, 300 bytes, 10,000 bytes, multi-byte characters that straddle the
/// bound, and texts that look like the form themselves.
fn around_the_bound(n: usize) -> Vec<String> {
    let mut values = Vec::new();
    for unit in ["a", "é", "🦀", ":", "%"] {
        values.push(unit.repeat(n / unit.len()));
    }
    values.push("a".repeat(n + 1));
    values.push(":".repeat(n + 1));
    values.push("x".repeat(300));
    values.push("y".repeat(10_000));
    values.push("🦀".repeat(2_500));
    // A 2- and a 4-byte character ending exactly at the bound, and one byte
    // past it.
    for (unit, len) in [("é", 2), ("🦀", 4)] {
        for end in [n, n + 1] {
            if let Some(head) = end.checked_sub(len) {
                values.push(format!("{}{unit}", "a".repeat(head)));
            }
        }
    }
    // The form itself as a value: within a bound of 72 bytes or more, a raw
    // one is written as it is, one byte short of its own over-long form.
    let digest = "0123456789abcdef".repeat(4);
    values.push(format!("%sha256-{digest}"));
    values.push(format!(
        "%sha256-{digest}{}",
        "-".repeat(n.saturating_sub(72))
    ));
    values.push(format!("%sha256-{}", digest.to_uppercase()));
    values
}

fn arg_json(arg: &Arg) -> Value {
    match arg {
        Arg::Int(n) => json!({ "int": n.to_string() }),
        Arg::Bool(b) => json!({ "bool": b }),
        Arg::Uuid(_) => json!({ "uuid": arg.to_string() }),
        Arg::Enum(v) => json!({ "enum": v }),
        Arg::Str(s) => json!({ "str": s }),
        Arg::Digest(d) => json!({ "digest": d }),
    }
}

fn decoded_json(catalogue: &Catalogue, decoded: Option<&Decoded>) -> Value {
    match decoded {
        None => Value::Null,
        Some(d) => json!({
            "entry": d.key(catalogue).name,
            "args": d.args.iter().map(arg_json).collect::<Vec<_>>(),
        }),
    }
}

/// Texts near a key that must decode as the Rust side decodes them, most
/// to nothing: one more or one less character, other case, a `%` escape
/// in lowercase.
fn mutations(key: &str) -> Vec<String> {
    let mut out = vec![
        format!("{key}0"),
        format!("{key}:"),
        format!("0{key}"),
        key.to_uppercase(),
        key.to_lowercase(),
    ];
    let mut shorter = key.to_owned();
    if shorter.pop().is_some() {
        out.push(shorter);
    }
    if let Some(at) = key.find('%') {
        let mut lower = key.to_owned();
        lower.replace_range(
            at..(at + 3).min(key.len()),
            &key[at..(at + 3).min(key.len())].to_lowercase(),
        );
        out.push(lower);
    }
    out
}

/// The vector file of a catalogue: its view, render cases and parse cases.
fn vectors(catalogue: &Catalogue) -> Value {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut render_cases = Vec::new();
    let mut keys = Vec::new();
    for entry in &catalogue.keys {
        let options: Vec<Vec<Arg>> = entry
            .params
            .iter()
            .map(|p| candidates(&p.ty, p.max_len, &mut rng))
            .collect();
        let mut tuples: Vec<Vec<Arg>> = Vec::new();
        // Each candidate of each parameter, the others at their first.
        for (i, values) in options.iter().enumerate() {
            for value in values {
                let mut tuple: Vec<Arg> = options.iter().map(|o| o[0].clone()).collect();
                tuple[i] = value.clone();
                tuples.push(tuple);
            }
        }
        // And random combinations.
        if !options.is_empty() {
            for _ in 0..40 {
                tuples.push(
                    options
                        .iter()
                        .map(|o| o[rng.below(o.len())].clone())
                        .collect(),
                );
            }
        } else {
            tuples.push(Vec::new());
        }
        tuples.sort_by_key(|t| format!("{t:?}"));
        tuples.dedup();
        for args in tuples {
            let key = cachekeys::__private::key_text::build(catalogue, entry, &args);
            keys.push(key.clone());
            render_cases.push(json!({
                "entry": entry.name,
                "args": args.iter().map(arg_json).collect::<Vec<_>>(),
                "key": key,
            }));
        }
    }
    let reject_cases = rejected_arguments(catalogue);
    let mut texts: Vec<String> = keys.iter().flat_map(|k| mutations(k)).collect();
    texts.extend(keys);
    texts.extend(["".to_owned(), "%".to_owned(), ":".to_owned()]);
    texts.sort();
    texts.dedup();
    let slot_cases = slot_vectors(catalogue, &texts);
    let parse_cases: Vec<Value> = texts
        .into_iter()
        .map(|key| {
            let decoded = cachekeys::__private::key_text::parse(catalogue, &key);
            json!({ "key": key, "expected": decoded_json(catalogue, decoded.as_ref()) })
        })
        .collect();
    json!({
        "catalogue": { "prefix": catalogue.prefix, "version": catalogue.version },
        "view": cachekeys::__private::lang::view(catalogue),
        "render": render_cases,
        "parse": parse_cases,
        "reject": reject_cases,
        "jitter": jitter_vectors(catalogue, &mut rng),
        "jitter_reject": ["-1", "18446744073709551616"],
        "slot": slot_cases,
        "invalidate": invalidation_vectors(catalogue, &mut rng),
    })
}

/// What the Rust `invalidate::<entity>(..)` returns, for boundary and
/// random arguments of every entity: each deleted entry rendered with the
/// entity's arguments (matched by name), and the generation counter when
/// some entry takes it.
fn invalidation_vectors(catalogue: &Catalogue, rng: &mut Rng) -> Vec<Value> {
    let mut cases = Vec::new();
    for entity in &catalogue.entities {
        let counter = catalogue.generation_entry(entity);
        let options: Vec<Vec<Arg>> = entity
            .params
            .iter()
            .map(|p| candidates(&p.ty, p.max_len, rng))
            .collect();
        for _ in 0..20 {
            let args: Vec<Arg> = options
                .iter()
                .map(|o| o[rng.below(o.len())].clone())
                .collect();
            let by_name = |name: &str| {
                let i = entity.params.iter().position(|p| p.name == name).unwrap();
                args[i].clone()
            };
            let mut delete = Vec::new();
            let mut incr = Vec::new();
            for key in &catalogue.keys {
                for dep in key.depends_on.iter().filter(|d| d.entity == entity.name) {
                    match dep.strategy {
                        Strategy::Delete => {
                            let key_args: Vec<Arg> =
                                key.params.iter().map(|p| by_name(&p.name)).collect();
                            delete.push(cachekeys::__private::key_text::build(
                                catalogue, key, &key_args,
                            ));
                        }
                        Strategy::Generation { .. } if incr.is_empty() => {
                            incr.push(cachekeys::__private::key_text::build(
                                catalogue, &counter, &args,
                            ));
                        }
                        _ => {}
                    }
                }
            }
            cases.push(json!({
                "entity": entity.name,
                "args": args.iter().map(arg_json).collect::<Vec<_>>(),
                "delete": delete,
                "incr": incr,
            }));
        }
    }
    cases
}

/// Keys whose hash tag is hard to find: empty tags, a `}` before the `{`,
/// two tags, unclosed braces, non-ASCII inside and outside the tag.
const SLOT_EDGES: [&str; 14] = [
    "",
    "foo",
    "{",
    "}",
    "{}",
    "{}{a}",
    "}{a}",
    "{a}{b}",
    "a{b",
    "a{{b}}",
    "{user1000}.following",
    "x{\u{e9}t\u{e9}}y",
    "\u{1f600}{\u{1f600}}",
    "caf\u{e9}:{}:\u{2603}",
];

/// `slot(key)` cases, when the Rust module has `Key::slot()`: every key
/// the other vectors render or parse, and the hash-tag edge cases.
fn slot_vectors(catalogue: &Catalogue, texts: &[String]) -> Vec<Value> {
    if !cachekeys::__private::keyspace::slot::uses_cluster(catalogue) {
        return Vec::new();
    }
    texts
        .iter()
        .map(String::as_str)
        .chain(SLOT_EDGES)
        .map(|key| json!({ "key": key, "slot": cachekeys::__private::key_text::slot(key) }))
        .collect()
}

/// `<key>_ttl(seed)` cases for every entry with a `ttl_jitter`: seeds at
/// the ends of `u64` and around 2^53 (where a JavaScript `number` stops
/// being exact), and random ones. Seeds are strings, as JSON numbers lose
/// precision past 2^53.
fn jitter_vectors(catalogue: &Catalogue, rng: &mut Rng) -> Vec<Value> {
    let mut cases = Vec::new();
    for entry in &catalogue.keys {
        if entry.ttl.is_none() || entry.ttl_jitter.is_none() {
            continue;
        }
        let mut seeds = vec![0, 1, 2, (1 << 53) - 1, 1 << 53, u64::MAX - 1, u64::MAX];
        seeds.extend((0..60).map(|_| rng.next()));
        seeds.extend((0..20).map(|_| rng.next() >> 12));
        for seed in seeds {
            let ttl = cachekeys::__private::key_text::jittered_ttl(entry, seed).unwrap();
            cases.push(json!({
                "entry": entry.name,
                "seed": seed.to_string(),
                "seconds": ttl.as_secs(),
            }));
        }
    }
    cases
}

/// Calls no key function may render: for each parameter in turn, a value
/// the Rust signature cannot take (an integer out of range, a `bool` given
/// as `1`, a string not among the enum's values, a malformed UUID), the
/// other arguments valid.
fn rejected_arguments(catalogue: &Catalogue) -> Vec<Value> {
    let mut rng = Rng(7);
    let mut cases = Vec::new();
    for entry in &catalogue.keys {
        let valid: Vec<Value> = entry
            .params
            .iter()
            .map(|p| arg_json(&candidates(&p.ty, p.max_len, &mut rng)[0]))
            .collect();
        for (i, param) in entry.params.iter().enumerate() {
            let bad = match &param.ty {
                ParamType::Int(int) => {
                    let (min, max) = int.range();
                    vec![
                        json!({ "int": (min - 1).to_string() }),
                        json!({ "int": (max + 1).to_string() }),
                    ]
                }
                ParamType::Bool => vec![json!({ "raw": 1 })],
                ParamType::Enum(_) => vec![json!({ "raw": "no-such-value" })],
                ParamType::Uuid => vec![json!({ "raw": "0123-not-a-uuid" })],
                ParamType::Str(_) => vec![json!({ "raw": 42 })],
            };
            for value in bad {
                let mut args = valid.clone();
                args[i] = value;
                cases.push(json!({ "entry": entry.name, "args": args }));
            }
        }
    }
    cases
}

/// Writes the module and the vectors of a catalogue into `dir`, returning
/// their paths and the number of cases.
fn write_case(dir: &Path, path: &str, language: Language) -> (PathBuf, PathBuf, usize) {
    let catalogue = load(path);
    let stem = Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("keys")
        .to_owned();
    let module_path = match language {
        Language::Python => dir.join(format!("{stem}_keys.py")),
        Language::TypeScript => dir.join(format!("{stem}_keys.ts")),
    };
    std::fs::write(&module_path, module(path, language)).unwrap();
    let vectors = vectors(&catalogue);
    let count = vectors["render"].as_array().map_or(0, Vec::len)
        + vectors["parse"].as_array().map_or(0, Vec::len);
    let vectors_path = dir.join(format!("{stem}_vectors.json"));
    std::fs::write(&vectors_path, vectors.to_string()).unwrap();
    (module_path, vectors_path, count)
}

/// The policy catalogue's vectors hold jittered TTLs that are spread
/// (within 10% below the 1h TTL, many distinct ones) and slots of tagged
/// and untagged keys; a catalogue without `Key::slot()` has no slot cases.
#[test]
fn the_policy_vectors_hold_spread_ttls_and_slots() {
    let policy = vectors(&load("tests/fixtures/policy.yaml"));
    let jitter = policy["jitter"].as_array().unwrap();
    let seconds: std::collections::BTreeSet<u64> = jitter
        .iter()
        .map(|c| c["seconds"].as_u64().unwrap())
        .collect();
    assert!(jitter.len() > 80, "only {} jitter cases", jitter.len());
    assert!(seconds.len() > 40, "not spread: {seconds:?}");
    assert!(
        seconds.iter().all(|s| (3240..=3600).contains(s)),
        "{seconds:?}"
    );
    let slots: std::collections::BTreeSet<u64> = policy["slot"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slot"].as_u64().unwrap())
        .collect();
    assert!(slots.len() > 50, "only {} distinct slots", slots.len());
    assert!(slots.contains(&12182), "CLUSTER KEYSLOT foo is 12182");
    let invalidate = policy["invalidate"].as_array().unwrap();
    assert_eq!(invalidate.len(), 40, "20 per entity");
    assert!(
        invalidate
            .iter()
            .all(|c| c["incr"].as_array().unwrap().len() == 1)
    );
    assert!(
        invalidate
            .iter()
            .any(|c| c["delete"].as_array().unwrap().len() == 2)
    );
    let plain = vectors(&load("keys.yaml"));
    assert_eq!(plain["slot"].as_array().unwrap().len(), 0);
    assert_eq!(plain["jitter"].as_array().unwrap().len(), 0);
}

/// The vectors reach the over-long form: for every bounded `str` of every
/// catalogue, values past `max_len` and within it, and each key of a value
/// past it holds the form and parses to its digest. Without them the
/// byte-for-byte tests would not test the form.
#[test]
fn the_vectors_hold_over_long_values_of_every_bounded_str() {
    let mut bounded = 0;
    for path in CATALOGUES {
        let vectors = vectors(&load(path));
        let marker = vectors["view"]["over_long"].as_str().unwrap();
        let parsed: std::collections::HashMap<&str, &Value> = vectors["parse"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["key"].as_str().unwrap(), &c["expected"]))
            .collect();
        for key in vectors["view"]["keys"].as_array().unwrap() {
            for (i, param) in key["params"].as_array().unwrap().iter().enumerate() {
                if param["over_long_len"].is_null() {
                    continue;
                }
                bounded += 1;
                let name = format!("{path}: {}.{}", key["name"], param["name"]);
                let max_len = param["max_len"].as_u64().unwrap() as usize;
                let (mut over, mut within) = (0, 0);
                let cases = vectors["render"].as_array().unwrap();
                for case in cases.iter().filter(|c| c["entry"] == key["name"]) {
                    let text = case["args"][i]["str"].as_str().unwrap();
                    if text.len() <= max_len {
                        within += 1;
                        continue;
                    }
                    over += 1;
                    let rendered = case["key"].as_str().unwrap();
                    assert!(rendered.contains(marker), "{name}: {rendered}");
                    let digest = &parsed[rendered]["args"][i]["digest"];
                    assert!(
                        digest.as_str().is_some_and(|d| d.len() == 64),
                        "{name}: {rendered} parses to {digest}"
                    );
                }
                assert!(
                    over >= 5 && within >= 5,
                    "{name}: {over} values over, {within} within"
                );
            }
        }
    }
    assert!(bounded >= 8, "only {bounded} bounded parameters");
}

/// The driver's summary must count every vector: a driver that checked
/// nothing would not print these numbers.
fn assert_counted(stdout: &str, vectors_path: &Path) {
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(vectors_path).unwrap()).unwrap();
    let expected = format!(
        "ok: {} render, {} parse, {} rejected, {} jitter, {} slot, {} invalidate",
        vectors["render"].as_array().unwrap().len(),
        vectors["parse"].as_array().unwrap().len(),
        vectors["reject"].as_array().unwrap().len(),
        vectors["jitter"].as_array().unwrap().len(),
        vectors["slot"].as_array().unwrap().len(),
        vectors["invalidate"].as_array().unwrap().len()
    );
    assert!(
        stdout.contains(&expected),
        "expected `{expected}`, got {stdout}"
    );
}

// ---------------------------------------------------------------------------
// Snapshots

/// A module (or the view) printed by `cachekeys gen`, run in the
/// repository, snapshot as `<name>.snap`.
struct Printed {
    /// The case's name, reported when it fails, and its snapshot's name.
    name: &'static str,
    /// The arguments after `gen`.
    args: &'static [&'static str],
}

crate::common::named_rows!(Printed);

const PRINTED: &[Printed] = &[
    Printed {
        name: "python_module_of_the_repository_catalogue",
        args: &["--lang", "python", "-c", "keys.yaml"],
    },
    Printed {
        name: "typescript_module_of_the_repository_catalogue",
        args: &["--lang", "typescript", "-c", "keys.yaml"],
    },
    Printed {
        name: "the_view_as_json",
        args: &["--lang", "json", "-c", DJANGO_CATALOGUES[1]],
    },
];

#[test]
fn each_printed_module_is_its_snapshot() {
    crate::common::each_case(PRINTED, |case| {
        let output = gen_in(root(), case.args);
        assert!(output.status.success(), "{output:?}");
        insta::assert_snapshot!(case.name, String::from_utf8(output.stdout).unwrap());
    });
}

/// A module the library renders, snapshot as `<name>.snap`.
struct Rendered {
    /// The case's name, reported when it fails, and its snapshot's name.
    name: &'static str,
    catalogue: &'static str,
    language: Language,
}

crate::common::named_rows!(Rendered);

const RENDERED: &[Rendered] = &[
    Rendered {
        // The policy fields: constants, `<key>_ttl(seed)` and `slot(key)`.
        name: "python_module_of_the_policy_catalogue",
        catalogue: "tests/fixtures/policy.yaml",
        language: Language::Python,
    },
    Rendered {
        name: "typescript_module_of_the_policy_catalogue",
        catalogue: "tests/fixtures/policy.yaml",
        language: Language::TypeScript,
    },
    Rendered {
        name: "python_module_in_django_layout",
        catalogue: DJANGO_CATALOGUES[0],
        language: Language::Python,
    },
];

#[test]
fn each_rendered_module_is_its_snapshot() {
    crate::common::each_case(RENDERED, |case| {
        insta::assert_snapshot!(case.name, module(case.catalogue, case.language));
    });
}

#[test]
fn django_layout_renders_the_full_django_key_in_rust_too() {
    let catalogue = load(DJANGO_CATALOGUES[0]);
    let profile = &catalogue.keys[0];
    assert_eq!(
        cachekeys::__private::key_text::build(&catalogue, profile, &[Arg::Int(42)]),
        ":1:users:profile:42"
    );
    let by_email = &catalogue.keys[1];
    assert_eq!(
        cachekeys::__private::key_text::build(&catalogue, by_email, &[Arg::Str("a@b".into())]),
        ":3:users:by-email:a%40b"
    );
    let rust = cachekeys::generate(&catalogue);
    assert!(rust.contains("\":1:users:profile:\""), "{rust}");
    let catalogue = load(DJANGO_CATALOGUES[1]);
    assert_eq!(
        cachekeys::__private::key_text::build(
            &catalogue,
            &catalogue.keys[1],
            &[Arg::Int(9), Arg::Str("x y".into())]
        ),
        "shop:6:carts:9:line:x%20y"
    );
}

// ---------------------------------------------------------------------------
// Type checkers

#[test]
fn python_modules_compile_and_pass_mypy_strict() {
    if !python_with(&["mypy"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for path in CATALOGUES {
        let (module_path, _, _) = write_case(dir.path(), path, Language::Python);
        files.push(module_path);
    }
    run(Command::new("python3")
        .args(["-m", "py_compile"])
        .args(&files));
    // mypy 2 checks for Python 3.10 and later only; the modules avoid
    // newer syntax (`X | Y`, `match`) for 3.9.
    run(Command::new("python3")
        .args(["-m", "mypy", "--strict", "--no-incremental"])
        .arg("--cache-dir")
        .arg(dir.path().join(".mypy_cache"))
        .args(&files));
}

/// Compiles the TypeScript modules with `tsc --strict` to CommonJS in
/// `dir/js`, for node.
fn compile_typescript(tsc: &Path, dir: &Path, files: &[PathBuf]) {
    run(Command::new(tsc)
        .args([
            "--strict",
            "--noEmitOnError",
            "--target",
            "es2020",
            "--module",
            "commonjs",
            "--types",
            "node",
            "--typeRoots",
        ])
        .arg(node_tools().join("node_modules/@types"))
        .arg("--outDir")
        .arg(dir.join("js"))
        .args(files));
}

// ---------------------------------------------------------------------------
// Byte for byte

#[test]
fn python_renders_and_parses_as_rust_does() {
    if !python_with(&["json"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let driver = root().join("tests/languages/check_vectors.py");
    for path in CATALOGUES {
        let (module_path, vectors_path, count) = write_case(dir.path(), path, Language::Python);
        assert!(count > 50, "{path}: only {count} vectors");
        let stdout = run(Command::new("python3")
            .arg(&driver)
            .arg(&module_path)
            .arg(&vectors_path));
        assert_counted(&stdout, &vectors_path);
    }
}

#[test]
fn typescript_passes_tsc_strict_and_renders_and_parses_as_rust_does() {
    let Some(tsc) = tsc() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    for path in CATALOGUES {
        cases.push(write_case(dir.path(), path, Language::TypeScript));
    }
    let files: Vec<PathBuf> = cases.iter().map(|(m, _, _)| m.clone()).collect();
    compile_typescript(&tsc, dir.path(), &files);
    let driver = root().join("tests/languages/check_vectors.js");
    for (module_path, vectors_path, _) in &cases {
        let js = dir
            .path()
            .join("js")
            .join(module_path.file_name().unwrap())
            .with_extension("js");
        let stdout = run(Command::new("node").arg(&driver).arg(&js).arg(vectors_path));
        assert_counted(&stdout, vectors_path);
    }
}

// ---------------------------------------------------------------------------
// Django

#[test]
fn django_make_key_equals_the_rust_keys_with_the_locmem_cache() {
    if !python_with(&["django"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let driver = root().join("tests/languages/django_check.py");
    for path in DJANGO_CATALOGUES {
        let (module_path, vectors_path, _) = write_case(dir.path(), path, Language::Python);
        let stdout = run(Command::new("python3")
            .arg(&driver)
            .arg(&module_path)
            .arg(&vectors_path)
            .arg("locmem"));
        assert!(stdout.contains("keys through locmem"), "{stdout}");
    }
}

#[test]
fn django_writes_through_pymemcache_and_rust_reads_the_same_entries() {
    if !python_with(&["django", "pymemcache"]) {
        return;
    }
    let Some(binary) = servers::binary("memcached") else {
        return;
    };
    let server = servers::Server::memcached(&binary);
    let dir = tempfile::tempdir().unwrap();
    let driver = root().join("tests/languages/django_check.py");
    let mut total = 0;
    for path in DJANGO_CATALOGUES {
        let (module_path, vectors_path, _) = write_case(dir.path(), path, Language::Python);
        let written_path = dir.path().join("written.json");
        run(Command::new("python3")
            .arg(&driver)
            .arg(&module_path)
            .arg(&vectors_path)
            .arg("pymemcache")
            .arg(server.addr.to_string())
            .arg(&written_path));
        let written: Value =
            serde_json::from_str(&std::fs::read_to_string(&written_path).unwrap()).unwrap();
        let vectors: Value =
            serde_json::from_str(&std::fs::read_to_string(&vectors_path).unwrap()).unwrap();
        let written = written.as_array().unwrap();
        let rendered = vectors["render"].as_array().unwrap();
        assert_eq!(
            written.len(),
            rendered.len(),
            "{path}: every key is written"
        );
        let mut client = servers::Memcached::connect(server.addr);
        for (entry, case) in written.iter().zip(rendered) {
            // The key Rust renders is the key Django wrote.
            let key = case["key"].as_str().unwrap();
            assert_eq!(entry["key"].as_str().unwrap(), key);
            let value = client
                .get(key)
                .unwrap_or_else(|| panic!("{path}: `{key}` is not in memcached"));
            assert_eq!(value, entry["value"].as_str().unwrap(), "{key}");
            total += 1;
        }
    }
    assert!(total > 100, "only {total} entries read");
}

// ---------------------------------------------------------------------------
// The command line: --lang, --template, and their bad inputs.

/// `cachekeys gen ARGS`, run in `dir`.
fn gen_in(dir: &Path, args: &[&str]) -> std::process::Output {
    crate::common::cachekeys(dir)
        .arg("gen")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_user_template_directory_replaces_the_built_in_template() {
    let dir = crate::common::project();
    std::fs::create_dir_all(dir.path().join("tpl/python")).unwrap();
    std::fs::write(
        dir.path().join("tpl/python/keys.py.j2"),
        "# {{ keys | length }} keys from {{ source }}\n{% for k in keys %}{{ k.py_function }} = {{ k.head | py_str }}\n{% endfor %}",
    )
    .unwrap();
    let output = gen_in(dir.path(), &["--lang", "python", "--template", "tpl"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("# 11 keys from keys.yaml\n"), "{text}");
    assert!(
        text.contains("users_by_email = \"shop:2:users:by-email:\"\n"),
        "{text}"
    );
}

#[test]
fn gen_check_names_the_language_in_its_fix() {
    let dir = crate::common::project();
    let output = gen_in(dir.path(), &["--lang", "typescript", "-o", "keys.ts"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let fresh = gen_in(
        dir.path(),
        &["--lang", "typescript", "-o", "keys.ts", "--check"],
    );
    assert_eq!(fresh.status.code(), Some(0), "{}", stderr(&fresh));
    let path = dir.path().join("keys.ts");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("shop:1:health", "shop:1:healthy")).unwrap();
    let stale = gen_in(
        dir.path(),
        &["--lang", "typescript", "-o", "keys.ts", "--check"],
    );
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        stderr(&stale).contains(
            "help: run `cachekeys gen --lang typescript -c keys.yaml -o keys.ts` and commit the result"
        ),
        "{}",
        stderr(&stale)
    );
}

#[test]
fn check_measures_the_full_django_key_against_memcached_limits() {
    // 229 literal bytes and a u64 of up to 20 digits: 249 bytes as it is,
    // 252 with Django's `:1:` in front, past memcached's 250.
    let pattern = format!("{}:{{id}}", "k".repeat(228));
    let catalogue = |layout: &str| {
        format!(
            "{layout}target: memcached\nkeys:\n  a:\n    pattern: \"{pattern}\"\n    params: {{ id: u64 }}\n"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain.yaml"), catalogue("")).unwrap();
    std::fs::write(
        dir.path().join("django.yaml"),
        catalogue("layout: django\n"),
    )
    .unwrap();
    let check = |file: &str| {
        crate::common::cachekeys(dir.path())
            .args(["check", "-c", file])
            .output()
            .unwrap()
    };
    let plain = check("plain.yaml");
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    let django = check("django.yaml");
    assert_eq!(django.status.code(), Some(1), "{}", stderr(&django));
    let err = stderr(&django);
    assert!(err.contains("CK005"), "{err}");
    assert!(err.contains("252"), "{err}");
}

/// A catalogue with an entry `render`, like the TypeScript module's
/// function.
const ENTRY_RENDER: &str = "keys:\n  health:\n    pattern: h\n  render:\n    pattern: r\n";
/// A catalogue whose entry `a_b_ttl` is also the jitter function of `a.b`
/// in Python and TypeScript.
const ENTRY_A_B_TTL: &str =
    "keys:\n  a.b:\n    pattern: a\n    ttl: 1h\n    ttl_jitter: 5\n  a_b_ttl:\n    pattern: b\n";
/// A Redis catalogue with an entry `slot`, like the module's `slot(key)`.
const ENTRY_SLOT: &str =
    "target: redis\nkeys:\n  health:\n    pattern: h\n  slot:\n    pattern: s\n";

/// A `gen` that refuses its input: exit 2 and the whole message.
struct Refused {
    /// The case's name, reported when it fails.
    name: &'static str,
    /// The catalogue, as `keys.yaml`; `None` for the repository's.
    catalogue: Option<&'static str>,
    /// Template files of the project: path and text.
    templates: &'static [(&'static str, &'static str)],
    /// The arguments after `gen`.
    args: &'static [&'static str],
    stderr: &'static str,
}

crate::common::named_rows!(Refused);

const REFUSED: &[Refused] = &[
    Refused {
        name: "a_missing_template_directory_is_bad_input",
        catalogue: None,
        templates: &[],
        args: &["--lang", "python", "--template", "nope"],
        stderr: "error: cannot read the template `nope/python/keys.py.j2`: No such file or directory (os error 2)\n  = help: copy `templates/` of cachekeys into the directory given to --template, or drop --template to use the built-in templates\n",
    },
    Refused {
        name: "a_template_directory_for_rust_is_bad_input",
        catalogue: None,
        templates: &[],
        args: &["--template", "tpl"],
        stderr: "error: --template applies to --lang python and --lang typescript\n  = help: the Rust module is built without templates; drop --template, or add --lang python\n",
    },
    Refused {
        name: "a_template_syntax_error_names_its_line_and_column",
        catalogue: None,
        templates: &[("tpl/typescript/keys.ts.j2", "// ok\nx {% if %}\n")],
        args: &["--lang", "typescript", "--template", "tpl"],
        stderr: "error: syntax error: unexpected end of block\n  --> tpl/typescript/keys.ts.j2:2:9\n  = help: fix the template; `cachekeys gen --lang json` prints the view it is rendered with\n",
    },
    Refused {
        // Instead of printing nothing where the field would be.
        name: "a_template_using_an_unknown_field_fails",
        catalogue: None,
        templates: &[(
            "tpl/python/keys.py.j2",
            "{% for k in keys %}{{ k.no_such_field }}{% endfor %}",
        )],
        args: &["--lang", "python", "--template", "tpl"],
        stderr: "error: undefined value: `k.no_such_field` is undefined\n  --> tpl/python/keys.py.j2:1:23\n  = help: fix the template; `cachekeys gen --lang json` prints the view it is rendered with\n",
    },
    Refused {
        name: "an_unknown_layout_is_reported_at_its_value",
        catalogue: Some("layout: djano\nkeys:\n  health:\n    pattern: health\n"),
        templates: &[],
        args: &["--lang", "python"],
        stderr: "error: unknown layout `djano`\n --> keys.yaml:1:9\n  |\n1 | layout: djano\n  |         ^^^^^ unknown layout\n  |\nhelp: did you mean `django`? `layout` is `plain` or `django`\n",
    },
    Refused {
        name: "an_entry_named_like_a_module_function_is_refused_for_typescript",
        catalogue: Some(ENTRY_RENDER),
        templates: &[],
        args: &["--lang", "typescript"],
        stderr: "error: the module's `render` and entry `render` both become `render` in the TypeScript module\n  --> keys.yaml:4:3\n  = help: rename one of them in the catalogue\n",
    },
    Refused {
        name: "an_entry_named_like_the_jitter_function_of_another_is_refused_in_python",
        catalogue: Some(ENTRY_A_B_TTL),
        templates: &[],
        args: &["--lang", "python"],
        stderr: "error: entry `a.b` and entry `a_b_ttl` both become `a_b_ttl` in the Python module\n  --> keys.yaml:6:3\n  = help: rename one of them in the catalogue\n",
    },
    Refused {
        name: "an_entry_named_like_the_jitter_function_of_another_is_refused_in_typescript",
        catalogue: Some(ENTRY_A_B_TTL),
        templates: &[],
        args: &["--lang", "typescript"],
        stderr: "error: entry `a.b` and entry `a_b_ttl` both become `aBTtl` in the TypeScript module\n  --> keys.yaml:6:3\n  = help: rename one of them in the catalogue\n",
    },
    Refused {
        name: "an_entry_named_slot_is_refused_when_the_python_module_has_slot",
        catalogue: Some(ENTRY_SLOT),
        templates: &[],
        args: &["--lang", "python"],
        stderr: "error: the module's `slot` and entry `slot` both become `slot` in the Python module\n  --> keys.yaml:5:3\n  = help: rename one of them in the catalogue\n",
    },
    Refused {
        name: "an_entry_named_slot_is_refused_when_the_typescript_module_has_slot",
        catalogue: Some(ENTRY_SLOT),
        templates: &[],
        args: &["--lang", "typescript"],
        stderr: "error: the module's `slot` and entry `slot` both become `slot` in the TypeScript module\n  --> keys.yaml:5:3\n  = help: rename one of them in the catalogue\n",
    },
    Refused {
        name: "an_entry_named_like_an_invalidation_function_is_refused",
        catalogue: Some(
            "entities:\n  user: { user_id: u64 }\nkeys:\n  a:\n    pattern: \"a:{user_id}\"\n    params: { user_id: u64 }\n    depends_on: [user]\n  user_generation:\n    pattern: g\n",
        ),
        templates: &[],
        args: &["--lang", "python"],
        stderr: "error: entity `user` and entry `user_generation` both become `user_generation` in the Python module\n  --> keys.yaml:8:3\n  = help: rename one of them in the catalogue\n",
    },
];

/// A catalogue a refused case is close to, which `gen` takes.
struct Accepted {
    /// The case's name, reported when it fails.
    name: &'static str,
    catalogue: &'static str,
    /// The arguments after `gen`.
    args: &'static [&'static str],
}

crate::common::named_rows!(Accepted);

const ACCEPTED: &[Accepted] = &[
    Accepted {
        name: "python_has_no_module_level_render",
        catalogue: ENTRY_RENDER,
        args: &["--lang", "python"],
    },
    Accepted {
        // `a::b_ttl` and `a_b_ttl`.
        name: "rust_keeps_the_jitter_function_and_a_b_ttl_apart",
        catalogue: ENTRY_A_B_TTL,
        args: &[],
    },
    Accepted {
        // Without Redis, the module has no `slot`.
        name: "an_entry_named_slot_is_fine_without_redis",
        catalogue: "target: memcached\nkeys:\n  health:\n    pattern: h\n  slot:\n    pattern: s\n",
        args: &["--lang", "python"],
    },
];

/// A project with the repository's `keys.yaml`, or `catalogue` as it.
fn project_with(catalogue: Option<&str>) -> tempfile::TempDir {
    let dir = crate::common::project();
    if let Some(text) = catalogue {
        std::fs::write(dir.path().join("keys.yaml"), text).unwrap();
    }
    dir
}

#[test]
fn each_refused_input_exits_2_with_its_message() {
    crate::common::each_case(REFUSED, |case| {
        let dir = project_with(case.catalogue);
        for (path, text) in case.templates {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let output = gen_in(dir.path(), case.args);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert_eq!(stderr(&output), case.stderr);
    });
}

#[test]
fn each_accepted_input_exits_0() {
    crate::common::each_case(ACCEPTED, |case| {
        let dir = project_with(Some(case.catalogue));
        let output = gen_in(dir.path(), case.args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    });
}
