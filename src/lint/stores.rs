//! The store table: the APIs Rust services keep keys in, and which
//! argument of each is the key.
//!
//! A string is a key because it reaches one of these, not because of its
//! shape or of the names around it. Whether a receiver is a store is read
//! from its declared type (a struct field, a `let` annotation, a parameter,
//! a constructor such as `Cache::new` or `redis::Client::open`, a function's
//! return type), never from its name: see [`StoreIndex`]. Types are
//! matched by name, through the file's `use` lines when the name alone is
//! too common (`Client`, `Pool`, `Path`, `DB`).

use std::collections::{HashMap, HashSet};

use super::limits::{ObjectStore, StoreKind};

/// One store API.
#[derive(Debug)]
pub struct Store {
    /// Shown in evidence: `redis`, `moka`.
    pub name: &'static str,
    /// Crate paths a type must come from when its name is common.
    pub crates: &'static [&'static str],
    /// Type (or trait) names distinctive enough on their own.
    pub distinctive: &'static [&'static str],
    /// Type names that count only from one of `crates`.
    pub common: &'static [&'static str],
    /// Methods and the index of their key argument.
    pub methods: &'static [(&'static str, usize)],
    /// What kind of store it is: which key limits apply (see
    /// [`super::limits`]).
    pub kind: StoreKind,
}

/// Redis commands as methods (`Commands`, `AsyncCommands`, fred, pipelines).
#[rustfmt::skip]
const REDIS_METHODS: &[(&str, usize)] = &[
    ("get", 0), ("set", 0), ("set_ex", 0), ("set_nx", 0), ("pset_ex", 0), ("set_options", 0),
    ("get_ex", 0), ("get_del", 0), ("getset", 0), ("mget", 0), ("mset", 0), ("del", 0),
    ("unlink", 0), ("exists", 0), ("expire", 0), ("pexpire", 0), ("expire_at", 0),
    ("persist", 0), ("ttl", 0), ("pttl", 0), ("incr", 0), ("decr", 0), ("incr_by", 0),
    ("append", 0), ("strlen", 0), ("hget", 0), ("hset", 0), ("hset_nx", 0), ("hset_multiple", 0),
    ("hdel", 0), ("hgetall", 0), ("hmget", 0), ("hincr", 0), ("hexists", 0), ("hkeys", 0),
    ("hvals", 0), ("hlen", 0), ("lpush", 0), ("rpush", 0), ("lpop", 0), ("rpop", 0),
    ("lrange", 0), ("llen", 0), ("ltrim", 0), ("sadd", 0), ("srem", 0), ("smembers", 0),
    ("sismember", 0), ("scard", 0), ("zadd", 0), ("zrem", 0), ("zrange", 0), ("zrangebyscore", 0),
    ("zscore", 0), ("zcard", 0), ("zincr", 0), ("xadd", 0), ("xrange", 0), ("xread", 0),
    ("xtrim", 0), ("pfadd", 0), ("rename", 0), ("touch", 0), ("getdel", 0), ("setex", 0),
    ("setnx", 0), ("psetex", 0), ("expireat", 0), ("hincrby", 0), ("incrby", 0),
    // A Lua script's keys: `Script::new(lua).key(k)`.
    ("key", 0),
];

