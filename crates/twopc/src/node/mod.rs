//! The two-phase-commit node: Gray & Lamport's `TwoPhase` spec as a sans-IO state machine.
//!
//! **Roles.** Node `S1` is the coordinator (the spec's *TM*, transaction manager); `S2..=Sn` are
//! the participants (the spec's *RMs*, resource managers). The playground offers 3 to 9 nodes,
//! so 2 to 8 participants; smaller clusters work too (one node: a coordinator that commits
//! alone). The role follows from the id and never changes, so it is fixed at boot:
//! [`Role::Coordinator`] holds TM-only state, [`Role::Participant`] RM-only state.
//!
//! **Layout.** The spec's variables and actions fall on two sides, and so does this module; each
//! side can be read against the spec on its own. Each action appears in the doc comment of the
//! method that implements it:
//!
//! | file | spec side: variables | `TwoPhase` action | here |
//! |---|---|---|---|
//! | `node/coordinator.rs` | TM: `tmState` ([`TmState`]), `tmPrepared` ([`Coordinator::yes_votes`]) | (the Prepare request, implicit in the spec) | `Coordinator::begin` |
//! | | | `TMRcvPrepared` | `Coordinator::handle_vote` |
//! | | | `TMCommit` | `Coordinator::maybe_commit` |
//! | | | `TMAbort` | `Coordinator::handle_vote` (a no vote), `Coordinator::handle_vote_timeout`, `Coordinator::boot` (presumed abort) |
//! | `node/participant.rs` | RM: `rmState[r]` ([`RmState`]) | `RMPrepare` | `Participant::handle_prepare` (yes vote) |
//! | | | `RMChooseToAbort` | `Participant::handle_prepare` (a configured no-voter, or one a client asked with `vote=no`: `Participant::handle_client`) |
//! | | | `RMRcvCommitMsg`, `RMRcvAbortMsg` | `Participant::handle_decision` |
//! | `node/mod.rs` (here) | `msgs`: the network, outside the node | — | [`TwoPcNode`]: boot by role, the [`Node`] door, the checks every message passes before a role sees it |
//!
//! The types both sides share live here: [`TwoPcTimer`], [`Vote`], [`TwoPcDurable`] (either
//! side's [`TmDurable`] or [`RmDurable`]), [`Role`].
//!
//! **Transactions, one at a time.** A client command sent to the coordinator starts a
//! transaction: "if it commits, every participant applies this command to its key/value
//! store" (`set x 5`: every participant writes x=5). Transactions are numbered 1, 2, 3…. The
//! coordinator runs one at a time: it starts the next only when every participant has
//! acknowledged the previous decision, so a participant is never asked to prepare while it is
//! still in doubt. Commands that arrive meanwhile wait in a short queue (volatile: lost if the
//! coordinator crashes, like a Raft leader's uncommitted entries); beyond
//! [`TwoPcConfig::max_queued`] they are refused.
//!
//! **Persistence** (checked by the simulator after every step: persist before send). The
//! coordinator persists the transaction's number and write before sending Prepare, and its
//! decision before sending it ([`TmDurable`]). A participant persists its vote and state before
//! voting, and the outcome (with its store) before acknowledging it ([`RmDurable`]). Each
//! transition marks the outbox dirty; each side's `send` persists first (the `Persist` carries
//! the side's durable state as it is then), and so does the end of a step or boot. A crash
//! restores exactly the last value persisted. With
//! [`TwoPcBug::VoteBeforePersist`](crate::TwoPcBug::VoteBeforePersist) a participant's yes vote
//! leaves while "prepared" is in memory only.
//!
//! **Recovery.** A coordinator that restarts with a decision on disk re-sends it; one that
//! restarts in the middle of a transaction without a decision aborts it. This *presumed abort*
//! is allowed by the spec: `TMAbort` is enabled whenever `tmState = "init"`, and no participant
//! can have committed because nobody was told to. A participant that restarts prepared is in
//! doubt: it must wait for the coordinator's word, asking it from time to time
//! ([`TwoPcMsg::StatusQuery`]); it never decides alone.
//!
//! **Lost decisions** are repaired by the coordinator, which re-sends its decision every
//! [`TwoPcConfig::resend_interval`] to participants that have not acknowledged it, and by
//! in-doubt participants' status queries.

