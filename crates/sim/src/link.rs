//! Share links: a run — (protocol, config, seed, interventions, the moment it was shared) — in
//! a compact, versioned, checksummed form that fits in a URL fragment.
//!
//! ```text
//!   #run=1.<base64url( body ‖ fnv32(body) )>
//!   body = varint fields: protocol name, cluster size, seed, network, bug, protocol parameters,
//!          shared-at time and event count, then each intervention as
//!          (Δtime µs, Δevents, tag, payload)
//! ```
//!
//! Tags: 0 crash, 1 restart, 2 timeout, 3 request, 4 partition, 5 heal, 6 cut, 7 restore,
//! 8 drop, 9 duplicate, 10 delay, 11 network, 12 hold (kind as 1 + its index in the protocol's
//! `Message::KINDS`, 0 = all; two link ends, 0 = any node), 13 release (two link ends),
//! 14 link network (two link ends, then 0 = reset or 1 and the parameters), 15 deliver (an
//! envelope id), 16 fire (a node, then the timer's index in the protocol's
//! [`Protocol::timers`]): 15 and 16 are a model checker's steps, each one event taken out of time
//! order, recorded with Δevents = 0 after the one before. Tags are only ever
//! added, so every link an older build wrote decodes as it did.
//!
//! Decoding never panics and never trusts its input: versions newer than this build, format
//! numbers no Ballot wrote (0, or not a number), bad
//! base64, a wrong checksum, truncated fields, out-of-range nodes, time going backwards, runs
//! longer than [`MAX_SHARED_TIME`] or [`MAX_SHARED_EVENTS`], or with more than
//! [`MAX_INTERVENTIONS`] actions each give a
//! [`LinkError`] that says what was wrong, so the playground can show it and fall back to the
//! default run.

use crate::action::{Action, Intervention};
use crate::network::NetConfig;
use crate::protocol::Protocol;
use crate::scenario::{excerpt, shorten_quotes, EXCERPT_CHARS};
use crate::world::{MsgOf, SimConfig, World};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use ballot_core::{node::Message, Cluster, Duration, Instant, NodeId};

/// The link format this build writes; it reads this one only.
pub const VERSION: u32 = 1;
/// The prefix of an encoded run (after the `#` of a URL).
pub const PREFIX: &str = "run=";
/// Longest run a link may ask to replay: two hours of virtual time (so a hostile link cannot
/// freeze a page replaying years).
pub const MAX_SHARED_TIME: Duration = Duration::from_secs(2 * 3600);
/// Most events a link may ask to replay ([`crate::scenario::MAX_SCENARIO_EVENTS`], the same
/// bound as a scenario's): with timers of a microsecond, two hours are billions of events.
pub const MAX_SHARED_EVENTS: u64 = crate::scenario::MAX_SCENARIO_EVENTS;
/// Most interventions a link may carry.
pub const MAX_INTERVENTIONS: usize = 20_000;
/// Longest link text accepted, in bytes.
pub const MAX_LINK_LEN: usize = 256 * 1024;

/// Why a link could not be read. Each variant is a sentence for the user.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum LinkError {
    /// Not a Ballot run link at all.
    NotALink,
    /// Made by a newer Ballot.
    FutureVersion(u32),
    /// The format number is not one any Ballot wrote: below 1, or not a number (at most a short
    /// excerpt of it is kept).
    UnknownVersion(String),
    /// Not valid base64url.
    BadEncoding,
    /// The checksum does not match: the link was cut or altered.
    Corrupted,
    /// The link names another protocol than the one asked for.
    WrongProtocol(String),
    /// A field is missing or out of range.
    Invalid(String),
}

