//! The playground's one state and its reducer: every click, key, animation frame and engine
//! reply becomes a [`Msg`], and [`Playground::apply`] turns it into UI state and requests to
//! the protocol's engine (`engine_link`). No protocol rule and no protocol name lives here:
//! the engine owns the run; this decides *when* to ask it and *what* a click asks.

use std::cell::RefCell;
use std::rc::Rc;

use ballot_core::{Lang, NodeId};
use ballot_engine::engine::DIAGRAM_SPANS_MS;
use ballot_engine::registry;
use ballot_engine::wire::{Act, Envelope, Outcome, Reply, Request, RunSetup};
use yew::{AttrValue, Reducible};

use crate::engine_link::{self, Pipe, Transport};
use crate::url::{Problem, Setup, MAX_SIZE, MAX_SPEED, MIN_SIZE, MIN_SPEED};

/// The zoom level a page starts with (250 ms: 10 s of wall time at the default speed).
pub const DEFAULT_ZOOM: usize = 1;
/// Each `+`/`-` press multiplies or divides the speed by this.
pub const SPEED_STEP: f64 = 2.0;

/// What clicking a message dot does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MsgClick {
    /// Drop it.
    Drop,
    /// Duplicate it.
    Duplicate,
}

/// Everything the page shows and remembers.
#[derive(Clone)]
pub struct Playground {
    /// Where requests go.
    pub transport: Rc<dyn Transport>,
    /// Requests waiting for the engine (shared by every version of the state: an animation
    /// frame only adds time to it, without a new state).
    pub pipe: Rc<RefCell<Pipe>>,
    /// The engine's last reply: the view, the diagram, the protocol's chrome.
    pub reply: Option<Rc<Reply>>,
    /// The protocol (a registered name).
    pub protocol: &'static str,
    /// The run's parameters.
    pub setup: RunSetup,
    /// Virtual milliseconds per wall-clock millisecond.
    pub speed: f64,
    /// Whether time flows.
    pub playing: bool,
    /// Play once the opened share link turns out unreadable (the page was not asked to pause).
    play_after_link: bool,
    /// The interface language.
    pub lang: Lang,
    /// The selected server.
    pub selected: Option<NodeId>,
    /// While editing a partition: the group (0 = A, 1 = B, 2 = C) of each server.
    pub partition: Option<Vec<u8>>,
    /// Presenter mode (`f`): the ring fills the screen, the rest of the page steps aside.
    pub presenter: bool,
    /// What clicking a message does.
    pub msg_click: MsgClick,
    /// The client request being typed.
    pub request_text: AttrValue,
    /// Why the last request text was refused.
    pub request_error: Option<String>,
    /// Query parameters that could not be used (dismissible).
    pub problems: Vec<Problem>,
    /// Violations already announced (the banner shows when more exist).
    pub violations_seen: usize,
    /// The violation banner is showing.
    pub violation_banner: bool,
    /// Bumped when the request box should take the keyboard focus (`q`).
    pub focus_request: u64,
    /// The last share link made or opened (`run=1.…`, the text after `#`).
    pub share: Option<String>,
    /// A link being opened (the address's fragment), until the engine answers.
    opening: Option<String>,
    /// Why the link in the page's address could not be opened (dismissible).
    pub link_error: Option<String>,
    /// The scenario text box: the shown run exported, or what the user typed or pasted.
    pub scenario_text: AttrValue,
    /// The scenario box is open.
    pub scenario_open: bool,
    /// Why the scenario text could not be loaded.
    pub scenario_error: Option<String>,
    /// The scenario text was loaded, skipping this many protocol-specific expectations.
    pub scenario_loaded: Option<usize>,
    /// The message whose arrow, dot or feed line the pointer is on.
    pub hover: Option<u64>,
    /// The space-time diagram's zoom level (an index into [`DIAGRAM_SPANS_MS`]).
    pub zoom: usize,
    /// The exported diagram, as a `data:` URL to download.
    pub svg_url: Option<String>,
    /// The engine could not load or failed.
    pub engine_error: Option<String>,
}

