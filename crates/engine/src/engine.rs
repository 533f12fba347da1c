//! An engine: one protocol's run answering the playground's requests.
//!
//! It decides *when* the simulator runs and *which* action a request means, never a protocol
//! rule; the view adapter ([`Visual::parts`]) says how the world looks.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use ballot_core::{Command, Instant, Lang, Narrate, NodeId};
use ballot_sim::diagram::{self, MarkKind};
use ballot_sim::link::{self, LinkError, SharedRun};
use ballot_sim::scenario;
use ballot_sim::trace::TraceKind;
use ballot_sim::{Action, Protocol, SimConfig, World};

use crate::render;
use crate::session::{Session, FEED_LEN, TRACE_KEEP};
use crate::texts;
use crate::view::{FeedItem, Markup, MsgView, PropertyView, View, ViolationView, MAX_DRAWN_MESSAGES};
use crate::wire::{self, Act, Envelope, Outcome, Reply, Request, RunSetup};
use crate::{Parts, Visual};

/// Smallest cluster the playground offers.
pub const MIN_SIZE: u8 = 3;
/// Largest cluster the playground offers.
pub const MAX_SIZE: u8 = 9;
/// The space-time diagram's zoom levels: how much virtual time its window spans, in ms. The
/// widest is the virtual time a seek replays with narration on (`playground::TRACE_WINDOW`).
pub const DIAGRAM_SPANS_MS: [u64; 6] = [100, 250, 500, 1000, 2000, 4000];
/// The diagram window's height in SVG pixels (the scale is this height over the span).
pub const DIAGRAM_HEIGHT_PX: u64 = 420;
/// The exported diagram's scale: a pixel per virtual millisecond.
pub const EXPORT_PX_PER_SEC: u32 = 1000;

/// An engine of any protocol, behind one interface (the worker binary and native tests hold
/// one of these).
pub trait AnyEngine {
    /// The protocol's name.
    fn protocol(&self) -> &'static str;
    /// Answers one request.
    fn handle(&mut self, envelope: Envelope) -> Reply;
    /// Answers one encoded [`Envelope`] with an encoded [`Reply`]; bytes that are not an
    /// envelope are answered as [`Request::Show`] in English.
    fn handle_bytes(&mut self, bytes: &[u8]) -> Vec<u8> {
        let envelope = wire::decode(bytes).unwrap_or(Envelope {
            lang: Lang::En,
            zoom: 1,
            hover: None,
            request: Request::Show,
        });
        wire::encode(&self.handle(envelope))
    }
}

/// The engine of the protocol called `name`, starting the default run.
pub fn engine_for(name: &str) -> Option<Box<dyn AnyEngine>> {
    struct Make;
    impl crate::Visitor for Make {
        type Output = Box<dyn AnyEngine>;
        fn visit<P: Visual>(self) -> Box<dyn AnyEngine> {
            Box::new(Engine::<P>::new())
        }
    }
    crate::registry::dispatch(name, Make)
}

/// One protocol's run and what the page asked of it.
pub struct Engine<P: Visual> {
    session: Session<P>,
    setup: RunSetup,
}

impl<P: Visual> Default for Engine<P> {
    fn default() -> Self {
        Self::new()
    }
}

/// The world a setup describes (an unknown bug runs the correct protocol and is reported).
fn world_of<P: Protocol>(setup: &RunSetup) -> (World<P>, Option<String>) {
    let mut config = SimConfig::<P>::new(setup.size.clamp(MIN_SIZE, MAX_SIZE), setup.seed);
    let mut problem = None;
    if let Some(bug) = &setup.bug {
        if let Err(e) = P::set_bug(&mut config.node, bug) {
            problem = Some(e);
        }
    }
    config.net.loss = setup.loss_pct.min(100) * 10;
    config.net.duplicate = setup.dup_pct.min(100) * 10;
    (World::new(config).with_trace(TRACE_KEEP), problem)
}

/// The setup of a world's run.
fn setup_of<P: Protocol>(w: &World<P>) -> RunSetup {
    let c = w.config();
    RunSetup {
        size: c.cluster.size(),
        seed: c.seed,
        bug: P::bug_of(&c.node).map(String::from),
        loss_pct: c.net.loss / 10,
        dup_pct: c.net.duplicate / 10,
        // A recorded run (a link, a scenario) plays on without the background workload.
        workload: false,
    }
}

