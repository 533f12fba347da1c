//! Every user-visible string of the playground's own controls, in both languages. Components
//! ask for a [`Texts`] and never spell a sentence themselves. What describes a run (roles,
//! panels, the feed, errors about links and scenarios) comes worded from the engine.

use ballot_core::Lang;

use crate::url::Problem;

/// The strings of one language.
pub struct Texts {
    /// Under the title.
    pub tagline: &'static str,
    /// While the protocol's engine loads.
    pub loading: &'static str,
    /// Above the reason the engine could not load or failed.
    pub engine_failed: &'static str,
    /// Accessible name of the language switch.
    pub language: &'static str,
    /// Accessible name of the ring picture.
    pub ring: &'static str,
    /// Play button.
    pub play: &'static str,
    /// Pause button.
    pub pause: &'static str,
    /// Step button.
    pub step: &'static str,
    /// Step button's tooltip.
    pub step_hint: &'static str,
    /// Speed slider label.
    pub speed: &'static str,
    /// Cluster size label.
    pub size: &'static str,
    /// Seed label.
    pub seed: &'static str,
    /// Loss rate label.
    pub loss: &'static str,
    /// Duplication rate label.
    pub dup: &'static str,
    /// Bug selector label.
    pub bug: &'static str,
    /// Reset button.
    pub reset: &'static str,
    /// Partition button.
    pub partition: &'static str,
    /// Apply the partition draft.
    pub apply: &'static str,
    /// Cancel.
    pub cancel: &'static str,
    /// Heal button.
    pub heal: &'static str,
    /// How to edit a partition.
    pub partition_hint: &'static str,
    /// Label of the message-click choice.
    pub click_msg: &'static str,
    /// Clicking a message drops it.
    pub click_drop: &'static str,
    /// Clicking a message duplicates it.
    pub click_dup: &'static str,
    /// Help button.
    pub help: &'static str,
    /// Dismiss button.
    pub dismiss: &'static str,
    /// Virtual time label.
    pub time: &'static str,
    /// Node panel hint when nothing is selected.
    pub select_hint: &'static str,
    /// Closes the selected server's actions.
    pub close: &'static str,
    /// Crash button.
    pub crash: &'static str,
    /// Restart button.
    pub restart: &'static str,
    /// Client request label.
    pub request: &'static str,
    /// Send button.
    pub send: &'static str,
    /// The violation banner.
    pub violation_banner: &'static str,
    /// Protocol picker label.
    pub protocol: &'static str,
    /// Share button.
    pub share: &'static str,
    /// Label of the share link field.
    pub share_label: &'static str,
    /// Label of the timeline scrubber.
    pub timeline: &'static str,
    /// Step back button.
    pub step_back: &'static str,
    /// Back to the present.
    pub live: &'static str,
    /// Undo the last fork.
    pub undo_fork: &'static str,
    /// Show the run as scenario text.
    pub export_scenario: &'static str,
    /// The button that opens the Check panel (web/check-panel.js).
    pub check: &'static str,
    /// The button that opens the embed & export dialog (web/export.js).
    pub export_media: &'static str,
    /// The button that opens the tours and the Try-this menu (web/tours.js).
    pub tours: &'static str,
    /// The background client workload's switch.
    pub workload: &'static str,
    /// Shown while a past moment is on screen.
    pub past_hint: &'static str,
    /// Load the scenario text as the run.
    pub load_scenario: &'static str,
    /// Download the scenario text as a file.
    pub download_scenario: &'static str,
    /// Space-time diagram title.
    pub diagram_title: &'static str,
    /// What the diagram shows and how to use it.
    pub diagram_hint: &'static str,
    /// Tooltip: clicking the diagram moves the cursor.
    pub diagram_click: &'static str,
    /// Zoom the diagram in (a shorter window).
    pub zoom_in: &'static str,
    /// Zoom the diagram out (a longer window).
    pub zoom_out: &'static str,
    /// Make the diagram of the kept run as an SVG file.
    pub export_svg: &'static str,
    /// The link to that SVG file.
    pub download_svg: &'static str,
}

