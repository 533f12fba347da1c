//! What the page draws, as plain data that names no protocol.
//!
//! A protocol's view adapter ([`crate::Visual`]) fills a [`View`]: nodes with a role, a shape, a
//! colour class, captions and `data-*` attributes; the messages in flight; panels described as
//! data (a [`Grid`] such as Raft's log or Multi-Paxos' slots, a [`Table`] such as Paxos' roles
//! or 2PC's transaction); a [`Banner`]; the narrated feed and the safety properties. The
//! playground's components render these and know no protocol by name.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// `data-*` attributes: (name without the `data-` prefix, value).
pub type Attrs = Vec<(String, String)>;

/// Whether `name` may follow `data-`: a plain lowercase word (digits and `-` allowed). Both
/// renderers (the engine's HTML, the page's ring) skip any other name.
pub fn is_data_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Most messages in flight a [`View`] carries for the ring to draw. More would make every frame
/// cost the page time in proportion to the traffic (a dense run froze the tab for seconds).
pub const MAX_DRAWN_MESSAGES: usize = 200;

/// How a node is drawn.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, Default)]
pub enum Shape {
    /// A plain circle (follower, acceptor, participant, crashed).
    #[default]
    Circle,
    /// A diamond (candidate, active proposer).
    Diamond,
    /// A double circle with a star (leader).
    Leader,
    /// A square (2PC's coordinator).
    Square,
    /// A crossed circle (the legend's "crashed").
    Crashed,
}

/// One node as drawn on the ring and in the node panel.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize, Default)]
pub struct NodeView {
    /// 1-based id.
    pub id: u8,
    /// `data-role` and CSS class (`follower`, `leader`, `proposer`, `coordinator`, `crashed`…).
    pub role: String,
    /// The role's name in the page's language.
    pub role_label: String,
    /// Whether it is up.
    pub up: bool,
    /// How it is drawn.
    pub shape: Shape,
    /// `data-term`: Raft's term, Paxos' promised round, 2PC's transaction number.
    pub term: u64,
    /// The short line under the name (`T3 →S1`, `P3.1`, `tx1`).
    pub line: String,
    /// The node, its role and its short line in words (`S2 follower: term 3, voted for S1`):
    /// the ring's `<title>`, shown on hover and read by screen readers.
    pub title: String,
    /// The label outside the ring (role and counts), in the page's language.
    pub caption: String,
    /// A second label outside the ring (accepted proposal, in-doubt warning…).
    pub extra: Option<String>,
    /// More CSS classes (`state-prepared in-doubt`), space-separated.
    pub classes: String,
    /// The protocol's own `data-*` attributes (`voted-for`, `promised`, `state`, `in-doubt`…).
    pub attrs: Attrs,
    /// Draw an hourglass badge (a participant blocked in doubt).
    pub hourglass: bool,
    /// Fraction of the protocol's timeout timer still to run (1 = just armed, 0 = firing).
    pub timer_left: Option<f64>,
    /// Partition group, when the network is partitioned.
    pub group: Option<u8>,
    /// Rows of the node panel: (label, value), in the page's language.
    pub details: Vec<(String, String)>,
    /// Whether "force timeout" means something for this node.
    pub can_timeout: bool,
}

/// One message dot.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct MsgView {
    /// Envelope id.
    pub id: u64,
    /// Sender.
    pub from: u8,
    /// Recipient.
    pub to: u8,
    /// Short label (`RV`, `AE✓`, `Prep`…).
    pub label: String,
    /// How far along its link, `0..=1`.
    pub progress: f64,
    /// The network will lose it.
    pub lost: bool,
}

/// One line of the feed.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct FeedItem {
    /// Sequence number (unique, increasing).
    pub seq: u64,
    /// Virtual time, formatted.
    pub at: String,
    /// The narrated sentence.
    pub text: String,
    /// Kind, for styling (`violation` stands out).
    pub kind: String,
    /// The message it is about (sent, delivered or dropped), if any.
    pub msg: Option<u64>,
    /// The lines this one sums up (a heartbeat round's sends, receipts and replies), oldest
    /// first; shown when the line is expanded.
    #[serde(default)]
    pub folded: Vec<FeedItem>,
}

/// A broken property, as shown.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct ViolationView {
    /// Nodes involved (`S1, S3`).
    pub nodes: String,
    /// When, formatted.
    pub at: String,
    /// Events processed when it was found.
    pub step: u64,
    /// The checker's sentence.
    pub detail: String,
}

