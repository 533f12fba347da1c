//! The playground's one state and its reducer: every click, key and animation frame becomes a
//! [`Msg`], and [`Playground::apply`] turns it into simulator calls ([`World::step`],
//! [`World::run_until`], [`World::act`]). No protocol rule lives here: the reducer only decides
//! *when* the simulator runs and *which* [`Action`] a click means.

use std::cell::RefCell;
use std::rc::Rc;

use ballot_core::{Command, Duration, Instant, Lang, NodeId};
use ballot_sim::action::Intervention;
use ballot_sim::diagram;
use ballot_sim::link::{self, LinkError, SharedRun};
use ballot_sim::protocols::{MultiPaxos, Paxos, Raft, TwoPc};
use ballot_sim::scenario::{self, ScenarioError};
use ballot_sim::timeline::{self, playground, Cut, Timeline};
use ballot_sim::{Action, NetConfig, Protocol, SimConfig, World};
use yew::Reducible;

use crate::protocols::{self, ProtocolKind, Snapshot};
use crate::url::{Problem, Setup, MAX_SIZE, MAX_SPEED, MIN_SIZE, MIN_SPEED};

/// How many trace events the world keeps (the feed shows the newest [`FEED_LEN`], the
/// space-time diagram reads them all).
pub const TRACE_KEEP: usize = playground::TRACE_KEEP;
/// Seeking up to this many events ahead of the shown past moment continues from it instead of
/// from a checkpoint.
const STEP_ON: u64 = 64;
/// How many events the feed shows.
pub const FEED_LEN: usize = 50;
/// Longest wall-clock gap one frame may account for (a tab coming back from the background
/// does not try to catch up minutes of virtual time).
pub const MAX_FRAME_MS: f64 = 100.0;
/// Most simulator events one frame may process, so a fast speed cannot freeze the tab.
pub const MAX_EVENTS_PER_FRAME: u32 = 4000;
/// While no message is in flight, virtual time runs this many times faster (but never past the
/// next event), so waiting for an election timer is short even at slow speeds.
pub const IDLE_BOOST: f64 = 16.0;
/// The space-time diagram's zoom levels: how much virtual time its window spans, in ms. The
/// widest is the virtual time a seek replays with narration on (`playground::TRACE_WINDOW`).
pub const DIAGRAM_SPANS_MS: [u64; 6] = [100, 250, 500, 1000, 2000, 4000];
/// The zoom level a page starts with (250 ms: 10 s of wall time at the default speed).
pub const DEFAULT_ZOOM: usize = 1;
/// The diagram window's height in SVG pixels (the scale is this height over the span).
pub const DIAGRAM_HEIGHT_PX: u64 = 420;
/// The exported diagram's scale: a pixel per virtual millisecond.
pub const EXPORT_PX_PER_SEC: u32 = 1000;
/// Each `+`/`-` press multiplies or divides the speed by this.
pub const SPEED_STEP: f64 = 2.0;

/// What clicking a message dot does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MsgClick {
    /// [`Action::DropMessage`].
    Drop,
    /// [`Action::DuplicateMessage`].
    Duplicate,
}

/// The parameters that define a run (changing any of them starts a new run, except the
/// network rates, which apply from now on).
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct RunConfig {
    /// The protocol.
    pub protocol: ProtocolKind,
    /// Number of servers.
    pub size: u8,
    /// The seed.
    pub seed: u64,
    /// The broken variant, by name (one of the protocol's `bug_names()`), if any.
    pub bug: Option<&'static str>,
    /// Loss, percent.
    pub loss_pct: u16,
    /// Duplication, percent.
    pub dup_pct: u16,
}

impl RunConfig {
    fn world<P: Protocol>(&self) -> World<P> {
        let mut config = SimConfig::<P>::new(self.size, self.seed);
        if let Some(bug) = self.bug {
            // Names come from the protocol's own list, so this cannot fail; ignore it if it ever does.
            let _ = P::set_bug(&mut config.node, bug);
        }
        config.net.loss = self.loss_pct.min(100) * 10;
        config.net.duplicate = self.dup_pct.min(100) * 10;
        World::new(config).with_trace(TRACE_KEEP)
    }

    /// A fresh world for this run, keeping the last [`TRACE_KEEP`] trace events.
    pub fn new_world(&self) -> AnyWorld {
        match self.protocol {
            ProtocolKind::Raft => AnyWorld::Raft(Session::new(self.world())),
            ProtocolKind::Paxos => AnyWorld::Paxos(Session::new(self.world())),
            ProtocolKind::MultiPaxos => AnyWorld::MultiPaxos(Session::new(self.world())),
            ProtocolKind::TwoPc => AnyWorld::TwoPc(Session::new(self.world())),
        }
    }
}

/// What a click or key asks of the world, before it becomes the protocol's [`Action`].
#[derive(Clone, Debug)]
pub enum Act {
    /// [`Action::Crash`].
    Crash(NodeId),
    /// [`Action::Restart`].
    Restart(NodeId),
    /// [`Action::FireTimer`] with the protocol's [`Protocol::timeout_timer`].
    Timeout(NodeId),
    /// [`Action::Request`].
    Request(NodeId, Command),
    /// [`Action::Partition`].
    Partition(Vec<Vec<NodeId>>),
    /// [`Action::Heal`].
    Heal,
    /// [`Action::DropMessage`].
    Drop(u64),
    /// [`Action::DuplicateMessage`].
    Duplicate(u64),
    /// [`Action::SetNet`].
    Net(NetConfig),
}

impl Act {
    fn into_action<P: Protocol<Command = Command>>(self) -> Action<P::Node> {
        match self {
            Act::Crash(id) => Action::Crash(id),
            Act::Restart(id) => Action::Restart(id),
            Act::Timeout(id) => Action::FireTimer(id, P::timeout_timer()),
            Act::Request(node, command) => Action::Request { node, command },
            Act::Partition(sets) => Action::Partition(sets),
            Act::Heal => Action::Heal,
            Act::Drop(id) => Action::DropMessage(id),
            Act::Duplicate(id) => Action::DuplicateMessage(id),
            Act::Net(net) => Action::SetNet(net),
        }
    }
}

