//! The simulator's own guarantees: determinism, exact replay, fault injection and the
//! persist-before-send contract.

use ballot_core::node::{Message, OutboxOf};
use ballot_core::{ClientError, Cluster, Command, Duration, Input, Instant, Lang, Narrate, Node, NodeId};
use ballot_sim::action::Action;
use ballot_sim::protocols::Raft;
use ballot_sim::world::{Choice, PERSIST_BEFORE_SEND};
use ballot_sim::{NetConfig, Protocol, SimConfig, World};

fn lossy(seed: u64) -> SimConfig<Raft> {
    let mut c = SimConfig::<Raft>::new(5, seed);
    c.net = NetConfig { loss: 100, duplicate: 50, reorder: 100, ..NetConfig::default() };
    c
}

#[test]
fn same_seed_same_run_different_seed_different_run() {
    let run = |seed| {
        let mut w = World::new(lossy(seed));
        w.run_for(Duration::from_secs(3));
        (w.fingerprint(), w.events())
    };
    assert_eq!(run(9), run(9));
    assert_ne!(run(9).0, run(10).0);
}

#[test]
fn replay_of_the_recorded_history_is_exact() {
    let mut w = World::new(lossy(11)).with_trace(100);
    w.run_for(Duration::from_millis(700));
    w.act(Action::Crash(NodeId(2)));
    w.step();
    w.step();
    // Two interventions at the same instant, between events that share a time stamp.
    w.act(Action::Request { node: NodeId(1), command: Command::parse("x=1").unwrap() });
    w.act(Action::Partition(vec![vec![NodeId(1), NodeId(3)]]));
    w.run_for(Duration::from_millis(900));
    w.act(Action::Heal);
    w.act(Action::Restart(NodeId(2)));
    if let Some(id) = w.in_flight().next().map(|e| e.id) {
        w.act(Action::DuplicateMessage(id));
    }
    w.run_for(Duration::from_secs(2));
    let again = World::replay(w.config().clone(), w.history(), w.now(), 100);
    assert_eq!(again.fingerprint(), w.fingerprint());
    assert_eq!(again.events(), w.events());
    assert_eq!(again.history(), w.history());
}

#[test]
fn partitions_drop_and_healing_restores() {
    let mut w = World::new(SimConfig::<Raft>::new(3, 1)).with_trace(10_000);
    w.act(Action::Partition(vec![vec![NodeId(1)], vec![NodeId(2)], vec![NodeId(3)]]));
    w.run_for(Duration::from_secs(2));
    assert_eq!(Raft::leader(&w), None, "nobody can win alone");
    assert!(w.stats().dropped > 0);
    w.act(Action::Heal);
    w.run_for(Duration::from_secs(2));
    assert!(Raft::leader(&w).is_some());
    let narrated: Vec<String> = w.trace().map(|e| e.narrate(Lang::En)).collect();
    assert!(narrated.iter().any(|s| s.contains("blocked by a partition")), "{narrated:?}");
}

#[test]
fn messages_can_be_dropped_delayed_and_duplicated_by_hand() {
    let mut w = World::new(SimConfig::<Raft>::new(3, 2));
    w.act(Action::FireTimer(NodeId(1), ballot_raft::RaftTimer::Election));
    let ids: Vec<u64> = w.in_flight().map(|e| e.id).collect();
    assert_eq!(ids.len(), 2, "S1 asks S2 and S3 for votes");
    w.act(Action::DropMessage(ids[0]));
    w.act(Action::DuplicateMessage(ids[1]));
    w.act(Action::DelayMessage(ids[1], Duration::from_millis(40)));
    assert_eq!(w.in_flight().len(), 2);
    assert!(w.in_flight().all(|e| e.id != ids[0]));
    let delayed = w.in_flight().find(|e| e.id == ids[1]).unwrap();
    assert!(delayed.deliver_at >= Instant::from_millis(50));
    assert!(w.in_flight().any(|e| e.id > ids[1]), "a duplicate with a fresh id");
}

