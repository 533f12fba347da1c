//! `ballot`: run Ballot's protocol core from the command line.
//!
//! ```text
//! ballot protocols                                        # every registered protocol, one a line
//! ballot swarm PROTOCOL [--seeds N] [--first-seed S] [--steps M] [--bug NAME]
//! ballot swarm PROTOCOL --seed S [--steps M] [--bug NAME] # reproduce one seed, verbosely
//! ballot swarm PROTOCOL --list-bugs
//! ballot run FILE...                                      # text scenarios
//! ballot probes PROTOCOL                                  # what `expect NAME ARGS = VALUE` can read
//! ballot bench raft [--seconds 1000] [--min-speed X]
//! ballot bench timeline [--seconds 3600] [--seeks 500]    # time-travel seek time and memory
//! ballot fingerprint PROTOCOL --size 5 --seed 7 --events 20  # golden value the page must show
//! ballot diagram FILE > run.svg                          # a scenario's space-time diagram
//! ballot link FILE                                        # a scenario's end state as a share link
//! ballot replay LINK                                      # replay a share link, print its fingerprint
//! ballot check PROTOCOL [--bfs|--dfs] [--max-term T] [--max-requests R] [--allow KINDS] [--bug NAME] [--json]
//! ballot check twopc --rms N --model twophase [--bfs|--dfs] [--max-states K] [--bug NAME] [--json]
//! ```
//!
//! Every command has `--help`. The command line is parsed by `clap`: numbers out of their
//! range and flags that exclude each other are refused (status 2), never clamped or ignored.
//! Output to a closed pipe (`ballot run … | head -n 1`) ends the command quietly with status
//! 141, as a process killed by `SIGPIPE` would. Errors quote at most [`EXCERPT`] characters of
//! any input.
//!
//! `PROTOCOL` is any name in the registry ([`ballot_engine::registry`]); the command names no
//! protocol itself: every protocol-generic command is a [`Visitor`] run through
//! [`registry::dispatch`].

use ballot_engine::registry::{self, Visitor};
use ballot_engine::Visual;
use ballot_sim::swarm::{run_seed, SwarmOptions};
use ballot_sim::{scenario, Protocol};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant as WallClock;

/// Run Ballot's protocol core: seed swarms, text scenarios, share links and benchmarks.
#[derive(Parser, Debug)]
#[command(name = "ballot", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print every registered protocol, one a line.
    Protocols,
    /// Run a seed swarm: random clusters, networks and faults, checked after every step.
    Swarm(SwarmArgs),
    /// Run text scenarios; prints one line per file and a summary.
    Run {
        /// Scenario files (`.scn`).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Most events each scenario may process before it fails (bounds the work of a file
        /// whose timers or messages are too dense).
        #[arg(long, value_name = "N", default_value_t = scenario::MAX_SCENARIO_EVENTS, value_parser = whole(1, u64::MAX))]
        max_events: u64,
        /// Also write each scenario's trace to this file (`-`: standard output), one event a
        /// line: time, step, envelope id, sender→recipient and label (ids for `drop message`).
        #[arg(long, value_name = "OUT")]
        trace: Option<PathBuf>,
    },
    /// Print the probes a scenario can read with `expect NAME ARGS = VALUE`: name, arguments, doc.
    Probes {
        /// The protocol (see `ballot protocols`).
        protocol: String,
    },
    /// Benchmarks of the engine.
    #[command(subcommand)]
    Bench(Bench),
    /// Run a scenario and print the share link of its final moment.
    Link {
        /// A scenario file.
        #[arg(value_name = "SCENARIO_FILE")]
        file: PathBuf,
    },
    /// Run a scenario and print its space-time diagram as SVG.
    Diagram {
        /// A scenario file.
        #[arg(value_name = "SCENARIO_FILE")]
        file: PathBuf,
    },
    /// Print the fingerprint of a fresh run after some events (the page must show the same).
    Fingerprint(FingerprintArgs),
    /// Replay a share link (the fragment or a whole URL) and print its fingerprint.
    Replay {
        /// The link, e.g. `#run=1.…`.
        link: String,
    },
    /// Model-check a protocol: visit every reachable state of its model and check each one.
    Check(check::CheckArgs),
}

