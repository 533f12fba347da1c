//! `ballot check PROTOCOL`: exhaustive model checking with `ballot-check`.
//!
//! Two kinds of model. `ballot check raft|paxos|multipaxos|twopc` (`--model sim`, the default)
//! checks the real nodes in a small simulated world ([`ballot_sim::check`]): every order of
//! deliveries, timer firings, drops, duplicates, crashes, restarts and client requests within the
//! bounds, against the world's safety properties; a counterexample is printed as numbered steps
//! and as a share link that `ballot replay` and the playground open. `ballot check twopc --model
//! twophase` (or with `--rms N`) checks Gray & Lamport's `TwoPhase.tla` instead. The text output
//! ends with the line `unique states: K`; `--json` prints one JSON object instead. Status: 0 when
//! every reachable state (within the bounds) was checked and every property held, 1 when a
//! property failed or a limit (`--max-states`, `--max-depth`) stopped the search first, 2 for a
//! usage error.

use crate::{whole, with_protocol, write_out, Done, Fail};
use ballot_check::models::twophase::{Bug, TwoPhase};
use ballot_check::{check, Model, Options, Outcome, Path, Report, Strategy, DEFAULT_MAX_STATES};
use ballot_engine::check::quote;
use ballot_engine::registry::Visitor;
use ballot_engine::Visual;
use ballot_sim::check::{Allow, Bounds, SimModel};
use ballot_sim::{Protocol, SimConfig};
use clap::Args;
use std::time::Instant as WallClock;

/// The most resource managers `--rms` accepts (6^10 ≈ 60 million states).
pub const MAX_RMS: u64 = 10;
/// The largest `--max-states` (memory grows by about 30 bytes a state).
pub const MAX_MAX_STATES: u64 = 1_000_000_000;

#[derive(Args, Debug)]
#[command(after_help = after_help())]
pub struct CheckArgs {
    /// The protocol (raft, paxos, multipaxos, twopc, zab: any of `ballot protocols`).
    pub protocol: String,
    /// `sim` (the default): the protocol's real nodes in a small simulated world. `twophase`
    /// (twopc only; the default when `--rms` is given): Gray & Lamport's TwoPhase.tla (no
    /// timers, no crashes, no message loss).
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Resource managers of the twophase model (TwoPhase.tla's RM = {r1, …, rN}; 3 if not given).
    #[arg(long, value_name = "N", value_parser = whole(1, MAX_RMS))]
    pub rms: Option<u64>,
    /// Nodes in the simulated world (sim model).
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = whole(1, 9))]
    pub nodes: u64,
    /// Breadth-first search (the default): the counterexample found is a shortest one.
    #[arg(long)]
    pub bfs: bool,
    /// Depth-first search.
    #[arg(long, conflicts_with = "bfs")]
    pub dfs: bool,
    /// Stop after this many unique states (a budget: reaching it ends the check with status 1,
    /// saying so).
    #[arg(long, value_name = "K", default_value_t = DEFAULT_MAX_STATES, value_parser = whole(1, MAX_MAX_STATES))]
    pub max_states: u64,
    /// Do not expand states at this depth (actions from the initial state); status 1 if some
    /// state lies beyond it.
    #[arg(long, value_name = "D", value_parser = whole(0, u64::from(u32::MAX)))]
    pub max_depth: Option<u64>,
    /// Sim model: the highest term (Raft) or round (Paxos, Multi-Paxos) explored.
    #[arg(long, value_name = "T", value_parser = whole(0, 1000))]
    pub max_term: Option<u64>,
    /// Sim model: client requests along a path (`x=1`, `x=2`, … to any live node).
    #[arg(long, value_name = "R", value_parser = whole(0, 20))]
    pub max_requests: Option<u64>,
    /// Sim model: crashes along a path.
    #[arg(long, value_name = "C", value_parser = whole(0, 20))]
    pub max_crashes: Option<u64>,
    /// Sim model: messages dropped along a path.
    #[arg(long, value_name = "L", value_parser = whole(0, 20))]
    pub max_losses: Option<u64>,
    /// Sim model: messages duplicated along a path.
    #[arg(long, value_name = "U", value_parser = whole(0, 20))]
    pub max_duplicates: Option<u64>,
    /// Sim model: no timer fires while this many messages are in flight.
    #[arg(long, value_name = "M", value_parser = whole(1, 64))]
    pub max_in_flight: Option<u64>,
    /// Sim model: the step kinds allowed besides deliveries and requests, comma-separated:
    /// drop, duplicate, crash, restart, timers (or all, none).
    #[arg(long, value_name = "KINDS")]
    pub allow: Option<String>,
    /// Check a deliberately broken variant (the check must catch it).
    #[arg(long, value_name = "NAME")]
    pub bug: Option<String>,
    /// Sim model: start every path where these scenario lines leave the world (`;` separates
    /// lines: `--after "run 1s; expect leader any"`), instead of at the initial state; `none`
    /// for the initial state when the protocol's defaults for a variant pick a start.
    #[arg(long, value_name = "LINES")]
    pub after: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

