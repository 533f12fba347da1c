//! The page's *Check* panel: `ballot check` in a Web Worker of its own, `engine-check` (every
//! registered protocol in one wasm module, which `web/check-panel.js` starts only when the panel
//! opens; the protocols' own engines do not carry this code).
//!
//! The panel speaks text, not the postcard wire of [`crate::wire`]: a request is a query string
//! (`op=run&bug=…&nodes=3&max_term=2&…`), a reply is one JSON object, and while a search runs the
//! worker posts progress objects. [`answer`] reads a request and writes the reply:
//!
//! - `op=describe`: the protocol's defaults for the chosen broken variant (bounds and allowed
//!   steps, as [`Protocol::check_defaults`] picks them), its *goals* ([`Visual::GOALS`]: "find an
//!   example" questions such as "a value is chosen") and its properties, in the page's language.
//! - `op=run`: the search ([`ballot_check::check_with_progress`] over [`SimModel`], breadth- or
//!   depth-first, within the bounds and a state limit). With `goal=K` it looks for a state where
//!   goal `K` holds instead of a violation ([`SimModel::with_goal`]: "not reached yet" is the one invariant, so
//!   breadth-first search finds a shortest example). The reply has the outcome, the counts and,
//!   for a violation or an example, the run as a share link (`run=1.…`, opened by the page like
//!   any link, paused at its last step) with every step in words, the properties broken after
//!   it and the link of the run up to it.
//!
//! The engine has no clock: the panel times the search and computes states per second.

use crate::texts;
use crate::Visual;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use ballot_check::{check_with_progress, Options, Outcome, Path, Progress, Strategy};
use ballot_core::Lang;
use ballot_sim::check::{Allow, Bounds, SimModel, SimState};
use ballot_sim::{Action, SimConfig};
use core::fmt::Write as _;

/// A reachability question the panel offers ("find an example"): an `expect` line of the
/// protocol's scenario language ([`Protocol::expect`]) that some reachable state should satisfy.
#[derive(Clone, Copy, Debug)]
pub struct Goal {
    /// The expectation, as a scenario writes it after `expect` (`chosen x=1`).
    pub expect: &'static str,
    /// The least `max_term` the question needs (raised to it if the bounds are lower).
    pub min_term: u64,
    /// The question in English.
    pub en: &'static str,
    /// The question in Chinese.
    pub zh: &'static str,
}

/// The most unique states the panel may ask for (each costs about 40 bytes plus the frontier's
/// worlds).
pub const MAX_STATES: u64 = 5_000_000;
/// The panel's default state limit.
pub const DEFAULT_STATES: u64 = 500_000;
/// Progress is posted after this many expanded states.
pub const PROGRESS_EVERY: u64 = 2048;

/// One request of the panel, read from its query string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    op: Op,
    lang: Lang,
    bug: Option<String>,
    nodes: u8,
    depth_first: bool,
    max_states: u64,
    max_depth: Option<u32>,
    goal: Option<usize>,
    bounds: [Option<u64>; 6],
    allow: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Describe,
    Run,
}

/// The bounds' names in queries and replies, in the order of [`Query::bounds`].
const BOUND_NAMES: [&str; 6] =
    ["max_term", "max_requests", "max_crashes", "max_losses", "max_duplicates", "max_in_flight"];
/// The largest value each bound takes (as `ballot check`'s flags).
const BOUND_MAX: [u64; 6] = [1000, 20, 20, 20, 20, 64];

