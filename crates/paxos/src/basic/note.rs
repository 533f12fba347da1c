//! Trace notes: what a Basic Paxos node did and why, told in English or Simplified Chinese.
//!
//! A [`PaxosNote`] is data (the event feed and tests match on it); [`Narrate`] turns it into a
//! sentence such as "S2 rejects Prepare(3.1): promised 4.2" / "S2 拒绝 Prepare(3.1)：已承诺 4.2".

use crate::ballot::Ballot;
use crate::basic::message::MsgKind;
use alloc::format;
use alloc::string::String;
use ballot_core::{Command, Duration, Lang, Narrate, NodeId};

/// One trace note: an event at `node`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct PaxosNote {
    /// The node the note is about (the one that acted).
    pub node: NodeId,
    /// What happened.
    pub event: PaxosEvent,
}

/// What happened.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum PaxosEvent {
    /// The node started (or restarted) from its acceptor's durable state.
    Booted {
        /// The restored promise.
        promised: Ballot,
        /// The restored accepted proposal.
        accepted: Option<(Ballot, Command)>,
    },
    /// Phase 1(a): the node started a round to get `value` chosen.
    RoundStarted {
        /// The new ballot.
        ballot: Ballot,
        /// The client's value (phase 2 may adopt another).
        value: Command,
    },
    /// A client command reached a node already running (or retrying) a round.
    ClientBusy {
        /// The command, not proposed.
        value: Command,
        /// The round in progress (or the one that failed, while backing off).
        ballot: Ballot,
    },
    /// Phase 1(b): the acceptor promised `ballot`.
    Promised {
        /// Who asked.
        proposer: NodeId,
        /// The ballot promised.
        ballot: Ballot,
        /// What it reported as accepted.
        accepted: Option<(Ballot, Command)>,
    },
    /// The acceptor refused a Prepare: it promised a higher ballot.
    PrepareRejected {
        /// Who asked.
        proposer: NodeId,
        /// The refused ballot.
        ballot: Ballot,
        /// The promise that forbids it.
        promised: Ballot,
    },
    /// The proposer counted a promise.
    PromiseReceived {
        /// The acceptor.
        from: NodeId,
        /// Promises so far (own acceptor included).
        promises: u8,
        /// A majority.
        needed: u8,
    },
    /// Phase 2(a): a majority promised; the proposer asks to accept `value`.
    PhaseTwo {
        /// The ballot.
        ballot: Ballot,
        /// The value asked for.
        value: Command,
        /// The ballot the value was adopted from (the highest reported), or `None` for the
        /// proposer's own value.
        adopted: Option<Ballot>,
    },
    /// Phase 2(b): the acceptor accepted (`ballot`, `value`).
    AcceptedProposal {
        /// The ballot.
        ballot: Ballot,
        /// The value.
        value: Command,
    },
    /// The acceptor refused an Accept: it promised a higher ballot.
    AcceptRejected {
        /// Who asked.
        proposer: NodeId,
        /// The refused ballot.
        ballot: Ballot,
        /// The promise that forbids it.
        promised: Ballot,
    },
    /// The proposer's round was refused by `from` (possibly its own acceptor).
    Nacked {
        /// The refusing acceptor.
        from: NodeId,
        /// Our ballot.
        ballot: Ballot,
        /// What it promised instead.
        promised: Ballot,
    },
    /// The node's own acceptor promised a ballot above the round in progress: some proposer
    /// has begun a higher-numbered one, so the round is abandoned (§2.4).
    Abandoned {
        /// The abandoned ballot.
        ballot: Ballot,
        /// The higher ballot its acceptor promised.
        promised: Ballot,
    },
    /// The round took longer than the round timeout.
    RoundTimedOut {
        /// The ballot given up.
        ballot: Ballot,
    },
    /// The proposer waits somewhere in `min..=max` before its next round.
    BackedOff {
        /// The failed ballot.
        after: Ballot,
        /// Shortest wait.
        min: Duration,
        /// Longest wait.
        max: Duration,
    },
    /// The learner saw a majority accept (`ballot`, `value`): `value` is chosen.
    Learned {
        /// The ballot.
        ballot: Ballot,
        /// The chosen value.
        value: Command,
    },
    /// Every round number has been used (round `u64::MAX`): the proposer gives up.
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

fn proposal_text(p: &Option<(Ballot, Command)>, lang: Lang) -> String {
    match (p, lang) {
        (Some((b, v)), _) => format!("{v} in {b}"),
        (None, Lang::En) => String::from("nothing"),
        (None, Lang::Zh) => String::from("无"),
    }
}

