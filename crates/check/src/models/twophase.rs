//! Gray & Lamport's two-phase commit specification, `TwoPhase.tla`, as a [`Model`].
//!
//! This is the specification's abstraction, not Ballot's `ballot-twopc` nodes: there are no
//! timers, no crashes and no message loss. `msgs` is the set of every message ever sent; an
//! action "receives" a message by finding it there, so a message can be received any number of
//! times, late, or never (which is how the spec covers loss). The TM's `Prepare` request and the
//! RM's own abort message are left out, as in the spec. Reference: J. Gray and L. Lamport,
//! "Consensus on Transaction Commit", ACM TODS 31(1), 2006, §3 and the module `TwoPhase` of its
//! appendix (tlaplus/Examples, `specifications/transaction_commit/TwoPhase.tla`).
//!
//! ```text
//!   VARIABLES rmState      \* [RM -> {"working", "prepared", "committed", "aborted"}]
//!             tmState      \* {"init", "committed", "aborted"}
//!             tmPrepared   \* SUBSET RM: the RMs whose Prepared the TM has received
//!             msgs         \* SUBSET ([type: {"Prepared"}, rm: RM] \cup [type: {"Commit", "Abort"}])
//! ```
//!
//! ## The state in one `u64`
//!
//! A [`State`] packs all four variables into one word (at most [`MAX_RMS`] RMs), so copying a
//! state is copying a word and its fingerprint is one multiply-and-mix — a bijection, so two
//! distinct states never share a fingerprint and the counts are exact:
//!
//! ```text
//!   bits  0..28  rmState, 2 bits per RM (0 working, 1 prepared, 2 committed, 3 aborted)
//!   bits 28..42  tmPrepared, 1 bit per RM
//!   bits 42..56  msgs' Prepared(rm), 1 bit per RM
//!   bits 56..58  tmState (0 init, 1 committed, 2 aborted; 3 is outside TPTypeOK)
//!   bit  58      msgs' Commit
//!   bit  59      msgs' Abort
//! ```
//!
//! ## Its reachable states
//!
//! TLC finds 288 distinct states for 3 RMs (tlaplus/Examples' `manifest.json`) and 50 816 for 6
//! (the closing comment of `TwoPhase.tla`). Counted by hand, per phase of the TM:
//!
//! * `tmState = "init"`: no `Commit`, no `Abort`; each RM independently is working, aborted (by
//!   choice; no message), or prepared with its `Prepared` sent and either not yet or already
//!   received by the TM: **4** choices per RM, `4^N` states.
//! * `tmState = "committed"`: the TM received every `Prepared`, so every RM is prepared or
//!   (after `Commit`) committed: **2** per RM, `2^N`.
//! * `tmState = "aborted"`: the TM aborted from any `"init"` state and `tmPrepared` froze. An RM
//!   may still be working, prepare (sending `Prepared` that no one receives), choose to abort or
//!   receive `Abort` from any state: working; prepared with `tmPrepared` ∌ or ∋ it; aborted
//!   without having prepared; aborted after preparing, with `tmPrepared` ∌ or ∋ it: **6** per
//!   RM, `6^N`.
//!
//! So there are `4^N + 2^N + 6^N` reachable states: 12, 56, 288, 1 568, 8 832, 50 816, 296 448
//! for N = 1 … 7 ([`tlc_distinct_states`]), which agrees with every published count.

use crate::{Model, Property};
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt::Write as _;

/// The most resource managers a [`State`] can hold.
pub const MAX_RMS: u8 = 14;

const TM_PREPARED: u32 = 28;
const PREPARED_MSG: u32 = 42;
const TM_STATE: u32 = 56;
const COMMIT_MSG: u64 = 1 << 58;
const ABORT_MSG: u64 = 1 << 59;

/// An RM's state, `rmState[rm]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RmState {
    /// `"working"`: may still prepare or choose to abort.
    Working = 0,
    /// `"prepared"`: voted yes; only the TM's decision moves it now.
    Prepared = 1,
    /// `"committed"`.
    Committed = 2,
    /// `"aborted"`.
    Aborted = 3,
}