/// One run and its past: the live world with its [`Timeline`] of checkpoints, the past moment
/// shown while scrubbing, and the run as it was before the last fork (for "undo fork").
///
/// A past moment is the nearest checkpoint replayed forward (exact, since runs are
/// deterministic); stepping forward in the past continues from the shown moment.
pub struct Session<P: Protocol> {
    live: World<P>,
    timeline: Timeline<P>,
    past: Option<World<P>>,
    undo: Option<(World<P>, Cut<P>)>,
}

/// A timeline with the playground's settings, starting at `start`.
fn timeline_of<P: Protocol>(start: &World<P>) -> Timeline<P> {
    Timeline::new(start, playground::SPACING, playground::MAX_CHECKPOINTS)
        .with_trace_window(playground::TRACE_WINDOW)
}

impl<P: Protocol> Session<P> {
    fn new(live: World<P>) -> Self {
        Session { timeline: timeline_of(&live), live, past: None, undo: None }
    }

    /// A recorded run (a share link's or a scenario's), replayed to `at` with checkpoints.
    fn recorded(config: SimConfig<P>, history: &[Intervention<P::Node>], at: (Instant, u64)) -> Self {
        let settings = (playground::SPACING, playground::MAX_CHECKPOINTS);
        let (live, timeline) = Timeline::record(config, history, at, TRACE_KEEP, settings);
        let timeline = timeline.with_trace_window(playground::TRACE_WINDOW);
        Session { live, timeline, past: None, undo: None }
    }

    /// The world on screen: the past moment while scrubbing, else the live one.
    fn shown(&self) -> &World<P> {
        self.past.as_ref().unwrap_or(&self.live)
    }

    /// Acting (or playing) in the past: the past moment becomes the live run (its history is
    /// already cut there) and the old live run is kept for [`Session::undo_fork`].
    fn fork(&mut self) {
        if let Some(past) = self.past.take() {
            let cut = self.timeline.cut_after(&past);
            self.undo = Some((std::mem::replace(&mut self.live, past), cut));
        }
    }

    fn advance(&mut self, speed: f64, wall_ms: f64) {
        self.fork();
        advance(&mut self.live, speed, wall_ms);
        self.observe();
    }

    fn act(&mut self, action: Action<P::Node>) {
        self.fork();
        self.live.act(action);
        self.observe();
    }

    /// Checkpoints the live world when due. While a fork is kept for undoing, its cut-off
    /// checkpoints count against the same limit (they are thinned first), so memory stays that
    /// of one run's timeline.
    fn observe(&mut self) {
        self.timeline.observe(&self.live);
        if let Some((_, cut)) = &mut self.undo {
            while !cut.is_empty() && self.timeline.len() + cut.len() > playground::MAX_CHECKPOINTS {
                cut.thin();
            }
        }
    }

    /// One event forward: in the past, the next recorded event; at the present, a new one.
    fn step(&mut self) {
        match &self.past {
            Some(past) => {
                let events = past.events() + 1;
                self.seek_event(events);
            }
            None => {
                self.live.step();
                self.observe();
            }
        }
    }

    fn step_back(&mut self) {
        let events = self.shown().events();
        if events > 0 {
            self.seek_event(events - 1);
        }
    }

    /// Shows the moment right after event number `events`: one step on from the shown past
    /// moment when that is where it is, else from the nearest checkpoint.
    fn seek_event(&mut self, events: u64) {
        if events >= self.live.events() {
            self.past = None;
            return;
        }
        let next = match self.past.take() {
            Some(w) if w.events() < events && events - w.events() <= STEP_ON => {
                timeline::continue_to_event(w, &self.live, events)
            }
            _ => self.timeline.seek_event(&self.live, events),
        };
        self.past = Some(next);
    }

    /// Shows the moment at virtual time `t`.
    fn seek(&mut self, t: Instant) {
        self.past = (t < self.live.now()).then(|| self.timeline.seek(&self.live, t));
    }

    fn undo_fork(&mut self) {
        if let Some((live, cut)) = self.undo.take() {
            self.live = live;
            self.timeline.rejoin(cut);
            self.past = None;
        }
    }
}

/// The running world, whichever protocol it runs. Every operation is one generic function
/// applied to the variant (see [`each`]), so the reducer exists once.
#[allow(clippy::large_enum_variant)] // one value per page, behind an Rc<RefCell>: size does not matter
pub enum AnyWorld {
    /// Raft.
    Raft(Session<Raft>),
    /// Basic Paxos.
    Paxos(Session<Paxos>),
    /// Multi-Paxos.
    MultiPaxos(Session<MultiPaxos>),
    /// Two-phase commit.
    TwoPc(Session<TwoPc>),
}

