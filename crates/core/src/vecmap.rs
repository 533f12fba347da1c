//! [`VecMap`] and [`VecSet`]: ordered maps and sets kept in one sorted `Vec`.
//!
//! They replace `BTreeMap`/`BTreeSet` in the protocol crates for the sake of the web bundle: every
//! `BTreeMap<K, V>` instantiation brings several KB of node-juggling code into the wasm, while a
//! sorted vector is a binary search and a `Vec::insert`/`Vec::remove`. For the maps Ballot keeps
//! (a handful of timers, votes per ballot, log slots that arrive mostly in order) that is also as
//! fast or faster: lookups are a binary search over contiguous memory, and an insert past the
//! last key is a push. An insert elsewhere moves the later entries, O(n): fine for maps that are
//! small or that are filled (nearly) in key order; callers with large maps say why theirs is.
//!
//! What they promise, like the B-tree ones:
//! - iteration (`iter`, `keys`, `values`, `range`, `into_iter`) is in ascending key order;
//! - `Hash` feeds the length (as `u64`, never `usize`, so 32- and 64-bit targets agree) then
//!   every entry in key order: with [`crate::hash::StableHasher`] a map hashes exactly as the
//!   `BTreeMap` with the same entries did, so fingerprints did not change;
//! - `Debug` prints `{k: v, …}` (maps) and `{x, …}` (sets);
//! - `PartialEq`/`Eq` compare the entries in order.
//!
//! Only what the crates use is here; add more as needed, in the same style.

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{Bound, RangeBounds};

/// An ordered map in a `Vec<(K, V)>` sorted by key, without duplicate keys. See the module docs.
#[derive(Clone, PartialEq, Eq)]
pub struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

