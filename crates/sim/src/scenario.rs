//! The scenario language: a small line-oriented script, in the spirit of etcd's `testdata/`.
//! The same text is a test, a guided tour step and (later) an exported share.
//!
//! ```text
//! # Leader crash and re-election: a new leader appears in a higher term.
//! protocol raft
//! cluster 5
//! seed 7
//! net latency 10..15ms loss 0% dup 0% reorder 0%
//! config election-timeout 150..300ms
//! run 1s
//! expect leader any
//! crash leader
//! run 2s
//! expect leader any term >= 2
//! request leader x=5
//! run 500ms
//! expect committed x=5 on majority
//! expect no violation
//! ```
//!
//! Header lines (`protocol`, `cluster`, `seed`, `bug`, `net`, `config`) come before the first
//! action, in any order; parameters that name nodes (2PC's `config vote-no`) are checked against
//! the cluster when the header ends. Actions: `run DURATION`, `crash N|leader`, `restart N`, `timeout N|leader` (fires the
//! protocol's timeout timer; a Raft leader steps down and campaigns),
//! `request N|leader COMMAND`, `partition 1,2 | 3,4,5`, `heal`, `cut A->B`, `restore A->B`,
//! `drop all`, `drop message ID`, `duplicate message ID`, `delay message ID DURATION` (ID must be
//! in flight, and a delay at most 60 s, or the line is an error), `deliver message ID` and
//! `fire N TIMER` (a model checker's steps: that one event now, out of time order; TIMER is the
//! timer's lowercase name, e.g. `heartbeat`, and must be armed),
//! `net …` (mid-run: changes the network; a latency above 60 s, or a rate above 100%, is an error,
//! never clamped), `at TIME [EVENTS]` (run to that exact point; what
//! [`export`] writes before each intervention). Expectations: `expect violation PROPERTY…`, `expect no violation`,
//! `expect up N`, `expect down N`, `expect fingerprint HEX`, probes, `expect in-flight …` and
//! `expect eventually within …` (below), and whatever the protocol understands (see
//! [`Protocol::expect`]). Node numbers may be written `3` or `S3`.
//!
//! Messages can also be picked by what they are rather than by id. A selector is `KIND A->B`:
//! KIND is a kind of the protocol's messages ([`Message::KINDS`], e.g. Raft's `AppendEntries`,
//! Paxos's `Promise`, 2PC's `Prepared`), its short label or the label's leading letters (`HB`,
//! `RV`, `AE`), in any case, or `*` for any; A and B are nodes or `*` for any. `ballot run
//! --trace -` prints every envelope's id, link and label.
//!
//! ```text
//! drop next AppendEntries 2->3   # the matching message in flight delivered first (then lowest id)
//! duplicate next HB 2->*         # … sent once more, with its own latency
//! delay next * *->1 30ms         # … arrives 30 ms later
//! drop all RequestVote *->*      # every matching message in flight
//! hold * 2->3                    # from now on, matching messages that come due wait (held)
//! hold Prepare *->4              # a hold's KIND is a kind name or `*` (no labels)
//! release 2->3                   # ends the holds A->B covers; what they held is due now,
//! release all                    #   in the order they were held (new ids); they may still be lost, cut or find the node down
//! net link 1->2 latency 50ms loss 30%   # parameters for messages sent on one link (`*` allowed;
//! net link *->3 dup 5% reorder 10%      #   1->2 beats 1->*, then *->2, then *->*; unnamed ones
//! net link 1->2 reset                   #   start from the link's or the network's); reset removes it
//! ```
//!
//! A selector that matches nothing in flight is an error that lists what is. They record the
//! same `drop/duplicate/delay message ID` actions an id would, so [`export`] writes those;
//! holds, releases and link parameters are exported as written. [`run`] reads these lines;
//! [`load`] (the playground's import) refuses them by name, to keep the browser's bundle small
//! — share links carry the actions, and the playground replays them. A DURATION is digits, at most
//! one dot with digits on both sides, then `us`, `ms` or `s`, with nothing between: `500ms`,
//! `1.5s`; `+5s`, `-5s`, `.5s`, `5.s` and `5 s` are refused. A scenario fails at its first
//! unmet expectation, and at its end if a safety property was broken that no line expected. Its
//! error quotes at most [`EXCERPT_CHARS`] characters of the line and of each quoted word.
//!
//! Work is bounded twice: a scenario may reach at most [`MAX_SCENARIO_TIME`] of virtual time and
//! process at most [`MAX_SCENARIO_EVENTS`] events (`ballot run --max-events N` changes that);
//! a `run` or `at` line that reaches the event limit fails, saying where it stopped.
//!
//! **Probes.** `expect NAME ARGS OP VALUE` reads one named piece of a protocol's state
//! ([`Protocol::probes`], listed by `ballot probes PROTOCOL`) and compares it: `OP` is `=`, `!=`,
//! `>=`, `<=`, `>` or `<` for numbers and ballots, `=` or `!=` for nodes and text. An unknown
//! name is an error that lists the protocol's probes; a node that is down or not in the cluster,
//! or leader state asked of a non-leader, is an error that says so.
//!
//! ```text
//! expect next-index 1->2 = 4          # Raft: leader S1's nextIndex for S2
//! expect match-index 1->3 >= 2
//! expect voted-for 3 = 1              # or `none`
//! expect persisted 5 log-len = 1      # stable storage (a crashed node's too)
//! expect votes 2 = 2,3                # a candidate's votes
//! expect promised 2 >= 3.1            # Paxos: acceptor S2's promise
//! expect accepted 2 = 3.1 x=5         # Paxos: `BALLOT VALUE` or `none`
//! expect chosen 4 = y=2               # Multi-Paxos: slot 4
//! expect state 3 = prepared           # 2PC: participant S3
//! ```
//!
//! **Messages in flight.** `expect in-flight KIND A->B OP N` counts the messages in flight
//! (lost ones included, until their arrival time) whose kind (`AppendEntries`, `RequestVote`,
//! …, [`ballot_core::node::Message::KINDS`]) or label (`AE`, `HB`, `RV✓`, as the playground
//! shows them) matches `KIND` from `A` to `B`, letters in any case; `*` matches anything in the
//! kind or label and any node on either side, and `leader` names the leader.
//!
//! ```text
//! expect in-flight AppendEntries 1->2 = 0   # heartbeats included: they are AppendEntries
//! expect in-flight RV 2->* = 4        # S2's RequestVotes
//! expect in-flight AE* 1->3 >= 1      # AE, AE✓ or AE✗ from S1 to S3
//! expect in-flight * *->2 = 0         # nothing on its way to S2
//! ```
//!
//! **Waiting.** `expect eventually within DURATION EXPECTATION…` steps the world one event at
//! a time until the expectation (any `expect` form but another `eventually`) holds, and stops
//! there; if DURATION of virtual time passes first, or [`EVENTUALLY_EVENTS`] events, it fails
//! with the expectation's last error and the time waited (and the clock is at the deadline).
//!
//! ```text
//! expect eventually within 2s leader any term >= 2
//! expect eventually within 100ms next-index 2->3 = 5
//! ```
//!
//! Probes, `in-flight` and `eventually` are checks: [`load`] counts the first two as unchecked
//! (like the protocol's own expectations) and refuses `eventually`, whose stopping point depends
//! on its check, so none of their code is in the playground's engines.

