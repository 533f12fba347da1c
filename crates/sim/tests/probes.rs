//! Probes (`expect NAME ARGS = VALUE`), `expect in-flight` and `expect eventually within`: each
//! holds when it should and fails, with a useful message, when it should not.

use ballot_sim::protocols::{MultiPaxos, Paxos, Raft, TwoPc};
use ballot_sim::scenario;
use ballot_sim::Protocol;

/// Runs `text`, which must pass.
fn holds<P: Protocol>(text: &str) {
    if let Err(e) = scenario::run::<P>(text, 0) {
        panic!("{e}\n--- scenario:\n{text}");
    }
}

/// Runs `text`, which must fail on its last line with a message containing `needle`.
fn fails<P: Protocol>(text: &str, needle: &str) -> String {
    let err = scenario::run::<P>(text, 0).expect_err(text);
    assert_eq!(err.line, text.lines().count(), "{text}\n{err}");
    assert!(err.message.contains(needle), "{text}: {:?} does not say {needle:?}", err.message);
    err.message
}

fn scenario_file(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../../scenarios/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// S1 leads term 1 of three nodes and has committed `a=1` everywhere.
const RAFT: &str =
    "cluster 3\nseed 4\nconfig election-timeout 5s..6s\ntimeout 1\nrun 100ms\nrequest 1 a=1\nrun 100ms\n";

#[test]
fn the_next_index_scenario_passes_and_each_probe_can_fail() {
    let text = scenario_file("raft/08-next-index-backs-off.scn");
    holds::<Raft>(&text);
    // Every probe line, with a wrong value, fails on that line and says what the value is.
    for (i, line) in text.lines().enumerate() {
        let Some((head, value)) = line.rsplit_once(" = ") else { continue };
        if line.starts_with('#') {
            continue;
        }
        let wrong = if value.parse::<u64>().is_ok() { "99" } else { "S9" };
        let mut lines: Vec<&str> = text.lines().collect();
        let changed = format!("{head} = {wrong}");
        lines[i] = &changed;
        let err = scenario::run::<Raft>(&lines.join("\n"), 0).expect_err(&changed);
        assert_eq!(err.line, i + 1, "{changed}: {err}");
    }
}

#[test]
fn raft_probes_read_the_leader_and_the_followers() {
    holds::<Raft>(&format!(
        "{RAFT}expect next-index 1->2 = 2\nexpect match-index 1->2 = 1\nexpect match-index 1->1 = 1\n\
         expect commit-index 2 = 1\nexpect last-applied 2 = 1\nexpect voted-for 3 = 1\nexpect voted-for 3 = S1\n\
         expect voted-for 3 != none\nexpect term 2 = 1\nexpect term 2 >= 1\nexpect term 2 < 2\n\
         expect role 1 = leader\nexpect role 3 != leader\nexpect last-index 3 = 1\nexpect last-term 3 = 1\n\
         expect leader-hint 3 = 1\nexpect persisted 2 term = 1\nexpect persisted 2 log-len = 1\n"
    ));
    fails::<Raft>(&format!("{RAFT}expect next-index 1->2 = 4\n"), "next-index 1->2 is 2, expected = 4");
    fails::<Raft>(&format!("{RAFT}expect match-index 1->2 > 1\n"), "is 1, expected > 1");
    fails::<Raft>(&format!("{RAFT}expect voted-for 3 = none\n"), "voted-for 3 is 1");
    fails::<Raft>(&format!("{RAFT}expect role 2 = leader\n"), "role 2 is follower");
    fails::<Raft>(&format!("{RAFT}expect term 1 <= 0\n"), "term 1 is 1");
    // Leader state asked of a follower, a down node, a node not in the cluster.
    fails::<Raft>(
        &format!("{RAFT}expect next-index 2->3 = 2\n"),
        "S2 is not a leader: it is a follower in term 1",
    );
    fails::<Raft>(&format!("{RAFT}crash 2\nexpect commit-index 2 = 1\n"), "S2 is down");
    fails::<Raft>(&format!("{RAFT}expect term 7 = 1\n"), "S7 is not in this cluster of 3");
    fails::<Raft>(&format!("{RAFT}expect match-index 1->7 = 0\n"), "S7 is not in this cluster");
    // Comparisons that make no sense, unknown probes, malformed lines.
    fails::<Raft>(&format!("{RAFT}expect role 1 > leader\n"), "can only be compared with = or !=");
    fails::<Raft>(&format!("{RAFT}expect term 1 = one\n"), "`one` is not a number");
    let listed = fails::<Raft>(&format!("{RAFT}expect next-idx 1->2 = 2\n"), "unknown probe `next-idx`");
    assert!(listed.contains("next-index A->B") && listed.contains("persisted N"), "{listed}");
    fails::<Raft>(&format!("{RAFT}expect nonsense\n"), "or a probe");
    fails::<Raft>(&format!("{RAFT}expect term 1 =\n"), "write a value after `=`");
    fails::<Raft>(&format!("{RAFT}expect persisted 1 colour = 1\n"), "`colour` is not persisted");
    fails::<Raft>(&format!("{RAFT}expect next-index 1-2 = 1\n"), "not a link");
    // Candidates' votes.
    holds::<Raft>(&format!("{RAFT}timeout 2\nexpect votes 2 = 2\nexpect role 1 = leader\n"));
    fails::<Raft>(&format!("{RAFT}expect votes 1 = 1\n"), "S1 is not a candidate: it is a leader");
}

/// `persisted` reads stable storage: for a crashed node what it restarts from, for a live one
/// its durable state; a vote it cast is there.
#[test]
fn persisted_reads_stable_storage_of_crashed_and_live_nodes() {
    let text = format!(
        "{RAFT}crash 3\nrequest 1 b=1\nrun 100ms\nexpect persisted 3 log-len = 1\n\
         expect persisted 2 log-len = 2\nexpect persisted 3 voted-for = 1\ncrash 1\ntimeout 2\nrun 100ms\n\
         expect persisted 2 term = 2\nexpect persisted 2 voted-for = 2\nexpect persisted 1 term = 1\n"
    );
    holds::<Raft>(&text);
    fails::<Raft>(
        &format!("{RAFT}crash 3\nrequest 1 b=1\nrun 100ms\nexpect persisted 3 log-len = 2\n"),
        "is 1",
    );
    fails::<Raft>(&format!("{RAFT}expect persisted 9 term = 1\n"), "not in this cluster");
}

#[test]
fn in_flight_counts_messages_by_label_and_link() {
    // Right after `timeout 2`, S2's RequestVotes are in flight; nothing else is.
    let campaign = format!("{RAFT}run 1ms\ntimeout 2\n");
    holds::<Raft>(&format!(
        "{campaign}expect in-flight RV 2->* = 2\nexpect in-flight rv 2->3 = 1\nexpect in-flight RV *->2 = 0\n\
         expect in-flight * *->* >= 2\nexpect in-flight R* 2->1 = 1\nexpect in-flight HB *->* = 0\n\
         expect in-flight RequestVote 2->* = 2\nexpect in-flight requestvote 2->3 = 1\n\
         expect in-flight AppendEntries *->* = 0\nexpect in-flight Request* *->* = 2\n"
    ));
    let err = fails::<Raft>(
        &format!("{campaign}expect in-flight RV 2->* = 3\n"),
        "2 in flight match `RV 2->*`, expected = 3",
    );
    assert!(err.contains("RV 2->1"), "{err}");
    fails::<Raft>(&format!("{campaign}expect in-flight RV 2->9 = 0\n"), "not in this cluster");
    fails::<Raft>(&format!("{campaign}expect in-flight RV 2-3 = 0\n"), "A->B");
    fails::<Raft>(&format!("{campaign}expect in-flight RV\n"), "in-flight LABEL A->B = N");
    // `leader` names the leader on either side.
    holds::<Raft>(&format!("{RAFT}expect in-flight * leader->* = 0\n"));
}

#[test]
fn eventually_waits_until_it_holds_or_times_out() {
    // A leader appears within a second of a cold start; not within a millisecond.
    let outcome = scenario::run::<Raft>("cluster 3\nexpect eventually within 1s leader any\n", 0).unwrap();
    let t = outcome.world.now();
    assert!(
        t > ballot_core::Instant::ZERO
            && t < ballot_core::Instant::ZERO + ballot_core::Duration::from_secs(1)
    );
    // It stops at the first event where the expectation holds: one event earlier it did not.
    let at = format!("cluster 3\nat {}us {}\nexpect leader any\n", t.micros, outcome.world.events() - 1);
    assert!(scenario::run::<Raft>(&at, 0).is_err(), "{at}");
    let err = fails::<Raft>(
        "cluster 3\nexpect eventually within 1ms leader any\n",
        "still not so after waiting 1ms",
    );
    assert!(err.contains("there is no leader"), "the inner expectation's error: {err}");
    // A timeout moves the clock to the deadline.
    let err = scenario::run::<Raft>("cluster 3\nexpect eventually within 1ms leader any\n", 0).unwrap_err();
    assert!(err.message.contains("now 1ms"), "{}", err.message);
    // Probes, in-flight and generic expectations inside.
    holds::<Raft>(&format!("{RAFT}crash 1\nexpect eventually within 20s leader any term 2\n"));
    holds::<Raft>(&format!("{RAFT}timeout 2\nexpect eventually within 100ms in-flight RV *->* = 0\n"));
    holds::<Raft>(&format!("{RAFT}crash 1\nexpect eventually within 10ms down 1\n"));
    fails::<Raft>(&format!("{RAFT}expect eventually within 2s role 2 = candidate\n"), "role 2 is follower");
    // Malformed.
    fails::<Raft>("cluster 3\nexpect eventually leader any\n", "eventually within DURATION");
    fails::<Raft>("cluster 3\nexpect eventually within 1s\n", "eventually within DURATION");
    fails::<Raft>("cluster 3\nexpect eventually within soon leader any\n", "not a duration");
    fails::<Raft>("cluster 3\nexpect eventually within 1s eventually within 1s leader any\n", "nested");
    fails::<Raft>("cluster 3\nexpect eventually within 10800s leader any\n", "at most");
}

/// The playground's `load` skips probes and `in-flight` (counted as unchecked) and refuses
/// `eventually`, whose stopping point depends on a check it does not make.
#[test]
fn loading_skips_probes_and_refuses_eventually() {
    let text = format!("{RAFT}expect next-index 1->2 = 99\nexpect in-flight * *->* = 99\n");
    let loaded = scenario::load::<Raft>(&text, 0).unwrap();
    assert_eq!(loaded.unchecked, 2);
    let err = scenario::load::<Raft>("cluster 3\nexpect eventually within 1s leader any\n", 0).unwrap_err();
    assert!(err.message.contains("only `ballot run` can run `eventually`"), "{}", err.message);
}

/// S1 proposes x=1 and gets it chosen; then S3 runs a higher ballot and, having to adopt x=1,
/// gets it accepted again in 2.3.
const PAXOS: &str = "protocol paxos\ncluster 3\nseed 2\nrequest 1 x=1\nrun 300ms\nrequest 3 x=3\nrun 300ms\n";

#[test]
fn paxos_probes() {
    holds::<Paxos>(&format!(
        "{PAXOS}expect promised 1 = 2.3\nexpect promised 1 >= 1.1\nexpect promised 1 > 2.2\nexpect promised 1 < 3.1\n\
         expect accepted 2 = 2.3 x=1\nexpect learned 3 = x=1\nexpect chosen = x=1\nexpect phase 3 = idle\n\
         expect ballot 3 = none\nexpect promised 2 >= 2.3\n"
    ));
    // The existing forms still read the same state.
    holds::<Paxos>(&format!(
        "{PAXOS}expect promised 1 2.3\nexpect promised 1 >= 2.1\nexpect accepted 2 2.3 x=1\n"
    ));
    fails::<Paxos>(&format!("{PAXOS}expect promised 1 = 1.1\n"), "promised 1 is 2.3, expected = 1.1");
    fails::<Paxos>(&format!("{PAXOS}expect promised 1 > 2.3\n"), "expected > 2.3");
    fails::<Paxos>(&format!("{PAXOS}expect accepted 2 = 1.1 x=1\n"), "accepted 2 is 2.3 x=1");
    fails::<Paxos>(&format!("{PAXOS}expect chosen = x=3\n"), "chosen is x=1");
    fails::<Paxos>(&format!("{PAXOS}expect promised 1 = soon\n"), "not a ballot");
    fails::<Paxos>(&format!("{PAXOS}expect chosen 1 = x=1\n"), "no node");
    fails::<Paxos>(&format!("{PAXOS}crash 2\nexpect accepted 2 = none\n"), "S2 is down");
    let listed = fails::<Paxos>(&format!("{PAXOS}expect decided 1 = x=1\n"), "unknown probe `decided`");
    assert!(listed.contains("promised N") && listed.contains("chosen"), "{listed}");
    // Before anything: nothing accepted, nothing chosen, the promise is the zero ballot.
    holds::<Paxos>("protocol paxos\ncluster 3\nexpect accepted 1 = none\nexpect chosen = none\nexpect promised 2 = 0.0\n");
}

const MULTI: &str =
    "protocol multipaxos\ncluster 5\nseed 1\nrun 1s\nrequest leader x=1\nrequest leader y=2\nrun 300ms\n";

#[test]
fn multipaxos_probes() {
    let outcome = scenario::run::<MultiPaxos>(MULTI, 0).unwrap();
    let leader = MultiPaxos::leader(&outcome.world).expect("a leader").0;
    let ballot = outcome.world.node(ballot_core::NodeId(leader)).unwrap().ballot().unwrap();
    holds::<MultiPaxos>(&format!(
        "{MULTI}expect chosen 1 = x=1\nexpect chosen 2 = y=2\nexpect chosen 3 = none\nexpect decided 2 1 = x=1\n\
         expect accepted {leader} 2 = {ballot} y=2\nexpect promised 3 = {ballot}\nexpect role {leader} = leader\n\
         expect ballot {leader} = {ballot}\nexpect ballot {leader} >= 1.1\nexpect leader-hint 4 = {leader}\n\
         expect applied 4 = 2\nexpect first-unchosen 4 = 3\nexpect accepted 4 9 = none\n"
    ));
    fails::<MultiPaxos>(&format!("{MULTI}expect chosen 1 = y=2\n"), "chosen 1 is x=1, expected = y=2");
    fails::<MultiPaxos>(&format!("{MULTI}expect applied 4 > 2\n"), "applied 4 is 2");
    fails::<MultiPaxos>(&format!("{MULTI}expect accepted 4 = x=1\n"), "accepted N SLOT = VALUE");
    fails::<MultiPaxos>(&format!("{MULTI}expect promises {leader} = 3\n"), "is not a candidate");
    fails::<MultiPaxos>(&format!("{MULTI}expect decided 6 1 = x=1\n"), "S6 is not in this cluster of 5");
    fails::<MultiPaxos>(&format!("{MULTI}expect chosen x = x=1\n"), "not a slot number");
}

const TWOPC: &str =
    "protocol twopc\ncluster 4\nseed 2\nnet latency 10ms\nconfig vote-no 3\nrequest 1 set x 5\nrun 15ms\n";

#[test]
fn twopc_probes() {
    holds::<TwoPc>(&format!(
        "{TWOPC}expect state 3 = aborted\nexpect state 2 = prepared\nexpect vote 2 = yes\nexpect vote 3 = no\n\
         expect in-doubt 2 = yes\nexpect in-doubt 3 = no\nexpect txn 2 = 1\nexpect state 1 = init\n\
         expect decision = none\nexpect phase = collecting\n\
         expect eventually within 1s decision = abort\nexpect state 1 = aborted\n\
         expect eventually within 1s phase = idle\nexpect acks = none\nexpect state 2 = aborted\n"
    ));
    fails::<TwoPc>(
        &format!("{TWOPC}expect state 2 = committed\n"),
        "state 2 is prepared, expected = committed",
    );
    fails::<TwoPc>(&format!("{TWOPC}expect vote 1 = yes\n"), "S1 is the coordinator, not a participant");
    fails::<TwoPc>(&format!("{TWOPC}expect decision 1 = none\n"), "coordinator");
    fails::<TwoPc>(&format!("{TWOPC}crash 1\nexpect decision = none\n"), "S1 is down");
    fails::<TwoPc>(&format!("{TWOPC}expect txn 2 >= 2\n"), "txn 2 is 1");
    fails::<TwoPc>(&format!("{TWOPC}expect in-doubt 3 = yes\n"), "in-doubt 3 is no");
}

/// Every protocol lists its probes, each with a unique name and a doc line, and every listed
/// probe is read (not "no probe") on a fresh cluster.
#[test]
fn every_probe_is_listed_and_answers() {
    fn check<P: Protocol>(args_for: impl Fn(&str) -> Vec<&'static str>) {
        let world =
            scenario::run::<P>(&format!("protocol {}\ncluster 3\nrun 1s\n", P::NAME), 0).unwrap().world;
        let mut names: Vec<&str> = P::probes().iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), P::probes().len(), "{} has two probes of one name", P::NAME);
        for p in P::probes() {
            assert!(!p.doc.is_empty());
            if let Err(e) = P::probe(&world, p.name, &args_for(p.args)) {
                assert!(!e.contains("no probe"), "{} {}: {e}", P::NAME, p.name);
            }
        }
        assert!(P::probe(&world, "no-such-probe", &[]).is_err());
    }
    let args = |shape: &str| -> Vec<&'static str> {
        match shape {
            "" => vec![],
            "A->B" => vec!["1->2"],
            "N SLOT" => vec!["1", "1"],
            "SLOT" => vec!["1"],
            s if s.starts_with("N term") => vec!["1", "term"],
            _ => vec!["1"],
        }
    };
    check::<Raft>(args);
    check::<Paxos>(args);
    check::<MultiPaxos>(args);
    check::<TwoPc>(args);
}
