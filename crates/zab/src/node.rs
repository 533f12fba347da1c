//! A Zab server: Fast Leader Election, then the three phases of the paper (discovery,
//! synchronisation, broadcast), as one sans-IO state machine.
//!
//! ```text
//!   LOOKING ──quorum agrees on L──▶ FOLLOWING L: CEPOCH ─▶ NEWEPOCH ─▶ ACKEPOCH ─▶ NEWLEADER ─▶ ACKLD ─▶ COMMITLD
//!      ▲                            (discovery)            (sync)                                    (broadcast:
//!      │                                                                                             PROPOSE/ACK/COMMIT)
//!      └── timeout ◀── LEADING: quorum CEPOCH → e′ ─ quorum ACKEPOCH → I_e′ ─ quorum ACKLD → established
//! ```
//!
//! Durable state is the paper's: `acceptedEpoch` (f.p), `currentEpoch` (f.a) and the history
//! (h_f). Each change is persisted before the message that announces it leaves: acceptedEpoch
//! before ACKEPOCH (and a leader's before NEWEPOCH), currentEpoch and the history before ACKLD
//! (a leader's before NEWLEADER), an appended proposal before PROPOSE or ACK. What a server
//! delivered (`committed`) and its state machine are volatile, as in ZooKeeper's specification:
//! a restarted server delivers again after it synchronised.

use crate::bug::ZabBug;
use crate::config::ZabConfig;
use crate::message::{PeerState, ZabMsg};
use crate::note::{IgnoreReason, LookReason, ZabEvent, ZabNote};
use crate::zxid::{Epoch, History, Vote, Zxid};
use alloc::vec::Vec;
use ballot_core::hash::stable_hash;
use ballot_core::node::OutboxOf;
use ballot_core::{
    ClientError, Cluster, Command, Duration, Input, Instant, KvStore, Node, NodeId, VecMap, VecSet,
};

/// The outbox of a Zab step.
pub type ZabOutbox = OutboxOf<ZabNode>;

/// A server's named timers.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum ZabTimer {
    /// The one timeout of every state: a booted server starts election round 1, a looking one
    /// sends its vote again (with back-off), a follower gives up on a silent leader, a leader
    /// not established in time or that heard from no quorum since the last one steps down.
    Election,
    /// A leader's heartbeat (COMMIT to synchronised followers, resends of NEWEPOCH, NEWLEADER
    /// and proposals that were not acknowledged); while looking, the finalize wait.
    Heartbeat,
}

/// What survives a crash: the paper's f.p, f.a and h_f.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct ZabDurable {
    /// acceptedEpoch: the last epoch this server promised (NEWEPOCH accepted).
    pub accepted_epoch: Epoch,
    /// currentEpoch: the epoch of the last NEWLEADER it adopted.
    pub current_epoch: Epoch,
    /// Its history.
    pub history: History,
}

/// The phase of a follower or leader.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Phase {
    /// Looking: Fast Leader Election.
    Election,
    /// Phase 1: agreeing on a new epoch (CEPOCH, NEWEPOCH, ACKEPOCH).
    Discovery,
    /// Phase 2: every follower adopts the new leader's history (NEWLEADER, ACKLD, COMMITLD).
    Sync,
    /// Phase 3: PROPOSE, ACK, COMMIT.
    Broadcast,
}

impl Phase {
    /// `election`, `discovery`, `sync` or `broadcast`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Election => "election",
            Phase::Discovery => "discovery",
            Phase::Sync => "sync",
            Phase::Broadcast => "broadcast",
        }
    }
}

/// The state a server is in, as ZooKeeper names them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum RoleName {
    /// Electing a leader.
    Looking,
    /// Following a leader.
    Following,
    /// Leading.
    Leading,
}

impl RoleName {
    /// `looking`, `following` or `leading`.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleName::Looking => "looking",
            RoleName::Following => "following",
            RoleName::Leading => "leading",
        }
    }
}

/// A looking server's election state (ZooKeeper's `recvset` and `outofelection`).
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct Looking {
    /// The votes of looking servers in our round, our own included.
    pub votes: VecMap<NodeId, Vote>,
    /// The votes of servers that already follow or lead, with their state.
    pub outside: VecMap<NodeId, (Vote, PeerState)>,
    /// A quorum agreed with our vote while some votes were missing: the heartbeat timer waits
    /// for a better vote before deciding (ZooKeeper's `finalizeWait`).
    pub finalizing: bool,
    /// CEPOCHs that arrived while we were still looking (a follower may decide first): they
    /// count once we lead.
    pub early_cepoch: VecMap<NodeId, Epoch>,
    /// Timeouts in this round without a decision: each doubles the next wait, up to 8 times
    /// the timeout (ZooKeeper's notification back-off).
    pub retries: u8,
}

/// A follower's state.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Following {
    /// Its leader.
    pub leader: NodeId,
    /// Discovery, sync or broadcast.
    pub phase: Phase,
    /// Whether it accepted the leader's NEWEPOCH in this session (rather than before it: then
    /// its ACKEPOCH does not count towards the leader's quorum, as ZooKeeper's `-1` epoch).
    pub fresh: bool,
}