/// `each!(world, s => expr)`: evaluates `expr` with `s` bound to the inner `Session<P>`.
macro_rules! each {
    ($world:expr, $w:ident => $e:expr) => {
        match $world {
            AnyWorld::Raft($w) => $e,
            AnyWorld::Paxos($w) => $e,
            AnyWorld::MultiPaxos($w) => $e,
            AnyWorld::TwoPc($w) => $e,
        }
    };
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

/// Advances `world` for `wall_ms` of real time at `speed`, stopping early at a new violation or
/// after [`MAX_EVENTS_PER_FRAME`] events.
fn advance<P: Protocol>(world: &mut World<P>, speed: f64, wall_ms: f64) {
    let now = world.now();
    let micros = |rate: f64| (wall_ms * rate * 1000.0).round() as u64;
    let mut target = now + Duration { micros: micros(speed) };
    if world.in_flight().is_empty() {
        // Nothing to watch: hurry to the next event, but not past it.
        let boosted = now + Duration { micros: micros((speed * IDLE_BOOST).min(MAX_SPEED)) };
        let next = world.next_event_time().unwrap_or(boosted);
        target = target.max(boosted.min(next));
    }
    let before = world.violations().len();
    let mut events = 0;
    while world.next_event_time().is_some_and(|t| t <= target) {
        if events >= MAX_EVENTS_PER_FRAME {
            return;
        }
        world.step();
        events += 1;
        if world.violations().len() > before {
            return;
        }
    }
    world.run_until(target);
}

fn config_of<P: Protocol>(kind: ProtocolKind, w: &World<P>) -> RunConfig {
    let c = w.config();
    RunConfig {
        protocol: kind,
        size: c.cluster.size(),
        seed: c.seed,
        bug: P::bug_of(&c.node),
        loss_pct: c.net.loss / 10,
        dup_pct: c.net.duplicate / 10,
    }
}

/// The run a share link carries, replayed to its shared moment with checkpoints on the way.
fn from_link<P: Protocol>(fragment: &str) -> Result<Session<P>, LinkError> {
    let run = link::decode::<P>(fragment)?;
    Ok(Session::recorded(run.config, &run.history, (run.at, run.at_events)))
}

/// Wraps a session of one protocol in its [`AnyWorld`] variant.
trait IntoAny: Sized {
    const KIND: ProtocolKind;
    fn into_any(self) -> AnyWorld;
}

macro_rules! into_any {
    ($($p:ident),*) => {$(
        impl IntoAny for Session<$p> {
            const KIND: ProtocolKind = ProtocolKind::$p;
            fn into_any(self) -> AnyWorld {
                AnyWorld::$p(self)
            }
        }
    )*};
}
into_any!(Raft, Paxos, MultiPaxos, TwoPc);

/// A loaded run as the page's run, with the parameters it was made with.
fn loaded<P: Protocol>(s: Session<P>) -> (AnyWorld, RunConfig)
where
    Session<P>: IntoAny,
{
    let config = config_of(<Session<P> as IntoAny>::KIND, &s.live);
    (s.into_any(), config)
}

impl AnyWorld {
    /// The run a share link carries, at its shared moment.
    pub fn from_link(fragment: &str) -> Result<(AnyWorld, RunConfig), LinkError> {
        let name = link::protocol_of(fragment)?;
        Ok(match ProtocolKind::parse(&name).ok_or(LinkError::WrongProtocol(name))? {
            ProtocolKind::Raft => loaded(from_link::<Raft>(fragment)?),
            ProtocolKind::Paxos => loaded(from_link::<Paxos>(fragment)?),
            ProtocolKind::MultiPaxos => loaded(from_link::<MultiPaxos>(fragment)?),
            ProtocolKind::TwoPc => loaded(from_link::<TwoPc>(fragment)?),
        })
    }

    /// The shown moment as a share link (`run=1.…`), if the run can be carried by one.
    pub fn share_link(&self) -> Option<String> {
        each!(self, s => link::encode(&SharedRun::of(s.shown())).ok())
    }

    /// The shown moment as a scenario that replays it (`ballot_sim::scenario::export`).
    pub fn export_scenario(&self) -> String {
        each!(self, s => scenario::export(s.shown()))
    }

    /// The run a scenario describes, at its end (with checkpoints for time travel), and how many
    /// protocol-specific expectations were skipped ([`scenario::load`]). A scenario that cannot
    /// be read, or whose fingerprint or other generic expectation fails, is an error naming the
    /// line.
    pub fn from_scenario(text: &str) -> Result<(AnyWorld, RunConfig, usize), ScenarioError> {
        // The scenario runs once to find its interventions, then is replayed with checkpoints.
        fn load<P: Protocol>(text: &str) -> Result<(AnyWorld, RunConfig, usize), ScenarioError>
        where
            Session<P>: IntoAny,
        {
            let scenario::Loaded { world: w, unchecked, .. } = scenario::load::<P>(text, 0)?;
            let (world, config) =
                loaded(Session::recorded(w.config().clone(), w.history(), (w.now(), w.events())));
            Ok((world, config, unchecked))
        }
        match ProtocolKind::parse(&scenario::protocol_of(text)).unwrap_or_default() {
            ProtocolKind::Raft => load::<Raft>(text),
            ProtocolKind::Paxos => load::<Paxos>(text),
            ProtocolKind::MultiPaxos => load::<MultiPaxos>(text),
            ProtocolKind::TwoPc => load::<TwoPc>(text),
        }
    }

    /// The space-time diagram around the shown moment as SVG: a window of
    /// `DIAGRAM_SPANS_MS[zoom]`, the shown moment near its bottom.
    pub fn diagram_svg(&self, zoom: usize, lang: Lang) -> String {
        each!(self, s => {
            let w = s.shown();
            let (from, to) = diagram_window(w.now(), zoom);
            diagram::to_svg(&diagram::build(w, from, to, lang), diagram_px_per_sec(from, to), lang)
        })
    }

    /// The space-time diagram of everything the shown world's trace keeps, for export.
    pub fn diagram_file(&self, lang: Lang) -> String {
        each!(self, s => {
            let w = s.shown();
            let from = w.trace().next().map_or(Instant::ZERO, |e| e.at);
            let to = w.in_flight().iter().map(|e| e.deliver_at).fold(w.now(), Instant::max);
            diagram::to_svg(&diagram::build(w, from, to, lang), EXPORT_PX_PER_SEC, lang)
        })
    }

    /// Which protocol it runs.
    #[cfg(test)]
    pub fn kind(&self) -> ProtocolKind {
        match self {
            AnyWorld::Raft(_) => ProtocolKind::Raft,
            AnyWorld::Paxos(_) => ProtocolKind::Paxos,
            AnyWorld::MultiPaxos(_) => ProtocolKind::MultiPaxos,
            AnyWorld::TwoPc(_) => ProtocolKind::TwoPc,
        }
    }

    /// Everything the page draws, through the protocol's view adapter.
    pub fn snapshot(&self, lang: Lang) -> Snapshot {
        match self {
            AnyWorld::Raft(s) => protocols::raft::snapshot(s.shown(), lang),
            AnyWorld::Paxos(s) => protocols::paxos::snapshot(s.shown(), lang),
            AnyWorld::MultiPaxos(s) => protocols::multipaxos::snapshot(s.shown(), lang),
            AnyWorld::TwoPc(s) => protocols::twopc::snapshot(s.shown(), lang),
        }
    }

    /// Applies one intervention (forking first when a past moment is shown).
    pub fn act(&mut self, act: Act) {
        match self {
            AnyWorld::Raft(s) => s.act(act.into_action::<Raft>()),
            AnyWorld::Paxos(s) => s.act(act.into_action::<Paxos>()),
            AnyWorld::MultiPaxos(s) => s.act(act.into_action::<MultiPaxos>()),
            AnyWorld::TwoPc(s) => s.act(act.into_action::<TwoPc>()),
        }
    }

    fn advance(&mut self, speed: f64, wall_ms: f64) {
        each!(self, s => s.advance(speed, wall_ms))
    }

    /// Processes the next event (in the past: shows the next recorded one).
    pub fn step(&mut self) {
        each!(self, s => s.step())
    }

    /// Shows the moment one event earlier.
    pub fn step_back(&mut self) {
        each!(self, s => s.step_back())
    }

    /// Shows the moment at virtual millisecond `ms` (the present if `ms` is not in the past).
    pub fn seek_ms(&mut self, ms: u64) {
        each!(self, s => s.seek(Instant::from_millis(ms)))
    }

    /// Shows the present again.
    pub fn back_to_live(&mut self) {
        each!(self, s => s.past = None)
    }

    /// Puts back the run as it was before the last fork.
    pub fn undo_fork(&mut self) {
        each!(self, s => s.undo_fork())
    }

    /// Whether a past moment is shown.
    pub fn in_past(&self) -> bool {
        each!(self, s => s.past.is_some())
    }

    /// Whether a fork can be undone.
    pub fn can_undo(&self) -> bool {
        each!(self, s => s.undo.is_some())
    }

    /// The live run's virtual now, in ms (the scrubber's end).
    pub fn live_ms(&self) -> u64 {
        each!(self, s => s.live.now().as_millis())
    }

    /// Virtual now of the shown world.
    pub fn now(&self) -> ballot_core::Instant {
        each!(self, s => s.shown().now())
    }

    /// Number of violations found so far.
    pub fn violation_count(&self) -> usize {
        each!(self, s => s.shown().violations().len())
    }

    /// Whether `id` is up.
    pub fn is_up(&self, id: NodeId) -> bool {
        each!(self, s => s.shown().is_up(id))
    }

    /// The network's parameters.
    pub fn net(&self) -> NetConfig {
        each!(self, s => s.shown().net())
    }

    /// The partition group of each node (empty when whole).
    pub fn groups(&self) -> Vec<u8> {
        each!(self, s => s.shown().reachability().groups().to_vec())
    }

    /// Where a client request should go: the leader, a proposer or the coordinator.
    pub fn client_target(&self) -> Option<NodeId> {
        match self {
            AnyWorld::Raft(s) => Raft::client_target(s.shown()),
            AnyWorld::Paxos(s) => Paxos::client_target(s.shown()),
            AnyWorld::MultiPaxos(s) => MultiPaxos::client_target(s.shown()),
            AnyWorld::TwoPc(s) => TwoPc::client_target(s.shown()),
        }
    }

    /// The shown Raft world (tests).
    #[cfg(test)]
    pub fn raft(&self) -> &World<Raft> {
        match self {
            AnyWorld::Raft(s) => s.shown(),
            _ => panic!("not a Raft world"),
        }
    }
}

/// Everything the page shows and remembers.
#[derive(Clone)]
pub struct Playground {
    /// The simulated world. Shared and mutated in place (cloning a world each frame would copy
    /// every log); [`Playground::version`] says when it changed.
    pub world: Rc<RefCell<AnyWorld>>,
    /// Bumped on every change of `world`.
    pub version: u64,
    /// The run's parameters.
    pub config: RunConfig,
    /// Virtual milliseconds per wall-clock millisecond.
    pub speed: f64,
    /// Whether time flows.
    pub playing: bool,
    /// The interface language.
    pub lang: Lang,
    /// The selected server.
    pub selected: Option<NodeId>,
    /// While editing a partition: the group (0 = A, 1 = B, 2 = C) of each server.
    pub partition: Option<Vec<u8>>,
    /// What clicking a message does.
    pub msg_click: MsgClick,
    /// The client request being typed.
    pub request_text: String,
    /// Why the last request text was refused.
    pub request_error: Option<String>,
    /// Query parameters that could not be used (dismissible).
    pub problems: Vec<Problem>,
    /// Violations already announced (the banner shows when more exist).
    pub violations_seen: usize,
    /// The violation banner is showing.
    pub violation_banner: bool,
    /// The shortcut help is showing.
    pub help: bool,
    /// Bumped when the request box should take the keyboard focus (`q`).
    pub focus_request: u64,
    /// The last share link made (`run=1.…`, the text after `#`).
    pub share: Option<String>,
    /// Why the link in the page's address could not be opened (dismissible).
    pub link_error: Option<LinkError>,
    /// The scenario text box: the shown run exported, or what the user typed or pasted.
    pub scenario_text: String,
    /// The scenario box is open.
    pub scenario_open: bool,
    /// Why the scenario text could not be loaded.
    pub scenario_error: Option<ScenarioError>,
    /// The scenario text was loaded, skipping this many protocol-specific expectations.
    pub scenario_loaded: Option<usize>,
    /// The message whose arrow, dot or feed line the pointer is on.
    pub hover: Option<u64>,
    /// The space-time diagram's zoom level (an index into [`DIAGRAM_SPANS_MS`]).
    pub zoom: usize,
    /// The exported diagram, as a `data:` URL to download.
    pub svg_url: Option<String>,
}

/// Everything that can happen to the playground.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// An animation frame: `wall_ms` of real time passed.
    Tick(f64),
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
    /// Another protocol (restarts the run without a bug; language and speed stay).
    SetProtocol(ProtocolKind),
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
    /// Fire the server's election timer now.
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
    /// Show or hide the shortcut help.
    ToggleHelp,
    /// Close overlays, leave partition mode, deselect.
    Escape,
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
    /// The initial state from the URL's setup, its problems and the preferred language.
    /// A non-empty `hash` (the URL fragment, without `#`) is a share link: its run is shown,
    /// paused at the shared moment; if it cannot be read, the default run starts and the reason
    /// is shown.
    pub fn new(setup: &Setup, problems: Vec<Problem>, lang: Lang, hash: &str) -> Self {
        let config = RunConfig {
            protocol: setup.protocol,
            size: setup.size,
            seed: setup.seed,
            bug: setup.bug,
            loss_pct: setup.loss_pct,
            dup_pct: setup.dup_pct,
        };
        let hash = hash.trim().trim_start_matches('#');
        let (world, config, link_error, shared) = if hash.is_empty() {
            (config.new_world(), config, None, false)
        } else {
            match AnyWorld::from_link(hash) {
                Ok((world, config)) => (world, config, None, true),
                Err(e) => (config.new_world(), config, Some(e), false),
            }
        };
        Playground {
            world: Rc::new(RefCell::new(world)),
            version: 0,
            config,
            speed: setup.speed.clamp(MIN_SPEED, MAX_SPEED),
            playing: !setup.paused && !shared,
            lang: setup.lang.unwrap_or(lang),
            selected: None,
            partition: None,
            msg_click: MsgClick::Drop,
            request_text: String::from("x=5"),
            request_error: None,
            problems,
            violations_seen: 0,
            violation_banner: false,
            help: false,
            focus_request: 0,
            share: shared.then(|| hash.to_string()),
            link_error,
            scenario_text: String::new(),
            scenario_open: false,
            scenario_error: None,
            scenario_loaded: None,
            hover: None,
            zoom: DEFAULT_ZOOM,
            svg_url: None,
        }
    }

    fn restart_run(&mut self) {
        self.world = Rc::new(RefCell::new(self.config.new_world()));
        self.selected = None;
        self.partition = None;
        self.request_error = None;
        self.violations_seen = 0;
        self.violation_banner = false;
        self.share = None;
        self.hover = None;
        self.svg_url = None;
    }

    fn act(&mut self, act: Act) {
        self.world.borrow_mut().act(act);
        self.notice_violations();
    }

    /// Pauses and raises the banner when the world holds a violation not announced yet.
    fn notice_violations(&mut self) {
        let count = self.world.borrow().violation_count();
        if count > self.violations_seen {
            self.violations_seen = count;
            self.violation_banner = true;
            self.playing = false;
        }
    }

    /// Advances virtual time for `wall_ms` of real time at the current speed, stopping early
    /// at a violation or after [`MAX_EVENTS_PER_FRAME`] events.
    fn tick(&mut self, wall_ms: f64) {
        if !self.playing {
            return;
        }
        let wall_ms = if wall_ms.is_finite() { wall_ms.clamp(0.0, MAX_FRAME_MS) } else { 0.0 };
        self.world.borrow_mut().advance(self.speed, wall_ms);
        self.notice_violations();
    }

    /// Applies one message (the reducer, callable without Yew for tests).
    pub fn apply(&mut self, msg: Msg) {
        match msg {
            Msg::Tick(ms) => self.tick(ms),
            Msg::TogglePlay => {
                self.playing = !self.playing;
                if self.playing {
                    self.violation_banner = false;
                }
            }
            Msg::Step => {
                self.playing = false;
                self.world.borrow_mut().step();
                self.notice_violations();
            }
            Msg::SetSpeed(s) => {
                if s.is_finite() {
                    self.speed = s.clamp(MIN_SPEED, MAX_SPEED);
                }
            }
            Msg::Faster => self.speed = (self.speed * SPEED_STEP).clamp(MIN_SPEED, MAX_SPEED),
            Msg::Slower => self.speed = (self.speed / SPEED_STEP).clamp(MIN_SPEED, MAX_SPEED),
            Msg::SetSize(n) => {
                self.config.size = n.clamp(MIN_SIZE, MAX_SIZE);
                self.restart_run();
            }
            Msg::SetSeed(seed) => {
                self.config.seed = seed;
                self.restart_run();
            }
            Msg::SetBug(bug) => {
                self.config.bug = bug.and_then(|b| self.config.protocol.bug(&b));
                self.restart_run();
            }
            Msg::SetProtocol(protocol) => {
                self.config.protocol = protocol;
                self.config.bug = None;
                self.restart_run();
            }
            Msg::SetLoss(p) | Msg::SetDup(p) => {
                if matches!(msg, Msg::SetLoss(_)) {
                    self.config.loss_pct = p.min(100);
                } else {
                    self.config.dup_pct = p.min(100);
                }
                let mut net = self.world.borrow().net();
                net.loss = self.config.loss_pct * 10;
                net.duplicate = self.config.dup_pct * 10;
                self.act(Act::Net(net));
            }
            Msg::Reset => self.restart_run(),
            Msg::Select(id) => match (&mut self.partition, id) {
                (Some(groups), Some(id)) => {
                    if let Some(g) = groups.get_mut(id.index()) {
                        *g = (*g + 1) % 3;
                    }
                }
                _ => {
                    let size = self.config.size;
                    self.selected = id.filter(|id| (1..=size).contains(&id.0));
                    self.request_error = None;
                }
            },
            Msg::ToggleCrash(id) => {
                let up = self.world.borrow().is_up(id);
                self.act(if up { Act::Crash(id) } else { Act::Restart(id) });
            }
            Msg::Timeout(id) => self.act(Act::Timeout(id)),
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
                    let target = self.world.borrow().client_target();
                    self.selected = Some(target.unwrap_or(NodeId(1)));
                }
                self.focus_request += 1;
            }
            Msg::SetRequest(text) => {
                self.request_text = text;
                self.request_error = None;
            }
            Msg::SendRequest(node) => match Command::parse(&self.request_text) {
                Ok(command) => {
                    self.request_error = None;
                    self.act(Act::Request(node, command));
                }
                Err(e) => self.request_error = Some(crate::i18n::command_error(self.lang, &e)),
            },
            Msg::StartPartition => {
                let current = self.world.borrow().groups();
                let groups = (0..self.config.size)
                    .map(|i| current.get(usize::from(i)).copied().unwrap_or(0).min(2))
                    .collect();
                self.partition = Some(groups);
            }
            Msg::ApplyPartition => {
                if let Some(groups) = self.partition.take() {
                    let sets: Vec<Vec<NodeId>> = (0..3u8)
                        .map(|g| {
                            groups
                                .iter()
                                .enumerate()
                                .filter(|(_, x)| **x == g)
                                .map(|(i, _)| NodeId::from_index(i))
                                .collect::<Vec<_>>()
                        })
                        .filter(|set| !set.is_empty())
                        .collect();
                    if sets.len() > 1 {
                        self.act(Act::Partition(sets));
                    } else {
                        self.act(Act::Heal);
                    }
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
            }
            Msg::DismissProblem(i) => {
                if i < self.problems.len() {
                    self.problems.remove(i);
                }
            }
            Msg::DismissViolation => self.violation_banner = false,
            Msg::ToggleHelp => self.help = !self.help,
            Msg::Share => {
                self.playing = false;
                self.share = self.world.borrow().share_link();
            }
            Msg::OpenLink(hash) => {
                let hash = hash.trim().trim_start_matches('#');
                if hash.is_empty() || self.share.as_deref() == Some(hash) {
                    return;
                }
                match AnyWorld::from_link(hash) {
                    Ok((world, config)) => {
                        self.config = config;
                        self.restart_run();
                        self.world = Rc::new(RefCell::new(world));
                        self.share = Some(hash.to_string());
                        self.link_error = None;
                        self.playing = false;
                        self.notice_violations();
                    }
                    Err(e) => self.link_error = Some(e),
                }
            }
            Msg::DismissLinkError => self.link_error = None,
            Msg::ExportScenario => {
                self.scenario_open = !self.scenario_open;
                self.scenario_error = None;
                self.scenario_loaded = None;
                if self.scenario_open {
                    self.scenario_text = self.world.borrow().export_scenario();
                }
            }
            Msg::SetScenario(text) => {
                self.scenario_text = text;
                self.scenario_error = None;
                self.scenario_loaded = None;
            }
            Msg::ImportScenario => match AnyWorld::from_scenario(&self.scenario_text) {
                Ok((world, config, unchecked)) => {
                    self.config = config;
                    self.restart_run();
                    self.world = Rc::new(RefCell::new(world));
                    self.scenario_error = None;
                    self.scenario_loaded = Some(unchecked);
                    self.playing = false;
                    self.notice_violations();
                }
                Err(e) => self.scenario_error = Some(e),
            },
            Msg::Hover(id) => self.hover = id,
            Msg::DiagramSeek(fraction) => {
                let now = self.world.borrow().now();
                let (from, to) = diagram_window(now, self.zoom);
                let t = diagram::time_at(from, to, diagram_px_per_sec(from, to), fraction);
                self.apply(Msg::Seek(t.as_millis()));
            }
            Msg::Zoom(zoom_in) => {
                self.zoom = if zoom_in {
                    self.zoom.saturating_sub(1)
                } else {
                    (self.zoom + 1).min(DIAGRAM_SPANS_MS.len() - 1)
                };
            }
            Msg::ExportSvg => {
                self.svg_url = match self.svg_url {
                    Some(_) => None,
                    None => Some(crate::url::data_url(
                        "image/svg+xml",
                        &self.world.borrow().diagram_file(self.lang),
                    )),
                };
            }
            Msg::Seek(ms) => {
                self.playing = false;
                self.world.borrow_mut().seek_ms(ms);
            }
            Msg::StepBack => {
                self.playing = false;
                self.world.borrow_mut().step_back();
            }
            Msg::Live => self.world.borrow_mut().back_to_live(),
            Msg::UndoFork => {
                self.playing = false;
                self.world.borrow_mut().undo_fork();
            }
            Msg::Escape => {
                if self.help {
                    self.help = false;
                } else if self.partition.is_some() {
                    self.partition = None;
                } else {
                    self.selected = None;
                }
            }
        }
    }

    /// Virtual now.
    #[cfg(test)]
    pub fn now(&self) -> ballot_core::Instant {
        self.world.borrow().now()
    }
}

