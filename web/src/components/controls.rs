//! The control bar: time (play, step, speed), the run's parameters (protocol, servers, seed,
//! loss, duplication, bug, reset) and the network (partition, heal, what a message click does).

use ballot_core::Lang;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use std::rc::Rc;

use ballot_engine::registry::CATALOG;
use ballot_engine::view::Chrome;
use ballot_engine::wire::RunSetup;

use crate::i18n::{self, texts};
use crate::state::{Msg, MsgClick};
use crate::url::{MAX_SIZE, MIN_SIZE};

/// The speed slider's range in steps of a tenth of a decade: 10^-2 (1/100×) to 10^1 (10×),
/// matching `url::MIN_SPEED` and `url::MAX_SPEED`.
const SPEED_STEPS: (i32, i32) = (-20, 10);

/// Properties of [`Controls`].
#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    /// The protocol (a registered name).
    pub protocol: &'static str,
    /// The run's parameters.
    pub config: RunSetup,
    /// The protocol's broken variants and words (empty until its engine answers).
    pub chrome: Option<Rc<Chrome>>,
    /// Virtual ms per wall ms.
    pub speed: f64,
    /// Whether time flows.
    pub playing: bool,
    /// What a message click does.
    pub msg_click: MsgClick,
    /// A partition is being edited.
    pub editing_partition: bool,
    /// Language.
    pub lang: Lang,
    /// Where every change goes.
    pub on_msg: Callback<Msg>,
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// The control bar.
pub fn controls(props: &ControlsProps) -> Html {
    let t = texts(props.lang);
    let send = |msg: Msg| props.on_msg.reform(move |_: MouseEvent| msg.clone());
    let on_speed = props.on_msg.reform(|e: InputEvent| {
        let step = e.target_unchecked_into::<HtmlInputElement>().value().parse().unwrap_or(SPEED_STEPS.0);
        Msg::SetSpeed(crate::num::speed_of_step(step))
    });
    let on_size = props.on_msg.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::SetSize(v.parse().unwrap_or(5))
    });
    let on_seed = {
        let on_msg = props.on_msg.clone();
        let seed = props.config.seed;
        Callback::from(move |e: Event| {
            // A seed that is not a whole number is ignored (the box shows the one in use).
            match input_value(&e).trim().parse::<u64>() {
                Ok(s) => on_msg.emit(Msg::SetSeed(s)),
                Err(_) => e.target_unchecked_into::<HtmlInputElement>().set_value(&seed.to_string()),
            }
        })
    };
    let on_loss = props.on_msg.reform(|e: Event| Msg::SetLoss(input_value(&e).parse().unwrap_or(0)));
    let on_dup = props.on_msg.reform(|e: Event| Msg::SetDup(input_value(&e).parse().unwrap_or(0)));
    let on_bug = props.on_msg.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::SetBug((v != "none").then_some(v))
    });
    let on_workload = props
        .on_msg
        .reform(|e: Event| Msg::SetWorkload(e.target_unchecked_into::<HtmlInputElement>().checked()));
    let on_protocol = props.on_msg.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::SetProtocol(v)
    });
    let protocol = props.protocol;
    let on_click_mode = props.on_msg.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::SetMsgClick(if v == "duplicate" { MsgClick::Duplicate } else { MsgClick::Drop })
    });
    let bug_name = props.config.bug.clone().unwrap_or_else(|| String::from("none"));
    let chrome = props.chrome.clone().unwrap_or_default();
    let bug_desc = match &props.config.bug {
        Some(b) => {
            chrome.bugs.iter().find(|x| &x.name == b).map(|x| x.description.clone()).unwrap_or_default()
        }
        None => chrome.bug_none_description.clone(),
    };
    let speed_step = crate::num::step_of_speed(props.speed, SPEED_STEPS.0, SPEED_STEPS.1).to_string();

    html! {
        <section class="controls" aria-label="controls" data-bug={bug_name.clone()} data-protocol={protocol}>
            <div class="group time">
                <button type="button" class="primary" data-action="play" onclick={send(Msg::TogglePlay)}
                    aria-pressed={if props.playing { "true" } else { "false" }}>
                    { if props.playing { format!("‖ {}", t.pause) } else { format!("▶ {}", t.play) } }
                </button>
                <button type="button" data-action="step" title={t.step_hint} onclick={send(Msg::Step)}>{ format!("⇥ {}", t.step) }</button>
                <label class="speed">
                    <span>{ t.speed }</span>
                    <input type="range" data-control="speed" min={SPEED_STEPS.0.to_string()}
                        max={SPEED_STEPS.1.to_string()} step="1" value={speed_step} oninput={on_speed} />
                    <output data-speed={crate::num::fixed(props.speed, 6)}>{ i18n::speed(props.speed) }</output>
                </label>
            </div>
            <div class="group run">
                <label>
                    <span>{ t.protocol }</span>
                    <select data-control="protocol" onchange={on_protocol}>
                        { for CATALOG.iter().map(|p| html! {
                            <option value={p.name} selected={p.name == protocol}>{ p.title(props.lang) }</option>
                        }) }
                    </select>
                </label>
                <label>
                    <span>{ t.size }</span>
                    <select data-control="size" onchange={on_size}>
                        { for (MIN_SIZE..=MAX_SIZE).map(|n| html! {
                            <option value={n.to_string()} selected={n == props.config.size}>{ n }</option>
                        }) }
                    </select>
                </label>
                <label>
                    <span>{ t.seed }</span>
                    <input type="number" data-control="seed" min="0" step="1" class="seed"
                        value={props.config.seed.to_string()} onchange={on_seed} />
                </label>
                <label>
                    <input type="checkbox" data-control="workload" checked={props.config.workload} onchange={on_workload} />
                    <span>{ t.workload }</span>
                </label>
                <label>
                    <span>{ format!("{} {}%", t.loss, props.config.loss_pct) }</span>
                    <input type="range" data-control="loss" min="0" max="100" step="1"
                        value={props.config.loss_pct.to_string()} onchange={on_loss} />
                </label>
                <label>
                    <span>{ format!("{} {}%", t.dup, props.config.dup_pct) }</span>
                    <input type="range" data-control="dup" min="0" max="100" step="1"
                        value={props.config.dup_pct.to_string()} onchange={on_dup} />
                </label>
                <button type="button" data-action="reset" onclick={send(Msg::Reset)}>{ format!("↺ {}", t.reset) }</button>
            </div>
            <div class="group bug">
                <label>
                    <span>{ t.bug }</span>
                    <select data-control="bug" onchange={on_bug}>
                        <option value="none" selected={props.config.bug.is_none()}>{ chrome.bug_none.clone() }</option>
                        { for chrome.bugs.iter().map(|b| html! {
                            <option value={b.name.clone()} title={b.description.clone()} selected={props.config.bug.as_ref() == Some(&b.name)}>{ b.name.clone() }</option>
                        }) }
                    </select>
                </label>
                <p class="bug-desc" data-bug-desc={bug_name}>{ bug_desc }</p>
            </div>
            <div class="group net">
                if props.editing_partition {
                    <button type="button" class="primary" data-action="apply-partition" onclick={send(Msg::ApplyPartition)}>{ t.apply }</button>
                    <button type="button" data-action="cancel-partition" onclick={send(Msg::CancelPartition)}>{ t.cancel }</button>
                } else {
                    <button type="button" data-action="partition" onclick={send(Msg::StartPartition)}>{ t.partition }</button>
                }
                <button type="button" data-action="heal" onclick={send(Msg::Heal)}>{ t.heal }</button>
                <label>
                    <span>{ t.click_msg }</span>
                    <select data-control="msg-click" onchange={on_click_mode}>
                        <option value="drop" selected={props.msg_click == MsgClick::Drop}>{ t.click_drop }</option>
                        <option value="duplicate" selected={props.msg_click == MsgClick::Duplicate}>{ t.click_dup }</option>
                    </select>
                </label>
                // The shortcut help is web/help.js, which web/boot.js loads on the first click or `?`.
                <button type="button" data-action="help" aria-haspopup="dialog" aria-label={t.help}>{ "?" }</button>
            </div>
            if props.editing_partition {
                <p class="hint" data-partition-hint="">{ t.partition_hint }</p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::SPEED_STEPS;
    use crate::num::speed_of_step;
    use crate::url::{MAX_SPEED, MIN_SPEED};

    #[test]
    fn the_speed_slider_spans_exactly_the_allowed_speeds() {
        assert!((speed_of_step(SPEED_STEPS.0) / MIN_SPEED - 1.0).abs() < 1e-12);
        assert!((speed_of_step(SPEED_STEPS.1) / MAX_SPEED - 1.0).abs() < 1e-12);
    }
}
