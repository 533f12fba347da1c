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
        (&["swarm", "nope"][..], "unknown protocol"),
        (&["run", "/no/such/file.scn"][..], "No such file"),
        (&["frobnicate"][..], "Usage:"),
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
fn run_trace_prints_every_event_with_its_envelope_id() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/raft/");
    let file = format!("{dir}10-hold-and-release.scn");
    let (ok, text) = ballot(&["run", "--trace", "-", &file]);
    assert!(ok, "{text}");
    assert!(text.contains("# trace of ") && text.contains("1 passed, 0 failed"), "{text}");
    // The first message of the run, then the heartbeat `drop next` picked, then a held one.
    assert!(text.contains("228.066ms step 1      #1 S2→S1 sent RV\n"), "{text}");
    assert!(text.contains("#10 S2→S3 dropped (dropped-by-hand) HB"), "{text}");
    assert!(text.lines().any(|l| l.contains("S2→S3 held AE")), "{text}");
    assert!(text.lines().any(|l| l.contains("S2→S3 released AE")), "{text}");
    // To a file: the same lines, and only the summary on stdout.
    let out = scratch("trace").join("trace.txt");
    let (ok, summary) = ballot(&["run", "--trace", out.to_str().unwrap(), &file]);
    assert!(ok && !summary.contains("#1 S2→S1"), "{summary}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains(&written), "the file holds what stdout showed");
    let (ok, err) = ballot(&["run", "--trace", "/nonexistent-dir/x", &file]);
    assert!(!ok && err.contains("cannot write /nonexistent-dir/x"), "{err}");
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
    for args in [&["swarm", "nope", "--list-bugs"][..], &["fingerprint", "nope"][..]] {
        let (ok, text) = ballot(args);
        assert!(!ok && text.contains(&format!("(known: {})", names.join(", "))), "{args:?}: {text}");
    }
}

/// A scenario that passes quickly.
const GOOD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/raft/01-initial-election.scn");

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ballot-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn swarm_seeds_at_the_end_of_the_range_run_or_are_refused() {
    // The last seed runs (it used to run nothing and report "1 seeds, 0 violations").
    let (ok, text) = ballot(&["swarm", "raft", "--seed", "18446744073709551615", "--steps", "200"]);
    assert!(ok, "{text}");
    assert!(text.starts_with("seed 18446744073709551615: "), "{text}");
    assert!(!text.contains(" 0 events,"), "{text}");
    assert_eq!(text.lines().last(), Some("1 seeds, 0 violations"), "{text}");
    // The last two seeds run, both of them.
    let (ok, text) =
        ballot(&["swarm", "raft", "--first-seed", "18446744073709551614", "--seeds", "2", "--steps", "200"]);
    assert!(ok && text.ends_with("2 seeds, 0 violations\n"), "{text}");
    assert!(!text.contains("(0 events"), "{text}");
    // A range past the last seed is refused, neither clamped nor wrapped.
    let (ok, text) = ballot(&["swarm", "raft", "--first-seed", "18446744073709551615", "--seeds", "2"]);
    assert!(!ok && text.contains("runs past the last seed"), "{text}");
    assert!(!text.contains("seeds, 0 violations"), "{text}");
}

/// Starts `ballot ARGS`, reads `keep` bytes of its output, closes the pipe and waits.
fn closed_after(args: &[&str], keep: usize) -> (Option<i32>, String) {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ballot"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("ballot runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut head = vec![0; keep];
    stdout.read_exact(&mut head).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    // Far more output than a pipe holds, so the writes after the reader left must fail.
    let files = vec![GOOD; 2000];
    let run: Vec<&str> = std::iter::once("run").chain(files.iter().copied()).collect();
    let diagram = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/raft/02-leader-crash.scn");
    for (args, keep) in [(&run[..], 100), (&["diagram", diagram][..], 200)] {
        let (code, stderr) = closed_after(args, keep);
        assert!(matches!(code, Some(0 | 141)), "{:?}: status {code:?}, stderr {stderr}", args[0]);
        assert!(!stderr.contains("panicked") && stderr.is_empty(), "{:?}: {stderr}", args[0]);
    }
}

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["protocols", "--help"],
        &["swarm", "--help"],
        &["run", "--help"],
        &["bench", "--help"],
        &["bench", "raft", "--help"],
        &["bench", "timeline", "--help"],
        &["link", "--help"],
        &["diagram", "--help"],
        &["fingerprint", "--help"],
        &["replay", "--help"],
        &["help", "link"],
    ] {
        let (ok, text) = ballot(args);
        assert!(ok && text.contains("Usage: ballot"), "{args:?}: {text}");
        assert!(!text.contains("No such file"), "{args:?}: {text}");
    }
    let (_, text) = ballot(&["swarm", "--help"]);
    assert!(text.contains("raft, paxos"), "the protocols are listed: {text}");
}

