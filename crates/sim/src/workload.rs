//! The playground's background client workload: requests at seeded, jittered instants, so a run
//! shows its protocol working (entries replicating and committing, values chosen, transactions
//! decided) without a click, and stays reproducible.
//!
//! The workload is a pure function of the run's seed: the `k`-th request (from 1) is due at
//! `first + (k − 1)·gap + jitter(seed, k)` with the jitter below `gap / 2`, so the instants
//! only grow, and what it sends is drawn from a PRNG seeded by `(seed, k)` and decided by the
//! world at that instant ([`Protocol::workload`]: by default one command to
//! [`Protocol::client_target`], nothing while there is none). It keeps no state: whoever drives
//! a world for the span `(from, to]` injects the requests due in it ([`due`]), so a run resumed
//! from any moment, a fork in the past included, goes on with the same schedule. Each request is
//! applied with [`World::act`] and so recorded in the run's history: a share link or an exported
//! scenario replays it like any click, and the world itself knows nothing of the workload (its
//! fingerprints and the link format are unchanged).

use crate::action::Action;
use crate::protocol::Protocol;
use crate::world::World;
use alloc::vec::Vec;
use ballot_core::{Duration, Instant, Prng};

/// The most requests a run's workload makes (about eight minutes of virtual time at Raft's
/// gap): each is an intervention a share link carries, and a link holds at most
/// [`crate::link::MAX_INTERVENTIONS`]. After them the run goes on without new requests.
pub const MAX_REQUESTS: u64 = 2000;

/// Mixed into the seed so the workload's draws are independent of the world's.
const SALT: u64 = 0x776f_726b_6c6f_6164; // "workload"

/// The instant the `k`-th request (from 1) is due in a run of `seed`.
pub fn instant<P: Protocol>(seed: u64, k: u64) -> Instant {
    let (first, gap) = P::workload_schedule();
    let jitter =
        Prng::new(seed ^ SALT ^ k.wrapping_mul(0x9e37_79b9_7f4a_7c15)).below((gap.micros / 2).max(1));
    Instant::ZERO + first + Duration { micros: gap.micros.saturating_mul(k - 1).saturating_add(jitter) }
}

/// The requests due in `(from, to]`, in order: `(k, instant)`.
pub fn due<P: Protocol>(seed: u64, from: Instant, to: Instant) -> Vec<(u64, Instant)> {
    let (first, gap) = P::workload_schedule();
    // The first k whose instant can be after `from`: instants lie in [slot start, slot start + gap/2).
    let mut k = (from.micros.saturating_sub(first.micros) / gap.micros.max(1)).max(1);
    let mut out = Vec::new();
    while k <= MAX_REQUESTS {
        let at = instant::<P>(seed, k);
        if at > to {
            break;
        }
        if at > from {
            out.push((k, at));
        }
        k += 1;
    }
    out
}

/// What the `k`-th request of a run of `seed` sends, given the world at its instant.
pub fn requests<P: Protocol>(world: &World<P>, seed: u64, k: u64) -> Vec<Action<P::Node>> {
    let mut rng = Prng::new(seed ^ SALT.rotate_left(17) ^ k);
    P::workload(world, &mut rng)
}

