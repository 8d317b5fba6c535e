//! The manifest, `qidiruv.json`: the one file with a stable name.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::part::part_name;
use super::{DocId, IndexError};
use crate::quoted::Quoted;

/// The manifest's stable file name.
pub const MANIFEST_NAME: &str = "qidiruv.json";
/// Identifies a Qidiruv index, so a stray JSON file is not mistaken for one.
pub const FORMAT_NAME: &str = "qidiruv-index";
/// Bumped on every incompatible change to any part.
pub const FORMAT_VERSION: u32 = 11;

/// What a reader needs to find and check every other part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// Hash of all part names and deletions: equal indexes have equal ids.
    pub build_id: String,
    /// Live documents: in some segment and not deleted.
    pub documents: u32,
    /// Terms over all segments (a term in two segments counts twice).
    pub terms: u64,
    /// Live documents per language tag. Like each segment's `lengths`, for
    /// the builder and the CLI only: the browser does not read it (see
    /// `Manifest::from_js`), so it is empty there.
    pub languages: BTreeMap<String, u32>,
    /// The segments, oldest first. Their documents are numbered one after
    /// another: a segment's first document is the sum of the sizes of the
    /// segments before it.
    pub segments: Vec<Segment>,
}

/// An immutable part of the index over some of its documents: a publish
/// adds a segment for what is new or changed, and deletes by listing ids
/// in `deleted`, so the parts of older segments never change.
///
/// In `qidiruv.json` a segment names its parts by one hash and counts
/// (see [`Layout`]); here they are named in full.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SegmentEntry", into = "SegmentEntry")]
pub struct Segment {
    /// Its number, unique in the index: its parts' names start `s<seq>-`.
    pub seq: u32,
    /// Documents in the segment, deleted ones included.
    pub documents: u32,
    pub terms: u64,
    /// Deleted documents, by their number within the segment, ascending.
    pub deleted: Vec<DocId>,
    /// Per language tag: documents, title words and body words, what a
    /// later segment's length normalisation starts from.
    pub lengths: BTreeMap<String, [u64; 3]>,
    /// The hash every part name of the segment carries: of all its parts'
    /// bytes (see [`super::part`]).
    pub hash: String,
    /// The xxh3 of the segment's catalog, which seeds every checksum of
    /// its parts and slots: a part or slot read from another build fails.
    pub seed: u64,
    /// The builder's record of the segment's documents (see
    /// [`crate::index::catalog`]); readers in the browser never fetch it.
    pub catalog: String,
    pub parts: Parts,
}

/// File names of a segment's parts, relative to the manifest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parts {
    /// Dictionary shards, in key order, each with where it starts (the
    /// first shard's is empty).
    pub dictionary: Vec<(String, String)>,
    /// The wide prefixes' heads (see [`crate::index::dictionary`]), in key
    /// order, each with its prefix.
    pub heads: Vec<(String, String)>,
    /// Per head, its postings file (by its place in `postings`), if it has one.
    pub head_postings: Vec<Option<usize>>,
    pub docs: String,
    /// Postings files, each with its length in bytes; taken as one, in this
    /// order, they hold every term's list (see [`crate::index::postings`]):
    /// the files `postings-<n>`, then the heads' own.
    pub postings: Vec<(String, u64)>,
    /// Positions files, likewise (see [`crate::index::positions`]).
    pub positions: Vec<(String, u64)>,
    /// The store's slot classes, smallest slots first; the document table
    /// tells which documents each holds.
    pub store: Vec<StoreClass>,
}

/// Store files of one slot size.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreClass {
    pub slot_bytes: u32,
    /// How many consecutive slots one file holds.
    pub file_docs: u32,
    pub files: Vec<String>,
}

/// A segment as `qidiruv.json` holds it.
#[derive(Serialize, Deserialize)]
struct SegmentEntry {
    seq: u32,
    documents: u32,
    terms: u64,
    #[serde(default)]
    deleted: Vec<DocId>,
    lengths: BTreeMap<String, [u64; 3]>,
    hash: String,
    seed: String,
    parts: Layout,
}