/// The built-in table (README "What lint sees" lists it).
#[rustfmt::skip]
pub const STORES: &[Store] = &[
    Store {
        name: "redis",
        crates: &["redis", "deadpool_redis", "bb8_redis", "r2d2_redis", "mobc_redis"],
        distinctive: &[
            "MultiplexedConnection", "ConnectionManager", "ClusterConnection", "ClusterClient",
            "AsyncCommands", "RedisConnectionManager", "ConnectionLike", "Pipeline",
        ],
        common: &[
            "Client", "Connection", "Commands", "Pool", "Cmd", "PooledConnection", "Script",
            "ScriptInvocation",
        ],
        methods: REDIS_METHODS,
        kind: StoreKind::Redis,
},
    Store {
        name: "fred",
        crates: &["fred"],
        distinctive: &["RedisClient", "RedisPool", "KeysInterface", "HashesInterface"],
        common: &["Client", "Pool"],
        methods: REDIS_METHODS,
        kind: StoreKind::Redis,
},
    Store {
        name: "memcache",
        crates: &["memcache", "async_memcached"],
        distinctive: &[],
        common: &["Client"],
        methods: &[
            ("get", 0), ("set", 0), ("add", 0), ("replace", 0), ("delete", 0), ("increment", 0),
            ("decrement", 0), ("touch", 0), ("append", 0), ("prepend", 0), ("cas", 0),
            ("gets", 0),
        ],
        kind: StoreKind::Memcached,
},
    Store {
        name: "moka",
        crates: &["moka", "mini_moka", "quick_cache", "cached"],
        distinctive: &["SegmentedCache", "SizedCache", "TimedCache", "TimedSizedCache", "UnboundCache"],
        common: &["Cache"],
        methods: &[
            ("get", 0), ("insert", 0), ("invalidate", 0), ("remove", 0), ("get_with", 0),
            ("try_get_with", 0), ("optionally_get_with", 0), ("get_with_by_ref", 0),
            ("try_get_with_by_ref", 0), ("entry", 0), ("entry_by_ref", 0), ("contains_key", 0),
            ("get_or_insert_with", 0), ("get_value_or_guard", 0), ("get_value_or_guard_async", 0),
            ("peek", 0), ("replace", 0), ("cache_get", 0), ("cache_set", 0), ("cache_remove", 0),
            ("cache_get_mut", 0), ("cache_get_or_set_with", 0),
        ],
        kind: StoreKind::InMemory,
},
    Store {
        name: "lru",
        crates: &["lru", "lru_time_cache", "schnellru", "clru"],
        distinctive: &["LruCache", "LruMap"],
        common: &[],
        methods: &[
            ("get", 0), ("get_mut", 0), ("put", 0), ("push", 0), ("pop", 0), ("peek", 0),
            ("peek_mut", 0), ("contains", 0), ("contains_key", 0), ("insert", 0), ("remove", 0),
            ("get_or_insert", 0), ("get_or_insert_mut", 0), ("promote", 0), ("demote", 0),
            ("entry", 0),
        ],
        kind: StoreKind::InMemory,
},
    Store {
        name: "opendal",
        crates: &["opendal"],
        distinctive: &["BlockingOperator"],
        common: &["Operator"],
        methods: &[
            ("read", 0), ("read_with", 0), ("write", 0), ("write_with", 0), ("delete", 0),
            ("stat", 0), ("stat_with", 0), ("exists", 0), ("is_exist", 0), ("list", 0),
            ("list_with", 0), ("reader", 0), ("writer", 0), ("writer_with", 0),
            ("remove_all", 0), ("create_dir", 0), ("copy", 0), ("rename", 0),
        ],
        kind: StoreKind::ObjectStore(ObjectStore::Any),
},
    Store {
        name: "object_store",
        crates: &["object_store"],
        distinctive: &["ObjectStore", "AmazonS3", "GoogleCloudStorage", "MicrosoftAzure"],
        common: &[],
        // Keys are `Path`s (see [`FREE_SINKS`]); a key passed with
        // `.into()` to an `ObjectStore` method is one too.
        methods: &[
            ("get", 0), ("get_opts", 0), ("get_range", 0), ("get_ranges", 0), ("head", 0),
            ("put", 0), ("put_opts", 0), ("put_multipart", 0), ("put_multipart_opts", 0),
            ("delete", 0), ("list", 0), ("list_with_delimiter", 0), ("copy", 0), ("rename", 0),
            ("copy_if_not_exists", 0), ("rename_if_not_exists", 0),
        ],
        kind: StoreKind::ObjectStore(ObjectStore::Any),
},
    Store {
        name: "rocksdb",
        crates: &["rocksdb"],
        distinctive: &["DBWithThreadMode", "OptimisticTransactionDB", "TransactionDB", "WriteBatch"],
        common: &["DB", "Transaction"],
        methods: &[
            ("put", 0), ("get", 0), ("delete", 0), ("merge", 0), ("get_pinned", 0),
            ("key_may_exist", 0), ("prefix_iterator", 0), ("put_cf", 1), ("get_cf", 1),
            ("delete_cf", 1), ("merge_cf", 1), ("get_pinned_cf", 1), ("prefix_iterator_cf", 1),
        ],
        kind: StoreKind::Embedded,
},
    Store {
        name: "sled",
        crates: &["sled"],
        distinctive: &[],
        common: &["Db", "Tree"],
        methods: &[
            ("insert", 0), ("get", 0), ("remove", 0), ("contains_key", 0),
            ("compare_and_swap", 0), ("fetch_and_update", 0), ("update_and_fetch", 0),
            ("scan_prefix", 0), ("open_tree", 0), ("drop_tree", 0),
        ],
        kind: StoreKind::Embedded,
},
];