#[derive(Args, Debug)]
struct SwarmArgs {
    /// The protocol (see `ballot protocols`).
    protocol: String,
    /// How many seeds to run.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = whole(1, u64::MAX))]
    seeds: u64,
    /// The first seed of the range.
    #[arg(long, value_name = "S", default_value_t = 1, value_parser = whole(0, u64::MAX))]
    first_seed: u64,
    /// Run this one seed, verbosely (reproduces a failure).
    #[arg(long, value_name = "S", conflicts_with_all = ["seeds", "first_seed"], value_parser = whole(0, u64::MAX))]
    seed: Option<u64>,
    /// Events in each seed's safety phase.
    #[arg(long, value_name = "M", default_value_t = SwarmOptions::default().steps, value_parser = whole(1, u64::MAX))]
    steps: u64,
    /// Run a deliberately broken variant (see `--list-bugs`).
    #[arg(long, value_name = "NAME")]
    bug: Option<String>,
    /// Print the protocol's broken variants, one a line.
    #[arg(long, conflicts_with_all = ["seeds", "first_seed", "seed", "steps", "bug"])]
    list_bugs: bool,
}

#[derive(Args, Debug)]
struct FingerprintArgs {
    /// The protocol (see `ballot protocols`).
    protocol: String,
    /// Nodes in the cluster, as the playground offers them.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = whole(u64::from(MIN_SIZE), u64::from(MAX_SIZE)))]
    size: u64,
    /// The run's seed.
    #[arg(long, value_name = "S", default_value_t = 1, value_parser = whole(0, u64::MAX))]
    seed: u64,
    /// Events to step before printing.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = whole(0, u64::MAX))]
    events: u64,
}

use ballot_engine::engine::{MAX_SIZE, MIN_SIZE};

/// Longest simulated run a benchmark accepts, in seconds (far below `Duration`'s limit).
const MAX_BENCH_SECONDS: u64 = 1_000_000_000;

#[derive(Subcommand, Debug)]
enum Bench {
    /// Engine speed on a classic 5-node Raft workload.
    Raft {
        /// Simulated seconds.
        #[arg(long, value_name = "N", default_value_t = 1000, value_parser = whole(1, MAX_BENCH_SECONDS))]
        seconds: u64,
        /// Fail below this many simulated seconds per wall second.
        #[arg(long, value_name = "X", value_parser = positive)]
        min_speed: Option<f64>,
    },
    /// Time-travel seek time and memory over a long playground run.
    Timeline {
        /// Simulated seconds.
        #[arg(long, value_name = "N", default_value_t = 3600, value_parser = whole(1, MAX_BENCH_SECONDS))]
        seconds: u64,
        /// Random moments to seek to.
        #[arg(long, value_name = "N", default_value_t = 500, value_parser = whole(1, 10_000_000))]
        seeks: u64,
        /// Most checkpoints the timeline keeps.
        #[arg(long, value_name = "N", default_value_t = ballot_sim::timeline::playground::MAX_CHECKPOINTS as u64, value_parser = whole(4, 100_000))]
        checkpoints: u64,
    },
}

/// A whole-number flag in `lo..=hi`: anything else is refused, naming the range.
fn whole(lo: u64, hi: u64) -> impl Fn(&str) -> Result<u64, String> + Clone + Send + Sync + 'static {
    move |s: &str| {
        let range = if hi == u64::MAX { format!("at least {lo}") } else { format!("from {lo} to {hi}") };
        match s.parse::<u64>() {
            Ok(n) if (lo..=hi).contains(&n) => Ok(n),
            _ => Err(format!("wants a whole number {range}")),
        }
    }
}