impl Reducible for Playground {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        if matches!(msg, Msg::Tick(_)) && !self.playing {
            // Same Rc: Yew skips the render.
            return self;
        }
        let mut next = (*self).clone();
        next.apply(msg);
        next.version += 1;
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballot_core::Lang;

    fn paused(size: u8, bug: Option<&'static str>) -> Playground {
        let setup = Setup { size, bug, paused: true, ..Setup::default() };
        Playground::new(&setup, Vec::new(), Lang::En, "")
    }

    fn leader(p: &Playground) -> Option<NodeId> {
        Raft::leader(p.world.borrow().raft())
    }

    fn step_until(p: &mut Playground, mut done: impl FnMut(&Playground) -> bool) {
        for _ in 0..500 {
            if done(p) {
                return;
            }
            p.apply(Msg::Step);
        }
        let w = p.world.borrow();
        let w = w.raft();
        let trace: Vec<String> = w.trace().map(|e| ballot_core::Narrate::narrate(e, Lang::En)).collect();
        panic!("condition not reached in 500 steps at {:?}:\n{}", w.now(), trace.join("\n"));
    }

    #[test]
    fn playing_elects_a_leader_and_frames_are_capped() {
        let mut p = paused(5, None);
        p.apply(Msg::TogglePlay);
        p.apply(Msg::SetSpeed(10.0));
        for _ in 0..100 {
            p.apply(Msg::Tick(16.0));
        }
        assert!(leader(&p).is_some());
        let before = p.now();
        p.apply(Msg::Tick(1e9));
        assert!(p.now() - before <= Duration::from_millis(1000), "one frame is at most 100 ms × 10");
        p.apply(Msg::Tick(f64::NAN));
    }

