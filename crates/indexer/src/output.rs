//! Writing the index directory so that readers never see a half-written index.
//!
//! * A new directory is assembled beside the target and renamed into place.
//! * An existing index is updated in place: a part's name carries the hash of
//!   its segment's bytes, so new parts never overwrite old ones (but for a
//!   segment built again byte for byte, whose parts are replaced by their
//!   equals). Each is written to a temporary name, renamed once its
//!   segment's hash is known, then the manifest is swapped in by one
//!   rename, the one it replaces
//!   kept as `qidiruv.previous.json`. Only then are the parts that neither
//!   names removed, so a page that loaded the previous manifest keeps
//!   finding its parts for one more publish.
//! * A build that fails removes the parts it wrote; one killed leaves them
//!   unnamed, and the next build sweeps them.
//! * One build at a time: a build waits for another on the same directory
//!   (see [`lock_out`]).

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use qidiruv_engine::index::{Manifest, MANIFEST_NAME};

/// The manifest a publish replaced, kept so that its parts are too.
pub const PREVIOUS_MANIFEST_NAME: &str = "qidiruv.previous.json";

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

/// Held while a build writes `out`: an advisory lock on a file beside it.
pub struct OutLock(#[allow(dead_code)] fs::File);

/// Waits until no other build holds `out`, then holds it until dropped. Two
/// builds interleaving their writes could otherwise leave a manifest naming
/// parts the other deleted.
pub fn lock_out(out: &Path) -> Result<OutLock, OutputError> {
    let path = sibling_named(out, "lock");
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(at(parent))?;
    }
    let file = fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(at(&path))?;
    if let Err(fs::TryLockError::WouldBlock) = file.try_lock() {
        eprintln!("waiting for another build of {} to finish", out.display());
        file.lock().map_err(at(&path))?;
    }
    Ok(OutLock(file))
}

/// What a committed build added to the index directory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub files: usize,
    pub bytes: usize,
}

/// An index being written part by part, as the builder finishes each, so
/// that no more than one part is held in memory; readers see it only once
/// [`commit`](IndexWriter::commit) writes the manifest. Dropped uncommitted,
/// it leaves `out` as it was.
pub struct IndexWriter {
    out: PathBuf,
    target: Target,
    /// Every part the new manifest names.
    named: HashSet<String>,
    /// Parts written under a temporary name, not yet named: what the builder
    /// called each, where it is, and its size.
    pending: Vec<(String, PathBuf, usize)>,
    /// The files this writer created, with their sizes.
    created: Vec<(String, usize)>,
}

enum Target {
    /// A new index, assembled in a staging directory renamed into place.
    Fresh { staging: PathBuf },
    /// An existing index, holding these files.
    InPlace { existing: HashSet<String> },
}

impl IndexWriter {
    /// Starts writing the index at `out`: a new directory, or an existing
    /// index (refused for a directory that is not one), from which it
    /// sweeps what failed or killed builds left.
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
                let live = named_by_manifests(out, &[MANIFEST_NAME, PREVIOUS_MANIFEST_NAME]);
                for name in existing.iter().filter(|name| is_sweepable(name) && !live.contains(*name)) {
                    let path = out.join(name);
                    fs::remove_file(&path).map_err(at(&path))?;
                }
                Target::InPlace { existing: list_dir(out)?.into_iter().collect() }
            }
        };
        Ok(IndexWriter {
            out: out.to_path_buf(),
            target,
            named: HashSet::new(),
            pending: Vec::new(),
            created: Vec::new(),
        })
    }

    /// Writes one part, which the builder calls `written`, under a
    /// temporary name until [`name_parts`](Self::name_parts).
    pub fn part(&mut self, written: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let temp = match &self.target {
            Target::Fresh { staging } => staging.join(format!("{written}.tmp")),
            Target::InPlace { .. } => self.out.join(format!(".{written}.{}.tmp", std::process::id())),
        };
        self.pending.push((written.to_string(), temp.clone(), bytes.len()));
        write_file(&temp, bytes)
    }

    /// Gives every part written since the last call its name, `name_of`
    /// what the builder called it (once the segment's hash is known).
    pub fn name_parts(&mut self, name_of: impl Fn(&str) -> String) -> Result<(), OutputError> {
        for (written, temp, size) in std::mem::take(&mut self.pending) {
            let name = name_of(&written);
            let path = self.out_path(&name);
            fs::rename(&temp, &path).map_err(at(&path))?;
            // A segment built again byte for byte replaced its equal, which
            // the served index names: not this writer's to remove.
            if !matches!(&self.target, Target::InPlace { existing } if existing.contains(&name)) {
                self.created.push((name.clone(), size));
            }
            self.named.insert(name);
        }
        Ok(())
    }

    /// Where the part `name` goes.
    fn out_path(&self, name: &str) -> PathBuf {
        match &self.target {
            Target::Fresh { staging } => staging.join(name),
            Target::InPlace { .. } => self.out.join(name),
        }
    }

    /// Marks parts already in the directory (a kept segment's) as named by
    /// the new manifest.
    pub fn keep<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        self.named.extend(names.into_iter().map(str::to_string));
    }

    /// Writes the manifest, which makes the index the one served, keeping
    /// the one it replaces as [`PREVIOUS_MANIFEST_NAME`], then removes the
    /// files that neither names. On failure, `drop` removes what was written.
    pub fn commit(mut self, manifest: &[u8]) -> Result<Written, OutputError> {
        if let Some((written, ..)) = self.pending.first() {
            return Err(OutputError { path: self.out.join(written), detail: "written but never named".into() });
        }
        let written = Written {
            files: self.created.len() + 1,
            bytes: self.created.iter().map(|(_, bytes)| bytes).sum::<usize>() + manifest.len(),
        };
        match &self.target {
            Target::Fresh { staging } => {
                write_file(&staging.join(MANIFEST_NAME), manifest)?;
                fs::rename(staging, &self.out).map_err(at(&self.out))?;
            }
            Target::InPlace { existing } => {
                let current = self.out.join(MANIFEST_NAME);
                let replaced = fs::read(&current).map_err(at(&current))?;
                replace_file(&self.out.join(PREVIOUS_MANIFEST_NAME), &replaced)?;
                replace_file(&current, manifest)?;
                let previous = named_by_manifests(&self.out, &[PREVIOUS_MANIFEST_NAME]);
                for name in existing {
                    if is_sweepable(name) && !self.named.contains(name) && !previous.contains(name) {
                        let path = self.out.join(name);
                        fs::remove_file(&path).map_err(at(&path))?;
                    }
                }
            }
        }
        // Committed: nothing is left for `drop` to clear away.
        self.created.clear();
        self.target = Target::InPlace { existing: HashSet::new() };
        Ok(written)
    }
}