impl Query {
    /// Reads `op=…&key=value&…`; every key is checked, nothing is trusted.
    pub fn parse(text: &str) -> Result<Query, String> {
        let mut q = Query {
            op: Op::Describe,
            lang: Lang::En,
            bug: None,
            nodes: 3,
            depth_first: false,
            max_states: DEFAULT_STATES,
            max_depth: None,
            goal: None,
            bounds: [None; 6],
            allow: None,
        };
        for pair in text.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            if !value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b',') {
                return Err(format!("`{key}` has a value with characters the panel never sends"));
            }
            let number =
                |max: u64| -> Result<u64, String> {
                    value.parse::<u64>().ok().filter(|n| *n <= max).ok_or_else(|| {
                        format!("`{key}` must be a whole number from 0 to {max}, not `{value}`")
                    })
                };
            match key {
                "op" => {
                    q.op = match value {
                        "describe" => Op::Describe,
                        "run" => Op::Run,
                        _ => return Err(format!("unknown op `{value}`")),
                    }
                }
                // Which engine answers (the one worker serves every protocol): read by the caller.
                "protocol" => {}
                "lang" => q.lang = if value == "zh" { Lang::Zh } else { Lang::En },
                "bug" => q.bug = (!value.is_empty()).then(|| String::from(value)),
                "nodes" => {
                    q.nodes = number(7).and_then(|n| {
                        if n >= 1 {
                            Ok(n as u8)
                        } else {
                            Err(String::from("`nodes` must be 1 to 7"))
                        }
                    })?
                }
                "search" => q.depth_first = value == "dfs",
                "max_states" => q.max_states = number(MAX_STATES)?.max(1),
                "max_depth" => {
                    q.max_depth = if value.is_empty() { None } else { Some(number(10_000)? as u32) }
                }
                "goal" => q.goal = if value.is_empty() { None } else { Some(number(64)? as usize) },
                "allow" => q.allow = Some(String::from(value)),
                _ => match BOUND_NAMES.iter().position(|b| *b == key) {
                    Some(i) => {
                        q.bounds[i] = if value.is_empty() { None } else { Some(number(BOUND_MAX[i])?) }
                    }
                    None => return Err(format!("unknown key `{key}`")),
                },
            }
        }
        Ok(q)
    }
}

/// Answers one request of the panel (a query string) with a JSON object; `progress` receives
/// a JSON object now and then while a search runs.
pub fn answer<P: Visual>(text: &str, progress: &mut dyn FnMut(&str)) -> String {
    let result = Query::parse(text).and_then(|q| match q.op {
        Op::Describe => describe_protocol::<P>(&q),
        Op::Run => run::<P>(&q, progress),
    });
    result.unwrap_or_else(|e| format!("{{\"error\":{}}}", quote(&e)))
}

/// The model a query asks for: its configuration, bounds and allowed steps.
fn model<P: Visual>(q: &Query) -> Result<SimModel<P>, String> {
    let mut config = SimConfig::<P>::new(q.nodes, 0);
    if let Some(bug) = &q.bug {
        P::set_bug(&mut config.node, bug)?;
    }
    P::check_cluster(&config.node, config.cluster)?;
    let (d, mut allow) = P::check_defaults(q.bug.as_deref());
    if let Some(kinds) = &q.allow {
        allow = Allow::parse(if kinds.is_empty() { "none" } else { kinds })?;
    }
    let pick = |i: usize, default: u64| q.bounds[i].unwrap_or(default);
    let narrow = |v: u64| u8::try_from(v).unwrap_or(u8::MAX);
    let mut bounds = Bounds {
        max_term: pick(0, d.max_term),
        max_requests: narrow(pick(1, u64::from(d.max_requests))),
        max_crashes: narrow(pick(2, u64::from(d.max_crashes))),
        max_losses: narrow(pick(3, u64::from(d.max_losses))),
        max_duplicates: narrow(pick(4, u64::from(d.max_duplicates))),
        max_in_flight: u32::try_from(pick(5, u64::from(d.max_in_flight))).unwrap_or(64).max(1),
    };
    if let Some(goal) = q.goal {
        let goal = P::GOALS.get(goal).ok_or("there is no such goal")?;
        bounds.max_term = bounds.max_term.max(goal.min_term);
    }
    let model = SimModel::new(config, bounds, allow);
    // A safety check of a broken variant starts where the protocol says it should
    // (`SimModel::default_start`); a question starts at the initial state.
    if q.goal.is_some() {
        Ok(model)
    } else {
        model.starting_at_default()
    }
}

fn bounds_json(b: &Bounds) -> String {
    let values = [
        b.max_term,
        u64::from(b.max_requests),
        u64::from(b.max_crashes),
        u64::from(b.max_losses),
        u64::from(b.max_duplicates),
        u64::from(b.max_in_flight),
    ];
    let fields: Vec<String> = BOUND_NAMES.iter().zip(values).map(|(n, v)| format!("\"{n}\":{v}")).collect();
    format!("{{{}}}", fields.join(","))
}