mod coordinator;
mod participant;

pub use coordinator::{Coordinator, TmDurable, TmPhase, TmState};
pub use participant::{is_vote_no, Participant, RmDurable, RmState};

use crate::config::TwoPcConfig;
use crate::message::{Decision, TwoPcMsg, TxnId};
use crate::note::{Ignored, TwoPcEvent, TwoPcNote};
use crate::set::NodeSet;
use ballot_core::hash::stable_hash;
use ballot_core::node::OutboxOf;
use ballot_core::{ClientError, Cluster, Command, Input, Instant, Node, NodeId};
use coordinator::tm_digest;
use participant::rm_digest;

/// The coordinator of every cluster: `S1`.
pub const COORDINATOR: NodeId = NodeId(1);

/// The outbox a [`TwoPcNode`] writes into.
pub type TwoPcOutbox = OutboxOf<TwoPcNode>;

/// The participants of `cluster`: every node but [`COORDINATOR`].
pub fn participants(cluster: Cluster) -> NodeSet {
    NodeSet::of(cluster.peers(COORDINATOR))
}

/// The node's timers.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum TwoPcTimer {
    /// Coordinator: fires when the votes took too long; the transaction aborts (the spec's
    /// `TMAbort`) unless it is already decided. Armed as a range when Prepare goes out.
    Vote,
    /// Coordinator: time to re-send the decision to participants that have not acknowledged it.
    Resend,
    /// Participant: while prepared, time to ask the coordinator for the outcome.
    Status,
}

/// A participant's vote.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Vote {
    /// Prepared: ready to commit.
    Yes,
    /// Refused: aborted.
    No,
}

/// What a node keeps on stable storage: its role's durable state.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub enum TwoPcDurable {
    /// Nothing yet (first boot).
    #[default]
    Blank,
    /// The coordinator's.
    Coordinator(TmDurable),
    /// A participant's.
    Participant(RmDurable),
}

impl TwoPcDurable {
    /// The same digest as [`Node::durable_digest`] of a node holding this state.
    pub fn digest(&self) -> u64 {
        match self {
            TwoPcDurable::Blank => stable_hash(&0u8),
            TwoPcDurable::Coordinator(d) => tm_digest(d.txn, &d.command, d.decision),
            TwoPcDurable::Participant(d) => rm_digest(d.txn, d.state, d.vote, &d.command, &d.kv),
        }
    }
}

/// The role of a node, with the data only that role has. Fixed at boot by the node's id.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Role {
    /// `S1`, the transaction manager.
    Coordinator(Coordinator),
    /// `S2..=Sn`, the resource managers.
    Participant(Participant),
}

/// A role without its data, for views (`data-role` in the DOM).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum RoleName {
    /// See [`Role::Coordinator`].
    Coordinator,
    /// See [`Role::Participant`].
    Participant,
}

impl RoleName {
    /// `"coordinator"` or `"participant"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleName::Coordinator => "coordinator",
            RoleName::Participant => "participant",
        }
    }
}

/// What every handler needs to know about its node besides its role's state.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    id: NodeId,
    cluster: Cluster,
    config: &'a TwoPcConfig,
}

impl Ctx<'_> {
    fn note(&self, out: &mut TwoPcOutbox, txn: TxnId, event: impl FnOnce() -> TwoPcEvent) {
        out.note(|| TwoPcNote { node: self.id, txn, event: event() });
    }

    fn participants(&self) -> NodeSet {
        participants(self.cluster)
    }
}

