//! What a publish onto an existing index rebuilds, and what it keeps.
//!
//! The index is a list of immutable segments (`docs/publishing.md`). A
//! build reads the previous manifest and each segment's catalog, keeps every
//! segment whose parts are intact, deletes (by id, in the manifest) what the
//! input no longer has or has changed, and indexes into one new segment:
//! documents new or changed, the live documents of a translation group that
//! gained, changed or lost a member (their "also in" links change), and the
//! live documents of the segments the merge policy folds into it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::Path;

use qidiruv_engine::index::catalog::{decode_catalog, CatalogEntry};
use qidiruv_engine::index::{unseal, Manifest, Prior, Segment};
use qidiruv_engine::Document;

use crate::index_dir::read_manifest;

/// A size tier holds segments of up to ten times the size of the last
/// one; this many in one tier are merged into one.
pub const SEGMENTS_PER_TIER: usize = 4;
/// A segment with more than this share of its documents deleted is rewritten.
pub const MAX_DELETED_SHARE: f64 = 1.0 / 3.0;

/// The index already at `--out`, as far as its parts are intact.
pub struct Previous {
    pub manifest: Manifest,
    /// Live documents by id: their segment, number in it, and fingerprint and group.
    live: HashMap<String, (usize, u32, CatalogEntry)>,
    /// Per segment: whether all its parts are on disk as their names say.
    intact: Vec<bool>,
}

impl Previous {
    /// The index at `out`, if there is one this build can add to; `Err`
    /// says why a readable-looking one cannot be (the build then rebuilds).
    pub fn read(out: &Path) -> Result<Option<Previous>, String> {
        if !out.join(qidiruv_engine::index::MANIFEST_NAME).is_file() {
            return Ok(None);
        }
        let manifest = read_manifest(out)?;
        let mut live = HashMap::new();
        let mut intact = Vec::new();
        for (n, segment) in manifest.segments.iter().enumerate() {
            let catalog = read_part(out, &segment.catalog, segment.seed).and_then(|bytes| {
                decode_catalog(&segment.catalog, &bytes, segment.seed).map_err(|e| format!("{}: {e}", out.display()))
            })?;
            if catalog.len() != segment.documents as usize {
                return Err(format!(
                    "{}: segment {} catalogs {} of its {} documents",
                    out.display(),
                    segment.seq,
                    catalog.len(),
                    segment.documents
                ));
            }
            let deleted: HashSet<u32> = segment.deleted.iter().copied().collect();
            for (local, entry) in (0..).zip(catalog) {
                if !deleted.contains(&local) {
                    live.insert(entry.id.clone(), (n, local, entry));
                }
            }
            intact.push(segment.parts.names().all(|name| read_part(out, name, segment.seed).is_ok()));
        }
        Ok(Some(Previous { manifest, live, intact }))
    }

    /// Whether `doc` is indexed, live, exactly as it is now, in an intact segment.
    pub fn has(&self, doc: &Document) -> bool {
        self.live
            .get(&doc.id)
            .is_some_and(|(segment, _, entry)| self.intact[*segment] && entry.fingerprint == doc.fingerprint())
    }
}

/// A part's bytes, checked against their seal (`seed`: their segment's).
fn read_part(dir: &Path, name: &str, seed: u64) -> Result<Vec<u8>, String> {
    let path = dir.join(name);
    let bytes = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    unseal(name, &bytes, seed).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(bytes)
}

/// One input document, as the plan needs it.
pub struct Seen {
    pub id: String,
    pub group: String,
    pub lang: String,
    pub url: String,
    /// Indexed as it is already: [`Previous::has`].
    pub unchanged: bool,
}

/// What the build does with the previous index.
pub struct Plan {
    /// The segments kept, oldest first, with their deletions brought up to date.
    pub kept: Vec<Segment>,
    /// Unchanged documents to index again in the new segment.
    pub reindex: HashSet<String>,
    /// For the new segment's builder.
    pub prior: Prior,
    /// Documents of the previous index that the input no longer has.
    pub removed: usize,
}

