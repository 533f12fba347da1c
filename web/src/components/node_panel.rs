//! The selected server: its state, crash/restart, force timeout and a client request box.
//! It stays on screen next to the ring (style.css: beside it on a wide screen, a sheet over the
//! bottom of a narrow one); Escape or its close button closes it and focuses the server again.

use ballot_core::{Lang, NodeId};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use ballot_engine::view::NodeView;

use crate::i18n::texts;
use crate::state::Msg;

/// Properties of [`node_panel`].
#[derive(Properties, PartialEq)]
pub struct NodePanelProps {
    /// The selected server, if any.
    pub node: Option<NodeView>,
    /// The "force timeout" button's label (the protocol's word for it).
    pub timeout_label: AttrValue,
    /// Said of a crashed server.
    pub down_note: AttrValue,
    /// The request being typed.
    pub request: AttrValue,
    /// Why the request was refused.
    pub error: Option<AttrValue>,
    /// The request box (the page focuses it for the `q` key).
    pub input: NodeRef,
    /// Language.
    pub lang: Lang,
    /// Where every action goes.
    pub on_msg: Callback<Msg>,
}

/// The node panel.
pub fn node_panel(props: &NodePanelProps) -> Html {
    let t = texts(props.lang);
    let input = props.input.clone();
    let Some(node) = &props.node else {
        return html! { <section class="panel node-panel empty"><p class="caption">{ t.select_hint }</p></section> };
    };
    let id = NodeId(node.id);
    let send = |msg: Msg| props.on_msg.reform(move |_: MouseEvent| msg.clone());
    let on_input = props
        .on_msg
        .reform(|e: InputEvent| Msg::SetRequest(e.target_unchecked_into::<HtmlInputElement>().value()));
    let on_submit = props.on_msg.reform(move |e: SubmitEvent| {
        e.prevent_default();
        Msg::SendRequest(id)
    });
    let timeout = props.timeout_label.clone();
    let close = props.on_msg.reform(|_: MouseEvent| {
        focus_selected();
        Msg::Select(None)
    });
    html! {
        <section class="panel node-panel" data-panel-node={node.id.to_string()}>
            <h2>
                { format!("S{} · ", node.id) }
                <span class={format!("role-tag {}", node.role)}>{ node.role_label.clone() }</span>
                <button type="button" class="close" data-action="close-node" aria-label={t.close} onclick={close}>{ "×" }</button>
            </h2>
            <dl>
                { for node.details.iter().map(|(label, value)| html! { <><dt>{ label.clone() }</dt><dd>{ value.clone() }</dd></> }) }
            </dl>
            if !node.up {
                <p class="caption">{ props.down_note.clone() }</p>
            }
            <div class="buttons">
                <button type="button" data-action="crash" onclick={send(Msg::ToggleCrash(id))}>
                    { if node.up { t.crash } else { t.restart } }
                </button>
                <button type="button" data-action="timeout" disabled={!node.can_timeout} onclick={send(Msg::Timeout(id))}>{ timeout }</button>
            </div>
            <form class="request" onsubmit={on_submit}>
                <label>
                    <span>{ t.request }</span>
                    <input ref={input} type="text" data-request-input="" value={props.request.clone()}
                        placeholder="x=5 · set x 5 · get x" oninput={on_input} autocomplete="off" spellcheck="false" />
                </label>
                <button type="submit" data-action="send-request">{ t.send }</button>
            </form>
            if let Some(err) = &props.error {
                <p class="request-error" role="alert" data-request-error="">{ err.clone() }</p>
            }
        </section>
    }
}

/// The first element of the page that matches `selector`.
pub fn find(selector: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.query_selector(selector).ok().flatten()
}

/// Gives the keyboard focus to the selected server (its actions are closing).
pub fn focus_selected() {
    if let Some(el) = find("#ballot .node.selected") {
        // An SVG element has `focus()` too; web-sys only declares it on HTMLElement.
        let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
    }
}
