//! The safety properties of transaction commit, checked after every step.
//!
//! | property | statement |
//! |---|---|
//! | [`ATOMICITY`] | no participant commits a transaction that another participant aborts: Gray & Lamport's consistency condition, `TCConsistent` in the `TCommit` spec: `∀ r1, r2 ∈ RM: ¬(rmState[r1] = "aborted" ∧ rmState[r2] = "committed")` |
//! | [`COMMIT_VALIDITY`] | a transaction is committed — by the coordinator's decision or by any participant — only if every participant voted yes (the spec's `TMCommit` guard `tmPrepared = RM`; the paper: "the transaction can be committed only if all RMs are prepared") |
//!
//! **History.** The checker keeps, per transaction, who voted yes or no, who committed and who
//! aborted, and whether the coordinator decided commit — *ever*, not just now. A participant
//! that committed and then crashed still counts, and so does a participant that has since moved
//! on to the next transaction. Votes are read from the participants' durable state
//! ([`crate::Participant::vote`]), so a vote is known the moment it is cast, before the message
//! carrying it leaves.
//!
//! **Cost.** Each node is re-examined only when its `(transaction, state, vote)` changed since
//! the last step: a map lookup and a few bit operations.

use crate::message::{Decision, TxnId};
use crate::node::{participants, RmState, Role, TwoPcNode, Vote};
use crate::set::NodeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use ballot_core::{Checker, Cluster, Instant, Node, NodeId, VecMap, Violation};

/// "No participant commits while another aborts" (`TCConsistent`).
pub const ATOMICITY: &str = "Atomicity";
/// "Commit only if every participant voted yes" (`TMCommit` requires `tmPrepared = RM`).
pub const COMMIT_VALIDITY: &str = "Commit Validity";

const PROPERTIES: [&str; 2] = [ATOMICITY, COMMIT_VALIDITY];

/// Everything ever observed about one transaction.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct TxnRecord {
    /// Participants that voted yes.
    pub yes: NodeSet,
    /// Participants that voted no.
    pub no: NodeSet,
    /// Participants that committed.
    pub committed: NodeSet,
    /// Participants that aborted.
    pub aborted: NodeSet,
    /// Whether the coordinator decided commit.
    pub coordinator_committed: bool,
    /// Atomicity was reported for this transaction.
    atomicity_reported: bool,
    /// Commit Validity was reported for this transaction.
    validity_reported: bool,
}

/// What the checker last saw of one node: `(txn, state, vote)` of a participant, or
/// `(txn, decision)` of the coordinator, packed in one comparable value.
type Seen = (TxnId, u8, u8);

fn seen(node: &TwoPcNode) -> Seen {
    match node.role() {
        Role::Coordinator(tm) => (tm.txn(), tm.decision().map_or(0, |d| d as u8 + 1), 0),
        Role::Participant(rm) => (rm.txn(), rm.state() as u8, rm.vote().map_or(0, |v| v as u8 + 1)),
    }
}

/// Checks Atomicity and Commit Validity incrementally. See the module docs.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct TwoPcChecker {
    cluster: Cluster,
    /// Every transaction ever observed. Transaction ids grow, so a new one is a push.
    txns: VecMap<TxnId, TxnRecord>,
    /// Per node (by [`NodeId::index`]): what was seen last; `None` after a crash.
    seen: Vec<Option<Seen>>,
    /// Violations found but not yet returned (one `check` returns one).
    pending: Vec<Violation>,
}

impl TwoPcChecker {
    /// A checker for a fresh run of `cluster`.
    pub fn new(cluster: Cluster) -> TwoPcChecker {
        TwoPcChecker {
            cluster,
            txns: VecMap::new(),
            seen: vec![None; usize::from(cluster.size())],
            pending: Vec::new(),
        }
    }

    /// What has been observed of transaction `txn`, if anything.
    pub fn record(&self, txn: TxnId) -> Option<&TxnRecord> {
        self.txns.get(&txn)
    }

