//! Things that ask for attention: bad URL parameters and the violation banner. (The shortcut
//! help is web/help.js, loaded on first use.)

use ballot_core::Lang;
use yew::prelude::*;

use crate::i18n::{problem, texts};
use crate::state::Msg;
use crate::url::Problem;

/// Properties of [`Notices`].
#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    /// Query parameters that could not be used.
    pub problems: Vec<Problem>,
    /// Show the violation banner.
    pub violation: bool,
    /// Why the link in the address could not be opened (already a sentence in `lang`).
    pub link_error: Option<AttrValue>,
    /// Language.
    pub lang: Lang,
    /// Dismissals go here.
    pub on_msg: Callback<Msg>,
}

/// Dismissible notices above the stage.
pub fn notices(props: &NoticesProps) -> Html {
    let t = texts(props.lang);
    let problems = props.problems.iter().enumerate().map(|(i, p)| {
        let dismiss = props.on_msg.reform(move |_: MouseEvent| Msg::DismissProblem(i));
        html! {
            <div class="notice problem" role="status" data-problem={p.param}>
                <span>{ problem(props.lang, p) }</span>
                <button type="button" class="dismiss" data-action="dismiss" onclick={dismiss} aria-label={t.dismiss}>{ "×" }</button>
            </div>
        }
    });
    let dismiss_violation = props.on_msg.reform(|_: MouseEvent| Msg::DismissViolation);
    html! {
        <div class="notices">
            if props.violation {
                <div class="notice violation-banner" role="alert" data-violation-banner="">
                    <span>{ "⚠ " }{ t.violation_banner }</span>
                    <button type="button" class="dismiss" onclick={dismiss_violation} aria-label={t.dismiss}>{ "×" }</button>
                </div>
            }
            if let Some(e) = props.link_error.clone() {
                <div class="notice problem" role="alert" data-link-error="">
                    <span>{ e }</span>
                    <button type="button" class="dismiss" data-action="dismiss" onclick={props.on_msg.reform(|_: MouseEvent| Msg::DismissLinkError)}
                        aria-label={t.dismiss}>{ "×" }</button>
                </div>
            }
            { for problems }
        </div>
    }
}
