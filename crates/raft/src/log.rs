//! The replicated log: entries numbered from 1, each carrying a hash chain of its prefix.
//!
//! Figure 2: "log[]: log entries; each entry contains command for state machine, and term when
//! entry was received by leader (first index is 1)". Index 0 stands for the empty prefix, whose
//! term is 0.
//!
//! Each [`Entry`] also carries `chain`, the digest of the whole prefix ending at it
//! (`chain(previous chain, stable_hash(&(term, &command)))`, with 0 before the first entry). The
//! [`Log`] computes it on every append and never trusts a chain it is given, so two logs agree
//! on every entry up to index `i` exactly when their chains at `i` are equal (barring a 64-bit
//! collision). The safety checker compares logs in O(1) this way. The Log Matching Property
//! (§5.3) is then a statement about chains: same index and term ⇒ same chain.

use alloc::rc::Rc;
use alloc::vec::Vec;
use ballot_core::hash::{chain, stable_hash};
use ballot_core::Command;
use core::cell::OnceCell;
use core::hash::{Hash, Hasher};

/// A Raft term (§5.1). Term 0 is before any election.
pub type Term = u64;

/// A position in the log. Index 0 is the empty prefix; the first entry has index 1.
pub type LogIndex = u64;

/// One log entry.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Entry {
    /// The term in which a leader received the command.
    pub term: Term,
    /// The command for the key/value state machine.
    pub command: Command,
    /// Digest of the log prefix ending with this entry. Computed by [`Log::append`]; the copy in
    /// a message is informative only and a receiver recomputes it.
    pub chain: u64,
}

impl Entry {
    /// The digest of this entry alone (term and command), the link [`Log`] chains.
    pub fn digest(term: Term, command: &Command) -> u64 {
        stable_hash(&(term, command))
    }
}

/// The §5.4.1 comparison, as a pure function: is a log whose last entry is
/// `(candidate_last_index, candidate_last_term)` at least as up-to-date as a log whose last entry
/// is `(my_last_index, my_last_term)`?
///
/// "Raft determines which of two logs is more up-to-date by comparing the index and term of the
/// last entries in the logs. If the logs have last entries with different terms, then the log
/// with the later term is more up-to-date. If the logs end with the same term, then whichever log
/// is longer is more up-to-date." Reference: §5.4.1.
pub fn log_is_up_to_date(
    candidate_last_index: LogIndex,
    candidate_last_term: Term,
    my_last_index: LogIndex,
    my_last_term: Term,
) -> bool {
    candidate_last_term > my_last_term
        || (candidate_last_term == my_last_term && candidate_last_index >= my_last_index)
}

/// Entries per shared chunk of a [`Log`].
const CHUNK: usize = 32;
/// Chunks per shared group of a [`Log`].
const GROUP: usize = 32;
/// Entries per full group.
const GROUP_ENTRIES: usize = CHUNK * GROUP;

/// `CHUNK` slots of entries, shared by the logs that hold it. A slot is written once, by the
/// first log that appends there; a log holds the chunk as its tail with its own length, and the
/// slots past that length are not its entries (another clone may have filled them).
type Chunk = Rc<[OnceCell<Entry>]>;
/// A full group of chunks, shared by the logs that hold it.
type Group = Rc<[Chunk]>;

/// A chunk of empty slots.
fn empty_chunk() -> Chunk {
    Rc::new([const { OnceCell::new() }; CHUNK])
}