/// A leader's state.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Leading {
    /// Discovery, sync or broadcast.
    pub phase: Phase,
    /// CEPOCH received: each sender's acceptedEpoch, our own included.
    pub cepoch: VecMap<NodeId, Epoch>,
    /// The new epoch e′, once a quorum sent CEPOCH (0 before).
    pub new_epoch: Epoch,
    /// ACKEPOCH senders; `true` for those that count towards the quorum (fresh promises).
    pub ack_epoch: VecMap<NodeId, bool>,
    /// The most recent state among the counted ACKEPOCHs: (currentEpoch, last zxid, sender).
    pub best: (Epoch, Zxid, NodeId),
    /// That sender's history, until the quorum is reached.
    pub best_history: History,
    /// Followers that acknowledged NEWLEADER, each with the highest zxid it acknowledged since.
    pub synced: VecMap<NodeId, Zxid>,
    /// Followers heard from (in broadcast) since the last quorum check.
    pub heard: VecSet<NodeId>,
}

/// What a server is doing.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Role {
    /// LOOKING.
    Looking(Looking),
    /// FOLLOWING.
    Following(Following),
    /// LEADING.
    Leading(Leading),
}

/// One Zab server.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ZabNode {
    id: NodeId,
    cluster: Cluster,
    config: ZabConfig,
    /// acceptedEpoch (durable).
    accepted_epoch: Epoch,
    /// currentEpoch (durable).
    current_epoch: Epoch,
    /// The history (durable).
    history: History,
    /// How many transactions of the history were delivered (a prefix; volatile).
    committed: u64,
    /// The delivered transactions applied.
    kv: KvStore,
    /// FLE's logical clock.
    round: u64,
    /// The current vote.
    vote: Vote,
    /// LOOKING, FOLLOWING or LEADING.
    role: Role,
}

impl ZabNode {
    /// Its state's name.
    pub fn role_name(&self) -> RoleName {
        match self.role {
            Role::Looking(_) => RoleName::Looking,
            Role::Following(_) => RoleName::Following,
            Role::Leading(_) => RoleName::Leading,
        }
    }

    /// Its role with the role's data.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// Its phase ([`Phase::Election`] while looking).
    pub fn phase(&self) -> Phase {
        match &self.role {
            Role::Looking(_) => Phase::Election,
            Role::Following(f) => f.phase,
            Role::Leading(l) => l.phase,
        }
    }

    /// acceptedEpoch.
    pub fn accepted_epoch(&self) -> Epoch {
        self.accepted_epoch
    }

    /// currentEpoch.
    pub fn current_epoch(&self) -> Epoch {
        self.current_epoch
    }

    /// The history.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// How many transactions it delivered.
    pub fn committed(&self) -> u64 {
        self.committed
    }

    /// The last delivered zxid ([`Zxid::ZERO`] if none).
    pub fn committed_zxid(&self) -> Zxid {
        self.history.entry(self.committed).map_or(Zxid::ZERO, |e| e.zxid)
    }

    /// The state machine.
    pub fn kv(&self) -> &KvStore {
        &self.kv
    }

    /// FLE's election round.
    pub fn round(&self) -> u64 {
        self.round
    }

    /// Its current vote.
    pub fn vote(&self) -> Vote {
        self.vote
    }

    /// The leader it follows, itself when leading, `None` while looking.
    pub fn leader_hint(&self) -> Option<NodeId> {
        match &self.role {
            Role::Looking(_) => None,
            Role::Following(f) => Some(f.leader),
            Role::Leading(_) => Some(self.id),
        }
    }

    /// Whether it leads an established epoch (broadcast phase): where clients should go.
    pub fn is_broadcasting_leader(&self) -> bool {
        matches!(&self.role, Role::Leading(l) if l.phase == Phase::Broadcast)
    }

    /// The cluster.
    pub fn cluster(&self) -> Cluster {
        self.cluster
    }

    fn bug(&self, bug: ZabBug) -> bool {
        self.config.bug == Some(bug)
    }

    fn majority(&self) -> usize {
        usize::from(self.cluster.majority())
    }

    fn note(&self, out: &mut ZabOutbox, event: ZabEvent) {
        let (node, epoch) = (self.id, self.current_epoch);
        out.note(|| ZabNote { node, epoch, event });
    }

    /// Persists a pending durable change, then sends.
    fn send(&self, out: &mut ZabOutbox, to: NodeId, msg: ZabMsg) {
        out.persist_if_dirty(|| self.durable());
        out.send(to, msg);
    }

    fn set_timeout(&self, out: &mut ZabOutbox) {
        out.set_timer(ZabTimer::Election, self.config.timeout_min, self.config.timeout_max);
    }

    fn set_heartbeat(&self, out: &mut ZabOutbox) {
        let h = self.config.heartbeat_interval;
        out.set_timer(ZabTimer::Heartbeat, h, h);
    }

    fn own_vote(&self) -> Vote {
        Vote { epoch: self.current_epoch, zxid: self.history.last_zxid(), leader: self.id }
    }

    fn peer_state(&self) -> PeerState {
        match self.role {
            Role::Looking(_) => PeerState::Looking,
            Role::Following(_) => PeerState::Following,
            Role::Leading(_) => PeerState::Leading,
        }
    }

    fn notify_all(&self, out: &mut ZabOutbox) {
        let msg = ZabMsg::Notification { round: self.round, vote: self.vote, state: self.peer_state() };
        for peer in self.cluster.peers(self.id) {
            self.send(out, peer, msg.clone());
        }
    }

    // ----- Fast Leader Election -------------------------------------------------------------

    /// Becomes LOOKING: a new round, a vote for itself, notifications to everyone.
    fn become_looking(&mut self, out: &mut ZabOutbox, reason: Option<LookReason>) {
        self.round += 1;
        self.vote = self.own_vote();
        let mut looking = Looking::default();
        looking.votes.insert(self.id, self.vote);
        self.role = Role::Looking(looking);
        self.note(out, ZabEvent::Looking { round: self.round, reason });
        out.cancel_timer(ZabTimer::Heartbeat);
        self.set_timeout(out);
        self.notify_all(out);
        self.maybe_decide(out, false);
    }

