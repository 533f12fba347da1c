//! Protocol parameters and their validation.

use crate::bug::RaftBug;
use ballot_core::Duration;
use core::fmt;

/// The parameters of one Raft cluster. All nodes of a run share one config.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct RaftConfig {
    /// Shortest election timeout. The election timer is requested as the range
    /// `election_timeout_min..=election_timeout_max` and the driver picks the instant: the
    /// randomisation of §5.2 lives outside the node. Reference: §5.2, §9.3.
    pub election_timeout_min: Duration,
    /// Longest election timeout (inclusive).
    pub election_timeout_max: Duration,
    /// How often an idle leader sends (empty) AppendEntries to keep its followers from timing
    /// out. Must be below `election_timeout_min`. Reference: §5.2 ("broadcastTime ≪
    /// electionTimeout", §5.6).
    pub heartbeat_interval: Duration,
    /// Most log entries a leader puts into one AppendEntries.
    pub max_entries_per_append: u32,
    /// A deliberate departure from Figure 2, or `None` for correct Raft.
    pub bug: Option<RaftBug>,
}

impl Default for RaftConfig {
    /// 150–300 ms election timeouts (the paper's suggestion, §9.3), a 50 ms heartbeat, up to 16
    /// entries per AppendEntries, no bug.
    fn default() -> Self {
        RaftConfig {
            election_timeout_min: Duration::from_millis(150),
            election_timeout_max: Duration::from_millis(300),
            heartbeat_interval: Duration::from_millis(50),
            max_entries_per_append: 16,
            bug: None,
        }
    }
}

/// Why a [`RaftConfig`] was refused by [`RaftConfig::validate`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ConfigError {
    /// `election_timeout_min` is greater than `election_timeout_max`.
    ElectionRangeInverted,
    /// The heartbeat interval is zero: a leader would never let time pass.
    ZeroHeartbeat,
    /// `heartbeat_interval >= election_timeout_min`: followers would time out between two
    /// heartbeats of a healthy leader.
    HeartbeatNotBelowElection,
    /// `max_entries_per_append` is zero: no entry could ever be replicated.
    NoEntriesPerAppend,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConfigError::ElectionRangeInverted => "election timeout minimum is greater than its maximum",
            ConfigError::ZeroHeartbeat => "heartbeat interval must be positive",
            ConfigError::HeartbeatNotBelowElection => {
                "heartbeat interval must be below the election timeout minimum"
            }
            ConfigError::NoEntriesPerAppend => "max entries per append must be at least 1",
        })
    }
}

impl RaftConfig {
    /// Checks the parameters make sense together: `min <= max`, `0 < heartbeat < min`,
    /// `max_entries_per_append >= 1`.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.election_timeout_min > self.election_timeout_max {
            return Err(ConfigError::ElectionRangeInverted);
        }
        if self.heartbeat_interval == Duration::ZERO {
            return Err(ConfigError::ZeroHeartbeat);
        }
        if self.heartbeat_interval >= self.election_timeout_min {
            return Err(ConfigError::HeartbeatNotBelowElection);
        }
        if self.max_entries_per_append == 0 {
            return Err(ConfigError::NoEntriesPerAppend);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_each_error_is_reported() {
        let ok = RaftConfig::default();
        assert_eq!(ok.validate(), Ok(()));
        assert_eq!(ok.max_entries_per_append, 16);

        let mut c = ok.clone();
        c.election_timeout_min = Duration::from_millis(400);
        assert_eq!(c.validate(), Err(ConfigError::ElectionRangeInverted));

        let mut c = ok.clone();
        c.heartbeat_interval = Duration::from_millis(150);
        assert_eq!(c.validate(), Err(ConfigError::HeartbeatNotBelowElection));

        let mut c = ok.clone();
        c.heartbeat_interval = Duration::ZERO;
        assert_eq!(c.validate(), Err(ConfigError::ZeroHeartbeat));

        let mut c = ok;
        c.max_entries_per_append = 0;
        assert_eq!(c.validate(), Err(ConfigError::NoEntriesPerAppend));
    }
}
