//! The view adapter for two-phase commit: the coordinator (TM, `S1`) is a square with its state
//! and the votes it received; each participant (RM) shows its state by colour and text, and a
//! participant that voted yes and waits for the decision is marked **in doubt**: it may neither
//! commit nor abort alone, so it blocks while the coordinator is silent.
//!
//! DOM: `data-role` is `coordinator` or `participant` (also while crashed: the role is fixed by
//! the id; `data-up="false"` says it is down); `data-state` is the TM's `init`/`committed`/
//! `aborted` or the RM's `working`/`prepared`/`committed`/`aborted` (a crashed node shows what it
//! persisted); `data-in-doubt` on participants; `data-term` is the transaction number.

use std::rc::Rc;

use ballot_core::{Lang, NodeId};
use ballot_sim::protocols::TwoPc;
use ballot_sim::World;
use ballot_twopc::{Decision, RmState, TmPhase, TwoPcDurable, Vote, COORDINATOR};

use super::{group_of, kv_text, timer_left, Banner, Detail, NodeView, Parts, ProtocolKind, Shape, Snapshot};
use crate::i18n::{state_name, texts};

/// One participant's row in the transaction table.
#[derive(Clone, PartialEq, Debug)]
pub struct RmRow {
    /// Node id.
    pub node: u8,
    /// Whether it is up.
    pub up: bool,
    /// Transaction number.
    pub txn: u64,
    /// `working`, `prepared`, `committed` or `aborted`.
    pub state: &'static str,
    /// `yes`, `no` or empty.
    pub vote: &'static str,
    /// Prepared and waiting for the decision.
    pub in_doubt: bool,
    /// Its store.
    pub kv: String,
}

/// The transaction table.
#[derive(Clone, PartialEq, Debug)]
pub struct TxnView {
    /// The coordinator is up.
    pub tm_up: bool,
    /// The coordinator's transaction number.
    pub txn: u64,
    /// Its write (`x=5`), empty before the first transaction.
    pub command: String,
    /// `init`, `committed` or `aborted`.
    pub tm_state: &'static str,
    /// `idle`, `collecting` or `announcing` (empty while down).
    pub phase: &'static str,
    /// Yes votes received (`S2, S3`).
    pub yes: String,
    /// No votes received.
    pub no: String,
    /// Acknowledgements received.
    pub acks: String,
    /// One per participant.
    pub rms: Vec<RmRow>,
}

fn decision_state(d: Option<Decision>) -> &'static str {
    match d {
        None => "init",
        Some(Decision::Commit) => "committed",
        Some(Decision::Abort) => "aborted",
    }
}

fn ids(set: ballot_twopc::NodeSet) -> String {
    set.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(", ")
}

fn vote_name(v: Option<Vote>) -> &'static str {
    match v {
        Some(Vote::Yes) => "yes",
        Some(Vote::No) => "no",
        None => "",
    }
}

