//! [`NodeSet`]: a set of nodes as a bitset (votes, acknowledgements, no-voters).

use ballot_core::NodeId;

/// A set of nodes `S1..=S16`, as a bitset: ordered, hashable and the same on every target.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct NodeSet {
    /// Bit `k` is set when `NodeId(k + 1)` is in the set.
    bits: u16,
}

impl NodeSet {
    /// The empty set.
    pub const EMPTY: NodeSet = NodeSet { bits: 0 };

    /// The set holding exactly `ids` (ids outside `S1..=S16` are left out).
    pub fn of(ids: impl IntoIterator<Item = NodeId>) -> NodeSet {
        let mut set = NodeSet::EMPTY;
        for id in ids {
            set.insert(id);
        }
        set
    }

    /// Adds `id`; returns whether it was new. Ids outside `S1..=S16` are ignored.
    pub fn insert(&mut self, id: NodeId) -> bool {
        let Some(bit) = Self::bit(id) else {
            return false;
        };
        let new = self.bits & bit == 0;
        self.bits |= bit;
        new
    }

    /// Removes `id`; returns whether it was there.
    pub fn remove(&mut self, id: NodeId) -> bool {
        let Some(bit) = Self::bit(id) else {
            return false;
        };
        let had = self.bits & bit != 0;
        self.bits &= !bit;
        had
    }

    /// Whether `id` is in the set.
    pub fn contains(self, id: NodeId) -> bool {
        Self::bit(id).is_some_and(|bit| self.bits & bit != 0)
    }

    /// Number of nodes in the set.
    pub fn count(self) -> u8 {
        self.bits.count_ones() as u8
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.bits == 0
    }

    /// Whether every node of `other` is in `self`.
    pub fn is_superset(self, other: NodeSet) -> bool {
        other.bits & !self.bits == 0
    }

    /// The nodes of `self` that are not in `other`.
    pub fn difference(self, other: NodeSet) -> NodeSet {
        NodeSet { bits: self.bits & !other.bits }
    }

    /// The nodes in the set, in increasing order.
    pub fn iter(self) -> impl Iterator<Item = NodeId> {
        (1..=16u8).map(NodeId).filter(move |&id| self.contains(id))
    }

    fn bit(id: NodeId) -> Option<u16> {
        (1..=16).contains(&id.0).then(|| 1u16 << (id.0 - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn set_operations_against_a_vec_oracle() {
        let mut rng = ballot_core::Prng::new(3);
        for _ in 0..500 {
            let mut set = NodeSet::EMPTY;
            let mut oracle: Vec<u8> = Vec::new();
            for _ in 0..rng.between(0, 20) {
                let id = rng.between(0, 18) as u8;
                let inserted = set.insert(NodeId(id));
                let valid = (1..=16).contains(&id);
                assert_eq!(inserted, valid && !oracle.contains(&id));
                if inserted {
                    oracle.push(id);
                }
            }
            oracle.sort_unstable();
            assert_eq!(set.iter().map(|n| n.0).collect::<Vec<_>>(), oracle);
            assert_eq!(usize::from(set.count()), oracle.len());
            let other = NodeSet::of([NodeId(1), NodeId(2)]);
            let diff: Vec<u8> = oracle.iter().copied().filter(|&i| i > 2).collect();
            assert_eq!(set.difference(other).iter().map(|n| n.0).collect::<Vec<_>>(), diff);
            assert_eq!(set.is_superset(other), oracle.contains(&1) && oracle.contains(&2));
        }
        let mut s = NodeSet::of([NodeId(3)]);
        assert!(s.remove(NodeId(3)) && !s.remove(NodeId(3)) && s.is_empty());
        assert!(!s.insert(NodeId(0)) && !s.insert(NodeId(17)));
    }
}
