//! View adapters: one per protocol, from the simulator's state to [`crate::view`] data.
//!
//! Each reads a `World<P>` through its getters and fills [`crate::Parts`] (nodes, panels,
//! banner) and a [`crate::view::Chrome`] (legend, labels, broken variants). It decides nothing
//! about the protocol; it only copies, formats and words.

pub mod multipaxos;
pub mod paxos;
pub mod raft;
pub mod twopc;
pub mod zab;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use ballot_core::{Lang, NodeId};
use ballot_sim::{Protocol, World};

use crate::texts::texts;
use crate::view::{LegendItem, NodeView, Shape};

/// A node with only its identity filled in (adapters set the rest): its role (`data-role`) and
/// that role's name in the view's language.
pub fn node_view(id: NodeId, role_name: &str, role_label: &str, up: bool, shape: Shape) -> NodeView {
    NodeView {
        id: id.0,
        role: role_name.to_string(),
        role_label: role_label.to_string(),
        up,
        shape,
        can_timeout: up,
        ..NodeView::default()
    }
}

/// Explains a node's short line in its `title`: `S2 follower: term 3, voted for S1`.
pub fn explain(v: &mut NodeView, what: &str) {
    v.title = format!("S{} {}: {what}", v.id, v.role_label);
}

/// Explains a node's short line in its `title` by its first `rows` details rows (label and
/// value): `S2 follower: term 3 · voted for S1`.
pub fn explain_by(v: &mut NodeView, rows: usize) {
    let mut what = String::new();
    for (label, value) in v.details.iter().take(rows) {
        if !what.is_empty() {
            what.push_str(" · ");
        }
        what.push_str(label);
        what.push(' ');
        what.push_str(value);
    }
    explain(v, &what);
}

/// A `data-*` attribute.
pub fn attr(name: &str, value: impl Into<String>) -> (String, String) {
    (name.to_string(), value.into())
}

/// `"true"` or `"false"`.
pub fn flag(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// A role as the legend shows it: the node's classes, its shape, and its name in a language
/// (each adapter words its own roles, so an engine links only its protocol's).
pub type Role = (&'static str, Shape, fn(Lang) -> &'static str);

/// Followers, candidates and a leader (Raft, Multi-Paxos).
pub const LEADER_ROLES: &[Role] = &[
    ("follower", Shape::Circle, |l| texts(l).follower),
    ("candidate", Shape::Diamond, |l| texts(l).candidate),
    ("leader", Shape::Leader, |l| texts(l).leader),
];

/// The legend entries of `roles`, in `lang`.
pub fn legend(roles: &[Role], lang: Lang) -> Vec<LegendItem> {
    roles
        .iter()
        .map(|(class, shape, label)| LegendItem {
            class: class.to_string(),
            shape: *shape,
            label: label(lang).to_string(),
        })
        .collect()
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
        texts(lang).empty.to_string()
    } else {
        pairs.join(", ")
    }
}
