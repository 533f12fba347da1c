//! The `ballot` binary's contract: exit codes, the closing line of a swarm, reproduction
//! commands, and clear errors for bad input.

use std::process::Command;

fn ballot(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ballot")).args(args).output().expect("ballot runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn a_clean_swarm_exits_zero_and_ends_with_the_count() {
    let (ok, text) = ballot(&["swarm", "raft", "--seeds", "20", "--steps", "1000"]);
    assert!(ok, "{text}");
    assert_eq!(text.lines().last(), Some("20 seeds, 0 violations"), "{text}");
}

#[test]
fn a_broken_variant_fails_with_the_seed_and_the_command_that_reproduces_it() {
    let (ok, text) =
        ballot(&["swarm", "raft", "--seeds", "40", "--steps", "2000", "--bug", "vote-without-log-check"]);
    assert!(!ok, "{text}");
    let repro =
        text.lines().find(|l| l.contains("reproduce: ballot swarm raft --seed ")).expect("a reproduce line");
    assert!(repro.contains("--bug vote-without-log-check"), "{repro}");
    // The printed command reproduces the failure.
    let args: Vec<&str> = repro.split("reproduce: ballot ").nth(1).unwrap().split_whitespace().collect();
    let (again_ok, again) = ballot(&args);
    assert!(!again_ok && again.contains("VIOLATION"), "{again}");
}

#[test]
fn list_bugs_prints_one_name_per_line() {
    let (ok, text) = ballot(&["swarm", "raft", "--list-bugs"]);
    assert!(ok);
    let names: Vec<&str> = text.lines().collect();
    assert!(names.contains(&"commit-previous-term") && names.len() >= 5, "{names:?}");
}

#[test]
fn bad_input_is_a_clear_error() {
    for (args, needle) in [
        (&["swarm", "raft", "--bug", "nope", "--seeds", "1"][..], "unknown bug"),
        (&["swarm", "raft", "--seeds", "many"][..], "whole number"),
        (&["swarm", "zab"][..], "unknown protocol"),
        (&["run", "/no/such/file.scn"][..], "No such file"),
        (&["frobnicate"][..], "usage"),
    ] {
        let (ok, text) = ballot(args);
        assert!(!ok && text.contains(needle), "{args:?}: {text}");
    }
}

#[test]
fn scenarios_run_and_report() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/raft/");
    let (ok, text) = ballot(&["run", &format!("{dir}01-initial-election.scn")]);
    assert!(ok, "{text}");
    assert!(text.contains("1 passed, 0 failed"), "{text}");
}

#[test]
fn bench_reports_both_figures() {
    let (ok, text) = ballot(&["bench", "raft", "--seconds", "20"]);
    assert!(ok, "{text}");
    assert!(
        text.contains("simulated s per wall s") && text.contains("messages delivered per wall s"),
        "{text}"
    );
    assert!(text.contains("0 violations"), "{text}");
}

#[test]
fn protocols_prints_every_registered_name_one_a_line() {
    let (ok, text) = ballot(&["protocols"]);
    assert!(ok, "{text}");
    let names: Vec<&str> = text.lines().collect();
    assert_eq!(names, ballot_engine::registry::names().collect::<Vec<_>>(), "{text}");
    // Scripts loop over them: each one is a protocol every command knows.
    for name in &names {
        let (ok, text) = ballot(&["swarm", name, "--list-bugs"]);
        assert!(ok, "{name}: {text}");
        let (ok, text) = ballot(&["fingerprint", name, "--events", "10"]);
        assert!(ok && text.trim().len() == 16, "{name}: {text}");
    }
    // An unknown name is answered with the known ones.
    for args in [&["swarm", "zab", "--list-bugs"][..], &["fingerprint", "zab"][..]] {
        let (ok, text) = ballot(args);
        assert!(!ok && text.contains(&format!("(known: {})", names.join(", "))), "{args:?}: {text}");
    }
}
