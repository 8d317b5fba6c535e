//! The index as the browser sees it: the manifest and document table on
//! first use, then the parts each query needs, fetched in parallel and kept
//! for the page's lifetime, shared by every widget using the same index.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::future::{self, join_all, FutureExt, LocalBoxFuture, Shared};
use js_sys::{ArrayBuffer, Promise, Reflect, Symbol, Uint8Array};
use qidiruv_engine::index::{Manifest, MANIFEST_NAME};
use qidiruv_engine::{PartRequest, Presented, Query, SearchOptions, Searcher, Step};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::fetch::{fetch_bytes, Freshness};

/// Work one task may do before it lets the browser handle input and paint:
/// half a frame, leaving the other half to the render that follows.
const TASK_BUDGET_MS: f64 = 8.0;

/// The start of the current task's run of synchronous work.
struct Frame(f64);

impl Frame {
    fn start() -> Frame {
        Frame(js_sys::Date::now())
    }

    /// Ends the task once it has run for its budget.
    async fn yield_if_spent(&mut self) {
        if js_sys::Date::now() - self.0 >= TASK_BUDGET_MS {
            yield_now().await;
            *self = Frame::start();
        }
    }
}

/// Lets the browser run input, rendering and other tasks (a zero timeout).
async fn yield_now() {
    yew::platform::time::sleep(std::time::Duration::ZERO).await;
}

/// At most this long a search waits for the frame after its keystroke: a
/// hidden page paints no frames, and the JS API must still answer there.
const PAINT_WAIT_MS: i32 = 50;

/// Resolves once the browser has painted its next frame (in a task after
/// the next animation frame), or after [`PAINT_WAIT_MS`].
async fn after_next_paint() {
    let Some(window) = web_sys::window() else { return };
    let painted = Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), PAINT_WAIT_MS);
        let later = window.clone();
        let after = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = later.set_timeout_with_callback(resolve.unchecked_ref());
        });
        let _ = window.request_animation_frame(after.unchecked_ref());
    });
    let _ = JsFuture::from(painted).await;
}

type Fetch<T> = Shared<LocalBoxFuture<'static, Result<T, String>>>;
type Bytes = Fetch<Rc<Vec<u8>>>;

/// An open index and the parts loaded or loading so far.
pub struct LoadedIndex {
    base: String,
    searcher: RefCell<Searcher>,
    /// Parts on their way, or that failed: a part two keystrokes both need is fetched once.
    fetching: RefCell<HashMap<PartRequest, Bytes>>,
    ranges: Rc<Cell<Ranges>>,
    /// Whole files, by name, once the host is known to ignore ranges.
    files: Rc<RefCell<HashMap<String, Bytes>>>,
    /// The first range asked of each file while `ranges` is unknown.
    probes: RefCell<HashMap<String, Bytes>>,
}

thread_local! {
    static INDEXES: RefCell<HashMap<String, Opening>> = RefCell::new(HashMap::new());
}

/// An index being opened, opened, or that failed to open.
struct Opening {
    fetch: Fetch<Rc<LoadedIndex>>,
    /// After a failure: when a search may try again by itself, and the wait after that.
    retry_at: f64,
    backoff_ms: f64,
}

/// The wait before a failed index is fetched again unasked, doubled each
/// time up to the maximum: typing on must not refetch it every keystroke.
const FIRST_BACKOFF_MS: f64 = 5_000.0;
const MAX_BACKOFF_MS: f64 = 300_000.0;

/// The index at `base` (a URL ending in `/`), opening it on first use. A
/// failed open answers its error again, without fetching, until its back-off
/// has passed or [`retry`] is called; every part that failed stays failed
/// until then too (the open index is dropped with it).
pub async fn index_at(base: &str) -> Result<Rc<LoadedIndex>, String> {
    let now = js_sys::Date::now();
    let loading = INDEXES.with(|cache| {
        let mut cache = cache.borrow_mut();
        let backoff_ms = match cache.get(base) {
            Some(open) if !matches!(open.fetch.peek(), Some(Err(_))) || now < open.retry_at => {
                return open.fetch.clone();
            }
            Some(failed) => (failed.backoff_ms * 2.0).min(MAX_BACKOFF_MS),
            None => FIRST_BACKOFF_MS,
        };
        let fetch = open(base.to_string()).boxed_local().shared();
        cache.insert(base.to_string(), Opening { fetch: fetch.clone(), retry_at: 0.0, backoff_ms });
        fetch
    });
    let result = loading.await;
    if result.is_err() {
        INDEXES.with(|cache| {
            if let Some(open) = cache.borrow_mut().get_mut(base).filter(|o| o.retry_at == 0.0) {
                open.retry_at = js_sys::Date::now() + open.backoff_ms;
            }
        });
    }
    result
}

