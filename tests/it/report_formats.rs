//! Every output format on one hand-built set of diagnostics: two files,
//! related sites in the same file and in another, a note without a code
//! about a file whose text is not at hand, non-ASCII text before a span
//! (columns count characters, not bytes), a span over several lines, and a
//! message with `,` `:` `%` and a line break.
//!
//! Each format is snapshotted; SARIF is also validated against the official
//! OASIS SARIF 2.1.0 schema (tests/schemas/sarif-2.1.0.json), and JSON and
//! SARIF are parsed to check their fields one by one.

use std::path::Path;

use cachekeys::__private::report::{self, Format, Report, Sources};
use cachekeys::diagnostic::{Diagnostic, Location, Severity, line_column};
use serde_json::{Value, json};

const A_RS: &str = r#"// Ключи: кэш für Nutzer
fn load(name: &str) {
    let ключ = format!("user:{}:profile", name);
    let other = format!("user:{}:profile", name);
    let ключ = format!("user:{}:profile", name);
}
"#;

const B_RS: &str = r#"pub fn profile_key(id: u64) -> String {
    format!(
        "user:{}:profile",
        id
    )
}
"#;

const FORMAT_CALL: &str = r#"format!("user:{}:profile", name)"#;

/// The `nth` (0-based) occurrence of `needle` in `text`, as a location in
/// `path`.
fn locate(path: &str, text: &str, needle: &str, nth: usize) -> Location {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("no occurrence {nth} of {needle:?}"))
        .0;
    let (line, column) = line_column(text, start);
    Location {
        path: path.into(),
        line,
        column,
        span: start..start + needle.len(),
    }
}

fn sources() -> Sources {
    let mut sources = Sources::default();
    sources.insert("src/a.rs", A_RS);
    sources.insert("./src/b.rs", B_RS);
    sources
}

fn diagnostics() -> Vec<Diagnostic> {
    let b_call = "format!(\n        \"user:{}:profile\",\n        id\n    )";
    vec![
        Diagnostic::error(
            "key format `user:{}:profile` is written by hand in 3 places",
            locate("src/a.rs", A_RS, FORMAT_CALL, 0),
        )
        .with_code("CK002")
        .with_severity(Severity::Warning)
        .with_label("written by hand here")
        .with_related(
            locate("src/a.rs", A_RS, FORMAT_CALL, 1),
            "and here, in the same file",
        )
        .with_related(
            locate("./src/b.rs", B_RS, "\"user:{}:profile\"", 0),
            "and in another file",
        )
        .with_help("add the key to the catalogue and call its function"),
        Diagnostic::error(
            "key format `user:{}:profile` is written by hand again",
            locate("src/a.rs", A_RS, FORMAT_CALL, 2),
        )
        .with_code("CK002")
        .with_severity(Severity::Warning),
        Diagnostic::error(
            "`id` can render `:`, `,` or 100% of `%`\nso two keys can collide",
            locate("./src/b.rs", B_RS, b_call, 0),
        )
        .with_code("CK003")
        .with_label("interpolated here"),
        Diagnostic::error(
            "could not parse `src/broken.rs`: expected `;`, found `}`",
            Location {
                path: "src/broken.rs".into(),
                line: 7,
                column: 3,
                span: 40..41,
            },
        )
        .with_severity(Severity::Note),
    ]
}

fn rendered(format: Format) -> String {
    report::format_report(format, &diagnostics(), &sources(), false)
}