impl core::fmt::Display for LinkError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            LinkError::NotALink => {
                write!(f, "this is not a Ballot run link (it should start with #{PREFIX})")
            }
            LinkError::FutureVersion(v) => {
                write!(f, "this link was made by a newer Ballot (format {v}; this one reads {VERSION})")
            }
            LinkError::UnknownVersion(v) => write!(
                f,
                "this link names format `{v}`, which no Ballot ever wrote (formats are numbered from 1; this one reads {VERSION})"
            ),
            LinkError::BadEncoding => f.write_str("the link is damaged (not valid base64url)"),
            LinkError::Corrupted => f.write_str("the link is damaged or truncated (checksum mismatch)"),
            LinkError::WrongProtocol(p) => {
                write!(f, "the link is for protocol `{}`", excerpt(p, EXCERPT_CHARS))
            }
            LinkError::Invalid(why) => write!(f, "the link is not valid: {}", shorten_quotes(why)),
        }
    }
}

/// A run as a link carries it.
#[derive(Clone, Debug)]
pub struct SharedRun<P: Protocol> {
    /// Cluster, protocol parameters, network, seed.
    pub config: SimConfig<P>,
    /// The interventions, in order.
    pub history: Vec<Intervention<P::Node>>,
    /// The moment the run was shared: virtual time…
    pub at: Instant,
    /// …and events processed by then.
    pub at_events: u64,
}

impl<P: Protocol> SharedRun<P> {
    /// The run as it stands in `world`, shared at its current moment.
    pub fn of(world: &World<P>) -> Self {
        SharedRun {
            config: world.config().clone(),
            history: world.history().to_vec(),
            at: world.now(),
            at_events: world.events(),
        }
    }

    /// Rebuilds the world at the shared moment (exactly: same events, same fingerprint).
    pub fn replay(&self, trace_limit: usize) -> World<P> {
        let mut world = World::new(self.config.clone()).with_trace(trace_limit);
        for iv in &self.history {
            world.run_to(iv.at, iv.after_events);
            world.act(iv.action.clone());
        }
        world.run_to(self.at, self.at_events);
        world
    }
}

// ----- bytes ---------------------------------------------------------------------------------

struct Writer(Vec<u8>);

impl Writer {
    fn varint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }
    fn text(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn node(&mut self, id: NodeId) {
        self.0.push(id.0);
    }
    /// A link end: 0 for any node.
    fn end(&mut self, id: Option<NodeId>) {
        self.0.push(id.map_or(0, |n| n.0));
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

fn invalid(why: &str) -> LinkError {
    LinkError::Invalid(why.to_string())
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, LinkError> {
        let b = *self.bytes.get(self.pos).ok_or_else(|| invalid("it ends too early"))?;
        self.pos += 1;
        Ok(b)
    }
    fn varint(&mut self) -> Result<u64, LinkError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f).checked_shl(shift).ok_or_else(|| invalid("a number is too large"))?;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(invalid("a number is too large"))
    }
    fn small(&mut self, max: u64, what: &str) -> Result<u64, LinkError> {
        let v = self.varint()?;
        if v > max {
            return Err(LinkError::Invalid(format!("{what} is out of range")));
        }
        Ok(v)
    }
    fn text(&mut self) -> Result<String, LinkError> {
        let len = self.small(256, "a text field")? as usize;
        let end = self
            .pos
            .checked_add(len)
            .filter(|e| *e <= self.bytes.len())
            .ok_or_else(|| invalid("it ends too early"))?;
        let s = core::str::from_utf8(&self.bytes[self.pos..end])
            .map_err(|_| invalid("a text field is not UTF-8"))?;
        self.pos = end;
        Ok(s.to_string())
    }
    fn node(&mut self, cluster: Cluster) -> Result<NodeId, LinkError> {
        let id = NodeId(self.byte()?);
        if !cluster.contains(id) {
            return Err(LinkError::Invalid(format!(
                "it names node {} in a cluster of {}",
                id.0,
                cluster.size()
            )));
        }
        Ok(id)
    }
    fn end(&mut self, cluster: Cluster) -> Result<Option<NodeId>, LinkError> {
        if self.bytes.get(self.pos) == Some(&0) {
            self.pos += 1;
            return Ok(None);
        }
        self.node(cluster).map(Some)
    }
}

