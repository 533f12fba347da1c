//! The space-time (Lamport) diagram under the ring: one lifeline per server, an arrow per
//! message, crashes, restarts, role changes and commits marked, and the shown moment as a line.
//!
//! The picture is `ballot_sim::diagram`'s SVG (the same drawing `ballot diagram` writes), put in
//! the page as markup: one string instead of a virtual node per arrow keeps the bundle small.
//! Pointing at an arrow reports its message id, which the ring and the feed highlight.

use ballot_core::{Instant, Lang};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::texts;
use ballot_engine::engine::{diagram_window, DIAGRAM_SPANS_MS};

use crate::state::Msg;

/// Properties of [`Diagram`].
#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    /// The SVG markup of the window around the shown moment.
    pub svg: AttrValue,
    /// The zoom level (index into [`DIAGRAM_SPANS_MS`]).
    pub zoom: usize,
    /// Virtual ms of the shown moment (the cursor).
    pub now_ms: u64,
    /// The message the pointer is on, here, in the ring or in the feed (its arrow is highlighted).
    pub hover: Option<u64>,
    /// The exported diagram as a `data:` URL, once asked for.
    pub svg_url: Option<AttrValue>,
    /// Language.
    pub lang: Lang,
    /// Where every change goes.
    pub on_msg: Callback<Msg>,
}

/// The message id of the element under the pointer (an arrow, a dot, a feed line), if any.
pub fn msg_under(e: &MouseEvent) -> Option<u64> {
    let el = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    el.closest("[data-msg-id]").ok()??.get_attribute("data-msg-id")?.parse().ok()
}

/// How far down the drawing a click landed (0 top, 1 bottom).
fn fraction_down(e: &MouseEvent) -> Option<f64> {
    // Yew listens at its root, so the event's current target is not this view: go up from the
    // element clicked.
    let clicked = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    let view = clicked.closest(".diagram-view").ok()??;
    let rect = view.query_selector("svg").ok()??.get_bounding_client_rect();
    (rect.height() > 0.0).then(|| (f64::from(e.client_y()) - rect.top()) / rect.height())
}

/// The diagram with its zoom and export buttons.
pub fn diagram(props: &DiagramProps) -> Html {
    let t = texts(props.lang);
    let send = |msg: Msg| props.on_msg.reform(move |_: MouseEvent| msg.clone());
    let (from, to) = diagram_window(Instant::from_millis(props.now_ms), props.zoom);
    let span_ms = (to - from).as_millis();
    let on_over = props.on_msg.reform(|e: MouseEvent| Msg::Hover(msg_under(&e)));
    let on_leave = props.on_msg.reform(|_: MouseEvent| Msg::Hover(None));
    let on_click =
        props.on_msg.reform(|e: MouseEvent| Msg::DiagramSeek(fraction_down(&e).unwrap_or(f64::NAN)));
    html! {
        <section class="diagram" data-diagram="" data-span-ms={span_ms.to_string()}
            data-from-ms={from.as_millis().to_string()} data-to-ms={to.as_millis().to_string()} aria-labelledby="diagram-title">
            <div class="row">
                <h2 id="diagram-title">{ t.diagram_title }</h2>
                <span class="span">{ format!("{span_ms} ms") }</span>
                <button type="button" data-action="zoom-in" title={t.zoom_in} aria-label={t.zoom_in}
                    disabled={props.zoom == 0} onclick={send(Msg::Zoom(true))}>{ "+" }</button>
                <button type="button" data-action="zoom-out" title={t.zoom_out} aria-label={t.zoom_out}
                    disabled={props.zoom + 1 >= DIAGRAM_SPANS_MS.len()} onclick={send(Msg::Zoom(false))}>{ "−" }</button>
                <button type="button" data-action="export-svg" aria-pressed={if props.svg_url.is_some() { "true" } else { "false" }}
                    onclick={send(Msg::ExportSvg)}>{ t.export_svg }</button>
                if let Some(url) = props.svg_url.clone() {
                    <a class="download" data-download="svg" href={url} download="diagram.svg">{ t.download_svg }</a>
                }
            </div>
            <div class="diagram-view" tabindex="0" onmouseover={on_over} onmouseleave={on_leave} onclick={on_click}
                title={t.diagram_click} data-hover={props.hover.map(|id| id.to_string())}>
                if let Some(id) = props.hover {
                    <style>{ format!(".diagram-view [data-msg-id=\"{id}\"] line + line {{ stroke-width: 3; stroke: #CC0000; }}") }</style>
                }
                { Html::from_html_unchecked(props.svg.clone()) }
            </div>
            <p class="caption">{ t.diagram_hint }</p>
        </section>
    }
}
