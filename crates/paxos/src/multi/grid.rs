//! The slot grid the playground draws: one row per slot, one cell per acceptor.
//!
//! ```text
//! slot │  S1          S2          S3          │ chosen
//! ─────┼─────────────────────────────────────┼────────
//!    1 │  1.1 x=1 ✓   1.1 x=1 ✓   1.1 x=1     │ x=1
//!    2 │  2.3 no-op   —           2.3 no-op ✓ │ no-op
//! ```

use crate::ballot::Ballot;
use crate::multi::message::Slot;
use crate::multi::node::MultiPaxosNode;
use alloc::vec::Vec;
use ballot_core::Command;

/// One acceptor's view of one slot.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct SlotCell {
    /// The proposal it accepted for the slot, if any.
    pub accepted: Option<(Ballot, Command)>,
    /// The value it has learned is chosen for the slot, if any.
    pub chosen: Option<Command>,
    /// Whether it has applied the slot.
    pub applied: bool,
}

/// One slot across the cluster.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct SlotRow {
    /// The slot.
    pub slot: Slot,
    /// One cell per node, by [`ballot_core::NodeId::index`]; `None` while the node is down.
    pub cells: Vec<Option<SlotCell>>,
    /// The chosen value as some live node knows it.
    pub chosen: Option<Command>,
}

/// The rows for slots `first..=last` (at most 1024 rows; `last` is clamped).
pub fn slot_grid(nodes: &[Option<MultiPaxosNode>], first: Slot, last: Slot) -> Vec<SlotRow> {
    let last = last.min(first.saturating_add(1023));
    (first.max(1)..=last)
        .map(|slot| {
            let cells: Vec<Option<SlotCell>> = nodes
                .iter()
                .map(|n| {
                    n.as_ref().map(|n| SlotCell {
                        accepted: n.accepted_at(slot).cloned(),
                        chosen: n.chosen_at(slot).cloned(),
                        applied: slot <= n.applied(),
                    })
                })
                .collect();
            let chosen = cells.iter().flatten().find_map(|c| c.chosen.clone());
            SlotRow { slot, cells, chosen }
        })
        .collect()
}

/// The highest slot any live node has accepted or learned (the grid's natural last row).
pub fn highest_slot(nodes: &[Option<MultiPaxosNode>]) -> Slot {
    nodes
        .iter()
        .flatten()
        .map(|n| {
            let a = n.accepted().keys().next_back().copied().unwrap_or(0);
            let c = n.chosen().keys().next_back().copied().unwrap_or(0);
            a.max(c)
        })
        .max()
        .unwrap_or(0)
}
