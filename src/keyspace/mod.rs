//! `check`: proves a catalogue's key space safe before any key is written.
//!
//! Every rule here is decided from the catalogue alone, exactly: parameter
//! types are modelled as regular languages ([`domain`]) and keys as their
//! concatenation ([`automaton`]), so "no two keys can render the same string"
//! is a product-automaton reachability question rather than a heuristic.
//! When a rule fires, the diagnostic shows a concrete key that proves it.
//!
//! | code  | rule                     | severity                          |
//! |-------|--------------------------|-----------------------------------|
//! | CK003 | separator-collision      | error                             |
//! | CK004 | ambiguous-keys           | error                             |
//! | CK005 | key-too-long             | error (memcached), warning (redis) |
//! | CK006 | forbidden-key-characters | error                             |
//! | CK007 | key-meaning-changed      | error ([`evolution`], `--against`) |
//! | CK008 | ttl-over-30-days         | error ([`policy`], memcached)      |
//! | CK009 | cross-slot-group         | error ([`slot`])                   |
//! | CK010 | movable-hash-tag         | error ([`slot`])                   |
//! | CK011 | unmappable-dependency    | error ([`invalidation`])           |

pub mod automaton;
mod candidates;
pub mod domain;
pub mod evolution;
pub mod invalidation;
pub mod policy;
pub mod slot;

use std::collections::HashMap;

use automaton::{Budget, Dfa, GaveUp, KeyNfa, Search, Witness};

use crate::catalogue::{Catalogue, Encoding, KeyEntry, Param, ParamType, Part, Target};
use crate::diagnostic::{Diagnostic, Location, Severity, sub_location};
use crate::rules;

pub const SEPARATOR_COLLISION: &str = rules::ck003_separator_collision::RULE.code;
pub const AMBIGUOUS_KEYS: &str = rules::ck004_ambiguous_keys::RULE.code;
pub const KEY_TOO_LONG: &str = rules::ck005_key_too_long::RULE.code;
pub const FORBIDDEN_KEY_CHARACTERS: &str = rules::ck006_forbidden_key_characters::RULE.code;

/// Runs every rule; diagnostics come sorted by position.
pub fn check(catalogue: &Catalogue) -> Vec<Diagnostic> {
    check_within(catalogue, &mut Budget::default())
}

/// [`check`], its searches drawing on `budget`.
fn check_within(catalogue: &Catalogue, budget: &mut Budget) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Coarse automata, built when a rule needs them.
    let mut nfas: Vec<Option<KeyNfa>> = vec![None; catalogue.keys.len()];
    let mut separator_examples = HashMap::new();
    forbidden_in_prefix(catalogue, &mut out);
    for key in &catalogue.keys {
        let mut found = Vec::new();
        separator_collisions(catalogue, key, &mut separator_examples, &mut found);
        forbidden_characters(catalogue, key, &mut found);
        key_too_long(catalogue, key, &mut found);
        policy::check(catalogue, key, &mut found);
        unused_allows(key, &found, &mut out);
        out.extend(
            found
                .into_iter()
                .filter(|d| !d.code.is_some_and(|c| key.allows(c))),
        );
    }
    // Every search draws on one budget, so `check` is bounded whatever the
    // catalogue; what runs out is reported, never passed.
    let mut unsearched = Unsearched::default();
    let renders_separator = |param: &Param| {
        separator_examples
            .get(&(&param.ty, param.max_len))
            .is_none_or(Option::is_some)
    };
    for (i, key) in catalogue.keys.iter().enumerate() {
        // With at most one parameter of variable length, the key's length
        // fixes where every part ends: one decoding only. The same holds
        // for each segment between separators, when they are fixed.
        if key.params.iter().filter(|p| varies(p)).count() < 2 {
            continue;
        }
        let one_decoding =
            candidates::segments(catalogue, key, renders_separator).is_some_and(|segments| {
                segments.iter().all(|segment| {
                    let params = segment.params.iter().map(|&p| &key.params[p]);
                    params.filter(|p| varies(p)).count() < 2
                })
            });
        if one_decoding {
            continue;
        }
        if budget.left() == 0 {
            unsearched.note(key);
            continue;
        }
        let nfa = nfas[i].get_or_insert_with(|| coarse_key_nfa(catalogue, key));
        let found = automaton::ambiguity(nfa, budget).and_then(|found| match found {
            Some(_) if counts_bytes(key) => automaton::ambiguity(&key_nfa(catalogue, key), budget),
            found => Ok(found),
        });
        match found {
            Ok(Some(witness)) => out.push(self_ambiguity(catalogue, key, &witness)),
            Ok(None) => {}
            Err(gave_up) => out.push(match ambiguous_stretch(catalogue, key, budget) {
                Some(witness) => self_ambiguity(catalogue, key, &witness),
                None => undecided_ambiguity(key, gave_up),
            }),
        }
    }
    let pairs =
        candidates::candidate_pairs(catalogue, renders_separator).unwrap_or_else(|too_many| {
            out.push(too_many_pairs(&catalogue.keys[too_many.entry]));
            Vec::new()
        });
    for (i, j) in pairs {
        let (key_a, key_b) = (&catalogue.keys[i], &catalogue.keys[j]);
        if budget.left() == 0 {
            unsearched.note(key_b);
            continue;
        }
        for k in [i, j] {
            nfas[k].get_or_insert_with(|| coarse_key_nfa(catalogue, &catalogue.keys[k]));
        }
        let (Some(a), Some(b)) = (&nfas[i], &nfas[j]) else {
            continue;
        };
        match shared_key(catalogue, (key_a, a), (key_b, b), budget) {
            Ok(Some(witness)) => out.push(collision(catalogue, key_a, key_b, &witness)),
            Ok(None) => {}
            Err(gave_up) => out.push(undecided_collision(key_a, key_b, gave_up)),
        }
    }
    slot::check(catalogue, &mut out);
    invalidation::check(catalogue, budget, &mut unsearched, &mut out);
    out.extend(unsearched.diagnostic());
    out.sort_by(|a, b| {
        (a.location.line, a.location.column, a.code).cmp(&(
            b.location.line,
            b.location.column,
            b.code,
        ))
    });
    out
}

