//! The view adapter for Raft: roles by shape, term and vote on each node, the log grid (rows =
//! servers, columns = the newest log indexes; committed entries filled with their term's
//! colour, others hollow).
//!
//! DOM: `data-role` is `follower`, `candidate`, `leader` or `crashed`; `data-term` the current
//! term (a crashed node shows its persisted one); `data-voted-for`. Log rows carry
//! `data-log-node` and `data-commit-index`, cells `data-index`, `data-term`, `data-committed`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use ballot_core::{Lang, NodeId};
use ballot_raft::{safety, Entry, Log, RaftBug};
use ballot_sim::protocols::Raft;
use ballot_sim::World;

use super::{attr, explain_by, flag, group_of, kv_text, node_view, timer_left, Role, LEADER_ROLES};
use crate::registry::Info;
use crate::texts::{role, texts};
use crate::view::{Grid, GridCell, GridRow, KeyItem, NodeView, Panel, Shape};
use crate::{Parts, Visual};

/// Log indexes shown at once (the newest ones).
pub const LOG_WINDOW: u64 = 24;

/// What the picker and the bug selector say of the correct protocol.
const SUMMARY: [&str; 2] = ["Raft exactly as Figure 2 of the paper says.", "完全按照论文图 2 实现的 Raft。"];

impl Visual for Raft {
    const INFO: Info = Info::new("raft", ["Raft", "Raft"], SUMMARY);

    fn parts(world: &World<Raft>, lang: Lang) -> Parts {
        let nodes = world.cluster().ids().map(|id| node(world, id, lang)).collect();
        Parts { nodes, panels: vec![Panel::Grid(log_grid(world, lang))], banner: None, chosen: None }
    }

    const ROLES: &'static [Role] = LEADER_ROLES;

    const ABBREVIATIONS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("T1 →S4", "term 1, voted for S4", "任期 1，投票给 S4"),
        ("RV", "RequestVote", "请求投票"),
        ("HB", "heartbeat", "心跳"),
        ("AE", "AppendEntries", "追加条目"),
        ("✓ ✗", "yes / no reply", "是 / 否的回复"),
    ];

    const GOALS: &'static [crate::check::Goal] = &[
        crate::check::Goal {
            expect: "leader any",
            min_term: 1,
            en: "A leader is elected",
            zh: "选出一位领导者",
        },
        crate::check::Goal {
            expect: "leader any term >= 3",
            min_term: 3,
            en: "A leader is elected in term 3",
            zh: "在任期 3 选出领导者",
        },
        crate::check::Goal {
            expect: "committed x=1 on majority",
            min_term: 1,
            en: "x=1 is committed on a majority",
            zh: "x=1 在多数派上提交",
        },
    ];
    const PROPERTIES: &'static [(&'static str, &'static str)] = &[
        (safety::ELECTION_SAFETY, "选举安全"),
        (safety::LEADER_APPEND_ONLY, "领导者只追加"),
        (safety::LOG_MATCHING, "日志匹配"),
        (safety::LEADER_COMPLETENESS, "领导者完整性"),
        (safety::STATE_MACHINE_SAFETY, "状态机安全"),
    ];

    fn describe_bug(name: &str, lang: Lang) -> Option<&'static str> {
        RaftBug::parse(name).map(|b| b.description(lang))
    }

    const HEARTBEAT_REPLY: &'static str = "AE✓";

    fn routine_note(note: &ballot_raft::RaftNote) -> bool {
        matches!(note.event, ballot_raft::RaftEvent::AppendAccepted { entries: 0, .. })
    }

    fn timer_legend(lang: Lang) -> &'static str {
        texts(lang).legend_timer
    }

    fn down_note(lang: Lang) -> &'static str {
        texts(lang).node_down
    }

    fn feed_empty(lang: Lang) -> &'static str {
        texts(lang).feed_empty
    }
}

fn node(world: &World<Raft>, id: NodeId, lang: Lang) -> NodeView {
    let t = texts(lang);
    let (role_name, up, term, voted_for, votes, commit_index, last_index, kv) = match world.node(id) {
        Some(n) => (
            n.role_name().as_str(),
            true,
            n.current_term(),
            n.voted_for().map(|v| v.0),
            n.votes().map(|v| v.count()),
            n.commit_index(),
            n.log().last_index(),
            kv_text(n.kv(), lang),
        ),
        None => {
            let stored = world.stored(id);
            (
                "crashed",
                false,
                stored.map_or(0, |d| d.current_term),
                stored.and_then(|d| d.voted_for).map(|v| v.0),
                None,
                0,
                stored.map_or(0, |d| d.log.last_index()),
                t.empty.to_string(),
            )
        }
    };
    let shape = match role_name {
        "candidate" => Shape::Diamond,
        "leader" => Shape::Leader,
        _ => Shape::Circle,
    };
    let mut v = node_view(id, role_name, role(lang, role_name), up, shape);
    let vote = voted_for.map(|v| format!(" →S{v}")).unwrap_or_default();
    let votes_text = votes.map(|v| format!(" ({v}✓)")).unwrap_or_default();
    v.term = term;
    v.line = format!("T{term}{vote}");
    v.caption = format!("{}{votes_text}", role(lang, role_name));
    v.attrs = vec![attr("voted-for", voted_for.map(|v| v.to_string()).unwrap_or_default())];
    v.timer_left = if up { timer_left(world, id) } else { None };
    v.group = group_of(world, id);
    v.details = vec![
        (t.term.to_string(), term.to_string()),
        (t.voted_for.to_string(), voted_for.map_or_else(|| t.none.to_string(), |v| format!("S{v}"))),
        (t.commit_index.to_string(), commit_index.to_string()),
        (t.log_len.to_string(), last_index.to_string()),
        (t.state_machine.to_string(), kv),
    ];
    explain_by(&mut v, 2);
    v
}

