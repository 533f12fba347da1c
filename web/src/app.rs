//! The root component. For now a shell: title, language toggle and a ring of five idle
//! followers. Later the ring is drawn from the simulator's view model.

use ballot_core::lang::Lang;
use yew::prelude::*;

use crate::i18n::{endonym, texts};
use crate::{prefs, ring};

/// Number of servers in the demo cluster.
const CLUSTER_SIZE: u32 = 5;

/// The whole playground.
#[function_component(App)]
pub fn app() -> Html {
    if selftest_panic_requested() {
        // Lets the browser tests prove that a panic becomes a visible error box.
        panic!("self-test panic requested by ?selftest=panic");
    }

    let lang = use_state(prefs::initial_lang);
    use_effect_with(*lang, |lang| prefs::apply_document_lang(*lang));

    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |chosen: Lang| {
            prefs::save_lang(chosen);
            lang.set(chosen);
        })
    };
    let t = texts(*lang);

    html! {
        <div id="ballot" class="playground" data-lang={lang.tag()}>
            <header class="topbar">
                <div class="brand">
                    <h1>{ "Ballot" }</h1>
                    <p class="tagline" data-i18n="tagline">{ t.tagline }</p>
                </div>
                <LangToggle lang={*lang} on_change={on_lang} />
            </header>
            <main class="stage">
                <Ring lang={*lang} />
                <p class="status" data-i18n="idle">{ t.idle }</p>
            </main>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LangToggleProps {
    lang: Lang,
    on_change: Callback<Lang>,
}

/// Two buttons, each naming its language in that language; the current one is pressed.
#[function_component(LangToggle)]
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

#[derive(Properties, PartialEq)]
struct RingProps {
    lang: Lang,
}

/// The cluster as a ring of circles; each node carries its id, role and term as data
/// attributes, which is what the browser tests (and later the animation) read.
#[function_component(Ring)]
fn ring_view(props: &RingProps) -> Html {
    let t = texts(props.lang);
    let size = ring::VIEW_SIZE.to_string();
    let center = (ring::VIEW_SIZE / 2).to_string();
    let nodes = (0..CLUSTER_SIZE).map(|i| {
        let id = i + 1;
        let (x, y) = ring::node_center(i, CLUSTER_SIZE);
        html! {
            <g class="node follower" key={id}
                data-node-id={id.to_string()} data-role="follower" data-term="0">
                <circle cx={x.to_string()} cy={y.to_string()} r={ring::NODE_RADIUS.to_string()} />
                <text class="node-name" x={x.to_string()} y={(y - 4.0).to_string()}>{ format!("S{id}") }</text>
                <text class="node-role" x={x.to_string()} y={(y + 12.0).to_string()}>{ t.follower }</text>
            </g>
        }
    });
    html! {
        <svg class="ring" viewBox={format!("0 0 {size} {size}")} role="img" aria-label={t.ring}>
            <circle class="ring-track" cx={center.clone()} cy={center} r={ring::RING_RADIUS.to_string()} />
            { for nodes }
        </svg>
    }
}

fn selftest_panic_requested() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|search| search.contains("selftest=panic"))
}
