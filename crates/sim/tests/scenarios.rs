//! Every text scenario under `scenarios/raft/` runs as a test, and the scenario runner itself is
//! shown to fail when an expectation does not hold.

use ballot_sim::protocols::Raft;
use ballot_sim::scenario;
use std::path::PathBuf;

fn scenario_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/raft")
}

#[test]
fn every_raft_scenario_passes() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .expect("scenarios/raft exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "scn"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "expected the seven Raft scenarios, found {}", files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable scenario");
        assert!(text.starts_with('#'), "{} must open with a comment saying what it shows", file.display());
        if let Err(e) = scenario::run::<Raft>(&text, 0) {
            panic!("{}: {e}", file.display());
        }
    }
}

#[test]
fn an_unmet_expectation_fails_with_its_line() {
    let text = "cluster 3\nrun 1s\nexpect leader none\n";
    let err = scenario::run::<Raft>(text, 0).expect_err("a leader is elected within 1s");
    assert_eq!(err.line, 3);
    assert!(err.message.contains("leads"), "{}", err.message);
}

#[test]
fn an_unexpected_violation_fails_the_scenario() {
    // The unsafe Figure 8 script without its `expect violation` lines must fail.
    let text = std::fs::read_to_string(scenario_dir().join("07-figure8-unsafe.scn")).unwrap();
    let without: String =
        text.lines().filter(|l| !l.starts_with("expect violation")).map(|l| format!("{l}\n")).collect();
    let err = scenario::run::<Raft>(&without, 0).expect_err("the bug breaks safety");
    assert!(err.message.contains("unexpected violation"), "{}", err.message);
}

#[test]
fn the_safe_figure8_script_is_unsafe_with_the_bug() {
    // The same event sequence, correct rule versus broken rule: the checker is what tells them apart.
    let text = std::fs::read_to_string(scenario_dir().join("06-figure8-safe.scn")).unwrap();
    let broken = text.replace("config election-timeout", "bug commit-previous-term\nconfig election-timeout");
    assert!(scenario::run::<Raft>(&broken, 0).is_err());
}

#[test]
fn bad_scenario_text_gets_a_clear_error() {
    for (text, needle) in [
        ("cluster 42\n", "1 to 9"),
        ("crash 7\n", "not in this cluster"),
        ("run forever\n", "not a duration"),
        ("bug no-such-bug\n", "unknown bug"),
        ("run 1s\ncluster 3\n", "before the first action"),
        ("request 1 x=<b>\n", "letters"),
        ("net loss 200%\n", "100%"),
        ("config heartbeat 500ms\n", "heartbeat"),
        ("dance\n", "unknown command"),
    ] {
        let err = scenario::run::<Raft>(text, 0).expect_err(text);
        assert!(err.message.contains(needle), "{text:?} gave {:?}", err.message);
    }
}
