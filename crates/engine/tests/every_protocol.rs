//! Every registered protocol, table-driven. Each check is a [`Visitor`] run for every name in
//! [`registry::names`]: a protocol added to the registry is checked here without an edit, and
//! this file names none.
//!
//! For each protocol:
//!
//! | test | holds when |
//! |---|---|
//! | [`every_scenario_passes`] | `scenarios/<name>/*.scn` exist and every one runs with its expectations met |
//! | [`a_swarm_of_the_correct_protocol_is_clean`] | [`CLEAN_SEEDS`] seeds × [`STEPS`] events: no violation, no liveness failure |
//! | [`every_broken_variant_is_caught_by_its_property`] | each bug's first caught seed (within [`BUG_SEEDS`]) violates the property the bug breaks ([`Protocol::bug_property`]) |
//! | [`share_links_round_trip`] | each scenario's end, shared as a link, replays to the same fingerprint |
//! | [`the_view_renders_in_both_languages`] | its engine starts and advances, showing every node with a role, its panels, properties and broken variants |
//!
//! `cargo test -p ballot-engine --test every_protocol -- --nocapture` also prints which seed
//! catches which broken variant.

use std::path::{Path, PathBuf};

use ballot_core::Lang;
use ballot_engine::engine::engine_for;
use ballot_engine::registry::{self, Visitor};
use ballot_engine::wire::{Envelope, Outcome, Reply, Request, RunSetup};
use ballot_engine::Visual;
use ballot_sim::link::{self, SharedRun};
use ballot_sim::swarm::{run_seed, SwarmOptions};
use ballot_sim::{scenario, Protocol, SimConfig, World};

/// Seeds of the clean swarm.
const CLEAN_SEEDS: u64 = 40;
/// Events in each swarm seed's safety phase.
const STEPS: u64 = 2_000;
/// Most seeds a broken variant may run before it must have been caught.
const BUG_SEEDS: u64 = 400;

/// Runs `check` with every registered protocol.
fn for_every_protocol<V: Visitor<Output = ()> + Copy>(check: V) {
    let names: Vec<&str> = registry::names().collect();
    assert!(!names.is_empty(), "the registry lists no protocol");
    for name in names {
        registry::dispatch(name, check)
            .unwrap_or_else(|| panic!("`{name}` is registered but does not dispatch"));
    }
}

fn scenarios_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

/// `scenarios/<P::NAME>/*.scn` with their texts, in name order; a protocol must have one.
fn scenarios_of<P: Protocol>() -> Vec<(PathBuf, String)> {
    let dir = scenarios_root().join(P::NAME);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (every registered protocol has scenarios)", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "scn"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: no .scn file (every registered protocol has a scenario)", dir.display());
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, text)
        })
        .collect()
}

