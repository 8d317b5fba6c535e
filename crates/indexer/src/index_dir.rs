//! Opening an index directory from disk.

use std::fs;
use std::path::Path;

use qidiruv_engine::index::{Manifest, StoreChunk, MANIFEST_NAME};
use qidiruv_engine::{DocId, Searcher};

/// A searcher plus the directory its store chunks are read from.
pub struct IndexDir<'a> {
    dir: &'a Path,
    pub searcher: Searcher,
}

impl<'a> IndexDir<'a> {
    pub fn open(dir: &'a Path) -> Result<IndexDir<'a>, String> {
        let manifest_path = dir.join(MANIFEST_NAME);
        let text = fs::read_to_string(&manifest_path).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
        let manifest: Manifest = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a Qidiruv manifest: {e}", manifest_path.display()))?;
        manifest.check_version().map_err(|e| format!("{}: {e}", manifest_path.display()))?;
        let read = |name: &str| fs::read(dir.join(name)).map_err(|e| format!("{}: {e}", dir.join(name).display()));
        let terms = read(&manifest.parts.terms)?;
        let postings = read(&manifest.parts.postings)?;
        let docs = read(&manifest.parts.docs)?;
        let searcher =
            Searcher::open(manifest, terms, postings, docs).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(IndexDir { dir, searcher })
    }

    /// Reads the store chunk holding `doc`.
    pub fn chunk_for(&self, doc: DocId) -> Result<StoreChunk, String> {
        let manifest = self.searcher.manifest();
        let name = manifest
            .store_chunk_of(doc)
            .map(|n| &manifest.parts.store[n])
            .ok_or_else(|| format!("{}: document {doc} is not in the store", self.dir.display()))?;
        let bytes = fs::read(self.dir.join(name)).map_err(|e| format!("{}: {e}", self.dir.join(name).display()))?;
        StoreChunk::decode(name, &bytes).map_err(|e| format!("{}: {e}", self.dir.display()))
    }
}
