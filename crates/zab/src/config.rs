//! Protocol parameters and their validation.

use crate::bug::ZabBug;
use ballot_core::Duration;
use core::fmt;

/// The parameters of one Zab ensemble. All servers of a run share one config.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ZabConfig {
    /// Shortest timeout: how long a looking server waits before it starts a new election round,
    /// a follower waits for its leader, and a leader waits to hear from a quorum (ZooKeeper's
    /// `initLimit`/`syncLimit` ticks). The driver picks the instant in `timeout_min..=timeout_max`.
    pub timeout_min: Duration,
    /// Longest timeout (inclusive).
    pub timeout_max: Duration,
    /// How often a leader sends COMMIT as a heartbeat and resends what a follower misses. Must
    /// be below `timeout_min`.
    pub heartbeat_interval: Duration,
    /// Most proposals a leader resends to one follower per heartbeat.
    pub max_resend: u32,
    /// A deliberate departure from the protocol, or `None` for correct Zab.
    pub bug: Option<ZabBug>,
}

impl Default for ZabConfig {
    /// 150–300 ms timeouts, a 50 ms heartbeat, up to 8 proposals resent per heartbeat, no bug.
    fn default() -> Self {
        ZabConfig {
            timeout_min: Duration::from_millis(150),
            timeout_max: Duration::from_millis(300),
            heartbeat_interval: Duration::from_millis(50),
            max_resend: 8,
            bug: None,
        }
    }
}

/// Why a [`ZabConfig`] was refused by [`ZabConfig::validate`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ConfigError {
    /// `timeout_min` is greater than `timeout_max`.
    TimeoutRangeInverted,
    /// The heartbeat is zero or not below `timeout_min`.
    BadHeartbeat,
    /// `max_resend` is zero.
    NoResend,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConfigError::TimeoutRangeInverted => "timeout minimum is greater than its maximum",
            ConfigError::BadHeartbeat => "heartbeat interval must be positive and below the timeout minimum",
            ConfigError::NoResend => "max resend must be at least 1",
        })
    }
}

impl ZabConfig {
    /// Checks the parameters make sense together.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.timeout_min > self.timeout_max {
            return Err(ConfigError::TimeoutRangeInverted);
        }
        if self.heartbeat_interval == Duration::ZERO || self.heartbeat_interval >= self.timeout_min {
            return Err(ConfigError::BadHeartbeat);
        }
        if self.max_resend == 0 {
            return Err(ConfigError::NoResend);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_errors_are_reported() {
        let ok = ZabConfig::default();
        assert_eq!(ok.validate(), Ok(()));
        let mut c = ok.clone();
        c.timeout_min = Duration::from_millis(400);
        assert_eq!(c.validate(), Err(ConfigError::TimeoutRangeInverted));
        let mut c = ok.clone();
        c.heartbeat_interval = Duration::from_millis(150);
        assert_eq!(c.validate(), Err(ConfigError::BadHeartbeat));
        let mut c = ok;
        c.max_resend = 0;
        assert_eq!(c.validate(), Err(ConfigError::NoResend));
    }
}
