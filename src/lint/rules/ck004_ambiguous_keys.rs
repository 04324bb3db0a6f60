//! CK004 ambiguous-keys.

pub use crate::rules::ck004_ambiguous_keys::RULE;

/// Reports pairs of hand-written families where one's literal prefix is a
/// proper prefix of the other's and the first family's value can spell the
/// difference.
pub fn check(context: &crate::lint::Context, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    use crate::lint::extract::ValueKind;
    use crate::lint::template::Piece;
    use std::collections::BTreeMap;
    // One representative site per family.
    let mut families: BTreeMap<String, usize> = BTreeMap::new();
    for (i, site) in context.sites.iter().enumerate() {
        if context.is_key(i) && context.shapes[i] == crate::lint::template::Shape::Key {
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
            let kind = short.values.first().map(|v| &v.kind);
            for &(other, b) in &extensions {
                let long = &context.sites[b];
                let gap = &other[lead.len()..];
                let fills = match kind {
                    Some(ValueKind::Integer) => gap.chars().all(|c| c.is_ascii_digit() || c == '-'),
                    Some(ValueKind::Encoded) => gap.chars().all(|c| c.is_ascii_alphanumeric()),
                    _ => true,
                };
                if !fills {
                    continue;
                }
                let value = short
                    .values
                    .first()
                    .map_or("the value", |v| v.expr.as_str());
                out.push(
                crate::lint::finding(
                    RULE,
                    long,
                    format!(
                        "`{}` and `{}` can build the same key",
                        short.template.normalized(),
                        long.template.normalized()
                    ),
                )
                .with_label(format!("the other family's `{value}` can start with `{gap}`"))
                .with_related(short.location.clone(), format!("`{}` is built here", short.template.normalized()))
                .with_help("make the families differ in literal text that no value can contain, e.g. `client:{}` and `client-logo:{}`"),
            );
            }
        }
    }
}
