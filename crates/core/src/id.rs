//! Node identities and cluster membership.

use core::fmt;

/// The identity of one node. Ids are **1-based** (`S1`, `S2`, …) as in the Raft paper's figures,
/// so the number a user reads in the playground is the number in scenarios and in the DOM.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct NodeId(pub u8);

impl NodeId {
    /// Position of this node in a `Vec` indexed by node (`S1` is 0).
    pub fn index(self) -> usize {
        usize::from(self.0) - 1
    }

    /// The node stored at position `index` of a per-node `Vec`.
    pub fn from_index(index: usize) -> NodeId {
        NodeId(u8::try_from(index + 1).expect("node index fits in u8"))
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S{}", self.0)
    }
}

/// A fixed set of nodes `S1..=Sn`. Membership change is not modelled (yet).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Cluster {
    size: u8,
}

impl Cluster {
    /// The smallest and largest cluster the playground offers.
    pub const MIN_SIZE: u8 = 1;
    /// Nine nodes: beyond that the ring stops being readable.
    pub const MAX_SIZE: u8 = 9;

    /// A cluster of `size` nodes, clamped to `MIN_SIZE..=MAX_SIZE`.
    pub fn new(size: u8) -> Cluster {
        Cluster { size: size.clamp(Self::MIN_SIZE, Self::MAX_SIZE) }
    }

    /// Number of nodes.
    pub fn size(self) -> u8 {
        self.size
    }

    /// Smallest number of nodes that is more than half: `size / 2 + 1`.
    pub fn majority(self) -> u8 {
        self.size / 2 + 1
    }

    /// All node ids in increasing order.
    pub fn ids(self) -> impl Iterator<Item = NodeId> + Clone {
        (1..=self.size).map(NodeId)
    }

    /// All ids but `me`.
    pub fn peers(self, me: NodeId) -> impl Iterator<Item = NodeId> + Clone {
        self.ids().filter(move |&id| id != me)
    }

    /// Whether `id` names a node of this cluster.
    pub fn contains(self, id: NodeId) -> bool {
        (1..=self.size).contains(&id.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majority_is_more_than_half() {
        for size in 1..=9u8 {
            let c = Cluster::new(size);
            assert!(2 * u32::from(c.majority()) > u32::from(size));
            assert!(2 * u32::from(c.majority() - 1) <= u32::from(size));
        }
    }

    #[test]
    fn ids_are_one_based_and_round_trip_through_index() {
        let c = Cluster::new(5);
        let ids: alloc::vec::Vec<_> = c.ids().collect();
        assert_eq!(ids.first(), Some(&NodeId(1)));
        assert_eq!(ids.len(), 5);
        for id in ids {
            assert_eq!(NodeId::from_index(id.index()), id);
        }
        assert_eq!(alloc::format!("{}", NodeId(3)), "S3");
        assert!(!c.contains(NodeId(0)) && !c.contains(NodeId(6)));
    }
}