fn fnv32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn base64url_decode(text: &str) -> Result<Vec<u8>, LinkError> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for c in text.bytes() {
        let v = B64.iter().position(|&x| x == c).ok_or(LinkError::BadEncoding)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return Err(LinkError::BadEncoding);
    }
    Ok(out)
}

// ----- encode --------------------------------------------------------------------------------

fn write_net(w: &mut Writer, net: &NetConfig) {
    w.varint(net.latency_min.micros);
    w.varint(net.latency_max.micros);
    w.varint(u64::from(net.loss));
    w.varint(u64::from(net.duplicate));
    w.varint(u64::from(net.reorder));
}

fn too_many_events(events: u64) -> String {
    format!("the run has {events} events; a link may replay at most {MAX_SHARED_EVENTS}")
}

/// Encodes `run` as the text after `#` in a URL. Fails for a run longer than
/// [`MAX_SHARED_EVENTS`] (no Ballot would open the link) and for an action a link cannot carry
/// (a timer other than the protocol's timeout timer).
pub fn encode<P: Protocol>(run: &SharedRun<P>) -> Result<String, LinkError> {
    if run.at_events > MAX_SHARED_EVENTS {
        return Err(LinkError::Invalid(too_many_events(run.at_events)));
    }
    let mut w = Writer(Vec::new());
    w.text(P::NAME);
    w.0.push(run.config.cluster.size());
    w.varint(run.config.seed);
    write_net(&mut w, &run.config.net);
    w.text(P::bug_of(&run.config.node).unwrap_or(""));
    let params = P::config_pairs(&run.config.node);
    w.varint(params.len() as u64);
    for (k, v) in &params {
        w.text(k);
        w.text(v);
    }
    w.varint(run.at.micros);
    w.varint(run.at_events);
    w.varint(run.history.len() as u64);
    let (mut t, mut e) = (0u64, 0u64);
    for iv in &run.history {
        w.varint(iv.at.micros.saturating_sub(t));
        w.varint(iv.after_events.saturating_sub(e));
        t = iv.at.micros;
        e = iv.after_events;
        match &iv.action {
            Action::Crash(id) => {
                w.0.push(0);
                w.node(*id);
            }
            Action::Restart(id) => {
                w.0.push(1);
                w.node(*id);
            }
            Action::FireTimer(id, timer) => {
                if *timer != P::timeout_timer() {
                    return Err(invalid("only the timeout timer can be shared"));
                }
                w.0.push(2);
                w.node(*id);
            }
            Action::Request { node, command } => {
                w.0.push(3);
                w.node(*node);
                w.text(&command.to_string());
            }
            Action::Partition(groups) => {
                w.0.push(4);
                w.varint(groups.len() as u64);
                for g in groups {
                    w.varint(g.len() as u64);
                    for id in g {
                        w.node(*id);
                    }
                }
            }
            Action::Heal => w.0.push(5),
            Action::Cut(a, b) => {
                w.0.push(6);
                w.node(*a);
                w.node(*b);
            }
            Action::Restore(a, b) => {
                w.0.push(7);
                w.node(*a);
                w.node(*b);
            }
            Action::DropMessage(id) => {
                w.0.push(8);
                w.varint(*id);
            }
            Action::DuplicateMessage(id) => {
                w.0.push(9);
                w.varint(*id);
            }
            Action::DelayMessage(id, by) => {
                w.0.push(10);
                w.varint(*id);
                w.varint(by.micros);
            }
            Action::SetNet(net) => {
                w.0.push(11);
                write_net(&mut w, net);
            }
            Action::Hold { kind, from, to } => {
                w.0.push(12);
                let kinds = <MsgOf<P> as Message>::KINDS;
                w.varint(kind.and_then(|k| kinds.iter().position(|x| *x == k)).map_or(0, |i| i as u64 + 1));
                w.end(*from);
                w.end(*to);
            }
            Action::Release { from, to } => {
                w.0.push(13);
                w.end(*from);
                w.end(*to);
            }
            Action::SetLinkNet(from, to, net) => {
                w.0.push(14);
                w.end(*from);
                w.end(*to);
                w.0.push(u8::from(net.is_some()));
                if let Some(net) = net {
                    write_net(&mut w, net);
                }
            }
            Action::Deliver(id) => {
                w.0.push(15);
                w.varint(*id);
            }
            Action::Fire(id, timer) => {
                let index = P::timers()
                    .iter()
                    .position(|t| t == timer)
                    .ok_or_else(|| invalid("a timer the protocol does not list cannot be shared"))?;
                w.0.push(16);
                w.node(*id);
                w.varint(index as u64);
            }
        }
    }
    let sum = fnv32(&w.0);
    w.0.extend_from_slice(&sum.to_le_bytes());
    Ok(format!("{PREFIX}{VERSION}.{}", base64url_encode(&w.0)))
}

