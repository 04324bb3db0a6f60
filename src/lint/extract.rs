//! The syn visitor: reads each function once and records every
//! key-building site in it and where values go.
//!
//! Every format string (`format!`, `format_args!`, `write!`, `writeln!`,
//! `concat!`), every literal passed to `push_str`, joined with `+` or
//! passed along, and every string `const` becomes a [`Site`]. Where the
//! values go is recorded as [`Facts`] for [`super::flow`], which decides
//! across the tree which sites reach a store; this module only records
//! what one file shows: which values fill the holes, which receivers are
//! stores by their declared types ([`super::stores`]), and which calls
//! take which values.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Expr, ExprLit, Lit, LitStr, Token};

use super::flow::{Callee, Dest, Facts, FnDef, Name, Origin, Receiver, TypeRef};
use super::limits::{ObjectStore, StoreKind};
use super::stores::{self, DeclaredSinks, Store, Uses};
use super::template::Template;
use crate::diagnostic::{LineIndex, Location};

/// One place where a key-like string is built.
#[derive(Clone, Debug)]
pub struct Site {
    /// The string literal.
    pub location: Location,
    /// The text it builds, with its holes.
    pub template: Template,
    /// What fills each hole, in order.
    pub values: Vec<Value>,
    /// Why it is a key: what it reaches, step by step.
    pub evidence: Vec<Evidence>,
    /// The kind of store the key reaches, from the store table entry of
    /// its sink (set by the second pass, `super::flow`); `None` when no
    /// sink of the table is reached.
    pub store: Option<StoreKind>,
    /// Inside a `#[test]` function or a `#[cfg(test)]` module (paths under
    /// `tests/`, `benches/` and `examples/` are judged by the rules).
    pub in_test: bool,
}

impl Site {
    /// Evidence that this string is a cache key: it reaches a store, or,
    /// where flow says nothing, it is returned by a `*_key` function. Names
    /// of bindings are recorded but are not evidence.
    pub fn is_key(&self) -> bool {
        self.evidence
            .iter()
            .any(|e| matches!(e, Evidence::CacheCall(_) | Evidence::KeyFunction(_)))
    }

    /// Whether the string reaches a store: strong enough to report
    /// prose-like text (spaces) as a key.
    pub fn flows_into_cache(&self) -> bool {
        self.evidence
            .iter()
            .any(|e| matches!(e, Evidence::CacheCall(_)))
    }
}

/// What the code shows about a value interpolated into a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// The expression as written, e.g. `name` or `user.id`.
    pub expr: String,
    /// What it can be (see [`super::values`]).
    pub known: super::values::Known,
}

/// Why a site is believed to build a cache key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// Reaches a store call, e.g. `cache.get (moka)`.
    CacheCall(String),
    /// Bound to a name containing `key` or `cache` (recorded, not counted).
    KeyName(String),
    /// Returned from a function whose name contains `key`.
    KeyFunction(String),
}

impl Evidence {
    pub fn describe(&self) -> String {
        match self {
            Evidence::CacheCall(call) => format!("passed to `{call}`"),
            Evidence::KeyName(name) => format!("bound to `{name}`"),
            Evidence::KeyFunction(name) => format!("returned by `{name}`"),
        }
    }
}

/// Names that contain `key` but are not cache keys: cryptography, input
/// devices, databases.
#[rustfmt::skip]
const NOT_CACHE_KEYS: &[&str] = &[
    "api", "secret", "private", "public", "signing", "encrypt", "crypto", "ssh", "gpg", "pem",
    "tls", "hotkey", "keyboard", "keystroke", "keycode", "primary", "foreign", "sort", "monkey",
    "turkey", "jwt", "license", "access", "hmac", "aes", "rsa", "keypair", "keyring", "keystore",
];

/// Words of a name (split at `_`) that make it a cache setting or resource,
/// not a key: `cache_dir`, `key_len`, `cache_control`.
#[rustfmt::skip]
const NOT_KEY_WORDS: &[&str] = &[
    "dir", "path", "file", "url", "uri", "host", "endpoint", "size", "capacity", "policy", "env",
    "control", "header", "ttl", "config", "enabled", "hit", "hits", "miss", "stats", "len",
    "count",
];

/// Whether an identifier names a cache key: `key`, `cache_key`,
/// `user_key`, `CACHE_PREFIX`, but not `api_key` or `keyboard`.
pub fn is_key_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if matches!(lower.as_str(), "key" | "keys" | "cache" | "ck") {
        return true;
    }
    let named = lower
        .split('_')
        .any(|w| w == "key" || w == "keys" || w == "cache" || w == "ck")
        || lower.ends_with("key")
        || lower.starts_with("cache");
    named
        && !NOT_CACHE_KEYS.iter().any(|w| lower.contains(w))
        && !lower.split('_').any(|w| NOT_KEY_WORDS.contains(&w))
}

/// Redis command methods whose names say what they are on any receiver.
#[rustfmt::skip]
const REDIS_ONLY_METHODS: &[&str] = &[
    "set_ex", "pset_ex", "set_nx", "setex", "psetex", "hset", "hget", "hgetall", "hdel", "hmget",
    "hset_multiple", "hincr", "pexpire", "zadd", "zrem", "zrangebyscore", "sadd", "srem",
    "smembers", "sismember", "lpush", "rpush", "lrange", "ltrim", "incr_by", "get_del", "xadd",
];

/// Methods that hand back the receiver's store, or a connection to it:
/// `self.cache.lock().unwrap()`, `self.pool.get().await?`.
#[rustfmt::skip]
const THROUGH: &[&str] = &[
    "lock", "read", "write", "unwrap", "expect", "borrow", "borrow_mut", "as_ref", "as_mut",
    "clone", "deref", "deref_mut", "blocking_lock", "blocking_read", "blocking_write", "try_lock",
    "get", "get_connection", "get_async_connection", "get_multiplexed_async_connection",
    "get_multiplexed_tokio_connection", "get_connection_manager", "get_tokio_connection",
    "connection", "conn", "get_ref", "lock_owned",
];

/// Methods whose result carries their receiver's string.
#[rustfmt::skip]
const CARRY: &[&str] = &[
    "to_string", "to_owned", "as_str", "as_bytes", "clone", "into", "as_ref", "borrow",
    "to_vec", "into_bytes", "as_deref", "unwrap", "expect", "into_owned", "to_lowercase",
    "to_uppercase", "trim", "into_boxed_str", "as_slice", "iter", "into_iter", "cloned",
    "collect", "join", "concat", "as_path",
];

/// A file syn cannot parse, or code too deep to parse: where, and why
/// (the message says which).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Extracts every site from one file, with the evidence the file alone
/// shows. `path` is used in locations.
pub fn extract(path: &Path, source: &str) -> Result<Vec<Site>, ParseError> {
    let around = extract_file(path, source, &DeclaredSinks::default())?;
    let mut sites = around.sites;
    let resolved = super::flow::resolve(&[&around.facts], &DeclaredSinks::default());
    for (i, how) in &resolved[0] {
        if how.whole {
            sites[*i]
                .evidence
                .push(Evidence::CacheCall(how.shown.clone()));
            sites[*i].store = sites[*i].store.or(how.store);
        }
    }
    let keep: Vec<bool> = around
        .weak
        .iter()
        .enumerate()
        .map(|(i, weak)| !weak || !sites[i].evidence.is_empty())
        .collect();
    Ok(sites
        .into_iter()
        .zip(keep)
        .filter_map(|(s, k)| k.then_some(s))
        .collect())
}

/// What reading one file gave.
#[derive(Debug, Default)]
pub struct Around {
    pub sites: Vec<Site>,
    /// Literal sites kept only if they reach a store or have evidence.
    pub weak: Vec<bool>,
    /// Always empty: every item of a candidate file is parsed (kept for
    /// the walk's contract).
    pub deferred: Vec<Deferred>,
    /// Where values go, for the second pass.
    pub facts: Facts,
    /// Functions too deep to parse, skipped (the rest of the file is
    /// linted).
    pub skipped: Vec<ParseError>,
}

/// A function left unparsed (no longer produced: summaries need every
/// function of a candidate file).
#[derive(Clone, Debug)]
pub struct Deferred {
    pub range: Range<usize>,
    pub templates: Vec<Template>,
}