#[test]
fn crash_keeps_durable_state_and_restart_restores_it() {
    let mut w = World::new(SimConfig::<Raft>::new(3, 3));
    w.run_for(Duration::from_secs(1));
    let leader = Raft::leader(&w).expect("a leader");
    w.act(Action::Request { node: leader, command: Command::parse("x=1").unwrap() });
    w.run_for(Duration::from_millis(300));
    let term = w.node(leader).unwrap().current_term();
    let log_len = w.node(leader).unwrap().log().last_index();
    w.act(Action::Crash(leader));
    assert!(w.node(leader).is_none());
    assert_eq!(w.timers(leader).count(), 0, "a crashed node has no timers");
    w.act(Action::Restart(leader));
    let back = w.node(leader).unwrap();
    assert!(back.current_term() >= term);
    assert_eq!(back.log().last_index(), log_len);
    assert_eq!(back.commit_index(), 0, "commitIndex is volatile");
}

#[test]
fn client_requests_are_redirected_to_the_leader() {
    let mut w = World::new(SimConfig::<Raft>::new(5, 4)).with_trace(1000);
    w.run_for(Duration::from_secs(1));
    let leader = Raft::leader(&w).unwrap();
    let follower = w.cluster().ids().find(|id| *id != leader).unwrap();
    w.act(Action::Request { node: follower, command: Command::parse("y=2").unwrap() });
    w.run_for(Duration::from_millis(300));
    assert!(Raft::expect(&w, &["committed", "y=2", "on", "all"]).is_ok());
    let text: Vec<String> = w.trace().map(|e| e.narrate(Lang::En)).collect();
    assert!(text.iter().any(|s| s.contains("retries at")), "{text:?}");
}

#[test]
fn absurd_network_parameters_are_clamped_not_fatal() {
    let mut c = SimConfig::<Raft>::new(3, 5);
    c.net = NetConfig {
        latency_min: Duration::from_secs(1_000_000),
        latency_max: Duration::ZERO,
        loss: u16::MAX,
        duplicate: u16::MAX,
        reorder: u16::MAX,
    };
    let mut w = World::new(c);
    w.run_for(Duration::from_secs(5));
    assert_eq!(w.stats().delivered, 0, "100% loss delivers nothing");
    assert!(w.violations().is_empty());
}

// ----- The persist-before-send contract, shown on a deliberately careless toy protocol. --------

/// How a [`Careless`] node handles its timer: bump its durable counter and ping the other node,
/// persisting (or not) in one of these orders.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Habit {
    /// Change, mark dirty, persist, send: the contract.
    Careful,
    /// Change and send; never persist.
    Forget,
    /// Change, mark dirty, send, then persist: the message left before the change was stored.
    SendThenPersist,
    /// Change without marking dirty, send, then persist: judged by the order of the snapshots.
    UnmarkedSendThenPersist,
    /// Change, persist, send, then change again without persisting (the step ends dirty).
    PersistSendChange,
}

/// A toy node with a durable counter and a volatile count of pings received.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
struct Careless {
    id: NodeId,
    counter: u64,
    seen: u64,
    habit: Habit,
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
struct Ping;
impl Message for Ping {
    const KINDS: &'static [&'static str] = &["Ping"];
    fn kind(&self) -> &'static str {
        "Ping"
    }
    fn label(&self) -> String {
        "ping".into()
    }
}

#[derive(Clone, Debug)]
struct Quiet;
impl Narrate for Quiet {
    fn narrate(&self, _: Lang) -> String {
        String::new()
    }
}

impl Node for Careless {
    type Msg = Ping;
    type Timer = u8;
    type Command = Command;
    type Durable = u64;
    type Note = Quiet;
    type Config = Habit;

