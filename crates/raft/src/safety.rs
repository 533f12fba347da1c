//! Raft's five safety properties (Figure 3 of the paper), checked after every step.
//!
//! | property | Figure 3 wording |
//! |---|---|
//! | [`ELECTION_SAFETY`] | "at most one leader can be elected in a given term. §5.2" |
//! | [`LEADER_APPEND_ONLY`] | "a leader never overwrites or deletes entries in its log; it only appends new entries. §5.3" |
//! | [`LOG_MATCHING`] | "if two logs contain an entry with the same index and term, then the logs are identical in all entries up through the given index. §5.3" |
//! | [`LEADER_COMPLETENESS`] | "if a log entry is committed in a given term, then that entry will be present in the logs of the leaders for all higher-numbered terms. §5.4" |
//! | [`STATE_MACHINE_SAFETY`] | "if a server has applied a log entry at a given index to its state machine, no other server will ever apply a different log entry for the same index. §5.4.3" |
//!
//! **Cost.** The checker never rescans a whole log per step. It remembers a little history —
//! the leader of each term, the prefix chain of every `(index, term)` ever seen, the highest
//! commit observed in each term, what was applied at each index — and compares only what is new
//! since the last step, using the logs' hash chains ([`crate::log`]): a chain at index `i` stands
//! for the whole prefix up to `i`. A log rewritten below what was already registered is located
//! by binary search on chains.
//!
//! **What "committed in term T" means here.** A node whose `commitIndex` is seen to advance
//! while its `currentTerm` is `T` has observed a commit in term `T` (a follower learns it from
//! the leader of `T`). This is conservative: an entry is then required of leaders of terms
//! above `T` only.

use crate::log::{Entry, LogIndex, Term};
use crate::node::RaftNode;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use ballot_core::{Checker, Cluster, Instant, Node, NodeId, VecMap, Violation};

/// "Election Safety: at most one leader can be elected in a given term." Reference: §5.2.
pub const ELECTION_SAFETY: &str = "Election Safety";
/// "Leader Append-Only: a leader never overwrites or deletes entries in its log; it only appends
/// new entries." Reference: §5.3.
pub const LEADER_APPEND_ONLY: &str = "Leader Append-Only";
/// "Log Matching: if two logs contain an entry with the same index and term, then the logs are
/// identical in all entries up through the given index." Reference: §5.3.
pub const LOG_MATCHING: &str = "Log Matching";
/// "Leader Completeness: if a log entry is committed in a given term, then that entry will be
/// present in the logs of the leaders for all higher-numbered terms." Reference: §5.4.
pub const LEADER_COMPLETENESS: &str = "Leader Completeness";
/// "State Machine Safety: if a server has applied a log entry at a given index to its state
/// machine, no other server will ever apply a different log entry for the same index."
/// Reference: §5.4.3.
pub const STATE_MACHINE_SAFETY: &str = "State Machine Safety";

const PROPERTIES: [&str; 5] =
    [ELECTION_SAFETY, LEADER_APPEND_ONLY, LOG_MATCHING, LEADER_COMPLETENESS, STATE_MACHINE_SAFETY];

/// What the checker remembers about one node between steps.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
struct Track {
    /// While the node leads: `(term, last index, last chain)` when last seen.
    leading: Option<(Term, LogIndex, u64)>,
    /// The term in which this node, as leader, was last checked for Leader Completeness.
    completeness_checked: Option<Term>,
    /// Entries `1..=registered` of the node's log are in `RaftChecker::entries`.
    registered: LogIndex,
    /// The node's chain at `registered` when it was registered.
    registered_chain: u64,
    /// The node's commitIndex when last seen.
    commit_seen: LogIndex,
    /// The node's lastApplied when last seen (its applied entries up to it are recorded).
    applied_seen: LogIndex,
}