/// Reads a file and records its sites and facts. The body of a function
/// nested deeper than syn may parse (see
/// `super::source::lexer::MAX_NESTING`) is left out and reported in
/// `Around::skipped`; other code that deep skips the file.
///
/// The file is parsed one top-level item at a time (`by_items`), so
/// only one item's syntax tree is alive at once; when the cut into items
/// does not parse, the whole file is parsed instead, which also gives the
/// syntax error its true position.
pub fn extract_file(
    path: &Path,
    source: &str,
    declared: &DeclaredSinks,
) -> Result<Around, ParseError> {
    let (source, skipped) = without_deep_functions(source)?;
    let source: &str = &source;
    let mut extractor = match by_items(path, source, declared) {
        Some(extractor) => extractor,
        None => {
            // Read the error's position now: the caller drops proc-macro2's
            // span table after each file, and a span read after that panics.
            let file = syn::parse_file(source).map_err(|error| {
                let start = error.span().start();
                ParseError {
                    line: start.line.max(1),
                    column: start.column + 1,
                    message: format!("Rust syntax error: {error}"),
                }
            })?;
            let mut extractor = Extractor::new(path, source, declared);
            extractor.uses = uses_of(&file.items);
            extractor.visit_file(&file);
            extractor
        }
    };
    extractor.facts.finish();
    // Kept until the second pass: no spare capacity.
    extractor.sites.shrink_to_fit();
    extractor.weak.shrink_to_fit();
    Ok(Around {
        sites: extractor.sites,
        weak: extractor.weak,
        deferred: Vec::new(),
        facts: extractor.facts,
        skipped,
    })
}

/// Reads `source` one top-level item at a time: the `use` items first,
/// so that every item sees all of the file's imports, then every item in
/// order, as a visit of the whole file would, past the items that hold
/// nothing lint reads (`lexer::is_inert_item`). `None` when the file
/// cannot be cut into items that each parse.
fn by_items<'a>(
    path: &'a Path,
    source: &'a str,
    declared: &'a DeclaredSinks,
) -> Option<Extractor<'a>> {
    use super::source::lexer;
    let items = lexer::items(source)?;
    let mut extractor = Extractor::new(path, source, declared);
    let mut uses = Vec::new();
    for range in &items {
        if lexer::is_use_item(&source[range.clone()]) {
            let file = syn::parse_file(&source[range.clone()]).ok()?;
            uses.extend(file.items);
        }
    }
    extractor.uses = uses_of(&uses);
    drop(uses);
    for range in items {
        // Bindings and tables: nothing to read, and a fifth of the bytes.
        if lexer::is_inert_item(&source[range.clone()]) {
            continue;
        }
        let file = syn::parse_file(&source[range.clone()]).ok()?;
        extractor.base = range.start;
        for attr in &file.attrs {
            extractor.visit_attribute(attr);
        }
        for item in &file.items {
            extractor.visit_item(item);
        }
    }
    Some(extractor)
}

/// `source` with the body of each function too deep to parse blanked out
/// (same length, same lines, so every position stays), innermost first,
/// with an error for each; an error when what is too deep is not inside a
/// function.
fn without_deep_functions(
    source: &str,
) -> Result<(std::borrow::Cow<'_, str>, Vec<ParseError>), ParseError> {
    use super::source::lexer;
    let Some(deep) = lexer::too_deep(source) else {
        return Ok((std::borrow::Cow::Borrowed(source), Vec::new()));
    };
    let whole_file = || Err(too_deep(source, deep));
    let Some(mut functions) = lexer::functions(source) else {
        return whole_file();
    };
    functions.sort_by_key(|r| r.len());
    let mut skipped = Vec::new();
    let mut bytes = source.as_bytes().to_vec();
    for range in functions {
        // Only ASCII is ever blanked, so the text stays UTF-8.
        let Ok(text) = std::str::from_utf8(&bytes[range.clone()]) else {
            continue;
        };
        let (Some(at), Some(open)) = (lexer::too_deep(text), text.find('{')) else {
            continue;
        };
        skipped.push(too_deep(source, range.start + at));
        for b in &mut bytes[range.start + open + 1..range.end.saturating_sub(1)] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return whole_file();
    };
    // What is still too deep is outside any function: the file is skipped.
    if let Some(at) = lexer::too_deep(&text) {
        return Err(too_deep(&text, at));
    }
    Ok((std::borrow::Cow::Owned(text), skipped))
}

/// The error for text that nests deeper than syn may parse (see
/// [`super::source::lexer::MAX_NESTING`]), at offset `at` of `source`.
fn too_deep(source: &str, at: usize) -> ParseError {
    let (line, column) = crate::diagnostic::line_column(source, at);
    ParseError {
        line,
        column,
        message: format!(
            "the code nests deeper than the {} levels of brackets and operator chains lint parses",
            super::source::lexer::MAX_NESTING
        ),
    }
}

/// The file's `use` lines: each imported name -> its full path.
fn uses_of(items: &[syn::Item]) -> Uses {
    fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Uses) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, out);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                let full = if name == "self" {
                    prefix.join("::")
                } else {
                    let mut full = prefix.clone();
                    full.push(name.clone());
                    full.join("::")
                };
                let key = if name == "self" {
                    prefix.last().cloned().unwrap_or_default()
                } else {
                    name
                };
                out.insert(key, full);
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                full.push(r.ident.to_string());
                out.insert(r.rename.to_string(), full.join("::"));
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    walk(item, prefix, out);
                }
            }
            syn::UseTree::Glob(_) => {}
        }
    }
    let mut out = Uses::new();
    for item in items {
        if let syn::Item::Use(u) = item {
            walk(&u.tree, &mut Vec::new(), &mut out);
        }
    }
    // Crates named in paths (`redis::cmd`) resolve to themselves.
    for store in stores::STORES {
        for krate in store.crates {
            out.entry((*krate).to_owned())
                .or_insert_with(|| (*krate).to_owned());
        }
    }
    out
}

/// What a receiver is, as far as this file can tell.
#[derive(Clone, Debug)]
enum Recv {
    Store(&'static Store),
    /// A redis command built with `cmd("GET")` (the name, if a key command).
    Command(String),
    /// An in-tree (or unknown) type.
    Named(String),
    Late(Receiver),
    Unknown,
}

/// What is known inside one function.
#[derive(Default)]
struct Scope {
    /// The function's index in [`Facts::functions`] and its name.
    function: Option<(usize, String)>,
    /// Parameter name -> its index and type, as written.
    params: HashMap<String, (usize, syn::Type)>,
    /// Local name -> what its value can be (see [`super::values`]).
    locals: HashMap<String, super::values::Known>,
    /// Local name -> where its value comes from.
    bindings: HashMap<String, Vec<Origin>>,
    /// Local or parameter name -> what it is as a receiver.
    receivers: HashMap<String, Recv>,
    /// Generic parameter -> the paths of its bounds.
    generics: HashMap<String, Vec<Vec<String>>>,
}

struct Extractor<'a> {
    path: &'a Path,
    source: &'a str,
    /// Where the text being visited starts in `source`: spans count from
    /// the item parsed, not the file.
    base: usize,
    declared: &'a DeclaredSinks,
    uses: Uses,
    lines: std::cell::OnceCell<LineIndex>,
    sites: Vec<Site>,
    weak: Vec<bool>,
    /// Sites by the byte offset of their literal, so a string met twice is
    /// one site.
    by_span: HashMap<usize, usize>,
    scopes: Vec<Scope>,
    /// The `impl` blocks around, innermost last: their self type.
    owners: Vec<String>,
    /// Inside the arguments of a macro other than a format macro, where
    /// `f(x)` may be written for `recv.f(x)` (`call_inner!(self, get(k))`).
    in_macro: usize,
    facts: Facts,
    /// How many test items (`#[test]` functions, `#[cfg(test)]` modules
    /// and impls) the visit is inside.
    test_functions: usize,
}

/// The format-building macros and where their format string is.
fn format_macro(name: &str) -> Option<usize> {
    match name {
        "format" | "format_args" => Some(0),
        "write" | "writeln" => Some(1),
        _ => None,
    }
}

