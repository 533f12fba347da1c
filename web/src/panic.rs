//! A panic must never leave a blank page: the hook logs to the console *and* writes a visible
//! error box into the document, so a learner (and a browser test) can see what went wrong.

use std::panic::PanicHookInfo;

/// The attribute that marks the error box; browser tests look for `[data-error]`.
pub const ERROR_ATTR: &str = "data-error";

/// Installs the hook through Yew, which otherwise replaces any hook set before it renders.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(hook));
}

fn hook(info: &PanicHookInfo<'_>) {
    let message = info.to_string();
    web_sys::console::error_1(&format!("ballot-web panicked: {message}").into());
    // Best effort: if the DOM itself is unreachable, the console line above is all we can do.
    let _ = show(&message);
}

/// Appends `<div data-error="panic" role="alert">` to `<body>`; `None` if the DOM is missing.
fn show(message: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let text = format!("Ballot stopped because of an internal error. / Ballot 因内部错误而停止。\n{message}");
    let error = document.create_element("div").ok()?;
    error.set_attribute(ERROR_ATTR, "panic").ok()?;
    error.set_attribute("role", "alert").ok()?;
    error.set_class_name("error-box");
    error.set_text_content(Some(&text));
    document.body()?.append_child(&error).ok()?;
    Some(())
}
