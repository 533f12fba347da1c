//! The words the engines put into views, in both languages (the playground's own controls have
//! theirs in `web/src/i18n.rs`). Trace sentences come from the core's `Narrate`
//! implementations.

use alloc::format;
use alloc::string::{String, ToString};
use ballot_core::kv::ParseCommandError;
use ballot_core::Lang;
use ballot_sim::link::LinkError;

/// The strings of one language.
pub struct Texts {
    /// Role names, as shown on a node.
    pub follower: &'static str,
    /// A candidate.
    pub candidate: &'static str,
    /// A leader.
    pub leader: &'static str,
    /// A crashed node.
    pub crashed: &'static str,
    /// Step button.
    pub step: &'static str,
    /// Cluster size label.
    pub size: &'static str,
    /// Seed label.
    pub seed: &'static str,
    /// Loss rate label.
    pub loss: &'static str,
    /// Bug selector label.
    pub bug: &'static str,
    /// "No bug" option.
    pub bug_none: &'static str,
    /// Text under the bug selector when no bug is chosen.
    pub bug_none_desc: &'static str,
    /// Leader label in the status line.
    pub leader_is: &'static str,
    /// "none".
    pub none: &'static str,
    /// Term label.
    pub term: &'static str,
    /// votedFor label.
    pub voted_for: &'static str,
    /// commitIndex label.
    pub commit_index: &'static str,
    /// Log length label.
    pub log_len: &'static str,
    /// State machine label.
    pub state_machine: &'static str,
    /// Empty state machine.
    pub empty: &'static str,
    /// Force-timeout button.
    pub timeout: &'static str,
    /// The node is down.
    pub node_down: &'static str,
    /// Log grid title.
    pub log_title: &'static str,
    /// Log grid caption.
    pub log_caption: &'static str,
    /// Committed legend.
    pub committed: &'static str,
    /// Not committed legend.
    pub uncommitted: &'static str,
    /// Feed title.
    pub feed_title: &'static str,
    /// Empty feed.
    pub feed_empty: &'static str,
    /// Invariant panel title.
    pub inv_title: &'static str,
    /// A property holds.
    pub holds: &'static str,
    /// A property is broken.
    pub broken: &'static str,
    /// Nodes label in a violation.
    pub nodes: &'static str,
    /// "at" in a violation.
    pub at: &'static str,
    /// Step label.
    pub step_no: &'static str,
    /// Legend title.
    pub legend: &'static str,
    /// Legend: election timer arc.
    pub legend_timer: &'static str,
    /// Legend: message dot.
    pub legend_msg: &'static str,
    /// Paxos: a node whose proposer is idle.
    pub acceptor: &'static str,
    /// Paxos: a node running a round.
    pub proposer: &'static str,
    /// 2PC: the transaction manager.
    pub coordinator: &'static str,
    /// 2PC: a resource manager.
    pub participant: &'static str,
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
    /// A non-Raft node is down.
    pub node_down_generic: &'static str,
    /// 2PC: a participant voted no.
    pub voted_no: &'static str,
    /// 2PC: collecting votes.
    pub ph_collecting: &'static str,
    /// 2PC: announcing the decision.
    pub ph_announcing: &'static str,
    /// A node is down.
    pub down: &'static str,
    /// Paxos: the chosen value label.
    pub chosen: &'static str,
    /// Paxos: who learned it.
    pub learned_by: &'static str,
    /// 2PC: why in-doubt participants wait.
    pub in_doubt_banner: &'static str,
    /// 2PC: the coordinator is down.
    pub coordinator_down: &'static str,
    /// Paxos roles panel title.
    pub paxos_title: &'static str,
    /// Paxos roles panel caption.
    pub paxos_caption: &'static str,
    /// Multi-Paxos slot grid title.
    pub slots_title: &'static str,
    /// Multi-Paxos slot grid caption.
    pub slots_caption: &'static str,
    /// 2PC transaction panel title.
    pub txn_title: &'static str,
    /// 2PC transaction panel caption.
    pub txn_caption: &'static str,
    /// Paxos: the timeout button.
    pub give_up: &'static str,
    /// 2PC: the timeout button.
    pub vote_timeout: &'static str,
    /// Feed hint for client-driven protocols.
    pub feed_client: &'static str,
    /// Legend: a protocol's timeout arc.
    pub legend_timeout: &'static str,
    /// Label of the timeline scrubber.
    pub timeline: &'static str,
    /// Step back button.
    pub step_back: &'static str,
    /// Back to the present.
    pub live: &'static str,
    /// Undo the last fork.
    pub undo_fork: &'static str,
    /// Load the scenario text as the run.
    pub load_scenario: &'static str,
}

