//! A participant, `S2..=Sn`: one of the spec's RMs (resource managers).
//!
//! In `TwoPhase` each RM `r` owns one variable, `rmState[r]` ∈ {"working", "prepared",
//! "committed", "aborted"} ([`RmState`]), and takes four actions, each quoted on the method
//! that implements it:
//!
//! | `TwoPhase` action | here |
//! |---|---|
//! | `RMPrepare(r)` | `Participant::handle_prepare` (a yes vote) |
//! | `RMChooseToAbort(r)` | `Participant::handle_prepare` (a configured no-voter, or one a client asked to vote no: `Participant::handle_client`) |
//! | `RMRcvCommitMsg(r)` | `Participant::handle_decision` |
//! | `RMRcvAbortMsg(r)` | `Participant::handle_decision` |
//!
//! `rmState` changes only in the `become_*` methods, each asserting the spec's guard: working →
//! prepared, prepared → committed, working or prepared → aborted. A final state never changes
//! within a transaction, and a prepared participant never decides alone (except in the broken
//! variant [`TwoPcBug::AbortAfterYes`]).
//!
//! Beyond the spec: numbered transactions, entered only from a final state (`enter`); the vote
//! and then the outcome persisted before they are sent ([`RmDurable`]); acknowledgements of the
//! decision (`send_ack`); while in doubt, status queries to the coordinator
//! (`handle_status_timer`); and clients redirected to the coordinator (`handle_client`).

use super::{Ctx, TwoPcDurable, TwoPcOutbox, TwoPcTimer, Vote, COORDINATOR};
use crate::bug::TwoPcBug;
use crate::message::{Decision, MsgKind, TwoPcMsg, TxnId};
use crate::note::{Ignored, TwoPcEvent};
use ballot_core::hash::stable_hash;
use ballot_core::{ClientError, Command, KvStore};
use core::hash::{Hash, Hasher};

/// The client command that asks a participant to vote no on the next transaction it is asked
/// to prepare: `vote=no` (`set vote no`). Every other command sent to a participant is
/// redirected to the coordinator.
pub fn is_vote_no(command: &Command) -> bool {
    matches!(command, Command::Set { key, value } if key.as_str() == "vote" && value.as_str() == "no")
}

/// Whether a participant has promised a client to vote no on its next transaction. Volatile (a
/// crash forgets it), and hashed only while set, so worlds where nobody asked hash as before.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
struct Pledge(bool);

impl Hash for Pledge {
    fn hash<H: Hasher>(&self, state: &mut H) {
        if self.0 {
            state.write_u8(0x70);
        }
    }
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

/// Digest of a participant's durable fields (equal to [`TwoPcDurable::digest`](super::TwoPcDurable::digest)
/// of them).
pub(super) fn rm_digest(
    txn: TxnId,
    state: RmState,
    vote: Option<Vote>,
    command: &Option<Command>,
    kv: &KvStore,
) -> u64 {
    stable_hash(&(2u8, txn, state, vote, command, kv))
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
    /// Volatile: a client asked it to vote no on the next transaction ([`is_vote_no`]).
    pledge: Pledge,
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

    /// Whether it will vote no on the next transaction it is asked to prepare (a client asked
    /// it to, [`is_vote_no`]).
    pub fn will_vote_no(&self) -> bool {
        self.pledge.0
    }
}

// ---------------------------------------------------------------------------------------------
// The RM's actions, and what a lossy network and crashes add to them. `TwoPcNode`'s door
// (in `mod.rs`) calls the `pub(super)` ones.
// ---------------------------------------------------------------------------------------------
impl Participant {
    /// What it keeps on stable storage.
    pub(super) fn durable(&self) -> RmDurable {
        RmDurable {
            txn: self.txn,
            state: self.state,
            vote: self.vote,
            command: self.command.clone(),
            kv: self.kv.clone(),
        }
    }

    /// Persists [`Participant::durable`] if a transition changed it since the last persist.
    pub(super) fn flush_persist(&self, out: &mut TwoPcOutbox) {
        out.persist_if_dirty(|| TwoPcDurable::Participant(self.durable()));
    }

    /// Queues a message to the coordinator, persisting first if the durable state changed.
    fn send(&self, msg: TwoPcMsg, out: &mut TwoPcOutbox) {
        self.flush_persist(out);
        out.send(COORDINATOR, msg);
    }

    /// [`rm_digest`] of [`Participant::durable`], without copying it.
    pub(super) fn durable_digest(&self) -> u64 {
        rm_digest(self.txn, self.state, self.vote, &self.command, &self.kv)
    }

    /// Starts from `d`; a participant that was prepared is in doubt and arms its status timer.
    pub(super) fn boot(ctx: &Ctx<'_>, d: RmDurable, out: &mut TwoPcOutbox) -> Participant {
        let RmDurable { txn, state, vote, command, kv } = d;
        let rm = Participant { txn, state, vote, command, kv, queries: 0, pledge: Pledge(false) };
        ctx.note(out, txn, || TwoPcEvent::ParticipantStarted { state });
        if rm.in_doubt() {
            rm.arm_status_timer(ctx, out);
        }
        rm
    }

