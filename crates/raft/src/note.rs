//! Trace notes: what a node did and why, told in English or Simplified Chinese.
//!
//! A [`RaftNote`] is data (the event feed and tests match on it); [`Narrate`] turns it into a
//! sentence such as "S3 ignored AppendEntries from S1: term 2 < 3" /
//! "S3 忽略了来自 S1 的 AppendEntries：任期 2 < 3".

use crate::log::{LogIndex, Term};
use crate::message::MsgKind;
use alloc::format;
use alloc::string::String;
use ballot_core::{Command, Lang, Narrate, NodeId};

/// One trace note: an event at `node`, which was in `term` when the note was written.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct RaftNote {
    /// The node the note is about (the one that acted).
    pub node: NodeId,
    /// That node's currentTerm after the event.
    pub term: Term,
    /// What happened.
    pub event: RaftEvent,
}

/// Why a vote was refused.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum VoteDenial {
    /// The request carried a term lower than ours (RequestVote rule 1).
    LowerTerm {
        /// The candidate's term.
        theirs: Term,
    },
    /// We already voted for someone else in this term (`votedFor` is set).
    AlreadyVoted {
        /// Whom we voted for.
        voted_for: NodeId,
    },
    /// The candidate's log is not at least as up-to-date as ours (§5.4.1).
    LogNotUpToDate {
        /// Candidate's last log index.
        their_last_index: LogIndex,
        /// Candidate's last log term.
        their_last_term: Term,
        /// Our last log index.
        our_last_index: LogIndex,
        /// Our last log term.
        our_last_term: Term,
    },
}

/// Why a message was dropped without any effect (other than this note).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Malformed {
    /// The sender is not a member of the cluster, or is this node itself.
    UnknownSender,
    /// AppendEntries whose entries have a term above the message's term, terms that decrease,
    /// or a term below `prev_log_term`: no correct leader sends that.
    ImpossibleEntries,
    /// AppendEntries of our own term while we lead that term: only a second leader of the same
    /// term could send it (which Election Safety forbids; the checker reports it).
    SecondLeader,
}

/// What happened.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum RaftEvent {
    /// The node started (or restarted) from its durable state.
    Booted {
        /// Length of the restored log.
        last_index: LogIndex,
        /// The restored `votedFor`.
        voted_for: Option<NodeId>,
    },
    /// Election timeout: became candidate and started an election in `term`. Reference: §5.2.
    BecameCandidate,
    /// Won the election of `term` with `votes` votes. Reference: §5.2.
    BecameLeader {
        /// Votes received, own included.
        votes: u8,
    },
    /// Became (or stayed) follower in `term`, e.g. on seeing a higher term. Reference: §5.1.
    BecameFollower {
        /// The leader, when known (an AppendEntries sender).
        leader: Option<NodeId>,
    },
    /// Voted for `candidate`.
    VoteGranted {
        /// The candidate.
        candidate: NodeId,
    },
    /// Refused to vote for `candidate`.
    VoteDenied {
        /// The candidate.
        candidate: NodeId,
        /// Why.
        reason: VoteDenial,
    },
    /// A candidate received a reply to its RequestVote.
    VoteReceived {
        /// The voter.
        from: NodeId,
        /// Whether the vote was granted.
        granted: bool,
        /// Votes so far, own included.
        votes: u8,
        /// Votes needed (a majority).
        needed: u8,
    },
    /// A follower accepted AppendEntries from `leader`.
    AppendAccepted {
        /// The leader.
        leader: NodeId,
        /// The request's `prev_log_index`.
        prev_log_index: LogIndex,
        /// How many entries it carried (0: heartbeat).
        entries: u64,
    },
    /// A follower rejected AppendEntries: its log has no entry at `prev_log_index` with term
    /// `prev_log_term` (AppendEntries rule 2). Reference: §5.3.
    AppendRejected {
        /// The leader.
        leader: NodeId,
        /// The request's `prev_log_index`.
        prev_log_index: LogIndex,
        /// The request's `prev_log_term`.
        prev_log_term: Term,
        /// The term the follower has at `prev_log_index` (`None`: its log is shorter).
        have: Option<Term>,
    },
    /// A conflicting suffix was deleted (AppendEntries rule 3). Reference: §5.3.
    Truncated {
        /// First index deleted.
        from_index: LogIndex,
        /// Number of entries deleted.
        removed: u64,
    },
    /// commitIndex advanced.
    CommitAdvanced {
        /// Old commitIndex.
        from: LogIndex,
        /// New commitIndex.
        to: LogIndex,
    },
    /// A committed entry was applied to the state machine.
    Applied {
        /// Its index.
        index: LogIndex,
        /// The command.
        command: Command,
        /// What the state machine answered.
        result: Option<String>,
    },
    /// The leader appended a client command to its log.
    ClientAppended {
        /// Index of the new entry.
        index: LogIndex,
        /// The command.
        command: Command,
    },
    /// A client command was refused: this node is not the leader.
    ClientRedirected {
        /// The leader it believes in, if any.
        hint: Option<NodeId>,
    },
    /// A follower rejected AppendEntries; the leader decremented its nextIndex. Reference: §5.3.
    NextIndexBackedOff {
        /// The follower.
        peer: NodeId,
        /// The new nextIndex.
        next_index: LogIndex,
    },
    /// A message from an older term was ignored (replied to with our term where Figure 2 says
    /// "reply false"). Reference: §5.1.
    IgnoredStale {
        /// The sender.
        from: NodeId,
        /// Which message.
        kind: MsgKind,
        /// The message's term.
        theirs: Term,
    },
    /// A reply of the current term that answers a request already superseded (late or
    /// duplicated) was ignored.
    IgnoredOutdatedReply {
        /// The sender.
        from: NodeId,
        /// Which message.
        kind: MsgKind,
    },
    /// A message no correct node sends was ignored.
    IgnoredMalformed {
        /// The sender.
        from: NodeId,
        /// Which message.
        kind: MsgKind,
        /// What is wrong with it.
        why: Malformed,
    },
}

