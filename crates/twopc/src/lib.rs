//! # ballot-twopc: two-phase commit, after Gray & Lamport's `TwoPhase` spec
//!
//! This crate is the two-phase commit protocol as Jim Gray and Leslie Lamport specify it in
//! "Consensus on Transaction Commit" (ACM TODS 31(1), 2006), §3 and the TLA+ module `TwoPhase`
//! of its appendix: one **transaction manager** (TM, here the *coordinator*) and a set of
//! **resource managers** (RMs, here the *participants*). Every action of the spec is quoted in
//! the doc comment of the method that implements it (see [`node`]).
//!
//! ## The algorithm in one screen
//!
//! Node `S1` is the coordinator; `S2..=Sn` are the participants ([`COORDINATOR`],
//! [`participants`]). A client command sent to the coordinator, such as `set x 5`, starts a
//! transaction: "if it commits, every participant writes x=5".
//!
//! ```text
//!   S1 (TM)                      S2, S3 … (RMs)
//!   init ── Prepare(txn, x=5) ──▶ working ─┬─ vote yes: prepared ── Prepared ──▶ S1
//!                                          └─ vote no:  aborted  ── VoteNo ────▶ S1
//!   every yes      → committed ── Commit ──▶ prepared → committed ── Ack ──▶ S1
//!   a no / timeout → aborted  ── Abort ───▶ prepared → aborted   ── Ack ──▶ S1
//! ```
//!
//! 1. **Phase 1.** The coordinator persists the transaction and sends `Prepare` to every
//!    participant, arming a vote timeout. A participant votes *yes* — it persists that it is
//!    **prepared**, then answers `Prepared` — or *no* (a configured no-voter,
//!    [`TwoPcConfig::no_voters`]), aborting at once.
//! 2. **Phase 2.** With every yes, the coordinator decides **commit**; with any no, or when the
//!    vote timeout fires first, **abort**. It persists the decision *before* sending it, then
//!    re-sends it until every participant has acknowledged it.
//! 3. A prepared participant may no longer decide alone: it is **in doubt**. If the decision
//!    does not come, it asks the coordinator (`StatusQuery`) and keeps waiting — two-phase
//!    commit *blocks* while the coordinator is unreachable. That is the price of its safety.
//! 4. A coordinator that restarts re-sends the decision it persisted, or, if it had none,
//!    aborts (*presumed abort*: no participant can have committed).
//!
//! Transactions run one at a time, numbered 1, 2, 3…; a command that arrives while one runs
//! waits in a short queue.
//!
//! ## Safety
//!
//! [`TwoPcChecker`] checks, after every step, **Atomicity** (no participant commits a
//! transaction another aborts: the spec's `TCConsistent`) and **Commit Validity** (a commit only
//! if every participant voted yes). [`TwoPcBug`] lists the deliberately broken variants it
//! catches: a participant that aborts after voting yes, and a coordinator that commits on
//! its vote timeout.
//!
//! ## Sans-IO
//!
//! A [`TwoPcNode`] is a value implementing [`ballot_core::Node`]: one door,
//! [`Node::step`](ballot_core::Node::step), takes a delivered message, a fired timer or a client
//! command and writes [`ballot_core::Effect`]s (`Persist` before any `Send` of the same step,
//! `Send`, `SetTimer` as a range, `CancelTimer`, and [`TwoPcNote`]s narrated in English and
//! Simplified Chinese). It never reads a clock, draws a random number or does I/O.
//!
//! ## Driving three nodes by hand
//!
//! ```
//! use std::collections::VecDeque;
//! use ballot_core::{ClientError, Cluster, Command, Effect, Input, Instant, Node, NodeId, Outbox};
//! use ballot_twopc::{Decision, RmState, TmState, TwoPcConfig, TwoPcDurable, TwoPcMsg, TwoPcNode, TwoPcTimer};
//!
//! type Wire = VecDeque<(NodeId, NodeId, TwoPcMsg)>;
//!
//! /// Steps node `id` and puts what it sends on the wire (timers and notes are dropped here).
//! fn step(nodes: &mut [TwoPcNode], wire: &mut Wire, id: NodeId,
//!         input: Input<TwoPcMsg, TwoPcTimer, Command>) -> Result<(), ClientError> {
//!     let mut out = Outbox::default();
//!     let result = nodes[id.index()].step(Instant::ZERO, input, &mut out);
//!     for effect in out.drain() {
//!         if let Effect::Send { to, msg } = effect {
//!             wire.push_back((id, to, msg));
//!         }
//!     }
//!     result
//! }
//!
//! /// Delivers every message in flight, and what they cause, in order.
//! fn deliver_all(nodes: &mut [TwoPcNode], wire: &mut Wire) {
//!     while let Some((from, to, msg)) = wire.pop_front() {
//!         step(nodes, wire, to, Input::Deliver { from, msg }).unwrap();
//!     }
//! }
//!
//! let cluster = Cluster::new(3);
//! let config = TwoPcConfig::default();
//! let mut out = Outbox::default();
//! let mut nodes: Vec<TwoPcNode> = cluster
//!     .ids()
//!     .map(|id| TwoPcNode::boot(id, cluster, &config, TwoPcDurable::default(), Instant::ZERO, &mut out))
//!     .collect();
//! let mut wire = Wire::new();
//!
//! // A participant sends the client to the coordinator, S1.
//! let x5 = Command::parse("set x 5").unwrap();
//! let refused = step(&mut nodes, &mut wire, NodeId(3), Input::Client(x5.clone()));
//! assert_eq!(refused, Err(ClientError::NotLeader { hint: Some(NodeId(1)) }));
//!
//! // S1 starts transaction 1: Prepare goes to S2 and S3.
//! step(&mut nodes, &mut wire, NodeId(1), Input::Client(x5)).unwrap();
//! assert_eq!(wire.len(), 2);
//!
//! // Deliver only the Prepares: both participants vote yes and are prepared, in doubt.
//! for _ in 0..2 {
//!     let (from, to, msg) = wire.pop_front().unwrap();
//!     step(&mut nodes, &mut wire, to, Input::Deliver { from, msg }).unwrap();
//! }
//! assert!(nodes[1].in_doubt() && nodes[2].in_doubt());
//! assert_eq!(nodes[0].tm_state(), Some(TmState::Init));
//!
//! // The votes arrive: S1 decides commit; the participants commit and acknowledge.
//! deliver_all(&mut nodes, &mut wire);
//! assert_eq!(nodes[0].decision(), Some(Decision::Commit));
//! for rm in &nodes[1..] {
//!     assert_eq!(rm.rm_state(), Some(RmState::Committed));
//!     assert_eq!(rm.participant().unwrap().kv().get("x"), Some("5"));
//! }
//! assert!(nodes[0].coordinator().unwrap().is_idle(), "every participant acknowledged");
//! ```
//!
//! ## Modules
//!
//! | module | what it holds |
//! |---|---|
//! | [`node`] | [`TwoPcNode`], [`Role`], [`Coordinator`], [`Participant`], the spec's actions |
//! | [`message`] | [`TwoPcMsg`]: Prepare, Prepared, VoteNo, Commit, Abort, Ack, StatusQuery |
//! | [`config`] | [`TwoPcConfig`] and [`ConfigError`] |
//! | [`note`] | [`TwoPcNote`]: trace notes, narrated in two languages |
//! | [`safety`] | [`TwoPcChecker`]: Atomicity and Commit Validity |
//! | [`bug`] | [`TwoPcBug`]: deliberately broken variants the checker catches |
//! | [`set`] | [`NodeSet`], a bitset of nodes |
//!
//! ## Where this differs from the spec
//!
//! * The spec's messages are a set that only grows (a message once sent can be received any
//!   number of times); here they are one-way messages the network may lose, duplicate or
//!   reorder, so the coordinator re-sends its decision until acknowledged and in-doubt
//!   participants ask for it.
//! * The spec's RMs prepare spontaneously; here they prepare when the coordinator's `Prepare`
//!   arrives (it also carries the transaction's write), and vote at once. A participant's only
//!   unilateral abort is its no vote (`RMChooseToAbort`), which it reports with an explicit
//!   `VoteNo` instead of leaving the coordinator to time out.
//! * The spec describes one transaction; here transactions are numbered and follow each other,
//!   the next starting when every participant has acknowledged the last decision.
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
pub mod set;

#[cfg(test)]
mod testing;

pub use bug::TwoPcBug;
pub use config::{ConfigError, TwoPcConfig};
pub use message::{Decision, MsgKind, TwoPcMsg, TxnId};
pub use node::{
    is_vote_no, participants, Coordinator, Participant, RmDurable, RmState, Role, RoleName, TmDurable,
    TmPhase, TmState, TwoPcDurable, TwoPcNode, TwoPcOutbox, TwoPcTimer, Vote, COORDINATOR,
};
pub use note::{DecisionReason, Ignored, TwoPcEvent, TwoPcNote};
pub use safety::{TwoPcChecker, TxnRecord, ATOMICITY, COMMIT_VALIDITY};
pub use set::NodeSet;
