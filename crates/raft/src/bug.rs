//! Deliberately broken variants of Raft, each a one-line departure from Figure 2 that one of the
//! safety properties in [`crate::safety`] is shown to catch.
//!
//! A bug is switched on through [`crate::RaftConfig::bug`]; with `None` the node follows Figure 2
//! exactly.

use ballot_core::Lang;

/// One deliberate departure from Figure 2.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum RaftBug {
    /// Grant votes without the "candidate's log is at least as up-to-date as receiver's log"
    /// check of the RequestVote receiver (rule 2). A candidate with a stale log can then win and
    /// overwrite committed entries. Caught by Leader Completeness. Reference: §5.4.1.
    VoteWithoutLogCheck,
    /// A leader commits any index stored on a majority, forgetting the condition
    /// `log[N].term == currentTerm`. Figure 8 of the paper shows how such an "committed" entry is
    /// later overwritten. Caught by Leader Completeness (then State Machine Safety).
    /// Reference: §5.4.2.
    CommitPreviousTerm,
    /// `votedFor` is not restored after a crash, so a node that voted in a term can vote again, for
    /// another candidate, in the same term: two leaders in one term. Figure 2 lists `votedFor`
    /// under "Persistent state on all servers". Caught by Election Safety. Reference: §5.2,
    /// Figure 2.
    ForgetVoteOnRestart,
    /// A follower skips the AppendEntries consistency check (receiver rule 2): when its entry at
    /// `prevLogIndex` has another term, it keeps it and appends the leader's entries after it.
    /// Two logs then hold the same (index, term) entry after different prefixes. Caught by Log
    /// Matching. Reference: §5.3.
    SkipConsistencyCheck,
    /// A leader whose AppendEntries is rejected thinks *it* diverged and deletes its own entries
    /// from `prevLogIndex` on (keeping committed ones). Leaders never delete or overwrite their
    /// entries. Caught by Leader Append-Only. Reference: §5.3, Figure 3.
    LeaderTruncatesOnReject,
    /// A voter sends its granted RequestVote reply before `votedFor` is on stable storage: it
    /// records the vote in memory after the reply left, and the vote reaches the disk only with
    /// the next durable change. Figure 2: persistent state is "updated on stable storage before
    /// responding to RPCs". Caught by Persist Before Send at once; a crash right after the
    /// vote restores the old `votedFor`, and the restarted voter can vote again in the same term
    /// (Election Safety, `scenarios/raft/vote-before-persist.scn`). Reference: Figure 2, §5.2.
    VoteBeforePersist,
}

impl RaftBug {
    /// Every variant, in a fixed order (for menus and `--bug` help).
    pub const ALL: [RaftBug; 6] = [
        RaftBug::VoteWithoutLogCheck,
        RaftBug::CommitPreviousTerm,
        RaftBug::ForgetVoteOnRestart,
        RaftBug::SkipConsistencyCheck,
        RaftBug::LeaderTruncatesOnReject,
        RaftBug::VoteBeforePersist,
    ];

