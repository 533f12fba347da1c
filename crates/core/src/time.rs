//! Virtual time. Nothing in Ballot's core reads a clock: the simulator owns "now" and passes it in.
//!
//! Both types count **microseconds** in a `u64` (the same on 32-bit wasm), which is finer than the
//! millisecond resolution the playground shows and lasts for half a million years.

use core::fmt;
use core::ops::{Add, Sub};

/// A point in virtual time, measured from the start of a run.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Instant {
    /// Microseconds since the run started.
    pub micros: u64,
}

/// A span of virtual time.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Duration {
    /// Length in microseconds.
    pub micros: u64,
}

impl Instant {
    /// The start of every run.
    pub const ZERO: Instant = Instant { micros: 0 };

    /// `ms` milliseconds after the start.
    pub const fn from_millis(ms: u64) -> Instant {
        Instant { micros: ms * 1000 }
    }

    /// Whole milliseconds since the start (rounded down).
    pub const fn as_millis(self) -> u64 {
        self.micros / 1000
    }

    /// Time elapsed since `earlier`, or zero if `earlier` is later.
    pub fn saturating_since(self, earlier: Instant) -> Duration {
        Duration { micros: self.micros.saturating_sub(earlier.micros) }
    }
}

impl Duration {
    /// No time at all.
    pub const ZERO: Duration = Duration { micros: 0 };

    /// A duration of `ms` milliseconds.
    pub const fn from_millis(ms: u64) -> Duration {
        Duration { micros: ms * 1000 }
    }

    /// A duration of `s` seconds.
    pub const fn from_secs(s: u64) -> Duration {
        Duration { micros: s * 1_000_000 }
    }

    /// Whole milliseconds (rounded down).
    pub const fn as_millis(self) -> u64 {
        self.micros / 1000
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        Instant { micros: self.micros.saturating_add(d.micros) }
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;
    fn sub(self, other: Instant) -> Duration {
        self.saturating_since(other)
    }
}

impl Add for Duration {
    type Output = Duration;
    fn add(self, d: Duration) -> Duration {
        Duration { micros: self.micros.saturating_add(d.micros) }
    }
}

fn fmt_micros(f: &mut fmt::Formatter<'_>, micros: u64) -> fmt::Result {
    if micros % 1000 == 0 {
        write!(f, "{}ms", micros / 1000)
    } else {
        write!(f, "{}.{:03}ms", micros / 1000, micros % 1000)
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_micros(f, self.micros)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_micros(f, self.micros)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn arithmetic_saturates_and_displays_in_ms() {
        let t = Instant::from_millis(150) + Duration::from_millis(50);
        assert_eq!(t.as_millis(), 200);
        assert_eq!(Instant::ZERO - t, Duration::ZERO);
        assert_eq!(format!("{}", t), "200ms");
        assert_eq!(format!("{}", Duration { micros: 1500 }), "1.500ms");
    }
}
