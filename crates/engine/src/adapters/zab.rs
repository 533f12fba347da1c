//! The view adapter for Zab: the ring shows each server's state (looking, following, leading)
//! by shape, its phase (election, discovery, sync, broadcast), its currentEpoch and last zxid;
//! the history grid beside it (rows = servers, columns = the newest history positions) shows
//! each transaction's zxid and command, filled once that server delivered it.
//!
//! DOM: `data-role` is `looking`, `following`, `leading` or `crashed`; `data-phase`
//! `election`, `discovery`, `sync` or `broadcast` (empty while crashed); `data-term` the
//! currentEpoch (a crashed server shows its persisted one); `data-zxid` the last zxid
//! (`0x1_0003`: epoch in hex, `_`, counter as four hex digits); `data-accepted-epoch`,
//! `data-committed-zxid`. History rows carry `data-history-node` and `data-delivered`, cells
//! `data-index`, `data-zxid` and `data-committed`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use ballot_core::{Lang, NodeId};
use ballot_sim::protocols::Zab;
use ballot_sim::World;
use ballot_zab::{safety, History, Phase, RoleName, ZabBug};

use super::{attr, flag, group_of, kv_text, node_view, timer_left, Role};
use crate::registry::Info;
use crate::texts::texts;
use crate::view::{Grid, GridCell, GridRow, KeyItem, NodeView, Panel, Shape};
use crate::{Parts, Visual};

/// History positions shown at once (the newest ones).
pub const HISTORY_WINDOW: u64 = 24;

/// What the picker and the bug selector say of the correct protocol.
const SUMMARY: [&str; 2] = [
    "ZooKeeper Atomic Broadcast: Fast Leader Election, then discovery, synchronisation and broadcast, as in the Zab paper and ZooKeeper's TLA+ spec.",
    "ZooKeeper 原子广播：快速领导者选举，然后是发现、同步与广播三个阶段，依照 Zab 论文与 ZooKeeper 的 TLA+ 规范。",
];

/// The words of the Zab view, in one language.
pub struct Words {
    /// LOOKING.
    pub looking: &'static str,
    /// FOLLOWING.
    pub following: &'static str,
    /// LEADING.
    pub leading: &'static str,
    /// The election phase.
    pub election: &'static str,
    /// Phase 1.
    pub discovery: &'static str,
    /// Phase 2.
    pub sync: &'static str,
    /// Phase 3.
    pub broadcast: &'static str,
    /// acceptedEpoch.
    pub accepted_epoch: &'static str,
    /// currentEpoch.
    pub current_epoch: &'static str,
    /// Last zxid.
    pub last_zxid: &'static str,
    /// Last delivered zxid.
    pub delivered: &'static str,
    /// Election round.
    pub round: &'static str,
    /// Vote.
    pub vote: &'static str,
    /// Phase label.
    pub phase: &'static str,
    /// The grid's title.
    pub history_title: &'static str,
    /// The grid's caption.
    pub history_caption: &'static str,
    /// A delivered transaction.
    pub committed: &'static str,
    /// An accepted, undelivered one.
    pub proposed: &'static str,
    /// The timer arc.
    pub timer: &'static str,
}

const EN: Words = Words {
    looking: "looking",
    following: "following",
    leading: "leading",
    election: "election",
    discovery: "discovery",
    sync: "sync",
    broadcast: "broadcast",
    accepted_epoch: "acceptedEpoch",
    current_epoch: "currentEpoch",
    last_zxid: "Last zxid",
    delivered: "Delivered up to",
    round: "Election round",
    vote: "Vote",
    phase: "Phase",
    history_title: "Histories",
    history_caption: "One row per server, newest transactions on the right; filled = delivered (committed), hollow = accepted only. Heads are zxids: epoch_counter in hex.",
    committed: "delivered",
    proposed: "accepted",
    timer: "timeout: election round, silent leader or lost quorum",
};

const ZH: Words = Words {
    looking: "选举中",
    following: "跟随者",
    leading: "领导者",
    election: "选举",
    discovery: "发现",
    sync: "同步",
    broadcast: "广播",
    accepted_epoch: "acceptedEpoch",
    current_epoch: "currentEpoch",
    last_zxid: "最后的 zxid",
    delivered: "已交付至",
    round: "选举轮次",
    vote: "投票",
    phase: "阶段",
    history_title: "历史",
    history_caption: "每行一台服务器，最新的事务在右侧；实心 = 已交付（已提交），空心 = 仅已接受。格头是 zxid：十六进制的 纪元_计数。",
    committed: "已交付",
    proposed: "已接受",
    timer: "超时：选举轮次、领导者失联或失去法定人数",
};

/// The Zab words in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

