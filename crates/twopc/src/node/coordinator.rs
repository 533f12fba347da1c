//! The coordinator, `S1`: the spec's TM (transaction manager).
//!
//! In `TwoPhase` the TM owns two variables — `tmState` ∈ {"init", "committed", "aborted"}
//! ([`TmState`], derived from [`Coordinator::decision`]) and `tmPrepared`, the RMs whose
//! Prepared message it received ([`Coordinator::yes_votes`]) — and takes three actions, each
//! quoted on the method that implements it:
//!
//! | `TwoPhase` action | here |
//! |---|---|
//! | `TMRcvPrepared(r)` | `Coordinator::handle_vote` (a yes vote) |
//! | `TMCommit` | `Coordinator::maybe_commit` |
//! | `TMAbort` | `Coordinator::handle_vote` (a no vote), `Coordinator::handle_vote_timeout`, `Coordinator::boot` (presumed abort) |
//!
//! The spec's guards hold at every decision: `Coordinator::decide` is the only place the
//! decision is taken, once per transaction and only while collecting votes (`tmState =
//! "init"`); it commits only when every participant voted yes (`tmPrepared = RM`), except in
//! the broken variant [`TwoPcBug::CommitOnTimeout`].
//!
//! Beyond the spec: the Prepare request that starts a transaction (`begin`), numbered
//! transactions one at a time with a short queue (`handle_client`, `maybe_finish`), the
//! transaction and then its decision persisted before they are sent ([`TmDurable`]), the
//! decision re-sent until every participant acknowledged it (`handle_ack`, `handle_resend`),
//! answers to in-doubt participants (`handle_status_query`), and recovery after a crash
//! (`boot`).

use super::{Ctx, TwoPcDurable, TwoPcOutbox, TwoPcTimer, Vote};
use crate::bug::TwoPcBug;
use crate::message::{Decision, MsgKind, TwoPcMsg, TxnId};
use crate::note::{DecisionReason, Ignored, TwoPcEvent};
use crate::set::NodeSet;
use alloc::vec::Vec;
use ballot_core::hash::stable_hash;
use ballot_core::{ClientError, Command, NodeId};

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

/// Digest of a coordinator's durable fields (equal to [`TwoPcDurable::digest`](super::TwoPcDurable::digest)
/// of them).
pub(super) fn tm_digest(txn: TxnId, command: &Option<Command>, decision: Option<Decision>) -> u64 {
    stable_hash(&(1u8, txn, command, decision))
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

// ---------------------------------------------------------------------------------------------
// The TM's actions, and what a lossy network and crashes add to them. `TwoPcNode`'s door
// (in `mod.rs`) calls the `pub(super)` ones.
// ---------------------------------------------------------------------------------------------
impl Coordinator {
    /// What it keeps on stable storage.
    pub(super) fn durable(&self) -> TmDurable {
        TmDurable { txn: self.txn, command: self.command.clone(), decision: self.decision }
    }

    /// Persists [`Coordinator::durable`] if a transition changed it since the last persist.
    pub(super) fn flush_persist(&self, out: &mut TwoPcOutbox) {
        out.persist_if_dirty(|| TwoPcDurable::Coordinator(self.durable()));
    }

    /// Queues a message, persisting first if the durable state changed.
    fn send(&self, to: NodeId, msg: TwoPcMsg, out: &mut TwoPcOutbox) {
        self.flush_persist(out);
        out.send(to, msg);
    }

    /// [`tm_digest`] of [`Coordinator::durable`], without copying it.
    pub(super) fn durable_digest(&self) -> u64 {
        tm_digest(self.txn, &self.command, self.decision)
    }

    /// Starts from `d`. With a transaction on disk: re-send its decision, or decide abort if
    /// there is none (presumed abort: `TMAbort` is enabled in `tmState = "init"`, and no
    /// participant can have committed).
    pub(super) fn boot(ctx: &Ctx<'_>, d: TmDurable, out: &mut TwoPcOutbox) -> Coordinator {
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
    pub(super) fn handle_client(
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
        out.mark_dirty();
        let everyone = ctx.participants();
        ctx.note(out, self.txn, || TwoPcEvent::Began {
            command: command.clone(),
            participants: everyone.count(),
        });
        for rm in everyone.iter() {
            self.send(rm, TwoPcMsg::Prepare { txn: self.txn, command: command.clone() }, out);
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
    pub(super) fn handle_vote(
        &mut self,
        ctx: &Ctx<'_>,
        from: NodeId,
        txn: TxnId,
        vote: Vote,
        out: &mut TwoPcOutbox,
    ) {
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
    pub(super) fn handle_vote_timeout(&mut self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) {
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
        out.mark_dirty();
        out.cancel_timer(TwoPcTimer::Vote);
        ctx.note(out, self.txn, || TwoPcEvent::Decided { decision, reason });
        self.bcast_decision(ctx.participants(), out);
        self.arm_resend_timer(ctx, out);
        self.maybe_finish(ctx, out);
    }

    /// A participant acknowledged the decision. Acknowledgements of another transaction or of
    /// a different decision are ignored.
    pub(super) fn handle_ack(
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
    pub(super) fn handle_resend(&mut self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) {
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
    pub(super) fn handle_status_query(
        &mut self,
        ctx: &Ctx<'_>,
        from: NodeId,
        txn: TxnId,
        out: &mut TwoPcOutbox,
    ) {
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
                self.send(from, TwoPcMsg::decision(self.txn, decision), out);
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
            self.send(rm, TwoPcMsg::decision(self.txn, decision), out);
        }
    }

    fn arm_resend_timer(&self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) {
        let every = ctx.config.resend_interval;
        out.set_timer(TwoPcTimer::Resend, every, every);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{config, coordinator_collecting, prepare};
    use super::*;
    use crate::config::TwoPcConfig;
    use crate::node::TwoPcDurable;
    use crate::testing::{boot, events};
    use ballot_core::testkit::{deliver, fire, persist_before_send, persists, sends, set, step};
    use ballot_core::{Effect, Input, Node, TimerRange};

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
        assert!(!persists(&fx), "nothing new to persist");
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
    fn a_cluster_of_one_commits_alone() {
        let mut tm = coordinator_collecting(1, &config());
        assert_eq!(tm.tm_state(), Some(TmState::Committed));
        assert!(tm.coordinator().unwrap().is_idle());
        step(&mut tm, Input::Client(set("y", "1"))).0.unwrap();
        assert_eq!(tm.txn(), 2);
    }
}
