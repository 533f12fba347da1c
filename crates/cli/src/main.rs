//! `ballot`: run Ballot's protocol core from the command line.
//!
//! ```text
//! ballot protocols                                        # every registered protocol, one a line
//! ballot swarm PROTOCOL --seeds N [--steps M] [--bug NAME] [--first-seed S]
//! ballot swarm PROTOCOL --seed S [--steps M] [--bug NAME] # reproduce one seed, verbosely
//! ballot swarm PROTOCOL --list-bugs
//! ballot run FILE...                                      # text scenarios
//! ballot bench raft [--seconds 1000]
//! ballot bench timeline [--seconds 3600]                   # time-travel seek time and memory
//! ballot fingerprint PROTOCOL --size 5 --seed 7 --events 20  # golden value the page must show
//! ballot diagram FILE > run.svg                          # a scenario's space-time diagram
//! ballot link FILE                                        # a scenario's end state as a share link
//! ballot replay LINK                                      # replay a share link, print its fingerprint
//! ```
//!
//! `PROTOCOL` is any name in the registry ([`ballot_engine::registry`]); the command names no
//! protocol itself: every protocol-generic command is a [`Visitor`] run through
//! [`registry::dispatch`].

use ballot_engine::registry::{self, Visitor};
use ballot_engine::Visual;
use ballot_sim::swarm::{run_seed, SwarmOptions};
use ballot_sim::{scenario, Protocol};
use std::process::ExitCode;
use std::time::Instant as WallClock;

const USAGE: &str = "usage:
  ballot protocols
  ballot swarm PROTOCOL --seeds N [--steps M] [--bug NAME] [--first-seed S]
  ballot swarm PROTOCOL --seed S [--steps M] [--bug NAME]
  ballot swarm PROTOCOL --list-bugs
  ballot run FILE...
  ballot bench raft [--seconds N]
  ballot bench timeline [--seconds 3600] [--seeks 500]
  ballot link SCENARIO_FILE
  ballot diagram SCENARIO_FILE > run.svg
  ballot fingerprint PROTOCOL [--size 5] [--seed 1] [--events 0]
  ballot replay LINK";

/// [`USAGE`] and the registered protocols.
fn usage() -> String {
    format!(
        "{USAGE}\nPROTOCOL is one of: {} (`ballot protocols`)",
        registry::names().collect::<Vec<_>>().join(", ")
    )
}

/// Runs `visitor` with the protocol called `name`, or says which names exist.
fn with_protocol<V: Visitor<Output = Result<T, String>>, T>(name: &str, visitor: V) -> Result<T, String> {
    registry::dispatch(name, visitor).unwrap_or_else(|| {
        Err(format!(
            "unknown protocol `{name}` (known: {})",
            registry::names().collect::<Vec<_>>().join(", ")
        ))
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match words.as_slice() {
        ["protocols"] => {
            registry::names().for_each(|name| println!("{name}"));
            Ok(())
        }
        ["swarm", name, rest @ ..] => with_protocol(name, Swarm(rest)),
        ["run", files @ ..] if !files.is_empty() => run_files(files),
        ["bench", "raft", rest @ ..] => bench(rest),
        ["bench", "timeline", rest @ ..] => bench_timeline(rest),
        ["link", file] => link_of(file),
        ["diagram", file] => diagram_of(file),
        ["fingerprint", name, rest @ ..] => with_protocol(name, Fingerprint(rest)),
        ["replay", link] => replay(link),
        ["help" | "--help" | "-h"] => {
            println!("{}", usage());
            Ok(())
        }
        _ => Err(format!("unknown command\n{}", usage())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Reads `--name value` pairs and bare `--flag`s.
struct Flags<'a> {
    pairs: Vec<(&'a str, Option<&'a str>)>,
}

impl<'a> Flags<'a> {
    fn parse(words: &[&'a str], with_value: &[&str], bare: &[&str]) -> Result<Self, String> {
        let mut pairs = Vec::new();
        let mut it = words.iter();
        while let Some(w) = it.next() {
            if with_value.contains(w) {
                let v = it.next().ok_or_else(|| format!("{w} needs a value"))?;
                pairs.push((*w, Some(*v)));
            } else if bare.contains(w) {
                pairs.push((*w, None));
            } else {
                return Err(format!("unexpected argument `{w}`\n{}", usage()));
            }
        }
        Ok(Flags { pairs })
    }

    fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(n, _)| *n == name)
    }

    fn value(&self, name: &str) -> Option<&'a str> {
        self.pairs.iter().rev().find(|(n, _)| *n == name).and_then(|(_, v)| *v)
    }

    fn number(&self, name: &str, default: u64) -> Result<u64, String> {
        match self.value(name) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| format!("{name} wants a whole number, got `{v}`")),
        }
    }
}

