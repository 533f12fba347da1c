//! Seed swarms: many seeds, each a random cluster, network and fault schedule, checked after
//! every step. Each seed runs a **safety phase** (faults everywhere, `steps` events) and then a
//! **liveness phase** (the network heals, the loss stops, only a random bare majority of the
//! nodes is up — [`Protocol::liveness_survivors`] — and progress is required within a bound).
//! Everything derives from the seed, so a failure is reproduced by running that one seed again.

use crate::action::Action;
use crate::network::NetConfig;
use crate::protocol::Protocol;
use crate::world::{SimConfig, World};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use ballot_core::{Duration, Instant, NodeId, Prng, Violation};

/// What to run for each seed.
#[derive(Clone, Debug)]
pub struct SwarmOptions {
    /// Events in the safety phase.
    pub steps: u64,
    /// A deliberately broken variant to run, by name.
    pub bug: Option<String>,
    /// Virtual time the liveness phase may take before it fails.
    pub liveness_bound: Duration,
}

impl Default for SwarmOptions {
    fn default() -> Self {
        SwarmOptions { steps: 2_000, bug: None, liveness_bound: Duration::from_secs(10) }
    }
}

/// How one seed ended.
#[derive(Clone, Debug)]
pub struct SeedReport {
    /// The seed.
    pub seed: u64,
    /// Nodes in the cluster this seed drew.
    pub cluster_size: u8,
    /// Events processed in both phases.
    pub events: u64,
    /// Interventions applied.
    pub interventions: usize,
    /// Safety violations (empty when safe).
    pub violations: Vec<Violation>,
    /// Why the liveness phase failed, if it did.
    pub liveness_failure: Option<String>,
    /// The nodes the liveness phase kept up (empty when it did not run).
    pub survivors: Vec<NodeId>,
    /// Virtual time at the end.
    pub ended_at: Instant,
}

impl SeedReport {
    /// Whether the seed passed both phases.
    pub fn passed(&self) -> bool {
        self.violations.is_empty() && self.liveness_failure.is_none()
    }
}

/// The configuration a seed draws: cluster size, network and protocol defaults (with the bug).
pub fn seed_config<P: Protocol>(seed: u64, options: &SwarmOptions) -> Result<SimConfig<P>, String> {
    let mut rng = Prng::new(seed ^ 0x5eed_5eed_5eed_5eed);
    let size = rng.between(3, 9) as u8;
    let mut config = SimConfig::<P>::new(size, seed);
    if let Some(bug) = &options.bug {
        P::set_bug(&mut config.node, bug)?;
    }
    let latency_min = rng.between(1, 20);
    config.net = NetConfig {
        latency_min: Duration::from_millis(latency_min),
        latency_max: Duration::from_millis(latency_min + rng.between(0, 30)),
        loss: rng.between(0, 200) as u16,
        duplicate: rng.between(0, 100) as u16,
        reorder: rng.between(0, 200) as u16,
    };
    Ok(config)
}

fn random_node(rng: &mut Prng, size: u8) -> NodeId {
    NodeId(rng.between(1, u64::from(size)) as u8)
}

/// How often each kind of fault happens in one seed. Each seed draws its own weights ("swarm
/// testing"): some seeds crash nodes constantly, others only partition, others never lose a
/// message. That diversity finds more bugs than one fixed mix.
#[derive(Clone, Copy, Debug)]
struct FaultMix {
    /// Relative weights of: request, crash, restart, partition, heal, cut link, force timeout,
    /// change loss, crash the client target (the leader), bounce (crash and restart soon),
    /// simultaneous timeouts, isolate the client target in a minority.
    weights: [u64; 12],
    /// Longest pause between two interventions, in ms.
    max_gap_ms: u64,
    /// Longest downtime of a bounced node, in ms.
    max_down_ms: u64,
}

impl FaultMix {
    fn draw(rng: &mut Prng) -> FaultMix {
        let mut weights = [0u64; 12];
        for w in &mut weights {
            *w = rng.between(0, 10);
        }
        weights[0] += 1; // always some client traffic
        weights[2] += weights[1].div_ceil(2); // restarts follow crashes
        FaultMix { weights, max_gap_ms: rng.between(20, 400), max_down_ms: rng.between(1, 300) }
    }

