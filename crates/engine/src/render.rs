//! The run's panels as HTML: grids, tables, the banner, the feed, the safety properties and the
//! legend, written from [`crate::view`] data by one protocol-agnostic renderer.
//!
//! The playground inserts these strings as they are (like the space-time diagram's SVG) and
//! draws only the interactive parts itself (the ring, the controls): markup is a few bytes of
//! engine code per element where a Yew template is a few hundred bytes of page code, which is
//! what keeps the page's first load small (ARCHITECTURE.md, "Bundle budgets"). The DOM, and
//! its `data-*` attributes, are the same as the components drew.

use alloc::format;
use alloc::string::String;
use ballot_core::Lang;
use core::fmt::Write;

use crate::texts::texts;
use crate::view::{Attrs, Banner, FeedItem, Grid, Icon, LegendItem, Panel, PropertyView, Shape, Span, Table};

/// Okabe–Ito colours (colour-blind safe), one per term, cycling; vermillion darkened
/// (`#D55E00` → `#B34700`) so that a filled cell's text reads at 4.5:1 on it.
const TERM_COLOURS: [&str; 8] =
    ["#56B4E9", "#E69F00", "#009E73", "#F0E442", "#0072B2", "#B34700", "#CC79A7", "#999999"];

/// The colour of term `term` and whether white text reads better on it (contrast ≥ 4.5:1 with
/// white; the others reach it with the cells' dark text).
pub fn term_colour(term: u64) -> (&'static str, bool) {
    let i = (term.max(1) - 1) as usize % TERM_COLOURS.len();
    (TERM_COLOURS[i], matches!(i, 4 | 5))
}

/// Markup being written.
#[derive(Default)]
struct Html(String);

impl Html {
    fn raw(&mut self, s: &str) -> &mut Self {
        self.0.push_str(s);
        self
    }
    /// Text content, escaped.
    fn text(&mut self, s: &str) -> &mut Self {
        for c in s.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                c => self.0.push(c),
            }
        }
        self
    }
    /// ` name="value"`, escaped.
    fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        let _ = write!(self.0, " {name}=\"");
        for c in value.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '"' => self.0.push_str("&quot;"),
                '<' => self.0.push_str("&lt;"),
                c => self.0.push(c),
            }
        }
        self.0.push('"');
        self
    }
    /// ` class="value"` unless `value` is empty.
    fn class(&mut self, value: &str) -> &mut Self {
        if !value.trim().is_empty() {
            self.attr("class", value.trim());
        }
        self
    }
    /// The view's `data-*` attributes (names that are not plain lowercase words are skipped).
    fn data(&mut self, attrs: &Attrs) -> &mut Self {
        for (name, value) in attrs {
            if crate::view::is_data_name(name) {
                self.attr(&format!("data-{name}"), value);
            }
        }
        self
    }
    fn spans(&mut self, spans: &[Span]) -> &mut Self {
        for s in spans {
            if s.strong {
                self.raw("<b>").text(&s.text).raw("</b>");
            } else if s.class.is_empty() {
                self.text(&s.text);
            } else {
                self.raw("<span").class(&s.class).raw(">").text(&s.text).raw("</span>");
            }
        }
        self
    }
}

fn grid(h: &mut Html, g: &Grid) {
    let id = format!("{}-title", if g.class.is_empty() { "logs" } else { g.class.as_str() });
    let columns = if g.last == 0 { 0 } else { g.last - g.first + 1 };
    h.raw("<section").class(&format!("panel logs {}", g.class)).attr("aria-labelledby", &id).raw(">");
    h.raw("<h2")
        .attr("id", &id)
        .raw(">")
        .text(&g.title)
        .raw("</h2><p class=\"caption\">")
        .text(&g.caption)
        .raw(" ");
    for k in &g.key {
        h.raw("<span").class(&format!("cell {} mini", k.class)).raw("></span>").text(&k.label).raw(" ");
    }
    h.raw("</p><div class=\"log-scroll\" tabindex=\"0\"><div class=\"log-grid\"")
        .attr("style", &format!("--columns: {}", columns.max(1)));
    h.raw("><div class=\"log-row header\"><span class=\"log-name\"></span>");
    if g.last > 0 {
        for i in g.first..=g.last {
            let _ = write!(h.0, "<span class=\"log-index\">{i}</span>");
        }
    }
    h.raw("</div>");
    for row in &g.rows {
        h.raw("<div").class(if row.up { "log-row" } else { "log-row down" }).data(&row.attrs).raw(">");
        h.raw("<span class=\"log-name\">").text(&row.label).raw("</span>");
        for cell in &row.cells {
            let Some(c) = cell else {
                h.raw("<span class=\"cell blank\"></span>");
                continue;
            };
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
            h.raw("<span")
                .class(&format!("cell {}{}", c.class, if light { " light" } else { "" }))
                .data(&c.attrs);
            h.attr("title", &c.title);
            if let Some(style) = style {
                h.attr("style", &style);
            }
            h.raw("><b>").text(&c.head).raw("</b><small>").text(&c.sub).raw("</small></span>");
        }
        h.raw("</div>");
    }
    h.raw("</div></div></section>");
}