impl Drop for IndexWriter {
    fn drop(&mut self) {
        match &self.target {
            Target::Fresh { staging } => {
                let _ = fs::remove_dir_all(staging);
            }
            Target::InPlace { .. } => {
                for (name, _) in &self.created {
                    let _ = fs::remove_file(self.out.join(name));
                }
                for (_, temp, _) in &self.pending {
                    let _ = fs::remove_file(temp);
                }
            }
        }
    }
}

/// Every file name the manifests `manifests` in `dir` name: the parts they
/// keep alive. A manifest of this format names them by segment hashes; one
/// of an older format may spell them out anywhere in its JSON.
fn named_by_manifests(dir: &Path, manifests: &[&str]) -> HashSet<String> {
    fn strings(value: &serde_json::Value, into: &mut HashSet<String>) {
        match value {
            serde_json::Value::String(s) if is_own_file(s) => {
                into.insert(s.clone());
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, into)),
            serde_json::Value::Object(fields) => fields.values().for_each(|v| strings(v, into)),
            _ => {}
        }
    }
    let mut names: HashSet<String> = manifests.iter().map(|name| name.to_string()).collect();
    for manifest in manifests {
        let Ok(bytes) = fs::read(dir.join(manifest)) else { continue };
        if let Ok(parsed) = serde_json::from_slice::<Manifest>(&bytes) {
            names.extend(parsed.part_names().map(str::to_string));
        } else if let Ok(value) = serde_json::from_slice(&bytes) {
            strings(&value, &mut names);
        }
    }
    names
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

/// Files this tool writes into an index directory: parts (`stem.<16 hex>.ext`),
/// manifests, and leftovers of an interrupted write (`.…tmp`).
fn is_own_file(name: &str) -> bool {
    is_sweepable(name) || name == MANIFEST_NAME || name == PREVIOUS_MANIFEST_NAME
}

