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
        ("run 10800s\n", "at most"),
        ("at 99999999s\n", "at most"),
    ] {
        let err = scenario::run::<Raft>(text, 0).expect_err(text);
        assert!(err.message.contains(needle), "{text:?} gave {:?}", err.message);
    }
}

/// Bounded property test of the scenario reader (it also reads imported files): random edits of
/// real scenarios must give a result or a line-numbered error, never a panic or a runaway run.
#[test]
fn mutated_scenarios_never_panic() {
    let mut texts = Vec::new();
    for dir in ["raft", "paxos", "multipaxos", "twopc"] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(dir);
        for e in std::fs::read_dir(path).unwrap() {
            texts.push(std::fs::read_to_string(e.unwrap().path()).unwrap());
        }
    }
    let vocabulary = [
        "crash",
        "restart",
        "run",
        "9999h",
        "-1",
        "0",
        "S0",
        "S99",
        "leader",
        "|",
        ",",
        "->",
        "expect",
        "at",
        "net",
        "loss",
        "200%",
        "message",
        "#",
        "\u{0}",
        "é",
        "..",
        "x=",
        "=5",
        "partition",
        "1,1,1",
        "cluster",
        "bug",
    ];
    let mut rng = ballot_core::Prng::new(2024);
    let (mut ok, mut refused) = (0, 0);
    let rounds = 400 * fuzz_scale();
    for _ in 0..rounds {
        let base = &texts[rng.below(texts.len() as u64) as usize];
        let mut words: Vec<String> = base.split(' ').map(str::to_string).collect();
        for _ in 0..rng.between(1, 4) {
            let i = rng.below(words.len() as u64) as usize;
            words[i] = vocabulary[rng.below(vocabulary.len() as u64) as usize].to_string();
        }
        let text = words.join(" ");
        let result = end_of_scenario(&text, false);
        // The playground's import reads the same text with `load`: it may accept more (it skips
        // protocol expectations and tolerates violations), never panic.
        let loaded = end_of_scenario(&text, true);
        if let (Ok(ran), Ok(loaded)) = (&result, &loaded) {
            assert_eq!(ran, loaded, "a scenario that runs loads to the same moment");
        }
        match result {
            Ok(now) => {
                assert!(now <= ballot_core::Instant::ZERO + scenario::MAX_SCENARIO_TIME);
                ok += 1;
            }
            Err(e) => {
                assert!(e.line >= 1 && !e.message.is_empty());
                refused += 1;
            }
        }
    }
    assert!(refused > 0 && ok + refused == rounds);
}

/// Loading (the playground's import) makes the same run as running: same fingerprint; the
/// protocol's own expectations are counted as skipped, the generic ones still decide.
#[test]
fn loading_a_scenario_makes_the_same_run_and_skips_only_protocol_expectations() {
    let text = std::fs::read_to_string(scenario_dir().join("07-figure8-unsafe.scn")).unwrap();
    let ran = scenario::run::<Raft>(&text, 0).unwrap();
    let loaded = scenario::load::<Raft>(&text, 0).unwrap();
    assert_eq!(loaded.world.fingerprint(), ran.world.fingerprint());
    assert!(loaded.unchecked > 0, "the Figure 8 script expects leaders and commits");
    assert_eq!(loaded.expectations_met + loaded.unchecked, ran.expectations_met);
    // An unexpected violation is part of the run, not an error, when loading.
    let without: String =
        text.lines().filter(|l| !l.starts_with("expect violation")).map(|l| format!("{l}\n")).collect();
    assert!(!scenario::load::<Raft>(&without, 0).unwrap().world.violations().is_empty());
    // A wrong fingerprint still fails the load, with its line.
    let exported = scenario::export(&ran.world);
    assert_eq!(scenario::load::<Raft>(&exported, 0).unwrap().world.fingerprint(), ran.world.fingerprint());
    let wrong = exported.replace("expect fingerprint ", "expect fingerprint 1");
    let err = scenario::load::<Raft>(&wrong, 0).expect_err("fingerprint mismatch");
    assert!(err.message.contains("fingerprint"), "{}", err.message);
}

