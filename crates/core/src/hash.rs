//! A fixed, portable hasher for fingerprints and log chains.
//!
//! `core::hash::Hasher` implementations in `std` are randomly keyed or may change between Rust
//! versions; fingerprints that a share link, a native test and the browser compare must not.
//! FNV-1a 64 over the bytes `Hash` feeds it is fixed, tiny and good enough to detect divergence.

use core::hash::{Hash, Hasher};

/// FNV-1a, 64 bit. `usize` is written as `u64` so 32- and 64-bit targets agree.
#[derive(Clone, Debug)]
pub struct StableHasher {
    state: u64,
}

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher { state: OFFSET }
    }
}

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        // A final avalanche so that nearby inputs give distant outputs.
        let mut z = self.state;
        z = (z ^ (z >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        z = (z ^ (z >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        z ^ (z >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.state ^= u64::from(b);
            self.state = self.state.wrapping_mul(PRIME);
        }
    }

    fn write_usize(&mut self, i: usize) {
        self.write(&(i as u64).to_le_bytes());
    }

    fn write_isize(&mut self, i: isize) {
        self.write(&(i as i64).to_le_bytes());
    }
}

/// A field that holds nothing and hashes as `false`. It stands, last, where Raft's, Paxos's and
/// Multi-Paxos's nodes kept an `unpersisted` flag (always false between steps) before the
/// outbox owned the dirty flag: with it a node can derive `Hash` and still hash as it did, so
/// world fingerprints, and the share links and scenarios that pin them, stay what they were.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Default)]
pub struct RetiredFalse;

impl Hash for RetiredFalse {
    fn hash<H: Hasher>(&self, state: &mut H) {
        false.hash(state);
    }
}

/// The stable 64-bit hash of any `Hash` value.
pub fn stable_hash<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = StableHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// One link of a hash chain: the digest of a log prefix extended by one entry. Two logs whose
/// chains agree at an index agree on every entry up to it (barring a 64-bit collision).
pub fn chain(previous: u64, entry_digest: u64) -> u64 {
    let mut h = StableHasher::default();
    h.write_u64(previous);
    h.write_u64(entry_digest);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_sensitive() {
        assert_eq!(stable_hash(&(1u8, "x")), stable_hash(&(1u8, "x")));
        assert_ne!(stable_hash(&1u64), stable_hash(&2u64));
        assert_ne!(chain(0, 1), chain(1, 0));
        // Pinned value: fingerprints in share links depend on it.
        assert_eq!(stable_hash(&0u64), 0x7bd3_144f_29c0_cc9e);
    }
}
