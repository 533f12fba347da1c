//! Bounded work: the event queue delivers in the documented order, the event limit stops a
//! world without moving its clock past unprocessed events, and scenarios, links and time travel
//! bound the events they process whatever their timers and latencies.

use ballot_core::{Duration, Instant, NodeId, Prng};
use ballot_sim::action::Action;
use ballot_sim::link::{self, SharedRun, MAX_SHARED_EVENTS};
use ballot_sim::protocols::{MultiPaxos, Paxos, Raft, TwoPc};
use ballot_sim::scenario::{self, MAX_SCENARIO_EVENTS};
use ballot_sim::timeline::{Timeline, DEFAULT_EVENT_SPACING};
use ballot_sim::trace::TraceKind;
use ballot_sim::{NetConfig, Protocol, SimConfig, World};

/// A Raft cluster whose timers fire every few microseconds: millions of events per virtual second.
fn dense() -> SimConfig<Raft> {
    let mut c = SimConfig::<Raft>::new(9, 3);
    c.node.heartbeat_interval = Duration { micros: 1 };
    c.node.election_timeout_min = Duration { micros: 2 };
    c.node.election_timeout_max = Duration { micros: 3 };
    c
}

#[test]
fn each_step_takes_the_earliest_event_and_the_lowest_id_among_equals() {
    // A reference model of the documented order, checked against the queue on every step of
    // runs with reordering, duplicates, messages delayed and dropped by hand.
    for seed in 1..=12 {
        let mut c = SimConfig::<Raft>::new(5, seed);
        c.net = NetConfig { loss: 50, duplicate: 100, reorder: 300, ..NetConfig::default() };
        if seed % 2 == 0 {
            // Round numbers everywhere: deliveries and timers fall due at the same instants.
            let ms = Duration::from_millis;
            c.net = NetConfig {
                latency_min: ms(10),
                latency_max: ms(10),
                duplicate: 100,
                ..NetConfig::default()
            };
            (c.node.election_timeout_min, c.node.election_timeout_max) = (ms(100), ms(100));
            c.node.heartbeat_interval = ms(20);
        }
        let mut w = World::new(c).with_trace(256);
        let mut rng = Prng::new(seed);
        for step in 0..3000 {
            if step % 97 == 0 {
                if let Some(id) =
                    w.in_flight().nth(rng.below(w.in_flight().len().max(1) as u64) as usize).map(|e| e.id)
                {
                    let action = match rng.below(3) {
                        0 => Action::DelayMessage(id, Duration::from_millis(rng.between(0, 40))),
                        1 => Action::DropMessage(id),
                        _ => Action::DuplicateMessage(id),
                    };
                    w.act(action);
                }
            }
            let first_delivery =
                w.in_flight().min_by_key(|e| (e.deliver_at, e.id)).map(|e| (e.deliver_at, e.id));
            let first_timer = w
                .cluster()
                .ids()
                .flat_map(|id| w.timers(id).map(move |(_, armed)| (armed.fires_at, id)))
                .min_by_key(|(at, id)| (*at, *id));
            let expected_time = match (first_delivery, first_timer) {
                (Some((d, _)), Some((t, _))) => d.min(t),
                (Some((d, _)), None) => d,
                (None, Some((t, _))) => t,
                (None, None) => break,
            };
            assert_eq!(w.next_event_time(), Some(expected_time), "seed {seed} step {step}");
            let delivery_wins = first_delivery.is_some_and(|(d, _)| first_timer.is_none_or(|(t, _)| d <= t));
            assert!(w.step());
            let events = w.events();
            let last = w.trace().rev().filter(|e| e.step == events).find(|e| {
                matches!(
                    e.kind,
                    TraceKind::Delivered { .. } | TraceKind::Dropped { .. } | TraceKind::TimerFired { .. }
                )
            });
            match (&last.expect("the step was traced").kind, delivery_wins) {
                (TraceKind::Delivered { id, .. } | TraceKind::Dropped { id, .. }, true) => {
                    assert_eq!(Some(*id), first_delivery.map(|(_, id)| id), "seed {seed} step {step}")
                }
                (TraceKind::TimerFired { node, .. }, false) => {
                    assert_eq!(Some(*node), first_timer.map(|(_, id)| id), "seed {seed} step {step}")
                }
                (other, _) => panic!(
                    "seed {seed} step {step}: expected the delivery to win: {delivery_wins}, got {other:?}"
                ),
            }
            assert_eq!(w.now(), expected_time);
        }
    }
}

