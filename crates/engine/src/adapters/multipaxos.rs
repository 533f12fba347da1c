//! The view adapter for Multi-Paxos: the ring shows roles as Raft's does (follower, candidate,
//! leader), and the slot grid beside it (rows = acceptors, columns = slots) shows what each
//! acceptor accepted in which ballot and which slots it knows are chosen, so it reads like
//! Raft's log grid.
//!
//! DOM: `data-role` is `follower`, `candidate`, `leader` or `crashed`; `data-term` is the round
//! of the promised ballot; `data-promised`. Slot cells carry `data-slot`, `data-ballot`,
//! `data-chosen` and `data-applied`; rows `data-slot-node` and `data-applied` (slots applied).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use ballot_core::{Command, Lang, NodeId, VecMap};
use ballot_paxos::multi::{highest_slot, safety, RoleName};
use ballot_paxos::{Ballot, PaxosBug};
use ballot_sim::protocols::MultiPaxos;
use ballot_sim::World;

use super::paxos::words;
use super::{attr, ballot_text, flag, group_of, kv_text, node_view, timer_left, Role, LEADER_ROLES};
use crate::registry::Info;
use crate::texts::{role, texts};
use crate::view::{Grid, GridCell, GridRow, KeyItem, NodeView, Panel, Shape};
use crate::{Parts, Visual};

/// Slots shown at once (the newest ones).
pub const SLOT_WINDOW: u64 = 24;

/// What the picker and the bug selector say of the correct protocol.
const SUMMARY: [&str; 2] = [
    "Multi-Paxos as in §3 of \"Paxos Made Simple\": one Paxos instance per slot under a leader.",
    "按照《Paxos Made Simple》第 3 节实现的 Multi-Paxos：在领导者之下每个槽位一个 Paxos 实例。",
];

impl Visual for MultiPaxos {
    const INFO: Info = Info::new("multipaxos", ["Multi-Paxos", "Multi-Paxos"], SUMMARY);

    fn parts(world: &World<MultiPaxos>, lang: Lang) -> Parts {
        let w = words(lang);
        let mut last = highest_slot(world.nodes());
        for id in world.cluster().ids().filter(|id| !world.is_up(*id)) {
            if let Some(d) = world.stored(id) {
                last = last.max(d.accepted.keys().next_back().copied().unwrap_or(0));
            }
        }
        let first = last.saturating_sub(SLOT_WINDOW - 1).max(1);
        let mut rows = Vec::new();
        let mut nodes = Vec::new();
        for id in world.cluster().ids() {
            let (v, row) = node(world, id, first, last, lang);
            nodes.push(v);
            rows.push(row);
        }
        let grid = Grid {
            class: String::from("slots"),
            title: w.slots_title.to_string(),
            caption: w.slots_caption.to_string(),
            key: vec![
                KeyItem { class: String::from("slot committed"), label: w.chosen.to_string() },
                KeyItem { class: String::from("slot pending"), label: w.accepted.to_string() },
            ],
            first,
            last,
            rows,
        };
        Parts { nodes, panels: vec![Panel::Grid(grid)], banner: None, chosen: None }
    }

    const ROLES: &'static [Role] = LEADER_ROLES;

    const ABBREVIATIONS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("P3.1", "promised ballot 3.1 (round 3, proposer S1)", "已承诺选票 3.1（第 3 轮，提议者 S1）"),
        ("P(3.1)", "Prepare: phase 1 for every slot, ballot 3.1", "Prepare：对所有槽位执行阶段 1，选票 3.1"),
        ("Prom", "Promise: with the proposals accepted so far", "Promise：附上已接受的提案"),
        ("Nack", "refused: a higher ballot was promised", "拒绝：已承诺更高的选票"),
        ("A(3.1)#4", "Accept: accept a value for slot 4", "Accept：为槽位 4 接受一个值"),
        ("Acc#4", "Accepted: slot 4's value was accepted", "Accepted：槽位 4 的值已被接受"),
        ("HB", "heartbeat from the leader", "领导者的心跳"),
        ("Need#3", "CatchUp: send me what was chosen from slot 3", "CatchUp：请发来从槽位 3 起已选定的值"),
        ("Dec#3", "Decide: the values chosen from slot 3 on", "Decide：从槽位 3 起已选定的值"),
    ];

    const GOALS: &'static [crate::check::Goal] = &[
        crate::check::Goal {
            expect: "leader any",
            min_term: 1,
            en: "A leader is elected",
            zh: "选出一位领导者",
        },
        crate::check::Goal {
            expect: "slot 1 chosen x=1",
            min_term: 1,
            en: "x=1 is chosen in slot 1",
            zh: "x=1 在槽位 1 被选定",
        },
    ];
    const PROPERTIES: &'static [(&'static str, &'static str)] = &[
        (safety::AGREEMENT, "一致性"),
        (safety::VALIDITY, "有效性"),
        (safety::APPLIED_SEQUENCE_AGREEMENT, "应用序列一致"),
        (safety::PROMISE_RESPECTED, "遵守承诺"),
    ];

    fn describe_bug(name: &str, lang: Lang) -> Option<&'static str> {
        PaxosBug::parse(name).map(|b| b.description(lang))
    }
}

