//! `ballot check`: the model checker's output, exit codes (0 checked and held, 1 a violation or
//! a limit, 2 usage) and `--json`.

use std::process::Command;

/// Status, stdout, stderr.
fn ballot(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ballot")).args(args).output().expect("ballot runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn twophase_with_three_rms_has_tlcs_288_states() {
    let (status, out, err) = ballot(&["check", "twopc", "--rms", "3", "--model", "twophase"]);
    assert_eq!(status, 0, "{out}{err}");
    // TLC on TwoPhase.cfg: 288 distinct states, 1146 generated, depth 11 (states; 10 actions).
    assert!(out.contains("\nstates explored: 1146\n"), "{out}");
    assert!(out.contains("\nmax depth: 10\n"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("states per second: ")), "{out}");
    assert!(out.contains("\n0 violations\n"), "{out}");
    assert_eq!(out.lines().last(), Some("unique states: 288"), "{out}");
}

#[test]
fn depth_first_counts_the_same_states() {
    for (rms, count) in [("2", "56"), ("4", "1568")] {
        let (status, out, _) = ballot(&["check", "twopc", "--rms", rms, "--model", "twophase", "--dfs"]);
        assert_eq!(status, 0, "{out}");
        assert!(out.contains("depth-first"), "{out}");
        assert_eq!(out.lines().last().unwrap(), format!("unique states: {count}"));
    }
}

#[test]
fn a_broken_variant_exits_1_with_numbered_counterexample_steps() {
    let (status, out, err) = ballot(&[
        "check",
        "twopc",
        "--rms",
        "3",
        "--model",
        "twophase",
        "--bug",
        "commit-without-all-prepared",
    ]);
    assert_eq!(status, 1, "{out}{err}");
    assert!(out.contains("VIOLATION of TCConsistent: counterexample of 5 steps, a shortest one"), "{out}");
    assert!(
        out.contains("    0. initial state: rmState r1=working r2=working r3=working, tmState init"),
        "{out}"
    );
    assert!(out.contains("    3. TMCommit: "), "{out}");
    let last_step = out.lines().find(|l| l.starts_with("    5. ")).expect("step 5");
    assert!(last_step.contains("committed") && last_step.contains("aborted"), "{last_step}");
    assert!(!out.contains("    6. "), "{out}");
    assert!(out.lines().last().unwrap().starts_with("unique states: "), "{out}");
    assert!(err.contains("TCConsistent is violated"), "{err}");
}

#[test]
fn the_state_limit_stops_with_status_1_and_says_how_to_raise_it() {
    let (status, out, err) = ballot(&["check", "twopc", "--rms", "5", "--max-states", "1000"]);
    assert_eq!(status, 1, "{out}{err}");
    assert!(out.contains("stopped at the state limit 1000 (raise with --max-states)"), "{out}");
    assert_eq!(out.lines().last(), Some("unique states: 1000"), "{out}");
}

#[test]
fn json_is_one_valid_object() {
    let (status, out, _) = ballot(&["check", "twopc", "--rms", "3", "--model", "twophase", "--json"]);
    assert_eq!(status, 0, "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["result"], "ok");
    assert_eq!(v["unique_states"], 288);
    assert_eq!(v["states_explored"], 1146);
    assert_eq!(v["depth"], 10);
    assert_eq!(v["violations"], 0);
    assert!(v["violation"].is_null());
    assert!(v["states_per_second"].as_u64().is_some());

    let (status, out, _) =
        ballot(&["check", "twopc", "--rms", "2", "--bug", "abort-after-commit", "--json", "--dfs"]);
    assert_eq!(status, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["result"], "violation");
    assert_eq!(v["search"], "dfs");
    assert_eq!(v["bug"], "abort-after-commit");
    assert_eq!(v["violation"]["property"], "TCConsistent");
    let steps = v["violation"]["steps"].as_array().unwrap();
    assert!(steps[0]["action"].is_null());
    assert!(steps.iter().skip(1).all(|s| s["action"].is_string()));
    assert!(steps.iter().any(|s| s["action"] == "TMAbort"), "{steps:?}");
}

#[test]
fn usage_errors_exit_2() {
    for (args, needle) in [
        (&["check", "paxos", "--rms", "3"][..], "the twophase model is of twopc"),
        (&["check", "twopc", "--model", "tla"][..], "unknown model `tla`"),
        (&["check", "raft", "--allow", "teleport"][..], "`teleport` is not a step kind"),
        (&["check", "raft", "--bug", "nope"][..], "unknown bug `nope`"),
        (&["check", "twopc", "--rms", "11"][..], "from 1 to 10"),
        (&["check", "twopc", "--rms", "0"][..], "from 1 to 10"),
        (&["check", "twopc", "--rms=-3"][..], "from 1 to 10"),
        (&["check", "twopc", "--max-states", "0"][..], "--max-states"),
        (&["check", "twopc", "--bug", "nope"][..], "unknown bug `nope`"),
        (&["check", "twopc", "--bfs", "--dfs"][..], "cannot be used with"),
        (&["check"][..], "PROTOCOL"),
    ] {
        let (status, out, err) = ballot(args);
        assert_eq!(status, 2, "{args:?}: {out}{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
    }
}

/// The sim model: the correct protocol checks clean (status 0), a broken one is caught with a
/// numbered counterexample and a share link that `ballot replay` opens (status 1).
#[test]
fn the_sim_model_checks_twopc_and_catches_a_bug_with_a_link() {
    let (status, out, err) = ballot(&["check", "twopc"]);
    assert_eq!(status, 0, "{out}{err}");
    assert!(out.contains("0 violations") && out.contains("unique states: "), "{out}");
    let (status, out, err) = ballot(&["check", "twopc", "--bug", "commit-on-timeout", "--json"]);
    assert_eq!(status, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["violation"]["property"], "Commit Validity");
    let link = v["violation"]["link"].as_str().unwrap().to_string();
    assert!(link.starts_with("#run=1."), "{link}");
    let (status, out, err) = ballot(&["replay", &link]);
    assert_eq!(status, 0, "{out}{err}");
    assert!(out.contains("fingerprint "), "{out}");
    let (status, out, _) = ballot(&["check", "raft", "--bug", "vote-without-log-check"]);
    assert_eq!(status, 1);
    assert!(out.contains("VIOLATION of Leader Completeness") && out.contains("   1. "), "{out}");
}

#[test]
fn help_names_the_bugs_and_the_statuses() {
    let (status, out, _) = ballot(&["check", "--help"]);
    assert_eq!(status, 0);
    assert!(out.contains("commit-without-all-prepared") && out.contains("abort-after-commit"), "{out}");
    assert!(out.contains("2 usage error"), "{out}");
}
