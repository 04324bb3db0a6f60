//! `cachekeys rules`: the table of every rule, one rule's docs by code or
//! name, and unknown rules with a did-you-mean.

use assert_cmd::Command;
use cachekeys::__private::rules;
use predicates::prelude::*;

fn cachekeys() -> Command {
    let mut cmd = Command::cargo_bin("cachekeys").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    let output = cachekeys()
        .args(args)
        .assert()
        .code(0)
        .stderr("")
        .get_output()
        .stdout
        .clone();
    String::from_utf8(output).unwrap()
}

#[test]
fn rules_lists_every_rule() {
    let text = stdout_of(&["rules"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), rules::ALL.len() + 1, "{text}");
    assert!(lines[0].starts_with("CODE"), "{text}");
    for (line, rule) in lines[1..].iter().zip(rules::ALL) {
        assert!(line.starts_with(rule.code), "{line}");
        assert!(line.contains(rule.name), "{line}");
        assert!(line.contains(rule.severity.as_str()), "{line}");
        assert!(line.ends_with(rule.summary), "{line}");
    }
    // The summary column starts at the same place on every line.
    let column = |line: &str, rule: &rules::Rule| line.find(rule.summary).unwrap();
    let first = column(lines[1], &rules::ALL[0]);
    for (line, rule) in lines[1..].iter().zip(rules::ALL) {
        assert_eq!(column(line, &rule), first, "{text}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn rules_code_prints_its_docs() {
    let text = stdout_of(&["rules", "CK003"]);
    let rule = rules::find("CK003").unwrap();
    assert_eq!(
        text,
        format!("CK003 separator-collision (warning)\n\n{}\n", rule.docs())
    );
    assert!(text.contains("\n## What it does\n"), "{text}");
    assert!(text.contains("\n## Example\n"), "{text}");
}

#[test]
fn rules_accepts_a_lowercase_code_or_a_name() {
    let by_code = stdout_of(&["rules", "CK004"]);
    assert!(by_code.starts_with("CK004 ambiguous-keys (warning)\n\n## What it does\n"));
    assert_eq!(stdout_of(&["rules", "ck004"]), by_code);
    assert_eq!(stdout_of(&["rules", "ambiguous-keys"]), by_code);
}

#[test]
fn every_rule_has_a_page() {
    for rule in rules::ALL {
        let text = stdout_of(&["rules", rule.code]);
        let header = format!("{} {} ({})\n", rule.code, rule.name, rule.severity.as_str());
        assert!(text.starts_with(&header), "{text}");
    }
}

#[test]
fn an_unknown_code_suggests_the_closest_rule() {
    cachekeys()
        .args(["rules", "CK03"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "error: unknown rule `CK03`\n  = help: did you mean `CK003` (separator-collision)?\n",
        );
}

#[test]
fn an_unknown_name_suggests_the_closest_rule() {
    cachekeys()
        .args(["rules", "ambigous-keys"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "did you mean `CK004` (ambiguous-keys)?",
        ));
}

#[test]
fn an_unknown_rule_without_a_near_miss_points_to_the_list() {
    cachekeys()
        .args(["rules", "no-such-thing-at-all"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "unknown rule `no-such-thing-at-all`",
        ))
        .stderr(predicate::str::contains(
            "run `cachekeys rules` to list every rule",
        ));
}

#[test]
fn rules_is_in_the_help() {
    cachekeys()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("rules"));
}
