//! Trace notes: what a server did and why, told in English or Simplified Chinese.
//!
//! A [`ZabNote`] is data (the event feed and tests match on it); [`Narrate`] turns it into a
//! sentence such as "S2 accepted NEWEPOCH 2 from S3" / "S2 接受了 S3 的 NEWEPOCH 2".

use crate::zxid::{Epoch, Zxid};
use alloc::format;
use alloc::string::String;
use ballot_core::{Command, Lang, Narrate, NodeId};

/// One trace note: an event at `node`, whose currentEpoch was `epoch` afterwards.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ZabNote {
    /// The server the note is about.
    pub node: NodeId,
    /// Its currentEpoch after the event.
    pub epoch: Epoch,
    /// What happened.
    pub event: ZabEvent,
}

/// Why a server went (back) to LOOKING.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum LookReason {
    /// A follower heard nothing from its leader in time (or was not synchronised in time).
    LeaderSilent,
    /// A leader did not hear from a quorum in time.
    QuorumLost,
    /// A follower was offered an epoch not above its acceptedEpoch (or NEWLEADER of another).
    EpochRefused,
}

/// Why a message was dropped without effect (other than this note).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum IgnoreReason {
    /// It belongs to another epoch or another leader.
    Stale,
    /// It does not fit the receiver's phase (e.g. a PROPOSE while looking).
    WrongPhase,
    /// A PROPOSE that does not follow the receiver's last zxid (an earlier one is missing).
    Gap,
}

/// What happened.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum ZabEvent {
    /// Started (or restarted) from its durable state.
    Booted {
        /// acceptedEpoch on disk.
        accepted_epoch: Epoch,
        /// Last zxid of the history on disk.
        last: Zxid,
    },
    /// Started election round `round` voting for itself (state LOOKING).
    Looking {
        /// The round.
        round: u64,
        /// Why it left its leader or its leadership, if it did.
        reason: Option<LookReason>,
    },
    /// Changed its vote to a better one: higher epoch, then zxid, then id.
    VoteChanged {
        /// The new candidate.
        leader: NodeId,
        /// Its last zxid.
        zxid: Zxid,
    },
    /// A quorum agrees on `leader`: this server leads (if it is `leader`) or follows it.
    Elected {
        /// The elected leader.
        leader: NodeId,
        /// Votes that agreed.
        votes: u8,
    },
    /// A prospective leader heard CEPOCH from a quorum and chose the new epoch.
    EpochChosen {
        /// e′.
        epoch: Epoch,
    },
    /// A follower accepted NEWEPOCH: acceptedEpoch := e′.
    EpochAccepted {
        /// e′.
        epoch: Epoch,
        /// The leader.
        leader: NodeId,
    },
    /// A prospective leader heard ACKEPOCH from a quorum and took the most recent history.
    HistoryChosen {
        /// Whose history (highest currentEpoch, then last zxid).
        from: NodeId,
        /// Its length.
        len: u64,
    },
    /// A follower adopted the leader's history from NEWLEADER: currentEpoch := e′.
    Synced {
        /// The leader.
        leader: NodeId,
        /// Length of the adopted history.
        len: u64,
    },
    /// A leader heard ACKLD from a quorum: the epoch is established, broadcast begins.
    Established,
    /// The leader proposed a transaction.
    Proposed {
        /// Its zxid.
        zxid: Zxid,
        /// Its command.
        command: Command,
    },
    /// Delivered every transaction up to `zxid`.
    Committed {
        /// The last delivered zxid.
        zxid: Zxid,
    },
    /// Dropped a message.
    Ignored {
        /// Its kind (`PROPOSE`…).
        kind: &'static str,
        /// Its sender.
        from: NodeId,
        /// Why.
        reason: IgnoreReason,
    },
}

