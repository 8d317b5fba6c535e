//! Opening an index directory from disk.

use std::fs;
use std::path::Path;

use qidiruv_engine::index::{Manifest, MANIFEST_NAME};
use qidiruv_engine::{IndexError, PartRequest, Presented, Query, SearchOptions, Searcher};

/// A searcher plus the directory its parts are read from, as each query needs them.
pub struct IndexDir<'a> {
    dir: &'a Path,
    searcher: Searcher,
    /// What queries have read so far, with sizes, in order.
    fetched: Vec<(PartRequest, usize)>,
}

impl<'a> IndexDir<'a> {
    pub fn open(dir: &'a Path) -> Result<IndexDir<'a>, String> {
        Ok(IndexDir { dir, searcher: open_searcher(dir)?, fetched: Vec::new() })
    }

    /// Runs a query, reading the parts it needs.
    pub fn search(&mut self, query: &Query, options: &SearchOptions) -> Result<Presented, String> {
        let (dir, fetched) = (self.dir, &mut self.fetched);
        self.searcher
            .run(query, options, |request| {
                let bytes = read_part(dir, request)?;
                fetched.push((request.clone(), bytes.len()));
                Ok(bytes)
            })
            .map_err(|e| format!("{}: {e}", dir.display()))
    }

    /// The parts read so far (the document table is read on open).
    pub fn fetched(&self) -> &[(PartRequest, usize)] {
        &self.fetched
    }
}

/// A searcher over the index in `dir` that has read its manifest and
/// document tables, and no other part yet.
pub fn open_searcher(dir: &Path) -> Result<Searcher, String> {
    let manifest = read_manifest(dir)?;
    let mut tables = Vec::new();
    for segment in &manifest.segments {
        let path = dir.join(&segment.parts.docs);
        tables.push(fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    let tables: Vec<&[u8]> = tables.iter().map(Vec::as_slice).collect();
    Searcher::open(manifest, &tables).map_err(|e| format!("{}: {e}", dir.display()))
}

/// The manifest of the index in `dir`, checked for its format and version.
pub fn read_manifest(dir: &Path) -> Result<Manifest, String> {
    let manifest_path = dir.join(MANIFEST_NAME);
    let text = fs::read_to_string(&manifest_path).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let manifest: Manifest =
        serde_json::from_str(&text).map_err(|e| format!("{}: not a Qidiruv manifest: {e}", manifest_path.display()))?;
    manifest.check_version().map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    Ok(manifest)
}

/// The bytes a request asks for: a whole file, or a range of it.
pub fn read_part(dir: &Path, request: &PartRequest) -> Result<Vec<u8>, IndexError> {
    let unreadable = |detail: String| IndexError::Unreadable { part: request.name.clone(), detail };
    let bytes = fs::read(dir.join(&request.name)).map_err(|e| unreadable(e.to_string()))?;
    match &request.range {
        None => Ok(bytes),
        Some(range) => request
            .of_file(&bytes)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| unreadable(format!("bytes {range:?} are past its end ({} bytes)", bytes.len()))),
    }
}