/// `ballot swarm PROTOCOL …` with the words after the protocol.
struct Swarm<'a>(&'a [&'a str]);

impl Visitor for Swarm<'_> {
    type Output = Result<(), String>;
    fn visit<P: Visual>(self) -> Self::Output {
        swarm::<P>(self.0)
    }
}

fn swarm<P: Protocol>(words: &[&str]) -> Result<(), String> {
    let flags =
        Flags::parse(words, &["--seeds", "--steps", "--bug", "--first-seed", "--seed"], &["--list-bugs"])?;
    if flags.has("--list-bugs") {
        for name in P::bug_names() {
            println!("{name}");
        }
        return Ok(());
    }
    let options = SwarmOptions {
        steps: flags.number("--steps", SwarmOptions::default().steps)?,
        bug: flags.value("--bug").map(str::to_string),
        ..SwarmOptions::default()
    };
    let single = flags
        .value("--seed")
        .map(|s| s.parse::<u64>().map_err(|_| format!("--seed wants a number, got `{s}`")))
        .transpose()?;
    let (first, count) = match single {
        Some(seed) => (seed, 1),
        None => (flags.number("--first-seed", 1)?, flags.number("--seeds", 100)?),
    };
    let started = WallClock::now();
    let mut failures = 0u64;
    let mut events = 0u64;
    for seed in first..first.saturating_add(count) {
        let report = run_seed::<P>(seed, &options)?;
        events += report.events;
        if single.is_some() {
            println!(
                "seed {seed}: {} nodes, {} events, {} interventions, ended at {}",
                report.cluster_size, report.events, report.interventions, report.ended_at
            );
        }
        if report.passed() {
            continue;
        }
        failures += 1;
        for v in &report.violations {
            println!(
                "seed {seed}: VIOLATION of {} at {} (step {}) on {:?}: {}",
                v.property, v.at, v.step, v.nodes, v.detail
            );
        }
        if let Some(why) = &report.liveness_failure {
            println!("seed {seed}: LIVENESS failure: {why}");
        }
        let bug = options.bug.as_ref().map(|b| format!(" --bug {b}")).unwrap_or_default();
        println!("  reproduce: ballot swarm {} --seed {seed} --steps {}{bug}", P::NAME, options.steps);
    }
    let wall = started.elapsed().as_secs_f64();
    println!("({events} events in {wall:.2}s wall, {:.0} events/s)", events as f64 / wall.max(1e-9));
    println!("{count} seeds, {failures} violations");
    if failures == 0 {
        Ok(())
    } else {
        Err(format!("{failures} of {count} seeds failed"))
    }
}

/// Runs a scenario: its expectations met, its end time and its fingerprint.
struct RunScenario<'a>(&'a str);

impl Visitor for RunScenario<'_> {
    type Output = Result<(usize, ballot_core::Instant, u64), String>;
    fn visit<P: Visual>(self) -> Self::Output {
        scenario::run::<P>(self.0, 64)
            .map(|o| (o.expectations_met, o.world.now(), o.world.fingerprint()))
            .map_err(|e| e.to_string())
    }
}

fn run_files(files: &[&str]) -> Result<(), String> {
    let mut failed = 0;
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
        let outcome = with_protocol(&scenario::protocol_of(&text), RunScenario(&text));
        match outcome {
            Ok((met, now, fingerprint)) => {
                println!(
                    "ok   {file}: {met} expectations met, ended at {now}, fingerprint {fingerprint:016x}"
                )
            }
            Err(e) => {
                println!("FAIL {file}: {e}");
                failed += 1;
            }
        }
    }
    println!("{} passed, {failed} failed", files.len() - failed);
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} scenario(s) failed"))
    }
}

fn bench(words: &[&str]) -> Result<(), String> {
    let flags = Flags::parse(words, &["--seconds", "--min-speed"], &[])?;
    let seconds = flags.number("--seconds", 1000)?;
    let started = WallClock::now();
    let counts = ballot_sim::bench::classic_raft(seconds, 1);
    let wall = started.elapsed().as_secs_f64().max(1e-9);
    println!("workload: 5 nodes, election 100-200ms, heartbeat 50ms, latency 10-15ms, 1 entry/AppendEntries, 1 request/50ms, all invariants checked every step");
    println!(
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
    );
    if counts.violations > 0 {
        return Err(String::from("the benchmark run broke a safety property"));
    }
    if counts.committed < counts.requests / 2 {
        return Err(format!(
            "only {} of {} requests committed: the workload is not making progress",
            counts.committed, counts.requests
        ));
    }
    if let Some(min) = flags.value("--min-speed") {
        let min: f64 = min.parse().map_err(|_| "--min-speed wants a number")?;
        let speed = counts.simulated_secs as f64 / wall;
        if speed < min {
            return Err(format!("{speed:.0} simulated s per wall s is below the required {min}"));
        }
    }
    Ok(())
}

