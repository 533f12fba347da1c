//! The simulated world: nodes, timers, the network and the checker, driven by one seed.
//!
//! ```text
//!   interventions (Action) ──▶ World::act ──┐
//!                                           ▼
//!   event queue = in-flight envelopes (by arrival) ∪ armed timers ── World::step ──▶ Node::step ──▶ effects
//!        ▲                                                                   │
//!        └──────────── Send / SetTimer / CancelTimer ◀───────────────────────┘
//!                                           │
//!                                     Checker::check after every step
//! ```
//!
//! Each node has stable storage: the value its last `Persist` carried. A crash keeps exactly that,
//! never the node's memory, and a restart boots from it; after every step the world checks the
//! persistence contract against the order of the effects (see `apply_effects`).
//!
//! Time jumps from event to event. Ties are broken by a fixed rule (deliveries before timers,
//! then envelope id, node id and timer), so a (config, seed, interventions) triple determines the
//! whole run on every target.
//!
//! Finding the next event costs O(log m) for m messages in flight (they are indexed by arrival
//! time) plus a look at the armed timers, of which each node has at most a few. Work is bounded
//! by an event limit ([`World::set_event_limit`]): once that many events have been processed the
//! world stops, and says so ([`World::out_of_events`]), instead of running on.

use crate::action::{Action, Hold, Intervention};
use crate::network::{DropReason, Envelope, NetConfig, Reachability};
use crate::protocol::Protocol;
use crate::trace::{NetChange, TraceEvent, TraceKind};
use alloc::collections::{vec_deque, BinaryHeap, VecDeque};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use ballot_core::hash::stable_hash;
use ballot_core::node::{InputOf, Message, OutboxOf};
use ballot_core::{
    Checker, ClientError, Cluster, Effect, Input, Instant, Node, NodeId, Prng, VecMap, Violation,
};
use core::cmp::Reverse;

/// The timer type of protocol `P`.
pub type TimerOf<P> = <<P as Protocol>::Node as Node>::Timer;
/// A per-link override ([`Action::SetLinkNet`]): ((from, to), parameters), `None` = any node.
pub type LinkNet = ((Option<NodeId>, Option<NodeId>), NetConfig);

/// The message type of protocol `P`.
pub type MsgOf<P> = <<P as Protocol>::Node as Node>::Msg;

/// The sim-level property every protocol must keep: durable state changes are persisted before
/// any message of the same step leaves, and by the end of the step (the [`ballot_core::node`]
/// ordering contract). Defined in `ballot-core`, so a protocol's broken variant can name it.
pub use ballot_core::check::PERSIST_BEFORE_SEND;

/// Everything that defines a run besides the interventions.
#[derive(Clone, Debug)]
pub struct SimConfig<P: Protocol> {
    /// The nodes.
    pub cluster: Cluster,
    /// Protocol parameters.
    pub node: <P::Node as Node>::Config,
    /// Network parameters at the start.
    pub net: NetConfig,
    /// The one seed everything random derives from.
    pub seed: u64,
}

impl<P: Protocol> SimConfig<P> {
    /// `size` nodes, the protocol's defaults, the default network.
    pub fn new(size: u8, seed: u64) -> Self {
        SimConfig { cluster: Cluster::new(size), node: P::default_config(), net: NetConfig::default(), seed }
    }
}

/// A timer as armed: when it was set and when it fires (the view draws the arc between them).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ArmedTimer {
    /// When it was (re)armed.
    pub set_at: Instant,
    /// When it fires.
    pub fires_at: Instant,
}

/// Counters over the whole run.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Stats {
    /// Messages put on the network (copies included).
    pub sent: u64,
    /// Messages handed to their recipient.
    pub delivered: u64,
    /// Messages that did not arrive.
    pub dropped: u64,
    /// Timers that fired.
    pub timers_fired: u64,
}

/// One event the model checker can choose, ignoring time.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Choice<T> {
    /// Deliver the envelope with this id (or find it undeliverable).
    Deliver(u64),
    /// Fire this node's timer.
    Fire(NodeId, T),
    /// Crash this node.
    Crash(NodeId),
    /// Restart this crashed node.
    Restart(NodeId),
}

#[derive(Clone, Copy, Debug)]
enum Next<T> {
    Deliver(u64),
    Fire(NodeId, T),
}

/// Where node `id` is in a per-node `Vec`. `S0`, which no cluster has (a scenario may name it;
/// [`NodeId::index`] would underflow), maps to 255, which no node has either (ids are `u8`, so
/// the last index is 254).
fn slot(id: NodeId) -> usize {
    usize::from(id.0.wrapping_sub(1))
}

/// A running simulation of protocol `P`. `Clone` is a checkpoint.
///
/// Two parts: [`SystemState`], the state of the simulated system (what a model checker explores and
/// [`World::state_digest`] covers), and [`RunBook`], how this run got there (the clock, the PRNG,
/// the interventions, the trace, the statistics). The network's parameters (`net`, `link_net`) are
/// settings, in neither.
#[derive(Clone, Debug)]
pub struct World<P: Protocol> {
    config: SimConfig<P>,
    net: NetConfig,
    /// Per-link network parameters ([`Action::SetLinkNet`]) by (from, to), `None` = any.
    link_net: Vec<LinkNet>,
    state: SystemState<P>,
    run: RunBook<P>,
}

