//! The twopc engine (see the crate docs).
ballot_engines::engine!(ballot_sim::protocols::TwoPc);