/// The diagram's window at zoom level `zoom` around the shown moment `now`: `now` sits 7/8 of
/// the way down, so messages in flight show where they are going.
pub fn diagram_window(now: Instant, zoom: usize) -> (Instant, Instant) {
    let span = DIAGRAM_SPANS_MS[zoom.min(DIAGRAM_SPANS_MS.len() - 1)] * 1000;
    let from = Instant { micros: now.micros.saturating_sub(span * 7 / 8) };
    (from, Instant { micros: from.micros + span })
}

/// The diagram's scale: its window fills [`DIAGRAM_HEIGHT_PX`].
fn diagram_px_per_sec(from: Instant, to: Instant) -> u32 {
    (DIAGRAM_HEIGHT_PX * 1_000_000 / (to.micros - from.micros).max(1)) as u32
}

/// Virtual time for people: `12.3 ms` below a second, `1.2 s` below a minute, `1:05` (minutes
/// and seconds) above. Always rounded down, so a time never reads later than it is.
pub fn format_time(t: Instant) -> String {
    let ms = t.micros / 1000;
    if ms < 1000 {
        format!("{ms}.{} ms", (t.micros % 1000) / 100)
    } else if ms < 60_000 {
        format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
    } else {
        format!("{}:{:02}", ms / 60_000, (ms / 1000) % 60)
    }
}

fn feed_kind<N: ballot_core::Node>(kind: &TraceKind<N>) -> &'static str {
    match kind {
        TraceKind::Sent { .. } => "sent",
        TraceKind::Delivered { .. } => "delivered",
        TraceKind::Dropped { .. } => "dropped",
        TraceKind::Held { .. } | TraceKind::Released { .. } => "network",
        TraceKind::TimerFired { .. } => "timer",
        TraceKind::Note(_) => "note",
        TraceKind::Crashed(_) | TraceKind::Restarted(_) => "fault",
        TraceKind::ClientAccepted { .. } | TraceKind::ClientRefused { .. } => "client",
        TraceKind::Network(_) => "network",
        TraceKind::Violation(_) => "violation",
    }
}

/// How many of the newest trace events the feed reads: as many as it showed before rounds
/// folded, so the page parses no more markup per frame (with rounds folded, that is fewer
/// lines, each round's own lines inside it).
const FEED_SCAN: usize = FEED_LEN;

/// One feed line for trace event `ev`, the `seq`-th of the run.
fn feed_line<P: Visual>(seq: u64, ev: &ballot_sim::trace::TraceEvent<P::Node>, lang: Lang) -> FeedItem {
    FeedItem {
        seq,
        at: format_time(ev.at),
        text: ev.narrate(lang),
        kind: feed_kind(&ev.kind).to_string(),
        msg: match ev.kind {
            TraceKind::Sent { id, .. }
            | TraceKind::Delivered { id, .. }
            | TraceKind::Dropped { id, .. }
            | TraceKind::Held { id, .. }
            | TraceKind::Released { id, .. } => Some(id),
            _ => None,
        },
        folded: Vec::new(),
    }
}

/// The feed, newest line first: one line per trace event, except that a heartbeat round is
/// one line (`S4 heartbeat round: 4/4 followers answered`), placed where the round started and
/// holding its own lines, to be expanded: the leader's [`Visual::HEARTBEAT`]s (and the timer
/// that sent them), their receipts, the receivers'
/// [`Visual::routine_note`]s, the [`Visual::HEARTBEAT_REPLY`]s and their receipts, up to the
/// next round. Any other event (entries appended or committed, an election, a crash, a drop,
/// a refused append) stays a line of its own.
pub fn feed<P: Visual>(world: &World<P>, lang: Lang) -> Vec<FeedItem> {
    let total = world.trace_total();
    let mut lines: Vec<FeedItem> = Vec::new();
    // The round being read (newest event first): its lines, leader, heartbeats sent, replies
    // received, and the step it started in once its heartbeats are seen.
    let mut round: Vec<FeedItem> = Vec::new();
    let (mut leader, mut sent, mut received, mut answered, mut start) = (NodeId(0), 0, 0, 0, u64::MAX);
    for (i, ev) in world.trace().rev().take(FEED_SCAN).enumerate() {
        if start != ev.step && start != u64::MAX {
            close_round(&mut lines, &mut round, leader, sent.max(received), answered, lang);
            (sent, received, answered, start) = (0, 0, 0, u64::MAX);
        }
        if lines.len() >= FEED_LEN && round.is_empty() {
            break;
        }
        let line = feed_line::<P>(total - i as u64, ev, lang);
        match &ev.kind {
            TraceKind::Sent { from, label, .. } if label == P::HEARTBEAT => {
                leader = *from;
                sent += 1;
                start = ev.step;
            }
            TraceKind::Delivered { label, .. } if label == P::HEARTBEAT_REPLY => answered += 1,
            // A round whose sends lie beyond the events read still has its receipts.
            TraceKind::Delivered { from, label, .. } if label == P::HEARTBEAT => {
                leader = *from;
                received += 1;
            }
            TraceKind::Sent { label, .. } | TraceKind::Delivered { label, .. }
                if label == P::HEARTBEAT || label == P::HEARTBEAT_REPLY => {}
            TraceKind::Note(note) if P::routine_note(note) => {}
            // The leader's timer that sent the heartbeats.
            TraceKind::TimerFired { .. } if ev.step == start => {}
            _ => {
                lines.push(line);
                continue;
            }
        }
        round.push(line);
    }
    close_round(&mut lines, &mut round, leader, sent.max(received), answered, lang);
    lines.truncate(FEED_LEN);
    lines
}

