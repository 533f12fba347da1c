//! The cluster as a ring: servers with role shapes and colours, their election-timer arcs, and
//! messages as labelled dots travelling along the links.

use std::rc::Rc;

use ballot_core::Lang;
use yew::prelude::*;

use ballot_engine::view::{MsgView, NodeView, Shape};

use crate::components::attrs::with_attrs;
use crate::i18n::texts;
use crate::ring::{node_center, NODE_RADIUS, RING_RADIUS, VIEW_SIZE};

/// Properties of [`Ring`].
#[derive(Properties, PartialEq)]
pub struct RingProps {
    /// Servers.
    pub nodes: Rc<Vec<NodeView>>,
    /// Messages in flight (the oldest few hundred).
    pub msgs: Rc<Vec<MsgView>>,
    /// Messages in flight beyond those in `msgs`, not drawn.
    pub undrawn: u64,
    /// Links blocked by a partition or a cut, (a, b).
    pub blocked: Rc<Vec<(u8, u8)>>,
    /// The selected server.
    pub selected: Option<u8>,
    /// The partition being edited: group of each server.
    pub draft: Option<Vec<u8>>,
    /// Language.
    pub lang: Lang,
    /// A server was clicked.
    pub on_node: Callback<u8>,
    /// A message dot was clicked.
    pub on_msg: Callback<u64>,
    /// The message the pointer is on in the diagram or here (its dot is highlighted).
    pub hover: Option<u64>,
    /// The pointer entered a message dot (`Some(id)`) or left it (`None`).
    pub on_hover: Callback<Option<u64>>,
}

fn f(v: f64) -> String {
    crate::num::fixed(v, 1)
}