/// What names a segment's parts, given its number and hash: each part's
/// name is `s<seq>-<stem>.<hash>.bin`, its stem following from its place.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// Where each dictionary shard (`dict-<n>`) starts.
    pub dictionary: Vec<String>,
    /// The prefix of each head (`head-<n>`).
    pub heads: Vec<String>,
    /// The length of each head's postings file (`head-<n>-postings`), 0
    /// for a head without one.
    pub head_postings: Vec<u64>,
    /// The length of each postings file (`postings-<n>`).
    pub postings: Vec<u64>,
    /// The length of each positions file (`positions-<n>`).
    pub positions: Vec<u64>,
    /// The store's classes (files `store-<slot_bytes>-<n>`).
    pub store: Vec<StoreLayout>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreLayout {
    pub slot_bytes: u32,
    pub file_docs: u32,
    pub files: u32,
}

impl Segment {
    /// The segment whose parts `layout` describes, named by `hash`, which
    /// must be a segment hash (it becomes part of file names).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        seq: u32,
        documents: u32,
        terms: u64,
        lengths: BTreeMap<String, [u64; 3]>,
        hash: String,
        seed: u64,
        layout: &Layout,
    ) -> Result<Segment, String> {
        if !super::part::is_segment_hash(&hash) {
            return Err(format!("segment {seq}: its hash {} is not 16 hex digits", Quoted(&hash)));
        }
        let name = |stem: &str| part_name(seq, stem, &hash);
        let numbered = |stem: &str, n: usize| name(&format!("{stem}-{n}"));
        let keyed = |keys: &[String], stem: &str| {
            keys.iter().enumerate().map(|(n, key)| (key.clone(), numbered(stem, n))).collect()
        };
        let sized =
            |sizes: &[u64], stem: &str| sizes.iter().enumerate().map(|(n, &size)| (numbered(stem, n), size)).collect();
        let store = layout.store.iter().map(|class| StoreClass {
            slot_bytes: class.slot_bytes,
            file_docs: class.file_docs,
            files: (0..class.files as usize).map(|n| numbered(&format!("store-{}", class.slot_bytes), n)).collect(),
        });
        if layout.head_postings.len() != layout.heads.len() {
            return Err(format!(
                "segment {seq}: {} heads but {} head postings",
                layout.heads.len(),
                layout.head_postings.len()
            ));
        }
        let mut postings: Vec<(String, u64)> = sized(&layout.postings, "postings");
        let mut head_postings = vec![None; layout.heads.len()];
        for (n, &size) in layout.head_postings.iter().enumerate().filter(|(_, &size)| size > 0) {
            head_postings[n] = Some(postings.len());
            postings.push((name(&format!("head-{n}-postings")), size));
        }
        let parts = Parts {
            dictionary: keyed(&layout.dictionary, "dict"),
            heads: keyed(&layout.heads, "head"),
            head_postings,
            docs: name("docs"),
            postings,
            positions: sized(&layout.positions, "positions"),
            store: store.collect(),
        };
        let catalog = name("catalog");
        Ok(Segment { seq, documents, terms, deleted: Vec::new(), lengths, hash, seed, catalog, parts })
    }
}

impl Parts {
    /// What names these parts, but for their segment's number and hash.
    pub fn layout(&self) -> Layout {
        Layout {
            dictionary: self.dictionary.iter().map(|(first, _)| first.clone()).collect(),
            heads: self.heads.iter().map(|(prefix, _)| prefix.clone()).collect(),
            head_postings: self.head_postings.iter().map(|file| file.map_or(0, |n| self.postings[n].1)).collect(),
            postings: self.postings[..self.sequence_files()].iter().map(|&(_, size)| size).collect(),
            positions: self.positions.iter().map(|&(_, size)| size).collect(),
            store: self
                .store
                .iter()
                .map(|c| StoreLayout { slot_bytes: c.slot_bytes, file_docs: c.file_docs, files: c.files.len() as u32 })
                .collect(),
        }
    }
}

