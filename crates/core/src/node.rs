//! The contract between a protocol node and whatever drives it.
//!
//! ```text
//!            Input::Deliver / Input::Timer / Input::Client
//!  driver ──────────────────────────────────────────────▶ Node::step(now, input, &mut outbox)
//!  (sim,  ◀────────────────────────────────────────────── Effect::Persist, Send, SetTimer,
//!  tests)                                                  CancelTimer, Note   (in this order)
//! ```
//!
//! **Ordering contract.** A step's effects are acted on *after* the step returns, in the order
//! they were pushed. A step that changed the node's durable state must push
//! [`Effect::Persist`] with the new durable state before any [`Effect::Send`]: the driver writes
//! that value to stable storage before a single reply leaves.
//!
//! **Persistence is storage.** `Persist` carries the value written, taken when the node asked
//! ([`Outbox::persist`]), so its place among the other effects says what was on disk when each
//! message left. A driver keeps the last value persisted; a crash restores exactly that, never
//! the node's memory, and a restart boots from it. The [`Outbox`] keeps the "dirty" flag: a
//! protocol calls [`Outbox::mark_dirty`] when it changes its durable state and
//! [`Outbox::persist_if_dirty`] before every send and at the end of the step. The simulator checks
//! after every step that no message left while the outbox was dirty and that the durable state
//! equals the last value persisted (see `ballot-sim`), so a protocol that forgets to persist is
//! caught like any other bug.
//!
//! **Timers** are requested as a range (`SetTimer { after: min..=max }`); the driver picks the
//! instant with its seeded generator. Setting a timer that is already set re-arms it.

use crate::id::{Cluster, NodeId};
use crate::lang::Narrate;
use crate::time::{Duration, Instant};
use alloc::vec::Vec;
use core::fmt::Debug;
use core::hash::Hash;

/// One input to a node.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Input<M, T, C> {
    /// The network delivers message `msg` sent by `from`.
    Deliver {
        /// The sender.
        from: NodeId,
        /// The message.
        msg: M,
    },
    /// A timer this node set has fired.
    Timer(T),
    /// A client asks this node to run a command.
    Client(C),
}

/// The instant range a timer may fire in, relative to the step that set it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct TimerRange {
    /// Earliest delay.
    pub min: Duration,
    /// Latest delay (inclusive).
    pub max: Duration,
}

impl TimerRange {
    /// A timer that fires exactly `after` from now.
    pub fn exactly(after: Duration) -> TimerRange {
        TimerRange { min: after, max: after }
    }
}

/// What a node asks its driver to do. See the module docs for the ordering contract.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Effect<M, T, E, D> {
    /// Write this durable state ([`Node::durable`] when the node asked) to stable storage now.
    Persist(D),
    /// Send `msg` to `to` over the (unreliable) network.
    Send {
        /// Recipient.
        to: NodeId,
        /// The message.
        msg: M,
    },
    /// Arm (or re-arm) `timer` to fire once, somewhere in `after`.
    SetTimer {
        /// Which timer.
        timer: T,
        /// When, relative to now.
        after: TimerRange,
    },
    /// Disarm `timer` if it is armed.
    CancelTimer(T),
    /// Something worth telling the learner (shown in the event feed, never interpreted).
    Note(E),
}

/// The buffer a step writes its effects into. Reused across steps to avoid allocations.
#[derive(Clone, Debug)]
pub struct Outbox<M, T, E, D> {
    effects: Vec<Effect<M, T, E, D>>,
    /// When false, [`Outbox::note`] discards notes (benchmarks and swarms do not narrate).
    pub keep_notes: bool,
    /// True between [`Outbox::mark_dirty`] and the next [`Outbox::persist`]: the node's durable
    /// state differs from the last value it asked to persist.
    dirty: bool,
    /// How many messages were queued while the outbox was dirty (each one a broken promise of
    /// the ordering contract).
    sent_dirty: u32,
}

impl<M, T, E, D> Default for Outbox<M, T, E, D> {
    fn default() -> Self {
        Outbox { effects: Vec::new(), keep_notes: true, dirty: false, sent_dirty: 0 }
    }
}

