//! The root component: holds the one [`Playground`] state, drives it with the animation hook and
//! the keyboard, and lays out the components. Everything it draws comes from the engine's last
//! reply (the view, the diagram, the protocol's chrome).

use ballot_core::{Lang, NodeId};
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use std::rc::Rc;

use crate::components::controls::{controls, ControlsProps};
use crate::components::diagram::{diagram, msg_under, DiagramProps};
use crate::components::node_panel::{node_panel, NodePanelProps};
use crate::components::notices::{notices, NoticesProps};
use crate::components::ring::{ring, RingProps};
use crate::components::timetravel::{scrubber, share_panel, ScrubberProps, ShareProps};
use crate::hooks::use_animation_frame;
use crate::i18n::{endonym, texts};
use crate::state::{Msg, Playground};
use crate::{prefs, url};

/// The whole playground.
#[function_component(App)]
pub fn app() -> Html {
    if selftest_panic_requested() {
        // Lets the browser tests prove that a panic becomes a visible error box.
        panic!("self-test panic requested by ?selftest=panic");
    }

    // Replies from the engine's worker come back as messages; the dispatcher exists only once
    // the reducer does, so the transport reaches it through this cell.
    let inbox: Rc<std::cell::RefCell<Option<Callback<Msg>>>> = use_mut_ref(|| None);
    let state = {
        let inbox = inbox.clone();
        use_reducer(move || {
            let (mut setup, problems) = url::parse(&url::current_query());
            // Motion on its own is what `prefers-reduced-motion` asks to avoid: start paused.
            setup.paused |= reduced_motion();
            let heard = Callback::from(move |heard: crate::engine_link::worker::Heard| {
                let msg = match heard {
                    crate::engine_link::worker::Heard::Reply(g, reply) => Msg::Heard(g, Rc::new(*reply)),
                    crate::engine_link::worker::Heard::Error(g, why) => Msg::EngineFailed(g, why),
                };
                if let Some(cb) = inbox.borrow().as_ref() {
                    cb.emit(msg);
                }
            });
            let transport = Rc::new(crate::engine_link::worker::WorkerTransport::new(heard));
            Playground::new(&setup, problems, prefs::initial_lang(), &url::current_hash(), transport)
        })
    };
    {
        let dispatcher = state.dispatcher();
        *inbox.borrow_mut() = Some(Callback::from(move |msg: Msg| dispatcher.dispatch(msg)));
    }
    let lang = state.lang;
    // `q` focuses the request box of the node panel.
    let request_input = use_node_ref();
    {
        let input = request_input.clone();
        use_effect_with(state.focus_request, move |focus| {
            if *focus > 0 {
                if let Some(el) = input.cast::<web_sys::HtmlInputElement>() {
                    let _ = el.focus();
                    el.select();
                }
            }
        });
    }
    use_effect_with(lang, |lang| prefs::apply_document_lang(*lang));
    // On a narrow screen the selected server's actions are a sheet over the bottom of the
    // screen: the ring moves up to sit above it (see `.ring`'s scroll-margin in style.css).
    use_effect_with(state.selected, |selected| {
        if selected.is_some() && media("(max-width: 820px)") {
            if let Some(ring) = crate::components::node_panel::find("svg.ring") {
                ring.scroll_into_view_with_bool(false);
            }
        }
    });

    let on_msg = {
        let dispatcher = state.dispatcher();
        Callback::from(move |msg: Msg| dispatcher.dispatch(msg))
    };
    use_animation_frame(state.playing, on_msg.reform(Msg::Tick));
    {
        let on_msg = on_msg.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| on_msg.emit(Msg::OpenLink(url::current_hash())))
            });
            move || drop(listener)
        });
    }
    // The address carries the shared run; a new run (reset, new parameters, a loaded scenario)
    // takes the stale link out of it.
    use_effect_with(state.share.clone(), |share| match share {
        Some(link) => url::set_hash(link),
        None if !url::current_hash().is_empty() => url::set_hash(""),
        None => {}
    });
    {
        let on_msg = on_msg.clone();
        use_effect_with((), move |_| {
            let listener = keyboard(on_msg);
            move || drop(listener)
        });
    }

    let on_lang = on_msg.reform(|chosen: Lang| {
        prefs::save_lang(chosen);
        Msg::SetLang(chosen)
    });
    let t = texts(lang);
    let Some(reply) = state.reply.clone() else {
        // The engine is loading (or could not load: the error box says why).
        return html! {
            <div id="ballot" class="playground loading" data-lang={lang.tag()} data-protocol={state.protocol}
                data-loading="true">
                if let Some(e) = state.engine_error.clone() {
                    <div class="error-box" role="alert" data-error="engine">{ format!("{}\n{e}", t.engine_failed) }</div>
                } else {
                    <p class="loading-note" role="status">{ t.loading }</p>
                }
            </div>
        };
    };
    let snap = &reply.view;
    let share_url = state.share.as_ref().map(|link| AttrValue::from(format!("{}#{link}", url::page_base())));
    let protocol = state.protocol;
    let selected = state.selected.and_then(|id| snap.nodes.get(id.index()).cloned());

    html! {
        <div id="ballot" class={format!("playground protocol-{protocol}")} data-lang={lang.tag()}
            data-protocol={protocol}
            data-chosen={snap.chosen.clone()}
            data-now-ms={snap.now_ms.to_string()}
            data-playing={if state.playing { "true" } else { "false" }}
            data-violations={snap.violations.to_string()}
            data-leader={snap.leader.map(|l| l.to_string()).unwrap_or_default()}
            data-fingerprint={snap.fingerprint.clone()}
            data-size={state.setup.size.to_string()}
            data-seed={state.setup.seed.to_string()}
            data-events={snap.events.to_string()}
            data-in-flight={snap.in_flight.to_string()}
            data-scrub={snap.in_past.then_some("true")}
            data-presenter={state.presenter.then_some("true")}>
            <header class="topbar">
                <div class="brand">
                    <h1>{ "Ballot" }</h1>
                    <p class="tagline" data-i18n="tagline">{ t.tagline }</p>
                </div>
                // Opens web/tours.js (imported by web/boot.js on the first click).
                <button type="button" class="tours-button" data-action="tours" aria-haspopup="dialog">{ t.tours }</button>
                { lang_toggle(&LangToggleProps { lang, on_change: on_lang }) }
            </header>
            { controls(&ControlsProps { protocol, config: state.setup.clone(), chrome: Some(Rc::new(reply.chrome.clone())), speed: state.speed, playing: state.playing, msg_click: state.msg_click, editing_partition: state.partition.is_some(), lang, on_msg: on_msg.clone() }) }
            { notices(&NoticesProps { problems: state.problems.clone(), violation: state.violation_banner, link_error: state.link_error.clone().map(AttrValue::from), lang, on_msg: on_msg.clone() }) }
            if let Some(e) = state.engine_error.clone() {
                <div class="error-box" role="alert" data-error="engine">{ format!("{}\n{e}", t.engine_failed) }</div>
            }
            <main class="stage">
                <div class="left">
                    // A guided tour's caption and buttons, drawn by web/tours.js (Yew keeps no child here).
                    <div class="tour-slot" data-tour-slot="" />
                    <p class="status">
                        <span>{ format!("{} ", t.time) }<b data-now="">{ snap.now.clone() }</b></span>
                        <span>{ format!("{} ", snap.status_label) }<b data-status="">{ snap.status_value.clone() }</b></span>
                    </p>
                    // The newest milestone: a caption for the eye and a polite live region for
                    // screen readers.
                    <p class="milestone" role="status" aria-live="polite" data-milestone="">{ snap.milestone.clone() }</p>
                    { markup(&snap.markup.banner) }
                    { ring(&RingProps { nodes: Rc::new(snap.nodes.clone()), msgs: Rc::new(snap.msgs.clone()), undrawn: snap.in_flight.saturating_sub(snap.msgs.len() as u64), blocked: Rc::new(snap.blocked.clone()), selected: state.selected.map(|id| id.0), draft: state.partition.clone(), lang, on_node: on_msg.reform(|id: u8| Msg::Select(Some(NodeId(id)))), on_msg: on_msg.reform(Msg::ClickMessage), hover: state.hover, on_hover: on_msg.reform(Msg::Hover) }) }
                    { scrubber(&ScrubberProps { now_ms: snap.now_ms, live_ms: snap.live_ms, past: snap.in_past, can_undo: snap.can_undo, lang, on_msg: on_msg.clone() }) }
                    { diagram(&DiagramProps { svg: AttrValue::from(reply.diagram.clone()), zoom: state.zoom, now_ms: snap.now_ms, hover: state.hover, svg_url: state.svg_url.clone().map(AttrValue::from), lang, on_msg: on_msg.clone() }) }
                    { markup(&snap.markup.legend) }
                    { markup(&snap.markup.invariants) }
                </div>
                <div class="right">
                    { node_panel(&NodePanelProps { node: selected, timeout_label: AttrValue::from(reply.chrome.timeout_label.clone()), down_note: AttrValue::from(reply.chrome.down_note.clone()), request: state.request_text.clone(), error: state.request_error.clone().map(AttrValue::from), input: request_input.clone(), lang, on_msg: on_msg.clone() }) }
                    { markup(&snap.markup.panels) }
                    <div class="markup" onmouseover={on_msg.reform(|e: MouseEvent| Msg::Hover(msg_under(&e)))}
                        onmouseleave={on_msg.reform(|_: MouseEvent| Msg::Hover(None))}>
                        { Html::from_html_unchecked(AttrValue::from(snap.markup.feed.clone())) }
                    </div>
                    { share_panel(&ShareProps { url: share_url, scenario: state.scenario_text.clone(), scenario_open: state.scenario_open, scenario_loaded: state.scenario_loaded, scenario_error: state.scenario_error.clone().map(AttrValue::from), lang, on_msg: on_msg.clone() }) }
                </div>
            </main>
        </div>
    }
}