/// Everything that can happen to the playground.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// An animation frame: `wall_ms` of real time passed.
    Tick(f64),
    /// The engine of generation `.0` answered.
    Heard(u64, Rc<Reply>),
    /// The engine of generation `.0` could not load or failed.
    EngineFailed(u64, String),
    /// Play or pause.
    TogglePlay,
    /// Process exactly one event (and pause).
    Step,
    /// Set the speed (clamped to 1/100×..10×).
    SetSpeed(f64),
    /// Twice as fast.
    Faster,
    /// Half as fast.
    Slower,
    /// New cluster size (restarts the run).
    SetSize(u8),
    /// New seed (restarts the run).
    SetSeed(u64),
    /// New bug, by name (restarts the run; an unknown name means none).
    SetBug(Option<String>),
    /// The background client workload on or off.
    SetWorkload(bool),
    /// Another protocol, by name (restarts the run without a bug; language and speed stay).
    SetProtocol(String),
    /// New loss rate, percent (applies from now on).
    SetLoss(u16),
    /// New duplication rate, percent (applies from now on).
    SetDup(u16),
    /// Start the run again with the current parameters.
    Reset,
    /// Select a server (or none). In partition mode, move it to the next group instead.
    Select(Option<NodeId>),
    /// Crash the server if up, restart it if down.
    ToggleCrash(NodeId),
    /// Fire the server's timeout timer now.
    Timeout(NodeId),
    /// [`Msg::ToggleCrash`] on the selected server, if any (keyboard `c`).
    CrashSelected,
    /// [`Msg::Timeout`] on the selected server, if any (keyboard `t`).
    TimeoutSelected,
    /// Focus the request box of the selected server (keyboard `q`; selects the leader, or S1,
    /// when nothing is selected).
    RequestSelected,
    /// The request text box changed.
    SetRequest(String),
    /// Send the typed request to this server.
    SendRequest(NodeId),
    /// Start editing a partition.
    StartPartition,
    /// Apply the partition draft.
    ApplyPartition,
    /// Leave partition mode without changes.
    CancelPartition,
    /// Remove every partition.
    Heal,
    /// A message dot was clicked.
    ClickMessage(u64),
    /// What clicking a message does.
    SetMsgClick(MsgClick),
    /// Switch language.
    SetLang(Lang),
    /// Hide one query-parameter problem.
    DismissProblem(usize),
    /// Hide the violation banner.
    DismissViolation,
    /// Close overlays, leave partition mode, deselect; with nothing else open, leave presenter
    /// mode.
    Escape,
    /// Enter or leave presenter mode (`f`).
    TogglePresenter,
    /// Pause and make a share link of the shown moment.
    Share,
    /// The address's fragment changed (without `#`): open it as a share link, unless it is the
    /// link this page just made.
    OpenLink(String),
    /// Hide the bad-link notice.
    DismissLinkError,
    /// Show the shown run as scenario text (again: hide it).
    ExportScenario,
    /// The scenario text box changed.
    SetScenario(String),
    /// Load the scenario text box as the run (paused at its end).
    ImportScenario,
    /// The pointer is on this message (or on none).
    Hover(Option<u64>),
    /// Zoom the diagram in (`true`: a shorter window) or out.
    Zoom(bool),
    /// Make the diagram of the kept run as an SVG file to download (again: hide the link).
    ExportSvg,
    /// The diagram was clicked this far down its drawing (0 top, 1 bottom): show that moment.
    DiagramSeek(f64),
    /// Show the moment at this virtual millisecond (pauses; the present leaves the past).
    Seek(u64),
    /// Show the moment one event earlier (pauses).
    StepBack,
    /// Back to the present.
    Live,
    /// Put back the run as it was before the last fork.
    UndoFork,
}

impl Playground {
    /// The initial state from the URL's setup, its problems and the preferred language; starts
    /// the protocol's engine. A non-empty `hash` (the URL fragment, without `#`) is a share
    /// link: its run is shown, paused at the shared moment; if it cannot be read, the setup's
    /// run plays and the reason is shown.
    pub fn new(
        setup: &Setup,
        problems: Vec<Problem>,
        lang: Lang,
        hash: &str,
        transport: Rc<dyn Transport>,
    ) -> Self {
        let hash = hash.trim().trim_start_matches('#');
        let mut p = Playground {
            transport,
            pipe: Rc::new(RefCell::new(Pipe::default())),
            reply: None,
            protocol: setup.protocol,
            setup: RunSetup {
                size: setup.size,
                seed: setup.seed,
                bug: setup.bug.clone(),
                loss_pct: setup.loss_pct,
                dup_pct: setup.dup_pct,
                workload: setup.workload,
            },
            speed: setup.speed.clamp(MIN_SPEED, MAX_SPEED),
            playing: !setup.paused && hash.is_empty(),
            play_after_link: !setup.paused,
            lang: setup.lang.unwrap_or(lang),
            selected: None,
            partition: None,
            presenter: false,
            msg_click: MsgClick::Drop,
            request_text: AttrValue::from("x=5"),
            request_error: None,
            problems,
            violations_seen: 0,
            violation_banner: false,
            focus_request: 0,
            share: None,
            opening: None,
            link_error: None,
            scenario_text: AttrValue::default(),
            scenario_open: false,
            scenario_error: None,
            scenario_loaded: None,
            hover: None,
            zoom: DEFAULT_ZOOM,
            svg_url: None,
            engine_error: None,
        };
        p.switch_engine(setup.protocol);
        p.send(Request::Start(p.setup.clone()));
        if !hash.is_empty() {
            p.opening = Some(hash.to_string());
            p.send(Request::OpenLink(hash.to_string()));
        }
        p
    }

