//! `cachekeys lint`: finds cache keys written by hand in a Rust tree.
//!
//! A string is a key because it reaches a store. The pipeline, built to
//! run in every CI job without being noticed:
//!
//! 1. `walk`: a parallel, `.gitignore`-aware walk (ripgrep's `ignore`).
//! 2. `prefilter`: a byte-level trigger search (memchr, aho-corasick)
//!    that skips files with nothing a key could be built with or sent
//!    through. It judges nothing.
//! 3. `extract`: syn reads each candidate file once: its sites (format
//!    strings, literals, `concat!`, `+`, `push_str`, `write!`, constants)
//!    and where values go, with receivers typed by `stores`.
//! 4. `flow`: the second pass resolves calls across the tree and marks
//!    every site from which a path leads to a store.
//! 5. `rules/`: one file per rule; cross-file rules see every site.
//! 6. `suppress`: suppression comments, and the catalogue's `lint.ignore`.
//!
//! `source` holds the lexer the byte-level steps share. With a catalogue,
//! `foreign` also reads Python and TypeScript files for catalogue keys
//! written by hand there (CK001).

pub(crate) mod extract;
pub(crate) mod flow;
pub(crate) mod foreign;
pub(crate) mod limits;
pub(crate) mod origin;
pub(crate) mod prefilter;
pub(crate) mod rules;
pub(crate) mod source;
pub(crate) mod stores;
pub(crate) mod suppress;
pub(crate) mod template;
pub(crate) mod values;
pub(crate) mod walk;

use std::collections::HashMap;
use std::path::PathBuf;

use extract::Site;
use suppress::Suppressions;
use template::{Piece, Shape, Template};

use crate::catalogue::{Catalogue, Part};
use crate::diagnostic::{Diagnostic, Severity, Sources};

/// What to lint.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Files and directories; the current directory when empty.
    pub paths: Vec<PathBuf>,
    /// The catalogue, when there is one: enables CK001 and its `lint:`
    /// settings, and its own `check` findings are reported too.
    pub catalogue: Option<Catalogue>,
    /// Worker threads; 0 picks one per core.
    pub threads: usize,
}

/// The result of a run.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings and notes, sorted by path and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file a diagnostic points into.
    pub sources: Sources,
    /// How many source files were read (Rust, and with a catalogue
    /// Python and TypeScript).
    pub files: usize,
}

/// The separators hand-written keys are checked with.
fn separators_of(settings: &crate::catalogue::LintSettings) -> Vec<char> {
    if settings.separators.is_empty() {
        template::DEFAULT_SEPARATORS.to_vec()
    } else {
        settings.separators.clone()
    }
}

/// The walk, the trigger search, the syn pass and the second pass: every
/// file's sites, with the evidence that they reach a store.
fn scan(options: &Options, separators: &[char]) -> walk::Scanned {
    let settings = options
        .catalogue
        .as_ref()
        .map(|c| c.lint.clone())
        .unwrap_or_default();
    let declared = stores::DeclaredSinks::new(&settings.sinks);
    let prefilter = prefilter::Prefilter::with_sinks(&settings.sinks);
    let mut scanned = walk::scan(options, &settings.exclude, |path, source| {
        let suppressions = Suppressions::parse(path, source);
        if !prefilter.is_candidate(source.as_bytes()) {
            return Ok((extract::Around::default(), suppressions));
        }
        extract::extract_file(path, source, &declared).map(|around| (around, suppressions))
    });
    connect(&mut scanned.files, &declared, separators);
    scanned
}

/// The sites lint takes for keys (what the rules look at), in path and
/// source order: for tests and for explaining what lint sees.
pub(crate) fn key_sites(options: &Options) -> Vec<Site> {
    let catalogue = options.catalogue.as_ref();
    let settings = catalogue.map(|c| c.lint.clone()).unwrap_or_default();
    let separators = separators_of(&settings);
    let formats = catalogue.map(catalogue_formats).unwrap_or_default();
    let scanned = scan(options, &separators);
    let sites: Vec<Site> = scanned
        .files
        .iter()
        .flat_map(|f| f.sites.iter().cloned())
        .collect();
    let context = Context::new(&sites, catalogue, &formats, &separators);
    (0..sites.len())
        .filter(|&i| context.is_key(i))
        .map(|i| sites[i].clone())
        .collect()
}

