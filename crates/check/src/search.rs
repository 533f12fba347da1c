//! Breadth-first and depth-first exploration of a [`Model`]'s reachable states.
//!
//! Every unique state is checked once, when it is first reached: first the *always* properties
//! (a failing one stops the search with its counterexample), then the *sometimes* properties
//! still unmet. It is then put on the frontier and later expanded: every enabled action is
//! applied, and each successor counts as **generated** (TLC's "states generated"), whether new
//! or already seen.
//!
//! **Breadth-first** expands states in the order they were found, so states are found in order
//! of depth (the number of actions from an initial state) and the first violation found has a
//! shortest counterexample. **Depth-first** expands the state found last; it finds the same
//! unique states, in a different order, and its depths are those of the path that found each
//! state first, not the shortest.
//!
//! Parent pointers: each unique state's entry holds the entry it was first reached from and the
//! action, or, for an initial state, which one it is. A path is read back from an entry to an
//! initial state, then its states are recomputed by replaying the actions.

use crate::table::{Insert, Table, MAX_ENTRIES};
use crate::{Expectation, Model};
use alloc::collections::VecDeque;
use alloc::vec::Vec;

/// The state budget [`Options::default`] allows.
pub const DEFAULT_MAX_STATES: u64 = 20_000_000;

/// The order in which states are expanded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Oldest first: states in order of depth, shortest counterexamples.
    BreadthFirst,
    /// Newest first.
    DepthFirst,
}

/// How to search and how far.
#[derive(Clone, Debug)]
pub struct Options {
    /// Breadth- or depth-first.
    pub strategy: Strategy,
    /// The most unique states to store (the budget; at most `u32::MAX`). Reaching it stops the
    /// search with [`Outcome::StateLimit`].
    pub max_states: u64,
    /// States at this depth are checked but not expanded (`None`: no bound). Reaching it ends
    /// the search with [`Outcome::DepthLimit`] if some state there has a successor not yet seen.
    pub max_depth: Option<u32>,
}

impl Default for Options {
    fn default() -> Self {
        Options { strategy: Strategy::BreadthFirst, max_states: DEFAULT_MAX_STATES, max_depth: None }
    }
}

/// A path through the state graph: an initial state and the steps taken from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path<S, A> {
    /// The initial state.
    pub init: S,
    /// Each action and the state it led to.
    pub steps: Vec<(A, S)>,
}

impl<S, A> Path<S, A> {
    /// The last state of the path.
    pub fn last(&self) -> &S {
        self.steps.last().map_or(&self.init, |(_, s)| s)
    }
}

/// How a search ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome<S, A> {
    /// Every reachable state was checked; no invariant failed.
    Complete,
    /// Every state up to the depth bound was checked, no invariant failed, but some had
    /// successors beyond it: not every reachable state was checked.
    DepthLimit {
        /// The bound ([`Options::max_depth`]).
        max_depth: u32,
    },
    /// The search stopped when it found a new state with `max_states` already stored, without a
    /// violation among those: not every reachable state was checked.
    StateLimit {
        /// The budget ([`Options::max_states`]).
        max_states: u64,
    },
    /// A reachable state breaks an invariant.
    Violation {
        /// The invariant's name.
        property: &'static str,
        /// How to get there (a shortest path under breadth-first search).
        path: Path<S, A>,
    },
}

/// What became of a *sometimes* property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sometimes<S, A> {
    /// The property's name.
    pub name: &'static str,
    /// A path to the first state found that satisfies it, if any was.
    pub example: Option<Path<S, A>>,
}

/// The result of [`check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report<S, A> {
    /// Unique states found (by fingerprint), each checked against every property.
    pub unique_states: u64,
    /// States generated: the initial states plus every successor of every expanded state,
    /// duplicates included (TLC's "states generated").
    pub generated: u64,
    /// The greatest depth (actions from an initial state) of a state found.
    pub max_depth: u32,
    /// How the search ended.
    pub outcome: Outcome<S, A>,
    /// Each *sometimes* property, in the model's order, with an example if one was found.
    pub sometimes: Vec<Sometimes<S, A>>,
}

