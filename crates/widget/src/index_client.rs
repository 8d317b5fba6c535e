//! The index as the browser sees it: parts fetched lazily, then cached for
//! the page's lifetime and shared by every widget using the same index.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures::future::{join_all, try_join3, FutureExt, LocalBoxFuture, Shared};
use qidiruv_engine::index::{Manifest, StoreChunk, MANIFEST_NAME};
use qidiruv_engine::{present, Presented, Query, SearchOptions, Searcher};

use crate::fetch::{fetch_bytes, Freshness};

/// A loaded dictionary, postings and document table, plus the store chunks
/// fetched so far.
pub struct LoadedIndex {
    base: String,
    searcher: Searcher,
    chunks: RefCell<HashMap<usize, Rc<StoreChunk>>>,
}

type Loading = Shared<LocalBoxFuture<'static, Result<Rc<LoadedIndex>, String>>>;

thread_local! {
    static INDEXES: RefCell<HashMap<String, Loading>> = RefCell::new(HashMap::new());
}

/// The index at `base` (a URL ending in `/`), loading it on first use. A
/// failed load is forgotten, so the next call tries again.
pub async fn index_at(base: &str) -> Result<Rc<LoadedIndex>, String> {
    let loading = INDEXES.with(|cache| {
        cache
            .borrow_mut()
            .entry(base.to_string())
            .or_insert_with(|| load(base.to_string()).boxed_local().shared())
            .clone()
    });
    let result = loading.await;
    if result.is_err() {
        INDEXES.with(|cache| cache.borrow_mut().remove(base));
    }
    result
}

/// Manifest first (one round trip), then the three up-front parts in parallel (a second).
async fn load(base: String) -> Result<Rc<LoadedIndex>, String> {
    let manifest_url = format!("{base}{MANIFEST_NAME}");
    let bytes = fetch_bytes(&manifest_url, Freshness::Revalidate).await?;
    let manifest = parse_manifest(&bytes).map_err(|e| format!("{manifest_url}: {e}"))?;
    let part = |name: &str| {
        let url = format!("{base}{name}");
        async move { fetch_bytes(&url, Freshness::Immutable).await }
    };
    let (terms, postings, docs) =
        try_join3(part(&manifest.parts.terms), part(&manifest.parts.postings), part(&manifest.parts.docs)).await?;
    let searcher = Searcher::open(manifest, terms, postings, docs).map_err(|e| format!("{base}: {e}"))?;
    Ok(Rc::new(LoadedIndex { base, searcher, chunks: RefCell::default() }))
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
    /// Ranks the query, fetches the store chunks the shown hits need (in
    /// parallel, each once per page), and cuts their excerpts.
    pub async fn search(&self, query: &Query, options: &SearchOptions) -> Result<Presented, String> {
        let found = self.searcher.search(query, options).map_err(|e| e.to_string())?;
        let manifest = self.searcher.manifest();
        let mut needed: Vec<usize> = found.hits.iter().filter_map(|h| manifest.store_chunk_of(h.doc)).collect();
        needed.sort_unstable();
        needed.dedup();
        needed.retain(|n| !self.chunks.borrow().contains_key(n));
        let fetched = join_all(needed.into_iter().map(|n| self.fetch_chunk(n))).await;
        for chunk in fetched {
            let (n, chunk) = chunk?;
            self.chunks.borrow_mut().insert(n, Rc::new(chunk));
        }
        let chunks = self.chunks.borrow();
        Ok(present(query, &found, options.limit, |doc| {
            chunks.get(&manifest.store_chunk_of(doc)?).and_then(|chunk| chunk.get(doc))
        }))
    }

    async fn fetch_chunk(&self, n: usize) -> Result<(usize, StoreChunk), String> {
        let name = &self.searcher.manifest().parts.store[n];
        let url = format!("{}{name}", self.base);
        let bytes = fetch_bytes(&url, Freshness::Immutable).await?;
        let chunk = StoreChunk::decode(name, &bytes).map_err(|e| format!("{url}: {e}"))?;
        Ok((n, chunk))
    }
}