/// When the scenario `text` ends, run as a test (`load` false) or loaded as a run, for the
/// protocol it names.
fn end_of_scenario(text: &str, load: bool) -> Result<ballot_core::Instant, scenario::ScenarioError> {
    fn end<P: ballot_sim::Protocol>(
        text: &str,
        load: bool,
    ) -> Result<ballot_core::Instant, scenario::ScenarioError> {
        if load {
            scenario::load::<P>(text, 0).map(|l| l.world.now())
        } else {
            scenario::run::<P>(text, 0).map(|o| o.world.now())
        }
    }
    match scenario::protocol_of(text).as_str() {
        "paxos" => end::<ballot_sim::protocols::Paxos>(text, load),
        "multipaxos" => end::<ballot_sim::protocols::MultiPaxos>(text, load),
        "twopc" => end::<ballot_sim::protocols::TwoPc>(text, load),
        _ => end::<Raft>(text, load),
    }
}

/// `BALLOT_FUZZ_SCALE=N` runs the bounded property tests N times longer (CI runs them at 1).
fn fuzz_scale() -> u64 {
    std::env::var("BALLOT_FUZZ_SCALE").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1)
}

#[test]
fn a_signed_or_spaced_duration_is_refused() {
    for bad in ["run +5s", "run -5s", "run .5s", "run 5.s", "at +1s"] {
        let err = scenario::run::<Raft>(&format!("cluster 3\n{bad}\n"), 0).expect_err(bad);
        assert_eq!(err.line, 2, "{bad}");
        assert!(err.message.contains("not a duration"), "{bad}: {}", err.message);
    }
    assert!(scenario::run::<Raft>("cluster 3\nrun 1.5s\n", 0).is_ok());
}

#[test]
fn an_error_quotes_only_an_excerpt_of_a_huge_line() {
    // A 1 MB word (multi-byte characters, so a cut in the wrong place would panic), as a
    // duration, a node, a command and an unknown line.
    let word = "é".repeat(1 << 19);
    for line in [
        format!("run {word}"),
        format!("crash {word}"),
        format!("net latency {word}"),
        format!("{word} {word}"),
        format!("expect fingerprint {word}"),
    ] {
        let err = scenario::run::<Raft>(&format!("cluster 3\n{line}\n"), 0).expect_err("refused");
        assert_eq!(err.line, 2);
        let text = err.to_string();
        assert!(text.chars().count() < 700, "{} characters", text.chars().count());
        assert!(text.contains("éé…"), "{text}");
        assert!(text.starts_with("line 2: `"), "{text}");
    }
    // A short line is quoted whole.
    let err = scenario::run::<Raft>("cluster 3\nrun +5s\n", 0).unwrap_err();
    assert!(err.to_string().starts_with("line 2: `run +5s`: `+5s`"), "{err}");
}

#[test]
fn acting_on_a_message_not_in_flight_is_an_error() {
    for action in ["drop message 999999", "duplicate message 999999", "delay message 999999 10ms"] {
        let text = format!("cluster 3\nrun 1s\n{action}\n");
        let err = scenario::run::<Raft>(&text, 0).expect_err(action);
        assert_eq!(err.line, 3, "{action}");
        assert!(err.message.contains("message 999999 is not in flight"), "{action}: {}", err.message);
        let err = scenario::load::<Raft>(&text, 0).expect_err(action);
        assert!(err.message.contains("not in flight"), "{action}: {}", err.message);
    }
    // A message that is in flight can still be dropped: run until one is, then name it.
    let mut world = scenario::run::<Raft>("cluster 3\nrun 150ms\n", 0).unwrap().world;
    while world.in_flight().len() == 0 {
        world.step();
    }
    let id = world.in_flight().next().unwrap().id;
    let text = format!("cluster 3\nat {}us {}\ndrop message {id}\n", world.now().micros, world.events());
    scenario::run::<Raft>(&text, 0).expect("an in-flight message can be dropped");
}