impl RmState {
    /// The spec's string.
    pub fn as_str(self) -> &'static str {
        match self {
            RmState::Working => "working",
            RmState::Prepared => "prepared",
            RmState::Committed => "committed",
            RmState::Aborted => "aborted",
        }
    }
}

/// The TM's state, `tmState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TmState {
    /// `"init"`: collecting `Prepared` messages.
    Init = 0,
    /// `"committed"`.
    Committed = 1,
    /// `"aborted"`.
    Aborted = 2,
}

impl TmState {
    /// The spec's string.
    pub fn as_str(self) -> &'static str {
        match self {
            TmState::Init => "init",
            TmState::Committed => "committed",
            TmState::Aborted => "aborted",
        }
    }
}

/// The four variables of `TwoPhase`, bit-packed (layout in the [module docs](self)). RMs are
/// numbered from 0 here and shown as `r1`, `r2`… as in the spec's `TwoPhase.cfg`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct State(u64);

impl State {
    /// `TPInit`: every RM working, the TM in `"init"`, nothing prepared, no message.
    pub const INIT: State = State(0);

    /// The packed word.
    pub fn bits(self) -> u64 {
        self.0
    }

    /// `rmState[rm]`.
    pub fn rm_state(self, rm: u8) -> RmState {
        match (self.0 >> (2 * u32::from(rm))) & 3 {
            0 => RmState::Working,
            1 => RmState::Prepared,
            2 => RmState::Committed,
            _ => RmState::Aborted,
        }
    }

    /// `tmState`, or `None` for the one code that is not a TM state.
    pub fn tm_state(self) -> Option<TmState> {
        match (self.0 >> TM_STATE) & 3 {
            0 => Some(TmState::Init),
            1 => Some(TmState::Committed),
            2 => Some(TmState::Aborted),
            _ => None,
        }
    }

    /// `rm \in tmPrepared`.
    pub fn tm_prepared(self, rm: u8) -> bool {
        self.0 & (1 << (TM_PREPARED + u32::from(rm))) != 0
    }

    /// `[type |-> "Prepared", rm |-> rm] \in msgs`.
    pub fn prepared_msg(self, rm: u8) -> bool {
        self.0 & (1 << (PREPARED_MSG + u32::from(rm))) != 0
    }

    /// `[type |-> "Commit"] \in msgs`.
    pub fn commit_msg(self) -> bool {
        self.0 & COMMIT_MSG != 0
    }

    /// `[type |-> "Abort"] \in msgs`.
    pub fn abort_msg(self) -> bool {
        self.0 & ABORT_MSG != 0
    }

    fn with_rm_state(self, rm: u8, to: RmState) -> State {
        let shift = 2 * u32::from(rm);
        State((self.0 & !(3 << shift)) | ((to as u64) << shift))
    }

    fn with_tm_state(self, to: TmState) -> State {
        State((self.0 & !(3 << TM_STATE)) | ((to as u64) << TM_STATE))
    }

    fn with_bit(self, bit: u64) -> State {
        State(self.0 | bit)
    }
}

impl core::fmt::Debug for State {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "State({:#018x})", self.0)
    }
}

/// An action of `TPNext`; `u8` is an RM (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// `TMRcvPrepared(rm)`: the TM, in `"init"`, receives `rm`'s `Prepared`.
    TmRcvPrepared(u8),
    /// `TMCommit`: the TM, in `"init"` with every RM in `tmPrepared`, commits.
    TmCommit,
    /// `TMAbort`: the TM, in `"init"`, spontaneously aborts.
    TmAbort,
    /// `RMPrepare(rm)`: a working RM prepares and sends `Prepared`.
    RmPrepare(u8),
    /// `RMChooseToAbort(rm)`: a working RM spontaneously aborts (sends nothing).
    RmChooseToAbort(u8),
    /// `RMRcvCommitMsg(rm)`: with `Commit` in `msgs`, the RM commits.
    RmRcvCommitMsg(u8),
    /// `RMRcvAbortMsg(rm)`: with `Abort` in `msgs`, the RM aborts.
    RmRcvAbortMsg(u8),
}