fn last_segment(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// Tokens as compact text, `self.cache.get(k)`: spaces only between two
/// words (`&mut conn`), and a string literal keeps its own (`"system
/// config"` is no `mc`).
fn text_of(tokens: &impl quote::ToTokens) -> String {
    fn push(out: &mut String, stream: proc_macro2::TokenStream) {
        for tree in stream {
            let word = matches!(
                tree,
                proc_macro2::TokenTree::Ident(_) | proc_macro2::TokenTree::Literal(_)
            );
            if word && out.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '"') {
                out.push(' ');
            }
            match tree {
                proc_macro2::TokenTree::Group(group) => {
                    let (open, close) = match group.delimiter() {
                        proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                        proc_macro2::Delimiter::Bracket => ("[", "]"),
                        proc_macro2::Delimiter::Brace => ("{", "}"),
                        proc_macro2::Delimiter::None => ("", ""),
                    };
                    out.push_str(open);
                    push(out, group.stream());
                    out.push_str(close);
                }
                other => out.push_str(&other.to_string()),
            }
        }
    }
    let mut out = String::new();
    push(&mut out, tokens.to_token_stream());
    out
}

/// A macro's body as comma-separated expressions, when it is that.
fn macro_args(mac: &syn::Macro) -> Option<Punctuated<Expr, Token![,]>> {
    mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        .ok()
}

fn pattern_name(pat: &syn::Pat) -> Option<String> {
    match pat {
        syn::Pat::Ident(p) => Some(p.ident.to_string()),
        syn::Pat::Type(t) => pattern_name(&t.pat),
        _ => None,
    }
}

/// The paths a type names, wrappers included: `Arc<Mutex<LruCache<K, V>>>`
/// gives `Arc`, `Mutex`, `LruCache`, `K`, `V`; `impl AsyncCommands` gives
/// `AsyncCommands`.
fn type_paths(ty: &syn::Type, out: &mut Vec<Vec<String>>) {
    match ty {
        syn::Type::Reference(r) => type_paths(&r.elem, out),
        syn::Type::Paren(p) => type_paths(&p.elem, out),
        syn::Type::Group(g) => type_paths(&g.elem, out),
        syn::Type::Path(p) => {
            out.push(
                p.path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect(),
            );
            for segment in &p.path.segments {
                if let syn::PathArguments::AngleBracketed(args) = &segment.arguments {
                    for arg in &args.args {
                        if let syn::GenericArgument::Type(t) = arg {
                            type_paths(t, out);
                        }
                    }
                }
            }
        }
        syn::Type::ImplTrait(t) => bound_paths(&t.bounds, out),
        syn::Type::TraitObject(t) => bound_paths(&t.bounds, out),
        _ => {}
    }
}

fn bound_paths<'b>(
    bounds: impl IntoIterator<Item = &'b syn::TypeParamBound>,
    out: &mut Vec<Vec<String>>,
) {
    for bound in bounds {
        if let syn::TypeParamBound::Trait(t) = bound {
            out.push(
                t.path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect(),
            );
        }
    }
}

/// The main type a declared type is about, wrappers removed:
/// `Arc<RwLock<Storage>>` is `Storage`.
fn main_type(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Reference(r) => main_type(&r.elem),
        syn::Type::Paren(p) => main_type(&p.elem),
        syn::Type::Group(g) => main_type(&g.elem),
        syn::Type::Path(p) => {
            let last = p.path.segments.last()?;
            let name = last.ident.to_string();
            if stores::WRAPPERS.contains(&name.as_str())
                && let syn::PathArguments::AngleBracketed(args) = &last.arguments
                && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
            {
                return main_type(inner);
            }
            Some(name)
        }
        _ => None,
    }
}

fn is_camel(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().any(|c| c.is_ascii_lowercase())
}

