//! Trace notes: what a Multi-Paxos node did and why, told in English or Simplified Chinese.

use crate::ballot::Ballot;
use crate::multi::message::{MsgKind, Slot};
use alloc::format;
use alloc::string::String;
use ballot_core::{Command, Lang, Narrate, NodeId};

/// One trace note: an event at `node`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct MultiNote {
    /// The node the note is about (the one that acted).
    pub node: NodeId,
    /// What happened.
    pub event: MultiEvent,
}

/// Why a leader proposes a value for a slot.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Origin {
    /// A client command, in a fresh slot.
    Client,
    /// Recovery: the highest-numbered proposal the promises reported for that slot.
    Recovered {
        /// The ballot it was accepted in.
        from: Ballot,
    },
    /// Recovery: no promise reported anything for that slot below the highest reported one.
    GapFill,
}

/// What happened.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum MultiEvent {
    /// Started (or restarted) from the acceptor's durable state.
    Booted {
        /// The restored promise.
        promised: Ballot,
        /// How many slots have an accepted proposal.
        accepted: u64,
    },
    /// No leader heard from: phase 1 for every slot from `from_slot` on.
    BecameCandidate {
        /// The new ballot.
        ballot: Ballot,
        /// The first slot it does not know to be chosen.
        from_slot: Slot,
    },
    /// The acceptor promised `ballot` and reported its accepted proposals.
    Promised {
        /// Who asked.
        candidate: NodeId,
        /// The ballot promised.
        ballot: Ballot,
        /// How many accepted proposals it reported.
        reported: u64,
    },
    /// The acceptor refused a Prepare, Accept or Heartbeat: it promised a higher ballot.
    Rejected {
        /// The sender.
        from: NodeId,
        /// Which message.
        kind: MsgKind,
        /// The refused ballot.
        ballot: Ballot,
        /// The promise that forbids it.
        promised: Ballot,
    },
    /// The candidate counted a promise.
    PromiseReceived {
        /// The acceptor.
        from: NodeId,
        /// Promises so far (own included).
        promises: u8,
        /// A majority.
        needed: u8,
    },
    /// A majority promised: this node leads with `ballot`; slots `recover_from..=recover_to`
    /// are re-proposed (empty when `recover_from > recover_to`).
    BecameLeader {
        /// Its ballot.
        ballot: Ballot,
        /// First slot to re-propose.
        recover_from: Slot,
        /// Last slot to re-propose.
        recover_to: Slot,
    },
    /// Became a follower (of `leader`, once known).
    BecameFollower {
        /// The leader, if known.
        leader: Option<NodeId>,
    },
    /// The candidate's or leader's ballot was refused: someone promised a higher one.
    Preempted {
        /// The refusing acceptor.
        from: NodeId,
        /// Our ballot.
        ballot: Ballot,
        /// What it promised.
        promised: Ballot,
    },
    /// The leader sent accept requests for `slot`.
    Proposed {
        /// The slot.
        slot: Slot,
        /// The value.
        value: Command,
        /// Why this value.
        origin: Origin,
    },
    /// The acceptor accepted (`ballot`, `value`) for `slot`.
    AcceptedProposal {
        /// The slot.
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// The value.
        value: Command,
    },
    /// The leader saw a majority accept `slot`: it is chosen.
    Chosen {
        /// The slot.
        slot: Slot,
        /// The value.
        value: Command,
    },
    /// The learner learned `slot`'s chosen value from a Decide.
    Learned {
        /// The slot.
        slot: Slot,
        /// The value.
        value: Command,
    },
    /// A Decide named another value for a slot already learned (only a broken run does this).
    Conflict {
        /// The slot.
        slot: Slot,
        /// What the node had learned.
        known: Command,
        /// What the Decide said.
        other: Command,
    },
    /// A chosen slot was applied to the key/value store.
    Applied {
        /// The slot.
        slot: Slot,
        /// The command.
        value: Command,
        /// What the store answered.
        result: Option<String>,
    },
    /// A follower is missing chosen slots the leader has: it asks for them.
    CatchingUp {
        /// The first slot it is missing.
        from_slot: Slot,
        /// The leader's chosen prefix.
        leader_chosen: Slot,
    },
    /// A client command was refused: this node is not the leader.
    ClientRedirected {
        /// The leader it believes in, if any.
        hint: Option<NodeId>,
    },
    /// Every round number has been used: no candidacy is possible.
    NoBallotLeft,
    /// A message about a ballot that is no longer current was ignored.
    IgnoredStale {
        /// The sender.
        from: NodeId,
        /// Which message.
        kind: MsgKind,
        /// Its ballot.
        ballot: Ballot,
    },
    /// A message no correct node sends was ignored.
    IgnoredMalformed {
        /// The sender.
        from: NodeId,
        /// Which message.
        kind: MsgKind,
    },
}

