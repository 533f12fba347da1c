//! Time travel is exact: seeking gives the same state as running straight to that moment, and
//! a fork continues from it.

use ballot_core::{Duration, Instant};
use ballot_sim::action::Action;
use ballot_sim::bench::hour_with_timeline;
use ballot_sim::protocols::Raft;
use ballot_sim::World;

fn straight_to(live: &World<Raft>, t: Instant) -> World<Raft> {
    let prefix: Vec<_> = live.history().iter().filter(|iv| iv.at <= t).cloned().collect();
    World::replay(live.config().clone(), &prefix, t, 200)
}

#[test]
fn seeking_equals_running_straight_there() {
    let (live, timeline) = hour_with_timeline(300, 16);
    assert!(timeline.len() <= 16, "thinned to {} checkpoints", timeline.len());
    assert!(timeline.spacing() >= Duration::from_secs(16));
    for ms in [0, 1, 49, 50_000, 123_456, 180_001, 299_950, 299_999] {
        let t = Instant::from_millis(ms);
        let seen = timeline.seek(&live, t);
        assert_eq!(seen.fingerprint(), straight_to(&live, t).fingerprint(), "at {ms} ms");
        assert_eq!(seen.now(), t);
    }
    assert_eq!(timeline.seek(&live, live.now()).fingerprint(), live.fingerprint());
}

#[test]
fn stepping_by_event_backwards_and_forwards() {
    let (live, timeline) = hour_with_timeline(60, 8);
    let k = live.events() / 2;
    let at_k = timeline.seek_event(&live, k);
    assert_eq!(at_k.events(), k);
    let back = timeline.seek_event(&live, k - 1);
    assert_eq!(back.events(), k - 1);
    let mut forward = back.clone();
    forward.step();
    // One step forward from k-1 reaches event k, unless an intervention sits exactly there.
    if live.history().iter().all(|iv| iv.after_events != k - 1) {
        assert_eq!(forward.fingerprint(), at_k.fingerprint());
    }
}

#[test]
fn a_fork_cuts_the_future_and_records_the_new_branch() {
    let (live, mut timeline) = hour_with_timeline(120, 8);
    let t = Instant::from_millis(30_000);
    let mut fork = timeline.fork(&live, t);
    assert!(fork.history().iter().all(|iv| iv.at <= t));
    assert!(fork.history().len() < live.history().len());
    fork.act(Action::Crash(ballot_core::NodeId(1)));
    fork.run_for(Duration::from_secs(5));
    timeline.observe(&fork);
    // The new branch is itself seekable and exact.
    let mid = Instant::from_millis(32_000);
    assert_eq!(timeline.seek(&fork, mid).fingerprint(), straight_to(&fork, mid).fingerprint());
    assert_ne!(fork.fingerprint(), timeline.seek(&live, fork.now()).fingerprint());
}

/// Replaying a recorded run with checkpoints ends exactly where a plain replay does, and its
/// checkpoints seek exactly.
#[test]
fn recording_a_run_equals_replaying_it() {
    use ballot_sim::timeline::{playground, Timeline};
    let (live, _) = hour_with_timeline(200, 8);
    let at = (live.now(), live.events());
    let settings = (playground::SPACING, 8);
    let (w, timeline) = Timeline::record(live.config().clone(), live.history(), at, 200, settings);
    assert_eq!(w.fingerprint(), live.fingerprint());
    assert_eq!(w.events(), live.events());
    assert!(timeline.len() > 2 && timeline.len() <= 8, "{} checkpoints", timeline.len());
    for ms in [0, 7_777, 99_999, 150_000] {
        let t = Instant::from_millis(ms);
        assert_eq!(timeline.seek(&w, t).fingerprint(), straight_to(&live, t).fingerprint(), "{ms} ms");
    }
}

/// Undoing a fork gets the old branch's checkpoints back: seeks on the old branch are exact
/// and start from checkpoints after the fork point again.
#[test]
fn rejoining_after_a_fork_restores_the_old_branch() {
    let (live, mut timeline) = hour_with_timeline(240, 16);
    let before = timeline.len();
    let t = Instant::from_millis(60_000);
    let past = timeline.seek(&live, t);
    let cut = timeline.cut_after(&past);
    assert!(timeline.len() < before);
    let mut fork = past;
    fork.act(Action::Crash(ballot_core::NodeId(2)));
    fork.run_for(Duration::from_secs(30));
    timeline.observe(&fork);
    timeline.rejoin(cut);
    assert_eq!(timeline.len(), before);
    for ms in [30_000, 60_000, 61_000, 200_000] {
        let t = Instant::from_millis(ms);
        assert_eq!(timeline.seek(&live, t).fingerprint(), straight_to(&live, t).fingerprint(), "{ms} ms");
    }
    // A cut thinned to bound memory while the fork is kept still rejoins exactly (seeks replay
    // further, from fewer checkpoints).
    let past = timeline.seek(&live, t);
    let mut cut = timeline.cut_after(&past);
    let full = cut.len();
    cut.thin();
    assert_eq!(cut.len(), full / 2);
    cut.thin();
    timeline.rejoin(cut);
    assert!(timeline.len() < before);
    for ms in [30_000, 60_000, 61_000, 200_000] {
        let t = Instant::from_millis(ms);
        assert_eq!(timeline.seek(&live, t).fingerprint(), straight_to(&live, t).fingerprint(), "{ms} ms");
    }
}
