//! CK002 duplicate-key-format.

pub use crate::rules::ck002_duplicate_key_format::RULE;

/// Reports each key-like format written in more than one place, once, at
/// its first site, with the others as related locations.
pub fn check(context: &crate::lint::Context, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    let mut groups: Vec<(&String, &Vec<usize>)> = context.groups.iter().collect();
    groups.sort_by_key(|(_, sites)| sites[0]);
    for (format, sites) in groups {
        if !context.duplicated(format)
            || sites
                .iter()
                .any(|&i| context.catalogue_matches[i].is_some())
        {
            continue;
        }
        let mut ordered: Vec<usize> = sites.clone();
        ordered.sort_by(|&a, &b| {
            let (a, b) = (&context.sites[a].location, &context.sites[b].location);
            (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column))
        });
        let first = &context.sites[ordered[0]];
        let mut diagnostic = crate::lint::finding(
            RULE,
            first,
            format!("the key format `{format}` is written in {} places", ordered.len()),
        )
        .with_label("first written here")
        .with_help("build this key in one function, or add it to the catalogue and call the generated function");
        for &i in &ordered[1..] {
            diagnostic =
                diagnostic.with_related(context.sites[i].location.clone(), "also written here");
        }
        out.push(diagnostic);
    }
}
