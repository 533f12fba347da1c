//! The language preference: an explicit choice saved in `localStorage` wins, then the
//! browser's `navigator.language`, then English.

use ballot_core::lang::Lang;

/// The `localStorage` key holding the chosen language tag (`en` or `zh-CN`).
pub const LANG_KEY: &str = "ballot.lang";

fn storage() -> Option<web_sys::Storage> {
    // `local_storage` fails when storage is disabled (e.g. some private modes): then we forget.
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language to start in.
pub fn initial_lang() -> Lang {
    let saved = storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    let browser = web_sys::window().and_then(|w| w.navigator().language());
    pick_lang(saved.as_deref(), browser.as_deref())
}

/// Remembers an explicit choice (best effort).
pub fn save_lang(lang: Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item(LANG_KEY, lang.tag());
    }
}

/// Sets `<html lang>` so fonts, screen readers and line breaking follow the language.
pub fn apply_document_lang(lang: Lang) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// The pure rule behind [`initial_lang`].
pub fn pick_lang(saved: Option<&str>, browser: Option<&str>) -> Lang {
    saved.and_then(Lang::parse).or_else(|| browser.and_then(Lang::parse)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_choice_beats_browser_language() {
        assert_eq!(pick_lang(Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(pick_lang(Some("zh-CN"), Some("en-US")), Lang::Zh);
    }

    #[test]
    fn browser_language_then_english() {
        assert_eq!(pick_lang(None, Some("zh-Hans-CN")), Lang::Zh);
        assert_eq!(pick_lang(Some("garbage"), Some("fr-FR")), Lang::En);
        assert_eq!(pick_lang(None, None), Lang::En);
    }
}
