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
        let args: Vec<&str> = key.params.iter().map(|p| p.name.as_str()).collect();
        out.push(
            crate::lint::finding(
                RULE,
                site,
                format!(
                    "`{}` is the catalogue key `{}`, written by hand",
                    site.template.normalized(),
                    key.name
                ),
            )
            .with_label("hand-written copy of a catalogue key")
            .with_related(
                key.pattern_location.clone(),
                format!("`{}` is defined here", key.name),
            )
            .with_help(format!(
                "call the generated function instead: `{}({})`",
                key.rust_path(),
                args.join(", ")
            )),
        );
    }
}