const EN: Texts = Texts {
    loading: "Loading the protocol engine…",
    engine_failed: "The protocol engine could not start, or stopped. Reload the page; opened as a file, serve it instead (`trunk serve`, or any static server in dist/).",
    tagline: "Watch consensus protocols reach agreement one message at a time, then break them on purpose.",
    language: "Language",
    ring: "The cluster: each server on a ring, messages travelling between them",
    play: "Play",
    pause: "Pause",
    step: "Step",
    step_hint: "Process the next event only",
    speed: "Speed",
    size: "Servers",
    seed: "Seed",
    loss: "Loss",
    dup: "Duplication",
    bug: "Bug",
    reset: "Reset",
    partition: "Partition…",
    apply: "Apply",
    cancel: "Cancel",
    heal: "Heal",
    partition_hint:
        "Click servers to move them between groups A, B and C, then apply. Groups cannot talk to each other.",
    click_msg: "Clicking a message",
    click_drop: "drops it",
    click_dup: "duplicates it",
    help: "Shortcuts",
    dismiss: "Dismiss",
    time: "time",
    select_hint:
        "Click a server (or press 1–9) to crash it, force its election timeout or send it a client request.",
    close: "Close",
    crash: "Crash",
    restart: "Restart",
    request: "Client request",
    send: "Send",
    violation_banner: "Safety violation! The simulation paused so you can see what went wrong.",
    protocol: "Protocol",
    share: "Share",
    share_label: "Link to this moment",
    timeline: "Timeline",
    step_back: "Step back",
    live: "Back to now",
    undo_fork: "Undo fork",
    export_scenario: "Export scenario",
    check: "Model check…",
    export_media: "Embed & export…",
    tours: "Tours & examples",
    workload: "Clients",
    past_hint: "Viewing the past: playing replays the run; acting here forks it.",
    load_scenario: "Load scenario",
    download_scenario: "Download .scn",
    diagram_title: "Space-time diagram",
    diagram_hint: "Time flows down, one line per server; arrows are messages. Click to show a moment; ? explains more.",
    diagram_click: "Click to show that moment",
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    export_svg: "Export SVG",
    download_svg: "Download diagram.svg",
};

const ZH: Texts = Texts {
    loading: "正在载入协议引擎……",
    engine_failed: "协议引擎无法启动或已停止。请重新载入页面；以本地文件打开时，请改为通过 HTTP 提供（`trunk serve` 或 dist/ 中的任意静态服务器）。",
    tagline: "一条消息一条消息地观看共识协议如何达成一致，再亲手把它弄坏。",
    language: "语言",
    ring: "集群：服务器排成一圈，消息在它们之间传递",
    play: "播放",
    pause: "暂停",
    step: "单步",
    step_hint: "只处理下一个事件",
    speed: "速度",
    size: "服务器数",
    seed: "种子",
    loss: "丢包率",
    dup: "重复率",
    bug: "错误",
    reset: "重置",
    partition: "分区…",
    apply: "应用",
    cancel: "取消",
    heal: "恢复网络",
    partition_hint: "点击服务器，把它们分到 A、B、C 组，然后应用。不同组之间无法通信。",
    click_msg: "点击消息时",
    click_drop: "丢弃它",
    click_dup: "复制它",
    help: "快捷键",
    dismiss: "知道了",
    time: "时间",
    select_hint: "点击一台服务器（或按 1–9）来让它宕机、强制选举超时或向它发送客户端请求。",
    close: "关闭",
    crash: "宕机",
    restart: "重启",
    request: "客户端请求",
    send: "发送",
    violation_banner: "违反安全性！模拟已暂停，你可以查看哪里出了问题。",
    protocol: "协议",
    share: "分享",
    share_label: "指向此刻的链接",
    timeline: "时间轴",
    step_back: "后退一步",
    live: "回到现在",
    undo_fork: "撤销分叉",
    export_scenario: "导出场景",
    check: "模型检查…",
    export_media: "嵌入与导出…",
    tours: "导览与示例",
    workload: "客户端",
    past_hint: "正在查看过去：播放会重放这次运行；在此操作会让它分叉。",
    load_scenario: "载入场景",
    download_scenario: "下载 .scn",
    diagram_title: "时空图",
    diagram_hint: "每台服务器一条竖线，时间自上而下；箭头是消息。点击即可显示该时刻；按 ? 了解更多。",
    diagram_click: "点击以显示该时刻",
    zoom_in: "放大",
    zoom_out: "缩小",
    export_svg: "导出 SVG",
    download_svg: "下载 diagram.svg",
};

