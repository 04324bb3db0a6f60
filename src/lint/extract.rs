//! Finding key-building code in one Rust file, with the evidence that it
//! builds a cache key.
//!
//! Every format string (`format!`, `format_args!`, `write!`, `writeln!`,
//! `concat!`), every literal passed to `push_str`, and every literal bound
//! to or returned as a key becomes a [`Site`]. The rules decide what to
//! report; this module only records what the code shows: which values fill
//! the holes, and whether the result visibly flows into a cache.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Expr, ExprLit, Lit, LitStr, Token};

use super::prefilter::Candidate;
use super::template::Template;
use crate::diagnostic::{LineIndex, Location};

/// One place where a key-like string is built.
#[derive(Clone, Debug)]
pub struct Site {
    /// The string literal.
    pub location: Location,
    pub template: Template,
    /// What fills each hole, in order.
    pub values: Vec<Value>,
    pub evidence: Vec<Evidence>,
}

impl Site {
    /// Evidence that this string is a cache key, from the code alone: a
    /// cache call, a `*_key` function, or a specific name (`user_key`,
    /// `CACHE_PREFIX`). A bare `key` is generic (header names, map keys), so
    /// it counts only for a template with `:`, `|` or `#` between words,
    /// the separators of cache keys rather than of identifiers.
    pub fn is_key(&self) -> bool {
        let cache_separators = || {
            super::template::shape(&self.template, &[':', '|', '#']) == super::template::Shape::Key
        };
        self.evidence.iter().any(|e| match e {
            Evidence::CacheCall(_) | Evidence::KeyFunction(_) => true,
            Evidence::KeyName(name) => {
                let generic = matches!(
                    name.to_ascii_lowercase().as_str(),
                    "key" | "keys" | "k" | "ck"
                );
                !generic || names_a_cache(name) || cache_separators()
            }
        })
    }

    /// Evidence strong enough to report prose-like text (spaces) as a key.
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
    pub kind: ValueKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Digits and maybe `-`: an integer type or `.len()`.
    Integer,
    /// Free text: the reason, e.g. "`name` is a `&str` parameter".
    Text(String),
    /// Visibly encoded or hashed, or a fixed-alphabet id such as a UUID.
    Encoded,
    Unknown,
}

/// Why a site is believed to build a cache key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// Flows into a cache-like call, e.g. `cache.get(..)`.
    CacheCall(String),
    /// Bound to a name containing `key` or `cache`.
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

/// Methods that read or write a cache whatever the receiver is called.
#[rustfmt::skip]
pub(crate) const CACHE_METHODS: &[&str] = &[
    "set_ex", "setex", "set_nx", "psetex", "get_ex", "getset", "mget", "mset", "del", "unlink",
    "expire", "pexpire", "incr", "decr", "incr_by", "hget", "hset", "hdel", "hgetall",
    "invalidate", "get_with", "try_get_with", "optionally_get_with", "increment", "decrement",
    "touch", "cas", "prepend",
];

/// Methods that are cache calls only on a cache-like receiver: `get` on a
/// `HashMap` or an HTTP client is not, nor `set` on a `OnceLock`.
#[rustfmt::skip]
pub(crate) const MAYBE_CACHE_METHODS: &[&str] = &[
    "get", "set", "insert", "remove", "delete", "add", "replace", "exists", "contains_key",
    "append", "ttl", "get_or_insert_with",
];

/// Receivers (and free-function names, without `conn` and `store`) that
/// are caches.
pub(crate) const CACHE_RECEIVERS: &[&str] = &[
    "cache", "redis", "memcache", "mc", "kv", "moka", "lru", "conn", "store",
];

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
    // The exclusions are the costly part: test them last (the linter's
    // prefilter calls this for many names in a tree).
    named
        && !NOT_CACHE_KEYS.iter().any(|w| lower.contains(w))
        && !lower.split('_').any(|w| NOT_KEY_WORDS.contains(&w))
}

/// Redis commands whose first argument is a key (not `EVAL`, `PUBLISH`,
/// `CONFIG` and the like, whose first argument is a script or a name).
#[rustfmt::skip]
pub(crate) const KEY_COMMANDS: &[&str] = &[
    "GET", "SET", "SETEX", "SETNX", "PSETEX", "GETSET", "GETEX", "GETDEL", "DEL", "UNLINK",
    "EXISTS", "EXPIRE", "PEXPIRE", "EXPIREAT", "TTL", "PTTL", "PERSIST", "TYPE", "TOUCH",
    "INCR", "INCRBY", "DECR", "DECRBY", "APPEND", "STRLEN", "HGET", "HSET", "HDEL", "HGETALL",
    "HMGET", "HMSET", "HINCRBY", "HEXISTS", "HKEYS", "HVALS", "HLEN", "LPUSH", "RPUSH", "LPOP",
    "RPOP", "LRANGE", "LLEN", "SADD", "SREM", "SMEMBERS", "SISMEMBER", "SCARD", "ZADD", "ZREM",
    "ZRANGE", "ZSCORE", "ZCARD", "ZINCRBY", "MGET", "DUMP", "RESTORE", "RENAME",
];