    /// Records what `node` shows now; returns the transaction it is about if anything new.
    fn observe(&mut self, node: &TwoPcNode) -> Option<TxnId> {
        let k = node.id().index();
        if k >= self.seen.len() {
            self.seen.resize(k + 1, None);
        }
        let now = seen(node);
        if self.seen[k] == Some(now) {
            return None;
        }
        self.seen[k] = Some(now);
        let txn = node.txn();
        if txn == 0 {
            return None;
        }
        let id = node.id();
        let record = self.txns.get_or_insert_with(txn, TxnRecord::default);
        match node.role() {
            Role::Coordinator(tm) => {
                if tm.decision() == Some(Decision::Commit) {
                    record.coordinator_committed = true;
                }
            }
            Role::Participant(rm) => {
                match rm.vote() {
                    Some(Vote::Yes) => record.yes.insert(id),
                    Some(Vote::No) => record.no.insert(id),
                    None => false,
                };
                match rm.state() {
                    RmState::Committed => record.committed.insert(id),
                    RmState::Aborted => record.aborted.insert(id),
                    RmState::Working | RmState::Prepared => false,
                };
            }
        }
        Some(txn)
    }

    /// Evaluates both properties for `txn`, queueing what is newly broken.
    fn judge(&mut self, now: Instant, txn: TxnId) {
        let everyone = participants(self.cluster);
        let Some(r) = self.txns.get_mut(&txn) else { return };
        let violation = |property, nodes: Vec<NodeId>, detail: String| Violation {
            property,
            nodes,
            at: now,
            step: 0,
            detail,
        };
        let committer =
            if r.coordinator_committed { Some(crate::COORDINATOR) } else { r.committed.iter().next() };
        if let Some(who) = committer {
            let missing = everyone.difference(r.yes);
            if !r.validity_reported && !missing.is_empty() {
                r.validity_reported = true;
                let names = join(missing);
                let verb = if who == crate::COORDINATOR && r.coordinator_committed {
                    "decided commit for"
                } else {
                    "committed"
                };
                let mut nodes = vec![who];
                nodes.extend(missing.iter());
                self.pending.push(violation(
                    COMMIT_VALIDITY,
                    nodes,
                    format!("{who} {verb} transaction {txn}, but {names} did not vote yes"),
                ));
            }
        }
        let (Some(c), Some(a)) = (r.committed.iter().next(), r.aborted.iter().next()) else { return };
        if !r.atomicity_reported {
            r.atomicity_reported = true;
            let detail = if c == a {
                format!("{c} both committed and aborted transaction {txn}")
            } else {
                format!("{c} committed transaction {txn} while {a} aborted it")
            };
            let mut nodes = vec![c, a];
            nodes.dedup();
            self.pending.push(violation(ATOMICITY, nodes, detail));
        }
    }
}

fn join(set: NodeSet) -> String {
    let mut out = String::new();
    for (i, id) in set.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&format!("{id}"));
    }
    out
}