/// Ends the round being read: its line, worded and dated by its oldest line and holding its
/// lines newest first (as the feed), joins the feed; without heartbeats (replies to appends only) its lines do.
fn close_round(
    lines: &mut Vec<FeedItem>,
    round: &mut Vec<FeedItem>,
    leader: NodeId,
    sent: usize,
    answered: usize,
    lang: Lang,
) {
    if sent == 0 {
        lines.append(round);
        return;
    }
    let folded = core::mem::take(round);
    let first = &folded[folded.len() - 1];
    let [a, c] = texts::texts(lang).hb_round;
    lines.push(FeedItem {
        seq: first.seq,
        at: first.at.clone(),
        text: format!("{leader}{a}{}/{sent}{c}", answered.min(sent)),
        kind: String::from("round"),
        msg: None,
        folded,
    });
}

/// The newest milestone the world's trace keeps, in words (empty if none): what the diagram marks
/// on a lifeline (`Protocol::annotate`: roles, commits), crashes, restarts and violations.
pub fn milestone<P: Visual>(world: &World<P>, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    for ev in world.trace().rev() {
        let said = match &ev.kind {
            TraceKind::Violation(v) => {
                let name = texts::property(lang, v.property, P::PROPERTIES);
                if zh {
                    format!("违反：{name}")
                } else {
                    format!("Violation: {name}")
                }
            }
            kind => match diagram::mark_of::<P>(kind, lang) {
                Some((n, MarkKind::Crash)) => format!("{n} {}", if zh { "宕机" } else { "crashed" }),
                Some((n, MarkKind::Restart)) => format!("{n} {}", if zh { "重启" } else { "restarted" }),
                Some((n, MarkKind::Role(text) | MarkKind::Commit(text))) => format!("{n}: {text}"),
                _ => continue,
            },
        };
        return said;
    }
    String::new()
}

/// Everything the page draws of `world`: the adapter's parts and the shared ones.
pub fn view_of<P: Visual>(world: &World<P>, lang: Lang) -> View {
    let parts = P::parts(world, lang);
    let (status_label, status_value) = P::status(world, &parts, lang);
    let Parts { nodes, panels, banner, chosen } = parts;
    let now = world.now();
    let cluster = world.cluster();
    let msgs = world
        .in_flight()
        .take(MAX_DRAWN_MESSAGES)
        .map(|e| {
            let span = e.deliver_at.micros.saturating_sub(e.sent_at.micros).max(1) as f64;
            let done = now.micros.saturating_sub(e.sent_at.micros) as f64;
            MsgView {
                id: e.id,
                from: e.from.0,
                to: e.to.0,
                label: ballot_core::node::Message::label(&e.msg),
                progress: (done / span).clamp(0.0, 1.0),
                lost: e.lost,
            }
        })
        .collect();
    let reach = world.reachability();
    let mut blocked = Vec::new();
    for a in cluster.ids() {
        for b in cluster.ids().filter(|b| b.0 > a.0) {
            if !reach.can_send(a, b) || !reach.can_send(b, a) {
                blocked.push((a.0, b.0));
            }
        }
    }
    let feed = feed::<P>(world, lang);
    let properties = world
        .properties()
        .into_iter()
        .map(|name| PropertyView {
            name: name.to_string(),
            label: texts::property(lang, name, P::PROPERTIES),
            violation: world.violations().iter().find(|v| v.property == name).map(|v| ViolationView {
                nodes: v.nodes.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", "),
                at: format_time(v.at),
                step: v.step,
                detail: v.detail.clone(),
            }),
        })
        .collect();
    View {
        protocol: P::NAME.to_string(),
        status_label,
        status_value,
        feed_empty: P::feed_empty(lang).to_string(),
        milestone: milestone(world, lang),
        now_ms: now.as_millis(),
        now: format_time(now),
        live_ms: now.as_millis(),
        in_past: false,
        can_undo: false,
        leader: P::leader(world).map(|id| id.0),
        client_target: P::client_target(world).map(|id| id.0),
        chosen,
        fingerprint: format!("{:016x}", world.fingerprint()),
        violations: world.violations().len(),
        events: world.events(),
        groups: world.reachability().groups().to_vec(),
        nodes,
        msgs,
        in_flight: world.in_flight().len() as u64,
        blocked,
        panels,
        banner,
        feed,
        properties,
        markup: Markup::default(),
    }
}