/// Deliberately broken variants of the spec; the check must catch each (a [`Bug::property`]
/// violation with a counterexample).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bug {
    /// `TMCommit` needs only some RM in `tmPrepared` (`tmPrepared # {}`), not all: another RM
    /// can still choose to abort. Caught by `TCConsistent`.
    CommitWithoutAllPrepared,
    /// `TMAbort` is enabled in `"committed"` too (`tmState # "aborted"`): the TM changes its
    /// mind after some RM committed. Caught by `TCConsistent`.
    AbortAfterCommit,
}

impl Bug {
    /// Every broken variant.
    pub const ALL: [Bug; 2] = [Bug::CommitWithoutAllPrepared, Bug::AbortAfterCommit];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Bug::CommitWithoutAllPrepared => "commit-without-all-prepared",
            Bug::AbortAfterCommit => "abort-after-commit",
        }
    }

    /// The variant called `name`.
    pub fn from_name(name: &str) -> Option<Bug> {
        Bug::ALL.into_iter().find(|b| b.name() == name)
    }

    /// What is broken, in a line.
    pub fn describe(self) -> &'static str {
        match self {
            Bug::CommitWithoutAllPrepared => "TMCommit needs only one RM in tmPrepared, not all",
            Bug::AbortAfterCommit => "TMAbort is also enabled after TMCommit",
        }
    }

    /// The property that must catch it.
    pub fn property(self) -> &'static str {
        "TCConsistent"
    }
}

/// `TwoPhase` with `RM = {r1, …, rN}`, optionally broken.
#[derive(Clone, Debug)]
pub struct TwoPhase {
    rms: u8,
    bug: Option<Bug>,
}

impl TwoPhase {
    /// The spec with `rms` resource managers (1 to [`MAX_RMS`]).
    ///
    /// # Panics
    /// If `rms` is 0 or above [`MAX_RMS`].
    pub fn new(rms: u8) -> Self {
        assert!((1..=MAX_RMS).contains(&rms), "TwoPhase holds 1 to {MAX_RMS} RMs, not {rms}");
        TwoPhase { rms, bug: None }
    }

    /// The same spec with a deliberately broken action.
    pub fn with_bug(self, bug: Bug) -> Self {
        TwoPhase { bug: Some(bug), ..self }
    }

    /// The number of resource managers.
    pub fn rms(&self) -> u8 {
        self.rms
    }

    /// The broken variant, if any.
    pub fn bug(&self) -> Option<Bug> {
        self.bug
    }

    /// Bits `0..rms` set.
    fn rm_mask(&self) -> u64 {
        (1 << self.rms) - 1
    }

    /// The field of `tmPrepared`, one bit per RM.
    fn tm_prepared_set(s: State) -> u64 {
        (s.0 >> TM_PREPARED) & ((1 << MAX_RMS) - 1)
    }

    /// Whether `action`'s enabling condition holds in `s` (`TwoPhase.tla`'s first conjuncts).
    fn enabled(&self, s: State, action: Action) -> bool {
        let init = s.tm_state() == Some(TmState::Init);
        match action {
            Action::TmRcvPrepared(rm) => init && s.prepared_msg(rm),
            Action::TmCommit => {
                init && match self.bug {
                    Some(Bug::CommitWithoutAllPrepared) => Self::tm_prepared_set(s) != 0,
                    _ => Self::tm_prepared_set(s) == self.rm_mask(),
                }
            }
            Action::TmAbort => match self.bug {
                Some(Bug::AbortAfterCommit) => s.tm_state() != Some(TmState::Aborted),
                _ => init,
            },
            Action::RmPrepare(rm) | Action::RmChooseToAbort(rm) => s.rm_state(rm) == RmState::Working,
            Action::RmRcvCommitMsg(_) => s.commit_msg(),
            Action::RmRcvAbortMsg(_) => s.abort_msg(),
        }
    }

    /// The RM an action names, if it names one within `RM`.
    fn in_range(&self, action: Action) -> bool {
        match action {
            Action::TmCommit | Action::TmAbort => true,
            Action::TmRcvPrepared(rm)
            | Action::RmPrepare(rm)
            | Action::RmChooseToAbort(rm)
            | Action::RmRcvCommitMsg(rm)
            | Action::RmRcvAbortMsg(rm) => rm < self.rms,
        }
    }