/// The state of the simulated system: the nodes, their stable storage, the messages in flight,
/// the armed timers, who can reach whom, the holds, and what the invariant checker remembers with
/// the violations it found. Everything a step's outcome or a verdict depends on, and nothing
/// about how the run got here; [`SystemState::digest`] hashes it without the timing the envelopes
/// and timers also carry (arrival and firing instants, which only the scheduler reads).
#[derive(Clone, Debug)]
struct SystemState<P: Protocol> {
    /// `None` while crashed.
    nodes: Vec<Option<P::Node>>,
    /// Each node's stable storage: the value of its last `Persist` (what it booted with before
    /// the first). A crash keeps it, whatever the node held in memory; a restart boots from it.
    stored: Vec<<P::Node as Node>::Durable>,
    /// `Node::durable_digest_of` each `stored` value.
    persisted_digest: Vec<u64>,
    /// Per node, its armed timers by kind (one or two).
    timers: Vec<VecMap<TimerOf<P>, ArmedTimer>>,
    /// The envelopes in flight by id: slot `i` holds envelope `first_id + i` if it is still in
    /// flight. Ids grow in send order, so a new one goes at the back, and the front is trimmed
    /// as the oldest arrive: finding, adding and removing one cost O(1).
    in_flight: VecDeque<Option<Envelope<MsgOf<P>>>>,
    /// The id of `in_flight[0]`.
    first_id: u64,
    /// How many slots of `in_flight` are full.
    in_flight_count: usize,
    reach: Reachability,
    /// Active holds ([`Action::Hold`]).
    holds: Vec<Hold>,
    /// Messages a hold kept back when they came due, in the order they did.
    held: Vec<Envelope<MsgOf<P>>>,
    checker: P::Checker,
    violations: Vec<Violation>,
}

/// How a run got where it is: virtual time, events processed, the PRNG, the schedule of
/// arrivals, the interventions, the trace and the statistics. None of it is part of the
/// system's state ([`SystemState`]); two runs that reach the same state by different ways differ
/// only here.
#[derive(Clone, Debug)]
struct RunBook<P: Protocol> {
    now: Instant,
    events: u64,
    rng: Prng,
    /// (arrival time, id) of exactly the envelopes in flight, earliest on top: the next delivery.
    arrivals: BinaryHeap<Reverse<(Instant, u64)>>,
    /// Processing stops once `events` reaches it.
    event_limit: u64,
    next_envelope_id: u64,
    history: Vec<Intervention<P::Node>>,
    trace: VecDeque<TraceEvent<P::Node>>,
    trace_limit: usize,
    trace_total: u64,
    /// The buffer a node's step writes its effects into (empty between steps).
    outbox: OutboxOf<P::Node>,
    stats: Stats,
}

impl<P: Protocol> SystemState<P> {
    /// [`World::state_digest`]: the nodes, the stable storage, the messages in flight (sender,
    /// recipient, lost or not, payload; in send order), the armed timers' names, reachability and
    /// [`SystemState::history_digest`], combined with the holds and held messages if any.
    fn digest(&self) -> u64 {
        let msgs: Vec<(NodeId, NodeId, bool, &MsgOf<P>)> =
            self.in_flight.iter().flatten().map(|e| (e.from, e.to, e.lost, &e.msg)).collect();
        let timers: Vec<Vec<&TimerOf<P>>> = self.timers.iter().map(|m| m.keys().collect()).collect();
        self.with_holds(stable_hash(&(
            &self.nodes,
            &self.stored,
            msgs,
            timers,
            &self.reach,
            self.history_digest(),
        )))
    }

    /// [`World::history_digest`]: the checker's memory and the properties already violated.
    fn history_digest(&self) -> u64 {
        let found: Vec<&'static str> = self.violations.iter().map(|v| v.property).collect();
        stable_hash(&(&self.checker, found))
    }

    /// `digest`, combined with the holds and held messages if there are any (so runs without
    /// any keep the digests they always had).
    fn with_holds(&self, digest: u64) -> u64 {
        if self.holds.is_empty() && self.held.is_empty() {
            return digest;
        }
        stable_hash(&(digest, &self.holds, &self.held))
    }
}

