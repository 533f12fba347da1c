//! Every text scenario under `scenarios/raft/` runs as a test, and the scenario runner itself is
//! shown to fail when an expectation does not hold.

use ballot_core::NodeId;
use ballot_sim::action::Action;
use ballot_sim::protocols::Raft;
use ballot_sim::trace::TraceKind;
use ballot_sim::{scenario, Protocol};
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
        "next",
        "hold",
        "release",
        "link",
        "*->*",
        "AE",
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
        "zab" => end::<ballot_sim::protocols::Zab>(text, load),
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
    // A message's delay too (the first election's messages are on the wire at 257 ms).
    let at = "cluster 3\nseed 1\nat 257ms\n";
    let err = scenario::run::<Raft>(&format!("{at}delay next * *->* 100s\n"), 0).expect_err("too long");
    assert!(err.message.contains("out of range"), "{}", err.message);
    scenario::run::<Raft>(&format!("{at}delay next * *->* 60s\n"), 0).expect("60 s is the limit");
    let err = scenario::run::<Raft>(&format!("{at}delay message 7 61s\n"), 0).expect_err("by id too");
    assert!(err.message.contains("out of range"), "{}", err.message);
}

/// Runs `text` (a 3-node Raft run, seed 1) and returns the world.
fn raft_world(text: &str) -> ballot_sim::World<Raft> {
    scenario::run::<Raft>(&format!("cluster 3\nseed 1\n{text}"), 1000).unwrap_or_else(|e| panic!("{e}")).world
}

/// The envelope ids the history dropped by hand.
fn dropped_ids(world: &ballot_sim::World<Raft>) -> Vec<u64> {
    world
        .history()
        .iter()
        .filter_map(|iv| match iv.action {
            Action::DropMessage(id) => Some(id),
            _ => None,
        })
        .collect()
}

#[test]
fn drop_next_selects_the_leaders_first_heartbeat_and_it_matters() {
    // At 257 ms S2 has just won term 1 and sent heartbeats #9 (to S1) and #10 (to S3); S1's and
    // S2's refusals #7 and #8 to S3 are still on the wire too.
    let dropped = raft_world("at 257ms\ndrop next AppendEntries 2->3\n");
    assert_eq!(dropped_ids(&dropped), [10]);
    // The label, in any case, selects the same message.
    for alias in ["HB", "hb", "appendentries"] {
        assert_eq!(dropped_ids(&raft_world(&format!("at 257ms\ndrop next {alias} 2->3\n"))), [10], "{alias}");
    }
    // Without the heartbeat S3 is still a candidate at 300 ms; with it, a follower.
    scenario::run::<Raft>(
        "cluster 3\nseed 1\nat 257ms\ndrop next AppendEntries 2->3\nat 300ms\nexpect role 3 candidate\n",
        0,
    )
    .expect("S3 never heard the leader");
    let err = scenario::run::<Raft>("cluster 3\nseed 1\nat 300ms\nexpect role 3 candidate\n", 0).unwrap_err();
    assert!(err.message.contains("follower"), "{err}");
    // `next` is the one delivered first: S1's refusal (due at 262.7 ms) before S2's (263.8 ms).
    assert_eq!(dropped_ids(&raft_world("at 257ms\ndrop next * *->3\n")), [7]);
    assert_eq!(dropped_ids(&raft_world("at 257ms\ndrop next RequestVoteReply *->3\n")), [7]);
    assert_eq!(dropped_ids(&raft_world("at 257ms\ndrop next * 2->*\n")), [8]);
    // `drop all` with a selector drops every match, first due first.
    assert_eq!(dropped_ids(&raft_world("at 257ms\ndrop all * *->3\n")), [7, 8, 10]);
}

#[test]
fn duplicate_and_delay_next_resolve_to_envelope_ids() {
    let w = raft_world("at 257ms\nduplicate next HB 2->1\ndelay next AppendEntries 2->3 30ms\n");
    let actions: Vec<_> = w.history().iter().map(|iv| iv.action.clone()).collect();
    assert_eq!(
        actions,
        [Action::DuplicateMessage(9), Action::DelayMessage(10, ballot_core::Duration::from_millis(30))]
    );
}