impl<S, A> Report<S, A> {
    /// Whether every reachable state was checked.
    pub fn is_complete(&self) -> bool {
        matches!(self.outcome, Outcome::Complete)
    }

    /// The *sometimes* properties that no reachable state satisfies: a finding only when the
    /// search is complete (otherwise the example may lie beyond a limit).
    pub fn unmet_sometimes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.sometimes.iter().filter(|s| s.example.is_none()).map(|s| s.name)
    }

    /// Whether the check proves the model: complete, no invariant broken, every *sometimes*
    /// property met.
    pub fn passed(&self) -> bool {
        self.is_complete() && self.unmet_sometimes().next().is_none()
    }
}

/// A unique state's parent pointer.
#[derive(Clone, Debug)]
enum Link<A> {
    /// The model's `n`-th initial state.
    Init(u32),
    /// Reached from entry `parent` by `action`.
    Step { parent: u32, action: A },
}

/// How far a search has come, for a progress display ([`check_with_progress`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Progress {
    /// Unique states found so far.
    pub unique_states: u64,
    /// States generated so far.
    pub generated: u64,
    /// The depth of the state being expanded (breadth-first: the level being explored).
    pub depth: u32,
    /// States found but not yet expanded.
    pub frontier: u64,
}

/// Explores `model`'s reachable states as `options` say and checks each against its properties.
pub fn check<M: Model>(model: &M, options: &Options) -> Report<M::State, M::Action> {
    check_with_progress(model, options, u64::MAX, &mut |_| {})
}