/// The fingerprint of a fresh run after `--events` events: the browser tests compare it with
/// the page's `data-fingerprint` after stepping as many events.
struct Fingerprint<'a>(&'a [&'a str]);

impl Visitor for Fingerprint<'_> {
    type Output = Result<(), String>;
    fn visit<P: Visual>(self) -> Self::Output {
        fingerprint::<P>(self.0)
    }
}

fn fingerprint<P: Protocol>(words: &[&str]) -> Result<(), String> {
    let flags = Flags::parse(words, &["--size", "--seed", "--events"], &[])?;
    let size = u8::try_from(flags.number("--size", 5)?).map_err(|_| "--size is 1 to 9")?;
    let mut world = ballot_sim::World::new(ballot_sim::SimConfig::<P>::new(size, flags.number("--seed", 1)?));
    for _ in 0..flags.number("--events", 0)? {
        world.step();
    }
    println!("{:016x}", world.fingerprint());
    Ok(())
}

/// Runs a scenario and prints its space-time diagram as SVG.
fn diagram_of(file: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    with_protocol(&scenario::protocol_of(&text), PrintDiagram(&text))
}

struct PrintDiagram<'a>(&'a str);

impl Visitor for PrintDiagram<'_> {
    type Output = Result<(), String>;
    fn visit<P: Visual>(self) -> Self::Output {
        let outcome = scenario::run::<P>(self.0, 1_000_000).map_err(|e| e.to_string())?;
        let w = &outcome.world;
        let lang = ballot_core::Lang::En;
        let d = ballot_sim::diagram::build(w, ballot_core::Instant::ZERO, w.now(), lang);
        print!("{}", ballot_sim::diagram::to_svg(&d, 1000, lang));
        Ok(())
    }
}

/// Runs a scenario and prints the share link of its final moment.
fn link_of(file: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    with_protocol(&scenario::protocol_of(&text), PrintLink(&text))
}

struct PrintLink<'a>(&'a str);

impl Visitor for PrintLink<'_> {
    type Output = Result<(), String>;
    fn visit<P: Visual>(self) -> Self::Output {
        let outcome = scenario::run::<P>(self.0, 0).map_err(|e| e.to_string())?;
        let link = ballot_sim::link::encode(&ballot_sim::link::SharedRun::of(&outcome.world))
            .map_err(|e| e.to_string())?;
        println!("#{link}");
        Ok(())
    }
}

/// Replays a share link (the fragment, or a whole URL) and prints the state's fingerprint.
fn replay(link: &str) -> Result<(), String> {
    let fragment = link.rsplit_once('#').map_or(link, |(_, f)| f);
    let protocol = ballot_sim::link::protocol_of(fragment).map_err(|e| e.to_string())?;
    with_protocol(&protocol, ReplayLink(fragment))
}

struct ReplayLink<'a>(&'a str);

impl Visitor for ReplayLink<'_> {
    type Output = Result<(), String>;
    fn visit<P: Visual>(self) -> Self::Output {
        let run = ballot_sim::link::decode::<P>(self.0).map_err(|e| e.to_string())?;
        let world = run.replay(0);
        println!(
            "{} {} nodes, seed {}, {} interventions, at {} after {} events",
            P::NAME,
            world.cluster().size(),
            world.config().seed,
            world.history().len(),
            world.now(),
            world.events()
        );
        println!("fingerprint {:016x}", world.fingerprint());
        Ok(())
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
fn bench_timeline(words: &[&str]) -> Result<(), String> {
    let flags = Flags::parse(words, &["--seconds", "--seeks", "--checkpoints"], &[])?;
    let seconds = flags.number("--seconds", 3600)?;
    let seeks = flags.number("--seeks", 500)?.max(1);
    let max_checkpoints =
        flags.number("--checkpoints", ballot_sim::timeline::playground::MAX_CHECKPOINTS as u64)? as usize;
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
    println!(
        "timeline: {seconds}s simulated ({} events, {} interventions, log {}) built in {build:.2}s; {} checkpoints {}s apart; heap {:.1} MB",
        live.events(),
        live.history().len(),
        Protocol::progress(&live),
        timeline.len(),
        timeline.spacing().as_millis() / 1000,
        heap as f64 / 1e6
    );
    println!("seek ({seeks} random moments): mean {mean:.2} ms, p99 {p99:.2} ms, max {max:.2} ms (budget 16 ms, 64 MB)");
    if max > 16.0 {
        return Err(format!("a seek took {max:.2} ms, over the 16 ms frame budget"));
    }
    if heap > 64_000_000 {
        return Err(format!("the run and its checkpoints use {:.1} MB, over 64 MB", heap as f64 / 1e6));
    }
    Ok(())
}
