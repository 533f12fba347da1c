//! The space-time diagram: arrows pair sends with deliveries and drops, lifelines carry crashes
//! and role changes, and the SVG export is self-contained.

use ballot_core::{Duration, Instant, Lang, NodeId};
use ballot_sim::action::Action;
use ballot_sim::diagram::{self, Fate, MarkKind};
use ballot_sim::protocols::Raft;
use ballot_sim::{Protocol, SimConfig, World};

fn run() -> World<Raft> {
    let mut w = World::new(SimConfig::<Raft>::new(3, 4)).with_trace(100_000);
    w.act(Action::FireTimer(NodeId(1), ballot_raft::RaftTimer::Election));
    w.run_for(Duration::from_millis(300));
    w.act(Action::Partition(vec![vec![NodeId(1)], vec![NodeId(2), NodeId(3)]]));
    w.run_for(Duration::from_millis(100));
    w.act(Action::Crash(NodeId(1)));
    w.run_for(Duration::from_millis(700));
    w
}

#[test]
fn arrows_and_marks_tell_the_story() {
    let w = run();
    let d = diagram::build(&w, Instant::ZERO, w.now(), Lang::En);
    assert_eq!(d.nodes, 3);
    assert!(d.arrows.iter().any(|a| a.fate == Fate::Delivered && a.label == "RV" && a.from == NodeId(1)));
    assert!(d.arrows.iter().any(|a| matches!(a.fate, Fate::Dropped(_))), "the partition drops heartbeats");
    assert!(d.arrows.iter().all(|a| a.end >= a.sent));
    assert!(d.marks.iter().any(|m| m.node == NodeId(1) && m.kind == MarkKind::Crash));
    assert!(d.marks.iter().any(|m| m.node == NodeId(1) && m.kind == MarkKind::Role("leader T1".into())));
    assert!(d
        .marks
        .iter()
        .any(|m| m.node != NodeId(1) && matches!(&m.kind, MarkKind::Role(r) if r.starts_with("leader"))));
    // Windowing keeps only what overlaps.
    let late = diagram::build(&w, Instant::from_millis(900), w.now(), Lang::En);
    assert!(late.arrows.len() < d.arrows.len());
    assert!(late.arrows.iter().all(|a| a.end >= Instant::from_millis(900)));
    assert!(late.marks.iter().all(|m| m.at >= Instant::from_millis(900)));
}

#[test]
fn svg_is_self_contained_and_escaped() {
    let mut w = run();
    w.act(Action::Request {
        node: Raft::leader(&w).unwrap(),
        command: ballot_core::Command::parse("x=1").unwrap(),
    });
    w.run_for(Duration::from_millis(100));
    let svg = diagram::to_svg(&diagram::build(&w, Instant::ZERO, w.now(), Lang::En), 1000, Lang::En);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(!svg.contains("href=\"http"), "no external resource");
    assert_eq!(svg.matches("<g").count(), svg.matches("</g>").count());
    assert!(svg.contains("data-msg-id="));
    assert!(svg.contains("S3"));
}

#[test]
fn every_protocol_annotates_its_milestones() {
    fn marks_in<P: Protocol>(file: &str, lang: Lang) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(file);
        let text = std::fs::read_to_string(path).unwrap();
        let w = ballot_sim::scenario::run::<P>(&text, 100_000).unwrap().world;
        diagram::build(&w, Instant::ZERO, w.now(), lang)
            .marks
            .into_iter()
            .filter_map(|m| match m.kind {
                MarkKind::Role(t) | MarkKind::Commit(t) => Some(t),
                _ => None,
            })
            .collect()
    }
    fn marks<P: Protocol>(file: &str) -> Vec<String> {
        marks_in::<P>(file, Lang::En)
    }
    let paxos = marks::<ballot_sim::protocols::Paxos>("paxos/01-single-proposer.scn");
    assert!(paxos.iter().any(|m| m.starts_with("chosen")), "{paxos:?}");
    let multi = marks::<ballot_sim::protocols::MultiPaxos>("multipaxos/01-leader-applies-in-order.scn");
    assert!(
        multi.iter().any(|m| m.starts_with("leader")) && multi.iter().any(|m| m.starts_with("slot")),
        "{multi:?}"
    );
    let twopc = marks::<ballot_sim::protocols::TwoPc>("twopc/01-all-commit.scn");
    assert!(
        twopc.contains(&"decided commit".to_string()) && twopc.contains(&"prepared".to_string()),
        "{twopc:?}"
    );
    // The same marks in Chinese, for the playground's Chinese interface.
    let raft = marks_in::<Raft>("raft/02-leader-crash.scn", Lang::Zh);
    assert!(
        raft.iter().any(|m| m.starts_with("领导者 T")) && raft.iter().any(|m| m.starts_with("提交")),
        "{raft:?}"
    );
    let twopc = marks_in::<ballot_sim::protocols::TwoPc>("twopc/01-all-commit.scn", Lang::Zh);
    assert!(twopc.contains(&"决定提交".to_string()) && twopc.contains(&"已准备".to_string()), "{twopc:?}");
    let paxos = marks_in::<ballot_sim::protocols::Paxos>("paxos/01-single-proposer.scn", Lang::Zh);
    assert!(paxos.iter().any(|m| m.starts_with("选定")), "{paxos:?}");
}

/// A click on the drawing maps back to the moment drawn there (the playground seeks to it).
#[test]
fn a_point_of_the_drawing_maps_back_to_its_moment() {
    let w = run();
    let (from, to) = (Instant::from_millis(200), Instant::from_millis(700));
    // 1000 px/s: the window is 500 px tall, plus 30 px above and 20 below.
    let svg = diagram::to_svg(&diagram::build(&w, from, to, Lang::En), 1000, Lang::En);
    assert!(svg.contains("height=\"550\""), "the layout time_at assumes");
    assert_eq!(diagram::time_at(from, to, 1000, 0.0), from);
    assert_eq!(diagram::time_at(from, to, 1000, 1.0), to);
    assert_eq!(diagram::time_at(from, to, 1000, 280.0 / 550.0), Instant::from_millis(450));
    assert_eq!(diagram::time_at(from, to, 1000, f64::NAN), from);
}
