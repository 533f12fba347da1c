//! Any text as a share link: decoding must return an error or a run that replays, never panic.
#![no_main]

use ballot_sim::link;
use ballot_sim::protocols::Raft;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(run) = link::decode::<Raft>(text) {
            // Keep each input cheap: replay only short runs.
            if run.at.micros <= 10_000_000 {
                let _ = run.replay(0).fingerprint();
            }
        }
    }
});