    fn handle_notification(
        &mut self,
        out: &mut ZabOutbox,
        from: NodeId,
        round: u64,
        vote: Vote,
        state: PeerState,
    ) {
        let own = self.own_vote();
        let Role::Looking(looking) = &mut self.role else {
            // Following or leading: tell a looking server who leads.
            if state == PeerState::Looking {
                let msg =
                    ZabMsg::Notification { round: self.round, vote: self.vote, state: self.peer_state() };
                self.send(out, from, msg);
            }
            return;
        };
        if state != PeerState::Looking {
            looking.outside.insert(from, (vote, state));
            self.maybe_join(out);
            return;
        }
        let mut changed = false;
        if round > self.round {
            self.round = round;
            looking.votes.clear();
            self.vote = own.max(vote);
            changed = true;
        } else if round < self.round {
            // A straggler: tell it our round and vote.
            let msg = ZabMsg::Notification { round: self.round, vote: self.vote, state: PeerState::Looking };
            self.send(out, from, msg);
            return;
        } else if vote > self.vote {
            self.vote = vote;
            changed = true;
        }
        looking.votes.insert(from, vote);
        looking.votes.insert(self.id, self.vote);
        if changed {
            if self.vote.leader != self.id {
                self.note(out, ZabEvent::VoteChanged { leader: self.vote.leader, zxid: self.vote.zxid });
            }
            self.notify_all(out);
        }
        self.maybe_decide(out, false);
    }

    /// A quorum of this round's votes agrees with ours: lead or follow, at once if every
    /// server voted, otherwise after the finalize wait (`now` = the wait is over) if no better
    /// vote came meanwhile.
    fn maybe_decide(&mut self, out: &mut ZabOutbox, now: bool) {
        let (majority, size) = (self.majority(), usize::from(self.cluster.size()));
        let Role::Looking(looking) = &mut self.role else { return };
        let agree = looking.votes.values().filter(|v| **v == self.vote).count();
        if agree < majority {
            return;
        }
        if now || looking.votes.len() == size {
            self.decide(out, self.vote.leader, agree as u8);
        } else if !looking.finalizing {
            looking.finalizing = true;
            self.set_heartbeat(out);
        }
    }

    /// A quorum of servers outside the election follows (or is) a leader that says it leads.
    fn maybe_join(&mut self, out: &mut ZabOutbox) {
        let Role::Looking(looking) = &self.role else { return };
        for (&who, &(vote, state)) in looking.outside.iter() {
            if state != PeerState::Leading || vote.leader != who {
                continue;
            }
            let agree = looking.outside.values().filter(|(v, _)| v.leader == who).count();
            if agree >= self.majority() {
                self.vote = vote;
                self.decide(out, who, agree as u8);
                return;
            }
        }
    }

    fn decide(&mut self, out: &mut ZabOutbox, leader: NodeId, votes: u8) {
        self.note(out, ZabEvent::Elected { leader, votes });
        if leader == self.id {
            self.become_leading(out);
        } else {
            self.become_following(out, leader);
        }
    }

    // ----- Discovery --------------------------------------------------------------------------

    fn become_following(&mut self, out: &mut ZabOutbox, leader: NodeId) {
        self.role = Role::Following(Following { leader, phase: Phase::Discovery, fresh: false });
        self.set_timeout(out);
        out.cancel_timer(ZabTimer::Heartbeat);
        self.send(out, leader, ZabMsg::CEpoch { accepted_epoch: self.accepted_epoch });
    }

    fn become_leading(&mut self, out: &mut ZabOutbox) {
        let mut cepoch = match &mut self.role {
            Role::Looking(looking) => core::mem::take(&mut looking.early_cepoch),
            _ => VecMap::new(),
        };
        cepoch.insert(self.id, self.accepted_epoch);
        self.role = Role::Leading(Leading {
            phase: Phase::Discovery,
            cepoch,
            new_epoch: 0,
            ack_epoch: VecMap::new(),
            best: (0, Zxid::ZERO, self.id),
            best_history: History::new(),
            synced: VecMap::new(),
            heard: VecSet::new(),
        });
        // Discovery and synchronisation may take several round trips: four timeouts for them.
        let scale = |d: Duration| Duration { micros: d.micros << 2 };
        out.set_timer(ZabTimer::Election, scale(self.config.timeout_min), scale(self.config.timeout_max));
        self.set_heartbeat(out);
        self.maybe_choose_epoch(out);
    }

    /// Leader: a quorum sent CEPOCH; e′ = max acceptedEpoch + 1, persisted, NEWEPOCH sent.
    fn maybe_choose_epoch(&mut self, out: &mut ZabOutbox) {
        let Role::Leading(l) = &mut self.role else { return };
        if l.new_epoch != 0 || l.cepoch.len() < usize::from(self.cluster.majority()) {
            return;
        }
        let epoch = l.cepoch.values().copied().max().unwrap_or(0) + 1;
        l.new_epoch = epoch;
        l.ack_epoch.insert(self.id, true);
        l.best = (self.current_epoch, self.history.last_zxid(), self.id);
        let followers: Vec<NodeId> = l.cepoch.keys().copied().filter(|&p| p != self.id).collect();
        self.accepted_epoch = epoch;
        out.mark_dirty();
        self.note(out, ZabEvent::EpochChosen { epoch });
        for peer in followers {
            self.send(out, peer, ZabMsg::NewEpoch { epoch });
        }
        self.maybe_choose_history(out);
    }