/// One node of a two-phase-commit cluster: the coordinator `S1` or a participant.
///
/// Methods by kind: getters (`role_name`, `tm_state`, `rm_state`, `in_doubt`, `decision`…) for
/// views and the checker; the [`Node`] door (`boot`, `step`); inside, `handle_*` for each
/// input, `begin`/`decide`/`become_*` for the only state transitions, `bcast_*`/`send_*` for
/// outgoing messages, `maybe_*` for steps that may do nothing.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct TwoPcNode {
    id: NodeId,
    cluster: Cluster,
    config: TwoPcConfig,
    role: Role,
}

impl TwoPcNode {
    /// Persists the durable state if a transition changed it since the last persist (the outbox
    /// keeps the dirty flag): at the end of every step and boot.
    fn flush_persist(&self, out: &mut TwoPcOutbox) {
        match &self.role {
            Role::Coordinator(tm) => tm.flush_persist(out),
            Role::Participant(rm) => rm.flush_persist(out),
        }
    }
}

impl Node for TwoPcNode {
    type Msg = TwoPcMsg;
    type Timer = TwoPcTimer;
    type Command = Command;
    type Durable = TwoPcDurable;
    type Note = TwoPcNote;
    type Config = TwoPcConfig;

    /// `S1` boots as the coordinator, everyone else as a participant, from what it persisted
    /// (stored state of the other role, which no correct driver hands over, counts as blank).
    /// A coordinator recovers an interrupted transaction (re-sending its decision, or aborting
    /// it if it had none); a prepared participant arms its status timer.
    fn boot(
        id: NodeId,
        cluster: Cluster,
        config: &TwoPcConfig,
        durable: TwoPcDurable,
        _now: Instant,
        out: &mut TwoPcOutbox,
    ) -> TwoPcNode {
        let ctx = Ctx { id, cluster, config };
        let role = if id == COORDINATOR {
            let d = match durable {
                TwoPcDurable::Coordinator(d) => d,
                _ => TmDurable::default(),
            };
            Role::Coordinator(Coordinator::boot(&ctx, d, out))
        } else {
            let d = match durable {
                TwoPcDurable::Participant(d) => d,
                _ => RmDurable::default(),
            };
            Role::Participant(Participant::boot(&ctx, d, out))
        };
        let node = TwoPcNode { id, cluster, config: config.clone(), role };
        node.flush_persist(out);
        node
    }

    fn step(
        &mut self,
        _now: Instant,
        input: Input<TwoPcMsg, TwoPcTimer, Command>,
        out: &mut TwoPcOutbox,
    ) -> Result<(), ClientError> {
        let ctx = Ctx { id: self.id, cluster: self.cluster, config: &self.config };
        let result = match (input, &mut self.role) {
            (Input::Deliver { from, msg }, role) => {
                handle_message(&ctx, role, from, msg, out);
                Ok(())
            }
            (Input::Timer(timer), Role::Coordinator(tm)) => {
                match timer {
                    TwoPcTimer::Vote => tm.handle_vote_timeout(&ctx, out),
                    TwoPcTimer::Resend => tm.handle_resend(&ctx, out),
                    TwoPcTimer::Status => {} // Not a coordinator's timer.
                }
                Ok(())
            }
            (Input::Timer(timer), Role::Participant(rm)) => {
                if timer == TwoPcTimer::Status {
                    rm.handle_status_timer(&ctx, out);
                }
                Ok(())
            }
            (Input::Client(command), Role::Coordinator(tm)) => tm.handle_client(&ctx, command, out),
            (Input::Client(command), Role::Participant(rm)) => rm.handle_client(&ctx, &command, out),
        };
        self.flush_persist(out);
        result
    }

    fn id(&self) -> NodeId {
        self.id
    }

    fn durable(&self) -> TwoPcDurable {
        match &self.role {
            Role::Coordinator(tm) => TwoPcDurable::Coordinator(tm.durable()),
            Role::Participant(rm) => TwoPcDurable::Participant(rm.durable()),
        }
    }

    /// The stable hash of the durable fields, by reference (no copy); equal to
    /// [`TwoPcDurable::digest`] of [`Node::durable`].
    fn durable_digest(&self) -> u64 {
        match &self.role {
            Role::Coordinator(tm) => tm.durable_digest(),
            Role::Participant(rm) => rm.durable_digest(),
        }
    }