use crate::action::Action;
use crate::network::{Envelope, NetConfig, MAX_LATENCY};
use crate::protocol::Protocol;
use crate::world::{MsgOf, SimConfig, World};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use ballot_core::{node::Message, Duration, Instant, NodeId};

/// A scenario that could not be parsed or whose expectation failed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ScenarioError {
    /// 1-based line number.
    pub line: usize,
    /// The line's text, trimmed; a long line is kept as an [`excerpt`] of
    /// [`EXCERPT_CHARS`] characters and `…`.
    pub text: String,
    /// What went wrong; a long quotation in it is shortened the same way ([`shorten_quotes`]).
    pub message: String,
}

impl core::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "line {}: `{}`: {}",
            self.line,
            excerpt(&self.text, EXCERPT_CHARS),
            shorten_quotes(&self.message)
        )
    }
}

/// What a scenario run produced.
#[derive(Clone, Debug)]
pub struct ScenarioOutcome<P: Protocol> {
    /// The world at the end.
    pub world: World<P>,
    /// How many `expect` lines held.
    pub expectations_met: usize,
}

/// Longest excerpt of user input an error message quotes, in characters.
pub const EXCERPT_CHARS: usize = 80;

/// `text` as an error message may quote it: whole if it has at most `max` characters, else its
/// first `max` characters (cut at a char boundary) and `…`.
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)),
    }
}

/// Longest error message, in characters, after [`shorten_quotes`] has cut its quotations.
pub const MESSAGE_CHARS: usize = 400;

/// `message` with every `` `quoted` `` part (the user's input an error quotes) cut to an
/// [`excerpt`] of [`EXCERPT_CHARS`] characters, and the whole cut to [`MESSAGE_CHARS`]: a
/// 10 MB word does not make a 10 MB error.
pub fn shorten_quotes(message: &str) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(&excerpt(part, EXCERPT_CHARS));
        } else {
            out.push_str(part);
        }
    }
    excerpt(&out, MESSAGE_CHARS)
}

/// The protocol a scenario names on its `protocol` line (`raft` if none).
pub fn protocol_of(text: &str) -> String {
    for line in text.lines() {
        let words: Vec<&str> = line.split('#').next().unwrap_or("").split_whitespace().collect();
        if let ["protocol", name] = words.as_slice() {
            return name.to_string();
        }
    }
    String::from("raft")
}

/// Parses a duration such as `500ms`, `2s`, `1.5s` or `250us`: ASCII digits, optionally one dot
/// followed by more digits, then the unit, nothing else (no sign, no spaces, no `.5s` or `5.s`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let (number, unit_micros) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1_000u64)
    } else if let Some(n) = s.strip_suffix("us") {
        (n, 1)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1_000_000)
    } else {
        return Err(format!("`{s}` is not a duration (try 500ms or 2s)"));
    };
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (number.contains('.') && !digits(frac)) {
        return Err(format!(
            "`{s}` is not a duration (write digits, at most one dot, then the unit: 500ms, 1.5s)"
        ));
    }
    let whole: u64 = whole.parse().map_err(|_| format!("`{s}` is not a duration"))?;
    let mut micros = whole.checked_mul(unit_micros).ok_or_else(|| format!("`{s}` is too long"))?;
    if !frac.is_empty() {
        let digits = frac.len().min(6) as u32;
        let f: u64 = frac
            .get(..digits as usize)
            .unwrap_or(frac)
            .parse()
            .map_err(|_| format!("`{s}` is not a duration"))?;
        micros = micros.saturating_add(f * unit_micros / 10u64.pow(digits));
    }
    Ok(Duration { micros })
}

/// `s` split around the first `pattern` (an ASCII one such as `..` or `->`; an empty pattern
/// matches nothing). `str::split_once` with a string pattern, like indexing a `str` where a
/// boundary cannot be proven, links core's substring searcher and the panic message that
/// formats a `char` with Debug (Unicode tables included): with the three `get`s beside it,
/// avoiding them took every engine down by about 5 KB gzipped (engine-raft 80.8 → 75.8 KB).
pub fn split_at_pattern<'a>(s: &'a str, pattern: &str) -> Option<(&'a str, &'a str)> {
    let at = s.as_bytes().windows(pattern.len().max(1)).position(|w| w == pattern.as_bytes())?;
    Some((s.get(..at)?, s.get(at + pattern.len()..)?))
}

/// Parses `150..300ms` (or a single duration, meaning both ends).
pub fn parse_range(s: &str) -> Result<(Duration, Duration), String> {
    match split_at_pattern(s, "..") {
        Some((a, b)) => {
            let hi = parse_duration(b)?;
            let lo = if a.chars().all(|c| c.is_ascii_digit() || c == '.') {
                let unit: String = b.chars().skip_while(|c| c.is_ascii_digit() || *c == '.').collect();
                parse_duration(&format!("{a}{unit}"))?
            } else {
                parse_duration(a)?
            };
            if lo > hi {
                return Err(format!("`{s}`: the range is empty"));
            }
            Ok((lo, hi))
        }
        None => parse_duration(s).map(|d| (d, d)),
    }
}

