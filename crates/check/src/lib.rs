//! # ballot-check: an explicit-state model checker
//!
//! A simulation (`ballot swarm`) samples runs; a model checker visits **every reachable state**
//! of a model and checks each one. This crate is a small, generic checker in the style of
//! Stateright's and TLC's exhaustive mode, and the models it checks ([`models`]).
//!
//! A [`Model`] says what its states are, which states it starts in ([`Model::init_states`]), which
//! actions are enabled in a state ([`Model::actions`]) and where each leads
//! ([`Model::next_state`]). Its [`Property`]s are named predicates on a state: an *always*
//! property is an invariant (every reachable state must satisfy it), a *sometimes* property a
//! reachability check (some reachable state must satisfy it, so the model is not vacuous).
//!
//! [`check`] explores the state graph breadth-first (the default: the first violation found is
//! one at the least depth, so its counterexample is a shortest one) or depth-first. It keeps
//! one 64-bit fingerprint ([`fingerprint`]) per unique state and, beside it, a parent pointer
//! (the state it was first reached from and the action), so a violation comes back as a path
//! of actions and states from an initial state. Work is bounded: at [`Options::max_states`]
//! unique states it stops and says so ([`Outcome::StateLimit`]); it never truncates silently.
//!
//! ```
//! use ballot_check::models::twophase::TwoPhase;
//! use ballot_check::{check, Options, Outcome};
//!
//! // Gray & Lamport's TwoPhase with three resource managers: TLC finds 288 distinct states.
//! let report = check(&TwoPhase::new(3), &Options::default());
//! assert_eq!(report.unique_states, 288);
//! assert!(matches!(report.outcome, Outcome::Complete));
//!
//! // A TM that commits once any RM is prepared breaks TCConsistent.
//! let broken = TwoPhase::new(3).with_bug(ballot_check::models::twophase::Bug::CommitWithoutAllPrepared);
//! let report = check(&broken, &Options::default());
//! let Outcome::Violation { property, path } = &report.outcome else { panic!("not caught") };
//! assert_eq!(*property, "TCConsistent");
//! assert_eq!(path.steps.len(), 5); // the shortest counterexample
//! ```
//!
//! The crate has no clock (it is `no_std` with `alloc`, and builds for `wasm32-unknown-unknown`
//! and `thumbv7em-none-eabihf`): the caller times a check.
#![no_std]
#![deny(missing_docs)]

extern crate alloc;

pub mod fingerprint;
pub mod models;
pub mod search;
mod table;

pub use search::{
    check, check_with_progress, Options, Outcome, Path, Progress, Report, Strategy, DEFAULT_MAX_STATES,
};

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Debug;
use core::hash::Hash;

/// A state machine to check: initial states, enabled actions, successor states, properties.
///
/// `next_state` must be a function of its arguments (the same state and action always give the
/// same successor): a counterexample's states are recomputed by replaying its actions.
pub trait Model: Sized {
    /// A state. Its `Hash` feeds the default [`Model::fingerprint`].
    type State: Clone + Hash + Debug;
    /// An action (a step from one state to another).
    type Action: Clone + Debug;

    /// The initial states.
    fn init_states(&self) -> Vec<Self::State>;

    /// Pushes onto `actions` the actions enabled in `state` (the vector arrives empty).
    fn actions(&self, state: &Self::State, actions: &mut Vec<Self::Action>);

    /// The state `action` leads to from `state`, or `None` if it leads nowhere (not enabled).
    fn next_state(&self, state: &Self::State, action: Self::Action) -> Option<Self::State>;

    /// The properties to check, by name.
    fn properties(&self) -> Vec<Property<Self>>;

    /// A 64-bit fingerprint of `state`: states with equal fingerprints count as one.
    fn fingerprint(&self, state: &Self::State) -> u64 {
        fingerprint::of(state)
    }

    /// `action` in words, for a counterexample.
    fn format_action(&self, action: &Self::Action) -> String {
        format!("{action:?}")
    }

    /// `state` in words, for a counterexample.
    fn format_state(&self, state: &Self::State) -> String {
        format!("{state:?}")
    }
}

/// Whether a property must hold in every reachable state or in at least one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expectation {
    /// An invariant: every reachable state satisfies it (a state that does not is a violation).
    Always,
    /// Reachability: some reachable state satisfies it (none at all is a finding too: the model
    /// cannot do what it should, or the property is vacuous).
    Sometimes,
}

/// A named property: a predicate on a state (with the model, for its parameters).
pub struct Property<M: Model> {
    /// Its name, as the specification writes it (`TCConsistent`).
    pub name: &'static str,
    /// Always (an invariant) or sometimes (reachability).
    pub expectation: Expectation,
    /// The predicate.
    pub condition: fn(&M, &M::State) -> bool,
}

impl<M: Model> Property<M> {
    /// An invariant: `condition` holds in every reachable state.
    pub fn always(name: &'static str, condition: fn(&M, &M::State) -> bool) -> Self {
        Property { name, expectation: Expectation::Always, condition }
    }

    /// A reachability check: `condition` holds in some reachable state.
    pub fn sometimes(name: &'static str, condition: fn(&M, &M::State) -> bool) -> Self {
        Property { name, expectation: Expectation::Sometimes, condition }
    }
}
