//! Model checking the real nodes: every reachable state of a small [`World`] of protocol `P`.
//!
//! [`SimModel`] is a [`ballot_check::Model`] whose state is a whole world (with tracing off) and
//! whose actions are the events the simulator would otherwise order by time: deliver this
//! envelope, fire this armed timer, plus what the model adds within its [`Bounds`]: drop or
//! duplicate a message in flight, crash or restart a node, and a client request (`x=1`, `x=2`, …
//! to any live node). Each action is an [`Action`], applied with [`World::act`], so a
//! counterexample is a run's history and a share link ([`SharedRun::of`]) replays it exactly:
//! deliveries and firings are [`Action::Deliver`] and [`Action::Fire`], each one event taken out
//! of time order.
//!
//! **States.** Two worlds are the same state when what their [`World::state_digest`] covers
//! (nodes, stored durable state, messages in flight regardless of timing, armed timers' names,
//! reachability) and the budget used so far ([`Used`]) are equal, the messages in flight taken
//! as a multiset ([`fingerprint`]; the digest lists them in send order, which would count the
//! same messages sent in two orders as two states). Time and the PRNG are not part of the state, and
//! need not be: nodes never read the clock, the network is set to lose, duplicate and reorder
//! nothing (the model drops and duplicates explicitly), so the PRNG only draws latencies and timer
//! instants, which no action and no node looks at (actions ignore time). A transition is then a
//! function of the digest's state, and the world a path recomputes is the same world.
//!
//! **Reductions** (each a [`Protocol`] hook, off by default): client requests go only to
//! [`Protocol::check_request_targets`]; the nodes and the checker's memory are hashed as
//! [`Protocol::check_node_digest`] and [`Protocol::check_history_digest`] see them (without
//! what no step reads and no verdict depends on); messages [`Protocol::check_inert`] says no
//! delivery can ever act on are left out of the state and of the actions; and a protocol whose
//! nodes are interchangeable ([`Protocol::check_symmetric`]) has the renamings of a state
//! counted as one state (see [`fingerprint`]).
//!
//! **Properties.** The world's own: each property its checker enforces, and Persist Before Send.
//! A state whose world has recorded a violation of one breaks it. The checker keeps a memory of
//! the run (the leader of each term, ever; what was committed); that memory is part of the
//! digest ([`World::history_digest`]), so two paths reach the same state only if the checker
//! remembers the same of both. A clean check is proof within the bounds (and, for a check that
//! starts after a script, [`SimModel::starting_after`], for the runs through its start state).
//!
//! **Bounds.** `max_term` (per [`Protocol::check_term`]; successors above it are not explored),
//! requests, crashes, drops and duplicates (counted along the path, part of the state), and
//! messages in flight: no timer fires while `max_in_flight` messages are in flight, so a leader's
//! heartbeats cannot fill the network without end. The search's depth and state limits are the
//! checker's ([`ballot_check::Options`]).

use crate::action::Action;
use crate::link::SharedRun;
use crate::protocol::Protocol;
use crate::world::{describe_envelope, SimConfig, TimerOf, World};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use ballot_check::{Model, Property};
use ballot_core::hash::stable_hash;
use ballot_core::{Narrate, NodeId};
use core::hash::{Hash, Hasher};

/// Which kinds of step the model may take besides deliveries and requests.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Allow {
    /// Drop a message in flight (at most [`Bounds::max_losses`] along a path).
    pub drop: bool,
    /// Duplicate a message in flight (at most [`Bounds::max_duplicates`]).
    pub duplicate: bool,
    /// Crash a live node (at most [`Bounds::max_crashes`]).
    pub crash: bool,
    /// Restart a crashed node.
    pub restart: bool,
    /// Fire an armed timer.
    pub timers: bool,
}

impl Allow {
    /// Everything.
    pub const ALL: Allow = Allow { drop: true, duplicate: true, crash: true, restart: true, timers: true };
    /// Nothing but deliveries and requests.
    pub const NONE: Allow =
        Allow { drop: false, duplicate: false, crash: false, restart: false, timers: false };

