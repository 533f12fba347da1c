//! Multi-Paxos under the simulator: defaults, bugs, commands and scenario expectations.
//!
//! The leader is the live node that believes it leads with the highest ballot; clients go to it
//! (non-leaders refuse with a hint and the client follows it). A `timeout N` line fires S`N`'s
//! election timer: it runs phase 1 with a higher ballot. [`Protocol::progress`] is the highest
//! chosen prefix applied by a live node.
//!
//! Expectations understood after `expect` (`V` is a command such as `x=5` or `no-op`; `B` a
//! ballot such as `3.1`; nodes are `2` or `S2`):
//!
//! | words | holds when |
//! |---|---|
//! | `leader any` / `leader none` / `leader N` | a live leader exists / none does / S`N` is the live leader with the highest ballot |
//! | … `ballot >= B` / `ballot B` | and that leader's ballot is at least / exactly `B` |
//! | `role N follower\|candidate\|leader` | S`N` is up and has that role |
//! | `slot S chosen V` / `slot S chosen none` | some live node learned `V` for slot `S` / no live node learned anything there |
//! | `slot S chosen on all V` | every live node learned `V` for slot `S` |
//! | `applied all len K` / `applied N len K` (or `len >= K`) | every live node / S`N` applied exactly (at least) `K` slots |
//! | `applied equal` | every live node applied the same sequence |
//! | `kv N KEY VALUE` / `kv N KEY none` | S`N`'s state machine maps `KEY` to `VALUE` / has no `KEY` |
//! | `accepted N S B V` / `accepted N S none` | S`N`'s acceptor holds `V` in ballot `B` for slot `S` / nothing there |
//! | `promised N B` / `promised N >= B` | S`N`'s promise |
//!
//! Probes (`expect NAME ARGS = VALUE`; `ballot probes multipaxos`): `promised N`, `accepted N SLOT`,
//! `decided N SLOT`, `chosen SLOT`, `role N`, `ballot N`, `leader-hint N`, `applied N`,
//! `first-unchosen N`, `promises N`.

use crate::check::{Allow, Bounds};
use crate::protocol::{compare_number, expect_node, live};
use crate::protocol::{one_arg, probe_live, Probe, Protocol, Value};
use crate::protocols::paxos::{
    ballot_or_none, compare_ballot, parse_ballot, parse_value, random_kv_command, text_or_none,
};
use crate::world::World;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use ballot_core::{Cluster, Command, Node, NodeId, Prng};
use ballot_paxos::multi::{MultiPaxosChecker, MultiPaxosConfig, MultiPaxosNode, MultiTimer};
use ballot_paxos::PaxosBug;

/// Multi-Paxos (Lamport, "Paxos Made Simple", §3).
#[derive(Clone, Copy, Debug)]
pub struct MultiPaxos;

/// Multi-Paxos's probes (`expect NAME ARGS = VALUE`).
const PROBES: &[Probe] = &[
    Probe {
        name: "promised",
        args: "N",
        doc: "acceptor N's promise: the highest ballot it answered (0.0 if none)",
    },
    Probe {
        name: "accepted",
        args: "N SLOT",
        doc: "what acceptor N holds for SLOT, `BALLOT VALUE` (3.1 x=5), or none",
    },
    Probe { name: "decided", args: "N SLOT", doc: "the value N learned was chosen for SLOT, or none" },
    Probe { name: "chosen", args: "SLOT", doc: "the value some live node learned for SLOT, or none" },
    Probe { name: "role", args: "N", doc: "follower, candidate or leader" },
    Probe { name: "ballot", args: "N", doc: "the ballot N leads or campaigns with, or none" },
    Probe { name: "leader-hint", args: "N", doc: "who N believes leads (itself when leading), or none" },
    Probe { name: "applied", args: "N", doc: "how many slots N has applied, in order" },
    Probe { name: "first-unchosen", args: "N", doc: "the lowest slot N does not know to be chosen" },
    Probe { name: "promises", args: "N", doc: "how many promises candidate N has (its own included)" },
];

fn parse_slot(s: &str) -> Result<u64, String> {
    s.parse().map_err(|_| format!("`{s}` is not a slot number"))
}

