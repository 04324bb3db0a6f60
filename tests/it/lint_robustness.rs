//! `lint` on a hostile tree: random bytes, truncated copies of real source
//! files (some cut inside a UTF-8 character), an unreadable file, a symlink
//! loop and a 50 MB file, next to one normal file with a real finding.
//!
//! The run must finish without panicking, report each bad file as a note
//! (severity Note, with its path; line and column of the first bad byte for
//! a file that is not UTF-8), and still report the real finding. Notes never
//! fail the run: the CLI exits 1 because of the finding, and 0 on the bad
//! files alone.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::common::Rng;
use assert_cmd::Command;
use cachekeys::__private::lint::prefilter::Prefilter;
use cachekeys::__private::lint::template::DEFAULT_SEPARATORS;
use cachekeys::diagnostic::{Diagnostic, Severity};
use cachekeys::lint::{Options, Outcome, lint};
use serde_json::Value;

/// Rust-ish tokens for random token soup that the prefilter lets through
/// to syn.
const TOKENS: &[&str] = &[
    "fn ",
    "let ",
    "key",
    " = ",
    "format!(",
    "\"user:{}\"",
    "\"report {}\"",
    ", ",
    "id",
    ")",
    "(",
    "{",
    "}",
    ";",
    "\n",
    "cache",
    ".get(",
    "&",
    "\"",
    "'",
    "r#\"",
    "#",
    "[",
    "]",
    "::",
    "impl ",
    "<",
    ">",
    "//",
    "/*",
    "*/",
    "é",
    "\\",
    "0x",
    "1",
    "as",
    "mut ",
    "?",
];

/// Where the first invalid byte is: 1-based line and column in characters.
fn first_bad_byte(bytes: &[u8]) -> Option<(usize, usize)> {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => return None,
        Err(e) => e.valid_up_to(),
    };
    let text = std::str::from_utf8(&bytes[..valid]).unwrap();
    let line = text.matches('\n').count() + 1;
    let line_start = text.rfind('\n').map_or(0, |i| i + 1);
    Some((line, text[line_start..].chars().count() + 1))
}

/// What lint must say about one file, from its bytes alone.
#[derive(Debug, PartialEq)]
enum Expect {
    /// A note at this line and column: not UTF-8.
    NotUtf8(usize, usize),
    /// A note: syn cannot parse a file the prefilter lets through.
    SyntaxError,
    /// Nothing: parsed, or never parsed because nothing in it can be a key.
    Nothing,
}

fn expect(bytes: &[u8]) -> Expect {
    if let Some((line, column)) = first_bad_byte(bytes) {
        return Expect::NotUtf8(line, column);
    }
    let text = std::str::from_utf8(bytes).unwrap();
    if Prefilter::new(DEFAULT_SEPARATORS).is_candidate(bytes) && syn::parse_file(text).is_err() {
        Expect::SyntaxError
    } else {
        Expect::Nothing
    }
}

