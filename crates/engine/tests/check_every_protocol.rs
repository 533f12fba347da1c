//! `ballot check` on every registered protocol, table-driven over [`registry::names`] (this file
//! names none): the sim model ([`ballot_sim::check`]) of the correct protocol checks clean, and
//! every broken variant yields a counterexample that breaks the property the variant exists to
//! break (`Protocol::bug_property`, or from a later start state `Protocol::check_start`'s
//! property, while the correct protocol from that start checks clean), breadth-first no longer
//! than depth-first, whose share link replays to the same state, violation included.
//!
//! Debug builds (`cargo test`) check the correct protocols with terms/rounds up to 1 (one
//! request) and skip the
//! broken variants whose default bounds hold more than [`DEBUG_BUDGET`] states; release builds
//! (`cargo test --release`) check everything with the defaults `ballot check` uses.

use ballot_check::{check, Options, Outcome, Strategy};
use ballot_engine::registry::{self, Visitor};
use ballot_engine::Visual;
use ballot_sim::check::{fingerprint, SimModel, SimState};
use ballot_sim::link;
use ballot_sim::SimConfig;

/// The most unique states a debug build explores for one broken variant.
const DEBUG_BUDGET: u64 = 60_000;
/// The most unique states any check here may explore.
const BUDGET: u64 = 1_000_000;

fn for_every_protocol<V: Visitor<Output = ()> + Copy>(check: V) {
    for name in registry::names() {
        registry::dispatch(name, check);
    }
}

fn options(strategy: Strategy, max_states: u64) -> Options {
    Options { strategy, max_states, max_depth: None }
}

#[derive(Clone, Copy)]
struct CleanCheck;

impl Visitor for CleanCheck {
    type Output = ();
    fn visit<P: Visual>(self) {
        let (mut bounds, allow) = P::check_defaults(None);
        if cfg!(debug_assertions) {
            bounds.max_term = bounds.max_term.min(1);
            bounds.max_requests = bounds.max_requests.min(1);
        }
        let model = SimModel::<P>::new(SimConfig::new(3, 0), bounds, allow);
        let report = check(&model, &options(Strategy::BreadthFirst, BUDGET));
        assert!(matches!(report.outcome, Outcome::Complete), "{}: {:?}", P::NAME, report.outcome);
        assert!(report.unique_states > 10, "{}: only {} states", P::NAME, report.unique_states);
        eprintln!("{}: clean, {} unique states, depth {}", P::NAME, report.unique_states, report.max_depth);
    }
}

#[test]
fn the_correct_protocols_check_clean() {
    for_every_protocol(CleanCheck);
}

#[derive(Clone, Copy)]
struct BugCheck;

impl Visitor for BugCheck {
    type Output = ();
    fn visit<P: Visual>(self) {
        for &bug in P::bug_names() {
            let mut want = P::bug_property(bug).expect("every bug names its property");
            let (bounds, allow) = P::check_defaults(Some(bug));
            let mut config = SimConfig::<P>::new(3, 0);
            P::set_bug(&mut config.node, bug).unwrap();
            let mut model = SimModel::new(config, bounds, allow);
            let budget = if cfg!(debug_assertions) { DEBUG_BUDGET } else { BUDGET };
            if let Some(start) = model.default_start() {
                // A later start state (Zab's second epoch): the search still has to find the
                // violation, and the property it breaks from there is the start's.
                model =
                    model.starting_after(start.script).unwrap_or_else(|e| panic!("{} {bug}: {e}", P::NAME));
                want = start.breaks;
                let clean = SimModel::<P>::new(SimConfig::new(3, 0), bounds, allow)
                    .starting_after(start.script)
                    .unwrap_or_else(|e| panic!("{} {bug}: the start without the bug: {e}", P::NAME));
                // No violation among the first states (all of them for skip-sync's start; the
                // 7.3 million of commit-before-quorum's take minutes: `ballot check zab --after
                // …`, ARCHITECTURE.md).
                let report = check(&clean, &options(Strategy::BreadthFirst, budget));
                assert!(
                    matches!(report.outcome, Outcome::Complete | Outcome::StateLimit { .. }),
                    "{} {bug}: the correct protocol from the same start: {:?}",
                    P::NAME,
                    report.outcome
                );
            }
            let bfs = check(&model, &options(Strategy::BreadthFirst, budget));
            let (property, path) = match bfs.outcome {
                Outcome::Violation { property, path } => (property, path),
                Outcome::StateLimit { .. } if cfg!(debug_assertions) => {
                    eprintln!("{} {bug}: over the debug budget; checked by `cargo test --release`", P::NAME);
                    continue;
                }
                other => panic!("{} {bug}: not caught: {other:?}", P::NAME),
            };
            assert_eq!(property, want, "{} {bug}", P::NAME);

            // Depth-first finds one too, no shorter than the shortest.
            let dfs = check(&model, &options(Strategy::DepthFirst, BUDGET));
            match &dfs.outcome {
                Outcome::Violation { path: deep, .. } => {
                    assert!(path.steps.len() <= deep.steps.len(), "{} {bug}: BFS longer than DFS", P::NAME)
                }
                Outcome::StateLimit { .. } => {}
                other => panic!("{} {bug}: DFS found no violation: {other:?}", P::NAME),
            }

            // The share link replays to the checker's last state, violation included.
            let actions: Vec<_> = path.steps.iter().map(|(a, _)| a.clone()).collect();
            let text = model.link(&actions).unwrap();
            let run = link::decode::<P>(&text).unwrap();
            let world = run.replay(0);
            let last: &SimState<P> = path.last();
            assert_eq!(world.state_digest(), last.world.state_digest(), "{} {bug}", P::NAME);
            assert_eq!(
                fingerprint(&SimState { world: world.clone(), used: last.used }),
                fingerprint(last),
                "{} {bug}",
                P::NAME
            );
            assert!(world.violations().iter().any(|v| v.property == want), "{} {bug}: replay", P::NAME);
            eprintln!("{} {bug}: {want} in {} steps (DFS {:?})", P::NAME, path.steps.len(), dfs.max_depth);
        }
    }
}

#[test]
fn every_broken_variant_yields_a_counterexample_that_replays() {
    for_every_protocol(BugCheck);
}
