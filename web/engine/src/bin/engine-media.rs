//! The Embed & export dialog's worker (web/export.js, through web/engine.js): GIF encoding and
//! QR codes, in a module loaded only when the dialog is used.
use ballot_engines::media::{qr_svg as qr, GifWriter};
use ballot_engines::Single;
use wasm_bindgen::prelude::wasm_bindgen;

#[derive(Default)]
struct State(Option<GifWriter>);

static GIF: Single<State> = Single::new();

/// Starts a looping GIF of `width`×`height` pixels, `delay_cs` hundredths of a second a frame.
/// False if the size is impossible.
#[wasm_bindgen]
pub fn gif_begin(width: u32, height: u32, delay_cs: u32) -> bool {
    GIF.with(|s| {
        s.0 = GifWriter::new(width, height, delay_cs);
        s.0.is_some()
    })
}

/// Adds one RGBA frame; returns the frames so far, or 0 if it was refused.
#[wasm_bindgen]
pub fn gif_frame(rgba: &[u8]) -> u32 {
    GIF.with(|s| s.0.as_mut().and_then(|w| w.frame(rgba)).unwrap_or(0))
}

/// The finished GIF (empty if none was begun).
#[wasm_bindgen]
pub fn gif_end() -> Vec<u8> {
    GIF.with(|s| s.0.take().map(GifWriter::finish).unwrap_or_default())
}

/// A QR code of `text` as SVG, or an empty string if the text is too long.
#[wasm_bindgen]
pub fn qr_svg(text: &str) -> String {
    qr(text).unwrap_or_default()
}

/// The same allocator as the engines and the page.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: ::talc::wasm::WasmDynamicTalc = ::talc::wasm::new_wasm_dynamic_allocator();

fn main() {}