    fn handle_cepoch(&mut self, out: &mut ZabOutbox, from: NodeId, accepted_epoch: Epoch) {
        let l = match &mut self.role {
            Role::Leading(l) => l,
            Role::Looking(looking) => {
                looking.early_cepoch.insert(from, accepted_epoch);
                return;
            }
            Role::Following(_) => return self.ignore(out, "CEPOCH", from, IgnoreReason::WrongPhase),
        };
        if l.phase == Phase::Broadcast {
            l.heard.insert(from);
        }
        l.cepoch.insert(from, accepted_epoch);
        if l.new_epoch == 0 {
            self.maybe_choose_epoch(out);
        } else {
            let epoch = l.new_epoch;
            self.send(out, from, ZabMsg::NewEpoch { epoch });
        }
    }

    fn handle_new_epoch(&mut self, out: &mut ZabOutbox, from: NodeId, epoch: Epoch) {
        let Role::Following(f) = &mut self.role else {
            return self.ignore(out, "NEWEPOCH", from, IgnoreReason::WrongPhase);
        };
        if f.leader != from {
            return self.ignore(out, "NEWEPOCH", from, IgnoreReason::Stale);
        }
        match f.phase {
            Phase::Discovery if epoch > self.accepted_epoch => {
                f.phase = Phase::Sync;
                f.fresh = true;
                self.accepted_epoch = epoch;
                out.mark_dirty();
                self.note(out, ZabEvent::EpochAccepted { epoch, leader: from });
            }
            // Promised before this session (ZooKeeper's "-1" epoch): join, but do not count.
            Phase::Discovery if epoch == self.accepted_epoch => f.phase = Phase::Sync,
            Phase::Discovery => return self.become_looking(out, Some(LookReason::EpochRefused)),
            // A resend: our ACKEPOCH was lost.
            Phase::Sync if epoch == self.accepted_epoch => {}
            _ => return,
        }
        self.set_timeout(out);
        let repeat = !matches!(&self.role, Role::Following(f) if f.fresh);
        let msg = ZabMsg::AckEpoch {
            epoch,
            current_epoch: self.current_epoch,
            history: self.history.clone(),
            repeat,
        };
        self.send(out, from, msg);
    }

    fn handle_ack_epoch(
        &mut self,
        out: &mut ZabOutbox,
        from: NodeId,
        epoch: Epoch,
        current_epoch: Epoch,
        history: History,
        repeat: bool,
    ) {
        let Role::Leading(l) = &mut self.role else {
            return self.ignore(out, "ACKEPOCH", from, IgnoreReason::WrongPhase);
        };
        if l.phase == Phase::Broadcast {
            l.heard.insert(from);
        }
        if l.new_epoch == 0 || epoch != l.new_epoch {
            return self.ignore(out, "ACKEPOCH", from, IgnoreReason::Stale);
        }
        let counted = !repeat || l.ack_epoch.get(&from).copied().unwrap_or(false);
        l.ack_epoch.insert(from, counted);
        if l.phase == Phase::Discovery {
            let state = (current_epoch, history.last_zxid(), from);
            if counted && (state.0, state.1) > (l.best.0, l.best.1) {
                l.best = state;
                l.best_history = history;
            }
            self.maybe_choose_history(out);
        } else {
            self.send_new_leader(out, from);
        }
    }

    // ----- Synchronisation -----------------------------------------------------------------------

    /// Leader: a quorum (counted ACKEPOCHs, our own included) answered; the most recent history
    /// becomes the initial history I_e′, currentEpoch := e′, persisted, NEWLEADER sent.
    fn maybe_choose_history(&mut self, out: &mut ZabOutbox) {
        let majority = self.majority();
        let Role::Leading(l) = &mut self.role else { return };
        if l.phase != Phase::Discovery || l.ack_epoch.values().filter(|c| **c).count() < majority {
            return;
        }
        l.phase = Phase::Sync;
        let (from, epoch) = (l.best.2, l.new_epoch);
        if from != self.id {
            self.history = core::mem::take(&mut l.best_history);
        }
        l.best_history = History::new();
        let followers: Vec<NodeId> = l.ack_epoch.keys().copied().filter(|&p| p != self.id).collect();
        self.current_epoch = epoch;
        out.mark_dirty();
        self.note(out, ZabEvent::HistoryChosen { from, len: self.history.len() });
        for peer in followers {
            self.send_new_leader(out, peer);
        }
        self.maybe_establish(out);
    }

    fn send_new_leader(&self, out: &mut ZabOutbox, to: NodeId) {
        let history = if self.bug(ZabBug::SkipSync) { History::new() } else { self.history.clone() };
        self.send(out, to, ZabMsg::NewLeader { epoch: self.current_epoch, history });
    }

