//! The one seeded pseudo-random generator of Ballot.
//!
//! The algorithm is fixed forever (xoshiro256\*\* seeded through SplitMix64) so that a seed means
//! the same run on every machine, in the browser and natively. The API is integer-only: no floats,
//! no `usize`. Protocol nodes never hold one: only the simulator draws.

/// xoshiro256\*\* (Blackman & Vigna), seeded with SplitMix64.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Prng {
    s: [u64; 4],
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Prng {
    /// A generator whose whole future is determined by `seed`.
    pub fn new(seed: u64) -> Prng {
        let mut sm = seed;
        let s = [splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm)];
        Prng { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A uniform integer in `0..bound` (Lemire's multiply-shift with rejection). `bound` must be > 0.
    pub fn below(&mut self, bound: u64) -> u64 {
        assert!(bound > 0, "Prng::below(0)");
        loop {
            let x = self.next_u64();
            let m = u128::from(x) * u128::from(bound);
            let low = m as u64;
            if low >= bound.wrapping_neg() % bound {
                return (m >> 64) as u64;
            }
        }
    }

    /// A uniform integer in `lo..=hi` (returns `lo` when `hi <= lo`).
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        match (hi - lo).checked_add(1) {
            Some(span) => lo + self.below(span),
            None => self.next_u64(),
        }
    }

    /// True with probability `numerator / denominator` (false when the numerator is 0).
    pub fn chance(&mut self, numerator: u64, denominator: u64) -> bool {
        numerator > 0 && denominator > 0 && self.below(denominator) < numerator
    }

    /// A new generator for an independent stream, derived from this one.
    pub fn fork(&mut self) -> Prng {
        Prng::new(self.next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_known_first_value() {
        let mut a = Prng::new(42);
        let mut b = Prng::new(42);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        // Pinned: changing the algorithm silently would change every recorded seed and link.
        assert_eq!(Prng::new(0).next_u64(), 0x99EC_5F36_CB75_F2B4);
    }

    #[test]
    fn below_and_between_stay_in_range_and_cover_it() {
        let mut r = Prng::new(7);
        let mut seen = [false; 6];
        for _ in 0..1000 {
            let x = r.between(10, 15);
            assert!((10..=15).contains(&x));
            seen[(x - 10) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(r.between(5, 5), 5);
        assert_eq!(r.between(9, 3), 9);
    }

    #[test]
    fn chance_matches_its_ratio_roughly() {
        let mut r = Prng::new(3);
        let hits = (0..10_000).filter(|_| r.chance(1, 4)).count();
        assert!((2_200..2_800).contains(&hits), "{hits}");
        assert!(!(0..100).any(|_| r.chance(0, 4)));
    }
}
