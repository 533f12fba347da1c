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
        // Progress came from a bare majority: the others stayed down.
        let majority = ballot_core::Cluster::new(report.cluster_size).majority();
        assert_eq!(report.survivors.len(), usize::from(majority), "seed {seed}");
    }
}

#[test]
fn the_liveness_phase_keeps_different_majorities_up() {
    // Over many seeds the survivors are not always the same nodes (a fixed majority, say the
    // first nodes, would never test a leader that must come from the rest).
    let mut seen = std::collections::BTreeSet::new();
    for seed in 1..=40 {
        let report = run_seed::<Raft>(seed, &options(None)).unwrap();
        seen.insert(report.survivors.clone());
    }
    assert!(seen.len() > 10, "only {} distinct survivor sets", seen.len());
}

#[test]
fn a_random_majority_is_bare_and_keeps_the_nodes_asked_for() {
    use ballot_core::{Cluster, NodeId, Prng};
    let mut rng = Prng::new(7);
    for size in 1..=9u8 {
        let cluster = Cluster::new(size);
        for _ in 0..50 {
            let m = ballot_sim::protocol::random_majority(cluster, &[NodeId(1)], &mut rng);
            assert_eq!(m.len(), usize::from(cluster.majority()));
            assert!(m.contains(&NodeId(1)));
            assert!(m.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats: {m:?}");
            assert!(m.iter().all(|&id| cluster.contains(id)));
        }
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