/// A bare `Cache` of unknown crate: the calls of every cache API.
#[rustfmt::skip]
pub static BARE_CACHE: Store = Store {
    name: "cache",
    crates: &[],
    distinctive: &[],
    common: &[],
    methods: &[
        ("get", 0), ("set", 0), ("set_ex", 0), ("insert", 0), ("put", 0), ("add", 0),
        ("replace", 0), ("del", 0), ("delete", 0), ("remove", 0), ("invalidate", 0),
        ("exists", 0), ("contains_key", 0), ("expire", 0), ("touch", 0), ("incr", 0),
        ("decr", 0), ("increment", 0), ("decrement", 0), ("append", 0), ("prepend", 0),
        ("cas", 0), ("ttl", 0), ("get_with", 0), ("try_get_with", 0),
        ("optionally_get_with", 0), ("get_or_insert_with", 0), ("entry", 0),
    ],
    // Which crate's, nothing says: the catalogue's target decides.
    kind: StoreKind::Unknown,
};

/// Free functions and associated functions whose argument is a key:
/// `(crate, type, function, argument)`. object_store keys are `Path`s.
pub const FREE_SINKS: &[(&str, &str, &str, usize)] = &[
    ("object_store", "Path", "from", 0),
    ("object_store", "Path", "parse", 0),
    ("object_store", "Path", "from_url_path", 0),
];

/// aws-sdk-s3: builder methods whose argument is an object key, on a chain
/// that starts with one of the operations below.
pub const S3_KEY_METHODS: &[&str] = &["key", "prefix", "copy_source", "start_after"];

#[rustfmt::skip]
pub const S3_OPERATIONS: &[&str] = &[
    "get_object", "put_object", "delete_object", "head_object", "list_objects_v2",
    "list_objects", "copy_object", "create_multipart_upload", "upload_part",
    "complete_multipart_upload", "abort_multipart_upload", "get_object_attributes",
    "get_object_tagging", "put_object_tagging", "restore_object", "upload_part_copy",
];

/// Redis commands whose first argument is a key (not `EVAL`, `PUBLISH`,
/// `CONFIG` and the like, whose first argument is a script or a name).
#[rustfmt::skip]
pub const KEY_COMMANDS: &[&str] = &[
    "GET", "SET", "SETEX", "SETNX", "PSETEX", "GETSET", "GETEX", "GETDEL", "DEL", "UNLINK",
    "EXISTS", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "TTL", "PTTL", "PERSIST", "TYPE",
    "TOUCH", "INCR", "INCRBY", "INCRBYFLOAT", "DECR", "DECRBY", "APPEND", "STRLEN", "GETRANGE",
    "SETRANGE", "HGET", "HSET", "HSETNX", "HDEL", "HGETALL", "HMGET", "HMSET", "HINCRBY",
    "HEXISTS", "HKEYS", "HVALS", "HLEN", "LPUSH", "RPUSH", "LPOP", "RPOP", "LRANGE", "LLEN",
    "LTRIM", "LREM", "LINDEX", "LSET", "SADD", "SREM", "SMEMBERS", "SISMEMBER", "SCARD", "SPOP",
    "ZADD", "ZREM", "ZRANGE", "ZRANGEBYSCORE", "ZREMRANGEBYSCORE", "ZSCORE", "ZCARD", "ZINCRBY",
    "ZCOUNT", "ZRANK", "MGET", "DUMP", "RESTORE", "RENAME", "XADD", "XRANGE", "XREVRANGE",
    "XLEN", "XTRIM", "XDEL", "PFADD", "PFCOUNT", "BITFIELD", "SETBIT", "GETBIT", "WATCH",
];

/// Whether a redis command (as passed to `cmd("..")`) takes a key first.
pub fn is_key_command(command: &str) -> bool {
    KEY_COMMANDS.iter().any(|c| c.eq_ignore_ascii_case(command))
}

/// Wrappers a store is held in: `Arc<Mutex<LruCache<..>>>` is an `LruCache`.
pub const WRAPPERS: &[&str] = &[
    "Arc", "Rc", "Box", "Mutex", "RwLock", "RefCell", "Cell", "Option", "OnceCell", "OnceLock",
    "Lazy", "LazyLock",
];

/// What a file's `use` lines make of a single name: `Client` ->
/// `redis::Client`.
pub type Uses = HashMap<String, String>;

/// The store a type is, from the idents of its path (`redis::Client`, or
/// `Client` with `use redis::Client`), looking through generic arguments.
/// `idents` are the type's path segments and generic arguments, in order.
pub fn store_of_type(paths: &[Vec<String>], uses: &Uses) -> Option<&'static Store> {
    paths.iter().find_map(|path| store_of_path(path, uses))
}

/// The store one type path names.
pub fn store_of_path(path: &[String], uses: &Uses) -> Option<&'static Store> {
    let last = path.last()?;
    let full: Vec<String> = match path.first().and_then(|first| uses.get(first)) {
        Some(resolved) => resolved
            .split("::")
            .map(str::to_owned)
            .chain(path.iter().skip(1).cloned())
            .collect(),
        None => path.to_vec(),
    };
    let root = full.first().map(String::as_str).unwrap_or_default();
    let last = full.last().unwrap_or(last);
    // A bare `Cache` no `use` line names (a glob import or a prelude) is
    // the cache crates' type.
    if full.len() == 1 && last == "Cache" {
        return Some(&BARE_CACHE);
    }
    STORES.iter().find(|store| {
        store.distinctive.contains(&last.as_str())
            || (store.common.contains(&last.as_str()) && store.crates.contains(&root))
    })
}