impl<M, T, E, D> Outbox<M, T, E, D> {
    /// Notes that the node changed its durable state: it must be persisted before the next
    /// message leaves and before the step ends.
    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// Whether a durable change is waiting for [`Outbox::persist`].
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Writes `durable` (the node's whole durable state, as it is now) to stable storage before
    /// anything that follows is acted on; the outbox is clean again.
    pub fn persist(&mut self, durable: D) {
        self.effects.push(Effect::Persist(durable));
        self.dirty = false;
    }

    /// Persists `durable()` if the durable state changed since the last persist (the closure is
    /// not called otherwise). Call it before every send and at the end of every step.
    pub fn persist_if_dirty(&mut self, durable: impl FnOnce() -> D) {
        if self.dirty {
            self.persist(durable());
        }
    }

    /// Queues a message. Sending while dirty breaks the ordering contract (the simulator reports
    /// it, see [`Outbox::sent_while_dirty`]); protocols call [`Outbox::persist_if_dirty`] first.
    pub fn send(&mut self, to: NodeId, msg: M) {
        if self.dirty {
            self.sent_dirty = self.sent_dirty.saturating_add(1);
        }
        self.effects.push(Effect::Send { to, msg });
    }

    /// How many of the queued messages were sent while a durable change was not yet persisted.
    pub fn sent_while_dirty(&self) -> u32 {
        self.sent_dirty
    }

    /// Arms `timer` somewhere in `min..=max` from now.
    pub fn set_timer(&mut self, timer: T, min: Duration, max: Duration) {
        self.effects.push(Effect::SetTimer { timer, after: TimerRange { min, max } });
    }

    /// Disarms `timer`.
    pub fn cancel_timer(&mut self, timer: T) {
        self.effects.push(Effect::CancelTimer(timer));
    }

    /// Records a trace note (built lazily: the closure is not called when notes are off).
    pub fn note(&mut self, note: impl FnOnce() -> E) {
        if self.keep_notes {
            self.effects.push(Effect::Note(note()));
        }
    }

    /// The effects queued so far, oldest first.
    pub fn effects(&self) -> &[Effect<M, T, E, D>] {
        &self.effects
    }

    /// Takes the queued effects out, leaving the outbox empty and clean (its capacity is kept by
    /// [`Outbox::clear`] when the caller only reads).
    pub fn drain(&mut self) -> alloc::vec::Drain<'_, Effect<M, T, E, D>> {
        self.dirty = false;
        self.sent_dirty = 0;
        self.effects.drain(..)
    }

    /// Forgets every queued effect and the dirty flag.
    pub fn clear(&mut self) {
        self.dirty = false;
        self.sent_dirty = 0;
        self.effects.clear();
    }
}

/// Why a client command was refused. Refusal is not a failure of the protocol: the client retries.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ClientError {
    /// This node cannot accept commands; `hint` is the node it believes leads, if any.
    NotLeader {
        /// Where to retry.
        hint: Option<NodeId>,
    },
}

/// The outbox type of node `N`.
pub type OutboxOf<N> = Outbox<<N as Node>::Msg, <N as Node>::Timer, <N as Node>::Note, <N as Node>::Durable>;
/// The effect type of node `N`.
pub type EffectOf<N> = Effect<<N as Node>::Msg, <N as Node>::Timer, <N as Node>::Note, <N as Node>::Durable>;
/// The input type of node `N`.
pub type InputOf<N> = Input<<N as Node>::Msg, <N as Node>::Timer, <N as Node>::Command>;

/// A message's face in the playground: a short label on the moving dot and a longer description.
pub trait Message {
    /// Every kind of message, named as in the protocol's paper (`AppendEntries`, `Promise`…);
    /// scenarios select messages by these names.
    const KINDS: &'static [&'static str];
    /// A short label such as `AE`, `RV✓`, `P(3.1)`.
    fn label(&self) -> alloc::string::String;
    /// This message's kind: one of [`Message::KINDS`].
    fn kind(&self) -> &'static str;
}

/// A protocol node: a deterministic, sans-IO state machine.
///
/// `Eq + Hash` make whole worlds comparable and hashable for the exhaustive checker;
/// `Clone` makes time travel a matter of checkpoints plus replay.
pub trait Node: Clone + Eq + Hash + Debug {
    /// Messages between nodes.
    type Msg: Clone + Eq + Hash + Debug + Message;
    /// The node's named timers (e.g. election, heartbeat).
    type Timer: Copy + Eq + Ord + Hash + Debug;
    /// What a client may ask.
    type Command: Clone + Eq + Hash + Debug;
    /// What survives a crash.
    type Durable: Clone + Eq + Hash + Debug + Default;
    /// Trace notes for the event feed.
    type Note: Clone + Debug + Narrate;
    /// Protocol parameters (timeouts, deliberately broken variants…).
    type Config: Clone + Debug;

    /// Starts (or restarts after a crash) node `id` of `cluster` from what it had persisted
    /// (`Durable::default()` on first boot). Initial timers go into `out`.
    fn boot(
        id: NodeId,
        cluster: Cluster,
        config: &Self::Config,
        durable: Self::Durable,
        now: Instant,
        out: &mut OutboxOf<Self>,
    ) -> Self;

    /// The one door: handles one input. Stale or irrelevant input is ignored and noted, not an
    /// error; only a refused client command returns `Err`.
    fn step(
        &mut self,
        now: Instant,
        input: InputOf<Self>,
        out: &mut OutboxOf<Self>,
    ) -> Result<(), ClientError>;

    /// This node's id.
    fn id(&self) -> NodeId;

    /// The durable part of the state, as it would be read back from stable storage.
    fn durable(&self) -> Self::Durable;

    /// A cheap digest of [`Node::durable`] that changes whenever it changes (used to check the
    /// persist-before-send contract after every step without copying logs).
    fn durable_digest(&self) -> u64;

    /// The same digest of a durable value: `Self::durable_digest_of(&n.durable()) ==
    /// n.durable_digest()` for every node `n` (the driver digests what it stored with it).
    fn durable_digest_of(durable: &Self::Durable) -> u64;
}