/// Whether a parameter's renderings differ in length.
fn varies(param: &Param) -> bool {
    let (min, max) = domain::length(param);
    Some(min) != max
}

/// The longest key `key`'s function can return, in bytes, as `check`
/// proves it: every value counted, over-long `str` values in their digest
/// form. `None` when a `str` parameter has no `max_len`.
pub fn max_key_len(catalogue: &Catalogue, key: &KeyEntry) -> Option<usize> {
    catalogue
        .full_parts(key)
        .iter()
        .map(|part| match part {
            Part::Literal(text) => Some(text.len()),
            Part::Param(i) => domain::length(&key.params[*i]).1,
        })
        .sum()
}

/// Runs [`check`] and refuses a catalogue with errors: what `gen` and
/// `compile` call, so unsafe keys never reach code. Returns the warnings.
pub fn ensure_safe(catalogue: &Catalogue) -> Result<Vec<Diagnostic>, crate::Error> {
    let diagnostics = check(catalogue);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(crate::Error::Unsafe(Box::new(
            crate::diagnostic::FileDiagnostics {
                path: catalogue.path.clone(),
                source: catalogue.source.clone(),
                diagnostics,
            },
        )));
    }
    Ok(diagnostics)
}

/// An `allow:` entry that accepts nothing is stale: say so, like an unused
/// lint suppression.
fn unused_allows(key: &KeyEntry, found: &[Diagnostic], out: &mut Vec<Diagnostic>) {
    for allowed in &key.allow {
        if !found.iter().any(|d| d.code == Some(allowed.code)) {
            out.push(
                Diagnostic::error(
                    format!(
                        "`allow: [{}]` on `{}` accepts nothing",
                        allowed.code, key.name
                    ),
                    allowed.location.clone(),
                )
                .with_severity(Severity::Warning)
                .with_label("no finding to allow")
                .with_help("remove it, so a future finding is not hidden"),
            );
        }
    }
}

/// The automaton of a key's full rendering: prefix, version, pattern.
pub fn key_nfa(catalogue: &Catalogue, key: &KeyEntry) -> KeyNfa {
    key_nfa_of(catalogue, key, domain::dfa)
}

/// [`key_nfa`] with bounded `str`s uncounted ([`domain::superset_dfa`]):
/// small whatever the `max_len`. A key it cannot render, no value renders.
pub fn coarse_key_nfa(catalogue: &Catalogue, key: &KeyEntry) -> KeyNfa {
    key_nfa_of(catalogue, key, domain::superset_dfa)
}

fn key_nfa_of(catalogue: &Catalogue, key: &KeyEntry, dfa: fn(&Param) -> Dfa) -> KeyNfa {
    KeyNfa::new(&part_dfas(catalogue, key, dfa))
}