    /// The kebab-case name used on the command line, in scenarios and in share links.
    pub fn name(self) -> &'static str {
        match self {
            RaftBug::VoteWithoutLogCheck => "vote-without-log-check",
            RaftBug::CommitPreviousTerm => "commit-previous-term",
            RaftBug::ForgetVoteOnRestart => "forget-vote-on-restart",
            RaftBug::SkipConsistencyCheck => "skip-consistency-check",
            RaftBug::LeaderTruncatesOnReject => "leader-truncates-on-reject",
            RaftBug::VoteBeforePersist => "vote-before-persist",
        }
    }

    /// The variant named `name` (as given by [`RaftBug::name`]), if any.
    pub fn parse(name: &str) -> Option<RaftBug> {
        let name = name.trim();
        RaftBug::ALL.into_iter().find(|bug| bug.name() == name)
    }

    /// The safety property ([`crate::safety`], or the driver's Persist Before Send) this variant
    /// exists to break: the first one its scenario expects to be violated and the one the seed
    /// swarm catches it by.
    pub fn property(self) -> &'static str {
        use crate::safety::{ELECTION_SAFETY, LEADER_APPEND_ONLY, LEADER_COMPLETENESS, LOG_MATCHING};
        match self {
            RaftBug::VoteWithoutLogCheck | RaftBug::CommitPreviousTerm => LEADER_COMPLETENESS,
            RaftBug::ForgetVoteOnRestart => ELECTION_SAFETY,
            RaftBug::SkipConsistencyCheck => LOG_MATCHING,
            RaftBug::LeaderTruncatesOnReject => LEADER_APPEND_ONLY,
            RaftBug::VoteBeforePersist => ballot_core::check::PERSIST_BEFORE_SEND,
        }
    }

    /// One sentence for the playground's bug menu.
    pub fn description(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RaftBug::VoteWithoutLogCheck, Lang::En) => {
                "Voters skip the up-to-date log check (§5.4.1): a candidate missing committed entries can win and erase them."
            }
            (RaftBug::VoteWithoutLogCheck, Lang::Zh) => {
                "投票者跳过“日志至少一样新”的检查（§5.4.1）：缺少已提交条目的候选者也能当选并抹掉它们。"
            }
            (RaftBug::CommitPreviousTerm, Lang::En) => {
                "Leaders commit entries of earlier terms by counting replicas (the Figure 8 bug, §5.4.2): a \"committed\" entry can be overwritten."
            }
            (RaftBug::CommitPreviousTerm, Lang::Zh) => {
                "领导者靠数副本来提交先前任期的条目（图 8 的错误，§5.4.2）：“已提交”的条目可能被覆盖。"
            }
            (RaftBug::ForgetVoteOnRestart, Lang::En) => {
                "votedFor is lost in a crash: a restarted node can vote twice in one term, electing two leaders."
            }
            (RaftBug::ForgetVoteOnRestart, Lang::Zh) => {
                "崩溃会丢失 votedFor：重启的节点可以在同一任期投两次票，选出两个领导者。"
            }
            (RaftBug::SkipConsistencyCheck, Lang::En) => {
                "Followers skip the prevLogIndex/prevLogTerm check (§5.3): logs with different histories end up sharing entries."
            }
            (RaftBug::SkipConsistencyCheck, Lang::Zh) => {
                "跟随者跳过 prevLogIndex/prevLogTerm 一致性检查（§5.3）：历史不同的日志会共享同一条目。"
            }
            (RaftBug::LeaderTruncatesOnReject, Lang::En) => {
                "A leader whose AppendEntries is rejected deletes its own uncommitted entries: leaders must only append."
            }
            (RaftBug::LeaderTruncatesOnReject, Lang::Zh) => {
                "AppendEntries 被拒绝时，领导者删除自己未提交的条目：领导者只能追加日志。"
            }
            (RaftBug::VoteBeforePersist, Lang::En) => {
                "Voters grant a vote before votedFor is on disk: a crash right after forgets it, and the voter can vote twice in one term."
            }
            (RaftBug::VoteBeforePersist, Lang::Zh) => {
                "投票者在 votedFor 写入磁盘之前就投出选票：紧接着崩溃会忘掉这张票，同一任期里它可以再投一次。"
            }
        }
    }
}

impl core::fmt::Display for RaftBug {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_distinct() {
        for bug in RaftBug::ALL {
            assert_eq!(RaftBug::parse(bug.name()), Some(bug));
            assert!(!bug.description(Lang::En).is_empty());
            assert!(!bug.description(Lang::Zh).is_empty());
        }
        assert_eq!(RaftBug::parse("commit-previous-term"), Some(RaftBug::CommitPreviousTerm));
        assert_eq!(RaftBug::parse("no-such-bug"), None);
    }

    #[test]
    fn each_bug_breaks_one_of_the_checked_properties() {
        use ballot_core::{Checker, Cluster};
        let checked = crate::RaftChecker::new(Cluster::new(3)).properties();
        // The simulator checks Persist Before Send itself, for every protocol.
        let persist = ballot_core::check::PERSIST_BEFORE_SEND;
        for bug in RaftBug::ALL {
            let p = bug.property();
            assert!(p == persist || checked.contains(&p), "{bug}: {p}");
        }
        assert_eq!(
            RaftBug::ALL.map(RaftBug::property),
            [
                "Leader Completeness",
                "Leader Completeness",
                "Election Safety",
                "Log Matching",
                "Leader Append-Only",
                "Persist Before Send"
            ]
        );
    }
}