/// [`check`], calling `progress` after every `every` expanded states (the caller has the clock:
/// a command line prints, a Web Worker posts a message).
pub fn check_with_progress<M: Model>(
    model: &M,
    options: &Options,
    every: u64,
    progress: &mut dyn FnMut(Progress),
) -> Report<M::State, M::Action> {
    let properties = model.properties();
    let always: Vec<_> = properties
        .iter()
        .filter(|p| p.expectation == Expectation::Always)
        .map(|p| (p.name, p.condition))
        .collect();
    let sometimes: Vec<_> = properties
        .iter()
        .filter(|p| p.expectation == Expectation::Sometimes)
        .map(|p| (p.name, p.condition))
        .collect();
    let mut met: Vec<Option<u32>> = sometimes.iter().map(|_| None).collect();
    let inits = model.init_states();
    let max_states = options.max_states.min(MAX_ENTRIES);

    let mut seen: Table<Link<M::Action>> = Table::new();
    let mut frontier: VecDeque<(M::State, u32, u32)> = VecDeque::new();
    let mut generated = 0u64;
    let mut max_depth = 0u32;
    let mut depth_cut = false;
    let mut actions = Vec::new();
    let mut expanded = 0u64;

    // Stores a newly reached state and checks it; `Err` ends the search.
    let mut visit = |seen: &mut Table<Link<M::Action>>,
                     frontier: &mut VecDeque<(M::State, u32, u32)>,
                     state: M::State,
                     depth: u32,
                     link: &mut dyn FnMut() -> Link<M::Action>|
     -> Result<(), Stop> {
        let entry = match seen.insert(model.fingerprint(&state), max_states, link) {
            Insert::Old(_) => return Ok(()),
            Insert::Full => return Err(Stop::StateLimit),
            Insert::New(entry) => entry,
        };
        max_depth = max_depth.max(depth);
        for &(name, condition) in &always {
            if !condition(model, &state) {
                return Err(Stop::Violation(name, entry));
            }
        }
        for (i, &(_, condition)) in sometimes.iter().enumerate() {
            if met[i].is_none() && condition(model, &state) {
                met[i] = Some(entry);
            }
        }
        frontier.push_back((state, entry, depth));
        Ok(())
    };

    let mut stop = None;
    'search: {
        for (i, state) in inits.iter().enumerate() {
            generated += 1;
            let i = i as u32;
            if let Err(s) = visit(&mut seen, &mut frontier, state.clone(), 0, &mut || Link::Init(i)) {
                stop = Some(s);
                break 'search;
            }
        }
        loop {
            let next = match options.strategy {
                Strategy::BreadthFirst => frontier.pop_front(),
                Strategy::DepthFirst => frontier.pop_back(),
            };
            let Some((state, entry, depth)) = next else { break };
            expanded += 1;
            if expanded % every.max(1) == 0 {
                progress(Progress {
                    unique_states: seen.len(),
                    generated,
                    depth,
                    frontier: frontier.len() as u64,
                });
            }
            actions.clear();
            model.actions(&state, &mut actions);
            if options.max_depth.is_some_and(|bound| depth >= bound) {
                // Cut only if a successor is new: one already seen was checked.
                depth_cut |= actions
                    .drain(..)
                    .filter_map(|a| model.next_state(&state, a))
                    .any(|next| !seen.contains(model.fingerprint(&next)));
                continue;
            }
            for action in actions.drain(..) {
                let Some(next) = model.next_state(&state, action.clone()) else { continue };
                generated += 1;
                let mut action = Some(action);
                let mut link = || Link::Step { parent: entry, action: action.take().expect("made once") };
                if let Err(s) = visit(&mut seen, &mut frontier, next, depth + 1, &mut link) {
                    stop = Some(s);
                    break 'search;
                }
            }
        }
    }

    let outcome = match stop {
        Some(Stop::Violation(property, entry)) => {
            Outcome::Violation { property, path: path_to(model, &inits, &seen, entry) }
        }
        Some(Stop::StateLimit) => Outcome::StateLimit { max_states: options.max_states },
        None if depth_cut => Outcome::DepthLimit { max_depth: options.max_depth.unwrap_or(u32::MAX) },
        None => Outcome::Complete,
    };
    let sometimes = sometimes
        .iter()
        .zip(met)
        .map(|(&(name, _), entry)| Sometimes {
            name,
            example: entry.map(|e| path_to(model, &inits, &seen, e)),
        })
        .collect();
    Report { unique_states: seen.len(), generated, max_depth, outcome, sometimes }
}

