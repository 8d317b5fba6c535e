//! Fetching index files over HTTP.

use std::ops::Range;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use web_sys::{Headers, RequestCache, RequestInit, Response};

/// How a file is fetched: the manifest is revalidated on every load, the
/// content-hashed parts may come from any cache.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    Revalidate,
    Immutable,
}

/// What a fetch brought.
pub struct Fetched {
    pub bytes: Vec<u8>,
    /// A range was asked for and the host sent the whole file instead.
    pub whole: bool,
}

/// The bytes at `url` (only `range` of them, when given and the host
/// honours it), or a message naming the url and what went wrong.
pub async fn fetch_bytes(url: &str, freshness: Freshness, range: Option<Range<u64>>) -> Result<Fetched, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = RequestInit::new();
    if freshness == Freshness::Revalidate {
        init.set_cache(RequestCache::NoCache);
    }
    if let Some(range) = &range {
        // Chromium's HTTP cache lets one transaction at a time read or write
        // a URL's entry, so ranges of one postings or store file, asked for
        // together, would come one after another; the searcher keeps them anyway.
        init.set_cache(RequestCache::NoStore);
        let headers = Headers::new().map_err(|e| describe(&e))?;
        headers
            .set("Range", &format!("bytes={}-{}", range.start, range.end.saturating_sub(1)))
            .map_err(|e| describe(&e))?;
        init.set_headers(&headers);
    }
    let response = JsFuture::from(fetch_from_js(&window, url, &init)?)
        .await
        .map_err(|e| format!("{url}: network error ({})", describe(&e)))?;
    let response: Response = response.dyn_into().map_err(|_| format!("{url}: not an HTTP response"))?;
    if let (416, Some(range)) = (response.status(), &range) {
        // The range lies past the file's end: an upload cut short.
        return Err(format!("{url}: truncated: the file ends before bytes {range:?} (HTTP 416)"));
    }
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let promise = response.array_buffer().map_err(|e| format!("{url}: {}", describe(&e)))?;
    let buffer = JsFuture::from(promise).await.map_err(|e| format!("{url}: download failed ({})", describe(&e)))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Ok(Fetched { bytes, whole: range.is_some() && response.status() == 200 })
}

/// `window.fetch(url, init)`, called from a microtask of its own rather
/// than from the wasm. Under DevTools (as in the benchmark) each fetch()
/// called with wasm frames on the stack costs ≈ 1 ms, so a round's eight
/// requests went out over 8–15 ms; from JS, eight take ≈ 1.5 ms. Bound and
/// handed to `then`, fetch runs with nothing of ours on the stack.
fn fetch_from_js(window: &web_sys::Window, url: &str, init: &RequestInit) -> Result<Promise, String> {
    let fetch: Function = Reflect::get(window, &"fetch".into()).map_err(|e| describe(&e))?.unchecked_into();
    let call = fetch.bind2(window, &JsValue::from_str(url), init);
    let ready = Promise::resolve(&JsValue::UNDEFINED);
    let then: Function = Reflect::get(&ready, &"then".into()).map_err(|e| describe(&e))?.unchecked_into();
    then.call1(&ready, &call).map(JsCast::unchecked_into).map_err(|e| describe(&e))
}

fn describe(error: &wasm_bindgen::JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
