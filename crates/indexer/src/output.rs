//! Writing the index directory so that readers never see a half-written index.
//!
//! * A new directory is assembled beside the target and renamed into place.
//! * An existing index is updated in place: parts are content-hashed, so new
//!   parts never overwrite old ones; each is written to a temporary name and
//!   renamed, then the manifest is swapped in by one rename, and only then
//!   are the parts the new manifest no longer names removed. A build killed
//!   at any point leaves the previous manifest and all its parts serving.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use qidiruv_engine::index::MANIFEST_NAME;

/// An output problem, with the path it concerns.
#[derive(Debug)]
pub struct OutputError {
    pub path: PathBuf,
    pub detail: String,
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.detail)
    }
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |e| OutputError { path: path.to_path_buf(), detail: e.to_string() }
}

/// An index being written part by part, as the builder finishes each, so
/// that no more than one part is held in memory; readers see it only once
/// [`commit`](IndexWriter::commit) writes the manifest. Dropped uncommitted,
/// it leaves `out` as it was (a fresh index's staging directory is removed;
/// parts already added in place are unnamed by any manifest, and the next
/// build sweeps them).
pub struct IndexWriter {
    out: PathBuf,
    target: Target,
    written: HashSet<String>,
}

enum Target {
    /// A new index, assembled in a staging directory renamed into place.
    Fresh { staging: PathBuf },
    /// An existing index, holding these files.
    InPlace { existing: Vec<String> },
}

