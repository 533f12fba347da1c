//! View adapters: one per protocol, from the simulator's state to plain view structs.
//!
//! Every adapter fills the same [`Snapshot`]: the shared parts (time, messages, partitions, the
//! feed, the invariant panel) come from the generic [`snapshot`] below, the nodes and the
//! protocol's own panel ([`Detail`]) from the adapter. The components draw views and never see a
//! protocol type.

pub mod multipaxos;
pub mod paxos;
pub mod raft;
pub mod twopc;

use std::rc::Rc;

use ballot_core::{Instant, Lang, Narrate, NodeId};
use ballot_sim::trace::TraceKind;
use ballot_sim::{Protocol, World};

use crate::state::FEED_LEN;

/// The protocols the playground offers.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum ProtocolKind {
    /// Raft.
    #[default]
    Raft,
    /// Basic (single-decree) Paxos.
    Paxos,
    /// Multi-Paxos.
    MultiPaxos,
    /// Two-phase commit.
    TwoPc,
}

impl ProtocolKind {
    /// Every protocol, in the picker's order.
    pub const ALL: [ProtocolKind; 4] =
        [ProtocolKind::Raft, ProtocolKind::Paxos, ProtocolKind::MultiPaxos, ProtocolKind::TwoPc];

    /// The name used in the URL and the DOM (`raft`, `paxos`, `multipaxos`, `twopc`).
    pub fn name(self) -> &'static str {
        match self {
            ProtocolKind::Raft => "raft",
            ProtocolKind::Paxos => "paxos",
            ProtocolKind::MultiPaxos => "multipaxos",
            ProtocolKind::TwoPc => "twopc",
        }
    }

    /// Parses what [`ProtocolKind::name`] prints.
    pub fn parse(s: &str) -> Option<ProtocolKind> {
        ProtocolKind::ALL.into_iter().find(|p| p.name() == s)
    }

    /// The protocol's broken variants, by name.
    pub fn bug_names(self) -> &'static [&'static str] {
        use ballot_sim::protocols::{MultiPaxos, Paxos, Raft, TwoPc};
        match self {
            ProtocolKind::Raft => Raft::bug_names(),
            ProtocolKind::Paxos => Paxos::bug_names(),
            ProtocolKind::MultiPaxos => MultiPaxos::bug_names(),
            ProtocolKind::TwoPc => TwoPc::bug_names(),
        }
    }

    /// The bug called `name`, as the `'static` name the protocol uses.
    pub fn bug(self, name: &str) -> Option<&'static str> {
        self.bug_names().iter().find(|b| **b == name).copied()
    }
}

/// How a node is drawn.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    /// A plain circle (follower, acceptor, participant, crashed).
    Circle,
    /// A diamond (candidate, active proposer).
    Diamond,
    /// A double circle with a star (leader).
    Leader,
    /// A square (2PC's coordinator).
    Square,
}

