//! The benchmarks' workloads, exported to JavaScript so that the same core, compiled to wasm, can
//! be timed under Node.js: the classic Raft workload of `ballot bench raft` (`bench/wasm/run.mjs`),
//! the time-travel run (`timeline.mjs`) and `ballot check twopc --model twophase`
//! (`check.mjs`). Nothing here reads a clock: the scripts time the calls.

use wasm_bindgen::prelude::wasm_bindgen;

/// Talc instead of dlmalloc, as in the page and its engines (`web/engine/src/lib.rs`).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Runs the workload for `simulated_secs` virtual seconds and returns its counts as JSON.
#[wasm_bindgen]
pub fn classic_raft(simulated_secs: u32) -> String {
    let c = ballot_sim::bench::classic_raft(u64::from(simulated_secs), 1);
    format!(
        "{{\"simulated_secs\":{},\"events\":{},\"delivered\":{},\"requests\":{},\"committed\":{},\"violations\":{},\"fingerprint\":\"{:016x}\"}}",
        c.simulated_secs, c.events, c.delivered, c.requests, c.committed, c.violations, c.fingerprint
    )
}

/// Checks Gray & Lamport's TwoPhase with `rms` resource managers, breadth-first (or depth-first
/// when `dfs`), exactly as `ballot check twopc --model twophase --rms N` does, and returns the
/// report's counts as JSON (`passed`: complete, no violation, both *sometimes* properties met).
#[wasm_bindgen]
pub fn check_twophase(rms: u8, dfs: bool) -> String {
    use ballot_check::models::twophase::{TwoPhase, MAX_RMS};
    if !(1..=MAX_RMS).contains(&rms) {
        return format!("{{\"error\":\"rms must be 1 to {MAX_RMS}\"}}");
    }
    let strategy =
        if dfs { ballot_check::Strategy::DepthFirst } else { ballot_check::Strategy::BreadthFirst };
    let options = ballot_check::Options { strategy, ..ballot_check::Options::default() };
    let report = ballot_check::check(&TwoPhase::new(rms), &options);
    format!(
        "{{\"rms\":{rms},\"search\":\"{}\",\"unique_states\":{},\"states_explored\":{},\"depth\":{},\"passed\":{}}}",
        if dfs { "dfs" } else { "bfs" },
        report.unique_states,
        report.generated,
        report.max_depth,
        report.passed()
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

#[cfg(test)]
mod tests {
    #[test]
    fn check_twophase_counts_tlc_states_both_ways() {
        for (rms, unique) in [(3u8, 288u32), (5, 8832)] {
            for dfs in [false, true] {
                let json = super::check_twophase(rms, dfs);
                assert!(json.contains(&format!("\"unique_states\":{unique},")), "{json}");
                assert!(json.ends_with("\"passed\":true}"), "{json}");
            }
        }
        assert!(super::check_twophase(0, false).contains("error"));
    }
}