/// `cmd("GET")` (or `redis::cmd("GET")`) for a command that takes a key.
fn is_key_command(receiver: &Expr) -> bool {
    let Expr::Call(call) = receiver else {
        return false;
    };
    let Expr::Path(path) = &*call.func else {
        return false;
    };
    matches!(
        call.args.first(),
        Some(Expr::Lit(ExprLit { lit: Lit::Str(command), .. }))
            if last_segment(&path.path) == "cmd"
                && KEY_COMMANDS.contains(&command.value().to_ascii_uppercase().as_str())
    )
}

/// A free function that reads or writes a cache: a cache word and a verb,
/// `cache_get`, `redis_set` (but not `parse_redis_value`).
pub(crate) fn is_cache_function(name: &str) -> bool {
    const VERBS: &[&str] = &[
        "get",
        "set",
        "del",
        "delete",
        "put",
        "insert",
        "remove",
        "invalidate",
        "fetch",
        "load",
        "store",
        "incr",
        "expire",
        "evict",
    ];
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split('_').collect();
    words
        .iter()
        .any(|w| matches!(*w, "cache" | "cached" | "redis" | "memcache" | "memcached"))
        && words.iter().any(|w| VERBS.contains(w))
}

/// `cache_key`, `REDIS_PREFIX`: a name that says it is about a cache.
pub(crate) fn names_a_cache(name: &str) -> bool {
    // (`memcache` contains `cache`.) No allocation: the linter's prefilter
    // asks this of many names in a tree.
    name.as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"cache") || w.eq_ignore_ascii_case(b"redis"))
}

fn is_cache_receiver(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    CACHE_RECEIVERS.iter().any(|w| lower.contains(w))
}

/// A file syn cannot parse, or code too deep to parse: where, and why
/// (the message says which).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Extracts every site from one file. `path` is used in locations.
pub fn extract(path: &Path, source: &str) -> Result<Vec<Site>, ParseError> {
    if let Some(at) = super::items::too_deep(source) {
        return Err(too_deep(source, at));
    }
    // Read the error's position now: the caller drops proc-macro2's span
    // table after each file, and a span read after that panics.
    let file = syn::parse_file(source).map_err(|error| {
        let start = error.span().start();
        ParseError {
            line: start.line.max(1),
            column: start.column + 1,
            message: format!("Rust syntax error: {error}"),
        }
    })?;
    let mut extractor = Extractor::new(path, source);
    extractor.visit_file(&file);
    Ok(extractor.sites)
}

/// The error for text that nests deeper than syn may parse (see
/// [`super::items::MAX_NESTING`]), at offset `at` of `source`.
fn too_deep(source: &str, at: usize) -> ParseError {
    let (line, column) = crate::diagnostic::line_column(source, at);
    ParseError {
        line,
        column,
        message: format!(
            "the code nests deeper than the {} levels of brackets and operator chains lint parses",
            super::items::MAX_NESTING
        ),
    }
}

/// What parsing around the candidates of one file gave.
#[derive(Debug, Default)]
pub struct Around {
    pub sites: Vec<Site>,
    /// Functions left unparsed for now.
    pub deferred: Vec<Deferred>,
    /// Functions and items too deep to parse, skipped (the rest of the
    /// file is linted).
    pub skipped: Vec<ParseError>,
}

/// A function whose candidates are all strings known by their text alone
/// (see [`Candidate::template`]), in which nothing could be evidence of a
/// cache key (see [`may_have_evidence`]). Its sites can only matter as
/// copies of a key built elsewhere or as a catalogue key written by hand,
/// so it is parsed only when one of `templates` turns out to be one.
#[derive(Clone, Debug)]
pub struct Deferred {
    pub range: Range<usize>,
    pub templates: Vec<Template>,
}

