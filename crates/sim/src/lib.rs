//! # ballot-sim: the world Ballot's protocols live in
//!
//! A [`World`] holds the nodes of one protocol, their armed timers, the messages in flight and a
//! safety [`ballot_core::Checker`]. It is driven by one seed: latency, loss, duplication,
//! reordering and timer instants are all drawn from a single [`ballot_core::Prng`], so a run is
//! reproducible from (config, seed, interventions) on every target, native or wasm.
//!
//! | module | what it holds |
//! |---|---|
//! | [`world`] | the event loop, crash/restart, client redirects, checking after every step |
//! | [`diagram`] | the space-time diagram of a run, as data and as SVG |
//! | [`link`] | share links: a run in a compact, versioned, checksummed URL fragment |
//! | [`network`] | network parameters, envelopes, partitions and cut links |
//! | [`action`] | interventions a user or scenario applies, and their recorded form |
//! | [`trace`] | the event feed as data, narrated in English and Chinese |
//! | [`protocol`] | what the simulator needs to know about a protocol |
//! | [`protocols`] | the adapters for each protocol (Raft) |
//! | [`scenario`] | the line-oriented scenario language |
//! | [`timeline`] | time travel: checkpoints plus deterministic replay, seek, fork |
//! | [`swarm`] | many seeds, random faults, a safety phase then a liveness phase |
//! | [`check`] | model checking the real nodes: a [`ballot_check::Model`] over a small world |
//! | [`bench`] | the classic Raft workload shared by the native and wasm benchmarks |
#![no_std]
#![deny(missing_docs)]

extern crate alloc;

pub mod action;
pub mod bench;
pub mod check;
pub mod diagram;
pub mod link;
pub mod network;
pub mod protocol;
pub mod protocols;
pub mod scenario;
pub mod swarm;
pub mod timeline;
pub mod trace;
pub mod workload;
pub mod world;

pub use action::{Action, Intervention};
pub use network::{DropReason, Envelope, NetConfig};
pub use protocol::{Probe, Protocol, Value};
pub use world::{SimConfig, World};
