//! Multi-Paxos's safety properties, checked after every step.
//!
//! | property | what it says |
//! |---|---|
//! | [`AGREEMENT`] | per slot, at most one value is chosen, and a learner learns only the chosen value (Paxos Made Simple §2.1, for each instance) |
//! | [`VALIDITY`] | per slot, only a value some client proposed, or a leader's no-op, is chosen |
//! | [`APPLIED_SEQUENCE_AGREEMENT`] | all learners apply the same sequence: no two nodes apply different commands at one slot (like Raft's State Machine Safety) |
//! | [`PROMISE_RESPECTED`] | an acceptor never accepts, in any slot, a ballot below its promise; promises never decrease |
//!
//! As in [`crate::basic::safety`], "chosen" is computed from the acceptors' states, never taken
//! from learners: for each (slot, ballot, value) the checker remembers every acceptor that ever
//! accepted it, and a majority makes it chosen.
//!
//! **Cost.** An acceptor's accepted map is compared with the checker's copy only when its O(1)
//! digest ([`MultiPaxosNode::accepted_digest`]) changed; a learner's chosen map is rescanned
//! only when it grew; applied slots are checked once each.

use crate::ballot::{Ballot, NodeSet};
use crate::multi::message::Slot;
use crate::multi::node::MultiPaxosNode;
use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
use ballot_core::{Checker, Cluster, Command, Instant, Node, NodeId, VecMap, VecSet, Violation};

/// Per slot: "Only a single value is chosen", and learners learn only it. Reference: Paxos
/// Made Simple §2.1, §3.
pub const AGREEMENT: &str = "Agreement";
/// Per slot: "Only a value that has been proposed may be chosen" (a no-op is proposed by a
/// leader to fill a gap, §3). Reference: Paxos Made Simple §2.1, §3.
pub const VALIDITY: &str = "Validity";
/// All learners apply the same sequence of commands.
pub const APPLIED_SEQUENCE_AGREEMENT: &str = "Applied Sequence Agreement";
/// P1a, for every slot, and promises never decrease. Reference: Paxos Made Simple §2.2.
pub const PROMISE_RESPECTED: &str = "Promise Respected";

const PROPERTIES: [&str; 4] = [AGREEMENT, VALIDITY, APPLIED_SEQUENCE_AGREEMENT, PROMISE_RESPECTED];

/// What the checker remembers of one node.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
struct Track {
    /// The promise when last seen (durable).
    promised: Ballot,
    /// The accepted map when last seen (durable), and its digest. Filled in slot order from the
    /// node's own map, so a new slot is a push onto the sorted `Vec`.
    accepted: VecMap<Slot, (Ballot, Command)>,
    accepted_digest: u64,
    /// How many slots it had learned when last checked (volatile: 0 after a crash).
    learned: usize,
    /// Its applied slots `1..=applied` are checked (volatile).
    applied: Slot,
}

/// Checks Multi-Paxos's safety properties incrementally. See the module docs.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct MultiPaxosChecker {
    cluster: Cluster,
    /// Every command some client gave a leader (at most a few hundred distinct ones: see
    /// `Command::random`).
    proposed: VecSet<Command>,
    /// For each slot, then each (ballot, value) ever accepted there, who accepted it.
    ///
    /// This map and the two below grow with the run (an entry per slot), but slots are first
    /// accepted, chosen and applied in nearly ascending order: most inserts are pushes past the
    /// last key and the rest land near the end, so a sorted `Vec` costs amortized O(1) per
    /// insert and O(log n) per lookup. `votes` is nested per slot (not keyed by one
    /// `(slot, ballot, value)` tuple) because a new ballot for an old slot is common: a leader
    /// that restarted re-proposes every slot from 1, and with a flat key each of those inserts
    /// would shift every later slot's entries (O(n) each; 3x slower over a million steps).
    votes: VecMap<Slot, VecMap<(Ballot, Command), NodeSet>>,
    /// Per slot, the first proposal seen accepted by a majority.
    chosen: VecMap<Slot, (Ballot, Command)>,
    /// Per slot, what was first applied there and by whom.
    applied: VecMap<Slot, (Command, NodeId)>,
    /// Per node, by [`NodeId::index`].
    tracks: Vec<Track>,
}