    /// Starts `protocol`'s engine (what was queued for the old one is dropped).
    fn switch_engine(&mut self, protocol: &'static str) {
        self.protocol = protocol;
        let generation = {
            let mut pipe = self.pipe.borrow_mut();
            pipe.switch(protocol);
            pipe.generation
        };
        self.transport.start(protocol, generation);
    }

    /// Queues a request and sends the next one if the engine is free.
    fn send(&mut self, request: Request) {
        self.pipe.borrow_mut().push(request);
        self.flush();
    }

    /// Sends the next request if the engine is free.
    fn flush(&self) {
        let next = self.pipe.borrow_mut().next(self.playing, self.speed);
        if let Some(request) = next {
            let envelope = Envelope { lang: self.lang, zoom: self.zoom as u8, hover: self.hover, request };
            self.transport.post(engine_link::encode(&envelope));
        }
    }

    fn restart_run(&mut self) {
        self.selected = None;
        self.partition = None;
        self.request_error = None;
        self.violations_seen = 0;
        self.violation_banner = false;
        self.share = None;
        self.hover = None;
        self.svg_url = None;
        self.send(Request::Start(self.setup.clone()));
    }

    fn act(&mut self, act: Act) {
        self.send(Request::Act(act));
    }

    /// The shown view, once the engine has answered.
    pub fn view(&self) -> Option<&ballot_engine::view::View> {
        self.reply.as_ref().map(|r| &r.view)
    }

    /// Pauses and raises the banner when the view holds a violation not announced yet.
    fn notice_violations(&mut self) {
        let count = self.view().map_or(0, |v| v.violations);
        if count > self.violations_seen {
            self.violations_seen = count;
            self.violation_banner = true;
            self.playing = false;
        }
    }

    /// What a reply says besides the view.
    fn heard(&mut self, reply: Rc<Reply>) {
        match &reply.outcome {
            Outcome::Done => {}
            Outcome::Started(problem) => {
                let asked = self.setup.bug.take();
                self.setup = reply.setup.clone();
                if let (Some(_), Some(bug)) = (problem, asked) {
                    self.problems.push(Problem {
                        param: "bug",
                        value: crate::url::shorten(&bug),
                        used: String::from("none"),
                        known: reply.chrome.bugs.iter().map(|b| b.name.clone()).collect(),
                    });
                }
            }
            Outcome::Opened(link) => {
                self.setup = reply.setup.clone();
                self.share = Some(link.clone());
                self.opening = None;
                self.play_after_link = false;
                self.link_error = None;
                self.playing = false;
                self.violations_seen = 0;
            }
            Outcome::LinkError(why) => {
                self.link_error = Some(why.clone());
                if self.opening.take().is_some() && core::mem::take(&mut self.play_after_link) {
                    self.playing = true;
                }
            }
            Outcome::Link(link) => self.share = link.clone(),
            Outcome::Scenario(text) => self.scenario_text = AttrValue::from(text.clone()),
            Outcome::ScenarioLoaded(unchecked) => {
                self.setup = reply.setup.clone();
                self.scenario_error = None;
                self.scenario_loaded = Some(*unchecked);
                self.playing = false;
                self.share = None;
                self.violations_seen = 0;
            }
            Outcome::ScenarioError(why) => self.scenario_error = Some(why.clone()),
            Outcome::Svg(svg) => self.svg_url = Some(crate::url::data_url("image/svg+xml", svg)),
            Outcome::RequestError(why) => self.request_error = Some(why.clone()),
            Outcome::OtherProtocol(name) => {
                if let Some(info) = registry::info(name) {
                    // The link or scenario belongs to another engine: start it and ask again.
                    let again = match &self.opening {
                        Some(link) => Request::OpenLink(link.clone()),
                        None => Request::LoadScenario(self.scenario_text.to_string()),
                    };
                    self.switch_engine(info.name);
                    self.setup.bug = None;
                    self.send(Request::Start(self.setup.clone()));
                    self.send(again);
                }
            }
        }
        self.reply = Some(reply);
        self.notice_violations();
    }

