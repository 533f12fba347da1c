//! Zxids, votes and histories: the small values every other module trades in.
//!
//! A **zxid** is ZooKeeper's transaction id: a 64-bit number whose high 32 bits are the epoch of
//! the primary that proposed the transaction and whose low 32 bits count the proposals of that
//! epoch (1, 2, 3…). Zxids order transactions first by epoch, then by counter, so comparing the
//! numbers compares the pairs. Reference: Zab paper §IV ("zxid"), ZooKeeper `ZxidUtils`.

use alloc::rc::Rc;
use alloc::vec::Vec;
use ballot_core::hash::{chain, stable_hash};
use ballot_core::{Command, NodeId};
use core::fmt;

/// An epoch: how many times a primary has been established (0 before the first).
pub type Epoch = u64;

/// A transaction id, `(epoch, counter)` packed as ZooKeeper packs it: `epoch << 32 | counter`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Zxid(pub u64);

impl Zxid {
    /// The zxid before any transaction, `(0, 0)`.
    pub const ZERO: Zxid = Zxid(0);

    /// `(epoch, counter)`; both must fit in 32 bits.
    pub fn new(epoch: Epoch, counter: u64) -> Zxid {
        Zxid((epoch << 32) | (counter & 0xffff_ffff))
    }

    /// The epoch of the primary that proposed it.
    pub fn epoch(self) -> Epoch {
        self.0 >> 32
    }

    /// Its place among the proposals of its epoch (1 for the first).
    pub fn counter(self) -> u64 {
        self.0 & 0xffff_ffff
    }
}

impl fmt::Display for Zxid {
    /// `0x1_0003`: the epoch in hex, `_`, the counter as four hex digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:x}_{:04x}", self.epoch(), self.counter())
    }
}

/// A Fast Leader Election vote: the proposed leader and the state it claims, ordered as FLE
/// orders them: by the leader's current epoch, then its last zxid, then its server id
/// (`FastLeaderElection.totalOrderPredicate`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Vote {
    /// The proposed leader's `currentEpoch` (ZooKeeper's `peerEpoch`).
    pub epoch: Epoch,
    /// The proposed leader's last zxid.
    pub zxid: Zxid,
    /// The proposed leader.
    pub leader: NodeId,
}

/// One transaction in a history, with the hash chain of the history up to and including it: two
/// histories whose chains agree at a length agree on every transaction up to it.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Entry {
    /// Its id.
    pub zxid: Zxid,
    /// What it does to the state machine.
    pub command: Command,
    /// The chain of the history's prefix that ends with this entry.
    pub chain: u64,
}

/// Transactions per shared chunk of a [`History`].
const CHUNK: usize = 32;

/// A server's history: the transactions it accepted, in zxid order (the paper's `h_f`).
///
/// Full chunks of 32 transactions are shared between copies (an `Rc`), so the copy each
/// `Persist`, ACKEPOCH, NEWLEADER and checkpoint carries costs a pointer per chunk and the tail,
/// not the whole history (histories only grow, or are replaced whole by NEWLEADER).
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct History {
    chunks: Vec<Rc<[Entry]>>,
    tail: Vec<Entry>,
}

impl History {
    /// An empty history.
    pub fn new() -> History {
        History::default()
    }

    /// Appends a transaction, chaining it to the prefix.
    pub fn push(&mut self, zxid: Zxid, command: Command) {
        let link = chain(self.last_chain(), stable_hash(&(zxid, &command)));
        self.tail.push(Entry { zxid, command, chain: link });
        if self.tail.len() == CHUNK {
            let full = core::mem::take(&mut self.tail);
            self.chunks.push(Rc::from(full));
        }
    }

    /// How many transactions it holds.
    pub fn len(&self) -> u64 {
        (self.chunks.len() * CHUNK + self.tail.len()) as u64
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The zxid of its last transaction, [`Zxid::ZERO`] when empty.
    pub fn last_zxid(&self) -> Zxid {
        self.entry(self.len()).map_or(Zxid::ZERO, |e| e.zxid)
    }

    /// The chain of the whole history (0 when empty).
    pub fn last_chain(&self) -> u64 {
        self.chain_at(self.len())
    }

    /// The chain of the first `len` transactions (0 for none).
    pub fn chain_at(&self, len: u64) -> u64 {
        self.entry(len).map_or(0, |e| e.chain)
    }

    /// The transactions, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> + '_ {
        self.chunks.iter().flat_map(|c| c.iter()).chain(self.tail.iter())
    }

