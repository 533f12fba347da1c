//! What the simulator needs to know about a protocol beyond the [`Node`] contract: its checker,
//! its broken variants, how to make client commands, and how scenarios ask about its state.

use crate::world::World;
use alloc::string::String;
use ballot_core::{Checker, Cluster, Node, NodeId, Prng};
use core::fmt::Display;

/// A protocol the simulator, the scenarios, the swarm, the CLI and the playground can run.
pub trait Protocol: Sized + Clone + core::fmt::Debug + 'static {
    /// The node type.
    type Node: Node<Command = Self::Command>;
    /// Client commands (shown as text in traces).
    type Command: Clone + Eq + core::hash::Hash + core::fmt::Debug + Display;
    /// The safety checker run after every step.
    type Checker: Checker<Self::Node>;

    /// Lowercase name used on the command line and in scenarios (`raft`).
    const NAME: &'static str;

    /// A fresh checker for `cluster`.
    fn checker(cluster: Cluster) -> Self::Checker;

    /// The protocol's default parameters.
    fn default_config() -> <Self::Node as Node>::Config;

    /// Names of the deliberately broken variants, kebab-case.
    fn bug_names() -> &'static [&'static str];

    /// The safety property (one of the checker's) that the broken variant `name` exists to
    /// break, so a swarm or scenario that catches it can tell the bug's own failure from another
    /// one. `None` for a name not in [`Protocol::bug_names`].
    fn bug_property(_name: &str) -> Option<&'static str> {
        None
    }

    /// Switches `config` to the broken variant `name`.
    fn set_bug(config: &mut <Self::Node as Node>::Config, name: &str) -> Result<(), String>;

    /// Sets one named parameter from a scenario's `config KEY VALUE` line (e.g.
    /// `config election-timeout 150..300ms`).
    fn configure(config: &mut <Self::Node as Node>::Config, key: &str, value: &str) -> Result<(), String>;

    /// Checks the parameters against the cluster they will run in (a parameter may name nodes;
    /// [`Protocol::configure`] does not know the cluster). A scenario calls it once its header
    /// is complete, before the first action.
    fn check_cluster(_config: &<Self::Node as Node>::Config, _cluster: Cluster) -> Result<(), String> {
        Ok(())
    }

    /// The broken variant `config` runs, by name (share links and exports record it).
    fn bug_of(_config: &<Self::Node as Node>::Config) -> Option<&'static str> {
        None
    }

    /// The parameters of `config` that differ from the defaults, as `config KEY VALUE` pairs that
    /// [`Protocol::configure`] reads back (share links and exports record them).
    fn config_pairs(_config: &<Self::Node as Node>::Config) -> alloc::vec::Vec<(&'static str, String)> {
        alloc::vec::Vec::new()
    }

    /// What a trace note adds to the space-time diagram (a role change or a commit), if
    /// anything, and on whose lifeline, worded in `lang`.
    fn annotate(
        _note: &<Self::Node as Node>::Note,
        _lang: ballot_core::Lang,
    ) -> Option<(NodeId, crate::diagram::MarkKind)> {
        None
    }

    /// Parses a client command written by a user or a scenario.
    fn parse_command(text: &str) -> Result<Self::Command, String>;

    /// A random client command (swarm and benchmark workloads).
    fn random_command(rng: &mut Prng) -> Self::Command;

    /// The timer that "force timeout" fires (Raft: the election timer).
    fn timeout_timer() -> <Self::Node as Node>::Timer;

    /// The node that currently leads, if the protocol has leaders and one is live.
    fn leader(world: &World<Self>) -> Option<NodeId>;

    /// Where a client should send its next command: the leader for leader-based protocols
    /// (the default), a proposer or the coordinator for others. `None` when nobody can take one.
    fn client_target(world: &World<Self>) -> Option<NodeId> {
        Self::leader(world)
    }

    /// A number that grows when the system makes progress (Raft: the highest commit index of a
    /// live node). The swarm's liveness phase requires it to grow.
    fn progress(world: &World<Self>) -> u64;

    /// Checks one scenario expectation, given as the words after `expect`.
    fn expect(world: &World<Self>, words: &[&str]) -> Result<(), String>;
}

/// Reads a bug name for [`Protocol::set_bug`]: `none` means the correct protocol; anything else
/// must be one of `names`, parsed by `parse`.
pub fn parse_bug<B>(
    name: &str,
    names: &[&str],
    parse: impl Fn(&str) -> Option<B>,
) -> Result<Option<B>, String> {
    if name == "none" {
        return Ok(None);
    }
    parse(name).map(Some).ok_or_else(|| alloc::format!("unknown bug `{name}`; known: {}", names.join(", ")))
}
