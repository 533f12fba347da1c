//! # ballot-engines: one wasm module per protocol, for a Web Worker
//!
//! Each binary in `src/bin/` is one line, [`engine!`] with a registered protocol; Trunk builds
//! it as a `data-type="worker"` link (index.html) and `web/engine.js` loads it in a Web Worker
//! when the page picks that protocol. The worker hands each message (an encoded
//! [`ballot_engine::wire::Envelope`]) to `handle` and posts back the encoded reply.
//!
//! Two more binaries are not protocols: `engine-check` (the Check panel's model checker) and
//! `engine-media` (the Embed & export dialog's GIF and QR encoders, [`media`]).
//!
//! A test checks that every protocol in the registry has its binary and its link in index.html,
//! and that every binary has its link.

pub mod media;

/// The worker's entry points for protocol `$p`: `handle(bytes) -> bytes` over one engine.
#[macro_export]
macro_rules! engine {
    ($p:ty) => {
        use ::wasm_bindgen::prelude::wasm_bindgen;

        static ENGINE: $crate::Single<::ballot_engine::Engine<$p>> = $crate::Single::new();

        /// Answers one encoded request with an encoded reply.
        #[wasm_bindgen]
        pub fn handle(bytes: &[u8]) -> Vec<u8> {
            ENGINE.with(|engine| ::ballot_engine::AnyEngine::handle_bytes(engine, bytes))
        }

        /// Talc instead of dlmalloc, as in the page: about 2 KB less per engine and faster.
        #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
        #[global_allocator]
        static ALLOCATOR: ::talc::wasm::WasmDynamicTalc = ::talc::wasm::new_wasm_dynamic_allocator();

        fn main() {}
    };
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// Defined by web/engine.js: posts `{ progress: json }` to the Check panel.
    #[wasm_bindgen(js_name = ballotCheckProgress)]
    pub fn check_progress(json: &str);
}

/// The Check panel's worker (`engine-check`, every registered protocol in one module, loaded only
/// when the panel opens): answers one query string (`protocol=NAME&op=…`, see
/// `ballot_engine::check`) with a JSON object.
pub fn check_any(query: &str) -> String {
    struct Answer<'a>(&'a str);
    impl ballot_engine::Visitor for Answer<'_> {
        type Output = String;
        fn visit<P: ballot_engine::Visual>(self) -> String {
            ballot_engine::check::answer::<P>(self.0, &mut |json| check_progress(json))
        }
    }
    let protocol = query.split('&').find_map(|pair| pair.strip_prefix("protocol=")).unwrap_or_default();
    ballot_engine::registry::dispatch(protocol, Answer(query)).unwrap_or_else(|| {
        format!("{{\"error\":{}}}", ballot_engine::check::quote(&format!("no protocol called `{protocol}`")))
    })
}

/// The worker's one engine. A Web Worker runs one thread and wasm without the `atomics`
/// feature has no threads at all, so a plain cell is enough; `std::thread_local!` would bring
/// its machinery (224 bytes of the Raft engine, gzipped) for nothing.
pub struct Single<T>(core::cell::RefCell<Option<T>>);

// SAFETY: only built for single-threaded wasm (no `atomics` target feature): nothing can share
// it across threads. Natively (tests) nothing calls `with` from two threads either.
unsafe impl<T> Sync for Single<T> {}

impl<T: Default> Single<T> {
    /// An empty cell; the value is made on first use.
    pub const fn new() -> Self {
        Single(core::cell::RefCell::new(None))
    }

    /// Runs `f` on the value (made with `Default` the first time).
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let mut slot = self.0.borrow_mut();
        f(slot.get_or_insert_with(T::default))
    }
}

impl<T: Default> Default for Single<T> {
    fn default() -> Self {
        Self::new()
    }
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
        // The other workers (not protocols) have their links too.
        for entry in std::fs::read_dir(root.join("src/bin")).expect("src/bin") {
            let file = entry.expect("an entry").file_name().into_string().expect("a UTF-8 name");
            let bin = file.strip_suffix(".rs").expect("a Rust file");
            let link = format!("data-bin=\"{bin}\"");
            assert!(index.contains(&link), "index.html has no worker link with {link}");
        }
    }
}
