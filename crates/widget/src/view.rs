//! Rendering results. Index text becomes text nodes only, never HTML.
//!
//! A class that changes between renders is set as the `className` property
//! (`~className`), not as `class={..}`: yew parses a dynamic `class` into a
//! set of class names, code the widget's wasm otherwise does without.

use std::rc::Rc;

use qidiruv_engine::{Excerpt, ResultItem};
use yew::prelude::*;

use crate::i18n::UiLang;
use crate::state::Status;

/// The text with its matches wrapped in `<mark>`.
pub fn marked(excerpt: &Excerpt) -> Html {
    excerpt
        .segments()
        .into_iter()
        .map(|(text, hit)| {
            if hit {
                html! { <mark>{ text }</mark> }
            } else {
                html! { { text } }
            }
        })
        .collect()
}

/// An href for a stored url, or `None` when it must not become a link.
/// The indexer already refuses other schemes; this is defence in depth
/// against an index built by something else.
pub fn safe_href(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    let site_path = url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\");
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    let clean = !url.chars().any(|c| c.is_control() || c.is_whitespace());
    ((site_path || web) && clean).then_some(url)
}

/// The id of the listbox whose ids start with `prefix`.
pub fn listbox_id(prefix: &str) -> String {
    format!("{prefix}-results")
}

/// The id of option `index` of the listbox whose ids start with `prefix`,
/// or of its translation link `variant`.
pub fn option_id(prefix: &str, index: usize, variant: Option<usize>) -> String {
    match variant {
        Some(v) => format!("{prefix}-option-{index}-{v}"),
        None => format!("{prefix}-option-{index}"),
    }
}

/// What the list shows.
pub struct ListProps {
    /// Starts every id in the list.
    pub prefix: String,
    pub items: Rc<Vec<ResultItem>>,
    pub active: Option<usize>,
    /// The active result's translation link that is active instead of it.
    pub variant: Option<usize>,
    pub ui: UiLang,
    /// The pointer moved over option `index`.
    pub onhover: Callback<(usize, MouseEvent)>,
    /// Option `index` (or its translation link) was clicked.
    pub onchoose: Callback<(usize, Option<usize>, MouseEvent)>,
}

/// The listbox: the matches, then the related results under their own
/// label. Functions, not components, render it: a component's machinery
/// costs the wasm more than the rendering it would save; each result is
/// keyed by its id, so the list is diffed as before.
pub fn result_list(props: &ListProps) -> Html {
    let ui = props.ui;
    let option = |i: usize| {
        result_option(&OptionProps {
            item: &props.items[i],
            id: option_id(&props.prefix, i, None),
            active: props.active == Some(i),
            variant: props.variant.filter(|_| props.active == Some(i)),
            ui,
            onhover: props.onhover.reform(move |e| (i, e)),
            onchoose: props.onchoose.reform(move |(v, e)| (i, v, e)),
        })
    };
    let count = props.items.len();
    let first_related = props.items.iter().position(|item| item.related).unwrap_or(count);
    let related_label_id = format!("{}-related", props.prefix);
    let options = if first_related == count {
        (0..count).map(option).collect::<Html>()
    } else {
        html! {
            <>
                <div role="group" aria-label={ ui.results_label() }>{ for (0..first_related).map(option) }</div>
                <div role="group" aria-labelledby={ related_label_id.clone() }>
                    <div id={ related_label_id } class="group-label" role="presentation">{ ui.related_label() }</div>
                    { for (first_related..count).map(option) }
                </div>
            </>
        }
    };
    html! {
        <div id={ listbox_id(&props.prefix) } role="listbox" aria-label={ ui.results_label() } class="results">
            { options }
        </div>
    }
}

struct OptionProps<'a> {
    item: &'a ResultItem,
    id: String,
    active: bool,
    variant: Option<usize>,
    ui: UiLang,
    onhover: Callback<MouseEvent>,
    /// The result, or its translation link, was clicked.
    onchoose: Callback<(Option<usize>, MouseEvent)>,
}