/// A finite number above zero.
fn positive(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(String::from("wants a number above 0")),
    }
}

/// Why a command stopped early.
enum Fail {
    /// An error to report on stderr (status 1).
    Error(String),
    /// A command line that asks for something that does not exist (status 2, as clap's own).
    Usage(String),
    /// Standard output was closed (`| head`): stop quietly.
    ClosedPipe,
}

impl From<String> for Fail {
    fn from(message: String) -> Self {
        Fail::Error(message)
    }
}

impl From<&str> for Fail {
    fn from(message: &str) -> Self {
        Fail::Error(message.to_string())
    }
}

impl From<std::io::Error> for Fail {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Fail::ClosedPipe
        } else {
            Fail::Error(format!("cannot write the output: {e}"))
        }
    }
}

type Done = Result<(), Fail>;

/// Writes `text` to standard output; a closed pipe becomes [`Fail::ClosedPipe`], not a panic.
fn write_out(text: std::fmt::Arguments<'_>) -> Done {
    std::io::stdout().lock().write_fmt(text).map_err(Fail::from)
}

/// `println!` that reports a closed pipe instead of panicking (use with `?`).
macro_rules! out {
    ($($arg:tt)*) => {
        write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

// After `out!`, which it uses.
mod check;

/// Writes to standard error, ignoring failures (there is nowhere left to report them).
fn write_err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// The most characters of any input an error quotes.
const EXCERPT: usize = 80;

/// `s`, or its first [`EXCERPT`] characters and `…`.
fn excerpt(s: &str) -> String {
    match s.char_indices().nth(EXCERPT) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}…", &s[..cut]),
    }
}

/// An error message with every quoted span (between backticks or single quotes) and every
/// long word cut to an [`excerpt`]: a 10 MB scenario line makes a short message.
fn tame(message: &str) -> String {
    let mut quoted = message.to_string();
    for quote in ['`', '\''] {
        let parts: Vec<String> = quoted
            .split(quote)
            .enumerate()
            .map(|(i, part)| if i % 2 == 1 { excerpt(part) } else { part.to_string() })
            .collect();
        quoted = parts.join(&quote.to_string());
    }
    quoted
        .split('\n')
        .map(|line| line.split(' ').map(excerpt).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The registered protocols, for help texts and errors.
fn protocol_names() -> String {
    registry::names().collect::<Vec<_>>().join(", ")
}

/// Runs `visitor` with the protocol called `name`, or says which names exist.
fn with_protocol<V: Visitor<Output = Result<T, Fail>>, T>(name: &str, visitor: V) -> Result<T, Fail> {
    registry::dispatch(name, visitor)
        .unwrap_or_else(|| Err(format!("unknown protocol `{name}` (known: {})", protocol_names()).into()))
}

fn main() -> ExitCode {
    let protocols = format!("PROTOCOL is one of: {} (`ballot protocols`)", protocol_names());
    let command = Cli::command()
        .after_help(protocols.clone())
        .mut_subcommand("swarm", |c| c.after_help(protocols.clone()))
        .mut_subcommand("fingerprint", |c| c.after_help(protocols.clone()))
        .mut_subcommand("probes", |c| c.after_help(protocols.clone()));
    let cli = match command.try_get_matches().and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            write_err(&tame(&e.render().to_string()));
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
        Err(e) => {
            // --help and --version: to stdout; a closed pipe only cuts them short.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    let result = match cli.command {
        Command::Protocols => registry::names().try_for_each(|name| out!("{name}")),
        Command::Swarm(args) => {
            let name = args.protocol.clone();
            with_protocol(&name, Swarm(args))
        }
        Command::Run { files, max_events, trace } => run_files(&files, max_events, trace.as_deref()),
        Command::Probes { protocol } => with_protocol(&protocol, ListProbes),
        Command::Bench(Bench::Raft { seconds, min_speed }) => bench(seconds, min_speed),
        Command::Bench(Bench::Timeline { seconds, seeks, checkpoints }) => {
            bench_timeline(seconds, seeks, checkpoints)
        }
        Command::Link { file } => link_of(&file),
        Command::Diagram { file } => diagram_of(&file),
        Command::Fingerprint(args) => {
            let name = args.protocol.clone();
            with_protocol(&name, Fingerprint(args))
        }
        Command::Replay { link } => replay(&link),
        Command::Check(args) => check::run(&args),
    };
    let result = result.and_then(|()| std::io::stdout().lock().flush().map_err(Fail::from));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::ClosedPipe) => ExitCode::from(141),
        Err(Fail::Error(message)) => {
            write_err(&format!("error: {}\n", tame(&message)));
            ExitCode::FAILURE
        }
        Err(Fail::Usage(message)) => {
            write_err(&format!("error: {}\n", tame(&message)));
            ExitCode::from(2)
        }
    }
}

