//! The classic Raft workload of `ballot bench raft`, exported to JavaScript so that the same core,
//! compiled to wasm, can be timed under Node.js (`bench/wasm/run.mjs`). Nothing here reads a clock:
//! the script times the call.

use wasm_bindgen::prelude::wasm_bindgen;

/// Runs the workload for `simulated_secs` virtual seconds and returns its counts as JSON.
#[wasm_bindgen]
pub fn classic_raft(simulated_secs: u32) -> String {
    let c = ballot_sim::bench::classic_raft(u64::from(simulated_secs), 1);
    format!(
        "{{\"simulated_secs\":{},\"events\":{},\"delivered\":{},\"requests\":{},\"committed\":{},\"violations\":{},\"fingerprint\":\"{:016x}\"}}",
        c.simulated_secs, c.events, c.delivered, c.requests, c.committed, c.violations, c.fingerprint
    )
}

thread_local! {
    static TIMELINE: std::cell::RefCell<Option<(ballot_sim::World<ballot_sim::protocols::Raft>, ballot_sim::timeline::Timeline<ballot_sim::protocols::Raft>)>> =
        const { std::cell::RefCell::new(None) };
}

/// Builds the playground-like run of `simulated_secs` with its timeline (see
/// `ballot_sim::bench::hour_with_timeline`); returns the number of checkpoints.
#[wasm_bindgen]
pub fn timeline_build(simulated_secs: u32, max_checkpoints: u32) -> u32 {
    let built = ballot_sim::bench::hour_with_timeline(u64::from(simulated_secs), max_checkpoints as usize);
    let n = built.1.len() as u32;
    TIMELINE.with(|t| *t.borrow_mut() = Some(built));
    n
}

/// Seeks the built run to `ms` of virtual time; returns the fingerprint there (hex).
#[wasm_bindgen]
pub fn timeline_seek(ms: u32) -> String {
    TIMELINE.with(|t| match &*t.borrow() {
        Some((live, timeline)) => {
            let w = timeline.seek(live, ballot_core_instant(ms));
            format!("{:016x}", w.fingerprint())
        }
        None => String::from("not built"),
    })
}

fn ballot_core_instant(ms: u32) -> ballot_core::Instant {
    ballot_core::Instant::from_millis(u64::from(ms))
}

/// Bytes of linear memory the wasm instance has grown to (its heap high-water mark).
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> u32 {
    #[cfg(target_arch = "wasm32")]
    {
        (core::arch::wasm32::memory_size(0) * 65536) as u32
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}