fn describe_protocol<P: Visual>(q: &Query) -> Result<String, String> {
    let model = model::<P>(q)?;
    let goals: Vec<String> = P::GOALS
        .iter()
        .map(|g| {
            quote(match q.lang {
                Lang::En => g.en,
                Lang::Zh => g.zh,
            })
        })
        .collect();
    Ok(format!(
        "{{\"protocol\":\"{}\",\"bounds\":{},\"allow\":{},\"goals\":[{}],\"properties\":[{}],\"max_states\":{DEFAULT_STATES},\"start\":{}}}",
        P::NAME,
        bounds_json(&model.bounds()),
        quote(&model.allow().words()),
        goals.join(","),
        property_names::<P>(&model, q.lang).join(","),
        model.known_start().map_or_else(|| String::from("null"), |s| quote(s.why(q.lang))),
    ))
}

fn property_names<P: Visual>(model: &SimModel<P>, lang: Lang) -> Vec<String> {
    model.safety_properties().iter().map(|p| quote(&texts::property(lang, p, P::PROPERTIES))).collect()
}

fn run<P: Visual>(q: &Query, progress: &mut dyn FnMut(&str)) -> Result<String, String> {
    let mut model = model::<P>(q)?;
    let goal = match q.goal {
        Some(i) => Some(P::GOALS.get(i).ok_or("there is no such goal")?.expect),
        None => None,
    };
    if let Some(goal) = goal {
        model = model.with_goal(goal);
    }
    let options = Options {
        strategy: if q.depth_first { Strategy::DepthFirst } else { Strategy::BreadthFirst },
        max_states: q.max_states,
        max_depth: q.max_depth,
    };
    let mut report_progress = |p: Progress| {
        progress(&format!(
            "{{\"states\":{},\"generated\":{},\"depth\":{},\"frontier\":{}}}",
            p.unique_states, p.generated, p.depth, p.frontier
        ));
    };
    let report = check_with_progress(&model, &options, PROGRESS_EVERY, &mut report_progress);
    let mut out = String::new();
    let (outcome, property) = match (&report.outcome, goal) {
        (Outcome::Complete, None) => ("complete", None),
        (Outcome::Complete, Some(_)) => ("no-example", None),
        (Outcome::DepthLimit { .. }, _) => ("depth-limit", None),
        (Outcome::StateLimit { .. }, _) => ("state-limit", None),
        (Outcome::Violation { .. }, Some(_)) => ("example", None),
        (Outcome::Violation { property, .. }, None) => ("violation", Some(*property)),
    };
    let _ = write!(
        out,
        "{{\"outcome\":\"{outcome}\",\"states\":{},\"generated\":{},\"depth\":{},\"bounds\":{},\"properties\":[{}]",
        report.unique_states,
        report.generated,
        report.max_depth,
        bounds_json(&model.bounds()),
        property_names::<P>(&model, q.lang).join(","),
    );
    if let Some(property) = property {
        let _ = write!(out, ",\"property\":{}", quote(&texts::property(q.lang, property, P::PROPERTIES)));
    }
    if let Outcome::Violation { path, .. } = &report.outcome {
        let link = model.link(&path.steps.iter().map(|(a, _)| a.clone()).collect::<Vec<_>>());
        let link = link.map_err(|e| format!("the run cannot be shared: {e}"))?;
        let _ =
            write!(out, ",\"link\":{},\"steps\":[{}]", quote(&link), steps(&model, path, q.lang).join(","));
    }
    out.push('}');
    Ok(out)
}

/// Each step of a found run: what happened, with what the nodes said ([`SimModel::narrate`]),
/// the safety properties broken in the state it led to (their indexes in the model's list) and
/// the link of the run up to it.
fn steps<P: Visual>(
    model: &SimModel<P>,
    path: &Path<SimState<P>, Action<P::Node>>,
    lang: Lang,
) -> Vec<String> {
    let actions: Vec<Action<P::Node>> = path.steps.iter().map(|(a, _)| a.clone()).collect();
    let words = model.narrate(&actions, lang);
    let properties = model.safety_properties();
    path.steps
        .iter()
        .zip(words)
        .enumerate()
        .map(|(i, ((_, state), what))| {
            let broken: Vec<String> = properties
                .iter()
                .enumerate()
                .filter(|(_, name)| state.world.violations().iter().any(|v| v.property == **name))
                .map(|(k, _)| k.to_string())
                .collect();
            let link = model.link(&actions[..=i]).unwrap_or_default();
            format!(
                "{{\"what\":{},\"broken\":[{}],\"link\":{}}}",
                quote(&what),
                broken.join(","),
                quote(&link)
            )
        })
        .collect()
}

