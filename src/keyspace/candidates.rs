//! Which pairs of entries CK004 searches for a shared key.
//!
//! Searching every pair is quadratic: 10,000 entries are 50 million
//! searches. Most pairs are told apart by literal text alone, so only the
//! pairs that literal text cannot tell apart are searched, found through
//! two indexes:
//!
//! - **Segments.** When no parameter of an entry can render the separator
//!   (a one-byte separator, as CK003 demands), every separator in its keys
//!   is one of its literal separators, so its keys always have the same
//!   number of segments, and a segment without a parameter always reads the
//!   same text. Two such entries can share a key only when they have as
//!   many segments and agree on every segment that both spell out:
//!   `{tenant}:users:{id}` and `{tenant}:orders:{id}` never meet, though
//!   neither starts with literal text. Entries are grouped by which
//!   segments they spell out, and each two groups are joined on the text of
//!   the segments both spell out.
//! - **Leading literal.** A key starts with its entry's leading literal
//!   (prefix and version included), so two entries can only share a key when
//!   one leading literal is a prefix of the other. This is how an entry
//!   whose parameters can render the separator finds its candidates: the
//!   entries whose leading literal extends its own (a range of the entries
//!   sorted by it), and those whose leading literal is a prefix of its own
//!   (looked up by each of its prefixes).
//!
//! Every candidate must also pass the trailing-literal test: one trailing
//! literal a suffix of the other.

use std::collections::{BTreeSet, HashMap};

use crate::catalogue::{Catalogue, KeyEntry, Param, Part};

/// The most candidate pairs kept. Entries that literal text cannot tell
/// apart pair with each other, so a catalogue of thousands of entries that
/// start with a parameter able to render the separator has millions of
/// pairs, far more than `check`'s budget can search (each search takes
/// at least a few steps): such a catalogue is refused as unproven rather
/// than held in memory pair by pair.
pub(crate) const MAX_CANDIDATE_PAIRS: usize = 1_000_000;

/// More than [`MAX_CANDIDATE_PAIRS`] pairs: the entry whose pair went over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TooManyPairs {
    pub entry: usize,
}

/// The pairs `(i, j)`, `i < j`, of entries that literal text cannot tell
/// apart, in order. `renders_separator` says whether a parameter's values
/// can contain the separator.
pub(crate) fn candidate_pairs(
    catalogue: &Catalogue,
    renders_separator: impl Fn(&Param) -> bool,
) -> Result<Vec<(usize, usize)>, TooManyPairs> {
    let shapes: Vec<Shape> = catalogue
        .keys
        .iter()
        .map(|key| Shape::of(catalogue, key, &renders_separator))
        .collect();
    let mut pairs = BTreeSet::new();
    let mut over = None;
    let mut keep = |i: usize, j: usize| {
        if over.is_some() {
            return;
        }
        let (a, b) = (&shapes[i], &shapes[j]);
        if i != j && trails_fit(&a.trail, &b.trail) {
            pairs.insert((i.min(j), i.max(j)));
            if pairs.len() > MAX_CANDIDATE_PAIRS {
                over = Some(TooManyPairs { entry: i.max(j) });
            }
        }
    };
    by_segments(&shapes, &mut keep);
    by_leading_literal(&shapes, &mut keep);
    match over {
        Some(too_many) => Err(too_many),
        None => Ok(pairs.into_iter().collect()),
    }
}

/// A key's leading and trailing literal text (empty where it starts or
/// ends with a parameter).
pub(crate) fn edges(catalogue: &Catalogue, key: &KeyEntry) -> (String, String) {
    let parts = catalogue.full_parts(key);
    let literal = |part: Option<&Part>| match part {
        Some(Part::Literal(text)) => text.clone(),
        _ => String::new(),
    };
    (literal(parts.first()), literal(parts.last()))
}

/// Whether two keys could end alike: one trailing literal is a suffix of
/// the other.
pub(crate) fn trails_fit(a: &str, b: &str) -> bool {
    a.ends_with(b) || b.ends_with(a)
}

/// The positions in `leads`, sorted, of the leading literals that literal
/// text at the start cannot tell from `lead`: those that extend it (one
/// contiguous range) and those that are a shorter prefix of it (looked up
/// by each of its prefixes).
pub(crate) fn lead_matches<'a, S: AsRef<str>>(
    leads: &'a [S],
    lead: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    // The positions from the first leading literal not below `text` while
    // `matches` holds.
    let run = move |text: &'a str, matches: fn(&str, &str) -> bool| {
        let from = leads.partition_point(|l| l.as_ref() < text);
        (from..leads.len()).take_while(move |&k| matches(leads[k].as_ref(), text))
    };
    let shorter = lead
        .char_indices()
        .flat_map(move |(end, _)| run(&lead[..end], |l, prefix| l == prefix));
    run(lead, |l, lead| l.starts_with(lead)).chain(shorter)
}

/// What literal text fixes about an entry's keys.
struct Shape {
    lead: String,
    trail: String,
    /// Per segment between separators: its text when it has no parameter.
    /// `None` when a parameter can render the separator.
    segments: Option<Vec<Option<String>>>,
}

impl Shape {
    fn of(
        catalogue: &Catalogue,
        key: &KeyEntry,
        renders_separator: impl Fn(&Param) -> bool,
    ) -> Shape {
        let (lead, trail) = edges(catalogue, key);
        Shape {
            lead,
            trail,
            segments: segments(catalogue, key, renders_separator).map(|segments| {
                segments
                    .into_iter()
                    .map(|s| s.params.is_empty().then_some(s.literal))
                    .collect()
            }),
        }
    }
}

/// The text of a key between two separators, when it is fixed.
pub(crate) struct Segment {
    /// Its literal text.
    pub literal: String,
    /// The parameters in it, by index.
    pub params: Vec<usize>,
}