fn opt_node(id: Option<NodeId>, lang: Lang) -> String {
    match (id, lang) {
        (Some(id), _) => format!("{id}"),
        (None, Lang::En) => String::from("nobody"),
        (None, Lang::Zh) => String::from("无"),
    }
}

impl Narrate for RaftNote {
    fn narrate(&self, lang: Lang) -> String {
        let (me, t) = (self.node, self.term);
        match (&self.event, lang) {
            (RaftEvent::Booted { last_index, voted_for }, Lang::En) => format!(
                "{me} started in term {t} with {last_index} log entries, voted for {}",
                opt_node(*voted_for, lang)
            ),
            (RaftEvent::Booted { last_index, voted_for }, Lang::Zh) => {
                format!("{me} 启动：任期 {t}，日志 {last_index} 条，已投票给 {}", opt_node(*voted_for, lang))
            }
            (RaftEvent::BecameCandidate, Lang::En) => {
                format!("{me} timed out and became a candidate for term {t}")
            }
            (RaftEvent::BecameCandidate, Lang::Zh) => {
                format!("{me} 选举超时，成为任期 {t} 的候选者")
            }
            (RaftEvent::BecameLeader { votes }, Lang::En) => {
                format!("{me} became leader of term {t} with {votes} votes")
            }
            (RaftEvent::BecameLeader { votes }, Lang::Zh) => {
                format!("{me} 以 {votes} 票成为任期 {t} 的领导者")
            }
            (RaftEvent::BecameFollower { leader: Some(l) }, Lang::En) => {
                format!("{me} became a follower of {l} in term {t}")
            }
            (RaftEvent::BecameFollower { leader: Some(l) }, Lang::Zh) => {
                format!("{me} 在任期 {t} 成为 {l} 的跟随者")
            }
            (RaftEvent::BecameFollower { leader: None }, Lang::En) => {
                format!("{me} became a follower in term {t}")
            }
            (RaftEvent::BecameFollower { leader: None }, Lang::Zh) => {
                format!("{me} 在任期 {t} 成为跟随者")
            }
            (RaftEvent::VoteGranted { candidate }, Lang::En) => {
                format!("{me} voted for {candidate} in term {t}")
            }
            (RaftEvent::VoteGranted { candidate }, Lang::Zh) => {
                format!("{me} 在任期 {t} 投票给 {candidate}")
            }
            (RaftEvent::VoteDenied { candidate, reason }, Lang::En) => {
                let why = match reason {
                    VoteDenial::LowerTerm { theirs } => format!("term {theirs} < {t}"),
                    VoteDenial::AlreadyVoted { voted_for } => {
                        format!("already voted for {voted_for} in term {t}")
                    }
                    VoteDenial::LogNotUpToDate {
                        their_last_index,
                        their_last_term,
                        our_last_index,
                        our_last_term,
                    } => format!(
                        "its log (last {their_last_index}@{their_last_term}) is not as up to date as ours (last {our_last_index}@{our_last_term})"
                    ),
                };
                format!("{me} refused to vote for {candidate}: {why}")
            }
            (RaftEvent::VoteDenied { candidate, reason }, Lang::Zh) => {
                let why = match reason {
                    VoteDenial::LowerTerm { theirs } => format!("任期 {theirs} < {t}"),
                    VoteDenial::AlreadyVoted { voted_for } => {
                        format!("任期 {t} 已投票给 {voted_for}")
                    }
                    VoteDenial::LogNotUpToDate {
                        their_last_index,
                        their_last_term,
                        our_last_index,
                        our_last_term,
                    } => format!(
                        "对方日志（最后 {their_last_index}@{their_last_term}）不如自己的新（最后 {our_last_index}@{our_last_term}）"
                    ),
                };
                format!("{me} 拒绝投票给 {candidate}：{why}")
            }
            (RaftEvent::VoteReceived { from, granted: true, votes, needed }, Lang::En) => {
                format!("{me} got a vote from {from} ({votes}/{needed})")
            }
            (RaftEvent::VoteReceived { from, granted: true, votes, needed }, Lang::Zh) => {
                format!("{me} 获得 {from} 的选票（{votes}/{needed}）")
            }
            (RaftEvent::VoteReceived { from, granted: false, .. }, Lang::En) => {
                format!("{me} was refused a vote by {from}")
            }
            (RaftEvent::VoteReceived { from, granted: false, .. }, Lang::Zh) => {
                format!("{me} 被 {from} 拒绝投票")
            }
            (RaftEvent::AppendAccepted { leader, entries: 0, .. }, Lang::En) => {
                format!("{me} accepted a heartbeat from {leader}")
            }
            (RaftEvent::AppendAccepted { leader, entries: 0, .. }, Lang::Zh) => {
                format!("{me} 接受了 {leader} 的心跳")
            }
            (RaftEvent::AppendAccepted { leader, prev_log_index, entries }, Lang::En) => {
                format!("{me} accepted {entries} entries from {leader} after index {prev_log_index}")
            }
            (RaftEvent::AppendAccepted { leader, prev_log_index, entries }, Lang::Zh) => {
                format!("{me} 接受了 {leader} 发来的 {entries} 个条目（接在索引 {prev_log_index} 之后）")
            }
            (RaftEvent::AppendRejected { leader, prev_log_index, prev_log_term, have }, Lang::En) => {
                let have = match have {
                    Some(h) => format!("it has term {h} there"),
                    None => String::from("its log is shorter"),
                };
                format!(
                    "{me} rejected AppendEntries from {leader}: no entry {prev_log_index}@{prev_log_term} ({have})"
                )
            }
            (RaftEvent::AppendRejected { leader, prev_log_index, prev_log_term, have }, Lang::Zh) => {
                let have = match have {
                    Some(h) => format!("该位置的任期是 {h}"),
                    None => String::from("日志较短"),
                };
                format!(
                    "{me} 拒绝了 {leader} 的 AppendEntries：没有条目 {prev_log_index}@{prev_log_term}（{have}）"
                )
            }
            (RaftEvent::Truncated { from_index, removed }, Lang::En) => {
                format!("{me} deleted {removed} conflicting entries from index {from_index} on")
            }
            (RaftEvent::Truncated { from_index, removed }, Lang::Zh) => {
                format!("{me} 删除了从索引 {from_index} 起的 {removed} 个冲突条目")
            }
            (RaftEvent::CommitAdvanced { from, to }, Lang::En) => {
                format!("{me} advanced commitIndex from {from} to {to}")
            }
            (RaftEvent::CommitAdvanced { from, to }, Lang::Zh) => {
                format!("{me} 的 commitIndex 从 {from} 推进到 {to}")
            }
            (RaftEvent::Applied { index, command, result }, Lang::En) => match result {
                Some(r) => format!("{me} applied #{index} {command} → {r}"),
                None => format!("{me} applied #{index} {command}"),
            },
            (RaftEvent::Applied { index, command, result }, Lang::Zh) => match result {
                Some(r) => format!("{me} 应用了 #{index} {command} → {r}"),
                None => format!("{me} 应用了 #{index} {command}"),
            },
            (RaftEvent::ClientAppended { index, command }, Lang::En) => {
                format!("{me} appended {command} at index {index}")
            }
            (RaftEvent::ClientAppended { index, command }, Lang::Zh) => {
                format!("{me} 把 {command} 追加到索引 {index}")
            }
            (RaftEvent::ClientRedirected { hint }, Lang::En) => format!(
                "{me} is not the leader and refused a client command (leader: {})",
                opt_node(*hint, lang)
            ),
            (RaftEvent::ClientRedirected { hint }, Lang::Zh) => {
                format!("{me} 不是领导者，拒绝了客户端命令（领导者：{}）", opt_node(*hint, lang))
            }
            (RaftEvent::NextIndexBackedOff { peer, next_index }, Lang::En) => {
                format!("{me} backed nextIndex for {peer} off to {next_index}")
            }
            (RaftEvent::NextIndexBackedOff { peer, next_index }, Lang::Zh) => {
                format!("{me} 把 {peer} 的 nextIndex 回退到 {next_index}")
            }
            (RaftEvent::IgnoredStale { from, kind, theirs }, Lang::En) => {
                format!("{me} ignored {} from {from}: term {theirs} < {t}", kind.name())
            }
            (RaftEvent::IgnoredStale { from, kind, theirs }, Lang::Zh) => {
                format!("{me} 忽略了来自 {from} 的 {}：任期 {theirs} < {t}", kind.name())
            }
            (RaftEvent::IgnoredOutdatedReply { from, kind }, Lang::En) => {
                format!("{me} ignored an outdated {} from {from}", kind.name())
            }
            (RaftEvent::IgnoredOutdatedReply { from, kind }, Lang::Zh) => {
                format!("{me} 忽略了来自 {from} 的过时 {}", kind.name())
            }
            (RaftEvent::IgnoredMalformed { from, kind, why }, Lang::En) => {
                let why = match why {
                    Malformed::UnknownSender => "unknown sender",
                    Malformed::ImpossibleEntries => "entries no leader could send",
                    Malformed::SecondLeader => "a second leader in our own term",
                };
                format!("{me} ignored {} from {from}: {why}", kind.name())
            }
            (RaftEvent::IgnoredMalformed { from, kind, why }, Lang::Zh) => {
                let why = match why {
                    Malformed::UnknownSender => "未知发送者",
                    Malformed::ImpossibleEntries => "任何领导者都不会发送这样的条目",
                    Malformed::SecondLeader => "本任期出现第二个领导者",
                };
                format!("{me} 忽略了来自 {from} 的 {}：{why}", kind.name())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stale_message_note_reads_as_in_the_brief() {
        let note = RaftNote {
            node: NodeId(3),
            term: 3,
            event: RaftEvent::IgnoredStale { from: NodeId(1), kind: MsgKind::AppendEntries, theirs: 2 },
        };
        assert_eq!(note.narrate(Lang::En), "S3 ignored AppendEntries from S1: term 2 < 3");
        assert_eq!(note.narrate(Lang::Zh), "S3 忽略了来自 S1 的 AppendEntries：任期 2 < 3");
    }

    #[test]
    fn vote_denials_say_why() {
        let note = |reason| RaftNote {
            node: NodeId(2),
            term: 4,
            event: RaftEvent::VoteDenied { candidate: NodeId(5), reason },
        };
        let voted = note(VoteDenial::AlreadyVoted { voted_for: NodeId(1) });
        assert_eq!(voted.narrate(Lang::En), "S2 refused to vote for S5: already voted for S1 in term 4");
        assert!(voted.narrate(Lang::Zh).contains("已投票给 S1"));
        let stale = note(VoteDenial::LogNotUpToDate {
            their_last_index: 3,
            their_last_term: 1,
            our_last_index: 2,
            our_last_term: 2,
        });
        assert!(stale.narrate(Lang::En).contains("not as up to date"));
        assert!(stale.narrate(Lang::Zh).contains("不如自己的新"));
    }
}