    /// Parses `drop,duplicate,crash,restart,timers` (any subset; `all`, `none`).
    pub fn parse(text: &str) -> Result<Allow, String> {
        let mut allow = Allow::NONE;
        for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match word {
                "all" => allow = Allow::ALL,
                "none" => {}
                "drop" => allow.drop = true,
                "duplicate" | "dup" => allow.duplicate = true,
                "crash" => allow.crash = true,
                "restart" => allow.restart = true,
                "timers" | "timer" => allow.timers = true,
                other => {
                    return Err(format!(
                        "`{other}` is not a step kind (drop, duplicate, crash, restart, timers, all, none)"
                    ))
                }
            }
        }
        Ok(allow)
    }

    /// The kinds allowed, comma-separated (`none` if none).
    pub fn words(&self) -> String {
        let all = [
            (self.drop, "drop"),
            (self.duplicate, "duplicate"),
            (self.crash, "crash"),
            (self.restart, "restart"),
            (self.timers, "timers"),
        ];
        let on: Vec<&str> = all.iter().filter(|(on, _)| *on).map(|(_, w)| *w).collect();
        if on.is_empty() {
            String::from("none")
        } else {
            on.join(",")
        }
    }
}

/// How far the model goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Bounds {
    /// The highest [`Protocol::check_term`] explored.
    pub max_term: u64,
    /// Client requests along a path.
    pub max_requests: u8,
    /// Crashes along a path.
    pub max_crashes: u8,
    /// Messages dropped along a path.
    pub max_losses: u8,
    /// Messages duplicated along a path.
    pub max_duplicates: u8,
    /// No timer fires while this many messages are in flight.
    pub max_in_flight: u32,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            max_term: 2,
            max_requests: 1,
            max_crashes: 0,
            max_losses: 0,
            max_duplicates: 0,
            max_in_flight: 4,
        }
    }
}

/// What a path has used of the budget (part of the state: the same world with more budget left
/// has more successors).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Used {
    /// Requests sent.
    pub requests: u8,
    /// Nodes crashed.
    pub crashes: u8,
    /// Messages dropped.
    pub losses: u8,
    /// Messages duplicated.
    pub duplicates: u8,
}

/// A state of [`SimModel`]: a world and the budget used to reach it.
#[derive(Clone, Debug)]
pub struct SimState<P: Protocol> {
    /// The world (tracing off).
    pub world: World<P>,
    /// The budget used.
    pub used: Used,
}

impl<P: Protocol> Hash for SimState<P> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.world.state_digest().hash(state);
        self.used.hash(state);
    }
}

/// The model of protocol `P` in a simulated world (see the module docs).
#[derive(Clone, Debug)]
pub struct SimModel<P: Protocol> {
    config: SimConfig<P>,
    bounds: Bounds,
    allow: Allow,
    /// Whether worlds keep their history (only to rebuild a counterexample's run).
    record: bool,
    properties: Vec<&'static str>,
    /// A reachability question ([`SimModel::with_goal`]), if the check is one.
    goal: Option<&'static str>,
    /// The state every path starts from, if not the initial one ([`SimModel::starting_after`]):
    /// the world at the end of a script, with its history.
    start: Option<alloc::boxed::Box<World<P>>>,
    /// The script that led to `start`.
    start_script: Option<String>,
}

/// The name of the one property a model with a goal checks: the goal not reached yet.
pub const GOAL: &str = "goal";

/// The most properties a protocol may check (the model names each with a function pointer).
const MAX_PROPERTIES: usize = 12;

impl<P: Protocol> SimModel<P> {
    /// A model of `config` (its network is made reliable and untimed: loss, duplication and
    /// reordering off).
    pub fn new(mut config: SimConfig<P>, bounds: Bounds, allow: Allow) -> Self {
        config.net.loss = 0;
        config.net.duplicate = 0;
        config.net.reorder = 0;
        let mut properties = World::new(config.clone()).properties();
        properties.truncate(MAX_PROPERTIES);
        SimModel {
            config,
            bounds,
            allow,
            record: false,
            properties,
            goal: None,
            start: None,
            start_script: None,
        }
    }

