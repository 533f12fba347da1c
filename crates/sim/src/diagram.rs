//! The space-time (Lamport) diagram of a run, as data and as SVG.
//!
//! One lifeline per node, time flowing down; an arrow per message from its send to its
//! delivery (or to the point it was dropped, marked ✕); crashes, restarts, role changes and
//! commits annotated on the lifelines. [`build`] reads a world's trace (keep enough of it:
//! [`World::with_trace`]) and the messages still in flight, windowed to a time range so long
//! runs stay readable; [`to_svg`] draws it without any external resource, for export.

use crate::network::DropReason;
use crate::protocol::Protocol;
use crate::trace::TraceKind;
use crate::world::World;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use ballot_core::{Instant, Lang, NodeId, VecMap};

/// One message on the diagram.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Arrow {
    /// Envelope id (the same as `data-msg-id` in the playground).
    pub id: u64,
    /// Sender.
    pub from: NodeId,
    /// Recipient.
    pub to: NodeId,
    /// When it left.
    pub sent: Instant,
    /// When it arrived, was dropped, or (still in flight) will arrive.
    pub end: Instant,
    /// How it ended.
    pub fate: Fate,
    /// Short label.
    pub label: String,
}

/// How a message ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Fate {
    /// Delivered to its recipient.
    Delivered,
    /// Not delivered.
    Dropped(DropReason),
    /// Still on the wire.
    InFlight,
}

/// What a mark on a lifeline says.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum MarkKind {
    /// The node crashed.
    Crash,
    /// The node restarted.
    Restart,
    /// The node's role changed (text from the protocol, e.g. "leader T3").
    Role(String),
    /// Something became committed or chosen (text from the protocol).
    Commit(String),
    /// A safety property broke here.
    Violation(&'static str),
}

/// The mark a trace event puts on one lifeline, if any (a crash, a restart, or what
/// [`Protocol::annotate`] makes of a note: a role change, a commit), worded in `lang`.
/// Violations mark every node they name and are left to the caller. Not inlined: the diagram
/// and the page's milestone line share one copy of the protocol's annotations.
#[inline(never)]
pub fn mark_of<P: Protocol>(kind: &TraceKind<P::Node>, lang: Lang) -> Option<(NodeId, MarkKind)> {
    match kind {
        TraceKind::Crashed(n) => Some((*n, MarkKind::Crash)),
        TraceKind::Restarted(n) => Some((*n, MarkKind::Restart)),
        TraceKind::Note(note) => P::annotate(note, lang),
        _ => None,
    }
}

/// A mark on one node's lifeline.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Mark {
    /// Whose lifeline.
    pub node: NodeId,
    /// When.
    pub at: Instant,
    /// What.
    pub kind: MarkKind,
}

/// A window of the diagram.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagram {
    /// Number of lifelines.
    pub nodes: u8,
    /// Top of the window.
    pub from: Instant,
    /// Bottom of the window.
    pub to: Instant,
    /// The world's present (drawn as a line when inside the window: the playground's cursor).
    pub now: Instant,
    /// Messages that overlap the window, in the order they went on the wire.
    pub arrows: Vec<Arrow>,
    /// Marks inside the window, in time order.
    pub marks: Vec<Mark>,
}

/// Builds the diagram of `world` between `from` and `to` from its kept trace and the messages
/// in flight, with the protocol's marks worded in `lang`.
pub fn build<P: Protocol>(world: &World<P>, from: Instant, to: Instant, lang: Lang) -> Diagram {
    // Every message by envelope id (ids grow as messages go on the wire, so inserts append and
    // the map's order is send order), with whether its end is known: delivered, dropped, or
    // still on the wire.
    let mut sent: VecMap<u64, (Arrow, bool)> = VecMap::new();
    let mut marks = Vec::new();
    for ev in world.trace() {
        match &ev.kind {
            TraceKind::Sent { id, from: f, to: t, label } => {
                let arrow = Arrow {
                    id: *id,
                    from: *f,
                    to: *t,
                    sent: ev.at,
                    end: ev.at,
                    fate: Fate::InFlight,
                    label: label.clone(),
                };
                sent.insert(*id, (arrow, false));
            }
            TraceKind::Delivered { id, .. } | TraceKind::Dropped { id, .. } => {
                if let Some((a, known)) = sent.get_mut(id) {
                    a.end = ev.at;
                    a.fate = match &ev.kind {
                        TraceKind::Dropped { reason, .. } => Fate::Dropped(*reason),
                        _ => Fate::Delivered,
                    };
                    *known = true;
                }
            }
            TraceKind::Violation(v) => {
                for n in &v.nodes {
                    marks.push(Mark { node: *n, at: ev.at, kind: MarkKind::Violation(v.property) });
                }
            }
            other => {
                if let Some((node, kind)) = mark_of::<P>(other, lang) {
                    marks.push(Mark { node, at: ev.at, kind });
                }
            }
        }
    }
    // Messages still on the wire end where the simulator will deliver them.
    // Held ones (a scenario's `hold`) end where they came due, still in flight.
    for e in world.in_flight().chain(world.held()) {
        if let Some((a, known)) = sent.get_mut(&e.id) {
            a.end = e.deliver_at;
            *known = true;
        }
    }
    let arrows = sent
        .values()
        .filter(|(a, known)| *known && a.end >= from && a.sent <= to)
        .map(|(a, _)| a.clone())
        .collect();
    marks.retain(|m| m.at >= from && m.at <= to);
    Diagram { nodes: world.cluster().size(), from, to, now: world.now(), arrows, marks }
}

