//! Raft under the simulator: defaults, bugs, commands and scenario expectations.
//!
//! Expectations understood after `expect`:
//!
//! | words | holds when |
//! |---|---|
//! | `leader any` / `leader none` / `leader 3` | a live leader exists / none does / S3 is the live leader of the highest term |
//! | … `term 2` / `term >= 2` | and that leader's term is 2 / at least 2 |
//! | `role 3 follower` | S3 is up and has that role |
//! | `term 3 2` / `term 3 >= 2` | S3's current term |
//! | `committed x=5 on majority` (`all`, `any`, `3`, `none`) | that many live nodes have `x=5` at or below their commit index |
//! | `log 3 len 4` | S3's log has 4 entries |
//! | `logs equal` | every live node has the same log |
//! | `kv 3 x 5` | S3's state machine maps x to 5 |
//!
//! Probes (`expect NAME ARGS = VALUE`, see [`crate::scenario`]; `ballot probes raft` lists them
//! with a line each): `next-index A->B`, `match-index A->B` (leader A's view of B), `commit-index N`,
//! `last-applied N`, `voted-for N`, `term N`, `role N`, `last-index N`, `last-term N`,
//! `leader-hint N`, `votes N` (a candidate's), `persisted N term|voted-for|log-len` (stable storage).
//! `timeout N` on a leader makes it step down and campaign in the next term.

use crate::check::{Allow, Bounds};
use crate::diagram::MarkKind;
use crate::network::Envelope;
use crate::protocol::{compare_number, expect_node, live};
use crate::protocol::{one_arg, parse_link, probe_live, probe_node, Probe, Protocol, Value};
use crate::world::World;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use ballot_core::{Cluster, Command, Lang, NodeId, Prng};
use ballot_raft::{
    RaftBug, RaftChecker, RaftConfig, RaftDurable, RaftEvent, RaftMsg, RaftNode, RaftNote, RaftTimer,
    RoleName,
};

/// The Raft protocol (Ongaro & Ousterhout, Figure 2).
#[derive(Clone, Copy, Debug)]
pub struct Raft;

/// Raft's probes (`expect NAME ARGS = VALUE`).
const PROBES: &[Probe] = &[
    Probe {
        name: "next-index",
        args: "A->B",
        doc: "leader A's nextIndex for follower B (an error if A does not lead)",
    },
    Probe {
        name: "match-index",
        args: "A->B",
        doc: "leader A's matchIndex for follower B (an error if A does not lead)",
    },
    Probe { name: "commit-index", args: "N", doc: "N's commitIndex" },
    Probe { name: "last-applied", args: "N", doc: "N's lastApplied" },
    Probe { name: "voted-for", args: "N", doc: "N's votedFor in its current term: a node or none" },
    Probe { name: "term", args: "N", doc: "N's currentTerm" },
    Probe { name: "role", args: "N", doc: "follower, candidate or leader" },
    Probe { name: "last-index", args: "N", doc: "the index of N's last log entry (0 if empty)" },
    Probe { name: "last-term", args: "N", doc: "the term of N's last log entry (0 if empty)" },
    Probe { name: "leader-hint", args: "N", doc: "who N believes leads (itself when leading), or none" },
    Probe { name: "votes", args: "N", doc: "candidate N's votes so far, itself included, e.g. 1,3" },
    Probe {
        name: "persisted",
        args: "N term|voted-for|log-len",
        doc: "what N has on stable storage (what a crashed N restarts from)",
    },
];

fn has_committed(node: &RaftNode, command: &Command) -> bool {
    node.log().iter().take(node.commit_index() as usize).any(|e| &e.command == command)
}

impl Protocol for Raft {
    type Node = RaftNode;
    type Command = Command;
    type Checker = RaftChecker;
    const NAME: &'static str = "raft";

    fn checker(cluster: Cluster) -> RaftChecker {
        RaftChecker::new(cluster)
    }

    fn default_config() -> RaftConfig {
        RaftConfig::default()
    }