/// One automaton per part of the key's full rendering.
fn part_dfas(catalogue: &Catalogue, key: &KeyEntry, dfa: fn(&Param) -> Dfa) -> Vec<Dfa> {
    catalogue
        .full_parts(key)
        .iter()
        .map(|part| match part {
            Part::Literal(text) => Dfa::literal(text.as_bytes()),
            Part::Param(i) => dfa(&key.params[*i]),
        })
        .collect()
}

/// When the search over a whole key gives up: the same search over each
/// stretch from one parameter to the next, literal text between included.
/// Two argument lists that render one stretch alike make the whole key
/// ambiguous, every other part at its shortest rendering; a key whose
/// stretches are all unambiguous may still not be, so `None` proves nothing.
fn ambiguous_stretch(
    catalogue: &Catalogue,
    key: &KeyEntry,
    budget: &mut Budget,
) -> Option<Witness> {
    let dfas = part_dfas(catalogue, key, domain::dfa);
    let params: Vec<usize> = catalogue
        .full_parts(key)
        .iter()
        .enumerate()
        .filter_map(|(k, part)| matches!(part, Part::Param(_)).then_some(k))
        .collect();
    for pair in params.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let stretch = KeyNfa::new(&dfas[from..=to]);
        let Ok(Some(found)) = automaton::ambiguity(&stretch, budget) else {
            continue;
        };
        let shortest: Vec<Vec<u8>> = dfas
            .iter()
            .map(|dfa| dfa.shortest().unwrap_or_default())
            .collect();
        let around = |inner: Vec<Vec<u8>>| -> Vec<Vec<u8>> {
            let mut split = shortest[..from].to_vec();
            split.extend(inner);
            split.extend_from_slice(&shortest[to + 1..]);
            split
        };
        let (left, right) = (around(found.left), around(found.right));
        return Some(Witness {
            key: left.concat(),
            left,
            right,
        });
    }
    None
}

/// Searches skipped because the budget ran out: one diagnostic for all,
/// at the first entry left unproven.
#[derive(Default)]
pub(crate) struct Unsearched {
    first: Option<Location>,
    count: usize,
}

impl Unsearched {
    pub(crate) fn note(&mut self, key: &KeyEntry) {
        self.first
            .get_or_insert_with(|| key.pattern_location.clone());
        self.count += 1;
    }

    fn diagnostic(self) -> Option<Diagnostic> {
        let location = self.first?;
        let searches = if self.count == 1 {
            "search"
        } else {
            "searches"
        };
        Some(
            Diagnostic::error(
                format!(
                    "the catalogue was not proven safe: {} more {searches} for ambiguous or colliding keys did not fit in `check`'s budget",
                    self.count
                ),
                location,
            )
            .with_code(AMBIGUOUS_KEYS)
            .with_label("from here on, entries were not searched")
            .with_help(HELP_SEPARATE),
        )
    }
}

/// How to make an entry's parameters, or two entries, easy to tell apart.
const HELP_SEPARATE: &str = "put literal text that no parameter can render between adjacent parameters (e.g. the separator) and at the start of each pattern, or split the catalogue";

/// CK004 for a key whose search ran out of budget: not proven ambiguous,
/// not proven safe, so refused.
fn undecided_ambiguity(key: &KeyEntry, gave_up: GaveUp) -> Diagnostic {
    unproven(
        AMBIGUOUS_KEYS,
        format!(
            "`{}` was not proven unambiguous: the search gave up after {} steps",
            key.name, gave_up.steps
        ),
        key,
        format!(
            "too many ways to split a key among {} parameters",
            key.params.len()
        ),
        HELP_SEPARATE,
    )
}

/// An error at `key`'s pattern for what a search could not prove: the
/// catalogue is refused, never passed, when the budget runs out.
pub(crate) fn unproven(
    code: &'static str,
    message: String,
    key: &KeyEntry,
    label: impl Into<String>,
    help: &str,
) -> Diagnostic {
    Diagnostic::error(message, key.pattern_location.clone())
        .with_code(code)
        .with_label(label)
        .with_help(help)
}

/// CK004 for a catalogue with more candidate pairs than `check` could
/// ever search ([`candidates::MAX_CANDIDATE_PAIRS`]).
fn too_many_pairs(key: &KeyEntry) -> Diagnostic {
    unproven(
        AMBIGUOUS_KEYS,
        format!(
            "the catalogue was not proven safe: more than {} pairs of entries could render the same key, too many to search",
            candidates::MAX_CANDIDATE_PAIRS
        ),
        key,
        "the pairs went over the limit here",
        HELP_SEPARATE,
    )
}