#[test]
fn the_event_limit_stops_the_world_without_skipping_time() {
    let mut free = World::new(dense());
    free.run_for(Duration { micros: 50_000 });
    let mut limited = World::new(dense()).with_event_limit(10_000);
    limited.run_for(Duration { micros: 50_000 });
    assert_eq!(limited.events(), 10_000);
    assert!(limited.out_of_events(), "more events were due");
    assert!(limited.now() < Instant { micros: 50_000 }, "the clock stayed at the last event");
    assert!(!limited.step(), "no event past the limit");
    assert_eq!(limited.next_event_time(), None);
    // Lifting the limit goes on exactly where it stopped.
    limited.set_event_limit(u64::MAX);
    assert!(!limited.out_of_events());
    limited.run_until(Instant { micros: 50_000 });
    assert_eq!(limited.fingerprint(), free.fingerprint());
}

#[test]
fn a_run_in_capped_pieces_is_the_same_run() {
    let mut whole = World::new(dense());
    whole.run_until(Instant { micros: 20_000 });
    let mut pieces = World::new(dense());
    let mut cap = 0;
    while pieces.now() < (Instant { micros: 20_000 }) {
        cap += 777;
        pieces.run_until_capped(Instant { micros: 20_000 }, cap);
    }
    assert_eq!(pieces.events(), whole.events());
    assert_eq!(pieces.fingerprint(), whole.fingerprint());
    assert_eq!(pieces.event_limit(), u64::MAX, "the cap is only for the call");
}

/// The hostile inputs the issue lists, each a scenario that used to run for hours.
const HOSTILE: &[(&str, &str)] = &[
    ("raft", "protocol raft\ncluster 9\nconfig heartbeat 1us\nconfig election-timeout 2us..3us\nrun 7200s\n"),
    ("paxos", "protocol paxos\ncluster 5\nconfig round-timeout 1us\nrequest 1 x=1\nrun 7200s\n"),
    (
        "multipaxos",
        "protocol multipaxos\ncluster 5\nconfig heartbeat 1us\nconfig election-timeout 2us..3us\nrun 7200s\n",
    ),
    ("twopc", "protocol twopc\ncluster 5\nconfig resend 1us\nconfig vote-no 2\nrequest 1 x=1\nrun 7200s\n"),
    ("zab", "protocol zab\ncluster 5\nconfig heartbeat 1us\nconfig timeout 2us..3us\nrun 7200s\n"),
];

fn run_limited(protocol: &str, text: &str, limit: u64) -> Result<(u64, Instant), scenario::ScenarioError> {
    fn go<P: Protocol>(text: &str, limit: u64) -> Result<(u64, Instant), scenario::ScenarioError> {
        scenario::run_with_limit::<P>(text, 0, limit).map(|o| (o.world.events(), o.world.now()))
    }
    match protocol {
        "raft" => go::<Raft>(text, limit),
        "paxos" => go::<Paxos>(text, limit),
        "multipaxos" => go::<MultiPaxos>(text, limit),
        "twopc" => go::<TwoPc>(text, limit),
        "zab" => go::<ballot_sim::protocols::Zab>(text, limit),
        other => panic!("unknown protocol {other}"),
    }
}

#[test]
fn dense_timers_stop_at_the_event_limit_with_a_clear_error() {
    for (protocol, text) in HOSTILE {
        let err = run_limited(protocol, text, 50_000).expect_err(protocol);
        assert_eq!(err.text, "run 7200s", "{protocol}: {err}");
        assert!(
            err.message.contains("after 50000 events") && err.message.contains("at most 50000 events"),
            "{protocol}: {err}"
        );
        assert!(err.message.contains("--max-events"), "{protocol}: says how to raise it: {err}");
    }
    // The page's loader has the same bound.
    let err = scenario::load::<Raft>(HOSTILE[0].1, 0).expect_err("too dense to load");
    assert!(err.message.contains(&format!("at most {MAX_SCENARIO_EVENTS} events")), "{err}");
}