/// A Raft log. Appending and truncating are O(1) amortised (truncation drops the suffix).
///
/// Equality compares every entry; hashing feeds only the length and the last chain (which
/// determine the log up to a collision), so hashing a 20 000-entry log is O(1).
///
/// Cloning is cheap too, because persisting is a copy: every `Persist` carries the node's durable
/// state, log included ([`ballot_core::node`]). A clone copies three pointers and a length, and
/// allocates nothing. Entries live in chunks of 32 slots that clones share (reference-counted);
/// each slot is written at most once ([`OnceCell`]), so a chunk is never changed under a log
/// that holds it: a log appends in place when the next slot of its tail chunk is empty, and
/// otherwise (another clone, or this log before a truncation, wrote there) copies the tail's
/// entries into a chunk of its own first. Full chunks are listed in a vector that clones share,
/// replaced when a chunk fills or is dropped; full groups of 32 chunks are shared the same way.
/// (With a copy of the tail and of the chunk list per clone, persisting was a tenth of the
/// classic benchmark's time; with one level, a 100 000-entry log copied 3 000 chunk pointers
/// every 32 appends, and the benchmark ran 1.6 times slower.)
#[derive(Clone)]
pub struct Log {
    /// Full groups: `groups[g][c][k]` holds the entry at index
    /// `g * GROUP_ENTRIES + c * CHUNK + k + 1`.
    groups: Rc<Vec<Group>>,
    /// Full chunks after the groups (fewer than `GROUP`).
    chunks: Rc<Vec<Chunk>>,
    /// The chunk after the full chunks: its first `tail_len` slots are this log's last entries.
    /// Empty (no slots) until the first append after a boot.
    tail: Chunk,
    /// How many entries the log has after the full chunks (fewer than `CHUNK`).
    tail_len: usize,
    /// How many entries the full groups and chunks hold (kept: the log's length is asked for
    /// on every access).
    chunked: usize,
}

impl Default for Log {
    fn default() -> Log {
        Log { groups: Rc::default(), chunks: Rc::default(), tail: Rc::from([]), tail_len: 0, chunked: 0 }
    }
}

/// Every entry, in order (what a `Vec` of them would compare).
impl PartialEq for Log {
    fn eq(&self, other: &Log) -> bool {
        self.tail_len == other.tail_len
            && self.groups == other.groups
            && self.chunks == other.chunks
            && self.tail[..self.tail_len] == other.tail[..other.tail_len]
    }
}

impl Eq for Log {}

impl core::fmt::Debug for Log {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Hash for Log {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.last_index().hash(state);
        self.last_chain().hash(state);
    }
}

impl Log {
    /// An empty log.
    pub fn new() -> Log {
        Log::default()
    }

    /// How many entries the full groups hold.
    fn grouped(&self) -> usize {
        self.groups.len() * GROUP_ENTRIES
    }

    /// How many entries the full groups and chunks hold.
    fn chunked(&self) -> usize {
        self.chunked
    }

    /// How many entries the log holds.
    fn len(&self) -> usize {
        self.chunked() + self.tail_len
    }

    /// The entry in position `k` (index `k + 1`).
    fn at(&self, k: usize) -> Option<&Entry> {
        let slot = if let Some(t) = k.checked_sub(self.chunked()) {
            if t >= self.tail_len {
                return None;
            }
            self.tail.get(t)?
        } else {
            match k.checked_sub(self.grouped()) {
                Some(c) => self.chunks.get(c / CHUNK)?.get(c % CHUNK)?,
                None => {
                    let (g, r) = (k / GROUP_ENTRIES, k % GROUP_ENTRIES);
                    self.groups.get(g)?.get(r / CHUNK)?.get(r % CHUNK)?
                }
            }
        };
        slot.get()
    }

    /// Position of index `i` (`None` for 0 or beyond the end).
    fn slot(&self, i: LogIndex) -> Option<usize> {
        let i = usize::try_from(i).ok()?;
        (1..=self.len()).contains(&i).then(|| i - 1)
    }

    /// Index of the last entry (0 when empty).
    pub fn last_index(&self) -> LogIndex {
        self.len() as LogIndex
    }

    /// The last entry, if any.
    fn last(&self) -> Option<&Entry> {
        self.len().checked_sub(1).and_then(|k| self.at(k))
    }

    /// Term of the last entry (0 when empty).
    pub fn last_term(&self) -> Term {
        self.last().map_or(0, |e| e.term)
    }

    /// Chain of the whole log (0 when empty).
    pub fn last_chain(&self) -> u64 {
        self.last().map_or(0, |e| e.chain)
    }

    /// Term of the entry at `i`: `Some(0)` for `i == 0` (the empty prefix), `None` beyond the end.
    pub fn term_at(&self, i: LogIndex) -> Option<Term> {
        if i == 0 {
            return Some(0);
        }
        self.entry(i).map(|e| e.term)
    }

