//! Adapters that let the simulator, scenarios and swarm run each protocol.

pub mod multipaxos;
pub mod paxos;
pub mod raft;
pub mod twopc;
pub mod zab;

pub use multipaxos::MultiPaxos;
pub use paxos::Paxos;
pub use raft::Raft;
pub use twopc::TwoPc;
pub use zab::Zab;