    /// The same model, but every path starts where `script` leaves the world: the lines of a
    /// scenario without its header (`run 1s`, `crash 3`, `request leader x=1`, `expect …`),
    /// run on the model's own configuration (its cluster, seed, bug and parameters, and its
    /// reliable network). The search then explores every continuation of that state within the
    /// bounds (whose budget starts unused there); a counterexample's share link and narration
    /// include the script's part of the run. A check from a start proves nothing about the runs
    /// that do not pass through it: it is a way to reach the deep states a search from the
    /// initial state would need too many states to reach. `;` separates lines too. Fails if a line fails (an `expect`
    /// that does not hold included) or if the script's run breaks a property.
    pub fn starting_after(mut self, script: &str) -> Result<Self, String> {
        let header = crate::scenario::header(&self.config);
        let text = format!("{header}{}", script.replace(';', "\n"));
        let outcome = crate::scenario::run::<P>(&text, 0).map_err(|e| {
            let line = e.line.saturating_sub(header.lines().count());
            format!("the start script, line {line} ({}): {}", e.text, e.message)
        })?;
        let world = outcome.world;
        if let Some(v) = world.violations().first() {
            return Err(format!("the start script breaks {} by itself", v.property));
        }
        self.start = Some(alloc::boxed::Box::new(world));
        self.start_script = Some(String::from(script.trim()));
        Ok(self)
    }

    /// The protocol's own start for this model's broken variant ([`Protocol::check_start`]), if
    /// it has one for this cluster size.
    pub fn default_start(&self) -> Option<crate::protocol::CheckStart> {
        P::check_start(P::bug_of(&self.config.node)).filter(|s| s.nodes == self.config.cluster.size())
    }

    /// The same model starting at [`SimModel::default_start`], if there is one.
    pub fn starting_at_default(self) -> Result<Self, String> {
        match self.default_start() {
            Some(start) => self.starting_after(start.script),
            None => Ok(self),
        }
    }

    /// [`SimModel::default_start`], if the model starts there (not at a script of its own).
    pub fn known_start(&self) -> Option<crate::protocol::CheckStart> {
        self.default_start().filter(|s| self.start_script() == Some(s.script.trim()))
    }

    /// The script the paths start after ([`SimModel::starting_after`]), if any.
    pub fn start_script(&self) -> Option<&str> {
        self.start_script.as_deref()
    }

    /// The configuration every path starts from.
    pub fn config(&self) -> &SimConfig<P> {
        &self.config
    }
    /// The bounds.
    pub fn bounds(&self) -> Bounds {
        self.bounds
    }
    /// The kinds of step allowed.
    pub fn allow(&self) -> Allow {
        self.allow
    }

    /// The same model asking a reachability question instead: is a state reachable where
    /// `expect`, a scenario's `expect` line without the word ([`Protocol::expect`], e.g. `chosen
    /// x=1`), holds? Its only property is [`GOAL`], "not reached yet", so the first state that
    /// reaches the goal ends the search as that property's violation (breadth-first: a shortest
    /// example). The safety properties are not checked then: an example may pass through a
    /// broken state of a broken variant.
    pub fn with_goal(mut self, expect: &'static str) -> Self {
        self.goal = Some(expect);
        self
    }

    /// The world's safety properties (the model's own unless it has a goal).
    pub fn safety_properties(&self) -> &[&'static str] {
        &self.properties
    }

    /// The command of the `n`-th request (from 1): `x=n`.
    fn command(n: u8) -> P::Command {
        P::parse_command(&format!("x={n}")).expect("every protocol reads x=N")
    }