fn applied_sequence(n: &MultiPaxosNode) -> Vec<&Command> {
    n.applied_commands().map(|(_, c)| c).collect()
}

impl Protocol for MultiPaxos {
    type Node = MultiPaxosNode;
    type Command = Command;
    type Checker = MultiPaxosChecker;
    const NAME: &'static str = "multipaxos";

    fn checker(cluster: Cluster) -> MultiPaxosChecker {
        MultiPaxosChecker::new(cluster)
    }

    fn default_config() -> MultiPaxosConfig {
        MultiPaxosConfig::default()
    }

    fn bug_names() -> &'static [&'static str] {
        // Kept in step with `PaxosBug::ALL` by the test below.
        &["ignore-promised-values", "accept-below-promise", "promise-before-persist"]
    }

    fn bug_property(name: &str) -> Option<&'static str> {
        PaxosBug::parse(name).map(PaxosBug::property)
    }

    fn set_bug(config: &mut MultiPaxosConfig, name: &str) -> Result<(), String> {
        config.bug = crate::protocol::parse_bug(name, Self::bug_names(), PaxosBug::parse)?;
        Ok(())
    }

    fn configure(config: &mut MultiPaxosConfig, key: &str, value: &str) -> Result<(), String> {
        let mut next = config.clone();
        let count = |v: &str| v.parse::<u32>().map_err(|_| format!("`{v}` is not a count"));
        match key {
            "election-timeout" => {
                let (lo, hi) = crate::scenario::parse_range(value)?;
                next.election_timeout_min = lo;
                next.election_timeout_max = hi;
            }
            "heartbeat" => next.heartbeat_interval = crate::scenario::parse_duration(value)?,
            "max-decide" => next.max_values_per_decide = count(value)?,
            "recovery-window" => next.max_recovery_in_flight = count(value)?,
            _ => {
                return Err(format!(
                    "unknown Multi-Paxos parameter `{key}` (election-timeout, heartbeat, max-decide, recovery-window)"
                ))
            }
        }
        next.validate().map_err(|e| e.to_string())?;
        *config = next;
        Ok(())
    }

    fn bug_of(config: &MultiPaxosConfig) -> Option<&'static str> {
        config.bug.map(PaxosBug::name)
    }

    fn config_pairs(config: &MultiPaxosConfig) -> Vec<(&'static str, String)> {
        let d = MultiPaxosConfig::default();
        let mut pairs = Vec::new();
        if (config.election_timeout_min, config.election_timeout_max)
            != (d.election_timeout_min, d.election_timeout_max)
        {
            pairs.push((
                "election-timeout",
                format!("{}..{}us", config.election_timeout_min.micros, config.election_timeout_max.micros),
            ));
        }
        if config.heartbeat_interval != d.heartbeat_interval {
            pairs.push(("heartbeat", format!("{}us", config.heartbeat_interval.micros)));
        }
        if config.max_values_per_decide != d.max_values_per_decide {
            pairs.push(("max-decide", config.max_values_per_decide.to_string()));
        }
        if config.max_recovery_in_flight != d.max_recovery_in_flight {
            pairs.push(("recovery-window", config.max_recovery_in_flight.to_string()));
        }
        pairs
    }

    fn annotate(
        note: &ballot_paxos::multi::MultiNote,
        lang: ballot_core::Lang,
    ) -> Option<(NodeId, crate::diagram::MarkKind)> {
        let zh = lang == ballot_core::Lang::Zh;
        use crate::diagram::MarkKind;
        use ballot_paxos::multi::MultiEvent;
        let kind = match &note.event {
            MultiEvent::BecameLeader { ballot, .. } if zh => MarkKind::Role(format!("领导者 {ballot}")),
            MultiEvent::BecameLeader { ballot, .. } => MarkKind::Role(format!("leader {ballot}")),
            MultiEvent::Chosen { slot, value } if zh => MarkKind::Commit(format!("槽位 {slot} = {value}")),
            MultiEvent::Chosen { slot, value } => MarkKind::Commit(format!("slot {slot} = {value}")),
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

    fn timeout_timer() -> MultiTimer {
        MultiTimer::Election
    }

    fn timers() -> &'static [MultiTimer] {
        &[MultiTimer::Election, MultiTimer::Heartbeat]
    }

    /// Round 1, one request, two messages in flight for a timer to fire; the bugs get rounds
    /// 1..2, three messages in flight, and two requests for `ignore-promised-values`.
    fn check_defaults(bug: Option<&str>) -> (Bounds, Allow) {
        let timers = Allow { timers: true, ..Allow::NONE };
        let base = Bounds { max_term: 1, max_requests: 1, max_in_flight: 2, ..Bounds::default() };
        match bug {
            Some("ignore-promised-values") => {
                (Bounds { max_term: 2, max_requests: 2, max_in_flight: 3, ..base }, timers)
            }
            Some(_) => (Bounds { max_term: 2, max_in_flight: 3, ..base }, timers),
            None => (base, timers),
        }
    }

    /// The highest round a live node promised or leads (or campaigns) in.
    fn check_term(world: &World<MultiPaxos>) -> u64 {
        live(world).map(|n| n.promised().round.max(n.ballot().map_or(0, |b| b.round))).max().unwrap_or(0)
    }

    fn leader(world: &World<MultiPaxos>) -> Option<NodeId> {
        live(world).filter(|n| n.is_leader()).max_by_key(|n| n.ballot()).map(Node::id)
    }

    fn progress(world: &World<MultiPaxos>) -> u64 {
        live(world).map(MultiPaxosNode::applied).max().unwrap_or(0)
    }

    fn probes() -> &'static [Probe] {
        PROBES
    }

    fn probe(world: &World<MultiPaxos>, name: &str, args: &[&str]) -> Result<Value, String> {
        let shape = PROBES.iter().find(|p| p.name == name).map_or("", |p| p.args);
        match (name, args) {
            ("chosen", [s]) => {
                let slot = parse_slot(s)?;
                Ok(text_or_none(live(world).find_map(|n| n.chosen_at(slot))))
            }
            ("accepted" | "decided", [n, s]) => {
                let (n, slot) = (probe_live(world, n)?, parse_slot(s)?);
                Ok(if name == "accepted" {
                    text_or_none(n.accepted_at(slot).map(|(b, v)| format!("{b} {v}")))
                } else {
                    text_or_none(n.chosen_at(slot))
                })
            }
            ("chosen" | "accepted" | "decided", _) => Err(format!("write `{name} {shape} = VALUE`")),
            _ => {
                let n = probe_live(world, one_arg(name, args, shape)?)?;
                match name {
                    "promised" => Ok(Value::Ballot(n.promised())),
                    "role" => Ok(Value::Text(n.role_name().as_str().to_string())),
                    "ballot" => Ok(ballot_or_none(n.ballot())),
                    "leader-hint" => Ok(Value::Node(n.leader_hint())),
                    "applied" => Ok(Value::Num(n.applied())),
                    "first-unchosen" => Ok(Value::Num(n.first_unchosen())),
                    "promises" => n.promises().map(|p| Value::Num(p.count().into())).ok_or_else(|| {
                        format!("{} is not a candidate: it is a {}", n.id(), n.role_name().as_str())
                    }),
                    _ => Err(format!("Multi-Paxos has no probe `{name}`")),
                }
            }
        }
    }

    fn expect(world: &World<MultiPaxos>, words: &[&str]) -> Result<(), String> {
        match words {
            ["leader", who, rest @ ..] => {
                let leader = Self::leader(world);
                match (*who, leader) {
                    ("none", None) => return Ok(()),
                    ("none", Some(l)) => return Err(format!("{l} leads")),
                    (_, None) => return Err(String::from("there is no leader")),
                    ("any", Some(_)) => {}
                    (id, Some(l)) => {
                        let want = crate::scenario::parse_node(id)?;
                        if want != l {
                            return Err(format!("{l} leads, not {want}"));
                        }
                    }
                }
                let l = leader.and_then(|id| world.node(id)).ok_or("no leader")?;
                match rest {
                    [] => Ok(()),
                    ["ballot", cmp @ ..] => {
                        compare_ballot(cmp, l.ballot().unwrap_or_default(), "the leader's ballot")
                    }
                    _ => Err(String::from("expected `ballot B` or `ballot >= B` after the leader")),
                }
            }
            ["role", n, role] => {
                let actual = expect_node(world, n)?.role_name().as_str();
                if actual == *role {
                    Ok(())
                } else {
                    Err(format!("it is a {actual}"))
                }
            }
            ["slot", s, "chosen", "none"] => {
                let slot = parse_slot(s)?;
                match live(world).find_map(|n| n.chosen_at(slot)) {
                    None => Ok(()),
                    Some(v) => Err(format!("{v} is chosen for slot {slot}")),
                }
            }
            ["slot", s, "chosen", "on", "all", value @ ..] if !value.is_empty() => {
                let (slot, want) = (parse_slot(s)?, parse_value(&value.join(" "))?);
                match live(world).find(|n| n.chosen_at(slot) != Some(&want)) {
                    None => Ok(()),
                    Some(n) => Err(format!("{} knows {:?} for slot {slot}", n.id(), n.chosen_at(slot))),
                }
            }
            ["slot", s, "chosen", value @ ..] if !value.is_empty() => {
                let (slot, want) = (parse_slot(s)?, parse_value(&value.join(" "))?);
                let known: Vec<&Command> = live(world).filter_map(|n| n.chosen_at(slot)).collect();
                if known.contains(&&want) {
                    Ok(())
                } else {
                    Err(format!("slot {slot}: live nodes know {known:?}"))
                }
            }
            ["applied", "all", "len", cmp @ ..] => {
                for n in live(world) {
                    compare_number(cmp, n.applied(), &format!("{}'s applied length", n.id()))?;
                }
                Ok(())
            }
            ["applied", "equal"] => {
                let mut nodes = live(world);
                let first = nodes.next().ok_or("every node is down")?;
                match nodes.find(|n| applied_sequence(n) != applied_sequence(first)) {
                    None => Ok(()),
                    Some(n) => Err(format!(
                        "{} applied {} slots and {} applied {} slots, not the same sequence",
                        first.id(),
                        first.applied(),
                        n.id(),
                        n.applied()
                    )),
                }
            }
            ["applied", n, "len", cmp @ ..] => {
                compare_number(cmp, expect_node(world, n)?.applied(), "the applied length")
            }
            ["kv", n, key, "none"] => match expect_node(world, n)?.kv().get(key) {
                None => Ok(()),
                Some(v) => Err(format!("{key} is {v}")),
            },
            ["kv", n, key, value] => match expect_node(world, n)?.kv().get(key) {
                Some(v) if v == *value => Ok(()),
                other => Err(format!("{key} is {other:?}")),
            },
            ["accepted", n, s, "none"] => match expect_node(world, n)?.accepted_at(parse_slot(s)?) {
                None => Ok(()),
                Some((b, v)) => Err(format!("it accepted {v} in {b}")),
            },
            ["accepted", n, s, ballot, value @ ..] if !value.is_empty() => {
                let want = (parse_ballot(ballot)?, parse_value(&value.join(" "))?);
                match expect_node(world, n)?.accepted_at(parse_slot(s)?) {
                    Some(got) if *got == want => Ok(()),
                    Some((b, v)) => Err(format!("it accepted {v} in {b}")),
                    None => Err(String::from("it accepted nothing there")),
                }
            }
            ["promised", n, cmp @ ..] => {
                compare_ballot(cmp, expect_node(world, n)?.promised(), "the promise")
            }
            _ => Err(String::from(
                "unknown Multi-Paxos expectation (leader, role, slot, applied, kv, accepted, promised)",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bug_names_match_the_paxos_crate() {
        let names: Vec<&str> = PaxosBug::ALL.iter().map(|b| b.name()).collect();
        assert_eq!(names, MultiPaxos::bug_names());
    }

    #[test]
    fn configure_reads_timeouts_and_batches() {
        let mut c = MultiPaxos::default_config();
        MultiPaxos::configure(&mut c, "election-timeout", "300..600ms").unwrap();
        MultiPaxos::configure(&mut c, "heartbeat", "100ms").unwrap();
        assert!(MultiPaxos::configure(&mut c, "heartbeat", "400ms").is_err(), "not below the timeout");
        assert!(MultiPaxos::configure(&mut c, "max-decide", "0").is_err());
        assert!(MultiPaxos::configure(&mut c, "nope", "1").is_err());
    }
}
