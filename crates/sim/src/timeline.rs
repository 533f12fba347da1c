//! Time travel: checkpoints of a live run plus deterministic replay.
//!
//! The live [`World`] records every intervention; a [`Timeline`] keeps clones of it taken as it
//! runs. To show the state at any earlier moment, [`Timeline::seek`] clones the last checkpoint
//! at or before that moment and replays the recorded interventions from there — exactly, since
//! the run is deterministic. Memory stays bounded: when there are more than
//! `max_checkpoints`, every other one is dropped and the spacing doubles, so an hour-long run
//! keeps at most `max_checkpoints` clones and a seek replays at most one spacing of virtual
//! time. The spacing is also counted in events ([`DEFAULT_EVENT_SPACING`], doubling likewise):
//! a run whose timers fire every few microseconds packs millions of events into a second, and
//! a seek must not replay them all.
//!
//! Acting in the past forks the run: [`Timeline::fork`] returns the world at the chosen moment
//! with the later history cut off, and forgets the checkpoints after it; the caller keeps the
//! old live world if it wants to offer "undo fork".

use crate::action::Intervention;
use crate::protocol::Protocol;
use crate::world::{SimConfig, World};
use alloc::vec::Vec;
use ballot_core::{Duration, Instant};

/// Most events between two checkpoints at the start of a run (the spacing in events; it doubles
/// with the spacing in time).
pub const DEFAULT_EVENT_SPACING: u64 = 20_000;

/// How much virtual time before a seek target is replayed with narration on (the default).
pub const TRACE_WINDOW: Duration = Duration::from_secs(2);

/// The playground's settings, shared with the benchmark that checks its budget
/// ([`crate::bench::hour_with_timeline`]): first checkpoint spacing, most checkpoints, and
/// how many trace events each world keeps (the feed and the space-time diagram read them).
pub mod playground {
    use ballot_core::Duration;
    /// Checkpoint spacing at the start of a run (it doubles as the run grows).
    pub const SPACING: Duration = Duration::from_secs(1);
    /// Most checkpoints kept: bounds memory (each is a whole world).
    pub const MAX_CHECKPOINTS: usize = 48;
    /// Trace events each world keeps.
    pub const TRACE_KEEP: usize = 1000;
    /// Virtual time replayed with narration before a seek target: the diagram's widest window.
    pub const TRACE_WINDOW: Duration = Duration::from_secs(4);
}

/// Checkpoints of one run.
#[derive(Clone, Debug)]
pub struct Timeline<P: Protocol> {
    /// Sorted by (time, events); the first is the world at time zero.
    checkpoints: Vec<World<P>>,
    spacing: Duration,
    event_spacing: u64,
    max_checkpoints: usize,
    trace_window: Duration,
}

/// Checkpoints cut off by a fork ([`Timeline::cut_after`]), kept so that undoing the fork
/// ([`Timeline::rejoin`]) gets the old branch's fast seeks back.
#[derive(Debug)]
pub struct Cut<P: Protocol> {
    checkpoints: Vec<World<P>>,
    spacing: Duration,
    event_spacing: u64,
    /// The fork point: (time, events, interventions).
    at: (Instant, u64, usize),
}

impl<P: Protocol> Timeline<P> {
    /// Starts a timeline at `start` (normally a fresh world), checkpointing every `spacing` of
    /// virtual time, keeping at most `max_checkpoints` (at least 4).
    pub fn new(start: &World<P>, spacing: Duration, max_checkpoints: usize) -> Self {
        Timeline {
            checkpoints: alloc::vec![start.clone()],
            spacing: Duration { micros: spacing.micros.max(1) },
            event_spacing: DEFAULT_EVENT_SPACING,
            max_checkpoints: max_checkpoints.max(4),
            trace_window: TRACE_WINDOW,
        }
    }

    /// Sets how much virtual time before a seek target is replayed with narration on.
    pub fn with_trace_window(mut self, window: Duration) -> Self {
        self.trace_window = window;
        self
    }

