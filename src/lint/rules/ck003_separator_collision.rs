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
    /// interpolates a value which can contain a separator next to it: a
    /// function parameter typed `&str`, `String` or `Cow<str>`, or the
    /// `.to_string()` of something that is not an integer. Integers, UUIDs
    /// and values that are visibly encoded are fine.
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

/// Reports free-text values interpolated next to a separator.
pub fn check(context: &crate::lint::Context, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    use crate::lint::extract::ValueKind;
    use crate::lint::template::Piece;
    for (i, site) in context.sites.iter().enumerate() {
        if !context.is_key(i) {
            continue;
        }
        let pieces = &site.template.pieces;
        let mut hole = 0;
        for (p, piece) in pieces.iter().enumerate() {
            let Piece::Hole(_) = piece else { continue };
            let value = site.values.get(hole);
            hole += 1;
            let Some(value) = value else { continue };
            let ValueKind::Text(why) = &value.kind else {
                continue;
            };
            let before = p.checked_sub(1).and_then(|q| match &pieces[q] {
                Piece::Literal(t) => t.chars().last(),
                Piece::Hole(_) => None,
            });
            let after = match pieces.get(p + 1) {
                Some(Piece::Literal(t)) => t.chars().next(),
                _ => None,
            };
            let Some(separator) = [before, after]
                .into_iter()
                .flatten()
                .find(|c| context.separators.contains(c))
            else {
                continue;
            };
            out.push(
                crate::lint::finding(
                    RULE,
                    site,
                    format!(
                        "`{}` can contain `{separator}`, the separator next to it in `{}`",
                        value.expr,
                        site.template.normalized()
                    ),
                )
                .with_label(why.clone())
                .with_help("use an integer id, encode the value (percent-encoding keeps separators out), or use a catalogue key with a `str` parameter"),
            );
        }
    }
}
