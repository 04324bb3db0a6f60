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

mod hash;
mod name;

use std::collections::{HashMap, VecDeque};

use hash::{FxHashMap, FxHashSet};

pub use name::Name;

use super::limits::StoreKind;
use super::stores::{self, DeclaredSinks, Store};

/// A function defined in the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnDef {
    pub name: Name,
    /// The type of the `impl` it is in (its last path segment).
    pub owner: Option<Name>,
    /// Takes `self`.
    pub method: bool,
    /// Parameters, `self` not counted.
    pub arity: usize,
}

/// A call whose callee is resolved in the second pass.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Callee {
    pub name: Name,
    /// `Type` in `Type::f(..)`, or the receiver's in-tree type when known.
    pub owner: Option<Name>,
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
    Const(Name),
    /// Part of a value: a value interpolated into a key is part of the
    /// key, not a key of its own.
    Part(Box<Origin>),
    /// What was put in one field of a struct literal.
    Field(Name, Box<Origin>),
    /// One field of a parameter: `upload.path`.
    ParamField(usize, usize, Name),
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
    Field(Name),
    /// What a function returns: `get_conn().await?`.
    FnRet(Name),
}

/// Where a value goes, within one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Dest {
    /// A store; the text says which call, for the evidence, and the kind
    /// of store it is (`None` for an in-house sink).
    Sink(Name, Option<StoreKind>),
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
        method: Name,
        /// How many arguments the call has.
        arity: usize,
        /// Which argument.
        index: usize,
        /// The call as shown in evidence: `cache.get`.
        shown: Name,
    },
}

/// A declared type, as far as lint cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeRef {
    /// A store client, by the store table's name for it.
    Store(&'static str),
    /// An in-tree (or unknown) type, by its last path segment.
    Named(Name),
}

/// What one file tells the second pass.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub functions: Vec<FnDef>,
    pub edges: Vec<(Origin, Dest)>,
    /// Struct fields and statics: name -> type.
    pub fields: Vec<(Name, TypeRef)>,
    /// Functions' return types: name -> type.
    pub returns: Vec<(Name, TypeRef)>,
    /// `const`/`static` items holding a string: name -> site index.
    pub consts: Vec<(Name, usize)>,
    /// The edges so far, while the file is read (see [`Facts::add_edge`]).
    seen: FxHashSet<(Origin, Dest)>,
}

impl Facts {
    /// Adds an edge unless it is already there: a repeat adds nothing to
    /// [`resolve`], and a big `match` can repeat one edge thousands of
    /// times (950,572 edges, most of them repeats, in one 24,602-file
    /// tree's largest file). Dropping repeats as they come, rather than
    /// after the file, keeps that file from holding them all at once.
    pub fn add_edge(&mut self, origin: Origin, dest: Dest) {
        let edge = (origin, dest);
        if !self.seen.contains(&edge) {
            self.seen.insert(edge.clone());
            self.edges.push(edge);
        }
    }