    /// The `n`-th transaction (1-based), if any.
    pub fn entry(&self, n: u64) -> Option<&Entry> {
        let i = usize::try_from(n.checked_sub(1)?).ok()?;
        match self.chunks.get(i / CHUNK) {
            Some(chunk) => chunk.get(i % CHUNK),
            None => self.tail.get(i - self.chunks.len() * CHUNK),
        }
    }

    /// How many transactions have a zxid at or below `zxid` (histories are sorted by zxid).
    pub fn count_through(&self, zxid: Zxid) -> u64 {
        // The first n such that entry n + 1 is above zxid.
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.entry(mid + 1).is_some_and(|e| e.zxid <= zxid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Whether it holds transaction `zxid`.
    pub fn contains(&self, zxid: Zxid) -> bool {
        self.entry(self.count_through(zxid)).is_some_and(|e| e.zxid == zxid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zxids_pack_epoch_and_counter_and_print_as_hex() {
        let z = Zxid::new(1, 3);
        assert_eq!((z.epoch(), z.counter()), (1, 3));
        assert_eq!(alloc::format!("{z}"), "0x1_0003");
        assert_eq!(alloc::format!("{}", Zxid::new(0x1a, 0x2f)), "0x1a_002f");
        assert!(Zxid::new(1, 9) < Zxid::new(2, 1));
        assert!(Zxid::new(2, 1) < Zxid::new(2, 2));
    }

    #[test]
    fn votes_order_by_epoch_then_zxid_then_id() {
        let v = |epoch, zxid, id| Vote { epoch, zxid: Zxid(zxid), leader: NodeId(id) };
        assert!(v(2, 0, 1) > v(1, 9, 3));
        assert!(v(1, 5, 1) > v(1, 4, 3));
        assert!(v(1, 4, 3) > v(1, 4, 2));
    }

    #[test]
    fn chains_tell_prefixes_apart() {
        let mut a = History::new();
        let mut b = History::new();
        a.push(Zxid::new(1, 1), Command::Noop);
        b.push(Zxid::new(1, 1), Command::Noop);
        assert_eq!(a.last_chain(), b.last_chain());
        a.push(Zxid::new(1, 2), Command::Noop);
        b.push(Zxid::new(2, 1), Command::Noop);
        assert_ne!(a.last_chain(), b.last_chain());
        assert_eq!(a.chain_at(1), b.chain_at(1));
        assert_eq!(a.count_through(Zxid::new(1, 1)), 1);
        assert!(a.contains(Zxid::new(1, 2)) && !a.contains(Zxid::new(1, 3)));
        assert_eq!(a.entry(2).map(|e| e.zxid), Some(Zxid::new(1, 2)));
    }

    /// The chunked history against a plain vector, across several full chunks.
    #[test]
    fn chunks_read_like_a_vector() {
        let mut h = History::new();
        let mut oracle: Vec<Zxid> = Vec::new();
        for c in 1..=100 {
            let z = Zxid::new(1 + c / 40, c);
            h.push(z, Command::Noop);
            oracle.push(z);
            let copy = h.clone();
            assert_eq!(copy, h);
            assert_eq!(h.len(), oracle.len() as u64);
            assert_eq!(h.last_zxid(), z);
        }
        assert!(h.iter().map(|e| e.zxid).eq(oracle.iter().copied()));
        for (k, z) in oracle.iter().enumerate() {
            assert_eq!(h.entry(k as u64 + 1).map(|e| e.zxid), Some(*z));
            assert_eq!(h.count_through(*z), k as u64 + 1);
            assert!(h.contains(*z));
        }
        assert_eq!(h.entry(0), None);
        assert_eq!(h.entry(101), None);
        assert_eq!(h.count_through(Zxid::ZERO), 0);
        assert!(!h.contains(Zxid::new(9, 9)));
    }
}