fn parse_permille(s: &str) -> Result<u16, String> {
    let n = s.strip_suffix('%').unwrap_or(s);
    let (whole, frac) = n.split_once('.').unwrap_or((n, "0"));
    let whole: u16 = whole.parse().map_err(|_| format!("`{s}` is not a percentage"))?;
    let tenth: u16 =
        frac.get(..1).unwrap_or("0").parse().map_err(|_| format!("`{s}` is not a percentage"))?;
    let permille = whole.saturating_mul(10).saturating_add(tenth);
    if permille > 1000 {
        return Err(format!("`{s}`: at most 100%"));
    }
    Ok(permille)
}

/// Parses `3` or `S3`.
pub fn parse_node(s: &str) -> Result<NodeId, String> {
    let digits = s.strip_prefix('S').or_else(|| s.strip_prefix('s')).unwrap_or(s);
    digits.parse::<u8>().map(NodeId).map_err(|_| format!("`{s}` is not a node (write 3 or S3)"))
}

/// Parses `1,2 | 3,4,5`.
pub fn parse_groups(s: &str) -> Result<Vec<Vec<NodeId>>, String> {
    s.split('|').map(|g| g.split(',').map(|n| parse_node(n.trim())).collect::<Result<Vec<_>, _>>()).collect()
}

/// Longest virtual time a scenario may reach.
pub const MAX_SCENARIO_TIME: Duration = Duration::from_secs(2 * 3600);

/// Most events (deliveries and timer firings) a scenario may process, unless its runner sets
/// another limit ([`run_with_limit`]; `ballot run --max-events N`). Virtual time alone does not
/// bound the work: timers of a microsecond pack millions of events into a second. Two hours of a
/// default 9-node Raft cluster take about 2.3 million; this limit is about 1.5 s of work natively.
pub const MAX_SCENARIO_EVENTS: u64 = 5_000_000;

fn within_limit(t: Instant) -> Result<(), String> {
    if t > Instant::ZERO + MAX_SCENARIO_TIME {
        return Err(format!("scenarios may run for at most {MAX_SCENARIO_TIME}"));
    }
    Ok(())
}

fn envelope_id(word: &str) -> Result<u64, String> {
    word.parse().map_err(|_| format!("`{word}` is not a message id (write `drop message 17`)"))
}

fn percent(permille: u16) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

fn net_words(net: &NetConfig) -> String {
    format!(
        "latency {}..{}us loss {} dup {} reorder {}",
        net.latency_min.micros,
        net.latency_max.micros,
        percent(net.loss),
        percent(net.duplicate),
        percent(net.reorder)
    )
}

/// `1->2`, `*` standing for any node.
fn link_words(from: Option<NodeId>, to: Option<NodeId>) -> String {
    let end = |n: Option<NodeId>| n.map_or(String::from("*"), |n| n.0.to_string());
    format!("{}->{}", end(from), end(to))
}

/// Whether envelope `e` goes `from → to` (`None`: any node) and is of `kind`: `*`, its kind
/// ([`Message::kind`]), its label, or the label's leading letters (`AE` for `AE✓`), in any case.
fn selects<M: Message>(e: &Envelope<M>, kind: &str, from: Option<NodeId>, to: Option<NodeId>) -> bool {
    let label = e.msg.label();
    let head = label.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
    from.is_none_or(|f| f == e.from)
        && to.is_none_or(|t| t == e.to)
        && (kind == "*" || [e.msg.kind(), &label, head].iter().any(|k| k.eq_ignore_ascii_case(kind)))
}

/// The header of a scenario that runs on `c`: `protocol`, `cluster`, `seed`, `net`, `bug` and
/// `config` lines.
pub fn header<P: Protocol>(c: &SimConfig<P>) -> String {
    use core::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "protocol {}", P::NAME);
    let _ = writeln!(out, "cluster {}", c.cluster.size());
    let _ = writeln!(out, "seed {}", c.seed);
    let _ = writeln!(out, "net {}", net_words(&c.net));
    if let Some(bug) = P::bug_of(&c.node) {
        let _ = writeln!(out, "bug {bug}");
    }
    for (k, v) in P::config_pairs(&c.node) {
        let _ = writeln!(out, "config {k} {v}");
    }
    out
}

