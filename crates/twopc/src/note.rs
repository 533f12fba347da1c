//! Trace notes: what a node did and why, told in English or Simplified Chinese.
//!
//! A [`TwoPcNote`] is data (the event feed and tests match on it); [`Narrate`] turns it into a
//! sentence such as "S3 votes yes and is now prepared" / "S3 投赞成票，进入已准备状态".

use crate::message::{Decision, MsgKind, TxnId};
use crate::node::RmState;
use alloc::format;
use alloc::string::String;
use ballot_core::{Command, Lang, Narrate, NodeId};

/// One trace note: an event at `node` about transaction `txn` (0: none yet).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct TwoPcNote {
    /// The node the note is about (the one that acted).
    pub node: NodeId,
    /// The transaction the node was on after the event.
    pub txn: TxnId,
    /// What happened.
    pub event: TwoPcEvent,
}

/// Why the coordinator decided what it decided.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum DecisionReason {
    /// Every participant voted yes (the spec's `TMCommit`: `tmPrepared = RM`).
    AllYes,
    /// A participant voted no.
    VotedNo {
        /// Who.
        from: NodeId,
    },
    /// The vote timeout fired before every participant voted yes.
    VoteTimeout {
        /// Yes votes received by then.
        yes: u8,
        /// Participants.
        needed: u8,
    },
    /// The coordinator restarted and found no decision on disk: it may abort, because no
    /// participant can have committed (presumed abort).
    Recovery,
}

/// Why a message was ignored.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Ignored {
    /// The sender is not a member of the cluster, or is this node itself.
    UnknownSender,
    /// The message is not meant for this node's role (a participant sending Prepare, anyone
    /// but the coordinator sending Commit…).
    WrongRole,
    /// It names transaction 0, which no correct node sends.
    NoTransaction,
    /// It is about an older transaction than the one this node is on (late or duplicated).
    Stale,
    /// It is about a transaction the coordinator has not started (no correct node sends it).
    Future,
    /// A vote that arrives after the decision (or a second one).
    AlreadyDecided,
    /// Commit for a transaction this participant never voted yes on: it cannot commit what it
    /// never prepared.
    NotPrepared,
    /// A decision (or an acknowledgement) that contradicts the one already recorded.
    Conflicting {
        /// The outcome this node has recorded.
        recorded: Decision,
    },
    /// A request about a new transaction while this participant is still in doubt about its
    /// current one (it must not move on before learning the outcome).
    StillInDoubt,
}

