//! A tiny deterministic test network (test builds only), generic over the node and its checker:
//! nodes, a disk per node, messages in flight, armed timers, partitions, crashes. Nothing is
//! random unless a test draws from a seeded [`Prng`]; timers fire only when a test says so.
//!
//! After every step the harness asserts the persist-before-send contract and runs the checker,
//! recording violations.

use alloc::collections::BTreeSet;
use alloc::vec;
use alloc::vec::Vec;
use ballot_core::node::{InputOf, OutboxOf};
use ballot_core::{Checker, ClientError, Cluster, Command, Effect, Input, Instant, Node, NodeId, Violation};

/// One effect of a step of `N`.
pub(crate) type EffectOf<N> = Effect<<N as Node>::Msg, <N as Node>::Timer, <N as Node>::Note>;

/// `key=value`.
pub(crate) fn set(key: &str, value: &str) -> Command {
    Command::Set {
        key: ballot_core::Word::new(key).expect("test key"),
        value: ballot_core::Word::new(value).expect("test value"),
    }
}

/// Boots node `id` of a `size`-node cluster from `durable`; returns it and its boot effects.
pub(crate) fn boot<N: Node>(
    id: u8,
    size: u8,
    config: &N::Config,
    durable: N::Durable,
) -> (N, Vec<EffectOf<N>>) {
    let mut out = OutboxOf::<N>::default();
    let node = N::boot(NodeId(id), Cluster::new(size), config, durable, Instant::ZERO, &mut out);
    (node, out.drain().collect())
}

/// Steps `node` with `input`; returns the result and the effects.
pub(crate) fn step<N: Node>(node: &mut N, input: InputOf<N>) -> (Result<(), ClientError>, Vec<EffectOf<N>>) {
    let mut out = OutboxOf::<N>::default();
    let r = node.step(Instant::ZERO, input, &mut out);
    (r, out.drain().collect())
}

/// Delivers `msg` from `from` to `node`; returns the effects.
pub(crate) fn deliver<N: Node>(node: &mut N, from: u8, msg: N::Msg) -> Vec<EffectOf<N>> {
    step(node, Input::Deliver { from: NodeId(from), msg }).1
}

/// The messages among `effects`.
pub(crate) fn sends<N: Node>(effects: &[EffectOf<N>]) -> Vec<(NodeId, N::Msg)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { to, msg } => Some((*to, msg.clone())),
            _ => None,
        })
        .collect()
}

/// The notes among `effects`.
pub(crate) fn notes<N: Node>(effects: &[EffectOf<N>]) -> Vec<N::Note> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Note(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

/// Asserts that a `Persist` comes before the first `Send`.
pub(crate) fn persist_before_send<N: Node>(effects: &[EffectOf<N>]) {
    let p = effects.iter().position(|e| matches!(e, Effect::Persist)).expect("a Persist");
    if let Some(s) = effects.iter().position(|e| matches!(e, Effect::Send { .. })) {
        assert!(p < s, "sent before persisting: {effects:?}");
    }
}

/// The test network.
#[derive(Clone, Debug)]
pub(crate) struct Net<N: Node, C: Checker<N>> {
    pub cluster: Cluster,
    pub config: N::Config,
    /// `None` while crashed.
    pub nodes: Vec<Option<N>>,
    /// What each node last persisted (copied at crash time: the contract, asserted after every
    /// step, makes the node's durable view what its disk holds).
    pub disks: Vec<N::Durable>,
    /// Messages in flight `(from, to, msg)`, oldest first.
    pub wire: Vec<(NodeId, NodeId, N::Msg)>,
    /// Armed timers per node.
    pub armed: Vec<BTreeSet<N::Timer>>,
    /// Partition group per node: messages between groups are dropped when delivered.
    pub group: Vec<u8>,
    pub checker: C,
    pub violations: Vec<Violation>,
    pub notes: Vec<N::Note>,
    pub now: Instant,
}

impl<N: Node, C: Checker<N>> Net<N, C> {
    /// Boots `size` nodes with `config`.
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
        };
        for id in cluster.ids() {
            net.restart(id);
        }
        net
    }

    pub fn node(&self, id: u8) -> &N {
        self.nodes[NodeId(id).index()].as_ref().expect("node is up")
    }

    fn run_effects(&mut self, id: NodeId, effects: Vec<EffectOf<N>>, changed: bool) {
        let i = id.index();
        if changed {
            persist_before_send::<N>(&effects);
        }
        for effect in effects {
            match effect {
                Effect::Persist => {}
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
        self.now.micros += 1000;
        self.check(id);
    }

    fn check(&mut self, id: NodeId) {
        if let Some(v) = self.checker.check(self.now, id, &self.nodes) {
            self.violations.push(v);
        }
    }

    /// Steps node `id` (ignored if it is down).
    pub fn step(&mut self, id: NodeId, input: InputOf<N>) -> Result<(), ClientError> {
        let Some(node) = self.nodes[id.index()].as_mut() else {
            return Ok(());
        };
        let before = node.durable_digest();
        let mut out = OutboxOf::<N>::default();
        let r = node.step(self.now, input, &mut out);
        let changed = node.durable_digest() != before;
        let effects: Vec<EffectOf<N>> = out.drain().collect();
        self.run_effects(id, effects, changed);
        r
    }

    /// Fires an armed timer.
    pub fn fire(&mut self, id: u8, timer: N::Timer) {
        let id = NodeId(id);
        assert!(self.armed[id.index()].remove(&timer), "{id} {timer:?} not armed");
        self.step(id, Input::Timer(timer)).unwrap();
    }

    /// Delivers (and removes) message `k` of the wire; dropped if a partition or crash is in
    /// the way.
    pub fn deliver(&mut self, k: usize) {
        let (from, to, msg) = self.wire.remove(k);
        if self.group[from.index()] == self.group[to.index()] {
            self.step(to, Input::Deliver { from, msg }).unwrap();
        }
    }

    /// Delivers everything in flight, in order, until the network is quiet.
    pub fn deliver_all(&mut self) {
        let mut budget = 100_000;
        while !self.wire.is_empty() {
            self.deliver(0);
            budget -= 1;
            assert!(budget > 0, "the network never went quiet");
        }
    }

    /// A client command to node `id`.
    pub fn client(&mut self, id: u8, command: Command) -> Result<(), ClientError>
    where
        N: Node<Command = Command>,
    {
        self.step(NodeId(id), Input::Client(command))
    }

    /// Puts the nodes of each group in their own partition.
    pub fn partition(&mut self, groups: &[&[u8]]) {
        for (g, members) in groups.iter().enumerate() {
            for &id in *members {
                self.group[NodeId(id).index()] = g as u8 + 1;
            }
        }
    }

    pub fn heal(&mut self) {
        self.group.iter_mut().for_each(|g| *g = 0);
    }

    pub fn crash(&mut self, id: u8) {
        let id = NodeId(id);
        if let Some(node) = self.nodes[id.index()].take() {
            self.disks[id.index()] = node.durable();
        }
        self.armed[id.index()].clear();
        self.check(id);
    }

    /// Boots `id` from its disk.
    pub fn restart(&mut self, id: NodeId) {
        let i = id.index();
        let stored = self.disks[i].clone();
        let mut out = OutboxOf::<N>::default();
        let node = N::boot(id, self.cluster, &self.config, stored.clone(), self.now, &mut out);
        let changed = node.durable() != stored;
        self.nodes[i] = Some(node);
        let effects: Vec<EffectOf<N>> = out.drain().collect();
        self.run_effects(id, effects, changed);
    }
}
