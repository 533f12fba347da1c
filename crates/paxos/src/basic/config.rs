//! Basic Paxos parameters and their validation.

use crate::bug::PaxosBug;
use ballot_core::Duration;
use core::fmt;

/// The parameters of one Basic Paxos cluster. All nodes of a run share one config.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct PaxosConfig {
    /// How long a proposer waits for a round (both phases) to succeed before it gives up on it
    /// and backs off: lost messages and silent acceptors end here. Exact (not a range).
    pub round_timeout: Duration,
    /// Shortest pause between a failed round and the next one.
    pub retry_delay_min: Duration,
    /// Longest pause between a failed round and the next one (inclusive).
    pub retry_delay_max: Duration,
    /// Randomised back-off: the retry timer is requested as the range
    /// `retry_delay_min..=retry_delay_max` and the driver picks the instant. Without it the
    /// pause is exactly `retry_delay_min`, and two proposers that keep pre-empting each other
    /// can do so forever — the livelock of Paxos Made Simple §2.4 ("it's easy to construct a
    /// scenario in which two proposers each keep issuing a sequence of proposals with
    /// increasing numbers, none of which are ever chosen").
    pub backoff: bool,
    /// A deliberate departure from the algorithm, or `None` for correct Paxos.
    pub bug: Option<PaxosBug>,
}

impl Default for PaxosConfig {
    /// A 300 ms round timeout, a 20–200 ms randomised back-off, no bug.
    fn default() -> Self {
        PaxosConfig {
            round_timeout: Duration::from_millis(300),
            retry_delay_min: Duration::from_millis(20),
            retry_delay_max: Duration::from_millis(200),
            backoff: true,
            bug: None,
        }
    }
}

/// Why a [`PaxosConfig`] was refused by [`PaxosConfig::validate`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ConfigError {
    /// `retry_delay_min` is greater than `retry_delay_max`.
    RetryRangeInverted,
    /// The round timeout is zero: no round could ever finish.
    ZeroRoundTimeout,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConfigError::RetryRangeInverted => "retry delay minimum is greater than its maximum",
            ConfigError::ZeroRoundTimeout => "round timeout must be positive",
        })
    }
}

impl PaxosConfig {
    /// Checks the parameters make sense together.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.retry_delay_min > self.retry_delay_max {
            return Err(ConfigError::RetryRangeInverted);
        }
        if self.round_timeout == Duration::ZERO {
            return Err(ConfigError::ZeroRoundTimeout);
        }
        Ok(())
    }

    /// The range the retry timer is requested in: `min..=max` with back-off, exactly `min`
    /// without.
    pub fn retry_range(&self) -> (Duration, Duration) {
        if self.backoff {
            (self.retry_delay_min, self.retry_delay_max)
        } else {
            (self.retry_delay_min, self.retry_delay_min)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_each_error_is_reported() {
        let ok = PaxosConfig::default();
        assert_eq!(ok.validate(), Ok(()));
        assert_eq!(ok.retry_range(), (Duration::from_millis(20), Duration::from_millis(200)));
        let fixed = PaxosConfig { backoff: false, ..ok.clone() };
        assert_eq!(fixed.retry_range(), (Duration::from_millis(20), Duration::from_millis(20)));
        let c = PaxosConfig { retry_delay_min: Duration::from_secs(1), ..ok.clone() };
        assert_eq!(c.validate(), Err(ConfigError::RetryRangeInverted));
        let c = PaxosConfig { round_timeout: Duration::ZERO, ..ok };
        assert_eq!(c.validate(), Err(ConfigError::ZeroRoundTimeout));
    }
}