/// HTML the engine wrote (panels, feed, properties, legend, banner), inserted as it is, in a
/// wrapper that takes no room in the layout.
fn markup(html: &str) -> Html {
    if html.is_empty() {
        return Html::default();
    }
    html! { <div class="markup">{ Html::from_html_unchecked(AttrValue::from(html.to_string())) }</div> }
}

/// The keyboard shortcuts (see `Texts::shortcut_list`). Keys typed into a text box or a select
/// (Escape aside) or with Ctrl/Alt/Meta held are left alone.
fn keyboard(on_msg: Callback<Msg>) -> Option<EventListener> {
    let document = web_sys::window()?.document()?;
    let options = EventListenerOptions::enable_prevent_default();
    Some(EventListener::new_with_options(&document, "keydown", options, move |event| {
        let Some(e) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
        if e.ctrl_key() || e.alt_key() || e.meta_key() {
            return;
        }
        let target = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let key = e.key();
        let typing = target.as_ref().is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.get_attribute("contenteditable").is_some()
        });
        // Escape still closes the server's actions from their request box.
        if typing && key != "Escape" {
            return;
        }
        // Space and Enter press the focused control (a button, a link, a server): no shortcut.
        // A server or message of the ring is no native button: the keys do what its click does.
        if matches!(key.as_str(), " " | "Enter") {
            let ring = target.as_ref().and_then(|el| el.closest("svg.ring [tabindex]").ok().flatten());
            if let Some(el) = ring {
                let number = |name: &str| el.get_attribute(name).and_then(|v| v.parse::<u64>().ok());
                let msg = match (number("data-msg-id"), number("data-node-id")) {
                    (Some(id), _) => Msg::ClickMessage(id),
                    (None, Some(id)) => Msg::Select(Some(NodeId(id as u8))),
                    (None, None) => return,
                };
                e.prevent_default();
                on_msg.emit(msg);
                return;
            }
        }
        let on_control = || {
            target
                .as_ref()
                .is_some_and(|el| el.closest("button, a, [tabindex], [role=button]").ok().flatten().is_some())
        };
        if matches!(key.as_str(), " " | "Enter") && on_control() {
            // A focused server is pressed like a click: it opens its actions.
            if let Some(id) =
                target.and_then(|el| el.get_attribute("data-node-id")).and_then(|v| v.parse().ok())
            {
                e.prevent_default();
                on_msg.emit(Msg::Select(Some(NodeId(id))));
            }
            return;
        }
        let msg = match key.as_str() {
            " " => Msg::TogglePlay,
            "." | "ArrowRight" => Msg::Step,
            "," | "ArrowLeft" => Msg::StepBack,
            "+" | "=" => Msg::Faster,
            "-" | "_" => Msg::Slower,
            "r" | "R" => Msg::Reset,
            "c" | "C" => Msg::CrashSelected,
            "t" | "T" => Msg::TimeoutSelected,
            "q" | "Q" => Msg::RequestSelected,
            "h" | "H" => Msg::Heal,
            "f" | "F" => Msg::TogglePresenter,
            "Escape" => {
                // Closing a server's actions gives the focus back to the server.
                crate::components::node_panel::focus_selected();
                Msg::Escape
            }
            k => match k.parse::<u8>() {
                Ok(n @ 1..=9) => Msg::Select(Some(NodeId(n))),
                _ => return,
            },
        };
        e.prevent_default();
        on_msg.emit(msg);
    }))
}

