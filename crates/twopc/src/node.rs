//! The two-phase-commit node: Gray & Lamport's `TwoPhase` spec as a sans-IO state machine.
//!
//! **Roles.** Node `S1` is the coordinator (the spec's *TM*, transaction manager); `S2..=Sn` are
//! the participants (the spec's *RMs*, resource managers). The playground offers 3 to 9 nodes,
//! so 2 to 8 participants; smaller clusters work too (one node: a coordinator that commits
//! alone). The role follows from the id and never changes, so it is fixed at boot:
//! [`Role::Coordinator`] holds TM-only state, [`Role::Participant`] RM-only state.
//!
//! Each action of the spec appears in the doc comment of the method that implements it:
//!
//! | `TwoPhase` action | here |
//! |---|---|
//! | (the TM's Prepare request, implicit in the spec) | `Coordinator::begin` |
//! | `RMPrepare` | `Participant::handle_prepare` (yes vote) |
//! | `RMChooseToAbort` | `Participant::handle_prepare` (a configured no-voter) |
//! | `TMRcvPrepared` | `Coordinator::handle_vote` |
//! | `TMCommit` | `Coordinator::maybe_commit` |
//! | `TMAbort` | `Coordinator::handle_vote` (a no vote), `Coordinator::handle_vote_timeout` |
//! | `RMRcvCommitMsg`, `RMRcvAbortMsg` | `Participant::handle_decision` |
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
//! voting, and the outcome (with its store) before acknowledging it ([`RmDurable`]).
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

use crate::bug::TwoPcBug;
use crate::config::TwoPcConfig;
use crate::message::{Decision, MsgKind, TwoPcMsg, TxnId};
use crate::note::{DecisionReason, Ignored, TwoPcEvent, TwoPcNote};
use crate::set::NodeSet;
use alloc::vec::Vec;
use ballot_core::hash::stable_hash;
use ballot_core::node::OutboxOf;
use ballot_core::{ClientError, Cluster, Command, Input, Instant, KvStore, Node, NodeId};

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

/// A participant's state in its current transaction: the spec's `rmState`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub enum RmState {
    /// Not (yet) prepared. A participant is working until it votes; it votes as soon as a
    /// Prepare arrives, so after its first transaction it is never seen working again.
    #[default]
    Working,
    /// Voted yes; waiting for the decision, and unable to decide alone (in doubt).
    Prepared,
    /// Committed: applied the transaction's write. Final.
    Committed,
    /// Aborted: voted no or was told to abort. Final.
    Aborted,
}

impl RmState {
    /// `"working"`, `"prepared"`, `"committed"` or `"aborted"` (the spec's words, used in the
    /// DOM and in scenarios).
    pub fn as_str(self) -> &'static str {
        match self {
            RmState::Working => "working",
            RmState::Prepared => "prepared",
            RmState::Committed => "committed",
            RmState::Aborted => "aborted",
        }
    }

    /// Whether the state is final (committed or aborted).
    pub fn is_final(self) -> bool {
        matches!(self, RmState::Committed | RmState::Aborted)
    }
}

/// The coordinator's state in its current transaction: the spec's `tmState`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum TmState {
    /// No decision yet (or no transaction yet).
    Init,
    /// Decided commit.
    Committed,
    /// Decided abort.
    Aborted,
}

impl TmState {
    /// `"init"`, `"committed"` or `"aborted"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TmState::Init => "init",
            TmState::Committed => "committed",
            TmState::Aborted => "aborted",
        }
    }

    fn of(decision: Option<Decision>) -> TmState {
        match decision {
            None => TmState::Init,
            Some(Decision::Commit) => TmState::Committed,
            Some(Decision::Abort) => TmState::Aborted,
        }
    }
}

/// A participant's vote.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Vote {
    /// Prepared: ready to commit.
    Yes,
    /// Refused: aborted.
    No,
}

/// What the coordinator keeps on stable storage.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct TmDurable {
    /// The last transaction started (0: none). Persisted before its Prepare goes out, so a
    /// number is never reused after a crash.
    pub txn: TxnId,
    /// Its write.
    pub command: Option<Command>,
    /// Its decision, persisted before it is sent to anyone.
    pub decision: Option<Decision>,
}

/// What a participant keeps on stable storage.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct RmDurable {
    /// The last transaction it heard of (0: none).
    pub txn: TxnId,
    /// Its state in that transaction.
    pub state: RmState,
    /// Its vote in that transaction (`None` if it learnt of the transaction from an Abort,
    /// before any Prepare arrived).
    pub vote: Option<Vote>,
    /// That transaction's write, as received with Prepare.
    pub command: Option<Command>,
    /// The store: the writes of every transaction it committed.
    pub kv: KvStore,
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

/// Digest of a coordinator's durable fields (equal to [`TwoPcDurable::digest`] of them).
fn tm_digest(txn: TxnId, command: &Option<Command>, decision: Option<Decision>) -> u64 {
    stable_hash(&(1u8, txn, command, decision))
}

/// Digest of a participant's durable fields (equal to [`TwoPcDurable::digest`] of them).
fn rm_digest(txn: TxnId, state: RmState, vote: Option<Vote>, command: &Option<Command>, kv: &KvStore) -> u64 {
    stable_hash(&(2u8, txn, state, vote, command, kv))
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

/// Where the coordinator is in its current transaction (volatile).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum TmPhase {
    /// No transaction running: none yet, or the last one is finished (every participant
    /// acknowledged its decision). A client command starts the next one at once.
    Idle,
    /// Prepare sent; collecting votes (the spec's `tmState = "init"`).
    Collecting,
    /// Decided; re-sending the decision until every participant has acknowledged it.
    Announcing {
        /// Participants that acknowledged the decision.
        acked: NodeSet,
    },
}

/// The coordinator's state (the spec's TM).
///
/// Invariants: `phase` is `Collecting` exactly when `txn > 0` and `decision` is `None`;
/// `Announcing` implies `decision` is `Some`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Coordinator {
    /// Durable: the current (or last) transaction, 0 if none; only grows.
    txn: TxnId,
    /// Durable: its write.
    command: Option<Command>,
    /// Durable: its decision; set once per transaction, never changed.
    decision: Option<Decision>,
    /// Volatile: collecting votes, announcing the decision, or idle.
    phase: TmPhase,
    /// Volatile: participants that voted yes in `txn` (the spec's `tmPrepared`).
    yes: NodeSet,
    /// Volatile: participants that voted no in `txn`.
    no: NodeSet,
    /// Volatile: client commands waiting for the current transaction to finish, oldest first;
    /// at most `max_queued`.
    queue: Vec<Command>,
}

