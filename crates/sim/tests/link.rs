//! Share links: exact round trips, and hostile input that must be refused with a message,
//! never a panic (a bounded property test; `fuzz/` has the open-ended cargo-fuzz target).

use ballot_core::{Command, Duration, NodeId, Prng};
use ballot_sim::action::Action;
use ballot_sim::link::{self, LinkError, SharedRun};
use ballot_sim::protocols::Raft;
use ballot_sim::{NetConfig, Protocol, SimConfig, World};

/// A run with every kind of intervention, some sharing an instant.
fn busy_world(seed: u64) -> World<Raft> {
    let mut c = SimConfig::<Raft>::new(5, seed);
    Raft::set_bug(&mut c.node, "commit-previous-term").unwrap();
    Raft::configure(&mut c.node, "election-timeout", "120..260ms").unwrap();
    c.net = NetConfig { loss: 50, duplicate: 20, reorder: 30, ..NetConfig::default() };
    let mut w = World::new(c).with_trace(50);
    w.run_for(Duration::from_millis(400));
    w.act(Action::FireTimer(NodeId(3), ballot_raft::RaftTimer::Election));
    w.step();
    w.act(Action::Request { node: NodeId(1), command: Command::parse("x=1").unwrap() });
    w.act(Action::Partition(vec![vec![NodeId(1), NodeId(2)], vec![NodeId(3)]]));
    w.run_for(Duration::from_millis(300));
    if let Some(id) = w.in_flight().next().map(|e| e.id) {
        w.act(Action::DuplicateMessage(id));
        w.act(Action::DelayMessage(id, Duration::from_millis(7)));
        w.act(Action::DropMessage(id));
    }
    w.act(Action::Cut(NodeId(4), NodeId(5)));
    w.act(Action::Crash(NodeId(2)));
    w.run_for(Duration::from_millis(500));
    w.act(Action::Restore(NodeId(4), NodeId(5)));
    w.act(Action::Heal);
    w.act(Action::Restart(NodeId(2)));
    w.act(Action::SetNet(NetConfig { loss: 0, ..NetConfig::default() }));
    w.run_for(Duration::from_millis(321));
    w.step();
    w
}

#[test]
fn a_link_reproduces_the_exact_run() {
    for seed in [1, 2, 3] {
        let w = busy_world(seed);
        let text = link::encode(&SharedRun::of(&w)).unwrap();
        assert!(text.starts_with("run=1."), "{text}");
        assert!(text.len() < 400, "compact: {} bytes", text.len());
        assert_eq!(link::protocol_of(&text).unwrap(), "raft");
        let run = link::decode::<Raft>(&format!("#{text}")).unwrap();
        let again = run.replay(0);
        assert_eq!(again.fingerprint(), w.fingerprint(), "seed {seed}");
        assert_eq!(again.history(), w.history());
        assert_eq!(again.config().node, w.config().node);
    }
}

#[test]
fn damaged_links_are_refused_with_a_reason() {
    let text = link::encode(&SharedRun::of(&busy_world(4))).unwrap();
    assert_eq!(link::decode::<Raft>("hello").unwrap_err(), LinkError::NotALink);
    assert_eq!(
        link::decode::<Raft>(&text.replacen("run=1.", "run=2.", 1)).unwrap_err(),
        LinkError::FutureVersion(2)
    );
    assert_eq!(link::decode::<Raft>(&text[..text.len() - 5]).unwrap_err(), LinkError::Corrupted);
    assert_eq!(link::decode::<Raft>(&format!("{text}!")).unwrap_err(), LinkError::BadEncoding);
    let mut flipped = text.clone().into_bytes();
    let i = flipped.len() / 2;
    flipped[i] = if flipped[i] == b'A' { b'B' } else { b'A' };
    assert_eq!(
        link::decode::<Raft>(std::str::from_utf8(&flipped).unwrap()).unwrap_err(),
        LinkError::Corrupted
    );
    for e in [LinkError::NotALink, LinkError::Corrupted, LinkError::FutureVersion(9)] {
        assert!(!e.to_string().is_empty());
    }
}

