//! Any text as an imported scenario file (the playground's *Load scenario*): `scenario::load`
//! must return a run or a line-numbered error, never panic, for every registered protocol.
#![no_main]

use ballot_engine::registry::{self, Visitor};
use ballot_engine::Visual;
use ballot_sim::scenario;
use libfuzzer_sys::fuzz_target;

/// Loads the text as a scenario of protocol `P`.
struct Load<'a>(&'a str);

impl Visitor for Load<'_> {
    type Output = ();
    fn visit<P: Visual>(self) {
        let _ = scenario::load::<P>(self.0, 0).map(|l| l.world.fingerprint());
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        // Keep each input cheap: scenarios may run for up to two hours of virtual time.
        if text.contains("run") && text.len() > 4096 {
            return;
        }
        for name in registry::names() {
            registry::dispatch(name, Load(text));
        }
    }
});
