//! CK001 catalogue-key-by-hand.

pub use crate::rules::ck001_catalogue_key_by_hand::RULE;

/// Reports sites whose template is a catalogue entry's.
pub fn check(context: &crate::lint::Context, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    let Some(catalogue) = context.catalogue else {
        return;
    };
    for (i, site) in context.sites.iter().enumerate() {
        let Some(entry) = context.catalogue_matches[i] else {
            continue;
        };
        let key = &catalogue.keys[entry];
        let values: Vec<&str> = site.values.iter().map(|v| v.expr.as_str()).collect();
        let args = call_arguments(key, &values);
        out.push(finding(
            key,
            site.location.clone(),
            &site.template.normalized(),
            format!(
                "call the generated function instead: `keys::{}({})`",
                key.rust_path(),
                args.join(", ")
            ),
        ));
    }
}

/// The CK001 finding for a hand-written copy of `key` at `location`, in
/// whatever language: `normalized` is the copy's format, `help` names the
/// generated function to call.
pub fn finding(
    key: &crate::catalogue::KeyEntry,
    location: crate::diagnostic::Location,
    normalized: &str,
    help: String,
) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::error(
        format!(
            "`{normalized}` is the catalogue key `{}`, written by hand",
            key.name
        ),
        location,
    )
    .with_code(RULE.code)
    .with_severity(RULE.severity)
    .with_label("hand-written copy of a catalogue key")
    .with_related(
        key.pattern_location.clone(),
        format!("`{}` is defined here", key.name),
    )
    .with_help(help)
}

/// The arguments of the generated function's call, in its parameter
/// order, each written as the site writes the value for that placeholder
/// (`&user.id`, `name`), or the parameter's name when the site's value is
/// not visible. `values` are the copy's, one per hole in its order.
pub fn call_arguments(key: &crate::catalogue::KeyEntry, values: &[&str]) -> Vec<String> {
    use crate::catalogue::Part;
    // The pattern's placeholders in order, as the site's holes are.
    let order: Vec<usize> = key
        .pattern
        .parts
        .iter()
        .filter_map(|p| match p {
            Part::Param(index) => Some(*index),
            Part::Literal(_) => None,
        })
        .collect();
    key.params
        .iter()
        .enumerate()
        .map(|(index, param)| {
            order
                .iter()
                .position(|&n| n == index)
                .and_then(|i| values.get(i))
                .map(|v| v.trim_start_matches('&').to_owned())
                .filter(|e| !e.is_empty())
                .unwrap_or_else(|| param.name.clone())
        })
        .collect()
}