/// Bounded property test: random bytes with a valid checksum, and random mutations of a real
/// link, must decode to an error or to a run that replays without panicking.
#[test]
fn hostile_links_never_panic() {
    let good = link::encode(&SharedRun::of(&busy_world(5))).unwrap();
    let mut rng = Prng::new(77);
    let mut accepted = 0;
    let rounds = 3_000 * fuzz_scale();
    for i in 0..rounds {
        let candidate = if i % 2 == 0 {
            let mut bytes = good.clone().into_bytes();
            for _ in 0..rng.between(1, 4) {
                let at = rng.between(6, bytes.len() as u64 - 1) as usize;
                bytes[at] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                    [rng.below(64) as usize];
            }
            String::from_utf8(bytes).unwrap()
        } else {
            let body: Vec<u8> = (0..rng.between(0, 80)).map(|_| rng.below(256) as u8).collect();
            forge(&body)
        };
        if let Ok(run) = link::decode::<Raft>(&candidate) {
            accepted += 1;
            // Whatever a link says, replaying it is bounded and safe.
            let world = run.replay(0);
            assert!(world.now() <= ballot_core::Instant::ZERO + link::MAX_SHARED_TIME);
        }
    }
    // Mutations that keep a valid checksum are rare; most candidates must be refused.
    assert!(accepted < rounds);
}

/// Wraps raw bytes as a link with a correct checksum (as an attacker could).
fn forge(body: &[u8]) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for &b in body {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    let mut bytes = body.to_vec();
    bytes.extend_from_slice(&h.to_le_bytes());
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::from("run=1.");
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[test]
fn a_forged_link_asking_for_an_absurd_run_is_refused() {
    // protocol "raft", 200 nodes.
    let mut body = vec![4, b'r', b'a', b'f', b't', 200];
    assert!(matches!(link::decode::<Raft>(&forge(&body)), Err(LinkError::Invalid(_))));
    // 5 nodes, seed 1, sane net, no bug, no params, shared at 10^15 µs.
    body = vec![4, b'r', b'a', b'f', b't', 5, 1, 10, 15, 0, 0, 0, 0, 0];
    body.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    let err = link::decode::<Raft>(&forge(&body)).unwrap_err();
    assert!(err.to_string().contains("shared moment"), "{err}");
}

#[test]
fn a_forged_link_asking_for_too_many_events_is_refused_before_any_replay() {
    let varint = |mut v: u64| {
        let mut out = Vec::new();
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
        out
    };
    // 5 nodes, seed 1, sane net, no bug, no params, shared at 1 s after `events` events, no
    // interventions.
    let with_events = |events: u64| {
        let mut body = vec![4, b'r', b'a', b'f', b't', 5, 1, 10, 15, 0, 0, 0, 0, 0];
        body.extend(varint(1_000_000));
        body.extend(varint(events));
        body.push(0);
        forge(&body)
    };
    let fine = link::decode::<Raft>(&with_events(link::MAX_SHARED_EVENTS)).expect("at the limit");
    assert_eq!(fine.at_events, link::MAX_SHARED_EVENTS);
    let err = link::decode::<Raft>(&with_events(link::MAX_SHARED_EVENTS + 1)).unwrap_err();
    assert!(matches!(err, LinkError::Invalid(_)), "{err:?}");
    assert!(err.to_string().contains("a link may replay at most"), "{err}");
}

/// Every scenario of every protocol, shared at its last moment, replays to the same state.
#[test]
fn every_scenario_round_trips_through_a_link_and_an_export() {
    fn check<P: Protocol>(text: &str, file: &std::path::Path) {
        let outcome = ballot_sim::scenario::run::<P>(text, 0).unwrap();
        let encoded = link::encode(&SharedRun::of(&outcome.world)).unwrap();
        let again = link::decode::<P>(&encoded).unwrap().replay(0);
        assert_eq!(again.fingerprint(), outcome.world.fingerprint(), "{}", file.display());
        // The same run exported as a scenario replays exactly too (it ends with
        // `expect fingerprint …`, so a divergence fails the run).
        let exported = ballot_sim::scenario::export(&outcome.world);
        let rerun = ballot_sim::scenario::run::<P>(&exported, 0)
            .unwrap_or_else(|e| panic!("{}: {e}\n{exported}", file.display()));
        assert_eq!(rerun.world.fingerprint(), outcome.world.fingerprint(), "{}", file.display());
        assert_eq!(rerun.world.history(), outcome.world.history(), "{}", file.display());
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut count = 0;
    for dir in std::fs::read_dir(&root).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            match ballot_sim::scenario::protocol_of(&text).as_str() {
                "raft" => check::<Raft>(&text, &path),
                "paxos" => check::<ballot_sim::protocols::Paxos>(&text, &path),
                "multipaxos" => check::<ballot_sim::protocols::MultiPaxos>(&text, &path),
                "twopc" => check::<ballot_sim::protocols::TwoPc>(&text, &path),
                "zab" => check::<ballot_sim::protocols::Zab>(&text, &path),
                other => panic!("{}: unknown protocol {other}", path.display()),
            }
            count += 1;
        }
    }
    assert!(count >= 20, "{count} scenarios");
}

