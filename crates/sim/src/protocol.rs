//! What the simulator needs to know about a protocol beyond the [`Node`] contract: its checker,
//! its broken variants, how to make client commands, and how scenarios ask about its state.

use crate::action::Action;
use crate::network::Envelope;
use crate::world::{MsgOf, World};
use alloc::string::String;
use alloc::vec::Vec;
use ballot_core::{Checker, Cluster, Duration, Node, NodeId, Prng};
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

    /// Every timer the protocol's nodes arm, in a fixed order: a share link carries a timer as
    /// its index here ([`crate::Action::Fire`]), a scenario by its lowercase name (`fire 2
    /// heartbeat`). Empty by default (then only the timeout timer can be shared).
    fn timers() -> &'static [<Self::Node as Node>::Timer] {
        &[]
    }

    /// Model checking ([`crate::check`]): the highest "term" in `world` — Raft's currentTerm,
    /// a Paxos round, or any other number in the nodes that only grows (2PC's status queries) —
    /// which `ballot check --max-term` bounds (states above it are not explored). 0, the
    /// default, for a protocol with nothing of the kind.
    fn check_term(_world: &World<Self>) -> u64 {
        0
    }

    /// Model checking: the bounds and step kinds `ballot check` uses by default, for the correct
    /// protocol (`bug` = `None`) or a broken variant: small enough to finish in seconds, large
    /// enough for the variant's counterexample.
    fn check_defaults(_bug: Option<&str>) -> (crate::check::Bounds, crate::check::Allow) {
        (crate::check::Bounds::default(), crate::check::Allow::ALL)
    }

    /// Model checking: for a broken variant whose counterexample lies beyond what a search from
    /// the initial state can reach in seconds, the state the search starts from instead
    /// ([`crate::check::SimModel::starting_after`]). `None` (the initial state) by default.
    fn check_start(_bug: Option<&str>) -> Option<CheckStart> {
        None
    }

    /// Model checking: the live nodes a client request may be sent to. Every live node by
    /// default. A protocol whose other nodes only refuse (or redirect to one of these) lists
    /// these alone: a request elsewhere either changes nothing but the budget used, a state the
    /// model reaches anyway with more budget left, or takes the same step at one of them.
    fn check_request_targets(world: &World<Self>) -> Vec<NodeId> {
        world.cluster().ids().filter(|id| world.is_up(*id)).collect()
    }

    /// Model checking: whether `envelope`, in flight in `world`, is *inert*: delivering it, now
    /// or in any state reachable from this one, changes no node (it is ignored, or its
    /// recipient is down). The model neither delivers, drops nor duplicates an inert message,
    /// does not count it in flight and leaves it out of the state. `false` by default.
    fn check_inert(_world: &World<Self>, _envelope: &Envelope<MsgOf<Self>>) -> bool {
        false
    }

    /// Model checking: whether the nodes are interchangeable: they run the same code, start
    /// alike and no step depends on the order of their ids, so renaming the nodes of a state
    /// (`S1`↔`S2`…) gives a state with the same futures, up to the same renaming, and the
    /// properties judge both alike; and messages carry no node ids but their envelope's. The
    /// model then treats such states as one (symmetry reduction): it hashes each under the
    /// renamings that sort the nodes by [`Protocol::check_node_class`] and keeps the least,
    /// through the digests below, which must then map every node id they hash through
    /// `rename`. `false` by default.
    fn check_symmetric() -> bool {
        false
    }

    /// Model checking, for a symmetric protocol: a digest of `node` that mentions no node id,
    /// so it is the same under any renaming (e.g. its term, log and role's name). Nodes of
    /// different classes are never swapped, so the better it tells nodes apart the fewer
    /// renamings a state is hashed under; any value is correct (the default, 0, tries them all).
    fn check_node_class(_node: &Self::Node) -> u64 {
        0
    }

    /// Model checking: a digest of what of `node` the model tells apart, with every node id
    /// `n` in it read as `rename[n.index()]`. All of it, ids as they are, by default; a
    /// protocol may leave out what no step of its nodes reads and no property looks at (e.g. a
    /// hint only shown to clients, which [`Protocol::check_request_targets`] bypasses).
    fn check_node_digest(node: &Self::Node, _rename: &[NodeId]) -> u64 {
        ballot_core::hash::stable_hash(node)
    }

    /// Model checking: the digest of a crashed node's stable storage, ids renamed as in
    /// [`Protocol::check_node_digest`].
    fn check_durable_digest(durable: &<Self::Node as Node>::Durable, _rename: &[NodeId]) -> u64 {
        ballot_core::hash::stable_hash(durable)
    }

    /// Model checking: a digest of what the checker remembers that can change its verdicts on
    /// the rest of a run, ids renamed as in [`Protocol::check_node_digest`].
    /// [`World::history_digest`] by default; a protocol may leave out what only words a
    /// violation (who was first to hold an entry, say).
    fn check_history_digest(world: &World<Self>, _rename: &[NodeId]) -> u64 {
        world.history_digest()
    }

    /// The node that currently leads, if the protocol has leaders and one is live.
    fn leader(world: &World<Self>) -> Option<NodeId>;

    /// Where a client should send its next command: the leader for leader-based protocols
    /// (the default), a proposer or the coordinator for others. `None` when nobody can take one.
    fn client_target(world: &World<Self>) -> Option<NodeId> {
        Self::leader(world)
    }

    /// The playground's background workload ([`crate::workload`]): when its first request is due
    /// and the mean gap between requests (each is jittered by up to half the gap).
    fn workload_schedule() -> (Duration, Duration) {
        (Duration::from_millis(400), Duration::from_millis(250))
    }

    /// What one request of the background workload sends, given the world at its instant: by
    /// default one random command to [`Protocol::client_target`], nothing while there is none.
    fn workload(world: &World<Self>, rng: &mut Prng) -> Vec<Action<Self::Node>> {
        let command = Self::random_command(rng);
        Self::client_target(world).map(|node| Action::Request { node, command }).into_iter().collect()
    }

    /// The nodes the swarm's liveness phase keeps up; the others are crashed and stay down.
    /// By default a random bare majority: a fault-tolerant protocol must make progress with
    /// any majority and no more (TigerBeetle's VOPR does the same).
    fn liveness_survivors(cluster: Cluster, rng: &mut Prng) -> Vec<NodeId> {
        random_majority(cluster, &[], rng)
    }

    /// A number that grows when the system makes progress (Raft: the highest commit index of a
    /// live node). The swarm's liveness phase requires it to grow.
    fn progress(world: &World<Self>) -> u64;

    /// Checks one scenario expectation, given as the words after `expect`.
    fn expect(world: &World<Self>, words: &[&str]) -> Result<(), String>;

    /// The named views of the protocol's internals that [`Protocol::probe`] reads, for
    /// `expect NAME ARGS = VALUE` lines and for `ballot probes PROTOCOL`.
    fn probes() -> &'static [Probe] {
        &[]
    }

    /// Reads probe `name` (one of [`Protocol::probes`]) with its arguments, e.g.
    /// `("next-index", ["1->2"])`. An error says why it cannot be read: a node that is down or
    /// not in the cluster, a leader-only value asked of a follower, a malformed argument.
    fn probe(_world: &World<Self>, name: &str, _args: &[&str]) -> Result<Value, String> {
        Err(alloc::format!("{} has no probe `{name}`", Self::NAME))
    }
}