    /// Frees what only reading the file needed: the facts of every
    /// candidate file are held until the second pass.
    pub fn finish(&mut self) {
        self.seen = FxHashSet::default();
        self.edges.shrink_to_fit();
        self.functions.shrink_to_fit();
        self.fields.shrink_to_fit();
        self.returns.shrink_to_fit();
        self.consts.shrink_to_fit();
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
    let by_name = Index::new(
        defs.iter()
            .enumerate()
            .map(|(i, d)| ((d.name, d.method, d.arity), i)),
    );
    let field_types = Index::new(
        facts
            .iter()
            .flat_map(|f| f.fields.iter().map(|(n, t)| (*n, t))),
    );
    let return_types = Index::new(
        facts
            .iter()
            .flat_map(|f| f.returns.iter().map(|(n, t)| (*n, t))),
    );
    let mut consts: FxHashMap<Name, Vec<(usize, usize)>> = FxHashMap::default();
    for (file, f) in facts.iter().enumerate() {
        for (name, site) in &f.consts {
            consts.entry(*name).or_default().push((file, *site));
        }
    }
    // Functions by owner too: `Type::new()` is one lookup, not a
    // comparison with the owner of every `new` of the tree for every call
    // (that was 40% of the run on a 24,602-file tree).
    let by_owner = Index::new(defs.iter().enumerate().filter_map(|(i, d)| {
        let owner = d.owner?;
        Some(((d.name, d.method, d.arity, owner), i))
    }));
    // A method of a known type that the tree does not define (a trait's,
    // or one a macro writes) is looked up by name alone.
    // A call that could be any of many functions (`new`, `from` on an
    // unknown receiver) is not followed: it would say nothing, and
    // linking every pair would make the graph quadratic.
    let common: FxHashSet<Name> = COMMON_METHODS.iter().map(|m| Name::new(m)).collect();
    let callees = |callee: &Callee| -> &[usize] {
        let key = (callee.name, callee.method, callee.arity);
        let found = by_name.get(&key);
        if found.is_empty() {
            return &[];
        }
        let any_owner: &[usize] = if !callee.method || !common.contains(&key.0) {
            found
        } else {
            &[]
        };
        let found: &[usize] = match callee.owner {
            None => any_owner,
            Some(want) => match by_owner.get(&(key.0, key.1, key.2, want)) {
                [] if callee.method => any_owner,
                // A method of a known type that the tree does not define.
                [] => &[],
                owned => owned,
            },
        };
        if found.len() > MAX_CALLEES {
            &[]
        } else {
            found
        }
    };

    // Indices as `u32`: the graph holds millions of nodes, and a node of
    // three `usize`s is twice the size.
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum Node {
        /// Site `.1` of file `.0`.
        Site(u32, u32),
        /// Parameter `.1` of function `.0`.
        Param(u32, u32),
        /// A field of a parameter, by the field's index in `fields`.
        ParamField(u32, u32, u32),
        Ret(u32),
    }
    /// Where a value flowing into a node comes from: a node, or the
    /// origin of edge `.1` of file `.0`, expanded when needed.
    #[derive(Clone, Copy)]
    enum Source {
        Node(Node),
        Edge(u32, u32),
    }
    let id = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    let mut fields: FxHashMap<Name, u32> = FxHashMap::default();
    // (a parameter, one of its fields): the field's value flows into the
    // parameter as a part.
    let mut param_fields: FxHashSet<(Node, Node)> = Default::default();
    fn field_node(fields: &mut FxHashMap<Name, u32>, d: u32, i: u32, name: Name) -> Node {
        let next = u32::try_from(fields.len()).unwrap_or(u32::MAX);
        let id = *fields.entry(name).or_insert(next);
        Node::ParamField(d, i, id)
    }
    // Reverse edges: node -> where the values flowing into it come from;
    // and the edges flowing straight into a store, with the store call.
    // An edge's origin is kept as the edge and expanded into nodes (the
    // functions a call may be, the sites of a constant) only when the walk
    // below reaches its destination: expanding all of them up front made
    // 2.3 million entries from 400,000 edges, the peak of a whole run.
    let mut into: FxHashMap<Node, Vec<(Source, bool)>> = FxHashMap::default();
    let mut seeds: Vec<(Source, How)> = Vec::new();
    for (file, f) in facts.iter().enumerate() {
        let base = fn_base[file];
        for (e, (origin, dest)) in f.edges.iter().enumerate() {
            let (origin, part, field) = unwrap_origin(origin);
            let from_any = match origin {
                Origin::Part(_) | Origin::Field(..) => false,
                Origin::ParamField(func, i, name) => {
                    let node = field_node(&mut fields, id(base + func), id(*i), *name);
                    param_fields.insert((Node::Param(id(base + func), id(*i)), node));
                    true
                }
                Origin::Site(_) | Origin::Param(..) => true,
                Origin::Ret(callee) => !callees(callee).is_empty(),
                Origin::Const(name) => consts.contains_key(name),
            };
            if !from_any {
                continue;
            }
            let edge = Source::Edge(id(file), id(e));
            let (to, sink): (Vec<Node>, Option<(Name, Option<StoreKind>)>) = match dest {
                Dest::Sink(shown, kind) => (Vec::new(), Some((*shown, *kind))),
                Dest::Ret(func) => (vec![Node::Ret(id(base + func))], None),
                Dest::Arg(callee, i) => (
                    callees(callee)
                        .iter()
                        .map(|&d| Node::Param(id(d), id(*i)))
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
                        Receiver::Field(name) => field_types.get(name).to_vec(),
                        Receiver::FnRet(name) => return_types.get(name).to_vec(),
                    };
                    let store = types.iter().find_map(|t| match t {
                        TypeRef::Store(s) => store_named(s)
                            .and_then(|st| stores::key_argument(st, method).map(|k| (st, k))),
                        TypeRef::Named(_) => None,
                    });
                    let declared_sink = types.iter().any(|t| {
                        matches!(t, TypeRef::Named(n) if declared.methods.iter().any(|(ty, m)| *n == **ty && *method == **m))
                    });
                    if let Some((store, key)) = store {
                        if key == *index {
                            (
                                Vec::new(),
                                Some((
                                    Name::new(&format!("{shown} ({})", store.name)),
                                    Some(store.kind),
                                )),
                            )
                        } else {
                            continue;
                        }
                    } else if declared_sink {
                        if *index == 0 {
                            (Vec::new(), Some((*shown, None)))
                        } else {
                            continue;
                        }
                    } else {
                        let owners: Vec<Option<Name>> = {
                            let named: Vec<Option<Name>> = types
                                .iter()
                                .filter_map(|t| match t {
                                    TypeRef::Named(n) => Some(Some(*n)),
                                    TypeRef::Store(_) => None,
                                })
                                .collect();
                            if named.is_empty() { vec![None] } else { named }
                        };
                        let mut nodes = Vec::new();
                        for owner in owners {
                            let callee = Callee {
                                name: *method,
                                owner,
                                method: true,
                                arity: *arity,
                            };
                            nodes.extend(
                                callees(&callee)
                                    .iter()
                                    .map(|&d| Node::Param(id(d), id(*index))),
                            );
                        }
                        (nodes, None)
                    }
                }
            };
            if let Some((shown, kind)) = sink {
                let how = How {
                    sink: shown,
                    through: None,
                    whole: !part && field.is_none(),
                    store: kind,
                };
                seeds.push((edge, how));
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
                into.entry(t).or_default().push((edge, part));
            }
        }
    }
    for (param, field) in param_fields {
        into.entry(param)
            .or_default()
            .push((Source::Node(field), true));
    }
    // The nodes a source stands for.
    let expand = |source: Source| -> Vec<Node> {
        let (file, e) = match source {
            Source::Node(node) => return vec![node],
            Source::Edge(file, e) => (file as usize, e as usize),
        };
        let base = fn_base[file];
        match unwrap_origin(&facts[file].edges[e].0).0 {
            Origin::Part(_) | Origin::Field(..) => Vec::new(),
            Origin::ParamField(func, i, name) => fields
                .get(name)
                .map(|&f| vec![Node::ParamField(id(base + func), id(*i), f)])
                .unwrap_or_default(),
            Origin::Site(s) => vec![Node::Site(id(file), id(*s))],
            Origin::Param(func, i) => vec![Node::Param(id(base + func), id(*i))],
            Origin::Ret(callee) => callees(callee).iter().map(|&d| Node::Ret(id(d))).collect(),
            Origin::Const(name) => consts
                .get(name)
                .map(|v| v.iter().map(|&(f, s)| Node::Site(id(f), id(s))).collect())
                .unwrap_or_default(),
        }
    };
    // Backwards from the stores. A node reached as a part can be reached
    // again as a whole.
    let mut reached: FxHashMap<Node, How> = FxHashMap::default();
    let mut queue: VecDeque<Node> = VecDeque::new();
    let better = |reached: &mut FxHashMap<Node, How>, node: Node, how: How| match reached.get(&node)
    {
        Some(known) if known.whole || !how.whole => false,
        _ => {
            reached.insert(node, how);
            true
        }
    };
    for (source, how) in seeds {
        for node in expand(source) {
            if better(&mut reached, node, how) {
                queue.push_back(node);
            }
        }
    }
    while let Some(node) = queue.pop_front() {
        let how = reached[&node];
        let mut sources: Vec<(Node, bool)> = Vec::new();
        for &(source, part) in into.get(&node).map_or(&[][..], Vec::as_slice) {
            sources.extend(expand(source).into_iter().map(|n| (n, part)));
        }
        // A parameter's field is that field of whatever parameter was
        // passed whole into it.
        if let Node::ParamField(d, i, f) = node
            && let Some(whole_sources) = into.get(&Node::Param(d, i))
        {
            for &(source, part) in whole_sources {
                for source in expand(source) {
                    if let Node::Param(d2, i2) = source {
                        sources.push((Node::ParamField(d2, i2, f), part));
                    }
                }
            }
        }
        for (source, part) in sources {
            let through = match node {
                Node::Ret(d) | Node::Param(d, _) | Node::ParamField(d, _, _) => {
                    how.through.or(Some(d))
                }
                Node::Site(..) => how.through,
            };
            let next = How {
                through,
                whole: how.whole && !part,
                ..how
            };
            if better(&mut reached, source, next) {
                queue.push_back(source);
            }
        }
    }
    let mut out = vec![HashMap::new(); facts.len()];
    for (node, how) in reached {
        if let Node::Site(file, site) = node {
            let shown = match how.through {
                Some(d) => format!("{} through `{}`", how.sink, defs[d as usize].name),
                None => how.sink.to_string(),
            };
            let reached = Reached {
                shown,
                whole: how.whole,
                store: how.store,
            };
            out[file as usize].insert(site as usize, reached);
        }
    }
    out
}

