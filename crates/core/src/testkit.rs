//! The protocols' test kit (cargo feature `testkit`): a tiny deterministic network and helpers
//! that drive a single node by hand.
//!
//! Each protocol crate turns the feature on in its `[dev-dependencies]` only, so the kit is built
//! for tests and never reaches a release or wasm build.
//!
//! [`Net`] holds one cluster's nodes, a disk per node, the messages in flight, the armed timers
//! and partition groups. Nothing is random unless a test draws from a seeded
//! [`Prng`](crate::Prng); messages arrive and timers fire only when a test says so, and virtual
//! time moves one millisecond per step. A disk holds the value of the node's last `Persist`; a
//! crash keeps it and a restart boots from it. After every step the network asserts the
//! persist-before-send contract (see [`node`](crate::node): a step that changed durable state
//! persists before its first send, sends nothing while the outbox is dirty, and ends with its
//! durable state on disk) and runs the protocol's [`Checker`], recording violations.
//!
//! Without a network, [`boot`], [`step`], [`fire`] and [`deliver`] drive one node and return its
//! effects; [`sends`], [`notes`], [`persists`], [`persisted`] and [`persist_before_send`] take
//! effects apart; [`set`] builds a `set key value` command.

use crate::check::{Checker, Violation};
use crate::id::{Cluster, NodeId};
use crate::kv::{Command, Word};
use crate::node::{ClientError, Effect, Input, InputOf, Node, OutboxOf};
use crate::time::Instant;
use alloc::collections::BTreeSet;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt::Debug;

pub use crate::node::EffectOf;

/// `set key value`.
pub fn set(key: &str, value: &str) -> Command {
    Command::Set { key: Word::new(key).expect("test key"), value: Word::new(value).expect("test value") }
}

/// Boots node `id` of a `size`-node cluster from `durable`, at time zero; returns it and its boot
/// effects.
pub fn boot<N: Node>(id: u8, size: u8, config: &N::Config, durable: N::Durable) -> (N, Vec<EffectOf<N>>) {
    let mut out = OutboxOf::<N>::default();
    let node = N::boot(NodeId(id), Cluster::new(size), config, durable, Instant::ZERO, &mut out);
    (node, out.drain().collect())
}

/// Steps `node` with `input` at time zero; returns the result and the effects.
pub fn step<N: Node>(node: &mut N, input: InputOf<N>) -> (Result<(), ClientError>, Vec<EffectOf<N>>) {
    let mut out = OutboxOf::<N>::default();
    let result = node.step(Instant::ZERO, input, &mut out);
    (result, out.drain().collect())
}

/// Fires `timer` at `node` (armed or not); returns the effects.
pub fn fire<N: Node>(node: &mut N, timer: N::Timer) -> Vec<EffectOf<N>> {
    step(node, Input::Timer(timer)).1
}

/// Delivers `msg` from `from` to `node`; returns the effects.
pub fn deliver<N: Node>(node: &mut N, from: u8, msg: N::Msg) -> Vec<EffectOf<N>> {
    step(node, Input::Deliver { from: NodeId(from), msg }).1
}

/// The messages among `effects`, with their recipients, in order.
pub fn sends<M: Clone, T, E, D>(effects: &[Effect<M, T, E, D>]) -> Vec<(NodeId, M)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { to, msg } => Some((*to, msg.clone())),
            _ => None,
        })
        .collect()
}

/// The notes among `effects`, in order.
pub fn notes<M, T, E: Clone, D>(effects: &[Effect<M, T, E, D>]) -> Vec<E> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Note(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

/// Whether `effects` hold a `Persist`.
pub fn persists<M, T, E, D>(effects: &[Effect<M, T, E, D>]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Persist(_)))
}

/// The durable values `effects` persist, in order.
pub fn persisted<M, T, E, D: Clone>(effects: &[Effect<M, T, E, D>]) -> Vec<D> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Persist(d) => Some(d.clone()),
            _ => None,
        })
        .collect()
}

/// Asserts that `effects` hold a `Persist` and that it comes before every `Send`.
pub fn persist_before_send<M: Debug, T: Debug, E: Debug, D: Debug>(effects: &[Effect<M, T, E, D>]) {
    assert_persist_first(None, effects);
}

