//! Zab's safety properties, as the paper names them (Junqueira, Reed, Serafini, DSN 2011,
//! §III-B) and ZooKeeper's `Zab.tla` checks them, plus one the paper proves rather than states.
//! Checked after every step.
//!
//! | property | wording |
//! |---|---|
//! | [`INTEGRITY`] | "If some process delivers ⟨v, z⟩, then some process has broadcast ⟨v, z⟩." |
//! | [`TOTAL_ORDER`] | "If some process delivers ⟨v, z⟩ before ⟨v′, z′⟩, then any process that delivers ⟨v′, z′⟩ must also deliver ⟨v, z⟩ and deliver ⟨v, z⟩ before ⟨v′, z′⟩." |
//! | [`AGREEMENT`] | "If some process p_i delivers ⟨v, z⟩ and some process p_j delivers ⟨v′, z′⟩, then either p_i delivers ⟨v′, z′⟩ or p_j delivers ⟨v, z⟩." |
//! | [`LOCAL_PRIMARY_ORDER`] | "If a primary broadcasts ⟨v, z⟩ before it broadcasts ⟨v′, z′⟩, then a process that delivers ⟨v′, z′⟩ must also deliver ⟨v, z⟩ before ⟨v′, z′⟩." |
//! | [`GLOBAL_PRIMARY_ORDER`] | "Let ⟨v, z⟩ and ⟨v′, z′⟩ be two transactions broadcast by primaries of epochs e < e′. If a process delivers both, it must deliver ⟨v, z⟩ before ⟨v′, z′⟩." |
//! | [`PRIMARY_INTEGRITY`] | "If a primary ρ_e broadcasts ⟨v, z⟩ and some process delivers ⟨v′, z′⟩ broadcast by ρ_e′ with e′ < e, then ρ_e must deliver ⟨v′, z′⟩ before it broadcasts ⟨v, z⟩." |
//! | [`COMMITTED_NEVER_LOST`] | a transaction delivered before an epoch is established is in that epoch's initial history: no leader change loses it |
//!
//! **How.** Every server's delivered transactions are a prefix of its history. The checker keeps
//! one *delivered sequence*: each server's delivered prefix must be a prefix of it (or extend
//! it), which is Agreement and Total Order at once; a prefix that departs from it breaks Total
//! Order if the transaction where it departs is elsewhere in the sequence, Agreement if not.
//! Each transaction that extends the sequence is checked once: it was broadcast (Integrity), its
//! epoch is not below its predecessor's (Global Primary Order), it follows its predecessor in its
//! primary's order (Local Primary Order: counters 1, 2, 3… within an epoch) and no primary of
//! a later epoch broadcast before delivering it (Primary Integrity). A leader is checked when
//! it establishes an epoch (its initial history holds every transaction of earlier epochs
//! delivered so far: Committed Never Lost) and when it first broadcasts (it delivered them).
//! A transaction proposed but not committed may be missing from one epoch's initial history and
//! still be delivered in a later epoch, if no epoch in between delivered anything: Zab allows
//! that, and so does the checker. Histories carry hash
//! chains, so "is a prefix of" is one comparison and each step costs O(1) per server, plus
//! O(log n) to locate a divergence.

use crate::node::{Phase, Role, ZabNode};
use crate::zxid::{Epoch, History, Zxid};
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use ballot_core::{Checker, Cluster, Command, Instant, NodeId, VecMap, VecSet, Violation};

/// "If some process delivers ⟨v, z⟩, then some process has broadcast ⟨v, z⟩."
pub const INTEGRITY: &str = "Integrity";
/// "If some process delivers ⟨v, z⟩ before ⟨v′, z′⟩, then any process that delivers ⟨v′, z′⟩
/// must also deliver ⟨v, z⟩ and deliver ⟨v, z⟩ before ⟨v′, z′⟩."
pub const TOTAL_ORDER: &str = "Total Order";
/// "If some process p_i delivers ⟨v, z⟩ and some process p_j delivers ⟨v′, z′⟩, then either
/// p_i delivers ⟨v′, z′⟩ or p_j delivers ⟨v, z⟩."
pub const AGREEMENT: &str = "Agreement";
/// "If a primary broadcasts ⟨v, z⟩ before it broadcasts ⟨v′, z′⟩, then a process that delivers
/// ⟨v′, z′⟩ must also deliver ⟨v, z⟩ before ⟨v′, z′⟩."
pub const LOCAL_PRIMARY_ORDER: &str = "Local Primary Order";
/// "If a process delivers transactions of primaries of epochs e < e′, it delivers the one of
/// e first."
pub const GLOBAL_PRIMARY_ORDER: &str = "Global Primary Order";
/// "If a primary ρ_e broadcasts ⟨v, z⟩ and some process delivers ⟨v′, z′⟩ broadcast by ρ_e′ with
/// e′ < e, then ρ_e must deliver ⟨v′, z′⟩ before it broadcasts ⟨v, z⟩."
pub const PRIMARY_INTEGRITY: &str = "Primary Integrity";
/// A transaction delivered (committed) before an epoch is established is in that epoch's initial
/// history: it is never lost across leader changes.
pub const COMMITTED_NEVER_LOST: &str = "Committed Never Lost";

