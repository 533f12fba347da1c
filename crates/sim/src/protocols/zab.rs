//! Zab (ZooKeeper Atomic Broadcast) under the simulator: defaults, bugs, parameters, commands
//! and scenario expectations.
//!
//! Scenario parameters (`config KEY VALUE`): `timeout 150..300ms` (election round, follower and
//! leader timeouts), `heartbeat 50ms`, `max-resend 8`.
//!
//! Expectations understood after `expect`:
//!
//! | words | holds when |
//! |---|---|
//! | `leader any` / `leader none` / `leader 3` | a live leader broadcasts / none does / S3 is the live broadcasting leader of the highest epoch |
//! | … `epoch 2` / `epoch >= 2` | and that leader's currentEpoch is 2 / at least 2 |
//! | `role 3 following` (`looking`, `leading`) | S3 is up in that state |
//! | `phase 3 broadcast` (`election`, `discovery`, `sync`) | S3 is up in that phase |
//! | `epoch 3 2` / `epoch 3 >= 2` | S3's currentEpoch |
//! | `committed x=5 on majority` (`all`, `any`, `none`, `3`), `not committed …` | that many live servers delivered `x=5` |
//! | `history 3 len 4` | S3's history holds 4 transactions |
//! | `histories equal` | every live server has the same history |
//! | `kv 3 x 5` | S3's state machine maps x to 5 |
//!
//! Probes (`ballot probes zab`): `accepted-epoch N`, `current-epoch N`, `last-zxid N`,
//! `committed-zxid N` (zxids as `0x1_0003`), `delivered N`, `round N`, `vote N`, `role N`,
//! `phase N`, `persisted N accepted-epoch|current-epoch|history-len`.

use crate::check::{Allow, Bounds};
use crate::diagram::MarkKind;
use crate::protocol::{compare_number, expect_node, live};
use crate::protocol::{one_arg, probe_live, probe_node, Probe, Protocol, Value};
use crate::world::World;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use ballot_core::{Cluster, Command, Lang, Node, NodeId, Prng};
use ballot_zab::{ZabBug, ZabChecker, ZabConfig, ZabEvent, ZabNode, ZabNote, ZabTimer};

/// Zab with Fast Leader Election (Junqueira, Reed & Serafini; ZooKeeper's `Zab.tla`).
#[derive(Clone, Copy, Debug)]
pub struct Zab;

const PROBES: &[Probe] = &[
    Probe { name: "accepted-epoch", args: "N", doc: "N's acceptedEpoch (the last NEWEPOCH it accepted)" },
    Probe { name: "current-epoch", args: "N", doc: "N's currentEpoch (the last NEWLEADER it adopted)" },
    Probe { name: "last-zxid", args: "N", doc: "the zxid of N's last transaction, e.g. 0x1_0003" },
    Probe { name: "committed-zxid", args: "N", doc: "the zxid of the last transaction N delivered" },
    Probe { name: "delivered", args: "N", doc: "how many transactions N delivered" },
    Probe { name: "round", args: "N", doc: "N's election round (FLE's logical clock)" },
    Probe { name: "vote", args: "N", doc: "whom N votes for (or followed or leads)" },
    Probe { name: "role", args: "N", doc: "looking, following or leading" },
    Probe { name: "phase", args: "N", doc: "election, discovery, sync or broadcast" },
    Probe {
        name: "persisted",
        args: "N accepted-epoch|current-epoch|history-len",
        doc: "what N has on stable storage (what a crashed N restarts from)",
    },
];

fn has_delivered(node: &ZabNode, command: &Command) -> bool {
    node.history().iter().take(node.committed() as usize).any(|e| &e.command == command)
}

impl Protocol for Zab {
    type Node = ZabNode;
    type Command = Command;
    type Checker = ZabChecker;
    const NAME: &'static str = "zab";

    fn checker(cluster: Cluster) -> ZabChecker {
        ZabChecker::new(cluster)
    }

    fn default_config() -> ZabConfig {
        ZabConfig::default()
    }