const GOOD: &str = "pub fn report(cache: &memcache::Client, day: u32) {
    cache.get(&format!(\"report {}\", day));
}
";

/// A 50 MB file that the prefilter would let through: one real finding,
/// then a 50 MB string literal. It is over lint's 16 MiB limit per file, so
/// it becomes a note without being read into syn.
fn write_big_file(path: &Path) {
    let mut text = String::with_capacity(50 * 1024 * 1024 + 200);
    text.push_str(GOOD);
    text.push_str("\npub const BLOB: &str = \"");
    while text.len() < 50 * 1024 * 1024 {
        text.push_str("the quick brown fox jumps over the lazy dog. ");
    }
    text.push_str("\";\n");
    std::fs::write(path, text).unwrap();
}

struct Hostile {
    dir: tempfile::TempDir,
    /// Bad files (relative to the root) and what lint must say about each.
    bad: Vec<(PathBuf, Expect)>,
    /// The unreadable file, when it really cannot be read (not as root).
    unreadable: Option<PathBuf>,
    /// Whether the tree has files with Rust syntax errors.
    syntax_errors: bool,
}

/// `text` cut inside a two-byte character near `at`: a line
/// `// naïve café` is inserted there and the file ends in half its `ï`.
fn cut_mid_char(text: &[u8], at: usize) -> Vec<u8> {
    let line_start = text[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let mut text = text.to_vec();
    text.splice(line_start..line_start, "// naïve café\n".bytes());
    let inside = line_start + "// na".len() + 1;
    text.truncate(inside);
    assert!(std::str::from_utf8(&text).is_err());
    text
}

/// Builds the tree. With `syntax_errors`, half the random files are token
/// soup that the prefilter lets through to syn, and the real sources are
/// also cut just after a `{`: files syn cannot parse.
fn hostile_tree(syntax_errors: bool) -> Hostile {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in ["good", "bad", "big", "parsed"] {
        std::fs::create_dir(root.join(sub)).unwrap();
    }
    std::fs::write(root.join("good/real.rs"), GOOD).unwrap();
    write_big_file(&root.join("big/huge.rs"));

    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..20 {
        let bytes: Vec<u8> = if syntax_errors && i % 2 == 1 {
            // Random token soup: valid UTF-8, mostly invalid Rust.
            let mut text = format!("fn cache_key() {{ let key = format!(\"user{i}:{{}}\", 1); ");
            for _ in 0..rng.below(400) {
                text.push_str(TOKENS[rng.below(TOKENS.len())]);
            }
            text.into_bytes()
        } else {
            // Raw random bytes, not UTF-8 (a stray 0xff makes sure).
            let len = 1 + rng.below(4096);
            let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            if std::str::from_utf8(&bytes).is_ok() {
                bytes.push(0xff);
            }
            bytes
        };
        files.push((PathBuf::from(format!("bad/random_{i:02}.rs")), bytes));
    }

    // Truncated copies of real source files.
    let crate_root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, source) in [
        ("extract", "src/lint/extract.rs"),
        ("codegen", "src/codegen/mod.rs"),
    ] {
        let text = std::fs::read(crate_root.join(source)).unwrap();
        for (n, at) in [text.len() / 5, text.len() / 2, text.len() * 4 / 5]
            .into_iter()
            .enumerate()
        {
            files.push((
                PathBuf::from(format!("bad/{name}_mid_char{n}.rs")),
                cut_mid_char(&text, at),
            ));
        }
        if syntax_errors {
            // Just after a `{` and its line break: an unclosed block.
            let after_brace =
                |from: usize| from + text[from..].windows(2).position(|w| w == b"{\n").unwrap() + 2;
            let cuts = [
                after_brace(text.len() / 5),
                after_brace(text.len() / 3),
                after_brace(text.len() / 2),
                text.len() * 4 / 5,
                text.len() - 1,
            ];
            for (n, cut) in cuts.into_iter().enumerate() {
                files.push((
                    PathBuf::from(format!("bad/{name}_cut{n}.rs")),
                    text[..cut].to_vec(),
                ));
            }
        }
    }

    // Files lint can read and parse after all go to `parsed/`: their
    // findings, if any, are real ones. `bad/` holds only files that must
    // become notes.
    let mut bad = Vec::new();
    for (path, bytes) in files {
        let expected = expect(&bytes);
        let path = if expected == Expect::Nothing {
            Path::new("parsed").join(path.file_name().unwrap())
        } else {
            path
        };
        std::fs::write(root.join(&path), &bytes).unwrap();
        bad.push((path, expected));
    }

    // An unreadable file. Root reads it anyway (tests may run as root):
    // then the check is skipped and the file removed, since it would be a
    // normal file with a finding.
    let secret = root.join("bad/secret.rs");
    std::fs::write(&secret, GOOD).unwrap();
    let unreadable = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
        std::fs::read(&secret)
            .is_err()
            .then(|| PathBuf::from("bad/secret.rs"))
    };
    if unreadable.is_none() {
        std::fs::remove_file(&secret).unwrap();
    }

    // A symlink loop: bad/loop -> the root. Links are not followed, so the
    // walk neither loops nor lints good/real.rs twice.
    std::os::unix::fs::symlink(root, root.join("bad/loop")).unwrap();

    Hostile {
        dir,
        bad,
        unreadable,
        syntax_errors,
    }
}

fn relative<'a>(root: &Path, d: &'a Diagnostic) -> &'a Path {
    d.location
        .path
        .strip_prefix(root)
        .unwrap_or(&d.location.path)
}