    /// `TPTypeOK`: every variable within its type.
    pub fn type_ok(&self, s: State) -> bool {
        let outside = !self.rm_mask() & ((1 << MAX_RMS) - 1);
        let rm_states_outside = (s.0 & ((1u64 << (2 * u32::from(MAX_RMS))) - 1)) >> (2 * u32::from(self.rms));
        let reserved = !((1u64 << 60) - 1);
        s.tm_state().is_some()
            && rm_states_outside == 0
            && Self::tm_prepared_set(s) & outside == 0
            && (s.0 >> PREPARED_MSG) & outside == 0
            && s.0 & reserved == 0
    }

    /// `TCConsistent`: no RM has committed while another has aborted.
    pub fn consistent(&self, s: State) -> bool {
        let (mut committed, mut aborted) = (false, false);
        for rm in 0..self.rms {
            match s.rm_state(rm) {
                RmState::Committed => committed = true,
                RmState::Aborted => aborted = true,
                _ => {}
            }
        }
        !(committed && aborted)
    }

    /// An RM's name, as in `TwoPhase.cfg`: `r1`, `r2`…
    pub fn rm_name(rm: u8) -> String {
        format!("r{}", u32::from(rm) + 1)
    }
}

/// TLC's distinct-state count for `TwoPhase` with `rms` RMs: `4^N + 2^N + 6^N` (derived in the
/// [module docs](self); equal to the published counts for N = 3, 5 and 6).
pub fn tlc_distinct_states(rms: u8) -> u64 {
    let n = u32::from(rms);
    4u64.pow(n) + 2u64.pow(n) + 6u64.pow(n)
}

impl Model for TwoPhase {
    type State = State;
    type Action = Action;

    fn init_states(&self) -> Vec<State> {
        vec![State::INIT]
    }

    /// `TPNext` in the spec's order: `TMCommit`, `TMAbort`, then per RM `TMRcvPrepared`,
    /// `RMPrepare`, `RMChooseToAbort`, `RMRcvCommitMsg`, `RMRcvAbortMsg`.
    fn actions(&self, s: &State, actions: &mut Vec<Action>) {
        for a in [Action::TmCommit, Action::TmAbort] {
            if self.enabled(*s, a) {
                actions.push(a);
            }
        }
        for rm in 0..self.rms {
            for a in [
                Action::TmRcvPrepared(rm),
                Action::RmPrepare(rm),
                Action::RmChooseToAbort(rm),
                Action::RmRcvCommitMsg(rm),
                Action::RmRcvAbortMsg(rm),
            ] {
                if self.enabled(*s, a) {
                    actions.push(a);
                }
            }
        }
    }

    fn next_state(&self, s: &State, action: Action) -> Option<State> {
        let s = *s;
        if !self.in_range(action) || !self.enabled(s, action) {
            return None;
        }
        Some(match action {
            Action::TmRcvPrepared(rm) => s.with_bit(1 << (TM_PREPARED + u32::from(rm))),
            Action::TmCommit => s.with_tm_state(TmState::Committed).with_bit(COMMIT_MSG),
            Action::TmAbort => s.with_tm_state(TmState::Aborted).with_bit(ABORT_MSG),
            Action::RmPrepare(rm) => {
                s.with_rm_state(rm, RmState::Prepared).with_bit(1 << (PREPARED_MSG + u32::from(rm)))
            }
            Action::RmChooseToAbort(rm) | Action::RmRcvAbortMsg(rm) => s.with_rm_state(rm, RmState::Aborted),
            Action::RmRcvCommitMsg(rm) => s.with_rm_state(rm, RmState::Committed),
        })
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![
            Property::always("TPTypeOK", |m, s| m.type_ok(*s)),
            Property::always("TCConsistent", |m, s| m.consistent(*s)),
            Property::sometimes("every RM committed", |m: &TwoPhase, s: &State| {
                (0..m.rms).all(|rm| s.rm_state(rm) == RmState::Committed)
            }),
            Property::sometimes("every RM aborted", |m: &TwoPhase, s: &State| {
                (0..m.rms).all(|rm| s.rm_state(rm) == RmState::Aborted)
            }),
        ]
    }

