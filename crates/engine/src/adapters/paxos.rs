//! The view adapter for Basic Paxos: every node is proposer, acceptor and learner, so each node
//! shows its acceptor's promise and accepted proposal, its proposer's phase with the promises or
//! acceptances counted against the quorum, and what its learner learned. The roles table
//! repeats that per node; a banner says which value is chosen and who learned it.
//!
//! DOM: `data-role` is `proposer` while the node's proposer runs a round (prepare, accept or
//! back-off), `acceptor` otherwise, `crashed` while down; `data-term` is the round of the promised
//! ballot (0 before any promise); `data-promised` / `data-accepted` / `data-phase` /
//! `data-learned`, and `data-state="learned"` with the class `state-learned` once it learned.
//! Table rows carry `data-paxos-row`. The root gets `data-chosen` once some live learner learned
//! a value.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use ballot_core::{Command, Lang, NodeId};
use ballot_paxos::basic::{safety, Phase};
use ballot_paxos::{Ballot, PaxosBug};
use ballot_sim::protocols::Paxos;
use ballot_sim::World;

use super::{attr, ballot_text, group_of, node_view, timer_left, Role};
use crate::registry::Info;
use crate::texts::texts;
use crate::view::{Banner, Cell, NodeView, Panel, Shape, Span, Table, TableRow};
use crate::{Parts, Visual};

/// What the picker and the bug selector say of the correct protocol.
const SUMMARY: [&str; 2] =
    ["Basic Paxos as in §2 of \"Paxos Made Simple\".", "按照《Paxos Made Simple》第 2 节实现的基本 Paxos。"];

/// The words of the Paxos views, in one language (Multi-Paxos uses them too).
pub struct Words {
    /// Paxos: a node whose proposer is idle.
    pub acceptor: &'static str,
    /// Paxos: a node running a round.
    pub proposer: &'static str,
    /// Paxos: promises counted against the quorum.
    pub promises: &'static str,
    /// Paxos: acceptances counted against the quorum.
    pub accepts: &'static str,
    /// Paxos: the acceptor's promised ballot.
    pub promised: &'static str,
    /// Paxos: the acceptor's accepted proposal.
    pub accepted: &'static str,
    /// Paxos: the value a client asked the node to propose.
    pub proposal: &'static str,
    /// Paxos: the ballot of the round in progress.
    pub ballot: &'static str,
    /// Paxos: the learner's value.
    pub learned: &'static str,
    /// Multi-Paxos: slots applied.
    pub applied: &'static str,
    /// Proposer phase: idle.
    pub phase_idle: &'static str,
    /// Proposer phase: prepare.
    pub phase_prepare: &'static str,
    /// Proposer phase: accept.
    pub phase_accept: &'static str,
    /// Proposer phase: backing off.
    pub phase_backoff: &'static str,
    /// Proposer phase: done (learned).
    pub phase_done: &'static str,
    /// Paxos: the chosen value label.
    pub chosen: &'static str,
    /// Paxos: who learned it.
    pub learned_by: &'static str,
    /// Paxos roles panel title.
    pub paxos_title: &'static str,
    /// Paxos roles panel caption.
    pub paxos_caption: &'static str,
    /// Multi-Paxos slot grid title.
    pub slots_title: &'static str,
    /// Multi-Paxos slot grid caption.
    pub slots_caption: &'static str,
    /// Paxos: the timeout button.
    pub give_up: &'static str,
}

const EN: Words = Words {
    acceptor: "acceptor",
    proposer: "proposer",
    promises: "promises",
    accepts: "accepts",
    promised: "promised",
    accepted: "accepted",
    proposal: "proposal",
    ballot: "ballot",
    learned: "learned",
    applied: "applied",
    phase_idle: "idle",
    phase_prepare: "prepare",
    phase_accept: "accept",
    phase_backoff: "backing off",
    phase_done: "done",
    chosen: "chosen",
    learned_by: "learned by",
    paxos_title: "Roles at each node",
    paxos_caption: "Every node is acceptor, proposer and learner. A ballot 3.1 is round 3 of S1; a round needs a majority of promises, then of acceptances.",
    slots_title: "Slots",
    slots_caption: "One row per acceptor, one column per slot: the ballot it accepted in, and the value. Solid: known chosen.",
    give_up: "Give up round",
};

