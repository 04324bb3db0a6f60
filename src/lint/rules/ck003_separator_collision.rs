//! CK003 separator-collision.

pub use crate::rules::ck003_separator_collision::RULE;

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
