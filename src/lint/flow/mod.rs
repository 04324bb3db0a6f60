//! Following values to stores, across functions and files.
//!
//! The extractor ([`super::extract`]) reads each function once and records
//! where values go as [`Facts`]: an edge from where a value comes from (a
//! site, a parameter, what a call returns, a constant) to where it goes (a
//! store, the function's return value, a call's argument, a method whose
//! receiver is known only by name). Nothing in a file can say on its own
//! whether `redis_key(format!(..))` reaches Redis: the summaries of every
//! function in the tree must be known first.
//!
//! [`resolve`] is that second pass. It resolves callees by name, owner type
//! and arity, receivers by the tree's index of declared types (struct
//! fields, statics, function return types), and then walks the graph
//! backwards from every store: a site is a key when some path leads from
//! it to a store. That gives both summaries of the issue at once: a
//! function whose return value reaches a store is a key builder (its
//! returned sites reach it), and one whose parameter reaches its return
//! value or a store is a key wrapper.

use std::collections::{HashMap, VecDeque};

use super::limits::StoreKind;
use super::stores::{self, DeclaredSinks, Store};

/// A function defined in the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnDef {
    pub name: String,
    /// The type of the `impl` it is in (its last path segment).
    pub owner: Option<String>,
    /// Takes `self`.
    pub method: bool,
    /// Parameters, `self` not counted.
    pub arity: usize,
}

/// A call whose callee is resolved in the second pass.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Callee {
    pub name: String,
    /// `Type` in `Type::f(..)`, or the receiver's in-tree type when known.
    pub owner: Option<String>,
    pub method: bool,
    pub arity: usize,
}

/// Where a value comes from, within one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// A site of the file, by index.
    Site(usize),
    /// Parameter `.1` of the file's function `.0`.
    Param(usize, usize),
    /// What a call returns.
    Ret(Callee),
    /// A `const` or `static` item, by name.
    Const(String),
    /// Part of a value: a value interpolated into a key is part of the
    /// key, not a key of its own.
    Part(Box<Origin>),
    /// What was put in one field of a struct literal.
    Field(String, Box<Origin>),
    /// One field of a parameter: `upload.path`.
    ParamField(usize, usize, String),
}

impl Origin {
    /// This origin as part of a larger value.
    pub fn part(self) -> Origin {
        match self {
            Origin::Part(_) => self,
            other => Origin::Part(Box::new(other)),
        }
    }
}

/// How a site reaches a store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reached {
    /// The store call, and the functions the value goes through.
    pub shown: String,
    /// The site is the key (or all of it goes into the key), rather than
    /// a value interpolated into one.
    pub whole: bool,
    /// The kind of store reached, from the store table (`None` for an
    /// in-house sink declared in the catalogue).
    pub store: Option<StoreKind>,
}

/// A receiver the file alone cannot type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Receiver {
    /// A struct field or a static, by name: `self.cache`, `CACHE`.
    Field(String),
    /// What a function returns: `get_conn().await?`.
    FnRet(String),
}

/// Where a value goes, within one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Dest {
    /// A store; the text says which call, for the evidence, and the kind
    /// of store it is (`None` for an in-house sink).
    Sink(String, Option<StoreKind>),
    /// The return value of the file's function, by index.
    Ret(usize),
    /// Argument `.1` of a call.
    Arg(Callee, usize),
    /// Argument `index` of `method` on a receiver typed in the second pass:
    /// a store's key, or an in-tree method's parameter.
    Method {
        /// What the method is called on.
        receiver: Receiver,
        /// The method's name.
        method: String,
        /// How many arguments the call has.
        arity: usize,
        /// Which argument.
        index: usize,
        /// The call as shown in evidence: `cache.get`.
        shown: String,
    },
}

/// A declared type, as far as lint cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeRef {
    /// A store client, by the store table's name for it.
    Store(&'static str),
    /// An in-tree (or unknown) type, by its last path segment.
    Named(String),
}

