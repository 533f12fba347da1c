//! Adapters that let the simulator, scenarios and swarm run each protocol.

pub mod raft;

pub use raft::Raft;