fn assert_persist_first<M: Debug, T: Debug, E: Debug, D: Debug>(
    who: Option<NodeId>,
    effects: &[Effect<M, T, E, D>],
) {
    let persist = effects.iter().position(|e| matches!(e, Effect::Persist(_)));
    let send = effects.iter().position(|e| matches!(e, Effect::Send { .. }));
    let who = || who.map(|id| alloc::format!("{id} changed its durable state: ")).unwrap_or_default();
    match (persist, send) {
        (None, _) => panic!("{}no Persist in {effects:?}", who()),
        (Some(p), Some(s)) if s < p => panic!("{}sent before persisting: {effects:?}", who()),
        _ => {}
    }
}

/// The test network: one cluster of `N`s watched by a checker `C`.
#[derive(Clone, Debug)]
pub struct Net<N: Node, C: Checker<N>> {
    /// The cluster.
    pub cluster: Cluster,
    /// Every node's parameters.
    pub config: N::Config,
    /// The nodes, `None` while crashed.
    pub nodes: Vec<Option<N>>,
    /// What each node last persisted: the value of its last `Persist` (a blank disk before the
    /// first). A crash keeps it, whatever the node held in memory; a restart boots from it.
    pub disks: Vec<N::Durable>,
    /// Messages in flight `(from, to, msg)`, oldest first. Tests may drop, duplicate or reorder
    /// them at will.
    pub wire: Vec<(NodeId, NodeId, N::Msg)>,
    /// Armed timers per node.
    pub armed: Vec<BTreeSet<N::Timer>>,
    /// Partition group per node: a message between groups is dropped when delivered.
    pub group: Vec<u8>,
    /// The checker, run after every step, crash and restart.
    pub checker: C,
    /// What the checker reported, oldest first.
    pub violations: Vec<Violation>,
    /// Every note, oldest first.
    pub notes: Vec<N::Note>,
    /// Virtual time: one millisecond more after every step.
    pub now: Instant,
    /// Whether each check asks the checker again until it has nothing more to report (see
    /// [`Net::draining`]); otherwise a check records at most one violation.
    pub drain: bool,
}

impl<N: Node, C: Checker<N>> Net<N, C> {
    /// Boots `size` nodes with `config` from blank disks.
    pub fn new(size: u8, config: N::Config, checker: C) -> Self {
        let cluster = Cluster::new(size);
        let n = usize::from(cluster.size());
        let mut net = Net {
            cluster,
            config,
            nodes: vec![None; n],
            disks: vec![N::Durable::default(); n],
            wire: Vec::new(),
            armed: vec![BTreeSet::new(); n],
            group: vec![0; n],
            checker,
            violations: Vec::new(),
            notes: Vec::new(),
            now: Instant::ZERO,
            drain: false,
        };
        for id in cluster.ids() {
            net.restart(id);
        }
        net
    }

    /// From now on, each check asks the checker again and again until it reports nothing, so a
    /// step that breaks two properties records both. Only for checkers that report each
    /// violation once (asking one that reports a broken property on every call again would never
    /// end).
    pub fn draining(mut self) -> Self {
        self.drain = true;
        self
    }

    /// Node `id`, which must be up.
    pub fn node(&self, id: u8) -> &N {
        self.nodes[NodeId(id).index()].as_ref().expect("node is up")
    }

    /// Acts on the effects of the step `id` just took: asserts persist-before-send if the step
    /// `changed` the node's durable state, writes persisted values to its disk, puts messages on
    /// the wire, arms and disarms timers, keeps notes; then moves time and checks.
    /// Then asserts that the node's durable state is what its disk now holds (a change made
    /// after the last persist, "persist, send, then change", would be lost in a crash).
    fn run_effects(&mut self, id: NodeId, effects: Vec<EffectOf<N>>, changed: bool) {
        let i = id.index();
        if changed {
            assert_persist_first(Some(id), &effects);
        }
        for effect in effects {
            match effect {
                Effect::Persist(durable) => self.disks[i] = durable,
                Effect::Send { to, msg } => {
                    assert_ne!(to, id, "a node handles its own messages locally");
                    self.wire.push((id, to, msg));
                }
                Effect::SetTimer { timer, .. } => {
                    self.armed[i].insert(timer);
                }
                Effect::CancelTimer(timer) => {
                    self.armed[i].remove(&timer);
                }
                Effect::Note(note) => self.notes.push(note),
            }
        }
        if let Some(node) = self.nodes[i].as_ref() {
            assert_eq!(
                node.durable_digest(),
                N::durable_digest_of(&self.disks[i]),
                "{id} changed its durable state without persisting it: {:?}",
                node.durable()
            );
        }
        self.now.micros += 1000;
        self.check(id);
    }

