//! The protocol's own panel on the right (Paxos roles, Multi-Paxos slots, the 2PC transaction;
//! Raft's log grid lives in `panels.rs`) and the banner above the ring.

use std::rc::Rc;

use ballot_core::Lang;
use yew::prelude::*;

use crate::i18n::{phase, state_name, texts};
use crate::protocols::multipaxos::SlotGrid;
use crate::protocols::paxos::PaxosRow;
use crate::protocols::twopc::TxnView;
use crate::protocols::Banner;

/// Properties of [`BannerView`].
#[derive(Properties, PartialEq)]
pub struct BannerProps {
    /// What to show.
    pub banner: Banner,
    /// Language.
    pub lang: Lang,
}

/// The chosen value (Paxos) or the in-doubt warning (2PC).
#[function_component(BannerView)]
pub fn banner_view(props: &BannerProps) -> Html {
    let t = texts(props.lang);
    match &props.banner {
        Banner::Chosen(value, who) => html! {
            <div class="banner chosen-banner" role="status" data-chosen-banner={value.clone()}>
                <b>{ format!("{}: {value}", t.chosen) }</b>
                <span>{ format!(" · {} {who}", t.learned_by) }</span>
            </div>
        },
        Banner::InDoubt(who, tm_down) => html! {
            <div class="banner in-doubt-banner" role="alert" data-in-doubt-banner={who.clone()}>
                <svg class="hourglass-icon" viewBox="0 0 12 14" width="12" height="14" aria-hidden="true">
                    <path d="M1 1 H11 L6 7 L11 13 H1 L6 7 Z" />
                </svg>
                <b>{ format!(" {who} ") }</b>
                <span>{ t.in_doubt_banner }</span>
                if *tm_down {
                    <span class="why">{ format!(" {}", t.coordinator_down) }</span>
                }
            </div>
        },
    }
}

/// Properties of [`PaxosTable`].
#[derive(Properties, PartialEq)]
pub struct PaxosTableProps {
    /// One per node.
    pub rows: Rc<Vec<PaxosRow>>,
    /// Language.
    pub lang: Lang,
}

