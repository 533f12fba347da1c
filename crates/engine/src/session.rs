//! One run and its past: the live world with its [`Timeline`] of checkpoints, the past moment
//! shown while scrubbing, and the run as it was before the last fork (for "undo fork").
//!
//! A past moment is the nearest checkpoint replayed forward (exact, since runs are
//! deterministic); stepping forward in the past continues from the shown moment.

use ballot_core::{Duration, Instant};
use ballot_sim::action::Intervention;
use ballot_sim::timeline::{self, playground, Cut, Timeline};
use ballot_sim::{Action, Protocol, SimConfig, World};

/// How many trace events the world keeps (the feed shows the newest [`FEED_LEN`], the
/// space-time diagram reads them all).
pub const TRACE_KEEP: usize = playground::TRACE_KEEP;
/// How many events the feed shows.
pub const FEED_LEN: usize = 50;
/// Seeking up to this many events ahead of the shown past moment continues from it instead of
/// from a checkpoint.
const STEP_ON: u64 = 64;
/// Longest wall-clock gap one frame may account for (a tab coming back from the background
/// does not try to catch up minutes of virtual time).
pub const MAX_FRAME_MS: f64 = 100.0;
/// Most simulator events one frame may process, so a fast speed cannot freeze the engine.
pub const MAX_EVENTS_PER_FRAME: u32 = 4000;
/// While no message is in flight, virtual time runs this many times faster (but never past the
/// next event), so waiting for an election timer is short even at slow speeds.
pub const IDLE_BOOST: f64 = 16.0;
/// Slowest speed offered (1/100×).
pub const MIN_SPEED: f64 = 0.01;
/// Fastest speed offered (10×).
pub const MAX_SPEED: f64 = 10.0;

/// A run of protocol `P` with its time travel.
pub struct Session<P: Protocol> {
    live: World<P>,
    timeline: Timeline<P>,
    past: Option<World<P>>,
    undo: Option<(World<P>, Cut<P>)>,
    /// Whether playing injects the background client workload ([`ballot_sim::workload`]).
    workload: bool,
}

impl<P: Protocol> Session<P> {
    /// A new run from `live`'s start, with the playground's checkpoint settings.
    pub fn new(live: World<P>) -> Self {
        let timeline = Timeline::new(&live, playground::SPACING, playground::MAX_CHECKPOINTS)
            .with_trace_window(playground::TRACE_WINDOW);
        Session { timeline, live, past: None, undo: None, workload: false }
    }

    /// With or without the background client workload while playing (recorded runs start
    /// without: they are someone's exact run).
    pub fn with_workload(mut self, on: bool) -> Self {
        self.workload = on;
        self
    }

    /// Switches the background client workload on or off from now on.
    pub fn set_workload(&mut self, on: bool) {
        self.workload = on;
    }

    /// Whether playing injects the background client workload.
    pub fn workload(&self) -> bool {
        self.workload
    }

    /// A recorded run (a share link's or a scenario's), replayed to `at` with checkpoints.
    pub fn recorded(config: SimConfig<P>, history: &[Intervention<P::Node>], at: (Instant, u64)) -> Self {
        let settings = (playground::SPACING, playground::MAX_CHECKPOINTS);
        let (live, timeline) = Timeline::record(config, history, at, TRACE_KEEP, settings);
        let timeline = timeline.with_trace_window(playground::TRACE_WINDOW);
        Session { live, timeline, past: None, undo: None, workload: false }
    }

    /// The world on screen: the past moment while scrubbing, else the live one.
    pub fn shown(&self) -> &World<P> {
        self.past.as_ref().unwrap_or(&self.live)
    }

    /// The live world.
    pub fn live(&self) -> &World<P> {
        &self.live
    }

    /// Whether a past moment is shown.
    pub fn in_past(&self) -> bool {
        self.past.is_some()
    }

    /// Whether a fork can be undone.
    pub fn can_undo(&self) -> bool {
        self.undo.is_some()
    }

    /// Acting (or playing) in the past: the past moment becomes the live run (its history is
    /// already cut there) and the old live run is kept for [`Session::undo_fork`].
    fn fork(&mut self) {
        if let Some(past) = self.past.take() {
            let cut = self.timeline.cut_after(&past);
            self.undo = Some((core::mem::replace(&mut self.live, past), cut));
        }
    }

    /// Advances for `wall_ms` of real time at `speed`: the live run, or, while a past moment is
    /// shown, that moment along the recorded run (as a video plays; interventions recorded after
    /// it happen where they did) until it meets the present, where the live run goes on.
    pub fn advance(&mut self, speed: f64, wall_ms: f64) {
        if let Some(past) = self.past.take() {
            let target = frame_target(&past, speed, wall_ms);
            let next = timeline::continue_to_time(past, &self.live, target, u64::from(MAX_EVENTS_PER_FRAME));
            let caught_up = next.events() >= self.live.events()
                && next.now() >= self.live.now()
                && next.history().len() >= self.live.history().len();
            self.past = (!caught_up).then_some(next);
            return;
        }
        advance(&mut self.live, speed, wall_ms, self.workload);
        self.observe();
    }

