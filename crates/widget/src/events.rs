//! DOM events for the page, fired at the `<qidiruv-search>` element
//! (`bubbles` and `composed`, so they leave the shadow root): see
//! `docs/embedding.md`.

use qidiruv_engine::index::Translation;
use qidiruv_engine::ResultItem;
use serde::Serialize;
use wasm_bindgen::JsCast;
use web_sys::{CustomEvent, CustomEventInit, EventTarget, Node, ShadowRoot};

/// `qidiruv-query`: results for a query are shown.
#[derive(Serialize)]
struct QueryDetail<'a> {
    query: &'a str,
    total: usize,
}

/// `qidiruv-select`: a visitor chose a result.
#[derive(Serialize)]
struct SelectDetail<'a> {
    id: &'a str,
    /// Only a url the widget would link to: `None` (JSON `null`) for one
    /// that fails the check (a forged index's `javascript:` url, say).
    url: Option<&'a str>,
    title: &'a str,
    lang: &'a str,
    date: Option<&'a str>,
    query: &'a str,
    /// 1 for the first result.
    position: usize,
}

/// Fires `qidiruv-query` for the shown results of `query`.
pub fn query_shown(from: &Node, query: &str, total: usize) {
    fire(from, "qidiruv-query", &QueryDetail { query, total }, false);
}

/// Fires `qidiruv-select` for `item` (or its `translation`), shown at
/// `index`; false when a listener called `preventDefault()`, and the
/// widget must not navigate.
pub fn selected(from: &Node, item: &ResultItem, translation: Option<&Translation>, query: &str, index: usize) -> bool {
    let detail = SelectDetail {
        id: &item.id,
        url: select_url(item, translation),
        title: &item.title.text,
        lang: translation.map_or(&item.lang, |t| &t.lang),
        date: item.date.as_deref(),
        query,
        position: index + 1,
    };
    fire(from, "qidiruv-select", &detail, true)
}

/// The url `qidiruv-select` reports for `item` (or its `translation`):
/// only one that passes the links' check, so a listener that navigates to
/// it never runs a forged index's `javascript:` url.
fn select_url<'a>(item: &'a ResultItem, translation: Option<&'a Translation>) -> Option<&'a str> {
    crate::view::safe_href(translation.map_or(&item.url, |t| &t.url))
}

/// Dispatches a custom event at the element whose shadow root holds
/// `from`; returns whether it was not cancelled.
fn fire(from: &Node, name: &str, detail: &impl Serialize, cancelable: bool) -> bool {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let Ok(detail) = detail.serialize(&serializer) else { return true };
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(cancelable);
    init.set_detail(&detail);
    let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) else { return true };
    let host: EventTarget = match from.get_root_node().dyn_into::<ShadowRoot>() {
        Ok(root) => root.host().into(),
        Err(_) => from.clone().into(),
    };
    host.dispatch_event(&event).unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_reports_only_urls_the_widget_would_link_to() {
        let item = |url: &str| ResultItem {
            id: "a".into(),
            url: url.to_string(),
            lang: "en".into(),
            date: None,
            score: 1.0,
            related: false,
            title: Default::default(),
            excerpt: Default::default(),
            translations: Vec::new(),
        };
        let translation = |url: &str| Translation { lang: "ru".into(), url: url.to_string() };
        assert_eq!(select_url(&item("/en/news/1/"), None), Some("/en/news/1/"));
        assert_eq!(select_url(&item("javascript:alert(1)"), None), None);
        assert_eq!(select_url(&item("/en/"), Some(&translation("javascript:x"))), None);
        assert_eq!(select_url(&item("javascript:x"), Some(&translation("/ru/news/1/"))), Some("/ru/news/1/"));
    }
}