impl<P: Visual> Engine<P> {
    /// The default run (5 servers, seed 1).
    pub fn new() -> Self {
        let setup = RunSetup::default();
        let (world, _) = world_of::<P>(&setup);
        Engine { session: Session::new(world).with_workload(setup.workload), setup }
    }

    /// The run (tests read the worlds).
    pub fn session(&self) -> &Session<P> {
        &self.session
    }

    fn act(&mut self, act: Act, lang: Lang) -> Outcome {
        if let Act::Workload(on) = act {
            self.session.set_workload(on);
            self.setup.workload = on;
            return Outcome::Done;
        }
        let shown = self.session.shown();
        let node = |id: u8| NodeId(id);
        let action = match act {
            Act::ToggleCrash(id) if shown.is_up(node(id)) => Action::Crash(node(id)),
            Act::ToggleCrash(id) => Action::Restart(node(id)),
            Act::Timeout(id) => Action::FireTimer(node(id), P::timeout_timer()),
            Act::Request(id, text) => match Command::parse(&text) {
                Ok(command) => Action::Request { node: node(id), command },
                Err(e) => return Outcome::RequestError(texts::command_error(lang, &e)),
            },
            Act::Partition(groups) => {
                Action::Partition(groups.into_iter().map(|g| g.into_iter().map(node).collect()).collect())
            }
            Act::Heal => Action::Heal,
            Act::Drop(id) => Action::DropMessage(id),
            Act::Duplicate(id) => Action::DuplicateMessage(id),
            Act::Workload(_) => return Outcome::Done,
            Act::Rates(loss, dup) => {
                self.setup.loss_pct = loss.min(100);
                self.setup.dup_pct = dup.min(100);
                let mut net = shown.net();
                net.loss = self.setup.loss_pct * 10;
                net.duplicate = self.setup.dup_pct * 10;
                Action::SetNet(net)
            }
        };
        // Out-of-range nodes are refused here rather than trusted to the world.
        let size = shown.cluster().size();
        let bad_node = match &action {
            Action::Crash(n) | Action::Restart(n) | Action::FireTimer(n, _) => !(1..=size).contains(&n.0),
            Action::Request { node, .. } => !(1..=size).contains(&node.0),
            Action::Partition(groups) => groups.iter().flatten().any(|n| !(1..=size).contains(&n.0)),
            _ => false,
        };
        if !bad_node {
            self.session.act(action);
        }
        Outcome::Done
    }

    fn open_link(&mut self, fragment: &str, lang: Lang) -> Outcome {
        let fragment = fragment.trim().trim_start_matches('#');
        match link::protocol_of(fragment) {
            Ok(name) if name != P::NAME && crate::registry::NAMES.contains(&name.as_str()) => {
                return Outcome::OtherProtocol(name)
            }
            Ok(name) if name != P::NAME => {
                return Outcome::LinkError(texts::link_error(lang, &LinkError::WrongProtocol(name)))
            }
            Ok(_) => {}
            Err(e) => return Outcome::LinkError(texts::link_error(lang, &e)),
        }
        match link::decode::<P>(fragment) {
            Ok(run) => {
                self.session = Session::recorded(run.config, &run.history, (run.at, run.at_events));
                self.setup = setup_of(self.session.live());
                Outcome::Opened(fragment.to_string())
            }
            Err(e) => Outcome::LinkError(texts::link_error(lang, &e)),
        }
    }

