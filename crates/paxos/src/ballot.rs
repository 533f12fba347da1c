//! Ballots (Lamport's "proposal numbers") and sets of acceptors.
//!
//! "Different proposals have different numbers" (Paxos Made Simple, §2.2): a [`Ballot`] is a
//! pair `(round, proposer)` compared round first, so two proposers never use the same ballot and
//! any proposer can always pick a ballot above any it has seen. Ballots print as `round.proposer`
//! (`3.1` is round 3 of `S1`).

use alloc::string::String;
use ballot_core::{Cluster, NodeId};
use core::fmt;

/// A proposal number: ordered by `round`, then by `proposer` (the derived order follows the field
/// order). [`Ballot::ZERO`] is below every ballot a proposer uses (rounds start at 1).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Ballot {
    /// The round: a proposer's next round is above every round it has seen.
    pub round: u64,
    /// Who uses this ballot; no one else may.
    pub proposer: NodeId,
}

impl Ballot {
    /// "No ballot yet": what an acceptor has promised before its first promise.
    pub const ZERO: Ballot = Ballot { round: 0, proposer: NodeId(0) };

    /// Ballot `round.proposer`.
    pub const fn new(round: u64, proposer: NodeId) -> Ballot {
        Ballot { round, proposer }
    }

    /// Whether this is [`Ballot::ZERO`].
    pub fn is_zero(self) -> bool {
        self == Ballot::ZERO
    }

    /// The ballot `proposer` uses next when the highest round it knows of is `seen`:
    /// `(seen + 1).proposer` (saturating: a proposer that has seen `u64::MAX` stays there, and
    /// acceptors then refuse it — no overflow, no panic).
    pub fn next_after(seen: u64, proposer: NodeId) -> Ballot {
        Ballot { round: seen.saturating_add(1), proposer }
    }

    /// Whether a correct proposer of `cluster` could use this ballot: round at least 1 and a
    /// proposer that is a member.
    pub fn is_valid_in(self, cluster: Cluster) -> bool {
        self.round >= 1 && cluster.contains(self.proposer)
    }

    /// Parses `3.1` (also `3.S1`).
    pub fn parse(text: &str) -> Option<Ballot> {
        let (round, proposer) = text.trim().split_once('.')?;
        let proposer = proposer.strip_prefix('S').unwrap_or(proposer);
        Some(Ballot { round: round.parse().ok()?, proposer: NodeId(proposer.parse().ok()?) })
    }
}

impl Default for Ballot {
    fn default() -> Self {
        Ballot::ZERO
    }
}

impl fmt::Display for Ballot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.round, self.proposer.0)
    }
}

/// A set of nodes as a bitset: who promised, who accepted. Ids outside `S1..=S16` are never
/// members.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct NodeSet {
    /// Bit `k` is set when `NodeId(k + 1)` is in the set.
    bits: u16,
}

impl NodeSet {
    /// The set holding only `id`.
    pub fn of(id: NodeId) -> NodeSet {
        let mut s = NodeSet::default();
        s.insert(id);
        s
    }

    /// Adds `id`; returns whether it was new.
    pub fn insert(&mut self, id: NodeId) -> bool {
        let Some(bit) = Self::bit(id) else {
            return false;
        };
        let new = self.bits & bit == 0;
        self.bits |= bit;
        new
    }

    /// Whether `id` is in the set.
    pub fn contains(self, id: NodeId) -> bool {
        Self::bit(id).is_some_and(|bit| self.bits & bit != 0)
    }

    /// Number of members.
    pub fn count(self) -> u8 {
        self.bits.count_ones() as u8
    }

    /// Whether the members are a majority of `cluster`.
    pub fn is_majority_of(self, cluster: Cluster) -> bool {
        self.count() >= cluster.majority()
    }

    /// Members in increasing order.
    pub fn iter(self) -> impl Iterator<Item = NodeId> {
        (1..=16u8).map(NodeId).filter(move |&id| self.contains(id))
    }

