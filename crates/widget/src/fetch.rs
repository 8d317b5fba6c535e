//! Fetching index files over HTTP.

use std::cell::Cell;
use std::ops::Range;
use std::rc::Rc;

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
    /// Past every cache, updating it: a cached copy turned out damaged.
    Reload,
}

/// Whether a search waits for a fetch, or it is made ahead of need (a
/// prefetch), which the browser may send after the others: on a phone's
/// link it competes with the fetches the visitor waits for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    Waited,
    Ahead,
}

/// Why a fetch failed: a message naming the url, and whether the host says
/// the file is not there (HTTP 404 or 410).
#[derive(Clone, Debug)]
pub struct FetchError {
    pub message: String,
    pub gone: bool,
}

impl From<String> for FetchError {
    fn from(message: String) -> FetchError {
        FetchError { message, gone: false }
    }
}

impl From<&str> for FetchError {
    fn from(message: &str) -> FetchError {
        FetchError { message: message.to_string(), gone: false }
    }
}

impl From<FetchError> for String {
    fn from(error: FetchError) -> String {
        error.message
    }
}

/// What a fetch brought.
pub struct Fetched {
    pub bytes: Vec<u8>,
    /// A range was asked for and the host sent the whole file instead.
    pub whole: bool,
}

/// The bytes at `url` (only `range` of them, when given and the host
/// honours it), or what went wrong.
pub async fn fetch_bytes(
    url: &str,
    freshness: Freshness,
    range: Option<Range<u64>>,
    priority: Priority,
) -> Result<Fetched, FetchError> {
    let window = web_sys::window().ok_or("no window")?;
    let init = RequestInit::new();
    if priority == Priority::Ahead {
        let _ = Reflect::set(&init, &"priority".into(), &"low".into());
    }
    match freshness {
        Freshness::Revalidate => init.set_cache(RequestCache::NoCache),
        Freshness::Reload => init.set_cache(RequestCache::Reload),
        Freshness::Immutable => {}
    }
    if let Some(range) = &range {
        // Chromium's HTTP cache lets one transaction at a time read or write
        // a URL's entry, so ranges of one postings or store file, asked for
        // together, would come one after another; the searcher keeps them anyway.
        if freshness == Freshness::Immutable {
            init.set_cache(RequestCache::NoStore);
        }
        let headers = Headers::new().map_err(|e| describe(&e))?;
        headers
            .set("Range", &format!("bytes={}-{}", range.start, range.end.saturating_sub(1)))
            .map_err(|e| describe(&e))?;
        init.set_headers(&headers);
    }
    // A host that accepts and never answers would leave the search waiting for good.
    let answer = Deadline::start(&window, &init, ANSWER_TIMEOUT_MS);
    let download = Deadline::start(&window, &init, DOWNLOAD_TIMEOUT_MS);
    let response = JsFuture::from(fetch_from_js(&window, url, &init)?).await.map_err(|e| match answer.expired() {
        true => format!("{url}: no answer within {} s", ANSWER_TIMEOUT_MS / 1000),
        false => format!("{url}: network error ({})", describe(&e)),
    })?;
    answer.cancel(&window);
    let response: Response = response.dyn_into().map_err(|_| format!("{url}: not an HTTP response"))?;
    if let (416, Some(range)) = (response.status(), &range) {
        // The range lies past the file's end: an upload cut short.
        let (start, end) = (range.start, range.end);
        return Err(format!("{url}: truncated: the file ends before bytes {start}..{end} (HTTP 416)").into());
    }
    if !response.ok() {
        let gone = matches!(response.status(), 404 | 410);
        return Err(FetchError { message: format!("{url}: HTTP {}", response.status()), gone });
    }
    let promise = response.array_buffer().map_err(|e| format!("{url}: {}", describe(&e)))?;
    let buffer = JsFuture::from(promise).await.map_err(|e| match download.expired() {
        true => format!("{url}: not downloaded within {} s", DOWNLOAD_TIMEOUT_MS / 1000),
        false => format!("{url}: download failed ({})", describe(&e)),
    })?;
    download.cancel(&window);
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Ok(Fetched { bytes, whole: range.is_some() && response.status() == 200 })
}

/// How long a host may take to start answering a request.
const ANSWER_TIMEOUT_MS: i32 = 10_000;
/// How long a whole download may take: a store file sent whole by a host
/// that ignores ranges is 16 MiB, about 80 s at 1.6 Mbit/s.
const DOWNLOAD_TIMEOUT_MS: i32 = 120_000;

/// A timer that aborts the request `init` is for once `ms` have passed,
/// unless cancelled first.
struct Deadline {
    timer: i32,
    expired: Rc<Cell<bool>>,
}

impl Deadline {
    fn start(window: &web_sys::Window, init: &RequestInit, ms: i32) -> Deadline {
        let expired = Rc::new(Cell::new(false));
        // The request's one controller, made by the first deadline.
        let controller = Reflect::get(init, &"qidiruvAbort".into()).ok().filter(JsValue::is_object).or_else(|| {
            let ctor: Function = Reflect::get(&js_sys::global(), &"AbortController".into()).ok()?.dyn_into().ok()?;
            let controller = Reflect::construct(&ctor, &js_sys::Array::new()).ok()?;
            let _ = Reflect::set(init, &"signal".into(), &Reflect::get(&controller, &"signal".into()).ok()?);
            let _ = Reflect::set(init, &"qidiruvAbort".into(), &controller);
            Some(controller)
        });
        let Some(controller) = controller else { return Deadline { timer: 0, expired } };
        let flag = expired.clone();
        let abort = wasm_bindgen::closure::Closure::once_into_js(move || {
            flag.set(true);
            if let Ok(abort) = Reflect::get(&controller, &"abort".into()).and_then(|f| f.dyn_into::<Function>()) {
                let _ = abort.call0(&controller);
            }
        });
        let timer =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), ms).unwrap_or(0);
        Deadline { timer, expired }
    }

    fn expired(&self) -> bool {
        self.expired.get()
    }

    fn cancel(&self, window: &web_sys::Window) {
        window.clear_timeout_with_handle(self.timer);
    }
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
