//! The page's side of the engine: which protocol's engine runs, the requests waiting for it,
//! and the Web Worker it runs in.
//!
//! Requests go one at a time: the next leaves when the previous one's reply arrives, so a slow
//! engine (a long seek, a scenario load) never piles up work. Animation frames while a request
//! is out are folded into the next [`Request::Advance`] (at most one frame's worth of time,
//! `session::MAX_FRAME_MS`). Replies carry the generation of the engine that made them, so a
//! reply from an engine the page already left is ignored.

use std::collections::VecDeque;

use ballot_engine::session::MAX_FRAME_MS;
use ballot_engine::wire::{Envelope, Request};

/// Where encoded envelopes go. In the browser a [`worker::WorkerTransport`]; in native tests
/// an engine answering in-process.
pub trait Transport {
    /// Starts the engine of `protocol` (stopping the previous one); its replies are tagged
    /// `generation`.
    fn start(&self, protocol: &'static str, generation: u64);
    /// Sends one encoded envelope to the current engine.
    fn post(&self, bytes: Vec<u8>);
}

/// Requests waiting for the engine.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pipe {
    /// The engine runs this protocol.
    pub protocol: &'static str,
    /// Bumped whenever another engine is started.
    pub generation: u64,
    /// A request is out.
    pub busy: bool,
    /// Requests to send, in order.
    pub queue: VecDeque<Request>,
    /// Wall-clock time the animation asked for while the engine was busy.
    pub pending_ms: f64,
}

impl Pipe {
    /// Queues `request`.
    pub fn push(&mut self, request: Request) {
        self.queue.push_back(request);
    }

    /// An animation frame of `wall_ms`: time to advance once the engine is free.
    pub fn frame(&mut self, wall_ms: f64) {
        let ms = if wall_ms.is_finite() { wall_ms.max(0.0) } else { 0.0 };
        self.pending_ms = (self.pending_ms + ms).min(MAX_FRAME_MS);
    }

    /// The next request to send, if the engine is free: queued requests first, then the time
    /// the animation asked for (when `playing`).
    pub fn next(&mut self, playing: bool, speed: f64) -> Option<Request> {
        if self.busy {
            return None;
        }
        let request = match self.queue.pop_front() {
            Some(r) => r,
            None if playing && self.pending_ms > 0.0 => {
                let wall_ms = core::mem::take(&mut self.pending_ms);
                Request::Advance { speed, wall_ms }
            }
            None => return None,
        };
        self.busy = true;
        Some(request)
    }

    /// Switches to `protocol`'s engine: what was queued for the old one is dropped.
    pub fn switch(&mut self, protocol: &'static str) {
        self.protocol = protocol;
        self.generation += 1;
        self.busy = false;
        self.queue.clear();
        self.pending_ms = 0.0;
    }
}

/// Encodes an envelope.
pub fn encode(envelope: &Envelope) -> Vec<u8> {
    ballot_engine::wire::encode(envelope)
}

pub mod worker {
    //! The engine in a Web Worker (`engine.js?p=NAME`, a relative URL: the page works at any
    //! path).

    use std::cell::RefCell;

    use ballot_engine::wire::Reply;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{MessageEvent, Worker};
    use yew::Callback;

    use super::Transport;

    /// What the worker said.
    pub enum Heard {
        /// A reply of engine `generation`.
        Reply(u64, Box<Reply>),
        /// The engine could not load or failed.
        Error(u64, String),
    }

    /// A worker and the listener that must live as long as it.
    type Running = (Worker, Closure<dyn FnMut(MessageEvent)>);

    /// The current worker and the callback its replies go to.
    pub struct WorkerTransport {
        worker: RefCell<Option<Running>>,
        on_heard: Callback<Heard>,
    }

    impl WorkerTransport {
        /// A transport whose replies go to `on_heard`.
        pub fn new(on_heard: Callback<Heard>) -> Self {
            WorkerTransport { worker: RefCell::new(None), on_heard }
        }
    }

    impl Transport for WorkerTransport {
        fn start(&self, protocol: &'static str, generation: u64) {
            if let Some((old, _)) = self.worker.borrow_mut().take() {
                old.terminate();
            }
            let on_heard = self.on_heard.clone();
            let worker = match Worker::new(&format!("engine.js?p={protocol}")) {
                Ok(w) => w,
                Err(e) => {
                    let why = e.as_string().unwrap_or_else(|| format!("{e:?}"));
                    on_heard.emit(Heard::Error(generation, format!("could not start a Web Worker: {why}")));
                    return;
                }
            };
            let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                if let Some(bytes) = data.dyn_ref::<js_sys::Uint8Array>() {
                    match ballot_engine::wire::decode::<Reply>(&bytes.to_vec()) {
                        Some(reply) => on_heard.emit(Heard::Reply(generation, Box::new(reply))),
                        None => on_heard.emit(Heard::Error(
                            generation,
                            String::from("the engine's reply could not be read"),
                        )),
                    }
                } else {
                    let error = js_sys::Reflect::get(&data, &JsValue::from_str("error"))
                        .ok()
                        .and_then(|e| e.as_string())
                        .unwrap_or_else(|| String::from("the engine sent something unexpected"));
                    on_heard.emit(Heard::Error(generation, error));
                }
            });
            worker.set_onmessage(Some(listener.as_ref().unchecked_ref()));
            *self.worker.borrow_mut() = Some((worker, listener));
        }

        fn post(&self, bytes: Vec<u8>) {
            if let Some((worker, _)) = self.worker.borrow().as_ref() {
                let array = js_sys::Uint8Array::from(bytes.as_slice());
                let _ = worker.post_message(&array);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_request_at_a_time_and_frames_fold_into_one_advance() {
        let mut pipe = Pipe::default();
        pipe.push(Request::Step);
        pipe.push(Request::Share);
        pipe.frame(16.0);
        assert_eq!(pipe.next(true, 1.0), Some(Request::Step));
        assert_eq!(pipe.next(true, 1.0), None, "busy");
        pipe.frame(16.0);
        pipe.busy = false;
        assert_eq!(pipe.next(true, 1.0), Some(Request::Share));
        pipe.busy = false;
        assert_eq!(pipe.next(true, 2.0), Some(Request::Advance { speed: 2.0, wall_ms: 32.0 }));
        pipe.busy = false;
        assert_eq!(pipe.next(true, 2.0), None, "no time asked for");
        pipe.frame(1e9);
        assert_eq!(pipe.next(false, 2.0), None, "paused: no advance");
        assert_eq!(pipe.next(true, 2.0), Some(Request::Advance { speed: 2.0, wall_ms: MAX_FRAME_MS }));
        pipe.switch("paxos");
        assert!(!pipe.busy && pipe.queue.is_empty() && pipe.generation == 1);
    }
}
