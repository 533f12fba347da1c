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