/// One node as drawn on the ring and in the node panel.
#[derive(Clone, PartialEq, Debug)]
pub struct NodeView {
    /// 1-based id.
    pub id: u8,
    /// `data-role` and CSS class (`follower`, `leader`, `proposer`, `coordinator`, `crashed`…).
    pub role: &'static str,
    /// Whether it is up.
    pub up: bool,
    /// How it is drawn.
    pub shape: Shape,
    /// `data-term`: Raft's term, Paxos' promised round, 2PC's transaction number.
    pub term: u64,
    /// The short line under the name (`T3 →S1`, `P3.1`, `tx1`).
    pub line: String,
    /// The label outside the ring (role and counts), in the page's language.
    pub caption: String,
    /// A second label outside the ring (accepted proposal, in-doubt warning…).
    pub extra: Option<String>,
    /// `data-state` (2PC: the TM's or RM's state), also a CSS class `state-…`.
    pub state: Option<&'static str>,
    /// `data-in-doubt` (2PC participants only).
    pub in_doubt: Option<bool>,
    /// `data-voted-for` (Raft only; empty when it voted for nobody).
    pub voted_for: Option<String>,
    /// `data-promised` (Paxos, Multi-Paxos; empty before the first promise).
    pub promised: Option<String>,
    /// `data-accepted` (Paxos: `3.1 x=5`, empty when nothing accepted).
    pub accepted: Option<String>,
    /// `data-phase` (Paxos' proposer).
    pub phase: Option<&'static str>,
    /// `data-learned` (Paxos' learner; empty when nothing learned).
    pub learned: Option<String>,
    /// Fraction of the protocol's timeout timer still to run (1 = just armed, 0 = firing).
    pub timer_left: Option<f64>,
    /// Partition group, when the network is partitioned.
    pub group: Option<u8>,
    /// Rows of the node panel: (label, value), in the page's language.
    pub details: Vec<(&'static str, String)>,
    /// Whether "force timeout" means something for this node.
    pub can_timeout: bool,
}

impl NodeView {
    /// A node with only its identity filled in (adapters set the rest).
    pub fn new(id: NodeId, role: &'static str, up: bool, shape: Shape) -> NodeView {
        NodeView {
            id: id.0,
            role,
            up,
            shape,
            term: 0,
            line: String::new(),
            caption: String::new(),
            extra: None,
            state: None,
            in_doubt: None,
            voted_for: None,
            promised: None,
            accepted: None,
            phase: None,
            learned: None,
            timer_left: None,
            group: None,
            details: Vec::new(),
            can_timeout: up,
        }
    }
}

/// `3.1`, or empty for [`ballot_paxos::Ballot::ZERO`].
pub fn ballot_text(b: ballot_paxos::Ballot) -> String {
    if b.is_zero() {
        String::new()
    } else {
        b.to_string()
    }
}

/// A state machine's pairs as `x=5, y=2` (or "empty").
pub fn kv_text(kv: &ballot_core::KvStore, lang: Lang) -> String {
    let pairs: Vec<String> = kv.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if pairs.is_empty() {
        crate::i18n::texts(lang).empty.to_string()
    } else {
        pairs.join(", ")
    }
}

/// One message dot.
#[derive(Clone, PartialEq, Debug)]
pub struct MsgView {
    /// Envelope id.
    pub id: u64,
    /// Sender.
    pub from: u8,
    /// Recipient.
    pub to: u8,
    /// Short label (`RV`, `AE✓`, `Prep`…).
    pub label: String,
    /// How far along its link, `0..=1`.
    pub progress: f64,
    /// The network will lose it.
    pub lost: bool,
}

/// A link between two servers that is blocked in at least one direction.
#[derive(Clone, PartialEq, Debug)]
pub struct BlockedLink {
    /// One end.
    pub a: u8,
    /// The other end.
    pub b: u8,
}

/// One line of the feed.
#[derive(Clone, PartialEq, Debug)]
pub struct FeedItem {
    /// Sequence number (unique, increasing).
    pub seq: u64,
    /// Virtual time, formatted.
    pub at: String,
    /// The narrated sentence.
    pub text: String,
    /// Kind, for styling (`violation` stands out).
    pub kind: &'static str,
    /// The message it is about (sent, delivered or dropped), if any.
    pub msg: Option<u64>,
}

/// A broken property, as shown.
#[derive(Clone, PartialEq, Debug)]
pub struct ViolationView {
    /// Nodes involved (`S1, S3`).
    pub nodes: String,
    /// When, formatted.
    pub at: String,
    /// Events processed when it was found.
    pub step: u64,
    /// The checker's sentence.
    pub detail: String,
}

/// One row of the invariant panel.
#[derive(Clone, PartialEq, Debug)]
pub struct PropertyView {
    /// The property's name.
    pub name: &'static str,
    /// Its violation, if any.
    pub violation: Option<ViolationView>,
}

/// A banner above the ring: what the protocol wants you to notice right now.
#[derive(Clone, PartialEq, Debug)]
pub enum Banner {
    /// Paxos: a value is chosen (the value, and the nodes that learned it).
    Chosen(String, String),
    /// 2PC: these participants are in doubt (ids), and whether the coordinator is down.
    InDoubt(String, bool),
}

/// The protocol's own panel on the right.
#[derive(Clone, PartialEq, Debug)]
pub enum Detail {
    /// Raft's log grid.
    Log(Rc<raft::LogView>),
    /// Paxos' roles table.
    Paxos(Rc<Vec<paxos::PaxosRow>>),
    /// Multi-Paxos' slot grid.
    Slots(Rc<multipaxos::SlotGrid>),
    /// 2PC's transaction table.
    TwoPc(Rc<twopc::TxnView>),
}

/// Everything the page draws for one frame.
#[derive(Clone, PartialEq, Debug)]
pub struct Snapshot {
    /// Which protocol.
    pub protocol: ProtocolKind,
    /// Virtual now, whole milliseconds.
    pub now_ms: u64,
    /// Virtual now, formatted.
    pub now: String,
    /// The live leader (Raft, Multi-Paxos) or the live coordinator (2PC).
    pub leader: Option<u8>,
    /// The chosen value (Paxos): `data-chosen` on the root.
    pub chosen: Option<String>,
    /// `World::fingerprint` in hex: the same value `ballot replay` prints for a share link.
    pub fingerprint: Option<String>,
    /// Number of violations.
    pub violations: usize,
    /// Events processed.
    pub events: u64,
    /// Servers.
    pub nodes: Rc<Vec<NodeView>>,
    /// Messages in flight.
    pub msgs: Rc<Vec<MsgView>>,
    /// Blocked links.
    pub blocked: Rc<Vec<BlockedLink>>,
    /// The protocol's panel.
    pub detail: Detail,
    /// The banner, if any.
    pub banner: Option<Banner>,
    /// Newest first.
    pub feed: Rc<Vec<FeedItem>>,
    /// The invariant panel.
    pub properties: Rc<Vec<PropertyView>>,
}

/// `12.345ms` → `12.3 ms`.
pub fn format_time(t: Instant) -> String {
    format!("{}.{} ms", t.micros / 1000, (t.micros % 1000) / 100)
}

fn feed_kind<N: ballot_core::Node>(kind: &TraceKind<N>) -> &'static str {
    match kind {
        TraceKind::Sent { .. } => "sent",
        TraceKind::Delivered { .. } => "delivered",
        TraceKind::Dropped { .. } => "dropped",
        TraceKind::TimerFired { .. } => "timer",
        TraceKind::Note(_) => "note",
        TraceKind::Crashed(_) | TraceKind::Restarted(_) => "fault",
        TraceKind::ClientAccepted { .. } | TraceKind::ClientRefused { .. } => "client",
        TraceKind::Network(_) => "network",
        TraceKind::Violation(_) => "violation",
    }
}

