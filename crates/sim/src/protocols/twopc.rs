//! Two-phase commit under the simulator: defaults, bugs, parameters, commands and scenario
//! expectations.
//!
//! `S1` is the coordinator; every other node is a participant. A client command (`set x 5`)
//! sent to the coordinator starts a transaction; one sent to a participant is redirected to
//! `S1`, except `vote=no` (`request 3 set vote no`): that participant votes no on the next
//! transaction it is asked to prepare (the background workload sends one, one time in three). Scenario parameters (`config KEY VALUE`):
//!
//! | key | value | meaning |
//! |---|---|---|
//! | `vote-no` | `3`, `2,3`, `S4` or `none` | these participants vote no |
//! | `vote-timeout` | `300ms` or `200..300ms` | the coordinator's vote timeout |
//! | `resend` | `100ms` | how often the coordinator re-sends an unacknowledged decision |
//! | `status-interval` | `150..250ms` | how often an in-doubt participant asks for the outcome |
//! | `queue` | `4` | client commands the busy coordinator keeps waiting |
//!
//! Expectations understood after `expect`:
//!
//! | words | holds when |
//! |---|---|
//! | `coordinator committed` / `aborted` / `undecided` | S1 is up and its current transaction is decided so / not decided yet |
//! | `coordinator idle` / `busy` | S1 is up and its transaction is finished (every participant acknowledged) / still running |
//! | `coordinator txn 2` | S1 is up and on transaction 2 |
//! | `participant 3 prepared` (`working`, `committed`, `aborted`) | S3 is up and in that state in its latest transaction |
//! | `participant 3 txn 2` | S3 is up and its latest transaction is 2 |
//! | `in-doubt 3` / `not in-doubt 3` | S3 is up and prepared, waiting for the decision / is up and not |
//! | `all committed` / `all aborted` | every participant is up, on the same transaction, in that state |
//! | `kv 3 x 5` / `kv 3 x none` | S3's store maps x to 5 / has no x |
//!
//! Probes (`expect NAME ARGS = VALUE`; `ballot probes twopc`): `state N` (a participant's state, or
//! the coordinator's `init`/`committed`/`aborted`), `txn N`, `vote N`, `in-doubt N`, and the
//! coordinator's `decision`, `phase`, `yes-votes`, `acks`.

use crate::check::{Allow, Bounds};
use crate::protocol::{expect_node, parse_u64};
use crate::protocol::{one_arg, probe_live, Probe, Protocol, Value};
use crate::world::World;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use ballot_core::{Cluster, Command, NodeId, Prng};
use ballot_twopc::{
    Decision, NodeSet, RmState, TmPhase, TwoPcBug, TwoPcChecker, TwoPcConfig, TwoPcNode, TwoPcTimer,
    COORDINATOR,
};

/// Two-phase commit (Gray & Lamport, "Consensus on Transaction Commit", the `TwoPhase` spec).
#[derive(Clone, Copy, Debug)]
pub struct TwoPc;

/// Two-phase commit's probes (`expect NAME ARGS = VALUE`).
const PROBES: &[Probe] = &[
    Probe {
        name: "state",
        args: "N",
        doc: "participant N: working, prepared, committed or aborted; S1 (the coordinator): init, committed or aborted",
    },
    Probe { name: "txn", args: "N", doc: "the transaction N is on (0 before the first)" },
    Probe { name: "vote", args: "N", doc: "participant N's vote in its transaction: yes, no or none" },
    Probe { name: "in-doubt", args: "N", doc: "whether participant N is prepared and waiting for the decision: yes or no" },
    Probe { name: "decision", args: "", doc: "the coordinator's decision in its transaction: commit, abort or none" },
    Probe { name: "phase", args: "", doc: "the coordinator's phase: idle, collecting or announcing" },
    Probe { name: "yes-votes", args: "", doc: "the participants that voted yes to the coordinator, e.g. 2,3 (or none)" },
    Probe { name: "acks", args: "", doc: "the participants that acknowledged the decision, e.g. 2,3 (or none)" },
];