fn sarif_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // It is the OASIS schema, not some look-alike.
    assert_eq!(
        schema["id"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// Every schema violation in `log`, one per line.
fn violations(validator: &jsonschema::Validator, log: &Value) -> String {
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}\n", e, e.instance_path()))
        .collect()
}

fn sarif() -> Value {
    serde_json::from_str(&rendered(Format::Sarif)).unwrap()
}

// --- snapshots -----------------------------------------------------------

#[test]
fn human_snapshot() {
    let text = rendered(Format::Human);
    // Same-file related sites are annotated in the snippet; other files
    // follow as notes.
    assert!(text.contains("and here, in the same file"), "{text}");
    assert!(text.contains("note: and in another file"), "{text}");
    assert!(text.ends_with("found 1 error and 2 warnings\n"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn concise_snapshot() {
    let text = rendered(Format::Concise);
    assert_eq!(text.lines().count(), diagnostics().len(), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!(rendered(Format::Json));
}

#[test]
fn sarif_snapshot() {
    // The rule descriptors are the registry's docs, checked field by field
    // in `sarif_describes_the_tool_and_every_rule`: the snapshot keeps
    // their ids only, and no version number, so neither a new rule nor a
    // release changes it.
    let mut log = sarif();
    let driver = &mut log["runs"][0]["tool"]["driver"];
    let ids: Vec<Value> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule["id"].clone())
        .collect();
    driver["rules"] = json!(ids);
    driver["version"] = json!("[version]");
    // The repository root: wherever the crate is checked out.
    let base = &mut log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"];
    assert!(base.as_str().unwrap().starts_with("file:///"), "{base}");
    *base = json!("file:///[root]/");
    let text = serde_json::to_string_pretty(&log).unwrap() + "\n";
    insta::assert_snapshot!(text);
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!(rendered(Format::Github));
}

#[test]
fn statistics_snapshot() {
    insta::assert_snapshot!(report::statistics(&diagnostics()));
}

#[test]
fn nothing_to_report() {
    let none = Sources::default();
    for format in [Format::Human, Format::Concise, Format::Github] {
        assert_eq!(
            report::format_report(format, &[], &none, false),
            "",
            "{format:?}"
        );
    }
    assert_eq!(report::statistics(&[]), "");
    let json: Value =
        serde_json::from_str(&report::format_report(Format::Json, &[], &none, false)).unwrap();
    assert_eq!(json["diagnostics"], json!([]));
    // SARIF always has a results array: empty means "no alerts".
    let log: Value =
        serde_json::from_str(&report::format_report(Format::Sarif, &[], &none, false)).unwrap();
    assert_eq!(log["runs"][0]["results"], json!([]));
    assert_eq!(violations(&sarif_validator(), &log), "");
}

#[test]
fn the_dispatcher_and_the_report_types_agree() {
    let (d, s) = (diagnostics(), sources());
    assert_eq!(
        rendered(Format::Human),
        report::Human { color: false }.format_diagnostics(&d, &s)
    );
    assert_eq!(
        rendered(Format::Concise),
        report::Concise.format_diagnostics(&d, &s)
    );
    assert_eq!(
        rendered(Format::Json),
        report::Json.format_diagnostics(&d, &s)
    );
    assert_eq!(
        rendered(Format::Sarif),
        report::Sarif.format_diagnostics(&d, &s)
    );
    assert_eq!(
        rendered(Format::Github),
        report::Github.format_diagnostics(&d, &s)
    );
    let colored = report::format_report(Format::Human, &d, &s, true);
    assert!(
        colored.contains("\u{1b}["),
        "colour reaches the human report"
    );
}

// --- SARIF -----------------------------------------------------------------

#[test]
fn sarif_is_valid_against_the_oasis_schema() {
    let validator = sarif_validator();
    assert_eq!(violations(&validator, &sarif()), "");
}

#[test]
fn the_schema_rejects_broken_sarif() {
    let validator = sarif_validator();
    let good = sarif();

    let mut no_message = good.clone();
    no_message["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    let errors = violations(&validator, &no_message);
    assert!(
        errors.contains("\"message\" is a required property"),
        "{errors}"
    );
    assert!(errors.contains("/runs/0/results/0"), "{errors}");

    let mut bad_level = good.clone();
    bad_level["runs"][0]["results"][1]["level"] = json!("fatal");
    assert_ne!(violations(&validator, &bad_level), "");

    let mut bad_line = good.clone();
    bad_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        json!(0);
    assert_ne!(violations(&validator, &bad_line), "");

    let mut bad_version = good.clone();
    bad_version["version"] = json!("2.0.0");
    assert_ne!(violations(&validator, &bad_version), "");

    let mut unknown_field = good;
    unknown_field["runs"][0]["results"][0]["severity"] = json!("error");
    assert_ne!(violations(&validator, &unknown_field), "");
}

#[test]
fn sarif_describes_the_tool_and_every_rule() {
    let log = sarif();
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "cachekeys");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), cachekeys::__private::rules::ALL.len());
    for (descriptor, rule) in rules.iter().zip(cachekeys::__private::rules::ALL) {
        assert_eq!(descriptor["id"], rule.code);
        assert_eq!(descriptor["name"], rule.name);
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary);
        let full = descriptor["fullDescription"]["text"].as_str().unwrap();
        assert!(!full.is_empty() && rule.docs().contains(full), "{full}");
        assert_eq!(descriptor["help"]["text"], rule.docs());
        assert!(
            descriptor["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## Example")
        );
        assert_eq!(
            descriptor["defaultConfiguration"]["level"],
            rule.severity.as_str()
        );
    }
    assert_eq!(runs[0]["columnKind"], "unicodeCodePoints");
}

#[test]
fn sarif_results_point_at_their_rule_and_region() {
    let log = sarif();
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    // The note without a code is not a result.
    assert_eq!(results.len(), 3);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(result["message"]["text"].is_string(), "{result}");
    }
    assert_eq!(
        results
            .iter()
            .map(|r| r["level"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["warning", "warning", "error"]
    );

    // `    let ключ = ` is 15 characters (19 bytes): the call starts at
    // column 16, and the end column is just past its last character.
    let first = &results[0];
    let physical = &first["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "src/a.rs");
    let width = FORMAT_CALL.chars().count();
    assert_eq!(
        physical["region"],
        json!({ "startLine": 3, "startColumn": 16, "endLine": 3, "endColumn": 16 + width })
    );
    assert_eq!(
        first["locations"][0]["message"]["text"],
        "written by hand here"
    );
    assert_eq!(
        first["message"]["text"],
        "key format `user:{}:profile` is written by hand in 3 places\nhelp: add the key to the catalogue and call its function"
    );
    let related = first["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 2);
    assert_eq!(related[0]["message"]["text"], "and here, in the same file");
    assert_eq!(
        related[0]["physicalLocation"]["region"]["startLine"],
        json!(4)
    );
    // `./src/b.rs` becomes `src/b.rs`.
    assert_eq!(
        related[1]["physicalLocation"]["artifactLocation"]["uri"],
        "src/b.rs"
    );
    assert_eq!(related[1]["message"]["text"], "and in another file");

    // A span over several lines.
    let region = &results[2]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        *region,
        json!({ "startLine": 2, "startColumn": 5, "endLine": 5, "endColumn": 6 })
    );
    assert!(results[2].get("relatedLocations").is_none());
}

#[test]
fn sarif_fingerprints_are_stable_and_count_repeats() {
    let log = sarif();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let fingerprints: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap()
        })
        .collect();
    for fingerprint in &fingerprints {
        let (hash, n) = fingerprint.split_once(':').unwrap();
        assert_eq!(hash.len(), 16, "{fingerprint}");
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{fingerprint}");
        assert!(n.parse::<usize>().is_ok(), "{fingerprint}");
    }
    // Lines 3 and 5 of a.rs are the same text under the same rule.
    let (first, second) = (fingerprints[0], fingerprints[1]);
    assert_eq!(
        first.split_once(':').unwrap().0,
        second.split_once(':').unwrap().0
    );
    assert!(
        first.ends_with(":1") && second.ends_with(":2"),
        "{first} {second}"
    );
    assert_ne!(fingerprints[0], fingerprints[2]);

    // Moving the finding down a line keeps its fingerprint.
    let shifted_text = format!("\n{A_RS}");
    let mut sources = Sources::default();
    sources.insert("src/a.rs", shifted_text.as_str());
    let moved = Diagnostic::error("m", locate("src/a.rs", &shifted_text, FORMAT_CALL, 0))
        .with_code("CK002");
    let log: Value = serde_json::from_str(&report::format_report(
        Format::Sarif,
        &[moved],
        &sources,
        false,
    ))
    .unwrap();
    let result = &log["runs"][0]["results"][0];
    assert_eq!(
        result["partialFingerprints"]["primaryLocationLineHash"],
        first
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
}

#[test]
fn sarif_puts_notes_without_a_code_in_the_invocation() {
    let log = sarif();
    let invocations = log["runs"][0]["invocations"].as_array().unwrap();
    assert_eq!(invocations.len(), 1);
    assert_eq!(invocations[0]["executionSuccessful"], true);
    let notes = invocations[0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "note");
    assert_eq!(
        notes[0]["message"]["text"],
        "could not parse `src/broken.rs`: expected `;`, found `}`"
    );
    // Its text is not at hand: the stored line and column, no end.
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"],
        json!({
            "artifactLocation": { "uri": "src/broken.rs", "uriBaseId": "%SRCROOT%" },
            "region": { "startLine": 7, "startColumn": 3 },
        })
    );
}

#[test]
fn sarif_uris_are_relative_to_the_current_directory() {
    let cwd = std::env::current_dir().unwrap();
    let absolute = cwd.join("src").join("ünï code.rs");
    let mut sources = Sources::default();
    sources.insert(absolute.clone(), "let x = 1;\n");
    let d = Diagnostic::error(
        "m",
        Location {
            path: absolute,
            line: 1,
            column: 5,
            span: 4..5,
        },
    )
    .with_code("CK003");
    let text = report::format_report(Format::Sarif, &[d], &sources, false);
    let log: Value = serde_json::from_str(&text).unwrap();
    let physical = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"]["uri"],
        "src/%C3%BCn%C3%AF%20code.rs"
    );
    assert_eq!(
        physical["region"],
        json!({ "startLine": 1, "startColumn": 5, "endLine": 1, "endColumn": 6 })
    );
    assert_eq!(violations(&sarif_validator(), &log), "");
}