    /// Replays a recorded run (a fresh world of `config`, then `history` at its recorded points,
    /// then on to `at` after at most `at_events` events), checkpointing as it goes, exactly as
    /// [`World::replay`] would. Returns the world at the end and its timeline.
    pub fn record(
        config: SimConfig<P>,
        history: &[Intervention<P::Node>],
        (at, at_events): (Instant, u64),
        trace_limit: usize,
        (spacing, max_checkpoints): (Duration, usize),
    ) -> (World<P>, Self) {
        let mut w = World::new(config).with_trace(trace_limit);
        let mut timeline = Timeline::new(&w, spacing, max_checkpoints);
        // Running to `t` in steps of at most one spacing processes the same events as running
        // there at once (events carry their own times), so checkpoints land where they would live.
        // Likewise in steps of at most one event spacing: stopping after some events and going
        // on processes the same events in the same order.
        let run_to = |w: &mut World<P>, timeline: &mut Self, t: Instant, events: u64| {
            while w.now() < t && w.events() < events {
                let stop = t.min(w.now() + timeline.spacing);
                let cap = w.events().saturating_add(timeline.event_spacing);
                if cap < events {
                    w.run_until_capped(stop, cap);
                } else {
                    w.run_to(stop, events);
                }
                timeline.observe(w);
            }
            w.run_to(t, events);
        };
        for iv in history {
            run_to(&mut w, &mut timeline, iv.at, iv.after_events);
            w.act(iv.action.clone());
        }
        run_to(&mut w, &mut timeline, at, at_events);
        timeline.observe(&w);
        (w, timeline)
    }

    /// Number of checkpoints held.
    pub fn len(&self) -> usize {
        self.checkpoints.len()
    }

    /// Whether no checkpoint is held (never: the start is always kept).
    pub fn is_empty(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// The current spacing between checkpoints.
    pub fn spacing(&self) -> Duration {
        self.spacing
    }

    /// The current spacing in events.
    pub fn event_spacing(&self) -> u64 {
        self.event_spacing
    }

    /// Call after the live world advanced: takes a checkpoint if one spacing (of time or of
    /// events) has passed since the last one, and thins the checkpoints when there are too many.
    pub fn observe(&mut self, live: &World<P>) {
        let (last, last_events) =
            self.checkpoints.last().map_or((Instant::ZERO, 0), |c| (c.now(), c.events()));
        if live.now() < last + self.spacing && live.events() < last_events.saturating_add(self.event_spacing)
        {
            return;
        }
        self.checkpoints.push(live.clone());
        if self.checkpoints.len() > self.max_checkpoints {
            self.thin();
        }
    }

    /// Keeps the start and every other checkpoint after it; doubles the spacing.
    fn thin(&mut self) {
        halve(&mut self.checkpoints, (&mut self.spacing, &mut self.event_spacing), true);
    }

    fn base(&self, fits: impl Fn(&World<P>) -> bool) -> &World<P> {
        self.checkpoints.iter().rev().find(|c| fits(c)).unwrap_or(&self.checkpoints[0])
    }

    /// The world at virtual time `t` of the run `live` belongs to (`live` itself if `t` is not
    /// earlier than its present).
    pub fn seek(&self, live: &World<P>, t: Instant) -> World<P> {
        if t >= live.now() {
            return live.clone();
        }
        let mut w = self.base(|c| c.now() <= t).clone();
        // Replay fast, without narration, until shortly before `t`; then narrate the last
        // TRACE_WINDOW so the event feed has what led to the moment. (Everything before an
        // intervention at `iv.at` that is later than `quiet` has a time `< iv.at`, so stopping at
        // `quiet` first does not change the order of anything.)
        let keep = w.trace_limit();
        let quiet = Instant { micros: t.micros.saturating_sub(self.trace_window.micros) };
        w.set_trace_limit(0);
        let mut narrating = false;
        for iv in &live.history()[w.history().len()..] {
            if iv.at > t {
                break;
            }
            if !narrating && iv.at > quiet {
                w.run_until(quiet);
                w.set_trace_limit(keep);
                narrating = true;
            }
            w.run_to(iv.at, iv.after_events);
            w.act(iv.action.clone());
        }
        if !narrating {
            w.run_until(quiet);
            w.set_trace_limit(keep);
        }
        w.run_until(t);
        w
    }

    /// The world right after event number `events` of the run (at the instant of that event,
    /// with the interventions recorded up to it).
    pub fn seek_event(&self, live: &World<P>, events: u64) -> World<P> {
        if events >= live.events() {
            return live.clone();
        }
        continue_to_event(self.base(|c| c.events() <= events).clone(), live, events)
    }

    /// Forks at `t`: returns the world at `t` (history cut there, ready for a new action) and
    /// forgets checkpoints after it.
    pub fn fork(&mut self, live: &World<P>, t: Instant) -> World<P> {
        let w = self.seek(live, t);
        self.truncate_after(&w);
        w
    }

    /// Forgets checkpoints later than `w` (time or events), e.g. after seeking by event and acting.
    pub fn truncate_after(&mut self, w: &World<P>) {
        drop(self.cut_after(w));
    }

    /// Like [`Timeline::truncate_after`], but returns what it cut off, for [`Timeline::rejoin`].
    pub fn cut_after(&mut self, w: &World<P>) -> Cut<P> {
        let at = (w.now(), w.events(), w.history().len());
        let (kept, cut) = self.checkpoints.drain(..).partition(|c| before(c, at));
        self.checkpoints = kept;
        if self.checkpoints.is_empty() {
            let start = World::new(w.config().clone()).with_trace(w.trace_limit());
            self.checkpoints.push(start);
        }
        Cut { checkpoints: cut, spacing: self.spacing, event_spacing: self.event_spacing, at }
    }

    /// Undoes a fork made at `cut`'s point: the new branch's checkpoints go, the old branch's come
    /// back (the ones before the fork point belong to both).
    pub fn rejoin(&mut self, cut: Cut<P>) {
        self.checkpoints.retain(|c| before(c, cut.at));
        self.checkpoints.extend(cut.checkpoints);
        self.spacing = self.spacing.max(cut.spacing);
        self.event_spacing = self.event_spacing.max(cut.event_spacing);
        while self.checkpoints.len() > self.max_checkpoints {
            self.thin();
        }
    }
}

impl<P: Protocol> Cut<P> {
    /// Number of checkpoints held.
    pub fn len(&self) -> usize {
        self.checkpoints.len()
    }