    /// The world at the end of `actions` from the initial state, with its history: the run a
    /// share link carries.
    pub fn replay(&self, actions: &[Action<P::Node>]) -> SimState<P> {
        let recording = SimModel { record: true, ..self.clone() };
        let mut state = recording.init_states().remove(0);
        for a in actions {
            state = recording.next_state(&state, a.clone()).expect("a counterexample replays");
        }
        state
    }

    /// The share link of the run `actions` make (`run=1.…`).
    pub fn link(&self, actions: &[Action<P::Node>]) -> Result<String, crate::link::LinkError> {
        crate::link::encode(&SharedRun::of(&self.replay(actions).world))
    }

    /// Each of `actions` in words in `lang`, with what the nodes said doing it (role changes,
    /// commits…): `S1→S2 RequestVote #3 delivered: S2 votes for S1 in term 1`.
    pub fn narrate(&self, actions: &[Action<P::Node>], lang: ballot_core::Lang) -> Vec<String> {
        let mut world = match &self.start {
            Some(start) => (**start).clone().with_trace(256),
            None => World::new(self.config.clone()).with_trace(256),
        };
        let mut out = Vec::with_capacity(actions.len());
        for a in actions {
            let what = describe(&world, a, lang);
            let before = world.trace_total();
            world.act(a.clone());
            let new = usize::try_from(world.trace_total() - before).unwrap_or(usize::MAX);
            let notes: Vec<String> = world
                .trace()
                .rev()
                .take(new)
                .rev()
                .filter(|e| {
                    matches!(e.kind, crate::trace::TraceKind::Note(_) | crate::trace::TraceKind::Violation(_))
                })
                .map(|e| e.narrate(lang))
                .collect();
            out.push(if notes.is_empty() { what } else { format!("{what}: {}", notes.join("; ")) });
        }
        out
    }
}

/// `action` in words in `lang`, as it applies to `world`.
pub fn describe<P: Protocol>(world: &World<P>, action: &Action<P::Node>, lang: ballot_core::Lang) -> String {
    let zh = lang == ballot_core::Lang::Zh;
    let envelope = |id: u64| {
        world
            .envelope(id)
            .map_or_else(|| format!("{} #{id}", if zh { "消息" } else { "message" }), describe_envelope)
    };
    match (action, zh) {
        (Action::Deliver(id), false) => format!("deliver {}", envelope(*id)),
        (Action::Deliver(id), true) => format!("投递 {}", envelope(*id)),
        (Action::DropMessage(id), false) => format!("drop {}", envelope(*id)),
        (Action::DropMessage(id), true) => format!("丢弃 {}", envelope(*id)),
        (Action::DuplicateMessage(id), false) => format!("duplicate {}", envelope(*id)),
        (Action::DuplicateMessage(id), true) => format!("复制 {}", envelope(*id)),
        (Action::Fire(id, timer), false) => {
            format!("{id}'s {} timer fires", crate::scenario::timer_name(timer))
        }
        (Action::Fire(id, timer), true) => {
            format!("{id} 的 {} 定时器触发", crate::scenario::timer_name(timer))
        }
        (Action::Crash(id), false) => format!("{id} crashes"),
        (Action::Crash(id), true) => format!("{id} 宕机"),
        (Action::Restart(id), false) => format!("{id} restarts"),
        (Action::Restart(id), true) => format!("{id} 重启"),
        (Action::Request { node, command }, false) => format!("a client asks {node} for {command}"),
        (Action::Request { node, command }, true) => format!("客户端向 {node} 请求 {command}"),
        (other, _) => format!("{other:?}"),
    }
}