    fn boot(
        id: NodeId,
        _: Cluster,
        habit: &Habit,
        durable: u64,
        _: Instant,
        out: &mut OutboxOf<Self>,
    ) -> Self {
        out.set_timer(0, Duration::from_millis(10), Duration::from_millis(10));
        Careless { id, counter: durable, seen: 0, habit: *habit }
    }
    fn step(
        &mut self,
        _: Instant,
        input: Input<Ping, u8, Command>,
        out: &mut OutboxOf<Self>,
    ) -> Result<(), ClientError> {
        let other = NodeId(if self.id.0 == 1 { 2 } else { 1 });
        match input {
            Input::Timer(_) => {
                self.counter += 1;
                match self.habit {
                    Habit::Careful => {
                        out.mark_dirty();
                        out.persist_if_dirty(|| self.counter);
                        out.send(other, Ping);
                    }
                    Habit::Forget => out.send(other, Ping),
                    Habit::SendThenPersist => {
                        out.mark_dirty();
                        out.send(other, Ping);
                        out.persist(self.counter);
                    }
                    Habit::UnmarkedSendThenPersist => {
                        out.send(other, Ping);
                        out.persist(self.counter);
                    }
                    Habit::PersistSendChange => {
                        out.persist(self.counter);
                        out.send(other, Ping);
                        self.counter += 1;
                    }
                }
            }
            Input::Deliver { .. } => self.seen += 1,
            Input::Client(_) => {}
        }
        Ok(())
    }
    fn id(&self) -> NodeId {
        self.id
    }
    fn durable(&self) -> u64 {
        self.counter
    }
    fn durable_digest(&self) -> u64 {
        self.counter
    }
    fn durable_digest_of(durable: &u64) -> u64 {
        *durable
    }
}

#[derive(Clone, Debug)]
struct CarelessProtocol;

/// Remembers the most pings any node was ever seen to have received: history, like a real
/// checker's leaders per term.
#[derive(Clone, Hash, Debug, Default)]
struct HighWater {
    most_seen: u64,
}
impl ballot_core::Checker<Careless> for HighWater {
    fn properties(&self) -> &'static [&'static str] {
        &[]
    }
    fn check(&mut self, _: Instant, _: NodeId, nodes: &[Option<Careless>]) -> Option<ballot_core::Violation> {
        for n in nodes.iter().flatten() {
            self.most_seen = self.most_seen.max(n.seen);
        }
        None
    }
}

const HABITS: [(&str, Habit); 5] = [
    ("careful", Habit::Careful),
    ("forget-persist", Habit::Forget),
    ("send-then-persist", Habit::SendThenPersist),
    ("unmarked-send-then-persist", Habit::UnmarkedSendThenPersist),
    ("persist-send-change", Habit::PersistSendChange),
];

impl Protocol for CarelessProtocol {
    type Node = Careless;
    type Command = Command;
    type Checker = HighWater;
    const NAME: &'static str = "careless";
    fn checker(_: Cluster) -> HighWater {
        HighWater::default()
    }
    fn default_config() -> Habit {
        Habit::Careful
    }
    fn bug_names() -> &'static [&'static str] {
        &["forget-persist", "send-then-persist", "unmarked-send-then-persist", "persist-send-change"]
    }
    fn set_bug(config: &mut Habit, bug: &str) -> Result<(), String> {
        *config = HABITS.iter().find(|(n, _)| *n == bug).ok_or("no such habit")?.1;
        Ok(())
    }
    fn configure(_: &mut Habit, _: &str, _: &str) -> Result<(), String> {
        Err("none".into())
    }
    fn parse_command(text: &str) -> Result<Command, String> {
        Command::parse(text).map_err(|e| e.to_string())
    }
    fn random_command(_: &mut ballot_core::Prng) -> Command {
        Command::Noop
    }
    fn timeout_timer() -> u8 {
        0
    }
    fn leader(_: &World<Self>) -> Option<NodeId> {
        None
    }
    fn progress(_: &World<Self>) -> u64 {
        0
    }
    fn expect(_: &World<Self>, _: &[&str]) -> Result<(), String> {
        Err("none".into())
    }
}

fn careless(habit: &str) -> World<CarelessProtocol> {
    let mut config = SimConfig::<CarelessProtocol>::new(2, 1);
    CarelessProtocol::set_bug(&mut config.node, habit).unwrap();
    World::new(config)
}