const PROPERTIES: [&str; 7] = [
    INTEGRITY,
    TOTAL_ORDER,
    AGREEMENT,
    LOCAL_PRIMARY_ORDER,
    GLOBAL_PRIMARY_ORDER,
    PRIMARY_INTEGRITY,
    COMMITTED_NEVER_LOST,
];

/// What the checker remembers of one server between steps.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
struct Track {
    /// Its delivered prefix when last checked: (length, chain).
    seen: (u64, u64),
    /// While leading in broadcast: (epoch, history length up to which its proposals are recorded).
    recorded: (Epoch, u64),
}

/// Watches a Zab ensemble; see the module docs.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ZabChecker {
    /// Every transaction a primary broadcast (proposed in its own epoch).
    broadcast: VecMap<Zxid, Command>,
    /// The delivered sequence: every delivered prefix is a prefix of it.
    delivered: History,
    /// Each established epoch (its history chosen) and its leader.
    established: VecMap<Epoch, NodeId>,
    /// Epochs whose primary has broadcast.
    broadcasting: VecSet<Epoch>,
    tracks: Vec<Track>,
}

impl ZabChecker {
    /// A checker for `cluster`.
    pub fn new(cluster: Cluster) -> ZabChecker {
        ZabChecker {
            broadcast: VecMap::new(),
            delivered: History::new(),
            established: VecMap::new(),
            broadcasting: VecSet::new(),
            tracks: vec![Track::default(); usize::from(cluster.size())],
        }
    }

    /// The delivered sequence so far.
    pub fn delivered(&self) -> &History {
        &self.delivered
    }

    /// How many delivered transactions belong to epochs below `epoch`.
    fn delivered_before(&self, epoch: Epoch) -> u64 {
        self.delivered.iter().take_while(|e| e.zxid.epoch() < epoch).count() as u64
    }

    /// Whether `history`'s first `n` transactions are the delivered sequence's first `n`.
    fn holds_prefix(&self, history: &History, n: u64) -> bool {
        history.len() >= n && history.chain_at(n) == self.delivered.chain_at(n)
    }

    fn violation(
        now: Instant,
        property: &'static str,
        nodes: Vec<NodeId>,
        detail: String,
    ) -> Option<Violation> {
        Some(Violation { property, nodes, at: now, step: 0, detail })
    }

    fn check_leader(&mut self, now: Instant, k: usize, node: &ZabNode) -> Option<Violation> {
        let Role::Leading(l) = node.role() else { return None };
        let id = NodeId::from_index(k);
        let epoch = node.current_epoch();
        if l.phase >= Phase::Sync && !self.established.contains_key(&epoch) {
            self.established.insert(epoch, id);
            let need = self.delivered_before(epoch);
            if !self.holds_prefix(node.history(), need) {
                let lost = self.first_missing(node.history(), need);
                return Self::violation(
                    now,
                    COMMITTED_NEVER_LOST,
                    vec![id],
                    format!("{id} established epoch {epoch} without delivered transaction {lost}"),
                );
            }
        }
        if l.phase != Phase::Broadcast {
            return None;
        }
        let track = &mut self.tracks[k];
        if track.recorded.0 != epoch {
            track.recorded = (epoch, node.history().count_through(Zxid::new(epoch, 0)));
        }
        let from = track.recorded.1;
        if node.history().len() <= from {
            return None;
        }
        track.recorded.1 = node.history().len();
        for e in node.history().iter().skip(from as usize) {
            if e.zxid.epoch() == epoch && !self.broadcast.contains_key(&e.zxid) {
                self.broadcast.insert(e.zxid, e.command.clone());
            }
        }
        if self.broadcasting.insert(epoch) {
            let need = self.delivered_before(epoch);
            if node.committed() < need || !self.holds_prefix(node.history(), need) {
                let missing = self.first_missing(node.history(), need.min(node.committed()).max(1));
                return Self::violation(
                    now,
                    PRIMARY_INTEGRITY,
                    vec![id],
                    format!(
                        "{id} broadcast in epoch {epoch} before delivering {missing} of an earlier epoch"
                    ),
                );
            }
        }
        None
    }

