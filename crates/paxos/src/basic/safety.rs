//! Basic Paxos's safety requirements (Paxos Made Simple §2.1), checked after every step.
//!
//! | property | the paper |
//! |---|---|
//! | [`AGREEMENT`] | "Only a single value is chosen", and "a process never learns that a value has been chosen unless it actually has been" |
//! | [`VALIDITY`] | "Only a value that has been proposed may be chosen" |
//! | [`PROMISE_RESPECTED`] | P1a: "An acceptor can accept a proposal numbered n iff it has not responded to a prepare request having a number greater than n"; and a promise is never taken back |
//!
//! **What "chosen" means here.** The checker does not trust learners: it watches every
//! acceptor's accepted proposal after every step and remembers, for each (ballot, value), every
//! acceptor that *ever* accepted it. "A value is chosen when a single proposal with that value
//! has been accepted by a majority of the acceptors" (§2.2) — even if some of them later accept
//! a higher ballot or crash. A learner's learned value is then held to it.
//!
//! **Where proposed values come from.** The checker only sees node states, so each node shows
//! the value a client asked it to propose ([`PaxosNode::proposal`]); it is set in the very step
//! the client command arrives, and the checker, which runs after every step, adds it to the set
//! of proposed values. A value reaches an accept request only from a client or from an
//! acceptor's report, so every correctly chosen value is in that set.

use crate::ballot::{Ballot, NodeSet};
use crate::basic::node::PaxosNode;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use ballot_core::{Checker, Cluster, Command, Instant, Node, NodeId, VecMap, VecSet, Violation};

/// "Only a single value is chosen" (and learners learn only the chosen value). Reference:
/// Paxos Made Simple §2.1.
pub const AGREEMENT: &str = "Agreement";
/// "Only a value that has been proposed may be chosen." Reference: Paxos Made Simple §2.1.
pub const VALIDITY: &str = "Validity";
/// P1a, and promises never decrease. Reference: Paxos Made Simple §2.2.
pub const PROMISE_RESPECTED: &str = "Promise Respected";

const PROPERTIES: [&str; 3] = [AGREEMENT, VALIDITY, PROMISE_RESPECTED];

/// What the checker remembers of one acceptor (its durable state, so it survives crashes).
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
struct Track {
    promised: Ballot,
    accepted: Option<(Ballot, Command)>,
}

/// Checks Basic Paxos's safety properties incrementally. See the module docs.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct PaxosChecker {
    cluster: Cluster,
    /// Every value some client asked some node to propose.
    proposed: VecSet<Command>,
    /// For each proposal ever accepted, every acceptor that accepted it.
    votes: VecMap<(Ballot, Command), NodeSet>,
    /// The first proposal seen accepted by a majority.
    chosen: Option<(Ballot, Command)>,
    /// Per acceptor, by [`NodeId::index`].
    tracks: Vec<Track>,
}

impl PaxosChecker {
    /// A checker for a fresh run of `cluster`.
    pub fn new(cluster: Cluster) -> PaxosChecker {
        PaxosChecker {
            cluster,
            proposed: VecSet::new(),
            votes: VecMap::new(),
            chosen: None,
            tracks: vec![Track::default(); usize::from(cluster.size())],
        }
    }

    /// The value chosen (accepted by a majority in one ballot), with the first ballot it was
    /// seen chosen in.
    pub fn chosen(&self) -> Option<&(Ballot, Command)> {
        self.chosen.as_ref()
    }

    /// Who ever accepted (`ballot`, `value`).
    pub fn voters(&self, ballot: Ballot, value: &Command) -> NodeSet {
        self.votes.get(&(ballot, value.clone())).copied().unwrap_or_default()
    }

