//! The index as the browser sees it: the manifest and document table on
//! first use, then the parts each query needs, fetched in parallel and kept
//! for the page's lifetime, shared by every widget using the same index.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::ops::Range;
use std::rc::Rc;
use std::task::Poll;

use futures::future::{self, FutureExt, LocalBoxFuture, Shared};
use js_sys::{ArrayBuffer, Promise, Reflect, Symbol, Uint8Array};
use qidiruv_engine::index::{unseal, Manifest, MANIFEST_NAME};
use qidiruv_engine::{PartRequest, Presented, Query, SearchOptions, Searcher, Step};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::fetch::{fetch_bytes, FetchError, Freshness, Priority};
use crate::part_cache::{self, PartCache};

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

/// Waits for all of `futures`, polling each in turn, and gives their outputs
/// in order: what `futures::future::join_all` does for a few futures, without
/// the task pool it switches to for more than 30 (some kilobytes of wasm per use).
async fn join_all<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut futures: Vec<_> = futures.into_iter().map(|f| Box::pin(future::maybe_done(f))).collect();
    future::poll_fn(|cx| {
        let mut ready = true;
        for f in &mut futures {
            ready &= f.as_mut().poll(cx).is_ready();
        }
        if ready {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    futures.iter_mut().filter_map(|f| f.as_mut().take_output()).collect()
}

type Fetch<T, E = String> = Shared<LocalBoxFuture<'static, Result<T, E>>>;
/// A part on its way, and whether it comes from the [`PartCache`].
type PartFetch = Fetch<(Rc<Vec<u8>>, bool), FetchError>;
/// A whole file, fetched once from a host that ignores ranges.
type File = Fetch<Rc<Vec<u8>>, FetchError>;

/// An open index and the parts loaded or loading so far.
pub struct LoadedIndex {
    base: String,
    searcher: RefCell<Searcher>,
    /// Parts on their way, or that failed: a part two keystrokes both need
    /// is fetched once, and one that failed is not fetched again per keystroke.
    fetching: RefCell<HashMap<PartRequest, PartFetch>>,
    ranges: Rc<Cell<Ranges>>,
    /// Whole files, by name, once the host is known to ignore ranges.
    files: Rc<RefCell<Named<File>>>,
    /// The first range asked of each file while `ranges` is unknown.
    probes: RefCell<Named<PartFetch>>,
    /// The host no longer has a part this manifest names: a publish since.
    gone: Cell<bool>,
    /// Verified parts kept across visits, where the page has Cache Storage.
    cache: Option<Rc<PartCache>>,
}

thread_local! {
    static INDEXES: RefCell<Named<Opening>> = RefCell::default();
}

/// A few values by name (an index or two per page, a few files per index),
/// kept in a list: a hash map's code costs a few kilobytes of wasm per type.
struct Named<T>(Vec<(String, T)>);

impl<T> Default for Named<T> {
    fn default() -> Self {
        Named(Vec::new())
    }
}

impl<T> Named<T> {
    fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, value)| value)
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut T> {
        self.0.iter_mut().find(|(n, _)| n == name).map(|(_, value)| value)
    }

    /// The value under `name`, where `value` is put unless one is there already.
    fn or_insert(&mut self, name: &str, value: T) -> &T {
        let at = self.0.iter().position(|(n, _)| n == name).unwrap_or_else(|| {
            self.0.push((name.to_string(), value));
            self.0.len() - 1
        });
        &self.0[at].1
    }

    fn insert(&mut self, name: &str, value: T) {
        self.remove(name);
        self.0.push((name.to_string(), value));
    }

    fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| n != name);
    }
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
        cache.insert(base, Opening { fetch: fetch.clone(), retry_at: 0.0, backoff_ms });
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