    /// The entry at `i` (`None` for 0 or beyond the end).
    pub fn entry(&self, i: LogIndex) -> Option<&Entry> {
        self.slot(i).and_then(|k| self.at(k))
    }

    /// Chain of the prefix ending at `i`. It is 0 both for `i == 0` (the empty prefix) and for `i`
    /// beyond the end: compare [`Log::last_index`] first when that difference matters.
    pub fn chain_at(&self, i: LogIndex) -> u64 {
        self.entry(i).map_or(0, |e| e.chain)
    }

    /// All entries, in order: the first has index 1.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Entry> + '_ {
        self.groups
            .iter()
            .flat_map(|g| g.iter())
            .chain(self.chunks.iter())
            .flat_map(|c| c.iter())
            .chain(self.tail[..self.tail_len].iter())
            .filter_map(OnceCell::get)
    }

    /// A copy of at most `max` entries starting at index `from` (empty if `from` is 0 or past
    /// the end).
    pub fn entries_from(&self, from: LogIndex, max: u32) -> Vec<Entry> {
        match self.slot(from) {
            Some(start) => {
                let end = start.saturating_add(usize::try_from(max).unwrap_or(usize::MAX)).min(self.len());
                (start..end).filter_map(|k| self.at(k)).cloned().collect()
            }
            None => Vec::new(),
        }
    }

    /// Appends an entry and returns its index. The chain is computed here, from the previous
    /// entry's chain.
    pub fn append(&mut self, term: Term, command: Command) -> LogIndex {
        let link = chain(self.last_chain(), Entry::digest(term, &command));
        let entry = Entry { term, command, chain: link };
        let t = self.tail_len;
        // In place if the slot is free; else into a copy of the tail.
        if self.tail.get(t).is_none_or(|slot| slot.get().is_some()) {
            let copy = empty_chunk();
            for (to, from) in copy.iter().zip(&self.tail[..t]) {
                if let Some(e) = from.get() {
                    let _ = to.set(e.clone());
                }
            }
            self.tail = copy;
        }
        let _ = self.tail[t].set(entry);
        self.tail_len = t + 1;
        if self.tail_len == CHUNK {
            let full = core::mem::replace(&mut self.tail, empty_chunk());
            self.tail_len = 0;
            self.chunked += CHUNK;
            // The list of chunks is replaced, not changed: clones share it.
            let mut chunks = self.chunks.to_vec();
            chunks.push(full);
            if chunks.len() == GROUP {
                Rc::make_mut(&mut self.groups).push(Rc::from(core::mem::take(&mut chunks)));
            }
            self.chunks = Rc::new(chunks);
        }
        self.last_index()
    }

    /// Deletes the entry at `i` and every entry after it; returns how many were removed. `i == 0`
    /// is treated as 1 (the whole log); `i` past the end removes nothing.
    pub fn truncate_from(&mut self, i: LogIndex) -> u64 {
        let keep = usize::try_from(i.max(1) - 1).unwrap_or(usize::MAX);
        let removed = self.len().saturating_sub(keep);
        // The tail becomes the (shared) chunk that holds the new end: the next append copies it.
        if keep >= self.chunked() {
            self.tail_len = self.tail_len.min(keep - self.chunked());
        } else if keep >= self.grouped() {
            let r = keep - self.grouped();
            self.tail = Rc::clone(&self.chunks[r / CHUNK]);
            self.tail_len = r % CHUNK;
            self.chunks = Rc::new(self.chunks[..r / CHUNK].to_vec());
            self.chunked = keep - self.tail_len;
        } else {
            let (g, r) = (keep / GROUP_ENTRIES, keep % GROUP_ENTRIES);
            let group = Rc::clone(&self.groups[g]);
            self.chunks = Rc::new(group[..r / CHUNK].to_vec());
            self.tail = Rc::clone(&group[r / CHUNK]);
            self.tail_len = r % CHUNK;
            self.chunked = keep - self.tail_len;
            Rc::make_mut(&mut self.groups).truncate(g);
        }
        removed as u64
    }

    /// Whether a candidate whose log ends with `(last_log_index, last_log_term)` is at least as
    /// up-to-date as this log: the RequestVote receiver's vote condition. See
    /// [`log_is_up_to_date`]. Reference: §5.4.1.
    pub fn is_up_to_date(&self, last_log_index: LogIndex, last_log_term: Term) -> bool {
        log_is_up_to_date(last_log_index, last_log_term, self.last_index(), self.last_term())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::{format, vec};
    use ballot_core::Prng;

    fn set(k: &str, v: u64) -> Command {
        Command::Set {
            key: ballot_core::Word::new(k).expect("test key"),
            value: ballot_core::Word::number(v),
        }
    }

    #[test]
    fn indexes_start_at_one_and_index_zero_is_the_empty_prefix() {
        let mut log = Log::new();
        assert_eq!((log.last_index(), log.last_term()), (0, 0));
        assert_eq!(log.term_at(0), Some(0));
        assert_eq!(log.term_at(1), None);
        assert_eq!(log.append(1, set("x", 1)), 1);
        assert_eq!(log.append(2, set("x", 2)), 2);
        assert_eq!(log.term_at(1), Some(1));
        assert_eq!(log.term_at(2), Some(2));
        assert_eq!(log.term_at(u64::MAX), None);
        assert_eq!(log.entry(0), None);
        assert_eq!(log.chain_at(0), 0);
        assert_eq!(log.chain_at(3), 0);
        assert_ne!(log.chain_at(1), log.chain_at(2));
        assert_eq!(log.entries_from(2, 16).len(), 1);
        assert_eq!(log.entries_from(1, 1).len(), 1);
        assert_eq!(log.entries_from(3, 16).len(), 0);
        assert_eq!(log.entries_from(u64::MAX, u32::MAX).len(), 0);
    }

    #[test]
    fn chains_agree_exactly_on_equal_prefixes() {
        let mut a = Log::new();
        let mut b = Log::new();
        for i in 1..=5 {
            a.append(1, set("k", i));
            b.append(1, set("k", i));
        }
        assert_eq!(a.chain_at(5), b.chain_at(5));
        assert_eq!(a, b);
        // Diverge at 6: chains differ from 6 on even if later entries are equal.
        a.append(2, set("k", 6));
        b.append(3, set("k", 6));
        a.append(3, set("k", 7));
        b.append(3, set("k", 7));
        assert_eq!(a.chain_at(5), b.chain_at(5));
        assert_ne!(a.chain_at(6), b.chain_at(6));
        assert_ne!(a.chain_at(7), b.chain_at(7));
        // Truncating and re-appending the same entries restores the same chain.
        assert_eq!(b.truncate_from(6), 2);
        b.append(2, set("k", 6));
        b.append(3, set("k", 7));
        assert_eq!(a.last_chain(), b.last_chain());
        assert_eq!(b.truncate_from(0), 7);
        assert_eq!(b.last_index(), 0);
        assert_eq!(a.truncate_from(100), 0);
    }

    /// The dumb oracle: "more up-to-date" spelled out case by case as the paper words it.
    fn naive_up_to_date(ci: LogIndex, ct: Term, mi: LogIndex, mt: Term) -> bool {
        if ct != mt {
            // "the log with the later term is more up-to-date"
            return ct > mt;
        }
        // "whichever log is longer is more up-to-date" (equal logs are "at least as" up to date)
        ci >= mi
    }

    #[test]
    fn is_up_to_date_matches_the_oracle() {
        let mut rng = Prng::new(11);
        for _ in 0..20_000 {
            let (ci, ct, mi, mt) =
                (rng.between(0, 6), rng.between(0, 4), rng.between(0, 6), rng.between(0, 4));
            assert_eq!(
                log_is_up_to_date(ci, ct, mi, mt),
                naive_up_to_date(ci, ct, mi, mt),
                "{ci} {ct} {mi} {mt}"
            );
        }
        // And through a real log.
        let mut log = Log::new();
        log.append(1, Command::Noop);
        log.append(3, Command::Noop);
        assert!(log.is_up_to_date(2, 3));
        assert!(log.is_up_to_date(1, 4), "later term wins even if shorter");
        assert!(!log.is_up_to_date(1, 3), "same term, shorter");
        assert!(!log.is_up_to_date(9, 2), "earlier term loses even if longer");
    }

    /// The chunked log against a plain `Vec` (the dumb oracle): random appends, truncations and
    /// clones, whose copies must not see each other's changes.
    #[test]
    fn the_chunked_log_behaves_like_a_vec() {
        // Short logs (a truncation every ten steps) and long ones (every 3000 steps, past several
        // full groups of 1024 entries), checked every step and every 250 steps.
        for (steps, truncate_one_in, check_every) in [(5_000u64, 10u64, 1u64), (30_000, 3_000, 500)] {
            chunked_log_against_a_vec(steps, truncate_one_in, check_every, true);
        }
        // Entries drawn from two, so that clones and truncated logs often append the entry
        // already written in a shared slot, and as often another (both copy the tail).
        chunked_log_against_a_vec(5_000, 10, 1, false);
    }

    fn chunked_log_against_a_vec(steps: u64, truncate_one_in: u64, check_every: u64, distinct: bool) {
        let mut rng = Prng::new(5);
        let mut logs: Vec<(Log, Vec<(Term, u64)>)> = vec![(Log::new(), Vec::new())];
        let mut longest = 0;
        for step in 0..steps {
            let k = rng.between(0, logs.len() as u64 - 1) as usize;
            match rng.between(0, truncate_one_in - 1) {
                0 => {
                    let i = rng.between(0, logs[k].1.len() as u64 + 2);
                    let (log, model) = &mut logs[k];
                    let removed = log.truncate_from(i);
                    let keep = (i.max(1) - 1).min(model.len() as u64) as usize;
                    assert_eq!(removed, (model.len() - keep) as u64);
                    model.truncate(keep);
                }
                1 if logs.len() < 8 => {
                    let copy = logs[k].clone();
                    logs.push(copy);
                }
                _ => {
                    let (term, v) = if distinct { (1 + step / 100, step) } else { (1, rng.between(0, 1)) };
                    let (log, model) = &mut logs[k];
                    log.append(term, set("k", v));
                    model.push((term, v));
                }
            }
            if step % check_every != 0 && step + 1 != steps {
                continue;
            }
            for (log, model) in &logs {
                longest = longest.max(model.len());
                assert_eq!(log.last_index(), model.len() as u64);
                assert_eq!(log.iter().count(), model.len());
                assert_eq!(
                    log.iter().rev().map(|e| e.term).collect::<Vec<_>>(),
                    model.iter().rev().map(|m| m.0).collect::<Vec<_>>()
                );
                let mut fresh = Log::new();
                for (i, (term, v)) in model.iter().enumerate() {
                    let entry = log.entry(i as u64 + 1).map(|e| (e.term, e.command.clone()));
                    assert_eq!(entry, Some((*term, set("k", *v))));
                    fresh.append(*term, set("k", *v));
                }
                assert_eq!(*log, fresh, "equal to the same entries appended afresh");
                assert_eq!(log.last_chain(), fresh.last_chain());
                assert_eq!(log.entry(model.len() as u64 + 1), None);
            }
        }
        if truncate_one_in > 100 {
            assert!(longest > 3 * GROUP_ENTRIES, "the long run reached only {longest} entries");
        }
    }

    #[test]
    fn equal_histories_give_equal_logs() {
        // Equal histories give equal logs, however they were built or shared.
        let mut a = Log::new();
        let mut b = Log::new();
        for i in 0..100 {
            a.append(1, set("k", i));
        }
        let shared = a.clone();
        a.truncate_from(40);
        for i in 0..39 {
            b.append(1, set("k", i));
        }
        assert_eq!(a, b);
        assert_eq!(shared.last_index(), 100, "a clone keeps its own entries");
        assert_eq!(format!("{a:?}"), format!("{:?}", a.iter().collect::<Vec<_>>()));
    }

    #[test]
    fn twenty_thousand_appends_are_cheap_and_hash_is_constant_time() {
        let mut log = Log::new();
        for i in 0..20_000 {
            log.append(1 + i / 1000, Command::Noop);
        }
        assert_eq!(log.last_index(), 20_000);
        assert_eq!(log.last_term(), 20);
        let h1 = stable_hash(&log);
        let mut other = log.clone();
        assert_eq!(h1, stable_hash(&other));
        other.truncate_from(20_000);
        other.append(21, Command::Noop);
        assert_ne!(h1, stable_hash(&other));
    }
}