/// Space above the first moment of a drawing ([`to_svg`]), in pixels: the lifelines' names.
const TOP: u64 = 30;
/// Space below the last moment, in pixels.
const BOTTOM: u64 = 20;

/// The moment drawn at `fraction` (0 = top edge, 1 = bottom edge) of the height of the drawing
/// [`to_svg`] makes of the window `from..to` at `px_per_sec`, clamped to the window: where a
/// click on the diagram moves the playground's cursor.
pub fn time_at(from: Instant, to: Instant, px_per_sec: u32, fraction: f64) -> Instant {
    let span_us = to.micros.saturating_sub(from.micros);
    let span_px = span_us * u64::from(px_per_sec.max(1)) / 1_000_000;
    let height = (TOP + span_px + BOTTOM) as f64;
    let y = (fraction.clamp(0.0, 1.0) * height + 0.5) as u64; // rounded (no `f64::round` in no_std)
    let offset_us = (y.saturating_sub(TOP).min(span_px) * span_us).checked_div(span_px).unwrap_or(0);
    Instant { micros: from.micros + offset_us }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Draws `d` as a standalone SVG document: `px_per_sec` vertical pixels per second of virtual
/// time (1000: a pixel per millisecond). Each message is a `<g data-msg-id="…">` (with a wide
/// transparent line as its hover target); a label is written only where the arrow has room.
pub fn to_svg(d: &Diagram, px_per_sec: u32, lang: Lang) -> String {
    const COL: u64 = 90;
    let width = COL * u64::from(d.nodes) + 80; // room for the last lifeline's marks
    let span_us = d.to.micros.saturating_sub(d.from.micros).max(1);
    let scale = u64::from(px_per_sec.max(1));
    let y =
        |t: Instant| TOP + (t.micros.clamp(d.from.micros, d.to.micros) - d.from.micros) * scale / 1_000_000;
    let x = |n: NodeId| 10 + COL / 2 + COL * u64::from(n.0.saturating_sub(1));
    let zh = lang == Lang::Zh;
    let height = TOP + span_us * scale / 1_000_000 + BOTTOM;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"10\">\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
    );
    out.push_str("<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#0072B2\"/></marker></defs>\n");
    for n in 1..=d.nodes {
        let id = NodeId(n);
        let cx = x(id);
        out.push_str(&format!(
            "<text x=\"{cx}\" y=\"18\" text-anchor=\"middle\" font-weight=\"bold\">{id}</text><line x1=\"{cx}\" y1=\"{TOP}\" x2=\"{cx}\" y2=\"{}\" stroke=\"#999\"/>\n",
            height - 10
        ));
    }
    for a in &d.arrows {
        let (x1, y1, x2, y2) = (x(a.from), y(a.sent), x(a.to), y(a.end));
        let (x2, y2) = match a.fate {
            // A dropped message stops halfway to where it was going.
            Fate::Dropped(_) => ((x1 + x2) / 2, (y1 + y2) / 2),
            _ => (x2, y2),
        };
        let style = match a.fate {
            Fate::Delivered => "stroke=\"#0072B2\" marker-end=\"url(#head)\"",
            Fate::InFlight => "stroke=\"#0072B2\" stroke-dasharray=\"2 3\" marker-end=\"url(#head)\"",
            Fate::Dropped(_) => "stroke=\"#D55E00\" stroke-dasharray=\"4 3\"",
        };
        out.push_str(&format!(
            "<g data-msg-id=\"{}\"><line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"transparent\" stroke-width=\"8\"/><line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" {style}/>",
            a.id
        ));
        if y2 >= y1 + 12 {
            out.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" fill=\"#333\">{}</text>",
                (x1 + x2) / 2 + 3,
                (y1 + y2) / 2,
                escape(&a.label)
            ));
        }
        if let Fate::Dropped(_) = a.fate {
            out.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" fill=\"#B34700\" text-anchor=\"middle\">✕</text>",
                x2,
                y2 + 4
            ));
        }
        out.push_str("</g>\n");
    }
    // Words on white at 4.5:1 or more: Okabe–Ito's orange and green darkened (the page's dark
    // mode swaps in light colours for these, see web/style.css).
    for m in &d.marks {
        let (cx, cy) = (x(m.node), y(m.at));
        let (text, colour) = match &m.kind {
            MarkKind::Crash => (String::from(if zh { "✕ 宕机" } else { "✕ crash" }), "#CC0000"),
            MarkKind::Restart => (String::from(if zh { "↻ 重启" } else { "↻ restart" }), "#007A5A"),
            MarkKind::Role(r) => (r.clone(), "#9A6700"),
            MarkKind::Commit(c) => (c.clone(), "#007A5A"),
            MarkKind::Violation(p) => (format!("⚠ {p}"), "#CC0000"),
        };
        out.push_str(&format!(
            "<g><circle cx=\"{cx}\" cy=\"{cy}\" r=\"3\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\" fill=\"{colour}\">{}</text></g>\n",
            cx + 5,
            cy - 3,
            escape(&text)
        ));
    }
    if (d.from..=d.to).contains(&d.now) {
        let cy = y(d.now);
        out.push_str(&format!(
            "<line data-now=\"\" x1=\"0\" y1=\"{cy}\" x2=\"{width}\" y2=\"{cy}\" stroke=\"#7B3294\" stroke-dasharray=\"6 4\"/>\n"
        ));
    }
    out.push_str("</svg>\n");
    out
}
