//! Stateright's two-phase-commit example, timed: `stateright-2pc RMS bfs|dfs [RUNS]`.
//!
//! The model below — everything from `use stateright::…` down to the `Rewrite` impl — is copied
//! verbatim from Stateright 0.31.0's `examples/2pc.rs` (<https://github.com/stateright/stateright>,
//! MIT License, Copyright (c) 2018 Jonathan Nadal and other Stateright contributors), itself a
//! subset of Gray & Lamport's TwoPhase from "Consensus on Transaction Commit". Only its `main`
//! (which uses every CPU, pico-args and env_logger) and its test are replaced by the timing
//! harness at the end of this file. Symmetry reduction (`Representative`) is implemented by the
//! example but not enabled here (`.symmetry()` is never called), so the checker visits every
//! state, as TLC and `ballot check` do.
//!
//! For each run it builds a checker with one thread (`.threads(1)`, Stateright's default too),
//! runs `spawn_bfs().join()` or `spawn_dfs().join()`, and prints one line:
//!
//! ```text
//! stateright bfs rms=7 unique=296448 generated=… depth=… elapsed=0.123456 unique_per_sec=…
//! ```
#![allow(dead_code, unused_imports)] // the example's `rms` field and `Representative` impl, and its `WriteReporter` (used by its `main`).

use stateright::report::WriteReporter;
use stateright::{Checker, Model, Property, Representative, Rewrite, RewritePlan};
use std::collections::BTreeSet;
use std::hash::Hash;
use std::ops::Range;

type R = usize; // represented by integers in 0..N-1

#[derive(Clone)]
struct TwoPhaseSys {
    pub rms: Range<R>,
}

#[derive(Clone, Debug, Eq, Hash, PartialEq)]
struct TwoPhaseState {
    rm_state: Vec<RmState>, // map from each RM
    tm_state: TmState,
    tm_prepared: Vec<bool>, // map from each RM
    msgs: BTreeSet<Message>,
}

#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
enum Message {
    Prepared { rm: R },
    Commit,
    Abort,
}

#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
enum RmState {
    Working,
    Prepared,
    Committed,
    Aborted,
}

#[derive(Clone, Debug, Eq, Hash, PartialEq)]
enum TmState {
    Init,
    Committed,
    Aborted,
}

#[derive(Clone, Debug, PartialEq)]
enum Action {
    TmRcvPrepared(R),
    TmCommit,
    TmAbort,
    RmPrepare(R),
    RmChooseToAbort(R),
    RmRcvCommitMsg(R),
    RmRcvAbortMsg(R),
}

impl Model for TwoPhaseSys {
    type State = TwoPhaseState;
    type Action = Action;

    fn init_states(&self) -> Vec<Self::State> {
        vec![TwoPhaseState {
            rm_state: self.rms.clone().map(|_| RmState::Working).collect(),
            tm_state: TmState::Init,
            tm_prepared: self.rms.clone().map(|_| false).collect(),
            msgs: Default::default(),
        }]
    }

    fn actions(&self, state: &Self::State, actions: &mut Vec<Self::Action>) {
        if state.tm_state == TmState::Init && state.tm_prepared.iter().all(|p| *p) {
            actions.push(Action::TmCommit);
        }
        if state.tm_state == TmState::Init {
            actions.push(Action::TmAbort);
        }
        for rm in self.rms.clone() {
            if state.tm_state == TmState::Init && state.msgs.contains(&Message::Prepared { rm }) {
                actions.push(Action::TmRcvPrepared(rm));
            }
            if state.rm_state.get(rm) == Some(&RmState::Working) {
                actions.push(Action::RmPrepare(rm));
            }
            if state.rm_state.get(rm) == Some(&RmState::Working) {
                actions.push(Action::RmChooseToAbort(rm));
            }
            if state.msgs.contains(&Message::Commit) {
                actions.push(Action::RmRcvCommitMsg(rm));
            }
            if state.msgs.contains(&Message::Abort) {
                actions.push(Action::RmRcvAbortMsg(rm));
            }
        }
    }