impl Narrate for ZabNote {
    fn narrate(&self, lang: Lang) -> String {
        let n = self.node;
        let zh = lang == Lang::Zh;
        match &self.event {
            ZabEvent::Booted { accepted_epoch, last } if zh => {
                format!(
                    "{n} 启动：acceptedEpoch {accepted_epoch}，currentEpoch {}，最后的 zxid {last}",
                    self.epoch
                )
            }
            ZabEvent::Booted { accepted_epoch, last } => {
                format!(
                    "{n} booted: acceptedEpoch {accepted_epoch}, currentEpoch {}, last zxid {last}",
                    self.epoch
                )
            }
            ZabEvent::Looking { round, reason } => {
                let why = match (reason, zh) {
                    (None, _) => "",
                    (Some(LookReason::LeaderSilent), false) => " (its leader went silent)",
                    (Some(LookReason::LeaderSilent), true) => "（领导者失联）",
                    (Some(LookReason::QuorumLost), false) => " (lost its quorum)",
                    (Some(LookReason::QuorumLost), true) => "（失去了法定人数）",
                    (Some(LookReason::EpochRefused), false) => " (refused the leader's epoch)",
                    (Some(LookReason::EpochRefused), true) => "（拒绝了领导者的纪元）",
                };
                if zh {
                    format!("{n} 进入 LOOKING{why}，开始第 {round} 轮选举，投票给自己")
                } else {
                    format!("{n} is LOOKING{why}: election round {round}, voting for itself")
                }
            }
            ZabEvent::VoteChanged { leader, zxid } if zh => {
                format!("{n} 改投 {leader}（epoch {}，zxid {zxid} 更新）", self.epoch)
            }
            ZabEvent::VoteChanged { leader, zxid } => {
                format!("{n} now votes for {leader} (zxid {zxid} is more recent)")
            }
            ZabEvent::Elected { leader, votes } if *leader == n => {
                if zh {
                    format!("{n} 获得 {votes} 票，成为准领导者（LEADING），进入发现阶段")
                } else {
                    format!("{n} has {votes} votes: LEADING, discovery begins")
                }
            }
            ZabEvent::Elected { leader, votes } if zh => {
                format!("{votes} 票一致选出 {leader}：{n} 跟随它（FOLLOWING），发送 CEPOCH")
            }
            ZabEvent::Elected { leader, votes } => {
                format!("{votes} votes agree on {leader}: {n} is FOLLOWING it and sends CEPOCH")
            }
            ZabEvent::EpochChosen { epoch } if zh => {
                format!("{n} 收到法定人数的 CEPOCH，选定新纪元 {epoch}，发送 NEWEPOCH")
            }
            ZabEvent::EpochChosen { epoch } => {
                format!("{n} heard CEPOCH from a quorum: new epoch {epoch}, sends NEWEPOCH")
            }
            ZabEvent::EpochAccepted { epoch, leader } if zh => {
                format!("{n} 接受了 {leader} 的 NEWEPOCH {epoch}（已持久化 acceptedEpoch），回复 ACKEPOCH")
            }
            ZabEvent::EpochAccepted { epoch, leader } => {
                format!(
                    "{n} accepted NEWEPOCH {epoch} from {leader} (acceptedEpoch on disk), replies ACKEPOCH"
                )
            }
            ZabEvent::HistoryChosen { from, len } if zh => {
                format!("{n} 收到法定人数的 ACKEPOCH，采用 {from} 最新的历史（{len} 条），发送 NEWLEADER")
            }
            ZabEvent::HistoryChosen { from, len } => {
                format!("{n} heard ACKEPOCH from a quorum: takes {from}'s most recent history ({len} txns), sends NEWLEADER")
            }
            ZabEvent::Synced { leader, len } if zh => {
                format!(
                    "{n} 采用 {leader} 的 NEWLEADER 历史（{len} 条），currentEpoch = {}，回复 ACKLD",
                    self.epoch
                )
            }
            ZabEvent::Synced { leader, len } => {
                format!(
                    "{n} adopted {leader}'s NEWLEADER history ({len} txns), currentEpoch {}, replies ACKLD",
                    self.epoch
                )
            }
            ZabEvent::Established if zh => {
                format!("{n} 收到法定人数的 ACKLD：纪元 {} 建立，发送 COMMITLD，进入广播阶段", self.epoch)
            }
            ZabEvent::Established => {
                format!(
                    "{n} heard ACKLD from a quorum: epoch {} established, sends COMMITLD, broadcast begins",
                    self.epoch
                )
            }
            ZabEvent::Proposed { zxid, command } if zh => format!("{n} 提议 {zxid}：{command}"),
            ZabEvent::Proposed { zxid, command } => format!("{n} proposes {zxid}: {command}"),
            ZabEvent::Committed { zxid } if zh => format!("{n} 交付了 {zxid} 及之前的事务"),
            ZabEvent::Committed { zxid } => format!("{n} delivered everything up to {zxid}"),
            ZabEvent::Ignored { kind, from, reason } => {
                let why = match (reason, zh) {
                    (IgnoreReason::Stale, false) => "another epoch or leader",
                    (IgnoreReason::Stale, true) => "属于其他纪元或领导者",
                    (IgnoreReason::WrongPhase, false) => "not in this phase",
                    (IgnoreReason::WrongPhase, true) => "与当前阶段不符",
                    (IgnoreReason::Gap, false) => "an earlier proposal is missing",
                    (IgnoreReason::Gap, true) => "缺少更早的提案",
                };
                if zh {
                    format!("{n} 忽略了来自 {from} 的 {kind}：{why}")
                } else {
                    format!("{n} ignored {kind} from {from}: {why}")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_read_in_both_languages() {
        let note = ZabNote {
            node: NodeId(2),
            epoch: 1,
            event: ZabEvent::EpochAccepted { epoch: 2, leader: NodeId(3) },
        };
        assert!(note.narrate(Lang::En).contains("accepted NEWEPOCH 2 from S3"));
        assert!(note.narrate(Lang::Zh).contains("接受了 S3 的 NEWEPOCH 2"));
        let p = ZabNote {
            node: NodeId(1),
            epoch: 1,
            event: ZabEvent::Proposed { zxid: Zxid::new(1, 3), command: Command::Noop },
        };
        assert_eq!(p.narrate(Lang::En), "S1 proposes 0x1_0003: no-op");
    }
}