/// Reads a scenario file.
fn read(file: &Path) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", excerpt(&file.display().to_string())))
}

/// `ballot swarm PROTOCOL …`.
struct Swarm(SwarmArgs);

impl Visitor for Swarm {
    type Output = Done;
    fn visit<P: Visual>(self) -> Self::Output {
        swarm::<P>(&self.0)
    }
}

/// The seeds a swarm runs, first and last (inclusive): distinct and within `u64`.
fn seed_range(args: &SwarmArgs) -> Result<(u64, u64), String> {
    match args.seed {
        Some(seed) => Ok((seed, seed)),
        None => {
            let last = args.first_seed.checked_add(args.seeds - 1).ok_or_else(|| {
                format!(
                    "--first-seed {} with --seeds {} runs past the last seed, {}: at most {} seeds start there",
                    args.first_seed,
                    args.seeds,
                    u64::MAX,
                    u64::MAX - args.first_seed + 1
                )
            })?;
            Ok((args.first_seed, last))
        }
    }
}

fn swarm<P: Protocol>(args: &SwarmArgs) -> Done {
    if args.list_bugs {
        return P::bug_names().iter().try_for_each(|name| out!("{name}"));
    }
    let options = SwarmOptions { steps: args.steps, bug: args.bug.clone(), ..SwarmOptions::default() };
    let (first, last) = seed_range(args)?;
    let count = last - first + 1;
    let single = args.seed.is_some();
    let started = WallClock::now();
    let mut failures = 0u64;
    let mut events = 0u64;
    for seed in first..=last {
        let report = run_seed::<P>(seed, &options)?;
        events += report.events;
        if single {
            out!(
                "seed {seed}: {} nodes, {} events, {} interventions, ended at {}",
                report.cluster_size,
                report.events,
                report.interventions,
                report.ended_at
            )?;
        }
        if report.passed() {
            continue;
        }
        failures += 1;
        for v in &report.violations {
            out!(
                "seed {seed}: VIOLATION of {} at {} (step {}) on {:?}: {}",
                v.property,
                v.at,
                v.step,
                v.nodes,
                v.detail
            )?;
        }
        if let Some(why) = &report.liveness_failure {
            out!("seed {seed}: LIVENESS failure: {why}")?;
        }
        let bug = options.bug.as_ref().map(|b| format!(" --bug {b}")).unwrap_or_default();
        out!("  reproduce: ballot swarm {} --seed {seed} --steps {}{bug}", P::NAME, options.steps)?;
    }
    let wall = started.elapsed().as_secs_f64();
    out!("({events} events in {wall:.2}s wall, {:.0} events/s)", events as f64 / wall.max(1e-9))?;
    if events == 0 {
        return Err(format!("the swarm ran no events in {count} seeds: nothing was checked").into());
    }
    out!("{count} seeds, {failures} violations")?;
    if failures == 0 {
        Ok(())
    } else {
        Err(format!("{failures} of {count} seeds failed").into())
    }
}

