//! Basic (single-decree) Paxos under the simulator: defaults, bugs, commands and scenario
//! expectations.
//!
//! Every node is proposer, acceptor and learner; a client command makes the node it reaches
//! propose that value. There is no leader ([`Protocol::leader`] is `None`): clients go to the
//! lowest-numbered live node ([`Protocol::client_target`]). A `timeout N` line fires S`N`'s
//! `Round` timer: its round in progress gives up and backs off.
//!
//! **Progress.** Single-decree Paxos decides once, so "a value was chosen" cannot keep growing
//! across a swarm's safety and liveness phases. What does grow in a healthy cluster is the
//! ballot in which values are (re-)chosen: every client command starts a new round above every
//! ballot its proposer has seen, and that round succeeds — choosing the same value again — only
//! if a majority promises and accepts it. [`Protocol::progress`] is therefore the highest round
//! of a ballot some live learner saw accepted by a majority (0 before anything is chosen).
//!
//! Expectations understood after `expect` (`V` is a command such as `x=5`; `B` a ballot such as
//! `3.1`; nodes are `2` or `S2`):
//!
//! | words | holds when |
//! |---|---|
//! | `chosen V` | some live node learned `V`, or a majority of the cluster's acceptors that are live hold one ballot with `V` |
//! | `chosen none` | neither: no live node learned anything, no ballot is held by a majority of live acceptors |
//! | `learned N V` / `learned N none` | S`N` learned `V` / nothing |
//! | `learned all V` | every live node learned `V` |
//! | `promised N B` / `promised N >= B` | S`N`'s promise is `B` / at least `B` |
//! | `accepted N B V` / `accepted N none` | S`N`'s acceptor accepted `V` in ballot `B` / nothing |
//! | `phase N idle\|prepare\|accept\|backoff` | S`N`'s proposer is in that phase |
//!
//! Probes (`expect NAME ARGS = VALUE`; `ballot probes paxos`): `promised N`, `accepted N`
//! (`BALLOT VALUE` or `none`), `learned N`, `chosen`, `phase N`, `ballot N`, `promises N`, `accepts N`.

use crate::check::{Allow, Bounds};
use crate::protocol::{expect_node, live};
use crate::protocol::{one_arg, probe_live, Probe, Protocol, Value};
use crate::world::World;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use ballot_core::{Cluster, Command, Node, NodeId, Prng, VecMap};
use ballot_paxos::basic::{PaxosChecker, PaxosConfig, PaxosNode, PaxosTimer, Phase};
use ballot_paxos::{Ballot, PaxosBug};

/// Basic Paxos (Lamport, "Paxos Made Simple", §2).
#[derive(Clone, Copy, Debug)]
pub struct Paxos;

/// Basic Paxos's probes (`expect NAME ARGS = VALUE`).
const PROBES: &[Probe] = &[
    Probe {
        name: "promised",
        args: "N",
        doc: "acceptor N's promise: the highest ballot it answered (0.0 if none)",
    },
    Probe {
        name: "accepted",
        args: "N",
        doc: "acceptor N's accepted proposal, `BALLOT VALUE` (3.1 x=5), or none",
    },
    Probe { name: "learned", args: "N", doc: "the value learner N learned, or none" },
    Probe {
        name: "chosen",
        args: "",
        doc: "the value chosen: learned by a live node or held by a majority in one ballot; or none",
    },
    Probe { name: "phase", args: "N", doc: "proposer N's phase: idle, prepare, accept or backoff" },
    Probe { name: "ballot", args: "N", doc: "the ballot of proposer N's round in progress, or none" },
    Probe { name: "promises", args: "N", doc: "how many promises proposer N's round has (its own included)" },
    Probe {
        name: "accepts",
        args: "N",
        doc: "how many acceptances proposer N's round has (its own included)",
    },
];

/// A ballot (compared as one), or the text `none`.
pub(crate) fn ballot_or_none(b: Option<Ballot>) -> Value {
    b.map_or_else(|| Value::Text(String::from("none")), Value::Ballot)
}

/// `V` as text, or `none`.
pub(crate) fn text_or_none(v: Option<impl core::fmt::Display>) -> Value {
    Value::Text(v.map_or_else(|| String::from("none"), |v| v.to_string()))
}

