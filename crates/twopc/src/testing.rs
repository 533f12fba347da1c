//! A tiny deterministic test network (test builds only): nodes, a disk per node, messages in
//! flight, armed timers, crashes. Nothing is random unless a test draws from a seeded
//! [`Prng`]; timers fire only when a test says so.
//!
//! After every step the harness asserts the persist-before-send contract and runs the
//! [`TwoPcChecker`], recording violations.

use crate::config::TwoPcConfig;
use crate::message::TwoPcMsg;
use crate::node::{TwoPcDurable, TwoPcNode, TwoPcOutbox, TwoPcTimer};
use crate::note::{TwoPcEvent, TwoPcNote};
use crate::safety::TwoPcChecker;
use alloc::collections::BTreeSet;
use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;
use ballot_core::{
    Checker, ClientError, Cluster, Command, Effect, Input, Instant, Node, NodeId, Prng, Violation,
};

/// One effect of a step.
pub(crate) type TwoPcEffect = Effect<TwoPcMsg, TwoPcTimer, TwoPcNote>;

/// `set key value`.
pub(crate) fn set(key: &str, value: &str) -> Command {
    Command::Set {
        key: ballot_core::Word::new(key).expect("test key"),
        value: ballot_core::Word::new(value).expect("test value"),
    }
}

/// Boots node `id` of a `size`-node cluster from `durable`; returns it and its boot effects.
pub(crate) fn boot(
    id: u8,
    size: u8,
    config: &TwoPcConfig,
    durable: TwoPcDurable,
) -> (TwoPcNode, Vec<TwoPcEffect>) {
    let mut out = TwoPcOutbox::default();
    let node = TwoPcNode::boot(NodeId(id), Cluster::new(size), config, durable, Instant::ZERO, &mut out);
    (node, out.drain().collect())
}

/// Steps `node` with `input`; returns the result and the effects.
pub(crate) fn step(
    node: &mut TwoPcNode,
    input: Input<TwoPcMsg, TwoPcTimer, Command>,
) -> (Result<(), ClientError>, Vec<TwoPcEffect>) {
    let mut out = TwoPcOutbox::default();
    let r = node.step(Instant::ZERO, input, &mut out);
    (r, out.drain().collect())
}

/// Fires `timer` at `node`; returns the effects.
pub(crate) fn fire(node: &mut TwoPcNode, timer: TwoPcTimer) -> Vec<TwoPcEffect> {
    step(node, Input::Timer(timer)).1
}

/// Delivers `msg` from `from` to `node`; returns the effects.
pub(crate) fn deliver(node: &mut TwoPcNode, from: u8, msg: TwoPcMsg) -> Vec<TwoPcEffect> {
    step(node, Input::Deliver { from: NodeId(from), msg }).1
}

/// The messages among `effects`.
pub(crate) fn sends(effects: &[TwoPcEffect]) -> Vec<(NodeId, TwoPcMsg)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { to, msg } => Some((*to, msg.clone())),
            _ => None,
        })
        .collect()
}

/// The note events among `effects`.
pub(crate) fn events(effects: &[TwoPcEffect]) -> Vec<TwoPcEvent> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Note(n) => Some(n.event.clone()),
            _ => None,
        })
        .collect()
}

/// Asserts there is a `Persist` and that it comes before every `Send`.
pub(crate) fn persist_before_send(effects: &[TwoPcEffect]) {
    let p = effects.iter().position(|e| *e == Effect::Persist).expect("a Persist");
    if let Some(s) = effects.iter().position(|e| matches!(e, Effect::Send { .. })) {
        assert!(p < s, "sent before persisting: {effects:?}");
    }
}

/// The test network.
#[derive(Clone, Debug)]
pub(crate) struct Net {
    pub cluster: Cluster,
    pub config: TwoPcConfig,
    /// `None` while crashed.
    pub nodes: Vec<Option<TwoPcNode>>,
    /// What each node last persisted (copied at crash time: the persist-before-send contract,
    /// asserted after every step, makes the node's durable view what its disk holds).
    pub disks: Vec<TwoPcDurable>,
    /// Messages in flight `(from, to, msg)`, oldest first.
    pub wire: Vec<(NodeId, NodeId, TwoPcMsg)>,
    /// Armed timers per node.
    pub armed: Vec<BTreeSet<TwoPcTimer>>,
    pub checker: TwoPcChecker,
    pub violations: Vec<Violation>,
    pub notes: Vec<TwoPcNote>,
    pub now: Instant,
}

impl Net {
    /// Boots `size` nodes with `config`.
    pub fn new(size: u8, config: TwoPcConfig) -> Net {
        let cluster = Cluster::new(size);
        let n = usize::from(cluster.size());
        let mut net = Net {
            cluster,
            config,
            nodes: vec![None; n],
            disks: vec![TwoPcDurable::default(); n],
            wire: Vec::new(),
            armed: vec![BTreeSet::new(); n],
            checker: TwoPcChecker::new(cluster),
            violations: Vec::new(),
            notes: Vec::new(),
            now: Instant::ZERO,
        };
        for id in cluster.ids() {
            net.restart(id);
        }
        net
    }

