//! The messages of two-phase commit.
//!
//! Gray & Lamport's `TwoPhase` spec has three kinds of message: `Prepared` (an RM to the TM),
//! `Commit` and `Abort` (the TM to every RM). A running system needs four more, which the spec
//! leaves implicit: the TM's request [`TwoPcMsg::Prepare`] that starts a transaction (it carries
//! the transaction's write), an RM's explicit no vote [`TwoPcMsg::VoteNo`] (the spec's RM just
//! aborts silently and the TM times out), an RM's [`TwoPcMsg::Ack`] of the decision (so the TM
//! knows when it may stop re-sending it and start the next transaction) and an in-doubt RM's
//! [`TwoPcMsg::StatusQuery`].
//!
//! Every message names its transaction ([`TxnId`], from 1). The sender is given by
//! [`ballot_core::Input::Deliver`]'s `from`, which the driver fills in.

use alloc::string::String;
use ballot_core::node::Message;
use ballot_core::Command;

/// A transaction's number. The coordinator numbers its transactions 1, 2, 3…; 0 means "none
/// yet" and appears in no correct message.
pub type TxnId = u64;

/// The coordinator's verdict on a transaction.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Decision {
    /// Every participant makes the transaction's write.
    Commit,
    /// Nobody does.
    Abort,
}

impl Decision {
    /// `"commit"` or `"abort"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Commit => "commit",
            Decision::Abort => "abort",
        }
    }
}

/// A message between the coordinator and the participants.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum TwoPcMsg {
    /// Coordinator → participant: "prepare to commit transaction `txn`, whose write is
    /// `command`, and vote".
    Prepare {
        /// The transaction.
        txn: TxnId,
        /// What every participant does if the transaction commits.
        command: Command,
    },
    /// Participant → coordinator: a yes vote. The spec's `[type |-> "Prepared", rm |-> r]`: the
    /// participant has durably prepared and can no longer abort on its own.
    Prepared {
        /// The transaction.
        txn: TxnId,
    },
    /// Participant → coordinator: a no vote. The participant has already aborted.
    VoteNo {
        /// The transaction.
        txn: TxnId,
    },
    /// Coordinator → participant: the spec's `[type |-> "Commit"]`.
    Commit {
        /// The transaction.
        txn: TxnId,
    },
    /// Coordinator → participant: the spec's `[type |-> "Abort"]`.
    Abort {
        /// The transaction.
        txn: TxnId,
    },
    /// Participant → coordinator: "I have durably recorded `decision` for `txn`".
    Ack {
        /// The transaction.
        txn: TxnId,
        /// The outcome the participant recorded.
        decision: Decision,
    },
    /// In-doubt participant → coordinator: "what became of `txn`?". The coordinator answers with
    /// [`TwoPcMsg::Commit`] or [`TwoPcMsg::Abort`] once it has decided, and stays silent before.
    StatusQuery {
        /// The transaction.
        txn: TxnId,
    },
}

/// Which message, without its fields (for trace notes).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum MsgKind {
    /// [`TwoPcMsg::Prepare`].
    Prepare,
    /// [`TwoPcMsg::Prepared`].
    Prepared,
    /// [`TwoPcMsg::VoteNo`].
    VoteNo,
    /// [`TwoPcMsg::Commit`].
    Commit,
    /// [`TwoPcMsg::Abort`].
    Abort,
    /// [`TwoPcMsg::Ack`].
    Ack,
    /// [`TwoPcMsg::StatusQuery`].
    StatusQuery,
}

impl MsgKind {
    /// The name used in narration; message names stay in English in both languages.
    pub fn name(self) -> &'static str {
        match self {
            MsgKind::Prepare => "Prepare",
            MsgKind::Prepared => "Prepared",
            MsgKind::VoteNo => "VoteNo",
            MsgKind::Commit => "Commit",
            MsgKind::Abort => "Abort",
            MsgKind::Ack => "Ack",
            MsgKind::StatusQuery => "StatusQuery",
        }
    }

    /// Whether only the coordinator sends this kind (so only participants receive it).
    pub fn from_coordinator(self) -> bool {
        matches!(self, MsgKind::Prepare | MsgKind::Commit | MsgKind::Abort)
    }
}