fn is_upper_snake(name: &str) -> bool {
    name.len() > 1
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// `Cow::Owned(x)`, `Some(x)`, `FailureKey(x)`, `StoreKey::Str(x)`,
/// `String::from(x)`, `Box::new(x)`: calls whose result carries their
/// arguments' strings.
fn carries_arguments(path: &[String]) -> bool {
    let Some(last) = path.last() else {
        return false;
    };
    is_camel(last)
        || (path.len() >= 2
            && is_camel(&path[path.len() - 2])
            && matches!(
                last.as_str(),
                "from" | "new" | "from_str" | "from_string" | "owned" | "borrowed"
            ))
}

impl<'a> Extractor<'a> {
    fn new(path: &'a Path, source: &'a str, declared: &'a DeclaredSinks) -> Self {
        Extractor {
            path,
            source,
            base: 0,
            declared,
            uses: Uses::new(),
            lines: std::cell::OnceCell::new(),
            sites: Vec::new(),
            weak: Vec::new(),
            by_span: HashMap::new(),
            scopes: vec![Scope::default()],
            owners: Vec::new(),
            in_macro: 0,
            facts: Facts::default(),
            test_functions: 0,
        }
    }

    fn scope(&mut self) -> &mut Scope {
        self.scopes
            .last_mut()
            .expect("the file scope is never popped")
    }

    fn location(&self, span: Span) -> Location {
        let range = span.byte_range();
        let range = self.base + range.start..self.base + range.end;
        let lines = self.lines.get_or_init(|| LineIndex::new(self.source));
        let (line, column) = lines.line_column(self.source, range.start);
        Location {
            path: self.path.to_owned(),
            line,
            column,
            span: range,
        }
    }

    /// Whether the visit is inside test code.
    fn in_test(&self, _offset: usize) -> bool {
        self.test_functions > 0
    }

    /// A site; `weak` for a plain literal, kept only if it turns out to
    /// matter.
    fn add_site(
        &mut self,
        lit: &LitStr,
        template: Template,
        values: Vec<Value>,
        weak: bool,
    ) -> usize {
        let location = self.location(lit.span());
        if let Some(&i) = self.by_span.get(&location.span.start) {
            if !weak {
                self.weak[i] = false;
            }
            return i;
        }
        let in_test = self.in_test(location.span.start);
        self.sites.push(Site {
            location: location.clone(),
            template,
            values,
            evidence: Vec::new(),
            store: None,
            in_test,
        });
        self.weak.push(weak);
        let i = self.sites.len() - 1;
        self.by_span.insert(location.span.start, i);
        i
    }

    fn literal_site(&mut self, lit: &LitStr) -> usize {
        self.add_site(lit, Template::literal(&lit.value()), Vec::new(), true)
    }

    fn add_evidence(&mut self, origins: &[Origin], evidence: Evidence) {
        for origin in origins {
            if let Origin::Site(i) = origin {
                let i = *i;
                self.weak[i] = false;
                if !self.sites[i].evidence.contains(&evidence) {
                    self.sites[i].evidence.push(evidence.clone());
                }
            }
        }
    }

    fn current_function(&self) -> Option<usize> {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.function.as_ref().map(|(i, _)| *i))
    }

    fn edge(&mut self, origins: Vec<Origin>, dest: Dest) {
        for origin in origins {
            self.facts.add_edge(origin, dest.clone());
        }
    }

    /// Where the value of an expression comes from: the sites it is built
    /// from, parameters, what calls return, constants. Seen through `&`,
    /// `.to_string()`, `.as_str()`, `+`, `Cow::Owned(..)`, tuple structs,
    /// blocks and branches.
    fn origins(&mut self, expr: &Expr) -> Vec<Origin> {
        match expr {
            Expr::Macro(m) => self.macro_origins(&m.mac),
            Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) => vec![Origin::Site(self.literal_site(lit))],
            // `b"user:"`: byte keys, read as text.
            Expr::Lit(ExprLit {
                lit: Lit::ByteStr(lit),
                ..
            }) => {
                let text = String::from_utf8_lossy(&lit.value()).into_owned();
                let as_str = LitStr::new(&text, lit.span());
                vec![Origin::Site(self.literal_site(&as_str))]
            }
            Expr::Reference(r) => self.origins(&r.expr),
            Expr::Paren(p) => self.origins(&p.expr),
            Expr::Group(g) => self.origins(&g.expr),
            Expr::Try(t) => self.origins(&t.expr),
            Expr::Await(a) => self.origins(&a.base),
            Expr::Cast(c) => self.origins(&c.expr),
            Expr::Unary(u) => self.origins(&u.expr),
            Expr::Field(f) => {
                let base = self.origins(&f.base);
                match &f.member {
                    syn::Member::Named(ident) => project(base, &ident.to_string()),
                    syn::Member::Unnamed(_) => base,
                }
            }
            Expr::Index(i) => self.origins(&i.expr),
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => {
                let mut out = self.origins(&b.left);
                out.extend(self.origins(&b.right));
                out
            }
            Expr::Tuple(t) => t.elems.iter().flat_map(|e| self.origins(e)).collect(),
            Expr::Array(a) => a.elems.iter().flat_map(|e| self.origins(e)).collect(),
            Expr::Struct(s) => {
                let mut out = Vec::new();
                for field in &s.fields {
                    let origins = self.origins(&field.expr);
                    match &field.member {
                        syn::Member::Named(ident) => {
                            let name = ident.to_string();
                            out.extend(
                                origins
                                    .into_iter()
                                    .map(|o| Origin::Field(Name::new(&name), Box::new(o))),
                            );
                        }
                        syn::Member::Unnamed(_) => out.extend(origins),
                    }
                }
                out
            }
            Expr::Block(block) => self.tail_origins(&block.block),
            Expr::Unsafe(block) => self.tail_origins(&block.block),
            Expr::If(expr) => {
                let mut out = self.tail_origins(&expr.then_branch);
                if let Some((_, otherwise)) = &expr.else_branch {
                    out.extend(self.origins(otherwise));
                }
                out
            }
            Expr::Match(expr) => expr
                .arms
                .iter()
                .flat_map(|arm| self.origins(&arm.body))
                .collect(),
            Expr::MethodCall(call) => {
                let method = call.method.to_string();
                if CARRY.contains(&method.as_str()) {
                    return self.origins(&call.receiver);
                }
                if method == "map" || method == "map_err" || method == "unwrap_or" {
                    return self.origins(&call.receiver);
                }
                let owner = match self.receiver(&call.receiver) {
                    Recv::Named(t) => Some(t),
                    _ => None,
                };
                vec![Origin::Ret(Callee {
                    name: method.into(),
                    owner: owner.map(Name::from),
                    method: true,
                    arity: call.args.len(),
                })]
            }
            Expr::Call(call) => {
                let Expr::Path(p) = &*call.func else {
                    return Vec::new();
                };
                let path = self.resolve_self(segments(&p.path));
                let mut out = Vec::new();
                if carries_arguments(&path) {
                    for arg in &call.args {
                        out.extend(self.origins(arg));
                    }
                }
                if let Some(name) = path.last().filter(|n| !is_camel(n)) {
                    out.push(Origin::Ret(Callee {
                        name: name.into(),
                        owner: self.owner_of(&path).map(Name::from),
                        method: false,
                        arity: call.args.len(),
                    }));
                }
                out
            }
            Expr::Path(p) => {
                let path = segments(&p.path);
                if path.len() == 1 {
                    let name = &path[0];
                    for scope in self.scopes.iter().rev() {
                        if let Some(origins) = scope.bindings.get(name) {
                            return origins.clone();
                        }
                        if let Some((i, _)) = scope.params.get(name)
                            && let Some((f, _)) = &scope.function
                        {
                            return vec![Origin::Param(*f, *i)];
                        }
                    }
                }
                match path.last() {
                    Some(last) if is_upper_snake(last) => vec![Origin::Const(last.into())],
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    fn tail_origins(&mut self, block: &syn::Block) -> Vec<Origin> {
        match block.stmts.last() {
            Some(syn::Stmt::Expr(tail, None)) => self.origins(tail),
            _ => Vec::new(),
        }
    }

    /// `Self` in a path is the `impl`'s type.
    fn resolve_self(&self, mut path: Vec<String>) -> Vec<String> {
        if path.first().is_some_and(|s| s == "Self")
            && let Some(owner) = self.owners.last()
        {
            path[0] = owner.clone();
        }
        path
    }

    /// The type a call path is on: `Storage` in `Storage::open`.
    fn owner_of(&self, path: &[String]) -> Option<String> {
        path.len()
            .checked_sub(2)
            .map(|i| path[i].clone())
            .filter(|s| is_camel(s))
    }

    /// The site of a format macro and the origins of its arguments.
    fn macro_origins(&mut self, mac: &syn::Macro) -> Vec<Origin> {
        let name = last_segment(&mac.path);
        if name != "concat" && format_macro(&name).is_none() {
            return Vec::new();
        }
        let Some(args) = macro_args(mac) else {
            return Vec::new();
        };
        self.macro_site_of(&name, &args)
    }

    /// A site for `format!("...", args)` and friends, with the origins of
    /// the values that fill its holes.
    fn macro_site_of(&mut self, name: &str, args: &Punctuated<Expr, Token![,]>) -> Vec<Origin> {
        if name == "concat" {
            let mut text = String::new();
            let mut first = None;
            for part in args {
                match part {
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(lit), ..
                    }) => {
                        first.get_or_insert_with(|| lit.clone());
                        text.push_str(&lit.value());
                    }
                    Expr::Lit(ExprLit { lit, .. }) => text.push_str(&text_of(lit)),
                    _ => return Vec::new(),
                }
            }
            let Some(first) = first else {
                return Vec::new();
            };
            return vec![Origin::Site(self.add_site(
                &first,
                Template::literal(&text),
                Vec::new(),
                false,
            ))];
        }
        let Some(position) = format_macro(name) else {
            return Vec::new();
        };
        let mut rest = args.iter().skip(position);
        let Some(Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        })) = rest.next()
        else {
            return Vec::new();
        };
        let Some(template) = Template::parse_format(&lit.value()) else {
            return Vec::new();
        };
        let rest: Vec<Expr> = rest.cloned().collect();
        let values = self.hole_values(&template, &rest);
        let mut out = vec![Origin::Site(self.add_site(
            lit,
            template.clone(),
            values,
            false,
        ))];
        // The values of the holes are the key in a plain concatenation
        // (`format!("{}{}", prefix, key)`); in `user:{}` or `{ns}:{queue}`
        // each value is only part of a key.
        let join = template.literal_text().is_empty();
        let mut holes = Vec::new();
        for arg in &rest {
            let arg = match arg {
                Expr::Assign(a) => &*a.right,
                other => other,
            };
            holes.extend(self.origins(arg));
        }
        // Captured locals: `{prefix}` in the string.
        for piece in &template.pieces {
            if let super::template::Piece::Hole(hole) = piece
                && !hole.name.is_empty()
                && hole.name.parse::<usize>().is_err()
                && let Ok(expr) = syn::parse_str::<Expr>(&hole.name)
                && !rest
                    .iter()
                    .any(|a| matches!(a, Expr::Assign(x) if text_of(&x.left) == hole.name))
            {
                holes.extend(self.origins(&expr));
            }
        }
        if join {
            // A constant's text is merged into the format (see
            // `fill_constants`): it is not a key of its own.
            out.extend(holes.into_iter().map(|o| match o {
                Origin::Const(_) => o.part(),
                other => other,
            }));
        } else {
            out.extend(holes.into_iter().map(Origin::part));
        }
        out
    }

    /// What a method's receiver is: a store (by declared type, a
    /// constructor, `redis::pipe()`), a redis command, an in-tree type, or
    /// a name the second pass types.
    fn receiver(&self, expr: &Expr) -> Recv {
        match expr {
            Expr::Reference(r) => self.receiver(&r.expr),
            Expr::Paren(p) => self.receiver(&p.expr),
            Expr::Group(g) => self.receiver(&g.expr),
            Expr::Try(t) => self.receiver(&t.expr),
            Expr::Await(a) => self.receiver(&a.base),
            Expr::Unary(u) => self.receiver(&u.expr),
            Expr::Cast(c) => self.receiver(&c.expr),
            Expr::MethodCall(m) => {
                let method = m.method.to_string();
                if method == "cmd"
                    && let Some(Expr::Lit(ExprLit {
                        lit: Lit::Str(command),
                        ..
                    })) = m.args.first()
                {
                    return Recv::Command(command.value());
                }
                if matches!(
                    method.as_str(),
                    "arg"
                        | "cmd"
                        | "atomic"
                        | "ignore"
                        | "query"
                        | "query_async"
                        | "key"
                        | "prepare_invoke"
                ) {
                    // Inside a command chain, only the first `arg` is a key.
                    return match self.receiver(&m.receiver) {
                        Recv::Command(_) => Recv::Command(String::new()),
                        other => other,
                    };
                }
                if THROUGH.contains(&method.as_str()) && (m.args.is_empty() || method == "expect") {
                    return self.receiver(&m.receiver);
                }
                Recv::Unknown
            }
            Expr::Call(call) => {
                let Expr::Path(p) = &*call.func else {
                    return Recv::Unknown;
                };
                let path = segments(&p.path);
                let last = path.last().map(String::as_str).unwrap_or_default();
                let redis = path.len() == 1 || path[0] == "redis";
                if redis && last == "cmd" {
                    if let Some(Expr::Lit(ExprLit {
                        lit: Lit::Str(command),
                        ..
                    })) = call.args.first()
                    {
                        return Recv::Command(command.value());
                    }
                    return Recv::Command(String::new());
                }
                if redis
                    && last == "pipe"
                    && (path.len() > 1
                        || self
                            .uses
                            .get("pipe")
                            .is_some_and(|u| u.starts_with("redis")))
                {
                    return stores::STORES.first().map_or(Recv::Unknown, Recv::Store);
                }
                // A constructor: `Cache::new(..)`, `redis::Client::open(..)`.
                if path.len() >= 2
                    && let Some(store) = stores::store_of_path(&path[..path.len() - 1], &self.uses)
                {
                    return Recv::Store(store);
                }
                if path.len() == 1 {
                    return Recv::Late(Receiver::FnRet(last.into()));
                }
                Recv::Unknown
            }
            Expr::Path(p) => {
                let path = segments(&p.path);
                if path.len() != 1 {
                    return Recv::Unknown;
                }
                let name = &path[0];
                if name == "self" {
                    return self
                        .owners
                        .last()
                        .map_or(Recv::Unknown, |o| Recv::Named(o.clone()));
                }
                for scope in self.scopes.iter().rev() {
                    if let Some(recv) = scope.receivers.get(name) {
                        return recv.clone();
                    }
                }
                if is_upper_snake(name) {
                    return Recv::Late(Receiver::Field(name.into()));
                }
                Recv::Unknown
            }
            Expr::Field(f) => match &f.member {
                syn::Member::Named(ident) => Recv::Late(Receiver::Field(ident.to_string().into())),
                syn::Member::Unnamed(_) => Recv::Unknown,
            },
            _ => Recv::Unknown,
        }
    }

    /// What a declared type makes of a name holding it.
    fn recv_of_type(&self, ty: &syn::Type) -> Recv {
        let mut paths = Vec::new();
        type_paths(ty, &mut paths);
        // Generic parameters stand for their bounds.
        let mut expanded = Vec::new();
        for path in &paths {
            if path.len() == 1
                && let Some(bounds) = self
                    .scopes
                    .iter()
                    .rev()
                    .find_map(|s| s.generics.get(&path[0]))
            {
                expanded.extend(bounds.iter().cloned());
            }
        }
        paths.extend(expanded);
        match stores::store_of_type(&paths, &self.uses) {
            Some(store) => Recv::Store(store),
            None => main_type(ty).map_or(Recv::Unknown, Recv::Named),
        }
    }

    fn type_ref(&self, ty: &syn::Type) -> Option<TypeRef> {
        match self.recv_of_type(ty) {
            Recv::Store(s) => Some(TypeRef::Store(s.name)),
            Recv::Named(n) => Some(TypeRef::Named(n.into())),
            _ => None,
        }
    }

    /// Records where the arguments of a method call go.
    fn method_call(&mut self, call: &syn::ExprMethodCall) {
        let method = call.method.to_string();
        let args: Vec<&Expr> = call.args.iter().collect();
        // Values gathered into a local: `key.push_str(..)`, `keys.push(..)`.
        if matches!(
            method.as_str(),
            "push_str" | "push" | "extend_from_slice" | "extend" | "insert_str" | "write_str"
        ) && let Some(local) = local_name(&call.receiver)
            && let Some(arg) = args.last()
        {
            let origins = self.origins(arg);
            if method == "push_str" && is_key_name(&local) {
                self.add_evidence(&origins, Evidence::KeyName(local.clone()));
            }
            self.bind_more(&local, origins);
            return;
        }
        // The call as shown in evidence: the receiver's last plain name
        // (`self.cache.lock().unwrap()` shows as `cache`), else the method.
        let shown = text_of(&call.receiver)
            .rsplit('.')
            .find(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            .map(|short| format!("{short}.{method}"))
            .unwrap_or_else(|| method.clone());
        // aws-sdk-s3: `client.get_object().bucket(b).key(k)`.
        if stores::S3_KEY_METHODS.contains(&method.as_str()) && in_s3_chain(&call.receiver) {
            if let Some(arg) = args.first() {
                let origins = self.origins(arg);
                self.edge(
                    origins,
                    Dest::Sink(
                        format!("{method} (aws-sdk-s3)").into(),
                        Some(StoreKind::ObjectStore(ObjectStore::S3)),
                    ),
                );
            }
            return;
        }
        let recv = self.receiver(&call.receiver);
        if method == "arg"
            && let Recv::Command(command) = &recv
        {
            if stores::is_key_command(command)
                && let Some(arg) = args.first()
            {
                // `.arg(&[key, value, "EX"])`: the first item is the key.
                let arg = match strip_reference(arg) {
                    Expr::Array(items) => items.elems.first().unwrap_or(arg),
                    _ => arg,
                };
                let origins = self.origins(arg);
                self.edge(
                    origins,
                    Dest::Sink(
                        format!("cmd(\"{command}\").arg (redis)").into(),
                        Some(StoreKind::Redis),
                    ),
                );
            }
            return;
        }
        if matches!(recv, Recv::Command(_)) {
            return;
        }
        if REDIS_ONLY_METHODS.contains(&method.as_str())
            && !matches!(recv, Recv::Named(_))
            && let Some(arg) = args.first()
        {
            let origins = self.origins(arg);
            self.edge(
                origins,
                Dest::Sink(format!("{shown} (redis)").into(), Some(StoreKind::Redis)),
            );
            return;
        }
        match recv {
            Recv::Store(store) => {
                if let Some(index) = stores::key_argument(store, &method)
                    && let Some(arg) = args.get(index)
                {
                    let origins = self.origins(arg);
                    self.edge(
                        origins,
                        Dest::Sink(format!("{shown} ({})", store.name).into(), Some(store.kind)),
                    );
                }
            }
            Recv::Named(owner) => {
                let declared = self
                    .declared
                    .methods
                    .contains(&(owner.clone(), method.clone()));
                self.call_on_a_non_store(declared, Some(owner), method, &args, shown);
            }
            Recv::Late(receiver) => {
                for (i, arg) in args.iter().enumerate() {
                    let origins = self.origins(arg);
                    self.edge(
                        origins,
                        Dest::Method {
                            receiver: receiver.clone(),
                            method: Name::new(&method),
                            arity: args.len(),
                            index: i,
                            shown: Name::new(&shown),
                        },
                    );
                }
            }
            Recv::Unknown | Recv::Command(_) => {
                let declared = self.declared.methods.iter().any(|(_, m)| *m == method);
                self.call_on_a_non_store(declared, None, method, &args, shown);
            }
        }
    }

    /// A method call on a receiver that is not a store (of type `owner`,
    /// where known): a method the catalogue declares as a sink takes the
    /// key as its first argument; any other passes each argument on to its
    /// parameter at the same position.
    fn call_on_a_non_store(
        &mut self,
        declared_sink: bool,
        owner: Option<String>,
        method: String,
        args: &[&Expr],
        shown: String,
    ) {
        if declared_sink {
            if let Some(arg) = args.first() {
                let origins = self.origins(arg);
                self.edge(origins, Dest::Sink(shown.into(), None));
            }
            return;
        }
        let callee = Callee {
            name: method.into(),
            owner: owner.map(Name::from),
            method: true,
            arity: args.len(),
        };
        for (i, arg) in args.iter().enumerate() {
            let origins = self.origins(arg);
            self.edge(origins, Dest::Arg(callee.clone(), i));
        }
    }

    /// Records where the arguments of a function call go.
    fn function_call(&mut self, call: &syn::ExprCall) {
        let Expr::Path(p) = &*call.func else {
            return;
        };
        let path = self.resolve_self(segments(&p.path));
        let Some(name) = path.last().cloned() else {
            return;
        };
        let args: Vec<&Expr> = call.args.iter().collect();
        if let Some((krate, index)) = stores::free_sink(&path, &self.uses) {
            if let Some(arg) = args.get(index) {
                let origins = self.origins(arg);
                self.edge(
                    origins,
                    Dest::Sink(
                        format!("{} ({krate})", path[path.len() - 2..].join("::")).into(),
                        super::flow::store_named(krate).map(|s| s.kind),
                    ),
                );
            }
            return;
        }
        let shown = path.join("::");
        if self.declared.functions.contains(&name) {
            if let Some(arg) = args.first() {
                let origins = self.origins(arg);
                self.edge(origins, Dest::Sink(shown.into(), None));
            }
            return;
        }
        // `Commands::del(&mut conn, key)`, `redis::Cmd::get(key)`.
        if let Some(owner) = self.owner_of(&path) {
            let key_at = match owner.as_str() {
                "Commands" | "AsyncCommands" => Some(1),
                "Cmd" => Some(0),
                _ => None,
            };
            if let Some(at) = key_at {
                let redis = stores::STORES.first().expect("redis is in the table");
                if stores::key_argument(redis, &name).is_some()
                    && let Some(arg) = args.get(at)
                {
                    let origins = self.origins(arg);
                    self.edge(
                        origins,
                        Dest::Sink(format!("{shown} (redis)").into(), Some(StoreKind::Redis)),
                    );
                }
                return;
            }
            if self
                .declared
                .methods
                .contains(&(owner.clone(), name.clone()))
            {
                if let Some(arg) = args.get(1) {
                    let origins = self.origins(arg);
                    self.edge(origins, Dest::Sink(shown.into(), None));
                }
                return;
            }
        }
        if is_camel(&name) {
            return;
        }
        let owner = self.owner_of(&path);
        for (i, arg) in args.iter().enumerate() {
            let origins = self.origins(arg);
            let callee = Callee {
                name: Name::new(&name),
                owner: owner.as_deref().map(Name::from),
                method: false,
                arity: args.len(),
            };
            if self.in_macro > 0 && path.len() == 1 {
                let method = Callee {
                    method: true,
                    ..callee.clone()
                };
                self.edge(origins.clone(), Dest::Arg(method, i));
            }
            self.edge(origins, Dest::Arg(callee, i));
        }
    }

    fn bind(&mut self, name: String, origins: Vec<Origin>) {
        self.scope().bindings.insert(name, origins);
    }

    /// More values gathered into a local (`push_str`, `+=`, `write!`).
    fn bind_more(&mut self, name: &str, origins: Vec<Origin>) {
        for scope in self.scopes.iter_mut().rev() {
            if let Some(existing) = scope.bindings.get_mut(name) {
                existing.extend(origins);
                return;
            }
        }
        self.scope().bindings.insert(name.to_owned(), origins);
    }

    fn function(&mut self, sig: &syn::Signature, block: &syn::Block) {
        let name = sig.ident.to_string();
        let method = sig.receiver().is_some();
        let index = self.facts.functions.len();
        let mut scope = Scope {
            function: Some((index, name.clone())),
            ..Scope::default()
        };
        for param in &sig.generics.params {
            if let syn::GenericParam::Type(t) = param {
                let mut paths = Vec::new();
                bound_paths(&t.bounds, &mut paths);
                scope.generics.insert(t.ident.to_string(), paths);
            }
        }
        if let Some(clause) = &sig.generics.where_clause {
            for predicate in &clause.predicates {
                if let syn::WherePredicate::Type(t) = predicate
                    && let Some(name) = main_type(&t.bounded_ty)
                {
                    let mut paths = Vec::new();
                    bound_paths(&t.bounds, &mut paths);
                    scope.generics.entry(name).or_default().extend(paths);
                }
            }
        }
        self.scopes.push(scope);
        let mut arity = 0;
        for input in &sig.inputs {
            if let syn::FnArg::Typed(arg) = input {
                if let Some(param) = pattern_name(&arg.pat) {
                    let recv = self.recv_of_type(&arg.ty);
                    let scope = self.scope();
                    scope
                        .params
                        .insert(param.clone(), (arity, (*arg.ty).clone()));
                    scope.receivers.insert(param, recv);
                }
                arity += 1;
            }
        }
        self.facts.functions.push(FnDef {
            name: Name::new(&name),
            owner: self.owners.last().map(Name::from),
            method,
            arity,
        });
        if let syn::ReturnType::Type(_, ty) = &sig.output
            && let Some(ty) = self.type_ref(ty)
        {
            self.facts.returns.push((Name::new(&name), ty));
        }
        self.visit_block(block);
        if let Some(syn::Stmt::Expr(tail, None)) = block.stmts.last() {
            self.returned(tail);
        }
        self.scopes.pop();
    }

    /// A value returned from the current function.
    fn returned(&mut self, expr: &Expr) {
        let Some(function) = self.current_function() else {
            return;
        };
        let origins = self.origins(expr);
        let name = self.facts.functions[function].name;
        if name.to_ascii_lowercase().contains("key") && is_key_name(&name) {
            self.add_evidence(&origins, Evidence::KeyFunction(name.to_string()));
        }
        self.edge(origins, Dest::Ret(function));
    }
}

