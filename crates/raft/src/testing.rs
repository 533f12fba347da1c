//! Raft's few additions to the test kit ([`ballot_core::testkit`]; test builds only): typed
//! shorthands, a node with a given log, and making a leader.

use crate::config::RaftConfig;
use crate::log::{Log, Term};
use crate::message::RaftMsg;
use crate::node::{RaftDurable, RaftNode, RaftTimer, RoleName};
use crate::note::RaftEvent;
use crate::safety::RaftChecker;
use alloc::vec::Vec;
use ballot_core::testkit::{self, deliver, fire, notes, EffectOf};
use ballot_core::{Cluster, Command, Node, NodeId};

/// One effect of a Raft step.
pub(crate) type RaftEffect = EffectOf<RaftNode>;

/// The test network of Raft nodes.
pub(crate) type Net = testkit::Net<RaftNode, RaftChecker>;

/// Boots `size` Raft nodes with `config`, watched by the [`RaftChecker`].
pub(crate) fn net(size: u8, config: RaftConfig) -> Net {
    Net::new(size, config, RaftChecker::new(Cluster::new(size)))
}

/// Boots node `id` of a `size`-node cluster from `durable`; returns it and its boot effects.
pub(crate) fn boot_from(
    id: u8,
    size: u8,
    config: &RaftConfig,
    durable: RaftDurable,
) -> (RaftNode, Vec<RaftEffect>) {
    testkit::boot(id, size, config, durable)
}

/// A node booted with `current_term` and a log whose entries have `terms` (no-op commands).
pub(crate) fn node_with_log(id: u8, size: u8, config: &RaftConfig, term: Term, terms: &[Term]) -> RaftNode {
    let mut log = Log::new();
    for &t in terms {
        log.append(t, Command::Noop);
    }
    boot_from(id, size, config, RaftDurable { current_term: term, voted_for: None, log }).0
}

/// The note events among `effects`.
pub(crate) fn events(effects: &[RaftEffect]) -> Vec<RaftEvent> {
    notes(effects).into_iter().map(|n| n.event).collect()
}

/// Turns `node` (a follower or candidate) into the leader of the next term by firing its
/// election timer and handing it granted votes from the next nodes.
pub(crate) fn make_leader(node: &mut RaftNode) {
    fire(node, RaftTimer::Election);
    let term = node.current_term();
    let me = node.id();
    for peer in node.cluster().peers(me).collect::<Vec<_>>() {
        if node.role_name() == RoleName::Leader {
            break;
        }
        deliver(node, peer.0, RaftMsg::RequestVoteReply { term, vote_granted: true });
    }
    assert_eq!(node.role_name(), RoleName::Leader);
}

/// The leader of the highest term among `net`'s live nodes.
pub(crate) fn leader(net: &Net) -> Option<NodeId> {
    net.nodes.iter().flatten().filter(|n| n.is_leader()).max_by_key(|n| n.current_term()).map(|n| n.id())
}

/// Fires `id`'s election timer and delivers everything; asserts it won.
pub(crate) fn elect(net: &mut Net, id: u8) {
    net.fire(id, RaftTimer::Election);
    net.deliver_all();
    assert_eq!(net.node(id).role_name(), RoleName::Leader, "{:?}", net.node(id).role());
}
