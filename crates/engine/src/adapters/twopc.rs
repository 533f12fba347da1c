//! The view adapter for two-phase commit: the coordinator (TM, `S1`) is a square with its state
//! and the votes it received; each participant (RM) shows its state by colour and text, and a
//! participant that voted yes and waits for the decision is marked **in doubt**: it may neither
//! commit nor abort alone, so it blocks while the coordinator is silent. The transaction table
//! repeats that per participant; a banner names the participants in doubt.
//!
//! DOM: `data-role` is `coordinator` or `participant` (also while crashed: the role is fixed by
//! the id; `data-up="false"` says it is down); `data-state` is the TM's `init`/`committed`/
//! `aborted` or the RM's `working`/`prepared`/`committed`/`aborted` (a crashed node shows what it
//! persisted), also the class `state-…`; `data-in-doubt` on participants (and the class
//! `in-doubt` with an hourglass when true); `data-term` is the transaction number. The panel
//! carries `data-txn` and `data-tm-state`, its rows `data-rm-row`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use ballot_core::{Lang, NodeId};
use ballot_sim::protocols::TwoPc;
use ballot_sim::World;
use ballot_twopc::{
    Decision, RmState, TmPhase, TwoPcBug, TwoPcDurable, Vote, ATOMICITY, COMMIT_VALIDITY, COORDINATOR,
};

use super::{attr, flag, group_of, kv_text, node_view, timer_left, Role};
use crate::registry::Info;
use crate::texts::texts;
use crate::view::{Banner, Cell, Icon, NodeView, Panel, Shape, Span, Table, TableRow};
use crate::{Parts, Visual};

/// What the picker and the bug selector say of the correct protocol.
const SUMMARY: [&str; 2] = [
    "Two-phase commit as Gray and Lamport specify it (TwoPhase).",
    "按照 Gray 与 Lamport 的规范（TwoPhase）实现的两阶段提交。",
];

/// The words of the 2PC view, in one language.
pub struct Words {
    /// 2PC: the transaction manager.
    pub coordinator: &'static str,
    /// 2PC: a resource manager.
    pub participant: &'static str,
    /// 2PC state: undecided.
    pub st_init: &'static str,
    /// 2PC state: working.
    pub st_working: &'static str,
    /// 2PC state: prepared.
    pub st_prepared: &'static str,
    /// 2PC state: committed.
    pub st_committed: &'static str,
    /// 2PC state: aborted.
    pub st_aborted: &'static str,
    /// 2PC: the coordinator waits for a request.
    pub ph_idle: &'static str,
    /// 2PC: collecting votes.
    pub ph_collecting: &'static str,
    /// 2PC: announcing the decision.
    pub ph_announcing: &'static str,
    /// A yes vote.
    pub yes: &'static str,
    /// A no vote.
    pub no: &'static str,
    /// 2PC: yes votes received.
    pub vote_yes: &'static str,
    /// 2PC: no votes received.
    pub vote_no: &'static str,
    /// 2PC: acknowledgements received.
    pub acks: &'static str,
    /// 2PC: transaction number.
    pub txn: &'static str,
    /// 2PC: the transaction's write.
    pub write: &'static str,
    /// 2PC: the coordinator's state.
    pub tm_state: &'static str,
    /// 2PC: a participant's state.
    pub rm_state: &'static str,
    /// 2PC: a participant's vote.
    pub vote: &'static str,
    /// 2PC: the in-doubt badge.
    pub in_doubt: &'static str,
    /// 2PC: the in-doubt label on the ring.
    pub in_doubt_short: &'static str,
    /// 2PC: a participant voted no.
    pub voted_no: &'static str,
    /// A node is down.
    pub down: &'static str,
    /// 2PC: why in-doubt participants wait.
    pub in_doubt_banner: &'static str,
    /// 2PC: the coordinator is down.
    pub coordinator_down: &'static str,
    /// 2PC transaction panel title.
    pub txn_title: &'static str,
    /// 2PC transaction panel caption.
    pub txn_caption: &'static str,
    /// 2PC: the timeout button.
    pub vote_timeout: &'static str,
}