/// Forgets the index at `base` and its failures: the visitor asked to try again.
pub fn retry(base: &str) {
    INDEXES.with(|cache| cache.borrow_mut().remove(base));
}

/// The manifest, then the document table: the two fetches a focus prefetches
/// (the loader starts them while the wasm downloads; see `prefetched`).
async fn open(base: String) -> Result<Rc<LoadedIndex>, String> {
    let manifest_url = format!("{base}{MANIFEST_NAME}");
    let (bytes, docs) = match prefetched(&base).await {
        Some(parts) => parts,
        None => (fetch_bytes(&manifest_url, Freshness::Revalidate, None).await?.bytes, None),
    };
    let manifest = parse_manifest(&bytes).map_err(|e| format!("{manifest_url}: {e}"))?;
    let docs = match docs {
        Some(docs) => docs,
        None => fetch_bytes(&format!("{base}{}", manifest.parts.docs), Freshness::Immutable, None).await?.bytes,
    };
    let searcher = Searcher::open(manifest, &docs).map_err(|e| format!("{base}: {e}"))?;
    Ok(Rc::new(LoadedIndex {
        base,
        searcher: RefCell::new(searcher),
        fetching: RefCell::default(),
        ranges: Rc::new(Cell::new(Ranges::Unknown)),
        files: Rc::default(),
        probes: RefCell::default(),
    }))
}

/// The manifest and document table `qidiruv.js` fetched for `base`, if it
/// did and they arrived; otherwise the widget fetches them itself.
async fn prefetched(base: &str) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let registry = Reflect::get(&js_sys::global(), &Symbol::for_("qidiruv.prefetched")).ok()?;
    let promise: Promise = registry.dyn_into::<js_sys::Map>().ok()?.get(&JsValue::from_str(base)).dyn_into().ok()?;
    let parts = JsFuture::from(promise).await.ok()?;
    let bytes = |field: &str| {
        let value = Reflect::get(&parts, &JsValue::from_str(field)).ok()?;
        value.is_instance_of::<ArrayBuffer>().then(|| Uint8Array::new(&value).to_vec())
    };
    Some((bytes("manifest")?, bytes("docs")))
}

fn parse_manifest(bytes: &[u8]) -> Result<Manifest, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the manifest is not UTF-8 text")?;
    let value = js_sys::JSON::parse(text).map_err(|_| "the manifest is not JSON")?;
    let manifest: Manifest =
        serde_wasm_bindgen::from_value(value).map_err(|e| format!("not a Qidiruv manifest ({e})"))?;
    manifest.check_version().map_err(|e| e.to_string())?;
    Ok(manifest)
}

impl LoadedIndex {
    /// Ranks the query and cuts the shown results' excerpts, fetching what
    /// each step needs: dictionary shards, then postings lists, then store slots.
    pub async fn search(&self, query: &Query, options: &SearchOptions) -> Result<Presented, String> {
        let shown = self.search_while(query, options, || true).await?;
        shown.ok_or_else(|| format!("{}: search abandoned", self.base))
    }

    /// [`search`](Self::search) for as long as `wanted` says the answer is
    /// still wanted: `None` once a newer request has replaced this one, so
    /// a stale keystroke fetches nothing more. The parts it already asked for
    /// still arrive and are kept: the next keystroke most likely needs them.
    pub async fn search_while(
        &self,
        query: &Query,
        options: &SearchOptions,
        wanted: impl Fn() -> bool,
    ) -> Result<Option<Presented>, String> {
        // After the keystroke's frame: the box shows what was typed at once.
        after_next_paint().await;
        let mut frame = Frame::start();
        let found = loop {
            if !wanted() {
                return Ok(None);
            }
            let step = self.searcher.borrow().search(query, options).map_err(|e| format!("{}: {e}", self.base))?;
            match step {
                Step::Ready(found) => break found,
                Step::Need(parts) => {
                    self.fetch_all(parts).await?;
                    frame = Frame::start();
                }
            }
        };
        loop {
            // Ranking, cutting each article's words and the render take a
            // few milliseconds each; together they could hold up a keystroke.
            loop {
                frame.yield_if_spent().await;
                if !wanted() {
                    return Ok(None);
                }
                if !self.searcher.borrow().cut_next_words(&found, options.limit) {
                    break;
                }
            }
            let step = self.searcher.borrow().present(query, &found, options.limit);
            match step {
                Step::Ready(shown) => {
                    frame.yield_if_spent().await;
                    return Ok(Some(shown));
                }
                Step::Need(parts) => {
                    self.fetch_all(parts).await?;
                    frame = Frame::start();
                }
            }
        }
    }