/// Searches the index at `base` (see [`LoadedIndex::search_while`]). When
/// the host no longer has a part the page's manifest names (publishes
/// since the page opened pruned it), the index is opened again from a fresh
/// manifest, once, and the search goes on there.
pub async fn search_at(
    base: &str,
    query: &Query,
    options: &SearchOptions,
    progress: &Progress<'_>,
) -> Result<Option<Presented>, String> {
    let index = index_at(base).await?;
    match index.search_while(query, options, progress).await {
        Err(_) if index.gone.get() => {
            forget(base, &index);
            index_at(base).await?.search_while(query, options, progress).await
        }
        result => result,
    }
}

/// What a search asks its caller as it goes, and tells it.
pub struct Progress<'a> {
    /// Whether the answer is still wanted: once not, the search stops.
    pub wanted: &'a dyn Fn() -> bool,
    /// The query's words are expanded (its dictionary parts are in): what
    /// the next keystroke will need can be named, and fetched meanwhile.
    pub expanded: &'a dyn Fn(),
    /// The results as their slots' heads show them, while tails load.
    pub preview: &'a dyn Fn(Presented),
}

impl Progress<'_> {
    /// A search whose caller waits for its answer alone.
    pub const ANSWER: Progress<'static> = Progress { wanted: &|| true, expanded: &|| {}, preview: &|_| {} };
}

/// Fetches ahead what the visitor's likely next keystrokes after `query`
/// will ask the index at `base` for (see [`LoadedIndex::prefetch_while`]).
pub async fn prefetch_at(base: &str, query: &Query, options: &SearchOptions, bytes: u64, wanted: &dyn Fn() -> bool) {
    if let Ok(index) = index_at(base).await {
        index.prefetch_while(query, options, bytes, wanted).await;
    }
}

/// Drops `index` from the open indexes, unless another replaced it already.
fn forget(base: &str, index: &Rc<LoadedIndex>) {
    INDEXES.with(|cache| {
        let mut cache = cache.borrow_mut();
        let cached = cache.get(base).and_then(|open| open.fetch.peek().cloned());
        if cached.is_some_and(|open| open.is_ok_and(|open| Rc::ptr_eq(&open, index))) {
            cache.remove(base);
        }
    });
}

/// The manifest, which the loader prefetches on focus (see `prefetched`),
/// or else fetches itself. The segments' document tables are parts the
/// first search asks for with its first dictionary shards; those the loader
/// prefetched are waiting for it.
async fn open(base: String) -> Result<Rc<LoadedIndex>, String> {
    let manifest_url = format!("{base}{MANIFEST_NAME}");
    // The cache opens (and lists what it holds) while the manifest comes.
    let (prefetched, cache) = future::join(prefetched(&base), PartCache::open()).await;
    let cache = cache.map(Rc::new);
    let Prefetched { manifest: bytes, docs, ranges } = match prefetched {
        Some(parts) => parts,
        None => Prefetched {
            manifest: fetch_bytes(&manifest_url, Freshness::Revalidate, None, Priority::Waited).await?.bytes,
            docs: None,
            ranges: None,
        },
    };
    let manifest = parse_manifest(&bytes).map_err(|e| format!("{manifest_url}: {e}"))?;
    let searcher = Searcher::new(manifest).map_err(|e| format!("{base}: {e}"))?;
    if let Some(cache) = &cache {
        cache.keep_only(&base, searcher.manifest().part_names().map(str::to_string).collect());
    }
    let tables: Vec<String> = searcher.manifest().segments.iter().map(|s| s.parts.docs.clone()).collect();
    let index = LoadedIndex {
        base,
        searcher: RefCell::new(searcher),
        fetching: RefCell::default(),
        ranges: Rc::new(Cell::new(Ranges::Unknown)),
        files: Rc::default(),
        probes: RefCell::default(),
        gone: Cell::new(false),
        cache,
    };
    if let Some(docs) = docs {
        let docs = JsFuture::from(docs).map(|docs| docs.ok()).boxed_local().shared();
        for (i, name) in tables.into_iter().enumerate() {
            let request = PartRequest { name, range: None };
            let prefetched =
                docs.clone().map(move |docs| docs.and_then(|docs| array_bytes(Reflect::get(&docs, &i.into()).ok()?)));
            index.fetch_prefetched(request, prefetched);
        }
    }
    if let Some(ranges) = ranges {
        // A probe the loader made tells the host's ways before the first range read.
        let learnt = index.ranges.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let answer = JsFuture::from(ranges).await.ok().and_then(|r| r.as_bool());
            if let (Some(honoured), Ranges::Unknown) = (answer, learnt.get()) {
                learnt.set(if honoured { Ranges::Honoured } else { Ranges::Ignored });
            }
        });
    }
    Ok(Rc::new(index))
}