/// Runs the linter.
pub fn lint(options: &Options) -> Outcome {
    let catalogue = options.catalogue.as_ref();
    let settings = catalogue.map(|c| c.lint.clone()).unwrap_or_default();
    let separators = separators_of(&settings);
    let formats = catalogue.map(catalogue_formats).unwrap_or_default();
    let scanned = scan(options, &separators);

    let mut diagnostics = scanned.notes;
    let sites: Vec<Site> = scanned
        .files
        .iter()
        .flat_map(|f| f.sites.iter().cloned())
        .collect();
    let origins = origin::Origins::of(&sites, &options.paths);
    let context = Context::new(&sites, catalogue, &formats, &separators).with_origins(origins);
    let mut findings = Vec::new();
    rules::check_all(&context, &mut findings);
    let foreign = match catalogue {
        Some(catalogue) if !formats.is_empty() => {
            foreign::lint(options, &settings.exclude, catalogue, &formats)
        }
        _ => foreign::Found::default(),
    };
    findings.extend(foreign.findings);
    diagnostics.extend(foreign.notes);

    suppress::apply(
        &mut findings,
        scanned
            .files
            .into_iter()
            .map(|f| (f.path, f.suppressions))
            .chain(foreign.suppressions),
    );
    if let Some(catalogue) = catalogue {
        findings.extend(crate::keyspace::check(catalogue));
    }
    findings.retain(|d| {
        !d.code
            .is_some_and(|c| settings.ignore.iter().any(|i| i == c))
    });
    diagnostics.extend(findings);
    diagnostics.sort_by(|a, b| {
        (&a.location.path, a.location.line, a.location.column, a.code).cmp(&(
            &b.location.path,
            b.location.line,
            b.location.column,
            b.code,
        ))
    });

    let mut sources = Sources::default();
    if let Some(catalogue) = catalogue {
        sources.insert(catalogue.path.clone(), catalogue.source.clone());
    }
    for d in &diagnostics {
        for path in
            std::iter::once(&d.location.path).chain(d.related.iter().map(|r| &r.location.path))
        {
            if sources.get(path).is_none()
                && let Some(text) = walk::read_text(path)
            {
                sources.insert(path.clone(), text);
            }
        }
    }
    Outcome {
        diagnostics,
        sources,
        files: scanned.count + foreign.files,
    }
}

/// The second pass: follows values across the tree ([`flow::resolve`]),
/// marks the sites that reach a store, puts the text of constants into
/// the holes they fill (`{ARCHIVE_EXT}`, `format!("{}-x", PREFIX)`), and
/// drops plain literals that turned out not to matter.
fn connect(files: &mut [walk::FileResult], declared: &stores::DeclaredSinks, separators: &[char]) {
    let reached = {
        let facts: Vec<&flow::Facts> = files.iter().map(|f| &*f.facts).collect();
        flow::resolve(&facts, declared)
    };
    let mut constants: HashMap<&str, Option<String>> = HashMap::new();
    for file in files.iter() {
        for (name, site) in &file.facts.consts {
            let text = file
                .sites
                .get(*site)
                .filter(|s| s.template.holes() == 0)
                .map(|s| s.template.literal_text());
            constants
                .entry(name.as_str())
                .and_modify(|known| {
                    // Two different values under one name: unknown.
                    if *known != text {
                        *known = None;
                    }
                })
                .or_insert(text);
        }
    }
    for (file, reached) in files.iter_mut().zip(reached) {
        let weak = std::mem::take(&mut file.weak);
        for (i, how) in reached {
            let Some(site) = file.sites.get_mut(i) else {
                continue;
            };
            // A value interpolated into a key counts only as a key format
            // of its own (`device:{}` passed to `get_state(name)` which
            // builds `metrics:{name}`), not as a plain literal.
            let counts = how.whole
                || (!weak.get(i).copied().unwrap_or(false)
                    && site.template.holes() > 0
                    && template::shape(&site.template, separators) == Shape::Key);
            let evidence = extract::Evidence::CacheCall(how.shown);
            if counts && !site.evidence.contains(&evidence) {
                site.evidence.push(evidence);
            }
            if counts {
                // The store table's kind decides the key limits (CK005,
                // CK006): see [`limits::for_key`].
                site.store = site.store.or(how.store);
            }
        }
        let sites = std::mem::take(&mut file.sites);
        file.sites = sites
            .into_iter()
            .enumerate()
            .filter(|(i, s)| !weak.get(*i).copied().unwrap_or(false) || !s.evidence.is_empty())
            .map(|(_, mut s)| {
                fill_constants(&mut s, &constants);
                s
            })
            .collect();
        *file.facts = flow::Facts::default();
        file.sites.sort_by_key(|s| s.location.span.start);
    }
}

