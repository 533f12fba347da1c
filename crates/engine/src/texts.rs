//! The words the engines put into views, in both languages (the playground's own controls have
//! theirs in `web/src/i18n.rs`): those every engine uses and Raft's. Another protocol's words
//! live with its adapter (`Words` in `adapters/paxos.rs`, `adapters/twopc.rs`), so that an
//! engine, one wasm module per protocol, links only its own. Trace sentences come from the
//! core's `Narrate` implementations.

use alloc::format;
use alloc::string::{String, ToString};
use ballot_core::kv::ParseCommandError;
use ballot_core::Lang;
use ballot_sim::link::LinkError;
use ballot_sim::world::PERSIST_BEFORE_SEND;

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
    /// Feed: a heartbeat round summed up in one line: `{leader}{0}{answered}/{sent}{1}`.
    pub hb_round: [&'static str; 2],
}

const EN: Texts = Texts {
    follower: "follower",
    candidate: "candidate",
    leader: "leader",
    crashed: "crashed",
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
    hb_round: [" heartbeat round: ", " followers answered"],
};

const ZH: Texts = Texts {
    follower: "跟随者",
    candidate: "候选者",
    leader: "领导者",
    crashed: "已宕机",
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
    hb_round: [" 心跳轮：", " 个跟随者已回应"],
};

/// The strings for `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// A leader-based role's name (`follower`, `candidate`, `leader`, `crashed`) in `lang`.
pub fn role(lang: Lang, role: &str) -> &'static str {
    let t = texts(lang);
    match role {
        "candidate" => t.candidate,
        "leader" => t.leader,
        "crashed" => t.crashed,
        _ => t.follower,
    }
}

/// A safety property's name: the paper's English name, with a Chinese gloss in Chinese.
/// `glosses` are the protocol's (`Visual::PROPERTIES`); the simulator's own property
/// (`Persist Before Send`) is glossed here.
pub fn property(lang: Lang, name: &'static str, glosses: &[(&str, &'static str)]) -> String {
    if lang == Lang::En {
        return name.to_string();
    }
    let zh = if name == PERSIST_BEFORE_SEND {
        "先持久化再发送"
    } else {
        match glosses.iter().find(|(en, _)| *en == name) {
            Some((_, zh)) => zh,
            None => return name.to_string(),
        }
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
