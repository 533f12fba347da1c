//! The panels on the right: the log grid, the narrated feed and the safety properties.

use std::rc::Rc;

use ballot_core::Lang;
use yew::prelude::*;

use crate::i18n::{property, texts};
use crate::protocols::raft::LogView;
use crate::protocols::{FeedItem, PropertyView};
use crate::state::Msg;

/// Okabe–Ito colours (colour-blind safe), one per term, cycling.
const TERM_COLOURS: [&str; 8] =
    ["#56B4E9", "#E69F00", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"];

/// The colour of term `term` and whether white text reads better on it.
pub fn term_colour(term: u64) -> (&'static str, bool) {
    let i = (term.max(1) - 1) as usize % TERM_COLOURS.len();
    (TERM_COLOURS[i], matches!(i, 2 | 4 | 5))
}

/// Properties of [`LogGrid`].
#[derive(Properties, PartialEq)]
pub struct LogGridProps {
    /// The grid.
    pub log: Rc<LogView>,
    /// Language.
    pub lang: Lang,
}

/// Rows = servers, columns = log indexes (the newest 24); committed entries solid, others hollow.
#[function_component(LogGrid)]
pub fn log_grid(props: &LogGridProps) -> Html {
    let t = texts(props.lang);
    let log = &props.log;
    let columns = if log.last == 0 { 0 } else { log.last - log.first + 1 };
    let style = format!("--columns: {}", columns.max(1));
    let header = (log.first..=log.last)
        .filter(|_| log.last > 0)
        .map(|i| html! { <span class="log-index">{ i }</span> });
    let rows = log.rows.iter().map(|row| {
        let cells = row.cells.iter().map(|cell| match cell {
            Some(c) => {
                let (colour, light_text) = term_colour(c.term);
                let style = if c.committed {
                    format!("background:{colour};border-color:{colour}")
                } else {
                    format!("border-color:{colour}")
                };
                html! {
                    <span class={classes!("cell", if c.committed { "committed" } else { "pending" }, (c.committed && light_text).then_some("light"))}
                        data-index={c.index.to_string()} data-term={c.term.to_string()}
                        data-committed={if c.committed { "true" } else { "false" }}
                        title={format!("#{} · {} {} · {}", c.index, t.term, c.term, if c.committed { t.committed } else { t.uncommitted })}
                        {style}>
                        <b>{ c.term }</b>
                        <small>{ c.command.clone() }</small>
                    </span>
                }
            }
            None => html! { <span class="cell blank"></span> },
        });
        html! {
            <div class={classes!("log-row", (!row.up).then_some("down"))} data-log-node={row.node.to_string()}
                data-commit-index={row.commit_index.to_string()}>
                <span class="log-name">{ format!("S{}", row.node) }</span>
                { for cells }
            </div>
        }
    });
    html! {
        <section class="panel logs" aria-labelledby="logs-title">
            <h2 id="logs-title">{ t.log_title }</h2>
            <p class="caption">
                { t.log_caption }{ " " }
                <span class="cell committed mini"></span>{ t.committed }{ " " }
                <span class="cell pending mini"></span>{ t.uncommitted }
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

/// Properties of [`Feed`].
#[derive(Properties, PartialEq)]
pub struct FeedProps {
    /// Newest first.
    pub items: Rc<Vec<FeedItem>>,
    /// What to say while the feed is empty.
    pub empty: &'static str,
    /// The message the pointer is on (its lines are highlighted).
    pub hover: Option<u64>,
    /// Pointing at a line about a message reports it ([`Msg::Hover`]).
    pub on_msg: Callback<Msg>,
    /// Language.
    pub lang: Lang,
}

/// The narrated event feed, newest first.
#[function_component(Feed)]
pub fn feed(props: &FeedProps) -> Html {
    let t = texts(props.lang);
    html! {
        <section class="panel feed" aria-labelledby="feed-title">
            <h2 id="feed-title">{ t.feed_title }</h2>
            if props.items.is_empty() {
                <p class="caption">{ props.empty }</p>
            }
            <ol class="feed-list" aria-live="off"
                onmouseover={props.on_msg.reform(|e: MouseEvent| Msg::Hover(crate::components::diagram::msg_under(&e)))}
                onmouseleave={props.on_msg.reform(|_: MouseEvent| Msg::Hover(None))}>
                { for props.items.iter().map(|item| html! {
                    <li key={item.seq} class={classes!("feed-item", item.kind, (item.msg.is_some() && item.msg == props.hover).then_some("hover"))}
                        data-kind={item.kind} data-msg-id={item.msg.map(|id| id.to_string())}>
                        <time>{ item.at.clone() }</time>
                        <span>{ item.text.clone() }</span>
                    </li>
                }) }
            </ol>
        </section>
    }
}

/// Properties of [`Invariants`].
#[derive(Properties, PartialEq)]
pub struct InvariantsProps {
    /// One per checked property.
    pub properties: Rc<Vec<PropertyView>>,
    /// Language.
    pub lang: Lang,
}

/// Every checked property with ✓ or ✗; a violation says who, when and why.
#[function_component(Invariants)]
pub fn invariants(props: &InvariantsProps) -> Html {
    let t = texts(props.lang);
    html! {
        <section class="panel invariants" aria-labelledby="inv-title">
            <h2 id="inv-title">{ t.inv_title }</h2>
            <ul>
                { for props.properties.iter().map(|p| {
                    let ok = p.violation.is_none();
                    html! {
                        <li key={p.name} class={if ok { "holds" } else { "violated" }} data-property={p.name}
                            data-holds={if ok { "true" } else { "false" }}>
                            <span class="mark" aria-hidden="true">{ if ok { "✓" } else { "✗" } }</span>
                            <span class="name">{ property(props.lang, p.name) }</span>
                            <span class="verdict">{ if ok { t.holds } else { t.broken } }</span>
                            if let Some(v) = &p.violation {
                                <p class="detail">
                                    { format!("{}: {} · {} {} · {} {} — ", t.nodes, v.nodes, t.at, v.at, t.step_no, v.step) }
                                    { v.detail.clone() }
                                </p>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