// ----- decode --------------------------------------------------------------------------------

fn body(link: &str) -> Result<Vec<u8>, LinkError> {
    if link.len() > MAX_LINK_LEN {
        return Err(invalid("it is too long"));
    }
    let link = link.trim().trim_start_matches('#');
    let rest = link.strip_prefix(PREFIX).ok_or(LinkError::NotALink)?;
    let (version, data) = rest.split_once('.').ok_or(LinkError::NotALink)?;
    let unknown = || LinkError::UnknownVersion(excerpt(version, 16));
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(unknown());
    }
    let version: u32 = version.parse().map_err(|_| unknown())?;
    if version < VERSION {
        return Err(unknown());
    }
    if version != VERSION {
        return Err(LinkError::FutureVersion(version));
    }
    let bytes = base64url_decode(data)?;
    if bytes.len() < 4 {
        return Err(LinkError::Corrupted);
    }
    let (payload, sum) = bytes.split_at(bytes.len() - 4);
    if fnv32(payload).to_le_bytes() != sum {
        return Err(LinkError::Corrupted);
    }
    Ok(payload.to_vec())
}

/// The protocol a link is for (so the caller can pick the decoder).
pub fn protocol_of(link: &str) -> Result<String, LinkError> {
    let bytes = body(link)?;
    Reader { bytes: &bytes, pos: 0 }.text()
}

fn read_net(r: &mut Reader<'_>) -> Result<NetConfig, LinkError> {
    let max = crate::network::MAX_LATENCY.micros;
    let net = NetConfig {
        latency_min: Duration { micros: r.small(max, "a latency")? },
        latency_max: Duration { micros: r.small(max, "a latency")? },
        loss: r.small(1000, "the loss rate")? as u16,
        duplicate: r.small(1000, "the duplication rate")? as u16,
        reorder: r.small(1000, "the reordering rate")? as u16,
    };
    if net.latency_min > net.latency_max {
        return Err(invalid("its latency range is empty"));
    }
    Ok(net)
}

