//! `check --against OLD`: a deploy must not read a value with the wrong
//! meaning.
//!
//! During a rolling deploy, servers on the old catalogue and on the new one
//! share the cache. A key string that both can render must therefore mean
//! the same thing to both: the same entry, the same arguments decoded from
//! it, and the same cached value type (`value:`). Otherwise one side reads
//! what the other wrote with another meaning, and the fix is a version bump,
//! which makes the two renders differ.
//!
//! Old entries are key families too, so "both can render this string" is
//! decided exactly, as CK004 decides collisions: a BFS over the product of an
//! old entry's automaton and a new entry's. The search also tracks, byte by
//! byte, whether the two runs read it the same way: both in literal text, or
//! both in the same-named parameter of types that decode it alike. A run
//! that reaches an accepting pair after a disagreement is a counterexample
//! key, which the diagnostic shows decoded both ways.
//!
//! Meanings are compared position by position, so a change that moves a
//! parameter yet decodes to equal values on some string (`{a}-a` against
//! `a-{a}` on `a-a`) is still reported: both keys exist, and the version
//! bump costs one cold cache.

use std::collections::{HashMap, VecDeque};

use super::automaton::{Budget, GaveUp, KeyNfa, representative, representative_excluding};
use super::candidates::{edges, lead_matches, trails_fit};
use super::{arguments, key_nfa, unproven};
use crate::catalogue::{Catalogue, Encoding, KeyEntry, Param, ParamType, Part};
use crate::diagnostic::{Diagnostic, Location, Severity};

/// CK007: a key string both catalogues render means something else in each.
pub const MEANING_CHANGED: &str = crate::rules::ck007_key_meaning_changed::RULE.code;

/// Every key string that the old catalogue and `new` render with different
/// meanings, one diagnostic per pair of entries, at the new entry.
pub fn against(old: &Catalogue, new: &Catalogue) -> Vec<Diagnostic> {
    against_within(old, new, &mut Budget::default())
}

/// [`against`], drawing every search from `budget`: a pair whose search
/// runs out is refused as unproven, and once the budget is spent the
/// pairs left are refused together, so that no catalogue keeps `check`
/// busy for long.
pub(crate) fn against_within(
    old: &Catalogue,
    new: &Catalogue,
    budget: &mut Budget,
) -> Vec<Diagnostic> {
    let mut old_nfas: HashMap<usize, KeyNfa> = HashMap::new();
    let mut new_nfas: HashMap<usize, KeyNfa> = HashMap::new();
    let mut out = Vec::new();
    let mut compared = 0usize;
    for (o, n) in candidate_pairs(old, new) {
        let (old_key, new_key) = (&old.keys[o], &new.keys[n]);
        if same_meaning(old, old_key, new, new_key) {
            continue;
        }
        if budget.limit() == 0 {
            out.push(unsearched(new_key, compared));
            break;
        }
        compared += 1;
        let old_nfa = old_nfas.entry(o).or_insert_with(|| key_nfa(old, old_key));
        let new_nfa = new_nfas.entry(n).or_insert_with(|| key_nfa(new, new_key));
        let conflicts = Conflicts::new(old, old_key, new, new_key);
        // The first key found may read alike by chance (`feeds:0:0` when
        // two parameters swapped): look the other way for a clearer one,
        // then, if that reads alike too (`k:11` for `k:1{a}` against
        // `k:{a}1`), search again passing over keys that read alike.
        // Text alike is enough to pass a key over: `1` is `a = 1` as an
        // `i16` and as a `u8`.
        let alike = |f: &Found, typed: bool| {
            !conflicts.from_start && reads_alike(old_key, new_key, &conflicts, f, typed)
        };
        let mut run = |reverse: bool, pass: &dyn Fn(&Found) -> bool| {
            search(old_nfa, new_nfa, &conflicts, reverse, pass, budget)
        };
        let found = run(false, &|_| false).and_then(|first| match first {
            Some(f) if alike(&f, true) => Ok(run(true, &|_| false)?
                .filter(|g| !alike(g, true))
                .or(Some(f))),
            other => Ok(other),
        });
        let found = found.and_then(|found| match found {
            Some(f) if alike(&f, false) => Ok(run(false, &|g| alike(g, false))?.or(Some(f))),
            other => Ok(other),
        });
        match found {
            Ok(Some(found)) => out.push(diagnostic(old, old_key, new, new_key, &found)),
            Ok(None) => {}
            Err(gave_up) => out.push(undecided(old_key, new_key, gave_up)),
        }
    }
    out.sort_by(|a, b| {
        (a.location.line, a.location.column).cmp(&(b.location.line, b.location.column))
    });
    out
}