/// A store's key argument for `method`, if the method takes a key.
pub fn key_argument(store: &Store, method: &str) -> Option<usize> {
    store
        .methods
        .iter()
        .find(|(m, _)| *m == method)
        .map(|&(_, i)| i)
}

/// The free sink a call path names (`Path::from` from object_store).
pub fn free_sink(path: &[String], uses: &Uses) -> Option<(&'static str, usize)> {
    let function = path.last()?;
    let ty = path.get(path.len().checked_sub(2)?)?;
    let crate_of_type = match path.first().and_then(|first| uses.get(first)) {
        Some(resolved) => resolved.split("::").next().unwrap_or_default().to_owned(),
        None => path.first().cloned().unwrap_or_default(),
    };
    FREE_SINKS
        .iter()
        .find(|(krate, t, f, _)| {
            t == ty
                && f == function
                && (crate_of_type == *krate || path.len() > 2 && path[0] == *krate)
        })
        .map(|&(krate, _, _, i)| (krate, i))
}

/// In-house sinks from the catalogue's `lint: sinks:`, matched on their
/// last one or two path segments (`Storage::get` matches `storage.get(..)`
/// only when the receiver's type is `Storage`, `crate::store::put` matches
/// `put(..)` and `store::put(..)`).
#[derive(Debug, Default, Clone)]
pub struct DeclaredSinks {
    /// Free functions by name.
    pub functions: HashSet<String>,
    /// Methods: `(type, method)`.
    pub methods: HashSet<(String, String)>,
}

impl DeclaredSinks {
    /// The sinks the catalogue's `lint.sinks` declares, as `path::to::fn` strings.
    pub fn new(paths: &[String]) -> DeclaredSinks {
        let mut sinks = DeclaredSinks::default();
        for path in paths {
            let segments: Vec<&str> = path.split("::").collect();
            let Some(last) = segments.last() else {
                continue;
            };
            let owner = segments
                .len()
                .checked_sub(2)
                .map(|i| segments[i])
                .filter(|s| s.starts_with(|c: char| c.is_ascii_uppercase()));
            match owner {
                Some(ty) => {
                    sinks.methods.insert((ty.to_owned(), (*last).to_owned()));
                }
                None => {
                    sinks.functions.insert((*last).to_owned());
                }
            }
        }
        sinks
    }

    /// Whether none are declared.
    pub fn is_empty(&self) -> bool {
        self.functions.is_empty() && self.methods.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        text.split("::").map(str::to_owned).collect()
    }

    #[test]
    fn types_by_name_and_crate() {
        let mut uses = Uses::new();
        assert_eq!(
            store_of_path(&path("redis::Client"), &uses).unwrap().name,
            "redis"
        );
        assert!(store_of_path(&path("Client"), &uses).is_none());
        assert_eq!(store_of_path(&path("Cache"), &uses).unwrap().name, "cache");
        uses.insert("Cache".into(), "crate::stats::Cache".into());
        assert!(store_of_path(&path("Cache"), &uses).is_none());
        assert!(store_of_path(&path("reqwest::Client"), &uses).is_none());
        uses.insert("Client".into(), "memcache::Client".into());
        assert_eq!(
            store_of_path(&path("Client"), &uses).unwrap().name,
            "memcache"
        );
        assert_eq!(
            store_of_path(&path("LruCache"), &Uses::new()).unwrap().name,
            "lru"
        );
        uses.insert("moka".into(), "moka".into());
        assert_eq!(
            store_of_path(&path("moka::sync::Cache"), &uses)
                .unwrap()
                .name,
            "moka"
        );
        assert!(store_of_path(&path("HashMap"), &uses).is_none());
    }

    #[test]
    fn key_arguments() {
        let rocks = STORES.iter().find(|s| s.name == "rocksdb").unwrap();
        assert_eq!(key_argument(rocks, "put_cf"), Some(1));
        assert_eq!(key_argument(rocks, "iterator"), None);
        assert!(is_key_command("hset") && !is_key_command("PUBLISH"));
    }

    #[test]
    fn declared_sinks() {
        let sinks = DeclaredSinks::new(&["crate::store::put".into(), "Storage::get".into()]);
        assert!(sinks.functions.contains("put"));
        assert!(sinks.methods.contains(&("Storage".into(), "get".into())));
    }
}