/// A multimap built once and read many times: its entries sorted by key,
/// so that the values of a key are one slice, in the order they came,
/// found through a hash of each distinct key. A `HashMap` of `Vec`s costs
/// an allocation per key: tens of MB for the 140,000 functions of a large
/// tree; two binary searches per lookup were most of the second pass.
struct Index<K, V> {
    slices: FxHashMap<K, (u32, u32)>,
    values: Vec<V>,
}

impl<K: Ord + std::hash::Hash + Copy, V> Index<K, V> {
    fn new(entries: impl Iterator<Item = (K, V)>) -> Self {
        let mut entries: Vec<(K, V)> = entries.collect();
        // Stable: equal keys keep their order.
        entries.sort_by_key(|a| a.0);
        let mut slices: FxHashMap<K, (u32, u32)> = FxHashMap::default();
        let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        let mut values = Vec::with_capacity(entries.len());
        for (i, (key, value)) in entries.into_iter().enumerate() {
            slices.entry(key).or_insert((at(i), at(i))).1 = at(i + 1);
            values.push(value);
        }
        Index { slices, values }
    }

    fn get(&self, key: &K) -> &[V] {
        match self.slices.get(key) {
            Some(&(start, end)) => &self.values[start as usize..end as usize],
            None => &[],
        }
    }
}