    fn handle_new_leader(&mut self, out: &mut ZabOutbox, from: NodeId, epoch: Epoch, history: History) {
        let Role::Following(f) = &mut self.role else {
            return self.ignore(out, "NEWLEADER", from, IgnoreReason::WrongPhase);
        };
        if f.leader != from {
            return self.ignore(out, "NEWLEADER", from, IgnoreReason::Stale);
        }
        if f.phase == Phase::Discovery {
            return self.ignore(out, "NEWLEADER", from, IgnoreReason::WrongPhase);
        }
        if epoch != self.accepted_epoch {
            return self.become_looking(out, Some(LookReason::EpochRefused));
        }
        self.set_timeout(out);
        if self.current_epoch == epoch && history.len() <= self.history.len() {
            // Adopted already (a resend, or a late copy of one): acknowledge again. Within an
            // epoch every history is a prefix of the leader's, so only a longer one is news.
            let zxid = self.history.last_zxid();
            return self.send(out, from, ZabMsg::AckLd { epoch, zxid });
        }
        let len = history.len();
        let adopt = !self.bug(ZabBug::SkipSync);
        let zxid = if adopt { history.last_zxid() } else { self.history.last_zxid() };
        if self.bug(ZabBug::AckBeforePersist) {
            // The ACKLD leaves before the new state is even in memory, let alone on disk.
            out.send(from, ZabMsg::AckLd { epoch, zxid });
        }
        self.current_epoch = epoch;
        if adopt {
            self.history = history;
            self.committed = self.committed.min(self.history.len());
        }
        out.mark_dirty();
        self.note(out, ZabEvent::Synced { leader: from, len });
        if !self.bug(ZabBug::AckBeforePersist) {
            self.send(out, from, ZabMsg::AckLd { epoch, zxid });
        }
    }

    fn handle_ack_ld(&mut self, out: &mut ZabOutbox, from: NodeId, epoch: Epoch, zxid: Zxid) {
        let current = self.current_epoch;
        let Role::Leading(l) = &mut self.role else {
            return self.ignore(out, "ACKLD", from, IgnoreReason::WrongPhase);
        };
        if l.phase == Phase::Broadcast {
            l.heard.insert(from);
        }
        if epoch != current || l.phase == Phase::Discovery {
            return self.ignore(out, "ACKLD", from, IgnoreReason::Stale);
        }
        let acked = l.synced.get(&from).copied().unwrap_or(Zxid::ZERO).max(zxid);
        l.synced.insert(from, acked);
        if l.phase == Phase::Sync {
            self.maybe_establish(out);
        } else {
            let zxid = self.committed_zxid();
            self.send(out, from, ZabMsg::CommitLd { epoch, zxid });
            self.maybe_commit(out);
        }
    }

    /// Leader: a quorum acknowledged NEWLEADER: deliver the initial history, COMMITLD, broadcast.
    fn maybe_establish(&mut self, out: &mut ZabOutbox) {
        let majority = self.majority();
        let Role::Leading(l) = &mut self.role else { return };
        if l.phase != Phase::Sync || l.synced.len() + 1 < majority {
            return;
        }
        l.phase = Phase::Broadcast;
        let followers: Vec<NodeId> = l.synced.keys().copied().collect();
        self.note(out, ZabEvent::Established);
        self.deliver(out, self.history.len());
        let (epoch, zxid) = (self.current_epoch, self.history.last_zxid());
        for peer in followers {
            self.send(out, peer, ZabMsg::CommitLd { epoch, zxid });
        }
    }

    fn handle_commit_ld(&mut self, out: &mut ZabOutbox, from: NodeId, epoch: Epoch, zxid: Zxid) {
        if !self.follows_in_epoch(from, epoch) {
            return self.ignore(out, "COMMITLD", from, IgnoreReason::Stale);
        }
        if let Role::Following(f) = &mut self.role {
            f.phase = Phase::Broadcast;
        }
        self.set_timeout(out);
        self.deliver(out, self.history.count_through(zxid));
    }

    /// Whether `from` is our leader and we adopted its NEWLEADER of `epoch`.
    fn follows_in_epoch(&self, from: NodeId, epoch: Epoch) -> bool {
        matches!(&self.role, Role::Following(f) if f.leader == from && f.phase != Phase::Discovery)
            && epoch == self.current_epoch
            && epoch == self.accepted_epoch
    }

    // ----- Broadcast ---------------------------------------------------------------------------

    fn propose(&mut self, out: &mut ZabOutbox, command: Command) -> Result<(), ClientError> {
        let Role::Leading(l) = &self.role else {
            return Err(ClientError::NotLeader { hint: self.leader_hint() });
        };
        if l.phase != Phase::Broadcast {
            return Err(ClientError::NotLeader { hint: None });
        }
        let followers: Vec<NodeId> = l.synced.keys().copied().collect();
        let prev = self.history.last_zxid();
        let counter = if prev.epoch() == self.current_epoch { prev.counter() + 1 } else { 1 };
        let zxid = Zxid::new(self.current_epoch, counter);
        self.history.push(zxid, command.clone());
        out.mark_dirty();
        self.note(out, ZabEvent::Proposed { zxid, command: command.clone() });
        let epoch = self.current_epoch;
        for &peer in &followers {
            self.send(out, peer, ZabMsg::Propose { epoch, prev, zxid, command: command.clone() });
        }
        if self.bug(ZabBug::CommitBeforeQuorum) {
            self.deliver(out, self.history.len());
            for &peer in &followers {
                self.send(out, peer, ZabMsg::Commit { epoch, zxid });
            }
        }
        self.maybe_commit(out);
        Ok(())
    }

    fn handle_propose(
        &mut self,
        out: &mut ZabOutbox,
        from: NodeId,
        epoch: Epoch,
        prev: Zxid,
        zxid: Zxid,
        command: Command,
    ) {
        if !self.follows_in_epoch(from, epoch) {
            return self.ignore(out, "PROPOSE", from, IgnoreReason::Stale);
        }
        self.set_timeout(out);
        if self.history.last_zxid() == prev {
            self.history.push(zxid, command);
            out.mark_dirty();
        } else if !self.history.contains(zxid) {
            return self.ignore(out, "PROPOSE", from, IgnoreReason::Gap);
        }
        let zxid = self.history.last_zxid();
        self.send(out, from, ZabMsg::Ack { epoch, zxid });
    }