/// Prints a protocol's probes, one a line: name and arguments, then the doc line.
struct ListProbes;

impl Visitor for ListProbes {
    type Output = Done;
    fn visit<P: Visual>(self) -> Done {
        let width = P::probes().iter().map(|p| p.name.len() + 1 + p.args.len()).max().unwrap_or(0);
        for p in P::probes() {
            let call = if p.args.is_empty() { p.name.to_string() } else { format!("{} {}", p.name, p.args) };
            out!("{call:width$}  {}", p.doc)?;
        }
        Ok(())
    }
}

/// Runs a scenario: its expectations met, its end time, its fingerprint and (if asked, `.1`)
/// its trace as text.
struct RunScenario<'a>(&'a str, u64, bool);

/// Most trace events `ballot run --trace` keeps per scenario.
const TRACE_LIMIT: usize = 1_000_000;

impl Visitor for RunScenario<'_> {
    type Output = Result<(usize, ballot_core::Instant, u64, String), Fail>;
    fn visit<P: Visual>(self) -> Self::Output {
        scenario::run_with_limit::<P>(self.0, if self.2 { TRACE_LIMIT } else { 64 }, self.1)
            .map(|o| {
                let trace = if self.2 { trace_text(&o.world) } else { String::new() };
                (o.expectations_met, o.world.now(), o.world.fingerprint(), trace)
            })
            .map_err(|e| Fail::Error(e.to_string()))
    }
}

/// A world's kept trace, one event a line: `TIME step N #ID S1→S2 WHAT LABEL` for messages,
/// `TIME step N WHAT` (the feed's sentence) for everything else.
fn trace_text<P: Visual>(world: &ballot_sim::World<P>) -> String {
    use ballot_core::Narrate;
    use ballot_sim::trace::TraceKind as K;
    use std::fmt::Write as _;
    let mut out = String::new();
    for ev in world.trace() {
        let (id, from, to, label, what) = match &ev.kind {
            K::Sent { id, from, to, label } => (id, from, to, label, String::from("sent")),
            K::Delivered { id, from, to, label } => (id, from, to, label, String::from("delivered")),
            K::Dropped { id, from, to, label, reason } => {
                (id, from, to, label, format!("dropped ({})", reason.as_str()))
            }
            K::Held { id, from, to, label } => (id, from, to, label, String::from("held")),
            K::Released { id, from, to, label } => (id, from, to, label, String::from("released")),
            _ => {
                let _ =
                    writeln!(out, "{:>10} step {:<6} {}", ev.at, ev.step, ev.narrate(ballot_core::Lang::En));
                continue;
            }
        };
        let _ = writeln!(out, "{:>10} step {:<6} #{id} {from}→{to} {what} {label}", ev.at, ev.step);
    }
    out
}

/// Runs every file, reports each one (unreadable ones too) and ends with a summary; with
/// `trace`, writes each passing scenario's trace there (`-`: stdout).
fn run_files(files: &[PathBuf], max_events: u64, trace: Option<&Path>) -> Done {
    let mut sink: Option<Box<dyn Write>> = match trace {
        None => None,
        Some(p) if p.as_os_str() == "-" => Some(Box::new(std::io::stdout())),
        Some(p) => Some(Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| format!("cannot write {}: {e}", p.display()))?,
        ))),
    };
    let (mut passed, mut failed, mut unreadable) = (0usize, 0usize, 0usize);
    for path in files {
        let file = excerpt(&path.display().to_string());
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                out!("READ {file}: cannot read: {e}")?;
                unreadable += 1;
                continue;
            }
        };
        match with_protocol(&scenario::protocol_of(&text), RunScenario(&text, max_events, sink.is_some())) {
            Ok((met, now, fingerprint, trace)) => {
                passed += 1;
                if let Some(sink) = sink.as_mut() {
                    write!(sink, "# trace of {file}\n{trace}").map_err(Fail::from)?;
                }
                out!("ok   {file}: {met} expectations met, ended at {now}, fingerprint {fingerprint:016x}")?
            }
            Err(Fail::ClosedPipe) => return Err(Fail::ClosedPipe),
            Err(Fail::Error(e) | Fail::Usage(e)) => {
                failed += 1;
                out!("FAIL {file}: {}", tame(&e))?;
            }
        }
    }
    if let Some(mut sink) = sink {
        sink.flush().map_err(Fail::from)?;
    }
    if unreadable == 0 {
        out!("{passed} passed, {failed} failed")?;
    } else {
        out!("{passed} passed, {failed} failed, {unreadable} unreadable")?;
    }
    match (failed, unreadable) {
        (0, 0) => Ok(()),
        (_, 0) => Err(format!("{failed} scenario(s) failed").into()),
        _ => Err(format!("{failed} scenario(s) failed, {unreadable} file(s) unreadable").into()),
    }
}