/// A random bare majority of `cluster` that includes every node of `always` (the order is
/// the cluster's).
pub fn random_majority(cluster: Cluster, always: &[NodeId], rng: &mut Prng) -> Vec<NodeId> {
    let mut chosen: Vec<NodeId> = always.iter().copied().filter(|&id| cluster.contains(id)).collect();
    let mut others: Vec<NodeId> = cluster.ids().filter(|id| !chosen.contains(id)).collect();
    while chosen.len() < usize::from(cluster.majority()) && !others.is_empty() {
        let pick = rng.below(others.len() as u64) as usize;
        chosen.push(others.swap_remove(pick));
    }
    chosen.sort();
    chosen
}

/// One named view of a protocol's internals, as `ballot probes PROTOCOL` lists it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Probe {
    /// The name a scenario writes after `expect` (`next-index`).
    pub name: &'static str,
    /// The shape of its arguments: `A->B` (a link), `N` (a node), `N SLOT`, `N term`, or empty.
    pub args: &'static str,
    /// What it reads, in one line.
    pub doc: &'static str,
}

/// What a probe read. A scenario compares it with the text after the operator: numbers and
/// ballots with `=`, `!=`, `>=`, `<=`, `>`, `<`; nodes and text with `=` and `!=` only.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Value {
    /// A count, an index, a term.
    Num(u64),
    /// A Paxos ballot, ordered by round then proposer, written `3.1`.
    Ballot(ballot_paxos::Ballot),
    /// A node (`2`, or `S2` in the scenario) or none.
    Node(Option<NodeId>),
    /// Anything else, compared as text (`follower`, `1,3`, `3.1 x=5`, `none`).
    Text(String),
}

impl Display for Value {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Value::Num(n) => write!(f, "{n}"),
            Value::Ballot(b) => write!(f, "{b}"),
            Value::Node(Some(id)) => write!(f, "{}", id.0),
            Value::Node(None) => f.write_str("none"),
            Value::Text(t) => f.write_str(t),
        }
    }
}

