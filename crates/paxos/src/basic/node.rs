//! The Basic Paxos node: proposer, acceptor and learner in one sans-IO state machine.
//!
//! Paxos Made Simple §2.2–2.3, rule by rule:
//!
//! | the paper | here |
//! |---|---|
//! | Phase 1(a): the proposer sends prepare(n) | `start_round` |
//! | Phase 1(b): the acceptor promises or refuses | `handle_prepare` (rule in `acceptor_prepare`) |
//! | Phase 2(a): on a majority of promises, accept(n, v) | `handle_promise`, `maybe_start_phase_two`, [`value_to_propose`](crate::ballot::value_to_propose) |
//! | Phase 2(b): the acceptor accepts unless it promised higher | `handle_accept` (rule in `acceptor_accept`) |
//! | §2.3 learning: acceptors tell every learner | `record_accepted`, `learn` |
//! | §2.4 progress: abandon on a higher number, back off | `handle_nack`, `maybe_abandon`, `back_off`, `handle_timer` |
//!
//! **Every node plays all three roles.** A node's *own* acceptor is consulted inside the same
//! step, without a message to itself: when the node starts a round its acceptor promises the new
//! ballot at once (and persists it before any Prepare leaves), and in phase 2 it accepts first.
//! This keeps the animation to real network messages, and it makes ballots unique across
//! crashes: a new round is above the node's own persisted promise, which covers every ballot it
//! ever used.
//!
//! **Persistence.** The acceptor's promise and accepted proposal are durable ([`PaxosDurable`]):
//! "an acceptor must remember this information even if it fails and then restarts" (§2.3). Any
//! change marks the outbox dirty, and [`Effect::Persist`](ballot_core::Effect::Persist), carrying
//! the durable state as it is then, precedes the next message of the step (or ends it). A crash
//! restores exactly the last value persisted, so with
//! [`PaxosBug::PromiseBeforePersist`] a promise already
//! sent can be forgotten. Proposer and learner state are volatile.
//!
//! **Timers.** `Round` (exactly `round_timeout`) ends a round that neither succeeded nor was
//! refused; `Retry` (the range `retry_delay_min..=retry_delay_max`, or exactly the minimum when
//! back-off is off) starts the next round after a failure.

use crate::ballot::{value_to_propose, Ballot, NodeSet};
use crate::basic::config::PaxosConfig;
use crate::basic::message::{MsgKind, PaxosMsg};
use crate::basic::note::{PaxosEvent, PaxosNote};
use crate::bug::PaxosBug;
use ballot_core::hash::{stable_hash, RetiredFalse};
use ballot_core::node::OutboxOf;
use ballot_core::{ClientError, Cluster, Command, Input, Instant, Node, NodeId, VecMap};
use core::hash::Hash;

/// The outbox a [`PaxosNode`] writes into.
pub type PaxosOutbox = OutboxOf<PaxosNode>;

/// How many ballots a learner keeps counting Accepted messages for (the highest ones): a bound
/// on memory that no correct run reaches (each proposer has at most one ballot in flight).
const MAX_TALLIES: usize = 32;

/// The proposer's two timers.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum PaxosTimer {
    /// A round has taken `round_timeout`: give up on it and back off.
    Round,
    /// The back-off after a failed round is over: start the next round.
    Retry,
}

/// What an acceptor keeps on stable storage (§2.3: "an acceptor must remember this information
/// even if it fails and then restarts").
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct PaxosDurable {
    /// The highest ballot it has promised (responded to a prepare for); [`Ballot::ZERO`] if none.
    pub promised: Ballot,
    /// The highest-numbered proposal it has accepted, if any.
    pub accepted: Option<(Ballot, Command)>,
}

impl PaxosDurable {
    /// The same digest as [`Node::durable_digest`] of a node holding this state.
    pub fn digest(&self) -> u64 {
        stable_hash(&(self.promised, &self.accepted))
    }
}

/// The proposer's state, with the data only each phase has.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Proposer {
    /// Not trying to get anything chosen (never asked, or done: the node learned a value).
    Idle,
    /// Phase 1: prepare(`ballot`) sent; collecting promises.
    Preparing {
        /// The ballot of this round.
        ballot: Ballot,
        /// Who promised (the node's own acceptor included).
        promises: NodeSet,
        /// The highest-numbered proposal reported in those promises.
        highest: Option<(Ballot, Command)>,
    },
    /// Phase 2: accept(`ballot`, `value`) sent; counting acceptances.
    Accepting {
        /// The ballot of this round.
        ballot: Ballot,
        /// The value asked to be accepted.
        value: Command,
        /// Who accepted (from their Accepted messages; the node's own acceptor included).
        accepted: NodeSet,
    },
    /// The last round (`after`) failed; the retry timer is armed.
    BackingOff {
        /// The ballot that failed.
        after: Ballot,
    },
}

/// The proposer's phase without its data, for views (`data-phase` in the DOM) and scenarios.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Phase {
    /// See [`Proposer::Idle`].
    Idle,
    /// See [`Proposer::Preparing`].
    Prepare,
    /// See [`Proposer::Accepting`].
    Accept,
    /// See [`Proposer::BackingOff`].
    Backoff,
}

impl Phase {
    /// `"idle"`, `"prepare"`, `"accept"` or `"backoff"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Prepare => "prepare",
            Phase::Accept => "accept",
            Phase::Backoff => "backoff",
        }
    }

    /// Parses what [`Phase::as_str`] prints.
    pub fn parse(s: &str) -> Option<Phase> {
        [Phase::Idle, Phase::Prepare, Phase::Accept, Phase::Backoff].into_iter().find(|p| p.as_str() == s)
    }
}

impl Proposer {
    /// The phase's name.
    pub fn phase(&self) -> Phase {
        match self {
            Proposer::Idle => Phase::Idle,
            Proposer::Preparing { .. } => Phase::Prepare,
            Proposer::Accepting { .. } => Phase::Accept,
            Proposer::BackingOff { .. } => Phase::Backoff,
        }
    }

    /// The ballot of the round in progress (phase 1 or 2).
    pub fn ballot(&self) -> Option<Ballot> {
        match self {
            Proposer::Preparing { ballot, .. } | Proposer::Accepting { ballot, .. } => Some(*ballot),
            Proposer::Idle | Proposer::BackingOff { .. } => None,
        }
    }
}