#[test]
fn a_selector_that_matches_nothing_is_a_short_error() {
    for (line, needle) in [
        (
            "drop next Prepare 2->3",
            "no `Prepare` message 2->3 is in flight (7, 8, 9, 10 are in flight at 257ms)",
        ),
        ("duplicate next AE 1->3", "no `AE` message 1->3 is in flight"),
        ("delay next * 3->* 5ms", "no `*` message 3->* is in flight"),
        ("drop all RV 2->1", "in flight"),
        ("drop next AE 2->7", "not in this cluster"),
        ("drop next AE 2-3", "write a link as 1->2"),
        ("hold Bogus *->*", "not a message kind here (RequestVote, RequestVoteReply"),
        ("release 1->x", "not a node"),
        ("net link *->* jitter 5ms", "unknown network parameter"),
    ] {
        let text = format!("cluster 3\nseed 1\nat 257ms\n{line}\n");
        let err = scenario::run::<Raft>(&text, 0).expect_err(line);
        assert_eq!(err.line, 4, "{line}");
        assert!(err.message.contains(needle), "{line}: {}", err.message);
        assert!(err.message.len() < 300, "{line}: short: {}", err.message);
    }
    // Nothing at all in flight.
    let err = scenario::run::<Raft>("cluster 3\ndrop next * *->*\n", 0).unwrap_err();
    assert!(err.message.contains("nothing is in flight"), "{err}");
}

#[test]
fn the_playgrounds_import_refuses_the_selector_lines_by_name() {
    // `load` leaves them out of the browser's bundle; it says so rather than run differently.
    for (line, needle) in [
        ("drop next HB 2->3", "`ballot run` reads"),
        ("delay next * *->* 1ms", "`ballot run` reads"),
        ("hold * 2->3", "`ballot run` reads"),
        ("release all", "`ballot run` reads"),
        ("net link 1->2 loss 5%", "unknown network parameter `link`"),
    ] {
        let text = format!("cluster 3\nseed 1\nat 257ms\n{line}\n");
        scenario::run::<Raft>(&text, 0).expect(line);
        let err = scenario::load::<Raft>(&text, 0).expect_err(line);
        assert!(err.message.contains(needle), "{line}: {err}");
    }
}