fn table(h: &mut Html, x: &Table) {
    let id = format!("{}-title", x.class.split(' ').next().unwrap_or("table"));
    h.raw("<section")
        .class(&format!("panel {}", x.class))
        .attr("aria-labelledby", &id)
        .data(&x.attrs)
        .raw(">");
    h.raw("<h2")
        .attr("id", &id)
        .raw(">")
        .text(&x.title)
        .raw("</h2><p class=\"caption\">")
        .text(&x.caption)
        .raw("</p>");
    if !x.summary.is_empty() {
        h.raw("<dl class=\"txn-summary\">");
        for (k, v) in &x.summary {
            h.raw("<dt>").text(k).raw("</dt><dd>").spans(v).raw("</dd>");
        }
        h.raw("</dl>");
    }
    h.raw("<div class=\"table-scroll\" tabindex=\"0\"><table class=\"state-table\"><thead><tr><th></th>");
    for c in &x.columns {
        h.raw("<th>").text(c).raw("</th>");
    }
    h.raw("</tr></thead><tbody>");
    for r in &x.rows {
        h.raw("<tr").class(&r.class).data(&r.attrs).raw("><th>").text(&r.label).raw("</th>");
        for c in &r.cells {
            h.raw("<td").class(&c.class).raw(">").spans(&c.text).raw("</td>");
        }
        h.raw("</tr>");
    }
    h.raw("</tbody></table></div></section>");
}

/// The protocol's panels.
pub fn panels(panels: &[Panel]) -> String {
    let mut h = Html::default();
    for p in panels {
        match p {
            Panel::Grid(g) => grid(&mut h, g),
            Panel::Table(x) => table(&mut h, x),
        }
    }
    h.0
}

/// The banner (empty when there is none).
pub fn banner(banner: Option<&Banner>) -> String {
    let mut h = Html::default();
    if let Some(b) = banner {
        h.raw("<div")
            .class(&format!("banner {}", b.class))
            .attr("role", if b.alert { "alert" } else { "status" });
        h.data(&b.attrs).raw(">");
        if let Some(Icon::Hourglass) = b.icon {
            h.raw("<svg class=\"hourglass-icon\" viewBox=\"0 0 12 14\" width=\"12\" height=\"14\" aria-hidden=\"true\"><path d=\"M1 1 H11 L6 7 L11 13 H1 L6 7 Z\"/></svg>");
        }
        h.spans(&b.text).raw("</div>");
    }
    h.0
}

/// The narrated feed, newest first; lines about message `hover` are highlighted.
pub fn feed(items: &[FeedItem], empty: &str, hover: Option<u64>, lang: Lang) -> String {
    let t = texts(lang);
    let mut h = Html::default();
    h.raw("<section class=\"panel feed\" aria-labelledby=\"feed-title\"><h2 id=\"feed-title\">")
        .text(t.feed_title);
    h.raw("</h2>");
    if items.is_empty() {
        h.raw("<p class=\"caption\">").text(empty).raw("</p>");
    }
    // Focusable, so that a keyboard scrolls it.
    h.raw("<ol class=\"feed-list\" aria-live=\"off\" tabindex=\"0\">");
    feed_lines(&mut h, items, hover);
    h.raw("</ol></section>");
    h.0
}

/// Feed lines; a line that sums others up (a heartbeat round) is a `<details>` holding them.
fn feed_lines(h: &mut Html, items: &[FeedItem], hover: Option<u64>) {
    for item in items {
        // Kinds are plain words (`feed_kind`), written as they are.
        let hovered = item.msg.is_some() && item.msg == hover;
        h.raw("<li class=\"feed-item ").raw(&item.kind).raw(if hovered { " hover" } else { "" });
        h.raw("\" data-kind=\"").raw(&item.kind).raw("\"");
        if let Some(id) = item.msg {
            let _ = write!(h.0, " data-msg-id=\"{id}\"");
        }
        h.raw(">");
        let folded = !item.folded.is_empty();
        if folded {
            h.raw("<details><summary>");
        }
        h.raw("<time>").text(&item.at).raw("</time><span>").text(&item.text).raw("</span>");
        if folded {
            h.raw("</summary><ol class=\"feed-list\">");
            feed_lines(h, &item.folded, hover);
            h.raw("</ol></details>");
        }
        h.raw("</li>");
    }
}

/// Every checked property with ✓ or ✗; a violation says who, when and why.
pub fn invariants(properties: &[PropertyView], lang: Lang) -> String {
    let t = texts(lang);
    let mut h = Html::default();
    h.raw("<section class=\"panel invariants\" aria-labelledby=\"inv-title\"><h2 id=\"inv-title\">")
        .text(t.inv_title);
    h.raw("</h2><ul>");
    for p in properties {
        let ok = p.violation.is_none();
        h.raw("<li").class(if ok { "holds" } else { "violated" }).attr("data-property", &p.name);
        h.attr("data-holds", if ok { "true" } else { "false" }).raw(">");
        h.raw("<span class=\"mark\" aria-hidden=\"true\">").raw(if ok { "✓" } else { "✗" }).raw("</span>");
        h.raw("<span class=\"name\">").text(&p.label).raw("</span><span class=\"verdict\">");
        h.text(if ok { t.holds } else { t.broken }).raw("</span>");
        if let Some(v) = &p.violation {
            h.raw("<p class=\"detail\">");
            h.text(&format!("{}: {} · {} {} · {} {} — ", t.nodes, v.nodes, t.at, v.at, t.step_no, v.step));
            h.text(&v.detail).raw("</p>");
        }
        h.raw("</li>");
    }
    h.raw("</ul></section>");
    h.0
}