/// Replaces each hole filled by a constant whose text is known with that
/// text: `format!("{}.{EXT}", path)` with `const EXT: &str = "index"` is
/// `{}.index`.
fn fill_constants(site: &mut Site, constants: &HashMap<&str, Option<String>>) {
    if site.values.is_empty() {
        return;
    }
    let text_of = |expr: &str| {
        let name = expr.rsplit("::").next().unwrap_or(expr);
        constants.get(name).cloned().flatten()
    };
    if !site.values.iter().any(|v| text_of(&v.expr).is_some()) {
        return;
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let mut values = Vec::new();
    let mut holes = site.values.iter();
    for piece in std::mem::take(&mut site.template.pieces) {
        let literal = match piece {
            Piece::Hole(hole) => match holes.next() {
                Some(value) => match text_of(&value.expr) {
                    Some(text) => text,
                    None => {
                        values.push(value.clone());
                        pieces.push(Piece::Hole(hole));
                        continue;
                    }
                },
                None => {
                    pieces.push(Piece::Hole(hole));
                    continue;
                }
            },
            Piece::Literal(text) => text,
        };
        match pieces.last_mut() {
            Some(Piece::Literal(previous)) => previous.push_str(&literal),
            _ => pieces.push(Piece::Literal(literal)),
        }
    }
    site.template.pieces = pieces;
    site.values = values;
}

/// Everything the rules look at: every site of the tree, with what is
/// computed once for all rules.
pub(crate) struct Context<'a> {
    /// Every site of the tree.
    pub sites: &'a [Site],
    /// The catalogue, when there is one.
    pub catalogue: Option<&'a Catalogue>,
    /// What separates key parts in hand-written keys.
    pub separators: &'a [char],
    /// Shape of each site's template.
    pub shapes: Vec<Shape>,
    /// The catalogue entry each site matches, if any.
    pub catalogue_matches: Vec<Option<usize>>,
    /// Sites by normalised template, key-shaped sites only.
    pub groups: HashMap<String, Vec<usize>>,
    /// Which program each site belongs to and whether it is test code.
    pub origins: origin::Origins,
}

impl<'a> Context<'a> {
    /// `formats` are the catalogue's, from [`catalogue_formats`] (empty
    /// without a catalogue).
    pub fn new(
        sites: &'a [Site],
        catalogue: Option<&'a Catalogue>,
        formats: &HashMap<String, usize>,
        separators: &'a [char],
    ) -> Self {
        let shapes: Vec<Shape> = sites
            .iter()
            .map(|s| template::shape(&s.template, separators))
            .collect();
        let mut catalogue_matches = Vec::with_capacity(sites.len());
        let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, site) in sites.iter().enumerate() {
            let normalized = site.template.normalized();
            catalogue_matches.push(formats.get(&normalized).copied());
            // Spaced text is a key only where it reaches a store, and then
            // its finding is CK006, not a duplicate.
            if shapes[i] == Shape::Key
                || (shapes[i] == Shape::NotKey && reaches_store_with_text(site))
            {
                groups.entry(normalized).or_default().push(i);
            }
        }
        // A format with no words of its own (`{}:{}`) says nothing about
        // which family it builds: its copies are the ones filled with the
        // same values (`{prefix}/{name}/{version}/` twice), not every
        // `{}:{}` of the tree.
        for group in groups.values_mut() {
            let worded = sites[group[0]]
                .template
                .literal_text()
                .chars()
                .any(char::is_alphanumeric);
            if worded {
                continue;
            }
            let mut by_values: HashMap<Vec<&str>, Vec<usize>> = HashMap::new();
            for &i in group.iter() {
                let names = sites[i]
                    .values
                    .iter()
                    .map(|v| value_name(&v.expr))
                    .collect();
                by_values.entry(names).or_default().push(i);
            }
            *group = by_values
                .into_values()
                .filter(|g| g.len() > 1)
                .max_by_key(|g| (g.len(), std::cmp::Reverse(g[0])))
                .unwrap_or_default();
        }
        groups.retain(|_, g| !g.is_empty());
        Context {
            sites,
            catalogue,
            separators,
            shapes,
            catalogue_matches,
            groups,
            origins: origin::Origins::of(sites, &[]),
        }
    }

    /// The same context with `origins` computed for the walked paths.
    pub fn with_origins(mut self, origins: origin::Origins) -> Self {
        self.origins = origins;
        self
    }

    /// Whether site `i` is test code.
    pub fn in_test(&self, i: usize) -> bool {
        self.sites[i].in_test || self.origins.in_test[i]
    }

    /// The rules a key at site `i` must follow (see `limits::for_key`).
    pub fn limits(&self, i: usize) -> Option<limits::Limits> {
        limits::for_key(self.sites[i].store, self.catalogue.map(|c| c.target))
    }

    /// Whether site `i` builds a cache key: it reaches a store (whatever
    /// its shape, as long as it has text of its own), matches the
    /// catalogue, or is key-shaped and returned by a `*_key` function or
    /// written elsewhere too. Text with spaces counts only when it reaches
    /// a store.
    pub fn is_key(&self, i: usize) -> bool {
        let site = &self.sites[i];
        if self.catalogue_matches[i].is_some() || reaches_store_with_text(site) {
            return true;
        }
        match self.shapes[i] {
            Shape::NotKey | Shape::Spaced => false,
            Shape::Key => site.is_key() || self.duplicated(&site.template.normalized()),
        }
    }

    /// Whether a key format is written in several places that must agree:
    /// two that reach a store, or a format with a hole written where one
    /// copy is a key. A shared shape alone (`hw:{}` for device names) is
    /// not enough, and neither is a repeated constant (`"my_key"` in tests)
    /// that reaches no store.
    pub fn duplicated(&self, normalized: &str) -> bool {
        let Some(sites) = self.groups.get(normalized).filter(|g| g.len() > 1) else {
            return false;
        };
        let stored = sites
            .iter()
            .filter(|&&i| self.sites[i].flows_into_cache())
            .count();
        stored >= 2
            || (self.sites[sites[0]].template.holes() > 0
                && sites.iter().any(|&i| self.sites[i].is_key()))
    }
}