    #[test]
    fn ui_actions_become_world_actions() {
        let mut p = paused(3, None);
        p.apply(Msg::Timeout(NodeId(1)));
        step_until(&mut p, |p| leader(p) == Some(NodeId(1)));
        p.apply(Msg::SetRequest("set x".into()));
        p.apply(Msg::SendRequest(NodeId(2)));
        assert!(p.request_error.as_deref().unwrap().contains("expected"));
        p.apply(Msg::SetRequest("x=5".into()));
        p.apply(Msg::SendRequest(NodeId(1)));
        assert_eq!(p.request_error, None);
        step_until(&mut p, |p| p.world.borrow().raft().node(NodeId(1)).unwrap().commit_index() == 1);
        let id = p.world.borrow().raft().in_flight()[0].id;
        p.apply(Msg::ClickMessage(id));
        assert!(p.world.borrow().raft().in_flight().iter().all(|e| e.id != id));
        p.apply(Msg::StartPartition);
        p.apply(Msg::Select(Some(NodeId(3))));
        p.apply(Msg::ApplyPartition);
        assert!(!p.world.borrow().raft().reachability().is_whole());
        p.apply(Msg::Heal);
        assert!(p.world.borrow().raft().reachability().is_whole());
    }

    /// The route the browser test takes to a violation: with `forget-vote-on-restart`, S2
    /// votes for S1, crashes and restarts without its vote, then votes for S3 (which slept
    /// through term 1) in the same term. Cutting S1 off keeps its heartbeats from interfering.
    #[test]
    fn forgetting_a_vote_elects_two_leaders_and_pauses() {
        let mut p = paused(3, Some("forget-vote-on-restart"));
        p.apply(Msg::ToggleCrash(NodeId(3)));
        p.apply(Msg::Timeout(NodeId(1)));
        step_until(&mut p, |p| leader(p) == Some(NodeId(1)));
        p.apply(Msg::StartPartition);
        p.apply(Msg::Select(Some(NodeId(1))));
        p.apply(Msg::ApplyPartition);
        p.apply(Msg::ToggleCrash(NodeId(2)));
        p.apply(Msg::ToggleCrash(NodeId(2)));
        p.apply(Msg::ToggleCrash(NodeId(3)));
        p.apply(Msg::Timeout(NodeId(3)));
        p.playing = true;
        step_until(&mut p, |p| !p.world.borrow().raft().violations().is_empty());
        assert!(p.violation_banner && !p.playing);
        assert_eq!(p.world.borrow().raft().violations()[0].property, "Election Safety");
    }