impl TryFrom<SegmentEntry> for Segment {
    type Error = String;

    fn try_from(entry: SegmentEntry) -> Result<Segment, String> {
        let seed =
            parse_seed(&entry.seed).ok_or_else(|| format!("segment {}: its seed is not 16 hex digits", entry.seq))?;
        let segment =
            Segment::new(entry.seq, entry.documents, entry.terms, entry.lengths, entry.hash, seed, &entry.parts)?;
        Ok(Segment { deleted: entry.deleted, ..segment })
    }
}

impl From<Segment> for SegmentEntry {
    fn from(segment: Segment) -> SegmentEntry {
        SegmentEntry {
            parts: segment.parts.layout(),
            seq: segment.seq,
            documents: segment.documents,
            terms: segment.terms,
            deleted: segment.deleted,
            lengths: segment.lengths,
            hash: segment.hash,
            seed: format!("{:016x}", segment.seed),
        }
    }
}

/// A seed as the manifest writes it: 16 hex digits (a JSON number would
/// lose bits in JavaScript).
fn parse_seed(hex: &str) -> Option<u64> {
    super::part::is_segment_hash(hex).then(|| u64::from_str_radix(hex, 16).ok()).flatten()
}

impl StoreClass {
    /// The file holding slot `index` of this class, and the slot's byte range there.
    pub fn slot(&self, index: u32) -> Option<(&str, std::ops::Range<u64>)> {
        let file = self.files.get((index / self.file_docs.max(1)) as usize)?;
        let start = u64::from(index % self.file_docs.max(1)) * u64::from(self.slot_bytes);
        Some((file, start..start + u64::from(self.slot_bytes)))
    }
}

impl Manifest {
    /// Refuses manifests of another format or version, naming what was found.
    pub fn check_version(&self) -> Result<(), IndexError> {
        if self.format == FORMAT_NAME && self.version == FORMAT_VERSION {
            Ok(())
        } else {
            Err(IndexError::UnsupportedFormat { found: self.format.clone(), version: self.version })
        }
    }

    /// Every part the manifest names, catalogs included, in a fixed order.
    pub fn part_names(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().flat_map(Segment::names)
    }

    /// A build id for these segments: equal segments and deletions, equal ids.
    pub fn build_id(segments: &[Segment]) -> String {
        let mut text = String::new();
        for segment in segments {
            text.push_str(&format!("s{}.{} deleted {:?}\n", segment.seq, segment.hash, segment.deleted));
        }
        format!("{:016x}", super::part::xxh3_64(text.as_bytes()))
    }
}

impl Parts {
    /// How many postings files come before the heads' own.
    pub fn sequence_files(&self) -> usize {
        self.postings.len() - self.head_postings.iter().flatten().count()
    }

    /// The parts a reader fetches, in a fixed order: document table,
    /// dictionary, postings, positions, store.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let dictionary = self.dictionary.iter().chain(&self.heads).map(|(_, name)| name);
        let postings = self.postings.iter().chain(&self.positions).map(|(name, _)| name);
        let store = self.store.iter().flat_map(|class| &class.files);
        std::iter::once(&self.docs).chain(dictionary).chain(postings).chain(store).map(String::as_str)
    }
}

impl Segment {
    /// Every part of the segment, its catalog first, then as [`Parts::names`].
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.catalog.as_str()).chain(self.parts.names())
    }

    /// The name of the part the builder handed over as `written`
    /// (`s<seq>-<stem>`, see [`crate::IndexBuilder::finish_into`]).
    pub fn name_of(&self, written: &str) -> String {
        format!("{written}.{}.bin", self.hash)
    }

    /// Live documents of the segment.
    pub fn live(&self) -> u32 {
        self.documents.saturating_sub(self.deleted.len() as u32)
    }
}