/// What [`World::state_digest`] covers (nodes, stored durable state, messages in flight without
/// their timing, armed timers' names, reachability, the checkers' history and the violations
/// found: [`World::history_digest`]) with the messages as a multiset — two worlds whose messages
/// were sent in another order are one state — and the budget used; as the protocol's digests
/// see them ([`Protocol::check_node_digest`] and the others: what no step reads is left out),
/// without the messages [`Protocol::check_inert`] says are inert. For a protocol whose nodes
/// are interchangeable ([`Protocol::check_symmetric`], clusters of up to [`MAX_SYMMETRIC`]
/// nodes) it is the least digest over the renamings of the nodes that sort them by class
/// (up/down, armed timers, [`Protocol::check_node_class`]): the class of a node does not
/// depend on names, so every renaming of a state has the same fingerprint.
pub fn fingerprint<P: Protocol>(state: &SimState<P>) -> u64 {
    let w = &state.world;
    let size = usize::from(w.cluster().size());
    // Payloads carry no node ids (a symmetric protocol's promise): hashed once.
    let msgs: Vec<(NodeId, NodeId, bool, u64)> = w
        .in_flight()
        .filter(|e| !P::check_inert(w, e))
        .map(|e| (e.from, e.to, e.lost, stable_hash(&e.msg)))
        .collect();
    let mut rename: Vec<NodeId> = w.cluster().ids().collect();
    if !P::check_symmetric() || size > MAX_SYMMETRIC {
        return digest_renamed(state, &msgs, &rename);
    }
    let class: Vec<u64> = w
        .cluster()
        .ids()
        .map(|id| {
            let timers: Vec<TimerOf<P>> = w.timers(id).map(|(t, _)| t).collect();
            stable_hash(&(w.node(id).map(P::check_node_class), timers))
        })
        .collect();
    // A renaming sorts the nodes by class when a node of a lesser class gets a lesser id.
    let sorts = |rename: &[NodeId]| {
        (0..size).all(|i| (0..size).all(|j| class[i] >= class[j] || rename[i] < rename[j]))
    };
    let mut best = sorts(&rename).then(|| digest_renamed(state, &msgs, &rename));
    // Heap's algorithm: every permutation of `rename`, one swap apart.
    let mut c = alloc::vec![0usize; size];
    let mut i = 1;
    while i < size {
        if c[i] < i {
            rename.swap(if i % 2 == 0 { 0 } else { c[i] }, i);
            if sorts(&rename) {
                let d = digest_renamed(state, &msgs, &rename);
                best = Some(best.map_or(d, |b| b.min(d)));
            }
            c[i] += 1;
            i = 1;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    best.expect("some renaming sorts the nodes")
}

/// The most nodes [`fingerprint`] renames (5! = 120 renamings at most).
pub const MAX_SYMMETRIC: usize = 5;

/// What [`digest_renamed`] hashes of one node: its digest while up, its storage's while down,
/// its armed timers.
type Slot<P> = (Option<u64>, Option<u64>, Vec<TimerOf<P>>);

/// [`fingerprint`] with node `n` renamed `rename[n.index()]`; `msgs` are the live messages'
/// sender, recipient, loss and payload digest.
fn digest_renamed<P: Protocol>(
    state: &SimState<P>,
    msgs: &[(NodeId, NodeId, bool, u64)],
    rename: &[NodeId],
) -> u64 {
    let w = &state.world;
    let to = |id: NodeId| rename[id.index()];
    let mut hashed: Vec<u64> =
        msgs.iter().map(|&(from, at, lost, msg)| stable_hash(&(to(from), to(at), lost, msg))).collect();
    hashed.sort_unstable();
    // Slot `rename[i]` holds node `i`: its state, its storage while down, its armed timers.
    let mut slots: Vec<Slot<P>> = alloc::vec![(None, None, Vec::new()); rename.len()];
    for id in w.cluster().ids() {
        slots[to(id).index()] = (
            w.node(id).map(|n| P::check_node_digest(n, rename)),
            w.stored(id).map(|d| P::check_durable_digest(d, rename)),
            w.timers(id).map(|(t, _)| t).collect(),
        );
    }
    stable_hash(&(slots, hashed, w.reachability(), P::check_history_digest(w, rename), state.used))
}

/// Whether the model's goal does not hold in `state` yet ([`SimModel::with_goal`]).
fn goal_not_reached<P: Protocol>(model: &SimModel<P>, state: &SimState<P>) -> bool {
    let words: Vec<&str> = model.goal.unwrap_or("").split(' ').filter(|w| !w.is_empty()).collect();
    P::expect(&state.world, &words).is_err()
}

/// Whether property `I` of the model holds in `state` (no violation of it recorded).
fn holds<P: Protocol, const I: usize>(model: &SimModel<P>, state: &SimState<P>) -> bool {
    let name = model.properties[I];
    state.world.violations().iter().all(|v| v.property != name)
}

impl<P: Protocol> Model for SimModel<P> {
    type State = SimState<P>;
    type Action = Action<P::Node>;

    fn init_states(&self) -> Vec<SimState<P>> {
        let world = match &self.start {
            Some(start) if self.record => (**start).clone(),
            Some(start) => {
                let mut world = (**start).clone();
                world.forget_history();
                world
            }
            None => World::new(self.config.clone()),
        };
        alloc::vec![SimState { world, used: Used::default() }]
    }

    fn actions(&self, state: &SimState<P>, actions: &mut Vec<Action<P::Node>>) {
        let (world, used, b) = (&state.world, state.used, &self.bounds);
        let mut live = 0usize;
        for e in world.in_flight().filter(|e| !P::check_inert(world, e)) {
            live += 1;
            actions.push(Action::Deliver(e.id));
            if self.allow.drop && used.losses < b.max_losses {
                actions.push(Action::DropMessage(e.id));
            }
            if self.allow.duplicate && used.duplicates < b.max_duplicates {
                actions.push(Action::DuplicateMessage(e.id));
            }
        }
        let ids = || world.cluster().ids();
        if self.allow.timers && live < b.max_in_flight as usize {
            for id in ids() {
                actions.extend(world.timers(id).map(|(t, _)| Action::Fire(id, t)));
            }
        }
        if used.requests < b.max_requests {
            let command = Self::command(used.requests + 1);
            for node in P::check_request_targets(world) {
                actions.push(Action::Request { node, command: command.clone() });
            }
        }
        if self.allow.crash && used.crashes < b.max_crashes {
            actions.extend(ids().filter(|id| world.is_up(*id)).map(Action::Crash));
        }
        if self.allow.restart {
            actions.extend(ids().filter(|id| !world.is_up(*id)).map(Action::Restart));
        }
    }

    fn next_state(&self, state: &SimState<P>, action: Action<P::Node>) -> Option<SimState<P>> {
        let mut next = state.clone();
        match &action {
            Action::Request { .. } => next.used.requests += 1,
            Action::Crash(_) => next.used.crashes += 1,
            Action::DropMessage(_) => next.used.losses += 1,
            Action::DuplicateMessage(_) => next.used.duplicates += 1,
            _ => {}
        }
        next.world.act(action);
        if !self.record {
            next.world.forget_history();
        }
        (P::check_term(&next.world) <= self.bounds.max_term).then_some(next)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        if self.goal.is_some() {
            return alloc::vec![Property::always(GOAL, goal_not_reached::<P>)];
        }
        let all: [fn(&Self, &SimState<P>) -> bool; MAX_PROPERTIES] = [
            holds::<P, 0>,
            holds::<P, 1>,
            holds::<P, 2>,
            holds::<P, 3>,
            holds::<P, 4>,
            holds::<P, 5>,
            holds::<P, 6>,
            holds::<P, 7>,
            holds::<P, 8>,
            holds::<P, 9>,
            holds::<P, 10>,
            holds::<P, 11>,
        ];
        self.properties.iter().zip(all).map(|(name, f)| Property::always(name, f)).collect()
    }

    fn fingerprint(&self, state: &SimState<P>) -> u64 {
        fingerprint(state)
    }

    fn format_action(&self, action: &Action<P::Node>) -> String {
        format!("{action:?}")
    }

    fn format_state(&self, state: &SimState<P>) -> String {
        let w = &state.world;
        let down: Vec<NodeId> = w.cluster().ids().filter(|id| !w.is_up(*id)).collect();
        format!("{} in flight, down {down:?}, digest {:016x}", w.in_flight().len(), w.state_digest())
    }
}