const ZH: Words = Words {
    acceptor: "接受者",
    proposer: "提议者",
    promises: "承诺",
    accepts: "接受",
    promised: "已承诺",
    accepted: "已接受",
    proposal: "提议值",
    ballot: "选票编号",
    learned: "已学到",
    applied: "已应用",
    phase_idle: "空闲",
    phase_prepare: "准备阶段",
    phase_accept: "接受阶段",
    phase_backoff: "退避中",
    phase_done: "已完成",
    chosen: "已选定",
    learned_by: "学到的节点",
    paxos_title: "每个节点的角色",
    paxos_caption: "每个节点同时是接受者、提议者和学习者。选票 3.1 表示 S1 的第 3 轮；一轮需要多数派的承诺，再需要多数派的接受。",
    slots_title: "槽位",
    slots_caption: "每行一个接受者，每列一个槽位：接受时的选票编号和值。实心表示已知被选定。",
    give_up: "放弃本轮",
};

/// The words for `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// A proposer phase (`idle`, `prepare`, `accept`, `backoff`, `done`) in `lang`.
fn phase(lang: Lang, phase: &str) -> &'static str {
    let w = words(lang);
    match phase {
        "prepare" => w.phase_prepare,
        "accept" => w.phase_accept,
        "backoff" => w.phase_backoff,
        "done" => w.phase_done,
        _ => w.phase_idle,
    }
}

/// The Chinese names of the Paxos safety properties (Multi-Paxos adds one).
const GLOSSES: &[(&str, &str)] =
    &[(safety::AGREEMENT, "一致性"), (safety::VALIDITY, "有效性"), (safety::PROMISE_RESPECTED, "遵守承诺")];

impl Visual for Paxos {
    const INFO: Info = Info::new("paxos", ["Paxos", "Paxos"], SUMMARY);

    fn parts(world: &World<Paxos>, lang: Lang) -> Parts {
        let mut rows = Vec::new();
        let mut nodes = Vec::new();
        for id in world.cluster().ids() {
            let (v, row) = node(world, id, lang);
            nodes.push(v);
            rows.push(row);
        }
        let learners: Vec<&Row> = rows.iter().filter(|r| !r.learned.is_empty()).collect();
        let chosen = learners.first().map(|r| r.learned.clone());
        let banner = chosen.as_ref().map(|value| {
            let who = learners.iter().map(|r| format!("S{}", r.node)).collect::<Vec<_>>().join(", ");
            chosen_banner(value, &who, lang)
        });
        Parts { nodes, panels: vec![Panel::Table(roles_table(&rows, lang))], banner, chosen }
    }

    const ABBREVIATIONS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("P3.1", "promised ballot 3.1 (round 3, proposer S1)", "已承诺选票 3.1（第 3 轮，提议者 S1）"),
        ("A 3.1 x=5", "accepted x=5 in ballot 3.1", "在选票 3.1 中接受了 x=5"),
        ("✓x=5", "learned that x=5 is chosen", "得知 x=5 已被选定"),
        ("P(3.1)", "Prepare: phase 1a, promise ballot 3.1?", "Prepare：阶段 1a，请承诺选票 3.1"),
        (
            "Prom",
            "Promise: phase 1b, with the proposal accepted so far",
            "Promise：阶段 1b，附上已接受的提案",
        ),
        ("Nack", "refused: a higher ballot was promised", "拒绝：已承诺更高的选票"),
        (
            "A(3.1)",
            "Accept: phase 2a, accept this value in ballot 3.1",
            "Accept：阶段 2a，在选票 3.1 中接受这个值",
        ),
        ("Acc", "Accepted: phase 2b, the acceptor accepted it", "Accepted：阶段 2b，接受者已接受"),
    ];

    const ROLES: &'static [Role] = &[
        ("acceptor", Shape::Circle, |l| words(l).acceptor),
        ("proposer", Shape::Diamond, |l| words(l).proposer),
        ("acceptor state-learned", Shape::Circle, |l| words(l).learned),
    ];

    const GOALS: &'static [crate::check::Goal] = &[
        crate::check::Goal { expect: "chosen x=1", min_term: 1, en: "x=1 is chosen", zh: "x=1 被选定" },
        crate::check::Goal {
            expect: "learned all x=1",
            min_term: 1,
            en: "Every server learns x=1",
            zh: "所有服务器都得知 x=1",
        },
    ];
    const PROPERTIES: &'static [(&'static str, &'static str)] = GLOSSES;

    fn describe_bug(name: &str, lang: Lang) -> Option<&'static str> {
        PaxosBug::parse(name).map(|b| b.description(lang))
    }

    fn timeout_label(lang: Lang) -> &'static str {
        words(lang).give_up
    }

    fn status(_world: &World<Paxos>, parts: &Parts, lang: Lang) -> (String, String) {
        let t = texts(lang);
        (words(lang).chosen.to_string(), parts.chosen.clone().unwrap_or_else(|| t.none.to_string()))
    }
}

