//! The view adapter for Basic Paxos: every node is proposer, acceptor and learner, so each node
//! shows its acceptor's promise and accepted proposal, its proposer's phase with the promises or
//! acceptances counted against the quorum, and what its learner learned.
//!
//! DOM: `data-role` is `proposer` while the node's proposer runs a round (prepare, accept or
//! back-off), `acceptor` otherwise, `crashed` while down; `data-term` is the round of the promised
//! ballot (0 before any promise); `data-promised` / `data-accepted` / `data-phase` /
//! `data-learned`. The root gets `data-chosen` once some live learner learned a value.

use std::rc::Rc;

use ballot_core::{Command, Lang};
use ballot_paxos::basic::Phase;
use ballot_paxos::Ballot;
use ballot_sim::protocols::Paxos;
use ballot_sim::World;

use super::{
    ballot_text, group_of, timer_left, Banner, Detail, NodeView, Parts, ProtocolKind, Shape, Snapshot,
};
use crate::i18n::{phase, texts};

/// One node's row in the roles table.
#[derive(Clone, PartialEq, Debug)]
pub struct PaxosRow {
    /// Node id.
    pub node: u8,
    /// Whether it is up (a crashed node shows its acceptor's persisted state).
    pub up: bool,
    /// Promised ballot (`3.1`, empty for none).
    pub promised: String,
    /// Accepted proposal (`3.1 x=5`, empty for none).
    pub accepted: String,
    /// Proposer phase (`idle`, `prepare`, `accept`, `backoff`, `done`), `None` while down.
    pub phase: Option<&'static str>,
    /// `promises 2/3` or `accepts 2/3` while a round runs.
    pub count: String,
    /// The value its learner learned.
    pub learned: String,
}

fn proposal_text(p: Option<&(Ballot, Command)>) -> String {
    p.map(|(b, v)| format!("{b} {v}")).unwrap_or_default()
}

/// The proposer's phase as shown: `done` once the node learned a value and stopped proposing.
fn shown_phase(p: Phase, learned: bool) -> &'static str {
    match p {
        Phase::Idle if learned => "done",
        p => p.as_str(),
    }
}

/// Reads everything the page draws from `world`.
pub fn snapshot(world: &World<Paxos>, lang: Lang) -> Snapshot {
    let t = texts(lang);
    let mut rows = Vec::new();
    let mut nodes = Vec::new();
    for id in world.cluster().ids() {
        let (v, row) = match world.node(id) {
            Some(n) => {
                let learned = n.chosen().map(|v| v.to_string()).unwrap_or_default();
                let ph = shown_phase(n.phase(), n.chosen().is_some());
                let count = match n.phase() {
                    Phase::Prepare => format!("{} {}/{}", t.promises, n.promise_count(), n.quorum()),
                    Phase::Accept => format!("{} {}/{}", t.accepts, n.accept_count(), n.quorum()),
                    _ => String::new(),
                };
                let role = if matches!(n.phase(), Phase::Idle) { "acceptor" } else { "proposer" };
                let shape = if role == "proposer" { Shape::Diamond } else { Shape::Circle };
                let mut v = NodeView::new(id, role, true, shape);
                v.term = n.promised().round;
                v.caption = if count.is_empty() { phase(lang, ph).to_string() } else { count.clone() };
                v.state = (!learned.is_empty()).then_some("learned");
                v.timer_left = timer_left(world, id);
                v.can_timeout = matches!(n.phase(), Phase::Prepare | Phase::Accept);
                v.details = vec![
                    (t.proposal, n.proposal().map_or_else(|| t.none.to_string(), |c| c.to_string())),
                    (t.ballot, n.ballot().map_or_else(|| t.none.to_string(), |b| b.to_string())),
                ];
                let row = PaxosRow {
                    node: id.0,
                    up: true,
                    promised: ballot_text(n.promised()),
                    accepted: proposal_text(n.accepted()),
                    phase: Some(ph),
                    count,
                    learned,
                };
                (v, row)
            }
            None => {
                let stored = world.stored(id);
                let mut v = NodeView::new(id, "crashed", false, Shape::Circle);
                v.term = stored.map_or(0, |d| d.promised.round);
                v.caption = crate::i18n::role(lang, "crashed").to_string();
                let row = PaxosRow {
                    node: id.0,
                    up: false,
                    promised: stored.map(|d| ballot_text(d.promised)).unwrap_or_default(),
                    accepted: proposal_text(stored.and_then(|d| d.accepted.as_ref())),
                    phase: None,
                    count: String::new(),
                    learned: String::new(),
                };
                (v, row)
            }
        };
        let mut v = fill(v, &row, lang);
        v.group = group_of(world, id);
        nodes.push(v);
        rows.push(row);
    }

    let learners: Vec<&PaxosRow> = rows.iter().filter(|r| !r.learned.is_empty()).collect();
    let chosen = learners.first().map(|r| r.learned.clone());
    let banner = chosen.as_ref().map(|v| {
        let who = learners.iter().map(|r| format!("S{}", r.node)).collect::<Vec<_>>().join(", ");
        Banner::Chosen(v.clone(), who)
    });
    let parts = Parts {
        protocol: ProtocolKind::Paxos,
        nodes,
        detail: Detail::Paxos(Rc::new(rows)),
        banner,
        chosen,
        fingerprint: Some(world.fingerprint()),
    };
    super::snapshot(world, lang, parts)
}