/// The manifest in the browser, read from what `JSON.parse` made of it.
/// serde's readers (of JavaScript values, or of JSON text) cost the wasm a
/// visitor per type and float formatting for their error messages, tens of
/// kilobytes; these few functions read the same fields with the same
/// defaults, but not the per-language counts (`languages`, `lengths`),
/// which only the builder and the CLI use.
#[cfg(feature = "js")]
mod js {
    use std::cell::RefCell;

    use js_sys::wasm_bindgen::{JsCast, JsValue};
    use js_sys::{Array, Reflect};

    use super::{Layout, Manifest, Segment, StoreLayout};

    impl Manifest {
        /// The manifest, or which of its fields is missing or of the wrong type.
        pub fn from_js(value: &JsValue) -> Result<Manifest, String> {
            let read = Reader::default();
            let manifest = Manifest {
                format: read.string(value, "format"),
                version: read.number(value, "version"),
                build_id: read.string(value, "build_id"),
                documents: read.number(value, "documents"),
                terms: read.number(value, "terms"),
                languages: Default::default(),
                segments: read.list(value, "segments", Reader::segment),
            };
            read.error.into_inner().map_or(Ok(manifest), Err)
        }
    }

    /// Reads fields, each a default value when it is missing or of the wrong
    /// type, keeping the first such error for the caller: no error path per
    /// field, which in the wasm would drop what was read before it.
    #[derive(Default)]
    struct Reader {
        error: RefCell<Option<String>>,
    }

    impl Reader {
        fn segment(&self, value: &JsValue) -> Segment {
            let parts = self.field(value, "parts").unwrap_or_default();
            let strings = |read: &Reader, item: &JsValue| read.text(item, "dictionary");
            let sizes = |read: &Reader, item: &JsValue| read.whole(item, "list files");
            let layout = Layout {
                dictionary: self.list(&parts, "dictionary", strings),
                heads: self.list(&parts, "heads", strings),
                head_postings: self.list(&parts, "head_postings", sizes),
                postings: self.list(&parts, "postings", sizes),
                positions: self.list(&parts, "positions", sizes),
                store: self.list(&parts, "store", Reader::store_class),
            };
            let seq = self.number(value, "seq");
            let seed = super::parse_seed(&self.string(value, "seed")).unwrap_or_else(|| self.fail("a bad seed"));
            let hash = self.string(value, "hash");
            let segment = Segment::new(
                seq,
                self.number(value, "documents"),
                self.number(value, "terms"),
                Default::default(),
                hash,
                seed,
                &layout,
            );
            let segment = segment.unwrap_or_else(|e| self.fail(&e));
            let deleted = match given(value, "deleted") {
                Some(_) => self.list(value, "deleted", |read, item| read.whole(item, "deleted")),
                None => Vec::new(),
            };
            Segment { deleted, ..segment }
        }

        fn store_class(&self, value: &JsValue) -> StoreLayout {
            StoreLayout {
                slot_bytes: self.number(value, "slot_bytes"),
                file_docs: self.number(value, "file_docs"),
                files: self.number(value, "files"),
            }
        }

        fn fail<T: Default>(&self, what: &str) -> T {
            self.error.borrow_mut().get_or_insert_with(|| what.to_string());
            T::default()
        }

        /// `object[key]`, which must be there.
        fn field(&self, object: &JsValue, key: &str) -> Option<JsValue> {
            let value = given(object, key);
            if value.is_none() {
                self.fail::<()>(&format!("no {key}"));
            }
            value
        }

        fn string(&self, object: &JsValue, key: &str) -> String {
            self.field(object, key).map(|value| self.text(&value, key)).unwrap_or_default()
        }

        fn number<T: TryFrom<u64> + Default>(&self, object: &JsValue, key: &str) -> T {
            self.field(object, key).map(|value| self.whole(&value, key)).unwrap_or_default()
        }