#[test]
fn sarif_gives_unregistered_codes_a_rule_of_their_own() {
    let d = Diagnostic::error("m", Location::default()).with_code("CK999");
    let text = report::format_report(Format::Sarif, &[d], &Sources::default(), false);
    let log: Value = serde_json::from_str(&text).unwrap();
    let run = &log["runs"][0];
    let index = run["results"][0]["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "CK999");
    assert_eq!(violations(&sarif_validator(), &log), "");
}

// --- JSON ----------------------------------------------------------------

#[test]
fn json_keeps_its_fields() {
    let report: Value = serde_json::from_str(&rendered(Format::Json)).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 4);
    let first = &diagnostics[0];
    assert_eq!(first["code"], "CK002");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["path"], "src/a.rs");
    assert_eq!((&first["line"], &first["column"]), (&json!(3), &json!(16)));
    assert_eq!(
        (&first["end_line"], &first["end_column"]),
        (&json!(3), &json!(16 + FORMAT_CALL.chars().count()))
    );
    assert_eq!(first["label"], "written by hand here");
    assert_eq!(
        first["help"],
        "add the key to the catalogue and call its function"
    );
    assert_eq!(
        first["related"][1],
        json!({ "path": "./src/b.rs", "line": 3, "column": 9, "message": "and in another file" })
    );
    let collision = &diagnostics[2];
    assert_eq!(
        collision["message"],
        "`id` can render `:`, `,` or 100% of `%`\nso two keys can collide"
    );
    assert_eq!(collision["help"], Value::Null);
    let note = &diagnostics[3];
    assert_eq!(note["code"], Value::Null);
    assert_eq!(note["severity"], "note");
    assert_eq!(report["summary"], json!({ "errors": 1, "warnings": 2 }));
}