/// A participant's state (the spec's RM).
///
/// Invariants: `vote == Some(Yes)` whenever `state` is `Prepared` or `Committed`; a final
/// state never changes within a transaction; `txn` moves on only from a final state. Between
/// steps `state` is `Working` only while `txn == 0`: a participant enters a transaction and
/// votes (or aborts) in the same step.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Participant {
    /// Durable: the last transaction heard of; only grows, and only once the previous one is
    /// final.
    txn: TxnId,
    /// Durable: the state in `txn`.
    state: RmState,
    /// Durable: the vote cast in `txn`.
    vote: Option<Vote>,
    /// Durable: `txn`'s write.
    command: Option<Command>,
    /// Durable: the store.
    kv: KvStore,
    /// Volatile: status queries sent while in doubt about `txn`.
    queries: u32,
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
        TwoPcNode { id, cluster, config: config.clone(), role }
    }

    fn step(
        &mut self,
        _now: Instant,
        input: Input<TwoPcMsg, TwoPcTimer, Command>,
        out: &mut TwoPcOutbox,
    ) -> Result<(), ClientError> {
        let ctx = Ctx { id: self.id, cluster: self.cluster, config: &self.config };
        match (input, &mut self.role) {
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
            (Input::Client(_), Role::Participant(rm)) => {
                ctx.note(out, rm.txn, || TwoPcEvent::NotCoordinator { coordinator: COORDINATOR });
                Err(ClientError::NotLeader { hint: Some(COORDINATOR) })
            }
        }
    }

    fn id(&self) -> NodeId {
        self.id
    }

    fn durable(&self) -> TwoPcDurable {
        match &self.role {
            Role::Coordinator(tm) => TwoPcDurable::Coordinator(TmDurable {
                txn: tm.txn,
                command: tm.command.clone(),
                decision: tm.decision,
            }),
            Role::Participant(rm) => TwoPcDurable::Participant(RmDurable {
                txn: rm.txn,
                state: rm.state,
                vote: rm.vote,
                command: rm.command.clone(),
                kv: rm.kv.clone(),
            }),
        }
    }

    /// The stable hash of the durable fields, by reference (no copy); equal to
    /// [`TwoPcDurable::digest`] of [`Node::durable`].
    fn durable_digest(&self) -> u64 {
        match &self.role {
            Role::Coordinator(tm) => tm_digest(tm.txn, &tm.command, tm.decision),
            Role::Participant(rm) => rm_digest(rm.txn, rm.state, rm.vote, &rm.command, &rm.kv),
        }
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
            Role::Coordinator(tm) => tm.txn,
            Role::Participant(rm) => rm.txn,
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
            Role::Coordinator(tm) => tm.decision,
            Role::Participant(rm) => match rm.state {
                RmState::Committed => Some(Decision::Commit),
                RmState::Aborted => Some(Decision::Abort),
                RmState::Working | RmState::Prepared => None,
            },
        }
    }
}

impl Coordinator {
    /// The current (or last) transaction, 0 before the first.
    pub fn txn(&self) -> TxnId {
        self.txn
    }

    /// The current transaction's write.
    pub fn command(&self) -> Option<&Command> {
        self.command.as_ref()
    }

    /// The current transaction's decision, once taken.
    pub fn decision(&self) -> Option<Decision> {
        self.decision
    }

    /// `tmState`: init until the decision, then committed or aborted.
    pub fn tm_state(&self) -> TmState {
        TmState::of(self.decision)
    }

    /// Collecting votes, announcing the decision, or idle.
    pub fn phase(&self) -> &TmPhase {
        &self.phase
    }

    /// Participants whose yes vote reached the coordinator in the current transaction (the
    /// spec's `tmPrepared`). Kept after the decision; forgotten in a crash.
    pub fn yes_votes(&self) -> NodeSet {
        self.yes
    }

    /// Participants whose no vote reached the coordinator in the current transaction (at most
    /// one: the first no decides abort). Forgotten in a crash.
    pub fn no_votes(&self) -> NodeSet {
        self.no
    }

    /// Participants that acknowledged the current decision (while it is being announced).
    pub fn acks(&self) -> NodeSet {
        match self.phase {
            TmPhase::Announcing { acked } => acked,
            _ => NodeSet::EMPTY,
        }
    }

    /// Whether the current transaction is finished (or none was started): the next client
    /// command starts a transaction at once.
    pub fn is_idle(&self) -> bool {
        self.phase == TmPhase::Idle
    }

    /// Commands waiting for the current transaction to finish, oldest first.
    pub fn queued(&self) -> &[Command] {
        &self.queue
    }
}

impl Participant {
    /// The last transaction heard of, 0 before the first.
    pub fn txn(&self) -> TxnId {
        self.txn
    }

    /// `rmState` in that transaction.
    pub fn state(&self) -> RmState {
        self.state
    }

    /// The vote cast in that transaction.
    pub fn vote(&self) -> Option<Vote> {
        self.vote
    }

    /// That transaction's write.
    pub fn command(&self) -> Option<&Command> {
        self.command.as_ref()
    }

    /// The store: every committed transaction's write applied.
    pub fn kv(&self) -> &KvStore {
        &self.kv
    }

    /// Prepared and waiting for the coordinator's decision.
    pub fn in_doubt(&self) -> bool {
        self.state == RmState::Prepared
    }