        /// The list `object[key]`, each item read with `item`.
        fn list<T>(&self, object: &JsValue, key: &str, item: fn(&Reader, &JsValue) -> T) -> Vec<T> {
            let Some(value) = self.field(object, key) else { return Vec::new() };
            let Some(items) = value.dyn_ref::<Array>() else { return self.fail(&format!("{key} is not a list")) };
            let mut list = Vec::new();
            for value in items.iter() {
                list.push(item(self, &value));
            }
            list
        }

        /// `value` as a string; `key` names it in an error.
        fn text(&self, value: &JsValue, key: &str) -> String {
            value.as_string().unwrap_or_else(|| self.fail(&format!("{key} holds other than a string")))
        }

        /// `value` as a whole number of type `T` (JSON's are exact up to 2^53).
        fn whole<T: TryFrom<u64> + Default>(&self, value: &JsValue, key: &str) -> T {
            let n = value.as_f64().filter(|n| n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(n));
            n.and_then(|n| T::try_from(n as u64).ok())
                .unwrap_or_else(|| self.fail(&format!("{key} holds other than a whole number in range")))
        }
    }

    /// `object[key]`, unless it is missing, `undefined` or `null`.
    fn given(object: &JsValue, key: &str) -> Option<JsValue> {
        Reflect::get(object, &JsValue::from_str(key)).ok().filter(|value| !value.is_undefined() && !value.is_null())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment() -> Segment {
        let layout = Layout {
            dictionary: vec!["".into(), "bor".into()],
            heads: vec!["s".into()],
            head_postings: vec![300],
            postings: vec![1 << 20, 17],
            positions: vec![40],
            store: vec![StoreLayout { slot_bytes: 512, file_docs: 2, files: 2 }],
        };
        let lengths = [("en".to_string(), [3, 10, 100])].into();
        let segment = Segment::new(2, 3, 40, lengths, "0123456789abcdef".into(), u64::MAX - 5, &layout).unwrap();
        Segment { deleted: vec![1], ..segment }
    }

    #[test]
    fn a_segment_names_every_part_by_its_hash_and_reads_back_as_written() {
        let segment = segment();
        let parts = &segment.parts;
        assert_eq!(parts.dictionary[1], ("bor".to_string(), "s2-dict-1.0123456789abcdef.bin".to_string()));
        assert_eq!(parts.postings[1], ("s2-postings-1.0123456789abcdef.bin".to_string(), 17));
        assert_eq!(parts.store[0].files[1], "s2-store-512-1.0123456789abcdef.bin");
        assert_eq!(segment.catalog, "s2-catalog.0123456789abcdef.bin");
        assert_eq!(segment.name_of("s2-head-0"), parts.heads[0].1);
        assert_eq!(parts.head_postings, vec![Some(2)], "a head's postings follow the others");
        assert_eq!(parts.postings[2], ("s2-head-0-postings.0123456789abcdef.bin".to_string(), 300));
        assert_eq!(parts.sequence_files(), 2);
        let json = serde_json::to_string(&segment).unwrap();
        assert!(!json.contains(".bin"), "the manifest does not spell out names: {json}");
        assert_eq!(serde_json::from_str::<Segment>(&json).unwrap(), segment);
    }

    #[test]
    fn a_hash_or_seed_that_is_not_sixteen_hex_digits_is_refused() {
        let json = serde_json::to_string(&segment()).unwrap();
        for (from, to) in [("0123456789abcdef", "../../../etc/x"), ("fffffffffffffffa", "-1")] {
            let bad = json.replace(from, to);
            assert_ne!(bad, json);
            let err = serde_json::from_str::<Segment>(&bad).unwrap_err().to_string();
            assert!(err.contains("segment 2"), "{err}");
        }
        let unsized_head = json.replace("\"head_postings\":[300]", "\"head_postings\":[]");
        assert_ne!(unsized_head, json);
        let err = serde_json::from_str::<Segment>(&unsized_head).unwrap_err().to_string();
        assert!(err.contains("1 heads but 0 head postings"), "{err}");
    }
}