/// What happened.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum TwoPcEvent {
    /// The coordinator started with no transaction on disk.
    CoordinatorStarted,
    /// The coordinator restarted and found a decision on disk: it re-sends it.
    RecoveredDecision {
        /// The decision found.
        decision: Decision,
    },
    /// A participant started (or restarted) from its durable state.
    ParticipantStarted {
        /// Its state in transaction `txn`.
        state: RmState,
    },
    /// The coordinator started transaction `txn` and sent Prepare to every participant.
    Began {
        /// The transaction's write.
        command: Command,
        /// How many participants were asked.
        participants: u8,
    },
    /// A client command waits for the running transaction to finish.
    Queued {
        /// The command.
        command: Command,
        /// Commands waiting ahead of it.
        ahead: u8,
    },
    /// A client command was refused: the coordinator is busy and its queue is full.
    Busy {
        /// The command.
        command: Command,
    },
    /// A client command reached a participant, which sent the client to the coordinator.
    NotCoordinator {
        /// The coordinator.
        coordinator: NodeId,
    },
    /// The coordinator received a vote.
    VoteReceived {
        /// The voter.
        from: NodeId,
        /// Yes (Prepared) or no.
        yes: bool,
        /// Yes votes so far.
        yes_votes: u8,
        /// Participants.
        needed: u8,
    },
    /// The coordinator decided (and persisted the decision before telling anyone).
    Decided {
        /// The decision.
        decision: Decision,
        /// Why.
        reason: DecisionReason,
    },
    /// The coordinator re-sent its decision to participants that have not acknowledged it.
    Resent {
        /// The decision.
        decision: Decision,
        /// To how many participants.
        to: u8,
    },
    /// The coordinator answered a participant's status query.
    StatusAnswered {
        /// The participant.
        to: NodeId,
        /// The answer.
        decision: Decision,
    },
    /// The coordinator has not decided yet, so a status query goes unanswered.
    StatusUnanswered {
        /// The participant.
        from: NodeId,
    },
    /// A participant acknowledged the decision.
    AckReceived {
        /// The participant.
        from: NodeId,
        /// Acknowledgements so far.
        acks: u8,
        /// Participants.
        needed: u8,
    },
    /// Every participant acknowledged the decision: the transaction is finished.
    Finished {
        /// The decision.
        decision: Decision,
    },
    /// A participant voted yes: it is prepared (durably) and may no longer abort on its own.
    VotedYes,
    /// A participant voted no and aborted.
    VotedNo,
    /// A client asked a participant to vote no on the next transaction it is asked to prepare
    /// (the spec's `RMChooseToAbort`, decided before the Prepare arrives).
    WillVoteNo,
    /// A participant answered a repeated (or late) Prepare of its current transaction: yes if
    /// it voted yes, no if it has aborted.
    VoteRepeated {
        /// The vote repeated.
        yes: bool,
    },
    /// A participant committed the transaction and applied its write.
    Committed {
        /// The write.
        command: Command,
    },
    /// A participant aborted the transaction on the coordinator's word.
    Aborted,
    /// A prepared participant aborted on its own (only the abort-after-yes bug does this).
    GaveUp,
    /// A participant acknowledged a decision it had already recorded (the first Ack was lost).
    Reacknowledged {
        /// The decision.
        decision: Decision,
    },
    /// A prepared participant heard nothing and asked the coordinator for the outcome: it is in
    /// doubt and must wait.
    InDoubt {
        /// The coordinator asked.
        coordinator: NodeId,
        /// Status queries sent so far in this transaction.
        queries: u32,
    },
    /// A message was ignored.
    Ignored {
        /// The sender.
        from: NodeId,
        /// Which message.
        kind: MsgKind,
        /// Why.
        why: Ignored,
    },
}

fn decision_zh(d: Decision) -> &'static str {
    match d {
        Decision::Commit => "提交",
        Decision::Abort => "中止",
    }
}

fn state_zh(s: RmState) -> &'static str {
    match s {
        RmState::Working => "工作中",
        RmState::Prepared => "已准备",
        RmState::Committed => "已提交",
        RmState::Aborted => "已中止",
    }
}