    /// Members as text, `{S1,S3}`.
    pub fn to_text(self) -> String {
        let mut s = String::from("{");
        for (i, id) in self.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&alloc::format!("{id}"));
        }
        s.push('}');
        s
    }

    fn bit(id: NodeId) -> Option<u16> {
        (1..=16).contains(&id.0).then(|| 1u16 << (id.0 - 1))
    }
}

/// The value a proposer must put in its accept request, given the acceptors' reports.
///
/// Paxos Made Simple, §2.2, phase 2(a): the proposer sends "an accept request … with a value
/// `v`, where `v` is the value of the highest-numbered proposal among the responses, or is any
/// value if the responses reported no proposals." `reports` holds what each promising acceptor
/// had accepted (`None`: nothing); `own` is the proposer's own value. Returns the value and,
/// when it was adopted, the ballot it was accepted in.
pub fn value_to_propose<'a, V>(
    reports: impl IntoIterator<Item = Option<&'a (Ballot, V)>>,
    own: &'a V,
) -> (&'a V, Option<Ballot>)
where
    V: 'a,
{
    let highest = reports.into_iter().flatten().max_by_key(|(b, _)| *b);
    match highest {
        Some((b, v)) => (v, Some(*b)),
        None => (own, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use ballot_core::Prng;

    #[test]
    fn ballots_order_by_round_then_proposer_and_print_as_round_dot_id() {
        let b = |r, p| Ballot::new(r, NodeId(p));
        assert!(b(3, 1) < b(3, 2));
        assert!(b(3, 2) < b(4, 1));
        assert!(Ballot::ZERO < b(1, 1));
        assert_eq!(alloc::format!("{}", b(3, 1)), "3.1");
        assert_eq!(Ballot::parse("3.1"), Some(b(3, 1)));
        assert_eq!(Ballot::parse("4.S2"), Some(b(4, 2)));
        assert_eq!(Ballot::parse("x"), None);
        assert_eq!(Ballot::next_after(u64::MAX, NodeId(1)).round, u64::MAX);
        let c = Cluster::new(3);
        assert!(b(1, 3).is_valid_in(c) && !b(0, 1).is_valid_in(c) && !b(1, 4).is_valid_in(c));
    }

    #[test]
    fn node_sets_count_members_once() {
        let mut s = NodeSet::of(NodeId(2));
        assert!(s.insert(NodeId(3)) && !s.insert(NodeId(3)));
        assert!(!s.insert(NodeId(0)) && !s.insert(NodeId(17)));
        assert_eq!(s.count(), 2);
        assert!(s.is_majority_of(Cluster::new(3)) && !s.is_majority_of(Cluster::new(4)));
        assert_eq!(s.to_text(), "{S2,S3}");
    }

    /// The dumb oracle: look at every report, keep the one with the largest ballot.
    fn naive(reports: &[Option<(Ballot, u64)>], own: u64) -> (u64, Option<Ballot>) {
        let mut best: Option<(Ballot, u64)> = None;
        for r in reports.iter().flatten() {
            if best.is_none_or(|(b, _)| r.0 > b) {
                best = Some(*r);
            }
        }
        match best {
            Some((b, v)) => (v, Some(b)),
            None => (own, None),
        }
    }

    #[test]
    fn value_to_propose_matches_the_oracle() {
        let mut rng = Prng::new(11);
        for _ in 0..5_000 {
            let n = rng.between(0, 5) as usize;
            // Distinct ballots carry one value each, as in Paxos.
            let reports: Vec<Option<(Ballot, u64)>> = (0..n)
                .map(|_| {
                    rng.chance(2, 3).then(|| {
                        let b = Ballot::new(rng.between(1, 4), NodeId(rng.between(1, 3) as u8));
                        (b, b.round * 10 + u64::from(b.proposer.0))
                    })
                })
                .collect();
            let own = 999;
            let (v, b) = value_to_propose(reports.iter().map(Option::as_ref), &own);
            assert_eq!((*v, b), naive(&reports, own), "{reports:?}");
        }
    }
}
