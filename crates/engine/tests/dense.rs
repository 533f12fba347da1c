//! A dense run (timers of a microsecond on nine servers: tens of thousands of messages on the
//! wire at once) gives views of bounded size: the ring draws the oldest
//! [`MAX_DRAWN_MESSAGES`] messages and says how many there are in all.

use ballot_core::Lang;
use ballot_engine::engine::engine_for;
use ballot_engine::view::MAX_DRAWN_MESSAGES;
use ballot_engine::wire::{Envelope, Outcome, Request};

const DENSE: &str =
    "protocol raft\ncluster 9\nconfig heartbeat 1us\nconfig election-timeout 2us..3us\nrun 5ms\n";

#[test]
fn a_dense_run_draws_a_bounded_number_of_messages() {
    let mut engine = engine_for("raft").expect("the raft engine");
    let mut ask = |request| engine.handle(Envelope { lang: Lang::En, zoom: 1, hover: None, request });
    let reply = ask(Request::LoadScenario(DENSE.to_string()));
    assert_eq!(reply.outcome, Outcome::ScenarioLoaded(0));
    let view = &reply.view;
    assert!(view.in_flight > 10 * MAX_DRAWN_MESSAGES as u64, "only {} in flight", view.in_flight);
    assert_eq!(view.msgs.len(), MAX_DRAWN_MESSAGES);
    // The oldest ones, in the order they were sent.
    assert!(view.msgs.windows(2).all(|w| w[0].id < w[1].id));
    // A quiet run draws every message it has.
    let quiet = ask(Request::LoadScenario("protocol raft\nrun 1s\n".to_string()));
    assert_eq!(quiet.view.in_flight, quiet.view.msgs.len() as u64);
    assert!(quiet.view.in_flight > 0);
}