/// Like [`extract`], parsing only the functions around the prefilter's
/// candidates (and `const` or `static` items outside functions), which is
/// most of the speed of `lint`. Falls back to the whole file when a file's
/// brackets do not balance or a function does not parse on its own.
pub fn extract_around(
    path: &Path,
    source: &str,
    candidates: &[Candidate],
) -> Result<Around, ParseError> {
    let whole_file = || {
        extract(path, source).map(|sites| Around {
            sites,
            ..Around::default()
        })
    };
    let Some(functions) = super::items::functions(source) else {
        return whole_file();
    };
    let mut by_function: BTreeMap<(usize, usize), Vec<&Candidate>> = BTreeMap::new();
    let mut items = BTreeSet::new();
    let at: Vec<usize> = candidates.iter().map(|c| c.at).collect();
    let innermost = super::items::innermost(&functions, &at);
    for (candidate, innermost) in candidates.iter().zip(innermost) {
        match innermost {
            Some(range) => by_function
                .entry((range.start, range.end))
                .or_default()
                .push(candidate),
            // Outside functions, only a `const` or `static` holds a site.
            None => {
                if let Some(range) = super::items::const_item(source, candidate.at) {
                    items.insert((range.start, range.end));
                }
            }
        }
    }
    let mut deferred = Vec::new();
    let mut extractor = Extractor::new(path, source);
    for ((start, end), found) in by_function {
        let templates: Option<Vec<Template>> = found.iter().map(|c| c.template.clone()).collect();
        if let Some(templates) = templates
            && !may_have_evidence(&source[start..end])
        {
            deferred.push(Deferred {
                range: start..end,
                templates,
            });
            continue;
        }
        if !extractor.parse_function(start..end) {
            return whole_file();
        }
    }
    for (start, end) in items {
        if let Some(at) = super::items::too_deep(&source[start..end]) {
            extractor.skipped.push(too_deep(source, start + at));
        } else if let Ok(item) = syn::parse_str::<syn::Item>(&source[start..end]) {
            extractor.base = start;
            extractor.visit_item(&item);
        }
    }
    Ok(Around {
        sites: extractor.sites,
        deferred,
        skipped: extractor.skipped,
    })
}

/// The sites of the functions at `ranges` (from [`Deferred`]); a range
/// that is not a function which parses gives none.
pub fn extract_functions(path: &Path, source: &str, ranges: &[Range<usize>]) -> Vec<Site> {
    let mut extractor = Extractor::new(path, source);
    for range in ranges {
        extractor.parse_function(range.clone());
    }
    extractor.sites
}

/// Whether a function's text holds anything the extractor could take as
/// evidence that a string is a cache key, read from the text the way the
/// extractor reads the syntax tree: a name with `cache` or `redis`; a key
/// name where it takes a value (`key = `, `key: `, `fn user_key(`,
/// `key.push_str(`); a cache method called (`del(`); a maybe-cache method
/// (`.get(`) on a receiver named like a cache (`conn`, `store`); or a
/// redis `cmd(..).arg(`. Comments are not code: `// recache` is no cache.
/// A superset: without any of these, no site in the function has evidence.
/// `tests/lint_prefilter.rs` checks it.
pub fn may_have_evidence(text: &str) -> bool {
    use super::items::{code_words, is_fn_name, next_token};
    // Comments blanked, so that `recv. /* why */ get(` reads as a call.
    let code = super::items::without_comments(text);
    let bytes = code.as_bytes();
    code_words(text).any(|(start, end, level_start)| {
        let word = &text[start..end];
        let next = next_token(bytes, end);
        let called = next.starts_with(b"(") || next.starts_with(b"::");
        if names_a_cache(word) || (called && CACHE_METHODS.contains(&word)) {
            return true;
        }
        let has = |w: &[u8]| {
            word.as_bytes()
                .windows(w.len())
                .any(|x| x.eq_ignore_ascii_case(w))
        };
        // Checked in order of cost: most words have no `key` in them.
        if has(b"key") || has(b"ck") {
            let takes_value = match next {
                [b'=', b'=' | b'>', ..] | [b':', b':', ..] => false,
                [b'=' | b':' | b'@', ..] => true,
                _ => next.starts_with(b".push_str") || is_fn_name(bytes, start),
            };
            // A key name with a non-ASCII character Rust counts as
            // whitespace glued on (`user_key\u{200E}=`) is not split here:
            // assume the worst. (Only here: elsewhere such characters are
            // not followed; see the README.)
            if takes_value && (is_key_name(word) || !word.is_ascii()) {
                return true;
            }
        }
        // A method call, `recv.m(` or `recv . m::<T>(`: what the receiver
        // is named decides.
        let before = bytes[..start].trim_ascii_end();
        if !(called && before.ends_with(b".")) {
            return false;
        }
        let dot = before.len() - 1;
        let receiver = text[level_start.min(dot)..dot].to_ascii_lowercase();
        match word {
            "arg" => receiver.contains("cmd"),
            "push_str" => ["key", "cache", "ck"].iter().any(|w| receiver.contains(w)),
            _ => {
                MAYBE_CACHE_METHODS.contains(&word)
                    && CACHE_RECEIVERS.iter().any(|w| receiver.contains(w))
            }
        }
    })
}

