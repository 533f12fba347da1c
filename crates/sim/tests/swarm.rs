//! Seed swarms: correct Raft survives random faults on many seeds; every broken variant is
//! caught. (CI also runs larger swarms through the release `ballot` binary.)

use ballot_sim::protocols::Raft;
use ballot_sim::swarm::{run_seed, SwarmOptions};
use ballot_sim::Protocol;

fn options(bug: Option<&str>) -> SwarmOptions {
    SwarmOptions { steps: 3_000, bug: bug.map(str::to_string), ..SwarmOptions::default() }
}

#[test]
fn correct_raft_passes_safety_and_liveness_on_many_seeds() {
    for seed in 1..=150 {
        let report = run_seed::<Raft>(seed, &options(None)).unwrap();
        assert!(
            report.passed(),
            "seed {seed}: {:?} {:?}\nreproduce: ballot swarm raft --seed {seed} --steps 3000",
            report.violations,
            report.liveness_failure
        );
        assert!(report.interventions > 0);
    }
}

#[test]
fn every_broken_variant_is_caught_by_some_seed() {
    for bug in Raft::bug_names() {
        let caught = (1..=3_000u64)
            .find(|&seed| !run_seed::<Raft>(seed, &options(Some(bug))).unwrap().violations.is_empty());
        assert!(caught.is_some(), "no seed in 1..=3000 caught {bug}");
    }
}

#[test]
fn unknown_bug_is_an_error_not_a_panic() {
    assert!(run_seed::<Raft>(1, &options(Some("nope"))).is_err());
}