/// Files a build may remove once no manifest names them: parts and temporary files.
fn is_sweepable(name: &str) -> bool {
    let fields: Vec<&str> = name.split('.').collect();
    let is_part = matches!(fields[..], [_, hash, "fst" | "bin"] if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
    is_part || name.ends_with(".tmp")
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
    write_file(&temp, bytes).and_then(|()| fs::rename(&temp, path).map_err(at(path))).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
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
    sibling_named(out, &format!("{what}-{}", std::process::id()))
}

fn sibling_named(out: &Path, what: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    out.with_file_name(format!(".{name}.{what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `manifest` and `parts` (name, bytes) as the index at `out`.
    fn write_index(out: &Path, manifest: &[u8], parts: &[(String, Vec<u8>)]) -> Result<(), OutputError> {
        let mut writer = IndexWriter::begin(out)?;
        write_parts(&mut writer, parts)?;
        writer.commit(manifest).map(|_| ())
    }

    /// Writes `parts` as the builder hands them over, then names them.
    fn write_parts(writer: &mut IndexWriter, parts: &[(String, Vec<u8>)]) -> Result<(), OutputError> {
        let written = |name: &str| name.split('.').next().unwrap().to_string();
        for (name, bytes) in parts {
            writer.part(&written(name), bytes)?;
        }
        writer.name_parts(|stem| parts.iter().map(|(name, _)| name).find(|name| written(name) == stem).unwrap().clone())
    }

    /// A part holding `tag`, named as a segment's (tags of other lengths, other hashes).
    fn parts(tag: &str) -> Vec<(String, Vec<u8>)> {
        vec![(format!("s0-docs.{:016x}.bin", tag.len()), tag.as_bytes().to_vec())]
    }

    #[test]
    fn fresh_directory_appears_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("index");
        write_index(&out, b"{}", &parts("a")).unwrap();
        assert_eq!(list_dir(&out).unwrap().len(), 2);
        assert_eq!(list_dir(dir.path()).unwrap(), ["index"]);
    }

    /// A manifest naming `parts`, as the real one does.
    fn manifest(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
        serde_json::to_vec(&parts.iter().map(|(name, _)| name).collect::<Vec<_>>()).unwrap()
    }

    fn sorted_names(dir: &Path) -> Vec<String> {
        let mut names = list_dir(dir).unwrap();
        names.sort();
        names
    }

    #[test]
    fn update_swaps_manifest_and_keeps_the_previous_ones_parts_one_publish_longer() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("index");
        write_index(&out, &manifest(&parts("a")), &parts("a")).unwrap();
        fs::write(out.join("keep-me.txt"), "x").unwrap();
        write_index(&out, &manifest(&parts("bb")), &parts("bb")).unwrap();
        let (a, bb) = (parts("a")[0].0.clone(), parts("bb")[0].0.clone());
        let expected = |names: &[&str]| {
            let mut names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
            names.sort();
            names
        };
        assert_eq!(sorted_names(&out), expected(&[&a, &bb, "keep-me.txt", MANIFEST_NAME, PREVIOUS_MANIFEST_NAME]));
        assert_eq!(fs::read(out.join(MANIFEST_NAME)).unwrap(), manifest(&parts("bb")));
        assert_eq!(fs::read(out.join(PREVIOUS_MANIFEST_NAME)).unwrap(), manifest(&parts("a")));
        write_index(&out, &manifest(&parts("ccc")), &parts("ccc")).unwrap();
        let ccc = parts("ccc")[0].0.clone();
        assert_eq!(sorted_names(&out), expected(&[&bb, &ccc, "keep-me.txt", MANIFEST_NAME, PREVIOUS_MANIFEST_NAME]));
    }

    #[test]
    fn a_part_damaged_on_disk_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("index");
        let part = parts("a");
        write_index(&out, &manifest(&part), &part).unwrap();
        fs::write(out.join(&part[0].0), "").unwrap();
        write_index(&out, &manifest(&part), &part).unwrap();
        assert_eq!(fs::read(out.join(&part[0].0)).unwrap(), b"a");
    }

    #[test]
    fn a_failed_update_removes_what_it_wrote_and_the_next_sweeps_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("index");
        write_index(&out, &manifest(&parts("a")), &parts("a")).unwrap();
        let mut writer = IndexWriter::begin(&out).unwrap();
        write_parts(&mut writer, &parts("bb")).unwrap();
        drop(writer);
        fs::write(out.join(".x.1.tmp"), "left by a killed build").unwrap();
        fs::write(out.join(&parts("ccc")[0].0), "ccc").unwrap();
        assert!(!out.join(&parts("bb")[0].0).exists());
        drop(IndexWriter::begin(&out).unwrap());
        assert_eq!(sorted_names(&out), [MANIFEST_NAME, parts("a")[0].0.as_str()]);
    }

    #[test]
    fn a_second_build_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("index");
        let first = lock_out(&out).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn({
            let out = out.clone();
            move || {
                let _second = lock_out(&out).unwrap();
                tx.send(()).unwrap();
            }
        });
        assert!(rx.recv_timeout(std::time::Duration::from_millis(300)).is_err(), "the second build went ahead");
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(10)).expect("the second build went on once the first ended");
        waiter.join().unwrap();
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
        write_parts(&mut writer, &parts("a")).unwrap();
        drop(writer);
        assert!(list_dir(dir.path()).unwrap().is_empty(), "no index and no staging left behind");

        write_index(&out, &manifest(&parts("a")), &parts("a")).unwrap();
        let mut writer = IndexWriter::begin(&out).unwrap();
        write_parts(&mut writer, &parts("bb")).unwrap();
        writer.part("s1-docs", b"never named").unwrap();
        drop(writer);
        assert_eq!(
            sorted_names(&out),
            [MANIFEST_NAME, parts("a")[0].0.as_str()],
            "nothing of the dropped build is left"
        );
        assert_eq!(fs::read(out.join(MANIFEST_NAME)).unwrap(), manifest(&parts("a")));
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
        write_parts(&mut writer, &parts("a")).unwrap();
        assert!(scratch.join("store.spool").exists(), "the store is read back after writing begins");
        writer.commit(b"{}").unwrap();
    }
}