/// Decodes a link made by [`encode`] for protocol `P`.
pub fn decode<P: Protocol>(link: &str) -> Result<SharedRun<P>, LinkError> {
    let bytes = body(link)?;
    let mut r = Reader { bytes: &bytes, pos: 0 };
    let name = r.text()?;
    if name != P::NAME {
        return Err(LinkError::WrongProtocol(name));
    }
    let size = r.byte()?;
    if !(1..=Cluster::MAX_SIZE).contains(&size) {
        return Err(LinkError::Invalid(format!("a cluster of {size} nodes (1 to 9 are possible)")));
    }
    let mut config = SimConfig::<P>::new(size, 0);
    config.seed = r.varint()?;
    config.net = read_net(&mut r)?;
    let bug = r.text()?;
    if !bug.is_empty() {
        P::set_bug(&mut config.node, &bug).map_err(LinkError::Invalid)?;
    }
    let count = r.small(32, "the number of parameters")?;
    let mut params = Vec::new();
    for _ in 0..count {
        params.push((r.text()?, r.text()?));
    }
    // Parameters are validated together (a heartbeat must stay below the election timeout), so
    // apply whichever fits until all do, in any order.
    while !params.is_empty() {
        let before = params.len();
        let mut last_error = String::new();
        params.retain(|(k, v)| match P::configure(&mut config.node, k, v) {
            Ok(()) => false,
            Err(e) => {
                last_error = e;
                true
            }
        });
        if params.len() == before {
            return Err(LinkError::Invalid(last_error));
        }
    }
    let at = Instant { micros: r.small(MAX_SHARED_TIME.micros, "the shared moment")? };
    let at_events = r.varint()?;
    if at_events > MAX_SHARED_EVENTS {
        return Err(invalid(&too_many_events(at_events)));
    }
    let count = r.small(MAX_INTERVENTIONS as u64, "the number of interventions")? as usize;
    let cluster = config.cluster;
    let mut history = Vec::with_capacity(count.min(1024));
    let (mut t, mut e) = (0u64, 0u64);
    for _ in 0..count {
        t = t.checked_add(r.varint()?).ok_or_else(|| invalid("a time is too large"))?;
        e = e.checked_add(r.varint()?).ok_or_else(|| invalid("an event count is too large"))?;
        if t > at.micros || e > at_events {
            return Err(invalid("an intervention comes after the shared moment"));
        }
        let action = match r.byte()? {
            0 => Action::Crash(r.node(cluster)?),
            1 => Action::Restart(r.node(cluster)?),
            2 => Action::FireTimer(r.node(cluster)?, P::timeout_timer()),
            3 => {
                let node = r.node(cluster)?;
                let command = P::parse_command(&r.text()?).map_err(LinkError::Invalid)?;
                Action::Request { node, command }
            }
            4 => {
                let groups = r.small(9, "the number of groups")?;
                let mut all = Vec::new();
                for _ in 0..groups {
                    let n = r.small(9, "a group size")?;
                    let mut g = Vec::new();
                    for _ in 0..n {
                        g.push(r.node(cluster)?);
                    }
                    all.push(g);
                }
                Action::Partition(all)
            }
            5 => Action::Heal,
            6 => Action::Cut(r.node(cluster)?, r.node(cluster)?),
            7 => Action::Restore(r.node(cluster)?, r.node(cluster)?),
            8 => Action::DropMessage(r.varint()?),
            9 => Action::DuplicateMessage(r.varint()?),
            10 => Action::DelayMessage(
                r.varint()?,
                Duration { micros: r.small(crate::network::MAX_LATENCY.micros, "a delay")? },
            ),
            11 => Action::SetNet(read_net(&mut r)?),
            tag @ 12..=14 => {
                let kinds = <MsgOf<P> as Message>::KINDS;
                let mut kind = 0;
                if tag == 12 {
                    kind = r.small(kinds.len() as u64, "a message kind")? as usize;
                }
                let (from, to) = (r.end(cluster)?, r.end(cluster)?);
                match tag {
                    12 => Action::Hold { kind: kind.checked_sub(1).map(|i| kinds[i]), from, to },
                    13 => Action::Release { from, to },
                    _ => Action::SetLinkNet(
                        from,
                        to,
                        if r.small(1, "a link's parameters flag")? == 1 {
                            Some(read_net(&mut r)?)
                        } else {
                            None
                        },
                    ),
                }
            }
            15 => Action::Deliver(r.varint()?),
            16 => {
                let node = r.node(cluster)?;
                let timers = P::timers();
                let index = r.small((timers.len() as u64).saturating_sub(1), "a timer")? as usize;
                Action::Fire(node, *timers.get(index).ok_or_else(|| invalid("a timer is out of range"))?)
            }
            tag => return Err(LinkError::Invalid(format!("unknown action {tag}"))),
        };
        history.push(Intervention { at: Instant { micros: t }, after_events: e, action });
    }
    if r.pos != bytes.len() {
        return Err(invalid("it has bytes left over"));
    }
    Ok(SharedRun { config, history, at, at_events })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        let mut rng = ballot_core::Prng::new(5);
        for len in 0..64 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)).unwrap(), bytes);
        }
        assert_eq!(base64url_decode("a"), Err(LinkError::BadEncoding));
        assert_eq!(base64url_decode("a+b/"), Err(LinkError::BadEncoding));
    }
}
