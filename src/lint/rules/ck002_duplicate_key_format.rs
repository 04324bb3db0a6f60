//! CK002 duplicate-key-format.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// Finds the same key-like format written in two or more places, once
    /// placeholders are normalised (`{}`, `{id}` and `{0}` are the same
    /// hole). It reports each group once, with every site as a related
    /// location.
    ///
    /// ## Why is this bad?
    /// A key format written twice is a key format that will drift: one copy
    /// gets a new version or field and the other does not, and the code that
    /// writes the cache and the code that reads or invalidates it stop
    /// agreeing. Put the format in one function, or in the catalogue.
    ///
    /// ## Example
    /// ```rust,ignore
    /// // src/profile.rs
    /// cache.set(&format!("user:{}:profile", id), &profile)?;
    /// // src/admin.rs
    /// cache.del(&format!("user:{id}:profile"))?;
    /// ```
    ///
    /// Use instead one function both call:
    /// ```rust,ignore
    /// cache.set(&keys::users::profile(id), &profile)?;
    /// cache.del(&keys::users::profile(id))?;
    /// ```
    pub const RULE = {
        code: "CK002",
        name: "duplicate-key-format",
        severity: Severity::Warning,
        summary: "The same key format is written in several places",
    };
}

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
