//! Protocol parameters and their validation.

use crate::bug::TwoPcBug;
use crate::set::NodeSet;
use ballot_core::{Duration, NodeId};
use core::fmt;

/// The parameters of one two-phase-commit cluster. All nodes of a run share one config.
///
/// The coordinator is always `S1` (see [`crate::node`]); the config says how long it waits for
/// votes, how often it repeats a decision, how often an in-doubt participant asks for the
/// outcome, and which participants vote no.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct TwoPcConfig {
    /// Shortest vote timeout. The coordinator arms its vote timer as the range
    /// `vote_timeout_min..=vote_timeout_max` when it sends Prepare; if it fires before every
    /// participant has voted yes, the transaction aborts (the spec's `TMAbort`, enabled in any
    /// state `tmState = "init"`).
    pub vote_timeout_min: Duration,
    /// Longest vote timeout (inclusive).
    pub vote_timeout_max: Duration,
    /// How often the coordinator re-sends its decision to participants that have not
    /// acknowledged it (a lost Commit or Abort is repaired this way).
    pub resend_interval: Duration,
    /// Shortest pause between two status queries of an in-doubt participant.
    pub status_interval_min: Duration,
    /// Longest pause between two status queries (inclusive).
    pub status_interval_max: Duration,
    /// Participants that answer every Prepare with a no vote (the spec's `RMChooseToAbort`).
    /// Must not contain the coordinator `S1`.
    pub no_voters: NodeSet,
    /// How many client commands the coordinator keeps waiting while a transaction is running;
    /// one more is refused.
    pub max_queued: u8,
    /// A deliberate departure from the protocol, or `None` for correct two-phase commit.
    pub bug: Option<TwoPcBug>,
}

impl Default for TwoPcConfig {
    /// 200–300 ms vote timeout, decisions re-sent every 100 ms, status queries every 150–250 ms,
    /// nobody votes no, up to 4 queued commands, no bug.
    fn default() -> Self {
        TwoPcConfig {
            vote_timeout_min: Duration::from_millis(200),
            vote_timeout_max: Duration::from_millis(300),
            resend_interval: Duration::from_millis(100),
            status_interval_min: Duration::from_millis(150),
            status_interval_max: Duration::from_millis(250),
            no_voters: NodeSet::EMPTY,
            max_queued: 4,
            bug: None,
        }
    }
}

/// Why a [`TwoPcConfig`] was refused by [`TwoPcConfig::validate`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ConfigError {
    /// `vote_timeout_min` is greater than `vote_timeout_max`.
    VoteRangeInverted,
    /// `vote_timeout_min` is zero: the coordinator would abort before any vote could arrive.
    ZeroVoteTimeout,
    /// `resend_interval` is zero: the coordinator would re-send without letting time pass.
    ZeroResend,
    /// `status_interval_min` is greater than `status_interval_max`.
    StatusRangeInverted,
    /// `status_interval_min` is zero: a participant would query without letting time pass.
    ZeroStatusInterval,
    /// `no_voters` contains `S1`, the coordinator, which does not vote.
    CoordinatorCannotVote,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConfigError::VoteRangeInverted => "vote timeout minimum is greater than its maximum",
            ConfigError::ZeroVoteTimeout => "vote timeout must be positive",
            ConfigError::ZeroResend => "resend interval must be positive",
            ConfigError::StatusRangeInverted => "status interval minimum is greater than its maximum",
            ConfigError::ZeroStatusInterval => "status interval must be positive",
            ConfigError::CoordinatorCannotVote => "S1 is the coordinator: it does not vote",
        })
    }
}

impl TwoPcConfig {
    /// Checks the parameters make sense: ranges not inverted, nothing zero, `S1` not a no-voter.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.vote_timeout_min > self.vote_timeout_max {
            return Err(ConfigError::VoteRangeInverted);
        }
        if self.vote_timeout_min == Duration::ZERO {
            return Err(ConfigError::ZeroVoteTimeout);
        }
        if self.resend_interval == Duration::ZERO {
            return Err(ConfigError::ZeroResend);
        }
        if self.status_interval_min > self.status_interval_max {
            return Err(ConfigError::StatusRangeInverted);
        }
        if self.status_interval_min == Duration::ZERO {
            return Err(ConfigError::ZeroStatusInterval);
        }
        if self.no_voters.contains(NodeId(1)) {
            return Err(ConfigError::CoordinatorCannotVote);
        }
        Ok(())
    }

    /// Whether participant `id` votes no.
    pub fn votes_no(&self, id: NodeId) -> bool {
        self.no_voters.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_each_error_is_reported() {
        let ok = TwoPcConfig::default();
        assert_eq!(ok.validate(), Ok(()));
        assert!(!ok.votes_no(NodeId(3)));

        let mut c = ok.clone();
        c.vote_timeout_min = Duration::from_millis(400);
        assert_eq!(c.validate(), Err(ConfigError::VoteRangeInverted));

        let mut c = ok.clone();
        c.vote_timeout_min = Duration::ZERO;
        assert_eq!(c.validate(), Err(ConfigError::ZeroVoteTimeout));

        let mut c = ok.clone();
        c.resend_interval = Duration::ZERO;
        assert_eq!(c.validate(), Err(ConfigError::ZeroResend));

        let mut c = ok.clone();
        c.status_interval_max = Duration::from_millis(1);
        assert_eq!(c.validate(), Err(ConfigError::StatusRangeInverted));

        let mut c = ok.clone();
        c.status_interval_min = Duration::ZERO;
        assert_eq!(c.validate(), Err(ConfigError::ZeroStatusInterval));

        let mut c = ok;
        c.no_voters.insert(NodeId(3));
        assert!(c.votes_no(NodeId(3)));
        assert_eq!(c.validate(), Ok(()));
        c.no_voters.insert(NodeId(1));
        assert_eq!(c.validate(), Err(ConfigError::CoordinatorCannotVote));
    }
}
