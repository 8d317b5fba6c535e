//! Rendering results. Index text becomes text nodes only, never HTML.

use qidiruv_engine::{Excerpt, ResultItem};
use yew::prelude::*;

use crate::i18n::UiLang;

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

#[derive(Properties, PartialEq)]
pub struct OptionProps {
    pub item: ResultItem,
    pub id: AttrValue,
    pub active: bool,
    pub ui: UiLang,
    pub onhover: Callback<()>,
}

/// One result: a link with `role=option` (no link nested inside an option).
#[function_component(ResultOption)]
pub fn result_option(props: &OptionProps) -> Html {
    let item = &props.item;
    let heading = if item.title.text.trim().is_empty() {
        html! { { fallback_heading(&item.excerpt.text) } }
    } else {
        marked(&item.title)
    };
    let date = item.date.as_deref().map(|d| {
        html! { <><time datetime={ d.to_string() }>{ props.ui.format_date(d) }</time>{ " · " }</> }
    });
    let onmouseenter = props.onhover.reform(|_: MouseEvent| ());
    let class = classes!("result", props.active.then_some("active"));
    let body = html! {
        <>
            <span class="title">{ heading }</span>
            <span class="meta">{ date }{ props.ui.language_name(&item.lang) }</span>
            <span class="excerpt">{ marked(&item.excerpt) }</span>
        </>
    };
    match safe_href(&item.url) {
        Some(href) => html! {
            <a role="option" id={ props.id.clone() } class={ class } href={ href.to_string() }
               aria-selected={ props.active.to_string() } tabindex="-1" { onmouseenter }>{ body }</a>
        },
        None => html! {
            <div role="option" id={ props.id.clone() } class={ class }
                 aria-selected={ props.active.to_string() } { onmouseenter }>{ body }</div>
        },
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
