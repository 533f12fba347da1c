//! The view adapter for Multi-Paxos: the ring shows roles as Raft's does (follower, candidate,
//! leader), and the slot grid beside it (rows = acceptors, columns = slots) shows what each
//! acceptor accepted in which ballot and which slots it knows are chosen, so it reads like
//! Raft's log grid.
//!
//! DOM: `data-role` is `follower`, `candidate`, `leader` or `crashed`; `data-term` is the round
//! of the promised ballot; `data-promised`. Slot cells carry `data-slot`, `data-ballot`,
//! `data-chosen` and `data-applied`; rows `data-slot-node` and `data-applied` (slots applied).

use std::rc::Rc;

use ballot_core::{Command, Lang, VecMap};
use ballot_paxos::multi::{highest_slot, RoleName};
use ballot_paxos::Ballot;
use ballot_sim::protocols::MultiPaxos;
use ballot_sim::World;

use super::{
    ballot_text, group_of, kv_text, timer_left, Detail, NodeView, Parts, ProtocolKind, Shape, Snapshot,
};
use crate::i18n::texts;

/// Slots shown at once (the newest ones).
pub const SLOT_WINDOW: u64 = 24;

/// One acceptor's view of one slot.
#[derive(Clone, PartialEq, Debug)]
pub struct SlotCellView {
    /// The slot.
    pub slot: u64,
    /// Ballot of the accepted proposal (`3.1`), empty if it only learned the slot.
    pub ballot: String,
    /// The value (accepted, or learned).
    pub value: String,
    /// This node knows the slot is chosen.
    pub chosen: bool,
    /// This node applied the slot.
    pub applied: bool,
}

/// One acceptor's row.
#[derive(Clone, PartialEq, Debug)]
pub struct SlotRowView {
    /// Node id.
    pub node: u8,
    /// Whether it is up (a crashed node shows its persisted acceptor state).
    pub up: bool,
    /// Slots applied to its state machine.
    pub applied: u64,
    /// One per shown slot; `None` where it holds nothing.
    pub cells: Vec<Option<SlotCellView>>,
}

/// The slot grid.
#[derive(Clone, PartialEq, Debug)]
pub struct SlotGrid {
    /// First slot shown.
    pub first: u64,
    /// Last slot shown (0 when nothing was proposed yet).
    pub last: u64,
    /// One per acceptor.
    pub rows: Vec<SlotRowView>,
}

fn cell(
    slot: u64,
    accepted: Option<&(Ballot, Command)>,
    chosen: Option<&Command>,
    applied: bool,
) -> Option<SlotCellView> {
    if accepted.is_none() && chosen.is_none() {
        return None;
    }
    Some(SlotCellView {
        slot,
        ballot: accepted.map(|(b, _)| b.to_string()).unwrap_or_default(),
        value: chosen.or(accepted.map(|(_, v)| v)).map(|v| v.to_string()).unwrap_or_default(),
        chosen: chosen.is_some(),
        applied,
    })
}

/// Reads everything the page draws from `world`.
pub fn snapshot(world: &World<MultiPaxos>, lang: Lang) -> Snapshot {
    let t = texts(lang);
    let mut last = highest_slot(world.nodes());
    for id in world.cluster().ids().filter(|id| !world.is_up(*id)) {
        if let Some(d) = world.stored(id) {
            last = last.max(d.accepted.keys().next_back().copied().unwrap_or(0));
        }
    }
    let first = last.saturating_sub(SLOT_WINDOW - 1).max(1);
    let empty = VecMap::new();
    let mut rows = Vec::new();
    let mut nodes = Vec::new();
    for id in world.cluster().ids() {
        let (mut v, row) = match world.node(id) {
            Some(n) => {
                let role = n.role_name();
                let shape = match role {
                    RoleName::Leader => Shape::Leader,
                    RoleName::Candidate => Shape::Diamond,
                    RoleName::Follower => Shape::Circle,
                };
                let mut v = NodeView::new(id, role.as_str(), true, shape);
                let count =
                    n.promises().map(|p| format!(" ({}/{})", p.count(), n.quorum())).unwrap_or_default();
                v.caption = format!("{}{count}", crate::i18n::role(lang, role.as_str()));
                v.term = n.promised().round;
                v.promised = Some(ballot_text(n.promised()));
                v.timer_left = timer_left(world, id);
                v.extra = (n.applied() > 0).then(|| format!("{} {}", t.applied, n.applied()));
                v.details = vec![
                    (t.promised, n.promised().to_string()),
                    (t.ballot, n.ballot().map_or_else(|| t.none.to_string(), |b| b.to_string())),
                    (t.leader_is, n.leader_hint().map_or_else(|| t.none.to_string(), |l| l.to_string())),
                    (t.applied, n.applied().to_string()),
                    (t.state_machine, kv_text(n.kv(), lang)),
                ];
                let cells = (first..=last)
                    .filter(|_| last > 0)
                    .map(|s| cell(s, n.accepted_at(s), n.chosen_at(s), s <= n.applied()))
                    .collect();
                (v, SlotRowView { node: id.0, up: true, applied: n.applied(), cells })
            }
            None => {
                let stored = world.stored(id);
                let mut v = NodeView::new(id, "crashed", false, Shape::Circle);
                v.caption = crate::i18n::role(lang, "crashed").to_string();
                v.term = stored.map_or(0, |d| d.promised.round);
                v.promised = Some(stored.map(|d| ballot_text(d.promised)).unwrap_or_default());
                let accepted = stored.map_or(&empty, |d| &d.accepted);
                let cells = (first..=last)
                    .filter(|_| last > 0)
                    .map(|s| cell(s, accepted.get(&s), None, false))
                    .collect();
                (v, SlotRowView { node: id.0, up: false, applied: 0, cells })
            }
        };
        v.line = match v.promised.as_deref() {
            Some(p) if !p.is_empty() => format!("P{p}"),
            _ => String::from("P –"),
        };
        v.group = group_of(world, id);
        nodes.push(v);
        rows.push(row);
    }
    let grid = SlotGrid { first, last, rows };
    let parts = Parts {
        protocol: ProtocolKind::MultiPaxos,
        nodes,
        detail: Detail::Slots(Rc::new(grid)),
        banner: None,
        chosen: None,
        fingerprint: Some(world.fingerprint()),
    };
    super::snapshot(world, lang, parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballot_core::Duration;
    use ballot_sim::{Action, Protocol, SimConfig};

    #[test]
    fn a_leader_fills_slots_on_a_majority() {
        let mut world = World::new(SimConfig::<MultiPaxos>::new(3, 1)).with_trace(64);
        world.run_for(Duration::from_millis(2000));
        let leader = MultiPaxos::leader(&world).expect("a leader is elected");
        for cmd in ["x=1", "y=2"] {
            world.act(Action::Request { node: leader, command: Command::parse(cmd).unwrap() });
        }
        world.run_for(Duration::from_millis(500));
        let s = snapshot(&world, Lang::En);
        assert_eq!(s.leader, Some(leader.0));
        assert_eq!(s.nodes[leader.index()].role, "leader");
        let Detail::Slots(grid) = &s.detail else { panic!("Multi-Paxos shows slots") };
        assert!(grid.last >= 2);
        let chosen_x = grid
            .rows
            .iter()
            .filter(|r| r.cells.iter().flatten().any(|c| c.value == "x=1" && c.chosen))
            .count();
        assert!(chosen_x >= 2, "{grid:?}");
    }
}