fn entry_cell(index: u64, entry: &Entry, commit_index: u64, lang: Lang) -> GridCell {
    let t = texts(lang);
    let committed = index <= commit_index;
    GridCell {
        class: String::from(if committed { "committed" } else { "pending" }),
        head: entry.term.to_string(),
        sub: entry.command.to_string(),
        title: format!(
            "#{index} · {} {} · {}",
            t.term,
            entry.term,
            if committed { t.committed } else { t.uncommitted }
        ),
        colour: Some(entry.term),
        filled: committed,
        attrs: vec![
            attr("index", index.to_string()),
            attr("term", entry.term.to_string()),
            attr("committed", flag(committed)),
        ],
    }
}

fn log_grid(world: &World<Raft>, lang: Lang) -> Grid {
    let t = texts(lang);
    let logs: Vec<(NodeId, bool, u64, Option<&Log>)> = world
        .cluster()
        .ids()
        .map(|id| match world.node(id) {
            Some(n) => (id, true, n.commit_index(), Some(n.log())),
            None => (id, false, 0, world.stored(id).map(|d| &d.log)),
        })
        .collect();
    let last = logs.iter().map(|(_, _, _, l)| l.map_or(0, Log::last_index)).max().unwrap_or(0);
    let first = last.saturating_sub(LOG_WINDOW - 1).max(1);
    let rows = logs
        .into_iter()
        .map(|(id, up, commit_index, entries)| GridRow {
            label: format!("S{}", id.0),
            up,
            attrs: vec![attr("log-node", id.0.to_string()), attr("commit-index", commit_index.to_string())],
            cells: (first..=last)
                .filter(|_| last > 0)
                .map(|i| entries.and_then(|l| l.entry(i)).map(|e| entry_cell(i, e, commit_index, lang)))
                .collect(),
        })
        .collect();
    Grid {
        class: String::new(),
        title: t.log_title.to_string(),
        caption: t.log_caption.to_string(),
        key: vec![
            KeyItem { class: String::from("committed"), label: t.committed.to_string() },
            KeyItem { class: String::from("pending"), label: t.uncommitted.to_string() },
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
    use crate::session::{FEED_LEN, TRACE_KEEP};
    use ballot_core::{Command, Duration};
    use ballot_raft::RaftTimer;
    use ballot_sim::{Action, SimConfig};

    #[test]
    fn a_run_reads_as_views() {
        let mut world = World::new(SimConfig::<Raft>::new(3, 1)).with_trace(TRACE_KEEP);
        world.act(Action::FireTimer(NodeId(1), RaftTimer::Election));
        let s = view_of(&world, Lang::En);
        assert_eq!(s.nodes[0].role, "candidate");
        assert_eq!(s.msgs.len(), 2);
        assert!(s.msgs.iter().all(|m| m.label == "RV" && m.progress == 0.0));
        world.run_for(Duration::from_millis(100));
        world.act(Action::Request { node: NodeId(2), command: Command::parse("x=5").unwrap() });
        world.run_for(Duration::from_millis(200));
        world.act(Action::Crash(NodeId(3)));
        let s = view_of(&world, Lang::Zh);
        assert_eq!(s.leader, Some(1));
        assert_eq!(s.nodes[2].role, "crashed");
        assert!(s.nodes[2].term >= 1, "a crashed node shows its persisted term");
        let Panel::Grid(log) = &s.panels[0] else { panic!("Raft shows a log grid") };
        assert_eq!((log.first, log.last), (1, 1));
        let cell = log.rows[0].cells[0].as_ref().expect("S1 has entry 1");
        assert_eq!((cell.sub.as_str(), cell.filled), ("x=5", true));
        assert!(cell.attrs.contains(&attr("committed", "true")));
        assert!(!log.rows[2].up && log.rows[2].cells[0].is_some());
        assert_eq!(s.properties.len(), 6);
        assert!(s.feed.len() <= FEED_LEN && s.feed[0].seq == world.trace_total());
        assert!(s.feed[0].text.contains("宕机"));
    }
}