impl<P: Protocol> World<P> {
    /// Boots every node at time zero.
    pub fn new(config: SimConfig<P>) -> Self {
        let size = usize::from(config.cluster.size());
        let net = config.net.clamped();
        let mut world = World {
            net,
            link_net: Vec::new(),
            state: SystemState {
                nodes: Vec::with_capacity(size),
                stored: Vec::with_capacity(size),
                persisted_digest: alloc::vec![0; size],
                timers: (0..size).map(|_| VecMap::new()).collect(),
                in_flight: VecDeque::new(),
                first_id: 0,
                in_flight_count: 0,
                reach: Reachability::default(),
                holds: Vec::new(),
                held: Vec::new(),
                checker: P::checker(config.cluster),
                violations: Vec::new(),
            },
            run: RunBook {
                now: Instant::ZERO,
                events: 0,
                rng: Prng::new(config.seed),
                arrivals: BinaryHeap::new(),
                event_limit: u64::MAX,
                next_envelope_id: 1,
                history: Vec::new(),
                trace: VecDeque::new(),
                trace_limit: 0,
                trace_total: 0,
                outbox: OutboxOf::<P::Node>::default(),
                stats: Stats::default(),
            },
            config,
        };
        for id in world.config.cluster.ids() {
            world.run.outbox.keep_notes = false;
            let node = P::Node::boot(
                id,
                world.config.cluster,
                &world.config.node,
                Default::default(),
                Instant::ZERO,
                &mut world.run.outbox,
            );
            // A first boot is from a blank disk, and the state the node starts in is what that
            // disk holds (a 2PC node's blank disk reads as its role's initial state).
            world.state.persisted_digest[id.index()] = node.durable_digest();
            world.state.stored.push(node.durable());
            world.state.nodes.push(Some(node));
            world.apply_effects(id);
        }
        world
    }

    /// Keeps the last `limit` trace events (0, the default, records none: fastest).
    pub fn with_trace(mut self, limit: usize) -> Self {
        self.set_trace_limit(limit);
        self
    }

    /// Stops processing events once `limit` have been processed in all (see [`World::out_of_events`]).
    pub fn with_event_limit(mut self, limit: u64) -> Self {
        self.run.event_limit = limit;
        self
    }

    /// Changes the event limit (`u64::MAX`, the default, means none).
    pub fn set_event_limit(&mut self, limit: u64) {
        self.run.event_limit = limit;
    }

    /// The event limit (`u64::MAX` when there is none).
    pub fn event_limit(&self) -> u64 {
        self.run.event_limit
    }

    /// Whether the world stopped at its event limit with more events scheduled: time no longer
    /// moves, and whoever set the limit should say so.
    pub fn out_of_events(&self) -> bool {
        self.run.events >= self.run.event_limit && self.next().is_some()
    }

    /// How many trace events are kept (0: tracing is off).
    pub fn trace_limit(&self) -> usize {
        self.run.trace_limit
    }

    /// Changes how many trace events are kept.
    pub fn set_trace_limit(&mut self, limit: usize) {
        self.run.trace_limit = limit;
        while self.run.trace.len() > limit {
            self.run.trace.pop_front();
        }
    }

    // ----- getters -------------------------------------------------------------------------

    /// The run's configuration.
    pub fn config(&self) -> &SimConfig<P> {
        &self.config
    }
    /// The cluster.
    pub fn cluster(&self) -> Cluster {
        self.config.cluster
    }
    /// Current network parameters.
    pub fn net(&self) -> NetConfig {
        self.net
    }
    /// Virtual now.
    pub fn now(&self) -> Instant {
        self.run.now
    }
    /// Events (deliveries and timer firings) processed so far.
    pub fn events(&self) -> u64 {
        self.run.events
    }
    /// Node `id`, or `None` while it is crashed (or not in the cluster).
    pub fn node(&self, id: NodeId) -> Option<&P::Node> {
        self.state.nodes.get(slot(id)).and_then(Option::as_ref)
    }
    /// The safety checker, with what it remembers of the run.
    pub fn checker(&self) -> &P::Checker {
        &self.state.checker
    }
    /// All nodes by index; `None` for crashed ones.
    pub fn nodes(&self) -> &[Option<P::Node>] {
        &self.state.nodes
    }
    /// What crashed node `id` persisted (its durable state, which a restart boots from);
    /// `None` while it is up. The playground shows a crashed node's term and log from it.
    pub fn stored(&self, id: NodeId) -> Option<&<P::Node as Node>::Durable> {
        if self.is_up(id) {
            return None;
        }
        self.state.stored.get(slot(id))
    }

