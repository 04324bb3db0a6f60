//! The integrations users expect from a tool they gate CI on: shell
//! completions, a JSON Schema of `keys.yaml` that agrees with the loader,
//! and the pre-commit hooks and GitHub workflow recipe, whose commands must
//! be ones the tool takes.

use crate::common;

use std::path::{Path, PathBuf};

use common::cachekeys;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A YAML document as JSON, the data model JSON Schema speaks.
fn yaml_to_json(text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap_or_else(|e| panic!("not YAML ({e}):\n{text}"))
}

// ------------------------------------------------------------ completions

#[test]
fn bash_completions_list_the_subcommands_and_flags() {
    let output = cachekeys(root())
        .args(["completions", "bash"])
        .assert()
        .code(0)
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let script = String::from_utf8(output).unwrap();
    assert!(script.contains("_cachekeys()"), "{script}");
    for word in [
        "gen",
        "check",
        "lint",
        "explain-key",
        "rules",
        "init",
        "completions",
        "schema",
        "--catalogue",
        "--exit-zero",
    ] {
        assert!(
            script.contains(word),
            "bash completions do not mention `{word}`"
        );
    }
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = cachekeys(root())
            .args(["completions", shell])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        let script = String::from_utf8(output).unwrap();
        assert!(
            script.contains("explain-key"),
            "{shell} completions do not mention `explain-key`:\n{script}"
        );
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    cachekeys(root())
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("invalid value 'tcsh'"))
        .stderr(predicates::str::contains("bash"));
}

// ----------------------------------------------------------------- schema

fn schema() -> Value {
    let output = cachekeys(root())
        .arg("schema")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&output).expect("`cachekeys schema` prints JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("the schema compiles")
}

/// Every schema violation, one per line; empty when `instance` is valid.
fn violations(validator: &jsonschema::Validator, instance: &Value) -> String {
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}\n", e.instance_path()))
        .collect()
}

#[test]
fn schema_is_draft_2020_12_and_valid_against_its_meta_schema() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let meta = jsonschema::meta::validator_for(&schema).unwrap();
    let errors: Vec<String> = meta.iter_errors(&schema).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The command prints the file in the repository, as it is.
    let file = std::fs::read_to_string(root().join("schemas/keys.schema.json")).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&file).unwrap(), schema);
}

/// Every `.yaml` file in the repository outside `target/` and `.git/`.
fn yaml_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                yaml_files(&path, found);
            }
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            found.push(path);
        }
    }
}

#[test]
fn every_example_catalogue_in_the_repository_is_valid_against_the_schema() {
    let validator = validator();
    let mut files = Vec::new();
    yaml_files(root(), &mut files);
    let mut checked = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        // Only what the loader accepts is a catalogue; the rest (fixtures of
        // broken catalogues, other YAML) says nothing about the schema.
        if cachekeys::catalogue::parse(&path, text.as_str()).is_err() {
            continue;
        }
        let errors = violations(&validator, &yaml_to_json(&text));
        assert!(
            errors.is_empty(),
            "{} is a valid catalogue, but the schema rejects it:\n{errors}",
            path.display()
        );
        checked.push(path.strip_prefix(root()).unwrap().to_owned());
    }
    for expected in [
        "keys.yaml",
        "templates/keys.yaml",
        "tests/fixtures/all_types.yaml",
        "examples/build-script/keys.yaml",
        "tests/fixtures/policy.yaml",
    ] {
        assert!(
            checked.contains(&PathBuf::from(expected)),
            "{expected} was not checked: {checked:?}"
        );
    }
}