// --- GitHub --------------------------------------------------------------

#[test]
fn github_commands_are_one_line_each_and_escaped() {
    let text = rendered(Format::Github);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(
        lines[0],
        "::warning file=src/a.rs,line=3,col=16,endLine=3,endColumn=48,title=CK002 (duplicate-key-format)::key format `user:{}:profile` is written by hand in 3 places%0Asrc/a.rs:4:17: and here, in the same file%0Asrc/b.rs:3:9: and in another file%0Ahelp: add the key to the catalogue and call its function"
    );
    // Over several lines: no columns.
    assert_eq!(
        lines[2],
        "::error file=src/b.rs,line=2,endLine=5,title=CK003 (separator-collision)::`id` can render `:`, `,` or 100%25 of `%25`%0Aso two keys can collide"
    );
    // No code, no text: a notice at the stored line and column.
    assert_eq!(
        lines[3],
        "::notice file=src/broken.rs,line=7,col=3::could not parse `src/broken.rs`: expected `;`, found `}`"
    );
}

#[test]
fn github_escapes_property_values() {
    let d = Diagnostic::error(
        "50%\r\ndone",
        Location {
            path: "src/we,ird:name%.rs".into(),
            line: 2,
            column: 1,
            span: 0..0,
        },
    )
    .with_code("CK001");
    let text = report::format_report(Format::Github, &[d], &Sources::default(), false);
    assert_eq!(
        text,
        "::error file=src/we%2Cird%3Aname%25.rs,line=2,col=1,title=CK001 (catalogue-key-by-hand)::50%25%0D%0Adone\n"
    );
}