/// One row of the invariant panel.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct PropertyView {
    /// The property's name (`data-property`).
    pub name: String,
    /// Its name in the page's language.
    pub label: String,
    /// Its violation, if any.
    pub violation: Option<ViolationView>,
}

/// A run of text, plain or in a styled span.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize, Default)]
pub struct Span {
    /// The text.
    pub text: String,
    /// CSS classes of a `<span>` around it (empty: plain text).
    pub class: String,
    /// Bold (`<b>`).
    pub strong: bool,
}

impl Span {
    /// Plain text.
    pub fn plain(text: impl Into<String>) -> Span {
        Span { text: text.into(), class: String::new(), strong: false }
    }
    /// Text in a `<span class=…>`.
    pub fn styled(text: impl Into<String>, class: impl Into<String>) -> Span {
        Span { text: text.into(), class: class.into(), strong: false }
    }
    /// Bold text.
    pub fn strong(text: impl Into<String>) -> Span {
        Span { text: text.into(), class: String::new(), strong: true }
    }
}

/// An icon a banner may carry.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Icon {
    /// An hourglass (blocked, waiting).
    Hourglass,
}

/// A banner above the ring: what the protocol wants you to notice right now.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Banner {
    /// Its CSS class (`chosen-banner`, `in-doubt-banner`).
    pub class: String,
    /// An alert (`role="alert"`) rather than a status.
    pub alert: bool,
    /// Its `data-*` attributes.
    pub attrs: Attrs,
    /// An icon before the text.
    pub icon: Option<Icon>,
    /// The text.
    pub text: Vec<Span>,
}

/// One cell of a [`Grid`].
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize, Default)]
pub struct GridCell {
    /// CSS classes besides `cell` (`committed`, `pending`, `slot applied`…).
    pub class: String,
    /// The big text (a term, a ballot).
    pub head: String,
    /// The small text (a command).
    pub sub: String,
    /// Tooltip.
    pub title: String,
    /// Colour by this number (a term): the border, and the background when `filled`.
    pub colour: Option<u64>,
    /// Whether the colour fills the cell.
    pub filled: bool,
    /// Its `data-*` attributes.
    pub attrs: Attrs,
}

/// One row of a [`Grid`] (one server).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize, Default)]
pub struct GridRow {
    /// The server (`S1`).
    pub label: String,
    /// Whether it is up.
    pub up: bool,
    /// Its `data-*` attributes.
    pub attrs: Attrs,
    /// One per shown column; `None` is a blank.
    pub cells: Vec<Option<GridCell>>,
}

/// A small sample cell and its meaning, in a panel's caption.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct KeyItem {
    /// The sample cell's classes besides `cell`.
    pub class: String,
    /// What it means.
    pub label: String,
}

/// Rows are servers, columns numbered positions (a log's indexes, Multi-Paxos' slots).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize, Default)]
pub struct Grid {
    /// More classes of the panel (`slots`).
    pub class: String,
    /// Heading.
    pub title: String,
    /// The sentence under it.
    pub caption: String,
    /// Sample cells after the caption.
    pub key: Vec<KeyItem>,
    /// First column's number.
    pub first: u64,
    /// Last column's number (0: no columns).
    pub last: u64,
    /// The rows.
    pub rows: Vec<GridRow>,
}

/// One cell of a [`Table`].
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize, Default)]
pub struct Cell {
    /// The cell's CSS classes (`mono`).
    pub class: String,
    /// Its content.
    pub text: Vec<Span>,
}

/// One row of a [`Table`].
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize, Default)]
pub struct TableRow {
    /// The header cell (`S1`).
    pub label: String,
    /// The row's CSS classes (`down`, `in-doubt`).
    pub class: String,
    /// Its `data-*` attributes.
    pub attrs: Attrs,
    /// The cells.
    pub cells: Vec<Cell>,
}

/// A table with a heading, an optional summary list and one row per server.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize, Default)]
pub struct Table {
    /// More classes of the panel (`roles`, `txn`).
    pub class: String,
    /// Heading.
    pub title: String,
    /// The sentence under it.
    pub caption: String,
    /// The panel's `data-*` attributes.
    pub attrs: Attrs,
    /// (term, description) pairs above the table.
    pub summary: Vec<(String, Vec<Span>)>,
    /// Column headings after the row header.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<TableRow>,
}