    /// Applies one message (the reducer, callable without Yew for tests).
    pub fn apply(&mut self, msg: Msg) {
        match msg {
            Msg::Tick(ms) => {
                if self.playing {
                    self.pipe.borrow_mut().frame(ms);
                }
            }
            Msg::Heard(generation, reply) => {
                {
                    let mut pipe = self.pipe.borrow_mut();
                    if generation != pipe.generation {
                        return;
                    }
                    pipe.busy = false;
                }
                self.heard(reply);
            }
            Msg::EngineFailed(generation, why) => {
                if generation == self.pipe.borrow().generation {
                    self.engine_error = Some(why);
                    self.playing = false;
                }
            }
            Msg::TogglePlay => {
                self.playing = !self.playing;
                if self.playing {
                    self.violation_banner = false;
                }
            }
            Msg::Step => {
                self.playing = false;
                self.send(Request::Step);
            }
            Msg::SetSpeed(s) => {
                if s.is_finite() {
                    self.speed = s.clamp(MIN_SPEED, MAX_SPEED);
                }
            }
            Msg::Faster => self.speed = (self.speed * SPEED_STEP).clamp(MIN_SPEED, MAX_SPEED),
            Msg::Slower => self.speed = (self.speed / SPEED_STEP).clamp(MIN_SPEED, MAX_SPEED),
            Msg::SetSize(n) => {
                self.setup.size = n.clamp(MIN_SIZE, MAX_SIZE);
                self.restart_run();
            }
            Msg::SetSeed(seed) => {
                self.setup.seed = seed;
                self.restart_run();
            }
            Msg::SetBug(bug) => {
                let known = self.reply.as_ref().map(|r| &r.chrome.bugs);
                self.setup.bug = bug.filter(|b| known.is_some_and(|k| k.iter().any(|x| &x.name == b)));
                self.restart_run();
            }
            Msg::SetWorkload(on) => {
                self.setup.workload = on;
                self.act(Act::Workload(on));
            }
            Msg::SetProtocol(name) => {
                if let Some(info) = registry::info(&name) {
                    self.setup.bug = None;
                    self.reply = None;
                    self.scenario_loaded = None;
                    self.switch_engine(info.name);
                    self.restart_run();
                }
            }
            Msg::SetLoss(p) => {
                self.setup.loss_pct = p.min(100);
                self.act(Act::Rates(self.setup.loss_pct, self.setup.dup_pct));
            }
            Msg::SetDup(p) => {
                self.setup.dup_pct = p.min(100);
                self.act(Act::Rates(self.setup.loss_pct, self.setup.dup_pct));
            }
            Msg::Reset => self.restart_run(),
            Msg::Select(id) => match (&mut self.partition, id) {
                (Some(groups), Some(id)) => {
                    if let Some(g) = groups.get_mut(id.index()) {
                        *g = (*g + 1) % 3;
                    }
                }
                _ => {
                    let size = self.setup.size;
                    self.selected = id.filter(|id| (1..=size).contains(&id.0));
                    self.request_error = None;
                }
            },
            Msg::ToggleCrash(id) => self.act(Act::ToggleCrash(id.0)),
            Msg::Timeout(id) => self.act(Act::Timeout(id.0)),
            Msg::CrashSelected => {
                if let Some(id) = self.selected {
                    self.apply(Msg::ToggleCrash(id));
                }
            }
            Msg::TimeoutSelected => {
                if let Some(id) = self.selected {
                    self.apply(Msg::Timeout(id));
                }
            }
            Msg::RequestSelected => {
                if self.selected.is_none() {
                    let target = self.view().and_then(|v| v.client_target);
                    self.selected = Some(NodeId(target.unwrap_or(1)));
                }
                self.focus_request += 1;
            }
            Msg::SetRequest(text) => {
                self.request_text = AttrValue::from(text);
                self.request_error = None;
            }
            Msg::SendRequest(node) => {
                self.request_error = None;
                self.act(Act::Request(node.0, self.request_text.to_string()));
            }
            Msg::StartPartition => {
                let current = self.view().map(|v| v.groups.clone()).unwrap_or_default();
                let groups = (0..self.setup.size)
                    .map(|i| current.get(usize::from(i)).copied().unwrap_or(0).min(2))
                    .collect();
                self.partition = Some(groups);
            }
            Msg::ApplyPartition => {
                if let Some(groups) = self.partition.take() {
                    let sets: Vec<Vec<u8>> = (0..3u8)
                        .map(|g| {
                            groups
                                .iter()
                                .enumerate()
                                .filter(|(_, x)| **x == g)
                                .map(|(i, _)| NodeId::from_index(i).0)
                                .collect::<Vec<_>>()
                        })
                        .filter(|set| !set.is_empty())
                        .collect();
                    self.act(if sets.len() > 1 { Act::Partition(sets) } else { Act::Heal });
                }
            }
            Msg::CancelPartition => self.partition = None,
            Msg::Heal => {
                self.partition = None;
                self.act(Act::Heal);
            }
            Msg::ClickMessage(id) => self.act(match self.msg_click {
                MsgClick::Drop => Act::Drop(id),
                MsgClick::Duplicate => Act::Duplicate(id),
            }),
            Msg::SetMsgClick(mode) => self.msg_click = mode,
            Msg::SetLang(lang) => {
                self.lang = lang;
                self.request_error = None;
                self.send(Request::Show);
            }
            Msg::DismissProblem(i) => {
                if i < self.problems.len() {
                    self.problems.remove(i);
                }
            }
            Msg::DismissViolation => self.violation_banner = false,
            Msg::Share => {
                self.playing = false;
                self.send(Request::Share);
            }
            Msg::OpenLink(hash) => {
                let hash = hash.trim().trim_start_matches('#');
                if hash.is_empty() || self.share.as_deref() == Some(hash) {
                    return;
                }
                self.opening = Some(hash.to_string());
                self.play_after_link = false;
                self.send(Request::OpenLink(hash.to_string()));
            }
            Msg::DismissLinkError => self.link_error = None,
            Msg::ExportScenario => {
                self.scenario_open = !self.scenario_open;
                self.scenario_error = None;
                self.scenario_loaded = None;
                if self.scenario_open {
                    self.send(Request::ExportScenario);
                }
            }
            Msg::SetScenario(text) => {
                self.scenario_text = AttrValue::from(text);
                self.scenario_error = None;
                self.scenario_loaded = None;
            }
            Msg::ImportScenario => {
                self.opening = None;
                self.send(Request::LoadScenario(self.scenario_text.to_string()));
            }
            Msg::Hover(id) => {
                if self.hover != id {
                    self.hover = id;
                    // The feed's lines about the message are highlighted in the engine's markup.
                    self.send(Request::Show);
                }
            }
            Msg::DiagramSeek(fraction) => {
                self.playing = false;
                self.send(Request::DiagramSeek(fraction));
            }
            Msg::Zoom(zoom_in) => {
                self.zoom = if zoom_in {
                    self.zoom.saturating_sub(1)
                } else {
                    (self.zoom + 1).min(DIAGRAM_SPANS_MS.len() - 1)
                };
                self.send(Request::Show);
            }
            Msg::ExportSvg => match self.svg_url {
                Some(_) => self.svg_url = None,
                None => self.send(Request::ExportSvg),
            },
            Msg::Seek(ms) => {
                self.playing = false;
                self.send(Request::Seek(ms));
            }
            Msg::StepBack => {
                self.playing = false;
                self.send(Request::StepBack);
            }
            Msg::Live => self.send(Request::Live),
            Msg::UndoFork => {
                self.playing = false;
                self.send(Request::UndoFork);
            }
            Msg::Escape => {
                if self.partition.is_some() {
                    self.partition = None;
                } else if self.selected.is_some() {
                    self.selected = None;
                } else {
                    self.presenter = false;
                }
            }
            Msg::TogglePresenter => self.presenter ^= true,
        }
        // Playing again: the animation's next frame asks for time.
        self.flush();
    }
}