// --- concise -------------------------------------------------------------

#[test]
fn concise_lines_follow_the_ruff_shape() {
    let text = rendered(Format::Concise);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "src/a.rs:3:16: CK002 [warning] key format `user:{}:profile` is written by hand in 3 places"
    );
    assert_eq!(
        lines[2],
        "./src/b.rs:2:5: CK003 [error] `id` can render `:`, `,` or 100% of `%` so two keys can collide"
    );
    assert_eq!(
        lines[3],
        "src/broken.rs:7:3: note could not parse `src/broken.rs`: expected `;`, found `}`"
    );
}

#[test]
fn statistics_count_findings_per_rule() {
    assert_eq!(
        report::statistics(&diagnostics()),
        "   2  CK002  duplicate-key-format\n   1  CK003  separator-collision\n"
    );
}

#[test]
fn sarif_and_github_give_an_empty_span_no_end() {
    let mut sources = Sources::default();
    sources.insert("src/a.rs", A_RS);
    let mut at = locate("src/a.rs", A_RS, "name: &str", 0);
    at.span.end = at.span.start;
    let d = Diagnostic::error("m", at).with_code("CK100");
    let log: Value = serde_json::from_str(&report::format_report(
        Format::Sarif,
        std::slice::from_ref(&d),
        &sources,
        false,
    ))
    .unwrap();
    let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(*region, json!({ "startLine": 2, "startColumn": 9 }));
    let github = report::format_report(Format::Github, &[d], &sources, false);
    assert_eq!(
        github,
        "::error file=src/a.rs,line=2,col=9,title=CK100 (unused-suppression)::m\n"
    );
}

// --- failures and notifications ----------------------------------------------

/// A catalogue error (no code) at a place, and a run notification.
fn failure() -> (Vec<Diagnostic>, Sources, Vec<Diagnostic>) {
    let text = "keys:\n  a:\n    pattern: \"a:{id}\"\n    params: { id: u46 }\n";
    let mut sources = Sources::default();
    sources.insert("keys.yaml", text);
    let error = Diagnostic::error(
        "unknown type `u46` for parameter `id`",
        locate("keys.yaml", text, "u46", 0),
    )
    .with_help("did you mean `u64`?");
    let note = Diagnostic::error("no catalogue, so CK001 is off", Location::default())
        .with_severity(Severity::Note)
        .with_help("pass -c FILE");
    (vec![error], sources, vec![note])
}

fn render_log(format: Format) -> String {
    let (diagnostics, sources, notifications) = failure();
    format.report(false).format_log(&report::Log {
        diagnostics: &diagnostics,
        sources: &sources,
        notifications: &notifications,
    })
}

