//! `ballot check PROTOCOL --model NAME`: exhaustive model checking with `ballot-check`.
//!
//! Today one model exists, Gray & Lamport's `TwoPhase.tla` (`ballot check twopc --model
//! twophase`); any other protocol or model is refused with status 2. The text output ends with
//! the line `unique states: K`; `--json` prints one JSON object instead. Status: 0 when every
//! reachable state was checked and every property held, 1 when a property failed or a limit
//! (`--max-states`, `--max-depth`) stopped the search first, 2 for a usage error.

use crate::{whole, write_out, Done, Fail};
use ballot_check::models::twophase::{Bug, TwoPhase};
use ballot_check::{check, Model, Options, Outcome, Path, Report, Strategy, DEFAULT_MAX_STATES};
use clap::Args;
use std::fmt::Write as _;
use std::time::Instant as WallClock;

/// The most resource managers `--rms` accepts (6^10 ≈ 60 million states).
pub const MAX_RMS: u64 = 10;
/// The largest `--max-states` (memory grows by about 30 bytes a state).
pub const MAX_MAX_STATES: u64 = 1_000_000_000;

/// What exists today.
const ONLY: &str = "not yet: only `ballot check twopc --model twophase` exists";

#[derive(Args, Debug)]
#[command(after_help = after_help())]
pub struct CheckArgs {
    /// The protocol (today only `twopc`).
    pub protocol: String,
    /// The model of the protocol: `twophase` is Gray & Lamport's TwoPhase.tla (no timers, no
    /// crashes, no message loss).
    #[arg(long, value_name = "NAME", default_value = "twophase")]
    pub model: String,
    /// Resource managers (TwoPhase.tla's RM = {r1, …, rN}).
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = whole(1, MAX_RMS))]
    pub rms: u64,
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
    /// Check a deliberately broken variant (the check must catch it).
    #[arg(long, value_name = "NAME")]
    pub bug: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

fn after_help() -> String {
    let bugs: Vec<String> = Bug::ALL.iter().map(|b| format!("  {:<29} {}", b.name(), b.describe())).collect();
    format!(
        "Status: 0 every reachable state checked and every property held; 1 a property failed, or a limit stopped the check first; 2 usage error.\n\nBroken variants of twophase (--bug):\n{}",
        bugs.join("\n")
    )
}

/// Runs `ballot check`.
pub fn run(args: &CheckArgs) -> Done {
    if args.protocol != "twopc" {
        return Err(Fail::Usage(format!("`ballot check {}`: {ONLY}", args.protocol)));
    }
    if args.model != "twophase" {
        return Err(Fail::Usage(format!("`ballot check twopc --model {}`: {ONLY}", args.model)));
    }
    let mut model =
        TwoPhase::new(u8::try_from(args.rms).map_err(|_| Fail::Usage("--rms is out of range".into()))?);
    if let Some(name) = &args.bug {
        let bug = Bug::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Bug::ALL.iter().map(|b| b.name()).collect();
            Fail::Usage(format!("unknown bug `{name}` for twophase (known: {})", known.join(", ")))
        })?;
        model = model.with_bug(bug);
    }
    let options = Options {
        strategy: if args.dfs { Strategy::DepthFirst } else { Strategy::BreadthFirst },
        max_states: args.max_states,
        max_depth: args.max_depth.map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
    };
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

/// `s` as a JSON string literal.
fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\r' => q.push_str("\\r"),
            '\t' => q.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(q, "\\u{:04x}", c as u32);
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
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

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_json_strings() {
        assert_eq!(quote("a\"b\\c\nd\u{1}é"), "\"a\\\"b\\\\c\\nd\\u0001é\"");
    }
}