/// Reads everything the page draws from `world`.
pub fn snapshot(world: &World<TwoPc>, lang: Lang) -> Snapshot {
    let t = texts(lang);
    let participants = world.cluster().size().saturating_sub(1);
    let mut txn = TxnView {
        tm_up: false,
        txn: 0,
        command: String::new(),
        tm_state: "init",
        phase: "",
        yes: String::new(),
        no: String::new(),
        acks: String::new(),
        rms: Vec::new(),
    };
    let mut nodes = Vec::new();
    for id in world.cluster().ids() {
        let up = world.is_up(id);
        let mut v = if id == COORDINATOR {
            let mut v = NodeView::new(id, "coordinator", up, Shape::Square);
            match world.node(id).and_then(|n| n.coordinator()) {
                Some(tm) => {
                    txn.tm_up = true;
                    txn.txn = tm.txn();
                    txn.command = tm.command().map(|c| c.to_string()).unwrap_or_default();
                    txn.tm_state = tm.tm_state().as_str();
                    txn.phase = match tm.phase() {
                        TmPhase::Idle => "idle",
                        TmPhase::Collecting => "collecting",
                        TmPhase::Announcing { .. } => "announcing",
                    };
                    txn.yes = ids(tm.yes_votes());
                    txn.no = ids(tm.no_votes());
                    txn.acks = ids(tm.acks());
                    v.extra = Some(match tm.phase() {
                        TmPhase::Announcing { acked } => {
                            format!("{} {}/{participants}", t.acks, acked.count())
                        }
                        _ => {
                            let no = tm.no_votes().count();
                            let no = if no > 0 { format!(" · {} {no}", t.vote_no) } else { String::new() };
                            format!("{} {}/{participants}{no}", t.vote_yes, tm.yes_votes().count())
                        }
                    });
                    v.can_timeout = matches!(tm.phase(), TmPhase::Collecting);
                }
                None => {
                    if let Some(TwoPcDurable::Coordinator(d)) = world.stored(id) {
                        txn.txn = d.txn;
                        txn.command = d.command.as_ref().map(|c| c.to_string()).unwrap_or_default();
                        txn.tm_state = decision_state(d.decision);
                    }
                }
            }
            v.term = txn.txn;
            v.state = Some(txn.tm_state);
            v.caption = format!("{} · {}", t.coordinator, state_name(lang, txn.tm_state));
            v.details = vec![
                (t.txn, txn.txn.to_string()),
                (t.write, if txn.command.is_empty() { t.none.to_string() } else { txn.command.clone() }),
                (t.tm_state, state_name(lang, txn.tm_state).to_string()),
                (t.vote_yes, if txn.yes.is_empty() { String::from("—") } else { txn.yes.clone() }),
            ];
            v
        } else {
            let mut v = NodeView::new(id, "participant", up, Shape::Circle);
            v.can_timeout = false;
            let row = match world.node(id).and_then(|n| n.participant()) {
                Some(rm) => RmRow {
                    node: id.0,
                    up: true,
                    txn: rm.txn(),
                    state: rm.state().as_str(),
                    vote: vote_name(rm.vote()),
                    in_doubt: rm.in_doubt(),
                    kv: kv_text(rm.kv(), lang),
                },
                None => {
                    let d = match world.stored(id) {
                        Some(TwoPcDurable::Participant(d)) => Some(d),
                        _ => None,
                    };
                    RmRow {
                        node: id.0,
                        up: false,
                        txn: d.map_or(0, |d| d.txn),
                        state: d.map_or(RmState::Working, |d| d.state).as_str(),
                        vote: vote_name(d.and_then(|d| d.vote)),
                        in_doubt: false,
                        kv: d.map_or_else(|| t.empty.to_string(), |d| kv_text(&d.kv, lang)),
                    }
                }
            };
            v.term = row.txn;
            v.state = Some(row.state);
            v.in_doubt = Some(row.in_doubt);
            v.caption = state_name(lang, row.state).to_string();
            v.extra = if row.in_doubt {
                Some(t.in_doubt_short.to_string())
            } else if row.vote == "no" {
                Some(t.voted_no.to_string())
            } else {
                None
            };
            v.details = vec![
                (t.txn, row.txn.to_string()),
                (t.rm_state, state_name(lang, row.state).to_string()),
                (
                    t.vote,
                    if row.vote.is_empty() {
                        t.none.to_string()
                    } else {
                        state_name(lang, row.vote).to_string()
                    },
                ),
                (t.state_machine, row.kv.clone()),
            ];
            txn.rms.push(row);
            v
        };
        if !up {
            v.caption = format!("{} · {}", crate::i18n::role(lang, "crashed"), v.caption);
        }
        v.line = format!("tx{}", v.term);
        v.timer_left = if up { timer_left(world, id) } else { None };
        v.group = group_of(world, id);
        nodes.push(v);
    }
    let doubting: Vec<String> =
        txn.rms.iter().filter(|r| r.in_doubt).map(|r| NodeId(r.node).to_string()).collect();
    let banner = (!doubting.is_empty()).then(|| Banner::InDoubt(doubting.join(", "), !txn.tm_up));
    let parts = Parts {
        protocol: ProtocolKind::TwoPc,
        nodes,
        detail: Detail::TwoPc(Rc::new(txn)),
        banner,
        chosen: None,
        fingerprint: Some(world.fingerprint()),
    };
    super::snapshot(world, lang, parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballot_core::{Command, Duration};
    use ballot_sim::{Action, SimConfig};

    #[test]
    fn a_crashed_coordinator_leaves_participants_in_doubt() {
        let mut world = World::new(SimConfig::<TwoPc>::new(3, 1)).with_trace(64);
        world.act(Action::Request { node: COORDINATOR, command: Command::parse("x=5").unwrap() });
        // Step until every participant has voted yes, then crash the coordinator.
        for _ in 0..100 {
            let s = snapshot(&world, Lang::En);
            if s.nodes[1..].iter().all(|n| n.state == Some("prepared")) {
                break;
            }
            world.step();
        }
        world.act(Action::Crash(COORDINATOR));
        world.run_for(Duration::from_millis(300));
        let s = snapshot(&world, Lang::En);
        assert_eq!(s.nodes[0].role, "coordinator");
        assert!(!s.nodes[0].up);
        assert!(s.nodes[1..].iter().all(|n| n.in_doubt == Some(true)), "{:?}", s.nodes);
        assert!(matches!(s.banner, Some(Banner::InDoubt(_, true))));
        world.act(Action::Restart(COORDINATOR));
        world.run_for(Duration::from_millis(500));
        let s = snapshot(&world, Lang::En);
        let states: Vec<_> = s.nodes[1..].iter().map(|n| n.state).collect();
        assert!(
            states.iter().all(|s| *s == states[0] && matches!(s, Some("committed" | "aborted"))),
            "{states:?}"
        );
        assert!(s.banner.is_none());
    }
}