#[test]
fn numbers_out_of_range_are_refused_not_clamped() {
    for (args, needle) in [
        (&["fingerprint", "raft", "--size", "0"][..], "from 3 to 9"),
        (&["fingerprint", "raft", "--size", "10"], "from 3 to 9"),
        (&["fingerprint", "raft", "--size", "2"], "from 3 to 9"),
        (&["fingerprint", "raft", "--size", "300"], "from 3 to 9"),
        (&["fingerprint", "raft", "--events=-1"], "whole number"),
        (&["swarm", "raft", "--seeds", "0"], "at least 1"),
        (&["swarm", "raft", "--steps", "0"], "at least 1"),
        (&["swarm", "raft", "--seed", "18446744073709551616"], "whole number"),
        (&["bench", "raft", "--seconds", "0"], "from 1 to"),
        (&["bench", "raft", "--min-speed", "NaN"], "above 0"),
        (&["bench", "timeline", "--seeks", "0"], "from 1 to"),
        (&["bench", "timeline", "--checkpoints", "2"], "from 4 to"),
    ] {
        let (ok, text) = ballot(args);
        assert!(!ok && text.contains(needle), "{args:?}: {text}");
    }
    let (ok, text) = ballot(&["fingerprint", "raft", "--size", "9", "--events", "5"]);
    assert!(ok && text.trim().len() == 16, "{text}");
}

#[test]
fn exclusive_flags_are_refused() {
    for args in [
        &["swarm", "raft", "--seed", "3", "--seeds", "4"][..],
        &["swarm", "raft", "--seed", "3", "--first-seed", "4"],
        &["swarm", "raft", "--list-bugs", "--seeds", "4"],
        &["swarm", "raft", "--list-bugs", "--bug", "commit-previous-term"],
    ] {
        let (ok, text) = ballot(args);
        assert!(!ok && text.contains("cannot be used with"), "{args:?}: {text}");
        assert!(!text.contains("seeds, 0 violations"), "{args:?}: {text}");
    }
}

#[test]
fn a_long_line_is_quoted_as_a_short_excerpt() {
    let dir = scratch("long-line");
    let file = dir.join("long.scn");
    std::fs::write(&file, format!("cluster 5\nexpect {}\n", "x".repeat(10_000_000))).unwrap();
    let (ok, text) = ballot(&["run", file.to_str().unwrap()]);
    assert!(
        !ok && text.contains("FAIL ") && text.contains("line 2"),
        "{}",
        text.chars().take(2000).collect::<String>()
    );
    assert!(
        text.len() < 2000 && text.contains("xxx…"),
        "{} bytes: {}",
        text.len(),
        text.chars().take(2000).collect::<String>()
    );
    let (ok, text) = ballot(&["link", file.to_str().unwrap()]);
    assert!(!ok && text.len() < 1000 && text.contains("…"), "{} bytes", text.len());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn unreadable_files_are_reported_and_counted_after_all_the_others_ran() {
    let dir = scratch("unreadable");
    let (ok, text) = ballot(&["run", GOOD, "/no/such/file.scn", dir.to_str().unwrap(), GOOD]);
    assert!(!ok, "{text}");
    assert_eq!(text.lines().filter(|l| l.starts_with("ok   ")).count(), 2, "{text}");
    assert!(text.contains("READ /no/such/file.scn: cannot read: No such file"), "{text}");
    assert!(text.contains(&format!("READ {}: cannot read:", dir.display())), "{text}");
    assert!(text.contains("\n2 passed, 0 failed, 2 unreadable\n"), "{text}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn probes_lists_each_probe_with_its_arguments_and_doc() {
    let (ok, text) = ballot(&["probes", "raft"]);
    assert!(ok, "{text}");
    let line = text.lines().find(|l| l.starts_with("next-index A->B ")).expect("next-index is listed");
    assert!(line.contains("nextIndex"), "{line}");
    assert!(text.lines().any(|l| l.starts_with("persisted N term|voted-for|log-len ")), "{text}");
    for protocol in ["paxos", "multipaxos", "twopc"] {
        let (ok, text) = ballot(&["probes", protocol]);
        assert!(ok && text.lines().count() >= 4, "{protocol}: {text}");
    }
    let (ok, text) = ballot(&["probes", "nope"]);
    assert!(!ok && text.contains("unknown protocol `nope`"), "{text}");
}