/// Decides what to keep, delete and index again, given every input
/// document (`seen`, in input order) and how many of them are new or changed.
pub fn plan(previous: &Previous, seen: &[Seen]) -> Plan {
    let segments = &previous.manifest.segments;
    let input: HashMap<&str, &Seen> = seen.iter().map(|s| (s.id.as_str(), s)).collect();
    // Groups whose membership or members changed: their links change.
    let mut touched: HashSet<&str> = HashSet::new();
    for doc in seen.iter().filter(|s| !s.unchanged) {
        touched.insert(&doc.group);
    }
    for (id, (_, _, entry)) in &previous.live {
        match input.get(id.as_str()) {
            Some(doc) if doc.unchanged => {}
            _ => {
                touched.insert(&entry.group);
            }
        }
    }
    let mut reindex: HashSet<String> =
        seen.iter().filter(|s| s.unchanged && touched.contains(s.group.as_str())).map(|s| s.id.clone()).collect();
    // What stays live in each old segment.
    let mut deleted: Vec<BTreeSet<u32>> = segments.iter().map(|s| s.deleted.iter().copied().collect()).collect();
    for (id, (segment, local, _)) in &previous.live {
        let stays = input.get(id.as_str()).is_some_and(|doc| doc.unchanged) && !reindex.contains(id);
        if !stays || !previous.intact[*segment] {
            deleted[*segment].insert(*local);
        }
    }
    let fresh = seen.iter().filter(|s| !s.unchanged).count() + reindex.len();
    let sizes: Vec<(u32, u32)> =
        segments.iter().zip(&deleted).map(|(s, d)| (s.documents, s.documents - d.len() as u32)).collect();
    let merged = to_merge(&sizes, fresh as u32);
    for (id, (segment, _, _)) in &previous.live {
        if merged.contains(segment) && input.get(id.as_str()).is_some_and(|doc| doc.unchanged) {
            reindex.insert(id.clone());
        }
    }
    let mut kept = Vec::new();
    for (n, segment) in segments.iter().enumerate() {
        if !merged.contains(&n) {
            kept.push(Segment { deleted: deleted[n].iter().copied().collect(), ..segment.clone() });
        }
    }
    let removed = previous.live.keys().filter(|id| !input.contains_key(id.as_str())).count();
    let mut lengths: BTreeMap<String, [u64; 3]> = BTreeMap::new();
    for segment in &kept {
        for (tag, sums) in &segment.lengths {
            let total = lengths.entry(tag.clone()).or_default();
            for (t, s) in total.iter_mut().zip(sums) {
                *t += s;
            }
        }
    }
    let seq = segments.iter().map(|s| s.seq + 1).max().unwrap_or(0);
    let seq = if kept.is_empty() { 0 } else { seq };
    Plan { kept, reindex, prior: Prior { seq, lengths }, removed }
}

/// A segment's size tier: its live documents' order of magnitude.
fn tier(documents: u32) -> u32 {
    documents.max(1).ilog10()
}

/// The segments (by number) to merge into a new one of `fresh` documents,
/// given each segment's (documents, live documents). Rewritten are those
/// with more than [`MAX_DELETED_SHARE`] deleted, then, while the new
/// segment's tier would hold more than [`SEGMENTS_PER_TIER`], every segment
/// of that tier (the merged segment may then reach the next tier, and so on).
/// So a publish rewrites little, and an index of N documents has at most
/// about `SEGMENTS_PER_TIER × log10 N` segments.
pub fn to_merge(sizes: &[(u32, u32)], fresh: u32) -> BTreeSet<usize> {
    let mut merged: BTreeSet<usize> = (0..sizes.len())
        .filter(|&n| {
            let (documents, live) = sizes[n];
            live == 0 || f64::from(documents - live) > MAX_DELETED_SHARE * f64::from(documents)
        })
        .collect();
    let mut size = fresh + merged.iter().map(|&n| sizes[n].1).sum::<u32>();
    loop {
        let same: Vec<usize> =
            (0..sizes.len()).filter(|n| !merged.contains(n) && tier(sizes[*n].1) == tier(size)).collect();
        if same.len() < SEGMENTS_PER_TIER {
            return merged;
        }
        size += same.iter().map(|&n| sizes[n].1).sum::<u32>();
        merged.extend(same);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_new_article_joins_a_large_index_as_its_own_segment() {
        assert!(to_merge(&[(10_000, 10_000)], 1).is_empty());
        assert!(to_merge(&[(10_000, 10_000), (1, 1), (3, 3)], 1).is_empty());
    }

    #[test]
    fn a_full_tier_is_merged() {
        let sizes = [(10_000, 10_000), (2, 2), (3, 3), (5, 5), (40, 40)];
        assert!(to_merge(&sizes, 1).is_empty(), "four segments of one tier are allowed");
        let sizes = [(10_000, 10_000), (2, 2), (3, 3), (5, 5), (40, 40), (7, 7)];
        // The merged 18 documents join the next tier, which has room.
        assert_eq!(to_merge(&sizes, 1), BTreeSet::from([1, 2, 3, 5]));
    }

    #[test]
    fn a_mostly_deleted_segment_is_rewritten() {
        assert_eq!(to_merge(&[(10_000, 10_000), (90, 50)], 1), BTreeSet::from([1]));
        assert_eq!(to_merge(&[(10_000, 0)], 1), BTreeSet::from([0]));
    }

    proptest! {
        /// Publishing one article at a time keeps few segments, however long it goes on.
        #[test]
        fn segments_stay_few(base in 1u32..200_000, publishes in 1usize..600, per in 1u32..30) {
            let mut sizes: Vec<(u32, u32)> = vec![(base, base)];
            for _ in 0..publishes {
                let merged = to_merge(&sizes, per);
                let size = per + merged.iter().map(|&n| sizes[n].1).sum::<u32>();
                let mut n = 0;
                sizes.retain(|_| { n += 1; !merged.contains(&(n - 1)) });
                sizes.push((size, size));
                let total: u32 = sizes.iter().map(|s| s.1).sum();
                prop_assert!(sizes.len() <= SEGMENTS_PER_TIER * (tier(total) as usize + 1) + 1, "{sizes:?}");
            }
        }
    }
}