fn opt_node(id: Option<NodeId>, lang: Lang) -> String {
    match (id, lang) {
        (Some(id), _) => format!("{id}"),
        (None, Lang::En) => String::from("nobody"),
        (None, Lang::Zh) => String::from("无"),
    }
}

impl Narrate for MultiNote {
    fn narrate(&self, lang: Lang) -> String {
        use MultiEvent::*;
        let me = self.node;
        match (&self.event, lang) {
            (Booted { promised, accepted }, Lang::En) => {
                format!("{me} started: promised {promised}, {accepted} accepted slots")
            }
            (Booted { promised, accepted }, Lang::Zh) => {
                format!("{me} 启动：已承诺 {promised}，{accepted} 个槽位已接受提案")
            }
            (BecameCandidate { ballot, from_slot }, Lang::En) => format!(
                "{me} heard no leader and runs phase 1 with ballot {ballot} for slots {from_slot} on"
            ),
            (BecameCandidate { ballot, from_slot }, Lang::Zh) => {
                format!("{me} 未收到领导者消息，以选票 {ballot} 为槽位 {from_slot} 及之后运行阶段 1")
            }
            (Promised { candidate, ballot, reported }, Lang::En) => {
                format!("{me} promises {ballot} to {candidate} and reports {reported} accepted slots")
            }
            (Promised { candidate, ballot, reported }, Lang::Zh) => {
                format!("{me} 向 {candidate} 承诺 {ballot}，并报告 {reported} 个已接受的槽位")
            }
            (Rejected { kind, ballot, promised, .. }, Lang::En) => {
                format!("{me} rejects {}({ballot}): promised {promised}", kind.name())
            }
            (Rejected { kind, ballot, promised, .. }, Lang::Zh) => {
                format!("{me} 拒绝 {}({ballot})：已承诺 {promised}", kind.name())
            }
            (PromiseReceived { from, promises, needed }, Lang::En) => {
                format!("{me} got a promise from {from} ({promises}/{needed})")
            }
            (PromiseReceived { from, promises, needed }, Lang::Zh) => {
                format!("{me} 收到 {from} 的承诺（{promises}/{needed}）")
            }
            (BecameLeader { ballot, recover_from, recover_to }, Lang::En) if recover_from <= recover_to => {
                format!("{me} leads with ballot {ballot} and re-proposes slots {recover_from} to {recover_to}")
            }
            (BecameLeader { ballot, recover_from, recover_to }, Lang::Zh) if recover_from <= recover_to => {
                format!("{me} 以选票 {ballot} 成为领导者，重新提议槽位 {recover_from} 至 {recover_to}")
            }
            (BecameLeader { ballot, .. }, Lang::En) => format!("{me} leads with ballot {ballot}"),
            (BecameLeader { ballot, .. }, Lang::Zh) => format!("{me} 以选票 {ballot} 成为领导者"),
            (BecameFollower { leader }, Lang::En) => {
                format!("{me} follows {}", opt_node(*leader, lang))
            }
            (BecameFollower { leader }, Lang::Zh) => {
                format!("{me} 成为跟随者（领导者：{}）", opt_node(*leader, lang))
            }
            (Preempted { from, ballot, promised }, Lang::En) => {
                format!("{me}'s ballot {ballot} was refused by {from}, which promised {promised}: it steps down")
            }
            (Preempted { from, ballot, promised }, Lang::Zh) => {
                format!("{me} 的选票 {ballot} 被 {from} 拒绝（它已承诺 {promised}）：退位")
            }
            (Proposed { slot, value, origin: Origin::Client }, Lang::En) => {
                format!("{me} proposes {value} for slot {slot}")
            }
            (Proposed { slot, value, origin: Origin::Client }, Lang::Zh) => {
                format!("{me} 为槽位 {slot} 提议 {value}")
            }
            (Proposed { slot, value, origin: Origin::Recovered { from } }, Lang::En) => {
                format!("{me} re-proposes {value} for slot {slot} (accepted in {from})")
            }
            (Proposed { slot, value, origin: Origin::Recovered { from } }, Lang::Zh) => {
                format!("{me} 为槽位 {slot} 重新提议 {value}（曾在 {from} 中被接受）")
            }
            (Proposed { slot, .. }, Lang::En) => format!("{me} fills the gap at slot {slot} with a no-op"),
            (Proposed { slot, .. }, Lang::Zh) => format!("{me} 用空操作填补槽位 {slot} 的空缺"),
            (AcceptedProposal { slot, ballot, value }, Lang::En) => {
                format!("{me} accepts {value} for slot {slot} in ballot {ballot}")
            }
            (AcceptedProposal { slot, ballot, value }, Lang::Zh) => {
                format!("{me} 在选票 {ballot} 中为槽位 {slot} 接受 {value}")
            }
            (Chosen { slot, value }, Lang::En) => {
                format!("{me}: a majority accepted {value} for slot {slot}; it is chosen")
            }
            (Chosen { slot, value }, Lang::Zh) => {
                format!("{me}：多数派接受了槽位 {slot} 的 {value}，该值被选定")
            }
            (Learned { slot, value }, Lang::En) => format!("{me} learned slot {slot} = {value}"),
            (Learned { slot, value }, Lang::Zh) => format!("{me} 得知槽位 {slot} = {value}"),
            (Conflict { slot, known, other }, Lang::En) => {
                format!("{me} was told slot {slot} = {other} but had learned {known}")
            }
            (Conflict { slot, known, other }, Lang::Zh) => {
                format!("{me} 被告知槽位 {slot} = {other}，但已得知 {known}")
            }
            (Applied { slot, value, result: Some(r) }, Lang::En) => {
                format!("{me} applied slot {slot} {value} → {r}")
            }
            (Applied { slot, value, result: Some(r) }, Lang::Zh) => {
                format!("{me} 应用了槽位 {slot} {value} → {r}")
            }
            (Applied { slot, value, result: None }, Lang::En) => format!("{me} applied slot {slot} {value}"),
            (Applied { slot, value, result: None }, Lang::Zh) => format!("{me} 应用了槽位 {slot} {value}"),
            (CatchingUp { from_slot, leader_chosen }, Lang::En) => format!(
                "{me} is missing chosen slots (the leader has up to {leader_chosen}) and asks for slot {from_slot} on"
            ),
            (CatchingUp { from_slot, leader_chosen }, Lang::Zh) => {
                format!("{me} 缺少已选定的槽位（领导者已到 {leader_chosen}），请求槽位 {from_slot} 及之后")
            }
            (ClientRedirected { hint }, Lang::En) => format!(
                "{me} is not the leader and refused a client command (leader: {})",
                opt_node(*hint, lang)
            ),
            (ClientRedirected { hint }, Lang::Zh) => {
                format!("{me} 不是领导者，拒绝了客户端命令（领导者：{}）", opt_node(*hint, lang))
            }
            (NoBallotLeft, Lang::En) => format!("{me} has used every ballot number"),
            (NoBallotLeft, Lang::Zh) => format!("{me} 已用尽所有选票编号"),
            (IgnoredStale { from, kind, ballot }, Lang::En) => {
                format!("{me} ignored an outdated {} from {from} (ballot {ballot})", kind.name())
            }
            (IgnoredStale { from, kind, ballot }, Lang::Zh) => {
                format!("{me} 忽略了来自 {from} 的过时 {}（选票 {ballot}）", kind.name())
            }
            (IgnoredMalformed { from, kind }, Lang::En) => {
                format!("{me} ignored a malformed {} from {from}", kind.name())
            }
            (IgnoredMalformed { from, kind }, Lang::Zh) => {
                format!("{me} 忽略了来自 {from} 的畸形 {}", kind.name())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn every_event_narrates_in_both_languages() {
        let b = Ballot::new(3, NodeId(2));
        let v = Command::Noop;
        let events = vec![
            MultiEvent::Booted { promised: b, accepted: 2 },
            MultiEvent::BecameCandidate { ballot: b, from_slot: 4 },
            MultiEvent::Promised { candidate: NodeId(2), ballot: b, reported: 1 },
            MultiEvent::Rejected { from: NodeId(2), kind: MsgKind::Prepare, ballot: b, promised: b },
            MultiEvent::PromiseReceived { from: NodeId(3), promises: 2, needed: 2 },
            MultiEvent::BecameLeader { ballot: b, recover_from: 4, recover_to: 6 },
            MultiEvent::BecameLeader { ballot: b, recover_from: 4, recover_to: 3 },
            MultiEvent::BecameFollower { leader: None },
            MultiEvent::Preempted { from: NodeId(3), ballot: b, promised: b },
            MultiEvent::Proposed { slot: 1, value: v.clone(), origin: Origin::Client },
            MultiEvent::Proposed { slot: 1, value: v.clone(), origin: Origin::Recovered { from: b } },
            MultiEvent::Proposed { slot: 1, value: v.clone(), origin: Origin::GapFill },
            MultiEvent::AcceptedProposal { slot: 1, ballot: b, value: v.clone() },
            MultiEvent::Chosen { slot: 1, value: v.clone() },
            MultiEvent::Learned { slot: 1, value: v.clone() },
            MultiEvent::Conflict { slot: 1, known: v.clone(), other: v.clone() },
            MultiEvent::Applied { slot: 1, value: v.clone(), result: Some(String::from("5")) },
            MultiEvent::Applied { slot: 1, value: v, result: None },
            MultiEvent::CatchingUp { from_slot: 2, leader_chosen: 5 },
            MultiEvent::ClientRedirected { hint: Some(NodeId(2)) },
            MultiEvent::NoBallotLeft,
            MultiEvent::IgnoredStale { from: NodeId(3), kind: MsgKind::Accepted, ballot: b },
            MultiEvent::IgnoredMalformed { from: NodeId(3), kind: MsgKind::Decide },
        ];
        for event in events {
            let note = MultiNote { node: NodeId(1), event };
            let (en, zh) = (note.narrate(Lang::En), note.narrate(Lang::Zh));
            assert!(en.starts_with("S1") && zh.starts_with("S1"), "{en} / {zh}");
            assert_ne!(en, zh);
        }
        let note = MultiNote {
            node: NodeId(2),
            event: MultiEvent::Rejected {
                from: NodeId(1),
                kind: MsgKind::Prepare,
                ballot: Ballot::new(3, NodeId(1)),
                promised: Ballot::new(4, NodeId(2)),
            },
        };
        assert_eq!(note.narrate(Lang::En), "S2 rejects Prepare(3.1): promised 4.2");
        assert_eq!(note.narrate(Lang::Zh), "S2 拒绝 Prepare(3.1)：已承诺 4.2");
    }
}
