//! Any text as a share link: decoding must return an error or a run that replays, never panic,
//! as any registered protocol.
#![no_main]

use ballot_engine::registry::{self, Visitor};
use ballot_engine::Visual;
use ballot_sim::link;
use libfuzzer_sys::fuzz_target;

/// Decodes the link as protocol `P` and replays it.
struct Replay<'a>(&'a str);

impl Visitor for Replay<'_> {
    type Output = ();
    fn visit<P: Visual>(self) {
        if let Ok(run) = link::decode::<P>(self.0) {
            // Keep each input cheap: replay only short runs.
            if run.at.micros <= 10_000_000 {
                let _ = run.replay(0).fingerprint();
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        // The protocol the link names, as the CLI and the playground read it first...
        let _ = link::protocol_of(text);
        // ...then the link decoded as every protocol (a link naming another one must be refused).
        for name in registry::names() {
            registry::dispatch(name, Replay(text));
        }
    }
});