/// What is known inside one function.
#[derive(Default)]
struct Scope {
    function: Option<String>,
    /// Parameter name -> its type, as written.
    params: HashMap<String, syn::Type>,
    /// Local name -> the sites whose string it holds.
    bindings: HashMap<String, Vec<usize>>,
}

struct Extractor<'a> {
    path: &'a Path,
    source: &'a str,
    /// Built on the first site: a file whose functions are all deferred
    /// needs none.
    lines: std::cell::OnceCell<LineIndex>,
    sites: Vec<Site>,
    /// Sites by the byte offset of their literal, so a string met twice
    /// (once through its context, once by the generic walk) is one site.
    by_span: HashMap<usize, usize>,
    scopes: Vec<Scope>,
    /// Where the parsed text starts in the file: 0 for the whole file, the
    /// function's offset when only a function is parsed.
    base: usize,
    skipped: Vec<ParseError>,
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

impl<'a> Extractor<'a> {
    /// Parses the function at `range` of the source and records its sites;
    /// false when it does not parse on its own (or is not a function). A
    /// function too deep to parse is skipped, and recorded in `skipped`.
    fn parse_function(&mut self, range: Range<usize>) -> bool {
        let Some(text) = self.source.get(range.clone()) else {
            return false;
        };
        if let Some(at) = super::items::too_deep(text) {
            self.skipped.push(too_deep(self.source, range.start + at));
            return true;
        }
        let Ok(item) = syn::parse_str::<syn::ItemFn>(text) else {
            return false;
        };
        self.base = range.start;
        self.visit_item_fn(&item);
        true
    }

    fn new(path: &'a Path, source: &'a str) -> Self {
        Extractor {
            path,
            source,
            lines: std::cell::OnceCell::new(),
            sites: Vec::new(),
            by_span: HashMap::new(),
            scopes: vec![Scope::default()],
            base: 0,
            skipped: Vec::new(),
        }
    }

    fn scope(&mut self) -> &mut Scope {
        self.scopes
            .last_mut()
            .expect("the file scope is never popped")
    }

    fn location(&self, span: Span) -> Location {
        let range = span.byte_range();
        let range = range.start + self.base..range.end + self.base;
        let lines = self.lines.get_or_init(|| LineIndex::new(self.source));
        let (line, column) = lines.line_column(self.source, range.start);
        Location {
            path: self.path.to_owned(),
            line,
            column,
            span: range,
        }
    }

    fn add_site(&mut self, lit: &LitStr, template: Template, values: Vec<Value>) -> usize {
        let location = self.location(lit.span());
        if let Some(&i) = self.by_span.get(&location.span.start) {
            return i;
        }
        self.sites.push(Site {
            location: location.clone(),
            template,
            values,
            evidence: Vec::new(),
        });
        let i = self.sites.len() - 1;
        self.by_span.insert(location.span.start, i);
        i
    }