impl TwoPcMsg {
    /// The transaction the message is about.
    pub fn txn(&self) -> TxnId {
        match self {
            TwoPcMsg::Prepare { txn, .. }
            | TwoPcMsg::Prepared { txn }
            | TwoPcMsg::VoteNo { txn }
            | TwoPcMsg::Commit { txn }
            | TwoPcMsg::Abort { txn }
            | TwoPcMsg::Ack { txn, .. }
            | TwoPcMsg::StatusQuery { txn } => *txn,
        }
    }

    /// Which message this is.
    pub fn kind(&self) -> MsgKind {
        match self {
            TwoPcMsg::Prepare { .. } => MsgKind::Prepare,
            TwoPcMsg::Prepared { .. } => MsgKind::Prepared,
            TwoPcMsg::VoteNo { .. } => MsgKind::VoteNo,
            TwoPcMsg::Commit { .. } => MsgKind::Commit,
            TwoPcMsg::Abort { .. } => MsgKind::Abort,
            TwoPcMsg::Ack { .. } => MsgKind::Ack,
            TwoPcMsg::StatusQuery { .. } => MsgKind::StatusQuery,
        }
    }

    /// The decision message for `decision`.
    pub fn decision(txn: TxnId, decision: Decision) -> TwoPcMsg {
        match decision {
            Decision::Commit => TwoPcMsg::Commit { txn },
            Decision::Abort => TwoPcMsg::Abort { txn },
        }
    }
}

impl Message for TwoPcMsg {
    const KINDS: &'static [&'static str] =
        &["Prepare", "Prepared", "VoteNo", "Commit", "Abort", "Ack", "StatusQuery"];
    fn kind(&self) -> &'static str {
        Self::KINDS[self.kind() as usize]
    }
    /// `Prep`, `Yes`, `No`, `Commit`, `Abort`, `Ack`, `Status?`.
    fn label(&self) -> String {
        String::from(match self {
            TwoPcMsg::Prepare { .. } => "Prep",
            TwoPcMsg::Prepared { .. } => "Yes",
            TwoPcMsg::VoteNo { .. } => "No",
            TwoPcMsg::Commit { .. } => "Commit",
            TwoPcMsg::Abort { .. } => "Abort",
            TwoPcMsg::Ack { .. } => "Ack",
            TwoPcMsg::StatusQuery { .. } => "Status?",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn labels_are_short_and_kinds_match() {
        let all = [
            TwoPcMsg::Prepare { txn: 1, command: Command::Noop },
            TwoPcMsg::Prepared { txn: 1 },
            TwoPcMsg::VoteNo { txn: 1 },
            TwoPcMsg::Commit { txn: 1 },
            TwoPcMsg::Abort { txn: 1 },
            TwoPcMsg::Ack { txn: 1, decision: Decision::Commit },
            TwoPcMsg::StatusQuery { txn: 1 },
        ];
        let labels: Vec<String> = all.iter().map(Message::label).collect();
        assert_eq!(labels, ["Prep", "Yes", "No", "Commit", "Abort", "Ack", "Status?"]);
        let from_tm: Vec<bool> = all.iter().map(|m| m.kind().from_coordinator()).collect();
        assert_eq!(from_tm, [true, false, false, true, true, false, false]);
        assert!(all.iter().all(|m| m.txn() == 1));
        assert!(all.iter().all(|m| Message::kind(m) == m.kind().name()));
        assert_eq!(TwoPcMsg::decision(4, Decision::Abort), TwoPcMsg::Abort { txn: 4 });
        assert_eq!(TwoPcMsg::decision(4, Decision::Commit).kind().name(), "Commit");
        assert_eq!((Decision::Commit.as_str(), Decision::Abort.as_str()), ("commit", "abort"));
    }
}