const EN: Words = Words {
    coordinator: "coordinator",
    participant: "participant",
    st_init: "undecided",
    st_working: "working",
    st_prepared: "prepared",
    st_committed: "committed",
    st_aborted: "aborted",
    ph_idle: "idle",
    ph_collecting: "collecting votes",
    ph_announcing: "announcing the decision",
    yes: "yes",
    no: "no",
    vote_yes: "yes votes",
    vote_no: "no votes",
    acks: "acks",
    txn: "transaction",
    write: "write",
    tm_state: "coordinator state",
    rm_state: "state",
    vote: "vote",
    in_doubt: "in doubt — blocked",
    in_doubt_short: "in doubt",
    voted_no: "voted no",
    down: "down",
    in_doubt_banner: "are in doubt: they voted yes and are prepared, so they may neither commit nor abort on their own. They are blocked until the coordinator's decision reaches them.",
    coordinator_down: "The coordinator is down: nobody can decide for them.",
    txn_title: "Transaction",
    txn_caption: "S1 coordinates; every other server is a participant. Send a write (set x 5) to start a transaction.",
    vote_timeout: "Fire vote timeout",
};

const ZH: Words = Words {
    coordinator: "协调者",
    participant: "参与者",
    st_init: "未决定",
    st_working: "工作中",
    st_prepared: "已准备",
    st_committed: "已提交",
    st_aborted: "已中止",
    ph_idle: "空闲",
    ph_collecting: "收集投票",
    ph_announcing: "发布决定",
    yes: "赞成",
    no: "反对",
    vote_yes: "赞成票",
    vote_no: "反对票",
    acks: "确认",
    txn: "事务",
    write: "写入",
    tm_state: "协调者状态",
    rm_state: "状态",
    vote: "投票",
    in_doubt: "存疑——阻塞",
    in_doubt_short: "存疑",
    voted_no: "投了反对票",
    down: "宕机",
    in_doubt_banner: "处于存疑状态：它们已投赞成票并已准备好，因此既不能自行提交也不能自行中止，只能阻塞等待协调者的决定送达。",
    coordinator_down: "协调者已宕机：没有人能替它们做决定。",
    txn_title: "事务",
    txn_caption: "S1 是协调者，其余服务器是参与者。发送一个写入（set x 5）即可开始一个事务。",
    vote_timeout: "触发投票超时",
};

/// The words for `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// A state, phase or vote (`init`, `working`, `prepared`, `committed`, `aborted`, `collecting`,
/// `announcing`, `idle`, `yes`, `no`; empty: down) in `lang`.
fn state_name(lang: Lang, state: &str) -> &'static str {
    let w = words(lang);
    match state {
        "init" => w.st_init,
        "working" => w.st_working,
        "prepared" => w.st_prepared,
        "committed" => w.st_committed,
        "aborted" => w.st_aborted,
        "collecting" => w.ph_collecting,
        "announcing" => w.ph_announcing,
        "yes" => w.yes,
        "no" => w.no,
        "" => w.down,
        _ => w.ph_idle,
    }
}

impl Visual for TwoPc {
    const INFO: Info = Info::new("twopc", ["Two-phase commit", "两阶段提交"], SUMMARY);

