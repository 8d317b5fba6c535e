//! The manifest, `qidiruv.json`: the one file with a stable name.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::IndexError;

/// The manifest's stable file name.
pub const MANIFEST_NAME: &str = "qidiruv.json";
/// Identifies a Qidiruv index, so a stray JSON file is not mistaken for one.
pub const FORMAT_NAME: &str = "qidiruv-index";
/// Bumped on every incompatible change to any part.
pub const FORMAT_VERSION: u32 = 5;

/// What a reader needs to find and check every other part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// Hash of all part names: equal builds have equal ids.
    pub build_id: String,
    pub documents: u32,
    pub terms: u64,
    /// Documents per language tag.
    pub languages: BTreeMap<String, u32>,
    pub parts: Parts,
}

/// File names of the content-hashed parts, relative to the manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parts {
    /// Dictionary shards, in key order, each with its first key (the first
    /// shard's is empty).
    pub dictionary: Vec<(String, String)>,
    /// The wide prefixes' heads (see [`crate::index::dictionary`]), in key
    /// order, each with its prefix. (Defaulted so that an older manifest,
    /// without it, is refused for its version rather than for this field.)
    #[serde(default)]
    pub heads: Vec<(String, String)>,
    pub docs: String,
    /// Postings files, each with its length in bytes; taken as one, in this
    /// order, they hold every term's list (see [`crate::index::postings`]).
    pub postings: Vec<(String, u64)>,
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

    /// Every part the manifest names, in a fixed order.
    pub fn part_names(&self) -> impl Iterator<Item = &str> {
        let dictionary = self.parts.dictionary.iter().chain(&self.parts.heads).map(|(_, name)| name);
        let postings = self.parts.postings.iter().map(|(name, _)| name);
        let store = self.parts.store.iter().flat_map(|class| &class.files);
        std::iter::once(&self.parts.docs).chain(dictionary).chain(postings).chain(store).map(String::as_str)
    }
}
