//! CK004 ambiguous-keys.

pub use crate::rules::ck004_ambiguous_keys::RULE;

/// Reports hand-written families whose literal prefix is a proper prefix
/// of another family's, when the shorter family's first value can spell
/// the difference. Test code is neither family: a test that copies a
/// production key is no family of its own. One finding per longer family
/// names every shorter family it collides with.
pub fn check(context: &crate::lint::Context, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    use crate::lint::template::Piece;
    use std::collections::BTreeMap;
    // One representative production site per family.
    let mut families: BTreeMap<String, usize> = BTreeMap::new();
    for (i, site) in context.sites.iter().enumerate() {
        if !context.in_test(i)
            && context.is_key(i)
            && context.shapes[i] == crate::lint::template::Shape::Key
        {
            families.entry(site.template.normalized()).or_insert(i);
        }
    }
    // Families by leading literal: those whose lead extends `lead` are one
    // contiguous range of the map after it, so the search is near-linear
    // in the number of families, not quadratic.
    let mut by_lead: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for i in families.into_values() {
        by_lead
            .entry(context.sites[i].template.lead())
            .or_default()
            .push(i);
    }
    // Longer family -> (shorter family, the gap its value must spell).
    let mut collisions: BTreeMap<usize, Vec<(usize, &str)>> = BTreeMap::new();
    for (lead, shorts) in &by_lead {
        if lead.is_empty() {
            continue;
        }
        let extensions: Vec<(&str, usize)> = by_lead
            .range::<str, _>((std::ops::Bound::Excluded(*lead), std::ops::Bound::Unbounded))
            .take_while(|(other, _)| other.starts_with(lead))
            .flat_map(|(other, sites)| sites.iter().map(move |&b| (*other, b)))
            .collect();
        for &a in shorts {
            let short = &context.sites[a];
            if !matches!(short.template.pieces.get(1), Some(Piece::Hole(_))) {
                continue;
            }
            // A value nothing is known about makes no claim.
            let Some(value) = short.values.first().filter(|v| v.known.is_known()) else {
                continue;
            };
            if value.known.family == crate::lint::values::Family::Literal {
                continue;
            }
            for &(other, b) in &extensions {
                let gap = &other[lead.len()..];
                if value.known.bound.can_spell(gap) {
                    collisions.entry(b).or_default().push((a, gap));
                }
            }
        }
    }
    for (b, shorts) in collisions {
        let long = &context.sites[b];
        let (a, gap) = shorts[0];
        let short = &context.sites[a];
        let value = short
            .values
            .first()
            .map_or("the value", |v| v.expr.as_str());
        let others: Vec<String> = shorts
            .iter()
            .map(|&(a, _)| format!("`{}`", context.sites[a].template.normalized()))
            .collect();
        let mut diagnostic = crate::lint::finding(
            RULE,
            long,
            format!(
                "{} and `{}` can build the same key",
                others.join(", "),
                long.template.normalized()
            ),
        )
        .with_label(if shorts.len() == 1 {
            format!("the other family's `{value}` can start with `{gap}`")
        } else {
            shorts
                .iter()
                .map(|&(a, gap)| {
                    let short = &context.sites[a];
                    let value = short.values.first().map_or("the value", |v| v.expr.as_str());
                    format!("`{}`'s `{value}` can start with `{gap}`", short.template.normalized())
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .with_help("make the families differ in literal text that no value can contain, e.g. `client:{}` and `client-logo:{}`");
        for &(a, _) in &shorts {
            let short = &context.sites[a];
            diagnostic = diagnostic.with_related(
                short.location.clone(),
                format!("`{}` is built here", short.template.normalized()),
            );
        }
        out.push(diagnostic);
    }
}