    fn bug_names() -> &'static [&'static str] {
        // Kept in step with `RaftBug::ALL` by the test below.
        &[
            "vote-without-log-check",
            "commit-previous-term",
            "forget-vote-on-restart",
            "skip-consistency-check",
            "leader-truncates-on-reject",
            "vote-before-persist",
        ]
    }

    fn bug_property(name: &str) -> Option<&'static str> {
        RaftBug::parse(name).map(RaftBug::property)
    }

    fn set_bug(config: &mut RaftConfig, name: &str) -> Result<(), String> {
        config.bug = crate::protocol::parse_bug(name, Self::bug_names(), RaftBug::parse)?;
        Ok(())
    }

    fn configure(config: &mut RaftConfig, key: &str, value: &str) -> Result<(), String> {
        let mut next = config.clone();
        match key {
            "election-timeout" => {
                let (lo, hi) = crate::scenario::parse_range(value)?;
                next.election_timeout_min = lo;
                next.election_timeout_max = hi;
            }
            "heartbeat" => next.heartbeat_interval = crate::scenario::parse_duration(value)?,
            "max-entries" => {
                next.max_entries_per_append =
                    value.parse().map_err(|_| format!("`{value}` is not a count"))?
            }
            _ => {
                return Err(format!(
                    "unknown Raft parameter `{key}` (election-timeout, heartbeat, max-entries)"
                ))
            }
        }
        next.validate().map_err(|e| e.to_string())?;
        *config = next;
        Ok(())
    }

    fn bug_of(config: &RaftConfig) -> Option<&'static str> {
        config.bug.map(RaftBug::name)
    }

    fn config_pairs(config: &RaftConfig) -> Vec<(&'static str, String)> {
        let d = RaftConfig::default();
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
        if config.max_entries_per_append != d.max_entries_per_append {
            pairs.push(("max-entries", config.max_entries_per_append.to_string()));
        }
        pairs
    }

    fn annotate(note: &RaftNote, lang: Lang) -> Option<(NodeId, MarkKind)> {
        let term = note.term;
        let zh = lang == Lang::Zh;
        let kind = match &note.event {
            RaftEvent::BecameLeader { .. } if zh => MarkKind::Role(format!("领导者 T{term}")),
            RaftEvent::BecameLeader { .. } => MarkKind::Role(format!("leader T{term}")),
            RaftEvent::BecameCandidate if zh => MarkKind::Role(format!("候选者 T{term}")),
            RaftEvent::BecameCandidate => MarkKind::Role(format!("candidate T{term}")),
            RaftEvent::CommitAdvanced { to, .. } if zh => MarkKind::Commit(format!("提交 ≤{to}")),
            RaftEvent::CommitAdvanced { to, .. } => MarkKind::Commit(format!("commit ≤{to}")),
            _ => return None,
        };
        Some((note.node, kind))
    }

    fn parse_command(text: &str) -> Result<Command, String> {
        Command::parse(text).map_err(|e| e.to_string())
    }

    fn random_command(rng: &mut Prng) -> Command {
        Command::random(rng, true)
    }

    fn timeout_timer() -> RaftTimer {
        RaftTimer::Election
    }

    fn timers() -> &'static [RaftTimer] {
        &[RaftTimer::Election, RaftTimer::Heartbeat]
    }

    /// Terms 1..2, one request, two messages in flight for a timer to fire; the bugs that need a
    /// crash (`forget-vote-on-restart`), a second request, or more terms get them.
    /// `skip-consistency-check` needs two entries of different terms at index 1 and a leader
    /// with a second entry after its own: three requests and three terms, with one message in
    /// flight for a timer to fire. `commit-previous-term` is Figure 8 with three nodes: four
    /// terms and two requests; with one message in flight for a timer and one message dropped
    /// (the leader of term 3 must not repair the stale leader's log before it campaigns).
    fn check_defaults(bug: Option<&str>) -> (Bounds, Allow) {
        let timers = Allow { timers: true, ..Allow::NONE };
        let base = Bounds { max_term: 2, max_requests: 1, max_in_flight: 2, ..Bounds::default() };
        match bug {
            Some("forget-vote-on-restart") => (
                Bounds { max_term: 1, max_requests: 0, max_crashes: 1, max_in_flight: 4, ..base },
                Allow { crash: true, restart: true, ..timers },
            ),
            Some("leader-truncates-on-reject") => (Bounds { max_requests: 2, ..base }, timers),
            Some("skip-consistency-check") => {
                (Bounds { max_term: 3, max_requests: 3, max_in_flight: 1, ..base }, timers)
            }
            Some("commit-previous-term") => (
                Bounds { max_term: 4, max_requests: 2, max_in_flight: 1, max_losses: 1, ..base },
                Allow { drop: true, ..timers },
            ),
            _ => (base, timers),
        }
    }

    /// The highest currentTerm of a live node.
    fn check_term(world: &World<Raft>) -> u64 {
        live(world).map(RaftNode::current_term).max().unwrap_or(0)
    }

    /// The live leaders (of any term): a follower or candidate only refuses a command, or
    /// redirects it to the leader it heard from.
    fn check_request_targets(world: &World<Raft>) -> Vec<NodeId> {
        live(world).filter(|n| n.is_leader()).map(ballot_core::Node::id).collect()
    }

    /// A reply is inert when its recipient ignores it now and forever: its term is below the
    /// recipient's (terms never decrease, and a crashed node restarts in its stored term), or
    /// equal to it while the recipient can no longer be a candidate or leader of that term (a
    /// follower, or a crashed node, which restarts as one; a leader for a vote), or it is a
    /// success the recipient, leading that term, has already counted, up to its commit index
    /// (`matchIndex` only grows while leading; even a leader that cuts its own log, a broken
    /// variant, keeps it at least `min(matchIndex, commitIndex)`, and commitIndex only grows).
    fn check_inert(world: &World<Raft>, envelope: &Envelope<RaftMsg>) -> bool {
        let (term, vote) = match envelope.msg {
            RaftMsg::RequestVoteReply { term, .. } => (term, true),
            RaftMsg::AppendEntriesReply { term, .. } => (term, false),
            _ => return false,
        };
        let Some(node) = world.node(envelope.to) else {
            return world.stored(envelope.to).is_some_and(|d| term <= d.current_term);
        };
        if term != node.current_term() {
            return term < node.current_term();
        }
        match node.role_name() {
            RoleName::Follower => true,
            RoleName::Candidate => false,
            RoleName::Leader if vote => true,
            RoleName::Leader => match envelope.msg {
                RaftMsg::AppendEntriesReply { success: true, match_index, .. } => {
                    node.match_index(envelope.from).is_some_and(|m| match_index <= m.min(node.commit_index()))
                }
                _ => false,
            },
        }
    }

    /// Raft's nodes run the same code from the same blank disk, and none looks at the order
    /// of ids (messages carry no ids but the envelope's; votes are counted, not ordered).
    fn check_symmetric() -> bool {
        true
    }

    fn check_node_class(node: &RaftNode) -> u64 {
        let role = node.role_name();
        let log = node.log();
        ballot_core::hash::stable_hash(&(node.current_term(), log, node.commit_index(), role))
    }

    fn check_node_digest(node: &RaftNode, rename: &[NodeId]) -> u64 {
        node.model_digest(rename)
    }

    fn check_durable_digest(durable: &RaftDurable, rename: &[NodeId]) -> u64 {
        let voted_for = durable.voted_for.map(|v| rename.get(v.index()).copied().unwrap_or(v));
        ballot_core::hash::stable_hash(&(durable.current_term, voted_for, &durable.log))
    }

    fn check_history_digest(world: &World<Raft>, rename: &[NodeId]) -> u64 {
        let found: Vec<&'static str> = world.violations().iter().map(|v| v.property).collect();
        ballot_core::hash::stable_hash(&(world.checker().verdict_digest(rename), found))
    }

    fn leader(world: &World<Raft>) -> Option<NodeId> {
        live(world)
            .filter(|n| n.role_name() == RoleName::Leader)
            .max_by_key(|n| n.current_term())
            .map(ballot_core::Node::id)
    }

    fn progress(world: &World<Raft>) -> u64 {
        live(world).map(RaftNode::commit_index).max().unwrap_or(0)
    }

    fn probes() -> &'static [Probe] {
        PROBES
    }

    fn probe(world: &World<Raft>, name: &str, args: &[&str]) -> Result<Value, String> {
        let shape = PROBES.iter().find(|p| p.name == name).map_or("", |p| p.args);
        match name {
            "next-index" | "match-index" => {
                let (a, b) = parse_link(world, one_arg(name, args, shape)?)?;
                let leader = world.node(a).ok_or_else(|| format!("{a} is down (crashed), not the leader"))?;
                let got = if name == "next-index" { leader.next_index(b) } else { leader.match_index(b) };
                got.map(Value::Num).ok_or_else(|| {
                    format!(
                        "{a} is not a leader: it is a {} in term {} ({name} is leader state)",
                        leader.role_name().as_str(),
                        leader.current_term()
                    )
                })
            }
            "commit-index" => Ok(Value::Num(probe_live(world, one_arg(name, args, shape)?)?.commit_index())),
            "last-applied" => Ok(Value::Num(probe_live(world, one_arg(name, args, shape)?)?.last_applied())),
            "voted-for" => Ok(Value::Node(probe_live(world, one_arg(name, args, shape)?)?.voted_for())),
            "term" => Ok(Value::Num(probe_live(world, one_arg(name, args, shape)?)?.current_term())),
            "role" => Ok(Value::Text(
                probe_live(world, one_arg(name, args, shape)?)?.role_name().as_str().to_string(),
            )),
            "last-index" => {
                Ok(Value::Num(probe_live(world, one_arg(name, args, shape)?)?.log().last_index()))
            }
            "last-term" => Ok(Value::Num(probe_live(world, one_arg(name, args, shape)?)?.log().last_term())),
            "leader-hint" => Ok(Value::Node(probe_live(world, one_arg(name, args, shape)?)?.leader_hint())),
            "votes" => {
                let n = probe_live(world, one_arg(name, args, shape)?)?;
                let votes = n.votes().ok_or_else(|| {
                    format!(
                        "{} is not a candidate: it is a {} in term {}",
                        ballot_core::Node::id(n),
                        n.role_name().as_str(),
                        n.current_term()
                    )
                })?;
                Ok(Value::Text(votes.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(",")))
            }
            "persisted" => {
                let [n, field] = args else {
                    return Err(String::from("write `persisted N term|voted-for|log-len = VALUE`"));
                };
                let id = probe_node(world, n)?;
                // Stable storage, up or down: the last value the node persisted.
                let stored = world.storage(id).ok_or_else(|| format!("{id} has stored nothing"))?;
                match *field {
                    "term" => Ok(Value::Num(stored.current_term)),
                    "voted-for" => Ok(Value::Node(stored.voted_for)),
                    "log-len" => Ok(Value::Num(stored.log.last_index())),
                    other => Err(format!("`{other}` is not persisted (term, voted-for, log-len)")),
                }
            }
            _ => Err(format!("Raft has no probe `{name}`")),
        }
    }

    fn expect(world: &World<Raft>, words: &[&str]) -> Result<(), String> {
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
                    ["term", cmp @ ..] => compare_number(cmp, l.current_term(), "the leader's term"),
                    _ => Err(String::from("expected `term N` or `term >= N` after the leader")),
                }
            }
            ["role", n, role] => {
                let node = expect_node(world, n)?;
                let actual = node.role_name().as_str();
                if actual == *role {
                    Ok(())
                } else {
                    Err(format!("S{} is a {actual}", n.trim_start_matches('S')))
                }
            }
            ["term", n, cmp @ ..] => compare_number(cmp, expect_node(world, n)?.current_term(), "the term"),
            ["committed", rest @ ..] | ["not", "committed", rest @ ..] => {
                let negate = words[0] == "not";
                let on = rest
                    .iter()
                    .position(|w| *w == "on")
                    .ok_or("write `committed COMMAND on majority|all|any|none|N`")?;
                let command = Self::parse_command(&rest[..on].join(" ").replace('"', ""))?;
                let holders: Vec<NodeId> =
                    live(world).filter(|n| has_committed(n, &command)).map(ballot_core::Node::id).collect();
                let ok = match rest.get(on + 1..) {
                    Some(["majority"]) => holders.len() >= usize::from(world.cluster().majority()),
                    Some(["all"]) => holders.len() == live(world).count(),
                    Some(["any"]) => !holders.is_empty(),
                    Some(["none"]) => holders.is_empty(),
                    Some([n]) => holders.contains(&crate::scenario::parse_node(n)?),
                    _ => return Err(String::from("after `on` write majority, all, any, none or a node")),
                };
                match (ok, negate) {
                    (true, false) | (false, true) => Ok(()),
                    _ => Err(format!("{command} is committed on {holders:?}")),
                }
            }
            ["log", n, "len", len] => {
                compare_number(&[len], expect_node(world, n)?.log().last_index(), "the log length")
            }
            ["logs", "equal"] => {
                let mut nodes = live(world);
                let first = nodes.next().ok_or("every node is down")?;
                match nodes.find(|n| n.log().last_chain() != first.log().last_chain()) {
                    None => Ok(()),
                    Some(n) => Err(format!(
                        "{} and {} have different logs",
                        ballot_core::Node::id(first),
                        ballot_core::Node::id(n)
                    )),
                }
            }
            ["kv", n, key, value] => match expect_node(world, n)?.kv().get(key) {
                Some(v) if v == *value => Ok(()),
                other => Err(format!("{key} is {other:?}")),
            },
            _ => Err(String::from(
                "unknown Raft expectation (leader, role, term, committed, log, logs equal, kv)",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bug_names_match_the_raft_crate() {
        let names: Vec<&str> = RaftBug::ALL.iter().map(|b| b.name()).collect();
        assert_eq!(names, Raft::bug_names());
    }
}