    /// The sites an expression builds or holds: a format macro, a string
    /// literal, a local bound to one, seen through `&`, `.to_string()`,
    /// `.as_str()`, `.clone()`, `.into()` and the like.
    fn sites_of(&mut self, expr: &Expr, literals: bool) -> Vec<usize> {
        match expr {
            Expr::Macro(m) => self.macro_site(&m.mac).into_iter().collect(),
            Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) if literals => {
                vec![self.add_site(lit, Template::literal(&lit.value()), Vec::new())]
            }
            Expr::Reference(r) => self.sites_of(&r.expr, literals),
            Expr::Paren(p) => self.sites_of(&p.expr, literals),
            Expr::Group(g) => self.sites_of(&g.expr, literals),
            // `Ok(key)`, `Some(key)`, and every branch of `if`, `match` and
            // blocks: the value is one of these.
            Expr::Call(call)
                if matches!(&*call.func, Expr::Path(p) if matches!(last_segment(&p.path).as_str(), "Ok" | "Some"))
                    && call.args.len() == 1 =>
            {
                self.sites_of(&call.args[0], literals)
            }
            Expr::Block(block) => self.tail_sites(&block.block, literals),
            Expr::If(expr) => {
                let mut sites = self.tail_sites(&expr.then_branch, literals);
                if let Some((_, otherwise)) = &expr.else_branch {
                    sites.extend(self.sites_of(otherwise, literals));
                }
                sites
            }
            Expr::Match(expr) => expr
                .arms
                .iter()
                .flat_map(|arm| self.sites_of(&arm.body, literals))
                .collect(),
            Expr::MethodCall(call)
                if matches!(
                    call.method.to_string().as_str(),
                    "to_string" | "to_owned" | "as_str" | "as_bytes" | "clone" | "into" | "as_ref"
                ) =>
            {
                self.sites_of(&call.receiver, literals)
            }
            Expr::Path(p) if p.path.segments.len() == 1 => {
                let name = last_segment(&p.path);
                self.scopes
                    .iter()
                    .rev()
                    .find_map(|s| s.bindings.get(&name).cloned())
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }

    fn tail_sites(&mut self, block: &syn::Block, literals: bool) -> Vec<usize> {
        match block.stmts.last() {
            Some(syn::Stmt::Expr(tail, None)) => self.sites_of(tail, literals),
            _ => Vec::new(),
        }
    }

    fn add_evidence(&mut self, sites: &[usize], evidence: Evidence) {
        for &i in sites {
            if !self.sites[i].evidence.contains(&evidence) {
                self.sites[i].evidence.push(evidence.clone());
            }
        }
    }

    /// A site for `format!("...", args)` and friends.
    fn macro_site(&mut self, mac: &syn::Macro) -> Option<usize> {
        let name = last_segment(&mac.path);
        if name != "concat" && format_macro(&name).is_none() {
            return None;
        }
        let args = macro_args(mac)?;
        self.macro_site_of(&name, &args)
    }

    /// [`Self::macro_site`] for a macro named `name` whose body is `args`.
    fn macro_site_of(&mut self, name: &str, args: &Punctuated<Expr, Token![,]>) -> Option<usize> {
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
                    _ => return None,
                }
            }
            let first = first?;
            return Some(self.add_site(&first, Template::literal(&text), Vec::new()));
        }
        let position = format_macro(name)?;
        let mut args = args.iter().skip(position);
        let Some(Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        })) = args.next()
        else {
            return None;
        };
        let template = Template::parse_format(&lit.value())?;
        let args: Vec<Expr> = args.cloned().collect();
        let values = self.hole_values(&template, &args);
        Some(self.add_site(lit, template, values))
    }

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
            values.push(match expr {
                Some(expr) => self.value(&expr),
                None => Value {
                    expr: hole.name.clone(),
                    kind: ValueKind::Unknown,
                },
            });
        }
        values
    }

    /// What the code shows about one interpolated value.
    fn value(&self, expr: &Expr) -> Value {
        let text = text_of(expr);
        let kind = self.kind(expr);
        Value { expr: text, kind }
    }

    fn param_type(&self, name: &str) -> Option<syn::Type> {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.params.get(name).cloned())
    }

    fn kind(&self, expr: &Expr) -> ValueKind {
        match expr {
            Expr::Reference(r) => self.kind(&r.expr),
            Expr::Paren(p) => self.kind(&p.expr),
            Expr::Lit(ExprLit {
                lit: Lit::Int(_), ..
            }) => ValueKind::Integer,
            Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) => ValueKind::Text(format!("the literal {:?}", lit.value())),
            Expr::Path(p) if p.path.segments.len() == 1 => {
                let name = last_segment(&p.path);
                match self.param_type(&name) {
                    Some(ty) => type_kind(&name, &ty),
                    None => ValueKind::Unknown,
                }
            }
            Expr::MethodCall(call) => {
                let method = call.method.to_string();
                let lower = method.to_ascii_lowercase();
                if is_encoding(&lower) {
                    return ValueKind::Encoded;
                }
                match method.as_str() {
                    "len" | "count" | "as_u128" | "as_u64" | "timestamp" | "year" | "month"
                    | "day" => ValueKind::Integer,
                    "to_string" | "to_owned" | "as_str" | "as_ref" | "borrow" | "clone" => {
                        match self.kind(&call.receiver) {
                            ValueKind::Text(why) => ValueKind::Text(why),
                            ValueKind::Integer => ValueKind::Integer,
                            ValueKind::Encoded => ValueKind::Encoded,
                            ValueKind::Unknown => ValueKind::Unknown,
                        }
                    }
                    "hyphenated" | "simple" => ValueKind::Encoded,
                    _ => ValueKind::Unknown,
                }
            }
            Expr::Call(call) => {
                if let Expr::Path(p) = &*call.func {
                    let path = text_of(&p.path).to_ascii_lowercase();
                    if is_encoding(&path) {
                        return ValueKind::Encoded;
                    }
                }
                ValueKind::Unknown
            }
            Expr::Macro(m) if last_segment(&m.mac.path) == "format" => {
                ValueKind::Text("a `format!` string".to_owned())
            }
            _ => ValueKind::Unknown,
        }
    }

    /// Records that the sites of `args` flow into the call `name` on
    /// `receiver` (`None` for a free function), when it is cache-like.
    fn call(&mut self, receiver: Option<&Expr>, name: &str, args: &Punctuated<Expr, Token![,]>) {
        // Most calls are not about a cache: rule them out by name before
        // printing the receiver, which is costly.
        let maybe = CACHE_METHODS.contains(&name)
            || MAYBE_CACHE_METHODS.contains(&name)
            || name == "arg"
            || (receiver.is_none() && is_cache_function(name));
        if !maybe {
            return;
        }
        let receiver_text = receiver.map(text_of).unwrap_or_default();
        let is_cache = CACHE_METHODS.contains(&name)
            || (MAYBE_CACHE_METHODS.contains(&name) && is_cache_receiver(&receiver_text))
            // `cmd("GET").arg(key)`: only the first `arg` is the key.
            || (name == "arg" && receiver.is_some_and(is_key_command))
            || (receiver.is_none() && is_cache_function(name));
        if !is_cache {
            return;
        }
        let shown = if receiver_text.is_empty() {
            name.to_owned()
        } else {
            // The receiver's last plain name: `self.cache.lock().unwrap()`
            // shows as `cache`; with none, all of it: `get_cache()`.
            let short = receiver_text
                .rsplit('.')
                .find(|s| {
                    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                })
                .unwrap_or(&receiver_text);
            format!("{short}.{name}")
        };
        // The key is the first argument (`arg` takes one).
        if let Some(first) = args.first() {
            let sites = self.sites_of(first, true);
            self.add_evidence(&sites, Evidence::CacheCall(shown));
        }
    }
}