impl Value {
    /// Whether `self OP want` holds, `want` being the scenario's text; an error when `want` is
    /// not of the value's kind or `OP` does not apply to it.
    pub fn compare(&self, op: &str, want: &str) -> Result<bool, String> {
        use core::cmp::Ordering;
        if want == "none" && matches!(self, Value::Num(_) | Value::Ballot(_)) {
            // A number or ballot is never none (a probe that may have none reads as text).
            return equality(op, false, self);
        }
        let order: Option<Ordering> = match self {
            Value::Num(n) => {
                let w: u64 =
                    want.parse().map_err(|_| alloc::format!("`{want}` is not a number, and {self} is"))?;
                Some(n.cmp(&w))
            }
            Value::Ballot(b) => {
                let w = ballot_paxos::Ballot::parse(want)
                    .ok_or_else(|| alloc::format!("`{want}` is not a ballot (write ROUND.NODE, e.g. 3.1)"))?;
                Some(b.cmp(&w))
            }
            Value::Node(id) => {
                let w = if want == "none" { None } else { Some(crate::scenario::parse_node(want)?) };
                return equality(op, *id == w, self);
            }
            Value::Text(t) => return equality(op, t == want, self),
        };
        let o = order.expect("numbers and ballots are ordered");
        Ok(match op {
            "=" | "==" => o == Ordering::Equal,
            "!=" => o != Ordering::Equal,
            ">=" => o != Ordering::Less,
            "<=" => o != Ordering::Greater,
            ">" => o == Ordering::Greater,
            "<" => o == Ordering::Less,
            _ => return Err(alloc::format!("`{op}` is not a comparison (=, !=, >=, <=, >, <)")),
        })
    }
}

fn equality(op: &str, equal: bool, value: &Value) -> Result<bool, String> {
    match op {
        "=" | "==" => Ok(equal),
        "!=" => Ok(!equal),
        _ => Err(alloc::format!("`{op}` compares numbers; `{value}` can only be compared with = or !=")),
    }
}

/// The live nodes of `world` in id order (crashed ones left out): what `expect` lines look at.
pub fn live<P: Protocol>(world: &World<P>) -> impl Iterator<Item = &P::Node> {
    world.nodes().iter().flatten()
}

/// The live node an `expect` line names (`S2` or `2`): an error if it is down or not in the
/// cluster.
pub fn expect_node<'w, P: Protocol>(world: &'w World<P>, word: &str) -> Result<&'w P::Node, String> {
    let id = crate::scenario::parse_node(word)?;
    world.node(id).ok_or_else(|| alloc::format!("{id} is down or not in the cluster"))
}

/// A whole number an `expect` line wrote.
pub fn parse_u64(s: &str) -> Result<u64, String> {
    s.parse().map_err(|_| alloc::format!("`{s}` is not a number"))
}

/// `2` means exactly 2; `>= 2` is written as the two words `>=` and `2`.
pub fn compare_number(words: &[&str], actual: u64, what: &str) -> Result<(), String> {
    let (ok, wanted) = match words {
        [">=", n] => (actual >= parse_u64(n)?, alloc::format!(">= {n}")),
        [n] => (actual == parse_u64(n)?, String::from(*n)),
        _ => return Err(alloc::format!("expected a number or `>= N` for {what}")),
    };
    if ok {
        Ok(())
    } else {
        Err(alloc::format!("{what} is {actual}, expected {wanted}"))
    }
}

/// The node a probe argument names, if it is in the cluster (it may be down).
pub fn probe_node<P: Protocol>(world: &World<P>, word: &str) -> Result<NodeId, String> {
    let id = crate::scenario::parse_node(word)?;
    if world.cluster().contains(id) {
        Ok(id)
    } else {
        Err(alloc::format!("{id} is not in this cluster of {}", world.cluster().size()))
    }
}

/// The live node a probe argument names: an error if it is down or not in the cluster.
pub fn probe_live<'w, P: Protocol>(world: &'w World<P>, word: &str) -> Result<&'w P::Node, String> {
    let id = probe_node(world, word)?;
    world.node(id).ok_or_else(|| alloc::format!("{id} is down (crashed); its volatile state is gone"))
}

/// The one argument a probe of shape `N` takes.
pub fn one_arg<'a>(name: &str, args: &[&'a str], shape: &str) -> Result<&'a str, String> {
    match args {
        [a] => Ok(a),
        _ => Err(alloc::format!("write `{name} {shape} = VALUE`")),
    }
}

/// Parses a link argument `A->B`.
pub fn parse_link<P: Protocol>(world: &World<P>, word: &str) -> Result<(NodeId, NodeId), String> {
    let (a, b) =
        word.split_once("->").ok_or_else(|| alloc::format!("`{word}` is not a link (write 1->2)"))?;
    Ok((probe_node(world, a)?, probe_node(world, b)?))
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

/// Where a model check of a broken variant starts when not at the initial state
/// ([`Protocol::check_start`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckStart {
    /// Scenario lines without the header (`;` separates lines as on the command line), run on
    /// the model's configuration: the search starts where they leave the world.
    pub script: &'static str,
    /// The property the search from there breaks (the variant's own, or another consequence of
    /// the same departure that shows first from this state).
    pub breaks: &'static str,
    /// The cluster size the script is written for (the start applies to that size only).
    pub nodes: u8,
    /// What the start state is, in one sentence, in English and in Simplified Chinese.
    pub why: [&'static str; 2],
}

impl CheckStart {
    /// [`CheckStart::why`] in `lang`.
    pub fn why(&self, lang: ballot_core::Lang) -> &'static str {
        self.why[usize::from(lang == ballot_core::Lang::Zh)]
    }
}