    fn pick(&self, rng: &mut Prng) -> usize {
        let total: u64 = self.weights.iter().sum();
        let mut x = rng.below(total);
        for (i, w) in self.weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        0
    }
}

/// A fault the swarm applies later, between two interventions: `Crash` only if the node is up
/// then, `Restart` only if it is down.
#[derive(Clone, Copy, Debug)]
enum Later {
    Crash(NodeId),
    Restart(NodeId),
}

/// One random intervention for the safety phase: the actions to apply now, in order. A bounce
/// also schedules faults for later in `later`.
fn random_actions<P: Protocol>(
    rng: &mut Prng,
    mix: &FaultMix,
    world: &World<P>,
    later: &mut Vec<(Instant, Later)>,
) -> Vec<Action<P::Node>> {
    let size = world.cluster().size();
    let node = random_node(rng, size);
    let action = match mix.pick(rng) {
        0 => Action::Request { node, command: P::random_command(rng) },
        1 => Action::Crash(node),
        2 => {
            let down: Vec<NodeId> = world.cluster().ids().filter(|id| !world.is_up(*id)).collect();
            match down.len() {
                0 => Action::FireTimer(node, P::timeout_timer()),
                n => Action::Restart(down[rng.below(n as u64) as usize]),
            }
        }
        3 => {
            let mut ids: Vec<NodeId> = world.cluster().ids().collect();
            for i in (1..ids.len()).rev() {
                ids.swap(i, rng.below(i as u64 + 1) as usize);
            }
            let cut = rng.between(1, u64::from(size) - 1) as usize;
            let rest = ids.split_off(cut);
            Action::Partition(alloc::vec![ids, rest])
        }
        4 => Action::Heal,
        5 => Action::Cut(node, random_node(rng, size)),
        6 => Action::FireTimer(node, P::timeout_timer()),
        7 => {
            let mut net = world.net();
            net.loss = rng.between(0, 300) as u16;
            Action::SetNet(net)
        }
        8 => Action::Crash(P::client_target(world).unwrap_or(node)),
        9 => {
            // Half the time the leader, else anyone; often back within one election timeout.
            let target = if rng.below(2) == 0 { P::client_target(world).unwrap_or(node) } else { node };
            if world.is_up(target) {
                let down = Duration::from_millis(rng.between(1, mix.max_down_ms));
                later.push((world.now() + down, Later::Restart(target)));
            }
            Action::Crash(target)
        }
        10 => {
            // Two nodes time out at once: competing candidates (or proposers) in one round.
            let other = NodeId((node.0 % size) + 1);
            if rng.below(2) == 0 {
                // ...and a third node bounces while their requests are in flight: it may answer
                // one before it goes down and the other after it is back.
                let net = world.net();
                let lo = net.latency_min.as_millis().max(1);
                let hi = net.latency_max.as_millis().max(lo);
                let crash_at = world.now() + Duration::from_millis(rng.between(lo, hi));
                let back_at = crash_at + Duration::from_millis(rng.between(1, hi - lo + 1));
                // Clusters have at least 3 nodes (see `seed_config`): a third one exists.
                let third = NodeId(((node.0 + rng.between(1, u64::from(size) - 2) as u8) % size) + 1);
                later.push((crash_at, Later::Crash(third)));
                later.push((back_at, Later::Restart(third)));
            }
            return alloc::vec![
                Action::FireTimer(node, P::timeout_timer()),
                Action::FireTimer(other, P::timeout_timer()),
            ];
        }
        _ => {
            // The leader (or else a random node) cut off in a minority, where it may go on
            // taking requests that never commit.
            let target = P::client_target(world).unwrap_or(node);
            let mut others: Vec<NodeId> = world.cluster().ids().filter(|id| *id != target).collect();
            for i in (1..others.len()).rev() {
                others.swap(i, rng.below(i as u64 + 1) as usize);
            }
            let extra = rng.below(u64::from((size - 1) / 2)) as usize;
            let mut minority = others.split_off(others.len() - extra);
            minority.push(target);
            // ...and a client that still talks to it.
            let mut actions = alloc::vec![Action::Partition(alloc::vec![minority, others])];
            for _ in 0..rng.between(0, 3) {
                actions.push(Action::Request { node: target, command: P::random_command(rng) });
            }
            return actions;
        }
    };
    alloc::vec![action]
}