    fn check_acceptor(&mut self, now: Instant, k: usize, node: &PaxosNode) -> Option<Violation> {
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
        if node.accepted() == track.accepted.as_ref() {
            return None;
        }
        track.accepted = node.accepted().cloned();
        let Some((ballot, value)) = node.accepted().cloned() else {
            return Some(violation(
                PROMISE_RESPECTED,
                vec![id],
                format!("{id} forgot the proposal it had accepted"),
            ));
        };
        if ballot < old_promise {
            return Some(violation(
                PROMISE_RESPECTED,
                vec![id],
                format!("{id} accepted {value} in ballot {ballot} after promising {old_promise}"),
            ));
        }
        let voters = self.votes.get_or_insert_with((ballot, value.clone()), NodeSet::default);
        voters.insert(id);
        let voters = *voters;
        if !voters.is_majority_of(self.cluster) {
            return None;
        }
        match &self.chosen {
            Some((first, v)) if *v != value => {
                let mut nodes: Vec<NodeId> = voters.iter().collect();
                nodes.sort_unstable();
                return Some(violation(
                    AGREEMENT,
                    nodes,
                    format!(
                        "two values chosen: {v} (ballot {first}) and {value} (ballot {ballot}, accepted by {})",
                        voters.to_text()
                    ),
                ));
            }
            Some(_) => {}
            None => self.chosen = Some((ballot, value.clone())),
        }
        if !self.proposed.contains(&value) {
            return Some(violation(
                VALIDITY,
                voters.iter().collect(),
                format!("{value} was chosen in ballot {ballot} but no client proposed it"),
            ));
        }
        None
    }

    fn check_learner(&self, now: Instant, node: &PaxosNode) -> Option<Violation> {
        let (ballot, value) = node.learned()?;
        let id = node.id();
        let detail: String = match &self.chosen {
            Some((_, chosen)) if chosen == value => return None,
            Some((first, chosen)) => {
                format!("{id} learned {value} (ballot {ballot}) but {chosen} was chosen (ballot {first})")
            }
            None => format!("{id} learned {value} (ballot {ballot}) but no majority accepted any value"),
        };
        Some(Violation { property: AGREEMENT, nodes: vec![id], at: now, step: 0, detail })
    }
}

