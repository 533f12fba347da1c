//! The two RPCs of Figure 2 and their replies, as one-way messages.
//!
//! Raft's RPCs become plain messages: a request and its reply travel independently and may be
//! lost, duplicated or reordered by the network. Figure 2's `candidateId` (RequestVote) and
//! `leaderId` (AppendEntries) are not fields: the sender is given by
//! [`ballot_core::Input::Deliver`]'s `from`, which the driver fills in (a node never claims to be
//! someone else).

use crate::log::{Entry, LogIndex, Term};
use alloc::string::String;
use alloc::vec::Vec;
use ballot_core::node::Message;

/// A message between Raft nodes.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum RaftMsg {
    /// "Invoked by candidates to gather votes (§5.2)." The candidate is the sender.
    RequestVote {
        /// Candidate's term.
        term: Term,
        /// Index of candidate's last log entry (§5.4).
        last_log_index: LogIndex,
        /// Term of candidate's last log entry (§5.4).
        last_log_term: Term,
    },
    /// The answer to a [`RaftMsg::RequestVote`].
    RequestVoteReply {
        /// currentTerm, for candidate to update itself.
        term: Term,
        /// True means candidate received vote.
        vote_granted: bool,
    },
    /// "Invoked by leader to replicate log entries (§5.3); also used as heartbeat (§5.2)." The
    /// leader is the sender.
    AppendEntries {
        /// Leader's term.
        term: Term,
        /// Index of log entry immediately preceding new ones.
        prev_log_index: LogIndex,
        /// Term of `prev_log_index` entry.
        prev_log_term: Term,
        /// Log entries to store (empty for heartbeat).
        entries: Vec<Entry>,
        /// Leader's commitIndex.
        leader_commit: LogIndex,
    },
    /// The answer to a [`RaftMsg::AppendEntries`].
    ///
    /// Figure 2's reply has only `term` and `success`. Because requests and replies are separate
    /// messages here, the reply also says *which* request it answers, so that the leader can
    /// update `nextIndex`/`matchIndex` from a reply that arrives late or twice without
    /// guessing. The leader still backs off by exactly one index per rejection (Figure 2: "If
    /// AppendEntries fails because of log inconsistency: decrement nextIndex and retry").
    AppendEntriesReply {
        /// currentTerm, for leader to update itself.
        term: Term,
        /// True if follower contained entry matching `prev_log_index` and `prev_log_term`.
        success: bool,
        /// The `prev_log_index` of the request this answers.
        prev_log_index: LogIndex,
        /// On success, the index of the last entry known to match the leader's log
        /// (`prev_log_index + entries.len()`); 0 on failure.
        match_index: LogIndex,
    },
}

/// Which of the four messages, without its fields (for trace notes).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum MsgKind {
    /// [`RaftMsg::RequestVote`].
    RequestVote,
    /// [`RaftMsg::RequestVoteReply`].
    RequestVoteReply,
    /// [`RaftMsg::AppendEntries`].
    AppendEntries,
    /// [`RaftMsg::AppendEntriesReply`].
    AppendEntriesReply,
}

impl MsgKind {
    /// The name used in narration ("AppendEntries", "RequestVote reply"…): RPC names stay in
    /// English in both languages, as in the paper.
    pub fn name(self) -> &'static str {
        match self {
            MsgKind::RequestVote => "RequestVote",
            MsgKind::RequestVoteReply => "RequestVote reply",
            MsgKind::AppendEntries => "AppendEntries",
            MsgKind::AppendEntriesReply => "AppendEntries reply",
        }
    }
}

impl RaftMsg {
    /// The sender's term, carried by every message.
    pub fn term(&self) -> Term {
        match self {
            RaftMsg::RequestVote { term, .. }
            | RaftMsg::RequestVoteReply { term, .. }
            | RaftMsg::AppendEntries { term, .. }
            | RaftMsg::AppendEntriesReply { term, .. } => *term,
        }
    }

    /// Which message this is.
    pub fn kind(&self) -> MsgKind {
        match self {
            RaftMsg::RequestVote { .. } => MsgKind::RequestVote,
            RaftMsg::RequestVoteReply { .. } => MsgKind::RequestVoteReply,
            RaftMsg::AppendEntries { .. } => MsgKind::AppendEntries,
            RaftMsg::AppendEntriesReply { .. } => MsgKind::AppendEntriesReply,
        }
    }
}

impl Message for RaftMsg {
    const KINDS: &'static [&'static str] =
        &["RequestVote", "RequestVoteReply", "AppendEntries", "AppendEntriesReply"];
    fn kind(&self) -> &'static str {
        Self::KINDS[self.kind() as usize]
    }
    /// `RV`, `RV✓`, `RV✗`, `AE` (with entries), `HB` (empty AppendEntries), `AE✓`, `AE✗`.
    fn label(&self) -> String {
        String::from(match self {
            RaftMsg::RequestVote { .. } => "RV",
            RaftMsg::RequestVoteReply { vote_granted: true, .. } => "RV✓",
            RaftMsg::RequestVoteReply { .. } => "RV✗",
            RaftMsg::AppendEntries { entries, .. } if entries.is_empty() => "HB",
            RaftMsg::AppendEntries { .. } => "AE",
            RaftMsg::AppendEntriesReply { success: true, .. } => "AE✓",
            RaftMsg::AppendEntriesReply { .. } => "AE✗",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballot_core::Command;

    #[test]
    fn labels_are_short_and_distinguish_outcomes() {
        let hb = RaftMsg::AppendEntries {
            term: 1,
            prev_log_index: 0,
            prev_log_term: 0,
            entries: Vec::new(),
            leader_commit: 0,
        };
        assert_eq!(hb.label(), "HB");
        let ae = RaftMsg::AppendEntries {
            term: 1,
            prev_log_index: 0,
            prev_log_term: 0,
            entries: alloc::vec![Entry { term: 1, command: Command::Noop, chain: 0 }],
            leader_commit: 0,
        };
        assert_eq!(ae.label(), "AE");
        let rv = RaftMsg::RequestVote { term: 2, last_log_index: 0, last_log_term: 0 };
        assert_eq!((rv.label().as_str(), rv.term()), ("RV", 2));
        let yes = RaftMsg::RequestVoteReply { term: 2, vote_granted: true };
        let no = RaftMsg::RequestVoteReply { term: 2, vote_granted: false };
        assert_eq!((yes.label().as_str(), no.label().as_str()), ("RV✓", "RV✗"));
        let ok = RaftMsg::AppendEntriesReply { term: 1, success: true, prev_log_index: 0, match_index: 1 };
        let fail = RaftMsg::AppendEntriesReply { term: 1, success: false, prev_log_index: 0, match_index: 0 };
        assert_eq!((ok.label().as_str(), fail.label().as_str()), ("AE✓", "AE✗"));
        assert_eq!(fail.kind(), MsgKind::AppendEntriesReply);
        let kinds = [&rv, &yes, &hb, &ok].map(Message::kind);
        assert_eq!(kinds, ["RequestVote", "RequestVoteReply", "AppendEntries", "AppendEntriesReply"]);
    }
}
