//! `cachekeys lint`: finds cache keys written by hand in a Rust tree.
//!
//! The pipeline, built to run in every CI job without being noticed:
//!
//! 1. [`walk`]: a parallel, `.gitignore`-aware walk (ripgrep's `ignore`).
//! 2. [`prefilter`]: a byte-level scan that discards files which cannot
//!    contain a finding, so only a few files are parsed at all.
//! 3. [`extract`]: syn parses the functions around the candidates and
//!    finds every key-building site in them, with the evidence that it
//!    builds a cache key. Functions that can only hold copies of keys wait
//!    for a second pass, which parses the few whose format matters.
//! 4. `rules/`: one file per rule; cross-file rules see every site.
//! 5. [`suppress`]: suppression comments, and the catalogue's `lint.ignore`.

pub mod extract;
pub mod items;
pub mod prefilter;
pub mod rules;
pub mod suppress;
pub mod template;
pub mod walk;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use extract::Site;
use suppress::Suppressions;
use template::{Piece, Shape, Template};

use crate::catalogue::{Catalogue, Part, Target};
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
    /// How many Rust files were read.
    pub files: usize,
}

/// Runs the linter.
pub fn lint(options: &Options) -> Outcome {
    let catalogue = options.catalogue.as_ref();
    let settings = catalogue.map(|c| c.lint.clone()).unwrap_or_default();
    let separators: Vec<char> = if settings.separators.is_empty() {
        template::DEFAULT_SEPARATORS.to_vec()
    } else {
        settings.separators.clone()
    };
    let formats = catalogue.map(catalogue_formats).unwrap_or_default();
    let prefilter = prefilter::Prefilter::new(&separators).with_formats(formats.keys().cloned());
    let mut scanned = walk::scan(options, &settings.exclude, |path, source| {
        let suppressions = Suppressions::parse(path, source);
        let candidates = prefilter.candidates(source.as_bytes());
        if candidates.is_empty() {
            return Ok((extract::Around::default(), suppressions));
        }
        extract::extract_around(path, source, &candidates).map(|around| (around, suppressions))
    });
    walk::with_parse_stack(|| parse_deferred(&mut scanned.files, &formats, &separators));

    let mut diagnostics = scanned.notes;
    let sites: Vec<Site> = scanned
        .files
        .iter()
        .flat_map(|f| f.sites.iter().cloned())
        .collect();
    let context = Context::new(&sites, catalogue, &formats, &separators);
    let mut findings = Vec::new();
    rules::check_all(&context, &mut findings);

    suppress::apply(
        &mut findings,
        scanned.files.into_iter().map(|f| (f.path, f.suppressions)),
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
        files: scanned.count,
    }
}

/// The second pass: parses the deferred functions whose format strings
/// turned out to matter, because a key built elsewhere has the same format
/// or the catalogue has it. The rest stay unparsed: their sites have no
/// evidence of their own, so no rule could report them. Sites end up in
/// source order.
fn parse_deferred(
    files: &mut [walk::FileResult],
    formats: &HashMap<String, usize>,
    separators: &[char],
) {
    let keys: HashSet<String> = files
        .iter()
        .flat_map(|f| &f.sites)
        .filter(|s| s.is_key() && template::shape(&s.template, separators) == Shape::Key)
        .map(|s| s.template.normalized())
        .collect();
    let matters = |t: &Template| {
        let format = t.normalized();
        keys.contains(&format) || formats.contains_key(&format)
    };
    for file in files.iter_mut() {
        let ranges: Vec<_> = std::mem::take(&mut file.deferred)
            .into_iter()
            .filter(|d| d.templates.iter().any(matters))
            .map(|d| d.range)
            .collect();
        // The file is read again: keeping every candidate file's text
        // through the walk would cost more memory than this costs time.
        if !ranges.is_empty()
            && let Some(source) = walk::read_text(&file.path)
        {
            let found = extract::extract_functions(&file.path, &source, &ranges);
            proc_macro2::extra::invalidate_current_thread_spans();
            for site in found {
                if !file
                    .sites
                    .iter()
                    .any(|s| s.location.span == site.location.span)
                {
                    file.sites.push(site);
                }
            }
        }
        file.sites.sort_by_key(|s| s.location.span.start);
    }
}

/// Everything the rules look at: every site of the tree, with what is
/// computed once for all rules.
pub struct Context<'a> {
    pub sites: &'a [Site],
    pub catalogue: Option<&'a Catalogue>,
    pub separators: &'a [char],
    /// Shape of each site's template.
    pub shapes: Vec<Shape>,
    /// The catalogue entry each site matches, if any.
    pub catalogue_matches: Vec<Option<usize>>,
    /// Sites by normalised template, key-shaped sites only.
    pub groups: HashMap<String, Vec<usize>>,
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
            if shapes[i] == Shape::Key {
                groups.entry(normalized).or_default().push(i);
            }
        }
        Context {
            sites,
            catalogue,
            separators,
            shapes,
            catalogue_matches,
            groups,
        }
    }

    /// Whether the code shows that site `i` builds a cache key: it flows
    /// into a cache, is named or returned as a key, matches the catalogue,
    /// or its format is written elsewhere too. Text with spaces counts only
    /// when it visibly reaches a cache.
    pub fn is_key(&self, i: usize) -> bool {
        let site = &self.sites[i];
        match self.shapes[i] {
            Shape::NotKey => false,
            Shape::Spaced => site.flows_into_cache() || self.catalogue_matches[i].is_some(),
            Shape::Key => {
                site.is_key()
                    || self.catalogue_matches[i].is_some()
                    || self.duplicated(&site.template.normalized())
            }
        }
    }

    /// Whether a key format (with at least one hole) is written in several
    /// places, one of which visibly builds a cache key. A shared shape alone
    /// (`hw:{}` for device names, `{}/users/{}` for URLs) is not enough, and
    /// neither is a repeated constant (`"my_key"` in tests).
    pub fn duplicated(&self, normalized: &str) -> bool {
        let Some(sites) = self.groups.get(normalized).filter(|g| g.len() > 1) else {
            return false;
        };
        self.sites[sites[0]].template.holes() > 0 && sites.iter().any(|&i| self.sites[i].is_key())
    }

    /// Whether keys are checked against memcached's limits: the catalogue's
    /// target, memcached when there is no catalogue.
    pub fn memcached(&self) -> bool {
        self.catalogue.is_none_or(|c| c.target == Target::Memcached)
    }
}

/// The formats a catalogue's keys would be written with by hand,
/// normalised like [`Template::normalized`] (`profiles:profile:{}`), each
/// with its entry's index: the full pattern, and the bare pattern with or
/// without the prefix or the version. A hand-written string matches an
/// entry when its normalised template is one of these (CK001).
pub fn catalogue_formats(catalogue: &Catalogue) -> HashMap<String, usize> {
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
