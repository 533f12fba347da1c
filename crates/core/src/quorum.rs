//! Small pure maths about majorities, tested against naive versions.

/// Whether `votes` out of a cluster of `size` nodes is a strict majority.
pub fn is_majority(votes: usize, size: usize) -> bool {
    2 * votes > size
}

/// The largest value `v` such that a majority of `values` are `>= v`: the index a Raft leader
/// may commit given every node's match index (its own included). Empty input gives 0.
pub fn majority_floor(values: &[u64]) -> u64 {
    // The (n/2 + 1)-th largest value: the largest one that at least n/2 + 1 values reach. Counted
    // rather than sorted: a cluster has at most a few nodes, so this is a few dozen comparisons
    // and no allocation (a leader runs it on every acknowledgement), and it keeps the general
    // sorting routines out of the browser's engines (see ARCHITECTURE.md, "Bundle budgets").
    let need = values.len() / 2 + 1;
    let mut best = 0;
    for &candidate in values {
        if candidate > best && values.iter().filter(|&&v| v >= candidate).count() >= need {
            best = candidate;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Prng;
    use alloc::vec::Vec;

    /// The dumb oracle: try every candidate.
    fn naive_majority_floor(values: &[u64]) -> u64 {
        let mut best = 0;
        for &candidate in values {
            let holders = values.iter().filter(|&&v| v >= candidate).count();
            if is_majority(holders, values.len()) && candidate > best {
                best = candidate;
            }
        }
        best
    }

    #[test]
    fn majority_floor_matches_the_oracle() {
        let mut rng = Prng::new(1);
        for _ in 0..5_000 {
            let n = rng.between(1, 9) as usize;
            let values: Vec<u64> = (0..n).map(|_| rng.between(0, 6)).collect();
            assert_eq!(majority_floor(&values), naive_majority_floor(&values), "{values:?}");
            // And the sorted definition: the (n/2 + 1)-th largest.
            let mut sorted = values.clone();
            sorted.sort_unstable_by(|a, b| b.cmp(a));
            assert_eq!(majority_floor(&values), sorted[n / 2], "{values:?}");
        }
    }

    #[test]
    fn examples() {
        assert_eq!(majority_floor(&[5, 3, 4]), 4);
        assert_eq!(majority_floor(&[5, 1, 1, 5, 1]), 1);
        assert!(is_majority(3, 5) && !is_majority(2, 4));
    }
}