fn phase_label(lang: Lang, phase: Phase) -> &'static str {
    let w = words(lang);
    match phase {
        Phase::Election => w.election,
        Phase::Discovery => w.discovery,
        Phase::Sync => w.sync,
        Phase::Broadcast => w.broadcast,
    }
}

impl Visual for Zab {
    const INFO: Info = Info::new("zab", ["Zab", "Zab"], SUMMARY);

    fn parts(world: &World<Zab>, lang: Lang) -> Parts {
        let nodes = world.cluster().ids().map(|id| node(world, id, lang)).collect();
        Parts { nodes, panels: vec![Panel::Grid(history_grid(world, lang))], banner: None, chosen: None }
    }

    const ABBREVIATIONS: &'static [(&'static str, &'static str, &'static str)] = &[
        (
            "e1 0x1_0003",
            "current epoch 1; last zxid: epoch 1, counter 3",
            "当前纪元 1；最后的 zxid：纪元 1，计数器 3",
        ),
        ("N", "Notification: a vote in the leader election", "Notification：领导者选举中的一票"),
        ("CE", "CEPOCH: a follower's accepted epoch", "CEPOCH：跟随者已接受的纪元"),
        ("NE", "NEWEPOCH: the new epoch", "NEWEPOCH：新纪元"),
        ("AE", "ACKEPOCH: the follower accepts it", "ACKEPOCH：跟随者接受新纪元"),
        ("NL", "NEWLEADER: the history to adopt", "NEWLEADER：要采纳的历史"),
        ("AL", "ACKLD: history adopted", "ACKLD：已采纳历史"),
        ("CL", "COMMITLD: commit the adopted history", "COMMITLD：提交已采纳的历史"),
        ("P", "PROPOSE: a new transaction", "PROPOSE：新事务"),
        ("A", "ACK: the proposal is logged", "ACK：提案已记录"),
        ("C", "COMMIT: deliver up to a zxid (also the heartbeat)", "COMMIT：交付到某个 zxid（兼作心跳）"),
    ];

    const ROLES: &'static [Role] = &[
        ("looking", Shape::Diamond, |l| words(l).looking),
        ("following", Shape::Circle, |l| words(l).following),
        ("leading", Shape::Leader, |l| words(l).leading),
    ];

    const GOALS: &'static [crate::check::Goal] = &[crate::check::Goal {
        expect: "leader any",
        min_term: 1,
        en: "A leader establishes its epoch",
        zh: "领导者确立其纪元",
    }];
    const PROPERTIES: &'static [(&'static str, &'static str)] = &[
        (safety::INTEGRITY, "完整性"),
        (safety::TOTAL_ORDER, "全序"),
        (safety::AGREEMENT, "一致性"),
        (safety::LOCAL_PRIMARY_ORDER, "局部主序"),
        (safety::GLOBAL_PRIMARY_ORDER, "全局主序"),
        (safety::PRIMARY_INTEGRITY, "主进程完整性"),
        (safety::COMMITTED_NEVER_LOST, "已提交事务不丢失"),
    ];

    fn describe_bug(name: &str, lang: Lang) -> Option<&'static str> {
        ZabBug::parse(name).map(|b| b.description(lang))
    }

    fn timer_legend(lang: Lang) -> &'static str {
        words(lang).timer
    }
}

fn node(world: &World<Zab>, id: NodeId, lang: Lang) -> NodeView {
    let (t, w) = (texts(lang), words(lang));
    let mut v = match world.node(id) {
        Some(n) => {
            let (role, label, shape) = match n.role_name() {
                RoleName::Looking => ("looking", w.looking, Shape::Diamond),
                RoleName::Following => ("following", w.following, Shape::Circle),
                RoleName::Leading => ("leading", w.leading, Shape::Leader),
            };
            let mut v = node_view(id, role, label, true, shape);
            let phase = n.phase();
            let last = n.history().last_zxid().to_string();
            let delivered = n.committed_zxid().to_string();
            v.term = n.current_epoch();
            v.line = format!("e{} {last}", n.current_epoch());
            v.caption = format!("{label} · {}", phase_label(lang, phase));
            v.timer_left = timer_left(world, id);
            v.extra = (n.committed() > 0).then(|| format!("✓ {delivered}"));
            v.attrs = vec![
                attr("phase", phase.as_str()),
                attr("zxid", last.clone()),
                attr("accepted-epoch", n.accepted_epoch().to_string()),
                attr("committed-zxid", delivered.clone()),
            ];
            v.details = vec![
                (w.phase.to_string(), phase_label(lang, phase).to_string()),
                (w.accepted_epoch.to_string(), n.accepted_epoch().to_string()),
                (w.current_epoch.to_string(), n.current_epoch().to_string()),
                (w.last_zxid.to_string(), last),
                (w.delivered.to_string(), delivered),
                (w.round.to_string(), n.round().to_string()),
                (w.vote.to_string(), n.vote().leader.to_string()),
                (t.state_machine.to_string(), kv_text(n.kv(), lang)),
            ];
            v
        }
        None => {
            let stored = world.stored(id);
            let mut v = node_view(id, "crashed", t.crashed, false, Shape::Circle);
            let epoch = stored.map_or(0, |d| d.current_epoch);
            let last = stored.map(|d| d.history.last_zxid()).unwrap_or_default().to_string();
            v.term = epoch;
            v.caption = t.crashed.to_string();
            v.line = format!("e{epoch} {last}");
            v.attrs = vec![
                attr("phase", ""),
                attr("zxid", last),
                attr("accepted-epoch", stored.map_or(0, |d| d.accepted_epoch).to_string()),
                attr("committed-zxid", ""),
            ];
            v
        }
    };
    let (epoch, zxid) = v.line.split_once(' ').unwrap_or(("", ""));
    let what = if lang == Lang::Zh {
        format!("{epoch} 当前纪元 {}；{zxid} 最后的事务 ID（zxid：纪元_计数器）", v.term)
    } else {
        format!("{epoch} current epoch {}; {zxid} last transaction id (zxid: epoch_counter)", v.term)
    };
    super::explain(&mut v, &what);
    v.group = group_of(world, id);
    v
}

