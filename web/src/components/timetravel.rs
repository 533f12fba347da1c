//! Time travel and sharing: the timeline scrubber under the ring (seek, step back and forward,
//! back to now, undo fork) and the share panel (share link, the run as scenario text).

use ballot_core::Lang;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::texts;
use crate::state::Msg;

/// Properties of [`Scrubber`].
#[derive(Properties, PartialEq)]
pub struct ScrubberProps {
    /// Virtual ms of the shown moment.
    pub now_ms: u64,
    /// Virtual ms of the live run (the scrubber's end).
    pub live_ms: u64,
    /// A past moment is shown.
    pub past: bool,
    /// A fork can be undone.
    pub can_undo: bool,
    /// Language.
    pub lang: Lang,
    /// Where every change goes.
    pub on_msg: Callback<Msg>,
}

/// A range over the live run's time, with step buttons.
pub fn scrubber(props: &ScrubberProps) -> Html {
    let t = texts(props.lang);
    let send = |msg: Msg| props.on_msg.reform(move |_: MouseEvent| msg.clone());
    let on_seek = props.on_msg.reform(|e: InputEvent| {
        Msg::Seek(e.target_unchecked_into::<HtmlInputElement>().value().parse().unwrap_or(0))
    });
    html! {
        <div class="scrubber" data-scrubber="">
            <label>
                <span>{ t.timeline }</span>
                <input type="range" data-control="scrub" min="0" max={props.live_ms.to_string()} step="1"
                    value={props.now_ms.to_string()} oninput={on_seek} />
            </label>
            <button type="button" data-action="step-back" title={t.step_back} aria-label={t.step_back}
                onclick={send(Msg::StepBack)}>{ "⇤" }</button>
            <button type="button" data-action="step-forward" title={t.step_hint} aria-label={t.step}
                onclick={send(Msg::Step)}>{ "⇥" }</button>
            if props.past {
                <button type="button" data-action="live" onclick={send(Msg::Live)}>{ t.live }</button>
            }
            if props.can_undo {
                <button type="button" data-action="undo-fork" onclick={send(Msg::UndoFork)}>{ t.undo_fork }</button>
            }
            if props.past {
                <p class="hint" data-past-hint="">{ t.past_hint }</p>
            }
        </div>
    }
}

/// Properties of [`SharePanel`].
#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The full URL of the last share link, if one was made.
    pub url: Option<AttrValue>,
    /// The scenario text box's text.
    pub scenario: AttrValue,
    /// The scenario box is open.
    pub scenario_open: bool,
    /// Why the scenario could not be loaded.
    pub scenario_error: Option<AttrValue>,
    /// The scenario was loaded, skipping this many protocol-specific expectations.
    pub scenario_loaded: Option<usize>,
    /// Language.
    pub lang: Lang,
    /// Where every change goes.
    pub on_msg: Callback<Msg>,
}

/// The share button and the link it made.
pub fn share_panel(props: &ShareProps) -> Html {
    let t = texts(props.lang);
    let send = |msg: Msg| props.on_msg.reform(move |_: MouseEvent| msg.clone());
    let select_all = Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select());
    let on_scenario = props
        .on_msg
        .reform(|e: InputEvent| Msg::SetScenario(e.target_unchecked_into::<HtmlTextAreaElement>().value()));
    html! {
        <section class="share" data-share-panel="">
            <div class="row">
                <button type="button" data-action="share" onclick={send(Msg::Share)}>{ t.share }</button>
                if let Some(url) = props.url.clone() {
                    <label class="share-url">
                        <span>{ t.share_label }</span>
                        <input type="text" readonly=true data-share-url="" value={url} onfocus={select_all} />
                    </label>
                }
                <button type="button" data-action="export-scenario" aria-pressed={if props.scenario_open { "true" } else { "false" }}
                    onclick={send(Msg::ExportScenario)}>{ t.export_scenario }</button>
                // Opens the Check panel: web/boot.js loads web/check-panel.js on the first click.
                <button type="button" data-action="check" aria-haspopup="dialog">{ t.check }</button>
                // Snippets, QR code, PNG and GIF: web/boot.js loads web/export.js on the first click.
                <button type="button" data-action="export-media" aria-haspopup="dialog">{ t.export_media }</button>
            </div>
            if props.scenario_open {
                <textarea data-scenario="" rows="8" spellcheck="false" aria-label={t.export_scenario}
                    value={props.scenario.clone()} oninput={on_scenario} />
                <div class="row">
                    <button type="button" data-action="import-scenario" onclick={send(Msg::ImportScenario)}>{ t.load_scenario }</button>
                    <a class="download" data-download="scenario" download="ballot-run.scn"
                        href={crate::url::data_url("text/plain", &props.scenario)}>{ t.download_scenario }</a>
                </div>
                if let Some(error) = props.scenario_error.clone() {
                    <p class="error" role="alert" data-scenario-error="">{ error }</p>
                }
                if let Some(skipped) = props.scenario_loaded {
                    <p class="hint" role="status" data-scenario-loaded={skipped.to_string()}>{ crate::i18n::scenario_loaded(props.lang, skipped) }</p>
                }
            }
        </section>
    }
}