/// How to make a change that `check --against` could not prove safe.
const HELP_UNPROVEN: &str = "bump `version` (old keys then never meet new ones), or give the changed entries literal text that tells their parameters apart";

/// CK007 for a pair of entries whose search ran out of budget: not proven
/// to keep its meaning, so refused.
fn undecided(old_key: &KeyEntry, new_key: &KeyEntry, gave_up: GaveUp) -> Diagnostic {
    unproven(
        MEANING_CHANGED,
        format!(
            "`{}` was not proven to keep the meaning of `{}` in the old catalogue: the search gave up after {} steps",
            new_key.name, old_key.name, gave_up.steps
        ),
        new_key,
        "too many ways to read a key of both",
        HELP_UNPROVEN,
    )
}

/// CK007 once the budget is spent, at the first pair left unsearched.
fn unsearched(new_key: &KeyEntry, compared: usize) -> Diagnostic {
    unproven(
        MEANING_CHANGED,
        format!(
            "the change was not proven safe: `check --against` ran out of budget after searching {compared} pairs of entries"
        ),
        new_key,
        "from here on, pairs of old and new entries were not searched",
        HELP_UNPROVEN,
    )
}

/// Pairs (old entry, new entry) that could share a key: one leading literal
/// is a prefix of the other and one trailing literal a suffix of the other.
/// In order of old entry, then new entry, and made one old entry at a
/// time: entries that start with a parameter pair with every entry, so
/// 10,000 of them would be 10^8 pairs, of which the budget searches a few
/// thousand.
fn candidate_pairs<'a>(
    old: &'a Catalogue,
    new: &'a Catalogue,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    // The new entries sorted by leading literal, and their trailing
    // literals and indices in the same order.
    let mut sorted: Vec<(String, String, usize)> = new
        .keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let (lead, trail) = edges(new, key);
            (lead, trail, i)
        })
        .collect();
    sorted.sort();
    let (leads, rest): (Vec<String>, Vec<(String, usize)>) = sorted
        .into_iter()
        .map(|(lead, trail, i)| (lead, (trail, i)))
        .unzip();
    old.keys.iter().enumerate().flat_map(move |(o, key)| {
        let (lead, trail) = edges(old, key);
        let mut found: Vec<usize> = lead_matches(&leads, &lead)
            .map(|k| &rest[k])
            .filter(|(other, _)| trails_fit(other, &trail))
            .map(|&(_, n)| n)
            .collect();
        found.sort_unstable();
        found.into_iter().map(move |n| (o, n))
    })
}

/// The common case, decided without a search: the same entry with the same
/// full shape, parameters and value.
fn same_meaning(old: &Catalogue, o: &KeyEntry, new: &Catalogue, n: &KeyEntry) -> bool {
    o.name == n.name
        && o.value == n.value
        && old.full_parts(o) == new.full_parts(n)
        && o.params.len() == n.params.len()
        && o.params
            .iter()
            .zip(&n.params)
            .all(|(a, b)| a.name == b.name && a.ty == b.ty)
}

/// Whether two runs that read one byte in these parameters read it alike.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Conflict {
    /// Decoded alike whatever the byte.
    Never,
    /// A different argument whatever the byte.
    Always,
    /// Alike unless the text holds `%`: percent-encoded against raw text.
    OnPercent,
}