/// Every ```yaml block of the README that the loader takes as a catalogue
/// (the others are pre-commit and workflow recipes) is valid against the
/// schema, so the documented fields and the schema cannot drift apart.
#[test]
fn every_readme_catalogue_is_valid_against_the_schema() {
    let validator = validator();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut checked = Vec::new();
    for block in readme.split("```yaml\n").skip(1) {
        let yaml = &block[..block.find("```").expect("a closed code block")];
        if cachekeys::catalogue::parse("keys.yaml", yaml).is_err() {
            continue;
        }
        let errors = violations(&validator, &yaml_to_json(yaml));
        assert!(
            errors.is_empty(),
            "the README's catalogue is valid, but the schema rejects it:\n{yaml}\n{errors}"
        );
        checked.push(yaml);
    }
    // The editor example and the worked example of issue #11's fields.
    for expected in ["$schema=keys.schema.json", "entities:"] {
        assert!(
            checked.iter().any(|yaml| yaml.contains(expected)),
            "no checked README catalogue contains {expected:?}"
        );
    }
}

/// Checks that both the loader and the schema reject `source`, and that the
/// schema's complaint mentions `expected`.
#[track_caller]
fn rejected(source: &str, expected: &str) {
    assert!(
        cachekeys::catalogue::parse("keys.yaml", source).is_err(),
        "the loader accepts:\n{source}"
    );
    let errors = violations(&validator(), &yaml_to_json(source));
    assert!(
        errors.contains(expected),
        "expected a violation mentioning {expected:?}, got:\n{errors}"
    );
}

#[test]
fn schema_rejects_an_unknown_field_in_an_entry() {
    rejected(
        "keys:\n  users.profile:\n    patern: \"users:{id}\"\n    pattern: \"users:{id}\"\n    params: { id: u64 }\n",
        "'patern' was unexpected",
    );
}

#[test]
fn schema_rejects_an_unknown_top_level_field() {
    rejected(
        "prefixes: shop\nkeys:\n  health:\n    pattern: health\n",
        "'prefixes' was unexpected",
    );
}

#[test]
fn schema_rejects_a_wrong_type_name() {
    rejected(
        "keys:\n  users.profile:\n    pattern: \"users:{id}\"\n    params: { id: usize }\n",
        "\"usize\"",
    );
}

#[test]
fn schema_rejects_an_entry_without_a_pattern() {
    rejected(
        "keys:\n  users.profile:\n    params: { id: u64 }\n",
        "\"pattern\" is a required property",
    );
}

#[test]
fn schema_rejects_an_enum_without_values() {
    rejected(
        "keys:\n  feeds.home:\n    pattern: \"home:{locale}\"\n    params: { locale: { type: enum } }\n",
        "\"values\" is a required property",
    );
}

#[test]
fn schema_rejects_encode_on_an_integer() {
    rejected(
        "keys:\n  users.profile:\n    pattern: \"users:{id}\"\n    params: { id: { type: u64, encode: sha256 } }\n",
        "/keys/users.profile/params/id",
    );
}

#[test]
fn schema_rejects_a_ttl_that_is_not_a_duration() {
    rejected(
        "keys:\n  health:\n    pattern: health\n    ttl: 5 minutes\n",
        "/keys/health/ttl",
    );
}

#[test]
fn schema_rejects_a_key_name_that_is_not_snake_case() {
    rejected(
        "keys:\n  users.byEmail:\n    pattern: \"users:{id}\"\n    params: { id: u64 }\n",
        "\"users.byEmail\" does not match",
    );
}

#[test]
fn schema_rejects_a_separator_with_letters() {
    rejected(
        "separator: ab\nkeys:\n  health:\n    pattern: health\n",
        "/separator",
    );
}

#[test]
fn schema_rejects_the_keys_section_missing() {
    rejected("prefix: shop\n", "\"keys\" is a required property");
}

#[test]
fn schema_rejects_a_ttl_jitter_over_99_percent() {
    rejected(
        "keys:\n  health:\n    pattern: health\n    ttl: 1h\n    ttl_jitter: 150\n",
        "150 is greater than the maximum of 99",
    );
}

#[test]
fn schema_rejects_a_ttl_jitter_without_a_ttl() {
    rejected(
        "keys:\n  health:\n    pattern: health\n    ttl_jitter: 10\n",
        "\"ttl\" is a required property",
    );
}