    fn check(&mut self, id: NodeId) {
        while let Some(v) = self.checker.check(self.now, id, &self.nodes) {
            self.violations.push(v);
            if !self.drain {
                break;
            }
        }
    }

    /// Steps node `id` with `input` (ignored if it is down).
    pub fn step(&mut self, id: NodeId, input: InputOf<N>) -> Result<(), ClientError> {
        let Some(node) = self.nodes[id.index()].as_mut() else {
            return Ok(());
        };
        let before = node.durable_digest();
        let mut out = OutboxOf::<N>::default();
        let result = node.step(self.now, input, &mut out);
        let changed = node.durable_digest() != before;
        assert_eq!(out.sent_while_dirty(), 0, "{id} sent a message while a durable change was not persisted");
        let effects: Vec<EffectOf<N>> = out.drain().collect();
        self.run_effects(id, effects, changed);
        result
    }

    /// Fires an armed timer of node `id` (panics if it is not armed).
    pub fn fire(&mut self, id: u8, timer: N::Timer) {
        let id = NodeId(id);
        assert!(self.armed[id.index()].remove(&timer), "{id} {timer:?} not armed");
        self.step(id, Input::Timer(timer)).unwrap();
    }

    /// Delivers (and removes) message `k` of the wire; it is lost if a partition separates its
    /// ends, and ignored if its recipient is down.
    pub fn deliver(&mut self, k: usize) {
        let (from, to, msg) = self.wire.remove(k);
        if self.group[from.index()] == self.group[to.index()] {
            self.step(to, Input::Deliver { from, msg }).unwrap();
        }
    }

    /// Delivers everything in flight, oldest first, until the network is quiet.
    pub fn deliver_all(&mut self) {
        self.deliver_matching(|_| true);
    }

    /// Delivers, oldest first, every message in flight that `pick` chooses (and those they
    /// cause) until none is left; the others stay on the wire.
    pub fn deliver_matching(&mut self, pick: impl Fn(&N::Msg) -> bool) {
        let mut budget = 100_000;
        while let Some(k) = self.wire.iter().position(|(_, _, m)| pick(m)) {
            self.deliver(k);
            budget -= 1;
            assert!(budget > 0, "the network never went quiet");
        }
    }

    /// A client command to node `id`.
    pub fn client(&mut self, id: u8, command: N::Command) -> Result<(), ClientError> {
        self.step(NodeId(id), Input::Client(command))
    }

    /// Puts the nodes of each group in a partition of their own (nodes not named stay together).
    pub fn partition(&mut self, groups: &[&[u8]]) {
        for (g, members) in groups.iter().enumerate() {
            for &id in *members {
                self.group[NodeId(id).index()] = g as u8 + 1;
            }
        }
    }

    /// Ends every partition.
    pub fn heal(&mut self) {
        self.group.iter_mut().for_each(|g| *g = 0);
    }

    /// Crashes node `id`: its disk keeps what it last persisted, its timers are disarmed, the
    /// rest of its state is gone. Messages to it stay on the wire.
    pub fn crash(&mut self, id: NodeId) {
        self.nodes[id.index()] = None;
        self.armed[id.index()].clear();
        self.check(id);
    }

    /// Boots node `id` from its disk. Booting from a blank disk (`Durable::default()`) is a first
    /// boot: the state the node starts in is what its disk starts with, as in the simulator. A
    /// restart that changes the durable state must persist it before sending.
    pub fn restart(&mut self, id: NodeId) {
        let i = id.index();
        let stored = self.disks[i].clone();
        let blank = stored == N::Durable::default();
        let mut out = OutboxOf::<N>::default();
        let node = N::boot(id, self.cluster, &self.config, stored.clone(), self.now, &mut out);
        let changed = !blank && node.durable() != stored;
        if blank {
            // A first boot: the blank disk reads as the state the node starts in.
            self.disks[i] = node.durable();
        }
        self.nodes[i] = Some(node);
        let effects: Vec<EffectOf<N>> = out.drain().collect();
        self.run_effects(id, effects, changed);
    }
}
