//! Deliberately broken variants of Paxos, each a one-line departure from "Paxos Made Simple"
//! that a safety property is shown to catch. They apply to both [`crate::basic`] and
//! [`crate::multi`].

use ballot_core::Lang;

/// One deliberate departure from the algorithm.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum PaxosBug {
    /// The proposer (Multi-Paxos: a new leader) ignores the accepted values reported in the
    /// promises and proposes its own value (Multi-Paxos: a no-op). Phase 2(a) says the value must
    /// be "the value of the highest-numbered proposal among the responses"; without it a second
    /// proposer overwrites a value that was already chosen. Caught by **Agreement**.
    /// Reference: Paxos Made Simple §2.2, P2c.
    IgnorePromisedValues,
    /// Acceptors accept any accept request, even one numbered below a prepare request they
    /// promised to honour. Caught by **Promise Respected** (and, eventually, Agreement).
    /// Reference: Paxos Made Simple §2.2, P1a.
    AcceptBelowPromise,
    /// An acceptor sends its Promise before the promised ballot is on stable storage: it raises
    /// the promise in memory only, and the ballot reaches the disk with the next durable change.
    /// A crash before that forgets the promise, and the restarted acceptor may accept a proposal
    /// numbered below it. Caught by **Persist Before Send** (the simulator's check of the
    /// ordering contract). Reference: Paxos Made Simple §2.3 ("an acceptor must remember this
    /// information even if it fails and then restarts").
    PromiseBeforePersist,
}

impl PaxosBug {
    /// Every variant, in a fixed order (for menus and `--bug` help).
    pub const ALL: [PaxosBug; 3] =
        [PaxosBug::IgnorePromisedValues, PaxosBug::AcceptBelowPromise, PaxosBug::PromiseBeforePersist];

    /// The kebab-case name used on the command line, in scenarios and in share links.
    pub fn name(self) -> &'static str {
        match self {
            PaxosBug::IgnorePromisedValues => "ignore-promised-values",
            PaxosBug::AcceptBelowPromise => "accept-below-promise",
            PaxosBug::PromiseBeforePersist => "promise-before-persist",
        }
    }

    /// The variant named `name` (as given by [`PaxosBug::name`]), if any.
    pub fn parse(name: &str) -> Option<PaxosBug> {
        let name = name.trim();
        PaxosBug::ALL.into_iter().find(|bug| bug.name() == name)
    }

    /// The safety property this variant exists to break, in both [`crate::basic::safety`] and
    /// [`crate::multi::safety`]: the first one its scenarios expect to be violated and the one
    /// the seed swarm catches it by.
    pub fn property(self) -> &'static str {
        use crate::basic::safety::{AGREEMENT, PROMISE_RESPECTED};
        match self {
            PaxosBug::IgnorePromisedValues => AGREEMENT,
            PaxosBug::AcceptBelowPromise => PROMISE_RESPECTED,
            PaxosBug::PromiseBeforePersist => ballot_core::check::PERSIST_BEFORE_SEND,
        }
    }

    /// One sentence for the playground's bug menu.
    pub fn description(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PaxosBug::IgnorePromisedValues, Lang::En) => {
                "Proposers ignore the values reported in promises and propose their own (§2.2, P2c): a second value can be chosen."
            }
            (PaxosBug::IgnorePromisedValues, Lang::Zh) => {
                "提议者忽略承诺中报告的已接受值，只提议自己的值（§2.2，P2c）：可能选出第二个值。"
            }
            (PaxosBug::AcceptBelowPromise, Lang::En) => {
                "Acceptors accept proposals numbered below their promise (§2.2, P1a): a promise no longer protects anything."
            }
            (PaxosBug::AcceptBelowPromise, Lang::Zh) => {
                "接受者会接受编号低于其承诺的提案（§2.2，P1a）：承诺不再保护任何东西。"
            }
            (PaxosBug::PromiseBeforePersist, Lang::En) => {
                "Acceptors send a promise before it is on disk (§2.3): a crash right after forgets it, and a lower-numbered proposal can be accepted."
            }
            (PaxosBug::PromiseBeforePersist, Lang::Zh) => {
                "接受者在承诺写入磁盘之前就发出承诺（§2.3）：紧接着崩溃会忘掉它，编号更低的提案又能被接受。"
            }
        }
    }
}

impl core::fmt::Display for PaxosBug {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_described() {
        for bug in PaxosBug::ALL {
            assert_eq!(PaxosBug::parse(bug.name()), Some(bug));
            assert!(!bug.description(Lang::En).is_empty());
            assert!(!bug.description(Lang::Zh).is_empty());
        }
        assert_eq!(PaxosBug::parse("no-such-bug"), None);
    }

    #[test]
    fn each_bug_breaks_a_property_both_checkers_check() {
        use ballot_core::{Checker, Cluster};
        let basic = crate::basic::PaxosChecker::new(Cluster::new(3));
        let multi = crate::multi::MultiPaxosChecker::new(Cluster::new(3));
        // The simulator checks Persist Before Send itself, for every protocol.
        let persist = ballot_core::check::PERSIST_BEFORE_SEND;
        for bug in PaxosBug::ALL {
            let p = bug.property();
            assert!(p == persist || basic.properties().contains(&p), "{bug}: {p}");
            assert!(p == persist || multi.properties().contains(&p), "{bug}: {p}");
        }
        assert_eq!(PaxosBug::IgnorePromisedValues.property(), "Agreement");
        assert_eq!(PaxosBug::AcceptBelowPromise.property(), "Promise Respected");
    }
}
