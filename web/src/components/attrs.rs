//! The protocol's own `data-*` attributes, which the view names as data, put on an element.

use std::cell::RefCell;
use std::rc::Rc;

use ballot_engine::view::Attrs;
use yew::virtual_dom::VNode;
use yew::Html;

thread_local! {
    /// Attribute names seen so far (Yew wants `'static` names; there are a few dozen at most).
    static NAMES: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// `data-{name}` as a `'static` string, made once per name.
fn data_name(name: &str) -> &'static str {
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        let full = format!("data-{name}");
        if let Some(known) = names.iter().find(|n| **n == full) {
            return *known;
        }
        let leaked: &'static str = Box::leak(full.into_boxed_str());
        names.push(leaked);
        leaked
    })
}

/// `html` (an element) with `attrs` as `data-*` attributes. Names that are not plain
/// lowercase words are skipped.
pub fn with_attrs(mut html: Html, attrs: &Attrs) -> Html {
    if let VNode::VTag(tag) = &mut html {
        let tag = Rc::make_mut(tag);
        for (name, value) in attrs {
            if ballot_engine::view::is_data_name(name) {
                tag.add_attribute(data_name(name), value.clone());
            }
        }
    }
    html
}