/// Parses `3.1` (a ballot).
pub(crate) fn parse_ballot(s: &str) -> Result<Ballot, String> {
    Ballot::parse(s).ok_or_else(|| format!("`{s}` is not a ballot (write ROUND.NODE, e.g. 3.1)"))
}

/// Parses a command as scenarios write it (`x=5`, `"set x 5"`, `noop` or `no-op`).
pub(crate) fn parse_value(text: &str) -> Result<Command, String> {
    let text = text.trim().trim_matches('"');
    if text == "no-op" {
        return Ok(Command::Noop);
    }
    Command::parse(text).map_err(|e| e.to_string())
}

/// Like [`compare_number`], for ballots.
pub(crate) fn compare_ballot(words: &[&str], actual: Ballot, what: &str) -> Result<(), String> {
    let (ok, wanted) = match words {
        [">=", b] => (actual >= parse_ballot(b)?, format!(">= {b}")),
        [b] => (actual == parse_ballot(b)?, b.to_string()),
        _ => return Err(format!("expected a ballot or `>= B` for {what}")),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{what} is {actual}, expected {wanted}"))
    }
}

/// A random client command (the same workload as Raft's).
pub(crate) fn random_kv_command(rng: &mut Prng) -> Command {
    Command::random(rng, true)
}

/// The values held by a majority of the cluster's acceptors (among the live ones) in one
/// ballot, and the values live learners learned.
fn chosen_values(world: &World<Paxos>) -> alloc::vec::Vec<Command> {
    let mut held: VecMap<(Ballot, &Command), u8> = VecMap::new();
    for n in live(world) {
        if let Some((b, v)) = n.accepted() {
            *held.get_or_insert_with((*b, v), || 0) += 1;
        }
    }
    let majority = world.cluster().majority();
    let mut values: alloc::vec::Vec<Command> =
        held.into_iter().filter(|(_, count)| *count >= majority).map(|((_, v), _)| v.clone()).collect();
    values.extend(live(world).filter_map(|n| n.chosen().cloned()));
    values.sort_unstable(); // equal values are identical: order among them does not matter
    values.dedup();
    values
}

impl Protocol for Paxos {
    type Node = PaxosNode;
    type Command = Command;
    type Checker = PaxosChecker;
    const NAME: &'static str = "paxos";

    fn checker(cluster: Cluster) -> PaxosChecker {
        PaxosChecker::new(cluster)
    }

    fn default_config() -> PaxosConfig {
        PaxosConfig::default()
    }

