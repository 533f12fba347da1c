//! The models the checker knows.
//!
//! | model | what it is |
//! |---|---|
//! | [`twophase`] | Gray & Lamport's `TwoPhase.tla`, transcribed action by action, in a bit-packed state |

pub mod twophase;
