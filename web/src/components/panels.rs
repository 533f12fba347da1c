//! The panels: the protocol's grids, tables and banner (drawn from view data), the narrated feed
//! and the safety properties.

use std::rc::Rc;

use ballot_core::Lang;
use yew::prelude::*;

use ballot_engine::view::{Banner, FeedItem, Grid, Icon, PropertyView, Span, Table};

use crate::components::attrs::with_attrs;
use crate::i18n::texts;
use crate::state::Msg;

/// Okabe–Ito colours (colour-blind safe), one per term, cycling.
const TERM_COLOURS: [&str; 8] =
    ["#56B4E9", "#E69F00", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"];

/// The colour of term `term` and whether white text reads better on it.
pub fn term_colour(term: u64) -> (&'static str, bool) {
    let i = (term.max(1) - 1) as usize % TERM_COLOURS.len();
    (TERM_COLOURS[i], matches!(i, 2 | 4 | 5))
}

/// Properties of [`GridPanel`].
#[derive(Properties, PartialEq)]
pub struct GridProps {
    /// The grid.
    pub grid: Rc<Grid>,
}

fn spans(text: &[Span]) -> Html {
    html! { { for text.iter().map(|s| if s.strong {
        html! { <b>{ s.text.clone() }</b> }
    } else if s.class.is_empty() {
        html! { { s.text.clone() } }
    } else {
        html! { <span class={classes!(s.class.clone())}>{ s.text.clone() }</span> }
    }) } }
}

/// `""` as no attribute.
fn class_of(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Rows = servers, columns = numbered positions (a log's indexes, slots); cells coloured by a
/// number (a term) when the view says so.
pub fn grid_panel(props: &GridProps) -> Html {
    let g = &props.grid;
    let columns = if g.last == 0 { 0 } else { g.last - g.first + 1 };
    let style = format!("--columns: {}", columns.max(1));
    let id = format!("{}-title", if g.class.is_empty() { "logs" } else { g.class.as_str() });
    let header =
        (g.first..=g.last).filter(|_| g.last > 0).map(|i| html! { <span class="log-index">{ i }</span> });
    let rows =
        g.rows.iter().map(|row| {
            let cells = row.cells.iter().map(|cell| match cell {
            Some(c) => {
                let (style, light) = match c.colour {
                    Some(n) => {
                        let (colour, light_text) = term_colour(n);
                        let style = if c.filled {
                            format!("background:{colour};border-color:{colour}")
                        } else {
                            format!("border-color:{colour}")
                        };
                        (Some(style), c.filled && light_text)
                    }
                    None => (None, false),
                };
                with_attrs(html! {
                    <span class={classes!("cell", classes!(c.class.clone()), light.then_some("light"))}
                        title={c.title.clone()} {style}>
                        <b>{ c.head.clone() }</b>
                        <small>{ c.sub.clone() }</small>
                    </span>
                }, &c.attrs)
            }
            None => html! { <span class="cell blank"></span> },
        });
            with_attrs(
                html! {
                    <div class={classes!("log-row", (!row.up).then_some("down"))}>
                        <span class="log-name">{ row.label.clone() }</span>
                        { for cells }
                    </div>
                },
                &row.attrs,
            )
        });
    html! {
        <section class={classes!("panel", "logs", classes!(g.class.clone()))} aria-labelledby={id.clone()}>
            <h2 id={id}>{ g.title.clone() }</h2>
            <p class="caption">
                { g.caption.clone() }{ " " }
                { for g.key.iter().map(|k| html! { <>
                    <span class={classes!("cell", classes!(k.class.clone()), "mini")}></span>{ k.label.clone() }{ " " }
                </> }) }
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

/// Properties of [`TablePanel`].
#[derive(Properties, PartialEq)]
pub struct TableProps {
    /// The table.
    pub table: Rc<Table>,
}

/// A heading, an optional summary list and one row per server.
pub fn table_panel(props: &TableProps) -> Html {
    let x = &props.table;
    let id = format!("{}-title", x.class.split(' ').next().unwrap_or("table"));
    let section = html! {
        <section class={classes!("panel", classes!(x.class.clone()))} aria-labelledby={id.clone()}>
            <h2 id={id}>{ x.title.clone() }</h2>
            <p class="caption">{ x.caption.clone() }</p>
            if !x.summary.is_empty() {
                <dl class="txn-summary">
                    { for x.summary.iter().map(|(k, v)| html! { <><dt>{ k.clone() }</dt><dd>{ spans(v) }</dd></> }) }
                </dl>
            }
            <div class="table-scroll">
                <table class="state-table">
                    <thead><tr><th></th>{ for x.columns.iter().map(|c| html! { <th>{ c.clone() }</th> }) }</tr></thead>
                    <tbody>
                        { for x.rows.iter().map(|r| with_attrs(html! {
                            <tr key={r.label.clone()} class={class_of(&r.class)}>
                                <th>{ r.label.clone() }</th>
                                { for r.cells.iter().map(|c| html! { <td class={class_of(&c.class)}>{ spans(&c.text) }</td> }) }
                            </tr>
                        }, &r.attrs)) }
                    </tbody>
                </table>
            </div>
        </section>
    };
    with_attrs(section, &x.attrs)
}

/// Properties of [`BannerView`].
#[derive(Properties, PartialEq)]
pub struct BannerProps {
    /// What to show.
    pub banner: Rc<Banner>,
}

/// What the protocol wants you to notice now (a chosen value, participants in doubt).
pub fn banner_view(props: &BannerProps) -> Html {
    let b = &props.banner;
    let icon = b.icon.map(|Icon::Hourglass| {
        html! {
            <svg class="hourglass-icon" viewBox="0 0 12 14" width="12" height="14" aria-hidden="true">
                <path d="M1 1 H11 L6 7 L11 13 H1 L6 7 Z" />
            </svg>
        }
    });
    with_attrs(
        html! {
            <div class={classes!("banner", classes!(b.class.clone()))} role={if b.alert { "alert" } else { "status" }}>
                { for icon }
                { spans(&b.text) }
            </div>
        },
        &b.attrs,
    )
}

/// Properties of [`Feed`].
#[derive(Properties, PartialEq)]
pub struct FeedProps {
    /// Newest first.
    pub items: Rc<Vec<FeedItem>>,
    /// What to say while the feed is empty.
    pub empty: AttrValue,
    /// The message the pointer is on (its lines are highlighted).
    pub hover: Option<u64>,
    /// Pointing at a line about a message reports it ([`Msg::Hover`]).
    pub on_msg: Callback<Msg>,
    /// Language.
    pub lang: Lang,
}

/// The narrated event feed, newest first.
pub fn feed(props: &FeedProps) -> Html {
    let t = texts(props.lang);
    html! {
        <section class="panel feed" aria-labelledby="feed-title">
            <h2 id="feed-title">{ t.feed_title }</h2>
            if props.items.is_empty() {
                <p class="caption">{ props.empty.clone() }</p>
            }
            <ol class="feed-list" aria-live="off"
                onmouseover={props.on_msg.reform(|e: MouseEvent| Msg::Hover(crate::components::diagram::msg_under(&e)))}
                onmouseleave={props.on_msg.reform(|_: MouseEvent| Msg::Hover(None))}>
                { for props.items.iter().map(|item| html! {
                    <li key={item.seq} class={classes!("feed-item", item.kind.clone(), (item.msg.is_some() && item.msg == props.hover).then_some("hover"))}
                        data-kind={item.kind.clone()} data-msg-id={item.msg.map(|id| id.to_string())}>
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
pub fn invariants(props: &InvariantsProps) -> Html {
    let t = texts(props.lang);
    html! {
        <section class="panel invariants" aria-labelledby="inv-title">
            <h2 id="inv-title">{ t.inv_title }</h2>
            <ul>
                { for props.properties.iter().map(|p| {
                    let ok = p.violation.is_none();
                    html! {
                        <li key={p.name.clone()} class={if ok { "holds" } else { "violated" }} data-property={p.name.clone()}
                            data-holds={if ok { "true" } else { "false" }}>
                            <span class="mark" aria-hidden="true">{ if ok { "✓" } else { "✗" } }</span>
                            <span class="name">{ p.label.clone() }</span>
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