/// A protocol's own panel.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub enum Panel {
    /// A grid of cells.
    Grid(Grid),
    /// A table.
    Table(Table),
}

/// One entry of the legend under the ring.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct LegendItem {
    /// The node classes it shows (`follower`, `participant state-working`).
    pub class: String,
    /// Its shape.
    pub shape: Shape,
    /// What it means.
    pub label: String,
}

/// A broken variant the bug selector offers.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct BugView {
    /// Its name (kebab-case; `?bug=` and share links use it).
    pub name: String,
    /// One sentence about it.
    pub description: String,
}

/// What a protocol says about itself for the controls: its broken variants and the words the
/// controls use for it.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize, Default)]
pub struct Chrome {
    /// The shapes and colours the ring uses (the page gets them as [`Markup::legend`]).
    #[serde(skip)]
    pub legend: Vec<LegendItem>,
    /// What the timer arc means.
    pub timer_legend: String,
    /// The "force timeout" button.
    pub timeout_label: String,
    /// Said of a crashed node in the node panel.
    pub down_note: String,
    /// The bug selector's "none" option.
    pub bug_none: String,
    /// What the correct protocol is.
    pub bug_none_description: String,
    /// The broken variants.
    pub bugs: Vec<BugView>,
}

/// Everything the page draws for one moment.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize, Default)]
pub struct View {
    /// Which protocol (`raft`).
    pub protocol: String,
    /// Virtual now of the shown moment, whole milliseconds.
    pub now_ms: u64,
    /// Virtual now, formatted.
    pub now: String,
    /// The live run's now, ms (the scrubber's end).
    pub live_ms: u64,
    /// A past moment is shown.
    pub in_past: bool,
    /// A fork can be undone.
    pub can_undo: bool,
    /// The status line's label (`Leader`, `Chosen`, `Coordinator`) and value.
    pub status_label: String,
    /// The status line's value (`S1`, `x=5`, `none`).
    pub status_value: String,
    /// What the feed says while it is empty.
    pub feed_empty: String,
    /// The latest milestone of the run (a role change, a commit, a crash, a restart, a violation)
    /// in words, for the page's polite live region: screen readers hear each new one.
    pub milestone: String,
    /// The live leader (Raft, Multi-Paxos) or the live coordinator (2PC).
    pub leader: Option<u8>,
    /// Where a client request should go (leader, proposer, coordinator).
    pub client_target: Option<u8>,
    /// `data-chosen` on the root (Paxos).
    pub chosen: Option<String>,
    /// `World::fingerprint` in hex: the same value `ballot replay` prints for a share link.
    pub fingerprint: String,
    /// Number of violations.
    pub violations: usize,
    /// Events processed.
    pub events: u64,
    /// The partition group of each node (empty when whole).
    pub groups: Vec<u8>,
    /// Servers.
    pub nodes: Vec<NodeView>,
    /// Messages in flight, the oldest [`MAX_DRAWN_MESSAGES`] of them (a run with timers of a
    /// microsecond can have a hundred thousand on the wire; the page draws a few hundred).
    pub msgs: Vec<MsgView>,
    /// How many messages are in flight in all (`data-in-flight`).
    pub in_flight: u64,
    /// Links blocked in at least one direction, as (a, b) with a < b.
    pub blocked: Vec<(u8, u8)>,
    /// The protocol's panels (the page gets them as [`View::markup`]).
    #[serde(skip)]
    pub panels: Vec<Panel>,
    /// The banner, if any (the page gets it as [`View::markup`]).
    #[serde(skip)]
    pub banner: Option<Banner>,
    /// Newest first (the page gets it as [`View::markup`]).
    #[serde(skip)]
    pub feed: Vec<FeedItem>,
    /// The invariant panel (the page gets it as [`View::markup`]).
    #[serde(skip)]
    pub properties: Vec<PropertyView>,
    /// The panels, banner, feed and properties as HTML ([`crate::render`]).
    pub markup: Markup,
}

/// The parts of a [`View`] the page inserts as HTML.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize, Default)]
pub struct Markup {
    /// The banner (empty when none).
    pub banner: String,
    /// The protocol's panels.
    pub panels: String,
    /// The narrated feed.
    pub feed: String,
    /// The safety properties.
    pub invariants: String,
    /// The legend under the ring.
    pub legend: String,
}