fn check_outcome(root: &Path, hostile: &Hostile, outcome: &Outcome) {
    // The real findings, once each: the loop is not followed. (Files in
    // `parsed/` are real Rust; whatever they contain is not asserted.)
    let findings: Vec<(PathBuf, Option<&str>, usize)> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note && !relative(root, d).starts_with("parsed"))
        .map(|d| (relative(root, d).to_owned(), d.code, d.location.line))
        .collect();
    assert_eq!(
        findings,
        [(PathBuf::from("good/real.rs"), Some("CK006"), 2)]
    );
    // The 50 MB file is over the size limit: a note, not a parse.
    let big: Vec<&Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| relative(root, d) == Path::new("big/huge.rs"))
        .collect();
    assert_eq!(big.len(), 1, "{big:?}");
    assert_eq!(big[0].severity, Severity::Note);
    assert_eq!(
        big[0].message,
        "skipped: the file is 50 MiB, over the 16 MiB a source file may have"
    );

    let notes: Vec<&Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Note)
        .collect();
    for note in &notes {
        assert_eq!(note.code, None, "{note:?}");
        assert!(note.message.starts_with("skipped: "), "{note:?}");
        assert!(
            note.location.line >= 1 && note.location.column >= 1,
            "{note:?}"
        );
    }
    let mut syntax_errors = 0;
    let mut not_utf8 = 0;
    for (path, expected) in &hostile.bad {
        let mine: Vec<&&Diagnostic> = notes.iter().filter(|d| relative(root, d) == path).collect();
        match expected {
            Expect::Nothing => assert!(mine.is_empty(), "{}: {mine:?}", path.display()),
            Expect::NotUtf8(line, column) => {
                not_utf8 += 1;
                assert_eq!(mine.len(), 1, "{}: {mine:?}", path.display());
                assert_eq!(mine[0].message, "skipped: the file is not valid UTF-8");
                assert_eq!(
                    (mine[0].location.line, mine[0].location.column),
                    (*line, *column),
                    "{}",
                    path.display()
                );
            }
            Expect::SyntaxError => {
                syntax_errors += 1;
                assert_eq!(mine.len(), 1, "{}: {mine:?}", path.display());
                assert!(
                    mine[0].message.starts_with("skipped: Rust syntax error: "),
                    "{mine:?}"
                );
            }
        }
    }
    // The tree really is hostile.
    assert!(not_utf8 >= 16, "{not_utf8} files not UTF-8");
    if hostile.syntax_errors {
        assert!(syntax_errors >= 5, "{syntax_errors} syntax errors");
    } else {
        assert_eq!(syntax_errors, 0);
    }
    if let Some(path) = &hostile.unreadable {
        let mine: Vec<_> = notes.iter().filter(|d| relative(root, d) == path).collect();
        assert_eq!(mine.len(), 1, "{mine:?}");
        assert!(
            mine[0]
                .message
                .starts_with("skipped: cannot read the file: ")
        );
    }
    // Nothing else: every note is about a bad file.
    for note in &notes {
        let path = relative(root, note);
        assert!(
            hostile.bad.iter().any(|(p, _)| p == path)
                || Some(path) == hostile.unreadable.as_deref()
                || path == Path::new("big/huge.rs"),
            "unexpected note {note:?}"
        );
    }
}

