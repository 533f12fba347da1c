//! The model-checking interface: enabled choices at a state, applying one out of time order,
//! and a digest that identifies states. A small bounded breadth-first exploration of a 3-node
//! Raft cluster shows it works (the exhaustive checker will build on it).

use ballot_sim::protocols::Raft;
use ballot_sim::world::Choice;
use ballot_sim::{SimConfig, World};
use std::collections::{BTreeSet, VecDeque};

#[test]
fn choices_are_enabled_events_and_applying_one_is_deterministic() {
    let world = World::new(SimConfig::<Raft>::new(3, 1));
    let choices = world.choices();
    // Three election timers armed, nothing in flight, and each node can crash.
    assert_eq!(choices.iter().filter(|c| matches!(c, Choice::Fire(..))).count(), 3);
    assert_eq!(choices.iter().filter(|c| matches!(c, Choice::Crash(_))).count(), 3);
    assert!(!choices.iter().any(|c| matches!(c, Choice::Deliver(_))));
    for c in choices {
        let (mut a, mut b) = (world.clone(), world.clone());
        a.apply_choice(c);
        b.apply_choice(c);
        assert_eq!(a.state_digest(), b.state_digest());
        assert_ne!(a.state_digest(), world.state_digest(), "{c:?} changed nothing");
    }
}

#[test]
fn bounded_exploration_of_three_raft_nodes_finds_no_violation() {
    let start = World::new(SimConfig::<Raft>::new(3, 1));
    let mut seen = BTreeSet::from([start.state_digest()]);
    let mut frontier = VecDeque::from([(start, 0u32)]);
    let mut explored = 0;
    let mut leaders_seen = false;
    while let Some((world, depth)) = frontier.pop_front() {
        explored += 1;
        assert!(world.violations().is_empty(), "{:?}", world.violations());
        leaders_seen |= world.nodes().iter().flatten().any(|n| n.is_leader());
        if depth == 6 {
            continue;
        }
        for choice in world.choices() {
            // Crashes multiply states fast; keep this bound to message and timer interleavings.
            if matches!(choice, Choice::Crash(_) | Choice::Restart(_)) {
                continue;
            }
            let mut next = world.clone();
            next.apply_choice(choice);
            if seen.insert(next.state_digest()) {
                frontier.push_back((next, depth + 1));
            }
        }
    }
    assert!(explored > 1_000, "only {explored} states");
    assert!(leaders_seen, "some interleaving of depth 6 elects a leader");
}