#[test]
fn committed_on_none_holds_when_no_live_node_has_it() {
    let before = "cluster 3\nrun 1s\nexpect committed x=5 on none\n";
    let outcome = scenario::run::<Raft>(before, 0).expect("nothing is committed yet");
    assert_eq!(outcome.expectations_met, 1);
    let after = "cluster 3\nrun 1s\nrequest leader x=5\nrun 500ms\nexpect committed x=5 on all\nexpect committed x=5 on none\n";
    let err = scenario::run::<Raft>(after, 0).expect_err("x=5 is committed everywhere");
    assert_eq!(err.line, 6, "{err}");
    assert!(err.message.contains("is committed on"), "{err}");
    let negated = "cluster 3\nrun 1s\nrequest leader x=5\nrun 500ms\nexpect not committed x=5 on none\n";
    scenario::run::<Raft>(negated, 0).expect("x=5 is committed somewhere");
}

#[test]
fn a_latency_out_of_range_is_an_error_not_clamped() {
    for (text, line) in [
        ("cluster 3\nnet latency 100s\nrun 1s\n", 2),
        ("cluster 3\nnet latency 10ms..61s\nrun 1s\n", 2),
        ("cluster 3\nrun 1s\nnet latency 100s\n", 3),
    ] {
        let err = scenario::run::<Raft>(text, 0).expect_err(text);
        assert_eq!(err.line, line, "{text}");
        assert!(err.message.contains("out of range") && err.message.contains("0 to 60s"), "{}", err.message);
    }
    scenario::run::<Raft>("cluster 3\nnet latency 10ms..60s\nrun 1s\n", 0).expect("60 s is the limit");
    let mut world = scenario::run::<Raft>("cluster 3\nrun 150ms\n", 0).unwrap().world;
    while world.in_flight().len() == 0 {
        world.step();
    }
    let id = world.in_flight().next().unwrap().id;
    let at = format!("cluster 3\nat {}us {}\n", world.now().micros, world.events());
    let err = scenario::run::<Raft>(&format!("{at}delay message {id} 100s\n"), 0).expect_err("too long");
    assert!(err.message.contains("out of range"), "{}", err.message);
    scenario::run::<Raft>(&format!("{at}delay message {id} 60s\n"), 0).expect("60 s is the limit");
}

/// `timeout N` on a leader: the leader gives up and campaigns in the next term (it sends
/// RequestVote), and the cluster elects a leader of that term or a later one, safely.
#[test]
fn a_timeout_on_the_leader_makes_it_campaign() {
    let base = "cluster 3\nseed 3\ntimeout 1\nrun 300ms\nexpect leader 1 term 1\n";
    let mut world = scenario::run::<Raft>(base, 0).unwrap().world;
    world.act(ballot_sim::Action::FireTimer(ballot_core::NodeId(1), ballot_raft::RaftTimer::Election));
    let s1 = world.node(ballot_core::NodeId(1)).unwrap();
    assert_eq!((s1.role_name().as_str(), s1.current_term()), ("candidate", 2));
    let votes_asked = world.in_flight().filter(|e| e.from.0 == 1 && e.msg.term() == 2).count();
    assert_eq!(votes_asked, 2, "RequestVote to S2 and S3");
    let text = format!(
        "{base}timeout 1\nexpect role 1 candidate\nexpect term 1 2\nrun 1s\nexpect leader any term >= 2\nexpect no violation\n"
    );
    scenario::run::<Raft>(&text, 0).expect("the old leader campaigns and someone wins term 2 or later");
    // Before the change a leader ignored the timer: the scenario must notice if it still did.
    let stale = format!("{base}timeout 1\nexpect role 1 leader\n");
    assert!(scenario::run::<Raft>(&stale, 0).is_err());
}
