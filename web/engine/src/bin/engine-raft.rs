//! The raft engine (see the crate docs).
ballot_engines::engine!(ballot_sim::protocols::Raft);