    fn bug_names() -> &'static [&'static str] {
        // Kept in step with `PaxosBug::ALL` by the test below.
        &["ignore-promised-values", "accept-below-promise", "promise-before-persist"]
    }

    fn bug_property(name: &str) -> Option<&'static str> {
        PaxosBug::parse(name).map(PaxosBug::property)
    }

    fn set_bug(config: &mut PaxosConfig, name: &str) -> Result<(), String> {
        config.bug = crate::protocol::parse_bug(name, Self::bug_names(), PaxosBug::parse)?;
        Ok(())
    }

    fn configure(config: &mut PaxosConfig, key: &str, value: &str) -> Result<(), String> {
        let mut next = config.clone();
        match key {
            "backoff" => {
                next.backoff = match value {
                    "on" | "true" | "yes" => true,
                    "off" | "false" | "no" => false,
                    _ => return Err(format!("`backoff` is `on` or `off`, not `{value}`")),
                }
            }
            "round-timeout" => next.round_timeout = crate::scenario::parse_duration(value)?,
            "retry" => {
                let (lo, hi) = crate::scenario::parse_range(value)?;
                next.retry_delay_min = lo;
                next.retry_delay_max = hi;
            }
            _ => return Err(format!("unknown Paxos parameter `{key}` (backoff, round-timeout, retry)")),
        }
        next.validate().map_err(|e| e.to_string())?;
        *config = next;
        Ok(())
    }

    fn bug_of(config: &PaxosConfig) -> Option<&'static str> {
        config.bug.map(PaxosBug::name)
    }

    fn config_pairs(config: &PaxosConfig) -> Vec<(&'static str, String)> {
        let d = PaxosConfig::default();
        let mut pairs = Vec::new();
        if config.backoff != d.backoff {
            pairs.push(("backoff", String::from(if config.backoff { "on" } else { "off" })));
        }
        if config.round_timeout != d.round_timeout {
            pairs.push(("round-timeout", format!("{}us", config.round_timeout.micros)));
        }
        if (config.retry_delay_min, config.retry_delay_max) != (d.retry_delay_min, d.retry_delay_max) {
            pairs.push((
                "retry",
                format!("{}..{}us", config.retry_delay_min.micros, config.retry_delay_max.micros),
            ));
        }
        pairs
    }

    fn annotate(
        note: &ballot_paxos::basic::PaxosNote,
        lang: ballot_core::Lang,
    ) -> Option<(NodeId, crate::diagram::MarkKind)> {
        let zh = lang == ballot_core::Lang::Zh;
        use crate::diagram::MarkKind;
        use ballot_paxos::basic::PaxosEvent;
        let kind = match &note.event {
            PaxosEvent::RoundStarted { ballot, .. } if zh => MarkKind::Role(format!("准备 {ballot}")),
            PaxosEvent::RoundStarted { ballot, .. } => MarkKind::Role(format!("prepare {ballot}")),
            PaxosEvent::PhaseTwo { ballot, .. } if zh => MarkKind::Role(format!("接受 {ballot}")),
            PaxosEvent::PhaseTwo { ballot, .. } => MarkKind::Role(format!("accept {ballot}")),
            PaxosEvent::Learned { value, .. } if zh => MarkKind::Commit(format!("选定 {value}")),
            PaxosEvent::Learned { value, .. } => MarkKind::Commit(format!("chosen {value}")),
            _ => return None,
        };
        Some((note.node, kind))
    }

    fn parse_command(text: &str) -> Result<Command, String> {
        Command::parse(text).map_err(|e| e.to_string())
    }

    fn random_command(rng: &mut Prng) -> Command {
        random_kv_command(rng)
    }

    fn timeout_timer() -> PaxosTimer {
        PaxosTimer::Round
    }

    fn timers() -> &'static [PaxosTimer] {
        &[PaxosTimer::Round, PaxosTimer::Retry]
    }

    /// Rounds 1..2, one request, three messages in flight for a timer to fire; the bugs get two
    /// requests (two proposers, two values; too many states for seconds when correct).
    fn check_defaults(bug: Option<&str>) -> (Bounds, Allow) {
        let requests = if bug.is_some() { 2 } else { 1 };
        let bounds = Bounds { max_term: 2, max_requests: requests, max_in_flight: 3, ..Bounds::default() };
        (bounds, Allow { timers: true, ..Allow::NONE })
    }

    /// The highest round a live node promised or proposes in.
    fn check_term(world: &World<Paxos>) -> u64 {
        live(world).map(|n| n.promised().round.max(n.ballot().map_or(0, |b| b.round))).max().unwrap_or(0)
    }

    /// Basic Paxos has no leader.
    fn leader(_world: &World<Paxos>) -> Option<NodeId> {
        None
    }

    /// Any node can propose; clients use the lowest-numbered live one.
    fn client_target(world: &World<Paxos>) -> Option<NodeId> {
        live(world).map(Node::id).min()
    }

    /// A proposal to the lowest live node and, one time in three, a competing proposal to the
    /// highest at the same instant: dueling proposers (and, once a value is chosen, a late
    /// proposer that must adopt it).
    fn workload(world: &World<Paxos>, rng: &mut Prng) -> Vec<crate::Action<PaxosNode>> {
        let mut actions: Vec<crate::Action<PaxosNode>> = Self::client_target(world)
            .map(|node| crate::Action::Request { node, command: random_kv_command(rng) })
            .into_iter()
            .collect();
        let rival = live(world).map(Node::id).max();
        if rng.below(3) == 0 && rival != Self::client_target(world) {
            actions
                .extend(rival.map(|node| crate::Action::Request { node, command: random_kv_command(rng) }));
        }
        actions
    }

    /// The highest round of a ballot a live learner saw accepted by a majority (see the module
    /// docs).
    fn progress(world: &World<Paxos>) -> u64 {
        live(world).filter_map(|n| n.learned().map(|(b, _)| b.round)).max().unwrap_or(0)
    }

    fn probes() -> &'static [Probe] {
        PROBES
    }

    fn probe(world: &World<Paxos>, name: &str, args: &[&str]) -> Result<Value, String> {
        if name == "chosen" {
            if !args.is_empty() {
                return Err(String::from("write `chosen = VALUE` (no node: it is the cluster's)"));
            }
            let values = chosen_values(world);
            let text: Vec<String> = values.iter().map(ToString::to_string).collect();
            return Ok(Value::Text(if text.is_empty() { String::from("none") } else { text.join(", ") }));
        }
        let shape = PROBES.iter().find(|p| p.name == name).map_or("", |p| p.args);
        let n = probe_live(world, one_arg(name, args, shape)?)?;
        match name {
            "promised" => Ok(Value::Ballot(n.promised())),
            "accepted" => Ok(text_or_none(n.accepted().map(|(b, v)| format!("{b} {v}")))),
            "learned" => Ok(text_or_none(n.chosen())),
            "phase" => Ok(Value::Text(n.phase().as_str().to_string())),
            "ballot" => Ok(ballot_or_none(n.ballot())),
            "promises" => Ok(Value::Num(n.promise_count().into())),
            "accepts" => Ok(Value::Num(n.accept_count().into())),
            _ => Err(format!("Paxos has no probe `{name}`")),
        }
    }

    fn expect(world: &World<Paxos>, words: &[&str]) -> Result<(), String> {
        match words {
            ["chosen", "none"] => match chosen_values(world).first() {
                None => Ok(()),
                Some(v) => Err(format!("{v} is chosen")),
            },
            ["chosen", value @ ..] if !value.is_empty() => {
                let want = parse_value(&value.join(" "))?;
                let values = chosen_values(world);
                if values.contains(&want) {
                    Ok(())
                } else {
                    Err(format!("{want} is not chosen (chosen: {values:?})"))
                }
            }
            ["learned", "all", value @ ..] if !value.is_empty() => {
                let want = parse_value(&value.join(" "))?;
                match live(world).find(|n| n.chosen() != Some(&want)) {
                    None => Ok(()),
                    Some(n) => Err(format!("{} learned {:?}", n.id(), n.chosen())),
                }
            }
            ["learned", n, "none"] => match expect_node(world, n)?.chosen() {
                None => Ok(()),
                Some(v) => Err(format!("it learned {v}")),
            },
            ["learned", n, value @ ..] if !value.is_empty() => {
                let want = parse_value(&value.join(" "))?;
                match expect_node(world, n)?.chosen() {
                    Some(v) if *v == want => Ok(()),
                    other => Err(format!("it learned {other:?}")),
                }
            }
            ["promised", n, cmp @ ..] => {
                compare_ballot(cmp, expect_node(world, n)?.promised(), "the promise")
            }
            ["accepted", n, "none"] => match expect_node(world, n)?.accepted() {
                None => Ok(()),
                Some((b, v)) => Err(format!("it accepted {v} in {b}")),
            },
            ["accepted", n, ballot, value @ ..] if !value.is_empty() => {
                let want = (parse_ballot(ballot)?, parse_value(&value.join(" "))?);
                match expect_node(world, n)?.accepted() {
                    Some(got) if *got == want => Ok(()),
                    Some((b, v)) => Err(format!("it accepted {v} in {b}")),
                    None => Err(String::from("it accepted nothing")),
                }
            }
            ["phase", n, phase] => {
                let want = Phase::parse(phase).ok_or("phases are idle, prepare, accept and backoff")?;
                let actual = expect_node(world, n)?.phase();
                if actual == want {
                    Ok(())
                } else {
                    Err(format!("its proposer is in phase {}", actual.as_str()))
                }
            }
            _ => Err(String::from("unknown Paxos expectation (chosen, learned, promised, accepted, phase)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn bug_names_match_the_paxos_crate() {
        let names: Vec<&str> = PaxosBug::ALL.iter().map(|b| b.name()).collect();
        assert_eq!(names, Paxos::bug_names());
    }

    #[test]
    fn configure_reads_backoff_and_timeouts() {
        let mut c = Paxos::default_config();
        Paxos::configure(&mut c, "backoff", "off").unwrap();
        assert!(!c.backoff);
        Paxos::configure(&mut c, "retry", "5..50ms").unwrap();
        assert_eq!(c.retry_delay_max, ballot_core::Duration::from_millis(50));
        assert!(Paxos::configure(&mut c, "backoff", "maybe").is_err());
        assert!(Paxos::configure(&mut c, "round-timeout", "0ms").is_err());
        assert!(Paxos::configure(&mut c, "speed", "1").is_err());
    }
}