impl Checker<TwoPcNode> for TwoPcChecker {
    /// "Atomicity", "Commit Validity".
    fn properties(&self) -> &'static [&'static str] {
        &PROPERTIES
    }

    fn check(&mut self, now: Instant, _stepped: NodeId, nodes: &[Option<TwoPcNode>]) -> Option<Violation> {
        // Every node is looked at (each costs one comparison unless it changed), so a caller
        // that changed several nodes between two checks is still covered. Votes are recorded
        // before any commit is judged.
        let mut touched: Vec<TxnId> = Vec::new();
        for (k, slot) in nodes.iter().enumerate() {
            match slot {
                Some(node) => {
                    if let Some(txn) = self.observe(node) {
                        if !touched.contains(&txn) {
                            touched.push(txn);
                        }
                    }
                }
                None => {
                    if let Some(s) = self.seen.get_mut(k) {
                        *s = None; // Crashed: what it did stays in `txns`.
                    }
                }
            }
        }
        for txn in touched {
            self.judge(now, txn);
        }
        if self.pending.is_empty() {
            None
        } else {
            Some(self.pending.remove(0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bug::TwoPcBug;
    use crate::config::TwoPcConfig;
    use crate::message::TwoPcMsg;
    use crate::node::{RmDurable, TmDurable, TwoPcDurable, TwoPcTimer};
    use crate::testing::{boot, net, Net};
    use alloc::string::ToString;
    use ballot_core::testkit::set;
    use ballot_core::{KvStore, Prng};

    fn tm(txn: TxnId, decision: Option<Decision>) -> TwoPcNode {
        let d = TmDurable { txn, command: Some(set("x", "1")), decision };
        boot(1, 4, &TwoPcConfig::default(), TwoPcDurable::Coordinator(d)).0
    }

    fn rm(id: u8, txn: TxnId, state: RmState, vote: Option<Vote>) -> TwoPcNode {
        let d = RmDurable { txn, state, vote, command: Some(set("x", "1")), kv: KvStore::default() };
        boot(id, 4, &TwoPcConfig::default(), TwoPcDurable::Participant(d)).0
    }

    fn check(checker: &mut TwoPcChecker, nodes: &[Option<TwoPcNode>]) -> Option<Violation> {
        checker.check(Instant::ZERO, NodeId(1), nodes)
    }

    fn property(v: Option<Violation>) -> Option<&'static str> {
        v.map(|v| v.property)
    }

    /// `TCConsistent`: `¬(rmState[r1] = "aborted" ∧ rmState[r2] = "committed")`. A committed
    /// participant that crashes still counts.
    #[test]
    fn one_committed_and_one_aborted_breaks_atomicity() {
        use RmState::*;
        let mut checker = TwoPcChecker::new(Cluster::new(4));
        let yes = Some(Vote::Yes);
        let nodes = [
            Some(tm(1, Some(Decision::Commit))),
            Some(rm(2, 1, Committed, yes)),
            Some(rm(3, 1, Prepared, yes)),
            Some(rm(4, 1, Prepared, yes)),
        ];
        assert_eq!(check(&mut checker, &nodes), None, "commit with every yes vote is fine");
        // S2 crashes; S3 then aborts (as only a broken participant would).
        let nodes = [nodes[0].clone(), None, Some(rm(3, 1, Aborted, yes)), nodes[3].clone()];
        let v = check(&mut checker, &nodes).expect("a violation");
        assert_eq!(v.property, ATOMICITY);
        assert_eq!(v.nodes, [NodeId(2), NodeId(3)]);
        assert_eq!(v.detail, "S2 committed transaction 1 while S3 aborted it");
        assert_eq!(check(&mut checker, &nodes), None, "reported once");
        // Another transaction is judged on its own.
        let nodes =
            [Some(tm(2, None)), Some(rm(2, 2, Aborted, None)), Some(rm(3, 2, Aborted, Some(Vote::No))), None];
        assert_eq!(check(&mut checker, &nodes), None);
    }

    /// `TMCommit` requires `tmPrepared = RM`: a coordinator that decides commit while some
    /// participant has not voted yes breaks Commit Validity, even if everyone then commits.
    #[test]
    fn a_commit_decision_without_every_yes_breaks_commit_validity() {
        use RmState::*;
        let mut checker = TwoPcChecker::new(Cluster::new(4));
        let yes = Some(Vote::Yes);
        let nodes = [
            Some(tm(1, None)),
            Some(rm(2, 1, Prepared, yes)),
            Some(rm(3, 1, Prepared, yes)),
            Some(rm(4, 0, Working, None)),
        ];
        assert_eq!(check(&mut checker, &nodes), None);
        let nodes =
            [Some(tm(1, Some(Decision::Commit))), nodes[1].clone(), nodes[2].clone(), nodes[3].clone()];
        let v = check(&mut checker, &nodes).expect("a violation");
        assert_eq!(v.property, COMMIT_VALIDITY);
        assert_eq!(v.nodes, [NodeId(1), NodeId(4)]);
        assert_eq!(v.detail, "S1 decided commit for transaction 1, but S4 did not vote yes");
    }

    /// A participant committing is held to the same rule; a no vote counts as "not yes".
    #[test]
    fn a_participant_committing_without_every_yes_breaks_commit_validity() {
        use RmState::*;
        let mut checker = TwoPcChecker::new(Cluster::new(4));
        let yes = Some(Vote::Yes);
        let nodes = [
            None,
            Some(rm(2, 1, Committed, yes)),
            Some(rm(3, 1, Prepared, yes)),
            Some(rm(4, 1, Aborted, Some(Vote::No))),
        ];
        let first = check(&mut checker, &nodes);
        let second = check(&mut checker, &nodes);
        let mut found = [property(first), property(second)];
        found.sort();
        assert_eq!(found, [Some(ATOMICITY), Some(COMMIT_VALIDITY)], "both are reported, one per call");
        assert_eq!(check(&mut checker, &nodes), None);
    }

    #[test]
    fn a_participant_flipping_its_outcome_breaks_atomicity() {
        use RmState::*;
        let mut checker = TwoPcChecker::new(Cluster::new(3));
        let yes = Some(Vote::Yes);
        let a = |state| rm(2, 1, state, yes);
        assert_eq!(
            check(
                &mut checker,
                &[Some(tm(1, Some(Decision::Commit))), Some(a(Committed)), Some(rm(3, 1, Prepared, yes))]
            ),
            None
        );
        let v = check(&mut checker, &[None, Some(a(Aborted)), None]).unwrap();
        assert_eq!((v.property, v.nodes.as_slice()), (ATOMICITY, [NodeId(2)].as_slice()));
        assert!(v.detail.contains("both committed and aborted"), "{}", v.detail);
    }

    #[test]
    fn correct_runs_are_clean() {
        for no_voter in [None, Some(3)] {
            let mut config = TwoPcConfig::default();
            if let Some(id) = no_voter {
                config.no_voters.insert(NodeId(id));
            }
            let mut net = net(4, config);
            for value in 0..3 {
                net.client(1, set("x", &format!("{value}"))).unwrap();
                net.deliver_all();
            }
            assert!(net.violations.is_empty(), "{:?}", net.violations);
            let expected = if no_voter.is_some() { RmState::Aborted } else { RmState::Committed };
            for id in 2..=4 {
                assert_eq!((net.node(id).txn(), net.node(id).rm_state()), (3, Some(expected)));
            }
            assert!(net.node(1).coordinator().unwrap().is_idle());
            let kv = net.node(2).participant().unwrap().kv().get("x");
            assert_eq!(kv, if no_voter.is_some() { None } else { Some("2") });
            let record = net.checker.record(3).unwrap();
            assert_eq!(record.committed.count() + record.aborted.count(), 3);
        }
    }

    /// The coordinator crashes after deciding commit and before anyone hears it: participants
    /// are in doubt and wait; with the bug, one gives up and aborts while the others commit.
    fn coordinator_lost_after_commit(bug: Option<TwoPcBug>) -> Net {
        let mut net = net(4, TwoPcConfig { bug, ..TwoPcConfig::default() });
        net.client(1, set("x", "1")).unwrap();
        net.deliver_matching(|m| matches!(m, TwoPcMsg::Prepare { .. } | TwoPcMsg::Prepared { .. }));
        assert_eq!(net.node(1).decision(), Some(Decision::Commit));
        net.wire.clear(); // Every Commit is lost.
        net.crash(NodeId(1));
        // S2 hears nothing and asks; its query is lost with the coordinator.
        net.fire(2, TwoPcTimer::Status);
        net.deliver_all();
        net.restart(NodeId(1));
        net.deliver_all();
        net
    }

    #[test]
    fn in_doubt_participants_wait_and_learn_the_outcome() {
        let net = coordinator_lost_after_commit(None);
        assert!(net.violations.is_empty(), "{:?}", net.violations);
        for id in 2..=4 {
            assert_eq!(net.node(id).rm_state(), Some(RmState::Committed));
        }
    }

    #[test]
    fn abort_after_yes_is_caught_by_atomicity() {
        let net = coordinator_lost_after_commit(Some(TwoPcBug::AbortAfterYes));
        let v = net.violations.first().expect("a violation");
        assert_eq!(v.property, ATOMICITY, "{v:?}");
    }

    /// S4 does not vote yes: either its Prepare is lost, or it is a no-voter whose no is lost.
    /// Then the vote timeout fires.
    fn lost_vote(bug: Option<TwoPcBug>, no_voter: bool) -> Net {
        let mut config = TwoPcConfig { bug, ..TwoPcConfig::default() };
        if no_voter {
            config.no_voters.insert(NodeId(4));
        }
        let mut net = net(4, config);
        net.client(1, set("x", "1")).unwrap();
        if no_voter {
            net.deliver_matching(|m| matches!(m, TwoPcMsg::Prepare { .. }));
            net.wire.retain(|(from, _, _)| *from != NodeId(4));
        } else {
            net.wire.retain(|(_, to, _)| *to != NodeId(4));
        }
        net.deliver_all();
        assert_eq!(net.node(1).tm_state(), Some(crate::TmState::Init));
        net.fire(1, TwoPcTimer::Vote);
        net.deliver_all();
        net
    }

    #[test]
    fn commit_on_timeout_is_caught_by_commit_validity_and_atomicity() {
        for no_voter in [false, true] {
            let net = lost_vote(None, no_voter);
            assert!(net.violations.is_empty(), "{:?}", net.violations);
            assert_eq!(net.node(1).decision(), Some(Decision::Abort));
            for id in 2..=4 {
                assert_eq!(net.node(id).rm_state(), Some(RmState::Aborted));
            }
        }
        let net = lost_vote(Some(TwoPcBug::CommitOnTimeout), false);
        let props: Vec<&str> = net.violations.iter().map(|v| v.property).collect();
        assert_eq!(props, [COMMIT_VALIDITY]);
        let net = lost_vote(Some(TwoPcBug::CommitOnTimeout), true);
        let props: Vec<&str> = net.violations.iter().map(|v| v.property).collect();
        assert_eq!(props, [COMMIT_VALIDITY, ATOMICITY]);
    }

    /// One random run: reordering, duplication, loss, timers, client commands, crashes and restarts.
    fn swarm(seed: u64, size: u8, config: TwoPcConfig, steps: u32) -> Net {
        let mut rng = Prng::new(seed);
        let mut net = net(size, config);
        let mut next_value = 0u64;
        for _ in 0..steps {
            if !net.violations.is_empty() {
                break;
            }
            let roll = rng.below(100);
            if roll < 60 && !net.wire.is_empty() {
                let k = rng.below(net.wire.len() as u64) as usize;
                if rng.chance(1, 10) {
                    let copy = net.wire[k].clone();
                    net.wire.push(copy); // duplicated
                }
                if rng.chance(1, 8) {
                    net.wire.remove(k); // lost
                } else {
                    net.deliver(k);
                }
            } else if roll < 80 {
                let id = NodeId(rng.between(1, u64::from(size)) as u8);
                let armed: Vec<TwoPcTimer> = net.armed[id.index()].iter().copied().collect();
                if !armed.is_empty() {
                    let timer = armed[rng.below(armed.len() as u64) as usize];
                    net.fire(id.0, timer);
                }
            } else if roll < 90 {
                next_value += 1;
                let to = rng.between(1, u64::from(size)) as u8;
                let _ = net.client(to, set("x", &next_value.to_string()));
            } else {
                let id = NodeId(rng.between(1, u64::from(size)) as u8);
                if net.nodes[id.index()].is_some() {
                    net.crash(id);
                } else {
                    net.restart(id);
                }
            }
        }
        net
    }

    /// Random runs with loss, duplication, reordering, crashes and timers: correct two-phase
    /// commit never breaks a property, and every bug is caught by some seed.
    #[test]
    fn random_runs_are_safe_and_bugs_are_caught() {
        for seed in 0..200 {
            let net = swarm(seed, 3 + (seed % 5) as u8, TwoPcConfig::default(), 400);
            assert!(net.violations.is_empty(), "seed {seed}: {:?}", net.violations);
        }
        // The test network asserts the persistence contract by panicking; the simulator's swarm
        // catches `vote-before-persist` as a violation (crates/engine/tests/every_protocol.rs).
        for bug in TwoPcBug::ALL.into_iter().filter(|&b| b != TwoPcBug::VoteBeforePersist) {
            let caught = (0..2000).find(|&seed| {
                let config = TwoPcConfig { bug: Some(bug), ..TwoPcConfig::default() };
                !swarm(seed, 3 + (seed % 5) as u8, config, 400).violations.is_empty()
            });
            assert!(caught.is_some(), "{bug} never caught");
        }
    }
}