impl Checker<PaxosNode> for PaxosChecker {
    /// "Agreement", "Validity", "Promise Respected".
    fn properties(&self) -> &'static [&'static str] {
        &PROPERTIES
    }

    fn check(&mut self, now: Instant, _stepped: NodeId, nodes: &[Option<PaxosNode>]) -> Option<Violation> {
        if self.tracks.len() < nodes.len() {
            self.tracks.resize(nodes.len(), Track::default());
        }
        // Proposals first (a value proposed and chosen in one step is valid), then acceptors
        // (what is chosen), then learners (held to it).
        for node in nodes.iter().flatten() {
            if let Some(value) = node.proposal() {
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
        nodes.iter().flatten().find_map(|node| self.check_learner(now, node))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::basic::config::PaxosConfig;
    use crate::basic::node::PaxosDurable;
    use ballot_core::testkit::{boot, set};

    fn node(id: u8) -> PaxosNode {
        boot::<PaxosNode>(id, 3, &PaxosConfig::default(), PaxosDurable::default()).0
    }

    fn b(round: u64, proposer: u8) -> Ballot {
        Ballot::new(round, NodeId(proposer))
    }

    fn check(c: &mut PaxosChecker, nodes: &[PaxosNode]) -> Option<Violation> {
        let nodes: Vec<Option<PaxosNode>> = nodes.iter().cloned().map(Some).collect();
        c.check(Instant::ZERO, NodeId(1), &nodes)
    }

    #[test]
    fn properties_are_named_after_the_paper() {
        let c = PaxosChecker::new(Cluster::new(3));
        assert_eq!(Checker::<PaxosNode>::properties(&c), &["Agreement", "Validity", "Promise Respected"]);
    }

    /// "Only a single value is chosen."
    #[test]
    fn two_values_chosen_break_agreement() {
        let mut c = PaxosChecker::new(Cluster::new(3));
        let mut n = [node(1), node(2), node(3)];
        n[0].proposal = Some(set("x", "1"));
        n[2].proposal = Some(set("x", "2"));
        for (k, ballot) in [(0, b(1, 1)), (1, b(1, 1))] {
            n[k].promised = ballot;
            n[k].accepted = Some((ballot, set("x", "1")));
        }
        assert_eq!(check(&mut c, &n), None);
        assert_eq!(c.chosen(), Some(&(b(1, 1), set("x", "1"))));
        // Acceptors moving on to a higher ballot with the same value is fine.
        for k in [1, 2] {
            n[k].promised = b(2, 3);
            n[k].accepted = Some((b(2, 3), set("x", "1")));
        }
        assert_eq!(check(&mut c, &n), None);
        // A third ballot with another value reaching a majority is not.
        for k in [0, 2] {
            n[k].promised = b(3, 3);
            n[k].accepted = Some((b(3, 3), set("x", "2")));
        }
        let v = check(&mut c, &n).expect("violation");
        assert_eq!(v.property, AGREEMENT);
        assert_eq!(v.nodes, vec![NodeId(1), NodeId(3)]);
        assert!(v.detail.contains("x=1") && v.detail.contains("x=2"), "{}", v.detail);
    }

    /// "A process never learns that a value has been chosen unless it actually has been."
    #[test]
    fn a_learner_learning_an_unchosen_value_breaks_agreement() {
        let mut c = PaxosChecker::new(Cluster::new(3));
        let mut n = [node(1), node(2), node(3)];
        n[1].learned = Some((b(1, 1), set("x", "1")));
        let v = check(&mut c, &n).expect("violation");
        assert_eq!((v.property, v.nodes.clone()), (AGREEMENT, vec![NodeId(2)]));
        assert!(v.detail.contains("no majority"), "{}", v.detail);
    }

    /// "Only a value that has been proposed may be chosen."
    #[test]
    fn choosing_an_unproposed_value_breaks_validity() {
        let mut c = PaxosChecker::new(Cluster::new(3));
        let mut n = [node(1), node(2), node(3)];
        for k in [0, 1] {
            n[k].promised = b(1, 1);
            n[k].accepted = Some((b(1, 1), set("y", "9")));
        }
        let v = check(&mut c, &n).expect("violation");
        assert_eq!(v.property, VALIDITY);
        // The same, with the value proposed (in the same step): fine.
        let mut c = PaxosChecker::new(Cluster::new(3));
        n[2].proposal = Some(set("y", "9"));
        assert_eq!(check(&mut c, &n), None);
        // A proposal seen once stays valid after the proposer crashes.
        let mut c = PaxosChecker::new(Cluster::new(3));
        let (a, bb) = (node(1), node(2));
        let mut p = node(3);
        p.proposal = Some(set("z", "1"));
        assert_eq!(c.check(Instant::ZERO, NodeId(3), &[Some(a.clone()), Some(bb.clone()), Some(p)]), None);
        let mut a = a;
        let mut bb = bb;
        for x in [&mut a, &mut bb] {
            x.promised = b(1, 3);
            x.accepted = Some((b(1, 3), set("z", "1")));
        }
        assert_eq!(c.check(Instant::ZERO, NodeId(1), &[Some(a), Some(bb), None]), None);
    }

    /// P1a, and promises never decrease.
    #[test]
    fn accepting_below_a_promise_or_lowering_it_breaks_promise_respected() {
        let mut c = PaxosChecker::new(Cluster::new(3));
        let mut n = [node(1), node(2), node(3)];
        n[0].proposal = Some(set("x", "1"));
        n[1].promised = b(4, 2);
        assert_eq!(check(&mut c, &n), None);
        // Accepted in a ballot below the promise seen at the previous step.
        n[1].accepted = Some((b(3, 1), set("x", "1")));
        let v = check(&mut c, &n).expect("violation");
        assert_eq!((v.property, v.nodes.clone()), (PROMISE_RESPECTED, vec![NodeId(2)]));
        assert!(v.detail.contains("after promising 4.2"), "{}", v.detail);

        let mut c = PaxosChecker::new(Cluster::new(3));
        n[2].promised = b(4, 2);
        assert_eq!(check(&mut c, &n), None);
        n[2].promised = b(3, 1);
        assert_eq!(check(&mut c, &n).map(|v| v.property), Some(PROMISE_RESPECTED));
    }

    /// An accepted proposal older than the current promise is normal (accept 1.1, then promise
    /// 2.2); only a *new* acceptance below the promise is a violation.
    #[test]
    fn an_old_acceptance_below_a_newer_promise_is_fine() {
        let mut c = PaxosChecker::new(Cluster::new(3));
        let mut n = [node(1), node(2), node(3)];
        n[0].proposal = Some(set("x", "1"));
        n[1].promised = b(1, 1);
        n[1].accepted = Some((b(1, 1), set("x", "1")));
        assert_eq!(check(&mut c, &n), None);
        n[1].promised = b(2, 2);
        assert_eq!(check(&mut c, &n), None);
    }
}