/// `BALLOT_FUZZ_SCALE=N` runs the bounded property tests N times longer (CI runs them at 1).
fn fuzz_scale() -> u64 {
    std::env::var("BALLOT_FUZZ_SCALE").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1)
}

#[test]
fn a_link_error_quotes_only_an_excerpt() {
    let long = "p".repeat(10_000);
    let text = LinkError::WrongProtocol(long.clone()).to_string();
    assert!(text.len() < 200 && text.contains("pp…"), "{text}");
    let text = LinkError::Invalid(format!("unknown bug `{long}`; known: none")).to_string();
    assert!(text.len() < 200 && text.contains("pp…`; known: none"), "{text}");
}

#[test]
fn holds_releases_and_link_parameters_round_trip_through_a_link() {
    let mut w = busy_world(5);
    let lossy = NetConfig { loss: 300, latency_max: Duration::from_millis(40), ..NetConfig::default() };
    w.act(Action::Hold { kind: Some("AppendEntries"), from: Some(NodeId(1)), to: None });
    w.act(Action::Hold { kind: None, from: None, to: Some(NodeId(3)) });
    w.act(Action::SetLinkNet(Some(NodeId(2)), None, Some(lossy)));
    w.run_for(Duration::from_millis(200));
    w.act(Action::Release { from: Some(NodeId(1)), to: None });
    w.act(Action::SetLinkNet(None, Some(NodeId(4)), Some(NetConfig { duplicate: 1000, ..lossy })));
    w.act(Action::SetLinkNet(Some(NodeId(2)), None, None));
    w.run_for(Duration::from_millis(100));
    assert!(!w.held().is_empty(), "something is held when the link is made");
    let text = link::encode(&SharedRun::of(&w)).unwrap();
    let again = link::decode::<Raft>(&text).unwrap().replay(0);
    assert_eq!(again.history(), w.history());
    assert_eq!(again.fingerprint(), w.fingerprint());
    w.act(Action::Release { from: None, to: None });
    w.step();
    let again = link::decode::<Raft>(&link::encode(&SharedRun::of(&w)).unwrap()).unwrap().replay(0);
    assert_eq!((again.history(), again.fingerprint()), (w.history(), w.fingerprint()));
}

#[test]
fn forged_holds_and_link_parameters_are_refused() {
    // raft, 3 nodes, seed 1, net 10..15 µs, no bug, no parameters, shared at 5 µs after 0
    // events, one intervention at 0 µs after 0 events, then the tag and its payload.
    let head = [4, b'r', b'a', b'f', b't', 3, 1, 10, 15, 0, 0, 0, 0, 0, 5, 0, 1, 0, 0];
    for (payload, needle) in [
        (&[12u8, 5, 0, 0][..], "message kind"),
        (&[12, 1, 7, 0][..], "names node 7"),
        (&[13, 0, 4][..], "names node 4"),
        (&[14, 1, 0, 2][..], "parameters flag is out of range"),
        (&[14, 1, 0, 1, 20, 10, 0, 0, 0][..], "latency range is empty"),
    ] {
        let body: Vec<u8> = head.iter().chain(payload).copied().collect();
        let err = link::decode::<Raft>(&forge(&body)).unwrap_err();
        assert!(err.to_string().contains(needle), "{payload:?}: {err}");
    }
    let body: Vec<u8> = head.iter().chain(&[12, 4, 0, 2]).copied().collect();
    let run = link::decode::<Raft>(&forge(&body)).unwrap();
    assert_eq!(
        run.history[0].action,
        Action::Hold { kind: Some("AppendEntriesReply"), from: None, to: Some(NodeId(2)) }
    );
}
