//! # ballot-engine: the protocol registry and the engines the playground talks to
//!
//! A protocol is its crate (state machine, checker, broken variants, narration), its simulator
//! adapter ([`ballot_sim::Protocol`]), one view adapter ([`Visual`], in [`adapters`]) and one
//! line in [`registry`]. Everything above the simulator reads the registry: the `ballot`
//! command, the tests, the fuzz targets, `scripts/test.sh` (through `ballot protocols`) and the
//! playground, whose components render [`view`] data and know no protocol by name.
//!
//! An [`Engine`] is one protocol's run with its time travel ([`session`]); it answers the
//! page's [`wire::Request`]s with a [`wire::Reply`]. In the browser each protocol's engine is
//! its own wasm module in a Web Worker (`web/engine`), fetched only when that protocol is
//! chosen; natively (tests, the CLI) it is an ordinary value.
//!
//! | module | what it holds |
//! |---|---|
//! | [`registry`] | the one list of protocols, their catalog and a generic dispatch |
//! | [`view`] | protocol-agnostic view data: nodes, messages, grids, tables, banners, feed |
//! | [`render`] | the panels, banner, feed, properties and legend as HTML |
//! | [`wire`] | requests, replies and their encoding between page and engine |
//! | [`engine`] | an [`Engine`]: a [`session::Session`] answering requests |
//! | [`session`] | a run, its checkpoints, the shown past moment and a fork to undo |
//! | [`adapters`] | one view adapter per protocol |
//! | [`texts`] | the words every engine and Raft's adapter use, in English and Chinese |
#![no_std]
#![deny(missing_docs)]

extern crate alloc;

pub mod adapters;
pub mod check;
pub mod engine;
pub mod registry;
pub mod render;
pub mod session;
pub mod texts;
pub mod view;
pub mod wire;

pub use engine::{AnyEngine, Engine};
pub use registry::{Info, Visitor};

use alloc::string::String;
use alloc::vec::Vec;
use ballot_core::{Command, Lang};
use ballot_sim::{Protocol, World};
use view::{Banner, BugView, Chrome, NodeView, Panel};

/// The legend, the controls' words and the broken variants of `P`, in `lang`.
pub fn chrome<P: Visual>(lang: Lang) -> Chrome {
    let title = P::INFO.title(lang);
    Chrome {
        legend: adapters::legend(P::ROLES, lang),
        timer_legend: P::timer_legend(lang).into(),
        timeout_label: P::timeout_label(lang).into(),
        down_note: P::down_note(lang).into(),
        bug_none: match lang {
            Lang::En => alloc::format!("none (correct {title})"),
            Lang::Zh => alloc::format!("无（正确的 {title}）"),
        },
        bug_none_description: P::INFO.summary(lang).into(),
        bugs: P::bug_names()
            .iter()
            .map(|name| BugView {
                name: (*name).into(),
                description: P::describe_bug(name, lang).unwrap_or_default().into(),
            })
            .collect(),
    }
}

/// What a view adapter reads from its protocol's world; the engine adds the shared parts
/// (time, messages, partitions, feed, properties).
#[derive(Default)]
pub struct Parts {
    /// The nodes.
    pub nodes: Vec<NodeView>,
    /// The protocol's panels.
    pub panels: Vec<Panel>,
    /// The banner, if any.
    pub banner: Option<Banner>,
    /// The chosen value (Paxos): `data-chosen` on the root.
    pub chosen: Option<String>,
}

/// A protocol the playground can show: its simulator adapter plus how its world looks.
pub trait Visual: Protocol<Command = Command> {
    /// Its name, title and summary.
    const INFO: Info;

    /// The nodes, panels and banner of the shown `world`, worded in `lang`.
    fn parts(world: &World<Self>, lang: Lang) -> Parts;

    /// The protocol's roles as the legend shows them (node classes, shape, name).
    const ROLES: &'static [adapters::Role];

    /// Its safety properties' Chinese names, by the paper's English name (see
    /// [`texts::property`]).
    const PROPERTIES: &'static [(&'static str, &'static str)];

    /// The short labels the ring shows (a node's line, message dots) and what they mean, as
    /// (label, English, Chinese): the legend lists them.
    const ABBREVIATIONS: &'static [(&'static str, &'static str, &'static str)] = &[];

    /// The label of a heartbeat message ([`ballot_core::node::Message::label`]): the feed folds
    /// each heartbeat round into one line ([`engine::feed`]). No message has the default's.
    const HEARTBEAT: &'static str = "HB";

    /// The label of a successful reply to a heartbeat, folded into the round too (Raft's `AE✓`,
    /// which also answers appends: such replies fold as well, the appends' notes do not).
    const HEARTBEAT_REPLY: &'static str = "HB✓";

    /// Whether a trace note says nothing the line of a heartbeat round does not (Raft: "S2
    /// accepted a heartbeat"): such a note, made while receiving a heartbeat, folds into the
    /// round's line. Notes that matter (a commit a heartbeat carried, a new term) stay lines.
    fn routine_note(_note: &<Self::Node as ballot_core::Node>::Note) -> bool {
        false
    }

    /// The Check panel's "find an example" questions ([`check::Goal`]): states a reader may want
    /// to see reached (a leader elected, a value chosen, a transaction committed).
    const GOALS: &'static [check::Goal] = &[];

    /// One sentence about the broken variant `name` (one of `bug_names()`).
    fn describe_bug(name: &str, lang: Lang) -> Option<&'static str>;

    /// The "force timeout" button.
    fn timeout_label(lang: Lang) -> &'static str {
        texts::texts(lang).timeout
    }

    /// What the timer arc around a node means.
    fn timer_legend(lang: Lang) -> &'static str {
        match lang {
            Lang::En => "timeout (drains until it fires)",
            Lang::Zh => "超时定时器（耗尽即触发）",
        }
    }

    /// Said of a crashed node in the node panel.
    fn down_note(lang: Lang) -> &'static str {
        match lang {
            Lang::En => "This server is down: it keeps only what it persisted.",
            Lang::Zh => "这台服务器已宕机：只保留已持久化的内容。",
        }
    }

    /// The status line: what to watch and its value (by default the leader), given the parts
    /// [`Visual::parts`] read from the same world.
    fn status(world: &World<Self>, _parts: &Parts, lang: Lang) -> (String, String) {
        let t = texts::texts(lang);
        let value = Self::leader(world).map_or_else(|| t.none.into(), |l| alloc::format!("S{}", l.0));
        (t.leader_is.into(), value)
    }

    /// What the feed says before anything happened.
    fn feed_empty(lang: Lang) -> &'static str {
        match lang {
            Lang::En => "Nothing yet: send a client request to a server to start.",
            Lang::Zh => "暂无事件：向某台服务器发送客户端请求即可开始。",
        }
    }
}
