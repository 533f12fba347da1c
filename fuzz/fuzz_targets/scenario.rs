//! Any text as an imported scenario file (the playground's *Load scenario*): `scenario::load`
//! must return a run or a line-numbered error, never panic, for every protocol.
#![no_main]

use ballot_sim::protocols::{MultiPaxos, Paxos, Raft, TwoPc};
use ballot_sim::scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        // Keep each input cheap: scenarios may run for up to two hours of virtual time.
        if text.contains("run") && text.len() > 4096 {
            return;
        }
        let _ = scenario::load::<Raft>(text, 0).map(|l| l.world.fingerprint());
        let _ = scenario::load::<Paxos>(text, 0).map(|l| l.world.fingerprint());
        let _ = scenario::load::<MultiPaxos>(text, 0).map(|l| l.world.fingerprint());
        let _ = scenario::load::<TwoPc>(text, 0).map(|l| l.world.fingerprint());
    }
});