/// Every name a pattern binds, with where its value comes from:
/// `let StreamUpload { path, .. } = upload` binds `path` to the `path`
/// field of `upload`.
fn pattern_names(pat: &syn::Pat, origins: Vec<Origin>, out: &mut Vec<(String, Vec<Origin>)>) {
    match pat {
        syn::Pat::Ident(p) => out.push((p.ident.to_string(), origins)),
        syn::Pat::Type(t) => pattern_names(&t.pat, origins, out),
        syn::Pat::Reference(r) => pattern_names(&r.pat, origins, out),
        syn::Pat::Paren(p) => pattern_names(&p.pat, origins, out),
        syn::Pat::Tuple(t) => t
            .elems
            .iter()
            .for_each(|p| pattern_names(p, origins.clone(), out)),
        syn::Pat::TupleStruct(t) => t
            .elems
            .iter()
            .for_each(|p| pattern_names(p, origins.clone(), out)),
        syn::Pat::Slice(s) => s
            .elems
            .iter()
            .for_each(|p| pattern_names(p, origins.clone(), out)),
        syn::Pat::Struct(s) => {
            for field in &s.fields {
                let projected = match &field.member {
                    syn::Member::Named(ident) => project(origins.clone(), &ident.to_string()),
                    syn::Member::Unnamed(_) => origins.clone(),
                };
                pattern_names(&field.pat, projected, out);
            }
        }
        _ => {}
    }
}