    fn bug_names() -> &'static [&'static str] {
        // Kept in step with `ZabBug::ALL` by the test below.
        &["commit-before-quorum", "skip-sync", "ack-before-persist"]
    }

    fn bug_property(name: &str) -> Option<&'static str> {
        ZabBug::parse(name).map(ZabBug::property)
    }

    fn set_bug(config: &mut ZabConfig, name: &str) -> Result<(), String> {
        config.bug = crate::protocol::parse_bug(name, Self::bug_names(), ZabBug::parse)?;
        Ok(())
    }

    fn configure(config: &mut ZabConfig, key: &str, value: &str) -> Result<(), String> {
        let mut next = config.clone();
        match key {
            "timeout" => {
                let (lo, hi) = crate::scenario::parse_range(value)?;
                next.timeout_min = lo;
                next.timeout_max = hi;
            }
            "heartbeat" => next.heartbeat_interval = crate::scenario::parse_duration(value)?,
            "max-resend" => {
                next.max_resend = value.parse().map_err(|_| format!("`{value}` is not a count"))?
            }
            _ => return Err(format!("unknown Zab parameter `{key}` (timeout, heartbeat, max-resend)")),
        }
        next.validate().map_err(|e| e.to_string())?;
        *config = next;
        Ok(())
    }

    fn bug_of(config: &ZabConfig) -> Option<&'static str> {
        config.bug.map(ZabBug::name)
    }

    fn config_pairs(config: &ZabConfig) -> Vec<(&'static str, String)> {
        let d = ZabConfig::default();
        let mut pairs = Vec::new();
        if (config.timeout_min, config.timeout_max) != (d.timeout_min, d.timeout_max) {
            pairs
                .push(("timeout", format!("{}..{}us", config.timeout_min.micros, config.timeout_max.micros)));
        }
        if config.heartbeat_interval != d.heartbeat_interval {
            pairs.push(("heartbeat", format!("{}us", config.heartbeat_interval.micros)));
        }
        if config.max_resend != d.max_resend {
            pairs.push(("max-resend", config.max_resend.to_string()));
        }
        pairs
    }

    fn annotate(note: &ZabNote, lang: Lang) -> Option<(NodeId, MarkKind)> {
        let zh = lang == Lang::Zh;
        let kind = match &note.event {
            ZabEvent::Elected { leader, .. } if *leader == note.node && zh => {
                MarkKind::Role(String::from("领导者"))
            }
            ZabEvent::Elected { leader, .. } if *leader == note.node => {
                MarkKind::Role(String::from("leading"))
            }
            ZabEvent::Established if zh => MarkKind::Role(format!("纪元 {}", note.epoch)),
            ZabEvent::Established => MarkKind::Role(format!("epoch {}", note.epoch)),
            ZabEvent::Committed { zxid } if zh => MarkKind::Commit(format!("交付 ≤{zxid}")),
            ZabEvent::Committed { zxid } => MarkKind::Commit(format!("commit ≤{zxid}")),
            _ => return None,
        };
        Some((note.node, kind))
    }

    fn parse_command(text: &str) -> Result<Command, String> {
        Command::parse(text).map_err(|e| e.to_string())
    }

    /// Writes only: ZooKeeper serves reads locally, outside the broadcast.
    fn random_command(rng: &mut Prng) -> Command {
        Command::random(rng, false)
    }

    fn timeout_timer() -> ZabTimer {
        ZabTimer::Election
    }

    fn timers() -> &'static [ZabTimer] {
        &[ZabTimer::Election, ZabTimer::Heartbeat]
    }

    /// One election round and epoch, no request: Zab's three phases alone make about a hundred
    /// thousand states (every follower's CEPOCH…ACKLD exchange interleaves with the other's), a
    /// request multiplies that by ten. `ack-before-persist` breaks at the first NEWLEADER.
    /// `commit-before-quorum` and `skip-sync` need a second epoch, which from the initial state
    /// takes one to three million states (half a minute to over a minute): their checks start
    /// from a later state instead ([`Zab::check_start`]), and explore from there in seconds.
    fn check_defaults(bug: Option<&str>) -> (Bounds, Allow) {
        let timers = Allow { timers: true, ..Allow::NONE };
        let base = Bounds { max_term: 1, max_requests: 0, max_in_flight: 2, ..Bounds::default() };
        match bug {
            Some("commit-before-quorum") => (Bounds { max_term: 2, max_requests: 1, ..base }, timers),
            Some("skip-sync") => {
                (Bounds { max_term: 2, max_requests: 1, ..base }, Allow { restart: true, ..timers })
            }
            _ => (base, timers),
        }
    }

    /// `commit-before-quorum`: from epoch 1 established (every timer, delivery and request order
    /// after it is explored; from the initial state the same bounds find it too, in 1.5 million
    /// states: `ballot check zab --bug commit-before-quorum --after none`). `skip-sync`: from
    /// the state of `scenarios/zab/08-skip-sync-caught.scn` where S3, which proposed x=9 alone
    /// and crashed, is down and S1 and S2 have established epoch 2; the search finds the rest
    /// (a request, its commit, S3's restart, its election and synchronisation) and Agreement
    /// broken. With the second election left to the search too it takes 2.9 million states.
    fn check_start(bug: Option<&str>) -> Option<crate::protocol::CheckStart> {
        match bug {
            Some("commit-before-quorum") => Some(crate::protocol::CheckStart {
                script: "run 1s; expect leader any epoch 1; expect phase 1 broadcast; expect phase 2 broadcast; expect phase 3 broadcast",
                breaks: ballot_zab::safety::COMMITTED_NEVER_LOST,
                nodes: 3,
                why: ["epoch 1 established, every server broadcasting", "纪元 1 已建立，每台服务器都在广播"],
            }),
            Some("skip-sync") => Some(crate::protocol::CheckStart {
                script: "seed 8; run 1s; expect leader 3 epoch 1; cut 3->1; cut 3->2; request leader x=9; run 50ms; crash 3; restore 3->1; restore 3->2; run 3s; expect leader 2 epoch 2; expect history 1 len 0",
                breaks: ballot_zab::safety::AGREEMENT,
                nodes: 3,
                why: [
                    "S3 proposed x=9 alone and crashed; S1 and S2 established epoch 2 without it",
                    "S3 独自提议 x=9 后宕机；S1 和 S2 在没有它的情况下建立了纪元 2",
                ],
            }),
            _ => None,
        }
    }

    /// The highest acceptedEpoch or election round of a live server.
    fn check_term(world: &World<Zab>) -> u64 {
        live(world).map(|n| n.accepted_epoch().max(n.round())).max().unwrap_or(0)
    }

    /// The live leader that broadcasts in the highest epoch (one still in discovery or
    /// synchronisation if none broadcasts).
    fn leader(world: &World<Zab>) -> Option<NodeId> {
        live(world)
            .filter(|n| n.role_name() == ballot_zab::RoleName::Leading)
            .max_by_key(|n| (n.is_broadcasting_leader(), n.accepted_epoch()))
            .map(Node::id)
    }

    /// The leader, once it broadcasts: only it takes proposals.
    fn client_target(world: &World<Zab>) -> Option<NodeId> {
        live(world).filter(|n| n.is_broadcasting_leader()).max_by_key(|n| n.current_epoch()).map(Node::id)
    }

    /// The most transactions a live server delivered.
    fn progress(world: &World<Zab>) -> u64 {
        live(world).map(ZabNode::committed).max().unwrap_or(0)
    }

    fn probes() -> &'static [Probe] {
        PROBES
    }

    fn probe(world: &World<Zab>, name: &str, args: &[&str]) -> Result<Value, String> {
        let shape = PROBES.iter().find(|p| p.name == name).map_or("", |p| p.args);
        if name == "persisted" {
            let [n, field] = args else {
                return Err(String::from(
                    "write `persisted N accepted-epoch|current-epoch|history-len = VALUE`",
                ));
            };
            let id = probe_node(world, n)?;
            let stored = world.storage(id).ok_or_else(|| format!("{id} has stored nothing"))?;
            return match *field {
                "accepted-epoch" => Ok(Value::Num(stored.accepted_epoch)),
                "current-epoch" => Ok(Value::Num(stored.current_epoch)),
                "history-len" => Ok(Value::Num(stored.history.len())),
                other => {
                    Err(format!("`{other}` is not persisted (accepted-epoch, current-epoch, history-len)"))
                }
            };
        }
        if !PROBES.iter().any(|p| p.name == name) {
            return Err(format!("Zab has no probe `{name}`"));
        }
        let n = probe_live(world, one_arg(name, args, shape)?)?;
        Ok(match name {
            "accepted-epoch" => Value::Num(n.accepted_epoch()),
            "current-epoch" => Value::Num(n.current_epoch()),
            "last-zxid" => Value::Text(n.history().last_zxid().to_string()),
            "committed-zxid" => Value::Text(n.committed_zxid().to_string()),
            "delivered" => Value::Num(n.committed()),
            "round" => Value::Num(n.round()),
            "vote" => Value::Node(Some(n.vote().leader)),
            "role" => Value::Text(n.role_name().as_str().to_string()),
            _ => Value::Text(n.phase().as_str().to_string()),
        })
    }

    fn expect(world: &World<Zab>, words: &[&str]) -> Result<(), String> {
        match words {
            ["leader", who, rest @ ..] => {
                let leader = Self::client_target(world);
                match (*who, leader) {
                    ("none", None) => return Ok(()),
                    ("none", Some(l)) => return Err(format!("{l} leads")),
                    (_, None) => return Err(String::from("no leader broadcasts")),
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
                    ["epoch", cmp @ ..] => compare_number(cmp, l.current_epoch(), "the leader's epoch"),
                    _ => Err(String::from("expected `epoch N` or `epoch >= N` after the leader")),
                }
            }
            ["role", n, role] => {
                let actual = expect_node(world, n)?.role_name().as_str();
                if actual == *role {
                    Ok(())
                } else {
                    Err(format!("S{} is {actual}", n.trim_start_matches('S')))
                }
            }
            ["phase", n, phase] => {
                let actual = expect_node(world, n)?.phase().as_str();
                if actual == *phase {
                    Ok(())
                } else {
                    Err(format!("S{} is in {actual}", n.trim_start_matches('S')))
                }
            }
            ["epoch", n, cmp @ ..] => compare_number(cmp, expect_node(world, n)?.current_epoch(), "the currentEpoch"),
            ["committed", rest @ ..] | ["not", "committed", rest @ ..] => {
                let negate = words[0] == "not";
                let on = rest
                    .iter()
                    .position(|w| *w == "on")
                    .ok_or("write `committed COMMAND on majority|all|any|none|N`")?;
                let command = Self::parse_command(&rest[..on].join(" ").replace('"', ""))?;
                let holders: Vec<NodeId> =
                    live(world).filter(|n| has_delivered(n, &command)).map(Node::id).collect();
                let ok = match rest.get(on + 1..) {
                    Some(["majority"]) => holders.len() >= usize::from(world.cluster().majority()),
                    Some(["all"]) => holders.len() == live(world).count(),
                    Some(["any"]) => !holders.is_empty(),
                    Some(["none"]) => holders.is_empty(),
                    Some([n]) => holders.contains(&crate::scenario::parse_node(n)?),
                    _ => return Err(String::from("after `on` write majority, all, any, none or a node")),
                };
                if ok != negate {
                    Ok(())
                } else {
                    Err(format!("{command} is delivered on {holders:?}"))
                }
            }
            ["history", n, "len", len] => compare_number(&[len], expect_node(world, n)?.history().len(), "the history length"),
            ["histories", "equal"] => {
                let mut nodes = live(world);
                let first = nodes.next().ok_or("every server is down")?;
                match nodes.find(|n| n.history().last_chain() != first.history().last_chain()) {
                    None => Ok(()),
                    Some(n) => Err(format!("{} and {} have different histories", first.id(), n.id())),
                }
            }
            ["kv", n, key, value] => match expect_node(world, n)?.kv().get(key) {
                Some(v) if v == *value => Ok(()),
                other => Err(format!("{key} is {other:?}")),
            },
            _ => Err(String::from(
                "unknown Zab expectation (leader, role, phase, epoch, committed, history, histories equal, kv)",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bug_names_match_the_zab_crate() {
        let names: Vec<&str> = ZabBug::ALL.iter().map(|b| b.name()).collect();
        assert_eq!(names, Zab::bug_names());
    }
}