/// Lints the hostile tree through the library and the binary.
fn lint_hostile_tree(syntax_errors: bool) {
    let hostile = hostile_tree(syntax_errors);
    let root = hostile.dir.path();
    let started = Instant::now();
    let outcome = lint(&Options {
        paths: vec![root.to_owned()],
        catalogue: None,
        threads: 2,
    });
    check_outcome(root, &hostile, &outcome);
    // Every report renders, notes included.
    for format in [
        cachekeys::__private::report::Format::Human,
        cachekeys::__private::report::Format::Concise,
        cachekeys::__private::report::Format::Json,
        cachekeys::__private::report::Format::Sarif,
        cachekeys::__private::report::Format::Github,
    ] {
        let text = cachekeys::__private::report::format_report(
            format,
            &outcome.diagnostics,
            &outcome.sources,
            false,
        );
        assert!(text.contains("real.rs"), "{format:?}");
    }
    eprintln!("library run: {:?}", started.elapsed());

    // The binary: exit 1 for the finding, every note in the JSON report.
    let output = Command::cargo_bin("cachekeys")
        .unwrap()
        .current_dir(root)
        .env("NO_COLOR", "1")
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = log["diagnostics"].as_array().unwrap();
    let notes = diagnostics
        .iter()
        .filter(|d| d["severity"] == "note")
        .count();
    let expected_notes = hostile
        .bad
        .iter()
        .filter(|(_, e)| *e != Expect::Nothing)
        .count()
        + usize::from(hostile.unreadable.is_some())
        + 1; // big/huge.rs, over the size limit
    assert_eq!(notes, expected_notes);
    assert!(
        diagnostics
            .iter()
            .any(|d| d["path"] == "good/real.rs" && d["code"] == "CK006")
    );

    // The bad files alone: notes only, exit 0.
    let output = Command::cargo_bin("cachekeys")
        .unwrap()
        .current_dir(root)
        .env("NO_COLOR", "1")
        .args(["lint", "--format", "concise", "bad"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    // All but the big file's note, which is not under bad/.
    assert_eq!(stdout.lines().count(), expected_notes - 1, "{stdout}");
    assert!(
        stdout.lines().all(|l| l.contains(": note skipped: ")),
        "{stdout}"
    );
    eprintln!("total: {:?}", started.elapsed());
}

#[test]
fn a_hostile_tree_is_linted_to_the_end() {
    lint_hostile_tree(false);
}

#[test]
fn a_hostile_tree_with_syntax_errors_is_linted_to_the_end() {
    lint_hostile_tree(true);
}

#[test]
fn a_syntax_error_is_a_note_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.rs"),
        "fn cache_key() -> String {\n    let key = format!(\"user:{}\", 1);\n    key\n}\nfn g( {}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("real.rs"), GOOD).unwrap();
    let outcome = std::panic::catch_unwind(|| {
        lint(&Options {
            paths: vec![dir.path().to_owned()],
            catalogue: None,
            threads: 1,
        })
    })
    .expect("lint does not panic");
    let found: Vec<(String, Severity, usize)> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            (
                relative(dir.path(), d).display().to_string(),
                d.severity,
                d.location.line,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("broken.rs".to_owned(), Severity::Note, 5),
            ("real.rs".to_owned(), Severity::Warning, 2),
        ]
    );
    assert!(
        outcome.diagnostics[0]
            .message
            .starts_with("skipped: Rust syntax error: ")
    );
    Command::cargo_bin("cachekeys")
        .unwrap()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["lint", "--format", "concise", "broken.rs"])
        .assert()
        .code(0);
}

// --- bounded work ---------------------------------------------------------------

/// Runs `cachekeys lint --format concise ARGS` in `dir`: (exit code, stdout).
fn lint_concise(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("cachekeys")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["lint", "--format", "concise"])
        .args(args)
        .output()
        .unwrap();
    (
        output
            .status
            .code()
            .expect("exited, not killed by a signal"),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// A function holding a candidate key, with `depth` nested blocks around
/// a real finding (a key with a space, CK006) in its innermost block.
fn nested_blocks(name: &str, depth: usize) -> String {
    format!(
        "pub fn {name}(cache: &memcache::Client, day: u32) {{\n    let key = format!(\"user:{{}}\", day);\n    {}cache.get(&format!(\"report {{}}\", day));{}\n}}\n",
        "{".repeat(depth),
        "}".repeat(depth)
    )
}

const NESTING_NOTE: &str = "note skipped a function: the code nests deeper than the 1000 levels of brackets and operator chains lint parses";

#[test]
fn four_hundred_nested_blocks_are_parsed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deep.rs"), nested_blocks("deep", 400)).unwrap();
    let (code, stdout) = lint_concise(dir.path(), &[]);
    assert_eq!(
        stdout,
        "deep.rs:3:424: CK006 [warning] this cache key contains ' '\n"
    );
    assert_eq!(code, 1);
}