/// One Basic Paxos node: proposer, acceptor and learner.
///
/// Methods by kind: getters (`promised`, `accepted`, `phase`, `promise_count`, `chosen`…) for
/// views and the checker; the [`Node`] door (`boot`, `step`); `handle_*` for each input;
/// `acceptor_*` for the two acceptor rules; `start_round`/`back_off`/`learn` for the only
/// proposer transitions; `send`/`bcast_*` for outgoing messages; `maybe_*` for steps that may
/// do nothing.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct PaxosNode {
    pub(crate) id: NodeId,
    pub(crate) cluster: Cluster,
    pub(crate) config: PaxosConfig,
    // --- Acceptor (durable) ---
    /// Highest ballot promised; never decreases.
    pub(crate) promised: Ballot,
    /// Highest-numbered proposal accepted; its ballot only grows and is `<= promised`.
    pub(crate) accepted: Option<(Ballot, Command)>,
    // --- Proposer (volatile) ---
    /// The value a client asked this node to get chosen (the checker reads it: Validity).
    pub(crate) proposal: Option<Command>,
    /// Phase and phase data.
    pub(crate) proposer: Proposer,
    /// The highest round seen in any ballot since boot (a new round goes above it and above
    /// `promised`).
    pub(crate) max_round_seen: u64,
    // --- Learner (volatile) ---
    /// For each recent ballot: its value and who has said they accepted it.
    pub(crate) tallies: VecMap<Ballot, (Command, NodeSet)>,
    /// The chosen value, with the highest ballot a majority was seen to accept it in.
    pub(crate) learned: Option<(Ballot, Command)>,
    /// Where the `unpersisted` flag was: keeps the node's hash, and so pinned fingerprints,
    /// as they were.
    pub(crate) retired_unpersisted: RetiredFalse,
}

impl Node for PaxosNode {
    type Msg = PaxosMsg;
    type Timer = PaxosTimer;
    type Command = Command;
    type Durable = PaxosDurable;
    type Note = PaxosNote;
    type Config = PaxosConfig;

    /// Starts (or restarts) with the acceptor's durable state; proposer idle, nothing learned,
    /// no timer armed (a node waits for a client).
    fn boot(
        id: NodeId,
        cluster: Cluster,
        config: &PaxosConfig,
        durable: PaxosDurable,
        _now: Instant,
        out: &mut PaxosOutbox,
    ) -> PaxosNode {
        let PaxosDurable { promised, accepted } = durable;
        let node = PaxosNode {
            id,
            cluster,
            config: config.clone(),
            promised,
            accepted,
            proposal: None,
            proposer: Proposer::Idle,
            max_round_seen: 0,
            tallies: VecMap::new(),
            learned: None,
            retired_unpersisted: RetiredFalse,
        };
        node.note(out, || PaxosEvent::Booted { promised: node.promised, accepted: node.accepted.clone() });
        node
    }

    fn step(
        &mut self,
        _now: Instant,
        input: Input<PaxosMsg, PaxosTimer, Command>,
        out: &mut PaxosOutbox,
    ) -> Result<(), ClientError> {
        match input {
            Input::Deliver { from, msg } => self.handle_message(from, msg, out),
            Input::Timer(timer) => self.handle_timer(timer, out),
            Input::Client(value) => self.handle_client(value, out),
        }
        self.flush_persist(out);
        Ok(())
    }

    fn id(&self) -> NodeId {
        self.id
    }

    fn durable(&self) -> PaxosDurable {
        PaxosDurable { promised: self.promised, accepted: self.accepted.clone() }
    }

    fn durable_digest(&self) -> u64 {
        stable_hash(&(self.promised, &self.accepted))
    }

    fn durable_digest_of(durable: &PaxosDurable) -> u64 {
        stable_hash(&(durable.promised, &durable.accepted))
    }
}

// ---------------------------------------------------------------------------------------------
// Getters, for views and the checker.
// ---------------------------------------------------------------------------------------------
impl PaxosNode {
    /// The cluster this node belongs to.
    pub fn cluster(&self) -> Cluster {
        self.cluster
    }

    /// The parameters it runs with.
    pub fn config(&self) -> &PaxosConfig {
        &self.config
    }

    /// Acceptor: the highest ballot promised ([`Ballot::ZERO`] if none).
    pub fn promised(&self) -> Ballot {
        self.promised
    }

    /// Acceptor: the highest-numbered proposal accepted, if any.
    pub fn accepted(&self) -> Option<&(Ballot, Command)> {
        self.accepted.as_ref()
    }

    /// Proposer: the value a client asked this node to get chosen, if any.
    pub fn proposal(&self) -> Option<&Command> {
        self.proposal.as_ref()
    }

    /// Proposer: the phase with its data.
    pub fn proposer(&self) -> &Proposer {
        &self.proposer
    }

    /// Proposer: the phase's name.
    pub fn phase(&self) -> Phase {
        self.proposer.phase()
    }

    /// Proposer: the ballot of the round in progress.
    pub fn ballot(&self) -> Option<Ballot> {
        self.proposer.ballot()
    }

    /// Proposer, phase 1: who promised so far (own acceptor included).
    pub fn promises(&self) -> Option<NodeSet> {
        match &self.proposer {
            Proposer::Preparing { promises, .. } => Some(*promises),
            _ => None,
        }
    }

    /// Proposer, phase 1: number of promises (0 outside phase 1).
    pub fn promise_count(&self) -> u8 {
        self.promises().map_or(0, NodeSet::count)
    }

    /// Proposer, phase 2: who accepted so far (own acceptor included).
    pub fn accepts(&self) -> Option<NodeSet> {
        match &self.proposer {
            Proposer::Accepting { accepted, .. } => Some(*accepted),
            _ => None,
        }
    }

    /// Proposer, phase 2: number of acceptances (0 outside phase 2).
    pub fn accept_count(&self) -> u8 {
        self.accepts().map_or(0, NodeSet::count)
    }

    /// The number of promises or acceptances a round needs: a majority.
    pub fn quorum(&self) -> u8 {
        self.cluster.majority()
    }

    /// Learner: the value this node learned is chosen, if any.
    pub fn chosen(&self) -> Option<&Command> {
        self.learned.as_ref().map(|(_, v)| v)
    }

    /// Learner: the chosen value and the highest ballot a majority was seen to accept it in.
    pub fn learned(&self) -> Option<&(Ballot, Command)> {
        self.learned.as_ref()
    }