/// The origins of `value.field`, from those of `value`: a struct literal's
/// field keeps only what was put in that field; a parameter's field is a
/// node of its own, so a caller's other fields do not flow through it.
fn project(origins: Vec<Origin>, field: &str) -> Vec<Origin> {
    origins
        .into_iter()
        .filter_map(|origin| match origin {
            Origin::Field(name, inner) => (name == field).then_some(*inner),
            Origin::Param(function, i) => Some(Origin::ParamField(function, i, field.into())),
            Origin::Part(inner) => project(vec![*inner], field).pop().map(Origin::part),
            other => Some(other),
        })
        .collect()
}

/// An expression without the `&`s and parentheses around it.
fn strip_reference(expr: &Expr) -> &Expr {
    match expr {
        Expr::Reference(r) => strip_reference(&r.expr),
        Expr::Paren(p) => strip_reference(&p.expr),
        other => other,
    }
}

/// The local a method is called on: `key` in `key.push_str(..)`.
fn local_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(p) if p.path.segments.len() == 1 => Some(last_segment(&p.path)),
        Expr::Reference(r) => local_name(&r.expr),
        Expr::Paren(p) => local_name(&p.expr),
        Expr::Unary(u) => local_name(&u.expr),
        _ => None,
    }
}

/// Whether a builder chain starts with an aws-sdk-s3 operation:
/// `client.get_object().bucket(b)`.
fn in_s3_chain(expr: &Expr) -> bool {
    match expr {
        Expr::MethodCall(m) => {
            stores::S3_OPERATIONS.contains(&m.method.to_string().as_str())
                || in_s3_chain(&m.receiver)
        }
        Expr::Call(call) => matches!(&*call.func, Expr::Path(p) if {
            let path = segments(&p.path);
            path.len() >= 2 && path[path.len() - 2] == "ObjectIdentifier" && path[path.len() - 1] == "builder"
        }),
        Expr::Paren(p) => in_s3_chain(&p.expr),
        _ => false,
    }
}

/// Test code: `#[test]`, `#[tokio::test]`, `#[rstest]`, `#[test_case(..)]`
/// (an attribute whose path ends in a word about tests), or a `cfg` that
/// needs `test` (`#[cfg(test)]`, `#[cfg(all(test, feature = ".."))]`).
fn is_test_item(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let Some(last) = a.path().segments.last() else {
            return false;
        };
        let name = last.ident.to_string();
        if name == "cfg" {
            let args = text_of(&a.meta);
            return args
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == "test")
                && !args.contains("not");
        }
        name == "test" || name == "rstest" || name.starts_with("test_")
    })
}

