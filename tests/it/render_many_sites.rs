//! A diagnostic with many related places in its own file (a CK002 group of
//! a format written in many places) renders every place, in time linear in
//! their number: the first 32 in the snippet, the rest listed after it.

use cachekeys::diagnostic::{Diagnostic, Location, Severity, Sources};

fn at(source: &str, line: usize) -> Location {
    let start: usize = source.lines().take(line - 1).map(|l| l.len() + 1).sum();
    Location {
        path: "src/a.rs".into(),
        line,
        column: 1,
        span: start..start + 3,
    }
}

#[test]
fn every_related_place_is_shown_in_the_snippet_or_after_it() {
    let source: String = (0..40)
        .map(|i| format!("k{i:02}(\"user:{{}}\", id);\n"))
        .collect();
    let mut diagnostic = Diagnostic::error(
        "the key format `user:{}` is written in 40 places",
        at(&source, 1),
    )
    .with_code("CK002")
    .with_severity(Severity::Warning)
    .with_label("first written here");
    for line in 2..=40 {
        diagnostic = diagnostic.with_related(at(&source, line), "also written here");
    }
    let mut sources = Sources::default();
    sources.insert("src/a.rs", source.clone());
    let (text, lines) = sources.get_indexed("src/a.rs".as_ref()).unwrap();
    let rendered = diagnostic.to_snippet_indexed(Some((text, lines)), false);
    assert_eq!(rendered, diagnostic.to_snippet(Some(&source), false));
    // Lines 1 to 33 in the snippet, with their own line numbers.
    for line in 1..=33 {
        assert!(
            rendered.contains(&format!("{line:>2} | k{:02}", line - 1)),
            "line {line}:\n{rendered}"
        );
    }
    // Lines 34 to 40 after it, as notes with their place.
    for line in 34..=40 {
        assert!(!rendered.contains(&format!("{line} | ")), "{rendered}");
        assert!(
            rendered.contains(&format!("note: also written here\n  --> src/a.rs:{line}:1")),
            "line {line}:\n{rendered}"
        );
    }
}