    /// Fetches the parts in parallel and hands them to the searcher. A part
    /// that failed stays failed (see [`index_at`]): not refetched per keystroke.
    async fn fetch_all(&self, requests: Vec<PartRequest>) -> Result<(), String> {
        let fetches: Vec<_> = requests.iter().map(|request| self.fetch(request)).collect();
        let fetched = join_all(fetches).await;
        let mut result = Ok(());
        for (request, bytes) in requests.iter().zip(fetched) {
            let added = bytes.and_then(|bytes| {
                self.searcher.borrow_mut().add_part(request, &bytes).map_err(|e| format!("{}: {e}", self.base))
            });
            let mut fetching = self.fetching.borrow_mut();
            match &added {
                Ok(()) => fetching.remove(request),
                Err(e) => fetching.insert(request.clone(), future::ready(Err(e.clone())).boxed_local().shared()),
            };
            result = result.and(added);
        }
        result
    }

    fn fetch(&self, request: &PartRequest) -> Bytes {
        if let Some(fetching) = self.fetching.borrow().get(request) {
            return fetching.clone();
        }
        let url = format!("{}{}", self.base, request.name);
        let (name, range) = (request.name.clone(), request.range.clone());
        let (files, ranges) = (self.files.clone(), self.ranges.clone());
        // Until a range has been answered, a range of a file already asked for
        // waits for that answer: a host that ignores Range then sends the file
        // whole once, not once per range.
        let probing = range.is_some() && ranges.get() == Ranges::Unknown;
        let probe = self.probes.borrow().get(&name).cloned().filter(|_| probing);
        let first = probe.is_none();
        let fetch = async move {
            let Some(range) = range else {
                return Ok(Rc::new(fetch_bytes(&url, Freshness::Immutable, None).await?.bytes));
            };
            if let Some(probe) = probe {
                let _ = probe.await;
            }
            let known = files.borrow().get(&name).cloned();
            let file = match known {
                Some(file) => file,
                None if ranges.get() == Ranges::Ignored => {
                    let file =
                        async move { fetch_bytes(&url, Freshness::Immutable, None).await.map(|f| Rc::new(f.bytes)) };
                    files.borrow_mut().entry(name).or_insert(file.boxed_local().shared()).clone()
                }
                None => {
                    let fetched = fetch_bytes(&url, Freshness::Immutable, Some(range.clone())).await?;
                    if !fetched.whole {
                        ranges.set(Ranges::Honoured);
                        return Ok(Rc::new(fetched.bytes));
                    }
                    ranges.set(Ranges::Ignored);
                    let file = future::ready(Ok(Rc::new(fetched.bytes))).boxed_local().shared();
                    files.borrow_mut().entry(name).or_insert(file).clone()
                }
            };
            let file = file.await?;
            // Past the end (a file cut short) gives fewer bytes, which add_part refuses.
            let end = usize::try_from(range.end).unwrap_or(usize::MAX).min(file.len());
            let start = usize::try_from(range.start).unwrap_or(usize::MAX).min(end);
            Ok(Rc::new(file[start..end].to_vec()))
        }
        .boxed_local()
        .shared();
        if probing && first {
            self.probes.borrow_mut().insert(request.name.clone(), fetch.clone());
        }
        self.fetching.borrow_mut().insert(request.clone(), fetch.clone());
        fetch
    }
}

/// Whether the host answers `Range` requests with just the bytes asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ranges {
    Unknown,
    Honoured,
    /// It sends whole files (as `python3 -m http.server` does): each is
    /// fetched once and kept, and ranges are cut from it here.
    Ignored,
}