/// Runs a scenario that must pass, returning its end.
fn run_scenario<P: Protocol>(path: &Path, text: &str) -> World<P> {
    match scenario::run::<P>(text, 0) {
        Ok(outcome) => outcome.world,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

#[derive(Clone, Copy)]
struct ScenariosPass;

impl Visitor for ScenariosPass {
    type Output = ();
    fn visit<P: Visual>(self) {
        for (path, text) in scenarios_of::<P>() {
            assert_eq!(
                scenario::protocol_of(&text),
                P::NAME,
                "{}: filed under another protocol",
                path.display()
            );
            run_scenario::<P>(&path, &text);
        }
    }
}

#[test]
fn every_scenario_passes() {
    for_every_protocol(ScenariosPass);
}

#[test]
fn every_scenario_directory_is_a_registered_protocol() {
    for dir in std::fs::read_dir(scenarios_root()).expect("scenarios/") {
        let dir = dir.expect("a directory entry").path();
        let name = dir.file_name().and_then(|n| n.to_str()).expect("a UTF-8 name");
        assert!(registry::info(name).is_some(), "scenarios/{name}: no such protocol in the registry");
    }
}

#[derive(Clone, Copy)]
struct CleanSwarm;

impl Visitor for CleanSwarm {
    type Output = ();
    fn visit<P: Visual>(self) {
        let options = SwarmOptions { steps: STEPS, ..SwarmOptions::default() };
        let failures: Vec<String> = (1..=CLEAN_SEEDS)
            .map(|seed| run_seed::<P>(seed, &options).expect("the correct protocol's config"))
            .filter(|report| !report.passed())
            .map(|r| format!("seed {}: {:?} {:?}", r.seed, r.violations, r.liveness_failure))
            .collect();
        assert!(
            failures.is_empty(),
            "{}: {} of {CLEAN_SEEDS} seeds failed (reproduce: ballot swarm {} --seed SEED --steps {STEPS}):\n{}",
            P::NAME,
            failures.len(),
            P::NAME,
            failures.join("\n")
        );
    }
}

#[test]
fn a_swarm_of_the_correct_protocol_is_clean() {
    for_every_protocol(CleanSwarm);
}

#[derive(Clone, Copy)]
struct BugsCaught;

impl Visitor for BugsCaught {
    type Output = ();
    fn visit<P: Visual>(self) {
        let name = P::NAME;
        let checked = World::new(SimConfig::<P>::new(3, 1)).properties();
        assert_eq!(P::bug_property("no-such-bug"), None, "{name}");
        for &bug in P::bug_names() {
            let property = P::bug_property(bug)
                .unwrap_or_else(|| panic!("{name}/{bug}: Protocol::bug_property names no property"));
            assert!(checked.contains(&property), "{name}/{bug}: `{property}` is not checked ({checked:?})");
            let options =
                SwarmOptions { steps: STEPS, bug: Some(bug.to_string()), ..SwarmOptions::default() };
            // The first seed that breaks a safety property; one that only fails the liveness
            // phase has not caught the bug by a property.
            let (seed, violations) = (1..=BUG_SEEDS)
                .find_map(|seed| {
                    let report = run_seed::<P>(seed, &options).expect("a known bug");
                    (!report.violations.is_empty()).then_some((seed, report.violations))
                })
                .unwrap_or_else(|| panic!("{name}/{bug}: no safety violation in {BUG_SEEDS} seeds"));
            let found: Vec<&str> = violations.iter().map(|v| v.property).collect();
            assert!(
                found.contains(&property),
                "{name}/{bug}: seed {seed} broke {found:?}, not `{property}` \
                 (reproduce: ballot swarm {name} --seed {seed} --steps {STEPS} --bug {bug})"
            );
            println!("{name}/{bug}: caught by seed {seed} breaking {property}");
        }
    }
}

#[test]
fn every_broken_variant_is_caught_by_its_property() {
    for_every_protocol(BugsCaught);
}

#[derive(Clone, Copy)]
struct LinksRoundTrip;

impl Visitor for LinksRoundTrip {
    type Output = ();
    fn visit<P: Visual>(self) {
        for (path, text) in scenarios_of::<P>() {
            let world = run_scenario::<P>(&path, &text);
            let encoded = link::encode(&SharedRun::of(&world))
                .unwrap_or_else(|e| panic!("{}: cannot share: {e}", path.display()));
            assert_eq!(link::protocol_of(&encoded).as_deref(), Ok(P::NAME), "{}", path.display());
            let run = link::decode::<P>(&encoded)
                .unwrap_or_else(|e| panic!("{}: cannot decode: {e}", path.display()));
            assert_eq!(
                run.replay(0).fingerprint(),
                world.fingerprint(),
                "{}: replays elsewhere",
                path.display()
            );
        }
    }
}

#[test]
fn share_links_round_trip() {
    for_every_protocol(LinksRoundTrip);
}

/// What every reply of `P`'s engine shows, whatever the moment.
fn check_reply<P: Visual>(reply: &Reply, lang: Lang, size: u8) {
    let name = P::NAME;
    let view = &reply.view;
    assert_eq!(view.protocol, name);
    let mut ids: Vec<u8> = view.nodes.iter().map(|n| n.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, (1..=size).collect::<Vec<_>>(), "{name} {lang:?}: one node per server");
    for node in &view.nodes {
        assert!(
            !node.role.is_empty() && !node.role_label.is_empty(),
            "{name} {lang:?} S{}: role {:?}, label {:?}",
            node.id,
            node.role,
            node.role_label
        );
    }
    assert!(!view.panels.is_empty(), "{name} {lang:?}: no panel");
    assert!(!view.properties.is_empty(), "{name} {lang:?}: no property");
    for p in &view.properties {
        assert!(!p.name.is_empty() && !p.label.is_empty(), "{name} {lang:?}: {p:?}");
    }
    let bugs: Vec<&str> = reply.chrome.bugs.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(bugs, P::bug_names(), "{name} {lang:?}: the bug menu");
    for b in &reply.chrome.bugs {
        assert!(!b.description.is_empty(), "{name} {lang:?}: {} has no description", b.name);
        // A plain sentence, not the name again: several words, ending as a sentence does.
        let d = b.description.trim_end();
        assert!(
            d.ends_with('.') || d.ends_with('。') || d.ends_with('）'),
            "{name} {lang:?}: {}: {d:?} is not a sentence",
            b.name
        );
        assert!(d.chars().count() > 20 && d != b.name, "{name} {lang:?}: {}: {d:?}", b.name);
    }
    // Every node's short line is explained on hover, and the legend lists the abbreviations.
    for node in &view.nodes {
        assert!(
            node.title.starts_with(&format!("S{} {}: ", node.id, node.role_label)) && node.title.len() > 12,
            "{name} {lang:?}: S{} title {:?}",
            node.id,
            node.title
        );
    }
    assert!(!P::ABBREVIATIONS.is_empty(), "{name}: no abbreviations in the legend");
    assert!(
        view.markup.legend.is_empty() || view.markup.legend.contains("<li class=\"abbr\"><code>"),
        "{name} {lang:?}"
    );
    for (label, en, zh) in P::ABBREVIATIONS {
        assert!(!label.is_empty() && !en.is_empty() && !zh.is_empty(), "{name}: {label}");
    }
    assert!(!reply.diagram.is_empty(), "{name} {lang:?}: no diagram");
}

#[derive(Clone, Copy)]
struct ViewRenders;

impl Visitor for ViewRenders {
    type Output = ();
    fn visit<P: Visual>(self) {
        let name = P::NAME;
        // Per language: the roles and fingerprint at the end (words differ, the run does not).
        let mut ends = Vec::new();
        for lang in [Lang::En, Lang::Zh] {
            let mut engine = engine_for(name).unwrap_or_else(|| panic!("{name}: no engine"));
            assert_eq!(engine.protocol(), name);
            let setup = RunSetup::default();
            let size = setup.size;
            let mut ask = |request| engine.handle(Envelope { lang, zoom: 1, hover: None, request });
            let started = ask(Request::Start(setup));
            assert_eq!(started.outcome, Outcome::Started(None), "{name} {lang:?}");
            check_reply::<P>(&started, lang, size);
            let mut reply = started;
            for _ in 0..20 {
                reply = ask(Request::Advance { speed: 1.0, wall_ms: 100.0 });
                check_reply::<P>(&reply, lang, size);
            }
            assert!(reply.view.now_ms > 0, "{name} {lang:?}: time did not advance");
            let roles: Vec<String> = reply.view.nodes.iter().map(|n| n.role.clone()).collect();
            ends.push((roles, reply.view.fingerprint.clone()));
            // Every broken variant in the menu starts a run.
            for &bug in P::bug_names() {
                let r = ask(Request::Start(RunSetup { bug: Some(bug.to_string()), ..RunSetup::default() }));
                assert_eq!(r.outcome, Outcome::Started(None), "{name}/{bug} {lang:?}");
                assert_eq!(r.setup.bug.as_deref(), Some(bug), "{name}/{bug} {lang:?}");
            }
        }
        assert_eq!(ends[0], ends[1], "{name}: the language changed the run or the roles");
    }
}

#[test]
fn the_view_renders_in_both_languages() {
    for_every_protocol(ViewRenders);
}