const EN: Texts = Texts {
    follower: "follower",
    candidate: "candidate",
    leader: "leader",
    crashed: "crashed",
    step: "Step",
    size: "Servers",
    seed: "Seed",
    loss: "Loss",
    bug: "Bug",
    bug_none: "none (correct Raft)",
    bug_none_desc: "Raft exactly as Figure 2 of the paper says.",
    leader_is: "leader",
    none: "none",
    term: "term",
    voted_for: "voted for",
    commit_index: "commit index",
    log_len: "log length",
    state_machine: "state machine",
    empty: "empty",
    timeout: "Force timeout",
    node_down: "This server is down: it keeps only what it persisted (term, vote, log).",
    log_title: "Logs",
    log_caption: "One row per server, one column per log index; the number is the entry's term.",
    committed: "committed",
    uncommitted: "not committed",
    feed_title: "What happened",
    feed_empty: "Nothing yet: the servers wait for their election timers.",
    inv_title: "Safety properties",
    holds: "holds",
    broken: "VIOLATED",
    nodes: "servers",
    at: "at",
    step_no: "event",
    legend: "Legend",
    legend_timer: "election timer (drains until timeout)",
    legend_msg: "message in flight (click to drop)",
    acceptor: "acceptor",
    proposer: "proposer",
    coordinator: "coordinator",
    participant: "participant",
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
    st_init: "undecided",
    st_working: "working",
    st_prepared: "prepared",
    st_committed: "committed",
    st_aborted: "aborted",
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
    node_down_generic: "This server is down: it keeps only what it persisted.",
    voted_no: "voted no",
    ph_collecting: "collecting votes",
    ph_announcing: "announcing the decision",
    down: "down",
    chosen: "chosen",
    learned_by: "learned by",
    in_doubt_banner: "are in doubt: they voted yes and are prepared, so they may neither commit nor abort on their own. They are blocked until the coordinator's decision reaches them.",
    coordinator_down: "The coordinator is down: nobody can decide for them.",
    paxos_title: "Roles at each node",
    paxos_caption: "Every node is acceptor, proposer and learner. A ballot 3.1 is round 3 of S1; a round needs a majority of promises, then of acceptances.",
    slots_title: "Slots",
    slots_caption: "One row per acceptor, one column per slot: the ballot it accepted in, and the value. Solid: known chosen.",
    txn_title: "Transaction",
    txn_caption: "S1 coordinates; every other server is a participant. Send a write (set x 5) to start a transaction.",
    give_up: "Give up round",
    vote_timeout: "Fire vote timeout",
    feed_client: "Nothing yet: send a client request to a server to start.",
    legend_timeout: "timeout (drains until it fires)",
    timeline: "Timeline",
    step_back: "Step back",
    live: "Back to now",
    undo_fork: "Undo fork",
    load_scenario: "Load scenario",
};

const ZH: Texts = Texts {
    follower: "跟随者",
    candidate: "候选者",
    leader: "领导者",
    crashed: "已宕机",
    step: "单步",
    size: "服务器数",
    seed: "种子",
    loss: "丢包率",
    bug: "错误",
    bug_none: "无（正确的 Raft）",
    bug_none_desc: "完全按照论文图 2 实现的 Raft。",
    leader_is: "领导者",
    none: "无",
    term: "任期",
    voted_for: "投票给",
    commit_index: "提交索引",
    log_len: "日志长度",
    state_machine: "状态机",
    empty: "空",
    timeout: "强制超时",
    node_down: "这台服务器已宕机：只保留已持久化的内容（任期、投票、日志）。",
    log_title: "日志",
    log_caption: "每行一台服务器，每列一个日志索引；数字是条目的任期。",
    committed: "已提交",
    uncommitted: "未提交",
    feed_title: "发生了什么",
    feed_empty: "暂无事件：服务器在等待选举定时器。",
    inv_title: "安全性质",
    holds: "成立",
    broken: "被违反",
    nodes: "服务器",
    at: "时间",
    step_no: "事件",
    legend: "图例",
    legend_timer: "选举定时器（耗尽即超时）",
    legend_msg: "传输中的消息（点击可丢弃）",
    acceptor: "接受者",
    proposer: "提议者",
    coordinator: "协调者",
    participant: "参与者",
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
    st_init: "未决定",
    st_working: "工作中",
    st_prepared: "已准备",
    st_committed: "已提交",
    st_aborted: "已中止",
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
    node_down_generic: "这台服务器已宕机：只保留已持久化的内容。",
    voted_no: "投了反对票",
    ph_collecting: "收集投票",
    ph_announcing: "发布决定",
    down: "宕机",
    chosen: "已选定",
    learned_by: "学到的节点",
    in_doubt_banner: "处于存疑状态：它们已投赞成票并已准备好，因此既不能自行提交也不能自行中止，只能阻塞等待协调者的决定送达。",
    coordinator_down: "协调者已宕机：没有人能替它们做决定。",
    paxos_title: "每个节点的角色",
    paxos_caption: "每个节点同时是接受者、提议者和学习者。选票 3.1 表示 S1 的第 3 轮；一轮需要多数派的承诺，再需要多数派的接受。",
    slots_title: "槽位",
    slots_caption: "每行一个接受者，每列一个槽位：接受时的选票编号和值。实心表示已知被选定。",
    txn_title: "事务",
    txn_caption: "S1 是协调者，其余服务器是参与者。发送一个写入（set x 5）即可开始一个事务。",
    give_up: "放弃本轮",
    vote_timeout: "触发投票超时",
    feed_client: "暂无事件：向某台服务器发送客户端请求即可开始。",
    legend_timeout: "超时定时器（耗尽即触发）",
    timeline: "时间轴",
    step_back: "后退一步",
    live: "回到现在",
    undo_fork: "撤销分叉",
    load_scenario: "载入场景",
};

