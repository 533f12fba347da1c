//! Multi-Paxos parameters and their validation.

use crate::bug::PaxosBug;
use ballot_core::Duration;
use core::fmt;

/// The parameters of one Multi-Paxos cluster. All nodes of a run share one config.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct MultiPaxosConfig {
    /// Shortest leader timeout: a node that hears nothing from a leader (with a ballot at least
    /// its promise) for this long runs phase 1. The timer is requested as the range
    /// `election_timeout_min..=election_timeout_max`; the driver picks the instant.
    pub election_timeout_min: Duration,
    /// Longest leader timeout (inclusive).
    pub election_timeout_max: Duration,
    /// How often a leader sends heartbeats (which carry its chosen prefix) and re-sends accept
    /// requests still unanswered. Must be below `election_timeout_min`.
    pub heartbeat_interval: Duration,
    /// Most chosen values in one catch-up Decide message.
    pub max_values_per_decide: u32,
    /// Most slots a new leader re-proposes at once while recovering (the rest follow as those
    /// are chosen): recovery is pipelined, not one burst.
    pub max_recovery_in_flight: u32,
    /// A deliberate departure from the algorithm, or `None` for correct Multi-Paxos.
    pub bug: Option<PaxosBug>,
}

impl Default for MultiPaxosConfig {
    /// 150–300 ms leader timeouts, a 50 ms heartbeat, 16 values per Decide, 32 re-proposals in
    /// flight, no bug.
    fn default() -> Self {
        MultiPaxosConfig {
            election_timeout_min: Duration::from_millis(150),
            election_timeout_max: Duration::from_millis(300),
            heartbeat_interval: Duration::from_millis(50),
            max_values_per_decide: 16,
            max_recovery_in_flight: 32,
            bug: None,
        }
    }
}

/// Why a [`MultiPaxosConfig`] was refused by [`MultiPaxosConfig::validate`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ConfigError {
    /// `election_timeout_min` is greater than `election_timeout_max`.
    ElectionRangeInverted,
    /// The heartbeat interval is zero.
    ZeroHeartbeat,
    /// `heartbeat_interval >= election_timeout_min`: followers would time out between two
    /// heartbeats of a healthy leader.
    HeartbeatNotBelowElection,
    /// `max_values_per_decide` or `max_recovery_in_flight` is zero.
    ZeroBatch,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConfigError::ElectionRangeInverted => "election timeout minimum is greater than its maximum",
            ConfigError::ZeroHeartbeat => "heartbeat interval must be positive",
            ConfigError::HeartbeatNotBelowElection => {
                "heartbeat interval must be below the election timeout minimum"
            }
            ConfigError::ZeroBatch => "batch sizes must be at least 1",
        })
    }
}

impl MultiPaxosConfig {
    /// Checks the parameters make sense together.
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
        if self.max_values_per_decide == 0 || self.max_recovery_in_flight == 0 {
            return Err(ConfigError::ZeroBatch);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_each_error_is_reported() {
        let ok = MultiPaxosConfig::default();
        assert_eq!(ok.validate(), Ok(()));
        let c = MultiPaxosConfig { election_timeout_min: Duration::from_secs(1), ..ok.clone() };
        assert_eq!(c.validate(), Err(ConfigError::ElectionRangeInverted));
        let c = MultiPaxosConfig { heartbeat_interval: Duration::ZERO, ..ok.clone() };
        assert_eq!(c.validate(), Err(ConfigError::ZeroHeartbeat));
        let c = MultiPaxosConfig { heartbeat_interval: Duration::from_millis(150), ..ok.clone() };
        assert_eq!(c.validate(), Err(ConfigError::HeartbeatNotBelowElection));
        let c = MultiPaxosConfig { max_values_per_decide: 0, ..ok };
        assert_eq!(c.validate(), Err(ConfigError::ZeroBatch));
    }
}
