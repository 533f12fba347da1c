//! Basic (single-decree) Paxos: Lamport, "Paxos Made Simple" (2001), §2.
//!
//! Every node plays all three roles of the paper:
//!
//! * **proposer** — a client command makes an idle node propose that value: phase 1 sends
//!   `Prepare(b)`, a majority of promises lets phase 2 send `Accept(b, v)` with `v` the value of
//!   the highest-numbered proposal reported (or its own);
//! * **acceptor** — promises a ballot unless it promised a higher one, accepts unless it promised
//!   a higher one, and keeps both on stable storage;
//! * **learner** — every acceptance is announced to every node; a value is learned once a
//!   majority has accepted it in one ballot.
//!
//! ```text
//!  proposer S1            acceptors S1 S2 S3           learners S1 S2 S3
//!  Prepare(3.1)  ───────▶  promise 3.1 (+ accepted)
//!                ◀───────  Promise / Nack(promised)
//!  Accept(3.1,v) ───────▶  accept unless promised > 3.1
//!                           Accepted(3.1,v) ──────────▶ majority of 3.1 ⇒ v is chosen
//! ```
//!
//! A round that is refused or times out ends in a back-off (a timer *range*: the driver picks
//! the instant), then a new round with a higher ballot. With [`PaxosConfig::backoff`] off the
//! pause is a fixed duration and dueling proposers can livelock (§2.4).
//!
//! | module | what it holds |
//! |---|---|
//! | [`node`] | [`PaxosNode`], [`Proposer`] phases, the acceptor rules |
//! | [`message`] | [`PaxosMsg`]: Prepare, Promise, Nack, Accept, Accepted |
//! | [`config`] | [`PaxosConfig`] and [`ConfigError`] |
//! | [`note`] | [`PaxosNote`]: trace notes, narrated in two languages |
//! | [`safety`] | [`PaxosChecker`]: Agreement, Validity, Promise Respected |

pub mod config;
pub mod message;
pub mod node;
pub mod note;
pub mod safety;

pub use config::{ConfigError, PaxosConfig};
pub use message::{MsgKind, PaxosMsg};
pub use node::{PaxosDurable, PaxosNode, PaxosOutbox, PaxosTimer, Phase, Proposer};
pub use note::{PaxosEvent, PaxosNote};
pub use safety::PaxosChecker;