    fn next_state(&self, last_state: &Self::State, action: Self::Action) -> Option<Self::State> {
        let mut state = last_state.clone();
        match action {
            Action::TmRcvPrepared(rm) => {
                state.tm_prepared[rm] = true;
            }
            Action::TmCommit => {
                state.tm_state = TmState::Committed;
                state.msgs.insert(Message::Commit);
            }
            Action::TmAbort => {
                state.tm_state = TmState::Aborted;
                state.msgs.insert(Message::Abort);
            }
            Action::RmPrepare(rm) => {
                state.rm_state[rm] = RmState::Prepared;
                state.msgs.insert(Message::Prepared { rm });
            }
            Action::RmChooseToAbort(rm) => {
                state.rm_state[rm] = RmState::Aborted;
            }
            Action::RmRcvCommitMsg(rm) => {
                state.rm_state[rm] = RmState::Committed;
            }
            Action::RmRcvAbortMsg(rm) => {
                state.rm_state[rm] = RmState::Aborted;
            }
        }
        Some(state)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![
            Property::<Self>::sometimes("abort agreement", |_, state| {
                state.rm_state.iter().all(|s| s == &RmState::Aborted)
            }),
            Property::<Self>::sometimes("commit agreement", |_, state| {
                state.rm_state.iter().all(|s| s == &RmState::Committed)
            }),
            Property::<Self>::always("consistent", |_, state| {
                !state.rm_state.iter().any(|s1| {
                    state
                        .rm_state
                        .iter()
                        .any(|s2| s1 == &RmState::Aborted && s2 == &RmState::Committed)
                })
            }),
        ]
    }
}

// Implementing this trait enables symmetry reduction to speed up model checking (optional).
impl Representative for TwoPhaseState {
    fn representative(&self) -> Self {
        let plan = RewritePlan::from_values_to_sort(&self.rm_state);
        Self {
            rm_state: plan.reindex(&self.rm_state),
            tm_state: self.tm_state.clone(),
            tm_prepared: plan.reindex(&self.tm_prepared),
            msgs: self
                .msgs
                .iter()
                .map(|m| match m {
                    Message::Prepared { rm } => Message::Prepared {
                        rm: plan.rewrite(rm),
                    },
                    Message::Commit => Message::Commit,
                    Message::Abort => Message::Abort,
                })
                .collect(),
        }
    }
}

impl<T> Rewrite<T> for RmState {
    fn rewrite<S>(&self, _: &RewritePlan<T, S>) -> Self {
        self.clone()
    }
}


// ---- end of the verbatim copy; the timing harness follows ----

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: stateright-2pc RMS bfs|dfs [RUNS]";
    let rm_count: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        eprintln!("{usage}");
        std::process::exit(2)
    });
    let search = args.get(2).map(String::as_str).unwrap_or("bfs");
    if search != "bfs" && search != "dfs" {
        eprintln!("{usage}");
        std::process::exit(2)
    }
    let runs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    for _ in 0..runs {
        let builder = TwoPhaseSys { rms: 0..rm_count }.checker().threads(1);
        let started = std::time::Instant::now();
        if search == "bfs" {
            report(search, rm_count, started, builder.spawn_bfs().join());
        } else {
            report(search, rm_count, started, builder.spawn_dfs().join());
        }
    }
}

/// Prints one run's line; `checker` has just been joined.
fn report(search: &str, rm_count: usize, started: std::time::Instant, checker: impl Checker<TwoPhaseSys>) {
    let elapsed = started.elapsed().as_secs_f64();
    // The run must be complete and the example's properties must hold: "consistent" never fails
    // and both agreements are reachable.
    checker.assert_properties();
    let unique = checker.unique_state_count();
    println!(
        "stateright {search} rms={rm_count} unique={unique} generated={} depth={} elapsed={elapsed:.6} unique_per_sec={:.0}",
        checker.state_count(),
        checker.max_depth(),
        unique as f64 / elapsed
    );
}
