//! Two-phase commit in the simulator: every text scenario under `scenarios/twopc/` passes, the
//! bug scenarios are safe without their bug, and seed swarms show correct two-phase commit safe
//! and live while every broken variant is caught.

use ballot_core::{Lang, Narrate};
use ballot_sim::protocols::TwoPc;
use ballot_sim::scenario;
use ballot_sim::swarm::{run_seed, SwarmOptions};
use ballot_sim::Protocol;
use std::path::PathBuf;

fn scenario_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/twopc")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(scenario_dir().join(name)).expect("readable scenario")
}

#[test]
fn every_twopc_scenario_passes() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .expect("scenarios/twopc exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "scn"))
        .collect();
    files.sort();
    assert!(files.len() >= 9, "expected the nine two-phase-commit scenarios, found {}", files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable scenario");
        assert!(text.starts_with('#'), "{} must open with a comment saying what it shows", file.display());
        assert_eq!(scenario::protocol_of(&text), "twopc", "{}", file.display());
        match scenario::run::<TwoPc>(&text, 0) {
            Ok(outcome) => assert!(outcome.expectations_met >= 3, "{}", file.display()),
            Err(e) => panic!("{}: {e}", file.display()),
        }
    }
}

/// The same events with the correct protocol: nothing is broken, and the participant that
/// the bug made abort is still waiting, in doubt.
#[test]
fn the_bug_scripts_are_safe_without_their_bug() {
    let text = read("08-bug-abort-after-yes.scn");
    let correct: String = text
        .lines()
        .filter(|l| {
            !l.starts_with("bug ")
                && !l.starts_with("expect participant 3")
                && !l.starts_with("expect violation")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let correct = format!("{correct}expect in-doubt 3\nexpect no violation\n");
    scenario::run::<TwoPc>(&correct, 0).unwrap();

    let text = read("09-bug-commit-on-timeout.scn");
    let correct: String = text
        .lines()
        .filter(|l| !l.starts_with("bug ") && !l.starts_with("expect"))
        .map(|l| format!("{l}\n"))
        .collect();
    let correct = format!("{correct}expect coordinator aborted\nexpect all aborted\nexpect no violation\n");
    scenario::run::<TwoPc>(&correct, 0).unwrap();
}

#[test]
fn an_unexpected_violation_fails_the_scenario() {
    let text = read("09-bug-commit-on-timeout.scn");
    let without: String =
        text.lines().filter(|l| !l.starts_with("expect violation")).map(|l| format!("{l}\n")).collect();
    let err = scenario::run::<TwoPc>(&without, 0).expect_err("the bug breaks safety");
    assert!(err.message.contains("unexpected violation"), "{}", err.message);
}

#[test]
fn an_unmet_expectation_fails_with_its_line() {
    let text = "protocol twopc\ncluster 3\nrequest 1 set x 5\nrun 1s\nexpect all aborted\n";
    let err = scenario::run::<TwoPc>(text, 0).expect_err("everyone commits");
    assert_eq!(err.line, 5);
    assert!(err.message.contains("committed"), "{}", err.message);
}

#[test]
fn bad_scenario_text_gets_a_clear_error() {
    for (text, needle) in [
        ("protocol twopc\nconfig vote-no 1\n", "coordinator"),
        ("protocol twopc\nconfig vote-no x\n", "not a node"),
        ("protocol twopc\nconfig vote-timeout 300..100ms\n", "empty"),
        ("protocol twopc\nconfig heartbeat 5ms\n", "unknown two-phase-commit parameter"),
        ("protocol twopc\nbug no-such-bug\n", "abort-after-yes"),
        ("protocol twopc\nrun 1s\nexpect participant 1 prepared\n", "coordinator, not a participant"),
        ("protocol twopc\ncrash 1\nexpect coordinator idle\n", "S1 is down"),
        ("protocol twopc\nrun 1s\nexpect participant 2 sleeping\n", "working, prepared"),
        ("protocol twopc\nrun 1s\nexpect leader any\n", "unknown two-phase-commit expectation"),
    ] {
        let err = scenario::run::<TwoPc>(text, 0).expect_err(text);
        assert!(err.message.contains(needle), "{text:?} gave {:?}", err.message);
    }
}

/// The trace narrates the protocol in both languages, with the sentences of the brief.
#[test]
fn the_trace_tells_the_story() {
    let outcome = scenario::run::<TwoPc>(&read("03-coordinator-crash-after-decision.scn"), 10_000).unwrap();
    let en: Vec<String> = outcome.world.trace().map(|e| e.narrate(Lang::En)).collect();
    let zh: Vec<String> = outcome.world.trace().map(|e| e.narrate(Lang::Zh)).collect();
    for needle in [
        "S3 votes yes and is now prepared",
        "S2 is in doubt: prepared, coordinator unreachable — it must wait",
        "S1 decides commit for transaction 1: every participant voted yes",
        "S1 restarted and found its decision for transaction 1 on disk (commit)",
        "S4 commits transaction 1 and writes x=5",
        "S1 sent Prep to S2",
        "S2 sent Yes to S1",
    ] {
        assert!(en.iter().any(|l| l.contains(needle)), "no {needle:?} in {en:#?}");
    }
    for needle in ["S3 投赞成票，进入已准备状态", "S2 处于不确定状态：已准备，协调者不可达——它必须等待"]
    {
        assert!(zh.iter().any(|l| l.contains(needle)), "no {needle:?} in {zh:#?}");
    }
}

fn options(bug: Option<&str>) -> SwarmOptions {
    SwarmOptions { steps: 3_000, bug: bug.map(str::to_string), ..SwarmOptions::default() }
}

#[test]
fn correct_twopc_passes_safety_and_liveness_on_many_seeds() {
    for seed in 1..=100 {
        let report = run_seed::<TwoPc>(seed, &options(None)).unwrap();
        assert!(
            report.passed(),
            "seed {seed}: {:?} {:?}\nreproduce: ballot swarm twopc --seed {seed} --steps 3000",
            report.violations,
            report.liveness_failure
        );
        assert!(report.interventions > 0);
    }
}

#[test]
fn every_broken_variant_is_caught_by_some_seed() {
    for bug in TwoPc::bug_names() {
        let caught = (1..=3_000u64)
            .find(|&seed| !run_seed::<TwoPc>(seed, &options(Some(bug))).unwrap().violations.is_empty());
        assert!(caught.is_some(), "no seed in 1..=3000 caught {bug}");
    }
}

/// A two-phase-commit run with a bug, parameters and interventions survives a share link
/// exactly.
#[test]
fn a_share_link_reproduces_a_twopc_run() {
    use ballot_sim::link::{self, SharedRun};
    let outcome = scenario::run::<TwoPc>(&read("09-bug-commit-on-timeout.scn"), 0).unwrap();
    let world = outcome.world;
    let text = link::encode(&SharedRun::of(&world)).unwrap();
    assert_eq!(link::protocol_of(&text).unwrap(), "twopc");
    let run = link::decode::<TwoPc>(&text).unwrap();
    assert_eq!(run.config.node, world.config().node);
    let again = run.replay(0);
    assert_eq!(again.fingerprint(), world.fingerprint());
    assert_eq!(again.violations().len(), 2);
}

#[test]
fn vote_no_for_a_node_outside_the_cluster_is_refused() {
    for (text, line) in [
        ("protocol twopc\ncluster 3\nconfig vote-no 9\nrun 1s\n", 4),
        ("protocol twopc\nconfig vote-no 4\ncluster 3\nrun 1s\n", 4),
        ("protocol twopc\ncluster 3\nconfig vote-no 2,4\n", 3),
    ] {
        let err = scenario::run::<TwoPc>(text, 0).expect_err(text);
        assert_eq!(err.line, line, "{text}");
        assert!(err.message.contains("not in this cluster of 3"), "{}", err.message);
        assert!(err.message.contains("S2 to S3"), "{}", err.message);
        assert!(scenario::load::<TwoPc>(text, 0).is_err(), "{text}");
    }
    // The order of the header lines does not matter: `cluster 9` after `vote-no 7` is fine.
    scenario::run::<TwoPc>("protocol twopc\nconfig vote-no 7\ncluster 9\nrun 1s\n", 0).expect("S7 is in");
    scenario::run::<TwoPc>("protocol twopc\ncluster 3\nconfig vote-no 3\nrun 1s\n", 0).expect("S3 is in");
}