impl IndexWriter {
    /// Starts writing the index at `out`: a new directory, or an existing
    /// index (refused for a directory that is not one).
    pub fn begin(out: &Path) -> Result<IndexWriter, OutputError> {
        let target = match fs::metadata(out) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                remove_stale_staging(out);
                let staging = sibling(out, "new");
                fs::create_dir_all(&staging).map_err(at(&staging))?;
                Target::Fresh { staging }
            }
            Err(e) => return Err(at(out)(e)),
            Ok(meta) if !meta.is_dir() => {
                return Err(OutputError { path: out.into(), detail: "exists and is not a directory".into() })
            }
            Ok(_) => {
                let existing = list_dir(out)?;
                let is_index = existing.iter().any(|name| name == MANIFEST_NAME);
                if !is_index && existing.iter().any(|name| !is_own_file(name)) {
                    return Err(OutputError {
                        path: out.into(),
                        detail: "exists and is not a Qidiruv index (no qidiruv.json); refusing to write into it".into(),
                    });
                }
                Target::InPlace { existing }
            }
        };
        Ok(IndexWriter { out: out.to_path_buf(), target, written: HashSet::new() })
    }

    /// Writes one part; a part the existing index already holds (its name
    /// is its content's hash) is kept as it is.
    pub fn part(&mut self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        match &self.target {
            Target::Fresh { staging } => write_file(&staging.join(name), bytes)?,
            Target::InPlace { existing } if existing.iter().any(|e| e == name) => {}
            Target::InPlace { .. } => replace_file(&self.out.join(name), bytes)?,
        }
        self.written.insert(name.to_string());
        Ok(())
    }

    /// Writes the manifest, which makes the index the one served, then
    /// removes the files of the index it replaced that it no longer names.
    /// On failure, `drop` clears a fresh index's staging directory away.
    pub fn commit(mut self, manifest: &[u8]) -> Result<(), OutputError> {
        match &self.target {
            Target::Fresh { staging } => {
                write_file(&staging.join(MANIFEST_NAME), manifest)?;
                fs::rename(staging, &self.out).map_err(at(&self.out))?;
                // Renamed into place: nothing is left for `drop` to clear away.
                self.target = Target::InPlace { existing: Vec::new() };
            }
            Target::InPlace { existing } => {
                replace_file(&self.out.join(MANIFEST_NAME), manifest)?;
                for name in existing {
                    if is_own_file(name) && name != MANIFEST_NAME && !self.written.contains(name) {
                        let path = self.out.join(name);
                        fs::remove_file(&path).map_err(at(&path))?;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Drop for IndexWriter {
    fn drop(&mut self) {
        if let Target::Fresh { staging } = &self.target {
            let _ = fs::remove_dir_all(staging);
        }
    }
}

/// Where a build of `out` keeps its temporary files: beside `out`, named
/// like a staging directory, so that what a killed build leaves is swept up
/// by the next one (which this call is, for builds before it).
pub fn scratch_dir(out: &Path) -> Result<PathBuf, OutputError> {
    remove_stale_staging(out);
    let scratch = sibling(out, "new-scratch");
    if let Some(parent) = scratch.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(at(parent))?;
    }
    Ok(scratch)
}

/// Files this tool writes into an index directory: parts (`stem.<16 hex>.ext`)
/// and leftovers of an interrupted write (`.…tmp`).
fn is_own_file(name: &str) -> bool {
    let fields: Vec<&str> = name.split('.').collect();
    let is_part = matches!(fields[..], [_, hash, "fst" | "bin"] if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
    is_part || name == MANIFEST_NAME || (name.starts_with('.') && name.ends_with(".tmp"))
}

fn list_dir(dir: &Path) -> Result<Vec<String>, OutputError> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).map_err(at(dir))? {
        let entry = entry.map_err(at(dir))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    Ok(names)
}

/// Writes `bytes` to a temporary name in the same directory, then renames.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    write_file(&temp, bytes)?;
    fs::rename(&temp, path).map_err(|e| {
        let _ = fs::remove_file(&temp);
        at(path)(e)
    })
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut file = fs::File::create(path).map_err(at(path))?;
    file.write_all(bytes).map_err(at(path))?;
    file.sync_all().map_err(at(path))
}

/// Removes staging directories that killed builds of `out` left beside it,
/// but not this process's own (its scratch files are still being read).
fn remove_stale_staging(out: &Path) {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.new-");
    let own = format!("-{}", std::process::id());
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let entry_name = entry.file_name().to_string_lossy().into_owned();
        if entry_name.starts_with(&prefix) && !entry_name.ends_with(&own) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn sibling(out: &Path, what: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    out.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `manifest` and `parts` (name, bytes) as the index at `out`.
    fn write_index(out: &Path, manifest: &[u8], parts: &[(String, Vec<u8>)]) -> Result<(), OutputError> {
        let mut writer = IndexWriter::begin(out)?;
        for (name, bytes) in parts {
            writer.part(name, bytes)?;
        }
        writer.commit(manifest)
    }

    fn parts(tag: &str) -> Vec<(String, Vec<u8>)> {
        vec![(format!("docs.{:016x}.bin", tag.len()), tag.as_bytes().to_vec())]
    }

    #[test]
    fn fresh_directory_appears_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("index");
        write_index(&out, b"{}", &parts("a")).unwrap();
        assert_eq!(list_dir(&out).unwrap().len(), 2);
        assert_eq!(list_dir(dir.path()).unwrap(), ["index"]);
    }

    #[test]
    fn update_swaps_manifest_and_drops_stale_parts() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("index");
        write_index(&out, b"1", &parts("a")).unwrap();
        fs::write(out.join("keep-me.txt"), "x").unwrap();
        write_index(&out, b"2", &parts("bb")).unwrap();
        let mut names = list_dir(&out).unwrap();
        names.sort();
        assert_eq!(names, ["docs.0000000000000002.bin", "keep-me.txt", "qidiruv.json"]);
        assert_eq!(fs::read(out.join(MANIFEST_NAME)).unwrap(), b"2");
    }

    #[test]
    fn refuses_a_directory_that_is_not_an_index() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("index.html"), "x").unwrap();
        let err = write_index(dir.path(), b"{}", &parts("a")).unwrap_err();
        assert!(err.detail.contains("not a Qidiruv index"), "{err}");
        assert_eq!(list_dir(dir.path()).unwrap(), ["index.html"]);
    }

    #[test]
    fn a_writer_dropped_before_its_manifest_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("index");
        let mut writer = IndexWriter::begin(&out).unwrap();
        writer.part(&parts("a")[0].0, b"a").unwrap();
        drop(writer);
        assert!(list_dir(dir.path()).unwrap().is_empty(), "no index and no staging left behind");

        write_index(&out, b"1", &parts("a")).unwrap();
        let mut writer = IndexWriter::begin(&out).unwrap();
        writer.part(&parts("bb")[0].0, b"bb").unwrap();
        drop(writer);
        assert_eq!(fs::read(out.join(MANIFEST_NAME)).unwrap(), b"1");
        assert_eq!(fs::read(out.join(&parts("a")[0].0)).unwrap(), b"a", "the served index keeps its parts");
    }

    #[test]
    fn starting_to_write_keeps_this_builds_scratch_and_sweeps_a_killed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("index");
        let killed = dir.path().join(".index.new-scratch-1");
        fs::create_dir(&killed).unwrap();
        let scratch = scratch_dir(&out).unwrap();
        assert!(!killed.exists());
        fs::create_dir(&scratch).unwrap();
        fs::write(scratch.join("store.spool"), "x").unwrap();
        let mut writer = IndexWriter::begin(&out).unwrap();
        writer.part(&parts("a")[0].0, b"a").unwrap();
        assert!(scratch.join("store.spool").exists(), "the store is read back after writing begins");
        writer.commit(b"{}").unwrap();
    }
}
