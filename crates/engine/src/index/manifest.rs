//! The manifest, `qidiruv.json`: the one file with a stable name.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::{DocId, IndexError};

/// The manifest's stable file name.
pub const MANIFEST_NAME: &str = "qidiruv.json";
/// Identifies a Qidiruv index, so a stray JSON file is not mistaken for one.
pub const FORMAT_NAME: &str = "qidiruv-index";
/// Bumped on every incompatible change to any part.
pub const FORMAT_VERSION: u32 = 7;

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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Its number, unique in the index: its parts' names start `s<seq>-`.
    pub seq: u32,
    /// Documents in the segment, deleted ones included.
    pub documents: u32,
    pub terms: u64,
    /// Deleted documents, by their number within the segment, ascending.
    #[serde(default)]
    pub deleted: Vec<DocId>,
    /// Per language tag: documents, title words and body words, what a
    /// later segment's length normalisation starts from.
    pub lengths: BTreeMap<String, [u64; 3]>,
    /// The builder's record of the segment's documents (see
    /// [`crate::index::catalog`]); readers in the browser never fetch it.
    pub catalog: String,
    pub parts: Parts,
}

/// File names of a segment's content-hashed parts, relative to the manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parts {
    /// Dictionary shards, in key order, each with its first key (the first
    /// shard's is empty).
    pub dictionary: Vec<(String, String)>,
    /// The wide prefixes' heads (see [`crate::index::dictionary`]), in key
    /// order, each with its prefix.
    pub heads: Vec<(String, String)>,
    pub docs: String,
    /// Postings files, each with its length in bytes; taken as one, in this
    /// order, they hold every term's list (see [`crate::index::postings`]).
    pub postings: Vec<(String, u64)>,
    /// Positions files, likewise (see [`crate::index::positions`]).
    pub positions: Vec<(String, u64)>,
    /// The store's slot classes, smallest slots first; the document table
    /// tells which documents each holds.
    pub store: Vec<StoreClass>,
}

/// Store files of one slot size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreClass {
    pub slot_bytes: u32,
    /// How many consecutive slots one file holds.
    pub file_docs: u32,
    pub files: Vec<String>,
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
        self.segments.iter().flat_map(|segment| std::iter::once(segment.catalog.as_str()).chain(segment.parts.names()))
    }

    /// A build id for these segments: equal segments and deletions, equal ids.
    pub fn build_id(segments: &[Segment]) -> String {
        let mut text = String::new();
        for segment in segments {
            text.push_str(&segment.catalog);
            for name in segment.parts.names() {
                text.push('\n');
                text.push_str(name);
            }
            text.push_str(&format!("\ndeleted {:?}\n", segment.deleted));
        }
        format!("{:016x}", super::part::xxh3_64(text.as_bytes()))
    }
}

impl Parts {
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
    /// The seed of this segment's store slot checksums: the hash its
    /// catalog's name carries, so a slot read from another build's store
    /// file fails its checksum instead of showing another article.
    pub fn slot_seed(&self) -> u64 {
        super::part::name_hash(&self.catalog).unwrap_or(0)
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

    use super::{Manifest, Parts, Segment, StoreClass};

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
            Segment {
                seq: self.number(value, "seq"),
                documents: self.number(value, "documents"),
                terms: self.number(value, "terms"),
                deleted: match given(value, "deleted") {
                    Some(_) => self.list(value, "deleted", |read, item| read.whole(item, "deleted")),
                    None => Vec::new(),
                },
                lengths: Default::default(),
                catalog: self.string(value, "catalog"),
                parts: Parts {
                    dictionary: self.list(&parts, "dictionary", Reader::names),
                    heads: self.list(&parts, "heads", Reader::names),
                    docs: self.string(&parts, "docs"),
                    postings: self.list(&parts, "postings", Reader::list_file),
                    positions: self.list(&parts, "positions", Reader::list_file),
                    store: self.list(&parts, "store", Reader::store_class),
                },
            }
        }

        fn store_class(&self, value: &JsValue) -> StoreClass {
            StoreClass {
                slot_bytes: self.number(value, "slot_bytes"),
                file_docs: self.number(value, "file_docs"),
                files: self.list(value, "files", |read, item| read.text(item, "files")),
            }
        }

        /// `[first key, name]` of a dictionary shard, or `[prefix, name]` of a head.
        fn names(&self, value: &JsValue) -> (String, String) {
            let [first, name] = self.pair(value);
            (self.text(&first, "dictionary"), self.text(&name, "dictionary"))
        }

        /// `[name, bytes]` of a postings or positions file.
        fn list_file(&self, value: &JsValue) -> (String, u64) {
            let [name, bytes] = self.pair(value);
            (self.text(&name, "list files"), self.whole(&bytes, "list files"))
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

        fn pair(&self, value: &JsValue) -> [JsValue; 2] {
            match value.dyn_ref::<Array>() {
                Some(items) if items.length() == 2 => [items.get(0), items.get(1)],
                _ => {
                    self.fail::<()>("a pair is not a list of two");
                    [JsValue::UNDEFINED, JsValue::UNDEFINED]
                }
            }
        }
    }

    /// `object[key]`, unless it is missing, `undefined` or `null`.
    fn given(object: &JsValue, key: &str) -> Option<JsValue> {
        Reflect::get(object, &JsValue::from_str(key)).ok().filter(|value| !value.is_undefined() && !value.is_null())
    }
}