fn after_help() -> String {
    let bugs: Vec<String> = Bug::ALL.iter().map(|b| format!("  {:<29} {}", b.name(), b.describe())).collect();
    format!(
        "Status: 0 every reachable state checked and every property held; 1 a property failed, or a limit stopped the check first; 2 usage error.\n\nBroken variants of the sim model: `ballot swarm PROTOCOL --list-bugs`; each protocol picks default bounds per variant (flags override them).\n\nBroken variants of twophase (--bug):\n{}",
        bugs.join("\n")
    )
}

/// Runs `ballot check`.
pub fn run(args: &CheckArgs) -> Done {
    let twophase = match args.model.as_deref() {
        Some("twophase") => true,
        Some("sim") => false,
        Some(other) => {
            return Err(Fail::Usage(format!("unknown model `{other}` (sim, or twophase for twopc)")))
        }
        None => args.rms.is_some(),
    };
    if !twophase {
        if args.rms.is_some() {
            return Err(Fail::Usage(String::from(
                "--rms is the twophase model's; the sim model takes --nodes",
            )));
        }
        return with_protocol(&args.protocol, SimCheck(args));
    }
    if args.protocol != "twopc" {
        return Err(Fail::Usage(format!(
            "`ballot check {} --model twophase`: the twophase model is of twopc",
            args.protocol
        )));
    }
    let sim_only = [
        args.max_term,
        args.max_requests,
        args.max_crashes,
        args.max_losses,
        args.max_duplicates,
        args.max_in_flight,
    ];
    if sim_only.iter().any(Option::is_some) || args.allow.is_some() || args.after.is_some() || args.nodes != 3
    {
        return Err(Fail::Usage(String::from(
            "--nodes, --max-term, --max-requests, --max-crashes, --max-losses, --max-duplicates, --max-in-flight, --allow and --after are the sim model's",
        )));
    }
    let rms = args.rms.unwrap_or(3);
    let mut model =
        TwoPhase::new(u8::try_from(rms).map_err(|_| Fail::Usage("--rms is out of range".into()))?);
    if let Some(name) = &args.bug {
        let bug = Bug::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Bug::ALL.iter().map(|b| b.name()).collect();
            Fail::Usage(format!("unknown bug `{name}` for twophase (known: {})", known.join(", ")))
        })?;
        model = model.with_bug(bug);
    }
    let options = options(args);
    let started = WallClock::now();
    let report = check(&model, &options);
    let seconds = started.elapsed().as_secs_f64();
    let run = Run { args, options: &options, seconds };
    if args.json {
        out!("{}", json(&model, &report, &run))?;
    } else {
        text(&model, &report, &run)?;
    }
    verdict(&report)
}

