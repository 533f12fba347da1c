//! Multi-Paxos: Paxos Made Simple §3, "Implementing a State Machine".
//!
//! A sequence of single-decree Paxos instances, one per **slot**, run under a distinguished
//! leader. The leader runs phase 1 once for every slot it does not know to be chosen, then one
//! phase 2 round per slot; chosen slots are applied in order to a [`ballot_core::KvStore`].
//!
//! ```text
//!            Prepare(b, from slot k) ──▶ every acceptor: promise b for all slots ≥ k,
//!  candidate ◀── Promise(b, accepted (slot, ballot, value) for slots ≥ k)
//!     │ majority
//!     ▼
//!   leader ── Accept(b, s, v) ──▶ acceptors ── Accepted(b, s) ──▶ leader: majority ⇒ s chosen
//!     │                                                            │
//!     └── Heartbeat(b, chosen prefix) ─▶ followers ◀── Decide(s, v) ┘   (CatchUp ⇢ Decide batch)
//! ```
//!
//! A new leader re-proposes, in its ballot, every slot from `k` up to the highest slot any
//! promise reported — the highest-numbered reported value, or a no-op to fill a gap — before
//! placing client commands after them. Non-leaders refuse client commands with
//! `ClientError::NotLeader { hint }`. A node that hears no leader for a (randomised) leader
//! timeout runs phase 1 with a higher ballot.
//!
//! | module | what it holds |
//! |---|---|
//! | [`node`] | [`MultiPaxosNode`], [`Role`], slots, recovery |
//! | [`message`] | [`MultiMsg`], [`Slot`] |
//! | [`config`] | [`MultiPaxosConfig`] and [`ConfigError`] |
//! | [`note`] | [`MultiNote`]: trace notes, narrated in two languages |
//! | [`safety`] | [`MultiPaxosChecker`]: Agreement and Validity per slot, Applied Sequence Agreement, Promise Respected |
//! | [`grid`] | [`slot_grid`]: the slot × acceptor view model |

pub mod config;
pub mod grid;
pub mod message;
pub mod node;
pub mod note;
pub mod safety;

pub use config::{ConfigError, MultiPaxosConfig};
pub use grid::{highest_slot, slot_grid, SlotCell, SlotRow};
pub use message::{MsgKind, MultiMsg, Slot, MAX_SLOT};
pub use node::{
    CandidateState, LeaderState, MultiDurable, MultiOutbox, MultiPaxosNode, MultiTimer, Pending, Role,
    RoleName,
};
pub use note::{MultiEvent, MultiNote, Origin};
pub use safety::MultiPaxosChecker;