/// Writes a run as a scenario that replays it exactly: the header, then each intervention
/// preceded by `at TIME EVENTS` (the precise point it was applied), then the current moment and
/// an `expect fingerprint` line that proves the replay is exact.
pub fn export<P: Protocol>(world: &World<P>) -> String {
    use core::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "# A Ballot run exported at {} after {} events.", world.now(), world.events());
    out.push_str(&header(world.config()));
    let groups = |gs: &[Vec<NodeId>]| {
        gs.iter()
            .map(|g| g.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    for iv in world.history() {
        let _ = writeln!(out, "at {}us {}", iv.at.micros, iv.after_events);
        let line = match &iv.action {
            Action::Crash(id) => format!("crash {}", id.0),
            Action::Restart(id) => format!("restart {}", id.0),
            Action::FireTimer(id, _) => format!("timeout {}", id.0),
            Action::Request { node, command } => format!("request {} {command}", node.0),
            Action::Partition(gs) => format!("partition {}", groups(gs)),
            Action::Heal => String::from("heal"),
            Action::Cut(a, b) => format!("cut {}->{}", a.0, b.0),
            Action::Restore(a, b) => format!("restore {}->{}", a.0, b.0),
            Action::DropMessage(id) => format!("drop message {id}"),
            Action::DuplicateMessage(id) => format!("duplicate message {id}"),
            Action::DelayMessage(id, by) => format!("delay message {id} {}us", by.micros),
            Action::SetNet(net) => format!("net {}", net_words(net)),
            Action::Hold { kind, from, to } => {
                format!("hold {} {}", kind.unwrap_or("*"), link_words(*from, *to))
            }
            Action::Release { from: None, to: None } => String::from("release all"),
            Action::Release { from, to } => format!("release {}", link_words(*from, *to)),
            Action::SetLinkNet(from, to, net) => format!(
                "net link {} {}",
                link_words(*from, *to),
                net.as_ref().map_or(String::from("reset"), net_words)
            ),
            Action::Deliver(id) => format!("deliver message {id}"),
            Action::Fire(id, timer) => format!("fire {} {}", id.0, timer_name(timer)),
        };
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "at {}us {}", world.now().micros, world.events());
    let _ = writeln!(out, "expect fingerprint {:016x}", world.fingerprint());
    for v in world.violations() {
        let _ = writeln!(out, "expect violation {}", v.property);
    }
    out
}

/// A timer's name in a scenario: its variant, lowercase (`election`).
pub fn timer_name<T: core::fmt::Debug>(timer: &T) -> String {
    format!("{timer:?}").to_ascii_lowercase()
}

fn parse_net(words: &[&str], net: &mut NetConfig) -> Result<(), String> {
    let mut it = words.iter();
    while let Some(key) = it.next() {
        let value = it.next().ok_or_else(|| format!("`{key}` needs a value"))?;
        match *key {
            "latency" => {
                let (lo, hi) = parse_range(value)?;
                if hi > MAX_LATENCY {
                    return Err(format!(
                        "latency `{value}` is out of range: it may be 0 to {}s (write e.g. 10..15ms)",
                        MAX_LATENCY.micros / 1_000_000
                    ));
                }
                net.latency_min = lo;
                net.latency_max = hi;
            }
            "loss" => net.loss = parse_permille(value)?,
            "dup" | "duplicate" => net.duplicate = parse_permille(value)?,
            "reorder" => net.reorder = parse_permille(value)?,
            other => {
                return Err(format!("unknown network parameter `{other}` (latency, loss, dup, reorder)"))
            }
        }
    }
    Ok(())
}

/// Runs a scenario line by line. `CHECK`: whether the protocol's own expectations
/// ([`Protocol::expect`]) are checked; [`load`] leaves them out, so the playground's bundle
/// does not carry them.
struct Runner<P: Protocol, const CHECK: bool> {
    config: SimConfig<P>,
    world: Option<World<P>>,
    trace_limit: usize,
    expected_violations: Vec<String>,
    met: usize,
    unchecked: usize,
    max_events: u64,
    /// Most events one `expect eventually` may process ([`EVENTUALLY_EVENTS`]).
    eventually_events: u64,
}

impl<P: Protocol, const CHECK: bool> Runner<P, CHECK> {
    fn world(&mut self) -> &mut World<P> {
        if self.world.is_none() {
            let world = World::new(self.config.clone()).with_trace(self.trace_limit);
            self.world = Some(world.with_event_limit(self.max_events));
        }
        self.world.as_mut().expect("just created")
    }

    fn node(&mut self, word: &str) -> Result<NodeId, String> {
        let id = if word == "leader" {
            let world = self.world();
            P::leader(world).ok_or("there is no leader right now")?
        } else {
            parse_node(word)?
        };
        if !self.config.cluster.contains(id) {
            return Err(format!("{id} is not in this cluster of {}", self.config.cluster.size()));
        }
        Ok(id)
    }

    /// The message id `word` names, if that message is in flight now (acting on one that is not
    /// would silently do nothing).
    fn in_flight(&mut self, word: &str) -> Result<u64, String> {
        let id = envelope_id(word)?;
        if self.world().envelope(id).is_some() {
            return Ok(id);
        }
        Err(format!("message {id} is not in flight ({})", self.in_flight_now()))
    }

    /// `3, 5, 8 are in flight at 1s` (the first few ids if there are many).
    fn in_flight_now(&mut self) -> String {
        let in_flight: Vec<u64> = self.world().in_flight().map(|e| e.id).collect();
        let now = match in_flight.as_slice() {
            [] => String::from("nothing is"),
            ids if ids.len() <= 8 => ids.iter().map(u64::to_string).collect::<Vec<_>>().join(", ") + " are",
            ids => format!(
                "{} … {} ({} messages) are",
                ids[..4].iter().map(u64::to_string).collect::<Vec<_>>().join(", "),
                ids[ids.len() - 1],
                ids.len()
            ),
        };
        format!("{now} in flight at {}", self.world().now())
    }

    /// A link `A->B`, either end `*` (any node).
    fn link(&mut self, word: &str) -> Result<(Option<NodeId>, Option<NodeId>), String> {
        let (a, b) = split_at_pattern(word, "->").ok_or("write a link as 1->2 (either end may be *)")?;
        let a = if a == "*" { None } else { Some(self.node(a)?) };
        let b = if b == "*" { None } else { Some(self.node(b)?) };
        Ok((a, b))
    }

    /// The ids of the in-flight messages `kind` and `link` select, the one delivered first
    /// first (the rest by id); an error listing what is in flight if there is none.
    fn select(&mut self, kind: &str, link: &str) -> Result<Vec<u64>, String> {
        let (from, to) = self.link(link)?;
        let world = self.world();
        let found = || world.in_flight().filter(|e| selects(e, kind, from, to));
        // The first due first (then the lowest id), then the rest in id order.
        if let Some(next) = found().min_by_key(|e| (e.deliver_at, e.id)) {
            let mut ids: Vec<u64> = found().map(|e| e.id).filter(|id| *id != next.id).collect();
            ids.insert(0, next.id);
            return Ok(ids);
        }
        Err(format!("no `{kind}` message {link} is in flight ({})", self.in_flight_now()))
    }

    /// After running: an error if the world stopped at the event limit before the time asked.
    fn within_events(&mut self) -> Result<(), String> {
        let world = self.world();
        if !world.out_of_events() {
            return Ok(());
        }
        Err(format!(
            "stopped at {} after {} events: a scenario may process at most {} events (this one's timers or messages are too dense; `ballot run --max-events N` raises the limit)",
            world.now(),
            world.events(),
            world.event_limit()
        ))
    }

    fn header(&mut self, words: &[&str]) -> Result<(), String> {
        if self.world.is_some() {
            return Err(String::from(
                "header lines (cluster, seed, bug, net, config) must come before the first action",
            ));
        }
        match words {
            ["protocol", name] if *name == P::NAME => Ok(()),
            ["protocol", name] => Err(format!("this runner runs {}, not {name}", P::NAME)),
            ["cluster", n] => {
                let n: u8 = n.parse().map_err(|_| format!("`{n}` is not a cluster size"))?;
                if !(1..=9).contains(&n) {
                    return Err(String::from("clusters have 1 to 9 nodes"));
                }
                self.config.cluster = ballot_core::Cluster::new(n);
                Ok(())
            }
            ["seed", s] => {
                self.config.seed = s.parse().map_err(|_| format!("`{s}` is not a seed"))?;
                Ok(())
            }
            ["bug", name] => P::set_bug(&mut self.config.node, name),
            ["net", rest @ ..] => parse_net(rest, &mut self.config.net),
            ["config", key, value] => P::configure(&mut self.config.node, key, value),
            _ => Err(String::from("unknown header line")),
        }
    }

    fn line(&mut self, words: &[&str]) -> Result<(), String> {
        let header = matches!(words, [] | ["protocol" | "cluster" | "seed" | "bug" | "net" | "config", ..])
            && words.get(1) != Some(&"link");
        if self.world.is_none() && !header {
            // The header is complete: check the parameters against the cluster.
            P::check_cluster(&self.config.node, self.config.cluster)?;
        }
        // The playground's import (`load`) leaves these lines out to keep its bundle small
        // (like the protocols' own expectations); links and `ballot run` carry them.
        if let Some(done) = if CHECK { self.selector_line(words) } else { None } {
            return done;
        }
        match words {
            [] => Ok(()),
            ["net", rest @ ..] if self.world.is_some() => {
                let mut net = self.world().net();
                parse_net(rest, &mut net)?;
                self.world().act(Action::SetNet(net));
                Ok(())
            }
            ["protocol" | "cluster" | "seed" | "bug" | "net" | "config", ..] => self.header(words),
            ["at", time, rest @ ..] => {
                let t = Instant::ZERO + parse_duration(time)?;
                within_limit(t)?;
                if t < self.world().now() {
                    return Err(format!("time {t} is already past (now {})", self.world().now()));
                }
                match rest {
                    [] => self.world().run_until(t),
                    [events] => {
                        let events: u64 =
                            events.parse().map_err(|_| format!("`{events}` is not an event count"))?;
                        self.world().run_to(t, events);
                    }
                    _ => return Err(String::from("write `at TIME` or `at TIME EVENTS`")),
                }
                self.within_events()
            }
            ["deliver", "message", id] => {
                let id = self.in_flight(id)?;
                self.world().act(Action::Deliver(id));
                self.within_events()
            }
            ["fire", n, timer] => {
                let id = self.node(n)?;
                let timer = P::timers()
                    .iter()
                    .find(|t| timer_name(t) == timer.to_ascii_lowercase())
                    .ok_or_else(|| {
                        let names: Vec<String> = P::timers().iter().map(timer_name).collect();
                        format!("`{timer}` is not a timer here ({})", names.join(", "))
                    })?;
                if !self.world().timers(id).any(|(t, _)| t == *timer) {
                    return Err(format!("{id}'s {} timer is not armed", timer_name(timer)));
                }
                self.world().act(Action::Fire(id, *timer));
                self.within_events()
            }
            ["drop" | "duplicate", "message", id] => {
                let id = self.in_flight(id)?;
                let action =
                    if words[0] == "drop" { Action::DropMessage(id) } else { Action::DuplicateMessage(id) };
                self.world().act(action);
                Ok(())
            }
            ["delay", "message", id, by] => {
                let id = self.in_flight(id)?;
                self.delay(id, by)
            }
            ["run", d] => {
                let d = parse_duration(d)?;
                let until = self.world().now() + d;
                within_limit(until)?;
                self.world().run_for(d);
                self.within_events()
            }
            ["crash", n] => {
                let id = self.node(n)?;
                self.world().act(Action::Crash(id));
                Ok(())
            }
            ["restart", n] => {
                let id = self.node(n)?;
                self.world().act(Action::Restart(id));
                Ok(())
            }
            ["timeout", n] => {
                let id = self.node(n)?;
                self.world().act(Action::FireTimer(id, P::timeout_timer()));
                Ok(())
            }
            ["request", n, command @ ..] if !command.is_empty() => {
                let id = self.node(n)?;
                let text = command.join(" ");
                let command = P::parse_command(text.trim_matches('"'))?;
                self.world().act(Action::Request { node: id, command });
                Ok(())
            }
            ["partition", rest @ ..] if !rest.is_empty() => {
                let groups = parse_groups(&rest.join(" "))?;
                for id in groups.iter().flatten() {
                    self.node(&id.0.to_string())?;
                }
                self.world().act(Action::Partition(groups));
                Ok(())
            }
            ["heal"] => {
                self.world().act(Action::Heal);
                Ok(())
            }
            ["cut" | "restore", link] => {
                let (a, b) = split_at_pattern(link, "->").ok_or("write a link as 1->2")?;
                let (a, b) = (self.node(a)?, self.node(b)?);
                let action = if words[0] == "cut" { Action::Cut(a, b) } else { Action::Restore(a, b) };
                self.world().act(action);
                Ok(())
            }
            ["drop", "all"] => {
                let world = self.world();
                let ids: Vec<u64> = world.in_flight().map(|e| e.id).collect();
                for id in ids {
                    world.act(Action::DropMessage(id));
                }
                Ok(())
            }
            ["expect", rest @ ..] => {
                let skipped = self.unchecked;
                self.expect(rest)?;
                if self.unchecked == skipped {
                    self.met += 1;
                }
                Ok(())
            }
            _ if CHECK => Err(String::from("unknown command")),
            // `load` leaves out the lines `selector_line` reads.
            _ => Err(String::from(
                "unknown command (`ballot run` reads `… next`, `hold`, `release`, `net link`)",
            )),
        }
    }

    /// Delays message `id` by `by`.
    fn delay(&mut self, id: u64, by: &str) -> Result<(), String> {
        let by_d = parse_duration(by)?;
        if by_d > MAX_LATENCY {
            return Err(format!(
                "delay `{by}` is out of range: a message may be delayed by 0 to {}s",
                MAX_LATENCY.micros / 1_000_000
            ));
        }
        self.world().act(Action::DelayMessage(id, by_d));
        Ok(())
    }

    /// The lines that pick messages by selector, hold and release them, or set a link's
    /// parameters; `None` for any other line.
    fn selector_line(&mut self, words: &[&str]) -> Option<Result<(), String>> {
        let (verb, what, link) = match words {
            ["drop" | "duplicate" | "delay", "next", kind, link, ..] | ["drop", "all", kind, link] => {
                (words[0], *kind, *link)
            }
            ["hold", kind, link] => ("hold", *kind, *link),
            ["release", link] | ["net", "link", link, ..] => (words[0], "", *link),
            _ => return None,
        };
        Some((|| {
            let ids = match verb {
                "hold" | "release" | "net" => Vec::new(),
                _ => self.select(what, link)?,
            };
            let (from, to) = if link == "all" && verb == "release" { (None, None) } else { self.link(link)? };
            let action = match (verb, words) {
                ("delay", [.., by]) if words.len() == 5 => return self.delay(ids[0], by),
                ("drop", [_, "all", ..]) => {
                    for id in ids {
                        self.world().act(Action::DropMessage(id));
                    }
                    return Ok(());
                }
                ("drop", [_, _, _, _]) => Action::DropMessage(ids[0]),
                ("duplicate", [_, _, _, _]) => Action::DuplicateMessage(ids[0]),
                ("hold", _) => {
                    let kinds = <MsgOf<P> as Message>::KINDS;
                    let kind = kinds.iter().find(|k| k.eq_ignore_ascii_case(what)).copied();
                    if kind.is_none() && what != "*" {
                        return Err(format!(
                            "`{what}` is not a message kind here ({}, or *)",
                            kinds.join(", ")
                        ));
                    }
                    Action::Hold { kind, from, to }
                }
                ("release", _) => Action::Release { from, to },
                ("net", [_, _, _, rest @ ..]) => {
                    let mut net = None;
                    if rest != ["reset"] {
                        let w = self.world();
                        let mut n =
                            w.link_nets().iter().find(|(k, _)| *k == (from, to)).map_or(w.net(), |(_, n)| *n);
                        parse_net(rest, &mut n)?;
                        net = Some(n);
                    }
                    Action::SetLinkNet(from, to, net)
                }
                _ => return Err(String::from("unknown command")),
            };
            self.world().act(action);
            Ok(())
        })())
    }

    fn expect(&mut self, words: &[&str]) -> Result<(), String> {
        match words {
            ["no", "violation"] => match self.world().violations().first() {
                None => Ok(()),
                Some(v) => Err(format!("{} was violated: {}", v.property, v.detail)),
            },
            ["violation", property @ ..] if !property.is_empty() => {
                let property = property.join(" ");
                self.expected_violations.push(property.clone());
                let world = self.world();
                if world.violations().iter().any(|v| v.property.eq_ignore_ascii_case(&property)) {
                    Ok(())
                } else {
                    let found: Vec<&str> = world.violations().iter().map(|v| v.property).collect();
                    let found = if found.is_empty() { String::from("none") } else { found.join(", ") };
                    Err(format!("expected a violation of {property}, found {found}"))
                }
            }
            ["fingerprint", hex] => {
                let actual = self.world().fingerprint();
                match u64::from_str_radix(hex.strip_prefix("0x").unwrap_or(hex), 16) {
                    Ok(want) if want == actual => Ok(()),
                    Ok(_) => Err(format!("the fingerprint is {actual:016x}, not {hex}")),
                    Err(_) => Err(format!("`{hex}` is not a hexadecimal fingerprint")),
                }
            }
            ["up", n] => {
                let id = self.node(n)?;
                if self.world().is_up(id) {
                    Ok(())
                } else {
                    Err(format!("{id} is down"))
                }
            }
            ["down", n] => {
                let id = self.node(n)?;
                if self.world().is_up(id) {
                    Err(format!("{id} is up"))
                } else {
                    Ok(())
                }
            }
            // Where `eventually` stops depends on a check a load does not make: the loaded run
            // would silently differ from the tested one. (Short: this text is in every engine.)
            ["eventually", ..] if !CHECK => Err(String::from("only `ballot run` can run `eventually`")),
            _ if CHECK => self.check(words),
            _ => {
                self.unchecked += 1;
                Ok(())
            }
        }
    }

    /// The expectations only a checking run ([`run`]) evaluates: `eventually within`,
    /// `in-flight`, probes (`NAME ARGS OP VALUE`) and the protocol's own ([`Protocol::expect`]).
    /// [`load`] never calls it, so none of this is in the playground's bundle.
    fn check(&mut self, words: &[&str]) -> Result<(), String> {
        match words {
            ["eventually", "within", d, inner @ ..] if !inner.is_empty() => self.eventually(d, inner),
            ["eventually", ..] => Err(String::from("write `expect eventually within DURATION EXPECTATION…`")),
            ["in-flight", label, link, op, n] => {
                let (a, b) =
                    split_at_pattern(link, "->").ok_or("write the link as A->B (`*` for any node)")?;
                let a = if a == "*" { None } else { Some(self.node(a)?) };
                let b = if b == "*" { None } else { Some(self.node(b)?) };
                let count = self
                    .world()
                    .in_flight()
                    .filter(|e| {
                        a.is_none_or(|a| e.from == a)
                            && b.is_none_or(|b| e.to == b)
                            && (matches_kind(ballot_core::node::Message::kind(&e.msg), label)
                                || matches_kind(&ballot_core::node::Message::label(&e.msg), label))
                    })
                    .count() as u64;
                if crate::protocol::Value::Num(count).compare(op, n)? {
                    Ok(())
                } else {
                    let all: Vec<String> = self
                        .world()
                        .in_flight()
                        .take(8)
                        .map(|e| {
                            format!("{} {}->{}", ballot_core::node::Message::label(&e.msg), e.from.0, e.to.0)
                        })
                        .collect();
                    let more = self.world().in_flight().len().saturating_sub(all.len());
                    let listed = if all.is_empty() { String::from("nothing") } else { all.join(", ") };
                    let more = if more > 0 { format!(" and {more} more") } else { String::new() };
                    Err(format!("{count} in flight match `{label} {link}`, expected {op} {n} (in flight: {listed}{more})"))
                }
            }
            ["in-flight", ..] => Err(String::from("write `in-flight LABEL A->B = N` (`*` matches anything)")),
            _ => {
                let op = words.iter().position(|w| OPERATORS.contains(w));
                let is_probe = words.first().is_some_and(|w| P::probes().iter().any(|p| p.name == *w));
                match op {
                    // `>=` alone also appears in the protocols' own forms (`leader any term >= 2`).
                    Some(k) if k >= 1 && (is_probe || words[k] != ">=") => {
                        self.probe(&words[..k], words[k], &words[k + 1..])
                    }
                    _ => P::expect(self.world(), words).map_err(|e| {
                        if e.starts_with("unknown") && !P::probes().is_empty() {
                            format!("{e}; or a probe, `NAME ARGS = VALUE`: {}", probe_list::<P>())
                        } else {
                            e
                        }
                    }),
                }
            }
        }
    }

    /// `NAME ARGS OP VALUE`: reads probe NAME and compares it with VALUE.
    fn probe(&mut self, call: &[&str], op: &str, value: &[&str]) -> Result<(), String> {
        let [name, args @ ..] = call else {
            return Err(String::from("write `expect NAME ARGS = VALUE`"));
        };
        if !P::probes().iter().any(|p| p.name == *name) {
            return Err(format!("unknown probe `{name}`; {} probes: {}", P::NAME, probe_list::<P>()));
        }
        if value.is_empty() {
            return Err(format!("write a value after `{op}`"));
        }
        let got = P::probe(self.world(), name, args)?;
        let want = value.join(" ");
        if got.compare(op, &want)? {
            Ok(())
        } else {
            let call = call.join(" ");
            Err(format!("{call} is {got}, expected {op} {want}"))
        }
    }

    /// `eventually within DURATION EXPECTATION…`: steps the world one event at a time until
    /// the inner expectation holds, for at most DURATION of virtual time and
    /// [`EVENTUALLY_EVENTS`] events.
    fn eventually(&mut self, d: &str, inner: &[&str]) -> Result<(), String> {
        if inner.first() == Some(&"eventually") {
            return Err(String::from("`eventually` cannot be nested"));
        }
        let wait = parse_duration(d)?;
        let start = self.world().now();
        let deadline = start + wait;
        within_limit(deadline)?;
        let first_event = self.world().events();
        let cap = self.eventually_events;
        let expected = self.expected_violations.len();
        loop {
            let last = match self.expect(inner) {
                Ok(()) => return Ok(()),
                Err(e) => e,
            };
            // An `expect violation` that did not hold yet adds its property only once.
            self.expected_violations.truncate(expected);
            let world = self.world();
            if world.events() - first_event >= cap {
                return Err(format!(
                    "gave up after {} events ({} of virtual time), still: {last}",
                    cap,
                    world.now() - start
                ));
            }
            match world.next_event_time() {
                Some(t) if t <= deadline => {
                    world.step();
                }
                _ if world.out_of_events() => return self.within_events(),
                _ => {
                    world.run_until(deadline);
                    return Err(format!("still not so after waiting {wait} (now {}): {last}", world.now()));
                }
            }
        }
    }
}

/// The comparison words of `expect NAME ARGS OP VALUE` and `expect in-flight`.
const OPERATORS: [&str; 7] = ["=", "==", "!=", ">=", "<=", ">", "<"];

/// Most events one `expect eventually` processes before it gives up.
pub const EVENTUALLY_EVENTS: u64 = 1_000_000;

/// `P`'s probes as an error message lists them: `next-index A->B, term N, …`.
fn probe_list<P: Protocol>() -> String {
    let names: Vec<String> = P::probes()
        .iter()
        .map(|p| if p.args.is_empty() { p.name.to_string() } else { format!("{} {}", p.name, p.args) })
        .collect();
    if names.is_empty() {
        String::from("none")
    } else {
        names.join(", ")
    }
}

/// Whether a message in flight whose kind or label is `msg_label` is one `expect in-flight`
/// asks for with `want`: letters compare case-insensitively and `*` matches any run of
/// characters (`*` alone: every message; `AE*`: `AE`, `AE✓` and `AE✗`; `Append*`:
/// AppendEntries and its replies). The caller tries [`Message::kind`] and [`Message::label`].
fn matches_kind(msg_label: &str, want: &str) -> bool {
    let label: Vec<char> = msg_label.chars().flat_map(char::to_lowercase).collect();
    let want: Vec<char> = want.chars().flat_map(char::to_lowercase).collect();
    // Greedy glob with one backtrack point (the last `*`).
    let (mut l, mut w) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while l < label.len() {
        if w < want.len() && want[w] == '*' {
            star = Some((w, l));
            w += 1;
        } else if w < want.len() && want[w] == label[l] {
            l += 1;
            w += 1;
        } else if let Some((sw, sl)) = star {
            w = sw + 1;
            l = sl + 1;
            star = Some((sw, sl + 1));
        } else {
            return false;
        }
    }
    want[w..].iter().all(|c| *c == '*')
}

/// Runs scenario `text` for protocol `P`, keeping `trace_limit` trace events in the final world,
/// processing at most [`MAX_SCENARIO_EVENTS`] events.
pub fn run<P: Protocol>(text: &str, trace_limit: usize) -> Result<ScenarioOutcome<P>, ScenarioError> {
    run_with_limit(text, trace_limit, MAX_SCENARIO_EVENTS)
}

/// [`run`] with another event limit: a scenario that needs more than `max_events` events fails
/// at the line that reached it, saying so.
pub fn run_with_limit<P: Protocol>(
    text: &str,
    trace_limit: usize,
    max_events: u64,
) -> Result<ScenarioOutcome<P>, ScenarioError> {
    let (mut world, runner, last_line) =
        execute::<P, true>(text, trace_limit, max_events, EVENTUALLY_EVENTS)?;
    world.set_event_limit(u64::MAX);
    if let Some(v) = world
        .violations()
        .iter()
        .find(|v| !runner.expected_violations.iter().any(|p| p.eq_ignore_ascii_case(v.property)))
    {
        return Err(ScenarioError {
            line: last_line,
            text: String::from("(end of scenario)"),
            message: shorten_quotes(&format!(
                "unexpected violation of {} at {}: {}",
                v.property, v.at, v.detail
            )),
        });
    }
    Ok(ScenarioOutcome { world, expectations_met: runner.met })
}

/// A scenario loaded as a run ([`load`]).
#[derive(Clone, Debug)]
pub struct Loaded<P: Protocol> {
    /// The world at the end.
    pub world: World<P>,
    /// How many `expect` lines held.
    pub expectations_met: usize,
    /// How many protocol-specific `expect` lines were skipped.
    pub unchecked: usize,
}

/// Loads scenario `text` as a run: like [`run`], but a run, not a test. The protocol's own
/// expectations (`expect leader …`, `expect committed …`) are skipped and counted, and a
/// violation nothing expected is not an error (the run shows it). The generic expectations
/// (`fingerprint`, `violation`, `no violation`, `up`, `down`) still hold or fail the load, so
/// an exported run's `expect fingerprint` proves it was reproduced exactly.
pub fn load<P: Protocol>(text: &str, trace_limit: usize) -> Result<Loaded<P>, ScenarioError> {
    let (mut world, runner, _) =
        execute::<P, false>(text, trace_limit, MAX_SCENARIO_EVENTS, EVENTUALLY_EVENTS)?;
    world.set_event_limit(u64::MAX);
    Ok(Loaded { world, expectations_met: runner.met, unchecked: runner.unchecked })
}

/// Runs every line of `text`; returns the world at the end (a fresh one if no line made one),
/// the runner's tallies and the number of the last line.
fn execute<P: Protocol, const CHECK: bool>(
    text: &str,
    trace_limit: usize,
    max_events: u64,
    eventually_events: u64,
) -> Result<(World<P>, Runner<P, CHECK>, usize), ScenarioError> {
    let mut runner = Runner::<P, CHECK> {
        config: SimConfig::new(5, 1),
        world: None,
        trace_limit,
        expected_violations: Vec::new(),
        met: 0,
        unchecked: 0,
        max_events,
        eventually_events,
    };
    let mut last_line = 0;
    for (i, raw) in text.lines().enumerate() {
        last_line = i + 1;
        let code = raw.split('#').next().unwrap_or("");
        let words: Vec<&str> = code.split_whitespace().collect();
        runner.line(&words).map_err(|message| ScenarioError {
            line: i + 1,
            text: excerpt(raw.trim(), EXCERPT_CHARS),
            message: shorten_quotes(&message),
        })?;
    }
    if runner.world.is_none() {
        P::check_cluster(&runner.config.node, runner.config.cluster).map_err(|message| ScenarioError {
            line: last_line,
            text: String::from("(end of scenario)"),
            message: shorten_quotes(&message),
        })?;
    }
    let world =
        runner.world.take().unwrap_or_else(|| World::new(runner.config.clone()).with_trace(trace_limit));
    Ok((world, runner, last_line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_at_pattern_splits_at_the_first_match_only() {
        assert_eq!(split_at_pattern("150..300ms", ".."), Some(("150", "300ms")));
        assert_eq!(split_at_pattern("1->2->3", "->"), Some(("1", "2->3")));
        assert_eq!(split_at_pattern("->", "->"), Some(("", "")));
        assert_eq!(split_at_pattern("1-2", "->"), None);
        assert_eq!(split_at_pattern("", ".."), None);
        assert_eq!(split_at_pattern("a..b", ""), None);
        assert_eq!(split_at_pattern("é..ü", ".."), Some(("é", "ü")));
    }

    #[test]
    fn durations_and_ranges() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert!(parse_duration("5").is_err());
        for bad in ["+5s", "-5s", " 5s", "5 s", ".5s", "5.s", "1..5s", "1.5.5s", "s", "5_0ms", "+1.5ms"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(parse_duration("99999999999999999999s").is_err());
        assert_eq!(
            parse_range("150..300ms").unwrap(),
            (Duration::from_millis(150), Duration::from_millis(300))
        );
        assert!(parse_range("300..150ms").is_err());
        assert_eq!(parse_permille("12.5%").unwrap(), 125);
        assert!(parse_permille("101%").is_err());
    }

    /// `eventually` gives up after its event cap (a small one here: a debug build steps a
    /// million events in tens of seconds), with the inner expectation's error.
    #[test]
    fn eventually_gives_up_after_its_event_cap() {
        use crate::protocols::Raft;
        let text =
            "cluster 3\nconfig heartbeat 1ms\nrun 1s\nexpect eventually within 7000s in-flight * *->* = 0\n";
        let err = match execute::<Raft, true>(text, 0, MAX_SCENARIO_EVENTS, 5_000) {
            Ok(_) => panic!("heartbeats are always in flight"),
            Err(e) => e,
        };
        assert_eq!(err.line, 4);
        assert!(err.message.contains("gave up after 5000 events"), "{}", err.message);
        assert!(err.message.contains("expected = 0"), "{}", err.message);
        // Still bounded by virtual time first when that comes sooner.
        let short =
            "cluster 3\nconfig heartbeat 1ms\nrun 1s\nexpect eventually within 10ms in-flight * *->* = 0\n";
        let err = execute::<Raft, true>(short, 0, MAX_SCENARIO_EVENTS, 5_000).err().expect("still false");
        assert!(err.message.contains("after waiting 10ms"), "{}", err.message);
    }

    #[test]
    fn kinds_match_case_insensitively_with_wildcards() {
        assert!(matches_kind("AE", "ae") && matches_kind("AE✓", "AE*") && matches_kind("RV✗", "*"));
        assert!(matches_kind("AE✓", "*✓") && matches_kind("HB", "H*B") && matches_kind("P(3.1)", "p(*)"));
        assert!(!matches_kind("AE✓", "AE") && !matches_kind("HB", "AE*") && !matches_kind("AE", "AE✓"));
        assert!(!matches_kind("RV", "") && matches_kind("", "*"));
    }

    #[test]
    fn nodes_and_groups() {
        assert_eq!(parse_node("S3").unwrap(), NodeId(3));
        assert_eq!(
            parse_groups("1,2 | 3").unwrap(),
            alloc::vec![alloc::vec![NodeId(1), NodeId(2)], alloc::vec![NodeId(3)]]
        );
        assert!(parse_node("x").is_err());
        assert_eq!(protocol_of("# hi\nprotocol paxos\n"), "paxos");
    }
}