fn is_encoding(name: &str) -> bool {
    [
        "encode", "hash", "hex", "base64", "sha", "digest", "escape", "quote", "urlencod", "md5",
        "blake", "fnv", "xxh", "crc",
    ]
    .iter()
    .any(|w| name.contains(w))
}

/// The kind of a parameter from its declared type: through references
/// and lifetimes, `str`, `String`, `Cow<str>`, `Box<str>` and `impl
/// AsRef<str>`-like bounds are text; integer types are integers.
fn type_kind(name: &str, ty: &syn::Type) -> ValueKind {
    match bare_kind(ty) {
        ValueKind::Text(_) => {
            let shown = tidy_type(&quote::ToTokens::to_token_stream(ty).to_string());
            ValueKind::Text(format!("`{name}` is a `{shown}` parameter"))
        }
        kind => kind,
    }
}

/// [`type_kind`] without the explanation.
fn bare_kind(ty: &syn::Type) -> ValueKind {
    const INTEGERS: &[&str] = &[
        "u8",
        "u16",
        "u32",
        "u64",
        "u128",
        "usize",
        "i8",
        "i16",
        "i32",
        "i64",
        "i128",
        "isize",
        "NonZeroU32",
        "NonZeroU64",
    ];
    const TEXT_BOUNDS: &[&str] = &["AsRef", "Into", "Display", "ToString", "Borrow"];
    let text = || ValueKind::Text(String::new());
    match ty {
        syn::Type::Reference(r) => bare_kind(&r.elem),
        syn::Type::Paren(p) => bare_kind(&p.elem),
        syn::Type::Group(g) => bare_kind(&g.elem),
        syn::Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return ValueKind::Unknown;
            };
            let ident = last.ident.to_string();
            let holds_str = || text_of(&last.arguments).contains("str");
            match ident.as_str() {
                i if INTEGERS.contains(&i) => ValueKind::Integer,
                "str" | "String" => text(),
                "Cow" | "Box" | "Rc" | "Arc" if holds_str() => text(),
                "Uuid" => ValueKind::Encoded,
                _ => ValueKind::Unknown,
            }
        }
        syn::Type::ImplTrait(t) => {
            let bounds = text_of(&t.bounds);
            if TEXT_BOUNDS.iter().any(|b| bounds.contains(b)) {
                text()
            } else {
                ValueKind::Unknown
            }
        }
        _ => ValueKind::Unknown,
    }
}