/// The manifest `qidiruv.js` fetched for `base`, if it did and it arrived,
/// with its promises of the document tables and of whether the host
/// answers ranges; otherwise the widget fetches for itself.
async fn prefetched(base: &str) -> Option<Prefetched> {
    let registry: js_sys::Map =
        Reflect::get(&js_sys::global(), &Symbol::for_("qidiruv.prefetched")).ok()?.dyn_into().ok()?;
    let promise: Promise = registry.get(&JsValue::from_str(base)).dyn_into().ok()?;
    // Used once: an index opened again (after a publish, or to retry) starts
    // from a fresh manifest. The entry stays, emptied, so the loader does not prefetch again.
    registry.set(&JsValue::from_str(base), &JsValue::NULL);
    let parts = JsFuture::from(promise).await.ok()?;
    let field = |name: &str| Reflect::get(&parts, &JsValue::from_str(name)).ok();
    let promise = |name: &str| field(name)?.dyn_into::<Promise>().ok();
    Some(Prefetched { manifest: array_bytes(field("manifest")?)?, docs: promise("docs"), ranges: promise("ranges") })
}

/// The bytes of an `ArrayBuffer`.
fn array_bytes(value: JsValue) -> Option<Vec<u8>> {
    value.is_instance_of::<ArrayBuffer>().then(|| Uint8Array::new(&value).to_vec())
}

/// What the loader fetched for an index: the manifest, and promises of the
/// segments' document tables (an `ArrayBuffer` or `null` each) and of
/// whether the host answered a range (a boolean, or `undefined`).
struct Prefetched {
    manifest: Vec<u8>,
    docs: Option<Promise>,
    ranges: Option<Promise>,
}

fn parse_manifest(bytes: &[u8]) -> Result<Manifest, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the manifest is not UTF-8 text")?;
    let value = js_sys::JSON::parse(text).map_err(|_| "the manifest is not JSON")?;
    let manifest = Manifest::from_js(&value).map_err(|e| format!("not a Qidiruv manifest ({e})"))?;
    manifest.check_version().map_err(|e| e.to_string())?;
    Ok(manifest)
}

impl LoadedIndex {
    /// Ranks the query and cuts the shown results' excerpts, fetching what
    /// each step needs (dictionary shards, then postings lists, then store
    /// slots' heads, then the tails of those whose lede lacks the excerpt),
    /// for as long as `wanted` says the answer is
    /// still wanted: `None` once a newer request has replaced this one, so
    /// a stale keystroke fetches nothing more. The parts it already asked for
    /// still arrive and are kept: the next keystroke most likely needs them.
    /// `progress` hears of each stage (see [`Progress`]).
    pub async fn search_while(
        &self,
        query: &Query,
        options: &SearchOptions,
        progress: &Progress<'_>,
    ) -> Result<Option<Presented>, String> {
        let Progress { wanted, expanded, preview } = *progress;
        // After the keystroke's frame: the box shows what was typed at once.
        after_next_paint().await;
        let mut frame = Frame::start();
        let (mut previewed, mut told, mut rounds) = (false, false, 0);
        let found = loop {
            if !wanted() {
                return Ok(None);
            }
            let step = self.searcher.borrow().search(query, options).map_err(|e| format!("{}: {e}", self.base))?;
            // A first round of whole parts is the words' dictionary parts (with the
            // tables, say); once past it, or at a range, the words are expanded.
            let expanding =
                rounds == 0 && matches!(&step, Step::Need(parts) if parts.iter().all(|p| p.range.is_none()));
            if !told && !expanding {
                told = true;
                expanded();
            }
            match step {
                Step::Ready(found) => break found,
                Step::Need(parts) => {
                    self.fetch_all(parts).await?;
                    rounds += 1;
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
                    let shown =
                        if previewed { None } else { self.searcher.borrow().preview(query, &found, options.limit) };
                    if let Some(shown) = shown {
                        previewed = true;
                        preview(shown);
                        // The tails complete excerpts: the results need not wait for their requests.
                        after_next_paint().await;
                        if !wanted() {
                            return Ok(None);
                        }
                    }
                    self.fetch_all(parts).await?;
                    frame = Frame::start();
                }
            }
        }
    }