#[test]
fn a_held_follower_receives_nothing_until_released() {
    let base = "at 1s\nhold * 2->3\nrequest leader x=5\nrun 120ms\n";
    let held = raft_world(base);
    assert!(!held.held().is_empty(), "messages came due and were kept");
    assert!(held.held().iter().all(|e| (e.from, e.to) == (NodeId(2), NodeId(3))));
    assert_eq!(held.node(NodeId(3)).unwrap().log().last_index(), 0, "S3 heard nothing");
    let ids: Vec<u64> = held.held().iter().map(|e| e.id).collect();
    // Nothing 2→3 was delivered while the hold stood; S3 still talks to S2.
    let since_hold = |w: &ballot_sim::World<Raft>| {
        w.trace()
            .filter(|ev| ev.at > ballot_core::Instant::ZERO + ballot_core::Duration::from_secs(1))
            .count()
    };
    assert!(since_hold(&held) > 0);
    assert!(!held.trace().any(|ev| matches!(&ev.kind,
        TraceKind::Delivered { from, to, .. } if (*from, *to) == (NodeId(2), NodeId(3)) && ev.at.micros > 1_000_000)));
    // Released: they arrive in the order held, and S3 catches up.
    let released = raft_world(&format!("{base}release all\nrun 100ms\nexpect committed x=5 on all\n"));
    assert!(released.held().is_empty() && released.holds().is_empty());
    // Sent on by the network, each held message gets a new envelope id, in the order held.
    let new_ids: Vec<u64> = released
        .trace()
        .filter_map(|ev| match &ev.kind {
            TraceKind::Released { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    assert_eq!(new_ids.len(), ids.len(), "every held message was released");
    assert!(new_ids.windows(2).all(|w| w[0] < w[1]) && new_ids[0] > *ids.last().unwrap());
    let delivered: Vec<u64> = released
        .trace()
        .filter_map(|ev| match &ev.kind {
            TraceKind::Delivered { id, .. } if new_ids.contains(id) => Some(*id),
            _ => None,
        })
        .collect();
    assert_eq!(delivered, new_ids, "delivered in the order held");
    // A release elsewhere keeps them; a hold of another kind does not hold these.
    assert!(!raft_world(&format!("{base}release 1->3\nrun 10ms\n")).held().is_empty());
    let other = raft_world("at 1s\nhold RequestVote 2->3\nrequest leader x=5\nrun 120ms\n");
    assert!(other.held().is_empty());
    assert_eq!(other.node(NodeId(3)).unwrap().log().last_index(), 1);
}

#[test]
fn holds_change_the_fingerprint_only_while_they_exist() {
    let plain = raft_world("run 1s\n");
    // A hold that keeps nothing still counts (it changes what will happen)…
    let holding = raft_world("at 1s\nhold RequestVote 2->3\n");
    assert_ne!(holding.fingerprint(), plain.fingerprint());
    assert_ne!(holding.state_digest(), plain.state_digest());
    // …and once released, nothing of it is left.
    let released = raft_world("at 1s\nhold RequestVote 2->3\nrelease all\n");
    assert_eq!(released.fingerprint(), plain.fingerprint());
    assert_eq!(released.state_digest(), plain.state_digest());
}

#[test]
fn a_link_losing_everything_behaves_like_a_cut() {
    let lossy = raft_world("at 1s\nnet link 2->* loss 100%\nrun 2s\n");
    let cut = raft_world("at 1s\ncut 2->1\ncut 2->3\nrun 2s\n");
    for w in [&lossy, &cut] {
        let late = |ev: &&ballot_sim::trace::TraceEvent<_>| ev.at.micros > 1_050_000;
        assert!(!w
            .trace()
            .filter(late)
            .any(|ev| matches!(&ev.kind, TraceKind::Delivered { from, .. } if *from == NodeId(2))));
        let leader = Raft::leader(w).expect("a new leader");
        assert_ne!(leader, NodeId(2));
        assert!(w.node(leader).unwrap().current_term() >= 2);
    }
    // The lossy run lost them at the send; the cut run blocked them at the delivery.
    let reasons = |w: &ballot_sim::World<Raft>| {
        let mut r: Vec<&str> = w
            .trace()
            .filter_map(|ev| match &ev.kind {
                TraceKind::Dropped { from, reason, .. } if *from == NodeId(2) => Some(reason.as_str()),
                _ => None,
            })
            .collect();
        r.dedup();
        r
    };
    assert_eq!(reasons(&lossy), ["lost"]);
    assert_eq!(reasons(&cut), ["partitioned"]);
}

#[test]
fn link_parameters_apply_to_their_link_only_and_reset() {
    let w = raft_world("at 1s\nnet link 2->3 latency 50ms\nnet link *->1 dup 100%\nrun 40ms\n");
    assert!(w.net_for(NodeId(2), NodeId(3)).latency_min.micros == 50_000);
    assert_eq!(w.net_for(NodeId(2), NodeId(1)).duplicate, 1000);
    assert_eq!(w.net_for(NodeId(3), NodeId(2)), w.net(), "other links keep the global parameters");
    for e in w.in_flight() {
        let took = e.deliver_at.micros - e.sent_at.micros;
        if (e.from, e.to) == (NodeId(2), NodeId(3)) {
            assert_eq!(took, 50_000);
        } else {
            assert!(took <= 15_000, "{e:?}");
        }
    }
    // A later `net link` keeps the link's other parameters; `reset` drops the override.
    let w = raft_world("at 1s\nnet link 2->3 latency 50ms\nnet link 2->3 loss 10%\n");
    assert_eq!(
        (w.net_for(NodeId(2), NodeId(3)).latency_max.micros, w.net_for(NodeId(2), NodeId(3)).loss),
        (50_000, 100)
    );
    let w = raft_world("at 1s\nnet link 2->3 latency 50ms\nnet link 2->3 reset\n");
    assert!(w.link_nets().is_empty());
    // No override at all: the run is the one it always was.
    assert_eq!(w.net_for(NodeId(2), NodeId(3)), w.net());
    assert_eq!(
        raft_world("at 1s\nnet link 2->3 reset\nrun 1s\n").fingerprint(),
        raft_world("run 2s\n").fingerprint()
    );
}

#[test]
fn the_new_lines_export_and_replay_to_the_same_fingerprint() {
    let text = "at 257ms\ndrop next HB 2->3\ndelay next * *->1 3ms\nat 1s\nhold appendentries 2->*\nhold * *->3\nnet link 2->1 latency 20..30ms loss 5% dup 1% reorder 2%\nrequest leader x=1\nrun 80ms\nrelease 2->*\nrun 30ms\nnet link 2->1 reset\nrelease all\nrun 200ms\n";
    let world = raft_world(text);
    let exported = scenario::export(&world);
    for line in [
        "drop message 10",
        "hold AppendEntries 2->*",
        "hold * *->3",
        "release 2->*",
        "release all",
        "net link 2->1 latency 20000..30000us loss 5.0% dup 1.0% reorder 2.0%",
        "net link 2->1 reset",
    ] {
        assert!(exported.lines().any(|l| l == line), "{line} in\n{exported}");
    }
    let again = scenario::run::<Raft>(&exported, 0).unwrap_or_else(|e| panic!("{e}\n{exported}")).world;
    assert_eq!(again.fingerprint(), world.fingerprint());
    assert_eq!(again.history(), world.history());
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