fn bench(seconds: u64, min_speed: Option<f64>) -> Done {
    let started = WallClock::now();
    let counts = ballot_sim::bench::classic_raft(seconds, 1);
    let wall = started.elapsed().as_secs_f64().max(1e-9);
    out!("workload: 5 nodes, election 100-200ms, heartbeat 50ms, latency 10-15ms, 1 entry/AppendEntries, 1 request/50ms, all invariants checked every step")?;
    out!(
        "simulated {}s in {wall:.3}s wall: {:.0} simulated s per wall s, {:.0} messages delivered per wall s ({} events, {} delivered, {} requests, commit index {}, {} violations, fingerprint {:016x})",
        counts.simulated_secs,
        counts.simulated_secs as f64 / wall,
        counts.delivered as f64 / wall,
        counts.events,
        counts.delivered,
        counts.requests,
        counts.committed,
        counts.violations,
        counts.fingerprint
    )?;
    if counts.violations > 0 {
        return Err("the benchmark run broke a safety property".into());
    }
    if counts.committed < counts.requests / 2 {
        return Err(format!(
            "only {} of {} requests committed: the workload is not making progress",
            counts.committed, counts.requests
        )
        .into());
    }
    if let Some(min) = min_speed {
        let speed = counts.simulated_secs as f64 / wall;
        if speed < min {
            return Err(format!("{speed:.0} simulated s per wall s is below the required {min}").into());
        }
    }
    Ok(())
}

/// The fingerprint of a fresh run after `--events` events: the browser tests compare it with
/// the page's `data-fingerprint` after stepping as many events.
struct Fingerprint(FingerprintArgs);

impl Visitor for Fingerprint {
    type Output = Done;
    fn visit<P: Visual>(self) -> Self::Output {
        let args = self.0;
        let size = u8::try_from(args.size).map_err(|_| "--size is out of range")?;
        let mut world = ballot_sim::World::new(ballot_sim::SimConfig::<P>::new(size, args.seed));
        for _ in 0..args.events {
            world.step();
        }
        out!("{:016x}", world.fingerprint())
    }
}

/// Runs a scenario and prints its space-time diagram as SVG.
fn diagram_of(file: &Path) -> Done {
    let text = read(file)?;
    with_protocol(&scenario::protocol_of(&text), PrintDiagram(&text))
}

struct PrintDiagram<'a>(&'a str);

impl Visitor for PrintDiagram<'_> {
    type Output = Done;
    fn visit<P: Visual>(self) -> Self::Output {
        let outcome = scenario::run::<P>(self.0, 1_000_000).map_err(|e| e.to_string())?;
        let w = &outcome.world;
        let lang = ballot_core::Lang::En;
        let d = ballot_sim::diagram::build(w, ballot_core::Instant::ZERO, w.now(), lang);
        write_out(format_args!("{}", ballot_sim::diagram::to_svg(&d, 1000, lang)))
    }
}

/// Runs a scenario and prints the share link of its final moment.
fn link_of(file: &Path) -> Done {
    let text = read(file)?;
    with_protocol(&scenario::protocol_of(&text), PrintLink(&text))
}