    /// Applies one intervention (forking first in the past).
    pub fn act(&mut self, action: Action<P::Node>) {
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
    pub fn step(&mut self) {
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

    /// Shows the moment one event earlier.
    pub fn step_back(&mut self) {
        let events = self.shown().events();
        if events > 0 {
            self.seek_event(events - 1);
        }
    }

    /// Shows the moment right after event number `events`: one step on from the shown past
    /// moment when that is where it is, else from the nearest checkpoint.
    pub fn seek_event(&mut self, events: u64) {
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

    /// Shows the moment at virtual time `t` (the present if `t` is not in the past).
    pub fn seek(&mut self, t: Instant) {
        self.past = (t < self.live.now()).then(|| self.timeline.seek(&self.live, t));
    }

    /// Shows the present again.
    pub fn back_to_live(&mut self) {
        self.past = None;
    }

    /// Puts back the run as it was before the last fork.
    pub fn undo_fork(&mut self) {
        if let Some((live, cut)) = self.undo.take() {
            self.live = live;
            self.timeline.rejoin(cut);
            self.past = None;
        }
    }

    /// Checkpoints held (the live timeline's plus a kept fork's).
    pub fn checkpoints(&self) -> usize {
        self.timeline.len() + self.undo.as_ref().map_or(0, |(_, cut)| cut.len())
    }
}

/// Advances `world` for `wall_ms` of real time at `speed`, stopping early at a new violation or
/// after [`MAX_EVENTS_PER_FRAME`] events; with `workload`, the background client requests due
/// on the way are made at their instants ([`ballot_sim::workload`]: a function of the seed, so
/// a frame that stops early leaves the rest to the next one, and nothing is sent twice).
pub fn advance<P: Protocol>(world: &mut World<P>, speed: f64, wall_ms: f64, workload: bool) {
    let now = world.now();
    let target = frame_target(world, speed, wall_ms);
    let before = world.violations().len();
    let mut events = 0;
    let seed = world.config().seed;
    let due =
        if workload { ballot_sim::workload::due::<P>(seed, now, target) } else { alloc::vec::Vec::new() };
    for (k, at) in due {
        if !run_events(world, at, before, &mut events) {
            return;
        }
        world.run_until(at);
        for action in ballot_sim::workload::requests(world, seed, k) {
            world.act(action);
        }
    }
    if run_events(world, target, before, &mut events) {
        world.run_until(target);
    }
}

/// Where a frame of `wall_ms` at `speed` takes `world`: `speed` virtual ms per wall ms, faster
/// while no message is in flight (but never past the next event).
fn frame_target<P: Protocol>(world: &World<P>, speed: f64, wall_ms: f64) -> Instant {
    let wall_ms = if wall_ms.is_finite() { wall_ms.clamp(0.0, MAX_FRAME_MS) } else { 0.0 };
    let speed = if speed.is_finite() { speed.clamp(MIN_SPEED, MAX_SPEED) } else { MIN_SPEED };
    let now = world.now();
    let micros = |rate: f64| (wall_ms * rate * 1000.0 + 0.5) as u64;
    let target = now + Duration { micros: micros(speed) };
    if world.in_flight().len() == 0 {
        // Nothing to watch: hurry to the next event, but not past it.
        let boosted = now + Duration { micros: micros((speed * IDLE_BOOST).min(MAX_SPEED)) };
        let next = world.next_event_time().unwrap_or(boosted);
        return target.max(boosted.min(next));
    }
    target
}

/// Processes the events due by `until`, one at a time; false if it stopped early (at a new
/// violation, or with the frame's events spent).
fn run_events<P: Protocol>(world: &mut World<P>, until: Instant, before: usize, events: &mut u32) -> bool {
    while world.next_event_time().is_some_and(|t| t <= until) {
        if *events >= MAX_EVENTS_PER_FRAME {
            return false;
        }
        world.step();
        *events += 1;
        if world.violations().len() > before {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballot_core::NodeId;
    use ballot_sim::protocols::Raft;

    /// Playing a past moment replays the recorded run, its interventions included, frame by
    /// frame, exactly, until it meets the present; nothing forks.
    #[test]
    fn playing_the_past_replays_the_recorded_run_until_the_present() {
        let mut w = World::new(SimConfig::<Raft>::new(5, 3));
        w.run_until(Instant::from_millis(400));
        w.act(Action::Crash(NodeId(1)));
        w.run_until(Instant::from_millis(700));
        w.act(Action::Restart(NodeId(1)));
        w.run_until(Instant::from_millis(1000));
        let mut s = Session::<Raft>::recorded(w.config().clone(), w.history(), (w.now(), w.events()));
        assert_eq!(s.live().fingerprint(), w.fingerprint());
        s.seek(Instant::from_millis(200));
        assert!(s.in_past() && s.shown().is_up(NodeId(1)));
        let (mut frames, mut saw_down, mut last) = (0, false, s.shown().now());
        while s.in_past() {
            s.advance(1.0, 16.0);
            frames += 1;
            assert!(frames < 10_000, "never caught up");
            assert!(s.shown().now() >= last, "time went back");
            last = s.shown().now();
            saw_down |= !s.shown().is_up(NodeId(1));
            // Every moment on the way is the recorded run's: the same as seeking to it.
            if frames % 7 == 0 && s.in_past() {
                let (now, fingerprint) = (s.shown().now(), s.shown().fingerprint());
                let mut again =
                    Session::<Raft>::recorded(w.config().clone(), w.history(), (w.now(), w.events()));
                again.seek(now);
                assert_eq!(again.shown().fingerprint(), fingerprint, "at {now:?}");
            }
        }
        assert!(saw_down, "the crash recorded at 400 ms did not happen on the way");
        assert!(!s.can_undo(), "playing the past forked");
        assert_eq!(s.shown().fingerprint(), w.fingerprint());
        // And then the live run goes on.
        s.advance(1.0, 16.0);
        assert!(s.shown().now() > w.now());
    }
}
