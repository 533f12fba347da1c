//! A fast, fixed 64-bit hasher for state fingerprints.
//!
//! The checker keeps one fingerprint per state instead of the state itself, so it hashes every
//! state it generates: the hasher must be cheap. `ballot_core::hash::StableHasher` (FNV-1a) works
//! a byte at a time; this one works a 64-bit word at a time. It is fixed (no random key, the same
//! on 32- and 64-bit targets: `usize` is written as `u64`), so counts and paths never depend on
//! the machine.
//!
//! A state that hashes as **one `u64` word** (a bit-packed state, as
//! [`crate::models::twophase::State`]) gets a fingerprint through a bijection of `u64`: two
//! different such states never share a fingerprint, so deduplication is exact. Larger states can
//! collide with probability about n²/2⁶⁵ for n states, as in TLC and Stateright.

use core::hash::{Hash, Hasher};

/// Word-at-a-time hasher: `h = rotl((h ^ word) * K, 29)` per word, then the MurmurHash3
/// finalizer. Each of the three steps is a bijection of `u64`.
#[derive(Clone, Debug)]
pub struct Fingerprinter {
    state: u64,
}

/// The first 64 bits of π's fraction: the initial state.
const SEED: u64 = 0x243f_6a88_85a3_08d3;
/// 2⁶⁴ / φ, odd: multiplying by it is a bijection.
const K: u64 = 0x9e37_79b9_7f4a_7c15;

impl Default for Fingerprinter {
    fn default() -> Self {
        Fingerprinter { state: SEED }
    }
}

impl Fingerprinter {
    #[inline]
    fn word(&mut self, word: u64) {
        self.state = (self.state ^ word).wrapping_mul(K).rotate_left(29);
    }
}

/// MurmurHash3's 64-bit finalizer (a bijection: xor-shifts and odd multipliers).
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    z = (z ^ (z >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    z ^ (z >> 33)
}

impl Hasher for Fingerprinter {
    #[inline]
    fn finish(&self) -> u64 {
        mix(self.state)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.word(u64::from_le_bytes(word));
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut word = [0u8; 8];
            word[..tail.len()].copy_from_slice(tail);
            // The tail's length (1..=7) in bits 59..62, above its at most 56 bits of data.
            self.word(u64::from_le_bytes(word) | ((tail.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.word(u64::from(i));
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.word(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.word(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.word(i);
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.word(i as u64);
        self.word((i >> 64) as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.word(i as u64);
    }
    #[inline]
    fn write_i8(&mut self, i: i8) {
        self.word(i as u8 as u64);
    }
    #[inline]
    fn write_i16(&mut self, i: i16) {
        self.word(i as u16 as u64);
    }
    #[inline]
    fn write_i32(&mut self, i: i32) {
        self.word(i as u32 as u64);
    }
    #[inline]
    fn write_i64(&mut self, i: i64) {
        self.word(i as u64);
    }
    #[inline]
    fn write_isize(&mut self, i: isize) {
        self.word(i as i64 as u64);
    }
}

/// The fingerprint of any `Hash` value.
#[inline]
pub fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = Fingerprinter::default();
    value.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_and_sensitive() {
        // Pinned: the same on every target and every run.
        assert_eq!(of(&0u64), 0x969c_56ef_d660_4ca3);
        assert_ne!(of(&1u64), of(&2u64));
        assert_ne!(of("ab"), of("ba"));
        assert_ne!(of(&[1u8, 2, 3][..]), of(&[1u8, 2, 3, 0][..]));
        assert_eq!(of(&7usize), of(&7u64));
    }

    #[test]
    fn one_word_states_never_collide() {
        // A bijection: distinct words give distinct fingerprints (spot-checked on a dense range,
        // single bits and their complements).
        let mut words: alloc::vec::Vec<u64> =
            (0..4096u64).chain((0..64).map(|b| 1u64 << b)).chain((0..64).map(|b| !(1u64 << b))).collect();
        words.sort_unstable();
        words.dedup();
        let mut fingerprints: alloc::vec::Vec<u64> = words.iter().map(of).collect();
        fingerprints.sort_unstable();
        fingerprints.dedup();
        assert_eq!(fingerprints.len(), words.len());
    }
}