    /// Switching protocol keeps the language and the speed, drops the bug and restarts; every
    /// protocol plays and takes the common interventions without a panic.
    #[test]
    fn every_protocol_plays_and_takes_interventions() {
        let mut p = paused(3, Some("commit-previous-term"));
        p.apply(Msg::SetLang(Lang::Zh));
        p.apply(Msg::SetSpeed(2.0));
        for kind in ProtocolKind::ALL {
            p.apply(Msg::SetProtocol(kind));
            assert_eq!((p.config.protocol, p.config.bug, p.lang, p.speed), (kind, None, Lang::Zh, 2.0));
            assert_eq!(p.world.borrow().kind(), kind);
            assert_eq!(p.world.borrow().now(), ballot_core::Instant::ZERO);
            p.apply(Msg::SetBug(Some(String::from(kind.bug_names()[0]))));
            assert_eq!(p.config.bug, Some(kind.bug_names()[0]));
            p.apply(Msg::SetBug(Some(String::from("no-such-bug"))));
            assert_eq!(p.config.bug, None);
            p.apply(Msg::SendRequest(NodeId(1)));
            p.apply(Msg::Timeout(NodeId(2)));
            p.apply(Msg::ToggleCrash(NodeId(3)));
            p.apply(Msg::TogglePlay);
            for _ in 0..50 {
                p.apply(Msg::Tick(16.0));
            }
            p.apply(Msg::ToggleCrash(NodeId(3)));
            p.apply(Msg::Heal);
            let snap = p.world.borrow().snapshot(p.lang);
            assert_eq!(snap.protocol, kind);
            assert_eq!(snap.nodes.len(), 3);
            assert!(p.world.borrow().now() > ballot_core::Instant::ZERO);
            p.playing = false;
        }
    }

