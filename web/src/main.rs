//! # ballot-web: the playground in the browser
//!
//! A [Yew](https://yew.rs) app compiled to `wasm32-unknown-unknown` and bundled by Trunk
//! (see `index.html` and `Trunk.toml` at the workspace root). It renders plain view models and
//! contains no protocol rule (STYLE.md, principle 9).
//!
//! | module | what it holds |
//! |---|---|
//! | [`app`] | the root component: layout, the animation loop, keyboard shortcuts |
//! | [`state`] | the one `Reducible` state ([`state::Playground`]) and its [`state::Msg`]s |
//! | [`engine_link`] | the engine's Web Worker and the requests waiting for it |
//! | [`components`] | ring, log grid, feed, invariants, controls, node panel, notices, time travel and sharing |
//! | [`hooks`] | `use_animation_frame`, the only wall-clock code |
//! | [`url`] | the initial setup from the query string, and what was wrong with it |
//! | [`i18n`] | every user-visible string, in English and Simplified Chinese |
//! | [`prefs`] | the language preference (localStorage, then `navigator.language`) |
//! | [`panic`] | the panic hook that shows a visible `[data-error]` box |
//! | [`ring`] | where the nodes sit on the ring (pure geometry) |
//!
//! The crate also compiles natively so that `cargo clippy --workspace --all-targets` covers it
//! and its pure modules can be unit-tested with plain `cargo test -p ballot-web`.
#![deny(missing_docs)]

mod app;
mod components;
mod engine_link;
mod hooks;
mod i18n;
mod num;
mod panic;
mod prefs;
mod ring;
mod state;
mod url;

/// Talc instead of Rust's default dlmalloc: smaller (about 3 KB less to download on the first
/// load, ARCHITECTURE.md "Bundle budgets") and faster (a free-list allocator was smaller still
/// but made a seek in the page twice as slow).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    panic::install();
    yew::Renderer::<app::App>::new().render();
}
