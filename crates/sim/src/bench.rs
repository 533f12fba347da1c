//! The classic Raft workload used to measure the engine, shared by `ballot bench raft` (native)
//! and the wasm benchmark under Node.js, so both run exactly the same simulation. Timing is the
//! caller's business: this crate never reads a clock.

use crate::action::Action;
use crate::network::NetConfig;
use crate::protocol::Protocol;
use crate::protocols::Raft;
use crate::world::{SimConfig, World};

use ballot_core::{Command, Duration, Instant, Word};

/// What the workload did, for the caller to divide by wall time.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct BenchCounts {
    /// Virtual seconds simulated.
    pub simulated_secs: u64,
    /// Events processed (deliveries and timer firings).
    pub events: u64,
    /// Messages delivered.
    pub delivered: u64,
    /// Client requests offered.
    pub requests: u64,
    /// Highest commit index reached.
    pub committed: u64,
    /// Safety violations found (must be 0).
    pub violations: u64,
    /// Fingerprint of the final state (equal natively and in wasm).
    pub fingerprint: u64,
}

/// 5 nodes, election timeout 100–200 ms, heartbeat 50 ms, latency 10–15 ms, one entry per
/// AppendEntries, a client request to the leader every 50 ms; every invariant checked after
/// every step; `simulated_secs` of virtual time.
pub fn classic_raft(simulated_secs: u64, seed: u64) -> BenchCounts {
    let mut config = SimConfig::<Raft>::new(5, seed);
    config.node.election_timeout_min = Duration::from_millis(100);
    config.node.election_timeout_max = Duration::from_millis(200);
    config.node.heartbeat_interval = Duration::from_millis(50);
    config.node.max_entries_per_append = 1;
    config.net = NetConfig {
        latency_min: Duration::from_millis(10),
        latency_max: Duration::from_millis(15),
        ..NetConfig::default()
    };
    let mut world = World::new(config);
    let end = Instant::ZERO + Duration::from_secs(simulated_secs);
    let mut requests = 0u64;
    let mut t = Instant::ZERO;
    while t < end {
        t = t + Duration::from_millis(50);
        world.run_until(t);
        if let Some(leader) = Raft::leader(&world) {
            requests += 1;
            let command = Command::Set { key: Word::letter(b'k'), value: Word::number(requests % 1000) };
            world.act(Action::Request { node: leader, command });
        }
    }
    BenchCounts {
        simulated_secs,
        events: world.events(),
        delivered: world.stats().delivered,
        requests,
        committed: Raft::progress(&world),
        violations: world.violations().len() as u64,
        fingerprint: world.fingerprint(),
    }
}

/// A playground-like hour: 5 nodes with default Raft parameters, a client request every second,
/// a crash every minute (restarted 10 s later), a partition every 5 minutes (healed after 20 s),
/// recorded with the playground's trace and a [`Timeline`](crate::timeline::Timeline) with the
/// playground's settings ([`crate::timeline::playground`]) observing every 50 ms of virtual time,
/// as the playground's frame loop does.
pub fn hour_with_timeline(
    simulated_secs: u64,
    max_checkpoints: usize,
) -> (World<Raft>, crate::timeline::Timeline<Raft>) {
    use crate::timeline::{playground, Timeline};
    let mut world = World::new(SimConfig::<Raft>::new(5, 1)).with_trace(playground::TRACE_KEEP);
    let mut timeline = Timeline::new(&world, playground::SPACING, max_checkpoints)
        .with_trace_window(playground::TRACE_WINDOW);
    let end = Instant::ZERO + Duration::from_secs(simulated_secs);
    let mut t = Instant::ZERO;
    let mut tick = 0u64;
    while t < end {
        t = t + Duration::from_millis(50);
        tick += 1;
        world.run_until(t);
        if tick % 20 == 0 {
            if let Some(leader) = Raft::leader(&world) {
                let command = Command::Set { key: Word::letter(b'k'), value: Word::number(tick % 1000) };
                world.act(Action::Request { node: leader, command });
            }
        }
        let victim = ballot_core::NodeId(((tick / 1200) % 5 + 1) as u8);
        match tick % 1200 {
            0 => world.act(Action::Crash(victim)),
            200 => world.act(Action::Restart(victim)),
            _ => {}
        }
        match tick % 6000 {
            3000 => world.act(Action::Partition(alloc::vec![alloc::vec![
                ballot_core::NodeId(1),
                ballot_core::NodeId(2)
            ]])),
            3400 => world.act(Action::Heal),
            _ => {}
        }
        timeline.observe(&world);
    }
    (world, timeline)
}