/// CK004 for two entries whose search ran out of budget.
pub(crate) fn undecided_collision(
    first: &KeyEntry,
    second: &KeyEntry,
    gave_up: GaveUp,
) -> Diagnostic {
    unproven(
        AMBIGUOUS_KEYS,
        format!(
            "`{}` and `{}` were not proven to render different keys: the search gave up after {} steps",
            first.name, second.name, gave_up.steps
        ),
        second,
        format!("`{}`", second.name),
        HELP_SEPARATE,
    )
    .with_related(first.pattern_location.clone(), format!("`{}`", first.name))
}

/// Whether [`key_nfa`] counts bytes, so [`coarse_key_nfa`] is larger.
fn counts_bytes(key: &KeyEntry) -> bool {
    key.params.iter().any(domain::counts_bytes)
}

/// A key both entries render, given their coarse automata: searched over
/// those, and again exactly only when they share one and are not exact.
pub(crate) fn shared_key(
    catalogue: &Catalogue,
    (a, a_coarse): (&KeyEntry, &KeyNfa),
    (b, b_coarse): (&KeyEntry, &KeyNfa),
    budget: &mut Budget,
) -> Search {
    let found = automaton::intersection(a_coarse, b_coarse, budget)?;
    if found.is_none() || (!counts_bytes(a) && !counts_bytes(b)) {
        return Ok(found);
    }
    automaton::intersection(&key_nfa(catalogue, a), &key_nfa(catalogue, b), budget)
}

/// Reports parameters that can render the separator. The answer depends
/// only on the type and `max_len`, so it is computed once per pair.
fn separator_collisions<'c>(
    catalogue: &Catalogue,
    key: &'c KeyEntry,
    examples: &mut HashMap<(&'c ParamType, Option<u64>), Option<Vec<u8>>>,
    out: &mut Vec<Diagnostic>,
) {
    let separator = &catalogue.separator;
    for param in &key.params {
        let example = examples
            .entry((&param.ty, param.max_len))
            .or_insert_with(|| domain::dfa(param).find_containing(separator.as_bytes()));
        let Some(example) = example else {
            continue;
        };
        let example = String::from_utf8_lossy(example);
        let help = match &param.ty {
            ParamType::Enum(_) => format!(
                "rename the enum values that contain `{separator}`, or choose a separator none of them contain"
            ),
            ParamType::Str(Encoding::None) => {
                format!("remove `encode: none`: percent-encoding keeps `{separator}` out of values")
            }
            ParamType::Str(_) => {
                "choose a separator outside `A-Z a-z 0-9 - . _ ~ %`, such as `:`".to_owned()
            }
            _ => format!(
                "choose a separator that `{}` values cannot contain, such as `:`",
                param.ty.name()
            ),
        };
        out.push(
            Diagnostic::error(
                format!(
                    "parameter `{}` of `{}` can contain the separator `{separator}`",
                    param.name, key.name
                ),
                param.location.clone(),
            )
            .with_code(SEPARATOR_COLLISION)
            .with_label(format!("renders values such as `{example}`"))
            .with_help(help),
        );
    }
}