    fn load_scenario(&mut self, text: &str, lang: Lang) -> Outcome {
        let name = scenario::protocol_of(text);
        if name != P::NAME && crate::registry::NAMES.contains(&name.as_str()) {
            return Outcome::OtherProtocol(name);
        }
        // The scenario runs once to find its interventions, then is replayed with checkpoints.
        match scenario::load::<P>(text, 0) {
            Ok(scenario::Loaded { world: w, unchecked, .. }) => {
                self.session = Session::recorded(w.config().clone(), w.history(), (w.now(), w.events()));
                self.setup = setup_of(self.session.live());
                Outcome::ScenarioLoaded(unchecked)
            }
            Err(e) => Outcome::ScenarioError(texts::scenario_error(lang, &e)),
        }
    }

    /// The diagram of everything the shown world's trace keeps, for export.
    fn diagram_file(&self, lang: Lang) -> String {
        let w = self.session.shown();
        let from = w.trace().next().map_or(Instant::ZERO, |e| e.at);
        let to = w.in_flight().map(|e| e.deliver_at).fold(w.now(), Instant::max);
        diagram::to_svg(&diagram::build(w, from, to, lang), EXPORT_PX_PER_SEC, lang)
    }

    /// Answers one request.
    pub fn handle(&mut self, envelope: Envelope) -> Reply {
        let Envelope { lang, zoom, hover, request } = envelope;
        let zoom = usize::from(zoom).min(DIAGRAM_SPANS_MS.len() - 1);
        let outcome = match request {
            Request::Start(setup) => {
                let (world, problem) = world_of::<P>(&setup);
                self.session = Session::new(world).with_workload(setup.workload);
                self.setup = RunSetup { workload: setup.workload, ..setup_of(self.session.live()) };
                Outcome::Started(problem)
            }
            Request::OpenLink(fragment) => self.open_link(&fragment, lang),
            Request::LoadScenario(text) => self.load_scenario(&text, lang),
            Request::Advance { speed, wall_ms } => {
                self.session.advance(speed, wall_ms);
                Outcome::Done
            }
            Request::Step => {
                self.session.step();
                Outcome::Done
            }
            Request::StepBack => {
                self.session.step_back();
                Outcome::Done
            }
            Request::Seek(ms) => {
                self.session.seek(Instant::from_millis(ms));
                Outcome::Done
            }
            Request::DiagramSeek(fraction) => {
                let (from, to) = diagram_window(self.session.shown().now(), zoom);
                let t = diagram::time_at(from, to, diagram_px_per_sec(from, to), fraction);
                self.session.seek(t);
                Outcome::Done
            }
            Request::Live => {
                self.session.back_to_live();
                Outcome::Done
            }
            Request::UndoFork => {
                self.session.undo_fork();
                Outcome::Done
            }
            Request::Act(act) => self.act(act, lang),
            Request::Share => Outcome::Link(link::encode(&SharedRun::of(self.session.shown())).ok()),
            Request::ExportScenario => Outcome::Scenario(scenario::export(self.session.shown())),
            Request::ExportSvg => Outcome::Svg(self.diagram_file(lang)),
            Request::Show => Outcome::Done,
        };
        let shown = self.session.shown();
        let mut view = view_of(shown, lang);
        view.live_ms = self.session.live().now().as_millis();
        view.in_past = self.session.in_past();
        view.can_undo = self.session.can_undo();
        let chrome = crate::chrome::<P>(lang);
        view.markup = Markup {
            banner: render::banner(view.banner.as_ref()),
            panels: render::panels(&view.panels),
            feed: render::feed(&view.feed, &view.feed_empty, hover, lang),
            invariants: render::invariants(&view.properties, lang),
            legend: render::legend(&chrome.legend, &chrome.timer_legend, P::ABBREVIATIONS, lang),
        };
        let (from, to) = diagram_window(shown.now(), zoom);
        let diagram =
            diagram::to_svg(&diagram::build(shown, from, to, lang), diagram_px_per_sec(from, to), lang);
        Reply { view, setup: self.setup.clone(), chrome, diagram, outcome }
    }
}