    /// A client command: `vote=no` ([`is_vote_no`]) makes it vote no on the next transaction
    /// it is asked to prepare — the spec's `RMChooseToAbort`, chosen before the Prepare arrives,
    /// since here a participant votes as soon as it does. Any other command is refused, with
    /// the coordinator as the place to retry: only the coordinator starts transactions.
    pub(super) fn handle_client(
        &mut self,
        ctx: &Ctx<'_>,
        command: &Command,
        out: &mut TwoPcOutbox,
    ) -> Result<(), ClientError> {
        if is_vote_no(command) {
            self.pledge = Pledge(true);
            ctx.note(out, self.txn, || TwoPcEvent::WillVoteNo);
            return Ok(());
        }
        ctx.note(out, self.txn, || TwoPcEvent::NotCoordinator { coordinator: COORDINATOR });
        Err(ClientError::NotLeader { hint: Some(COORDINATOR) })
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
    pub(super) fn handle_prepare(
        &mut self,
        ctx: &Ctx<'_>,
        txn: TxnId,
        command: Command,
        out: &mut TwoPcOutbox,
    ) {
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
            self.send(vote, out);
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
        self.enter(txn, Some(command), out);
        let pledged = core::mem::take(&mut self.pledge).0;
        if pledged || ctx.config.votes_no(ctx.id) {
            self.vote = Some(Vote::No);
            self.become_aborted(out);
            ctx.note(out, txn, || TwoPcEvent::VotedNo);
            self.send(TwoPcMsg::VoteNo { txn }, out);
        } else if ctx.config.bug == Some(TwoPcBug::VoteBeforePersist) {
            // The broken participant votes first and becomes prepared after the vote left, in
            // memory only: "prepared" reaches the disk with its next durable change.
            ctx.note(out, txn, || TwoPcEvent::VotedYes);
            self.send(TwoPcMsg::Prepared { txn }, out);
            self.become_prepared(ctx, out);
        } else {
            self.become_prepared(ctx, out);
            ctx.note(out, txn, || TwoPcEvent::VotedYes);
            self.send(TwoPcMsg::Prepared { txn }, out);
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
    pub(super) fn handle_decision(
        &mut self,
        ctx: &Ctx<'_>,
        txn: TxnId,
        decision: Decision,
        out: &mut TwoPcOutbox,
    ) {
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
            self.enter(txn, None, out);
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
    pub(super) fn handle_status_timer(&mut self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) {
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
        self.send(TwoPcMsg::StatusQuery { txn: self.txn }, out);
        self.arm_status_timer(ctx, out);
    }

    /// Enters transaction `txn` (newer than the current one, which is final): working in it,
    /// no vote yet. Always followed, in the same step, by a vote or an abort.
    fn enter(&mut self, txn: TxnId, command: Option<Command>, out: &mut TwoPcOutbox) {
        assert!(txn > self.txn && !self.in_doubt(), "a participant moves on only from a final state");
        self.txn = txn;
        self.command = command;
        self.state = RmState::Working;
        self.vote = None;
        self.queries = 0;
        out.mark_dirty();
    }

    /// Working → prepared (a yes vote), to be persisted, status timer armed. Legal only from
    /// working. With [`TwoPcBug::VoteBeforePersist`] the change is not marked for persistence.
    fn become_prepared(&mut self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) {
        assert_eq!(self.state, RmState::Working, "only a working participant prepares");
        self.state = RmState::Prepared;
        self.vote = Some(Vote::Yes);
        if ctx.config.bug != Some(TwoPcBug::VoteBeforePersist) {
            out.mark_dirty();
        }
        self.arm_status_timer(ctx, out);
    }

    /// Prepared → committed: applies the write and persists. Legal only from prepared.
    fn become_committed(&mut self, out: &mut TwoPcOutbox) {
        assert_eq!(self.state, RmState::Prepared, "only a prepared participant commits");
        if let Some(command) = &self.command {
            self.kv.apply(command);
        }
        self.state = RmState::Committed;
        out.mark_dirty();
        out.cancel_timer(TwoPcTimer::Status);
    }

    /// Working or prepared → aborted, and persists. Never from a final state.
    fn become_aborted(&mut self, out: &mut TwoPcOutbox) {
        assert!(matches!(self.state, RmState::Working | RmState::Prepared), "a final state never changes");
        self.state = RmState::Aborted;
        out.mark_dirty();
        out.cancel_timer(TwoPcTimer::Status);
    }

    fn send_ack(&self, out: &mut TwoPcOutbox) {
        let decision = if self.state == RmState::Committed { Decision::Commit } else { Decision::Abort };
        self.send(TwoPcMsg::Ack { txn: self.txn, decision }, out);
    }

    fn arm_status_timer(&self, ctx: &Ctx<'_>, out: &mut TwoPcOutbox) {
        out.set_timer(TwoPcTimer::Status, ctx.config.status_interval_min, ctx.config.status_interval_max);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{config, prepare};
    use super::*;
    use crate::config::TwoPcConfig;
    use crate::node::TwoPcDurable;
    use crate::testing::{boot, events};
    use ballot_core::testkit::{deliver, fire, persist_before_send, persists, sends, set, step};
    use ballot_core::{Effect, Input, Node, NodeId};

    #[test]
    fn a_participant_redirects_clients_to_s1() {
        let (mut rm, _) = boot(2, 3, &config(), TwoPcDurable::Blank);
        let (r, fx) = step(&mut rm, Input::Client(set("x", "1")));
        assert_eq!(r, Err(ClientError::NotLeader { hint: Some(COORDINATOR) }));
        assert_eq!(events(&fx), [TwoPcEvent::NotCoordinator { coordinator: COORDINATOR }]);
    }

    /// [`TwoPcBug::VoteBeforePersist`]: the yes vote leaves while "prepared" is in memory only
    /// (the disk holds the new transaction, working).
    #[test]
    fn the_broken_participant_votes_before_persisting() {
        let bug = TwoPcConfig { bug: Some(TwoPcBug::VoteBeforePersist), ..config() };
        let (mut rm, _) = boot(3, 3, &bug, TwoPcDurable::Blank);
        let fx = deliver(&mut rm, 1, prepare(1));
        assert_eq!(sends(&fx), [(COORDINATOR, TwoPcMsg::Prepared { txn: 1 })]);
        assert_eq!(rm.rm_state(), Some(RmState::Prepared), "in memory");
        let stored = ballot_core::testkit::persisted(&fx);
        match stored.as_slice() {
            [TwoPcDurable::Participant(d)] => assert_eq!((d.txn, d.state), (1, RmState::Working), "on disk"),
            other => panic!("expected one persist of the participant, got {other:?}"),
        }
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
        assert!(!persists(&fx));
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

    /// `RMChooseToAbort`, asked by a client: `vote=no` makes the next Prepare (only that one)
    /// answered no; other commands are still redirected; a crash forgets the request.
    #[test]
    fn a_client_can_make_a_participant_vote_no_once() {
        let (mut rm, _) = boot(3, 3, &config(), TwoPcDurable::Blank);
        let (r, fx) = step(&mut rm, Input::Client(set("vote", "no")));
        assert_eq!(r, Ok(()));
        assert_eq!(events(&fx), [TwoPcEvent::WillVoteNo]);
        assert!(sends(&fx).is_empty() && !persists(&fx), "a volatile promise: nothing sent or stored");
        assert!(rm.participant().unwrap().will_vote_no());
        let (r, _) = step(&mut rm, Input::Client(set("vote", "yes")));
        assert_eq!(r, Err(ClientError::NotLeader { hint: Some(COORDINATOR) }), "only vote=no is taken");

        let fx = deliver(&mut rm, 1, prepare(1));
        persist_before_send(&fx);
        assert_eq!(sends(&fx), [(COORDINATOR, TwoPcMsg::VoteNo { txn: 1 })]);
        assert_eq!(
            (rm.rm_state(), rm.participant().unwrap().vote()),
            (Some(RmState::Aborted), Some(Vote::No))
        );
        assert!(!rm.participant().unwrap().will_vote_no(), "the promise is spent");
        // The next transaction is voted yes again.
        let fx = deliver(&mut rm, 1, prepare(2));
        assert_eq!(sends(&fx), [(COORDINATOR, TwoPcMsg::Prepared { txn: 2 })]);

        // Asked while in doubt, it keeps its yes vote and says no to the transaction after.
        let (mut rm, _) = boot(2, 3, &config(), TwoPcDurable::Blank);
        deliver(&mut rm, 1, prepare(1));
        assert_eq!(step(&mut rm, Input::Client(set("vote", "no"))).0, Ok(()));
        assert!(rm.in_doubt());
        deliver(&mut rm, 1, TwoPcMsg::Commit { txn: 1 });
        assert_eq!(rm.rm_state(), Some(RmState::Committed));
        let fx = deliver(&mut rm, 1, prepare(2));
        assert_eq!(sends(&fx), [(COORDINATOR, TwoPcMsg::VoteNo { txn: 2 })]);

        // A crash forgets the request: it is not on disk.
        let (mut rm, _) = boot(2, 3, &config(), TwoPcDurable::Blank);
        step(&mut rm, Input::Client(set("vote", "no"))).0.unwrap();
        let (mut back, _) = boot(2, 3, &config(), rm.durable());
        assert!(!back.participant().unwrap().will_vote_no());
        let fx = deliver(&mut back, 1, prepare(1));
        assert_eq!(sends(&fx), [(COORDINATOR, TwoPcMsg::Prepared { txn: 1 })]);
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
            assert!(!persists(&fx));
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
        assert!(persists(&fx));
        assert!(events(&fx).contains(&TwoPcEvent::GaveUp));
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
}