/// Copies the row's acceptor and learner state onto the ring node.
fn fill(mut v: NodeView, row: &PaxosRow, lang: Lang) -> NodeView {
    let t = texts(lang);
    v.line = if row.promised.is_empty() { String::from("P –") } else { format!("P{}", row.promised) };
    let mut extra = Vec::new();
    if !row.accepted.is_empty() {
        extra.push(format!("A {}", row.accepted));
    }
    if !row.learned.is_empty() {
        extra.push(format!("✓{}", row.learned));
    }
    v.extra = (!extra.is_empty()).then(|| extra.join(" "));
    v.promised = Some(row.promised.clone());
    v.accepted = Some(row.accepted.clone());
    v.phase = row.phase;
    v.learned = Some(row.learned.clone());
    let none = || t.none.to_string();
    let or_none = |s: &String| if s.is_empty() { none() } else { s.clone() };
    let mut details = vec![
        (t.promised, or_none(&row.promised)),
        (t.accepted, or_none(&row.accepted)),
        (
            t.proposer,
            row.phase.map_or_else(none, |p| {
                if row.count.is_empty() {
                    phase(lang, p).to_string()
                } else {
                    row.count.clone()
                }
            }),
        ),
        (t.learned, or_none(&row.learned)),
    ];
    details.append(&mut v.details);
    v.details = details;
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballot_core::{Duration, NodeId};
    use ballot_sim::{Action, SimConfig};

    #[test]
    fn a_request_is_chosen_and_shown() {
        let mut world = World::new(SimConfig::<Paxos>::new(3, 1)).with_trace(64);
        world.act(Action::Request { node: NodeId(1), command: Command::parse("x=5").unwrap() });
        let s = snapshot(&world, Lang::En);
        assert_eq!(s.nodes[0].role, "proposer");
        assert_eq!(s.nodes[0].phase, Some("prepare"));
        assert!(s.nodes[0].caption.contains("1/2"), "{}", s.nodes[0].caption);
        world.run_for(Duration::from_millis(200));
        let s = snapshot(&world, Lang::En);
        assert_eq!(s.chosen.as_deref(), Some("x=5"));
        assert!(matches!(s.banner, Some(Banner::Chosen(..))));
        assert_eq!(s.nodes[1].accepted.as_deref(), Some("1.1 x=5"));
        assert_eq!(s.nodes[1].term, 1);
        assert_eq!(s.properties.len(), world.properties().len());
    }
}