/// An origin without its `Part` and `Field` wrappers, whether it was a
/// part, and the field it was, if one: a field sent into a parameter is
/// that field of the parameter; sent anywhere else, a part.
fn unwrap_origin(mut origin: &Origin) -> (&Origin, bool, Option<Name>) {
    let mut part = false;
    let mut field = None;
    loop {
        match origin {
            Origin::Part(inner) => {
                part = true;
                origin = inner;
            }
            Origin::Field(name, inner) => {
                if field.is_none() {
                    field = Some(*name);
                } else {
                    part = true;
                }
                origin = inner;
            }
            _ => return (origin, part, field),
        }
    }
}

/// How a node of the graph reaches a store, while walking it: the store
/// call, and the first function the value goes through on the way (the
/// evidence names one, not the whole chain).
#[derive(Clone, Copy)]
struct How {
    sink: Name,
    through: Option<u32>,
    whole: bool,
    store: Option<StoreKind>,
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
        let mut facts = Facts::default();
        for (origin, dest) in [
            (Origin::Site(1), sink()),
            (Origin::Site(0), Dest::Ret(0)),
            (Origin::Site(1), sink()),
            (Origin::Site(0), Dest::Ret(0)),
            (Origin::Site(2), sink()),
        ] {
            facts.add_edge(origin, dest);
        }
        facts.finish();
        assert!(facts.seen.is_empty());
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