/// The first application seen at one index.
#[derive(Clone, Debug)]
struct AppliedAt {
    /// Digest of the entry (term and command).
    digest: u64,
    /// Its term.
    term: Term,
    /// Who applied it first.
    node: NodeId,
    /// The chain of the first applier's log at that index: an entry applied there later with
    /// the same chain is the same entry (the chain covers it), and its digest need not be
    /// computed. Derived from the entry, so left out of `Hash` and `PartialEq` (history digests
    /// stay what they were).
    chain: u64,
}

/// `digest`, `term`, `node`, in the order `derive(Hash)` fed them.
impl core::hash::Hash for AppliedAt {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.digest.hash(state);
        self.term.hash(state);
        self.node.hash(state);
    }
}

impl PartialEq for AppliedAt {
    fn eq(&self, other: &Self) -> bool {
        (self.digest, self.term, self.node) == (other.digest, other.term, other.node)
    }
}

impl Eq for AppliedAt {}

/// Checks Raft's five safety properties incrementally. See the module docs.
///
/// Its maps are sorted `Vec`s ([`VecMap`]). `entries` and `applied` grow with the run (an entry
/// per log index, a few more where terms compete), but they are keyed by index first and logs
/// grow at their end, so nearly every insert is a push past the last key or lands near it:
/// amortized O(1), with O(log n) lookups over contiguous memory (measured faster than the
/// `BTreeMap`s they replace, also over runs of a million steps). `leaders` and `commits` are
/// keyed by term, which grows with time.
#[derive(Clone, Debug)]
pub struct RaftChecker {
    cluster: Cluster,
    /// Election Safety: the leader of each term, ever.
    leaders: VecMap<Term, NodeId>,
    /// Log Matching: for every `(index, term)` seen in any log, the chain there and who had it
    /// first.
    entries: VecMap<(LogIndex, Term), (u64, NodeId)>,
    /// Leader Completeness: for each term, the highest index seen committed in that term, the
    /// chain there, and by whom.
    commits: VecMap<Term, (LogIndex, u64, NodeId)>,
    /// State Machine Safety: what was first applied at each index.
    applied: VecMap<LogIndex, AppliedAt>,
    /// Per node, indexed by [`NodeId::index`].
    tracks: Vec<Track>,
    /// Per node, whether it may have changed since its last check that found nothing (or was
    /// never checked). [`Checker::check_stepped`] skips the others: looking at them again would
    /// change nothing and find nothing. Bookkeeping, not history: left out of `Hash` and
    /// `PartialEq`.
    unchecked: Vec<bool>,
}

/// Every field but `unchecked`, in the order `derive(Hash)` fed them (history digests stay
/// what they were).
impl core::hash::Hash for RaftChecker {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.cluster.hash(state);
        self.leaders.hash(state);
        self.entries.hash(state);
        self.commits.hash(state);
        self.applied.hash(state);
        self.tracks.hash(state);
    }
}

impl PartialEq for RaftChecker {
    fn eq(&self, other: &Self) -> bool {
        self.cluster == other.cluster
            && self.leaders == other.leaders
            && self.entries == other.entries
            && self.commits == other.commits
            && self.applied == other.applied
            && self.tracks == other.tracks
    }
}

impl Eq for RaftChecker {}

impl RaftChecker {
    /// A checker for a fresh run of `cluster`.
    pub fn new(cluster: Cluster) -> RaftChecker {
        RaftChecker {
            cluster,
            leaders: VecMap::new(),
            entries: VecMap::new(),
            commits: VecMap::new(),
            applied: VecMap::new(),
            tracks: vec![Track::default(); usize::from(cluster.size())],
            unchecked: vec![true; usize::from(cluster.size())],
        }
    }

    /// The cluster it watches.
    pub fn cluster(&self) -> Cluster {
        self.cluster
    }

    /// How many indexes some node has applied (test progress measure).
    #[cfg(test)]
    pub(crate) fn applied_len(&self) -> usize {
        self.applied.len()
    }

