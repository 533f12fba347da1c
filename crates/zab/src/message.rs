//! Zab's messages, named as in ZooKeeper's TLA+ specification (`zookeeper-specifications/
//! protocol-spec/Zab.tla`) and the paper: Fast Leader Election's notifications, then
//! discovery (CEPOCH, NEWEPOCH, ACKEPOCH), synchronisation (NEWLEADER, ACKLD, COMMITLD) and
//! broadcast (PROPOSE, ACK, COMMIT).
//!
//! ZooKeeper runs Zab over TCP, whose FIFO channels it relies on; here messages travel alone and
//! may be lost, duplicated or reordered, so each carries the epoch it belongs to, a PROPOSE
//! names the zxid it follows (`prev`), and a follower answers COMMIT (which doubles as the
//! leader's heartbeat, ZooKeeper's PING) with an ACK of its last zxid, from which the leader
//! resends what is missing.

use crate::zxid::{Epoch, History, Vote, Zxid};
use alloc::string::String;
use ballot_core::node::Message;
use ballot_core::Command;

/// What a Fast Leader Election notification says of its sender.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum PeerState {
    /// Electing.
    Looking,
    /// Following the vote's leader.
    Following,
    /// Leading (the vote names the sender).
    Leading,
}

/// A message between Zab servers. The sender is the envelope's `from`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum ZabMsg {
    /// FLE: the sender's current vote in election round `round`, and its state.
    Notification {
        /// The sender's logical clock (election round).
        round: u64,
        /// Whom it votes for.
        vote: Vote,
        /// Looking, following or leading.
        state: PeerState,
    },
    /// Discovery, follower → prospective leader: "my acceptedEpoch is `accepted_epoch`"
    /// (the paper's CEPOCH(f.p)).
    CEpoch {
        /// The follower's acceptedEpoch.
        accepted_epoch: Epoch,
    },
    /// Discovery, leader → follower: the new epoch e′, above every acceptedEpoch of a quorum.
    NewEpoch {
        /// e′.
        epoch: Epoch,
    },
    /// Discovery, follower → leader: ACK-E(f.a, h_f), the follower's currentEpoch and whole
    /// history, sent once it accepted e′.
    AckEpoch {
        /// The e′ it accepts (so a late ACKEPOCH of an earlier attempt is not counted).
        epoch: Epoch,
        /// The follower's currentEpoch.
        current_epoch: Epoch,
        /// Its history.
        history: History,
        /// Whether it had accepted the epoch before this session (ZooKeeper sends epoch `-1`
        /// then): such an acknowledgement does not count towards the leader's quorum.
        repeat: bool,
    },
    /// Synchronisation, leader → follower: NEWLEADER(e′, I_e′), the history every follower
    /// adopts (the paper's full-history variant: no DIFF, TRUNC or SNAP).
    NewLeader {
        /// e′.
        epoch: Epoch,
        /// The initial history (for a follower that joins later, the leader's current history).
        history: History,
    },
    /// Synchronisation, follower → leader: it adopted the history and e′, up to `zxid`.
    AckLd {
        /// e′.
        epoch: Epoch,
        /// The last zxid of the adopted history.
        zxid: Zxid,
    },
    /// Synchronisation, leader → follower: a quorum acknowledged NEWLEADER; deliver the
    /// history up to `zxid` and start broadcast.
    CommitLd {
        /// e′.
        epoch: Epoch,
        /// What is committed.
        zxid: Zxid,
    },
    /// Broadcast, leader → follower: accept transaction `zxid` after `prev`.
    Propose {
        /// The leader's epoch.
        epoch: Epoch,
        /// The zxid just before it in the leader's history.
        prev: Zxid,
        /// Its zxid.
        zxid: Zxid,
        /// Its command.
        command: Command,
    },
    /// Broadcast, follower → leader: its history holds everything up to `zxid` of this epoch.
    Ack {
        /// The epoch.
        epoch: Epoch,
        /// The follower's last zxid.
        zxid: Zxid,
    },
    /// Broadcast, leader → follower: everything up to `zxid` is committed (also the heartbeat).
    Commit {
        /// The epoch.
        epoch: Epoch,
        /// The leader's last committed zxid.
        zxid: Zxid,
    },
}

impl Message for ZabMsg {
    const KINDS: &'static [&'static str] = &[
        "Notification",
        "CEPOCH",
        "NEWEPOCH",
        "ACKEPOCH",
        "NEWLEADER",
        "ACKLD",
        "COMMITLD",
        "PROPOSE",
        "ACK",
        "COMMIT",
    ];

    fn kind(&self) -> &'static str {
        Self::KINDS[self.kind_index()]
    }

    /// `N`, `CE`, `NE`, `AE`, `NL`, `AL`, `CL`, `P`, `A`, `C`.
    fn label(&self) -> String {
        String::from(["N", "CE", "NE", "AE", "NL", "AL", "CL", "P", "A", "C"][self.kind_index()])
    }
}

impl ZabMsg {
    /// The index of its kind in [`Message::KINDS`].
    pub fn kind_index(&self) -> usize {
        match self {
            ZabMsg::Notification { .. } => 0,
            ZabMsg::CEpoch { .. } => 1,
            ZabMsg::NewEpoch { .. } => 2,
            ZabMsg::AckEpoch { .. } => 3,
            ZabMsg::NewLeader { .. } => 4,
            ZabMsg::AckLd { .. } => 5,
            ZabMsg::CommitLd { .. } => 6,
            ZabMsg::Propose { .. } => 7,
            ZabMsg::Ack { .. } => 8,
            ZabMsg::Commit { .. } => 9,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballot_core::NodeId;

    #[test]
    fn kinds_and_labels_line_up() {
        let vote = Vote { epoch: 0, zxid: Zxid::ZERO, leader: NodeId(1) };
        let n = ZabMsg::Notification { round: 1, vote, state: PeerState::Looking };
        assert_eq!((n.kind(), n.label().as_str()), ("Notification", "N"));
        let p = ZabMsg::Propose { epoch: 1, prev: Zxid::ZERO, zxid: Zxid::new(1, 1), command: Command::Noop };
        assert_eq!((p.kind(), p.label().as_str()), ("PROPOSE", "P"));
        let c = ZabMsg::Commit { epoch: 1, zxid: Zxid::new(1, 1) };
        assert_eq!(c.kind(), "COMMIT");
        assert_eq!(ZabMsg::KINDS.len(), 10);
    }
}