#[test]
fn schema_rejects_depends_on_that_is_not_a_list() {
    rejected(
        "entities:\n  user: { user_id: u64 }\nkeys:\n  users.profile:\n    pattern: \"users:{user_id}\"\n    params: { user_id: u64 }\n    depends_on: user\n",
        "\"user\" is not of type \"array\"",
    );
}

#[test]
fn schema_rejects_an_unknown_field_in_an_entity_parameter() {
    rejected(
        "entities:\n  user: { user_id: { type: u64, maxlen: 8 } }\nkeys:\n  health:\n    pattern: health\n",
        "'maxlen' was unexpected",
    );
}

#[test]
fn schema_rejects_an_entity_identified_by_an_enum() {
    rejected(
        "entities:\n  shop: { region: { type: enum, values: [eu, us] } }\nkeys:\n  health:\n    pattern: health\n",
        "/entities/shop/region",
    );
}

#[test]
fn schema_rejects_an_entity_without_parameters() {
    rejected(
        "entities:\n  user: {}\nkeys:\n  health:\n    pattern: health\n",
        "/entities/user",
    );
}

// ---------------------------------------------------- pre-commit and CI

/// Runs `cachekeys ARGS --help`: clap parses every subcommand and flag
/// before `--help`, so a misspelt one fails.
#[track_caller]
fn assert_command_exists(args: &[String], origin: &str) {
    assert!(
        !args.is_empty(),
        "{origin}: an empty cachekeys command line"
    );
    cachekeys(root())
        .args(args)
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicates::str::contains("Usage: cachekeys"));
}

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn pre_commit_hooks_run_commands_the_tool_takes() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks = yaml_to_json(&text);
    let hooks = hooks.as_array().expect("a list of hooks");
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["cachekeys-check", "cachekeys-gen-check", "cachekeys-lint"]
    );
    for hook in hooks {
        let id = hook["id"].as_str().unwrap();
        for field in ["name", "entry", "language"] {
            assert!(hook[field].is_string(), "{id}: `{field}` is missing");
        }
        assert_eq!(hook["language"], "rust", "{id}");
        let mut args = words(hook["entry"].as_str().unwrap());
        assert_eq!(args.remove(0), "cachekeys", "{id}");
        if let Some(extra) = hook["args"].as_array() {
            args.extend(extra.iter().map(|a| a.as_str().unwrap().to_owned()));
        }
        assert_command_exists(&args, id);
    }
}

/// The ```yaml block of the README's "Integrations" section that uploads
/// SARIF.
fn readme_workflow() -> Value {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Integrations"))
        .expect("README has an `## Integrations` section");
    let block = section
        .split("```yaml\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .find(|block| block.contains("upload-sarif"))
        .expect("a ```yaml workflow block that uploads SARIF");
    yaml_to_json(block)
}

#[test]
fn readme_workflow_uploads_sarif_and_checks_generated_code() {
    let workflow = readme_workflow();
    assert!(workflow["on"].is_array() || workflow["on"].is_object());
    assert_eq!(workflow["permissions"]["security-events"], "write");
    let jobs = workflow["jobs"].as_object().expect("jobs");
    let steps: Vec<&Value> = jobs
        .values()
        .flat_map(|job| job["steps"].as_array().expect("steps"))
        .collect();
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload-sarif step");
    // Findings make `lint` exit 1; the upload must run anyway.
    assert_eq!(upload["if"], "always()");
    let sarif = upload["with"]["sarif_file"].as_str().unwrap();

    let mut commands = Vec::new();
    for step in &steps {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        for line in script.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("cachekeys ") {
                // The command itself, without redirections.
                let command = rest.split(['>', '|']).next().unwrap();
                commands.push((line.to_owned(), words(command)));
            }
        }
    }
    let lines: Vec<&str> = commands.iter().map(|(l, _)| l.as_str()).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("lint --format sarif") && l.ends_with(&format!("> {sarif}"))),
        "no step writes {sarif} with `lint --format sarif`: {lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("cachekeys gen --check")),
        "no `gen --check` step: {lines:?}"
    );
    for (line, args) in &commands {
        assert_command_exists(args, line);
    }
}
