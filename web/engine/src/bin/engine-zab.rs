//! The zab engine (see the crate docs).
ballot_engines::engine!(ballot_sim::protocols::Zab);