fn options(args: &CheckArgs) -> Options {
    Options {
        strategy: if args.dfs { Strategy::DepthFirst } else { Strategy::BreadthFirst },
        max_states: args.max_states,
        max_depth: args.max_depth.map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
    }
}

/// The command line and timing, for the output.
struct Run<'a> {
    args: &'a CheckArgs,
    options: &'a Options,
    seconds: f64,
}

impl Run<'_> {
    fn search(&self) -> &'static str {
        match self.options.strategy {
            Strategy::BreadthFirst => "bfs",
            Strategy::DepthFirst => "dfs",
        }
    }

    /// Unique states per wall-clock second.
    fn unique_per_second(&self, report: &Report<impl Sized, impl Sized>) -> u64 {
        (report.unique_states as f64 / self.seconds.max(1e-9)).round() as u64
    }

    /// States explored (generated) per wall-clock second.
    fn per_second(&self, report: &Report<impl Sized, impl Sized>) -> u64 {
        (report.generated as f64 / self.seconds.max(1e-9)).round() as u64
    }
}

/// Status 1 with a message on stderr unless the check passed.
fn verdict<S, A>(report: &Report<S, A>) -> Done {
    match &report.outcome {
        Outcome::Violation { property, .. } => Err(format!("{property} is violated").into()),
        Outcome::StateLimit { max_states } => {
            Err(format!("stopped at the state limit {max_states} (raise with --max-states)").into())
        }
        Outcome::DepthLimit { max_depth } => {
            Err(format!("stopped at depth {max_depth} (--max-depth): deeper states were not checked").into())
        }
        Outcome::Complete => {
            let unmet: Vec<&str> = report.unmet_sometimes().collect();
            if unmet.is_empty() {
                Ok(())
            } else {
                Err(format!("no reachable state satisfies: {}", unmet.join(", ")).into())
            }
        }
    }
}

fn text(
    model: &TwoPhase,
    report: &Report<<TwoPhase as Model>::State, <TwoPhase as Model>::Action>,
    run: &Run<'_>,
) -> Done {
    let search = match run.options.strategy {
        Strategy::BreadthFirst => "breadth-first",
        Strategy::DepthFirst => "depth-first",
    };
    out!(
        "checking twopc --model twophase (Gray & Lamport's TwoPhase.tla): {} resource managers, {search}, state limit {}",
        model.rms(),
        run.options.max_states
    )?;
    if let Some(bug) = model.bug() {
        out!("broken variant {}: {}", bug.name(), bug.describe())?;
    }
    out!("states explored: {}", report.generated)?;
    out!("max depth: {}", report.max_depth)?;
    if run.seconds < 1.0 {
        out!("elapsed: {:.3} ms", run.seconds * 1000.0)?;
    } else {
        out!("elapsed: {:.3} s", run.seconds)?;
    }
    out!("states per second: {}", run.per_second(report))?;
    let complete = report.is_complete();
    for s in &report.sometimes {
        match &s.example {
            Some(path) => out!("sometimes \"{}\": reached at depth {}", s.name, path.steps.len())?,
            None if complete => out!("sometimes \"{}\": NEVER: no reachable state satisfies it", s.name)?,
            None => out!("sometimes \"{}\": not reached before the search stopped", s.name)?,
        }
    }
    match &report.outcome {
        Outcome::Complete => out!("0 violations")?,
        Outcome::StateLimit { max_states } => out!(
            "stopped at the state limit {max_states} (raise with --max-states): no violation among the states checked, but not every reachable state was checked"
        )?,
        Outcome::DepthLimit { max_depth } => out!(
            "stopped at depth {max_depth} (--max-depth): no violation up to it, but deeper states were not checked"
        )?,
        Outcome::Violation { property, path } => {
            let shortest = if run.options.strategy == Strategy::BreadthFirst { ", a shortest one" } else { "" };
            out!("VIOLATION of {property}: counterexample of {} steps{shortest}", path.steps.len())?;
            for (i, action, state) in numbered(model, path) {
                match action {
                    None => out!("  {i:>3}. initial state: {state}")?,
                    Some(action) => out!("  {i:>3}. {action}: {state}")?,
                }
            }
            out!("1 violation")?;
        }
    }
    out!("unique states: {}", report.unique_states)
}

