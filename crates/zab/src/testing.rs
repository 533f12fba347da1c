//! Zab's few additions to the test kit ([`ballot_core::testkit`]; test builds only).

use crate::config::ZabConfig;
use crate::node::ZabNode;
use crate::safety::ZabChecker;
use ballot_core::testkit;
use ballot_core::{Cluster, Node, NodeId};

/// The test network of Zab servers.
pub(crate) type Net = testkit::Net<ZabNode, ZabChecker>;

/// Boots `size` servers with `config`, watched by the [`ZabChecker`].
pub(crate) fn net(size: u8, config: ZabConfig) -> Net {
    Net::new(size, config, ZabChecker::new(Cluster::new(size)))
}

/// The leader of the highest epoch that broadcasts, among the live servers.
pub(crate) fn leader(net: &Net) -> Option<NodeId> {
    net.nodes
        .iter()
        .flatten()
        .filter(|n| n.is_broadcasting_leader())
        .max_by_key(|n| n.current_epoch())
        .map(|n| n.id())
}

/// Fires S1's election timer (round 1), delivers everything and asserts a leader established
/// its epoch.
pub(crate) fn elect(net: &mut Net) {
    net.fire(1, crate::ZabTimer::Election);
    settle(net);
}

/// Delivers everything and, whenever the network is quiet, fires the timer a looking server
/// waits on (a booted server's first election timeout, otherwise the finalize wait), until a
/// leader establishes its epoch and nobody is looking.
pub(crate) fn settle(net: &mut Net) {
    use crate::node::RoleName;
    use crate::ZabTimer;
    for _ in 0..20 {
        net.deliver_all();
        let mut fired = false;
        let looking: alloc::vec::Vec<(u8, u64)> = net
            .nodes
            .iter()
            .flatten()
            .filter(|n| n.role_name() == RoleName::Looking)
            .map(|n| (n.id().0, n.round()))
            .collect();
        for (id, round) in looking {
            let timer = if round == 0 { ZabTimer::Election } else { ZabTimer::Heartbeat };
            if net.armed[NodeId(id).index()].contains(&timer) {
                net.fire(id, timer);
                fired = true;
            }
        }
        if !fired && leader(net).is_some() {
            net.deliver_all();
            return;
        }
    }
    panic!("no leader settled: {:?}", net.nodes);
}
