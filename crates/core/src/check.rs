//! Safety properties as code. A [`Checker`] watches every node after every step and reports a
//! [`Violation`] as data: which property, which nodes, when, and why.

use crate::id::NodeId;
use crate::node::Node;
use crate::time::Instant;
use alloc::string::String;
use alloc::vec::Vec;

/// The property every protocol must keep, checked by the driver rather than by a protocol's
/// checker: no message leaves while a durable change is not yet persisted, and a step ends with
/// its durable state persisted (the [`crate::node`] ordering contract).
pub const PERSIST_BEFORE_SEND: &str = "Persist Before Send";

/// A broken safety property, with enough detail to find it again.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Violation {
    /// The property's name as the paper gives it, e.g. "Election Safety".
    pub property: &'static str,
    /// The nodes involved.
    pub nodes: Vec<NodeId>,
    /// Virtual time of the step that broke it.
    pub at: Instant,
    /// Number of the step (events processed) that broke it; filled by the simulator.
    pub step: u64,
    /// A sentence for humans.
    pub detail: String,
}

/// Watches a cluster of `N` nodes. Implementations keep whatever history they need (e.g. the
/// leader of each term) so that each call costs little even in long runs.
///
/// `Hash` covers that history: a model checker that merges states by digest must not merge two
/// worlds whose checkers would judge the future differently.
pub trait Checker<N: Node>: Clone + core::fmt::Debug + core::hash::Hash {
    /// The names of the properties this checker enforces (shown in the invariant panel).
    fn properties(&self) -> &'static [&'static str];

    /// Called after node `stepped` handled one input (or after a crash or restart: a crashed
    /// node is `None`). Returns the first violation found, if any.
    fn check(&mut self, now: Instant, stepped: NodeId, nodes: &[Option<N>]) -> Option<Violation>;

    /// [`Checker::check`], for a caller that promises that no node but `stepped` changed since
    /// its previous call to either method (the simulator's world, whose nodes change only by
    /// stepping, crashing or restarting, each followed by a check). The result, and what the
    /// checker remembers, must be exactly `check`'s; a checker may use the promise to skip the
    /// nodes it already found clean. By default it is `check`.
    fn check_stepped(&mut self, now: Instant, stepped: NodeId, nodes: &[Option<N>]) -> Option<Violation> {
        self.check(now, stepped, nodes)
    }
}