impl Narrate for PaxosNote {
    fn narrate(&self, lang: Lang) -> String {
        let me = self.node;
        match (&self.event, lang) {
            (PaxosEvent::Booted { promised, accepted }, Lang::En) => format!(
                "{me} started: promised {promised}, accepted {}",
                proposal_text(accepted, lang)
            ),
            (PaxosEvent::Booted { promised, accepted }, Lang::Zh) => {
                format!("{me} 启动：已承诺 {promised}，已接受 {}", proposal_text(accepted, lang))
            }
            (PaxosEvent::RoundStarted { ballot, value }, Lang::En) => {
                format!("{me} starts ballot {ballot} to propose {value}: Prepare({ballot}) to all")
            }
            (PaxosEvent::RoundStarted { ballot, value }, Lang::Zh) => {
                format!("{me} 发起选票 {ballot} 以提议 {value}：向所有节点发送 Prepare({ballot})")
            }
            (PaxosEvent::ClientBusy { value, ballot }, Lang::En) => {
                format!("{me} is busy with ballot {ballot} and does not propose {value}")
            }
            (PaxosEvent::ClientBusy { value, ballot }, Lang::Zh) => {
                format!("{me} 正忙于选票 {ballot}，不提议 {value}")
            }
            (PaxosEvent::Promised { proposer, ballot, accepted }, Lang::En) => format!(
                "{me} promises {ballot} to {proposer} (accepted: {})",
                proposal_text(accepted, lang)
            ),
            (PaxosEvent::Promised { proposer, ballot, accepted }, Lang::Zh) => format!(
                "{me} 向 {proposer} 承诺 {ballot}（已接受：{}）",
                proposal_text(accepted, lang)
            ),
            (PaxosEvent::PrepareRejected { ballot, promised, .. }, Lang::En) => {
                format!("{me} rejects Prepare({ballot}): promised {promised}")
            }
            (PaxosEvent::PrepareRejected { ballot, promised, .. }, Lang::Zh) => {
                format!("{me} 拒绝 Prepare({ballot})：已承诺 {promised}")
            }
            (PaxosEvent::PromiseReceived { from, promises, needed }, Lang::En) => {
                format!("{me} got a promise from {from} ({promises}/{needed})")
            }
            (PaxosEvent::PromiseReceived { from, promises, needed }, Lang::Zh) => {
                format!("{me} 收到 {from} 的承诺（{promises}/{needed}）")
            }
            (PaxosEvent::PhaseTwo { ballot, value, adopted: Some(from) }, Lang::En) => format!(
                "{me} has a majority of promises for {ballot} and asks to accept {value} (adopted from {from})"
            ),
            (PaxosEvent::PhaseTwo { ballot, value, adopted: Some(from) }, Lang::Zh) => {
                format!("{me} 获得选票 {ballot} 的多数派承诺，请求接受 {value}（沿用选票 {from} 的值）")
            }
            (PaxosEvent::PhaseTwo { ballot, value, adopted: None }, Lang::En) => format!(
                "{me} has a majority of promises for {ballot} and asks to accept its own value {value}"
            ),
            (PaxosEvent::PhaseTwo { ballot, value, adopted: None }, Lang::Zh) => {
                format!("{me} 获得选票 {ballot} 的多数派承诺，请求接受自己的值 {value}")
            }
            (PaxosEvent::AcceptedProposal { ballot, value }, Lang::En) => {
                format!("{me} accepts {value} in ballot {ballot} and tells every learner")
            }
            (PaxosEvent::AcceptedProposal { ballot, value }, Lang::Zh) => {
                format!("{me} 在选票 {ballot} 中接受 {value}，并通知所有学习者")
            }
            (PaxosEvent::AcceptRejected { ballot, promised, .. }, Lang::En) => {
                format!("{me} rejects Accept({ballot}): promised {promised}")
            }
            (PaxosEvent::AcceptRejected { ballot, promised, .. }, Lang::Zh) => {
                format!("{me} 拒绝 Accept({ballot})：已承诺 {promised}")
            }
            (PaxosEvent::Nacked { from, ballot, promised }, Lang::En) => {
                format!("{me}'s ballot {ballot} was refused by {from}, which promised {promised}")
            }
            (PaxosEvent::Nacked { from, ballot, promised }, Lang::Zh) => {
                format!("{me} 的选票 {ballot} 被 {from} 拒绝（它已承诺 {promised}）")
            }
            (PaxosEvent::Abandoned { ballot, promised }, Lang::En) => {
                format!("{me} abandons ballot {ballot}: its own acceptor promised the higher {promised}")
            }
            (PaxosEvent::Abandoned { ballot, promised }, Lang::Zh) => {
                format!("{me} 放弃选票 {ballot}：它自己的接受者已承诺更高的 {promised}")
            }
            (PaxosEvent::RoundTimedOut { ballot }, Lang::En) => {
                format!("{me}'s ballot {ballot} timed out")
            }
            (PaxosEvent::RoundTimedOut { ballot }, Lang::Zh) => format!("{me} 的选票 {ballot} 超时"),
            (PaxosEvent::BackedOff { after, min, max }, Lang::En) if min == max => {
                format!("{me} gives up ballot {after} and retries in {min}")
            }
            (PaxosEvent::BackedOff { after, min, max }, Lang::Zh) if min == max => {
                format!("{me} 放弃选票 {after}，{min} 后重试")
            }
            (PaxosEvent::BackedOff { after, min, max }, Lang::En) => {
                format!("{me} gives up ballot {after} and backs off for {min}–{max} (randomised)")
            }
            (PaxosEvent::BackedOff { after, min, max }, Lang::Zh) => {
                format!("{me} 放弃选票 {after}，随机退避 {min}–{max}")
            }
            (PaxosEvent::Learned { ballot, value }, Lang::En) => {
                format!("{me} learned that {value} is chosen (a majority accepted ballot {ballot})")
            }
            (PaxosEvent::Learned { ballot, value }, Lang::Zh) => {
                format!("{me} 得知 {value} 已被选定（多数派接受了选票 {ballot}）")
            }
            (PaxosEvent::NoBallotLeft, Lang::En) => format!("{me} has used every ballot number and gives up"),
            (PaxosEvent::NoBallotLeft, Lang::Zh) => format!("{me} 已用尽所有选票编号，放弃提议"),
            (PaxosEvent::IgnoredStale { from, kind, ballot }, Lang::En) => {
                format!("{me} ignored an outdated {} from {from} (ballot {ballot})", kind.name())
            }
            (PaxosEvent::IgnoredStale { from, kind, ballot }, Lang::Zh) => {
                format!("{me} 忽略了来自 {from} 的过时 {}（选票 {ballot}）", kind.name())
            }
            (PaxosEvent::IgnoredMalformed { from, kind }, Lang::En) => {
                format!("{me} ignored a malformed {} from {from}", kind.name())
            }
            (PaxosEvent::IgnoredMalformed { from, kind }, Lang::Zh) => {
                format!("{me} 忽略了来自 {from} 的畸形 {}", kind.name())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rejection_note_reads_as_in_the_brief() {
        let note = PaxosNote {
            node: NodeId(2),
            event: PaxosEvent::PrepareRejected {
                proposer: NodeId(1),
                ballot: Ballot::new(3, NodeId(1)),
                promised: Ballot::new(4, NodeId(2)),
            },
        };
        assert_eq!(note.narrate(Lang::En), "S2 rejects Prepare(3.1): promised 4.2");
        assert_eq!(note.narrate(Lang::Zh), "S2 拒绝 Prepare(3.1)：已承诺 4.2");
    }

    #[test]
    fn every_event_narrates_in_both_languages() {
        let b = Ballot::new(2, NodeId(1));
        let v = Command::Noop;
        let events = [
            PaxosEvent::Booted { promised: b, accepted: None },
            PaxosEvent::RoundStarted { ballot: b, value: v.clone() },
            PaxosEvent::ClientBusy { value: v.clone(), ballot: b },
            PaxosEvent::Promised { proposer: NodeId(1), ballot: b, accepted: Some((b, v.clone())) },
            PaxosEvent::PromiseReceived { from: NodeId(2), promises: 2, needed: 2 },
            PaxosEvent::PhaseTwo { ballot: b, value: v.clone(), adopted: Some(b) },
            PaxosEvent::PhaseTwo { ballot: b, value: v.clone(), adopted: None },
            PaxosEvent::AcceptedProposal { ballot: b, value: v.clone() },
            PaxosEvent::AcceptRejected { proposer: NodeId(1), ballot: b, promised: b },
            PaxosEvent::Nacked { from: NodeId(2), ballot: b, promised: b },
            PaxosEvent::RoundTimedOut { ballot: b },
            PaxosEvent::Abandoned { ballot: b, promised: b },
            PaxosEvent::BackedOff { after: b, min: Duration::from_millis(5), max: Duration::from_millis(5) },
            PaxosEvent::BackedOff { after: b, min: Duration::ZERO, max: Duration::from_millis(5) },
            PaxosEvent::Learned { ballot: b, value: v },
            PaxosEvent::NoBallotLeft,
            PaxosEvent::IgnoredStale { from: NodeId(3), kind: MsgKind::Promise, ballot: b },
            PaxosEvent::IgnoredMalformed { from: NodeId(3), kind: MsgKind::Accept },
        ];
        for event in events {
            let note = PaxosNote { node: NodeId(1), event };
            let (en, zh) = (note.narrate(Lang::En), note.narrate(Lang::Zh));
            assert!(en.starts_with("S1") && zh.starts_with("S1"), "{en} / {zh}");
            assert_ne!(en, zh);
        }
    }
}
