//! # ballot-zab: ZooKeeper Atomic Broadcast
//!
//! Zab as Junqueira, Reed and Serafini describe it ("Zab: High-performance broadcast for
//! primary-backup systems", DSN 2011) and as ZooKeeper's TLA+ specification
//! (`zookeeper-specifications/protocol-spec/Zab.tla`) names its messages, with Fast Leader
//! Election in front (`FastLeaderElection.java`; Medeiros, "ZooKeeper's atomic broadcast
//! protocol: Theory and practice", 2012).
//!
//! ## The protocol in one screen
//!
//! A server is **LOOKING**, **FOLLOWING** or **LEADING** ([`RoleName`]); a follower or leader is
//! in one of three **phases** ([`Phase`]). Transactions carry a **zxid** ([`Zxid`]): the epoch
//! of the primary that proposed them and a counter, printed `0x1_0003`.
//!
//! 0. **Fast Leader Election.** A looking server votes for itself and tells everyone; votes are
//!    ordered by (currentEpoch, last zxid, server id) and a server adopts any better vote it
//!    hears. When a quorum of its round agrees with its vote, the vote's server leads and the
//!    others follow. A server that hears from a quorum already following a leader joins it.
//! 1. **Discovery.** Each follower sends CEPOCH(acceptedEpoch). With a quorum (itself
//!    included) the leader picks e′ = max + 1 and sends NEWEPOCH(e′). A follower accepts only
//!    an epoch above its acceptedEpoch, persists it, and replies ACKEPOCH(currentEpoch, history).
//! 2. **Synchronisation.** With a quorum of ACKEPOCH, the leader takes the most recent history
//!    (highest currentEpoch, then last zxid) as the initial history I_e′, sets currentEpoch,
//!    persists, and sends NEWLEADER(e′, I_e′). A follower adopts it, persists, replies ACKLD.
//!    With a quorum of ACKLD the leader delivers I_e′ and sends COMMITLD: the epoch is
//!    **established**. This is the paper's full-history variant (the whole history travels in
//!    ACKEPOCH and NEWLEADER); ZooKeeper's DIFF, TRUNC and SNAP are optimisations of it.
//! 3. **Broadcast.** The leader proposes client commands as (e′, 1), (e′, 2)…: PROPOSE, a
//!    follower appends, persists and ACKs; with a quorum of ACKs the leader delivers and sends
//!    COMMIT. A follower that joins an established leader is synchronised the same way.
//!
//! ## Sans-IO, and what differs from ZooKeeper
//!
//! A [`ZabNode`] implements [`ballot_core::Node`]: no clock, no randomness, no I/O. Timers are
//! ranges the driver resolves: [`ZabTimer::Election`] (after boot, start the first election
//! round; while looking, send the vote again and wait twice as long, up to eight times; give up
//! on a silent leader; a leader steps down if its epoch is not established within four timeouts
//! or it heard from no quorum since the last one) and [`ZabTimer::Heartbeat`] (a leader's
//! heartbeat and resends; a looking server's finalize wait).
//!
//! ZooKeeper relies on TCP's FIFO channels; here messages may be lost, duplicated and reordered,
//! so PROPOSE names its predecessor, ACKEPOCH the epoch it accepts, COMMIT doubles as the
//! heartbeat and is answered by an ACK of the follower's last zxid, and the leader resends
//! NEWEPOCH, NEWLEADER and unacknowledged proposals on its heartbeat. A prospective leader
//! keeps the CEPOCHs that arrive while it is still looking. A follower that accepted the epoch
//! before (a rejoin) answers NEWEPOCH with an ACKEPOCH that does not count towards the quorum,
//! as ZooKeeper's epoch `-1` does.
//!
//! ```
//! use std::collections::VecDeque;
//! use ballot_core::{Cluster, Command, Effect, Input, Instant, Node, NodeId, Outbox};
//! use ballot_zab::{Phase, RoleName, ZabConfig, ZabDurable, ZabMsg, ZabNode, ZabTimer};
//!
//! let cluster = Cluster::new(3);
//! let config = ZabConfig::default();
//! let mut wire: VecDeque<(NodeId, NodeId, ZabMsg)> = VecDeque::new();
//! let mut out = Outbox::default();
//! let mut nodes: Vec<ZabNode> = cluster
//!     .ids()
//!     .map(|id| ZabNode::boot(id, cluster, &config, ZabDurable::default(), Instant::ZERO, &mut out))
//!     .collect();
//! // S1's election timer fires first: round 1, it votes for itself and notifies the others.
//! nodes[0].step(Instant::ZERO, Input::Timer(ZabTimer::Election), &mut out).unwrap();
//! for e in out.drain() {
//!     if let Effect::Send { to, msg } = e { wire.push_back((NodeId(1), to, msg)); }
//! }
//! let mut run = |nodes: &mut Vec<ZabNode>, wire: &mut VecDeque<(NodeId, NodeId, ZabMsg)>,
//!                first: Option<(NodeId, Command)>| {
//!     let mut out = Outbox::default();
//!     if let Some((id, c)) = first {
//!         nodes[id.index()].step(Instant::ZERO, Input::Client(c), &mut out).unwrap();
//!         for e in out.drain() {
//!             if let Effect::Send { to, msg } = e { wire.push_back((id, to, msg)); }
//!         }
//!     }
//!     while let Some((from, to, msg)) = wire.pop_front() {
//!         nodes[to.index()].step(Instant::ZERO, Input::Deliver { from, msg }, &mut out).unwrap();
//!         for e in out.drain() {
//!             if let Effect::Send { to: next, msg } = e { wire.push_back((to, next, msg)); }
//!         }
//!     }
//! };
//! run(&mut nodes, &mut wire, None);
//! // Every vote ties on (epoch, zxid): the highest id wins. Once all three votes agree nobody
//! // waits (the finalize wait is for a quorum without every vote); S3 establishes epoch 1.
//! assert_eq!(nodes[2].role_name(), RoleName::Leading);
//! assert_eq!((nodes[2].phase(), nodes[2].current_epoch()), (Phase::Broadcast, 1));
//! run(&mut nodes, &mut wire, Some((NodeId(3), Command::parse("x=5").unwrap())));
//! for n in &nodes {
//!     assert_eq!(n.kv().get("x"), Some("5"));
//!     assert_eq!(n.committed_zxid().to_string(), "0x1_0001");
//! }
//! ```
//!
//! ## Modules
//!
//! | module | what it holds |
//! |---|---|
//! | [`node`] | [`ZabNode`], [`Role`], [`Phase`], the election and the three phases |
//! | [`zxid`] | [`Zxid`], [`Vote`], [`History`] with its prefix hash chain |
//! | [`message`] | [`ZabMsg`]: the notification and the nine messages of the phases |
//! | [`config`] | [`ZabConfig`] and [`ConfigError`] |
//! | [`note`] | [`ZabNote`]: trace notes, narrated in two languages |
//! | [`safety`] | [`ZabChecker`]: the paper's six properties and Committed Never Lost |
//! | [`bug`] | [`ZabBug`]: deliberately broken variants the checker catches |
#![no_std]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod bug;
pub mod config;
pub mod message;
pub mod node;
pub mod note;
pub mod safety;
pub mod zxid;

#[cfg(test)]
mod testing;

pub use bug::ZabBug;
pub use config::{ConfigError, ZabConfig};
pub use message::{PeerState, ZabMsg};
pub use node::{
    Following, Leading, Looking, Phase, Role, RoleName, ZabDurable, ZabNode, ZabOutbox, ZabTimer,
};
pub use note::{IgnoreReason, LookReason, ZabEvent, ZabNote};
pub use safety::ZabChecker;
pub use zxid::{Entry, Epoch, History, Vote, Zxid};