    /// Fetches, after the next paint and at low priority, the parts the
    /// likeliest next keystrokes after `query` would wait for, round after
    /// round (their dictionary parts and postings, then their hits' store
    /// slots), up to `bytes` not yet loaded, for as long as `wanted` says no
    /// keystroke has come since. Fetches under way when one comes finish:
    /// that keystroke most likely needs them, and waits on them rather than
    /// asking again. A part that fails is forgotten: the search that needs
    /// it fetches it itself, and reports what it meets.
    pub async fn prefetch_while(&self, query: &Query, options: &SearchOptions, bytes: u64, wanted: &dyn Fn() -> bool) {
        let mut left = bytes;
        let mut tried: Vec<PartRequest> = Vec::new();
        loop {
            after_next_paint().await;
            if !wanted() || left == 0 {
                return;
            }
            let named = self.searcher.borrow().likely_next_parts(query, options, left);
            // One by one: a range another part of the round takes in is not asked for.
            let mut parts: Vec<PartRequest> = Vec::new();
            let mut fetches: Vec<PartFetch> = Vec::new();
            for part in named.into_iter().filter(|part| !tried.contains(part)) {
                if !self.is_fetching(&part) {
                    fetches.push(self.fetch(&part, Priority::Ahead));
                    parts.push(part);
                }
            }
            if parts.is_empty() {
                return;
            }
            for ((part, fetch), fetched) in parts.iter().zip(&fetches).zip(join_all(fetches.clone()).await) {
                // Not ours any more: a search that needed the part took it in already.
                let ours = self.fetching.borrow().get(part).is_some_and(|f| f.ptr_eq(fetch));
                if !ours {
                    continue;
                }
                self.fetching.borrow_mut().remove(part);
                if let Ok((bytes, cached)) = fetched {
                    left = left.saturating_sub(bytes.len() as u64);
                    if self.add(part, &bytes).is_ok() && !cached {
                        self.keep(part, &bytes);
                    }
                }
            }
            tried.extend(parts);
        }
    }

    /// Fetches the parts in parallel and hands them to the searcher. A
    /// part the searcher refuses is fetched once more past every cache
    /// before the search fails: nothing unverified is kept. A part that
    /// failed stays failed (see [`index_at`]): not refetched per keystroke.
    async fn fetch_all(&self, requests: Vec<PartRequest>) -> Result<(), String> {
        let fetches: Vec<_> = requests.iter().map(|request| self.fetch(request, Priority::Waited)).collect();
        let fetched = join_all(fetches).await;
        let mut result = Ok(());
        for (request, bytes) in requests.iter().zip(fetched) {
            let added = match bytes {
                Err(error) => {
                    self.gone.set(self.gone.get() || error.gone);
                    Err(error)
                }
                Ok((bytes, cached)) => match self.add(request, &bytes) {
                    Err(_) => {
                        let again =
                            fetch_bytes(&self.url(request), Freshness::Reload, request.range.clone(), Priority::Waited)
                                .await;
                        again.and_then(|again| {
                            let bytes = match (&request.range, again.whole) {
                                // The host ignored the range and sent the whole file.
                                (Some(range), true) => slice(&again.bytes, range),
                                _ => again.bytes,
                            };
                            self.add(request, &bytes)?;
                            self.keep(request, &bytes);
                            Ok(())
                        })
                    }
                    Ok(()) if !cached => {
                        self.keep(request, &bytes);
                        Ok(())
                    }
                    added => added.map_err(FetchError::from),
                },
            };
            let mut fetching = self.fetching.borrow_mut();
            match &added {
                Ok(()) => fetching.remove(request),
                Err(e) => fetching.insert(request.clone(), future::ready(Err(e.clone())).boxed_local().shared()),
            };
            result = result.and(added.map_err(String::from));
        }
        result
    }