impl Reducible for Playground {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        if let Msg::Tick(ms) = msg {
            // A frame only adds time to the shared pipe (and may send it): same Rc, no render.
            if self.playing {
                self.pipe.borrow_mut().frame(ms);
                self.flush();
            }
            return self;
        }
        let mut next = (*self).clone();
        next.apply(msg);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballot_engine::engine::engine_for;
    use ballot_engine::AnyEngine;
    use std::cell::Cell;

    /// The engine in-process: it answers each posted envelope at once; [`pump`] hands the
    /// replies to the playground as the worker's messages would.
    #[derive(Default)]
    struct InProcess {
        engine: RefCell<Option<Box<dyn AnyEngine>>>,
        generation: Cell<u64>,
        replies: RefCell<Vec<(u64, Vec<u8>)>>,
    }

    impl Transport for InProcess {
        fn start(&self, protocol: &'static str, generation: u64) {
            *self.engine.borrow_mut() = engine_for(protocol);
            self.generation.set(generation);
        }
        fn post(&self, bytes: Vec<u8>) {
            let reply = self.engine.borrow_mut().as_mut().expect("started").handle_bytes(&bytes);
            self.replies.borrow_mut().push((self.generation.get(), reply));
        }
    }

    fn pump(p: &mut Playground, t: &InProcess) {
        for _ in 0..1000 {
            let replies: Vec<_> = t.replies.borrow_mut().drain(..).collect();
            if replies.is_empty() {
                return;
            }
            for (generation, bytes) in replies {
                let reply = ballot_engine::wire::decode::<Reply>(&bytes).expect("a reply");
                p.apply(Msg::Heard(generation, Rc::new(reply)));
            }
        }
        panic!("the engine never went quiet");
    }