/// What a value is called, for telling apart wordless formats: the last
/// name of its expression that is not a conversion (`row.name` is `name`,
/// `self.executable.to_string_lossy()` is `executable`).
fn value_name(expr: &str) -> &str {
    const CONVERSIONS: &[&str] = &[
        "self",
        "to_string",
        "to_string_lossy",
        "as_str",
        "as_ref",
        "clone",
        "to_owned",
        "unwrap",
        "display",
        "into",
        "borrow",
    ];
    expr.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .rfind(|w| !w.is_empty() && !CONVERSIONS.contains(w))
        .unwrap_or(expr)
}

/// A site that reaches a store and has text of its own (not `{}{}`).
fn reaches_store_with_text(site: &Site) -> bool {
    site.flows_into_cache() && !site.template.literal_text().trim().is_empty()
}

/// The formats a catalogue's keys would be written with by hand,
/// normalised like `Template::normalized` (`profiles:profile:{}`), each
/// with its entry's index: the full pattern, and the bare pattern with or
/// without the prefix or the version. A hand-written string matches an
/// entry when its normalised template is one of these (CK001).
pub(crate) fn catalogue_formats(catalogue: &Catalogue) -> HashMap<String, usize> {
    let mut formats = HashMap::new();
    for (i, key) in catalogue.keys.iter().enumerate() {
        let bare = crate::catalogue::pattern::merge_literals(key.pattern.parts.clone());
        let sep = &catalogue.separator;
        let mut heads = Vec::new();
        if let Some(prefix) = &catalogue.prefix {
            heads.push(format!("{prefix}{sep}"));
        }
        if let Some(version) = catalogue.version_of(key) {
            heads.push(format!("{version}{sep}"));
        }
        let mut candidates = vec![catalogue.full_parts(key), bare.clone()];
        for head in heads {
            let mut parts = vec![Part::Literal(head)];
            parts.extend(bare.iter().cloned());
            candidates.push(crate::catalogue::pattern::merge_literals(parts));
        }
        for parts in candidates {
            let pieces = parts
                .into_iter()
                .map(|part| match part {
                    Part::Literal(text) => Piece::Literal(text),
                    Part::Param(_) => Piece::Hole(template::HoleSpec::default()),
                })
                .collect();
            formats.entry(Template { pieces }.normalized()).or_insert(i);
        }
    }
    formats
}

/// A finding of `rule` at a site.
pub(crate) fn finding(rule: crate::rules::Rule, site: &Site, message: String) -> Diagnostic {
    Diagnostic::error(message, site.location.clone())
        .with_code(rule.code)
        .with_severity(rule.severity)
}

/// Whether any diagnostic fails a lint run: every finding does, notes do not.
pub fn fails(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity != Severity::Note)
}