    /// Whether it holds no checkpoint.
    pub fn is_empty(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// Drops every other checkpoint (the last one goes when one is left), to bound memory while
    /// a fork is kept for undoing; seeks on the old branch after [`Timeline::rejoin`] then replay
    /// up to twice as far.
    pub fn thin(&mut self) {
        halve(&mut self.checkpoints, (&mut self.spacing, &mut self.event_spacing), false);
    }
}

/// Drops every other checkpoint, keeping the first one if `keep_first` (a timeline's start), and
/// doubles both spacings.
fn halve<P: Protocol>(
    checkpoints: &mut Vec<World<P>>,
    (spacing, event_spacing): (&mut Duration, &mut u64),
    keep_first: bool,
) {
    let mut i = usize::from(!keep_first);
    checkpoints.retain(|_| {
        i += 1;
        i % 2 == 1
    });
    *spacing = *spacing + *spacing;
    *event_spacing = event_spacing.saturating_mul(2);
}

/// Whether checkpoint `c` is at or before the point (time, events, interventions).
fn before<P: Protocol>(c: &World<P>, (now, events, interventions): (Instant, u64, usize)) -> bool {
    c.now() <= now && c.events() <= events && c.history().len() <= interventions
}

/// Runs `w`, an earlier moment of the run `live` belongs to, forward along that run, as a video
/// plays: the interventions `live` recorded are applied where they were, and events are processed
/// up to `until`, at most `max_events` of them, never past `live`'s own moment. Playing a past
/// moment is this, frame after frame, until it meets the present (acting there forks instead).
pub fn continue_to_time<P: Protocol>(
    mut w: World<P>,
    live: &World<P>,
    until: Instant,
    max_events: u64,
) -> World<P> {
    let until = until.min(live.now());
    let cap = live.events().min(w.events().saturating_add(max_events));
    for iv in live.history().get(w.history().len()..).unwrap_or_default() {
        if iv.at > until || iv.after_events > cap {
            break;
        }
        w.run_to(iv.at, iv.after_events);
        if w.events() < iv.after_events {
            return w;
        }
        w.act(iv.action.clone());
    }
    w.run_until_capped(until, cap);
    w
}

/// Runs `w`, an earlier moment of the run `live` belongs to (a checkpoint, or a moment shown
/// before), on to right after event number `events`, with the interventions recorded up to it.
pub fn continue_to_event<P: Protocol>(mut w: World<P>, live: &World<P>, events: u64) -> World<P> {
    for iv in live.history().get(w.history().len()..).unwrap_or_default() {
        if iv.after_events > events {
            break;
        }
        w.run_to(iv.at, iv.after_events);
        w.act(iv.action.clone());
    }
    while w.events() < events && w.step() {}
    w
}
