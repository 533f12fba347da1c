//! The network is data: its parameters, the envelopes in flight, and who can reach whom.

use alloc::vec::Vec;
use ballot_core::{Duration, Instant, NodeId, VecSet};

/// A probability as an integer ratio in thousandths (`0..=1000`), so no float ever touches a seed.
pub type PerMille = u16;

/// Network parameters. Every in-flight message draws its latency from `latency_min..=latency_max`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct NetConfig {
    /// Fastest delivery.
    pub latency_min: Duration,
    /// Slowest ordinary delivery.
    pub latency_max: Duration,
    /// Chance that a message is lost, in thousandths.
    pub loss: PerMille,
    /// Chance that a message is delivered twice (the copy takes its own latency), in thousandths.
    pub duplicate: PerMille,
    /// Chance that a message is held back by up to another `latency_max` (so later messages
    /// overtake it), in thousandths.
    pub reorder: PerMille,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            latency_min: Duration::from_millis(10),
            latency_max: Duration::from_millis(15),
            loss: 0,
            duplicate: 0,
            reorder: 0,
        }
    }
}

/// Longest latency the simulator accepts: one minute. [`NetConfig::clamped`] cuts anything longer
/// (for links and the playground); a scenario refuses it with an error.
pub const MAX_LATENCY: Duration = Duration::from_secs(60);

impl NetConfig {
    /// The same parameters made sane: ratios at most 1000, `min <= max <= MAX_LATENCY`.
    pub fn clamped(self) -> NetConfig {
        let latency_max = self.latency_max.min(MAX_LATENCY);
        NetConfig {
            latency_min: self.latency_min.min(latency_max),
            latency_max,
            loss: self.loss.min(1000),
            duplicate: self.duplicate.min(1000),
            reorder: self.reorder.min(1000),
        }
    }
}

/// Why a message did not arrive.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum DropReason {
    /// The network lost it (random loss).
    Lost,
    /// Sender and receiver were on different sides of a partition, or the link was cut.
    Partitioned,
    /// The receiver was crashed when it arrived.
    NodeDown,
    /// The user dropped it by hand.
    ByHand,
}

impl DropReason {
    /// A stable lowercase name (used in the DOM and in traces).
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Lost => "lost",
            DropReason::Partitioned => "partitioned",
            DropReason::NodeDown => "node-down",
            DropReason::ByHand => "dropped-by-hand",
        }
    }
}

/// One message in flight. The view interpolates its dot between `sent_at` and `deliver_at`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Envelope<M> {
    /// Unique, increasing in send order.
    pub id: u64,
    /// Sender.
    pub from: NodeId,
    /// Recipient.
    pub to: NodeId,
    /// When it left.
    pub sent_at: Instant,
    /// When it arrives (or is found undeliverable).
    pub deliver_at: Instant,
    /// Decided at send time: the network will lose this one.
    pub lost: bool,
    /// The payload.
    pub msg: M,
}

/// Who can talk to whom: partition groups plus single links cut one way.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct Reachability {
    /// Group number of each node (by `NodeId::index`); nodes in different groups cannot talk.
    /// Empty means no partition.
    groups: Vec<u8>,
    /// Directed links `(from, to)` that are cut.
    cut: VecSet<(NodeId, NodeId)>,
}

impl Reachability {
    /// Whether a message from `from` can reach `to` now.
    pub fn can_send(&self, from: NodeId, to: NodeId) -> bool {
        if self.cut.contains(&(from, to)) {
            return false;
        }
        match (self.groups.get(from.index()), self.groups.get(to.index())) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }

    /// Splits `size` nodes into `groups`; nodes named in no group form one more group together.
    pub fn partition(&mut self, size: u8, groups: &[Vec<NodeId>]) {
        let rest = u8::try_from(groups.len()).unwrap_or(u8::MAX);
        self.groups = alloc::vec![rest; usize::from(size)];
        for (g, members) in groups.iter().enumerate() {
            for id in members {
                if let Some(slot) = self.groups.get_mut(id.index()) {
                    *slot = u8::try_from(g).unwrap_or(u8::MAX);
                }
            }
        }
    }

    /// Removes every partition and restores every cut link.
    pub fn heal(&mut self) {
        self.groups.clear();
        self.cut.clear();
    }

    /// Cuts the one-way link `from → to`.
    pub fn cut(&mut self, from: NodeId, to: NodeId) {
        self.cut.insert((from, to));
    }

    /// Restores the one-way link `from → to`.
    pub fn restore(&mut self, from: NodeId, to: NodeId) {
        self.cut.remove(&(from, to));
    }

    /// The partition group of each node (empty when there is none).
    pub fn groups(&self) -> &[u8] {
        &self.groups
    }

    /// The cut one-way links.
    pub fn cut_links(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        self.cut.iter().copied()
    }

    /// Whether anything at all is partitioned or cut.
    pub fn is_whole(&self) -> bool {
        self.groups.is_empty() && self.cut.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn partition_groups_and_unlisted_nodes() {
        let mut r = Reachability::default();
        r.partition(5, &[vec![NodeId(1), NodeId(2)], vec![NodeId(3)]]);
        assert!(r.can_send(NodeId(1), NodeId(2)));
        assert!(!r.can_send(NodeId(1), NodeId(3)));
        assert!(r.can_send(NodeId(4), NodeId(5)), "unlisted nodes share a group");
        assert!(!r.can_send(NodeId(3), NodeId(4)));
        r.heal();
        assert!(r.can_send(NodeId(1), NodeId(3)) && r.is_whole());
    }

    #[test]
    fn cut_is_one_way() {
        let mut r = Reachability::default();
        r.cut(NodeId(1), NodeId(2));
        assert!(!r.can_send(NodeId(1), NodeId(2)));
        assert!(r.can_send(NodeId(2), NodeId(1)));
        r.restore(NodeId(1), NodeId(2));
        assert!(r.can_send(NodeId(1), NodeId(2)));
    }

    #[test]
    fn clamping() {
        let n = NetConfig {
            latency_min: Duration::from_secs(100),
            latency_max: Duration::from_secs(90),
            loss: 5000,
            duplicate: 2000,
            reorder: 1001,
        }
        .clamped();
        assert_eq!(n.latency_max, MAX_LATENCY);
        assert!(n.latency_min <= n.latency_max);
        assert_eq!((n.loss, n.duplicate, n.reorder), (1000, 1000, 1000));
    }
}
