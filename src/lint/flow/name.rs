//! Interned names: the functions, types, fields and calls that flow facts
//! mention, each stored once for the whole run.
//!
//! The facts of every candidate file stay in memory until the second pass,
//! and the same few thousand names (`new`, `get`, `Client`, `self.conn.get`)
//! recur across hundreds of thousands of edges. As `String`s they were most
//! of lint's memory; as a `u32` each, an edge is a third of the size, and
//! the second pass compares and hashes integers instead of text.
//!
//! The table is global and only grows: a name, once seen, lives until the
//! process ends. A run sees a bounded vocabulary (the identifiers of the
//! tree), so this costs a few MB at most, even in a test process that lints
//! many trees.

use std::fmt;
use std::sync::{OnceLock, RwLock};

/// A name, interned.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(u32);

#[derive(Default)]
struct Table {
    ids: super::hash::FxHashMap<&'static str, u32>,
    names: Vec<&'static str>,
}

fn table() -> &'static RwLock<Table> {
    static TABLE: OnceLock<RwLock<Table>> = OnceLock::new();
    TABLE.get_or_init(Default::default)
}

impl Name {
    /// The name of `text`, the same for equal texts.
    pub fn new(text: &str) -> Name {
        // A poisoned lock still holds a consistent table: every write
        // below leaves it whole before it could panic.
        if let Some(&id) = table()
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .ids
            .get(text)
        {
            return Name(id);
        }
        let mut table = table().write().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = table.ids.get(text) {
            return Name(id);
        }
        let id = u32::try_from(table.names.len()).expect("fewer than 2^32 distinct names");
        let text: &'static str = Box::leak(text.into());
        table.names.push(text);
        table.ids.insert(text, id);
        Name(id)
    }

    /// The text.
    pub fn as_str(self) -> &'static str {
        table().read().unwrap_or_else(|e| e.into_inner()).names[self.0 as usize]
    }
}

impl std::ops::Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::new(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name::new(&text)
    }
}

impl From<&String> for Name {
    fn from(text: &String) -> Name {
        Name::new(text)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Name;

    #[test]
    fn equal_texts_share_a_name() {
        let a = Name::new("conn.get");
        assert_eq!(a, Name::new(&String::from("conn.get")));
        assert_ne!(a, Name::new("conn.set"));
        assert_eq!(a.as_str(), "conn.get");
        assert_eq!(format!("{a} {a:?}"), "conn.get \"conn.get\"");
        assert!(a == "conn.get");
    }

    #[test]
    fn names_are_shared_across_threads() {
        let here = Name::new("shared-across-threads");
        let there = std::thread::spawn(|| Name::new("shared-across-threads"))
            .join()
            .unwrap();
        assert_eq!(here, there);
    }
}
