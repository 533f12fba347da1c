//! What happened, as data: the event feed, the space-time diagram and tests read it.

use crate::network::DropReason;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use ballot_core::{Instant, Lang, Narrate, Node, NodeId, Violation};

/// One entry of a run's trace.
#[derive(Clone, Debug)]
pub struct TraceEvent<N: Node> {
    /// Virtual time.
    pub at: Instant,
    /// Events processed when it happened.
    pub step: u64,
    /// What happened.
    pub kind: TraceKind<N>,
}

/// The kinds of trace entries.
#[derive(Clone, Debug)]
pub enum TraceKind<N: Node> {
    /// A message left `from` (envelope `id`); `label` is its short name.
    Sent {
        /// Envelope id.
        id: u64,
        /// Sender.
        from: NodeId,
        /// Recipient.
        to: NodeId,
        /// Short label.
        label: String,
    },
    /// A message arrived and was handed to its recipient.
    Delivered {
        /// Envelope id.
        id: u64,
        /// Sender.
        from: NodeId,
        /// Recipient.
        to: NodeId,
        /// Short label.
        label: String,
    },
    /// A message was not delivered.
    Dropped {
        /// Envelope id.
        id: u64,
        /// Sender.
        from: NodeId,
        /// Recipient.
        to: NodeId,
        /// Short label.
        label: String,
        /// Why.
        reason: DropReason,
    },
    /// A message came due but a hold ([`crate::Action::Hold`]) keeps it back.
    Held {
        /// Envelope id.
        id: u64,
        /// Sender.
        from: NodeId,
        /// Recipient.
        to: NodeId,
        /// Short label.
        label: String,
    },
    /// A held message was released: it is due again now.
    Released {
        /// Envelope id.
        id: u64,
        /// Sender.
        from: NodeId,
        /// Recipient.
        to: NodeId,
        /// Short label.
        label: String,
    },
    /// A timer fired.
    TimerFired {
        /// Whose.
        node: NodeId,
        /// Which.
        timer: N::Timer,
        /// Fired by the user rather than by time.
        forced: bool,
    },
    /// The protocol told us something.
    Note(N::Note),
    /// A node crashed.
    Crashed(NodeId),
    /// A node restarted from its durable state.
    Restarted(NodeId),
    /// A client command reached a node that accepted it.
    ClientAccepted {
        /// The node.
        node: NodeId,
        /// The command, as text.
        command: String,
    },
    /// A node refused a client command; `redirect` is where the client goes next.
    ClientRefused {
        /// The node.
        node: NodeId,
        /// The command, as text.
        command: String,
        /// The leader hint it gave, if any.
        redirect: Option<NodeId>,
    },
    /// The network changed (partition, heal, cut, parameters).
    Network(NetChange),
    /// A safety property was broken.
    Violation(Violation),
}

impl<N: Node> Narrate for TraceEvent<N> {
    fn narrate(&self, lang: Lang) -> String {
        use TraceKind::*;
        // Only notes (and timer names) depend on the protocol; everything else is worded by one
        // non-generic function, so the wasm bundle carries its sentences once, not per protocol.
        let plain = match &self.kind {
            Note(note) => return note.narrate(lang),
            Sent { from, to, label, .. } => Plain::Sent(*from, *to, label),
            Delivered { from, to, label, .. } => Plain::Delivered(*from, *to, label),
            Dropped { from, to, label, reason, .. } => Plain::Dropped(*from, *to, label, *reason),
            Held { from, to, label, .. } => Plain::Held(*from, *to, label, false),
            Released { from, to, label, .. } => Plain::Held(*from, *to, label, true),
            TimerFired { node, timer, forced } => Plain::Timer(*node, format!("{timer:?}"), *forced),
            Crashed(n) => Plain::Crashed(*n),
            Restarted(n) => Plain::Restarted(*n),
            ClientAccepted { node, command } => Plain::Accepted(*node, command),
            ClientRefused { node, command, redirect } => Plain::Refused(*node, command, *redirect),
            Network(change) => return change.narrate(lang),
            Violation(v) => Plain::Violation(v),
        };
        narrate_plain(plain, lang)
    }
}