    fn fingerprint(p: &Playground) -> Option<String> {
        p.world.borrow().snapshot(Lang::En).fingerprint
    }

    /// A share link made by the page reopens the same moment; a bad one is a notice and the
    /// default run.
    #[test]
    fn share_links_round_trip_and_bad_ones_are_reported() {
        for kind in ProtocolKind::ALL {
            let mut p = paused(3, None);
            p.apply(Msg::SetProtocol(kind));
            p.apply(Msg::SendRequest(NodeId(1)));
            for _ in 0..40 {
                p.apply(Msg::Step);
            }
            p.apply(Msg::ToggleCrash(NodeId(2)));
            p.apply(Msg::Share);
            let link = p.share.clone().expect("a link");
            let q = Playground::new(&Setup::default(), Vec::new(), Lang::En, &format!("#{link}"));
            assert_eq!((q.config.protocol, q.playing, q.link_error.clone()), (kind, false, None));
            assert_eq!(fingerprint(&q), fingerprint(&p));
        }
        for bad in ["run=1.AAAA", "run=9.xyz", "hello"] {
            let q = Playground::new(&Setup::default(), Vec::new(), Lang::En, bad);
            assert!(q.link_error.is_some() && q.playing, "{bad}");
            assert_eq!(q.config.protocol, ProtocolKind::Raft);
        }
    }

