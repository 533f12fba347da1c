//! The view adapter for Raft: reads a `World<Raft>` through its getters and produces plain view
//! structs the components draw. It decides nothing about the protocol; it only copies, formats
//! and interpolates (a message's position is `(now - sent_at) / (deliver_at - sent_at)`).

use std::rc::Rc;

use ballot_core::{Lang, NodeId};
use ballot_raft::Entry;
use ballot_sim::protocols::Raft;
use ballot_sim::World;

use super::{group_of, kv_text, timer_left, Detail, NodeView, Parts, ProtocolKind, Shape, Snapshot};
use crate::i18n::texts;

/// Log indexes shown at once (the newest ones).
pub const LOG_WINDOW: u64 = 24;

/// One log cell.
#[derive(Clone, PartialEq, Debug)]
pub struct CellView {
    /// Log index.
    pub index: u64,
    /// The entry's term.
    pub term: u64,
    /// The command, as text.
    pub command: String,
    /// At or below the server's commit index.
    pub committed: bool,
}

/// One server's row of the log grid.
#[derive(Clone, PartialEq, Debug)]
pub struct LogRow {
    /// Server id.
    pub node: u8,
    /// Whether it is up (a crashed server's row shows its persisted log).
    pub up: bool,
    /// `commitIndex`.
    pub commit_index: u64,
    /// One slot per shown index; `None` past the end of its log.
    pub cells: Vec<Option<CellView>>,
}

/// The log grid.
#[derive(Clone, PartialEq, Debug)]
pub struct LogView {
    /// First index shown.
    pub first: u64,
    /// Last index shown (0 when every log is empty).
    pub last: u64,
    /// One row per server.
    pub rows: Vec<LogRow>,
}

fn entry_cell(index: u64, entry: &Entry, commit_index: u64) -> CellView {
    CellView { index, term: entry.term, command: entry.command.to_string(), committed: index <= commit_index }
}

/// Reads everything the page draws from `world`.
pub fn snapshot(world: &World<Raft>, lang: Lang) -> Snapshot {
    let t = texts(lang);
    let nodes: Vec<NodeView> = world
        .cluster()
        .ids()
        .map(|id| {
            let (role, up, term, voted_for, votes, commit_index, last_index, kv) = match world.node(id) {
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
            let shape = match role {
                "candidate" => Shape::Diamond,
                "leader" => Shape::Leader,
                _ => Shape::Circle,
            };
            let mut v = NodeView::new(id, role, up, shape);
            let vote = voted_for.map(|v| format!(" →S{v}")).unwrap_or_default();
            let votes_text = votes.map(|v| format!(" ({v}✓)")).unwrap_or_default();
            v.term = term;
            v.line = format!("T{term}{vote}");
            v.caption = format!("{}{votes_text}", crate::i18n::role(lang, role));
            v.voted_for = Some(voted_for.map(|v| v.to_string()).unwrap_or_default());
            v.timer_left = if up { timer_left(world, id) } else { None };
            v.group = group_of(world, id);
            v.details = vec![
                (t.term, term.to_string()),
                (t.voted_for, voted_for.map_or_else(|| t.none.to_string(), |v| format!("S{v}"))),
                (t.commit_index, commit_index.to_string()),
                (t.log_len, last_index.to_string()),
                (t.state_machine, kv),
            ];
            v
        })
        .collect();
    let detail = Detail::Log(Rc::new(log_view(world)));
    let parts = Parts {
        protocol: ProtocolKind::Raft,
        nodes,
        detail,
        banner: None,
        chosen: None,
        fingerprint: Some(world.fingerprint()),
    };
    super::snapshot(world, lang, parts)
}

fn log_view(world: &World<Raft>) -> LogView {
    let logs: Vec<(NodeId, bool, u64, &[Entry])> = world
        .cluster()
        .ids()
        .map(|id| match world.node(id) {
            Some(n) => (id, true, n.commit_index(), n.log().entries()),
            None => (id, false, 0, world.stored(id).map_or(&[][..], |d| d.log.entries())),
        })
        .collect();
    let last = logs.iter().map(|(_, _, _, e)| e.len() as u64).max().unwrap_or(0);
    let first = last.saturating_sub(LOG_WINDOW - 1).max(1);
    let rows = logs
        .into_iter()
        .map(|(id, up, commit_index, entries)| LogRow {
            node: id.0,
            up,
            commit_index,
            cells: (first..=last)
                .map(|i| entries.get((i - 1) as usize).map(|e| entry_cell(i, e, commit_index)))
                .collect(),
        })
        .collect();
    LogView { first, last, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::FEED_LEN;
    use ballot_core::{Command, Duration};
    use ballot_raft::RaftTimer;
    use ballot_sim::{Action, SimConfig};

    #[test]
    fn a_run_reads_as_views() {
        let mut world = World::new(SimConfig::<Raft>::new(3, 1)).with_trace(64);
        world.act(Action::FireTimer(NodeId(1), RaftTimer::Election));
        let s = snapshot(&world, Lang::En);
        assert_eq!(s.nodes[0].role, "candidate");
        assert_eq!(s.msgs.len(), 2);
        assert!(s.msgs.iter().all(|m| m.label == "RV" && m.progress == 0.0));
        world.run_for(Duration::from_millis(100));
        world.act(Action::Request { node: NodeId(2), command: Command::parse("x=5").unwrap() });
        world.run_for(Duration::from_millis(200));
        world.act(Action::Crash(NodeId(3)));
        let s = snapshot(&world, Lang::Zh);
        assert_eq!(s.leader, Some(1));
        assert_eq!(s.nodes[2].role, "crashed");
        assert!(s.nodes[2].term >= 1, "a crashed node shows its persisted term");
        let Detail::Log(log) = &s.detail else { panic!("Raft shows a log") };
        assert_eq!((log.first, log.last), (1, 1));
        let row = &log.rows[0];
        assert_eq!(row.cells[0].as_ref().map(|c| (c.command.as_str(), c.committed)), Some(("x=5", true)));
        assert!(!log.rows[2].up && log.rows[2].cells[0].is_some());
        assert_eq!(s.properties.len(), 6);
        assert!(s.feed.len() <= FEED_LEN && s.feed[0].seq == world.trace_total());
        assert!(s.feed[0].text.contains("宕机"));
    }
}