    fn parts(world: &World<TwoPc>, lang: Lang) -> Parts {
        let mut txn = Txn {
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
        let nodes = world.cluster().ids().map(|id| node(world, id, &mut txn, lang)).collect();
        let doubting: Vec<String> =
            txn.rms.iter().filter(|r| r.in_doubt).map(|r| NodeId(r.node).to_string()).collect();
        let banner = (!doubting.is_empty()).then(|| in_doubt_banner(&doubting.join(", "), !txn.tm_up, lang));
        Parts { nodes, panels: vec![Panel::Table(txn_table(&txn, lang))], banner, chosen: None }
    }

    const ABBREVIATIONS: &'static [(&'static str, &'static str, &'static str)] = &[
        ("tx3", "transaction 3", "事务 3"),
        ("Prep", "Prepare: the coordinator asks for a vote", "Prepare：协调者请求投票"),
        ("Yes", "Prepared: a yes vote (the participant is prepared)", "Prepared：赞成票（参与者已准备）"),
        ("No", "VoteNo: a no vote (the participant aborted)", "VoteNo：反对票（参与者已中止）"),
        ("Commit Abort", "the coordinator's decision", "协调者的决定"),
        ("Ack", "the participant recorded the decision", "参与者已记录决定"),
        (
            "Status?",
            "StatusQuery: an in-doubt participant asks for the decision",
            "StatusQuery：存疑的参与者询问决定",
        ),
        (
            "vote=no",
            "a client asks a participant to vote no on its next transaction",
            "客户端要求参与者对下一个事务投反对票",
        ),
    ];

    const ROLES: &'static [Role] = &[
        ("coordinator", Shape::Square, |l| words(l).coordinator),
        ("participant state-working", Shape::Circle, |l| words(l).st_working),
        ("participant state-prepared in-doubt", Shape::Circle, |l| words(l).st_prepared),
        ("participant state-committed", Shape::Circle, |l| words(l).st_committed),
        ("participant state-aborted", Shape::Circle, |l| words(l).st_aborted),
    ];

    const GOALS: &'static [crate::check::Goal] = &[
        crate::check::Goal {
            expect: "coordinator committed",
            min_term: 1,
            en: "The transaction commits",
            zh: "事务提交",
        },
        crate::check::Goal {
            expect: "coordinator aborted",
            min_term: 1,
            en: "The transaction rolls back",
            zh: "事务回滚",
        },
    ];
    const PROPERTIES: &'static [(&'static str, &'static str)] =
        &[(ATOMICITY, "原子性"), (COMMIT_VALIDITY, "提交有效性")];

    fn describe_bug(name: &str, lang: Lang) -> Option<&'static str> {
        TwoPcBug::parse(name).map(|b| b.description(lang))
    }

    fn timeout_label(lang: Lang) -> &'static str {
        words(lang).vote_timeout
    }

    fn status(world: &World<TwoPc>, _parts: &Parts, lang: Lang) -> (String, String) {
        let w = words(lang);
        let value = <TwoPc as ballot_sim::Protocol>::leader(world)
            .map_or_else(|| format!("S1 ({})", w.down), |l| format!("S{}", l.0));
        (w.coordinator.to_string(), value)
    }
}

/// One participant's row in the transaction table.
struct RmRow {
    /// Node id.
    node: u8,
    /// Whether it is up.
    up: bool,
    /// Transaction number.
    txn: u64,
    /// `working`, `prepared`, `committed` or `aborted`.
    state: &'static str,
    /// `yes`, `no` or empty.
    vote: &'static str,
    /// Prepared and waiting for the decision.
    in_doubt: bool,
    /// Its store.
    kv: String,
}