    /// Stepping back and seeking show exactly the earlier states; acting there forks, and the
    /// fork can be undone.
    #[test]
    fn time_travel_is_exact_and_forks_undo() {
        let mut p = paused(5, None);
        let mut seen = Vec::new();
        for _ in 0..80 {
            seen.push((p.world.borrow().now(), fingerprint(&p)));
            p.apply(Msg::Step);
        }
        let live = fingerprint(&p);
        for i in (0..80).rev() {
            p.apply(Msg::StepBack);
            assert_eq!(fingerprint(&p), seen[i].1, "event {i}");
        }
        p.apply(Msg::Seek(seen[50].0.as_millis()));
        assert!(p.world.borrow().in_past());
        assert_eq!(p.world.borrow().now().as_millis(), seen[50].0.as_millis());
        p.apply(Msg::Live);
        assert_eq!(fingerprint(&p), live);
        for _ in 0..30 {
            p.apply(Msg::StepBack);
        }
        p.apply(Msg::ToggleCrash(NodeId(1)));
        assert!(!p.world.borrow().in_past() && p.world.borrow().can_undo());
        assert_ne!(fingerprint(&p), live);
        p.apply(Msg::UndoFork);
        assert_eq!(fingerprint(&p), live);
    }

    /// The scenario box: an exported run loads back to the same moment; a bad text is an error
    /// naming its line and leaves the run alone; a scenario of another protocol switches to it.
    #[test]
    fn scenarios_load_as_runs_and_bad_ones_are_reported() {
        let mut p = paused(3, None);
        p.apply(Msg::Timeout(NodeId(2)));
        for _ in 0..30 {
            p.apply(Msg::Step);
        }
        let fp = fingerprint(&p);
        p.apply(Msg::ExportScenario);
        assert!(p.scenario_open && p.scenario_text.contains("expect fingerprint"));
        p.apply(Msg::Reset);
        p.apply(Msg::ImportScenario);
        assert_eq!((fingerprint(&p), p.scenario_loaded, p.playing), (fp.clone(), Some(0), false));
        p.apply(Msg::SetScenario(String::from("protocol raft\ncluster 3\nfly 2\n")));
        p.apply(Msg::ImportScenario);
        assert_eq!(p.scenario_error.as_ref().map(|e| e.line), Some(3));
        assert_eq!(fingerprint(&p), fp);
        p.apply(Msg::SetScenario(String::from("protocol twopc\ncluster 4\nrequest 1 x=1\nrun 1s\n")));
        p.apply(Msg::ImportScenario);
        assert_eq!(
            (p.config.protocol, p.config.size, p.scenario_error.clone()),
            (ProtocolKind::TwoPc, 4, None)
        );
    }

    /// Zoom stays within its levels; the diagram and the SVG file come out for every protocol.
    #[test]
    fn the_diagram_zooms_within_bounds_and_exports() {
        let mut p = paused(3, None);
        for _ in 0..10 {
            p.apply(Msg::Zoom(true));
        }
        assert_eq!(p.zoom, 0);
        for _ in 0..10 {
            p.apply(Msg::Zoom(false));
        }
        assert_eq!(p.zoom, DIAGRAM_SPANS_MS.len() - 1);
        assert_eq!(DIAGRAM_SPANS_MS[p.zoom] * 1000, playground::TRACE_WINDOW.micros);
        for kind in ProtocolKind::ALL {
            p.apply(Msg::SetProtocol(kind));
            p.apply(Msg::SendRequest(NodeId(1)));
            for _ in 0..20 {
                p.apply(Msg::Step);
            }
            let svg = p.world.borrow().diagram_svg(p.zoom, Lang::En);
            assert!(svg.contains("data-msg-id") && svg.contains("data-now"), "{kind:?}");
            p.apply(Msg::ExportSvg);
            assert!(p
                .svg_url
                .as_deref()
                .unwrap_or("")
                .starts_with("data:image/svg+xml;charset=utf-8,%3Csvg"));
            p.apply(Msg::ExportSvg);
            assert_eq!(p.svg_url, None);
        }
    }

    /// While a fork is kept for undoing, the old branch's checkpoints and the new branch's
    /// together stay within one timeline's limit; undoing still gives back the exact old run.
    #[test]
    fn a_kept_fork_does_not_double_the_checkpoints() {
        let mut p = paused(3, None);
        p.apply(Msg::SetSpeed(10.0));
        p.playing = true;
        for _ in 0..700 {
            p.apply(Msg::Tick(100.0));
        }
        p.playing = false;
        let live = fingerprint(&p);
        let held = |p: &Playground| match &*p.world.borrow() {
            AnyWorld::Raft(s) => s.timeline.len() + s.undo.as_ref().map_or(0, |(_, cut)| cut.len()),
            _ => unreachable!(),
        };
        assert!(held(&p) > 20, "{} checkpoints after 70 s", held(&p));
        p.apply(Msg::Seek(3_000));
        p.apply(Msg::ToggleCrash(NodeId(1)));
        p.playing = true;
        for _ in 0..1_500 {
            p.apply(Msg::Tick(100.0));
            assert!(held(&p) <= playground::MAX_CHECKPOINTS, "{}", held(&p));
        }
        p.playing = false;
        assert_ne!(fingerprint(&p), live);
        p.apply(Msg::UndoFork);
        assert_eq!(fingerprint(&p), live);
        p.apply(Msg::Seek(40_000));
        let at = p.world.borrow().now();
        assert_eq!(at, Instant::from_millis(40_000));
    }

    /// A click on the diagram shows the moment drawn there (the top edge is the window's
    /// start, and the window then moves with the cursor); past the present it shows the present.
    #[test]
    fn clicking_the_diagram_moves_the_cursor() {
        let mut p = paused(3, None);
        for _ in 0..60 {
            p.apply(Msg::Step);
        }
        let now = p.world.borrow().now();
        let (from, _) = diagram_window(now, p.zoom);
        p.apply(Msg::DiagramSeek(0.0));
        assert!(p.world.borrow().in_past());
        assert_eq!(p.world.borrow().now().as_millis(), from.as_millis());
        let (_, to) = diagram_window(from, p.zoom);
        p.apply(Msg::DiagramSeek(1.0));
        assert_eq!(p.world.borrow().now().as_millis(), to.as_millis().min(now.as_millis()));
        for _ in 0..20 {
            p.apply(Msg::DiagramSeek(1.0));
        }
        assert!(!p.world.borrow().in_past());
        assert_eq!(p.world.borrow().now(), now);
    }
}