    /// The first delivered transaction (within the first `n`) that `history` lacks or has
    /// elsewhere, as a zxid label.
    fn first_missing(&self, history: &History, n: u64) -> String {
        let p = first_difference(history, &self.delivered, n);
        self.delivered.entry(p).map_or_else(|| String::from("?"), |e| format!("{}", e.zxid))
    }

    fn check_delivered(&mut self, now: Instant, k: usize, node: &ZabNode) -> Option<Violation> {
        let id = NodeId::from_index(k);
        let d = node.committed();
        let mine = (d, node.history().chain_at(d));
        if self.tracks[k].seen == mine {
            return None;
        }
        let g = self.delivered.len();
        let common = d.min(g);
        if node.history().chain_at(common) != self.delivered.chain_at(common) {
            self.tracks[k].seen = mine;
            let p = first_difference(node.history(), &self.delivered, common);
            let theirs = node.history().entry(p).expect("p is within the common part");
            let ours = self.delivered.entry(p).expect("p is within the common part");
            let elsewhere =
                self.delivered.iter().any(|e| e.zxid == theirs.zxid && e.command == theirs.command);
            let property = if elsewhere { TOTAL_ORDER } else { AGREEMENT };
            return Self::violation(
                now,
                property,
                vec![id],
                format!(
                    "{id} delivered {} ({}) as transaction #{p}, where others delivered {} ({})",
                    theirs.zxid, theirs.command, ours.zxid, ours.command
                ),
            );
        }
        for p in g + 1..=d {
            let e = node.history().entry(p).expect("within the delivered prefix").clone();
            let verdict = self.check_extension(now, id, p, e.zxid, &e.command);
            self.delivered.push(e.zxid, e.command);
            if verdict.is_some() {
                return verdict;
            }
        }
        self.tracks[k].seen = mine;
        None
    }

    /// Checks the transaction that becomes #`p` of the delivered sequence.
    fn check_extension(
        &self,
        now: Instant,
        id: NodeId,
        p: u64,
        zxid: Zxid,
        command: &Command,
    ) -> Option<Violation> {
        let fail = |property, detail| Self::violation(now, property, vec![id], detail);
        if self.broadcast.get(&zxid) != Some(command) {
            return fail(INTEGRITY, format!("{id} delivered {zxid} ({command}), which no primary broadcast"));
        }
        let prev = self.delivered.last_zxid();
        if p > 1 && prev.epoch() > zxid.epoch() {
            return fail(
                GLOBAL_PRIMARY_ORDER,
                format!("{id} delivered {zxid} after {prev}, of a later epoch"),
            );
        }
        let expected = if p > 1 && prev.epoch() == zxid.epoch() { prev.counter() + 1 } else { 1 };
        if zxid.counter() != expected {
            let before = Zxid::new(zxid.epoch(), zxid.counter().saturating_sub(1));
            return fail(
                LOCAL_PRIMARY_ORDER,
                format!("{id} delivered {zxid} without {before}, which its primary broadcast before it"),
            );
        }
        if let Some(&epoch) = self.broadcasting.iter().find(|&&e| e > zxid.epoch()) {
            return fail(
                PRIMARY_INTEGRITY,
                format!(
                    "{id} delivered {zxid}, but the primary of epoch {epoch} broadcast without delivering it"
                ),
            );
        }
        None
    }
}