/// One acceptor's view of one slot: solid once it knows the slot is chosen, dashed while only
/// accepted; the head is the accepted ballot (`✓` if it only learned the slot).
fn cell(
    slot: u64,
    accepted: Option<&(Ballot, Command)>,
    chosen: Option<&Command>,
    applied: bool,
    lang: Lang,
) -> Option<GridCell> {
    if accepted.is_none() && chosen.is_none() {
        return None;
    }
    let w = words(lang);
    let ballot = accepted.map(|(b, _)| b.to_string()).unwrap_or_default();
    let value = chosen.or(accepted.map(|(_, v)| v)).map(|v| v.to_string()).unwrap_or_default();
    let is_chosen = chosen.is_some();
    let mut class = String::from(if is_chosen { "slot committed" } else { "slot pending" });
    if applied {
        class.push_str(" applied");
    }
    Some(GridCell {
        class,
        head: if ballot.is_empty() { String::from("✓") } else { ballot.clone() },
        sub: value,
        title: format!("#{slot} · {ballot} · {}", if is_chosen { w.chosen } else { w.accepted }),
        colour: None,
        filled: false,
        attrs: vec![
            attr("slot", slot.to_string()),
            attr("ballot", ballot),
            attr("chosen", flag(is_chosen)),
            attr("applied", flag(applied)),
        ],
    })
}

fn node(world: &World<MultiPaxos>, id: NodeId, first: u64, last: u64, lang: Lang) -> (NodeView, GridRow) {
    let (t, w) = (texts(lang), words(lang));
    let empty = VecMap::new();
    let (mut v, promised, applied, cells) = match world.node(id) {
        Some(n) => {
            let role_name = n.role_name();
            let shape = match role_name {
                RoleName::Leader => Shape::Leader,
                RoleName::Candidate => Shape::Diamond,
                RoleName::Follower => Shape::Circle,
            };
            let mut v = node_view(id, role_name.as_str(), role(lang, role_name.as_str()), true, shape);
            let count = n.promises().map(|p| format!(" ({}/{})", p.count(), n.quorum())).unwrap_or_default();
            v.caption = format!("{}{count}", role(lang, role_name.as_str()));
            v.term = n.promised().round;
            v.timer_left = timer_left(world, id);
            v.extra = (n.applied() > 0).then(|| format!("{} {}", w.applied, n.applied()));
            v.details = vec![
                (w.promised.to_string(), n.promised().to_string()),
                (w.ballot.to_string(), n.ballot().map_or_else(|| t.none.to_string(), |b| b.to_string())),
                (
                    t.leader_is.to_string(),
                    n.leader_hint().map_or_else(|| t.none.to_string(), |l| l.to_string()),
                ),
                (w.applied.to_string(), n.applied().to_string()),
                (t.state_machine.to_string(), kv_text(n.kv(), lang)),
            ];
            let cells = (first..=last)
                .filter(|_| last > 0)
                .map(|s| cell(s, n.accepted_at(s), n.chosen_at(s), s <= n.applied(), lang))
                .collect();
            (v, ballot_text(n.promised()), n.applied(), cells)
        }
        None => {
            let stored = world.stored(id);
            let mut v = node_view(id, "crashed", t.crashed, false, Shape::Circle);
            v.caption = t.crashed.to_string();
            v.term = stored.map_or(0, |d| d.promised.round);
            let accepted = stored.map_or(&empty, |d| &d.accepted);
            let cells = (first..=last)
                .filter(|_| last > 0)
                .map(|s| cell(s, accepted.get(&s), None, false, lang))
                .collect();
            (v, stored.map(|d| ballot_text(d.promised)).unwrap_or_default(), 0, cells)
        }
    };
    v.line = if promised.is_empty() { String::from("P –") } else { format!("P{promised}") };
    let what = match (promised.is_empty(), lang == Lang::Zh) {
        (true, false) => String::from("P – promised no ballot yet"),
        (true, true) => String::from("P – 尚未承诺任何选票"),
        (false, false) => format!("P{promised} promised ballot {promised} (round.proposer)"),
        (false, true) => format!("P{promised} 已承诺选票 {promised}（轮次.提议者）"),
    };
    super::explain(&mut v, &what);
    v.attrs = vec![attr("promised", promised)];
    v.group = group_of(world, id);
    let row = GridRow {
        label: format!("S{}", id.0),
        up: v.up,
        attrs: vec![attr("slot-node", id.0.to_string()), attr("applied", applied.to_string())],
        cells,
    };
    (v, row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::view_of;
    use crate::session::TRACE_KEEP;
    use ballot_core::Duration;
    use ballot_sim::{Action, Protocol, SimConfig};

    #[test]
    fn a_leader_fills_slots_on_a_majority() {
        let mut world = World::new(SimConfig::<MultiPaxos>::new(3, 1)).with_trace(TRACE_KEEP);
        world.run_for(Duration::from_millis(2000));
        let leader = MultiPaxos::leader(&world).expect("a leader is elected");
        for cmd in ["x=1", "y=2"] {
            world.act(Action::Request { node: leader, command: Command::parse(cmd).unwrap() });
        }
        world.run_for(Duration::from_millis(500));
        let s = view_of(&world, Lang::En);
        assert_eq!(s.leader, Some(leader.0));
        assert_eq!(s.nodes[leader.index()].role, "leader");
        assert!(s.nodes[leader.index()].attrs.iter().any(|(k, v)| k == "promised" && !v.is_empty()));
        let Panel::Grid(grid) = &s.panels[0] else { panic!("Multi-Paxos shows slots") };
        assert_eq!(grid.class, "slots");
        assert!(grid.last >= 2);
        let chosen_x = grid
            .rows
            .iter()
            .filter(|r| {
                r.cells.iter().flatten().any(|c| c.sub == "x=1" && c.attrs.contains(&attr("chosen", "true")))
            })
            .count();
        assert!(chosen_x >= 2, "{grid:?}");
        let c = grid.rows[leader.index()].cells.iter().flatten().next().expect("the leader holds a slot");
        assert!(c.class.starts_with("slot committed"), "{}", c.class);
        assert_eq!(c.colour, None);
    }
}
