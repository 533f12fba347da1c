//! Time travel: checkpoints of a live run plus deterministic replay.
//!
//! The live [`World`] records every intervention; a [`Timeline`] keeps clones of it taken as it
//! runs. To show the state at any earlier moment, [`Timeline::seek`] clones the last checkpoint
//! at or before that moment and replays the recorded interventions from there — exactly, since
//! the run is deterministic. Memory stays bounded: when there are more than
//! `max_checkpoints`, every other one is dropped and the spacing doubles, so an hour-long run
//! keeps at most `max_checkpoints` clones and a seek replays at most one spacing of virtual
//! time.
//!
//! Acting in the past forks the run: [`Timeline::fork`] returns the world at the chosen moment
//! with the later history cut off, and forgets the checkpoints after it; the caller keeps the
//! old live world if it wants to offer "undo fork".

use crate::protocol::Protocol;
use crate::world::World;
use alloc::vec::Vec;
use ballot_core::{Duration, Instant};

/// How much virtual time before a seek target is replayed with narration on.
pub const TRACE_WINDOW: Duration = Duration::from_secs(2);

/// Checkpoints of one run.
#[derive(Clone, Debug)]
pub struct Timeline<P: Protocol> {
    /// Sorted by (time, events); the first is the world at time zero.
    checkpoints: Vec<World<P>>,
    spacing: Duration,
    max_checkpoints: usize,
}

impl<P: Protocol> Timeline<P> {
    /// Starts a timeline at `start` (normally a fresh world), checkpointing every `spacing` of
    /// virtual time, keeping at most `max_checkpoints` (at least 4).
    pub fn new(start: &World<P>, spacing: Duration, max_checkpoints: usize) -> Self {
        Timeline {
            checkpoints: alloc::vec![start.clone()],
            spacing: Duration { micros: spacing.micros.max(1) },
            max_checkpoints: max_checkpoints.max(4),
        }
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

    /// Call after the live world advanced: takes a checkpoint if one spacing has passed since
    /// the last one, and thins the checkpoints when there are too many.
    pub fn observe(&mut self, live: &World<P>) {
        let last = self.checkpoints.last().map_or(Instant::ZERO, World::now);
        if live.now() < last + self.spacing {
            return;
        }
        self.checkpoints.push(live.clone());
        if self.checkpoints.len() > self.max_checkpoints {
            // Keep the start and every other checkpoint after it; double the spacing.
            let mut i = 0;
            self.checkpoints.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.spacing = self.spacing + self.spacing;
        }
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
        let quiet = Instant { micros: t.micros.saturating_sub(TRACE_WINDOW.micros) };
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
        let mut w = self.base(|c| c.events() <= events).clone();
        for iv in &live.history()[w.history().len()..] {
            if iv.after_events > events {
                break;
            }
            w.run_to(iv.at, iv.after_events);
            w.act(iv.action.clone());
        }
        while w.events() < events && w.step() {}
        w
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
        self.checkpoints.retain(|c| {
            c.now() <= w.now() && c.events() <= w.events() && c.history().len() <= w.history().len()
        });
        if self.checkpoints.is_empty() {
            self.checkpoints.push(World::new(w.config().clone()));
        }
    }
}