    /// A digest of what this checker remembers that can change its verdicts on the rest of a
    /// run: the leader of each term, the prefix chain of every `(index, term)` seen, the highest
    /// index committed in each term and its chain, the entry first applied at each index, and
    /// what it last saw of each node; with every node id `n` read as `rename[n.index()]` (what
    /// it saw of node `n` hashed in slot `rename[n.index()]`). Who was first to hold, commit or
    /// apply something is left out: it only words a violation. A model checker may treat two
    /// runs with the same digest (and the same nodes) as one state.
    pub fn verdict_digest(&self, rename: &[NodeId]) -> u64 {
        use core::hash::{Hash, Hasher};
        let to = |id: NodeId| rename.get(id.index()).copied().unwrap_or(id);
        let mut h = ballot_core::hash::StableHasher::default();
        (self.leaders.len() as u64).hash(&mut h);
        self.leaders.iter().for_each(|(term, leader)| (term, to(*leader)).hash(&mut h));
        (self.entries.len() as u64).hash(&mut h);
        self.entries.iter().for_each(|(key, (chain, _first))| (key, chain).hash(&mut h));
        (self.commits.len() as u64).hash(&mut h);
        self.commits.iter().for_each(|(term, (index, chain, _by))| (term, index, chain).hash(&mut h));
        (self.applied.len() as u64).hash(&mut h);
        self.applied.iter().for_each(|(index, first)| (index, first.digest).hash(&mut h));
        let mut tracks: Vec<&Track> = self.tracks.iter().collect();
        for (k, track) in self.tracks.iter().enumerate() {
            if let Some(slot) = tracks.get_mut(to(NodeId::from_index(k)).index()) {
                *slot = track;
            }
        }
        tracks.hash(&mut h);
        h.finish()
    }

    /// The leader recorded for `term`, if any.
    pub fn leader_of(&self, term: Term) -> Option<NodeId> {
        self.leaders.get(&term).copied()
    }

