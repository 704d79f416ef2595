//! [`Name`]: a short text that repeats across many records (a job, an entity type, a
//! system), stored once per distinct value however many rows carry it.
//!
//! Decoding interns names in a small per-thread table, so 100,000 rows naming six jobs
//! hold six allocations, not 100,000. The table is bounded: past
//! [`MAX_INTERNED`] distinct names (hostile or unusual data), further names are simply
//! allocated, so memory never grows beyond the rows themselves.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use rustc_hash::FxSeededState;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How many distinct names the per-thread table keeps.
pub const MAX_INTERNED: usize = 4_096;

/// A shared, immutable name; cloning it is a reference count.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Name(Arc<str>);

thread_local! {
    static INTERNED: RefCell<HashSet<Arc<str>, FxSeededState>> =
        RefCell::new(HashSet::with_hasher(crate::hash::key_state()));
}

impl Name {
    /// The shared copy of `text`, adding it to the table if there is room.
    pub fn intern(text: &str) -> Name {
        INTERNED.with(|table| {
            let mut table = table.borrow_mut();
            if let Some(shared) = table.get(text) {
                return Name(shared.clone());
            }
            let shared: Arc<str> = Arc::from(text);
            if table.len() < MAX_INTERNED {
                table.insert(shared.clone());
            }
            Name(shared)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::intern(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name::intern(&text)
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.0.to_string()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Name, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Name, E> {
                Ok(Name::intern(text))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_names_share_one_allocation() {
        let a: Name = serde_json::from_str("\"SAP B1 → Shopify\"").unwrap();
        let b: Name = serde_json::from_str("\"SAP B1 \\u2192 Shopify\"").unwrap();
        assert_eq!(a, b);
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, "SAP B1 → Shopify");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"SAP B1 → Shopify\"");
    }

    #[test]
    fn the_table_is_bounded() {
        for n in 0..MAX_INTERNED + 100 {
            let name = Name::intern(&format!("job {n}"));
            assert_eq!(name.as_str(), format!("job {n}"));
        }
        INTERNED.with(|t| assert!(t.borrow().len() <= MAX_INTERNED));
        assert!(serde_json::from_str::<Name>("42").is_err());
    }
}
