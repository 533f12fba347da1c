//! Deliberately broken variants of two-phase commit, each a one-line departure from the protocol
//! that one of the safety properties in [`crate::safety`] is shown to catch.
//!
//! A bug is switched on through [`crate::TwoPcConfig::bug`]; with `None` the nodes follow the
//! protocol exactly.

use ballot_core::Lang;

/// One deliberate departure from two-phase commit.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum TwoPcBug {
    /// A prepared participant whose status query goes unanswered gives up and aborts on its own.
    /// The spec lets an RM abort unilaterally only while it is `working` (`RMChooseToAbort`);
    /// once it has sent Prepared, the outcome belongs to the coordinator. If the coordinator
    /// committed, one RM is committed while another aborted: **Atomicity** breaks.
    AbortAfterYes,
    /// The coordinator decides *commit* when its vote timeout fires, without waiting for every
    /// Prepared. The spec's `TMCommit` requires `tmPrepared = RM`. A participant that never
    /// voted yes is then told to commit: **Commit Validity** breaks, and **Atomicity** too when
    /// a no-voter has already aborted.
    CommitOnTimeout,
    /// A participant sends its yes vote (Prepared) before "prepared" is on stable storage: the
    /// state reaches the disk only with its next durable change. A participant that crashes
    /// right after voting comes back *working*, free to abort on its own, while the coordinator
    /// may commit on its vote. Caught by **Persist Before Send** (the simulator's check of the
    /// ordering contract).
    VoteBeforePersist,
}

impl TwoPcBug {
    /// Every variant, in a fixed order (for menus and `--bug` help).
    pub const ALL: [TwoPcBug; 3] =
        [TwoPcBug::AbortAfterYes, TwoPcBug::CommitOnTimeout, TwoPcBug::VoteBeforePersist];

    /// The kebab-case name used on the command line, in scenarios and in share links.
    pub fn name(self) -> &'static str {
        match self {
            TwoPcBug::AbortAfterYes => "abort-after-yes",
            TwoPcBug::CommitOnTimeout => "commit-on-timeout",
            TwoPcBug::VoteBeforePersist => "vote-before-persist",
        }
    }

    /// The variant named `name` (as given by [`TwoPcBug::name`]), if any.
    pub fn parse(name: &str) -> Option<TwoPcBug> {
        let name = name.trim();
        TwoPcBug::ALL.into_iter().find(|bug| bug.name() == name)
    }

    /// The safety property ([`crate::safety`]) this variant exists to break: the first one its
    /// scenario expects to be violated and the one the seed swarm catches it by.
    pub fn property(self) -> &'static str {
        match self {
            TwoPcBug::AbortAfterYes => crate::safety::ATOMICITY,
            TwoPcBug::CommitOnTimeout => crate::safety::COMMIT_VALIDITY,
            TwoPcBug::VoteBeforePersist => ballot_core::check::PERSIST_BEFORE_SEND,
        }
    }

    /// One sentence for the playground's bug menu.
    pub fn description(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (TwoPcBug::AbortAfterYes, Lang::En) => {
                "A participant that voted yes gives up waiting and aborts on its own: if the coordinator committed, the transaction is half done."
            }
            (TwoPcBug::AbortAfterYes, Lang::Zh) => {
                "已投赞成票的参与者等不到结果就自行中止：如果协调者已决定提交，事务就只完成了一半。"
            }
            (TwoPcBug::CommitOnTimeout, Lang::En) => {
                "The coordinator decides commit when its vote timeout fires, without every yes vote: a participant that never prepared is told to commit."
            }
            (TwoPcBug::CommitOnTimeout, Lang::Zh) => {
                "协调者在投票超时时直接决定提交，而没有收齐赞成票：从未准备好的参与者也被要求提交。"
            }            (TwoPcBug::VoteBeforePersist, Lang::En) => {
                "A participant sends its yes vote before \"prepared\" is on disk: a crash right after brings it back working, free to abort a transaction the coordinator may commit."
            }
            (TwoPcBug::VoteBeforePersist, Lang::Zh) => {
                "参与者在“已准备”写入磁盘之前就投出赞成票：紧接着崩溃后它以工作状态重启，可以自行中止协调者可能已提交的事务。"
            }
        }
    }
}

impl core::fmt::Display for TwoPcBug {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_distinct() {
        for bug in TwoPcBug::ALL {
            assert_eq!(TwoPcBug::parse(bug.name()), Some(bug));
            assert!(!bug.description(Lang::En).is_empty());
            assert!(!bug.description(Lang::Zh).is_empty());
        }
        assert_eq!(TwoPcBug::parse(" commit-on-timeout "), Some(TwoPcBug::CommitOnTimeout));
        assert_eq!(TwoPcBug::parse("no-such-bug"), None);
        assert_ne!(TwoPcBug::ALL[0].name(), TwoPcBug::ALL[1].name());
    }

    #[test]
    fn each_bug_breaks_one_of_the_checked_properties() {
        use ballot_core::{Checker, Cluster};
        let checked = crate::TwoPcChecker::new(Cluster::new(3)).properties();
        // The simulator checks Persist Before Send itself, for every protocol.
        let persist = ballot_core::check::PERSIST_BEFORE_SEND;
        for bug in TwoPcBug::ALL {
            let p = bug.property();
            assert!(p == persist || checked.contains(&p), "{bug}: {p}");
        }
        assert_eq!(TwoPcBug::AbortAfterYes.property(), "Atomicity");
        assert_eq!(TwoPcBug::CommitOnTimeout.property(), "Commit Validity");
    }
}
