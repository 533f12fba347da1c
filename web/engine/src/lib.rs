//! # ballot-engines: one wasm module per protocol, for a Web Worker
//!
//! Each binary in `src/bin/` is one line, [`engine!`] with a registered protocol; Trunk builds
//! it as a `data-type="worker"` link (index.html) and `web/engine.js` loads it in a Web Worker
//! when the page picks that protocol. The worker hands each message (an encoded
//! [`ballot_engine::wire::Envelope`]) to `handle` and posts back the encoded reply.
//!
//! A test checks that every protocol in the registry has its binary and its link in index.html.

/// The worker's entry points for protocol `$p`: `handle(bytes) -> bytes` over one engine.
#[macro_export]
macro_rules! engine {
    ($p:ty) => {
        use ::wasm_bindgen::prelude::wasm_bindgen;

        ::std::thread_local! {
            static ENGINE: ::core::cell::RefCell<::ballot_engine::Engine<$p>> =
                ::core::cell::RefCell::new(::ballot_engine::Engine::new());
        }

        /// Answers one encoded request with an encoded reply.
        #[wasm_bindgen]
        pub fn handle(bytes: &[u8]) -> Vec<u8> {
            ENGINE.with(|engine| ::ballot_engine::AnyEngine::handle_bytes(&mut *engine.borrow_mut(), bytes))
        }

        /// Talc instead of dlmalloc, as in the page: about 2 KB less per engine and faster.
        #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
        #[global_allocator]
        static ALLOCATOR: ::talc::wasm::WasmDynamicTalc = ::talc::wasm::new_wasm_dynamic_allocator();

        fn main() {}
    };
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn every_registered_protocol_has_an_engine_binary_and_a_link() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let index = std::fs::read_to_string(root.join("../../index.html")).expect("index.html");
        for name in ballot_engine::registry::names() {
            let bin = root.join(format!("src/bin/engine-{name}.rs"));
            let text =
                std::fs::read_to_string(&bin).unwrap_or_else(|_| panic!("{} is missing", bin.display()));
            assert!(text.contains("engine!("), "{} does not call engine!", bin.display());
            let link = format!("data-bin=\"engine-{name}\"");
            assert!(index.contains(&link), "index.html has no worker link with {link}");
        }
    }
}
