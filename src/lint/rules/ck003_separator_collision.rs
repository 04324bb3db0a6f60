//! CK003 separator-collision.

pub use crate::rules::ck003_separator_collision::RULE;

/// Reports, once per site, the values that make two argument lists give
/// the same key.
///
/// One value alone cannot: `team:{}` is a different key for every team.
/// Two values can when the text between them holds a separator both can
/// contain: with `doc:{}:{}`, (`a:b`, `c`) and (`a`, `b:c`) give
/// `doc:a:b:c`. The values between them shift along (`f-{}-{}-{}` with a
/// free-text first and last value collides whatever the middle one is), so
/// any two values are checked, not only neighbours.
pub fn check(context: &crate::lint::Context, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    use crate::lint::template::Piece;
    for (i, site) in context.sites.iter().enumerate() {
        if site.template.holes() < 2 || context.in_test(i) || !context.is_key(i) {
            continue;
        }
        // Each hole's piece index and value.
        let holes: Vec<(usize, &crate::lint::extract::Value)> = site
            .template
            .pieces
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p, Piece::Hole(_)))
            .map(|(p, _)| p)
            .zip(&site.values)
            .collect();
        let mut colliding: Vec<usize> = Vec::new();
        let mut separators: Vec<char> = Vec::new();
        for (a, &(pa, first)) in holes.iter().enumerate() {
            for (b, &(pb, last)) in holes.iter().enumerate().skip(a + 1) {
                // One value written twice cannot trade text with itself:
                // both copies are equal, so their lengths fix the split.
                if first.expr == last.expr {
                    continue;
                }
                let between: String = site.template.pieces[pa + 1..pb]
                    .iter()
                    .filter_map(|p| match p {
                        Piece::Literal(t) => Some(t.as_str()),
                        Piece::Hole(_) => None,
                    })
                    .collect();
                let Some(separator) = between.chars().find(|&c| {
                    context.separators.contains(&c)
                        && first.known.can_hold_separator(c)
                        && last.known.can_hold_separator(c)
                }) else {
                    continue;
                };
                // Both ends must be able to take the text they trade: the
                // literal text and the values in between.
                let trades = |end: &crate::lint::values::Known| {
                    between.chars().all(|c| end.bound.can_hold(c))
                        && holes[a + 1..b]
                            .iter()
                            .all(|(_, middle)| end.bound.overlaps(&middle.known.bound))
                };
                if !(trades(&first.known) && trades(&last.known)) {
                    continue;
                }
                for hole in [a, b] {
                    if !colliding.contains(&hole) {
                        colliding.push(hole);
                    }
                }
                if !separators.contains(&separator) {
                    separators.push(separator);
                }
            }
        }
        if colliding.is_empty() {
            continue;
        }
        colliding.sort_unstable();
        let values: Vec<&crate::lint::extract::Value> =
            colliding.iter().map(|&h| holes[h].1).collect();
        let names: Vec<String> = values.iter().map(|v| format!("`{}`", v.expr)).collect();
        let separators: Vec<String> = separators.iter().map(|s| format!("`{s}`")).collect();
        let label = values
            .iter()
            .map(|v| {
                if v.known.why.is_empty() {
                    format!("`{}`", v.expr)
                } else {
                    v.known.why.clone()
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        // An example of two argument lists, when the first two values are
        // neighbours with only the separator between them.
        let (a, b) = (holes[colliding[0]], holes[colliding[1]]);
        let example = match &site.template.pieces[a.0 + 1..b.0] {
            [Piece::Literal(between)] if between.chars().count() == 1 => format!(
                "e.g. `{}` = `x{between}y` and `{}` = `z` build the same key as `x` and `y{between}z`; ",
                a.1.expr, b.1.expr
            ),
            _ => String::new(),
        };
        out.push(
            crate::lint::finding(
                RULE,
                site,
                format!(
                    "{} can each contain {}, the separator between them in `{}`, so two different argument lists give the same key",
                    join(&names),
                    join(&separators),
                    site.template.normalized()
                ),
            )
            .with_label(label)
            .with_help(match context.catalogue_matches[i] {
                // CK001 already says which generated function to call.
                Some(_) => "use an integer id or encode the values (percent-encoding keeps separators out), or call the catalogue's generated function".to_owned(),
                None => format!(
                    "{example}use integer ids or encode the values (percent-encoding keeps separators out), or add the key to the catalogue, whose `str` parameters are encoded:\n{}",
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