/// Which parts of the two entries read bytes differently.
struct Conflicts<'c> {
    old_parts: Vec<Part>,
    new_parts: Vec<Part>,
    old_key: &'c KeyEntry,
    new_key: &'c KeyEntry,
    /// Entry, value or parameter names differ: every shared key differs.
    from_start: bool,
}

impl<'c> Conflicts<'c> {
    fn new(old: &Catalogue, o: &'c KeyEntry, new: &Catalogue, n: &'c KeyEntry) -> Self {
        let mut old_names: Vec<&str> = o.params.iter().map(|p| p.name.as_str()).collect();
        let mut new_names: Vec<&str> = n.params.iter().map(|p| p.name.as_str()).collect();
        old_names.sort_unstable();
        new_names.sort_unstable();
        Conflicts {
            old_parts: old.full_parts(o),
            new_parts: new.full_parts(n),
            old_key: o,
            new_key: n,
            from_start: o.name != n.name || o.value != n.value || old_names != new_names,
        }
    }

    /// How the old run in part `a` and the new run in part `b` read a byte.
    fn between(&self, a: Option<usize>, b: Option<usize>) -> Conflict {
        let part = |parts: &[Part], i: Option<usize>| i.and_then(|i| parts.get(i).cloned());
        match (part(&self.old_parts, a), part(&self.new_parts, b)) {
            (Some(Part::Literal(_)), Some(Part::Literal(_))) | (None, None) => Conflict::Never,
            (Some(Part::Param(i)), Some(Part::Param(j))) => {
                let (p, q) = (&self.old_key.params[i], &self.new_key.params[j]);
                if p.name == q.name {
                    decode_alike(p, q)
                } else {
                    Conflict::Always
                }
            }
            _ => Conflict::Always,
        }
    }
}

/// Whether text both parameters accept decodes to equal arguments.
fn decode_alike(p: &Param, q: &Param) -> Conflict {
    use ParamType::{Bool, Enum, Int, Str, Uuid};
    match (&p.ty, &q.ty) {
        // Canonical decimal is one value whatever the width or sign.
        (Int(_), Int(_)) | (Bool, Bool) | (Uuid, Uuid) | (Enum(_), Enum(_)) => Conflict::Never,
        (Str(a), Str(b)) if a == b => Conflict::Never,
        (Str(Encoding::Percent), Str(Encoding::None))
        | (Str(Encoding::None), Str(Encoding::Percent)) => Conflict::OnPercent,
        _ => Conflict::Always,
    }
}

/// A key both entries render, read differently, with each run's split.
#[derive(Clone)]
struct Found {
    key: Vec<u8>,
    old_split: Vec<Vec<u8>>,
    new_split: Vec<Vec<u8>>,
}

/// A state of each automaton, and whether the runs have read a byte
/// differently yet.
type Node = (u32, u32, bool);

/// A transition: on a byte in `lo..=hi`, go to the state.
type Edge = (u8, u8, u32);