fn legend_shape(h: &mut Html, shape: Shape) {
    h.raw(match shape {
        Shape::Circle => "<circle class=\"shape\" cx=\"12\" cy=\"12\" r=\"8\"/>",
        Shape::Diamond => "<polygon class=\"shape\" points=\"12,2 22,12 12,22 2,12\"/>",
        Shape::Square => "<rect class=\"shape\" x=\"4\" y=\"4\" width=\"16\" height=\"16\" rx=\"2\"/>",
        Shape::Leader => {
            "<circle class=\"shape outer\" cx=\"12\" cy=\"12\" r=\"10\"/><circle class=\"shape\" cx=\"12\" cy=\"12\" r=\"6\"/>"
        }
        Shape::Crashed => {
            "<circle class=\"shape\" cx=\"12\" cy=\"12\" r=\"8\"/><path class=\"cross\" d=\"M7 7 L17 17 M17 7 L7 17\"/>"
        }
    });
}

/// What the shapes and colours mean: the protocol's roles, then crashed, the timer and a message.
pub fn legend(items: &[LegendItem], timer: &str, abbreviations: &[(&str, &str, &str)], lang: Lang) -> String {
    let t = texts(lang);
    let mut h = Html::default();
    h.raw("<ul class=\"legend\"").attr("aria-label", t.legend).raw(">");
    let item = |h: &mut Html, class: &str, shape: &dyn Fn(&mut Html), label: &str| {
        h.raw("<li class=\"node ").raw(class).raw("\">");
        h.raw("<svg viewBox=\"0 0 24 24\" width=\"22\" height=\"22\" aria-hidden=\"true\">");
        shape(h);
        h.raw("</svg>").text(label).raw("</li>");
    };
    for i in items {
        item(&mut h, &i.class, &|h| legend_shape(h, i.shape), &i.label);
    }
    item(&mut h, "crashed", &|h| legend_shape(h, Shape::Crashed), t.crashed);
    item(
        &mut h,
        "follower",
        &|h| {
            h.raw("<circle class=\"timer\" cx=\"12\" cy=\"12\" r=\"9\" stroke-dasharray=\"56.5\" stroke-dashoffset=\"20\" transform=\"rotate(-90 12 12)\"/>");
        },
        timer,
    );
    h.raw("<li class=\"msg\"><svg viewBox=\"0 0 24 24\" width=\"22\" height=\"22\" aria-hidden=\"true\"><circle class=\"dot\" cx=\"12\" cy=\"12\" r=\"5\"/></svg>");
    h.text(t.legend_msg).raw("</li>");
    for (label, en, zh) in abbreviations {
        h.raw("<li class=\"abbr\"><code>").text(label).raw("</code>");
        h.text(if lang == Lang::Zh { zh } else { en }).raw("</li>");
    }
    h.raw("</ul>");
    h.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{GridCell, GridRow};
    use alloc::string::ToString;
    use alloc::vec;

    #[test]
    fn text_and_attributes_are_escaped() {
        let item = FeedItem {
            seq: 1,
            at: "1.0 ms".into(),
            text: "<b>x&y</b>".into(),
            kind: "note".into(),
            msg: Some(7),
            folded: vec![],
        };
        let html = feed(&[item], "", Some(7), Lang::En);
        assert!(html.contains("&lt;b&gt;x&amp;y&lt;/b&gt;"), "{html}");
        assert!(
            html.contains("class=\"feed-item note hover\" data-kind=\"note\" data-msg-id=\"7\""),
            "{html}"
        );
        let g = Grid {
            title: "T\"".into(),
            first: 1,
            last: 1,
            rows: vec![GridRow {
                label: "S1".into(),
                up: false,
                attrs: vec![
                    ("log-node".to_string(), "1".to_string()),
                    ("bad name".to_string(), "x".to_string()),
                ],
                cells: vec![Some(GridCell {
                    class: "committed".into(),
                    head: "3".into(),
                    colour: Some(5),
                    filled: true,
                    title: "a\"b".into(),
                    ..GridCell::default()
                })],
            }],
            ..Grid::default()
        };
        let html = panels(&[Panel::Grid(g)]);
        assert!(html.contains("<div class=\"log-row down\" data-log-node=\"1\">"), "{html}");
        assert!(!html.contains("bad name"), "attribute names are checked");
        assert!(
            html.contains("title=\"a&quot;b\" style=\"background:#0072B2;border-color:#0072B2\""),
            "{html}"
        );
        assert!(html.contains("class=\"cell committed light\""), "{html}");
    }
}