#[test]
fn forgetting_to_persist_is_a_violation() {
    let mut careful = careless("careful");
    careful.run_for(Duration::from_millis(50));
    assert!(careful.violations().is_empty());

    for bug in CarelessProtocol::bug_names() {
        let mut w = careless(bug);
        w.run_for(Duration::from_millis(50));
        let found: Vec<&str> = w.violations().iter().map(|v| v.property).collect();
        assert_eq!(found, [PERSIST_BEFORE_SEND], "{bug}");
    }
}

/// The message left after the durable change and before the persist that covers it: the order
/// of the effects, not the state at the end of the step, decides.
#[test]
fn a_send_before_the_persist_that_covers_it_is_named_as_such() {
    for bug in ["send-then-persist", "unmarked-send-then-persist"] {
        let mut w = careless(bug);
        w.run_for(Duration::from_millis(10));
        let v = &w.violations()[0];
        assert!(v.detail.contains("sent a message before persisting"), "{bug}: {}", v.detail);
    }
    let mut w = careless("persist-send-change");
    w.run_for(Duration::from_millis(10));
    let v = &w.violations()[0];
    assert!(v.detail.contains("without persisting"), "{}", v.detail);
}

/// Storage semantics: a crash restores the value of the last `Persist`, never what the node held
/// in memory, and a restart boots from it.
#[test]
fn a_crash_restores_the_last_persisted_value_not_the_memory() {
    let one = NodeId(1);
    // "Persist, send, then change": memory says 2, the disk says 1.
    let mut w = careless("persist-send-change");
    w.act(Action::FireTimer(one, 0));
    assert_eq!(w.node(one).map(|n| n.counter), Some(2));
    assert_eq!(w.storage(one), Some(&1));
    w.act(Action::Crash(one));
    assert_eq!(w.stored(one), Some(&1));
    w.act(Action::Restart(one));
    assert_eq!(w.node(one).map(|n| n.counter), Some(1), "booted from the disk");

    // Never persisted at all: the change is lost.
    let mut w = careless("forget-persist");
    w.act(Action::FireTimer(one, 0));
    assert_eq!((w.node(one).map(|n| n.counter), w.storage(one)), (Some(1), Some(&0)));
    w.act(Action::Crash(one));
    w.act(Action::Restart(one));
    assert_eq!(w.node(one).map(|n| n.counter), Some(0));

    // The careful node keeps everything it persisted.
    let mut w = careless("careful");
    w.act(Action::FireTimer(one, 0));
    w.act(Action::Crash(one));
    w.act(Action::Restart(one));
    assert_eq!(w.node(one).map(|n| n.counter), Some(1));
    assert!(w.violations().is_empty());
}

/// Two worlds with the same nodes, storage, timers and network but different checker histories
/// are different states for a model checker.
#[test]
fn the_state_digest_covers_the_checkers_history() {
    let (one, two) = (NodeId(1), NodeId(2));
    let start = careless("careful");
    // Both paths: S1's timer fires (its counter is 1, a Ping goes to S2).
    let mut heard = start.clone();
    heard.act(Action::FireTimer(one, 0));
    let mut lost = heard.clone();
    let ping = lost.in_flight().next().map(|e| e.id).unwrap();
    // S2 hears the ping (the checker sees one ping received), then forgets it in a crash.
    heard.apply_choice(Choice::Deliver(ping));
    assert_eq!(heard.node(two).map(|n| n.seen), Some(1));
    heard.act(Action::Crash(two));
    heard.act(Action::Restart(two));
    // The ping is dropped instead: nobody ever heard anything.
    lost.act(Action::DropMessage(ping));
    assert_eq!(heard.nodes(), lost.nodes());
    assert_eq!(heard.in_flight().count() + lost.in_flight().count(), 0);
    assert!(heard.violations().is_empty() && lost.violations().is_empty());
    assert_ne!(heard.state_digest(), lost.state_digest(), "the checker's history differs");
}