    fn handle_ack(&mut self, out: &mut ZabOutbox, from: NodeId, epoch: Epoch, zxid: Zxid) {
        let (current, last) = (self.current_epoch, self.history.last_zxid());
        let Role::Leading(l) = &mut self.role else { return };
        if l.phase == Phase::Broadcast {
            l.heard.insert(from);
        }
        if epoch != current {
            return;
        }
        if let Some(acked) = l.synced.get_mut(&from) {
            *acked = (*acked).max(zxid.min(last));
        }
        self.maybe_commit(out);
    }

    /// Leader: commits the longest prefix a quorum (itself included) acknowledged.
    fn maybe_commit(&mut self, out: &mut ZabOutbox) {
        let Role::Leading(l) = &self.role else { return };
        if l.phase != Phase::Broadcast {
            return;
        }
        let mut acked: Vec<u64> = alloc::vec![self.history.last_zxid().0];
        for peer in self.cluster.peers(self.id) {
            acked.push(l.synced.get(&peer).map_or(0, |z| z.0));
        }
        let upto = self.history.count_through(Zxid(ballot_core::quorum::majority_floor(&acked)));
        if upto <= self.committed {
            return;
        }
        let followers: Vec<NodeId> = l.synced.keys().copied().collect();
        self.deliver(out, upto);
        let (epoch, zxid) = (self.current_epoch, self.committed_zxid());
        for peer in followers {
            self.send(out, peer, ZabMsg::Commit { epoch, zxid });
        }
    }

    fn handle_commit(&mut self, out: &mut ZabOutbox, from: NodeId, epoch: Epoch, zxid: Zxid) {
        if !self.follows_in_epoch(from, epoch) {
            return self.ignore(out, "COMMIT", from, IgnoreReason::Stale);
        }
        if let Role::Following(f) = &mut self.role {
            // A COMMIT of this epoch means the leader is established: as good as COMMITLD.
            f.phase = Phase::Broadcast;
        }
        self.set_timeout(out);
        self.deliver(out, self.history.count_through(zxid));
        let last = self.history.last_zxid();
        self.send(out, from, ZabMsg::Ack { epoch, zxid: last });
    }

    /// Delivers the first `upto` transactions of the history (those not yet delivered).
    fn deliver(&mut self, out: &mut ZabOutbox, upto: u64) {
        let upto = upto.min(self.history.len());
        if upto <= self.committed {
            return;
        }
        for k in self.committed + 1..=upto {
            if let Some(e) = self.history.entry(k) {
                self.kv.apply(&e.command);
            }
        }
        self.committed = upto;
        self.note(out, ZabEvent::Committed { zxid: self.committed_zxid() });
    }

    // ----- Timers ------------------------------------------------------------------------------

    fn handle_timeout(&mut self, out: &mut ZabOutbox) {
        match &mut self.role {
            // Booted: the first timeout starts the first round (unless a notification did).
            Role::Looking(_) if self.round == 0 => self.become_looking(out, None),
            Role::Looking(looking) => {
                // No decision yet: tell everyone our vote again and wait longer (the round
                // stays: a new one would restart every server's count).
                looking.retries = looking.retries.saturating_add(1).min(3);
                let k = u32::from(looking.retries);
                let scale = |d: Duration| Duration { micros: d.micros << k };
                out.set_timer(
                    ZabTimer::Election,
                    scale(self.config.timeout_min),
                    scale(self.config.timeout_max),
                );
                self.notify_all(out);
            }
            Role::Following(_) => self.become_looking(out, Some(LookReason::LeaderSilent)),
            Role::Leading(l) => {
                // Not established in time (ZooKeeper's initLimit), or not heard from a quorum
                // since the last check (syncLimit): step down.
                if l.phase == Phase::Broadcast && l.heard.len() + 1 >= usize::from(self.cluster.majority()) {
                    l.heard.clear();
                    self.set_timeout(out);
                } else {
                    self.become_looking(out, Some(LookReason::QuorumLost));
                }
            }
        }
    }

    fn handle_heartbeat(&mut self, out: &mut ZabOutbox) {
        if let Role::Looking(looking) = &mut self.role {
            looking.finalizing = false;
            return self.maybe_decide(out, true);
        }
        match &self.role {
            Role::Looking(_) => {}
            Role::Following(_) => {}
            Role::Leading(l) => {
                let epoch = l.new_epoch;
                if epoch != 0 {
                    for &peer in l.cepoch.keys().filter(|p| **p != self.id && !l.ack_epoch.contains_key(*p)) {
                        self.send(out, peer, ZabMsg::NewEpoch { epoch });
                    }
                }
                if l.phase >= Phase::Sync {
                    for &peer in l.ack_epoch.keys().filter(|p| **p != self.id && !l.synced.contains_key(*p)) {
                        self.send_new_leader(out, peer);
                    }
                }
                if l.phase == Phase::Broadcast {
                    let commit = ZabMsg::Commit { epoch: self.current_epoch, zxid: self.committed_zxid() };
                    for (&peer, &acked) in l.synced.iter() {
                        self.resend_proposals(out, peer, acked);
                        self.send(out, peer, commit.clone());
                    }
                }
                self.set_heartbeat(out);
            }
        }
    }

    /// Resends the proposals `peer` did not acknowledge (after `acked`), a few at a time.
    fn resend_proposals(&self, out: &mut ZabOutbox, peer: NodeId, acked: Zxid) {
        let from = self.history.count_through(acked);
        let upto = (from + u64::from(self.config.max_resend)).min(self.history.len());
        for n in from + 1..=upto {
            let Some(e) = self.history.entry(n) else { break };
            let prev = self.history.entry(n - 1).map_or(Zxid::ZERO, |p| p.zxid);
            let msg =
                ZabMsg::Propose { epoch: self.current_epoch, prev, zxid: e.zxid, command: e.command.clone() };
            self.send(out, peer, msg);
        }
    }

