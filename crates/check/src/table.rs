//! The set of states seen so far: fingerprint → entry, with open addressing.
//!
//! The checker stores, for every unique state, only its 64-bit fingerprint (in the probe table)
//! and one entry (its parent pointer: parent entry and action, see `search`). Entries are
//! numbered in the order the states were found, so an entry number is also a small, stable
//! handle for a state.
//!
//! Why not `hashbrown`: the one in Cargo.lock (0.17, through `indexmap`) needs Rust 1.85 and
//! edition 2024, the workspace promises 1.84; and a set of well-mixed 64-bit keys needs little
//! more than this.

use alloc::vec;
use alloc::vec::Vec;

/// The most entries a table holds (entry numbers are `u32`).
pub const MAX_ENTRIES: u64 = u32::MAX as u64;

/// What [`Table::insert`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Insert {
    /// The fingerprint was already there, with this entry.
    Old(u32),
    /// A new fingerprint, now stored as this entry.
    New(u32),
    /// A new fingerprint, but the table already holds its limit: nothing stored.
    Full,
}

/// Fingerprints → entries. Linear probing over a power-of-two array of fingerprints (0 marks an
/// empty slot; the fingerprint 0 itself is kept aside in `zero`), grown at 3/4 full.
pub struct Table<V> {
    /// Fingerprint per slot, 0 = empty.
    keys: Vec<u64>,
    /// Entry number per slot (meaningful where `keys` is not 0).
    slots: Vec<u32>,
    /// The entry of fingerprint 0, if that fingerprint was seen.
    zero: Option<u32>,
    /// The entries, in the order they were inserted.
    values: Vec<V>,
    /// `64 - log2(keys.len())`: a slot index is the top bits of `fingerprint * φ`.
    shift: u32,
}

impl<V> Table<V> {
    /// An empty table with room for a few thousand states before it first grows.
    pub fn new() -> Self {
        let capacity = 1usize << 12;
        Table {
            keys: vec![0; capacity],
            slots: vec![0; capacity],
            zero: None,
            values: Vec::new(),
            shift: 64 - capacity.trailing_zeros(),
        }
    }

    /// How many entries the table holds.
    pub fn len(&self) -> u64 {
        self.values.len() as u64
    }

    /// The entry with this number.
    pub fn value(&self, entry: u32) -> &V {
        &self.values[entry as usize]
    }

    #[inline]
    fn home(&self, fingerprint: u64) -> usize {
        // Fibonacci hashing: good slots even for a model whose own fingerprints are weak.
        (fingerprint.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// Whether `fingerprint` is present.
    pub fn contains(&self, fingerprint: u64) -> bool {
        if fingerprint == 0 {
            return self.zero.is_some();
        }
        let mask = self.keys.len() - 1;
        let mut i = self.home(fingerprint);
        loop {
            match self.keys[i] {
                0 => return false,
                key if key == fingerprint => return true,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Inserts `fingerprint` with the value `make()` unless it is already present, or the table
    /// already holds `limit` entries (at most [`MAX_ENTRIES`]).
    pub fn insert(&mut self, fingerprint: u64, limit: u64, make: impl FnOnce() -> V) -> Insert {
        let limit = limit.min(MAX_ENTRIES);
        if fingerprint == 0 {
            if let Some(entry) = self.zero {
                return Insert::Old(entry);
            }
            if self.len() >= limit {
                return Insert::Full;
            }
            let entry = self.push(make());
            self.zero = Some(entry);
            return Insert::New(entry);
        }
        let mask = self.keys.len() - 1;
        let mut i = self.home(fingerprint);
        loop {
            let key = self.keys[i];
            if key == fingerprint {
                return Insert::Old(self.slots[i]);
            }
            if key == 0 {
                break;
            }
            i = (i + 1) & mask;
        }
        if self.len() >= limit {
            return Insert::Full;
        }
        let entry = self.push(make());
        self.keys[i] = fingerprint;
        self.slots[i] = entry;
        if self.len() * 4 >= self.keys.len() as u64 * 3 {
            self.grow();
        }
        Insert::New(entry)
    }

    fn push(&mut self, value: V) -> u32 {
        let entry = self.values.len() as u32;
        self.values.push(value);
        entry
    }

    fn grow(&mut self) {
        let capacity = self.keys.len() * 2;
        let keys = core::mem::replace(&mut self.keys, vec![0; capacity]);
        let slots = core::mem::replace(&mut self.slots, vec![0; capacity]);
        self.shift = 64 - capacity.trailing_zeros();
        let mask = capacity - 1;
        for (key, entry) in keys.into_iter().zip(slots) {
            if key == 0 {
                continue;
            }
            let mut i = self.home(key);
            while self.keys[i] != 0 {
                i = (i + 1) & mask;
            }
            self.keys[i] = key;
            self.slots[i] = entry;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_it_holds_across_growth_and_zero() {
        let mut t: Table<u64> = Table::new();
        for k in 0..20_000u64 {
            // Weak keys on purpose (multiples of 2^20, and 0).
            assert_eq!(t.insert(k << 20, u64::MAX, || k), Insert::New(k as u32));
        }
        for k in 0..20_000u64 {
            assert_eq!(t.insert(k << 20, u64::MAX, || 99), Insert::Old(k as u32));
            assert_eq!(*t.value(k as u32), k);
            assert!(t.contains(k << 20));
            assert!(!t.contains((k << 20) + 1));
        }
        assert_eq!(t.len(), 20_000);
    }

    #[test]
    fn stops_at_the_limit_but_still_finds_old_keys() {
        let mut t: Table<()> = Table::new();
        assert_eq!(t.insert(5, 2, || ()), Insert::New(0));
        assert_eq!(t.insert(0, 2, || ()), Insert::New(1));
        assert_eq!(t.insert(6, 2, || ()), Insert::Full);
        assert_eq!(t.insert(5, 2, || ()), Insert::Old(0));
        assert_eq!(t.insert(0, 2, || ()), Insert::Old(1));
        assert_eq!(t.len(), 2);
    }
}