impl Narrate for TwoPcNote {
    fn narrate(&self, lang: Lang) -> String {
        use TwoPcEvent::*;
        let (me, t) = (self.node, self.txn);
        match (&self.event, lang) {
            (CoordinatorStarted, Lang::En) => format!("{me} started as the coordinator"),
            (CoordinatorStarted, Lang::Zh) => format!("{me} 作为协调者启动"),
            (RecoveredDecision { decision }, Lang::En) => format!(
                "{me} restarted and found its decision for transaction {t} on disk ({}): it re-sends it",
                decision.as_str()
            ),
            (RecoveredDecision { decision }, Lang::Zh) => format!(
                "{me} 重启后在磁盘上找到事务 {t} 的决定（{}），重新发送",
                decision_zh(*decision)
            ),
            (ParticipantStarted { state: RmState::Working }, Lang::En) if t == 0 => {
                format!("{me} started as a participant")
            }
            (ParticipantStarted { state: RmState::Working }, Lang::Zh) if t == 0 => {
                format!("{me} 作为参与者启动")
            }
            (ParticipantStarted { state: RmState::Prepared }, Lang::En) => format!(
                "{me} restarted prepared in transaction {t}: it is in doubt and will ask the coordinator"
            ),
            (ParticipantStarted { state: RmState::Prepared }, Lang::Zh) => {
                format!("{me} 重启后仍处于事务 {t} 的已准备状态：结果未知，它将询问协调者")
            }
            (ParticipantStarted { state }, Lang::En) => {
                format!("{me} restarted: {} in transaction {t}", state.as_str())
            }
            (ParticipantStarted { state }, Lang::Zh) => {
                format!("{me} 重启：事务 {t} {}", state_zh(*state))
            }
            (Began { command, participants }, Lang::En) => format!(
                "{me} starts transaction {t} ({command}) and asks {participants} participants to prepare"
            ),
            (Began { command, participants }, Lang::Zh) => {
                format!("{me} 开始事务 {t}（{command}），请 {participants} 个参与者准备")
            }
            (Queued { command, ahead }, Lang::En) => format!(
                "{me} is busy with transaction {t}: {command} waits its turn ({ahead} ahead of it)"
            ),
            (Queued { command, ahead }, Lang::Zh) => {
                format!("{me} 正忙于事务 {t}：{command} 排队等待（前面还有 {ahead} 个）")
            }
            (Busy { command }, Lang::En) => {
                format!("{me} is busy with transaction {t} and its queue is full: it refused {command}")
            }
            (Busy { command }, Lang::Zh) => {
                format!("{me} 正忙于事务 {t} 且队列已满：拒绝了 {command}")
            }
            (NotCoordinator { coordinator }, Lang::En) => {
                format!("{me} is a participant, not the coordinator: the client should ask {coordinator}")
            }
            (NotCoordinator { coordinator }, Lang::Zh) => {
                format!("{me} 是参与者而不是协调者：客户端应询问 {coordinator}")
            }
            (VoteReceived { from, yes: true, yes_votes, needed }, Lang::En) => {
                format!("{me} got a yes vote from {from} ({yes_votes}/{needed})")
            }
            (VoteReceived { from, yes: true, yes_votes, needed }, Lang::Zh) => {
                format!("{me} 收到 {from} 的赞成票（{yes_votes}/{needed}）")
            }
            (VoteReceived { from, yes: false, .. }, Lang::En) => format!("{me} got a no vote from {from}"),
            (VoteReceived { from, yes: false, .. }, Lang::Zh) => format!("{me} 收到 {from} 的反对票"),
            (Decided { decision, reason }, Lang::En) => {
                let why = match reason {
                    DecisionReason::AllYes => String::from("every participant voted yes"),
                    DecisionReason::VotedNo { from } => format!("{from} voted no"),
                    DecisionReason::VoteTimeout { yes, needed } => {
                        format!("the vote timeout fired with {yes} of {needed} yes votes")
                    }
                    DecisionReason::Recovery => String::from(
                        "it restarted without a decision, and no participant can have committed (presumed abort)",
                    ),
                };
                format!("{me} decides {} for transaction {t}: {why}", decision.as_str())
            }
            (Decided { decision, reason }, Lang::Zh) => {
                let why = match reason {
                    DecisionReason::AllYes => String::from("所有参与者都投了赞成票"),
                    DecisionReason::VotedNo { from } => format!("{from} 投了反对票"),
                    DecisionReason::VoteTimeout { yes, needed } => {
                        format!("投票超时，只收到 {needed} 票中的 {yes} 张赞成票")
                    }
                    DecisionReason::Recovery => {
                        String::from("它重启后没有找到决定，而任何参与者都不可能已经提交（推定中止）")
                    }
                };
                format!("{me} 决定{}事务 {t}：{why}", decision_zh(*decision))
            }
            (Resent { decision, to }, Lang::En) => format!(
                "{me} re-sends {} for transaction {t} to {to} participants that have not acknowledged it",
                decision.as_str()
            ),
            (Resent { decision, to }, Lang::Zh) => {
                format!("{me} 向 {to} 个尚未确认的参与者重发事务 {t} 的{}决定", decision_zh(*decision))
            }
            (StatusAnswered { to, decision }, Lang::En) => {
                format!("{me} tells {to} the outcome of transaction {t}: {}", decision.as_str())
            }
            (StatusAnswered { to, decision }, Lang::Zh) => {
                format!("{me} 告诉 {to} 事务 {t} 的结果：{}", decision_zh(*decision))
            }
            (StatusUnanswered { from }, Lang::En) => {
                format!("{me} has not decided transaction {t} yet and cannot answer {from}")
            }
            (StatusUnanswered { from }, Lang::Zh) => {
                format!("{me} 尚未对事务 {t} 作出决定，无法回答 {from}")
            }
            (AckReceived { from, acks, needed }, Lang::En) => {
                format!("{me} got {from}'s acknowledgement of transaction {t} ({acks}/{needed})")
            }
            (AckReceived { from, acks, needed }, Lang::Zh) => {
                format!("{me} 收到 {from} 对事务 {t} 的确认（{acks}/{needed}）")
            }
            (Finished { decision }, Lang::En) => format!(
                "every participant acknowledged {} of transaction {t}: {me} is done with it",
                decision.as_str()
            ),
            (Finished { decision }, Lang::Zh) => {
                format!("所有参与者都确认了事务 {t} 的{}决定：{me} 完成了该事务", decision_zh(*decision))
            }
            (VotedYes, Lang::En) => format!("{me} votes yes and is now prepared"),
            (VotedYes, Lang::Zh) => format!("{me} 投赞成票，进入已准备状态"),
            (VotedNo, Lang::En) => format!("{me} votes no and aborts transaction {t}"),
            (VotedNo, Lang::Zh) => format!("{me} 投反对票并中止事务 {t}"),
            (WillVoteNo, Lang::En) => format!("{me} will vote no on the next transaction: its client cancelled its part"),
            (WillVoteNo, Lang::Zh) => format!("{me} 将对下一个事务投反对票：它的客户端取消了自己那部分"),
            (VoteRepeated { yes: true }, Lang::En) => {
                format!("{me} got Prepare for transaction {t} again and repeats its yes vote")
            }
            (VoteRepeated { yes: true }, Lang::Zh) => {
                format!("{me} 再次收到事务 {t} 的 Prepare，重复它的赞成票")
            }
            (VoteRepeated { yes: false }, Lang::En) => {
                format!("{me} got Prepare for transaction {t} again and answers no: it has aborted it")
            }
            (VoteRepeated { yes: false }, Lang::Zh) => {
                format!("{me} 再次收到事务 {t} 的 Prepare，回答反对：它已中止该事务")
            }
            (Committed { command }, Lang::En) => format!("{me} commits transaction {t} and writes {command}"),
            (Committed { command }, Lang::Zh) => format!("{me} 提交事务 {t}，写入 {command}"),
            (Aborted, Lang::En) => format!("{me} aborts transaction {t}"),
            (Aborted, Lang::Zh) => format!("{me} 中止事务 {t}"),
            (GaveUp, Lang::En) => format!(
                "{me} gives up waiting and aborts transaction {t} on its own, although it voted yes"
            ),
            (GaveUp, Lang::Zh) => format!("{me} 不再等待，自行中止了事务 {t}，尽管它投过赞成票"),
            (Reacknowledged { decision }, Lang::En) => format!(
                "{me} already recorded {} for transaction {t} and acknowledges again",
                decision.as_str()
            ),
            (Reacknowledged { decision }, Lang::Zh) => {
                format!("{me} 已记录事务 {t} 的{}决定，再次确认", decision_zh(*decision))
            }
            (InDoubt { coordinator, queries: 1 }, Lang::En) => format!(
                "{me} is in doubt: prepared, coordinator unreachable — it must wait (asks {coordinator} for the outcome)"
            ),
            (InDoubt { coordinator, queries: 1 }, Lang::Zh) => {
                format!("{me} 处于不确定状态：已准备，协调者不可达——它必须等待（向 {coordinator} 询问结果）")
            }
            (InDoubt { coordinator, queries }, Lang::En) => format!(
                "{me} is still in doubt about transaction {t} and asks {coordinator} again (query {queries})"
            ),
            (InDoubt { coordinator, queries }, Lang::Zh) => {
                format!("{me} 仍不确定事务 {t} 的结果，再次询问 {coordinator}（第 {queries} 次）")
            }
            (Ignored { from, kind, why }, Lang::En) => {
                let why = match why {
                    self::Ignored::UnknownSender => String::from("unknown sender"),
                    self::Ignored::WrongRole => String::from("not a message for its role"),
                    self::Ignored::NoTransaction => String::from("it names no transaction"),
                    self::Ignored::Stale => format!("it is about an older transaction than {t}"),
                    self::Ignored::Future => format!("no transaction after {t} has started"),
                    self::Ignored::AlreadyDecided => format!("transaction {t} is already decided"),
                    self::Ignored::NotPrepared => String::from("it never voted yes on that transaction"),
                    self::Ignored::Conflicting { recorded } => {
                        format!("it already recorded {}", recorded.as_str())
                    }
                    self::Ignored::StillInDoubt => {
                        format!("it is still in doubt about transaction {t}")
                    }
                };
                format!("{me} ignored {} from {from}: {why}", kind.name())
            }
            (Ignored { from, kind, why }, Lang::Zh) => {
                let why = match why {
                    self::Ignored::UnknownSender => String::from("未知发送者"),
                    self::Ignored::WrongRole => String::from("该消息不属于它的角色"),
                    self::Ignored::NoTransaction => String::from("消息未指明事务"),
                    self::Ignored::Stale => format!("它针对的是比 {t} 更早的事务"),
                    self::Ignored::Future => format!("事务 {t} 之后还没有开始新的事务"),
                    self::Ignored::AlreadyDecided => format!("事务 {t} 已经有了决定"),
                    self::Ignored::NotPrepared => String::from("它从未对该事务投赞成票"),
                    self::Ignored::Conflicting { recorded } => {
                        format!("它已经记录了{}", decision_zh(*recorded))
                    }
                    self::Ignored::StillInDoubt => format!("它仍不确定事务 {t} 的结果"),
                };
                format!("{me} 忽略了来自 {from} 的 {}：{why}", kind.name())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(node: u8, txn: TxnId, event: TwoPcEvent) -> TwoPcNote {
        TwoPcNote { node: NodeId(node), txn, event }
    }

    #[test]
    fn the_sentences_of_the_brief() {
        let yes = note(3, 1, TwoPcEvent::VotedYes);
        assert_eq!(yes.narrate(Lang::En), "S3 votes yes and is now prepared");
        assert_eq!(yes.narrate(Lang::Zh), "S3 投赞成票，进入已准备状态");
        let doubt = note(2, 1, TwoPcEvent::InDoubt { coordinator: NodeId(1), queries: 1 });
        assert_eq!(
            doubt.narrate(Lang::En),
            "S2 is in doubt: prepared, coordinator unreachable — it must wait (asks S1 for the outcome)"
        );
        assert!(doubt.narrate(Lang::Zh).starts_with("S2 处于不确定状态：已准备，协调者不可达——它必须等待"));
    }

    #[test]
    fn decisions_say_why_in_both_languages() {
        let timeout = note(
            1,
            2,
            TwoPcEvent::Decided {
                decision: Decision::Abort,
                reason: DecisionReason::VoteTimeout { yes: 2, needed: 4 },
            },
        );
        assert_eq!(
            timeout.narrate(Lang::En),
            "S1 decides abort for transaction 2: the vote timeout fired with 2 of 4 yes votes"
        );
        assert_eq!(timeout.narrate(Lang::Zh), "S1 决定中止事务 2：投票超时，只收到 4 票中的 2 张赞成票");
        let presumed =
            note(1, 2, TwoPcEvent::Decided { decision: Decision::Abort, reason: DecisionReason::Recovery });
        assert!(presumed.narrate(Lang::En).contains("presumed abort"));
        assert!(presumed.narrate(Lang::Zh).contains("推定中止"));
        let ignored = note(
            3,
            2,
            TwoPcEvent::Ignored {
                from: NodeId(1),
                kind: MsgKind::Commit,
                why: Ignored::Conflicting { recorded: Decision::Abort },
            },
        );
        assert_eq!(ignored.narrate(Lang::En), "S3 ignored Commit from S1: it already recorded abort");
        assert_eq!(ignored.narrate(Lang::Zh), "S3 忽略了来自 S1 的 Commit：它已经记录了中止");
    }

    /// Every event has a sentence in both languages, and they differ.
    #[test]
    fn every_event_narrates_in_both_languages() {
        use TwoPcEvent::*;
        let events = [
            CoordinatorStarted,
            RecoveredDecision { decision: Decision::Commit },
            ParticipantStarted { state: RmState::Working },
            ParticipantStarted { state: RmState::Prepared },
            ParticipantStarted { state: RmState::Committed },
            Began { command: Command::Noop, participants: 2 },
            Queued { command: Command::Noop, ahead: 0 },
            Busy { command: Command::Noop },
            NotCoordinator { coordinator: NodeId(1) },
            VoteReceived { from: NodeId(2), yes: true, yes_votes: 1, needed: 2 },
            VoteReceived { from: NodeId(2), yes: false, yes_votes: 0, needed: 2 },
            Decided { decision: Decision::Commit, reason: DecisionReason::AllYes },
            Decided { decision: Decision::Abort, reason: DecisionReason::VotedNo { from: NodeId(3) } },
            Resent { decision: Decision::Commit, to: 1 },
            StatusAnswered { to: NodeId(2), decision: Decision::Commit },
            StatusUnanswered { from: NodeId(2) },
            AckReceived { from: NodeId(2), acks: 1, needed: 2 },
            Finished { decision: Decision::Abort },
            VotedYes,
            VotedNo,
            VoteRepeated { yes: false },
            Committed { command: Command::Noop },
            Aborted,
            GaveUp,
            Reacknowledged { decision: Decision::Commit },
            InDoubt { coordinator: NodeId(1), queries: 3 },
            Ignored { from: NodeId(9), kind: MsgKind::Ack, why: self::Ignored::UnknownSender },
            Ignored { from: NodeId(2), kind: MsgKind::Prepare, why: self::Ignored::WrongRole },
            Ignored { from: NodeId(1), kind: MsgKind::Abort, why: self::Ignored::NoTransaction },
            Ignored { from: NodeId(1), kind: MsgKind::Abort, why: self::Ignored::Stale },
            Ignored { from: NodeId(2), kind: MsgKind::Ack, why: self::Ignored::Future },
            Ignored { from: NodeId(2), kind: MsgKind::Prepared, why: self::Ignored::AlreadyDecided },
            Ignored { from: NodeId(1), kind: MsgKind::Commit, why: self::Ignored::NotPrepared },
            Ignored { from: NodeId(1), kind: MsgKind::Prepare, why: self::Ignored::StillInDoubt },
        ];
        for event in events {
            let n = note(2, 1, event);
            let (en, zh) = (n.narrate(Lang::En), n.narrate(Lang::Zh));
            assert!(en.starts_with("S2") || en.starts_with("every"), "{en}");
            assert!(!zh.is_empty() && zh != en, "{zh}");
        }
    }
}