    fn ignore(&self, out: &mut ZabOutbox, kind: &'static str, from: NodeId, reason: IgnoreReason) {
        self.note(out, ZabEvent::Ignored { kind, from, reason });
    }

    fn handle(&mut self, out: &mut ZabOutbox, from: NodeId, msg: ZabMsg) {
        match msg {
            ZabMsg::Notification { round, vote, state } => {
                self.handle_notification(out, from, round, vote, state)
            }
            ZabMsg::CEpoch { accepted_epoch } => self.handle_cepoch(out, from, accepted_epoch),
            ZabMsg::NewEpoch { epoch } => self.handle_new_epoch(out, from, epoch),
            ZabMsg::AckEpoch { epoch, current_epoch, history, repeat } => {
                self.handle_ack_epoch(out, from, epoch, current_epoch, history, repeat)
            }
            ZabMsg::NewLeader { epoch, history } => self.handle_new_leader(out, from, epoch, history),
            ZabMsg::AckLd { epoch, zxid } => self.handle_ack_ld(out, from, epoch, zxid),
            ZabMsg::CommitLd { epoch, zxid } => self.handle_commit_ld(out, from, epoch, zxid),
            ZabMsg::Propose { epoch, prev, zxid, command } => {
                self.handle_propose(out, from, epoch, prev, zxid, command)
            }
            ZabMsg::Ack { epoch, zxid } => self.handle_ack(out, from, epoch, zxid),
            ZabMsg::Commit { epoch, zxid } => self.handle_commit(out, from, epoch, zxid),
        }
    }
}

impl Node for ZabNode {
    type Msg = ZabMsg;
    type Timer = ZabTimer;
    type Command = Command;
    type Durable = ZabDurable;
    type Note = ZabNote;
    type Config = ZabConfig;

    /// Boots LOOKING from what is on disk; the first election timeout starts round 1 (a
    /// notification from a looking peer starts it sooner).
    fn boot(
        id: NodeId,
        cluster: Cluster,
        config: &ZabConfig,
        durable: ZabDurable,
        _now: Instant,
        out: &mut ZabOutbox,
    ) -> ZabNode {
        let mut node = ZabNode {
            id,
            cluster,
            config: config.clone(),
            accepted_epoch: durable.accepted_epoch,
            current_epoch: durable.current_epoch,
            history: durable.history,
            committed: 0,
            kv: KvStore::default(),
            round: 0,
            vote: Vote { epoch: 0, zxid: Zxid::ZERO, leader: id },
            role: Role::Looking(Looking::default()),
        };
        let last = node.history.last_zxid();
        node.note(out, ZabEvent::Booted { accepted_epoch: node.accepted_epoch, last });
        node.vote = node.own_vote();
        node.set_timeout(out);
        node
    }

    fn step(
        &mut self,
        _now: Instant,
        input: Input<ZabMsg, ZabTimer, Command>,
        out: &mut ZabOutbox,
    ) -> Result<(), ClientError> {
        let result = match input {
            Input::Deliver { from, msg } => {
                if from == self.id || !self.cluster.contains(from) {
                    Ok(())
                } else {
                    self.handle(out, from, msg);
                    Ok(())
                }
            }
            Input::Timer(ZabTimer::Election) => {
                self.handle_timeout(out);
                Ok(())
            }
            Input::Timer(ZabTimer::Heartbeat) => {
                self.handle_heartbeat(out);
                Ok(())
            }
            Input::Client(command) => self.propose(out, command),
        };
        out.persist_if_dirty(|| self.durable());
        result
    }

    fn id(&self) -> NodeId {
        self.id
    }

    fn durable(&self) -> ZabDurable {
        ZabDurable {
            accepted_epoch: self.accepted_epoch,
            current_epoch: self.current_epoch,
            history: self.history.clone(),
        }
    }

    fn durable_digest(&self) -> u64 {
        stable_hash(&(self.accepted_epoch, self.current_epoch, self.history.len(), self.history.last_chain()))
    }