/// Iterator over a [`VecMap`]'s entries (or a range of them) in key order.
#[derive(Clone, Debug)]
pub struct Iter<'a, K, V>(core::slice::Iter<'a, (K, V)>);

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    #[inline]
    fn next(&mut self) -> Option<(&'a K, &'a V)> {
        self.0.next().map(|(k, v)| (k, v))
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

impl<K, V> VecMap<K, V> {
    /// An empty map (allocates nothing).
    pub const fn new() -> Self {
        VecMap { entries: Vec::new() }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every entry (keeps the allocation).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(self.entries.iter())
    }

    /// The keys in ascending order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Removes and returns the entry with the smallest key (O(n): meant for small maps).
    pub fn pop_first(&mut self) -> Option<(K, V)> {
        if self.entries.is_empty() {
            None
        } else {
            Some(self.entries.remove(0))
        }
    }

    /// Keeps only the entries for which `keep` returns true (in key order, one pass).
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// The entries as a sorted slice.
    pub fn as_slice(&self) -> &[(K, V)] {
        &self.entries
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// `Ok(position)` of `key`, or `Err(where it would go)`: what a binary search of the whole
    /// `Vec` answers (keys are unique), found by galloping back from the end (probes at 1, 2, 4 …
    /// entries before it) and a binary search of the last gap. A key `d` entries from the end
    /// costs O(log d): the large maps here (a checker's entries per log index) are asked mostly
    /// about recent keys, and a search of the whole of one (17 dependent loads for 100 000
    /// entries, far apart in memory) was most of the Raft checker's time.
    #[inline]
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        let entries = &self.entries;
        // Every entry from `hi` on is above `key`.
        let mut hi = entries.len();
        let mut step = 1;
        while hi > 0 {
            let probe = hi.saturating_sub(step);
            match entries[probe].0.borrow().cmp(key) {
                Ordering::Equal => return Ok(probe),
                Ordering::Greater => {
                    hi = probe;
                    step *= 2;
                }
                Ordering::Less => {
                    let gap = probe + 1;
                    return match entries[gap..hi].binary_search_by(|(k, _)| k.borrow().cmp(key)) {
                        Ok(i) => Ok(gap + i),
                        Err(i) => Err(gap + i),
                    };
                }
            }
        }
        Err(0)
    }

    /// The value of `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    /// The value of `key`, mutably.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Where `key` is or would go; a key above every other (the common case of maps filled in
    /// order) is found without a search.
    #[inline]
    fn slot(&self, key: &K) -> Result<usize, usize> {
        match self.entries.last() {
            None => Err(0),
            Some((last, _)) if *last < *key => Err(self.entries.len()),
            Some(_) => self.find(key),
        }
    }

    /// Sets `key` to `value`; returns the value it replaced. A key above every other is a push.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.slot(&key) {
            Ok(i) => Some(core::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// The value of `key`, inserted first as `make()` if there is none (like
    /// `BTreeMap::entry(key).or_insert_with(make)`).
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.slot(&key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (key, make()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// Removes `key`; returns its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// The entries whose keys are in `range`, in key order. Unlike `BTreeMap::range`, an empty or
    /// inverted range yields nothing rather than panicking.
    pub fn range<Q: Ord + ?Sized, R: RangeBounds<Q>>(&self, range: R) -> Iter<'_, K, V>
    where
        K: Borrow<Q>,
    {
        let below_start = |k: &K| match range.start_bound() {
            Bound::Included(s) => k.borrow() < s,
            Bound::Excluded(s) => k.borrow() <= s,
            Bound::Unbounded => false,
        };
        let up_to_end = |k: &K| match range.end_bound() {
            Bound::Included(e) => k.borrow() <= e,
            Bound::Excluded(e) => k.borrow() < e,
            Bound::Unbounded => true,
        };
        let start = self.entries.partition_point(|(k, _)| below_start(k));
        let end = self.entries.partition_point(|(k, _)| up_to_end(k)).max(start);
        Iter(self.entries[start..end].iter())
    }
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Hash, V: Hash> Hash for VecMap<K, V> {
    /// The length as `u64`, then each key and value in key order (as `BTreeMap` does).
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.entries.len() as u64);
        for (k, v) in &self.entries {
            k.hash(state);
            v.hash(state);
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    /// Later pairs win over earlier ones with the same key, as in `BTreeMap`. Pairs given in
    /// ascending key order are pushes.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = VecMap::new();
        map.extend(iter);
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Iter<'a, K, V> {
        self.iter()
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = alloc::vec::IntoIter<(K, V)>;

    /// The entries by value, in key order.
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// An ordered set in a sorted `Vec<T>` without duplicates. See the module docs.
#[derive(Clone, PartialEq, Eq)]
pub struct VecSet<T> {
    items: Vec<T>,
}

impl<T> VecSet<T> {
    /// An empty set (allocates nothing).
    pub const fn new() -> Self {
        VecSet { items: Vec::new() }
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Removes every element (keeps the allocation).
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// The elements in ascending order.
    pub fn iter(&self) -> core::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The smallest element.
    pub fn first(&self) -> Option<&T> {
        self.items.first()
    }

    /// The largest element.
    pub fn last(&self) -> Option<&T> {
        self.items.last()
    }

    /// The elements as a sorted slice.
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }
}

impl<T: Ord> VecSet<T> {
    #[inline]
    fn find<Q: Ord + ?Sized>(&self, value: &Q) -> Result<usize, usize>
    where
        T: Borrow<Q>,
    {
        self.items.binary_search_by(|x| x.borrow().cmp(value))
    }

    /// Whether `value` is in the set.
    pub fn contains<Q: Ord + ?Sized>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.find(value).is_ok()
    }

    /// Adds `value`; returns whether it was new. A value above every other is a push.
    pub fn insert(&mut self, value: T) -> bool {
        let at = match self.items.last().map(|last| last.cmp(&value)) {
            None | Some(Ordering::Less) => Err(self.items.len()),
            Some(Ordering::Equal) => Ok(()),
            Some(Ordering::Greater) => self.find(&value).map(|_| ()),
        };
        match at {
            Ok(()) => false,
            Err(i) => {
                self.items.insert(i, value);
                true
            }
        }
    }

    /// Removes `value`; returns whether it was there.
    pub fn remove<Q: Ord + ?Sized>(&mut self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        match self.find(value) {
            Ok(i) => {
                self.items.remove(i);
                true
            }
            Err(_) => false,
        }
    }
}

impl<T> Default for VecSet<T> {
    fn default() -> Self {
        VecSet::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for VecSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<T: Hash> Hash for VecSet<T> {
    /// The length as `u64`, then each element in order (as `BTreeSet` does).
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.items.len() as u64);
        for x in &self.items {
            x.hash(state);
        }
    }
}

impl<T: Ord> FromIterator<T> for VecSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = VecSet::new();
        set.extend(iter);
        set
    }
}

impl<T: Ord> Extend<T> for VecSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for x in iter {
            self.insert(x);
        }
    }
}

impl<'a, T> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = core::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T> IntoIterator for VecSet<T> {
    type Item = T;
    type IntoIter = alloc::vec::IntoIter<T>;

    /// The elements by value, in ascending order.
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::stable_hash;
    use crate::Prng;
    use alloc::collections::{BTreeMap, BTreeSet};
    use alloc::format;
    use alloc::vec;

    #[test]
    fn find_answers_what_a_binary_search_does() {
        let mut rng = Prng::new(7);
        for len in [0u64, 1, 2, 3, 5, 8, 33, 100, 1000] {
            let m: VecMap<u64, ()> = (0..len).map(|i| (i * 3 + rng.between(0, 2), ())).collect();
            let keys: Vec<u64> = m.keys().copied().collect();
            for key in 0..len * 3 + 5 {
                assert_eq!(m.find(&key), keys.binary_search(&key), "len {len} key {key}");
            }
        }
    }

    #[test]
    fn map_basics() {
        let mut m: VecMap<u32, &str> = VecMap::new();
        assert!(m.is_empty() && m.iter().next().is_none() && m.pop_first().is_none());
        assert_eq!(m.insert(5, "five"), None);
        assert_eq!(m.insert(1, "one"), None);
        assert_eq!(m.insert(9, "nine"), None);
        assert_eq!(m.insert(5, "FIVE"), Some("five"));
        assert_eq!(m.len(), 3);
        assert_eq!(m.keys().copied().collect::<Vec<_>>(), vec![1, 5, 9]);
        assert_eq!(m.values().copied().collect::<Vec<_>>(), vec!["one", "FIVE", "nine"]);
        assert_eq!(m.keys().next_back(), Some(&9));
        assert_eq!(m.get(&5), Some(&"FIVE"));
        assert!(m.contains_key(&1) && !m.contains_key(&2));
        *m.get_mut(&1).unwrap() = "uno";
        *m.get_or_insert_with(3, || "three") = "tres";
        assert_eq!(*m.get_or_insert_with(3, || unreachable!()), "tres");
        assert_eq!(m.range(2..=5).map(|(k, _)| *k).collect::<Vec<_>>(), vec![3, 5]);
        assert_eq!(m.range(6..).map(|(k, _)| *k).collect::<Vec<_>>(), vec![9]);
        assert_eq!(m.range(..3).map(|(k, _)| *k).collect::<Vec<_>>(), vec![1]);
        assert_eq!(m.range((Bound::Included(1), Bound::Included(0))).count(), 0, "inverted: empty, no panic");
        assert_eq!(m.iter().next(), Some((&1, &"uno")));
        assert_eq!(m.iter().next_back(), Some((&9, &"nine")));
        assert_eq!(m.remove(&5), Some("FIVE"));
        assert_eq!(m.remove(&5), None);
        assert_eq!(m.pop_first(), Some((1, "uno")));
        assert_eq!(format!("{m:?}"), r#"{3: "tres", 9: "nine"}"#);
        m.retain(|k, _| *k > 3);
        assert_eq!(m.into_iter().collect::<Vec<_>>(), vec![(9, "nine")]);
        let m: VecMap<u8, u8> = [(2, 0), (1, 1), (2, 2)].into_iter().collect();
        assert_eq!(m.as_slice(), &[(1, 1), (2, 2)], "the later pair wins, as in BTreeMap");
    }

    #[test]
    fn set_basics() {
        let mut s: VecSet<i32> = [3, 1, 2, 3].into_iter().collect();
        assert_eq!(s.as_slice(), &[1, 2, 3]);
        assert!(!s.insert(2) && s.insert(0) && s.insert(7));
        assert!(s.contains(&7) && !s.contains(&4));
        assert!(s.remove(&1) && !s.remove(&1));
        assert_eq!((s.first(), s.last(), s.len()), (Some(&0), Some(&7), 4));
        assert_eq!(format!("{s:?}"), "{0, 2, 3, 7}");
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), vec![0, 2, 3, 7]);
        s.clear();
        assert!(s.is_empty());
    }

    /// Hashes exactly as the B-tree collections (pinned fingerprints depend on it).
    #[test]
    fn hashes_like_btree() {
        let pairs = [(3u64, "c"), (1, "a"), (2, "b")];
        let b: BTreeMap<u64, &str> = pairs.into_iter().collect();
        let v: VecMap<u64, &str> = pairs.into_iter().collect();
        assert_eq!(stable_hash(&v), stable_hash(&b));
        assert_eq!(stable_hash(&VecMap::<u8, u8>::new()), stable_hash(&BTreeMap::<u8, u8>::new()));
        let bs: BTreeSet<(u8, u8)> = [(2, 1), (1, 2)].into_iter().collect();
        let vs: VecSet<(u8, u8)> = [(2, 1), (1, 2)].into_iter().collect();
        assert_eq!(stable_hash(&vs), stable_hash(&bs));
    }

    /// Thousands of random operations on a `VecMap` and a `BTreeMap` (and on the sets) side by
    /// side: every answer, the contents, the order, the hash and `Debug` agree.
    #[test]
    fn agrees_with_btree_on_random_operations() {
        let mut rng = Prng::new(0x5eed);
        for round in 0..40 {
            // Small key spaces collide often; large ones exercise the search.
            let keys = [4, 16, 64, 1000][round % 4];
            let mut v: VecMap<u64, u64> = VecMap::new();
            let mut b: BTreeMap<u64, u64> = BTreeMap::new();
            let mut vs: VecSet<u64> = VecSet::new();
            let mut bs: BTreeSet<u64> = BTreeSet::new();
            // Some rounds mostly append (keys grow), like log slots.
            let mut next = 0u64;
            let rising = round % 3 == 0;
            for _ in 0..500 {
                let k = if rising && rng.chance(4, 5) {
                    next += rng.below(3);
                    next
                } else {
                    rng.below(keys)
                };
                let x = rng.next_u64();
                match rng.below(10) {
                    0..=2 => assert_eq!(v.insert(k, x), b.insert(k, x)),
                    3 => assert_eq!(v.remove(&k), b.remove(&k)),
                    4 => {
                        *v.get_or_insert_with(k, || x) += 1;
                        *b.entry(k).or_insert_with(|| x) += 1;
                    }
                    5 => {
                        if let (Some(a), Some(c)) = (v.get_mut(&k), b.get_mut(&k)) {
                            *a ^= x;
                            *c ^= x;
                        }
                        assert_eq!(v.contains_key(&k), b.contains_key(&k));
                    }
                    6 => {
                        let (lo, hi) = (k, k + rng.below(keys / 2 + 1));
                        assert!(v.range(lo..hi).eq(b.range(lo..hi)));
                        assert!(v.range(lo..=hi).eq(b.range(lo..=hi)));
                        assert!(v.range(lo..).eq(b.range(lo..)));
                        assert!(v.range(..hi).rev().eq(b.range(..hi).rev()));
                    }
                    7 => {
                        if rng.chance(1, 10) {
                            assert_eq!(v.pop_first(), b.pop_first());
                        } else {
                            v.retain(|key, _| *key != k);
                            b.retain(|key, _| *key != k);
                        }
                    }
                    _ => {
                        assert_eq!(vs.insert(k), bs.insert(k));
                        if rng.chance(1, 3) {
                            let r = rng.below(keys);
                            assert_eq!(vs.remove(&r), bs.remove(&r));
                        }
                    }
                }
                assert_eq!(v.get(&k), b.get(&k));
                assert_eq!(vs.contains(&k), bs.contains(&k));
            }
            assert!(v.iter().eq(b.iter()));
            assert!(v.keys().rev().eq(b.keys().rev()));
            assert!(v.values().eq(b.values()));
            assert_eq!((v.len(), v.is_empty()), (b.len(), b.is_empty()));
            assert_eq!(v.iter().next(), b.first_key_value());
            assert_eq!(v.iter().next_back(), b.last_key_value());
            assert_eq!(stable_hash(&v), stable_hash(&b));
            assert_eq!(format!("{v:?}"), format!("{b:?}"));
            assert!(vs.iter().eq(bs.iter()));
            assert_eq!((vs.first(), vs.last(), vs.len()), (bs.first(), bs.last(), bs.len()));
            assert_eq!(stable_hash(&vs), stable_hash(&bs));
            assert_eq!(format!("{vs:?}"), format!("{bs:?}"));
            let rebuilt: VecMap<u64, u64> = b.clone().into_iter().rev().collect();
            assert_eq!(rebuilt, v);
            assert!(v.clone().into_iter().eq(b.into_iter()));
        }
    }
}