#[derive(Properties, PartialEq)]
struct LangToggleProps {
    lang: Lang,
    on_change: Callback<Lang>,
}

/// Two buttons, each naming its language in that language; the current one is pressed.
fn lang_toggle(props: &LangToggleProps) -> Html {
    let button = |choice: Lang| {
        let pressed = props.lang == choice;
        let onclick = props.on_change.reform(move |_: MouseEvent| choice);
        html! {
            <button type="button" class="lang" data-lang={choice.tag()} lang={choice.tag()}
                aria-pressed={if pressed { "true" } else { "false" }} {onclick}>
                { endonym(choice) }
            </button>
        }
    };
    html! {
        <div class="lang-toggle" role="group" aria-label={texts(props.lang).language}>
            { button(Lang::En) }
            { button(Lang::Zh) }
        </div>
    }
}

/// Whether the media query `query` matches.
fn media(query: &str) -> bool {
    web_sys::window().and_then(|w| w.match_media(query).ok().flatten()).is_some_and(|m| m.matches())
}

thread_local! {
    static REDUCED_MOTION: bool = media("(prefers-reduced-motion: reduce)");
}

/// `prefers-reduced-motion: reduce`, as it was when the page started (asked once).
pub fn reduced_motion() -> bool {
    REDUCED_MOTION.with(|r| *r)
}

fn selftest_panic_requested() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|search| search.contains("selftest=panic"))
}
