//! CK003 separator-collision.

use super::declare_rule;
use crate::diagnostic::Severity;

declare_rule! {
    /// ## What it does
    /// In the catalogue (`check`, an error): finds a parameter whose rendered
    /// value can contain the separator, such as a signed integer under `-`,
    /// a uuid under `-`, a `str` under one of `- . _ ~` (which
    /// percent-encoding keeps), an enum value, or `encode: none`.
    ///
    /// In hand-written keys (`lint`, a warning): finds a key format that
    /// interpolates a value which can contain a separator next to it, from
    /// what the value's type and origin say it can be: free text (`&str`,
    /// `String`, `Cow<str>`, `impl Display`), a signed integer under `-`,
    /// a `Uuid` under `-`, base64 under `/` or `+`, an IPv6 address under
    /// `:`. Unsigned integers, `bool`, hex digests (`hex::encode`, `{:x}`,
    /// a `sha256` helper), simple UUIDs and ULIDs cannot hold a separator,
    /// and a value nothing is known about is not reported. One finding per
    /// key names every such value, and test code is not reported.
    ///
    /// ## Why is this bad?
    /// When a value can contain the separator, two different argument lists
    /// can produce the same key: with `user:{name}:{field}`, the name
    /// `a:b` and field `c` give the same key as name `a` and field `b:c`.
    /// That is one user reading another user's cached data.
    ///
    /// ## Example
    /// ```rust,ignore
    /// fn profile_key(name: &str) -> String {
    ///     format!("user:{}:profile", name)
    /// }
    /// ```
    ///
    /// Use instead a catalogue entry with a `str` parameter, which is
    /// percent-encoded so `:` can never appear in the value:
    /// ```rust,ignore
    /// keys::users::profile(name)
    /// ```
    pub const RULE = {
        code: "CK003",
        name: "separator-collision",
        severity: Severity::Warning,
        summary: "A value interpolated into a key can contain the separator",
    };
}

/// Reports the values of a key that can hold the separator next to them,
/// one finding per site.
pub fn check(context: &crate::lint::Context, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    use crate::lint::template::Piece;
    for (i, site) in context.sites.iter().enumerate() {
        if context.in_test(i) || !context.is_key(i) {
            continue;
        }
        let pieces = &site.template.pieces;
        // (value, separator) for each value that can hold its neighbour.
        let mut found = Vec::new();
        let mut hole = 0;
        for (p, piece) in pieces.iter().enumerate() {
            let Piece::Hole(_) = piece else { continue };
            let value = site.values.get(hole);
            hole += 1;
            let Some(value) = value else { continue };
            let before = p.checked_sub(1).and_then(|q| match &pieces[q] {
                Piece::Literal(t) => t.chars().last(),
                Piece::Hole(_) => None,
            });
            let after = match pieces.get(p + 1) {
                Some(Piece::Literal(t)) => t.chars().next(),
                _ => None,
            };
            if let Some(separator) = [before, after]
                .into_iter()
                .flatten()
                .find(|&c| context.separators.contains(&c) && value.known.can_hold_separator(c))
            {
                found.push((value, separator));
            }
        }
        if found.is_empty() {
            continue;
        }
        let names: Vec<String> = found.iter().map(|(v, _)| format!("`{}`", v.expr)).collect();
        let mut separators: Vec<String> = found.iter().map(|(_, s)| format!("`{s}`")).collect();
        separators.dedup();
        let (verb, them) = if found.len() == 1 {
            ("can", "it")
        } else {
            ("can each", "them")
        };
        let label = found
            .iter()
            .map(|(v, _)| {
                if v.known.why.is_empty() {
                    format!("`{}`", v.expr)
                } else {
                    v.known.why.clone()
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        out.push(
            crate::lint::finding(
                RULE,
                site,
                format!(
                    "{} {verb} contain {}, the separator next to {them} in `{}`",
                    join(&names),
                    join(&separators),
                    site.template.normalized()
                ),
            )
            .with_label(label)
            .with_help(match context.catalogue_matches[i] {
                // CK001 already says which generated function to call.
                Some(_) => "use an integer id or encode the value (percent-encoding keeps separators out), or call the catalogue's generated function".to_owned(),
                None => format!(
                    "use an integer id or encode the value (percent-encoding keeps separators out); or add the key to the catalogue, whose `str` parameters are encoded:\n{}",
                    super::ck002_duplicate_key_format::catalogue_entry(site)
                ),
            }),
        );
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