#[test]
fn sarif_records_a_failed_run() {
    let log: Value = serde_json::from_str(&render_log(Format::Sarif)).unwrap();
    assert_eq!(violations(&sarif_validator(), &log), "");
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    // The run's notification first, then the error.
    assert_eq!(notes[0]["level"], "note");
    assert_eq!(
        notes[0]["message"]["text"],
        "no catalogue, so CK001 is off\nhelp: pass -c FILE"
    );
    assert!(notes[0].get("locations").is_none());
    assert_eq!(notes[1]["level"], "error");
    assert_eq!(
        notes[1]["locations"][0]["physicalLocation"]["region"],
        json!({ "startLine": 4, "startColumn": 19, "endLine": 4, "endColumn": 22 })
    );
    assert_eq!(log["runs"][0]["results"], json!([]));
    // Notes alone (skipped files) do not fail a run.
    assert_eq!(
        sarif()["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn json_keeps_notifications_apart_from_diagnostics() {
    let report: Value = serde_json::from_str(&render_log(Format::Json)).unwrap();
    assert_eq!(
        report["notifications"],
        json!([{ "severity": "note", "message": "no catalogue, so CK001 is off", "help": "pass -c FILE" }])
    );
    let d = &report["diagnostics"][0];
    assert_eq!(
        (&d["line"], &d["column"], &d["code"]),
        (&json!(4), &json!(19), &Value::Null)
    );
    assert_eq!(report["summary"], json!({ "errors": 1, "warnings": 0 }));
}

#[test]
fn github_makes_notifications_notices_without_a_file() {
    assert_eq!(
        render_log(Format::Github),
        "::notice::no catalogue, so CK001 is off%0Ahelp: pass -c FILE\n\
         ::error file=keys.yaml,line=4,col=19,endLine=4,endColumn=22::unknown type `u46` for parameter `id`%0Ahelp: did you mean `u64`?\n"
    );
}

#[test]
fn human_and_concise_leave_notifications_to_the_caller() {
    let concise = render_log(Format::Concise);
    assert_eq!(
        concise,
        "keys.yaml:4:19: error unknown type `u46` for parameter `id`\n"
    );
    assert!(!render_log(Format::Human).contains("CK001"));
}

#[test]
fn an_error_about_no_file_has_null_places() {
    let d = Diagnostic::error("unexpected argument '--bogus' found", Location::default());
    let none = Sources::default();
    let report: Value = serde_json::from_str(&report::format_report(
        Format::Json,
        std::slice::from_ref(&d),
        &none,
        false,
    ))
    .unwrap();
    let d_json = &report["diagnostics"][0];
    for field in ["path", "line", "column", "end_line", "end_column"] {
        assert_eq!(d_json[field], Value::Null, "{field}");
    }
    assert_eq!(
        report::format_report(Format::Concise, std::slice::from_ref(&d), &none, false),
        "cachekeys: error unexpected argument '--bogus' found\n"
    );
    assert_eq!(
        report::format_report(Format::Github, std::slice::from_ref(&d), &none, false),
        "::error::unexpected argument '--bogus' found\n"
    );
    let log: Value =
        serde_json::from_str(&report::format_report(Format::Sarif, &[d], &none, false)).unwrap();
    assert_eq!(violations(&sarif_validator(), &log), "");
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
}

#[test]
fn every_error_becomes_diagnostics() {
    use cachekeys::Error;
    let mut sources = Sources::default();
    let missing = Error::Read {
        path: "cache/keys.yaml".into(),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "gone"),
    };
    let d = &report::error_diagnostics(&missing, &mut sources)[0];
    assert_eq!(d.message, "cannot read catalogue `cache/keys.yaml`: gone");
    assert_eq!(d.location.path, Path::new("cache/keys.yaml"));
    assert_eq!(d.location.line, 0);
    assert_eq!(
        d.help.as_deref(),
        Some("create it with `cachekeys init`, or pass the catalogue with `-c FILE`")
    );
    assert_eq!(d.severity, Severity::Error);

    let not_utf8 = Error::NotUtf8 {
        path: "keys.yaml".into(),
        line: 3,
        column: 7,
    };
    let d = &report::error_diagnostics(&not_utf8, &mut sources)[0];
    assert_eq!(d.message, "catalogue `keys.yaml` is not valid UTF-8");
    assert_eq!(
        (d.location.path.to_str(), d.location.line, d.location.column),
        (Some("keys.yaml"), 3, 7)
    );
    assert_eq!(d.help.as_deref(), Some("save the file as UTF-8"));

    let d = &report::error_diagnostics(&Error::NoOutDir, &mut sources)[0];
    assert!(d.message.starts_with("OUT_DIR is not set"), "{}", d.message);
    assert!(d.location.path.as_os_str().is_empty());

    // A catalogue's problems, each at its place, with the text to render.
    let invalid = cachekeys::catalogue::parse(
        "keys.yaml",
        "keys:\n  a:\n    pattern: \"a:{id}\"\n    params: { id: u46 }\n",
    )
    .unwrap_err();
    let mut sources = Sources::default();
    let diagnostics = report::error_diagnostics(&invalid, &mut sources);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        (diagnostics[0].location.line, diagnostics[0].location.column),
        (4, 19)
    );
    assert!(sources.get(Path::new("keys.yaml")).is_some());
}
