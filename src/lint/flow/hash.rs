//! A fast hasher for the second pass's maps, keyed by small integers.
//!
//! The flow graph is millions of `u32`-sized nodes and interned names;
//! std's SipHash resists hash flooding, which a map keyed by our own
//! indices does not need, and it was a visible share of the second pass.
//! This is the Fx hash of rustc (`rustc-hash`): a multiply and a rotate per
//! word. Its fixed seed also makes the maps' iteration order the same from
//! run to run.

use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hash state.
#[derive(Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` with the Fx hash.
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// A `HashSet` with the Fx hash.
pub type FxHashSet<T> = std::collections::HashSet<T, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash(value: impl Hash) -> u64 {
        BuildHasherDefault::<FxHasher>::default().hash_one(value)
    }

    #[test]
    fn equal_values_hash_alike_and_close_values_apart() {
        assert_eq!(hash((1u32, 2u32)), hash((1u32, 2u32)));
        assert_ne!(hash((1u32, 2u32)), hash((2u32, 1u32)));
        assert_ne!(hash("get"), hash("set"));
        assert_ne!(
            hash("a longer name, past eight bytes: 1"),
            hash("a longer name, past eight bytes: 2")
        );
        let distinct: FxHashSet<u64> = (0u32..10_000).map(hash).collect();
        assert_eq!(distinct.len(), 10_000);
    }
}