/// Each node's acceptor, proposer and learner state.
#[function_component(PaxosTable)]
pub fn paxos_table(props: &PaxosTableProps) -> Html {
    let t = texts(props.lang);
    let dash = |s: &String| if s.is_empty() { String::from("—") } else { s.clone() };
    html! {
        <section class="panel roles" aria-labelledby="roles-title">
            <h2 id="roles-title">{ t.paxos_title }</h2>
            <p class="caption">{ t.paxos_caption }</p>
            <div class="table-scroll">
                <table class="state-table">
                    <thead><tr>
                        <th></th><th>{ t.promised }</th><th>{ t.accepted }</th><th>{ t.proposer }</th><th>{ t.learned }</th>
                    </tr></thead>
                    <tbody>
                        { for props.rows.iter().map(|r| html! {
                            <tr key={u32::from(r.node)} class={classes!((!r.up).then_some("down"))} data-paxos-row={r.node.to_string()}>
                                <th>{ format!("S{}", r.node) }</th>
                                <td class="mono">{ dash(&r.promised) }</td>
                                <td class="mono">{ dash(&r.accepted) }</td>
                                <td>{ r.phase.map_or_else(|| t.crashed.to_string(), |p| if r.count.is_empty() { phase(props.lang, p).to_string() } else { r.count.clone() }) }</td>
                                <td class={classes!("mono", (!r.learned.is_empty()).then_some("learned"))}>{ dash(&r.learned) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Properties of [`SlotGridView`].
#[derive(Properties, PartialEq)]
pub struct SlotGridProps {
    /// The grid.
    pub grid: Rc<SlotGrid>,
    /// Language.
    pub lang: Lang,
}

/// Rows = acceptors, columns = slots; chosen cells solid, accepted-only cells dashed.
#[function_component(SlotGridView)]
pub fn slot_grid_view(props: &SlotGridProps) -> Html {
    let t = texts(props.lang);
    let g = &props.grid;
    let columns = if g.last == 0 { 0 } else { g.last - g.first + 1 };
    let style = format!("--columns: {}", columns.max(1));
    let header =
        (g.first..=g.last).filter(|_| g.last > 0).map(|s| html! { <span class="log-index">{ s }</span> });
    let rows = g.rows.iter().map(|row| {
        let cells = row.cells.iter().map(|cell| match cell {
            Some(c) => html! {
                <span class={classes!("cell", "slot", if c.chosen { "committed" } else { "pending" }, c.applied.then_some("applied"))}
                    data-slot={c.slot.to_string()} data-ballot={c.ballot.clone()}
                    data-chosen={if c.chosen { "true" } else { "false" }}
                    data-applied={if c.applied { "true" } else { "false" }}
                    title={format!("#{} · {} · {}", c.slot, c.ballot, if c.chosen { t.chosen } else { t.accepted })}>
                    <b>{ if c.ballot.is_empty() { String::from("✓") } else { c.ballot.clone() } }</b>
                    <small>{ c.value.clone() }</small>
                </span>
            },
            None => html! { <span class="cell blank"></span> },
        });
        html! {
            <div class={classes!("log-row", (!row.up).then_some("down"))} data-slot-node={row.node.to_string()}
                data-applied={row.applied.to_string()}>
                <span class="log-name">{ format!("S{}", row.node) }</span>
                { for cells }
            </div>
        }
    });
    html! {
        <section class="panel logs slots" aria-labelledby="slots-title">
            <h2 id="slots-title">{ t.slots_title }</h2>
            <p class="caption">
                { t.slots_caption }{ " " }
                <span class="cell slot committed mini"></span>{ t.chosen }{ " " }
                <span class="cell slot pending mini"></span>{ t.accepted }
            </p>
            <div class="log-scroll">
                <div class="log-grid" {style}>
                    <div class="log-row header"><span class="log-name"></span>{ for header }</div>
                    { for rows }
                </div>
            </div>
        </section>
    }
}

/// Properties of [`TxnPanel`].
#[derive(Properties, PartialEq)]
pub struct TxnPanelProps {
    /// The transaction.
    pub txn: Rc<TxnView>,
    /// Language.
    pub lang: Lang,
}

/// The coordinator's transaction and every participant's state.
#[function_component(TxnPanel)]
pub fn txn_panel(props: &TxnPanelProps) -> Html {
    let t = texts(props.lang);
    let x = &props.txn;
    let dash = |s: &String| if s.is_empty() { String::from("—") } else { s.clone() };
    html! {
        <section class="panel txn" aria-labelledby="txn-title" data-txn={x.txn.to_string()} data-tm-state={x.tm_state}>
            <h2 id="txn-title">{ format!("{} {}", t.txn_title, if x.txn > 0 { format!("#{}", x.txn) } else { String::new() }) }</h2>
            <p class="caption">{ t.txn_caption }</p>
            <dl class="txn-summary">
                <dt>{ t.write }</dt><dd class="mono">{ dash(&x.command) }</dd>
                <dt>{ t.tm_state }</dt>
                <dd><span class={classes!("state-tag", format!("state-{}", x.tm_state))}>{ state_name(props.lang, x.tm_state) }</span>
                    { format!(" · {}", state_name(props.lang, x.phase)) }</dd>
                <dt>{ t.vote_yes }</dt><dd>{ dash(&x.yes) }</dd>
                <dt>{ t.vote_no }</dt><dd>{ dash(&x.no) }</dd>
                <dt>{ t.acks }</dt><dd>{ dash(&x.acks) }</dd>
            </dl>
            <div class="table-scroll">
                <table class="state-table">
                    <thead><tr><th></th><th>{ t.txn }</th><th>{ t.rm_state }</th><th>{ t.vote }</th><th>{ t.state_machine }</th></tr></thead>
                    <tbody>
                        { for x.rms.iter().map(|r| html! {
                            <tr key={u32::from(r.node)} class={classes!((!r.up).then_some("down"), r.in_doubt.then_some("in-doubt"))}
                                data-rm-row={r.node.to_string()}>
                                <th>{ format!("S{}", r.node) }</th>
                                <td>{ r.txn }</td>
                                <td><span class={classes!("state-tag", format!("state-{}", r.state))}>{ state_name(props.lang, r.state) }</span>
                                    if r.in_doubt { <span class="doubt-tag">{ format!(" {}", t.in_doubt) }</span> }</td>
                                <td>{ if r.vote.is_empty() { String::from("—") } else { state_name(props.lang, r.vote).to_string() } }</td>
                                <td class="mono">{ r.kv.clone() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
