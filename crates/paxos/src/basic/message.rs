//! The four messages of Paxos Made Simple §2.2 (prepare, promise, accept, accepted) plus the
//! rejection an acceptor sends instead of ignoring a request (§2.4's optimisation: "the acceptor
//! … should probably inform the proposer, who should then abandon its proposal").
//!
//! The sender is given by [`ballot_core::Input::Deliver`]'s `from`. A ballot names its proposer,
//! so a Prepare or Accept whose ballot is not the sender's own is malformed and ignored.

use crate::ballot::Ballot;
use alloc::format;
use alloc::string::String;
use ballot_core::node::Message;
use ballot_core::Command;

/// A message between Basic Paxos nodes.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum PaxosMsg {
    /// Phase 1a: "a proposer selects a proposal number n and sends a prepare request with
    /// number n to a majority of acceptors." Sent to every other node.
    Prepare {
        /// The proposal number.
        ballot: Ballot,
    },
    /// Phase 1b: the acceptor promises "not to accept any more proposals numbered less than n"
    /// and reports "the highest-numbered proposal (if any) that it has accepted".
    Promise {
        /// The ballot promised (the Prepare's).
        ballot: Ballot,
        /// The acceptor's accepted proposal, if any.
        accepted: Option<(Ballot, Command)>,
    },
    /// A refusal: the acceptor has promised `promised`, which is above `ballot` (the request's).
    /// Answers both Prepare and Accept, so the proposer can retry above `promised`.
    Nack {
        /// The ballot of the refused request.
        ballot: Ballot,
        /// What the acceptor promised instead.
        promised: Ballot,
    },
    /// Phase 2a: "an accept request … for a proposal numbered n with a value v".
    Accept {
        /// The proposal number.
        ballot: Ballot,
        /// The value.
        value: Command,
    },
    /// Phase 2b: the acceptor accepted the proposal; sent to every node (each is a learner:
    /// "have each acceptor, whenever it accepts a proposal, respond to all learners", §2.3).
    Accepted {
        /// The proposal number.
        ballot: Ballot,
        /// The value.
        value: Command,
    },
}

/// Which message, without its fields (for trace notes).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum MsgKind {
    /// [`PaxosMsg::Prepare`].
    Prepare,
    /// [`PaxosMsg::Promise`].
    Promise,
    /// [`PaxosMsg::Nack`].
    Nack,
    /// [`PaxosMsg::Accept`].
    Accept,
    /// [`PaxosMsg::Accepted`].
    Accepted,
}

impl MsgKind {
    /// The name used in narration (kept in English in both languages, as in the paper).
    pub fn name(self) -> &'static str {
        match self {
            MsgKind::Prepare => "Prepare",
            MsgKind::Promise => "Promise",
            MsgKind::Nack => "Nack",
            MsgKind::Accept => "Accept",
            MsgKind::Accepted => "Accepted",
        }
    }
}

impl PaxosMsg {
    /// The ballot the message is about.
    pub fn ballot(&self) -> Ballot {
        match self {
            PaxosMsg::Prepare { ballot }
            | PaxosMsg::Promise { ballot, .. }
            | PaxosMsg::Nack { ballot, .. }
            | PaxosMsg::Accept { ballot, .. }
            | PaxosMsg::Accepted { ballot, .. } => *ballot,
        }
    }

    /// Which message this is.
    pub fn kind(&self) -> MsgKind {
        match self {
            PaxosMsg::Prepare { .. } => MsgKind::Prepare,
            PaxosMsg::Promise { .. } => MsgKind::Promise,
            PaxosMsg::Nack { .. } => MsgKind::Nack,
            PaxosMsg::Accept { .. } => MsgKind::Accept,
            PaxosMsg::Accepted { .. } => MsgKind::Accepted,
        }
    }
}

impl Message for PaxosMsg {
    const KINDS: &'static [&'static str] = &["Prepare", "Promise", "Nack", "Accept", "Accepted"];
    fn kind(&self) -> &'static str {
        Self::KINDS[self.kind() as usize]
    }
    /// `P(3.1)`, `Prom`, `Nack`, `A(3.1)`, `Acc`.
    fn label(&self) -> String {
        match self {
            PaxosMsg::Prepare { ballot } => format!("P({ballot})"),
            PaxosMsg::Promise { .. } => String::from("Prom"),
            PaxosMsg::Nack { .. } => String::from("Nack"),
            PaxosMsg::Accept { ballot, .. } => format!("A({ballot})"),
            PaxosMsg::Accepted { .. } => String::from("Acc"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballot_core::NodeId;

    #[test]
    fn labels_are_short() {
        let b = Ballot::new(3, NodeId(1));
        let v = Command::Noop;
        assert_eq!(PaxosMsg::Prepare { ballot: b }.label(), "P(3.1)");
        assert_eq!(PaxosMsg::Promise { ballot: b, accepted: None }.label(), "Prom");
        assert_eq!(PaxosMsg::Nack { ballot: b, promised: b }.label(), "Nack");
        assert_eq!(PaxosMsg::Accept { ballot: b, value: v.clone() }.label(), "A(3.1)");
        let acc = PaxosMsg::Accepted { ballot: b, value: v };
        assert_eq!((acc.label().as_str(), acc.kind(), acc.ballot()), ("Acc", MsgKind::Accepted, b));
        assert_eq!(Message::kind(&acc), "Accepted");
        assert_eq!(Message::kind(&PaxosMsg::Nack { ballot: b, promised: b }), "Nack");
    }
}