    pub fn node(&self, id: u8) -> &TwoPcNode {
        self.nodes[NodeId(id).index()].as_ref().expect("node is up")
    }

    fn run_effects(&mut self, id: NodeId, effects: Vec<TwoPcEffect>, digest_before: u64) {
        let i = id.index();
        let node = self.nodes[i].as_ref().expect("up");
        if node.durable_digest() != digest_before {
            persist_before_send(&effects);
        }
        for effect in effects {
            match effect {
                Effect::Persist => {}
                Effect::Send { to, msg } => self.wire.push((id, to, msg)),
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
        // Drain every violation the step caused (the checker returns one per call).
        while let Some(v) = self.checker.check(self.now, id, &self.nodes) {
            self.violations.push(v);
        }
    }

    /// Steps node `id` (ignored if it is down).
    pub fn step(
        &mut self,
        id: NodeId,
        input: Input<TwoPcMsg, TwoPcTimer, Command>,
    ) -> Result<(), ClientError> {
        let Some(node) = self.nodes[id.index()].as_mut() else {
            return Ok(());
        };
        let before = node.durable_digest();
        let mut out = TwoPcOutbox::default();
        let r = node.step(self.now, input, &mut out);
        let effects: Vec<TwoPcEffect> = out.drain().collect();
        self.run_effects(id, effects, before);
        r
    }

    /// Fires a timer (armed or not, like the playground's "force timeout").
    pub fn fire(&mut self, id: u8, timer: TwoPcTimer) {
        let id = NodeId(id);
        self.armed[id.index()].remove(&timer);
        self.step(id, Input::Timer(timer)).unwrap();
    }

    /// Delivers (and removes) message `k` of the wire.
    pub fn deliver(&mut self, k: usize) {
        let (from, to, msg) = self.wire.remove(k);
        self.step(to, Input::Deliver { from, msg }).unwrap();
    }

    /// Delivers everything in flight, in order, until the network is quiet.
    pub fn deliver_all(&mut self) {
        self.deliver_matching(|_| true);
    }

    /// Delivers, in order, every message in flight that `pick` chooses (and those they cause),
    /// until none is left; the others stay on the wire.
    pub fn deliver_matching(&mut self, pick: impl Fn(&TwoPcMsg) -> bool) {
        let mut budget = 100_000;
        while let Some(k) = self.wire.iter().position(|(_, _, m)| pick(m)) {
            self.deliver(k);
            budget -= 1;
            assert!(budget > 0, "the network never went quiet");
        }
    }

    /// A client command to node `id`.
    pub fn client(&mut self, id: u8, command: Command) -> Result<(), ClientError> {
        self.step(NodeId(id), Input::Client(command))
    }

    pub fn crash(&mut self, id: NodeId) {
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
        let first_boot = stored == TwoPcDurable::Blank;
        let mut digest_before = stored.digest();
        let mut out = TwoPcOutbox::default();
        let node = TwoPcNode::boot(id, self.cluster, &self.config, stored, self.now, &mut out);
        if first_boot {
            // A first boot's state is what the disk starts with (as in the simulator).
            digest_before = node.durable_digest();
        }
        self.nodes[i] = Some(node);
        let effects: Vec<TwoPcEffect> = out.drain().collect();
        self.run_effects(id, effects, digest_before);
    }
}

/// One random run: reordering, duplication, loss, timers, client commands, crashes and restarts.
pub(crate) fn swarm(seed: u64, size: u8, config: TwoPcConfig, steps: u32) -> Net {
    let mut rng = Prng::new(seed);
    let mut net = Net::new(size, config);
    let mut next_value = 0u64;
    for _ in 0..steps {
        if !net.violations.is_empty() {
            break;
        }
        let roll = rng.below(100);
        if roll < 60 && !net.wire.is_empty() {
            let k = rng.below(net.wire.len() as u64) as usize;
            if rng.chance(1, 10) {
                let copy = net.wire[k].clone();
                net.wire.push(copy); // duplicated
            }
            if rng.chance(1, 8) {
                net.wire.remove(k); // lost
            } else {
                net.deliver(k);
            }
        } else if roll < 80 {
            let id = NodeId(rng.between(1, u64::from(size)) as u8);
            let armed: Vec<TwoPcTimer> = net.armed[id.index()].iter().copied().collect();
            if !armed.is_empty() {
                let timer = armed[rng.below(armed.len() as u64) as usize];
                net.fire(id.0, timer);
            }
        } else if roll < 90 {
            next_value += 1;
            let to = rng.between(1, u64::from(size)) as u8;
            let _ = net.client(to, set("x", &next_value.to_string()));
        } else {
            let id = NodeId(rng.between(1, u64::from(size)) as u8);
            if net.nodes[id.index()].is_some() {
                net.crash(id);
            } else {
                net.restart(id);
            }
        }
    }
    net
}