/// Whether both runs give every parameter the same text, and, when
/// `typed`, the same type.
fn reads_alike(
    o: &KeyEntry,
    n: &KeyEntry,
    conflicts: &Conflicts,
    found: &Found,
    typed: bool,
) -> bool {
    let args = |key: &KeyEntry, parts: &[Part], split: &[Vec<u8>]| {
        let mut args: Vec<(String, &'static str, Vec<u8>)> = parts
            .iter()
            .zip(split)
            .filter_map(|(part, bytes)| match part {
                Part::Param(i) => Some((
                    key.params[*i].name.clone(),
                    if typed { key.params[*i].ty.name() } else { "" },
                    bytes.clone(),
                )),
                Part::Literal(_) => None,
            })
            .collect();
        args.sort();
        args
    };
    args(o, &conflicts.old_parts, &found.old_split)
        == args(n, &conflicts.new_parts, &found.new_split)
}

/// How many keys that read alike the search passes over, looking for one
/// that reads differently, before it settles for the first.
const ALIKE_KEYS_PASSED: usize = 64;

/// The first counterexample key in breadth-first order that `alike` does
/// not reject (`k:121` rather than `k:11`, which decodes to `a = 1` on both
/// sides of `k:1{a}` against `k:{a}1`); else the first one found.
fn search(
    old: &KeyNfa,
    new: &KeyNfa,
    conflicts: &Conflicts,
    reverse: bool,
    alike: &dyn Fn(&Found) -> bool,
    budget: &mut Budget,
) -> Result<Option<Found>, GaveUp> {
    let limit = budget.limit();
    let mut compared = 0u64;
    let found = search_up_to(old, new, conflicts, reverse, alike, limit, &mut compared);
    budget.spend(compared);
    found
}

/// [`search`], giving up after `limit` pairs of transitions compared
/// (counted in `compared`).
fn search_up_to(
    old: &KeyNfa,
    new: &KeyNfa,
    conflicts: &Conflicts,
    reverse: bool,
    alike: &dyn Fn(&Found) -> bool,
    limit: u64,
    compared: &mut u64,
) -> Result<Option<Found>, GaveUp> {
    let start: Node = (0, 0, conflicts.from_start);
    let mut parent: HashMap<Node, (Node, u8)> = HashMap::from([(start, (start, 0))]);
    let mut queue = VecDeque::from([(start, 0usize)]);
    let mut first_alike: Option<Found> = None;
    let mut passed = 0;
    while let Some((node, depth)) = queue.pop_front() {
        let (p, q, differs) = node;
        if differs && old.is_accepting(p) && new.is_accepting(q) {
            let key = found(old, new, &parent, start, node);
            if !alike(&key) {
                return Ok(Some(key));
            }
            passed += 1;
            let first = first_alike.get_or_insert(key);
            if passed >= ALIKE_KEYS_PASSED {
                return Ok(Some(first.clone()));
            }
        }
        let mut pairs: Vec<(Edge, Edge)> = old
            .transitions(p)
            .flat_map(|a| new.transitions(q).map(move |b| (a, b)))
            .collect();
        if reverse {
            pairs.reverse();
        }
        for ((alo, ahi, pn), (blo, bhi, qn)) in pairs {
            *compared += 1;
            if *compared > limit {
                *compared = limit;
                return Err(GaveUp { steps: limit });
            }
            {
                let (lo, hi) = (alo.max(blo), ahi.min(bhi));
                if lo > hi {
                    continue;
                }
                let mut steps = Vec::with_capacity(2);
                match conflicts.between(old.part_of(pn), new.part_of(qn)) {
                    Conflict::Never => steps.push((varied(lo, hi, depth), differs)),
                    Conflict::Always => steps.push((varied(lo, hi, depth), true)),
                    Conflict::OnPercent => {
                        if (lo..=hi).contains(&b'%') {
                            steps.push((b'%', true));
                        }
                        if let Some(other) = representative_excluding(lo, hi, b"%") {
                            steps.push((other, differs));
                        }
                    }
                }
                for (byte, flag) in steps {
                    let next = (pn, qn, flag);
                    if let std::collections::hash_map::Entry::Vacant(slot) = parent.entry(next) {
                        slot.insert((node, byte));
                        queue.push_back((next, depth + 1));
                    }
                }
            }
        }
    }
    Ok(first_alike)
}

/// A readable byte of `lo..=hi` that changes with the position, so that a
/// counterexample's arguments differ (`feeds:1:2`, not `feeds:0:0`, when
/// two parameters swapped places).
fn varied(lo: u8, hi: u8, depth: usize) -> u8 {
    let readable: Vec<u8> = (lo..=hi).filter(u8::is_ascii_alphanumeric).collect();
    if readable.is_empty() {
        representative(lo, hi)
    } else {
        readable[depth % readable.len()]
    }
}

fn found(
    old: &KeyNfa,
    new: &KeyNfa,
    parent: &HashMap<Node, (Node, u8)>,
    start: Node,
    end: Node,
) -> Found {
    let mut nodes = Vec::new();
    let mut key = Vec::new();
    let mut node = end;
    while node != start {
        let (prev, byte) = parent[&node];
        nodes.push(node);
        key.push(byte);
        node = prev;
    }
    nodes.reverse();
    key.reverse();
    let old_states: Vec<u32> = nodes.iter().map(|n| n.0).collect();
    let new_states: Vec<u32> = nodes.iter().map(|n| n.1).collect();
    Found {
        old_split: old.split(&key, &old_states),
        new_split: new.split(&key, &new_states),
        key,
    }
}

/// `` `users.profile` (value `ProfileV1`) with id = 42 ``.
fn meaning(catalogue: &Catalogue, key: &KeyEntry, split: &[Vec<u8>]) -> String {
    let value = key
        .value
        .as_ref()
        .map(|v| format!(" (value `{v}`)"))
        .unwrap_or_default();
    format!(
        "`{}`{value} with {}",
        key.name,
        arguments(catalogue, key, split)
    )
}

fn diagnostic(
    old: &Catalogue,
    o: &KeyEntry,
    new: &Catalogue,
    n: &KeyEntry,
    found: &Found,
) -> Diagnostic {
    let key = String::from_utf8_lossy(&found.key);
    let was = meaning(old, o, &found.old_split);
    let now = meaning(new, n, &found.new_split);
    let next = old
        .version_of(o)
        .max(new.version_of(n))
        .unwrap_or(0)
        .saturating_add(1);
    let help = if o.name == n.name {
        format!(
            "bump the version: `version: {next}` on `{}` (or a higher top-level `version`), so servers on the old and the new catalogue never share a key",
            n.name
        )
    } else {
        format!(
            "give `{}` a version the old `{}` never rendered, e.g. `version: {next}`, so it cannot read values the old entry wrote",
            n.name, o.name
        )
    };
    Diagnostic::error(
        format!("key `{key}` changes meaning without a version bump"),
        n.pattern_location.clone(),
    )
    .with_severity(Severity::Error)
    .with_code(MEANING_CHANGED)
    .with_label(format!("now {now}"))
    .with_related(o.pattern_location.clone(), format!("was {was}"))
    .with_help(help)
}

/// Why the catalogue to compare against could not be had.
#[derive(Debug)]
pub enum AgainstError {
    /// It was read but does not load.
    Load(crate::Error),
    /// `git` could not give it; the diagnostic says how to fix that.
    Git(Box<Diagnostic>),
}

/// Reads the catalogue to compare against: a file path, or `git:REV:PATH`,
/// read with `git show REV:PATH` from the current directory's repository.
pub fn load_against(spec: &str) -> Result<Catalogue, AgainstError> {
    let Some(rest) = spec.strip_prefix("git:") else {
        return crate::catalogue::load(spec).map_err(AgainstError::Load);
    };
    let failed = |message: String, path: &str, help: &str| {
        let location = Location {
            path: path.into(),
            ..Location::default()
        };
        AgainstError::Git(Box::new(
            Diagnostic::error(message, location).with_help(help),
        ))
    };
    let Some((rev, path)) = rest
        .split_once(':')
        .filter(|(r, p)| !r.is_empty() && !p.is_empty())
    else {
        return Err(failed(
            format!("`--against {spec}` is not of the form `git:REV:PATH`"),
            "",
            "name a revision and a path in it, e.g. `--against git:origin/main:keys.yaml`",
        ));
    };
    let output = std::process::Command::new("git")
        .args(["show", &format!("{rev}:{path}")])
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            return Err(failed(
                format!("cannot run `git show {rev}:{path}`: {e}"),
                "",
                "install git, or check out the old catalogue and pass its file path to `--against`",
            ));
        }
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(failed(
            format!("`git show {rev}:{path}` failed: {}", stderr.trim()),
            spec,
            "run from inside the repository, fetch the revision (`git fetch origin`), and give the path from the repository root or as `./PATH`",
        ));
    }
    let Ok(source) = String::from_utf8(output.stdout) else {
        return Err(failed(
            format!("catalogue `{spec}` is not valid UTF-8"),
            "",
            "save the file as UTF-8",
        ));
    };
    crate::catalogue::parse(spec, source).map_err(AgainstError::Load)
}