    fn check_node(
        &mut self,
        now: Instant,
        k: usize,
        node: &RaftNode,
        nodes: &[Option<RaftNode>],
    ) -> Option<Violation> {
        let violation = |property, nodes: Vec<NodeId>, detail: String| Violation {
            property,
            nodes,
            at: now,
            step: 0,
            detail,
        };
        let id = node.id();
        let term = node.current_term();
        let log = node.log();
        let last = log.last_index();

        // Election Safety.
        if node.is_leader() {
            match self.leaders.get(&term) {
                Some(&other) if other != id => {
                    return Some(violation(
                        ELECTION_SAFETY,
                        vec![other, id],
                        format!("{other} and {id} were both elected leader of term {term}"),
                    ));
                }
                Some(_) => {}
                None => {
                    self.leaders.insert(term, id);
                }
            }
        }

        // Leader Append-Only.
        let track = &mut self.tracks[k];
        if node.is_leader() {
            if let Some((t, old_last, old_chain)) = track.leading {
                if t == term && (last < old_last || log.chain_at(old_last) != old_chain) {
                    return Some(violation(
                        LEADER_APPEND_ONLY,
                        vec![id],
                        format!(
                            "{id}, leader of term {term}, deleted or overwrote entries: its log had {old_last} entries and now has {last} that no longer begin with them"
                        ),
                    ));
                }
            }
            track.leading = Some((term, last, log.last_chain()));
        } else {
            track.leading = None;
        }

        // Log Matching: register the entries that appeared since the last step.
        if (last, log.last_chain()) != (track.registered, track.registered_chain) {
            let mut start = track.registered;
            if start > last || log.chain_at(start) != track.registered_chain {
                // Rewritten below what we registered: find the longest prefix still known.
                let entries = &self.entries;
                let known = |j: LogIndex| {
                    j == 0
                        || log
                            .entry(j)
                            .is_some_and(|e| entries.get(&(j, e.term)).map(|v| v.0) == Some(e.chain))
                };
                let (mut lo, mut hi) = (0, start.min(last));
                while lo < hi {
                    let mid = lo + (hi - lo).div_ceil(2);
                    if known(mid) {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                start = lo;
            }
            for i in start + 1..=last {
                let Some(e) = log.entry(i) else { break };
                match self.entries.get(&(i, e.term)) {
                    Some(&(chain, other)) if chain != e.chain => {
                        return Some(violation(
                            LOG_MATCHING,
                            vec![other, id],
                            format!(
                                "{other} and {id} both have an entry of term {} at index {i}, but their logs differ up to it",
                                e.term
                            ),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        self.entries.insert((i, e.term), (e.chain, id));
                    }
                }
            }
            let track = &mut self.tracks[k];
            track.registered = last;
            track.registered_chain = log.last_chain();
        }

        // Leader Completeness, part 1: record a commit and hold later-term leaders to it.
        let commit = node.commit_index();
        let track = &mut self.tracks[k];
        if commit < track.commit_seen {
            track.commit_seen = commit; // Volatile state starts over after a restart.
        }
        if commit > track.commit_seen {
            track.commit_seen = commit;
            let index = commit.min(last);
            let chain = log.chain_at(index);
            let record = self.commits.get_or_insert_with(term, || (0, 0, id));
            if index > record.0 {
                *record = (index, chain, id);
            }
            for leader in nodes.iter().flatten() {
                if leader.is_leader() && leader.current_term() > term && leader.log().chain_at(index) != chain
                {
                    return Some(violation(
                        LEADER_COMPLETENESS,
                        vec![id, leader.id()],
                        format!(
                            "{id} committed index {index} in term {term}, but {}, leader of term {}, does not have that entry",
                            leader.id(),
                            leader.current_term()
                        ),
                    ));
                }
            }
        }

        // Leader Completeness, part 2: a new leader holds everything committed before its term.
        let track = &mut self.tracks[k];
        if node.is_leader() && track.completeness_checked != Some(term) {
            track.completeness_checked = Some(term);
            let committed = self
                .commits
                .range(..term)
                .map(|(&t, &(index, chain, by))| (index, chain, by, t))
                .max_by_key(|c| c.0);
            if let Some((index, chain, by, t)) = committed {
                if log.chain_at(index) != chain {
                    return Some(violation(
                        LEADER_COMPLETENESS,
                        vec![by, id],
                        format!(
                            "{id} became leader of term {term} without the entries up to index {index} that {by} committed in term {t}"
                        ),
                    ));
                }
            }
        }

        // State Machine Safety.
        let applied = node.last_applied();
        let track = &mut self.tracks[k];
        if applied < track.applied_seen {
            track.applied_seen = applied; // Restarted: it re-applies from index 1.
        }
        while track.applied_seen < applied {
            let i = track.applied_seen + 1;
            let Some(e) = log.entry(i) else { break };
            match self.applied.get(&i) {
                Some(first) if first.chain == e.chain => {}
                Some(first) if first.digest != Entry::digest(e.term, &e.command) => {
                    return Some(violation(
                        STATE_MACHINE_SAFETY,
                        vec![first.node, id],
                        format!(
                            "{id} applied {} (term {}) at index {i}, but {} applied a different entry there (term {})",
                            e.command, e.term, first.node, first.term
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    let digest = Entry::digest(e.term, &e.command);
                    self.applied.insert(i, AppliedAt { digest, term: e.term, node: id, chain: e.chain });
                }
            }
            track.applied_seen = i;
        }
        None
    }
}

impl Checker<RaftNode> for RaftChecker {
    /// "Election Safety", "Leader Append-Only", "Log Matching", "Leader Completeness",
    /// "State Machine Safety".
    fn properties(&self) -> &'static [&'static str] {
        &PROPERTIES
    }

    fn check(&mut self, now: Instant, stepped: NodeId, nodes: &[Option<RaftNode>]) -> Option<Violation> {
        // Every node is looked at, so a caller that changed several nodes between two checks is
        // still covered.
        self.unchecked.iter_mut().for_each(|u| *u = true);
        self.check_stepped(now, stepped, nodes)
    }

    /// Looks at `stepped` and at any node whose last check found a violation (that check
    /// stopped there, before the rest of that node and the nodes after it): the others are
    /// unchanged since a check found them clean. Each node costs O(1) unless it changed.
    fn check_stepped(
        &mut self,
        now: Instant,
        stepped: NodeId,
        nodes: &[Option<RaftNode>],
    ) -> Option<Violation> {
        if self.tracks.len() < nodes.len() {
            self.tracks.resize(nodes.len(), Track::default());
        }
        if self.unchecked.len() < self.tracks.len() {
            self.unchecked.resize(self.tracks.len(), true);
        }
        if let Some(u) = usize::from(stepped.0).checked_sub(1).and_then(|k| self.unchecked.get_mut(k)) {
            *u = true;
        }
        for (k, slot) in nodes.iter().enumerate() {
            if !self.unchecked[k] {
                continue;
            }
            match slot {
                Some(node) => {
                    if let Some(v) = self.check_node(now, k, node, nodes) {
                        return Some(v);
                    }
                }
                None => {
                    // Crashed: its volatile state is gone; its log is on disk.
                    let track = &mut self.tracks[k];
                    track.leading = None;
                    track.completeness_checked = None;
                    track.commit_seen = 0;
                    track.applied_seen = 0;
                }
            }
            self.unchecked[k] = false;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bug::RaftBug;
    use crate::config::RaftConfig;
    use crate::node::{LeaderState, Role};
    use crate::testing::{elect, net, node_with_log, Net};
    use crate::RaftTimer;
    use ballot_core::testkit::set;
    use ballot_core::Command;

    fn leader(node: &mut RaftNode) {
        let n = usize::from(node.cluster.size());
        node.role = Role::Leader(LeaderState {
            next_index: vec![node.log.last_index() + 1; n],
            match_index: vec![0; n],
        });
    }

    fn check(checker: &mut RaftChecker, nodes: &[Option<RaftNode>]) -> Option<Violation> {
        checker.check(Instant::ZERO, NodeId(1), nodes)
    }

    fn property(v: Option<Violation>) -> Option<&'static str> {
        v.map(|v| v.property)
    }

    #[test]
    fn properties_are_the_five_of_figure_3() {
        let c = RaftChecker::new(Cluster::new(3));
        assert_eq!(
            c.properties(),
            &[
                "Election Safety",
                "Leader Append-Only",
                "Log Matching",
                "Leader Completeness",
                "State Machine Safety"
            ]
        );
    }

    /// "Election Safety: at most one leader can be elected in a given term." Reference: §5.2.
    #[test]
    fn two_leaders_in_one_term_break_election_safety() {
        let config = RaftConfig::default();
        let mut a = node_with_log(1, 3, &config, 2, &[]);
        let mut b = node_with_log(2, 3, &config, 2, &[]);
        let mut checker = RaftChecker::new(Cluster::new(3));
        leader(&mut a);
        assert_eq!(check(&mut checker, &[Some(a.clone()), Some(b.clone()), None]), None);
        // A leader of another term is fine, even later.
        b.current_term = 3;
        leader(&mut b);
        assert_eq!(check(&mut checker, &[Some(a.clone()), Some(b.clone()), None]), None);
        // A second leader of term 2, even after the first has gone, is not.
        b.current_term = 2;
        let v = check(&mut checker, &[None, Some(b), None]).unwrap();
        assert_eq!(v.property, ELECTION_SAFETY);
        assert_eq!(v.nodes, vec![NodeId(1), NodeId(2)]);
        assert!(v.detail.contains("term 2"), "{}", v.detail);
    }

    /// "Leader Append-Only: a leader never overwrites or deletes entries in its log; it only
    /// appends new entries." Reference: §5.3.
    #[test]
    fn a_leader_rewriting_its_log_breaks_leader_append_only() {
        let config = RaftConfig::default();
        let mut a = node_with_log(1, 3, &config, 2, &[1, 2]);
        leader(&mut a);
        let mut checker = RaftChecker::new(Cluster::new(3));
        assert_eq!(check(&mut checker, &[Some(a.clone()), None, None]), None);
        a.log.append(2, Command::Noop);
        assert_eq!(check(&mut checker, &[Some(a.clone()), None, None]), None, "appending is fine");
        // Same length, but entry 2 replaced.
        a.log.truncate_from(2);
        a.log.append(2, set("x", "1"));
        a.log.append(2, Command::Noop);
        let v = check(&mut checker, &[Some(a), None, None]).unwrap();
        assert_eq!(v.property, LEADER_APPEND_ONLY);
        assert_eq!(v.nodes, vec![NodeId(1)]);
    }

    /// "Log Matching: if two logs contain an entry with the same index and term, then the logs
    /// are identical in all entries up through the given index." Reference: §5.3.
    #[test]
    fn same_index_and_term_with_different_prefixes_breaks_log_matching() {
        let config = RaftConfig::default();
        let a = node_with_log(1, 3, &config, 2, &[1, 2]);
        let mut b = node_with_log(2, 3, &config, 2, &[1]);
        let mut checker = RaftChecker::new(Cluster::new(3));
        assert_eq!(check(&mut checker, &[Some(a.clone()), Some(b.clone()), None]), None);
        // b gets (2, term 2) too, consistently: fine.
        b.log.append(2, Command::Noop);
        assert_eq!(check(&mut checker, &[Some(a.clone()), Some(b.clone()), None]), None);
        // Now b's log is rewritten from index 1 with a different entry 1 but the same (2, 2).
        b.log.truncate_from(1);
        b.log.append(2, set("y", "9"));
        b.log.append(2, Command::Noop);
        let v = check(&mut checker, &[Some(a), Some(b), None]).unwrap();
        assert_eq!(v.property, LOG_MATCHING);
        assert_eq!(v.nodes, vec![NodeId(1), NodeId(2)]);
        assert!(v.detail.contains("index 2"), "{}", v.detail);
    }

    /// "Leader Completeness: if a log entry is committed in a given term, then that entry will
    /// be present in the logs of the leaders for all higher-numbered terms." Reference: §5.4.
    #[test]
    fn a_leader_missing_a_committed_entry_breaks_leader_completeness() {
        let config = RaftConfig::default();
        let mut a = node_with_log(1, 3, &config, 1, &[1, 1]);
        a.commit_index = 2;
        let mut checker = RaftChecker::new(Cluster::new(3));
        assert_eq!(check(&mut checker, &[Some(a.clone()), None, None]), None);
        // A leader of the same term without it is not bound by the property.
        let mut b = node_with_log(2, 3, &config, 3, &[1]);
        leader(&mut b);
        let v = check(&mut checker, &[Some(a), Some(b), None]).unwrap();
        assert_eq!(v.property, LEADER_COMPLETENESS);
        assert_eq!(v.nodes, vec![NodeId(1), NodeId(2)]);

        // And the other order: the leader exists first, the commit of an earlier term is seen
        // later.
        let mut checker = RaftChecker::new(Cluster::new(3));
        let mut b = node_with_log(2, 3, &config, 3, &[1]);
        leader(&mut b);
        let mut a = node_with_log(1, 3, &config, 1, &[1, 1]);
        assert_eq!(check(&mut checker, &[Some(a.clone()), Some(b.clone()), None]), None);
        a.commit_index = 1;
        assert_eq!(check(&mut checker, &[Some(a.clone()), Some(b.clone()), None]), None, "b has entry 1");
        a.commit_index = 2;
        assert_eq!(property(check(&mut checker, &[Some(a), Some(b), None])), Some(LEADER_COMPLETENESS));
    }

    /// "State Machine Safety: if a server has applied a log entry at a given index to its state
    /// machine, no other server will ever apply a different log entry for the same index."
    /// Reference: §5.4.3.
    #[test]
    fn applying_different_entries_at_one_index_breaks_state_machine_safety() {
        let config = RaftConfig::default();
        let mut a = node_with_log(1, 3, &config, 1, &[]);
        let mut b = node_with_log(2, 3, &config, 1, &[]);
        a.log.append(1, set("x", "1"));
        b.log.append(1, set("x", "2"));
        a.last_applied = 1;
        a.commit_index = 1;
        let mut checker = RaftChecker::new(Cluster::new(3));
        // (Log Matching has nothing to say: no two logs share an (index, term) with different
        // prefixes... except they do: give b's entry another term to isolate the property.)
        b.log.truncate_from(1);
        b.log.append(2, set("x", "2"));
        assert_eq!(check(&mut checker, &[Some(a.clone()), Some(b.clone()), None]), None);
        b.last_applied = 1;
        let v = check(&mut checker, &[Some(a), Some(b), None]).unwrap();
        assert_eq!(v.property, STATE_MACHINE_SAFETY);
        assert_eq!(v.nodes, vec![NodeId(1), NodeId(2)]);
        assert!(v.detail.contains("x=2"), "{}", v.detail);
    }

    #[test]
    fn a_restarted_node_re_applying_the_same_entries_is_fine() {
        let mut net = net(3, RaftConfig::default());
        elect(&mut net, 1);
        net.client(1, set("x", "1")).unwrap();
        net.deliver_all();
        net.fire(1, RaftTimer::Heartbeat);
        net.deliver_all();
        net.crash(NodeId(2));
        net.restart(NodeId(2));
        assert_eq!(net.node(2).last_applied(), 0);
        assert_eq!(net.node(2).log().last_index(), 1, "the log survived the crash");
        net.fire(1, RaftTimer::Heartbeat);
        net.deliver_all();
        assert_eq!(net.node(2).last_applied(), 1);
        assert!(net.violations.is_empty(), "{:?}", net.violations);
    }

    /// Runs Figure 8 of the paper on five nodes and returns the violations found.
    ///
    /// (a) S1 leads term 1 (the paper's term 2) and replicates entry 1 to S2 only. (b) S5 leads
    /// the next term with votes from S3, S4 and appends its own entry 1. (c) S1 leads again and
    /// replicates its old entry 1 to S3: it is now on a majority (S1, S2, S3). (d) S5 can still
    /// be elected (its last term is higher) by S2, S3, S4, and overwrites entry 1 everywhere.
    /// Correct Raft never commits entry 1 in (c); the [`RaftBug::CommitPreviousTerm`] leader
    /// does, and Leader Completeness fails in (d). Reference: §5.4.2, Figure 8.
    fn figure_8(bug: Option<RaftBug>) -> Net {
        let config = RaftConfig { bug, ..RaftConfig::default() };
        let mut net = net(5, config);
        // (a)
        elect(&mut net, 1);
        net.partition(&[&[1, 2], &[3], &[4], &[5]]);
        net.client(1, set("x", "1")).unwrap();
        net.deliver_all();
        assert_eq!(net.node(2).log().last_index(), 1);
        // (b): S1 crashes.
        net.crash(NodeId(1));
        net.partition(&[&[1], &[2], &[3, 4, 5]]);
        elect(&mut net, 5);
        net.partition(&[&[1], &[2], &[3], &[4], &[5]]);
        net.client(5, set("x", "5")).unwrap();
        net.deliver_all();
        // (c): S5 crashes, S1 restarts; S3 voted for S5 in S5's term, so S1 may need two tries.
        net.crash(NodeId(5));
        net.restart(NodeId(1));
        net.partition(&[&[1, 2, 3], &[4], &[5]]);
        net.fire(1, RaftTimer::Election);
        net.deliver_all();
        if !net.node(1).is_leader() {
            elect(&mut net, 1);
        }
        net.fire(1, RaftTimer::Heartbeat);
        net.deliver_all();
        assert_eq!(net.node(3).log().entry(1).unwrap().command, set("x", "1"));
        // (d): S1 crashes, S5 restarts.
        net.crash(NodeId(1));
        net.restart(NodeId(5));
        net.partition(&[&[1], &[2, 3, 4, 5]]);
        net.fire(5, RaftTimer::Election);
        net.deliver_all();
        if !net.node(5).is_leader() {
            elect(&mut net, 5);
        }
        net.fire(5, RaftTimer::Heartbeat);
        net.deliver_all();
        net
    }

    #[test]
    fn figure_8_is_safe_in_correct_raft() {
        let net = figure_8(None);
        assert!(net.violations.is_empty(), "{:?}", net.violations);
        assert!(
            net.notes
                .iter()
                .all(|n| n.node != NodeId(1) || !matches!(n.event, crate::RaftEvent::CommitAdvanced { .. })),
            "S1 never committed its term-1 entry"
        );
        assert_eq!(net.node(3).log().entry(1).unwrap().command, set("x", "5"));
    }

    #[test]
    fn commit_previous_term_bug_is_caught_in_figure_8() {
        let net = figure_8(Some(RaftBug::CommitPreviousTerm));
        let v = net.violations.first().expect("a violation");
        assert_eq!(v.property, LEADER_COMPLETENESS, "{v:?}");
    }

    /// S1 commits `x=1` with S2 while S3 is cut off; then S3, with an empty log, asks S2 for a
    /// vote. Reference: §5.4.1.
    fn stale_candidate(bug: Option<RaftBug>) -> Net {
        let config = RaftConfig { bug, ..RaftConfig::default() };
        let mut net = net(3, config);
        net.partition(&[&[1, 2], &[3]]);
        elect(&mut net, 1);
        net.client(1, set("x", "1")).unwrap();
        net.deliver_all();
        assert_eq!(net.node(1).commit_index(), 1);
        net.partition(&[&[1], &[2, 3]]);
        // Term 1: S2 already voted for S1. Term 2: S2's vote depends on the log check.
        net.fire(3, RaftTimer::Election);
        net.deliver_all();
        net.fire(3, RaftTimer::Election);
        net.deliver_all();
        net
    }

    #[test]
    fn vote_without_log_check_bug_is_caught() {
        let net = stale_candidate(None);
        assert!(!net.node(3).is_leader(), "S2 refuses: S3's log is behind");
        assert!(net.violations.is_empty(), "{:?}", net.violations);

        let net = stale_candidate(Some(RaftBug::VoteWithoutLogCheck));
        assert!(net.node(3).is_leader());
        let v = net.violations.first().expect("a violation");
        assert_eq!(v.property, LEADER_COMPLETENESS, "{v:?}");
    }

    /// S2 votes for S1 in term 1, crashes and restarts; then S3 asks it for a vote in term 1.
    /// Reference: Figure 2 ("Persistent state on all servers: votedFor").
    fn double_vote(bug: Option<RaftBug>) -> Net {
        let config = RaftConfig { bug, ..RaftConfig::default() };
        let mut net = net(3, config);
        net.partition(&[&[1, 2], &[3]]);
        elect(&mut net, 1);
        net.crash(NodeId(2));
        net.restart(NodeId(2));
        net.partition(&[&[1], &[2, 3]]);
        net.fire(3, RaftTimer::Election);
        net.deliver_all();
        net
    }

    #[test]
    fn forget_vote_on_restart_bug_is_caught() {
        let net = double_vote(None);
        assert_eq!(net.node(2).voted_for(), Some(NodeId(1)));
        assert!(!net.node(3).is_leader());
        assert!(net.violations.is_empty(), "{:?}", net.violations);

        let net = double_vote(Some(RaftBug::ForgetVoteOnRestart));
        assert_eq!(net.node(2).voted_for(), Some(NodeId(3)));
        let v = net.violations.first().expect("a violation");
        assert_eq!(v.property, ELECTION_SAFETY, "{v:?}");
        assert_eq!(v.nodes, vec![NodeId(1), NodeId(3)]);
    }
}
