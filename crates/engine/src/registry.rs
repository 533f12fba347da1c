//! The one list of protocols. Everything that needs "every protocol" reads it: the `ballot`
//! command (`ballot protocols`, `swarm`, `run`, `link`, `replay`), the table-driven test suite
//! (`crates/engine/tests/every_protocol.rs`), the fuzz targets, `scripts/test.sh` and the
//! playground's picker.
//!
//! Adding a protocol is one line in [`registry!`] below (plus its crate, its simulator and view
//! adapters, its engine binary and its scenarios: ARCHITECTURE.md, "Adding a protocol").

use ballot_core::Lang;
use ballot_sim::protocols::{MultiPaxos, Paxos, Raft, TwoPc, Zab};

use crate::Visual;

/// What the picker shows of a protocol before its engine is loaded.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Info {
    /// Its name on the command line, in URLs and in the DOM (`raft`); the same as
    /// [`ballot_sim::Protocol::NAME`].
    pub name: &'static str,
    /// Its title in English and Chinese.
    pub title: [&'static str; 2],
    /// One sentence about it in English and Chinese.
    pub summary: [&'static str; 2],
}

impl Info {
    /// An entry: name, `[English, Chinese]` title and summary.
    pub const fn new(name: &'static str, title: [&'static str; 2], summary: [&'static str; 2]) -> Info {
        Info { name, title, summary }
    }

    /// The title in `lang`.
    pub fn title(&self, lang: Lang) -> &'static str {
        self.title[lang as usize]
    }
    /// The summary in `lang`.
    pub fn summary(&self, lang: Lang) -> &'static str {
        self.summary[lang as usize]
    }
}

/// Something generic over the protocol, run for the protocol a name picks ([`dispatch`]).
pub trait Visitor {
    /// What it gives back.
    type Output;
    /// Runs with `P`.
    fn visit<P: Visual>(self) -> Self::Output;
}

macro_rules! registry {
    ($($p:ty),* $(,)?) => {
        /// Every protocol's [`Info`], in the picker's order.
        pub const CATALOG: &[Info] = &[$(<$p as Visual>::INFO),*];

        /// The registered names alone, in order: what an engine needs to tell "another
        /// protocol" from "no protocol", without carrying every protocol's title and summary.
        pub const NAMES: &[&str] = &[$(<$p as Visual>::INFO.name),*];

        /// Runs `visitor` with the protocol called `name` (`None` if there is none).
        pub fn dispatch<V: Visitor>(name: &str, visitor: V) -> Option<V::Output> {
            $(if name == <$p as Visual>::INFO.name {
                return Some(visitor.visit::<$p>());
            })*
            None
        }
    };
}

// The registry: one line per protocol, in the picker's order.
registry! {
    Raft,
    Paxos,
    MultiPaxos,
    TwoPc,
    Zab,
}

/// Every protocol's name, in the picker's order.
pub fn names() -> impl Iterator<Item = &'static str> {
    NAMES.iter().copied()
}

/// The catalog entry of `name`.
pub fn info(name: &str) -> Option<&'static Info> {
    CATALOG.iter().find(|i| i.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    struct Name;
    impl Visitor for Name {
        type Output = &'static str;
        fn visit<P: Visual>(self) -> &'static str {
            P::NAME
        }
    }

    #[test]
    fn names_are_unique_and_match_the_simulator_adapters() {
        let names: Vec<&str> = names().collect();
        for (i, n) in names.iter().enumerate() {
            assert!(!names[..i].contains(n), "{n} registered twice");
            assert_eq!(dispatch(n, Name), Some(*n), "Info::name and Protocol::NAME differ");
            assert!(n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{n}");
        }
        assert_eq!(dispatch("nope", Name), None);
        assert_eq!(names.first(), Some(&"raft"), "the default protocol comes first");
    }
}
