//! # ballot-raft: Raft, exactly as Figure 2 says
//!
//! This crate is the Raft consensus algorithm of Diego Ongaro and John Ousterhout, "In Search of
//! an Understandable Consensus Algorithm" (USENIX ATC 2014), written so that it can be read line
//! by line against the paper's **Figure 2**: every rule of the figure is quoted in the doc
//! comment of the method that implements it, with the section it comes from. Nothing beyond
//! Figure 2 is implemented: no pre-vote, no membership change, no no-op entry on election, no
//! snapshots.
//!
//! ## The algorithm in one screen
//!
//! Servers are **followers**, **candidates** or **leaders** ([`Role`]). Time is cut into
//! **terms**; each term begins with an election (§5.1).
//!
//! 1. A follower that hears nothing from a leader for an *election timeout* becomes a candidate:
//!    it increments its term, votes for itself and sends `RequestVote` to everyone (§5.2).
//! 2. A server grants at most one vote per term, and only to a candidate whose log is *at least
//!    as up-to-date* as its own ([`log::log_is_up_to_date`], §5.4.1). A candidate with votes from
//!    a majority becomes leader.
//! 3. The leader appends client commands to its log and replicates them with `AppendEntries`,
//!    which also serves as heartbeat. A follower accepts entries only if its log holds the entry
//!    just before them (the consistency check, §5.3); otherwise the leader backs off one entry
//!    and retries.
//! 4. An entry of the leader's current term stored on a majority is **committed**; committed
//!    entries are applied in order to the state machine ([`ballot_core::KvStore`]). Entries of
//!    earlier terms are committed only indirectly (§5.4.2, Figure 8).
//! 5. Any message with a higher term turns its receiver into a follower of that term (§5.1).
//!
//! ## Sans-IO
//!
//! A [`RaftNode`] is a value. It never reads a clock, draws a random number or does I/O. It
//! implements [`ballot_core::Node`]: one door, [`Node::step`](ballot_core::Node::step), takes a delivered message, a fired
//! timer or a client command, and writes [`ballot_core::Effect`]s into an outbox: `Persist`
//! (always before any `Send` of the same step), `Send`, `SetTimer` (the election timer as a
//! *range*: the driver picks the instant), `CancelTimer` and `Note`s for the event feed
//! ([`RaftNote`], narrated in English and Simplified Chinese).
//!
//! ## Driving three nodes by hand
//!
//! The driver owns the network. Here it is a queue, and the election timer of `S1` is fired by
//! hand:
//!
//! ```
//! use std::collections::VecDeque;
//! use ballot_core::{Cluster, Command, Effect, Input, Instant, Node, NodeId, Outbox};
//! use ballot_raft::{RaftConfig, RaftDurable, RaftMsg, RaftNode, RaftTimer, RoleName};
//!
//! type Wire = VecDeque<(NodeId, NodeId, RaftMsg)>;
//!
//! /// Steps node `id` and puts what it sends on the wire (timers and notes are dropped here).
//! fn step(nodes: &mut [RaftNode], wire: &mut Wire, id: NodeId,
//!         input: Input<RaftMsg, RaftTimer, Command>) {
//!     let mut out = Outbox::default();
//!     nodes[id.index()].step(Instant::ZERO, input, &mut out).expect("accepted");
//!     for effect in out.drain() {
//!         if let Effect::Send { to, msg } = effect {
//!             wire.push_back((id, to, msg));
//!         }
//!     }
//! }
//!
//! /// Delivers every message in flight, and what they cause, in order.
//! fn deliver_all(nodes: &mut [RaftNode], wire: &mut Wire) {
//!     while let Some((from, to, msg)) = wire.pop_front() {
//!         step(nodes, wire, to, Input::Deliver { from, msg });
//!     }
//! }
//!
//! let cluster = Cluster::new(3);
//! let config = RaftConfig::default();
//! let mut out = Outbox::default();
//! let mut nodes: Vec<RaftNode> = cluster
//!     .ids()
//!     .map(|id| RaftNode::boot(id, cluster, &config, RaftDurable::default(), Instant::ZERO, &mut out))
//!     .collect();
//! let mut wire = Wire::new();
//!
//! // S1's election timer fires first: it becomes candidate of term 1 and asks for votes.
//! step(&mut nodes, &mut wire, NodeId(1), Input::Timer(RaftTimer::Election));
//! assert_eq!(nodes[0].role_name(), RoleName::Candidate);
//! deliver_all(&mut nodes, &mut wire);
//! assert_eq!(nodes[0].role_name(), RoleName::Leader);
//! assert_eq!(nodes[0].current_term(), 1);
//! assert_eq!(nodes[2].leader_hint(), Some(NodeId(1)));
//!
//! // A client asks S2, which redirects it to the leader.
//! let x5 = Command::parse("x=5").unwrap();
//! let refused = nodes[1].step(Instant::ZERO, Input::Client(x5.clone()), &mut out);
//! assert_eq!(refused, Err(ballot_core::ClientError::NotLeader { hint: Some(NodeId(1)) }));
//!
//! // The leader appends the command, replicates it, and commits it on a majority.
//! step(&mut nodes, &mut wire, NodeId(1), Input::Client(x5));
//! deliver_all(&mut nodes, &mut wire);
//! assert_eq!(nodes[0].commit_index(), 1);
//! assert_eq!(nodes[0].kv().get("x"), Some("5"));
//!
//! // Followers learn the new commit index with the next heartbeat, and apply the entry.
//! step(&mut nodes, &mut wire, NodeId(1), Input::Timer(RaftTimer::Heartbeat));
//! deliver_all(&mut nodes, &mut wire);
//! for node in &nodes {
//!     assert_eq!(node.log().last_index(), 1);
//!     assert_eq!(node.kv().get("x"), Some("5"));
//! }
//! ```
//!
//! ## Modules
//!
//! | module | what it holds |
//! |---|---|
//! | [`node`] | [`RaftNode`], [`Role`], the step rules of Figure 2, [`leader_commit_index`] |
//! | [`log`] | [`Log`], [`Entry`] with its prefix hash chain, the §5.4.1 comparison |
//! | [`message`] | [`RaftMsg`]: RequestVote, AppendEntries and their replies |
//! | [`config`] | [`RaftConfig`] and [`ConfigError`] |
//! | [`note`] | [`RaftNote`]: trace notes, narrated in two languages |
//! | [`safety`] | [`RaftChecker`]: the five safety properties of Figure 3 |
//! | [`bug`] | [`RaftBug`]: deliberately broken variants the checker catches |
//!
//! ## Where this differs from a literal reading
//!
//! * RPCs are one-way messages; the sender's id stands for `candidateId`/`leaderId`, and an
//!   AppendEntries reply echoes the request's `prevLogIndex` and reports the matched index, so a
//!   late or duplicated reply is recognised (see [`RaftMsg::AppendEntriesReply`]).
//! * `commitIndex` never decreases on a follower, even when a late AppendEntries carries fewer
//!   entries than are already committed (see `handle_append_entries` in [`node`]).
//! * AppendEntries that no correct leader could send (entry terms out of order or above the
//!   message's term) and messages from unknown senders are ignored with a note.
#![no_std]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod bug;
pub mod config;
pub mod log;
pub mod message;
pub mod node;
pub mod note;
pub mod safety;

#[cfg(test)]
mod testing;

pub use bug::RaftBug;
pub use config::{ConfigError, RaftConfig};
pub use log::{Entry, Log, LogIndex, Term};
pub use message::{MsgKind, RaftMsg};
pub use node::{
    leader_commit_index, LeaderState, RaftDurable, RaftNode, RaftOutbox, RaftTimer, Role, RoleName, VoteSet,
};
pub use note::{Malformed, RaftEvent, RaftNote, VoteDenial};
pub use safety::RaftChecker;
