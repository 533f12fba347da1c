//! Multi-Paxos messages: Paxos's four, extended to slots (Paxos Made Simple §3), plus the
//! leader's heartbeat and the learners' catch-up.
//!
//! The sender is given by [`ballot_core::Input::Deliver`]'s `from`. A ballot names its
//! proposer, so a Prepare, Accept or Heartbeat whose ballot is not the sender's own is
//! malformed and ignored.

use crate::ballot::Ballot;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use ballot_core::node::Message;
use ballot_core::Command;

/// A position in the sequence of chosen commands. Slot 0 is "none"; the first slot is 1.
pub type Slot = u64;

/// The largest slot a correct run can reach (one command per slot, four billion commands).
/// Anything above is garbage, ignored: it keeps every loop over slots short.
pub const MAX_SLOT: Slot = u32::MAX as Slot;

/// A message between Multi-Paxos nodes.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum MultiMsg {
    /// Phase 1a for every slot from `from_slot` on at once: "a single message … for all
    /// instances" (§3): the candidate knows the values of the slots below.
    Prepare {
        /// The proposal number.
        ballot: Ballot,
        /// The candidate's first slot not known to be chosen.
        from_slot: Slot,
    },
    /// Phase 1b: the promise, with every proposal the acceptor accepted at `from_slot` or above,
    /// and — so that the new leader "knows most of the commands that have already been chosen"
    /// (§3) instead of re-proposing them — the chosen values this node knows from `from_slot`
    /// on, without a gap.
    Promise {
        /// The ballot promised.
        ballot: Ballot,
        /// `(slot, ballot, value)` for each slot at or above `from_slot` with an accepted
        /// proposal, in slot order.
        accepted: Vec<(Slot, Ballot, Command)>,
        /// The chosen values of slots `from_slot`, `from_slot + 1`, … as far as this node knows
        /// them without a gap.
        decided: Vec<Command>,
    },
    /// A refusal of a Prepare, Accept or Heartbeat of `ballot`: the acceptor promised `promised`.
    Nack {
        /// The ballot of the refused message.
        ballot: Ballot,
        /// What the acceptor promised instead.
        promised: Ballot,
    },
    /// Phase 2a for one slot.
    Accept {
        /// The leader's ballot.
        ballot: Ballot,
        /// The slot.
        slot: Slot,
        /// The value.
        value: Command,
    },
    /// Phase 2b for one slot, to the leader (which then tells everyone the slot is decided).
    Accepted {
        /// The ballot accepted.
        ballot: Ballot,
        /// The slot.
        slot: Slot,
    },
    /// The leader is alive; `chosen` is the end of its chosen prefix (every slot up to it is
    /// known chosen), so followers see what they are missing.
    Heartbeat {
        /// The leader's ballot.
        ballot: Ballot,
        /// The leader's chosen prefix.
        chosen: Slot,
    },
    /// A learner asks for the chosen values from `from_slot` on.
    CatchUp {
        /// The first slot it does not know.
        from_slot: Slot,
    },
    /// Chosen values for the slots `first`, `first + 1`, …
    Decide {
        /// The first slot.
        first: Slot,
        /// The values, in slot order.
        values: Vec<Command>,
    },
}

/// Which message, without its fields (for trace notes).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum MsgKind {
    /// [`MultiMsg::Prepare`].
    Prepare,
    /// [`MultiMsg::Promise`].
    Promise,
    /// [`MultiMsg::Nack`].
    Nack,
    /// [`MultiMsg::Accept`].
    Accept,
    /// [`MultiMsg::Accepted`].
    Accepted,
    /// [`MultiMsg::Heartbeat`].
    Heartbeat,
    /// [`MultiMsg::CatchUp`].
    CatchUp,
    /// [`MultiMsg::Decide`].
    Decide,
}