    fn add(&self, request: &PartRequest, bytes: &[u8]) -> Result<(), String> {
        self.searcher.borrow_mut().add_part(request, bytes).map_err(|e| format!("{}: {e}", self.base))
    }

    fn url(&self, request: &PartRequest) -> String {
        format!("{}{}", self.base, request.name)
    }

    /// Keeps a verified part for later visits.
    fn keep(&self, request: &PartRequest, bytes: &[u8]) {
        if let Some(cache) = &self.cache {
            cache.put(&part_cache::key(&self.url(request), &request.range), bytes);
        }
    }

    /// Registers the fetch of a whole part that the loader prefetched:
    /// its bytes once `prefetched` gives them and their seal holds, else
    /// the part as [`Self::fetch`] gets it.
    fn fetch_prefetched(&self, request: PartRequest, prefetched: impl Future<Output = Option<Vec<u8>>> + 'static) {
        let elsewhere = self.fetch_anew(&request, Priority::Waited);
        let name = request.name.clone();
        let seed = self.searcher.borrow().manifest().segments.iter().find(|s| s.parts.docs == name).map(|s| s.seed);
        // The loader reads the cache too: what came from there is not written again.
        let kept = self.cache.as_ref().is_some_and(|cache| cache.holds(&part_cache::key(&self.url(&request), &None)));
        let fetch = async move {
            match prefetched.await.filter(|bytes| seed.is_some_and(|seed| unseal(&name, bytes, seed).is_ok())) {
                Some(bytes) => Ok((Rc::new(bytes), kept)),
                None => elsewhere.await,
            }
        };
        self.fetching.borrow_mut().insert(request, fetch.boxed_local().shared());
    }

    /// A part from the [`PartCache`], else from the host: the fetch under
    /// way, one under way that takes it in, or a new one, registered so that
    /// a search that comes to need it waits on it instead of asking again.
    fn fetch(&self, request: &PartRequest, priority: Priority) -> PartFetch {
        if let Some(fetching) = self.fetching.borrow().get(request) {
            return fetching.clone();
        }
        let fetch = self.cut_from_fetching(request, priority).unwrap_or_else(|| self.fetch_anew(request, priority));
        self.fetching.borrow_mut().insert(request.clone(), fetch.clone());
        fetch
    }

    /// A range cut from a fetch under way that takes it in (a prefetch of
    /// lists near it, say), once that comes: asked of the host again, its
    /// bytes would cross a phone's link twice, each copy slowing the other.
    /// Should that fetch fail, the range is fetched alone, as it would have
    /// been: a failed prefetch is not the search's failure. None where the
    /// [`PartCache`] holds the range itself, or while the host's answer to
    /// ranges is unknown (the first range then waits on a probe instead).
    fn cut_from_fetching(&self, request: &PartRequest, priority: Priority) -> Option<PartFetch> {
        if self.ranges.get() == Ranges::Unknown {
            return None;
        }
        let (start, outer) = self.fetching_around(request)?;
        let range = request.range.clone()?;
        let key = part_cache::key(&self.url(request), &request.range);
        if self.cache.as_ref().is_some_and(|cache| cache.holds(&key)) {
            return None;
        }
        // Futures are lazy: this one asks nothing of the host unless awaited.
        let alone = self.fetch_anew(request, priority);
        let cut = async move {
            match outer.await {
                Ok((bytes, _)) => Ok((Rc::new(slice(&bytes, &(range.start - start..range.end - start))), false)),
                Err(_) => alone.await,
            }
        };
        Some(cut.boxed_local().shared())
    }