/// A path's states, numbered from 0 (the initial state), with the action that led to each.
fn numbered<M: Model>(model: &M, path: &Path<M::State, M::Action>) -> Vec<(usize, Option<String>, String)> {
    std::iter::once((0, None, model.format_state(&path.init)))
        .chain(
            path.steps
                .iter()
                .enumerate()
                .map(|(i, (a, s))| (i + 1, Some(model.format_action(a)), model.format_state(s))),
        )
        .collect()
}

fn json(
    model: &TwoPhase,
    report: &Report<<TwoPhase as Model>::State, <TwoPhase as Model>::Action>,
    run: &Run<'_>,
) -> String {
    let null = || String::from("null");
    let (result, violation) = match &report.outcome {
        Outcome::Complete if report.passed() => ("ok", null()),
        Outcome::Complete => ("unmet-sometimes", null()),
        Outcome::StateLimit { .. } => ("state-limit", null()),
        Outcome::DepthLimit { .. } => ("depth-limit", null()),
        Outcome::Violation { property, path } => {
            let steps: Vec<String> = numbered(model, path)
                .into_iter()
                .map(|(i, action, state)| {
                    format!(
                        "{{\"step\":{i},\"action\":{},\"state\":{}}}",
                        action.as_deref().map_or_else(null, quote),
                        quote(&state)
                    )
                })
                .collect();
            ("violation", format!("{{\"property\":{},\"steps\":[{}]}}", quote(property), steps.join(",")))
        }
    };
    let sometimes: Vec<String> = report
        .sometimes
        .iter()
        .map(|s| {
            let depth = s.example.as_ref().map_or_else(null, |p| p.steps.len().to_string());
            format!("{{\"name\":{},\"reached_at_depth\":{depth}}}", quote(s.name))
        })
        .collect();
    let violations = usize::from(matches!(report.outcome, Outcome::Violation { .. }));
    format!(
        concat!(
            "{{\"protocol\":\"twopc\",\"model\":\"twophase\",\"rms\":{},\"search\":\"{}\",\"bug\":{},",
            "\"max_states\":{},\"max_depth\":{},\"result\":\"{}\",\"unique_states\":{},\"states_explored\":{},",
            "\"depth\":{},\"elapsed_seconds\":{:.6},\"states_per_second\":{},\"violations\":{},",
            "\"violation\":{},\"sometimes\":[{}]}}"
        ),
        model.rms(),
        run.search(),
        model.bug().map_or_else(null, |b| quote(b.name())),
        run.options.max_states,
        run.args.max_depth.map_or_else(null, |d| d.to_string()),
        result,
        report.unique_states,
        report.generated,
        report.max_depth,
        run.seconds,
        run.per_second(report),
        violations,
        violation,
        sometimes.join(",")
    )
}

/// `ballot check PROTOCOL` on the sim model, for the protocol the name picks.
struct SimCheck<'a>(&'a CheckArgs);

/// A flag's value if given, else the protocol's default.
fn or<T: TryFrom<u64>>(flag: Option<u64>, default: T) -> T {
    flag.and_then(|v| T::try_from(v).ok()).unwrap_or(default)
}