/// One result: a link with `role=option`, then "also in:" its translations,
/// each an option of its own (a link nested inside an option is neither
/// valid nor reachable), reached from the result with → and ←.
fn result_option(props: &OptionProps) -> Html {
    let item = props.item;
    let heading = if item.title.text.trim().is_empty() {
        html! { { fallback_heading(&item.excerpt.text) } }
    } else {
        marked(&item.title)
    };
    let date = item.date.as_deref().map(|d| {
        html! { <><time datetime={ d.to_string() }>{ props.ui.format_date(d) }</time>{ " · " }</> }
    });
    let onmousemove = props.onhover.clone();
    let onclick = props.onchoose.reform(|e| (None, e));
    let class = if props.active && props.variant.is_none() { "result active" } else { "result" };
    let selected = (props.active && props.variant.is_none()).to_string();
    let body = html! {
        <>
            <span class="title">{ heading }</span>
            <span class="meta">{ date }{ props.ui.language_name(&item.lang) }</span>
            <span class="excerpt">{ marked(&item.excerpt) }</span>
        </>
    };
    let result = match safe_href(&item.url) {
        Some(href) => html! {
            <a role="option" id={ props.id.clone() } ~className={ class } href={ href.to_string() }
               aria-selected={ selected } tabindex="-1" { onmousemove } { onclick }>{ body }</a>
        },
        None => html! {
            <div role="option" id={ props.id.clone() } ~className={ class }
                 aria-selected={ selected } { onmousemove } { onclick }>{ body }</div>
        },
    };
    html! {
        <div key={ item.id.clone() } role="none" ~className={ if props.active { "entry active" } else { "entry" } }>
            { result }
            if !item.translations.is_empty() {
                { also_in(props) }
            }
        </div>
    }
}

/// "Also in: Русский · Oʻzbekcha": the result's translations (already
/// checked with [`safe_href`]), names in the UI language, each an option
/// whose id extends the result's. Part of its [`ResultOption`], which it
/// re-renders with.
fn also_in(props: &OptionProps) -> Html {
    let ui = props.ui;
    let link = |(v, translation): (usize, &qidiruv_engine::index::Translation)| {
        let name = ui.language_name(&translation.lang);
        let active = props.variant == Some(v);
        html! {
            <>
                if v > 0 { <span aria-hidden="true">{ " · " }</span> }
                <a role="option" id={ format!("{}-{v}", props.id) } href={ translation.url.clone() }
                   ~className={ if active { "translation active" } else { "translation" } } hreflang={ translation.lang.clone() }
                   aria-selected={ active.to_string() } aria-label={ format!("{} {name}", ui.also_in()) }
                   tabindex="-1" onclick={ props.onchoose.reform(move |e| (Some(v), e)) }>{ name }</a>
            </>
        }
    };
    html! {
        <div role="none" class="also">
            <span aria-hidden="true">{ ui.also_in() }{ " " }</span>
            { for props.item.translations.iter().enumerate().map(link) }
        </div>
    }
}

/// The visible status line. Not a live region: it changes with every
/// keystroke, and the separate announcer speaks once typing pauses. A
/// function, not a component: see [`result_list`].
pub fn status_line(status: &Status, ui: UiLang, onretry: Callback<MouseEvent>) -> Html {
    let corrected = match status {
        Status::Found { corrected, .. } => corrected.as_ref(),
        _ => None,
    };
    html! {
        <div class="status">
            { ui.status(status) }
            if let Some(corrected) = corrected {
                <span class="corrected">{ " · " }{ ui.showing_results_for(corrected) }</span>
            }
            if *status == Status::Failed {
                { " " }<button type="button" class="retry" onclick={ onretry }>{ ui.retry() }</button>
            }
        </div>
    }
}

/// The start of the body, for articles without a title.
fn fallback_heading(text: &str) -> String {
    let mut words = text.trim_start_matches('…').split_whitespace();
    let mut heading: Vec<&str> = words.by_ref().take(12).collect();
    if words.next().is_some() {
        heading.push("…");
    }
    heading.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_paths_and_http_links_pass() {
        assert_eq!(safe_href("/en/news/x"), Some("/en/news/x"));
        assert_eq!(safe_href("https://gazeta.uz/ru/x"), Some("https://gazeta.uz/ru/x"));
        for bad in
            ["javascript:alert(1)", " javascript:alert(1)", "//evil.example", "data:text/html,x", "", "java\nscript:x"]
        {
            assert_eq!(safe_href(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn untitled_results_show_the_body_start() {
        assert_eq!(fallback_heading("…one two three"), "one two three");
        assert!(fallback_heading(&"w ".repeat(20)).ends_with('…'));
    }
}