/// The transaction as the coordinator sees it, and every participant.
struct Txn {
    /// The coordinator is up.
    tm_up: bool,
    /// The coordinator's transaction number.
    txn: u64,
    /// Its write (`x=5`), empty before the first transaction.
    command: String,
    /// `init`, `committed` or `aborted`.
    tm_state: &'static str,
    /// `idle`, `collecting` or `announcing` (empty while down).
    phase: &'static str,
    /// Yes votes received (`S2, S3`).
    yes: String,
    /// No votes received.
    no: String,
    /// Acknowledgements received.
    acks: String,
    /// One per participant.
    rms: Vec<RmRow>,
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

/// `—` for an empty value.
fn dash(s: &str) -> String {
    if s.is_empty() {
        String::from("—")
    } else {
        s.to_string()
    }
}

/// A state's name in a `state-tag state-{state}` span.
fn state_tag(state: &str, lang: Lang) -> Span {
    Span::styled(state_name(lang, state), format!("state-tag state-{state}"))
}

/// The node `id`; the coordinator fills `txn`'s summary, a participant adds its row.
fn node(world: &World<TwoPc>, id: NodeId, txn: &mut Txn, lang: Lang) -> NodeView {
    let (t, w) = (texts(lang), words(lang));
    let participants = world.cluster().size().saturating_sub(1);
    let up = world.is_up(id);
    let mut v = if id == COORDINATOR {
        let mut v = node_view(id, "coordinator", w.coordinator, up, Shape::Square);
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
                    TmPhase::Announcing { acked } => format!("{} {}/{participants}", w.acks, acked.count()),
                    _ => {
                        let no = tm.no_votes().count();
                        let no = if no > 0 { format!(" · {} {no}", w.vote_no) } else { String::new() };
                        format!("{} {}/{participants}{no}", w.vote_yes, tm.yes_votes().count())
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
        v.classes = format!("state-{}", txn.tm_state);
        v.attrs = vec![attr("state", txn.tm_state)];
        v.caption = format!("{} · {}", w.coordinator, state_name(lang, txn.tm_state));
        v.details = vec![
            (w.txn.to_string(), txn.txn.to_string()),
            (
                w.write.to_string(),
                if txn.command.is_empty() { t.none.to_string() } else { txn.command.clone() },
            ),
            (w.tm_state.to_string(), state_name(lang, txn.tm_state).to_string()),
            (w.vote_yes.to_string(), dash(&txn.yes)),
        ];
        v
    } else {
        let mut v = node_view(id, "participant", w.participant, up, Shape::Circle);
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
        v.classes = format!("state-{}", row.state);
        if row.in_doubt {
            v.classes.push_str(" in-doubt");
        }
        v.attrs = vec![attr("state", row.state), attr("in-doubt", flag(row.in_doubt))];
        v.hourglass = row.in_doubt;
        v.caption = state_name(lang, row.state).to_string();
        v.extra = if row.in_doubt {
            Some(w.in_doubt_short.to_string())
        } else if row.vote == "no" {
            Some(w.voted_no.to_string())
        } else {
            None
        };
        v.details = vec![
            (w.txn.to_string(), row.txn.to_string()),
            (w.rm_state.to_string(), state_name(lang, row.state).to_string()),
            (
                w.vote.to_string(),
                if row.vote.is_empty() { t.none.to_string() } else { state_name(lang, row.vote).to_string() },
            ),
            (t.state_machine.to_string(), row.kv.clone()),
        ];
        txn.rms.push(row);
        v
    };
    if !up {
        v.caption = format!("{} · {}", t.crashed, v.caption);
    }
    v.line = format!("tx{}", v.term);
    let what = if lang == Lang::Zh {
        format!("tx{0} 事务 {0}，{1}", v.term, v.caption)
    } else {
        format!("tx{0} transaction {0}, {1}", v.term, v.caption)
    };
    super::explain(&mut v, &what);
    v.timer_left = if up { timer_left(world, id) } else { None };
    v.group = group_of(world, id);
    v
}

/// The coordinator's transaction and every participant's state.
fn txn_table(x: &Txn, lang: Lang) -> Table {
    let (t, w) = (texts(lang), words(lang));
    let rows = x
        .rms
        .iter()
        .map(|r| {
            let mut class = Vec::new();
            if !r.up {
                class.push("down");
            }
            if r.in_doubt {
                class.push("in-doubt");
            }
            let mut state = vec![state_tag(r.state, lang)];
            if r.in_doubt {
                state.push(Span::styled(format!(" {}", w.in_doubt), "doubt-tag"));
            }
            let vote =
                if r.vote.is_empty() { String::from("—") } else { state_name(lang, r.vote).to_string() };
            TableRow {
                label: format!("S{}", r.node),
                class: class.join(" "),
                attrs: vec![attr("rm-row", r.node.to_string())],
                cells: vec![
                    Cell { class: String::new(), text: vec![Span::plain(r.txn.to_string())] },
                    Cell { class: String::new(), text: state },
                    Cell { class: String::new(), text: vec![Span::plain(vote)] },
                    Cell { class: String::from("mono"), text: vec![Span::plain(r.kv.clone())] },
                ],
            }
        })
        .collect();
    Table {
        class: String::from("txn"),
        title: format!("{} {}", w.txn_title, if x.txn > 0 { format!("#{}", x.txn) } else { String::new() }),
        caption: w.txn_caption.to_string(),
        attrs: vec![attr("txn", x.txn.to_string()), attr("tm-state", x.tm_state)],
        summary: vec![
            (w.write.to_string(), vec![Span::styled(dash(&x.command), "mono")]),
            (
                w.tm_state.to_string(),
                vec![state_tag(x.tm_state, lang), Span::plain(format!(" · {}", state_name(lang, x.phase)))],
            ),
            (w.vote_yes.to_string(), vec![Span::plain(dash(&x.yes))]),
            (w.vote_no.to_string(), vec![Span::plain(dash(&x.no))]),
            (w.acks.to_string(), vec![Span::plain(dash(&x.acks))]),
        ],
        columns: vec![
            w.txn.to_string(),
            w.rm_state.to_string(),
            w.vote.to_string(),
            t.state_machine.to_string(),
        ],
        rows,
    }
}

/// "⌛ S2, S3 are in doubt… (the coordinator is down)".
fn in_doubt_banner(who: &str, tm_down: bool, lang: Lang) -> Banner {
    let w = words(lang);
    let mut text = vec![Span::strong(format!(" {who} ")), Span::plain(w.in_doubt_banner)];
    if tm_down {
        text.push(Span::styled(format!(" {}", w.coordinator_down), "why"));
    }
    Banner {
        class: String::from("in-doubt-banner"),
        alert: true,
        attrs: vec![attr("in-doubt-banner", who)],
        icon: Some(Icon::Hourglass),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::view_of;
    use crate::session::TRACE_KEEP;
    use ballot_core::{Command, Duration};
    use ballot_sim::{Action, SimConfig};

    fn data<'a>(n: &'a NodeView, name: &str) -> Option<&'a str> {
        n.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_crashed_coordinator_leaves_participants_in_doubt() {
        let mut world = World::new(SimConfig::<TwoPc>::new(3, 1)).with_trace(TRACE_KEEP);
        let s = view_of(&world, Lang::En);
        assert_eq!(data(&s.nodes[0], "in-doubt"), None, "the coordinator has no data-in-doubt");
        assert_eq!(data(&s.nodes[1], "in-doubt"), Some("false"));
        let Panel::Table(table) = &s.panels[0] else { panic!("2PC shows a table") };
        assert_eq!(table.title, "Transaction ", "no number before the first transaction");
        world.act(Action::Request { node: COORDINATOR, command: Command::parse("x=5").unwrap() });
        // Step until every participant has voted yes, then crash the coordinator.
        for _ in 0..100 {
            let s = view_of(&world, Lang::En);
            if s.nodes[1..].iter().all(|n| data(n, "state") == Some("prepared")) {
                break;
            }
            world.step();
        }
        world.act(Action::Crash(COORDINATOR));
        world.run_for(Duration::from_millis(300));
        let s = view_of(&world, Lang::En);
        assert_eq!(s.nodes[0].role, "coordinator");
        assert!(!s.nodes[0].up);
        assert!(
            s.nodes[1..].iter().all(|n| data(n, "in-doubt") == Some("true")
                && n.hourglass
                && n.classes == "state-prepared in-doubt"),
            "{:?}",
            s.nodes
        );
        let banner = s.banner.as_ref().expect("an in-doubt banner");
        assert_eq!(
            (banner.class.as_str(), banner.alert, banner.icon),
            ("in-doubt-banner", true, Some(Icon::Hourglass))
        );
        assert!(banner.attrs.contains(&attr("in-doubt-banner", "S2, S3")));
        assert!(banner.text.iter().any(|s| s.class == "why"), "the coordinator is down");
        let Panel::Table(table) = &s.panels[0] else { panic!("2PC shows a table") };
        assert_eq!(table.title, "Transaction #1");
        assert!(table.attrs.contains(&attr("txn", "1")));
        assert!(table.rows.iter().all(|r| r.class == "in-doubt" && r.cells[1].text[1].class == "doubt-tag"));
        world.act(Action::Restart(COORDINATOR));
        world.run_for(Duration::from_millis(500));
        let s = view_of(&world, Lang::En);
        let states: Vec<_> = s.nodes[1..].iter().map(|n| data(n, "state")).collect();
        assert!(
            states.iter().all(|s| *s == states[0] && matches!(s, Some("committed" | "aborted"))),
            "{states:?}"
        );
        assert!(s.banner.is_none());
    }
}