impl<'ast> Visit<'ast> for Extractor<'_> {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        let test = is_test_item(&item.attrs);
        self.test_functions += usize::from(test);
        self.function(&item.sig, &item.block);
        self.test_functions -= usize::from(test);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        let test = is_test_item(&item.attrs);
        self.test_functions += usize::from(test);
        self.function(&item.sig, &item.block);
        self.test_functions -= usize::from(test);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        let test = is_test_item(&item.attrs);
        self.test_functions += usize::from(test);
        visit::visit_item_mod(self, item);
        self.test_functions -= usize::from(test);
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if let Some(block) = &item.default {
            self.function(&item.sig, block);
        }
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let owner = main_type(&item.self_ty).unwrap_or_default();
        let test = is_test_item(&item.attrs);
        self.test_functions += usize::from(test);
        self.owners.push(owner);
        visit::visit_item_impl(self, item);
        self.owners.pop();
        self.test_functions -= usize::from(test);
    }

    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        for field in &item.fields {
            if let Some(ident) = &field.ident
                && let Some(ty) = self.type_ref(&field.ty)
            {
                self.facts.fields.push((ident.to_string().into(), ty));
            }
        }
        visit::visit_item_struct(self, item);
    }

    fn visit_item_const(&mut self, item: &'ast syn::ItemConst) {
        let name = item.ident.to_string();
        self.constant(&name, &item.expr, Some(&item.ty));
        visit::visit_item_const(self, item);
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        let name = item.ident.to_string();
        self.constant(&name, &item.expr, Some(&item.ty));
        visit::visit_item_static(self, item);
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        // The initialiser first: its calls record their own edges.
        visit::visit_local(self, local);
        // What the local can be: its declared type, else its initialiser's.
        if let Some(name) = pattern_name(&local.pat) {
            let known = match (&local.pat, &local.init) {
                (syn::Pat::Type(t), _) => super::values::of_type(&t.ty),
                (_, Some(init)) => self.known(&init.expr),
                (_, None) => super::values::Known::unknown(),
            };
            self.scope().locals.insert(name, known);
        }
        let Some(name) = pattern_name(&local.pat) else {
            // `let StreamUpload { path, .. } = upload;`: each name holds
            // part of the value, which is as much as is known of it.
            if let Some(init) = &local.init {
                let origins = self.origins(&init.expr);
                if !origins.is_empty() {
                    let mut names = Vec::new();
                    pattern_names(&local.pat, origins, &mut names);
                    for (name, origins) in names {
                        self.bind(name, origins);
                    }
                }
            }
            return;
        };
        let annotated = match &local.pat {
            syn::Pat::Type(t) => Some(self.recv_of_type(&t.ty)),
            _ => None,
        };
        let Some(init) = &local.init else {
            if let Some(recv) = annotated {
                self.scope().receivers.insert(name, recv);
            }
            return;
        };
        let origins = self.origins(&init.expr);
        if is_key_name(&name) {
            self.add_evidence(&origins, Evidence::KeyName(name.clone()));
        }
        let recv = match annotated {
            Some(Recv::Named(_)) | Some(Recv::Unknown) | None => self.receiver(&init.expr),
            Some(other) => other,
        };
        let recv = match recv {
            Recv::Unknown => self.constructed(&init.expr),
            other => other,
        };
        self.scope().receivers.insert(name.clone(), recv);
        self.bind(name, origins);
    }

    fn visit_field_value(&mut self, field: &'ast syn::FieldValue) {
        if let syn::Member::Named(ident) = &field.member {
            let name = ident.to_string();
            if is_key_name(&name) {
                let origins = self.origins(&field.expr);
                self.add_evidence(&origins, Evidence::KeyName(name));
            }
        }
        visit::visit_field_value(self, field);
    }

    fn visit_expr_assign(&mut self, assign: &'ast syn::ExprAssign) {
        visit::visit_expr_assign(self, assign);
        if let Some(local) = local_name(&assign.left) {
            let origins = self.origins(&assign.right);
            if is_key_name(&local) {
                self.add_evidence(&origins, Evidence::KeyName(local.clone()));
            }
            self.bind(local, origins);
        } else if let Expr::Field(f) = &*assign.left
            && let syn::Member::Named(ident) = &f.member
        {
            let name = ident.to_string();
            if is_key_name(&name) {
                let origins = self.origins(&assign.right);
                self.add_evidence(&origins, Evidence::KeyName(name));
            }
        }
    }

    fn visit_expr_binary(&mut self, binary: &'ast syn::ExprBinary) {
        visit::visit_expr_binary(self, binary);
        if matches!(binary.op, syn::BinOp::AddAssign(_))
            && let Some(local) = local_name(&binary.left)
        {
            let origins = self.origins(&binary.right);
            self.bind_more(&local, origins);
        }
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.method_call(call);
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        self.function_call(call);
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        // A closure's return value is not its function's.
        self.scopes.push(Scope::default());
        visit::visit_expr_closure(self, closure);
        self.scopes.pop();
    }

    fn visit_expr_return(&mut self, ret: &'ast syn::ExprReturn) {
        if let Some(expr) = &ret.expr {
            self.returned(expr);
        }
        visit::visit_expr_return(self, ret);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // Macro bodies are tokens to syn; walk the expressions of common
        // macros (vec!, assert!, ...) so nested calls are seen. Parsed
        // once, for the site and for the walk.
        if let Some(args) = macro_args(mac) {
            let name = last_segment(&mac.path);
            let origins = self.macro_site_of(&name, &args);
            // `write!(key, "user:{}", id)` builds into `key`.
            if matches!(name.as_str(), "write" | "writeln")
                && let Some(local) = args.first().and_then(local_name)
            {
                self.bind_more(&local, origins);
            }
            let format = name == "concat" || format_macro(&name).is_some();
            self.in_macro += usize::from(!format);
            for expr in &args {
                self.visit_expr(expr);
            }
            self.in_macro -= usize::from(!format);
        } else if let Ok(stmts) = mac.parse_body_with(syn::Block::parse_within) {
            // A macro around statements: `try_stream! { let x = ..; }`.
            self.in_macro += 1;
            for stmt in &stmts {
                self.visit_stmt(stmt);
            }
            self.in_macro -= 1;
        }
    }
}

impl Extractor<'_> {
    /// A `const` or `static`: a string it holds is a site other files can
    /// use by name; a store it holds is typed for the second pass.
    fn constant(&mut self, name: &str, expr: &Expr, ty: Option<&syn::Type>) {
        let origins = self.origins(expr);
        if is_key_name(name) {
            self.add_evidence(&origins, Evidence::KeyName(name.to_owned()));
        }
        // Only a string's text stands for the constant (not the string in
        // `ErrorType::Custom("..")`).
        if let [Origin::Site(site)] = origins.as_slice()
            && matches!(strip_reference(expr), Expr::Lit(_) | Expr::Macro(_))
        {
            self.facts.consts.push((name.into(), *site));
        }
        let recv = match ty.map(|t| self.recv_of_type(t)) {
            Some(Recv::Store(s)) => Recv::Store(s),
            _ => self.constructed(expr),
        };
        if let Recv::Store(store) = recv {
            self.facts
                .fields
                .push((name.into(), TypeRef::Store(store.name)));
        }
    }

    /// The store an initialiser builds: `Cache::builder()...build()`,
    /// `Arc::new(Mutex::new(LruCache::new(..)))`, `Lazy::new(|| ..)`.
    fn constructed(&self, expr: &Expr) -> Recv {
        match expr {
            Expr::MethodCall(m) => self.constructed(&m.receiver),
            Expr::Try(t) => self.constructed(&t.expr),
            Expr::Await(a) => self.constructed(&a.base),
            Expr::Paren(p) => self.constructed(&p.expr),
            Expr::Closure(c) => self.constructed(&c.body),
            Expr::Block(b) => match b.block.stmts.last() {
                Some(syn::Stmt::Expr(tail, None)) => self.constructed(tail),
                _ => Recv::Unknown,
            },
            Expr::Call(call) => {
                let Expr::Path(p) = &*call.func else {
                    return Recv::Unknown;
                };
                let path = segments(&p.path);
                if path.len() >= 2
                    && let Some(store) = stores::store_of_path(&path[..path.len() - 1], &self.uses)
                {
                    return Recv::Store(store);
                }
                call.args
                    .iter()
                    .map(|a| self.constructed(a))
                    .find(|r| matches!(r, Recv::Store(_)))
                    .unwrap_or(Recv::Unknown)
            }
            _ => Recv::Unknown,
        }
    }
}