/// The strings for `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// A role's name (`follower`, `candidate`, `leader`, `crashed`) in `lang`.
pub fn role(lang: Lang, role: &str) -> &'static str {
    let t = texts(lang);
    match role {
        "candidate" => t.candidate,
        "leader" => t.leader,
        "crashed" => t.crashed,
        "acceptor" => t.acceptor,
        "proposer" => t.proposer,
        "coordinator" => t.coordinator,
        "participant" => t.participant,
        _ => t.follower,
    }
}

/// A Paxos proposer phase (`idle`, `prepare`, `accept`, `backoff`, `done`) in `lang`.
pub fn phase(lang: Lang, phase: &str) -> &'static str {
    let t = texts(lang);
    match phase {
        "prepare" => t.phase_prepare,
        "accept" => t.phase_accept,
        "backoff" => t.phase_backoff,
        "done" => t.phase_done,
        _ => t.phase_idle,
    }
}

/// A 2PC state, phase or vote (`init`, `working`, `prepared`, `committed`, `aborted`,
/// `collecting`, `announcing`, `idle`, `yes`, `no`) in `lang`.
pub fn state_name(lang: Lang, state: &str) -> &'static str {
    let t = texts(lang);
    match state {
        "init" => t.st_init,
        "working" => t.st_working,
        "prepared" => t.st_prepared,
        "committed" => t.st_committed,
        "aborted" => t.st_aborted,
        "collecting" => t.ph_collecting,
        "announcing" => t.ph_announcing,
        "yes" => t.yes,
        "no" => t.no,
        "" => t.down,
        _ => t.phase_idle,
    }
}

/// A safety property's name: the paper's English name, with a Chinese gloss in Chinese.
pub fn property(lang: Lang, name: &'static str) -> String {
    if lang == Lang::En {
        return name.to_string();
    }
    let zh = match name {
        "Election Safety" => "选举安全",
        "Leader Append-Only" => "领导者只追加",
        "Log Matching" => "日志匹配",
        "Leader Completeness" => "领导者完整性",
        "State Machine Safety" => "状态机安全",
        "Persist Before Send" => "先持久化再发送",
        "Agreement" => "一致性",
        "Validity" => "有效性",
        "Promise Respected" => "遵守承诺",
        "Applied Sequence Agreement" => "应用序列一致",
        "Atomicity" => "原子性",
        "Commit Validity" => "提交有效性",
        _ => return name.to_string(),
    };
    format!("{zh}（{name}）")
}

/// Why a client request's text was refused, in `lang` (English: the core's own message).
pub fn command_error(lang: Lang, err: &ParseCommandError) -> String {
    match (lang, err) {
        (Lang::En, e) => e.to_string(),
        (Lang::Zh, ParseCommandError::Syntax) => {
            String::from("格式应为 `set KEY VALUE`、`KEY=VALUE`、`get KEY` 或 `noop`")
        }
        (Lang::Zh, ParseCommandError::BadWord) => {
            format!("键和值须为 1 到 {} 个字母、数字、'_' 或 '-'", ballot_core::kv::MAX_TEXT_LEN)
        }
    }
}

/// Why a scenario could not be loaded (the reason is the core's English sentence, with its
/// line number).
pub fn scenario_error(lang: Lang, e: &ballot_sim::scenario::ScenarioError) -> String {
    match lang {
        Lang::En => format!("Could not load the scenario: {e}. The current run is unchanged."),
        Lang::Zh => format!("无法载入场景（{e}）。当前运行保持不变。"),
    }
}

/// A scenario was loaded; `skipped` protocol-specific expectations were not checked.
pub fn scenario_loaded(lang: Lang, skipped: usize) -> String {
    match (lang, skipped) {
        (Lang::En, 0) => String::from("Scenario loaded: the run is paused at its end."),
        (Lang::En, n) => format!(
            "Scenario loaded: the run is paused at its end. {n} protocol-specific expectation(s) were not checked here; `ballot run FILE` checks them."
        ),
        (Lang::Zh, 0) => String::from("场景已载入：运行暂停在其结尾。"),
        (Lang::Zh, n) => format!("场景已载入：运行暂停在其结尾。有 {n} 条协议相关的 expect 未在此检查；`ballot run FILE` 会检查它们。"),
    }
}

/// Why a share link could not be opened, as one sentence. (The reason itself is the core's
/// English sentence: translating each `LinkError` would cost bundle bytes the budget lacks.)
pub fn link_error(lang: Lang, e: &LinkError) -> String {
    match lang {
        Lang::En => format!("Could not open the shared run: {e}. Showing the default run instead."),
        Lang::Zh => format!("无法打开分享的运行（{e}）。改为显示默认运行。"),
    }
}