    /// Learner: for recent ballots, the value and who reported accepting it.
    pub fn tallies(&self) -> &VecMap<Ballot, (Command, NodeSet)> {
        &self.tallies
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs.
// ---------------------------------------------------------------------------------------------
impl PaxosNode {
    /// Dispatches a delivered message after dropping what no correct node sends: unknown
    /// senders, ballots of round 0 or of a non-member, a Prepare or Accept whose ballot is not the
    /// sender's, a Promise or Nack about a ballot that is not ours, a Nack that does not name a
    /// higher promise, a Promise reporting a proposal above the promised ballot.
    fn handle_message(&mut self, from: NodeId, msg: PaxosMsg, out: &mut PaxosOutbox) {
        let kind = msg.kind();
        let ballot = msg.ballot();
        let sane = from != self.id
            && self.cluster.contains(from)
            && ballot.is_valid_in(self.cluster)
            && match &msg {
                PaxosMsg::Prepare { .. } | PaxosMsg::Accept { .. } => ballot.proposer == from,
                PaxosMsg::Promise { accepted, .. } => {
                    ballot.proposer == self.id
                        && accepted.as_ref().is_none_or(|(b, _)| b.is_valid_in(self.cluster) && *b <= ballot)
                }
                PaxosMsg::Nack { promised, .. } => {
                    ballot.proposer == self.id && *promised > ballot && promised.is_valid_in(self.cluster)
                }
                PaxosMsg::Accepted { .. } => true,
            };
        if !sane {
            self.note(out, || PaxosEvent::IgnoredMalformed { from, kind });
            return;
        }
        self.see_round(ballot.round);
        match &msg {
            PaxosMsg::Nack { promised, .. } => self.see_round(promised.round),
            PaxosMsg::Promise { accepted: Some((b, _)), .. } => self.see_round(b.round),
            _ => {}
        }
        match msg {
            PaxosMsg::Prepare { ballot } => self.handle_prepare(from, ballot, out),
            PaxosMsg::Promise { ballot, accepted } => self.handle_promise(from, ballot, accepted, out),
            PaxosMsg::Nack { ballot, promised } => self.handle_nack(from, ballot, promised, out),
            PaxosMsg::Accept { ballot, value } => self.handle_accept(from, ballot, value, out),
            PaxosMsg::Accepted { ballot, value } => self.record_accepted(from, ballot, value, out),
        }
    }

    /// A client asks this node to get `value` chosen. An idle node becomes its proposer; a node
    /// already running or retrying a round keeps its own value (the client learns the outcome
    /// from the chosen value either way). A node that already learned a value runs a new round
    /// too: it will find the chosen value in the promises and propose it again.
    fn handle_client(&mut self, value: Command, out: &mut PaxosOutbox) {
        match self.proposer {
            Proposer::Idle => {
                self.proposal = Some(value);
                self.start_round(out);
            }
            Proposer::Preparing { ballot, .. }
            | Proposer::Accepting { ballot, .. }
            | Proposer::BackingOff { after: ballot } => {
                self.note(out, || PaxosEvent::ClientBusy { value, ballot });
            }
        }
    }

    /// `Round` ends a round still in progress (a timeout); `Retry` ends a back-off. Firings in
    /// any other phase are stale and ignored.
    fn handle_timer(&mut self, timer: PaxosTimer, out: &mut PaxosOutbox) {
        match (timer, &self.proposer) {
            (PaxosTimer::Round, Proposer::Preparing { ballot, .. } | Proposer::Accepting { ballot, .. }) => {
                let ballot = *ballot;
                self.note(out, || PaxosEvent::RoundTimedOut { ballot });
                self.back_off(out);
            }
            (PaxosTimer::Retry, Proposer::BackingOff { .. }) => self.start_round(out),
            _ => {}
        }
    }

    /// Phase 1(b): "If an acceptor receives a prepare request with number n greater than that of
    /// any prepare request to which it has already responded, then it responds to the request
    /// with a promise not to accept any more proposals numbered less than n and with the
    /// highest-numbered proposal (if any) that it has accepted." Otherwise it answers with a
    /// Nack naming its promise (§2.4's suggested optimisation). A repeated Prepare of the ballot
    /// already promised is answered with the same promise.
    fn handle_prepare(&mut self, proposer: NodeId, ballot: Ballot, out: &mut PaxosOutbox) {
        if self.config.bug == Some(PaxosBug::PromiseBeforePersist) && ballot > self.promised {
            // The broken acceptor raises its promise in memory only: the Promise leaves before
            // the ballot is on disk, which it reaches with the next durable change.
            self.promised = ballot;
        }
        match self.acceptor_prepare(ballot, out) {
            Ok(accepted) => {
                self.note(out, || PaxosEvent::Promised { proposer, ballot, accepted: accepted.clone() });
                self.send(proposer, PaxosMsg::Promise { ballot, accepted }, out);
                self.maybe_abandon(out);
            }
            Err(promised) => {
                self.note(out, || PaxosEvent::PrepareRejected { proposer, ballot, promised });
                self.send(proposer, PaxosMsg::Nack { ballot, promised }, out);
            }
        }
    }

    /// A promise for our round: count it, remember the highest-numbered proposal reported, and
    /// go to phase 2 on a majority. Promises for any other ballot are outdated.
    fn handle_promise(
        &mut self,
        from: NodeId,
        ballot: Ballot,
        accepted: Option<(Ballot, Command)>,
        out: &mut PaxosOutbox,
    ) {
        let needed = self.cluster.majority();
        let Proposer::Preparing { ballot: mine, promises, highest } = &mut self.proposer else {
            self.note(out, || PaxosEvent::IgnoredStale { from, kind: MsgKind::Promise, ballot });
            return;
        };
        if *mine != ballot {
            self.note(out, || PaxosEvent::IgnoredStale { from, kind: MsgKind::Promise, ballot });
            return;
        }
        if !promises.insert(from) {
            return; // A duplicate.
        }
        if let Some(report) = accepted {
            if highest.as_ref().is_none_or(|(b, _)| report.0 > *b) {
                *highest = Some(report);
            }
        }
        let promises = promises.count();
        self.note(out, || PaxosEvent::PromiseReceived { from, promises, needed });
        self.maybe_start_phase_two(out);
    }

    /// A refusal of our round: "a proposer should abandon a proposal if some proposer has begun
    /// trying to issue a higher-numbered one" (§2.4). Back off; the next round goes above the
    /// reported promise (already noted by `see_round`). Refusals of other ballots are outdated.
    fn handle_nack(&mut self, from: NodeId, ballot: Ballot, promised: Ballot, out: &mut PaxosOutbox) {
        if self.proposer.ballot() != Some(ballot) {
            self.note(out, || PaxosEvent::IgnoredStale { from, kind: MsgKind::Nack, ballot });
            return;
        }
        self.note(out, || PaxosEvent::Nacked { from, ballot, promised });
        self.back_off(out);
    }

    /// Phase 2(b): "If an acceptor receives an accept request for a proposal numbered n, it
    /// accepts the proposal unless it has already responded to a prepare request having a
    /// number greater than n." Acceptance is announced to every learner (§2.3); a refusal is a
    /// Nack to the proposer. With [`PaxosBug::AcceptBelowPromise`] the condition is skipped.
    fn handle_accept(&mut self, proposer: NodeId, ballot: Ballot, value: Command, out: &mut PaxosOutbox) {
        match self.acceptor_accept(ballot, &value, out) {
            Ok(()) => {
                self.note(out, || PaxosEvent::AcceptedProposal { ballot, value: value.clone() });
                self.bcast_accepted(ballot, &value, out);
                let me = self.id;
                self.record_accepted(me, ballot, value, out);
                self.maybe_abandon(out);
            }
            Err(promised) => {
                self.note(out, || PaxosEvent::AcceptRejected { proposer, ballot, promised });
                self.send(proposer, PaxosMsg::Nack { ballot, promised }, out);
            }
        }
    }

    /// Learner (§2.3), and the proposer's count: `acceptor` accepted (`ballot`, `value`). "A
    /// learner … must find out that a proposal has been accepted by a majority of acceptors."
    /// Two values under one ballot cannot come from a correct proposer; the second is ignored.
    fn record_accepted(&mut self, acceptor: NodeId, ballot: Ballot, value: Command, out: &mut PaxosOutbox) {
        if let Proposer::Accepting { ballot: mine, value: v, accepted } = &mut self.proposer {
            if *mine == ballot && *v == value {
                accepted.insert(acceptor);
            }
        }
        if self.learned.as_ref().is_some_and(|(b, _)| ballot <= *b) {
            return; // Already learned at this ballot or a higher one.
        }
        let entry = self.tallies.get_or_insert_with(ballot, || (value.clone(), NodeSet::default()));
        if entry.0 != value {
            self.note(out, || PaxosEvent::IgnoredMalformed { from: acceptor, kind: MsgKind::Accepted });
            return;
        }
        entry.1.insert(acceptor);
        if entry.1.is_majority_of(self.cluster) {
            self.learn(ballot, value, out);
        }
        while self.tallies.len() > MAX_TALLIES {
            self.tallies.pop_first();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The acceptor's two rules (used for remote requests and for the node's own proposer alike).
// ---------------------------------------------------------------------------------------------
impl PaxosNode {
    /// Promises `ballot` if it is at least the current promise; returns the accepted proposal to
    /// report, or the higher promise that forbids it.
    fn acceptor_prepare(
        &mut self,
        ballot: Ballot,
        out: &mut PaxosOutbox,
    ) -> Result<Option<(Ballot, Command)>, Ballot> {
        if ballot < self.promised {
            return Err(self.promised);
        }
        if ballot > self.promised {
            self.promised = ballot;
            out.mark_dirty();
        }
        Ok(self.accepted.clone())
    }

    /// Accepts (`ballot`, `value`) unless a higher ballot was promised (the promise rises to
    /// `ballot`); returns the forbidding promise otherwise.
    fn acceptor_accept(
        &mut self,
        ballot: Ballot,
        value: &Command,
        out: &mut PaxosOutbox,
    ) -> Result<(), Ballot> {
        let ignore_promise = self.config.bug == Some(PaxosBug::AcceptBelowPromise);
        if ballot < self.promised && !ignore_promise {
            return Err(self.promised);
        }
        if ballot > self.promised {
            self.promised = ballot;
            out.mark_dirty();
        }
        let proposal = (ballot, value.clone());
        if self.accepted.as_ref() != Some(&proposal) {
            self.accepted = Some(proposal);
            out.mark_dirty();
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Proposer transitions: the only places `proposer` changes (besides counting).
// ---------------------------------------------------------------------------------------------
impl PaxosNode {
    /// Phase 1(a): "A proposer selects a proposal number n and sends a prepare request with
    /// number n to a majority of acceptors." The number is above every round this node has seen
    /// and above its own promise; its own acceptor promises it at once (persisted before the
    /// Prepare leaves). Legal from idle and backing off.
    fn start_round(&mut self, out: &mut PaxosOutbox) {
        assert!(self.proposer.ballot().is_none(), "one round at a time");
        let Some(value) = self.proposal.clone() else {
            self.proposer = Proposer::Idle;
            return;
        };
        let ballot = Ballot::next_after(self.max_round_seen.max(self.promised.round), self.id);
        // Only at round u64::MAX can the next ballot fail to exceed the promise; reusing a
        // ballot would break "different proposals have different numbers".
        if ballot <= self.promised {
            self.note(out, || PaxosEvent::NoBallotLeft);
            self.proposer = Proposer::Idle;
            return;
        }
        // Above the promise, so the own acceptor promises (the same rule as for others).
        let own = self.acceptor_prepare(ballot, out).ok().flatten();
        self.see_round(ballot.round);
        self.proposer = Proposer::Preparing { ballot, promises: NodeSet::of(self.id), highest: own };
        self.note(out, || PaxosEvent::RoundStarted { ballot, value });
        out.cancel_timer(PaxosTimer::Retry);
        let timeout = self.config.round_timeout;
        out.set_timer(PaxosTimer::Round, timeout, timeout);
        for peer in self.cluster.peers(self.id) {
            self.send(peer, PaxosMsg::Prepare { ballot }, out);
        }
        // A cluster of one is its own majority.
        self.maybe_start_phase_two(out);
    }

    /// Phase 2(a) once a majority has promised: "the proposer then sends an accept request to
    /// each of those acceptors for a proposal numbered n with a value v, where v is the value of
    /// the highest-numbered proposal among the responses, or is any value if the responses
    /// reported no proposals." The node's own acceptor accepts first; if it has meanwhile
    /// promised a higher ballot, the round is abandoned. With
    /// [`PaxosBug::IgnorePromisedValues`] the reported proposals are ignored. Says whether it
    /// started phase 2.
    fn maybe_start_phase_two(&mut self, out: &mut PaxosOutbox) -> bool {
        let Proposer::Preparing { ballot, promises, highest } = &self.proposer else {
            return false;
        };
        if !promises.is_majority_of(self.cluster) {
            return false;
        }
        let ballot = *ballot;
        let Some(own) = self.proposal.clone() else {
            return false;
        };
        let reports =
            if self.config.bug == Some(PaxosBug::IgnorePromisedValues) { None } else { highest.as_ref() };
        let (value, adopted) = value_to_propose(core::iter::once(reports), &own);
        let value = value.clone();
        self.note(out, || PaxosEvent::PhaseTwo { ballot, value: value.clone(), adopted });
        if let Err(promised) = self.acceptor_accept(ballot, &value, out) {
            let me = self.id;
            self.proposer = Proposer::Accepting { ballot, value, accepted: NodeSet::default() };
            self.note(out, || PaxosEvent::Nacked { from: me, ballot, promised });
            self.back_off(out);
            return true;
        }
        self.proposer = Proposer::Accepting { ballot, value: value.clone(), accepted: NodeSet::default() };
        for peer in self.cluster.peers(self.id) {
            self.send(peer, PaxosMsg::Accept { ballot, value: value.clone() }, out);
        }
        self.bcast_accepted(ballot, &value, out);
        let me = self.id;
        self.record_accepted(me, ballot, value, out);
        true
    }

    /// §2.4: "a proposer should abandon a proposal if some proposer has begun trying to issue a
    /// higher-numbered one". A node learns that first through its own acceptor: once it has
    /// promised (or accepted) a ballot above the round in progress, that round is abandoned.
    /// Says whether it was.
    ///
    /// This is also what makes dueling proposers livelock when the retry delay is fixed and
    /// shorter than a message's flight: each one's new Prepare reaches the other's acceptor, which
    /// abandons and retries above it, before either round's Accept arrives. A randomised back-off
    /// lets one round finish.
    fn maybe_abandon(&mut self, out: &mut PaxosOutbox) -> bool {
        match self.proposer.ballot() {
            Some(ballot) if ballot < self.promised => {
                let promised = self.promised;
                self.note(out, || PaxosEvent::Abandoned { ballot, promised });
                self.back_off(out);
                true
            }
            _ => false,
        }
    }

    /// The round failed (refused or timed out): wait, then try again with a higher ballot.
    fn back_off(&mut self, out: &mut PaxosOutbox) {
        let Some(after) = self.proposer.ballot() else {
            return;
        };
        self.proposer = Proposer::BackingOff { after };
        out.cancel_timer(PaxosTimer::Round);
        let (min, max) = self.config.retry_range();
        out.set_timer(PaxosTimer::Retry, min, max);
        self.note(out, || PaxosEvent::BackedOff { after, min, max });
    }

    /// A majority accepted (`ballot`, `value`): the value is chosen. A proposer still trying
    /// stops: whatever it proposes can only be this value again.
    fn learn(&mut self, ballot: Ballot, value: Command, out: &mut PaxosOutbox) {
        self.tallies.retain(|b, _| *b > ballot);
        self.note(out, || PaxosEvent::Learned { ballot, value: value.clone() });
        self.learned = Some((ballot, value));
        if self.proposer != Proposer::Idle {
            self.proposer = Proposer::Idle;
            out.cancel_timer(PaxosTimer::Round);
            out.cancel_timer(PaxosTimer::Retry);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers: sending, persisting, notes.
// ---------------------------------------------------------------------------------------------
impl PaxosNode {
    fn see_round(&mut self, round: u64) {
        self.max_round_seen = self.max_round_seen.max(round);
    }

    /// Phase 2(b)'s announcement: our acceptor accepted (`ballot`, `value`); every other node is
    /// a learner.
    fn bcast_accepted(&mut self, ballot: Ballot, value: &Command, out: &mut PaxosOutbox) {
        for peer in self.cluster.peers(self.id) {
            self.send(peer, PaxosMsg::Accepted { ballot, value: value.clone() }, out);
        }
    }

    /// Queues a message, persisting first if the durable state changed.
    fn send(&mut self, to: NodeId, msg: PaxosMsg, out: &mut PaxosOutbox) {
        self.flush_persist(out);
        out.send(to, msg);
    }

    /// Persists the durable state if it changed since the last persist (the outbox keeps the
    /// dirty flag).
    fn flush_persist(&self, out: &mut PaxosOutbox) {
        out.persist_if_dirty(|| self.durable());
    }

    fn note(&self, out: &mut PaxosOutbox, event: impl FnOnce() -> PaxosEvent) {
        out.note(|| PaxosNote { node: self.id, event: event() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::basic::safety::{PaxosChecker, AGREEMENT};
    use alloc::vec;
    use alloc::vec::Vec;
    use ballot_core::testkit::{
        boot, deliver, fire, notes, persist_before_send, persists, sends, set, step, EffectOf, Net,
    };
    use ballot_core::{Duration, Effect, Lang, Narrate, Prng, TimerRange};

    type Fx = Vec<EffectOf<PaxosNode>>;
    type PaxosNet = Net<PaxosNode, PaxosChecker>;

    fn b(round: u64, proposer: u8) -> Ballot {
        Ballot::new(round, NodeId(proposer))
    }

    fn acceptor(
        id: u8,
        size: u8,
        config: &PaxosConfig,
        promised: Ballot,
        accepted: Option<(Ballot, Command)>,
    ) -> PaxosNode {
        boot::<PaxosNode>(id, size, config, PaxosDurable { promised, accepted }).0
    }

    fn fresh(id: u8, size: u8) -> PaxosNode {
        acceptor(id, size, &PaxosConfig::default(), Ballot::ZERO, None)
    }

    fn client(node: &mut PaxosNode, value: Command) -> Fx {
        let (r, fx) = step(node, Input::Client(value));
        assert_eq!(r, Ok(()));
        fx
    }

    fn net(size: u8, config: PaxosConfig) -> PaxosNet {
        Net::new(size, config, PaxosChecker::new(Cluster::new(size)))
    }

    fn events(fx: &Fx) -> Vec<PaxosEvent> {
        notes(fx).into_iter().map(|n| n.event).collect()
    }

    /// Phase 1(b): promise a ballot above every earlier promise; refuse (with the promise) one
    /// below. Ballots order by round, then proposer. Reference: Paxos Made Simple §2.2.
    #[test]
    fn prepare_is_promised_or_refused_by_ballot_order() {
        let mut a = acceptor(2, 3, &PaxosConfig::default(), b(3, 1), None);
        let fx = deliver(&mut a, 3, PaxosMsg::Prepare { ballot: b(4, 3) });
        persist_before_send(&fx);
        assert_eq!(sends(&fx), vec![(NodeId(3), PaxosMsg::Promise { ballot: b(4, 3), accepted: None })]);
        assert_eq!(a.promised(), b(4, 3));
        for lower in [b(3, 1), b(4, 1)] {
            let fx = deliver(&mut a, 1, PaxosMsg::Prepare { ballot: lower });
            assert_eq!(sends(&fx), vec![(NodeId(1), PaxosMsg::Nack { ballot: lower, promised: b(4, 3) })]);
            assert!(!persists(&fx));
        }
        assert_eq!(a.promised(), b(4, 3), "a refusal changes nothing");
        let note = notes(&deliver(&mut a, 1, PaxosMsg::Prepare { ballot: b(3, 1) })).remove(0);
        assert_eq!(note.narrate(Lang::En), "S2 rejects Prepare(3.1): promised 4.3");
        // A duplicated Prepare of the promised ballot is answered again, with nothing to persist.
        let fx = deliver(&mut a, 3, PaxosMsg::Prepare { ballot: b(4, 3) });
        assert!(matches!(sends(&fx)[..], [(_, PaxosMsg::Promise { .. })]));
        assert!(!persists(&fx));
    }

    /// Phase 1(b) reports "the highest-numbered proposal (if any) that it has accepted".
    #[test]
    fn a_promise_reports_the_accepted_proposal() {
        let mut a = acceptor(3, 3, &PaxosConfig::default(), b(2, 2), Some((b(2, 2), set("x", "1"))));
        let fx = deliver(&mut a, 1, PaxosMsg::Prepare { ballot: b(5, 1) });
        assert_eq!(
            sends(&fx),
            vec![(
                NodeId(1),
                PaxosMsg::Promise { ballot: b(5, 1), accepted: Some((b(2, 2), set("x", "1"))) }
            )]
        );
    }

    /// Phase 2(b): "it accepts the proposal unless it has already responded to a prepare
    /// request having a number greater than n". The broken variant accepts anyway.
    #[test]
    fn an_accept_below_the_promise_is_refused() {
        let config = PaxosConfig::default();
        let mut a = acceptor(2, 3, &config, b(4, 3), None);
        let fx = deliver(&mut a, 1, PaxosMsg::Accept { ballot: b(3, 1), value: set("x", "1") });
        assert_eq!(sends(&fx), vec![(NodeId(1), PaxosMsg::Nack { ballot: b(3, 1), promised: b(4, 3) })]);
        assert_eq!(a.accepted(), None);
        assert!(events(&fx).contains(&PaxosEvent::AcceptRejected {
            proposer: NodeId(1),
            ballot: b(3, 1),
            promised: b(4, 3)
        }));

        // At or above the promise: accepted, persisted first, announced to every other node.
        let fx = deliver(&mut a, 3, PaxosMsg::Accept { ballot: b(4, 3), value: set("x", "2") });
        persist_before_send(&fx);
        let acc = PaxosMsg::Accepted { ballot: b(4, 3), value: set("x", "2") };
        assert_eq!(sends(&fx), vec![(NodeId(1), acc.clone()), (NodeId(3), acc)]);
        assert_eq!(a.accepted(), Some(&(b(4, 3), set("x", "2"))));
        deliver(&mut a, 1, PaxosMsg::Accept { ballot: b(5, 1), value: set("x", "2") });
        assert_eq!(a.promised(), b(5, 1), "accepting raises the promise");

        let bug = PaxosConfig { bug: Some(PaxosBug::AcceptBelowPromise), ..config };
        let mut a = acceptor(2, 3, &bug, b(4, 3), None);
        deliver(&mut a, 1, PaxosMsg::Accept { ballot: b(3, 1), value: set("x", "1") });
        assert_eq!(a.accepted(), Some(&(b(3, 1), set("x", "1"))), "the broken acceptor accepts");
        assert_eq!(a.promised(), b(4, 3));
    }

    /// Phase 2(a): the value is "the value of the highest-numbered proposal among the
    /// responses", the proposer's own only if none was reported. The broken variant ignores the
    /// responses.
    #[test]
    fn phase_two_adopts_the_highest_reported_value() {
        for bug in [None, Some(PaxosBug::IgnorePromisedValues)] {
            let config = PaxosConfig { bug, ..PaxosConfig::default() };
            let mut p = acceptor(1, 5, &config, b(5, 2), None);
            let fx = client(&mut p, set("x", "9"));
            persist_before_send(&fx);
            assert_eq!(p.ballot(), Some(b(6, 1)), "above its own promise");
            assert_eq!(p.promised(), b(6, 1), "its own acceptor promised first");
            assert_eq!(sends(&fx).len(), 4);
            assert_eq!((p.phase(), p.promise_count(), p.quorum()), (Phase::Prepare, 1, 3));
            let promise =
                |r, q, v| PaxosMsg::Promise { ballot: b(6, 1), accepted: Some((b(r, q), set("x", v))) };
            deliver(&mut p, 2, promise(2, 2, "1"));
            assert_eq!(p.phase(), Phase::Prepare);
            let fx = deliver(&mut p, 3, promise(4, 3, "3"));
            let expected = if bug.is_some() { set("x", "9") } else { set("x", "3") };
            assert_eq!(p.phase(), Phase::Accept, "{bug:?}");
            assert_eq!(p.accepted(), Some(&(b(6, 1), expected.clone())), "own acceptor accepts first");
            persist_before_send(&fx);
            let out = sends(&fx);
            assert_eq!(out.len(), 8, "Accept and Accepted to each of four peers");
            assert!(out[..4]
                .iter()
                .all(|(_, m)| *m == PaxosMsg::Accept { ballot: b(6, 1), value: expected.clone() }));
            assert_eq!(p.accept_count(), 1);
            let adopted = if bug.is_some() { None } else { Some(b(4, 3)) };
            assert!(events(&fx).contains(&PaxosEvent::PhaseTwo {
                ballot: b(6, 1),
                value: expected,
                adopted
            }));
        }
    }

    #[test]
    fn stale_and_duplicate_promises_are_not_counted() {
        let mut p = fresh(1, 5);
        client(&mut p, set("x", "1"));
        let fx = deliver(&mut p, 2, PaxosMsg::Promise { ballot: b(1, 1), accepted: None });
        assert!(events(&fx)
            .iter()
            .any(|e| matches!(e, PaxosEvent::PromiseReceived { promises: 2, needed: 3, .. })));
        deliver(&mut p, 2, PaxosMsg::Promise { ballot: b(1, 1), accepted: None });
        assert_eq!(p.promise_count(), 2, "a duplicate counts once");
        // A promise for a ballot that is not ours is malformed; an old ballot of ours is stale.
        let fx = deliver(&mut p, 3, PaxosMsg::Promise { ballot: b(1, 2), accepted: None });
        assert_eq!(
            events(&fx),
            vec![PaxosEvent::IgnoredMalformed { from: NodeId(3), kind: MsgKind::Promise }]
        );
        fire(&mut p, PaxosTimer::Round);
        fire(&mut p, PaxosTimer::Retry);
        assert_eq!(p.ballot(), Some(b(2, 1)));
        let fx = deliver(&mut p, 3, PaxosMsg::Promise { ballot: b(1, 1), accepted: None });
        assert_eq!(
            events(&fx),
            vec![PaxosEvent::IgnoredStale { from: NodeId(3), kind: MsgKind::Promise, ballot: b(1, 1) }]
        );
        assert_eq!(p.promise_count(), 1);
    }

    /// §2.4: a refused proposer abandons its round and, after a back-off requested as a range,
    /// tries again above the promise it was told about.
    #[test]
    fn a_refusal_backs_off_then_retries_above_the_promise() {
        for backoff in [true, false] {
            let config = PaxosConfig { backoff, ..PaxosConfig::default() };
            let mut p = acceptor(1, 3, &config, Ballot::ZERO, None);
            client(&mut p, set("x", "1"));
            let fx = deliver(&mut p, 3, PaxosMsg::Nack { ballot: b(1, 1), promised: b(7, 3) });
            assert_eq!(p.phase(), Phase::Backoff);
            assert!(fx.contains(&Effect::CancelTimer(PaxosTimer::Round)));
            let max = if backoff { Duration::from_millis(200) } else { Duration::from_millis(20) };
            let after = TimerRange { min: Duration::from_millis(20), max };
            assert!(fx.contains(&Effect::SetTimer { timer: PaxosTimer::Retry, after }), "{fx:?}");
            // A late refusal of the same ballot, and a stale round timer, change nothing.
            let fx = deliver(&mut p, 2, PaxosMsg::Nack { ballot: b(1, 1), promised: b(7, 3) });
            assert!(matches!(events(&fx)[..], [PaxosEvent::IgnoredStale { .. }]));
            assert!(fire(&mut p, PaxosTimer::Round).is_empty());
            let fx = fire(&mut p, PaxosTimer::Retry);
            assert_eq!(p.ballot(), Some(b(8, 1)));
            assert!(sends(&fx).iter().all(|(_, m)| *m == PaxosMsg::Prepare { ballot: b(8, 1) }));
            assert_eq!(p.proposal(), Some(&set("x", "1")), "the same value");
        }
    }

    #[test]
    fn a_round_that_times_out_backs_off() {
        let mut p = fresh(2, 3);
        let fx = client(&mut p, set("x", "1"));
        let t = PaxosConfig::default().round_timeout;
        assert!(fx.contains(&Effect::SetTimer { timer: PaxosTimer::Round, after: TimerRange::exactly(t) }));
        let fx = fire(&mut p, PaxosTimer::Round);
        assert_eq!(p.phase(), Phase::Backoff);
        assert!(events(&fx).contains(&PaxosEvent::RoundTimedOut { ballot: b(1, 2) }));
        assert!(fire(&mut fresh(3, 3), PaxosTimer::Retry).is_empty(), "idle: nothing to retry");
    }

    #[test]
    fn a_busy_proposer_keeps_its_value() {
        let mut p = fresh(1, 3);
        client(&mut p, set("x", "1"));
        let fx = client(&mut p, set("x", "2"));
        assert_eq!(events(&fx), vec![PaxosEvent::ClientBusy { value: set("x", "2"), ballot: b(1, 1) }]);
        assert!(sends(&fx).is_empty());
        assert_eq!(p.proposal(), Some(&set("x", "1")));
    }

    /// §2.3: the acceptor's promise and accepted proposal survive a restart; the rest does not.
    /// A restarted proposer uses a ballot above every ballot it used before.
    #[test]
    fn restart_keeps_the_acceptor_state_and_ballots_stay_unique() {
        let mut net = net(3, PaxosConfig::default());
        net.client(1, set("x", "1")).unwrap();
        net.deliver_all();
        let before = net.node(1).durable();
        assert_eq!(before.accepted, Some((b(1, 1), set("x", "1"))));
        net.crash(NodeId(1));
        net.restart(NodeId(1));
        let n = net.node(1);
        assert_eq!(n.durable(), before);
        assert_eq!(n.durable_digest(), before.digest());
        assert_eq!((n.phase(), n.chosen(), n.proposal()), (Phase::Idle, None, None));
        net.client(1, set("x", "2")).unwrap();
        assert_eq!(net.node(1).ballot(), Some(b(2, 1)), "above its own persisted promise");
        net.deliver_all();
        assert_eq!(net.node(1).chosen(), Some(&set("x", "1")), "the chosen value stays chosen");
        assert!(net.violations.is_empty(), "{:?}", net.violations);
    }

    #[test]
    fn durable_digest_changes_with_every_durable_field() {
        let n = acceptor(1, 3, &PaxosConfig::default(), b(1, 1), None);
        let mut other = n.clone();
        other.promised = b(2, 1);
        assert_ne!(n.durable_digest(), other.durable_digest());
        let mut other = n.clone();
        other.accepted = Some((b(1, 1), Command::Noop));
        assert_ne!(n.durable_digest(), other.durable_digest());
        let mut other = n.clone();
        other.proposal = Some(Command::Noop);
        assert_eq!(n.durable_digest(), other.durable_digest(), "volatile");
    }

    /// One proposer, three nodes, message by message: every learner learns the value.
    #[test]
    fn a_single_proposer_gets_its_value_chosen_everywhere() {
        let mut net = net(3, PaxosConfig::default());
        net.client(2, set("x", "5")).unwrap();
        assert_eq!(net.wire.len(), 2, "Prepare to S1 and S3");
        net.deliver(0);
        net.deliver(0);
        assert_eq!(net.node(1).promised(), b(1, 2));
        net.deliver(0); // S1's promise: a majority with S2's own.
        assert_eq!(net.node(2).phase(), Phase::Accept);
        net.deliver_all();
        for id in 1..=3 {
            assert_eq!(net.node(id).chosen(), Some(&set("x", "5")), "S{id}");
            assert_eq!(net.node(id).accepted(), Some(&(b(1, 2), set("x", "5"))));
        }
        assert_eq!(net.node(2).phase(), Phase::Idle, "done");
        assert!(net.armed[1].is_empty(), "timers cancelled");
        assert_eq!(net.checker.chosen(), Some(&(b(1, 2), set("x", "5"))));
        assert!(net.violations.is_empty(), "{:?}", net.violations);
    }

    #[test]
    fn a_cluster_of_one_chooses_alone() {
        let mut p = fresh(1, 1);
        let fx = client(&mut p, set("x", "1"));
        assert!(sends(&fx).is_empty());
        assert_eq!(p.chosen(), Some(&set("x", "1")));
    }

    /// A second proposer must adopt the first one's value: "if a proposal with value v is
    /// chosen, then every higher-numbered proposal issued by any proposer has value v" (P2b).
    /// With the broken variant it does not, and the checker reports two chosen values.
    #[test]
    fn a_second_proposer_adopts_the_chosen_value() {
        for bug in [None, Some(PaxosBug::IgnorePromisedValues)] {
            let mut net = net(3, PaxosConfig { bug, ..PaxosConfig::default() });
            net.client(1, set("x", "1")).unwrap();
            net.deliver_all();
            net.client(3, set("x", "3")).unwrap();
            net.deliver_all();
            if bug.is_none() {
                assert!(net.violations.is_empty(), "{:?}", net.violations);
                for id in 1..=3 {
                    assert_eq!(net.node(id).learned(), Some(&(b(2, 3), set("x", "1"))));
                }
            } else {
                assert_eq!(net.violations.first().map(|v| v.property), Some(AGREEMENT));
            }
        }
    }

    /// Garbled messages (any field, any sender) never make a node panic.
    #[test]
    fn garbled_messages_do_not_panic() {
        let mut rng = Prng::new(7);
        let ballot = |rng: &mut Prng| {
            let round = match rng.below(4) {
                0 => 0,
                1 => rng.below(5),
                2 => u64::MAX - rng.below(2),
                _ => rng.next_u64(),
            };
            Ballot::new(round, NodeId(rng.below(5) as u8))
        };
        for round in 0..200u64 {
            let mut node = acceptor(1, 3, &PaxosConfig::default(), Ballot::ZERO, None);
            if round % 2 == 1 {
                client(&mut node, set("x", "1"));
            }
            for _ in 0..40 {
                let from = NodeId(rng.below(5) as u8);
                let value = if rng.chance(1, 2) { Command::Noop } else { set("x", "2") };
                let acc = rng.chance(1, 2).then(|| (ballot(&mut rng), value.clone()));
                let msg = match rng.below(5) {
                    0 => PaxosMsg::Prepare { ballot: ballot(&mut rng) },
                    1 => PaxosMsg::Promise { ballot: ballot(&mut rng), accepted: acc },
                    2 => PaxosMsg::Nack { ballot: ballot(&mut rng), promised: ballot(&mut rng) },
                    3 => PaxosMsg::Accept { ballot: ballot(&mut rng), value },
                    _ => PaxosMsg::Accepted { ballot: ballot(&mut rng), value },
                };
                let before = node.promised();
                deliver(&mut node, from.0, msg);
                assert!(node.promised() >= before);
                if rng.chance(1, 4) {
                    client(&mut node, Command::Noop);
                }
                for t in [PaxosTimer::Round, PaxosTimer::Retry] {
                    if rng.chance(1, 6) {
                        fire(&mut node, t);
                    }
                }
                assert!(node.tallies().len() <= MAX_TALLIES);
            }
        }
        // Round u64::MAX: no ballot is left, and the proposer says so instead of reusing one.
        let mut p = acceptor(1, 3, &PaxosConfig::default(), Ballot::new(u64::MAX, NodeId(3)), None);
        let fx = client(&mut p, set("x", "1"));
        assert_eq!(events(&fx), vec![PaxosEvent::NoBallotLeft]);
        assert_eq!(p.phase(), Phase::Idle);
    }

    /// A random run of the test network: reordering, duplication, loss, timers, client commands,
    /// crashes and restarts. Returns the network at the end.
    pub(crate) fn swarm(seed: u64, size: u8, config: PaxosConfig, steps: u32) -> PaxosNet {
        let mut rng = Prng::new(seed);
        let mut net = net(size, config);
        for _ in 0..steps {
            if !net.violations.is_empty() {
                break;
            }
            let roll = rng.below(100);
            let id = NodeId::from_index(rng.below(u64::from(size)) as usize);
            if roll < 70 && !net.wire.is_empty() {
                let k = rng.below(net.wire.len() as u64) as usize;
                if rng.chance(1, 10) {
                    let copy = net.wire[k].clone();
                    net.wire.push(copy);
                }
                if rng.chance(1, 15) {
                    net.wire.remove(k);
                } else {
                    net.deliver(k);
                }
            } else if roll < 82 {
                for t in [PaxosTimer::Round, PaxosTimer::Retry] {
                    if net.armed[id.index()].contains(&t) && rng.chance(1, 2) {
                        net.fire(id.0, t);
                    }
                }
            } else if roll < 92 {
                let value = set(["x", "y"][rng.below(2) as usize], &alloc::format!("{}", rng.below(50)));
                let _ = net.client(id.0, value);
            } else if roll < 95 {
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
            } else if net.nodes[id.index()].is_none() {
                net.restart(id);
            }
        }
        net
    }

    #[test]
    fn swarm_of_correct_paxos_finds_no_violation() {
        let mut chosen = 0;
        for seed in 0..60 {
            let net = swarm(seed, 3 + (seed % 3) as u8, PaxosConfig::default(), 1_500);
            assert!(net.violations.is_empty(), "seed {seed}: {:?}", net.violations);
            chosen += u32::from(net.checker.chosen().is_some());
        }
        assert!(chosen >= 50, "only {chosen} of 60 runs chose a value");
    }

    #[test]
    fn swarm_catches_each_bug() {
        // The test network asserts the persistence contract by panicking (see the next test);
        // the simulator's swarm catches `promise-before-persist` as a violation.
        for bug in PaxosBug::ALL.into_iter().filter(|&b| b != PaxosBug::PromiseBeforePersist) {
            let config = PaxosConfig { bug: Some(bug), ..PaxosConfig::default() };
            let caught = (0..200).find(|&seed| !swarm(seed, 3, config.clone(), 1_500).violations.is_empty());
            assert!(caught.is_some(), "{bug} not caught");
        }
    }

    /// With [`PaxosBug::PromiseBeforePersist`] the Promise leaves while the promised ballot is
    /// in memory only: the test network's persist-before-send assertion fails.
    #[test]
    #[should_panic(expected = "S2 changed its durable state: no Persist")]
    fn a_promise_before_persisting_breaks_the_contract() {
        let config = PaxosConfig { bug: Some(PaxosBug::PromiseBeforePersist), ..PaxosConfig::default() };
        let mut net = Net::new(3, config, PaxosChecker::new(Cluster::new(3)));
        net.client(1, set("x", "5")).unwrap();
        net.deliver_all();
    }
}