/// The partition group of `id`, when the network is partitioned.
pub fn group_of<P: Protocol>(world: &World<P>, id: NodeId) -> Option<u8> {
    world.reachability().groups().get(id.index()).copied()
}

/// Fraction of `id`'s [`Protocol::timeout_timer`] still to run, if armed.
pub fn timer_left<P: Protocol>(world: &World<P>, id: NodeId) -> Option<f64> {
    let now = world.now();
    let which = P::timeout_timer();
    world.timers(id).find(|(t, _)| *t == which).map(|(_, a)| {
        let total = a.fires_at.micros.saturating_sub(a.set_at.micros).max(1) as f64;
        let left = a.fires_at.micros.saturating_sub(now.micros) as f64;
        (left / total).clamp(0.0, 1.0)
    })
}

/// What an adapter reads from its protocol's world; [`snapshot`] adds the shared parts.
pub struct Parts {
    /// Which protocol.
    pub protocol: ProtocolKind,
    /// The nodes.
    pub nodes: Vec<NodeView>,
    /// The protocol's panel.
    pub detail: Detail,
    /// The banner, if any.
    pub banner: Option<Banner>,
    /// The chosen value (Paxos).
    pub chosen: Option<String>,
    /// `World::fingerprint`, where shown.
    pub fingerprint: Option<u64>,
}

/// The parts every protocol shares, around the adapter's nodes, panel and banner.
pub fn snapshot<P: Protocol>(world: &World<P>, lang: Lang, parts: Parts) -> Snapshot {
    let Parts { protocol, nodes, detail, banner, chosen, fingerprint } = parts;
    let now = world.now();
    let cluster = world.cluster();

    let msgs = world
        .in_flight()
        .iter()
        .map(|e| {
            let span = e.deliver_at.micros.saturating_sub(e.sent_at.micros).max(1) as f64;
            let done = now.micros.saturating_sub(e.sent_at.micros) as f64;
            MsgView {
                id: e.id,
                from: e.from.0,
                to: e.to.0,
                label: ballot_core::node::Message::label(&e.msg),
                progress: (done / span).clamp(0.0, 1.0),
                lost: e.lost,
            }
        })
        .collect();

    let reach = world.reachability();
    let mut blocked = Vec::new();
    for a in cluster.ids() {
        for b in cluster.ids().filter(|b| b.0 > a.0) {
            if !reach.can_send(a, b) || !reach.can_send(b, a) {
                blocked.push(BlockedLink { a: a.0, b: b.0 });
            }
        }
    }

    let feed = world
        .trace()
        .rev()
        .take(FEED_LEN)
        .enumerate()
        .map(|(i, ev)| FeedItem {
            seq: world.trace_total() - i as u64,
            at: format_time(ev.at),
            text: ev.narrate(lang),
            kind: feed_kind(&ev.kind),
            msg: match ev.kind {
                TraceKind::Sent { id, .. }
                | TraceKind::Delivered { id, .. }
                | TraceKind::Dropped { id, .. } => Some(id),
                _ => None,
            },
        })
        .collect();

    let properties = world
        .properties()
        .into_iter()
        .map(|name| PropertyView {
            name,
            violation: world.violations().iter().find(|v| v.property == name).map(|v| ViolationView {
                nodes: v.nodes.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", "),
                at: format_time(v.at),
                step: v.step,
                detail: v.detail.clone(),
            }),
        })
        .collect();

    Snapshot {
        protocol,
        now_ms: now.as_millis(),
        now: format_time(now),
        leader: P::leader(world).map(|id| id.0),
        chosen,
        fingerprint: fingerprint.map(|f| format!("{f:016x}")),
        violations: world.violations().len(),
        events: world.events(),
        nodes: Rc::new(nodes),
        msgs: Rc::new(msgs),
        blocked: Rc::new(blocked),
        detail,
        banner,
        feed: Rc::new(feed),
        properties: Rc::new(properties),
    }
}