    /// A fetch under way of more of `request`'s file than its range (the
    /// whole file, or a range about it), and where that starts.
    fn fetching_around(&self, request: &PartRequest) -> Option<(u64, PartFetch)> {
        let range = request.range.as_ref()?;
        self.fetching.borrow().iter().find_map(|(part, fetch)| {
            let start = match &part.range {
                None => 0,
                Some(outer) if outer.start <= range.start && range.end <= outer.end => outer.start,
                Some(_) => return None,
            };
            let failed = matches!(fetch.peek(), Some(Err(_)));
            (part.name == request.name && !failed).then(|| (start, fetch.clone()))
        })
    }

    /// Whether `request` is on its way, or failed, as it is or in a fetch
    /// that takes it in.
    fn is_fetching(&self, request: &PartRequest) -> bool {
        self.fetching.borrow().contains_key(request) || self.fetching_around(request).is_some()
    }

    /// A new fetch of a part from the [`PartCache`], else from the host.
    fn fetch_anew(&self, request: &PartRequest, priority: Priority) -> PartFetch {
        let url = self.url(request);
        let (name, range) = (request.name.clone(), request.range.clone());
        let (files, ranges, cache) = (self.files.clone(), self.ranges.clone(), self.cache.clone());
        // Until a range has been answered, a range of a file already asked for
        // waits for that answer: a host that ignores Range then sends the file
        // whole once, not once per range.
        let probing = range.is_some() && ranges.get() == Ranges::Unknown;
        let probe = self.probes.borrow().get(&name).cloned().filter(|_| probing);
        let first = probe.is_none();
        let fetch = async move {
            if let Some(cache) = &cache {
                if let Some(bytes) = cache.get(&part_cache::key(&url, &range)).await {
                    return Ok((Rc::new(bytes), true));
                }
            }
            let Some(range) = range else {
                return Ok((Rc::new(fetch_bytes(&url, Freshness::Immutable, None, priority).await?.bytes), false));
            };
            if let Some(probe) = probe {
                let _ = probe.await;
            }
            let known = files.borrow().get(&name).cloned();
            let file = match known {
                Some(file) => file,
                None if ranges.get() == Ranges::Ignored => {
                    let file = async move {
                        fetch_bytes(&url, Freshness::Immutable, None, priority).await.map(|f| Rc::new(f.bytes))
                    };
                    files.borrow_mut().or_insert(&name, file.boxed_local().shared()).clone()
                }
                None => {
                    let fetched = fetch_bytes(&url, Freshness::Immutable, Some(range.clone()), priority).await?;
                    if !fetched.whole {
                        ranges.set(Ranges::Honoured);
                        return Ok((Rc::new(fetched.bytes), false));
                    }
                    ranges.set(Ranges::Ignored);
                    let file = future::ready(Ok(Rc::new(fetched.bytes))).boxed_local().shared();
                    files.borrow_mut().or_insert(&name, file).clone()
                }
            };
            Ok((Rc::new(slice(&file.await?, &range)), false))
        }
        .boxed_local()
        .shared();
        if probing && first {
            self.probes.borrow_mut().insert(&request.name, fetch.clone());
        }
        fetch
    }
}

/// `range` of a whole file; past its end (a file cut short) gives fewer
/// bytes, which the searcher refuses.
fn slice(file: &[u8], range: &Range<u64>) -> Vec<u8> {
    let end = usize::try_from(range.end).unwrap_or(usize::MAX).min(file.len());
    let start = usize::try_from(range.start).unwrap_or(usize::MAX).min(end);
    file[start..end].to_vec()
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