/// Most events a seed's liveness phase may process: its bound is virtual time, and virtual
/// time alone does not bound work (see [`crate::scenario::MAX_SCENARIO_EVENTS`]).
pub const LIVENESS_EVENTS: u64 = 2_000_000;

/// Runs one seed through both phases.
pub fn run_seed<P: Protocol>(seed: u64, options: &SwarmOptions) -> Result<SeedReport, String> {
    let config = seed_config::<P>(seed, options)?;
    let mut faults = Prng::new(seed ^ 0xfa17_fa17_fa17_fa17);
    let mix = FaultMix::draw(&mut faults);
    let mut world = World::new(config);

    // Safety phase: faults at random moments, until `steps` events have happened.
    // Bounded by events and, for seeds where everything is down, by interventions.
    let mut later: Vec<(Instant, Later)> = Vec::new();
    let mut next_at = world.now() + Duration::from_millis(faults.between(1, mix.max_gap_ms));
    while world.events() < options.steps
        && (world.history().len() as u64) < options.steps
        && world.violations().is_empty()
    {
        // Scheduled faults due before the next intervention happen first, earliest first.
        let due = later.iter().enumerate().min_by_key(|(_, (t, _))| *t).map(|(i, (t, _))| (i, *t));
        if let Some((i, t)) = due.filter(|(_, t)| *t <= next_at) {
            world.run_to(t, options.steps);
            if world.events() >= options.steps {
                break;
            }
            match later.remove(i).1 {
                Later::Crash(id) if world.is_up(id) => world.act(Action::Crash(id)),
                Later::Restart(id) if !world.is_up(id) => world.act(Action::Restart(id)),
                _ => {}
            }
            continue;
        }
        world.run_to(next_at, options.steps);
        if world.events() >= options.steps {
            break;
        }
        for action in random_actions(&mut faults, &mix, &world, &mut later) {
            world.act(action);
        }
        next_at = world.now() + Duration::from_millis(faults.between(1, mix.max_gap_ms));
    }

    // Liveness phase: heal, stop losing messages, keep only the survivors up (a bare majority
    // by default; the rest crash or stay down); require progress.
    let mut liveness_failure = None;
    let mut survivors = Vec::new();
    if world.violations().is_empty() {
        world.act(Action::Heal);
        let mut net = world.net();
        net.loss = 0;
        net.duplicate = 0;
        net.reorder = 0;
        world.act(Action::SetNet(net));
        survivors = P::liveness_survivors(world.cluster(), &mut faults);
        for id in world.cluster().ids() {
            match (survivors.contains(&id), world.is_up(id)) {
                (true, false) => world.act(Action::Restart(id)),
                (false, true) => world.act(Action::Crash(id)),
                _ => {}
            }
        }
        let start = world.now();
        let before = P::progress(&world);
        let deadline = start + options.liveness_bound;
        world.set_event_limit(world.events().saturating_add(LIVENESS_EVENTS));
        let mut ok = false;
        while world.now() < deadline && world.violations().is_empty() {
            world.run_for(Duration::from_millis(100));
            if P::progress(&world) > before {
                ok = true;
                break;
            }
            if world.out_of_events() {
                liveness_failure = Some(format!(
                    "the liveness phase processed {LIVENESS_EVENTS} events by {} without progress",
                    world.now()
                ));
                break;
            }
            if let Some(target) = P::client_target(&world) {
                let command = P::random_command(&mut faults);
                world.act(Action::Request { node: target, command });
            }
        }
        if !ok && world.violations().is_empty() && liveness_failure.is_none() {
            liveness_failure = Some(format!(
                "no progress within {} after healing with {} up (client target: {:?}, progress {} → {})",
                options.liveness_bound,
                survivors.iter().map(|id| alloc::format!("{id}")).collect::<Vec<_>>().join(", "),
                P::client_target(&world),
                before,
                P::progress(&world)
            ));
        }
    }

    Ok(SeedReport {
        seed,
        cluster_size: world.cluster().size(),
        events: world.events(),
        interventions: world.history().len(),
        violations: world.violations().to_vec(),
        liveness_failure,
        survivors,
        ended_at: world.now(),
    })
}