/// `& 'a str` -> `&'a str`: token spacing as a person writes types.
fn tidy_type(tokens: &str) -> String {
    tokens
        .replace("& '", "&'")
        .replace("& ", "&")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace(" :: ", "::")
        .replace("' _", "'_")
}

impl<'ast> Visit<'ast> for Extractor<'_> {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.function(&item.sig, &item.block);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.function(&item.sig, &item.block);
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if let Some(block) = &item.default {
            self.function(&item.sig, block);
        }
    }

    fn visit_item_const(&mut self, item: &'ast syn::ItemConst) {
        let name = item.ident.to_string();
        if is_key_name(&name) {
            let sites = self.sites_of(&item.expr, true);
            self.add_evidence(&sites, Evidence::KeyName(name));
        }
        visit::visit_item_const(self, item);
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        let name = item.ident.to_string();
        if is_key_name(&name) {
            let sites = self.sites_of(&item.expr, true);
            self.add_evidence(&sites, Evidence::KeyName(name));
        }
        visit::visit_item_static(self, item);
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let (Some(init), Some(name)) = (&local.init, pattern_name(&local.pat)) {
            let literals = is_key_name(&name);
            let sites = self.sites_of(&init.expr, literals);
            if literals {
                self.add_evidence(&sites, Evidence::KeyName(name.clone()));
            }
            if !sites.is_empty() {
                self.scope().bindings.insert(name, sites);
            }
        }
        visit::visit_local(self, local);
    }

    fn visit_field_value(&mut self, field: &'ast syn::FieldValue) {
        if let syn::Member::Named(ident) = &field.member {
            let name = ident.to_string();
            if is_key_name(&name) {
                let sites = self.sites_of(&field.expr, true);
                self.add_evidence(&sites, Evidence::KeyName(name));
            }
        }
        visit::visit_field_value(self, field);
    }

    fn visit_expr_assign(&mut self, assign: &'ast syn::ExprAssign) {
        let target = match &*assign.left {
            Expr::Path(p) => Some(last_segment(&p.path)),
            Expr::Field(f) => match &f.member {
                syn::Member::Named(ident) => Some(ident.to_string()),
                syn::Member::Unnamed(_) => None,
            },
            _ => None,
        };
        if let Some(name) = target.filter(|n| is_key_name(n)) {
            let sites = self.sites_of(&assign.right, true);
            self.add_evidence(&sites, Evidence::KeyName(name));
        }
        visit::visit_expr_assign(self, assign);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let method = call.method.to_string();
        if method == "push_str" {
            if let Some(Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            })) = call.args.first()
            {
                let site = self.add_site(lit, Template::literal(&lit.value()), Vec::new());
                let receiver = text_of(&call.receiver);
                if is_key_name(&receiver) {
                    self.add_evidence(&[site], Evidence::KeyName(receiver));
                }
            }
        } else {
            self.call(Some(&call.receiver), &method, &call.args);
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*call.func {
            let name = last_segment(&p.path);
            self.call(None, &name, &call.args);
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_return(&mut self, ret: &'ast syn::ExprReturn) {
        if let Some(expr) = &ret.expr {
            self.returned(expr);
        }
        visit::visit_expr_return(self, ret);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // Macro bodies are tokens to syn; walk the expressions of common
        // macros (vec!, assert!, ...) so nested format! calls are seen.
        // Parsed once, for the site and for the walk.
        if let Some(args) = macro_args(mac) {
            self.macro_site_of(&last_segment(&mac.path), &args);
            for expr in &args {
                self.visit_expr(expr);
            }
        }
    }
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

impl Extractor<'_> {
    fn function(&mut self, sig: &syn::Signature, block: &syn::Block) {
        let name = sig.ident.to_string();
        let mut scope = Scope {
            function: Some(name.clone()),
            ..Scope::default()
        };
        for input in &sig.inputs {
            if let syn::FnArg::Typed(arg) = input
                && let Some(param) = pattern_name(&arg.pat)
            {
                scope.params.insert(param, (*arg.ty).clone());
            }
        }
        self.scopes.push(scope);
        self.visit_block(block);
        if let Some(syn::Stmt::Expr(tail, None)) = block.stmts.last() {
            self.returned(tail);
        }
        self.scopes.pop();
    }

    /// A value returned from the current function.
    fn returned(&mut self, expr: &Expr) {
        let Some(function) = self.scopes.last().and_then(|s| s.function.clone()) else {
            return;
        };
        if function.to_ascii_lowercase().contains("key") && is_key_name(&function) {
            let sites = self.sites_of(expr, true);
            self.add_evidence(&sites, Evidence::KeyFunction(function));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn receivers_are_read_as_written() {
        // Spaces inside a literal stay: "system config" holds no `mc`.
        let source =
            "fn f(id: u32) { settings(\"system config\").get(&format!(\"user:{}\", id)); }";
        let sites = extract(Path::new("a.rs"), source).unwrap();
        assert_eq!(sites[0].evidence, []);
        let source = "fn f(id: u32) { (x as Conn).get(&format!(\"user:{}\", id)); }";
        let sites = extract(Path::new("a.rs"), source).unwrap();
        assert_eq!(
            sites[0].evidence,
            [Evidence::CacheCall("(x as Conn).get".into())]
        );
        let source = "fn f(id: u32) { self.cache.lock().unwrap().get(&format!(\"user:{}\", id)); }";
        let sites = extract(Path::new("a.rs"), source).unwrap();
        assert_eq!(sites[0].evidence, [Evidence::CacheCall("cache.get".into())]);
    }

    #[test]
    fn evidence_words() {
        for text in [
            "fn user_key(id: u64) -> String { format!(\"u:{}\", id) }",
            "fn f() { let key = format!(\"u:{}\", 1); }",
            "fn f() { let k: String = x; Foo { cache_key: format!(\"u:{}\", 1) } }",
            "fn f(c: &Client) { c.del(format!(\"u:{}\", 1)); }",
            "fn f(c: &Client) { Commands::del(c, format!(\"u:{}\", 1)); }",
            "fn f() { self.store.get(&format!(\"u:{}\", 1)); }",
            "fn f() { lock(&conn).set::<_, _, ()>(format!(\"u:{}\", 1), 2); }",
            "fn f() { redis::cmd(\"GET\").arg(format!(\"u:{}\", 1)); }",
            "fn f() { let mut s = String::new(); buf_key.as_mut().push_str(\"u:\"); }",
            "fn f() { if a { x } else { y }; self.pool.get_cache().get(&k); }",
            // Receivers holding `;`, `{` or strings; spaces around the dot.
            "fn b(name: &str) { conn_for(\";\").get(&format!(\"user:{}\", name)); }",
            "fn f(id: u32) { conn_pool([0u8; 4]).get(&format!(\"user:{}\", id)); }",
            "fn f(id: u32) { conn_for(\"{\").get(&format!(\"user:{}\", id)); }",
            "fn f() { key_of([0; 2]).push_str(\"user:\"); }",
            "fn d(name: &str) { conn . get(&format!(\"profile:{}\", name)); }",
            "fn d(name: &str) { conn./* c */get(&format!(\"profile:{}\", name)); }",
            "fn f(id: u32) { let k = format!(\"user:{}\", id); self.kv.lock().unwrap() . get(&k); }",
            "fn f(id: u32) { match x { A => &self.a, _ => &self.b }.store.get(&k); }",
            // Odd ways to name a key.
            "fn f(id: u32) { let user_key @ _ = format!(\"user:{}\", id); }",
            "fn r#user_key(id: u32) -> String { format!(\"user:{}\", id) }",
            "fn f(id: u32) { let user_key\u{200E}= format!(\"user:{}\", id); }",
        ] {
            assert!(may_have_evidence(text), "{text}");
        }
        for text in [
            "fn label(id: u64) -> String { format!(\"user:{}\", id) }",
            // A key in a map, a store instruction, a `del` that is not called.
            "fn f(m: &HashMap<K, V>) { for (key, v) in m { out.push(format!(\"a:{}\", key)); } }",
            "fn f() { emit(Op::Store, format!(\"st_{}\", r)); let del = 1; }",
            "fn f() { map.get(&format!(\"a:{}\", 1)); store(1); }",
            "fn f() { args.arg(format!(\"--x={}\", 1)); }",
        ] {
            assert!(!may_have_evidence(text), "{text}");
        }
    }

    #[test]
    fn evidence_from_code() {
        let source = r#"
            fn profile_key(id: u64) -> String { format!("profiles:{}", id) }
            fn load(cache: &Cache, name: &str) {
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
                    vec![Evidence::CacheCall("cache.get".into())]
                ),
                ("users/{}".to_owned(), vec![]),
                ("{}/cache".to_owned(), vec![]),
            ]
        );
        assert_eq!(
            sites[1].values[0].kind,
            ValueKind::Text("`name` is a `&str` parameter".into())
        );
        assert_eq!(sites[0].values[0].kind, ValueKind::Integer);
        assert_eq!((sites[1].location.line, sites[1].location.column), (4, 33));
    }
}