impl MultiPaxosChecker {
    /// A checker for a fresh run of `cluster`.
    pub fn new(cluster: Cluster) -> MultiPaxosChecker {
        MultiPaxosChecker {
            cluster,
            proposed: VecSet::new(),
            votes: VecMap::new(),
            chosen: VecMap::new(),
            applied: VecMap::new(),
            tracks: vec![Track::default(); usize::from(cluster.size())],
        }
    }

    /// The value chosen for `slot` (computed from acceptors), with the ballot it was first
    /// seen chosen in.
    pub fn chosen(&self, slot: Slot) -> Option<&(Ballot, Command)> {
        self.chosen.get(&slot)
    }

    /// How many slots some node has applied.
    pub fn applied_len(&self) -> usize {
        self.applied.len()
    }

    fn check_acceptor(&mut self, now: Instant, k: usize, node: &MultiPaxosNode) -> Option<Violation> {
        let violation = |property, nodes, detail| Violation { property, nodes, at: now, step: 0, detail };
        let id = node.id();
        let track = &mut self.tracks[k];
        let (old_promise, promised) = (track.promised, node.promised());
        if promised < old_promise {
            return Some(violation(
                PROMISE_RESPECTED,
                vec![id],
                format!("{id}'s promise went down from {old_promise} to {promised}"),
            ));
        }
        track.promised = promised;
        if node.accepted_digest() == track.accepted_digest && node.accepted().len() == track.accepted.len() {
            return None;
        }
        track.accepted_digest = node.accepted_digest();
        let mut fresh: Vec<(Slot, Ballot, Command)> = Vec::new();
        for (slot, proposal) in node.accepted() {
            if track.accepted.get(slot) != Some(proposal) {
                track.accepted.insert(*slot, proposal.clone());
                fresh.push((*slot, proposal.0, proposal.1.clone()));
            }
        }
        for (slot, ballot, value) in fresh {
            if ballot < old_promise {
                return Some(violation(
                    PROMISE_RESPECTED,
                    vec![id],
                    format!("{id} accepted {value} for slot {slot} in ballot {ballot} after promising {old_promise}"),
                ));
            }
            let voters = self
                .votes
                .get_or_insert_with(slot, VecMap::new)
                .get_or_insert_with((ballot, value.clone()), NodeSet::default);
            voters.insert(id);
            let voters = *voters;
            if !voters.is_majority_of(self.cluster) {
                continue;
            }
            match self.chosen.get(&slot) {
                Some((first, v)) if *v != value => {
                    return Some(violation(
                        AGREEMENT,
                        voters.iter().collect(),
                        format!(
                            "two values chosen for slot {slot}: {v} (ballot {first}) and {value} (ballot {ballot}, accepted by {})",
                            voters.to_text()
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    self.chosen.insert(slot, (ballot, value.clone()));
                }
            }
            if value != Command::Noop && !self.proposed.contains(&value) {
                return Some(violation(
                    VALIDITY,
                    voters.iter().collect(),
                    format!("{value} was chosen for slot {slot} but no client proposed it"),
                ));
            }
        }
        None
    }

    fn check_learner(&mut self, now: Instant, k: usize, node: &MultiPaxosNode) -> Option<Violation> {
        let violation = |property, nodes, detail| Violation { property, nodes, at: now, step: 0, detail };
        let id = node.id();
        let track = &mut self.tracks[k];
        if node.chosen().len() != track.learned {
            track.learned = node.chosen().len();
            for (slot, value) in node.chosen() {
                match self.chosen.get(slot) {
                    Some((_, v)) if v == value => {}
                    Some((b, v)) => {
                        return Some(violation(
                            AGREEMENT,
                            vec![id],
                            format!(
                                "{id} learned slot {slot} = {value} but {v} was chosen there (ballot {b})"
                            ),
                        ))
                    }
                    None => {
                        return Some(violation(
                            AGREEMENT,
                            vec![id],
                            format!(
                                "{id} learned slot {slot} = {value} but no majority accepted anything there"
                            ),
                        ))
                    }
                }
            }
        }
        let track = &mut self.tracks[k];
        if node.applied() < track.applied {
            track.applied = 0; // Restarted: it applies from slot 1 again.
        }
        while track.applied < node.applied() {
            let slot = track.applied + 1;
            let Some(value) = node.chosen_at(slot) else { break };
            match self.applied.get(&slot) {
                Some((first, by)) if first != value => {
                    return Some(violation(
                        APPLIED_SEQUENCE_AGREEMENT,
                        vec![*by, id],
                        format!("{id} applied {value} at slot {slot}, but {by} applied {first} there"),
                    ));
                }
                Some(_) => {}
                None => {
                    self.applied.insert(slot, (value.clone(), id));
                }
            }
            track.applied = slot;
        }
        None
    }
}

impl Checker<MultiPaxosNode> for MultiPaxosChecker {
    /// "Agreement", "Validity", "Applied Sequence Agreement", "Promise Respected".
    fn properties(&self) -> &'static [&'static str] {
        &PROPERTIES
    }

    fn check(
        &mut self,
        now: Instant,
        _stepped: NodeId,
        nodes: &[Option<MultiPaxosNode>],
    ) -> Option<Violation> {
        if self.tracks.len() < nodes.len() {
            self.tracks.resize(nodes.len(), Track::default());
        }
        for node in nodes.iter().flatten() {
            if let Some(value) = node.last_client() {
                if !self.proposed.contains(value) {
                    self.proposed.insert(value.clone());
                }
            }
        }
        for (k, slot) in nodes.iter().enumerate() {
            if let Some(node) = slot {
                if let Some(v) = self.check_acceptor(now, k, node) {
                    return Some(v);
                }
            }
        }
        for (k, slot) in nodes.iter().enumerate() {
            match slot {
                Some(node) => {
                    if let Some(v) = self.check_learner(now, k, node) {
                        return Some(v);
                    }
                }
                None => {
                    // Crashed: what it learned and applied is gone.
                    self.tracks[k].learned = 0;
                    self.tracks[k].applied = 0;
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::multi::config::MultiPaxosConfig;
    use crate::multi::node::MultiDurable;
    use ballot_core::testkit::{boot, set};

    fn node(id: u8) -> MultiPaxosNode {
        boot::<MultiPaxosNode>(id, 3, &MultiPaxosConfig::default(), MultiDurable::default()).0
    }

    fn b(round: u64, proposer: u8) -> Ballot {
        Ballot::new(round, NodeId(proposer))
    }

    /// Makes `n` accept (`ballot`, `value`) for `slot` the way the acceptor does (digest kept).
    fn accept(n: &mut MultiPaxosNode, slot: Slot, ballot: Ballot, value: Command) {
        n.promised = n.promised.max(ballot);
        let mut durable = n.durable();
        durable.accepted.insert(slot, (ballot, value));
        durable.promised = n.promised;
        let (mut fresh, _) = boot::<MultiPaxosNode>(n.id.0, 3, &MultiPaxosConfig::default(), durable);
        fresh.chosen = n.chosen.clone();
        fresh.applied = n.applied;
        fresh.last_client = n.last_client.clone();
        *n = fresh;
    }

    fn check(c: &mut MultiPaxosChecker, nodes: &[MultiPaxosNode]) -> Option<Violation> {
        let nodes: Vec<Option<MultiPaxosNode>> = nodes.iter().cloned().map(Some).collect();
        c.check(Instant::ZERO, NodeId(1), &nodes)
    }

    #[test]
    fn properties_are_named() {
        let c = MultiPaxosChecker::new(Cluster::new(3));
        assert_eq!(
            Checker::<MultiPaxosNode>::properties(&c),
            &["Agreement", "Validity", "Applied Sequence Agreement", "Promise Respected"]
        );
    }

    /// Per slot, "only a single value is chosen"; other slots are independent.
    #[test]
    fn two_values_chosen_for_one_slot_break_agreement() {
        let mut c = MultiPaxosChecker::new(Cluster::new(3));
        let mut n = [node(1), node(2), node(3)];
        n[0].last_client = Some(set("x", "1"));
        for k in [0, 1] {
            accept(&mut n[k], 1, b(1, 1), set("x", "1"));
            accept(&mut n[k], 2, b(1, 1), Command::Noop);
        }
        assert_eq!(check(&mut c, &n), None);
        assert_eq!(c.chosen(1), Some(&(b(1, 1), set("x", "1"))));
        n[2].last_client = Some(set("x", "2"));
        for k in [1, 2] {
            accept(&mut n[k], 3, b(2, 3), set("x", "2")); // another slot: fine
        }
        assert_eq!(check(&mut c, &n), None);
        for k in [1, 2] {
            accept(&mut n[k], 1, b(3, 3), Command::Noop); // slot 1 again, another value
        }
        let v = check(&mut c, &n).expect("violation");
        assert_eq!((v.property, v.nodes.clone()), (AGREEMENT, vec![NodeId(2), NodeId(3)]));
        assert!(v.detail.contains("slot 1"), "{}", v.detail);
    }

    #[test]
    fn a_learner_learning_an_unchosen_value_breaks_agreement() {
        let mut c = MultiPaxosChecker::new(Cluster::new(3));
        let mut n = [node(1), node(2), node(3)];
        n[2].chosen.insert(4, Command::Noop);
        let v = check(&mut c, &n).expect("violation");
        assert_eq!((v.property, v.nodes.clone()), (AGREEMENT, vec![NodeId(3)]));
        // Learned before a restart and again after: checked again, still fine when chosen.
        let mut c = MultiPaxosChecker::new(Cluster::new(3));
        for k in [0, 1] {
            accept(&mut n[k], 4, b(1, 1), Command::Noop);
        }
        assert_eq!(check(&mut c, &n), None);
    }

    /// Only a client's command or a leader's no-op may be chosen.
    #[test]
    fn choosing_an_unproposed_value_breaks_validity() {
        let mut c = MultiPaxosChecker::new(Cluster::new(3));
        let mut n = [node(1), node(2), node(3)];
        for k in [0, 1] {
            accept(&mut n[k], 1, b(1, 1), set("y", "9"));
        }
        assert_eq!(check(&mut c, &n).map(|v| v.property), Some(VALIDITY));
        let mut c = MultiPaxosChecker::new(Cluster::new(3));
        n[0].last_client = Some(set("y", "9"));
        assert_eq!(check(&mut c, &n), None);
    }

    /// "All learners apply the same sequence."
    #[test]
    fn applying_different_commands_at_one_slot_breaks_applied_sequence_agreement() {
        let mut c = MultiPaxosChecker::new(Cluster::new(3));
        let mut n = [node(1), node(2), node(3)];
        n[0].chosen.insert(1, set("x", "1"));
        n[0].applied = 1;
        n[1].chosen.insert(1, set("x", "2"));
        n[1].applied = 1;
        // Learning checks only learned values against chosen ones; skip it to isolate the
        // property (as if both had been chosen: impossible without a broken Agreement first).
        c.tracks[0].learned = 1;
        c.tracks[1].learned = 1;
        let v = check(&mut c, &n).expect("violation");
        assert_eq!((v.property, v.nodes.clone()), (APPLIED_SEQUENCE_AGREEMENT, vec![NodeId(1), NodeId(2)]));
        // The same sequence re-applied after a restart is fine.
        let mut c = MultiPaxosChecker::new(Cluster::new(3));
        c.tracks[0].learned = 1;
        n[1] = node(2);
        assert_eq!(check(&mut c, &n), None);
        let v = c.check(Instant::ZERO, NodeId(1), &[None, Some(n[1].clone()), None]);
        assert_eq!(v, None);
        c.tracks[0].learned = 1;
        assert_eq!(check(&mut c, &n), None, "S1 re-applies slot 1 after its restart");
    }

    #[test]
    fn accepting_below_a_promise_or_lowering_it_breaks_promise_respected() {
        let mut c = MultiPaxosChecker::new(Cluster::new(3));
        let mut n = [node(1), node(2), node(3)];
        n[1].promised = b(4, 3);
        assert_eq!(check(&mut c, &n), None);
        let mut durable = n[1].durable();
        durable.accepted.insert(2, (b(3, 1), Command::Noop));
        n[1] = boot::<MultiPaxosNode>(2, 3, &MultiPaxosConfig::default(), durable).0;
        let v = check(&mut c, &n).expect("violation");
        assert_eq!((v.property, v.nodes.clone()), (PROMISE_RESPECTED, vec![NodeId(2)]));
        assert!(v.detail.contains("slot 2") && v.detail.contains("4.3"), "{}", v.detail);

        let mut c = MultiPaxosChecker::new(Cluster::new(3));
        assert_eq!(check(&mut c, &n), None);
        n[1].promised = b(2, 1);
        assert_eq!(check(&mut c, &n).map(|v| v.property), Some(PROMISE_RESPECTED));
    }
}
