//! What each store accepts as a key, so that a length or character claim
//! is made against the store the key really goes to.
//!
//! memcached's 250 bytes and its ban on whitespace are memcached's: a Redis
//! key may be 512 MB of any bytes, an S3 object key 1,024 bytes, and a key
//! of an in-memory map or an embedded database anything at all. Claiming
//! memcached's limits for every key is how a lint ends up switched off.

use crate::catalogue::Target;

/// The kind of store a key reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StoreKind {
    /// redis-rs, fred, deadpool-redis, bb8-redis.
    Redis,
    /// The memcache crate.
    Memcached,
    /// S3, GCS, Azure Blob or an `object_store` path.
    ObjectStore(ObjectStore),
    /// rocksdb, sled: any bytes, no practical limit.
    Embedded,
    /// moka, mini-moka, quick_cache, lru, cached, a map.
    InMemory,
    /// A store whose kind the code does not show.
    Unknown,
}

/// Which object store: each has its own key limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObjectStore {
    S3,
    Gcs,
    AzureBlob,
    /// `object_store::path::Path` or opendal: whichever backend it is,
    /// S3, GCS and Azure all stop at 1,024.
    Any,
}

/// The rules a store's keys must follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The store, as messages name it: `memcached`, `S3`.
    pub store: &'static str,
    /// The longest key in bytes, when the store has a limit a key can
    /// plausibly reach.
    pub max_len: Option<usize>,
    /// Whether whitespace and control characters are refused (memcached's
    /// text protocol ends a key at a space or a newline).
    pub forbids_whitespace: bool,
    /// Whether a value of unknown length is itself a finding. Under
    /// memcached's 250 bytes it is: ordinary input (a search query, a URL)
    /// passes that. Object-store keys are paths of identifiers, and 1,024
    /// bytes is reached only by values whose bounds show it, so there only
    /// a proven length is reported.
    pub unbounded_overflows: bool,
}

/// memcached's key limit in bytes.
pub const MEMCACHED_MAX_LEN: usize = 250;

/// S3's, GCS's and Azure Blob's key limit in bytes.
pub const OBJECT_STORE_MAX_LEN: usize = 1024;

impl StoreKind {
    /// This store's rules; `None` for a store with no rule a key written in
    /// code could break (Redis: 512 MB of any bytes).
    pub fn limits(self) -> Option<Limits> {
        match self {
            StoreKind::Memcached => Some(Limits {
                store: "memcached",
                max_len: Some(MEMCACHED_MAX_LEN),
                forbids_whitespace: true,
                unbounded_overflows: true,
            }),
            StoreKind::ObjectStore(which) => Some(Limits {
                store: match which {
                    ObjectStore::S3 => "S3",
                    ObjectStore::Gcs => "GCS",
                    ObjectStore::AzureBlob => "Azure Blob",
                    ObjectStore::Any => "the object store",
                },
                max_len: Some(OBJECT_STORE_MAX_LEN),
                forbids_whitespace: false,
                unbounded_overflows: false,
            }),
            StoreKind::Redis | StoreKind::Embedded | StoreKind::InMemory | StoreKind::Unknown => {
                None
            }
        }
    }
}

/// The rules a key must follow: its sink's when the code shows the store;
/// for a sink of unknown kind, memcached's when the catalogue targets
/// memcached, none otherwise (without a catalogue, nothing says the key
/// goes to memcached).
pub fn for_key(store: Option<StoreKind>, target: Option<Target>) -> Option<Limits> {
    match store {
        Some(kind) if kind != StoreKind::Unknown => kind.limits(),
        _ if target == Some(Target::Memcached) => StoreKind::Memcached.limits(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_store_has_its_own_rules() {
        let memcached = StoreKind::Memcached.limits().unwrap();
        assert_eq!(memcached.max_len, Some(250));
        assert!(memcached.forbids_whitespace);
        assert_eq!(StoreKind::Redis.limits(), None);
        assert_eq!(StoreKind::InMemory.limits(), None);
        assert_eq!(StoreKind::Embedded.limits(), None);
        let s3 = StoreKind::ObjectStore(ObjectStore::S3).limits().unwrap();
        assert_eq!((s3.store, s3.max_len), ("S3", Some(1024)));
        assert!(!s3.forbids_whitespace);
    }

    #[test]
    fn an_unknown_sink_follows_the_catalogue_target() {
        assert_eq!(for_key(None, None), None);
        assert_eq!(for_key(Some(StoreKind::Unknown), Some(Target::Redis)), None);
        assert_eq!(
            for_key(None, Some(Target::Memcached)).map(|l| l.store),
            Some("memcached")
        );
        // A known sink wins over the catalogue.
        assert_eq!(
            for_key(Some(StoreKind::Redis), Some(Target::Memcached)),
            None
        );
        assert_eq!(
            for_key(Some(StoreKind::Memcached), None).map(|l| l.store),
            Some("memcached")
        );
    }
}
