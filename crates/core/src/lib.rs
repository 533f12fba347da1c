//! # ballot-core: the vocabulary every Ballot protocol speaks
//!
//! Ballot animates consensus protocols that are written as **deterministic, sans-IO state
//! machines**. A protocol node never reads a clock, never draws a random number and never does
//! I/O. It is a value that takes one input at a time through a single door, [`Node::step`], and
//! answers with [`Effect`]s written into an [`Outbox`]: messages to send, timers to set (as a
//! *range*; the driver picks the instant), a request to persist its durable state, and trace
//! notes that the playground narrates.
//!
//! This crate holds what all protocols share:
//!
//! | module | what it holds |
//! |---|---|
//! | [`id`] | [`NodeId`] and [`Cluster`] (size, majority) |
//! | [`time`] | virtual [`Instant`] and [`Duration`] (microseconds, `u64`) |
//! | [`rng`] | [`Prng`], the one seeded generator (xoshiro256\*\*, integer API) |
//! | [`node`] | the [`Node`] contract, [`Input`], [`Effect`], [`Outbox`], [`ClientError`] |
//! | [`kv`] | the tiny key/value state machine that replicated logs apply |
//! | [`check`] | [`Checker`] and [`Violation`]: safety properties as data |
//! | [`quorum`] | majority counting and "the k-th largest" used for commit indexes |
//! | [`hash`] | a fixed FNV-1a [`hash::StableHasher`] for fingerprints that are equal on every target |
//! | [`lang`] | [`Lang`] and the [`Narrate`] trait: trace notes in English and Simplified Chinese |
//! | [`vecmap`] | [`VecMap`] and [`VecSet`]: small ordered maps and sets in a sorted `Vec` (smaller wasm than B-trees) |
//! | `testkit` | feature `testkit`, for the protocols' tests only: a deterministic test network and single-node helpers |
//!
//! The crate is `no_std` with `alloc`: it builds for `wasm32-unknown-unknown` and for bare-metal
//! targets such as `thumbv7em-none-eabihf`.
#![no_std]
#![deny(missing_docs)]

extern crate alloc;

pub mod check;
pub mod hash;
pub mod id;
pub mod kv;
pub mod lang;
pub mod node;
pub mod quorum;
pub mod rng;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod time;
pub mod vecmap;

pub use check::{Checker, Violation};
pub use id::{Cluster, NodeId};
pub use kv::{Command, KvStore, Word};
pub use lang::{Lang, Narrate};
pub use node::{ClientError, Effect, Input, Node, Outbox, TimerRange};
pub use rng::Prng;
pub use time::{Duration, Instant};
pub use vecmap::{VecMap, VecSet};