#[test]
fn the_limit_is_not_reached_by_an_ordinary_long_scenario() {
    // Two hours of a default 9-node Raft cluster: the most a scenario may ask of virtual time,
    // well inside the default event limit.
    let out = scenario::run::<Raft>("cluster 9\nrun 7200s\nexpect leader any\n", 0).expect("fits");
    assert!(out.world.events() < MAX_SCENARIO_EVENTS / 2, "{} events", out.world.events());
}

#[test]
fn generated_scenarios_with_tiny_timers_and_huge_latencies_do_bounded_work() {
    const LIMIT: u64 = 20_000;
    let mut rng = Prng::new(0xb0b);
    for case in 0..60 {
        let micros = |rng: &mut Prng| match rng.below(3) {
            0 => format!("{}us", rng.between(1, 5)),
            1 => format!("{}ms", rng.between(1, 300)),
            _ => format!("{}s", rng.between(1, 60)),
        };
        let (lo, hi) = (rng.between(1, 4), rng.between(4, 9));
        let mut text = format!(
            "cluster {}\nseed {case}\nnet latency {}..{}s loss {}%\nconfig heartbeat {}\nconfig election-timeout {lo}us..{hi}us\n",
            rng.between(1, 9),
            rng.below(30),
            30 + rng.below(31),
            rng.below(50),
            micros(&mut rng)
        );
        for _ in 0..rng.between(1, 6) {
            let line = match rng.below(5) {
                0 => format!("run {}", micros(&mut rng)),
                1 => String::from("crash 1"),
                2 => String::from("restart 1"),
                3 => format!("net latency {}", micros(&mut rng)),
                _ => String::from("run 3600s"),
            };
            text.push_str(&line);
            text.push('\n');
        }
        match scenario::run_with_limit::<Raft>(&text, 0, LIMIT) {
            Ok(out) => assert!(out.world.events() <= LIMIT, "case {case}:\n{text}"),
            Err(e) if e.message.contains("events") => {
                assert!(e.message.contains(&format!("after {LIMIT} events")), "case {case}: {e}")
            }
            // A generated latency above 60 s or a 1-node cluster config may be refused; that is
            // an error, not work.
            Err(e) => assert!(!e.message.is_empty(), "case {case}"),
        }
    }
}

#[test]
fn a_link_that_asks_for_too_many_events_is_refused_and_never_written() {
    let mut w = World::new(SimConfig::<Raft>::new(3, 1));
    w.run_for(Duration::from_secs(1));
    let mut run = SharedRun::of(&w);
    let ok = link::encode(&run).expect("a short run encodes");
    assert!(link::decode::<Raft>(&ok).is_ok());
    run.at_events = MAX_SHARED_EVENTS + 1;
    let err = link::encode(&run).expect_err("too long to share");
    assert!(err.to_string().contains("a link may replay at most"), "{err}");
}

#[test]
fn time_travel_checkpoints_dense_runs_by_events_too() {
    // A run of dense timers packs 300 000 events into well under one checkpoint spacing of
    // virtual time; checkpoints every DEFAULT_EVENT_SPACING events keep a seek's replay short.
    let mut live = World::new(dense());
    let mut timeline = Timeline::new(&live, Duration::from_secs(1), 48);
    while live.events() < 300_000 {
        live.run_until_capped(Instant::ZERO + Duration::from_secs(1), live.events() + 4000);
        timeline.observe(&live);
    }
    assert!(live.now() < Instant::ZERO + Duration::from_secs(1));
    assert!(timeline.len() >= (300_000 / DEFAULT_EVENT_SPACING) as usize, "{} checkpoints", timeline.len());
    // A recorded run (a link's, a scenario's) gets the same checkpoints while replaying.
    let at = (live.now(), live.events());
    let (again, recorded) =
        Timeline::record(live.config().clone(), live.history(), at, 0, (Duration::from_secs(1), 48));
    assert_eq!(again.fingerprint(), live.fingerprint());
    assert!(recorded.len() >= (300_000 / DEFAULT_EVENT_SPACING) as usize, "{} checkpoints", recorded.len());
    let middle = timeline.seek_event(&live, 150_000);
    assert_eq!(middle.events(), 150_000);
    let _ = NodeId(1);
}
