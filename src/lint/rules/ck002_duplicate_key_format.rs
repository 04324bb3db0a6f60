//! CK002 duplicate-key-format.

pub use crate::rules::ck002_duplicate_key_format::RULE;

/// Reports each key-like format written in more than one place of one
/// program, once, at its first production site, with the other production
/// sites and the test copies as related locations. Test copies alone are
/// no duplicate: two tests that build the same key agree by construction
/// of what they test.
pub fn check(context: &crate::lint::Context, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    use std::collections::BTreeMap;
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
        let mut programs: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &i in sites {
            programs
                .entry(context.origins.program[i])
                .or_default()
                .push(i);
        }
        for mut program in programs.into_values() {
            program.sort_by(|&a, &b| {
                let (a, b) = (&context.sites[a].location, &context.sites[b].location);
                (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column))
            });
            let (production, tests): (Vec<usize>, Vec<usize>) =
                program.into_iter().partition(|&i| !context.in_test(i));
            // A production format copied by a test is a duplicate too: the
            // copy must change with it. Test copies alone are not.
            if production.is_empty()
                || production.len() + tests.len() < 2
                || !production.iter().any(|&i| context.sites[i].is_key())
            {
                continue;
            }
            let first = &context.sites[production[0]];
            let copies = match tests.len() {
                0 => String::new(),
                1 => " (and 1 test copy)".to_owned(),
                n => format!(" (and {n} test copies)"),
            };
            let mut diagnostic = crate::lint::finding(
                RULE,
                first,
                match production.len() {
                    1 => format!("the key format `{format}` is written in 1 place{copies}"),
                    n => format!("the key format `{format}` is written in {n} places{copies}"),
                },
            )
            .with_label("first written here")
            .with_help(format!(
                "build this key in one function, or add it to the catalogue and call the generated function:\n{}",
                catalogue_entry(first)
            ));
            for &i in &production[1..] {
                diagnostic =
                    diagnostic.with_related(context.sites[i].location.clone(), "also written here");
            }
            for &i in &tests {
                diagnostic = diagnostic.with_related(
                    context.sites[i].location.clone(),
                    "a test copy, which must change with it",
                );
            }
            out.push(diagnostic);
        }
    }
}

/// A ready-to-paste `keys.yaml` entry for a site's format: a name from
/// its literal words, the pattern with a parameter named after each value,
/// and each parameter's type from what the value can be.
pub(crate) fn catalogue_entry(site: &crate::lint::extract::Site) -> String {
    use crate::lint::template::Piece;
    // Words are split at separators other than `-` and `_`, which stay
    // inside a name (`by-email` -> `by_email`); numbers (versions) are
    // left out.
    let words: Vec<String> = site
        .template
        .literal_text()
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .map(|w| snake(&w.replace('-', "_")).trim_matches('_').to_owned())
        .filter(|w| !w.is_empty() && !w.starts_with(|c: char| c.is_ascii_digit()))
        .take(3)
        .collect();
    let name = if words.is_empty() {
        "key".to_owned()
    } else {
        words.join(".")
    };
    let mut names: Vec<String> = Vec::new();
    // Per hole: whether a neighbouring literal ends or starts with a
    // character percent-encoding keeps (`-._~`), which an encoded `str`
    // could still render.
    let mut kept_neighbour: Vec<bool> = Vec::new();
    let pieces = &site.template.pieces;
    let mut pattern = String::new();
    let mut hole = 0;
    for (p, piece) in pieces.iter().enumerate() {
        if let Piece::Hole(_) = piece {
            let kept = |c: Option<char>| c.is_some_and(|c| "-._~".contains(c));
            let before = p.checked_sub(1).and_then(|q| match &pieces[q] {
                Piece::Literal(t) => t.chars().last(),
                Piece::Hole(_) => None,
            });
            let after = match pieces.get(p + 1) {
                Some(Piece::Literal(t)) => t.chars().next(),
                _ => None,
            };
            kept_neighbour.push(kept(before) || kept(after));
        }
        match piece {
            Piece::Literal(text) => {
                pattern.push_str(&text.replace('{', "{{").replace('}', "}}"));
            }
            Piece::Hole(spec) => {
                let expr = site
                    .values
                    .get(hole)
                    .map_or(spec.name.as_str(), |v| v.expr.as_str());
                let mut param = param_name(expr);
                if param.is_empty() {
                    param = format!("p{}", hole + 1);
                }
                if names.contains(&param) {
                    param = format!("{param}_{}", hole + 1);
                }
                pattern.push('{');
                pattern.push_str(&param);
                pattern.push('}');
                names.push(param);
                hole += 1;
            }
        }
    }
    let mut entry = format!("  {name}:\n    pattern: {pattern:?}\n");
    if !names.is_empty() {
        entry.push_str("    params:\n");
        for (i, param) in names.iter().enumerate() {
            let known = site.values.get(i).map(|v| &v.known);
            let ty = known.map_or("str", |k| k.catalogue_type());
            let max_len = known.and_then(|k| k.bound.max_len.filter(|_| k.is_known()));
            let spec = match (ty, max_len) {
                // Its real bound, so `check` can prove the key's length.
                ("str", Some(max_len)) => format!("{{ type: str, max_len: {max_len} }}"),
                // Text next to `-`, `.`, `_` or `~` is hashed: percent-
                // encoding keeps those, so the key would stay ambiguous.
                ("str", None) if kept_neighbour[i] => "{ type: str, encode: sha256 }".to_owned(),
                _ => ty.to_owned(),
            };
            entry.push_str(&format!("      {param}: {spec}\n"));
        }
    }
    entry.truncate(entry.trim_end().len());
    entry
}

/// `userId` -> `user_id`.
fn snake(word: &str) -> String {
    let mut out = String::new();
    for (i, c) in word.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && !out.ends_with('_') {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A parameter name for a value written as `expr`: `&user.id` ->
/// `user_id`, `name.as_str()` -> `name`, `hex::encode(digest)` -> `digest`.
pub(crate) fn param_name(expr: &str) -> String {
    let mut text = expr.trim_start_matches(['&', '*', ' ']).trim();
    text = text.strip_prefix("mut ").unwrap_or(text);
    // A call's argument names the value better than the call.
    if let Some(open) = text.find('(')
        && !text[..open].contains('.')
    {
        let inner = text[open + 1..].trim_end_matches(')');
        if !inner.is_empty() {
            return param_name(inner);
        }
    }
    let fields: Vec<&str> = text
        .split('.')
        .take_while(|s| !s.contains('('))
        .filter(|s| *s != "self" && !s.is_empty())
        .collect();
    let name = match fields.as_slice() {
        [.., owner, last] if matches!(*last, "id" | "name" | "key") => format!("{owner}_{last}"),
        [.., last] => (*last).to_owned(),
        [] => String::new(),
    };
    let name = snake(&name);
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        String::new()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_names() {
        for (expr, name) in [
            ("name", "name"),
            ("&user.id", "user_id"),
            ("self.tenant", "tenant"),
            ("name.as_str()", "name"),
            ("hex::encode(digest)", "digest"),
            ("userId", "user_id"),
            ("0", ""),
        ] {
            assert_eq!(param_name(expr), name, "{expr}");
        }
    }
}