/// What one file tells the second pass.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub functions: Vec<FnDef>,
    pub edges: Vec<(Origin, Dest)>,
    /// Struct fields and statics: name -> type.
    pub fields: Vec<(String, TypeRef)>,
    /// Functions' return types: name -> type.
    pub returns: Vec<(String, TypeRef)>,
    /// `const`/`static` items holding a string: name -> site index.
    pub consts: Vec<(String, usize)>,
}

impl Facts {
    /// Drops repeated edges, keeping the first of each: a repeat adds
    /// nothing to [`resolve`], and a big `match` can repeat one edge
    /// thousands of times (950,572 edges, most of them repeats, in one
    /// 24,602-file tree's largest file).
    pub fn dedup_edges(&mut self) {
        let mut seen = std::collections::HashSet::with_capacity(self.edges.len());
        self.edges.retain(|edge| seen.insert(edge.clone()));
        self.edges.shrink_to_fit();
    }

    pub fn is_empty(&self) -> bool {
        self.functions.is_empty()
            && self.edges.is_empty()
            && self.fields.is_empty()
            && self.returns.is_empty()
            && self.consts.is_empty()
    }
}

/// Method names too common to resolve to an in-tree method without knowing
/// the receiver's type: `map.get(&k)` is not `Storage::get`.
#[rustfmt::skip]
const COMMON_METHODS: &[&str] = &[
    "get", "get_mut", "insert", "remove", "contains", "contains_key", "push", "push_str",
    "extend", "entry", "send", "write", "read", "set", "take", "replace", "join", "split", "find",
    "map", "parse", "new", "from", "into", "len", "iter", "call", "run", "update", "add",
    "append", "eq", "fmt", "hash", "open", "create", "clear", "with", "build", "finish", "apply",
    "handle", "process", "execute",
];

/// How many functions a call may resolve to and still be followed.
const MAX_CALLEES: usize = 4;

/// The store of a type, for [`stores`] lookups by name.
pub fn store_named(name: &str) -> Option<&'static Store> {
    stores::STORES
        .iter()
        .chain([&stores::BARE_CACHE])
        .find(|s| s.name == name)
}