/// Deeper than lint parses: that function is a note at the line where the
/// nesting goes over the limit, and the rest of the file and the tree are
/// linted. Notes do not change the exit code.
#[test]
fn too_deep_a_function_is_a_note_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}{GOOD}", nested_blocks("deep", 20_000));
    std::fs::write(dir.path().join("deep.rs"), deep).unwrap();
    let (code, stdout) = lint_concise(dir.path(), &[]);
    assert_eq!(
        stdout,
        format!(
            "deep.rs:3:502: {NESTING_NOTE}\n\
             deep.rs:6:24: CK006 [warning] this cache key contains ' '\n"
        )
    );
    assert_eq!(code, 1, "the finding fails the run");

    std::fs::write(dir.path().join("deep.rs"), nested_blocks("deep", 20_000)).unwrap();
    let (code, stdout) = lint_concise(dir.path(), &[]);
    assert_eq!(stdout, format!("deep.rs:3:502: {NESTING_NOTE}\n"));
    assert_eq!(code, 0, "a note alone does not fail the run");
}

/// Chains nest syn's tree as deep as they are long, with no bracket:
/// operators, prefix operators, method calls, `?`.
#[test]
fn long_chains_are_notes_not_stack_overflows() {
    let chains = [
        ["a"; 100_000].join(" + "),
        format!("{}a", "!".repeat(100_000)),
        format!("a{}", ".b()".repeat(100_000)),
        format!("a{}", "?".repeat(100_000)),
        format!("{}a", "&".repeat(100_000)),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, chain) in chains.iter().enumerate() {
        let source = format!(
            "pub fn f(cache: &Cache, day: u32) {{\n    let key = format!(\"user:{{}}\", day);\n    let x = {chain};\n}}\n"
        );
        std::fs::write(dir.path().join(format!("chain{i}.rs")), source).unwrap();
    }
    let (code, stdout) = lint_concise(dir.path(), &[]);
    let notes: Vec<&str> = stdout.lines().collect();
    assert_eq!(notes.len(), chains.len(), "{stdout}");
    for (i, note) in notes.iter().enumerate() {
        assert!(note.starts_with(&format!("chain{i}.rs:3:")), "{note}");
        assert!(note.ends_with(NESTING_NOTE), "{note}");
    }
    assert_eq!(code, 0);
}

/// A 3 GB sparse file is skipped from its size alone: the note says how
/// big it is, and the report shows no line of it, since the file is never
/// read (not even for the report's snippet).
#[test]
fn a_huge_sparse_file_is_skipped_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::File::create(dir.path().join("huge.rs"))
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    std::fs::write(dir.path().join("real.rs"), GOOD).unwrap();
    let (code, stdout) = lint_concise(dir.path(), &[]);
    assert_eq!(
        stdout,
        "huge.rs:1:1: note skipped: the file is 3072 MiB, over the 16 MiB a source file may have\n\
         real.rs:2:24: CK006 [warning] this cache key contains ' '\n"
    );
    assert_eq!(code, 1);

    let output = Command::cargo_bin("cachekeys")
        .unwrap()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["lint", "huge.rs"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "note: no catalogue: no keys.yaml here or in a parent directory up to the repository root, so CK001 (catalogue-key-by-hand) is off\n  \
         = help: pass the catalogue with `-c FILE`, or create one with `cachekeys init`\n\
         note: skipped: the file is 3072 MiB, over the 16 MiB a source file may have\n  \
         --> huge.rs:1:1\n\nfound 0 errors and 0 warnings\n",
        "no snippet: the file was not read"
    );
    assert_eq!(output.status.code(), Some(0));
}

/// The library parses on its own big-stack threads: called from a thread
/// with a small stack (a test's, 2 MiB), code just under the nesting limit
/// parses, and its finding is reported.
#[test]
fn the_library_parses_deep_code_on_a_small_stack() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deep.rs"), nested_blocks("deep", 480)).unwrap();
    let outcome = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn({
            let path = dir.path().to_owned();
            move || {
                lint(&Options {
                    paths: vec![path],
                    ..Options::default()
                })
            }
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    let found: Vec<(Option<&str>, usize)> = outcome
        .diagnostics
        .iter()
        .map(|d| (d.code, d.location.line))
        .collect();
    assert_eq!(found, [(Some("CK006"), 3)]);
}