/// An entry's keys cut at the separator: fixed when the separator is one
/// byte and no parameter can render it, as then every separator in a key
/// is one of the pattern's. `None` otherwise.
pub(crate) fn segments(
    catalogue: &Catalogue,
    key: &KeyEntry,
    renders_separator: impl Fn(&Param) -> bool,
) -> Option<Vec<Segment>> {
    let separator = catalogue.separator.as_str();
    if separator.len() != 1 {
        return None;
    }
    let mut segments = vec![Segment {
        literal: String::new(),
        params: Vec::new(),
    }];
    for part in catalogue.full_parts(key) {
        match part {
            Part::Literal(text) => {
                let mut pieces = text.split(separator);
                if let (Some(first), Some(last)) = (pieces.next(), segments.last_mut()) {
                    last.literal.push_str(first);
                }
                segments.extend(pieces.map(|piece| Segment {
                    literal: piece.to_owned(),
                    params: Vec::new(),
                }));
            }
            Part::Param(i) => {
                if renders_separator(&key.params[i]) {
                    return None;
                }
                segments.last_mut()?.params.push(i);
            }
        }
    }
    Some(segments)
}

/// Joins the entries whose segments are fixed: grouped by the segments
/// they spell out, each two groups of the same length joined on the text of
/// the segments both spell out.
fn by_segments(shapes: &[Shape], keep: &mut impl FnMut(usize, usize)) {
    let mut groups: HashMap<Vec<bool>, Vec<usize>> = HashMap::new();
    for (i, shape) in shapes.iter().enumerate() {
        if let Some(segments) = &shape.segments {
            let spelt = segments.iter().map(Option::is_some).collect();
            groups.entry(spelt).or_default().push(i);
        }
    }
    let mut groups: Vec<(Vec<bool>, Vec<usize>)> = groups.into_iter().collect();
    groups.sort();
    let texts = |i: usize, common: &[usize]| -> Vec<&str> {
        let segments = shapes[i].segments.as_deref().unwrap_or_default();
        common
            .iter()
            .map(|&s| segments[s].as_deref().unwrap_or_default())
            .collect()
    };
    for (g, (spelt_a, members_a)) in groups.iter().enumerate() {
        for (spelt_b, members_b) in &groups[g..] {
            if spelt_a.len() != spelt_b.len() {
                continue;
            }
            let common: Vec<usize> = (0..spelt_a.len())
                .filter(|&s| spelt_a[s] && spelt_b[s])
                .collect();
            let mut by_text: HashMap<Vec<&str>, Vec<usize>> = HashMap::new();
            for &i in members_a {
                by_text.entry(texts(i, &common)).or_default().push(i);
            }
            for &j in members_b {
                for &i in by_text.get(&texts(j, &common)).into_iter().flatten() {
                    keep(i, j);
                }
            }
        }
    }
}

/// Pairs every entry whose segments are not fixed with each entry whose
/// leading literal extends its own or is a prefix of it.
fn by_leading_literal(shapes: &[Shape], keep: &mut impl FnMut(usize, usize)) {
    if shapes.iter().all(|s| s.segments.is_some()) {
        return;
    }
    let mut order: Vec<usize> = (0..shapes.len()).collect();
    order.sort_by(|&a, &b| shapes[a].lead.cmp(&shapes[b].lead));
    let leads: Vec<&str> = order.iter().map(|&j| shapes[j].lead.as_str()).collect();
    for (i, shape) in shapes.iter().enumerate() {
        if shape.segments.is_some() {
            continue;
        }
        for k in lead_matches(&leads, &shape.lead) {
            keep(i, order[k]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The candidate pairs of entries `(pattern, params)`; `raw` renders
    /// the separator.
    fn pairs(entries: &[(&str, &str)]) -> Vec<(usize, usize)> {
        let mut yaml = String::from("prefix: p\nversion: 1\ntarget: redis\nkeys:\n");
        for (i, (pattern, params)) in entries.iter().enumerate() {
            yaml.push_str(&format!(
                "  k{i}:\n    pattern: \"{pattern}\"\n    params: {{ {params} }}\n"
            ));
        }
        let catalogue =
            crate::catalogue::parse("keys.yaml", yaml).unwrap_or_else(|e| panic!("{e}"));
        candidate_pairs(&catalogue, |p| p.name == "raw").unwrap()
    }

    const T_ID: &str = "t: u32, id: u64";

    /// Entries that start with a parameter are told apart by a later
    /// segment, and met where one of them has a parameter in it.
    #[test]
    fn segments_spelt_out_by_both_must_agree() {
        let found = pairs(&[
            ("{t}:users:{id}", T_ID),
            ("{t}:orders:{id}", T_ID),
            ("{t}:users:x{id}", T_ID),
            ("{t}:{id}:x", T_ID),
            ("{t}:users:{id}:x", T_ID),
        ]);
        // 0 and 2 agree on `users`; 3 spells out a segment only where the
        // others have a parameter; 4 has one segment more.
        assert_eq!(found, [(0, 2), (0, 3), (1, 3), (2, 3)]);
    }

    /// An entry whose parameter can render the separator meets every entry
    /// whose leading literal extends its own or starts it.
    #[test]
    fn a_parameter_that_renders_the_separator_falls_back_to_the_leading_literal() {
        let found = pairs(&[
            ("users:{raw}", "raw: { type: str, encode: none }"),
            ("users:{t}:{id}", T_ID),
            ("use{t}", "t: u32"),
            ("orders:{t}:{id}", T_ID),
            ("{t}:users", "t: u32"),
        ]);
        assert_eq!(found, [(0, 1), (0, 2), (0, 4)]);
    }
}
