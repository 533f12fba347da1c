//! The Multi-Paxos node: a sequence of Paxos instances (slots) under one distinguished leader,
//! as Paxos Made Simple §3 describes it.
//!
//! | the paper (§3) | here |
//! |---|---|
//! | "a new leader … executes phase 1 for infinitely many instances … by sending a single reasonably short message" | `become_candidate` (Prepare from the first slot not known chosen) |
//! | acceptors answer with every accepted proposal from that slot on | `handle_prepare` |
//! | the leader "executes phase 2 for instances … for which it has received values", fills the rest with no-ops | `become_leader`, `maybe_propose_recovery` |
//! | "phase 2 for the next command", one accept round per slot | `handle_client`, `propose`, `handle_accept`, `handle_accepted` |
//! | learners learn each chosen command; the state machine executes them in order | `learn`, `handle_decide`, `apply_chosen` |
//! | "the leader … if the leader fails, a new leader is elected" (timeouts) | `handle_timer`, `handle_heartbeat` |
//!
//! **Roles are types.** [`Role::Candidate`] holds the promises and reported proposals,
//! [`Role::Leader`] the slots in flight and the recovery still to do; both change only through
//! `become_*`.
//!
//! **Own acceptor.** As in [`crate::basic`], a node's own acceptor answers its own requests in
//! the same step (no message to itself): a candidate promises its own ballot (persisted before the
//! Prepare leaves) and a leader accepts its own proposals.
//!
//! **Learning.** Acceptors answer Accept to the leader only; the leader, on a majority, knows the
//! slot is chosen and sends `Decide` to everyone. Heartbeats carry the leader's chosen prefix;
//! a follower missing some of it asks (`CatchUp`) and gets a `Decide` batch. Chosen slots are
//! applied in order to the [`KvStore`]. Learner state is volatile: a restarted node learns
//! again from the leader, like Raft's commit index.
//!
//! **Persistence.** The acceptor's promise and its accepted proposals ([`MultiDurable`]) are
//! durable. A change marks the outbox dirty; `send` persists the durable state (carried by the
//! [`Effect::Persist`](ballot_core::Effect::Persist)) before the message leaves, and the step
//! ends with a persist if anything is left. A crash restores exactly the last value persisted,
//! so with [`PaxosBug::PromiseBeforePersist`] a promise already sent can be forgotten.

use crate::ballot::{Ballot, NodeSet};
use crate::bug::PaxosBug;
use crate::multi::config::MultiPaxosConfig;
use crate::multi::message::{MsgKind, MultiMsg, Slot, MAX_SLOT};
use crate::multi::note::{MultiEvent, MultiNote, Origin};
use alloc::vec::Vec;
use ballot_core::hash::{stable_hash, RetiredFalse, StableHasher};
use ballot_core::node::OutboxOf;
use ballot_core::{ClientError, Cluster, Command, Input, Instant, KvStore, Node, NodeId, VecMap};
use core::hash::{Hash, Hasher};

/// How many pending slots (the lowest) a leader re-sends with each heartbeat.
pub const RESEND_PER_HEARTBEAT: usize = 4;

/// The outbox a [`MultiPaxosNode`] writes into.
pub type MultiOutbox = OutboxOf<MultiPaxosNode>;

/// The node's two timers.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum MultiTimer {
    /// Followers and candidates: no leader heard from for a leader timeout; run phase 1.
    Election,
    /// Leaders: time to send heartbeats and re-send unanswered accept requests.
    Heartbeat,
}

/// What an acceptor keeps on stable storage: its promise (one for all slots) and, per slot, the
/// proposal it accepted.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct MultiDurable {
    /// The highest ballot promised ([`Ballot::ZERO`] if none).
    pub promised: Ballot,
    /// Per slot, the highest-numbered proposal accepted.
    pub accepted: VecMap<Slot, (Ballot, Command)>,
}

/// The order-independent digest of one accepted proposal; a map's digest is the wrapping sum
/// over its entries, updated in O(1) when one entry changes.
fn entry_digest(slot: Slot, ballot: Ballot, value: &Command) -> u64 {
    stable_hash(&(slot, ballot, value))
}

fn durable_digest(promised: Ballot, len: usize, sum: u64) -> u64 {
    let mut h = StableHasher::default();
    promised.hash(&mut h);
    (len as u64).hash(&mut h);
    sum.hash(&mut h);
    h.finish()
}

fn accepted_sum(accepted: &VecMap<Slot, (Ballot, Command)>) -> u64 {
    accepted.iter().fold(0u64, |sum, (s, (b, v))| sum.wrapping_add(entry_digest(*s, *b, v)))
}

impl MultiDurable {
    /// The same digest as [`Node::durable_digest`] of a node holding this state (O(slots)).
    pub fn digest(&self) -> u64 {
        durable_digest(self.promised, self.accepted.len(), accepted_sum(&self.accepted))
    }
}

/// A slot the leader has proposed in its ballot and not yet seen chosen.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Pending {
    /// The value proposed.
    pub value: Command,
    /// Who accepted it (the leader's own acceptor included).
    pub accepted: NodeSet,
}

/// A candidate's phase 1.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct CandidateState {
    /// Its ballot.
    pub ballot: Ballot,
    /// The first slot it does not know to be chosen; the Prepare covers it and every later one.
    pub from_slot: Slot,
    /// Who promised (own acceptor included).
    pub promises: NodeSet,
    /// Per slot at or above `from_slot`, the highest-numbered proposal reported so far.
    pub reported: VecMap<Slot, (Ballot, Command)>,
}

/// A leader's state. Invariant: every slot below `next_slot` is chosen (as far as this node
/// knows), pending, or still to be re-proposed (`recover_next..=recover_end`).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct LeaderState {
    /// Its ballot (promised by a majority).
    pub ballot: Ballot,
    /// The slot the next client command goes to.
    pub next_slot: Slot,
    /// Proposed in this ballot, not yet chosen.
    pub pending: VecMap<Slot, Pending>,
    /// Reported proposals still to re-propose (the highest ballot per slot).
    pub recovery: VecMap<Slot, (Ballot, Command)>,
    /// The next slot to re-propose.
    pub recover_next: Slot,
    /// The last slot to re-propose (below `recover_next` when recovery is over).
    pub recover_end: Slot,
}

/// The role of a node, with the data only that role has.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Role {
    /// Accepts and learns; `leader` is whom it last heard from as leader.
    Follower {
        /// The leader, once heard from.
        leader: Option<NodeId>,
    },
    /// Running phase 1.
    Candidate(CandidateState),
    /// The distinguished proposer.
    Leader(LeaderState),
}

/// A role without its data, for views (`data-role` in the DOM).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum RoleName {
    /// See [`Role::Follower`].
    Follower,
    /// See [`Role::Candidate`].
    Candidate,
    /// See [`Role::Leader`].
    Leader,
}

impl RoleName {
    /// `"follower"`, `"candidate"` or `"leader"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleName::Follower => "follower",
            RoleName::Candidate => "candidate",
            RoleName::Leader => "leader",
        }
    }
}

impl Role {
    /// The role's name.
    pub fn name(&self) -> RoleName {
        match self {
            Role::Follower { .. } => RoleName::Follower,
            Role::Candidate(_) => RoleName::Candidate,
            Role::Leader(_) => RoleName::Leader,
        }
    }

    /// The candidate's or leader's own ballot.
    pub fn ballot(&self) -> Option<Ballot> {
        match self {
            Role::Follower { .. } => None,
            Role::Candidate(c) => Some(c.ballot),
            Role::Leader(l) => Some(l.ballot),
        }
    }
}