/// Why the search stopped early.
enum Stop {
    /// This invariant failed in this entry's state.
    Violation(&'static str, u32),
    /// A new state with the budget already full.
    StateLimit,
}

/// The path from an initial state to `entry`'s state: the actions read back along the parent
/// pointers, the states recomputed by replaying them.
fn path_to<M: Model>(
    model: &M,
    inits: &[M::State],
    seen: &Table<Link<M::Action>>,
    mut entry: u32,
) -> Path<M::State, M::Action> {
    let mut actions = Vec::new();
    let init = loop {
        match seen.value(entry) {
            Link::Init(i) => break inits[*i as usize].clone(),
            Link::Step { parent, action } => {
                actions.push(action.clone());
                entry = *parent;
            }
        }
    };
    let mut state = init.clone();
    let steps = actions
        .into_iter()
        .rev()
        .map(|action| {
            state = model
                .next_state(&state, action.clone())
                .expect("next_state is a function: the replay repeats the search");
            (action, state.clone())
        })
        .collect();
    Path { init, steps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Property;
    use alloc::vec;

    /// A counter pair: `(a, b)` from `(0, 0)`; `IncA` adds 1 to `a` (below `cap`), `IncB` adds 1
    /// to `b` (below `cap`), `Jump` sets `a` to `cap` in one step from `(0, _)`. The invariant
    /// "not both at cap" fails; the shortest path there is Jump then `cap` IncBs.
    struct Counters {
        cap: u8,
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Act {
        IncA,
        IncB,
        Jump,
    }

    impl Model for Counters {
        type State = (u8, u8);
        type Action = Act;
        fn init_states(&self) -> Vec<(u8, u8)> {
            vec![(0, 0)]
        }
        fn actions(&self, s: &(u8, u8), actions: &mut Vec<Act>) {
            if s.0 < self.cap {
                actions.push(Act::IncA);
            }
            if s.1 < self.cap {
                actions.push(Act::IncB);
            }
            if s.0 == 0 {
                actions.push(Act::Jump);
            }
        }
        fn next_state(&self, s: &(u8, u8), a: Act) -> Option<(u8, u8)> {
            Some(match a {
                Act::IncA => (s.0 + 1, s.1),
                Act::IncB => (s.0, s.1 + 1),
                Act::Jump => (self.cap, s.1),
            })
        }
        fn properties(&self) -> Vec<Property<Self>> {
            vec![
                Property::always("not both at cap", |m: &Counters, s: &(u8, u8)| {
                    !(s.0 == m.cap && s.1 == m.cap)
                }),
                Property::sometimes("b reaches cap", |m: &Counters, s: &(u8, u8)| s.1 == m.cap),
                Property::sometimes("a exceeds cap", |m: &Counters, s: &(u8, u8)| s.0 > m.cap),
            ]
        }
    }

    /// The same graph without the failing invariant.
    struct Safe(Counters);

    impl Model for Safe {
        type State = (u8, u8);
        type Action = Act;
        fn init_states(&self) -> Vec<(u8, u8)> {
            self.0.init_states()
        }
        fn actions(&self, s: &(u8, u8), actions: &mut Vec<Act>) {
            self.0.actions(s, actions)
        }
        fn next_state(&self, s: &(u8, u8), a: Act) -> Option<(u8, u8)> {
            self.0.next_state(s, a)
        }
        fn properties(&self) -> Vec<Property<Self>> {
            vec![Property::always("in range", |m: &Safe, s: &(u8, u8)| s.0 <= m.0.cap && s.1 <= m.0.cap)]
        }
    }

    fn with(strategy: Strategy) -> Options {
        Options { strategy, ..Options::default() }
    }

    #[test]
    fn progress_is_reported_every_so_many_expansions_and_grows() {
        let mut seen = Vec::new();
        let report =
            check_with_progress(&Safe(Counters { cap: 7 }), &Options::default(), 10, &mut |p| seen.push(p));
        // 64 states: (a, b) with a, b in 0..=7. Each is expanded once: progress after the 10th,
        // 20th, … 60th.
        assert_eq!(report.unique_states, 64);
        assert_eq!(seen.len(), 6, "{seen:?}");
        assert!(seen
            .windows(2)
            .all(|w| w[0].unique_states <= w[1].unique_states && w[0].generated < w[1].generated));
        assert!(seen.iter().all(|p| p.unique_states <= 64 && p.depth <= 14));
        assert_eq!(check(&Safe(Counters { cap: 7 }), &Options::default()), report);
    }

    #[test]
    fn breadth_first_finds_the_shortest_counterexample() {
        let report = check(&Counters { cap: 5 }, &with(Strategy::BreadthFirst));
        let Outcome::Violation { property, path } = report.outcome else { panic!("{report:?}") };
        assert_eq!(property, "not both at cap");
        assert_eq!(path.init, (0, 0));
        // Jump (1 step) + 5 IncB = 6 steps, in some order; every IncA path is 10 steps.
        assert_eq!(path.steps.len(), 6, "{path:?}");
        assert_eq!(path.steps.iter().filter(|(a, _)| *a == Act::Jump).count(), 1);
        assert_eq!(*path.last(), (5, 5));
        // The states are the replayed ones.
        let mut s = path.init;
        for (a, next) in &path.steps {
            s = Counters { cap: 5 }.next_state(&s, *a).unwrap();
            assert_eq!(s, *next);
        }
    }

    #[test]
    fn depth_first_also_catches_it_with_a_valid_path() {
        let model = Counters { cap: 5 };
        let report = check(&model, &with(Strategy::DepthFirst));
        let Outcome::Violation { path, .. } = report.outcome else { panic!("{report:?}") };
        assert_eq!(*path.last(), (5, 5));
        assert!(path.steps.len() >= 6);
    }

    #[test]
    fn both_orders_agree_on_every_count() {
        let model = Safe(Counters { cap: 7 });
        let bfs = check(&model, &with(Strategy::BreadthFirst));
        let dfs = check(&model, &with(Strategy::DepthFirst));
        assert_eq!(bfs.outcome, Outcome::Complete);
        assert_eq!(dfs.outcome, Outcome::Complete);
        // (a, b) with a, b in 0..=7: 64 states.
        assert_eq!(bfs.unique_states, 64);
        assert_eq!(dfs.unique_states, 64);
        assert_eq!(bfs.generated, dfs.generated);
        // 1 initial; from (a, b): IncA if a<7, IncB if b<7, Jump if a=0.
        assert_eq!(bfs.generated, 1 + 7 * 8 + 7 * 8 + 8);
        // Shortest: (7, 7) is Jump + 7 IncB = 8 steps; (6, 7) needs 13.
        assert_eq!(bfs.max_depth, 13);
        assert!(dfs.max_depth >= 13);
        assert!(bfs.passed());
    }

    #[test]
    fn sometimes_properties_report_examples_and_misses() {
        let report = check(&Safe(Counters { cap: 3 }), &Options::default());
        assert!(report.sometimes.is_empty());
        let report = check(&Counters { cap: 3 }, &Options::default());
        let b = &report.sometimes[0];
        assert_eq!(b.name, "b reaches cap");
        assert_eq!(b.example.as_ref().map(|p| p.steps.len()), Some(3), "shortest example");
        assert_eq!(report.unmet_sometimes().collect::<Vec<_>>(), vec!["a exceeds cap"]);
        assert!(!report.passed());
    }

    #[test]
    fn the_state_limit_stops_cleanly_and_says_so() {
        for strategy in [Strategy::BreadthFirst, Strategy::DepthFirst] {
            let report =
                check(&Safe(Counters { cap: 7 }), &Options { strategy, max_states: 10, max_depth: None });
            assert_eq!(report.outcome, Outcome::StateLimit { max_states: 10 });
            assert_eq!(report.unique_states, 10);
            assert!(!report.passed());
        }
        // A budget of exactly the state count completes.
        let report = check(&Safe(Counters { cap: 7 }), &Options { max_states: 64, ..Options::default() });
        assert_eq!(report.outcome, Outcome::Complete);
    }

    #[test]
    fn the_depth_bound_checks_everything_up_to_it() {
        let model = Safe(Counters { cap: 7 });
        let report = check(&model, &Options { max_depth: Some(2), ..Options::default() });
        assert_eq!(report.outcome, Outcome::DepthLimit { max_depth: 2 });
        // Depth 0: (0,0); 1: (1,0) (0,1) (7,0); 2: (2,0) (1,1) (0,2) (7,1).
        assert_eq!(report.unique_states, 8);
        assert_eq!(report.max_depth, 2);
        // A bound beyond the deepest state completes.
        let report = check(&model, &Options { max_depth: Some(13), ..Options::default() });
        assert_eq!(report.outcome, Outcome::Complete);
    }

    #[test]
    fn a_violating_initial_state_has_an_empty_path() {
        let report = check(&Counters { cap: 0 }, &Options::default());
        let Outcome::Violation { path, .. } = report.outcome else { panic!("{report:?}") };
        assert!(path.steps.is_empty());
        assert_eq!(report.unique_states, 1);
    }
}