fn set_text(set: NodeSet) -> Value {
    let ids: Vec<String> = set.iter().map(|id| id.0.to_string()).collect();
    Value::Text(if ids.is_empty() { String::from("none") } else { ids.join(",") })
}

fn participant<'w>(world: &'w World<TwoPc>, word: &str) -> Result<&'w ballot_twopc::Participant, String> {
    let n = expect_node(world, word)?;
    n.participant()
        .ok_or_else(|| format!("{} is the coordinator, not a participant", ballot_core::Node::id(n)))
}

fn coordinator(world: &World<TwoPc>) -> Result<&ballot_twopc::Coordinator, String> {
    world.node(COORDINATOR).and_then(TwoPcNode::coordinator).ok_or_else(|| String::from("S1 is down"))
}

/// Transactions participant `rm` has seen through to the end.
fn finished(rm: &ballot_twopc::Participant) -> u64 {
    if rm.state().is_final() {
        rm.txn()
    } else {
        rm.txn().saturating_sub(1)
    }
}

impl Protocol for TwoPc {
    type Node = TwoPcNode;
    type Command = Command;
    type Checker = TwoPcChecker;
    const NAME: &'static str = "twopc";

    fn checker(cluster: Cluster) -> TwoPcChecker {
        TwoPcChecker::new(cluster)
    }

    fn default_config() -> TwoPcConfig {
        TwoPcConfig::default()
    }

