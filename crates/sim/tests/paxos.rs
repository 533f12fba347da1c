//! Basic Paxos and Multi-Paxos in the simulator: every text scenario under `scenarios/paxos/` and
//! `scenarios/multipaxos/` passes; seed swarms find no violation in the correct protocols and
//! catch every broken variant; the scenario expectations fail when they should.

use ballot_sim::protocols::{MultiPaxos, Paxos};
use ballot_sim::swarm::{run_seed, SwarmOptions};
use ballot_sim::{scenario, Protocol};
use std::path::PathBuf;

fn scenario_files(protocol: &str) -> Vec<(PathBuf, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(protocol);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "scn"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("readable scenario");
            assert!(text.starts_with('#'), "{} must open with a comment saying what it shows", f.display());
            assert_eq!(scenario::protocol_of(&text), protocol, "{}", f.display());
            (f, text)
        })
        .collect()
}

#[test]
fn every_paxos_scenario_passes() {
    let files = scenario_files("paxos");
    assert!(files.len() >= 6, "expected the six Basic Paxos scenarios, found {}", files.len());
    for (file, text) in files {
        if let Err(e) = scenario::run::<Paxos>(&text, 0) {
            panic!("{}: {e}", file.display());
        }
    }
}

#[test]
fn every_multipaxos_scenario_passes() {
    let files = scenario_files("multipaxos");
    assert!(files.len() >= 3, "expected the three Multi-Paxos scenarios, found {}", files.len());
    for (file, text) in files {
        if let Err(e) = scenario::run::<MultiPaxos>(&text, 0) {
            panic!("{}: {e}", file.display());
        }
    }
}

/// A scenario that expects a violation passes only because of its bug line: without it, the
/// script fails at an expectation (the bug's effect or the violation), never because of an
/// unexpected violation.
#[test]
fn the_broken_variant_scenarios_depend_on_their_bug() {
    for (protocol, run) in [
        (
            "paxos",
            (|t: &str| scenario::run::<Paxos>(t, 0).map(|_| ()))
                as fn(&str) -> Result<(), scenario::ScenarioError>,
        ),
        ("multipaxos", |t: &str| scenario::run::<MultiPaxos>(t, 0).map(|_| ())),
    ] {
        let broken: Vec<(PathBuf, String)> = scenario_files(protocol)
            .into_iter()
            .filter(|(_, t)| t.lines().any(|l| l.starts_with("bug ")))
            .collect();
        assert!(!broken.is_empty(), "{protocol} has a broken-variant scenario");
        for (file, text) in broken {
            let fixed: String =
                text.lines().filter(|l| !l.starts_with("bug ")).map(|l| format!("{l}\n")).collect();
            let err = run(&fixed).expect_err("the correct protocol does not do what the bug does");
            assert!(!err.message.contains("unexpected violation"), "{}: {}", file.display(), err.message);
            // And with the `expect violation` lines gone too, it is still not a clean run only
            // where an expectation describes the bug's effect; the violation itself is gone.
            let quiet: String = fixed
                .lines()
                .filter(|l| !l.starts_with("expect violation"))
                .map(|l| format!("{l}\n"))
                .collect();
            if let Err(e) = run(&quiet) {
                assert!(!e.message.contains("violation"), "{}: {}", file.display(), e.message);
            }
        }
    }
}

#[test]
fn unmet_expectations_fail_with_their_line() {
    let text = "protocol paxos\ncluster 3\nrequest 1 x=1\nrun 500ms\nexpect chosen x=2\n";
    let err = scenario::run::<Paxos>(text, 0).expect_err("x=1 is chosen, not x=2");
    assert_eq!(err.line, 5);
    assert!(err.message.contains("not chosen"), "{}", err.message);
    for (text, needle) in [
        ("expect chosen none\n", "is chosen"),
        ("expect learned 2 none\n", "learned"),
        ("expect promised 2 >= 5.1\n", "promised 2 is 1.1, expected >= 5.1"),
        ("expect accepted 3 none\n", "accepted"),
        ("expect phase 1 accept\n", "phase idle"),
        ("expect phase 1 sideways\n", "phases are"),
        ("expect promised 2 x\n", "not a ballot"),
        ("expect dance\n", "unknown Paxos expectation"),
    ] {
        let full = format!("protocol paxos\ncluster 3\nrequest 1 x=1\nrun 500ms\n{text}");
        let err = scenario::run::<Paxos>(&full, 0).expect_err(text);
        assert!(err.message.contains(needle), "{text:?} gave {:?}", err.message);
    }
    for (text, needle) in [
        ("expect leader none\n", "leads"),
        ("expect slot 1 chosen x=2\n", "live nodes know"),
        ("expect slot 2 chosen none\n", "is chosen"),
        ("expect applied all len 5\n", "applied length"),
        ("expect kv 2 x 9\n", "x is"),
        ("expect leader any ballot >= 9.1\n", "ballot"),
        ("expect dance\n", "unknown Multi-Paxos expectation"),
    ] {
        let full = format!(
            "protocol multipaxos\ncluster 3\ntimeout 1\nrun 300ms\nrequest leader x=1\nrequest leader y=2\nrun 300ms\n{text}"
        );
        let err = scenario::run::<MultiPaxos>(&full, 0).expect_err(text);
        assert!(err.message.contains(needle), "{text:?} gave {:?}", err.message);
    }
}

fn options(bug: Option<&str>, steps: u64) -> SwarmOptions {
    SwarmOptions { steps, bug: bug.map(str::to_string), ..SwarmOptions::default() }
}

#[test]
fn correct_paxos_passes_safety_and_liveness_on_many_seeds() {
    for seed in 1..=100 {
        let report = run_seed::<Paxos>(seed, &options(None, 2_000)).unwrap();
        assert!(
            report.passed(),
            "seed {seed}: {:?} {:?}\nreproduce: ballot swarm paxos --seed {seed} --steps 2000",
            report.violations,
            report.liveness_failure
        );
    }
}

#[test]
fn correct_multipaxos_passes_safety_and_liveness_on_many_seeds() {
    for seed in 1..=100 {
        let report = run_seed::<MultiPaxos>(seed, &options(None, 2_000)).unwrap();
        assert!(
            report.passed(),
            "seed {seed}: {:?} {:?}\nreproduce: ballot swarm multipaxos --seed {seed} --steps 2000",
            report.violations,
            report.liveness_failure
        );
    }
}

/// The first seed in `1..=3000` that catches `bug`, and the property it broke.
fn first_catch<P: Protocol>(bug: &str) -> Option<(u64, &'static str)> {
    (1..=3_000u64).find_map(|seed| {
        let report = run_seed::<P>(seed, &options(Some(bug), 2_000)).unwrap();
        report.violations.first().map(|v| (seed, v.property))
    })
}

#[test]
fn every_broken_paxos_variant_is_caught_by_some_seed() {
    for bug in Paxos::bug_names() {
        let caught = first_catch::<Paxos>(bug);
        assert!(caught.is_some(), "no seed in 1..=3000 caught {bug}");
    }
}

#[test]
fn every_broken_multipaxos_variant_is_caught_by_some_seed() {
    for bug in MultiPaxos::bug_names() {
        let caught = first_catch::<MultiPaxos>(bug);
        assert!(caught.is_some(), "no seed in 1..=3000 caught {bug}");
    }
}

#[test]
fn unknown_bug_is_an_error_not_a_panic() {
    assert!(run_seed::<Paxos>(1, &options(Some("nope"), 100)).is_err());
    assert!(run_seed::<MultiPaxos>(1, &options(Some("nope"), 100)).is_err());
}