impl Extractor<'_> {
    /// Matches holes to arguments: `{}` takes the next positional argument,
    /// `{0}` an index, `{name}` a named argument or a captured local.
    fn hole_values(&self, template: &Template, args: &[Expr]) -> Vec<Value> {
        let mut positional = Vec::new();
        let mut named = HashMap::new();
        for arg in args {
            match arg {
                Expr::Assign(assign) => {
                    if let Expr::Path(p) = &*assign.left {
                        named.insert(last_segment(&p.path), (*assign.right).clone());
                    }
                }
                other => positional.push(other.clone()),
            }
        }
        let mut next = 0;
        let mut values = Vec::new();
        for piece in &template.pieces {
            let super::template::Piece::Hole(hole) = piece else {
                continue;
            };
            let expr = if hole.name.is_empty() {
                next += 1;
                positional.get(next - 1).cloned()
            } else if let Ok(i) = hole.name.parse::<usize>() {
                positional.get(i).cloned()
            } else {
                named
                    .get(&hole.name)
                    .cloned()
                    .or_else(|| syn::parse_str::<Expr>(&hole.name).ok())
            };
            let value = match expr {
                Some(expr) => self.value(&expr),
                None => Value {
                    expr: hole.name.clone(),
                    known: super::values::Known::unknown(),
                },
            };
            values.push(Value {
                known: value.known.with_spec(&hole.spec),
                ..value
            });
        }
        values
    }

    /// What the code shows about one interpolated value.
    fn value(&self, expr: &Expr) -> Value {
        Value {
            expr: text_of(expr),
            known: self.known(expr),
        }
    }

    /// What `expr` can be, from the parameters and locals in scope.
    fn known(&self, expr: &Expr) -> super::values::Known {
        super::values::of_expr(expr, &|name| {
            self.scopes.iter().rev().find_map(|s| {
                s.locals.get(name).cloned().or_else(|| {
                    s.params
                        .get(name)
                        .map(|(_, ty)| super::values::of_param(name, ty))
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What reading `source` whole gives, as `extract_file` did before it
    /// read item by item.
    fn whole_file<'a>(
        path: &'a Path,
        source: &'a str,
        declared: &'a DeclaredSinks,
    ) -> Extractor<'a> {
        let file = syn::parse_file(source).unwrap();
        let mut extractor = Extractor::new(path, source, declared);
        extractor.uses = uses_of(&file.items);
        extractor.visit_file(&file);
        extractor
    }

    #[test]
    fn reading_item_by_item_finds_what_reading_the_whole_file_finds() {
        let declared = DeclaredSinks::default();
        // Any other tree too: CACHEKEYS_ITEM_TREE=/tmp/cachekeys-bench-corpus
        // cargo test --release --lib reading_item_by_item.
        let other_tree = std::env::var_os("CACHEKEYS_ITEM_TREE");
        let root = other_tree.clone().unwrap_or("tests/fixtures".into());
        let other_tree = other_tree.is_some();
        let mut files = vec![std::path::PathBuf::from(root)];
        let mut checked = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let Ok(source) = std::fs::read_to_string(&path) else {
                continue;
            };
            if path.extension().is_none_or(|e| e != "rs")
                || crate::lint::source::lexer::too_deep(&source).is_some()
                || syn::parse_file(&source).is_err()
            {
                continue;
            }
            // Elsewhere, a file whose items do not parse one by one is read
            // whole, as `extract_file` does.
            let Some(mut by_item) = by_items(&path, &source, &declared) else {
                assert!(other_tree, "{}: the items do not parse", path.display());
                continue;
            };
            let mut whole = whole_file(&path, &source, &declared);
            by_item.facts.finish();
            whole.facts.finish();
            let name = path.display();
            assert_eq!(
                format!("{:?}", by_item.sites),
                format!("{:?}", whole.sites),
                "{name}: sites"
            );
            assert_eq!(by_item.weak, whole.weak, "{name}: weak");
            assert_eq!(
                format!("{:?}", by_item.facts),
                format!("{:?}", whole.facts),
                "{name}: facts"
            );
            checked += 1;
            proc_macro2::extra::invalidate_current_thread_spans();
        }
        assert!(checked > 50, "only {checked} fixture files were compared");
    }

    #[test]
    fn a_file_that_cannot_be_cut_into_items_is_read_whole() {
        // `}` then `.` at the top level: the cut after `}` does not parse,
        // nor does the file; its error points where the file breaks.
        let source = "fn f() {}\nstruct S {}.x;\n";
        assert!(by_items(Path::new("a.rs"), source, &DeclaredSinks::default()).is_none());
        let error = extract_file(Path::new("a.rs"), source, &DeclaredSinks::default()).unwrap_err();
        assert_eq!((error.line, error.column), (2, 12), "{}", error.message);
        // Items that parse only together are read whole, and their sites found.
        let source = "const A: u8 = 1;\nfn f(c: &mut redis::Connection) { let _: () = c.set(format!(\"user:{}\", 1), 1).unwrap(); }\n";
        let around = extract_file(Path::new("a.rs"), source, &DeclaredSinks::default()).unwrap();
        assert_eq!(around.sites.len(), 1);
        assert_eq!(around.sites[0].location.line, 2);
    }

    #[test]
    fn key_names() {
        for name in [
            "key",
            "cache_key",
            "user_key",
            "CACHE_PREFIX",
            "redis_key",
            "ck",
            "profileKey",
            "keys",
        ] {
            assert!(is_key_name(name), "{name}");
        }
        for name in [
            "api_key",
            "keyboard",
            "primary_key",
            "cache_dir",
            "key_len",
            "cache_control",
            "monkey",
            "secret_key",
            "cache_hits",
            "name",
            "whitelist",
        ] {
            assert!(!is_key_name(name), "{name}");
        }
    }

    fn evidence(source: &str) -> Vec<(String, Vec<Evidence>)> {
        extract(Path::new("a.rs"), source)
            .unwrap()
            .into_iter()
            .map(|s| (s.template.normalized(), s.evidence))
            .collect()
    }

    #[test]
    fn receivers_are_typed_not_named() {
        // A receiver named like a cache is not one without a store type.
        let source = "fn f(cache: &Settings, id: u32) { cache.get(&format!(\"user:{}\", id)); }";
        assert_eq!(evidence(source), [("user:{}".to_owned(), vec![])]);
        // One called `c` is, with one.
        let source =
            "fn f(c: &mut redis::Connection, id: u32) { c.get(&format!(\"user:{}\", id)); }";
        assert_eq!(
            evidence(source),
            [(
                "user:{}".to_owned(),
                vec![Evidence::CacheCall("c.get (redis)".into())]
            )]
        );
        let source = "use lru::LruCache;\nstruct S { m: Mutex<LruCache<String, u8>> }\nimpl S { fn f(&self, id: u32) { self.m.lock().unwrap().put(format!(\"user:{}\", id), 1); } }";
        assert_eq!(
            evidence(source),
            [(
                "user:{}".to_owned(),
                vec![Evidence::CacheCall("m.put (lru)".into())]
            )]
        );
    }

    #[test]
    fn evidence_from_code() {
        let source = r#"
            fn profile_key(id: u64) -> String { format!("profiles:{}", id) }
            fn load(cache: &moka::sync::Cache<String, u8>, client: &Client, name: &str) {
                let k = format!("user:{}", name);
                cache.get(&k);
                let url = format!("users/{}", name);
                client.get(&url);
                let cache_dir = format!("{}/cache", name);
            }
        "#;
        let sites = extract(Path::new("a.rs"), source).unwrap();
        let evidence: Vec<(String, Vec<Evidence>)> = sites
            .iter()
            .map(|s| (s.template.normalized(), s.evidence.clone()))
            .collect();
        assert_eq!(
            evidence,
            [
                (
                    "profiles:{}".to_owned(),
                    vec![Evidence::KeyFunction("profile_key".into())]
                ),
                (
                    "user:{}".to_owned(),
                    vec![Evidence::CacheCall("cache.get (moka)".into())]
                ),
                ("users/{}".to_owned(), vec![]),
                ("{}/cache".to_owned(), vec![]),
            ]
        );
        assert_eq!(
            sites[1].values[0].known,
            crate::lint::values::Known::text("`name` is a `&str` parameter")
        );
        assert_eq!(
            sites[0].values[0].known.family,
            crate::lint::values::Family::Integer("u64")
        );
        assert_eq!((sites[1].location.line, sites[1].location.column), (4, 33));
    }
}