    fn page(setup: Setup, hash: &str) -> (Playground, Rc<InProcess>) {
        let t = Rc::new(InProcess::default());
        let mut p = Playground::new(&setup, Vec::new(), Lang::En, hash, t.clone());
        pump(&mut p, &t);
        (p, t)
    }

    fn paused(size: u8, bug: Option<&str>) -> (Playground, Rc<InProcess>) {
        page(Setup { size, bug: bug.map(String::from), paused: true, ..Setup::default() }, "")
    }

    fn go(p: &mut Playground, t: &InProcess, msg: Msg) {
        p.apply(msg);
        pump(p, t);
    }

    fn view(p: &Playground) -> &ballot_engine::view::View {
        p.view().expect("the engine answered")
    }

    fn step_until(p: &mut Playground, t: &InProcess, done: impl Fn(&Playground) -> bool) {
        for _ in 0..500 {
            if done(p) {
                return;
            }
            go(p, t, Msg::Step);
        }
        panic!("not reached in 500 steps at {} ms", view(p).now_ms);
    }

    #[test]
    fn playing_elects_a_leader_and_frames_are_capped() {
        let (mut p, t) = paused(5, None);
        go(&mut p, &t, Msg::TogglePlay);
        go(&mut p, &t, Msg::SetSpeed(10.0));
        for _ in 0..100 {
            go(&mut p, &t, Msg::Tick(16.0));
        }
        assert!(view(&p).leader.is_some());
        let before = view(&p).now_ms;
        go(&mut p, &t, Msg::Tick(1e9));
        assert!(view(&p).now_ms - before <= 1000, "one frame is at most 100 ms × 10");
        go(&mut p, &t, Msg::Tick(f64::NAN));
        go(&mut p, &t, Msg::TogglePlay);
        let paused_at = view(&p).now_ms;
        go(&mut p, &t, Msg::Tick(16.0));
        assert_eq!(view(&p).now_ms, paused_at, "no time passes while paused");
    }

    #[test]
    fn ui_actions_become_world_actions() {
        let (mut p, t) = paused(3, None);
        go(&mut p, &t, Msg::Timeout(NodeId(1)));
        step_until(&mut p, &t, |p| view(p).leader == Some(1));
        go(&mut p, &t, Msg::SetRequest("set x".into()));
        go(&mut p, &t, Msg::SendRequest(NodeId(2)));
        assert!(p.request_error.as_deref().unwrap().contains("expected"));
        go(&mut p, &t, Msg::SetRequest("x=5".into()));
        go(&mut p, &t, Msg::SendRequest(NodeId(1)));
        assert_eq!(p.request_error, None);
        step_until(&mut p, &t, |p| !view(p).msgs.is_empty());
        let id = view(&p).msgs[0].id;
        go(&mut p, &t, Msg::ClickMessage(id));
        assert!(view(&p).msgs.iter().all(|m| m.id != id));
        go(&mut p, &t, Msg::StartPartition);
        go(&mut p, &t, Msg::Select(Some(NodeId(3))));
        go(&mut p, &t, Msg::ApplyPartition);
        assert!(!view(&p).blocked.is_empty());
        go(&mut p, &t, Msg::Heal);
        assert!(view(&p).blocked.is_empty());
    }