    fn format_action(&self, action: &Action) -> String {
        let rm = |name: &str, rm: u8| format!("{name}({})", Self::rm_name(rm));
        match *action {
            Action::TmRcvPrepared(r) => rm("TMRcvPrepared", r),
            Action::TmCommit => String::from("TMCommit"),
            Action::TmAbort => String::from("TMAbort"),
            Action::RmPrepare(r) => rm("RMPrepare", r),
            Action::RmChooseToAbort(r) => rm("RMChooseToAbort", r),
            Action::RmRcvCommitMsg(r) => rm("RMRcvCommitMsg", r),
            Action::RmRcvAbortMsg(r) => rm("RMRcvAbortMsg", r),
        }
    }

    /// `rmState r1=prepared r2=working, tmState init, tmPrepared {r1}, msgs {Prepared(r1)}`.
    fn format_state(&self, s: &State) -> String {
        let s = *s;
        let mut out = String::from("rmState");
        for rm in 0..self.rms {
            let _ = write!(out, " {}={}", Self::rm_name(rm), s.rm_state(rm).as_str());
        }
        let tm = s.tm_state().map_or("?", TmState::as_str);
        let prepared: Vec<String> =
            (0..self.rms).filter(|&rm| s.tm_prepared(rm)).map(Self::rm_name).collect();
        let mut msgs: Vec<String> = (0..self.rms)
            .filter(|&rm| s.prepared_msg(rm))
            .map(|rm| format!("Prepared({})", Self::rm_name(rm)))
            .collect();
        if s.commit_msg() {
            msgs.push(String::from("Commit"));
        }
        if s.abort_msg() {
            msgs.push(String::from("Abort"));
        }
        let _ = write!(
            out,
            ", tmState {tm}, tmPrepared {{{}}}, msgs {{{}}}",
            prepared.join(", "),
            msgs.join(", ")
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{check, Options, Outcome, Strategy};

    fn run(model: &TwoPhase, strategy: Strategy) -> crate::Report<State, Action> {
        check(model, &Options { strategy, ..Options::default() })
    }

    /// The reference counts, and where each comes from:
    ///
    /// | N | count | source |
    /// |---|---|---|
    /// | 3 | 288 | TLC, tlaplus/Examples `specifications/transaction_commit/manifest.json` (model `TwoPhase.cfg`, `RM = {r1, r2, r3}`: "distinctStates": 288, "totalStates": 1146, "stateDepth": 11); also Stateright's `examples/2pc.rs` test `can_model_2pc` (BFS, `rms: 0..3`) |
    /// | 5 | 8 832 | Stateright's `examples/2pc.rs`, `can_model_2pc` (DFS, `rms: 0..5`, no symmetry reduction; 665 with it). Stateright's `TwoPhaseSys` has the same four variables and actions as the spec, so its count is TLC's |
    /// | 6 | 50 816 | `TwoPhase.tla`'s closing comment: "checked with TLC for six RMs, a configuration with 50816 reachable states" |
    /// | 2, 4, 7 | 56, 1 568, 296 448 | derived: `4^N + 2^N + 6^N` (module docs), the formula that gives the three published counts above |
    const REFERENCE: [(u8, u64); 6] = [(2, 56), (3, 288), (4, 1_568), (5, 8_832), (6, 50_816), (7, 296_448)];

    #[test]
    fn unique_states_equal_tlcs_for_2_to_7_rms() {
        for (n, expected) in REFERENCE {
            assert_eq!(tlc_distinct_states(n), expected, "the formula, N = {n}");
            let report = run(&TwoPhase::new(n), Strategy::BreadthFirst);
            assert_eq!(report.outcome, Outcome::Complete, "N = {n}");
            assert_eq!(report.unique_states, expected, "N = {n}");
            assert!(report.passed(), "N = {n}: {:?}", report.sometimes);
        }
    }

    #[test]
    fn depth_first_finds_the_same_states() {
        for n in 1..=5 {
            let bfs = run(&TwoPhase::new(n), Strategy::BreadthFirst);
            let dfs = run(&TwoPhase::new(n), Strategy::DepthFirst);
            assert_eq!(dfs.unique_states, tlc_distinct_states(n), "N = {n}");
            assert_eq!(dfs.generated, bfs.generated, "N = {n}");
            assert!(dfs.passed());
        }
    }

    /// TLC's other two numbers for 3 RMs (manifest.json): 1146 states generated (the initial
    /// state and every successor, duplicates included) and a state depth of 11 (TLC counts the
    /// states on the longest shortest path; we count the actions: 10 = 3N + 1, prepare, receive
    /// and commit each RM plus TMCommit).
    #[test]
    fn generated_and_depth_equal_tlcs_for_3_rms() {
        let report = run(&TwoPhase::new(3), Strategy::BreadthFirst);
        assert_eq!(report.generated, 1146);
        assert_eq!(report.max_depth + 1, 11);
    }

    #[test]
    fn one_rm() {
        assert_eq!(run(&TwoPhase::new(1), Strategy::BreadthFirst).unique_states, 12);
    }

    #[test]
    fn every_broken_variant_is_caught_with_a_replayable_counterexample() {
        for bug in Bug::ALL {
            for strategy in [Strategy::BreadthFirst, Strategy::DepthFirst] {
                let model = TwoPhase::new(3).with_bug(bug);
                let report = run(&model, strategy);
                let Outcome::Violation { property, path } = &report.outcome else {
                    panic!("{bug:?} under {strategy:?} not caught: {report:?}")
                };
                assert_eq!(*property, bug.property());
                assert_eq!(path.init, State::INIT);
                // Every step is an enabled action of the broken model, and the last state (only)
                // breaks TCConsistent.
                let mut s = path.init;
                for (i, (action, next)) in path.steps.iter().enumerate() {
                    assert!(model.enabled(s, *action));
                    s = model.next_state(&s, *action).unwrap();
                    assert_eq!(s, *next);
                    assert_eq!(model.consistent(s), i + 1 < path.steps.len(), "step {i} of {path:?}");
                }
                // The correct spec cannot take this path.
                let correct = TwoPhase::new(3);
                let mut s = Some(path.init);
                for (action, _) in &path.steps {
                    s = s.and_then(|s| correct.next_state(&s, *action));
                }
                assert!(s.is_none() || correct.consistent(s.unwrap()));
            }
        }
    }

    /// Breadth-first search gives a shortest counterexample: for "commit once any RM is
    /// prepared", 5 steps (RMPrepare(r), TMRcvPrepared(r), TMCommit, RMChooseToAbort(s),
    /// RMRcvCommitMsg(r) in some order).
    #[test]
    fn the_commit_bug_has_a_five_step_counterexample() {
        let model = TwoPhase::new(3).with_bug(Bug::CommitWithoutAllPrepared);
        let report = run(&model, Strategy::BreadthFirst);
        let Outcome::Violation { path, .. } = report.outcome else { panic!() };
        let names: Vec<String> = path.steps.iter().map(|(a, _)| model.format_action(a)).collect();
        assert_eq!(names.len(), 5, "{names:?}");
        assert!(names.contains(&String::from("TMCommit")), "{names:?}");
        // One RM cannot show it: "some" is "all".
        let one = run(&TwoPhase::new(1).with_bug(Bug::CommitWithoutAllPrepared), Strategy::BreadthFirst);
        assert!(one.passed());
    }

    #[test]
    fn names_and_words() {
        for bug in Bug::ALL {
            assert_eq!(Bug::from_name(bug.name()), Some(bug));
        }
        assert_eq!(Bug::from_name("nope"), None);
        let m = TwoPhase::new(2);
        let s = m.next_state(&State::INIT, Action::RmPrepare(0)).unwrap();
        let s = m.next_state(&s, Action::TmRcvPrepared(0)).unwrap();
        assert_eq!(
            m.format_state(&s),
            "rmState r1=prepared r2=working, tmState init, tmPrepared {r1}, msgs {Prepared(r1)}"
        );
        assert_eq!(m.format_action(&Action::RmRcvCommitMsg(1)), "RMRcvCommitMsg(r2)");
        // Out of range or not enabled: no successor.
        assert_eq!(m.next_state(&s, Action::RmPrepare(2)), None);
        assert_eq!(m.next_state(&s, Action::TmCommit), None);
        assert!(!m.type_ok(State(s.0 | 1 << (PREPARED_MSG + 3))));
        assert!(!m.type_ok(State(s.0 | 3 << TM_STATE)));
        assert!(!m.type_ok(State(s.0 | 1 << 4)));
        assert!(m.type_ok(s));
    }
}
