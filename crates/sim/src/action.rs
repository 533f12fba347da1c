//! Interventions: everything a user (or a scenario, or the swarm) does to a running world.
//! A run is fully determined by (config, seed, the recorded list of [`Intervention`]s).

use crate::network::NetConfig;
use alloc::vec::Vec;
use ballot_core::{Duration, Instant, Node, NodeId};

/// One thing done to the world from outside the protocol.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Action<N: Node> {
    /// The node stops; its volatile state is lost, what it persisted is kept.
    Crash(NodeId),
    /// A crashed node boots again from what it persisted.
    Restart(NodeId),
    /// Fires one of the node's timers now (e.g. "force election timeout").
    FireTimer(NodeId, N::Timer),
    /// A client sends `command` to `node` (redirected along leader hints if refused).
    Request {
        /// Where the client sends it first.
        node: NodeId,
        /// What it asks.
        command: N::Command,
    },
    /// Splits the cluster into groups that cannot talk to each other; unlisted nodes form one
    /// more group.
    Partition(Vec<Vec<NodeId>>),
    /// Removes all partitions and cut links.
    Heal,
    /// Cuts the one-way link `from → to`.
    Cut(NodeId, NodeId),
    /// Restores the one-way link `from → to`.
    Restore(NodeId, NodeId),
    /// Drops the in-flight message with this envelope id.
    DropMessage(u64),
    /// Sends a second copy of the in-flight message with this id (arriving after its own latency).
    DuplicateMessage(u64),
    /// Delays the in-flight message with this id by an extra duration.
    DelayMessage(u64, Duration),
    /// Changes the network's parameters from now on.
    SetNet(NetConfig),
    /// Holds back the messages of `kind` (`None`: every kind, else one of
    /// [`ballot_core::node::Message::KINDS`]) from `from` to `to` (`None`: any node) as they
    /// come due, until a [`Action::Release`] ends the hold.
    Hold {
        /// The kind held, or `None` for all.
        kind: Option<&'static str>,
        /// Sender, or `None` for any.
        from: Option<NodeId>,
        /// Recipient, or `None` for any.
        to: Option<NodeId>,
    },
    /// Ends the holds on the links `from → to` covers (`None`: any node) and puts the messages
    /// no remaining hold matches back on the wire, due now, in the order they were held, each with a new envelope id.
    Release {
        /// Sender, or `None` for any.
        from: Option<NodeId>,
        /// Recipient, or `None` for any.
        to: Option<NodeId>,
    },
    /// Network parameters for messages sent on `from → to` (`None`: any node) from now on,
    /// overriding [`Action::SetNet`]'s; `None` removes the override.
    SetLinkNet(Option<NodeId>, Option<NodeId>, Option<NetConfig>),
    /// Delivers the in-flight message with this envelope id now, out of time order (a model
    /// checker's step, [`crate::world::Choice::Deliver`]): one event, the clock moving to its
    /// arrival time if that is later.
    Deliver(u64),
    /// Fires this armed timer of the node now, out of time order (a model checker's step,
    /// [`crate::world::Choice::Fire`]): one event, like the scheduler's own firing, unlike
    /// [`Action::FireTimer`]. Nothing happens if the timer is not armed.
    Fire(NodeId, N::Timer),
}

/// A hold as the world keeps it: (kind, from, to), `None` matching anything.
pub type Hold = (Option<&'static str>, Option<NodeId>, Option<NodeId>);

/// An action as recorded in a run's history: applied after exactly `after_events` events, at
/// virtual time `at`. Replaying the same list on the same (config, seed) gives the same run.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Intervention<N: Node> {
    /// Virtual time at which it was applied.
    pub at: Instant,
    /// Number of events (deliveries and timer firings) processed before it.
    pub after_events: u64,
    /// What was done.
    pub action: Action<N>,
}