    fn durable_digest_of(durable: &TwoPcDurable) -> u64 {
        durable.digest()
    }
}

// ---------------------------------------------------------------------------------------------
// Getters, for views and the checker.
// ---------------------------------------------------------------------------------------------
impl TwoPcNode {
    /// The cluster this node belongs to.
    pub fn cluster(&self) -> Cluster {
        self.cluster
    }

    /// The parameters it runs with.
    pub fn config(&self) -> &TwoPcConfig {
        &self.config
    }

    /// The role, with its data.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// The role's name.
    pub fn role_name(&self) -> RoleName {
        match self.role {
            Role::Coordinator(_) => RoleName::Coordinator,
            Role::Participant(_) => RoleName::Participant,
        }
    }

    /// Whether this node is the coordinator.
    pub fn is_coordinator(&self) -> bool {
        matches!(self.role, Role::Coordinator(_))
    }

    /// The coordinator's state, if this node is the coordinator.
    pub fn coordinator(&self) -> Option<&Coordinator> {
        match &self.role {
            Role::Coordinator(tm) => Some(tm),
            Role::Participant(_) => None,
        }
    }

    /// The participant's state, if this node is a participant.
    pub fn participant(&self) -> Option<&Participant> {
        match &self.role {
            Role::Participant(rm) => Some(rm),
            Role::Coordinator(_) => None,
        }
    }

    /// The transaction this node is on: the coordinator's current (or last) one, a
    /// participant's last heard of. 0 before the first.
    pub fn txn(&self) -> TxnId {
        match &self.role {
            Role::Coordinator(tm) => tm.txn(),
            Role::Participant(rm) => rm.txn(),
        }
    }

    /// Coordinator only: `tmState` for the current transaction.
    pub fn tm_state(&self) -> Option<TmState> {
        self.coordinator().map(Coordinator::tm_state)
    }

    /// Participant only: `rmState` in its current transaction.
    pub fn rm_state(&self) -> Option<RmState> {
        self.participant().map(Participant::state)
    }

    /// Whether this is a participant in doubt: prepared (it voted yes) and waiting for the
    /// decision, which it may not take alone.
    pub fn in_doubt(&self) -> bool {
        self.participant().is_some_and(Participant::in_doubt)
    }