impl MsgKind {
    /// The name used in narration (kept in English in both languages).
    pub fn name(self) -> &'static str {
        match self {
            MsgKind::Prepare => "Prepare",
            MsgKind::Promise => "Promise",
            MsgKind::Nack => "Nack",
            MsgKind::Accept => "Accept",
            MsgKind::Accepted => "Accepted",
            MsgKind::Heartbeat => "Heartbeat",
            MsgKind::CatchUp => "CatchUp",
            MsgKind::Decide => "Decide",
        }
    }
}

impl MultiMsg {
    /// Which message this is.
    pub fn kind(&self) -> MsgKind {
        match self {
            MultiMsg::Prepare { .. } => MsgKind::Prepare,
            MultiMsg::Promise { .. } => MsgKind::Promise,
            MultiMsg::Nack { .. } => MsgKind::Nack,
            MultiMsg::Accept { .. } => MsgKind::Accept,
            MultiMsg::Accepted { .. } => MsgKind::Accepted,
            MultiMsg::Heartbeat { .. } => MsgKind::Heartbeat,
            MultiMsg::CatchUp { .. } => MsgKind::CatchUp,
            MultiMsg::Decide { .. } => MsgKind::Decide,
        }
    }

    /// The ballot the message is about, if it carries one.
    pub fn ballot(&self) -> Option<Ballot> {
        match self {
            MultiMsg::Prepare { ballot, .. }
            | MultiMsg::Promise { ballot, .. }
            | MultiMsg::Nack { ballot, .. }
            | MultiMsg::Accept { ballot, .. }
            | MultiMsg::Accepted { ballot, .. }
            | MultiMsg::Heartbeat { ballot, .. } => Some(*ballot),
            MultiMsg::CatchUp { .. } | MultiMsg::Decide { .. } => None,
        }
    }
}

impl Message for MultiMsg {
    const KINDS: &'static [&'static str] =
        &["Prepare", "Promise", "Nack", "Accept", "Accepted", "Heartbeat", "CatchUp", "Decide"];
    fn kind(&self) -> &'static str {
        Self::KINDS[self.kind() as usize]
    }
    /// `P(3.1)`, `Prom`, `Nack`, `A(3.1)#4`, `Acc#4`, `HB`, `Need#4`, `Dec#4`.
    fn label(&self) -> String {
        match self {
            MultiMsg::Prepare { ballot, .. } => format!("P({ballot})"),
            MultiMsg::Promise { .. } => String::from("Prom"),
            MultiMsg::Nack { .. } => String::from("Nack"),
            MultiMsg::Accept { ballot, slot, .. } => format!("A({ballot})#{slot}"),
            MultiMsg::Accepted { slot, .. } => format!("Acc#{slot}"),
            MultiMsg::Heartbeat { .. } => String::from("HB"),
            MultiMsg::CatchUp { from_slot } => format!("Need#{from_slot}"),
            MultiMsg::Decide { first, .. } => format!("Dec#{first}"),
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
        assert_eq!(MultiMsg::Prepare { ballot: b, from_slot: 1 }.label(), "P(3.1)");
        assert_eq!(MultiMsg::Accept { ballot: b, slot: 4, value: Command::Noop }.label(), "A(3.1)#4");
        assert_eq!(MultiMsg::Accepted { ballot: b, slot: 4 }.label(), "Acc#4");
        assert_eq!(MultiMsg::Heartbeat { ballot: b, chosen: 2 }.label(), "HB");
        assert_eq!(MultiMsg::CatchUp { from_slot: 3 }.label(), "Need#3");
        let d = MultiMsg::Decide { first: 3, values: Vec::new() };
        assert_eq!((d.label().as_str(), d.kind(), d.ballot()), ("Dec#3", MsgKind::Decide, None));
        assert_eq!((Message::kind(&d), MsgKind::Decide.name()), ("Decide", "Decide"));
        assert_eq!(Message::kind(&MultiMsg::CatchUp { from_slot: 3 }), "CatchUp");
    }
}
