//! Deliberately broken variants of Zab, each a small departure from the protocol that one of
//! the properties in [`crate::safety`] (or the simulator's Persist Before Send) is shown to catch.

use ballot_core::Lang;

/// One deliberate departure from Zab.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum ZabBug {
    /// The leader commits (delivers and sends COMMIT for) a proposal as soon as it proposes it,
    /// without waiting for ACKs from a quorum. If it crashes, the next leader may not hold the
    /// "committed" transaction. Caught by Committed Never Lost. Reference: paper §IV, Phase 3.
    CommitBeforeQuorum,
    /// A new leader skips synchronisation: NEWLEADER carries no history and each follower keeps
    /// its own. A follower that missed committed transactions keeps missing them, and once such
    /// followers form a quorum a later epoch is established without them: caught by Committed
    /// Never Lost (the swarm's first catch). A follower that holds a transaction the new epoch
    /// discarded delivers it at COMMITLD instead, breaking Agreement
    /// (`scenarios/zab/08-skip-sync-caught.scn`). Reference: paper §IV, Phase 2.
    SkipSync,
    /// A follower acknowledges NEWLEADER (ACKLD) before it writes the new history and
    /// currentEpoch to disk, the crash window of ZOOKEEPER-4643 and ZOOKEEPER-4646: the leader
    /// counts an acknowledgement that a crash takes back. Caught by Persist Before Send.
    AckBeforePersist,
}

impl ZabBug {
    /// Every variant, in a fixed order.
    pub const ALL: [ZabBug; 3] = [ZabBug::CommitBeforeQuorum, ZabBug::SkipSync, ZabBug::AckBeforePersist];

    /// The kebab-case name used on the command line, in scenarios and in share links.
    pub fn name(self) -> &'static str {
        match self {
            ZabBug::CommitBeforeQuorum => "commit-before-quorum",
            ZabBug::SkipSync => "skip-sync",
            ZabBug::AckBeforePersist => "ack-before-persist",
        }
    }

    /// The variant named `name`, if any.
    pub fn parse(name: &str) -> Option<ZabBug> {
        let name = name.trim();
        ZabBug::ALL.into_iter().find(|bug| bug.name() == name)
    }

    /// The property this variant exists to break.
    pub fn property(self) -> &'static str {
        use crate::safety::COMMITTED_NEVER_LOST;
        match self {
            ZabBug::CommitBeforeQuorum | ZabBug::SkipSync => COMMITTED_NEVER_LOST,
            ZabBug::AckBeforePersist => ballot_core::check::PERSIST_BEFORE_SEND,
        }
    }

    /// One sentence for the playground's bug menu.
    pub fn description(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ZabBug::CommitBeforeQuorum, Lang::En) => {
                "The leader commits a proposal before a quorum ACKed it: if it crashes, the next leader may not have the \"committed\" transaction."
            }
            (ZabBug::CommitBeforeQuorum, Lang::Zh) => {
                "领导者在法定人数 ACK 之前就提交提案：它一旦崩溃，下一任领导者可能没有这条“已提交”的事务。"
            }
            (ZabBug::SkipSync, Lang::En) => {
                "A new leader skips synchronisation: followers keep their own histories, so committed transactions can be missing from a later epoch, or a discarded proposal delivered."
            }
            (ZabBug::SkipSync, Lang::Zh) => {
                "新领导者跳过同步阶段：跟随者保留各自的历史，之后的纪元可能缺少已提交的事务，或交付已被丢弃的提案。"
            }
            (ZabBug::AckBeforePersist, Lang::En) => {
                "Followers send ACKLD before the new history and currentEpoch are on disk (ZOOKEEPER-4643/4646): a crash takes the acknowledgement back."
            }
            (ZabBug::AckBeforePersist, Lang::Zh) => {
                "跟随者在新历史和 currentEpoch 写入磁盘之前就发送 ACKLD（ZOOKEEPER-4643/4646）：一次崩溃就收回了这个确认。"
            }
        }
    }
}

impl core::fmt::Display for ZabBug {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_properties_are_checked() {
        use ballot_core::{Checker, Cluster};
        let checked = crate::ZabChecker::new(Cluster::new(3)).properties();
        for bug in ZabBug::ALL {
            assert_eq!(ZabBug::parse(bug.name()), Some(bug));
            assert!(!bug.description(Lang::En).is_empty() && !bug.description(Lang::Zh).is_empty());
            let p = bug.property();
            assert!(p == ballot_core::check::PERSIST_BEFORE_SEND || checked.contains(&p), "{bug}: {p}");
        }
        assert_eq!(ZabBug::parse("nope"), None);
    }
}
