//! DOM events for the page, fired at the `<qidiruv-search>` element
//! (`bubbles` and `composed`, so they leave the shadow root): see
//! `docs/embedding.md`.

use js_sys::{Object, Reflect};
use qidiruv_engine::index::Translation;
use qidiruv_engine::ResultItem;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CustomEvent, CustomEventInit, EventTarget, Node, ShadowRoot};

/// Fires `qidiruv-query` for the shown results of `query`, with the detail
/// `{ query, total }`.
pub fn query_shown(from: &Node, query: &str, total: usize) {
    fire(from, "qidiruv-query", &[("query", query.into()), ("total", number(total))], false);
}

/// Fires `qidiruv-select` for `item` (or its `translation`), shown at
/// `index`; false when a listener called `preventDefault()`, and the
/// widget must not navigate. Its detail is `{ id, url, title, lang, date,
/// query, position }`: `url` only when the widget would link to it, else
/// `null` (a forged index's `javascript:` url, say), `date` or `null`, and
/// `position` 1 for the first result.
pub fn selected(from: &Node, item: &ResultItem, translation: Option<&Translation>, query: &str, index: usize) -> bool {
    let detail = [
        ("id", item.id.as_str().into()),
        ("url", select_url(item, translation).map_or(JsValue::NULL, JsValue::from)),
        ("title", item.title.text.as_str().into()),
        ("lang", translation.map_or(&item.lang, |t| &t.lang).as_str().into()),
        ("date", item.date.as_deref().map_or(JsValue::NULL, JsValue::from)),
        ("query", query.into()),
        ("position", number(index + 1)),
    ];
    fire(from, "qidiruv-select", &detail, true)
}

fn number(n: usize) -> JsValue {
    (n as f64).into()
}

/// The url `qidiruv-select` reports for `item` (or its `translation`):
/// only one that passes the links' check, so a listener that navigates to
/// it never runs a forged index's `javascript:` url.
fn select_url<'a>(item: &'a ResultItem, translation: Option<&'a Translation>) -> Option<&'a str> {
    crate::view::safe_href(translation.map_or(&item.url, |t| &t.url))
}

/// Dispatches a custom event at the element whose shadow root holds
/// `from`; returns whether it was not cancelled.
fn fire(from: &Node, name: &str, detail: &[(&str, JsValue)], cancelable: bool) -> bool {
    let object = Object::new();
    for (key, value) in detail {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(cancelable);
    init.set_detail(&object);
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
