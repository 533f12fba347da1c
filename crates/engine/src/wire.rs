//! What the playground asks an engine and what the engine answers, and their encoding.
//!
//! The page and its engine (a Web Worker running one protocol's wasm) exchange
//! [`postcard`]-encoded bytes: a [`Envelope`] holding a [`Request`] goes in, a [`Reply`] holding
//! the new [`View`] (and the diagram, and what the request produced) comes out. Every request
//! is answered exactly once, in order.

use crate::view::{Chrome, View};
use alloc::string::String;
use alloc::vec::Vec;
use ballot_core::Lang;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
#[serde(remote = "Lang")]
enum LangDef {
    En,
    Zh,
}

/// The parameters that define a run (changing any of them starts a new run, except the
/// network rates, which apply from now on).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct RunSetup {
    /// Number of servers.
    pub size: u8,
    /// The seed.
    pub seed: u64,
    /// The broken variant, by name, if any.
    pub bug: Option<String>,
    /// Loss, percent.
    pub loss_pct: u16,
    /// Duplication, percent.
    pub dup_pct: u16,
    /// A background client workload while playing ([`ballot_sim::workload`]).
    pub workload: bool,
}

impl Default for RunSetup {
    fn default() -> Self {
        RunSetup { size: 5, seed: 1, bug: None, loss_pct: 0, dup_pct: 0, workload: true }
    }
}

/// What a click or key asks of the world, before it becomes the protocol's action.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub enum Act {
    /// Switch the background client workload on or off (from now on; not an intervention).
    Workload(bool),
    /// Crash the server if up, restart it if down.
    ToggleCrash(u8),
    /// Fire the protocol's timeout timer on this server.
    Timeout(u8),
    /// A client request (its text, parsed by the engine) to this server.
    Request(u8, String),
    /// Split the cluster into these groups.
    Partition(Vec<Vec<u8>>),
    /// Remove every partition.
    Heal,
    /// Drop the message with this envelope id.
    Drop(u64),
    /// Duplicate the message with this envelope id.
    Duplicate(u64),
    /// New loss and duplication rates, percent (from now on).
    Rates(u16, u16),
}

/// One request.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub enum Request {
    /// A new run.
    Start(RunSetup),
    /// Open a share link (the fragment without `#`).
    OpenLink(String),
    /// Load scenario text as the run.
    LoadScenario(String),
    /// `wall_ms` of real time passed at `speed` virtual ms per wall ms: advance the live run
    /// (stopping early at a new violation or after a bounded number of events).
    Advance {
        /// Virtual ms per wall ms.
        speed: f64,
        /// Wall-clock ms.
        wall_ms: f64,
    },
    /// One event forward (in the past: the next recorded one).
    Step,
    /// One event back.
    StepBack,
    /// Show the moment at this virtual ms.
    Seek(u64),
    /// The diagram was clicked this far down (0 top, 1 bottom): show that moment.
    DiagramSeek(f64),
    /// Back to the present.
    Live,
    /// Put back the run as it was before the last fork.
    UndoFork,
    /// An intervention.
    Act(Act),
    /// Make a share link of the shown moment.
    Share,
    /// The shown run as scenario text.
    ExportScenario,
    /// The diagram of the kept run as an SVG file.
    ExportSvg,
    /// Nothing changes; draw again (the language or the zoom changed).
    Show,
}

/// A request with the page's context.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Envelope {
    /// The page's language.
    #[serde(with = "LangDef")]
    pub lang: Lang,
    /// The diagram's zoom level.
    pub zoom: u8,
    /// The message the pointer is on (its feed lines are highlighted).
    pub hover: Option<u64>,
    /// The request.
    pub request: Request,
}

/// What a request produced besides the new view.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub enum Outcome {
    /// Nothing to report.
    Done,
    /// A run started; a problem with its setup (an unknown bug) is said here.
    Started(Option<String>),
    /// A share link was opened (the link).
    Opened(String),
    /// The link could not be opened (why, in the page's language); the run is unchanged.
    LinkError(String),
    /// The share link of the shown moment (`None`: this run cannot be carried by one).
    Link(Option<String>),
    /// The shown run as scenario text.
    Scenario(String),
    /// The scenario was loaded; this many protocol-specific expectations were skipped.
    ScenarioLoaded(usize),
    /// The scenario could not be loaded (why, in the page's language); the run is unchanged.
    ScenarioError(String),
    /// The diagram of the kept run, SVG markup.
    Svg(String),
    /// A client request's text was refused (why, in the page's language).
    RequestError(String),
    /// The link or scenario is for another protocol: ask that protocol's engine.
    OtherProtocol(String),
}

/// The answer to one [`Envelope`].
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Reply {
    /// The run as it is now, as the page draws it.
    pub view: View,
    /// The run's parameters (they change when a link or scenario is opened).
    pub setup: RunSetup,
    /// The protocol's legend, labels and broken variants.
    pub chrome: Chrome,
    /// The space-time diagram around the shown moment, SVG markup.
    pub diagram: String,
    /// What the request produced.
    pub outcome: Outcome,
}

/// Encodes a message for the other side.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).unwrap_or_default()
}

/// Decodes a message from the other side (`None` when the bytes are not one).
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Option<T> {
    postcard::from_bytes(bytes).ok()
}
