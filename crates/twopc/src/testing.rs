//! Two-phase commit's few additions to the test kit ([`ballot_core::testkit`]; test builds
//! only): typed shorthands.

use crate::config::TwoPcConfig;
use crate::node::{TwoPcDurable, TwoPcNode};
use crate::note::TwoPcEvent;
use crate::safety::TwoPcChecker;
use alloc::vec::Vec;
use ballot_core::testkit::{self, notes, EffectOf};
use ballot_core::Cluster;

/// One effect of a step.
pub(crate) type TwoPcEffect = EffectOf<TwoPcNode>;

/// The test network of two-phase-commit nodes.
pub(crate) type Net = testkit::Net<TwoPcNode, TwoPcChecker>;

/// Boots `size` nodes with `config`, watched by the [`TwoPcChecker`]. It reports each violation
/// once, so every check drains it: a step that breaks both properties records both.
pub(crate) fn net(size: u8, config: TwoPcConfig) -> Net {
    Net::new(size, config, TwoPcChecker::new(Cluster::new(size))).draining()
}

/// Boots node `id` of a `size`-node cluster from `durable`; returns it and its boot effects.
pub(crate) fn boot(
    id: u8,
    size: u8,
    config: &TwoPcConfig,
    durable: TwoPcDurable,
) -> (TwoPcNode, Vec<TwoPcEffect>) {
    testkit::boot(id, size, config, durable)
}

/// The note events among `effects`.
pub(crate) fn events(effects: &[TwoPcEffect]) -> Vec<TwoPcEvent> {
    notes(effects).into_iter().map(|n| n.event).collect()
}
