//! Index parts kept across visits, in the page's Cache Storage. Parts are
//! content-hashed and never change, so a returning visitor, even after
//! publishes, fetches only the parts it has not seen yet. The HTTP cache
//! cannot serve here: ranges of one file asked for together would wait on
//! each other in Chromium's cache, so ranges are fetched with `no-store`,
//! and the widget keeps what it verified itself. Only verified bytes are put.
//!
//! Writes wait until the page has been quiet for a moment (or is hidden):
//! each one is a file the browser writes, and a burst of them while the
//! visitor types slowed every keystroke's fetches by a fifth.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// The cache's name; the loader's prefetch reads it too (`qidiruv.js`).
const CACHE_NAME: &str = "qidiruv-parts-v1";

/// How long after the last put the kept parts are written.
const QUIET_MS: i32 = 1_000;

/// An open `Cache` of the Cache Storage API, and the keys it held when
/// opened: a lookup of a part it never held costs nothing, so a first
/// visit waits on no cache round trips.
#[derive(Clone)]
pub struct PartCache {
    cache: JsValue,
    held: Rc<RefCell<HashSet<String>>>,
    /// Put but not yet written: served from here meanwhile.
    pending: Rc<RefCell<HashMap<String, Vec<u8>>>>,
    /// Counts puts: a quiet-time timer writes only if none came since it was set.
    puts: Rc<Cell<u32>>,
}

/// The key of a part, or of a range of it.
pub fn key(url: &str, range: &Option<Range<u64>>) -> String {
    match range {
        Some(range) => format!("{url}?bytes={}-{}", range.start, range.end),
        None => url.to_string(),
    }
}

impl PartCache {
    /// The cache, where the page has one (a secure context) and may use it.
    pub async fn open() -> Option<PartCache> {
        let caches = Reflect::get(&js_sys::global(), &"caches".into()).ok().filter(|c| c.is_object())?;
        let cache = JsFuture::from(call(&caches, "open", &[CACHE_NAME.into()])?).await.ok()?;
        let keys = JsFuture::from(call(&cache, "keys", &[])?).await.ok()?;
        let held = Array::from(&keys)
            .iter()
            .filter_map(|request| Reflect::get(&request, &"url".into()).ok()?.as_string())
            .collect();
        let cache = PartCache { cache, held: Rc::new(RefCell::new(held)), pending: Rc::default(), puts: Rc::default() };
        cache.write_when_hidden();
        Some(cache)
    }

    /// Whether a part is kept (or about to be) under `key`.
    pub fn holds(&self, key: &str) -> bool {
        self.held.borrow().contains(key)
    }

    /// The bytes kept under `key`, if any.
    pub async fn get(&self, key: &str) -> Option<Vec<u8>> {
        if let Some(bytes) = self.pending.borrow().get(key) {
            return Some(bytes.clone());
        }
        if !self.held.borrow().contains(key) {
            return None;
        }
        let response =
            JsFuture::from(call(&self.cache, "match", &[key.into()])?).await.ok().filter(|r| r.is_object())?;
        let buffer = JsFuture::from(call(&response, "arrayBuffer", &[])?).await.ok()?;
        Some(Uint8Array::new(&buffer).to_vec())
    }

    /// Keeps `bytes` under `key`, written once the page has been quiet for
    /// [`QUIET_MS`]; a full cache just keeps less.
    pub fn put(&self, key: &str, bytes: &[u8]) {
        self.held.borrow_mut().insert(key.to_string());
        self.pending.borrow_mut().insert(key.to_string(), bytes.to_vec());
        let puts = self.puts.get().wrapping_add(1);
        self.puts.set(puts);
        let cache = self.clone();
        let quiet = Closure::once_into_js(move || {
            if cache.puts.get() == puts {
                cache.write_pending();
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(quiet.unchecked_ref(), QUIET_MS);
        }
    }

    /// Writes what waits when the page is hidden: the visitor may not come back to it.
    fn write_when_hidden(&self) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let cache = self.clone();
        let hidden = document.clone();
        let listener = Closure::<dyn Fn()>::new(move || {
            if hidden.hidden() {
                cache.write_pending();
            }
        });
        let _ = document.add_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
        listener.forget();
    }

    /// Writes every pending part, one after another, in the background.
    fn write_pending(&self) {
        let pending: Vec<(String, Vec<u8>)> = self.pending.borrow_mut().drain().collect();
        let cache = self.cache.clone();
        spawn_local(async move {
            for (key, bytes) in pending {
                let response = Reflect::get(&js_sys::global(), &"Response".into())
                    .ok()
                    .and_then(|ctor| ctor.dyn_into::<Function>().ok())
                    .and_then(|ctor| Reflect::construct(&ctor, &Array::of1(&Uint8Array::from(&bytes[..]))).ok());
                if let Some(promise) = response.and_then(|response| call(&cache, "put", &[key.into(), response])) {
                    let _ = JsFuture::from(promise).await;
                }
            }
        });
    }

    /// Drops what the cache holds under `base` for parts not in `names`
    /// (parts the index no longer names), in the background, from the keys
    /// it listed when it opened.
    pub fn keep_only(&self, base: &str, names: HashSet<String>) {
        let stale: Vec<String> = self
            .held
            .borrow()
            .iter()
            .filter(|url| {
                url.strip_prefix(base).is_some_and(|rest| !names.contains(rest.split('?').next().unwrap_or(rest)))
            })
            .cloned()
            .collect();
        let cache = self.clone();
        spawn_local(async move {
            for url in stale {
                cache.held.borrow_mut().remove(&url);
                if let Some(promise) = call(&cache.cache, "delete", &[url.into()]) {
                    let _ = JsFuture::from(promise).await;
                }
            }
        });
    }
}

/// `target[method](...args)`, when it is a function returning a promise.
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Option<Promise> {
    let function: Function = Reflect::get(target, &method.into()).ok()?.dyn_into().ok()?;
    let args: Array = args.iter().collect();
    function.apply(target, &args).ok()?.dyn_into().ok()
}