/// CSS classes from words (empty ones skipped): a string, not Yew's `Classes` set, which
/// costs the page an index map.
fn join(words: &[&str]) -> String {
    let mut out = String::new();
    for w in words.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// `A`, `B`, `C`… for partition group `g`.
pub fn group_letter(g: u8) -> char {
    char::from(b'A' + g.min(25))
}

/// The ring picture.
pub fn ring(props: &RingProps) -> Html {
    let t = texts(props.lang);
    let n = props.nodes.len() as u32;
    let c = f64::from(VIEW_SIZE) / 2.0;
    let center = |id: u8| node_center(u32::from(id) - 1, n);

    let blocked = props.blocked.iter().map(|&(a, b)| {
        let (x1, y1) = center(a);
        let (x2, y2) = center(b);
        html! { <line class="link blocked" x1={f(x1)} y1={f(y1)} x2={f(x2)} y2={f(y2)} /> }
    });

    let nodes = props.nodes.iter().map(|node| {
        let (x, y) = center(node.id);
        let r = NODE_RADIUS;
        let id = node.id;
        let onclick = props.on_node.reform(move |_: MouseEvent| id);
        let shape = match node.shape {
            Shape::Diamond => html! {
                <polygon class="shape" points={format!("{},{} {},{} {},{} {},{}",
                    f(x), f(y - r - 3.0), f(x + r + 3.0), f(y), f(x), f(y + r + 3.0), f(x - r - 3.0), f(y))} />
            },
            Shape::Leader => html! { <>
                <circle class="shape outer" cx={f(x)} cy={f(y)} r={f(r + 4.0)} />
                <circle class="shape" cx={f(x)} cy={f(y)} r={f(r - 1.0)} />
                <text class="star" x={f(x)} y={f(y - r + 11.0)}>{ "★" }</text>
            </> },
            Shape::Square => html! {
                <rect class="shape" x={f(x - r)} y={f(y - r)} width={f(2.0 * r)} height={f(2.0 * r)} rx="4" />
            },
            Shape::Circle | Shape::Crashed => html! { <circle class="shape" cx={f(x)} cy={f(y)} r={f(r)} /> },
        };
        let cross = (!node.up).then(|| html! {
            <path class="cross" d={format!("M{} {} L{} {} M{} {} L{} {}",
                f(x - r * 0.6), f(y - r * 0.6), f(x + r * 0.6), f(y + r * 0.6),
                f(x + r * 0.6), f(y - r * 0.6), f(x - r * 0.6), f(y + r * 0.6))} />
        });
        let hourglass = node.hourglass.then(|| {
            let (hx, hy) = (x - r * 0.8, y - r * 0.8);
            html! {
                <g class="hourglass" data-hourglass="">
                    <circle cx={f(hx)} cy={f(hy)} r="10" />
                    <path d={format!("M{} {} H{} L{} {} L{} {} H{} L{} {} Z",
                        f(hx - 5.0), f(hy - 6.0), f(hx + 5.0), f(hx), f(hy), f(hx + 5.0), f(hy + 6.0),
                        f(hx - 5.0), f(hx), f(hy))} />
                </g>
            }
        });
        let timer = node.timer_left.map(|left| {
            let tr = r + 7.0;
            let circumference = std::f64::consts::TAU * tr;
            html! {
                <circle class="timer" cx={f(x)} cy={f(y)} r={f(tr)}
                    stroke-dasharray={f(circumference)}
                    stroke-dashoffset={f(circumference * (1.0 - left))}
                    transform={format!("rotate(-90 {} {})", f(x), f(y))} />
            }
        });
        let group = props.draft.as_ref().and_then(|d| d.get(usize::from(id) - 1).copied()).or(node.group);
        let badge = group.map(|g| {
            html! { <g class={format!("badge group-{g}")}>
                <circle cx={f(x + r * 0.8)} cy={f(y - r * 0.8)} r="9" />
                <text x={f(x + r * 0.8)} y={f(y - r * 0.8 + 4.0)}>{ group_letter(g) }</text>
            </g> }
        });
        // Labels go outside the ring, on the side away from the centre.
        let below = y >= c - 1.0;
        let label_y = if below { y + r + 19.0 } else { y - r - 12.0 };
        let extra_y = if below { label_y + 12.0 } else { label_y - 12.0 };
        let selected = props.selected == Some(id);
        let g = html! {
            <g class={join(&["node", &node.role, &node.classes, if node.up { "" } else { "crashed" },
                    if selected { "selected" } else { "" }])}
                key={u32::from(id)}
                data-node-id={id.to_string()} data-role={node.role.clone()} data-term={node.term.to_string()}
                data-up={if node.up { "true" } else { "false" }}
                role="button" tabindex="0" {onclick}>
                <title>{ node.title.clone() }</title>
                { for timer }
                if selected { <circle class="halo" cx={f(x)} cy={f(y)} r={f(r + 12.0)} /> }
                { shape }
                { for cross }
                <text class="node-name" x={f(x)} y={f(y + 1.0)}>{ format!("S{id}") }</text>
                <text class="node-term" x={f(x)} y={f(y + 14.0)}>{ node.line.clone() }</text>
                <text class="node-role" x={f(x)} y={f(label_y)}>{ node.caption.clone() }</text>
                if let Some(extra) = &node.extra {
                    <text class="node-extra" x={f(x)} y={f(extra_y)}>{ extra.clone() }</text>
                }
                { for badge }
                { for hourglass }
            </g>
        };
        with_attrs(g, &node.attrs)
    });

    let msgs = props.msgs.iter().map(|m| {
        let (x1, y1) = center(m.from);
        let (x2, y2) = center(m.to);
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        // Start and end at the nodes' rims; shift sideways so a request and its reply on the same
        // link do not overlap.
        let (ux, uy) = (dx / len, dy / len);
        let (sx, sy) = (x1 + ux * NODE_RADIUS, y1 + uy * NODE_RADIUS);
        let travel = (len - 2.0 * NODE_RADIUS).max(0.0);
        // With `prefers-reduced-motion`, a message waits mid-link instead of gliding.
        let at = if crate::app::reduced_motion() { 0.5 } else { m.progress };
        let (px, py) = (sx + ux * travel * at - uy * 6.0, sy + uy * travel * at + ux * 6.0);
        let opacity =
            if m.lost && m.progress > 0.4 { (1.0 - (m.progress - 0.4) / 0.5).max(0.0) } else { 1.0 };
        let id = m.id;
        let onclick = props.on_msg.reform(move |e: MouseEvent| {
            e.stop_propagation();
            id
        });
        let kind = m.label.trim_end_matches(['✓', '✗']).to_ascii_lowercase();
        html! {
            <g class={join(&["msg", &format!("msg-{kind}"), if m.lost { "lost" } else { "" },
                    if props.hover == Some(id) { "hover" } else { "" }])} key={format!("m{id}")}
                data-msg={m.label.clone()} data-msg-id={id.to_string()}
                data-from={m.from.to_string()} data-to={m.to.to_string()}
                opacity={crate::num::fixed(opacity, 2)} role="button" tabindex="0" {onclick}
                onmouseenter={props.on_hover.reform(move |_: MouseEvent| Some(id))}
                onmouseleave={props.on_hover.reform(|_: MouseEvent| None)}>
                <title>{ format!("S{} → S{} {} #{id}", m.from, m.to, m.label) }</title>
                <circle class="hit" cx={f(px)} cy={f(py)} r="11" />
                <circle class="dot" cx={f(px)} cy={f(py)} r="5.5" />
                <text class="msg-label" x={f(px)} y={f(py - 8.0)}>{ m.label.clone() }</text>
            </g>
        }
    });

    // A second label line needs room above the top node and below the bottom one.
    let pad = if props.nodes.iter().any(|n| n.extra.is_some()) { 14 } else { 0 };
    let view_box = format!("0 {} {VIEW_SIZE} {}", -pad, VIEW_SIZE + 2 * pad);
    html! {
        <svg class="ring" viewBox={view_box} role="group" aria-label={t.ring}>
            <circle class="ring-track" cx={f(c)} cy={f(c)} r={f(RING_RADIUS)} />
            // Each keyed list gets its own parent, so that Yew's keyed diff never moves (or
            // re-creates) a server because a message appeared.
            <g class="links">{ for blocked }</g>
            <g class="nodes">{ for nodes }</g>
            <g class="msgs">{ for msgs }</g>
            if props.undrawn > 0 {
                <text class="msgs-undrawn" x={f(c)} y={f(c)} data-undrawn={props.undrawn.to_string()}>
                    { crate::i18n::undrawn(props.lang, props.undrawn) }
                </text>
            }
        </svg>
    }
}
