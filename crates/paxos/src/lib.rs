//! # ballot-paxos: Paxos, as "Paxos Made Simple" tells it
//!
//! This crate is Leslie Lamport's Paxos, "Paxos Made Simple" (ACM SIGACT News 32(4), 2001), in
//! two protocols written as deterministic, sans-IO state machines ([`ballot_core::Node`]):
//!
//! * [`basic`] — single-decree Paxos (§2): proposers, acceptors and learners agree on **one**
//!   value. Every node plays all three roles.
//! * [`multi`] — Multi-Paxos (§3): a distinguished leader runs phase 1 once for all future slots,
//!   then one accept round per client command; chosen slots are applied in order to a
//!   [`ballot_core::KvStore`].
//!
//! ## The algorithm in one screen
//!
//! A **ballot** ([`Ballot`], Lamport's "proposal number") is `(round, proposer)`, so no two
//! proposers share one and a proposer can always pick a higher one.
//!
//! 1. **Phase 1a.** A proposer picks a ballot `b` and sends `Prepare(b)` to the acceptors.
//! 2. **Phase 1b.** An acceptor that has not promised a higher ballot *promises* `b` — never to
//!    accept anything below `b` — and reports the highest-numbered proposal it has accepted.
//!    Otherwise it refuses with the ballot it promised ([`basic::PaxosMsg::Nack`]).
//! 3. **Phase 2a.** With promises from a majority, the proposer sends `Accept(b, v)`, where `v`
//!    is the value of the highest-numbered proposal reported, or its own value if none was
//!    ([`ballot::value_to_propose`]). This rule is what makes Paxos safe: once a value is
//!    chosen, every higher ballot carries it.
//! 4. **Phase 2b.** An acceptor accepts unless it has promised a higher ballot, and tells every
//!    learner. A value is **chosen** when a majority has accepted it in one ballot.
//!
//! Acceptors keep their promise and accepted proposal on stable storage (`Persist` before any
//! reply). A refused or timed-out proposer backs off — a timer *range*, drawn by the driver —
//! and tries again with a higher ballot; without randomness two proposers can pre-empt each
//! other forever (§2.4, see `scenarios/paxos/03-dueling-livelock.scn`).
//!
//! ## Sans-IO
//!
//! Nodes never read a clock, draw a random number or do I/O. One door,
//! [`Node::step`](ballot_core::Node::step), takes a delivered message, a fired timer or a client
//! command and writes effects into an outbox: `Persist`, `Send`, `SetTimer` (as a range),
//! `CancelTimer` and `Note`s ([`basic::PaxosNote`], [`multi::MultiNote`]) narrated in English and
//! Simplified Chinese. A node's own acceptor answers its own proposer inside the same step: no
//! message is ever addressed to oneself.
//!
//! ## Driving three nodes by hand
//!
//! The driver owns the network; here it is a queue. S1 proposes `x=5`; later S3 proposes `x=7`
//! and must adopt the chosen `x=5`:
//!
//! ```
//! use std::collections::VecDeque;
//! use ballot_core::{Cluster, Command, Effect, Input, Instant, Node, NodeId, Outbox};
//! use ballot_paxos::basic::{PaxosConfig, PaxosDurable, PaxosMsg, PaxosNode, PaxosTimer, Phase};
//! use ballot_paxos::Ballot;
//!
//! type Wire = VecDeque<(NodeId, NodeId, PaxosMsg)>;
//!
//! /// Steps node `id` and puts what it sends on the wire (timers and notes are dropped here).
//! fn step(nodes: &mut [PaxosNode], wire: &mut Wire, id: NodeId, input: Input<PaxosMsg, PaxosTimer, Command>) {
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
//! fn deliver_all(nodes: &mut [PaxosNode], wire: &mut Wire) {
//!     while let Some((from, to, msg)) = wire.pop_front() {
//!         step(nodes, wire, to, Input::Deliver { from, msg });
//!     }
//! }
//!
//! let cluster = Cluster::new(3);
//! let config = PaxosConfig::default();
//! let mut out = Outbox::default();
//! let mut nodes: Vec<PaxosNode> = cluster
//!     .ids()
//!     .map(|id| PaxosNode::boot(id, cluster, &config, PaxosDurable::default(), Instant::ZERO, &mut out))
//!     .collect();
//! let mut wire = Wire::new();
//! let x5 = Command::parse("x=5").unwrap();
//!
//! // A client asks S1: phase 1 with ballot 1.1 (its own acceptor promised it already).
//! step(&mut nodes, &mut wire, NodeId(1), Input::Client(x5.clone()));
//! assert_eq!(nodes[0].phase(), Phase::Prepare);
//! assert_eq!((nodes[0].promise_count(), nodes[0].quorum()), (1, 2));
//! deliver_all(&mut nodes, &mut wire);
//! for node in &nodes {
//!     assert_eq!(node.chosen(), Some(&x5));
//!     assert_eq!(node.accepted(), Some(&(Ballot::new(1, NodeId(1)), x5.clone())));
//! }
//! assert_eq!(nodes[0].phase(), Phase::Idle, "done: the value is chosen");
//!
//! // S3 is asked for x=7. Its promises report x=5, so it proposes x=5 again, in ballot 2.3.
//! step(&mut nodes, &mut wire, NodeId(3), Input::Client(Command::parse("x=7").unwrap()));
//! deliver_all(&mut nodes, &mut wire);
//! assert_eq!(nodes[1].accepted(), Some(&(Ballot::new(2, NodeId(3)), x5.clone())));
//! assert!(nodes.iter().all(|n| n.chosen() == Some(&x5)));
//! ```
//!
//! ## Modules
//!
//! | module | what it holds |
//! |---|---|
//! | [`ballot`] | [`Ballot`], [`NodeSet`], [`ballot::value_to_propose`] (phase 2a's rule, tested against an oracle) |
//! | [`basic`] | [`basic::PaxosNode`], its messages, config, notes and [`basic::PaxosChecker`] (Agreement, Validity, Promise Respected) |
//! | [`multi`] | [`multi::MultiPaxosNode`], its messages, config, notes, [`multi::MultiPaxosChecker`] (Agreement, Validity, Applied Sequence Agreement, Promise Respected) and the [`multi::slot_grid`] view |
//! | [`bug`] | [`PaxosBug`]: deliberately broken variants the checkers catch |
//!
//! ## Where this differs from a literal reading
//!
//! * Acceptors answer a refused request with a Nack naming their promise (§2.4 suggests it), and
//!   a proposer abandons its round as soon as its own acceptor promises a higher ballot (§2.4:
//!   "abandon a proposal if some proposer has begun trying to issue a higher-numbered one").
//! * A promise is given for a ballot *at least* the current promise, so a duplicated Prepare is
//!   answered again with the same promise.
//! * Multi-Paxos: acceptors send Accepted to the leader, which announces chosen slots with
//!   `Decide`; heartbeats carry the leader's chosen prefix and followers catch up on request.
//!   A Promise also carries the chosen values its sender knows, so a new leader need not
//!   re-propose them. Learner state is volatile (a restarted node learns again).
#![no_std]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod ballot;
pub mod basic;
pub mod bug;
pub mod multi;

pub use ballot::{Ballot, NodeSet};
pub use bug::PaxosBug;