    /// The route the browser test takes to a violation: with `forget-vote-on-restart`, S2
    /// votes for S1, crashes and restarts without its vote, then votes for S3 in the same term.
    #[test]
    fn forgetting_a_vote_elects_two_leaders_and_pauses() {
        let (mut p, t) = paused(3, Some("forget-vote-on-restart"));
        go(&mut p, &t, Msg::ToggleCrash(NodeId(3)));
        go(&mut p, &t, Msg::Timeout(NodeId(1)));
        step_until(&mut p, &t, |p| view(p).leader == Some(1));
        go(&mut p, &t, Msg::StartPartition);
        go(&mut p, &t, Msg::Select(Some(NodeId(1))));
        go(&mut p, &t, Msg::ApplyPartition);
        for msg in [Msg::ToggleCrash(NodeId(2)), Msg::ToggleCrash(NodeId(2)), Msg::ToggleCrash(NodeId(3))] {
            go(&mut p, &t, msg);
        }
        go(&mut p, &t, Msg::Timeout(NodeId(3)));
        p.playing = true;
        step_until(&mut p, &t, |p| view(p).violations > 0);
        assert!(p.violation_banner && !p.playing);
        let invariants = &view(&p).markup.invariants;
        assert!(
            invariants.contains("data-property=\"Election Safety\" data-holds=\"false\""),
            "{invariants}"
        );
    }

    /// Switching protocol keeps the language and the speed, drops the bug and restarts; every
    /// registered protocol plays and takes the common interventions; an unknown bug is a notice.
    #[test]
    fn every_protocol_plays_and_takes_interventions() {
        let (mut p, t) = paused(3, Some("commit-previous-term"));
        assert_eq!(p.setup.bug.as_deref(), Some("commit-previous-term"));
        go(&mut p, &t, Msg::SetLang(Lang::Zh));
        go(&mut p, &t, Msg::SetSpeed(2.0));
        for name in registry::names() {
            go(&mut p, &t, Msg::SetProtocol(name.to_string()));
            assert_eq!((p.protocol, p.setup.bug.as_deref(), p.lang, p.speed), (name, None, Lang::Zh, 2.0));
            assert_eq!((view(&p).protocol.as_str(), view(&p).now_ms, view(&p).events), (name, 0, 0));
            let first_bug = p.reply.as_ref().unwrap().chrome.bugs[0].name.clone();
            go(&mut p, &t, Msg::SetBug(Some(first_bug.clone())));
            assert_eq!(p.setup.bug.as_ref(), Some(&first_bug));
            go(&mut p, &t, Msg::SetBug(Some(String::from("no-such-bug"))));
            assert_eq!(p.setup.bug, None);
            go(&mut p, &t, Msg::SendRequest(NodeId(1)));
            go(&mut p, &t, Msg::Timeout(NodeId(2)));
            go(&mut p, &t, Msg::ToggleCrash(NodeId(3)));
            go(&mut p, &t, Msg::TogglePlay);
            for _ in 0..50 {
                go(&mut p, &t, Msg::Tick(16.0));
            }
            go(&mut p, &t, Msg::ToggleCrash(NodeId(3)));
            go(&mut p, &t, Msg::Heal);
            assert_eq!(view(&p).nodes.len(), 3);
            assert!(view(&p).now_ms > 0);
            p.playing = false;
        }
        let (p, _) = page(Setup { bug: Some(String::from("nope")), ..Setup::default() }, "");
        assert_eq!(p.problems.len(), 1);
        assert_eq!((p.problems[0].param, p.problems[0].known.len()), ("bug", 6));
        assert_eq!(p.setup.bug, None);
    }

    /// A share link made by the page reopens the same moment (switching to its protocol's
    /// engine); a bad one is a notice and the default run plays.
    #[test]
    fn share_links_round_trip_and_bad_ones_are_reported() {
        for name in registry::names() {
            let (mut p, t) = paused(3, None);
            go(&mut p, &t, Msg::SetProtocol(name.to_string()));
            go(&mut p, &t, Msg::SendRequest(NodeId(1)));
            for _ in 0..40 {
                go(&mut p, &t, Msg::Step);
            }
            go(&mut p, &t, Msg::ToggleCrash(NodeId(2)));
            go(&mut p, &t, Msg::Share);
            let link = p.share.clone().expect("a link");
            let (q, _) = page(Setup::default(), &format!("#{link}"));
            assert_eq!((q.protocol, q.playing, q.link_error.clone()), (name, false, None));
            assert_eq!(view(&q).fingerprint, view(&p).fingerprint);
            assert_eq!(q.setup.size, 3);
        }
        for bad in ["run=1.AAAA", "run=9.xyz", "hello"] {
            let (q, _) = page(Setup::default(), bad);
            assert!(q.link_error.is_some() && q.playing, "{bad}");
            assert_eq!(q.protocol, "raft");
        }
    }