impl<P: Visual> AnyEngine for Engine<P> {
    fn protocol(&self) -> &'static str {
        P::NAME
    }
    fn handle(&mut self, envelope: Envelope) -> Reply {
        Engine::handle(self, envelope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballot_core::Duration;
    use ballot_sim::protocols::{Raft, TwoPc};

    #[test]
    fn times_read_as_ms_seconds_or_minutes() {
        let at = |micros| format_time(Instant { micros });
        assert_eq!(at(0), "0.0 ms");
        assert_eq!(at(12_345), "12.3 ms");
        assert_eq!(at(999_999), "999.9 ms");
        assert_eq!(at(1_000_000), "1.0 s");
        assert_eq!(at(1_234_567), "1.2 s");
        assert_eq!(at(59_999_999), "59.9 s");
        assert_eq!(at(60_000_000), "1:00");
        assert_eq!(at(65_400_000), "1:05");
        assert_eq!(at(3_725_000_000), "62:05");
    }

    /// A Raft run with a leader: its heartbeat rounds are one line each, holding the timer,
    /// sends, receipts, routine notes and replies; nothing else folds, and no event is lost.
    #[test]
    fn heartbeat_rounds_fold_into_one_line_each() {
        // An idle cluster with a leader: nothing but heartbeats.
        let mut world = World::new(SimConfig::<Raft>::new(5, 1)).with_trace(TRACE_KEEP);
        world.run_until(Instant::ZERO + Duration::from_secs(3));
        let feed = feed::<Raft>(&world, Lang::En);
        assert!(feed.len() <= 4, "{feed:#?}");
        let rounds: Vec<&FeedItem> = feed.iter().filter(|l| l.kind == "round").collect();
        assert!(rounds.len() >= 2, "{feed:#?}");
        let leader = format!("S{}", Raft::leader(&world).unwrap().0);
        for r in &rounds {
            assert!(r.text.starts_with(&format!("{leader} heartbeat round: ")), "{}", r.text);
            assert!(r.text.ends_with(" followers answered"), "{}", r.text);
            let oldest = r.folded.last().unwrap();
            assert_eq!((r.msg, r.at.as_str(), r.seq), (None, oldest.at.as_str(), oldest.seq));
            assert!(r
                .folded
                .iter()
                .all(|l| matches!(l.kind.as_str(), "timer" | "sent" | "delivered" | "note")));
            assert!(r.folded.windows(2).all(|w| w[0].seq > w[1].seq), "newest first");
        }
        // A whole round: the timer, 4 heartbeats and their receipts, 4 routine notes, 4 replies
        // and their receipts.
        let whole = rounds.iter().find(|r| r.text.contains(": 4/4 ")).expect("an answered round");
        assert_eq!(whole.folded.last().unwrap().kind, "timer");
        assert_eq!(whole.folded.iter().filter(|l| l.text.contains("accepted a heartbeat")).count(), 4);
        let said = |what: &str| whole.folded.iter().filter(|l| l.text.contains(what)).count();
        assert_eq!((said(" sent HB to "), said(" received HB from ")), (4, 4));
        assert!(said(" sent AE✓ to ") >= 4 && said(" received AE✓ from ") >= 4);
        // Outside rounds no heartbeat line remains; the lines are newest first, and every event
        // of the span the feed covers is a line or inside one.
        assert!(feed.iter().all(|l| l.kind == "round" || !l.text.contains(" HB ")), "{feed:#?}");
        assert!(feed.windows(2).all(|w| w[0].seq > w[1].seq));
        let events: usize = feed.iter().map(|l| if l.kind == "round" { l.folded.len() } else { 1 }).sum();
        assert_eq!(events, FEED_LEN, "every event the feed reads is a line or inside one");
        // The rendered feed keeps data-msg-id on the folded lines, inside <details>.
        let html = render::feed(&feed, "", None, Lang::En);
        assert!(
            html.contains("<li class=\"feed-item round\" data-kind=\"round\"><details><summary>"),
            "{html}"
        );
        let id = whole.folded.iter().find_map(|l| l.msg).unwrap();
        assert!(html.contains(&format!("data-msg-id=\"{id}\"")));
    }

    /// Protocols without heartbeats have a line per event, as before.
    #[test]
    fn a_feed_without_heartbeats_folds_nothing() {
        let mut world = World::new(SimConfig::<TwoPc>::new(4, 2)).with_trace(TRACE_KEEP);
        ballot_sim::workload::run_until(&mut world, Instant::ZERO + Duration::from_secs(1));
        let feed = feed::<TwoPc>(&world, Lang::Zh);
        assert_eq!(feed.len(), FEED_LEN);
        assert!(feed.iter().all(|l| l.folded.is_empty() && l.kind != "round"));
        assert_eq!(feed[0].seq, world.trace_total());
        assert_eq!(feed[FEED_LEN - 1].seq, world.trace_total() + 1 - FEED_LEN as u64);
    }
}