    /// The outcome of the current transaction as this node knows it: the coordinator's
    /// decision, or a participant's final state.
    pub fn decision(&self) -> Option<Decision> {
        match &self.role {
            Role::Coordinator(tm) => tm.decision(),
            Role::Participant(rm) => match rm.state() {
                RmState::Committed => Some(Decision::Commit),
                RmState::Aborted => Some(Decision::Abort),
                RmState::Working | RmState::Prepared => None,
            },
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Messages: checks every node applies, then the role's handler.
// ---------------------------------------------------------------------------------------------

/// Drops what no correct node sends before any rule sees it — unknown senders, transaction 0,
/// messages for the other role (Prepare/Commit/Abort from anyone but the coordinator, votes,
/// acknowledgements and queries to anyone but the coordinator) — then dispatches.
fn handle_message(ctx: &Ctx<'_>, role: &mut Role, from: NodeId, msg: TwoPcMsg, out: &mut TwoPcOutbox) {
    let kind = msg.kind();
    let txn = match role {
        Role::Coordinator(tm) => tm.txn(),
        Role::Participant(rm) => rm.txn(),
    };
    let for_participant = matches!(role, Role::Participant(_));
    let why = if from == ctx.id || !ctx.cluster.contains(from) {
        Some(Ignored::UnknownSender)
    } else if msg.txn() == 0 {
        Some(Ignored::NoTransaction)
    } else if kind.from_coordinator() != for_participant || (for_participant && from != COORDINATOR) {
        Some(Ignored::WrongRole)
    } else {
        None
    };
    if let Some(why) = why {
        ctx.note(out, txn, || TwoPcEvent::Ignored { from, kind, why });
        return;
    }
    match (role, msg) {
        (Role::Participant(rm), TwoPcMsg::Prepare { txn, command }) => {
            rm.handle_prepare(ctx, txn, command, out)
        }
        (Role::Participant(rm), TwoPcMsg::Commit { txn }) => {
            rm.handle_decision(ctx, txn, Decision::Commit, out)
        }
        (Role::Participant(rm), TwoPcMsg::Abort { txn }) => {
            rm.handle_decision(ctx, txn, Decision::Abort, out)
        }
        (Role::Coordinator(tm), TwoPcMsg::Prepared { txn }) => tm.handle_vote(ctx, from, txn, Vote::Yes, out),
        (Role::Coordinator(tm), TwoPcMsg::VoteNo { txn }) => tm.handle_vote(ctx, from, txn, Vote::No, out),
        (Role::Coordinator(tm), TwoPcMsg::Ack { txn, decision }) => {
            tm.handle_ack(ctx, from, txn, decision, out)
        }
        (Role::Coordinator(tm), TwoPcMsg::StatusQuery { txn }) => tm.handle_status_query(ctx, from, txn, out),
        // Filtered out above by `from_coordinator`.
        (Role::Participant(_), _) | (Role::Coordinator(_), _) => {}
    }
}

#[cfg(test)]
pub(super) mod tests {
    //! Tests of what both sides share, and the helpers the sides' tests use.
    use super::*;
    use crate::testing::{boot, events};
    use alloc::vec::Vec;
    use ballot_core::testkit::{deliver, fire, sends, set, step};

    pub(super) fn config() -> TwoPcConfig {
        TwoPcConfig::default()
    }

    pub(super) fn prepare(txn: TxnId) -> TwoPcMsg {
        TwoPcMsg::Prepare { txn, command: set("x", "5") }
    }

    /// A coordinator of `size` nodes that has started transaction 1 (`x=5`).
    pub(super) fn coordinator_collecting(size: u8, cfg: &TwoPcConfig) -> TwoPcNode {
        let (mut tm, _) = boot(1, size, cfg, TwoPcDurable::Blank);
        step(&mut tm, Input::Client(set("x", "5"))).0.unwrap();
        tm
    }

    #[test]
    fn roles_follow_the_id() {
        let (tm, fx) = boot(1, 4, &config(), TwoPcDurable::Blank);
        assert_eq!(tm.role_name(), RoleName::Coordinator);
        assert_eq!((tm.tm_state(), tm.rm_state(), tm.txn()), (Some(TmState::Init), None, 0));
        assert!(events(&fx).contains(&TwoPcEvent::CoordinatorStarted));
        let (rm, _) = boot(3, 4, &config(), TwoPcDurable::Blank);
        assert_eq!(rm.role_name(), RoleName::Participant);
        assert_eq!((rm.tm_state(), rm.rm_state()), (None, Some(RmState::Working)));
        assert_eq!(
            participants(Cluster::new(4)).iter().collect::<Vec<_>>(),
            [NodeId(2), NodeId(3), NodeId(4)]
        );
        assert_eq!(
            (RoleName::Coordinator.as_str(), RoleName::Participant.as_str()),
            ("coordinator", "participant")
        );
        // Stored state of the other role counts as blank.
        let (rm, _) =
            boot(2, 3, &config(), TwoPcDurable::Coordinator(TmDurable { txn: 5, ..Default::default() }));
        assert_eq!(rm.txn(), 0);
    }

    #[test]
    fn durable_digest_matches_and_tracks_every_durable_field() {
        let (mut rm, _) = boot(2, 3, &config(), TwoPcDurable::Blank);
        let d0 = rm.durable_digest();
        assert_eq!(d0, rm.durable().digest());
        deliver(&mut rm, 1, prepare(1));
        let d1 = rm.durable_digest();
        assert_ne!(d0, d1);
        fire(&mut rm, TwoPcTimer::Status);
        assert_eq!(rm.durable_digest(), d1, "a status query is volatile");
        deliver(&mut rm, 1, TwoPcMsg::Commit { txn: 1 });
        assert_ne!(rm.durable_digest(), d1);
        assert_eq!(rm.durable_digest(), rm.durable().digest());
        let tm = coordinator_collecting(3, &config());
        assert_eq!(tm.durable_digest(), tm.durable().digest());
        assert_ne!(TwoPcDurable::Blank.digest(), TwoPcDurable::Coordinator(TmDurable::default()).digest());
    }

    /// Garbled messages: unknown senders, transaction 0, wrong roles, absurd numbers. None
    /// panics, none changes durable state or gets an answer.
    #[test]
    fn garbled_messages_are_ignored() {
        let all = |txn| {
            [
                TwoPcMsg::Prepare { txn, command: Command::Noop },
                TwoPcMsg::Prepared { txn },
                TwoPcMsg::VoteNo { txn },
                TwoPcMsg::Commit { txn },
                TwoPcMsg::Abort { txn },
                TwoPcMsg::Ack { txn, decision: Decision::Commit },
                TwoPcMsg::StatusQuery { txn },
            ]
        };
        let mut tm = coordinator_collecting(3, &config());
        let mut rm = boot(2, 3, &config(), TwoPcDurable::Blank).0;
        deliver(&mut rm, 1, prepare(1));
        for node in [&mut tm, &mut rm] {
            let before = node.durable();
            let me = node.id().0;
            for from in [0, me, 9, 200] {
                for msg in all(1) {
                    assert!(sends(&deliver(node, from, msg)).is_empty());
                }
            }
            for msg in all(0) {
                assert!(sends(&deliver(node, 3, msg.clone())).is_empty());
                assert!(sends(&deliver(node, 1, msg)).is_empty());
            }
            assert_eq!(node.durable(), before, "{}", node.id());
        }
        // Participant-only messages to the coordinator and vice versa; messages "from S1" sent
        // by another participant.
        for msg in [prepare(1), TwoPcMsg::Commit { txn: 1 }, TwoPcMsg::Abort { txn: 1 }] {
            assert!(sends(&deliver(&mut tm, 2, msg.clone())).is_empty());
            assert!(sends(&deliver(&mut rm, 3, msg)).is_empty());
        }
        assert!(sends(&deliver(&mut rm, 1, TwoPcMsg::Ack { txn: 1, decision: Decision::Abort })).is_empty());
        assert_eq!(tm.tm_state(), Some(TmState::Init));
        assert!(rm.in_doubt());
        // Absurd transaction numbers.
        for txn in [u64::MAX, 1 << 40] {
            for msg in all(txn) {
                deliver(&mut tm, 2, msg.clone());
                deliver(&mut rm, 1, msg);
            }
        }
        assert_eq!(tm.txn(), 1);
        assert_eq!(rm.txn(), 1, "still in doubt about transaction 1");
        let mut fresh = boot(3, 3, &config(), TwoPcDurable::Blank).0;
        deliver(&mut fresh, 1, prepare(u64::MAX));
        deliver(&mut fresh, 1, TwoPcMsg::Commit { txn: u64::MAX });
        assert_eq!(fresh.rm_state(), Some(RmState::Committed));
        // Timers of the other role are ignored.
        assert!(fire(&mut tm, TwoPcTimer::Status).is_empty());
        assert!(fire(&mut rm, TwoPcTimer::Vote).is_empty());
        assert!(fire(&mut rm, TwoPcTimer::Resend).is_empty());
    }

    #[test]
    fn state_names_are_the_spec_words() {
        let names: Vec<&str> = [RmState::Working, RmState::Prepared, RmState::Committed, RmState::Aborted]
            .map(RmState::as_str)
            .to_vec();
        assert_eq!(names, ["working", "prepared", "committed", "aborted"]);
        let names: Vec<&str> =
            [TmState::Init, TmState::Committed, TmState::Aborted].map(TmState::as_str).to_vec();
        assert_eq!(names, ["init", "committed", "aborted"]);
        assert!(RmState::Aborted.is_final() && !RmState::Prepared.is_final());
    }
}
