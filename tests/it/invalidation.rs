//! Generated invalidation, end to end on a real memcached and a real Redis
//! (127.0.0.1): write every key that depends on two users, invalidate one
//! user with what `invalidate::user` returns, and check that every one of
//! its dependent reads misses while the other user's still hit.
//!
//! Without the servers the tests are skipped, except under CI, where they
//! fail: `.ci/run` installs `memcached` and `redis-server`.

use crate::servers;

use servers::{Memcached, Redis, Reply, Server};

use crate::generated::policy;

use policy::{cart, feeds, invalidate, users};

/// The few operations the flow needs, on either store.
trait Store {
    fn set(&mut self, key: &str, value: &str);
    fn get(&mut self, key: &str) -> Option<String>;
    fn delete(&mut self, key: &str);
    fn incr(&mut self, key: &str);
}

impl Store for Memcached {
    fn set(&mut self, key: &str, value: &str) {
        Memcached::set(self, key, value);
    }
    fn get(&mut self, key: &str) -> Option<String> {
        Memcached::get(self, key)
    }
    fn delete(&mut self, key: &str) {
        Memcached::delete(self, key);
    }
    fn incr(&mut self, key: &str) {
        Memcached::incr(self, key);
    }
}

impl Store for Redis {
    fn set(&mut self, key: &str, value: &str) {
        assert_eq!(self.cmd(&["SET", key, value]), Reply::Status("OK".into()));
    }
    fn get(&mut self, key: &str) -> Option<String> {
        match self.cmd(&["GET", key]) {
            Reply::Bulk(value) => value.map(|v| String::from_utf8(v).unwrap()),
            other => panic!("GET {key}: {other:?}"),
        }
    }
    fn delete(&mut self, key: &str) {
        assert!(matches!(self.cmd(&["DEL", key]), Reply::Int(_)));
    }
    fn incr(&mut self, key: &str) {
        assert!(matches!(self.cmd(&["INCR", key]), Reply::Int(_)));
    }
}

/// The current generation of a user: a missing counter is 0.
fn generation(store: &mut dyn Store, user_id: u64) -> u64 {
    store
        .get(&invalidate::user_generation(user_id))
        .map_or(0, |v| v.parse().unwrap())
}

/// Every key that depends on `user_id`, as a reader computes it now.
fn dependent_keys(store: &mut dyn Store, user_id: u64) -> Vec<String> {
    let user_gen = generation(store, user_id);
    let mut keys = vec![users::profile(user_id), cart::items(user_id)];
    keys.extend((0..20).map(|page| feeds::page(user_id, page, user_gen)));
    keys
}

fn run(store: &mut dyn Store) {
    let (changed, other) = (42u64, 7u64);
    for user in [changed, other] {
        for key in dependent_keys(store, user) {
            store.set(&key, "cached");
            assert_eq!(store.get(&key).as_deref(), Some("cached"), "{key}");
        }
    }
    let before = dependent_keys(store, changed);

    // What the application does when user 42 changes.
    let invalidation = invalidate::user(changed);
    assert!(!invalidation.delete.is_empty() && !invalidation.incr.is_empty());
    for key in &invalidation.delete {
        store.delete(key);
    }
    for key in &invalidation.incr {
        store.incr(key);
    }

    let after = dependent_keys(store, changed);
    assert_eq!(generation(store, changed), 1);
    assert_ne!(before, after, "the feed keys moved to the new generation");
    for key in &after {
        assert_eq!(store.get(key), None, "{key} still hits after invalidation");
    }
    // The deleted keys are gone under their old names too; the old feed
    // pages remain only under names no reader computes any more.
    for key in &invalidation.delete {
        assert_eq!(store.get(key), None, "{key}");
    }
    for key in dependent_keys(store, other) {
        assert_eq!(
            store.get(&key).as_deref(),
            Some("cached"),
            "{key} of another user was lost"
        );
    }
}

#[test]
fn invalidating_a_user_on_memcached_misses_every_dependent_read() {
    let Some(binary) = servers::binary("memcached") else {
        return;
    };
    let server = Server::memcached(&binary);
    run(&mut Memcached::connect(server.addr));
}

#[test]
fn invalidating_a_user_on_redis_misses_every_dependent_read() {
    let Some(binary) = servers::binary("redis-server") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::redis(&binary, dir.path(), false, &mut servers::new_seed());
    run(&mut Redis::connect(server.addr));
}