/// Whitespace, control bytes and DEL: refused by memcached, and in its text
/// protocol the way to inject a command.
fn is_forbidden(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

fn forbidden(message: String, location: Location, label: String) -> Diagnostic {
    Diagnostic::error(message, location)
        .with_code(FORBIDDEN_KEY_CHARACTERS)
        .with_label(label)
        .with_help(
            "memcached keys may not contain whitespace or control characters; use `-`, `_` or the separator instead",
        )
}

/// CK006 for the prefix, which every key starts with.
fn forbidden_in_prefix(catalogue: &Catalogue, out: &mut Vec<Diagnostic>) {
    let (Some(prefix), Some(location)) = (&catalogue.prefix, &catalogue.prefix_location) else {
        return;
    };
    if catalogue.target != Target::Memcached {
        return;
    }
    if let Some((i, c)) = prefix.char_indices().find(|&(_, c)| is_forbidden(c)) {
        let at = sub_location(&catalogue.source, location, prefix, i..i + c.len_utf8());
        out.push(forbidden(
            format!("the prefix contains {c:?}, so every key does"),
            at,
            "forbidden character".to_owned(),
        ));
    }
}

/// CK006 applies to memcached only: Redis keys are binary-safe.
fn forbidden_characters(catalogue: &Catalogue, key: &KeyEntry, out: &mut Vec<Diagnostic>) {
    if catalogue.target != Target::Memcached {
        return;
    }
    let diagnostic = forbidden;
    // Literal text of the pattern, skipping `{param}` holes; `{{` and `}}`
    // are literal braces.
    let pattern = &key.pattern.text;
    let mut chars = pattern.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' | '}' if chars.peek().is_some_and(|&(_, n)| n == c) => {
                chars.next();
            }
            '{' => {
                for (_, h) in chars.by_ref() {
                    if h == '}' {
                        break;
                    }
                }
            }
            _ if is_forbidden(c) => {
                let location = sub_location(
                    &catalogue.source,
                    &key.pattern_location,
                    pattern,
                    i..i + c.len_utf8(),
                );
                out.push(diagnostic(
                    format!("the pattern of `{}` contains {c:?}", key.name),
                    location,
                    "forbidden character".to_owned(),
                ));
            }
            _ => {}
        }
    }
    for param in &key.params {
        match &param.ty {
            ParamType::Enum(values) => {
                for value in values.iter().filter(|v| v.chars().any(is_forbidden)) {
                    out.push(diagnostic(
                        format!("enum value {value:?} of parameter `{}` contains whitespace or a control character", param.name),
                        param.location.clone(),
                        format!("renders {value:?}"),
                    ));
                }
            }
            ParamType::Str(Encoding::None) => out.push(
                diagnostic(
                    format!("parameter `{}` of `{}` has `encode: none`, so its values can put whitespace and control characters in the key", param.name, key.name),
                    param.location.clone(),
                    "raw text".to_owned(),
                )
                .with_help("remove `encode: none` (percent-encoding is the default) or use `encode: sha256`"),
            ),
            _ => {}
        }
    }
}

fn key_too_long(catalogue: &Catalogue, key: &KeyEntry, out: &mut Vec<Diagnostic>) {
    let (limit, severity, over, unlimited) = match catalogue.target {
        Target::Memcached => (
            250,
            Severity::Error,
            "over memcached's 250-byte limit",
            "but memcached refuses keys over 250 bytes",
        ),
        Target::Redis => (
            1024,
            Severity::Warning,
            "over the 1 KiB Redis advises (long keys cost memory and lookups)",
            "but Redis advises keys under 1 KiB (long keys cost memory and lookups)",
        ),
        Target::None => return,
    };
    // The bytes everything but unbounded `str` parameters can take, and the
    // largest bounded part.
    let mut fixed = 0usize;
    let mut unbounded: Vec<&Param> = Vec::new();
    let mut largest: Option<(&Param, usize)> = None;
    for part in catalogue.full_parts(key) {
        match part {
            Part::Literal(text) => fixed += text.len(),
            Part::Param(i) => {
                let param = &key.params[i];
                match domain::length(param).1 {
                    Some(n) => {
                        fixed += n;
                        if largest.is_none_or(|(_, m)| n > m) {
                            largest = Some((param, n));
                        }
                    }
                    None => unbounded.push(param),
                }
            }
        }
    }
    if unbounded.is_empty() && fixed <= limit {
        return;
    }
    let bytes_per_char = |p: &Param| match p.ty {
        ParamType::Str(Encoding::None) => 1,
        _ => 3,
    };
    // Room left for the `str` parameters to share, before encoding.
    let share = |room: usize, params: &[&Param]| -> Option<String> {
        let per_param = room / params.len().max(1);
        // A value over any `max_len` takes the 72-byte over-long form: with
        // less room than that, no `max_len` fits.
        if per_param < crate::key_text::over_long_len(0, false) {
            return None;
        }
        let lens: Vec<usize> = params
            .iter()
            .map(|p| per_param / bytes_per_char(p))
            .collect();
        if lens.contains(&0) {
            return None;
        }
        let names: Vec<String> = params
            .iter()
            .zip(&lens)
            .map(|(p, n)| format!("`max_len: {n}` on `{}`", p.name))
            .collect();
        Some(names.join(" and "))
    };
    let sha = "`encode: sha256` (a fixed 64 bytes)";
    let (message, label, help) = if let Some(first) = unbounded.first() {
        let room = limit.saturating_sub(fixed);
        let names: Vec<String> = unbounded.iter().map(|p| format!("`{}`", p.name)).collect();
        let help = match share(room, &unbounded) {
            Some(lens) => format!("set {lens} (the most that fits), or use {sha}"),
            None => format!(
                "use {sha} on {}, or shorten the pattern",
                names.join(" and ")
            ),
        };
        (
            format!("keys of `{}` have no length limit, {unlimited}", key.name),
            format!("`{}` is a `str` without `max_len`", first.name),
            help,
        )
    } else {
        let (label, help) = match largest {
            Some((param, max)) if matches!(param.ty, ParamType::Str(_)) => {
                let room = limit.saturating_sub(fixed - max);
                let help = match share(room, &[param]) {
                    Some(_) => format!(
                        "lower `max_len` of `{}` to at most {}, or use `encode: sha256`",
                        param.name,
                        room / bytes_per_char(param)
                    ),
                    None => format!("use {sha} on `{}`, or shorten the pattern", param.name),
                };
                (
                    format!(
                        "the longest part is `{{{}}}`, up to {max} bytes",
                        param.name
                    ),
                    help,
                )
            }
            Some((param, max)) => (
                format!(
                    "the longest part is `{{{}}}`, up to {max} bytes",
                    param.name
                ),
                "shorten the prefix or the pattern's literal text".to_owned(),
            ),
            None => (
                "literal text only".to_owned(),
                "shorten the prefix or the pattern".to_owned(),
            ),
        };
        let verb = if largest.is_some() { "can be" } else { "are" };
        (
            format!("keys of `{}` {verb} {fixed} bytes long, {over}", key.name),
            label,
            help,
        )
    };
    out.push(
        Diagnostic::error(message, key.location.clone())
            .with_severity(severity)
            .with_code(KEY_TOO_LONG)
            .with_label(label)
            .with_help(help),
    );
}