/// Runs `world` to `to` with the workload's requests due on the way injected at their instants
/// (a test and command-line helper; the playground interleaves them with its frame budget).
pub fn run_until<P: Protocol>(world: &mut World<P>, to: Instant) {
    let seed = world.config().seed;
    for (k, at) in due::<P>(seed, world.now(), to) {
        world.run_until(at);
        for action in requests(world, seed, k) {
            world.act(action);
        }
    }
    world.run_until(to);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocols::{Paxos, Raft, TwoPc};
    use crate::SimConfig;

    #[test]
    fn instants_grow_and_due_finds_each_exactly_once_across_any_split() {
        for seed in 0..20 {
            let all: Vec<(u64, Instant)> =
                due::<Raft>(seed, Instant::ZERO, Instant::ZERO + Duration::from_secs(10));
            assert!(all.len() > 10, "{all:?}");
            assert!(all.windows(2).all(|w| w[0].1 < w[1].1 && w[0].0 + 1 == w[1].0));
            assert_eq!(all[0].0, 1);
            // Cut the span at arbitrary points: the pieces hold the same requests.
            let mut pieces = Vec::new();
            let mut from = Instant::ZERO;
            let mut rng = Prng::new(seed);
            while from < Instant::ZERO + Duration::from_secs(10) {
                let to = (from + Duration { micros: rng.below(700_000) })
                    .min(Instant::ZERO + Duration::from_secs(10));
                pieces.extend(due::<Raft>(seed, from, to));
                from = to;
            }
            assert_eq!(pieces, all);
            // A cut exactly at an instant: it belongs to the span that ends there.
            let (_, t) = all[3];
            assert_eq!(due::<Raft>(seed, Instant::ZERO, t).last(), Some(&all[3]));
            assert_eq!(due::<Raft>(seed, t, all[4].1), [all[4]]);
        }
    }

    #[test]
    fn the_workload_stops_after_its_most_requests() {
        let end = instant::<Raft>(3, MAX_REQUESTS);
        assert_eq!(due::<Raft>(3, Instant::ZERO, end + Duration::from_secs(3600)).len() as u64, MAX_REQUESTS);
        assert!(due::<Raft>(3, end, end + Duration::from_secs(3600)).is_empty());
    }

    #[test]
    fn the_schedule_depends_on_the_seed() {
        assert_ne!(instant::<Raft>(1, 5), instant::<Raft>(2, 5));
        assert_eq!(instant::<Raft>(1, 5), instant::<Raft>(1, 5));
    }

    /// With the workload, each protocol makes progress on its own within a few seconds, safely.
    #[test]
    fn every_protocol_makes_progress_by_itself() {
        fn go<P: Protocol>(seed: u64) -> (u64, usize) {
            let mut world = World::new(SimConfig::<P>::new(5, seed));
            run_until(&mut world, Instant::ZERO + Duration::from_secs(5));
            assert!(world.violations().is_empty(), "{:?}", world.violations());
            (P::progress(&world), world.history().len())
        }
        for seed in 0..5 {
            let (raft, requests) = go::<Raft>(seed);
            assert!(raft >= 5 && requests >= 5, "raft seed {seed}: commit index {raft}, {requests} requests");
            let (paxos, _) = go::<Paxos>(seed);
            assert!(paxos >= 1, "paxos seed {seed}: nothing chosen");
            let (twopc, _) = go::<TwoPc>(seed);
            assert!(twopc >= 3, "twopc seed {seed}: {twopc} transactions");
            // Without it, Raft only elects: nothing to commit.
            let mut idle = World::new(SimConfig::<Raft>::new(5, seed));
            idle.run_until(Instant::ZERO + Duration::from_secs(5));
            assert_eq!(Raft::progress(&idle), 0);
        }
    }

    /// 2PC's workload makes participants vote no now and then: within a few seconds a run has
    /// both committed and aborted transactions, safely, and replays from its history.
    #[test]
    fn twopc_commits_and_rolls_back_by_itself() {
        for seed in 0..8 {
            let mut world = World::new(SimConfig::<TwoPc>::new(5, seed));
            let (mut committed, mut aborted) = (false, false);
            for ms in (20..=4000).step_by(20) {
                run_until(&mut world, Instant::ZERO + Duration::from_millis(ms));
                match world.node(ballot_twopc::COORDINATOR).and_then(|n| n.decision()) {
                    Some(ballot_twopc::Decision::Commit) => committed = true,
                    Some(ballot_twopc::Decision::Abort) => aborted = true,
                    None => {}
                }
            }
            assert!(committed && aborted, "seed {seed}: committed {committed}, aborted {aborted}");
            if seed == 1 {
                // The page's default run (seed 1) shows both in its first 400 ms, which the
                // default speed plays in 16 s of wall time.
                let mut world = World::new(SimConfig::<TwoPc>::new(5, seed));
                let mut seen = [false; 2];
                for ms in 1..=400 {
                    run_until(&mut world, Instant::ZERO + Duration::from_millis(ms));
                    if let Some(d) = world.node(ballot_twopc::COORDINATOR).and_then(|n| n.decision()) {
                        seen[(d == ballot_twopc::Decision::Abort) as usize] = true;
                    }
                }
                assert_eq!(seen, [true, true], "the default run: [committed, aborted] by 400 ms");
            }
            assert!(world.violations().is_empty(), "{:?}", world.violations());
            let again = World::replay(world.config().clone(), world.history(), world.now(), 0);
            assert_eq!(again.fingerprint(), world.fingerprint());
        }
    }

    /// A run with the workload replays exactly from its history (the requests are interventions).
    #[test]
    fn a_workload_run_replays_from_its_history() {
        let mut world = World::new(SimConfig::<Raft>::new(5, 7));
        run_until(&mut world, Instant::ZERO + Duration::from_secs(3));
        let again = World::replay(world.config().clone(), world.history(), world.now(), 0);
        assert_eq!(again.fingerprint(), world.fingerprint());
    }
}