    /// Status queries sent while in doubt about the current transaction (since the last boot).
    pub fn status_queries(&self) -> u32 {
        self.queries
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
        Role::Coordinator(tm) => tm.txn,
        Role::Participant(rm) => rm.txn,
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

// ---------------------------------------------------------------------------------------------
// The coordinator (TM).
// ---------------------------------------------------------------------------------------------
impl Coordinator {
    /// Starts from `d`. With a transaction on disk: re-send its decision, or decide abort if
    /// there is none (presumed abort: `TMAbort` is enabled in `tmState = "init"`, and no
    /// participant can have committed).
    fn boot(ctx: &Ctx<'_>, d: TmDurable, out: &mut TwoPcOutbox) -> Coordinator {
        let TmDurable { txn, command, decision } = d;
        let mut tm = Coordinator {
            txn,
            command,
            decision,
            phase: TmPhase::Idle,
            yes: NodeSet::EMPTY,
            no: NodeSet::EMPTY,
            queue: Vec::new(),
        };
        match (txn, decision) {
            (0, _) => ctx.note(out, 0, || TwoPcEvent::CoordinatorStarted),
            (_, Some(decision)) => {
                ctx.note(out, txn, || TwoPcEvent::RecoveredDecision { decision });
                tm.phase = TmPhase::Announcing { acked: NodeSet::EMPTY };
                tm.bcast_decision(ctx.participants(), out);
                tm.arm_resend_timer(ctx, out);
                tm.maybe_finish(ctx, out);
            }
            (_, None) => {
                tm.phase = TmPhase::Collecting;
                tm.decide(ctx, Decision::Abort, DecisionReason::Recovery, out);
            }
        }
        tm
    }

    /// A client command: starts a transaction when idle, waits in the queue when busy, and is
    /// refused when the queue is full.
    fn handle_client(
        &mut self,
        ctx: &Ctx<'_>,
        command: Command,
        out: &mut TwoPcOutbox,
    ) -> Result<(), ClientError> {
        if self.is_idle() {
            self.begin(ctx, command, out);
            return Ok(());
        }
        if self.queue.len() < usize::from(ctx.config.max_queued) {
            let ahead = self.queue.len() as u8;
            ctx.note(out, self.txn, || TwoPcEvent::Queued { command: command.clone(), ahead });
            self.queue.push(command);
            return Ok(());
        }
        ctx.note(out, self.txn, || TwoPcEvent::Busy { command });
        Err(ClientError::NotLeader { hint: None })
    }

    /// Starts the next transaction. Legal only when idle.
    ///
    /// Persists the transaction's number and write, then sends Prepare to every participant
    /// and arms the vote timer. (The spec has no Prepare message: its RMs prepare
    /// spontaneously. Here the request tells them the transaction exists and what it writes.)
    fn begin(&mut self, ctx: &Ctx<'_>, command: Command, out: &mut TwoPcOutbox) {
        assert!(self.is_idle(), "one transaction at a time");
        self.txn = self.txn.saturating_add(1);
        self.command = Some(command.clone());
        self.decision = None;
        self.phase = TmPhase::Collecting;
        self.yes = NodeSet::EMPTY;
        self.no = NodeSet::EMPTY;
        out.persist();
        let everyone = ctx.participants();
        ctx.note(out, self.txn, || TwoPcEvent::Began {
            command: command.clone(),
            participants: everyone.count(),
        });
        for rm in everyone.iter() {
            out.send(rm, TwoPcMsg::Prepare { txn: self.txn, command: command.clone() });
        }
        out.set_timer(TwoPcTimer::Vote, ctx.config.vote_timeout_min, ctx.config.vote_timeout_max);
        // With no participant at all, everyone (nobody) has voted yes.
        self.maybe_commit(ctx, out);
    }

    /// A vote.
    ///
    /// `TMRcvPrepared(r)`: `tmState = "init" ∧ [type ↦ "Prepared", rm ↦ r] ∈ msgs ∧
    /// tmPrepared' = tmPrepared ∪ {r}`, then `maybe_commit`. A no vote aborts at
    /// once (`TMAbort`, enabled in `tmState = "init"`). Votes for another transaction, or after
    /// the decision, are ignored.
    fn handle_vote(&mut self, ctx: &Ctx<'_>, from: NodeId, txn: TxnId, vote: Vote, out: &mut TwoPcOutbox) {
        let kind = if vote == Vote::Yes { MsgKind::Prepared } else { MsgKind::VoteNo };
        let why = if txn < self.txn {
            Some(Ignored::Stale)
        } else if txn > self.txn {
            Some(Ignored::Future)
        } else if self.phase != TmPhase::Collecting {
            Some(Ignored::AlreadyDecided)
        } else {
            None
        };
        if let Some(why) = why {
            ctx.note(out, self.txn, || TwoPcEvent::Ignored { from, kind, why });
            return;
        }
        let needed = ctx.participants().count();
        match vote {
            Vote::Yes => {
                self.yes.insert(from);
                let yes_votes = self.yes.count();
                ctx.note(out, self.txn, || TwoPcEvent::VoteReceived { from, yes: true, yes_votes, needed });
                self.maybe_commit(ctx, out);
            }
            Vote::No => {
                self.no.insert(from);
                let yes_votes = self.yes.count();
                ctx.note(out, self.txn, || TwoPcEvent::VoteReceived { from, yes: false, yes_votes, needed });
                self.decide(ctx, Decision::Abort, DecisionReason::VotedNo { from }, out);
            }
        }
    }

    /// `TMCommit`: `tmState = "init" ∧ tmPrepared = RM ∧ tmState' = "committed"`. Says whether
    /// it committed.
    fn maybe_commit(&mut self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) -> bool {
        match self.phase {
            TmPhase::Collecting if self.yes.is_superset(ctx.participants()) => {
                self.decide(ctx, Decision::Commit, DecisionReason::AllYes, out);
                true
            }
            _ => false,
        }
    }

    /// The vote timer fired.
    ///
    /// `TMAbort`: `tmState = "init" ∧ tmState' = "aborted"` — the spec lets the TM abort at any
    /// time before deciding; it does so when the votes take too long. With
    /// [`TwoPcBug::CommitOnTimeout`] it commits instead, without `tmPrepared = RM`. A firing
    /// after the decision is stale and ignored.
    fn handle_vote_timeout(&mut self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) {
        if self.phase != TmPhase::Collecting {
            return;
        }
        let reason =
            DecisionReason::VoteTimeout { yes: self.yes.count(), needed: ctx.participants().count() };
        let decision = if ctx.config.bug == Some(TwoPcBug::CommitOnTimeout) {
            Decision::Commit
        } else {
            Decision::Abort
        };
        self.decide(ctx, decision, reason, out);
    }

    /// Takes the decision. Legal only while collecting votes (once per transaction).
    ///
    /// The decision is persisted before it is sent to anyone: a coordinator that crashes right
    /// after sending Commit must not come back and abort.
    fn decide(&mut self, ctx: &Ctx<'_>, decision: Decision, reason: DecisionReason, out: &mut TwoPcOutbox) {
        assert!(
            self.phase == TmPhase::Collecting && self.decision.is_none(),
            "the coordinator decides once per transaction"
        );
        self.decision = Some(decision);
        self.phase = TmPhase::Announcing { acked: NodeSet::EMPTY };
        out.persist();
        out.cancel_timer(TwoPcTimer::Vote);
        ctx.note(out, self.txn, || TwoPcEvent::Decided { decision, reason });
        self.bcast_decision(ctx.participants(), out);
        self.arm_resend_timer(ctx, out);
        self.maybe_finish(ctx, out);
    }

    /// A participant acknowledged the decision. Acknowledgements of another transaction or of
    /// a different decision are ignored.
    fn handle_ack(
        &mut self,
        ctx: &Ctx<'_>,
        from: NodeId,
        txn: TxnId,
        decision: Decision,
        out: &mut TwoPcOutbox,
    ) {
        let why = if txn < self.txn {
            Some(Ignored::Stale)
        } else if txn > self.txn || self.decision.is_none() {
            Some(Ignored::Future)
        } else {
            self.decision.filter(|&d| d != decision).map(|recorded| Ignored::Conflicting { recorded })
        };
        if let Some(why) = why {
            ctx.note(out, self.txn, || TwoPcEvent::Ignored { from, kind: MsgKind::Ack, why });
            return;
        }
        let needed = ctx.participants().count();
        if let TmPhase::Announcing { acked } = &mut self.phase {
            if acked.insert(from) {
                let acks = acked.count();
                ctx.note(out, self.txn, || TwoPcEvent::AckReceived { from, acks, needed });
            }
        }
        self.maybe_finish(ctx, out);
    }

    /// Finishes the transaction once every participant has acknowledged the decision, and
    /// starts the next queued command, if any. Says whether it finished.
    fn maybe_finish(&mut self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) -> bool {
        let TmPhase::Announcing { acked } = self.phase else {
            return false;
        };
        let Some(decision) = self.decision else {
            return false;
        };
        if !acked.is_superset(ctx.participants()) {
            return false;
        }
        self.phase = TmPhase::Idle;
        out.cancel_timer(TwoPcTimer::Resend);
        ctx.note(out, self.txn, || TwoPcEvent::Finished { decision });
        if !self.queue.is_empty() {
            let next = self.queue.remove(0);
            self.begin(ctx, next, out);
        }
        true
    }

    /// The resend timer fired: re-send the decision to participants that have not
    /// acknowledged it (a lost Commit or Abort, or a participant that was down).
    fn handle_resend(&mut self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) {
        let (TmPhase::Announcing { acked }, Some(decision)) = (self.phase.clone(), self.decision) else {
            return;
        };
        let missing = ctx.participants().difference(acked);
        ctx.note(out, self.txn, || TwoPcEvent::Resent { decision, to: missing.count() });
        self.bcast_decision(missing, out);
        self.arm_resend_timer(ctx, out);
    }

    /// An in-doubt participant asks for the outcome: answered once decided, silently ignored
    /// (with a note) before.
    fn handle_status_query(&mut self, ctx: &Ctx<'_>, from: NodeId, txn: TxnId, out: &mut TwoPcOutbox) {
        let why = if txn < self.txn {
            Some(Ignored::Stale)
        } else if txn > self.txn {
            Some(Ignored::Future)
        } else {
            None
        };
        if let Some(why) = why {
            ctx.note(out, self.txn, || TwoPcEvent::Ignored { from, kind: MsgKind::StatusQuery, why });
            return;
        }
        match self.decision {
            Some(decision) => {
                ctx.note(out, self.txn, || TwoPcEvent::StatusAnswered { to: from, decision });
                out.send(from, TwoPcMsg::decision(self.txn, decision));
            }
            None => ctx.note(out, self.txn, || TwoPcEvent::StatusUnanswered { from }),
        }
    }

    /// Sends the decision to `to`. Does nothing before the decision.
    fn bcast_decision(&self, to: NodeSet, out: &mut TwoPcOutbox) {
        let Some(decision) = self.decision else {
            return;
        };
        for rm in to.iter() {
            out.send(rm, TwoPcMsg::decision(self.txn, decision));
        }
    }

    fn arm_resend_timer(&self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) {
        let every = ctx.config.resend_interval;
        out.set_timer(TwoPcTimer::Resend, every, every);
    }
}

// ---------------------------------------------------------------------------------------------
// A participant (RM).
// ---------------------------------------------------------------------------------------------
impl Participant {
    /// Starts from `d`; a participant that was prepared is in doubt and arms its status timer.
    fn boot(ctx: &Ctx<'_>, d: RmDurable, out: &mut TwoPcOutbox) -> Participant {
        let RmDurable { txn, state, vote, command, kv } = d;
        let rm = Participant { txn, state, vote, command, kv, queries: 0 };
        ctx.note(out, txn, || TwoPcEvent::ParticipantStarted { state });
        if rm.in_doubt() {
            rm.arm_status_timer(ctx, out);
        }
        rm
    }

    /// Prepare for transaction `txn`.
    ///
    /// `RMPrepare(r)`: `rmState[r] = "working" ∧ rmState' = [rmState EXCEPT ![r] = "prepared"] ∧
    /// Send([type ↦ "Prepared", rm ↦ r])`. A configured no-voter takes `RMChooseToAbort`
    /// instead (`rmState[r] = "working" ∧ rmState' = [rmState EXCEPT ![r] = "aborted"]`) and says so. The state and
    /// vote are persisted before the vote leaves.
    ///
    /// A participant starts a new transaction only when its current one is final: one still in
    /// doubt ignores the request (a correct coordinator never sends it). A repeated Prepare of
    /// the current transaction is answered with the vote already cast.
    fn handle_prepare(&mut self, ctx: &Ctx<'_>, txn: TxnId, command: Command, out: &mut TwoPcOutbox) {
        if txn < self.txn {
            ctx.note(out, self.txn, || TwoPcEvent::Ignored {
                from: COORDINATOR,
                kind: MsgKind::Prepare,
                why: Ignored::Stale,
            });
            return;
        }
        if txn == self.txn {
            let yes = self.vote == Some(Vote::Yes);
            ctx.note(out, self.txn, || TwoPcEvent::VoteRepeated { yes });
            let vote = if yes { TwoPcMsg::Prepared { txn } } else { TwoPcMsg::VoteNo { txn } };
            out.send(COORDINATOR, vote);
            return;
        }
        if self.in_doubt() {
            ctx.note(out, self.txn, || TwoPcEvent::Ignored {
                from: COORDINATOR,
                kind: MsgKind::Prepare,
                why: Ignored::StillInDoubt,
            });
            return;
        }
        self.enter(txn, Some(command));
        if ctx.config.votes_no(ctx.id) {
            self.vote = Some(Vote::No);
            self.become_aborted(out);
            ctx.note(out, txn, || TwoPcEvent::VotedNo);
            out.send(COORDINATOR, TwoPcMsg::VoteNo { txn });
        } else {
            self.become_prepared(ctx, out);
            ctx.note(out, txn, || TwoPcEvent::VotedYes);
            out.send(COORDINATOR, TwoPcMsg::Prepared { txn });
        }
    }

    /// The coordinator's decision (a Commit or Abort, first sent or re-sent, or answering a
    /// status query).
    ///
    /// `RMRcvCommitMsg(r)`: `[type ↦ "Commit"] ∈ msgs ∧ rmState' = [rmState EXCEPT ![r] = "committed"]`;
    /// `RMRcvAbortMsg(r)`: `[type ↦ "Abort"] ∈ msgs ∧ rmState' = [rmState EXCEPT ![r] = "aborted"]`. The outcome is
    /// persisted (with the write applied to the store) before the acknowledgement leaves.
    ///
    /// A participant that never heard of the transaction may learn of it from an Abort (its
    /// Prepare was lost, or it was down); it cannot commit what it never prepared, and never
    /// changes a final state: such decisions are ignored with a note. A decision it already
    /// recorded is acknowledged again (the first Ack may have been lost).
    fn handle_decision(&mut self, ctx: &Ctx<'_>, txn: TxnId, decision: Decision, out: &mut TwoPcOutbox) {
        let kind = if decision == Decision::Commit { MsgKind::Commit } else { MsgKind::Abort };
        let ignore = |why, out: &mut TwoPcOutbox| {
            ctx.note(out, self.txn, || TwoPcEvent::Ignored { from: COORDINATOR, kind, why });
        };
        if txn < self.txn {
            return ignore(Ignored::Stale, out);
        }
        if txn > self.txn {
            if self.in_doubt() {
                return ignore(Ignored::StillInDoubt, out);
            }
            if decision == Decision::Commit {
                return ignore(Ignored::NotPrepared, out);
            }
            // Learns of the transaction from its Abort.
            self.enter(txn, None);
            self.become_aborted(out);
            ctx.note(out, txn, || TwoPcEvent::Aborted);
            self.send_ack(out);
            return;
        }
        match (self.state, decision) {
            (RmState::Prepared, Decision::Commit) => {
                self.become_committed(out);
                let command = self.command.clone().unwrap_or(Command::Noop);
                ctx.note(out, txn, || TwoPcEvent::Committed { command });
                self.send_ack(out);
            }
            (RmState::Prepared, Decision::Abort) => {
                self.become_aborted(out);
                ctx.note(out, txn, || TwoPcEvent::Aborted);
                self.send_ack(out);
            }
            (RmState::Committed, Decision::Commit) | (RmState::Aborted, Decision::Abort) => {
                ctx.note(out, txn, || TwoPcEvent::Reacknowledged { decision });
                self.send_ack(out);
            }
            (RmState::Committed, Decision::Abort) => {
                ignore(Ignored::Conflicting { recorded: Decision::Commit }, out)
            }
            (RmState::Aborted, Decision::Commit) => {
                ignore(Ignored::Conflicting { recorded: Decision::Abort }, out)
            }
            // Working only at transaction 0, which no decision names.
            (RmState::Working, _) => ignore(Ignored::NotPrepared, out),
        }
    }

    /// The status timer fired. A prepared participant is in doubt: it asks the coordinator for
    /// the outcome and waits — it must never decide alone, since the coordinator may have
    /// decided either way. With [`TwoPcBug::AbortAfterYes`] it gives up and aborts instead.
    fn handle_status_timer(&mut self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) {
        if !self.in_doubt() {
            return;
        }
        if ctx.config.bug == Some(TwoPcBug::AbortAfterYes) {
            self.become_aborted(out);
            ctx.note(out, self.txn, || TwoPcEvent::GaveUp);
            return;
        }
        self.queries = self.queries.saturating_add(1);
        let queries = self.queries;
        ctx.note(out, self.txn, || TwoPcEvent::InDoubt { coordinator: COORDINATOR, queries });
        out.send(COORDINATOR, TwoPcMsg::StatusQuery { txn: self.txn });
        self.arm_status_timer(ctx, out);
    }

    /// Enters transaction `txn` (newer than the current one, which is final): working in it,
    /// no vote yet. Always followed, in the same step, by a vote or an abort.
    fn enter(&mut self, txn: TxnId, command: Option<Command>) {
        assert!(txn > self.txn && !self.in_doubt(), "a participant moves on only from a final state");
        self.txn = txn;
        self.command = command;
        self.state = RmState::Working;
        self.vote = None;
        self.queries = 0;
    }

    /// Working → prepared (a yes vote), persisted, status timer armed. Legal only from working.
    fn become_prepared(&mut self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) {
        assert_eq!(self.state, RmState::Working, "only a working participant prepares");
        self.state = RmState::Prepared;
        self.vote = Some(Vote::Yes);
        out.persist();
        self.arm_status_timer(ctx, out);
    }

    /// Prepared → committed: applies the write and persists. Legal only from prepared.
    fn become_committed(&mut self, out: &mut TwoPcOutbox) {
        assert_eq!(self.state, RmState::Prepared, "only a prepared participant commits");
        if let Some(command) = &self.command {
            self.kv.apply(command);
        }
        self.state = RmState::Committed;
        out.persist();
        out.cancel_timer(TwoPcTimer::Status);
    }

    /// Working or prepared → aborted, and persists. Never from a final state.
    fn become_aborted(&mut self, out: &mut TwoPcOutbox) {
        assert!(matches!(self.state, RmState::Working | RmState::Prepared), "a final state never changes");
        self.state = RmState::Aborted;
        out.persist();
        out.cancel_timer(TwoPcTimer::Status);
    }

    fn send_ack(&self, out: &mut TwoPcOutbox) {
        let decision = if self.state == RmState::Committed { Decision::Commit } else { Decision::Abort };
        out.send(COORDINATOR, TwoPcMsg::Ack { txn: self.txn, decision });
    }

    fn arm_status_timer(&self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) {
        out.set_timer(TwoPcTimer::Status, ctx.config.status_interval_min, ctx.config.status_interval_max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{boot, deliver, events, fire, persist_before_send, sends, set, step};
    use ballot_core::{Effect, TimerRange};

    fn config() -> TwoPcConfig {
        TwoPcConfig::default()
    }

    fn prepare(txn: TxnId) -> TwoPcMsg {
        TwoPcMsg::Prepare { txn, command: set("x", "5") }
    }

    /// A coordinator of `size` nodes that has started transaction 1 (`x=5`).
    fn coordinator_collecting(size: u8, cfg: &TwoPcConfig) -> TwoPcNode {
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
    fn a_client_command_starts_a_transaction_persisted_before_prepare() {
        let (mut tm, _) = boot(1, 4, &config(), TwoPcDurable::Blank);
        let (r, fx) = step(&mut tm, Input::Client(set("x", "5")));
        assert_eq!(r, Ok(()));
        persist_before_send(&fx);
        let to: Vec<NodeId> = sends(&fx).iter().map(|s| s.0).collect();
        assert_eq!(to, [NodeId(2), NodeId(3), NodeId(4)]);
        assert!(sends(&fx).iter().all(|s| s.1 == prepare(1)));
        let cfg = config();
        assert!(fx.contains(&Effect::SetTimer {
            timer: TwoPcTimer::Vote,
            after: TimerRange { min: cfg.vote_timeout_min, max: cfg.vote_timeout_max }
        }));
        assert_eq!(tm.txn(), 1);
        assert_eq!(
            tm.durable(),
            TwoPcDurable::Coordinator(TmDurable { txn: 1, command: Some(set("x", "5")), decision: None })
        );
        assert_eq!(tm.coordinator().unwrap().phase(), &TmPhase::Collecting);
    }

    #[test]
    fn a_participant_redirects_clients_to_s1() {
        let (mut rm, _) = boot(2, 3, &config(), TwoPcDurable::Blank);
        let (r, fx) = step(&mut rm, Input::Client(set("x", "1")));
        assert_eq!(r, Err(ClientError::NotLeader { hint: Some(COORDINATOR) }));
        assert_eq!(events(&fx), [TwoPcEvent::NotCoordinator { coordinator: COORDINATOR }]);
    }

    /// `RMPrepare`: working → prepared, persisted before the Prepared message leaves.
    #[test]
    fn a_participant_votes_yes_and_is_prepared() {
        let (mut rm, _) = boot(3, 3, &config(), TwoPcDurable::Blank);
        let fx = deliver(&mut rm, 1, prepare(1));
        persist_before_send(&fx);
        assert_eq!(sends(&fx), [(COORDINATOR, TwoPcMsg::Prepared { txn: 1 })]);
        assert_eq!(rm.rm_state(), Some(RmState::Prepared));
        assert!(rm.in_doubt());
        assert_eq!(rm.participant().unwrap().vote(), Some(Vote::Yes));
        assert!(fx.iter().any(|e| matches!(e, Effect::SetTimer { timer: TwoPcTimer::Status, .. })));
        assert!(events(&fx).contains(&TwoPcEvent::VotedYes));
        // The same Prepare again: the same vote again, nothing persisted.
        let fx = deliver(&mut rm, 1, prepare(1));
        assert_eq!(sends(&fx), [(COORDINATOR, TwoPcMsg::Prepared { txn: 1 })]);
        assert!(!fx.contains(&Effect::Persist));
    }

    /// `RMChooseToAbort`: a configured no-voter aborts and says no.
    #[test]
    fn a_no_voter_aborts_and_votes_no() {
        let mut cfg = config();
        cfg.no_voters.insert(NodeId(2));
        let (mut rm, _) = boot(2, 3, &cfg, TwoPcDurable::Blank);
        let fx = deliver(&mut rm, 1, prepare(1));
        persist_before_send(&fx);
        assert_eq!(sends(&fx), [(COORDINATOR, TwoPcMsg::VoteNo { txn: 1 })]);
        assert_eq!(rm.rm_state(), Some(RmState::Aborted));
        assert!(!rm.in_doubt());
        assert_eq!(rm.decision(), Some(Decision::Abort));
        let fx = deliver(&mut rm, 1, prepare(1));
        assert_eq!(sends(&fx), [(COORDINATOR, TwoPcMsg::VoteNo { txn: 1 })]);
    }

    /// `TMRcvPrepared` and `TMCommit`: all yes → commit, persisted before Commit goes out.
    #[test]
    fn all_yes_commits_and_the_decision_is_persisted_first() {
        let mut tm = coordinator_collecting(4, &config());
        deliver(&mut tm, 2, TwoPcMsg::Prepared { txn: 1 });
        let fx = deliver(&mut tm, 2, TwoPcMsg::Prepared { txn: 1 });
        assert_eq!(
            tm.coordinator().unwrap().yes_votes(),
            NodeSet::of([NodeId(2)]),
            "a duplicate counts once"
        );
        assert!(sends(&fx).is_empty());
        deliver(&mut tm, 4, TwoPcMsg::Prepared { txn: 1 });
        assert_eq!(tm.tm_state(), Some(TmState::Init));
        let fx = deliver(&mut tm, 3, TwoPcMsg::Prepared { txn: 1 });
        assert_eq!(tm.tm_state(), Some(TmState::Committed));
        persist_before_send(&fx);
        assert!(fx.contains(&Effect::CancelTimer(TwoPcTimer::Vote)));
        assert_eq!(sends(&fx).len(), 3);
        assert!(sends(&fx).iter().all(|s| s.1 == TwoPcMsg::Commit { txn: 1 }));
        assert!(events(&fx)
            .contains(&TwoPcEvent::Decided { decision: Decision::Commit, reason: DecisionReason::AllYes }));
        // A late vote changes nothing.
        let fx = deliver(&mut tm, 3, TwoPcMsg::VoteNo { txn: 1 });
        assert!(sends(&fx).is_empty());
        assert_eq!(tm.tm_state(), Some(TmState::Committed));
    }

    /// `TMAbort` on a no vote.
    #[test]
    fn one_no_aborts_at_once() {
        let mut tm = coordinator_collecting(4, &config());
        deliver(&mut tm, 2, TwoPcMsg::Prepared { txn: 1 });
        let fx = deliver(&mut tm, 3, TwoPcMsg::VoteNo { txn: 1 });
        persist_before_send(&fx);
        assert_eq!(tm.tm_state(), Some(TmState::Aborted));
        assert!(sends(&fx).iter().all(|s| s.1 == TwoPcMsg::Abort { txn: 1 }));
        assert_eq!(sends(&fx).len(), 3, "the no-voter is told too");
        let tm = tm.coordinator().unwrap();
        assert_eq!((tm.yes_votes(), tm.no_votes()), (NodeSet::of([NodeId(2)]), NodeSet::of([NodeId(3)])));
    }

    /// `TMAbort` on the vote timeout; the broken variant commits instead.
    #[test]
    fn the_vote_timeout_aborts_and_the_broken_variant_commits() {
        let mut tm = coordinator_collecting(4, &config());
        deliver(&mut tm, 2, TwoPcMsg::Prepared { txn: 1 });
        let fx = fire(&mut tm, TwoPcTimer::Vote);
        assert_eq!(tm.tm_state(), Some(TmState::Aborted));
        assert!(events(&fx).contains(&TwoPcEvent::Decided {
            decision: Decision::Abort,
            reason: DecisionReason::VoteTimeout { yes: 1, needed: 3 }
        }));
        // Stale firing after the decision: nothing.
        assert!(fire(&mut tm, TwoPcTimer::Vote).is_empty());

        let bug = TwoPcConfig { bug: Some(TwoPcBug::CommitOnTimeout), ..config() };
        let mut tm = coordinator_collecting(4, &bug);
        fire(&mut tm, TwoPcTimer::Vote);
        assert_eq!(tm.tm_state(), Some(TmState::Committed));
    }

    #[test]
    fn acks_finish_the_transaction_and_start_the_queued_one() {
        let mut tm = coordinator_collecting(3, &config());
        let (r, fx) = step(&mut tm, Input::Client(set("y", "1")));
        assert_eq!(r, Ok(()));
        assert!(sends(&fx).is_empty(), "queued, not started");
        assert_eq!(tm.coordinator().unwrap().queued(), [set("y", "1")]);
        deliver(&mut tm, 2, TwoPcMsg::Prepared { txn: 1 });
        deliver(&mut tm, 3, TwoPcMsg::Prepared { txn: 1 });
        // An ack of the wrong decision or transaction does not count.
        deliver(&mut tm, 2, TwoPcMsg::Ack { txn: 1, decision: Decision::Abort });
        deliver(&mut tm, 2, TwoPcMsg::Ack { txn: 7, decision: Decision::Commit });
        assert!(tm.coordinator().unwrap().acks().is_empty());
        deliver(&mut tm, 2, TwoPcMsg::Ack { txn: 1, decision: Decision::Commit });
        assert_eq!(tm.coordinator().unwrap().acks(), NodeSet::of([NodeId(2)]));
        let fx = deliver(&mut tm, 3, TwoPcMsg::Ack { txn: 1, decision: Decision::Commit });
        assert!(events(&fx).contains(&TwoPcEvent::Finished { decision: Decision::Commit }));
        assert!(fx.contains(&Effect::CancelTimer(TwoPcTimer::Resend)));
        persist_before_send(&fx);
        assert_eq!(tm.txn(), 2, "the queued command started transaction 2");
        assert!(sends(&fx).iter().all(|s| s.1 == TwoPcMsg::Prepare { txn: 2, command: set("y", "1") }));
        assert!(tm.coordinator().unwrap().queued().is_empty());
    }

    #[test]
    fn a_full_queue_refuses() {
        let cfg = TwoPcConfig { max_queued: 1, ..config() };
        let mut tm = coordinator_collecting(3, &cfg);
        assert_eq!(step(&mut tm, Input::Client(set("y", "1"))).0, Ok(()));
        let (r, fx) = step(&mut tm, Input::Client(set("z", "1")));
        assert_eq!(r, Err(ClientError::NotLeader { hint: None }));
        assert_eq!(events(&fx), [TwoPcEvent::Busy { command: set("z", "1") }]);
    }

    #[test]
    fn the_decision_is_re_sent_to_those_that_have_not_acknowledged() {
        let mut tm = coordinator_collecting(4, &config());
        fire(&mut tm, TwoPcTimer::Vote);
        deliver(&mut tm, 3, TwoPcMsg::Ack { txn: 1, decision: Decision::Abort });
        let fx = fire(&mut tm, TwoPcTimer::Resend);
        let to: Vec<NodeId> = sends(&fx).iter().map(|s| s.0).collect();
        assert_eq!(to, [NodeId(2), NodeId(4)]);
        assert!(fx.iter().any(|e| matches!(e, Effect::SetTimer { timer: TwoPcTimer::Resend, .. })));
        // Idle coordinator: a resend firing does nothing.
        deliver(&mut tm, 2, TwoPcMsg::Ack { txn: 1, decision: Decision::Abort });
        deliver(&mut tm, 4, TwoPcMsg::Ack { txn: 1, decision: Decision::Abort });
        assert!(tm.coordinator().unwrap().is_idle());
        assert!(fire(&mut tm, TwoPcTimer::Resend).is_empty());
    }

    #[test]
    fn commit_and_abort_reach_a_prepared_participant() {
        for decision in [Decision::Commit, Decision::Abort] {
            let (mut rm, _) = boot(2, 3, &config(), TwoPcDurable::Blank);
            deliver(&mut rm, 1, prepare(1));
            let fx = deliver(&mut rm, 1, TwoPcMsg::decision(1, decision));
            persist_before_send(&fx);
            assert_eq!(sends(&fx), [(COORDINATOR, TwoPcMsg::Ack { txn: 1, decision })]);
            assert!(fx.contains(&Effect::CancelTimer(TwoPcTimer::Status)));
            assert_eq!(rm.decision(), Some(decision));
            assert!(!rm.in_doubt());
            let kv = rm.participant().unwrap().kv().get("x");
            assert_eq!(kv, if decision == Decision::Commit { Some("5") } else { None });
            // Repeated: acknowledged again, nothing persisted.
            let fx = deliver(&mut rm, 1, TwoPcMsg::decision(1, decision));
            assert_eq!(sends(&fx).len(), 1);
            assert!(!fx.contains(&Effect::Persist));
            // The opposite decision is ignored: a final state never changes.
            let other = if decision == Decision::Commit { Decision::Abort } else { Decision::Commit };
            let fx = deliver(&mut rm, 1, TwoPcMsg::decision(1, other));
            assert!(sends(&fx).is_empty());
            assert_eq!(rm.decision(), Some(decision));
        }
    }

    #[test]
    fn an_abort_can_be_the_first_news_of_a_transaction_but_a_commit_cannot() {
        let (mut rm, _) = boot(2, 3, &config(), TwoPcDurable::Blank);
        let fx = deliver(&mut rm, 1, TwoPcMsg::Commit { txn: 1 });
        assert!(sends(&fx).is_empty());
        assert_eq!((rm.txn(), rm.rm_state()), (0, Some(RmState::Working)));
        let fx = deliver(&mut rm, 1, TwoPcMsg::Abort { txn: 1 });
        persist_before_send(&fx);
        assert_eq!((rm.txn(), rm.rm_state()), (1, Some(RmState::Aborted)));
        assert_eq!(rm.participant().unwrap().vote(), None);
        // The late Prepare is answered no.
        let fx = deliver(&mut rm, 1, prepare(1));
        assert_eq!(sends(&fx), [(COORDINATOR, TwoPcMsg::VoteNo { txn: 1 })]);
        assert_eq!(rm.rm_state(), Some(RmState::Aborted));
    }

    /// A prepared participant must not move on: it waits for the outcome.
    #[test]
    fn an_in_doubt_participant_ignores_a_new_transaction() {
        let (mut rm, _) = boot(2, 3, &config(), TwoPcDurable::Blank);
        deliver(&mut rm, 1, prepare(1));
        for msg in [prepare(2), TwoPcMsg::Abort { txn: 2 }, TwoPcMsg::Commit { txn: 2 }] {
            let fx = deliver(&mut rm, 1, msg);
            assert!(sends(&fx).is_empty());
            assert_eq!((rm.txn(), rm.rm_state()), (1, Some(RmState::Prepared)));
        }
    }

    /// In doubt, a participant asks; it never decides alone. The broken variant does.
    #[test]
    fn in_doubt_a_participant_asks_and_waits() {
        let (mut rm, _) = boot(2, 3, &config(), TwoPcDurable::Blank);
        deliver(&mut rm, 1, prepare(1));
        for queries in 1..=3 {
            let fx = fire(&mut rm, TwoPcTimer::Status);
            assert_eq!(sends(&fx), [(COORDINATOR, TwoPcMsg::StatusQuery { txn: 1 })]);
            assert!(events(&fx).contains(&TwoPcEvent::InDoubt { coordinator: COORDINATOR, queries }));
            assert!(rm.in_doubt());
        }
        assert_eq!(rm.participant().unwrap().status_queries(), 3);

        let bug = TwoPcConfig { bug: Some(TwoPcBug::AbortAfterYes), ..config() };
        let (mut rm, _) = boot(2, 3, &bug, TwoPcDurable::Blank);
        deliver(&mut rm, 1, prepare(1));
        let fx = fire(&mut rm, TwoPcTimer::Status);
        assert_eq!(rm.rm_state(), Some(RmState::Aborted));
        assert!(fx.contains(&Effect::Persist));
        assert!(events(&fx).contains(&TwoPcEvent::GaveUp));
    }

    #[test]
    fn the_coordinator_answers_status_queries_once_decided() {
        let mut tm = coordinator_collecting(3, &config());
        let fx = deliver(&mut tm, 2, TwoPcMsg::StatusQuery { txn: 1 });
        assert!(sends(&fx).is_empty());
        assert_eq!(events(&fx), [TwoPcEvent::StatusUnanswered { from: NodeId(2) }]);
        deliver(&mut tm, 2, TwoPcMsg::Prepared { txn: 1 });
        deliver(&mut tm, 3, TwoPcMsg::Prepared { txn: 1 });
        let fx = deliver(&mut tm, 2, TwoPcMsg::StatusQuery { txn: 1 });
        assert_eq!(sends(&fx), [(NodeId(2), TwoPcMsg::Commit { txn: 1 })]);
        assert!(sends(&deliver(&mut tm, 2, TwoPcMsg::StatusQuery { txn: 9 })).is_empty());
    }

    /// Recovery with a decision on disk: re-send it to everyone.
    #[test]
    fn a_restarted_coordinator_re_sends_its_decision() {
        let mut tm = coordinator_collecting(3, &config());
        deliver(&mut tm, 2, TwoPcMsg::Prepared { txn: 1 });
        deliver(&mut tm, 3, TwoPcMsg::Prepared { txn: 1 });
        let (back, fx) = boot(1, 3, &config(), tm.durable());
        assert_eq!(back.tm_state(), Some(TmState::Committed));
        assert!(!fx.contains(&Effect::Persist), "nothing new to persist");
        assert_eq!(sends(&fx).len(), 2);
        assert!(sends(&fx).iter().all(|s| s.1 == TwoPcMsg::Commit { txn: 1 }));
        assert!(events(&fx).contains(&TwoPcEvent::RecoveredDecision { decision: Decision::Commit }));
        assert!(fx.iter().any(|e| matches!(e, Effect::SetTimer { timer: TwoPcTimer::Resend, .. })));
    }

    /// Recovery without a decision: presumed abort, persisted before it is sent.
    #[test]
    fn a_restarted_coordinator_without_a_decision_aborts() {
        let tm = coordinator_collecting(3, &config());
        let (back, fx) = boot(1, 3, &config(), tm.durable());
        assert_eq!(back.tm_state(), Some(TmState::Aborted));
        assert_eq!(back.txn(), 1);
        persist_before_send(&fx);
        assert!(sends(&fx).iter().all(|s| s.1 == TwoPcMsg::Abort { txn: 1 }));
        assert!(events(&fx)
            .contains(&TwoPcEvent::Decided { decision: Decision::Abort, reason: DecisionReason::Recovery }));
        // The next transaction gets a new number.
        let mut back = back;
        deliver(&mut back, 2, TwoPcMsg::Ack { txn: 1, decision: Decision::Abort });
        deliver(&mut back, 3, TwoPcMsg::Ack { txn: 1, decision: Decision::Abort });
        step(&mut back, Input::Client(set("y", "2"))).0.unwrap();
        assert_eq!(back.txn(), 2);
    }

    #[test]
    fn a_restarted_prepared_participant_is_in_doubt_and_asks() {
        let (mut rm, _) = boot(3, 3, &config(), TwoPcDurable::Blank);
        deliver(&mut rm, 1, prepare(1));
        let (back, fx) = boot(3, 3, &config(), rm.durable());
        assert!(back.in_doubt());
        assert_eq!(back.durable_digest(), rm.durable_digest());
        assert!(fx.iter().any(|e| matches!(e, Effect::SetTimer { timer: TwoPcTimer::Status, .. })));
        assert!(events(&fx).contains(&TwoPcEvent::ParticipantStarted { state: RmState::Prepared }));
    }

    #[test]
    fn a_cluster_of_one_commits_alone() {
        let mut tm = coordinator_collecting(1, &config());
        assert_eq!(tm.tm_state(), Some(TmState::Committed));
        assert!(tm.coordinator().unwrap().is_idle());
        step(&mut tm, Input::Client(set("y", "1"))).0.unwrap();
        assert_eq!(tm.txn(), 2);
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