    fn bug_names() -> &'static [&'static str] {
        // Kept in step with `TwoPcBug::ALL` by the test below.
        &["abort-after-yes", "commit-on-timeout", "vote-before-persist"]
    }

    fn bug_property(name: &str) -> Option<&'static str> {
        TwoPcBug::parse(name).map(TwoPcBug::property)
    }

    fn set_bug(config: &mut TwoPcConfig, name: &str) -> Result<(), String> {
        config.bug = crate::protocol::parse_bug(name, Self::bug_names(), TwoPcBug::parse)?;
        Ok(())
    }

    fn configure(config: &mut TwoPcConfig, key: &str, value: &str) -> Result<(), String> {
        let mut next = config.clone();
        match key {
            "vote-no" => {
                next.no_voters = if value == "none" {
                    NodeSet::EMPTY
                } else {
                    let ids = value
                        .split(',')
                        .map(|w| crate::scenario::parse_node(w.trim()))
                        .collect::<Result<Vec<NodeId>, String>>()?;
                    if let Some(bad) = ids.iter().find(|id| !(1..=16).contains(&id.0)) {
                        return Err(format!("{bad} cannot be a participant"));
                    }
                    NodeSet::of(ids)
                }
            }
            "vote-timeout" => {
                let (lo, hi) = crate::scenario::parse_range(value)?;
                next.vote_timeout_min = lo;
                next.vote_timeout_max = hi;
            }
            "resend" => next.resend_interval = crate::scenario::parse_duration(value)?,
            "status-interval" => {
                let (lo, hi) = crate::scenario::parse_range(value)?;
                next.status_interval_min = lo;
                next.status_interval_max = hi;
            }
            "queue" => next.max_queued = value.parse().map_err(|_| format!("`{value}` is not a count"))?,
            _ => {
                return Err(format!(
                    "unknown two-phase-commit parameter `{key}` (vote-no, vote-timeout, resend, status-interval, queue)"
                ))
            }
        }
        next.validate().map_err(|e| e.to_string())?;
        *config = next;
        Ok(())
    }

    fn check_cluster(config: &TwoPcConfig, cluster: Cluster) -> Result<(), String> {
        match config.no_voters.iter().find(|id| !cluster.contains(*id)) {
            None => Ok(()),
            Some(bad) => {
                let participants = match cluster.size() {
                    0 | 1 => String::from("it has no participants"),
                    2 => String::from("its only participant is S2"),
                    n => format!("its participants are S2 to S{n}"),
                };
                Err(format!(
                    "`config vote-no` names {bad}, which is not in this cluster of {} ({participants}; S1 is the coordinator)",
                    cluster.size()
                ))
            }
        }
    }

    fn bug_of(config: &TwoPcConfig) -> Option<&'static str> {
        config.bug.map(TwoPcBug::name)
    }

    fn config_pairs(config: &TwoPcConfig) -> Vec<(&'static str, String)> {
        let d = TwoPcConfig::default();
        let mut pairs = Vec::new();
        if config.no_voters != d.no_voters {
            let ids: Vec<String> = config.no_voters.iter().map(|id| id.0.to_string()).collect();
            let value = if ids.is_empty() { String::from("none") } else { ids.join(",") };
            pairs.push(("vote-no", value));
        }
        if (config.vote_timeout_min, config.vote_timeout_max) != (d.vote_timeout_min, d.vote_timeout_max) {
            pairs.push((
                "vote-timeout",
                format!("{}..{}us", config.vote_timeout_min.micros, config.vote_timeout_max.micros),
            ));
        }
        if config.resend_interval != d.resend_interval {
            pairs.push(("resend", format!("{}us", config.resend_interval.micros)));
        }
        if (config.status_interval_min, config.status_interval_max)
            != (d.status_interval_min, d.status_interval_max)
        {
            pairs.push((
                "status-interval",
                format!("{}..{}us", config.status_interval_min.micros, config.status_interval_max.micros),
            ));
        }
        if config.max_queued != d.max_queued {
            pairs.push(("queue", config.max_queued.to_string()));
        }
        pairs
    }

    fn annotate(
        note: &ballot_twopc::TwoPcNote,
        lang: ballot_core::Lang,
    ) -> Option<(NodeId, crate::diagram::MarkKind)> {
        use crate::diagram::MarkKind;
        use ballot_twopc::{Decision, TwoPcEvent};
        let zh = lang == ballot_core::Lang::Zh;
        let text = |en: &str, zh_text: &str| String::from(if zh { zh_text } else { en });
        let kind = match &note.event {
            TwoPcEvent::Decided { decision: Decision::Commit, .. } => {
                MarkKind::Commit(text("decided commit", "决定提交"))
            }
            TwoPcEvent::Decided { .. } => MarkKind::Commit(text("decided abort", "决定中止")),
            TwoPcEvent::VotedYes => MarkKind::Role(text("prepared", "已准备")),
            TwoPcEvent::VotedNo => MarkKind::Role(text("voted no", "投反对票")),
            TwoPcEvent::Committed { .. } => MarkKind::Commit(text("committed", "已提交")),
            TwoPcEvent::Aborted | TwoPcEvent::GaveUp => MarkKind::Commit(text("aborted", "已中止")),
            _ => return None,
        };
        Some((note.node, kind))
    }

    fn parse_command(text: &str) -> Result<Command, String> {
        Command::parse(text).map_err(|e| e.to_string())
    }

    fn random_command(rng: &mut Prng) -> Command {
        Command::random(rng, false)
    }

    /// The coordinator's vote timeout: forcing it aborts the running transaction (or, with the
    /// commit-on-timeout bug, commits it).
    fn timeout_timer() -> TwoPcTimer {
        TwoPcTimer::Vote
    }

    fn timers() -> &'static [TwoPcTimer] {
        &[TwoPcTimer::Vote, TwoPcTimer::Resend, TwoPcTimer::Status]
    }

    /// One transaction, three messages in flight for a timer to fire, status queries up to 2.
    fn check_defaults(_bug: Option<&str>) -> (Bounds, Allow) {
        let bounds = Bounds { max_term: 2, max_requests: 1, max_in_flight: 3, ..Bounds::default() };
        (bounds, Allow { timers: true, ..Allow::NONE })
    }

    /// The numbers that only grow: the highest transaction of a live node, and the status
    /// queries an in-doubt participant has sent (one per firing of its status timer).
    fn check_term(world: &World<TwoPc>) -> u64 {
        let live = world.nodes().iter().flatten();
        live.map(|n| n.txn().max(n.participant().map_or(0, |p| u64::from(p.status_queries()))))
            .max()
            .unwrap_or(0)
    }

    /// The coordinator, while it is up.
    fn leader(world: &World<TwoPc>) -> Option<NodeId> {
        world.is_up(COORDINATOR).then_some(COORDINATOR)
    }

    /// Clients talk to the coordinator, while it is up.
    fn client_target(world: &World<TwoPc>) -> Option<NodeId> {
        Self::leader(world)
    }

    /// A transaction every 100 ms or so from 60 ms on: one lasts about four message delays
    /// (Prepare, votes, decision, acknowledgements), so at the page's default speed a reader
    /// sees several decided within the first seconds of wall time.
    fn workload_schedule() -> (ballot_core::Duration, ballot_core::Duration) {
        (ballot_core::Duration::from_millis(60), ballot_core::Duration::from_millis(100))
    }

    /// A transaction to the coordinator and, one time in three, first a `vote=no` to a live
    /// participant drawn at random ([`ballot_twopc::is_vote_no`]): it votes no on the next
    /// transaction it is asked to prepare (the spec's `RMChooseToAbort`), so a run shows
    /// commits and rollbacks without a click. Both are ordinary requests, so a share link
    /// replays them; the workload switch turns both off.
    fn workload(world: &World<TwoPc>, rng: &mut Prng) -> Vec<crate::Action<TwoPcNode>> {
        let command = Self::random_command(rng);
        let mut actions = Vec::new();
        if rng.below(3) == 0 {
            let rms: Vec<NodeId> = world
                .nodes()
                .iter()
                .flatten()
                .filter(|n| !n.is_coordinator())
                .map(ballot_core::Node::id)
                .collect();
            if !rms.is_empty() {
                let node = rms[rng.below(rms.len() as u64) as usize];
                actions.push(crate::Action::Request {
                    node,
                    command: Command::parse("vote=no").expect("a command"),
                });
            }
        }
        actions.extend(Self::client_target(world).map(|node| crate::Action::Request { node, command }));
        actions
    }

    /// Every node: two-phase commit is not fault-tolerant for progress (the weakness Paxos
    /// Commit removes). It blocks while its coordinator is down, and the coordinator finishes a
    /// transaction, and starts the next, only once every participant has acknowledged the
    /// outcome; with any node down no progress is owed. (A bare majority made 183 of 300
    /// seeds fail for exactly that reason.)
    fn liveness_survivors(cluster: Cluster, _rng: &mut Prng) -> Vec<NodeId> {
        cluster.ids().collect()
    }

    /// Transactions seen through to the end, summed over live participants: grows whenever a
    /// participant learns an outcome, so a coordinator recovering an interrupted transaction
    /// and a new transaction both count.
    fn progress(world: &World<TwoPc>) -> u64 {
        world.nodes().iter().flatten().filter_map(TwoPcNode::participant).map(finished).sum()
    }

    fn probes() -> &'static [Probe] {
        PROBES
    }

    fn probe(world: &World<TwoPc>, name: &str, args: &[&str]) -> Result<Value, String> {
        let shape = PROBES.iter().find(|p| p.name == name).map_or("", |p| p.args);
        let text = |s: &str| Value::Text(s.to_string());
        if shape.is_empty() {
            if !args.is_empty() {
                return Err(format!("write `{name} = VALUE` (it is the coordinator's, S1)"));
            }
            let tm = coordinator(world)?;
            return match name {
                "decision" => Ok(text(tm.decision().map_or("none", Decision::as_str))),
                "phase" => Ok(text(match tm.phase() {
                    TmPhase::Idle => "idle",
                    TmPhase::Collecting => "collecting",
                    TmPhase::Announcing { .. } => "announcing",
                })),
                "yes-votes" => Ok(set_text(tm.yes_votes())),
                "acks" => Ok(set_text(tm.acks())),
                _ => Err(format!("two-phase commit has no probe `{name}`")),
            };
        }
        let n = probe_live(world, one_arg(name, args, shape)?)?;
        let id = ballot_core::Node::id(n);
        match (name, n.participant()) {
            ("txn", _) => Ok(Value::Num(n.txn())),
            ("state", Some(rm)) => Ok(text(rm.state().as_str())),
            ("state", None) => Ok(text(n.tm_state().map_or("init", |s| s.as_str()))),
            ("vote", Some(rm)) => Ok(text(match rm.vote() {
                Some(ballot_twopc::Vote::Yes) => "yes",
                Some(ballot_twopc::Vote::No) => "no",
                None => "none",
            })),
            ("in-doubt", Some(rm)) => Ok(text(if rm.in_doubt() { "yes" } else { "no" })),
            ("vote" | "in-doubt", None) => Err(format!("{id} is the coordinator, not a participant")),
            _ => Err(format!("two-phase commit has no probe `{name}`")),
        }
    }

    fn expect(world: &World<TwoPc>, words: &[&str]) -> Result<(), String> {
        match words {
            ["coordinator", "txn", n] => {
                let tm = coordinator(world)?;
                let want = parse_u64(n)?;
                if tm.txn() == want {
                    Ok(())
                } else {
                    Err(format!("S1 is on transaction {}", tm.txn()))
                }
            }
            ["coordinator", what] => {
                let tm = coordinator(world)?;
                let ok = match *what {
                    "committed" => tm.decision() == Some(Decision::Commit),
                    "aborted" => tm.decision() == Some(Decision::Abort),
                    "undecided" => tm.txn() > 0 && tm.decision().is_none(),
                    "idle" => tm.is_idle(),
                    "busy" => !tm.is_idle(),
                    _ => {
                        return Err(String::from(
                            "after `coordinator` write committed, aborted, undecided, idle, busy or txn N",
                        ))
                    }
                };
                if ok {
                    Ok(())
                } else {
                    let phase = match tm.phase() {
                        TmPhase::Idle => "idle",
                        TmPhase::Collecting => "collecting votes",
                        TmPhase::Announcing { .. } => "announcing its decision",
                    };
                    Err(format!(
                        "S1 is {} in transaction {} ({phase})",
                        tm.tm_state().as_str(),
                        tm.txn()
                    ))
                }
            }
            ["participant", n, "txn", t] => {
                let rm = participant(world, n)?;
                let want = parse_u64(t)?;
                if rm.txn() == want {
                    Ok(())
                } else {
                    Err(format!("it is on transaction {}", rm.txn()))
                }
            }
            ["participant", n, state] => {
                let rm = participant(world, n)?;
                if rm.state().as_str() == *state {
                    Ok(())
                } else if !["working", "prepared", "committed", "aborted"].contains(state) {
                    Err(String::from("a participant is working, prepared, committed or aborted"))
                } else {
                    Err(format!("it is {} in transaction {}", rm.state().as_str(), rm.txn()))
                }
            }
            ["in-doubt", n] => {
                let rm = participant(world, n)?;
                if rm.in_doubt() {
                    Ok(())
                } else {
                    Err(format!("it is {} in transaction {}, not in doubt", rm.state().as_str(), rm.txn()))
                }
            }
            ["not", "in-doubt", n] => {
                let rm = participant(world, n)?;
                if rm.in_doubt() {
                    Err(format!("it is in doubt about transaction {}", rm.txn()))
                } else {
                    Ok(())
                }
            }
            ["all", outcome @ ("committed" | "aborted")] => {
                let want = if *outcome == "committed" { RmState::Committed } else { RmState::Aborted };
                let mut txn = None;
                for id in world.cluster().peers(COORDINATOR) {
                    let rm = world
                        .node(id)
                        .and_then(TwoPcNode::participant)
                        .ok_or_else(|| format!("{id} is down"))?;
                    if rm.state() != want {
                        return Err(format!("{id} is {} in transaction {}", rm.state().as_str(), rm.txn()));
                    }
                    match txn {
                        None => txn = Some((id, rm.txn())),
                        Some((first, t)) if t != rm.txn() => {
                            return Err(format!(
                                "{first} is on transaction {t} but {id} on transaction {}",
                                rm.txn()
                            ))
                        }
                        Some(_) => {}
                    }
                }
                Ok(())
            }
            ["kv", n, key, value] => {
                let got = participant(world, n)?.kv().get(key);
                match (got, *value) {
                    (None, "none") => Ok(()),
                    (Some(v), want) if v == want => Ok(()),
                    (got, _) => Err(format!("{key} is {}", got.unwrap_or("absent"))),
                }
            }
            _ => Err(String::from(
                "unknown two-phase-commit expectation (coordinator, participant, in-doubt, not in-doubt, all committed|aborted, kv)",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `config_pairs` lists exactly what differs from the defaults, in a form `configure` reads
    /// back (share links depend on it).
    #[test]
    fn config_pairs_round_trip_through_configure() {
        let d = TwoPc::default_config();
        assert!(TwoPc::config_pairs(&d).is_empty());
        assert_eq!(TwoPc::bug_of(&d), None);
        let mut c = d.clone();
        for (key, value) in [
            ("vote-no", "2,5"),
            ("vote-timeout", "1.5..2.25ms"),
            ("resend", "33ms"),
            ("status-interval", "70..90ms"),
            ("queue", "9"),
        ] {
            TwoPc::configure(&mut c, key, value).unwrap();
        }
        let pairs = TwoPc::config_pairs(&c);
        assert_eq!(pairs.len(), 5);
        let mut back = d;
        for (key, value) in &pairs {
            TwoPc::configure(&mut back, key, value).unwrap();
        }
        assert_eq!(back, c);
    }

    #[test]
    fn bug_names_match_the_twopc_crate() {
        let names: Vec<&str> = TwoPcBug::ALL.iter().map(|b| b.name()).collect();
        assert_eq!(names, TwoPc::bug_names());
    }

    #[test]
    fn configure_reads_every_key_and_validates() {
        let mut c = TwoPc::default_config();
        TwoPc::configure(&mut c, "vote-no", "3").unwrap();
        assert_eq!(c.no_voters, NodeSet::of([NodeId(3)]));
        TwoPc::configure(&mut c, "vote-no", "S2,4").unwrap();
        assert_eq!(c.no_voters, NodeSet::of([NodeId(2), NodeId(4)]));
        TwoPc::configure(&mut c, "vote-no", "none").unwrap();
        assert!(c.no_voters.is_empty());
        assert!(TwoPc::configure(&mut c, "vote-no", "1").unwrap_err().contains("coordinator"));
        assert!(TwoPc::configure(&mut c, "vote-no", "99").is_err());
        TwoPc::configure(&mut c, "vote-timeout", "300ms").unwrap();
        assert_eq!((c.vote_timeout_min.as_millis(), c.vote_timeout_max.as_millis()), (300, 300));
        TwoPc::configure(&mut c, "status-interval", "50..80ms").unwrap();
        assert_eq!(c.status_interval_max.as_millis(), 80);
        TwoPc::configure(&mut c, "resend", "40ms").unwrap();
        assert_eq!(c.resend_interval.as_millis(), 40);
        TwoPc::configure(&mut c, "queue", "0").unwrap();
        assert_eq!(c.max_queued, 0);
        assert!(TwoPc::configure(&mut c, "resend", "0ms").is_err());
        assert!(TwoPc::configure(&mut c, "heartbeat", "1ms").unwrap_err().contains("unknown"));
        assert_eq!(c.resend_interval.as_millis(), 40, "a refused value changes nothing");
        TwoPc::set_bug(&mut c, "commit-on-timeout").unwrap();
        assert_eq!(c.bug, Some(TwoPcBug::CommitOnTimeout));
        assert_eq!(TwoPc::bug_of(&c), Some("commit-on-timeout"));
        TwoPc::set_bug(&mut c, "none").unwrap();
        assert!(TwoPc::set_bug(&mut c, "nope").is_err());
    }
}