struct PrintLink<'a>(&'a str);

impl Visitor for PrintLink<'_> {
    type Output = Done;
    fn visit<P: Visual>(self) -> Self::Output {
        let outcome = scenario::run::<P>(self.0, 0).map_err(|e| e.to_string())?;
        let link = ballot_sim::link::encode(&ballot_sim::link::SharedRun::of(&outcome.world))
            .map_err(|e| e.to_string())?;
        out!("#{link}")
    }
}

/// Replays a share link (the fragment, or a whole URL) and prints the state's fingerprint.
fn replay(link: &str) -> Done {
    let fragment = link.rsplit_once('#').map_or(link, |(_, f)| f);
    let protocol = ballot_sim::link::protocol_of(fragment).map_err(|e| e.to_string())?;
    with_protocol(&protocol, ReplayLink(fragment))
}

struct ReplayLink<'a>(&'a str);

impl Visitor for ReplayLink<'_> {
    type Output = Done;
    fn visit<P: Visual>(self) -> Self::Output {
        let run = ballot_sim::link::decode::<P>(self.0).map_err(|e| e.to_string())?;
        let world = run.replay(0);
        out!(
            "{} {} nodes, seed {}, {} interventions, at {} after {} events",
            P::NAME,
            world.cluster().size(),
            world.config().seed,
            world.history().len(),
            world.now(),
            world.events()
        )?;
        out!("fingerprint {:016x}", world.fingerprint())
    }
}

/// Counts live heap bytes, so the timeline benchmark can report its memory.
struct CountingAlloc;

static LIVE_BYTES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts sizes.
unsafe impl std::alloc::GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size(), std::sync::atomic::Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAlloc = CountingAlloc;

/// Seeks at random moments of an hour-long playground run: the issue's budget is one frame
/// (16 ms) per seek and 64 MB for the run and its checkpoints.
fn bench_timeline(seconds: u64, seeks: u64, checkpoints: u64) -> Done {
    let max_checkpoints = usize::try_from(checkpoints).map_err(|_| "--checkpoints is out of range")?;
    let before = LIVE_BYTES.load(std::sync::atomic::Ordering::Relaxed);
    let started = WallClock::now();
    let (live, timeline) = ballot_sim::bench::hour_with_timeline(seconds, max_checkpoints);
    let build = started.elapsed().as_secs_f64();
    let heap = LIVE_BYTES.load(std::sync::atomic::Ordering::Relaxed).saturating_sub(before);
    let mut rng = ballot_core::Prng::new(99);
    let mut times: Vec<f64> = Vec::new();
    for _ in 0..seeks {
        let t = ballot_core::Instant { micros: rng.below(live.now().micros.max(1)) };
        let s = WallClock::now();
        let w = timeline.seek(&live, t);
        times.push(s.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(w.fingerprint());
    }
    times.sort_by(f64::total_cmp);
    let max = times[times.len() - 1];
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    let p99 = times[(times.len() * 99 / 100).min(times.len() - 1)];
    out!(
        "timeline: {seconds}s simulated ({} events, {} interventions, log {}) built in {build:.2}s; {} checkpoints {}s apart; heap {:.1} MB",
        live.events(),
        live.history().len(),
        Protocol::progress(&live),
        timeline.len(),
        timeline.spacing().as_millis() / 1000,
        heap as f64 / 1e6
    )?;
    out!("seek ({seeks} random moments): mean {mean:.2} ms, p99 {p99:.2} ms, max {max:.2} ms (budget 16 ms, 64 MB)")?;
    if max > 16.0 {
        return Err(format!("a seek took {max:.2} ms, over the 16 ms frame budget").into());
    }
    if heap > 64_000_000 {
        return Err(format!("the run and its checkpoints use {:.1} MB, over 64 MB", heap as f64 / 1e6).into());
    }
    Ok(())
}
