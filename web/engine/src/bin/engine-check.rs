//! The Check panel's worker: `ballot check` for every registered protocol, in one module that
//! web/check-panel.js starts (through web/engine.js) only when the panel opens.
use wasm_bindgen::prelude::wasm_bindgen;

/// Answers one query of the Check panel with a JSON object (progress goes out meanwhile).
#[wasm_bindgen]
pub fn check(query: &str) -> String {
    ballot_engines::check_any(query)
}

/// The same allocator as the engines and the page.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: ::talc::wasm::WasmDynamicTalc = ::talc::wasm::new_wasm_dynamic_allocator();

fn main() {}