    /// What node `id`'s stable storage holds, up or down: the value of its last `Persist`.
    pub fn storage(&self, id: NodeId) -> Option<&<P::Node as Node>::Durable> {
        self.state.stored.get(slot(id))
    }
    /// Whether `id` is up.
    pub fn is_up(&self, id: NodeId) -> bool {
        self.node(id).is_some()
    }
    /// The timers `id` has armed.
    pub fn timers(&self, id: NodeId) -> impl Iterator<Item = (TimerOf<P>, ArmedTimer)> + '_ {
        self.state.timers.get(slot(id)).into_iter().flat_map(|m| m.iter().map(|(t, a)| (*t, *a)))
    }
    /// Messages in flight, oldest (lowest envelope id) first.
    pub fn in_flight(&self) -> InFlight<'_, MsgOf<P>> {
        InFlight { slots: self.state.in_flight.iter(), left: self.state.in_flight_count }
    }

    /// The in-flight message with envelope id `id`.
    pub fn envelope(&self, id: u64) -> Option<&Envelope<MsgOf<P>>> {
        let i = usize::try_from(id.checked_sub(self.state.first_id)?).ok()?;
        self.state.in_flight.get(i)?.as_ref()
    }
    /// Messages held back by a hold ([`Action::Hold`]), in the order they came due.
    pub fn held(&self) -> &[Envelope<MsgOf<P>>] {
        &self.state.held
    }
    /// The active holds: (kind, from, to), `None` matching anything.
    pub fn holds(&self) -> &[Hold] {
        &self.state.holds
    }
    /// The per-link network parameters, oldest first.
    pub fn link_nets(&self) -> &[LinkNet] {
        &self.link_net
    }
    /// The network parameters a message from `from` to `to` is sent with: the most specific
    /// per-link override (`from→to`, `from→*`, `*→to`, `*→*`), else the global ones.
    pub fn net_for(&self, from: NodeId, to: NodeId) -> NetConfig {
        if self.link_net.is_empty() {
            return self.net;
        }
        [(Some(from), Some(to)), (Some(from), None), (None, Some(to)), (None, None)]
            .iter()
            .find_map(|k| self.link_net.iter().find(|(x, _)| x == k))
            .map_or(self.net, |(_, net)| *net)
    }
    /// Partitions and cut links.
    pub fn reachability(&self) -> &Reachability {
        &self.state.reach
    }
    /// Every violation found so far (the first of each property).
    pub fn violations(&self) -> &[Violation] {
        &self.state.violations
    }
    /// The properties being checked: the protocol's and the simulator's own.
    pub fn properties(&self) -> Vec<&'static str> {
        let mut props: Vec<&'static str> = self.state.checker.properties().to_vec();
        props.push(PERSIST_BEFORE_SEND);
        props
    }
    /// The interventions applied so far, in order.
    pub fn history(&self) -> &[Intervention<P::Node>] {
        &self.run.history
    }
    /// Forgets the interventions applied so far (the model checker's worlds keep none: a
    /// counterexample's run is rebuilt from its path).
    pub fn forget_history(&mut self) {
        self.run.history.clear();
    }
    /// The kept trace, oldest first.
    pub fn trace(&self) -> impl DoubleEndedIterator<Item = &TraceEvent<P::Node>> + ExactSizeIterator {
        self.run.trace.iter()
    }
    /// How many trace events were ever recorded (kept or not).
    pub fn trace_total(&self) -> u64 {
        self.run.trace_total
    }
    /// Run counters.
    pub fn stats(&self) -> Stats {
        self.run.stats
    }

    /// A digest of the whole state (time, nodes, network, timers, violations); equal on every
    /// target for the same run. Share links and golden tests compare it.
    pub fn fingerprint(&self) -> u64 {
        let timers: Vec<Vec<(&TimerOf<P>, &ArmedTimer)>> =
            self.state.timers.iter().map(|m| m.iter().collect()).collect();
        // Hashed as the id-ordered list it always was, so fingerprints stay what they were.
        let in_flight: Vec<&Envelope<MsgOf<P>>> = self.in_flight().collect();
        let base = stable_hash(&(
            self.run.now,
            self.run.events,
            &self.state.nodes,
            &in_flight,
            &timers,
            &self.state.reach,
            &self.state.violations,
        ));
        self.state.with_holds(base)
    }

    /// A digest of the protocol state only (nodes, messages in flight regardless of timing,
    /// armed timer names, stable storage, and the checker's history with the violations found):
    /// two worlds the model checker should treat as the same state have the same digest, and the
    /// checkers judge their futures alike (the leaders per term, what was committed, chosen or
    /// decided are part of it).
    pub fn state_digest(&self) -> u64 {
        self.state.digest()
    }

    /// A digest of what the invariant checkers remember across steps (leaders per term, what
    /// was committed, chosen or decided) and of the properties already violated: a model
    /// checker must tell apart states that differ only there, or it could prune the only path
    /// to a violation.
    pub fn history_digest(&self) -> u64 {
        self.state.history_digest()
    }

    // ----- running -------------------------------------------------------------------------

    /// The next event: the earliest arrival (the lowest envelope id among equals), unless a timer
    /// fires strictly earlier (the first node's, then its first timer's, among equals).
    fn next(&self) -> Option<(Instant, Next<TimerOf<P>>)> {
        let mut best: Option<(Instant, Next<TimerOf<P>>)> =
            self.run.arrivals.peek().map(|&Reverse((at, id))| (at, Next::Deliver(id)));
        for (i, timers) in self.state.timers.iter().enumerate() {
            for (timer, armed) in timers {
                if best.as_ref().is_none_or(|(t, _)| armed.fires_at < *t) {
                    best = Some((armed.fires_at, Next::Fire(NodeId::from_index(i), *timer)));
                }
            }
        }
        best
    }

    /// When the next event happens, if anything is scheduled (`None` once the event limit is
    /// reached: nothing more will be processed).
    pub fn next_event_time(&self) -> Option<Instant> {
        if self.run.events >= self.run.event_limit {
            return None;
        }
        self.next().map(|(t, _)| t)
    }

    /// Processes exactly one event (advancing time to it). Returns false if nothing is scheduled
    /// or the event limit is reached.
    pub fn step(&mut self) -> bool {
        self.step_due_by(None)
    }

    /// [`World::step`], but only if the next event is due at or before `by` (if given): one look
    /// for the next event per event processed.
    fn step_due_by(&mut self, by: Option<Instant>) -> bool {
        if self.run.events >= self.run.event_limit {
            return false;
        }
        let Some((at, next)) = self.next() else { return false };
        if by.is_some_and(|by| at > by) {
            return false;
        }
        self.run.now = self.run.now.max(at);
        self.run.events += 1;
        match next {
            Next::Deliver(id) => {
                self.run.arrivals.pop();
                if let Some(envelope) = self.remove_in_flight(id) {
                    self.deliver(envelope);
                }
            }
            Next::Fire(id, timer) => {
                self.state.timers[id.index()].remove(&timer);
                self.fire(id, timer, false);
            }
        }
        true
    }

    /// Processes every event due at or before `t`, then sets the clock to `t` (unless the event
    /// limit stopped it first: then the clock stays at the last event, see [`World::out_of_events`]).
    pub fn run_until(&mut self, t: Instant) {
        while self.step_due_by(Some(t)) {}
        self.settle_at(t);
    }

    /// Moves the clock to `t` after running up to it, unless an event due by `t` was left
    /// unprocessed because the limit was reached.
    fn settle_at(&mut self, t: Instant) {
        if self.run.events < self.run.event_limit || self.next().is_none_or(|(next, _)| next > t) {
            self.run.now = self.run.now.max(t);
        }
    }

    /// Runs for `d` of virtual time.
    pub fn run_for(&mut self, d: ballot_core::Duration) {
        self.run_until(self.run.now + d);
    }

    /// Like [`World::run_until`], but stops once `events` have been processed in all (then the
    /// clock stays at the last event if more were due by `t`); going on later processes the same
    /// events in the same order as one uninterrupted run.
    pub fn run_until_capped(&mut self, t: Instant, events: u64) {
        let limit = self.run.event_limit;
        self.run.event_limit = limit.min(events);
        self.run_until(t);
        self.run.event_limit = limit;
    }

    /// Processes events due at or before `t` until exactly `events` have been processed in all,
    /// then sets the clock to `t`: the precise point an [`Intervention`] was recorded at.
    pub fn run_to(&mut self, t: Instant, events: u64) {
        while self.run.events < events && self.step_due_by(Some(t)) {}
        if self.run.events >= events {
            self.run.now = self.run.now.max(t);
        } else {
            self.settle_at(t);
        }
    }

    /// Rebuilds a run: a new world from `config`, with `history` applied at the recorded points,
    /// then run until `until`.
    pub fn replay(
        config: SimConfig<P>,
        history: &[Intervention<P::Node>],
        until: Instant,
        trace_limit: usize,
    ) -> Self {
        let mut world = World::new(config).with_trace(trace_limit);
        for iv in history {
            world.run_to(iv.at, iv.after_events);
            world.act(iv.action.clone());
        }
        world.run_until(until);
        world
    }

    // ----- interventions -------------------------------------------------------------------

    /// Applies `action` now and records it in the history.
    pub fn act(&mut self, action: Action<P::Node>) {
        self.run.history.push(Intervention {
            at: self.run.now,
            after_events: self.run.events,
            action: action.clone(),
        });
        match action {
            Action::Crash(id) => self.crash(id),
            Action::Restart(id) => self.restart(id),
            Action::FireTimer(id, timer) => {
                if self.is_up(id) {
                    self.state.timers[id.index()].remove(&timer);
                    self.fire(id, timer, true);
                }
            }
            Action::Request { node, command } => self.request(node, command),
            Action::Partition(groups) => {
                self.state.reach.partition(self.config.cluster.size(), &groups);
                self.record(TraceKind::Network(NetChange::Partition(groups)));
            }
            Action::Heal => {
                self.state.reach.heal();
                self.record(TraceKind::Network(NetChange::Heal));
            }
            Action::Cut(a, b) => {
                self.state.reach.cut(a, b);
                self.record(TraceKind::Network(NetChange::Cut(a, b)));
            }
            Action::Restore(a, b) => {
                self.state.reach.restore(a, b);
                self.record(TraceKind::Network(NetChange::Restore(a, b)));
            }
            Action::DropMessage(id) => {
                if let Some(e) = self.take_envelope(id) {
                    self.run.stats.dropped += 1;
                    let label = e.msg.label();
                    self.record(TraceKind::Dropped {
                        id,
                        from: e.from,
                        to: e.to,
                        label,
                        reason: DropReason::ByHand,
                    });
                }
            }
            Action::DuplicateMessage(id) => {
                if let Some(e) = self.envelope(id).cloned() {
                    self.put_on_wire(e.from, e.to, e.msg, false);
                }
            }
            Action::DelayMessage(id, by) => {
                let slot = id.checked_sub(self.state.first_id).and_then(|i| usize::try_from(i).ok());
                if let Some(e) = slot.and_then(|i| self.state.in_flight.get_mut(i)).and_then(Option::as_mut) {
                    e.deliver_at = e.deliver_at + by.min(crate::network::MAX_LATENCY);
                    self.rebuild_arrivals();
                }
            }
            Action::SetNet(net) => {
                self.net = net.clamped();
                self.record(TraceKind::Network(NetChange::Parameters));
            }
            Action::Hold { kind, from, to } => {
                self.state.holds.push((kind, from, to));
                self.record(TraceKind::Network(NetChange::Hold));
            }
            Action::Release { from, to } => {
                let covers = |w: Option<NodeId>, n: Option<NodeId>| w.is_none() || w == n;
                self.state.holds.retain(|h| !(covers(from, h.1) && covers(to, h.2)));
                self.record(TraceKind::Network(NetChange::Release));
                // What no remaining hold matches is due now, first held first out (a queue at the
                // held link); the network sends each on again under a new envelope id, so they
                // arrive in that order.
                let (free, held): (Vec<_>, Vec<_>) =
                    core::mem::take(&mut self.state.held).into_iter().partition(|e| !self.is_held(e));
                self.state.held = held;
                for mut e in free {
                    e.id = self.run.next_envelope_id;
                    self.run.next_envelope_id += 1;
                    let label = e.msg.label();
                    self.record(TraceKind::Released { id: e.id, from: e.from, to: e.to, label });
                    e.deliver_at = self.run.now;
                    self.push_envelope(e);
                }
            }
            Action::SetLinkNet(from, to, net) => {
                self.link_net.retain(|(k, _)| *k != (from, to));
                if let Some(net) = net {
                    self.link_net.push(((from, to), net.clamped()));
                }
                self.record(TraceKind::Network(NetChange::Parameters));
            }
            Action::Deliver(id) => self.apply_choice(Choice::Deliver(id)),
            Action::Fire(id, timer) => self.apply_choice(Choice::Fire(id, timer)),
        }
    }

    /// Whether an active hold keeps `e` back.
    fn is_held(&self, e: &Envelope<MsgOf<P>>) -> bool {
        let is = |w: Option<NodeId>, n: NodeId| w.is_none_or(|w| w == n);
        self.state
            .holds
            .iter()
            .any(|(k, f, t)| k.is_none_or(|k| k == e.msg.kind()) && is(*f, e.from) && is(*t, e.to))
    }

    fn crash(&mut self, id: NodeId) {
        let Some(slot) = self.state.nodes.get_mut(id.index()) else { return };
        if slot.take().is_some() {
            // Memory is gone; stable storage keeps the last value persisted (`stored`), which
            // differs from what the node held only if it broke PERSIST_BEFORE_SEND.
            self.state.timers[id.index()].clear();
            self.record(TraceKind::Crashed(id));
            self.check(id);
        }
    }

    fn restart(&mut self, id: NodeId) {
        if !self.config.cluster.contains(id) || self.is_up(id) {
            return;
        }
        let durable = self.state.stored[id.index()].clone();
        self.run.outbox.keep_notes = self.run.trace_limit > 0;
        let node = P::Node::boot(
            id,
            self.config.cluster,
            &self.config.node,
            durable,
            self.run.now,
            &mut self.run.outbox,
        );
        self.state.nodes[id.index()] = Some(node);
        self.record(TraceKind::Restarted(id));
        self.apply_effects(id);
        self.check(id);
    }

    fn request(&mut self, first: NodeId, command: P::Command) {
        // The command's text only for the trace: formatting it costs more than the request.
        let text = |traced: bool| if traced { command.to_string() } else { String::new() };
        let mut target = first;
        for _hop in 0..=self.config.cluster.size() {
            if !self.is_up(target) {
                self.record(TraceKind::ClientRefused {
                    node: target,
                    command: text(self.run.trace_limit > 0),
                    redirect: None,
                });
                return;
            }
            match self.step_node(target, Input::Client(command.clone())) {
                Ok(()) => {
                    let command = text(self.run.trace_limit > 0);
                    self.record(TraceKind::ClientAccepted { node: target, command });
                    return;
                }
                Err(ClientError::NotLeader { hint }) => {
                    let redirect = hint.filter(|h| *h != target && self.config.cluster.contains(*h));
                    self.record(TraceKind::ClientRefused {
                        node: target,
                        command: text(self.run.trace_limit > 0),
                        redirect,
                    });
                    match redirect {
                        Some(next) => target = next,
                        None => return,
                    }
                }
            }
        }
    }

    // ----- model-checking interface ----------------------------------------------------------

    /// Every event the model checker may choose next, regardless of time.
    pub fn choices(&self) -> Vec<Choice<TimerOf<P>>> {
        let mut out: Vec<_> = self.in_flight().map(|e| Choice::Deliver(e.id)).collect();
        for (i, timers) in self.state.timers.iter().enumerate() {
            out.extend(timers.keys().map(|t| Choice::Fire(NodeId::from_index(i), *t)));
        }
        for id in self.config.cluster.ids() {
            out.push(if self.is_up(id) { Choice::Crash(id) } else { Choice::Restart(id) });
        }
        out
    }

    /// Applies one choice out of time order (time moves to the event's instant if later).
    pub fn apply_choice(&mut self, choice: Choice<TimerOf<P>>) {
        match choice {
            Choice::Deliver(id) => {
                if let Some(e) = self.take_envelope(id) {
                    self.run.now = self.run.now.max(e.deliver_at);
                    self.run.events += 1;
                    self.deliver(e);
                }
            }
            Choice::Fire(id, timer) => {
                if let Some(armed) = self.state.timers.get_mut(id.index()).and_then(|m| m.remove(&timer)) {
                    self.run.now = self.run.now.max(armed.fires_at);
                    self.run.events += 1;
                    self.fire(id, timer, false);
                }
            }
            Choice::Crash(id) => self.act(Action::Crash(id)),
            Choice::Restart(id) => self.act(Action::Restart(id)),
        }
    }

    // ----- internals -----------------------------------------------------------------------

    /// Removes envelope `id` from `in_flight` only (the caller keeps `arrivals` in step).
    fn remove_in_flight(&mut self, id: u64) -> Option<Envelope<MsgOf<P>>> {
        let i = usize::try_from(id.checked_sub(self.state.first_id)?).ok()?;
        let e = self.state.in_flight.get_mut(i)?.take()?;
        self.state.in_flight_count -= 1;
        while self.state.in_flight.front().is_some_and(Option::is_none) {
            self.state.in_flight.pop_front();
            self.state.first_id += 1;
        }
        while self.state.in_flight.back().is_some_and(Option::is_none) {
            self.state.in_flight.pop_back();
        }
        Some(e)
    }

    /// Takes the in-flight envelope `id` off the network out of arrival order (by hand, or the
    /// model checker's choice): O(messages in flight), for the arrival order is rebuilt.
    fn take_envelope(&mut self, id: u64) -> Option<Envelope<MsgOf<P>>> {
        let e = self.remove_in_flight(id)?;
        self.rebuild_arrivals();
        Some(e)
    }

    fn rebuild_arrivals(&mut self) {
        self.run.arrivals = self.in_flight().map(|e| Reverse((e.deliver_at, e.id))).collect();
    }

    /// Puts an envelope in flight: normally a new one, with the highest id yet; an envelope
    /// taken off earlier may come back to its slot.
    fn push_envelope(&mut self, e: Envelope<MsgOf<P>>) {
        self.run.arrivals.push(Reverse((e.deliver_at, e.id)));
        if self.state.in_flight.is_empty() {
            self.state.first_id = e.id;
        }
        while e.id < self.state.first_id {
            self.state.in_flight.push_front(None);
            self.state.first_id -= 1;
        }
        let i = (e.id - self.state.first_id) as usize;
        if i == self.state.in_flight.len() {
            // A new envelope, the usual case.
            self.state.in_flight.push_back(Some(e));
            self.state.in_flight_count += 1;
            return;
        }
        while self.state.in_flight.len() <= i {
            self.state.in_flight.push_back(None);
        }
        if self.state.in_flight[i].replace(e).is_none() {
            self.state.in_flight_count += 1;
        }
    }

    fn deliver(&mut self, e: Envelope<MsgOf<P>>) {
        if !self.state.holds.is_empty() && self.is_held(&e) {
            let label = e.msg.label();
            self.record(TraceKind::Held { id: e.id, from: e.from, to: e.to, label });
            self.state.held.push(e);
            return;
        }
        let reason = if e.lost {
            Some(DropReason::Lost)
        } else if !self.state.reach.can_send(e.from, e.to) {
            Some(DropReason::Partitioned)
        } else if !self.is_up(e.to) {
            Some(DropReason::NodeDown)
        } else {
            None
        };
        if let Some(reason) = reason {
            self.run.stats.dropped += 1;
            if self.run.trace_limit > 0 {
                let label = e.msg.label();
                self.record(TraceKind::Dropped { id: e.id, from: e.from, to: e.to, label, reason });
            }
            return;
        }
        self.run.stats.delivered += 1;
        if self.run.trace_limit > 0 {
            let label = e.msg.label();
            self.record(TraceKind::Delivered { id: e.id, from: e.from, to: e.to, label });
        }
        // A delivered message never produces a client refusal.
        let _ = self.step_node(e.to, Input::Deliver { from: e.from, msg: e.msg });
    }

    fn fire(&mut self, id: NodeId, timer: TimerOf<P>, forced: bool) {
        self.run.stats.timers_fired += 1;
        self.record(TraceKind::TimerFired { node: id, timer, forced });
        let _ = self.step_node(id, Input::Timer(timer));
    }

    fn step_node(&mut self, id: NodeId, input: InputOf<P::Node>) -> Result<(), ClientError> {
        let now = self.run.now;
        let Some(node) = self.state.nodes.get_mut(id.index()).and_then(Option::as_mut) else { return Ok(()) };
        self.run.outbox.keep_notes = self.run.trace_limit > 0;
        let result = node.step(now, input, &mut self.run.outbox);
        self.apply_effects(id);
        self.check(id);
        result
    }

    /// Acts on the effects of the step (or boot) `id` just took, in order, then checks the
    /// persistence contract against the order of the snapshots:
    ///
    /// * each `Persist(d)` writes `d` to `id`'s stable storage at its place in the order;
    /// * a message queued while the outbox was dirty ([`Outbox::sent_while_dirty`]) left before
    ///   the durable change it follows was persisted;
    /// * so did a message queued before the step's first `Persist` if that `Persist` wrote a
    ///   value different from what storage held (the change came before it, maybe before the
    ///   message; a protocol that does not mark itself dirty is judged by this rule);
    /// * a step that ends with a durable state other than the last value persisted has changed
    ///   it without persisting it: a crash now would lose the change.
    ///
    /// [`Outbox::sent_while_dirty`]: ballot_core::Outbox::sent_while_dirty
    fn apply_effects(&mut self, id: NodeId) {
        let mut outbox = core::mem::take(&mut self.run.outbox);
        let i = id.index();
        let mut sent_early = outbox.sent_while_dirty() > 0;
        let mut persisted = false;
        let mut sent_before_persist = false;
        for effect in outbox.drain() {
            match effect {
                Effect::Persist(durable) => {
                    let digest = P::Node::durable_digest_of(&durable);
                    if !persisted && sent_before_persist && digest != self.state.persisted_digest[i] {
                        sent_early = true;
                    }
                    persisted = true;
                    self.state.persisted_digest[i] = digest;
                    self.state.stored[i] = durable;
                }
                Effect::Send { to, msg } => {
                    sent_before_persist |= !persisted;
                    self.send(id, to, msg);
                }
                Effect::SetTimer { timer, after } => {
                    let delay = self.run.rng.between(after.min.micros, after.max.micros);
                    let armed = ArmedTimer {
                        set_at: self.run.now,
                        fires_at: Instant { micros: self.run.now.micros.saturating_add(delay) },
                    };
                    self.state.timers[id.index()].insert(timer, armed);
                }
                Effect::CancelTimer(timer) => {
                    self.state.timers[id.index()].remove(&timer);
                }
                Effect::Note(note) => self.record(TraceKind::Note(note)),
            }
        }
        self.run.outbox = outbox;
        let unpersisted = self.node(id).is_some_and(|n| n.durable_digest() != self.state.persisted_digest[i]);
        if sent_early || unpersisted {
            let detail = if sent_early {
                format!("{id} sent a message before persisting a change to its durable state")
            } else {
                format!("{id} changed its durable state without persisting it")
            };
            self.violate(Violation {
                property: PERSIST_BEFORE_SEND,
                nodes: alloc::vec![id],
                at: self.run.now,
                step: self.run.events,
                detail,
            });
        }
    }

    fn send(&mut self, from: NodeId, to: NodeId, msg: MsgOf<P>) {
        if !self.config.cluster.contains(to) {
            return;
        }
        let net = self.net_for(from, to);
        // Each copy is lost (or not) on its own.
        if self.run.rng.chance(u64::from(net.duplicate), 1000) {
            let lost = self.run.rng.chance(u64::from(net.loss), 1000);
            self.put_on_wire(from, to, msg.clone(), lost);
        }
        let lost = self.run.rng.chance(u64::from(net.loss), 1000);
        self.put_on_wire(from, to, msg, lost);
    }

    fn put_on_wire(&mut self, from: NodeId, to: NodeId, msg: MsgOf<P>, lost: bool) {
        let net = self.net_for(from, to);
        let mut latency = self.run.rng.between(net.latency_min.micros, net.latency_max.micros);
        if self.run.rng.chance(u64::from(net.reorder), 1000) {
            latency = latency.saturating_add(self.run.rng.between(0, net.latency_max.micros));
        }
        let id = self.run.next_envelope_id;
        self.run.next_envelope_id += 1;
        self.run.stats.sent += 1;
        if self.run.trace_limit > 0 {
            let label = msg.label();
            self.record(TraceKind::Sent { id, from, to, label });
        }
        let deliver_at = Instant { micros: self.run.now.micros.saturating_add(latency) };
        self.push_envelope(Envelope { id, from, to, sent_at: self.run.now, deliver_at, lost, msg });
    }

    fn check(&mut self, stepped: NodeId) {
        if let Some(mut v) = self.state.checker.check_stepped(self.run.now, stepped, &self.state.nodes) {
            v.step = self.run.events;
            self.violate(v);
        }
    }

    fn violate(&mut self, v: Violation) {
        if self.state.violations.iter().any(|old| old.property == v.property) {
            return;
        }
        self.record(TraceKind::Violation(v.clone()));
        self.state.violations.push(v);
    }

    fn record(&mut self, kind: TraceKind<P::Node>) {
        if self.run.trace_limit == 0 {
            return;
        }
        self.run.trace_total += 1;
        if self.run.trace.len() >= self.run.trace_limit {
            self.run.trace.pop_front();
        }
        self.run.trace.push_back(TraceEvent { at: self.run.now, step: self.run.events, kind });
    }
}

/// The messages in flight, by envelope id ([`World::in_flight`]).
#[derive(Clone, Debug)]
pub struct InFlight<'a, M> {
    slots: vec_deque::Iter<'a, Option<Envelope<M>>>,
    left: usize,
}

impl<'a, M> Iterator for InFlight<'a, M> {
    type Item = &'a Envelope<M>;
    fn next(&mut self) -> Option<Self::Item> {
        let e = self.slots.by_ref().flatten().next()?;
        self.left -= 1;
        Some(e)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<M> DoubleEndedIterator for InFlight<'_, M> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let e = self.slots.by_ref().rev().flatten().next()?;
        self.left -= 1;
        Some(e)
    }
}

impl<M> ExactSizeIterator for InFlight<'_, M> {}

/// A textual description of an envelope for logs (`S1→S2 AE #17`).
pub fn describe_envelope<M: Message>(e: &Envelope<M>) -> String {
    format!("{}→{} {} #{}", e.from, e.to, e.msg.label(), e.id)
}