    fn durable_digest_of(d: &ZabDurable) -> u64 {
        stable_hash(&(d.accepted_epoch, d.current_epoch, d.history.len(), d.history.last_chain()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{elect, leader, net, settle};
    use ballot_core::testkit::{self, set};
    use ballot_core::Effect;

    fn durable(epoch: Epoch, zxids: &[(Epoch, u64)]) -> ZabDurable {
        let mut history = History::new();
        for &(e, c) in zxids {
            history.push(Zxid::new(e, c), Command::Noop);
        }
        ZabDurable { accepted_epoch: epoch, current_epoch: epoch, history }
    }

    /// "FLE elects the server with the most recent history": votes are ordered by epoch, then
    /// zxid, then id, so S1 with the longer history beats S3. Reference: Medeiros §3.
    #[test]
    fn election_picks_the_most_recent_history_over_the_highest_id() {
        let mut net = net(3, ZabConfig::default());
        net.crash(NodeId(1));
        net.disks[0] = durable(1, &[(1, 1), (1, 2)]);
        net.restart(NodeId(1));
        net.fire(2, ZabTimer::Election);
        settle(&mut net);
        assert_eq!(leader(&net), Some(NodeId(1)));
        for n in net.nodes.iter().flatten() {
            assert_eq!((n.current_epoch(), n.history().len(), n.committed()), (2, 2, 2));
        }
    }

    /// Discovery: e′ is above the acceptedEpoch of every server of the quorum (the paper's
    /// "e′ = max{e | e ∈ CEPOCH} + 1"), so a follower that promised epoch 5 accepts 6.
    #[test]
    fn the_new_epoch_is_above_every_accepted_epoch_of_the_quorum() {
        let mut net = net(3, ZabConfig::default());
        net.crash(NodeId(1));
        net.disks[0] = ZabDurable { accepted_epoch: 5, ..ZabDurable::default() };
        net.restart(NodeId(1));
        elect(&mut net);
        let l = leader(&net).unwrap();
        assert_eq!(net.node(l.0).current_epoch(), 6);
        assert_eq!(net.disks[0].accepted_epoch, 6);
    }

    /// A follower refuses a NEWEPOCH below its acceptedEpoch and goes back to LOOKING; one equal
    /// to it (promised to this leader before) joins, but its ACKEPOCH does not count.
    #[test]
    fn a_stale_new_epoch_is_refused_and_an_equal_one_does_not_count() {
        let following =
            Role::Following(Following { leader: NodeId(1), phase: Phase::Discovery, fresh: false });
        let (mut node, _) = testkit::boot::<ZabNode>(2, 3, &ZabConfig::default(), durable(4, &[]));
        node.role = following.clone();
        let effects = testkit::deliver(&mut node, 1, ZabMsg::NewEpoch { epoch: 3 });
        assert!(!testkit::persists(&effects));
        assert_eq!((node.role_name(), node.accepted_epoch()), (RoleName::Looking, 4));

        node.role = following;
        let effects = testkit::deliver(&mut node, 1, ZabMsg::NewEpoch { epoch: 4 });
        assert!(!testkit::persists(&effects));
        assert_eq!(node.phase(), Phase::Sync);
        assert!(matches!(testkit::sends(&effects)[..], [(_, ZabMsg::AckEpoch { repeat: true, .. })]));
        let effects = testkit::deliver(&mut node, 1, ZabMsg::NewEpoch { epoch: 5 });
        assert!(effects.is_empty() || !testkit::persists(&effects), "in sync, a new epoch is not accepted");
    }

    /// Broadcast: a follower persists a proposal before it ACKs it, and a leader commits only
    /// with a quorum of ACKs. Reference: paper §IV, Phase 3.
    #[test]
    fn proposals_are_persisted_before_ack_and_committed_by_a_quorum() {
        let mut net = net(3, ZabConfig::default());
        elect(&mut net);
        let l = leader(&net).unwrap();
        net.client(l.0, set("x", "1")).unwrap();
        let before = net.node(l.0).committed();
        let (from, to, msg) =
            net.wire.iter().find(|(_, _, m)| matches!(m, ZabMsg::Propose { .. })).unwrap().clone();
        let mut follower = net.node(to.0).clone();
        let effects = testkit::deliver(&mut follower, from.0, msg);
        testkit::persist_before_send(&effects);
        assert!(matches!(testkit::sends(&effects)[0].1, ZabMsg::Ack { zxid, .. } if zxid == Zxid::new(1, 1)));
        assert_eq!(net.node(l.0).committed(), before, "no quorum yet");
        net.deliver_all();
        assert_eq!(net.node(l.0).kv().get("x"), Some("1"));
        assert!(net.violations.is_empty(), "{:?}", net.violations);
    }

    /// Clients are sent to the leader: a follower refuses and names it.
    #[test]
    fn a_follower_redirects_clients_to_its_leader() {
        let mut net = net(3, ZabConfig::default());
        elect(&mut net);
        let l = leader(&net).unwrap();
        let f = net.cluster.peers(l).next().unwrap();
        assert_eq!(net.client(f.0, set("x", "1")), Err(ClientError::NotLeader { hint: Some(l) }));
    }

    /// A leader that heard from no quorum since its last check steps down; heartbeats (COMMIT,
    /// answered by ACK) keep it leading.
    #[test]
    fn a_leader_without_a_quorum_steps_down() {
        let mut net = net(3, ZabConfig::default());
        elect(&mut net);
        let l = leader(&net).unwrap();
        net.fire(l.0, ZabTimer::Heartbeat);
        net.deliver_all();
        net.fire(l.0, ZabTimer::Election);
        assert_eq!(net.node(l.0).role_name(), RoleName::Leading);
        net.partition(&[&[l.0]]);
        net.fire(l.0, ZabTimer::Heartbeat);
        net.deliver_all();
        net.fire(l.0, ZabTimer::Election);
        assert_eq!(net.node(l.0).role_name(), RoleName::Looking);
    }

    /// Bug ack-before-persist: ACKLD leaves before the adopted history is persisted.
    #[test]
    fn ack_before_persist_sends_ackld_first() {
        let mut net = net(3, ZabConfig::default());
        net.fire(1, ZabTimer::Election);
        net.deliver_matching(|m| !matches!(m, ZabMsg::NewLeader { .. }));
        let (from, to, msg) = net
            .wire
            .iter()
            .find(|(_, _, m)| matches!(m, ZabMsg::NewLeader { .. }))
            .expect("NEWLEADER")
            .clone();
        let mut follower = net.node(to.0).clone();
        follower.config.bug = Some(ZabBug::AckBeforePersist);
        let effects = testkit::deliver(&mut follower, from.0, msg);
        let send = effects.iter().position(|e| matches!(e, Effect::Send { .. })).unwrap();
        let persist = effects.iter().position(|e| matches!(e, Effect::Persist(_))).unwrap();
        assert!(send < persist, "{effects:?}");
    }
}