    /// Stepping back and seeking show exactly the earlier states; acting there forks, and the
    /// fork can be undone.
    #[test]
    fn time_travel_is_exact_and_forks_undo() {
        let (mut p, t) = paused(5, None);
        let mut seen = Vec::new();
        for _ in 0..80 {
            seen.push((view(&p).now_ms, view(&p).fingerprint.clone()));
            go(&mut p, &t, Msg::Step);
        }
        let live = view(&p).fingerprint.clone();
        for i in (0..80).rev() {
            go(&mut p, &t, Msg::StepBack);
            assert_eq!(view(&p).fingerprint, seen[i].1, "event {i}");
        }
        go(&mut p, &t, Msg::Seek(seen[50].0));
        assert!(view(&p).in_past);
        assert_eq!(view(&p).now_ms, seen[50].0);
        go(&mut p, &t, Msg::Live);
        assert_eq!(view(&p).fingerprint, live);
        for _ in 0..30 {
            go(&mut p, &t, Msg::StepBack);
        }
        go(&mut p, &t, Msg::ToggleCrash(NodeId(1)));
        assert!(!view(&p).in_past && view(&p).can_undo);
        assert_ne!(view(&p).fingerprint, live);
        go(&mut p, &t, Msg::UndoFork);
        assert_eq!(view(&p).fingerprint, live);
    }

    /// The scenario box: an exported run loads back to the same moment; a bad text is an error
    /// and leaves the run alone; a scenario of another protocol switches to its engine.
    #[test]
    fn scenarios_load_as_runs_and_bad_ones_are_reported() {
        let (mut p, t) = paused(3, None);
        go(&mut p, &t, Msg::Timeout(NodeId(2)));
        for _ in 0..30 {
            go(&mut p, &t, Msg::Step);
        }
        let shown = view(&p).fingerprint.clone();
        go(&mut p, &t, Msg::ExportScenario);
        assert!(p.scenario_open && p.scenario_text.contains("protocol raft"));
        go(&mut p, &t, Msg::Reset);
        go(&mut p, &t, Msg::ImportScenario);
        assert_eq!(p.scenario_loaded, Some(0));
        assert_eq!(view(&p).fingerprint, shown);
        go(&mut p, &t, Msg::SetScenario(String::from("protocol raft\ncluster 3\nfly 2s\n")));
        go(&mut p, &t, Msg::ImportScenario);
        assert!(p.scenario_error.as_deref().unwrap().contains("line 3"), "{:?}", p.scenario_error);
        assert_eq!(view(&p).fingerprint, shown, "the run stays");
        go(&mut p, &t, Msg::SetScenario(String::from("protocol twopc\ncluster 3\nrequest 1 x=5\nrun 1s\n")));
        go(&mut p, &t, Msg::ImportScenario);
        assert_eq!((p.protocol, p.scenario_loaded), ("twopc", Some(0)));
        assert_eq!(view(&p).protocol, "twopc");
    }

    /// A reply from an engine the page already left is ignored.
    #[test]
    fn replies_of_an_old_engine_are_ignored() {
        let (mut p, _t) = paused(3, None);
        let old = p.reply.clone().unwrap();
        let before = p.pipe.borrow().generation;
        p.apply(Msg::SetProtocol(String::from("paxos")));
        p.apply(Msg::Heard(before, old));
        assert!(p.reply.is_none(), "the old engine's reply was not shown");
        p.apply(Msg::SetProtocol(String::from("nope")));
        assert_eq!(p.protocol, "paxos", "an unknown protocol is ignored");
    }

    /// `f` toggles presenter mode; Escape first leaves partition mode, then deselects, and only
    /// then leaves presenter mode.
    #[test]
    fn escape_closes_the_innermost_thing_first() {
        let (mut p, t) = paused(3, None);
        go(&mut p, &t, Msg::TogglePresenter);
        go(&mut p, &t, Msg::Select(Some(NodeId(2))));
        go(&mut p, &t, Msg::StartPartition);
        go(&mut p, &t, Msg::Escape);
        assert_eq!((p.partition.is_some(), p.selected, p.presenter), (false, Some(NodeId(2)), true));
        go(&mut p, &t, Msg::Escape);
        assert_eq!((p.selected, p.presenter), (None, true));
        go(&mut p, &t, Msg::Escape);
        assert!(!p.presenter);
        go(&mut p, &t, Msg::TogglePresenter);
        go(&mut p, &t, Msg::TogglePresenter);
        assert!(!p.presenter);
    }
}