/// The second pass: for each file, for each of its sites that reaches a
/// store, the evidence text (which store call it reaches). `facts` are in
/// file order.
pub fn resolve(facts: &[&Facts], declared: &DeclaredSinks) -> Vec<HashMap<usize, Reached>> {
    // Global ids.
    let mut fn_base = Vec::with_capacity(facts.len());
    let mut defs: Vec<&FnDef> = Vec::new();
    for f in facts {
        fn_base.push(defs.len());
        defs.extend(f.functions.iter());
    }
    let mut by_name: HashMap<(&str, bool, usize), Vec<usize>> = HashMap::new();
    for (i, d) in defs.iter().enumerate() {
        by_name
            .entry((d.name.as_str(), d.method, d.arity))
            .or_default()
            .push(i);
    }
    let mut field_types: HashMap<&str, Vec<&TypeRef>> = HashMap::new();
    let mut return_types: HashMap<&str, Vec<&TypeRef>> = HashMap::new();
    let mut consts: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (file, f) in facts.iter().enumerate() {
        for (name, ty) in &f.fields {
            field_types.entry(name).or_default().push(ty);
        }
        for (name, ty) in &f.returns {
            return_types.entry(name).or_default().push(ty);
        }
        for (name, site) in &f.consts {
            consts.entry(name).or_default().push((file, *site));
        }
    }
    // Functions by owner too: `Type::new()` is one lookup, not a
    // comparison with the owner of every `new` of the tree for every call
    // (that was 40% of the run on a 24,602-file tree).
    let mut by_owner: HashMap<(&str, bool, usize, &str), Vec<usize>> = HashMap::new();
    for (i, d) in defs.iter().enumerate() {
        if let Some(owner) = &d.owner {
            by_owner
                .entry((d.name.as_str(), d.method, d.arity, owner.as_str()))
                .or_default()
                .push(i);
        }
    }
    // A method of a known type that the tree does not define (a trait's,
    // or one a macro writes) is looked up by name alone.
    // A call that could be any of many functions (`new`, `from` on an
    // unknown receiver) is not followed: it would say nothing, and
    // linking every pair would make the graph quadratic.
    let callees = |callee: &Callee| -> Vec<usize> {
        let key = (callee.name.as_str(), callee.method, callee.arity);
        let Some(found) = by_name.get(&key) else {
            return Vec::new();
        };
        let any_owner: &[usize] = if !callee.method || !COMMON_METHODS.contains(&key.0) {
            found
        } else {
            &[]
        };
        let found: &[usize] = match callee.owner.as_deref() {
            None => any_owner,
            Some(want) => match by_owner.get(&(key.0, key.1, key.2, want)) {
                Some(owned) => owned,
                // A method of a known type that the tree does not define.
                None if callee.method => any_owner,
                None => &[],
            },
        };
        if found.len() > MAX_CALLEES {
            Vec::new()
        } else {
            found.to_vec()
        }
    };

    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum Node {
        Site(usize, usize),
        Param(usize, usize),
        /// A field of a parameter, by the field's index in `fields`.
        ParamField(usize, usize, usize),
        Ret(usize),
    }
    let mut fields: HashMap<String, usize> = HashMap::new();
    // (a parameter, one of its fields): the field's value flows into the
    // parameter as a part.
    let mut param_fields: std::collections::HashSet<(Node, Node)> = Default::default();
    fn field_node(fields: &mut HashMap<String, usize>, d: usize, i: usize, name: &str) -> Node {
        let next = fields.len();
        let id = *fields.entry(name.to_owned()).or_insert(next);
        Node::ParamField(d, i, id)
    }
    // Reverse edges: node -> nodes flowing into it; and the nodes flowing
    // straight into a store, with the store call.
    let mut into: HashMap<Node, Vec<(Node, bool)>> = HashMap::new();
    let mut seeds: Vec<(Node, String, bool, Option<StoreKind>)> = Vec::new();
    for (file, f) in facts.iter().enumerate() {
        let base = fn_base[file];
        for (origin, dest) in &f.edges {
            // Unwrap parts and fields: a field sent into a parameter is
            // that field of the parameter; sent anywhere else, a part.
            let mut origin = origin;
            let mut part = false;
            let mut field: Option<&str> = None;
            loop {
                match origin {
                    Origin::Part(inner) => {
                        part = true;
                        origin = inner;
                    }
                    Origin::Field(name, inner) => {
                        if field.is_none() {
                            field = Some(name);
                        } else {
                            part = true;
                        }
                        origin = inner;
                    }
                    _ => break,
                }
            }
            let from: Vec<Node> = match origin {
                Origin::Part(_) | Origin::Field(..) => Vec::new(),
                Origin::ParamField(func, i, name) => {
                    let node = field_node(&mut fields, base + func, *i, name);
                    param_fields.insert((Node::Param(base + func, *i), node));
                    vec![node]
                }
                Origin::Site(s) => vec![Node::Site(file, *s)],
                Origin::Param(func, i) => vec![Node::Param(base + func, *i)],
                Origin::Ret(callee) => callees(callee).into_iter().map(Node::Ret).collect(),
                Origin::Const(name) => consts
                    .get(name.as_str())
                    .map(|v| v.iter().map(|&(f, s)| Node::Site(f, s)).collect())
                    .unwrap_or_default(),
            };
            if from.is_empty() {
                continue;
            }
            let (to, sink): (Vec<Node>, Option<(String, Option<StoreKind>)>) = match dest {
                Dest::Sink(shown, kind) => (Vec::new(), Some((shown.clone(), *kind))),
                Dest::Ret(func) => (vec![Node::Ret(base + func)], None),
                Dest::Arg(callee, i) => (
                    callees(callee)
                        .into_iter()
                        .map(|d| Node::Param(d, *i))
                        .collect(),
                    None,
                ),
                Dest::Method {
                    receiver,
                    method,
                    arity,
                    index,
                    shown,
                } => {
                    let types: Vec<&TypeRef> = match receiver {
                        Receiver::Field(name) => {
                            field_types.get(name.as_str()).cloned().unwrap_or_default()
                        }
                        Receiver::FnRet(name) => {
                            return_types.get(name.as_str()).cloned().unwrap_or_default()
                        }
                    };
                    let store = types.iter().find_map(|t| match t {
                        TypeRef::Store(s) => store_named(s)
                            .and_then(|st| stores::key_argument(st, method).map(|k| (st, k))),
                        TypeRef::Named(_) => None,
                    });
                    let declared_sink = types.iter().any(|t| {
                        matches!(t, TypeRef::Named(n) if declared.methods.contains(&(n.clone(), method.clone())))
                    });
                    if let Some((store, key)) = store {
                        if key == *index {
                            (
                                Vec::new(),
                                Some((format!("{shown} ({})", store.name), Some(store.kind))),
                            )
                        } else {
                            continue;
                        }
                    } else if declared_sink {
                        if *index == 0 {
                            (Vec::new(), Some((shown.clone(), None)))
                        } else {
                            continue;
                        }
                    } else {
                        let owners: Vec<Option<String>> = {
                            let named: Vec<Option<String>> = types
                                .iter()
                                .filter_map(|t| match t {
                                    TypeRef::Named(n) => Some(Some(n.clone())),
                                    TypeRef::Store(_) => None,
                                })
                                .collect();
                            if named.is_empty() { vec![None] } else { named }
                        };
                        let mut nodes = Vec::new();
                        for owner in owners {
                            let callee = Callee {
                                name: method.clone(),
                                owner,
                                method: true,
                                arity: *arity,
                            };
                            nodes.extend(
                                callees(&callee).into_iter().map(|d| Node::Param(d, *index)),
                            );
                        }
                        (nodes, None)
                    }
                }
            };
            if let Some((shown, kind)) = sink {
                let whole = !part && field.is_none();
                seeds.extend(from.iter().map(|&n| (n, shown.clone(), whole, kind)));
            }
            for t in to {
                let (t, part) = match (t, field) {
                    (Node::Param(d, i), Some(name)) => {
                        let node = field_node(&mut fields, d, i, name);
                        param_fields.insert((Node::Param(d, i), node));
                        (node, part)
                    }
                    (t, Some(_)) => (t, true),
                    (t, None) => (t, part),
                };
                into.entry(t)
                    .or_default()
                    .extend(from.iter().map(|&n| (n, part)));
            }
        }
    }
    for (param, field) in param_fields {
        into.entry(param).or_default().push((field, true));
    }
    // Backwards from the stores. A node reached as a part can be reached
    // again as a whole.
    let mut reached: HashMap<Node, Reached> = HashMap::new();
    let mut queue: VecDeque<Node> = VecDeque::new();
    let better =
        |reached: &mut HashMap<Node, Reached>, node: Node, how: Reached| match reached.get(&node) {
            Some(known) if known.whole || !how.whole => false,
            _ => {
                reached.insert(node, how);
                true
            }
        };
    for (node, shown, whole, store) in seeds {
        let how = Reached {
            shown,
            whole,
            store,
        };
        if better(&mut reached, node, how) {
            queue.push_back(node);
        }
    }
    while let Some(node) = queue.pop_front() {
        let Reached {
            shown,
            whole,
            store,
        } = reached[&node].clone();
        let mut sources: Vec<(Node, bool)> = into.get(&node).cloned().unwrap_or_default();
        // A parameter's field is that field of whatever parameter was
        // passed whole into it.
        if let Node::ParamField(d, i, f) = node
            && let Some(whole_sources) = into.get(&Node::Param(d, i))
        {
            for &(source, part) in whole_sources {
                if let Node::Param(d2, i2) = source {
                    sources.push((Node::ParamField(d2, i2, f), part));
                }
            }
        }
        {
            for (source, part) in sources {
                let via = match node {
                    Node::Ret(d) | Node::Param(d, _) | Node::ParamField(d, _, _)
                        if !shown.contains(" through ") =>
                    {
                        format!("{shown} through `{}`", defs[d].name)
                    }
                    _ => shown.clone(),
                };
                let how = Reached {
                    shown: via,
                    whole: whole && !part,
                    store,
                };
                if better(&mut reached, source, how) {
                    queue.push_back(source);
                }
            }
        }
    }
    let mut out = vec![HashMap::new(); facts.len()];
    for (node, how) in reached {
        if let Node::Site(file, site) = node {
            out[file].insert(site, how);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn callee(name: &str, arity: usize) -> Callee {
        Callee {
            name: name.into(),
            owner: None,
            method: false,
            arity,
        }
    }

    fn def(name: &str, arity: usize) -> FnDef {
        FnDef {
            name: name.into(),
            owner: None,
            method: false,
            arity,
        }
    }

    #[test]
    fn a_wrapper_in_another_file_carries_a_key_to_its_store() {
        // wrap.rs: fn redis_key(s) { format!("{}{}", PREFIX, s) } used
        // with cmd("GET").arg; caller.rs: redis_key(format!("frame:{}", id)).
        let wrapper = Facts {
            functions: vec![def("redis_key", 1)],
            edges: vec![
                (Origin::Param(0, 0), Dest::Ret(0)),
                (Origin::Site(0), Dest::Ret(0)),
            ],
            ..Facts::default()
        };
        let caller = Facts {
            functions: vec![def("save", 1)],
            edges: vec![
                (Origin::Site(0), Dest::Arg(callee("redis_key", 1), 0)),
                // The id interpolated into the key: a part, not a key.
                (
                    Origin::Param(0, 0).part(),
                    Dest::Arg(callee("redis_key", 1), 0),
                ),
                (
                    Origin::Ret(callee("redis_key", 1)),
                    Dest::Sink("cmd(\"GET\").arg (redis)".into(), Some(StoreKind::Redis)),
                ),
            ],
            ..Facts::default()
        };
        let reached = resolve(&[&wrapper, &caller], &DeclaredSinks::default());
        assert!(reached[0][&0].whole);
        let frame = &reached[1][&0];
        assert!(frame.whole);
        assert_eq!(frame.shown, "cmd(\"GET\").arg (redis) through `redis_key`");
        // A callee with another arity is another function.
        let other = Facts {
            edges: vec![(
                Origin::Ret(callee("redis_key", 2)),
                Dest::Sink("x".into(), None),
            )],
            ..Facts::default()
        };
        let reached = resolve(&[&wrapper, &other], &DeclaredSinks::default());
        assert!(reached[0].is_empty());
    }

    #[test]
    fn repeated_edges_are_dropped_keeping_the_first_of_each_in_order() {
        let sink = || Dest::Sink("x".into(), None);
        let mut facts = Facts {
            edges: vec![
                (Origin::Site(1), sink()),
                (Origin::Site(0), Dest::Ret(0)),
                (Origin::Site(1), sink()),
                (Origin::Site(0), Dest::Ret(0)),
                (Origin::Site(2), sink()),
            ],
            ..Facts::default()
        };
        facts.dedup_edges();
        assert_eq!(
            facts.edges,
            vec![
                (Origin::Site(1), sink()),
                (Origin::Site(0), Dest::Ret(0)),
                (Origin::Site(2), sink()),
            ]
        );
    }

    #[test]
    fn a_struct_field_reaches_a_store_only_through_that_field() {
        // upload(Upload { path: "a/b", mime: "text/plain" }) where upload
        // sends `u.path` to S3.
        let facts = Facts {
            functions: vec![def("upload", 1)],
            edges: vec![
                (
                    Origin::Field("path".into(), Box::new(Origin::Site(0))),
                    Dest::Arg(callee("upload", 1), 0),
                ),
                (
                    Origin::Field("mime".into(), Box::new(Origin::Site(1))),
                    Dest::Arg(callee("upload", 1), 0),
                ),
                (
                    Origin::ParamField(0, 0, "path".into()),
                    Dest::Sink(
                        "key (aws-sdk-s3)".into(),
                        Some(StoreKind::ObjectStore(crate::lint::limits::ObjectStore::S3)),
                    ),
                ),
            ],
            ..Facts::default()
        };
        let reached = resolve(&[&facts], &DeclaredSinks::default());
        assert!(reached[0].contains_key(&0));
        assert!(!reached[0].contains_key(&1));
    }
}