/// One Multi-Paxos node: acceptor and learner always, candidate or leader when elected.
///
/// Methods by kind: getters (`role`, `promised`, `accepted`, `chosen`, `applied`…) for views and
/// the checker; the [`Node`] door; `handle_*` for each input; `acceptor_accept` for the acceptor
/// rule; `become_*` for the only role transitions; `propose`/`learn`/`apply_chosen` for slots;
/// `send`/`bcast_*` for outgoing messages; `maybe_*` for steps that may do nothing.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct MultiPaxosNode {
    pub(crate) id: NodeId,
    pub(crate) cluster: Cluster,
    pub(crate) config: MultiPaxosConfig,
    // --- Acceptor (durable) ---
    /// Highest ballot promised, for every slot; never decreases.
    pub(crate) promised: Ballot,
    /// Per slot, the highest-numbered proposal accepted; a slot's ballot only grows.
    ///
    /// This map and `chosen` grow with the run (one entry per slot, never pruned). A sorted
    /// `Vec` suits them: slots are proposed in ascending order, so nearly every insert is a push
    /// past the last key and the rest (re-sent or caught-up slots) land near the end; lookups
    /// are a binary search, iteration and cloning (`durable`, time-travel checkpoints) a slice.
    pub(crate) accepted: VecMap<Slot, (Ballot, Command)>,
    /// Wrapping sum of [`entry_digest`] over `accepted` (for an O(1) durable digest).
    pub(crate) accepted_sum: u64,
    // --- Volatile ---
    /// Follower, candidate or leader.
    pub(crate) role: Role,
    /// Slots known to be chosen, with their values.
    pub(crate) chosen: VecMap<Slot, Command>,
    /// Slots `1..=applied` are chosen and applied to `kv`, in order.
    pub(crate) applied: Slot,
    /// The state machine.
    pub(crate) kv: KvStore,
    /// The last client command this node took as leader (the checker reads it: Validity).
    pub(crate) last_client: Option<Command>,
    /// The highest round seen in any ballot since boot.
    pub(crate) max_round_seen: u64,
    /// Where the `unpersisted` flag was: keeps the node's hash, and so pinned fingerprints,
    /// as they were.
    pub(crate) retired_unpersisted: RetiredFalse,
}

impl Node for MultiPaxosNode {
    type Msg = MultiMsg;
    type Timer = MultiTimer;
    type Command = Command;
    type Durable = MultiDurable;
    type Note = MultiNote;
    type Config = MultiPaxosConfig;

    /// Starts as a follower from the acceptor's durable state (nothing learned or applied) and
    /// arms the election timer.
    fn boot(
        id: NodeId,
        cluster: Cluster,
        config: &MultiPaxosConfig,
        durable: MultiDurable,
        _now: Instant,
        out: &mut MultiOutbox,
    ) -> MultiPaxosNode {
        let MultiDurable { promised, accepted } = durable;
        let node = MultiPaxosNode {
            id,
            cluster,
            config: config.clone(),
            promised,
            accepted_sum: accepted_sum(&accepted),
            accepted,
            role: Role::Follower { leader: None },
            chosen: VecMap::new(),
            applied: 0,
            kv: KvStore::default(),
            last_client: None,
            max_round_seen: 0,
            retired_unpersisted: RetiredFalse,
        };
        node.note(out, || MultiEvent::Booted { promised, accepted: node.accepted.len() as u64 });
        node.arm_election_timer(out);
        node
    }

    fn step(
        &mut self,
        _now: Instant,
        input: Input<MultiMsg, MultiTimer, Command>,
        out: &mut MultiOutbox,
    ) -> Result<(), ClientError> {
        let result = match input {
            Input::Deliver { from, msg } => {
                self.handle_message(from, msg, out);
                Ok(())
            }
            Input::Timer(timer) => {
                self.handle_timer(timer, out);
                Ok(())
            }
            Input::Client(command) => self.handle_client(command, out),
        };
        self.apply_chosen(out);
        self.flush_persist(out);
        result
    }

    fn id(&self) -> NodeId {
        self.id
    }

    fn durable(&self) -> MultiDurable {
        MultiDurable { promised: self.promised, accepted: self.accepted.clone() }
    }

    /// O(1): the promise, the number of accepted slots and the sum of their digests.
    fn durable_digest(&self) -> u64 {
        durable_digest(self.promised, self.accepted.len(), self.accepted_sum)
    }

    /// O(slots): the same digest, summing the accepted proposals' digests afresh.
    fn durable_digest_of(durable: &MultiDurable) -> u64 {
        durable.digest()
    }
}

// ---------------------------------------------------------------------------------------------
// Getters, for views and the checker.
// ---------------------------------------------------------------------------------------------
impl MultiPaxosNode {
    /// The cluster this node belongs to.
    pub fn cluster(&self) -> Cluster {
        self.cluster
    }

    /// The parameters it runs with.
    pub fn config(&self) -> &MultiPaxosConfig {
        &self.config
    }

    /// The role, with its data.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// The role's name.
    pub fn role_name(&self) -> RoleName {
        self.role.name()
    }

    /// Whether this node believes it leads.
    pub fn is_leader(&self) -> bool {
        matches!(self.role, Role::Leader(_))
    }

    /// The candidate's or leader's ballot.
    pub fn ballot(&self) -> Option<Ballot> {
        self.role.ballot()
    }

    /// Where a client should go: itself when leading, the leader a follower last heard from.
    pub fn leader_hint(&self) -> Option<NodeId> {
        match self.role {
            Role::Leader(_) => Some(self.id),
            Role::Follower { leader } => leader,
            Role::Candidate(_) => None,
        }
    }

    /// Acceptor: the highest ballot promised.
    pub fn promised(&self) -> Ballot {
        self.promised
    }

    /// Acceptor: per slot, the proposal accepted.
    pub fn accepted(&self) -> &VecMap<Slot, (Ballot, Command)> {
        &self.accepted
    }

    /// Acceptor: the proposal accepted for `slot`.
    pub fn accepted_at(&self, slot: Slot) -> Option<&(Ballot, Command)> {
        self.accepted.get(&slot)
    }

    /// A digest of [`MultiPaxosNode::accepted`] that changes whenever it does (O(1)).
    pub fn accepted_digest(&self) -> u64 {
        self.accepted_sum
    }

    /// Learner: the slots known to be chosen.
    pub fn chosen(&self) -> &VecMap<Slot, Command> {
        &self.chosen
    }

    /// Learner: the value known chosen for `slot`.
    pub fn chosen_at(&self, slot: Slot) -> Option<&Command> {
        self.chosen.get(&slot)
    }

    /// Slots `1..=applied()` are applied to the state machine (the chosen prefix).
    pub fn applied(&self) -> Slot {
        self.applied
    }

    /// The applied sequence, slot by slot.
    pub fn applied_commands(&self) -> impl Iterator<Item = (Slot, &Command)> {
        self.chosen.range(1..=self.applied).map(|(s, c)| (*s, c))
    }

    /// The key/value state machine.
    pub fn kv(&self) -> &KvStore {
        &self.kv
    }

    /// The last client command this node took as leader.
    pub fn last_client(&self) -> Option<&Command> {
        self.last_client.as_ref()
    }

    /// Leader: the slots proposed and not yet chosen.
    pub fn pending(&self) -> Option<&VecMap<Slot, Pending>> {
        match &self.role {
            Role::Leader(st) => Some(&st.pending),
            _ => None,
        }
    }

    /// Candidate: who promised so far.
    pub fn promises(&self) -> Option<NodeSet> {
        match &self.role {
            Role::Candidate(c) => Some(c.promises),
            _ => None,
        }
    }

    /// The number of promises or acceptances a ballot needs: a majority.
    pub fn quorum(&self) -> u8 {
        self.cluster.majority()
    }