fn cell(index: u64, history: &History, committed: u64, lang: Lang) -> Option<GridCell> {
    let e = history.entry(index)?;
    let w = words(lang);
    let done = index <= committed;
    let zxid = e.zxid.to_string();
    Some(GridCell {
        class: String::from(if done { "committed" } else { "pending" }),
        head: zxid.clone(),
        sub: e.command.to_string(),
        title: format!("#{index} · {zxid} · {}", if done { w.committed } else { w.proposed }),
        colour: Some(e.zxid.epoch()),
        filled: done,
        attrs: vec![attr("index", index.to_string()), attr("zxid", zxid), attr("committed", flag(done))],
    })
}

fn history_grid(world: &World<Zab>, lang: Lang) -> Grid {
    let w = words(lang);
    let rows: Vec<(NodeId, bool, u64, Option<&History>)> = world
        .cluster()
        .ids()
        .map(|id| match world.node(id) {
            Some(n) => (id, true, n.committed(), Some(n.history())),
            None => (id, false, 0, world.stored(id).map(|d| &d.history)),
        })
        .collect();
    let last = rows.iter().map(|(_, _, _, h)| h.map_or(0, History::len)).max().unwrap_or(0);
    let first = last.saturating_sub(HISTORY_WINDOW - 1).max(1);
    let rows = rows
        .into_iter()
        .map(|(id, up, committed, history)| GridRow {
            label: format!("S{}", id.0),
            up,
            attrs: vec![attr("history-node", id.0.to_string()), attr("delivered", committed.to_string())],
            cells: (first..=last)
                .filter(|_| last > 0)
                .map(|i| history.and_then(|h| cell(i, h, committed, lang)))
                .collect(),
        })
        .collect();
    Grid {
        class: String::new(),
        title: w.history_title.to_string(),
        caption: w.history_caption.to_string(),
        key: vec![
            KeyItem { class: String::from("committed"), label: w.committed.to_string() },
            KeyItem { class: String::from("pending"), label: w.proposed.to_string() },
        ],
        first,
        last,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::view_of;
    use crate::session::TRACE_KEEP;
    use ballot_core::{Command, Duration};
    use ballot_sim::{Action, Protocol, SimConfig};

    #[test]
    fn a_leader_broadcasts_and_the_grid_shows_zxids() {
        let mut world = World::new(SimConfig::<Zab>::new(3, 1)).with_trace(TRACE_KEEP);
        world.run_for(Duration::from_millis(1000));
        let leader = Zab::client_target(&world).expect("a leader broadcasts");
        world.act(Action::Request { node: leader, command: Command::parse("x=1").unwrap() });
        world.run_for(Duration::from_millis(500));
        let s = view_of(&world, Lang::Zh);
        let l = &s.nodes[leader.index()];
        assert_eq!(l.role, "leading");
        assert!(l.attrs.contains(&attr("phase", "broadcast")), "{:?}", l.attrs);
        assert!(l.attrs.iter().any(|(k, v)| k == "zxid" && v.starts_with("0x") && v.contains('_')));
        let Panel::Grid(grid) = &s.panels[0] else { panic!("Zab shows histories") };
        let c = grid.rows[leader.index()].cells.iter().flatten().last().expect("the leader's proposal");
        assert_eq!(c.sub, "x=1");
        assert!(c.attrs.contains(&attr("committed", "true")));
        assert!(c.head.ends_with("_0001"), "{}", c.head);
    }
}