/// One node's row in the roles table (and what its ring node shows).
struct Row {
    /// Node id.
    node: u8,
    /// Whether it is up (a crashed node shows its acceptor's persisted state).
    up: bool,
    /// Promised ballot (`3.1`, empty for none).
    promised: String,
    /// Accepted proposal (`3.1 x=5`, empty for none).
    accepted: String,
    /// Proposer phase (`idle`, `prepare`, `accept`, `backoff`, `done`), `None` while down.
    phase: Option<&'static str>,
    /// `promises 2/3` or `accepts 2/3` while a round runs.
    count: String,
    /// The value its learner learned.
    learned: String,
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

/// `—` for an empty value.
fn dash(s: &str) -> String {
    if s.is_empty() {
        String::from("—")
    } else {
        s.to_string()
    }
}

fn node(world: &World<Paxos>, id: NodeId, lang: Lang) -> (NodeView, Row) {
    let (t, w) = (texts(lang), words(lang));
    let (v, row) = match world.node(id) {
        Some(n) => {
            let learned = n.chosen().map(|v| v.to_string()).unwrap_or_default();
            let ph = shown_phase(n.phase(), n.chosen().is_some());
            let count = match n.phase() {
                Phase::Prepare => format!("{} {}/{}", w.promises, n.promise_count(), n.quorum()),
                Phase::Accept => format!("{} {}/{}", w.accepts, n.accept_count(), n.quorum()),
                _ => String::new(),
            };
            let role_name = if matches!(n.phase(), Phase::Idle) { "acceptor" } else { "proposer" };
            let shape = if role_name == "proposer" { Shape::Diamond } else { Shape::Circle };
            let label = if role_name == "proposer" { w.proposer } else { w.acceptor };
            let mut v = node_view(id, role_name, label, true, shape);
            v.term = n.promised().round;
            v.caption = if count.is_empty() { phase(lang, ph).to_string() } else { count.clone() };
            if !learned.is_empty() {
                v.classes = String::from("state-learned");
                v.attrs.push(attr("state", "learned"));
            }
            v.timer_left = timer_left(world, id);
            v.can_timeout = matches!(n.phase(), Phase::Prepare | Phase::Accept);
            v.details = vec![
                (w.proposal.to_string(), n.proposal().map_or_else(|| t.none.to_string(), |c| c.to_string())),
                (w.ballot.to_string(), n.ballot().map_or_else(|| t.none.to_string(), |b| b.to_string())),
            ];
            let row = Row {
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
            let mut v = node_view(id, "crashed", t.crashed, false, Shape::Circle);
            v.term = stored.map_or(0, |d| d.promised.round);
            v.caption = t.crashed.to_string();
            let row = Row {
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
    (v, row)
}

/// What the proposer column says: the count while a round runs, else the phase (`None`: down).
fn proposer_text(row: &Row, lang: Lang) -> Option<String> {
    row.phase.map(|p| if row.count.is_empty() { phase(lang, p).to_string() } else { row.count.clone() })
}

/// Copies the row's acceptor and learner state onto the ring node.
fn fill(mut v: NodeView, row: &Row, lang: Lang) -> NodeView {
    let (t, w) = (texts(lang), words(lang));
    v.line = if row.promised.is_empty() { String::from("P –") } else { format!("P{}", row.promised) };
    let mut extra = Vec::new();
    if !row.accepted.is_empty() {
        extra.push(format!("A {}", row.accepted));
    }
    if !row.learned.is_empty() {
        extra.push(format!("✓{}", row.learned));
    }
    v.extra = (!extra.is_empty()).then(|| extra.join(" "));
    let zh = lang == Lang::Zh;
    let mut what = match (row.promised.is_empty(), zh) {
        (true, false) => String::from("P – promised no ballot yet"),
        (true, true) => String::from("P – 尚未承诺任何选票"),
        (false, false) => format!("P{0} promised ballot {0} (round.proposer)", row.promised),
        (false, true) => format!("P{0} 已承诺选票 {0}（轮次.提议者）", row.promised),
    };
    if !row.accepted.is_empty() {
        what.push_str(&if zh {
            format!("；A {0} 已接受 {0}", row.accepted)
        } else {
            format!("; A {0} accepted {0}", row.accepted)
        });
    }
    if !row.learned.is_empty() {
        what.push_str(&if zh {
            format!("；✓{0} 已得知选定 {0}", row.learned)
        } else {
            format!("; ✓{0} learned that {0} is chosen", row.learned)
        });
    }
    super::explain(&mut v, &what);
    v.attrs.push(attr("promised", row.promised.clone()));
    v.attrs.push(attr("accepted", row.accepted.clone()));
    if let Some(p) = row.phase {
        v.attrs.push(attr("phase", p));
    }
    v.attrs.push(attr("learned", row.learned.clone()));
    let or_none = |s: &String| if s.is_empty() { t.none.to_string() } else { s.clone() };
    let mut details = vec![
        (w.promised.to_string(), or_none(&row.promised)),
        (w.accepted.to_string(), or_none(&row.accepted)),
        (w.proposer.to_string(), proposer_text(row, lang).unwrap_or_else(|| t.none.to_string())),
        (w.learned.to_string(), or_none(&row.learned)),
    ];
    details.append(&mut v.details);
    v.details = details;
    v
}

fn mono(text: String) -> Cell {
    Cell { class: String::from("mono"), text: vec![Span::plain(text)] }
}

/// Each node's acceptor, proposer and learner state.
fn roles_table(rows: &[Row], lang: Lang) -> Table {
    let (t, w) = (texts(lang), words(lang));
    let rows = rows
        .iter()
        .map(|r| TableRow {
            label: format!("S{}", r.node),
            class: String::from(if r.up { "" } else { "down" }),
            attrs: vec![attr("paxos-row", r.node.to_string())],
            cells: vec![
                mono(dash(&r.promised)),
                mono(dash(&r.accepted)),
                Cell {
                    class: String::new(),
                    text: vec![Span::plain(proposer_text(r, lang).unwrap_or_else(|| t.crashed.to_string()))],
                },
                Cell {
                    class: String::from(if r.learned.is_empty() { "mono" } else { "mono learned" }),
                    text: vec![Span::plain(dash(&r.learned))],
                },
            ],
        })
        .collect();
    Table {
        class: String::from("roles"),
        title: w.paxos_title.to_string(),
        caption: w.paxos_caption.to_string(),
        attrs: Vec::new(),
        summary: Vec::new(),
        columns: vec![
            w.promised.to_string(),
            w.accepted.to_string(),
            w.proposer.to_string(),
            w.learned.to_string(),
        ],
        rows,
    }
}

/// "chosen: x=5 · learned by S1, S2".
fn chosen_banner(value: &str, who: &str, lang: Lang) -> Banner {
    let w = words(lang);
    Banner {
        class: String::from("chosen-banner"),
        alert: false,
        attrs: vec![attr("chosen-banner", value)],
        icon: None,
        text: vec![
            Span::strong(format!("{}: {value}", w.chosen)),
            Span::plain(format!(" · {} {who}", w.learned_by)),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::view_of;
    use crate::session::TRACE_KEEP;
    use ballot_core::Duration;
    use ballot_sim::{Action, SimConfig};

    fn data<'a>(n: &'a NodeView, name: &str) -> Option<&'a str> {
        n.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_request_is_chosen_and_shown() {
        let mut world = World::new(SimConfig::<Paxos>::new(3, 1)).with_trace(TRACE_KEEP);
        let s = view_of(&world, Lang::En);
        assert_eq!(data(&s.nodes[0], "promised"), Some(""), "data-promised is present and empty");
        assert_eq!(s.chosen, None);
        assert!(s.banner.is_none());
        world.act(Action::Request { node: NodeId(1), command: Command::parse("x=5").unwrap() });
        let s = view_of(&world, Lang::En);
        assert_eq!(s.nodes[0].role, "proposer");
        assert_eq!(data(&s.nodes[0], "phase"), Some("prepare"));
        assert!(s.nodes[0].caption.contains("1/2"), "{}", s.nodes[0].caption);
        world.run_for(Duration::from_millis(200));
        let s = view_of(&world, Lang::En);
        assert_eq!(s.chosen.as_deref(), Some("x=5"));
        let banner = s.banner.as_ref().expect("a chosen banner");
        assert_eq!(banner.class, "chosen-banner");
        assert!(banner.attrs.contains(&attr("chosen-banner", "x=5")));
        assert_eq!(banner.text[0].text, "chosen: x=5");
        assert_eq!(data(&s.nodes[1], "accepted"), Some("1.1 x=5"));
        assert_eq!(s.nodes[1].term, 1);
        assert!(s.nodes.iter().any(|n| n.classes == "state-learned" && data(n, "learned") == Some("x=5")));
        let Panel::Table(table) = &s.panels[0] else { panic!("Paxos shows a table") };
        assert_eq!(table.class, "roles");
        assert!(table.rows[1].attrs.contains(&attr("paxos-row", "2")));
        assert_eq!(table.rows[1].cells[1].text[0].text, "1.1 x=5");
        assert_eq!(s.properties.len(), world.properties().len());
        world.act(Action::Crash(NodeId(3)));
        let s = view_of(&world, Lang::En);
        assert_eq!(data(&s.nodes[2], "phase"), None, "a crashed node has no proposer phase");
        let Panel::Table(table) = &s.panels[0] else { panic!("Paxos shows a table") };
        assert_eq!(table.rows[2].class, "down");
        assert_eq!(table.rows[2].cells[2].text[0].text, texts(Lang::En).crashed);
    }
}
