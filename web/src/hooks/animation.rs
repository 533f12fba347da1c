//! Calls back once per animation frame with the wall-clock milliseconds since the previous
//! frame, while `active`. The hook owns the `requestAnimationFrame` handle: dropping it (when
//! `active` turns false or the component goes away) cancels the next frame.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

/// The loop's state: the pending frame and the time of the last one.
#[derive(Default)]
struct Loop {
    handle: Option<AnimationFrame>,
    last_ms: Option<f64>,
    /// Set by the cleanup: a frame already running must not schedule another.
    stopped: bool,
}

fn schedule(state: Rc<RefCell<Loop>>, on_frame: Callback<f64>) {
    if state.borrow().stopped {
        return;
    }
    let next = Rc::clone(&state);
    let handle = request_animation_frame(move |ts| {
        let dt = {
            let mut s = next.borrow_mut();
            let dt = s.last_ms.map_or(0.0, |last| ts - last);
            s.last_ms = Some(ts);
            dt
        };
        on_frame.emit(dt);
        schedule(next, on_frame);
    });
    state.borrow_mut().handle = Some(handle);
}

/// While `active`, emits `on_frame(wall_ms_since_last_frame)` on every animation frame.
#[hook]
pub fn use_animation_frame(active: bool, on_frame: Callback<f64>) {
    use_effect_with(active, move |active| {
        let state = Rc::new(RefCell::new(Loop::default()));
        if *active {
            schedule(Rc::clone(&state), on_frame);
        }
        // Cleanup drops the handle, which cancels the pending frame.
        move || {
            let mut s = state.borrow_mut();
            s.stopped = true;
            s.handle = None;
        }
    });
}