/// The first position (1-based, at most `n`) where `a` and `b` differ, by binary search on the
/// prefix chains; `n` if the first `n - 1` agree.
fn first_difference(a: &History, b: &History, n: u64) -> u64 {
    let (mut lo, mut hi) = (0, n);
    // Invariant: the first `lo` agree; the first `hi` do not (or hi = n).
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        if a.chain_at(mid) == b.chain_at(mid) && a.len() >= mid && b.len() >= mid {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi.max(1)
}

impl Checker<ZabNode> for ZabChecker {
    fn properties(&self) -> &'static [&'static str] {
        &PROPERTIES
    }

    fn check(&mut self, now: Instant, _stepped: NodeId, nodes: &[Option<ZabNode>]) -> Option<Violation> {
        if self.tracks.len() < nodes.len() {
            self.tracks.resize(nodes.len(), Track::default());
        }
        for (k, slot) in nodes.iter().enumerate() {
            match slot {
                Some(node) => {
                    if let Some(v) = self.check_leader(now, k, node) {
                        return Some(v);
                    }
                    if let Some(v) = self.check_delivered(now, k, node) {
                        return Some(v);
                    }
                }
                None => self.tracks[k] = Track::default(),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{elect, leader, net, settle};
    use crate::{ZabBug, ZabConfig, ZabMsg};
    use ballot_core::testkit::set;

    #[test]
    fn properties_are_the_papers_and_one_more() {
        let c = ZabChecker::new(Cluster::new(3));
        assert_eq!(
            c.properties(),
            &[
                "Integrity",
                "Total Order",
                "Agreement",
                "Local Primary Order",
                "Global Primary Order",
                "Primary Integrity",
                "Committed Never Lost"
            ]
        );
    }

    #[test]
    fn first_difference_finds_where_histories_part() {
        let mut a = History::new();
        let mut b = History::new();
        for c in 1..=5 {
            a.push(Zxid::new(1, c), Command::Noop);
            b.push(Zxid::new(1, c), if c == 4 { set("x", "1") } else { Command::Noop });
        }
        assert_eq!(first_difference(&a, &b, 5), 4);
        assert_eq!(first_difference(&a, &b, 3), 3);
    }

    /// A correct run: elect, propose, commit; the checker stays quiet and its sequence grows.
    #[test]
    fn a_correct_run_delivers_one_sequence() {
        let mut net = net(3, ZabConfig::default());
        elect(&mut net);
        let l = leader(&net).unwrap();
        net.client(l.0, set("x", "1")).unwrap();
        net.client(l.0, set("y", "2")).unwrap();
        net.deliver_all();
        assert!(net.violations.is_empty(), "{:?}", net.violations);
        assert_eq!(net.checker.delivered().len(), 2);
    }

    /// Commit before a quorum: the leader delivers a proposal nobody else has; it crashes, and
    /// the next epoch is established without it.
    #[test]
    fn a_lost_commit_breaks_committed_never_lost() {
        let config = ZabConfig { bug: Some(ZabBug::CommitBeforeQuorum), ..ZabConfig::default() };
        let mut net = net(3, config);
        elect(&mut net);
        let old = leader(&net).unwrap();
        net.client(old.0, set("x", "1")).unwrap();
        net.wire.clear();
        net.crash(old);
        for id in net.cluster.peers(old).collect::<Vec<_>>() {
            net.fire(id.0, crate::ZabTimer::Election);
        }
        settle(&mut net);
        assert!(net.violations.iter().any(|v| v.property == COMMITTED_NEVER_LOST), "{:?}", net.violations);
    }

    /// Skip-sync: a follower keeps a proposal the new epoch discarded and delivers it.
    #[test]
    fn a_stale_history_breaks_agreement() {
        let config = ZabConfig { bug: Some(ZabBug::SkipSync), ..ZabConfig::default() };
        let mut net = net(3, config);
        elect(&mut net);
        let old = leader(&net).unwrap();
        // The old leader proposes alone, then is cut off and crashes.
        net.client(old.0, set("x", "1")).unwrap();
        net.wire.retain(|(_, _, m)| !matches!(m, ZabMsg::Propose { .. }));
        net.crash(old);
        let others: Vec<NodeId> = net.cluster.peers(old).collect();
        for id in &others {
            net.fire(id.0, crate::ZabTimer::Election);
        }
        settle(&mut net);
        let new = leader(&net).unwrap();
        net.client(new.0, set("y", "2")).unwrap();
        net.deliver_all();
        // The old leader comes back and follows without synchronising.
        net.restart(old);
        settle(&mut net);
        assert!(net.violations.iter().any(|v| v.property == AGREEMENT), "{:?}", net.violations);
    }
}