/// How a parameter's rendered text reads back as a value, for messages.
fn describe_value(param: &Param, rendered: &[u8]) -> String {
    let text = String::from_utf8_lossy(rendered);
    match &param.ty {
        // The model is exact, so a witness always decodes.
        ParamType::Str(Encoding::Percent) => match crate::key_text::decode_percent(&text) {
            Some(value) => format!("{value:?}"),
            None => format!("{text:?}"),
        },
        ParamType::Str(Encoding::Sha256) => format!("<any text whose SHA-256 is {text}>"),
        ParamType::Str(Encoding::None) => format!("{text:?}"),
        ParamType::Uuid => format!("0x{}", text.replace('-', "")),
        _ => text.into_owned(),
    }
}

/// `id = 42, name = "a:b"` for one run's split of a witness.
pub(crate) fn arguments(catalogue: &Catalogue, key: &KeyEntry, split: &[Vec<u8>]) -> String {
    let parts = catalogue.full_parts(key);
    let args: Vec<String> = parts
        .iter()
        .zip(split)
        .filter_map(|(part, bytes)| match part {
            Part::Param(i) => {
                let param = &key.params[*i];
                Some(format!("{} = {}", param.name, describe_value(param, bytes)))
            }
            Part::Literal(_) => None,
        })
        .collect();
    if args.is_empty() {
        "no arguments".to_owned()
    } else {
        args.join(", ")
    }
}

fn self_ambiguity(catalogue: &Catalogue, key: &KeyEntry, witness: &Witness) -> Diagnostic {
    let rendered = String::from_utf8_lossy(&witness.key);
    let left = arguments(catalogue, key, &witness.left);
    let right = arguments(catalogue, key, &witness.right);
    Diagnostic::error(
        format!("`{}` is ambiguous: two different argument lists render the same key", key.name),
        key.pattern_location.clone(),
        )
    .with_code(AMBIGUOUS_KEYS)
    .with_label(format!("`{rendered}` is both ({left}) and ({right})"))
    .with_help("put literal text that no parameter can render between adjacent parameters, e.g. the separator")
}

fn collision(
    catalogue: &Catalogue,
    first: &KeyEntry,
    second: &KeyEntry,
    witness: &Witness,
) -> Diagnostic {
    let rendered = String::from_utf8_lossy(&witness.key);
    let left = arguments(catalogue, first, &witness.left);
    let right = arguments(catalogue, second, &witness.right);
    Diagnostic::error(
        format!("`{}` and `{}` can render the same key `{rendered}`", first.name, second.name),
        second.pattern_location.clone(),
    )
    .with_code(AMBIGUOUS_KEYS)
    .with_label(format!("`{}` with {right}", second.name))
    .with_related(first.pattern_location.clone(), format!("`{}` with {left}", first.name))
    .with_help("make the patterns differ in literal text that neither family's parameters can render, e.g. `users:id:{id}` and `users:name:{name}`")
}

#[cfg(test)]
mod tests;