impl Visitor for SimCheck<'_> {
    type Output = Done;
    fn visit<P: Visual>(self) -> Done {
        let args = self.0;
        let mut config = SimConfig::<P>::new(u8::try_from(args.nodes).unwrap_or(3), 0);
        if let Some(bug) = &args.bug {
            P::set_bug(&mut config.node, bug).map_err(Fail::Usage)?;
        }
        let (d, mut allow) = P::check_defaults(args.bug.as_deref());
        if let Some(kinds) = &args.allow {
            allow = Allow::parse(kinds).map_err(Fail::Usage)?;
        }
        let bounds = Bounds {
            max_term: or(args.max_term, d.max_term),
            max_requests: or(args.max_requests, d.max_requests),
            max_crashes: or(args.max_crashes, d.max_crashes),
            max_losses: or(args.max_losses, d.max_losses),
            max_duplicates: or(args.max_duplicates, d.max_duplicates),
            max_in_flight: or(args.max_in_flight, d.max_in_flight),
        };
        let model = SimModel::new(config, bounds, allow);
        let model = match args.after.as_deref().map(str::trim) {
            Some("none") => Ok(model),
            Some(lines) => model.starting_after(lines),
            None => model.starting_at_default(),
        }
        .map_err(Fail::Usage)?;
        let options = options(args);
        let started = WallClock::now();
        let report = check(&model, &options);
        let seconds = started.elapsed().as_secs_f64();
        let run = Run { args, options: &options, seconds };
        let found = Found::of(&model, &report)?;
        if args.json {
            out!("{}", sim_json(&model, &report, &run, found.as_ref()))?;
        } else {
            sim_text(&model, &report, &run, found.as_ref())?;
        }
        verdict(&report)
    }
}

/// A counterexample, told: each step in words, and the run as a share link.
struct Found {
    property: &'static str,
    steps: Vec<String>,
    link: String,
}

impl Found {
    fn of<P: Protocol>(
        model: &SimModel<P>,
        report: &Report<<SimModel<P> as Model>::State, <SimModel<P> as Model>::Action>,
    ) -> Result<Option<Found>, Fail> {
        let Outcome::Violation { property, path } = &report.outcome else { return Ok(None) };
        let actions: Vec<_> = path.steps.iter().map(|(a, _)| a.clone()).collect();
        let link = model.link(&actions).map_err(|e| format!("the counterexample cannot be shared: {e}"))?;
        Ok(Some(Found {
            property,
            steps: model.narrate(&actions, ballot_core::Lang::En),
            link: format!("#{link}"),
        }))
    }
}

fn sim_header<P: Protocol>(model: &SimModel<P>, run: &Run<'_>) -> String {
    let b = model.bounds();
    format!(
        "checking {} (the real nodes, simulated): {} nodes, {}, max term {}, requests {}, crashes {}, losses {}, duplicates {}, in flight {}, allow {}, state limit {}",
        P::NAME,
        model.config().cluster.size(),
        match run.options.strategy {
            Strategy::BreadthFirst => "breadth-first",
            Strategy::DepthFirst => "depth-first",
        },
        b.max_term,
        b.max_requests,
        b.max_crashes,
        b.max_losses,
        b.max_duplicates,
        b.max_in_flight,
        model.allow().words(),
        run.options.max_states
    )
}