/// A trace entry without its protocol-specific parts.
enum Plain<'a> {
    Sent(NodeId, NodeId, &'a str),
    Delivered(NodeId, NodeId, &'a str),
    Dropped(NodeId, NodeId, &'a str, DropReason),
    /// Held back (false) or released (true).
    Held(NodeId, NodeId, &'a str, bool),
    Timer(NodeId, String, bool),
    Crashed(NodeId),
    Restarted(NodeId),
    Accepted(NodeId, &'a str),
    Refused(NodeId, &'a str, Option<NodeId>),
    Violation(&'a Violation),
}

#[inline(never)]
fn narrate_plain(plain: Plain<'_>, lang: Lang) -> String {
    use Plain::*;
    let zh = lang == Lang::Zh;
    match plain {
        Sent(from, to, label) if zh => format!("{from} 发送 {label} 给 {to}"),
        Sent(from, to, label) => format!("{from} sent {label} to {to}"),
        Delivered(from, to, label) if zh => format!("{to} 收到来自 {from} 的 {label}"),
        Delivered(from, to, label) => format!("{to} received {label} from {from}"),
        Dropped(from, to, label, reason) => {
            let why = match (reason, zh) {
                (DropReason::Lost, false) => "lost by the network",
                (DropReason::Lost, true) => "被网络丢失",
                (DropReason::Partitioned, false) => "blocked by a partition",
                (DropReason::Partitioned, true) => "被网络分区阻断",
                (DropReason::NodeDown, false) => "the receiver is down",
                (DropReason::NodeDown, true) => "接收方已宕机",
                (DropReason::ByHand, false) => "dropped by you",
                (DropReason::ByHand, true) => "被你丢弃",
            };
            if zh {
                format!("{from} → {to} 的 {label} 未送达：{why}")
            } else {
                format!("{label} from {from} to {to} not delivered: {why}")
            }
        }
        Held(from, to, label, released) if zh => {
            format!("{from} → {to} 的 {label} {}", if released { "被放行" } else { "被扣留" })
        }
        Held(from, to, label, released) => {
            format!("{label} from {from} to {to} {}", if released { "released" } else { "held back" })
        }
        Timer(node, timer, forced) => match (zh, forced) {
            (false, false) => format!("{node}: {timer} timer fired"),
            (false, true) => format!("{node}: {timer} timer forced by you"),
            (true, false) => format!("{node}：{timer} 定时器到期"),
            (true, true) => format!("{node}：你强制触发了 {timer} 定时器"),
        },
        Crashed(n) if zh => format!("{n} 宕机（易失状态丢失，持久化状态保留）"),
        Crashed(n) => format!("{n} crashed (volatile state lost, persisted state kept)"),
        Restarted(n) if zh => format!("{n} 从持久化状态重启"),
        Restarted(n) => format!("{n} restarted from its persisted state"),
        Accepted(node, command) if zh => format!("客户端请求 {command} 被 {node} 接受"),
        Accepted(node, command) => format!("client request {command} accepted by {node}"),
        Refused(node, command, Some(r)) if zh => {
            format!("{node} 不是领导者，拒绝了 {command}，客户端转向 {r}")
        }
        Refused(node, command, Some(r)) => {
            format!("{node} is not the leader and refused {command}; the client retries at {r}")
        }
        Refused(node, command, None) if zh => format!("{node} 拒绝了 {command}，且不知道谁是领导者"),
        Refused(node, command, None) => format!("{node} refused {command} and knows no leader"),
        Violation(v) if zh => format!("违反安全性：{}（{}）", v.property, v.detail),
        Violation(v) => format!("SAFETY VIOLATION: {} ({})", v.property, v.detail),
    }
}

/// A change to the network made by an intervention.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum NetChange {
    /// The cluster was split into these groups.
    Partition(Vec<Vec<NodeId>>),
    /// All partitions and cut links were removed.
    Heal,
    /// The one-way link was cut.
    Cut(NodeId, NodeId),
    /// The one-way link was restored.
    Restore(NodeId, NodeId),
    /// Latency, loss, duplication or reordering changed (of the network or of some links).
    Parameters,
    /// A hold began: matching messages will wait when they come due (each one is traced as
    /// [`TraceKind::Held`]; the history has the hold's kind and link).
    Hold,
    /// Holds ended (each message let go is traced as [`TraceKind::Released`]).
    Release,
}

fn groups_text(groups: &[Vec<NodeId>]) -> String {
    let mut out = String::new();
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            out.push_str(" | ");
        }
        for (j, id) in g.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&format!("{id}"));
        }
    }
    out
}

impl Narrate for NetChange {
    fn narrate(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            NetChange::Partition(g) if zh => format!("网络分区：{}", groups_text(g)),
            NetChange::Partition(g) => format!("network partitioned: {}", groups_text(g)),
            NetChange::Heal if zh => String::from("网络恢复：所有分区和断开的链路都已修复"),
            NetChange::Heal => String::from("network healed: every partition and cut link removed"),
            NetChange::Cut(a, b) if zh => format!("链路 {a} → {b} 已单向断开"),
            NetChange::Cut(a, b) => format!("link {a} → {b} cut (one way)"),
            NetChange::Restore(a, b) if zh => format!("链路 {a} → {b} 已恢复"),
            NetChange::Restore(a, b) => format!("link {a} → {b} restored"),
            NetChange::Parameters if zh => String::from("网络参数已更改"),
            NetChange::Parameters => String::from("network parameters changed"),
            NetChange::Hold if zh => String::from("开始扣留消息"),
            NetChange::Hold => String::from("messages are held back from now on"),
            NetChange::Release if zh => String::from("放行扣留的消息"),
            NetChange::Release => String::from("held messages released"),
        }
    }
}