    /// The lowest slot not known to be chosen.
    pub fn first_unchosen(&self) -> Slot {
        let mut slot = self.applied.saturating_add(1);
        while self.chosen.contains_key(&slot) {
            slot = slot.saturating_add(1);
        }
        slot
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs.
// ---------------------------------------------------------------------------------------------
impl MultiPaxosNode {
    /// Whether a correct node could have sent `msg` to us: a member sender other than us,
    /// ballots of round ≥ 1 and of a member, a Prepare/Accept/Heartbeat ballot that is the
    /// sender's, a Promise/Nack/Accepted about our own ballot, a Nack naming a higher promise,
    /// reported proposals numbered at most the promise, slots in `1..=MAX_SLOT`.
    fn is_sane(&self, from: NodeId, msg: &MultiMsg) -> bool {
        let c = self.cluster;
        if from == self.id || !c.contains(from) || msg.ballot().is_some_and(|b| !b.is_valid_in(c)) {
            return false;
        }
        let slot_ok = |s: Slot| (1..=MAX_SLOT).contains(&s);
        match msg {
            MultiMsg::Prepare { ballot, from_slot } => ballot.proposer == from && slot_ok(*from_slot),
            MultiMsg::Promise { ballot, accepted, .. } => {
                ballot.proposer == self.id
                    && accepted.iter().all(|(s, b, _)| slot_ok(*s) && b.is_valid_in(c) && b <= ballot)
            }
            MultiMsg::Nack { ballot, promised } => ballot.proposer == self.id && promised > ballot,
            MultiMsg::Accept { ballot, slot, .. } => ballot.proposer == from && slot_ok(*slot),
            MultiMsg::Accepted { ballot, slot } => ballot.proposer == self.id && slot_ok(*slot),
            MultiMsg::Heartbeat { ballot, chosen } => ballot.proposer == from && *chosen <= MAX_SLOT,
            MultiMsg::CatchUp { from_slot } => slot_ok(*from_slot),
            MultiMsg::Decide { first, .. } => slot_ok(*first),
        }
    }

    fn handle_message(&mut self, from: NodeId, msg: MultiMsg, out: &mut MultiOutbox) {
        if !self.is_sane(from, &msg) {
            let kind = msg.kind();
            self.note(out, || MultiEvent::IgnoredMalformed { from, kind });
            return;
        }
        if let Some(b) = msg.ballot() {
            self.see_round(b.round);
        }
        match msg {
            MultiMsg::Prepare { ballot, from_slot } => self.handle_prepare(from, ballot, from_slot, out),
            MultiMsg::Promise { ballot, accepted, decided } => {
                self.handle_promise(from, ballot, accepted, decided, out)
            }
            MultiMsg::Nack { ballot, promised } => self.handle_nack(from, ballot, promised, out),
            MultiMsg::Accept { ballot, slot, value } => self.handle_accept(from, ballot, slot, value, out),
            MultiMsg::Accepted { ballot, slot } => self.handle_accepted(from, ballot, slot, out),
            MultiMsg::Heartbeat { ballot, chosen } => self.handle_heartbeat(from, ballot, chosen, out),
            MultiMsg::CatchUp { from_slot } => self.handle_catch_up(from, from_slot, out),
            MultiMsg::Decide { first, values } => self.handle_decide(first, values, out),
        }
    }

    /// `Election` (not leading): no leader heard from, run phase 1. `Heartbeat` (leading): send
    /// heartbeats and re-send unanswered accept requests. Firings in the wrong role are stale.
    fn handle_timer(&mut self, timer: MultiTimer, out: &mut MultiOutbox) {
        match (timer, self.is_leader()) {
            (MultiTimer::Election, false) => self.become_candidate(out),
            (MultiTimer::Heartbeat, true) => {
                self.bcast_heartbeat(out);
                self.resend_pending(out);
                self.arm_heartbeat_timer(out);
            }
            (MultiTimer::Election, true) | (MultiTimer::Heartbeat, false) => {}
        }
    }

    /// A client command: the leader puts it in the next slot and runs phase 2 for it; anyone
    /// else refuses with its best guess of the leader.
    fn handle_client(&mut self, command: Command, out: &mut MultiOutbox) -> Result<(), ClientError> {
        let slot = match &mut self.role {
            Role::Leader(st) if st.next_slot <= MAX_SLOT => {
                let slot = st.next_slot;
                st.next_slot += 1;
                slot
            }
            _ => {
                let hint = if self.is_leader() { None } else { self.leader_hint() };
                self.note(out, || MultiEvent::ClientRedirected { hint });
                return Err(ClientError::NotLeader { hint });
            }
        };
        self.last_client = Some(command.clone());
        self.propose(slot, command, Origin::Client, out);
        Ok(())
    }

    /// Phase 1(b) for every slot from `from_slot` on: promise unless a higher ballot was
    /// promised, reporting every proposal accepted from `from_slot` on. A promise steps down a
    /// candidate or leader of a lower ballot, and resets the election timer (a node that has just
    /// promised someone else's ballot does not compete with it).
    fn handle_prepare(&mut self, candidate: NodeId, ballot: Ballot, from_slot: Slot, out: &mut MultiOutbox) {
        if ballot < self.promised {
            let promised = self.promised;
            self.note(out, || MultiEvent::Rejected {
                from: candidate,
                kind: MsgKind::Prepare,
                ballot,
                promised,
            });
            self.send(candidate, MultiMsg::Nack { ballot, promised }, out);
            return;
        }
        if self.config.bug == Some(PaxosBug::PromiseBeforePersist) && ballot > self.promised {
            // The broken acceptor raises its promise in memory only: the Promise leaves before
            // the ballot is on disk, which it reaches with the next durable change.
            self.promised = ballot;
        }
        self.raise_promise(ballot, None, out);
        let accepted: Vec<(Slot, Ballot, Command)> =
            self.accepted.range(from_slot..).map(|(s, (b, v))| (*s, *b, v.clone())).collect();
        let decided = self.chosen_run(from_slot, usize::MAX);
        let reported = accepted.len() as u64;
        self.note(out, || MultiEvent::Promised { candidate, ballot, reported });
        self.arm_election_timer(out);
        self.send(candidate, MultiMsg::Promise { ballot, accepted, decided }, out);
    }

    /// A promise for our candidacy: learn the chosen values it carries, count it, keep the
    /// highest-numbered proposal per slot, and lead on a majority.
    fn handle_promise(
        &mut self,
        from: NodeId,
        ballot: Ballot,
        accepted: Vec<(Slot, Ballot, Command)>,
        decided: Vec<Command>,
        out: &mut MultiOutbox,
    ) {
        let needed = self.cluster.majority();
        if let Role::Candidate(c) = &self.role {
            if c.ballot == ballot && !c.promises.contains(from) {
                self.learn_run(c.from_slot, decided, out);
            }
        }
        let Role::Candidate(c) = &mut self.role else {
            self.note(out, || MultiEvent::IgnoredStale { from, kind: MsgKind::Promise, ballot });
            return;
        };
        if c.ballot != ballot {
            self.note(out, || MultiEvent::IgnoredStale { from, kind: MsgKind::Promise, ballot });
            return;
        }
        if !c.promises.insert(from) {
            return; // A duplicate.
        }
        for (slot, b, v) in accepted {
            if slot < c.from_slot {
                continue;
            }
            if c.reported.get(&slot).is_none_or(|(known, _)| b > *known) {
                c.reported.insert(slot, (b, v));
            }
        }
        let promises = c.promises.count();
        self.note(out, || MultiEvent::PromiseReceived { from, promises, needed });
        self.maybe_become_leader(out);
    }

    /// A refusal of our candidacy or leadership: someone promised a higher ballot. Step down.
    fn handle_nack(&mut self, from: NodeId, ballot: Ballot, promised: Ballot, out: &mut MultiOutbox) {
        self.see_round(promised.round);
        if self.role.ballot() != Some(ballot) {
            self.note(out, || MultiEvent::IgnoredStale { from, kind: MsgKind::Nack, ballot });
            return;
        }
        self.note(out, || MultiEvent::Preempted { from, ballot, promised });
        self.become_follower(None, out);
    }

    /// Phase 2(b) for one slot: accept unless a higher ballot was promised, and answer the
    /// leader. An Accept of a ballot at least the promise comes from the current leader: it
    /// resets the election timer.
    fn handle_accept(
        &mut self,
        leader: NodeId,
        ballot: Ballot,
        slot: Slot,
        value: Command,
        out: &mut MultiOutbox,
    ) {
        if let Err(promised) = self.acceptor_accept(ballot, slot, &value, out) {
            self.note(out, || MultiEvent::Rejected { from: leader, kind: MsgKind::Accept, ballot, promised });
            self.send(leader, MultiMsg::Nack { ballot, promised }, out);
            return;
        }
        self.follow(leader, ballot, out);
        self.note(out, || MultiEvent::AcceptedProposal { slot, ballot, value });
        self.send(leader, MultiMsg::Accepted { ballot, slot }, out);
    }

    /// The leader counts acceptances of a pending slot; on a majority the slot is chosen and
    /// everyone is told.
    fn handle_accepted(&mut self, from: NodeId, ballot: Ballot, slot: Slot, out: &mut MultiOutbox) {
        let Role::Leader(st) = &mut self.role else {
            self.note(out, || MultiEvent::IgnoredStale { from, kind: MsgKind::Accepted, ballot });
            return;
        };
        if st.ballot != ballot {
            self.note(out, || MultiEvent::IgnoredStale { from, kind: MsgKind::Accepted, ballot });
            return;
        }
        if let Some(p) = st.pending.get_mut(&slot) {
            p.accepted.insert(from);
        }
        if let Some(value) = self.maybe_choose(slot, out) {
            self.maybe_propose_recovery(out);
            self.bcast_decide(slot, value, out);
        }
    }

    /// A leader's heartbeat: a ballot below the promise is refused (the stale leader steps down
    /// on the Nack); otherwise the sender is the leader, the promise rises to its ballot, the
    /// election timer restarts, and missing chosen slots are asked for.
    fn handle_heartbeat(&mut self, leader: NodeId, ballot: Ballot, chosen: Slot, out: &mut MultiOutbox) {
        if ballot < self.promised {
            let promised = self.promised;
            self.note(out, || MultiEvent::Rejected {
                from: leader,
                kind: MsgKind::Heartbeat,
                ballot,
                promised,
            });
            self.send(leader, MultiMsg::Nack { ballot, promised }, out);
            return;
        }
        self.raise_promise(ballot, Some(leader), out);
        self.follow(leader, ballot, out);
        let from_slot = self.first_unchosen();
        if from_slot <= chosen {
            self.note(out, || MultiEvent::CatchingUp { from_slot, leader_chosen: chosen });
            self.send(leader, MultiMsg::CatchUp { from_slot }, out);
        }
    }

    /// Anyone who knows chosen values from `from_slot` on sends a batch of them.
    fn handle_catch_up(&mut self, from: NodeId, from_slot: Slot, out: &mut MultiOutbox) {
        let values = self.chosen_run(from_slot, self.config.max_values_per_decide as usize);
        if !values.is_empty() {
            self.send(from, MultiMsg::Decide { first: from_slot, values }, out);
        }
    }

    /// Chosen values, slot by slot. A chosen value is chosen forever, so a Decide needs no
    /// ballot.
    fn handle_decide(&mut self, first: Slot, values: Vec<Command>, out: &mut MultiOutbox) {
        self.learn_run(first, values, out);
    }

    /// The chosen values of slots `first`, `first + 1`, … while known, at most `max`.
    fn chosen_run(&self, first: Slot, max: usize) -> Vec<Command> {
        let mut values = Vec::new();
        let mut slot = first;
        while let Some(v) = self.chosen.get(&slot) {
            if values.len() >= max {
                break;
            }
            values.push(v.clone());
            slot += 1;
        }
        values
    }

    /// Learns `values` as the chosen values of slots `first`, `first + 1`, … (up to `MAX_SLOT`).
    fn learn_run(&mut self, first: Slot, values: Vec<Command>, out: &mut MultiOutbox) {
        // Callers pass `first <= MAX_SLOT`, so counting up cannot overflow.
        for (slot, value) in (first..).zip(values) {
            if slot == 0 || slot > MAX_SLOT {
                break;
            }
            self.learn(slot, value, out);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The acceptor rule and promise bookkeeping.
// ---------------------------------------------------------------------------------------------
impl MultiPaxosNode {
    /// Phase 2(b): accept (`ballot`, `value`) for `slot` unless a higher ballot was promised; the
    /// promise rises to `ballot`. With [`PaxosBug::AcceptBelowPromise`] the condition is skipped.
    fn acceptor_accept(
        &mut self,
        ballot: Ballot,
        slot: Slot,
        value: &Command,
        out: &mut MultiOutbox,
    ) -> Result<(), Ballot> {
        let ignore_promise = self.config.bug == Some(PaxosBug::AcceptBelowPromise);
        if ballot < self.promised && !ignore_promise {
            return Err(self.promised);
        }
        if ballot > self.promised {
            self.promised = ballot;
            out.mark_dirty();
        }
        let new = (ballot, value.clone());
        if self.accepted.get(&slot) != Some(&new) {
            if let Some((b, v)) = self.accepted.insert(slot, new) {
                self.accepted_sum = self.accepted_sum.wrapping_sub(entry_digest(slot, b, &v));
            }
            self.accepted_sum = self.accepted_sum.wrapping_add(entry_digest(slot, ballot, value));
            out.mark_dirty();
        }
        Ok(())
    }

    /// Raises the promise to `ballot` (≥ the current one). A candidate or leader of a lower
    /// ballot steps down, following `leader` if known.
    fn raise_promise(&mut self, ballot: Ballot, leader: Option<NodeId>, out: &mut MultiOutbox) {
        if ballot > self.promised {
            self.promised = ballot;
            out.mark_dirty();
        }
        if self.role.ballot().is_some_and(|mine| mine < self.promised) {
            self.become_follower(leader, out);
        }
    }

    /// `leader` sent a message of `ballot` (≥ our promise): follow it.
    fn follow(&mut self, leader: NodeId, ballot: Ballot, out: &mut MultiOutbox) {
        if let Role::Follower { leader: known } = &mut self.role {
            *known = Some(leader);
        } else if self.role.ballot().is_some_and(|mine| mine < ballot) {
            self.become_follower(Some(leader), out);
        } else {
            return;
        }
        self.arm_election_timer(out);
    }
}

// ---------------------------------------------------------------------------------------------
// Role transitions: the only places `role` changes.
// ---------------------------------------------------------------------------------------------
impl MultiPaxosNode {
    /// Becomes a follower. Legal from any role; a leader that steps down swaps its heartbeat
    /// timer for the election timer.
    fn become_follower(&mut self, leader: Option<NodeId>, out: &mut MultiOutbox) {
        let was_leader = self.is_leader();
        self.role = Role::Follower { leader };
        if was_leader {
            out.cancel_timer(MultiTimer::Heartbeat);
            self.arm_election_timer(out);
        }
        self.note(out, || MultiEvent::BecameFollower { leader });
    }

    /// Phase 1(a) for all slots from the first not known chosen: a ballot above every round
    /// seen, promised at once by our own acceptor (persisted before the Prepare leaves). Legal
    /// from follower or candidate.
    fn become_candidate(&mut self, out: &mut MultiOutbox) {
        assert!(!self.is_leader(), "a leader does not run phase 1 again");
        self.arm_election_timer(out);
        let ballot = Ballot::next_after(self.max_round_seen.max(self.promised.round), self.id);
        if ballot <= self.promised {
            self.note(out, || MultiEvent::NoBallotLeft);
            return;
        }
        self.promised = ballot;
        out.mark_dirty();
        self.see_round(ballot.round);
        let from_slot = self.first_unchosen();
        let reported = self.accepted.range(from_slot..).map(|(s, p)| (*s, p.clone())).collect();
        self.role =
            Role::Candidate(CandidateState { ballot, from_slot, promises: NodeSet::of(self.id), reported });
        self.note(out, || MultiEvent::BecameCandidate { ballot, from_slot });
        for peer in self.cluster.peers(self.id) {
            self.send(peer, MultiMsg::Prepare { ballot, from_slot }, out);
        }
        self.maybe_become_leader(out);
    }

    /// Leads if a majority has promised; says whether it did.
    fn maybe_become_leader(&mut self, out: &mut MultiOutbox) -> bool {
        match &self.role {
            Role::Candidate(c) if c.promises.is_majority_of(self.cluster) => {
                self.become_leader(out);
                true
            }
            _ => false,
        }
    }

    /// Takes office. Legal only from candidate with a majority of promises.
    ///
    /// §3: the new leader must re-propose, in its own ballot, every slot from `from_slot` up to
    /// the highest slot any promise reported: with the highest-numbered reported proposal's
    /// value, or a no-op where none was reported ("it fills the gaps … with no-op commands").
    /// With [`PaxosBug::IgnorePromisedValues`] every such slot gets a no-op. Client commands go
    /// after all of them.
    fn become_leader(&mut self, out: &mut MultiOutbox) {
        let Role::Candidate(c) = core::mem::replace(&mut self.role, Role::Follower { leader: None }) else {
            panic!("only a candidate becomes leader");
        };
        let last_reported = c.reported.keys().next_back().copied().unwrap_or(0);
        let recover_end = last_reported.max(c.from_slot - 1);
        let last_chosen = self.chosen.keys().next_back().copied().unwrap_or(0);
        let recovery =
            if self.config.bug == Some(PaxosBug::IgnorePromisedValues) { VecMap::new() } else { c.reported };
        let ballot = c.ballot;
        self.role = Role::Leader(LeaderState {
            ballot,
            next_slot: recover_end.max(last_chosen).saturating_add(1),
            pending: VecMap::new(),
            recovery,
            recover_next: c.from_slot,
            recover_end,
        });
        out.cancel_timer(MultiTimer::Election);
        self.note(out, || MultiEvent::BecameLeader {
            ballot,
            recover_from: c.from_slot,
            recover_to: recover_end,
        });
        // Re-proposals first: they change the durable state (our own acceptor accepts), which
        // must be persisted before the first message of the step leaves.
        self.maybe_propose_recovery(out);
        self.bcast_heartbeat(out);
        self.arm_heartbeat_timer(out);
    }
}

// ---------------------------------------------------------------------------------------------
// Slots: proposing, choosing, learning, applying.
// ---------------------------------------------------------------------------------------------
impl MultiPaxosNode {
    /// Re-proposes recovered slots while fewer than `max_recovery_in_flight` are pending.
    fn maybe_propose_recovery(&mut self, out: &mut MultiOutbox) {
        loop {
            let limit = self.config.max_recovery_in_flight as usize;
            let Role::Leader(st) = &mut self.role else { return };
            if st.pending.len() >= limit || st.recover_next > st.recover_end {
                return;
            }
            let slot = st.recover_next;
            st.recover_next += 1;
            let reported = st.recovery.remove(&slot);
            if self.chosen.contains_key(&slot) {
                continue; // Known chosen: nothing to decide.
            }
            let (value, origin) = match reported {
                Some((from, v)) => (v, Origin::Recovered { from }),
                None => (Command::Noop, Origin::GapFill),
            };
            self.propose(slot, value, origin, out);
        }
    }

    /// Phase 2(a) for `slot`: our own acceptor accepts, then every other node is asked.
    fn propose(&mut self, slot: Slot, value: Command, origin: Origin, out: &mut MultiOutbox) {
        let Some(ballot) = self.role.ballot().filter(|_| self.is_leader()) else { return };
        if let Err(promised) = self.acceptor_accept(ballot, slot, &value, out) {
            // Cannot happen: promising a higher ballot steps a leader down first.
            let me = self.id;
            self.note(out, || MultiEvent::Preempted { from: me, ballot, promised });
            self.become_follower(None, out);
            return;
        }
        self.note(out, || MultiEvent::Proposed { slot, value: value.clone(), origin });
        if let Role::Leader(st) = &mut self.role {
            st.pending.insert(slot, Pending { value: value.clone(), accepted: NodeSet::of(self.id) });
        }
        for peer in self.cluster.peers(self.id) {
            self.send(peer, MultiMsg::Accept { ballot, slot, value: value.clone() }, out);
        }
        // Only a cluster of one chooses here: it has nobody to tell.
        self.maybe_choose(slot, out);
    }

    /// If a majority accepted pending `slot`, it is chosen: learn it. Returns the value, which
    /// the caller announces with [`MultiPaxosNode::bcast_decide`] — after any re-proposal it
    /// makes in the same step, so that those are persisted before the first message leaves.
    fn maybe_choose(&mut self, slot: Slot, out: &mut MultiOutbox) -> Option<Command> {
        let cluster = self.cluster;
        let Role::Leader(st) = &mut self.role else { return None };
        if !st.pending.get(&slot).is_some_and(|p| p.accepted.is_majority_of(cluster)) {
            return None;
        }
        let p = st.pending.remove(&slot)?;
        self.note(out, || MultiEvent::Chosen { slot, value: p.value.clone() });
        self.learn(slot, p.value.clone(), out);
        Some(p.value)
    }

    /// Tells every other node that `slot` is chosen with `value`.
    fn bcast_decide(&mut self, slot: Slot, value: Command, out: &mut MultiOutbox) {
        for peer in self.cluster.peers(self.id) {
            self.send(peer, MultiMsg::Decide { first: slot, values: alloc::vec![value.clone()] }, out);
        }
    }

    /// Records that `slot` is chosen with `value` (the first value heard is kept).
    fn learn(&mut self, slot: Slot, value: Command, out: &mut MultiOutbox) {
        match self.chosen.get(&slot) {
            Some(known) if *known == value => {}
            Some(known) => {
                let known = known.clone();
                self.note(out, || MultiEvent::Conflict { slot, known, other: value });
            }
            None => {
                if !self.is_leader() {
                    self.note(out, || MultiEvent::Learned { slot, value: value.clone() });
                }
                self.chosen.insert(slot, value);
            }
        }
    }

    /// Applies chosen slots in order, from `applied + 1` while they are known. Runs at the end
    /// of every step.
    fn apply_chosen(&mut self, out: &mut MultiOutbox) {
        while let Some(value) = self.chosen.get(&(self.applied + 1)) {
            let result = self.kv.apply(value);
            self.applied += 1;
            let slot = self.applied;
            out.note(|| MultiNote {
                node: self.id,
                event: MultiEvent::Applied { slot, value: value.clone(), result },
            });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers: sending, timers, notes.
// ---------------------------------------------------------------------------------------------
impl MultiPaxosNode {
    fn see_round(&mut self, round: u64) {
        self.max_round_seen = self.max_round_seen.max(round);
    }

    fn bcast_heartbeat(&mut self, out: &mut MultiOutbox) {
        let Some(ballot) = self.role.ballot() else { return };
        let chosen = self.first_unchosen() - 1;
        for peer in self.cluster.peers(self.id) {
            self.send(peer, MultiMsg::Heartbeat { ballot, chosen }, out);
        }
    }

    /// Re-sends the accept request of the [`RESEND_PER_HEARTBEAT`] lowest pending slots to every
    /// node that has not accepted them: lost messages do not stall a slot, and a leader cut off
    /// from its followers does not flood the network.
    fn resend_pending(&mut self, out: &mut MultiOutbox) {
        let Role::Leader(st) = &self.role else { return };
        let ballot = st.ballot;
        let limit = RESEND_PER_HEARTBEAT;
        let resend: Vec<(NodeId, MultiMsg)> = st
            .pending
            .iter()
            .take(limit)
            .flat_map(|(slot, p)| {
                self.cluster
                    .peers(self.id)
                    .filter(|peer| !p.accepted.contains(*peer))
                    .map(|peer| (peer, MultiMsg::Accept { ballot, slot: *slot, value: p.value.clone() }))
            })
            .collect();
        for (peer, msg) in resend {
            self.send(peer, msg, out);
        }
    }

    /// Queues a message, persisting first if the durable state changed.
    fn send(&mut self, to: NodeId, msg: MultiMsg, out: &mut MultiOutbox) {
        self.flush_persist(out);
        out.send(to, msg);
    }

    /// Persists the durable state if it changed since the last persist (the outbox keeps the
    /// dirty flag).
    fn flush_persist(&self, out: &mut MultiOutbox) {
        out.persist_if_dirty(|| self.durable());
    }

    fn arm_election_timer(&self, out: &mut MultiOutbox) {
        out.set_timer(
            MultiTimer::Election,
            self.config.election_timeout_min,
            self.config.election_timeout_max,
        );
    }

    fn arm_heartbeat_timer(&self, out: &mut MultiOutbox) {
        let every = self.config.heartbeat_interval;
        out.set_timer(MultiTimer::Heartbeat, every, every);
    }

    fn note(&self, out: &mut MultiOutbox, event: impl FnOnce() -> MultiEvent) {
        out.note(|| MultiNote { node: self.id, event: event() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::multi::safety::{MultiPaxosChecker, AGREEMENT, APPLIED_SEQUENCE_AGREEMENT};
    use alloc::vec;
    use ballot_core::testkit::{
        boot, deliver, fire, notes, persist_before_send, persists, sends, set, step, EffectOf, Net,
    };
    use ballot_core::Prng;

    type Fx = Vec<EffectOf<MultiPaxosNode>>;
    type MultiNet = Net<MultiPaxosNode, MultiPaxosChecker>;

    fn b(round: u64, proposer: u8) -> Ballot {
        Ballot::new(round, NodeId(proposer))
    }

    fn net(size: u8, config: MultiPaxosConfig) -> MultiNet {
        Net::new(size, config, MultiPaxosChecker::new(Cluster::new(size)))
    }

    fn acceptor(
        id: u8,
        size: u8,
        config: &MultiPaxosConfig,
        promised: Ballot,
        accepted: &[(Slot, Ballot, Command)],
    ) -> MultiPaxosNode {
        let accepted = accepted.iter().map(|(s, b, v)| (*s, (*b, v.clone()))).collect();
        boot::<MultiPaxosNode>(id, size, config, MultiDurable { promised, accepted }).0
    }

    fn events(fx: &Fx) -> Vec<MultiEvent> {
        notes(fx).into_iter().map(|n| n.event).collect()
    }

    /// Fires `id`'s election timer and delivers everything; asserts it leads.
    fn elect(net: &mut MultiNet, id: u8) {
        net.fire(id, MultiTimer::Election);
        net.deliver_all();
        assert!(net.node(id).is_leader(), "{:?}", net.node(id).role());
    }

    fn applied(net: &MultiNet, id: u8) -> Vec<Command> {
        net.node(id).applied_commands().map(|(_, c)| c.clone()).collect()
    }

    /// A three-node election, then commands in slots 1..=3 chosen and applied in order on all.
    #[test]
    fn a_leader_is_elected_and_commands_are_applied_in_order_everywhere() {
        let mut net = net(3, MultiPaxosConfig::default());
        net.fire(2, MultiTimer::Election);
        assert_eq!(net.node(2).role_name(), RoleName::Candidate);
        assert_eq!(net.node(2).promised(), b(1, 2), "its own acceptor promised first");
        net.deliver_all();
        assert!(net.node(2).is_leader());
        assert!(
            net.armed[1].contains(&MultiTimer::Heartbeat) && !net.armed[1].contains(&MultiTimer::Election)
        );
        assert_eq!(net.node(1).leader_hint(), Some(NodeId(2)), "learned from the first heartbeat");
        for v in ["1", "2", "3"] {
            net.client(2, set("x", v)).unwrap();
        }
        net.deliver_all();
        for id in 1..=3 {
            assert_eq!(applied(&net, id), vec![set("x", "1"), set("x", "2"), set("x", "3")], "S{id}");
            assert_eq!(net.node(id).kv().get("x"), Some("3"));
            assert_eq!(net.node(id).accepted_at(3), Some(&(b(1, 2), set("x", "3"))));
        }
        assert_eq!(net.checker.chosen(2), Some(&(b(1, 2), set("x", "2"))));
        assert!(net.violations.is_empty(), "{:?}", net.violations);
    }

    #[test]
    fn a_non_leader_refuses_with_a_hint() {
        let mut net = net(3, MultiPaxosConfig::default());
        assert_eq!(net.client(1, Command::Noop), Err(ClientError::NotLeader { hint: None }));
        elect(&mut net, 3);
        assert_eq!(net.client(1, Command::Noop), Err(ClientError::NotLeader { hint: Some(NodeId(3)) }));
        assert_eq!(net.client(3, Command::Noop), Ok(()));
    }

    /// Phase 1(b) for all slots from `from_slot` on: the promise reports every proposal accepted
    /// there; a lower ballot is refused with the promise.
    #[test]
    fn a_promise_reports_accepted_slots_from_the_first_unchosen_on() {
        let config = MultiPaxosConfig::default();
        let entries = [(1, b(1, 1), set("a", "1")), (2, b(1, 1), set("b", "2")), (4, b(2, 3), set("d", "4"))];
        let mut a = acceptor(2, 3, &config, b(2, 3), &entries);
        let fx = deliver(&mut a, 1, MultiMsg::Prepare { ballot: b(3, 1), from_slot: 2 });
        persist_before_send(&fx);
        assert_eq!(
            sends(&fx),
            vec![(
                NodeId(1),
                MultiMsg::Promise { ballot: b(3, 1), accepted: entries[1..].to_vec(), decided: vec![] }
            )]
        );
        let fx = deliver(&mut a, 3, MultiMsg::Prepare { ballot: b(2, 3), from_slot: 1 });
        assert!(matches!(sends(&fx)[..], [(_, MultiMsg::Nack { promised, .. })] if promised == b(3, 1)));
        assert!(!persists(&fx));
    }

    /// Phase 2(b) per slot: refused below the promise; the broken variant accepts anyway.
    #[test]
    fn an_accept_below_the_promise_is_refused() {
        for bug in [None, Some(PaxosBug::AcceptBelowPromise)] {
            let config = MultiPaxosConfig { bug, ..MultiPaxosConfig::default() };
            let mut a = acceptor(2, 3, &config, b(3, 3), &[]);
            let fx = deliver(&mut a, 1, MultiMsg::Accept { ballot: b(2, 1), slot: 1, value: set("x", "1") });
            if bug.is_none() {
                assert_eq!(
                    sends(&fx),
                    vec![(NodeId(1), MultiMsg::Nack { ballot: b(2, 1), promised: b(3, 3) })]
                );
                assert!(a.accepted().is_empty());
            } else {
                assert_eq!(a.accepted_at(1), Some(&(b(2, 1), set("x", "1"))));
            }
            let fx = deliver(&mut a, 3, MultiMsg::Accept { ballot: b(3, 3), slot: 2, value: set("y", "2") });
            persist_before_send(&fx);
            assert_eq!(sends(&fx), vec![(NodeId(3), MultiMsg::Accepted { ballot: b(3, 3), slot: 2 })]);
            assert_eq!(a.leader_hint(), Some(NodeId(3)));
        }
    }

    /// §3: the new leader re-proposes the highest-numbered reported value of each slot and fills
    /// gaps with no-ops; client commands go after. The broken variant proposes only no-ops.
    #[test]
    fn a_new_leader_re_proposes_reported_values_and_fills_gaps() {
        for bug in [None, Some(PaxosBug::IgnorePromisedValues)] {
            let config = MultiPaxosConfig { bug, ..MultiPaxosConfig::default() };
            let mut c = acceptor(1, 5, &config, b(1, 2), &[(2, b(1, 2), set("x", "2"))]);
            let fx = fire(&mut c, MultiTimer::Election);
            persist_before_send(&fx);
            let ballot = c.ballot().unwrap();
            assert_eq!(ballot, b(2, 1), "above its own promise");
            deliver(
                &mut c,
                2,
                MultiMsg::Promise {
                    ballot,
                    accepted: vec![(2, b(1, 2), set("x", "2")), (4, b(1, 2), set("z", "4"))],
                    decided: vec![],
                },
            );
            let fx = deliver(
                &mut c,
                3,
                MultiMsg::Promise { ballot, accepted: vec![(2, b(1, 3), set("x", "3"))], decided: vec![] },
            );
            assert!(c.is_leader());
            let accepts: Vec<(Slot, Command)> = sends(&fx)
                .into_iter()
                .filter(|(to, _)| *to == NodeId(2))
                .filter_map(|(_, m)| match m {
                    MultiMsg::Accept { slot, value, .. } => Some((slot, value)),
                    _ => None,
                })
                .collect();
            let expected = if bug.is_none() {
                vec![(1, Command::Noop), (2, set("x", "3")), (3, Command::Noop), (4, set("z", "4"))]
            } else {
                vec![(1, Command::Noop), (2, Command::Noop), (3, Command::Noop), (4, Command::Noop)]
            };
            assert_eq!(accepts, expected, "{bug:?}");
            if bug.is_none() {
                assert!(events(&fx).contains(&MultiEvent::Proposed {
                    slot: 2,
                    value: set("x", "3"),
                    origin: Origin::Recovered { from: b(1, 3) }
                }));
            }
            step(&mut c, Input::Client(set("w", "5"))).0.unwrap();
            assert_eq!(c.pending().unwrap().keys().copied().collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
        }
    }

    /// Recovery is pipelined: no more than `max_recovery_in_flight` re-proposals at once.
    #[test]
    fn recovery_is_pipelined() {
        let config = MultiPaxosConfig { max_recovery_in_flight: 2, ..MultiPaxosConfig::default() };
        // No-ops, so that Validity holds without a client having proposed them.
        let entries: Vec<(Slot, Ballot, Command)> = (1..=5).map(|s| (s, b(1, 2), Command::Noop)).collect();
        let mut net = net(3, config);
        for id in [2, 3] {
            net.crash(NodeId(id));
            net.disks[NodeId(id).index()] = MultiDurable {
                promised: b(1, 2),
                accepted: entries.iter().map(|(s, b, v)| (*s, (*b, v.clone()))).collect(),
            };
            net.restart(NodeId(id));
        }
        // Ballot 1.1 is below their promise: refused; the next try goes above.
        net.fire(1, MultiTimer::Election);
        net.deliver_all();
        assert_eq!(net.node(1).role_name(), RoleName::Follower);
        net.fire(1, MultiTimer::Election);
        net.deliver(0); // Prepare to S2; its promise goes on the wire after the Prepare to S3.
        net.deliver(1);
        assert!(net.node(1).is_leader());
        assert_eq!(net.node(1).pending().unwrap().len(), 2);
        net.deliver_all();
        assert_eq!(net.node(1).applied(), 5);
        assert!(net.violations.is_empty(), "{:?}", net.violations);
    }

    /// The leader crashes after a slot was chosen on a majority but before anyone else learned
    /// it (its Decides are lost); the new leader finds the value in the promises and re-proposes
    /// it. The broken variant overwrites it with a no-op, and the checker sees two values chosen
    /// for one slot.
    #[test]
    fn a_leader_crash_keeps_chosen_values() {
        for bug in [None, Some(PaxosBug::IgnorePromisedValues)] {
            let mut net = net(3, MultiPaxosConfig { bug, ..MultiPaxosConfig::default() });
            elect(&mut net, 1);
            net.client(1, set("a", "1")).unwrap();
            net.deliver_all();
            net.partition(&[&[1, 3], &[2]]);
            net.client(1, set("b", "2")).unwrap();
            while let Some(k) = net.wire.iter().position(|(_, _, m)| !matches!(m, MultiMsg::Decide { .. })) {
                net.deliver(k);
            }
            net.wire.clear();
            assert_eq!(net.node(1).applied(), 2);
            assert_eq!(net.node(3).chosen_at(2), None, "only S1 knows slot 2 is chosen");
            assert_eq!(net.node(2).applied(), 1, "S2 missed slot 2");
            net.crash(NodeId(1));
            net.heal();
            elect(&mut net, 2);
            net.client(2, set("c", "3")).unwrap();
            net.deliver_all();
            if bug.is_none() {
                assert!(net.violations.is_empty(), "{:?}", net.violations);
                for id in [2, 3] {
                    assert_eq!(applied(&net, id), vec![set("a", "1"), set("b", "2"), set("c", "3")]);
                }
                net.restart(NodeId(1));
                net.fire(2, MultiTimer::Heartbeat);
                net.deliver_all();
                assert_eq!(applied(&net, 1), applied(&net, 2), "the restarted node catches up");
            } else {
                let v = net.violations.first().expect("caught");
                assert!([AGREEMENT, APPLIED_SEQUENCE_AGREEMENT].contains(&v.property), "{v:?}");
                assert_eq!(v.property, AGREEMENT);
            }
        }
    }

    /// A follower cut off while slots were chosen learns them from the next heartbeat.
    #[test]
    fn a_lagging_follower_catches_up_from_heartbeats() {
        let config = MultiPaxosConfig { max_values_per_decide: 3, ..MultiPaxosConfig::default() };
        let mut net = net(3, config);
        elect(&mut net, 1);
        net.partition(&[&[1, 2], &[3]]);
        for v in 0..7 {
            net.client(1, set("k", &alloc::format!("{v}"))).unwrap();
        }
        net.deliver_all();
        assert_eq!(net.node(3).applied(), 0);
        net.heal();
        for _ in 0..3 {
            net.fire(1, MultiTimer::Heartbeat);
            net.deliver_all();
        }
        assert_eq!(applied(&net, 3), applied(&net, 1));
        assert_eq!(net.node(3).kv().get("k"), Some("6"));
        assert!(net.violations.is_empty(), "{:?}", net.violations);
    }

    /// A deposed leader's heartbeat is refused; the refusal makes it step down.
    #[test]
    fn a_stale_leader_steps_down() {
        let mut net = net(3, MultiPaxosConfig::default());
        elect(&mut net, 1);
        net.partition(&[&[1], &[2, 3]]);
        elect(&mut net, 2);
        net.heal();
        assert!(net.node(1).is_leader());
        net.fire(1, MultiTimer::Heartbeat);
        net.deliver_all();
        assert_eq!(net.node(1).role(), &Role::Follower { leader: None });
        assert!(net.armed[0].contains(&MultiTimer::Election));
        net.fire(2, MultiTimer::Heartbeat);
        net.deliver_all();
        assert_eq!(net.node(1).leader_hint(), Some(NodeId(2)));
        assert!(net.violations.is_empty(), "{:?}", net.violations);
    }

    #[test]
    fn a_cluster_of_one_leads_and_applies_alone() {
        let mut net = net(1, MultiPaxosConfig::default());
        elect(&mut net, 1);
        net.client(1, set("x", "1")).unwrap();
        assert_eq!(net.node(1).applied(), 1);
        net.crash(NodeId(1));
        net.restart(NodeId(1));
        elect(&mut net, 1);
        assert_eq!(applied(&net, 1), vec![set("x", "1")], "recovered from its own acceptor");
    }

    /// The acceptor's state survives restarts; the O(1) digest agrees with the full one.
    #[test]
    fn restart_keeps_acceptor_state_and_the_digest_is_consistent() {
        let mut net = net(3, MultiPaxosConfig::default());
        elect(&mut net, 1);
        for v in 0..4 {
            net.client(1, set("x", &alloc::format!("{v}"))).unwrap();
        }
        net.deliver_all();
        let before = net.node(2).durable();
        assert_eq!(net.node(2).durable_digest(), before.digest());
        net.crash(NodeId(2));
        net.restart(NodeId(2));
        let n = net.node(2);
        assert_eq!(n.durable(), before);
        assert_eq!(n.durable_digest(), before.digest());
        assert_eq!((n.applied(), n.chosen().len(), n.role_name()), (0, 0, RoleName::Follower));
        let mut other = n.clone();
        other.last_client = Some(Command::Noop);
        assert_eq!(other.durable_digest(), n.durable_digest(), "volatile");
    }

    /// Garbled messages (any field, any sender) never make a node panic.
    #[test]
    fn garbled_messages_do_not_panic() {
        let mut rng = Prng::new(3);
        let big = |rng: &mut Prng| match rng.below(4) {
            0 => 0,
            1 => rng.below(6),
            2 => u64::MAX - rng.below(2),
            _ => rng.next_u64(),
        };
        let ballot = |rng: &mut Prng| Ballot::new(big(rng), NodeId(rng.below(5) as u8));
        for round in 0..150u64 {
            let mut net = net(3, MultiPaxosConfig::default());
            if round % 2 == 0 {
                elect(&mut net, 1);
                net.client(1, set("x", "1")).unwrap();
            }
            let mut node = net.node(1).clone();
            for _ in 0..40 {
                let from = NodeId(rng.below(5) as u8);
                let msg = match rng.below(8) {
                    0 => MultiMsg::Prepare { ballot: ballot(&mut rng), from_slot: big(&mut rng) },
                    1 => MultiMsg::Promise {
                        ballot: ballot(&mut rng),
                        accepted: (0..rng.below(3))
                            .map(|_| (big(&mut rng), ballot(&mut rng), Command::Noop))
                            .collect(),
                        decided: vec![Command::Noop; rng.below(3) as usize],
                    },
                    2 => MultiMsg::Nack { ballot: ballot(&mut rng), promised: ballot(&mut rng) },
                    3 => MultiMsg::Accept {
                        ballot: ballot(&mut rng),
                        slot: big(&mut rng),
                        value: Command::Noop,
                    },
                    4 => MultiMsg::Accepted { ballot: ballot(&mut rng), slot: big(&mut rng) },
                    5 => MultiMsg::Heartbeat { ballot: ballot(&mut rng), chosen: big(&mut rng) },
                    6 => MultiMsg::CatchUp { from_slot: big(&mut rng) },
                    _ => MultiMsg::Decide {
                        first: big(&mut rng),
                        values: vec![Command::Noop; rng.below(3) as usize],
                    },
                };
                let before = node.promised();
                deliver(&mut node, from.0, msg);
                assert!(node.promised() >= before);
                let _ = step(&mut node, Input::Client(Command::Noop));
                for t in [MultiTimer::Election, MultiTimer::Heartbeat] {
                    if rng.chance(1, 5) {
                        fire(&mut node, t);
                    }
                }
                assert!(node.accepted().keys().all(|s| (1..=MAX_SLOT).contains(s)));
                assert_eq!(node.durable_digest(), node.durable().digest());
            }
        }
    }

    /// A random run of the test network: reordering, duplication, loss, timers, client commands,
    /// crashes and restarts.
    pub(crate) fn swarm(seed: u64, size: u8, config: MultiPaxosConfig, steps: u32) -> MultiNet {
        let mut rng = Prng::new(seed);
        let mut net = net(size, config);
        let mut next = 0u64;
        for _ in 0..steps {
            if !net.violations.is_empty() {
                break;
            }
            let roll = rng.below(100);
            let id = NodeId::from_index(rng.below(u64::from(size)) as usize);
            let leader = net.nodes.iter().flatten().filter(|n| n.is_leader()).map(|n| n.id()).max();
            if roll < 65 && !net.wire.is_empty() {
                let k = rng.below(net.wire.len() as u64) as usize;
                if rng.chance(1, 10) {
                    let copy = net.wire[k].clone();
                    net.wire.push(copy);
                }
                if rng.chance(1, 20) {
                    net.wire.remove(k);
                } else {
                    net.deliver(k);
                }
            } else if roll < 77 {
                if net.armed[id.index()].contains(&MultiTimer::Heartbeat) {
                    net.fire(id.0, MultiTimer::Heartbeat);
                }
            } else if roll < 81 {
                // Messages here wait in a random-order queue far longer than a leader timeout
                // would allow in the simulator: elections are made rarer than in Raft's swarm
                // so that one can finish before the next starts.
                let odds = if leader.is_some() { 1 } else { 3 };
                if net.armed[id.index()].contains(&MultiTimer::Election) && rng.chance(odds, 10) {
                    net.fire(id.0, MultiTimer::Election);
                }
            } else if roll < 94 {
                next += 1;
                let target = leader.filter(|_| rng.chance(9, 10)).unwrap_or(id);
                let _ = net
                    .client(target.0, set(["x", "y", "z"][rng.below(3) as usize], &alloc::format!("{next}")));
            } else if roll < 96 {
                if rng.chance(1, 2) {
                    net.heal();
                } else {
                    for g in net.group.iter_mut() {
                        *g = rng.below(2) as u8;
                    }
                }
            } else if roll < 97 {
                if net.nodes[id.index()].is_some() {
                    net.crash(id);
                }
            } else if let Some(k) = (0..usize::from(size)).find(|&k| net.nodes[k].is_none()) {
                net.restart(NodeId::from_index(k));
            }
        }
        net
    }

    #[test]
    fn swarm_of_correct_multi_paxos_finds_no_violation() {
        let mut progressed = 0;
        for seed in 0..50 {
            let net = swarm(seed, if seed % 2 == 0 { 3 } else { 5 }, MultiPaxosConfig::default(), 2_500);
            if net.checker.applied_len() >= 5 {
                progressed += 1;
            }
        }
        // Messages here are picked at random from one queue, so an election takes hundreds of
        // steps and often collides with the next: progress is modest (about 40 of 50 runs apply
        // 5 slots or more). The simulator's swarm (crates/sim/tests/paxos.rs) checks liveness
        // with real timing.
        assert!(progressed >= 33, "only {progressed} of 50 runs made progress");
    }

    #[test]
    fn swarm_catches_each_bug() {
        // The test network asserts the persistence contract by panicking (see the next test);
        // the simulator's swarm catches `promise-before-persist` as a violation.
        for bug in PaxosBug::ALL.into_iter().filter(|&b| b != PaxosBug::PromiseBeforePersist) {
            let config = MultiPaxosConfig { bug: Some(bug), ..MultiPaxosConfig::default() };
            let caught = (0..200).find(|&seed| !swarm(seed, 3, config.clone(), 3_000).violations.is_empty());
            assert!(caught.is_some(), "{bug} not caught");
        }
    }

    /// With [`PaxosBug::PromiseBeforePersist`] the Promise leaves while the promised ballot is
    /// in memory only: the test network's persist-before-send assertion fails.
    #[test]
    #[should_panic(expected = "changed its durable state: no Persist")]
    fn a_promise_before_persisting_breaks_the_contract() {
        let config =
            MultiPaxosConfig { bug: Some(PaxosBug::PromiseBeforePersist), ..MultiPaxosConfig::default() };
        for seed in 0..50 {
            swarm(seed, 3, config.clone(), 3_000);
        }
    }
}