/// `s` as a JSON string literal.
pub fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(q, "\\u{:04x}", c as u32);
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballot_sim::protocols::{Paxos, Raft, TwoPc};
    use ballot_sim::World;

    fn ask<P: Visual>(text: &str) -> (String, Vec<String>) {
        let mut progress = Vec::new();
        let reply = answer::<P>(text, &mut |p| progress.push(String::from(p)));
        (reply, progress)
    }

    #[test]
    fn describe_gives_the_defaults_goals_and_properties() {
        let (reply, _) = ask::<Raft>("op=describe&lang=en");
        assert!(reply.contains("\"bounds\":{\"max_term\":"), "{reply}");
        assert!(reply.contains("Election Safety"), "{reply}");
        assert!(reply.contains("\"goals\":[\""), "{reply}");
        let (zh, _) = ask::<Raft>("op=describe&lang=zh");
        assert_ne!(reply, zh);
    }

    #[test]
    fn bad_queries_are_refused_with_a_reason() {
        for bad in [
            "op=fly",
            "op=run&nodes=0",
            "op=run&nodes=99",
            "op=run&max_term=x",
            "op=run&what=1",
            "op=run&bug=no-such-bug",
            "op=run&goal=63",
            "op=run&bug=%3Cscript",
        ] {
            let (reply, _) = ask::<Raft>(bad);
            assert!(reply.starts_with("{\"error\":"), "{bad}: {reply}");
        }
    }

    #[test]
    fn a_broken_variant_yields_a_counterexample_with_links_and_per_step_properties() {
        let (reply, progress) = ask::<Paxos>("op=run&bug=ignore-promised-values&lang=en");
        assert!(reply.contains("\"outcome\":\"violation\""), "{reply}");
        assert!(reply.contains("\"property\":\"Agreement\""), "{reply}");
        assert!(reply.contains("\"link\":\"run=1."), "{reply}");
        // The first step breaks nothing; the last breaks Agreement, and every step has its link.
        assert!(reply.contains("\"steps\":[{\"what\":"), "{reply}");
        let broken: Vec<&str> = reply.split("\"broken\":").skip(1).collect();
        assert!(broken[0].starts_with("[]"), "{reply}");
        assert!(!broken[broken.len() - 1].starts_with("[]"), "{reply}");
        assert_eq!(reply.matches("\"link\":\"run=1.").count(), broken.len() + 1, "{reply}");
        assert!(!progress.is_empty());
    }

    #[test]
    fn the_correct_protocol_checks_clean_and_reports_progress() {
        let (reply, progress) = ask::<TwoPc>("op=run");
        assert!(reply.contains("\"outcome\":\"complete\""), "{reply}");
        assert!(!reply.contains("\"link\""), "{reply}");
        assert!(!progress.is_empty());
        assert!(progress[0].starts_with("{\"states\":"), "{}", progress[0]);
    }

    struct EveryGoal;
    impl crate::Visitor for EveryGoal {
        type Output = ();
        fn visit<P: Visual>(self) {
            assert!(!P::GOALS.is_empty(), "{} offers no goal", P::NAME);
            for (i, goal) in P::GOALS.iter().enumerate() {
                // Every goal's expectation is one the protocol reads.
                let world = World::new(SimConfig::<P>::new(3, 0));
                let words: Vec<&str> = goal.expect.split(' ').collect();
                if let Err(e) = P::expect(&world, &words) {
                    assert!(
                        !e.contains("expected") && !e.contains("write") && !e.contains("unknown"),
                        "{}: {e}",
                        goal.expect
                    );
                }
                let (reply, _) = ask::<P>(&format!("op=run&goal={i}&max_requests=1"));
                assert!(reply.contains("\"outcome\":\"example\""), "{} {}: {reply}", P::NAME, goal.expect);
                assert!(!reply.contains("\"property\""), "{reply}");
            }
        }
    }

    #[test]
    fn a_goal_is_found_as_a_shortest_example_or_reported_unreachable() {
        for name in crate::registry::names() {
            crate::registry::dispatch(name, EveryGoal).unwrap();
        }
        // No request: nothing can be committed.
        let commit = Raft::GOALS.iter().position(|g| g.expect.starts_with("committed")).unwrap();
        let (reply, _) = ask::<Raft>(&format!("op=run&goal={commit}&max_requests=0"));
        assert!(reply.contains("\"outcome\":\"no-example\""), "{reply}");
        // A state limit is said as such.
        let (reply, _) = ask::<Raft>("op=run&max_states=50");
        assert!(reply.contains("\"outcome\":\"state-limit\""), "{reply}");
    }
}