fn sim_text<P: Protocol>(
    model: &SimModel<P>,
    report: &Report<<SimModel<P> as Model>::State, <SimModel<P> as Model>::Action>,
    run: &Run<'_>,
    found: Option<&Found>,
) -> Done {
    out!("{}", sim_header(model, run))?;
    if let Some(bug) = P::bug_of(&model.config().node) {
        out!("broken variant {bug}: it breaks {}", P::bug_property(bug).unwrap_or("?"))?;
    }
    if let Some(script) = model.start_script() {
        match model.known_start() {
            Some(start) => out!(
                "starting after: {script}\n  ({}; from there it breaks {})",
                start.why(ballot_core::Lang::En),
                start.breaks
            )?,
            None => out!("starting after: {script}")?,
        }
    }
    out!("states explored: {}", report.generated)?;
    out!("max depth: {}", report.max_depth)?;
    if run.seconds < 1.0 {
        out!("elapsed: {:.3} ms", run.seconds * 1000.0)?;
    } else {
        out!("elapsed: {:.3} s", run.seconds)?;
    }
    out!("states per second: {}", run.per_second(report))?;
    out!("unique states per second: {}", run.unique_per_second(report))?;
    match (&report.outcome, found) {
        (Outcome::Violation { path, .. }, Some(found)) => {
            let shortest = if run.options.strategy == Strategy::BreadthFirst { ", a shortest one" } else { "" };
            out!("VIOLATION of {}: counterexample of {} steps{shortest}", found.property, path.steps.len())?;
            for (i, step) in found.steps.iter().enumerate() {
                out!("  {:>3}. {step}", i + 1)?;
            }
            out!("link: {}", found.link)?;
            out!("replay: ballot replay '{}'", found.link)?;
            out!("1 violation")?;
        }
        (Outcome::StateLimit { max_states }, _) => out!(
            "stopped at the state limit {max_states} (raise with --max-states): no violation among the states checked, but not every reachable state was checked"
        )?,
        (Outcome::DepthLimit { max_depth }, _) => out!(
            "stopped at depth {max_depth} (--max-depth): no violation up to it, but deeper states were not checked"
        )?,
        _ => out!("0 violations")?,
    }
    out!("unique states: {}", report.unique_states)
}

fn sim_json<P: Protocol>(
    model: &SimModel<P>,
    report: &Report<<SimModel<P> as Model>::State, <SimModel<P> as Model>::Action>,
    run: &Run<'_>,
    found: Option<&Found>,
) -> String {
    let null = || String::from("null");
    let result = match &report.outcome {
        Outcome::Complete => "ok",
        Outcome::StateLimit { .. } => "state-limit",
        Outcome::DepthLimit { .. } => "depth-limit",
        Outcome::Violation { .. } => "violation",
    };
    let violation = found.map_or_else(null, |f| {
        let steps: Vec<String> = f
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{{\"step\":{},\"action\":{}}}", i + 1, quote(s)))
            .collect();
        format!(
            "{{\"property\":{},\"steps\":[{}],\"link\":{}}}",
            quote(f.property),
            steps.join(","),
            quote(&f.link)
        )
    });
    let b = model.bounds();
    format!(
        concat!(
            "{{\"protocol\":{},\"model\":\"sim\",\"nodes\":{},\"search\":\"{}\",\"bug\":{},\"after\":{},",
            "\"bounds\":{{\"max_term\":{},\"max_requests\":{},\"max_crashes\":{},\"max_losses\":{},",
            "\"max_duplicates\":{},\"max_in_flight\":{}}},\"allow\":{},",
            "\"max_states\":{},\"max_depth\":{},\"result\":\"{}\",\"unique_states\":{},\"states_explored\":{},",
            "\"depth\":{},\"elapsed_seconds\":{:.6},\"states_per_second\":{},\"unique_states_per_second\":{},",
            "\"violations\":{},\"violation\":{}}}"
        ),
        quote(P::NAME),
        model.config().cluster.size(),
        run.search(),
        P::bug_of(&model.config().node).map_or_else(null, quote),
        model.start_script().map_or_else(null, quote),
        b.max_term,
        b.max_requests,
        b.max_crashes,
        b.max_losses,
        b.max_duplicates,
        b.max_in_flight,
        quote(&model.allow().words()),
        run.options.max_states,
        run.args.max_depth.map_or_else(null, |d| d.to_string()),
        result,
        report.unique_states,
        report.generated,
        report.max_depth,
        run.seconds,
        run.per_second(report),
        run.unique_per_second(report),
        usize::from(found.is_some()),
        violation,
    )
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_json_strings() {
        assert_eq!(quote("a\"b\\c\nd\u{1}é"), "\"a\\\"b\\\\c\\nd\\u0001é\"");
    }
}