/// The strings for `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// The name of a language, written in that language (what the toggle shows).
pub fn endonym(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::Zh => "简体中文",
    }
}

/// Every registered protocol's name.
fn protocol_names(sep: &str) -> String {
    ballot_engine::registry::names().collect::<Vec<_>>().join(sep)
}

/// What a query parameter should have been.
fn expected(lang: Lang, p: &Problem) -> String {
    match (lang, p.param) {
        (Lang::En, "bug") if !p.known.is_empty() => format!("known bugs: {}", p.known.join(", ")),
        (Lang::Zh, "bug") if !p.known.is_empty() => format!("已知错误：{}", p.known.join("、")),
        (Lang::En, "protocol") => format!("protocols: {}", protocol_names(", ")),
        (Lang::Zh, "protocol") => format!("协议：{}", protocol_names("、")),
        (lang, param) => expected_fixed(lang, param).to_string(),
    }
}

fn expected_fixed(lang: Lang, param: &str) -> &'static str {
    match (lang, param) {
        (Lang::En, "size") => "a cluster has 3 to 9 servers",
        (Lang::Zh, "size") => "集群应有 3 到 9 台服务器",
        (Lang::En, "seed") => "the seed is a whole number",
        (Lang::Zh, "seed") => "种子应为非负整数",
        (Lang::En, "speed") => "speed is between 0.01 and 10",
        (Lang::Zh, "speed") => "速度应在 0.01 到 10 之间",
        (Lang::En, "loss" | "dup") => "a rate is a percentage from 0 to 100",
        (Lang::Zh, "loss" | "dup") => "比率应为 0 到 100 的百分数",
        (Lang::En, "lang") => "languages: en, zh",
        (Lang::Zh, "lang") => "语言：en、zh",
        (Lang::En, _) => "expected 1 or 0",
        (Lang::Zh, _) => "应为 1 或 0",
    }
}

/// One sentence about a bad query parameter.
pub fn problem(lang: Lang, p: &Problem) -> String {
    let why = expected(lang, p);
    match lang {
        Lang::En => format!("Ignored {}={}: {why}. Using {}.", p.param, p.value, p.used),
        Lang::Zh => format!("已忽略 {}={}：{why}。改用 {}。", p.param, p.value, p.used),
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

/// Under the ring when a dense run has more messages in flight than it draws.
pub fn undrawn(lang: Lang, n: u64) -> String {
    match lang {
        Lang::En => format!("+{n} more messages in flight"),
        Lang::Zh => format!("另有 {n} 条在途消息未画出"),
    }
}

/// A speed as the slider shows it (`1/40×`, `2.5×`).
pub fn speed(speed: f64) -> String {
    if speed >= 1.0 {
        let r = (speed * 10.0).round() / 10.0;
        if r.fract() == 0.0 {
            format!("{}×", crate::num::fixed(r, 0))
        } else {
            format!("{}×", crate::num::fixed(r, 1))
        }
    } else {
        format!("1/{}×", crate::num::fixed(1.0 / speed, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_read_naturally() {
        assert_eq!(speed(0.025), "1/40×");
        assert_eq!(speed(0.01), "1/100×");
        assert_eq!(speed(1.0), "1×");
        assert_eq!(speed(2.5), "2.5×");
    }

    #[test]
    fn problems_name_the_parameter_and_the_default() {
        let p = Problem { param: "size", value: "42".into(), used: "5".into(), known: Vec::new() };
        assert_eq!(problem(Lang::En, &p), "Ignored size=42: a cluster has 3 to 9 servers. Using 5.");
        assert!(problem(Lang::Zh, &p).contains("size=42"));
    }
}
